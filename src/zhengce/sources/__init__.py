"""Readers: one per format, each turning a file into ``SourceText`` (lines with provenance).

``read_source`` picks the reader by extension and refuses what is not a policy text with a
``SourceError`` that names the file. Formats: ``.txt``/``.md`` (UTF-8, UTF-16 with BOM,
GB18030/GBK/Big5 detected), ``.pdf`` (pypdf, one line per text line with its page), ``.docx``
(python-docx, paragraphs and tables in body order), ``.html`` (selectolax, block elements as
lines), ``.xlsx``/``.xls`` (openpyxl/xlrd, rows as TSV), ``.doc``/``.wps``/``.et`` (LibreOffice
headless, then the DOCX/XLSX reader) and ``.ofd`` (ofdkit, lines with their pages). Tables come
out as tab-separated rows, like the corpus TSV, so ingest treats them alike.
"""

from __future__ import annotations

from .reader import READERS, read_source

__all__ = ["READERS", "read_source"]
