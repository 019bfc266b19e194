"""Radical code points → the ideographs they stand for (⽂ → 文, ⻚ → 页), for the normalised copy.

CJK fonts draw a radical and the ideograph of the same shape with one glyph; a PDF writer's
ToUnicode map then names that glyph by the radical's code point, so text extracted from a
Chromium print of a gov.cn page reads "中国政府⽹ | ⾸⻚", "国务院⽂件", "意⻅" (GUIDE "PDF text").
Kangxi Radicals (U+2F00–U+2FD5) have NFKC decompositions to the ideographs; the CJK Radicals
Supplement (U+2E80–U+2EF3) mostly has none, so the simplified forms that stand alone as
ideographs (⻚ 页, ⺠ 民, ⻅ 见, ⻓ 长, ⻔ 门 …) are listed here by hand. Component-only forms
(⺅ 亻, ⺡ 氵) map to their ideograph code points too; they never stand alone in prose.
"""

from __future__ import annotations

import unicodedata

# U+2E80–U+2EF3 without an NFKC mapping, each to the ideograph of the same glyph in CJK fonts.
_SUPPLEMENT = {
    "⺁": "厂", "⺃": "乚", "⺅": "亻", "⺆": "冂", "⺉": "刂", "⺊": "卜", "⺋": "㔾", "⺎": "兀", "⺏": "尣",
    "⺐": "尢", "⺒": "巳", "⺓": "幺", "⺔": "彑", "⺖": "忄", "⺗": "㣺", "⺘": "扌", "⺙": "攵", "⺛": "旡",
    "⺝": "月", "⺞": "歺", "⺠": "民", "⺡": "氵", "⺢": "氺", "⺣": "灬", "⺤": "爫", "⺦": "丬", "⺨": "犭",
    "⺩": "王", "⺪": "疋", "⺫": "罒", "⺬": "示", "⺭": "礻", "⺮": "竹", "⺯": "糹", "⺰": "纟", "⺷": "羊",
    "⺹": "耂", "⺺": "肀", "⺻": "聿", "⺽": "臼", "⺾": "艹", "⻁": "虎", "⻂": "衤", "⻃": "覀", "⻄": "西",
    "⻅": "见", "⻆": "角", "⻈": "讠", "⻉": "贝", "⻋": "车", "⻌": "辶", "⻏": "阝", "⻐": "钅", "⻑": "長",
    "⻓": "长", "⻔": "门", "⻖": "阝", "⻗": "雨", "⻘": "青", "⻙": "韦", "⻚": "页", "⻛": "风", "⻜": "飞",
    "⻝": "食", "⻟": "飠", "⻠": "饣", "⻢": "马", "⻣": "骨", "⻤": "鬼", "⻥": "鱼", "⻦": "鸟", "⻧": "卤",
    "⻨": "麦", "⻩": "黄", "⻪": "黾", "⻬": "齐", "⻮": "齿", "⻰": "龙", "⻱": "龜", "⻲": "亀",
}

RADICALS: dict[int, str] = {}
for _c in list(range(0x2E80, 0x2EF4)) + list(range(0x2F00, 0x2FD6)):
    _ch = chr(_c)
    _to = _SUPPLEMENT.get(_ch) or unicodedata.normalize("NFKC", _ch)
    if _to != _ch:
        RADICALS[_c] = _to
RADICAL_CHARS = "".join(chr(c) for c in sorted(RADICALS))
