"""Print the seed gazettes to PDF with a word processor: a held-out check of the PDF path.

The govcn renderings (scripts/render_govcn.py) were the PDF reader's development set; the seeds
printed by LibreOffice Writer (Debian's ``libreoffice-writer-nogui``, installed by ``.ci/run``)
are documents and a layout it was not tuned on. ``documents.jsonl`` is the dev gold with
``source`` renamed to the PDFs, so the split can be scored like the text:

    .venv/bin/python scripts/render_seeds.py
    .venv/bin/zhengce eval documents --gold tests/data/seed-renderings/pdf --corpus tests/data/seed-renderings/pdf
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "gazettes")
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "eval" / "dev" / "documents.jsonl")
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "seed-renderings" / "pdf")
    args = ap.parse_args(argv)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("LibreOffice (soffice) is not installed", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    files = sorted(args.corpus.glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="zhengce-soffice-") as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(args.out), *map(str, files)], check=True, capture_output=True, timeout=600)
    rows = [json.loads(x) for x in args.gold.read_text("utf-8").splitlines() if x]
    with (args.out / "documents.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(dict(r, source=Path(r["source"]).stem + ".pdf"), ensure_ascii=False) + "\n")
    print(f"printed {len(files)} files into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
