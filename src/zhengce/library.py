"""The ``Library``: one object that owns the store and runs the pipeline.

Every face (CLI, API, web, eval) goes through it, so they stay in step. Ingest is atomic per
file: parse and extract outside the transaction, then replace the file's rows in one
transaction; an unchanged file (same sha256) is skipped. The search index is part of ingest:
the Library opens its search backend itself (``search_index``, chosen by the store URL) and
feeds it every committed file; an ingest returns with the index committed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from . import settings
from .errors import SourceError, ZhengceError
from .model import Document, SourceText
from .store import base as store_base
from .store import dictionary as _search_terms  # noqa: F401  (table on metadata)
from .store import documents as store_docs
from .store import graph as store_graph
from .store import schema as store_schema


@dataclass
class IngestResult:
    path: str
    status: str  # "ingested" | "unchanged" | "error"
    documents: int = 0
    provisions: int = 0
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    source_path: str | None = None  # the source's identity (path relative to the ingest root)
    reason: str | None = None  # for "error": why, without the file name (summaries group by it)


log = logging.getLogger(__name__)


def internal_error(path: str | Path, source_path: str, e: BaseException) -> IngestResult:
    """The error result of a file whose processing failed on a bug (or a dead worker process)."""
    reason = f"处理失败 (internal error: {type(e).__name__}: {e})"
    return IngestResult(str(path), "error", error=f"{path}: {reason}", source_path=source_path, reason=reason)

# What ``Library.ingest`` takes: a path (identity = its file name) or (path, source_path).
SourceRef = str | Path | tuple[str | Path, str]


def source_identity(item: SourceRef, root: str | Path | None = None) -> tuple[Path, str]:
    """``(path, source_path)``: a file is known by its path relative to where it was ingested from.

    Relative to ``root`` when given (the folder of ``zhengce ingest DIR``), else its own name,
    so a file ingested on its own, and every eval corpus file, keeps its name as its identity.
    """
    if isinstance(item, tuple):
        return Path(item[0]), item[1]
    p = Path(item)
    if root is not None:
        try:
            return p, p.resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return p, p.name


# Extraction stages: (name, extract(doc) -> list, save(conn, doc, items) -> None).
# Feature packages append to this list on import (see ``zhengce.extract.stages``).
ExtractStage = tuple[str, Callable[[Document], list], Callable[..., None]]

# Called after a successful ingest with the library and the names of changed sources,
# e.g. to refresh the search index.
POST_INGEST: list[Callable[[Library, list[str]], None]] = []


def rekey(doc: Document, key: str) -> None:
    """Give a parsed document a new key, moving its provisions' citation ids along."""
    old = doc.key

    def move(cid: str | None) -> str | None:
        return key + cid[len(old):] if cid and (cid == old or cid.startswith(old + "/")) else cid

    doc.key = key
    for p in doc.provisions:
        p.doc_key = key
        p.cid = move(p.cid) or p.cid
        p.parent = move(p.parent)


def key_plan(conn, name: str, source_path: str, keys: list[str]) -> dict[str, str]:
    """{key: new key} for the documents whose key another source already holds (a compilation's
    reprint, or ``notice#1`` of a second ``notice.txt``): ``key@stem``, then ``key@dir-stem``,
    then ``~2``….

    A key this same source held before is kept, so re-ingesting a changed file keeps its keys.
    Keys never contain "/" (a citation id is key + "/" + numbering path). Depends on the keys
    and the store only, so a file prepared ahead of the store is checked again in its write.
    """
    taken = store_docs.keys_elsewhere(conn, source_path, keys)
    if not taken:
        return {}
    used = set(keys)
    stem = Path(name).stem
    slug = re.sub(r"\.[^./]+$", "", source_path or name).replace("/", "-")
    plan: dict[str, str] = {}
    for key in keys:
        if key not in taken:
            continue
        new, n = None, 2
        cands = list(dict.fromkeys([f"{key}@{stem}", f"{key}@{slug}"]))
        while new is None:
            busy = store_docs.keys_elsewhere(conn, source_path, cands) | used
            new = next((c for c in cands if c not in busy), None)
            cands = [f"{key}@{slug}~{i}" for i in range(n, n + 32)]
            n += 32
        used.add(new)
        plan[key] = new
    return plan


def distinct_keys(conn, src: SourceText, docs: list[Document]) -> dict[str, str]:
    """Rekey the documents whose key another source holds (see ``key_plan``); returns the plan."""
    plan = key_plan(conn, src.name, src.source_path or src.name, [d.key for d in docs])
    for d in docs:
        if d.key in plan:
            rekey(d, plan[d.key])
    return plan


@dataclass
class Prepared:
    """A file read, parsed and extracted, ready for its write transaction.

    What a worker process sends back (``zhengce.prefetch``): plain data, no source text beyond
    what the documents hold. ``parsed_keys`` and ``plan`` let the write check that the key
    choice still holds when the store has moved on since (another file of the same run took a key).
    """
    path: Path
    source_path: str
    name: str
    sha256: str
    fmt: str
    encoding: str | None
    n_lines: int
    docs: list[Document]
    items: list[tuple[int, int, list]]  # (document index, stage index, extracted items)
    parsed_keys: list[str]
    plan: dict[str, str]
    cuts: tuple[tuple[int, ...], dict[str, str]] | None = None  # index texts cut ahead (segmenter state, cuts)


class Library:
    def __init__(self, url: str | None = None, data_dir: Path | None = None):
        self.url = url or settings.database_url()
        self.data_dir = Path(data_dir) if data_dir else settings.data_dir()
        self.engine: Engine = store_base.make_engine(self.url)
        from .extract.stages import load_stages
        self.stages: list[ExtractStage] = load_stages()
        with store_base.schema_lock(self.engine):  # two processes opening a new store at once
            store_schema.upgrade(self.engine)  # create_all, after converting a store of an older version
        self._search_index = None

    @property
    def search_index(self):
        """The search backend of this library (``zhengce.search.backend``), opened on first use."""
        if self._search_index is None:
            from .search.backend import open_backend
            self._search_index = open_backend(self)
        return self._search_index

    # -- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[SourceRef], *, force: bool = False,
               progress: Callable[[IngestResult], None] | None = None,
               root: str | Path | None = None, workers: int | None = None) -> list[IngestResult]:
        """Ingest files; each is identified by ``source_identity(item, root)``.

        ``workers`` (default the ``ingest_workers`` setting): processes that read, parse and
        extract the next files while this one writes the current file (``zhengce.prefetch``);
        0 does everything here. Files are written in the order given either way, one
        transaction each, so the outcome is the same.
        POST_INGEST hooks get the file names (``Document.source``) of the changed sources.
        """
        from .prefetch import prepared_ahead, worker_count
        refs = [source_identity(item, root) for item in paths]
        n = worker_count(self, workers, len(refs))
        results: list[IngestResult] = []
        changed: dict[str, None] = {}  # file names in order, each once (a list's ``in`` made 100,000 files quadratic)
        ahead = prepared_ahead(self, refs, force=force, workers=n) if n else None
        index = self.search_index.session()
        try:
            for path, source_path in refs:
                prep = next(ahead)[2] if ahead is not None else None
                r = self._ingest(path, source_path, force, index, prep)
                results.append(r)
                if r.status == "ingested":
                    changed[path.name] = None
                if progress:
                    progress(r)
        finally:
            if ahead is not None:
                ahead.close()
            index.close()
        if changed:
            names = list(changed)
            for hook in POST_INGEST:
                hook(self, names)
        return results

    def ingest_file(self, path: str | Path, *, force: bool = False,
                    source_path: str | None = None, index=None) -> IngestResult:
        """Ingest one file as the source ``source_path`` (default: its file name).

        ``index`` is an open search-index session (``Library.ingest`` passes one; else the file
        opens and commits its own).
        """
        if index is None:
            session = self.search_index.session()
            try:
                return self.ingest_file(path, force=force, source_path=source_path, index=session)
            finally:
                session.close()
        return self._ingest(Path(path), source_path or Path(path).name, force, index, None)

    def _ingest(self, path: Path, source_path: str, force: bool, index,
                prep: Prepared | IngestResult | None) -> IngestResult:
        """Write ``prep`` (prepared ahead, or here when None); prepare again here when the store
        moved on under it (its keys are no longer free)."""
        for attempt in (0, 1):
            if prep is None:
                prep = self.prepare(path, source_path=source_path, force=force)
            if isinstance(prep, IngestResult):
                return prep
            r = self.write(prep, index, force=force, check_keys=attempt == 0)
            if r is not None:
                return r
            prep = None
        raise AssertionError("unreachable: the second write does not check keys")

    def prepare(self, path: str | Path, *, source_path: str | None = None,
                force: bool = False) -> Prepared | IngestResult:
        """Read, parse and extract one file outside any transaction (here or in a worker process).

        An IngestResult when there is nothing to write: "unchanged" (same sha256 as stored), or
        "error" naming the file.
        """
        from .ingest import parse_source
        from .sources import read_source
        source_path = source_path or Path(path).name
        try:
            src = read_source(path)
            src.source_path = source_path
            with self.engine.connect() as conn:
                if not force and store_docs.source_sha(conn, source_path) == src.sha256:
                    return IngestResult(str(path), "unchanged", source_path=source_path)
            docs = parse_source(src)
            if not docs:
                raise SourceError(str(path), "未识别出任何公文 (no official document found)")
            parsed_keys = [d.key for d in docs]
            with self.engine.connect() as conn:
                plan = distinct_keys(conn, src, docs)
            items = [(i, j, extract(doc)) for i, doc in enumerate(docs)
                     for j, (_name, extract, _save) in enumerate(self.stages)]
        except ZhengceError as e:
            return IngestResult(str(path), "error", error=str(e), source_path=source_path,
                                reason=getattr(e, "reason", None) or str(e))
        except RecursionError:
            return IngestResult(str(path), "error", error=f"{path}: 文件结构过深 (nesting too deep)",
                                source_path=source_path, reason="文件结构过深 (nesting too deep)")
        except Exception as e:  # a bug met on one file must not stop a folder of thousands
            log.debug("ingest of %s failed", path, exc_info=True)
            return internal_error(path, source_path, e)
        return Prepared(Path(path), source_path, src.name, src.sha256, src.fmt, src.encoding, len(src.lines),
                        docs, items, parsed_keys, plan)

    def write(self, prep: Prepared, index, *, force: bool = False,
              check_keys: bool = True) -> IngestResult | None:
        """Replace the file's rows in one transaction and hand its documents to the index session.

        None when ``check_keys`` finds that the key choice made in ``prepare`` no longer holds
        (the caller prepares the file again).
        """
        source_path, docs = prep.source_path, prep.docs
        counts: dict[str, int] = {}
        with store_base.write_transaction(self.engine) as conn:
            store_docs.lock_source(conn, source_path)
            store_docs.lock_keys(conn, prep.parsed_keys)  # before the keys are checked: see lock_keys
            if not force and store_docs.source_sha(conn, source_path) == prep.sha256:
                # another process ingested this very version while we parsed it
                return IngestResult(str(prep.path), "unchanged", source_path=source_path)
            if check_keys and key_plan(conn, prep.name, source_path, prep.parsed_keys) != prep.plan:
                return None
            store_graph.keep_replaced(conn, source_path, prep.sha256)  # the old version stays diffable
            store_docs.delete_source(conn, source_path)
            store_docs.save_source(conn, name=prep.name, path=str(prep.path), sha256=prep.sha256,
                                   fmt=prep.fmt, encoding=prep.encoding, n_lines=prep.n_lines,
                                   docs=docs, source_path=source_path)
            for i, j, items in prep.items:
                name, _extract, save = self.stages[j]
                save(conn, docs[i], items)
                counts[name] = counts.get(name, 0) + len(items)
            if prep.cuts is not None:  # checked against the state the transaction's dictionary load leaves
                self.search_index.dictionary.segmenter.offer(*prep.cuts)
            index.in_transaction(conn, source_path, prep.sha256, docs)
        index.committed(source_path, prep.sha256, docs)
        return IngestResult(str(prep.path), "ingested", documents=len(docs), source_path=source_path,
                            provisions=sum(len(d.provisions) for d in docs), counts=counts)

    # -- read -----------------------------------------------------------------------------
    def documents(self, **filters) -> list[Document]:
        with self.engine.connect() as conn:
            return store_docs.list_documents(conn, **filters)

    def document(self, key: str) -> Document | None:
        from .extract.docnum import canonical_doc_number
        with self.engine.connect() as conn:
            doc = store_docs.get_document(conn, key)
            if doc is None:
                canon = canonical_doc_number(key)
                if canon:
                    doc = store_docs.get_document(conn, canon)
            return doc

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return store_docs.counts(conn)

    def is_empty(self) -> bool:
        return self.counts()["documents"] == 0

    def ensure_demo(self) -> list[IngestResult]:
        """Ingest the bundled sample gazettes (a no-op when they are already in)."""
        gaz = Path(settings.get("gazettes_dir") or "")
        return self.ingest(sorted(gaz.glob("*.txt")))
