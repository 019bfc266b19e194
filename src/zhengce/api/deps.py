"""Shared request plumbing: the Library of the app, and lookups every router needs."""

from __future__ import annotations

from fastapi import Request

from ..errors import NotFound, ZhengceError
from ..library import Library
from ..model import Document


class ServiceUnavailable(ZhengceError):
    """A feature whose service is not installed or not built yet (e.g. no search index)."""

    status = 503
    title = "服务暂不可用"


async def get_library(request: Request) -> Library:
    return request.app.state.library


def require_document(lib: Library, key: str) -> Document:
    doc = lib.document(key)
    if doc is None:
        raise NotFound(f"没有找到文件 {key}", hint="已收录的文件见 /documents（API: /api/documents）", field="key")
    return doc


def document_detail(lib: Library, doc: Document, as_of=None) -> dict:
    """Everything the document page and GET /api/documents/{key} show; 时效性 on ``as_of`` (default today)."""
    from .. import graph
    from ..store import graph as store_graph
    from .serialize import doc_summary, provision_tree, validity_dict
    with lib.engine.connect() as conn:
        resolver = graph.Resolver(conn)
        refs = graph.outgoing(conn, doc, resolver)
        citing = graph.incoming(conn, doc, resolver)
        v = graph.validity_of(conn, doc, as_of)
        versions = store_graph.versions_of(conn, doc.key)
    summary = doc_summary(doc)
    summary["validity"] = v.status
    return summary | {
        "addressees": doc.addressees, "note": doc.note, "effective": doc.effective,
        "gazette": doc.gazette, "category": doc.category,
        "field_sources": doc.field_sources, "notes": doc.notes,
        "provisions": provision_tree(doc.provisions),
        "n_provisions": len(doc.provisions),
        "validity_detail": validity_dict(v),
        "references": [r for r in refs if not r["self"]],
        "cited_by": citing,
        "versions": [{"id": x["id"], "kept_at": x["kept_at"].isoformat(timespec="seconds"), "reason": x["reason"],
                      "sha256": x["sha256"]} for x in versions],
    }
