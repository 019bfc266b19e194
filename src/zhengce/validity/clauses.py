"""A document's own 施行 and 有效期 clauses → when it starts and stops being in force.

Pure functions over the normalised body text. A 有效期 counts only when it is the document's own
("本办法有效期3年", "自2022年1月1日起施行,有效期至2024年12月31日"), never a licence's or a
certificate's ("备案有效期三年", beijing-private-enterprise-policies-2021q4.txt:2337; "等级证书有效期为3年",
:5632; "有效期内的《北京市居住证》", xicheng-gazette-2022.txt:4169).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}
DATE = r"(?:19|20)\d\d年\d{1,2}月\d{1,2}日"
NUM = r"\d{1,3}|[一二两三四五六七八九十]{1,3}"
# "自印发之日起施行" (xicheng-gazette-2022.txt:4181), "自2022年1月1日起施行" (:3226),
# "本政策自发布之日起30日后施行" (beijing-private-enterprise-policies-2021q4.txt:1620), "本条例自2022年6月1日起施行" (:2228).
START = re.compile(
    rf"自(?:(?P<date>{DATE})|(?P<base>印发|发布|公布|下发|签发|公告|颁布)之日)起?(?:(?P<days>{NUM})日后|满(?P<days2>{NUM})日)?"
    r"(?:起)?(?:施行|实施|执行|生效|试行)")
# "有效期3年", "有效期为五年", "有效期至2025年12月31日", "试行期2年", "有效期限为3年".
PERIOD = re.compile(rf"(?:有效期|有效期限|试行期|执行期|实施期)(?:为|是)?(?:(?:至|到|截至)(?P<until>{DATE})|(?P<years>{NUM})年)")
OWN = re.compile(r"本(?:办法|规定|细则|意见|通知|方案|措施|政策|文件|决定|通告|公告|规则|条例|预案|规划|意见|实施意见|"
                 r"实施方案|若干措施|实施细则|指引|指南|政策措施)")


@dataclass(frozen=True, slots=True)
class Clauses:
    """What the document itself says about its time in force (each part None when it does not say)."""

    start: dt.date | None = None
    end: dt.date | None = None  # last day in force
    start_raw: str | None = None
    end_raw: str | None = None


def cn_number(s: str) -> int:
    """'3' → 3, '三' → 3, '十二' → 12."""
    if s.isdigit():
        return int(s)
    if "十" in s:
        head, _, tail = s.partition("十")
        return (CN_DIGITS.get(head, 1) if head else 1) * 10 + (CN_DIGITS.get(tail, 0) if tail else 0)
    return CN_DIGITS.get(s, 0)


def parse_date(s: str) -> dt.date | None:
    m = re.match(r"((?:19|20)\d\d)年(\d{1,2})月(\d{1,2})日", s)
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


SENTENCE_END = "。;；"


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding ``pos`` starts (just after the last 。/;/； before it)."""
    return max(text.rfind(ch, 0, pos) for ch in SENTENCE_END) + 1


def find_clauses(text: str, signed: dt.date | None) -> Clauses:
    """The start (施行) and end (有效期) of a document from its body; ``signed`` is its 成文日期.

    The last 施行 clause wins (documents end with it; a wrapping notice's own clause comes after the
    issued text's). "有效期N年" ends the day before the N-th anniversary of the start.

    Sentences end after 。;；. Neither pattern can match across a sentence end, so both run once
    over the whole text and each match is assigned to its sentence; only sentences holding a match
    are read (in text order: the last 施行 match of a sentence, then its first 有效期 match).
    """
    start = start_raw = end = end_raw = None
    text = "".join(text.split())  # "2022 年 1 月 1 日", "自发布\n之日起施行" (str.split: the \s of re)
    starts: dict[int, re.Match] = {}
    for sm in START.finditer(text):
        starts[_sentence_start(text, sm.start())] = sm  # the last one of its sentence
    periods: dict[int, re.Match] = {}
    for pm in PERIOD.finditer(text):
        periods.setdefault(_sentence_start(text, pm.start()), pm)  # the first one of its sentence
    for sentence_at in sorted(starts.keys() | periods.keys()):
        sm = starts.get(sentence_at)
        if sm is not None:
            start_raw = sm.group(0)
            if sm["date"]:
                start = parse_date(sm["date"])
            else:
                start = signed
                days = sm["days"] or sm["days2"]
                if start and days:
                    start = start + dt.timedelta(days=cn_number(days))
        pm = periods.get(sentence_at)
        if pm and (sm is not None or OWN.search(text, sentence_at, pm.start())):
            end_raw = pm.group(0)
            if pm["until"]:
                end = parse_date(pm["until"])
            else:
                base = start or signed
                end = add_years(base, cn_number(pm["years"])) - dt.timedelta(days=1) if base else None
    return Clauses(start, end, start_raw, end_raw)
