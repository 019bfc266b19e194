"""Benchmark: matching one profile against every rule of a scale store — time and memory.

Issue 13's 100,000-document run spent 5.9 s per warm match, 53 s on the first and ~2.9 GB of
RSS on the matcher (a decoded rule, an item and a trace per rule). This reopens a store built by
``benchmarks/scale.py`` (``--workdir W`` leaves it in ``W/sqlite``) and prints, for its N rules:

* first match (reads and compiles the rules), warm match (median of 5), and the match after a
  re-ingest of one changed file (the file is put back and re-ingested again afterwards);
* a "page" match: the match plus reading the first 40 items that are not "not eligible" (what
  the web form shows) — with lazy items this is most of what a face costs;
* memory the matcher keeps (``tracemalloc`` after the first match, the result dropped; numpy
  registers its buffers there too) and the peak during it, in bytes per rule; and the RSS growth.

``--compare SRC`` runs the same measurement a second time with another checkout's ``src`` first
on the path (e.g. an exported copy of main) and prints both side by side.

    .venv/bin/python benchmarks/scale.py --documents 2000 --stores sqlite --workdir /var/tmp/zm \\
        --reuse /var/tmp/zm-files
    .venv/bin/python benchmarks/match_memory.py --store /var/tmp/zm/sqlite \\
        --files /var/tmp/zm-files/files-2000 --compare /var/tmp/base/src
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROFILE = {"kind": "enterprise", "district": "西城区", "registered_in_beijing": True, "size": "small",
           "industries": ["软件和信息技术服务业"], "certifications": ["高新技术企业"], "listing": "北交所",
           "employees": 80}


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def changed_file(files_dir: Path) -> Path:
    """The middle generated file (as ``scale.py`` picks it), one folder listing at a time."""
    subs = sorted(d for d in files_dir.iterdir() if d.is_dir())
    files = sorted(subs[len(subs) // 2].glob("doc*.*"))
    return files[len(files) // 2]


def page(result) -> int:
    """What the web form reads: the first 40 items a profile can (possibly) get, with traces."""
    shown = 0
    for item in result.items:
        if item.verdict == "not eligible" or shown == 40:
            break
        shown += len(item.checks) > 0
    return shown


def measure(store: Path, files_dir: Path) -> dict:
    """Everything for one code version, in this process."""
    import zhengce
    from zhengce.library import Library
    from zhengce.match import match_profile

    url = f"sqlite:///{store}/scale.db"
    out: dict = {"code": str(Path(zhengce.__file__).parents[1])}
    # memory first, on a library of its own (its caches go with it)
    lib = Library(url=url, data_dir=store)
    gc.collect()
    rss0 = rss_mb()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    res = match_profile(lib, dict(PROFILE))
    n_rules = len(res.items)
    del res
    gc.collect()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out.update(rules=n_rules, kept_bytes=current - base, peak_bytes=peak - base, rss_growth_mb=rss_mb() - rss0)
    lib.engine.dispose()
    del lib
    gc.collect()

    lib = Library(url=url, data_dir=store)
    t = time.perf_counter()
    match_profile(lib, dict(PROFILE))
    out["first_ms"] = (time.perf_counter() - t) * 1000
    warm, pages = [], []
    for _ in range(5):
        t = time.perf_counter()
        res = match_profile(lib, dict(PROFILE))
        warm.append((time.perf_counter() - t) * 1000)
        page(res)
        pages.append((time.perf_counter() - t) * 1000)
        del res
    out["warm_ms"], out["page_ms"] = statistics.median(warm), statistics.median(pages)
    f = changed_file(files_dir)
    text = f.read_text(encoding="utf-8")
    pos = text.find("。")
    try:
        f.write_text(text[:pos + 1] + "匹配基准变更标记。" + text[pos + 1:], encoding="utf-8")
        lib.ingest([f], root=files_dir)
        t = time.perf_counter()
        res = match_profile(lib, dict(PROFILE))
        out["after_reingest_ms"] = (time.perf_counter() - t) * 1000
        del res
    finally:
        f.write_text(text, encoding="utf-8")
        lib.ingest([f], root=files_dir)  # the store back as generated
    lib.engine.dispose()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--store", type=Path, required=True, help="folder holding scale.db (scale.py's WORKDIR/sqlite)")
    ap.add_argument("--files", type=Path, required=True, help="the generated files the store was built from")
    ap.add_argument("--compare", type=Path, default=None, help="another checkout's src folder, measured the same way")
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child: print one JSON line
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.store, args.files)))
        return
    rows = []
    srcs = ([args.compare] if args.compare else []) + [ROOT / "src"]
    for src in srcs:
        env = dict(os.environ, PYTHONPATH=str(src))
        out = subprocess.run([sys.executable, __file__, "--one", "--store", str(args.store), "--files", str(args.files)],
                             env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(f"{src}: failed\n{out.stderr[-3000:]}")
            continue
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    report(rows)


def report(rows: list[dict]) -> None:
    if not rows:
        return
    lines = [
        ("code", lambda r: r["code"][-24:]),
        ("rules", lambda r: f"{r['rules']:,}"),
        ("first match (reads the rules)", lambda r: f"{r['first_ms']:.0f} ms"),
        ("warm match (median of 5)", lambda r: f"{r['warm_ms']:.1f} ms"),
        ("  + reading the first 40 items", lambda r: f"{r['page_ms']:.1f} ms"),
        ("match after a re-ingest of one file", lambda r: f"{r['after_reingest_ms']:.0f} ms"),
        ("kept by the matcher (tracemalloc)", lambda r: f"{r['kept_bytes'] / 1e6:.1f} MB"),
        ("  bytes per rule kept", lambda r: f"{r['kept_bytes'] / max(r['rules'], 1):.0f}"),
        ("  peak during the first match, per rule", lambda r: f"{r['peak_bytes'] / max(r['rules'], 1):.0f}"),
        ("RSS growth, first match", lambda r: f"{r['rss_growth_mb']:.0f} MB"),
    ]
    for label, fmt in lines:
        print(f"{label:42}" + "".join(f"{fmt(r):>28}" for r in rows))


if __name__ == "__main__":
    main()
