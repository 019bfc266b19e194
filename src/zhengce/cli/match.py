"""Matching commands: match, match-batch, benefits, card, rules export/import."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from ..errors import InvalidInput
from .app import app, console, get_library

rules_app = typer.Typer(help="规则单元的导出与导入（政策审核员修订）。", no_args_is_help=True)
app.add_typer(rules_app, name="rules")


def _yuan(v: float | None) -> str:
    from ..match.cards import yuan
    return yuan(v) if v is not None else "—"


def _read_profile(path: Path) -> dict:
    if not path.is_file():
        raise InvalidInput(f"{path}: 文件不存在", field="profile.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise InvalidInput(f"{path}: 不是有效的 JSON ({e.msg})", field="profile.json") from e


@app.command("match")
def match_cmd(
    profile: Path = typer.Argument(..., help="画像 JSON 文件（字段见 zhengce/data/profile_vocabulary.json）。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
    show_all: bool = typer.Option(False, "--all", help="也列出不符合条件的政策。"),
    cards: bool = typer.Option(False, "--cards", help="输出政策服务包：每项可享受政策一张卡片。"),
    trace: bool = typer.Option(False, "--trace", help="逐条列出每项政策的条件、画像中的事实、结果与依据条款。"),
) -> None:
    """我能享受哪些政策：每条政策给出 可以享受 / 可能可以享受 / 不符合条件 及理由。"""
    from ..match import match_profile, service_package
    if cards:
        pack = service_package(get_library(), _read_profile(profile))
        if as_json:
            print(json.dumps([c.to_dict() for c in pack], ensure_ascii=False))
        else:
            for c in pack:
                console.print(c.text() + "\n", highlight=False, markup=False)
        return
    result = match_profile(get_library(), _read_profile(profile))
    if as_json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
        return
    # the items listed, and only those made (each builds its trace): a library of 100,000
    # documents holds ~380,000 rules, nearly all not eligible
    listed = result.items if show_all else result.items[:len(result.items) - len(result.rejected)]
    t = Table("结论", "政策", "金额", "理由 / 缺少的信息", "规则 id")
    for item in listed:
        why = "；".join(item.failed if item.verdict == "not eligible" else (item.missing or item.reasons))
        per = item.benefit.amount_per or ""
        t.add_row(item.verdict_zh, item.benefit.name, f"{_yuan(item.benefit.amount_max_yuan)} {per}".strip(), why,
                  item.benefit.id)
    console.print(t)
    if trace:
        for item in listed:
            _print_trace(item)
    c = result.counts
    console.print(f"可以享受 {c['eligible']} 项，可能可以享受 {c['possibly eligible']} 项，不符合 {c['not eligible']} 项。",
                  highlight=False)


def _print_trace(item) -> None:
    """The trace of one verdict: the same rows the API's ``trace`` and the card page show."""
    from ..match import trace_row
    t = Table("条件", "画像中的事实", "结果", "依据条款", title=f"{item.verdict_zh}：{item.benefit.name}（{item.benefit.id}）")
    for ch in item.checks:
        row = trace_row(ch)
        t.add_row(row["condition"], row["fact"], row["result"], row["cid"])
    console.print(t)


@app.command("match-batch")
def match_batch_cmd(
    registry: Path = typer.Argument(..., help="主体名录 .parquet 或 .csv（列名同画像字段）。"),
    benefit: str = typer.Option(..., "--benefit", help="规则 id（见 zhengce benefits）。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
    limit: int = typer.Option(20, "--limit", help="每类最多列出多少行。"),
    engine: str = typer.Option("numpy", "--engine", help="numpy（内存列）或 duckdb（规则编译为 SQL）。"),
) -> None:
    """精准推送：列出名录中可以享受和可能可以享受某项政策的全部主体（向量化匹配）。"""
    from ..match import match_batch
    from ..match.registry import read_table
    res = match_batch(get_library(), registry, benefit, engine=engine)
    if as_json:
        print(json.dumps(res.to_dict(), ensure_ascii=False))
        return
    table = read_table(registry)
    label_col = next((c for c in ("name", "名称", "id", "统一社会信用代码") if c in table.column_names), None)
    labels = table.column(label_col).to_pylist() if label_col else None
    console.print(f"{res.benefit.name}（{res.benefit.id}）: 名录 {res.n} 行，可以享受 {len(res.eligible)}，"
                  f"可能可以享受 {len(res.possibly)}，用时 {res.seconds * 1000:.1f} ms", highlight=False)
    for title, rows in (("可以享受", res.eligible), ("可能可以享受", res.possibly)):
        if rows:
            shown = [str(labels[i]) if labels else str(i) for i in rows[:limit]]
            console.print(f"{title}: " + "、".join(shown) + (" …" if len(rows) > limit else ""), highlight=False)


@app.command("benefits")
def benefits_cmd(
    kind: str = typer.Option(None, "--kind", help="person | enterprise | organization"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """列出全部规则单元（政策待遇）。"""
    from ..match import list_benefits
    items = list_benefits(get_library(), kind)
    if as_json:
        print(json.dumps([i.to_dict() for i in items], ensure_ascii=False))
        return
    t = Table("规则 id", "对象", "政策", "金额", "文件", "版本")
    for b in items:
        t.add_row(b.id, b.beneficiary, b.name, f"{_yuan(b.amount_max_yuan)} {b.amount_per or ''}".strip(),
                  b.doc_number or b.doc_title, str(b.version))
    console.print(t)
    console.print(f"{len(items)} 条", highlight=False)


@app.command("card")
def card_cmd(
    rule_id: str = typer.Argument(..., help="规则 id（见 zhengce benefits）。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
    profile: Path = typer.Option(None, "--profile", help="画像 JSON：卡片附上该画像的结论与逐条理由。"),
) -> None:
    """政策服务包：谁能享受 / 享受什么 / 标准 / 怎么申请 / 受理部门 / 政策依据。"""
    from ..match import card
    c = card(get_library(), rule_id, _read_profile(profile) if profile else None)
    if as_json:
        print(json.dumps(c.to_dict(), ensure_ascii=False))
    else:
        console.print(c.text(), highlight=False, markup=False)


@rules_app.command("export")
def rules_export(path: Path = typer.Argument(..., help="输出的 rules.yaml")) -> None:
    """导出全部规则（含已修订版本）供审核。"""
    from ..match.rules_io import export_rules
    n = export_rules(get_library(), path)
    console.print(f"已导出 {n} 条规则到 {path}", highlight=False)


@rules_app.command("import")
def rules_import(
    path: Path = typer.Argument(..., help="审核后的 rules.yaml"),
    author: str = typer.Option(None, "--author", help="修订人。"),
) -> None:
    """导入审核后的规则：有改动的规则成为新版本，重新入库后依然生效。"""
    from ..match.rules_io import import_rules
    c = import_rules(get_library(), path, author=author)
    console.print(f"新版本 {c['changed']} 条，未改动 {c['unchanged']} 条", highlight=False)


@rules_app.command("history")
def rules_history(rule_id: str = typer.Argument(..., help="规则 id")) -> None:
    """一条规则的修订历史（版本、修订人、时间）。"""
    from ..store.benefits import history
    with get_library().engine.connect() as conn:
        rows = history(conn, rule_id)
    if not rows:
        console.print(f"{rule_id}: 未经修订（版本 0，抽取结果）", highlight=False)
    for r in rows:
        console.print(f"v{r['version']}  {r['created_at']:%Y-%m-%d %H:%M}  {r['author'] or '—'}  {r['note'] or ''}",
                      highlight=False)


@rules_app.command("coverage")
def rules_coverage(
    top: int = typer.Option(20, "--top", help="列出最常见的多少条无法表达的条件。"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON。"),
) -> None:
    """可计算性报告：每个文件及全部规则中，条件全部可由画像判断的规则占比；最常见的无法表达的条件（下一条该加进词表的短语）。"""
    from ..match.coverage import library_coverage
    cov = library_coverage(get_library(), top)
    if as_json:
        print(json.dumps(cov.to_dict(), ensure_ascii=False))
        return
    t = Table("文件", "规则", "可计算", "占比")
    for d in cov.documents:
        t.add_row(d.doc, str(d.rules), str(d.computable), f"{d.share:.0%}")
    console.print(t)
    console.print(f"全部: {cov.computable}/{cov.rules} 条规则的每个条件都可由画像判断（{cov.share:.0%}）", highlight=False)
    if cov.phrases:
        p = Table("无法表达的条件", "规则数", title="最常见的无法表达的条件（可加入 zhengce/data/condition_phrases.tsv）")
        for phrase, n in cov.phrases:
            p.add_row(phrase, str(n))
        console.print(p)
