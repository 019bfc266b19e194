"""The registry of extraction stages run on every ingested document.

Each feature contributes one entry: a pure extractor ``doc -> list[item]`` and a store function
``save(conn, doc, items)``. Adding a stage is adding a line here.
"""

from __future__ import annotations


def load_stages() -> list:
    from . import references
    stages = [references.STAGE]
    from . import benefits
    from ..store import benefits as _benefit_tables  # noqa: F401  (registers the rule tables)
    stages.append(benefits.STAGE)
    from . import tasks as _tasks  # noqa: I001
    from ..store import tasks as _task_tables  # noqa: F401  (registers the task tables)
    stages.append(_tasks.STAGE)
    return stages
