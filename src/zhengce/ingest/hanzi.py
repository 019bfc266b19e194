"""Traditional → simplified characters for the normalised copy (人員 → 人员).

Converted gazettes occasionally carry a traditional character (the corpus has 員 試 學 習 in
otherwise simplified text), which breaks matching against the simplified query. OpenCC's
``t2s`` config converts them; on the corpus it runs at about 100 MB/s, so it is cheap enough to
apply to every document. Only the normalised copy is converted; raw text is never altered.

OpenCC's phrase tables can in principle change a string's length, so callers that keep
offsets into the raw text should convert per line (or check lengths) rather than per file.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import logging
import re

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _converter():
    """The t2s converter, built once (loading the dictionaries costs milliseconds)."""
    try:
        import opencc
        try:
            return opencc.OpenCC("t2s")
        except Exception:  # older builds name the config file
            return opencc.OpenCC("t2s.json")
    except Exception as e:  # missing wheel or dictionaries: degrade to no conversion
        log.warning("opencc unavailable (%s); traditional characters are left as they are", e)
        return None


# Characters t2s changes only inside a phrase of TSPhrases (反覆 → 反复, 沈澱 → 沉淀, 瞭解 → 了解),
# never standing alone: OpenCC 1.4.2's data/dictionary/TSPhrases.txt diffed against the
# one-character conversion below.
_PHRASE_ONLY = "么俱哩坏彷沈甦瞭藉衹覆"
_VARIATION_SELECTORS = "\ufe00-\ufe0f"
_CODE_POINTS = [chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000]  # the BMP
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # (``max(text)`` would build a string per character)


@functools.lru_cache(maxsize=1)
def _may_change() -> re.Pattern[str] | None:
    """A pattern for the characters a conversion can change: a text holding none comes back as it is.

    Every character of the BMP the converter changes on its own (asked once, all in one call: a
    newline between them, so no phrase spans two), the phrase-only ones, and variation selectors;
    a text with a character beyond the BMP (extension B ideographs) is always converted, which keeps
    the class within the BMP, where the regex engine tests it with one table lookup. Nearly every
    text of the library is simplified already; the scan costs a fraction of the conversion.
    """
    conv = _converter()
    if conv is None:
        return None
    out = conv.convert("\n".join(_CODE_POINTS)).split("\n")
    if len(out) != len(_CODE_POINTS):  # a converter that joins lines: no shortcut
        return None
    chars = {c for c, o in zip(_CODE_POINTS, out, strict=True) if o != c} | set(_PHRASE_ONLY)
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + _VARIATION_SELECTORS + "]")


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified; unchanged when OpenCC is missing.

    ASCII-only strings skip the converter entirely (the common case for numbers and markers), and
    so do texts without a character the conversion could change (``_may_change``).
    """
    if not text or text.isascii():
        return text
    conv = _converter()
    if conv is None:
        return text
    changing = _may_change()
    if changing is not None and not _ASTRAL.search(text) and not changing.search(text):
        return text
    return conv.convert(text)


def simplify_lines(texts: list[str]) -> list[str]:
    """``texts`` (one file's blocks) converted, sending only those that hold a character the
    conversion can change through the converter.

    The same as converting the texts joined by newlines and splitting the result: OpenCC's
    phrases never span a newline, so each line converts as it would alone. As before, texts that
    hold a newline themselves (the split would not give them back) are left as they are.
    """
    joined = "\n".join(texts)
    if not joined or joined.isascii() or joined.count("\n") != len(texts) - 1:
        return texts
    conv = _converter()
    if conv is None:
        return texts
    changing = _may_change()
    if changing is None or _ASTRAL.search(joined):
        out = conv.convert(joined).split("\n")
        return out if len(out) == len(texts) else texts
    hits = [m.start() for m in changing.finditer(joined)]
    if not hits:
        return texts
    ends = list(itertools.accumulate(len(t) + 1 for t in texts))  # offset just past each text's newline
    out = list(texts)
    for i in sorted({bisect.bisect_right(ends, h) for h in hits}):
        converted = conv.convert(texts[i])
        if "\n" in converted:  # the file-wide split would have come apart: convert nothing
            return texts
        out[i] = converted
    return out


def has_opencc() -> bool:
    """Whether conversion is active (for diagnostics and tests)."""
    return _converter() is not None
