"""The Task record the extractor returns (one assigned measure with its units and deadline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(slots=True)
class Task:
    """One implementation task: a measure, who leads, who helps, by when, and where it stands.

    ``id`` is the provision citation id + "#" + ordinal within that provision, so it is stable
    across re-ingests of the same file and tracking state can hang on it.
    """

    id: str
    doc_key: str
    source: str
    cid: str
    text: str  # the measure as written (normalised)
    lead_units: list[str] = field(default_factory=list)  # as written
    co_units: list[str] = field(default_factory=list)
    deadline_raw: str | None = None
    deadline: dt.date | None = None
    ongoing: bool = False
    title: str | None = None  # 重点任务 / run-in heading
    number: str | None = None  # 序号 / item label
    parent_task: str | None = None  # 市级重点任务 this measure implements
    line_start: int = 0
    line_end: int = 0
    seq: int = 0

    @property
    def full_text(self) -> str:
        """Heading/重点任务 and measure together: what a quote is looked up in."""
        head = self.title or self.parent_task
        if head and head not in self.text:
            return f"{head}：{self.text}"
        return self.text
