"""Ingest benchmark: the whole corpus end to end through ``Library`` into a fresh SQLite store.

Prints MB/s, the time per stage (read, parse, extract by stage, store, index) and a baseline
ratio: end-to-end time (search index included: an ingest returns with it committed) over the
time to merely read, decode and normalise the same bytes in the same process (machines here are
noisy; the ratio travels better than absolute figures). Target (GUIDE §4): >= 5 MB/s end to end.

``--workers N`` ingests with N worker processes preparing files ahead (``zhengce.prefetch``) and
prints the in-process ingest (``workers=0``) of the same run beside it; the stage table then
shows what the writing process spends (read, parse and extract run in the workers).

    .venv/bin/python benchmarks/ingest.py                 # best of 3 runs
    .venv/bin/python benchmarks/ingest.py --profile       # plus the cProfile hot spots
    .venv/bin/python benchmarks/ingest.py --workers 2     # pipelined, beside in-process
    .venv/bin/python benchmarks/ingest.py PATH... --runs 5
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import zhengce.ingest as ingest_pkg  # noqa: E402
import zhengce.library as library_mod  # noqa: E402
import zhengce.sources as sources_pkg  # noqa: E402
from zhengce.text import normalize  # noqa: E402


class Timer:
    """Accumulates wall time per stage name across wrapped calls."""

    def __init__(self) -> None:
        self.t: dict[str, float] = defaultdict(float)

    def wrap(self, name: str, fn):
        def timed(*a, **kw):
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.t[name] += time.perf_counter() - t0
        return timed


class TimedSession:
    """Wraps a search-index session so the time spent indexing is its own stage."""

    def __init__(self, session, timer: Timer):
        for name in ("in_transaction", "committed", "removed"):
            setattr(self, name, timer.wrap("index_in_file", getattr(session, name)))
        self.close = timer.wrap("index_close", session.close)


def run_once(files: list[Path], timer: Timer | None = None, workers: int = 0) -> float:
    """One end-to-end ingest into a fresh store; returns wall seconds."""
    with tempfile.TemporaryDirectory() as d:
        orig_read, orig_parse, orig_hooks = sources_pkg.read_source, ingest_pkg.parse_source, \
            list(library_mod.POST_INGEST)
        if timer:
            sources_pkg.read_source = timer.wrap("read", orig_read)
            ingest_pkg.parse_source = timer.wrap("parse", orig_parse)
            library_mod.POST_INGEST[:] = [timer.wrap("post_ingest", h) for h in orig_hooks]
        try:
            lib = library_mod.Library(url=f"sqlite:///{d}/bench.db", data_dir=Path(d))
            if timer:
                backend = lib.search_index
                open_session = backend.session
                backend.session = lambda: TimedSession(open_session(), timer)
                lib.stages = [(n, timer.wrap(f"extract:{n}", ex), save)
                              for n, ex, save in lib.stages]
                lib.prepare = timer.wrap("prepare", lib.prepare)
                lib.write = timer.wrap("write", lib.write)
            t0 = time.perf_counter()
            results = lib.ingest(files, workers=workers)
            elapsed = time.perf_counter() - t0
            bad = [r for r in results if r.status != "ingested"]
            if bad:
                print("not ingested:", *(f"{r.path}: {r.error or r.status}" for r in bad), sep="\n  ")
            lib.engine.dispose()
        finally:
            sources_pkg.read_source, ingest_pkg.parse_source = orig_read, orig_parse
            library_mod.POST_INGEST[:] = orig_hooks
    return elapsed


def baseline(files: list[Path]) -> float:
    """Read, decode and normalise the same bytes: the floor any ingest must pay."""
    t0 = time.perf_counter()
    for f in files:
        normalize(f.read_bytes().decode("utf-8"))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[ROOT / "data" / "gazettes"])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=0,
                    help="worker processes preparing files ahead (0: all in one process)")
    ap.add_argument("--profile", action="store_true", help="print cProfile hot spots of one run")
    args = ap.parse_args()
    files = sorted(q for p in args.paths for q in ([p] if p.is_file() else p.glob("*.txt")))
    mb = sum(f.stat().st_size for f in files) / 1e6
    run_once(files, workers=args.workers)  # warm imports, regex caches, dictionaries
    modes = [0, args.workers] if args.workers else [0]
    times: dict[int, list[float]] = {m: [] for m in modes}
    for _ in range(args.runs):  # interleaved, so both modes see the same machine load
        for m in modes:
            times[m].append(run_once(files, workers=m))
    base = min(baseline(files) for _ in range(max(3, args.runs)))
    timer = Timer()
    staged = run_once(files, timer, workers=args.workers)
    best = min(times[args.workers])
    print(f"corpus: {len(files)} files, {mb:.2f} MB")
    print(f"end to end (workers={args.workers}): best {best:.3f} s = {mb / best:.1f} MB/s "
          f"(median {statistics.median(times[args.workers]):.3f} s, {args.runs} runs; "
          f"target >= 5 MB/s: {'OK' if mb / best >= 5 else 'MISSED'})")
    if args.workers:
        serial = min(times[0])
        print(f"end to end (workers=0, same run): best {serial:.3f} s = {mb / serial:.1f} MB/s; "
              f"workers={args.workers} takes {best / serial:.2f}x its time")
    print(f"baseline read+decode+normalise: {base * 1000:.1f} ms = {mb / base:.0f} MB/s; "
          f"end to end is {best / base:.1f}x the baseline (goal <= 3.5x)")
    t = timer.t
    extract = sum(v for k, v in t.items() if k.startswith("extract:"))
    # store: everything the ingest of a file does that is not reading, parsing, extracting or
    # indexing (the stored-sha and key checks, the transaction and its commit)
    checks = t["prepare"] - t["read"] - t["parse"] - extract
    store = checks + t["write"] - t["index_in_file"]
    inner = t["prepare"] + t["write"]
    rows = ([("read", t["read"]), ("parse", t["parse"]), ("extract", extract),
             *[(f"  {k}", v) for k, v in sorted(t.items()) if k.startswith("extract:")]]
            if not args.workers else [("prepare (in workers)", 0.0)])
    rows += [("store", store), ("index", t["index_in_file"] + t["index_close"]),
             ("  per file (segment, add)", t["index_in_file"]), ("  commit", t["index_close"]),
             ("post-ingest hooks", t["post_ingest"]),
             ("other" if not args.workers else "waiting for workers",
              staged - inner - t["index_close"] - t["post_ingest"])]
    print(f"stages (instrumented run, workers={args.workers}, {staged:.3f} s):")
    for name, v in rows:
        print(f"  {name:<24} {v * 1000:8.1f} ms  {100 * v / staged:5.1f}%")
    if args.profile:
        pr = cProfile.Profile()
        pr.enable()
        run_once(files, workers=args.workers)
        pr.disable()
        out = io.StringIO()
        pstats.Stats(pr, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())


if __name__ == "__main__":
    main()
