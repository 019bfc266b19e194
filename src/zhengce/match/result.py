"""A match's result: every rule's verdict, as a lazy sequence of items in listing order.

A library of 100,000 documents holds ~380,000 rules; a face shows a few dozen items. Building an
item (summary, reasons, trace) for every rule on every match was most of a match's time and
memory, so ``MatchResult.items`` makes a ``MatchItem`` only when one is read (indexed or
iterated) and keeps none: the verdicts, the order and the counts are numpy arrays
(``engine.Match``). ``to_dict`` still lists every item, as it always did.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import overload

import numpy as np

from .engine import Check, F, Match, T, U

VERDICTS = {int(T): "eligible", int(U): "possibly eligible", int(F): "not eligible"}
VERDICT_ZH = {"eligible": "可以享受", "possibly eligible": "可能可以享受", "not eligible": "不符合条件"}


@dataclass
class BenefitSummary:
    id: str
    name: str
    beneficiary: str
    amount_max_yuan: float | None
    amount_per: str | None
    doc_title: str
    doc_number: str | None
    cid: str
    confidence: float
    version: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(slots=True)
class MatchItem:
    benefit: BenefitSummary
    verdict: str  # eligible | possibly eligible | not eligible
    verdict_zh: str
    reasons: list[str]  # "年龄60至79周岁: 是" for every condition
    failed: list[str]  # the conditions that are false (not eligible)
    missing: list[str]  # the facts that are unknown or unexpressible (possibly eligible)
    checks: list[Check] = field(default_factory=list)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["benefit"] = self.benefit.to_dict()
        return d


def table_summary(table, j: int) -> BenefitSummary:
    """Rule ``j``'s summary from a ``RuleTable``'s columns."""
    name, beneficiary, per, max_yuan, confidence, version = table.heads[j]
    doc_key, doc_title, doc_number = table.docs[j]
    return BenefitSummary(table.ids[j], name, beneficiary, max_yuan, per, doc_title, doc_number, table.cid(j),
                          confidence, version)


def make_item(m: Match, j: int) -> MatchItem:
    """The item of rule ``j`` (a row of the matcher's table), with its trace."""
    verdict = VERDICTS[int(m.verdicts[j])]
    checks = m.checks(j)
    reasons = [c.reason for c in checks]
    failed = [c.reason for c in checks if c.value == "否"]
    missing = [x for c in checks if c.value == "未知" for x in c.missing] if verdict != "not eligible" else []
    return MatchItem(table_summary(m.matcher.table, j), verdict, VERDICT_ZH[verdict], reasons, failed, missing, checks)


class MatchItems(Sequence[MatchItem]):
    """Items of a match in listing order, made when read; a slice is another lazy view."""

    __slots__ = ("_match", "_rows")

    def __init__(self, match: Match, rows: np.ndarray) -> None:
        self._match, self._rows = match, rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> MatchItem: ...

    @overload
    def __getitem__(self, i: slice) -> MatchItems: ...

    def __getitem__(self, i: int | slice) -> MatchItem | MatchItems:
        if isinstance(i, slice):
            return MatchItems(self._match, self._rows[i])
        return make_item(self._match, int(self._rows[i]))

    def __iter__(self) -> Iterator[MatchItem]:
        for start in range(0, len(self._rows), 4096):
            for j in self._rows[start:start + 4096].tolist():
                yield make_item(self._match, j)

    def rows(self) -> np.ndarray:
        """The rows of the matcher's table these items are made from, in order."""
        return self._rows

    def __repr__(self) -> str:
        return f"<MatchItems of {len(self)}>"


class MatchResult:
    """Every rule's verdict for one profile: ``items`` sorted by verdict, then by amount (largest
    first), ties in the order of the rules in force; ``eligible``/``possibly``/``rejected`` are
    the three runs of it."""

    def __init__(self, profile: dict, match: Match) -> None:
        self.profile = profile
        self.match = match
        self.items = MatchItems(match, match.order)

    @property
    def counts(self) -> dict[str, int]:
        return dict(zip(VERDICT_ZH, self.match.counts, strict=True))

    @property
    def eligible(self) -> MatchItems:
        return self.items[:self.match.counts[0]]

    @property
    def possibly(self) -> MatchItems:
        e, p, _ = self.match.counts
        return self.items[e:e + p]

    @property
    def rejected(self) -> MatchItems:
        e, p, _ = self.match.counts
        return self.items[e + p:]

    def to_dict(self, include_not_eligible: bool = True, offset: int = 0, limit: int | None = None) -> dict:
        """The result as JSON data; with ``offset``/``limit`` one page of the items (a library of
        100,000 documents holds ~380,000 rules: every item is hundreds of MB) and where the next
        page starts (``next_offset``, None after the last); ``counts`` always count every rule."""
        items = self.items if include_not_eligible else self.items[:len(self.items) - self.match.counts[2]]
        paged = offset > 0 or limit is not None
        shown = items[offset:offset + limit if limit is not None else None] if paged else items
        out = {"profile": self.profile, "items": [i.to_dict() for i in shown], "counts": self.counts}
        if paged:
            end = offset + len(shown)
            out |= {"offset": offset, "next_offset": end if end < len(items) else None}
        return out
