"""The search backend protocol: same behaviour on tantivy (SQLite store) and PostgreSQL, facets
declared as data, incremental updates of changed files, and an index that catches up with the store.

Texts: data/gazettes/xicheng-gazette-2022.txt (西城区人民政府公报 2022).
"""

from __future__ import annotations

import shutil

import orjson
import pytest
import tantivy
from sqlalchemy import text

from zhengce.search import facets as facet_decl
from zhengce.search import search

from conftest import corpus_file

XICHENG = "xicheng-gazette-2022.txt"


@pytest.fixture
def gazette_facet(monkeypatch):
    """One extra facet, declared the way another feature would declare it (one line)."""
    monkeypatch.setattr(facet_decl, "FACETS", [*facet_decl.FACETS, facet_decl.Facet(
        "gazette", "公报", lambda d: [d.gazette] if d.gazette else [])])


def test_declared_facet_filters_and_counts_on_both_backends(library, gazette_facet):
    library.ingest([corpus_file(XICHENG)])
    r = search(library, "营商环境")
    # xicheng-gazette-2022.txt:3 "# 北京市西城区人民政府公报": every document of the file carries it
    names = [v for v, _n in r.facets["gazette"]]
    assert names and all(v.startswith("北京市西城区人民政府公报") for v in names)
    only = search(library, "营商环境", gazette=names[0])
    assert 0 < only.total <= r.total
    assert search(library, "营商环境", gazette="不存在的公报").total == 0


def test_filters_agree_across_backends(library):
    library.ingest([corpus_file(XICHENG)])
    # xicheng-gazette-2022.txt:26 西民发〔2022〕2号 — 三项为老服务管理办法
    r = search(library, "洗浴 代换煤气", doc_number="西民发[2022]2号")
    assert r.total > 0 and {h.doc_number for h in r.hits} == {"西民发〔2022〕2号"}
    assert all("西城" in "".join(h.issuers) for h in search(library, "洗浴", issuer="西城区民政局").hits)
    assert search(library, "洗浴", issuer="海淀").total == 0
    assert r.backend == library.search_index.name


def test_reingest_of_changed_file_replaces_only_its_records(library, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / XICHENG
    shutil.copy(corpus_file("beijing-gazette-2019-10.txt"), a)
    shutil.copy(corpus_file(XICHENG), b)
    library.ingest([a, b])
    before = search(library, "南部地区").total
    assert search(library, "洗浴 代换煤气").total > 0
    # replace the phrase in the copy (xicheng-gazette-2022.txt:3123 "洗浴、代换煤气、上门理发")
    b.write_text(b.read_text(encoding="utf-8").replace("代换煤气", "更换灶具"), encoding="utf-8")
    [res] = library.ingest([b])
    assert res.status == "ingested"
    assert not any("代换煤气" in h.text for h in search(library, "代换煤气", per_page=100).hits)
    assert any("更换灶具" in h.text for h in search(library, "更换灶具").hits)
    assert search(library, "南部地区").total == before  # the other file's records are untouched


def test_index_catches_up_with_store_changes_it_missed(sqlite_library, tmp_path):
    """A store commit whose index update never happened (a crash) is repaired by the next reader."""
    lib = sqlite_library
    lib.ingest([corpus_file("beijing-gazette-2019-10.txt")])
    assert search(lib, "洗浴 代换煤气").total == 0

    class Lost:  # a session that dies after the store commit: nothing reaches the index
        def in_transaction(self, conn, source, sha, docs):
            pass

        def committed(self, source, sha, docs):
            pass

        def close(self):
            pass

    assert lib.ingest_file(corpus_file(XICHENG), index=Lost()).status == "ingested"
    r = search(lib, "洗浴 代换煤气")
    assert r.total > 0 and r.hits[0].source == XICHENG


def test_store_filled_without_a_log_is_indexed_whole(sqlite_library):
    """A store from before ``source_log`` (or filled without this index) is indexed on first search."""
    lib = sqlite_library
    lib.ingest([corpus_file(XICHENG)])
    with lib.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM source_log")
    shutil.rmtree(lib.search_index.dir)
    from zhengce.library import Library
    fresh = Library(url=lib.url, data_dir=lib.data_dir)
    # xicheng-gazette-2022.txt:3123 三项为老服务
    assert any("代换煤气" in h.text for h in search(fresh, "洗浴 代换煤气").hits)
    fresh.engine.dispose()


def test_hits_show_the_store_rows_and_only_of_the_version_indexed(sqlite_library):
    """The index stores no display text: a hit's text and document fields are the store's rows;
    a hit of a source version the store no longer holds (the window between a writer's store and
    index commits) is not shown and not counted."""
    lib = sqlite_library
    lib.ingest([corpus_file(XICHENG), corpus_file("beijing-gazette-2019-10.txt")])
    r = search(lib, "洗浴 代换煤气")  # xicheng-gazette-2022.txt:3123 三项为老服务
    assert r.hits and r.hits[0].source == XICHENG
    with lib.engine.connect() as conn:
        for h in r.hits:
            row = conn.execute(text("SELECT p.text, p.line_start, d.title FROM provisions p "
                                    "JOIN documents d ON d.key = p.doc_key WHERE p.cid = :c"), {"c": h.cid}).one()
            assert (h.text, h.line_start, h.doc_title) == tuple(row)
    searcher = lib.search_index.fresh()[0].searcher()
    [(_score, addr)] = searcher.search(tantivy.Query.all_query(), 1).hits
    assert set(orjson.loads(bytes(searcher.doc(addr)["meta"][0]))) == {"path", "sha", "sp"}
    with lib.engine.begin() as conn:  # the store moves to another version; the index is not told
        conn.execute(text("UPDATE sources SET sha256 = 'next' WHERE source_path = :s"), {"s": XICHENG})
    after = search(lib, "洗浴 代换煤气")
    assert all(h.source != XICHENG for h in after.hits)
    assert after.total == r.total - sum(h.source == XICHENG for h in r.hits)


def _all_hits(library, query: str, **filters) -> list:
    out, page = [], 1
    while True:
        r = search(library, query, per_page=200, page=page, facets=False, **filters)
        out += r.hits
        if len(r.hits) < 200:
            return out
        page += 1


def test_counts_are_documents_on_both_backends(library):
    """Facet counts and ``documents`` count matching documents, the provision total is exact here."""
    library.ingest([corpus_file(XICHENG)])
    # xicheng-gazette-2022.txt: 营商环境 appears in several of the year's documents
    r = search(library, "营商环境")
    hits = _all_hits(library, "营商环境")
    assert r.total_relation == "eq" and r.total == len(hits)
    docs = {h.doc_key: h for h in hits}
    assert 1 < r.documents == len(docs) < r.total
    for value, n in r.facets["issuer"]:
        assert n == sum(1 for h in docs.values() if value in h.issuers), value
    for value, n in r.facets["year"]:
        assert n == sum(1 for h in docs.values() if h.date and str(h.date.year) == value), value
    value, n = r.facets["doc_type"][0]  # an exact-match facet: filtering by it keeps its documents
    assert search(library, "营商环境", doc_type=value).documents == n
    listed = search(library, "", doc_type="通知")  # filter only: every provision of its documents
    assert listed.documents == len({h.doc_key for h in _all_hits(library, "", doc_type="通知")})
