"""Bring a store made by an older zhengce up to the current tables, in place.

The store is created by ``metadata.create_all``, which creates missing tables but never changes
an existing one, so an old ``.zhengce`` file would crash on the first query naming a new column.
``upgrade`` runs before ``create_all`` and does two things, on SQLite and PostgreSQL alike:

1. Structural steps in ``UPGRADES`` (append yours), each ``(name, needed(conn), apply(engine))``.
   The first converts the source identity: sources used to be keyed by file name (``name``),
   and ``documents.source`` referenced it; now ``source_path`` (path relative to the ingest root)
   is the key. Existing rows keep their identity: ``source_path`` = the old ``name``.
2. A column check: a nullable column (or one with a default) that a table module declares but
   the database lacks is added with ``ALTER TABLE … ADD COLUMN``, so a feature that adds an
   optional field (the way model.py grows) needs no migration of its own.

Derived rows could be rebuilt by re-ingesting, but officer corrections (tables marked
``survives_reingest``) cannot, so the conversion copies rows rather than dropping the store.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, Engine, Table, inspect, text
from sqlalchemy.schema import CreateIndex, CreateTable

from .base import metadata


def _columns(conn: Connection, table: str) -> set[str] | None:
    insp = inspect(conn)
    if not insp.has_table(table):
        return None
    return {c["name"] for c in insp.get_columns(table)}


def _needs_source_path(conn: Connection) -> bool:
    cols = _columns(conn, "sources")
    return cols is not None and "source_path" not in cols


def _source_identity(engine: Engine) -> None:
    """Re-key ``sources`` by ``source_path`` and point ``documents.source_path`` at it."""
    if engine.dialect.name == "sqlite":
        _rebuild_sqlite(engine, ["sources", "documents"], {"source_path": {"sources": "name",
                                                                           "documents": "source"}})
        return
    with engine.begin() as conn:
        insp = inspect(conn)
        for fk in insp.get_foreign_keys("documents"):
            if fk["referred_table"] == "sources" and fk.get("name"):
                conn.execute(text(f'ALTER TABLE documents DROP CONSTRAINT "{fk["name"]}"'))
        pk = insp.get_pk_constraint("sources").get("name")
        conn.execute(text("ALTER TABLE sources ADD COLUMN source_path TEXT"))
        conn.execute(text("UPDATE sources SET source_path = name"))
        if pk:
            conn.execute(text(f'ALTER TABLE sources DROP CONSTRAINT "{pk}"'))
        conn.execute(text("ALTER TABLE sources ADD PRIMARY KEY (source_path)"))
        conn.execute(text("ALTER TABLE documents ADD COLUMN source_path TEXT"))
        conn.execute(text("UPDATE documents SET source_path = source"))
        conn.execute(text("ALTER TABLE documents ALTER COLUMN source_path SET NOT NULL"))
        conn.execute(text("ALTER TABLE documents ADD FOREIGN KEY (source_path) "
                          "REFERENCES sources (source_path) ON DELETE CASCADE"))
        for name in ("sources", "documents"):
            _create_indexes(conn, metadata.tables[name])


def _rebuild_sqlite(engine: Engine, tables: list[str], fill: dict[str, dict[str, str]]) -> None:
    """SQLite cannot alter a key: create each table anew, copy the rows, swap (sqlite.org/lang_altertable).

    ``fill[new_column][table]`` names the old column a new column is copied from. Foreign keys
    are off during the swap (outside the transaction, as SQLite requires) and checked after.
    """
    raw = engine.raw_connection()
    try:
        dbapi = raw.driver_connection
        dbapi.isolation_level = None  # we issue BEGIN/COMMIT ourselves
        cur = dbapi.cursor()
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("BEGIN")
        try:
            for name in tables:
                table = metadata.tables[name]
                old = {r[1] for r in cur.execute(f'PRAGMA table_info("{name}")')}
                ddl = str(CreateTable(table).compile(engine))
                head = f"CREATE TABLE {engine.dialect.identifier_preparer.quote(name)} ("
                cur.execute(ddl.replace(head, f'CREATE TABLE "{name}__new" (', 1))
                dest, srcs = [], []
                for col in table.columns:
                    origin = col.name if col.name in old else fill.get(col.name, {}).get(name)
                    if origin:
                        dest.append(f'"{col.name}"')
                        srcs.append(f'"{origin}"')
                    elif (value := _default_sql(col, engine)) is not None:
                        dest.append(f'"{col.name}"')
                        srcs.append(value)
                cur.execute(f'INSERT INTO "{name}__new" ({", ".join(dest)}) SELECT {", ".join(srcs)} FROM "{name}"')
                cur.execute(f'DROP TABLE "{name}"')
                cur.execute(f'ALTER TABLE "{name}__new" RENAME TO "{name}"')
                for ix in table.indexes:
                    cur.execute(str(CreateIndex(ix).compile(engine)))
            bad = list(cur.execute("PRAGMA foreign_key_check"))
            if bad:
                raise RuntimeError(f"store upgrade left dangling references: {bad[:3]}")
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        finally:
            cur.execute("PRAGMA foreign_keys=ON")
            dbapi.isolation_level = ""
    finally:
        raw.close()


def _create_indexes(conn: Connection, table: Table) -> None:
    have = {ix["name"] for ix in inspect(conn).get_indexes(table.name)}
    for ix in table.indexes:
        if ix.name not in have:
            conn.execute(CreateIndex(ix))


# (name, needed(conn) -> bool, apply(engine)); run in order before create_all.
def _needs_document_names(conn: Connection) -> bool:
    return _columns(conn, "documents") is not None and _columns(conn, "document_names") is None


def _document_names(engine: Engine) -> None:
    """Fill the names references resolve by for the documents an older version stored."""
    from ..graph.service import doc_names
    from ..model import Document
    from .base import insert_rows
    from .documents import documents
    from .graph import document_names
    with engine.begin() as conn:
        document_names.create(conn)
        old = conn.execute(documents.select().with_only_columns(
            documents.c.key, documents.c.doc_number, documents.c.title, documents.c.short_title)).all()
        rows = [(r.key, kind, name) for r in old  # what the extraction stage saves for a document now
                for kind, name in doc_names(Document(key=r.key, source="", title=r.title, doc_number=r.doc_number,
                                                     short_title=r.short_title))]
        insert_rows(conn, document_names, ["doc_key", "kind", "name"], rows)  # one round trip


def _needs_task_counts(conn: Connection) -> bool:
    return _columns(conn, "tasks") is not None and _columns(conn, "task_counts") is None


def _task_counts(engine: Engine) -> None:
    """Count the tasks an older version stored into the kept counts (``store.task_counts``):
    one pass over them, once (~1 M task-agency pairs at 100,000 documents)."""
    from .base import write_transaction
    from .task_counts import rebuild, task_counts
    with write_transaction(engine) as conn:
        if conn.dialect.name == "postgresql":  # two processes opening the old store at once
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(hashtext('zhengce task_counts'))")
        if not _needs_task_counts(conn):
            return
        task_counts.create(conn)
        rebuild(conn)


UPGRADES: list[tuple[str, Callable[[Connection], bool], Callable[[Engine], None]]] = [
    ("source identity by path", _needs_source_path, _source_identity),
    ("document names for reference resolution", _needs_document_names, _document_names),
    ("task counts per agency, status and deadline", _needs_task_counts, _task_counts),
]


def upgrade(engine: Engine) -> list[str]:
    """Apply what an existing store lacks; return the names of the steps applied (for logs/tests)."""
    done = []
    for name, needed, apply in UPGRADES:
        with engine.connect() as conn:
            if not needed(conn):
                continue
        apply(engine)
        done.append(name)
    metadata.create_all(engine)
    done += _add_missing_columns(engine)
    return done


def _add_missing_columns(engine: Engine) -> list[str]:
    """``ALTER TABLE ADD COLUMN`` for each declared optional column the database lacks."""
    added = []
    with engine.begin() as conn:
        insp = inspect(conn)
        existing = set(insp.get_table_names())
        for table in metadata.sorted_tables:
            if table.name not in existing:
                continue
            have = {c["name"] for c in insp.get_columns(table.name)}
            for col in table.columns:
                if col.name in have or col.primary_key:
                    continue
                conn.execute(text(f'ALTER TABLE "{table.name}" ADD COLUMN {_column_ddl(col, engine)}'))
                added.append(f"{table.name}.{col.name}")
    return added


def _column_ddl(col, engine: Engine) -> str:
    """``name TYPE [DEFAULT v] [NOT NULL]`` for ADD COLUMN.

    A NOT NULL column needs a default for the rows already there: its scalar Python default
    (``default=False``) is used; without one the column is added nullable (new rows still fill it).
    """
    ddl = f'"{col.name}" {col.type.compile(dialect=engine.dialect)}'
    default = _default_sql(col, engine)
    if default is not None:
        ddl += f" DEFAULT {default}"
        if not col.nullable:
            ddl += " NOT NULL"
    return ddl


def _default_sql(col, engine: Engine) -> str | None:
    """The column's default as SQL text: its server default, or its scalar Python default."""
    from sqlalchemy import literal

    if col.server_default is not None:
        return str(col.server_default.arg)
    if col.default is not None and col.default.is_scalar:
        return str(literal(col.default.arg, type_=col.type).compile(
            dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    return None
