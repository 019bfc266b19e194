"""Document metadata (GB/T 9704 elements) read from a split document's blocks."""

from __future__ import annotations

import datetime as dt
import re

from ..extract.docnum import canonical_doc_number
from . import patterns as P
from .clean import Block
from .split import RawDocument, is_addressee, is_date_line, is_docnum_line

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ISSUER_SPLIT = re.compile(r"(?<=[局委厅府会室部院心办])(?=北京市|中共|国家|国务院|中国|共青团)")
_TITLE_ISSUER = re.compile(r"^(.{2,80}?)(?:关于|印发|批转|转发)")
_EFFECTIVE = re.compile(r"(自[^。；]{0,30}?(?:施行|实施|执行)|[^。；，]{0,20}之日起[^。；]{0,20}(?:施行|实施|执行))")
_ORG_LINE = re.compile(r"^[\u4e00-\u9fff\s/]{3,60}$")
_MARKUP = re.compile(r"[*#]")
_SPACES = re.compile(r"\s+")
_ANNOUNCING_TITLE = re.compile(r"^(.{2,30}?)关于.*(公告|通告)$")
_ISSUES_QUOTED = re.compile(r"(?:印发|批转|转发|颁布|发布)\s*《(.+)》\s*的?(?:通知|决定)$")
_ISSUES_NAMED = re.compile(r"(?:关于)?印发([^《》]{4,})的(?:通知|决定)$")
_COMMAS = re.compile(r"[，,]")
_TRIAL = re.compile(r"试行|暂行")
_DISTRICT = re.compile(r"北京市([\u4e00-\u9fff]{1,3}区)")
_DISTRICT_NUMBER = re.compile(r"^(西|东|朝|海|丰|石|门|房|通|顺|昌|大|怀|平|密|延)")
# Furniture lines (文号, dates, notes, a 公告's number): one pattern, asked yes or no for every block.
META_LINE = P.union(P.DOCNUM_LINE, P.DATE_LINE, P.DATE_CN_LINE, P.PUBLIC_NOTE, P.EDITORIAL_NOTE,
                    P.MONTH_LINE, P.ANNOUNCE_NUMBER)


def is_meta_line(text: str) -> bool:
    """``META_LINE`` behind its literal prefilter (``patterns.may_be_furniture``)."""
    return P.may_be_furniture(text) and META_LINE.match(text) is not None


def _cn_number(s: str) -> int:
    if all(c in _CN_DIGIT for c in s):  # 二〇二一
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGIT[s[1]]
    if s.endswith("十"):
        return _CN_DIGIT[s[0]] * 10
    if "十" in s:
        a, b = s.split("十")
        return _CN_DIGIT[a] * 10 + _CN_DIGIT[b]
    return _CN_DIGIT[s]


def parse_date(text: str) -> dt.date | None:
    m = P.DATE_LINE.match(text)
    try:
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = P.DATE_CN_LINE.match(text)
        if m:
            return dt.date(_cn_number(m.group(1)), _cn_number(m.group(2)), _cn_number(m.group(3)))
    except (ValueError, KeyError):
        return None
    return None


def split_issuers(raw_lines: list[str]) -> list[str]:
    """Issuer names from signature lines: one per line or separated by spaces."""
    out: list[str] = []
    for line in raw_lines:
        line = _MARKUP.sub("", line).strip()
        for part in _SPACES.split(line):
            out.extend(p for p in _ISSUER_SPLIT.split(part) if p)
    return out


def _is_org_block(b: Block) -> bool:
    """Signature lines: every raw line an organisation name (北京企业联合会/北京市企业家协会 too)."""
    lines = [_MARKUP.sub("", li.text).strip() for li in b.lines]
    return all(_ORG_LINE.match(x) and P.ORG_END.search(x.replace(" ", "")) for x in lines if x)


def title_issuers(title_block: Block) -> list[str] | None:
    """Issuers named before 关于/印发/转发 in the title; joint issuers are joined by 、 or a space
    ("国务院、中央军委关于同意…的批复", govcn content_5345407; "中共北京市委 北京市人民政府…")."""
    raw = " ".join(li.text for li in title_block.lines)
    raw = _MARKUP.sub("", raw).strip()
    m = _TITLE_ISSUER.match(raw)
    if not m:
        return None
    names = split_issuers([m.group(1).replace("、", " ")])
    return names if names and all(P.ORG_END.search(n) for n in names) else None


def order_doc_number(issuer: str, number: int) -> str:
    """The 文号 of a promulgation order: 国务院令第707号 is cited as 国令第707号; other bodies keep
    their name (财政部令第97号, 北京市人民政府令第285号)."""
    return f"国令第{number}号" if issuer == "国务院" else f"{issuer}令第{number}号"


def _announcement_number(text: str, title: str) -> str | None:
    """"国家税务总局公告2021年第30号" or a bare "2021年第30号" under a 公告/通告 title."""
    m = P.ANNOUNCE_NUMBER.match(text)
    if not m:
        return None
    org = m.group(1)
    if org is None:
        tm = _ANNOUNCING_TITLE.match(title)
        if not tm:
            return None
        org = tm.group(1) + tm.group(2)
    return f"{org}{m.group(2)}年第{int(m.group(3))}号"


def read_metadata(rd: RawDocument) -> dict:
    """Title, short title, 文号, issuers, date, addressees, 文种, note, effective, trial."""
    blocks = rd.blocks
    title_b = blocks[rd.title_index]
    title = title_b.text
    if rd.order_issuer and rd.promulgated is not None:
        title_b = blocks[rd.promulgated]  # the order's document is the text it promulgates
        title = title_b.text
        below = blocks[rd.promulgated + 1].text if rd.promulgated + 1 < len(blocks) else ""
    else:
        below = blocks[rd.title_index + 1].text if rd.title_index + 1 < len(blocks) else ""
    if P.TITLE_SUFFIX.match(below):
        title += below  # "…管理细则" / "(试行)": the subtitle is part of the title
    meta: dict = {"title": title, "short_title": None, "doc_number": None, "issuers": None, "date": None,
                  "addressees": [], "note": None, "effective": None}
    m = _ISSUES_QUOTED.search(title)
    # "国务院办公厅关于印发文化体制改革中…两个规定的通知" (govcn content_5352010) names the issued
    # texts without 《》.
    m = m or _ISSUES_NAMED.search(title)
    if m:
        meta["short_title"] = m.group(1)
    head = blocks[rd.title_index + 1: rd.title_index + 8]
    if rd.order_issuer and rd.order_number is not None:
        meta["doc_number"] = order_doc_number(rd.order_issuer, rd.order_number)
    for b in head:
        if is_docnum_line(b.text) and meta["doc_number"] is None:
            meta["doc_number"] = canonical_doc_number(b.text)
        elif meta["doc_number"] is None and P.ANNOUNCE_NUMBER.match(b.text):
            meta["doc_number"] = _announcement_number(b.text, title)
        elif is_addressee(b.text) and not meta["addressees"]:
            meta["addressees"] = [a for a in _COMMAS.split(b.text.rstrip("：:")) if a]
    # Signing date: the first standalone date; issuers are the org lines right above it.
    for j in range(rd.title_index + 1, len(blocks)):
        d = parse_date(blocks[j].text) if is_date_line(blocks[j].text) else None
        if d is None:
            continue
        meta["date"] = d
        k = j - 1
        sig: list[Block] = []
        while k > rd.title_index and _is_org_block(blocks[k]) and len(sig) < 4:
            sig.insert(0, blocks[k])
            k -= 1
        if sig:
            meta["issuers"] = split_issuers([li.text for b in sig for li in b.lines])
            meta["issuers_from"] = "signature"
        break
    if rd.order_issuer:
        meta["issuers"] = [rd.order_issuer]  # signed by the 总理/部长 for the body that orders
        meta["issuers_from"] = "order"
    if meta["issuers"] is None:
        meta["issuers"] = title_issuers(title_b)
        meta["issuers_from"] = "title"
    for b in blocks:
        if b.text[:1] == "(" and (P.PUBLIC_NOTE.match(b.text) or P.EDITORIAL_NOTE.match(b.text)):
            meta["note"] = b.text
            break
    for b in reversed(blocks[-12:]):
        # both readings end in 施行/实施/执行: only a text holding one is searched (the pattern
        # tries twenty characters ahead at every position)
        t = b.text
        em = _EFFECTIVE.search(t) if ("施行" in t or "实施" in t or "执行" in t) else None
        if em:
            meta["effective"] = em.group(1)
            break
    dm = P.doc_type_end(meta["short_title"] or title)
    meta["doc_type"] = dm.group(0) if dm else None
    meta["trial"] = bool(_TRIAL.search(title))
    return meta


def level_and_district(issuers: list[str] | None, doc_number: str | None, title: str) -> tuple[str | None, str | None]:
    """市 or 区 level, and the district for a district's document (西城区)."""
    text = " ".join(issuers or []) + " " + title
    m = _DISTRICT.search(text)
    if m:
        return "区", m.group(1)
    if doc_number and _DISTRICT_NUMBER.match(doc_number) and not doc_number.startswith("京"):
        return "区", None
    if "北京市" in text or (doc_number or "").startswith("京"):
        return "市", None
    return None, None


def is_meta_block(b: Block, *, addressee: bool = True) -> bool:
    """Blocks that are document furniture rather than provisions (文号, date, addressee, note).

    ``addressee=False`` once the numbered body has begun: there a line ending in "：" that names a
    body ("本办法所称…是指下列…：") is text leading its items, not a 主送机关.
    """
    t = b.text
    return is_meta_line(t) or (addressee and is_addressee(t))
