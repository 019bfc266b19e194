"""Dispatch by file extension: one reader module per format, one ``SourceError`` vocabulary.

Every reader takes ``(path, data)`` and returns ``(fmt, encoding, lines)``, or
``(fmt, encoding, lines, meta=meta)`` when the file states metadata apart from its text (a web
page's 索引号/发文字号 block: data for ingest, never re-parsed as lines); this module does the
checks they share (readable, not empty, some text at all) and turns any library failure into a
``SourceError`` naming the file, so no face ever shows a traceback for a bad file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from ..errors import SourceError
from ..model import SourceText
from . import ofd, office, pdf, plain, spreadsheet, webpage, word

Reader = Callable[[str, bytes], tuple]  # (fmt, encoding, lines[, meta])

READERS: dict[str, Reader] = {
    ".txt": plain.read_text, ".text": plain.read_text, "": plain.read_text,
    ".md": plain.read_markdown, ".markdown": plain.read_markdown,
    ".pdf": pdf.read_pdf,
    ".docx": word.read_docx,
    ".doc": office.read_doc, ".wps": office.read_wps,  # through LibreOffice headless
    ".xlsx": spreadsheet.read_xlsx, ".xlsm": spreadsheet.read_xlsx, ".xls": spreadsheet.read_xls,
    ".et": office.read_et,
    ".ofd": ofd.read_ofd,
    ".html": webpage.read_html, ".htm": webpage.read_html, ".xhtml": webpage.read_html,
}
MAX_BYTES = 512 * 2**20  # the largest gazette PDF seen is ~60 MB; beyond this it is not one policy file
SUPPORTED = ".txt .md .pdf .docx .doc .wps .xlsx .xls .et .ofd .html"


def read_source(path: str | Path) -> SourceText:
    """Read one file into lines with provenance, or raise ``SourceError`` saying why not."""
    p = Path(path)
    where = str(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise SourceError(where, f"不支持的文件格式 {p.suffix} (unsupported format)", hint=f"支持 {SUPPORTED}")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:  # read whole into memory below; a 2 GB dump must not take the machine down
            raise SourceError(where, f"文件过大 ({size // 2**20} MB，上限 {MAX_BYTES // 2**20} MB) (file too large)")
        data = p.read_bytes()
    except IsADirectoryError as e:
        raise SourceError(where, "是目录，不是文件 (is a directory)") from e
    except OSError as e:
        raise SourceError(where, f"无法读取文件 (cannot read: {e.strerror or e})") from e
    if not data.strip():
        raise SourceError(where, "文件为空 (empty file)")
    try:
        fmt, encoding, lines, *rest = reader(where, data)
    except SourceError:
        raise
    except RecursionError as e:
        raise SourceError(where, "文件结构嵌套过深 (nesting too deep)") from e
    except Exception as e:  # a library choked on a broken file: say so in one line
        raise SourceError(where, f"文件已损坏或格式不符 ({type(e).__name__}: {e})") from e
    if not any(line.text.strip() for line in lines):
        raise SourceError(where, "文件中没有可读取的文字 (no text found)",
                          hint="扫描件请先做文字识别" if fmt == "pdf" else None)
    meta = dict(rest[0]) if rest and rest[0] else {}
    return SourceText(where, p.name, hashlib.sha256(data).hexdigest(), fmt, encoding, lines, meta=meta)


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """Kept for callers of the first skeleton: decode bytes the way ``.txt`` files are decoded."""
    return plain.decode_text(path, data)
