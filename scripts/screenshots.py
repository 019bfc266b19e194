"""Take PNG screenshots of the main pages with Debian's Chromium, for people to look at.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--library-dir DIR]

Uses the configured library (``ZHENGCE_DATA_DIR`` / ``ZHENGCE_DATABASE_URL``), ingesting the bundled
gazettes when it is empty. Needs /usr/bin/chromium (``apt-get install chromium fonts-noto-cjk``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def pages(lib) -> list[tuple[str, str]]:
    """(name, path) of the pages worth looking at, chosen from what the library holds."""
    docs = lib.documents()
    big = max(docs, key=lambda d: d.line_end - d.line_start) if docs else None
    out = [("home", "/"), ("documents", "/documents"), ("search", "/search?q=" + quote("小微企业 租金")),
           ("ask", "/ask?q=" + quote("高新技术企业有哪些奖励？")), ("match", "/match?kind=enterprise&district=" + quote("西城区") + "&size=small&certifications="
                                + quote("高新技术企业")),
           ("tasks", "/tasks"), ("docs", "/docs"), ("error", "/documents/" + quote("不存在的文件"))]
    if big:
        full = lib.document(big.key)
        out.insert(2, ("document", "/documents/" + quote(big.key, safe="")))
        deep = [p for p in full.provisions if p.cid.count("/") >= 2]
        if deep:
            out.insert(3, ("provision", "/p/" + quote(deep[0].cid, safe="/")))
    try:
        from zhengce.match import list_benefits
        benefits = list_benefits(lib)
        if benefits:
            out.append(("card", "/cards/" + quote(benefits[0].id, safe="/")))
    except ImportError:
        pass
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default="screenshots", help="output folder")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--full-page", action="store_true", help="capture whole pages, not the first screen")
    args = ap.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"需要 {CHROMIUM}: apt-get install -y chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    from zhengce.api import create_app
    from zhengce.api.testing import running_server
    from zhengce.library import Library

    lib = Library()
    if lib.is_empty():
        lib.ensure_demo()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with running_server(create_app(lib)) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900}, locale="zh-CN")
        for name, path in pages(lib):
            page.goto(base + path, wait_until="networkidle")
            if name == "docs":  # Swagger UI renders after load
                page.locator(".swagger-ui .opblock").first.wait_for()
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=args.full_page)
            print(f"{target}  ←  {path}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
