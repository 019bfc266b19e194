"""The search entry points every face uses: filters validated against the facet declarations,
the library's backend asked (each shows hits of the source versions the store holds only).

``snippet``, ``segmenter_for``, ``term_idf`` and ``term_df`` are public (the answer composer and
the web UI use them); the backends live in ``tantivy_backend`` / ``pg_backend``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from ..errors import InvalidInput
from . import facets as facet_decl
from .segment import Segmenter
from .snippets import forms_pattern, parse_day, snippet, term_forms  # noqa: F401  (public names)
from .types import SearchResult

if TYPE_CHECKING:
    from ..library import Library


def filters_of(since=None, until=None, **values) -> dict:
    """Validated filters: facet values (normalised as declared) and 成文日期 bounds."""
    out: dict = {"since": parse_day(since, "since"), "until": parse_day(until, "until")}
    for name, value in values.items():
        f = facet_decl.facet(name)
        if f is None:
            raise InvalidInput(f"unknown search filter: {name}", field=name)
        if value is None or value == "":
            continue
        value = str(value).strip()
        out[name] = f.normalize(value) if f.normalize else value
    return out


def run_search(library: Library, query: str, *, page: int = 1, per_page: int = 10, facets: bool = True,
               since=None, until=None, **values) -> SearchResult:
    filters = filters_of(since, until, **values)
    page, per_page = max(1, int(page)), max(1, min(int(per_page), 200))
    return library.search_index.search(query, filters, page, per_page, facets)


def segmenter_for(library: Library) -> Segmenter:
    """The segmenter (with the library's domain dictionary) queries of ``library`` use."""
    return library.search_index.segmenter()


def term_idf(library: Library, terms: list[str]) -> dict[str, float]:
    """BM25-style IDF of each term over provision bodies (rare terms weigh more)."""
    n, dfs = library.search_index.doc_freqs(terms)
    return {t: math.log(1 + (n - dfs[t] + 0.5) / (dfs[t] + 0.5)) for t in terms}


def term_dfs(library: Library, terms: list[str]) -> dict[str, int]:
    """How many provisions contain each of ``terms``, in one index visit (0: never used)."""
    return library.search_index.doc_freqs(terms)[1] if terms else {}


def term_df(library: Library, term: str) -> int:
    """How many provisions contain ``term`` (0: the library never uses it)."""
    return library.search_index.doc_freqs([term])[1][term]


__all__ = ["forms_pattern", "run_search", "segmenter_for", "snippet", "term_df", "term_dfs", "term_forms", "term_idf"]
