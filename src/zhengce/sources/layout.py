"""Layout tables versus data tables, and titles a page splits over several centred paragraphs.

Older government sites (gov.cn among them) build the whole page from ``<table>``s: the article
sits in one big cell of a one-cell row, beside a sidebar cell, below a metadata table. Reading
those rows as tab-separated data would glue the whole article into one "row". A *data* table
is a grid: at least two rows with two or more non-empty cells, no table nested in a cell, and
no single cell holding most of the table's text. Everything else is layout: its rows and cells
are read as ordinary blocks, each paragraph one line.
"""

from __future__ import annotations

import re

from .article import skipped

_SECTIONS = {"tbody", "thead", "tfoot"}
DOMINANT_CELL = 0.6  # a cell holding this share of a small table's text makes it layout
_WS = re.compile(r"\s+")


def _children(node, tags: set[str]):
    child = node.child
    while child is not None:
        if child.tag in tags:
            yield child
        child = child.next


def table_rows(table) -> list:
    rows = list(_children(table, {"tr"}))
    for sec in _children(table, _SECTIONS):
        rows.extend(_children(sec, {"tr"}))
    return rows


def _visible_len(node) -> int:
    """Visible characters of a cell (scripts and hidden parts excluded), iteratively."""
    n, stack = 0, [node]
    while stack:
        cur = stack.pop()
        if cur.tag == "-text":
            n += len(_WS.sub("", cur.text_content or ""))
            continue
        if skipped(cur):
            continue
        child = cur.child
        while child is not None:
            stack.append(child)
            child = child.next
    return n


def is_data_table(table) -> bool:
    """A grid of cells (keep as TSV rows) rather than page layout (read as paragraphs)."""
    rows = table_rows(table)
    if len(rows) < 2:
        return False
    multi, total, biggest, n_rows = 0, 0, 0, len(rows)
    for tr in rows:
        cells = list(_children(tr, {"td", "th"}))
        filled = 0
        for td in cells:
            if td.css_first("table") is not None:
                return False
            n = _visible_len(td)
            total += n
            biggest = max(biggest, n)
            filled += n > 0
        multi += filled >= 2
    if multi < 2:
        return False
    return not (n_rows <= 3 and total and biggest / total > DOMINANT_CELL)


def is_centred(node) -> bool:
    """``align=center``, ``text-align:center`` or a ``<center>`` element."""
    if node.tag == "center":
        return True
    attrs = node.attributes or {}
    if (attrs.get("align") or "").lower() == "center":
        return True
    style = (attrs.get("style") or "").lower().replace(" ", "")
    return "text-align:center" in style


_SENTENCE = re.compile(r"[。，；！？：:;!?]")
_NUMBER_LINE = re.compile(r"[〔\[(（【]\s*\d{4}\s*[〕\])）】]\s*\d+\s*号|^第\s*\d+\s*号$|\d{4}\s*年\s*\d{1,2}\s*月")
_TITLE_END = re.compile(r"(?:通知|意见|决定|办法|方案|规划|措施|细则|规定|条例|通告|公告|批复|复函|函|答复|"
                        r"纲要|计划|预案|规则|指引|指南|清单|要点|决议|报告|通报|命令|令)(?:[(（][^()（）]{1,12}[)）])?$")


def squash(s: str) -> str:
    """Comparison key: every whitespace character (ideographic space too) removed."""
    return re.sub(r"\s+", "", s)


def rejoin_title(records: list[tuple[str, bool]], window: int = 12) -> list[str]:
    """Lines of the article, with a title split over consecutive centred paragraphs joined.

    Sites break a long title into two or three centred ``<p>``s ("国务院办公厅关于开展" /
    "城镇小区配套幼儿园治理工作的通知"). Among the first ``window`` lines, a run of centred lines
    without sentence punctuation is joined while the text so far does not end like a title
    (…通知/意见/函 …) and the joined text does; a 文号 or date line is never part of a title.
    """
    lines = [t for t, _ in records]
    out: list[str] = []
    i = 0
    while i < len(records):
        text, centred = records[i]
        if i < window and centred and _title_piece(text) and not _TITLE_END.search(text):
            j, acc = i + 1, text
            while j < min(len(records), i + 4) and records[j][1] and _title_piece(records[j][0]):
                acc = acc.rstrip() + records[j][0].strip()
                j += 1
                if _TITLE_END.search(acc):
                    out.append(acc)
                    i = j
                    break
            else:
                out.append(text)
                i += 1
            continue
        out.append(lines[i])
        i += 1
    return out


def _title_piece(text: str) -> bool:
    t = squash(text)
    return 1 < len(t) <= 80 and not _SENTENCE.search(t) and not _NUMBER_LINE.search(t)


def has_title(lines: list[str], title: str, window: int = 12) -> bool:
    """Whether the article's first lines already carry the title (so nothing is added)."""
    key = squash(title)
    head = "".join(squash(t) for t in lines[:window])
    return bool(key) and key in head
