"""Search facets and filters, declared as data: one ``Facet`` line per field a user can filter by.

Both backends read this list: tantivy makes one raw, fast field ``f_<name>`` per facet, PostgreSQL
one key of the ``facets`` JSONB column; ``search(…, <name>=value)`` filters on it and, when
``counted``, ``SearchResult.facets[<name>]`` counts its values over the whole result set.

Adding a facet is appending one line (in your own module, imported before the Library opens, or
here)::

    from zhengce.search.facets import FACETS, Facet
    FACETS.append(Facet("subject", "主题分类", lambda d: [d.subject] if d.subject else []))

Values are computed per document at index time (every provision of a document shares them).
The declared list is part of the index schema signature: an index built with other facets is
rebuilt on open, so a new facet never sees half-filled values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from ..extract.docnum import canonical_doc_number
from ..model import Document


@dataclass(frozen=True, slots=True)
class Facet:
    name: str  # keyword argument of search() and key of SearchResult.facets
    label: str  # what the UI shows
    values: Callable[[Document], list[str]]  # a document's values (empty: none)
    match: str = "exact"  # "exact": value equals; "contains": any value containing the filter text
    counted: bool = True  # counted in SearchResult.facets
    size: int = 20  # at most this many values counted, most frequent first
    normalize: Callable[[str], str] | None = None  # applied to a filter value before matching

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name in ("since", "until", "page", "per_page", "facets"):
            raise ValueError(f"facet name must be a free identifier: {self.name!r}")
        if self.match not in ("exact", "contains"):
            raise ValueError(f"facet {self.name}: match must be exact or contains, not {self.match!r}")


def _doc_number(value: str) -> str:
    return canonical_doc_number(value) or value.strip()


def _one(value: str | None) -> list[str]:
    return [value] if value else []


FACETS: list[Facet] = [
    Facet("issuer", "发文机关", lambda d: [i for i in (d.issuers or []) if i], match="contains"),
    Facet("doc_type", "文种", lambda d: _one(d.doc_type)),
    Facet("year", "年份", lambda d: [str(d.date.year)] if d.date else [], size=30),
    Facet("doc_number", "发文字号", lambda d: _one(d.doc_number), counted=False, normalize=_doc_number),
    Facet("level", "层级", lambda d: _one(d.level), counted=False),
    Facet("district", "区", lambda d: _one(d.district), counted=False),
]


def facet(name: str) -> Facet | None:
    return next((f for f in FACETS if f.name == name), None)


def signature() -> str:
    """Short digest of the declared facets (names and kinds): part of every index's version."""
    text = "|".join(f"{f.name}:{f.match}" for f in FACETS)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def doc_values(doc: Document) -> dict[str, list[str]]:
    """Every facet's values for one document."""
    return {f.name: [str(v) for v in f.values(doc) if v not in (None, "")] for f in FACETS}
