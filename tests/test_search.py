"""一网通查: segmentation, synonyms, filters, facets, snippets and index freshness on real corpus text."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengce.search import search
from zhengce.search.engine import snippet
from zhengce.search.segment import Segmenter, harvest_terms

from conftest import corpus_file

XICHENG = "xicheng-gazette-2022.txt"
CITY = "beijing-gazette-2019-10.txt"


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    from zhengce.library import Library
    tmp = tmp_path_factory.mktemp("search")
    lib = Library(url=f"sqlite:///{tmp}/t.db", data_dir=tmp)
    lib.ingest([corpus_file(XICHENG), corpus_file(CITY)])
    yield lib
    lib.engine.dispose()


@pytest.mark.parametrize(("text", "full", "short"), [
    # xicheng-gazette-2022.txt:57 — the full name starts where the 简称's characters start
    ("全力服务保障北京证券交易所（以下简称北交所）建设发展", "北京证券交易所", "北交所"),
    # beijing-gazette-2022-05.txt:746
    ("探索在中国(北京)自由贸易试验区(以下简称自贸试验区)等区域", "自由贸易试验区", "自贸试验区"),
])
def test_harvested_abbreviations(text, full, short):
    _words, pairs = harvest_terms(None, text)
    assert [full, short] in pairs


def test_synonym_group_token_links_spellings():
    seg = Segmenter()
    # xicheng-gazette-2022.txt:57 writes 北京证券交易所; users type 北交所
    a = set(seg.tokens("全力服务保障北京证券交易所建设发展"))
    b = set(seg.query_terms("北交所 上市 奖励"))
    assert {t for t in a & b if t.startswith("syn")}


def test_query_terms_drop_question_words():
    terms = Segmenter().query_terms("西城区2022年计划新增多少张家庭养老照护床位？")
    assert "床位" in terms and "多少" not in terms and "？" not in terms


def test_snippet_marks_longest_form_and_escapes():
    s = snippet("鼓励和促进创新型中小企业在北京证券交易所上市<b>", ["北京", "北京证券交易所", "上市"])
    assert "<mark>北京证券交易所</mark>" in s and "&lt;b&gt;" in s


def test_search_finds_provision_with_context(lib):
    r = search(lib, "北交所 上市 奖励")
    assert r.total > 0 and r.hits
    top = r.hits[0]
    # xicheng-gazette-2022.txt: (九)加强北交所上市企业资金保障 … 给予总额不超过150万元
    assert any("北交所" in h.text for h in r.hits[:3])
    assert top.cid.startswith(top.doc_key) and top.doc_title and "<mark>" in top.snippet
    assert top.source == XICHENG and top.line_start > 0


def test_issuer_filter_and_facets(lib):
    all_hits = search(lib, "营商环境")
    xc = search(lib, "营商环境", issuer="西城")
    assert 0 < xc.total < all_hits.total
    assert all(any("西城" in i for i in h.issuers) for h in xc.hits)
    issuers = dict(all_hits.facets["issuer"])
    assert any("西城" in k for k in issuers) and any("西城" not in k for k in issuers)
    assert all_hits.facets["year"]


@pytest.mark.parametrize("number", ["西政发〔2022〕1号", "西政发[2022]1号", "西政发 (2022) 1 号"])
def test_doc_number_filter_any_bracket_style(lib, number):
    # xicheng-gazette-2022.txt:41 西政发〔2022〕1号 (北交所 measures)
    r = search(lib, "上市", doc_number=number)
    assert r.total > 0
    assert {h.doc_number for h in r.hits} == {"西政发〔2022〕1号"}


def test_date_range_filter(lib):
    r = search(lib, "营商环境", since="2021-01-01", until=dt.date(2022, 12, 31))
    assert r.total > 0
    assert all(h.date and dt.date(2021, 1, 1) <= h.date <= dt.date(2022, 12, 31) for h in r.hits)
    assert search(lib, "营商环境", until="2000-01-01").total == 0


def test_pagination_pages_differ(lib):
    p1 = search(lib, "企业", per_page=5)
    p2 = search(lib, "企业", per_page=5, page=2)
    assert p1.total == p2.total > 10
    assert not {h.cid for h in p1.hits} & {h.cid for h in p2.hits}


def test_index_refreshes_after_ingest(tmp_path):
    from zhengce.library import Library
    lib = Library(url=f"sqlite:///{tmp_path}/t.db", data_dir=tmp_path)
    lib.ingest([corpus_file(CITY)])
    # 洗浴 (xicheng-gazette-2022.txt, 三项为老服务) is not in the city gazette
    assert search(lib, "洗浴 代换煤气").total == 0
    lib.ingest([corpus_file(XICHENG)])
    assert search(lib, "洗浴 代换煤气").total > 0
    lib.engine.dispose()


def test_same_api_on_both_stores(library):
    library.ingest([corpus_file(CITY)])
    r = search(library, "南部地区 投资 比例", since="2018-01-01")
    # beijing-gazette-2019-10.txt: 南部地区相关项目投资比例不低于全市总投资的30%
    assert r.total > 0
    assert any("30%" in h.text for h in r.hits[:10])
    assert r.facets.get("issuer")


def test_cli_search_and_ask(tmp_path):
    import json

    from typer.testing import CliRunner

    from zhengce.cli import app
    runner = CliRunner()
    env = {"ZHENGCE_DATA_DIR": str(tmp_path), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    assert runner.invoke(app, ["ingest", str(corpus_file(CITY))], env=env).exit_code == 0
    r = runner.invoke(app, ["search", "南部地区 投资比例", "--since", "2018", "--json"], env=env)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total"] > 0 and out["hits"][0]["cid"]
    assert out["total_relation"] == "eq" and 0 < out["documents"] <= out["total"]
    r = runner.invoke(app, ["search", "南部地区 投资比例", "--since", "2018"], env=env)
    assert f"共 {out['total']:,} 条条款 · {out['documents']:,} 篇文件" in r.output
    r = runner.invoke(app, ["ask", "市政府每年投到南部地区的投资比例不低于多少？"], env=env)
    # beijing-gazette-2019-10.txt: …投资比例不低于全市总投资的30%
    assert r.exit_code == 0 and "30%" in r.output
    r = runner.invoke(app, ["search", "投资", "--since", "not-a-date"], env=env)
    assert r.exit_code != 0


@pytest.mark.parametrize(("kw", "issuer_part"), [
    ({"level": "区"}, "西城区"),  # xicheng-gazette-2022.txt: district documents
    ({"district": "西城区"}, "西城区"),
    ({"level": "市"}, "北京市"),  # beijing-gazette-2019-10.txt: city documents
])
def test_level_and_district_filters(lib, kw, issuer_part):
    r = search(lib, "营商环境", **kw)
    assert r.total > 0
    assert all(any(issuer_part in i for i in h.issuers) for h in r.hits)
    if kw.get("level") == "市":
        assert not any("西城区" in i for h in r.hits for i in h.issuers)
