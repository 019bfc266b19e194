"""Web pages as governments publish them: article by measurement, layout vs data tables, the block.

Rows cite the page (``../shared/eval/govcn/corpus``) and what stands there; pages of other
layouts are built by ``webpages.py`` from corpus text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from webpages import BOILERPLATE, article_html, corpus_lines, write_pages
from zhengce.ingest import parse_source
from zhengce.sources import read_source

from conftest import ROOT

GOVCN = ROOT.parent / "shared" / "eval" / "govcn" / "corpus"
PAGES = sorted(GOVCN.glob("*.htm"))


def lines_of(name: str) -> list[str]:
    return [s.text for s in read_source(GOVCN / name).lines]


# -- the article: layout tables read as paragraphs -----------------------------------------------
def test_layout_table_page_reads_as_paragraphs():
    # content_5360002.htm: the article is <p>s inside td#UCAP-CONTENT of three nested layout tables
    got = lines_of("content_5360002.htm")
    assert not any("\t" in t for t in got)  # no layout row taken for a data row
    assert got[:4] == [
        "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知",  # two centred <p>s rejoined
        "国办发〔2019〕3号",  # the 文号 stays a line of its own
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
        "城镇小区配套建设幼儿园是城镇公共服务设施建设的重要内容，是扩大普惠性学前教育资源的重要途径，"
        "是保障和改善民生的重要举措。2018年11月，党中央、国务院印发《关于学前教育深化改革规范发展的若干意见》，"
        "提出规范小区配套幼儿园建设使用，并对小区配套幼儿园规划、建设、移交、办园等情况进行治理作出部署。"
        "为落实相关要求，经国务院同意，现就开展治理工作有关事项通知如下：",
    ]
    assert "一、总体要求" in got and got[-3:] == ["国务院办公厅", "2019年1月9日", "（此件公开发布）"]


@pytest.mark.parametrize("name, first", [
    ("content_5338761.htm", "国务院办公厅关于印发《政府网站集约化试点工作方案》的通知"),  # 2 <p>s
    ("content_5351596.htm", "国务院办公厅对十届全国人大四次会议第7240号建议的答复"),  # 2 <p>s, a 答复
    ("content_5351177.htm", "中华人民共和国国务院令"),  # 令 header: "第707号" is not a title piece
])
def test_title_split_over_centred_paragraphs_rejoins(name, first):
    got = lines_of(name)
    assert got[0] == first
    assert not first.endswith(got[1])  # the second piece is not repeated on its own


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_boilerplate_is_absent(page):
    # every govcn page: crumb "首页 > 政策 > 国务院文件", QR "扫一扫在手机打开当前页", footer
    # "版权所有：中国政府网 | 关于我们 …", "主办单位：国务院办公厅 运行维护单位：…", the page <title>
    text = "\n".join(s.text for s in read_source(page).lines)
    for junk in ("首页 > 政策", "扫一扫在手机打开当前页", "版权所有", "运行维护单位", "政府信息公开专栏",
                 "索 引 号", "主题分类："):
        assert junk not in text, (page.name, junk)


def test_data_table_in_a_layout_page_stays_rows(tmp_path):
    # the real page content_5360002.htm with a grid from xicheng-gazette-2022.txt:3258-3261
    # (项目名称/服务频次/补贴标准/备注) put into its article cell right after "一、总体要求"
    rows = corpus_lines(3258, 3261)
    page = (GOVCN / "content_5360002.htm").read_text(encoding="utf-8")
    at = page.index("一、总体要求</span></p>") + len("一、总体要求</span></p>")
    f = tmp_path / "table.htm"
    f.write_text(page[:at] + article_html(rows, 0) + page[at:], encoding="utf-8")
    got = [s.text for s in read_source(f).lines]
    i = got.index("一、总体要求")
    assert [t.split("\t") for t in got[i + 1: i + 1 + len(rows)]] == [r.split("\t") for r in rows]
    assert "\t" not in got[i + 1 + len(rows)]  # the layout around it is still paragraphs


# -- the metadata block --------------------------------------------------------------------------
def test_metadata_block_is_read_as_data():
    # content_5360002.htm lines 16-37: the bd1 table of label/value cells
    src = read_source(GOVCN / "content_5360002.htm")
    assert src.meta == {
        "index_no": "000014349/2019-00002", "subject": "科技、教育\\教育", "issuers": "国务院办公厅",
        "date": "2019年01月09日", "title": "国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知",
        "doc_number": "国办发〔2019〕3号", "published": "2019年01月22日"}  # 主题词 is empty: absent


def test_block_fields_with_their_provenance():
    [doc] = parse_source(read_source(GOVCN / "content_5360002.htm"))
    assert (doc.published.isoformat(), doc.subject, doc.index_no) == (
        "2019-01-22", "科技、教育\\教育", "000014349/2019-00002")
    assert doc.field_sources == {
        "title": "body", "doc_number": "body", "date": "signature", "issuers": "signature",
        "published": "metadata-block", "subject": "metadata-block", "index_no": "metadata-block"}
    assert doc.notes == []


def test_signature_date_wins_over_the_block_and_the_conflict_is_a_note():
    # content_5351624.htm: the block says 成文日期 2004年04月17日, the signature 二〇〇四年四月二十七日
    [doc] = parse_source(read_source(GOVCN / "content_5351624.htm"))
    assert doc.date.isoformat() == "2004-04-27" and doc.field_sources["date"] == "signature"
    assert doc.notes == ["成文日期：正文落款为 2004-04-27，信息公开栏为 2004-04-17，以正文落款为准"]


def test_block_fills_what_the_body_lacks(tmp_path):
    # content_5360002.htm with its 文号 paragraph taken out of the article: the block's
    # 发文字号 (国办发〔2019〕3号) fills it, and says so
    page = (GOVCN / "content_5360002.htm").read_text(encoding="utf-8")
    line = '<span style="font-family: 楷体, 楷体_GB2312;">国办发〔2019〕3号</span>'
    assert line in page
    f = tmp_path / "content_5360002.htm"
    f.write_text(page.replace(line, ""), encoding="utf-8")
    [doc] = parse_source(read_source(f))
    assert doc.doc_number == "国办发〔2019〕3号" and doc.field_sources["doc_number"] == "metadata-block"
    # content_5351177.htm: the 令 page; its 文号 is 国令第707号 whether read from 第707号 or the block
    [law] = parse_source(read_source(GOVCN / "content_5351177.htm"))
    assert law.title == "中华人民共和国个人所得税法实施条例" and law.doc_number == "国令第707号"


def test_joint_issuers_split_from_the_block():
    # content_5345407.htm: 发文机关 "国务院、中央军委"
    [doc] = parse_source(read_source(GOVCN / "content_5345407.htm"))
    assert doc.issuers == ["国务院", "中央军委"]


def test_page_without_a_block(tmp_path):
    # content_5345440.htm's article cell alone in a plain page: no block, the text alone decides
    page = (GOVCN / "content_5345440.htm").read_text(encoding="utf-8")
    start = page.index('id="UCAP-CONTENT">') + len('id="UCAP-CONTENT">')
    cell = page[start:page.index("</td>", start)]
    f = tmp_path / "plain.html"
    f.write_text(f"<html><body><div class='crumb'><a href='/'>首页</a> &gt; <a href='/z'>政策</a></div>"
                 f"<div>{cell}</div></body></html>", encoding="utf-8")
    src = read_source(f)
    assert src.meta == {}
    [doc] = parse_source(src)
    assert doc.title == "国务院办公厅关于黄金经济政策有关问题的复函" and doc.doc_number == "国办函〔1996〕16号"
    assert "metadata-block" not in doc.field_sources.values() and doc.subject is None


# -- other layouts (not gov.cn): a div portal, a municipal index.html, a page with no block -------
@pytest.fixture(scope="module")
def own_pages(tmp_path_factory) -> dict[str, Path]:
    return write_pages(tmp_path_factory.mktemp("pages"))


def test_div_portal_page(own_pages):
    src = read_source(own_pages["t20220129_2584163.html"])
    assert src.meta["doc_number"] == "西政发〔2022〕1号" and src.meta["subject"] == "综合政务/其他"
    assert src.meta["issuers"] == "北京市西城区人民政府"  # label 发文机构
    # the <h1> above the article is its title; the li/label block is not text
    assert src.lines[0].text.startswith("北京市西城区人民政府印发《北京市西城区关于服务北京证券交易所")
    text = "\n".join(s.text for s in src.lines)
    for junk in BOILERPLATE + ["索 引 号", "主题分类"]:
        assert junk not in text, junk
    [doc] = parse_source(src)
    assert doc.published.isoformat() == "2022-02-07" and doc.date.isoformat() == "2022-01-29"


def test_municipal_index_page_with_th_block_and_data_table(own_pages):
    src = read_source(own_pages["index.html"])
    assert src.meta["date"] == "2022-01-29" and src.meta["published"] == "2022-02-10"  # 生成日期 / 公开日期
    tsv = [s.text for s in src.lines if "\t" in s.text]
    # xicheng-gazette-2022.txt:3258-3259, a grid; the one-row "\t\t年 月 日" tables at 3246-3250 are
    # layout (no grid), read as lines
    assert ["项目名称", "服务频次", "补贴标准", "备注"] in [t.split("\t") for t in tsv]
    assert ["上门理发", "每月1次", "30元"] in [t.split("\t") for t in tsv]
    assert "年 月 日" in [s.text for s in src.lines]
    [doc] = parse_source(src)
    assert doc.doc_number == "西民发〔2022〕2号" and doc.field_sources["doc_number"] == "body"
    assert any(p.kind == "row" for p in doc.provisions)


def test_bare_page_with_split_title(own_pages):
    src = read_source(own_pages["t20220311_2601234.html"])
    assert src.meta == {}
    title = "".join(corpus_lines(4187, 4189))
    assert src.lines[0].text == title
    text = "\n".join(s.text for s in src.lines)
    assert not any(junk in text for junk in BOILERPLATE)
    assert re.sub(r"\s", "", corpus_lines(4211, 4211)[0]) in re.sub(r"\s", "", text)


@pytest.mark.parametrize("pieces, want", [
    # content_5360002.htm: two centred pieces of one title
    (["国务院办公厅关于开展", "城镇小区配套幼儿园治理工作的通知"], ["国务院办公厅关于开展城镇小区配套幼儿园治理工作的通知"]),
    # beijing-gazette-2022-05.txt's notice title broken after the plan's name: "…规划" ends like a
    # title, "》的通知" shows it goes on
    (["北京市人民政府关于印发《北京市“十四五”时期妇女儿童发展规划", "》的通知"],
     ["北京市人民政府关于印发《北京市“十四五”时期妇女儿童发展规划》的通知"]),
    # beijing-gazette-2019-10.txt: a complete title and its centred subtitle stay two lines
    (["促进城市南部地区加快发展行动计划", "(2018—2020年)"], ["促进城市南部地区加快发展行动计划", "(2018—2020年)"]),
    # content_5351177.htm: 令 header and its number are not one title
    (["中华人民共和国国务院令", "第707号"], ["中华人民共和国国务院令", "第707号"]),
])
def test_rejoin_title_rows(pieces, want):
    from zhengce.sources.layout import rejoin_title
    assert rejoin_title([(p, True) for p in pieces] + [("正文第一段。", False)]) == want + ["正文第一段。"]


def test_own_gold_set_scores(own_pages, tmp_path):
    # tests/data/webpage/documents.jsonl, labelled by hand before tuning (first run: recall 0.67)
    import json

    from typer.testing import CliRunner

    from zhengce.cli import app
    gold = ROOT / "tests" / "data" / "webpage"
    env = {"ZHENGCE_DATA_DIR": str(tmp_path)}
    corpus = next(iter(own_pages.values())).parent
    r = CliRunner().invoke(app, ["eval", "documents", "--gold", str(gold), "--corpus", str(corpus), "--json"],
                           env=env)
    assert r.exit_code == 0, r.output
    score = json.loads(r.output.strip().splitlines()[-1])
    assert score["n"] == 3
    assert all(score[k] == 1.0 for k in ("recall", "precision", "doc_number", "date", "issuers", "body")), score


BLOCK_STYLES = {
    # the block's fields for xicheng-gazette-2022.txt:3122-3200 (西民发〔2022〕2号), as portals lay them out
    "dl": "<dl><dt>索引号</dt><dd>11110102MB0123456K/2022-00003</dd><dt>发文机关</dt><dd>北京市西城区民政局</dd>"
          "<dt>成文日期</dt><dd>2022年01月29日</dd><dt>主题分类</dt><dd>民政</dd></dl>",
    "p-lines-inside-article": "<p>索引号：11110102MB0123456K/2022-00003</p><p>发文机关：北京市西城区民政局</p>"
                              "<p>成文日期：2022-01-29</p><p>主题分类：民政</p>",
    "spans-in-one-line": "<div><span>索引号：11110102MB0123456K/2022-00003</span><span>发文机关：北京市西城区民政局</span>"
                         "<span>成文日期：2022年1月29日</span><span>主题分类：民政</span></div>",
    "label-space-value": "<ul><li><b>索引号</b> <i>11110102MB0123456K/2022-00003</i></li><li><b>发文机关</b> "
                         "<i>北京市西城区民政局</i></li><li><b>成文日期</b> <i>2022年1月29日</i></li>"
                         "<li><b>主题分类</b> <i>民政</i></li></ul>",
}


@pytest.mark.parametrize("style", BLOCK_STYLES)
def test_block_styles_of_other_portals(style, tmp_path):
    block = BLOCK_STYLES[style]
    inside = style.endswith("inside-article")
    article = (block if inside else "") + article_html(corpus_lines(3122, 3200), 3)
    f = tmp_path / "index.html"
    f.write_text(f"<html><body><div class='nav'><a href='/'>首页</a> <a href='/z'>政务公开</a></div>"
                 f"<div class='article'>{article}</div>{'' if inside else block}</body></html>", encoding="utf-8")
    src = read_source(f)
    assert src.meta["index_no"] == "11110102MB0123456K/2022-00003" and src.meta["subject"] == "民政"
    assert src.meta["issuers"] == "北京市西城区民政局"
    assert not any("索引号" in s.text for s in src.lines)  # the block is data, not article text
    [doc] = parse_source(src)
    assert doc.date.isoformat() == "2022-01-29" and doc.subject == "民政"


# -- the block in a page's text renderings (Ctrl-A copy, browser print to PDF) -------------------
COPIED = [  # content_5351624.htm as Chromium's innerText of the whole page gives it (first lines)
    "统计", "中国政府网 | 政策 | 信息公开", "首页 > 政策 > 国务院文件",
    "索 引 号：\t000014349/2004-00206\t主题分类：\t卫生、体育\\体育",
    "发文机关：\t国务院办公厅\t成文日期：\t2004年04月17日",
    "标　　题：\t国务院办公厅关于同意以哈尔滨市名义申办2009年第二十四届世界大学生冬季运动会的复函",
    "发文字号：\t国办函〔2004〕36号\t发布日期：\t2018年12月24日", "主 题 词：\t\t\t", "", "",
    "国务院办公厅关于同意以哈尔滨市名义", "申办2009年第二十四届世界", "大学生冬季运动会的复函"]
PRINTED = [  # the same page printed to PDF by Chromium: labels broken by the cell width, Kangxi radicals
    "统计", "中国政府⽹ | 政策 | 信息公开", "索  引", "号：", "000014349/2004-00206 主题分",
    "类： 卫⽣、体育 \\ 体育", "发⽂机", "关： 国务院办公厅 成⽂⽇ 期： 2004 年 04 ⽉ 17 ⽇", "标\u2003\u2003", "题：",
    "国务院办公厅关于同意以哈尔滨市名义申办 2009 年第⼆⼗四届世界⼤学⽣冬季运动", "会的复函", "发⽂字",
    "号： 国办函〔 2004 〕 36 号 发布⽇ 期： 2018 年 12 ⽉ 24 ⽇", "主  题", "词：",
    "国务院办公厅关于同意以哈尔滨市名义"]


@pytest.mark.parametrize("lines", [COPIED, PRINTED], ids=["copied", "printed"])
def test_block_in_text_renderings(lines):
    from zhengce.ingest.pagemeta import block_date, block_doc_number
    from zhengce.sources.htmlmeta import read_text_block
    meta, used = read_text_block(lines)
    assert meta["index_no"] == "000014349/2004-00206" and meta["issuers"] == "国务院办公厅"
    assert block_date(meta["date"]).isoformat() == "2004-04-17"
    assert block_date(meta["published"]).isoformat() == "2018-12-24"
    assert block_doc_number(meta["doc_number"]) == "国办函〔2004〕36号"
    assert re.sub(r"\s", "", meta["title"]) == "国务院办公厅关于同意以哈尔滨市名义申办2009年第二十四届世界大学生冬季运动会的复函"
    assert "keywords" not in meta  # empty 主题词: the article's first line is not taken for it
    assert lines.index("统计") not in used and len(lines) - 1 not in used


def test_copied_page_text_takes_the_block_and_keeps_the_signed_date(tmp_path):
    # the copied page's article, its signature date written in Arabic numerals here (the page signs
    # 二〇〇四年四月二十七日; reading Chinese numerals is the document-forms work)
    f = tmp_path / "content_5351624.txt"
    f.write_text("\n".join(COPIED + ["", "国办函〔2004〕36号", "", "黑龙江省人民政府，教育部、外交部、财政部、体育总局：", "",
                                     "同意以哈尔滨市名义申办2009年第二十四届世界大学生冬季运动会。", "", "国务院办公厅",
                                     "2004年4月27日"]), encoding="utf-8")
    src = read_source(f)
    assert src.meta["subject"] == "卫生、体育\\体育"
    [doc] = parse_source(src)
    assert doc.date.isoformat() == "2004-04-27" and doc.published.isoformat() == "2018-12-24"
    assert doc.notes == ["成文日期：正文落款为 2004-04-27，信息公开栏为 2004-04-17，以正文落款为准"]
