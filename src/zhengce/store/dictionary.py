"""The search dictionary: domain words and 简称 pairs harvested from ingested documents.

Kept in the store (not in an index directory) so every process — ingest workers, server
workers, both search backends — segments with the same words. Rows are only ever added, in the
ingest transaction of the file that defined them; a reader loads the rows past the last id it
has seen.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, String, Table, UniqueConstraint, select

from .base import insert_ignore, metadata

search_terms = Table(
    "search_terms", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("term", String(64), nullable=False),
    Column("full", String(64), nullable=False, default=""),  # set: ``term`` is the 简称 of ``full``
    UniqueConstraint("term", "full", name="uq_search_terms"),
)


def add_terms(conn: Connection, words: set[str], pairs: list[list[str]]) -> None:
    rows = [{"term": w, "full": ""} for w in sorted(words) if 0 < len(w) <= 64]
    rows += [{"term": s, "full": f} for f, s in pairs if 0 < len(s) <= 64 and 0 < len(f) <= 64]
    insert_ignore(conn, search_terms, rows)


def terms_after(conn: Connection, last_id: int) -> list[tuple[int, str, str]]:
    """(id, term, full) rows added after ``last_id``, in order."""
    return [tuple(r) for r in conn.execute(
        select(search_terms.c.id, search_terms.c.term, search_terms.c.full)
        .where(search_terms.c.id > last_id).order_by(search_terms.c.id))]
