"""Engine and metadata shared by every table module.

SQLAlchemy 2 Core so the same code runs on SQLite (default, a file) and PostgreSQL
(``ZHENGCE_DATABASE_URL=postgresql://…``). Table modules register on ``metadata``;
``connect`` creates what is missing.
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, create_engine, event

metadata = MetaData()


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; ``postgresql://`` is mapped to the psycopg 3 driver."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine
