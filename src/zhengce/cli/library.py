"""Library commands: ingest, docs, show, demo."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.tree import Tree

from ..errors import InvalidInput, NotFound
from .app import app, console, err_console, get_library


@app.command()
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files or folders (.txt .md .pdf .docx .html …); folders are walked."),
    force: bool = typer.Option(False, "--force", help="Re-parse even when a file is unchanged."),
    workers: int = typer.Option(None, "--workers", min=0,
                                help="Processes that parse the next files while one is written "
                                     "(default: ZHENGCE_INGEST_WORKERS; 0: one process)."),
) -> None:
    """Ingest files into the library (idempotent, atomic per file).

    A file is known by its path below the folder given (two notice.txt in two folders are two
    sources). Every file is tried; a summary groups the refused ones by reason and the command
    exits 1 when any file was refused.
    """
    from ..sources.walk import walk
    lib = get_library()
    found = walk(paths)
    results = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.fields[current]}"), console=err_console, transient=True) as bar:
        task = bar.add_task("ingest", total=len(found.files), current="")

        def report(r) -> None:
            results.append(r)
            bar.update(task, advance=1, current=r.source_path or "")
            if r.status == "error":
                err_console.print(f"[red]错误:[/red] {escape(r.error or '')}", highlight=False)
            elif r.status == "unchanged":
                console.print(f"{r.path}: 未变化 (unchanged)", highlight=False, soft_wrap=True, markup=False)
            else:
                extra = ", ".join(f"{k} {v}" for k, v in r.counts.items())
                console.print(f"{r.path}: {r.documents} 篇公文, {r.provisions} 条款 {extra}", highlight=False,
                              soft_wrap=True, markup=False)  # one line per file, even when piped

        lib.ingest(found.files, force=force, progress=report, workers=workers)
    for line in summary_lines(results, found):
        err_console.print(line, highlight=False, markup=False)
    if any(r.status == "error" for r in results):
        raise typer.Exit(1)


def summary_lines(results: list, found) -> list[str]:
    """The end-of-run summary: counts, what was skipped, and every refused file under its reason.

    Reasons are grouped by their sentence before the parenthesised detail ("PDF 已损坏" for all
    broken PDFs); a file's detail is shown beside it when the group's details differ.
    """
    n = Counter(r.status for r in results)
    docs = sum(r.documents for r in results)
    lines = [f"{len(results)} 个文件: 收录 {n['ingested']} ({docs} 篇公文), 未变化 {n['unchanged']}, "
             f"拒收 {n['error']}"]
    if found.skipped:
        kinds = ", ".join(f"{ext or '(无扩展名)'} {k}" for ext, k in found.unsupported.most_common())
        parts = [f"隐藏文件 {found.hidden}"] if found.hidden else []
        parts += [f"不支持的格式 {sum(found.unsupported.values())} ({kinds})"] if found.unsupported else []
        lines.append(f"跳过 {found.skipped} 个: " + "; ".join(parts))
    groups: dict[str, list[tuple[str, str]]] = {}
    for r in results:
        if r.status == "error":
            reason = r.reason or r.error or "?"
            head, _, detail = reason.partition(" (")
            groups.setdefault(head, []).append((r.source_path or r.path, f"({detail}" if detail else ""))
    if groups:
        lines.append("拒收原因:")
    for head, files in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        same = len({d for _, d in files}) == 1
        lines.append(f"  {head}{' ' + files[0][1] if same and files[0][1] else ''}: {len(files)}")
        lines += [f"    {f}{'' if same or not d else ' ' + d}" for f, d in files]
    return lines


def _date(value: str | None, option: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} 不是日期 (expected YYYY-MM-DD)", field=option) from None


@app.command()
def docs(
    source: str = typer.Option(None, help="Only documents from this file name, or this path below the ingested folder."),
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
def show(key: str = typer.Argument(..., help="Document key or 文号 (any bracket style)."),
         as_of: str = typer.Option(None, "--as-of", help="时效性 on this date (YYYY-MM-DD; default today).")) -> None:
    """Show a document's metadata, 时效性, typed links both ways, and outline with citation ids."""
    lib = get_library()
    d = lib.document(key)
    if d is None:
        raise NotFound(f"没有找到文件 {key}", hint="用 zhengce docs 查看已收录的文件")
    console.print(f"[bold]{escape(d.title)}[/bold]", highlight=False)
    for label, val in [("简称", d.short_title), ("发文字号", d.doc_number), ("发文机关", "、".join(d.issuers or [])),
                       ("成文日期", d.date), ("主送", "、".join(d.addressees)), ("文种", d.doc_type),
                       ("附注", d.note), ("施行", d.effective), ("发布日期", d.published),
                       ("主题分类", d.subject), ("索引号", d.index_no),
                       ("来源", f"{d.source}:{d.line_start}-{d.line_end}")]:
        if val:
            console.print(f"  {label}: {val}", highlight=False, markup=False)
    from ..ingest.pagemeta import BLOCK, FIELD_LABELS
    block = [FIELD_LABELS.get(f, f) for f, s in d.field_sources.items() if s == BLOCK]
    if block:
        console.print(f"  [dim]取自页面信息栏: {'、'.join(block)}[/dim]", highlight=False)
    for note in d.notes:
        console.print(f"  [yellow]说明:[/yellow] {note}", highlight=False)
    _show_links(lib, d, _date(as_of, "--as-of"))
    tree = Tree("提纲")
    nodes = {None: tree}
    for p in d.provisions:
        if p.kind not in ("heading", "attachment", "table"):
            continue
        parent = nodes.get(p.parent, tree)
        nodes[p.cid] = parent.add(f"{p.label} {p.heading[:40]}  [dim]{p.cid}[/dim]", highlight=False)
    console.print(tree)


def _show_links(lib, d, as_of) -> None:
    """时效性 line, then what the document cites and what cites it, each with its relation type."""
    from .. import graph
    with lib.engine.connect() as conn:
        resolver = graph.Resolver(conn)
        v = graph.validity_of(conn, d, as_of)
        refs = [r for r in graph.outgoing(conn, d, resolver) if not r["self"]]
        citing = graph.incoming(conn, d, resolver)
    line = f"  时效性: {v.status}（截至 {v.as_of.isoformat()}）"
    if v.repealed_by:
        a = v.repealed_by
        line += f" — 被 {a.doc_number or a.title}《{a.title}》{'废止' if a.relation == 'repeals' else '代替'}"
        line += f"，自 {a.start.isoformat()} 起" if a.start else ""
    elif v.reasons:
        line += " — " + "；".join(v.reasons)
    console.print(line, highlight=False, markup=False, soft_wrap=True)
    if refs:
        console.print(f"  引用 ({len(refs)}):", highlight=False)
        for r in refs:
            target = r["doc_number"] or ""
            name = f"《{r['title']}》" if r["title"] else ""
            where = f" → {r['target']}" if r["target"] else " (未收录)"
            console.print(f"    {r['relation_label']} {r['relation']}: {name}{target}{where}  {r['cid']}",
                          highlight=False, markup=False, soft_wrap=True)
    if citing:
        console.print(f"  被引用 ({len(citing)}):", highlight=False)
        for c in citing:
            rels = "、".join(f"{lab} {rel}" for lab, rel in zip(c["relation_labels"], c["relations"], strict=True))
            console.print(f"    {rels}: {c['doc_number'] or c['doc_key']} {c['title'] or ''}", highlight=False,
                          markup=False, soft_wrap=True)


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
