"""Splitting real gazettes into 公文 and reading their metadata (rows from data/gazettes)."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengce.ingest import parse_source
from zhengce.sources import read_source

from conftest import corpus_file


@pytest.fixture(scope="module")
def parsed():
    cache = {}

    def get(name):
        if name not in cache:
            cache[name] = parse_source(read_source(corpus_file(name)))
        return cache[name]
    return get


def _by_number(docs, number):
    return next(d for d in docs if d.doc_number == number)


# (file, 文号, title starts with, short title, issuers, date)
ROWS = [
    # beijing-gazette-2022-05.txt:75 notice that 印发 a plan: one document, two titles
    ("beijing-gazette-2022-05.txt", "京政发〔2021〕34号", "北京市人民政府关于印发", "北京市“十四五”时期妇女儿童发展规划",
     ["北京市人民政府"], dt.date(2021, 11, 24)),
    # xicheng-gazette-2022.txt:36 title in bold over four lines
    ("xicheng-gazette-2022.txt", "西政发〔2022〕1号", "北京市西城区人民政府印发",
     "北京市西城区关于服务北京证券交易所发展和促进创新型中小企业在北京证券交易所上市的若干措施(试行)",
     ["北京市西城区人民政府"], dt.date(2022, 1, 29)),
    # xicheng-gazette-2022.txt:3299 two issuers glued on one signature line
    ("xicheng-gazette-2022.txt", "西民发〔2022〕3号", "北京市西城区民政局北京市西城区财政局关于印发",
     "北京市西城区社区养老服务驿站运营扶持办法", ["北京市西城区民政局", "北京市西城区财政局"], dt.date(2022, 2, 9)),
    # beijing-private-enterprise-policies-2021q4.txt:4101 title broken as "实施意" / "见", 文号 "33 号"
    ("beijing-private-enterprise-policies-2021q4.txt", "京政发〔2021〕33号", "北京市人民政府关于支持综合保税区",
     None, ["北京市人民政府"], dt.date(2021, 11, 6)),
]


@pytest.mark.parametrize("name,number,title_start,short,issuers,date", ROWS)
def test_document_metadata(parsed, name, number, title_start, short, issuers, date):
    d = _by_number(parsed(name), number)
    assert d.title.startswith(title_start)
    assert d.short_title == short
    assert d.issuers == issuers
    assert d.date == date


def test_gazette_toc_and_masthead_are_not_documents(parsed):
    docs = parsed("beijing-gazette-2022-05.txt")
    # The TOC lists both titles with page numbers; only the two real documents remain.
    assert [d.doc_number for d in docs] == ["京政发〔2021〕34号", "京政办发〔2021〕18号"]
    assert docs[0].line_start == 75


def test_notice_without_number_in_joint_gazette(parsed):
    docs = parsed("beijing-gazette-2019-10.txt")
    assert len(docs) == 5
    assert all(d.doc_number is None and d.issuers == ["中共北京市委", "北京市人民政府"] for d in docs)
    # beijing-gazette-2019-10.txt:384 an 实施意见 dated in parentheses under its title
    assert docs[2].date == dt.date(2018, 9, 7) and docs[2].short_title is None


def test_attachments_stay_in_their_document(parsed):
    docs = parsed("xicheng-gazette-2022.txt")
    # xicheng-gazette-2022.txt:4724 forms after "附件 1" belong to 西人社发〔2022〕8号
    assert not any("申请报告" in d.title for d in docs)
    d = _by_number(docs, "西人社发〔2022〕8号")
    assert "西城区创业者房租补贴申请报告" in d.text


def test_compilation_documents_without_notices(parsed):
    docs = parsed("beijing-private-enterprise-policies-2021q4.txt")
    titles = [d.title for d in docs]
    # beijing-private-enterprise-policies-2021q4.txt:1906 a regulation after a truncated paragraph
    assert "北京市单用途预付卡管理条例" in titles
    assert "北京市关于促进“专精特新”中小企业高质量发展的若干措施" in titles
    # :1652 right after the previous document's signing date; :2541 right after a category heading
    assert "北京市进一步强化节能实施方案" in titles
    assert "北京市关于促进数字贸易高质量发展的若干措施" in titles
    # :3128 after an effective clause "…自印发之日起施行。"
    assert "关于支持发展高端仪器装备和传感器产业的若干政策措施" in titles
    assert not any(t.startswith(("引言", "1.")) for t in titles)
