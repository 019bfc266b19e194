"""Eligibility questions go through the rules: "我妈72岁，西城户口…低保户…她能用吗？".

The asker's situation is read into a profile of the matching vocabulary (age, 户籍, residence,
assistance, disability, 空巢, employment; for firms district, size, certifications, zones,
listing), the benefit rule behind the answering provision is matched against it with
``zhengce.match.match_rules`` (the matcher every other face uses), and the verdict is worded
可以 / 不可以 / 可能可以 with the conditions still to check, the amount and how to apply.

A condition the vocabulary cannot express ("无洗澡条件") stays "possibly" unless the asker said it
in so many words ("自己家没条件洗澡"): then it is taken as stated, and the answer says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .question import DISTRICTS, Question

_D = "|".join(d[:-1] for d in DISTRICTS)  # 东城|西城|…
_AGE = re.compile(r"(\d{1,3})\s*(?:周岁|岁)")
_HUKOU_HERE = re.compile(rf"({_D})区?(?:的)?(?:户口|户籍)|(?:户口|户籍)(?:在|是)({_D})")
_HUKOU_BJ = re.compile(r"北京户口|本市户籍|京籍|北京市户籍")
_HUKOU_OUT = re.compile(r"外地户口|外地户籍|非本市户籍|非京籍|外省")
_LIVES = re.compile(rf"(?:住在|居住在|家住|住)({_D})|在({_D})(?:租房|居住|住)")
_WORKS_IN = re.compile(rf"在({_D})区?(?:开|注册|办)|注册在({_D})|({_D})区?的(?:公司|企业)|({_D})区?(?:企业|公司)")
_ASSIST = {"低保": "低保", "低收入": "低收入", "特困": "特困", "计生特扶": "计生特扶", "特扶": "计生特扶"}
_PERSON = re.compile(r"我妈|我爸|老人|老年|岁|孩子|本人|我是|户口|低保|失业|毕业|残疾|失能")
_FIRM = re.compile(r"公司|企业|我们单位|门店|药店|商户")
_CERTS = [("小巨人", "专精特新小巨人"), ("专精特新", "专精特新中小企业"), ("高新技术企业", "高新技术企业"),
          ("创新型中小企业", "创新型中小企业"), ("独角兽", "独角兽"), ("瞪羚", "瞪羚")]
_SIZES = [("微型企业", "micro"), ("小微", "small"), ("小型企业", "small"), ("小公司", "small"), ("中型企业", "medium"),
          ("大型企业", "large")]
_ZONES = [("自贸", "自贸试验区"), ("中关村", "中关村"), ("综合保税区", "综合保税区"), ("综保区", "综合保税区"),
          ("经济技术开发区", "北京经济技术开发区"), ("亦庄", "北京经济技术开发区")]
_NEGATED = re.compile(r"(?:不是|并非|非|没有|没|无)(?:低保|低收入|特困|计生特扶|特扶)(?:户|家庭|人员)?")
_NEG = str.maketrans({"没": "无", "沒": "无"})

VERDICT_WORDS = {"eligible": "可以", "not eligible": "不可以", "possibly eligible": "可能可以"}


@dataclass(slots=True)
class Eligibility:
    """The verdict for one benefit, in the words the answer uses."""

    verdict: str  # 可以 | 不可以 | 可能可以
    benefit: str  # the benefit's name
    rule_id: str
    cid: str  # the provision the rule comes from
    failed: list[str] = field(default_factory=list)  # conditions the asker does not meet
    to_check: list[str] = field(default_factory=list)  # conditions still to check
    stated: list[str] = field(default_factory=list)  # unexpressible conditions the asker stated
    amount: str = ""
    apply: str = ""


def profile_from(q: Question) -> dict | None:
    """The asker's situation as a matching profile, or None when the question says nothing of it."""
    text = q.text
    firm = bool(_FIRM.search(text)) and not re.search(r"我妈|我爸|老人|孩子", text)
    if firm:
        return _firm_profile(text)
    if not _PERSON.search(text):
        return None
    p: dict = {"kind": "person"}
    m = _AGE.search(text)
    if m and 0 < int(m.group(1)) < 120:
        p["age"] = int(m.group(1))
    m = _HUKOU_HERE.search(text)
    if m:
        p["hukou"] = (m.group(1) or m.group(2)) + "区"
    elif _HUKOU_BJ.search(text):
        p["hukou"] = "北京市"
    elif _HUKOU_OUT.search(text):
        p["hukou"] = "外地"
    m = _LIVES.search(text)
    if m:
        p["residence_district"] = (m.group(1) or m.group(2)) + "区"
    elif "也住在" in text and p.get("hukou", "").endswith("区"):
        p["residence_district"] = p["hukou"]
    plain = _NEGATED.sub("", text)  # "不是低保也不是低收入" lists no assistance
    assistance = sorted({v for k, v in _ASSIST.items() if k in plain})
    if assistance:
        p["assistance"] = assistance  # a listed assistance is complete (shared/eval/README.md)
    if re.search(r"重度失能|重度残疾|失能老人|卧床", text):
        p["disability"] = "severe"
    elif re.search(r"中度失能|中度残疾", text):
        p["disability"] = "moderate"
    if re.search(r"空巢|独居|一个人住|自己一个人", text):
        p["lives_alone"] = True
    if re.search(r"登记失业|失业人员|失业了", text):
        p["employment"] = "registered-unemployed"
    elif re.search(r"应届|刚毕业|毕业生", text):
        p["employment"] = "new-graduate"
    elif "退役" in text:
        p["employment"] = "veteran"
    return p if len(p) > 1 else None


def _firm_profile(text: str) -> dict | None:
    p: dict = {"kind": "enterprise"}
    m = _WORKS_IN.search(text)
    if m:
        p["district"] = next(g for g in m.groups() if g) + "区"
    certs = []
    for key, cert in _CERTS:
        if key in text and cert not in certs and not (cert == "专精特新中小企业" and "专精特新小巨人" in certs):
            certs.append(cert)
    if certs:
        p["certifications"] = certs
    size = next((v for k, v in _SIZES if k in text), None)
    if size:
        p["size"] = size
    zones = sorted({v for k, v in _ZONES if k in text})
    if zones:
        p["zones"] = zones
    if "北交所" in text and re.search(r"已在北交所|北交所上市了|在北交所上市的", text):
        p["listing"] = "北交所"
    return p if len(p) > 1 else None


def _stated_by_asker(label: str, question: str) -> bool:
    """An unexpressible condition ("无洗澡条件") the asker stated in other words ("没条件洗澡")."""
    want = re.sub(r"[^\u4e00-\u9fff]", "", label.translate(_NEG))
    said = question.translate(_NEG)
    if len(want) < 3:
        return False
    chars = [ch for ch in want if ch not in "的了"]
    return all(ch in said for ch in chars)


def _rule_for(rules: list, cids: list[str]):
    """The benefit rule behind the first of ``cids`` that has one (same provision or its parent)."""
    by_cid: dict[str, list] = {}
    for r in rules:
        by_cid.setdefault(r.cid, []).append(r)
    for cid in cids:
        node = cid
        while node:
            if node in by_cid:
                return by_cid[node][0]
            node = node.rsplit("/", 1)[0] if "/" in node else ""
    return None


def judge(library, q: Question, hits: list) -> Eligibility | None:
    """Match the asker's profile against the rule behind the answering provisions ``hits``."""
    profile = profile_from(q)
    if profile is None:
        return None
    from ..errors import ZhengceError
    from ..match import match_rules
    from ..match.cards import make_card
    from ..store.benefits import list_rules
    cids = [h.cid for h in hits]
    with library.engine.connect() as conn:  # only the answering documents' rules (in force)
        rules = list_rules(conn, doc_keys=sorted({h.doc_key for h in hits}))
    rule = _rule_for(rules, cids)
    if rule is None or rule.beneficiary != profile["kind"]:
        return None
    try:
        item = match_rules([rule], profile).items[0]
    except ZhengceError:
        return None
    failed = [c.label for c in item.checks if c.value == "否" and c.label]
    unknown = [c.label for c in item.checks if c.value == "未知" and c.label]
    stated = [lab for lab in unknown if _stated_by_asker(lab, q.text)]
    to_check = [lab for lab in unknown if lab not in stated]
    verdict = item.verdict
    if verdict == "possibly eligible" and not to_check:
        verdict = "eligible"  # every open condition is one the asker stated
    card = make_card(rule)
    ap = rule.apply or {}
    apply = ap.get("channel") or ""
    materials = [re.sub(r"[（(][^）)]*[）)]", "", m).strip() for m in ap.get("materials") or []]
    if materials:
        more = f"等{len(materials)}项" if len(materials) > 3 else ""
        apply += ("；" if apply else "") + "需提交" + "、".join(materials[:3]) + more
    if card.agency and card.agency != "原文未列明":
        apply = f"{apply}（受理：{card.agency}）" if apply else f"受理：{card.agency}"
    amount = "，".join(x.strip() for x in re.split(r"[|｜]", rule.amount.text) if x.strip()) or \
        (card.standard if card.standard != "原文未列明金额" else "")
    return Eligibility(VERDICT_WORDS[verdict], rule.name, rule.id, rule.cid, failed, to_check, stated,
                       amount, apply)


def verdict_line(e: Eligibility) -> str:
    """The direct answer of an eligibility question, in one sentence."""
    if e.verdict == "可以":
        extra = f"（据您所述：{'、'.join(e.stated)}）" if e.stated else ""
        return f"可以。按您所说的情况，符合“{e.benefit}”的条件{extra}。"
    if e.verdict == "不可以":
        return f"不可以。“{e.benefit}”要求{'、'.join(e.failed)}，您所说的情况不符合。"
    return f"可能可以。“{e.benefit}”还需核实：{'、'.join(e.to_check)}。"
