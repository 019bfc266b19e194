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
