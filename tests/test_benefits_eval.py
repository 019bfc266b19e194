"""The benefits and cases measures on the dev gold (shared/eval/dev) stay at their goals."""

from __future__ import annotations

import pytest

from conftest import CORPUS, GOLD


@pytest.mark.skipif(not (GOLD / "benefits.jsonl").is_file(), reason="dev gold not present")
def test_benefits_measure_on_dev():
    from zhengce.eval.benefits import score
    s = score(GOLD, CORPUS)
    assert s.values["recall"] >= 0.9, s.misses
    assert s.values["amount_exact"] >= 0.9, s.misses


@pytest.mark.skipif(not (GOLD / "cases.jsonl").is_file(), reason="dev gold not present")
def test_cases_measure_on_dev():
    from zhengce.eval.cases import score
    s = score(GOLD, CORPUS)
    assert s.values["recall"] >= 0.9, s.misses
    assert s.values["false_alarm_rate"] <= 0.02, s.misses
