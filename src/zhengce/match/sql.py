"""Rules compiled to SQL: one ``CASE`` per rule yielding 2 (eligible) / 1 (possibly) / 0 (not).

SQL's NULL logic is Kleene's three-valued logic, the same the numpy engine uses: an unknown fact
is NULL, a fact the vocabulary cannot express is ``CAST(NULL AS BOOLEAN)``, AND/OR propagate
unknowns exactly as ``np.minimum``/``np.maximum`` on F=0/U=1/T=2 do. ``dialect`` is ``duckdb``
(lists as LIST, ``list_has_any``) or ``postgresql`` (lists as arrays, ``&&``); scalar conditions
are the same text on both.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidInput
from ..extract.benefits.rule import BenefitRule, Condition
from .profile import vocabulary

UNKNOWN = "CAST(NULL AS BOOLEAN)"


def _q(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, int | float):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


def _col(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def condition_sql(c: Condition, columns: set[str], dialect: str = "duckdb") -> str:
    if c.op == "unexpressed":
        return UNKNOWN
    if c.op == "any":
        alts = ["(" + " AND ".join(condition_sql(s, columns, dialect) for s in alt) + ")" for alt in c.any_of or []]
        return "(" + " OR ".join(alts or ["FALSE"]) + ")"
    if c.field not in columns:
        return UNKNOWN
    col, v, op = _col(c.field), c.value, c.op
    if op == "eq":
        return f"({col} = {_q(v)})"
    if op == "ne":
        return f"({col} <> {_q(v)})"
    is_list = vocabulary().get(c.field, {}).get("type") == "list"
    if op == "not_in" and is_list:
        return f"(NOT {condition_sql(Condition(c.field, 'has_any', v, c.label), columns, dialect)})"
    if op in ("in", "not_in"):
        items = ", ".join(_q(x) for x in v)
        return f"({col} {'NOT ' if op == 'not_in' else ''}IN ({items}))"
    if op == "like":
        subs = v if isinstance(v, list) else [v]
        return "(" + " OR ".join(f"(strpos({col}, {_q(s)}) > 0)" for s in subs) + ")"
    if op == "ge":
        return f"({col} >= {_q(v)})"
    if op == "le":
        return f"({col} <= {_q(v)})"
    if op == "between":
        return f"({col} BETWEEN {_q(v[0])} AND {_q(v[1])})"
    if op in ("is_true", "is_false"):
        return f"({col} = {'TRUE' if op == 'is_true' else 'FALSE'})"
    if op in ("before", "after"):
        return f"({col} {'<' if op == 'before' else '>'} DATE {_q(v)})"
    if op in ("has_any", "has_all"):
        vals = list(v) if isinstance(v, list) else [v]
        if dialect == "postgresql":
            arr = "ARRAY[" + ", ".join(_q(x) for x in vals) + "]::text[]"
            return f"({col} {'&&' if op == 'has_any' else '@>'} {arr})"
        lst = "[" + ", ".join(_q(x) for x in vals) + "]"
        return f"({'list_has_any' if op == 'has_any' else 'list_has_all'}({col}, {lst}))"
    return UNKNOWN


def rule_sql(rule: BenefitRule, columns: set[str], dialect: str = "duckdb") -> str:
    """``CASE WHEN p THEN 2 WHEN NOT p THEN 0 ELSE 1 END`` for the rule's predicate p."""
    p = " AND ".join(condition_sql(c, columns, dialect) for c in rule.conditions) or "TRUE"
    return f"CASE WHEN {p} THEN 2 WHEN NOT ({p}) THEN 0 ELSE 1 END"


def registry_view(path: str | Path, kind: str | None = None) -> tuple[str, set[str]]:
    """A DuckDB SELECT over a .parquet/.csv registry that normalises profile columns: CSV lists
    split on ; or |, ``registered_in_beijing`` implied by a district, a missing ``kind`` set to
    ``kind``. Returns (sql, profile columns available)."""
    import duckdb
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{p}: 文件不存在", field="registry")
    suffix = p.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise InvalidInput(f"{p}: 只支持 .parquet 或 .csv", field="registry")
    src = (f"read_parquet({_q(str(p))}, file_row_number = true)" if suffix == ".parquet"
           else f"read_csv_auto({_q(str(p))})")
    cols = {r[0]: r[1] for r in duckdb.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()}
    cols.pop("file_row_number", None)
    vocab = vocabulary()
    select = []
    for name, typ in cols.items():
        spec = vocab.get(name)
        if spec and spec["type"] == "list" and typ.upper() == "VARCHAR":
            select.append(f"string_split(regexp_replace({_col(name)}, '\\|', ';', 'g'), ';') AS {_col(name)}")
        elif spec and spec["type"] == "date" and typ.upper() == "VARCHAR":
            select.append(f"CAST({_col(name)} AS DATE) AS {_col(name)}")
        elif name == "registered_in_beijing" and "district" in cols:
            select.append(f"COALESCE({_col(name)}, CASE WHEN district IS NOT NULL THEN TRUE END) AS {_col(name)}")
        else:
            select.append(_col(name))
    present = {c for c in cols if c in vocab}
    if "registered_in_beijing" not in cols and "district" in cols:
        select.append("CASE WHEN district IS NOT NULL THEN TRUE END AS registered_in_beijing")
        present.add("registered_in_beijing")
    if "kind" not in cols and kind:
        select.append(f"{_q(kind)} AS kind")
        present.add("kind")
    rn = "file_row_number AS rn" if suffix == ".parquet" else "row_number() OVER () - 1 AS rn"
    return f"SELECT {rn}, {', '.join(select)} FROM {src}", present


def match_registry_duckdb(path: str | Path, rule: BenefitRule) -> tuple[list[int], list[int]]:
    """Row numbers (0-based) eligible and possibly eligible for ``rule``, computed in DuckDB."""
    import duckdb
    view, present = registry_view(path, rule.beneficiary)
    expr = rule_sql(rule, present)
    rows = duckdb.sql(f"SELECT rn, v FROM (SELECT rn, {expr} AS v FROM ({view})) WHERE v > 0 ORDER BY rn").fetchall()
    return [r for r, v in rows if v == 2], [r for r, v in rows if v == 1]
