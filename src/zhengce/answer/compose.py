"""Extractive answer composition: pick the sentences that answer, cite each one, or abstain.

A sentence's score is the IDF-weighted share of the question's content terms it (or its
provision's context: document title, heading path) contains, plus a bonus when it carries what
the question asks for (多少/多长 → numbers with units; 哪个部门 → agency names; 哪些材料 →
documents/certificates). The same coverage measure decides abstention, so the threshold means
one thing everywhere: "the best evidence states too little of what was asked".
"""

from __future__ import annotations

import re

from ..library import Library
from ..search import Hit, search
from ..search.engine import segmenter_for, term_df, term_idf
from . import ABSTAIN_PREFIX, Answer, AnswerSentence

# Calibrated on dev (coverage of content terms by the best sentence + its context); see
# eval/questions.py --verbose for the coverage of each question.
ABSTAIN_BELOW = 0.5
MAX_SENTENCES = 3
POOL = 100  # provisions re-ranked by sentence evidence
IDF_CAP = 7.0
# A word the library never uses is mostly colloquial wrapping (健身房, 我妈), but sometimes the very
# subject the corpus is silent on (月球): it weighs a little, not like a rare term.
ABSENT_WEIGHT = 1.5
BM25_MIX = 0.3  # passage order: best sentence evidence plus this share of the BM25 score
SUPPORT_MIN = 0.15
SUPPORT_KEYS = 4  # the best sentence's rarest terms a supporting quantity must share one of
STATED_SHARE = 0.85
SPECIFIC_SHARE = 0.3
OTHER_DOC_SHARE = 0.9  # sentence score: coverage vs what it states beyond the title
SINGLE_CHAR_WEIGHT = 0.0

_SENT = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_NUMBER_UNIT = re.compile(
    r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千万两半]+)\s*(?:%|％|万元|亿元|元|个工作日|工作日|个月|日|天|年|周岁|岁|张|个|人|户|家|次|小时|分钟|平方米|米|倍|项|所|床|辆|份)")
_AGENCY = re.compile(r"[\u4e00-\u9fff]{1,12}?(?:局|委员会|委|办公室|办|管委会|中心|政府|部门|银行|街道)")
_MATERIAL = re.compile(r"证明|材料|合同|凭证|证书|证件|执照|户口簿|身份证|申请表")

_ASK_AMOUNT = re.compile(r"多少|多长|多久|几|多大|比例|多高|金额|标准|期限|时限|何时|什么时候|哪天|几月|几号|目标")
_ASK_AGENCY = re.compile(r"哪些部门|哪个部门|什么部门|哪个单位|哪些单位|谁负责|找哪|由谁|负责部门|牵头")
_ASK_MATERIAL = re.compile(r"材料|证明|手续|准备什么|需要提供")


_CN_NUM = "一二三四五六七八九十百千万两半"
_NUM = rf"(?:\d+(?:\.\d+)?|[{_CN_NUM}]+)"
# What a quantity question asks for, read from the question's own words; the answer must state a
# number in that unit ("多少个工作日" is not answered by "80%以上").
_UNIT_ASKS: list[tuple[re.Pattern, re.Pattern]] = [
    (re.compile(r"多少钱|补多少|(?:补贴|补助|奖励|资助|支持|资金|费用|收费|罚款|金额)[^，。？]{0,6}多少|多少(?:补贴|补助|奖励|资金|万元|元)"),
     re.compile(rf"{_NUM}\s*(?:万元|亿元|元)")),
    (re.compile(r"比例|百分之|(?:率|占比)[^，。？]{0,6}多少|多少%"), re.compile(rf"{_NUM}\s*(?:%|％|‰|成)|百分之|千分之|{_NUM}\s*/\s*[\d十百千万]+\s*万?")),
    (re.compile(r"(?:多少|几)个?工作日"), re.compile(rf"{_NUM}\s*个?工作日")),
    (re.compile(r"多长时间|多久|多少天|几天|多少日|几日|期限|时限|多少个月|几个月|多少年|几年"),
     re.compile(rf"{_NUM}\s*(?:个?工作日|日|天|个月|月|年|小时|周)|当场|当日|即时|立即")),
    (re.compile(r"几月|几号|哪天|何时|什么时候|什么时间"), re.compile(rf"{_NUM}\s*月(?:{_NUM}\s*日)?|{_NUM}\s*日")),
    (re.compile(r"(?:多少|几)\s*(张|个|人|户|家|所|辆|项|次|岁|名|间|处|条|台|套|平方米)"), re.compile("")),
]


def asked_unit(question: str) -> re.Pattern | None:
    """The number-with-unit pattern a quantity question needs in its answer, or None."""
    for ask, unit in _UNIT_ASKS:
        m = ask.search(question)
        if m:
            if not unit.pattern:  # a counted measure word: the number before that same word
                return re.compile(rf"{_NUM}\s*{re.escape(m.group(1))}")
            return unit
    return None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(text) if len(s.strip()) >= 4]


_ASK_BENEFIT = re.compile(r"奖励|补贴|补助|资助|扶持|奖补|资金支持|贴息|减免")
_MONEY = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元)")


def intent_bonus(question: str, sent: str) -> float:
    bonus = 0.0
    if _ASK_BENEFIT.search(question) and _MONEY.search(sent):
        bonus += 0.15
    if _ASK_AMOUNT.search(question) and _NUMBER_UNIT.search(sent):
        bonus += 0.15
    if _ASK_AGENCY.search(question) and _AGENCY.search(sent):
        bonus += 0.15
    if _ASK_MATERIAL.search(question) and _MATERIAL.search(sent):
        bonus += 0.1
    return bonus


class Scorer:
    """Coverage of a question's content terms, weighted by IDF, with sub-words folded in."""

    def __init__(self, library: Library, question: str):
        self.seg = segmenter_for(library)
        terms = [t for t in self.seg.query_terms(question) if not t.startswith("syn")]
        # Search-mode cuts overlap (新生儿, 新生, 生儿): weigh the longest pieces, so a term is
        # counted once; sub-words of a longer term only count when the long one is absent.
        self.terms = [t for t in terms if not any(t != o and t in o for o in terms)]
        self.subs = {t: [o for o in terms if o != t and o in t] for t in self.terms}
        idf = term_idf(library, terms) if terms else {}
        # Cap the rest so one rare word does not outweigh the question's other content.
        self.df = {t: term_df(library, t) for t in terms}
        idf = {t: ABSENT_WEIGHT if self.df[t] == 0 else min(w, IDF_CAP) for t, w in idf.items()}
        # Single characters left by the cut of colloquial questions (办, 买, 退, 去) are weak evidence.
        idf = {t: w * (SINGLE_CHAR_WEIGHT if len(t) == 1 and not t.isdigit() else 1.0) for t, w in idf.items()}
        self.idf = idf
        self.total = sum(idf.get(t, 0.0) for t in self.terms) or 1.0
        self.years = re.findall(r"(?:19|20)\d\d(?=年)", question)
        self.forms = {t: self.seg.surface_forms(t) for t in terms}
        for gid_token in (t for t in self.seg.query_terms(question) if t.startswith("syn")):
            for form in self.seg.surface_forms(gid_token):
                for t in self.terms:
                    if form in t or t in form:
                        self.forms[t] = [*self.forms[t], *self.seg.surface_forms(gid_token)]

    def _has(self, t: str, text: str) -> float:
        if any(f in text for f in self.forms.get(t, [t])):
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
        for t in self.terms:
            w = self.idf.get(t, 0.0)
            own = self._has(t, text)
            if own < 1 and path:
                own = max(own, self._has(t, path))
            if own < 1 and context:
                own = max(own, self._has(t, context) * 0.8)
            if own < 0.6 and provision:
                own = max(own, self._has(t, provision) * 0.6)
            got += w * own
        cov = got / self.total
        for y in self.years:
            if y not in text and y not in context and y not in path:
                cov *= 0.5
        return cov

    def specific(self, text: str, context: str) -> float:
        """Coverage of the terms its document title does not already supply: within one
        document the title matches every provision, so these decide which one answers."""
        focus = [t for t in self.terms if self.idf.get(t, 0) > 0 and self._has(t, context) < 1]
        den = sum(self.idf[t] for t in focus)
        if not den:
            return 1.0
        return sum(self.idf[t] * self._has(t, text) for t in focus) / den


def _context(h: Hit) -> str:
    return " ".join([h.doc_title, h.date.isoformat() if h.date else ""])


def _tail_units(text: str, sent: str) -> str | None:
    """A trailing （责任单位：…）/（市经济和信息化局） right after ``sent`` in the provision."""
    i = text.find(sent)
    if i < 0:
        return None
    rest = text[i + len(sent): i + len(sent) + 80]
    m = re.match(r"\s*([（(][^（()）]{2,60}[)）])", rest)
    return m.group(1) if m and _AGENCY.search(m.group(1)) else None


_MARKER = re.compile(r"^\s*(?:[(（]\s*[0-9一二三四五六七八九十]+\s*[)）]|[0-9]+[.．、]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+条)")
_UNIT_LINE = re.compile(r"(?:主要|牵头|主责|责任|协办|配合)单位[：:]|负责部门[：:]")


def _continued(text: str, sent: str, limit: int = 160) -> str:
    """``sent`` plus the clauses after it up to the item's end: parts joined by ；belong together
    ("到2018年底…3天以内；到2020年底，力争压缩至2天以内。")."""
    i = text.find(sent)
    if i < 0 or not sent.endswith(("；", ";")):
        return sent
    out = sent
    for nxt in sentences(text[i + len(sent):]):
        if _MARKER.match(nxt) or len(out) + len(nxt) > limit:
            break
        out += nxt
        if not nxt.endswith(("；", ";")):
            break
    return out


_ASK_LIST = re.compile(r"哪些|哪几|有什么|包括什么|需要什么|什么材料|什么条件")
_ITEM_LABEL = re.compile(r"^(?:[(（]?\d+[)）.]?|[(（][一二三四五六七八九十]+[)）]|[①-⑳])$")


def _list_items(library: Library, h: Hit, limit: int = 6) -> list[tuple[str, Hit]]:
    """The numbered items of the list ``h`` stands in ("(1)…(2)…(3)…" under "应提供："), so a
    哪些 question gets the whole list, each item cited."""
    doc = library.document(h.doc_key)
    if doc is None:
        return []
    by_cid = {p.cid: p for p in doc.provisions}
    node = by_cid.get(h.cid)
    while node is not None and not _ITEM_LABEL.match(node.label or ""):
        node = by_cid.get(node.parent) if node.parent else None
    if node is None or not node.parent:
        return []
    items = [p for p in doc.provisions if p.parent == node.parent and _ITEM_LABEL.match(p.label or "")]
    if not 2 <= len(items) <= limit:
        return []
    out = []
    for p in items:
        first = (sentences(p.text) or [p.text])[0]
        out.append((first, Hit(cid=p.cid, doc_key=h.doc_key, doc_title=h.doc_title, doc_number=h.doc_number,
                               issuers=h.issuers, date=h.date, doc_type=h.doc_type, heading_path=h.heading_path,
                               text=p.text, raw=p.raw, snippet=p.text[:90], score=0.0, source=h.source,
                               line_start=p.line_start, line_end=p.line_end, kind=p.kind)))
    return out


def _responsible_units(library: Library, h: Hit) -> tuple[str, Hit] | None:
    """The "主要责任单位：…" line that belongs to ``h`` (a child, or a sibling right after it)."""
    doc = library.document(h.doc_key)
    if doc is None:
        return None
    provs = doc.provisions
    idx = next((i for i, p in enumerate(provs) if p.cid == h.cid), None)
    if idx is None:
        return None
    for p in provs[idx + 1: idx + 6]:
        inside = p.parent == h.cid or p.cid.startswith(h.cid + "/")
        if not inside and p.parent != provs[idx].parent:
            break
        m = _UNIT_LINE.search(p.text)
        if m:
            sent = p.text.strip()
            return sent, Hit(cid=p.cid, doc_key=h.doc_key, doc_title=h.doc_title, doc_number=h.doc_number,
                             issuers=h.issuers, date=h.date, doc_type=h.doc_type, heading_path=h.heading_path,
                             text=p.text, raw=p.raw, snippet=p.text[:90], score=0.0, source=h.source,
                             line_start=p.line_start, line_end=p.line_end, kind=p.kind)
        if not inside and _MARKER.match(p.text):
            break
    return None


def _supporting_quantity(sc: Scorer, scored: list, unit: re.Pattern) -> tuple | None:
    """A sentence stating the asked quantity elsewhere in the document that best covers the
    question (a fee table, a later clause), tied to it by the question's rarest term.

    Multi-part questions ("她能用吗？一次补贴多少钱？") are answered by two places of one
    document; a quantity from an unrelated document is not an answer.
    """
    best = next((x for x in scored if x[1] >= ABSTAIN_BELOW), None)
    if best is None:
        return None
    own = [t for t in sc.terms if sc.idf.get(t, 0) > 0 and sc._has(t, best[3]) >= 1]
    key = sorted(own, key=lambda t: -sc.idf[t])[:SUPPORT_KEYS]
    for x in scored:
        if unit.search(x[3]) and x[4].doc_key == best[4].doc_key and x[1] >= SUPPORT_MIN and \
                any(sc._has(t, x[3]) >= 1 for t in key):
            return x
    return None


def compose(library: Library, question: str, *, k: int = 10) -> Answer:
    res = search(library, question, per_page=POOL, facets=False)
    if not res.hits:
        return Answer(question, f"{ABSTAIN_PREFIX}与此问题相关的内容。", True)
    sc = Scorer(library, question)
    unit = asked_unit(question)
    top_bm25 = res.hits[0].score or 1.0
    scored: list[tuple[float, float, bool, str, Hit]] = []  # (score, coverage, states unit, sentence, hit)
    best_by_hit: dict[str, float] = {}
    for rank, h in enumerate(res.hits):
        ctx, path = _context(h), " ".join(h.heading_path)
        prior = 0.1 * (h.score / top_bm25)
        units = [h.text] if h.kind == "row" else (sentences(h.text) or [h.text])
        for s in units:
            cov = sc.coverage(s, ctx, h.text, path)
            own = sc.specific(s + " " + path, ctx)  # what it states beyond the document title
            has_unit = bool(unit and unit.search(s))
            total = ((1 - SPECIFIC_SHARE) * cov + SPECIFIC_SHARE * own + intent_bonus(question, s)
                     + (0.2 if has_unit else 0.0) + prior - 0.002 * rank)
            scored.append((total, cov, has_unit, s, h))
            best_by_hit[h.cid] = max(best_by_hit.get(h.cid, 0.0), total)
    scored.sort(key=lambda x: -x[0])
    # Passages re-ranked by their best sentence: the provision that states the answer first.
    passages = sorted(res.hits, key=lambda h: -(best_by_hit.get(h.cid, 0.0)
                                                + BM25_MIX * h.score / top_bm25))[:k]
    best_cov = max(x[1] for x in scored)
    relevant = [x for x in scored if x[1] >= ABSTAIN_BELOW]
    support = None
    usable = relevant
    if unit and relevant:
        # The quantity must come from a sentence about as relevant as the best one, or from the
        # best one's own document (tied by the question's rarest term), never from a weaker
        # neighbour in another document.
        support = _supporting_quantity(sc, scored, unit)
        usable = relevant[:1] if support else [x for x in relevant if x[2] and x[1] >= STATED_SHARE * best_cov]
    elif relevant and _ASK_BENEFIT.search(question) and not _MONEY.search(relevant[0][3]):
        support = _supporting_quantity(sc, scored, _MONEY)  # 有补贴吗 → say how much when stated
    if not usable:
        near = "；".join(f"《{h.doc_title}》{h.cid}" for h in passages[:3])
        what = "所问的具体数额或期限" if unit and best_cov >= ABSTAIN_BELOW else "能直接回答该问题的规定"
        return Answer(question, f"{ABSTAIN_PREFIX}{what}。最接近的条文：{near}。", True,
                      passages=passages, coverage=best_cov)
    best_total = usable[0][0]
    chosen: list[tuple[str, Hit]] = []
    for total, cov, _u, s, h in scored:
        if len(chosen) >= MAX_SENTENCES or total < 0.8 * best_total:
            break
        if cov < ABSTAIN_BELOW or any(s in c or c in s for c, _ in chosen):
            continue
        if h.doc_key != usable[0][4].doc_key and (unit or support or cov < OTHER_DOC_SHARE * best_cov):
            continue  # another document only when it is about as relevant
        chosen.append((s, h))
    if not any(s == usable[0][3] for s, _ in chosen):
        chosen.insert(0, (usable[0][3], usable[0][4]))
    if support:
        chosen = [*chosen[:MAX_SENTENCES - 1], (support[3], support[4])]
    if _ASK_LIST.search(question):
        items = _list_items(library, chosen[0][1])
        if items:
            chosen = [c for c in chosen if c[1].doc_key == chosen[0][1].doc_key][:1] + items
    if _ASK_AGENCY.search(question) and not any(_AGENCY.search(s) for s, _ in chosen):
        units = _responsible_units(library, chosen[0][1])
        if units:
            chosen.append(units)
    parts, sents = [], []
    cited: dict[str, Hit] = {}
    for s, h in chosen[:MAX_SENTENCES + 6]:
        tail = _tail_units(h.text, s)
        body = _continued(h.text, s) + (tail or "")
        if any(body in b.text or s in b.text for b in sents):
            continue
        covered = [i for i, b in enumerate(sents) if b.text in body]  # an earlier clause of this one
        for i in reversed(covered):
            del sents[i], parts[i]
        sents.append(AnswerSentence(body, h.cid, h.doc_title))
        parts.append(f"据《{h.doc_title}》：{body}[{h.cid}]")
        cited.setdefault(h.cid, h)
    # Provisions the answer cites that retrieval did not rank (list items, 责任单位 lines fetched
    # from the document) follow the best passage: the answer judged them part of it.
    ranked = {h.cid for h in passages}
    extra = [h for cid, h in cited.items() if cid not in ranked]
    passages = [*passages[:1], *extra, *passages[1:]][:k]
    return Answer(question, "\n".join(parts), False, sents, passages, best_cov)
