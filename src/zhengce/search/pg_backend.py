"""The PostgreSQL backend for shared deployments: full-text search over pre-segmented records.

``search_rows`` (``pg_rows``) holds the vector of the same whitespace-joined terms the tantivy
index holds, written in the ingest transaction of their file (``in_transaction``), so store and
index commit together: no crash window, and every server sharing the database sees the same
index at once. A GIN index over ``tsv`` (``setweight(to_tsvector('simple', body), 'A') || … path
'B' … ctx 'D'``) answers any-term ``to_tsquery`` queries ranked by ``ts_rank``; facet values live
in one JSONB column (``{"issuer": [...], …}``, GIN ``jsonb_path_ops``), so a new ``Facet`` needs
no migration (a changed facet list rebuilds the rows once, like tantivy's schema check).
One ``search_docs`` row per document holds its facets and its provisions' lexemes: a search
counts, facets and ranks documents there and ranks provisions only within the best of them
(``pg_query``).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from sqlalchemy import select, text

from ..model import Document
from ..store import dictionary
from ..store import documents as store_docs
from ..store.base import write_transaction
from . import facets as facet_decl
from . import pg_query
from .backend import Dictionary
from .pg_rows import (
    delete_source,
    insert_records,
    search_docs,
    search_metadata,
    search_rows,
    search_state,
)
from .records import harvest, records
from .shown import Found, shown_hits
from .snippets import forms_pattern, term_forms
from .types import SearchResult

if TYPE_CHECKING:
    from ..library import Library

__all__ = ["PostgresBackend", "search_docs", "search_metadata", "search_rows", "search_state"]

# 3: vector written from arrays, texts and display fields no longer stored; 4: search_docs;
# 5: search_docs hold their provisions' lexemes, 成文日期 and provision count (documents first);
# 6: … and their counted facet values as one text array
SCHEMA_VERSION = 6


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
        delete_source(conn, source)
        seg = self.b.dictionary.segmenter
        insert_records(conn, [r for d in docs for r in records(seg, d, sha)])
        self.files += 1

    def committed(self, source: str, sha: str, docs: list[Document]) -> None:
        pass

    def removed(self, source: str) -> None:
        with write_transaction(self.b.library.engine) as conn:
            delete_source(conn, source)

    def close(self) -> None:
        if not self.files:
            return
        with self.b.library.engine.connect() as conn:
            if self.files >= ANALYZE_AFTER_FILES:
                conn.exec_driver_sql("ANALYZE search_rows, search_docs")
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
                search_docs.drop(self.library.engine, checkfirst=True)
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
            conn.execute(search_docs.delete())
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
            pg_query.tune(conn)
            n = conn.execute(text("SELECT count(*) FROM search_rows")).scalar_one()
            out = {t: conn.execute(text("SELECT count(*) FROM search_rows WHERE tsv @@ to_tsquery('simple', :q)"),
                                   {"q": pg_query.tsquery([t])}).scalar_one() for t in terms}
        return n, out

    def search(self, query, filters, page, per_page, facets=True) -> SearchResult:
        """Documents first, then provisions within the best of them (``pg_query``)."""
        seg = self.segmenter()
        terms = seg.query_terms(query or "")
        distinct = list(dict.fromkeys(terms))
        passes, params = pg_query.doc_filters(filters)
        params.update({f"t{i}": pg_query.tsquery([t]) for i, t in enumerate(distinct, 1)})
        params["wanted"] = pg_query.wanted_documents(page, per_page)
        counted = [f for f in facet_decl.FACETS if f.counted] if facets else []
        with self.library.engine.connect() as conn:
            pg_query.tune(conn)
            pg_query.sequential_scans(conn, False)
            n_docs, provisions, keys, paths, values = 0, 0, [], set(), []
            for part, k, path, n, sc in conn.execute(text(pg_query.documents_sql(len(distinct), passes, counted)),
                                                     params):
                if part == 0:
                    n_docs, provisions = int(n), int(sc)
                elif part == 1:
                    keys.append(k)
                    paths.add(path)
                else:
                    values.append((k, int(n)))
            pg_query.sequential_scans(conn, True)
            page_rows, total = [], 0
            if keys:
                rows = conn.execute(text(pg_query.provisions_sql(bool(terms))), {
                    "q": pg_query.tsquery(terms), "keys": keys, "paths": sorted(paths),
                    "limit": per_page, "offset": (page - 1) * per_page})
                for r in rows:
                    if r.part == 0:
                        total = int(r.n)
                    else:
                        page_rows.append(r)
        if not terms:  # the documents' provision counts: exact without reading the provisions
            total = provisions
        found = [Found(cid=r.k, doc_key=r.doc_key, source=r.source, source_path=r.source_path,
                       heading_path=r.heading_path, sha="", score=float(r.score))
                 for r in sorted(page_rows, key=lambda r: (-r.score, r.doc_key, r.n))]
        hits = shown_hits(self.library.engine, found, forms_pattern(term_forms(seg, terms)))
        fac = pg_query.facet_counts(values, counted) if n_docs else {}
        return SearchResult(query=query, terms=terms, total=total, page=page, per_page=per_page,
                            hits=hits, facets=fac, backend="postgresql", documents=n_docs,
                            total_relation="eq" if len(keys) >= n_docs or not terms else "gte")
