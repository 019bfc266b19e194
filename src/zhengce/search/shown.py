"""A page of hits made ready to show from the store's own rows, by primary key (both backends).

Neither index stores display text: a provision's text, raw text, lines and kind, its
document's title, 文号, issuers, date and 文种 are read from ``provisions`` / ``documents`` for
the ten rows of a page (one query, ~1 ms). Stored in the index they were two thirds of it
(1.26 of 1.9 GB at 53,000 documents): written, compressed and merged again and again during an
ingest, and every page of them mapped into the ingest process while tantivy merged its largest
segments (a 1.6 GB peak at 100,000 documents).

The same query gives each source's current sha256: a hit indexed from a version the store no
longer holds (a writer between its store and index commits) is dropped, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select

from ..store.base import chunks
from ..store.documents import documents, provisions, sources
from .snippets import snippet
from .types import Hit


@dataclass(slots=True)
class Found:
    """What the index holds of a hit: where it stands, the version it was indexed from, its score."""

    cid: str
    doc_key: str
    source: str
    source_path: str
    heading_path: list[str]
    sha: str
    score: float


_SHOWN = (select(provisions.c.cid, provisions.c.text, provisions.c.raw, provisions.c.line_start,
                 provisions.c.line_end, provisions.c.kind, documents.c.title, documents.c.issuers,
                 documents.c.date, documents.c.doc_number, documents.c.doc_type, sources.c.sha256)
          .select_from(provisions.join(documents, documents.c.key == provisions.c.doc_key)
                       .join(sources, sources.c.source_path == documents.c.source_path)))


def shown_hits(engine, found: list[Found], forms: re.Pattern | None) -> list[Hit]:
    """``found`` as hits in the same order, minus those the store no longer holds as indexed."""
    if not found:
        return []
    rows = {}
    with engine.connect() as conn:
        for part in chunks(sorted({f.cid for f in found})):
            rows.update((r.cid, r) for r in conn.execute(_SHOWN.where(provisions.c.cid.in_(part))))
    hits = []
    for f in found:
        r = rows.get(f.cid)
        if r is None or (f.sha and r.sha256 != f.sha):
            continue
        hits.append(Hit(cid=f.cid, doc_key=f.doc_key, doc_title=r.title, doc_number=r.doc_number or None,
                        issuers=r.issuers or [], date=r.date, doc_type=r.doc_type or None,
                        heading_path=f.heading_path, text=r.text, raw=r.raw or r.text,
                        snippet=snippet(r.text, forms), score=f.score, source=f.source,
                        line_start=r.line_start, line_end=r.line_end, kind=r.kind or "", sha=r.sha256,
                        source_path=f.source_path))
    return hits
