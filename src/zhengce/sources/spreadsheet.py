"""Spreadsheets (.xlsx/.xlsm through openpyxl, legacy .xls through xlrd): rows become TSV lines.

Sites publish a plan's 任务分解表 beside the page as a workbook. Each visible sheet is read top
to bottom. A row with two or more filled cells starts a table; from there every row up to the
next empty row is one tab-separated line, padded to the table's width, so a section row
("一、温室气体排放控制目标" alone in column A) stays inside its table exactly as the corpus TSV
keeps it. Rows outside a table (a title merged across the columns, a 注 below) are plain lines.
Cells read the way a person reads them: 1 not 1.0, a date as 2022年12月31日, a cell of several
lines as ``<p>…</p> <p>…</p>`` (the corpus TSV form, as the DOCX reader writes it). Hidden sheets
(lookup lists behind drop-downs) are skipped. Formulas give their cached values.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Iterator

from ..errors import SourceError
from ..model import SourceLine

MAX_CELLS = 2_000_000  # a task table has thousands; a sheet of millions is a data dump, not a policy


def read_xlsx(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        hint = "这是旧版 .xls 文件，请改用 .xls 扩展名" if data.startswith(b"\xd0\xcf\x11\xe0") else None
        raise SourceError(path, "不是有效的 XLSX 文件 (not a zip archive)", hint=hint)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError) as e:
        raise SourceError(path, f"XLSX 文件已损坏 (broken workbook: {type(e).__name__}: {e})") from e
    try:
        sheets = [ws.iter_rows(values_only=True) for ws in wb.worksheets
                  if getattr(ws, "sheet_state", "visible") == "visible"]
        lines = sheet_lines(path, sheets)
    finally:
        wb.close()
    return "xlsx", None, lines


def read_xls(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    if data.startswith(b"PK\x03\x04"):  # an .xlsx saved under the old name: read it as what it is
        _, enc, lines = read_xlsx(path, data)
        return "xls", enc, lines
    if not data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(path, "不是有效的 XLS 文件 (no Office 97 signature)",
                          hint="网站导出的“xls”常是网页，请改用 .html 扩展名" if b"<" in data[:512] else None)
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except xlrd.XLRDError as e:
        raise SourceError(path, f"XLS 文件已损坏 (broken workbook: {e})") from e
    try:
        sheets = []
        for i in range(book.nsheets):
            sh = book.sheet_by_index(i)
            if sh.visibility == 0:
                sheets.append(_xls_rows(sh, book.datemode))
        lines = sheet_lines(path, sheets)
    finally:
        book.release_resources()
    return "xls", None, lines


def _xls_rows(sheet, datemode: int) -> Iterator[tuple]:
    import xlrd

    for r in range(sheet.nrows):
        row = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate_as_datetime(cell.value, datemode))
                except (ValueError, OverflowError):
                    row.append(cell.value)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(cell.value))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                row.append(None)
            else:
                row.append(cell.value)
        yield tuple(row)


def sheet_lines(path: str, sheets: Iterable[Iterable[tuple]]) -> list[SourceLine]:
    """TSV and plain lines of every sheet, numbered in reading order."""
    texts: list[str] = []
    cells = 0
    for rows in sheets:
        table: list[list[str]] = []
        for values in rows:
            cells += len(values)
            if cells > MAX_CELLS:
                raise SourceError(path, f"表格过大，超过 {MAX_CELLS} 个单元格 (spreadsheet too large)")
            row = [cell_text(v) for v in values]
            while row and not row[-1]:
                row.pop()
            filled = sum(1 for c in row if c)
            if not filled:
                texts += _flush(table)
                continue
            if table or filled >= 2:
                table.append(row)
            else:
                texts.append(next(c for c in row if c))
        texts += _flush(table)
        texts.append("")  # sheets are apart like paragraphs
    return [SourceLine(t, i) for i, t in enumerate(texts, 1)]


def _flush(table: list[list[str]]) -> list[str]:
    """The table's rows as TSV padded to its widest row; a one-row "table" is just its cells."""
    if not table:
        return []
    width = max(len(r) for r in table)
    out = ["\t".join(r + [""] * (width - len(r))) for r in table]
    table.clear()
    return out


def cell_text(value) -> str:
    """A cell as a person reads it, as one TSV field (no tabs or newlines inside)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            value = value.date()
        else:
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    paras = [" ".join(p.split()) for p in text.split("\n")]
    paras = [p for p in paras if p]
    if len(paras) <= 1:
        return paras[0] if paras else ""
    return " ".join(f"<p>{p}</p>" for p in paras)
