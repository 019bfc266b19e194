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
from dataclasses import dataclass

import numpy as np

from ..errors import InvalidInput, NotFound
from ..extract.benefits.rule import BenefitRule
from .cards import Card, make_card
from .engine import Check, Matcher, T, U, evaluate_rule
from .profile import Population, validate_profile
from .result import (
    VERDICT_ZH,
    VERDICTS,
    BenefitSummary,
    MatchItem,
    MatchItems,
    MatchResult,
    make_item,
    table_summary,
)
from .rule_cache import RuleCache
from .snapshot import path_for as snapshot_path
from .table import Pool, RuleTable, Templates, record_from_rule

__all__ = ["BatchResult", "BenefitSummary", "Card", "Check", "MatchItem", "MatchItems", "MatchResult", "VERDICTS",
           "VERDICT_ZH", "benefit_count", "benefit_summary", "card", "explain", "explain_rules", "list_benefits", "trace_row",
           "keep_snapshot", "load_rules", "match_batch", "matcher", "match_profile", "match_rules", "service_package"]


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
    """Pause the cyclic garbage collector while the rule cache reads rules.

    A full read of hundreds of thousands of rules allocates a few objects per rule, all kept;
    with the collector on, those allocations set off full collections that walk everything
    already read. The rows hold no reference cycles; the collector resumes (and catches up) after.
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


def matcher(lib) -> Matcher:
    """The library's rules in force, compiled for matching and kept in step with the store
    (``rule_cache``): compact columns, no decoded rules. Shared by every caller until the
    store changes."""
    with _RULES_LOCK:
        cache = _RULES.get(lib)
        if cache is None:
            cache = _RULES[lib] = RuleCache(snapshot_path(lib))
    with cache.lock, lib.engine.connect() as conn:
        state = rules_state(conn)
        if cache.state == state and cache.matcher is not None:
            return cache.matcher
        with _no_cycle_collection():
            return cache.refresh(conn, state)


def keep_snapshot(lib) -> None:
    """Bring the library's rule table on disk (``snapshot``) up to the store, reading only what
    the file lacks (a bulk ingest's end: ``extract.stages.keep_match_rules``). A process that
    matches refreshes its own cache (which writes the file); otherwise the rules read here are
    dropped afterwards — an ingest process need not hold them."""
    with _RULES_LOCK:
        cache = _RULES.get(lib)
    if cache is not None:
        matcher(lib)
        return
    cache = RuleCache(snapshot_path(lib))
    with lib.engine.connect() as conn, _no_cycle_collection():
        cache.refresh(conn, rules_state(conn))


def load_rules(lib) -> list[BenefitRule]:
    """The rules in force, decoded from the store on each call, in the matcher's order.

    For the faces that need whole rules (coverage, rules export, the scorers); matching keeps
    only compact columns (``matcher``), since hundreds of thousands of decoded rules took
    gigabytes.
    """
    from ..store.benefits import list_rules
    with lib.engine.connect() as conn:
        return list_rules(conn)


def list_benefits(lib, kind: str | None = None, doc_key: str | None = None) -> list[BenefitSummary]:
    """Summaries of the rules in force, of one kind of beneficiary and/or one document: a page
    about one document need not make a summary of every rule of the library."""
    table = matcher(lib).table
    return [table_summary(table, j) for j, (head, doc) in enumerate(zip(table.heads, table.docs, strict=True))
            if (kind is None or head[1] == kind) and (doc_key is None or doc[0] == doc_key)]


def benefit_count(lib) -> int:
    """How many rules are in force, from the store (the home page's figure: a first page view of
    a server must not wait for the matcher to read ~380,000 rules)."""
    from ..store.benefits import count_in_force
    with lib.engine.connect() as conn:
        return count_in_force(conn)


def benefit_summary(lib, rule_id: str) -> BenefitSummary | None:
    """The summary of one rule in force (None when there is none), without listing them all."""
    table = matcher(lib).table
    try:
        return table_summary(table, table.ids.index(rule_id))
    except ValueError:
        return None


_LISTS: list[tuple[list, list[int], Matcher]] = []  # the last lists of rules compiled (pure path)
_LISTS_LOCK = threading.Lock()


def compile_rules(rules: list[BenefitRule]) -> Matcher:
    """A matcher for a list of decoded rules, reused while the same list of the same rules is
    asked for (a scorer matches one list against every case)."""
    ids = [id(r) for r in rules]
    with _LISTS_LOCK:
        for lst, rids, m in _LISTS:
            if lst is rules and rids == ids:
                return m
    templates, heads, docs = Templates(), Pool(), Pool()
    m = Matcher(RuleTable.build(record_from_rule(r, templates, heads, docs) for r in rules), templates)
    with _LISTS_LOCK:
        _LISTS.insert(0, (rules, ids, m))
        del _LISTS[8:]
    return m


def _match(m: Matcher, profile: dict) -> MatchResult:
    validate_profile(profile)
    return MatchResult(profile, m.match(Population.from_profiles([profile])))


def match_rules(rules: list[BenefitRule], profile: dict) -> MatchResult:
    """Match one validated profile against ``rules`` (pure: no store)."""
    return _match(compile_rules(rules), profile)


def match_profile(lib, profile: dict) -> MatchResult:
    return _match(matcher(lib), profile)


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
    m = match_rules(rules, profile).match
    ids = m.matcher.table.ids
    row = {ids[j]: j for j in m.order.tolist()}  # a repeated id: the last one listed, as before
    return [make_item(m, row[r.id]) for r in rules]


def explain(lib, rule_id: str, profile: dict) -> MatchItem:
    """Why (or why not) ``profile`` is eligible for one rule: every condition with the fact read,
    its result and the provision it comes from (``MatchItem.checks``)."""
    return explain_rules([get_rule(lib, rule_id)], profile)[0]


def trace_row(c: Check) -> dict:
    """One line of a trace as every face shows it."""
    return {"condition": c.label, "fact": c.fact, "result": c.value, "cid": c.cid, "missing": list(c.missing)}


def service_package(lib, profile: dict, *, include_possible: bool = True) -> list[Card]:
    """政策服务包 for a profile: the cards of every benefit it is (possibly) eligible for, in match order.
    Only those rules are decoded (from the store)."""
    from ..store.benefits import rules_by_id
    result = match_profile(lib, profile)
    kept = result.items[:result.match.counts[0] + (result.match.counts[1] if include_possible else 0)]
    table = result.match.matcher.table
    ids = [table.ids[j] for j in kept.rows().tolist()]
    with lib.engine.connect() as conn:
        rules = rules_by_id(conn, ids)
    return [make_card(rules[rid]) for rid in ids]


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
