"""tasks measure: implementation tasks (shared/eval/README.md, tasks.jsonl).

How this module reads the rules:

- Found tasks are what a user sees: ``track.list_tasks`` over a fresh library of the gold's
  sources. A task's text is its 重点任务/heading plus its measure (``Task.full_text``).
- Recall: a gold task is found when a task from the same source file contains its quote
  (``normalize`` rule). Matching is one-to-one in gold order; among several candidates the one
  from the gold's document, then the shortest text, is taken.
- units_exact (over matched): the lead-unit set and the co-unit set both equal the gold's, names
  compared after ``normalize`` (as written, no alias folding). deadline_exact (over matched): the
  resolved ISO date equals the gold's (both null counts as exact).
- Gold document: a gold line names its document by ``doc_number`` (the 文号 the documents carry)
  or, when that is null, by ``doc_title`` (compared with a document's title or short_title). When
  no document of the source has that 文号/title, the documents holding the matched tasks stand in.
- Precision: over the documents that have gold tasks, the share of found tasks whose text
  contains some gold quote of that document.
"""

from __future__ import annotations

from pathlib import Path

from .common import Score, fresh_library, load_gold, normalize, ratio


def _doc_ids(g: dict, docs) -> set[str]:
    if g.get("doc_number"):
        return {d.key for d in docs if d.source == g["source"] and d.doc_number == g["doc_number"]}
    title = normalize(g.get("doc_title") or "")
    if not title:
        return set()
    return {d.key for d in docs if d.source == g["source"]
            and title in (normalize(d.title or ""), normalize(d.short_title or ""))}


def score(gold_dir: Path, corpus_dir: Path) -> Score:
    from ..track import list_tasks
    gold = load_gold(gold_dir, "tasks")
    sources = {g["source"] for g in gold}
    with fresh_library(corpus_dir, sources) as lib:
        found = [t for t in list_tasks(lib) if t.source in sources]
        docs = lib.documents()
    texts = {t.id: normalize(f"{t.title or t.parent_task or ''}：{t.text}") for t in found}
    misses: list[str] = []
    used: set[str] = set()
    gold_docs: set[str] = set()
    pairs = []
    for g in gold:
        q = normalize(g["quote"])
        want = _doc_ids(g, docs)
        gold_docs |= want
        cands = [t for t in found if t.id not in used and t.source == g["source"] and q in texts[t.id]]
        if not cands:
            misses.append(f"[task] {g['source']} {g.get('doc_number') or g.get('doc_title')}: {g['quote']}")
            continue
        cands.sort(key=lambda t: (t.doc_key not in want, len(texts[t.id])))
        t = cands[0]
        used.add(t.id)
        if not want:
            gold_docs.add(t.doc_key)
        pairs.append((g, t))
    ok_units = ok_deadline = 0
    for g, t in pairs:
        lead = {normalize(u) for u in t.lead_units}
        co = {normalize(u) for u in t.co_units}
        if lead == {normalize(u) for u in g["lead_units"]} and co == {normalize(u) for u in g["co_units"]}:
            ok_units += 1
        else:
            misses.append(f"[units] {g['quote']}: want {g['lead_units']}/{g['co_units']} "
                          f"got {t.lead_units}/{t.co_units}")
        got = t.deadline.isoformat() if t.deadline else None
        if got == g["deadline"]:
            ok_deadline += 1
        else:
            misses.append(f"[deadline] {g['quote']}: want {g['deadline']} got {got} ({t.deadline_raw})")
    quotes_by_doc: dict[str, list[str]] = {}
    for g in gold:
        for k in _doc_ids(g, docs) or {t.doc_key for gg, t in pairs if gg is g}:
            quotes_by_doc.setdefault(k, []).append(normalize(g["quote"]))
    scored = [t for t in found if t.doc_key in gold_docs]
    good = 0
    for t in scored:
        if any(q in texts[t.id] for q in quotes_by_doc.get(t.doc_key, [])):
            good += 1
        else:
            misses.append(f"[extra] {t.doc_key}: {t.text[:60]}")
    n = len(pairs)
    return Score("tasks", len(gold), {
        "recall": ratio(n, len(gold)),
        "precision": ratio(good, len(scored)),
        "units_exact": ratio(ok_units, n),
        "deadline_exact": ratio(ok_deadline, n),
    }, misses)
