"""References to other documents: 《title》 with its 文号, repeals, both directions."""

from __future__ import annotations

import pytest

from zhengce.extract.docnum import canonical_doc_number, find_doc_numbers
from zhengce.extract.references import extract_references
from zhengce.ingest import parse_source
from zhengce.sources import read_source

from conftest import corpus_file


@pytest.mark.parametrize("raw,canon", [
    ("京政办发 [2021] 18 号", "京政办发〔2021〕18号"),          # square brackets, stray spaces
    ("西行规发\n〔2018〕5号", "西行规发〔2018〕5号"),            # xicheng-gazette-2022.txt:66 split across lines
    ("财税[2011]47 号", "财税〔2011〕47号"),                  # beijing-private-enterprise-policies-2021q4.txt:4038
    ("京政发（2021）34号", "京政发〔2021〕34号"),
    ("不是文号", None),
])
def test_canonical_doc_number(raw, canon):
    assert canonical_doc_number(raw) == canon


def test_doc_numbers_in_running_text():
    # beijing-private-enterprise-policies-2021q4.txt:1345
    text = "落实财关税〔2021〕23 号和国家税务总局 2021"
    assert [c for _, _, c in find_doc_numbers(text)] == ["财关税〔2021〕23号"]


@pytest.fixture(scope="module")
def xicheng():
    return {d.key: d for d in parse_source(read_source(corpus_file("xicheng-gazette-2022.txt")))}


def test_title_with_number_and_repeal(xicheng):
    refs = extract_references(xicheng["西人社发〔2022〕8号"])
    # xicheng-gazette-2022.txt:4716 "…的细则》(西人社发〔2017〕64 号)…同时废止"
    old = [r for r in refs if r.doc_number == "西人社发〔2017〕64号"]
    assert old and old[0].title.startswith("北京市西城区人力资源和社会保障局关于落实<北京市西城区人民政府")
    repealed = {r.doc_number for r in refs if r.repeal}
    assert "西人社发〔2018〕60号" in repealed


def test_forms_are_not_references(xicheng):
    titles = {r.title for r in extract_references(xicheng["西人社发〔2022〕8号"])}
    assert "西城区就业见习生活补贴申请表" not in titles
