"""REST API over the real corpus: documents, provisions by citation id, search, ask, error shape.

The corpus is ingested once per module (SQLite); the app is the one ``zhengce serve`` runs.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from conftest import CORPUS

ERROR_KEYS = {"ok", "error", "errors", "status", "title", "hint"}


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    from zhengce.library import Library
    d = tmp_path_factory.mktemp("apilib")
    lib = Library(url=f"sqlite:///{d}/t.db", data_dir=d)
    results = lib.ingest(sorted(CORPUS.glob("*.txt")))
    assert all(r.status == "ingested" for r in results), [r.error for r in results]
    yield lib
    lib.engine.dispose()


@pytest.fixture(scope="module")
def client(lib):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    with TestClient(create_app(lib), raise_server_exceptions=False) as c:
        yield c


def assert_error(r, status: int) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == ERROR_KEYS
    assert body["ok"] is False and body["status"] == status and body["error"]
    return body


def test_documents_list_and_filters(client, lib):
    r = client.get("/api/documents", params={"limit": 1000})
    assert r.status_code == 200
    body = r.json()
    assert body["ok"] and body["total"] == lib.counts()["documents"] == len(body["documents"])
    dated = [d for d in body["documents"] if d["date"]]
    if dated:  # a date window around one document keeps it and drops later ones
        day = dated[0]["date"]
        within = client.get("/api/documents", params={"since": day, "until": day, "limit": 1000}).json()
        assert dated[0]["key"] in {d["key"] for d in within["documents"]}
        assert all(d["date"] == day for d in within["documents"])
    page = client.get("/api/documents", params={"limit": 2, "offset": 1}).json()
    assert [d["key"] for d in page["documents"]] == [d["key"] for d in body["documents"][1:3]]


def test_document_detail_has_every_provision_in_its_tree(client, lib):
    doc = max(lib.documents(), key=lambda d: d.line_end - d.line_start)
    r = client.get(f"/api/documents/{quote(doc.key, safe='')}")
    assert r.status_code == 200, r.text
    d = r.json()["document"]

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n["children"])
    cids = [n["cid"] for n in walk(d["provisions"])]
    full = lib.document(doc.key)
    assert sorted(cids) == sorted(p.cid for p in full.provisions) and d["n_provisions"] == len(cids)
    assert d["validity"] in ("现行有效", "试行", "已被修订", "已废止", "失效", "尚未施行")


def test_provision_by_citation_id_with_slashes_and_chinese(client, lib):
    full = lib.document(max(lib.documents(), key=lambda d: d.line_end - d.line_start).key)
    deep = [p for p in full.provisions if p.cid.count("/") >= 2] or [p for p in full.provisions if "/" in p.cid]
    p = deep[len(deep) // 2]
    r = client.get("/api/provisions/" + quote(p.cid, safe="/"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["provision"]["cid"] == p.cid and body["provision"]["raw"] == p.raw
    assert body["document"]["key"] == full.key
    if p.parent:
        assert body["ancestors"][-1]["cid"] == p.parent


def test_search_returns_highlighted_hits_and_facets(client):
    # beijing-business-environment-plan-2021.txt is about 营商环境 throughout.
    body = client.get("/api/search", params={"q": "营商环境", "per_page": 5}).json()
    assert body["ok"] and body["total"] > 0 and 0 < len(body["hits"]) <= 5
    assert body["total_relation"] in ("eq", "gte") and 0 < body["documents"] <= body["total"]
    assert any("<mark>" in h["snippet"] for h in body["hits"])
    for values in body["facets"].values():
        assert all(set(v) == {"value", "count"} for v in values)
    page2 = client.get("/api/search", params={"q": "营商环境", "per_page": 5, "page": 2}).json()
    assert {h["cid"] for h in page2["hits"]}.isdisjoint({h["cid"] for h in body["hits"]})


def test_ask_answers_with_citations_or_abstains(client):
    body = client.get("/api/ask", params={"q": "优化营商环境的主要任务有哪些？"}).json()
    assert body["ok"] and body["text"]
    assert body["abstained"] or all(s["cid"] for s in body["sentences"])
    assert_error(client.get("/api/ask", params={"q": "   "}), 400)


# -- one error vocabulary -----------------------------------------------------------------

@pytest.mark.parametrize("url, status", [
    ("/api/nope", 404),
    ("/api/documents/没有这个文件", 404),
    ("/api/provisions/京政发〔1999〕1号/一/(一)", 404),
    ("/api/documents?limit=abc", 422),
    ("/api/documents?since=2021-02-30", 422),
    ("/api/search?page=0", 422),
    ("/api/search?level=省", 422),
    ("/api/search?q=x&since=2022-01-01&until=2021-01-01", 400),
    ("/api/ask", 422),
])
def test_error_shape(client, url, status):
    body = assert_error(client.get(url), status)
    if status == 422:
        assert body["errors"] and all(e["field"] and e["message"] for e in body["errors"])


def test_method_not_allowed_is_json(client):
    assert_error(client.post("/api/documents"), 405)


def test_malformed_json_body_names_the_body(client):
    r = client.post("/api/match", content=b"{bad", headers={"content-type": "application/json"})
    assert [e["field"] for e in assert_error(r, 422)["errors"]] == ["body"]


def test_web_errors_are_html_pages(client):
    r = client.get("/documents/没有这个文件")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "没有找到文件" in r.text and "<html" in r.text


def test_bad_parameters_never_500(client):
    """Every GET route in the OpenAPI schema, every query parameter, hostile values: never a 5xx."""
    spec = client.get("/openapi.json").json()
    bad = ["", "abc", "-1", "0", "9" * 40, "2021-13-45", "<script>alert(1)</script>", "〔〕/../%00", "省"]
    checked = 0
    for path, ops in spec["paths"].items():
        op = ops.get("get")
        if not op:
            continue
        url = re.sub(r"\{[^}]+\}", "x/y", path)
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            for v in bad:
                r = client.get(url, params={param["name"]: v, "q": "税收"} if param["name"] != "q"
                               else {param["name"]: v})
                assert r.status_code < 500, (url, param["name"], v, r.text)
                checked += 1
    assert checked > 50


def test_docs_are_served_offline(client):
    html = client.get("/docs").text
    assert "swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html.replace("https://swagger.io", "")
    assert client.get("/_swagger/swagger-ui-bundle.js").status_code == 200
    search_doc = client.get("/openapi.json").json()["paths"]["/api/search"]["get"]
    props = search_doc["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert props["total_relation"]["enum"] == ["eq", "gte"] and "documents" in props


# -- benefits, cards, match -----------------------------------------------------------------

def test_match_profile_gives_verdicts_with_reasons(client):
    # xicheng-gazette-2022.txt: 西城区 benefits for enterprises located in the district.
    profile = {"kind": "enterprise", "district": "西城区", "size": "small"}
    body = client.post("/api/match", json={"profile": profile}).json()
    assert body["ok"] and body["profile"] == profile
    verdicts = {i["verdict"] for i in body["items"]}
    assert verdicts <= {"eligible", "possibly eligible", "not eligible"}
    for item in body["items"]:
        assert item["reasons"], item["benefit"]["id"]
        if item["verdict"] == "not eligible":
            assert item["failed"]
    elsewhere = client.post("/api/match", json={"profile": profile | {"district": "朝阳区"}}).json()
    n_here = sum(i["verdict"] == "eligible" for i in body["items"])
    n_there = sum(i["verdict"] == "eligible" for i in elsewhere["items"])
    assert n_here >= n_there


def test_match_and_benefit_lists_are_paged(client):
    # xicheng-gazette-2022.txt: a profile checked against every rule of the bundled gazettes
    profile = {"kind": "person", "age": 70, "hukou": "西城区"}
    whole = client.post("/api/match", json={"profile": profile}).json()
    n = len(whole["items"])
    assert n > 10 and whole["next_offset"] is None and sum(whole["counts"].values()) == n
    first = client.post("/api/match?limit=7", json={"profile": profile}).json()
    second = client.post(f"/api/match?limit=7&offset={first['next_offset']}", json={"profile": profile}).json()
    assert [i["benefit"]["id"] for i in first["items"] + second["items"]] == \
        [i["benefit"]["id"] for i in whole["items"][:14]]
    assert first["next_offset"] == 7 and first["counts"] == whole["counts"]
    last = client.post(f"/api/match?limit=7&offset={n - 3}", json={"profile": profile}).json()
    assert len(last["items"]) == 3 and last["next_offset"] is None
    assert_error(client.post("/api/match?limit=0", json={"profile": profile}), 422)
    benefits = client.get("/api/benefits").json()
    page = client.get("/api/benefits?limit=5&offset=5").json()
    assert page["total"] == benefits["total"] and page["benefits"] == benefits["benefits"][5:10]


def test_benefit_card_round_trip(client):
    benefits = client.get("/api/benefits").json()["benefits"]
    assert benefits
    b = benefits[0]
    card = client.get("/api/cards/" + quote(b["id"], safe="/")).json()["card"]
    assert card["id"] == b["id"] and card["basis"]
    assert_error(client.get("/api/cards/没有/这条"), 404)


@pytest.mark.parametrize("payload, status, field", [
    ({"profile": {"kind": "alien"}}, 400, "kind"),
    ({"profile": {"kind": "person", "age": "old"}}, 400, "age"),
    ({"profile": {"kind": "person", "shoe_size": 42}}, 400, "shoe_size"),
    ({"profile": [1, 2]}, 422, "profile"),
    ({}, 422, "profile"),
])
def test_match_rejects_bad_profiles_naming_the_field(client, payload, status, field):
    body = assert_error(client.post("/api/match", json=payload), status)
    assert field in {e["field"] for e in body["errors"]}


# -- tasks: reads, authenticated writes, exports ------------------------------------------

@pytest.fixture(scope="module")
def task_and_tokens(lib):
    """A task with a lead unit, a token of that unit and a token of an unrelated unit."""
    from zhengce import track
    tasks = [t for t in track.list_tasks(lib) if t.lead_units]
    task = tasks[0]
    units = set(task.lead_units + task.co_units)
    other = next(u.unit for u in track.summary(lib).by_unit if u.unit not in units)
    own = track.create_account(lib, agency=task.lead_units[0]).token
    foreign = track.create_account(lib, agency=other).token
    return task, own, foreign


def test_task_update_needs_own_agency_token(client, task_and_tokens):
    task, own, foreign = task_and_tokens
    url = "/api/tasks/" + quote(task.id, safe="/")
    assert_error(client.patch(url, json={"status": "推进中"}), 401)
    body = assert_error(client.patch(url, json={"status": "推进中"},
                                     headers={"Authorization": f"Bearer {foreign}"}), 403)
    assert "无权" in body["error"]
    assert_error(client.patch(url, json={"status": "逾期"}, headers={"Authorization": f"Bearer {own}"}), 422)
    ok = client.patch(url, json={"status": "推进中", "note": "已召开专题会"},
                      headers={"Authorization": f"Bearer {own}"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["task"]["stored_status"] == "推进中"
    history = client.get(url).json()["history"]
    assert [e["action"] for e in history][-3:] == ["refused", "status", "note"]


def test_task_summary_and_filters_agree(client):
    summ = client.get("/api/tasks/summary").json()
    assert summ["total"] == sum(summ["by_status"].values())
    unit = summ["by_unit"][0]
    listed = client.get("/api/tasks", params={"unit": unit["unit"], "limit": 5000}).json()
    assert listed["total"] == unit["total"]
    overdue = client.get("/api/tasks", params={"overdue": "true", "limit": 5000}).json()
    assert overdue["total"] == summ["by_status"]["逾期"]


def test_task_exports(client):
    import io

    from openpyxl import load_workbook
    summ = client.get("/api/tasks/summary").json()
    unit = summ["by_unit"][0]
    r = client.get("/api/tasks/export.xlsx", params={"unit": unit["unit"]})
    assert r.status_code == 200 and "spreadsheetml" in r.headers["content-type"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "任务", "责任单位") and len(rows) - 1 == unit["total"]
    csv_text = client.get("/api/tasks/export.csv", params={"unit": unit["unit"]}).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("序号,任务") and len(csv_text.splitlines()) >= unit["total"] + 1
    assert len(client.get("/api/tasks/export.json", params={"unit": unit["unit"]}).json()["tasks"]) == unit["total"]
    assert_error(client.get("/api/tasks/export.pdf"), 400)


def test_same_answers_on_sqlite_and_postgresql(library):
    """The REST faces over either store (``library`` runs this on both)."""
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    # beijing-gazette-2019-10.txt: a gazette issue of several municipal documents.
    library.ingest([CORPUS / "beijing-gazette-2019-10.txt"])
    c = TestClient(create_app(library), raise_server_exceptions=False)
    docs = c.get("/api/documents", params={"limit": 1000}).json()["documents"]
    assert len(docs) == library.counts()["documents"] > 1
    full = library.document(docs[0]["key"])
    p = next(p for p in full.provisions if "/" in p.cid)
    assert c.get("/api/provisions/" + quote(p.cid, safe="/")).json()["provision"]["cid"] == p.cid
    hits = c.get("/api/search", params={"q": "营商环境"}).json()
    assert hits["ok"] and hits["total"] > 0
    assert c.get("/api/tasks/summary").json()["ok"]
    assert_error(c.get("/api/documents/没有这个文件"), 404)


def test_serve_ingests_the_demo_into_an_empty_library(monkeypatch):
    """`zhengce serve` on an empty store ingests the bundled gazettes, then runs uvicorn on the app."""
    import uvicorn
    from typer.testing import CliRunner

    from zhengce.cli import app
    from zhengce.library import Library
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: served.update(target=target, **kw))
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served["port"] == 8123 and served["host"] == "127.0.0.1"
    assert Library().counts()["documents"] > 0
    assert "http://127.0.0.1:8123/" in result.output


def test_every_api_route_is_documented():
    """Each REST route carries a Chinese summary in the OpenAPI schema (what /docs shows)."""
    from fastapi.routing import APIRoute

    from zhengce.api import create_app, documents, match, search, tasks
    from zhengce.library import Library
    routes = [r for m in (documents, search, match, tasks) for r in m.router.routes if isinstance(r, APIRoute)]
    assert len(routes) >= 14
    paths = create_app(Library(url="sqlite://")).openapi()["paths"]
    for r in routes:
        for method in r.methods:
            op = paths.get(re.sub(r":path}", "}", r.path), {}).get(method.lower())
            assert op and op.get("summary"), (method, r.path)
