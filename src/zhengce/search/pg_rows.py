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
``sources``, all by primary key for the ten rows of a page (``shown``; written in the same transaction as
these rows, so they always agree). What remains is a row of ~1.7 kB (it was ~3 kB with an
out-of-line TOAST value per row): less to write, to WAL-log and to read in a scan.
"""

from __future__ import annotations

import orjson
from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR

from . import facets as facet_decl
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
    Column("heading_path", JSONB, nullable=False),  # ancestor labels/headings, outermost first
    Column("tsv", TSVECTOR, nullable=False),
)
Index("ix_search_rows_tsv", search_rows.c.tsv, postgresql_using="gin")
# Facet values are the same on every provision of a document: one row per document holds them
# (filters select documents, facet counts count documents), not a copy on each of its ~90 rows.
# The row also holds every lexeme of the document's provisions (``terms``, no positions: a
# document matches a query iff one of its provisions does), its 成文日期 and its number of
# provisions: what a search needs to count and rank *documents* without touching their
# provisions (``pg_query``).
search_docs = Table(
    "search_docs", search_metadata,
    Column("doc_key", String(255), primary_key=True),
    Column("source_path", Text, nullable=False, index=True),
    Column("facets", JSONB, nullable=False),
    Column("day", Integer, nullable=False),
    Column("provisions", Integer, nullable=False),
    Column("terms", TSVECTOR, nullable=False),
    Column("counted", ARRAY(Text), nullable=False),  # "facet\x1fvalue" of every counted facet value
)
Index("ix_search_docs_facets", search_docs.c.facets, postgresql_using="gin",
      postgresql_ops={"facets": "jsonb_path_ops"})
Index("ix_search_docs_terms", search_docs.c.terms, postgresql_using="gin")
search_state = Table(
    "search_state", search_metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The distinct contexts and heading paths of a file are parsed once each (CTEs over JSON
# arrays); every row names its own by 1-based position. The documents' rows go in with the same
# statement, their ``terms`` the union of the lexemes of the rows just written (so a document
# holds exactly its provisions' lexemes, whatever the parser made of the texts). One JSON text
# per part, not one array parameter per column: orjson writes it in C, where psycopg's
# pure-Python array dumper cost ~4 ms of this process's time per file.
_INSERT = """
WITH c AS MATERIALIZED (
    SELECT i, setweight(to_tsvector('simple', t), 'D') AS v
    FROM json_array_elements_text(%(ctx)s::json) WITH ORDINALITY u(t, i)),
p AS MATERIALIZED (
    SELECT i, setweight(to_tsvector('simple', t), 'B') AS v
    FROM json_array_elements_text(%(path)s::json) WITH ORDINALITY u(t, i)),
r AS (
    INSERT INTO search_rows (cid, doc_key, source, source_path, seq, day, heading_path, tsv)
    SELECT r.cid, r.k, r.src, r.sp, r.seq, r.day, r.hp, setweight(to_tsvector('simple', r.b), 'A') || p.v || c.v
    FROM json_to_recordset(%(rows)s::json)
         r(n int, cid text, k text, src text, sp text, seq int, day int, hp jsonb, b text, ci int, pi int)
    JOIN c ON c.i = r.ci JOIN p ON p.i = r.pi
    ORDER BY r.n
    RETURNING doc_key, tsv),
w AS (
    SELECT doc_key, array_to_tsvector(array_agg(DISTINCT l)) AS v
    FROM r, unnest(tsvector_to_array(r.tsv)) l GROUP BY doc_key)
INSERT INTO search_docs (doc_key, source_path, facets, day, provisions, terms, counted)
SELECT u.k, u.sp, u.f, u.day, u.n, coalesce(w.v, ''::tsvector), u.c
FROM json_to_recordset(%(docs)s::json) u(k text, sp text, f jsonb, day int, n int, c text[])
LEFT JOIN w ON w.doc_key = u.k
"""


def insert_records(conn, rows: list[Record]) -> None:
    """Write one file's records in one statement (one round trip, the texts parsed once each)."""
    if not rows:
        return
    ctx: dict[tuple[str, str], int] = {}  # (document, its context tokens) -> position
    docs: dict[str, dict] = {}  # document -> its search_docs row
    path: dict[str, int] = {}
    out = []
    for n, r in enumerate(rows):
        ci = ctx.get((r.doc_key, r.ctx))
        if ci is None:
            ci = ctx[(r.doc_key, r.ctx)] = len(ctx) + 1
        if r.doc_key not in docs:
            docs[r.doc_key] = {"k": r.doc_key, "sp": r.source_path, "f": r.facets, "day": r.day, "n": 0,
                               "c": counted_values(r.facets)}
        docs[r.doc_key]["n"] += 1
        pi = path.get(r.path)
        if pi is None:
            pi = path[r.path] = len(path) + 1
        out.append({"n": n, "cid": r.cid, "k": r.doc_key, "src": r.source, "sp": r.source_path, "seq": r.seq,
                    "day": r.day, "hp": r.meta["path"], "b": r.body, "ci": ci, "pi": pi})
    cur = conn.connection.dbapi_connection.cursor()
    cur.execute(_INSERT, {"ctx": _json([c for _doc, c in ctx]), "path": _json(list(path)),
                          "docs": _json(list(docs.values())), "rows": _json(out)})


COUNTED_SEP = "\x1f"  # between a facet's name and a value in ``search_docs.counted``


def counted_values(facets: dict[str, list[str]]) -> list[str]:
    """A document's values of the counted facets as one flat list (``name\x1fvalue``): counting
    them for 50,000 matching documents is one ``unnest`` of a text array, where reading each
    facet out of the JSONB cost a function call per document and facet (~65 % of a search)."""
    return [f"{f.name}{COUNTED_SEP}{v}" for f in facet_decl.FACETS if f.counted
            for v in facets.get(f.name) or [] if v]


def _json(value) -> str:
    return orjson.dumps(value).decode()


def delete_source(conn, source_path: str) -> None:
    """Drop a file's rows (before it is written again, or when it is removed)."""
    conn.execute(search_rows.delete().where(search_rows.c.source_path == source_path))
    conn.execute(search_docs.delete().where(search_docs.c.source_path == source_path))
