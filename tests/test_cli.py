"""The library CLI in-process (Typer's CliRunner) over the real gazettes, plus one real subprocess
for the error boundary (``zhengce.cli.main`` turns a ZhengceError into one line and exit 1).

Piped output (as under CliRunner) is plain: one line per ingested file, ``docs`` as tab-separated rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from zhengce.cli import app

from conftest import CORPUS, GOLD, ROOT

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The whole corpus ingested once through ``zhengce ingest``; env that points a command at it."""
    tmp = tmp_path_factory.mktemp("cli")
    env = {"ZHENGCE_DATA_DIR": str(tmp), "ZHENGCE_DATABASE_URL": f"sqlite:///{tmp}/cli.db"}
    first = runner.invoke(app, ["ingest", str(CORPUS)], env=env)
    return env, first


def run(env: dict, *args: str):
    return runner.invoke(app, list(args), env=env)


def docs_rows(env: dict, *args: str) -> list[list[str]]:
    """``zhengce docs`` rows: key, 文号, date, issuers, title."""
    r = run(env, "docs", *args)
    assert r.exit_code == 0, r.output
    return [line.split("\t") for line in r.stdout.splitlines()]


def test_ingest_prints_one_ok_line_per_file(store):
    env, first = store
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert [os.path.basename(line.split(": ", 1)[0]) for line in lines] == files
    # beijing-business-environment-plan-2021.txt holds one 公文 (京政发〔2021〕24号, line 5)
    assert "beijing-business-environment-plan-2021.txt: 1 篇公文" in first.stdout


def test_ingest_again_is_unchanged(store):
    env, _ = store
    before = docs_rows(env)
    again = run(env, "ingest", str(CORPUS))
    assert again.exit_code == 0
    lines = again.stdout.splitlines()
    assert len(lines) == len(list(CORPUS.glob("*.txt")))
    assert all(line.endswith("未变化 (unchanged)") for line in lines)
    assert docs_rows(env) == before


@pytest.mark.parametrize("bad_name, content", [
    ("binary.txt", bytes(range(256)) * 8),
    ("empty.txt", b""),
])
def test_ingest_bad_file_one_error_line_exit_1(tmp_path, bad_name, content):
    bad = tmp_path / bad_name
    bad.write_bytes(content)
    good = CORPUS / "beijing-business-environment-plan-2021.txt"
    r = runner.invoke(app, ["ingest", str(good), str(bad)])
    assert r.exit_code == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("错误")]
    assert len(errors) == 1 and str(bad) in errors[0], r.stderr
    assert "2 个文件: 收录 1" in r.stderr and "拒收 1" in r.stderr  # the summary, on stderr
    assert "Traceback" not in r.output
    assert r.stdout.splitlines() == [line for line in r.stdout.splitlines() if good.name in line]
    assert len(r.stdout.splitlines()) == 1  # the good file still went in


def test_docs_filters(store):
    env, _ = store
    everything = docs_rows(env)
    keys = {row[0] for row in everything}
    assert "京政发〔2021〕24号" in keys and len(everything) > 20

    # xicheng-gazette-2022.txt:41 西政发〔2022〕1号, issued by 北京市西城区人民政府
    xicheng = docs_rows(env, "--issuer", "西城区")
    assert "西政发〔2022〕1号" in {row[0] for row in xicheng}
    assert all("西城区" in row[3] for row in xicheng) and len(xicheng) < len(everything)

    # beijing-private-enterprise-policies-2021q4.txt:4520-4526 a 通知 (京医保发〔2021〕34号);
    # beijing-business-environment-plan-2021.txt:3 a 规划 (京政发〔2021〕24号)
    notices = {row[0] for row in docs_rows(env, "--type", "通知")}
    assert "京医保发〔2021〕34号" in notices and "京政发〔2021〕24号" not in notices

    # xicheng-gazette-2022.txt:49 signed 2022年1月29日; beijing-business-environment-plan-2021.txt:14 2021年8月20日
    recent = docs_rows(env, "--since", "2022-01-01")
    assert "西政发〔2022〕1号" in {row[0] for row in recent}
    assert all(row[2] >= "2022-01-01" for row in recent)
    assert "京政发〔2021〕24号" not in {row[0] for row in recent}


def test_show_by_doc_number_any_bracket_style(store):
    env, _ = store
    r = run(env, "show", "京政发〔2021〕24号")
    assert r.exit_code == 0, r.output
    # beijing-business-environment-plan-2021.txt:3-14 title, 文号, 成文日期
    assert "优化营商环境规划" in r.stdout.splitlines()[0]
    assert "发文字号: 京政发〔2021〕24号" in r.stdout
    assert "成文日期: 2021-08-20" in r.stdout
    assert "京政发〔2021〕24号/一/(三)/1" in r.stdout  # outline with citation ids
    square = run(env, "show", "京政发[2021]24号")
    assert square.exit_code == 0 and square.stdout == r.stdout


@pytest.mark.parametrize("args, named", [
    (["show", "NOPE"], "NOPE"),
    (["docs", "--since", "yesterday"], "--since"),
])
def test_bad_input_is_one_error_line_exit_1(store, args, named):
    """A real process: the error boundary lives in ``zhengce.cli.main``, outside Typer."""
    env, _ = store
    p = subprocess.run([sys.executable, "-c", "from zhengce.cli import main; main()", *args],
                       capture_output=True, text=True, env={**os.environ, **env}, cwd=ROOT, timeout=120)
    assert p.returncode == 1
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0] and "Traceback" not in p.stderr


@pytest.mark.skipif(not GOLD.is_dir(), reason="shared/eval/dev not present")
def test_eval_documents_json():
    r = runner.invoke(app, ["eval", "documents", "--gold", str(GOLD), "--corpus", str(CORPUS), "--json"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert len(lines) == 1
    s = json.loads(lines[0])
    assert set(s) == {"measure", "n", "recall", "precision", "doc_number", "date", "issuers", "body"}
    assert s["measure"] == "documents" and s["n"] > 0
    assert all(0.0 <= s[k] <= 1.0 for k in ("recall", "precision", "doc_number", "date", "issuers", "body"))
