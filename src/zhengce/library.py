"""The ``Library``: one object that owns the store and runs the pipeline.

Every face (CLI, API, web, eval) goes through it, so they stay in step. Ingest is atomic per
file: parse and extract outside the transaction, then replace the file's rows in one
transaction; an unchanged file (same sha256) is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from . import settings
from .errors import SourceError, ZhengceError
from .model import Document
from .store import base as store_base
from .store import documents as store_docs


@dataclass
class IngestResult:
    path: str
    status: str  # "ingested" | "unchanged" | "error"
    documents: int = 0
    provisions: int = 0
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


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


class Library:
    def __init__(self, url: str | None = None, data_dir: Path | None = None):
        self.url = url or settings.database_url()
        self.data_dir = Path(data_dir) if data_dir else settings.data_dir()
        self.engine: Engine = store_base.make_engine(self.url)
        from .extract.stages import load_stages
        self.stages: list[ExtractStage] = load_stages()
        store_base.metadata.create_all(self.engine)
        store_base.add_missing_columns(self.engine)

    # -- ingest ---------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, force: bool = False,
               progress: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
        results, changed = [], []
        for path in paths:
            r = self.ingest_file(path, force=force)
            results.append(r)
            if r.status == "ingested":
                changed.append(Path(path).name)
            if progress:
                progress(r)
        if changed:
            for hook in POST_INGEST:
                hook(self, changed)
        return results

    def ingest_file(self, path: str | Path, *, force: bool = False) -> IngestResult:
        from .ingest import parse_source
        from .sources import read_source
        try:
            src = read_source(path)
            with self.engine.connect() as conn:
                if not force and store_docs.source_sha(conn, src.name) == src.sha256:
                    return IngestResult(str(path), "unchanged")
            docs = parse_source(src)
            if not docs:
                raise SourceError(str(path), "未识别出任何公文 (no official document found)")
            with self.engine.connect() as conn:
                taken = store_docs.keys_elsewhere(conn, src.name, [d.key for d in docs])
            for d in docs:
                if d.key in taken:  # the same 文号 reprinted in another file (a compilation)
                    rekey(d, f"{d.key}@{Path(src.name).stem}")
            extracted = [(doc, name, extract(doc), save) for doc in docs
                         for name, extract, save in self.stages]
        except ZhengceError as e:
            return IngestResult(str(path), "error", error=str(e))
        except RecursionError:
            return IngestResult(str(path), "error", error=f"{path}: 文件结构过深 (nesting too deep)")
        counts: dict[str, int] = {}
        with self.engine.begin() as conn:
            store_docs.delete_source(conn, src.name)
            store_docs.save_source(conn, name=src.name, path=str(path), sha256=src.sha256,
                                   fmt=src.fmt, encoding=src.encoding, n_lines=len(src.lines),
                                   docs=docs)
            for doc, name, items, save in extracted:
                save(conn, doc, items)
                counts[name] = counts.get(name, 0) + len(items)
        return IngestResult(str(path), "ingested", documents=len(docs),
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
