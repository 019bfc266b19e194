"""Rules as data: export every rule in force to YAML; import a reviewed file as new versions.

An imported rule that differs from the rule in force becomes its next version in the overrides
table (kept across re-ingest). Fields are checked on import: a condition on a field the profile
vocabulary does not know, or an unknown operator, is an error naming the rule and field.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import InvalidInput
from ..extract.benefits.rule import OPERATORS, BenefitRule, Condition
from .profile import vocabulary

_VOLATILE = ("version", "corrected_by")


def export_rules(lib, path: str | Path) -> int:
    from . import load_rules
    rules = load_rules(lib)
    data = {"format": "zhengce-rules/1",
            "note": "改正后用 zhengce rules import 导入；每条改动成为该规则的新版本，重新入库后仍然有效。",
            "rules": [r.to_dict() for r in rules]}
    Path(path).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    return len(rules)


def _check(c: Condition, rid: str) -> None:
    if c.op not in OPERATORS:
        raise InvalidInput(f"规则 {rid}: 未知运算符 {c.op!r}", field=f"{rid}.conditions.op")
    if c.field and c.field not in vocabulary():
        raise InvalidInput(f"规则 {rid}: 未知画像字段 {c.field!r}", field=f"{rid}.conditions.field")
    for alt in c.any_of or []:
        for sub in alt:
            _check(sub, rid)


def import_rules(lib, path: str | Path, *, author: str | None = None) -> dict[str, int]:
    """Store every changed rule as a new version; returns counts (changed, unchanged)."""
    from ..store.benefits import get_rule, save_override
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{p}: 文件不存在", field="rules.yaml")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise InvalidInput(f"{p}: 不是有效的 YAML ({e})", field="rules.yaml") from e
    items = data.get("rules") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise InvalidInput(f"{p}: 应包含 rules 列表", field="rules")
    counts = {"changed": 0, "unchanged": 0}
    with lib.engine.begin() as conn:
        for i, d in enumerate(items):
            if not isinstance(d, dict) or not d.get("id"):
                raise InvalidInput(f"{p}: 第 {i + 1} 条规则缺少 id", field=f"rules[{i}].id")
            try:
                rule = BenefitRule.from_dict(d)
            except (TypeError, KeyError) as e:
                raise InvalidInput(f"{p}: 规则 {d['id']} 格式有误 ({e})", field=f"rules[{i}]") from e
            for c in rule.conditions:
                _check(c, rule.id)
            current = get_rule(conn, rule.id)
            if current is not None and _same(current, rule):
                counts["unchanged"] += 1
                continue
            save_override(conn, rule, author=author, note=f"imported from {p.name}")
            counts["changed"] += 1
    return counts


def _same(a: BenefitRule, b: BenefitRule) -> bool:
    da, db = a.to_dict(), b.to_dict()
    for k in _VOLATILE:
        da.pop(k, None)
        db.pop(k, None)
    return da == db
