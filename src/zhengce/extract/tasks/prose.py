"""Tasks from prose: "（责任单位：…）", unlabelled "（市科委、中关村管委会）", 牵头/配合 lists,
"主要责任单位：" and "完成时限：" lines, "（…按职责分工负责）".

Works on the compact NFKC text of each provision (brackets and colons in ASCII form). A
provision that holds only label lines ("完成时限：2022年12月底前", xicheng-gazette-2022.txt:2800)
belongs to the measure just before it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ...model import Provision
from .units import looks_like_units, plausible_units, split_list

LEAD_LABELS = r"主要责任单位|主责单位|牵头单位|牵头部门|责任单位|责任部门|主办单位|负责单位|负责部门|负责机构"
# Labels that rank: the units after them lead (or help) whatever a document convention says.
RANKED_LABELS = r"主要责任单位|主责单位|牵头单位|牵头部门|主办单位"
CO_LABELS = r"配合单位|协办单位|配合部门|协同单位|参与单位|协作单位"
TIME_LABELS = r"完成时限|完成时间|时间节点|时限要求|时限"
LABEL = re.compile(rf"({LEAD_LABELS}|{CO_LABELS}|{TIME_LABELS})[:：]")
_TIME_LABEL, _CO_LABEL, _RANKED_LABEL = (re.compile(x) for x in (TIME_LABELS, CO_LABELS, RANKED_LABELS))
# A parenthesis holding labelled content: (责任单位:…), (牵头单位:…;配合单位:…)
LABELLED_PAREN = re.compile(rf"\(((?:{LEAD_LABELS}|{CO_LABELS}|{TIME_LABELS})[:：][^()]*(?:\([^()]*\)[^()]*)*)\)")
# "(市发展改革委牵头,市财政局配合)", "(各区政府按职责分工负责)" and the national "(税务总局、财政部负责)",
# possibly followed by the convention clause or a deadline: "(A、B负责。列第一位者为牵头单位,下同)",
# "(A、B负责,2019年底前完成)"
DUTY_PAREN = re.compile(r"\(([^()]{2,300}?(?:牵头|配合|负责)(?:[。,;][^()]{0,60})?)\)")
# A document states once that the first unit of each list leads: "列第一位者为牵头单位,下同",
# "排在第一位的部门为牵头部门,下同". The clause applies to its own item and every later one.
CONVENTION = re.compile(r"[。,;]?(?:列|排|位)(?:在|于)?(?:第一位|首位|第一个|最前)的?(?:者|部门|单位)?(?:为|是)"
                        r"牵头(?:单位|部门)(?:[,;]?下同)?")
# Another "label:" inside a labelled parenthesis ends the units: "(负责部门:商务部;适用范围:…)".
_OTHER_LABEL = re.compile(r"[;,。]([\u4e00-\u9fff]{2,6})[:：]")
# A deadline phrase inside a duty parenthesis: "2019年底前完成", "持续推进", "长期坚持", "每年".
DEADLINE_PART = re.compile(r"^(?:于|在)?(?:20\d\d年|\d{1,2}月|年底|年内|年末|上半年|下半年|第?[一二三四1-4]季度|长期|持续|"
                           r"每年|每季度|按季度|每半年|每月|按月|定期|常态化)")
TRAILING_PAREN = re.compile(r"\(([^()]{2,400})\)[。;]?$")
ONLY_LABELS = re.compile(rf"^(?:({LEAD_LABELS}|{CO_LABELS}|{TIME_LABELS})[:：][^\n]*)+$")


_ASCII_PAIRS = (("（", "("), ("）", ")"), ("：", ":"), ("；", ";"), ("，", ","))
_WS = re.compile(r"\s+")
# Cheap literal prefilter: a block without any of these holds no task (STYLE: prefilter by literal).
PREFILTER = re.compile(r"[（(]|单位|部门|时限|完成时间|时间节点|牵头|配合")


@lru_cache(maxsize=1 << 12)
def compact(s: str) -> str:
    """Whitespace removed, the brackets/colons/semicolons/commas the patterns use in ASCII form
    (cheaper than NFKC on every block; the ingest's normalised text is already width-folded).

    Cached: a block is compacted by the label, the parenthesis and the subject readers alike."""
    s = _WS.sub("", s)
    for wide, narrow in _ASCII_PAIRS:
        if wide in s:
            s = s.replace(wide, narrow)
    return unicodedata.normalize("NFKC", s) if _WIDE.search(s) else s


_WIDE = re.compile("[\uff01-\uff5e\u2f00-\u2fdf]")  # full-width forms, Kangxi radicals


@dataclass
class Assignment:
    """Units and deadline parsed from one labelled fragment."""

    lead: list[str] = field(default_factory=list)
    co: list[str] = field(default_factory=list)
    deadline_raw: str | None = None
    ranked: bool = False  # the text itself says who leads (牵头/配合/主责), so no convention applies

    def merge(self, other: Assignment) -> None:
        self.lead += [u for u in other.lead if u not in self.lead]
        self.co += [u for u in other.co if u not in self.co]
        self.deadline_raw = self.deadline_raw or other.deadline_raw
        self.ranked = self.ranked or other.ranked

    def first_leads(self) -> None:
        """Apply "列第一位者为牵头单位": the first listed unit leads, the others help."""
        if not self.ranked and not self.co and len(self.lead) > 1:
            self.lead, self.co = self.lead[:1], self.lead[1:]

    @property
    def empty(self) -> bool:
        return not (self.lead or self.co or self.deadline_raw)


_DUTY_WORD = re.compile(r"牵头|配合")


def parse_labels(s: str) -> Assignment:
    """Parse "责任单位:A,B;配合单位:C;完成时限:年底前" (labels in any order)."""
    out = Assignment()
    marks = list(LABEL.finditer(s))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(s)
        value = s[m.end():end]
        other = _OTHER_LABEL.search(value)
        if other and not LABEL.match(value, other.start(1)):
            value = value[:other.start()]
        value = CONVENTION.sub("", value).strip(";；。,，")
        label = m.group(1)
        if _TIME_LABEL.fullmatch(label):
            out.deadline_raw = value or None
        elif _CO_LABEL.fullmatch(label):
            out.co += split_list(value)
            out.ranked = True
        else:
            out.merge(parse_duty(value) if _DUTY_WORD.search(value) else Assignment(split_list(value)))
            out.ranked = out.ranked or bool(_RANKED_LABEL.fullmatch(label))
    return out


_PART_CUT = re.compile(r"[;,。]")
_DUTY_TAIL = re.compile(r"(按职责分工负责|按职责负责|分别负责|牵头负责|负责)$")


def parse_duty(s: str) -> Assignment:
    """"市发展改革委牵头,市财政局、各区配合" → lead/co; "A、B按职责分工负责" / "A、B负责" → lead;
    a deadline part after the units ("A负责,2019年底前完成") → deadline."""
    out = Assignment()
    s = CONVENTION.sub("", s)
    parts = [p for p in _PART_CUT.split(s) if p]
    while len(parts) > 1 and DEADLINE_PART.match(parts[-1]):
        out.deadline_raw = parts.pop() + ("," + out.deadline_raw if out.deadline_raw else "")
    unmarked: list[str] = []
    for part in parts:
        part = _DUTY_TAIL.sub(lambda m: "牵头" if m.group(1) == "牵头负责" else "", part)
        if not part:
            continue
        if part.endswith(("配合", "参与", "协助", "协同")):
            out.co += split_list(part[:-2])
            out.ranked = True
        elif part.endswith("牵头"):
            out.lead += split_list(part[:-2])
            out.ranked = True
        else:
            unmarked += split_list(part)
    # "A牵头，B、C按职责分工负责": once a lead is marked, the other listed units help
    if out.lead:
        out.co += [u for u in unmarked if u not in out.co]
    else:
        out.lead = unmarked
    return out


@dataclass
class ProseTask:
    provision: Provision
    ordinal: int
    text: str
    assignment: Assignment


_LABEL_START = re.compile(rf"\s*({LEAD_LABELS}|{CO_LABELS}|{TIME_LABELS})")


def label_only(text: str) -> bool:
    return bool(_LABEL_START.match(text)) and bool(ONLY_LABELS.match(compact(text)))


def tasks_in(p: Provision, text: str | None = None) -> list[ProseTask]:
    """Tasks stated inside one provision's text, or the block ``text`` it starts (each labelled
    parenthesis ends a measure)."""
    text = p.text if text is None else text
    if not PREFILTER.search(text):
        return []
    s = compact(text)
    if not s:
        return []
    out: list[ProseTask] = []
    pos = 0
    spans: list[tuple[int, int, Assignment]] = []
    for m in LABELLED_PAREN.finditer(s):
        spans.append((m.start(), m.end(), parse_labels(m.group(1))))
    if not spans:
        for m in DUTY_PAREN.finditer(s):
            a = parse_duty(m.group(1))
            if a.lead and looks_like_units("、".join(a.lead + a.co)):
                spans.append((m.start(), m.end(), a))
    if not spans:
        m = TRAILING_PAREN.search(s)
        if m and looks_like_units(m.group(1)):
            spans.append((m.start(), m.end(), Assignment(split_list(m.group(1)))))
    if not spans:
        m = LABEL.search(s)
        if m and m.start() > 0:  # "measure。主要责任单位:X 完成时限:Y" written inline
            a = parse_labels(s[m.start():])
            if (a.lead or a.co) and plausible_units(a.lead + a.co):
                spans.append((m.start(), len(s), a))
    for start, end, a in spans:
        measure = s[pos:start].strip(";。,")
        pos = end
        if not measure and out:
            out[-1].assignment.merge(a)
            continue
        if a.lead or a.co:
            out.append(ProseTask(p, len(out) + 1, measure, a))
    return out
