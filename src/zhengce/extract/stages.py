"""The registry of extraction stages run on every ingested document.

Each feature contributes one entry: a pure extractor ``doc -> list[item]`` and a store function
``save(conn, doc, items)``. Adding a stage is adding a line here. Importing the store modules
registers their tables before ``metadata.create_all``.
"""

from __future__ import annotations


def load_stages() -> list:
    from .. import graph
    from ..library import POST_INGEST
    from ..store import benefits as _benefit_tables  # noqa: F401
    from ..store import graph as _graph_tables  # noqa: F401
    from ..store import tasks as _task_tables  # noqa: F401
    from . import benefits, references, tasks
    if keep_match_rules not in POST_INGEST:
        POST_INGEST.append(keep_match_rules)
    return [references.STAGE, benefits.STAGE, tasks.STAGE, graph.service.STAGE, graph.service.NAMES_STAGE]


BULK_FILES = 1000  # an ingest that changed at least this many files writes the matcher's snapshot


def keep_match_rules(lib, names: list[str]) -> None:
    """POST_INGEST: after a bulk ingest, read the new rules once here and write the matcher's
    table to disk (``zhengce.match.snapshot``), so that not even the first match of the first
    process after it decodes every rule (20-30 s at 100,000 documents; the ingest took an hour).
    A smaller ingest leaves it to the next match, which replays only the changed sources — and
    ``zhengce ingest FILE`` stays fast. Matching (numpy) is imported only then."""
    if len(names) < BULK_FILES:
        return
    import logging

    from ..match import keep_snapshot
    try:
        keep_snapshot(lib)
    except Exception as e:  # noqa: BLE001 — a cache; the ingest itself has committed
        logging.getLogger(__name__).warning("matcher snapshot not written after the ingest: %s", e)
