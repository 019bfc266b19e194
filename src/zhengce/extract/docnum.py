"""发文字号 (document numbers): find them in text and canonicalise them.

Canonical form (GB/T 9704): 机关代字 + 〔年份〕 + 序号 + 号, no spaces: ``京政发〔2021〕34号``.
In the wild the brackets are 〔〕 [] () 【】 ［］ （）, with stray spaces, split across lines
(西行规发 / 〔2018〕5号), or English (``Jingzhengfa〔2021〕No. 34``).

Decrees and announcements are numbered differently — ``国务院令第735号``, ``交通运输部令2020年第22号``,
``国家税务总局公告2021年第30号`` — and the same one is written several ways (``国家税务总局2021年第18号公告``,
``中华人民共和国国务院令第142号`` = ``国令第142号``); :func:`number_key` folds those spellings together so
references resolve and score on what the number *is*, not how one text spelt it.
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
# Decrees and announcements (corpus: private-enterprise compilation, State Council pages):
# 国家税务总局公告2021年第30号, 国务院令第735号, 交通运输部令2020年第22号, 国令第707号,
# 国家税务总局2021年第18号公告 (kind after the number), 财政部商务部税务总局2019年第91号 (no kind word).
DECREE = re.compile(
    r"(?P<org>[\u4e00-\u9fff]{1,24}?)\s*(?P<kind>公告|令)?\s*(?:(?P<year>(?:19|20)\d\d)\s*年\s*)?"
    r"第\s*(?P<seq>\d{1,5})\s*号(?P<kind2>公告)?"
)
# Without a kind word a year-numbered item is a 文号 only when an authority issues it ("…总局2019年第91号"),
# not "第二批2021年第3号" prose.
_AUTHORITY_END = re.compile(r"(?:部|局|总局|委|署|院|厅|办|政府|银行|会)$")
ANNOUNCEMENT = DECREE  # old name
# The parts every match holds. Both patterns lead with a run of CJK characters, which the regex
# engine tries at every position of the text; these lead with a bracket or 第 and are found by a
# fast scan, so a text holding neither is skipped without running the full patterns.
_NUMBER_TAIL = re.compile(rf"[{_OPEN}]\s*(?P<year>(?:19|20)\d\d)\s*[{_CLOSE}]\s*(?:第\s*)?(?P<seq>\d{{1,5}})\s*号")
_DECREE_CORE = re.compile(r"第\s*\d{1,5}\s*号")

# Words that end a sentence fragment before the 机关代字 in running text (…通知》(国办函…).
_LEAD_NOISE = re.compile(r"^.*(?:的通知|通知|意见|规定|办法|决定|印发|依据|根据|按照|落实|参照|执行|要求|"
                         r"和|及|与|、|符合|为准|以)")


def canonical_doc_number(s: str) -> str | None:
    """Canonical form of a single 文号 string, or None when it is not one.

    >>> canonical_doc_number("京政办发 [2021] 18 号")
    '京政办发〔2021〕18号'
    >>> canonical_doc_number("西行规发\\n〔2018〕5号")
    '西行规发〔2018〕5号'
    >>> canonical_doc_number("国务院令第 735 号")
    '国务院令第735号'
    """
    found = find_doc_numbers(re.sub(r"\s+", "", s))
    return found[0][2] if found else None


def _trim(org: str) -> str:
    """Drop prose glued before the 机关代字; 中华人民共和国 is a name, not "…和" + "国"."""
    i = org.rfind("中华人民共和国")
    if i >= 0:
        return org[i:]
    return _LEAD_NOISE.sub("", org) or org


def _doc_number_matches(text: str):
    """What ``DOC_NUMBER.finditer(text)`` finds, as (start, end, org, year, seq), found from the
    bracketed year instead of trying the 机关代字 run at every character.

    The 机关代字 is CJK and the bracket is not, so a match's org is the CJK run right before the
    bracket (and its whitespace), at most 14 long, starting after the previous match: its leftmost
    start is where the regex would find it."""
    prev_end = 0
    for t in _NUMBER_TAIL.finditer(text):
        w = t.start()
        while w > prev_end and text[w - 1].isspace():  # str.isspace is the \s of re
            w -= 1
        p, lo = w, max(w - 14, prev_end)
        while p > lo and "\u4e00" <= text[p - 1] <= "\u9fff":
            p -= 1
        if p == w:
            continue
        prev_end = t.end()
        yield p, t.end(), text[p:w], t["year"], t["seq"]


def find_doc_numbers(text: str) -> list[tuple[int, int, str]]:
    """All 文号 in running text as (start, end, canonical), in text order. Whitespace inside is tolerated."""
    out: list[tuple[int, int, str]] = []
    if "号" not in text:
        return out
    taken: list[tuple[int, int]] = []
    for m_start, m_end, org, year, seq in _doc_number_matches(text):
        trimmed = _trim(org)
        start = m_start + (len(org) - len(trimmed))
        out.append((start, m_end, f"{trimmed}〔{year}〕{int(seq)}号"))
        taken.append((m_start, m_end))
    if "第" in text and _DECREE_CORE.search(text):
        for m in DECREE.finditer(text):
            kind = m["kind"] or m["kind2"]
            org = _trim(m["org"])
            start = m.end("org") - len(org)
            if any(s < m.end() and start < e for s, e in taken):
                continue
            if not org or (not kind and not (m["year"] and _AUTHORITY_END.search(org))):
                continue
            if not kind and not m["year"]:
                continue
            year = f"{m['year']}年" if m["year"] else ""
            canon = f"{org}{kind or ''}{year}第{int(m['seq'])}号"
            out.append((start, m.end(), canon))
    out.sort()
    return out


def number_key(canon: str | None) -> str | None:
    """The identity of a 文号 across spellings: 公告/令 words dropped, 中华人民共和国国务院 = 国务院 = 国.

    >>> number_key("国家税务总局2021年第18号公告") == number_key("国家税务总局公告2021年第18号")
    True
    >>> number_key("中华人民共和国国务院令第142号") == number_key("国令第142号")
    True
    """
    if not canon:
        return None
    s = re.sub(r"\s+", "", canon)
    if "〔" in s or "[" in s:
        return canonical_doc_number(s) if "[" in s else s
    m = DECREE.fullmatch(s)
    if not m:
        return s
    org = m["org"].removeprefix("中华人民共和国")
    org = "国" if org in ("国务院", "国") else org
    return f"{org}|{m['year'] or ''}|{int(m['seq'])}"
