"""Matching profiles to benefit rules (免申即享 / 精准推送) and policy cards (政策服务包).

Service functions for every face (CLI, REST API, web form); they take a ``Library`` and return
dataclasses:

- ``list_benefits(lib, kind=None) -> list[BenefitSummary]``
- ``match_profile(lib, profile) -> MatchResult`` — every benefit as eligible / possibly eligible /
  not eligible with reasons, sorted by verdict then amount
- ``card(lib, rule_id) -> Card`` — 谁能享受 / 享受什么 / 标准 / 怎么申请 / 受理部门 / 政策依据
- ``match_batch(lib, registry_path_or_population, benefit_id) -> BatchResult`` — vectorised over a
  registry (.parquet / .csv)

A single profile is a population of one: ``match_profile`` and ``match_batch`` run the same
vectorised evaluator (``zhengce.match.engine``).
"""

from __future__ import annotations

import contextlib
import gc
import threading
import weakref
from dataclasses import asdict, dataclass, field

import numpy as np

from ..errors import InvalidInput, NotFound
from ..extract.benefits.rule import BenefitRule
from .cards import Card, make_card
from .engine import Check, F, T, U, compiled, evaluate_rule, rule_traces
from .profile import Population, validate_profile
from .rule_cache import RuleCache

__all__ = ["BatchResult", "BenefitSummary", "Card", "Check", "MatchItem", "MatchResult", "card", "explain",
           "explain_rules", "list_benefits", "trace_row", "load_rules", "match_batch", "match_profile", "match_rules", "service_package"]

VERDICTS = {int(T): "eligible", int(U): "possibly eligible", int(F): "not eligible"}
VERDICT_ZH = {"eligible": "可以享受", "possibly eligible": "可能可以享受", "not eligible": "不符合条件"}


@dataclass
class BenefitSummary:
    id: str
    name: str
    beneficiary: str
    amount_max_yuan: float | None
    amount_per: str | None
    doc_title: str
    doc_number: str | None
    cid: str
    confidence: float
    version: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class MatchItem:
    benefit: BenefitSummary
    verdict: str  # eligible | possibly eligible | not eligible
    verdict_zh: str
    reasons: list[str]  # "年龄60至79周岁: 是" for every condition
    failed: list[str]  # the conditions that are false (not eligible)
    missing: list[str]  # the facts that are unknown or unexpressible (possibly eligible)
    checks: list[Check] = field(default_factory=list)
    # The lists are shared with the rule set's trace cache (one per rule and condition states):
    # read them, do not change them in place.

    def to_dict(self) -> dict:
        d = asdict(self)
        d["benefit"] = self.benefit.to_dict()
        return d


@dataclass
class MatchResult:
    profile: dict
    items: list[MatchItem]

    @property
    def eligible(self) -> list[MatchItem]:
        return [i for i in self.items if i.verdict == "eligible"]

    @property
    def possibly(self) -> list[MatchItem]:
        return [i for i in self.items if i.verdict == "possibly eligible"]

    def to_dict(self) -> dict:
        return {"profile": self.profile, "items": [i.to_dict() for i in self.items],
                "counts": {v: sum(1 for i in self.items if i.verdict == v) for v in VERDICT_ZH}}


@dataclass
class BatchResult:
    benefit: BenefitSummary
    n: int
    eligible: list[int]  # row indices in the registry
    possibly: list[int]
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {"benefit": self.benefit.to_dict(), "n": self.n, "eligible": self.eligible,
                "possibly": self.possibly, "seconds": self.seconds}


def summary(r: BenefitRule) -> BenefitSummary:
    return BenefitSummary(r.id, r.name, r.beneficiary, r.amount.max_yuan, r.amount.per, r.doc_title,
                          r.doc_number, r.cid, r.confidence, r.version)


@contextlib.contextmanager
def _no_cycle_collection():
    """Pause the cyclic garbage collector while a match builds its items.

    A match of tens of thousands of rules allocates one item (and one cache key) per rule; with
    the collector on, those allocations set off full collections that walk every cached rule
    (~1-2 s each at 38,000 rules). The items hold no reference cycles, so reference counting
    frees them all the same; the collector resumes (and catches up) when the match returns.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_RULES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # Library -> RuleCache
_RULES_LOCK = threading.Lock()


def rules_state(conn) -> tuple:
    """What the rules in force depend on: the store generation (every ingest or removal of a
    source bumps it, and with it ``benefit_rules``) and the corrections (``benefit_overrides``
    only grows: its row count and last serial change with every import)."""
    from ..store import documents as store_docs
    n, last = conn.exec_driver_sql("SELECT count(*), max(serial) FROM benefit_overrides").one()
    return store_docs.generation(conn), n, last


def load_rules(lib) -> list[BenefitRule]:
    """The rules in force, decoded once and then kept in step with the store (``rule_cache``).

    The list and its rules are shared by every caller until the store changes: treat them as
    read-only (a correction goes through ``import_rules``, which changes the state).
    """
    with _RULES_LOCK:
        cache = _RULES.get(lib)
        if cache is None:
            cache = _RULES[lib] = RuleCache()
    with cache.lock, lib.engine.connect() as conn:
        state = rules_state(conn)
        if cache.state == state:
            return cache.rules
        with _no_cycle_collection():  # ~40 objects per rule, all kept: collections only walk them
            return cache.refresh(conn, state)


def list_benefits(lib, kind: str | None = None) -> list[BenefitSummary]:
    return [summary(r) for r in load_rules(lib) if kind is None or r.beneficiary == kind]


def match_rules(rules: list[BenefitRule], profile: dict) -> MatchResult:
    """Match one validated profile against ``rules`` (pure: no store)."""
    with _no_cycle_collection():
        return _match_rules(rules, profile)


def _match_rules(rules: list[BenefitRule], profile: dict) -> MatchResult:
    validate_profile(profile)
    pop = Population.from_profiles([profile])
    rs = compiled(rules)
    truth = rs.truth(pop)
    vlist = rs.verdicts(truth)[:, 0].tolist()
    col = truth[:, 0].tolist()
    if rs.summaries is None:
        rs.summaries = [summary(r) for r in rules]
    items = []
    for j, tr in enumerate(rule_traces(rs, col, vlist, pop)):
        verdict = VERDICTS[vlist[j]]
        items.append(MatchItem(rs.summaries[j], verdict, VERDICT_ZH[verdict], tr.reasons, tr.failed, tr.missing,
                               tr.checks))
    order = {"eligible": 0, "possibly eligible": 1, "not eligible": 2}
    items.sort(key=lambda i: (order[i.verdict], -(i.benefit.amount_max_yuan or 0)))
    return MatchResult(profile, items)


def match_profile(lib, profile: dict) -> MatchResult:
    return match_rules(load_rules(lib), profile)


def get_rule(lib, rule_id: str) -> BenefitRule:
    from ..store.benefits import get_rule as _get
    with lib.engine.connect() as conn:
        r = _get(conn, rule_id)
    if r is None:
        raise NotFound(f"没有找到政策规则 {rule_id}", hint="用 zhengce benefits 查看全部规则", field="id")
    return r


def card(lib, rule_id: str, profile: dict | None = None) -> Card:
    """The policy card; with a ``profile``, the card carries that profile's verdict and trace."""
    rule = get_rule(lib, rule_id)
    c = make_card(rule)
    if profile is not None:
        item = explain_rules([rule], profile)[0]
        c.verdict, c.trace = item.verdict_zh, [trace_row(ch) for ch in item.checks]
    return c


def explain_rules(rules: list[BenefitRule], profile: dict) -> list[MatchItem]:
    """Verdict and trace of each of ``rules`` for one profile, in the rules' order (pure: no store)."""
    by_id = {i.benefit.id: i for i in match_rules(rules, profile).items}
    return [by_id[r.id] for r in rules]


def explain(lib, rule_id: str, profile: dict) -> MatchItem:
    """Why (or why not) ``profile`` is eligible for one rule: every condition with the fact read,
    its result and the provision it comes from (``MatchItem.checks``)."""
    return explain_rules([get_rule(lib, rule_id)], profile)[0]


def trace_row(c: Check) -> dict:
    """One line of a trace as every face shows it."""
    return {"condition": c.label, "fact": c.fact, "result": c.value, "cid": c.cid, "missing": list(c.missing)}


def service_package(lib, profile: dict, *, include_possible: bool = True) -> list[Card]:
    """政策服务包 for a profile: the cards of every benefit it is (possibly) eligible for, in match order."""
    rules = load_rules(lib)
    by_id = {r.id: r for r in rules}
    result = match_rules(rules, profile)
    keep = ("eligible", "possibly eligible") if include_possible else ("eligible",)
    return [make_card(by_id[i.benefit.id]) for i in result.items if i.verdict in keep]


def match_batch(lib, registry, benefit_id: str, *, engine: str = "numpy") -> BatchResult:
    """Every eligible and possibly eligible row of a registry for one benefit, vectorised.

    ``engine``: ``numpy`` (columns in memory) or ``duckdb`` (the rule compiled to SQL and run on
    the file). A registry without a ``kind`` column is taken to hold the benefit's kind of entity.
    """
    import time

    from .profile import Column
    from .registry import read_registry
    rule = get_rule(lib, benefit_id)
    t0 = time.perf_counter()
    if engine == "duckdb":
        from .sql import match_registry_duckdb
        eligible, possibly = match_registry_duckdb(registry, rule)
        from .registry import read_table
        n = read_table(registry).num_rows
        return BatchResult(summary(rule), n, eligible, possibly, time.perf_counter() - t0)
    if engine != "numpy":
        raise InvalidInput(f"未知引擎 {engine!r}（numpy 或 duckdb）", field="engine")
    pop = registry if isinstance(registry, Population) else read_registry(registry)
    if "kind" not in pop.cols:
        pop.cols["kind"] = Column("cat", np.zeros(pop.n, dtype=np.int32), [rule.beneficiary])
    t0 = time.perf_counter()
    v = evaluate_rule(rule, pop, {})
    secs = time.perf_counter() - t0
    return BatchResult(summary(rule), pop.n, np.flatnonzero(v == T).tolist(),
                       np.flatnonzero(v == U).tolist(), secs)
