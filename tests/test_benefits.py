"""Benefit rule units: amounts, conditions and whole-document extraction on real corpus text."""

from __future__ import annotations

import pytest

from zhengce.extract.benefits import extract_benefits
from zhengce.extract.benefits.amounts import parse_amount
from zhengce.extract.benefits.conditions import person_conditions
from zhengce.extract.benefits.units import work_text

from conftest import corpus_file

AMOUNTS = [
    # xicheng-gazette-2022.txt:3728 (西民发〔2022〕8号 第九条)
    ("签约养老家庭照护床位的本区户籍重度失能老年人或重度残疾老年人,区财政给予一次性限额3000元的基础服务设备补贴",
     3000, "one-off", []),
    # xicheng-gazette-2022.txt:3785: the 500/100 split is part of the 600
    ("按照每床每月600元给予床位运营基础服务补贴，其中市财政给予每床每月500元的补贴，区财政给予每床每月100元的补贴。",
     600, "per bed per month", []),
    # xicheng-gazette-2022.txt:4239: a year-by-year schedule, 万元 converted
    ("上述人员 (不含享受最低生活保障待遇的登记失业人员) 实现稳定就业, 在劳动合同履行期限内, 每满一年, "
     "依次按照每年 6000 元、9000 元、1.2 万元标准申请就业奖励, 最长不超过三年。", 12000, "per year", [6000, 9000, 12000]),
    # xicheng-gazette-2022.txt:3412
    ("驿站连锁运营补贴分三年发放到位，运营满一年、二年、三年的分别按照 1 万元、1 万元、3 万元予以发放。",
     30000, None, [10000, 10000, 30000]),
    # beijing-private-enterprise-policies-2021q4.txt:3224: revenue thresholds are conditions, not grants
    ("对高端仪器装备和传感器产业企业年度营业收入首次突破 1 亿元、5 亿元、10 亿元、20 亿元或 50 亿元的，给予相应额度的一次性资金奖励。",
     None, "one-off", []),
    # beijing-private-enterprise-policies-2021q4.txt:1388: a fund's size is not a grant
    ("用好支小再贷款，每年安排 30 亿元用于科技型小微企业金融产品", None, "per year", []),
]


@pytest.mark.parametrize("snippet,yuan,per,schedule", AMOUNTS)
def test_amounts(snippet, yuan, per, schedule):
    a = parse_amount(work_text(snippet))
    assert a.max_yuan == yuan
    assert a.per == per
    assert a.schedule == schedule


def test_cap_is_kept_apart():
    # beijing-private-enterprise-policies-2021q4.txt:3063
    a = parse_amount(work_text("给予 200万元奖励，单个企业年奖励额不超过 1000万元(市经济和信息化局)"))
    assert a.max_yuan == 2_000_000
    assert any("1000万元" in c for c in a.caps)


def _fields(conds):
    return {(c.field, c.op, str(c.value)) for c in conds}


CONDITIONS = [
    # xicheng-gazette-2022.txt:3142
    ("为西城区户籍并居住在西城区的、无洗澡条件的、年龄在60-79岁的低保、低收入老人",
     {("hukou", "eq", "西城区"), ("residence_district", "eq", "西城区"), ("age", "between", "[60, 79]"),
      ("assistance", "has_any", "['低保', '低收入']")}),
    # xicheng-gazette-2022.txt:3146
    ("有需求的年龄在60-79岁的低保、低收入的空巢老人",
     {("age", "between", "[60, 79]"), ("assistance", "has_any", "['低保', '低收入']"), ("lives_alone", "is_true", "True")}),
    # xicheng-gazette-2022.txt:3728: 本区 resolves to the document's district
    ("签约养老家庭照护床位的本区户籍重度失能老年人或重度残疾老年人",
     {("hukou", "eq", "西城区"), ("disability", "in", "['severe']"), ("age", "ge", "60")}),
]


@pytest.mark.parametrize("phrase,expected", CONDITIONS)
def test_person_conditions(phrase, expected):
    assert _fields(person_conditions(work_text(phrase), "西城区", "x")) == expected


def test_alternatives_become_any():
    # xicheng-gazette-2022.txt:3694 (第四条 服务对象): two populations joined by 以及
    conds = person_conditions(work_text(
        "具有本市户籍且实际居家生活在本区内年满60周岁的中、重度失能老年人或残疾老年人，以及年满80周岁的高龄且独居老年人"),
        "西城区", "x")
    assert ("hukou", "ne", "外地") in _fields(conds)
    anys = [c for c in conds if c.op == "any"]
    assert len(anys) == 1
    alts = [_fields(alt) for alt in anys[0].any_of]
    assert ("age", "ge", "60") in alts[0] and ("disability", "in", "['moderate', 'severe']") in alts[0]
    assert alts[1] == {("age", "ge", "80"), ("lives_alone", "is_true", "True")}


@pytest.fixture(scope="module")
def xicheng_docs():
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source
    return {d.key: d for d in parse_source(read_source(corpus_file("xicheng-gazette-2022.txt")))}


def _rule_containing(rules, quote):
    hits = [r for r in rules if quote in work_text(r.text)]
    assert hits, quote
    return min(hits, key=lambda r: len(r.text))


def test_tariff_table_prices_free_services(xicheng_docs):
    # xicheng-gazette-2022.txt:3142-3146 + the 附件2 table: 洗浴 30元 + 同性家属陪同另加30元
    doc = next(d for d in xicheng_docs.values() if d.doc_number == "西民发〔2022〕2号")
    rules = extract_benefits(doc)
    bath = _rule_containing(rules, "提供免费洗澡服务")
    assert bath.amount.max_yuan == 60
    assert any(c.op == "unexpressed" and "洗澡条件" in c.label for c in bath.conditions)
    haircut = _rule_containing(rules, "提供上门理发服务")
    assert haircut.amount.max_yuan == 30


def test_scope_clause_applies_to_every_person_item(xicheng_docs):
    # xicheng-gazette-2022.txt:3694 服务对象 applies to 第十一条(七) 免费理发 (no conditions of its own)
    doc = next(d for d in xicheng_docs.values() if d.doc_number == "西民发〔2022〕8号")
    rules = extract_benefits(doc)
    haircut = _rule_containing(rules, "每月安排免费理发")
    assert haircut.beneficiary == "person"
    assert any(c.op == "any" for c in haircut.conditions)
    assert haircut.scope
    # the bed subsidy to the 养老服务机构 is an organisation's benefit (xicheng-gazette-2022.txt:3785)
    org = _rule_containing(rules, "按照每床每月600元")
    assert org.beneficiary == "organization" and org.amount.max_yuan == 600
    # non-stacking note (差额给予) is carried
    special = _rule_containing(rules, "低保家庭中年满60周岁")
    assert any("差额" in n for n in special.non_stacking)


def test_rule_ids_are_stable(xicheng_docs):
    doc = next(d for d in xicheng_docs.values() if d.doc_number == "西民发〔2022〕8号")
    assert [r.id for r in extract_benefits(doc)] == [r.id for r in extract_benefits(doc)]
    assert all(r.id.startswith(r.cid + "#") for r in extract_benefits(doc))


def test_exclusion_is_negated():
    # xicheng-gazette-2022.txt:4239: the excluded group is 低保 AND 登记失业 → not 低保 or not 登记失业
    conds = person_conditions(work_text("上述人员 (不含享受最低生活保障待遇的登记失业人员) 实现稳定就业"), "西城区", "x")
    anys = [c for c in conds if c.op == "any"]
    assert len(anys) == 1
    assert [[(s.field, s.op, s.value) for s in alt] for alt in anys[0].any_of] == [
        [("assistance", "not_in", ["低保"])], [("employment", "not_in", ["registered-unemployed"])]]


def test_above_people_are_read_from_the_previous_provision(xicheng_docs):
    # xicheng-gazette-2022.txt:4237-4239: "上述人员" are the 本区户籍 登记失业人员、应届高校毕业生、退役士兵…
    doc = next(d for d in xicheng_docs.values() if d.doc_number == "西人社发〔2022〕8号")
    award = _rule_containing(extract_benefits(doc), "依次按照每年6000元")
    assert award.beneficiary == "person" and award.amount.max_yuan == 12000
    got = {(c.field, c.op) for c in award.conditions}
    assert ("hukou", "eq") in got and ("employment", "in") in got


@pytest.fixture(scope="module")
def plan_and_compilation():
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source
    return (parse_source(read_source(corpus_file("beijing-business-environment-plan-2021.txt")))
            + parse_source(read_source(corpus_file("beijing-private-enterprise-policies-2021q4.txt"))))


def test_materials_are_an_announced_list_not_numbered_prose(xicheng_docs, plan_and_compilation):
    """申请材料 is read from a list a heading or a "…材料包括：" sentence announces; the words in
    prose ("申请材料压减74%", beijing-business-environment-plan-2021.txt:212) announce nothing."""
    from zhengce.extract.benefits.apply import document_apply_info
    by_number = {d.doc_number: d for d in xicheng_docs.values()}
    # xicheng-gazette-2022.txt:4241-4246: "（二）岗位补贴申请材料" and its numbered items
    got = document_apply_info(by_number["西人社发〔2022〕8号"])["materials"]
    assert got[:2] == ["西城区岗位补贴申请报告（附件1）", "《营业执照》、《民办非企业单位登记证书》副本原件及复印件"]
    # beijing-private-enterprise-policies-2021q4.txt:3322-3323: items written on after the colon
    green = next(d for d in plan_and_compilation
                 if any("申报材料包括" in p.text for p in d.provisions))
    assert document_apply_info(green)["materials"][:3] == ["北京市绿色技术相关申报表及报告", "营业执照复印件",
                                                           "研发人才团队的证明文件"]
    plan = next(d for d in plan_and_compilation if d.doc_number == "京政发〔2021〕24号")
    assert "materials" not in document_apply_info(plan)  # its numbered paragraphs are measures
