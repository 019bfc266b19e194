"""Small inline SVG charts for the task dashboard (no JavaScript chart library, nothing to fetch).

Texts pass through markupsafe.escape: agency names come from documents.
"""

from __future__ import annotations

from markupsafe import Markup, escape

STATUS_COLORS = {"已完成": "#1a7f37", "推进中": "#0b57d0", "未开始": "#afb8c1", "逾期": "#b3261e"}


def stacked_bars(rows: list[tuple[str, dict[str, int]]], order: list[str], *, title: str,
                 width: int = 560, bar: int = 18, label_w: int = 170, link=None) -> Markup:
    """Horizontal stacked bars, one per row (label, {segment: count}); ``link(label)`` → href."""
    gap = 6
    top = 8
    height = top + len(rows) * (bar + gap) + 4
    total_max = max((sum(c.values()) for _, c in rows), default=1) or 1
    scale = (width - label_w - 40) / total_max
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" font-size="12">']
    for i, (label, counts) in enumerate(rows):
        y = top + i * (bar + gap)
        name = str(label)
        short = name if len(name) <= 12 else name[:11] + "…"
        text = f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" fill="#1f2328">{escape(short)}</text>'
        if link:
            text = f'<a href="{escape(link(name))}"><title>{escape(name)}</title>{text}</a>'
        out.append(text)
        x = label_w
        for seg in order:
            n = counts.get(seg, 0)
            if not n:
                continue
            w = n * scale
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{max(w, 1):.1f}" height="{bar}" '
                       f'fill="{STATUS_COLORS.get(seg, "#8c959f")}"><title>{escape(name)} {escape(seg)} {n}</title></rect>')
            x += w
        out.append(f'<text x="{x + 4:.1f}" y="{y + bar - 5}" fill="#636c76">{sum(counts.values())}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def legend(order: list[str]) -> Markup:
    return Markup("".join(f'<i style="background:{STATUS_COLORS.get(s, "#8c959f")}"></i>{escape(s)}' for s in order))
