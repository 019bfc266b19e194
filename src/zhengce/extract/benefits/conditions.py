"""Eligibility phrases → structured conditions over the profile vocabulary.

Each pattern is one reading the corpus needs (file:line of the motivating text in the comment).
Phrases the vocabulary cannot express become ``unexpressed`` conditions so a match can only say
"possibly eligible" for them.
"""

from __future__ import annotations

import re

from .rule import Condition

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


def hukou_conditions(text: str, district: str | None, cid: str) -> list[Condition]:
    out = []
    m = re.search(rf"({_DIST})区户籍|本区户籍|具有本区户籍", text)
    if m:
        d = (m.group(1) + "区") if m.group(1) else district
        if d:
            out.append(_c("hukou", "eq", d, f"{d}户籍", cid))
    elif re.search(r"本市户籍|北京市户籍|京籍", text):
        out.append(_c("hukou", "ne", "外地", "本市户籍", cid))
    m = re.search(rf"(居住在|实际居家生活在|居住于|常住)(本区|({_DIST})区)", text)
    if m:
        d = (m.group(3) + "区") if m.group(3) else district
        if d:
            out.append(_c("residence_district", "eq", d, f"居住在{d}", cid))
    return out


def age_conditions(text: str, cid: str) -> list[Condition]:
    m = re.search(r"(?:年龄在|年龄|)(\d{2,3})\s*(?:-|—|－|~|至|到)\s*(\d{2,3})\s*(?:周)?岁", text)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        return [_c("age", "between", [lo, hi], f"年龄{lo}至{hi}周岁", cid)]
    m = re.search(r"(?:年满|满)(\d{2,3})\s*周?岁", text) or re.search(r"(\d{2,3})\s*周?岁(?:及)?以上", text)
    if m:
        lo = int(m.group(1))
        return [_c("age", "ge", lo, f"年满{lo}周岁", cid)]
    return []


ASSISTANCE = [("城乡特困|特困", "特困"), ("低保|最低生活保障", "低保"), ("低收入", "低收入"), ("计划生育特扶|计生特扶|特扶", "计生特扶")]


def assistance_conditions(text: str, cid: str) -> list[Condition]:
    found = [v for pat, v in ASSISTANCE if re.search(pat, text)]
    if not found:
        return []
    return [_c("assistance", "has_any", found, "、".join(found), cid)]


def disability_conditions(text: str, cid: str) -> list[Condition]:
    if not re.search(r"失能|残疾", text):
        return []
    grades: set[str] = set()
    if re.search(r"中、重度|中重度|中度或重度", text):
        grades |= {"moderate", "severe"}
    if re.search(r"重度(失能|残疾)|一、二级", text):
        grades.add("severe")
    if re.search(r"中度(失能|残疾)|三至四级", text):
        grades.add("moderate")
    if not grades:  # "残疾老年人" without a grade
        grades = {"moderate", "severe"}
    label = {frozenset({"severe"}): "重度失能或重度残疾", frozenset({"moderate"}): "中度失能或残疾"}.get(
        frozenset(grades), "中、重度失能或残疾")
    return [_c("disability", "in", sorted(grades), label, cid)]


def living_conditions(text: str, cid: str) -> list[Condition]:
    if re.search(r"空巢|独居", text):
        return [_c("lives_alone", "is_true", True, "空巢/独居", cid)]
    return []


def working_age_conditions(text: str, cid: str) -> list[Condition]:
    """"法定劳动年龄内且未在用人单位就业的本区户籍劳动力" (xicheng-gazette-2022.txt 西人社发〔2022〕8号 六)."""
    out = []
    if "法定劳动年龄" in text:
        out.append(_c("age", "between", [16, 60], "法定劳动年龄内（16至60周岁）", cid))
    if re.search(r"未(在用人单位)?就业|无业", text):
        out.append(_c("employment", "ne", "employed", "未就业", cid))
    return out


def employment_conditions(text: str, cid: str) -> list[Condition]:
    pats = [("登记失业|失业人员", "registered-unemployed", "登记失业人员"),
            ("高校毕业生|应届毕业生", "new-graduate", "高校毕业生"), ("退役军人|退役士兵", "veteran", "退役军人")]
    hits = [(v, zh) for p, v, zh in pats if re.search(p, text)]
    if not hits:
        return []
    return [_c("employment", "in", [v for v, _ in hits], "、".join(zh for _, zh in hits), cid)]


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


def person_conditions(text: str, district: str | None, cid: str) -> list[Condition]:
    """All structured person conditions of one phrase; alternatives joined by 以及/，或 become ``any``."""
    text, negated = excluded_conditions(text, district, cid) if EXCLUDED.search(text) else (text, [])
    common = hukou_conditions(text, district, cid) + negated
    alts = [a for a in re.split(r"以及|，或者?|；或", text) if a]
    per_alt = []
    for a in alts:
        conds = (age_conditions(a, cid) + assistance_conditions(a, cid) + disability_conditions(a, cid)
                 + living_conditions(a, cid) + employment_conditions(a, cid) + working_age_conditions(a, cid))
        if conds:
            per_alt.append(conds)
    if len(per_alt) > 1:
        label = " 或 ".join("且".join(c.label for c in alt) for alt in per_alt)
        return common + [Condition("", "any", None, label, cid, any_of=per_alt)]
    return common + (per_alt[0] if per_alt else [])


SIZES = [("中小微企业|中小企业", ["medium", "small", "micro"], "中小微企业"),
         ("小微企业", ["small", "micro"], "小微企业"), ("微型企业", ["micro"], "微型企业")]
CERTS = [("小巨人", "专精特新小巨人"), ("专精特新", "专精特新中小企业"), ("高新技术企业", "高新技术企业"),
         ("创新型中小企业", "创新型中小企业"), ("独角兽", "独角兽"), ("瞪羚", "瞪羚")]
ZONES = [("自贸试验区|自由贸易试验区", "自贸试验区"), ("中关村", "中关村"), ("综合保税区", "综合保税区"),
         ("经济技术开发区|经开区", "北京经济技术开发区")]


def enterprise_conditions(text: str, cid: str) -> list[Condition]:
    out = []
    # certificates and the NEEQ's name (全国中小企业股份转让系统) are not sizes
    plain = re.sub(r"(专精特新[“\"”]?|创新型)中小企业|中小企业股份转让系统|中小企业服务|中小企业公共服务", "", text)
    for pat, vals, label in SIZES:
        if re.search(pat, plain):
            out.append(_c("size", "in", vals, label, cid))
            break
    certs = []
    for pat, v in CERTS:
        if v == "专精特新中小企业":
            # "专精特新“小巨人”企业" names only the 小巨人 certificate
            if re.search(r"专精特新(?![“\"”]?小巨人)", text):
                certs.append(v)
        elif re.search(pat, text):
            certs.append(v)
    if certs:
        out.append(_c("certifications", "has_any", certs, "、".join(certs), cid))
    zones = [v for p, v in ZONES if re.search(p, text)]
    if zones:
        out.append(_c("zones", "has_any", zones, "、".join(zones), cid))
    owners = [(v, zh) for pat, v, zh in [(r"民营企业|民营经济", "private", "民营企业"),
                                         (r"外资企业|外商投资企业", "foreign", "外资企业"),
                                         (r"国有企业|国企", "state", "国有企业")] if re.search(pat, text)]
    if owners:  # one condition: "民营企业、外资企业" is either
        out.append(_c("ownership", "in", [v for v, _ in owners], "、".join(zh for _, zh in owners), cid))
    if re.search(r"小规模纳税人", text):
        out.append(_c("taxpayer", "eq", "small-scale", "小规模纳税人", cid))
    listed = [v for pat, v in [("新三板|全国中小企业股份转让系统", "新三板"), ("北交所|北京证券交易所", "北交所")]
              if re.search("(" + pat + r")[^，。；]{0,6}(挂牌|上市)(的)?企业|已在(" + pat + ")", text)]
    if listed:  # one condition: "新三板挂牌企业、北交所上市企业" is either
        out.append(_c("listing", "in", listed, "、".join(f"{v}挂牌/上市" for v in listed), cid))
    return out


def unexpressed_conditions(text: str, cid: str) -> list[Condition]:
    """Facts the vocabulary cannot state, one condition per distinct phrase."""
    out, seen = [], set()
    for m in UNEXPRESSED.finditer(text):
        start = max(text.rfind("，", 0, m.start()), text.rfind("、", 0, m.start()), text.rfind("。", 0, m.start()))
        end_m = re.search(r"[，、。；]", text[m.end():])
        end = m.end() + (end_m.start() if end_m else 0)
        phrase = text[start + 1: end].strip("的")[:30]
        if phrase and phrase not in seen:
            seen.add(phrase)
            out.append(Condition("", "unexpressed", None, phrase, cid))
    return out


def _org_types() -> list[tuple[re.Pattern, list[str]]]:
    import json
    from importlib import resources
    data = json.loads(resources.files("zhengce.data").joinpath("profile_org_types.json").read_text(encoding="utf-8"))
    return [(re.compile(k), v) for k, v in data.items() if not k.startswith("_")]


ORG_TYPES = _org_types()


def org_type_conditions(subject: str, cid: str) -> list[Condition]:
    """The kind of organisation a benefit is for (the last one the recipient phrase names)."""
    best = None
    for pat, subs in ORG_TYPES:
        for m in pat.finditer(subject):
            if best is None or m.end() > best[0]:
                best = (m.end(), m.group(0), subs)
    if best is None:
        return []
    return [Condition("org_type", "like", best[2], best[1], cid)]
