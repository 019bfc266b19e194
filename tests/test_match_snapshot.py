"""The matcher's table kept on disk between processes (``zhengce.match.snapshot``): a fresh
``Library`` (what a new server worker or ``zhengce match`` call is) starts from the file without
decoding a rule, replays what the store logged since, and reads the store instead of a damaged,
foreign or outdated file — with the same output as the decoded rules, on both stores.

Corpus: beijing-gazette-2019-10.txt and beijing-private-enterprise-policies-2021q4.txt (the
enterprise rules: 中小微企业, 高新技术企业), xicheng-gazette-2022.txt (西民发〔2022〕2号/8号: the
elder-care rules); profiles as in test_match.py.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import corpus_file

ENTERPRISE = {"kind": "enterprise", "district": "西城区", "registered_in_beijing": True, "size": "small",
              "industries": ["软件和信息技术服务业"], "certifications": ["高新技术企业"], "employees": 80}
ELDER = {"kind": "person", "age": 70, "hukou": "西城区", "residence_district": "西城区", "disability": "severe"}
A, B = corpus_file("beijing-gazette-2019-10.txt"), corpus_file("beijing-private-enterprise-policies-2021q4.txt")
XICHENG = corpus_file("xicheng-gazette-2022.txt")


@pytest.fixture
def snap(monkeypatch):
    """The snapshot module, writing after any decode (the corpus holds hundreds of rules, fewer
    than ``MIN_DECODED``)."""
    from zhengce.match import snapshot
    monkeypatch.setattr(snapshot, "MIN_DECODED", 1)
    return snapshot


@pytest.fixture
def reads(monkeypatch):
    """The source of every rule decoded from the store, in order."""
    from zhengce.store import benefits as store_benefits
    seen: list[str] = []
    rows = store_benefits.extracted_rows

    def counted(conn, source_paths=None):
        for row in rows(conn, source_paths):
            seen.append(row[0])
            yield row

    monkeypatch.setattr(store_benefits, "extracted_rows", counted)
    return seen


@pytest.fixture
def fresh(library):
    """A new Library on the same store and data folder: its own rule cache, as in a new process."""
    from zhengce.library import Library
    made = []

    def make():
        lib = Library(url=library.url, data_dir=library.data_dir)
        made.append(lib)
        return lib
    yield make
    for lib in made:
        lib.engine.dispose()


def outputs(lib) -> list[str]:
    """What the faces print for the two profiles (``match_profile(...).to_dict()`` as JSON)."""
    from zhengce.match import match_profile
    return [json.dumps(match_profile(lib, dict(p)).to_dict(), ensure_ascii=False, default=str)
            for p in (ENTERPRISE, ELDER)]


def decoded(lib) -> list[str]:
    """The same from the rules decoded one by one (``load_rules``: no cache, no snapshot)."""
    from zhengce.match import load_rules, match_rules
    rules = load_rules(lib)
    return [json.dumps(match_rules(rules, dict(p)).to_dict(), ensure_ascii=False, default=str)
            for p in (ENTERPRISE, ELDER)]


def test_a_fresh_library_starts_from_the_snapshot(library, fresh, snap, reads):
    from zhengce.match import list_benefits
    library.ingest([A, B, XICHENG])
    first = outputs(library)
    assert len(reads) > 100 and snap.path_for(library).is_file()
    reads.clear()
    lib = fresh()
    assert outputs(lib) == first == decoded(lib)
    assert reads == []  # not one rule decoded from the store
    assert [b.to_dict() for b in list_benefits(lib)] == [b.to_dict() for b in list_benefits(library)]
    assert '"verdict": "eligible"' in first[1]  # the elder profile gets something (the output is not empty)


def test_changes_after_the_snapshot_are_replayed(library, fresh, snap, reads, tmp_path):
    """A re-ingest, a changed copy, a removal and a correction after the file was written: a
    fresh library decodes only the changed source's rules, and matches as the decoded rules do."""
    from zhengce.match.rules_io import export_rules, import_rules
    from zhengce.store import base as store_base
    from zhengce.store import documents as store_docs
    library.ingest([A, B])
    outputs(library)
    reads.clear()
    copy = tmp_path / "民营企业政策汇编-副本.txt"
    shutil.copy(B, copy)
    library.ingest([copy])  # the ingesting library does not match: the file stays behind
    lib = fresh()
    assert outputs(lib) == decoded(lib)
    assert set(reads) == {copy.name}
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text[: len(text) // 2], encoding="utf-8")
    library.ingest([copy])
    reads.clear()
    lib = fresh()
    assert outputs(lib) == decoded(lib)
    assert set(reads) == {copy.name}
    with store_base.write_transaction(library.engine) as conn:
        store_docs.delete_source(conn, copy.name)
    reads.clear()
    lib = fresh()
    after_removal = outputs(lib)
    assert after_removal == decoded(lib) and reads == []
    # a correction (overrides are not in the file: applied on every refresh)
    path = tmp_path / "rules.yaml"
    export_rules(library, path)
    import yaml
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["amount"].get("max_yuan"))
    rule["amount"]["max_yuan"] = rule["amount"]["max_yuan"] + 1234
    path.write_text(yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")
    assert import_rules(library, path)["changed"] == 1
    lib = fresh()
    corrected = outputs(lib)
    assert corrected == decoded(lib) and corrected != after_removal


def test_a_rebuilt_store_refuses_the_snapshot(library, fresh, snap, reads):
    """The store at the same URL is emptied and filled with other files up to the same
    generation: the file's log digest no longer holds, so the rules are read from the store."""
    from zhengce.library import Library
    from zhengce.store import base as store_base
    library.ingest([A, B])
    outputs(library)
    store_base.metadata.drop_all(library.engine)
    rebuilt = Library(url=library.url, data_dir=library.data_dir)
    rebuilt.ingest([XICHENG, B])  # two generations again, other rules
    rebuilt.engine.dispose()
    reads.clear()
    lib = fresh()
    assert outputs(lib) == decoded(lib)
    assert set(reads) == {XICHENG.name, B.name}


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "empty", "not a snapshot", "other code"])
def test_a_damaged_snapshot_falls_back_to_the_store(library, fresh, snap, reads, damage, monkeypatch):
    library.ingest([A, B])
    first = outputs(library)
    path = snap.path_for(library)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped byte":
        path.write_bytes(data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1:])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "not a snapshot":
        path.write_text("西城区政府公报", encoding="utf-8")
    else:
        monkeypatch.setattr(snap, "code_signature", lambda: "another version")
    reads.clear()
    lib = fresh()
    assert outputs(lib) == first  # no error, the same answer …
    assert set(reads) == {A.name, B.name}  # … from the store
    reads.clear()
    lib = fresh()  # and the file written again serves the next process
    assert outputs(lib) == first and reads == []


def test_a_generation_committed_late_refuses_the_snapshot(library, fresh, snap, reads):
    """PostgreSQL draws a generation at insert, so one below the file's may commit after it was
    written: the count of log rows up to the file's generation moves and the file is refused;
    a warm cache reads everything again for the same reason."""
    from zhengce.store import base as store_base
    from zhengce.store import documents as store_docs
    library.ingest([A])
    with store_base.write_transaction(library.engine) as conn:  # leave generations 2-9 unused
        conn.execute(store_docs.source_log.insert().values(gen=10, source=A.name,
                                                           sha256=store_docs.source_sha(conn, A.name)))
        if conn.dialect.name == "postgresql":  # the next ingest draws 11, as after real ingests
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('source_log', 'gen'), 10)")
    library.ingest([B])
    outputs(library)
    reads.clear()
    lib = fresh()
    outputs(lib)
    assert reads == []  # the file stands for this log …
    with store_base.write_transaction(library.engine) as conn:  # … until generation 5 commits late
        conn.execute(store_docs.source_log.insert().values(gen=5, source=B.name,
                                                           sha256=store_docs.source_sha(conn, B.name)))
    lib = fresh()
    assert outputs(lib) == decoded(lib)
    assert set(reads) == {A.name, B.name}
    reads.clear()
    copy = library.data_dir / "副本.txt"
    shutil.copy(A, copy)
    with store_base.write_transaction(library.engine) as conn:
        conn.execute(store_docs.source_log.insert().values(gen=6, source=A.name,
                                                           sha256=store_docs.source_sha(conn, A.name)))
    library.ingest([copy])  # the warm cache of ``lib`` sees its log grow below its generation
    assert outputs(lib) == decoded(lib)
    assert set(reads) == {A.name, B.name, copy.name}


def test_faces_answer_the_same_from_the_snapshot(library, fresh, snap, reads, monkeypatch):
    """The REST API and the web form give the same bytes from a snapshot as from a cold read."""
    from fastapi.testclient import TestClient

    import zhengce.match as match
    from zhengce.api import create_app
    library.ingest([A, B, XICHENG])
    query = "kind=person&age=70&hukou=西城区&residence_district=西城区&disability=severe"

    def faces(lib) -> tuple[bytes, str]:
        with TestClient(create_app(lib)) as client:
            api = client.post("/api/match", json={"profile": ELDER}).content
            return api, client.get(f"/match?{query}").text

    with monkeypatch.context() as m:
        m.setattr(match, "snapshot_path", lambda lib: None)  # no file: the rules decoded from the store
        cold = faces(fresh())
    assert not snap.path_for(library).exists()
    outputs(library)  # writes the file
    reads.clear()
    warm = faces(fresh())
    assert reads == [] and warm == cold
    assert "上门" in cold[1]  # the page lists the elder-care services (xicheng-gazette-2022.txt:3146)


def test_a_generation_committing_during_a_refresh_is_caught_later(library, fresh, snap, reads, monkeypatch):
    """A refresh reads the log after its generation; a writer that drew a generation below the
    top commits right after that read. The cache must count only the rows it read, so the next
    refresh sees the count below its generation move and reads everything again."""
    from zhengce.store import base as store_base
    from zhengce.store import documents as store_docs
    library.ingest([A])
    with store_base.write_transaction(library.engine) as conn:  # leave generations 2-9 unused
        conn.execute(store_docs.source_log.insert().values(gen=10, source=A.name,
                                                           sha256=store_docs.source_sha(conn, A.name)))
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT setval(pg_get_serial_sequence('source_log', 'gen'), 10)")
    lib = fresh()
    outputs(lib)  # warm at generation 10
    library.ingest([B])  # generation 11
    copy = library.data_dir / "副本.txt"
    shutil.copy(XICHENG, copy)
    log_since = store_docs.log_since

    def then_a_late_commit(conn, gen):
        rows = log_since(conn, gen)
        monkeypatch.setattr(store_docs, "log_since", log_since)
        writer = fresh()
        writer.ingest([copy])  # generation 12, renumbered 5: it drew 5 and committed only now
        with store_base.write_transaction(writer.engine) as w:
            w.execute(store_docs.source_log.update().where(store_docs.source_log.c.source == copy.name)
                      .values(gen=5))
        return rows

    monkeypatch.setattr(store_docs, "log_since", then_a_late_commit)
    outputs(lib)  # reads generation 11; the copy commits meanwhile
    library.ingest([XICHENG])  # any later change makes the cache look again
    reads.clear()
    assert outputs(lib) == decoded(lib)
    assert copy.name in reads


def test_a_bulk_ingest_leaves_the_snapshot_for_the_first_match(library, fresh, snap, reads, monkeypatch):
    """An ingest of many files writes the file at its end (the lowered bound stands for 1,000
    files) without keeping the rules in the ingesting process; a smaller one leaves it alone."""
    import zhengce.match as match
    from zhengce.extract import stages
    monkeypatch.setattr(stages, "BULK_FILES", 2)
    library.ingest([A, B])
    path = snap.path_for(library)
    assert path.is_file() and library not in match._RULES
    written = path.read_bytes()
    reads.clear()
    lib = fresh()
    first = outputs(lib)
    assert reads == [] and first == decoded(lib)
    library.ingest([XICHENG])  # one file: the next match replays it
    assert path.read_bytes() == written
    reads.clear()
    assert outputs(fresh()) == decoded(lib)
    assert set(reads) == {XICHENG.name}


def test_a_place_the_file_cannot_go_costs_only_the_file(library, fresh, snap, reads, caplog):
    """The snapshot folder cannot be made (a file stands in its way): matching answers as
    before, says why once, and does not try again on the next change."""
    import logging
    library.ingest([A])
    snap.path_for(library).parent.write_text("not a folder", encoding="utf-8")
    lib = fresh()
    with caplog.at_level(logging.WARNING, logger="zhengce.match.rule_cache"):
        assert outputs(lib) == decoded(lib)
        library.ingest([B])
        assert outputs(lib) == decoded(lib)
    assert len(caplog.records) == 1 and "not written" in caplog.records[0].getMessage()
