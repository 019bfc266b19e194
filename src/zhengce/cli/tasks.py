"""``zhengce tasks …`` (对账销账), ``zhengce agencies`` and ``zhengce accounts …``.

Thin renderers over ``zhengce.track``: the REST API and the dashboard call the same functions.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from .app import app, console, get_library

tasks_app = typer.Typer(help="实施任务 (对账销账): list, update, export, summary.", no_args_is_help=True)
accounts_app = typer.Typer(help="Accounts and tokens for task updates.", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")
app.add_typer(accounts_app, name="accounts")

_STATUS_STYLE = {"未开始": "dim", "推进中": "cyan", "已完成": "green", "逾期": "bold red"}


def _views(unit, doc, status, overdue, query, role=None, limit=None):
    from ..track import list_tasks
    return list_tasks(get_library(), unit=unit, doc=doc, status=status, overdue=overdue, query=query,
                      role=role, limit=limit)


@tasks_app.command("list")
def list_cmd(
    unit: str = typer.Option(None, "--unit", help="责任/协办单位 (any alias), e.g. 区生态环境局."),
    doc: str = typer.Option(None, "--doc", help="Document: 文号, key or title words."),
    status: str = typer.Option(None, "--status", help="未开始 | 推进中 | 已完成 | 逾期."),
    overdue: bool = typer.Option(False, "--overdue", help="Only tasks past their deadline and not done."),
    role: str = typer.Option(None, "--role", help="With --unit: lead | co."),
    query: str = typer.Option(None, "--query", "-q", help="Text in the task."),
    limit: int = typer.Option(None, "--limit"),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per task."),
) -> None:
    """List tasks (one agency across documents, one document, overdue …)."""
    views = _views(unit, doc, status, overdue, query, role, limit)
    if as_json:
        for v in views:
            print(json.dumps(v.as_dict(), ensure_ascii=False, default=str))
        return
    t = Table(show_lines=False, title=f"{len(views)} 项任务")
    for col in ("编号", "任务", "责任单位", "协办单位", "完成时限", "状态"):
        t.add_column(col, overflow="fold")
    for v in views:
        style = _STATUS_STYLE.get(v.status, "")
        deadline = v.deadline.isoformat() if v.deadline else (v.deadline_raw or ("长期" if v.ongoing else ""))
        t.add_row(escape(v.key), escape(v.text[:80]), escape("、".join(v.lead_units)),
                  escape("、".join(v.co_units)), escape(deadline), f"[{style}]{v.status}[/{style}]" if style else v.status)
    console.print(t)


@tasks_app.command("show")
def show_cmd(task_id: str = typer.Argument(..., help="Task id or short key (t1a2b3c4d) from `tasks list`.")) -> None:
    """One task with its audit history."""
    from ..track import get_task, task_history
    lib = get_library()
    v = get_task(lib, task_id)
    console.print(f"[bold]{escape(v.title or '')}[/bold] {escape(v.text)}", highlight=False)
    console.print(f"责任单位: {escape('、'.join(v.lead_units))}  协办单位: {escape('、'.join(v.co_units) or '—')}",
                  highlight=False)
    console.print(f"完成时限: {escape(v.deadline_raw or '—')} ({v.deadline or ('长期' if v.ongoing else '—')})  "
                  f"状态: {v.status}", highlight=False)
    console.print(f"来源: {escape(v.citation)}  {escape(v.source)}:{v.line_start}", highlight=False)
    for e in task_history(lib, task_id):
        console.print(f"  {e.at:%Y-%m-%d %H:%M} {escape(e.actor)} {e.action}: {escape(e.old or '')} → "
                      f"{escape(e.new or '')} {escape(e.detail or '')}", highlight=False)


@tasks_app.command("update")
def update_cmd(
    task_id: str = typer.Argument(..., help="Task id or short key (t1a2b3c4d) from `tasks list`."),
    status: str = typer.Option(None, "--status", help="未开始 | 推进中 | 已完成."),
    note: str = typer.Option(None, "--note", help="Progress note (dated today)."),
    evidence: str = typer.Option(None, "--evidence", help="Completion evidence."),
    token: str = typer.Option(None, "--token", envvar="ZHENGCE_TOKEN", help="Account token (or ZHENGCE_TOKEN)."),
) -> None:
    """Update a task's status / progress / evidence (needs a token; every change is audited)."""
    from ..track import update_task
    v = update_task(get_library(), task_id, token=token, status=status, note=note, evidence=evidence)
    console.print(f"已更新 {escape(v.id)}: 状态 {v.status}", highlight=False)


@tasks_app.command("export")
def export_cmd(
    path: Path = typer.Argument(..., help="tasks.xlsx or tasks.csv"),
    unit: str = typer.Option(None, "--unit"),
    doc: str = typer.Option(None, "--doc"),
    status: str = typer.Option(None, "--status"),
    overdue: bool = typer.Option(False, "--overdue"),
) -> None:
    """Export tasks (序号, 任务, 责任单位, 协办单位, 完成时限, 状态, 最新进展, 来源)."""
    from ..track import export_tasks
    views = _views(unit, doc, status, overdue, None)
    export_tasks(views, path)
    console.print(f"{path}: {len(views)} 项任务", highlight=False)


def _as_of(value: str | None):
    import datetime as dt

    from ..errors import InvalidInput
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise InvalidInput(f"--as-of {value!r} 不是日期 (YYYY-MM-DD)", field="--as-of") from e


@tasks_app.command("summary")
def summary_cmd(
    doc: str = typer.Option(None, "--doc"),
    unit: str = typer.Option(None, "--unit"),
    as_of: str = typer.Option(None, "--as-of", help="对账日期 YYYY-MM-DD (default: today / ZHENGCE_TODAY)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Counts per status and per agency, and tasks due in the next 30 days."""
    from dataclasses import asdict

    from ..track import DUE_SOON_DAYS, summary
    s = summary(get_library(), doc=doc, unit=unit, today_=_as_of(as_of))
    if as_json:
        print(json.dumps(asdict(s), ensure_ascii=False, default=str))
        return
    console.print(f"共 {s.total} 项 (截至 {s.today}): " + "  ".join(f"{k} {v}" for k, v in s.by_status.items())
                  + f"  {DUE_SOON_DAYS}天内到期 {s.due_soon}", highlight=False)
    t = Table()
    t.add_column("单位")
    t.add_column("层级")
    for k in s.by_status:
        t.add_column(k, justify="right")
    t.add_column("合计", justify="right")
    t.add_column(f"{DUE_SOON_DAYS}天内到期", justify="right")
    for u in s.by_unit:
        t.add_row(escape(u.unit), u.level, *[str(u.counts[k]) for k in s.by_status], str(u.total), str(u.due_soon))
    console.print(t)


@tasks_app.command("report")
def report_cmd(
    path: Path = typer.Argument(..., help="report.xlsx"),
    as_of: str = typer.Option(None, "--as-of", help="对账日期 YYYY-MM-DD (default: today / ZHENGCE_TODAY)."),
    doc: str = typer.Option(None, "--doc", help="Only this document (not recorded as a monthly report)."),
    unit: str = typer.Option(None, "--unit", help="Only this agency (not recorded as a monthly report)."),
    record: bool = typer.Option(True, "--record/--no-record",
                                help="Remember this report so the next one lists the changes since it."),
) -> None:
    """The monthly 对账 report: per-agency summary, one sheet per document, status chart, changes."""
    from ..track import make_report
    r = make_report(get_library(), path, _as_of(as_of), doc=doc, unit=unit, record=record)
    since = f"自 {r.since} 起" if r.since else "首次报告"
    console.print(f"{path}: 截至 {r.as_of}，{r.summary.total} 项任务，{len(r.documents)} 个文件，"
                  f"{since}变化 {len(r.changes)} 条", highlight=False)


@app.command("agencies")
def agencies_cmd(as_json: bool = typer.Option(False, "--json")) -> None:
    """The agency registry: canonical names, level, aliases, tasks naming each."""
    from dataclasses import asdict

    from ..track import agencies
    rows = agencies(get_library())
    if as_json:
        for a in rows:
            print(json.dumps(asdict(a), ensure_ascii=False))
        return
    t = Table(title=f"{len(rows)} 个单位")
    for col in ("单位", "层级", "别名", "任务数"):
        t.add_column(col, overflow="fold")
    for a in rows:
        t.add_row(escape(a.name), a.level, escape("、".join(a.aliases)), str(a.tasks))
    console.print(t)


@accounts_app.command("create")
def accounts_create(
    agency: str = typer.Option(None, "--agency", help="Agency name (any alias), e.g. 区生态环境局."),
    admin: bool = typer.Option(False, "--admin", help="An admin account (may update every task)."),
    name: str = typer.Option(None, "--name", help="Account name (default: the agency)."),
) -> None:
    """Create an account; its token is printed once (only a hash is stored)."""
    from ..track import create_account
    new = create_account(get_library(), agency=agency, admin=admin, name=name)
    console.print(f"账户 {escape(new.account.name)} ({new.account.role}) 已创建。令牌只显示这一次:", highlight=False)
    print(new.token)


@accounts_app.command("list")
def accounts_list() -> None:
    """Accounts (never tokens)."""
    from ..track import list_accounts
    for a in list_accounts(get_library()):
        console.print(f"{a.id}\t{escape(a.name)}\t{a.role}\t{escape(a.agency or '')}\t{a.created_at:%Y-%m-%d}",
                      highlight=False)
