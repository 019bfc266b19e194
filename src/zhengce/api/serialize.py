"""Plain dicts for JSON out of the model dataclasses (shared by the API and the web pages).

The web templates read the same dicts the API returns, so a page never shows something the API
cannot give (datasette's "one data path, two renderers").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from ..model import Document, Provision


def plain(obj: Any) -> Any:
    """Dataclasses, dates, tuples → JSON-ready values (recursively)."""
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [plain(v) for v in obj]
    if isinstance(obj, (dt.date, dt.datetime)):
        return obj.isoformat()
    return obj


def validity_dict(v) -> dict:
    """A ``zhengce.validity.Validity`` as JSON (the status itself is computed in the domain, not here)."""
    def act(a):
        return None if a is None else {"relation": a.relation, "doc_key": a.doc_key, "doc_number": a.doc_number,
                                       "title": a.title, "start": plain(a.start), "cid": a.cid}
    return {"status": v.status, "as_of": v.as_of.isoformat(), "in_force": v.in_force, "trial": v.trial,
            "start": plain(v.start), "end": plain(v.end), "since": plain(v.since),
            "repealed_by": act(v.repealed_by), "amended_by": [act(a) for a in v.amended_by], "reasons": v.reasons}


def doc_summary(doc: Document) -> dict:
    return {
        "key": doc.key, "title": doc.title, "short_title": doc.short_title, "doc_number": doc.doc_number,
        "issuers": doc.issuers or [], "date": doc.date.isoformat() if doc.date else None,
        "doc_type": doc.doc_type, "level": doc.level, "district": doc.district, "source": doc.source, "source_path": doc.source_path,
        "line_start": doc.line_start, "line_end": doc.line_end, "trial": doc.trial,
        # 时效性 as last computed by zhengce.graph (the document endpoint recomputes it for ?as_of=).
        "validity": doc.status or ("试行" if doc.trial else "现行有效"),
    }


def provision_dict(p: Provision) -> dict:
    return {
        "cid": p.cid, "doc_key": p.doc_key, "level": p.level, "label": p.label, "heading": p.heading,
        "kind": p.kind, "parent": p.parent, "seq": p.seq, "raw": p.raw, "text": p.text,
        "line_start": p.line_start, "line_end": p.line_end, "cells": p.cells, "header": p.header,
    }


def provision_tree(provisions: list[Provision]) -> list[dict]:
    """Nest provisions under their parents (document order kept); orphans go to the top."""
    nodes: dict[str, dict] = {}
    roots: list[dict] = []
    for p in sorted(provisions, key=lambda p: p.seq):
        node = provision_dict(p) | {"children": []}
        nodes[p.cid] = node
        parent = nodes.get(p.parent) if p.parent else None
        (parent["children"] if parent is not None else roots).append(node)
    return roots


def link_refs(refs: list[dict], resolve) -> list[dict]:
    """References with ``target`` = the key of the document they point at, when in the library."""
    out = []
    for r in refs:
        target = resolve(r)
        out.append({k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()
                    if k != "id"} | {"target": target})
    return out
