"""The embedded tantivy index of provisions in ``Library.data_dir / "search"``.

Text is pre-segmented by :class:`Segmenter` and indexed whitespace-joined (tantivy's whitespace
tokenizer), so index and queries share one segmentation and one domain dictionary. Everything a
hit shows is stored in the index, so a search never touches the database.

Freshness: ``refresh`` runs after every ingest (``POST_INGEST`` hook) and, because a library may
be filled by a process that never imported this module, ``ensure_fresh`` also compares the
store's source signature with the index manifest before searching. A grown domain dictionary
rebuilds the whole index (old segments were cut without the new words).
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import tantivy
from sqlalchemy import func, select

from ..library import POST_INGEST, Library
from ..model import Document, Provision
from ..store import documents as store_docs
from .segment import Segmenter, harvest_terms

INDEX_VERSION = 6
FRESH_CHECK_SECONDS = 1.0


def build_schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("cid", stored=True, tokenizer_name="raw")
    sb.add_text_field("doc_key", stored=True, tokenizer_name="raw")
    sb.add_text_field("source", stored=True, tokenizer_name="raw")
    sb.add_text_field("body", stored=False, tokenizer_name="ws", index_option="freq")
    sb.add_text_field("ctx", stored=False, tokenizer_name="ws", index_option="freq")  # document title, 文号
    sb.add_text_field("path", stored=False, tokenizer_name="ws", index_option="freq")  # heading path, table header
    sb.add_text_field("issuer", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("doc_number", stored=True, tokenizer_name="raw")
    sb.add_text_field("doc_type", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("level", stored=False, tokenizer_name="raw")
    sb.add_text_field("district", stored=False, tokenizer_name="raw")
    sb.add_integer_field("day", stored=False, indexed=True, fast=True)  # yyyymmdd, 0 when unknown
    sb.add_integer_field("year", stored=False, indexed=True, fast=True)
    sb.add_bytes_field("meta", stored=True, indexed=False, fast=False)  # UTF-8 JSON of display fields
    sb.add_integer_field("seq", stored=True, indexed=False, fast=False)
    return sb.build()


def _register(index: tantivy.Index) -> None:
    index.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())


@dataclass
class IndexedLibrary:
    """An open index with the segmenter it was built with."""

    index: tantivy.Index
    segmenter: Segmenter
    signature: tuple
    path: Path
    checked: float = 0.0  # time.monotonic() of the last store-signature check


_OPEN: dict[str, IndexedLibrary] = {}
_LOCK = threading.Lock()


def index_dir(library: Library) -> Path:
    return Path(library.data_dir) / "search"


def store_signature(library: Library) -> tuple:
    """Cheap fingerprint of what the store holds (changes on every ingest)."""
    s = store_docs.sources
    with library.engine.connect() as conn:
        n, last = conn.execute(select(func.count(), func.max(s.c.ingested_at))).one()
        return (INDEX_VERSION, n, str(last))


def heading_paths(doc: Document) -> dict[str, list[str]]:
    """cid -> ancestor labels/headings, outermost first, from the provision tree's parent links."""
    by_cid = {p.cid: p for p in doc.provisions}
    out: dict[str, list[str]] = {}
    for p in doc.provisions:
        path, parent, guard = [], p.parent, 0
        while parent and parent in by_cid and guard < 20:
            a = by_cid[parent]
            path.append(f"{a.label} {a.heading}".strip() if a.heading else a.label)
            parent, guard = a.parent, guard + 1
        out[p.cid] = path[::-1]
    return out


def doc_context(doc: Document) -> str:
    return " ".join(t for t in (doc.title, doc.short_title or "", doc.doc_number or "") if t)


def provision_fields(seg: Segmenter, doc: Document, p: Provision, path: list[str],
                     doc_ctx_tokens: str, cache: dict[str, str] | None = None) -> dict:
    """The tantivy document for one provision."""
    row_ctx = " ".join(p.header or []) if p.kind == "row" else ""
    key = " ".join(path) + " " + row_ctx
    path_tokens = cache.get(key) if cache is not None else None
    if path_tokens is None:
        path_tokens = " ".join(seg.tokens(key))
        if cache is not None:
            cache[key] = path_tokens
    day = int(doc.date.strftime("%Y%m%d")) if doc.date else 0
    meta = {"title": doc.title, "issuers": doc.issuers or [], "date": doc.date.isoformat() if doc.date else None,
            "path": path, "text": p.text, "raw": p.raw if p.raw != p.text else None, "ls": p.line_start, "le": p.line_end, "kind": p.kind}
    fields = {
        "cid": p.cid, "doc_key": doc.key, "source": doc.source,
        "body": " ".join(seg.tokens(p.text)), "ctx": doc_ctx_tokens, "path": path_tokens,
        "issuer": list(doc.issuers or []) or [""], "doc_number": doc.doc_number or "",
        "doc_type": doc.doc_type or "", "level": doc.level or "", "district": doc.district or "",
        "day": day, "year": day // 10000, "meta": json.dumps(meta, ensure_ascii=False).encode(), "seq": p.seq,
    }
    return fields


def iter_documents(library: Library, sources: Iterable[str] | None = None) -> Iterator[Document]:
    with library.engine.connect() as conn:
        names = list(sources) if sources is not None else None
        for d in store_docs.list_documents(conn):
            if names is None or d.source in names:
                full = store_docs.get_document(conn, d.key)
                if full is not None:
                    yield full


def harvest(docs: Iterable[Document]) -> tuple[set[str], list[list[str]]]:
    words: set[str] = set()
    pairs: list[list[str]] = []
    for d in docs:
        w, p = harvest_terms(d.title, d.text or d.raw)
        words |= w
        pairs += p
        for i in d.issuers or []:
            words.add(i)
        if d.short_title and len(d.short_title) <= 12:
            words.add(d.short_title)
    return words, pairs


def _save_dictionary(path: Path, seg: Segmenter, harvested: tuple[set[str], list[list[str]]]) -> None:
    words, pairs = harvested
    (path / "dictionary.json").write_text(json.dumps({"words": sorted(words), "pairs": pairs},
                                                     ensure_ascii=False), encoding="utf-8")


def _load_dictionary(path: Path) -> tuple[set[str], list[list[str]]]:
    p = path / "dictionary.json"
    if not p.is_file():
        return set(), []
    d = json.loads(p.read_text(encoding="utf-8"))
    return set(d["words"]), d["pairs"]


def add_documents(writer, seg: Segmenter, docs: Iterable[Document]) -> int:
    n = 0
    for doc in docs:
        paths = heading_paths(doc)
        dctx = " ".join(seg.tokens(doc_context(doc)))
        path_cache: dict[str, str] = {}  # siblings share a heading path: segment it once
        for p in doc.provisions:
            if not p.text.strip():
                continue
            writer.add_document(tantivy.Document(**provision_fields(seg, doc, p, paths[p.cid], dctx, path_cache)))
            n += 1
    return n


def rebuild(library: Library) -> IndexedLibrary:
    """Build the index from scratch from the store (harvest the dictionary first)."""
    path = index_dir(library)
    sig = store_signature(library)
    docs = list(iter_documents(library))
    harvested = harvest(docs)
    seg = Segmenter(harvested[0], harvested[1])
    tmp = path.with_name("search.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    index = tantivy.Index(build_schema(), path=str(tmp))
    _register(index)
    writer = index.writer(heap_size=128_000_000, num_threads=1)
    add_documents(writer, seg, docs)
    writer.commit()
    writer.wait_merging_threads()
    _save_dictionary(tmp, seg, harvested)
    (tmp / "manifest.json").write_text(json.dumps({"signature": list(sig)}), encoding="utf-8")
    shutil.rmtree(path, ignore_errors=True)
    tmp.rename(path)
    return _open(path, sig, seg)


def _open(path: Path, sig: tuple, seg: Segmenter | None = None) -> IndexedLibrary:
    index = tantivy.Index.open(str(path))
    _register(index)
    if seg is None:
        words, pairs = _load_dictionary(path)
        seg = Segmenter(words, pairs)
    return IndexedLibrary(index, seg, sig, path)


def refresh(library: Library, changed: list[str] | None = None) -> IndexedLibrary:
    """Bring the index up to date after ``changed`` sources were (re)ingested.

    Incremental when the changed documents add no new dictionary words; otherwise a rebuild.
    """
    path = index_dir(library)
    key = str(path)
    with _LOCK:
        cur = _OPEN.get(key)
        if cur is None and (path / "manifest.json").is_file():
            cur = _open(path, tuple(json.loads((path / "manifest.json").read_text())["signature"]))
        if cur is None or changed is None:
            _OPEN[key] = rebuild(library)
            return _OPEN[key]
        docs = list(iter_documents(library, changed))
        words, pairs = harvest(docs)
        old_words, old_pairs = _load_dictionary(path)
        new_pairs = [p for p in pairs if p not in old_pairs]
        if not words <= old_words or new_pairs:
            _OPEN[key] = rebuild(library)
            return _OPEN[key]
        writer = cur.index.writer(heap_size=64_000_000, num_threads=1)
        for name in changed:
            writer.delete_documents("source", name)
        add_documents(writer, cur.segmenter, docs)
        writer.commit()
        writer.wait_merging_threads()
        sig = store_signature(library)
        (path / "manifest.json").write_text(json.dumps({"signature": list(sig)}), encoding="utf-8")
        cur.index.reload()
        cur.signature = sig
        return cur


def ensure_fresh(library: Library) -> IndexedLibrary:
    """The open index for ``library``, rebuilt when the store changed since it was built."""
    path = index_dir(library)
    key = str(path)
    cur = _OPEN.get(key)
    now = time.monotonic()
    # Ingest in this process refreshes through POST_INGEST at once; another process's ingest
    # is noticed within FRESH_CHECK_SECONDS without a database round trip on every query.
    if cur is not None and now - cur.checked < FRESH_CHECK_SECONDS:
        return cur
    sig = store_signature(library)
    if cur is not None and cur.signature == sig:
        cur.checked = now
        return cur
    with _LOCK:
        if cur is None and (path / "manifest.json").is_file():
            stored = tuple(json.loads((path / "manifest.json").read_text())["signature"])
            if stored == sig:
                _OPEN[key] = _open(path, sig)
                return _OPEN[key]
    return refresh(library, None)


def _post_ingest(library: Library, changed: list[str]) -> None:
    """Refresh an index that exists; a library never searched builds its index on first query."""
    if library.engine.dialect.name != "postgresql":
        path = index_dir(library)
        if str(path) not in _OPEN and not (path / "manifest.json").is_file():
            return
    if library.engine.dialect.name == "postgresql":
        from . import pg
        if pg.is_built(library):
            pg.refresh(library, changed)
        return
    refresh(library, changed)


if _post_ingest not in POST_INGEST:
    POST_INGEST.append(_post_ingest)
