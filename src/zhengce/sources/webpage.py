"""HTML: visible text of the page, one line per block element, tables as tab-separated rows.

Government sites publish 公文 as HTML pages wrapped in navigation and scripts; those
(``script``, ``style``, ``nav`` and friends) are dropped. The DOM is walked iteratively (no
recursion), so a page nested 100k levels deep costs time linear in its size. Whitespace
collapses the way a browser collapses it (ASCII whitespace only: the full-width indent
U+3000 of Chinese typesetting is content), ``<br>`` and block ends break lines, ``<pre>`` keeps
its lines. A table row becomes cells joined by tabs; a cell of several paragraphs becomes
``<p>…</p> <p>…</p>`` as in the corpus TSV; tables nested inside a cell are flattened into it.
"""

from __future__ import annotations

import re

from ..errors import SourceError
from ..model import SourceLine
from .nesting import cap_nesting
from .plain import BOMS, SUPERSET, decode_text

SKIP = {"script", "style", "nav", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "head", "select", "button", "-comment", "!doctype"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
         "article", "main", "header", "footer", "aside", "blockquote", "pre", "address", "figure",
         "figcaption", "center", "hr", "form", "fieldset", "legend", "caption", "table", "title", "body",
         "details", "summary", "tr", "td", "th"}
CELL = {"td", "th"}
_WS = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
SEP = "\n"  # paragraph boundary inside a cell buffer


def read_html(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    from selectolax.lexbor import LexborHTMLParser

    text, enc = decode_html(path, data)
    text, _ = cap_nesting(text)  # 100k nested <div> would make the tree builder quadratic
    tree = LexborHTMLParser(text)
    start = tree.body or tree.root
    if start is None:
        raise SourceError(path, "HTML 中没有正文 (no <body>)")
    lines = [SourceLine(t, i) for i, t in enumerate(_Walker().run(start), 1)]
    return "html", enc, lines


def decode_html(path: str, data: bytes) -> tuple[str, str]:
    """A BOM wins, then a ``<meta charset>`` that actually decodes, then the text-file rules."""
    if not any(data.startswith(b) for b, _ in BOMS):
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii").lower()
            enc = SUPERSET.get(declared.replace("-", "").replace("_", ""), declared)
            try:
                return data.decode(enc), enc
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration is common; fall back to detection
    return decode_text(path, data)


class _Walker:
    """Pre/post-order walk over selectolax nodes with an explicit pointer, never recursion."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.row: list[str] | None = None
        self.row_id: int | None = None
        self.cell: list[str] | None = None
        self.cell_id: int | None = None
        self.pre = 0

    def run(self, start) -> list[str]:
        start_id = start.mem_id
        node = start
        while node is not None:
            descend = self.enter(node)
            child = node.child if descend else None
            if child is not None:
                node = child
                continue
            while node is not None:
                if descend or node.tag not in SKIP:
                    self.exit(node)
                descend = True
                if node.mem_id == start_id:
                    node = None
                    break
                nxt = node.next
                if nxt is not None:
                    node = nxt
                    break
                node = node.parent
        self.flush()
        return self.lines

    # -- events -------------------------------------------------------------------------------
    def enter(self, node) -> bool:
        tag = node.tag
        if tag in SKIP:
            return False
        if tag == "-text":
            self.text(node.text_content or "")
        elif tag == "br":
            self.boundary()
        elif tag == "tr" and self.cell is None:
            self.flush()
            self.row, self.row_id = [], node.mem_id
        elif tag in CELL and self.row is not None and self.cell is None:
            self.cell, self.cell_id = [], node.mem_id
        elif tag in BLOCK:
            self.boundary()
        if tag == "pre":
            self.pre += 1
        return True

    def exit(self, node) -> None:
        tag = node.tag
        if tag == "pre":
            self.pre -= 1
        if self.cell is not None and node.mem_id == self.cell_id:
            self.row.append(cell_text(self.cell))  # type: ignore[union-attr]
            self.cell = self.cell_id = None
        elif self.row is not None and node.mem_id == self.row_id:
            if any(self.row):
                self.lines.append("\t".join(self.row))
            self.row = self.row_id = None
        elif tag in BLOCK:
            self.boundary()

    # -- buffers ------------------------------------------------------------------------------
    def text(self, s: str) -> None:
        if self.cell is not None:
            self.cell.append(s)
        elif self.row is not None:
            return  # whitespace between cells
        elif self.pre and "\n" in s:
            first, *rest = s.split("\n")
            self.buf.append(first)
            for part in rest:
                self.flush(collapse=False)
                self.buf.append(part)
        else:
            self.buf.append(s)

    def boundary(self) -> None:
        if self.cell is not None:
            self.cell.append(SEP)
        elif self.row is None:
            self.flush()

    def flush(self, collapse: bool = True) -> None:
        if not self.buf:
            return
        s = "".join(self.buf)
        self.buf = []
        if not self.pre and collapse:
            s = _WS.sub(" ", s).strip(" ")
        if s.strip():
            self.lines.append(s)


def cell_text(pieces: list[str]) -> str:
    """One TSV field: paragraphs joined the corpus way, no tabs or newlines inside."""
    paras = [_WS.sub(" ", p).strip(" ") for p in "".join(pieces).split(SEP)]
    paras = [p for p in paras if p]
    if len(paras) <= 1:
        return paras[0] if paras else ""
    return " ".join(f"<p>{p}</p>" for p in paras)
