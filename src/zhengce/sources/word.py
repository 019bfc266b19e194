"""DOCX: paragraphs and tables in body order, tables as tab-separated rows.

A cell with several paragraphs becomes ``<p>…</p> <p>…</p>``, the form the corpus TSV uses,
so ingest's table logic sees a Word table exactly like a converted gazette table. A cell
continuing a vertical merge is emitted empty (as the corpus leaves 序号 empty for a
sub-measure of the row above); a horizontally merged cell is emitted once. Content controls
(``w:sdt``) are read through. Lines are numbered in body order; DOCX has no pages to cite.
"""

from __future__ import annotations

import io
import zipfile

from ..errors import SourceError
from ..model import SourceLine

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TBL, SDT, SDT_CONTENT, TR, TC = (W + t for t in ("p", "tbl", "sdt", "sdtContent", "tr", "tc"))


def read_docx(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not zipfile.is_zipfile(io.BytesIO(data)):
        hint = "旧版 .doc 请另存为 .docx" if data.startswith(b"\xd0\xcf\x11\xe0") else None
        raise SourceError(path, "不是有效的 DOCX 文件 (not a zip archive)", hint=hint)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, zipfile.BadZipFile) as e:
        raise SourceError(path, f"不是有效的 DOCX 文件 (not a Word document: {e})") from e
    texts = list(body_lines(document.element.body, document))
    lines = [SourceLine(t, i) for i, t in enumerate(texts, 1)]
    return "docx", None, lines


def body_lines(body, parent):
    """Yield one text line per paragraph line and one tab-joined line per table row."""
    from docx.text.paragraph import Paragraph

    stack = [iter(body.iterchildren())]
    while stack:
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        if el.tag == P:
            yield from Paragraph(el, parent).text.split("\n")
        elif el.tag == TBL:
            for tr in el.iterchildren(TR):
                yield "\t".join(cell_text(tc, parent) for tc in row_cells(tr))
        elif el.tag in (SDT, SDT_CONTENT):
            stack.append(iter(el.iterchildren()))


def row_cells(tr):
    """The row's cells, including those inside a content control."""
    for el in tr.iterchildren():
        if el.tag == TC:
            yield el
        elif el.tag == SDT:
            yield from (tc for tc in el.iter(TC))


def cell_text(tc, parent) -> str:
    """A cell as one TSV field: paragraphs (and nested tables, flattened) without tabs or newlines."""
    if getattr(tc, "vMerge", None) == "continue":
        return ""
    paras = [" ".join(t.split()) for t in body_lines(tc, parent)]
    paras = [t for t in paras if t]
    if len(paras) <= 1:
        return paras[0] if paras else ""
    return " ".join(f"<p>{t}</p>" for t in paras)
