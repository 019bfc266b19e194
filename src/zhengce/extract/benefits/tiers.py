"""Tiers: one benefit paid at several levels, each level with its own condition.

A clause that grants by scale, rank, year or city size is ONE rule with tiers, not one rule at the
top amount and not several unrelated rules:

- clauses split by ；: "规模在30人(含)至50人，可申请2万元技能竞赛补贴；规模在50人(含)至100人，可申请3万元…"
  (xicheng-gazette-2022.txt:4541), "其职工取得国家级竞赛前三名的，企业按照5万元…；其职工取得市级竞赛前三名的…"
- a parallel list: "取得高级工、技师、高级技师…的，分别按照每人2000元、2500元、3000元标准" (xicheng-gazette-2022.txt:4496)
- a year schedule: "每满一年，依次按照每人每年6000元、9000元、1.2万元标准" (xicheng-gazette-2022.txt:4237)
- list items under an intro line: "可以按照以下标准定额扣除：（一）直辖市…每月1500元；（二）…每月1100元…每月800元"

``list_intros(doc)`` finds the intro provisions whose numbered children carry the figures, so the
unit finder can read intro + items as one unit.
"""

from __future__ import annotations

import re

from ...model import Document
from ..literals import guarded
from .amounts import money_spans, to_yuan

FIG = r"\d+(?:\.\d+)?\s*(?:万|亿|千)?元"
PARALLEL = guarded(r"([^，。；]{2,60}?)(?:的)?[，,]?[^，。；]{0,12}?分别按照?(?:每人|每家|每年|每月)?((?:" + FIG + r"[、和或]){1,5}" + FIG + ")")
SCHEDULE = guarded(r"(依次|逐年|分别)按照?[^，。；]{0,6}?((?:" + FIG + r"[、和]){1,5}" + FIG + ")")
INTRO = re.compile(r"(以下|下列|如下)[^，。；：]{0,8}(标准|档次|规定)?[^，。；：]{0,10}[：:]$")
ITEM = re.compile(r"^[（(][一二三四五六七八九十\d]+[)）]|^\d+[.．、]")
CN_ORD = "一二三四五六七八九十"


_FIGURE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿|千)?元")


def _figures(s: str) -> list[float]:
    return [to_yuan(m.group(1), m.group(2)) for m in _FIGURE.finditer(s)]


_ITEM_HEAD = re.compile(r"^([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百]+条|\d+[.．、](?!\d))")
_COMMA = re.compile(r"[，,]")
_GRANT_VERB = re.compile(r"^(企业|主办单位|个人|机构|纳税人)?(可申请|可按照|按照|按|给予|予以|可|申请|享受|扣除标准为|标准为)")


def _condition_words(clause: str, start: int) -> str:
    """The words of a tier's condition: the clause before its figure, without the grant verb."""
    head = _ITEM_HEAD.sub("", clause[:start])
    pieces = [x.strip("：:；的 ") for x in _COMMA.split(head)]
    pieces = [x for x in pieces if x and not _GRANT_VERB.match(x)]
    return (pieces[-1] if pieces else "")[:40]


_ACHIEVED = re.compile(r"^.*?(取得|获得|评为|认定为|被评定为)")
_RANK_TAIL = re.compile(r"(国家)?职业资格.*$|或.*$|等级.*$|证书.*$|的$")
_TIER_CUT = re.compile(r"(?<=[；;])|(?=[（(][一二三四五六七八九十]+[)）])")
_FIGURE_CUT = re.compile(r"(?<=元)[；;，,。]?(?=[^，。；]*?的)")


def tiers_of(text: str) -> list[dict]:
    """The tiers of one unit's text: [{"label": condition words, "yuan": figure}], or []."""
    m = PARALLEL.search(text)
    if m:
        figs = _figures(m.group(2))
        names = [n for n in _ACHIEVED.sub("", m.group(1)).split("、") if n]
        names = [_RANK_TAIL.sub("", n) for n in names]
        if len(names) == len(figs) and len(figs) > 1:
            return [{"label": n, "yuan": f} for n, f in zip(names, figs, strict=True)]
    m = SCHEDULE.search(text)
    if m and ("每满一年" in text or "依次" in m.group(1) or "逐年" in m.group(1) or "第" in text):
        figs = _figures(m.group(2))
        if len(figs) > 1:
            return [{"label": f"第{CN_ORD[i] if i < 10 else i + 1}年", "yuan": f} for i, f in enumerate(figs)]
    clauses = [c for c in _TIER_CUT.split(text) if c.strip()]
    out = []
    for c in clauses:
        spans = [s for s in money_spans(c) if s[3] == "grant"]
        if len(spans) == 1:
            label = _condition_words(c, spans[0][0])
            out.append({"label": label, "yuan": spans[0][2]})
        elif len(spans) > 1 and "；" not in c:  # "市辖区户籍人口超过100万的城市，…1100元；…不超过100万的城市，…800元"
            for part in _FIGURE_CUT.split(c):
                sp = [s for s in money_spans(part) if s[3] == "grant"]
                if len(sp) == 1:
                    out.append({"label": _condition_words(part, sp[0][0]), "yuan": sp[0][2]})
    labels = {t["label"] for t in out}
    if len(out) > 1 and len(labels) == len(out) and all(t["label"] for t in out):
        return out
    return []


def list_intros(doc: Document) -> dict[str, list]:
    """Intro provision cid → its numbered children, where the intro ends in "以下标准…：" and the
    children carry the figures (the children are the tiers of the intro's benefit)."""
    from .units import work_text
    kids: dict[str, list] = {}
    for p in doc.provisions:
        if p.parent:
            kids.setdefault(p.parent, []).append(p)
    out = {}
    for p in doc.provisions:
        t = work_text(p.text).rstrip()
        # INTRO ends in "[：:]$" and t has no trailing newline: only a text ending in a colon can match
        if not t.endswith(("：", ":")) or not INTRO.search(t) or p.cid not in kids:
            continue
        items = [c for c in kids[p.cid] if ITEM.match(work_text(c.text))]
        if len(items) > 1 and sum(1 for c in items if money_spans(work_text(c.text))) >= 2:
            out[p.cid] = items
    return out


def tier_conditions(tiers: list[dict], kind: str, district: str | None, cid: str) -> list:
    """The tiers as alternatives of one condition, when some tier's words state a profile fact
    (an age band, a certification); tiers whose words the vocabulary cannot state add nothing:
    the rule's own conditions already say who qualifies at some tier."""
    from .conditions import enterprise_conditions, person_conditions
    from .rule import Condition
    if len(tiers) < 2:
        return []
    alts = []
    for t in tiers:
        words = t.get("label", "")
        got = person_conditions(words, district, cid) if kind == "person" else enterprise_conditions(words, cid)
        alts.append(got)
    if not any(alts):
        return []
    alts = [a or [Condition("", "unexpressed", None, t.get("label", ""), cid)] for a, t in zip(alts, tiers, strict=True)]
    return [Condition("", "any", None, "分档: " + " 或 ".join(t.get("label", "") for t in tiers), cid, any_of=alts)]
