"""Ingest under faults and sharing: kill -9 at any moment, two ingest processes, two readers.

Invariants checked after every fault: each source in the store is whole (its documents and
provisions, nothing half-written), and the search index holds exactly the store's provisions —
no record of a row that is not there, none missing — once a reader has opened it.
Texts: copies of data/gazettes/*.txt under other names.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from zhengce.library import Library
from zhengce.search import search
from zhengce.store import documents as store_docs
from zhengce.store import task_counts

from conftest import CORPUS, ROOT

INGEST = "import sys; from zhengce.cli import main; sys.argv = ['zhengce', 'ingest', *sys.argv[1:]]; main()"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """Ten files: each corpus file twice (the second a little changed, so its sha differs)."""
    d = tmp_path_factory.mktemp("faults") / "in"
    d.mkdir()
    for f in sorted(CORPUS.glob("*.txt")):
        shutil.copy(f, d / f.name)
        (d / f"copy-{f.name}").write_text(f.read_text(encoding="utf-8") + "\n附：副本。\n", encoding="utf-8")
    return d


def env_for(data: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ZHENGCE_DATA_DIR": str(data),
            "ZHENGCE_DATABASE_URL": f"sqlite:///{data}/lib.db"}


def indexed_vs_store(lib: Library) -> tuple[tuple[int, int], tuple[int, int]]:
    """((records, documents) the indexes answer an empty query with, (non-empty provisions,
    documents holding one) in the store): the document index must be as whole as the other."""
    r = search(lib, "", per_page=1, facets=False)
    n, docs = 0, 0
    with lib.engine.connect() as conn:
        for name in store_docs.source_shas(conn):
            for d in store_docs.documents_of_source(conn, name):
                k = sum(1 for p in d.provisions if p.text.strip())
                n, docs = n + k, docs + (k > 0)
    return (r.total, r.documents), (n, docs)


def assert_whole(lib: Library) -> None:
    with lib.engine.connect() as conn:
        orphans = conn.exec_driver_sql(
            "SELECT count(*) FROM documents WHERE source_path NOT IN (SELECT source_path FROM sources)").scalar_one()
        empty = conn.exec_driver_sql(
            "SELECT count(*) FROM sources WHERE source_path NOT IN (SELECT source_path FROM documents)").scalar_one()
        bare = conn.exec_driver_sql(
            "SELECT count(*) FROM documents WHERE key NOT IN (SELECT doc_key FROM provisions)").scalar_one()
    assert (orphans, empty, bare) == (0, 0, 0)
    with lib.engine.connect() as conn:  # the kept task counts: exactly what the tasks count
        assert task_counts.kept(conn) == task_counts.recount(conn)


def test_sigkill_mid_ingest_leaves_store_whole_and_index_repaired(folder, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    rnd = random.Random(13)
    for _round in range(3):
        proc = subprocess.Popen([sys.executable, "-c", INGEST, str(folder)], env=env_for(data),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(1.0, 4.0))  # somewhere in parse, store transaction or index commit
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        lib = Library(url=f"sqlite:///{data}/lib.db", data_dir=data)
        assert_whole(lib)
        got, want = indexed_vs_store(lib)
        assert got == want
        lib.engine.dispose()
    # the next ingest completes what the kills interrupted, and agrees with a clean library
    done = subprocess.run([sys.executable, "-c", INGEST, str(folder)], env=env_for(data), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    lib = Library(url=f"sqlite:///{data}/lib.db", data_dir=data)
    assert lib.counts()["sources"] == 10
    got, want = indexed_vs_store(lib)
    assert got == want
    # copy-xicheng-gazette-2022.txt ends with the added line 附：副本。
    assert any(h.source == "copy-xicheng-gazette-2022.txt" for h in search(lib, "副本", per_page=50).hits)
    lib.engine.dispose()


def test_two_ingest_processes_share_one_store(folder, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    files = sorted(str(p) for p in folder.iterdir())
    procs = [subprocess.Popen([sys.executable, "-c", INGEST, *order], env=env_for(data), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for order in (files, files[::-1])]
    outs = [p.communicate(timeout=900) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-2000:]
        assert "Traceback" not in err and "locked" not in err
    lib = Library(url=f"sqlite:///{data}/lib.db", data_dir=data)
    assert_whole(lib)
    assert lib.counts()["sources"] == 10
    got, want = indexed_vs_store(lib)
    assert got == want
    lib.engine.dispose()


def test_a_second_reader_sees_another_writers_ingest(tmp_path):
    """Two Library objects on one store behave like two server workers: no restart needed."""
    url = f"sqlite:///{tmp_path}/lib.db"
    writer, reader = Library(url=url, data_dir=tmp_path), Library(url=url, data_dir=tmp_path)
    writer.ingest([CORPUS / "beijing-gazette-2019-10.txt"])
    # xicheng-gazette-2022.txt:3123 "洗浴、代换煤气、上门理发" is not in the city gazette
    assert not any("代换煤气" in h.text for h in search(reader, "洗浴 代换煤气").hits)
    writer.ingest([CORPUS / "xicheng-gazette-2022.txt"])
    assert any("代换煤气" in h.text for h in search(reader, "洗浴 代换煤气").hits)
    writer.engine.dispose()
    reader.engine.dispose()


@pytest.mark.postgres
def test_dictionary_rows_become_visible_in_id_order_on_postgresql(pg_url):
    """A reader syncing between two writers' commits never skips the earlier writer's words.

    PostgreSQL draws sequence ids at insert, not at commit: without ordering, writer B's id 12
    could commit while writer A's id 11 is still open, and a reader that synced then would skip
    11 for good (its next sync asks for ids > 12). Words: names from the corpus gazettes.
    """
    import threading

    from zhengce.search.backend import Dictionary
    from zhengce.store import dictionary

    lib = Library(url=pg_url, data_dir=Path(pg_url.rsplit("/", 1)[1]))
    reader = Dictionary()
    with lib.engine.connect() as conn:
        reader.sync(conn)
    a = lib.engine.connect()
    a_tx = a.begin()
    dictionary.add_terms(a, {"市经济和信息化局"}, [])  # writer A: inserted, not committed

    def writer_b():
        with lib.engine.begin() as b:
            dictionary.add_terms(b, {"免申即享"}, [])

    tb = threading.Thread(target=writer_b)
    tb.start()
    tb.join(timeout=1.0)  # B commits within this unless it waits for A
    with lib.engine.connect() as conn:
        reader.sync(conn)  # what a server worker does before a query
    a_tx.commit()
    a.close()
    tb.join()
    with lib.engine.connect() as conn:
        reader.sync(conn)
    assert {"市经济和信息化局", "免申即享"} <= reader.segmenter.words
    lib.engine.dispose()


@pytest.mark.postgres
def test_an_ingest_racing_another_for_a_document_key_waits_for_it_on_postgresql(pg_url, tmp_path):
    """Two files holding the same 公文 (a reprint under another name), written at the same time:
    the second checks that the key is free while the first, which took it, has not committed.
    It must wait for that commit and take ``key@stem`` instead of failing on the unique key.
    Texts: a State Council page of ../shared/eval/govcn/corpus under two names."""
    import threading

    page = sorted((ROOT.parent / "shared" / "eval" / "govcn" / "corpus").glob("*.htm"))[0]
    first, second = tmp_path / f"a-{page.name}", tmp_path / f"b-{page.name}"
    shutil.copy(page, first)
    shutil.copy(page, second)
    data = tmp_path / "data"
    lib = Library(url=pg_url, data_dir=data)
    inside = threading.Event()

    class Slow:  # the first writer, held inside its transaction after writing its rows
        def in_transaction(self, conn, source, sha, docs):
            inside.set()
            time.sleep(8)

        def committed(self, source, sha, docs):
            pass

        def close(self):
            pass

    results = []
    writer = threading.Thread(target=lambda: results.append(lib.ingest_file(first, index=Slow())))
    writer.start()
    assert inside.wait(60)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "ZHENGCE_DATA_DIR": str(data),
           "ZHENGCE_DATABASE_URL": pg_url}
    done = subprocess.run([sys.executable, "-c", INGEST, str(second)], env=env, capture_output=True, text=True,
                          timeout=300)
    writer.join()
    assert done.returncode == 0, (done.stdout + done.stderr)[-2000:]
    assert results[0].status == "ingested"
    with lib.engine.connect() as conn:
        [a] = [d.key for d in store_docs.documents_of_source(conn, first.name)]
        [b] = [d.key for d in store_docs.documents_of_source(conn, second.name)]
    lib.engine.dispose()
    assert b == f"{a}@{second.stem}"  # the first took the 文号; the second its own stem
