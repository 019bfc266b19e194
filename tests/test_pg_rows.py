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
from zhengce.search import search
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
