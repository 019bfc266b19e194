"""``parse_source``: SourceText → list[Document] (blocks → documents → metadata → outline)."""

from __future__ import annotations

import re

from ..model import Document, SourceText
from .clean import build_blocks
from .meta import level_and_district, read_metadata
from .outline import build_outline
from .pagemeta import fold_into_block_document, reconcile, title_key, untitled_document
from .split import split_documents

_ISSUE = re.compile(r"第\d+期")  # a gazette's issue number
_SUFFIX = re.compile(r"\.[^.]+$")


def _gazette(front) -> str | None:
    names = [b.text for b in front[:12] if b.text.endswith("公报")]
    issue = next((m.group(0) for b in front[:12] for m in [_ISSUE.search(b.text)] if m), None)
    if not names:
        return None
    return names[0] + (f" {issue}" if issue else "")


def parse_source(src: SourceText) -> list[Document]:
    # A web page's lines are whole paragraphs: nothing to join across page breaks.
    blocks = build_blocks(src.lines, paragraphs=src.fmt == "html")
    raws, front = split_documents(blocks)
    untitled = False
    if src.meta:  # the page's metadata block names one document: find it, or make it
        if raws:
            raws = fold_into_block_document(raws, src.meta)
        else:
            raws = untitled_document(blocks, src.meta)
            untitled = bool(raws) and title_key(raws[0].blocks[raws[0].title_index].text) != title_key(
                src.meta["title"])
    gazette = _gazette(front)
    stem = _SUFFIX.sub("", src.name)
    docs: list[Document] = []
    keys: set[str] = set()
    for n, rd in enumerate(raws, 1):
        meta = read_metadata(rd)
        meta["title_from_body"] = not untitled
        doc = Document(
            key="", source=src.name, source_path=src.source_path or src.name, title=meta["title"],
            short_title=meta["short_title"],
            doc_number=meta["doc_number"], issuers=meta["issuers"], date=meta["date"],
            addressees=meta["addressees"], doc_type=meta["doc_type"],
            note=meta["note"], effective=meta["effective"], trial=meta["trial"], gazette=gazette,
            category=rd.category, line_start=rd.blocks[0].line_start, line_end=rd.blocks[-1].line_end,
            raw="\n".join(b.raw for b in rd.blocks), text="\n".join(b.text for b in rd.blocks))
        reconcile(doc, meta, src.meta if len(raws) == 1 else {})
        doc.level, doc.district = level_and_district(doc.issuers, doc.doc_number, doc.title)
        key = doc.doc_number or f"{stem}#{n}"
        while key in keys:
            key += "+"
        keys.add(key)
        doc.key = key
        doc.provisions = build_outline(key, rd.blocks, rd.title_index)
        docs.append(doc)
    return docs
