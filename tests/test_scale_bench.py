"""benchmarks/scale.py at a small size: it builds the library from the real texts on both stores
and every figure comes out (no timing assertions: only that it measures what it claims)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import PG_OK, ROOT


def test_scale_benchmark_small(tmp_path):
    stores = "sqlite,postgres" if PG_OK else "sqlite"
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--documents", "12",
                          "--queries", "5", "--stores", stores, "--workdir", str(tmp_path), "--json",
                          "--workers", "2"],
                         capture_output=True, text=True, timeout=900,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.returncode == 0, out.stderr[-3000:]
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    assert [r["store"] for r in rows] == (["sqlite", "postgresql"] if PG_OK else ["sqlite"])
    for r in rows:
        assert r["files"] == 12 and r["not_ingested"] == 0 and r["documents"] >= 12
        assert r["reingest_status"] == "ingested" and r["change_found"]
        assert r["rules"] > 0 and r["rss_mb"] > 0 and r["size_mb"] > 0
        assert r["reingest2_s"] > 0 and r["match_after_ms"] > 0 and r["workers"] == 2
    # each copy has its own 文号: no two documents share a key
    assert len({p.read_text(encoding="utf-8")[:400] for p in (tmp_path / "files").rglob("doc*")}) == 12
