"""Readers: one per format, each turning a file into ``SourceText`` (lines with provenance).

``read_source`` picks the reader by extension and refuses what is not a policy text with a
``SourceError`` that names the file.
"""

from __future__ import annotations

from .reader import read_source

__all__ = ["read_source"]
