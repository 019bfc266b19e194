"""The agency registry: canonical names, aliases, level (中央/省/市/区) and collective units.

Loaded from the editable ``data/agencies.tsv`` (or a path given by the caller). Tasks keep unit
names as written; the registry is for lookups, filters and account checks
(区应急局 = 区应急管理局, 发展改革委 = 国家发展改革委 = 国家发展和改革委员会). Unknown names are not
errors: they are their own canonical name, with a level guessed from the name. A collective unit
(各街道办事处, 各省级人民政府) may name its members with a pattern, so that a member's account may
update a task assigned to the collective (``covers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..text import normalize

DATA = Path(__file__).resolve().parents[1] / "data" / "agencies.tsv"
COLLECTIVE = re.compile(r"^(各|相关|有关|其他)|按职责分工")
LEVELS = ("中央", "省", "市", "区", "集体")
# How a name that is not in the table shows its level.
_CENTRAL = re.compile(r"^(国务院|国家|中央|中国|全国|中华)|^[^市区省县]{1,8}(部|总局|署|总署)$")
_PROVINCE = re.compile(r"^[^市区]{1,8}(省|自治区)|^省")


@dataclass(slots=True)
class Agency:
    name: str  # canonical
    level: str  # 中央 | 省 | 市 | 区 | 集体 | ""
    aliases: list[str] = field(default_factory=list)
    members: str | None = None  # collectives: a regular expression over member names

    @property
    def collective(self) -> bool:
        return self.level == "集体"


class Registry:
    """Name → Agency lookup over canonical names and aliases (compared whitespace-free, NFKC)."""

    def __init__(self, agencies: list[Agency]):
        self.agencies = agencies
        self._by_key: dict[str, Agency] = {}
        self._members: dict[str, re.Pattern] = {}
        for a in agencies:
            for n in [a.name, *a.aliases]:
                self._by_key.setdefault(normalize(n), a)
            if a.members:
                self._members[a.name] = re.compile(a.members)

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
            members = parts[3].strip() if len(parts) > 3 and parts[3].strip() else None
            out.append(Agency(name, level, aliases, members))
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
        if _PROVINCE.search(n):
            return "省"
        if _CENTRAL.search(n):
            return "中央"
        return ""

    def collective(self, name: str) -> bool:
        return self.level(name) == "集体"

    def covers(self, unit: str, agency: str) -> bool:
        """True when a task assigned to ``unit`` is ``agency``'s to report on: the same agency
        (any alias), or ``unit`` is a collective whose member pattern names ``agency``
        (各街道办事处 covers 广安门内街道办事处, never 区生态环境局)."""
        canon = self.canonical(agency)
        if self.canonical(unit) == canon:
            return True
        pat = self._members.get(self.canonical(unit))
        return bool(pat and (pat.search(canon) or pat.search(normalize(agency))))

    def known(self, name: str) -> bool:
        return normalize(name) in self._by_key

    def same(self, a: str, b: str) -> bool:
        """True when two written names denote the same agency."""
        return self.canonical(a) == self.canonical(b)


@lru_cache(maxsize=4)
def registry(path: str | None = None) -> Registry:
    """The default registry (cached; pass a path for another table)."""
    return Registry.load(Path(path) if path else None)
