"""Matching: profile validation, verdicts with reasons, batch == single, rules as versioned data."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from zhengce.errors import InvalidInput
from zhengce.extract.benefits import extract_benefits
from zhengce.extract.benefits.units import work_text
from zhengce.match import match_rules
from zhengce.match.engine import T, U, evaluate_rule
from zhengce.match.profile import Population, validate_profile

from conftest import corpus_file

# a small software firm in 西城区 (beijing-private-enterprise-policies-2021q4.txt names 中小微企业, 高新技术企业)
ENTERPRISE = {"kind": "enterprise", "district": "西城区", "registered_in_beijing": True, "size": "small",
              "industries": ["软件和信息技术服务业"], "certifications": ["高新技术企业"], "employees": 80}


@pytest.fixture(scope="module")
def elder_rules():
    """Rules of 西民发〔2022〕2号 and 8号 (xicheng-gazette-2022.txt:3126-3871)."""
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source
    docs = parse_source(read_source(corpus_file("xicheng-gazette-2022.txt")))
    return [r for d in docs if d.doc_number in ("西民发〔2022〕2号", "西民发〔2022〕8号") for r in extract_benefits(d)]


def _by_quote(rules, result, quote):
    r = min((r for r in rules if quote in work_text(r.text)), key=lambda r: len(r.text))
    return next(i for i in result.items if i.benefit.id == r.id)


@pytest.mark.parametrize("profile,field", [
    ({"kind": "person", "agee": 70}, "agee"),
    ({"kind": "person", "disability": "very"}, "disability"),
    ({"kind": "person", "age": "seventy"}, "age"),
    ({"kind": "robot"}, "kind"),
    ({"kind": "enterprise", "size": "tiny"}, "size"),
])
def test_profile_errors_name_the_field(profile, field):
    with pytest.raises(InvalidInput) as e:
        validate_profile(profile)
    assert e.value.field == field


def test_verdicts_and_reasons(elder_rules):
    p = {"kind": "person", "age": 79, "hukou": "西城区", "residence_district": "西城区",
         "assistance": ["低收入"], "disability": "severe", "lives_alone": True}
    res = match_rules(elder_rules, p)
    haircut = _by_quote(elder_rules, res, "低收入的空巢老人提供上门理发服务")
    assert haircut.verdict == "eligible"
    assert any(r.startswith("年龄60至79周岁: 是") for r in haircut.reasons)
    bath = _by_quote(elder_rules, res, "无洗澡条件")  # xicheng-gazette-2022.txt:3142
    assert bath.verdict == "possibly eligible"
    assert any("无洗澡条件" in m for m in bath.missing)
    poor = _by_quote(elder_rules, res, "签约本区户籍的城乡特困年满60周岁")  # xicheng-gazette-2022.txt:3795
    assert poor.verdict == "not eligible" and any("特困: 否" in f for f in poor.failed)
    # sorted: eligible first, by amount within a verdict
    ranks = [("eligible", "possibly eligible", "not eligible").index(i.verdict) for i in res.items]
    assert ranks == sorted(ranks)
    eligible_amounts = [i.benefit.amount_max_yuan or 0 for i in res.eligible]
    assert eligible_amounts == sorted(eligible_amounts, reverse=True)


def test_unknown_fact_is_listed_not_assumed(elder_rules):
    # no assistance field: the 低保/低收入 condition cannot be decided
    res = match_rules(elder_rules, {"kind": "person", "age": 70, "hukou": "西城区", "residence_district": "西城区"})
    haircut = _by_quote(elder_rules, res, "低收入的空巢老人提供上门理发服务")
    assert haircut.verdict == "possibly eligible"
    assert any(m.startswith("assistance") for m in haircut.missing)
    assert any(m.startswith("lives_alone") for m in haircut.missing)


def _random_people(n, seed=7):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        p = {"kind": "person"}
        if rng.random() < 0.9:
            p["age"] = int(rng.integers(50, 95))
        if rng.random() < 0.9:
            p["hukou"] = str(rng.choice(["西城区", "北京市", "外地"]))
        if rng.random() < 0.9:
            p["residence_district"] = str(rng.choice(["西城区", "丰台区"]))
        if rng.random() < 0.8:
            p["assistance"] = [str(a) for a in rng.choice(["低保", "低收入", "特困", "计生特扶"], int(rng.integers(0, 2)))]
        if rng.random() < 0.8:
            p["disability"] = str(rng.choice(["none", "moderate", "severe"]))
        if rng.random() < 0.8:
            p["lives_alone"] = bool(rng.random() < 0.5)
        out.append(p)
    return out


def test_population_equals_profiles_one_by_one(elder_rules):
    people = _random_people(300)
    pop = Population.from_profiles(people)
    for rule in elder_rules:
        batch = evaluate_rule(rule, pop)
        single = [evaluate_rule(rule, Population.from_profiles([p]))[0] for p in people]
        assert batch.tolist() == single
    # the population is not trivial: some of each verdict
    allv = np.concatenate([evaluate_rule(r, pop) for r in elder_rules])
    assert (allv == T).any() and (allv == U).any()


def test_batch_registry_and_versioned_corrections(library, tmp_path):
    from zhengce.match import card, list_benefits, load_rules, match_batch, match_profile, matcher
    from zhengce.match.rules_io import export_rules, import_rules
    src = corpus_file("xicheng-gazette-2022.txt")
    library.ingest([src])
    rules = load_rules(library)
    compiled = matcher(library)
    assert matcher(library) is compiled  # read once per store state, not on every match
    bed = next(r for r in rules if "基础服务设备补贴" in r.text)
    # 精准推送 from a CSV registry (xicheng-gazette-2022.txt:3728 needs 本区户籍 + 重度)
    csv = tmp_path / "people.csv"
    csv.write_text("name,kind,age,hukou,residence_district,disability,lives_alone\n"
                   "甲,person,70,西城区,西城区,severe,true\n乙,person,70,北京市,西城区,severe,true\n"
                   "丙,person,70,西城区,西城区,,true\n", encoding="utf-8")
    res = match_batch(library, csv, bed.id)
    assert res.eligible == [0] and res.possibly == [2]
    c = card(library, bed.id)
    assert "西民发〔2022〕8号" in c.basis and "3000" in c.standard.replace("3千", "3000")
    # an officer corrects the amount; the correction is version 1 and survives re-ingest
    path = tmp_path / "rules.yaml"
    export_rules(library, path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for r in data["rules"]:
        if r["id"] == bed.id:
            r["amount"]["max_yuan"] = 3500
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert import_rules(library, path, author="审核员")["changed"] == 1
    # the correction is in force at once (the cached rules follow the overrides table) …
    corrected = matcher(library)
    assert corrected is not compiled
    assert next(r for r in load_rules(library) if r.id == bed.id).amount.max_yuan == 3500
    assert import_rules(library, path)["changed"] == 0
    assert matcher(library) is corrected
    # the corrected row is in its place in the compact rules: the same listing as the decoded rules
    p = {"kind": "person", "age": 70, "hukou": "西城区", "residence_district": "西城区", "disability": "severe"}
    assert match_profile(library, p).to_dict() == match_rules(load_rules(library), p).to_dict()
    library.ingest([src], force=True)
    assert matcher(library) is not corrected  # … and the store generation
    again = next(b for b in list_benefits(library) if b.id == bed.id)
    assert again.amount_max_yuan == 3500 and again.version == 1
    # the home page's count (two queries, no matcher) follows corrections and added rules
    from zhengce.match import benefit_count
    assert benefit_count(library) == len(load_rules(library))
    added = dict(next(r for r in data["rules"] if r["id"] == bed.id), id=bed.id + "/officer-added")
    path.write_text(yaml.safe_dump({"rules": [added]}, allow_unicode=True), encoding="utf-8")
    assert import_rules(library, path)["changed"] == 1
    assert benefit_count(library) == len(load_rules(library)) == len(rules) + 1


def test_import_rejects_unknown_field(library, tmp_path):
    from zhengce.match.rules_io import import_rules
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"rules": [{
        "id": "x#0", "doc_key": "x", "cid": "x", "source": "s", "doc_number": None, "doc_title": "t",
        "name": "n", "text": "t", "beneficiary": "person",
        "conditions": [{"field": "salary", "op": "ge", "value": 1}]}]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InvalidInput) as e:
        import_rules(library, path)
    assert "salary" in e.value.message


def test_cli_match_reports_unknown_field(tmp_path):
    from typer.testing import CliRunner

    from zhengce.cli import app
    p = tmp_path / "p.json"
    p.write_text('{"kind": "enterprise", "sise": "small"}', encoding="utf-8")
    result = CliRunner().invoke(app, ["match", str(p)])
    assert isinstance(result.exception, InvalidInput) and result.exception.field == "sise"


def _registry(tmp_path, people, suffix):
    import pyarrow as pa
    cols = ["kind", "age", "hukou", "residence_district", "assistance", "disability", "lives_alone"]
    table = pa.table({c: [p.get(c) for p in people] for c in cols})
    path = tmp_path / f"people{suffix}"
    if suffix == ".parquet":
        import pyarrow.parquet as pq
        pq.write_table(table, path)
    else:
        rows = ["name," + ",".join(cols)]
        for i, p in enumerate(people):
            cells = []
            for c in cols:
                v = p.get(c)
                cells.append("" if v is None else ";".join(v) if isinstance(v, list) else str(v).lower()
                             if isinstance(v, bool) else str(v))
            rows.append(f"p{i}," + ",".join(cells))
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_duckdb_sql_agrees_with_numpy(elder_rules, tmp_path, suffix):
    from zhengce.match.registry import read_registry
    from zhengce.match.sql import match_registry_duckdb
    people = _random_people(200, seed=11)
    path = _registry(tmp_path, people, suffix)
    pop = read_registry(path)
    for rule in elder_rules:
        v = evaluate_rule(rule, pop)
        eligible, possibly = match_registry_duckdb(path, rule)
        assert eligible == np.flatnonzero(v == T).tolist(), rule.id
        assert possibly == np.flatnonzero(v == U).tolist(), rule.id


@pytest.fixture(scope="module")
def compilation_rules():
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source
    docs = parse_source(read_source(corpus_file("beijing-private-enterprise-policies-2021q4.txt")))
    return [r for d in docs for r in extract_benefits(d)]


@pytest.mark.parametrize("profile,verdict", [
    ({"kind": "enterprise", "size": "small", "registered_in_beijing": True}, "eligible"),
    ({"kind": "enterprise", "size": "large", "registered_in_beijing": True}, "not eligible"),
    ({"kind": "enterprise", "size": "micro", "registered_in_beijing": False}, "not eligible"),
    ({"kind": "enterprise", "district": "海淀区"}, "possibly eligible"),  # size unknown
    ({"kind": "person", "age": 40}, "not eligible"),
])
def test_document_wide_scope_for_firms(compilation_rules, profile, verdict):
    # beijing-private-enterprise-policies-2021q4.txt:1360 "鼓励辖内商业银行对小微企业免收全部单位结算账户管理费和年费",
    # and :1611 "以上政策措施适用于…且在北京注册的中小企业" applies to it
    res = match_rules(compilation_rules, profile)
    item = _by_quote(compilation_rules, res, "对小微企业免收全部单位结算账户管理费和年费")
    assert item.verdict == verdict


def test_firm_awards_for_acts_are_only_possible(compilation_rules):
    # beijing-private-enterprise-policies-2021q4.txt:3224: revenue first passing 1亿元 is not a profile fact
    res = match_rules(compilation_rules, {"kind": "enterprise", "size": "medium", "registered_in_beijing": True,
                                          "certifications": ["专精特新小巨人"], "annual_revenue_yuan": 2e8})
    item = _by_quote(compilation_rules, res, "给予相应额度的一次性资金奖励")
    assert item.verdict == "possibly eligible"
    assert item.missing


def test_compiled_sql_runs_on_postgresql(elder_rules, pg_url):
    """The rules' SQL (postgresql dialect: text[] lists) gives the numpy verdicts on a PostgreSQL table."""
    import psycopg

    from zhengce.match.sql import rule_sql
    people = _random_people(120, seed=5)
    cols = ["kind", "age", "hukou", "residence_district", "assistance", "disability", "lives_alone"]
    with psycopg.connect(pg_url, autocommit=True) as c:
        c.execute("CREATE TABLE reg (rn int, kind text, age int, hukou text, residence_district text, "
                  "assistance text[], disability text, lives_alone boolean)")
        with c.cursor() as cur:
            cur.executemany("INSERT INTO reg VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                            [[i] + [p.get(k) for k in cols] for i, p in enumerate(people)])
        pop = Population.from_profiles(people)
        for rule in elder_rules:
            got = [r[0] for r in c.execute(f"SELECT {rule_sql(rule, set(cols), 'postgresql')} FROM reg ORDER BY rn")]
            assert got == evaluate_rule(rule, pop).tolist(), rule.id


def test_rules_follow_the_store_by_its_log(library, tmp_path, monkeypatch):
    """After an ingest only the changed sources' rules are read again; the compact rules in force
    match as a full decoded read does (summaries, verdicts, traces, order), on both stores
    (gazette-2019-10 and the private-enterprise policies, then a copy that changes and goes)."""
    import shutil

    from zhengce.match import list_benefits, load_rules, match_profile, match_rules, summary
    from zhengce.store import base as store_base
    from zhengce.store import benefits as store_benefits
    from zhengce.store import documents as store_docs

    read: list[str] = []
    rows = store_benefits.extracted_rows

    def counted(conn, source_paths=None):
        for row in rows(conn, source_paths):
            read.append(row[0])
            yield row

    monkeypatch.setattr(store_benefits, "extracted_rows", counted)

    def same_as_full_read() -> int:
        rules = load_rules(library)  # decoded from the store, every time
        assert [b.to_dict() for b in list_benefits(library)] == [summary(r).to_dict() for r in rules]
        for p in (ENTERPRISE, {"kind": "person", "age": 70, "hukou": "北京市"}):
            assert match_profile(library, dict(p)).to_dict() == match_rules(rules, dict(p)).to_dict()
        return len(rules)

    a, b = corpus_file("beijing-gazette-2019-10.txt"), corpus_file("beijing-private-enterprise-policies-2021q4.txt")
    library.ingest([a, b])
    first = same_as_full_read()
    assert first and set(read) == {a.name, b.name}
    copy = tmp_path / "民营企业政策汇编-副本.txt"
    shutil.copy(b, copy)
    library.ingest([copy])
    read.clear()
    second = same_as_full_read()
    assert second > first
    assert set(read) == {copy.name}  # the unchanged sources' rules were not read again
    # the copy changes: its second half is gone
    text = copy.read_text(encoding="utf-8")
    copy.write_text(text[: len(text) // 2], encoding="utf-8")
    library.ingest([copy])
    assert first < same_as_full_read() < second
    with store_base.write_transaction(library.engine) as conn:
        store_docs.delete_source(conn, copy.name)
    assert same_as_full_read() == first
