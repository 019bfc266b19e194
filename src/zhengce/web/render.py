"""Jinja2 rendering for the web pages: one autoescaping environment, a few filters.

All document text goes through autoescape; the only markup let through is the ``<mark>`` of
search snippets, re-inserted after escaping (``highlight``), so a ``<script>`` in a gazette stays text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import quote

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..ingest.pagemeta import FIELD_LABELS

TEMPLATES = Path(__file__).resolve().parent / "templates"

NAV = [("/", "首页"), ("/search", "一网通查"), ("/ask", "有问即答"), ("/match", "我能享受哪些政策"),
       ("/tasks", "任务督办"), ("/documents", "全部文件"), ("/docs", "API 文档")]


def highlight(snippet: str | None) -> Markup:
    """Escape a snippet, then restore only its <mark>…</mark> tags.

    Search snippets arrive HTML-escaped already (zhengce.search.engine.snippet); unescaping first
    means text is escaped exactly once whichever convention the producer follows.
    """
    s = str(escape(html.unescape(snippet or "")))
    return Markup(s.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>"))


def path_url(value: str | None) -> str:
    """Percent-encode a key or citation id for a URL path ('/' kept: routes use path converters)."""
    return quote(value or "", safe="/")


env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "svg"]),
                  trim_blocks=True, lstrip_blocks=True)
env.filters["highlight"] = highlight
env.filters["path_url"] = path_url
env.filters["qs"] = lambda v: quote(str(v or ""), safe="")
env.globals["nav"] = NAV
env.globals["field_labels"] = FIELD_LABELS
env.tests["match_internal"] = lambda term: bool(re.fullmatch(r"syn\d+", str(term)))  # synonym-group ids


def render(request: Request, template: str, **context) -> str:
    context.setdefault("active", request.url.path)
    return env.get_template(template).render(request=request, **context)


def render_error(request: Request, body: dict) -> str:
    return render(request, "error.html", err=body, title=body.get("title") or "错误")
