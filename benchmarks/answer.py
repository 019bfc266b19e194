"""Answer benchmark: p50/p95 latency of ``zhengce.answer.ask`` over the dev questions.

The library holds the corpus files the questions name (ingested once, index warmed by one
question); each question is then asked ``--rounds`` times. Baseline in the same run: the bare
search (``zhengce.search.search``, top-60, no facets) the composer starts from.

    .venv/bin/python benchmarks/answer.py [--gold ../shared/eval/dev] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhengce.answer import ask  # noqa: E402
from zhengce.library import Library  # noqa: E402
from zhengce.search import search  # noqa: E402


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "gazettes")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    gold = [json.loads(x) for x in (args.gold / "questions.jsonl").read_text(encoding="utf-8").splitlines() if x]
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library(url=f"sqlite:///{tmp}/a.db", data_dir=Path(tmp))
        t = time.perf_counter()
        lib.ingest(sorted(args.corpus / s for s in {g["source"] for g in gold}))
        print(f"ingested {lib.counts()['provisions']:,} provisions in {time.perf_counter() - t:.1f}s")
        ask(lib, gold[0]["question"])  # open the index once
        lat_ask, lat_search = [], []
        for _ in range(args.rounds):
            for g in gold:
                t = time.perf_counter()
                ask(lib, g["question"], rewrite=False)
                lat_ask.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                search(lib, g["question"], per_page=60, facets=False)
                lat_search.append((time.perf_counter() - t) * 1000)
        lib.engine.dispose()
    print(f"{len(lat_ask)} answers ({len(gold)} questions x {args.rounds})")
    print(f"{'':28} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for label, xs in (("ask (compose, cited)", lat_ask), ("search top-60 (baseline)", lat_search)):
        print(f"{label:28} {statistics.median(xs):8.1f} {pct(xs, 0.95):8.1f} {max(xs):8.1f}")
    print(f"goal p95 <= 200 ms: {'met' if pct(lat_ask, 0.95) <= 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
