"""references measure: the policy graph (shared/eval/README.md, references.jsonl).

A found relation matches a gold one when it comes from the gold's citing document (same source file,
and the same canonical 文号 — or, when the gold has none, the document whose title or short title is the
gold's ``doc_title``) and its target has the same canonical 文号, or — when the gold has no target
文号 — the same normalised title (the title the text gave, or the 以下简称 alias it used). 文号 compare by
:func:`~zhengce.extract.docnum.number_key`, so 国务院令第735号 = 国令第735号.

``recall`` is matched / gold; ``relation_exact`` is the share of matched gold items for which a found
relation of that document and target carries the gold's relation (each found (document, target,
relation) serves one gold item).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ..extract.docnum import canonical_doc_number, number_key
from ..store import documents as store_docs
from .common import Score, fresh_library, load_gold, normalize, ratio


def _num(s: str | None) -> str | None:
    return number_key(canonical_doc_number(s) or s) if s else None


def _found(lib, sources: set[str]) -> tuple[list[dict], dict[str, list[dict]]]:
    """Documents of the gold's sources and their references, as plain rows."""
    d, r = store_docs.documents, store_docs.references
    with lib.engine.connect() as conn:
        docs = [dict(x._mapping) for x in conn.execute(
            select(d.c.key, d.c.source, d.c.title, d.c.short_title, d.c.doc_number))]
        refs: dict[str, list[dict]] = {}
        for x in conn.execute(select(r.c.doc_key, r.c.title, r.c.doc_number, r.c.alias, r.c.relation)):
            refs.setdefault(x.doc_key, []).append(dict(x._mapping))
    return [x for x in docs if Path(x["source"]).name in sources], refs


def _citing(docs: list[dict], g: dict) -> list[dict]:
    same = [x for x in docs if Path(x["source"]).name == g["source"]]
    if g.get("doc_number"):
        want = _num(g["doc_number"])
        return [x for x in same if _num(x["doc_number"]) == want]
    t = normalize(g.get("doc_title") or "")
    return [x for x in same if t and t in (normalize(x["title"] or ""), normalize(x["short_title"] or ""))]


def _hits_target(ref: dict, g: dict) -> bool:
    if g.get("target_doc_number"):
        return _num(ref["doc_number"]) == _num(g["target_doc_number"])
    t = normalize(g.get("target_title") or "")
    return bool(t) and t in (normalize(ref["title"] or ""), normalize(ref["alias"] or ""))


def score(gold_dir: Path, corpus_dir: Path) -> Score:
    gold = load_gold(gold_dir, "references")
    sources = {g["source"] for g in gold}
    misses: list[str] = []
    with fresh_library(corpus_dir, sources) as lib:
        docs, refs = _found(lib, sources)
    matched = right = 0
    used: set[tuple] = set()
    for g in gold:
        cands = [(x["key"], i, ref) for x in _citing(docs, g)
                 for i, ref in enumerate(refs.get(x["key"], [])) if _hits_target(ref, g)]
        who = g.get("doc_number") or g.get("doc_title")
        what = g.get("target_doc_number") or g.get("target_title")
        if not cands:
            misses.append(f"[relation] {g['source']} {who} → {what} ({g['relation']}): {g['quote']}")
            continue
        matched += 1
        exact = [(k, i, ref) for k, i, ref in cands
                 if ref["relation"] == g["relation"] and (k, ref["relation"], what) not in used]
        if exact:
            right += 1
            used.add((exact[0][0], g["relation"], what))
        else:
            got = sorted({ref["relation"] for _, _, ref in cands})
            misses.append(f"[relation_type] {who} → {what}: want {g['relation']} got {'/'.join(got)}: "
                          f"{g['quote']}")
    return Score("references", len(gold), {
        "recall": ratio(matched, len(gold)),
        "relation_exact": ratio(right, matched),
    }, misses)
