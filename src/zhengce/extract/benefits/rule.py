"""The rule unit (规则单元): one benefit a document grants, as data a policy officer can correct.

A rule is plain JSON-friendly data (``to_dict``/``from_dict``) so that it can be exported to YAML,
corrected by hand, imported back as a new version, and compiled into vectorised predicates by
``zhengce.match``. Conditions are over the profile vocabulary (``zhengce/data/profile_vocabulary.json``);
what the vocabulary cannot express is kept as an ``unexpressed`` condition with its text, which makes
a verdict "possibly eligible" and never "eligible".
"""

from __future__ import annotations

import sys
from copy import deepcopy
from dataclasses import dataclass, field, fields
from typing import Any

# Operators a condition may use (see zhengce.match.engine for their array semantics); ``like``:
# the (categorical) value contains any of the given substrings (org_type "养老服务驿站" like ["驿站"]).
OPERATORS = ("eq", "ne", "in", "not_in", "like", "ge", "le", "between", "has_any", "has_all",
             "is_true", "is_false", "before", "after", "any", "unexpressed")


@dataclass
class Condition:
    """``field op value``; ``label`` is the Chinese phrase shown in reasons ("年龄60至79周岁").

    ``op == "any"`` holds alternatives in ``any_of`` (each a list of conditions that must all hold);
    ``op == "unexpressed"`` is a fact the vocabulary cannot state (``label`` is the text).
    """

    field: str
    op: str
    value: Any = None
    label: str = ""
    cid: str = ""
    any_of: list[list[Condition]] | None = None

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"field": self.field, "op": self.op, "value": self.value, "label": self.label}
        if self.cid:
            d["cid"] = self.cid
        if self.any_of is not None:
            d["any_of"] = [[c.to_dict() for c in alt] for alt in self.any_of]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Condition:
        alts = d.get("any_of")
        return cls(field=_shared(d.get("field", "")), op=_shared(d["op"]), value=d.get("value"),
                   label=_shared(d.get("label", "")), cid=_shared(d.get("cid", "")),
                   any_of=[[cls.from_dict(c) for c in alt] for alt in alts] if alts is not None else None)

    def fields(self) -> set[str]:
        if self.any_of is not None:
            return {f for alt in self.any_of for c in alt for f in c.fields()}
        return {self.field} if self.field else set()


@dataclass
class Amount:
    """The most one beneficiary gets for one ``per``; ``schedule`` lists year-by-year figures."""

    max_yuan: float | None = None
    per: str | None = None  # "each time" | "per month" | "per bed per month" | "one-off" | "per year" …
    schedule: list[float] = field(default_factory=list)
    caps: list[str] = field(default_factory=list)  # "单个企业年奖励额不超过1000万元"
    percent: float | None = None  # "补贴80%"
    text: str = ""  # the phrase the figure came from
    # tiers of this one benefit, each with the words of its own condition:
    # [{"label": "规模在100人以上(含)", "yuan": 50000}, …] (zhengce.extract.benefits.tiers)
    tiers: list[dict] = field(default_factory=list)
    floor_yuan: float | None = None  # "不低于…元"
    base: str = ""  # what a rate applies to: "本市全口径城镇单位就业人员平均工资"


@dataclass
class BenefitRule:
    id: str  # stable: provision cid + "#" + ordinal of the benefit within the provision
    doc_key: str
    cid: str
    source: str
    doc_number: str | None
    doc_title: str
    name: str  # short name: "免费洗澡服务", "床位运营基础服务补贴"
    text: str  # the source text of the benefit (normalised provision text or its sentences)
    beneficiary: str  # person | enterprise | organization
    kind: str = ""  # kind of benefit (zhengce.extract.benefits.kinds): grant | tax_deduction | fee_cut | loan …
    conditions: list[Condition] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # condition text not structured: for an officer
    amount: Amount = field(default_factory=Amount)
    apply: dict[str, Any] = field(default_factory=dict)  # agency, channel, materials
    non_stacking: list[str] = field(default_factory=list)
    scope: list[str] = field(default_factory=list)  # document-wide clauses applied to this item
    confidence: float = 0.5
    version: int = 0  # 0 = as extracted; n > 0 = the n-th officer correction
    corrected_by: str | None = None

    def to_dict(self) -> dict:
        """As ``asdict`` with each condition's own ``to_dict``, field by field: ``asdict`` walked
        the conditions (then thrown away) and cost a tenth of the ingest's store time."""
        d = {name: getattr(self, name) for name in _RULE_FIELDS}
        d["conditions"] = [c.to_dict() for c in self.conditions]
        d["amount"] = {name: _copy(getattr(self.amount, name)) for name in _AMOUNT_FIELDS}
        d["review"], d["non_stacking"], d["scope"] = list(self.review), list(self.non_stacking), list(self.scope)
        d["apply"] = _copy(self.apply)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> BenefitRule:
        d = dict(d)
        for name in _SHARED_FIELDS:
            d[name] = _shared(d.get(name))
        d["conditions"] = [Condition.from_dict(c) for c in d.get("conditions") or []]
        d["amount"] = Amount(**(d.get("amount") or {}))
        d["review"] = [_shared(x) for x in d.get("review") or []]
        if d.get("apply"):
            d["apply"] = {_shared(k): _shared(v) for k, v in d["apply"].items()}
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in d.items() if k in known})


# Values decoded rules share: a document's metadata (every rule of it repeats them), and words
# from small vocabularies (condition fields, operators, labels, review notes, 申请渠道). Decoded
# JSON gives each occurrence its own string; one copy each saves about a third of the memory a
# library's rules take in the matcher's cache (hundreds of thousands at 100,000 documents).
# Texts (the benefit's own words, its materials) are left alone: they are the rule's own.
_SHARED_FIELDS = ("doc_key", "cid", "source", "doc_number", "doc_title", "beneficiary", "kind")


def _shared(v: Any) -> Any:
    return sys.intern(v) if type(v) is str and len(v) <= 64 else v


# Every field of a rule and of its amount, in declaration order (the keys ``to_dict`` writes).
_RULE_FIELDS = tuple(f.name for f in fields(BenefitRule))
_AMOUNT_FIELDS = tuple(f.name for f in fields(Amount))


def _copy(v: Any) -> Any:
    """What ``asdict`` makes of a field value: containers copied all the way down."""
    if isinstance(v, str | int | float | None):
        return v
    if isinstance(v, dict):
        return {_copy(k): _copy(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return type(v)(_copy(x) for x in v)
    return deepcopy(v)
