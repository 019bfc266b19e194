"""Finding the two sides of a diff in a library: ``KEY`` (the current text) or ``KEY@N`` (kept version N)."""

from __future__ import annotations

import re

from ..errors import NotFound
from ..store import graph as store_graph
from . import Diff, Side, diff, side

VERSION = re.compile(r"^(?P<key>.+)@(?P<n>\d{1,4})$")


def side_of(lib, spec: str) -> Side:
    """``京政发〔2021〕24号`` → the document as the library holds it now; ``京政发〔2021〕24号@1`` → its
    oldest kept version (``@2`` the next …), as listed by ``zhengce diff --versions``."""
    m = VERSION.match(spec.strip())
    key = m["key"] if m else spec.strip()
    doc = lib.document(key)
    if doc is None:
        raise NotFound(f"没有找到文件 {key}", hint="用 zhengce docs 查看已收录的文件", field="A/B")
    if not m:
        return side(f"{doc.key}（当前）", doc.provisions, doc.key)
    with lib.engine.connect() as conn:
        versions = store_graph.versions_of(conn, doc.key)
        n = int(m["n"])
        if not 1 <= n <= len(versions):
            raise NotFound(f"{doc.key} 没有第 {n} 个旧版本（共 {len(versions)} 个）",
                           hint=f"zhengce diff --versions {doc.key}", field="A/B")
        v = store_graph.version(conn, versions[n - 1]["id"])
    assert v is not None
    return side(f"{doc.key}@{n}（{v['kept_at']:%Y-%m-%d %H:%M}）", v["provisions"], doc.key)


def diff_specs(lib, a: str, b: str) -> Diff:
    return diff(side_of(lib, a), side_of(lib, b))
