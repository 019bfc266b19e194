"""Rules held compactly for matching: columns per rule, one shared object per distinct condition.

A library of 100,000 documents holds ~380,000 rules. Kept decoded (a ``BenefitRule`` with its
conditions, texts and amounts, ~6 KB each) they took gigabytes, yet a match reads per rule only
its conditions, its amount (the sort key) and the ten fields of its summary. A ``RuleTable``
keeps exactly that: per rule its id, two shared tuples (name, kind, amount…; the document's
key, title and 文号), and its conditions as ids into ``Templates`` — a flat int32 array with
offsets. Copies and versions of a document repeat the same conditions with their own provision
ids, so a condition is stored once with its cid relative to its document (``cid`` minus the
document key) and the trace puts the rule's document key back in front.

Tables are sliced and concatenated (``concat``) rather than rebuilt: the rule cache splices a
re-ingested document's rows into the library's table, and corrections replace single rows.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..extract.benefits.rule import BenefitRule, Condition
from .engine import condition_key

_SCALARS = (str, int, float, bool)


class Templates:
    """Distinct conditions (relative to their document) and, below them, the distinct
    conditions the evaluator computes once per profile (without label and cid: ``condition_key``).

    Only grows: ids handed out stay valid for every table and matcher made with them.
    """

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.conditions: list[Condition] = []  # cid relative to the document where ``relative``
        self.relative: list[bool] = []
        self.key_of: list[int] = []  # template id -> evaluated condition id
        self.key_index: dict[str, int] = {}
        self.evaluated: list[Condition] = []  # one per distinct evaluation key
        self.fields: list[tuple[str, ...]] = []  # the profile fields each evaluated condition reads

    def add(self, d: dict, doc_key: str, make: Any = None) -> int:
        """The template id of condition ``d`` (its ``to_dict`` form) of a rule of ``doc_key``;
        ``make`` builds the Condition when it is new (default: ``Condition.from_dict(d)``)."""
        cid = d.get("cid", "")
        rel = bool(doc_key) and cid.startswith(doc_key)
        v, alts = d.get("value"), d.get("any_of")
        # what ``Condition.from_dict`` reads, cheaply: the value by type (1, 1.0 and True are equal
        # keys but are written differently in a label), the alternatives without their own cids
        # (those are in no trace, so they need not split templates)
        key = (rel, cid[len(doc_key):] if rel else cid, d.get("field", ""), d["op"], d.get("label", ""),
               type(v), v if v is None or type(v) in _SCALARS else repr(v),
               None if alts is None else repr([[{k: x for k, x in s.items() if k != "cid"} for s in alt]
                                               for alt in alts]))
        tid = self.index.get(key)
        if tid is not None:
            return tid
        c = make() if make is not None else Condition.from_dict(d)
        return self.insert(key, Condition(c.field, c.op, c.value, c.label, key[1], c.any_of), rel)

    def insert(self, key: tuple, t: Condition, rel: bool) -> int:
        """A new template ``t`` under ``key`` (``add``'s, or one a snapshot kept: ``snapshot``)."""
        ekey = condition_key(t)
        k = self.key_index.get(ekey)
        if k is None:
            k = self.key_index[ekey] = len(self.evaluated)
            self.evaluated.append(t)
            self.fields.append(tuple(sorted(t.fields())))
        tid = self.index[key] = len(self.conditions)
        self.conditions.append(t)
        self.relative.append(rel)
        self.key_of.append(k)
        return tid

    def cid(self, tid: int, doc_key: str) -> str:
        """The provision a template's condition comes from, for a rule of ``doc_key``."""
        c = self.conditions[tid]
        return doc_key + c.cid if self.relative[tid] else c.cid


# One rule's row before it joins a table: id, its cid when not the id's own prefix, the shared
# head (name, beneficiary, amount_per, amount_max_yuan, confidence, version), the shared document
# tuple (doc_key, doc_title, doc_number) and its condition template ids.
Record = tuple[str, str | None, tuple, tuple, list[int]]


class Pool:
    """One shared copy per distinct tuple (rules of copies of a document repeat them).

    Keyed with the values' types too: 3000 and 3000.0 are equal keys but print differently in
    a summary's JSON.
    """

    def __init__(self, kept: list[tuple] | None = None) -> None:
        # ``kept``: the distinct tuples a snapshot holds, indexed on first ``get`` only (a process
        # that loads an up-to-date snapshot never pools a new row; ~100,000 documents' tuples)
        self._items: dict[tuple, tuple] | None = None if kept else {}
        self._kept = kept or []

    @property
    def items(self) -> dict[tuple, tuple]:
        if self._items is None:
            self._items = {(t, tuple(map(type, t))): t for t in self._kept}
            self._kept = []
        return self._items

    def values(self) -> list[tuple]:
        """The distinct tuples, in the order they were first pooled."""
        return list(self._items.values()) if self._items is not None else list(self._kept)

    def get(self, t: tuple) -> tuple:
        items = self._items if self._items is not None else self.items
        return items.setdefault((t, tuple(map(type, t))), t)


def record_from_dict(d: dict, templates: Templates, heads: Pool, docs: Pool) -> Record:
    """A stored rule's row (``BenefitRule.to_dict`` form), without decoding the rule."""
    rid, doc_key = d["id"], d.get("doc_key", "")
    amount = d.get("amount") or {}
    head = heads.get((d.get("name"), d.get("beneficiary"), amount.get("per"), amount.get("max_yuan"),
                      d.get("confidence", 0.5), d.get("version", 0)))
    doc = docs.get((doc_key, d.get("doc_title"), d.get("doc_number")))
    cid = d.get("cid")
    conds = [templates.add(c, doc_key) for c in d.get("conditions") or []]
    return rid, (None if cid == rid.rpartition("#")[0] else cid), head, doc, conds


def record_from_rule(r: BenefitRule, templates: Templates, heads: Pool, docs: Pool) -> Record:
    """A decoded rule's row (the pure ``match_rules`` path and corrections)."""
    head = heads.get((r.name, r.beneficiary, r.amount.per, r.amount.max_yuan, r.confidence, r.version))
    doc = docs.get((r.doc_key, r.doc_title, r.doc_number))
    conds = [templates.add(c.to_dict(), r.doc_key, lambda c=c: c) for c in r.conditions]
    return r.id, (None if r.cid == r.id.rpartition("#")[0] else r.cid), head, doc, conds


class Strings:
    """Many short strings as one UTF-8 buffer and their end offsets.

    A rule id as a Python string costs ~75 bytes of header plus 2 bytes per CJK character
    (~140 bytes; 380,000 of them ~53 MB); here it is its UTF-8 bytes and one 8-byte offset.
    """

    __slots__ = ("data", "ends")

    def __init__(self, data: bytes, ends: np.ndarray) -> None:
        self.data, self.ends = data, ends

    @classmethod
    def of(cls, strings: Iterable[str]) -> Strings:
        data, ends = bytearray(), array("q")
        for x in strings:
            data += x.encode()
            ends.append(len(data))
        return cls(bytes(data), np.frombuffer(ends, dtype=np.int64).copy() if ends else np.zeros(0, np.int64))

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, j: int) -> str:
        if j < 0:
            j += len(self.ends)
        hi = int(self.ends[j])
        return self.data[int(self.ends[j - 1]) if j else 0:hi].decode()

    def __iter__(self) -> Iterator[str]:
        lo = 0
        for hi in self.ends.tolist():
            yield self.data[lo:hi].decode()
            lo = hi

    def slice(self, a: int, b: int) -> Strings:
        lo = int(self.ends[a - 1]) if a else 0
        hi = int(self.ends[b - 1]) if b else 0
        return Strings(self.data[lo:hi], self.ends[a:b] - lo)

    def index(self, s: str) -> int:
        """The first position holding ``s`` (ValueError when none does): a substring search of
        the buffer, each hit checked against the offsets."""
        b, start = s.encode(), 0
        while (pos := self.data.find(b, start)) >= 0:
            j = int(np.searchsorted(self.ends, pos, side="right"))
            if (int(self.ends[j - 1]) if j else 0) == pos and int(self.ends[j]) == pos + len(b):
                return j
            start = pos + 1
        raise ValueError(s)

    @staticmethod
    def concat(parts: list[Strings]) -> Strings:
        ends, base = [], 0
        for p in parts:
            ends.append(p.ends + base)
            base += len(p.data)
        return Strings(b"".join(p.data for p in parts), np.concatenate(ends) if ends else np.zeros(0, np.int64))


@dataclass(slots=True)
class RuleTable:
    """Rules as columns, in the order they are matched and listed."""

    ids: Strings
    cids: list[str | None]  # None: the id up to its last "#" (a rule id is its provision's cid + "#n")
    heads: list[tuple]  # shared (name, beneficiary, amount_per, amount_max_yuan, confidence, version)
    docs: list[tuple]  # shared (doc_key, doc_title, doc_number)
    amount: np.ndarray  # float64 amount_max_yuan, NaN for none: the sort key within a verdict
    conds: np.ndarray  # int32 template ids of every rule's conditions, one after the other
    bounds: np.ndarray  # int64, n + 1: rule j's conditions are conds[bounds[j]:bounds[j + 1]]

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def empty(cls) -> RuleTable:
        return cls(Strings(b"", np.zeros(0, np.int64)), [], [], [], np.zeros(0), np.zeros(0, np.int32),
                   np.zeros(1, np.int64))

    @classmethod
    def build(cls, records: Iterable[Record]) -> RuleTable:
        b = TableBuilder()
        for r in records:
            b.add(r)
        return b.table()

    def slice(self, a: int, b: int) -> RuleTable:
        lo, hi = int(self.bounds[a]), int(self.bounds[b])
        return RuleTable(self.ids.slice(a, b), self.cids[a:b], self.heads[a:b], self.docs[a:b], self.amount[a:b],
                         self.conds[lo:hi], self.bounds[a:b + 1] - lo)

    def cid(self, j: int) -> str:
        c = self.cids[j]
        return self.ids[j].rpartition("#")[0] if c is None else c

    def conditions(self, j: int) -> np.ndarray:
        return self.conds[self.bounds[j]:self.bounds[j + 1]]


class TableBuilder:
    """Rows appended one at a time into compact buffers (a full read streams hundreds of
    thousands of rules: no Python object per rule is held besides the shared tuples)."""

    def __init__(self) -> None:
        self.ids, self.ends = bytearray(), array("q")
        self.cids: list[str | None] = []
        self.heads: list[tuple] = []
        self.docs: list[tuple] = []
        self.amount, self.conds, self.bounds = array("d"), array("i"), array("q", [0])

    def __len__(self) -> int:
        return len(self.cids)

    def add(self, r: Record) -> None:
        rid, cid, head, doc, cs = r
        self.ids += rid.encode()
        self.ends.append(len(self.ids))
        self.cids.append(cid)
        self.heads.append(head)
        self.docs.append(doc)
        self.amount.append(np.nan if head[3] is None else float(head[3]))
        self.conds.extend(cs)
        self.bounds.append(len(self.conds))

    def table(self) -> RuleTable:
        def arr(a: array, dtype) -> np.ndarray:
            return np.frombuffer(a, dtype=dtype).copy() if len(a) else np.zeros(0, dtype)

        return RuleTable(Strings(bytes(self.ids), arr(self.ends, np.int64)), self.cids, self.heads, self.docs,
                         arr(self.amount, np.float64), arr(self.conds, np.int32), arr(self.bounds, np.int64))


def concat(parts: list[RuleTable]) -> RuleTable:
    """One table of ``parts`` in order (copies of the columns; the shared tuples stay shared)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return RuleTable.empty()
    if len(parts) == 1:
        return parts[0]
    bounds, base = [np.zeros(1, np.int64)], 0
    for p in parts:
        bounds.append(p.bounds[1:] + base)
        base += int(p.bounds[-1])

    def joined(name: str) -> list:
        out: list = []
        for p in parts:
            out.extend(getattr(p, name))
        return out

    return RuleTable(Strings.concat([p.ids for p in parts]), joined("cids"), joined("heads"), joined("docs"),
                     np.concatenate([p.amount for p in parts]), np.concatenate([p.conds for p in parts]),
                     np.concatenate(bounds))
