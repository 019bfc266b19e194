"""Scorers for ``shared/eval``: one module per measure, each ``score(gold_dir, corpus_dir)``.

``MEASURES`` is the one registry: measure name -> module path (append yours). A measure reads
the gold file ``<name>.jsonl`` unless ``GOLD_FILES`` names others; ``eval all`` scores exactly
the measures whose gold files are present in ``--gold``. A measure whose module is missing says
it is not implemented yet. Corpus files the system refuses are listed first in the misses.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ..errors import InvalidInput
from .common import _REFUSED, Score

MEASURES = {
    "documents": "zhengce.eval.documents",
    "questions": "zhengce.eval.questions",
    "tasks": "zhengce.eval.tasks",
    "benefits": "zhengce.eval.benefits",
    "cases": "zhengce.eval.cases",
    "references": "zhengce.eval.references",
}
# Gold files a measure needs when not just ``<name>.jsonl``.
GOLD_FILES: dict[str, tuple[str, ...]] = {
    "cases": ("cases.jsonl", "benefits.jsonl"),  # cases name benefit ids; benefits map them to text
}


class NotImplementedMeasure(InvalidInput):
    pass


def gold_files(measure: str) -> tuple[str, ...]:
    return GOLD_FILES.get(measure, (f"{measure}.jsonl",))


def available(gold_dir: Path) -> list[str]:
    """The measures whose gold files are all present in ``gold_dir`` (registry order)."""
    return [m for m in MEASURES if all((Path(gold_dir) / f).is_file() for f in gold_files(m))]


def score(measure: str, gold_dir: Path, corpus_dir: Path) -> Score:
    if measure not in MEASURES:
        raise InvalidInput(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)} or all")
    try:
        mod = importlib.import_module(MEASURES[measure])
    except ModuleNotFoundError as e:
        if e.name == MEASURES[measure]:
            raise NotImplementedMeasure(f"measure {measure!r} is not implemented yet") from e
        raise
    refused: dict[str, str] = {}
    token = _REFUSED.set(refused)
    try:
        s = mod.score(Path(gold_dir), Path(corpus_dir))
    finally:
        _REFUSED.reset(token)
    s.refused = {**refused, **s.refused}
    s.misses = [f"[refused] {name}: {why}" for name, why in sorted(s.refused.items())] + s.misses
    return s
