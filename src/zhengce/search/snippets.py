"""Query-side helpers shared by the backends: date bounds, highlight patterns and snippets."""

from __future__ import annotations

import datetime as dt
import html
import re

from ..errors import InvalidInput
from .segment import Segmenter

SNIPPET_CHARS = 90


def parse_day(value: dt.date | str | None, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        if re.fullmatch(r"\d{4}", str(value)):
            return dt.date(int(value), 1 if name == "since" else 12, 1 if name == "since" else 31)
        raise InvalidInput(f"{name}: not an ISO date: {value!r}", field=name) from None


def forms_pattern(forms: list[str]) -> re.Pattern | None:
    """One alternation of the query's surface forms, longest first (北京证券交易所 before 北京)."""
    forms = sorted({f for f in forms if f}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms))) if forms else None


def snippet(text: str, forms: list[str] | re.Pattern | None, width: int = SNIPPET_CHARS) -> str:
    """The ``width``-char window of ``text`` holding the most distinct query terms, marked up.

    HTML-escaped, matches wrapped in ``<mark>``.
    """
    pat = forms if isinstance(forms, re.Pattern) or forms is None else forms_pattern(forms)
    spans = [(m.start(), m.end(), m.group(0)) for m in pat.finditer(text)] if pat else []
    if not spans:
        return html.escape(text[:width]) + ("…" if len(text) > width else "")
    best, best_n, lo = 0, -1, 0
    for hi in range(len(spans)):  # spans sorted by start: slide a window ending at span hi
        while spans[hi][1] - spans[lo][0] > width:
            lo += 1
        n = len({f for _s, _e, f in spans[lo:hi + 1]})
        if n > best_n:
            best, best_n = max(0, spans[lo][0] - 12), n
    window = text[best: best + width]
    out, pos = [], 0
    for m in pat.finditer(window):
        out.append(html.escape(window[pos:m.start()]))
        out.append(f"<mark>{html.escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(html.escape(window[pos:]))
    return ("…" if best > 0 else "") + "".join(out) + ("…" if best + width < len(text) else "")


def term_forms(seg: Segmenter, terms: list[str]) -> list[str]:
    forms: list[str] = []
    for t in terms:
        forms.extend(seg.surface_forms(t))
    return forms
