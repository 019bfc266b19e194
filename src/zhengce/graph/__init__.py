"""The policy graph over the library: typed links both ways, 时效性 of any document on any date.

References are stored as the citing text states them (title / 文号 / relation) with match keys;
resolution to library documents happens here, at read time, so an unresolved target is a *stub node*
(data, not an error) until a later ingest brings the document it names — then the same rows resolve.

- :class:`Resolver` — title / short title / 以下简称 / 文号 (any spelling) → document key.
- :func:`outgoing`, :func:`incoming` — a document's references and the references to it, typed.
- :func:`validity_of` — ``zhengce.validity`` fed with the document's clauses and the acts on it.
- :func:`neighbourhood` — nodes and typed edges around a document (``/api/documents/{key}/graph``).
- :func:`refresh_status` — POST_INGEST hook keeping ``documents.status`` (the search facet) current.
"""

from __future__ import annotations

from .service import (
    Resolver,
    incoming,
    neighbourhood,
    outgoing,
    refresh_status,
    status_now,
    validity_of,
)


def _register() -> None:
    """Keep 时效性 current after every ingest (first, so index refreshes that follow see it), and
    declare the 时效性 search filter/facet over ``Document.status``."""
    from ..library import POST_INGEST
    from ..search.facets import FACETS, Facet
    if refresh_status not in POST_INGEST:
        POST_INGEST.insert(0, refresh_status)
    if not any(f.name == "validity" for f in FACETS):
        FACETS.append(Facet("validity", "时效性", lambda d: [d.status] if d.status else [], size=10))


_register()

__all__ = ["Resolver", "incoming", "neighbourhood", "outgoing", "refresh_status", "status_now", "validity_of"]
