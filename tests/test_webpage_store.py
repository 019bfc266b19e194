"""A gov.cn page through the Library: block fields stored (SQLite and PostgreSQL) and shown.

content_5351624.htm is the page whose block 成文日期 (2004年04月17日) disagrees with the signature
(二〇〇四年四月二十七日); content_5351177.htm the 令 whose 文号 only the block states.
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from zhengce.cli import app

from conftest import ROOT

GOVCN = ROOT.parent / "shared" / "eval" / "govcn" / "corpus"
PAGES = ["content_5351624.htm", "content_5351177.htm"]


def _ingest(lib, tmp_path):
    for name in PAGES:
        shutil.copy(GOVCN / name, tmp_path / name)
    results = lib.ingest([tmp_path / n for n in PAGES])
    assert [r.status for r in results] == ["ingested", "ingested"], [r.error for r in results]


def test_block_fields_survive_the_store(library, tmp_path):
    _ingest(library, tmp_path)
    doc = library.document("国办函〔2004〕36号")
    assert doc.published.isoformat() == "2018-12-24" and doc.subject == "卫生、体育\\体育"
    assert doc.index_no == "000014349/2004-00206"
    assert doc.field_sources["date"] == "signature" and doc.field_sources["subject"] == "metadata-block"
    assert doc.notes == ["成文日期：正文落款为 2004-04-27，信息公开栏为 2004-04-17，以正文落款为准"]
    law = library.document("国令第707号")
    assert law is not None and law.field_sources["doc_number"] in ("body", "metadata-block")


@pytest.fixture
def served(sqlite_library, tmp_path):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    _ingest(sqlite_library, tmp_path)
    with TestClient(create_app(sqlite_library), raise_server_exceptions=False) as c:
        yield c


def test_api_and_web_page_show_block_fields_and_notes(served):
    r = served.get("/api/documents/国办函〔2004〕36号")
    assert r.status_code == 200, r.text
    body = r.json()
    doc = body.get("document", body)
    assert doc["published"] == "2018-12-24" and doc["subject"] == "卫生、体育\\体育"
    assert doc["index_no"] == "000014349/2004-00206" and doc["field_sources"]["published"] == "metadata-block"
    assert doc["notes"] == ["成文日期：正文落款为 2004-04-27，信息公开栏为 2004-04-17，以正文落款为准"]
    page = served.get("/documents/国办函〔2004〕36号").text
    assert "主题分类" in page and "卫生、体育\\体育" in page and "以正文落款为准" in page
    assert "发布日期" in page and "2018-12-24" in page


def test_cli_show_prints_block_fields_and_the_note(tmp_path):
    env = {"ZHENGCE_DATA_DIR": str(tmp_path), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp_path}/c.db"}
    for name in PAGES:
        shutil.copy(GOVCN / name, tmp_path / name)
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(tmp_path / PAGES[0])], env=env).exit_code == 0
    r = runner.invoke(app, ["show", "国办函〔2004〕36号"], env=env)
    assert r.exit_code == 0, r.output
    for want in ("发布日期: 2018-12-24", "主题分类: 卫生、体育\\体育", "索引号: 000014349/2004-00206",
                 "以正文落款为准", "取自页面信息栏: 发布日期、主题分类、索引号"):
        assert want in r.output, want


def test_subject_is_a_search_filter_and_facet(library, tmp_path):
    from zhengce.search import search
    # content_5360002.htm 主题分类 "科技、教育\教育"; content_5353308.htm "农业、林业、水利\农业、畜牧业、渔业"
    names = ["content_5360002.htm", "content_5353308.htm"]
    for name in names:
        shutil.copy(GOVCN / name, tmp_path / name)
    assert all(r.status == "ingested" for r in library.ingest([tmp_path / n for n in names]))
    res = search(library, "工作")
    counted = dict(res.facets["subject"])
    assert counted["科技、教育"] > 0 and counted["科技、教育\\教育"] == counted["科技、教育"]
    assert counted["农业、林业、水利"] > 0
    only = search(library, "工作", subject="科技、教育")
    assert only.documents == counted["科技、教育"] <= only.total  # facet counts are documents
    assert {h.doc_key for h in only.hits} == {"国办发〔2019〕3号"}
