"""The policy graph end to end on copies of a real corpus document (xicheng-gazette-2022.txt:4081-4185,
西教发〔2022〕6号): a later document that stops it, a validity period, a changed re-ingest and its diff."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from zhengce import graph
from zhengce.cli import app
from zhengce.store.documents import documents
from zhengce.validity import find_clauses

from conftest import corpus_file

runner = CliRunner()
OLD_REPEAL = "《北京市西城区教育委员会关于西城区 2021 年非本市户籍适龄儿童入学证明证件材料审核办法》（西教发〔2021〕3 号）同时废止"


@pytest.fixture(scope="module")
def original() -> str:
    """The document as the gazette prints it, from its title line to its date line."""
    lines = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
    start = next(i for i, s in enumerate(lines) if s.startswith("# 北京市西城区教育委员会 关于西城区 2022 年非本市户籍"))
    end = next(i for i in range(start, len(lines)) if lines[i].strip() == "2022 年 4 月 28 日")
    text = "\n".join(lines[start: end + 1]) + "\n"
    assert OLD_REPEAL in text
    return text


def successor(text: str) -> str:
    """The 2023 edition: new 文号 and date, and it stops the 2022 one (停止执行) instead of the 2021 one."""
    new = (text.replace("西教发〔2022〕6号", "西教发〔2023〕4号").replace("关于西城区 2022 年非本市户籍", "关于西城区 2023 年非本市户籍")
           .replace("2022 年 4 月 28 日", "2023 年 4 月 20 日"))
    return new.replace(OLD_REPEAL, "《北京市西城区教育委员会关于西城区2022年非本市户籍适龄儿童入学材料的审核办法》"
                                   "（西教发〔2022〕6号）同时停止执行")


def _env(tmp_path) -> dict:
    return {"ZHENGCE_DATA_DIR": str(tmp_path), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp_path}/g.db"}


@pytest.mark.parametrize("order", ["old-first", "new-first"])
def test_stopped_document_shows_status_and_repealing_number(tmp_path, original, order):
    a, b = tmp_path / "2022.txt", tmp_path / "2023.txt"
    a.write_text(original, encoding="utf-8")
    b.write_text(successor(original), encoding="utf-8")
    env = _env(tmp_path)
    files = [a, b] if order == "old-first" else [b, a]
    for f in files:  # two separate ingests: the later one attaches to what is already there
        r = runner.invoke(app, ["ingest", str(f)], env=env)
        assert r.exit_code == 0, r.output
    shown = runner.invoke(app, ["show", "西教发〔2022〕6号"], env=env)
    assert shown.exit_code == 0, shown.output
    status_line = next(s for s in shown.output.splitlines() if "时效性" in s)
    assert "已废止" in status_line and "西教发〔2023〕4号" in status_line
    before = runner.invoke(app, ["show", "西教发〔2022〕6号", "--as-of", "2023-01-01"], env=env)
    assert "时效性: 现行有效" in before.output  # the 2023 edition takes effect on 2023-04-20
    newer = runner.invoke(app, ["show", "西教发〔2023〕4号"], env=env)
    assert "废止 repeals" in newer.output and "西教发〔2022〕6号 → 西教发〔2022〕6号" in newer.output


def test_status_column_and_api_follow_the_repeal(library, tmp_path, original):
    a, b = tmp_path / "2022.txt", tmp_path / "2023.txt"
    a.write_text(original, encoding="utf-8")
    b.write_text(successor(original), encoding="utf-8")
    library.ingest([a])
    assert library.document("西教发〔2022〕6号").status == "现行有效"
    library.ingest([b])
    assert library.document("西教发〔2022〕6号").status == "已废止"  # what the 时效性 facet reads
    from zhengce.api.deps import document_detail
    d = document_detail(library, library.document("西教发〔2022〕6号"))
    assert d["validity_detail"]["repealed_by"]["doc_number"] == "西教发〔2023〕4号"
    assert [c["relations"] for c in d["cited_by"]] == [["repeals"]]
    with library.engine.connect() as conn:
        g = graph.neighbourhood(conn, library.document("西教发〔2023〕4号"))
    assert {"source": "西教发〔2023〕4号", "target": "西教发〔2022〕6号", "relation": "repeals"}.items() <= \
        next(e for e in g["edges"] if e["target"] == "西教发〔2022〕6号").items()


@pytest.mark.parametrize("clause,as_of,status", [
    ("本办法自印发之日起施行，有效期至2022年12月31日。", "2022-06-01", "现行有效"),
    ("本办法自印发之日起施行，有效期至2022年12月31日。", "2023-01-01", "失效"),
    ("本办法自2022年5月1日起施行，有效期1年。", "2023-04-30", "现行有效"),
    ("本办法自2022年5月1日起施行，有效期1年。", "2023-05-01", "失效"),
    ("本办法自2022年5月1日起施行，有效期1年。", "2022-04-30", "尚未施行"),
])
def test_validity_period(library, tmp_path, original, clause, as_of, status):
    f = tmp_path / "period.txt"
    f.write_text(original.replace("本办法自印发之日起施行，", clause.rstrip("。") + "，"), encoding="utf-8")
    library.ingest([f])
    doc = library.document("西教发〔2022〕6号")
    with library.engine.connect() as conn:
        assert graph.validity_of(conn, doc, dt.date.fromisoformat(as_of)).status == status


def test_licence_periods_are_not_the_documents_own():
    # beijing-private-enterprise-policies-2021q4.txt:2337, :5632
    assert find_clauses("4.备案届满延续。备案有效期三年，有效期届满企业需延续经营的", None).end is None
    assert find_clauses("等级证书有效期为3年，A级机构期满无需申请、自动续期", None).end is None


def test_diff_of_a_changed_reingest_lists_exactly_the_changed_provisions(tmp_path, original):
    f = tmp_path / "doc.txt"
    f.write_text(original, encoding="utf-8")
    env = _env(tmp_path)
    assert runner.invoke(app, ["ingest", str(f)], env=env).exit_code == 0
    from zhengce.library import Library
    lib = Library(url=env["ZHENGCE_DATABASE_URL"], data_dir=tmp_path)
    doc = lib.document("西教发〔2022〕6号")
    lib.engine.dispose()

    def path_with(snippet: str) -> str:
        p = next(p for p in doc.provisions if snippet in p.text)
        return p.cid.split("/", 1)[1]

    edited_a = path_with("于2022年5月5-12日")
    edited_b = path_with("现场审核时")
    f.write_text(original.replace("于 2022 年 5 月 5-12 日", "于 2022 年 5 月 6-13 日")
                 .replace("现场审核时，请按街道办事处要求", "现场审核时，请严格按街道办事处要求"), encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(f)], env=env).exit_code == 0
    listed = runner.invoke(app, ["diff", "--versions", "西教发〔2022〕6号"], env=env)
    assert listed.output.startswith("西教发〔2022〕6号@1\t")
    r = runner.invoke(app, ["diff", "西教发〔2022〕6号@1", "西教发〔2022〕6号", "--json"], env=env)
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["added"] == [] and d["removed"] == []
    assert sorted(c["path"] for c in d["changed"]) == sorted({edited_a, edited_b})
    ops = next(c["ops"] for c in d["changed"] if c["path"] == edited_b)
    assert ["insert", "严格"] in ops


def test_graph_api_page_and_diff_page(tmp_path, original):
    """/api/documents/{key}/graph (typed edges, stubs), the document page's banner and drawing, /diff."""
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    from zhengce.library import Library
    a, b = tmp_path / "2022.txt", tmp_path / "2023.txt"
    a.write_text(original, encoding="utf-8")
    b.write_text(successor(original), encoding="utf-8")
    lib = Library(url=f"sqlite:///{tmp_path}/w.db", data_dir=tmp_path)
    lib.ingest([a])
    lib.ingest([b])
    client = TestClient(create_app(lib))
    g = client.get("/api/documents/西教发〔2022〕6号/graph").json()
    rel = {(e["source"], e["target"], e["relation"]) for e in g["edges"]}
    assert ("西教发〔2023〕4号", "西教发〔2022〕6号", "repeals") in rel
    assert ("西教发〔2022〕6号", "stub:西教发〔2021〕3号", "repeals") in rel  # not in the library: a stub node
    assert next(n for n in g["nodes"] if n["id"] == "stub:西教发〔2021〕3号")["stub"] is True
    page = client.get("/documents/西教发〔2022〕6号").text
    assert 'class="banner repealed"' in page and "西教发〔2023〕4号" in page and "<svg" in page
    assert "/api/documents/{key}/graph" in client.get("/openapi.json").json()["paths"]
    a.write_text(original.replace("现场审核时，请按", "现场审核时，请严格按"), encoding="utf-8")
    lib.ingest([a])
    diff = client.get("/diff", params={"a": "西教发〔2022〕6号@1", "b": "西教发〔2022〕6号"}).text
    assert "<ins>严格</ins>" in diff
    lib.engine.dispose()


def test_search_filter_follows_a_later_repeal(tmp_path, original):
    """The 时效性 facet of the earlier document changes when a later file repeals it (its source is re-indexed)."""
    from zhengce.library import Library
    from zhengce.search import search
    a, b = tmp_path / "2022.txt", tmp_path / "2023.txt"
    a.write_text(original, encoding="utf-8")
    b.write_text(successor(original), encoding="utf-8")
    lib = Library(url=f"sqlite:///{tmp_path}/s.db", data_dir=tmp_path)
    lib.ingest([a])
    assert search(lib, "审核", validity="已废止").total == 0
    lib.ingest([b])
    hits = search(lib, "审核", validity="已废止")
    assert hits.total > 0 and {h.doc_key for h in hits.hits} == {"西教发〔2022〕6号"}
    assert hits.documents == 1  # facet counts are documents: one repealed, its successor in force
    assert dict(search(lib, "审核").facets["validity"]) == {"已废止": 1, "现行有效": 1}
    lib.engine.dispose()


def test_refresh_after_a_bulk_ingest_of_more_files_than_a_statement_takes(library, tmp_path, original):
    """A bulk ingest of 100,000 files hands the refresh 100,000 names: PostgreSQL takes at most
    65,535 parameters a statement (the 100,000-document benchmark's ingest failed there)."""
    a, b = tmp_path / "2022.txt", tmp_path / "2023.txt"
    a.write_text(original, encoding="utf-8")
    b.write_text(successor(original), encoding="utf-8")
    library.ingest([a, b])
    with library.engine.begin() as conn:  # as if the repeal had not been seen yet
        conn.execute(update(documents).where(documents.c.key == "西教发〔2022〕6号").values(status="现行有效"))
    graph.refresh_status(library, [f"unseen-{i}.txt" for i in range(70_000)] + ["2022.txt"])
    assert library.document("西教发〔2022〕6号").status == "已废止"
