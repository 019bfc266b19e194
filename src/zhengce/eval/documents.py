"""documents measure: splitting files into 公文 (shared/eval/README.md, documents.jsonl).

A found document matches a gold one when their normalised titles are equal, or either one's
normalised short_title equals the other's short_title or title. Matching is one-to-one, in
gold order. Field shares are over matched documents.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document
from .common import Score, fresh_library, load_gold, normalize, ratio


def _keys(title: str | None, short: str | None) -> tuple[str, str | None]:
    return normalize(title or ""), normalize(short) if short else None


def matches(found: Document, gold: dict) -> bool:
    ft, fs = _keys(found.title, found.short_title)
    gt, gs = _keys(gold["title"], gold.get("short_title"))
    if ft == gt:
        return True
    if fs and fs in (gs, gt):
        return True
    return bool(gs and gs == ft)


def score(gold_dir: Path, corpus_dir: Path) -> Score:
    gold = load_gold(gold_dir, "documents")
    sources = {g["source"] for g in gold}
    with fresh_library(corpus_dir, sources) as lib:
        found = [d for d in lib.documents() if d.source in sources]
        bodies = {d.key: (lib.document(d.key) or d) for d in found}
    used: set[str] = set()
    pairs: list[tuple[dict, Document]] = []
    misses: list[str] = []
    for g in gold:
        cand = next((d for d in found if d.key not in used and d.source == g["source"] and matches(d, g)), None)
        if cand is None:
            misses.append(f"[document] {g['source']}: {g['title']}")
            continue
        used.add(cand.key)
        pairs.append((g, cand))
    for d in found:
        if d.key not in used:
            misses.append(f"[extra] {d.source}: {d.title}")
    ok = {"doc_number": 0, "date": 0, "issuers": 0, "body": 0}
    for g, d in pairs:
        full = bodies[d.key]
        if (d.doc_number or None) == g["doc_number"]:
            ok["doc_number"] += 1
        else:
            misses.append(f"[doc_number] {g['title']}: want {g['doc_number']} got {d.doc_number}")
        got_date = d.date.isoformat() if d.date else None
        if got_date == g["date"]:
            ok["date"] += 1
        else:
            misses.append(f"[date] {g['title']}: want {g['date']} got {got_date}")
        if (d.issuers or None) == g["issuers"]:
            ok["issuers"] += 1
        else:
            misses.append(f"[issuers] {g['title']}: want {g['issuers']} got {d.issuers}")
        q = normalize(g["body_quote"])
        if q in normalize(full.raw) or q in normalize(full.text):
            ok["body"] += 1
        else:
            misses.append(f"[body] {g['title']}: quote not in body: {g['body_quote']}")
    n = len(pairs)
    return Score("documents", len(gold), {
        "recall": ratio(n, len(gold)),
        "precision": ratio(n, len(found)),
        "doc_number": ratio(ok["doc_number"], n),
        "date": ratio(ok["date"], n),
        "issuers": ratio(ok["issuers"], n),
        "body": ratio(ok["body"], n),
    }, misses)
