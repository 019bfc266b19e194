"""Graph commands: ``diff`` (two versions of a document, provision by provision)."""

from __future__ import annotations

import json

import typer
from rich.markup import escape

from .app import app, console, get_library


@app.command("diff")
def diff_cmd(
    a: str = typer.Argument(..., help="Old side: document key / 文号, or KEY@N for its N-th kept version."),
    b: str = typer.Argument(None, help="New side (default: the document's current text)."),
    versions: bool = typer.Option(False, "--versions", help="Only list the kept versions of A."),
    as_json: bool = typer.Option(False, "--json", help="Print the diff as one JSON object."),
) -> None:
    """Compare two versions of a document: added, removed and changed provisions by citation id."""
    from ..store import graph as store_graph
    from ..versions.library import VERSION, diff_specs
    lib = get_library()
    if versions:
        doc = lib.document(VERSION.sub(r"\g<key>", a))
        if doc is None:
            from ..errors import NotFound
            raise NotFound(f"没有找到文件 {a}", hint="用 zhengce docs 查看已收录的文件")
        with lib.engine.connect() as conn:
            rows = store_graph.versions_of(conn, doc.key)
        for i, v in enumerate(rows, 1):
            print(f"{doc.key}@{i}\t{v['kept_at']:%Y-%m-%d %H:%M:%S}\t{v['reason']}\t{(v['sha256'] or '')[:12]}")
        if not rows:
            console.print(f"{doc.key}: 没有保留的旧版本 (no kept versions)", highlight=False)
        return
    if b is None:
        b = VERSION.sub(r"\g<key>", a)
    d = diff_specs(lib, a, b)
    if as_json:
        print(json.dumps({"a": d.a, "b": d.b, "added": [p for p, _ in d.added], "removed": [p for p, _ in d.removed],
                          "changed": [{"path": c.path, "old": c.old, "new": c.new, "ops": c.ops} for c in d.changed],
                          "unchanged": d.unchanged}, ensure_ascii=False))
        return
    console.print(f"[bold]{escape(d.a)}[/bold] → [bold]{escape(d.b)}[/bold]  新增 {len(d.added)} · 删除 {len(d.removed)} · "
                  f"修改 {len(d.changed)} · 未变 {d.unchanged}", highlight=False)
    for path, text in d.added:
        console.print(f"[green]+ {escape(path)}[/green]  {escape(text[:80])}", highlight=False, markup=True)
    for path, text in d.removed:
        console.print(f"[red]- {escape(path)}[/red]  {escape(text[:80])}", highlight=False, markup=True)
    for c in d.changed:
        marked = "".join(escape(t) if op == "equal" else (f"[red strike]{escape(t)}[/red strike]" if op == "delete"
                                                           else f"[green underline]{escape(t)}[/green underline]")
                         for op, t in c.ops)
        console.print(f"[yellow]~ {escape(c.path)}[/yellow]  {marked}", highlight=False, markup=True)
