"""The kept task counts (``store.task_counts``) and the paged, filtered task list, on SQLite and
PostgreSQL, on real text: xicheng-gazette-2022.txt:2477-2945 (西政办发〔2022〕2号, the 2022
pollution action plan with its task tables, and 西政办发〔2022〕3号 为群众拟办重要实事).

After every change — status updates, a re-ingest that moves a deadline and changes units, one
that removes a document, an older store upgraded, several writer processes at once — the kept
counts must equal a count from the tasks themselves, and the dashboard's summary the one
computed from every task's view (``test_track.summary_of_views``) for every unit filter and
several todays.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import text

from test_track import summary_of_views
from zhengce import track
from zhengce.library import Library
from zhengce.store import task_counts as TC

from conftest import ROOT, corpus_file

LINES = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
EXCERPT = (2477, 2945)  # file lines, both documents
THREE = 2770  # "# 北京市西城区人民政府办公室 关于印发《北京市西城区 2022 年 为群众拟办重要实事》的通知"
EDITS = [  # (file line, as written, changed to): a deadline moves, a unit goes, a unit is replaced
    (2804, "完成时限：2022 年 9 月底前", "完成时限：2022 年 10 月底前"),
    (2826, "主要责任单位：区城市管理委、相关街道", "主要责任单位：区城市管理委"),
    (2834, "主要责任单位：西城消防救援支队", "主要责任单位：区应急管理局"),
]
DAYS = [dt.date(2022, 6, 1), dt.date(2022, 9, 15), dt.date(2022, 11, 20), dt.date(2023, 1, 10)]


def excerpt(*, edited: bool = False, first: int = EXCERPT[0]) -> str:
    lines = list(LINES)
    if edited:
        for n, old, new in EDITS:
            assert lines[n - 1] == old, (n, lines[n - 1])
            lines[n - 1] = new
    return "\n".join(lines[first - 1: EXCERPT[1]]) + "\n"


def assert_exact(lib: Library, days=DAYS) -> None:
    """Kept counts = a recount; summaries (all tasks, each agency's) = the views' count."""
    with lib.engine.connect() as conn:
        assert TC.kept(conn) == TC.recount(conn)
    views = track.list_tasks(lib)
    assert track.task_count(lib) == len(views)
    units = sorted({u for v in views for u in v.lead_units + v.co_units})
    for day in days:
        for unit in [None, *units]:
            got, want = track.summary(lib, unit=unit, today_=day), summary_of_views(lib, unit=unit, today_=day)
            assert (got.total, got.by_status, got.due_soon) == (want.total, want.by_status, want.due_soon), unit
            assert [(u.unit, u.counts, u.total, u.due_soon, u.level) for u in got.by_unit] == \
                [(u.unit, u.counts, u.total, u.due_soon, u.level) for u in want.by_unit], unit


def _task(lib, quote: str) -> track.TaskView:
    (v,) = [v for v in track.list_tasks(lib) if quote in v.text]
    return v


def test_counts_stay_exact_through_updates_reingests_and_removal(library, tmp_path):
    path = tmp_path / "xicheng-excerpt.txt"
    path.write_text(excerpt(), encoding="utf-8")
    assert library.ingest([path])[0].status == "ingested"
    assert_exact(library, DAYS[:2])
    admin = track.create_account(library, admin=True)
    views = track.list_tasks(library)
    for v, status in zip(views[::2], ["已完成", "推进中", "未开始", "推进中"] * len(views), strict=False):
        track.update_task(library, v.id, token=admin.token, status=status)
    # xicheng-gazette-2022.txt:2800-2804 海绵化改造 …, 2022 年 9 月底前, 区城市管理委
    sponge = _task(library, "海绵化改造")
    track.update_task(library, sponge.id, token=admin.token, status="推进中")
    assert track.summary(library, today_=dt.date(2022, 10, 1), unit="区城市管理委").by_status["逾期"] >= 1
    assert_exact(library)

    path.write_text(excerpt(edited=True), encoding="utf-8")  # the deadline moves to 10 月底, units change
    assert library.ingest([path])[0].status == "ingested"
    assert track.get_task(library, sponge.id).deadline == dt.date(2022, 10, 31)
    fire = track.summary(library, unit="西城消防救援支队")
    assert fire.total == 0 and track.summary(library, unit="区应急管理局").total >= 1
    assert_exact(library)

    path.write_text(excerpt(first=THREE), encoding="utf-8")  # 西政办发〔2022〕2号 leaves the file
    assert library.ingest([path])[0].status == "ingested"
    assert {v.doc_key for v in track.list_tasks(library)} == {"西政办发〔2022〕3号"}
    assert track.summary(library).total == 24  # (6 个方面、共 24 件)
    assert_exact(library)

    path.write_text(excerpt(), encoding="utf-8")  # back: the statuses kept in task_status count again
    assert library.ingest([path])[0].status == "ingested"
    assert track.get_task(library, sponge.id).stored_status == "推进中"
    assert_exact(library)


def test_an_older_store_is_counted_on_open(library, tmp_path):
    path = tmp_path / "xicheng-excerpt.txt"
    path.write_text(excerpt(), encoding="utf-8")
    library.ingest([path])
    admin = track.create_account(library, admin=True)
    track.update_task(library, _task(library, "海绵化改造").id, token=admin.token, status="已完成")
    with library.engine.connect() as conn:
        before = TC.kept(conn)
    with library.engine.begin() as conn:  # a store made before the counts were kept
        conn.execute(text("DROP TABLE task_counts"))
    reopened = Library(url=library.url, data_dir=library.data_dir)
    try:
        with reopened.engine.connect() as conn:
            assert TC.kept(conn) == before != {}
        assert_exact(reopened, DAYS[1:2])
    finally:
        reopened.engine.dispose()


WRITER = """
import sys
from pathlib import Path
from zhengce.library import Library
url, data, target, *texts = sys.argv[1:]
lib = Library(url=url, data_dir=Path(data))
for t in texts:  # each version in turn to the same file, ingested
    Path(target).write_text(Path(t).read_text(encoding="utf-8"), encoding="utf-8")
    r = lib.ingest([target])[0]
    assert r.status == "ingested", r.error
"""

UPDATER = """
import sys
from pathlib import Path
from zhengce import track
from zhengce.errors import NotFound
from zhengce.library import Library
url, data, token, rounds, *ids = sys.argv[1:]
lib = Library(url=url, data_dir=Path(data))
for i in range(int(rounds)):
    for k, tid in enumerate(ids):
        try:
            track.update_task(lib, tid, token=token, status=track.STATUSES[(i + k) % 3])
        except NotFound:  # its document left the file for a while
            pass
"""


def test_several_writer_processes_keep_counts_exact(library, tmp_path):
    """Two processes re-ingest two files in turn (each version changes deadlines, units or a
    whole document) while a third updates the statuses of the same tasks."""
    versions = {"a": excerpt(), "b": excerpt(edited=True), "c": excerpt(first=THREE)}
    for name, body in versions.items():
        (tmp_path / f"{name}.txt").write_text(body, encoding="utf-8")
        # y's copies under other 文号 (two files claiming one 文号 at once collide on PostgreSQL)
        (tmp_path / f"{name}2.txt").write_text(body.replace("西政办发〔2022〕", "西政办发〔2023〕"), encoding="utf-8")
    x, y = tmp_path / "in" / "x.txt", tmp_path / "in" / "y.txt"
    x.parent.mkdir()
    x.write_text(versions["a"], encoding="utf-8")
    library.ingest([x])
    admin = track.create_account(library, admin=True)
    ids = [v.id for v in track.list_tasks(library)]
    env = {"PYTHONPATH": str(ROOT / "src"), "ZHENGCE_DATA_DIR": str(library.data_dir), "PATH": "/usr/bin:/bin"}
    order = [str(tmp_path / f"{n}.txt") for n in "bcab"]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, library.url, str(library.data_dir), str(x), *order],
                              env=env, stderr=subprocess.PIPE, text=True),
             subprocess.Popen([sys.executable, "-c", WRITER, library.url, str(library.data_dir), str(y),
                               *(o.replace(".txt", "2.txt") for o in order[::-1])], env=env, stderr=subprocess.PIPE,
                              text=True),
             subprocess.Popen([sys.executable, "-c", UPDATER, library.url, str(library.data_dir), admin.token, "3",
                               *ids], env=env, stderr=subprocess.PIPE, text=True)]
    for p in procs:
        _out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
    assert_exact(library, DAYS[1:3])
    assert track.task_count(library) == len(track.list_tasks(library)) > 24


@pytest.mark.parametrize("day", [dt.date(2022, 6, 1), dt.date(2022, 11, 20)])
@pytest.mark.parametrize("plan", ["chosen", "scan", "drive"])
def test_paged_status_filters_equal_the_views(library, tmp_path, day, plan, monkeypatch):
    """Status, overdue and unit filters in SQL, a page at a time, return the views' own filter
    of the whole list, in the same order; ``count_tasks`` counts it. Each page read in document
    order (``scan``), through the indexes (``drive``), or as the kept counts choose."""
    from zhengce.track import service
    if plan != "chosen":
        monkeypatch.setattr(service, "SCAN_FACTOR", 10**9 if plan == "scan" else 0)
    path = tmp_path / "xicheng-excerpt.txt"
    path.write_text(excerpt(), encoding="utf-8")
    library.ingest([path])
    admin = track.create_account(library, admin=True)
    views = track.list_tasks(library)
    for v, status in zip(views[::3], ["已完成", "推进中"] * len(views), strict=False):
        track.update_task(library, v.id, token=admin.token, status=status)
    every = track.list_tasks(library, today_=day)
    for kw in ({}, {"unit": "区城市管理委"}, {"unit": "区生态环境局", "role": "co"}, {"doc": "西政办发〔2022〕3号"},
               {"overdue": True}):
        base = track.list_tasks(library, today_=day, **{k: v for k, v in kw.items() if k != "overdue"})
        for status in (None, *track.STATUSES, track.OVERDUE):
            want = [v.id for v in base if (status is None or v.status == status) and (v.overdue or "overdue" not in kw)]
            got = [v.id for off in range(0, len(want) + 5, 5)
                   for v in track.list_tasks(library, status=status, limit=5, offset=off, today_=day, **kw)]
            assert got == want, (kw, status)
            assert track.count_tasks(library, status=status, today_=day, **kw) == len(want)
    assert {v.status for v in every} == set(track.STATUSES) | ({track.OVERDUE} if day.month == 11 else set())
