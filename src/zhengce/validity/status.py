"""时效性 as of a date: 现行有效 / 试行 / 已被修订 / 已废止 / 失效 / 尚未施行, with the reasons.

Computed once here from plain facts — the document's own clauses (``clauses.find_clauses``) and the
acts of other documents that repeal, replace or amend it — and rendered alike by CLI, API and web.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

STATUSES = ("现行有效", "试行", "已被修订", "已废止", "失效", "尚未施行")
IN_FORCE = ("现行有效", "试行", "已被修订")


@dataclass(frozen=True, slots=True)
class Act:
    """Another document acting on this one: it repeals / replaces / amends it, in force from ``start``."""

    relation: str  # repeals | replaces | amends
    doc_key: str
    doc_number: str | None
    title: str
    start: dt.date | None  # when the acting document takes effect (its 施行 date, else its 成文日期)
    cid: str | None = None
    quote: str | None = None


@dataclass(slots=True)
class Validity:
    status: str
    as_of: dt.date
    trial: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    repealed_by: Act | None = None
    since: dt.date | None = None  # the day the status began, when known
    amended_by: list[Act] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # one phrase per fact used, for "why"

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE


def _effective(act: Act, as_of: dt.date) -> bool:
    return act.start is None or act.start <= as_of


def validity(*, as_of: dt.date, start: dt.date | None, end: dt.date | None, trial: bool,
             acts: list[Act]) -> Validity:
    """The status on ``as_of``. Order: repealed/replaced → 已废止; past its 有效期 → 失效; before its
    start → 尚未施行; amended → 已被修订; 试行/暂行 → 试行; else 现行有效."""
    v = Validity("现行有效", as_of, trial=trial, start=start, end=end)
    ending = sorted((a for a in acts if a.relation in ("repeals", "replaces") and _effective(a, as_of)),
                    key=lambda a: a.start or dt.date.min)
    if ending:
        a = ending[0]
        verb = "废止" if a.relation == "repeals" else "代替"
        v.status, v.repealed_by, v.since = "已废止", a, a.start
        v.reasons.append(f"被{a.doc_number or a.title}{verb}" + (f"，自{a.start.isoformat()}起" if a.start else ""))
        return v
    if end and as_of > end:
        v.status, v.since = "失效", end + dt.timedelta(days=1)
        v.reasons.append(f"有效期至{end.isoformat()}，已届满")
        return v
    if start and as_of < start:
        v.status = "尚未施行"
        v.reasons.append(f"自{start.isoformat()}起施行")
        return v
    v.amended_by = [a for a in acts if a.relation == "amends" and _effective(a, as_of)]
    if v.amended_by:
        v.status, v.since = "已被修订", v.amended_by[-1].start
        v.reasons += [f"被{a.doc_number or a.title}修订" for a in v.amended_by]
    elif trial:
        v.status = "试行"
        v.reasons.append("试行/暂行文件")
    if start:
        v.reasons.append(f"自{start.isoformat()}起施行")
    if end:
        v.reasons.append(f"有效期至{end.isoformat()}")
    return v
