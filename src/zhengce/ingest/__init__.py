"""Ingest: clean/repair lines, split into 公文, read metadata, build the provision tree.

``parse_source(SourceText) -> list[Document]`` is the one entry point.
"""

from __future__ import annotations

from .pipeline import parse_source

__all__ = ["parse_source"]
