"""有问即答 knows what was asked: question analysis, abstention, eligibility, readable composition.

Questions are real ones over xicheng-gazette-2022.txt and beijing-private-enterprise-policies-2021q4.txt;
each abstention case is paired with the answerable question it was made from (year, subject or asked
fact changed), so a rule that refuses everything fails the pair as surely as one that answers
everything.
"""

from __future__ import annotations

import pytest

from zhengce.answer import ABSTAIN_PREFIX, ask
from zhengce.answer.eligibility import profile_from
from zhengce.answer.question import analyze

from conftest import corpus_file

XICHENG = "xicheng-gazette-2022.txt"
PRIVATE = "beijing-private-enterprise-policies-2021q4.txt"


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    from zhengce.library import Library
    tmp = tmp_path_factory.mktemp("answer-rules")
    lib = Library(url=f"sqlite:///{tmp}/t.db", data_dir=tmp)
    lib.ingest([corpus_file(XICHENG), corpus_file(PRIVATE)])
    yield lib
    lib.engine.dispose()


# -- question analysis: (question, fact kind, years, districts, figures) -------------------------
@pytest.mark.parametrize(("question", "fact", "years", "places", "figures"), [
    ("西城区2022年计划新增多少张家庭养老照护床位？这件实事由哪个部门负责？", "count", [2022], ["西城区"], []),
    ("我们驿站做日间托养，西城区每位老人每天补贴多少？", "amount", [], ["西城区"], []),
    ("提供家庭照护床位服务的机构买综合责任保险，西城区财政补贴多大比例？", "rate", [], ["西城区"], []),
    ("西城区养老驿站每月几号前要向街道提交补贴申请？", "deadline", [], ["西城区"], []),
    ("北京分时租赁企业不干了，要提前多少天向社会公告？", "duration", [], [], []),
    ("北京2018—2020年优化营商环境行动计划对企业开办时间定了什么目标？", "what", [2018, 2020], [], []),
    ("高端仪器装备和传感器企业年营业收入首次突破1亿元，奖励多少钱？", "amount", [], [], ["1亿元"]),
    ("婴幼儿照护服务示范城市创建，区级申报的截止时间是什么时候？向哪些部门提交？", "deadline", [], [], []),
    ("就业见习补贴范围扩大到了多大年龄的失业青年？", "age", [], [], []),
    ("北京对小微企业信用贷款贴息的比例是多少？", "rate", [], [], []),
    ("我们是外地户口，孩子今年要在西城上小学，租房这块需要准备哪些证明材料？", "how", [], ["西城区"], []),
    ("生态涵养区结对协作中，通州区对口帮扶的是哪个区？", "what", [], ["通州区"], []),
])
def test_question_analysis(question, fact, years, places, figures):
    q = analyze(question)
    assert (q.fact, q.years, q.places, q.figures) == (fact, years, places, figures)


def test_duration_question_names_its_unit():
    # "几个工作日" is not answered by "3个月" (xicheng-gazette-2022.txt:3764 "在5个工作日内将相关信息录入")
    need = analyze("机构要在几个工作日内录入管理信息系统？").needs()
    assert need.search("在5个工作日内将相关信息录入") and not need.search("1个月内完成全部人员的新签约")
    # a year is not a duration: "到2018年底" does not say how long
    assert not analyze("多少年内完成？").needs().search("到2018年底")


# -- answer only what the text states ----------------------------------------------------------
@pytest.mark.parametrize(("answerable", "fact", "unanswerable", "why"), [
    # year changed: xicheng-gazette-2022.txt:2900 "18. 新增家庭养老照护床位500张" is the 2022 实事
    ("西城区2022年计划新增多少张家庭养老照护床位？", "500张",
     "西城区2023年计划新增多少张家庭养老照护床位？", "2023"),
    # place changed: the same 实事 is 西城区's, not 东城区's
    ("西城区2022年计划新增多少张家庭养老照护床位？", "500张",
     "东城区2022年计划新增多少张家庭养老照护床位？", "东城区"),
    # subject changed: xicheng-gazette-2022.txt:3366 "日间托养每人每天给予15元的托养补贴" (no 夜间托养)
    ("我们驿站做日间托养，西城区每位老人每天补贴多少？", "15元",
     "我们驿站做夜间托养，西城区每位老人每天补贴多少？", "夜间"),
    # asked fact changed: :3819 "保险费用由区财政补贴80%" gives a share, never the premium itself
    ("提供家庭照护床位服务的机构买综合责任保险，西城区财政补贴多大比例？", "80%",
     "西城区照护床位机构买的综合责任保险，一年保费是多少钱？", "金额"),
    # the figure the question gives is not the answer: beijing-private-enterprise-policies-2021q4.txt
    # "营业收入首次突破1亿元、5亿元…的，给予相应额度的一次性资金奖励" names no sum
    ("中小企业线上线下招聘专场每年不少于多少场？", "50场",
     "高端仪器装备和传感器企业年营业收入首次突破1亿元，奖励多少钱？", "金额"),
    # a figure from another sentence of the same document does not answer: the 招聘专场 sentence
    # states a count, not a subsidy per 场
    ("中小企业线上线下招聘专场每年不少于多少场？", "50场",
     "北京中小企业线上线下招聘专场，每场给企业补贴多少钱？", "金额"),
])
def test_abstains_when_the_text_does_not_state_it(lib, answerable, fact, unanswerable, why):
    a = ask(lib, answerable, rewrite=False)
    assert not a.abstained and fact in a.text
    b = ask(lib, unanswerable, rewrite=False)
    assert b.abstained and b.text.startswith(ABSTAIN_PREFIX) and not b.sentences
    assert why in b.reason
    assert b.passages  # the nearest provisions are listed


# -- eligibility goes through the rules ----------------------------------------------------------
@pytest.mark.parametrize(("question", "profile"), [
    ("我妈72岁，西城户口也住在西城，家里是低保户", {"kind": "person", "age": 72, "hukou": "西城区",
                                              "residence_district": "西城区", "assistance": ["低保"]}),
    ("我85岁，西城户口住在西城，不是低保也不是低收入", {"kind": "person", "age": 85, "hukou": "西城区",
                                                "residence_district": "西城区"}),
    ("我们是市级专精特新企业，注册在西城", {"kind": "enterprise", "district": "西城区",
                                   "certifications": ["专精特新中小企业"]}),
])
def test_profile_from_question(question, profile):
    assert profile_from(analyze(question)) == profile


def test_eligible_when_the_asker_states_every_condition(lib):
    # xicheng-gazette-2022.txt:3144 "(一)为西城区户籍并居住在西城区的、无洗澡条件的、年龄在60-79岁的低保、
    # 低收入老人提供免费洗澡服务"; :3260 fee table "洗浴 30元 需同性家属陪同时，另加30元"
    a = ask(lib, "我妈72岁，西城户口也住在西城，家里是低保户，自己家没条件洗澡。街道那个免费洗澡的服务她能用吗？"
                 "一次补贴多少钱？", rewrite=False)
    assert a.verdict == "可以" and a.direct.startswith("可以")
    lines = a.text.splitlines()
    assert lines[0].startswith("可以") and lines[0].endswith("[西民发〔2022〕2号/一/(一)]")
    assert "60-79岁" in a.text and "洗浴：补贴标准30元" in a.text
    assert "社区服务站" in a.apply


def test_possibly_eligible_names_the_conditions_to_check(lib):
    # xicheng-gazette-2022.txt:3146 上门理发 needs 户籍, residence and 空巢 besides age and 低保
    a = ask(lib, "我是西城区70岁的低保老人，上门理发有补贴吗？", rewrite=False)
    assert a.verdict == "可能可以"
    assert "空巢/独居" in a.conditions and "空巢" in a.direct
    assert "上门理发：服务频次每月1次，补贴标准30元" in a.text or "30元" in a.amount


def test_not_eligible_names_the_failed_condition(lib):
    a = ask(lib, "我85岁，西城户口住在西城，能享受免费代换液化气罐服务吗？", rewrite=False)
    assert a.verdict == "不可以" and "年龄60至79周岁" in a.conditions
    assert a.text.splitlines()[0].startswith("不可以")


# -- readable composition ------------------------------------------------------------------------
def test_table_row_rendered_with_its_header(lib):
    # xicheng-gazette-2022.txt:3258-3259 "项目名称	服务频次	补贴标准	备注" / "上门理发	每月1次	30元"
    a = ask(lib, "西城区上门理发服务每次补贴多少钱？", rewrite=False)
    assert not a.abstained
    assert "上门理发：服务频次每月1次，补贴标准30元" in a.text


def test_direct_answer_first_and_nothing_unrelated(lib):
    # xicheng-gazette-2022.txt:3344 "驿站按照实际签约服务的基本养老服务对象人数，每人每月给予180元补贴。"
    a = ask(lib, "西城区社区养老服务驿站按签约服务的基本养老服务对象人数补贴，每人每月给多少钱？", rewrite=False)
    first = a.text.splitlines()[0]
    assert "180元" in first and a.direct and "180元" in a.direct
    assert len(a.text.splitlines()) <= 2
    assert "理发" not in a.text and "洗澡" not in a.text


def test_same_answer_through_api_and_page(lib):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    q = "我是西城区70岁的低保老人，上门理发有补贴吗？"
    direct = ask(lib, q, rewrite=False)
    with TestClient(create_app(lib)) as c:
        body = c.get("/api/ask", params={"q": q}).json()
        page = c.get("/ask", params={"q": q}).text
    assert body["ok"] and body["verdict"] == direct.verdict and body["text"] == direct.text
    assert body["conditions"] == direct.conditions
    assert direct.direct in page and "还需核实" in page


def test_same_rules_on_both_stores(library):
    # xicheng-gazette-2022.txt:2900 "18. 新增家庭养老照护床位500张" / :2904 "主要责任单位：区民政局";
    # PostgreSQL answers through its own full-text path, with the same checks
    library.ingest([corpus_file(XICHENG)])
    a = ask(library, "西城区2022年计划新增多少张家庭养老照护床位？这件实事由哪个部门负责？", rewrite=False)
    assert not a.abstained and "500张" in a.text and "区民政局" in a.text
    b = ask(library, "西城区2023年计划新增多少张家庭养老照护床位？", rewrite=False)
    assert b.abstained and "2023" in b.reason
    c = ask(library, "我85岁，西城户口住在西城，能享受免费代换液化气罐服务吗？", rewrite=False)
    assert c.verdict == "不可以"
