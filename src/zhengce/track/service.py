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

from sqlalchemy import and_, func, or_, select

from .. import settings
from ..errors import Forbidden, InvalidInput, NotFound, Unauthorized
from ..extract.agencies import registry
from ..store import base as store_base
from ..store import documents as store_docs
from ..store import task_counts as TC
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


def _doc_filter(conn, doc: str):
    """The condition "task of a document named ``doc``": by key or 文号 (any bracket style), else
    by a title fragment; a subquery, not a list of keys (a fragment may name 10,000s of documents)."""
    from ..extract.docnum import canonical_doc_number
    d = store_docs.documents
    canon = canonical_doc_number(doc) or doc
    exact = select(d.c.key).where(or_(d.c.key == doc, d.c.doc_number == canon))
    if conn.execute(exact.limit(1)).first() is None:
        exact = select(d.c.key).where(or_(d.c.title.contains(doc), d.c.short_title.contains(doc)))
        if conn.execute(exact.limit(1)).first() is None:
            raise NotFound(f"没有找到文件 {doc}", hint="用文号、标题或 zhengce docs 列出的 key", field="doc")
    return T.tasks.c.doc_key.in_(exact)


def _opaque(column):
    """The column's value in a form no index can serve (``coalesce(c, c)``): SQLite keeps no
    statistics unless ANALYZE ran, and then picks between two indexes blindly (the unit's
    168,000 rows instead of the task's two: 32 s for a first page)."""
    return func.coalesce(column, column)


def _status_filter(status: str | None, overdue: bool, day: dt.date, scan: bool = False) -> list:
    """Conditions for a status as the views show it: 逾期 is a stored 未开始/推进中 past its
    deadline, so 未开始 and 推进中 are those not past it. ``scan``: see ``_filters``."""
    t, s = T.tasks, T.task_status
    stored = func.coalesce(s.c.status, TC.DEFAULT_STATUS)
    deadline = _opaque(t.c.deadline) if scan else t.c.deadline
    late = and_(deadline.is_not(None), deadline < day, stored != "已完成")
    conds = []
    if status:
        if status not in (*STATUSES, OVERDUE):
            raise InvalidInput(f"状态 {status!r} 无效；可选 {', '.join((*STATUSES, OVERDUE))}", field="status")
        if status == OVERDUE:
            conds.append(late)
        else:
            conds.append(stored == status)
            if status != TC.DEFAULT_STATUS and not scan:  # only updated tasks: find them from their status rows
                conds.append(t.c.id.in_(select(s.c.task_id).where(s.c.status == status)))
            if status != "已完成":
                conds.append(or_(deadline.is_(None), deadline >= day))
    if overdue:
        conds.append(late)
    return conds


def _filters(conn, *, unit, doc, status, overdue, query, source, role, day, scan: bool = False) -> list:
    """The conditions of a filtered list. ``scan``: the matches are common, so the first page
    comes soonest by reading the tasks in document order and testing each: the conditions are
    then written so that no index can drive them (the unit as a correlated EXISTS, the deadline
    through ``_opaque``), or SQLite collects every match through the unit or deadline index and
    sorts them all (385,000 tasks for 未开始 at 100,000 documents). Otherwise they drive: the
    few matches are found through the indexes and sorted."""
    t, u = T.tasks, T.task_units
    conds = []
    if unit:
        canon = registry().canonical(unit)
        if scan:  # probed per task read (the task_id index), not a list of every match built first
            sub = select(u.c.task_id).where(_opaque(u.c.canonical) == canon, u.c.task_id == t.c.id)
        else:
            sub = select(u.c.task_id).where(u.c.canonical == canon)
        if role:
            sub = sub.where(u.c.role == role)
        conds.append(sub.exists() if scan else t.c.id.in_(sub))
    if doc:
        conds.append(_doc_filter(conn, doc))
    if source:
        conds.append(t.c.source == source)
    if query:
        conds.append(or_(t.c.text.contains(query), t.c.title.contains(query)))
    return conds + _status_filter(status, overdue, day, scan)


SCAN_FACTOR = 1  # read in document order when (rows to read) * total < matches² * this


def _kept_matches(conn, unit: str | None, status: str | None, overdue: bool, day: dt.date) -> tuple[int, int]:
    """(tasks matching a unit/status/overdue filter, all tasks), from the kept counts."""
    everything = _tally(TC.read(conn, once=True), day)
    scoped = _tally(TC.read(conn, registry().canonical(unit), once=True), day) if unit else everything
    if status and overdue and status != OVERDUE:
        n = 0
    elif status or overdue:
        n = scoped.by_status.get(status or OVERDUE, 0)
    else:
        n = scoped.total
    return n, everything.total


def list_tasks(lib, *, unit: str | None = None, doc: str | None = None, status: str | None = None,
               overdue: bool = False, query: str | None = None, source: str | None = None,
               role: str | None = None, today_: dt.date | None = None, limit: int | None = None,
               offset: int = 0) -> list[TaskView]:
    """Tasks in document order, filtered: ``unit`` (any alias; lead or co, or ``role`` lead|co),
    ``doc`` (key, 文号 or title), ``status`` (未开始/推进中/已完成/逾期), ``overdue``, ``query``.

    Every filter is SQL (逾期 too: it is a condition on the deadline and today), so a page
    (``limit``/``offset``) reads only its own rows. For the dashboard's filters (unit, status)
    the kept counts say how many tasks match before any is read: none (no query at all), or few
    (found through the indexes, then sorted) or many (read in document order until the page is
    full) — whichever reads fewer rows; the planners cannot know (see ``_filters``).
    """
    day = today(today_)
    stmt = _base().order_by(T.tasks.c.source, "doc_seq", T.tasks.c.seq)
    with lib.engine.connect() as conn:
        scan = False
        if limit and not (doc or query or source or role):
            _status_filter(status, overdue, day)  # an invalid status is an error, not an empty page
            n, total = _kept_matches(conn, unit, status, overdue, day)
            if n <= offset:
                return []
            scan = (offset + limit) * total < n * n * SCAN_FACTOR
        stmt = stmt.where(*_filters(conn, unit=unit, doc=doc, status=status, overdue=overdue, query=query,
                                    source=source, role=role, day=day, scan=scan))
        if limit:
            stmt = stmt.limit(limit)
        if offset:
            stmt = stmt.offset(offset)
        return [_view(r, day) for r in conn.execute(stmt)]


def count_tasks(lib, *, unit: str | None = None, doc: str | None = None, status: str | None = None,
                overdue: bool = False, query: str | None = None, source: str | None = None,
                role: str | None = None, today_: dt.date | None = None) -> int:
    """How many tasks ``list_tasks`` with the same filters returns: the kept counts for the
    dashboard's filters (unit, status, overdue), else one COUNT."""
    day = today(today_)
    t, s = T.tasks, T.task_status
    with lib.engine.connect() as conn:
        if not (doc or query or source or role):
            _status_filter(status, overdue, day)  # an invalid status is an error
            return _kept_matches(conn, unit, status, overdue, day)[0]
        conds = _filters(conn, unit=unit, doc=doc, status=status, overdue=overdue, query=query, source=source,
                         role=role, day=day)
        stmt = select(func.count()).select_from(t.outerjoin(s, s.c.task_id == t.c.id)).where(*conds)
        return conn.execute(stmt).scalar_one()


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
    """Change status / add a progress note / record completion evidence, one audit event each.

    One write transaction that locks the task's row first (``task_counts.lock_tasks``) and
    reads the task after the lock: the status it replaces is the latest, and the kept counts
    move the task from that status to the new one in the same transaction (a re-ingest of the
    task's file waits for the lock, or is waited for, see ``store.task_counts``).
    """
    account = authenticate(lib, token)
    day = today(today_)
    with lib.engine.connect() as conn:
        task_id = resolve_id(conn, task_id)  # reads every id for a short key: not under the write lock
    now = _now()
    refused: TaskView | None = None
    with store_base.write_transaction(lib.engine) as conn:
        view = _locked_view(conn, task_id, day)
        if status is not None and status not in STATUSES:
            raise InvalidInput(f"状态 {status!r} 无效；可选 {', '.join(STATUSES)}（逾期由完成时限自动计算）",
                               field="status")
        if status is None and not note and not evidence:
            raise InvalidInput("没有要更新的内容：给出 --status、--note 或 --evidence")
        if not may_update(account, view):
            conn.execute(T.task_events.insert().values(
                task_id=task_id, doc_key=view.doc_key, at=now, actor=account.name, action="refused",
                old=None, new=status, detail=f"{account.agency} 不是该任务的责任单位或协办单位"))
            refused = view
        else:
            _write_update(conn, view, account, now, status, note, evidence)
    if refused is not None:  # the refusal is logged (committed above), then reported
        units = "、".join(refused.lead_units + refused.co_units) or "（无）"
        raise Forbidden(f"{account.agency} 无权更新任务 {task_id}：责任/协办单位为 {units}")
    return get_task(lib, task_id, today_=today_)


def _locked_view(conn, task_id: str, day: dt.date) -> TaskView:
    """The task's view, its row locked for the transaction. A re-ingest that replaced the row
    while we waited leaves the lock on nothing: the second look finds the new row."""
    for _ in (0, 1):
        if TC.lock_tasks(conn, T.tasks.c.id == task_id):
            row = conn.execute(_base().where(T.tasks.c.id == task_id)).first()
            if row is not None:
                return _view(row, day)
    raise NotFound(f"没有任务 {task_id}", hint="zhengce tasks list 列出任务编号", field="id")


def _write_update(conn, view: TaskView, account: Account, now: dt.datetime, status: str | None,
                  note: str | None, evidence: str | None) -> None:
    task_id = view.id
    events = []
    new_status = view.stored_status
    if status is not None and status != view.stored_status:
        events.append(("status", view.stored_status, status, None))
        new_status = status
    if note:
        events.append(("note", view.latest_note, note, now.date().isoformat()))
    if evidence:
        events.append(("evidence", view.evidence, evidence, None))
    s = T.task_status
    values = dict(status=new_status, updated_at=now, updated_by=account.name)
    if note:
        values.update(note=note, note_at=now)
    if evidence:
        values.update(evidence=evidence)
    exists = conn.execute(select(s.c.task_id, s.c.status).where(s.c.task_id == task_id)).first()
    if exists:
        conn.execute(s.update().where(s.c.task_id == task_id).values(**values))
    else:
        conn.execute(s.insert().values(task_id=task_id, doc_key=view.doc_key, **values))
    old = exists.status if exists else None
    if (old or TC.DEFAULT_STATUS) != new_status:  # the kept counts: from the stored status to the new one
        TC.add(conn, TC.task_keys(conn, [task_id], {task_id: old} if old else {}), -1)
        TC.add(conn, TC.task_keys(conn, [task_id], {task_id: new_status}), +1)
    for action, old_, new, detail in events:
        conn.execute(T.task_events.insert().values(
            task_id=task_id, doc_key=view.doc_key, at=now, actor=account.name, action=action,
            old=old_, new=new, detail=detail))


def task_count(lib) -> int:
    """How many tasks the library holds: the kept count of every task (the home page's figure;
    ``summary`` used to read every task, which at 100,000 documents took a minute and a half)."""
    with lib.engine.connect() as conn:
        return sum(n for unit, _st, _due, n in TC.read(conn) if unit == TC.ALL)


def summary(lib, *, doc: str | None = None, unit: str | None = None,
            today_: dt.date | None = None) -> Summary:
    """Counts per status and per agency (canonical name; a task counts for each of its units), and
    the tasks due within ``DUE_SOON_DAYS`` of today that are neither done nor overdue.

    Without a document filter the counts are the kept ones (``store.task_counts``: per agency,
    stored status and deadline, for every task or the tasks of one agency), a few hundred rows
    whatever the size of the library: counting from the tasks was one pass over every
    (task, agency) pair, 6.6 s at 100,000 documents (612,804 tasks). 逾期 and "due soon" are
    decided here per row from its deadline, so the counts hold for any today. A document filter
    counts that document's tasks with two grouped queries into rows of the same shape.
    """
    day = today(today_)
    with lib.engine.connect() as conn:
        if doc:
            conds = [_doc_filter(conn, doc)]
            if unit:
                conds.append(T.tasks.c.id.in_(select(T.task_units.c.task_id)
                                              .where(T.task_units.c.canonical == registry().canonical(unit))))
            rows = _counted(conn, conds)
        else:
            rows = TC.read(conn, registry().canonical(unit) if unit else TC.ALL)
    return _tally(rows, day)


def _counted(conn, conds) -> list[tuple[str, str, str, int]]:
    """The rows ``task_counts.read`` gives, counted from the tasks ``conds`` select."""
    t, s, u = T.tasks, T.task_status, T.task_units
    stored = func.coalesce(s.c.status, TC.DEFAULT_STATUS)
    joined = t.outerjoin(s, s.c.task_id == t.c.id)
    rows = [(TC.ALL, st, TC.due_of(d), n) for st, d, n in conn.execute(
        select(stored, t.c.deadline, func.count()).select_from(joined).where(*conds)
        .group_by(stored, t.c.deadline))]
    units = (select(u.c.task_id, u.c.canonical).where(u.c.task_id.in_(select(t.c.id).where(*conds)))
             .distinct().subquery())
    rows += [(name, st, TC.due_of(d), n) for name, st, d, n in conn.execute(
        select(units.c.canonical, stored, t.c.deadline, func.count())
        .select_from(joined.join(units, units.c.task_id == t.c.id)).where(*conds)
        .group_by(units.c.canonical, stored, t.c.deadline))]
    return rows


def _tally(rows, day: dt.date) -> Summary:
    """A Summary from (unit, stored status, due, n) rows: overdue when due before ``day`` and not
    done, due soon when due within ``DUE_SOON_DAYS`` from ``day`` and not done."""
    today_iso = day.isoformat()
    until = (day + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    reg = registry()
    by_status = {x: 0 for x in (*STATUSES, OVERDUE)}
    due_soon = 0
    per: dict[str, UnitSummary] = {}
    for unit, stored, due, n in rows:
        done = stored == "已完成"
        st = OVERDUE if due and due < today_iso and not done else stored
        soon = n if due and not done and today_iso <= due <= until else 0
        if unit == TC.ALL:
            by_status[st] = by_status.get(st, 0) + n
            due_soon += soon
            continue
        us = per.get(unit)
        if us is None:
            us = per[unit] = UnitSummary(unit, {x: 0 for x in (*STATUSES, OVERDUE)}, level=reg.level(unit))
        us.counts[st] = us.counts.get(st, 0) + n
        us.total += n
        us.due_soon += soon
    rows_ = sorted(per.values(), key=lambda x: (-x.total, x.unit))
    return Summary(sum(by_status.values()), by_status, rows_, day, due_soon)


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
    if lib is not None:  # the kept counts (store.task_counts), not a pass over every task's units
        with lib.engine.connect() as conn:
            for unit, _st, _due, n in TC.read(conn):
                if unit != TC.ALL:
                    counts[unit] = counts.get(unit, 0) + n
    out = [AgencyView(a.name, a.level, list(a.aliases), counts.pop(a.name, 0)) for a in reg.agencies]
    out += [AgencyView(n, reg.level(n), [], c) for n, c in sorted(counts.items())]  # named in texts only
    return out
