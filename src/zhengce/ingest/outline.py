"""The provision tree: numbered items from markers (never from markdown ``#``), paragraphs, tables.

Each block becomes a Provision. A numbered block opens a node; markers of the same style are
siblings, a new style nests, a higher-ranked style closes deeper ones. Unnumbered paragraphs hang
under the current node. The citation id is the document key plus the numbering path
(``京政发〔2021〕24号/二/(一)/3``), so it is stable across re-ingests of the same file.
"""

from __future__ import annotations

import re
from dataclasses import fields

from ..model import Provision
from . import patterns as P
from .clean import Block, marker_of
from .meta import is_meta_line
from .split import is_addressee

# ``_Tree.add`` builds each Provision from positional arguments (keyword matching cost a third of
# the outline's time); this is the order it passes them in, checked against the model at import.
_PROVISION_ARGS = ("cid", "doc_key", "level", "label", "heading", "raw", "text", "line_start", "line_end",
                   "kind", "parent", "seq", "cells", "header")
assert tuple(f.name for f in fields(Provision))[: len(_PROVISION_ARGS)] == _PROVISION_ARGS, \
    "model.Provision's fields moved: update _PROVISION_ARGS and _Tree.add"

_RANK = dict(P.KIND_RANK)
_HEADER_WORDS = re.compile(r"^(序号|编号|重点任务|任务|工作任务|工作措施|具体措施|主要内容|完成时限|时间|主责单位|牵头单位|责任单位|协办单位|配合单位|类别|事件类别|备注)$")


def _rank(kind: str, label: str) -> float:
    if kind == "decimal":
        return 3 + 0.1 * (label.count(".") + 1)
    return _RANK[kind]


_HEADING_END = re.compile(r"[。：:]")
_ROW_NUMBER = re.compile(r"\d{1,4}")


def _heading(text: str, start: int) -> str:
    """The run-in heading: up to the first 。/： when that comes within 40 characters (only those
    are searched), else the whole rest when it is that short."""
    rest = text[start:]
    cut = _HEADING_END.search(rest, 0, 41)
    if cut and cut.start() <= 40:
        return rest[: cut.start()]
    return rest if len(rest) <= 40 else ""


class _Tree:
    def __init__(self, doc_key: str):
        self.doc_key = doc_key
        self.out: list[Provision] = []
        self.stack: list[tuple[str, float, str]] = []  # (kind, rank, cid)
        self.used: set[str] = set()
        self.para_count: dict[str, int] = {}

    def _unique(self, cid: str) -> str:
        if cid not in self.used:
            self.used.add(cid)
            return cid
        n = 2
        while f"{cid}~{n}" in self.used:
            n += 1
        self.used.add(f"{cid}~{n}")
        return f"{cid}~{n}"

    def parent(self) -> str | None:
        return self.stack[-1][2] if self.stack else None

    def add(self, b: Block, *, kind: str, label: str, heading: str, cid: str, level: int,
            cells=None, header=None, parent: str | None = None) -> Provision:
        if cid in self.used:
            cid = self._unique(cid)
        else:
            self.used.add(cid)
        if parent is None and self.stack:
            parent = self.stack[-1][2]
        lines = b.lines
        p = Provision(cid, self.doc_key, level, label, heading, b.raw, b.text,
                      lines[0].lineno if lines else 0, lines[-1].lineno if lines else 0, kind, parent,
                      len(self.out), cells, header)
        self.out.append(p)
        return p

    def numbered(self, b: Block, kind: str, label: str, end: int) -> None:
        rank = _rank(kind, label)
        stack = self.stack
        while stack and stack[-1][1] >= rank:  # a same or higher rank closes the deeper items
            stack.pop()
        base = stack[-1][2] if stack else self.doc_key
        lab = f"({label})" if kind in ("paren_cn", "paren_num") else label
        p = self.add(b, kind="heading", label=lab, heading=_heading(b.text, end), cid=f"{base}/{lab}",
                     level=len(stack) + 1)
        stack.append((kind, rank, p.cid))

    def paragraph(self, b: Block) -> None:
        base = self.stack[-1][2] if self.stack else self.doc_key
        n = self.para_count.get(base, 0) + 1
        self.para_count[base] = n
        self.add(b, kind="paragraph", label="", heading="", cid=f"{base}/¶{n}", level=len(self.stack) + 1)

    def table(self, rows: list[Block]) -> None:
        base = self.parent() or self.doc_key
        n = self.para_count.get(base + "#t", 0) + 1
        self.para_count[base + "#t"] = n
        tcid = f"{base}/表{n}"
        first = rows[0]
        t = self.add(first, kind="table", label=f"表{n}", heading="", cid=tcid, level=len(self.stack) + 1)
        t.raw = "\n".join(r.raw for r in rows)
        t.text = "\n".join(r.text for r in rows)
        t.line_end = rows[-1].line_end
        header: list[str] | None = None
        prev: Provision | None = None
        for i, r in enumerate(rows):
            cells = [c.strip() for c in r.text.split("\t")]
            if header is None and (i == 0 and sum(bool(_HEADER_WORDS.match(c)) for c in cells) >= 1):
                header = cells
                continue
            if header and cells[: len(header)] == header:
                continue  # header repeated after a page break
            if prev is not None and header and len([c for c in cells if c]) == 1 and not cells[0] \
                    and len(cells) < len(header) - 1:
                prev.text += cells[-1] if cells else ""
                prev.raw += "\n" + r.raw
                prev.line_end = r.line_end
                continue  # a cell continued on the next line
            label = cells[0] if cells and _ROW_NUMBER.fullmatch(cells[0]) else f"r{i + 1}"
            prev = self.add(r, kind="row", label=label, heading="", cid=f"{tcid}/{label}",
                            level=len(self.stack) + 2, cells=cells, header=header, parent=t.cid)
            prev.text = "；".join(c for c in cells if c)


def build_outline(doc_key: str, blocks: list[Block], title_index: int) -> list[Provision]:
    tree = _Tree(doc_key)
    i = 0
    n = len(blocks)
    numbered = False  # a 主送机关 line stands before the numbered body, never inside it
    while i < n:
        b = blocks[i]
        # document furniture (文号, date, note; a 主送机关 only before the numbered body), as
        # meta.is_meta_block says, with its one pattern inlined: this runs for every block
        if i == title_index or is_meta_line(b.text) or (not numbered and is_addressee(b.text)):
            i += 1
            continue
        if b.table:
            j = i
            while j < n and blocks[j].table:
                j += 1
            tree.table(blocks[i:j])
            i = j
            continue
        mk = marker_of(b.text)
        if mk:
            tree.numbered(b, mk[0], mk[1], mk[2])
            numbered = True
        else:
            tree.paragraph(b)
        i += 1
    return tree.out
