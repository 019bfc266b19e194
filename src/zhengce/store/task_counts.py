"""Task counts kept per agency, stored status and deadline, so the dashboard reads no task.

Why: the supervising office's dashboard (``/tasks``, ``zhengce tasks summary``,
``/api/tasks/summary``) shows per status and per agency how many tasks there are. Counted from
the tasks themselves that is one pass over every (task, agency) pair: at 100,000 documents
(612,804 tasks, ~1 M pairs) 6.6 s a page even as one grouped query, and no index makes a pass
over a million rows instant. So the counts are kept, in ``task_counts``, and a summary reads
a few hundred of them.

What a row says: ``n`` tasks name agency ``scope`` (a canonical name; ``ALL``: every task) and
agency ``unit`` (``ALL``: counted once), have the stored status ``status`` (未开始 when no one
updated them) and the deadline ``due`` (ISO date; '' when none). ``scope`` is the dashboard's
unit filter: the per-agency counts of the tasks of one agency are the rows of its scope, so
the filtered page reads no task either. 逾期 and "due within 30 days" depend on today, so
nothing about today is kept: the deadline is, and the summary decides per row. A task of k
agencies counts in (1 + k)² rows; the keys repeat across tasks (7,914 rows at 613,020 tasks).
Changes need a ``write_transaction`` (``base.before_commit`` refuses anything else).

Exact by construction, in the transactions that change what is counted:

* ingest (``Library.write``, one transaction per file): ``uncount`` subtracts the rows of the
  file's old tasks before ``delete_source`` deletes them, ``save`` adds the new ones; the net
  change per key is applied once, by ``flush`` at the end of the transaction, as one upsert
  (``n = n + delta``) with the keys sorted. One statement in one order means two writers of
  different files wait for each other's count rows instead of deadlocking, and adding a delta
  never loses a concurrent one (the row lock serialises them; SQLite has one writer anyway).
* ``update_task`` moves its task from the old stored status to the new, in the transaction
  that writes the status, after locking the task's row (``lock_tasks``).
* the two meet on that row lock (PostgreSQL; SQLite serialises writers): ``uncount`` locks the
  old tasks' rows first and reads their statuses in a later statement, so a concurrent update
  is counted either wholly before the re-ingest (the re-ingest subtracts the new status) or
  wholly after (the update then finds the re-ingested row and moves it).

``rebuild`` recomputes every row from the tasks (a store upgrade fills the table with it; the
tests compare the kept counts with it after updates, re-ingests and concurrent writers).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Column, Connection, Integer, String, Table, delete, select

from .base import before_commit, chunks, metadata

ALL = " "  # never a canonical agency: names are stored without whitespace (agencies.normalize)
DEFAULT_STATUS = "未开始"  # a task without a task_status row

task_counts = Table(
    "task_counts", metadata,
    Column("scope", String(255), primary_key=True),  # tasks naming this agency; ALL: every task
    Column("unit", String(255), primary_key=True),  # counted for this agency; ALL: once per task
    Column("status", String(16), primary_key=True),  # stored status (未开始 when never updated)
    Column("due", String(10), primary_key=True),  # deadline, ISO date; '' when none
    Column("n", Integer, nullable=False),
)

Key = tuple[str, str, str, str]


def due_of(deadline: dt.date | str | None) -> str:
    if deadline is None:
        return ""
    return deadline if isinstance(deadline, str) else deadline.isoformat()


def keys_of(units: Iterable[str], status: str | None, deadline: dt.date | str | None) -> list[Key]:
    """Every row one task counts in: each of (every task, each of its agencies) as scope times
    (once, each of its agencies) as unit. ``units`` are canonical names; repeats count once."""
    names = [ALL, *dict.fromkeys(units)]
    st, due = status or DEFAULT_STATUS, due_of(deadline)
    return [(scope, unit, st, due) for scope in names for unit in names]


class _Delta(Counter):
    """The change a write transaction makes to the counts, applied by calling it before commit."""

    def __call__(self, conn: Connection) -> None:
        flush(conn, self)


def add(conn: Connection, keys: Iterable[Key], sign: int) -> None:
    """Count ``keys`` ``sign`` times more, at the end of this write transaction."""
    delta = before_commit(conn, "task_counts", _Delta())
    for k in keys:
        delta[k] += sign


def flush(conn: Connection, delta: Counter) -> None:
    """Apply ``delta`` in one upsert, keys sorted (see the module docstring). Plain SQL with
    tuples: the statement compiler cost more than the write (~1 ms a file)."""
    rows = [(*k, n) for k, n in sorted(delta.items()) if n]
    if not rows:
        return
    mark = "%s" if conn.dialect.name == "postgresql" else "?"
    conn.exec_driver_sql(
        f"INSERT INTO task_counts (scope, unit, status, due, n) VALUES ({', '.join([mark] * 5)}) "
        "ON CONFLICT (scope, unit, status, due) DO UPDATE SET n = task_counts.n + excluded.n", rows)


def lock_tasks(conn: Connection, where) -> list[str]:
    """Lock the task rows ``where`` selects until the transaction ends (PostgreSQL ``FOR
    UPDATE``, in id order; SQLite writers hold the database lock already); their ids."""
    from .tasks import tasks
    stmt = select(tasks.c.id).where(where).order_by(tasks.c.id)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    return [r[0] for r in conn.execute(stmt)]


def statuses(conn: Connection, ids: list[str]) -> dict[str, str]:
    from .tasks import task_status
    out: dict[str, str] = {}
    for part in chunks(ids):
        out.update(conn.execute(select(task_status.c.task_id, task_status.c.status)
                                .where(task_status.c.task_id.in_(part))).all())
    return out


def task_keys(conn: Connection, ids: list[str], status: dict[str, str]) -> list[Key]:
    """The rows the stored tasks ``ids`` count in, with their statuses from ``status``."""
    from .tasks import task_units, tasks
    units: dict[str, list[str]] = {}
    deadline: dict[str, dt.date | None] = {}
    for part in chunks(ids):
        deadline.update(conn.execute(select(tasks.c.id, tasks.c.deadline).where(tasks.c.id.in_(part))).all())
        for tid, canon in conn.execute(select(task_units.c.task_id, task_units.c.canonical)
                                       .where(task_units.c.task_id.in_(part))):
            units.setdefault(tid, []).append(canon)
    return [k for tid, d in deadline.items() for k in keys_of(units.get(tid, []), status.get(tid), d)]


def uncount(conn: Connection, doc_keys: list[str]) -> None:
    """Subtract the tasks of ``doc_keys`` (about to be deleted): lock their rows, then read
    their statuses in a later statement, so the statuses are those after any update that held
    a lock first."""
    from .tasks import tasks
    ids: list[str] = []
    for part in chunks(doc_keys):
        ids += lock_tasks(conn, tasks.c.doc_key.in_(part))
    if ids:
        add(conn, task_keys(conn, ids, statuses(conn, ids)), -1)


def count_new(conn: Connection, items) -> None:
    """Add extracted tasks being saved (their statuses survive a re-ingest in task_status)."""
    from ..extract.agencies import registry
    canonical = registry().canonical
    status = statuses(conn, [t.id for t in items])
    add(conn, [k for t in items for k in keys_of((canonical(u) for u in (*t.lead_units, *t.co_units)),
                                                 status.get(t.id), t.deadline)], +1)


def recount(conn: Connection) -> Counter:
    """Every row's count computed from the tasks, their agencies and statuses (one pass)."""
    from .tasks import task_status, task_units, tasks
    counts: Counter = Counter()
    stmt = (select(tasks.c.id, tasks.c.deadline, task_status.c.status, task_units.c.canonical)
            .select_from(tasks.outerjoin(task_status, task_status.c.task_id == tasks.c.id)
                         .outerjoin(task_units, task_units.c.task_id == tasks.c.id))
            .order_by(tasks.c.id))
    current, units, row = None, [], None
    for r in conn.execute(stmt.execution_options(yield_per=10_000)):
        if r.id != current:
            if row is not None:
                counts.update(keys_of(units, row.status, row.deadline))
            current, units, row = r.id, [], r
        if r.canonical is not None:
            units.append(r.canonical)
    if row is not None:
        counts.update(keys_of(units, row.status, row.deadline))
    return counts


def kept(conn: Connection) -> Counter:
    """The kept rows (zero rows left out), to compare with ``recount``."""
    c = task_counts.c
    return Counter({(r.scope, r.unit, r.status, r.due): r.n for r in conn.execute(select(task_counts).where(c.n != 0))})


def rebuild(conn: Connection) -> int:
    """Replace the kept rows with ``recount`` (caller owns the transaction); the number of rows."""
    rows = [{"scope": k[0], "unit": k[1], "status": k[2], "due": k[3], "n": n} for k, n in sorted(recount(conn).items())]
    conn.execute(delete(task_counts))
    for part in chunks(rows, 5_000):
        conn.execute(task_counts.insert(), part)
    return len(rows)


def read(conn: Connection, scope: str = ALL, *, once: bool = False) -> list[tuple[str, str, str, int]]:
    """(unit, status, due, n) of one scope, zero rows left out; ``once``: only the rows that
    count each task once (unit ALL), not the per-agency ones."""
    c = task_counts.c
    stmt = select(c.unit, c.status, c.due, c.n).where(c.scope == scope, c.n != 0)
    if once:
        stmt = stmt.where(c.unit == ALL)
    return [tuple(r) for r in conn.execute(stmt)]
