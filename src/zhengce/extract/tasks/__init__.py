"""Implementation tasks (对账销账): a pure function of a Document.

``extract_tasks(doc)`` finds measures with named responsible units in prose ("（责任单位：…）",
"（…负责）", "XX要…"/"请XX…") and in task tables and returns ``Task`` records with units as
written, deadlines resolved against the document's year (from a label, a column, the duty
parenthesis or the measure text), and a stable id (provision cid + "#" + ordinal).

Document conventions are state carried through the items in order: once the text says
"列第一位者为牵头单位" / "排在第一位的部门为牵头部门，下同", the first unit of every later unranked
list leads and the others are co units. ``STAGE`` registers the extractor with ingest.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import Connection

from ...model import Document, Provision
from ..deadlines import document_year, in_text, resolve
from .prose import CONVENTION, Assignment, ProseTask, compact, label_only, parse_labels, tasks_in
from .subjects import subject_tasks
from .tables import RowTask, is_header, table_tasks
from .types import Task

__all__ = ["Task", "extract_tasks", "save_tasks", "STAGE"]


def _is_row(p: Provision) -> bool:
    """A table row; a plain-text source's tab line (or a bold section row) counts too, the
    table provision that wraps the rows does not."""
    return p.kind == "row" or (p.kind != "table" and "\t" in p.raw)


def _blocks(provisions: list[Provision], runs: list[list[Provision]]):
    """Yield (provision, text) blocks: a heading with its direct paragraph children; collect
    table rows into ``runs`` on the way."""
    block: list[Provision] = []

    def flush():
        if block:
            yield block[0], "".join(p.text for p in block)
            block.clear()

    for p in provisions:
        if _is_row(p):
            runs[-1].append(p)
            continue
        if p.kind == "table":
            first = p.raw.split("\n", 1)[0]
            if "\t" in first and is_header(first.split("\t")):  # the header line opens the run
                runs[-1].append(replace(p, raw=first, kind="row", cells=None))
            continue
        if runs[-1]:
            runs.append([])
        if block and p.kind == "paragraph" and p.parent == block[0].cid and block[0].kind == "heading" \
                and not label_only(block[-1].text):
            block.append(p)
            continue
        if block and p.kind == "paragraph" and p.parent == block[0].cid and label_only(p.text) \
                and label_only(block[-1].text):
            block.append(p)
            continue
        yield from flush()
        block.append(p)
    yield from flush()


def extract_tasks(doc: Document) -> list[Task]:
    year = document_year(doc)
    found: list[tuple[int, Task]] = []

    def add(p: Provision, ordinal: int, text: str, a: Assignment, *, title=None, number=None,
            parent=None, line_end=None) -> None:
        if conv_seq is not None and p.seq >= conv_seq:
            a.first_leads()
        d = resolve(a.deadline_raw or in_text(text, year), year)
        found.append((p.seq, Task(
            id=f"{p.cid}#{ordinal}", doc_key=doc.key, source=doc.source, cid=p.cid, text=text,
            lead_units=a.lead, co_units=a.co, deadline_raw=d.raw, deadline=d.date, ongoing=d.ongoing,
            title=title, number=number, parent_task=parent, line_start=p.line_start,
            line_end=line_end or p.line_end)))

    # prose: a numbered item and its unnumbered paragraphs read as one block (an item's
    # "（责任单位：…）" or "完成时限："/"主要责任单位：" lines often sit in a child paragraph)
    pending: list[ProseTask] = []  # tasks of the last measure-bearing block
    last_measure: Provision | None = None
    prose: list[ProseTask] = []
    runs: list[list[Provision]] = [[]]  # consecutive table rows; any other provision ends a run
    conv_seq: int | None = None  # where the document states its "first unit leads" convention
    for p in doc.provisions:
        if ("第一位" in p.text or "首位" in p.text) and CONVENTION.search(compact(p.text)):
            conv_seq = p.seq
            break
    for p, text in _blocks(doc.provisions, runs):
        if label_only(text):
            a = parse_labels(compact(text))
            if pending:
                pending[-1].assignment.merge(a)
            elif last_measure is not None and not a.empty:
                t = ProseTask(last_measure, 1, compact(last_measure.text).strip("。"), a)
                prose.append(t)
                pending = [t]
            continue
        pending = tasks_in(p, text) or subject_tasks(p, text)
        prose.extend(pending)
        last_measure = p
    for t in prose:
        if t.assignment.lead or t.assignment.co:
            add(t.provision, t.ordinal, t.text, t.assignment, number=t.provision.label or None,
                title=t.provision.heading or None)
    # tables
    for r in table_tasks([run for run in runs if run]):
        add(r.provision, 1, r.measure, Assignment(r.lead, r.co, r.deadline_raw, ranked=r.ranked), title=r.title,
            number=r.number, parent=r.parent, line_end=r.line_end)
    found.sort(key=lambda x: x[0])
    out = []
    for i, (_s, t) in enumerate(found):
        t.seq = i
        out.append(t)
    return out


def save_tasks(conn: Connection, doc: Document, items: list[Task]) -> None:
    from ...store import tasks as store_tasks
    store_tasks.save(conn, items)


STAGE = ("tasks", extract_tasks, save_tasks)
_ = RowTask  # re-exported type for callers of table_tasks
