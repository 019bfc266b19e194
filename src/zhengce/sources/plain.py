"""Plain text and Markdown: decode the bytes, split into numbered lines.

Gazette text arrives as UTF-8 (with or without BOM), sometimes as GB18030/GBK from older
systems, occasionally UTF-16 from Windows tools. A BOM is trusted; otherwise UTF-8 is tried and,
failing that, charset-normalizer names the encoding (GB2312/GBK are decoded as their superset
GB18030). A file that decodes only to control characters is binary and refused.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..errors import SourceError
from ..model import SourceLine

# Longest BOM first: the UTF-32-LE BOM starts with the UTF-16-LE one.
BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# File signatures of what people drop into a folder of texts by mistake.
MAGIC: list[tuple[bytes, str]] = [
    (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP/DOCX/XLSX"), (b"\xd0\xcf\x11\xe0", "Office 97 (.doc/.xls)"),
    (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"\x7fELF", "ELF"),
    (b"\x1f\x8b", "gzip"), (b"Rar!", "RAR"), (b"7z\xbc\xaf", "7z"),
]
# Legacy Chinese encodings and the superset that decodes every file written in them.
SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "hz": "gb18030", "gb18030": "gb18030",
            "big5": "cp950", "cp950": "cp950", "big5hkscs": "big5hkscs"}
OTHER_CJK = {"cp949", "euc_kr", "johab", "iso2022_kr", "shift_jis", "cp932", "euc_jp", "shift_jis_2004",
             "shift_jisx0213", "euc_jis_2004", "euc_jisx0213", "iso2022_jp",
             # UTF-16/32 without a BOM: short CJK byte runs of even length fool the detector
             "utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"}
# Characters no policy text contains: C0/C1 controls (bar tab, newlines, form feed), private use, U+FFFD.
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffd]")
DETECT_SAMPLE = 256 * 1024  # enough for charset-normalizer; keeps detection O(1) on huge files


def read_text(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    text, enc = decode_text(path, data)
    return "txt", enc, split_lines(text)


def read_markdown(path: str, data: bytes) -> tuple[str, str | None, list[SourceLine]]:
    text, enc = decode_text(path, data)
    return "md", enc, split_lines(text)


def split_lines(text: str) -> list[SourceLine]:
    """One ``SourceLine`` per line as an editor numbers them (a final newline adds no line)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = text.split("\n")
    if parts and parts[-1] == "":
        parts.pop()
    return [SourceLine(t, i) for i, t in enumerate(parts, 1)]


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """Decode bytes to text and name the encoding; refuse binary files and undecodable text."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError as e:
                raise SourceError(path, f"文件以 {enc} 字节序标记开头，但内容无法按 {enc} 解码 "
                                        f"(bad {enc} at byte {e.start + len(bom)})") from e
    for magic, kind in MAGIC:
        if data.startswith(magic):
            raise SourceError(path, f"二进制文件，不是文本 (binary file: looks like {kind})",
                              hint="请使用正确的扩展名" if kind in ("PDF", "ZIP/DOCX/XLSX") else None)
    if b"\x00" in data:
        raise SourceError(path, "二进制文件，不是文本 (binary file: contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    enc = detect_encoding(data)
    if enc is None:
        raise SourceError(path, "二进制文件或无法识别的文本编码 (binary file or unknown encoding)")
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as e:
        raise SourceError(path, f"编码混杂，按 {enc} 解码失败 (mixed encoding: bad byte at {e.start})") from e
    if not plausible(text):
        raise SourceError(path, f"二进制文件，不是文本 (binary file: decodes as {enc} to control characters)")
    return text, enc


def detect_encoding(data: bytes) -> str | None:
    """Ask charset-normalizer about a sample cut at a line end (a cut mid-character misleads it)."""
    sample = data
    if len(data) > DETECT_SAMPLE:
        cut = data.rfind(b"\n", 0, DETECT_SAMPLE)
        sample = data[:cut] if cut > DETECT_SAMPLE // 2 else data[:DETECT_SAMPLE]
    best = from_bytes(sample).best()
    if best is None:
        return None
    name = best.encoding.lower().replace("-", "_")
    if name in OTHER_CJK:
        # A few lines of GBK/Big5 look like Korean, Japanese or UTF-16 to a statistical detector; this is
        # a library of Chinese policy texts, so ask again among the Chinese encodings only.
        chinese = from_bytes(sample, cp_isolation=["gb18030", "cp950"]).best()
        if chinese is not None:
            name = chinese.encoding.lower().replace("-", "_")
    return SUPERSET.get(name.replace("_", ""), SUPERSET.get(name, name))


def plausible(text: str) -> bool:
    """True when control/private-use characters are rare enough for this to be a text."""
    junk = len(_JUNK.findall(text))
    return junk <= max(2, len(text) // 200)
