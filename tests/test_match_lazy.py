"""Matching a library without an object per rule: lazy items, traces only for the items read, and
the compact rules in force following a re-ingest — over real corpus text (xicheng-gazette-2022.txt)."""

from __future__ import annotations

import shutil

import pytest

from conftest import corpus_file

# xicheng-gazette-2022.txt:3146 (西民发〔2022〕2号): 60-79岁的低保、低收入的空巢老人 … 上门理发服务
HAIRCUT = "的空巢老人提供上门理发服务"
ELDER = {"kind": "person", "age": 79, "hukou": "西城区", "residence_district": "西城区", "assistance": ["低收入"],
         "disability": "severe", "lives_alone": True}


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    """One library of a copy of the gazette (the re-ingest test changes its file)."""
    from zhengce.library import Library
    tmp = tmp_path_factory.mktemp("lazy")
    shutil.copy(corpus_file("xicheng-gazette-2022.txt"), tmp / "西城区政府公报2022.txt")
    lib = Library(url=f"sqlite:///{tmp}/t.db", data_dir=tmp)
    lib.ingest([tmp / "西城区政府公报2022.txt"], root=tmp)
    lib.tmp = tmp
    yield lib
    lib.engine.dispose()


def _haircut(lib):
    from zhengce.match import load_rules
    return min((r for r in load_rules(lib) if HAIRCUT in r.text), key=lambda r: len(r.text))


def test_lazy_items_are_the_full_listing(lib):
    from zhengce.match import load_rules, match_profile, match_rules
    res = match_profile(lib, dict(ELDER))
    every = list(res.items)
    assert len(every) == len(res.items) == len(load_rules(lib)) > 50
    # indexing, negative indexing and slices read the same items as iterating
    for i in (0, 1, len(every) // 2, len(every) - 1):
        assert res.items[i].to_dict() == every[i].to_dict()
    assert res.items[-1].to_dict() == every[-1].to_dict()
    assert [i.to_dict() for i in res.items[5:12]] == [i.to_dict() for i in every[5:12]]
    # the three runs and the counts are those of the verdicts
    verdicts = [i.verdict for i in every]
    assert res.counts == {v: verdicts.count(v) for v in ("eligible", "possibly eligible", "not eligible")}
    assert all(i.verdict == "eligible" for i in res.eligible) and len(res.eligible) == res.counts["eligible"] > 0
    assert all(i.verdict == "possibly eligible" for i in res.possibly) and len(res.possibly) > 0
    assert all(i.verdict == "not eligible" for i in res.rejected) and len(res.rejected) > 0
    short = res.to_dict(include_not_eligible=False)
    assert short["items"] == [i.to_dict() for i in every if i.verdict != "not eligible"]
    assert short["counts"] == res.counts
    # the same as matching the decoded rules (the pure path, items built from BenefitRule objects)
    assert res.to_dict() == match_rules(load_rules(lib), dict(ELDER)).to_dict()
    haircut = next(i for i in every if i.benefit.id == _haircut(lib).id)
    assert haircut.verdict == "eligible" and "年龄60至79周岁: 是" in haircut.reasons


def test_only_the_items_read_get_traces(lib, monkeypatch):
    from zhengce.match import match_profile
    from zhengce.match.engine import Match
    built: list[int] = []
    checks = Match.checks

    def counted(self, j):
        built.append(j)
        return checks(self, j)

    monkeypatch.setattr(Match, "checks", counted)
    res = match_profile(lib, dict(ELDER))
    assert built == [] and res.counts["eligible"] > 0  # counts come from the verdict arrays
    first = res.items[:3]
    assert built == []  # a slice is a view
    names = [i.benefit.name for i in first]
    assert len(names) == 3 and len(built) == 3
    assert len(set(built)) == 3 and built == res.match.order[:3].tolist()


def test_reingest_changes_the_verdict(lib):
    from zhengce.match import load_rules, match_profile, match_rules
    src = lib.tmp / "西城区政府公报2022.txt"
    rid = _haircut(lib).id
    before = next(i for i in match_profile(lib, dict(ELDER)).items if i.benefit.id == rid)
    assert before.verdict == "eligible"
    text = src.read_text(encoding="utf-8")
    line = "年龄在60-79岁的低保、低收入的空巢老人提供上门理发服务"
    assert text.count(line) == 1
    src.write_text(text.replace(line, line.replace("60-79", "60-75")), encoding="utf-8")
    lib.ingest([src], root=lib.tmp)
    res = match_profile(lib, dict(ELDER))
    after = next(i for i in res.items if i.benefit.id == rid)
    assert after.verdict == "not eligible" and any("75" in f and f.endswith(": 否") for f in after.failed)
    assert res.to_dict() == match_rules(load_rules(lib), dict(ELDER)).to_dict()
    src.write_text(text, encoding="utf-8")
    lib.ingest([src], root=lib.tmp)
    again = next(i for i in match_profile(lib, dict(ELDER)).items if i.benefit.id == rid)
    assert again.to_dict() == before.to_dict()


def test_summaries_by_id_and_document(lib):
    """The card page and the provision page read one rule's or one document's summaries."""
    from zhengce.match import benefit_count, benefit_summary, list_benefits, load_rules
    every = list_benefits(lib)
    doc_of = {r.id: r.doc_key for r in load_rules(lib)}
    assert benefit_count(lib) == len(every)
    for b in every[::7]:
        assert benefit_summary(lib, b.id) == b
        assert [x for x in list_benefits(lib, doc_key=doc_of[b.id]) if x.id == b.id] == [b]
    # an id that is the start of another (…#1 of …#10) or a part of one names no rule
    haircut = _haircut(lib)
    assert benefit_summary(lib, haircut.id[:-1]) is None and benefit_summary(lib, haircut.id[1:]) is None
    assert sum(len(list_benefits(lib, doc_key=d)) for d in set(doc_of.values())) == len(every)


def test_shared_rows_keep_their_values_types(lib):
    """A rule and its corrected copy differ only in writing the amount 3000 as an integer (as an
    officer's YAML does): each summary keeps its own (rows are shared between equal values)."""
    import json

    from zhengce.extract.benefits.rule import BenefitRule
    from zhengce.match import match_rules
    rule = next(r for r in sorted(_rules(lib), key=lambda r: r.id) if r.amount.max_yuan)
    as_float = BenefitRule.from_dict(rule.to_dict())
    as_float.amount.max_yuan = float(rule.amount.max_yuan)
    as_int = BenefitRule.from_dict(rule.to_dict() | {"id": rule.id + "0"})
    as_int.amount.max_yuan = int(rule.amount.max_yuan)
    out = json.dumps([i.benefit.to_dict() for i in match_rules([as_float, as_int], dict(ELDER)).items])
    assert f'"amount_max_yuan": {float(rule.amount.max_yuan)}' in out
    assert f'"amount_max_yuan": {int(rule.amount.max_yuan)},' in out


def _rules(lib):
    from zhengce.match import load_rules
    return load_rules(lib)


def test_cli_table_makes_only_the_items_it_lists(lib, monkeypatch, tmp_path):
    """``zhengce match`` lists the (possibly) eligible rules and the counts without making a
    trace for any not-eligible one (at 100,000 documents nearly all of ~380,000 rules)."""
    import json

    from typer.testing import CliRunner

    from zhengce.cli import app
    from zhengce.match import match_profile
    from zhengce.match.engine import Match
    built: list[int] = []
    checks = Match.checks

    def counted(self, j):
        built.append(j)
        return checks(self, j)

    monkeypatch.setattr(Match, "checks", counted)
    profile = tmp_path / "elder.json"
    profile.write_text(json.dumps(ELDER, ensure_ascii=False), encoding="utf-8")
    env = {"ZHENGCE_DATABASE_URL": str(lib.engine.url), "ZHENGCE_DATA_DIR": str(lib.tmp), "COLUMNS": "400"}
    out = CliRunner().invoke(app, ["match", str(profile)], env=env)
    assert out.exit_code == 0, out.output
    res = match_profile(lib, dict(ELDER))
    c = res.counts
    assert f"可以享受 {c['eligible']} 项，可能可以享受 {c['possibly eligible']} 项，不符合 {c['not eligible']} 项" in out.output
    assert c["not eligible"] > 0 and sorted(built) == sorted(res.match.order[:c["eligible"] + c["possibly eligible"]].tolist())
