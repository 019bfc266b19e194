"""``zhengce eval``: score the system against shared/eval gold files."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from .. import settings
from ..errors import InvalidInput, ZhengceError
from ..eval import MEASURES, NotImplementedMeasure, available, score
from .app import app, console, err_console


@app.command("eval")
def eval_cmd(
    measure: str = typer.Argument(..., help="documents | questions | tasks | benefits | cases | references | all (the measures whose gold files are present)"),
    gold: Path = typer.Option(..., "--gold", help="Directory with the gold *.jsonl files."),
    corpus: Path = typer.Option(None, "--corpus", help="Corpus directory (default: bundled gazettes)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per measure, one per line."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every missed gold item."),
) -> None:
    """Ingest the gold's corpus files into a fresh store and score by shared/eval/README.md."""
    corpus = corpus or Path(settings.get("gazettes_dir") or "")
    names = available(gold) if measure == "all" else [measure]
    if measure == "all" and not names:
        raise InvalidInput(f"{gold}: no gold file of any measure ({', '.join(MEASURES)})", field="--gold")
    failed = False
    for name in names:
        try:
            s = score(name, gold, corpus)
        except NotImplementedMeasure as e:
            err_console.print(f"{name}: {e.message}")
            failed = failed or measure != "all"
            continue
        except ZhengceError as e:  # a bad gold file of one measure: say so, score the others
            err_console.print(f"[red]错误:[/red] {name}: {escape(str(e))}", highlight=False)
            failed = True
            continue
        except Exception as e:  # a bug in one scorer must not hide the other measures' lines
            if measure != "all":
                raise
            err_console.print(f"[red]错误:[/red] {name}: 评分失败 (scorer failed: {type(e).__name__}: "
                              f"{escape(str(e))})", highlight=False)
            failed = True
            continue
        if as_json:
            print(json.dumps(s.as_json(), ensure_ascii=False), flush=True)
        else:
            t = Table(title=f"{name} (n={s.n})")
            for k in s.values:
                t.add_column(k)
            t.add_row(*[f"{v:.3f}" for v in s.values.values()])
            console.print(t)
        if s.refused and not verbose:
            err_console.print(f"{name}: {len(s.refused)} 个语料文件被拒收，其标注计为未命中 "
                              f"(refused corpus files count as missed; --verbose names them)", highlight=False)
        if verbose:
            for line in s.misses:
                (err_console if as_json else console).print(f"  [yellow]miss[/yellow] {escape(line)}", markup=True,
                                                            highlight=False)
    if failed:
        raise typer.Exit(2)
