"""Provision trees from numbering markers, with stable citation ids and raw-line provenance."""

from __future__ import annotations

import pytest

from zhengce.ingest import parse_source
from zhengce.sources import read_source

from conftest import corpus_file


@pytest.fixture(scope="module")
def docs():
    out = {}
    for name in ("beijing-gazette-2022-05.txt", "xicheng-gazette-2022.txt"):
        for d in parse_source(read_source(corpus_file(name))):
            out[d.key] = d
    return out


def _prov(doc, cid):
    return next(p for p in doc.provisions if p.cid == cid)


def test_nested_markers_build_the_path(docs):
    d = docs["京政办发〔2021〕18号"]
    p = _prov(d, "京政办发〔2021〕18号/二/(一)/1/(1)")
    assert p.heading == "完善告知承诺审批制度"
    assert p.parent == "京政办发〔2021〕18号/二/(一)/1"
    # beijing-gazette-2022-05.txt:741 the item was broken across a page ("在更" / "大范围")
    item = _prov(d, "京政办发〔2021〕18号/二/(一)/1")
    assert "在更大范围推动简化涉企审批" in item.text
    assert "在更\n\n大范围" in item.raw  # the raw copy is untouched


def test_an_article_ending_in_a_colon_keeps_its_items(docs):
    # xicheng-gazette-2022.txt:3321 "第三条 本办法所称的…是指下列具有北京市户籍的老年人：" then (一)…(四):
    # a numbered provision ending in "：" is not a 主送机关 line, and its items stay under it.
    d = docs["西民发〔2022〕3号"]
    art = _prov(d, "西民发〔2022〕3号/第一章/第三条")
    assert "具有北京市户籍的老年人" in art.text and art.line_start == 3321
    item = _prov(d, "西民发〔2022〕3号/第一章/第三条/(一)")
    assert item.parent == art.cid and "城乡特困老年人" in item.text
    assert not any(p.cid.startswith("西民发〔2022〕3号/第一章/第二条/(") for p in d.provisions)


def test_a_condition_lead_inside_the_body_is_text_not_an_addressee(docs):
    # xicheng-gazette-2022.txt 西教发〔2022〕5号 三、(二) 1.: "申请在西城区升入初中的适龄少年，需满足下列条件之一："
    # ends in "：" and names a 区 like a 主送机关 line, but stands inside the numbered body.
    d = docs["西教发〔2022〕5号"]
    assert any(p.text.startswith("申请在西城区升入初中的适龄少年，需满足下列条件之一") for p in d.provisions)


def test_decimal_outline_of_an_emergency_plan(docs):
    d = docs["西政发〔2022〕2号"]
    cids = {p.cid for p in d.provisions}
    assert "西政发〔2022〕2号/1/1.1" in cids
    assert "西政发〔2022〕2号/1/1.4/1.4.1/(1)" in cids


def test_tables_become_rows_with_cells(docs):
    d = docs["西政发〔2022〕2号"]
    rows = [p for p in d.provisions if p.kind == "row"]
    assert rows, "the emergency plan's responsibility table has rows"
    quake = next(r for r in rows if r.cells and "地震灾害" in r.cells)
    assert "区应急管理局" in quake.cells
    assert quake.line_start == quake.line_end


def test_citation_ids_are_unique_and_stable(docs):
    for d in docs.values():
        cids = [p.cid for p in d.provisions]
        assert len(cids) == len(set(cids)), d.key
    again = {d.key: [p.cid for p in d.provisions]
             for d in parse_source(read_source(corpus_file("beijing-gazette-2022-05.txt")))}
    assert again["京政发〔2021〕34号"] == [p.cid for p in docs["京政发〔2021〕34号"].provisions]


# (document key, normalised text expected in some provision, raw text that must stay as it was)
REPAIRS = [
    # beijing-gazette-2022-05.txt:549-551 page break re-broke a word: "服务覆盖。" / "盖率。"
    ("京政发〔2021〕34号", "提高残疾儿童康复服务质量和服务覆盖率。", "服务覆盖。"),
    # xicheng-gazette-2022.txt:57 full-width parentheses folded, (以下简称北交所) kept
    ("西政发〔2022〕1号", "(以下简称北交所)", "（以下简称北交所）"),
]


@pytest.mark.parametrize("key,text,raw", REPAIRS)
def test_repairs_touch_only_the_normalised_copy(docs, key, text, raw):
    d = docs[key]
    assert any(text in p.text for p in d.provisions)
    assert any(raw in p.raw for p in d.provisions)


def _lines(name, start, end):
    from zhengce.model import SourceLine
    text = corpus_file(name).read_text(encoding="utf-8").split("\n")
    return [SourceLine(t, i) for i, t in enumerate(text[start - 1:end], start)]


def test_duplicated_character_at_a_page_join():
    from zhengce.ingest.clean import build_blocks
    # beijing-gazette-2019-10.txt:713-715 "…促进文化旅游" / "游发展。"
    blocks = build_blocks(_lines("beijing-gazette-2019-10.txt", 713, 715))
    assert len(blocks) == 1
    assert "促进文化旅游发展。" in blocks[0].text
    assert blocks[0].line_start == 713 and blocks[0].line_end == 715


def test_injected_english_conjunction_is_repaired():
    from zhengce.ingest.clean import build_blocks
    # beijing-business-environment-plan-2021.txt:400 "健全监管规则 and 标准"
    blocks = build_blocks(_lines("beijing-business-environment-plan-2021.txt", 400, 400))
    assert blocks[0].text.startswith("健全监管规则和标准。")
    assert "规则 and 标准" in blocks[0].raw
