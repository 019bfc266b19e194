"""References from a provision to other documents: 《title》 and/or a 文号, and repeals.

Pure function of a document; the results link documents both ways (cites / cited by).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

from ..ingest.patterns import DOC_TYPES
from ..model import Document, Reference
from ..store import documents as store_docs
from .docnum import find_doc_numbers

TITLE = re.compile(r"《([^《》]{2,120})》")
# A 《…》 names a document when it ends like one (法, 条例, 通知, 规划 …); forms and certificates
# (《开户许可证》, 《西城区就业见习生活补贴申请表》) are not references.
DOC_TITLE_END = re.compile(r"(?:" + "|".join(DOC_TYPES) + r"|法|条例|公约|标准|规范|纲要|目录|(?:\(|（)[^()（）]{2,16}(?:\)|）))$")
REPEAL = re.compile(r"(同时)?(废止|停止执行|不再执行)")


def extract_references(doc: Document) -> list[Reference]:
    out: list[Reference] = []
    for p in doc.provisions:
        text = p.text
        if "《" not in text and "号" not in text:
            continue
        nums = find_doc_numbers(text)
        used: set[int] = set()
        for m in TITLE.finditer(text):
            title = m.group(1)
            if doc.short_title and title == doc.short_title:
                continue
            num = None
            for i, (s, _e, canon) in enumerate(nums):
                if i not in used and 0 <= s - m.end() <= 3:  # 《…》(国办函〔2021〕39号)
                    num = canon
                    used.add(i)
                    break
            if num is None and not DOC_TITLE_END.search(title):
                continue
            window = text[m.end(): m.end() + 30]
            out.append(Reference(doc.key, p.cid, title, num, m.group(0), repeal=bool(REPEAL.search(window))))
        for i, (s, e, canon) in enumerate(nums):
            if i in used or canon == doc.doc_number:
                continue
            out.append(Reference(doc.key, p.cid, None, canon, text[s:e],
                                 repeal=bool(REPEAL.search(text[e: e + 30]))))
    return out


def save_references(conn: Connection, doc: Document, refs: list[Reference]) -> None:
    if refs:
        conn.execute(store_docs.references.insert(), [
            dict(doc_key=r.doc_key, cid=r.cid, title=r.title, doc_number=r.doc_number,
                 raw=r.raw, repeal=r.repeal) for r in refs])


STAGE = ("references", extract_references, save_references)
