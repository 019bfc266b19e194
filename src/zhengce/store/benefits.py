"""Rule tables: extracted benefit rules and the officer's versioned corrections.

``benefit_rules`` is derived data: re-ingesting a document replaces its rows. ``benefit_overrides``
holds corrections imported from a reviewed ``rules.yaml``; it is keyed by the stable rule id
(provision cid + "#" + ordinal) and marked ``survives_reingest`` so a correction outlives the
extraction it corrected. The rule in force is the latest override version, else the extraction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
    delete,
    func,
    select,
)

from ..extract.benefits.rule import BenefitRule
from ..model import Document
from .base import IN_CHUNK, chunks, insert_rows, metadata

benefit_rules = Table(
    "benefit_rules", metadata,
    Column("id", String(600), primary_key=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("source", String(255), nullable=False),
    Column("beneficiary", String(16), nullable=False),
    Column("name", Text, nullable=False),
    Column("amount_max_yuan", Float),
    Column("data", JSON, nullable=False),
)

benefit_overrides = Table(
    "benefit_overrides", metadata,
    Column("serial", Integer, primary_key=True, autoincrement=True),
    Column("rule_id", String(600), nullable=False, index=True),
    Column("doc_key", String(255), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("author", String(128)),
    Column("note", Text),
    Column("created_at", DateTime, nullable=False),
    Column("data", JSON, nullable=False),
    info={"survives_reingest": True},
)


def save_rules(conn: Connection, doc: Document, rules: list[BenefitRule]) -> None:
    """Extraction-stage save (caller owns the transaction; old rows were deleted by doc_key)."""
    if rules:
        conn.execute(delete(benefit_rules).where(benefit_rules.c.id.in_([r.id for r in rules])))
        insert_rows(conn, benefit_rules, ["id", "doc_key", "source", "beneficiary", "name", "amount_max_yuan", "data"],
                    [(r.id, r.doc_key, r.source, r.beneficiary, r.name, r.amount.max_yuan, r.to_dict())
                     for r in rules])


def latest_overrides(conn: Connection) -> dict[str, dict]:
    """{rule id: its latest correction row}."""
    latest = (select(benefit_overrides.c.rule_id, func.max(benefit_overrides.c.version).label("v"))
              .group_by(benefit_overrides.c.rule_id).subquery())
    stmt = select(benefit_overrides).join(
        latest, (benefit_overrides.c.rule_id == latest.c.rule_id) & (benefit_overrides.c.version == latest.c.v))
    return {r.rule_id: dict(r._mapping) for r in conn.execute(stmt)}


def count_in_force(conn: Connection) -> int:
    """How many rules are in force (``rules_in_force``'s length) without decoding them: the
    extracted rules (a correction replaces one in its place) plus the rules officers added
    (corrections whose id extraction does not produce, unless marked deleted)."""
    n = conn.execute(select(func.count()).select_from(benefit_rules)).scalar_one()
    overrides = latest_overrides(conn)
    extracted = {rid for part in chunks(list(overrides))
                 for rid in conn.execute(select(benefit_rules.c.id).where(benefit_rules.c.id.in_(part))).scalars()}
    return n + sum(1 for rid, ov in overrides.items() if rid not in extracted and not ov["data"].get("deleted"))


def list_rules(conn: Connection, *, doc_keys: list[str] | None = None) -> list[BenefitRule]:
    """The rules in force: each extracted rule replaced by its latest correction, plus rules an
    officer added (overrides whose id extraction does not produce)."""
    stmt = select(benefit_rules.c.doc_key, benefit_rules.c.id, benefit_rules.c.data)
    if doc_keys is not None:
        stmt = stmt.where(benefit_rules.c.doc_key.in_(doc_keys))
    rows = sorted((tuple(r) for r in conn.execute(stmt)), key=lambda r: (r[0], r[1]))
    extracted = ((rid, BenefitRule.from_dict(data)) for _dk, rid, data in rows)
    return rules_in_force(extracted, latest_overrides(conn), doc_keys)


def rules_in_force(extracted: Iterable[tuple[str, BenefitRule]], overrides: dict[str, dict],
                   doc_keys: Iterable[str] | None = None) -> list[BenefitRule]:
    """The rules in force from ``(id, extracted rule)`` pairs in (doc_key, id) order and the
    latest corrections (``latest_overrides``); ``doc_keys`` limits the rules officers added.

    The order is that of the keys' characters (code points), the same on every store: SQL
    ``ORDER BY`` would follow PostgreSQL's collation, and an incremental reader (the matcher's
    rule cache) could not reproduce it.
    """
    keys = None if doc_keys is None else set(doc_keys)
    out, seen = [], set()
    for rid, rule in extracted:
        ov = overrides.get(rid)
        out.append(BenefitRule.from_dict(ov["data"]) if ov else rule)
        seen.add(rid)
    for rid, ov in overrides.items():
        if rid not in seen and (keys is None or ov["doc_key"] in keys) and not ov["data"].get("deleted"):
            out.append(BenefitRule.from_dict(ov["data"]))
    return [r for r in out if not getattr(r, "deleted", False)]


def extracted_rows(conn: Connection, source_paths: list[str] | None = None) -> Iterator[tuple[str, str, str, dict]]:
    """(source_path, doc_key, rule id, stored rule) of every extracted rule, or of ``source_paths``'
    rules, in (doc_key, id) order of code points (``rules_in_force``'s) — streamed (a server-side
    cursor on PostgreSQL), so a reader of hundreds of thousands of rules holds one batch of rows
    at a time and need not sort them. Code-point order is byte order of UTF-8: SQLite's default
    collation, PostgreSQL's ``"C"``; on SQLite the ``doc_key`` index gives the order."""
    from .documents import documents
    doc_key, rid = benefit_rules.c.doc_key, benefit_rules.c.id
    if conn.dialect.name == "postgresql":
        doc_key, rid = doc_key.collate("C"), rid.collate("C")
    stmt = (select(documents.c.source_path, benefit_rules.c.doc_key, benefit_rules.c.id, benefit_rules.c.data)
            .join(documents, documents.c.key == benefit_rules.c.doc_key).order_by(doc_key, rid))
    if source_paths is not None and len(source_paths) > IN_CHUNK:  # one query per batch, merged in order
        parts = [list(extracted_rows(conn, part)) for part in chunks(source_paths)]
        yield from sorted((r for p in parts for r in p), key=lambda r: (r[1], r[2]))
        return
    q = stmt if source_paths is None else stmt.where(documents.c.source_path.in_(source_paths))
    for row in conn.execute(q.execution_options(yield_per=2000)):
        yield tuple(row)


def rules_by_id(conn: Connection, ids: list[str]) -> dict[str, BenefitRule]:
    """{id: rule in force} for ``ids`` (a correction wins over the extraction), decoded on demand:
    the matcher keeps no decoded rules, and the faces that need whole rules (the 政策服务包's
    cards) ask for the few they show."""
    overrides = latest_overrides(conn)
    out = {rid: BenefitRule.from_dict(overrides[rid]["data"]) for rid in ids if rid in overrides}
    rest = [rid for rid in dict.fromkeys(ids) if rid not in out]
    for part in chunks(rest):
        q = select(benefit_rules.c.id, benefit_rules.c.data).where(benefit_rules.c.id.in_(part))
        out.update((rid, BenefitRule.from_dict(data)) for rid, data in conn.execute(q))
    return out


def get_rule(conn: Connection, rule_id: str) -> BenefitRule | None:
    ov = latest_overrides(conn).get(rule_id)
    if ov:
        return BenefitRule.from_dict(ov["data"])
    data = conn.execute(select(benefit_rules.c.data).where(benefit_rules.c.id == rule_id)).scalar_one_or_none()
    return BenefitRule.from_dict(data) if data else None


def save_override(conn: Connection, rule: BenefitRule, *, author: str | None = None,
                  note: str | None = None) -> int:
    """Store a corrected rule as the next version; returns that version number."""
    cur = conn.execute(select(func.max(benefit_overrides.c.version))
                       .where(benefit_overrides.c.rule_id == rule.id)).scalar_one_or_none() or 0
    rule.version = cur + 1
    rule.corrected_by = author
    conn.execute(benefit_overrides.insert().values(
        rule_id=rule.id, doc_key=rule.doc_key, version=rule.version, author=author, note=note,
        created_at=dt.datetime.now(dt.UTC).replace(tzinfo=None), data=rule.to_dict()))
    return rule.version


def history(conn: Connection, rule_id: str) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(
        select(benefit_overrides).where(benefit_overrides.c.rule_id == rule_id)
        .order_by(benefit_overrides.c.version))]
