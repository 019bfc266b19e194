"""Splitting a file's blocks into 公文 (official documents).

A document starts at a *title* (a line that ends with a 文种 such as 通知/意见/方案 and has no
sentence punctuation) that is confirmed by what follows it: a bare 文号, an addressee line
(主送机关 ending in ：), a signing date, or an opening purpose clause ("为…，制定本方案"). A title
followed by a TOC entry is part of a table of contents, not a document. A notice that 印发s a
text is one document with it: a title equal to the notice's short title (or to one of its
attachments) continues the current document instead of starting one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import normalize
from . import patterns as P
from .clean import Block, marker_of

_OPENING = re.compile(r"^(?:为|根据|按照|依据|经|现将|现就|近年来|当前|随着|"
                      r".{0,240}?(?:特制定|制定本|制定如下|制定以下|现提出|提出如下|提出以下|通知如下))")
# What ends a document: an effective clause ("自印发之日起施行。") or a signing date.
_DOC_END = re.compile(r"(?:施行|实施|执行|废止)。$")
# 批转 is the State Council's form for forwarding with approval ("国务院批转…意见的通知").
_ISSUE = re.compile(r"(?:印发|批转|转发|颁布|发布)\s*《(.+)》\s*的?(?:通知|决定)$")
_SUBTITLE = re.compile(r"\([^()]{1,30}\)")  # (试行) / (2018年—2020年)
_FIRST_ONE = re.compile(r"^第[一1]\s*[章条]")
_ISSUER_HEAD = re.compile(r"^(.{2,80}?)(?:关于|印发|批转|转发|贯彻)")
_PLACE = re.compile(r"(北京市|[\u4e00-\u9fff]{2,6}[省市区县])")
_KEY_DROP = re.compile(r"[《》“”\"'()（）]")
_SENTENCES = re.compile(r"(?<=[。；])")
_TITLE_LIST = re.compile(r"(?:\d{0,3}[.、]?《[^《》]+》[、，。；;]?)+")
_BARE_LINK = re.compile(r"[!-~]+")
_HEADING_PUNCT = re.compile(r"[，。；：]")
_BRACKETED = re.compile(r"【([^】]{1,40})】")
_BARE_ATTACHMENT = re.compile(r"附件\s*\d{0,2}")
_NUMBERED_PARTS = re.compile(r"\s*\d{1,2}\s*[.、]\s*")


@dataclass(slots=True)
class RawDocument:
    """A document's blocks before metadata is read: ``title_index`` points into ``blocks``."""

    blocks: list[Block]
    title_index: int = 0
    category: str | None = None
    issued: list[str] = field(default_factory=list)  # normalised titles that continue this document
    in_attachments: bool = False  # past a 附件 marker: only a strongly confirmed title starts a new document
    attachments_named: bool = False  # the 附件 lines gave the attachments' names
    # A promulgation order (国务院令 第707号): its issuer and number; ``promulgated`` indexes the
    # promulgated text's title, which is the document's title (the order is its cover).
    order_issuer: str | None = None
    order_number: int | None = None
    promulgated: int | None = None


_SENTENCE_PUNCT = re.compile(r"[。；！？]")


def is_title(b: Block) -> bool:
    """A line that ends with a 文种 and reads as a title (no sentence, not numbered, not a TOC entry).

    The tests are all pure and must all pass: the cheap and selective ones (length, the 文种 at
    the end) go first.
    """
    t = b.text
    if b.table or len(t) < 6 or len(t) > 160 or t.startswith(("附件", "(")) or not P.doc_type_end(t):
        return False
    if _SENTENCE_PUNCT.search(t) or "，" in t.replace("《", "").split("》")[-1]:
        return False
    return not (P.is_toc_line(t) or marker_of(t))


def is_docnum_line(text: str) -> bool:
    return bool(P.DOCNUM_LINE.match(text))


_DATE_LINES = re.compile(f"(?:{P.DATE_LINE.pattern})|(?:{P.DATE_CN_LINE.pattern})")


def is_date_line(text: str) -> bool:
    """A signing date in Arabic or Chinese numerals (one pattern for both: this runs on every block)."""
    return "年" in text and "月" in text and bool(_DATE_LINES.match(text))


def is_addressee(text: str) -> bool:
    """A 主送机关 line ("各区人民政府，市政府各委、办、局：").

    A numbered provision that ends in "：" before its items is never one, whatever words it holds:
    "第三条 本办法所称的…是指下列具有北京市户籍的老年人：" (xicheng-gazette-2022.txt:3321) was
    taken as an addressee and dropped from the outline, its items falling under 第二条.
    """
    if not (":" in text[-2:] or "：" in text[-2:]):  # ADDRESSEE ends in a colon: most lines do not
        return False
    return (bool(P.ADDRESSEE.match(text) and P.ADDRESSEE_WORDS.search(text)) and len(text) <= 120
            and marker_of(text) is None)


def _confirmation(blocks: list[Block], i: int) -> str | None:
    """What, around the title at ``i``, shows it opens a real document (None: nothing).

    After it: a 文号, an addressee, a date, 第一章/第一条, or an opening purpose clause. Before
    it: the end of another document (a signing date, an effective clause) or a compilation's
    category heading, followed by prose.
    """
    prev = blocks[i - 1].text if i else ""
    after_end = bool(prev and (is_date_line(prev) or _DOC_END.search(prev) or _category(blocks[i - 1])))
    for b in blocks[i + 1: i + 6]:
        t = b.text
        if P.is_toc_line(t) or b.table:
            return None
        if (t[:1] == "(" and _SUBTITLE.fullmatch(t)) or P.MONTH_LINE.match(t):
            continue  # (试行) / (2018年—2020年) subtitle, "2021 年 11 月"
        if is_docnum_line(t) or P.ANNOUNCE_NUMBER.match(t):
            return "docnum"  # 京政发〔2021〕34号; a 公告's "2021年第30号"
        if is_addressee(t):
            return "addressee"
        if is_date_line(t):
            return "date"
        if is_title(b):
            return None
        if _FIRST_ONE.match(t):
            return "chapter"  # a regulation: 第一章 总则 / 第一条
        if _OPENING.match(t) and len(t) > 20:
            return "opening"
        return "after_end" if after_end and len(t) > 40 and not marker_of(t) else None
    return None


def _issuer_prefixed(title: str) -> bool:
    m = _ISSUER_HEAD.match(title)
    return bool(m and (P.ORG_END.search(m.group(1)) or _PLACE.fullmatch(m.group(1))))


def _issued_titles(title: str) -> list[str]:
    m = _ISSUE.search(title)
    return [_key(m.group(1))] if m else []


def _key(title: str) -> str:
    """Comparison key for titles: normalised, 〈〉 as 《》, quotes and brackets dropped."""
    t = normalize(title).replace("〈", "《").replace("〉", "》")
    return _KEY_DROP.sub("", t)


def _continues(doc: RawDocument, title: Block) -> bool:
    k = _key(title.text)
    return any(k == s or s.startswith(k) or k.startswith(s) for s in doc.issued if s)


# A preamble sentence that issues texts: "现将《国家职业教育改革实施方案》印发给你们" (govcn
# content_5365341), "《A》和《B》已经国务院同意，现印发给你们" (content_5352010: the two 规定 are one
# document with the notice), "现转发给你们" (content_5345291), "现公布修订后的《…条例》" (content_5351177).
_ISSUING = re.compile(r"现(?:将|予)?(?:印发|批转|转发|公布|发布|颁布)|(?:印发|批转|转发|公布|发布)给你们|现予(?:印发|公布|发布)")
_QUOTED = re.compile(r"《([^《》]{4,80})》")


def _issued_in(text: str) -> list[str]:
    """Titles a preamble sentence issues (the 《…》 of a sentence whose own words issue them).

    "根据《…关于印发…的通知》要求" only cites: its 印发 stands inside the quotes.
    """
    out: list[str] = []
    for sentence in _SENTENCES.split(text):
        if "《" in sentence and _ISSUING.search(_QUOTED.sub("", sentence)):
            out += [_key(t) for t in _QUOTED.findall(sentence)]
    return out


def _order_head(blocks: list[Block], i: int) -> bool:
    """"中华人民共和国国务院令" with "第707号" under it: a promulgation order starts here."""
    t = blocks[i].text
    return bool("令" in t[-2:] and P.ORDER_HEAD.match(t) and i + 1 < len(blocks)
                and P.ORDER_NUMBER.match(blocks[i + 1].text))


def _is_list_line(b: Block) -> bool:
    """A line of a list without text: 《title》s alone (lines of them join into one block), or a
    bare link (no Chinese at all)."""
    t = b.text
    return bool(_TITLE_LIST.fullmatch(t) or _BARE_LINK.fullmatch(t))


def _detach_trailing_list(doc: RawDocument) -> list[Block]:
    """A compilation's closing list of titles (a category heading, then 《…》 lines) is no text of
    the document before it (private-enterprise compilation: "7. 四季度出台“十四五”规划汇总" and 15
    titles after the last document). Returns the blocks taken off."""
    j = len(doc.blocks)
    while j > 1 and _is_list_line(doc.blocks[j - 1]):
        j -= 1
    n_list = len(doc.blocks) - j
    head = doc.blocks[j - 1].text if j > 1 else ""
    heading = bool(_category(doc.blocks[j - 1]) or (marker_of(head) and len(head) <= 30
                                                    and not _HEADING_PUNCT.search(head)))
    if n_list >= 2 and j > 1 and heading and j - 1 > doc.title_index:
        cut = doc.blocks[j - 1:]
        del doc.blocks[j - 1:]
        return cut
    return []


def _category(b: Block) -> str | None:
    """Compilation/gazette category headings that sit between documents."""
    t = b.text
    c = t[:1]
    if c == "【":
        m = _BRACKETED.fullmatch(t)
        return m.group(1) if m else None
    if not ("0" <= c <= "9" and len(t) <= 16):  # a "num" marker starts with a digit
        return None
    mk = marker_of(t)
    if mk and mk[0] == "num" and not _HEADING_PUNCT.search(t):
        return t[mk[2]:]
    return None


def split_documents(blocks: list[Block]) -> tuple[list[RawDocument], list[Block]]:
    """Return the documents and the front matter (masthead, TOC) that precedes them."""
    docs: list[RawDocument] = []
    front: list[Block] = []
    cur: RawDocument | None = None
    for i, b in enumerate(blocks):
        if _order_head(blocks, i):
            # 国务院令 第707号: the order, its signature and date, then the promulgated text.
            category = _category(cur.blocks.pop()) if cur and cur.blocks and _category(cur.blocks[-1]) else None
            m = P.ORDER_NUMBER.match(blocks[i + 1].text)
            cur = RawDocument([b], 0, category, order_issuer=P.ORDER_HEAD.match(b.text).group(1),
                              order_number=int(m.group(1)) if m else None)
            docs.append(cur)
            continue
        after_attachment = i > 0 and blocks[i - 1].text.startswith("附件") and bool(
            _BARE_ATTACHMENT.fullmatch(blocks[i - 1].text))
        how = _confirmation(blocks, i) if is_title(b) and not after_attachment else None
        if how and cur and cur.order_issuer and cur.promulgated is None:
            cur.promulgated = len(cur.blocks)  # the promulgated text's title: the order's document
            cur.blocks.append(b)
            continue
        after_category = bool(cur and cur.blocks and _category(cur.blocks[-1]))
        # Past a 附件 marker a weakly confirmed title is an attachment, unless the attachments were
        # named (附件2：案例) and this is not one of them.
        named = cur is not None and cur.attachments_named
        if how and cur and (_continues(cur, b) or (cur.in_attachments and how not in ("docnum", "chapter")
                                                     and not after_category and not named
                                                     and not _issuer_prefixed(b.text))):
            how = None  # the issued text, or an attachment (a form, a list) of the current document
        if how:
            # A category heading right before the title belongs to the new document.
            category = None
            if cur and cur.blocks and _category(cur.blocks[-1]):
                category = _category(cur.blocks.pop())
            elif not cur and front and _category(front[-1]):
                category = _category(front[-1])
            cur = RawDocument([b], 0, category, _issued_titles(b.text))
            docs.append(cur)
            continue
        if cur is None:
            front.append(b)
            continue
        if P.ATTACHMENT.match(b.text):
            cur.in_attachments = True
            names = _attachment_names(b.text)
            cur.issued.extend(names)
            cur.attachments_named = cur.attachments_named or bool(names)
        elif "《" in b.text and not cur.in_attachments and len(cur.blocks) <= 8:
            cur.issued.extend(_issued_in(b.text))
        cur.blocks.append(b)
    for d in docs:
        _detach_trailing_list(d)
    return docs, front


def _attachment_names(text: str) -> list[str]:
    m = P.ATTACHMENT.match(text)
    if not m or not m.group(2):
        return []
    parts = _NUMBERED_PARTS.split(m.group(2))
    return [_key(p) for p in parts if len(p) >= 4]
