"""PDF: one ``SourceLine`` per printed text line, with its 1-based page.

pypdf (pure Python, well kept) reads text-layer PDFs, including CJK fonts with predefined
CMaps such as UniGB-UCS2-H. Lines are rebuilt from the glyph positions pypdf reports (a new
line where the baseline moves), so the reader knows where each line starts and ends:

- **Running headers and footers** (a browser's date + page title at the top and file URL +
  "1/3" at the foot; a word processor's header, "- 2 -" or "第 2 页") are dropped by their
  repetition: a line among the first or last few of a page whose text, digits masked, recurs
  on at least half the pages. A one-page file has nothing to compare with, so there a top or
  bottom edge line set smaller than the body text and lying in the page's outer band goes.
- **Lines broken by the page width** are marked ``wrapped`` (the line runs to the right edge of
  the page's text block), so ingest joins them without guessing from punctuation.

A PDF without ``%%EOF`` near its end was cut off in transfer; pypdf would try to rebuild it and
might return part of a document, so it is refused up front. Encrypted PDFs are opened with the
empty user password (the common "owner password only" case) and refused otherwise. Scanned
PDFs have no text layer; ``read_source`` refuses them as "no text found". Radical code points
that CJK fonts' ToUnicode maps produce (⽂ U+2F42, ⻚ U+2EDA) are mapped back in the
normalised copy (``ingest.clean.fold_width``), never here: the raw copy is what the file says.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import SourceError
from ..model import SourceLine

EOF_WINDOW = 8192  # writers may append a few bytes of junk after %%EOF; a cut file has none
EDGE_LINES = 3  # how many lines at a page's top and bottom may be running furniture
EDGE_BAND = 0.1  # share of the page height where a one-page file's furniture may sit
_DIGITS = re.compile(r"\d+")
_WIDE_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


@dataclass(slots=True)
class _Line:
    """A printed line: its text and where it sits (PDF user space, y grows upwards)."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


def read_pdf(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise SourceError(path, "不是 PDF 文件 (no %PDF header)")
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise SourceError(path, "PDF 文件不完整，可能传输中被截断 (truncated PDF: no %%EOF marker)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings would print beside our one line
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (FileNotDecryptedError, NotImplementedError, DependencyErrorTypes) as e:
                raise SourceError(path, f"PDF 已加密，无法读取 (encrypted PDF: {e})") from e
            if not ok:
                raise SourceError(path, "PDF 已加密，需要密码 (encrypted PDF needs a password)")
        pages = [(page_lines(page), float(page.mediabox.height or 0)) for page in reader.pages]
    except FileNotDecryptedError as e:
        raise SourceError(path, f"PDF 已加密，无法读取 (encrypted PDF: {e})") from e
    except PdfReadError as e:
        raise SourceError(path, f"PDF 已损坏 (broken PDF: {e})") from e
    return "pdf", None, source_lines(pages)


def source_lines(pages: list[tuple[list[_Line], float]]) -> list[SourceLine]:
    """Number the kept lines through the file; furniture is dropped, wrap marks are set."""
    furniture = running_furniture([lines for lines, _ in pages], [h for _, h in pages])
    out: list[SourceLine] = []
    n = 0
    for pageno, (lines, _) in enumerate(pages, 1):
        edges = _text_block(lines)
        for i, ln in enumerate(lines):
            n += 1
            if (pageno, i) in furniture:
                continue
            out.append(SourceLine(ln.text, n, pageno, wrapped=_wrapped(ln, edges)))
    return out


def page_lines(page) -> list[_Line]:
    """The page's lines from pypdf's positioned text runs (a new line where the baseline moves)."""
    runs: list[tuple[str, float, float, float]] = []

    def visit(text, cm, tm, _font, size) -> None:
        text = text.replace("\n", "").replace("\r", "")
        if not text:
            return
        a, b, c, d = (tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3],
                      tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = math.sqrt(abs(a * d - b * c)) or 1.0
        runs.append((text, x, y, float(size) * scale))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    for text, x, y, size in runs:
        width = _advance(text.rstrip(), size)  # trailing spaces of a right-aligned line are not ink
        cur = lines[-1] if lines else None
        if cur is not None and abs(y - cur.y) <= 0.4 * max(size, cur.size) and x >= cur.x0 - size:
            if x - cur.x1 > 0.8 * size and not cur.text.endswith(" ") and not text.startswith(" "):
                cur.text += " "  # a gap between runs on one line (table cells, a signature's spacing)
            cur.text += text
            cur.x0, cur.x1 = min(cur.x0, x), max(cur.x1, x + width)
            cur.size = max(cur.size, size) if text.strip() else cur.size
            continue
        lines.append(_Line(text, x, x + width, y, size))
    return [ln for ln in lines if ln.text.strip()]


def _advance(text: str, size: float) -> float:
    """Estimated width of a run: CJK and full-width glyphs are one em, others about half."""
    wide = len(_WIDE_CHAR.findall(text))
    return size * (wide + 0.5 * (len(text) - wide))


def _wrapped(ln: _Line, edges: tuple[float, float] | None) -> bool | None:
    """True: the line runs to the right edge from the left one (or a paragraph indent), so it was
    broken by the page width; a right-aligned signature reaches the edge too, but starts far to
    the right. False: it stops well short of the edge (a paragraph, title or heading ends there).
    None: close to the edge, where widths estimated from character counts cannot tell (or a text
    that was hard-broken before it was laid out: the seeds' converted lines)."""
    if edges is None:
        return None
    left, right = edges
    if ln.x1 >= right - 2 * ln.size and ln.x0 <= left + 3 * ln.size:
        return True
    if ln.x1 < left + 0.85 * (right - left):
        return False
    return None


def _text_block(lines: list[_Line]) -> tuple[float, float] | None:
    """Left and right edges of the page's text block, from its lines of body text.

    Percentiles, not extremes: a stray wide line (a URL, a table) does not move them.
    """
    body = [ln for ln in lines if len(ln.text.strip()) >= 10]
    if len(body) < 3:
        return None
    starts = sorted(ln.x0 for ln in body)
    ends = sorted(ln.x1 for ln in body)
    return starts[int(0.1 * (len(starts) - 1))], ends[int(0.9 * (len(ends) - 1))]


def _key(text: str) -> str:
    """Furniture key: digits masked ("1/3" and "2/3" are one footer), whitespace dropped."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))


def running_furniture(pages: list[list[_Line]], heights: list[float]) -> set[tuple[int, int]]:
    """(page, line index) of running headers and footers (see the module docstring)."""
    edges: list[list[int]] = []
    for lines in pages:
        order = sorted(range(len(lines)), key=lambda i: -lines[i].y)
        edges.append(order[:EDGE_LINES] + order[-EDGE_LINES:] if len(order) > 2 * EDGE_LINES else order)
    out: set[tuple[int, int]] = set()
    if len(pages) >= 2:
        seen = Counter(k for p, idx in enumerate(edges) for k in {_key(pages[p][i].text) for i in idx})
        need = max(2, math.ceil(0.5 * len(pages)))
        for p, idx in enumerate(edges):
            out |= {(p + 1, i) for i in idx if seen[_key(pages[p][i].text)] >= need}
        return out
    if not pages or not pages[0] or not heights[0]:
        return out
    lines, height = pages[0], heights[0]
    sizes = Counter(round(ln.size, 1) for ln in lines for _ in ln.text.strip())
    body_size = sizes.most_common(1)[0][0]
    for i in edges[0]:
        ln = lines[i]
        outer = ln.y >= (1 - EDGE_BAND) * height or ln.y <= EDGE_BAND * height
        if outer and ln.size < 0.9 * body_size and _is_extreme(lines, i):
            out.add((1, i))
    return out


def _is_extreme(lines: list[_Line], i: int) -> bool:
    """No body-size text lies beyond this line towards the page edge."""
    y = lines[i].y
    top = y >= max(ln.y for ln in lines) - 1e-6 or all(ln.size <= lines[i].size for ln in lines if ln.y > y)
    bottom = y <= min(ln.y for ln in lines) + 1e-6 or all(ln.size <= lines[i].size for ln in lines if ln.y < y)
    return top or bottom


try:  # decrypting AES needs the optional 'cryptography' package; pypdf says so with this error
    from pypdf.errors import DependencyError as DependencyErrorTypes
except ImportError:  # pragma: no cover - older pypdf
    DependencyErrorTypes = ImportError  # type: ignore[misc,assignment]
