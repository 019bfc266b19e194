"""One error shape for every face of the HTTP app.

API routes answer ``{"ok": false, "error": str, "errors": [...], "status": int, "title": str,
"hint": str|None}`` (guarded by tests/test_api_errors.py); web routes render ``error.html`` with
the same words. Bad parameters are input errors (400/422), never a 500: an unexpected exception
becomes a 500 with a generic message, and its traceback goes to the log, not to the client.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import ZhengceError

log = logging.getLogger("zhengce.api")

_HTTP_TITLES = {400: "输入有误", 401: "需要身份验证", 403: "无权操作", 404: "未找到", 405: "不支持的请求方法",
                422: "输入有误", 500: "服务器内部错误"}


def error_body(message: str, status: int, *, errors: list[dict] | None = None, title: str | None = None,
               hint: str | None = None) -> dict:
    """The canonical error JSON (the one place it is built)."""
    return {"ok": False, "error": message, "errors": errors or [], "status": status,
            "title": title or _HTTP_TITLES.get(status, "错误"), "hint": hint}


def wants_json(request: Request) -> bool:
    """API paths answer JSON; everything else answers HTML unless the client asks for JSON."""
    path = request.url.path
    if path.startswith("/api/") or path == "/api" or path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _render(request: Request, body: dict, headers: dict | None = None):
    if wants_json(request):
        return JSONResponse(body, status_code=body["status"], headers=headers)
    from ..web.render import render_error
    return HTMLResponse(render_error(request, body), status_code=body["status"], headers=headers)


def _field_path(loc) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("query", "path", "body", "header", "form", "cookie"):
        parts = parts[1:] or parts
    return ".".join(parts)


_VALIDATION_ZH = {
    "missing": "缺少必填项", "int_parsing": "应为整数", "float_parsing": "应为数字",
    "date_from_datetime_parsing": "应为日期 YYYY-MM-DD", "date_parsing": "应为日期 YYYY-MM-DD",
    "greater_than_equal": "数值过小", "less_than_equal": "数值过大", "greater_than": "数值过小",
    "less_than": "数值过大", "string_too_long": "文本过长", "string_too_short": "文本过短",
    "bool_parsing": "应为 true/false", "json_invalid": "JSON 格式错误", "enum": "取值无效",
    "literal_error": "取值无效", "string_pattern_mismatch": "取值不在允许范围内", "model_attributes_type": "应为 JSON 对象", "dict_type": "应为 JSON 对象",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ZhengceError)
    async def _zhengce_error(request: Request, exc: ZhengceError):
        errors = [{"field": exc.field, "message": exc.message}] if exc.field else []
        return _render(request, error_body(exc.message, exc.status, errors=errors, title=exc.title,
                                           hint=exc.hint))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError):
        errors = []
        for e in exc.errors():
            field = "body" if e.get("type") == "json_invalid" else _field_path(e.get("loc", ()))
            zh = _VALIDATION_ZH.get(e.get("type", ""), "")
            msg = f"{zh} ({e.get('msg', '')})" if zh else str(e.get("msg", ""))
            errors.append({"field": field, "message": msg})
        summary = "；".join(f"{e['field']}: {e['message']}" for e in errors[:3]) or "请求参数无效"
        return _render(request, error_body(f"参数有误：{summary}", 422, errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "请求无法完成"
        if exc.status_code == 404 and message == "Not Found":
            message = f"没有这个页面：{request.url.path}"
        elif exc.status_code == 405:
            message = f"{request.method} 不能用于 {request.url.path}"
        return _render(request, error_body(message, exc.status_code), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _render(request, error_body("服务器内部错误，请稍后再试", 500))
