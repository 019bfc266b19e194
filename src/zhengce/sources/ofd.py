"""OFD (GB/T 33190, the national format for electronic 公文): text lines with their pages.

An OFD file is a zip of XML: ``OFD.xml`` names the document, each page's ``Content.xml`` places
``ofd:TextObject``s whose ``ofd:TextCode`` holds the characters, and page templates hold what
every page repeats. Reading it right means putting positioned runs back in reading order.

The reader is ofdkit (Apache-2.0, pure Python, no dependencies), chosen by measurement against
easyofd, ofdparser and ofdreader on a 公文 rendered by ``tests/render.py`` from corpus text
(西政办发〔2022〕4号, 18 A4 pages, 28 characters × 22 lines) in three layouts — one text object
per printed line, lines cut into 7-character runs, one object per character:

=========  ==========================  =====================  ===================
library    text (normalised) equal      paragraph starts kept  time (line/7/char)
=========  ==========================  =====================  ===================
ofdkit     exact in all three           100 % in all three     0.38 / 0.23 / 1.1 s
easyofd    exact in all three           100 % / 5 % / 0 %      4.3 / 0.27 / 1.0 s
ofdparser  fails (needs simsun.ttc)     –                      –
ofdreader  the 0.1.0 wheel has no code  –                      –
=========  ==========================  =====================  ===================

easyofd also pulls in PyMuPDF, reportlab and loguru and edits ``sys.path`` on import. ofdkit
parses the package (templates, composite units, transforms, ``DeltaX`` advances, limits against
zip bombs) into positioned text runs. Lines are built from those runs here, the way the PDF
reader builds them from glyph positions, and handed to the PDF reader's ``source_lines``: so
an OFD gets exactly the PDF treatment — running headers and footers ("— 2 —") dropped by their
repetition, lines that run to the right edge of the text block marked ``wrapped`` so ingest
joins a paragraph across line and page breaks from geometry, not punctuation — and, since
OFD positions are exact, only when the next line starts at the left edge (not indented, not
centred). One ``SourceLine`` per printed line, with its page.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from ..errors import SourceError
from ..model import SourceLine
from .pdf import _Line, _text_block, source_lines  # one notion of a printed line for both fixed layouts


def read_ofd(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SourceError(path, "不是有效的 OFD 文件 (not a zip archive)")
    try:
        import ofdkit
    except ImportError as e:  # pragma: no cover - a dependency of zhengce
        raise SourceError(path, "读取 OFD 需要 ofdkit (reader not installed)", hint="pip install ofdkit") from e
    pages = []
    try:
        with ofdkit.open(data) as doc:
            for page in doc.pages:
                height = page.height
                pages.append((page_lines(page.runs, height), height))
    except ofdkit.OFDError as e:
        raise SourceError(path, f"OFD 文件已损坏 (broken OFD: {e})") from e
    return "ofd", None, continued_only_at_left_edge(source_lines(pages), pages)


def continued_only_at_left_edge(lines: list[SourceLine], pages) -> list[SourceLine]:
    """Un-mark ``wrapped`` where the next printed line does not start at the text block's left edge.

    A paragraph broken by the page width goes on at the left edge; a line indented (a new
    paragraph's two-em indent) or centred (a title, an issuer) after a nearly full line starts
    something new. ``source_lines`` numbers every printed line through the file, furniture
    included, so ``lineno`` finds each line's geometry again.
    """
    flat, left = [], []
    for page_lines_, _ in pages:
        edges = _text_block(page_lines_)
        flat += page_lines_
        left += [edges[0] if edges else None] * len(page_lines_)
    out = list(lines)
    for i in range(len(out) - 1):
        if out[i].wrapped:
            nxt = out[i + 1].lineno - 1
            edge, ln = left[nxt], flat[nxt]
            if edge is not None and ln.x0 > edge + ln.size:
                out[i] = replace(out[i], wrapped=False)
    return out


def page_lines(runs, height: float) -> list[_Line]:
    """Printed lines from positioned runs, in any drawing order (OFD y grows downwards).

    Runs are put in baseline order and grouped while the baseline stays within 0.4 em; a line's
    runs are read left to right, a gap wider than 0.8 em becomes a space (table cells, a spaced
    signature). A run drawn twice at one spot (fake bold) counts once. ``y`` is flipped to the
    PDF convention (upwards) that ``source_lines`` expects.
    """
    seen: set[tuple[str, int, int]] = set()
    kept = []
    for r in runs:
        if not r.text.strip():
            continue
        key = (r.text, round(r.x * 4), round(r.y * 4))
        if key not in seen:
            seen.add(key)
            kept.append(r)
    kept.sort(key=lambda r: (r.y, r.x))
    groups: list[list] = []
    for r in kept:
        if groups and abs(r.y - groups[-1][0].y) <= 0.4 * max(r.size, groups[-1][0].size, 0.1):
            groups[-1].append(r)
        else:
            groups.append([r])
    lines: list[_Line] = []
    for g in groups:
        g.sort(key=lambda r: r.x)
        text, x1 = "", None
        for r in g:
            if x1 is not None and r.x - x1 > 0.8 * r.size and not text.endswith(" "):
                text += " "
            text += r.text
            x1 = max(x1 or r.x, r.x + r.width)
        size = max(r.size for r in g)
        lines.append(_Line(text, min(r.x for r in g), x1 or 0.0, height - g[0].y, size))
    return lines
