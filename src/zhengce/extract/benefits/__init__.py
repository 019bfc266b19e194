"""Benefits as rule units (规则单元): a pure function of a Document.

``extract_benefits(doc) -> list[BenefitRule]``. Each rule carries structured conditions over the
profile vocabulary, the condition text it could not structure (``review``), its amount, how to
apply, non-stacking notes, the document-wide scope clauses applied to it, and the citation id of
its provision. The stage is registered in ``zhengce.extract.stages``.
"""

from __future__ import annotations

import re

from ...model import Document
from ..literals import guarded
from .amounts import parse_amount, row_amount, to_yuan
from .apply import apply_info, document_apply_info
from .conditions import (
    enterprise_conditions,
    org_type_conditions,
    person_conditions,
    unexpressed_conditions,
)
from .kinds import benefit_kind
from .rule import Amount, BenefitRule, Condition
from .scope import before_grant, defined_conditions, defined_terms, is_national
from .tiers import tier_conditions, tiers_of
from .units import (
    LEADING_MARKER,
    beneficiary_of,
    benefit_name,
    document_district,
    find_units,
    grant_head,
    is_table_row,
    non_stacking_notes,
    qualification_clauses,
    scope_clauses,
    section_name,
    service_row,
    subject_of,
    tariff_rows,
    work_text,
)
from .vocab import ENTERPRISE_FIELDS, PERSON_FIELDS, vocab_conditions

__all__ = ["Amount", "BenefitRule", "Condition", "extract_benefits"]

# Enterprise awards triggered by an act or achievement the profile does not record.
TRIGGER = re.compile(r"(上市|挂牌|建设|投资|引进|购买|购置|租赁|改造|研发|新增|设立|落户|并购|发行|参加|开展|"
                     r"项目|贡献|绩效|获得|取得|入驻|招用|吸纳|认定|申报|首台|创新|通过|实现|迁入|新设|采用|承担|"
                     r"参与|贷款|融资|担保|科技型|出口|进口|转让|举办|培养|组织)")


# "不低于…元" is a floor; "平均工资的70%": a rate kept with what it applies to (xicheng-gazette-2022.txt:4203)
FLOOR = re.compile(r"不低于(\d+(?:\.\d+)?)(万|亿|千)?元")
RATE_BASE = guarded(r"(?:按照?|为)?([\u4e00-\u9fff]{2,30}?)的?\d+(?:\.\d+)?[%％]")


# cheap literal test before any per-provision work (most documents grant nothing)
PREFILTER = re.compile(r"补贴|补助|奖励|资助|津贴|贴息|奖补|免费|无偿|减免|免收|免征|减半|支持|优惠|服务|扣除|退税|"
                       r"返还|退还|贷款|担保|优先|免予|减按")
# a grade an organisation must hold (xicheng-gazette-2022.txt 西民发〔2022〕8号 第三章: 星级评定为二星级及以上)
ORG_GRADE = guarded(r"[^，。；、]{0,12}(星级|等级)[^，。；]{0,8}(及以上|以上)")
BOTH_KINDS = re.compile(r"企业、[^，。；]{0,10}(协会|商会|机构|社会组织)|(协会|商会|机构|社会组织)、[^，。；]{0,10}企业")
ORG_IN = re.compile(r"驿站|机构|协会|商会|社会组织|医院|幼儿园")
# Person benefits earned by an act the profile does not record (西人社发〔2022〕8号 "取得《创业合格证书》").
PERSON_TRIGGER = re.compile(r"(取得|获得|参加|通过|实现|签订|缴纳|招用|吸纳|创业|入住|购买|租赁|培训|接受|发生|赡养|没有自有住房)")


KIND_ORDER = ("person", "enterprise", "organization")
REGISTERED = re.compile(r"注册|登记|辖区|区内")
FIRM_WORD = re.compile(r"企业|单位|公司")
HEADING_MARK = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[)）.．、]?")
RATE_WORDS = re.compile(r"按照|按|为|是|给予|最高|返还|的")


def _phrase(text: str, m: re.Match) -> str:
    start = max(text.rfind(ch, 0, m.start()) for ch in "，、。；")
    ends = [i for i in (text.find(ch, m.end()) for ch in "，、。；") if i >= 0]
    return LEADING_MARKER.sub("", text[start + 1: min(ends) if ends else len(text)])[:30]


# Signing up with the provider is how a service is taken, not a condition on who may take it
# (xicheng-gazette-2022.txt:3318 "基本养老服务对象与驿站签订服务协议，方可无偿享受基本养老服务").
SERVICE_STEP = re.compile(r"签订服务协议|签约服务|有需求")


def _granted(text: str) -> str:
    """What the unit grants: its first granting sentence from the grant verb on."""
    head = grant_head(text)
    return head[len(before_grant(head)):] or head


def _masked(text: str, kind: str) -> str:
    """``text`` with every phrase the vocabulary states blanked (they are conditions, not acts)."""
    return vocab_conditions(text, PERSON_FIELDS if kind == "person" else ENTERPRISE_FIELDS + ("org_type",), "")[1]


def _kind_conditions(kind: str, district: str | None, cid: str) -> list[Condition]:
    return [Condition("kind", "eq", kind, {"person": "个人", "enterprise": "企业", "organization": "机构"}[kind], cid)]


def _conditions_for(kind: str, text: str, district: str | None, cid: str) -> list[Condition]:
    if kind == "person":
        return person_conditions(text, district, cid)
    conds = enterprise_conditions(text, cid)
    if district and ("本区" in text or district in text) and REGISTERED.search(text):
        conds.append(Condition("district", "eq", district, f"注册在{district}", cid))
    return conds


def _scope_kind(text: str) -> str:
    return beneficiary_of(text, text) or "person"


def extract_benefits(doc: Document) -> list[BenefitRule]:
    if not PREFILTER.search(doc.text or doc.raw):
        return []
    rows = tariff_rows(doc)
    units = find_units(doc, rows)
    if not units:
        return []
    doc_apply = document_apply_info(doc)
    district = document_district(doc)
    national = is_national(doc)  # a State Council document applies everywhere
    terms = defined_terms(doc)
    scopes = [(p, t, _scope_kind(t)) for p, t in scope_clauses(doc)]
    quals = [(p, t, _scope_kind(t)) for p, t in qualification_clauses(doc)]
    notes = non_stacking_notes(doc)
    org_grades = [Condition("", "unexpressed", None, m.group(0), p.cid) for p in doc.provisions
                  if "级" in p.text for m in [ORG_GRADE.search(work_text(p.text))] if m][:1]
    rules: list[BenefitRule] = []
    subjects = [subject_of(u.text) for u in units]
    kinds = [beneficiary_of(s, u.text) for s, u in zip(subjects, units, strict=True)]
    said = [k for k in kinds if k]
    # an item that does not name its recipient gets the document's usual one; a tie goes to the first
    # of KIND_ORDER (max over a set broke ties by string hash, so the answer changed between runs)
    default = max(KIND_ORDER, key=said.count) if said else (
        "enterprise" if "企业" in (doc.short_title or doc.title) or doc.text.count("企业") > 5 else "person")
    # in a document on 个人所得税 the 纳税人 is a person (国发〔2018〕41号 专项附加扣除), elsewhere a firm
    personal_tax = "个人所得税" in f"{doc.title}{doc.short_title or ''}" or doc.text.count("个人所得税") > 3
    for u, subject, kind in zip(units, subjects, kinds, strict=True):
        p = u.provision
        cid = p.cid
        kind = kind or ("person" if is_table_row(p) else default)  # service tables serve people
        if personal_tax and kind == "enterprise" and "纳税人" in u.text and not FIRM_WORD.search(subject):
            kind = "person"
        conds = _kind_conditions(kind, district, cid)
        if kind != "person" and BOTH_KINDS.search(subject):
            # "本区经营、参保、纳税的企业、行业协会、商会" — firms and associations alike
            conds[0] = Condition("kind", "in", ["enterprise", "organization"], "企业或机构", cid)
        if kind == "person":
            conds += person_conditions(subject, district, cid)
            if u.context:  # "上述人员": who they are is said in the previous provision
                have = {c.field for c in conds if c.op not in ("not_in", "ne", "any")}
                conds += [c for c in person_conditions(u.context, district, cid)
                          if c.field in ("hukou", "residence_district", "employment", "age") and c.field not in have]
        else:
            conds += _conditions_for(kind, subject, district, cid)
            # "将制造业企业研发费用加计扣除比例提高到100%": the firm is named inside the granting clause
            have = {c.field for c in conds}
            conds += [c for c in enterprise_conditions(grant_head(u.text), cid) if c.field not in have]
        unexpressed = unexpressed_conditions(subject, cid)
        if kind == "person":
            plain = _masked(subject, kind)
            act = None if SERVICE_STEP.search(subject) else PERSON_TRIGGER.search(plain)
            if act:
                unexpressed.append(Condition("", "unexpressed", None, _phrase(subject, act), cid))
            for term, (dp, head, items) in terms.items():
                if term in subject:  # "基本养老服务对象" as 第三条 defines it
                    conds += defined_conditions(head, items, district, dp.cid)
        if kind != "person":
            # conditions on the people an organisation serves are not facts about the organisation
            conds = [c for c in conds if c.field in ("kind", "district", "size", "certifications", "zones",
                                                    "ownership", "taxpayer", "listing", "industries",
                                                    "registered_in_beijing")]
            if kind == "organization":
                conds += org_type_conditions(subject if ORG_IN.search(subject) else u.text, cid)
            # awards for firms follow acts the profile does not record; what is granted (the text from
            # the grant verb on) and phrases the vocabulary states (在新三板挂牌) are not such acts
            lead = before_grant(u.text)
            explicit = subject and ("对" + subject in u.text or "为" + subject in u.text)  # "对X给予", "为X提供"
            src = subject if explicit or TRIGGER.search(_masked(subject, kind)) else lead
            trig = TRIGGER.search(_masked(src, kind))
            if trig:
                unexpressed.append(Condition("", "unexpressed", None, _phrase(src, trig), cid))
        scope_used = []
        for sp, st, sk in scopes:
            if sk != kind or st in u.text:
                continue
            scope_used.append(st)
            conds += [Condition(c.field, c.op, c.value, c.label, sp.cid, c.any_of)
                      for c in _conditions_for(kind, st, district, sp.cid)]
            unexpressed += unexpressed_conditions(st, sp.cid)
        for qp, qt, qk in quals:
            if qk == kind and qt not in u.text:
                unexpressed.append(Condition("", "unexpressed", None, qt[:40], qp.cid))
        if kind == "organization" and not quals:
            unexpressed += org_grades  # "服务质量星级评定为二星级及以上" anywhere binds the organisations
        fields = {f for c in conds for f in c.fields()}
        if fields <= {"kind"} and not unexpressed:
            # nothing in the text says who qualifies: never claim eligibility on silence
            unexpressed.append(Condition("", "unexpressed", None, "原文未写明享受条件（需核实）", cid))
        if district and kind == "person" and not fields & {"hukou", "residence_district"}:
            conds.append(Condition("residence_district", "eq", district, f"居住在{district}（区级文件）", cid))
        elif district and kind != "person" and "district" not in fields:
            conds.append(Condition("district", "eq", district, f"位于{district}（区级文件）", cid))
        elif not district and kind != "person" and not national:
            conds.append(Condition("registered_in_beijing", "is_true", True, "在京注册（市级文件）", cid))
        amount = parse_amount(u.text)
        name = benefit_name(u.text) or section_name(doc, p) or u.text[:16]
        if len(name) <= 2 and p.heading:  # "奖励" alone says little: name it by its run-in heading
            head = HEADING_MARK.sub("", work_text(p.heading)).rstrip("。")
            name = f"{head[:20]}（{name}）" if head else name
        if amount.max_yuan is None and amount.percent is None and rows:
            row = service_row(name, rows)
            if row:
                amount.max_yuan = row_amount(row)
                amount.text = " | ".join(row)
                amount.per = amount.per or "each time"
        amount.tiers = tiers_of(u.text)
        if amount.tiers and amount.max_yuan is None:
            amount.max_yuan = max(t["yuan"] for t in amount.tiers if t.get("yuan") is not None)
        conds += tier_conditions(amount.tiers, kind, district, cid)
        floor = FLOOR.search(u.text)
        amount.floor_yuan = to_yuan(floor.group(1), floor.group(2)) if floor else None
        rate = RATE_BASE.search(u.text)
        amount.base = RATE_WORDS.split(rate.group(1))[-1] if rate else ""
        conds, clashes = _drop_contradictions(conds)
        seen_labels: set[str] = set()
        dedup = []
        for c in conds + unexpressed:
            key = f"{c.field}|{c.op}|{c.value}|{c.label}"
            if key not in seen_labels:
                seen_labels.add(key)
                dedup.append(c)
        review = [c.label for c in unexpressed] + clashes
        conf = 0.5 + (0.2 if amount.max_yuan is not None else 0) + (0.1 if len(dedup) > 2 else 0) \
            - (0.1 if review else 0)
        rules.append(BenefitRule(
            id=f"{cid}#{u.ordinal}", doc_key=doc.key, cid=cid, source=doc.source,
            doc_number=doc.doc_number, doc_title=doc.short_title or doc.title, name=name,
            text=u.source_text, beneficiary=kind, kind=benefit_kind(_granted(u.text)), conditions=dedup, review=review, amount=amount,
            apply=apply_info(doc, u.text, doc_apply), non_stacking=[n for n in notes if n in u.text] or notes[:3],
            scope=scope_used, confidence=round(min(max(conf, 0.1), 0.95), 2)))
    return rules


def _drop_contradictions(conds: list[Condition]) -> tuple[list[Condition], list[str]]:
    """Two readings that cannot both hold (hukou = 西城区 and hukou = 东城区) are a misreading, not a
    rule nobody can meet: keep the first (the item's own words come before the document's scope)
    and send the other to review."""
    first: dict[str, Condition] = {}
    out, clashes = [], []
    for c in conds:
        prev = first.get(c.field)
        if c.op == "eq" and prev is not None and prev.op == "eq" and prev.value != c.value:
            clashes.append(f"矛盾的条件已忽略: {c.label}（与 {prev.label}）")
            continue
        if c.op == "eq" and c.field not in first:
            first[c.field] = c
        out.append(c)
    return out, clashes


def _save(conn, doc: Document, rules: list[BenefitRule]) -> None:
    from ...store.benefits import save_rules
    save_rules(conn, doc, rules)


STAGE = ("benefits", extract_benefits, _save)
