"""The search entry points every face uses: filters validated against the facet declarations,
the library's backend asked, hits from superseded source versions dropped.

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
    backend = library.search_index
    res = backend.search(query, filters, page, per_page, facets)
    if backend.name != "postgresql" and res.hits:  # PostgreSQL rows commit with the store
        _drop_superseded(library, res)
    return res


def _drop_superseded(library: Library, res: SearchResult) -> None:
    """Hide hits indexed from a source version the store no longer holds (one query per page).

    Only a writer between its store commit and its index commit leaves such hits; they vanish
    from the index at its next commit.
    """
    names = sorted({h.source_path for h in res.hits})
    marks = ", ".join(["?" if library.engine.dialect.paramstyle == "qmark" else "%s"] * len(names))
    with library.engine.connect() as conn:
        now = dict(conn.exec_driver_sql(f"SELECT source_path, sha256 FROM sources WHERE source_path IN ({marks})",
                                        tuple(names)).all())
    keep = [h for h in res.hits if not h.sha or now.get(h.source_path) == h.sha]
    if len(keep) != len(res.hits):
        res.total -= len(res.hits) - len(keep)
        res.hits = keep


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
