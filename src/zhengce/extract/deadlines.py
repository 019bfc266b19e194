"""Deadlines as written (年底前, 6月底前, 11月15日前, 2022年12月底前, 长期实施) resolved to dates.

Relative deadlines resolve against the document's year (a 2022 plan's 年底前 is 2022-12-31).
"长期实施"/"持续推进" set the ongoing flag and no date; "按时间节点完成" sets neither.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ..model import Document

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
ONGOING = re.compile(r"长期|持续|常态化|常年|每年|每月|每季度|按季度|按月|按年|每半年|定期|全年")
# 2022年12月底前 / 2022年12月31日前 / 6月底前 / 11月15日前 / 2022年底前 / 年底前 / 6-9月
_YMD = re.compile(r"(?:(20\d\d)年)?(\d{1,2})月(?:(\d{1,2})日|(底|末|中旬|上旬|下旬))?")
_Y_END = re.compile(r"(20\d\d)年(?:年)?(?:底|末|内|年底|年末|全年)?")
_Q = re.compile(r"(?:(20\d\d)年)?(?:第)?([一二三四1-4])季度")
_HALF = re.compile(r"(?:(20\d\d)年)?(上|下)半年")


@dataclass(frozen=True, slots=True)
class Deadline:
    raw: str | None
    date: dt.date | None
    ongoing: bool = False


def document_year(doc: Document) -> int | None:
    """The year relative deadlines resolve against: signing date, else 〔年〕 of the 文号, else a title year."""
    if doc.year:
        return doc.year
    for s in (doc.doc_number, doc.short_title, doc.title):
        m = re.search(r"〔(20\d\d)〕|(20\d\d)年", s or "")
        if m:
            return int(m.group(1) or m.group(2))
    return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def resolve(raw: str | None, year: int | None) -> Deadline:
    """Resolve a deadline phrase; the latest date named wins (6-9月 → 9-30)."""
    if not raw or not raw.strip() or set(raw.strip()) <= set("—-－一 "):
        return Deadline(None, None)
    raw = raw.strip()
    s = unicodedata.normalize("NFKC", raw).replace(" ", "")
    s = re.sub(r"(\d{1,2})[-—~至到](\d{1,2})月", r"\2月", s)  # 6-9月 → 9月
    dates: list[dt.date] = []
    for m in _YMD.finditer(s):
        y = int(m.group(1)) if m.group(1) else year
        mo = int(m.group(2))
        if not y or not 1 <= mo <= 12:
            continue
        if m.group(3):
            d = int(m.group(3))
            if 1 <= d <= calendar.monthrange(y, mo)[1]:
                dates.append(dt.date(y, mo, d))
        elif m.group(4) in ("中旬",):
            dates.append(dt.date(y, mo, 20))
        elif m.group(4) in ("上旬",):
            dates.append(dt.date(y, mo, 10))
        else:
            dates.append(_month_end(y, mo))
    if not dates:
        for m in _Q.finditer(s):
            y = int(m.group(1)) if m.group(1) else year
            q = m.group(2)
            q = int(q) if q.isdigit() else _CN_NUM[q]
            if y:
                dates.append(_month_end(y, q * 3))
        for m in _HALF.finditer(s):
            y = int(m.group(1)) if m.group(1) else year
            if y:
                dates.append(_month_end(y, 6 if m.group(2) == "上" else 12))
    if not dates:
        for m in _Y_END.finditer(s):
            dates.append(dt.date(int(m.group(1)), 12, 31))
    if not dates and year and re.search(r"年底|年末|年内|本年度|今年", s):
        dates.append(dt.date(year, 12, 31))
    ongoing = bool(ONGOING.search(s)) and not dates
    return Deadline(raw, max(dates) if dates else None, ongoing)


# A deadline written inside a measure: "在2019年2月底前完成", "该项工作于2019年4月底前完成", "年底前".
# Only phrases ending in 前 count: a policy period ("2019年1月1日至12月31日") or a target year
# ("到2020年") is not a deadline.
_IN_TEXT = re.compile(r"(?:20\d\d年)?(?:\d{1,2}月(?:\d{1,2}日|底|末|中旬|上旬|下旬)?|年底|年末)(?:之)?前"
                      r"|20\d\d年(?:底|末)(?:之)?前")


def in_text(text: str, year: int | None) -> str | None:
    """The latest deadline phrase written inside ``text`` (as written), or None."""
    s = unicodedata.normalize("NFKC", text).replace(" ", "")
    best: tuple[dt.date, str] | None = None
    for m in _IN_TEXT.finditer(s):
        d = resolve(m.group(0), year).date
        if d and (best is None or d > best[0]):
            best = (d, m.group(0))
    return best[1] if best else None
