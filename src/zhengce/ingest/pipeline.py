"""``parse_source``: SourceText → list[Document] (blocks → documents → metadata → outline)."""

from __future__ import annotations

import re

from ..model import Document, SourceText
from .clean import build_blocks
from .meta import level_and_district, read_metadata
from .outline import build_outline
from .split import split_documents


def _gazette(front) -> str | None:
    names = [b.text for b in front[:12] if b.text.endswith("公报")]
    issue = next((m.group(0) for b in front[:12] for m in [re.search(r"第\d+期", b.text)] if m), None)
    if not names:
        return None
    return names[0] + (f" {issue}" if issue else "")


def parse_source(src: SourceText) -> list[Document]:
    blocks = build_blocks(src.lines)
    raws, front = split_documents(blocks)
    gazette = _gazette(front)
    stem = re.sub(r"\.[^.]+$", "", src.name)
    docs: list[Document] = []
    keys: set[str] = set()
    for n, rd in enumerate(raws, 1):
        meta = read_metadata(rd)
        key = meta["doc_number"] or f"{stem}#{n}"
        while key in keys:
            key += "+"
        keys.add(key)
        level, district = level_and_district(meta["issuers"], meta["doc_number"], meta["title"])
        doc = Document(
            key=key, source=src.name, source_path=src.source_path or src.name, title=meta["title"], short_title=meta["short_title"],
            doc_number=meta["doc_number"], issuers=meta["issuers"], date=meta["date"],
            addressees=meta["addressees"], doc_type=meta["doc_type"], level=level, district=district,
            note=meta["note"], effective=meta["effective"], trial=meta["trial"], gazette=gazette,
            category=rd.category, line_start=rd.blocks[0].line_start, line_end=rd.blocks[-1].line_end,
            raw="\n".join(b.raw for b in rd.blocks), text="\n".join(b.text for b in rd.blocks))
        doc.provisions = build_outline(key, rd.blocks, rd.title_index)
        docs.append(doc)
    return docs
