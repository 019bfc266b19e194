"""Shared pieces of the scorers: gold loading, a fresh temporary library, result shape.

The scoring rules are those of ``shared/eval/README.md``; each measure module implements one.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InvalidInput
from ..text import normalize  # noqa: F401  (re-exported for the measure modules)


@dataclass
class Score:
    measure: str
    n: int
    values: dict[str, float]
    misses: list[str] = field(default_factory=list)  # one line per missed gold item (--verbose)

    def as_json(self) -> dict:
        return {"measure": self.measure, "n": self.n, **{k: round(v, 4) for k, v in self.values.items()}}


def load_gold(gold_dir: Path, name: str) -> list[dict]:
    p = Path(gold_dir) / f"{name}.jsonl"
    if not p.is_file():
        raise InvalidInput(f"{p}: gold file not found", field="--gold")
    out = []
    for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise InvalidInput(f"{p}:{i}: not JSON ({e.msg})") from e
    return out


def ratio(num: float, den: float) -> float:
    """A share in 0..1; an empty denominator scores 0 (nothing scored is nothing earned)."""
    return num / den if den else 0.0


@contextmanager
def fresh_library(corpus_dir: Path, sources: set[str]) -> Iterator:
    """Ingest the named corpus files into a new temporary SQLite store and yield the Library."""
    from ..library import Library
    with tempfile.TemporaryDirectory(prefix="zhengce-eval-") as tmp:
        lib = Library(url=f"sqlite:///{tmp}/eval.db", data_dir=Path(tmp))
        paths = []
        for name in sorted(sources):
            p = Path(corpus_dir) / name
            if not p.is_file():
                raise InvalidInput(f"{p}: corpus file named by the gold is missing", field="--corpus")
            paths.append(p)
        results = lib.ingest(paths)
        # a refused file is not an error of the scorer (shared/eval/README.md): its gold items count
        # as missed and the scorer goes on; all files refused still means nothing can be scored
        lib.refused = [r.error or "" for r in results if r.status == "error"]
        if lib.refused and len(lib.refused) == len(paths):
            raise InvalidInput("; ".join(lib.refused))
        try:
            yield lib
        finally:
            lib.engine.dispose()
