"""Tasks from task tables: columns 序号, (市级)重点任务, 工作措施, 完成时限, 主责单位, 协办单位.

Rows arrive as provisions (``kind == "row"`` with ``header``; or, from a plain-text source, any
line holding tabs). The raw row is split on tabs so unit cells keep their separators. Repeated
header rows after page breaks are skipped; a row with an empty 序号 is a sub-measure of the task
above (it inherits 序号, 重点任务, and a missing deadline/units), except right after a page break
when the measure above stopped mid-sentence: then it continues that row
(xicheng-gazette-2022.txt:2596 "管控 / 路移动机械等。").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ...model import Provision
from ..deadlines import in_text
from .units import EMPTY, split_cell

ROLE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("number", re.compile(r"^(序号|编号|序)$")),
    ("parent", re.compile(r"市级.*任务|上级.*任务|国家.*任务")),
    ("co", re.compile(r"协办|配合|协同|参与|协作")),
    ("lead", re.compile(r"主责|牵头|责任单位|责任部门|主办|负责单位|负责部门")),
    ("deadline", re.compile(r"时限|完成时间|时间节点|实施期限|进度安排|时间安排|^时间$|完成期限")),
    ("measure", re.compile(r"工作措施|具体措施|具体任务|具体内容|主要内容|任务内容|工作内容|工作任务|措施|任务分解")),
    ("title", re.compile(r"重点任务|主要任务|任务名称|项目名称|重点工作|^任务$|^事项$|工作事项")),
]
TERMINAL = ("。", ";", "；", "!", "?", ".")


_SUBSUP = re.compile(r"<su[bp]>(.*?)</su[bp]>")
_TAG = re.compile(r"<[^>]+>")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1 << 14)
def clean_cell(cell: str) -> str:
    """A cell's text without tags and (among Chinese) whitespace, NFKC. Cached: a row's cells are
    read by the header test, the empty-row test and each role."""
    s = cell
    if "<" in s:
        s = _TAG.sub(" ", _SUBSUP.sub(r"\1", s))
    s = unicodedata.normalize("NFKC", s)
    return _WS.sub("", s) if _HAN.search(s) else s.strip()


def roles(header: list[str]) -> dict[str, int] | None:
    """Column index per role, or None when the table does not assign tasks."""
    out: dict[str, int] = {}
    for i, h in enumerate(header):
        h = clean_cell(h)
        for role, pat in ROLE_PATTERNS:
            if role not in out and pat.search(h):
                out[role] = i
                break
    if "measure" not in out and "title" in out:
        out["measure"] = out.pop("title")
    if "measure" not in out or "lead" not in out:
        return None
    return out


_HEADER_WORD = re.compile(r"单位|部门|时限|任务|措施")


def is_header(cells: list[str]) -> bool:
    cl = [clean_cell(c) for c in cells]
    return "序号" in cl or sum(bool(_HEADER_WORD.search(c)) for c in cl) >= 3


@dataclass
class RowTask:
    provision: Provision
    number: str | None
    title: str | None
    parent: str | None
    measure: str
    lead: list[str]
    co: list[str]
    deadline_raw: str | None
    line_end: int
    extra: list[Provision] = field(default_factory=list)
    ranked: bool = True  # the table says who leads (主责/牵头 column, or a 协办 column beside it)


def row_cells(p: Provision) -> list[str]:
    if "\t" in p.raw:
        return p.raw.split("\t")
    return list(p.cells or [])


_RANKING_WORD = re.compile(r"主责|牵头|主办")


def table_tasks(runs: list[list[Provision]]) -> list[RowTask]:
    """Tasks in the table rows of one document, given as runs of consecutive rows.

    Headers may repeat inside a run. A run without its own header continues the table above
    when its rows have as many cells as that header (a bold section row between them may have
    become a heading provision); otherwise it is not a task table.
    """
    out: list[RowTask] = []
    header: list[str] | None = None
    cols: dict[str, int] | None = None
    page_break = False
    group: RowTask | None = None
    last: RowTask | None = None
    rows = [(i, p) for i, run in enumerate(runs) for p in run]
    prev_run = -1
    for run_no, p in rows:
        cells = row_cells(p)
        header_row = is_header(cells)
        if run_no != prev_run:
            prev_run = run_no
            page_break, last = False, None
            if header is not None and not p.header and not header_row and len(cells) != len(header):
                header, cols, group = None, None, None
        if p.header and (header is None or p.header != header) and not header_row:
            header, cols = p.header, roles(p.header)
        if header_row:
            if header is not None and [clean_cell(c) for c in cells] == [clean_cell(c) for c in header]:
                page_break = True
            else:
                header, cols, group, last = cells, roles(cells), None, None
                page_break = False
            continue
        if cols is None:
            continue

        def cell(role: str, cells: list[str] = cells, cols: dict[str, int] = cols) -> str:
            i = cols.get(role)
            return clean_cell(cells[i]) if i is not None and i < len(cells) else ""

        filled = [c for c in cells if clean_cell(c)]
        if len(filled) <= 1 and not cell("measure"):
            if filled:
                group = last = None  # a section row closes the task above
            page_break = False
            continue  # a section row ("<b>一、…</b>") or an empty line
        number, title, measure = cell("number"), cell("title"), cell("measure")
        lead = split_cell(cells[cols["lead"]]) if cols["lead"] < len(cells) else []
        co = split_cell(cells[cols["co"]]) if "co" in cols and cols["co"] < len(cells) else []
        dl = cell("deadline")
        dl = None if not dl or EMPTY.match(dl) else dl
        ranked = "co" in cols or bool(_RANKING_WORD.search(clean_cell(header[cols["lead"]]) if header else ""))
        if last and not number and (
                (page_break and not last.measure.endswith(TERMINAL))
                or (not dl and not lead and not co and not title)):
            last.measure += measure
            if title and last.title and not last.title.endswith(title):
                last.title += title
            if dl:
                last.deadline_raw = (last.deadline_raw or "") + dl
            last.lead += [u for u in lead if u not in last.lead]
            last.co += [u for u in co if u not in last.co]
            last.line_end = p.line_end
            last.extra.append(p)
            page_break = False
            continue
        page_break = False
        if not measure and not title:
            continue
        if number or group is None:
            t = RowTask(p, number or None, title or None, cell("parent") or None, measure or title,
                        lead, co, dl or in_text(measure, None), p.line_end, ranked=ranked)
            group = t
        else:
            t = RowTask(p, group.number, title or group.title, cell("parent") or group.parent,
                        measure or title, lead or list(group.lead), co,
                        dl or in_text(measure, None) or (last.deadline_raw if last else None), p.line_end,
                        ranked=ranked)
        out.append(t)
        last = t
    return out
