"""Answer composition: the direct answer first, then what bears on it, every line cited — or abstain.

The statement that answers is the best-scoring sentence that passes every rule of
``stated.check`` (the asked kind of value, about that subject, year and place). Around it come
only lines that bear on the question: the 责任单位 line of a "找哪个部门" question, the numbered
items of a "哪些材料" question, the eligibility sentence of a "她能用吗？补贴多少" question, the fee
row that states the asked sum. A table row is rendered with its header ("上门理发：服务频次每月1次，
补贴标准30元"). Nothing passes → "未在已收录的政策文件中找到…" with the reason and the nearest
provisions.
"""

from __future__ import annotations

import re

from ..library import Library
from ..search import Hit, search
from . import ABSTAIN_PREFIX, Answer, AnswerSentence
from .question import AGENCY, Question, analyze
from .select import Candidate, Scorer, score_candidates, sentences
from .stated import check, value_ok

# Calibrated on dev and on tests/data/questions-own (coverage of content terms by the best
# sentence + its context): below it the best evidence states too little of what was asked.
ABSTAIN_BELOW = 0.5
POOL = 100  # provisions re-ranked by sentence evidence
STATED_SHARE = 0.85  # an answering sentence covers at least this share of the best coverage …
SUPPORT_MIN = 0.15  # … or, in the best sentence's own document, states the asked value at this coverage
MAX_LINES = 4

_MARKER = re.compile(r"^\s*(?:[(（]\s*[0-9一二三四五六七八九十]+\s*[)）]|[0-9]+[.．、]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+条)")
_UNIT_LINE = re.compile(r"(?:主要|牵头|主责|责任|协办|配合)单位[：:]|负责部门[：:]")
_ITEM_LABEL = re.compile(r"^(?:[(（]?\d+[)）.]?|[(（][一二三四五六七八九十]+[)）]|[①-⑳])$")
_ASK_LIST = re.compile(r"哪些|哪几|有什么|包括什么|需要什么|什么材料|什么条件")
_NOTE_COLUMN = re.compile(r"^(?:备注|说明|注)$")
_NAME_COLUMN = re.compile(r"项目|名称|服务|类型|事项|内容|对象|类别|指标|任务|措施")


class _Docs:
    """Documents fetched once per answer (list items, 责任单位 lines and table headers need them)."""

    def __init__(self, library: Library):
        self.library = library
        self.cache: dict = {}

    def get(self, key: str):
        if key not in self.cache:
            self.cache[key] = self.library.document(key)
        return self.cache[key]

    def provision(self, h: Hit):
        doc = self.cache.get(h.doc_key)
        if doc is not None:
            return next((p for p in doc.provisions if p.cid == h.cid), None)
        from ..store.documents import get_provision
        with self.library.engine.connect() as conn:  # one row, not the whole document
            return get_provision(conn, h.cid)


def render_row(docs: _Docs, h: Hit) -> str:
    """A table row with its header: "洗浴：补贴标准30元，备注需同性家属陪同时，另加30元"."""
    p = docs.provision(h)
    cells = [c.strip() for c in (p.cells or [])] if p is not None else []
    header = [c.strip() for c in (p.header or [])] if p is not None else []
    if not cells or not header:
        return h.text.replace("；", "，")
    pairs = [(header[i] if i < len(header) else "", c) for i, c in enumerate(cells)]
    pairs = [(hd, c) for hd, c in pairs if c and hd not in ("序号",)]
    if not pairs:
        return h.text
    label = ""
    if _NAME_COLUMN.search(pairs[0][0]) or len(pairs) > 1:
        label, pairs = pairs[0][1], pairs[1:]
    main = [f"{hd}{c}" if hd and not c.startswith(hd) else c for hd, c in pairs if not _NOTE_COLUMN.search(hd)]
    notes = [c for hd, c in pairs if _NOTE_COLUMN.search(hd)]
    body = "，".join(main) + "".join(f"（{n}）" for n in notes)
    return f"{label}：{body}" if label else body


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


def _tail_units(text: str, sent: str) -> str | None:
    """A trailing （责任单位：…）/（市经济和信息化局） right after ``sent`` in the provision."""
    i = text.find(sent)
    if i < 0:
        return None
    rest = text[i + len(sent): i + len(sent) + 80]
    m = re.match(r"\s*([（(][^（()）]{2,60}[)）])", rest)
    return m.group(1) if m and AGENCY.search(m.group(1)) else None


def _hit_for(h: Hit, p) -> Hit:
    return Hit(cid=p.cid, doc_key=h.doc_key, doc_title=h.doc_title, doc_number=h.doc_number,
               issuers=h.issuers, date=h.date, doc_type=h.doc_type, heading_path=h.heading_path,
               text=p.text, raw=p.raw, snippet=p.text[:90], score=0.0, source=h.source,
               line_start=p.line_start, line_end=p.line_end, kind=p.kind)


def _list_items(docs: _Docs, h: Hit, limit: int = 6) -> list[tuple[str, Hit]]:
    """The numbered items of the list ``h`` stands in ("(1)…(2)…(3)…" under "应提供："), so a
    哪些 question gets the whole list, each item cited."""
    doc = docs.get(h.doc_key)
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
    return [((sentences(p.text) or [p.text])[0], _hit_for(h, p)) for p in items]


_PROVISION_UNITS = re.compile(r"[（(]([^（()）]{2,80}?(?:负责|牵头|责任单位)[^（()）]{0,40})[)）]")


def _responsible_units(docs: _Docs, h: Hit) -> tuple[str, Hit] | None:
    """The units that answer for ``h``: its own closing "（人力资源社会保障部、财政部负责）", or the
    "主要责任单位：…" line that belongs to it (a child, or a sibling right after it)."""
    own = list(_PROVISION_UNITS.finditer(h.text))
    if own:
        return f"（{own[-1].group(1)}）", h
    doc = docs.get(h.doc_key)
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
        if _UNIT_LINE.search(p.text):
            return p.text.strip(), _hit_for(h, p)
        if not inside and _MARKER.match(p.text):
            break
    return None


def _support(q: Question, sc: Scorer, cands: list[Candidate], best: Candidate) -> Candidate | None:
    """A sentence stating the asked value elsewhere in the best sentence's document (a fee table, a
    later clause), tied to it by the question's rarest terms and passing the same rules."""
    own = [t for t in sc.terms if sc.idf.get(t, 0) > 0 and sc.has(t, best.text + best.path) >= 1]
    key = sorted(own, key=lambda t: -sc.idf[t])[:1]  # the rarest term the best sentence shares
    for c in cands:
        if c is best or c.hit.doc_key != best.hit.doc_key or c.coverage < SUPPORT_MIN:
            continue
        if value_ok(q, c) and any(sc.has(t, c.text) >= 1 for t in key) and check(q, sc, c).ok:
            return c
    return None


def _nearest(passages: list[Hit]) -> str:
    return "；".join(f"《{h.doc_title}》{h.cid}" for h in passages[:3])


def compose(library: Library, question: str, *, k: int = 10) -> Answer:
    q = analyze(question)
    res = search(library, question, per_page=POOL, facets=False)
    if not res.hits:
        return Answer(question, f"{ABSTAIN_PREFIX}与此问题相关的内容。", True, fact=q.fact,
                      analysis=q.to_dict(), reason="与此问题相关的内容")
    sc = Scorer(library, question)
    cands, ranked = score_candidates(sc, q, res.hits)
    passages = ranked[:k]
    best_cov = max(c.coverage for c in cands)
    relevant = [c for c in cands if c.coverage >= ABSTAIN_BELOW]
    docs = _Docs(library)

    primary: Candidate | None = None
    context: Candidate | None = None
    reason = "能直接回答该问题的规定"
    top = relevant[0] if relevant else None
    if top is None and cands:
        reason = check(q, sc, cands[0]).reason or reason  # why even the nearest one does not answer
    if top is not None:
        first = check(q, sc, top)
        reason = first.reason or reason
        for c in relevant:
            if c.coverage < STATED_SHARE * best_cov and c.hit.cid != top.hit.cid:
                continue  # a sentence much weaker than the best never answers for it (its own provision may)
            if check(q, sc, c).ok:
                primary = c
                break
        if primary is None and check(q, sc, top, need_value=False).ok:
            # The best sentence is about the right thing but states no value of the asked kind:
            # the value may stand elsewhere in its document (a fee table, a later clause).
            sup = _support(q, sc, cands, top)
            if sup is not None:
                primary, context = sup, top
        elif primary is not None and primary is not top and primary.hit.doc_key == top.hit.doc_key \
                and check(q, sc, top, need_value=False).ok and q.fact != "what" and "yesno" in q.facts:
            context = top  # "她能用吗？补贴多少？": the eligibility sentence bears on it too
    if primary is None:
        text = f"{ABSTAIN_PREFIX}{reason}。最接近的条文：{_nearest(passages)}。" if passages else \
            f"{ABSTAIN_PREFIX}{reason}。"
        return Answer(question, text, True, passages=passages, coverage=best_cov, fact=q.fact,
                      analysis=q.to_dict(), reason=reason)

    chosen: list[tuple[str, Hit]] = [(primary.text, primary.hit)]
    if context is not None:
        chosen.append((context.text, context.hit))
    if _ASK_LIST.search(q.text) and "how" in q.facts or (q.fact == "who" and _ASK_LIST.search(q.text)):
        items = _list_items(docs, primary.hit)
        if items:
            chosen = [c for c in chosen if c[1].doc_key == primary.hit.doc_key][:1] + items
    if "unit" in q.facts and not any(AGENCY.search(s) for s, _ in chosen) and \
            not _tail_units(primary.hit.text, primary.text):
        units = _responsible_units(docs, primary.hit)
        if units:
            chosen.append(units)
    verdict = None
    if "yesno" in q.facts:
        from .eligibility import judge
        verdict = judge(library, q, [h for _s, h in chosen])
        if verdict is not None and context is not None:
            # conditions first, then the amount: the order a verdict is explained in
            chosen = [c for c in chosen if c[1].cid == context.hit.cid] + \
                [c for c in chosen if c[1].cid != context.hit.cid]
    ans = _render(question, q, chosen, docs, passages, best_cov, k)
    return _with_verdict(ans, verdict) if verdict is not None else ans


def _with_verdict(ans: Answer, e) -> Answer:
    """Put the eligibility verdict first; then the provisions; then amount and how to apply."""
    from .eligibility import verdict_line
    direct = verdict_line(e)
    lines = [f"{direct}[{e.cid}]", *ans.text.splitlines()]
    said = ans.text
    if e.amount and not all(part.strip() in said for part in e.amount.split("，") if part.strip()):
        lines.append(f"标准：{e.amount}[{e.cid}]")
    if e.apply:
        lines.append(f"申请方式：{e.apply}[{e.cid}]")
    ans.text = "\n".join(lines)
    ans.direct = direct
    ans.verdict = e.verdict
    ans.verdict_cid = e.cid
    ans.conditions = [*e.failed, *e.to_check]
    ans.amount = e.amount
    ans.apply = e.apply
    return ans


def _render(question: str, q: Question, chosen: list[tuple[str, Hit]], docs: _Docs, passages: list[Hit],
            best_cov: float, k: int) -> Answer:
    lines, sents = [], []
    cited: dict[str, Hit] = {}
    for s, h in chosen[:MAX_LINES + 6]:
        if h.kind == "row":
            body = render_row(docs, h)
        else:
            body = _continued(h.text, s) + (_tail_units(h.text, s) or "")
        if any(body in b.text or s in b.text for b in sents):
            continue
        covered = [i for i, b in enumerate(sents) if b.text in body]  # an earlier clause of this one
        for i in reversed(covered):
            del sents[i], lines[i]
        sents.append(AnswerSentence(body, h.cid, h.doc_title))
        lines.append(body)
        cited.setdefault(h.cid, h)
    out = []
    seen_docs: set[str] = set()
    for sent in sents:
        lead = "" if sent.doc_title in seen_docs else f"据《{sent.doc_title}》："
        seen_docs.add(sent.doc_title)
        out.append(f"{lead}{sent.text}[{sent.cid}]")
    # Provisions the answer cites that retrieval did not rank (list items, 责任单位 lines fetched
    # from the document) follow the best passage: the answer judged them part of it.
    ranked = {h.cid for h in passages}
    first = [h for cid, h in cited.items() if cid == sents[0].cid]
    extra = [h for cid, h in cited.items() if cid not in ranked and cid != sents[0].cid]
    rest = [h for h in passages if h.cid != sents[0].cid]
    passages = [*(first or passages[:1]), *extra, *rest][:k]
    return Answer(question, "\n".join(out), False, sents, passages, best_cov, fact=q.fact,
                  analysis=q.to_dict(), direct=sents[0].text)
