"""PDF: one ``SourceLine`` per extracted text line, with its 1-based page.

pypdf (pure Python, well kept) reads text-layer PDFs, including CJK fonts with predefined
CMaps such as UniGB-UCS2-H. A PDF without ``%%EOF`` near its end was cut off in transfer;
pypdf would try to rebuild it and might return part of a document, so it is refused up
front. Encrypted PDFs are opened with the empty user password (the common "owner password
only" case) and refused otherwise. Scanned PDFs have no text layer; ``read_source`` refuses
them as "no text found".
"""

from __future__ import annotations

import io
import logging

from ..errors import SourceError
from ..model import SourceLine

EOF_WINDOW = 8192  # writers may append a few bytes of junk after %%EOF; a cut file has none


def read_pdf(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise SourceError(path, "不是 PDF 文件 (no %PDF header)")
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise SourceError(path, "PDF 文件不完整，可能传输中被截断 (truncated PDF: no %%EOF marker)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings would print beside our one line
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (FileNotDecryptedError, NotImplementedError, DependencyErrorTypes) as e:
                raise SourceError(path, f"PDF 已加密，无法读取 (encrypted PDF: {e})") from e
            if not ok:
                raise SourceError(path, "PDF 已加密，需要密码 (encrypted PDF needs a password)")
        lines: list[SourceLine] = []
        n = 0
        for pageno, page in enumerate(reader.pages, 1):
            text = page.extract_text() or ""
            for t in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
                n += 1
                lines.append(SourceLine(t, n, pageno))
    except FileNotDecryptedError as e:
        raise SourceError(path, f"PDF 已加密，无法读取 (encrypted PDF: {e})") from e
    except PdfReadError as e:
        raise SourceError(path, f"PDF 已损坏 (broken PDF: {e})") from e
    return "pdf", None, lines


try:  # decrypting AES needs the optional 'cryptography' package; pypdf says so with this error
    from pypdf.errors import DependencyError as DependencyErrorTypes
except ImportError:  # pragma: no cover - older pypdf
    DependencyErrorTypes = ImportError  # type: ignore[misc,assignment]
