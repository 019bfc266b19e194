"""Money in benefit text: "每人每次补贴30元", "最高不超过500万元", "6000元、9000元、1.2万元", "补贴80%".

``parse_amount`` returns the most one beneficiary gets, ignoring thresholds that are conditions
("年营业收入超过1亿元的企业") and separating caps ("单个企业年奖励额不超过1000万元").
"""

from __future__ import annotations

import re

from ..literals import guarded
from .rule import Amount

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10, "百": 100, "千": 1000}
NUM = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
# behind the test for "元": led by a number class, the pattern is tried at every position
MONEY = guarded(NUM + r"\s*(万|亿|千)?\s*元")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")
# Amounts that are conditions, not grants (corpus: "单笔10万元（含）以下的交易", "营业额10万元以上").
THRESHOLD_BEFORE = re.compile(r"((?<![不得])超过|达到|突破|安排|设立|投入|上限|下限|提高到|提高至|降低到|降至|从|收入|投资额?|净资产|营业额|交易|贷款|规模|融资|单笔|产值|营收)[^，。；]{0,4}$")
THRESHOLD_AFTER = re.compile(r"^(（含[^）]*）)?(以上|以下|及以上|至)")
CAP_BEFORE = re.compile(r"(单个|每家|每户|累计|合计|总额|年度|全年|年奖励额|月享受)[^，。；]{0,10}(不超过|不得超过|最高)[^，。；]{0,3}$")
# A grant figure stands next to a grant word ("给予最高3000万元的奖励", "每人每次补贴30元", "3000元标准").
GRANT_BEFORE = re.compile(r"(给予|补贴|奖励|资助|补助|支持|最高|不超过|限额|按照|按|标准|每[\u4e00-\u9fff]{1,3}|申请|发放|"
                          r"享受|增加|一次性|津贴|为|分别)[^，。；]{0,6}$")
GRANT_AFTER = re.compile(r"^[^，。；]{0,4}(补贴|奖励|资助|补助|支持|贴息|津贴|一次性|标准|限额|定额|的(补贴|奖励|资金|资助|补助|支持|"
                         r"创业担保贷款|扣除额度))")
PENALTY = re.compile(r"(罚款|罚金|处\S{0,6}以上)")

PER_PATTERNS = [
    (re.compile(r"每床每月"), "per bed per month"),
    (re.compile(r"每个子女每月|每孩每月"), "per child per month"),
    (re.compile(r"每人每次|每次|/次"), "each time"),
    (re.compile(r"每人每天|每天|每日"), "per day"),
    (re.compile(r"每人每月|每月|/月"), "per month"),
    (re.compile(r"一次性"), "one-off"),
    (re.compile(r"每人每年|每年|/年"), "per year"),
    (re.compile(r"每家|每个企业|单个企业"), "per firm"),
    (re.compile(r"每个项目|单个项目|每项"), "per project"),
    (re.compile(r"每人"), "per person"),
]


def cn_number(s: str) -> float:
    """Arabic or simple Chinese numerals ("3000", "1.2", "两", "十五", "三千")."""
    try:
        return float(s)
    except ValueError:
        pass
    total, cur = 0, 0
    for ch in s:
        v = _CN_DIGITS.get(ch)
        if v is None:
            return 0.0
        if v >= 10:
            total += (cur or 1) * v
            cur = 0
        else:
            cur = v
    return float(total + cur)


def to_yuan(num: str, unit: str | None) -> float:
    v = cn_number(num)
    return round(v * {"万": 1e4, "亿": 1e8, "千": 1e3}.get(unit or "", 1), 2)


_LIST_GAP = re.compile(r"[、和或及至到]|（含）[、和或]?")


def money_spans(text: str) -> list[tuple[int, int, float, str]]:
    """Every grant amount in ``text`` as (start, end, yuan, kind) with kind "grant" or "cap"."""
    out: list[tuple[int, int, float, str]] = []
    prev_end, prev_kept = -10, False
    for m in MONEY.finditer(text):
        before, after = text[max(0, m.start() - 14): m.start()], text[m.end(): m.end() + 8]
        listed = _LIST_GAP.fullmatch(text[prev_end: m.start()]) is not None
        prev_end = m.end()
        if listed:  # "6000元、9000元、1.2万元": a list shares the fate of its first figure
            if prev_kept:
                out.append((m.start(), m.end(), to_yuan(m.group(1), m.group(2)), out[-1][3]))
            continue
        prev_kept = False
        if PENALTY.search(text[max(0, m.start() - 6): m.end() + 6]):
            continue
        if THRESHOLD_AFTER.match(after) or (THRESHOLD_BEFORE.search(before) and "最高" not in before[-4:]):
            continue
        kind = "cap" if CAP_BEFORE.search(before) else "grant"
        if kind == "grant" and not (GRANT_BEFORE.search(before) or GRANT_AFTER.match(after)):
            continue
        prev_kept = True
        out.append((m.start(), m.end(), to_yuan(m.group(1), m.group(2)), kind))
    return out


def amount_per(text: str) -> str | None:
    for pat, per in PER_PATTERNS:
        if pat.search(text):
            return per
    return None


_SCHEDULE_WORD = re.compile(r"第[一二三四五]|逐年|分别|依次|每满一年")


def parse_amount(text: str) -> Amount:
    """The benefit's amount; grants first, caps only when no grant figure is stated."""
    spans = money_spans(text)
    grants = [s for s in spans if s[3] == "grant"]
    caps = [s for s in spans if s[3] == "cap"]
    use = grants or caps
    amt = Amount(per=amount_per(text))
    if use:
        top = max(use, key=lambda s: s[2])
        amt.max_yuan = top[2]
        amt.per = amount_per(text[max(0, top[0] - 12): top[1] + 6]) or amt.per
        if len(grants) >= 2 and _SCHEDULE_WORD.search(text):
            amt.schedule = [s[2] for s in grants]
        amt.text = text[max(0, use[0][0] - 10): use[-1][1]]
    amt.caps = [text[max(0, s[0] - 12): s[1]] for s in caps if grants]
    pm = PERCENT.search(text)
    if pm:
        amt.percent = float(pm.group(1))
    return amt


_ADD_ON = re.compile(r"另加|另增加|加收|另补")


def row_amount(cells: list[str]) -> float | None:
    """A tariff row ("洗浴 | 30元 | 需同性家属陪同时，另加30元"): add-ons are summed."""
    figures = [to_yuan(m.group(1), m.group(2)) for c in cells for m in MONEY.finditer(c)]
    if not figures:
        return None
    if any(_ADD_ON.search(c) for c in cells):
        return sum(figures)
    return max(figures)
