"""Splitting a written list of responsible units into one name per unit.

Prose lists separate units with ，/；and keep 、 inside a unit when commas are used
("市科委、中关村管委会" is one office with two names, beijing-private-enterprise-policies-2021q4.txt:1339);
lists without commas separate with 、. Table cells separate with spaces or <p> blocks, and page
conversion sometimes splits one name ("市规划自然资源委 西城分局", xicheng-gazette-2022.txt) or glues
two ("区住房城乡建设委各街道办事处"): fragments are rejoined and glued names cut at a unit suffix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

# A unit name ends like this (局, 委, 中心, 集团 …).
SUFFIX = ("局", "委", "委员会", "办", "办公室", "中心", "管委会", "部", "厅", "集团", "公司", "支队",
          "大队", "海关", "银行", "各区", "开发区", "街道", "办事处", "指挥部", "院", "所", "站", "队",
          "会", "处", "单位", "部门", "政府", "管理部", "组", "团", "署", "馆", "联", "社", "中央", "机构")
_SUFFIX_RE = re.compile("(" + "|".join(sorted(map(re.escape, SUFFIX), key=len, reverse=True)) + ")$")
# Where a glued second name starts.
_START = ("区", "市", "各", "相关", "北京")
# A branch fragment that belongs to the name before it: "西城分局", "第一管网分公司".
_BRANCH = re.compile(r"^(?!市|区|北京|中国|国家|各)(\S{2,3}|第\S{1,6})(分局|分公司|分中心)$")
_TAIL_WORDS = ("按职责分工负责", "按职责分工", "按职责负责", "分别负责", "牵头负责", "牵头", "负责", "配合")
_LEAD_TAIL = re.compile("(" + "|".join(_TAIL_WORDS) + ")$")
# "市经济和信息化局及相关部门和各区政府": 及/和 between two names (not the 和 inside 市文化和旅游局)
_CONNECTOR = re.compile(r"(?<=[局委办部门会位府心厅队])(?:以及|及|和)(?=各|相关|有关|市|区|北京)"
                        r"|(?<=[\u4e00-\u9fff]{2})(?:以及|及|和)(?=各|相关|有关)")
# "商务部、发展改革委、农业农村部等和各有关省级人民政府": the 等 closes the named list, the 和 adds a collective
_ETC_AND = re.compile(r"等(?=(?:以及|及|和)(?:各|有关|相关))")
_JOIN = "\u2063"  # protects the 、 inside one office's double name while splitting
EMPTY = re.compile(r"^[—\-－―一.。…\s/无]*$")


def unit_like(s: str) -> bool:
    return bool(_SUFFIX_RE.search(s))


_LEAD_WORDS = ("以及", "及", "由", "请")
_LEAD_WORD = re.compile(r"^(以及|及|由|请)(?=\S{2})")


def clean_unit(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).strip(" \t，,、；;。.：:")
    # the patterns run only where they can match: a lead word at the start, a duty word at the end
    # ("$" also matches before a final newline)
    if s.startswith(_LEAD_WORDS):
        s = _LEAD_WORD.sub("", s)
    if s.endswith(_TAIL_WORDS) or s.endswith("\n"):
        s = _LEAD_TAIL.sub("", s)
    if s.endswith(("部门", "单位")) and "等" in s[-8:]:
        s = s[: s.rindex("等")]  # "市城市管理委等相关部门", "各综合保税区管理机构等有关部门和单位"
    elif s.endswith("等"):
        s = s[:-1]
    return s.strip()


_MEMBERS = re.compile(r"各?(成员|组成)(单位|部门)")


def _cut_glued(tok: str) -> list[str]:
    """Cut "区住房城乡建设委各街道办事处" into two names at a suffix followed by a name start."""
    for i in range(2, len(tok) - 2):
        head, tail = tok[:i], tok[i:]
        if _MEMBERS.fullmatch(tail):
            continue  # "大气小组各成员单位" is the group's members
        if tail.endswith("分公司") and head.endswith(("集团", "公司")):
            continue  # 中国邮政集团公司北京市西城区分公司 is one name
        if unit_like(head) and tail.startswith(_START) and unit_like(tail) and not _BRANCH.match(tail) \
                and len(tail) >= 3:
            return [head, *_cut_glued(tail)]
    return [tok]


_TAG = re.compile(r"<[^>]+>")
_SEPARATOR = re.compile(r"[,、;]")
_AND_HEAD = re.compile(r"^(以及|及)(?=\S{3})")


def split_cell(cell: str) -> list[str]:
    """Units in a table cell: whitespace / <p> separated, fragments rejoined, glued names cut."""
    text = _TAG.sub(" ", cell)
    text = unicodedata.normalize("NFKC", text)
    if _SEPARATOR.search(text):
        return split_list(text)
    parts = text.split()
    parts = [q for p in parts for q in _cut_glued(p)]
    for i in range(len(parts) - 1):  # "及其他大气小组 各成员单位" is one collective
        if parts[i].startswith("及") and parts[i + 1].startswith("各"):
            parts[i], parts[i + 1] = "", parts[i] + parts[i + 1]
    parts = [_AND_HEAD.sub("", p) for p in parts if p]
    from ..agencies import registry
    reg = registry()
    merged: list[str] = []
    pending = ""
    for tok in parts:
        tok = pending + tok
        pending = ""
        if merged and not reg.known(tok) and (
                reg.known(merged[-1] + tok) or _BRANCH.match(tok)
                or (tok.endswith("分公司") and merged[-1].endswith(("集团", "公司")))):
            merged[-1] += tok
        elif not unit_like(clean_unit(tok)) and not EMPTY.match(tok):
            pending = tok  # a fragment: glue to the next token
        else:
            merged.append(tok)
    if pending:
        if merged:
            merged[-1] += pending
        else:
            merged.append(pending)
    out: list[str] = []
    for tok in merged:
        for u in ([tok] if reg.known(tok) else _cut_glued(tok)):
            u = clean_unit(u)
            if u and not EMPTY.match(u) and u not in out:
                out.append(u)
    return out


@lru_cache(maxsize=1)
def _double_names() -> list[str]:
    from ..agencies import registry
    return sorted({n for a in registry().agencies for n in [a.name, *a.aliases] if "、" in n},
                  key=len, reverse=True)


_WS = re.compile(r"\s+")
_LIST_CUT = re.compile(r"[、,;]")


def split_list(text: str) -> list[str]:
    """Units in a prose list separated by ，/；/、 — except the 、 inside one office's double name
    from the registry ("市科委、中关村管委会")."""
    out: list[str] = []
    for u in _units_of(text):
        if u not in out:
            out.append(u)
    return out


def first_unit(text: str) -> str | None:
    """``split_list(text)[0]`` (None for no unit), without cleaning the rest of the list: a caller
    that rejects the list by its first unit need not read the others."""
    return next(_units_of(text), None)


def _units_of(text: str) -> Iterator[str]:
    """The units of a prose list in order, repeats kept (see ``split_list``)."""
    text = unicodedata.normalize("NFKC", text)
    text = _WS.sub("", text)
    if "等" in text:
        text = _ETC_AND.sub("", text)
    if "、" in text:  # every double name holds one
        for name in _double_names():
            text = text.replace(name, name.replace("、", _JOIN))
    for p in _LIST_CUT.split(text):
        for part in (_CONNECTOR.split(p) if "及" in p or "和" in p else (p,)):
            u = clean_unit(part).replace(_JOIN, "、")
            if u and not EMPTY.match(u):
                yield u


_NOT_A_LIST = re.compile(r"简称|下同|含|包括|例如|如")
_NOT_A_NAME = re.compile(r"\d|[《》“”。:]")


def looks_like_units(text: str) -> bool:
    """True when every item of a list reads as a unit name (for unlabelled "（市科委、中关村管委会）"),
    and it is a list (two or more) or names a registry agency — not "（以下简称市文资中心）"."""
    from ..agencies import registry
    units = split_list(text)
    if not units or len(text) > 400 or _NOT_A_LIST.search(text[:6]):
        return False
    if not all(unit_like(u) and len(u) <= 20 and not _NOT_A_NAME.search(u) for u in units):
        return False
    return len(units) >= 2 or registry().known(units[0]) or registry().level(units[0]) == "集体"


_NOT_A_LABEL_NAME = re.compile(r"[:：。《》]")


def plausible_units(units: list[str]) -> bool:
    """Every entry reads as one unit name: a unit suffix, short, no colon or sentence punctuation
    (rejects a page footer "主办单位：国务院办公厅 运行维护单位：中国政府网运行中心…" read as a label)."""
    return bool(units) and all(unit_like(u) and len(u) <= 30 and not _NOT_A_LABEL_NAME.search(u) for u in units)
