"""Corpus regression run (STYLE habit 11, like eyecite's benchmark).

Runs the whole pipeline over a corpus into a fresh temporary store, scores every measure against
``shared/eval/dev`` when it is there, writes a snapshot of what was found (documents, provision
citation ids, tasks, benefit rules) and prints what was gained and lost since the last snapshot.
Run it before and after a change: the diff shows the change's effect on the real corpus, not only
on the tests.

    .venv/bin/python scripts/regress.py                       # data/gazettes, diff vs the last run
    .venv/bin/python scripts/regress.py --corpus DIR --gold ../shared/eval/dev --no-eval
    .venv/bin/python scripts/regress.py --baseline old.json --out new.json --limit 50
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhengce.eval import MEASURES, NotImplementedMeasure, score  # noqa: E402
from zhengce.library import Library  # noqa: E402
from zhengce.store import benefits as store_benefits  # noqa: E402
from zhengce.store import documents as store_docs  # noqa: E402
from zhengce.track import service as track  # noqa: E402

PREFIX = 40  # characters of task / benefit text kept in the snapshot: enough to see what changed
KINDS = ("documents", "provisions", "tasks", "benefits")


def snapshot(lib: Library) -> dict:
    """What the store holds, as plain JSON: id -> short description, one mapping per kind."""
    with lib.engine.connect() as conn:
        docs = store_docs.list_documents(conn)
        provs = [p.cid for p in store_docs.iter_provisions(conn)]
        n_provs: dict[str, int] = {}
        for cid in provs:
            key = cid.split("/", 1)[0]
            n_provs[key] = n_provs.get(key, 0) + 1
        rules = store_benefits.list_rules(conn)
    return {
        "documents": {d.key: {"source": d.source, "title": d.title, "doc_number": d.doc_number,
                              "date": d.date.isoformat() if d.date else None,
                              "issuers": list(d.issuers or []), "provisions": n_provs.get(d.key, 0)}
                      for d in docs},
        "provisions": {cid: "" for cid in provs},
        "tasks": {t.id: t.text[:PREFIX] for t in track.list_tasks(lib)},
        "benefits": {r.id: f"{r.name}: {r.text[:PREFIX]}" for r in rules},
    }


def run(corpus: Path) -> tuple[dict, float]:
    files = sorted(p for p in corpus.iterdir() if p.is_file() and not p.name.startswith("."))
    with tempfile.TemporaryDirectory(prefix="zhengce-regress-") as tmp:
        lib = Library(url=f"sqlite:///{tmp}/regress.db", data_dir=Path(tmp))
        t0 = time.perf_counter()
        results = lib.ingest(files)
        seconds = time.perf_counter() - t0
        for r in results:
            if r.status == "error":
                print(f"错误: {r.error}", file=sys.stderr)
        snap = snapshot(lib)
        lib.engine.dispose()
    snap["files"] = [p.name for p in files]
    return snap, seconds


def scores(gold: Path, corpus: Path) -> dict[str, dict]:
    out = {}
    for name in MEASURES:
        try:
            out[name] = score(name, gold, corpus).as_json()
        except NotImplementedMeasure as e:
            out[name] = {"error": e.message}
    return out


def diff(old: dict, new: dict, limit: int) -> list[str]:
    """Lines of gained (+), lost (-) and changed (~) items per kind."""
    lines = []
    for kind in KINDS:
        a, b = old.get(kind, {}), new.get(kind, {})
        gained = [k for k in b if k not in a]
        lost = [k for k in a if k not in b]
        changed = [k for k in b if k in a and a[k] != b[k]]
        lines.append(f"{kind}: {len(a)} -> {len(b)}  (+{len(gained)} -{len(lost)} ~{len(changed)})")
        for sign, keys, src in (("+", gained, b), ("-", lost, a)):
            lines += [f"  {sign} {k}  {_brief(src[k])}" for k in keys[:limit]]
            if len(keys) > limit:
                lines.append(f"  {sign} … {len(keys) - limit} more")
        for k in changed[:limit]:
            lines.append(f"  ~ {k}  {_brief(a[k])}  =>  {_brief(b[k])}")
    return lines


def _brief(v) -> str:
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def score_lines(old: dict, new: dict) -> list[str]:
    lines = []
    for name, s in new.items():
        if "error" in s:
            lines.append(f"{name}: {s['error']}")
            continue
        was = old.get(name, {})
        parts = []
        for k, v in s.items():
            if k in ("measure", "n"):
                continue
            d = v - was[k] if isinstance(was.get(k), int | float) else None
            parts.append(f"{k} {v:.3f}" + (f" ({d:+.3f})" if d else ""))
        lines.append(f"{name} (n={s['n']}): " + ", ".join(parts))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "gazettes")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev")
    ap.add_argument("--no-eval", action="store_true", help="Skip scoring (faster).")
    ap.add_argument("--out", type=Path, default=ROOT / ".zhengce" / "regress-snapshot.json")
    ap.add_argument("--baseline", type=Path, help="Snapshot to compare with (default: the previous --out).")
    ap.add_argument("--limit", type=int, default=20, help="Items listed per gained/lost/changed group.")
    args = ap.parse_args(argv)

    baseline = args.baseline or args.out
    old = json.loads(baseline.read_text(encoding="utf-8")) if baseline.is_file() else {}
    snap, seconds = run(args.corpus)
    mb = sum((args.corpus / f).stat().st_size for f in snap["files"]) / 1e6
    print(f"ingested {len(snap['files'])} files ({mb:.2f} MB) in {seconds:.1f} s")
    if not args.no_eval and args.gold.is_dir():
        snap["scores"] = scores(args.gold, args.corpus)
        print("\n".join(score_lines(old.get("scores", {}), snap["scores"])))
    if old:
        print(f"\ndiff against {baseline}:")
        print("\n".join(diff(old, snap, args.limit)))
    else:
        print("\n".join(f"{k}: {len(snap[k])}" for k in KINDS))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(snap, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"snapshot written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
