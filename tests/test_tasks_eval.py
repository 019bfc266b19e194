"""``zhengce eval tasks`` on shared/eval/dev meets the issue's goals (general rules, no dev keys)."""

from __future__ import annotations

import pytest

from conftest import CORPUS, GOLD


@pytest.mark.skipif(not (GOLD / "tasks.jsonl").is_file(), reason="shared/eval/dev not present")
def test_eval_tasks_dev():
    from zhengce.eval import score
    s = score("tasks", GOLD, CORPUS)
    v = s.values
    assert s.n >= 40
    assert v["recall"] >= 0.95, s.misses[:5]
    assert v["units_exact"] >= 0.90, s.misses[:5]
    assert v["deadline_exact"] >= 0.95, s.misses[:5]
    assert v["precision"] >= 0.90, s.misses[:5]
