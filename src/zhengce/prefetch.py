"""Pipelined ingest: worker processes read, parse and extract the next files while the ``Library``
writes the current one.

Why processes: parsing and extraction are pure Python (the GIL allows one thread at a time) and
take most of an ingest; the store and index writes stay in the calling process, in the order the
files were given, one transaction per file, so a pipelined ingest stores exactly what a serial
one does:

* workers are forked (``fork`` start method: no re-import, the stages and dictionaries are
  shared copy-on-write) and open their own database connections (an inherited one is never
  used in a child), for the two reads ``Library.prepare`` makes: the stored sha256 and the
  document keys other sources hold;
* what a worker sends back is a ``Prepared`` (documents and extracted items: plain data);
* a file prepared ahead may have been prepared against a store that moved on (an earlier file
  of the same run took one of its keys, another process wrote it): ``Library.write`` checks both
  inside the transaction and prepares the file again in this process when needed;
* a file whose worker fails (an exception that escapes ``prepare``, or a worker that dies) is an
  error result naming the file. A dead worker breaks the whole pool: it is started again, the
  file at the head is tried again alone (so only the file that kills a worker by itself is
  refused) and the others in flight are submitted again.

At most ``AHEAD`` files per worker are prepared and not yet written, so memory stays bounded.
Workers also cut the files' index texts (``Dictionary.precut``) with the words the store held
when they started the file. The dictionary learns from every written document in order, so the
writer takes those cuts only when its segmenter is in the same state once the file's transaction
has loaded the dictionary (``Segmenter.offer``): a file that adds words itself, or follows one
that did before the worker saw it, is cut again here. So a pipelined ingest indexes exactly the
terms a serial one does; in a warm library nearly every file's cuts are taken.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from . import settings

if TYPE_CHECKING:
    from .library import IngestResult, Library, Prepared

AHEAD = 2  # files in flight per worker

_LIBRARY: Library | None = None  # the library a forked worker prepares files for
_PARENT_ENGINES: list = []  # inherited engines, kept referenced so a child never closes their connections


def worker_count(library: Library, workers: int | None, files: int) -> int:
    """How many worker processes an ingest of ``files`` files uses (0: none, all in this process).

    ``workers`` None reads the ``ingest_workers`` setting. No workers for a single file, for an
    in-memory SQLite store (a child process cannot see it) or where ``fork`` is missing.
    """
    if workers is None:
        raw = settings.get("ingest_workers") or "0"
        try:
            workers = int(raw)
        except ValueError:
            from .errors import InvalidInput
            raise InvalidInput(f"ZHENGCE_INGEST_WORKERS: 需要整数 (an integer is needed), not {raw!r}") from None
    if workers <= 0 or files < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    url = library.engine.url
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"):
        return 0
    return min(workers, files - 1, os.cpu_count() or 1)


def _start_worker() -> None:
    """Child initializer: a fresh engine of the same store (the parent's pooled connections are
    the parent's: SQLite and libpq connections must not cross a fork)."""
    from .store.base import make_engine
    lib = _LIBRARY
    assert lib is not None
    _PARENT_ENGINES.append(lib.engine)
    lib.engine = make_engine(lib.url)


def _prepare(path: str, source_path: str, force: bool) -> Prepared | IngestResult:
    lib = _LIBRARY
    assert lib is not None
    prep = lib.prepare(path, source_path=source_path, force=force)
    if hasattr(prep, "docs"):  # a Prepared (not an "unchanged"/"error" result)
        with lib.engine.connect() as conn:
            prep.cuts = lib.search_index.dictionary.precut(conn, prep.docs)
    return prep


def _pool(library: Library, workers: int) -> ProcessPoolExecutor:
    """A pool whose workers are forked now (a first task submitted), with this process's
    objects frozen out of the children's garbage collector: a collection in a child would
    otherwise write to every object's header and so copy nearly every page it shares."""
    global _LIBRARY
    _LIBRARY = library
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker)
    gc.freeze()
    try:
        pool.submit(int).result()  # fork start method: every worker is started on the first submit
    finally:
        gc.unfreeze()
    return pool


def prepared_ahead(library: Library, refs: list[tuple[Path, str]], *, force: bool,
                   workers: int) -> Iterator[tuple[Path, str, Prepared | IngestResult]]:
    """``(path, source_path, prepared)`` for every file of ``refs``, in order, prepared by
    ``workers`` processes ahead of the caller. Closing the generator stops the workers."""
    from .library import internal_error
    pool = _pool(library, workers)
    pending: deque[tuple[Path, str, Future]] = deque()
    todo = iter(refs)

    def submit(path: Path, source_path: str) -> Future:
        try:
            return pool.submit(_prepare, str(path), source_path, force)
        except BrokenProcessPool as e:  # broke since (a file in flight killed a worker)
            dead: Future = Future()
            dead.set_exception(e)
            return dead

    def fill() -> None:
        while len(pending) < workers * AHEAD:
            ref = next(todo, None)
            if ref is None:
                return
            pending.append((*ref, submit(*ref)))

    def restart() -> None:
        """A dead worker breaks the whole pool: start a new one."""
        nonlocal pool
        pool.shutdown(wait=False, cancel_futures=True)
        pool = _pool(library, workers)

    def resubmit() -> None:
        """Submit again the files in flight that did not finish before the pool broke."""
        for k, (p, sp, f) in enumerate(pending):
            if not (f.done() and not f.cancelled() and f.exception() is None):
                pending[k] = (p, sp, submit(p, sp))

    try:
        fill()
        while pending:
            path, source_path, fut = pending.popleft()
            try:
                prep = fut.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory, a crash in C) …
                restart()
                try:  # … on this file, or on another one in flight: try this one alone
                    prep = pool.submit(_prepare, str(path), source_path, force).result()
                except BrokenProcessPool as e:
                    prep = internal_error(path, source_path, RuntimeError(f"worker process died ({e})"))
                    restart()
                except Exception as e:
                    prep = internal_error(path, source_path, e)
                resubmit()
            except Exception as e:  # escaped prepare, e.g. a result that does not pickle
                prep = internal_error(path, source_path, e)
            fill()
            yield path, source_path, prep
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
