"""Text normalisation shared by every stage.

``normalize`` is exactly the comparison rule of ``shared/eval/README.md`` (NFKC, then every
whitespace character removed); ``match_key`` is what search and matching compare on.
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")


def normalize(s: str) -> str:
    """NFKC, then remove every whitespace character (the eval's text matching rule)."""
    return _WS.sub("", unicodedata.normalize("NFKC", s))


def contains(passage: str, quote: str) -> bool:
    """True when ``quote`` "is in" ``passage`` under the eval rule."""
    return normalize(quote) in normalize(passage)
