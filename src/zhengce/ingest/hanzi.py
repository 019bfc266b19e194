"""Traditional → simplified characters for the normalised copy (人員 → 人员).

Converted gazettes occasionally carry a traditional character (the corpus has 員 試 學 習 in
otherwise simplified text), which breaks matching against the simplified query. OpenCC's
``t2s`` config converts them; on the corpus it runs at about 100 MB/s, so it is cheap enough to
apply to every document. Only the normalised copy is converted; raw text is never altered.

OpenCC's phrase tables can in principle change a string's length, so callers that keep
offsets into the raw text should convert per line (or check lengths) rather than per file.
"""

from __future__ import annotations

import functools
import logging

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


def to_simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified; unchanged when OpenCC is missing.

    ASCII-only strings skip the converter entirely (the common case for numbers and markers).
    """
    if not text or text.isascii():
        return text
    conv = _converter()
    if conv is None:
        return text
    return conv.convert(text)


def has_opencc() -> bool:
    """Whether conversion is active (for diagnostics and tests)."""
    return _converter() is not None
