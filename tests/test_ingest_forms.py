"""Document forms beyond the Beijing seeds: 令, 批复, 函, 复函, 答复, 转发 notices, joint issuers, dates in
Chinese numerals, editorial notes, a compilation's trailing list of titles, a "(试行)" subtitle.

Rows come from real text: the State Council pages of ../shared/eval/govcn as a user copies them
(tests/data/govcn-renderings/text, made by scripts/render_govcn.py from the dev pages) and the
seed gazettes in data/gazettes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from zhengce.extract.docnum import canonical_doc_number
from zhengce.ingest import parse_source
from zhengce.ingest.clean import build_blocks, fold_width, repair
from zhengce.ingest.meta import parse_date, split_issuers, title_issuers
from zhengce.ingest.split import is_addressee, is_title
from zhengce.model import SourceLine, SourceText
from zhengce.sources import read_source
from zhengce.text import normalize

from conftest import ROOT, corpus_file

TEXT = ROOT / "tests" / "data" / "govcn-renderings" / "text"


def parse_text(text: str, name: str = "snippet.txt"):
    lines = [SourceLine(t, i) for i, t in enumerate(text.split("\n"), 1)]
    return parse_source(SourceText(name, name, "", "txt", "utf-8", lines))


@pytest.fixture(scope="module")
def copied():
    cache: dict[str, list] = {}

    def get(page: str):
        if page not in cache:
            cache[page] = parse_source(read_source(TEXT / f"{page}.txt"))
        return cache[page]
    return get


# (copied page, title, 文号, issuers, date, a sentence of the body)
FORMS = [
    # 国务院令 第707号 promulgating a 条例: the 条例 is the document, signed by the 总理 (content_5351177:1-24)
    ("content_5351177", "中华人民共和国个人所得税法实施条例", "国令第707号", ["国务院"], dt.date(2018, 12, 18),
     "第一条　根据《中华人民共和国个人所得税法》（以下简称个人所得税法），制定本条例。"),
    # 批复 of two issuers, signed "国务院　中央军委", dated in Chinese numerals (content_5345407:1-18)
    ("content_5345407", "国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复", "国函〔1996〕95号",
     ["国务院", "中央军委"], dt.date(1996, 11, 5), "同意武警总部后勤部机关及部分直属单位迁址新建"),
    # 答复 to a CPPCC proposal, addressed to persons, closed by "（本文有删减）" (content_5351586:1-32)
    ("content_5351586", "国务院办公厅对全国政协十届三次会议第2741号提案的答复", "国办函〔2005〕69号",
     ["国务院办公厅"], dt.date(2005, 7, 14), "国务院信息办连续四年组织对国务院部委及直属机构网站"),
    # 答复 to an NPC proposal: "周桂英等代表：" (content_5351596:1-26)
    ("content_5351596", "国务院办公厅对十届全国人大四次会议第7240号建议的答复", "国办函〔2006〕71号",
     ["国务院办公厅"], dt.date(2006, 9, 7), "感谢你们对政府工作的关心和支持。"),
    # 复函 dated 一九九六年二月九日 under an indented signature (content_5345440:36-40)
    ("content_5345440", "国务院办公厅关于黄金经济政策有关问题的复函", "国办函〔1996〕16号", ["国务院办公厅"],
     dt.date(1996, 2, 9), "继续免征"),
    # 函 over three title lines, dated 二〇〇四年八月十二日 (content_5351707:52)
    ("content_5351707", "国务院办公厅关于辽宁省在曾培炎副总理考察工作时所提问题和建议办理情况的函",
     "国办函〔2004〕57号", ["国务院办公厅"], dt.date(2004, 8, 12), "庄河电厂属港口电厂"),
    # 转发 notice: the notice's date, not the forwarded report's 一九九七年一月二十日 (content_5345291:20)
    ("content_5345291", "国务院办公厅转发国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知",
     "国办发〔1997〕2号", ["国务院办公厅"], dt.date(1997, 2, 4), "我局于1997年1月7日至11日召开1997年度全国地震趋势会商会"),
    # a notice that 印发s two 规定 named only in its preamble (content_5352010)
    ("content_5352010", "国务院办公厅关于印发文化体制改革中经营性文化事业单位转制为企业和进一步支持文化企业发展两个规定的通知",
     "国办发〔2018〕124号", ["国务院办公厅"], dt.date(2018, 12, 18), "转制后的企业名称，应当符合企业名称登记管理的规定。"),
]


@pytest.mark.parametrize("page,title,number,issuers,date,quote", FORMS, ids=[r[0] for r in FORMS])
def test_national_forms_from_copied_text(copied, page, title, number, issuers, date, quote):
    [doc] = copied(page)  # one page, one document: the forwarded / issued / promulgated text stays inside
    assert (doc.title, doc.doc_number, doc.issuers, doc.date) == (title, number, issuers, date)
    assert normalize(quote) in normalize(doc.raw)


def test_letters_to_persons_keep_their_addressees(copied):
    # content_5351586:10 "邓乃扬、韩汝琦委员：", content_5351596:10 "周桂英等代表："
    assert copied("content_5351586")[0].addressees == ["邓乃扬、韩汝琦委员"]
    assert copied("content_5351596")[0].addressees == ["周桂英等代表"]
    assert is_addressee("邓乃扬、韩汝琦委员：") and is_addressee("武警总部：")


def test_editorial_note_is_the_note_not_the_signature(copied):
    doc = copied("content_5351586")[0]  # ends "国务院办公厅" / "二〇〇五年七月十四日" / "（本文有删减）"
    assert doc.note == "(本文有删减)"
    assert doc.issuers == ["国务院办公厅"] and "删减" not in doc.title
    doc = copied("content_5345291")[0]
    assert "删减" not in doc.title and doc.issuers == ["国务院办公厅"]


def test_order_has_no_addressee_and_its_signature_is_no_issuer(copied):
    doc = copied("content_5351177")[0]
    assert doc.addressees == [] and doc.issuers == ["国务院"]  # "总理　　李克强" signs for the 国务院


# Signing dates as written (GUIDE "National conventions")
DATES = [
    ("一九九六年十一月五日", dt.date(1996, 11, 5)),  # content_5345407:18
    ("二〇〇四年八月十二日", dt.date(2004, 8, 12)),  # content_5351707:52
    ("一九九七年二月四日", dt.date(1997, 2, 4)),  # content_5345291:20
    ("二〇〇六年九月七日", dt.date(2006, 9, 7)),  # content_5351596:26
    ("2019年01月09日", dt.date(2019, 1, 9)),  # content_5360002.htm's 成文日期, zero-padded
    ("2018年12月18日", dt.date(2018, 12, 18)),  # content_5351177:12
]


@pytest.mark.parametrize("text,date", DATES)
def test_signing_dates(text, date):
    assert parse_date(repair(text)) == date


def test_chinese_numeral_date_is_not_glued_to_the_signature():
    # content_5345440:38-40: a signature, a date in Chinese numerals, an editorial note
    [doc] = parse_text("国务院办公厅关于黄金\n经济政策有关问题的复函\n\n国办函〔1996〕16号\n\n国家经贸委、冶金部：\n\n"
                       "国家经贸委《关于解决当前黄金生产问题的意见》和冶金部《关于黄金工业“九五”发展的几点意见》收悉。\n\n"
                       " 国务院办公厅          \n一九九六年二月九日       \n　　（本文有删减）")
    assert doc.date == dt.date(1996, 2, 9) and doc.issuers == ["国务院办公厅"]
    assert doc.addressees == ["国家经贸委、冶金部"]


# Joint issuers: with 、 in a title, with spaces in a signature
ISSUERS = [
    ("国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复", ["国务院", "中央军委"]),  # content_5345407:1
    ("中共北京市委 北京市人民政府关于开展质量提升行动的实施意见", ["中共北京市委", "北京市人民政府"]),  # dev gold
]


@pytest.mark.parametrize("title,issuers", ISSUERS)
def test_joint_issuers_in_titles(title, issuers):
    [tb] = build_blocks([SourceLine(title, 1)])
    assert title_issuers(tb) == issuers


def test_joint_issuers_in_signatures():
    assert split_issuers(["国务院　中央军委　　　      "]) == ["国务院", "中央军委"]  # content_5345407:16


# Titles that end in the national 文种
KINDS = [
    "国务院办公厅对十届全国人大四次会议第7240号建议的答复",  # content_5351596
    "国务院办公厅关于同意以哈尔滨市名义申办2009年第二十四届世界大学生冬季运动会的复函",  # content_5351624
    "国务院、中央军委关于同意武警总部后勤部机关等迁址新建的批复",  # content_5345407
    "北京市城市管理委员会关于宣布部分行政规范性文件失效的决定",  # private-enterprise compilation
    "北京市人力资源和社会保障局关于在北京自贸试验区内申请劳务派遣经营许可实行告知承诺制的通告",  # same
    "市政府关于划定禁止使用高排放非道路移动机械区域的通告",  # cited in the business-environment plan
]


@pytest.mark.parametrize("title", KINDS)
def test_national_kinds_end_a_title(title):
    [b] = build_blocks([SourceLine(title, 1)])
    assert is_title(b)


def test_pdf_spacing_and_radicals_are_repaired():
    # Chromium's print of content_5351707 read by pypdf: "国办函〔 2004 〕 57 号", "辽宁省⼈⺠政府："
    assert canonical_doc_number(repair("国办函〔 2004 〕 57 号")) == "国办函〔2004〕57号"
    assert repair("国发〔 2018 〕 43 号") == "国发〔2018〕43号"
    assert fold_width("辽宁省⼈⺠政府：") == "辽宁省人民政府："  # ⼈ U+2F08 (Kangxi), ⺠ U+2EA0 (Supplement)
    assert fold_width("中国政府⽹ | ⾸⻚ > 国务院⽂件") == "中国政府网 | 首页 > 国务院文件"  # ⻚ U+2EDA
    assert repair("成⽂⽇ 期： 2004 年 08 ⽉ 12 ⽇") == "成文日期：2004年08月12日"


@pytest.fixture(scope="module")
def compilation():
    return parse_source(read_source(corpus_file("beijing-private-enterprise-policies-2021q4.txt")))


def test_trailing_list_of_titles_is_no_part_of_the_last_document(compilation):
    # beijing-private-enterprise-policies-2021q4.txt:6420-6455: "7. 四季度出台“十四五”规划汇总", then
    # 15 《titles》 and two links after the last document's attachments
    last = compilation[-1]
    assert last.title == "北京市广播电视局关于广播电视节目制作经营单位设立审批实行告知承诺的实施意见"
    assert "注：附件请登录北京市广播电视局网站查询" in last.text
    assert "四季度出台" not in last.raw and "《北京市“十四五”时期社会治理规划》" not in last.raw
    assert not any("四季度出台" in p.text for p in last.provisions)
    assert not any("十四五" in d.title and "规划汇总" in d.title for d in compilation)


def test_trial_subtitle_stays_in_the_title(compilation):
    # beijing-private-enterprise-policies-2021q4.txt:3263-3265: the title, a blank line, "(试行)"
    titles = [d.title for d in compilation]
    assert "北京市创新型绿色技术及示范应用项目征集遴选管理细则(试行)" in titles
    assert "关于做好技能人才薪酬激励相关工作的意见(试行)" in titles  # :5730, (试行) on the title's line


def test_announcement_number_under_its_title():
    # A 公告 numbered by year, as GUIDE §2 cites it ("国家税务总局公告2021年第30号"); its body sentence is
    # the private-enterprise compilation's (lines 1345-1347) "落实财关税〔2021〕23号和国家税务总局2021年第18号公告要求".
    [doc] = parse_text("国家税务总局关于落实支持综合保税区发展有关税收政策的公告\n\n国家税务总局公告2021年第30号\n\n"
                       "为落实财关税〔2021〕23号和国家税务总局2021年第18号公告要求，现将有关事项公告如下：\n\n"
                       "一、本公告自发布之日起施行。\n\n国家税务总局\n\n2021年11月18日")
    assert (doc.doc_number, doc.issuers, doc.date) == ("国家税务总局公告2021年第30号", ["国家税务总局"],
                                                       dt.date(2021, 11, 18))


def test_approved_forwarding_names_its_issuer():
    # 批转: what the forwarded report asks for ("请批转各地区、各部门贯彻执行", govcn content_5345291:66)
    [tb] = build_blocks([SourceLine("国务院批转国家地震局关于1997年地震趋势和加强防震减灾工作意见报告的通知", 1)])
    assert title_issuers(tb) == ["国务院"]
