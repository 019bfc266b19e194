"""Dataclasses the tracking service returns; the CLI, REST API and dashboard only render them."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field

STATUSES = ("未开始", "推进中", "已完成")  # stored
OVERDUE = "逾期"  # computed: deadline < today and not 已完成
DUE_SOON_DAYS = 30  # "due in the next 30 days" of the monthly report and the summary


def short_key(task_id: str) -> str:
    """A URL- and shell-friendly handle for a task id ("t" + 8 hex of its sha1)."""
    return "t" + hashlib.sha1(task_id.encode("utf-8")).hexdigest()[:8]


@dataclass(slots=True)
class TaskView:
    id: str
    doc_key: str
    doc_title: str | None
    doc_number: str | None
    source: str
    cid: str
    seq: int
    number: str | None
    title: str | None
    text: str
    parent_task: str | None
    lead_units: list[str]
    co_units: list[str]
    deadline_raw: str | None
    deadline: dt.date | None
    ongoing: bool
    stored_status: str  # 未开始 | 推进中 | 已完成
    status: str  # stored_status, or 逾期 when past the deadline and not done
    overdue: bool
    latest_note: str | None = None
    latest_note_at: dt.datetime | None = None
    evidence: str | None = None
    updated_at: dt.datetime | None = None
    updated_by: str | None = None
    line_start: int = 0
    line_end: int = 0

    @property
    def key(self) -> str:
        """Short handle accepted wherever a task id is (``get_task``, ``update_task``, CLI)."""
        return short_key(self.id)

    @property
    def citation(self) -> str:
        """来源 as a 督查 office writes it: 文号 (or title) and the provision's citation id."""
        head = self.doc_number or self.doc_title or self.source
        return f"{head} {self.cid.split('/', 1)[1] if '/' in self.cid else ''}".strip()

    def as_dict(self) -> dict:
        d = asdict(self)
        d["citation"] = self.citation
        d["key"] = self.key
        return d


@dataclass(slots=True)
class TaskEvent:
    id: int
    task_id: str
    at: dt.datetime
    actor: str
    action: str  # status | note | evidence | refused
    old: str | None
    new: str | None
    detail: str | None = None


@dataclass(slots=True)
class Account:
    id: int
    name: str
    agency: str | None  # canonical agency; None for admin
    role: str  # admin | agency
    created_at: dt.datetime
    active: bool = True


@dataclass(slots=True)
class NewAccount:
    """What ``create_account`` returns: the token is shown once and never stored."""

    account: Account
    token: str


@dataclass(slots=True)
class UnitSummary:
    unit: str  # canonical agency name
    counts: dict[str, int] = field(default_factory=dict)  # status → tasks (lead or co)
    total: int = 0
    due_soon: int = 0  # not done, not overdue, deadline within DUE_SOON_DAYS of today
    level: str = ""  # registry level: 中央 | 省 | 市 | 区 | 集体


@dataclass(slots=True)
class Summary:
    total: int
    by_status: dict[str, int]
    by_unit: list[UnitSummary]
    today: dt.date
    due_soon: int = 0


@dataclass(slots=True)
class AgencyView:
    name: str
    level: str
    aliases: list[str]
    tasks: int = 0
