"""The monthly 对账 report a supervising office (督查室) sends out: one XLSX workbook.

Sheets, in order:

- 汇总 — per agency (canonical name, level): total, 已完成, 推进中, 未开始, 逾期, due in the next
  ``DUE_SOON_DAYS`` days; the same figures as ``summary(lib, today_=as_of)``, so the workbook and
  ``zhengce tasks summary --as-of`` never disagree (a task counts for each of its units).
- 状态图 — the status counts with an openpyxl pie chart and a stacked bar chart per agency.
- one sheet per document — its tasks in the 督查 columns of ``export.COLUMNS``.
- 变化 — the audit events since the previous report (the latest recorded ``as_of`` before this one),
  up to the end of ``as_of``: status changes, progress notes, evidence, refusals.

Overdue is judged at ``as_of``; statuses are those stored when the report is made. Each report
made is recorded (``task_reports``) so the next one knows where its changes start; making the
same ``as_of`` again replaces that record and yields the same window.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..errors import InvalidInput
from ..store import tasks as T
from .export import write_task_sheet
from .service import list_tasks, summary, today
from .types import DUE_SOON_DAYS, OVERDUE, STATUSES, Summary, TaskEvent, TaskView

ACTIONS = {"status": "状态", "note": "进展", "evidence": "佐证", "refused": "拒绝"}
SUMMARY_COLUMNS = ["单位", "层级", "任务总数", "已完成", "推进中", "未开始", "逾期", f"{DUE_SOON_DAYS}天内到期"]


@dataclass
class Report:
    as_of: dt.date
    summary: Summary
    documents: list[tuple[str, list[TaskView]]]  # (document label, its tasks) in library order
    changes: list[TaskEvent]
    since: dt.date | None  # the previous report's as_of (changes start the day after)
    titles: dict[str, str] = field(default_factory=dict)  # task id → short task text for 变化


def _previous(conn, as_of: dt.date) -> dt.date | None:
    r = T.task_reports
    return conn.execute(select(r.c.as_of).where(r.c.as_of < as_of).order_by(r.c.as_of.desc()).limit(1)).scalar()


def build_report(lib, as_of: dt.date | None = None, *, doc: str | None = None,
                 unit: str | None = None) -> Report:
    """Gather what the workbook shows (no file written, nothing recorded)."""
    day = today(as_of)
    views = list_tasks(lib, doc=doc, unit=unit, today_=day)
    s = summary(lib, doc=doc, unit=unit, today_=day)
    by_doc: dict[str, list[TaskView]] = {}
    for v in views:
        by_doc.setdefault(v.doc_key, []).append(v)
    documents = [(vs[0].doc_number or vs[0].doc_title or key, vs) for key, vs in by_doc.items()]
    ids = {v.id for v in views}
    e = T.task_events
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    with lib.engine.connect() as conn:
        since = _previous(conn, day)
        stmt = select(e).where(e.c.at < end).order_by(e.c.id)
        if since:
            stmt = stmt.where(e.c.at >= dt.datetime.combine(since + dt.timedelta(days=1), dt.time()))
        events = [TaskEvent(r.id, r.task_id, r.at, r.actor, r.action, r.old, r.new, r.detail)
                  for r in conn.execute(stmt) if r.task_id in ids]
    titles = {v.id: (v.title or v.text)[:60] for v in views}
    return Report(day, s, documents, events, since, titles)


def record_report(lib, report: Report) -> None:
    """Remember that a report for ``report.as_of`` was made (the next report's changes start after it)."""
    r = T.task_reports
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    with lib.engine.begin() as conn:
        conn.execute(r.delete().where(r.c.as_of == report.as_of))
        conn.execute(r.insert().values(as_of=report.as_of, created_at=now, tasks=report.summary.total))


_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(label: str, taken: set[str]) -> str:
    base = _BAD_SHEET.sub("_", label).strip("'")[:28] or "文件"
    title, i = base, 2
    while title in taken or title in ("汇总", "状态图", "变化"):
        title, i = f"{base[:25]}_{i}", i + 1
    taken.add(title)
    return title


def write_report(report: Report, path: str | Path) -> Path:
    """Write the workbook to ``path`` (.xlsx)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, PieChart, Reference
    from openpyxl.styles import Font

    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise InvalidInput(f"{path}: 对账报告只支持 .xlsx", field="path")
    s = report.summary
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"任务对账报告（截至 {report.as_of.isoformat()}）"])
    ws["A1"].font = Font(bold=True, size=14)
    since = f"上次报告 {report.since.isoformat()}" if report.since else "首次报告"
    ws.append([f"共 {s.total} 项任务：" + "，".join(f"{k} {v}" for k, v in s.by_status.items())
               + f"，{DUE_SOON_DAYS}天内到期 {s.due_soon}；{since}，其后变化 {len(report.changes)} 条"])
    ws.append(SUMMARY_COLUMNS)
    for c in ws[3]:
        c.font = Font(bold=True)
    for u in s.by_unit:
        ws.append([u.unit, u.level, u.total, u.counts["已完成"], u.counts["推进中"], u.counts["未开始"],
                   u.counts[OVERDUE], u.due_soon])
    ws.append(["合计（按任务）", "", s.total, s.by_status["已完成"], s.by_status["推进中"], s.by_status["未开始"],
               s.by_status[OVERDUE], s.due_soon])
    ws[ws.max_row][0].font = Font(bold=True)
    ws.column_dimensions["A"].width = 34
    ws.freeze_panes = "A4"

    ch = wb.create_sheet("状态图")
    ch.append(["状态", "任务数"])
    order = ["已完成", "推进中", "未开始", OVERDUE]
    order += [k for k in (*STATUSES, OVERDUE) if k not in order]
    for k in order:
        ch.append([k, s.by_status[k]])
    pie = PieChart()
    pie.title = f"任务状态（截至 {report.as_of.isoformat()}）"
    pie.add_data(Reference(ch, min_col=2, min_row=1, max_row=len(order) + 1), titles_from_data=True)
    pie.set_categories(Reference(ch, min_col=1, min_row=2, max_row=len(order) + 1))
    ch.add_chart(pie, "D2")
    top = s.by_unit[:15]
    if top:
        start = len(order) + 3
        ch.cell(start, 1, "单位")
        for j, k in enumerate(order, 2):
            ch.cell(start, j, k)
        for i, u in enumerate(top, start + 1):
            ch.cell(i, 1, u.unit)
            for j, k in enumerate(order, 2):
                ch.cell(i, j, u.counts[k])
        bar = BarChart()
        bar.type, bar.grouping, bar.overlap = "bar", "stacked", 100
        bar.title = "各单位任务状态"
        bar.add_data(Reference(ch, min_col=2, max_col=len(order) + 1, min_row=start, max_row=start + len(top)),
                     titles_from_data=True)
        bar.set_categories(Reference(ch, min_col=1, min_row=start + 1, max_row=start + len(top)))
        bar.height, bar.width = 12, 20
        ch.add_chart(bar, "D18")

    taken: set[str] = set()
    for label, views in report.documents:
        d = wb.create_sheet(_sheet_title(label, taken))
        d.append([views[0].doc_title or label])
        d["A1"].font = Font(bold=True)
        write_task_sheet(d, views)

    chg = wb.create_sheet("变化")
    chg.append(["时间", "任务", "操作人", "变化", "原值", "新值", "说明"])
    for c in chg[1]:
        c.font = Font(bold=True)
    for ev in report.changes:
        chg.append([ev.at.strftime("%Y-%m-%d %H:%M"), report.titles.get(ev.task_id, ev.task_id), ev.actor,
                    ACTIONS.get(ev.action, ev.action), ev.old or "", ev.new or "", ev.detail or ""])
    chg.column_dimensions["B"].width = 50
    wb.save(path)
    return path


def make_report(lib, path: str | Path, as_of: dt.date | None = None, *, doc: str | None = None,
                unit: str | None = None, record: bool = True) -> Report:
    """Build, write and (by default) record the report for ``as_of``."""
    report = build_report(lib, as_of, doc=doc, unit=unit)
    write_report(report, path)
    if record and not doc and not unit:
        record_report(lib, report)
    return report
