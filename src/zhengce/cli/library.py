"""Library commands: ingest, docs, show, demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table
from rich.tree import Tree

from ..errors import InvalidInput, NotFound
from .app import app, console, err_console, get_library


def _expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")))
        else:
            out.append(p)
    return out


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or directories (.txt .md .pdf .docx .html)."),
    force: bool = typer.Option(False, "--force", help="Re-parse even when a file is unchanged."),
) -> None:
    """Ingest files into the library (idempotent, atomic per file)."""
    lib = get_library()
    files = _expand(paths)
    errors = 0
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  console=err_console, transient=True) as bar:
        task = bar.add_task("ingest", total=len(files))

        def report(r) -> None:
            nonlocal errors
            bar.advance(task)
            if r.status == "error":
                errors += 1
                err_console.print(f"[red]错误:[/red] {r.error}", highlight=False)
            elif r.status == "unchanged":
                console.print(f"{r.path}: 未变化 (unchanged)", highlight=False, soft_wrap=True)
            else:
                extra = ", ".join(f"{k} {v}" for k, v in r.counts.items())
                console.print(f"{r.path}: {r.documents} 篇公文, {r.provisions} 条款 {extra}", highlight=False,
                              soft_wrap=True)  # one line per file, even when piped

        lib.ingest(files, force=force, progress=report)
    if errors:
        raise typer.Exit(1)


def _date(value: str | None, option: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} 不是日期 (expected YYYY-MM-DD)", field=option) from None


@app.command()
def docs(
    source: str = typer.Option(None, help="Only documents from this file name."),
    issuer: str = typer.Option(None, help="Issuer contains this text."),
    doc_type: str = typer.Option(None, "--type", help="文种, e.g. 通知 方案 规划."),
    since: str = typer.Option(None, help="Signed on or after (YYYY-MM-DD)."),
    until: str = typer.Option(None, help="Signed on or before (YYYY-MM-DD)."),
    query: str = typer.Option(None, "--title", help="Title contains this text."),
) -> None:
    """List documents."""
    lib = get_library()
    rows = lib.documents(source=source, issuer=issuer, doc_type=doc_type, query=query,
                         since=_date(since, "--since"), until=_date(until, "--until"))
    cells = [(d.key, d.doc_number or "", d.date.isoformat() if d.date else "", "、".join(d.issuers or []), d.title)
             for d in rows]
    if console.is_terminal:
        t = Table("key", "发文字号", "成文日期", "发文机关", "标题")
        for c in cells:
            t.add_row(*c)
        console.print(t)
    else:  # piped: one tab-separated line per document, never truncated to 80 columns
        for c in cells:
            print("\t".join(c))
    (console if console.is_terminal else err_console).print(f"{len(rows)} 篇")


@app.command()
def show(key: str = typer.Argument(..., help="Document key or 文号 (any bracket style).")) -> None:
    """Show a document's metadata and outline with citation ids."""
    lib = get_library()
    d = lib.document(key)
    if d is None:
        raise NotFound(f"没有找到文件 {key}", hint="用 zhengce docs 查看已收录的文件")
    console.print(f"[bold]{d.title}[/bold]", highlight=False)
    for label, val in [("简称", d.short_title), ("发文字号", d.doc_number), ("发文机关", "、".join(d.issuers or [])),
                       ("成文日期", d.date), ("主送", "、".join(d.addressees)), ("文种", d.doc_type),
                       ("附注", d.note), ("施行", d.effective), ("来源", f"{d.source}:{d.line_start}-{d.line_end}")]:
        if val:
            console.print(f"  {label}: {val}", highlight=False)
    tree = Tree("提纲")
    nodes = {None: tree}
    for p in d.provisions:
        if p.kind not in ("heading", "attachment", "table"):
            continue
        parent = nodes.get(p.parent, tree)
        nodes[p.cid] = parent.add(f"{p.label} {p.heading[:40]}  [dim]{p.cid}[/dim]", highlight=False)
    console.print(tree)


@app.command()
def demo() -> None:
    """Ingest the bundled sample gazettes and print what the library holds."""
    lib = get_library()
    for r in lib.ensure_demo():
        if r.status == "error":
            err_console.print(f"[red]错误:[/red] {r.error}")
        else:
            console.print(f"{Path(r.path).name}: {r.status} {r.documents or ''}", highlight=False)
    c = lib.counts()
    console.print(f"库中共有 {c['documents']} 篇公文, {c['provisions']} 条款。试试: zhengce docs / zhengce show 京政发〔2021〕24号")
