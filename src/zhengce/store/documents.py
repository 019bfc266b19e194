"""Tables and repository functions for sources, documents, provisions and references.

A source file is the unit of ingest: re-ingesting an unchanged file (same sha256) is a no-op and
a changed file replaces all its documents in one transaction, so a failure leaves the old
version intact. A source is identified by ``source_path``, its path relative to the folder it
was ingested from ("/"-separated; the file name for a file ingested on its own), so two
``附件1.pdf`` in two folders are two sources; ``name`` (the file name) is what people and the
eval gold call it and what ``documents.source`` holds. Older stores keyed sources by ``name``;
``store.schema.upgrade`` converts them in place.

``source_log`` is the store's generation counter: every transaction that replaces or removes a
source appends a row (its ``gen`` is the new generation, ``source`` its ``source_path``) in the
same transaction. Derived indexes outside the database (the tantivy search index) remember the
generation they reflect and replay the sources logged since, so a crash between the store
commit and the index commit is repaired by the next reader or writer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    case,
    delete,
    func,
    or_,
    select,
)

from ..model import Document, Provision
from .base import insert_rows, metadata

sources = Table(
    "sources", metadata,
    Column("source_path", Text, primary_key=True),  # identity: path relative to the ingest root
    Column("name", String(255), nullable=False, index=True),  # file name, for display and the eval
    Column("path", Text, nullable=False),  # the path as given to ingest (absolute or relative)
    Column("sha256", String(64), nullable=False),
    Column("fmt", String(16), nullable=False),
    Column("encoding", String(32)),
    Column("n_lines", Integer, nullable=False),
    Column("ingested_at", DateTime, nullable=False),
)

documents = Table(
    "documents", metadata,
    Column("key", String(255), primary_key=True),
    Column("source", String(255), nullable=False, index=True),  # file name (display, eval, filters)
    Column("source_path", Text, ForeignKey("sources.source_path", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("seq", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("short_title", Text),
    Column("doc_number", String(128), index=True),
    Column("issuers", JSON),
    Column("date", Date, index=True),
    Column("addressees", JSON),
    Column("doc_type", String(32), index=True),
    Column("level", String(8)),
    Column("district", String(32)),
    Column("note", Text),
    Column("effective", Text),
    Column("trial", Boolean, nullable=False, default=False),
    Column("gazette", Text),
    Column("category", Text),
    Column("published", Date),  # 发布日期 from a page's metadata block
    Column("subject", Text),  # 主题分类 ("科技、教育\\教育"), a search filter and facet
    Column("index_no", String(64)),  # 索引号
    Column("field_sources", JSON),  # {"date": "signature", "doc_number": "metadata-block"}
    Column("notes", JSON),  # conflicts between the text and the metadata block
    Column("line_start", Integer, nullable=False),
    Column("line_end", Integer, nullable=False),
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(16)),  # 时效性 as last computed (zhengce.graph); the search facet reads it
)

provisions = Table(
    "provisions", metadata,
    Column("cid", String(512), primary_key=True),
    Column("doc_key", String(255), ForeignKey("documents.key", ondelete="CASCADE"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("label", String(64), nullable=False),
    Column("heading", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent", String(512)),
    Column("raw", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("line_start", Integer, nullable=False),
    Column("line_end", Integer, nullable=False),
    Column("cells", JSON),
    Column("header", JSON),
)

source_log = Table(
    "source_log", metadata,
    Column("gen", Integer, primary_key=True, autoincrement=True),
    Column("source", Text, nullable=False),  # source_path
    Column("sha256", String(64)),  # None: the source was removed
)

references = Table(
    "doc_references", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_key", String(255), ForeignKey("documents.key", ondelete="CASCADE"), nullable=False, index=True),
    Column("cid", String(512), nullable=False),
    Column("title", Text),
    Column("doc_number", String(128), index=True),
    Column("raw", Text, nullable=False),
    Column("repeal", Boolean, nullable=False, default=False),
    Column("relation", String(16), index=True),  # repeals | amends | … | cites (extract.references.RELATIONS)
    Column("alias", Text),
    Column("context", Text),
    Column("self_ref", Boolean),
    # Match keys of the target (zhengce.graph.resolve): a later ingest of the target finds these rows.
    Column("title_key", Text, index=True),
    Column("number_key", String(128), index=True),
)


def source_sha(conn: Connection, source_path: str) -> str | None:
    """The sha256 stored for the source at ``source_path`` (None when it is not in the library)."""
    stmt = select(sources.c.sha256).where(sources.c.source_path == source_path)
    return conn.execute(stmt).scalar_one_or_none()


def lock_source(conn: Connection, source_path: str) -> None:
    """Serialise writers of one source inside their transactions (PostgreSQL; SQLite writers
    are serialised already by BEGIN IMMEDIATE)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext(%(n)s))", {"n": source_path})


KEY_LOCKS = 0x7A6B  # class of the advisory locks on document keys (two-int key space: no clash)


def lock_keys(conn: Connection, keys: Iterable[str]) -> None:
    """Serialise the writers whose files hold documents with the same keys (PostgreSQL).

    A writer checks that its documents' keys are free, then inserts them; a second writer of a
    reprint (the same 文号 in another file) checking before the first commits saw the key free
    and failed on the unique key at the first's commit. Each writer now takes a transaction lock
    per key first, in sorted order (no deadlock), so the second checks after the first commits
    and takes ``key@stem``. Writers of different documents never wait; on SQLite BEGIN IMMEDIATE
    serialises every writer already.
    """
    if conn.dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(c)s, hashtext(%(k)s))", {"c": KEY_LOCKS, "k": key})


def keys_elsewhere(conn: Connection, source_path: str, keys: Iterable[str]) -> set[str]:
    """Which of ``keys`` already belong to documents of another source file."""
    keys = list(keys)
    if not keys:
        return set()
    stmt = (select(documents.c.key).where(documents.c.key.in_(keys))
            .where(documents.c.source_path != source_path))
    return {r[0] for r in conn.execute(stmt)}


def delete_source(conn: Connection, source_path: str) -> None:
    """Remove a source and everything derived from it (explicitly: SQLite FKs may be off).

    A table's ``info["before_delete"](conn, doc_keys)`` runs before any of the rows go (the
    kept task counts subtract what is about to be deleted).
    """
    keys = [r[0] for r in conn.execute(select(documents.c.key).where(documents.c.source_path == source_path))]
    tables = _dependent_tables()
    for table in tables:
        if keys and (hook := table.info.get("before_delete")) is not None:
            hook(conn, keys)
    for table in tables:
        if keys:
            conn.execute(delete(table).where(table.c.doc_key.in_(keys)))
    conn.execute(delete(documents).where(documents.c.source_path == source_path))
    if conn.execute(delete(sources).where(sources.c.source_path == source_path)).rowcount:
        conn.execute(source_log.insert().values(source=source_path, sha256=None))


def generation(conn: Connection) -> int:
    """The store's generation: grows with every committed change of a source (0: empty).

    Plain SQL: every search asks, and the statement compiler would cost more than the query.
    """
    return conn.exec_driver_sql("SELECT max(gen) FROM source_log").scalar_one() or 0


def log_since(conn: Connection, gen: int) -> list[tuple[int, str, str | None]]:
    """The ``source_log`` rows (generation, source_path, sha256) after ``gen``, in order."""
    return [tuple(r) for r in conn.execute(select(source_log.c.gen, source_log.c.source, source_log.c.sha256)
                                           .where(source_log.c.gen > gen).order_by(source_log.c.gen))]


def changes_since(conn: Connection, gen: int) -> tuple[int, dict[str, str | None]]:
    """(generation, {source_path: sha256 of its latest version, None if removed}) logged after ``gen``."""
    rows = log_since(conn, gen)
    return (rows[-1][0] if rows else gen), {name: sha for _g, name, sha in rows}


def source_shas(conn: Connection) -> dict[str, str]:
    """{source_path: sha256} of every source."""
    return dict(conn.execute(select(sources.c.source_path, sources.c.sha256)).all())


def documents_of_source(conn: Connection, source_path: str) -> list[Document]:
    """All documents of one source with their provisions, in two queries."""
    docs = [_doc(r) for r in conn.execute(
        select(documents).where(documents.c.source_path == source_path).order_by(documents.c.seq))]
    if not docs:
        return []
    by_key = {d.key: d for d in docs}
    for r in conn.execute(select(provisions).where(provisions.c.doc_key.in_(list(by_key)))
                          .order_by(provisions.c.doc_key, provisions.c.seq)):
        by_key[r.doc_key].provisions.append(_prov(r))
    return docs


def _dependent_tables() -> list[Table]:
    """Every table with a ``doc_key`` column other than documents (feature tables register too)."""
    return [t for t in metadata.sorted_tables[::-1]
            if t is not documents and "doc_key" in t.c and not t.info.get("survives_reingest")]


def save_source(conn: Connection, *, name: str, path: str, sha256: str, fmt: str,
                encoding: str | None, n_lines: int, docs: Iterable[Document],
                source_path: str | None = None) -> None:
    """Insert a source with its documents and provisions (caller owns the transaction).

    ``source_path`` is the source's identity (default ``name``, a file ingested on its own).
    References and other extracted items are saved by their extraction stages.
    """
    source_path = source_path or name
    conn.execute(sources.insert().values(
        source_path=source_path, name=name, path=path, sha256=sha256, fmt=fmt, encoding=encoding, n_lines=n_lines,
        ingested_at=dt.datetime.now(dt.UTC).replace(tzinfo=None)))
    conn.execute(source_log.insert().values(source=source_path, sha256=sha256))
    doc_rows, prov_rows = [], []
    for seq, d in enumerate(docs):
        doc_rows.append((
            d.key, name, source_path, seq, d.title, d.short_title, d.doc_number, d.issuers, d.date,
            d.addressees, d.doc_type, d.level, d.district, d.note, d.effective, d.trial, d.gazette,
            d.category, d.published, d.subject, d.index_no, d.field_sources or None, d.notes or None,
            d.line_start, d.line_end, d.raw, d.text, d.status))
        key = d.key
        prov_rows += [(p.cid, key, p.seq, p.level, p.label, p.heading, p.kind, p.parent, p.raw, p.text,
                       p.line_start, p.line_end, p.cells, p.header) for p in d.provisions]
    insert_rows(conn, documents, DOC_COLUMNS, doc_rows)
    insert_rows(conn, provisions, PROV_COLUMNS, prov_rows)


# Column order of the tuples ``save_source`` builds (explicit tuples: no dict per row).
DOC_COLUMNS = ["key", "source", "source_path", "seq", "title", "short_title", "doc_number", "issuers", "date",
               "addressees", "doc_type", "level", "district", "note", "effective", "trial", "gazette",
               "category", "published", "subject", "index_no", "field_sources", "notes",
               "line_start", "line_end", "raw", "text", "status"]
PROV_COLUMNS = ["cid", "doc_key", "seq", "level", "label", "heading", "kind", "parent", "raw", "text",
                "line_start", "line_end", "cells", "header"]
assert set(DOC_COLUMNS) == set(documents.c.keys()) and set(PROV_COLUMNS) == set(provisions.c.keys())


def _doc(row, provs: list[Provision] | None = None) -> Document:
    m = row._mapping
    return Document(
        key=m["key"], source=m["source"], source_path=m["source_path"], title=m["title"], short_title=m["short_title"],
        doc_number=m["doc_number"], issuers=m["issuers"], date=m["date"],
        addressees=m["addressees"] or [], doc_type=m["doc_type"], level=m["level"],
        district=m["district"], note=m["note"], effective=m["effective"], trial=m["trial"],
        gazette=m["gazette"], category=m["category"], published=m["published"], subject=m["subject"],
        index_no=m["index_no"], field_sources=m["field_sources"] or {}, notes=m["notes"] or [],
        line_start=m["line_start"],
        line_end=m["line_end"], raw=m["raw"], text=m["text"], provisions=provs or [],
        status=m.get("status"))


def _prov(row) -> Provision:
    m = row._mapping
    return Provision(
        cid=m["cid"], doc_key=m["doc_key"], level=m["level"], label=m["label"],
        heading=m["heading"], raw=m["raw"], text=m["text"], line_start=m["line_start"],
        line_end=m["line_end"], kind=m["kind"], parent=m["parent"], seq=m["seq"],
        cells=m["cells"], header=m["header"])


def list_documents(conn: Connection, *, source: str | None = None, issuer: str | None = None,
                   doc_type: str | None = None, since: dt.date | None = None,
                   until: dt.date | None = None, query: str | None = None,
                   limit: int | None = None, offset: int = 0) -> list[Document]:
    """Documents (without provisions) in source order, filtered.

    ``source`` is a file name or a source path (``a/notice.txt``): the name matches every file
    so called, the path only that one.
    """
    stmt = select(documents).order_by(documents.c.source, documents.c.source_path, documents.c.seq)
    if source:
        stmt = stmt.where(or_(documents.c.source == source, documents.c.source_path == source))
    if doc_type:
        stmt = stmt.where(documents.c.doc_type == doc_type)
    if since:
        stmt = stmt.where(documents.c.date >= since)
    if until:
        stmt = stmt.where(documents.c.date <= until)
    if query:
        stmt = stmt.where(documents.c.title.contains(query))
    if not issuer and limit:  # no filter left for Python: the page is cut in SQL
        stmt = stmt.limit(limit).offset(offset)
        return [_doc(r) for r in conn.execute(stmt)]
    docs = [_doc(r) for r in conn.execute(stmt)]
    if issuer:
        docs = [d for d in docs if any(issuer in i for i in (d.issuers or []))]
    return docs[offset: offset + limit if limit else None]


def latest_documents(conn: Connection, n: int) -> list[Document]:
    """The ``n`` documents signed last (undated ones after every dated one; ties by key, both
    descending), one query: a home page at 100,000 documents must not read them all."""
    key = documents.c.key.collate("C") if conn.dialect.name == "postgresql" else documents.c.key
    stmt = (select(documents).order_by(case((documents.c.date.is_(None), 1), else_=0),
                                       documents.c.date.desc(), key.desc()).limit(n))
    return [_doc(r) for r in conn.execute(stmt)]


def doc_types(conn: Connection) -> list[str]:
    """The distinct 文种 of the library, sorted."""
    return sorted(t for (t,) in conn.execute(select(documents.c.doc_type).distinct()) if t)


def get_document(conn: Connection, key: str, *, with_provisions: bool = True) -> Document | None:
    """A document by key or by 文号 (any bracket style: the caller canonicalises)."""
    row = conn.execute(select(documents).where(documents.c.key == key)).first()
    if row is None:
        row = conn.execute(select(documents).where(documents.c.doc_number == key)).first()
    if row is None:
        return None
    provs = None
    if with_provisions:
        provs = [_prov(r) for r in conn.execute(
            select(provisions).where(provisions.c.doc_key == row.key).order_by(provisions.c.seq))]
    return _doc(row, provs)


def get_provision(conn: Connection, cid: str) -> Provision | None:
    row = conn.execute(select(provisions).where(provisions.c.cid == cid)).first()
    return _prov(row) if row else None


def iter_provisions(conn: Connection, doc_keys: list[str] | None = None) -> Iterable[Provision]:
    stmt = select(provisions).order_by(provisions.c.doc_key, provisions.c.seq)
    if doc_keys is not None:
        stmt = stmt.where(provisions.c.doc_key.in_(doc_keys))
    for r in conn.execute(stmt):
        yield _prov(r)


def references_of(conn: Connection, doc_key: str) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        select(references).where(references.c.doc_key == doc_key).order_by(references.c.id))]


def cited_by(conn: Connection, doc: Document) -> list[dict]:
    """References in other documents that point at ``doc`` (by 文号 or by title)."""
    conds = []
    if doc.doc_number:
        conds.append(references.c.doc_number == doc.doc_number)
    titles = [t for t in (doc.title, doc.short_title) if t]
    if titles:
        conds.append(references.c.title.in_(titles))
    if not conds:
        return []
    stmt = select(references).where(or_(*conds)).where(references.c.doc_key != doc.key)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def counts(conn: Connection) -> dict[str, int]:
    return {
        "sources": conn.execute(select(func.count()).select_from(sources)).scalar_one(),
        "documents": conn.execute(select(func.count()).select_from(documents)).scalar_one(),
        "provisions": conn.execute(select(func.count()).select_from(provisions)).scalar_one(),
    }

