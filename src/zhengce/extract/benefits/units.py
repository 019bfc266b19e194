"""Find benefit units in a document and read who gets what.

A unit is a provision (or, when one provision grants several things, a run of its sentences)
that grants money, a reduction or a free service. Scope clauses ("服务对象为：…", "本办法适用于…",
"以上政策措施适用于…") are read once per document and applied to every unit of the same beneficiary kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...model import Document, Provision
from ...text import normalize
from .amounts import MONEY, PENALTY, money_spans

# NFKC folds these to ASCII. Folding them first (str.replace runs in C) leaves most Chinese text in
# NFKC form already, which unicodedata confirms by its quick check instead of rewriting the text;
# the result is the same, as each character is replaced by its own NFKC form.
_FOLD = (("，", ","), ("；", ";"), ("：", ":"), ("（", "("), ("）", ")"), ("！", "!"), ("？", "?"), ("％", "%"),
         ("\u3000", " "))
# The Chinese punctuation the patterns are written with, restored after normalising.
_PUNCT = ((",", "，"), (";", "；"), (":", "："), ("(", "（"), (")", "）"), ("!", "！"), ("?", "？"))


# literal prefilter on the provision text before any normalisation (most provisions grant nothing)
LITERALS = re.compile(r"补贴|补助|奖励|资助|津贴|贴息|奖补|免费|无偿|减免|免收|免征|减半|支持|优惠|居民价格|提供|扣除|退|"
                      r"返还|贷款|担保|免予|减按|优先|保险金")


@lru_cache(maxsize=1 << 16)
def work_text(s: str) -> str:
    """The eval's normal form (NFKC, no whitespace) with Chinese punctuation restored for the patterns.

    Cached: scope, qualification and application clauses read the same provisions again."""
    for wide, narrow in _FOLD:
        if wide in s:
            s = s.replace(wide, narrow)
    s = normalize(s)
    for narrow, wide in _PUNCT:
        if narrow in s:
            s = s.replace(narrow, wide)
    return s


# Every alternative starts with a plain character, so the regex engine skips ahead to the next
# character that can start one instead of trying all of them at every position ("返(?<!应返)还"
# is "(?<!应)返还", "给予…支持|予以…支持" is "(给予|予以)…支持").
GRANT_WORD = re.compile(r"补贴|补助|奖励|资助|津贴|贴息|奖补|免费|无偿享受|减免|免收|免征|减半征收|资金支持|"
                        r"享受[^，。；]{0,12}(优惠|居民价格)|加计扣除|定额扣除|据实扣除|税前扣除|即征即退|退还增值税|"
                        r"全额退还|退税|免予缴纳|减按[^，。；]{0,6}征收|返(?<!应返)还|担保贷款|担保支持|低费率|失业保险金|"
                        r"给予[^，。；]{0,15}支持|予以[^，。；]{0,15}支持|最高支持|一次性支持|优先(办理|安排|录用|入学|入住|享受|配租|推荐)")
# "对小微企业信用贷款和知识产权质押融资给予贴息支持", "给予一次性奖励": a grant without a figure.
GRANT_NO_FIGURE = re.compile(r"(给予|予以|享受|发放|可(?:在[^，。；]{0,10})?申请)[^，。；]{0,16}(补贴|补助|奖励|资助|贴息|津贴|奖补|资金支持|减免|优惠|"
                             r"居民价格)")
FREE = re.compile(r"免费|无偿|免收|免征|减免|减半征收|加计扣除|定额扣除|据实扣除|即征即退|退还|退税|免予缴纳|减按|"
                  r"返还|担保贷款|担保支持|低费率|失业保险金|优先(办理|安排|录用|入学|入住|享受|配租|推荐)")
PERCENT = re.compile(r"\d+(?:\.\d+)?[%％]")
CAP_ONLY = re.compile(r"(合计|累计)[^，。；]{0,12}不(得)?超过")
SCOPE = re.compile(r"(服务对象|适用对象|支持对象|补贴对象|补助对象|奖励对象|享受对象|保障对象)(为|是|包括|：)|"
                   r"(本办法|本细则|本措施|本政策|本方案|以上政策措施|上述政策措施|以上措施|上述措施|本通知)[^。]{0,6}适用于")
# "驿站具备以下基本条件的,可申请享受驿站运营扶持政策" (xicheng-gazette-2022.txt, 西民发〔2022〕3号 第二十五条)
QUALIFY = re.compile(r"(满足|具备|符合)(以下|下列)(基本)?条件")
NON_STACKING = re.compile(r"不重复享受|不得重复|不可再申请享受|不再重复|差额给予|按差额|就高|不叠加|不可叠加|不同时享受")
PERSON_NOUN = r"您|劳动力|劳动者|老年人|老人|居民|个人|人员|家庭|服务对象|毕业生|学生|职工|残疾人|儿童|妇女|群众|患者|农民|孕产妇|人才|市民|户籍人口"
# a project's owner (示范应用项目, 改造项目) is the firm that carries it out
ENTERPRISE_NOUN = r"用人单位|企业|公司|商户|个体工商户|市场主体|厂商|纳税人|项目单位|项目"
ORG_NOUN = r"机构|驿站|单位|社会组织|就业组织|协会|医院|学校|幼儿园|平台|园区|团队|商会"
NOUNS = tuple((k, re.compile(p)) for k, p in (("person", PERSON_NOUN), ("enterprise", ENTERPRISE_NOUN),
                                               ("organization", ORG_NOUN)))
AGENCY = re.compile(r"(?:市|区)[\u4e00-\u9fff]{1,14}?(?:局|委员会|委|办公室|办|管委会|中心|街道|服务站)")


@dataclass
class Unit:
    provision: Provision
    ordinal: int
    text: str  # work text of the unit
    source_text: str  # provision text the eval compares quotes against
    subject: str = ""
    beneficiary: str = "person"
    table_row: list[str] | None = None
    notes: list[str] = field(default_factory=list)
    context: str = ""  # the previous provision, when the unit starts "上述人员…" (who they are)


MARKER = re.compile(r"(?=第[一二三四五六七八九十百]+条)|(?=（[一二三四五六七八九十]+）)|(?=[一二三四五六七八九十]+、)")
SENTENCE_CUT = re.compile(r"(?<=[。；])|，(?=同时(?:" + ENTERPRISE_NOUN + "|" + ORG_NOUN + "|" + PERSON_NOUN
                          + r")[^，。；]{0,4}可)")
SEGMENT_CUT = re.compile(r"(?<=[。；：])" + MARKER.pattern)


def sentences(text: str) -> list[str]:
    """Sentences (。；), and a sentence cut before "，同时X可…" where a second recipient claims a
    second grant (xicheng-gazette-2022.txt:4582 人才服务奖励 / 人才引进补贴)."""
    parts = SENTENCE_CUT.split(text)
    return [p for p in parts if p]


def segments(text: str) -> list[list[str]]:
    """Sentences grouped by numbered item, for provisions that run several items together."""
    out = []
    for seg in SEGMENT_CUT.split(text):
        if seg:
            out.append(sentences(seg))
    return out


# Definitions ("基础补贴是指…"), refusals ("暂不给予基础补贴") and withdrawals are not grants.
NOT_A_GRANT = re.compile(r"取消[^，。；]{0,20}资格|是指|所称|可用于|不给予|暂不|不予|不享受|不发放|不得享受|不再享受")


_GIVES = re.compile(r"给予|提供")


def is_grant(s: str) -> bool:
    if not GRANT_WORD.search(s) or PENALTY.search(s) or "××" in s or NOT_A_GRANT.search(s):
        return False
    spans = money_spans(s)
    if spans and all(k == "cap" for *_, k in spans) and CAP_ONLY.search(s) and not _GIVES.search(s):
        return False
    return bool(spans) or bool(FREE.search(s)) or bool(PERCENT.search(s)) or bool(GRANT_NO_FIGURE.search(s))


def is_table_row(p: Provision) -> bool:
    return p.kind == "row" or p.cells is not None or "\t" in p.raw


def row_cells(p: Provision) -> list[str]:
    if "\t" in p.raw or not p.cells:
        return [work_text(c) for c in p.raw.split("\t") if c.strip()]
    return [work_text(c) for c in p.cells]


SERVICE = re.compile(r"为(.{2,80}?)提供(.{1,12}?服务)")


_POINTS_BACK = re.compile(r"^(对|符合|上述|其中|以上)")
_ABOVE = re.compile(r"^(上述|以上)")


def tariff_rows(doc: Document) -> list[list[str]]:
    """The table rows that price something (a figure in 元): the only rows ``service_row`` can
    return, so it is given these, found once per document, instead of testing every row per call."""
    return [cells for cells in (row_cells(p) for p in doc.provisions if is_table_row(p))
            if cells and MONEY.search("".join(cells))]


def find_units(doc: Document, rows: list[list[str]] | None = None) -> list[Unit]:
    """Grant sentences, plus "为…提供X服务" where the document prices X in a tariff table
    (``rows``: ``tariff_rows(doc)``, computed here when not given)."""
    from .tiers import list_intros
    units: list[Unit] = []
    rows = tariff_rows(doc) if rows is None else rows
    intros = list_intros(doc)
    consumed = {c.cid for items in intros.values() for c in items}
    prev_text = ""
    for p in doc.provisions:
        if p.kind in ("table", "attachment") or p.cid in consumed:
            continue
        if p.cid in intros:  # "可以按照以下标准定额扣除：（一）…1500元；（二）…": intro + items, one unit
            items = intros[p.cid]
            units.append(Unit(p, 0, work_text(p.text) + "".join(work_text(c.text) for c in items),
                              p.text + "".join(c.text for c in items)))
            continue
        if is_table_row(p):
            # a row that itself grants ("健康监测 | … | 免费 | 所有有需求的老年人"); tariff rows
            # without a grant word only price the services named elsewhere
            cells = "，".join(row_cells(p))
            if is_grant(cells) and not (p.header and p.cells == p.header):
                units.append(Unit(p, 0, cells, p.text))
            continue
        if not LITERALS.search(p.text):
            prev_text = p.text
            continue
        t = work_text(p.text)
        before, prev_text = prev_text, p.text
        granting = GRANT_WORD.search(t) is not None
        service = SERVICE.search(t)
        if service and rows and not granting and service_row(service.group(2), rows, strict=True):
            units.append(Unit(p, 0, t, p.text))
            continue
        if not granting:
            continue
        groups: list[tuple[list[str], list[str]]] = []  # (lead sentences, grant sentences)
        for seg in segments(t):
            lead: list[str] = []
            first = len(groups)
            for s in seg:
                if is_grant(s):
                    prev = groups[-1][1] if len(groups) > first else None
                    if prev and prev[-1].endswith("；") and _tier_of(prev[-1], s):
                        prev.append(s)  # "规模在50人（含）至100人，可申请3万元技能竞赛补贴；": a tier
                    else:
                        groups.append((lead, [s]))
                    lead = []
                elif len(groups) > first and not MONEY.search(s) and not GRANT_WORD.search(s):
                    groups[-1][1].append(s)
                else:
                    lead.append(s)
        for i, (lead, grant) in enumerate(groups):
            src = p.text if len(groups) == 1 else "".join(lead + grant)
            # the analysed text: the grant sentences, plus a run-in heading or a condition sentence
            # the grant sentence points back to ("对上述企业…", "符合以下条件的…")
            ctx = lead[-1:] if lead and _POINTS_BACK.search(grant[0]) else []
            unit = Unit(p, i, "".join(ctx + grant), src)
            if not lead and i == 0 and _ABOVE.match(LEADING_MARKER.sub("", grant[0])):
                unit.context = work_text(before)
            units.append(unit)
    return units


_CLOSING_PAREN = re.compile(r"[（(]([^（）()]{2,80})[）)]；$")
_ANY_NOUN = re.compile(PERSON_NOUN + "|" + ENTERPRISE_NOUN + "|" + ORG_NOUN)


def _tier_of(prev: str, s: str) -> bool:
    """A sentence that grants the same thing as ``prev`` at another tier (same grant noun, no
    recipient of its own: "规模在50人(含)至100人，可申请3万元技能竞赛补贴" is a tier; "被评定为三星级
    及以上的驿站，每家每月增加3000元补贴" names its own recipients and is a benefit of its own)."""
    a, b = grant_nouns(prev), grant_nouns(s)
    lead = s.split("，")[0]
    closing = _CLOSING_PAREN.search(prev)
    if closing and AGENCY.search(closing.group(1)):
        return False  # "…给予资金补贴（市科委、中关村管委会）；" closes a measure with its own units
    # "其职工取得国家级竞赛前三名的，…；其职工取得市级竞赛前三名的，…" (xicheng-gazette-2022.txt:4536):
    # the same recipient at another rank is a tier; a new recipient is a benefit of its own
    if (_ANY_NOUN.search(lead)
            and not any(c[:4] == lead[:4] for c in prev.split("，"))):
        return False
    return bool(a) and a[-1] == (b[-1] if b else None)


GRANT_NOUN = re.compile(r"(?:申请|给予|予以|的|享受|发放|增加|元)([\u4e00-\u9fff]{0,10}?(?:补贴|奖励|补助|津贴|贴息|资助|奖补))")


_COUNT_HEAD = re.compile(r"^[一二三四五六七八九十\d]+[年个月]")
_VERB_HEAD = re.compile(r"^(的|标准|元|给予|予以|申请|发放|享受|增加|按照|可|进行)+")


def grant_nouns(t: str) -> list[str]:
    out = []
    for n in GRANT_NOUN.findall(t):
        n = _COUNT_HEAD.sub("", n)
        out.append(_VERB_HEAD.sub("", n))
    return out


def grant_head(t: str) -> str:
    """The unit's text up to the end of its first granting sentence (later sentences of the unit
    only describe it; their "对…" is not the recipient)."""
    m = GRANT_WORD.search(t)
    end = t.find("。", m.end()) if m else -1
    return drop_agencies(t[: end + 1] if end > 0 else t)


_PAREN = re.compile(r"[（(](?:责任单位[：:])?[^（）()]{2,80}[）)]")


def drop_agencies(t: str) -> str:
    """Without the responsible units in brackets ("（市科委、中关村管委会）" names an agency, not a zone)."""
    return _PAREN.sub(lambda m: "" if AGENCY.search(m.group(0)) or "责任单位" in m.group(0) else m.group(0), t)


_FOR_PROVIDE = re.compile(r"为((?:(?!为)[^。；]){1,80}?)(免费|无偿)?(提供|安排|开展)")
_TOWARDS = re.compile(r"(?<![应针相面])对((?:(?!(?<![应针相面])对)[^。；]){2,80}?)(给予|予以|实行|按照|按|免收|免征)")
_WAIVED_FOR = re.compile(r"(免收|免征|减免)([^，。；]{0,8}?(?:" + ENTERPRISE_NOUN + "|" + PERSON_NOUN + "))")


def subject_of(t: str) -> str:
    """The recipient phrase: "为X提供…", "对X给予…", else the text before the grant clause."""
    t = grant_head(t)
    m = _FOR_PROVIDE.search(t)
    if m and _ANY_NOUN.search(m.group(1)):
        return m.group(1)
    # the 对 nearest the grant verb ("对完成上市挂牌的企业，帮助对接…，对上市企业、新三板挂牌企业予以资金奖励")
    m = _TOWARDS.search(t)
    if m:
        return m.group(1)
    # a fee waived for someone: "免收小微企业卡…手续费" (beijing-private-enterprise-policies-2021q4.txt:1371)
    m = _WAIVED_FOR.search(t)
    if m:
        return m.group(2)
    # the clause that holds the first figure (else the first grant word) is the grant; before it, who
    g = MONEY.search(t) or GRANT_WORD.search(t, 2)
    if g:
        cut = t.rfind("，", 0, g.start())
        return t[: cut if cut > 0 else g.start()]
    return t


CLAIMANT = re.compile(r"(个人|企业|用人单位|主办单位|机构|单位)(?:可|按照|可按照)?(?:申请|按照|按)")
FIRST_CLAUSE_KIND = re.compile(r"^[^，。；]{0,40}?(企业|用人单位|机构|驿站)[，]")
# "驿站按照…每人每月给予180元补贴" (xicheng-gazette-2022.txt 西民发〔2022〕3号 第八条): the actor named
# first is the recipient; "区财政按照…" names the payer, which is not in this list.
ACTOR_FIRST = re.compile(r"^(?:按照|按)?[^，。；]{0,8}?(驿站|机构|企业|用人单位|就业组织|社会组织)")
LEADING_MARKER = re.compile(r"^(第[一二三四五六七八九十百]+条|（[一二三四五六七八九十]+）|\d+[.．、]|[一二三四五六七八九十]+、)")


_WAIVED = re.compile(r"(免收|免征|减免|减收)[^，。；]{0,8}?(" + PERSON_NOUN + "|" + ENTERPRISE_NOUN + ")")
_PAIR = re.compile(r"^[^，。；]{0,12}?(" + PERSON_NOUN + "|" + ENTERPRISE_NOUN + "|" + ORG_NOUN + r")(?:与|向)")
_ENJOYS = re.compile(r"享受|获得")


def beneficiary_of(subject: str, text: str) -> str:
    """Who receives the grant: the claimant named at the amount, else the subject's last noun."""
    first_money = MONEY.search(text)
    claim = None
    for m in CLAIMANT.finditer(text[: first_money.start()] if first_money else text):
        claim = m.group(1)
    body = LEADING_MARKER.sub("", text)
    # a fee or tax waived for someone: "辖内银行卡清算机构免收小微企业卡…手续费"
    # (beijing-private-enterprise-policies-2021q4.txt:1371): the bank waives, the firm benefits
    waived = _WAIVED.search(body)
    if claim is None and waived:
        return _kind_of(waived.group(2))
    # "基本养老服务对象与驿站签订服务协议，方可无偿享受基本养老服务" (xicheng-gazette-2022.txt:3318): the one
    # who signs with the provider and then enjoys is the recipient, not the provider
    pair = _PAIR.match(body)
    if claim is None and pair and _ENJOYS.search(body):
        return _kind_of(pair.group(1))
    if claim is None and not body.startswith(("为", "对")):
        fc = FIRST_CLAUSE_KIND.search(body) or ACTOR_FIRST.match(body)
        claim = fc.group(1) if fc else None
    if claim:
        return {"个人": "person", "企业": "enterprise", "用人单位": "enterprise"}.get(claim, "organization")
    best, kind = -1, ""
    for k, pat in NOUNS:
        for m in pat.finditer(subject):
            if m.end() > best:
                best, kind = m.end(), k
    return kind  # "" when the text does not say: the caller decides from the document


def _kind_of(noun: str) -> str:
    for k, pat in NOUNS:
        if pat.fullmatch(noun):
            return k
    return ""


_FREE_SERVICE = re.compile(r"(免费[\u4e00-\u9fff]{1,10}?服务|免费[\u4e00-\u9fff]{2,4})")
_UNPAID_SERVICE = re.compile(r"无偿(?:享受|提供)([\u4e00-\u9fff]{2,12}?服务)")
_GRANT_NAME = re.compile(r"([\u4e00-\u9fff]{2,8}(?:补贴|奖励|补助|津贴|贴息|资助))")
_MONEY_HEAD = re.compile(r"^[万亿千元的]+")


def benefit_name(t: str) -> str:
    """A short name: "免费洗澡服务", "床位运营基础服务补贴", "一次性培训补贴"."""
    m = _FREE_SERVICE.search(t)
    if m:
        return m.group(1)
    m = _UNPAID_SERVICE.search(t)  # xicheng-gazette-2022.txt:3318
    if m:
        return f"无偿{m.group(1)}"
    m = SERVICE.search(t)
    if m:
        return m.group(2)
    nouns = grant_nouns(t)
    long = [n for n in nouns if len(n) > 2]
    if long or nouns:
        return (long or nouns)[0]
    m = _GRANT_NAME.search(t)
    return _MONEY_HEAD.sub("", m.group(1)) if m else ""


_SECTION_GRANT = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:补贴|奖励|补助|津贴|贴息|资助|支持))")
_CHAPTER_HEAD = re.compile(r"^第[一二三四五六七八九十]+[章节条]")


def section_name(doc: Document, p: Provision) -> str:
    """The grant noun of the nearest enclosing heading ("第二章 基础补贴" → 基础补贴)."""
    by_cid = {q.cid: q for q in doc.provisions}
    parent = by_cid.get(p.parent or "")
    while parent is not None:
        m = _SECTION_GRANT.search(work_text(parent.text)[:30])
        if m:
            return _CHAPTER_HEAD.sub("", m.group(1))
        parent = by_cid.get(parent.parent or "")
    return ""


_SERVICE_WORDS = re.compile(r"免费|服务|提供|的")


def service_row(name: str, rows: list[list[str]], strict: bool = False) -> list[str] | None:
    """The tariff row for a free service: most shared characters with the service's name.

    ``strict`` asks for the whole row head inside the name (上门理发 in "上门理发服务").
    """
    core = _SERVICE_WORDS.sub("", name)
    if strict:
        hits = [c for c in rows if c and len(c[0]) >= 2 and c[0] in core and MONEY.search("".join(c))]
        return hits[0] if hits else None
    best, best_score = None, 0.0
    for cells in rows:
        if not cells or not MONEY.search("".join(cells)):
            continue
        head = cells[0]
        shared = len(set(core) & set(head))
        score = shared / max(1, len(set(core)))
        if shared and score > best_score:
            best, best_score = cells, score
    return best


def document_district(doc: Document) -> str | None:
    """The district of a district document (区级文件), else None for a city document."""
    if doc.district:
        return doc.district
    from .conditions import BEIJING_DISTRICTS
    head = " ".join([doc.title or "", " ".join(doc.issuers or []), doc.doc_number or "", work_text(doc.text[:300])])
    for d in BEIJING_DISTRICTS:
        if d in head or f"北京市{d}" in head:
            return d
    if doc.doc_number:
        for d in BEIJING_DISTRICTS:
            if doc.doc_number.startswith(d[0]) and not doc.doc_number.startswith("京"):
                return d
    return None


def scope_clauses(doc: Document) -> list[tuple[Provision, str]]:
    out = []
    for p in doc.provisions:
        if "适用" not in p.text and "对象" not in p.text:
            continue
        t = work_text(p.text)
        m = SCOPE.search(t)
        if m:
            end = t.find("。", m.end())
            out.append((p, t[m.start(): end if end > 0 else len(t)]))
    return out


def qualification_clauses(doc: Document) -> list[tuple[Provision, str]]:
    out = []
    for p in doc.provisions:
        if "条件" not in p.text:
            continue
        t = work_text(p.text)
        if QUALIFY.search(t):
            out.append((p, t))
    return out


_STACKING_WORDS = re.compile(r"重复|差额|就高|叠加|同时享受|再申请")


def non_stacking_notes(doc: Document) -> list[str]:
    out = []
    for p in doc.provisions:
        if not _STACKING_WORDS.search(p.text):
            continue
        for s in sentences(work_text(p.text)):
            if NON_STACKING.search(s) and s not in out:
                out.append(s)
    return out
