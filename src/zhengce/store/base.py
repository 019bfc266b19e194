"""Engine and metadata shared by every table module.

SQLAlchemy 2 Core so the same code runs on SQLite (default, a file) and PostgreSQL
(``ZHENGCE_DATABASE_URL=postgresql://…``). Table modules register on ``metadata``;
``connect`` creates what is missing.

Sharing one SQLite file between processes (several ``zhengce ingest``, a multi-worker
``zhengce serve``): WAL journal, a 60 s busy timeout, and transactions that SQLAlchemy begins
are real ``BEGIN``s (pysqlite's legacy mode would run the first SELECTs outside the
transaction). Writers use :func:`write_transaction`, which begins ``IMMEDIATE``: a deferred
transaction that read first and writes later fails at once with SQLITE_BUSY_SNAPSHOT when
another process committed in between, whatever the busy timeout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event

metadata = MetaData()
BUSY_TIMEOUT_S = 60


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
    dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below emits BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.pop("zhengce_write", False) else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; ``postgresql://`` is mapped to the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    kw = {"connect_args": {"timeout": BUSY_TIMEOUT_S}} if url.startswith("sqlite") else {}
    engine = create_engine(url, future=True, **kw)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE), committed on exit."""
    with engine.connect() as conn:
        conn.info["zhengce_write"] = True
        try:
            with conn.begin():
                yield conn
        finally:
            conn.info.pop("zhengce_write", None)


def insert_ignore(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows``, skipping those that collide with a unique key (both dialects)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(table).on_conflict_do_nothing(), rows)
