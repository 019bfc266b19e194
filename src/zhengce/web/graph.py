"""The document neighbourhood as a small inline SVG (no script, no CDN), and the diff page.

Layout: the document in the middle, documents that cite it on the left, what it cites on the right;
an edge is coloured by relation and labelled with its Chinese name. Stubs (not in the library) are
dashed and not linked.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from ..api.deps import get_library
from ..library import Library
from .render import path_url, render

router = APIRouter(include_in_schema=False)

COLOURS = {"repeals": "#c62828", "replaces": "#c62828", "amends": "#e67e00", "basis": "#1f5fbf",
           "implements": "#1a7f37", "issues": "#6a4fb3", "forwards": "#6a4fb3", "cites": "#8a8a8a"}
W, ROW, BOX_W, BOX_H = 860, 34, 250, 26


def _label(n: dict, size: int = 17) -> str:
    text = n.get("doc_number") or n.get("label") or n["id"]
    if n.get("label") and n.get("doc_number"):
        text = f"{n['doc_number']} {n['label']}"
    return text if len(text) <= size else text[: size - 1] + "…"


def svg(g: dict) -> Markup:
    """SVG markup of ``zhengce.graph.neighbourhood(...)``; empty when the document has no links."""
    if not g["edges"]:
        return Markup("")
    nodes = {n["id"]: n for n in g["nodes"]}
    left = [n for n in g["nodes"] if n["role"] == "citing"]
    right = [n for n in g["nodes"] if n["role"] == "target"]
    rows = max(len(left), len(right), 1)
    h = rows * ROW + 30
    pos = {g["center"]: ((W - BOX_W) / 2, h / 2 - BOX_H / 2)}
    for col, x in ((left, 8), (right, W - BOX_W - 8)):
        top = (h - len(col) * ROW) / 2
        for i, n in enumerate(col):
            pos[n["id"]] = (x, top + i * ROW + (ROW - BOX_H) / 2)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="docgraph" viewBox="0 0 {W} {h:.0f}" '
             f'width="100%" role="img" aria-label="文件关系图">']
    for e in g["edges"]:
        if e["source"] not in pos or e["target"] not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e["source"]], pos[e["target"]]
        ax, ay = x1 + BOX_W, y1 + BOX_H / 2
        bx, by = x2, y2 + BOX_H / 2
        colour = COLOURS.get(e["relation"], "#8a8a8a")
        parts.append(f'<line x1="{ax:.0f}" y1="{ay:.0f}" x2="{bx:.0f}" y2="{by:.0f}" stroke="{colour}" '
                     f'stroke-width="1.4" marker-end="url(#arrow)"/>')
        mx, my = (ax + bx) / 2, (ay + by) / 2 - 3
        parts.append(f'<text x="{mx:.0f}" y="{my:.0f}" font-size="11" fill="{colour}" text-anchor="middle">'
                     f'{escape(e["label"])}</text>')
    for nid, (x, y) in pos.items():
        n = nodes[nid]
        stroke = "#333" if n["role"] == "center" else ("#999" if n["stub"] else "#1f5fbf")
        dash = ' stroke-dasharray="4 3"' if n["stub"] else ""
        fill = "#fff7e6" if n["role"] == "center" else "#fff"
        if n.get("status") in ("已废止", "失效"):
            fill = "#fdecea"
        box = (f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="{fill}" '
               f'stroke="{stroke}"{dash}/><text x="{x + 8:.0f}" y="{y + 17:.0f}" font-size="12">'
               f'{escape(_label(n))}</text><title>{escape(n.get("title") or n["id"])}'
               f'{" (未收录)" if n["stub"] else ""}{" · " + escape(n["status"]) if n.get("status") else ""}</title>')
        if n.get("key") and n["role"] != "center":
            box = f'<a href="/documents/{path_url(n["key"])}">{box}</a>'
        parts.append(box)
    parts.insert(1, '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
                    'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/>'
                    '</marker></defs>')
    parts.append("</svg>")
    return Markup("".join(parts))


@router.get("/diff", response_class=HTMLResponse)
def diff_page(request: Request, a: str = Query(..., max_length=300), b: str = Query(..., max_length=300),
              lib: Library = Depends(get_library)):
    from ..versions.library import diff_specs
    d = diff_specs(lib, a, b)
    return render(request, "diff.html", title=f"版本比较 {d.a} → {d.b}", d=d)
