"""REST: documents (list with filters, detail with provision tree) and provisions by citation id."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query

from ..errors import NotFound
from ..library import Library
from ..store import documents as store_docs
from .deps import document_detail, get_library, require_document
from .serialize import doc_summary, provision_dict

router = APIRouter(prefix="/api", tags=["文件 documents"])


@router.get("/counts", summary="库中文件、条款数量")
async def counts(lib: Library = Depends(get_library)) -> dict:
    return {"ok": True} | lib.counts()


@router.get("/documents", summary="文件列表（可按发文机关、文种、日期、标题筛选）")
def list_documents(
    lib: Library = Depends(get_library),
    issuer: str | None = Query(None, max_length=100, description="发文机关包含此文本"),
    doc_type: str | None = Query(None, max_length=20, description="文种：通知/意见/方案…"),
    since: dt.date | None = Query(None, description="成文日期不早于 (YYYY-MM-DD)"),
    until: dt.date | None = Query(None, description="成文日期不晚于 (YYYY-MM-DD)"),
    title: str | None = Query(None, max_length=200, description="标题包含此文本"),
    source: str | None = Query(None, max_length=255, description="来源文件名"),
    validity: str | None = Query(None, max_length=8, description="时效性：现行有效/试行/已被修订/已废止/失效/尚未施行"),
    limit: int = Query(50, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> dict:
    docs = lib.documents(issuer=issuer, doc_type=doc_type, since=since, until=until, query=title,
                         source=source)
    if validity:
        docs = [d for d in docs if doc_summary(d)["validity"] == validity]
    page = docs[offset: offset + limit]
    return {"ok": True, "total": len(docs), "limit": limit, "offset": offset,
            "documents": [doc_summary(d) for d in page]}


@router.get("/documents/{key:path}", summary="文件详情：元数据、条款树、引用与被引用")
def get_document(key: str, lib: Library = Depends(get_library),
                 as_of: dt.date | None = Query(None, description="时效性的计算日期 (YYYY-MM-DD)，默认今天")) -> dict:
    doc = require_document(lib, key)
    return {"ok": True, "document": document_detail(lib, doc, as_of)}


@router.get("/provisions/{cid:path}", summary="按引用编号取条款（如 京政发〔2021〕24号/二/(一)/3）")
def get_provision(cid: str, lib: Library = Depends(get_library)) -> dict:
    with lib.engine.connect() as conn:
        p = store_docs.get_provision(conn, cid)
        if p is None:
            raise NotFound(f"没有找到条款 {cid}", hint="引用编号形如 文号/一/(一)/1，可在文件详情中查看",
                           field="cid")
        doc = store_docs.get_document(conn, p.doc_key, with_provisions=True)
    provs = doc.provisions if doc else []
    by_cid = {q.cid: q for q in provs}
    ancestors, cur = [], by_cid.get(p.parent) if p.parent else None
    while cur is not None and len(ancestors) < 20:
        ancestors.insert(0, {"cid": cur.cid, "label": cur.label, "heading": cur.heading})
        cur = by_cid.get(cur.parent) if cur.parent else None
    children = [provision_dict(q) for q in provs if q.parent == p.cid]
    return {"ok": True, "provision": provision_dict(p), "ancestors": ancestors, "children": children,
            "document": doc_summary(doc) if doc else None}
