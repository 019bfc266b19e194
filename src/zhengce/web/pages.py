"""Server-rendered pages (简体中文). Each page reads the same dicts the REST API returns."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from ..api.deps import document_detail, get_library, require_document
from ..api.serialize import doc_summary
from ..errors import InvalidInput
from ..library import Library
from .render import render

router = APIRouter(include_in_schema=False)


def _latest(lib: Library, n: int = 10) -> list[dict]:
    docs = lib.documents()
    docs.sort(key=lambda d: (d.date or dt.date.min, d.key), reverse=True)
    return [doc_summary(d) for d in docs[:n]]


def _stats(lib: Library) -> dict:
    stats = dict(lib.counts())
    for name, fn in _extra_counts():
        try:
            stats[name] = fn(lib)
        except Exception:  # a service not ready must not break the home page
            continue
    return stats


def _extra_counts():
    """Counts from feature services that exist (tasks, benefits); each optional."""
    out = []
    try:
        from ..track import count_tasks
        out.append(("tasks", count_tasks))
    except ImportError:
        pass
    try:
        from ..match import count_benefits
        out.append(("benefits", count_benefits))
    except ImportError:
        pass
    return out


@router.get("/", response_class=HTMLResponse)
def home(request: Request, lib: Library = Depends(get_library)):
    return render(request, "home.html", title="首页", stats=_stats(lib), latest=_latest(lib))


@router.get("/documents", response_class=HTMLResponse)
def documents_page(request: Request, lib: Library = Depends(get_library),
                   issuer: str | None = Query(None, max_length=100),
                   doc_type: str | None = Query(None, max_length=20),
                   title: str | None = Query(None, max_length=200)):
    docs = [doc_summary(d) for d in lib.documents(issuer=issuer or None, doc_type=doc_type or None,
                                                  query=title or None)]
    return render(request, "documents.html", title="全部文件", docs=docs,
                  filters={"issuer": issuer or "", "doc_type": doc_type or "", "title": title or ""})


@router.get("/documents/{key:path}", response_class=HTMLResponse)
def document_page(key: str, request: Request, lib: Library = Depends(get_library)):
    doc = require_document(lib, key)
    detail = document_detail(lib, doc)
    return render(request, "document.html", title=doc.title, doc=detail, blocks=_blocks(doc.provisions))


def _blocks(provisions) -> list[dict]:
    """Provisions in order, consecutive table rows grouped into one table block."""
    blocks: list[dict] = []
    for p in sorted(provisions, key=lambda p: p.seq):
        if p.kind == "row":
            last = blocks[-1] if blocks else None
            if last is None or last["type"] != "table" or last["parent"] != p.parent:
                last = {"type": "table", "parent": p.parent, "header": p.header or [], "rows": []}
                blocks.append(last)
            last["rows"].append(p)
        else:
            blocks.append({"type": "prov", "p": p})
    return blocks


@router.get("/p/{cid:path}", response_class=HTMLResponse)
def provision_page(cid: str, request: Request, lib: Library = Depends(get_library)):
    from ..api.documents import get_provision
    data = get_provision(cid, lib)
    return render(request, "provision.html", title=data["provision"]["cid"], **data)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, lib: Library = Depends(get_library),
                q: str = Query("", max_length=200), issuer: str | None = Query(None, max_length=100),
                doc_type: str | None = Query(None, max_length=20),
                year: str | None = Query(None, max_length=4),
                page: int = Query(1, ge=1, le=1000)):
    from ..api.search import search as api_search
    since = until = None
    if year:
        if not year.isdigit():
            raise InvalidInput("年份应为四位数字", field="year")
        since, until = dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    result = None
    if q.strip() or issuer or doc_type or year:
        result = api_search(lib=lib, q=q, issuer=issuer or None, doc_number=None, doc_type=doc_type or None,
                            since=since, until=until, level=None, district=None, page=page, per_page=10)
    params = {"q": q, "issuer": issuer or "", "doc_type": doc_type or "", "year": year or ""}
    return render(request, "search.html", title=f"检索：{q}" if q else "一网通查", result=result,
                  params=params)


@router.get("/ask", response_class=HTMLResponse)
def ask_page(request: Request, lib: Library = Depends(get_library), q: str = Query("", max_length=300)):
    from ..api.search import run_ask
    answer = run_ask(lib, q) if q.strip() else None
    return render(request, "ask.html", title=f"问：{q}" if q else "有问即答", q=q, answer=answer)
