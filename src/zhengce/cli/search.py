"""``zhengce search`` (一网通查) and ``zhengce ask`` (有问即答)."""

from __future__ import annotations

import json
import re

import typer
from rich.markup import escape

from .app import app, console, get_library

_MARK = re.compile(r"<mark>(.*?)</mark>")


def _rich_snippet(s: str) -> str:
    import html
    parts, pos = [], 0
    for m in _MARK.finditer(s):
        parts.append(escape(html.unescape(s[pos:m.start()])))
        parts.append(f"[bold yellow]{escape(html.unescape(m.group(1)))}[/bold yellow]")
        pos = m.end()
    parts.append(escape(html.unescape(s[pos:])))
    return "".join(parts)


@app.command("search")
def search_cmd(
    query: str = typer.Argument("", help="Words to search, e.g. \"北交所 上市 奖励\"."),
    issuer: str = typer.Option(None, "--issuer", help="Issuer contains this text (西城 finds 北京市西城区人民政府)."),
    doc_number: str = typer.Option(None, "--doc-number", help="文号, any bracket style: 京政发[2021]24号."),
    since: str = typer.Option(None, "--since", help="成文日期 on or after (ISO date or year)."),
    until: str = typer.Option(None, "--until", help="成文日期 on or before (ISO date or year)."),
    doc_type: str = typer.Option(None, "--type", help="文种: 通知/意见/办法/方案 …"),
    level: str = typer.Option(None, "--level", help="市 or 区."),
    district: str = typer.Option(None, "--district", help="District, e.g. 西城区."),
    subject: str = typer.Option(None, "--subject", help="主题分类 of a web page's block, e.g. 科技、教育."),
    validity: str = typer.Option(None, "--validity", help="时效性: 现行有效 试行 已被修订 已废止 失效 尚未施行."),
    page: int = typer.Option(1, "--page"),
    per_page: int = typer.Option(10, "--per-page"),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Search provisions: hits with document, heading path, citation id and highlighted snippet."""
    from ..search import search
    extra = {"subject": subject} if subject else {}
    res = search(get_library(), query, issuer=issuer, doc_number=doc_number, since=since, until=until,
                 doc_type=doc_type, level=level, district=district, page=page, per_page=per_page,
                 **extra, **({"validity": validity} if validity else {}))
    if as_json:
        from dataclasses import asdict
        print(json.dumps(asdict(res), ensure_ascii=False, default=str))
        return
    console.print(f"{total_text(res)} (第 {res.page} 页) · 检索词: {' '.join(t for t in res.terms if not t.startswith('syn'))}", highlight=False)
    for i, h in enumerate(res.hits, (res.page - 1) * res.per_page + 1):
        head = " › ".join(h.heading_path)
        date = f" · {h.date}" if h.date else ""
        console.print(f"[bold]{i}. {escape(h.doc_title)}[/bold]{escape(date)}", highlight=False)
        if head:
            console.print(f"   {escape(head)}", highlight=False)
        console.print(f"   {_rich_snippet(h.snippet)}", highlight=False)
        console.print(f"   [dim]〔{escape(h.cid)}〕 {escape(h.source)}:{h.line_start}[/dim]", highlight=False)
    for name, label in (("issuer", "发布机关"), ("doc_type", "文种"), ("year", "年份"), ("subject", "主题分类"),
                        ("validity", "时效性")):
        vals = res.facets.get(name) or []
        if vals:
            console.print(f"[dim]{label}: " + escape("  ".join(f"{v}({n})" for v, n in vals[:8])) + "[/dim]",
                          highlight=False)


def total_text(res) -> str:
    """"共 543 条条款 · 9 篇文件", or "≥ 10,000 条条款 · 共 812 篇文件" when the provision total
    is a lower bound (``total_relation == "gte"``: a common query is not counted to the end)."""
    n = f"≥ {res.total:,}" if res.total_relation == "gte" else f"共 {res.total:,}"
    return f"{n} 条条款 · {'共 ' if res.total_relation == 'gte' else ''}{res.documents:,} 篇文件"


@app.command("ask")
def ask_cmd(
    question: str = typer.Argument(..., help="A question in Chinese, e.g. \"上门理发有补贴吗？\""),
    as_json: bool = typer.Option(False, "--json", help="Print the answer as JSON."),
    rewrite: bool = typer.Option(None, "--rewrite/--no-rewrite",
                                 help="Let ZHENGCE_LLM_URL rewrite the answer (default: when set)."),
) -> None:
    """Answer a question from the library with a citation after every sentence, or say it is not there."""
    from ..answer import ask
    a = ask(get_library(), question, rewrite=rewrite)
    if as_json:
        from dataclasses import asdict
        print(json.dumps(asdict(a), ensure_ascii=False, default=str))
        return
    console.print(escape(a.text), highlight=False)
    if a.passages:
        console.print("[dim]依据条文:[/dim]")
        for h in a.passages[:5]:
            console.print(f"[dim]  〔{escape(h.cid)}〕 {escape(h.doc_title)}: {escape(h.text[:60])}[/dim]",
                          highlight=False)
