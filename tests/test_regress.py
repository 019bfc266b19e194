"""Smoke test of scripts/regress.py on one real gazette: snapshot written, diff against a baseline."""

from __future__ import annotations

import importlib.util
import json
import shutil

from conftest import CORPUS, ROOT


def _regress():
    spec = importlib.util.spec_from_file_location("regress", ROOT / "scripts" / "regress.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_regress_snapshot_and_diff(tmp_path, capsys):
    regress = _regress()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "beijing-business-environment-plan-2021.txt", corpus)
    out = tmp_path / "snap.json"
    assert regress.main(["--corpus", str(corpus), "--out", str(out), "--no-eval"]) == 0
    snap = json.loads(out.read_text(encoding="utf-8"))
    doc = snap["documents"]["京政发〔2021〕24号"]
    assert doc["issuers"] == ["北京市人民政府"] and doc["date"] == "2021-08-20"
    assert doc["provisions"] == sum(1 for c in snap["provisions"] if c.startswith("京政发〔2021〕24号/"))
    assert snap["benefits"] and snap["files"] == ["beijing-business-environment-plan-2021.txt"]

    # A baseline missing one provision and one benefit rule: the second run reports both as gained.
    cid, rule = next(iter(snap["provisions"])), next(iter(snap["benefits"]))
    del snap["provisions"][cid]
    del snap["benefits"][rule]
    base = tmp_path / "base.json"
    base.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    regress.main(["--corpus", str(corpus), "--out", str(tmp_path / "snap2.json"), "--baseline", str(base),
                  "--no-eval"])
    printed = capsys.readouterr().out
    assert f"  + {cid}" in printed and f"  + {rule}" in printed
    assert "(+1 -0 ~0)" in printed
