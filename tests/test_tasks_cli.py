"""The CLI faces of tracking: list/update/export/agencies/accounts, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import corpus_file

ZHENGCE = [sys.executable, "-c", "from zhengce.cli import main; main()"]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*ZHENGCE, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


def test_cli_tasks_flow(tmp_path: Path):
    # xicheng-gazette-2022.txt:2770-2945, 西政办发〔2022〕3号 (24 prose items)
    lines = corpus_file("xicheng-gazette-2022.txt").read_text(encoding="utf-8").splitlines()
    src = tmp_path / "xicheng-3.txt"
    src.write_text("\n".join(lines[2769:2945]) + "\n", encoding="utf-8")
    assert run("ingest", str(src)).returncode == 0
    out = run("tasks", "list", "--doc", "西政办发[2022]3号", "--overdue", "--json",
              env={"ZHENGCE_TODAY": "2022-10-01"})
    assert out.returncode == 0, out.stderr
    rows = [json.loads(x) for x in out.stdout.splitlines()]
    assert [r["lead_units"] for r in rows] == [["区城市管理委"]] and rows[0]["status"] == "逾期"
    token = run("accounts", "create", "--agency", "区生态环境局").stdout.strip().splitlines()[-1]
    assert token.startswith("zc_")
    refused = run("tasks", "update", rows[0]["id"], "--status", "推进中", "--token", token)
    assert refused.returncode == 1
    assert "无权更新" in refused.stderr and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) <= 2  # one sentence (rich may wrap it)
    mine = json.loads(run("tasks", "list", "--unit", "区生态环境局", "--json").stdout.splitlines()[0])
    ok = run("tasks", "update", mine["id"], "--status", "已完成", "--evidence", "设备更新验收单", "--token", token)
    assert ok.returncode == 0, ok.stderr
    xlsx = tmp_path / "tasks.xlsx"
    assert run("tasks", "export", str(xlsx), "--unit", "区生态环境局").returncode == 0
    from openpyxl import load_workbook
    data = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert data[1][2] == "区生态环境局" and data[1][5] == "已完成"
    agencies = run("agencies", "--json")
    names = {json.loads(x)["name"]: json.loads(x) for x in agencies.stdout.splitlines()}
    assert "区应急局" in names["区应急管理局"]["aliases"] and names["区生态环境局"]["tasks"] == 1
