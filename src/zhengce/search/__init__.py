"""一网通查: provision-level search over the library.

The public API is one function, :func:`search`, and the result dataclasses below; the CLI, the
REST API and the web UI all call it. Two backends answer it the same way: an embedded tantivy
index in ``Library.data_dir`` (default, chosen by measurement: see benchmarks/search.py) and a
PostgreSQL full-text path over pre-segmented text (used when the library lives in PostgreSQL, so
several servers share one index). Both index the same segmentation (rjieba plus a domain
dictionary and synonym table harvested from the library).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..library import Library


@dataclass(slots=True)
class Hit:
    """One matching provision, ready to show: where it stands and why it matched."""

    cid: str  # citation id, e.g. 京政发〔2021〕24号/二/(一)/3
    doc_key: str
    doc_title: str
    doc_number: str | None
    issuers: list[str]
    date: dt.date | None
    doc_type: str | None
    heading_path: list[str]  # labels/headings of the ancestors, outermost first
    text: str  # the provision's normalised text (search copy)
    raw: str  # the provision's raw text (display copy)
    snippet: str  # short excerpt around the matched terms, matches wrapped in <mark>…</mark>
    score: float
    source: str = ""  # file name
    line_start: int = 0
    line_end: int = 0
    kind: str = ""  # provision kind: heading | paragraph | row | table | preamble | attachment


@dataclass(slots=True)
class SearchResult:
    """A page of hits plus what the whole result set looks like (total, facet counts)."""

    query: str
    terms: list[str]  # the query terms actually searched (after segmentation and synonyms)
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    # facet name -> list of (value, count), most frequent first: "issuer", "doc_type", "year"
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    backend: str = "tantivy"


def search(library: Library, query: str = "", *, issuer: str | None = None,
           doc_number: str | None = None, since: dt.date | str | None = None,
           until: dt.date | str | None = None, doc_type: str | None = None,
           level: str | None = None, district: str | None = None,
           page: int = 1, per_page: int = 10, facets: bool = True) -> SearchResult:
    """Ranked (BM25, any-term) provision search with filters, facets and pagination.

    ``issuer`` matches any issuer containing the string (西城 finds 北京市西城区人民政府);
    ``doc_number`` accepts any bracket style or spacing (京政发[2021] 24号); ``since``/``until``
    bound the 成文日期 (ISO strings accepted); ``level`` is 市 or 区. An empty query with
    filters lists the matching provisions in document order.
    """
    from .engine import run_search
    return run_search(library, query, issuer=issuer, doc_number=doc_number, since=since, until=until,
                      doc_type=doc_type, level=level, district=district, page=page, per_page=per_page,
                      facets=facets)


# Importing the index module registers its POST_INGEST hook: a process that searches refreshes
# its index right after it ingests (others are caught by the freshness check before a query).
from . import index as _index  # noqa: E402,F401

__all__ = ["Hit", "SearchResult", "search"]
