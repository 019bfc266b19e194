"""Cleaning and repair: raw source lines → logical blocks (paragraphs) with provenance.

The raw copy is never altered: a ``Block`` keeps the raw lines it came from; its ``text`` is the
repaired, normalised copy that structure detection, extraction and search read. Repairs
(GUIDE §2): page breaks inside sentences joined, a character duplicated across the join dropped,
stray spaces between Chinese characters removed, bare page numbers and markdown decoration
dropped, English conjunctions injected by conversion repaired, traditional characters converted,
full-width ASCII punctuation folded so (一) and （一） are one case.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

from ..model import SourceLine
from . import patterns as P
from .hanzi import simplify_lines
from .radicals import RADICALS

_FULLWIDTH: dict[int, int | str] = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space
# Chinese sentence punctuation stays full-width (half-width beside Chinese text is widened below).
for _c in "，：；！？":
    del _FULLWIDTH[ord(_c)]
# Radical code points from PDF text (Chromium-printed gov.cn pages: "国务院⽂件", "⾸⻚") → ideographs.
_FULLWIDTH.update(RADICALS)
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_CJK = r"\u4e00-\u9fff\u3400-\u4dbf"
# Spaces between Chinese characters, and around digits beside them: "国发〔 2018 〕 43 号" (PDF text
# of a Chromium print, GUIDE "PDF text"), "2004 年 08 月 12 日".
# Both patterns start with the character they remove and look back over it (a two-character
# lookbehind), so the regex engine skips straight to spaces / narrow punctuation instead of
# testing a lookbehind at every position: three times faster, the same matches.
_SP = r"[ \t\u3000]"
_SPACE_BETWEEN = re.compile(rf"{_SP}(?:(?<=[{_CJK}，。、；：！？“”《》〔〕（）()%]{_SP}){_SP}*(?=[{_CJK}\d，。、；：！？“”《》〔〕（）()])"
                            rf"|(?<=\d{_SP}){_SP}*(?=[{_CJK}〕】]))")
_NARROW_PUNCT = re.compile(r"[,;:!?](?:(?<=[\u4e00-\u9fff)”》][,;:!?])(?!\d)|(?=[\u4e00-\u9fff“《(]))")
_MULTI_SPACE = re.compile(r"[ \t][ \t]+")  # two or more; led by a class so the engine skips to it
_INJECTED = re.compile(rf"(?<=[{_CJK}])\s*\b(and|or)\b\s*(?=[{_CJK}])")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s*")
_MD_BOLD = re.compile(r"\*\*|__")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(?=\S)")
_BULLETS = frozenset("-*+")  # what _MD_BULLET needs as the first non-space character
_MARKUP_START = frozenset("#-*+")  # a heading or a bullet; bold is "**"/"__" anywhere
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]+\s*)?\d{1,4}(?:\s*[-—–－]+)?\s*$|^\s*第\s*\d{1,4}\s*页\s*$")
_TAG = re.compile(r"</?[A-Za-z][^<>]{0,200}>")  # real HTML tags only: <北京市…> is a nested title
_TERMINAL = "。；！？：:;!?…"
# Characters that legitimately repeat (人人, 天天, 常常): never deduplicated at a join.
_REDUP_OK = set("人天年月日个常刚渐看试说谢层步家户条项时处点")

_to_simplified = None


def simplify(text: str) -> str:
    """Traditional → simplified (人員 → 人员) when the opencc converter is available."""
    global _to_simplified
    if _to_simplified is None:
        try:
            from .hanzi import to_simplified as f
        except Exception:  # the converter is optional; the raw copy is kept regardless
            def f(s: str) -> str:
                return s
        _to_simplified = f
    return _to_simplified(text)


_WIDE_CLASS = "[" + "".join(re.escape(chr(c)) for c in sorted(_FULLWIDTH)) + "]"
# A run of characters to fold, written "one, then any more": a pattern that starts with a plain
# class lets the regex engine skip through the text in C (``[…]+`` made it try every position),
# 3x faster over a file where few characters need folding.
_WIDE = re.compile(_WIDE_CLASS + _WIDE_CLASS + "*")


def fold_width(s: str) -> str:
    """Full-width ASCII → half-width (（一）→ (一), ０→0), ideographic space → space, radicals → ideographs.

    Chinese sentence punctuation (，：；！？) stays full-width. Only the runs that need it are
    translated: ``str.translate`` over a whole 10 MB line is slow.
    """
    return _WIDE.sub(lambda m: m.group(0).translate(_FULLWIDTH), s)


def strip_markup(s: str) -> tuple[str, str]:
    """Drop markdown decoration; report the line's style: "h" heading, "b" all bold, "" plain.

    Styles only delimit blocks (a heading never runs into the next paragraph; consecutive bold
    lines are one title); levels come from numbering markers, never from ``#`` counts. Each
    pattern runs only on a line holding its literal (``#``, ``**``/``__``, a bullet): most lines
    hold none.
    """
    stripped = s.strip()
    style = "h" if stripped.startswith("#") else ("b" if stripped.startswith("**") and stripped.endswith("**")
                                                  and len(stripped) > 4 else "")
    s = _MD_HEADING.sub("", s) if style == "h" else s
    if "**" in s or "__" in s:
        s = _MD_BOLD.sub("", s)
    if s.lstrip()[:1] in _BULLETS:
        s = _MD_BULLET.sub("", s)
    return s.rstrip(), style


def repair(text: str, folded: bool = False) -> str:
    """The normalised copy of a block's text (see module docstring; ``simplify`` runs per file).

    ``folded``: the text is already width-folded (``build_blocks`` folds every line once), so
    the fold runs again only when unescaping an entity could bring a full-width character back.
    """
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
        folded = False
    if not folded:
        text = fold_width(text)
    if "," in text or ";" in text or ":" in text or "!" in text or "?" in text:  # C scans, not a regex
        text = _NARROW_PUNCT.sub(lambda m: _HALF_TO_FULL[m.group(0)], text)
    if " " in text or "\t" in text:  # the costly patterns only run where they can match
        if "and" in text or "or" in text:
            text = _INJECTED.sub(lambda m: "和" if m.group(1) == "and" else "或", text)
        text = _SPACE_BETWEEN.sub("", text)
        text = _MULTI_SPACE.sub(" ", text)
    return text.strip()


@dataclass(slots=True)
class Block:
    """A logical paragraph: repaired ``text`` plus the raw lines it came from.

    A block is final once ``build_blocks`` returns: ``raw`` is worked out once and kept (the
    document's raw text and each provision's both read it).
    """

    text: str
    lines: list[SourceLine] = field(default_factory=list)
    style: str = ""  # markdown style of its first line: "h", "b" or ""
    table: bool = False  # a tab-separated table row
    _raw: str | None = field(default=None, repr=False, compare=False)

    @property
    def raw(self) -> str:
        """The source lines exactly, blank lines between them included (line numbers line up)."""
        if self._raw is not None:
            return self._raw
        lines = self.lines
        if len(lines) == 1:
            self._raw = lines[0].text
            return self._raw
        out = []
        prev = None
        for li in lines:
            if prev is not None and li.page == prev.page:
                out.append("\n" * max(li.lineno - prev.lineno - 1, 0))
            elif prev is not None:
                out.append("\n")
            out.append(li.text if prev is None else "\n" + li.text)
            prev = li
        self._raw = "".join(out)
        return self._raw

    @property
    def line_start(self) -> int:
        return self.lines[0].lineno if self.lines else 0

    @property
    def line_end(self) -> int:
        return self.lines[-1].lineno if self.lines else 0


def _marker_table() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The marker patterns that can match after each first character, in ``P.MARKERS`` order.

    Every marker pattern needs one kind of first character (第 / a numeral / "(" / a digit / a
    circled number), so ``marker_of`` tries only the two or three that can match, not all ten.
    """
    starts = {"chapter": "第", "section": "第", "article": "第", "cn": P.CN_NUM, "paren_cn": "(",
              "decimal": "0123456789", "num": "0123456789", "paren_num": "(", "circled": P.CIRCLED}
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for kind, rx in P.MARKERS:
        for c in starts[kind]:
            table.setdefault(c, []).append((kind, rx))
    return table


_MARKERS_BY_START = _marker_table()


def marker_of(text: str) -> tuple[str, str, int] | None:
    """(kind, label, end offset) of a hierarchy marker at the start of ``text``, or None."""
    candidates = _MARKERS_BY_START.get(text[:1])
    if candidates is None:
        return None
    for kind, rx in candidates:
        m = rx.match(text)
        if m:
            return kind, m.group(1), m.end()
    return None


def wrap_width(lines: list[str]) -> int | None:
    """The hard-wrap width of a file converted from PDF (most lines cut at one length), if any."""
    lengths = [len(s) for s in lines if len(s) >= 15]
    if len(lengths) < 50:
        return None
    (mode, _), = Counter(lengths).most_common(1)
    near = sum(1 for n in lengths if abs(n - mode) <= 2)
    return mode if mode <= 60 and near >= 0.2 * len(lengths) else None


# Lines that end a block (``_standalone``) and lines that start one (``_starts_block``).
_SUBTITLE = r"\([^()]{1,30}\)\Z"  # (2018年—2020年) subtitle, the whole line
_STANDALONE_LINE = P.union(P.DATE_LINE, P.MONTH_LINE, P.DATE_CN_LINE, P.PUBLIC_NOTE, _SUBTITLE,
                          P.DOCNUM_LINE, P.ORDER_HEAD, P.ORDER_NUMBER, P.ANNOUNCE_NUMBER)
_STARTS_LINE = P.union(P.DATE_LINE, P.PUBLIC_NOTE, P.ATTACHMENT, P.DATE_CN_LINE, P.EDITORIAL_NOTE,
                      P.DOCNUM_LINE, P.ORDER_NUMBER, P.ANNOUNCE_NUMBER)
_HAS_CJK = re.compile(f"[{_CJK}]")
_CLAUSE_PUNCT = re.compile("[，。；]")
_SENTENCE_END = re.compile("[。；]")
_LIST_PUNCT = re.compile("[，。；、：]")
_FIRST_ONE = re.compile(r"^第[一1]\s*[章条]")
_CATEGORY = re.compile(r"【[^】]{1,40}】")


def _standalone(text: str, width: int | None, last_len: int) -> bool:
    """A block that ends here: headings, titles, dates, 文号, notes, subtitles.

    ``last_len`` is the length of the block's last physical line: in a hard-wrapped file a full
    last line continues on the next.
    """
    if not text or _isolated(text):
        return True
    if width and last_len >= width - 3 and text[-1] not in _TERMINAL:
        return False
    if P.may_be_furniture(text) and _STANDALONE_LINE.match(text):
        # a date; （此件公开发布） / (2018年—2020年) subtitle; a bare 文号 line;
        # "中华人民共和国国务院令" / "第707号" (govcn content_5351177)
        return True
    if len(text) <= 40 and marker_of(text) and not _SENTENCE_END.search(text):
        return True  # "一、总体要求", "(一)指导思想"
    return bool(len(text) <= 80 and P.doc_type_end(text) and not _CLAUSE_PUNCT.search(text))


_FIELD_LINE = re.compile(rf"^[{_CJK}]{{2,10}}[：:][{_CJK}\d、，, 年月日前底]{{1,60}}$")
# What ``_isolated`` asks besides the TOC test, as one pattern: a 【category】 heading, a line
# without Chinese, a field line.
_ISOLATED_LINE = P.union(r"【[^】]{1,40}】\Z", rf"[^{_CJK}]*\Z", _FIELD_LINE)


def _isolated(text: str) -> bool:
    """Lines that never join: TOC entries, 【category】 headings, lines without Chinese,
    "完成时限：2022年12月底前" / "主要责任单位：区体育局" field lines."""
    return bool(P.is_toc_line(text) or _ISOLATED_LINE.match(text))


def _starts_block(text: str) -> bool:
    """A line that opens a block of its own: a numbered item, an isolated line, a date, a note, an
    attachment line; "一九九六年十一月五日" under a signature; "（本文有删减）" (govcn pages); a bare 文号."""
    return bool(marker_of(text) or _isolated(text) or (P.may_be_furniture(text) and _STARTS_LINE.match(text)))


def _opens_document(t: str, texts: list[str], idx: int) -> bool:
    """A title-like line whose next line opens a document (第一章 / 第一条 / a bare 文号)."""
    if len(t) > 60 or not P.doc_type_end(t) or _CLAUSE_PUNCT.search(t):
        return False
    nxt = next((x for x in texts[idx + 1: idx + 4] if x), "")
    return bool(_FIRST_ONE.match(nxt) or P.DOCNUM_LINE.match(nxt))


# "…(责任单位：市商务局，市政府外办)" closes an item even without a full stop.
_UNITS_END = re.compile(r"\((?:主要)?(?:责任|牵头|配合|协办|主责)单位[:：][^()]*\)$")


def _units_end(text: str) -> bool:
    """``_UNITS_END`` where its literals are: a closing ")" and 单位 somewhere before it."""
    return text.endswith((")", ")\n")) and "单位" in text and bool(_UNITS_END.search(text))


def _clean_lines(lines: list[SourceLine]) -> list[tuple[SourceLine, str, str]]:
    """Each line without markdown decoration, with its style; "" for blank lines and page numbers."""
    cleaned: list[tuple[SourceLine, str, str]] = []
    in_bold = False  # inside a "**…" run that closes on a later line (a bold title over lines)
    for li in lines:
        stripped = li.text.strip()
        if not stripped:
            in_bold = False  # an unclosed ** never runs past a blank line
            cleaned.append((li, "", ""))
            continue
        if stripped[0] in _MARKUP_START or "**" in stripped or "__" in stripped:
            odd = stripped.count("**") % 2 == 1
            s, style = strip_markup(li.text)
        else:  # no markdown at all (most lines): what strip_markup would return
            odd, s, style = False, li.text.rstrip(), ""
        if in_bold:
            style, in_bold = "b", not odd
        elif odd and stripped.startswith("**"):
            style, in_bold = "b", True
        if not s.strip() or _PAGE_NUMBER.match(s):
            cleaned.append((li, "", ""))
            continue
        cleaned.append((li, s, style))
    return cleaned


def _fold_lines(texts: list[str]) -> list[str]:
    """``fold_width(s).strip()`` of every line, in one pass over the file instead of one per line.

    Folding neither makes nor removes a newline, so the lines come apart where they were
    joined; a line that holds a newline itself (never from the text readers) falls back.
    """
    folded = fold_width("\n".join(texts)).split("\n")
    if len(folded) != len(texts):
        return [fold_width(s).strip() for s in texts]
    return [s.strip() for s in folded]


def build_blocks(lines: list[SourceLine], paragraphs: bool = False) -> list[Block]:
    """Join raw lines into logical blocks, repairing page breaks on the way.

    ``paragraphs``: every line is already a whole paragraph (a web page's ``<p>``), so no
    line is joined to the next — there are no page breaks to repair.
    """
    cleaned = _clean_lines(lines)
    texts = _fold_lines([s for _, s, _ in cleaned])
    # A reader that knows where lines end (PDF) marks those broken by the page width; guessing a
    # hard-wrap width from line lengths is only for text converted without that knowledge.
    knows_wrap = any(li.wrapped is not None for li in lines)
    width = None if knows_wrap else wrap_width([x for x in texts if x])
    blocks: list[Block] = []
    cur: Block | None = None
    cur_text = ""  # folded text of the current block, for decisions
    gap = False  # a blank line (page break) since the current block's last line
    last_len = 0  # length of the current block's last physical line
    for idx, (li, s, style) in enumerate(cleaned):
        if not s:
            gap = True
            continue
        if "\t" in s and not P.is_toc_line(s):
            blocks.append(Block(s, [li], table=True))
            cur, cur_text, gap = None, "", False
            continue
        t = texts[idx]
        if (cur is not None and gap and not cur.table and len(t) <= 6 and len(cur_text) >= 2
                and cur_text[-1] == "。" and t[0] == cur_text[-2] and not marker_of(t)):
            # "…服务覆盖。" / "盖率。": a fragment re-broken after the page's last word
            cur.lines.append(li)
            cur.text = cur.text[:-1] + t[1:]
            cur_text = cur_text[:-1] + t[1:]
            gap = False
            continue
        prev_li = cur.lines[-1] if cur is not None else None
        if paragraphs:
            join = False
        elif cur is not None and style == "b" and cur.style == "b":
            join = True  # a title set in bold over several lines
        elif (prev_li is not None and prev_li.wrapped and not cur.table and not style
              and cur_text[-1:] not in _TERMINAL and not _starts_block(t) and not P.ADDRESSEE.match(t)
              and not _units_end(cur_text) and not (len(t) >= 6 and _opens_document(t, texts, idx))):
            # The line ran to the page's right edge: the sentence goes on. Not past a closing
            # "(牵头单位：…)" at the edge (the seeds printed by a word processor: the next line is
            # the next document's title "北京市单用途预付卡管理条例"), nor into a title over a 文号 (a
            # title's last fragment "通知" is no title of its own).
            join = True
        elif (prev_li is not None and prev_li.wrapped is False
              and ((_CLAUSE_PUNCT.search(cur_text) and cur_text[-1:] not in "，、") or P.ATTACHMENT.match(cur_text))):
            # Prose whose line ends short of the edge: the paragraph ended there. So does an
            # attachment line ("附件 2：案例" over the next document's title, same print).
            join = False
        else:
            # In a hard-wrapped file a short last line ends a prose paragraph (not a title's first
            # line). The cheap tests go first; every test is a pure function of the texts.
            join = (cur is not None and not style and not cur.style and not cur.table
                    and cur_text[-1:] not in _TERMINAL
                    and not (width and last_len < 0.7 * width and _LIST_PUNCT.search(cur_text))
                    and not _standalone(cur_text, width, last_len)
                    and not _starts_block(t)
                    and not ((_CLAUSE_PUNCT.search(cur_text) or cur_text.startswith("附件"))
                             and _opens_document(t, texts, idx))
                    and not _units_end(cur_text))
        if join:
            assert cur is not None
            prev_last = cur_text[-1:]
            if gap and prev_last == t[:1] and _HAS_CJK.match(prev_last) and prev_last not in _REDUP_OK:
                t = t[1:]  # "服务覆" + "覆盖率" page-break duplicate
            cur.lines.append(li)
            cur.text += t
            cur_text += t
            last_len = len(texts[idx])
        else:
            cur = Block(t, [li], style=style)
            blocks.append(cur)
            cur_text = t
            last_len = len(t)
        gap = False
    for b in blocks:
        b.text = "\t".join(repair(c) for c in b.text.split("\t")) if b.table else repair(b.text, folded=True)
    # Traditional → simplified, for the whole file at once (only the blocks that need it go
    # through the converter).
    converted = simplify_lines([b.text for b in blocks])
    for b, t in zip(blocks, converted, strict=True):
        b.text = t
    return [b for b in blocks if b.text.strip()]
