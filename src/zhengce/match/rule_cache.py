"""The rules in force, kept decoded in memory and brought up to date by the store's log.

Decoding a rule costs ~0.1 ms, and a library of 100,000 documents holds hundreds of thousands:
reading them all again after every ingest made the first match after a change cost seconds to
minutes. So the extracted rules are kept per source and, when the store generation moves, only
the sources the ``source_log`` names since the cached generation are read again (the same
replay the search index uses: read the log's top first, then the rows, so a writer committing
in between only makes the next refresh read its source once more). Corrections are few and
are read whole whenever their count or last serial moves.

The list handed out is shared by every caller until the store changes: read-only.
"""

from __future__ import annotations

import bisect
import threading

from ..extract.benefits.rule import BenefitRule
from ..store import benefits as store_benefits
from ..store import documents as store_docs

FULL_READ_SHARE = 0.25  # more changed sources than this share of the cached ones: read everything


class RuleCache:
    """One library's decoded rules: extracted ones per source and document, the list in force."""

    def __init__(self) -> None:
        self.gen = -1  # the store generation the extracted rules reflect (-1: nothing read)
        self.state: tuple | None = None  # ``rules_state`` the list in force was assembled for
        self.by_source: dict[str, dict[str, list[tuple[str, BenefitRule]]]] = {}
        self.by_doc: dict[str, list[tuple[str, BenefitRule]]] = {}
        self.keys: list[str] = []  # doc keys of ``by_doc`` in code-point order
        self.rules: list[BenefitRule] = []
        self.lock = threading.Lock()

    def refresh(self, conn, state: tuple) -> list[BenefitRule]:
        """The rules in force for ``state`` (the store's, read by the caller on ``conn``)."""
        gen = state[0]
        if self.gen < 0 or gen < self.gen:  # first read, or a store rebuilt under us
            self._read_all(conn)
        elif gen > self.gen:
            top, changed = store_docs.changes_since(conn, self.gen)
            if len(changed) > FULL_READ_SHARE * max(len(self.by_source), 1000):
                self._read_all(conn)
            else:
                self._replace(changed, store_benefits.extracted_rules(conn, sorted(changed)))
                self.gen = top
        extracted = ((rid, rule) for dk in self.keys for rid, rule in self.by_doc[dk])
        self.rules = store_benefits.rules_in_force(extracted, store_benefits.latest_overrides(conn))
        self.state = state
        return self.rules

    def _read_all(self, conn) -> None:
        self.gen = store_docs.generation(conn)
        self.by_source = store_benefits.extracted_rules(conn)
        self.by_doc = {dk: pairs for by_doc in self.by_source.values() for dk, pairs in by_doc.items()}
        self.keys = sorted(self.by_doc)

    def _replace(self, changed: dict, fresh: dict[str, dict[str, list]]) -> None:
        """Drop what the changed sources held, put in what they hold now."""
        for sp in changed:
            for dk in self.by_source.pop(sp, {}):
                self.by_doc.pop(dk, None)
                i = bisect.bisect_left(self.keys, dk)
                if i < len(self.keys) and self.keys[i] == dk:
                    del self.keys[i]
        for sp, by_doc in fresh.items():
            self.by_source[sp] = by_doc
            for dk, pairs in by_doc.items():
                if dk not in self.by_doc:
                    bisect.insort(self.keys, dk)
                self.by_doc[dk] = pairs
