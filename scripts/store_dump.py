"""Everything one ingest stores, as sorted JSON lines: proof that a speed-up changed nothing.

A performance change must leave what the pipeline stores untouched. ``regress.py`` diffs a
short description of documents, tasks and rules; this dumps every column of every table
(except what differs between two runs by nature: row ids, timestamps, absolute paths) and the
top hits and facet counts of a fixed set of searches, so two dumps are compared with ``diff``.

    .venv/bin/python scripts/store_dump.py --out /tmp/before.jsonl          # data/gazettes + govcn pages
    .venv/bin/python scripts/store_dump.py DIR... --out /tmp/after.jsonl
    diff /tmp/before.jsonl /tmp/after.jsonl | head
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select  # noqa: E402

from zhengce.library import Library  # noqa: E402
from zhengce.store import base as store_base  # noqa: E402

DEFAULT_DIRS = [ROOT / "data" / "gazettes", ROOT.parent / "shared" / "eval" / "govcn" / "corpus"]
VOLATILE = {"id", "ingested_at", "kept_at", "path", "gen", "created_at", "at", "updated_at"}
QUERIES = ["营商环境", "高新技术企业 补贴", "养老服务", "退役军人", "小微企业 贷款", "知识产权",
           "残疾人", "就业", "数字经济", "行政审批", "西城区 人才", "社会保险"]


def dump(lib: Library) -> list[str]:
    out = []
    with lib.engine.connect() as conn:
        for table in store_base.metadata.sorted_tables:
            cols = [c for c in table.columns if c.name not in VOLATILE]
            rows = [json.dumps([table.name, *[_plain(v) for v in row]], ensure_ascii=False, default=str)
                    for row in conn.execute(select(*cols))]
            out += sorted(rows)
    from zhengce.search import search
    for q in QUERIES:
        res = search(lib, q, facets=True)
        out.append(json.dumps({"query": q, "total": res.total, "hits": [h.cid for h in res.hits],
                               "facets": res.facets, "documents": res.documents,
                               "total_relation": res.total_relation}, ensure_ascii=False, default=str,
                              sort_keys=True))
    return out


def _plain(v):
    return v if isinstance(v, str | int | float | type(None) | list | dict) else str(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--url", help="store URL (default: a fresh SQLite file)")
    args = ap.parse_args()
    files = sorted(f for d in args.dirs for f in d.iterdir() if f.is_file() and not f.name.startswith("."))
    with tempfile.TemporaryDirectory(prefix="zhengce-dump-") as tmp:
        lib = Library(url=args.url or f"sqlite:///{tmp}/dump.db", data_dir=Path(tmp))
        bad = [r for r in lib.ingest(files) if r.status == "error"]
        for r in bad:
            print(f"错误: {r.error}", file=sys.stderr)
        lines = dump(lib)
        lib.engine.dispose()
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(files)} files, {len(lines)} lines -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
