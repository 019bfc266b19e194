"""Exports for a 督查 office: XLSX (openpyxl) and CSV with the columns 序号, 任务, 责任单位,
协办单位, 完成时限, 状态, 最新进展, 来源."""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import InvalidInput
from .types import TaskView

COLUMNS = ["序号", "任务", "责任单位", "协办单位", "完成时限", "状态", "最新进展", "来源"]


def rows(views: list[TaskView]) -> list[list[str]]:
    out = []
    for i, v in enumerate(views, 1):
        deadline = v.deadline_raw or ("长期" if v.ongoing else "")
        if v.deadline and v.deadline_raw:
            deadline = f"{v.deadline_raw}（{v.deadline.isoformat()}）"
        note = v.latest_note or ""
        if note and v.latest_note_at:
            note = f"{v.latest_note_at.date().isoformat()} {note}"
        out.append([str(i), v.text, "、".join(v.lead_units), "、".join(v.co_units), deadline, v.status,
                    note, v.citation])
    return out


def write_task_sheet(ws, views: list[TaskView]) -> None:
    """Append the 督查 columns and one row per task to an openpyxl sheet, formatted for print.

    The export and the monthly report's per-document sheets share it, so both read alike;
    rows already on the sheet (a title line) stay above the header.
    """
    from openpyxl.styles import Alignment, Font
    ws.append(COLUMNS)
    header = ws.max_row
    for c in ws[header]:
        c.font = Font(bold=True)
    for r in rows(views):
        ws.append(r)
    for col, width in zip("ABCDEFGH", (6, 60, 24, 24, 18, 8, 30, 30), strict=True):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=header + 1):
        for c in row:
            c.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = f"A{header + 1}"


def export_tasks(views: list[TaskView], path: str | Path) -> Path:
    """Write ``views`` to ``path``; the format follows the suffix (.xlsx or .csv)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS)
            w.writerows(rows(views))
        return path
    if suffix == ".xlsx":
        from openpyxl import Workbook
        wb = Workbook()
        ws = wb.active
        ws.title = "任务台账"
        write_task_sheet(ws, views)
        wb.save(path)
        return path
    raise InvalidInput(f"{path}: 只支持 .xlsx 或 .csv", field="path")
