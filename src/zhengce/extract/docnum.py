"""发文字号 (document numbers): find them in text and canonicalise them.

Canonical form (GB/T 9704): 机关代字 + 〔年份〕 + 序号 + 号, no spaces: ``京政发〔2021〕34号``.
In the wild the brackets are 〔〕 [] () 【】 ［］ （）, with stray spaces, split across lines
(西行规发 / 〔2018〕5号), or English (``Jingzhengfa〔2021〕No. 34``).
"""

from __future__ import annotations

import re

# 机关代字: 1-12 CJK chars (京政发, 西政办发, 工信部联企业, 京人社市场字); the year in any bracket.
_OPEN = "〔\\[（(【［"
_CLOSE = "〕\\]）)】］"
DOC_NUMBER = re.compile(
    rf"(?P<org>[\u4e00-\u9fff]{{1,14}})\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d\d)\s*[{_CLOSE}]\s*"
    rf"(?:第\s*)?(?P<seq>\d{{1,5}})\s*号"
)
# e.g. 国家税务总局公告2021年第30号, 国务院令第735号 (corpus: private-enterprise compilation)
ANNOUNCEMENT = re.compile(r"(?P<org>[\u4e00-\u9fff]{2,20}(?:公告|令))\s*(?:(?P<year>(?:19|20)\d\d)年)?第\s*(?P<seq>\d{1,5})\s*号")

# Words that end a sentence fragment before the 机关代字 in running text (…通知》(国办函…).
_LEAD_NOISE = re.compile(r"^.*?(?:的通知|通知|意见|规定|办法|决定|印发|依据|根据|按照|落实|参照|和|及|与|、)")


def canonical_doc_number(s: str) -> str | None:
    """Canonical form of a single 文号 string, or None when it is not one.

    >>> canonical_doc_number("京政办发 [2021] 18 号")
    '京政办发〔2021〕18号'
    >>> canonical_doc_number("西行规发\\n〔2018〕5号")
    '西行规发〔2018〕5号'
    """
    m = DOC_NUMBER.search(re.sub(r"\s+", "", s))
    if not m:
        return None
    return f"{m['org']}〔{m['year']}〕{int(m['seq'])}号"


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """All 文号 in running text as (start, end, canonical). Whitespace inside is tolerated."""
    out = []
    if "号" not in text:
        return out
    for m in DOC_NUMBER.finditer(text):
        org = m["org"]
        # Strip leading prose glued to the 机关代字 (…的通知》(国办函〔2021〕39号)).
        trimmed = _LEAD_NOISE.sub("", org) or org
        start = m.start() + (len(org) - len(trimmed))
        out.append((start, m.end(), f"{trimmed}〔{m['year']}〕{int(m['seq'])}号"))
    return out
