"""What both backends index: one record per provision, built from a parsed ``Document``.

Every text is segmented once here (body, document context, heading path), whichever backend
stores the result; facet values come from the ``FACETS`` declarations once per document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Document
from .facets import doc_values
from .segment import Segmenter, harvest_terms


@dataclass(slots=True)
class Record:
    cid: str
    doc_key: str
    source: str  # file name (what hits show)
    source_path: str  # the source's identity in the store (what re-ingest replaces)
    seq: int
    body: str  # whitespace-joined terms of the provision text
    ctx: str  # … of the document title, short title and 文号
    path: str  # … of the heading path (and a table row's header)
    day: int  # 成文日期 as yyyymmdd, 0 when unknown
    facets: dict[str, list[str]]
    meta: dict  # stored with the record: heading path, the source's sha256 and identity (``shown``)


def heading_paths(doc: Document) -> dict[str, list[str]]:
    """cid -> ancestor labels/headings, outermost first, from the provision tree's parent links."""
    by_cid = {p.cid: p for p in doc.provisions}
    out: dict[str, list[str]] = {}
    for p in doc.provisions:
        path, parent, guard = [], p.parent, 0
        while parent and parent in by_cid and guard < 20:
            a = by_cid[parent]
            path.append(f"{a.label} {a.heading}".strip() if a.heading else a.label)
            parent, guard = a.parent, guard + 1
        out[p.cid] = path[::-1]
    return out


def doc_context(doc: Document) -> str:
    return " ".join(t for t in (doc.title, doc.short_title or "", doc.doc_number or "") if t)


def records(seg: Segmenter, doc: Document, sha: str = "") -> list[Record]:
    """The index records of one document's non-empty provisions.

    Each provision text is segmented once; the document context once per document; a heading
    path once per distinct path (siblings share it).
    """
    paths = heading_paths(doc)
    token_text = seg.token_text
    ctx = token_text(doc_context(doc))
    day = int(doc.date.strftime("%Y%m%d")) if doc.date else 0
    facets = doc_values(doc)
    key, source, sp = doc.key, doc.source, doc.source_path or doc.source
    path_tokens: dict[str, str] = {}
    out = []
    for p in doc.provisions:
        text = p.text
        if not text or text.isspace():
            continue
        path = paths[p.cid]
        pkey = " ".join(path)
        if p.kind == "row":
            pkey += " " + " ".join(p.header or [])
        toks = path_tokens.get(pkey)
        if toks is None:
            toks = path_tokens[pkey] = token_text(pkey) if pkey.strip() else ""
        meta = {"path": path, "sha": sha, "sp": sp}
        out.append(Record(p.cid, key, source, sp, p.seq, token_text(text), ctx, toks, day, facets, meta))
    return out


def harvest(docs: Iterable[Document]) -> tuple[set[str], list[list[str]]]:
    """Domain words and synonym pairs the documents define (see ``segment.harvest_terms``)."""
    words: set[str] = set()
    pairs: list[list[str]] = []
    for d in docs:
        w, p = harvest_terms(d.title, d.text or d.raw)
        words |= w
        pairs += p
        words.update(i for i in d.issuers or [] if i)
        if d.short_title and len(d.short_title) <= 12:
            words.add(d.short_title)
    return words, pairs
