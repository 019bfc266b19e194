"""Two versions of a document compared provision by provision (``zhengce diff``, the diff page).

Provisions pair up by their citation id below the document key (``二/(一)/3``), so a re-ingested file,
a kept version and a 修订 version under another 文号 compare alike. Changed wording is marked with
difflib opcodes over characters (Chinese has no spaces to diff words by).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field


@dataclass(slots=True)
class Side:
    """One version: a label for people and its provisions as {path: text}, in document order."""

    label: str
    provisions: dict[str, str]
    key: str | None = None


@dataclass(slots=True)
class Change:
    path: str
    old: str
    new: str
    ops: list[tuple[str, str]] = field(default_factory=list)  # (equal|delete|insert, text) in order


@dataclass(slots=True)
class Diff:
    a: str
    b: str
    added: list[tuple[str, str]] = field(default_factory=list)  # (path, text)
    removed: list[tuple[str, str]] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)


def path_of(cid: str) -> str:
    """The citation id below the document key: ``京政发〔2021〕24号/二/(一)`` → ``二/(一)``."""
    return cid.split("/", 1)[1] if "/" in cid else "¶"


def side(label: str, provisions: list, key: str | None = None) -> Side:
    """A :class:`Side` from Provision objects or {cid, text} dicts (kept versions store dicts)."""
    out: dict[str, str] = {}
    for p in provisions:
        cid, text = (p["cid"], p["text"]) if isinstance(p, dict) else (p.cid, p.text)
        path = path_of(cid)
        out[path] = (out[path] + "\n" + text) if path in out else text
    return Side(label, out, key)


def marks(old: str, new: str) -> list[tuple[str, str]]:
    """Character-level edit script: ("equal", "…"), ("delete", "old bit"), ("insert", "new bit")."""
    ops: list[tuple[str, str]] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            ops.append(("equal", old[i1:i2]))
        else:
            if i2 > i1:
                ops.append(("delete", old[i1:i2]))
            if j2 > j1:
                ops.append(("insert", new[j1:j2]))
    return ops


def diff(a: Side, b: Side) -> Diff:
    """Added, removed and changed provisions from ``a`` to ``b`` (paths in ``b``'s order, then ``a``'s)."""
    d = Diff(a.label, b.label)
    for path, text in b.provisions.items():
        if path not in a.provisions:
            d.added.append((path, text))
        elif a.provisions[path] != text:
            d.changed.append(Change(path, a.provisions[path], text, marks(a.provisions[path], text)))
        else:
            d.unchanged += 1
    d.removed = [(p, t) for p, t in a.provisions.items() if p not in b.provisions]
    return d
