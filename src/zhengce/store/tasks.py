"""Tables for implementation tasks (对账销账) and their tracking state.

``tasks`` and ``task_units`` are derived from the text and are replaced when a file is
re-ingested. Tracking state (``task_status``, ``task_events``) and ``accounts`` are people's work:
they are keyed by the stable task id (provision citation id + ordinal) and marked
``survives_reingest`` so a re-ingest never loses progress notes or the audit log.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
)

from . import task_counts
from .base import insert_rows, metadata

tasks = Table(
    "tasks", metadata,
    Column("id", String(600), primary_key=True),  # cid + "#" + ordinal, stable across re-ingest
    Column("doc_key", String(255), nullable=False, index=True),
    Column("source", String(255), nullable=False, index=True),
    Column("cid", String(512), nullable=False),
    Column("seq", Integer, nullable=False),  # order within the document
    Column("number", String(32)),  # 序号 / item number as written
    Column("title", Text),  # 重点任务 / run-in heading
    Column("text", Text, nullable=False),  # the measure
    Column("parent_task", Text),  # 市级重点任务 the measure implements, when a column says so
    Column("lead_units", JSON, nullable=False),
    Column("co_units", JSON, nullable=False),
    Column("deadline_raw", String(128)),
    Column("deadline", Date, index=True),
    Column("ongoing", Boolean, nullable=False, default=False),
    Column("line_start", Integer, nullable=False),
    Column("line_end", Integer, nullable=False),
    info={"before_delete": task_counts.uncount},  # the kept counts subtract a file's old tasks
)

task_units = Table(
    "task_units", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", String(600), nullable=False, index=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("unit", String(255), nullable=False),  # as written
    Column("canonical", String(255), nullable=False, index=True),  # registry name
    Column("role", String(8), nullable=False),  # lead | co
)

task_status = Table(
    "task_status", metadata,
    Column("task_id", String(600), primary_key=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("status", String(16), nullable=False),  # 未开始 | 推进中 | 已完成
    Column("note", Text),  # latest progress note
    Column("note_at", DateTime),
    Column("evidence", Text),  # completion evidence
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(255), nullable=False),
    info={"survives_reingest": True},
)

task_events = Table(
    "task_events", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", String(600), nullable=False, index=True),
    Column("doc_key", String(255), index=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(255), nullable=False),  # account name (agency or admin)
    Column("action", String(16), nullable=False),  # status | note | evidence | refused
    Column("old", Text),
    Column("new", Text),
    Column("detail", Text),
    info={"survives_reingest": True},
)

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(255), nullable=False, unique=True),
    Column("agency", String(255)),  # canonical agency name; null for admin
    Column("role", String(8), nullable=False),  # admin | agency
    Column("token_hash", String(128), nullable=False, unique=True),  # sha256 hex of the token
    Column("created_at", DateTime, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    info={"survives_reingest": True},
)


TASK_COLUMNS = ["id", "doc_key", "source", "cid", "seq", "number", "title", "text", "parent_task", "lead_units",
                "co_units", "deadline_raw", "deadline", "ongoing", "line_start", "line_end"]
UNIT_COLUMNS = ["task_id", "doc_key", "unit", "canonical", "role"]


def save(conn, items) -> None:
    """Insert extracted tasks and their unit index (caller owns the transaction: a
    ``write_transaction``, which applies the kept counts' change before it commits), one
    ``executemany``/COPY per table with explicit tuples."""
    from ..extract.agencies import registry
    if not items:
        return
    canonical = registry().canonical
    insert_rows(conn, tasks, TASK_COLUMNS, [(
        t.id, t.doc_key, t.source, t.cid, t.seq, t.number, t.title, t.text, t.parent_task, t.lead_units,
        t.co_units, t.deadline_raw, t.deadline, t.ongoing, t.line_start, t.line_end) for t in items])
    insert_rows(conn, task_units, UNIT_COLUMNS, [
        (t.id, t.doc_key, u, canonical(u), role)
        for t in items for role, us in (("lead", t.lead_units), ("co", t.co_units)) for u in us])
    task_counts.count_new(conn, items)


task_reports = Table(
    "task_reports", metadata,
    Column("as_of", Date, primary_key=True),  # the 对账 date a monthly report was made for
    Column("created_at", DateTime, nullable=False),
    Column("tasks", Integer, nullable=False),  # tasks the report covered
    info={"survives_reingest": True},
)
