"""REST: 一网通查 (search with filters, facets, highlights, pagination) and 有问即答 (cited answers)."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse

from ..errors import InvalidInput
from ..library import Library
from .deps import ServiceUnavailable, get_library
from .serialize import plain

router = APIRouter(prefix="/api", tags=["检索 search"])


def run_search(lib: Library, q: str, **filters):
    try:
        from ..search import search
        return search(lib, q, **filters)
    except (ImportError, ModuleNotFoundError) as e:
        raise ServiceUnavailable("检索服务尚未就绪", hint=str(e)) from e


# The answer's shape, for the OpenAPI page (the handler returns a ready JSONResponse, so it is
# declared here rather than derived from a response model). What the counts mean is part of the
# contract: facet counts are documents, and ``total`` may be a lower bound.
SEARCH_RESPONSE = {"type": "object", "properties": {
    "ok": {"type": "boolean"},
    "query": {"type": "string"},
    "terms": {"type": "array", "items": {"type": "string"}, "description": "实际检索的词（分词、同义词之后）"},
    "total": {"type": "integer", "description": "命中条款数；total_relation 为 gte 时是下限（常见词不逐一计数）"},
    "total_relation": {"type": "string", "enum": ["eq", "gte"],
                       "description": "eq：total 精确；gte：至少 total 条（类似 Elasticsearch track_total_hits）"},
    "documents": {"type": "integer", "description": "命中文件数（精确：任一条款命中即计入）"},
    "page": {"type": "integer"}, "per_page": {"type": "integer"}, "pages": {"type": "integer"},
    "hits": {"type": "array", "items": {"type": "object"}, "description": "本页条款：出处、层级路径、高亮摘要、得分"},
    "facets": {"type": "object", "description": "分面：{字段: [{value, count}]}，count 为命中文件数（按文件计，不按条款）",
               "additionalProperties": {"type": "array", "items": {"type": "object", "properties": {
                   "value": {"type": "string"}, "count": {"type": "integer"}}}}},
    "backend": {"type": "string"},
}}


@router.get("/search", summary="条款检索：关键词 + 筛选，返回高亮摘要、分面统计（按文件计）、分页",
            responses={200: {"description": "一页命中条款，及命中文件数、条款总数（可能为下限）、按文件计的分面",
                             "content": {"application/json": {"schema": SEARCH_RESPONSE}}}})
async def search_endpoint(
    lib: Library = Depends(get_library),
    q: str = Query("", max_length=200, description="关键词（可多个，空格分隔）"),
    issuer: str | None = Query(None, max_length=100, description="发文机关包含此文本，如 西城"),
    doc_number: str | None = Query(None, max_length=64, description="发文字号（任意括号写法）"),
    doc_type: str | None = Query(None, max_length=20, description="文种"),
    since: dt.date | None = Query(None, description="成文日期不早于"),
    until: dt.date | None = Query(None, description="成文日期不晚于"),
    level: str | None = Query(None, pattern="^(市|区)$", description="市 或 区"),
    district: str | None = Query(None, max_length=32),
    subject: str | None = Query(None, max_length=100, description="主题分类（如 科技、教育 或 科技、教育\\教育）"),
    validity: str | None = Query(None, max_length=8, description="时效性：现行有效/试行/已被修订/已废止/失效/尚未施行"),
    page: int = Query(1, ge=1, le=1000),
    per_page: int = Query(10, ge=1, le=100),
) -> JSONResponse:
    # Runs on the event loop, not the thread pool: a search is a few ms of CPU, and serialising
    # requests per worker beats 40 threads fighting over the GIL and the connection pool. The dict
    # is JSON-ready (``plain``), so it goes out as is: FastAPI's generic encoder would cost more
    # than the search itself.
    return JSONResponse(search(lib, q, issuer=issuer, doc_number=doc_number, doc_type=doc_type,
                               since=since, until=until, level=level, district=district, subject=subject,
                               page=page, per_page=per_page, validity=validity))


def search(lib: Library, q: str = "", *, issuer: str | None = None, doc_number: str | None = None,
           doc_type: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
           level: str | None = None, district: str | None = None, subject: str | None = None,
           page: int = 1, per_page: int = 10, validity: str | None = None) -> dict:
    """The /api/search answer as a dict (the web page renders the same)."""
    if since and until and since > until:
        raise InvalidInput("起始日期晚于截止日期", field="since")
    extra = {"subject": subject} if subject else {}
    res = run_search(lib, q.strip(), issuer=issuer, doc_number=doc_number, doc_type=doc_type,
                     since=since, until=until, level=level, district=district, page=page,
                     per_page=per_page, **extra, **({"validity": validity} if validity else {}))
    out = plain(res)
    out["facets"] = {k: [{"value": v, "count": c} for v, c in vals] for k, vals in res.facets.items()}
    out["pages"] = max(1, -(-res.total // res.per_page)) if res.per_page else 1
    return {"ok": True} | out


def run_ask(lib: Library, question: str):
    question = question.strip()
    if not question:
        raise InvalidInput("请输入问题", field="q")
    try:
        from ..answer import ask
    except ImportError as e:
        raise ServiceUnavailable("问答服务尚未就绪", hint=str(e)) from e
    return ask(lib, question)


@router.get("/ask", summary="有问即答：带出处条款的简短回答（找不到依据时明确说明）")
def ask(lib: Library = Depends(get_library),
        q: str = Query(..., min_length=1, max_length=300, description="问题，如：高新技术企业能获得多少奖励？")) -> dict:
    ans = run_ask(lib, q)
    return {"ok": True} | plain(ans)
