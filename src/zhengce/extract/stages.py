"""The registry of extraction stages run on every ingested document.

Each feature contributes one entry: a pure extractor ``doc -> list[item]`` and a store function
``save(conn, doc, items)``. Adding a stage is adding a line here. Importing the store modules
registers their tables before ``metadata.create_all``.
"""

from __future__ import annotations


def load_stages() -> list:
    from .. import graph
    from ..store import benefits as _benefit_tables  # noqa: F401
    from ..store import graph as _graph_tables  # noqa: F401
    from ..store import tasks as _task_tables  # noqa: F401
    from . import benefits, references, tasks

    return [references.STAGE, benefits.STAGE, tasks.STAGE, graph.service.STAGE, graph.service.NAMES_STAGE]
