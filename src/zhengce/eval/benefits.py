"""benefits measure (shared/eval/README.md, benefits.jsonl): recall and amount_exact.

Our exact reading of the rule:
- A found benefit is a rule in force after ingest (extraction plus officer corrections) whose
  document comes from the gold line's ``source`` file. Its source text is ``BenefitRule.text``
  (the provision's normalised text, or the sentences of the unit when one provision grants
  several things).
- A found benefit matches a gold one when ``normalize(gold.quote)`` is a substring of
  ``normalize(found.text)`` (``zhengce.text.contains``). When several found benefits contain the
  quote, the one with the shortest text (the most specific unit) is taken; ties go to document order.
- recall = matched gold lines / gold lines.
- amount_exact = over matched gold lines, the share where ``found.amount.max_yuan`` equals
  ``amount_max_yuan`` (both null counts as equal; numbers equal within 0.01 yuan).
"""

from __future__ import annotations

from pathlib import Path

from ..extract.benefits.rule import BenefitRule
from .common import Score, fresh_library, load_gold, normalize, ratio


def find_benefit(rules: list[BenefitRule], gold: dict) -> BenefitRule | None:
    q = normalize(gold["quote"])
    hits = [r for r in rules if r.source == gold["source"] and q in normalize(r.text)]
    return min(hits, key=lambda r: len(r.text)) if hits else None


def amount_equal(found: float | None, gold: float | None) -> bool:
    if found is None or gold is None:
        return found is None and gold is None
    return abs(float(found) - float(gold)) < 0.01


def rules_of(lib, sources: set[str]) -> list[BenefitRule]:
    from ..match import load_rules
    return [r for r in load_rules(lib) if r.source in sources]


def score(gold_dir: Path, corpus_dir: Path) -> Score:
    gold = load_gold(gold_dir, "benefits")
    sources = {g["source"] for g in gold}
    with fresh_library(corpus_dir, sources) as lib:
        rules = rules_of(lib, sources)
    matched = amount_ok = 0
    misses = []
    for g in gold:
        r = find_benefit(rules, g)
        if r is None:
            misses.append(f"{g['id']} not found: {g['quote']} ({g['source']})")
            continue
        matched += 1
        if amount_equal(r.amount.max_yuan, g.get("amount_max_yuan")):
            amount_ok += 1
        else:
            misses.append(f"{g['id']} amount {r.amount.max_yuan} != {g.get('amount_max_yuan')}: {r.id}")
    return Score("benefits", len(gold), {"recall": ratio(matched, len(gold)),
                                         "amount_exact": ratio(amount_ok, matched)}, misses)
