"""The task dashboard against an existing store: summary, first page of the list, the /tasks page.

    .venv/bin/python benchmarks/tasks.py sqlite:////var/tmp/ztc/sqlite/scale.db [--repeat 3] [--check]
    .venv/bin/python benchmarks/tasks.py postgresql://postgres@127.0.0.1:5432/zhengce_scale_xxxx

Prints, for each view the supervising office opens (no filter; the agency with the most tasks;
one with few; one document; each status), the time of ``track.summary``, of the first 200 rows
of ``track.list_tasks`` and of the whole ``GET /tasks`` page (FastAPI's TestClient, no network):
the first call and the best of ``--repeat`` after it. ``--check`` also compares every summary
with the one computed from every task's view (``list_tasks`` without a page, slow: the
reference the grouped queries are tested against) and each first page with the full list's head.

``--build-from URL --copies K`` first fills the (empty) store at ``url`` with K copies of the
task tables of the store at URL (sources, documents, tasks, task_units; keys suffixed per copy)
and marks every 7th task 推进中 and every 11th 已完成: a dashboard of 612,804 tasks from a
10,000-document store in a minute or two, without a 100,000-document ingest (the dashboard
reads no other table).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def timed(fn, repeat: int) -> tuple[float, float, object]:
    """(first call ms, best of ``repeat`` more ms, result of the first)."""
    t = time.perf_counter()
    out = fn()
    first = (time.perf_counter() - t) * 1000
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - t) * 1000)
    return first, best, out


def reference_summary(lib, *, doc=None, unit=None, today_=None):
    """Counts from every task's view (what ``summary`` computed before its grouped queries)."""
    from zhengce import track
    from zhengce.extract.agencies import registry
    from zhengce.track.types import DUE_SOON_DAYS, OVERDUE, STATUSES, Summary, UnitSummary
    day = track.today(today_)
    views = track.list_tasks(lib, doc=doc, unit=unit, today_=day)
    by_status = {s: 0 for s in (*STATUSES, OVERDUE)}
    per: dict[str, UnitSummary] = {}
    reg = registry()
    until = day + dt.timedelta(days=DUE_SOON_DAYS)
    due = 0
    for v in views:
        by_status[v.status] += 1
        soon = bool(v.deadline and not v.overdue and v.status != "已完成" and day <= v.deadline <= until)
        due += soon
        for u in dict.fromkeys(reg.canonical(x) for x in v.lead_units + v.co_units):
            us = per.setdefault(u, UnitSummary(u, {s: 0 for s in (*STATUSES, OVERDUE)}, level=reg.level(u)))
            us.counts[v.status] += 1
            us.total += 1
            us.due_soon += soon
    return Summary(len(views), by_status, sorted(per.values(), key=lambda u: (-u.total, u.unit)), day, due)


def build_copies(src_url: str, dst_url: str, copies: int, data_dir: Path) -> None:
    """K copies of the task tables of ``src_url`` in the empty store ``dst_url``, counts rebuilt."""
    import datetime as dt

    from sqlalchemy import select

    from zhengce.library import Library
    from zhengce.store import documents as D
    from zhengce.store import task_counts as TC
    from zhengce.store import tasks as T
    from zhengce.store.base import insert_rows, write_transaction
    src = Library(url=src_url, data_dir=data_dir / "src")
    dst = Library(url=dst_url, data_dir=data_dir / "dst")
    renames = {  # table: columns that get the copy's suffix (keys and what refers to them)
        D.sources: ["source_path", "name"], D.documents: ["key", "source", "source_path"],
        T.tasks: ["id", "doc_key", "source", "cid"], T.task_units: ["task_id", "doc_key"]}
    t = time.perf_counter()
    n_tasks = 0
    now = dt.datetime(2024, 5, 1)
    for k in range(copies):
        suffix = f"~{k}" if k else ""
        with write_transaction(dst.engine) as out, src.engine.connect() as inp:
            for table, cols in renames.items():
                names = [c.name for c in table.columns if not (table is T.task_units and c.name == "id")]
                at = [names.index(c) for c in cols]
                rows = []
                for r in inp.execute(select(*(table.c[n] for n in names))):
                    row = list(r)
                    for i in at:
                        row[i] = row[i] + suffix if row[i] is not None else None
                    rows.append(tuple(row))
                insert_rows(out, table, names, rows)
                if table is T.tasks:
                    status = [(row[0], row[1], "已完成" if j % 11 == 0 else "推进中", now, "bench")
                              for j, row in enumerate(rows) if j % 7 == 0 or j % 11 == 0]
                    insert_rows(out, T.task_status, ["task_id", "doc_key", "status", "updated_at", "updated_by"],
                                status)
                    n_tasks += len(rows)
        print(f"copy {k + 1}/{copies}: {n_tasks:,} tasks, {time.perf_counter() - t:.0f} s", flush=True)
    with write_transaction(dst.engine) as conn:
        print(f"counts: {TC.rebuild(conn):,} rows, {time.perf_counter() - t:.0f} s", flush=True)
    if dst.engine.dialect.name == "postgresql":
        with dst.engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()


def plain(s) -> tuple:
    return (s.total, s.by_status, s.due_soon, [(u.unit, u.counts, u.total, u.due_soon, u.level) for u in s.by_unit])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url", help="store URL (sqlite:///… or postgresql://…)")
    ap.add_argument("--data-dir", type=Path, default=None, help="the library's data directory (default: beside a SQLite file)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--today", default=None, help="ISO date to count overdue against (ZHENGCE_TODAY)")
    ap.add_argument("--check", action="store_true", help="compare with the view-by-view reference (slow)")
    ap.add_argument("--build-from", help="first fill the empty store at url with copies of this store's tasks")
    ap.add_argument("--copies", type=int, default=10)
    args = ap.parse_args()
    if args.today:
        os.environ["ZHENGCE_TODAY"] = args.today
    from fastapi.testclient import TestClient

    from zhengce import track
    from zhengce.api import create_app
    from zhengce.library import Library

    data_dir = args.data_dir or (Path(args.url.split("///", 1)[1]).parent if args.url.startswith("sqlite") else None)
    if args.build_from:
        import tempfile
        build_copies(args.build_from, args.url, args.copies, Path(tempfile.mkdtemp(prefix="zhengce-tasks-")))
    t = time.perf_counter()
    lib = Library(url=args.url, data_dir=data_dir)
    print(f"open: {(time.perf_counter() - t) * 1000:.0f} ms")
    first, best, n = timed(lambda: track.task_count(lib), args.repeat)
    print(f"task_count: {n:,} tasks  {first:.0f} / {best:.0f} ms")
    first, best, full = timed(lambda: track.summary(lib), args.repeat)
    print(f"summary: {first:.0f} / {best:.0f} ms (first / best of {args.repeat}); {len(full.by_unit)} agencies")
    units = full.by_unit
    big, small = units[0].unit, units[len(units) // 2].unit
    doc = track.list_tasks(lib, limit=1)[0].doc_key
    views = [("all", {}), (f"unit={big}", {"unit": big}), (f"unit={small}", {"unit": small}), (f"doc={doc}", {"doc": doc})]
    views += [(f"status={s}", {"status": s}) for s in (*track.STATUSES, track.OVERDUE)]
    views += [(f"unit={big}&status={track.OVERDUE}", {"unit": big, "status": track.OVERDUE})]
    client = TestClient(create_app(lib))
    bad = 0
    print(f"{'view':<40} {'summary ms':>14} {'list 200 ms':>14} {'GET /tasks ms':>14}")
    for label, kw in views:
        skw = {k: v for k, v in kw.items() if k != "status"}
        s1, sb, summ = timed(lambda skw=skw: track.summary(lib, **skw), args.repeat)
        l1, lb, page = timed(lambda kw=kw: track.list_tasks(lib, limit=200, **kw), args.repeat)
        url = "/tasks?" + urlencode(kw)
        w1, wb, resp = timed(lambda url=url: client.get(url), args.repeat)
        assert resp.status_code == 200, (url, resp.status_code)
        print(f"{label:<40} {s1:>6.0f} /{sb:>6.0f} {l1:>6.0f} /{lb:>6.0f} {w1:>6.0f} /{wb:>6.0f}")
        if args.check:
            want = reference_summary(lib, **skw)
            every = track.list_tasks(lib, **kw)
            ok_s, ok_l = plain(summ) == plain(want), [v.id for v in page] == [v.id for v in every[:200]]
            bad += not (ok_s and ok_l)
            print(f"{'':<40} check: summary {'equal' if ok_s else 'DIFFERS'}, first page "
                  f"{'equal' if ok_l else 'DIFFERS'} ({len(every):,} tasks)")
    if args.check:
        print("all equal" if not bad else f"{bad} views differ")
        sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
