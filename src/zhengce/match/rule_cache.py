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

A fresh process starts from the table a process wrote to disk (``snapshot``) when it stands for
this store's log, and replays only what was logged since; it writes the table again once it
has decoded ``snapshot.MIN_DECODED`` rules from the store since its start or its last write.
"""

from __future__ import annotations

import bisect
import logging
import threading
from pathlib import Path

import numpy as np

from ..store import benefits as store_benefits
from ..store import documents as store_docs
from . import snapshot
from .engine import Matcher
from .table import Pool, RuleTable, TableBuilder, Templates, concat, record_from_dict

FULL_READ_SHARE = 0.25  # more changed sources than this share of the cached ones: read everything
log = logging.getLogger(__name__)


class RuleCache:
    """One library's rules: the extracted ones by document, the list in force and its matcher."""

    def __init__(self, snapshot_path: Path | None = None) -> None:
        self.snapshot_path = snapshot_path  # where the table is kept between processes (None: nowhere)
        self.gen = -1  # the store generation the extracted rules reflect (-1: nothing read)
        self.logged = 0  # ``source_log`` rows with generation ≤ ``gen`` when ``gen`` was read
        self.decoded = 0  # rules decoded from the store since the snapshot was loaded or written
        self.state: tuple | None = None  # ``rules_state`` the list in force was assembled for
        self.templates = Templates()
        self.heads, self.docs = Pool(), Pool()
        self.extracted = RuleTable.empty()  # every extracted rule, by (doc_key, id) in code points
        self.doc_keys: list[str] = []  # documents with rules, sorted; their rows follow each other
        self.doc_counts = np.zeros(0, np.int64)  # rules per document of ``doc_keys``
        self.doc_sources: list[str] = []  # the source path of each document of ``doc_keys``
        self.in_force = RuleTable.empty()
        self.matcher: Matcher | None = None
        self.lock = threading.Lock()

    def refresh(self, conn, state: tuple) -> Matcher:
        """The matcher of the rules in force for ``state`` (the store's, read by the caller on ``conn``)."""
        gen = state[0]
        # a snapshot stands for this store's log (checked on load), even one written after
        # ``state`` was read: then ``gen`` is below it, and the next call catches ``state`` up
        loaded = self.gen < 0 and self.snapshot_path is not None and snapshot.load(self, conn, self.snapshot_path)
        if self.gen < 0 or (gen < self.gen and not loaded):  # first read, or a store rebuilt under us
            self._read_all(conn)
        elif gen > self.gen:
            if snapshot.logged_upto(conn, self.gen) != self.logged:
                self._read_all(conn)  # a generation below ours committed late (PostgreSQL): we lack it
            else:
                rows = store_docs.log_since(conn, self.gen)
                changed = {name: sha for _g, name, sha in rows}
                if len(changed) > FULL_READ_SHARE * max(len(self.doc_keys), 1000):
                    self._read_all(conn)
                elif rows:
                    self._replace(set(changed), *self._read(conn, sorted(changed)))
                    # the rows read, not a count taken now: a generation below the top that
                    # commits later must still show as a moved count
                    self.gen, self.logged = rows[-1][0], self.logged + len(rows)
        if self.snapshot_path is not None and self.decoded >= max(snapshot.MIN_DECODED, 1):
            self._save(conn)
        self.in_force = in_force(self, store_benefits.latest_overrides(conn))
        self.matcher = Matcher(self.in_force, self.templates)
        self.state = state
        return self.matcher

    def _save(self, conn) -> None:
        """Keep the table for the next process (``snapshot``); a failure costs only that."""
        try:
            if snapshot.save(self, conn, self.snapshot_path):
                self.decoded = 0
        except Exception as e:  # noqa: BLE001 — a read-only or full disk must not fail a match
            log.warning("rule snapshot %s not written (not tried again in this process): %s", self.snapshot_path, e)
            self.snapshot_path = None  # each try costs a serialisation of the whole table

    def _read(self, conn, source_paths: list[str] | None) -> tuple[RuleTable, list[str], list[int], list[str]]:
        """The extracted rules of ``source_paths`` (None: all) as one table in (doc_key, id)
        order, with its documents, their row counts and sources — streamed from the store one
        rule at a time."""
        b = TableBuilder()
        keys: list[str] = []
        counts: list[int] = []
        sources: list[str] = []
        for sp, _dk, _rid, data in store_benefits.extracted_rows(conn, source_paths):
            rec = record_from_dict(data, self.templates, self.heads, self.docs)
            dk = rec[3][0]  # the pooled document key: one string per document
            if not keys or keys[-1] != dk:
                keys.append(dk)
                counts.append(0)
                sources.append(sp)
            counts[-1] += 1
            b.add(rec)
        self.decoded += len(b)
        return b.table(), keys, counts, sources

    def _read_all(self, conn) -> None:
        self.gen = store_docs.generation(conn)
        self.logged = snapshot.logged_upto(conn, self.gen)
        self.templates, self.heads, self.docs = Templates(), Pool(), Pool()  # nothing stale kept
        self.extracted, self.doc_keys, counts, self.doc_sources = self._read(conn, None)
        self.doc_counts = np.array(counts, dtype=np.int64)

    def _replace(self, changed: set[str], fresh: RuleTable, new_keys: list[str], new_counts: list[int],
                 new_sources: list[str]) -> None:
        """Drop the rows the changed sources' documents held, put in what they hold now: the
        unchanged documents' rows are copied over in runs, so the cost is one pass of memory
        copies and one over the document list, plus the changed documents' own rows."""
        gone = {dk for dk, sp in zip(self.doc_keys, self.doc_sources, strict=True) if sp in changed}
        new_starts = np.concatenate([[0], np.cumsum(new_counts, dtype=np.int64)]).tolist()
        new = {dk: i for i, dk in enumerate(new_keys)}
        starts = np.concatenate([[0], np.cumsum(self.doc_counts)]).astype(np.int64)
        parts: list[RuleTable] = []
        keys: list[str] = []
        sources: list[str] = []
        counts: list[np.ndarray] = []
        prev = 0  # the first old document not yet copied

        def keep(a: int, b: int) -> None:
            parts.append(self.extracted.slice(int(starts[a]), int(starts[b])))
            keys.extend(self.doc_keys[a:b])
            sources.extend(self.doc_sources[a:b])
            counts.append(self.doc_counts[a:b])

        for dk in sorted(gone | new.keys()):
            i = bisect.bisect_left(self.doc_keys, dk, lo=prev)
            keep(prev, i)
            prev = i + 1 if i < len(self.doc_keys) and self.doc_keys[i] == dk else i
            if dk in new:
                k = new[dk]
                parts.append(fresh.slice(new_starts[k], new_starts[k + 1]))
                keys.append(dk)
                sources.append(new_sources[k])
                counts.append(np.array([new_counts[k]], dtype=np.int64))
        keep(prev, len(self.doc_keys))
        self.extracted, self.doc_keys, self.doc_sources = concat(parts), keys, sources
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
