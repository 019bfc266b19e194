"""Pipelined ingest (``Library.ingest(..., workers=N)``, ``zhengce.prefetch``): worker processes
prepare files ahead, the calling process writes them in order — the store must end up exactly as
an in-process ingest leaves it, on both stores, and a file that fails in a worker is an error
result naming that file while the others go in.

Texts: the 20 State Council pages of ../shared/eval/govcn/corpus, plus one of them again under
another name (its documents' keys collide with the first copy's inside the same run).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from zhengce.errors import InvalidInput
from zhengce.library import Library
from zhengce.prefetch import worker_count
from zhengce.search import search
from zhengce.store import base as store_base
from zhengce.store import documents as store_docs

from conftest import CORPUS, ROOT

GOVCN = ROOT.parent / "shared" / "eval" / "govcn" / "corpus"
VOLATILE = {"id", "ingested_at", "kept_at", "path", "gen", "created_at"}


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    if not GOVCN.is_dir():
        pytest.skip("../shared/eval/govcn/corpus is not here")
    d = tmp_path_factory.mktemp("pages")
    files = sorted(GOVCN.glob("*.htm*"))
    for f in files:
        shutil.copy(f, d / f.name)
    shutil.copy(files[3], d / "zz-reprint.htm")  # last: its keys are taken by an earlier file of the run
    return sorted(d.iterdir())


def stored(lib: Library) -> list[tuple]:
    """Every row of every store table (ids, times and paths aside), sorted."""
    rows = []
    with lib.engine.connect() as conn:
        for table in store_base.metadata.sorted_tables:
            cols = [c for c in table.columns if c.name not in VOLATILE]
            rows += sorted((table.name, *map(repr, r)) for r in conn.execute(select(*cols)))
    return rows


@pytest.fixture(scope="module")
def in_process(pages, tmp_path_factory) -> list[tuple]:
    d = tmp_path_factory.mktemp("serial")
    lib = Library(url=f"sqlite:///{d}/t.db", data_dir=d)
    results = lib.ingest(pages, workers=0)
    assert [r.status for r in results] == ["ingested"] * len(pages)
    rows = stored(lib)
    lib.engine.dispose()
    return rows


def test_workers_store_exactly_what_one_process_stores(library, pages, in_process):
    results = library.ingest(pages, workers=2)
    assert [r.status for r in results] == ["ingested"] * len(pages)
    assert [r.source_path for r in results] == [p.name for p in pages]  # results in the order given
    assert stored(library) == in_process
    with library.engine.connect() as conn:
        keys = {d.key for d in store_docs.documents_of_source(conn, "zz-reprint.htm")}
    assert keys and all(k.endswith("@zz-reprint") for k in keys)  # rekeyed as in one process
    # the index holds every non-empty provision of the store
    with library.engine.connect() as conn:
        n = sum(1 for sp in store_docs.source_shas(conn) for d in store_docs.documents_of_source(conn, sp)
                for p in d.provisions if p.text.strip())
    assert search(library, "", per_page=1, facets=False).total == n
    again = library.ingest(pages, workers=2)
    assert {r.status for r in again} == {"unchanged"}


def test_a_file_failing_in_a_worker_is_an_error_naming_it(sqlite_library, pages, tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a pdf")
    die_on = pages[2]
    lib = sqlite_library
    name, extract, save = lib.stages[0]

    def dies_on_one_file(doc):  # a worker killed mid-file (out of memory, a crash in C)
        if doc.source == die_on.name:
            os._exit(9)
        return extract(doc)

    lib.stages[0] = (name, dies_on_one_file, save)
    files = [pages[0], broken, pages[1], die_on, *pages[3:6]]
    results = lib.ingest(files, workers=2)
    by_name = {Path(r.path).name: r for r in results}
    assert [Path(r.path).name for r in results] == [f.name for f in files]
    assert by_name["broken.pdf"].status == "error" and "broken.pdf" in by_name["broken.pdf"].error
    assert by_name[die_on.name].status == "error"
    assert die_on.name in by_name[die_on.name].error and "worker process died" in by_name[die_on.name].error
    ok = [f.name for f in files if f not in (broken, die_on)]
    assert all(by_name[n].status == "ingested" for n in ok)
    with lib.engine.connect() as conn:
        assert sorted(store_docs.source_shas(conn)) == sorted(ok)


def test_worker_count_setting(sqlite_library, monkeypatch):
    monkeypatch.setenv("ZHENGCE_INGEST_WORKERS", "2")
    assert worker_count(sqlite_library, None, 10) == min(2, os.cpu_count() or 1)
    assert worker_count(sqlite_library, None, 1) == 0  # one file: nothing to overlap
    assert worker_count(sqlite_library, 0, 10) == 0
    memory = Library(url="sqlite://", data_dir=sqlite_library.data_dir / "m")
    assert worker_count(memory, 2, 10) == 0  # a child process cannot see an in-memory store
    monkeypatch.setenv("ZHENGCE_INGEST_WORKERS", "many")
    with pytest.raises(InvalidInput, match="ZHENGCE_INGEST_WORKERS"):
        worker_count(sqlite_library, None, 10)


def test_synonym_groups_numbered_alike_by_a_later_ingest_and_a_reader(library, tmp_path):
    """A second ingest process (a fresh Library on a store that already holds 简称 pairs) numbers
    the synonym groups it writes into the index (``syn<N>`` tokens) as every reader does, in the
    store's order: a query for a 简称 finds its full name, never another group's."""
    head = tmp_path / "xicheng-head.txt"  # 区应急委 … (以下简称…) definitions: xicheng-gazette-2022.txt:1-200
    head.write_text("".join((ROOT / "data/gazettes/xicheng-gazette-2022.txt").read_text(encoding="utf-8")
                            .splitlines(keepends=True)[:200]), encoding="utf-8")
    library.ingest([head])
    # beijing-private-enterprise-policies-2021q4.txt:5618 "等级评定委员会(以下简称“评委会”)"
    later = Library(url=library.url, data_dir=library.data_dir)
    later.ingest([ROOT / "data/gazettes/beijing-private-enterprise-policies-2021q4.txt"])
    later.engine.dispose()
    reader = Library(url=library.url, data_dir=library.data_dir)
    assert reader.search_index.segmenter().groups == later.search_index.dictionary.segmenter.groups
    seg = reader.search_index.segmenter()
    (syn,) = [t for t in seg.query_terms("评委会") if t.startswith("syn")]
    assert seg.surface_forms(syn) == ["评定委员会", "评委会"]
    hits = search(reader, syn, per_page=50, facets=False).hits  # what the index holds under that token
    assert hits and all("评委会" in h.text or "评定委员会" in h.text for h in hits), [h.text[:40] for h in hits]
    reader.engine.dispose()


def test_cuts_made_ahead_in_a_warm_library_index_what_one_process_indexes(pages, tmp_path, monkeypatch):
    """Workers cut a file's index texts ahead; the writer takes the cuts only in the same
    dictionary state, so the index is the one a serial ingest builds. In the first run most
    files bring words of their own (the cuts are refused); the second run's files are copies
    of the first's under new names: they bring no new word, so their cuts are taken."""
    from zhengce.search import segment

    copies = tmp_path / "copies"
    copies.mkdir()
    for p in pages:
        shutil.copy(p, copies / f"copy-{p.name}")
    libs = {}
    for mode in ("serial", "pipelined"):
        d = tmp_path / mode
        d.mkdir()
        libs[mode] = Library(url=f"sqlite:///{d}/t.db", data_dir=d)
        libs[mode].ingest(pages, workers=0 if mode == "serial" else 2)  # cold: most files bring words
    libs["serial"].ingest(sorted(copies.iterdir()), workers=0)
    cut_here = []
    real_cut = segment.Segmenter._cut_text
    monkeypatch.setattr(segment.Segmenter, "_cut_text", lambda self, t: cut_here.append(t) or real_cut(self, t))
    results = libs["pipelined"].ingest(sorted(copies.iterdir()), workers=2)
    monkeypatch.undo()
    assert {r.status for r in results} == {"ingested"}
    n_texts = sum(r.provisions for r in results)
    assert len(cut_here) < n_texts / 2  # most texts were cut by the workers
    assert stored(libs["pipelined"]) == stored(libs["serial"])
    # the same index: every hit and score alike for queries over the pages' words (ties in any order)
    for q in ["国务院 通知", "企业 补贴 申请", "就业 创业", "实施 方案 责任单位", "残疾人 保障", "数据 安全"]:
        res = {m: search(lib, q, per_page=200) for m, lib in libs.items()}
        got = {m: sorted((round(h.score, 4), h.cid) for h in r.hits) for m, r in res.items()}
        cut = got["serial"][0][0]  # ties at the page's end may fall either side of it
        assert res["pipelined"].total == res["serial"].total > 0, q
        assert [s for s, _ in got["pipelined"]] == [s for s, _ in got["serial"]], q
        assert [h for h in got["pipelined"] if h[0] > cut] == [h for h in got["serial"] if h[0] > cut], q
    for lib in libs.values():
        lib.engine.dispose()


def test_a_writer_takes_cuts_made_ahead_only_in_the_state_they_were_made_in():
    """beijing-gazette-2022-05.txt:750. A cut made in another dictionary state is never used:
    here the writer learnt a synonym group (a 简称 defined by a file written in between)."""
    from zhengce.search.segment import Segmenter

    line = (CORPUS / "beijing-gazette-2022-05.txt").read_text(encoding="utf-8").splitlines()[749]
    text = line[line.index("制定相关行业综合许可办事指南"):].split("。")[0]
    ahead = Segmenter()
    with ahead.recording() as cuts:
        fresh = ahead.token_text(text)
    assert cuts == {text: fresh} and "许可" in fresh.split()
    sentinel = {text: "取自预切分"}  # shows which cut the writer used

    same = Segmenter()
    same.offer(ahead.state(), sentinel)
    assert same.token_text(text) == "取自预切分"

    moved = Segmenter()
    moved.add_group(["行业综合许可办事指南", "综合许可事项办事指南"])  # forms > 8 characters: no rjieba word
    moved.offer(ahead.state(), sentinel)
    got = moved.token_text(text)
    assert got not in ("取自预切分", fresh)  # cut again: the new group gives the name its own token


def test_cuts_taken_from_workers_stay_within_the_cache_bound(monkeypatch):
    """Offered cuts go into the same bounded cache as the writer's own (an ingest of 100,000
    files took every file's cuts and grew by a gigabyte). Texts: beijing-gazette-2022-05.txt."""
    from zhengce.search import segment

    monkeypatch.setattr(segment, "CUT_CACHE", 50)
    lines = [ln for ln in (CORPUS / "beijing-gazette-2022-05.txt").read_text(encoding="utf-8").splitlines()
             if len(ln) > 20][:400]
    ahead, writer = segment.Segmenter(), segment.Segmenter()
    for k in range(0, len(lines), 20):  # one "file" of 20 provisions after another
        with ahead.recording() as cuts:
            for ln in lines[k:k + 20]:
                ahead.token_text(ln)
        writer.offer(ahead.state(), cuts)
        assert all(writer.token_text(ln) == cuts[ln] for ln in lines[k:k + 20])
        assert len(writer._cuts) <= 50
