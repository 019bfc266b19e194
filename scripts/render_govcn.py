"""Regenerate the copied-text and browser-PDF renderings of the govcn dev pages.

Users get a State Council document three ways: the page as served (HTML), the text they copy
from it, and the page printed to PDF. The unpublished eval scores all three, so this script makes
our own copies of the last two from ``shared/eval/govcn/corpus`` with a real browser (Debian's
Chromium; fonts-noto-cjk for the CJK glyphs):

- ``text/``: what a user gets by selecting the article and copying it — the article element's
  ``innerText`` as Chromium lays it out (centred title split over lines, full-width indents,
  tables as tab-separated cells).
- ``text-page/``: Ctrl-A on the whole page: navigation, the metadata block and the footer too.
- ``pdf/``: Chromium's own print-to-PDF (``--print-to-pdf``), which adds the running header
  (date, page title) and footer (file URL, "1/3") to every page.

Each folder gets a ``documents.jsonl`` gold: the govcn gold with ``source`` renamed to the file.

    .venv/bin/python scripts/render_govcn.py [--corpus DIR] [--out tests/data/govcn-renderings]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# The article element on gov.cn pages; other sites fall back to the whole body.
ARTICLE_JS = "() => (document.querySelector('#UCAP-CONTENT') || document.body).innerText"
PAGE_JS = "() => document.body.innerText"


def render_text(pages: list[Path], out: Path, js: str) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        for p in pages:
            page.goto(p.resolve().as_uri())
            text = page.evaluate(js)
            (out / (p.stem + ".txt")).write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        browser.close()


def render_pdf(pages: list[Path], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for p in pages:
        with tempfile.TemporaryDirectory(prefix="zhengce-chromium-") as profile:
            subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                            f"--print-to-pdf={out / (p.stem + '.pdf')}", p.resolve().as_uri()],
                           check=True, capture_output=True, timeout=120)


def write_gold(gold: list[dict], out: Path, suffix: str) -> None:
    rows = [dict(g, source=Path(g["source"]).stem + suffix) for g in gold]
    with (out / "documents.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "eval" / "govcn" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "govcn-renderings")
    ap.add_argument("--only", choices=["text", "text-page", "pdf"], action="append")
    args = ap.parse_args(argv)
    pages = sorted(args.corpus.glob("*.htm*"))
    gold = [json.loads(x) for x in (args.corpus.parent / "documents.jsonl").read_text("utf-8").splitlines() if x]
    kinds = args.only or ["text", "text-page", "pdf"]
    if "text" in kinds:
        render_text(pages, args.out / "text", ARTICLE_JS)
        write_gold(gold, args.out / "text", ".txt")
    if "text-page" in kinds:
        render_text(pages, args.out / "text-page", PAGE_JS)
        write_gold(gold, args.out / "text-page", ".txt")
    if "pdf" in kinds:
        render_pdf(pages, args.out / "pdf")
        write_gold(gold, args.out / "pdf", ".pdf")
    print(f"rendered {len(pages)} pages into {args.out} ({', '.join(kinds)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
