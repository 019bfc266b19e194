"""How to apply for a benefit: the agency (受理部门), channel and materials a document states.

Read once per document (``document_apply_info``) and refined per unit by a closing "（区人力资源
社会保障局）" (``apply_info``).
"""

from __future__ import annotations

import re

from ...model import Document
from .units import AGENCY, work_text

_AGENCY_PAREN = re.compile(r"[（(]((?:市|区)[^（）()]{2,60}?)[）)]$")


def apply_info(doc: Document, unit_text: str, doc_info: dict | None = None) -> dict:
    """How to apply: agency (受理部门), channel and materials where the document states them.

    ``doc_info`` is ``document_apply_info(doc)``, computed once per document by the caller."""
    info: dict = dict(doc_info if doc_info is not None else document_apply_info(doc))
    m = _AGENCY_PAREN.search(unit_text.rstrip("。"))
    if m and AGENCY.search(m.group(1)):
        info["agency"] = m.group(1)
    return info


_MARK = r"(?:\d+[.．、]|（\d+）|\(\d+\))"  # the number of a list item: 1.  1、  （1）  (1)
_ITEM_MARKS = re.compile("^" + _MARK)
_INLINE_ITEM = re.compile(r"(?:^|(?<=[。；;]))\s*" + _MARK)
# A materials list is announced: the cue ends a sentence with a colon ("申报材料包括：",
# "需提交以下材料："). The words alone also occur in prose ("申请材料压减74%"), and taking the
# numbered paragraphs after such prose made whole plan chapters a benefit's "materials".
_MATERIALS = re.compile(r"(?:申请|申报|提交|所需|以下|下列)[^，。；：:]{0,6}材料[^，。；：:]{0,6}[:：]")
# … or it is a heading of its own: "（二）岗位补贴申请材料", "三、申报材料清单".
_MATERIALS_HEADING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[）)、.．]?)?[^，。；：:]{0,12}"
                                r"(?:申请|申报|所需|提交|报送)材料(?:清单)?$")
MAX_ITEM = 80  # a material is a document's name and a note on copies, not a paragraph
_CHANNEL = re.compile(r"(?:向|到|通过)([^，。；]{2,40}?)(?:提出|进行)?(?:书面)?申请")
_APPLY = re.compile(r"申请|申报")
_REVIEWER = re.compile(r"(?:报|由)((?:区|市)[\u4e00-\u9fff]{2,10}?(?:局|委))(?:进行)?(?:审批|审核|负责|统一)")


def document_apply_info(doc: Document) -> dict:
    """Channel, reviewing agency and the document's first announced list of materials."""
    info: dict = {}
    materials: list[str] = []
    collecting = False
    for p in doc.provisions:
        if not ("申" in p.text or "材料" in p.text or collecting or "审" in p.text or "负责" in p.text):
            continue
        t = work_text(p.text)
        if collecting:
            items = _inline_items(t) if _ITEM_MARKS.match(t) else []
            if items:
                materials += items
                continue
            collecting = False
        if not materials:
            cue = _MATERIALS.search(t)
            if cue:
                materials += _inline_items(t[cue.end():])
                collecting = True
            elif _MATERIALS_HEADING.match(t):
                collecting = True
        if "channel" not in info:
            c = _CHANNEL.search(t)
            if c and _APPLY.search(t):
                info["channel"] = c.group(0)
        if "agency" not in info:
            a = _REVIEWER.search(t)
            if a:
                info["agency"] = a.group(1)
    if materials:
        info["materials"] = materials[:10]
    return info


def _inline_items(rest: str) -> list[str]:
    """Numbered items written on in the announcing provision itself ("包括：1.申报表。2.营业执照复印件。")."""
    marks = list(_INLINE_ITEM.finditer(rest))
    if not marks:
        return []
    ends = [m.start() for m in marks[1:]] + [len(rest)]
    items = [rest[m.end():e].strip().rstrip("；;。") for m, e in zip(marks, ends, strict=True)]
    if any(len(i) > MAX_ITEM for i in items):  # numbered paragraphs of prose, not a list of materials
        return []
    return [i for i in items if i]
