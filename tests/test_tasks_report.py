"""The monthly 对账 report: the workbook opens with openpyxl, its counts equal ``tasks summary``,
one sheet per document, an openpyxl chart, the changes since the previous report; the same
workbook from the CLI, the REST API and the dashboard's form.

Corpus: xicheng-gazette-2022.txt:2477-2945 (the 2022 pollution action plan's task tables and
西政办发〔2022〕3号) and content_5345808.htm (国发〔2018〕39号, a national "（…负责）" list)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from test_tasks_cli import run
from test_tasks_national import GOVCN
from zhengce import track

from conftest import corpus_file

AS_OF = dt.date(2022, 6, 30)


@pytest.fixture
def lib(library, tmp_path):
    lines = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "xicheng-excerpt.txt"
    path.write_text("\n".join(lines[2476:2945]) + "\n", encoding="utf-8")
    res = library.ingest([path, GOVCN / "content_5345808.htm"])
    assert all(r.status == "ingested" for r in res), [r.error for r in res]
    return library


def _summary_rows(ws) -> dict[str, list]:
    rows = list(ws.iter_rows(values_only=True))
    head = rows.index(tuple(track.report.SUMMARY_COLUMNS))
    return {r[0]: list(r[2:]) for r in rows[head + 1:] if r[0]}


def test_report_counts_equal_summary(lib, tmp_path):
    admin = track.create_account(lib, admin=True)
    (done,) = [v for v in track.list_tasks(lib) if "加大稳岗支持力度" in (v.title or "")]
    track.update_task(lib, done.id, token=admin.token, status="已完成", evidence="已印发通知")
    path = tmp_path / "report.xlsx"
    report = track.make_report(lib, path, AS_OF)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["汇总", "状态图"] and wb.sheetnames[-1] == "变化"
    s = track.summary(lib, today_=AS_OF)
    got = _summary_rows(wb["汇总"])
    for u in s.by_unit:
        assert got[u.unit] == [u.total, u.counts["已完成"], u.counts["推进中"], u.counts["未开始"],
                               u.counts["逾期"], u.due_soon]
    assert got["合计（按任务）"][0] == s.total == sum(s.by_status.values())
    assert got["人力资源社会保障部"][1] == 1  # the task marked done counts for its lead unit
    # tasks due "6月底前" (xicheng-gazette-2022.txt:2513) fall due on 2022-06-30 itself: not yet overdue
    assert s.by_status["逾期"] == 0 and s.due_soon > 0
    # one sheet per document, with the 督查 columns
    docs = {label for label, _ in report.documents}
    assert {"国发〔2018〕39号", "西政办发〔2022〕2号", "西政办发〔2022〕3号"} <= docs <= set(wb.sheetnames)
    rows = list(wb["国发〔2018〕39号"].iter_rows(values_only=True))
    assert rows[1] == tuple(track.COLUMNS) and len(rows) - 2 == 15
    assert wb["状态图"]._charts  # the pie and the bar chart survive a round trip


def test_changes_since_previous_report(lib, tmp_path):
    today = dt.date.today()
    first = track.make_report(lib, tmp_path / "a.xlsx", today - dt.timedelta(days=1))
    assert first.since is None and first.changes == []
    street = track.create_account(lib, agency="广安门内街道办事处")
    (mine,) = [v for v in track.list_tasks(lib) if "国四排放标准营运柴油货车淘汰" in v.text]  # co: 各街道办事处
    track.update_task(lib, mine.id, token=street.token, status="推进中", note="已完成辖区摸排")
    second = track.make_report(lib, tmp_path / "b.xlsx", today)
    assert second.since == today - dt.timedelta(days=1)
    assert [(e.action, e.new) for e in second.changes] == [("status", "推进中"), ("note", "已完成辖区摸排")]
    chg = list(load_workbook(tmp_path / "b.xlsx")["变化"].iter_rows(values_only=True))
    assert [r[3] for r in chg[1:]] == ["状态", "进展"] and chg[1][2] == "广安门内街道办事处"
    again = track.make_report(lib, tmp_path / "c.xlsx", today)  # the same 对账 date: the same window
    assert again.since == second.since and len(again.changes) == 2


def test_report_from_cli_api_and_dashboard(tmp_path):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    from zhengce.library import Library
    src = tmp_path / "xicheng-3.txt"
    lines = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
    src.write_text("\n".join(lines[2769:2945]) + "\n", encoding="utf-8")  # 西政办发〔2022〕3号
    assert run("ingest", str(src)).returncode == 0
    out = tmp_path / "report.xlsx"
    r = run("tasks", "report", "--as-of", "2022-10-01", str(out))
    assert r.returncode == 0, r.stderr
    summ = json.loads(run("tasks", "summary", "--as-of", "2022-10-01", "--json").stdout)
    got = _summary_rows(load_workbook(out)["汇总"])
    assert {u["unit"]: [u["total"], u["counts"]["逾期"]] for u in summ["by_unit"]} == \
        {k: [v[0], v[4]] for k, v in got.items() if k != "合计（按任务）"}
    assert summ["by_status"]["逾期"] == 1  # "2022年9月底前" (xicheng-gazette-2022.txt:2803)
    bad = run("tasks", "report", "--as-of", "2022-13-01", str(out))
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    lib = Library()  # the same store the CLI wrote (the autouse fixture points both at tmp_path)
    client = TestClient(create_app(lib))
    page = client.get("/tasks").text
    assert 'action="/api/tasks/report.xlsx"' in page and 'name="as_of"' in page
    resp = client.get("/api/tasks/report.xlsx", params={"as_of": "2022-10-01"})
    assert resp.status_code == 200 and "spreadsheetml" in resp.headers["content-type"]
    assert _summary_rows(load_workbook(io.BytesIO(resp.content))["汇总"]) == got
    assert client.get("/api/tasks/report.xlsx", params={"as_of": "yesterday"}).status_code in (400, 422)
