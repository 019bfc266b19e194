"""The PostgreSQL backend for shared deployments: full-text search over pre-segmented records.

``search_rows`` (``pg_rows``) holds the vector of the same whitespace-joined terms the tantivy
index holds, written in the ingest transaction of their file (``in_transaction``), so store and
index commit together: no crash window, and every server sharing the database sees the same
index at once. A GIN index over ``tsv`` (``setweight(to_tsvector('simple', body), 'A') || … path
'B' … ctx 'D'``) answers any-term ``to_tsquery`` queries ranked by ``ts_rank``; facet values live
in one JSONB column (``{"issuer": [...], …}``, GIN ``jsonb_path_ops``), so a new ``Facet`` needs
no migration (a changed facet list rebuilds the rows once, like tantivy's schema check).
"""

from __future__ import annotations

import json
import re
import threading
from typing import TYPE_CHECKING

from sqlalchemy import select, text

from ..model import Document
from ..store import dictionary
from ..store import documents as store_docs
from ..store.base import write_transaction
from . import facets as facet_decl
from .backend import Dictionary
from .pg_rows import SHOWN, insert_records, search_metadata, search_rows, search_state
from .records import harvest, records
from .snippets import forms_pattern, snippet, term_forms
from .types import Hit, SearchResult

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["PostgresBackend", "search_metadata", "search_rows", "search_state"]

SCHEMA_VERSION = 3  # 3: vector written from arrays, texts and display fields no longer stored
WEIGHTS = "'{0.3, 0.0, 0.7, 1.0}'"  # D (title, 文号), C, B (heading path), A (body)


def schema_version() -> str:
    return f"{SCHEMA_VERSION}-{facet_decl.signature()}"


def _inline_tsv(engine) -> None:
    """Keep ``tsv`` in the row (STORAGE MAIN) rather than out of line in the TOAST table.

    A provision's row used to pass PostgreSQL's 2 kB TOAST threshold, and the vector, its
    largest value, went out of line: every match then cost a TOAST fetch for ``@@`` and another
    for ``ts_rank`` (3-4x the time of the scan itself). Rows are narrower now, but a provision
    with a long text still has a long vector. Applies to rows written from then on (a catalog
    change, done once per database).
    """
    with engine.connect() as conn:
        storage = conn.exec_driver_sql(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'search_rows'::regclass AND attname = 'tsv'"
        ).scalar_one_or_none()
        if storage not in (None, "m"):
            conn.exec_driver_sql("ALTER TABLE search_rows ALTER COLUMN tsv SET STORAGE MAIN")
            conn.commit()


ANALYZE_AFTER_FILES = 50  # a bulk ingest refreshes the planner's statistics (GIN vs seq scan)


class PostgresSession:
    """One ingest's writes. Each file's transaction commits asynchronously; ``close`` makes them durable.

    A synchronous commit waits for its WAL to reach the disk (~1.5 ms a file here, 150 s of a
    100,000-file ingest). ``synchronous_commit = off`` for the file transactions of an ingest
    session keeps every guarantee but one: a file is still atomic (all its rows or none) and the
    store consistent after any crash, but a crash of the *server* (not of the ingest process)
    can lose the last ~0.6 s of commits — files the ingest had already reported as ingested.
    ``close`` (the end of ``Library.ingest``/``ingest_file``) commits one synchronous transaction,
    which flushes the WAL up to it and so every earlier commit: when an ingest returns, all it
    reported is on disk. Files lost to a crash before that are simply absent (their sha256 is
    not in ``sources``), so the next ingest of the folder writes them again.
    """

    def __init__(self, backend: PostgresBackend):
        self.b = backend
        self.files = 0

    def in_transaction(self, conn, source: str, sha: str, docs: list[Document]) -> None:
        conn.exec_driver_sql("SET LOCAL synchronous_commit = off")  # made durable by close()
        words, pairs = harvest(docs)
        dictionary.add_terms(conn, words, pairs)
        self.b.dictionary.sync(conn)
        self.b.dictionary.learn(words, pairs)
        conn.execute(search_rows.delete().where(search_rows.c.source_path == source))
        seg = self.b.dictionary.segmenter
        insert_records(conn, [r for d in docs for r in records(seg, d, sha)])
        self.files += 1

    def committed(self, source: str, sha: str, docs: list[Document]) -> None:
        pass

    def removed(self, source: str) -> None:
        with write_transaction(self.b.library.engine) as conn:
            conn.execute(search_rows.delete().where(search_rows.c.source_path == source))

    def close(self) -> None:
        if not self.files:
            return
        with self.b.library.engine.connect() as conn:
            if self.files >= ANALYZE_AFTER_FILES:
                conn.exec_driver_sql("ANALYZE search_rows")
                conn.commit()
            # A transaction with an id commits synchronously (the server's default): it waits for
            # the WAL flush past its commit record, so past every asynchronous commit before it.
            conn.exec_driver_sql("SELECT pg_current_xact_id()")
            conn.commit()


class PostgresBackend:
    name = "postgresql"

    def __init__(self, library: Library):
        self.library = library
        self.dictionary = Dictionary()
        self._ready = False
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._ready:
            return
        with self._lock:
            if self._ready:
                return
            search_metadata.create_all(self.library.engine)
            _inline_tsv(self.library.engine)
            with self.library.engine.connect() as conn:
                state = conn.execute(select(search_state.c.value)
                                     .where(search_state.c.name == "schema")).scalar_one_or_none()
                has_docs = store_docs.generation(conn) > 0
            self._ready = True
            if state != schema_version():
                search_rows.drop(self.library.engine, checkfirst=True)
                search_metadata.create_all(self.library.engine)
                _inline_tsv(self.library.engine)
                if has_docs:
                    self.build()
                with write_transaction(self.library.engine) as conn:
                    conn.execute(search_state.delete().where(search_state.c.name == "schema"))
                    conn.execute(search_state.insert().values(name="schema", value=schema_version()))

    def session(self) -> PostgresSession:
        self._ensure()
        return PostgresSession(self)

    def build(self) -> None:
        """Rewrite every row from the store (after a facet change, or for an old database)."""
        with self.library.engine.connect() as conn:
            names = list(store_docs.source_shas(conn).items())
        with write_transaction(self.library.engine) as conn:
            conn.execute(search_rows.delete())
        s = PostgresSession(self)
        for name, sha in names:
            with write_transaction(self.library.engine) as conn:
                s.in_transaction(conn, name, sha, store_docs.documents_of_source(conn, name))
        s.close()

    def update(self, changed: list[str] | None = None) -> None:
        self._ensure()  # rows are written with the store: nothing can lag behind

    def delete(self, sources: list[str]) -> None:
        s = self.session()
        for name in sources:
            s.removed(name)

    def segmenter(self):
        self._ensure()
        with self.library.engine.connect() as conn:
            self.dictionary.sync(conn)
        return self.dictionary.segmenter

    def doc_freqs(self, terms: list[str]) -> tuple[int, dict[str, int]]:
        self._ensure()
        with self.library.engine.connect() as conn:
            _tune(conn)
            n = conn.execute(text("SELECT count(*) FROM search_rows")).scalar_one()
            out = {t: conn.execute(text("SELECT count(*) FROM search_rows WHERE tsv @@ to_tsquery('simple', :q)"),
                                   {"q": _tsquery([t])}).scalar_one() for t in terms}
        return n, out

    def search(self, query, filters, page, per_page, facets=True) -> SearchResult:
        seg = self.segmenter()
        terms = seg.query_terms(query or "")
        conds, params = _where(filters)
        if terms:
            params["q"] = _tsquery(terms)
            conds.insert(0, "tsv @@ to_tsquery('simple', :q)")
            score = f"ts_rank({WEIGHTS}, tsv, to_tsquery('simple', :q))"
        else:
            score = "0"
        where = " AND ".join(conds) or "TRUE"
        params.update(limit=per_page, offset=(page - 1) * per_page)
        counted = [f for f in facet_decl.FACETS if f.counted] if facets else []
        sql = _search_sql(score, where, counted)
        with self.library.engine.connect() as conn:
            _tune(conn)
            total, n_docs, page_rows, fac = 0, 0, [], {f.name: [] for f in counted}
            for part, k, n, sc in conn.execute(text(sql), params):
                if part == 0:
                    total, n_docs = n, int(sc)
                elif part == 1:
                    page_rows.append((k, sc))
                else:
                    fac[counted[part - 2].name].append((k, int(n)))
            shown = {r.cid: r for r in conn.execute(text(SHOWN), {"cids": [k for k, _ in page_rows]})} \
                if page_rows else {}
        rows = [(shown[k], sc) for k, sc in page_rows if k in shown]
        if not total:
            fac = {}
        forms = forms_pattern(term_forms(seg, terms))
        hits = []
        for r, sc in rows:
            hits.append(Hit(
                cid=r.cid, doc_key=r.doc_key, doc_title=r.title, doc_number=r.doc_number,
                issuers=r.issuers or [], date=r.date, doc_type=r.doc_type, heading_path=r.heading_path,
                text=r.text, raw=r.raw or r.text, snippet=snippet(r.text, forms), score=float(sc),
                source=r.source, line_start=r.line_start, line_end=r.line_end, kind=r.kind or "",
                sha=r.sha256, source_path=r.source_path))
        return SearchResult(query=query, terms=terms, total=int(total), page=page, per_page=per_page,
                            hits=hits, facets=fac, backend="postgresql", documents=n_docs)


def _search_sql(score: str, where: str, counted: list) -> str:
    """One statement: the totals, the page and every facet count from one pass over the matches.

    The matches are materialised once, narrow (no facet values: a wide CTE spilled to disk).
    Part 0 carries the provision total and, in its score column, the matching documents.
    Facet counts are matching documents per value (what the tantivy backend's document index
    counts): one row per matched document, facets read from one of its rows by primary key,
    instead of expanding the JSONB of every matching provision.
    """
    parts = ["SELECT 0 AS part, NULL AS k, count(*) AS n, count(DISTINCT doc_key)::float8 AS score FROM m",
             "(SELECT 1, cid, seq, score::float8 FROM m ORDER BY score DESC, doc_key, seq "
             "LIMIT :limit OFFSET :offset)"]
    for i, f in enumerate(counted):
        parts.append(f"(SELECT {i + 2}, v, count(*)::bigint, 0.0 FROM d, jsonb_array_elements_text(d.facets->'{f.name}') v "
                     f"WHERE v <> '' GROUP BY v ORDER BY count(*) DESC, v LIMIT {int(f.size)})")
    docs = (", d AS MATERIALIZED (SELECT g.n, r.facets FROM (SELECT min(cid) AS cid, count(*) AS n FROM m "
            "GROUP BY doc_key) g JOIN search_rows r ON r.cid = g.cid)") if counted else ""
    return (f"WITH m AS MATERIALIZED (SELECT cid, doc_key, seq, {score} AS score FROM search_rows "
            f"WHERE {where}){docs} " + " UNION ALL ".join(parts))


def _tune(conn) -> None:
    """Settings for one search transaction: no JIT (compiling a query costs ~0.7 s, more than
    running it) and room to keep the matches in memory."""
    conn.exec_driver_sql("SET LOCAL jit = off")
    conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")


def _tsquery(terms: list[str]) -> str:
    return " | ".join("'" + t.replace("'", "''").replace("\\", "") + "'" for t in terms)


_JSON_MARKS = re.compile(r'["\\,\[\]]|[\x00-\x1f]')  # what JSON text escapes or puts between elements


def _where(filters: dict) -> tuple[list[str], dict]:
    conds, params = [], {}
    for i, f in enumerate(facet_decl.FACETS):
        value = filters.get(f.name)
        if not value:
            continue
        if f.match == "contains":
            like = "%" + value.replace("%", r"\%").replace("_", r"\_") + "%"
            if _JSON_MARKS.search(value):
                conds.append(f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(facets->'{f.name}') v "
                             f"WHERE v LIKE :f{i})")
            else:  # the array's JSON text: a value without quotes, commas or brackets matches
                # inside one element only, and no set-returning function runs per row (~2x cheaper)
                conds.append(f"(facets->>'{f.name}') LIKE :f{i}")
            params[f"f{i}"] = like
        else:
            conds.append(f"facets @> CAST(:f{i} AS jsonb)")
            params[f"f{i}"] = json.dumps({f.name: [value]}, ensure_ascii=False)
    if filters.get("since"):
        conds.append("day >= :since")
        params["since"] = int(filters["since"].strftime("%Y%m%d"))
    if filters.get("until"):
        conds.append("day <= :until AND day > 0")
        params["until"] = int(filters["until"].strftime("%Y%m%d"))
    return conds, params
