"""The search dictionary: domain words and 简称 pairs harvested from ingested documents.

Kept in the store (not in an index directory) so every process — ingest workers, server
workers, both search backends — segments with the same words. Rows are only ever added, in the
ingest transaction of the file that defined them; a reader loads the rows past the last id it
has seen.

That last-id protocol needs ids to become visible in id order. SQLite has one writer at a time,
so they do. PostgreSQL hands out sequence values at insert time, not at commit: a writer that
inserted id 11 and commits after another writer's id 12 would be skipped for good by a reader
that synced in between. So on PostgreSQL a writer that adds terms takes a transaction-scoped
advisory lock first; the next writer's ids are only drawn once the previous one has committed.
Files that bring no new term (most of them, once a library is warm) never take it.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, String, Table, UniqueConstraint, select, text, tuple_

from .base import insert_ignore, metadata

search_terms = Table(
    "search_terms", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("term", String(64), nullable=False),
    Column("full", String(64), nullable=False, default=""),  # set: ``term`` is the 简称 of ``full``
    UniqueConstraint("term", "full", name="uq_search_terms"),
)


# Key of the PostgreSQL advisory lock that orders dictionary writers (any fixed bigint; "zhct").
_PG_LOCK_KEY = 0x7A686374


def add_terms(conn: Connection, words: set[str], pairs: list[list[str]]) -> None:
    """Add the words and (full, short) pairs the store does not hold yet, inside ``conn``'s transaction."""
    rows = [{"term": w, "full": ""} for w in sorted(words) if 0 < len(w) <= 64]
    rows += [{"term": s, "full": f} for f, s in pairs if 0 < len(s) <= 64 and 0 < len(f) <= 64]
    if rows and conn.dialect.name == "postgresql":
        rows = _missing(conn, rows)
        if rows:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    insert_ignore(conn, search_terms, rows)


def _missing(conn: Connection, rows: list[dict]) -> list[dict]:
    """The rows whose (term, full) the store does not hold (one indexed lookup)."""
    keys = [(r["term"], r["full"]) for r in rows]
    have = {tuple(r) for r in conn.execute(select(search_terms.c.term, search_terms.c.full)
                                           .where(tuple_(search_terms.c.term, search_terms.c.full).in_(keys)))}
    return [r for r, k in zip(rows, keys, strict=True) if k not in have]


def terms_after(conn: Connection, last_id: int) -> list[tuple[int, str, str]]:
    """(id, term, full) rows added after ``last_id``, in order."""
    return [tuple(r) for r in conn.execute(
        select(search_terms.c.id, search_terms.c.term, search_terms.c.full)
        .where(search_terms.c.id > last_id).order_by(search_terms.c.id))]
