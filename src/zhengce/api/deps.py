"""Shared request plumbing: the Library of the app, and lookups every router needs."""

from __future__ import annotations

from fastapi import Request

from ..errors import NotFound, ZhengceError
from ..library import Library
from ..model import Document
from ..store import documents as store_docs


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


class DocResolver:
    """Finds the library document a reference points at (by 文号, else by exact title)."""

    def __init__(self, lib: Library):
        self.by_number: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        from sqlalchemy import select
        t = store_docs.documents
        with lib.engine.connect() as conn:
            for key, number, title, short in conn.execute(
                    select(t.c.key, t.c.doc_number, t.c.title, t.c.short_title)):
                self.titles[key] = title
                if number:
                    self.by_number.setdefault(number, key)
                for ti in (title, short):
                    if ti:
                        self.by_title.setdefault(ti.strip("《》"), key)

    def __call__(self, ref: dict) -> str | None:
        if ref.get("doc_number") and ref["doc_number"] in self.by_number:
            return self.by_number[ref["doc_number"]]
        title = (ref.get("title") or "").strip("《》")
        return self.by_title.get(title) if title else None


def document_detail(lib: Library, doc: Document) -> dict:
    """Everything the document page and GET /api/documents/{key} show."""
    from .serialize import doc_summary, link_refs, provision_tree
    with lib.engine.connect() as conn:
        refs = store_docs.references_of(conn, doc.key)
        citing = store_docs.cited_by(conn, doc)
    resolve = DocResolver(lib)
    repealed_by = [r for r in citing if r.get("repeal")]
    summary = doc_summary(doc)
    if repealed_by:
        summary["validity"] = "已废止"
    citing_docs: dict[str, dict] = {}
    for r in citing:
        entry = citing_docs.setdefault(r["doc_key"], {"doc_key": r["doc_key"], "cids": [], "repeal": False,
                                                      "title": resolve.titles.get(r["doc_key"])})
        entry["cids"].append(r["cid"])
        entry["repeal"] = entry["repeal"] or bool(r.get("repeal"))
    return summary | {
        "addressees": doc.addressees, "note": doc.note, "effective": doc.effective,
        "gazette": doc.gazette, "category": doc.category,
        "field_sources": doc.field_sources, "notes": doc.notes,
        "provisions": provision_tree(doc.provisions),
        "n_provisions": len(doc.provisions),
        "references": link_refs(refs, resolve),
        "cited_by": list(citing_docs.values()),
    }
