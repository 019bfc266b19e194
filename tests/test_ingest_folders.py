"""Source identity (a file is its path below the ingest root) and ingesting whole folders.

The documents are real: slices of data/gazettes/beijing-gazette-2019-10.txt, each one 公文 of
the 2019-10 gazette. They carry no 文号, so their keys come from the file name (``notice#1``) and
two ``notice.txt`` collide exactly the way two ``附件1.pdf`` of two sites would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import corpus_file

GAZETTE = corpus_file("beijing-gazette-2019-10.txt").read_text(encoding="utf-8").splitlines(keepends=True)


def gazette_lines(first: int, last: int) -> str:
    """Lines ``first``..``last`` (1-based, inclusive) of beijing-gazette-2019-10.txt."""
    return "".join(GAZETTE[first - 1:last])


# (lines of beijing-gazette-2019-10.txt, title the document must get)
TEACHERS = (384, 512, "中共北京市委北京市人民政府关于全面深化新时代教师队伍建设改革的实施意见")
QUALITY = (514, 668, "中共北京市委北京市人民政府关于开展质量提升行动的实施意见")
ECOLOGY = (670, 757, "中共北京市委北京市人民政府印发《关于推动生态涵养区生态保护和绿色发展的实施意见》的通知")


def write(path: Path, doc: tuple[int, int, str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(gazette_lines(doc[0], doc[1]), encoding="utf-8")
    return path


def titles_by_path(library) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in library.documents():
        out.setdefault(d.source_path, []).append(d.title.replace(" ", ""))
    return out


@pytest.fixture
def two_notices(tmp_path) -> Path:
    root = tmp_path / "site"
    write(root / "a" / "notice.txt", TEACHERS)
    write(root / "b" / "notice.txt", QUALITY)
    return root


def test_same_name_in_two_folders_both_stay(library, two_notices):
    files = sorted(two_notices.rglob("*.txt"))
    results = library.ingest(files, root=two_notices)
    assert [(r.source_path, r.status) for r in results] == [("a/notice.txt", "ingested"),
                                                            ("b/notice.txt", "ingested")]
    assert titles_by_path(library) == {"a/notice.txt": [TEACHERS[2]], "b/notice.txt": [QUALITY[2]]}
    docs = library.documents()
    assert {d.source for d in docs} == {"notice.txt"}  # the name people (and the eval) use
    assert len({d.key for d in docs}) == 2
    assert library.counts()["sources"] == 2
    # a filter by file name finds both, by path only one
    assert len(library.documents(source="notice.txt")) == 2
    assert [d.title.replace(" ", "") for d in library.documents(source="b/notice.txt")] == [QUALITY[2]]
    # every provision id starts with its own document's key: nothing of one file leaks into the other
    for d in docs:
        full = library.document(d.key)
        assert full.provisions and all(p.cid.startswith(d.key + "/") for p in full.provisions)


def test_reingest_unchanged_and_changed(library, two_notices):
    files = sorted(two_notices.rglob("*.txt"))
    library.ingest(files, root=two_notices)
    keys = {d.source_path: d.key for d in library.documents()}
    before = library.counts()
    assert [r.status for r in library.ingest(files, root=two_notices)] == ["unchanged", "unchanged"]
    assert library.counts() == before
    # b/notice.txt changes: only its rows are replaced; a's document and key stay
    write(two_notices / "b" / "notice.txt", ECOLOGY)
    assert [r.status for r in library.ingest(files, root=two_notices)] == ["unchanged", "ingested"]
    assert titles_by_path(library) == {"a/notice.txt": [TEACHERS[2]], "b/notice.txt": [ECOLOGY[2]]}
    after = {d.source_path: d.key for d in library.documents()}
    assert after["a/notice.txt"] == keys["a/notice.txt"] and after["b/notice.txt"] == keys["b/notice.txt"]


def test_many_copies_get_distinct_keys(sqlite_library, tmp_path):
    """Five folders each with the same notice.txt: five sources, five keys, none with a "/"."""
    root = tmp_path / "copies"
    files = [write(root / f"d{i}" / "notice.txt", TEACHERS) for i in range(5)]
    assert all(r.status == "ingested" for r in sqlite_library.ingest(files, root=root))
    keys = [d.key for d in sqlite_library.documents()]
    assert len(set(keys)) == 5 and not any("/" in k for k in keys)


def test_single_file_is_known_by_its_name(library, tmp_path):
    """A file given on its own is the source ``notice.txt``, as eval corpus files are."""
    f = write(tmp_path / "x" / "notice.txt", TEACHERS)
    r = library.ingest([f])[0]
    assert r.source_path == "notice.txt"
    assert library.ingest([f])[0].status == "unchanged"


# The tables as zhengce created them before sources were keyed by path (documents.source → sources.name);
# provisions lacks its later ``header`` column, so the column check is exercised on both stores.
OLD_SCHEMA = [
    """CREATE TABLE sources (name VARCHAR(255) PRIMARY KEY, path TEXT NOT NULL, sha256 VARCHAR(64) NOT NULL,
       fmt VARCHAR(16) NOT NULL, encoding VARCHAR(32), n_lines INTEGER NOT NULL, ingested_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE documents (key VARCHAR(255) PRIMARY KEY,
       source VARCHAR(255) NOT NULL REFERENCES sources (name) ON DELETE CASCADE, seq INTEGER NOT NULL,
       title TEXT NOT NULL, short_title TEXT, doc_number VARCHAR(128), issuers JSON, date DATE, addressees JSON,
       doc_type VARCHAR(32), level VARCHAR(8), district VARCHAR(32), note TEXT, effective TEXT,
       gazette TEXT, category TEXT, line_start INTEGER NOT NULL, line_end INTEGER NOT NULL,
       raw TEXT NOT NULL, text TEXT NOT NULL)""",
    """CREATE TABLE provisions (cid VARCHAR(512) PRIMARY KEY,
       doc_key VARCHAR(255) NOT NULL REFERENCES documents (key) ON DELETE CASCADE, seq INTEGER NOT NULL,
       level INTEGER NOT NULL, label VARCHAR(64) NOT NULL, heading TEXT NOT NULL, kind VARCHAR(16) NOT NULL,
       parent VARCHAR(512), raw TEXT NOT NULL, text TEXT NOT NULL, line_start INTEGER NOT NULL,
       line_end INTEGER NOT NULL, cells JSON)""",
    "INSERT INTO sources VALUES ('old.txt', 'old.txt', 'abc', 'txt', 'utf-8', 3, '2025-01-01 00:00:00')",
    """INSERT INTO documents (key, source, seq, title, doc_number, line_start, line_end, raw, text)
       VALUES ('京政发〔2021〕1号', 'old.txt', 0, '旧文件', '京政发〔2021〕1号', 1, 3, '旧', '旧')""",
    """INSERT INTO provisions VALUES ('京政发〔2021〕1号/一', '京政发〔2021〕1号', 0, 1, '一', '', 'heading', NULL,
       '一、旧', '一、旧', 2, 2, NULL)""",
]


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_store_of_an_older_version_is_upgraded(store, request, tmp_path, two_notices):
    from sqlalchemy import create_engine, text

    from zhengce.library import Library
    url = f"sqlite:///{tmp_path}/old.db" if store == "sqlite" else request.getfixturevalue("pg_url")
    raw = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with raw.begin() as conn:
        for stmt in OLD_SCHEMA:
            conn.execute(text(stmt))
    raw.dispose()
    lib = Library(url=url, data_dir=tmp_path)
    try:
        old = lib.document("京政发〔2021〕1号")
        assert old.source == old.source_path == "old.txt" and not old.trial
        assert [p.cid for p in old.provisions] == ["京政发〔2021〕1号/一"]
        from zhengce.graph import Resolver
        with lib.engine.connect() as conn:  # the old document's names were filled in for references
            r = Resolver(conn)
            assert r.resolve(None, "京政发[2021]1号") == r.resolve("《旧文件》", None) == "京政发〔2021〕1号"
        results = lib.ingest(sorted(two_notices.rglob("*.txt")), root=two_notices)
        assert [r.status for r in results] == ["ingested", "ingested"]
        assert set(titles_by_path(lib)) == {"old.txt", "a/notice.txt", "b/notice.txt"}
        Library(url=url, data_dir=tmp_path).engine.dispose()  # a second open finds nothing to do
    finally:
        lib.engine.dispose()


# -- zhengce ingest DIR: walk, never stop, summary, exit code --------------------------------------
def test_cli_folder_summary_and_exit_code(tmp_path, two_notices):
    """A site folder: two good notices, three bad files, skipped noise; every file is tried."""
    from typer.testing import CliRunner

    from zhengce.cli import app
    (two_notices / "c").mkdir()
    (two_notices / "c" / "empty.txt").write_bytes(b"")
    (two_notices / "c" / "附件1.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n")  # cut off in transfer
    (two_notices / "c" / "menu.txt").write_text("首页\n机构\n政策\n", encoding="utf-8")  # no 公文 in it
    (two_notices / "c" / "logo.png").write_bytes(b"\x89PNG\r\n")
    (two_notices / ".git").mkdir()
    (two_notices / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (two_notices / "a" / "~$notice.docx").write_bytes(b"lock")
    env = {"ZHENGCE_DATA_DIR": str(tmp_path), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    r = CliRunner().invoke(app, ["ingest", str(two_notices)], env=env)
    assert r.exit_code == 1, r.output
    err = r.stderr.splitlines()
    assert "5 个文件: 收录 2 (2 篇公文), 未变化 0, 拒收 3" in err
    assert "跳过 3 个: 隐藏文件 2; 不支持的格式 1 (.png 1)" in err
    # each refused file under its reason, by its path below the folder
    at = {line.strip(): i for i, line in enumerate(err)}
    assert at["c/empty.txt"] == at["文件为空 (empty file): 1"] + 1
    assert at["c/menu.txt"] == at["未识别出任何公文 (no official document found): 1"] + 1
    assert any(line.startswith("  PDF 文件不完整") for line in err) and "c/附件1.pdf" in at
    # the good files went in; a second run changes nothing and still names the bad ones
    again = CliRunner().invoke(app, ["ingest", str(two_notices)], env=env)
    assert again.exit_code == 1
    assert "5 个文件: 收录 0 (0 篇公文), 未变化 2, 拒收 3" in again.stderr.splitlines()


def test_cli_folder_all_good_exits_0(tmp_path, two_notices):
    from typer.testing import CliRunner

    from zhengce.cli import app
    env = {"ZHENGCE_DATA_DIR": str(tmp_path), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    r = CliRunner().invoke(app, ["ingest", str(two_notices)], env=env)
    assert r.exit_code == 0, r.output
    assert len(r.stdout.splitlines()) == 2 and "拒收原因" not in r.stderr
