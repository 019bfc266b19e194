"""A page's metadata block (``SourceText.meta``) reconciled with what the document itself says.

The block (索引号, 主题分类, 发文机关, 成文日期, 标题, 发文字号, 发布日期) is the publisher's
catalogue record: usually right, not always (a 成文日期 typed as 04-17 where the signature
reads 二〇〇四年四月二十七日). The rules:

- the body's own signature date wins over the block's 成文日期; a disagreement is kept as a note;
- the body's title and 文号 line win too (a disagreement is a note), the block fills them when
  the body lacks them; issuers signed in the body win, issuers only inferred from the title
  ("国务院办公厅关于…") give way to the block's explicit 发文机关;
- 发布日期, 主题分类 and 索引号 exist only in the block;
- ``field_sources`` says where every field came from, so a reader can judge it.

One block describes one catalogue entry, so a page with a block is one document: texts that the
splitter took for documents of their own (the two 规定 a notice 印发s without naming them in
《》, the 条例 a 国务院令 promulgates) are folded into the one the block names.
"""

from __future__ import annotations

import datetime as dt
import re

from ..extract.docnum import ANNOUNCEMENT, canonical_doc_number
from ..model import Document
from .clean import Block
from .meta import parse_date
from .split import RawDocument

BLOCK = "metadata-block"
# How each field and source is named to people (CLI ``show``, the document page).
FIELD_LABELS = {"title": "标题", "doc_number": "发文字号", "issuers": "发文机关", "date": "成文日期",
                "published": "发布日期", "subject": "主题分类", "index_no": "索引号"}
SOURCE_LABELS = {"body": "正文", "signature": "正文落款", "title": "标题", BLOCK: "页面信息栏"}
_ISO = re.compile(r"((?:19|20)\d\d)\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})")
_CN_DATE = re.compile(r"((?:19|20)\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_NUMBER_AS_WRITTEN = re.compile(r"[\u4e00-\u9fff]{1,20}(?:(?:19|20)\d\d年)?第\d{1,5}号")
_ISSUER_SEP = re.compile(r"[、，,；;\s]+")
_SPACES = re.compile(r"\s+")
_TITLE_KEY_DROP = re.compile(r"[\s《》〈〉“”\"'()（）]")


def block_date(value: str | None) -> dt.date | None:
    """2019年01月09日, 2019-01-09, 2019/1/9, 二〇〇四年八月十二日."""
    if not value:
        return None
    for rx in (_CN_DATE, _ISO):
        m = rx.search(value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return parse_date(value.strip())


def block_doc_number(value: str | None) -> str | None:
    """The block's 发文字号 in canonical form (国办发〔2019〕3号, 国令第707号), or None."""
    if not value:
        return None
    canon = canonical_doc_number(value)
    if canon:
        return canon
    bare = _SPACES.sub("", value)
    m = ANNOUNCEMENT.search(bare)
    if m:
        org = m["org"]
        return f"{org}{m['year'] + '年' if m['year'] else ''}第{int(m['seq'])}号"
    if _NUMBER_AS_WRITTEN.fullmatch(bare):  # 国令第707号: a short 代字, 第, the number
        return bare
    return None


def block_issuers(value: str | None) -> list[str] | None:
    """"国务院、中央军委" is two issuers."""
    if not value:
        return None
    names = [n for n in _ISSUER_SEP.split(value.strip()) if n]
    return names or None


def title_key(title: str) -> str:
    return _TITLE_KEY_DROP.sub("", title)


def fold_into_block_document(raws: list[RawDocument], meta: dict[str, str]) -> list[RawDocument]:
    """One document for a page with a metadata block: the one whose title the block names.

    Without a block title, or with one document already, nothing changes.
    """
    if len(raws) < 2 or not meta.get("title"):
        return raws
    key = title_key(meta["title"])
    named = next((i for i, rd in enumerate(raws) if title_key(rd.blocks[rd.title_index].text) == key), 0)
    blocks: list[Block] = [b for rd in raws for b in rd.blocks]
    offset = sum(len(rd.blocks) for rd in raws[:named])
    first = raws[named]
    return [RawDocument(blocks, offset + first.title_index, first.category, first.issued)]


def untitled_document(blocks: list[Block], meta: dict[str, str]) -> list[RawDocument]:
    """A page the splitter found no document in, but whose block names one: all of it, titled.

    The title block is the line that equals the block's title when there is one, else the first.
    """
    if not blocks or not meta.get("title"):
        return []
    key = title_key(meta["title"])
    idx = next((i for i, b in enumerate(blocks[:20]) if title_key(b.text) == key), 0)
    return [RawDocument(blocks, idx)]


def reconcile(doc: Document, found: dict, meta: dict[str, str]) -> None:
    """Fill ``doc`` from the block where the body is silent; record sources and conflicts."""
    src = doc.field_sources
    if found.get("title_from_body", True):
        src["title"] = "body"
    if doc.doc_number:
        src["doc_number"] = "body"
    if doc.date:
        src["date"] = "signature"
    if doc.issuers:
        src["issuers"] = found.get("issuers_from") or "signature"
    if not meta:
        return
    title = meta.get("title")
    if title:
        if not found.get("title_from_body", True):
            doc.title = title
            src["title"] = BLOCK
        elif title_key(title) != title_key(doc.title):
            doc.notes.append(f"标题：正文为“{doc.title}”，信息公开栏为“{title}”，以正文为准")
    _fill_or_note(doc, "doc_number", block_doc_number(meta.get("doc_number")), "发文字号", "正文")
    _fill_or_note(doc, "date", block_date(meta.get("date")), "成文日期", "正文落款")
    issuers = block_issuers(meta.get("issuers"))
    if issuers:
        _reconcile_issuers(doc, issuers)
    published = block_date(meta.get("published"))
    if published:
        doc.published = published
        src["published"] = BLOCK
    if meta.get("subject"):
        doc.subject = meta["subject"]
        src["subject"] = BLOCK
    if meta.get("index_no"):
        doc.index_no = meta["index_no"]
        src["index_no"] = BLOCK


def _fill_or_note(doc: Document, name: str, value, label: str, body: str) -> None:
    """The body's value wins; the block fills a field the body lacks and a disagreement is noted."""
    if value is None:
        return
    current = getattr(doc, name)
    if current is None:
        setattr(doc, name, value)
        doc.field_sources[name] = BLOCK
    elif current != value:
        def show(v) -> str:
            return v.isoformat() if hasattr(v, "isoformat") else str(v)
        doc.notes.append(f"{label}：{body}为 {show(current)}，信息公开栏为 {show(value)}，以{body}为准")


def _reconcile_issuers(doc: Document, issuers: list[str]) -> None:
    src = doc.field_sources
    if not doc.issuers:
        doc.issuers, src["issuers"] = issuers, BLOCK
        return
    same = "".join(_ISSUER_SEP.sub("", n) for n in doc.issuers) == "".join(issuers)
    if same:
        if len(issuers) > len(doc.issuers):  # "国务院、中央军委" read as one name from the title
            doc.issuers = issuers
            src["issuers"] = f"{src.get('issuers', 'body')}+{BLOCK}"
        return
    if src.get("issuers") == "title":  # only inferred from the title: the block says it outright
        doc.notes.append(f"发文机关：标题推断为 {'、'.join(doc.issuers)}，信息公开栏为 {'、'.join(issuers)}，"
                         "以信息公开栏为准")
        doc.issuers, src["issuers"] = issuers, BLOCK
        return
    doc.notes.append(f"发文机关：正文署名为 {'、'.join(doc.issuers)}，信息公开栏为 {'、'.join(issuers)}，"
                     "以正文署名为准")
