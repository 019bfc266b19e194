"""Conditions by their real names (data/condition_phrases.tsv), kinds of benefit, amounts and tiers,
who benefits, defined terms and document-wide scope — rows of real corpus text."""

from __future__ import annotations

import pytest

from zhengce.extract.benefits import extract_benefits
from zhengce.extract.benefits.amounts import parse_amount
from zhengce.extract.benefits.conditions import enterprise_conditions, org_type_conditions, person_conditions
from zhengce.extract.benefits.kinds import benefit_kind
from zhengce.extract.benefits.tiers import tiers_of
from zhengce.extract.benefits.units import beneficiary_of, subject_of, work_text
from zhengce.extract.benefits.vocab import phrases

from conftest import ROOT, corpus_file

GOVCN = ROOT.parent / "shared" / "eval" / "govcn" / "corpus"


def _fields(conds):
    return {(c.field, c.op, str(sorted(c.value) if isinstance(c.value, list) else c.value)) for c in conds}


VOCAB = [
    # beijing-private-enterprise-policies-2021q4.txt:2988: the venue by its market names
    ("支持企业在 A 股或境外主要证券交易所上市", {("listing", "in", "['A股', '境外']")}),
    # beijing-private-enterprise-policies-2021q4.txt:1591: 上市企业 = any exchange; 挂牌 = 新三板
    ("对上市企业、新三板挂牌企业予以资金奖励", {("listing", "in", "['A股', '北交所', '境外', '新三板']")}),
    # beijing-private-enterprise-policies-2021q4.txt:1572: the NEEQ and the BSE by name, not a firm size
    ("支持“专精特新”企业在全国中小企业股份转让系统挂牌或北京证券交易所上市",
     {("listing", "in", "['北交所', '新三板']"), ("certifications", "has_any", "['专精特新中小企业']")}),
    # beijing-private-enterprise-policies-2021q4.txt:3124: both certificates, and no size from 中小企业
    ("本政策适用于国家和市级“专精特新”中小企业及“小巨人”企业",
     {("certifications", "has_any", "['专精特新中小企业', '专精特新小巨人']")}),
    # beijing-private-enterprise-policies-2021q4.txt:2923: 小巨人 alone
    ("对迁入本市的国家级专精特新“小巨人”企业给予一次性奖励", {("certifications", "has_any", "['专精特新小巨人']")}),
    # beijing-private-enterprise-policies-2021q4.txt:1611: the SME scope by its standard's name
    ("以上政策措施适用于符合工业和信息化部、国家统计局、国家发展改革委、财政部《关于印发中小企业划型标准规定的通知》"
     "(工信部联企业〔2011〕300号)且在北京注册的中小企业", {("size", "in", "['medium', 'micro', 'small']")}),
    # beijing-private-enterprise-policies-2021q4.txt:1323, 1343: taxpayer type and industry
    ("继续将小规模纳税人免征增值税优惠政策", {("taxpayer", "eq", "small-scale")}),
    ("将制造业企业研发费用加计扣除比例提高到100%", {("industries", "has_any", "['制造业']")}),
    # beijing-private-enterprise-policies-2021q4.txt:3091: a service voucher's name is no size
    ("通过中小企业服务券支持企业购买优质服务产品", set()),
]


@pytest.mark.parametrize("snippet,expected", VOCAB)
def test_enterprise_conditions_by_real_names(snippet, expected):
    assert _fields(enterprise_conditions(work_text(snippet), "x")) == expected


ORG_TYPES = [
    # xicheng-gazette-2022.txt:4615
    ("本区经营性人力资源服务机构为重点群体提供就业服务", ["人力资源"]),
    # xicheng-gazette-2022.txt:4478
    ("取得本区职业技能培训资质的培训机构", ["培训"]),
    # content_5345808.htm 国发〔2018〕39号（四）
    ("对创业孵化基地给予一定奖补", ["孵化", "众创"]),
    # xicheng-gazette-2022.txt:4203
    ("本区社会公益性就业组织根据安置符合条件的就业困难人员人数申请岗位补贴", ["公益性就业组织"]),
]


@pytest.mark.parametrize("snippet,subs", ORG_TYPES)
def test_org_types_named_in_the_text(snippet, subs):
    (c,) = org_type_conditions(work_text(snippet), "x")
    assert (c.field, c.op, c.value) == ("org_type", "like", subs)


def test_states_in_a_list_are_alternatives():
    # xicheng-gazette-2022.txt:3313 (第三条(二)): 失能、失智、高龄 — any of them; 失智 keeps its words
    conds = person_conditions(work_text("低保和低收入家庭的失能、失智、高龄老年人"), "西城区", "x")
    assert ("assistance", "has_any", "['低保', '低收入']") in _fields(conds)
    (alt,) = [c for c in conds if c.op == "any"]
    assert [[(s.field, s.op) for s in a] for a in alt.any_of] == [[("disability", "in")], [("", "unexpressed")],
                                                                  [("age", "ge")]]
    assert alt.any_of[1][0].label == "失智" and alt.any_of[2][0].value == 80


def test_vocabulary_lines_name_their_source():
    # every line is data an officer can edit; each listing venue line says where it was seen
    rows = phrases()
    assert {r.field for r in rows} >= {"listing", "certifications", "org_type", "assistance", "disability", "age"}
    assert all(r.source for r in rows if r.field == "listing")


KINDS = [
    # beijing-private-enterprise-policies-2021q4.txt:1343, 1323, 1351, 1370, 1392
    ("将制造业企业研发费用加计扣除比例提高到100%", "tax_deduction"),
    ("免征进口关税和进口环节增值税、消费税，采购…规定清单内的国产设备全额退还增值税", "tax_exemption"),
    ("减半征收企业所得税优惠政策执行期限延长至2022年底", "tax_reduction"),
    ("免收小微企业卡、单位结算卡跨行转账汇款手续费", "fee_cut"),
    ("对小微企业信用贷款和知识产权质押融资给予贴息支持", "interest_subsidy"),
    # content_5345808.htm 国发〔2018〕39号（一）（二）（三）（四）
    ("可返还其上年度实际缴纳失业保险费的50%", "insurance_refund"),
    ("优先为符合条件的小微企业提供低费率的担保支持", "guarantee"),
    ("可申请最高不超过15万元的创业担保贷款", "loan"),
    ("为失业人员自主创业免费提供经营场地", "free_service"),
    # xicheng-gazette-2022.txt:4342: rent support
    ("按照每年实际房租金额申请补贴，最高不超过4万元", "rent_support"),
]


@pytest.mark.parametrize("snippet,kind", KINDS)
def test_kind_of_benefit(snippet, kind):
    assert benefit_kind(work_text(snippet)) == kind


TIERS = [
    # xicheng-gazette-2022.txt:4567: by scale, each tier with its condition
    ("规模在 30 人(含)至 50 人, 可申请 2 万元技能竞赛补贴; 规模在 50 人(含)至 100 人, 可申请 3 万元技能竞赛补贴; "
     "规模在 100 人以上(含)的, 可申请 5 万元技能竞赛补贴。",
     [("规模在30人（含）至50人", 20000), ("规模在50人（含）至100人", 30000), ("规模在100人以上（含）", 50000)]),
    # xicheng-gazette-2022.txt:4501: a parallel list of ranks
    ("培养出的高技能人才取得高级工、技师、高级技师国家职业资格或职业技能等级证书的,分别按照每人2000元、2500元、3000元标准申请职业培训补贴。",
     [("高级工", 2000), ("技师", 2500), ("高级技师", 3000)]),
    # xicheng-gazette-2022.txt:4237: by year of employment
    ("在劳动合同履行期限内, 每满一年, 依次按照每人每年 6000 元、9000 元、1.2 万元标准申请岗位补贴, 最长不超过三年。",
     [("第一年", 6000), ("第二年", 9000), ("第三年", 12000)]),
    # xicheng-gazette-2022.txt:3348: by kind of care
    ("按照驿站实际收住老年人情况，日间托养每人每天给予 15 元的托养补贴，短期托养每人每天给予 30 元的托养补贴。", []),
]


@pytest.mark.parametrize("snippet,expected", TIERS)
def test_tiers_of_one_rule(snippet, expected):
    got = [(t["label"], t["yuan"]) for t in tiers_of(work_text(snippet))]
    if expected:
        assert got == expected
    else:  # one sentence, two tiers: both figures kept, the top one is the amount
        assert [y for _, y in got] == [15, 30]


AMOUNTS = [
    # content_5345808.htm 国发〔2018〕39号（三）: a loan's ceiling is its amount
    ("符合创业担保贷款申请条件的人员自主创业的，可申请最高不超过15万元的创业担保贷款。", 150000, None, None),
    # xicheng-gazette-2022.txt:4203: a rate kept as a rate
    ("本区社会公益性就业组织根据安置符合条件的就业困难人员人数申请岗位补贴，岗位补贴标准为本市全口径城镇单位就业人员平均工资的70%。",
     None, None, 70.0),
    # xicheng-gazette-2022.txt:3374: a share of the cost with a ceiling
    ("按照审定金额的 50% 予以一次性进行资助，最高不超过 30 万元。", 300000, "one-off", 50.0),
]


@pytest.mark.parametrize("snippet,yuan,per,percent", AMOUNTS)
def test_amount_semantics(snippet, yuan, per, percent):
    a = parse_amount(work_text(snippet))
    assert (a.max_yuan, a.per, a.percent) == (yuan, per, percent)


RECIPIENTS = [
    # xicheng-gazette-2022.txt:3330: the person who signs with the 驿站 benefits, not the 驿站
    ("基本养老服务对象与驿站签订服务协议，方可无偿享受基本养老服务。", "person"),
    # beijing-private-enterprise-policies-2021q4.txt:1370: the bank waives, the firm benefits
    ("辖内银行卡清算机构免收小微企业卡、单位结算卡跨行转账汇款手续费。", "enterprise"),
    # content_5345808.htm 国发〔2018〕39号（三）
    ("小微企业当年新招用符合创业担保贷款申请条件的人员数量达到企业现有在职职工人数25%的，可申请最高不超过300万元的创业担保贷款。",
     "enterprise"),
]


@pytest.mark.parametrize("snippet,kind", RECIPIENTS)
def test_who_benefits_is_read_from_the_granting_clause(snippet, kind):
    t = work_text(snippet)
    assert beneficiary_of(subject_of(t), t) == kind


def test_recipient_is_the_nearest_dui():
    # beijing-private-enterprise-policies-2021q4.txt:1589-1591
    t = work_text("对完成上市挂牌的企业，帮助对接金融机构提供股票质押、并购融资、定向增发等金融服务，对上市企业、新三板挂牌企业予以资金奖励。")
    assert subject_of(t) == "上市企业、新三板挂牌企业"


@pytest.fixture(scope="module")
def docs():
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source
    out = {}
    for f in ("xicheng-gazette-2022.txt", "beijing-private-enterprise-policies-2021q4.txt"):
        for d in parse_source(read_source(corpus_file(f))):
            out[d.doc_number or d.short_title or d.title] = d
    out["国发〔2018〕39号"] = next(d for d in parse_source(read_source(GOVCN / "content_5345808.htm")))
    return out


def _rule(rules, quote):
    hits = [r for r in rules if work_text(quote) in work_text(r.text)]
    assert hits, quote
    return min(hits, key=lambda r: len(r.text))


def test_defined_term_carries_its_conditions(docs):
    # xicheng-gazette-2022.txt:3321-3330 (西民发〔2022〕3号 第三条, 第四条): a person benefit in a document about
    # the operation of service stations; 基本养老服务对象 as 第三条 defines it
    rule = _rule(extract_benefits(docs["西民发〔2022〕3号"]), "方可无偿享受基本养老服务")
    assert rule.beneficiary == "person" and rule.kind == "free_service"
    f = _fields(rule.conditions)
    assert ("hukou", "ne", "外地") in f and ("age", "ge", "60") in f
    (alts,) = [c for c in rule.conditions if c.op == "any"]
    assert len(alts.any_of) == 4
    assert not any(c.op == "unexpressed" and "签订" in c.label for c in rule.conditions)


def test_granted_thing_is_not_a_condition(docs):
    # beijing-private-enterprise-policies-2021q4.txt:2895: a free service to the firm; scope at :3124
    doc = next(d for k, d in docs.items() if "专精特新" in k)
    rule = _rule(extract_benefits(doc), "为企业免费开展智能、绿色诊断评估")
    assert not [c for c in rule.conditions if c.op == "unexpressed"]
    assert ("certifications", "has_any", "['专精特新中小企业', '专精特新小巨人']") in _fields(rule.conditions)
    assert rule.scope and rule.scope[0].startswith("本政策适用于")
    # :2988 the listing venue is a condition on `listing`, not an act left unexpressed
    listed = _rule(extract_benefits(doc), "支持企业在新三板挂牌并给予资金补贴")
    assert ("listing", "in", "['新三板']") in _fields(listed.conditions)
    assert not [c for c in listed.conditions if c.op == "unexpressed"]


def test_national_document_has_no_beijing_condition(docs):
    # content_5345808.htm 国发〔2018〕39号: a State Council document applies everywhere
    rules = extract_benefits(docs["国发〔2018〕39号"])
    assert rules and not any(c.field == "registered_in_beijing" for r in rules for c in r.conditions)
    loan = _rule(rules, "可申请最高不超过300万元的创业担保贷款")
    assert (loan.beneficiary, loan.kind, loan.amount.max_yuan) == ("enterprise", "loan", 3_000_000)
    assert ("size", "in", "['micro', 'small']") in _fields(loan.conditions)


def test_second_recipient_in_one_sentence_is_its_own_benefit(docs):
    # xicheng-gazette-2022.txt:4619: 人才服务奖励 for the agency, 人才引进补贴 for the employer
    rules = extract_benefits(docs["西人社发〔2022〕8号"])
    agency = _rule(rules, "按照服务费的10%申请人才服务奖励")
    employer = _rule(rules, "同时用人单位可按照服务费的10%申请人才引进补贴")
    assert agency.id != employer.id
    assert (agency.beneficiary, employer.beneficiary) == ("organization", "enterprise")
    assert employer.amount.percent == 10 and employer.amount.base == "服务费"
