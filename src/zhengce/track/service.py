"""The task-tracking service (对账销账): views, updates with accounts and an audit log, summaries.

Every face (CLI, REST API, dashboard) calls these functions with a ``Library`` and renders the
dataclasses they return. Rules:

- status is 未开始 / 推进中 / 已完成 as stored; 逾期 is computed (deadline < today, not 已完成);
  today is ``ZHENGCE_TODAY`` when set.
- an update needs a token; an agency account may update only tasks where it, or an alias of it,
  is a lead or co unit, or where a collective unit it belongs to is (各街道办事处 for a street
  office). Anything else raises ``Forbidden`` and the refusal is logged.
- every change (status, note, evidence) writes one audit event: who, when, old, new.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import and_, case, func, or_, select

from .. import settings
from ..errors import Forbidden, InvalidInput, NotFound, Unauthorized
from ..extract.agencies import registry
from ..store import documents as store_docs
from ..store import tasks as T
from .types import (
    DUE_SOON_DAYS,
    OVERDUE,
    STATUSES,
    Account,
    AgencyView,
    NewAccount,
    Summary,
    TaskEvent,
    TaskView,
    UnitSummary,
    short_key,
)


def today(override: dt.date | None = None) -> dt.date:
    if override:
        return override
    s = settings.get("today")
    if s:
        try:
            return dt.date.fromisoformat(s)
        except ValueError as e:
            raise InvalidInput(f"ZHENGCE_TODAY={s!r} is not an ISO date", field="ZHENGCE_TODAY") from e
    return dt.date.today()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _view(row, day: dt.date) -> TaskView:
    m = row._mapping
    stored = m["status"] or "未开始"
    overdue = bool(m["deadline"] and m["deadline"] < day and stored != "已完成")
    return TaskView(
        id=m["id"], doc_key=m["doc_key"], doc_title=m["title_doc"], doc_number=m["doc_number"],
        source=m["source"], cid=m["cid"], seq=m["seq"], number=m["number"], title=m["title"],
        text=m["text"], parent_task=m["parent_task"], lead_units=list(m["lead_units"] or []),
        co_units=list(m["co_units"] or []), deadline_raw=m["deadline_raw"], deadline=m["deadline"],
        ongoing=bool(m["ongoing"]), stored_status=stored, status=OVERDUE if overdue else stored,
        overdue=overdue, latest_note=m["note"], latest_note_at=m["note_at"], evidence=m["evidence"],
        updated_at=m["updated_at"], updated_by=m["updated_by"], line_start=m["line_start"],
        line_end=m["line_end"])


def _base():
    d = store_docs.documents
    s = T.task_status
    return (select(T.tasks, d.c.title.label("title_doc"), d.c.doc_number, d.c.seq.label("doc_seq"),
                   s.c.status, s.c.note, s.c.note_at, s.c.evidence, s.c.updated_at, s.c.updated_by)
            .select_from(T.tasks.outerjoin(d, d.c.key == T.tasks.c.doc_key)
                         .outerjoin(s, s.c.task_id == T.tasks.c.id)))


def _doc_keys(conn, doc: str) -> list[str]:
    """Documents named by key, 文号 (any bracket style) or a title fragment."""
    from ..extract.docnum import canonical_doc_number
    d = store_docs.documents
    canon = canonical_doc_number(doc) or doc
    rows = conn.execute(select(d.c.key).where(or_(d.c.key == doc, d.c.doc_number == canon))).all()
    if not rows:
        rows = conn.execute(select(d.c.key).where(or_(d.c.title.contains(doc),
                                                      d.c.short_title.contains(doc)))).all()
    return [r[0] for r in rows]


def list_tasks(lib, *, unit: str | None = None, doc: str | None = None, status: str | None = None,
               overdue: bool = False, query: str | None = None, source: str | None = None,
               role: str | None = None, today_: dt.date | None = None, limit: int | None = None,
               offset: int = 0) -> list[TaskView]:
    """Tasks in document order, filtered: ``unit`` (any alias; lead or co, or ``role`` lead|co),
    ``doc`` (key, 文号 or title), ``status`` (未开始/推进中/已完成/逾期), ``overdue``, ``query``."""
    day = today(today_)
    stmt = _base().order_by(T.tasks.c.source, "doc_seq", T.tasks.c.seq)
    with lib.engine.connect() as conn:
        if unit:
            canon = registry().canonical(unit)
            sub = select(T.task_units.c.task_id).where(T.task_units.c.canonical == canon)
            if role:
                sub = sub.where(T.task_units.c.role == role)
            stmt = stmt.where(T.tasks.c.id.in_(sub))
        if doc:
            keys = _doc_keys(conn, doc)
            if not keys:
                raise NotFound(f"没有找到文件 {doc}", hint="用文号、标题或 zhengce docs 列出的 key", field="doc")
            stmt = stmt.where(T.tasks.c.doc_key.in_(keys))
        if source:
            stmt = stmt.where(T.tasks.c.source == source)
        if query:
            stmt = stmt.where(or_(T.tasks.c.text.contains(query), T.tasks.c.title.contains(query)))
        if limit and not status and not overdue:  # nothing left to filter in Python: page in SQL
            stmt = stmt.limit(limit).offset(offset)
            return [_view(r, day) for r in conn.execute(stmt)]
        views = [_view(r, day) for r in conn.execute(stmt)]
    if status:
        if status not in (*STATUSES, OVERDUE):
            raise InvalidInput(f"状态 {status!r} 无效；可选 {', '.join((*STATUSES, OVERDUE))}", field="status")
        views = [v for v in views if v.status == status]
    if overdue:
        views = [v for v in views if v.overdue]
    return views[offset: offset + limit if limit else None]


def resolve_id(conn, task_id: str) -> str:
    """A task id from an id or its short key ("t1a2b3c4d")."""
    import re
    if re.fullmatch(r"t[0-9a-f]{8}", task_id):
        for (tid,) in conn.execute(select(T.tasks.c.id)):
            if short_key(tid) == task_id:
                return tid
    return task_id


def get_task(lib, task_id: str, *, today_: dt.date | None = None) -> TaskView:
    """One task by id or short key."""
    with lib.engine.connect() as conn:
        task_id = resolve_id(conn, task_id)
        row = conn.execute(_base().where(T.tasks.c.id == task_id)).first()
    if row is None:
        raise NotFound(f"没有任务 {task_id}", hint="zhengce tasks list 列出任务编号", field="id")
    return _view(row, today(today_))


def task_history(lib, task_id: str) -> list[TaskEvent]:
    """The audit log of one task, oldest first (refusals included)."""
    e = T.task_events
    with lib.engine.connect() as conn:
        task_id = resolve_id(conn, task_id)
        rows = conn.execute(select(e).where(e.c.task_id == task_id).order_by(e.c.id)).all()
    return [TaskEvent(r.id, r.task_id, r.at, r.actor, r.action, r.old, r.new, r.detail) for r in rows]


def audit_log(lib, *, limit: int = 100) -> list[TaskEvent]:
    e = T.task_events
    with lib.engine.connect() as conn:
        rows = conn.execute(select(e).order_by(e.c.id.desc()).limit(limit)).all()
    return [TaskEvent(r.id, r.task_id, r.at, r.actor, r.action, r.old, r.new, r.detail) for r in rows]


def authenticate(lib, token: str | None) -> Account:
    if not token:
        raise Unauthorized("需要令牌 (token)", hint="zhengce accounts create 生成令牌", field="token")
    a = T.accounts
    with lib.engine.connect() as conn:
        row = conn.execute(select(a).where(a.c.token_hash == _hash(token), a.c.active.is_(True))).first()
    if row is None:
        raise Unauthorized("令牌无效或已停用", field="token")
    return Account(row.id, row.name, row.agency, row.role, row.created_at, row.active)


def may_update(account: Account, view: TaskView) -> bool:
    """Admins may update anything; an agency only tasks naming it (or an alias) as lead/co unit,
    or naming a collective it belongs to (a street office on a task of 各街道办事处)."""
    if account.role == "admin":
        return True
    if not account.agency:
        return False
    reg = registry()
    return any(reg.covers(u, account.agency) for u in view.lead_units + view.co_units)


def update_task(lib, task_id: str, *, token: str | None, status: str | None = None,
                note: str | None = None, evidence: str | None = None,
                today_: dt.date | None = None) -> TaskView:
    """Change status / add a progress note / record completion evidence, one audit event each."""
    account = authenticate(lib, token)
    view = get_task(lib, task_id, today_=today_)
    task_id = view.id
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"状态 {status!r} 无效；可选 {', '.join(STATUSES)}（逾期由完成时限自动计算）",
                           field="status")
    if status is None and not note and not evidence:
        raise InvalidInput("没有要更新的内容：给出 --status、--note 或 --evidence")
    now = _now()
    if not may_update(account, view):
        with lib.engine.begin() as conn:
            conn.execute(T.task_events.insert().values(
                task_id=task_id, doc_key=view.doc_key, at=now, actor=account.name, action="refused",
                old=None, new=status, detail=f"{account.agency} 不是该任务的责任单位或协办单位"))
        units = "、".join(view.lead_units + view.co_units) or "（无）"
        raise Forbidden(f"{account.agency} 无权更新任务 {task_id}：责任/协办单位为 {units}")
    events = []
    new_status = view.stored_status
    if status is not None and status != view.stored_status:
        events.append(("status", view.stored_status, status, None))
        new_status = status
    if note:
        events.append(("note", view.latest_note, note, now.date().isoformat()))
    if evidence:
        events.append(("evidence", view.evidence, evidence, None))
    with lib.engine.begin() as conn:
        s = T.task_status
        values = dict(status=new_status, updated_at=now, updated_by=account.name)
        if note:
            values.update(note=note, note_at=now)
        if evidence:
            values.update(evidence=evidence)
        exists = conn.execute(select(s.c.task_id).where(s.c.task_id == task_id)).first()
        if exists:
            conn.execute(s.update().where(s.c.task_id == task_id).values(**values))
        else:
            conn.execute(s.insert().values(task_id=task_id, doc_key=view.doc_key, **values))
        for action, old, new, detail in events:
            conn.execute(T.task_events.insert().values(
                task_id=task_id, doc_key=view.doc_key, at=now, actor=account.name, action=action,
                old=old, new=new, detail=detail))
    return get_task(lib, task_id, today_=today_)


def task_count(lib) -> int:
    """How many tasks the library holds, one query (the home page's figure; ``summary`` reads
    every task, which at 100,000 documents took a minute and a half)."""
    with lib.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(T.tasks)).scalar_one()


def summary(lib, *, doc: str | None = None, unit: str | None = None,
            today_: dt.date | None = None) -> Summary:
    """Counts per status and per agency (canonical name; a task counts for each of its units), and
    the tasks due within ``DUE_SOON_DAYS`` of today that are neither done nor overdue.

    Two grouped queries (per status, per agency and status) — the dashboard of a library of
    100,000 documents (612,804 tasks) had read every task into a view: 47 s a page.
    """
    day = today(today_)
    soon_until = day + dt.timedelta(days=DUE_SOON_DAYS)
    t, s, u = T.tasks, T.task_status, T.task_units
    stored = func.coalesce(s.c.status, "未开始")
    overdue = and_(t.c.deadline.is_not(None), t.c.deadline < day, stored != "已完成")
    status = case((overdue, OVERDUE), else_=stored)
    soon = case((and_(t.c.deadline.is_not(None), t.c.deadline >= day, t.c.deadline <= soon_until,
                      stored != "已完成"), 1), else_=0)
    joined = t.outerjoin(s, s.c.task_id == t.c.id)
    with lib.engine.connect() as conn:
        conds = []
        if doc:
            keys = _doc_keys(conn, doc)
            if not keys:
                raise NotFound(f"没有找到文件 {doc}", hint="用文号、标题或 zhengce docs 列出的 key", field="doc")
            conds.append(t.c.doc_key.in_(keys))
        if unit:
            conds.append(t.c.id.in_(select(u.c.task_id).where(u.c.canonical == registry().canonical(unit))))
        by_status = {x: 0 for x in (*STATUSES, OVERDUE)}
        due_soon = 0
        for st, n, n_soon in conn.execute(select(status, func.count(), func.sum(soon)).select_from(joined)
                                          .where(*conds).group_by(status)):
            by_status[st] = by_status.get(st, 0) + n
            due_soon += int(n_soon or 0)
        units = select(u.c.task_id, u.c.canonical).distinct().subquery()
        reg = registry()
        per: dict[str, UnitSummary] = {}
        for name, st, n, n_soon in conn.execute(
                select(units.c.canonical, status, func.count(), func.sum(soon))
                .select_from(joined.join(units, units.c.task_id == t.c.id)).where(*conds)
                .group_by(units.c.canonical, status)):
            us = per.setdefault(name, UnitSummary(name, {x: 0 for x in (*STATUSES, OVERDUE)}, level=reg.level(name)))
            us.counts[st] = us.counts.get(st, 0) + n
            us.total += n
            us.due_soon += int(n_soon or 0)
    rows = sorted(per.values(), key=lambda x: (-x.total, x.unit))
    return Summary(sum(by_status.values()), by_status, rows, day, due_soon)


def create_account(lib, *, agency: str | None = None, admin: bool = False,
                   name: str | None = None) -> NewAccount:
    """Create an admin or agency account; the token is returned once, only its hash is stored."""
    if admin == bool(agency):
        raise InvalidInput("给出 --agency 单位名称 或 --admin（二选一）", field="agency")
    reg = registry()
    canon = None
    if agency:
        canon = reg.canonical(agency)
        with lib.engine.connect() as conn:
            in_tasks = conn.execute(select(func.count()).select_from(T.task_units)
                                    .where(T.task_units.c.canonical == canon)).scalar_one()
        if not reg.known(agency) and not in_tasks:
            raise InvalidInput(f"未知单位 {agency}", hint="zhengce agencies 列出单位；或在 data/agencies.tsv 中添加",
                               field="agency")
    token = "zc_" + secrets.token_urlsafe(24)
    base = name or (canon if agency else "admin")
    now = _now()
    a = T.accounts
    with lib.engine.begin() as conn:
        taken = {r[0] for r in conn.execute(select(a.c.name).where(a.c.name.startswith(base)))}
        final, i = base, 2
        while final in taken:
            final, i = f"{base}#{i}", i + 1
        res = conn.execute(a.insert().values(name=final, agency=canon, role="admin" if admin else "agency",
                                             token_hash=_hash(token), created_at=now, active=True))
        aid = res.inserted_primary_key[0]
    return NewAccount(Account(aid, final, canon, "admin" if admin else "agency", now), token)


def list_accounts(lib) -> list[Account]:
    a = T.accounts
    with lib.engine.connect() as conn:
        rows = conn.execute(select(a).order_by(a.c.id)).all()
    return [Account(r.id, r.name, r.agency, r.role, r.created_at, r.active) for r in rows]


def agencies(lib=None) -> list[AgencyView]:
    """The registry, with the number of tasks naming each agency when a library is given."""
    reg = registry()
    counts: dict[str, int] = {}
    if lib is not None:
        with lib.engine.connect() as conn:
            for canon, n in conn.execute(select(T.task_units.c.canonical,
                                                func.count(func.distinct(T.task_units.c.task_id)))
                                         .group_by(T.task_units.c.canonical)):
                counts[canon] = n
    out = [AgencyView(a.name, a.level, list(a.aliases), counts.pop(a.name, 0)) for a in reg.agencies]
    out += [AgencyView(n, reg.level(n), [], c) for n, c in sorted(counts.items())]  # named in texts only
    return out
