"""The scorer never stops on one file (shared/eval/README.md, last paragraph of "The command").

A corpus file the system refuses, or one the gold names that is not there, counts as missed,
is named by ``--verbose``, and the JSON line is still printed. ``eval all`` scores the measures
whose gold files are present. Gold lines are the real dev gold (shared/eval/dev/documents.jsonl).
"""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from zhengce.cli import app
from zhengce.eval import available

from conftest import CORPUS, GOLD, ROOT

runner = CliRunner()
PLAN = "beijing-business-environment-plan-2021.txt"  # 1 gold document, ingests fine
REFUSED = "beijing-gazette-2019-10.txt"  # 5 gold documents; the test overwrites it with binary junk
MISSING = "beijing-gazette-2022-05.txt"  # 2 gold documents; left out of the corpus


@pytest.fixture(scope="module")
def broken_corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("eval-robust")
    gold, corpus = tmp / "gold", tmp / "corpus"
    gold.mkdir()
    corpus.mkdir()
    lines = (GOLD / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    keep = [x for x in lines if json.loads(x)["source"] in (PLAN, REFUSED, MISSING)]
    (gold / "documents.jsonl").write_text("\n".join(keep) + "\n", encoding="utf-8")
    shutil.copy(CORPUS / PLAN, corpus / PLAN)
    (corpus / REFUSED).write_bytes(bytes(range(256)) * 64)  # binary, refused by the text reader
    return gold, corpus, len(keep)


def test_refused_file_counts_as_missed_and_json_is_printed(broken_corpus):
    gold, corpus, n = broken_corpus
    assert n == 8
    r = runner.invoke(app, ["eval", "documents", "--gold", str(gold), "--corpus", str(corpus), "--json", "-v"])
    assert r.exit_code == 0, r.output
    (line,) = r.stdout.splitlines()
    score = json.loads(line)
    assert score["measure"] == "documents" and score["n"] == 8
    assert score["recall"] == round(1 / 8, 4)  # only the plan's one document can be found
    assert score["precision"] == 1.0
    refused = [x for x in r.stderr.splitlines() if "[refused]" in x]
    assert len(refused) == 2
    assert any(REFUSED in x and "二进制文件" in x for x in refused)
    assert any(MISSING in x and "missing" in x for x in refused)
    # the refused file's gold documents are each listed as missed
    assert sum(f"[document] {REFUSED}:" in x for x in r.stderr.splitlines()) == 5


def test_without_verbose_a_one_line_note(broken_corpus):
    gold, corpus, _ = broken_corpus
    r = runner.invoke(app, ["eval", "documents", "--gold", str(gold), "--corpus", str(corpus), "--json"])
    assert r.exit_code == 0 and len(r.stdout.splitlines()) == 1
    assert "2 个语料文件被拒收" in r.stderr and REFUSED not in r.stderr


def test_all_scores_the_measures_whose_gold_is_present(broken_corpus):
    gold, corpus, _ = broken_corpus
    r = runner.invoke(app, ["eval", "all", "--gold", str(gold), "--corpus", str(corpus), "--json"])
    assert r.exit_code == 0, r.output
    assert [json.loads(x)["measure"] for x in r.stdout.splitlines()] == ["documents"]


def test_available_measures_by_gold_files(tmp_path):
    govcn = ROOT.parent / "shared" / "eval" / "govcn"
    assert available(govcn) == ["documents"]
    assert set(available(GOLD)) == {"documents", "questions", "tasks", "benefits", "cases", "references"}
    (tmp_path / "cases.jsonl").write_text("", encoding="utf-8")  # cases without the benefits they name
    assert available(tmp_path) == []
    r = runner.invoke(app, ["eval", "all", "--gold", str(tmp_path), "--json"])
    assert r.exit_code == 1 and "no gold file" in str(r.exception)  # main() prints it as one line


def test_all_goes_on_when_one_scorer_fails(monkeypatch, tmp_path):
    """``eval all``: a scorer that crashes is named on stderr, the other measures still print."""
    import zhengce.cli.evaluate as ev
    from zhengce.eval.common import Score

    def fake(name, gold, corpus):
        if name == "documents":
            raise RuntimeError("boom")
        return Score(name, 1, {"recall": 1.0})

    monkeypatch.setattr(ev, "available", lambda gold: ["documents", "tasks"])
    monkeypatch.setattr(ev, "score", fake)
    r = runner.invoke(app, ["eval", "all", "--gold", str(tmp_path), "--json"])
    assert r.exit_code == 2
    assert [json.loads(x)["measure"] for x in r.stdout.splitlines()] == ["tasks"]
    assert "documents" in r.stderr and "RuntimeError: boom" in r.stderr
