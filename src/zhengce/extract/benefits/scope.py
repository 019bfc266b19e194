"""Document-wide readings a single benefit clause needs: defined terms, the granting clause, the level.

- ``defined_terms``: "本办法所称的基本养老服务对象是指下列具有北京市户籍的老年人：（一）…；（二）…"
  (xicheng-gazette-2022.txt:3311, 西民发〔2022〕3号 第三条). A clause that grants to the defined term
  inherits its conditions: the head's conditions, and its numbered items as alternatives.
- ``before_grant``: the part of a clause before what is granted, so the thing granted ("为企业免费开展
  智能、绿色诊断评估") is never read as a condition.
- ``is_national``: a State Council document (国发/国办发/国令, issued by 国务院) applies everywhere; a
  city document applies to Beijing, a district document to its district.
"""

from __future__ import annotations

import re

from ...model import Document
from .conditions import person_conditions
from .rule import Condition
from .units import work_text

DEFINITION = re.compile(r"所称的?([\u4e00-\u9fff]{2,16}?)(?:是指|指)([^。：]+)([。：]|$)")
# "研发费用加计|费用加计" is "(研发)?费用加计" with a plain first character (see units.GRANT_WORD)
GRANT_VERB = re.compile(r"研发费用加计|费用加计|给予|予以|提供|发放|可申请|申请|享受|免费|无偿|免收|免征|奖励|补贴|补助|资助|贴息|减半|扣除")
ITEM_MARK = re.compile(r"^[（(][一二三四五六七八九十\d]+[)）]|^\d+[.．、]|^[一二三四五六七八九十]+、")


def before_grant(text: str) -> str:
    m = GRANT_VERB.search(text)
    return text[: m.start()] if m else text


_NATIONAL_NUMBER = re.compile(r"^国(发|办发|办函|函|令)")


def is_national(doc: Document) -> bool:
    dn = doc.doc_number or ""
    if _NATIONAL_NUMBER.match(dn) or dn.startswith("国令"):
        return True
    issuers = doc.issuers or []
    return any(i in ("国务院", "国务院办公厅", "中华人民共和国国务院") for i in issuers) or \
        (doc.title or "").startswith(("国务院", "中华人民共和国"))


_INLINE_ITEM = re.compile(r"(?=[（(][一二三四五六七八九十]+[)）])")


def defined_terms(doc: Document) -> dict[str, tuple]:
    """term → (provision, head text, [item texts]) for every "所称X是指…" of the document."""
    out: dict[str, tuple] = {}
    children: dict[str, list[str]] = {}
    for p in doc.provisions:
        if p.parent:
            children.setdefault(p.parent, []).append(work_text(p.text))
    for p in doc.provisions:
        if "所称" not in p.text:
            continue
        t = work_text(p.text)
        for m in DEFINITION.finditer(t):
            head, items = m.group(2), []
            if m.group(3) == "：":  # the items follow: inline "（一）…；（二）…" or as child provisions
                tail = t[m.end():]
                items = [x for x in _INLINE_ITEM.split(tail) if x.strip("；。 ")]
                items += [c for c in children.get(p.cid, []) if ITEM_MARK.match(c)]
            out.setdefault(m.group(1), (p, head, [ITEM_MARK.sub("", i).rstrip("；。") for i in items]))
    return out


def defined_conditions(head: str, items: list[str], district: str | None, cid: str) -> list[Condition]:
    """The conditions a defined term carries: the head's, and the items as alternatives (an item the
    vocabulary cannot state keeps its words, so such a member stays "possibly eligible")."""
    conds = person_conditions(head, district, cid)
    alts = []
    for item in items:
        got = [c for c in person_conditions(item, district, cid) if c.field not in ("hukou", "residence_district")]
        alts.append(got or [Condition("", "unexpressed", None, item[:30], cid)])
    if len(alts) > 1:
        conds.append(Condition("", "any", None, " 或 ".join(i[:20] for i in items), cid, any_of=alts))
    elif alts:
        conds += alts[0]
    return conds
