"""Eligibility phrases → structured conditions over the profile vocabulary.

Each pattern is one reading the corpus needs (file:line of the motivating text in the comment).
Phrases the vocabulary cannot express become ``unexpressed`` conditions so a match can only say
"possibly eligible" for them.
"""

from __future__ import annotations

import re

from .rule import Condition
from .vocab import ENTERPRISE_FIELDS, PERSON_FIELDS, vocab_conditions, vocab_matches

BEIJING_DISTRICTS = ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区",
                     "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区")
_DIST = "|".join(d[:-1] for d in BEIJING_DISTRICTS)

# Facts no profile field states (xicheng-gazette-2022.txt:3142 "无洗澡条件"; 3696 "服务质量星级").
UNEXPRESSED = re.compile(
    r"(无[^，。；、的]{1,6}条件|困难|受疫情影响|优秀|示范|龙头|骨干|标杆|突出|先进|优质|重点(?:企业|项目|群体)|星级|信用|失信|首次|新认定|新获|获评|评为|入选|经认定|认定为|经审核|"
    r"符合条件|符合[^，。；]{0,10}(规定|要求|标准)|达到[^，。；]{0,10}(标准|要求)|满意度|备案|遴选)")
# Things the grant itself consists of, not conditions on the person (…签约养老家庭照护床位…; 有需求的).
NOT_A_CONDITION = re.compile(r"(有需求|自愿|签约)")


def _c(field: str, op: str, value, label: str, cid: str) -> Condition:
    return Condition(field, op, value, label, cid)


_DISTRICT_HUKOU = re.compile(rf"({_DIST})区户籍|本区户籍|具有本区户籍")
_CITY_HUKOU = re.compile(r"本市户籍|北京市户籍|京籍")
_LIVES_IN = re.compile(rf"(居住在|实际居家生活在|居住于|常住)(本区|({_DIST})区)")


def hukou_conditions(text: str, district: str | None, cid: str) -> list[Condition]:
    out = []
    m = _DISTRICT_HUKOU.search(text)
    if m:
        d = (m.group(1) + "区") if m.group(1) else district
        if d:
            out.append(_c("hukou", "eq", d, f"{d}户籍", cid))
    elif _CITY_HUKOU.search(text):
        out.append(_c("hukou", "ne", "外地", "本市户籍", cid))
    m = _LIVES_IN.search(text)
    if m:
        d = (m.group(3) + "区") if m.group(3) else district
        if d:
            out.append(_c("residence_district", "eq", d, f"居住在{d}", cid))
    return out


_AGE_RANGE = re.compile(r"(?:年龄在|年龄|)(\d{2,3})\s*(?:-|—|－|~|至|到)\s*(\d{2,3})\s*(?:周)?岁")
_AGE_FROM = re.compile(r"(?:年满|满)(\d{2,3})\s*周?岁")
_AGE_UP = re.compile(r"(\d{2,3})\s*周?岁(?:及)?以上")


def age_conditions(text: str, cid: str) -> list[Condition]:
    m = _AGE_RANGE.search(text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return [_c("age", "between", [lo, hi], f"年龄{lo}至{hi}周岁", cid)]
    m = _AGE_FROM.search(text) or _AGE_UP.search(text)
    if m:
        lo = int(m.group(1))
        return [_c("age", "ge", lo, f"年满{lo}周岁", cid)]
    return []


_NOT_EMPLOYED = re.compile(r"未(在用人单位)?就业|无业")


def working_age_conditions(text: str, cid: str) -> list[Condition]:
    """"法定劳动年龄内且未在用人单位就业的本区户籍劳动力" (xicheng-gazette-2022.txt 西人社发〔2022〕8号 六)."""
    out = []
    if "法定劳动年龄" in text:
        out.append(_c("age", "between", [16, 60], "法定劳动年龄内（16至60周岁）", cid))
    if _NOT_EMPLOYED.search(text):
        out.append(_c("employment", "ne", "employed", "未就业", cid))
    return out


EXCLUDED = re.compile(r"[（(](?:不含|不包括|除)([^）)]{2,40})[）)]|(?:不含|不包括)([^，。；]{2,30}?)(?=[，。；]|$)")
_NEGATE = {"has_any": "not_in", "in": "not_in", "eq": "ne", "is_true": "is_false"}


def excluded_conditions(text: str, district: str | None, cid: str) -> tuple[str, list[Condition]]:
    """"上述人员(不含享受最低生活保障待遇的登记失业人员)": the excluded group's facts, negated.

    Returns the text without the exclusions and the negated conditions (only single facts can be
    negated exactly; a group of several facts is left for review)."""
    out = []
    for m in EXCLUDED.finditer(text):
        inner = m.group(1) or m.group(2)
        conds = [c for c in person_conditions(inner, district, cid) if c.op in _NEGATE]
        neg = [Condition(c.field, _NEGATE[c.op], c.value, f"非{c.label}", cid) for c in conds]
        if len(neg) == 1:
            out.append(neg[0])
        elif neg:  # not (A and B) = not A or not B
            out.append(Condition("", "any", None, f"不含{inner}", cid, any_of=[[c] for c in neg]))
    return EXCLUDED.sub("", text), out


_ALTERNATIVES = re.compile(r"以及|，或者?|；或")


def person_conditions(text: str, district: str | None, cid: str) -> list[Condition]:
    """All structured person conditions of one phrase; alternatives joined by 以及/，或 become ``any``."""
    text, negated = excluded_conditions(text, district, cid) if EXCLUDED.search(text) else (text, [])
    common = hukou_conditions(text, district, cid) + negated
    alts = [a for a in _ALTERNATIVES.split(text) if a]
    per_alt = []
    for a in alts:
        explicit = age_conditions(a, cid)
        conds, _ = vocab_conditions(a, PERSON_FIELDS, cid, skip_age=bool(explicit))
        conds = explicit + conds + working_age_conditions(a, cid)
        if conds:
            per_alt.append(conds)
    if len(per_alt) > 1:
        label = " 或 ".join("且".join(c.label for c in alt) for alt in per_alt)
        return common + [Condition("", "any", None, label, cid, any_of=per_alt)]
    return common + (per_alt[0] if per_alt else [])


def enterprise_conditions(text: str, cid: str) -> list[Condition]:
    """Conditions on a firm (size, certifications, zones, ownership, taxpayer, listing, industries)."""
    return vocab_conditions(text, ENTERPRISE_FIELDS, cid)[0]


_PHRASE_END = re.compile(r"[，、。；]")


def unexpressed_conditions(text: str, cid: str) -> list[Condition]:
    """Facts the vocabulary cannot state, one condition per distinct phrase."""
    out, seen = [], set()
    for m in UNEXPRESSED.finditer(text):
        start = max(text.rfind("，", 0, m.start()), text.rfind("、", 0, m.start()), text.rfind("。", 0, m.start()))
        end_m = _PHRASE_END.search(text[m.end():])
        end = m.end() + (end_m.start() if end_m else 0)
        phrase = text[start + 1: end].strip("的")[:30]
        if phrase and phrase not in seen:
            seen.add(phrase)
            out.append(Condition("", "unexpressed", None, phrase, cid))
    return out


def org_type_conditions(subject: str, cid: str) -> list[Condition]:
    """The kind of organisation a benefit is for (the last one the recipient phrase names)."""
    hits = [m for m in vocab_matches(subject, ("org_type",)) if m[2].label != "(not a size)"]
    if not hits:
        return []
    start, end, row = max(hits, key=lambda m: m[1])
    return [Condition("org_type", "like", list(row.values), subject[start:end], cid)]
