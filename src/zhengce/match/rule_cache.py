"""The rules in force, held compactly (``table.RuleTable``) and brought up to date by the store's log.

A library of 100,000 documents holds ~380,000 rules: decoding them all costs about a minute and
keeping them decoded gigabytes. So the cache keeps only the columns a match reads, one table of
every extracted rule in (doc_key, id) order, and when the store generation moves it reads again
only the sources the ``source_log`` names since the cached generation (the replay the search
index uses: read the log's top first, then the rows, so a writer committing in between only
makes the next refresh read its source once more) and splices their documents' rows in.
Corrections are few: they are read whole whenever their count or last serial moves and replace
single rows of the list in force (``in_force``).

Rows are read streaming and turned into compact rows one at a time: a full read never holds the
decoded rules, only their rows.
"""

from __future__ import annotations

import bisect
import threading

import numpy as np

from ..store import benefits as store_benefits
from ..store import documents as store_docs
from .engine import Matcher
from .table import Pool, Record, RuleTable, Templates, concat, record_from_dict

FULL_READ_SHARE = 0.25  # more changed sources than this share of the cached ones: read everything


class RuleCache:
    """One library's rules: the extracted ones per document, the list in force and its matcher."""

    def __init__(self) -> None:
        self.gen = -1  # the store generation the extracted rules reflect (-1: nothing read)
        self.state: tuple | None = None  # ``rules_state`` the list in force was assembled for
        self.templates = Templates()
        self.heads, self.docs = Pool(), Pool()
        self.extracted = RuleTable.empty()  # every extracted rule, by (doc_key, id) in code points
        self.doc_keys: list[str] = []  # documents with rules, sorted; their rows follow each other
        self.doc_counts = np.zeros(0, np.int64)  # rules per document of ``doc_keys``
        self.by_source: dict[str, tuple[str, ...]] = {}  # source path -> its documents with rules
        self.in_force = RuleTable.empty()
        self.matcher: Matcher | None = None
        self.lock = threading.Lock()

    def refresh(self, conn, state: tuple) -> Matcher:
        """The matcher of the rules in force for ``state`` (the store's, read by the caller on ``conn``)."""
        gen = state[0]
        if self.gen < 0 or gen < self.gen:  # first read, or a store rebuilt under us
            self._read_all(conn)
        elif gen > self.gen:
            top, changed = store_docs.changes_since(conn, self.gen)
            if len(changed) > FULL_READ_SHARE * max(len(self.by_source), 1000):
                self._read_all(conn)
            else:
                self._replace(changed, self._read(conn, sorted(changed)))
                self.gen = top
        self.in_force = in_force(self, store_benefits.latest_overrides(conn))
        self.matcher = Matcher(self.in_force, self.templates)
        self.state = state
        return self.matcher

    def _read(self, conn, source_paths: list[str] | None) -> dict[str, dict[str, list[Record]]]:
        """{source: {doc_key: rows in id order}} read from the store, one rule at a time."""
        out: dict[str, dict[str, list]] = {}
        for sp, dk, _rid, data in store_benefits.extracted_rows(conn, source_paths):
            out.setdefault(sp, {}).setdefault(dk, []).append(
                record_from_dict(data, self.templates, self.heads, self.docs))
        for by_doc in out.values():
            for rows in by_doc.values():
                rows.sort(key=lambda r: r[0])
        return out

    def _read_all(self, conn) -> None:
        self.gen = store_docs.generation(conn)
        self.templates, self.heads, self.docs = Templates(), Pool(), Pool()  # nothing stale kept
        fresh = self._read(conn, None)
        by_doc = {dk: rows for docs in fresh.values() for dk, rows in docs.items()}
        self.doc_keys = sorted(by_doc)
        self.doc_counts = np.array([len(by_doc[k]) for k in self.doc_keys], dtype=np.int64)
        self.extracted = RuleTable.build(r for k in self.doc_keys for r in by_doc[k])
        self.by_source = {sp: tuple(docs) for sp, docs in fresh.items()}

    def _replace(self, changed: dict, fresh: dict[str, dict[str, list[Record]]]) -> None:
        """Drop the rows the changed sources' documents held, put in what they hold now: the
        unchanged documents' rows are copied over in runs, so the cost is one pass of memory
        copies plus the changed documents' own rows."""
        gone = {dk for sp in changed for dk in self.by_source.pop(sp, ())}
        new = {dk: rows for docs in fresh.values() for dk, rows in docs.items()}
        for sp, docs in fresh.items():
            self.by_source[sp] = tuple(docs)
        starts = np.concatenate([[0], np.cumsum(self.doc_counts)]).astype(np.int64)
        parts: list[RuleTable] = []
        keys: list[str] = []
        counts: list[np.ndarray] = []
        prev = 0  # the first old document not yet copied
        for dk in sorted(gone | set(new)):
            i = bisect.bisect_left(self.doc_keys, dk, lo=prev)
            parts.append(self.extracted.slice(int(starts[prev]), int(starts[i])))
            keys.extend(self.doc_keys[prev:i])
            counts.append(self.doc_counts[prev:i])
            prev = i + 1 if i < len(self.doc_keys) and self.doc_keys[i] == dk else i
            if dk in new:
                parts.append(RuleTable.build(new[dk]))
                keys.append(dk)
                counts.append(np.array([len(new[dk])], dtype=np.int64))
        n = len(self.doc_keys)
        parts.append(self.extracted.slice(int(starts[prev]), int(starts[n])))
        keys.extend(self.doc_keys[prev:])
        counts.append(self.doc_counts[prev:])
        self.extracted, self.doc_keys = concat(parts), keys
        self.doc_counts = np.concatenate(counts).astype(np.int64)


def in_force(cache: RuleCache, overrides: dict[str, dict]) -> RuleTable:
    """The extracted rules with each corrected one replaced by its latest correction, then the
    rules officers added (corrections whose id extraction does not produce) — the order and
    choice of ``store.benefits.rules_in_force``."""
    if not overrides:
        return cache.extracted
    from ..extract.benefits.rule import BenefitRule
    from .table import record_from_rule
    table, keys = cache.extracted, cache.doc_keys
    starts = np.concatenate([[0], np.cumsum(cache.doc_counts)]).astype(np.int64)
    at: dict[int, dict] = {}
    added = []
    for rid, ov in overrides.items():
        pos = _position(table, keys, starts, ov["doc_key"], rid)
        if pos is not None:
            at[pos] = ov
        elif not ov["data"].get("deleted"):
            added.append(ov)

    def row(ov: dict) -> RuleTable:
        rule = BenefitRule.from_dict(ov["data"])
        return RuleTable.build([record_from_rule(rule, cache.templates, cache.heads, cache.docs)])

    parts, prev = [], 0
    for pos in sorted(at):
        parts += [table.slice(prev, pos), row(at[pos])]
        prev = pos + 1
    parts.append(table.slice(prev, len(table)))
    parts += [row(ov) for ov in added]
    return concat(parts)


def _position(table: RuleTable, keys: list[str], starts: np.ndarray, doc_key: str, rid: str) -> int | None:
    """The row of extracted rule ``rid`` (looked up in its document's rows, else anywhere)."""
    i = bisect.bisect_left(keys, doc_key)
    if i < len(keys) and keys[i] == doc_key:
        lo, hi = int(starts[i]), int(starts[i + 1])
        for j in range(lo, hi):
            if table.ids[j] == rid:
                return j
    try:
        return table.ids.index(rid)
    except ValueError:
        return None
