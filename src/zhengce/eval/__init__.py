"""Scorers for ``shared/eval``: one module per measure, each ``score(gold_dir, corpus_dir)``.

``MEASURES`` maps the measure name to the module path; a measure whose module is missing says
it is not implemented yet.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InvalidInput
from .common import Score

MEASURES = {
    "documents": "zhengce.eval.documents",
    "questions": "zhengce.eval.questions",
    "tasks": "zhengce.eval.tasks",
    "benefits": "zhengce.eval.benefits",
    "cases": "zhengce.eval.cases",
    "references": "zhengce.eval.references",
}


class NotImplementedMeasure(InvalidInput):
    pass


def score(measure: str, gold_dir: Path, corpus_dir: Path) -> Score:
    if measure not in MEASURES:
        raise InvalidInput(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)} or all")
    try:
        mod = importlib.import_module(MEASURES[measure])
    except ModuleNotFoundError as e:
        if e.name == MEASURES[measure]:
            raise NotImplementedMeasure(f"measure {measure!r} is not implemented yet") from e
        raise
    return mod.score(Path(gold_dir), Path(corpus_dir))
