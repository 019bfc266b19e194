"""Policy cards (政策服务包): one benefit as 谁能享受 / 享受什么 / 标准 / 怎么申请 / 受理部门 / 政策依据."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..extract.benefits.rule import BenefitRule

KIND_ZH = {"person": "个人", "enterprise": "企业", "organization": "机构"}
PER_ZH = {"each time": "每次", "per month": "每月", "per child per month": "每个子女每月", "per day": "每天",
          "per bed per month": "每床每月", "one-off": "一次性", "per year": "每年", "per firm": "每家", "per project": "每个项目", "per person": "每人"}


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
    kind: str = ""  # 补贴 / 税前扣除 / 减免收费 / 贷款 …
    tiers: list[str] = field(default_factory=list)  # "高级工: 2000元"
    verdict: str = ""  # with a profile: 可以享受 / 可能可以享受 / 不符合条件
    trace: list[dict] = field(default_factory=list)  # with a profile: zhengce.match.trace_row per condition

    def to_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        lines = [f"【{self.title}】", f"谁能享受: {self.who}", f"享受什么: {self.what}", f"标准: {self.standard}",
                 f"怎么申请: {self.how}", f"受理部门: {self.agency}", f"政策依据: {self.basis}"]
        if self.review:
            lines.append("需另行核实: " + "；".join(self.review))
        if self.non_stacking:
            lines.append("不重复享受: " + "；".join(self.non_stacking))
        if self.verdict:
            lines.append(f"结论: {self.verdict}")
            lines += [f"  {t['condition']} | {t['fact']} | {t['result']} | {t['cid']}" for t in self.trace]
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
    if a.max_yuan is not None and a.percent is not None and a.base:
        std += f"（或按{a.base}的{a.percent:g}%）"
    elif a.max_yuan is None and a.percent is not None and a.base:
        std = f"按{a.base}的{a.percent:g}%给予"
    if a.floor_yuan is not None:
        std += f"；不低于{yuan(a.floor_yuan)}"
    if a.caps:
        std += "；上限: " + "；".join(a.caps)
    tiers = [f"{t.get('label') or '—'}: {yuan(t.get('yuan'))}" for t in a.tiers]
    if tiers:
        std += "（分档: " + "；".join(tiers) + "）"
    ap = r.apply or {}
    how = ap.get("channel") or "原文未列明申请方式"
    if ap.get("materials"):
        how += "；材料: " + "；".join(ap["materials"])
    basis = f"《{r.doc_title}》" + (f"（{r.doc_number}）" if r.doc_number else "") + f" {r.cid}"
    from ..extract.benefits.kinds import KIND_ZH as BENEFIT_KIND_ZH
    return Card(r.id, r.name, who, r.text, std, how, ap.get("agency") or "原文未列明", basis,
                list(r.review), list(r.non_stacking), BENEFIT_KIND_ZH.get(r.kind, ""), tiers)
