"""Temporary crude pipeline: one document per file, one provision per line (being replaced)."""

from __future__ import annotations

from ..model import Document, Provision, SourceText
from ..text import normalize


def parse_source(src: SourceText) -> list[Document]:
    doc = Document(key=src.name + "#1", source=src.name, title=src.name)
    for i, line in enumerate(src.lines):
        if line.text.strip():
            doc.provisions.append(Provision(f"{doc.key}/{i}", doc.key, 1, str(i), "", line.text,
                                            normalize(line.text), line.lineno, line.lineno, "paragraph", None, i))
    doc.raw = "\n".join(li.text for li in src.lines)
    doc.text = normalize(doc.raw)
    return [doc]
