"""``zhengce serve``: the REST API and the web UI on one port (demo library when empty)."""

from __future__ import annotations

import typer

from .app import app, console, get_library


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (0.0.0.0 for all)."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, help="Worker processes (each opens the same store)."),
    demo: bool = typer.Option(True, "--demo/--no-demo", help="Ingest the bundled gazettes when the library is empty."),
) -> None:
    """Serve the web UI (/) and the REST API (/api, docs at /docs)."""
    import uvicorn

    lib = get_library()
    if demo and lib.is_empty():
        console.print("库为空，正在导入示例公报…")
        lib.ensure_demo()
    _warm_search_index(lib)
    c = lib.counts()
    console.print(f"政策库：{c['documents']} 篇公文，{c['provisions']} 条款。", highlight=False)
    console.print(f"打开 http://{host}:{port}/   API 文档 http://{host}:{port}/docs   Ctrl-C 停止",
                  highlight=False, soft_wrap=True)
    lib.engine.dispose()
    if workers > 1:
        uvicorn.run("zhengce.api.asgi:app", host=host, port=port, workers=workers, log_level="warning")
    else:
        from ..api import create_app
        uvicorn.run(create_app(), host=host, port=port, log_level="warning")


def _warm_search_index(lib) -> None:
    """Bring the search index up to date before workers start, so they open it rather than each
    rebuilding it at its first query (several workers rebuilding one directory collide)."""
    try:
        from ..search import search
    except ImportError:
        return
    search(lib, "政策", per_page=1)
