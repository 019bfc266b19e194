"""Read an entity registry (.parquet or .csv) into a ``Population`` without a Python loop over rows.

Columns named like profile fields are used; others (名称, 统一社会信用代码 …) are carried for display.
List fields in CSV are separated by ``;`` or ``|``. Dates are ISO strings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InvalidInput
from .profile import Column, Population, vocabulary


def read_table(path: str | Path) -> pa.Table:
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"{p}: 文件不存在", field="registry")
    if p.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq
        return pq.read_table(p)
    if p.suffix.lower() == ".csv":
        import pyarrow.csv as pcsv
        return pcsv.read_csv(p, convert_options=pcsv.ConvertOptions(strings_can_be_null=True))
    raise InvalidInput(f"{p}: 只支持 .parquet 或 .csv", field="registry")


def read_registry(path: str | Path) -> Population:
    return population_from_arrow(read_table(path))


def population_from_arrow(table: pa.Table) -> Population:
    vocab = vocabulary()
    n = table.num_rows
    cols: dict[str, Column] = {}
    for name, spec in vocab.items():
        if name not in table.column_names:
            continue
        arr = table.column(name).combine_chunks()
        t = spec["type"]
        if t == "cat":
            enc = pc.dictionary_encode(arr.cast(pa.string()))
            codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
            cols[name] = Column("cat", codes, [str(x) for x in enc.dictionary.to_pylist()])
        elif t == "date":
            if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
                arr = pc.strptime(arr, format="%Y-%m-%d", unit="s")
            days = pc.cast(pc.cast(arr, pa.timestamp("s")), pa.int64()).to_numpy(zero_copy_only=False)
            vals = days.astype(np.float64) / 86400 + dt.date(1970, 1, 1).toordinal()
            vals[arr.is_null().to_numpy(zero_copy_only=False)] = np.nan
            cols[name] = Column("num", vals)
        elif t in ("bool", "int", "num"):
            vals = pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False).astype(np.float64)
            cols[name] = Column("num", vals)
        else:
            if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
                known = arr.is_valid().to_numpy(zero_copy_only=False)
                arr = pc.split_pattern_regex(arr.fill_null(""), pattern=r"[;|]")
            else:
                known = arr.is_valid().to_numpy(zero_copy_only=False)
            flat = pc.list_flatten(arr)
            parents = pc.list_parent_indices(arr).to_numpy(zero_copy_only=False)
            enc = pc.dictionary_encode(flat)
            cats = [str(x) for x in enc.dictionary.to_pylist()]
            if len(cats) > 64:
                raise InvalidInput(f"字段 {name!r} 的取值超过 64 种", field=name)
            idx = enc.indices.to_numpy(zero_copy_only=False).astype(np.uint64)
            bits = np.zeros(n, dtype=np.uint64)
            keep = np.array([c != "" for c in cats], dtype=bool)[idx.astype(np.int64)] if len(idx) else idx
            np.bitwise_or.at(bits, parents[keep], np.left_shift(np.uint64(1), idx[keep]))
            cols[name] = Column("list", bits, cats, known)
    rib = cols.get("registered_in_beijing")
    if rib is not None and "district" in cols:
        fill = np.isnan(rib.values) & (cols["district"].values >= 0)
        rib.values[fill] = 1.0
    elif rib is None and "district" in cols:
        vals = np.where(cols["district"].values >= 0, 1.0, np.nan)
        cols["registered_in_beijing"] = Column("num", vals)
    return Population(n, cols)
