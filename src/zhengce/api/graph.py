"""REST: the policy graph around a document, its kept versions, and diffs between versions.

Declared before the generic ``/api/documents/{key:path}`` route, whose path parameter would otherwise
swallow the ``/graph`` and ``/versions`` suffixes.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from .. import graph
from ..library import Library
from ..store import graph as store_graph
from .deps import get_library, require_document

router = APIRouter(prefix="/api", tags=["图谱 graph"])


@router.get("/documents/{key:path}/graph",
            summary="文件关系图：节点（本文、引用的文件、引用本文的文件；未收录的为 stub）与带类型的边")
def document_graph(key: str, lib: Library = Depends(get_library),
                   limit: int = Query(40, ge=2, le=200, description="最多节点数")) -> dict:
    """Edges carry ``relation``: repeals / amends / replaces / basis / implements / issues / forwards / cites."""
    doc = require_document(lib, key)
    with lib.engine.connect() as conn:
        g = graph.neighbourhood(conn, doc, limit=limit)
    return {"ok": True} | g


@router.get("/documents/{key:path}/versions", summary="文件的历史版本（重新收录变更文件时保留的旧版本）")
def document_versions(key: str, lib: Library = Depends(get_library)) -> dict:
    doc = require_document(lib, key)
    with lib.engine.connect() as conn:
        rows = store_graph.versions_of(conn, doc.key)
    return {"ok": True, "key": doc.key, "versions": [
        {"spec": f"{doc.key}@{i}", "id": v["id"], "kept_at": v["kept_at"].isoformat(timespec="seconds"),
         "reason": v["reason"], "sha256": v["sha256"]} for i, v in enumerate(rows, 1)]}


@router.get("/diff", summary="比较两个版本：新增、删除、修改的条款（按引用编号），修改处标出增删文字")
def diff(a: str = Query(..., max_length=300, description="旧版本：文件 key/文号，或 KEY@N（第 N 个旧版本）"),
         b: str = Query(..., max_length=300, description="新版本：同上"),
         lib: Library = Depends(get_library)) -> dict:
    from ..versions.library import diff_specs
    d = diff_specs(lib, a, b)
    return {"ok": True, "a": d.a, "b": d.b, "unchanged": d.unchanged,
            "added": [{"path": p, "text": t} for p, t in d.added],
            "removed": [{"path": p, "text": t} for p, t in d.removed],
            "changed": [{"path": c.path, "old": c.old, "new": c.new, "ops": c.ops} for c in d.changed]}
