"""The condition vocabulary: phrases benefit texts write → profile fields (``data/condition_phrases.tsv``).

Conditions are named in the texts by many words for one fact (新三板 = 全国中小企业股份转让系统 =
全国股转系统); keeping those words in one editable table lets a policy officer add the phrase
``zhengce rules coverage`` reports as most often unexpressed, without touching code.

``vocab_conditions(text, fields, cid)`` returns the conditions the phrase states and the text with
every matched phrase blanked, so the rest can be searched for acts the profile does not record
without finding the certification or listing again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from ...errors import InvalidInput
from ..literals import LiteralIndex
from .rule import OPERATORS, Condition

ENTERPRISE_FIELDS = ("listing", "certifications", "size", "zones", "ownership", "taxpayer", "industries")
PERSON_FIELDS = ("assistance", "disability", "lives_alone", "employment", "age", "")
BLANK = "＿"
# matches of different fields joined only by these form one "any" (低保和低收入家庭的失能、失智、高龄老年人)
OR_JOINERS = {"、", "或", "或者", "和", "及"}
OR_FIELDS = {"disability", "age", "", "lives_alone"}


@dataclass(frozen=True)
class Phrase:
    field: str
    op: str
    values: tuple
    pattern: re.Pattern
    label: str
    source: str


def _value(field: str, op: str, raw: str):
    if op in ("ge", "le"):
        return float(raw) if "." in raw else int(raw)
    if op in ("is_true", "is_false"):
        return raw.lower() == "true"
    return raw


@cache
def phrases() -> tuple[Phrase, ...]:
    path = resources.files("zhengce.data").joinpath("condition_phrases.tsv")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t") + [""] * 6
        field, op, values, pattern, label, source = cols[:6]
        if op not in OPERATORS:
            raise InvalidInput(f"condition_phrases.tsv:{n}: unknown op {op!r}", field="op")
        try:
            rx = re.compile(pattern)
        except re.error as e:
            raise InvalidInput(f"condition_phrases.tsv:{n}: bad pattern ({e})", field="pattern") from e
        vals = tuple(_value(field, op, v) for v in values.split(";") if v != "")
        out.append(Phrase(field, op, vals, rx, label, source))
    return tuple(out)


@cache
def _family(fields: tuple[str, ...]) -> tuple[tuple[Phrase, ...], LiteralIndex]:
    """The phrases of ``fields`` in table order, with one automaton over the words each needs."""
    chosen = tuple(ph for ph in phrases() if ph.field in fields)
    return chosen, LiteralIndex([ph.pattern for ph in chosen])


@lru_cache(maxsize=1 << 14)
def vocab_matches(text: str, fields: tuple[str, ...]) -> tuple[tuple[int, int, Phrase], ...]:
    """Every phrase of ``fields`` in ``text`` as (start, end, phrase), earlier table lines first,
    no two overlapping.

    Only the phrases whose required words occur in ``text`` are run (most texts hold none), and the
    answer is cached: a benefit's subject and grant clause are read for several fields."""
    chosen, index = _family(fields)
    taken = [False] * len(text)
    out = []
    for i in index.candidates(text):
        ph = chosen[i]
        for m in ph.pattern.finditer(text):
            if m.end() == m.start() or any(taken[m.start():m.end()]):
                continue
            for j in range(m.start(), m.end()):
                taken[j] = True
            out.append((m.start(), m.end(), ph))
    return tuple(sorted(out, key=lambda t: t[0]))


def _condition(field: str, ph: Phrase, values: list, label: str, cid: str) -> Condition:
    if ph.op == "unexpressed":
        return Condition("", "unexpressed", None, label, cid)
    if ph.op in ("in", "has_any", "like"):
        return Condition(field, ph.op, values, label, cid)
    return Condition(field, ph.op, ph.values[0] if ph.values else None, label, cid)


def _state(ph: Phrase) -> bool:
    """A person's state (失能, 失智, 高龄, 独居) that a 、-list offers as alternatives; the head noun
    老年人 is not one ("重度失能老年人或重度残疾老年人" is one population)."""
    return ph.field in OR_FIELDS and not (ph.field == "age" and ph.values == (60,))


def vocab_conditions(text: str, fields: tuple[str, ...], cid: str, *,
                     skip_age: bool = False) -> tuple[list[Condition], str]:
    """Conditions over ``fields`` stated by ``text``, and ``text`` with the matched phrases blanked.

    Matches of one field join into one condition (values united: 低保、低收入 = has_any [低保, 低收入]);
    adjacent matches of different person-state fields joined by 、/或 become one ``any``.
    ``skip_age``: the phrase states an age of its own, so 老年人/高龄 add nothing."""
    matches = vocab_matches(text, fields)
    hits = [h for h in matches if h[2].label != "(not a size)" and not (skip_age and h[2].field == "age")]
    masked = list(text)
    for s, e, _ in matches:
        masked[s:e] = BLANK * (e - s)
    groups: list[list[tuple[int, int, Phrase]]] = []
    for h in hits:
        prev = groups[-1][-1] if groups else None
        if (prev is not None and _state(h[2]) and _state(prev[2])
                and h[2].field != prev[2].field and text[prev[1]:h[0]] in OR_JOINERS):
            groups[-1].append(h)
        else:
            groups.append([h])
    by_field: dict[str, list] = {}
    order: list = []
    for g in groups:
        if len(g) > 1:  # 失能、失智、高龄: any of them
            alts = [[_condition(ph.field, ph, list(ph.values), ph.label if ph.op != "unexpressed" else text[s:e], cid)]
                    for s, e, ph in g]
            order.append(Condition("", "any", None, "或".join(text[s:e] for s, e, _ in g), cid, any_of=alts))
            continue
        s, e, ph = g[0]
        if ph.op == "unexpressed":
            order.append(_condition("", ph, [], text[s:e], cid))
            continue
        key = ph.field
        if key not in by_field:
            by_field[key] = [ph, [], []]
            order.append(key)
        if ph.label not in by_field[key][2]:
            by_field[key][2].append(ph.label)
        if ph.op in ("in", "has_any", "like"):
            by_field[key][1].extend(v for v in ph.values if v not in by_field[key][1])
        elif ph.op in ("ge", "le") and by_field[key][0].op == ph.op:
            pick = max if ph.op == "ge" else min
            if pick(ph.values[0], by_field[key][0].values[0]) == ph.values[0]:
                by_field[key][0] = ph
    out: list[Condition] = []
    for item in order:
        if isinstance(item, Condition):
            out.append(item)
        else:
            ph, values, labels = by_field[item]
            out.append(_condition(item, ph, values, "、".join(labels) if len(labels) > 1 else ph.label, cid))
    return out, "".join(masked)
