"""Verdicts with a trace (condition, fact read, result, provision) — the same in the service, the
CLI, the REST API and the card page — and the computability report, over real corpus text."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from zhengce.extract.benefits.units import work_text

from conftest import corpus_file

runner = CliRunner()
# xicheng-gazette-2022.txt:3321-3330 (西民发〔2022〕3号 第三条, 第四条)
ELDER = {"kind": "person", "age": 85, "hukou": "西城区", "residence_district": "西城区", "assistance": ["低保"]}
FREE_SERVICE = "方可无偿享受基本养老服务"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One gazette ingested through the CLI; the same store for the service, the CLI and the API."""
    from zhengce.cli import app
    tmp = tmp_path_factory.mktemp("trace")
    env = {"ZHENGCE_DATA_DIR": str(tmp), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp}/t.db"}
    r = runner.invoke(app, ["ingest", str(corpus_file("xicheng-gazette-2022.txt"))], env=env)
    assert r.exit_code == 0, r.output
    return env, tmp


@pytest.fixture(scope="module")
def lib(store):
    from zhengce.library import Library
    env, tmp = store
    lib = Library(url=env["ZHENGCE_DATABASE_URL"], data_dir=tmp)
    yield lib
    lib.engine.dispose()


@pytest.fixture(scope="module")
def rule_id(lib):
    from zhengce.match import load_rules
    hits = [r for r in load_rules(lib) if work_text(FREE_SERVICE) in work_text(r.text)]
    return min(hits, key=lambda r: len(r.text)).id


def test_trace_names_fact_result_and_provision(lib, rule_id):
    from zhengce.match import explain, trace_row
    item = explain(lib, rule_id, ELDER)
    assert item.verdict == "eligible"
    rows = [trace_row(c) for c in item.checks]
    by_cond = {r["condition"]: r for r in rows}
    assert by_cond["本市户籍"]["fact"] == "户籍=西城区" and by_cond["本市户籍"]["result"] == "是"
    assert by_cond["老年人（60周岁及以上）"]["fact"] == "年龄=85"
    # the definition's alternatives read age, assistance and disability; disability is not given
    alt = next(r for r in rows if "城乡特困" in r["condition"])
    assert "救助身份=低保" in alt["fact"] and "失能/残疾程度=未填写" in alt["fact"] and alt["result"] == "是"
    assert all(r["cid"].startswith("西民发〔2022〕3号/") for r in rows)


def test_unexpressible_condition_shows_its_words(lib, rule_id):
    from zhengce.match import explain
    # 66 years old, no assistance, no disability: only 失智 is left, which no profile field states
    item = explain(lib, rule_id, {"kind": "person", "age": 66, "hukou": "西城区", "residence_district": "西城区",
                                  "assistance": [], "disability": "none"})
    assert item.verdict == "possibly eligible"
    assert any("失智" in m for m in item.missing)
    # someone without Beijing 户籍 is not eligible, and the trace says which fact failed
    item = explain(lib, rule_id, {**ELDER, "hukou": "外地"})
    assert item.verdict == "not eligible" and item.failed == ["本市户籍: 否"]


def test_cli_api_and_card_show_the_same_trace(lib, store, rule_id, tmp_path):
    from fastapi.testclient import TestClient

    from zhengce.api import create_app
    from zhengce.cli import app
    from zhengce.match import card, explain, trace_row
    want = [trace_row(c) for c in explain(lib, rule_id, ELDER).checks]
    env, _ = store
    p = tmp_path / "p.json"
    p.write_text(json.dumps(ELDER, ensure_ascii=False), encoding="utf-8")
    r = runner.invoke(app, ["card", rule_id, "--profile", str(p), "--json"], env=env)
    assert r.exit_code == 0, r.output
    cli_card = json.loads(r.output)
    assert cli_card["verdict"] == "可以享受" and cli_card["trace"] == want
    assert card(lib, rule_id, ELDER).trace == want
    with TestClient(create_app(lib)) as client:
        got = client.post(f"/api/match/{quote(rule_id)}", json={"profile": ELDER}).json()
        assert got["ok"] and got["verdict"] == "eligible" and got["trace"] == want
        page = client.get(f"/cards/{quote(rule_id)}", params={"kind": "person", "age": "85", "hukou": "西城区",
                                                        "residence_district": "西城区", "assistance": "低保"})
        assert page.status_code == 200
        assert "结论：可以享受" in page.text and "户籍=西城区" in page.text


def test_rules_coverage(lib, store):
    from zhengce.cli import app
    from zhengce.match.coverage import library_coverage
    cov = library_coverage(lib)
    assert 0 < cov.computable < cov.rules
    shares = {d.doc: d.share for d in cov.documents}
    assert "西民发〔2022〕3号" in shares and "西人社发〔2022〕8号" in shares
    # the 驿站 qualification clause (xicheng-gazette-2022.txt 第二十五条) binds every station benefit
    assert any("驿站具备以下基本条件" in p for p, _ in cov.phrases)
    r = runner.invoke(app, ["rules", "coverage", "--json"], env=store[0])
    assert r.exit_code == 0 and json.loads(r.output)["computable"] == cov.computable
