"""Pruned ranking (``tantivy_topk``) returns the exhaustive search's page exactly, and bounded
totals say what they are.

Texts: data/gazettes/xicheng-gazette-2022.txt and beijing-gazette-2019-10.txt; the queries are
words of their provisions (营商环境, 就业, 养老服务 …), common ones included, so the threshold has
to grow past its first depth.
"""

from __future__ import annotations

import datetime as dt

import pytest
import tantivy

from zhengce.search import search, tantivy_query, tantivy_topk

from conftest import corpus_file

QUERIES = [
    ("营商环境", {}),
    ("企业", {}),  # in most documents: many ties on the document-title field
    ("就业 创业 补贴", {}),
    ("养老服务 老年人", {"issuer": "西城"}),  # contains filter: a constant-score term set
    ("高新技术企业 奖励", {"since": "2020-01-01"}),  # date range
    ("审批 服务", {"doc_type": "实施方案"}),  # exact facet: a BM25-scored term clause
    ("北交所 上市 资金", {"issuer": "北京", "until": "2022-12-31"}),
]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    from zhengce.library import Library
    d = tmp_path_factory.mktemp("topk")
    lib = Library(url=f"sqlite:///{d}/t.db", data_dir=d)
    lib.ingest([corpus_file("xicheng-gazette-2022.txt"), corpus_file("beijing-gazette-2019-10.txt")])
    yield lib
    lib.engine.dispose()


def _page(lib, q, flt, page, per_page=10):
    r = search(lib, q, page=page, per_page=per_page, facets=False, **flt)
    return r, [(h.cid, h.score) for h in r.hits]


@pytest.mark.parametrize(("q", "flt"), QUERIES)
def test_pruned_pages_equal_exhaustive_ones(lib, monkeypatch, q, flt):
    exhaustive = {}
    for page in (1, 2, 5):
        monkeypatch.setattr(tantivy_query, "EXACT_LIMIT", 10**12)
        exhaustive[page] = _page(lib, q, flt, page)
    monkeypatch.setattr(tantivy_query, "EXACT_LIMIT", 0)  # prune every ranked query
    monkeypatch.setattr(tantivy_topk, "START_DEPTH", 8)  # and start shallow: the loop must deepen
    for page, (full, hits) in exhaustive.items():
        r, pruned = _page(lib, q, flt, page)
        assert pruned == hits, (q, flt, page)  # same provisions, same order, bit-identical scores
        assert r.documents == full.documents
        if r.total_relation == "eq":
            assert r.total == full.total
        else:
            assert r.total_relation == "gte" and r.documents <= r.total <= full.total


def test_common_query_total_is_a_flagged_lower_bound(lib, monkeypatch):
    exact = search(lib, "企业")
    assert exact.total_relation == "eq"  # a small library: counted exhaustively
    monkeypatch.setattr(tantivy_query, "EXACT_LIMIT", 0)
    bounded = search(lib, "企业")
    assert bounded.total_relation == "gte" and bounded.total <= exact.total
    assert bounded.documents == exact.documents and bounded.facets == exact.facets


def test_filter_clauses_score_what_the_bound_assumes(lib):
    """A range or term-set MUST clause adds the constant the threshold counts on."""
    index, _docs = lib.search_index.fresh()
    searcher, schema = index.searcher(), index.schema
    clauses = tantivy_query.filter_clauses(index, searcher, {"issuer": "西城", "since": dt.date(2020, 1, 1),
                                                            "until": None}, schema)
    assert [k for k, _q in clauses] == ["const", "const"]
    for _kind, q in clauses:
        scores = {s for s, _a in searcher.search(q, limit=50, count=False).hits}
        assert scores == {tantivy_topk.CONST_FILTER_SCORE}
    [(kind, term)] = tantivy_query.filter_clauses(index, searcher, {"doc_type": "实施方案"}, schema)
    top = searcher.search(term, limit=200, count=False).hits
    assert kind == "term" and tantivy_topk.filter_bound(searcher, [(kind, term)]) == max(s for s, _a in top)
    both = tantivy.Query.boolean_query([(tantivy.Occur.Must, q) for _k, q in clauses])
    assert searcher.search(both, limit=1, count=False).hits[0][0] == 2 * tantivy_topk.CONST_FILTER_SCORE


def test_bounded_total_shown_as_such(lib, monkeypatch, tmp_path):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    from zhengce.cli.search import total_text
    monkeypatch.setattr(tantivy_query, "EXACT_LIMIT", 0)
    r = search(lib, "企业")
    assert total_text(r) == f"≥ {r.total:,} 条条款 · 共 {r.documents:,} 篇文件"
    client = TestClient(create_app(lib))
    body = client.get("/api/search", params={"q": "企业"}).json()
    assert body["total_relation"] == "gte" and body["documents"] == r.documents
    html = client.get("/search", params={"q": "企业"}).text
    assert f"至少 <b>{r.total:,}</b> 条条款（未逐一计数）· 共 <b>{r.documents:,}</b> 篇文件" in html
