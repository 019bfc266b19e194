"""The Typer app and the error boundary: a ZhengceError prints one sentence and exits 1."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from ..errors import ZhengceError

app = typer.Typer(
    name="zhengce",
    help="政策: ingest official documents into a computable policy library and serve it.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one error, one line, even when piped


def get_library():
    from ..library import Library
    return Library()


def main() -> None:
    try:
        app()
    except ZhengceError as e:
        err_console.print(f"[red]错误:[/red] {e}")
        sys.exit(1)
