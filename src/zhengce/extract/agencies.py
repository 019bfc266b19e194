"""The agency registry: canonical names, aliases, level (市/区) and collective units.

Loaded from the editable ``data/agencies.tsv`` (or a path given by the caller). Tasks keep unit
names as written; the registry is for lookups, filters and account checks
(区应急局 = 区应急管理局). Unknown names are not errors: they are their own canonical name,
with a level guessed from the prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..text import normalize

DATA = Path(__file__).resolve().parents[1] / "data" / "agencies.tsv"
COLLECTIVE = re.compile(r"^(各|相关|有关|其他)")


@dataclass(slots=True)
class Agency:
    name: str  # canonical
    level: str  # 市 | 区 | 集体 | ""
    aliases: list[str] = field(default_factory=list)

    @property
    def collective(self) -> bool:
        return self.level == "集体"


class Registry:
    """Name → Agency lookup over canonical names and aliases (compared whitespace-free, NFKC)."""

    def __init__(self, agencies: list[Agency]):
        self.agencies = agencies
        self._by_key: dict[str, Agency] = {}
        for a in agencies:
            for n in [a.name, *a.aliases]:
                self._by_key.setdefault(normalize(n), a)

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        out: list[Agency] = []
        for line in Path(path or DATA).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            name = parts[0].strip()
            level = parts[1].strip() if len(parts) > 1 else ""
            aliases = [a.strip() for a in parts[2].split("|") if a.strip()] if len(parts) > 2 else []
            out.append(Agency(name, level, aliases))
        return cls(out)

    def get(self, name: str) -> Agency | None:
        return self._by_key.get(normalize(name))

    def canonical(self, name: str) -> str:
        """The registry name for ``name``, else ``name`` itself (whitespace removed)."""
        a = self.get(name)
        return a.name if a else normalize(name)

    def level(self, name: str) -> str:
        a = self.get(name)
        if a:
            return a.level
        n = normalize(name)
        if COLLECTIVE.match(n):
            return "集体"
        if n.startswith(("区", "西城", "东城", "海淀", "朝阳", "丰台")):
            return "区"
        if n.startswith(("市", "北京")):
            return "市"
        return ""

    def known(self, name: str) -> bool:
        return normalize(name) in self._by_key

    def same(self, a: str, b: str) -> bool:
        """True when two written names denote the same agency."""
        return self.canonical(a) == self.canonical(b)


@lru_cache(maxsize=4)
def registry(path: str | None = None) -> Registry:
    """The default registry (cached; pass a path for another table)."""
    return Registry.load(Path(path) if path else None)
