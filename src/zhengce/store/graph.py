"""Tables of the policy graph: each document's own 施行/有效期 clauses, the names references
resolve by, and kept previous versions.

``document_names`` is derived too: each document's 文号 and titles in the keys references are
compared by (``number_key``, ``title_key``), indexed, so resolving a reference is one lookup
instead of reading every document (which made a re-ingest at 100,000 documents cost seconds).
Rows are numbered in the order documents were stored: the first stored wins a shared name.

``doc_clauses`` is derived (re-extracted on every ingest). ``doc_versions`` survives re-ingest: when a
changed file replaces a document, or a 修订 version of a document arrives, the provisions it had are
kept here so ``zhengce diff`` can compare them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Column, Connection, Date, DateTime, Index, Integer, String, Table, Text, select

from ..model import Document
from .base import insert_rows, metadata

doc_clauses = Table(
    "doc_clauses", metadata,
    Column("doc_key", String(255), primary_key=True),
    Column("start", Date),
    Column("end", Date),
    Column("start_raw", Text),
    Column("end_raw", Text),
)

document_names = Table(
    "document_names", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("kind", String(8), nullable=False),  # "number": number_key of the 文号 | "title": title_key
    Column("name", Text, nullable=False),
    Index("ix_document_names_lookup", "kind", "name"),
)

doc_versions = Table(
    "doc_versions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("source_path", Text),
    Column("sha256", String(64)),
    Column("title", Text, nullable=False),
    Column("doc_number", String(128)),
    Column("date", Date),
    Column("kept_at", DateTime, nullable=False),
    Column("reason", String(32), nullable=False),  # "reingest" (the file changed) | "revised" (a 修订 version)
    Column("provisions", JSON, nullable=False),  # [{cid, label, heading, text, raw, seq}]
    info={"survives_reingest": True},
)


def save_clauses(conn: Connection, doc: Document, items: list) -> None:
    insert_rows(conn, doc_clauses, ["doc_key", "start", "end", "start_raw", "end_raw"],
                [(doc.key, c.start, c.end, c.start_raw, c.end_raw) for c in items])


def save_names(conn: Connection, doc: Document, items: list[tuple[str, str]]) -> None:
    insert_rows(conn, document_names, ["doc_key", "kind", "name"], [(doc.key, k, n) for k, n in items])


def first_named(conn: Connection, kind: str, name: str) -> str | None:
    """The key of the first stored document with this name (``kind`` "number" or "title")."""
    return conn.execute(select(document_names.c.doc_key)
                        .where(document_names.c.kind == kind, document_names.c.name == name)
                        .order_by(document_names.c.id).limit(1)).scalar_one_or_none()


def clauses_of(conn: Connection, keys: list[str] | None = None) -> dict[str, dict]:
    stmt = select(doc_clauses)
    if keys is not None:
        stmt = stmt.where(doc_clauses.c.doc_key.in_(keys))
    return {r.doc_key: dict(r._mapping) for r in conn.execute(stmt)}


def keep_version(conn: Connection, doc: Document, *, reason: str, sha256: str | None = None,
                 source_path: str | None = None) -> int:
    """Store a snapshot of ``doc`` (with its provisions) as a previous version; returns its id."""
    provs = [{"cid": p.cid, "label": p.label, "heading": p.heading, "text": p.text, "raw": p.raw,
              "seq": p.seq, "kind": p.kind} for p in doc.provisions]
    res = conn.execute(doc_versions.insert().values(
        doc_key=doc.key, source_path=source_path or doc.source_path, sha256=sha256, title=doc.title,
        doc_number=doc.doc_number, date=doc.date, kept_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
        reason=reason, provisions=provs))
    return int(res.inserted_primary_key[0])


def keep_replaced(conn: Connection, source_path: str, new_sha: str) -> list[int]:
    """Before a changed file replaces its documents: keep each one's current provisions as a version."""
    from . import documents as store_docs
    old_sha = store_docs.source_sha(conn, source_path)
    if old_sha is None or old_sha == new_sha:
        return []
    return [keep_version(conn, d, reason="reingest", sha256=old_sha, source_path=source_path)
            for d in store_docs.documents_of_source(conn, source_path)]


def versions_of(conn: Connection, doc_key: str) -> list[dict]:
    """Kept versions of a document, oldest first (without provisions)."""
    cols = [c for c in doc_versions.c if c.name != "provisions"]
    return [dict(r._mapping) for r in conn.execute(
        select(*cols).where(doc_versions.c.doc_key == doc_key).order_by(doc_versions.c.id))]


def version(conn: Connection, version_id: int) -> dict | None:
    r = conn.execute(select(doc_versions).where(doc_versions.c.id == version_id)).first()
    return dict(r._mapping) if r else None
