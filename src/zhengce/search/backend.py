"""One search interface, two backends: the protocol, the shared dictionary, the choice by URL.

A backend answers ``search`` over provision ``Record``s (``records.py``) and keeps them in step
with the store. The ``Library`` opens its backend explicitly (``Library.search_index``, chosen by
the store URL: PostgreSQL stores use the PostgreSQL backend so several servers share one index;
everything else the embedded tantivy index in ``data_dir/search``) and drives it during ingest
through a :class:`IndexSession`:

* ``in_transaction(conn, source, sha, docs)`` runs inside the file's store transaction (the
  dictionary rows, and for PostgreSQL the search rows themselves: index and store commit
  together);
* ``committed(source, sha, docs)`` runs after that commit with the documents still in memory
  (tantivy: segment and add them; nothing is re-read from the store);
* ``close()`` commits the index and replays whatever the store's ``source_log`` holds that the
  index has not seen (other processes' ingests, a crash's leftovers).

Facets are data (``facets.FACETS``); filters are validated against them in ``engine``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import Connection

from ..model import Document
from ..store import dictionary
from .segment import Segmenter
from .types import SearchResult

if TYPE_CHECKING:
    from ..library import Library


class IndexSession(Protocol):
    def in_transaction(self, conn: Connection, source: str, sha: str, docs: list[Document]) -> None: ...
    def committed(self, source: str, sha: str, docs: list[Document]) -> None: ...
    def removed(self, source: str) -> None: ...
    def close(self) -> None: ...


class SearchBackend(Protocol):
    name: str
    dictionary: Dictionary  # the store's words, as the segmenter of this process holds them

    def session(self) -> IndexSession:
        """Start writing (tantivy: takes the index writer lock until ``close``)."""

    def build(self) -> None:
        """Rebuild the whole index from the store."""

    def update(self, changed: list[str] | None = None) -> None:
        """Bring the index up to date with the store (``changed``: sources known to have changed)."""

    def delete(self, sources: list[str]) -> None:
        """Drop the records of ``sources`` (their rows are gone from the store)."""

    def search(self, query: str, filters: dict, page: int, per_page: int, facets: bool) -> SearchResult:
        """One page of ranked hits; ``filters`` holds validated facet values and day bounds."""

    def segmenter(self) -> Segmenter:
        """The segmenter queries use, with every dictionary word the store holds."""

    def doc_freqs(self, terms: list[str]) -> tuple[int, dict[str, int]]:
        """(number of indexed provisions, {term: provisions whose body holds it})."""


class Dictionary:
    """A ``Segmenter`` kept in step with the store's ``search_terms`` rows (thread-safe)."""

    def __init__(self) -> None:
        self.segmenter = Segmenter()
        self.last_id = 0
        self.pending_id = 0  # applied from a transaction not known to be committed yet
        self._lock = threading.Lock()

    def sync(self, conn: Connection, *, keep_last: bool = False) -> bool:
        """Load terms added since the last sync; True when any were.

        ``keep_last``: inside a writer's open transaction, whose own rows may still roll back
        (and SQLite then gives their ids to the next rows): apply them, but leave ``last_id``
        where it was, so a later sync reads those ids again; ``advance`` moves it once committed.
        """
        rows = dictionary.terms_after(conn, self.last_id)
        if not rows:
            return False
        before = self.last_id
        with self._lock:
            seg = self.segmenter
            for rid, term, full in rows:
                if rid <= self.last_id:
                    continue
                if full:
                    seg.add_group([full, term])
                else:
                    seg.add_words([term])
                self.last_id = rid
            if keep_last:
                self.pending_id, self.last_id = self.last_id, before
        return True

    def advance(self) -> None:
        """The transaction of the rows ``sync(keep_last=True)`` applied has committed."""
        with self._lock:
            self.last_id = max(self.last_id, self.pending_id)

    def precut(self, conn: Connection, docs: list[Document]) -> tuple[tuple[int, ...], dict[str, str]] | None:
        """Cut ``docs``' index texts now, with the words the store holds (an ingest worker's job).

        Returns the segmenter state and the cuts, for the writing process's ``Segmenter.offer``:
        it takes them when its own state is the same once the file's transaction has loaded the
        dictionary (the file and the files written meanwhile added no word), else cuts again.
        None when the documents bring words of their own: the writer would refuse those cuts.
        """
        from .records import harvest, records
        self.sync(conn)
        with self._lock:
            seg = self.segmenter
            if seg.would_learn(*harvest(docs)):
                return None
            with seg.recording() as cuts:
                for doc in docs:
                    records(seg, doc)
            return seg.state(), cuts

    def learn(self, words: set[str], pairs: list[list[str]]) -> None:
        """Add words this process harvested itself (they are in the store once its tx commits)."""
        with self._lock:
            seg = self.segmenter
            for full, short in pairs:
                seg.add_group([full, short])
            seg.add_words(words)


def open_backend(library: Library) -> SearchBackend:
    """The backend for ``library``'s store URL."""
    if library.engine.dialect.name == "postgresql":
        from .pg_backend import PostgresBackend
        return PostgresBackend(library)
    from .tantivy_backend import TantivyBackend
    return TantivyBackend(library)
