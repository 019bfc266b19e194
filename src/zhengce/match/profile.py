"""Profiles: validation against the vocabulary and the columnar population the rules run over.

A single profile is a population of one (OpenFisca style): ``Population.from_profiles`` builds the
same columns the batch matcher builds from a registry file, so both share every code path.
Profile reading rules of shared/eval/README.md live here: a listed ``assistance`` is complete
(absent statuses are false); an absent field is unknown; an enterprise with a ``district`` is in
Beijing (districts are Beijing's) unless ``registered_in_beijing`` says otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from ..errors import InvalidInput


@cache
def vocabulary() -> dict[str, dict]:
    text = resources.files("zhengce.data").joinpath("profile_vocabulary.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


def validate_profile(profile: dict) -> dict:
    """Check a profile against the vocabulary; unknown fields and bad values name the field."""
    if not isinstance(profile, dict):
        raise InvalidInput("画像必须是 JSON 对象 (profile must be a JSON object)", field="profile")
    vocab = vocabulary()
    kind = profile.get("kind")
    if kind not in vocab["kind"]["values"]:
        raise InvalidInput(f"kind 必须是 person / enterprise / organization，而不是 {kind!r}", field="kind")
    for name, value in profile.items():
        spec = vocab.get(name)
        if spec is None:
            raise InvalidInput(f"未知字段 {name!r} (unknown profile field)", field=name,
                               hint="可用字段: " + ", ".join(vocab))
        if value is None:
            continue
        t = spec["type"]
        ok = {"cat": isinstance(value, str), "bool": isinstance(value, bool),
              "int": isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer(),
              "num": isinstance(value, int | float) and not isinstance(value, bool),
              "list": isinstance(value, list) and all(isinstance(v, str) for v in value),
              "date": isinstance(value, str)}[t]
        if not ok:
            raise InvalidInput(f"字段 {name!r} 的类型应为 {t}，而不是 {value!r}", field=name)
        if t == "date":
            try:
                dt.date.fromisoformat(value)
            except ValueError as e:
                raise InvalidInput(f"字段 {name!r} 应为 ISO 日期 (YYYY-MM-DD)", field=name) from e
        allowed = spec.get("values")
        if allowed:
            bad = [v for v in (value if t == "list" else [value]) if v not in allowed]
            if bad:
                raise InvalidInput(f"字段 {name!r} 的取值 {bad[0]!r} 不在词表中: {', '.join(allowed)}", field=name)
    return profile


@dataclass
class Column:
    """One field over a population. ``cat``: int32 codes into ``cats`` (-1 unknown); ``num``:
    float64 with NaN unknown (bools 0/1, dates as days); ``list``: uint64 bit sets over ``cats`` with
    ``known``."""

    type: str
    values: np.ndarray
    cats: list[str] = field(default_factory=list)
    known: np.ndarray | None = None

    def code(self, v: str) -> int:
        try:
            return self.cats.index(v)
        except ValueError:
            return -2  # never equal to any code, never "unknown"

    def bits(self, vals: list[str]) -> np.uint64:
        m = 0
        for v in vals:
            if v in self.cats:
                m |= 1 << self.cats.index(v)
        return np.uint64(m)


def _days(s: str | None) -> float:
    return float(dt.date.fromisoformat(s).toordinal()) if s else np.nan


@dataclass
class Population:
    n: int
    cols: dict[str, Column]

    @classmethod
    def from_profiles(cls, profiles: list[dict]) -> Population:
        vocab = vocabulary()
        n = len(profiles)
        cols: dict[str, Column] = {}
        for name, spec in vocab.items():
            present = [p.get(name) for p in profiles]
            if all(v is None for v in present) and name not in ("registered_in_beijing",):
                continue
            t = spec["type"]
            if t == "cat":
                cats = sorted({v for v in present if v is not None})
                idx = {c: i for i, c in enumerate(cats)}
                cols[name] = Column("cat", np.array([idx.get(v, -1) if v is not None else -1 for v in present],
                                                    dtype=np.int32), cats)
            elif t in ("bool", "int", "num", "date"):
                conv = _days if t == "date" else float
                cols[name] = Column("num", np.array([conv(v) if v is not None else np.nan for v in present],
                                                    dtype=np.float64))
            else:
                cats = sorted({x for v in present if v for x in v})[:64]
                idx = {c: i for i, c in enumerate(cats)}
                bits = np.array([sum(1 << idx[x] for x in set(v) if x in idx) if v is not None else 0
                                 for v in present], dtype=np.uint64)
                cols[name] = Column("list", bits, cats, np.array([v is not None for v in present]))
        rib = cols.get("registered_in_beijing")
        if rib is not None and "district" in cols:
            fill = np.isnan(rib.values) & (cols["district"].values >= 0)
            rib.values[fill] = 1.0
        if rib is not None and np.isnan(rib.values).all():
            del cols["registered_in_beijing"]
        return cls(n, cols)
