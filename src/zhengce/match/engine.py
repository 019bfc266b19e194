"""Vectorised evaluation of rule conditions over a population (three-valued, Kleene logic).

Truth values are uint8: F=0, U=1 (unknown: a missing fact or one the vocabulary cannot state),
T=2 — so AND is ``np.minimum`` and OR is ``np.maximum``. Each condition is one numpy expression
over a whole column; a rule is the minimum over its conditions. One profile is a population of one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..extract.benefits.rule import BenefitRule, Condition
from .profile import Column, Population, vocabulary

F, U, T = np.uint8(0), np.uint8(1), np.uint8(2)


def _tv(cond: np.ndarray, unknown: np.ndarray | None) -> np.ndarray:
    out = np.where(cond, T, F).astype(np.uint8)
    if unknown is not None:
        out[unknown] = U
    return out


def evaluate(c: Condition, pop: Population, cache: dict | None = None) -> np.ndarray:
    """The truth of one condition for every member of ``pop``."""
    key = None
    if cache is not None and c.op != "any":
        key = (c.field, c.op, repr(c.value))
        hit = cache.get(key)
        if hit is not None:
            return hit
    out = _evaluate(c, pop, cache)
    if key is not None:
        cache[key] = out
    return out


def _evaluate(c: Condition, pop: Population, cache: dict | None) -> np.ndarray:
    n = pop.n
    if c.op == "unexpressed":
        return np.full(n, U, dtype=np.uint8)
    if c.op == "any":
        acc = np.full(n, F, dtype=np.uint8)
        for alt in c.any_of or []:
            part = np.full(n, T, dtype=np.uint8)
            for sub in alt:
                part = np.minimum(part, evaluate(sub, pop, cache))
            acc = np.maximum(acc, part)
        return acc
    col: Column | None = pop.cols.get(c.field)
    if col is None:
        return np.full(n, U, dtype=np.uint8)
    v, op = c.value, c.op
    if col.type == "cat":
        codes, unknown = col.values, col.values < 0
        if op in ("eq", "ne"):
            hit = codes == col.code(v)
            return _tv(hit if op == "eq" else ~hit, unknown)
        if op == "like":
            subs = v if isinstance(v, list) else [v]
            hit_cats = np.array([any(x in cat for x in subs) for cat in col.cats] + [False], dtype=bool)
            return _tv(hit_cats[np.where(codes < 0, len(col.cats), codes)], unknown)
        if op in ("in", "not_in"):
            # a lookup table over the categories (np.isin sorts; this is one gather, also for n = 1)
            lut = np.zeros(len(col.cats) + 1, dtype=bool)
            lut[[c for c in (col.code(x) for x in v) if c >= 0]] = True
            hit = lut[np.where(codes < 0, len(col.cats), codes)]
            return _tv(hit if op == "in" else ~hit, unknown)
    elif col.type == "num":
        x, unknown = col.values, np.isnan(col.values)
        if op in ("before", "after"):
            import datetime as dt
            v = float(dt.date.fromisoformat(v).toordinal())
        with np.errstate(invalid="ignore"):
            hit = {"eq": lambda: x == v, "ne": lambda: x != v, "ge": lambda: x >= v, "le": lambda: x <= v,
                   "between": lambda: (x >= v[0]) & (x <= v[1]), "is_true": lambda: x == 1.0,
                   "is_false": lambda: x == 0.0, "before": lambda: x < v, "after": lambda: x > v}.get(op)
            if hit is not None:
                return _tv(hit(), unknown)
    elif col.type == "list":
        unknown = ~col.known
        m = col.bits(v if isinstance(v, list) else [v])
        if op == "has_any":
            return _tv((col.values & m) != 0, unknown)
        if op == "has_all":
            return _tv((col.values & m) == m, unknown)
        if op == "not_in":
            return _tv((col.values & m) == 0, unknown)
    return np.full(n, U, dtype=np.uint8)


def evaluate_rule(rule: BenefitRule, pop: Population, cache: dict | None = None) -> np.ndarray:
    out = np.full(pop.n, T, dtype=np.uint8)
    for c in rule.conditions:
        out = np.minimum(out, evaluate(c, pop, cache))
    return out


@dataclass
class Check:
    """One condition's outcome for one profile, with its reason phrase and citation."""

    label: str
    value: str  # "是" | "否" | "未知"
    reason: str  # "年龄60至79周岁: 否"
    cid: str
    missing: list[str]  # profile fields (or unexpressible facts) that left it unknown
    fact: str = ""  # what the profile says for the condition's fields: "年龄=70", "户籍=未填写"


_WORD = {int(T): "是", int(F): "否", int(U): "未知"}


def explain(rule: BenefitRule, pop: Population, i: int = 0, cache: dict | None = None) -> list[Check]:
    """The trace of one member: every condition with its value and reason."""
    vocab = vocabulary()
    checks = []
    for c in rule.conditions:
        val = int(evaluate(c, pop, cache)[i])
        missing: list[str] = []
        if val == U:
            if c.op == "unexpressed":
                missing = [f"无法由画像表达: {c.label}"]
            else:
                missing = [f"{f}（{vocab.get(f, {}).get('label', f)}）" for f in sorted(c.fields())
                           if f not in pop.cols or _unknown_at(pop.cols[f], i)]
                missing += [f"无法由画像表达: {w}" for w in unexpressed_words(c)]
        label = c.label or f"{c.field} {c.op} {c.value}"
        fact = fact_at(pop, sorted(c.fields()), i) if c.fields() else "画像无此事实"
        checks.append(Check(label, _WORD[val], f"{label}: {_WORD[val]}", c.cid, missing, fact))
    return checks


def _unknown_at(col: Column, i: int) -> bool:
    if col.type == "cat":
        return bool(col.values[i] < 0)
    if col.type == "num":
        return bool(np.isnan(col.values[i]))
    return not bool(col.known[i])


def _key(c: Condition) -> str:
    """The condition without its wording and place: conditions with equal keys are evaluated once.

    Remembered on the condition (rules are read-only once loaded, and the rule cache keeps the
    same objects across store changes, so a recompile after an ingest only keys new rules).
    """
    k = c.__dict__.get("_match_key")
    if k is None:
        k = c.__dict__["_match_key"] = _compute_key(c)
    return k


def _compute_key(c: Condition) -> str:
    d = c.to_dict()
    d.pop("label", None)
    d.pop("cid", None)
    if "any_of" in d:
        d["any_of"] = [[{k: v for k, v in s.items() if k not in ("label", "cid")} for s in alt] for alt in d["any_of"]]
    return repr(d)


class RuleSet:
    """Rules compiled once: each distinct condition is evaluated once per population, and every
    rule's verdict is one ``np.minimum.reduceat`` over the rows of its conditions."""

    def __init__(self, rules: list[BenefitRule]):
        self.rules = rules
        self.conditions: list[Condition] = []
        index: dict[str, int] = {}
        flat: list[int] = []
        self.offsets: list[int] = []
        self.members: list[list[int]] = []
        for r in rules:
            ids = []
            for c in r.conditions:
                k = _key(c)
                if k not in index:
                    index[k] = len(self.conditions)
                    self.conditions.append(c)
                ids.append(index[k])
            self.members.append(ids)
            self.offsets.append(len(flat))
            flat.extend(ids or [-1])  # -1: the always-true row appended in ``truth``
        self.flat = np.array(flat, dtype=np.int64)
        self.fields = [tuple(sorted(c.fields())) for c in self.conditions]
        self.checks: dict[tuple, Check] = {}
        self.summaries: list | None = None  # filled by zhengce.match.match_rules
        # One profile's trace of a rule depends only on the states of its conditions: interned
        # condition states and, per (rule, states), the finished trace (see ``rule_traces``).
        self.state_ids: dict[tuple, int] = {}
        self.states: list[tuple] = []
        self.traces: dict[tuple, RuleTrace] = {}

    def truth(self, pop: Population) -> np.ndarray:
        """Condition × member truth matrix, plus a last all-true row."""
        cache: dict = {}
        rows = [evaluate(c, pop, cache) for c in self.conditions]
        rows.append(np.full(pop.n, T, dtype=np.uint8))
        return np.vstack(rows)

    def verdicts(self, truth: np.ndarray) -> np.ndarray:
        """Rule × member verdicts."""
        if not self.rules:
            return np.zeros((0, truth.shape[1]), dtype=np.uint8)
        return np.minimum.reduceat(truth[self.flat], np.array(self.offsets, dtype=np.int64), axis=0)


_COMPILED: dict[tuple, RuleSet] = {}
# A rule set this large is a library's list in force; each store change brings a new one, and
# keeping the replaced ones (with their trace caches) held a library's rules in memory twice.
LIBRARY_RULES = 5_000


def compiled(rules: list[BenefitRule]) -> RuleSet:
    """A RuleSet for ``rules``, reused while the same rule versions are asked for.

    The very list ``load_rules`` keeps per store state is recognised by identity first (no
    key over thousands of rules per profile).
    """
    for rs in list(_COMPILED.values()):
        if rs.rules is rules and len(rs.offsets) == len(rules):
            return rs
    key = tuple((r.id, r.version, len(r.conditions)) for r in rules)
    rs = _COMPILED.get(key)
    if rs is None or [id(r) for r in rs.rules] != [id(r) for r in rules]:
        rs = RuleSet(rules)
        if len(rules) >= LIBRARY_RULES:  # a library's new list in force: the one it replaces goes
            for k in [k for k, v in _COMPILED.items() if len(v.rules) >= LIBRARY_RULES]:
                del _COMPILED[k]
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        _COMPILED[key] = rs
    return rs


def checks_from(rs: RuleSet, j: int, truth_col: list[int], pop: Population, i: int = 0,
                facts_memo: dict | None = None) -> list[Check]:
    """``explain`` from an already computed truth column (a list of ints; no re-evaluation).

    Checks are immutable and reused across calls: one per (rule, condition, value, missing facts,
    fact). ``facts_memo`` (one dict per profile) reads each set of fields from the profile once.
    """
    out = []
    cache = rs.checks
    facts = facts_memo if facts_memo is not None else {}
    for pos, k in enumerate(rs.members[j]):
        val = truth_col[k]
        fields = rs.fields[k]
        missing_fields: tuple[str, ...] = ()
        if val == 1:
            missing_fields = tuple(f for f in fields if f not in pop.cols or _unknown_at(pop.cols[f], i))
        fact = facts.get(fields)
        if fact is None:
            fact = facts[fields] = fact_at(pop, list(fields), i) if fields else "画像无此事实"
        key = (j, pos, val, missing_fields, fact)
        chk = cache.get(key)
        if chk is None:
            chk = cache[key] = _check(rs.rules[j].conditions[pos], val, missing_fields, fact)
        out.append(chk)
    return out


@dataclass(frozen=True, slots=True)
class RuleTrace:
    """One rule's trace for one profile: every check, the reason lines, the failed ones, and the
    facts that left it open (empty for a rule the profile cannot get).

    The lists are shared by every ``MatchItem`` made from this trace (read-only): copying four
    lists per rule per profile was most of a match's allocations, and with tens of thousands
    of rules those allocations set off full garbage collections over every cached rule.
    """

    checks: list[Check]
    reasons: list[str]
    failed: list[str]
    missing: list[str]


TRACE_CACHE = 200_000  # cached states / traces per RuleSet before the caches start afresh


def condition_states(rs: RuleSet, truth_col: list[int], pop: Population, i: int = 0) -> list[int]:
    """For every distinct condition, the interned id of (value, unknown fields, fact read):
    all a check depends on besides its rule. Facts are read once per set of fields."""
    if len(rs.state_ids) > TRACE_CACHE:
        rs.state_ids.clear()
        rs.states.clear()
        rs.traces.clear()
    facts: dict[tuple, str] = {}
    ids, states, out = rs.state_ids, rs.states, []
    for k, fields in enumerate(rs.fields):
        val = truth_col[k]
        missing = tuple(f for f in fields if f not in pop.cols or _unknown_at(pop.cols[f], i)) if val == 1 else ()
        fact = facts.get(fields)
        if fact is None:
            fact = facts[fields] = fact_at(pop, list(fields), i) if fields else "画像无此事实"
        key = (k, val, missing, fact)
        sid = ids.get(key)
        if sid is None:
            sid = ids[key] = len(states)
            states.append(key)
        out.append(sid)
    return out


def rule_traces(rs: RuleSet, truth_col: list[int], verdicts: list[int], pop: Population,
                i: int = 0) -> list[RuleTrace]:
    """The trace of every rule for member ``i``, each built once per (rule, condition states).

    Thousands of rules share few condition states per profile, and a server sees the same
    states again and again: a rule costs one tuple and one dict lookup once it has been seen.
    """
    sids = condition_states(rs, truth_col, pop, i)
    traces, out = rs.traces, []
    for j, members in enumerate(rs.members):
        key = (j, *[sids[k] for k in members])
        tr = traces.get(key)
        if tr is None:
            tr = traces[key] = _trace(rs, j, [rs.states[sids[k]] for k in members], verdicts[j])
        out.append(tr)
    return out


def _trace(rs: RuleSet, j: int, states: list[tuple], verdict: int) -> RuleTrace:
    conds = rs.rules[j].conditions
    checks = [_check(conds[pos], val, missing_fields, fact)
              for pos, (_k, val, missing_fields, fact) in enumerate(states)]
    return RuleTrace(checks, [c.reason for c in checks], [c.reason for c in checks if c.value == "否"],
                     [m for c in checks if c.value == "未知" for m in c.missing] if verdict != int(F) else [])


def _check(c: Condition, val: int, missing_fields: tuple[str, ...], fact: str) -> Check:
    """One condition's line of a trace: its verdict word and what the profile would need to say."""
    label = c.label or f"{c.field} {c.op} {c.value}"
    if val == 1 and c.op == "unexpressed":
        missing = [f"无法由画像表达: {c.label}"]
    else:
        vocab = vocabulary()
        missing = [f"{f}（{vocab.get(f, {}).get('label', f)}）" for f in missing_fields]
        if val == 1:  # an alternative the vocabulary cannot state ("失智") left it open
            missing += [f"无法由画像表达: {w}" for w in unexpressed_words(c)]
    word = _WORD[val]
    return Check(label, word, f"{label}: {word}", c.cid, missing, fact)


def unexpressed_words(c: Condition) -> list[str]:
    if c.op == "unexpressed":
        return [c.label]
    return [w for alt in c.any_of or [] for sub in alt for w in unexpressed_words(sub)]


def fact_at(pop: Population, fields: list[str], i: int = 0) -> str:
    """The profile's facts for ``fields`` at member ``i``, as the trace shows them ("年龄=70")."""
    import datetime as dt
    vocab = vocabulary()
    parts = []
    for f in fields:
        name = vocab.get(f, {}).get("label", f)
        col = pop.cols.get(f)
        if col is None or _unknown_at(col, i):
            parts.append(f"{name}=未填写")
            continue
        if col.type == "cat":
            v = col.cats[int(col.values[i])]
        elif col.type == "list":
            bits = int(col.values[i])
            v = "、".join(c for b, c in enumerate(col.cats) if bits >> b & 1) or "无"
        else:
            x = float(col.values[i])
            t = vocab.get(f, {}).get("type")
            v = (dt.date.fromordinal(int(x)).isoformat() if t == "date" else
                 ("是" if x else "否") if t == "bool" else f"{x:g}")
        parts.append(f"{name}={v}")
    return "；".join(parts)
