"""Dispatch by file extension; text files here, other formats in their own modules."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import SourceError
from ..model import SourceLine, SourceText

TEXT_EXTS = {".txt", ".md", ".text", ".markdown"}


def read_source(path: str | Path) -> SourceText:
    p = Path(path)
    if not p.is_file():
        raise SourceError(str(path), "不是可读取的文件 (not a readable file)")
    data = p.read_bytes()
    if not data.strip():
        raise SourceError(str(path), "文件为空 (empty file)")
    ext = p.suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    if ext in TEXT_EXTS or ext == "":
        text, enc = decode_text(str(path), data)
        lines = [SourceLine(t, i + 1) for i, t in enumerate(text.split("\n"))]
        return SourceText(str(path), p.name, sha, "md" if ext in (".md", ".markdown") else "txt", enc, lines)
    raise SourceError(str(path), f"不支持的文件格式 {ext} (unsupported format)",
                      hint="支持 .txt .md .pdf .docx .html")


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM); anything else must be proven text."""
    if b"\x00" in data[:4096]:
        raise SourceError(path, "二进制文件，不是文本 (binary file)")
    try:
        text = data.decode("utf-8-sig")
        enc = "utf-8"
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
            enc = "gb18030"
        except UnicodeDecodeError as e:
            raise SourceError(path, "无法识别的文本编码 (unknown encoding)") from e
    return text.replace("\r\n", "\n").replace("\r", "\n"), enc
