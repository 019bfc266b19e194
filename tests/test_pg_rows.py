"""The PostgreSQL backend's rows (search/pg_rows.py): vectors built per distinct text, facets per document.

The write path parses each document context and heading path once per file and concatenates;
these tests check on real gazette text that every stored vector is exactly what the whole-row
expression gives, and that facet filters read from ``search_docs`` select the same provisions
as the facet values of each hit's own document.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from zhengce.library import Library
from zhengce.search import pg_query, search
from zhengce.search.records import records
from zhengce.store import documents as store_docs

from conftest import corpus_file

pytestmark = pytest.mark.postgres

WHOLE_ROW = ("(setweight(to_tsvector('simple', :body), 'A') || setweight(to_tsvector('simple', :path), 'B') || "
             "setweight(to_tsvector('simple', :ctx), 'D'))::text")


@pytest.fixture(scope="module")
def pg_gazette(tmp_path_factory):
    """One 2022 Xicheng gazette ingested once into a fresh PostgreSQL database."""
    import uuid

    import psycopg

    from conftest import PG_ADMIN_URL, PG_OK
    if not PG_OK:
        pytest.skip("PostgreSQL not reachable")
    name = f"zhengce_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    lib = Library(url=f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}", data_dir=tmp_path_factory.mktemp("pg"))
    [res] = lib.ingest([corpus_file("xicheng-gazette-2022.txt")])
    assert res.status == "ingested"
    yield lib
    lib.engine.dispose()
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_every_stored_vector_is_the_whole_row_expression(pg_gazette):
    lib = pg_gazette
    seg = lib.search_index.segmenter()  # the dictionary state the file was cut in: its own words
    with lib.engine.connect() as conn:
        docs = store_docs.documents_of_source(conn, "xicheng-gazette-2022.txt")
        stored = dict(conn.execute(text("SELECT cid, tsv::text FROM search_rows")).all())
        recs = [r for d in docs for r in records(seg, d)]
        assert len(recs) == len(stored) > 100
        # documents share a context, siblings a heading path: the cases the per-file parse dedupes
        assert len({r.ctx for r in recs}) < len(recs) and len({r.path for r in recs}) < len(recs)
        for r in recs:
            expected = conn.execute(text(f"SELECT {WHOLE_ROW}"), {"body": r.body, "path": r.path, "ctx": r.ctx})
            assert stored[r.cid] == expected.scalar_one(), r.cid


def test_one_row_per_document_holds_its_facets(pg_gazette):
    lib = pg_gazette
    with lib.engine.connect() as conn:
        keys = {r[0] for r in conn.execute(text("SELECT DISTINCT doc_key FROM search_rows"))}
        facets = dict(conn.execute(text("SELECT doc_key, facets FROM search_docs")).all())
    assert set(facets) == keys
    # xicheng-gazette-2022.txt: the gazette's documents are issued by Xicheng bodies
    assert all(any("西城" in i for i in f["issuer"]) for f in facets.values() if f["issuer"])


@pytest.mark.parametrize("query, issuer", [
    ("洗浴", "西城区民政局"),  # xicheng-gazette-2022.txt: 洗浴 in the 民政局 notice on bathing services
    ("养老 服务", "西城"),
    ("企业", "人民政府"),
])
def test_issuer_filter_keeps_exactly_the_hits_of_matching_documents(pg_gazette, query, issuer):
    everything = _all_hits(pg_gazette, query)
    filtered = _all_hits(pg_gazette, query, issuer=issuer)
    expected = [h.cid for h in everything if any(issuer in i for i in h.issuers)]
    assert expected, "the corpus has matching provisions for this filter"
    assert [h.cid for h in filtered] == expected


def _all_hits(lib, query, **filters):
    hits, page = [], 1
    while True:
        res = search(lib, query, page=page, per_page=200, facets=False, **filters)
        hits += res.hits
        if len(hits) >= res.total or not res.hits:
            return hits
        page += 1


# --- documents first (search/pg_query.py): one row per document ranks, counts and facets ---

def test_a_document_row_holds_its_provisions_lexemes_date_and_count(pg_gazette):
    with pg_gazette.engine.connect() as conn:
        union = dict(conn.execute(text(
            "SELECT doc_key, array_agg(DISTINCT l ORDER BY l) FROM search_rows, "
            "unnest(tsvector_to_array(tsv)) l GROUP BY doc_key")).all())
        rows = {k: (n, d) for k, n, d in conn.execute(text(
            "SELECT doc_key, count(*), min(day) FROM search_rows GROUP BY doc_key"))}
        docs = conn.execute(text(
            "SELECT doc_key, tsvector_to_array(terms), provisions, day FROM search_docs")).all()
    assert len(docs) == len(union) > 10  # xicheng-gazette-2022.txt: 16 documents
    for key, lexemes, n, day in docs:
        assert sorted(lexemes) == union[key], key
        assert (n, day) == rows[key], key


def _ranked_everywhere(lib, query, monkeypatch, **kw):
    monkeypatch.setattr(pg_query, "CANDIDATE_DOCUMENTS", 10**6)
    return search(lib, query, **kw)


@pytest.mark.parametrize("query, filters", [
    ("养老 服务 补贴", {}),  # xicheng-gazette-2022.txt:3123 养老服务 / 补贴 throughout the gazette
    ("营商环境 企业", {"since": "2022-01-01"}),
    ("居民 社区", {"issuer": "西城"}),
])
def test_provisions_ranked_within_the_best_documents_keep_their_scores(pg_gazette, monkeypatch, query, filters):
    full = _ranked_everywhere(pg_gazette, query, monkeypatch, per_page=200, **filters)
    assert full.total_relation == "eq" and full.documents > 3
    with pg_gazette.engine.connect() as conn:  # the exhaustive count, straight from the rows
        q = pg_query.tsquery(full.terms)
        assert full.total == conn.execute(text(
            "SELECT count(*) FROM search_rows r JOIN search_docs d USING (doc_key) "
            "WHERE r.tsv @@ to_tsquery('simple', :q) AND d.day >= :since AND d.facets->>'issuer' LIKE :iss"),
            {"q": q, "since": 20220101 if filters.get("since") else -1,
             "iss": f"%{filters.get('issuer', '')}%"}).scalar_one()
    monkeypatch.setattr(pg_query, "CANDIDATE_DOCUMENTS", 3)
    bounded = search(pg_gazette, query, per_page=3, **filters)
    assert bounded.total_relation == "gte"
    assert 0 < bounded.total < full.total  # only the provisions of 3 documents were counted
    assert bounded.documents == full.documents and bounded.facets == full.facets
    keys = {h.doc_key for h in bounded.hits}
    assert len(keys) <= 3
    score = {h.cid: h.score for h in full.hits}
    for h in bounded.hits:  # a kept provision has its exhaustive score
        assert h.score == pytest.approx(score[h.cid], rel=1e-5)
    assert [h.cid for h in bounded.hits] == [h.cid for h in full.hits if h.doc_key in keys][:3]


def test_pages_rank_within_the_same_documents(pg_gazette, monkeypatch):
    monkeypatch.setattr(pg_query, "CANDIDATE_DOCUMENTS", 3)
    pages = [search(pg_gazette, "服务", per_page=1, page=p) for p in (1, 2, 3)]
    whole = search(pg_gazette, "服务", per_page=3)
    assert [h.cid for r in pages for h in r.hits] == [h.cid for h in whole.hits]
    assert whole.total_relation == "gte" and all(r.total == whole.total for r in pages)
    fourth = search(pg_gazette, "服务", per_page=1, page=4)  # beyond: 6 documents ranked in
    assert fourth.hits and fourth.total > whole.total


def test_filters_alone_list_provisions_in_document_order_with_an_exact_total(pg_gazette, monkeypatch):
    monkeypatch.setattr(pg_query, "CANDIDATE_DOCUMENTS", 2)
    with pg_gazette.engine.connect() as conn:
        expected = [c for (c,) in conn.execute(text(
            "SELECT r.cid FROM search_rows r JOIN search_docs d USING (doc_key) "
            "WHERE d.facets->>'issuer' LIKE '%民政局%' ORDER BY r.doc_key, r.seq"))]
    assert len(expected) > 12  # xicheng-gazette-2022.txt: the 民政局's notices
    pages = [search(pg_gazette, "", issuer="民政局", per_page=4, page=p) for p in (1, 2, 3)]
    assert [h.cid for r in pages for h in r.hits] == expected[:12]
    assert all(r.total == len(expected) and r.total_relation == "eq" for r in pages)
