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


_ITEM_NUMBER = re.compile(r"^\d+[.．、]")
_ITEM_PAREN_NUMBER = re.compile(r"^（\d+）")
_ITEM_MARKS = re.compile(r"^\d+[.．、]|^（\d+）")
_MATERIALS = re.compile(r"申请材料|提交以下材料|材料包括")
_CHANNEL = re.compile(r"(?:向|到|通过)([^，。；]{2,40}?)(?:提出|进行)?(?:书面)?申请")
_APPLY = re.compile(r"申请|申报")
_REVIEWER = re.compile(r"(?:报|由)((?:区|市)[\u4e00-\u9fff]{2,10}?(?:局|委))(?:进行)?(?:审批|审核|负责|统一)")


def document_apply_info(doc: Document) -> dict:
    info: dict = {}
    materials: list[str] = []
    collecting = False
    for p in doc.provisions:
        if not ("申" in p.text or "材料" in p.text or collecting or "审" in p.text or "负责" in p.text):
            continue
        t = work_text(p.text)
        if collecting:
            if _ITEM_NUMBER.match(t) or _ITEM_PAREN_NUMBER.match(t):
                materials.append(_ITEM_MARKS.sub("", t).rstrip("；。"))
                continue
            collecting = False
        if _MATERIALS.search(t):
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
