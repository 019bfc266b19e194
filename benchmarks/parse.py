"""Read + parse benchmark: ``read_source`` and ``parse_source`` per format, beside another tree's code.

The ingest benchmark times parse inside a full ingest; this one isolates the two stages a speed
change to ``sources/`` or ``ingest/`` touches, for each format the corpus comes in: the gazette
text (data/gazettes), the State Council pages as HTML (shared/eval/govcn/corpus) and their
renderings as browser PDF, copied text and page text (tests/data/govcn-renderings). Each source
is read once per run and parsed ``--repeat`` times; the best counts, in CPU time.

The baseline is the same measurement of another git ref's code (default ``main``) run in a
subprocess, runs alternating with this tree's, so both columns see the same machine load. A digest of every
parsed document and provision (their ``repr``) is printed beside it: a speed change must leave
it unchanged ("same"), the parse-level twin of ``scripts/store_dump.py`` that also covers PDF.

    .venv/bin/python benchmarks/parse.py                     # this tree vs main
    .venv/bin/python benchmarks/parse.py --against HEAD~1 --runs 3
    .venv/bin/python benchmarks/parse.py --profile gazettes  # cProfile hot spots of parse
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import pstats
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RENDER = ROOT / "tests" / "data" / "govcn-renderings"
CORPORA: dict[str, tuple[Path, str]] = {
    "gazettes": (ROOT / "data" / "gazettes", "*.txt"),
    "govcn-html": (ROOT.parent / "shared" / "eval" / "govcn" / "corpus", "*.htm"),
    "renderings-pdf": (RENDER / "pdf", "*.pdf"),
    "renderings-text": (RENDER / "text", "*.txt"),
    "renderings-page": (RENDER / "text-page", "*.txt"),
}


def measure(names: list[str], repeat: int) -> dict[str, dict]:
    """One run: CPU seconds to read each corpus once and to parse it (best of ``repeat``), plus a
    digest of the parse output. CPU time, not wall time: five sessions share two cores here."""
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source

    out: dict[str, dict] = {}
    for name in names:
        folder, glob = CORPORA[name]
        files = sorted(folder.glob(glob))
        if not files:
            continue
        t0 = time.process_time()
        srcs = [read_source(f) for f in files]
        read = time.process_time() - t0
        for s in srcs:  # warm imports and caches
            parse_source(s)
        parses = []
        for _ in range(repeat):
            t0 = time.process_time()
            docs = [parse_source(s) for s in srcs]
            parses.append(time.process_time() - t0)
        digest = hashlib.sha256(repr(docs).encode("utf-8")).hexdigest()[:12]
        out[name] = {"files": len(files), "mb": sum(f.stat().st_size for f in files) / 1e6,
                     "docs": sum(len(d) for d in docs), "read": read, "parse": min(parses),
                     "digest": digest}
    return out


def one_run(src: Path | None, names: list[str], repeat: int) -> dict[str, dict]:
    """``measure`` in a fresh process on the code under ``src`` (None: this tree)."""
    env = {**os.environ, "PYTHONPATH": str(src or ROOT / "src")}
    cmd = [sys.executable, __file__, "--json", "--repeat", str(repeat), *names]
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def best(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """Per corpus, the fastest read and the fastest parse over the runs."""
    out = {k: dict(v) for k, v in runs[0].items()}
    for r in runs[1:]:
        for k, v in r.items():
            out[k]["read"] = min(out[k]["read"], v["read"])
            out[k]["parse"] = min(out[k]["parse"], v["parse"])
    return out


def export_tree(ref: str, dest: Path) -> Path:
    """``src/`` of git ``ref`` unpacked under ``dest`` (the baseline's code, untouched by this tree)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True,
                          capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def profile(name: str, repeat: int) -> None:
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source

    folder, glob = CORPORA[name]
    srcs = [read_source(f) for f in sorted(folder.glob(glob))]
    for s in srcs:
        parse_source(s)
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(repeat):
        for s in srcs:
            parse_source(s)
    pr.disable()
    buf = io.StringIO()
    stats = pstats.Stats(pr, stream=buf)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(25)
    print(buf.getvalue())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpora", nargs="*", help=f"some of {', '.join(CORPORA)} (default: all)")
    ap.add_argument("--against", default="main", help="git ref whose src/ is the baseline ('' for none)")
    ap.add_argument("--runs", type=int, default=2, help="fresh processes per side, alternated")
    ap.add_argument("--repeat", type=int, default=3, help="parses per run (reads are once per run)")
    ap.add_argument("--profile", metavar="CORPUS", choices=list(CORPORA))
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    unknown = [c for c in args.corpora if c not in CORPORA]
    if unknown:
        ap.error(f"unknown corpus {unknown[0]!r}; choose from {', '.join(CORPORA)}")
    args.corpora = args.corpora or list(CORPORA)
    if args.json:
        print(json.dumps(measure(args.corpora, args.repeat)))
        return
    if args.profile:
        sys.path.insert(0, str(ROOT / "src"))
        profile(args.profile, args.repeat)
        return
    with tempfile.TemporaryDirectory() as d:
        base_src = export_tree(args.against, Path(d)) if args.against else None
        base_runs, here_runs = [], []
        for _ in range(args.runs):  # alternate, so both sides see the same load
            if base_src:
                base_runs.append(one_run(base_src, args.corpora, args.repeat))
            here_runs.append(one_run(None, args.corpora, args.repeat))
    base = best(base_runs) if base_runs else {}
    here = best(here_runs)
    print(f"read + parse per corpus, CPU time, best of {args.runs} runs (parse best of {args.repeat}); "
          f"baseline: {args.against or 'none'} -> this tree")
    print(f"{'corpus':<16} {'files':>5} {'MB':>6} {'docs':>5}  {'read ms':>16}  {'parse ms':>15}  "
          f"{'parse MB/s':>10}  output")
    for name, h in here.items():
        b = base.get(name)
        def col(key: str, b: dict | None = b, h: dict = h) -> str:
            if not b:
                return f"{h[key] * 1000:16.1f}"
            return f"{b[key] * 1000:7.1f} -> {h[key] * 1000:6.1f}"
        speed = f"{b['parse'] / h['parse']:4.1f}x" if b else ""
        same = "" if not b else ("same" if b["digest"] == h["digest"] else f"DIFFERS ({b['digest']} vs {h['digest']})")
        print(f"{name:<16} {h['files']:>5} {h['mb']:6.2f} {h['docs']:>5}  {col('read')}  {col('parse')}  "
              f"{h['mb'] / h['parse']:6.1f} {speed}  {same}")


if __name__ == "__main__":
    main()
