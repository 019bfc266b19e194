"""Shared pieces of the scorers: gold loading, a fresh temporary library, result shape.

The scoring rules are those of ``shared/eval/README.md``; each measure module implements one.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
    refused: dict[str, str] = field(default_factory=dict)  # corpus file -> why it was refused

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


# Corpus files refused while scoring the current measure: file name -> reason. ``eval.score``
# opens a collection around each measure and lists them first in its misses (``--verbose``).
_REFUSED: ContextVar[dict[str, str] | None] = ContextVar("zhengce_eval_refused", default=None)


def corpus_paths(corpus_dir: Path, name: str) -> list[Path]:
    """The corpus files the gold calls ``name``: ``corpus_dir/name``, else any file so named below it.

    The gold's ``source`` is a file name; a corpus kept in sub-folders (html/, txt/, pdf/) still
    matches, each copy ingested as its own source.
    """
    direct = Path(corpus_dir) / name
    if direct.is_file():
        return [direct]
    if not Path(corpus_dir).is_dir():
        return []
    return sorted(p for p in Path(corpus_dir).rglob(name) if p.is_file())


@contextmanager
def fresh_library(corpus_dir: Path, sources: set[str]) -> Iterator:
    """Ingest the named corpus files into a new temporary SQLite store and yield the Library.

    A file the system refuses (or that is missing) is not an error of the scorer: its gold items
    simply find nothing, and it is recorded (``lib.refused``, and for ``eval.score``) so the
    verbose listing names it. The scorer never stops on one bad file.
    """
    from ..library import Library
    with tempfile.TemporaryDirectory(prefix="zhengce-eval-") as tmp:
        lib = Library(url=f"sqlite:///{tmp}/eval.db", data_dir=Path(tmp))
        refused: dict[str, str] = {}
        items: list[tuple[Path, str]] = []
        for name in sorted(sources):
            found = corpus_paths(corpus_dir, name)
            if not found:
                refused[name] = f"语料文件不存在 (corpus file named by the gold is missing in {corpus_dir})"
            items += [(p, p.relative_to(corpus_dir).as_posix() if p.is_relative_to(corpus_dir) else p.name)
                      for p in found]
        for r in lib.ingest(items):
            if r.status == "error":
                refused[Path(r.path).name] = r.reason or r.error or "refused"
        lib.refused = refused
        collected = _REFUSED.get()
        if collected is not None:
            collected.update(refused)
        try:
            yield lib
        finally:
            lib.engine.dispose()
