"""Computability report (``zhengce rules coverage``): how much of the rule library a profile can decide.

A rule is computable when every condition it has is stated over profile fields — no
``unexpressed`` condition at any depth. The phrases left unexpressed, counted over the whole
library, tell a policy officer which line of ``data/condition_phrases.tsv`` to add next.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from ..extract.benefits.rule import BenefitRule
from .engine import unexpressed_words


@dataclass
class DocCoverage:
    doc: str  # 文号 or title
    rules: int
    computable: int

    @property
    def share(self) -> float:
        return self.computable / self.rules if self.rules else 0.0


@dataclass
class Coverage:
    rules: int
    computable: int
    documents: list[DocCoverage] = field(default_factory=list)
    phrases: list[tuple[str, int]] = field(default_factory=list)  # most frequent unexpressed phrases

    @property
    def share(self) -> float:
        return self.computable / self.rules if self.rules else 0.0

    def to_dict(self) -> dict:
        return {"rules": self.rules, "computable": self.computable, "share": round(self.share, 4),
                "documents": [asdict(d) | {"share": round(d.share, 4)} for d in self.documents],
                "phrases": [{"phrase": p, "count": n} for p, n in self.phrases]}


# placeholders the extractor writes when a text states no condition at all: not a vocabulary gap
_NOT_A_PHRASE = ("原文未写明享受条件",)


def coverage(rules: list[BenefitRule], top: int = 20) -> Coverage:
    per_doc: dict[str, DocCoverage] = {}
    phrases: Counter[str] = Counter()
    computable = 0
    for r in rules:
        words = [w for c in r.conditions for w in unexpressed_words(c)]
        ok = not words
        computable += ok
        d = per_doc.setdefault(r.doc_key, DocCoverage(r.doc_number or r.doc_title, 0, 0))
        d.rules += 1
        d.computable += ok
        phrases.update(w for w in dict.fromkeys(words) if not w.startswith(_NOT_A_PHRASE))
    docs = sorted(per_doc.values(), key=lambda d: (d.share, -d.rules))
    return Coverage(len(rules), computable, docs, phrases.most_common(top))


def library_coverage(lib, top: int = 20) -> Coverage:
    from . import load_rules
    return coverage(load_rules(lib), top)
