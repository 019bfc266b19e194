"""Tasks written as sentences whose subject is a named agency: "国务院办公厅要适时开展督促检查",
"科技部、财政部等有关部门要加强…", "请财政部在相关项目经费使用管理规定中明确…",
"请人力资源社会保障部会同有关部门…制定出台具体操作办法" (国办发〔2018〕127号).

Only sentences led by an agency the registry knows (not "各地区、各部门要…", "各高校要…": those
address everyone and assign nothing to account for) count, and only in blocks that carry no
labelled or parenthesised assignment, so a "（…负责）" item is never read twice.
"""

from __future__ import annotations

import re

from ...model import Provision
from ..agencies import registry
from .prose import Assignment, ProseTask, compact
from .units import first_unit, split_list, unit_like

# Where a subject ends: the modal or duty verb after it.
_VERB = re.compile(r"要|应当|应|负责|牵头|会同")
# After "请" the units run up to a verb or preposition.
_REQUEST_END = re.compile(r"会同|在|于|按照|按|落实|研究|制定|抓紧|加快|尽快|牵头|负责|对|将|提出|明确|做好|组织|,|。")
_REQUEST = re.compile(r"(?:^|[,;])请")
_CO_END = re.compile(r"负责|牵头|共同|联合|要|应|在|于|按照|按|落实|研究|制定|抓紧|加快|尽快|对|将|提出|明确|做好|组织|,")
_SENTENCE = re.compile(r"[^。;!?]+[。;!?]?")
_NOT_A_SUBJECT = re.compile(r"[《》“”:()0-9]")


def _units(s: str) -> list[str] | None:
    """``s`` as a list of units led by a registry agency, or None."""
    if not s or len(s) > 80 or _NOT_A_SUBJECT.search(s):
        return None
    reg = registry()
    first = first_unit(s)  # most subjects fail on their first unit: split the rest only after it
    if first is None or not reg.known(first) or reg.collective(first):
        return None
    units = split_list(s)
    for u in units[1:]:
        if not (reg.known(u) or reg.collective(u) or (unit_like(u) and len(u) <= 20)):
            return None
    return units


def _co(rest: str) -> list[str] | None:
    """The units after 会同 (None when they do not read as units)."""
    m = _CO_END.search(rest)
    units = split_list(rest[:m.start()]) if m else []
    reg = registry()
    if not units or not all(reg.known(u) or reg.collective(u) or (unit_like(u) and len(u) <= 20) for u in units):
        return None
    return units


_CLAUSE_CUT = re.compile(r"[,;。]")


def _reported(predicate: str) -> bool:
    """A report of what was done, not an assignment: "会同水利部研究提出了办理意见",
    "会同有关部门研究提出：…" (the replies of 国办函 say what agencies did)."""
    first = _CLAUSE_CUT.split(predicate, maxsplit=1)[0]
    return "了" in first or ":" in first or "已" in first[:4]


def _first(pattern: re.Pattern, text: str, pos: int = 0) -> int:
    """Where ``pattern`` first matches in ``text`` from ``pos`` (the text's length when nowhere)."""
    m = pattern.search(text, pos)
    return m.start() if m else len(text)


def _assignment(sentence: str) -> Assignment | None:
    """Who a sentence assigns: its subject before 要/应/负责, or the agency after 请."""
    # a subject holding 《》“”:()0-9 or longer than 80 is none, nor is any longer one holding it
    limit = min(80, _first(_NOT_A_SUBJECT, sentence))
    for m in _VERB.finditer(sentence):
        if m.start() > limit:
            break
        units = _units(sentence[:m.start()])
        if units:
            if _reported(sentence[m.end():]):
                return None
            co = _co(sentence[m.end():]) if m.group(0) == "会同" else []
            if co is None:
                return None
            return Assignment(units, co, ranked=bool(co))
        if m.start() > 80:
            break
    for r in _REQUEST.finditer(sentence) if "请" in sentence else ():
        start = r.end()
        limit = min(start + 80, _first(_NOT_A_SUBJECT, sentence, start))
        for e in _REQUEST_END.finditer(sentence, start):
            if e.start() > limit:
                break
            units = _units(sentence[start:e.start()])
            if units:
                co = _co(sentence[e.end():]) if e.group(0) == "会同" else []
                if co is None or _reported(sentence[e.end():]):
                    return None
                return Assignment(units, co, ranked=bool(co))
            if e.start() - start > 80:
                break
    return None


_ITEM_MARK = re.compile(r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+、|\d+[.、])")


def subject_tasks(p: Provision, text: str) -> list[ProseTask]:
    """One task per sentence of ``text`` whose subject (or addressee after 请) is a named agency."""
    s = compact(text)
    if "要" not in s and "请" not in s and "应" not in s and "负责" not in s:
        return []
    out: list[ProseTask] = []
    heading = compact(p.heading or "")
    heading_words = heading.rstrip("。")
    for m in _SENTENCE.finditer(s):
        sent = m.group(0)
        if heading and sent.rstrip("。") == heading_words:
            continue
        mark = _ITEM_MARK.match(sent)  # anchored: at most one item mark, at the start
        body = sent[mark.end():] if mark else sent
        a = _assignment(body)
        if a:
            out.append(ProseTask(p, len(out) + 1, body.strip("。;"), a))
    return out
