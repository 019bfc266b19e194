"""Two-step ranking of common queries on the embedded index (``search_exact_limit``): provisions
are ranked within the best-matching documents only, with the exhaustive ranking's scores, exact
document counts and facets, and a provision total that says it is a lower bound.

Texts: data/gazettes/xicheng-gazette-2022.txt (西城区人民政府公报 2022: dozens of documents, so a
common word such as 服务 matches far more documents than a small candidate set holds).
"""

from __future__ import annotations

import pytest

from zhengce.search import search
from zhengce.search import tantivy_query as tq

from conftest import corpus_file

XICHENG = "xicheng-gazette-2022.txt"


@pytest.fixture
def xicheng(sqlite_library):
    sqlite_library.ingest([corpus_file(XICHENG)])
    return sqlite_library


def exhaustive(lib, query, monkeypatch, **kw):
    monkeypatch.setenv("ZHENGCE_SEARCH_EXACT_LIMIT", str(10**12))
    try:
        return search(lib, query, **kw)
    finally:
        monkeypatch.delenv("ZHENGCE_SEARCH_EXACT_LIMIT")


@pytest.mark.parametrize("query, filters", [
    ("养老 服务 补贴", {}),  # xicheng-gazette-2022.txt:3123 养老服务 / 补贴 throughout the gazette
    ("营商环境 企业", {"since": "2022-01-01"}),
    ("居民 社区", {"issuer": "西城"}),
])
def test_bounded_query_keeps_scores_counts_and_facets(xicheng, monkeypatch, query, filters):
    full = exhaustive(xicheng, query, monkeypatch, per_page=200, **filters)
    assert full.total_relation == "eq" and full.documents > 3
    monkeypatch.setenv("ZHENGCE_SEARCH_EXACT_LIMIT", "1")
    monkeypatch.setattr(tq, "CANDIDATE_DOCUMENTS", 3)
    bounded = search(xicheng, query, per_page=3, **filters)
    assert bounded.total_relation == "gte"
    assert 0 < bounded.total < full.total  # only the provisions of 3 documents were counted
    assert bounded.documents == full.documents and bounded.facets == full.facets
    assert len({h.doc_key for h in bounded.hits}) <= 3
    score = {h.cid: h.score for h in full.hits}
    for h in bounded.hits:  # a kept provision has its exhaustive score
        assert h.score == pytest.approx(score[h.cid], rel=1e-5)
    # ranked as the exhaustive query ranks the provisions of those documents
    keys = {h.doc_key for h in bounded.hits}
    assert [h.cid for h in bounded.hits] == [h.cid for h in full.hits if h.doc_key in keys][:3]


def test_bounded_query_is_exact_when_every_matching_document_is_a_candidate(xicheng, monkeypatch):
    full = exhaustive(xicheng, "洗浴 代换煤气", monkeypatch)  # xicheng-gazette-2022.txt:3123
    monkeypatch.setenv("ZHENGCE_SEARCH_EXACT_LIMIT", "1")
    bounded = search(xicheng, "洗浴 代换煤气")
    assert bounded.total_relation == "eq"
    assert (bounded.total, bounded.documents) == (full.total, full.documents)
    assert [(h.cid, round(h.score, 4)) for h in bounded.hits] == [(h.cid, round(h.score, 4)) for h in full.hits]


def test_pages_rank_within_the_same_candidates(xicheng, monkeypatch):
    monkeypatch.setenv("ZHENGCE_SEARCH_EXACT_LIMIT", "1")
    monkeypatch.setattr(tq, "CANDIDATE_DOCUMENTS", 3)
    pages = [search(xicheng, "服务", per_page=1, page=p) for p in (1, 2, 3)]
    whole = search(xicheng, "服务", per_page=3)
    assert [h.cid for r in pages for h in r.hits] == [h.cid for h in whole.hits]
    assert whole.total_relation == "gte" and all(r.total == whole.total for r in pages)
    fourth = search(xicheng, "服务", per_page=1, page=4)  # beyond: 6 documents ranked in
    assert fourth.hits and fourth.total > whole.total


def test_small_library_stays_exhaustive(xicheng):
    r = search(xicheng, "服务")  # default limit: a gazette is far below it
    assert r.total_relation == "eq"
