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
from dataclasses import dataclass, field

from ..errors import SourceError
from ..model import SourceLine
from . import article, htmlmeta, layout
from .nesting import cap_nesting
from .plain import BOMS, SUPERSET, decode_text

BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
         "article", "main", "header", "footer", "aside", "blockquote", "pre", "address", "figure",
         "figcaption", "center", "hr", "form", "fieldset", "legend", "caption", "table", "title", "body",
         "details", "summary", "tr", "td", "th"}
CELL = {"td", "th"}
_WS = re.compile(r"[ \t\n\r\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
SEP = "\n"  # paragraph boundary inside a cell buffer


def read_html(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine], dict[str, str]]:
    """The article's lines, plus the page's metadata block as data (empty when it has none)."""
    from selectolax.lexbor import LexborHTMLParser

    text, enc = decode_html(path, data)
    text, _ = cap_nesting(text)  # 100k nested <div> would make the tree builder quadratic
    tree = LexborHTMLParser(text)
    start = tree.body or tree.root
    if start is None:
        raise SourceError(path, "HTML 中没有正文 (no <body>)")
    page = read_page(tree, start)
    lines = [SourceLine(t, i) for i, t in enumerate(page.lines, 1)]
    return "html", enc, lines, page.meta


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


@dataclass(slots=True)
class Page:
    """What a page yields: the article's lines and the metadata block's fields."""

    lines: list[str]
    meta: dict[str, str] = field(default_factory=dict)


def read_page(tree, start) -> Page:
    """Metadata block, article (by measurement), boilerplate dropped, split titles rejoined."""
    runs = text_runs(start)
    meta, meta_blocks = htmlmeta.read_block(runs)
    for k, v in htmlmeta.head_meta(tree).items():
        meta.setdefault(k, v)
    stats = article.measure(start, meta_blocks)
    core = article.find_core(start, stats)
    # The metadata block is data, not article text: skip it where it sits inside the article.
    walker = _Walker(stats, skip=meta_blocks, core_id=core.mem_id)
    records = walker.run(core)
    lines = layout.rejoin_title(records)
    title = meta.get("title")
    if title and core.mem_id != start.mem_id and not layout.has_title(lines, title):
        heading = _heading_before(start, core, title, stats, meta_blocks)
        if heading:
            lines.insert(0, heading)
    return Page(lines, meta)


def _heading_before(start, core, title: str, stats: dict[int, article.Measure],
                    meta_blocks: set[int]) -> str | None:
    """The page's visible title when it stands outside the article element (an ``<h1>`` above it).

    Only elements whose measured length equals the title's are read, so this stays linear.
    """
    key = layout.squash(title)
    for node in start.traverse(include_text=False):
        if node.mem_id == core.mem_id:
            return None
        m = stats.get(node.mem_id)
        if node.tag in BLOCK and m is not None and m.chars == len(key) and node.mem_id not in meta_blocks:
            t = _WS.sub(" ", node.text(deep=True) or "").strip()
            if t and layout.squash(t) == key:
                return t
    return None


def text_runs(start) -> list[htmlmeta.Run]:
    """Text between block boundaries, in document order, each with its nearest block element."""
    runs: list[htmlmeta.Run] = []
    buf: list[str] = []
    owner = [start.mem_id]
    parents: dict[int, int | None] = {start.mem_id: None}

    def flush() -> None:
        t = _WS.sub(" ", "".join(buf)).strip()
        buf.clear()
        if t:
            runs.append(htmlmeta.Run(t, owner[-1], parents.get(owner[-1])))

    stack: list[tuple[object, bool]] = [(start, False)]
    while stack:
        node, done = stack.pop()
        if done:
            flush()
            owner.pop()
            continue
        if node.tag == "-text":
            buf.append(node.text_content or "")
            continue
        if article.skipped(node):
            continue
        if node.tag == "br":
            flush()
            continue
        block = node.tag in BLOCK
        if block:
            flush()
            parents[node.mem_id] = owner[-1]
            owner.append(node.mem_id)
            stack.append((node, True))
        kids = []
        child = node.child
        while child is not None:
            kids.append(child)
            child = child.next
        stack.extend((c, False) for c in reversed(kids))
    flush()
    return runs


class _Walker:
    """Pre/post-order walk over selectolax nodes with an explicit pointer, never recursion.

    Emits ``(line, centred)`` records. Tables judged layout (``layout.is_data_table`` false)
    are read as blocks; data tables give one tab-separated line per row.
    """

    def __init__(self, stats: dict[int, article.Measure] | None = None, skip: set[int] | None = None,
                 core_id: int | None = None) -> None:
        self.lines: list[tuple[str, bool]] = []
        self.buf: list[str] = []
        self.row: list[str] | None = None
        self.row_id: int | None = None
        self.cell: list[str] | None = None
        self.cell_id: int | None = None
        self.pre = 0
        self.stats = stats or {}
        self.skip = skip or set()
        self.core_id = core_id
        self.data_tables: dict[int, bool] = {}
        self.centred: list[bool] = [False]

    def run(self, start) -> list[tuple[str, bool]]:
        start_id = start.mem_id
        node = start
        while node is not None:
            descend = self.enter(node)
            child = node.child if descend else None
            if child is not None:
                node = child
                continue
            while node is not None:
                if descend:
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

    def _dropped(self, node) -> bool:
        """Scripts, hidden parts, the metadata block, and short-link clusters (share bars, nav)."""
        if article.skipped(node):
            return True
        if node.tag == "-text" or node.mem_id == self.core_id:
            return False
        if node.mem_id in self.skip:
            return True
        if self.cell is None and node.tag in BLOCK:
            m = self.stats.get(node.mem_id)
            return m is not None and article.is_link_cluster(m)
        return False

    def _in_data_table(self, tr) -> bool:
        table = tr.parent
        while table is not None and table.tag != "table":
            table = table.parent
        if table is None:
            return True
        known = self.data_tables.get(table.mem_id)
        if known is None:
            known = self.data_tables[table.mem_id] = layout.is_data_table(table)
        return known

    # -- events -------------------------------------------------------------------------------
    def enter(self, node) -> bool:
        tag = node.tag
        if self._dropped(node):
            return False
        if tag == "-text":
            self.text(node.text_content or "")
        elif tag == "br":
            self.boundary()
        elif tag == "tr" and self.cell is None and self._in_data_table(node):
            self.flush()
            self.row, self.row_id = [], node.mem_id
        elif tag in CELL and self.row is not None and self.cell is None:
            self.cell, self.cell_id = [], node.mem_id
        elif tag in BLOCK:
            self.boundary()
        if tag in BLOCK:
            self.centred.append(layout.is_centred(node) or (self.centred[-1] and tag not in CELL))
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
                self.lines.append(("\t".join(self.row), False))
            self.row = self.row_id = None
        elif tag in BLOCK:
            self.boundary()
        if tag in BLOCK:
            self.centred.pop()

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
            self.lines.append((s, self.centred[-1]))


def cell_text(pieces: list[str]) -> str:
    """One TSV field: paragraphs joined the corpus way, no tabs or newlines inside."""
    paras = [_WS.sub(" ", p).strip(" ") for p in "".join(pieces).split(SEP)]
    paras = [p for p in paras if p]
    if len(paras) <= 1:
        return paras[0] if paras else ""
    return " ".join(f"<p>{p}</p>" for p in paras)
