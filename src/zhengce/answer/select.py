"""Passage selection: score every sentence of the retrieved provisions against the question.

A sentence's score is the IDF-weighted share of the question's content terms it (or its
provision's context: document title, heading path) contains, plus a bonus when it carries the
kind of value the question asks for (``question.Question.needs``). Passages are re-ranked by
their best sentence, so the provision that states the answer comes first; the same coverage
measure feeds abstention, so its threshold means one thing everywhere: "the best evidence
states too little of what was asked".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..library import Library
from ..search import Hit
from ..search.engine import segmenter_for, term_dfs, term_idf
from .paraphrase import official_forms
from .question import AGENCY, Question

IDF_CAP = 7.0
MEMO_TEXTS = 20000
# A word the library never uses is mostly colloquial wrapping (健身房, 我妈), but sometimes the very
# subject the corpus is silent on (月球): it weighs a little, not like a rare term.
ABSENT_WEIGHT = 1.5
SINGLE_CHAR_WEIGHT = 0.0
SPECIFIC_SHARE = 0.3  # sentence score: coverage vs what it states beyond the title
STATES_BONUS = 0.2
PAIR_BONUS = 0.2  # the question's adjacent words kept together in the sentence  # the sentence states a value of the asked kind
BM25_PRIOR = 0.1
RANK_PENALTY = 0.0005  # per BM25 rank: retrieval order breaks ties, it does not outvote the text
# Fill-in forms in attachments ("XXX 等 XX 人…", "我单位符合…") repeat a provision's words but
# state nothing: an application letter is not the rule.
FORM_PENALTY = 0.3
_FORM = re.compile(r"X{2,}|×{2,}|x{3,}|_{3,}|\\_|我单位|我校|我公司|本单位承诺|本人承诺|申请人签字")
BM25_MIX = 0.3  # passage order: best sentence evidence plus this share of the BM25 score

_SENT = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(text) if len(s.strip()) >= 4]


class Scorer:
    """Coverage of a question's content terms, weighted by IDF, with sub-words folded in."""

    def __init__(self, library: Library, question: str):
        self.seg = segmenter_for(library)
        self.question = question
        terms = [t for t in self.seg.query_terms(question) if not t.startswith("syn")]
        # Search-mode cuts overlap (新生儿, 新生, 生儿): weigh the longest pieces, so a term is
        # counted once; sub-words of a longer term only count when the long one is absent.
        self.terms = [t for t in terms if not any(t != o and t in o for o in terms)]
        self.subs = {t: [o for o in terms if o != t and o in t] for t in self.terms}
        idf = term_idf(library, terms) if terms else {}
        # Cap the rest so one rare word does not outweigh the question's other content.
        self.df = term_dfs(library, terms)
        idf = {t: ABSENT_WEIGHT if self.df[t] == 0 else min(w, IDF_CAP) for t, w in idf.items()}
        # Single characters left by the cut of colloquial questions (办, 买, 退, 去) are weak evidence.
        idf = {t: w * (SINGLE_CHAR_WEIGHT if len(t) == 1 and not t.isdigit() else 1.0) for t, w in idf.items()}
        self.idf = idf
        self.total = sum(idf.get(t, 0.0) for t in self.terms) or 1.0
        self.years = re.findall(r"(?:19|20)\d\d(?=年)", question)
        self.forms = {t: [*self.seg.surface_forms(t), *official_forms(t)] for t in terms}
        for gid_token in (t for t in self.seg.query_terms(question) if t.startswith("syn")):
            for form in self.seg.surface_forms(gid_token):
                for t in self.terms:
                    if form in t or t in form:
                        self.forms[t] = [*self.forms[t], *self.seg.surface_forms(gid_token)]
        # Only weighted terms count; their presence in a text is computed once per text (titles,
        # heading paths and provisions are shared by many sentences).
        self.weighted = [t for t in self.terms if self.idf.get(t, 0.0) > 0]
        # Adjacent content words of the question ("企业开办" + "时间"): a sentence that keeps them
        # together states the asked thing, not the same words scattered over other things.
        cut = [w for w in self.seg.cut(question) if self.idf.get(w, 0.0) > 0 and len(w) >= 2]
        self.pairs = [a + b for a, b in zip(cut, cut[1:], strict=False)]
        self._memo: dict[str, dict[str, float]] = {}

    def presence(self, text: str) -> dict[str, float]:
        """``has`` for every weighted term in ``text``, memoised."""
        p = self._memo.get(text)
        if p is None:
            has = self.has
            p = {t: has(t, text) for t in self.weighted}
            if len(self._memo) < MEMO_TEXTS:
                self._memo[text] = p
        return p

    def has(self, t: str, text: str) -> float:
        """1 when ``text`` states term ``t`` (any surface form), partial for its sub-words."""
        for f in self.forms.get(t) or (t,):
            if f in text:
                return 1.0
        subs = self.subs.get(t) or []
        if subs:
            found = sum(1 for s in subs if s in text)
            return 0.5 * found / len(subs)
        return 0.0

    def coverage(self, text: str, context: str = "", provision: str = "", path: str = "") -> float:
        """Share of the question's weighted terms stated by ``text``; terms found only in its
        heading ``path`` count fully (the heading frames a list item), only in its ``context``
        (document title) 0.8, only elsewhere in its ``provision`` 0.6.
        A year the question names (2023年) that none states halves the coverage: the text
        speaks of another year."""
        got = 0.0
        pt = self.presence(text)
        pp = self.presence(path) if path else None
        pc = self.presence(context) if context else None
        pv = self.presence(provision) if provision else None
        for t in self.weighted:
            own = pt[t]
            if own < 1 and pp is not None:
                own = max(own, pp[t])
            if own < 1 and pc is not None:
                own = max(own, pc[t] * 0.8)
            if own < 0.6 and pv is not None:
                own = max(own, pv[t] * 0.6)
            got += self.idf[t] * own
        cov = got / self.total
        for y in self.years:
            if y not in text and y not in context and y not in path and y not in provision:
                cov *= 0.5
        return cov

    def proximity(self, text: str) -> float:
        """Share of the question's adjacent word pairs the text states as written."""
        if not self.pairs:
            return 0.0
        return sum(1 for p in self.pairs if p in text) / len(self.pairs)

    def specific(self, text: str, context: str, path: str = "") -> float:
        """Coverage of the terms its document title does not already supply: within one
        document the title matches every provision, so these decide which one answers."""
        pc, pt = self.presence(context), self.presence(text)
        pp = self.presence(path) if path else None
        focus = [t for t in self.weighted if pc[t] < 1]
        den = sum(self.idf[t] for t in focus)
        if not den:
            return 1.0
        return sum(self.idf[t] * max(pt[t], pp[t] if pp is not None else 0.0) for t in focus) / den


def context(h: Hit) -> str:
    return " ".join([h.doc_title, h.date.isoformat() if h.date else ""])


@dataclass(slots=True)
class Candidate:
    """One sentence (or table row) of a retrieved provision, scored against the question."""

    total: float  # ranking score
    coverage: float  # weighted share of the question's terms it states (with its context)
    states: bool  # it states a value of the asked kind
    text: str  # the sentence as stated
    hit: Hit
    path: str  # heading path joined (what a list item is about)


def score_candidates(sc: Scorer, q: Question, hits: list[Hit]) -> tuple[list[Candidate], list[Hit]]:
    """Every sentence of ``hits`` scored, best first, and the hits re-ranked by their best sentence."""
    need = q.needs()
    top_bm25 = (hits[0].score if hits else 1.0) or 1.0
    out: list[Candidate] = []
    best_by_hit: dict[str, float] = {}
    for rank, h in enumerate(hits):
        if h.kind == "table":
            continue  # its rows are indexed one by one, each with the table's header
        ctx, path = context(h), " ".join(h.heading_path)
        prior = BM25_PRIOR * (h.score / top_bm25)
        units = [h.text] if h.kind == "row" else (sentences(h.text) or [h.text])
        for s in units:
            cov = sc.coverage(s, ctx, h.text, path)
            own = sc.specific(s, ctx, path)
            states = bool(need and need.search(s))
            total = ((1 - SPECIFIC_SHARE) * cov + SPECIFIC_SHARE * own + intent_bonus(q, s)
                     + (STATES_BONUS if states else 0.0) + prior - RANK_PENALTY * rank
                     + PAIR_BONUS * sc.proximity(s)
                     - (FORM_PENALTY if _FORM.search(s) else 0.0))
            out.append(Candidate(total, cov, states, s, h, path))
            best_by_hit[h.cid] = max(best_by_hit.get(h.cid, 0.0), total)
    out.sort(key=lambda c: -c.total)
    ranked = sorted(hits, key=lambda h: -(best_by_hit.get(h.cid, 0.0) + BM25_MIX * h.score / top_bm25))
    return out, ranked


_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元)")
_MATERIAL = re.compile(r"证明|材料|合同|凭证|证书|证件|执照|户口簿|身份证|申请表")


def intent_bonus(q: Question, sent: str) -> float:
    """Small bonuses for the secondary kinds a multi-part question asks (找哪个部门, 哪些材料)."""
    bonus = 0.0
    if "amount" in q.facts and _MONEY.search(sent):
        bonus += 0.15
    if "unit" in q.facts and AGENCY.search(sent):
        bonus += 0.15
    if "how" in q.facts and _MATERIAL.search(sent):
        bonus += 0.1
    return bonus
