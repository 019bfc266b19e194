"""The PostgreSQL backend's rows: one per provision, narrow, its vector built once per distinct text.

Measured on 1,000 generated documents (93,101 rows), the server spent most of an ingest in the
row writes of ``search_rows``, and there mostly in ``to_tsvector``: the row's vector was a
generated column over three texts, and two of them repeat — the document context (title, short
title, 文号) is the same on every provision of a document, a heading path on every sibling. The
context alone was as much parsing as the bodies. So the vector is now an ordinary column written
by one ``INSERT … SELECT`` per file from arrays: each distinct context and heading path is parsed
once, each body once, and the row's vector is the same concatenation as before —
``setweight(body,'A') || setweight(path,'B') || setweight(ctx,'D')`` — byte for byte (``||`` shifts
the right operand's positions by the left's, whatever computed them).

The segmented texts themselves are no longer stored (only the vector was ever read), nor the
display fields the store already holds: a hit's text, raw text, lines and kind come from
``provisions``, its title, 文号, issuers, date and 文种 from ``documents``, the file's sha256 from
``sources``, all by primary key for the ten rows of a page (written in the same transaction as
these rows, so they always agree). What remains is a row of ~1.7 kB (it was ~3 kB with an
out-of-line TOAST value per row): less to write, to WAL-log and to read in a scan.
"""

from __future__ import annotations

import orjson
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR

from .records import Record

search_metadata = MetaData()  # not the store's: delete_source must not touch these rows itself

search_rows = Table(
    "search_rows", search_metadata,
    Column("cid", String(512), primary_key=True),
    Column("doc_key", String(255), nullable=False),
    Column("source", String(255), nullable=False),
    Column("source_path", Text, nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("facets", JSONB, nullable=False),
    Column("heading_path", JSONB, nullable=False),  # ancestor labels/headings, outermost first
    Column("tsv", TSVECTOR, nullable=False),
)
Index("ix_search_rows_tsv", search_rows.c.tsv, postgresql_using="gin")
Index("ix_search_rows_facets", search_rows.c.facets, postgresql_using="gin",
      postgresql_ops={"facets": "jsonb_path_ops"})
search_state = Table(
    "search_state", search_metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The distinct contexts, heading paths and facet values of a file are parsed once each (CTEs
# over arrays); every row names its own by 1-based position.
_INSERT = """
WITH c AS MATERIALIZED (
    SELECT i, setweight(to_tsvector('simple', t), 'D') AS v FROM unnest(%(ctx)s::text[]) WITH ORDINALITY u(t, i)),
p AS MATERIALIZED (
    SELECT i, setweight(to_tsvector('simple', t), 'B') AS v FROM unnest(%(path)s::text[]) WITH ORDINALITY u(t, i)),
f AS MATERIALIZED (
    SELECT i, t::jsonb AS v FROM unnest(%(facets)s::text[]) WITH ORDINALITY u(t, i))
INSERT INTO search_rows (cid, doc_key, source, source_path, seq, day, facets, heading_path, tsv)
SELECT r.cid, r.doc_key, r.source, r.source_path, r.seq, r.day, f.v, r.hp::jsonb,
       setweight(to_tsvector('simple', r.body), 'A') || p.v || c.v
FROM unnest(%(cid)s::text[], %(doc_key)s::text[], %(source)s::text[], %(sp)s::text[], %(seq)s::int[],
            %(day)s::int[], %(hp)s::text[], %(body)s::text[], %(ci)s::int[], %(pi)s::int[])
     WITH ORDINALITY r(cid, doc_key, source, source_path, seq, day, hp, body, ci, pi, n)
JOIN c ON c.i = r.ci JOIN p ON p.i = r.pi JOIN f ON f.i = r.ci
ORDER BY r.n
"""


def insert_records(conn, rows: list[Record]) -> None:
    """Write one file's records in one statement (one round trip, the texts parsed once each)."""
    if not rows:
        return
    ctx: dict[tuple[str, str], int] = {}  # (document, its context tokens) -> position
    facets: list[str] = []
    path: dict[str, int] = {}
    cols: dict[str, list] = {k: [] for k in ("cid", "doc_key", "source", "sp", "seq", "day", "hp", "body", "ci", "pi")}
    for r in rows:
        ci = ctx.get((r.doc_key, r.ctx))
        if ci is None:  # facet values are per document too: one list each, at the context's position
            ci = ctx[(r.doc_key, r.ctx)] = len(ctx) + 1
            facets.append(orjson.dumps(r.facets).decode())
        pi = path.get(r.path)
        if pi is None:
            pi = path[r.path] = len(path) + 1
        cols["cid"].append(r.cid)
        cols["doc_key"].append(r.doc_key)
        cols["source"].append(r.source)
        cols["sp"].append(r.source_path)
        cols["seq"].append(r.seq)
        cols["day"].append(r.day)
        cols["hp"].append(orjson.dumps(r.meta["path"]).decode())
        cols["body"].append(r.body)
        cols["ci"].append(ci)
        cols["pi"].append(pi)
    cur = conn.connection.dbapi_connection.cursor()
    cur.execute(_INSERT, {**cols, "ctx": [c for _doc, c in ctx], "path": list(path), "facets": facets})


# A page's display fields, from the store's own rows (see the module docstring).
SHOWN = """
SELECT r.cid, r.doc_key, r.source, r.source_path, r.heading_path, p.text, p.raw, p.line_start, p.line_end,
       p.kind, d.title, d.issuers, d.date, d.doc_number, d.doc_type, s.sha256
FROM search_rows r JOIN provisions p ON p.cid = r.cid JOIN documents d ON d.key = r.doc_key
JOIN sources s ON s.source_path = d.source_path
WHERE r.cid = ANY(:cids)
"""
