"""The embedded tantivy backend: an index of provision records in ``Library.data_dir / "search"``.

Text is pre-segmented (``records.py``) and indexed whitespace-joined (tantivy's whitespace
tokenizer), so index and queries share one segmentation and one dictionary. The index stores
where a hit stands (citation id, document, source, heading path, the sha256 it was indexed
from), not what it shows: a page's texts and document fields come from the store by primary key
(``shown``), with a generation check before each query.

Consistency with the store, under crashes and several processes:

* ``state.json`` beside the index holds the store generation (``store.documents.source_log``) the
  last index commit reflects; it is written after that commit, so it never claims more than the
  index holds, and replaying the log from it is idempotent (delete a source's records, add what
  the store holds now).
* The document-level index (``doc_index``, in ``search/documents``) is written by the same
  session and committed right after the provision index, both before ``state.json``: a crash
  between the two commits leaves ``state.json`` behind both, and the replay repairs both.
* One writer at a time: ``search.lock`` (``flock``, released by the kernel when a process dies,
  so a kill -9 never leaves it held) guards the tantivy writer. An ingest holds it for its run
  and commits every ``COMMIT_FILES`` files; a second ingest process waits for it at the end of
  its own run and replays what the first did not see.
* Readers compare the store generation with ``state.json`` before every query: on a change they
  reload the searcher and the dictionary; when the index is behind and no writer holds the lock
  (a crashed ingest), the reader replays the log itself before answering.
* Hits carry the sha of the source version they were indexed from; ``shown`` drops any whose
  source has changed since (the window between a writer's store and index commits).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import orjson
import tantivy

from ..model import Document
from ..store import dictionary
from ..store import documents as store_docs
from . import facets as facet_decl
from .backend import Dictionary
from .doc_index import DOC_HEAP_BYTES, build_doc_schema, doc_record
from .records import Record, harvest, records
from .tantivy_query import tantivy_search

if TYPE_CHECKING:
    from ..library import Library

INDEX_VERSION = 11  # 11: display fields read from the store, not stored
COMMIT_FILES = 2000  # an ingest commits the index at least every this many files …
COMMIT_SECONDS = 30.0  # … or this often, so readers see a long ingest progress
HEAP_BYTES = 96_000_000


def schema_version() -> str:
    return f"{INDEX_VERSION}-{facet_decl.signature()}"


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("cid", stored=True, tokenizer_name="raw")
    sb.add_text_field("doc_key", stored=True, tokenizer_name="raw")
    sb.add_text_field("source", stored=True, tokenizer_name="raw")
    sb.add_text_field("source_path", stored=False, tokenizer_name="raw")
    sb.add_text_field("body", stored=False, tokenizer_name="ws", index_option="freq")
    sb.add_text_field("ctx", stored=False, tokenizer_name="ws", index_option="freq")  # title, 文号
    sb.add_text_field("path", stored=False, tokenizer_name="ws", index_option="freq")  # heading path
    for f in facet_decl.FACETS:
        sb.add_text_field(f"f_{f.name}", stored=False, tokenizer_name="raw", fast=True)
    sb.add_integer_field("day", stored=False, indexed=True, fast=True)  # yyyymmdd, 0 when unknown
    sb.add_bytes_field("meta", stored=True, indexed=False, fast=False)  # JSON: heading path, sha, source path
    sb.add_integer_field("seq", stored=True, indexed=False, fast=False)
    return sb.build()


def register_tokenizers(index: tantivy.Index) -> None:
    index.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


def to_tantivy(r: Record) -> tantivy.Document:
    """The tantivy document of a record, field by field (``Document(**fields)`` converts a
    keyword dict through a generic path that cost twice as much per record)."""
    d = tantivy.Document()
    add_text = d.add_text
    add_text("cid", r.cid)
    add_text("doc_key", r.doc_key)
    add_text("source", r.source)
    add_text("source_path", r.source_path)
    add_text("body", r.body)
    add_text("ctx", r.ctx)
    add_text("path", r.path)
    d.add_integer("day", r.day)
    d.add_integer("seq", r.seq)
    d.add_bytes("meta", orjson.dumps(r.meta))
    for name, vals in r.facets.items():
        field = f"f_{name}"
        if vals:
            for v in vals:
                add_text(field, v)
        else:
            add_text(field, "")  # no value: the empty string (what the readers expect)
    return d


class WriterLock:
    """The cross-process index writer lock (``flock`` on ``search.lock``)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def acquire(self, blocking: bool = True) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


class TantivyBackend:
    name = "tantivy"

    def __init__(self, library: Library):
        self.library = library
        self.dir = Path(library.data_dir) / "search"
        self.dictionary = Dictionary()
        self._index: tantivy.Index | None = None
        self._docs: tantivy.Index | None = None  # the document-level index beside it
        self._gen = -1  # generation of the commit the open searcher shows
        self._lock = threading.RLock()
        self._session: TantivySession | None = None

    # -- files ------------------------------------------------------------------------------
    def _state(self) -> dict:
        try:
            return json.loads((self.dir / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _write_state(self, gen: int) -> None:
        tmp = self.dir / "state.json.tmp"
        tmp.write_text(json.dumps({"schema": schema_version(), "generation": gen}), encoding="utf-8")
        os.replace(tmp, self.dir / "state.json")

    def _open(self, create: bool) -> tuple[tantivy.Index, tantivy.Index] | None:
        """Open the provision and document indexes; with ``create`` (writer lock held) make or
        remake them (together: a new schema rebuilds both from the store)."""
        state = self._state()
        docs_dir = self.dir / "documents"
        ok = (state.get("schema") == schema_version() and (self.dir / "meta.json").is_file()
              and (docs_dir / "meta.json").is_file())
        if not ok:
            if not create:
                return None
            self._index, self._docs, self._gen = None, None, -1
            shutil.rmtree(self.dir, ignore_errors=True)
            docs_dir.mkdir(parents=True)
            index = tantivy.Index(build_schema(), path=str(self.dir))
            docs = tantivy.Index(build_doc_schema(), path=str(docs_dir))
            self._write_state(0)
        else:
            index = tantivy.Index.open(str(self.dir))
            docs = tantivy.Index.open(str(docs_dir))
        register_tokenizers(index)
        register_tokenizers(docs)
        return index, docs

    @property
    def lock(self) -> WriterLock:
        return WriterLock(self.dir.with_name("search.lock"))

    # -- writing ----------------------------------------------------------------------------
    def session(self) -> TantivySession:
        return TantivySession(self)

    def update(self, changed: list[str] | None = None) -> None:
        """Replay the store's log into the index (waits for a running writer)."""
        TantivySession(self, wait=True).close()

    def build(self) -> None:
        s = TantivySession(self, wait=True)
        s.writer.delete_all_documents()
        s.doc_writer.delete_all_documents()
        s.replay_from = 0
        s.close()

    def delete(self, sources: list[str]) -> None:
        s = TantivySession(self, wait=True)
        for name in sources:
            s.removed(name)
        s.close()

    # -- reading ----------------------------------------------------------------------------
    def fresh(self) -> tuple[tantivy.Index, tantivy.Index]:
        """The provision and document indexes, reloaded when the store moved on; caught up when no writer is at work."""
        with self.library.engine.connect() as conn:
            store_gen = store_docs.generation(conn)
        with self._lock:
            gen = int(self._state().get("generation", -1))
            if self._index is None or gen != self._gen or self._session is not None:
                self._reload(gen)
            if self._gen < store_gen and self._session is None:
                s = TantivySession(self)
                if s._open_writer(blocking=False):  # nobody is writing, yet the index is behind (a crash)
                    s.close()
                    self._reload(int(self._state().get("generation", -1)))
            assert self._index is not None and self._docs is not None
            return self._index, self._docs

    def _reload(self, gen: int) -> None:
        if self._index is None or self._docs is None:
            opened = self._open(create=False)
            if opened is None:  # no index yet: build it (first search of a library)
                self.update()
                opened = self._open(create=False)
                gen = int(self._state().get("generation", 0))
            assert opened is not None
            self._index, self._docs = opened
        else:
            self._index.reload()
            self._docs.reload()
        with self.library.engine.connect() as conn:
            self.dictionary.sync(conn)
        self._gen = gen

    def segmenter(self):
        self.fresh()
        return self.dictionary.segmenter

    def search(self, query, filters, page, per_page, facets):
        index, docs = self.fresh()
        return tantivy_search(index, docs, self.dictionary.segmenter, query, filters, page, per_page, facets,
                              engine=self.library.engine)

    def doc_freqs(self, terms: list[str]) -> tuple[int, dict[str, int]]:
        searcher = self.fresh()[0].searcher()
        return searcher.num_docs, {t: searcher.doc_freq("body", t) for t in terms}


class TantivySession:
    """One writer run: adds committed files, replays the log on commit.

    Holds the writer lock from the first moment it can get it: an ingest that starts while
    another process writes keeps parsing and committing to the store, tries again after each
    file, and at the latest waits for the lock at ``close``, whose replay of the log indexes
    everything it stored meanwhile. So two ingest processes overlap everything but the index
    writes, and neither returns before its files are searchable.
    """

    def __init__(self, backend: TantivyBackend, wait: bool = False):
        self.b = backend
        self.lock = backend.lock
        self.writer = None
        self.doc_writer = None
        self.added: dict[str, str | None] = {}  # source -> sha (None: removed) written since commit
        self.files = 0
        self._harvested: tuple[set[str], list[list[str]]] = (set(), [])
        if wait:
            self._open_writer(blocking=True)

    def _open_writer(self, blocking: bool) -> bool:
        if self.writer is not None:
            return True
        if not self.lock.acquire(blocking=blocking):
            return False
        try:
            with self.b._lock:
                self.b._session = self
                opened = self.b._open(create=True)
                assert opened is not None
                self.index, self.docs = opened
            self.writer = self.index.writer(heap_size=HEAP_BYTES, num_threads=1)
            self.doc_writer = self.docs.writer(heap_size=DOC_HEAP_BYTES, num_threads=1)
        except BaseException:
            self.b._session = None
            self.lock.release()
            raise
        self.replay_from = int(self.b._state().get("generation", 0))
        self.t_commit = time.monotonic()
        with self.b.library.engine.connect() as conn:
            self.b.dictionary.sync(conn)
        return True

    def in_transaction(self, conn, source: str, sha: str, docs: list[Document]) -> None:
        words, pairs = harvest(docs)
        dictionary.add_terms(conn, words, pairs)
        # Load them in the store's order (ids), as every other process does: a synonym group's
        # number (its ``syn<N>`` token) must be the same here and in a server reading the index.
        self.b.dictionary.sync(conn, keep_last=True)
        self._harvested = (words, pairs)

    def committed(self, source: str, sha: str, docs: list[Document]) -> None:
        words, pairs = self._harvested
        self.b.dictionary.advance()
        self.b.dictionary.learn(words, pairs)
        if not self._open_writer(blocking=False):
            return  # another process writes the index: our close() replays this file from the store
        self._add(source, sha, docs)
        self.files += 1
        if self.files >= COMMIT_FILES or time.monotonic() - self.t_commit > COMMIT_SECONDS:
            self.commit()

    def removed(self, source: str) -> None:
        self._open_writer(blocking=True)
        self._delete(source)
        self.added[source] = None

    def _delete(self, source: str) -> None:
        self.writer.delete_documents_by_term("source_path", source)
        self.doc_writer.delete_documents_by_term("source_path", source)

    def _add(self, source: str, sha: str | None, docs: list[Document]) -> None:
        seg = self.b.dictionary.segmenter
        self._delete(source)
        for doc in docs:
            recs = records(seg, doc, sha or "")
            for r in recs:
                self.writer.add_document(to_tantivy(r))
            d = doc_record(recs)
            if d is not None:
                self.doc_writer.add_document(d)
        self.added[source] = sha

    def commit(self) -> None:
        """Replay what the log holds beyond the last commit, then commit and record the generation.

        A new index (generation 0) takes every source the store holds instead: a store filled
        before it had a log, or by a version without this index, is indexed whole.
        """
        if self.writer is None:  # nothing written by this session: is there anything to replay?
            with self.b.library.engine.connect() as conn:
                if store_docs.generation(conn) == int(self.b._state().get("generation", -1)):
                    return
        self._open_writer(blocking=True)
        engine = self.b.library.engine
        with engine.connect() as conn:
            if self.replay_from == 0:
                gen = store_docs.generation(conn)
                latest: dict[str, str | None] = dict(store_docs.source_shas(conn))
            else:
                gen, latest = store_docs.changes_since(conn, self.replay_from)
            self.b.dictionary.sync(conn)
        for source, sha in latest.items():
            if source in self.added and self.added[source] == sha:
                continue  # this run added exactly that version
            with engine.connect() as conn:
                docs = store_docs.documents_of_source(conn, source) if sha else []
                now = store_docs.source_sha(conn, source)
            if docs:
                self._add(source, now, docs)
            else:
                self._delete(source)
        self.writer.commit()
        self.doc_writer.commit()  # after the provisions, before the state: see the module docstring
        self.b._write_state(gen)
        self.replay_from = gen
        self.added.clear()
        self.files = 0
        self.t_commit = time.monotonic()

    def close(self) -> None:
        try:
            self.commit()
            if self.writer is not None:
                self.writer.wait_merging_threads()
                self.doc_writer.wait_merging_threads()
        finally:
            if self.writer is not None:
                self.writer = self.doc_writer = None
                with self.b._lock:
                    self.b._session = None
                self.lock.release()
