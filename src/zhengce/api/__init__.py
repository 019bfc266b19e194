"""The HTTP app: REST API under /api, server-rendered Chinese pages, OpenAPI docs at /docs.

``create_app(library)`` builds everything from one Library so tests, ``zhengce serve`` and the
benchmark serve the same thing. The Swagger UI assets come from the ``swagger-ui-bundle-v2``
package and are served from this app: no CDN, so /docs works offline.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from ..library import Library
from .errors import install_error_handlers

WEB_DIR = Path(__file__).resolve().parents[1] / "web"

DESCRIPTION = """政策库 REST API：文件与条款（按引用编号）、一网通查、有问即答、政策匹配、任务对账与导出。

错误统一返回 `{"ok": false, "error": "...", "errors": [{"field", "message"}], "status": 4xx}`。"""


def _swagger_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:  # pragma: no cover - dependency missing
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


def create_app(library: Library | None = None) -> FastAPI:
    """Build the app over ``library`` (default: the configured Library)."""
    app = FastAPI(title="zhengce 政策库", description=DESCRIPTION, version="0.1.0",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json")
    app.state.library = library if library is not None else Library()
    install_error_handlers(app)
    # Document and dashboard pages run to a few hundred KB of Chinese text; compress for slow links.
    app.add_middleware(GZipMiddleware, minimum_size=4096, compresslevel=5)

    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    swagger = _swagger_dir()
    if swagger is not None:
        app.mount("/_swagger", StaticFiles(directory=swagger), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="zhengce API 文档",
                                   swagger_js_url="/_swagger/swagger-ui-bundle.js",
                                   swagger_css_url="/_swagger/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")

    from . import documents, graph, match, search, tasks
    for module in (graph, documents, search, match, tasks):
        app.include_router(module.router)
    from ..web import graph as graph_pages
    from ..web import pages
    app.include_router(graph_pages.router)
    app.include_router(pages.router)
    return app


__all__ = ["create_app"]
