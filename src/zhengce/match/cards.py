"""Policy cards (政策服务包): one benefit as 谁能享受 / 享受什么 / 标准 / 怎么申请 / 受理部门 / 政策依据."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..extract.benefits.rule import BenefitRule

KIND_ZH = {"person": "个人", "enterprise": "企业", "organization": "机构"}
PER_ZH = {"each time": "每次", "per month": "每月", "per bed per month": "每床每月", "one-off": "一次性",
          "per year": "每年", "per firm": "每家", "per project": "每个项目", "per person": "每人"}


@dataclass
class Card:
    id: str
    title: str
    who: str  # 谁能享受
    what: str  # 享受什么
    standard: str  # 标准
    how: str  # 怎么申请
    agency: str  # 受理部门
    basis: str  # 政策依据 (document + citation id)
    review: list[str]  # conditions a person must still check
    non_stacking: list[str]

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        lines = [f"【{self.title}】", f"谁能享受: {self.who}", f"享受什么: {self.what}", f"标准: {self.standard}",
                 f"怎么申请: {self.how}", f"受理部门: {self.agency}", f"政策依据: {self.basis}"]
        if self.review:
            lines.append("需另行核实: " + "；".join(self.review))
        if self.non_stacking:
            lines.append("不重复享受: " + "；".join(self.non_stacking))
        return "\n".join(lines)


def yuan(v: float | None) -> str:
    if v is None:
        return ""
    if v >= 1e8 and v % 1e6 == 0:
        return f"{v / 1e8:g}亿元"
    if v >= 1e4 and v % 100 == 0:
        return f"{v / 1e4:g}万元"
    return f"{v:g}元"


def make_card(r: BenefitRule) -> Card:
    conds = [c.label for c in r.conditions if c.field != "kind" and c.op != "unexpressed" and c.label]
    who = KIND_ZH.get(r.beneficiary, r.beneficiary) + ("：" + "；".join(conds) if conds else "")
    a = r.amount
    if a.max_yuan is not None:
        std = f"{PER_ZH.get(a.per or '', '')}最高{yuan(a.max_yuan)}"
        if a.schedule:
            std += "（分年: " + "、".join(yuan(x) for x in a.schedule) + "）"
    elif a.percent is not None:
        std = f"按{a.percent:g}%给予"
    else:
        std = "原文未列明金额"
    if a.caps:
        std += "；上限: " + "；".join(a.caps)
    ap = r.apply or {}
    how = ap.get("channel") or "原文未列明申请方式"
    if ap.get("materials"):
        how += "；材料: " + "；".join(ap["materials"])
    basis = f"《{r.doc_title}》" + (f"（{r.doc_number}）" if r.doc_number else "") + f" {r.cid}"
    return Card(r.id, r.name, who, r.text, std, how, ap.get("agency") or "原文未列明", basis,
                list(r.review), list(r.non_stacking))
