"""Attachment formats benchmark: the dev corpus rendered into each format, scored like the text.

Each corpus file the gold names (shared/eval/dev documents.jsonl, and the govcn pages read as
text) is rendered by ``tests/render.py`` into .docx, .xlsx, .ofd (and .doc when LibreOffice is
installed); the gold is copied with ``source`` renamed, and ``zhengce eval documents`` scores
each rendering. The baseline is "lines": the source's lines as plain .txt (for an HTML page that
drops its metadata block, so dates fall); a reader is as good as its distance to that line.
Also times ``zhengce ingest`` of a folder of N small files (walk + summary overhead).

    .venv/bin/python benchmarks/formats.py [--doc] [--folder N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from render import soffice, soffice_convert, to_docx, to_ofd, to_xlsx  # noqa: E402
from zhengce.eval import score  # noqa: E402
from zhengce.sources import read_source  # noqa: E402

SETS = {"dev": (ROOT.parent / "shared" / "eval" / "dev", ROOT / "data" / "gazettes"),
        "govcn": (ROOT.parent / "shared" / "eval" / "govcn", ROOT.parent / "shared" / "eval" / "govcn" / "corpus")}


def render(lines: list[str], fmt: str, out: Path, tmp: Path) -> Path:
    if fmt == "lines":  # the reader's lines as plain text: the baseline every rendering starts from
        out = out.with_suffix(".txt")
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return out
    if fmt == "docx":
        return to_docx(lines, out)
    if fmt == "xlsx":
        return to_xlsx(lines, out)
    if fmt == "ofd":  # tables as lines of cells (a layout of real cells is beyond this renderer)
        return to_ofd([x.replace("\t", "　") for x in lines], out)
    if fmt == "doc":
        return soffice_convert(to_docx(lines, tmp / f"{out.stem}.docx"), "doc", out.parent)
    raise ValueError(fmt)


def run_set(name: str, fmts: list[str]) -> None:
    gold_dir, corpus = SETS[name]
    gold = [json.loads(x) for x in (gold_dir / "documents.jsonl").read_text(encoding="utf-8").splitlines() if x]
    sources = sorted({g["source"] for g in gold})
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for fmt in ["text", *fmts]:
            gd, cd = tmp / fmt / "gold", tmp / fmt / "corpus"
            gd.mkdir(parents=True)
            cd.mkdir(parents=True)
            t0 = time.perf_counter()
            rename = {}
            for s in sources:
                if fmt == "text":
                    shutil.copy(corpus / s, cd / s)
                    rename[s] = s
                    continue
                lines = [ln.text for ln in read_source(corpus / s).lines]
                rename[s] = render(lines, fmt, cd / f"{Path(s).stem}.{fmt}", tmp).name
            t_render = time.perf_counter() - t0
            (gd / "documents.jsonl").write_text("".join(
                json.dumps({**g, "source": rename[g["source"]]}, ensure_ascii=False) + "\n" for g in gold),
                encoding="utf-8")
            t0 = time.perf_counter()
            s = score("documents", gd, cd)
            print(json.dumps({"set": name, "format": fmt, **s.as_json(), "refused": len(s.refused),
                              "render_s": round(t_render, 1), "ingest_score_s": round(time.perf_counter() - t0, 1)},
                             ensure_ascii=False), flush=True)


def folder(n: int) -> None:
    """``zhengce ingest DIR`` over ``n`` files (slices of a gazette, a tenth of them refused)."""
    from typer.testing import CliRunner

    from zhengce.cli import app
    text = (ROOT / "data" / "gazettes" / "beijing-gazette-2019-10.txt").read_text(encoding="utf-8").splitlines()
    body = "\n".join(text[383:512]) + "\n"  # one 公文: 关于全面深化新时代教师队伍建设改革的实施意见
    with tempfile.TemporaryDirectory() as t:
        root = Path(t) / "site"
        for i in range(n):
            d = root / f"d{i // 50:03d}"
            d.mkdir(parents=True, exist_ok=True)
            (d / f"notice{i % 50}.txt").write_text(body if i % 10 else "首页 机构 政策\n", encoding="utf-8")
        env = {"ZHENGCE_DATA_DIR": t, "ZHENGCE_DATABASE_URL": f"sqlite:///{t}/f.db"}
        for label in ("first", "again"):
            t0 = time.perf_counter()
            r = CliRunner().invoke(app, ["ingest", str(root)], env=env)
            dt = time.perf_counter() - t0
            print(json.dumps({"folder_files": n, "run": label, "seconds": round(dt, 1),
                              "files_per_s": round(n / dt, 1), "exit": r.exit_code,
                              "summary": next((x for x in r.stderr.splitlines() if "个文件:" in x), "")}, ensure_ascii=False))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--doc", action="store_true", help="also .doc through LibreOffice (slow)")
    ap.add_argument("--folder", type=int, default=0, help="time a folder of N files")
    ap.add_argument("--sets", default="dev,govcn")
    a = ap.parse_args()
    fmts = ["lines", "docx", "xlsx", "ofd"] + (["doc"] if a.doc and soffice() else [])
    for name in a.sets.split(","):
        if name:
            run_set(name, fmts)
    if a.folder:
        folder(a.folder)


if __name__ == "__main__":
    main()
