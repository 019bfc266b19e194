"""Result types every search backend returns (kept apart so backends import no engine code)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Documents a bounded query ranks its provisions in, per this many provisions paged (both backends
# rank documents first when a query matches too much to score every provision)
CANDIDATE_DOCUMENTS = 250


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
    sha: str = ""  # sha256 of the source file version this hit was indexed from
    source_path: str = ""  # the source's identity (path below the ingest root)


@dataclass(slots=True)
class SearchResult:
    """A page of hits plus what the whole result set looks like (totals, facet counts).

    Like Elasticsearch's ``track_total_hits``: ``documents`` (matching documents) is always
    exact, ``total`` (matching provisions) is exact when ``total_relation == "eq"`` and a lower
    bound when ``"gte"`` (counting every match of a common query at 100,000 documents costs
    more than the search). Facet counts are documents per value, as policy portals show them.
    """

    query: str
    terms: list[str]  # the query terms actually searched (after segmentation and synonyms)
    total: int
    page: int
    per_page: int
    hits: list[Hit] = field(default_factory=list)
    # facet name -> list of (value, matching documents), most first: "issuer", "doc_type", "year", …
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    backend: str = "tantivy"
    documents: int = 0  # matching documents (exact)
    total_relation: str = "eq"  # "eq": ``total`` is exact; "gte": it is a lower bound
