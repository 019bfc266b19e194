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

import functools
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


IN_CHUNK = 500  # values per IN (...) list: PostgreSQL takes at most 65,535 parameters a statement


def chunks(values: list, size: int = IN_CHUNK) -> Iterator[list]:
    """``values`` in lists of at most ``size``: one IN (...) query each (a bulk ingest hands a
    query 100,000 names)."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that takes the write lock first (SQLite: BEGIN IMMEDIATE), committed on exit.

    ``before_commit(conn, fn)`` queues ``fn(conn)`` to run once at the end of the transaction,
    just before it commits: work gathered over the transaction and written in one statement
    (the kept task counts) — dropped with the transaction when it fails.
    """
    with engine.connect() as conn:
        conn.info["zhengce_write"] = True
        conn.info[_BEFORE_COMMIT] = {}
        try:
            with conn.begin():
                yield conn
                while conn.info[_BEFORE_COMMIT]:  # a hook may queue another
                    conn.info[_BEFORE_COMMIT].popitem()[1](conn)
        finally:
            conn.info.pop("zhengce_write", None)
            conn.info.pop(_BEFORE_COMMIT, None)


_BEFORE_COMMIT = "zhengce_before_commit"


def before_commit(conn: Connection, key: str, fn):
    """Queue ``fn(conn)`` to run before this write transaction commits, once per ``key``; the
    queued callable (the first one given for ``key``: it may gather state over the transaction).

    Outside ``write_transaction`` there is no such moment: an error, not a silent loss.
    """
    hooks = conn.info.get(_BEFORE_COMMIT)
    if hooks is None:
        raise RuntimeError(f"{key}: a change that needs write_transaction() was made outside it")
    return hooks.setdefault(key, fn)


def insert_ignore(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert ``rows``, skipping those that collide with a unique key (both dialects)."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    conn.execute(insert(table).on_conflict_do_nothing(), rows)


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows given as dicts (every row with the keys of the first): see ``insert_rows``."""
    if not rows:
        return
    cols = [c.name for c in table.columns if c.name in rows[0]]
    insert_rows(conn, table, cols, [tuple(r.get(c) for c in cols) for r in rows])


@functools.lru_cache(maxsize=256)
def _cell_kinds(table: Table, cols: tuple[str, ...], sqlite: bool) -> tuple[tuple[int, str], ...]:
    """(position, kind) of the cells ``insert_rows`` must convert: JSON always, dates on SQLite."""
    from sqlalchemy import JSON, Date, DateTime
    special = []
    for i, name in enumerate(cols):
        t = table.c[name].type
        if isinstance(t, JSON):
            special.append((i, "json"))
        elif sqlite and isinstance(t, DateTime):
            special.append((i, "datetime"))
        elif sqlite and isinstance(t, Date):
            special.append((i, "date"))
    return tuple(special)


def insert_rows(conn: Connection, table: Table, cols: list[str], rows: list[tuple]) -> None:
    """Insert many rows (tuples in ``cols`` order) in one round trip: COPY on PostgreSQL, one
    ``executemany`` on SQLite.

    Bypasses SQLAlchemy's per-row bind processing (a third of ingest time for provisions):
    JSON cells are serialised here with orjson, SQLite dates as SQLAlchemy's ISO text, every
    other cell goes to the driver as is. Column defaults are not applied: give every column.
    """
    if not rows:
        return
    import orjson

    sqlite = conn.dialect.name == "sqlite"
    special = _cell_kinds(table, tuple(cols), sqlite)
    if special:
        data = []
        for r in rows:
            row = list(r)
            for i, kind in special:
                v = row[i]
                if v is not None:  # SQLAlchemy's SQLite storage formats (ISO text)
                    row[i] = (orjson.dumps(v).decode() if kind == "json" else
                              v.isoformat(sep=" ") if kind == "datetime" else v.isoformat())
            data.append(tuple(row))
    else:
        data = rows
    quoted = ", ".join(f'"{c}"' for c in cols)
    if not sqlite:
        cur = conn.connection.dbapi_connection.cursor()
        with cur.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as cp:
            for row in data:
                cp.write_row(row)
        return
    marks = ", ".join("?" * len(cols))
    conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})', data)


@contextmanager
def schema_lock(engine: Engine) -> Iterator[None]:
    """Serialise store creation/upgrade between processes opening one SQLite file at once.

    ``create_all`` reads the catalogue and then writes in one deferred transaction; two
    processes creating a fresh store together would fail with "database is locked" (SQLite does
    not wait when a reader's snapshot went stale). PostgreSQL's DDL is transactional and waits.
    """
    db = engine.url.database if engine.dialect.name == "sqlite" else None
    if not db or db == ":memory:":
        yield
        return
    import fcntl
    import os
    fd = os.open(f"{db}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
