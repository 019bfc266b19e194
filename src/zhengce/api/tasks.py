"""REST: tasks (read freely; writes need an agency token), per-agency summary, exports.

Writes take the token as ``Authorization: Bearer <token>`` (or ``X-Zhengce-Token``); an agency
may update only tasks naming it as lead or co unit — otherwise 403, and the refusal is audited.
Task ids contain '/' and '#': percent-encode them ('#' → %23).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from ..library import Library
from .deps import ServiceUnavailable, get_library
from .serialize import plain

router = APIRouter(prefix="/api", tags=["任务督办 tasks"])

STATUS_PATTERN = "^(未开始|推进中|已完成|逾期)$"


def _track():
    try:
        from .. import track
    except ImportError as e:
        raise ServiceUnavailable("任务督办服务尚未就绪", hint=str(e)) from e
    return track


def task_dict(v) -> dict:
    d = plain(v)
    d["citation"] = getattr(v, "citation", None)
    return d


class TaskFilters:
    def __init__(self,
                 unit: str | None = Query(None, max_length=100, description="责任或协办单位（可用简称）"),
                 doc: str | None = Query(None, max_length=200, description="文件 key、文号或标题"),
                 status: str | None = Query(None, pattern=STATUS_PATTERN, description="未开始/推进中/已完成/逾期"),
                 overdue: bool = Query(False, description="只看逾期"),
                 q: str | None = Query(None, max_length=100, description="任务文本包含"),
                 role: str | None = Query(None, pattern="^(lead|co)$", description="lead 责任 / co 协办")):
        self.kw = dict(unit=unit or None, doc=doc or None, status=status or None, overdue=overdue,
                       query=q or None, role=role)


def token_of(authorization: str | None, x_token: str | None) -> str | None:
    if authorization and authorization.lower().startswith("bearer "):
        return authorization[7:].strip() or None
    return x_token or None


@router.get("/tasks", summary="任务列表（按单位、文件、状态、逾期筛选）")
def list_tasks(lib: Library = Depends(get_library), f: TaskFilters = Depends(),
               limit: int = Query(100, ge=1, le=5000), offset: int = Query(0, ge=0, le=2**31 - 1)) -> dict:
    track = _track()  # the page and the total in SQL: a library may hold 600,000 tasks
    views = track.list_tasks(lib, limit=limit, offset=offset, **f.kw)
    return {"ok": True, "total": track.count_tasks(lib, **f.kw), "limit": limit, "offset": offset,
            "tasks": [task_dict(v) for v in views]}


@router.get("/tasks/summary", summary="按状态、按单位统计任务（含逾期）")
def tasks_summary(lib: Library = Depends(get_library),
                  doc: str | None = Query(None, max_length=200), unit: str | None = Query(None, max_length=100)) -> dict:
    return {"ok": True} | plain(_track().summary(lib, doc=doc or None, unit=unit or None))


@router.get("/tasks/export.{fmt}", summary="导出任务台账：xlsx / csv / json")
def export(fmt: str, lib: Library = Depends(get_library), f: TaskFilters = Depends()):
    track = _track()
    if fmt not in ("xlsx", "csv", "json"):
        from ..errors import InvalidInput
        raise InvalidInput(f"不支持的导出格式 {fmt}；可选 xlsx、csv、json", field="fmt")
    views = track.list_tasks(lib, **f.kw)
    if fmt == "json":
        return JSONResponse({"ok": True, "columns": track.COLUMNS, "tasks": [task_dict(v) for v in views]},
                            headers={"Content-Disposition": "attachment; filename=tasks.json"})
    tmp = Path(tempfile.mkdtemp(prefix="zhengce-export-")) / f"tasks.{fmt}"
    track.export_tasks(views, tmp)
    media = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if fmt == "xlsx"
             else "text/csv; charset=utf-8")
    return FileResponse(tmp, media_type=media, filename=f"任务台账.{fmt}",
                        background=BackgroundTask(_cleanup, tmp))


@router.get("/tasks/report.xlsx", summary="月度对账报告（汇总、分文件任务、状态图、上次报告以来的变化）")
def report(lib: Library = Depends(get_library),
           as_of: dt.date | None = Query(None, description="对账日期 YYYY-MM-DD（默认今天）"),
           record: bool = Query(False, description="记为一次月度报告（下次报告的变化从此日之后算起）")):
    day = as_of
    tmp = Path(tempfile.mkdtemp(prefix="zhengce-report-")) / "report.xlsx"
    r = _track().make_report(lib, tmp, day, record=record)
    return FileResponse(tmp, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        filename=f"任务对账报告-{r.as_of.isoformat()}.xlsx", background=BackgroundTask(_cleanup, tmp))


def _cleanup(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.parent.rmdir()


@router.get("/agencies", summary="单位名录（含别名）与各单位任务数")
def agencies(lib: Library = Depends(get_library)) -> dict:
    return {"ok": True, "agencies": plain(_track().agencies(lib))}


@router.get("/tasks/{task_id:path}", summary="任务详情与审计记录")
def get_task(task_id: str, lib: Library = Depends(get_library)) -> dict:
    track = _track()
    view = track.get_task(lib, task_id)
    return {"ok": True, "task": task_dict(view), "history": plain(track.task_history(lib, task_id))}


class TaskUpdate(BaseModel):
    status: str | None = Field(None, pattern="^(未开始|推进中|已完成)$", description="未开始/推进中/已完成（逾期自动计算）")
    note: str | None = Field(None, max_length=2000, description="进展说明")
    evidence: str | None = Field(None, max_length=2000, description="完成佐证")


@router.patch("/tasks/{task_id:path}", summary="更新任务状态/进展（需本单位令牌：Authorization: Bearer …）")
def update_task(task_id: str, body: TaskUpdate, lib: Library = Depends(get_library),
                authorization: str | None = Header(None),
                x_zhengce_token: str | None = Header(None)) -> dict:
    view = _track().update_task(lib, task_id, token=token_of(authorization, x_zhengce_token),
                                status=body.status, note=body.note, evidence=body.evidence)
    return {"ok": True, "task": task_dict(view)}
