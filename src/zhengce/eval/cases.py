"""cases measure (shared/eval/README.md, cases.jsonl): recall and false_alarm_rate.

Each gold benefit id is mapped to a found benefit by the benefits measure's quote rule
(``zhengce.eval.benefits.find_benefit``); the matcher (``zhengce.match.match_rules``, the same code
the CLI and API run) is applied to each case's profile over all rules found in the gold's sources.
- recall = over all (case, id in ``eligible``) pairs, the share whose mapped benefit is reported
  "eligible" (an unmapped id is a miss).
- false_alarm_rate = over all (case, id in ``ineligible``) pairs, the share whose mapped benefit is
  reported "eligible". "possibly eligible" is neither a hit nor a false alarm; an unmapped id
  cannot be a false alarm.
"""

from __future__ import annotations

from pathlib import Path

from .benefits import find_benefit, rules_of
from .common import Score, fresh_library, load_gold, ratio


def score(gold_dir: Path, corpus_dir: Path) -> Score:
    from ..match import match_rules
    benefits = {b["id"]: b for b in load_gold(gold_dir, "benefits")}
    cases = load_gold(gold_dir, "cases")
    sources = {b["source"] for b in benefits.values()}
    with fresh_library(corpus_dir, sources) as lib:
        rules = rules_of(lib, sources)
    mapped = {bid: find_benefit(rules, b) for bid, b in benefits.items()}
    hits = n_elig = alarms = n_inelig = 0
    misses = []
    from ..errors import ZhengceError
    for case in cases:
        try:
            result = match_rules(rules, case["profile"])
        except ZhengceError as e:  # a profile the vocabulary rejects: every eligible id is missed
            misses.append(f"{case['id']} profile rejected: {e}")
            n_elig += len(case.get("eligible", []))
            n_inelig += len(case.get("ineligible", []))
            continue
        verdict = {i.benefit.id: i for i in result.items}
        for bid in case.get("eligible", []):
            n_elig += 1
            r = mapped.get(bid)
            item = verdict.get(r.id) if r else None
            if item and item.verdict == "eligible":
                hits += 1
            else:
                why = "not found" if item is None else f"{item.verdict}: {'; '.join(item.failed or item.missing)}"
                misses.append(f"{case['id']} {bid} missed ({why})")
        for bid in case.get("ineligible", []):
            n_inelig += 1
            r = mapped.get(bid)
            item = verdict.get(r.id) if r else None
            if item and item.verdict == "eligible":
                alarms += 1
                misses.append(f"{case['id']} {bid} false alarm: {'; '.join(item.reasons)}")
    return Score("cases", len(cases), {"recall": ratio(hits, n_elig),
                                       "false_alarm_rate": ratio(alarms, n_inelig)}, misses)
