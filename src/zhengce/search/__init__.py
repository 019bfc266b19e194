"""一网通查: provision-level search over the library.

The public API is :func:`search` and the result dataclasses; the CLI, the REST API and the web UI
all call it. One backend protocol (``backend.SearchBackend``: build, update, delete, search,
facets) has two implementations, chosen by the store URL and opened by the ``Library`` itself
(``Library.search_index``): an embedded tantivy index in ``Library.data_dir`` (default, chosen by
measurement: see benchmarks/search.py) and PostgreSQL full-text rows written in the store's own
transactions (so several servers share one index). Both index the same records (``records.py``:
rjieba segmentation with the store's domain dictionary), and both read the facet declarations
in ``facets.py`` — adding a filter/facet is one ``FACETS.append(Facet(...))`` line.

Module map (imports only point down the list, no cycles): ``types`` → ``segment`` → ``facets`` →
``snippets`` → ``records`` → ``backend`` → ``tantivy_query`` / ``tantivy_backend`` /
``pg_backend`` → ``engine`` → this package.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .types import Hit, SearchResult

if TYPE_CHECKING:
    from ..library import Library


def search(library: Library, query: str = "", *, issuer: str | None = None,
           doc_number: str | None = None, since: dt.date | str | None = None,
           until: dt.date | str | None = None, doc_type: str | None = None,
           level: str | None = None, district: str | None = None,
           page: int = 1, per_page: int = 10, facets: bool = True, **facet_filters: str | None) -> SearchResult:
    """Ranked (BM25, any-term) provision search with filters, facets and pagination.

    ``issuer`` matches any issuer containing the string (西城 finds 北京市西城区人民政府);
    ``doc_number`` accepts any bracket style or spacing (京政发[2021] 24号); ``since``/``until``
    bound the 成文日期 (ISO strings accepted); ``level`` is 市 or 区; any other declared facet
    (``facets.FACETS``) filters by keyword. An empty query with filters lists the matching
    provisions in document order.
    """
    from .engine import run_search
    return run_search(library, query, issuer=issuer, doc_number=doc_number, since=since, until=until,
                      doc_type=doc_type, level=level, district=district, page=page, per_page=per_page,
                      facets=facets, **facet_filters)


__all__ = ["Hit", "SearchResult", "search"]
