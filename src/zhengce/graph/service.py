"""Reading the graph out of the store: resolution, both directions, validity, neighbourhood, status upkeep."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Connection, or_, select, update

from ..extract.docnum import number_key
from ..extract.references import RELATION_LABELS, title_key
from ..model import Document
from ..store import documents as store_docs
from ..store import graph as store_graph
from ..store.base import chunks
from ..validity import Act, Validity, find_clauses, validity

ACTS = ("repeals", "replaces", "amends")
# An "amends" counts for 时效性 only when the acting document is itself an amendment
# (govcn content_5351177.htm: "国务院关于修改〈…条例〉的决定"), not a plan saying it will "推动修订《…》"
# (beijing-business-environment-plan-2021.txt:388).
AMENDING_TITLE = re.compile(r"修改|修订|修正")


def doc_names(doc: Document) -> list[tuple[str, str]]:
    """Extraction stage: the names other documents' references may use for ``doc``."""
    out = []
    nk = number_key(doc.doc_number)
    if nk:
        out.append(("number", nk))
    for ti in (doc.title, doc.short_title):
        k = title_key(ti)
        if k and ("title", k) not in out:
            out.append(("title", k))
    return out


NAMES_STAGE = ("names", doc_names, store_graph.save_names)
_INFO = ("key", "doc_number", "title", "short_title", "date", "status")


class DocInfo:
    """Key -> {key, doc_number, title, short_title, date, status} of library documents, read on
    demand by primary key (and remembered): a mapping that never reads the whole table."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self._rows: dict[str, dict | None] = {}

    def get(self, key: str | None, default=None):
        if key is None:
            return default
        if key not in self._rows:
            t = store_docs.documents
            row = self.conn.execute(select(*(t.c[c] for c in _INFO)).where(t.c.key == key)).first()
            self._rows[key] = dict(row._mapping) if row else None
        row = self._rows[key]
        return default if row is None else row

    def __getitem__(self, key: str) -> dict:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None


class Resolver:
    """Library documents by 文号 (``number_key``) and by title / short title (``title_key``).

    Lookups go to the indexed ``document_names`` rows, one per name asked (and remembered), so
    building a resolver costs nothing however large the library. A shared name resolves to the
    document stored first.
    """

    def __init__(self, conn: Connection):
        self.conn = conn
        self.docs = DocInfo(conn)
        self._names: dict[tuple[str, str], str | None] = {}

    def _first(self, kind: str, name: str) -> str | None:
        k = (kind, name)
        if k not in self._names:
            self._names[k] = store_graph.first_named(self.conn, kind, name)
        return self._names[k]

    def resolve(self, title: str | None, number: str | None) -> str | None:
        nk = number_key(number) if number else None
        if nk:
            k = self._first("number", nk)
            if k:
                return k
        tk = title_key(title) if title else None
        return self._first("title", tk) if tk else None

    def __call__(self, ref: dict) -> str | None:  # the old DocResolver calling convention
        return self.resolve(ref.get("title"), ref.get("doc_number"))


def stub_id(title: str | None, number: str | None) -> str:
    """The node id of a target not in the library: stable across runs, so a later ingest replaces it."""
    return "stub:" + (number_key(number) or title_key(title) or "?")


def outgoing(conn: Connection, doc: Document, resolver: Resolver | None = None) -> list[dict]:
    """The document's references, typed, each with ``target`` (a library key) or None (a stub)."""
    resolver = resolver or Resolver(conn)
    out = []
    for r in store_docs.references_of(conn, doc.key):
        target = resolver.resolve(r.get("title"), r.get("doc_number"))
        rel = r.get("relation") or ("repeals" if r.get("repeal") else "cites")
        out.append({
            "cid": r["cid"], "title": r["title"], "doc_number": r["doc_number"], "alias": r.get("alias"),
            "relation": rel, "relation_label": RELATION_LABELS.get(rel, rel), "raw": r["raw"],
            "context": r.get("context"), "self": bool(r.get("self_ref")) or target == doc.key,
            "target": target, "target_title": resolver.docs[target]["title"] if target else None,
            "stub": None if target else stub_id(r["title"], r["doc_number"]),
            "repeal": rel == "repeals"})
    return out


def _names(doc_number: str | None, title: str | None, short_title: str | None) -> tuple[list[str], list[str]]:
    """What a reference to a document may match: its 文号 (match key and as written — rows stored
    before match keys existed have only the latter) and the match keys of its titles."""
    nk = number_key(doc_number)
    numbers = [nk, doc_number] if nk and doc_number else []
    return numbers, [k for k in dict.fromkeys((title_key(title), title_key(short_title))) if k]


def _incoming_rows(conn: Connection, doc: Document, acts_only: bool = False) -> list[dict]:
    r = store_docs.references
    conds = []
    numbers, keys = _names(doc.doc_number, doc.title, doc.short_title)
    if numbers:
        conds.append(r.c.number_key == numbers[0])
        conds.append(r.c.doc_number == numbers[1])
    if keys:
        conds.append(r.c.title_key.in_(keys))
    if not conds:
        return []
    stmt = select(r).where(or_(*conds)).where(r.c.doc_key != doc.key).order_by(r.c.id)
    if acts_only:  # the few rows 时效性 depends on, not every citation (thousands for a common title)
        stmt = stmt.where(or_(r.c.relation.in_(ACTS), r.c.repeal.is_(True)))
    return [dict(x._mapping) for x in conn.execute(stmt)]


def incoming(conn: Connection, doc: Document, resolver: Resolver | None = None) -> list[dict]:
    """Documents that reference this one, one entry per citing document with its relations."""
    resolver = resolver or Resolver(conn)
    by_doc: dict[str, dict] = {}
    for x in _incoming_rows(conn, doc):
        if x.get("self_ref"):
            continue
        rel = x.get("relation") or ("repeals" if x.get("repeal") else "cites")
        info = resolver.docs.get(x["doc_key"], {})
        e = by_doc.setdefault(x["doc_key"], {
            "doc_key": x["doc_key"], "title": info.get("title"), "doc_number": info.get("doc_number"),
            "relations": [], "cids": [], "repeal": False})
        if rel not in e["relations"]:
            e["relations"].append(rel)
        e["cids"].append(x["cid"])
        e["repeal"] = e["repeal"] or rel == "repeals"
    for e in by_doc.values():
        e["relation_labels"] = [RELATION_LABELS.get(r, r) for r in e["relations"]]
    return list(by_doc.values())


def acts_on(conn: Connection, doc: Document) -> list[Act]:
    """Repeals, replacements and amendments of ``doc`` by other library documents.

    The acting documents and their clauses are read in one query each, not one per act: a
    document many others repeal (a library of yearly editions, or of copies) has thousands.
    """
    rows = []
    for x in _incoming_rows(conn, doc, acts_only=True):
        rel = x.get("relation") or ("repeals" if x.get("repeal") else None)
        if rel in ACTS and not x.get("self_ref"):
            rows.append((rel, x))
    keys = sorted({x["doc_key"] for _rel, x in rows})
    docs = store_docs.documents
    actors, clauses = {}, {}
    for chunk in chunks(keys):
        actors.update((r.key, r) for r in conn.execute(
            select(docs.c.key, docs.c.title, docs.c.short_title, docs.c.doc_number, docs.c.date)
            .where(docs.c.key.in_(chunk))))
        clauses.update(store_graph.clauses_of(conn, chunk))
    out = []
    for rel, x in rows:
        row = actors.get(x["doc_key"])
        if row is None:
            continue
        if rel == "amends" and not AMENDING_TITLE.search(f"{row.title}{row.short_title or ''}"):
            continue
        start = (clauses.get(row.key) or {}).get("start") or row.date
        out.append(Act(rel, row.key, row.doc_number, row.title, start, cid=x["cid"], quote=x.get("context")))
    return out


def _own_clauses(conn: Connection, doc: Document) -> tuple[dt.date | None, dt.date | None]:
    c = store_graph.clauses_of(conn, [doc.key]).get(doc.key)
    if c is None and doc.text:
        cl = find_clauses(doc.text, doc.date)
        return cl.start, cl.end
    return (c or {}).get("start"), (c or {}).get("end")


def validity_of(conn: Connection, doc: Document, as_of: dt.date | None = None) -> Validity:
    """时效性 of ``doc`` on ``as_of`` (default today), from its clauses and the acts on it."""
    start, end = _own_clauses(conn, doc)
    return validity(as_of=as_of or dt.date.today(), start=start, end=end, trial=doc.trial,
                    acts=acts_on(conn, doc))


def status_now(doc: Document) -> list:
    """Extraction stage: the document's own clauses; sets ``doc.status`` (as of today, own clauses only)
    so the search index gets a 时效性 value in the same ingest. Acts of other documents are added by
    :func:`refresh_status` once the file is stored."""
    c = find_clauses(doc.text, doc.date)
    doc.status = validity(as_of=dt.date.today(), start=c.start, end=c.end, trial=doc.trial, acts=[]).status
    return [c] if (c.start or c.end) else []


STAGE = ("validity", status_now, store_graph.save_clauses)


def refresh_status(lib, changed: list[str]) -> None:
    """POST_INGEST: recompute 时效性 for the changed files' documents and the documents they act on;
    write what changed to ``documents.status`` and log their sources so the search index re-reads them."""
    t = store_docs.documents
    with lib.engine.begin() as conn:
        # in chunks: PostgreSQL takes at most 65,535 parameters a statement, and a bulk ingest
        # changes 100,000 files
        rows = [row for part in chunks(changed) for row in conn.execute(
            select(t.c.key, t.c.title, t.c.short_title, t.c.doc_number).where(t.c.source.in_(part)))]
        if not rows:
            return
        keys = [row.key for row in rows]
        resolver = Resolver(conn)
        r = store_docs.references
        # A changed document's stored status came from its own clauses (``status_now``): only an
        # act of another document can change it, so only the documents some acting reference may
        # name are computed again (a bulk ingest of 100,000 files had read every one of them).
        affected = _acted_on(conn, rows)
        for part in chunks(keys):
            for x in conn.execute(select(r.c.title, r.c.doc_number).where(r.c.doc_key.in_(part))
                                  .where(r.c.relation.in_(ACTS))):
                k = resolver.resolve(x.title, x.doc_number)
                if k:
                    affected.add(k)
        touched: set[str] = set()
        for key in sorted(affected):
            doc = store_docs.get_document(conn, key, with_provisions=False)
            if doc is None:
                continue
            status = validity_of(conn, doc).status
            if status != doc.status:
                conn.execute(update(t).where(t.c.key == key).values(status=status))
                touched.add(doc.source_path or doc.source)
        for sp in sorted(touched):
            sha = store_docs.source_sha(conn, sp)
            conn.execute(store_docs.source_log.insert().values(source=sp, sha256=sha))


def _acted_on(conn: Connection, rows: list) -> set[str]:
    """The keys of the documents among ``rows`` (key, title, short title, 文号) that an acting
    reference (repeals, replaces, amends) may name — ``_incoming_rows``' conditions (``_names``),
    asked for ``IN_CHUNK`` documents at a time through the indexed name columns."""
    r = store_docs.references
    out: set[str] = set()
    for chunk in chunks(rows):
        by_number: dict[str, list[str]] = {}
        by_title: dict[str, list[str]] = {}
        for row in chunk:
            numbers, titles = _names(row.doc_number, row.title, row.short_title)
            for name, index in [(n, by_number) for n in numbers] + [(k, by_title) for k in titles]:
                index.setdefault(name, []).append(row.key)
        conds = [r.c.number_key.in_(list(by_number)), r.c.doc_number.in_(list(by_number)),
                 r.c.title_key.in_(list(by_title))]
        stmt = (select(r.c.number_key, r.c.doc_number, r.c.title_key).where(or_(*conds))
                .where(or_(r.c.relation.in_(ACTS), r.c.repeal.is_(True))))
        for x in conn.execute(stmt):
            for name, index in ((x.number_key, by_number), (x.doc_number, by_number), (x.title_key, by_title)):
                out.update(index.get(name) or ())
    return out


def neighbourhood(conn: Connection, doc: Document, *, limit: int = 40) -> dict:
    """Nodes and typed edges around ``doc``: what it cites (basis, implements, repeals …) and what cites it."""
    resolver = Resolver(conn)
    info = resolver.docs.get(doc.key, {})
    nodes: dict[str, dict] = {doc.key: {"id": doc.key, "key": doc.key, "title": doc.title,
                                        "label": doc.short_title or doc.title, "doc_number": doc.doc_number,
                                        "status": info.get("status"), "role": "center", "stub": False}}
    edges: list[dict] = []
    seen: set[tuple] = set()

    def node(nid: str, role: str, title: str | None, number: str | None, key: str | None) -> None:
        if nid not in nodes and len(nodes) < limit:
            d = resolver.docs.get(key) if key else None
            nodes[nid] = {"id": nid, "key": key, "title": (d or {}).get("title") or title,
                          "label": (d or {}).get("short_title") or (d or {}).get("title") or title or number,
                          "doc_number": (d or {}).get("doc_number") or number,
                          "status": (d or {}).get("status"), "role": role, "stub": key is None}

    for r in outgoing(conn, doc, resolver):
        if r["self"]:
            continue
        nid = r["target"] or r["stub"]
        node(nid, "target", r["title"], r["doc_number"], r["target"])
        if nid in nodes and (doc.key, nid, r["relation"]) not in seen:
            seen.add((doc.key, nid, r["relation"]))
            edges.append({"source": doc.key, "target": nid, "relation": r["relation"],
                          "label": r["relation_label"], "cid": r["cid"]})
    for c in incoming(conn, doc, resolver):
        node(c["doc_key"], "citing", c["title"], c["doc_number"], c["doc_key"])
        if c["doc_key"] not in nodes:
            continue
        for rel in c["relations"]:
            if (c["doc_key"], doc.key, rel) not in seen:
                seen.add((c["doc_key"], doc.key, rel))
                edges.append({"source": c["doc_key"], "target": doc.key, "relation": rel,
                              "label": RELATION_LABELS.get(rel, rel), "cid": c["cids"][0]})
    return {"center": doc.key, "nodes": list(nodes.values()), "edges": edges}
