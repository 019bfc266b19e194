"""National and provincial task forms on real State Council pages (../shared/eval/govcn/corpus):
"（…负责。列第一位者为牵头单位，下同）" conventions carried through later items, "（负责部门：…；适用
范围：…）", "A等和各有关省级人民政府负责", "XX要…"/"请XX…" sentences with deadlines in the text.

Each page's paragraphs (the ``<p>`` of the article, as a user copies them from the page) are
written to a text file and ingested, so the test runs the real outline and extraction."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from zhengce.extract.agencies import registry
from zhengce.extract.deadlines import in_text
from zhengce.extract.tasks import extract_tasks
from zhengce.ingest import parse_source
from zhengce.sources import read_source

GOVCN = Path(__file__).resolve().parents[1] / ".." / "shared" / "eval" / "govcn" / "corpus"
if not GOVCN.is_dir():
    GOVCN = Path("/work/shared/eval/govcn/corpus")


class _Paragraphs(HTMLParser):
    """The text of each <p> inside the article cell (id UCAP-CONTENT)."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # >0 inside the article
        self.out: list[str] = []
        self.buf: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("id") == "UCAP-CONTENT":
            self.depth = 1
        elif self.depth and tag == "td":
            self.depth += 1
        if self.depth and tag == "p":
            self.buf = []

    def handle_endtag(self, tag):
        if self.depth and tag == "p" and self.buf is not None:
            self.out.append("".join(self.buf).strip())
            self.buf = None
        elif self.depth and tag == "td":
            self.depth -= 1

    def handle_data(self, data):
        if self.buf is not None:
            self.buf.append(data)


def page_tasks(name: str, tmp_path: Path, cut: tuple[int, int] | None = None):
    """Tasks of a govcn page read as copied text; ``cut`` drops paragraphs [a, b) (1-based)."""
    p = _Paragraphs()
    p.feed((GOVCN / name).read_text(encoding="utf-8"))
    paras = p.out
    if cut:
        paras = paras[:cut[0] - 1] + paras[cut[1] - 1:]
    path = tmp_path / (name.replace(".htm", ".txt"))
    path.write_text("\n".join(paras) + "\n", encoding="utf-8")
    docs = parse_source(read_source(path))
    return [t for d in docs for t in extract_tasks(d)]


def find(tasks, quote: str):
    (t,) = [t for t in tasks if quote in t.full_text]
    return t


# content_5345808.htm (国发〔2018〕39号) paragraph 8 ends "（人力资源社会保障部、财政部负责。列第一位者为牵头
# 单位，下同）": every later list is ranked by it.
@pytest.mark.parametrize("quote,lead,co", [
    ("加大稳岗支持力度", ["人力资源社会保障部"], ["财政部"]),  # the item that states the convention
    ("发挥政府性融资担保机构作用", ["财政部"], ["工业和信息化部", "人民银行", "银保监会"]),  # p. 9
    ("支持创业载体建设", ["人力资源社会保障部"],  # p. 12: "…，各省级人民政府按职责分工负责"
     ["科技部", "财政部", "住房城乡建设部", "市场监管总局", "各省级人民政府"]),
    ("扩大就业见习补贴范围", ["人力资源社会保障部"], []),  # p. 13: "人力资源社会保障部等有关部门和单位负责"
    ("开展失业人员培训", ["人力资源社会保障部"], ["财政部", "教育部"]),  # p. 16: "…、教育部等有关部门和单位负责"
    ("明确部门组织协调责任", ["各有关部门和单位"], []),  # p. 24: a collective kept as such
    ("切实抓好政策服务", ["各有关部门和单位"], ["各省级人民政府"]),  # p. 25
])
def test_convention_ranks_later_items(tmp_path, quote, lead, co):
    t = find(page_tasks("content_5345808.htm", tmp_path), quote)
    assert (t.lead_units, t.co_units) == (lead, co)
    assert t.deadline is None  # "2019年1月1日至12月31日" in p. 8 is a policy period, not a deadline


def test_without_the_clause_all_units_lead(tmp_path):
    # the same page with its first item (paragraph 8, which states the convention) left out
    t = find(page_tasks("content_5345808.htm", tmp_path, cut=(8, 9)), "发挥政府性融资担保机构作用")
    assert t.lead_units == ["财政部", "工业和信息化部", "人民银行", "银保监会"] and t.co_units == []


def test_explicit_lead_overrides_convention(tmp_path):
    # content_5353308.htm (国发〔2018〕42号) p. 13 "列第一位者为牵头单位，下同"; p. 34 "（农业农村部、工业和信息化部牵头负责）"
    tasks = page_tasks("content_5353308.htm", tmp_path)
    t = find(tasks, "健全组织实施机制")
    assert (t.lead_units, t.co_units) == (["农业农村部", "工业和信息化部"], [])
    t = find(tasks, "完善农机装备创新体系")  # p. 13 "（工业和信息化部、发展改革委、科技部、农业农村部等负责。…）"
    assert (t.lead_units, t.co_units) == (["工业和信息化部"], ["发展改革委", "科技部", "农业农村部"])
    assert len(tasks) == 18  # items (三)–(二十)


@pytest.mark.parametrize("quote,lead", [
    # content_5342665.htm (国发〔2018〕38号) p. 8 "（负责部门：…；适用范围：所有自贸试验区，以下除标注…）"
    ("放宽人才中介机构限制", ["人力资源社会保障部", "住房城乡建设部", "商务部"]),
    # p. 23 "（负责部门：发展改革委、粮食和储备局，适用范围：浙江自贸试验区）"
    ("石油储备模式", ["发展改革委", "粮食和储备局"]),
    # p. 54 "（负责部门：人民银行等部门，适用范围：浙江自贸试验区）": "商务部等有关部门" names 商务部
    ("支持自贸试验区保税燃料油供应以人民币计价", ["人民银行"]),
    # p. 67 a sentence whose subject is a named office
    ("要切实发挥统筹协调作用", ["国务院自由贸易试验区工作部际联席会议办公室"]),
])
def test_labelled_parenthesis_and_subject(tmp_path, quote, lead):
    t = find(page_tasks("content_5342665.htm", tmp_path), quote)
    assert t.lead_units == lead and t.co_units == []


def test_etc_and_provincial_governments(tmp_path):
    # content_5357723.htm (国办发〔2018〕129号) has no ranking clause: all units lead; p. 27
    # "（发展改革委、扶贫办、…、财政部等和各省级人民政府负责）"
    tasks = page_tasks("content_5357723.htm", tmp_path)
    t = find(tasks, "加强组织领导")
    assert t.lead_units == ["发展改革委", "扶贫办", "农业农村部", "商务部", "文化和旅游部", "供销合作总社",
                            "财政部", "各省级人民政府"]
    assert len(tasks) == 17


@pytest.mark.parametrize("quote,lead,co,deadline", [
    # content_5354526.htm (国办发〔2018〕127号) p. 15: "…，请科技部、…、卫生健康委等部门在2019年2月底前完成。"
    ("不再承担已明确下放给科研单位管理的有关事项", ["科技部", "工业和信息化部", "农业农村部", "卫生健康委"], [],
     "2019-02-28"),
    ("制定出台具体操作办法", ["人力资源社会保障部"], ["有关部门"], None),  # p. 18 "请…会同有关部门…"
    ("国务院办公厅要适时开展督促检查", ["国务院办公厅"], [], None),  # p. 22
    ("分别修订相关科技计划项目和经费管理办法", ["科技部", "财政部", "相关科技项目管理部门"], [], None),  # p. 12
])
def test_subject_sentences(tmp_path, quote, lead, co, deadline):
    tasks = page_tasks("content_5354526.htm", tmp_path)
    t = find(tasks, quote)
    assert (t.lead_units, t.co_units) == (lead, co)
    assert (t.deadline.isoformat() if t.deadline else None) == deadline
    # "各地区、各部门、各单位要…" addresses everyone and is no task
    assert not [t for t in tasks if t.lead_units and t.lead_units[0].startswith("各")]


@pytest.mark.parametrize("text,want", [
    ("以上工作要在2019年2月底前完成", "2019年2月底前"),  # content_5354526.htm p. 10
    ("该项工作于2019年4月底前完成", "2019年4月底前"),  # content_5360002.htm p. 14
    # content_5360002.htm p. 15: several steps, the last one closes the task
    ("原则上于2019年6月底前完成；…原则上于2019年12月底前完成相关建设规划，2020年12月底前完成项目竣工验收",
     "2020年12月底前"),
    ("2019年1月1日至12月31日，对面临暂时性生产经营困难…", None),  # content_5345808.htm p. 8: a period
    ("到2020年，农机装备产业科技创新能力持续提升", None),  # content_5353308.htm p. 10: a target
])
def test_deadline_in_text(text, want):
    assert in_text(text, 2019) == want


def test_registry_central_aliases_and_members():
    reg = registry()
    assert reg.same("发展改革委", "国家发展改革委") and reg.same("国家发展和改革委员会", "发展改革委")
    assert reg.same("人民银行", "中国人民银行") and reg.same("药监局", "国家药监局")
    assert reg.level("财政部") == "中央" and reg.level("市财政局") == "市" and reg.level("区财政局") == "区"
    assert reg.level("广东省人民政府") == "省" and reg.level("各有关部门和单位") == "集体"
    assert reg.covers("各街道办事处", "广内街道") and not reg.covers("区城市管理委", "广内街道")
    assert reg.covers("各省级人民政府", "湖北省人民政府") and not reg.covers("各街道办事处", "区生态环境局")
    assert not re.search(r"\s", "".join(a.name for a in reg.agencies))


# A task division table (重点任务分工表) with 牵头单位/参与单位 columns, as an attachment after the
# notice: the notice is content_5345808.htm (国发〔2018〕39号) read as copied text, the table rows carry
# its measures (paragraphs 8, 9, 12, 13, 15) with the deadline forms national plans use.
DIVISION_TABLE = [
    "附件", "重点任务分工表",
    "序号\t重点任务\t牵头单位\t参与单位\t完成时限",
    "1\t加大稳岗支持力度。对不裁员或少裁员的参保企业，可返还其上年度实际缴纳失业保险费的50%。\t人力资源社会保障部\t财政部\t2019年底前",
    "\t返还标准可按6个月的当地月人均失业保险金和参保职工人数确定。\t人力资源社会保障部\t财政部\t",
    "\t上述资金由失业保险基金列支。\t财政部\t\t持续推进",
    "2\t发挥政府性融资担保机构作用支持小微企业。\t财政部\t工业和信息化部、人民银行、银保监会\t长期坚持",
    "3\t支持创业载体建设。对创业孵化基地给予一定奖补。\t人力资源社会保障部\t科技部、财政部\t每年",
    "4\t扩大就业见习补贴范围，组织失业青年参加3—12个月的就业见习。\t人力资源社会保障部\t\t按季度",
    "5\t支持困难企业开展职工在岗培训，2019年6月底前出台具体办法。\t人力资源社会保障部\t财政部\t",
]


@pytest.mark.parametrize("quote,lead,co,deadline,ongoing", [
    ("加大稳岗支持力度。对不裁员", ["人力资源社会保障部"], ["财政部"], "2019-12-31", False),
    ("返还标准可按6个月的当地月人均", ["人力资源社会保障部"], ["财政部"], "2019-12-31", False),  # sub-row: parent's
    ("上述资金由失业保险基金列支。", ["财政部"], [], None, True),  # a sub-row with its own deadline keeps it
    ("发挥政府性融资担保机构作用支持小微企业。", ["财政部"], ["工业和信息化部", "人民银行", "银保监会"], None, True),
    ("对创业孵化基地给予一定奖补。", ["人力资源社会保障部"], ["科技部", "财政部"], None, True),
    ("组织失业青年参加3—12个月的就业见习。", ["人力资源社会保障部"], [], None, True),
    ("2019年6月底前出台具体办法", ["人力资源社会保障部"], ["财政部"], "2019-06-30", False),  # in the text
])
def test_division_table(tmp_path, quote, lead, co, deadline, ongoing):
    p = _Paragraphs()
    p.feed((GOVCN / "content_5345808.htm").read_text(encoding="utf-8"))
    path = tmp_path / "fengong.txt"
    path.write_text("\n".join(p.out + DIVISION_TABLE) + "\n", encoding="utf-8")
    rows = [t for d in parse_source(read_source(path)) for t in extract_tasks(d) if "/表" in t.cid]
    assert len(rows) == 7
    t = find(rows, quote)
    assert (t.lead_units, t.co_units) == (lead, co)
    assert (t.deadline.isoformat() if t.deadline else None) == deadline and t.ongoing is ongoing


@pytest.mark.parametrize("paren,lead,co,deadline", [
    # the national form GUIDE.md §2 and issue 12 quote: the clause ranks the list it closes
    ("税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同", ["税务总局"], ["财政部", "海关总署"], None),
    ("商务部等有关部门按职责分工负责，2019年底前完成", ["商务部"], [], "2019年底前完成"),
    ("发展改革委、财政部负责，持续推进", ["发展改革委"], ["财政部"], "持续推进"),
    ("农业农村部、工业和信息化部牵头负责", ["农业农村部", "工业和信息化部"], [], None),  # content_5353308.htm p. 34
    # collective units kept as such (issue 12 item 1)
    ("各地区、各部门按职责分工负责", ["各地区、各部门"], [], None),
    ("各省、自治区、直辖市人民政府负责", ["各省、自治区、直辖市人民政府"], [], None),
    ("各有关部门和单位按职责分工负责", ["各有关部门和单位"], [], None),  # content_5345808.htm p. 24
    # a marked lead makes the other listed units co units
    ("发展改革委牵头，财政部、商务部等按职责分工负责", ["发展改革委"], ["财政部", "商务部"], None),
])
def test_duty_parenthesis_under_convention(paren, lead, co, deadline):
    from zhengce.extract.tasks.prose import CONVENTION, compact, parse_duty
    assert CONVENTION.search(compact("（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）"))
    a = parse_duty(compact(paren))
    a.first_leads()  # what a document with the convention does to every later list
    assert (a.lead, a.co, a.deadline_raw) == (lead, co, deadline)


def test_page_footer_is_no_assignment():
    # content_5342665.htm footer, which a browser's printout glues to the last paragraph (p. 68):
    # "主办单位：国务院办公厅 运行维护单位：中国政府网运行中心" is no 主办单位 of a measure
    from zhengce.extract.tasks.prose import tasks_in
    from zhengce.model import Provision
    text = ("重大事项及时向党中央、国务院请示报告。版权所有：中国政府网 | 关于我们 | 网站声明 | 联系我们 | 网站纠错"
            "主办单位：国务院办公厅 运行维护单位：中国政府网运行中心")
    p = Provision(cid="K/五", doc_key="K", level=0, label="五", heading="", raw=text, text=text,
                  line_start=1, line_end=1, kind="paragraph")
    assert tasks_in(p) == []
