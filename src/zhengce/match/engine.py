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


def condition_key(c: Condition) -> str:
    """The condition without its wording and place: conditions with equal keys are evaluated once."""
    d = c.to_dict()
    d.pop("label", None)
    d.pop("cid", None)
    if "any_of" in d:
        d["any_of"] = [[{k: v for k, v in s.items() if k not in ("label", "cid")} for s in alt] for alt in d["any_of"]]
    return repr(d)


class Matcher:
    """A table's rules ready to match (``table.RuleTable``): each distinct condition is evaluated
    once per profile, and every rule's verdict is one ``np.minimum.reduceat`` over the truth of
    its conditions. Nothing per rule is a Python object: a match costs arrays of n bytes and
    n indices, and a rule's trace is built only when its item is read (``Match.checks``)."""

    def __init__(self, table, templates) -> None:
        self.table, self.templates = table, templates
        n_keys = len(templates.evaluated)
        self.conditions: list[Condition] = templates.evaluated[:n_keys]
        self.fields: list[tuple[str, ...]] = templates.fields[:n_keys]
        n = len(table)
        counts = np.diff(table.bounds)
        empty = np.flatnonzero(counts == 0)
        flat = table.conds
        if len(empty):  # a rule without conditions reads the always-true row appended in ``truth``
            flat = np.insert(flat, table.bounds[empty], -1)
        key_of = np.array([*templates.key_of, n_keys], dtype=np.int32)
        self.flat = key_of[flat] if len(flat) else np.zeros(0, np.int32)
        # int32 where it fits: these two arrays are the matcher's only memory per rule besides the table's
        small = np.int32 if len(self.flat) < 2**31 else np.int64
        self.starts = (table.bounds[:-1] + np.searchsorted(empty, np.arange(n))).astype(small)
        # rules by amount, largest first, ties in table order: a match then sorts by verdict only
        self.by_amount = np.argsort(-np.nan_to_num(table.amount, nan=0.0), kind="stable").astype(small)

    def __len__(self) -> int:
        return len(self.table)

    def truth(self, pop: Population) -> np.ndarray:
        """Condition × member truth matrix, plus a last all-true row."""
        cache: dict = {}
        rows = [evaluate(c, pop, cache) for c in self.conditions]
        rows.append(np.full(pop.n, T, dtype=np.uint8))
        return np.vstack(rows)

    def verdicts(self, truth: np.ndarray) -> np.ndarray:
        """Rule × member verdicts."""
        if not len(self.table):
            return np.zeros((0, truth.shape[1]), dtype=np.uint8)
        return np.minimum.reduceat(truth[self.flat], self.starts, axis=0)

    def match(self, pop: Population) -> Match:
        """Member 0 of ``pop`` against every rule: verdicts and the order items are listed in
        (eligible, possibly, not eligible; by amount within each, largest first; stable)."""
        truth = self.truth(pop)[:, 0]
        v = self.verdicts(truth[:, None])[:, 0] if len(self.table) else np.zeros(0, np.uint8)
        rank = (T - v)[self.by_amount]  # 0 eligible, 1 possibly, 2 not eligible
        order = self.by_amount[np.argsort(rank, kind="stable")]
        return Match(self, pop, truth, v, order, np.bincount(rank, minlength=3))


class Match:
    """One profile's verdicts over a matcher's rules; traces are built for the rules asked for.

    A rule's trace depends only on its conditions' states (value, unknown fields, fact read),
    which are computed once per distinct condition on first use.
    """

    def __init__(self, matcher: Matcher, pop: Population, truth: np.ndarray, verdicts: np.ndarray,
                 order: np.ndarray, counts: np.ndarray) -> None:
        self.matcher, self.pop, self.truth, self.verdicts, self.order = matcher, pop, truth, verdicts, order
        self.counts = [int(x) for x in counts]  # eligible, possibly, not eligible
        self._states: dict[int, tuple[int, tuple[str, ...], str]] = {}
        self._facts: dict[tuple[str, ...], str] = {}

    def state(self, k: int) -> tuple[int, tuple[str, ...], str]:
        """(value, the fields that left it unknown, the facts read) of evaluated condition ``k``."""
        st = self._states.get(k)
        if st is None:
            pop, fields, val = self.pop, self.matcher.fields[k], int(self.truth[k])
            missing = tuple(f for f in fields if f not in pop.cols or _unknown_at(pop.cols[f], 0)) if val == 1 else ()
            fact = self._facts.get(fields)
            if fact is None:
                fact = self._facts[fields] = fact_at(pop, list(fields)) if fields else "画像无此事实"
            st = self._states[k] = (val, missing, fact)
        return st

    def checks(self, j: int) -> list[Check]:
        """Rule ``j``'s trace: every condition with its value, reason, provision and facts."""
        table, tpl = self.matcher.table, self.matcher.templates
        doc_key = table.docs[j][0]
        out = []
        for t in table.conditions(j).tolist():
            val, missing, fact = self.state(tpl.key_of[t])
            out.append(_check(tpl.conditions[t], val, missing, fact, tpl.cid(t, doc_key)))
        return out


def _check(c: Condition, val: int, missing_fields: tuple[str, ...], fact: str, cid: str) -> Check:
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
    return Check(label, word, f"{label}: {word}", cid, missing, fact)


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
