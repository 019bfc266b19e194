"""Task tracking on real corpus text (xicheng-gazette-2022.txt:2477-2945: the 2022 pollution action
plan with its task tables, and 西政办发〔2022〕3号 为群众拟办重要实事), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from zhengce import track
from zhengce.errors import Forbidden, InvalidInput, Unauthorized
from zhengce.store import tasks as T

from conftest import corpus_file

DOC = "西政办发〔2022〕3号"


@pytest.fixture
def lib(library, tmp_path):
    lines = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "xicheng-excerpt.txt"
    path.write_text("\n".join(lines[2476:2945]) + "\n", encoding="utf-8")
    res = library.ingest([path])
    assert res[0].status == "ingested", res[0].error
    library.excerpt = path
    return library


def _task(lib, quote: str) -> track.TaskView:
    (v,) = [v for v in track.list_tasks(lib, doc=DOC) if quote in v.text]
    return v


def test_views(lib):
    mine = track.list_tasks(lib, doc=DOC)
    assert len(mine) == 24  # (6 个方面、共 24 件)
    # one agency across documents (prose items and table rows), found by an alias too
    eco = track.list_tasks(lib, unit="区生态环境局")
    assert {v.doc_key for v in eco} == {DOC, "西政办发〔2022〕2号"}
    assert len(track.list_tasks(lib, unit="区应急局")) == len(track.list_tasks(lib, unit="区应急管理局")) > 0
    overdue = track.list_tasks(lib, doc=DOC, overdue=True, today_=dt.date(2022, 10, 1))
    assert [v.deadline_raw.replace(" ", "") for v in overdue] == ["2022年9月底前"]
    s = track.summary(lib, doc=DOC, today_=dt.date(2022, 10, 1))
    assert s.total == 24 and s.by_status["逾期"] == 1 and s.by_status["未开始"] == 23
    assert next(u for u in s.by_unit if u.unit == "区城市管理委").total >= 6


def test_refused_cross_agency_update_is_logged(lib):
    new = track.create_account(lib, agency="区生态环境局")
    other = _task(lib, "海绵化改造")  # 主要责任单位：区城市管理委
    with pytest.raises(Forbidden, match="区生态环境局 无权更新"):
        track.update_task(lib, other.id, token=new.token, status="推进中")
    assert track.get_task(lib, other.id).stored_status == "未开始"
    (ev,) = track.task_history(lib, other.id)
    assert ev.action == "refused" and ev.actor == "区生态环境局"
    with pytest.raises(Unauthorized):
        track.update_task(lib, other.id, token="zc_not-a-token", status="推进中")


def test_audit_entry_per_change_and_alias_access(lib):
    # the text writes 区住房城市建设委; the account uses the registry name 区住房城乡建设委
    new = track.create_account(lib, agency="区住房城乡建设委")
    t = _task(lib, "老旧小区综合整治")
    v = track.update_task(lib, t.id, token=new.token, status="推进中", note="已完成3个小区")
    v = track.update_task(lib, t.id, token=new.token, status="已完成", evidence="验收报告 2022-11-30")
    assert v.status == "已完成" and v.latest_note == "已完成3个小区" and v.evidence == "验收报告 2022-11-30"
    hist = [(e.action, e.old, e.new) for e in track.task_history(lib, t.id)]
    assert hist == [("status", "未开始", "推进中"), ("note", None, "已完成3个小区"),
                    ("status", "推进中", "已完成"), ("evidence", None, "验收报告 2022-11-30")]
    with pytest.raises(InvalidInput):
        track.update_task(lib, t.id, token=new.token, status="逾期")


def test_token_hash_only_and_admin(lib):
    admin = track.create_account(lib, admin=True)
    with lib.engine.connect() as conn:
        stored = conn.execute(select(T.accounts.c.token_hash)).scalars().all()
    assert admin.token not in stored and len(stored[0]) == 64
    t = _task(lib, "海绵化改造")
    assert track.update_task(lib, t.id, token=admin.token, status="已完成").status == "已完成"
    with pytest.raises(InvalidInput):
        track.create_account(lib, agency="不存在的单位")


def test_tracking_survives_reingest(lib):
    admin = track.create_account(lib, admin=True)
    t = _task(lib, "慢行林荫路")
    track.update_task(lib, t.key, token=admin.token, status="推进中", note="3条已开工")  # short key works too
    lib.ingest([lib.excerpt], force=True)
    v = track.get_task(lib, t.id)
    assert v.stored_status == "推进中" and v.latest_note == "3条已开工"
    assert len(track.task_history(lib, t.id)) == 2


def test_xlsx_and_csv_export(lib, tmp_path):
    from openpyxl import load_workbook
    admin = track.create_account(lib, admin=True)
    t = _task(lib, "新增有偿错时共享车位400个")
    track.update_task(lib, t.id, token=admin.token, status="推进中", note="已新增120个")
    views = track.list_tasks(lib, doc=DOC, today_=dt.date(2022, 6, 1))
    path = track.export_tasks(views, tmp_path / "tasks.xlsx")
    ws = load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == track.COLUMNS
    assert len(rows) == 25
    row = next(r for r in rows if r[1] and "共享车位400个" in r[1])
    assert row[2] == "区城市管理委" and row[5] == "推进中" and row[6].endswith("已新增120个")
    assert row[4].startswith("2022 年 12 月底前") or row[4].startswith("2022年12月底前")
    assert row[7].startswith(DOC)
    csv_path = track.export_tasks(views, tmp_path / "tasks.csv")
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[0] == ",".join(track.COLUMNS)


def test_street_office_updates_collective_task_only(lib):
    # xicheng-gazette-2022.txt:2576 "加快本辖区国四排放标准营运柴油货车淘汰" — 协办单位 "西城交通支队 各街道办事处"
    street = track.create_account(lib, agency="广内街道")  # alias of 广安门内街道办事处
    assert street.account.agency == "广安门内街道办事处"
    (mine,) = [v for v in track.list_tasks(lib, doc="西政办发〔2022〕2号") if "国四排放标准营运柴油货车淘汰" in v.text]
    assert "各街道办事处" in mine.co_units
    v = track.update_task(lib, mine.id, token=street.token, status="推进中", note="已完成辖区摸排")
    assert v.stored_status == "推进中"
    other = _task(lib, "海绵化改造")  # 主要责任单位：区城市管理委, no street office
    with pytest.raises(Forbidden, match="广安门内街道办事处 无权更新"):
        track.update_task(lib, other.id, token=street.token, status="推进中")
    assert [e.action for e in track.task_history(lib, other.id)] == ["refused"]


def summary_of_views(lib, *, doc=None, unit=None, today_=None):
    """The dashboard's counts from every task's view (what ``track.summary`` computed before its
    grouped queries): the reference they are tested against."""
    from zhengce.extract.agencies import registry
    from zhengce.track.types import DUE_SOON_DAYS, OVERDUE, STATUSES, Summary, UnitSummary
    day = track.today(today_)
    views = track.list_tasks(lib, doc=doc, unit=unit, today_=day)
    by_status = {s: 0 for s in (*STATUSES, OVERDUE)}
    per: dict[str, UnitSummary] = {}
    reg = registry()
    soon_until = day + dt.timedelta(days=DUE_SOON_DAYS)
    due_soon = 0
    for v in views:
        by_status[v.status] += 1
        soon = bool(v.deadline and not v.overdue and v.status != "已完成" and day <= v.deadline <= soon_until)
        due_soon += soon
        for u in dict.fromkeys(reg.canonical(x) for x in v.lead_units + v.co_units):
            us = per.setdefault(u, UnitSummary(u, {s: 0 for s in (*STATUSES, OVERDUE)}, level=reg.level(u)))
            us.counts[v.status] += 1
            us.total += 1
            us.due_soon += soon
    rows = sorted(per.values(), key=lambda u: (-u.total, u.unit))
    return Summary(len(views), by_status, rows, day, due_soon)


@pytest.mark.parametrize("today", ["2022-06-01", "2022-12-20", "2023-06-01"])
def test_summary_queries_equal_the_views(lib, today):
    """The dashboard's grouped queries count what reading every task's view counts: per status
    (overdue from the deadline), per agency (lead or co, once per task) and due within 30 days,
    with a unit or document filter, after tasks were marked done or in progress
    (xicheng-gazette-2022.txt:2477-2945, 西城区 tasks with 责任单位 and 完成时限)."""
    day = dt.date.fromisoformat(today)
    views = track.list_tasks(lib)
    admin = track.create_account(lib, admin=True)
    for v, status in zip(views[::3], ["已完成", "推进中"] * len(views), strict=False):
        track.update_task(lib, v.id, token=admin.token, status=status)
    unit = views[0].lead_units[0]
    for kw in ({}, {"unit": unit}, {"doc": views[0].doc_key}):
        got = track.summary(lib, today_=day, **kw)
        want = summary_of_views(lib, today_=day, **kw)
        assert got.total == want.total > 0 and got.by_status == want.by_status and got.due_soon == want.due_soon
        assert [(u.unit, u.counts, u.total, u.due_soon, u.level) for u in got.by_unit] == \
            [(u.unit, u.counts, u.total, u.due_soon, u.level) for u in want.by_unit]
