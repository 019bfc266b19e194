"""The rule cache's compact table kept on disk, so a fresh process need not decode every rule.

At 100,000 documents the first match of a process read ~380,000 rules (~1.2 KB of JSON each)
from the store: 20-30 s for every server worker and every ``zhengce match`` call, while the
compact table (``table.RuleTable``) they were turned into is a few dozen MB of arrays. This
module writes that table — the extracted rules as the ``RuleCache`` holds them, with its
``Templates`` and shared tuples — to one file, and a fresh process loads it instead of decoding.

Why a file beside the store and not a column or a table in it:

* A compact column written at ingest would still be read row by row (hundreds of thousands of
  rows through the driver, a Python object each) and would put a format of the matcher into the
  store's schema; the file is read in one go and its arrays used as they are.
* A snapshot blob in the database would make a reader write to the store (on SQLite taking the
  write lock an ingest holds) and grow the store and its dumps. The file is a cache: losing it,
  or any damage to it, costs one read from the store, never a wrong answer.

Why it is safe with several processes, a changing store and damaged files:

* **Keyed to the store's log.** The file records the generation ``gen`` its rows reflect, how
  many ``source_log`` rows had ``gen`` ≤ it when that generation was read, and a digest of those
  rows (generation, source, sha256). The log only grows, so a loader that finds the same count
  and digest sees the very history the file was made from: a store rebuilt under the same path
  or URL, or another store, has another log and is refused. PostgreSQL hands out generations at
  insert, not at commit: a transaction that took a lower generation and committed later shows up
  as a changed count, and the file is refused (a writer that sees the count move since its read
  writes nothing). Changes logged after ``gen`` are then replayed by the rule cache exactly as a
  warm process replays them (``RuleCache.refresh``), so re-ingests, removals and new files since
  the snapshot are read from the store; corrections are not in the file at all (they are
  applied on every refresh).
* **Written atomically**: a temporary file in the same folder, then ``os.replace``; a reader
  opens either the old or the new file, never half of one, and concurrent writers each replace
  the whole file (the last one wins; every version is valid for its own generation).
* **Validated on load**: a magic, the format version, a signature of the code that derives the
  table (``code_signature``: a change to how rows become columns refuses old files) and a
  SHA-256 over everything after it. Any failure — missing, truncated, corrupt, unreadable, other
  code or other store — falls back to reading the store, silently but for a debug log line.

Plain bytes and JSON, no pickle: loading a file never runs code from it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import orjson
from sqlalchemy import Connection, func, select

from ..extract.benefits.rule import Condition
from ..store.documents import source_log
from .table import Pool, RuleTable, Strings, Templates

if TYPE_CHECKING:
    from .rule_cache import RuleCache

log = logging.getLogger(__name__)

MAGIC = b"ZCRULES\n"
FORMAT = 1
# A process that decoded at least this many rules from the store since its table was last
# loaded or written writes the file again (~0.3 s of decoding; a smaller library, or a few
# re-ingests since the file was written, cost less to replay than to write).
MIN_DECODED = 5000
_HEAD = struct.Struct("<32sQ")  # SHA-256 of everything after it, then the header's length
_TYPES = {t.__name__: t for t in (type(None), str, int, float, bool, list, dict)}
_ARRAYS = {"ids_data": np.uint8, "ids_ends": np.int64, "amount": np.float64, "conds": np.int32,
           "bounds": np.int64, "head_of": np.int32, "doc_of": np.int32, "doc_counts": np.int64}


class Unusable(Exception):
    """The file cannot stand for the store (or the table cannot be written): read the store."""


def path_for(lib) -> Path:
    """The snapshot of ``lib``'s store: in its data folder, one file per store URL (password
    left out), so stores sharing a data folder do not overwrite each other's file."""
    url = lib.engine.url.render_as_string(hide_password=True)
    return Path(lib.data_dir) / "match" / f"rules-{hashlib.sha256(url.encode()).hexdigest()[:16]}.snap"


@functools.cache
def code_signature() -> str:
    """A digest of the modules that turn stored rules into the table and read it back: a file
    written by other code is refused rather than trusted to mean the same."""
    from ..extract.benefits import rule
    from . import engine, rule_cache, table
    h = hashlib.sha256(str(FORMAT).encode())
    for mod in (table, engine, rule_cache, rule):
        h.update(Path(mod.__file__).read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


# One line per log row ("gen<TAB>source<TAB>sha256 or -"), joined with newlines in generation
# order, made in the database: at 100,000 documents the log holds over 100,000 rows, and reading
# them one by one into Python was most of a snapshot's load. Both give the same text. (SQLite
# concatenates in the subquery's order; were it ever to differ, a file would only be refused.)
_LOG_TEXT = {
    "sqlite": "SELECT count(*), group_concat(line, char(10)) FROM (SELECT gen || char(9) || source || char(9) || "
              "ifnull(sha256, '-') AS line FROM source_log WHERE gen <= {gen} ORDER BY gen)",
    "postgresql": "SELECT count(*), string_agg(gen || E'\\t' || source || E'\\t' || coalesce(sha256, '-'), E'\\n' "
                  "ORDER BY gen) FROM source_log WHERE gen <= {gen}",
}


def log_state(conn: Connection, gen: int) -> tuple[int, str]:
    """(how many ``source_log`` rows have generation ≤ ``gen``, a SHA-256 of them in order)."""
    n, lines = conn.exec_driver_sql(_LOG_TEXT[conn.dialect.name].format(gen=int(gen))).one()
    return n, hashlib.sha256((lines or "").encode()).hexdigest()


def logged_upto(conn: Connection, gen: int) -> int:
    """How many ``source_log`` rows have generation ≤ ``gen`` (grows only when a generation below
    ``gen`` commits late: PostgreSQL draws them at insert)."""
    return conn.execute(select(func.count()).select_from(source_log).where(source_log.c.gen <= gen)).scalar_one()


# -- writing ---------------------------------------------------------------------------------
def save(cache: RuleCache, conn: Connection, path: Path) -> bool:
    """Write ``cache``'s extracted rules to ``path`` (atomically); False when nothing was written:
    the log moved under the cache's generation, or the table holds what the format cannot keep."""
    count, digest = log_state(conn, cache.gen)
    if count != cache.logged:  # a generation below ours committed after we read: we may lack it
        return False
    try:
        sections = _sections(cache)
    except Unusable as e:
        log.debug("rule snapshot not written: %s", e)
        return False
    offset, layout = 0, []
    for name, data in sections:
        layout.append([name, offset, len(data)])
        offset += len(data)
    header = {"format": FORMAT, "code": code_signature(), "gen": cache.gen, "logged": count, "log": digest,
              "rules": len(cache.extracted), "documents": len(cache.doc_keys), "sections": layout}
    head = json.dumps(header).encode()
    h = hashlib.sha256(head)
    for _name, data in sections:
        h.update(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    _sweep(path)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # like the store beside it: readable by a server running as another user
        with os.fdopen(fd, "wb") as f:
            f.write(MAGIC + _HEAD.pack(h.digest(), len(head)) + head)
            for _name, data in sections:
                f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _sweep(path: Path, age_s: float = 3600.0) -> None:
    """Remove temporary files a writer killed mid-write left (older than ``age_s``: a live
    writer's file is seconds old)."""
    import time
    for tmp in path.parent.glob(path.name + ".*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > age_s:
                tmp.unlink()
        except OSError:
            pass


def _sections(cache: RuleCache) -> list[tuple[str, bytes | memoryview]]:
    t, tpl = cache.extracted, cache.templates
    heads, docs = cache.heads.values(), cache.docs.values()
    head_ix = {id(x): i for i, x in enumerate(heads)}
    doc_ix = {id(x): i for i, x in enumerate(docs)}
    try:  # every row's tuples are the pooled ones (``record_from_dict`` pools them)
        head_of = np.fromiter((head_ix[id(x)] for x in t.heads), np.int32, len(t))
        doc_of = np.fromiter((doc_ix[id(x)] for x in t.docs), np.int32, len(t))
    except KeyError as e:
        raise Unusable("a row's shared tuple is not in its pool") from e
    templates = []
    for key, cond, rel in zip(tpl.index, tpl.conditions, tpl.relative, strict=True):
        k = list(key)
        k[5] = k[5].__name__
        templates.append([rel, k, cond.to_dict()])
    js = json.dumps(templates, ensure_ascii=False).encode()
    back = json.loads(js)  # what a loader will make of it must be what we hold
    for (key, cond, rel), (rel2, k2, d2) in zip(zip(tpl.index, tpl.conditions, tpl.relative, strict=True),
                                                 back, strict=True):
        if k2[5] not in _TYPES or rel2 != rel or _key(k2) != key or Condition.from_dict(d2) != cond:
            raise Unusable(f"condition {cond.label!r} does not survive JSON")
    head_js = json.dumps([list(x) for x in heads], ensure_ascii=False).encode()
    if [(x, tuple(map(type, x))) for x in map(tuple, json.loads(head_js))] != [(x, tuple(map(type, x))) for x in heads]:
        raise Unusable("a shared head does not survive JSON")
    for x in docs:
        if len(x) != 3 or not all(v is None or type(v) is str for v in x):
            raise Unusable("a document tuple holds other than text")
    arrays = {"ids_data": np.frombuffer(t.ids.data, np.uint8), "ids_ends": t.ids.ends, "amount": t.amount,
              "conds": t.conds, "bounds": t.bounds, "head_of": head_of, "doc_of": doc_of,
              "doc_counts": cache.doc_counts}
    out: list[tuple[str, bytes | memoryview]] = []
    for name, dtype in _ARRAYS.items():
        a = np.ascontiguousarray(arrays[name], dtype=dtype)
        out.append((name, a.tobytes()))
    out += [("templates", js), ("heads", head_js), ("docs", orjson.dumps([list(c) for c in zip(*docs, strict=True)] if docs else [[], [], []])), ("cids", orjson.dumps(t.cids)),
            ("doc_keys", orjson.dumps(cache.doc_keys)), ("doc_sources", orjson.dumps(cache.doc_sources))]
    return out


def _key(k: list) -> tuple:
    k = list(k)
    k[5] = _TYPES[k[5]]
    return tuple(k)


# -- loading ---------------------------------------------------------------------------------
def load(cache: RuleCache, conn: Connection, path: Path) -> bool:
    """Fill ``cache`` from ``path`` when the file stands for this store's log; False (cache
    untouched) otherwise. Never raises for a bad file."""
    try:
        parts = _read(path)
        header = parts.pop("")
        if (header["logged"], header["log"]) != log_state(conn, header["gen"]):
            raise Unusable("the store's log differs from the snapshot's")
        _fill(cache, header, parts)
    except FileNotFoundError:
        return False
    except Exception as e:  # noqa: BLE001 — any damage means: read the store instead
        log.debug("rule snapshot %s not used: %s", path, e)
        return False
    return True


def _read(path: Path) -> dict:
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        buf = bytearray(size)  # writable: the arrays made over it are ordinary ones
        if f.readinto(buf) != size:
            raise Unusable("short read")
    view = memoryview(buf)
    n0 = len(MAGIC) + _HEAD.size
    if size < n0 or bytes(view[:len(MAGIC)]) != MAGIC:
        raise Unusable("not a rule snapshot")
    digest, head_len = _HEAD.unpack(view[len(MAGIC):n0])
    if hashlib.sha256(view[n0:]).digest() != digest:
        raise Unusable("checksum mismatch (truncated or damaged)")
    header = json.loads(bytes(view[n0:n0 + head_len]))
    if header.get("format") != FORMAT or header.get("code") != code_signature():
        raise Unusable("written by another version of the code")
    base = n0 + head_len
    parts: dict = {"": header}
    for name, offset, length in header["sections"]:
        if base + offset + length > size:
            raise Unusable(f"section {name} runs past the end")
        data = view[base + offset:base + offset + length]
        dtype = _ARRAYS.get(name)
        parts[name] = np.frombuffer(data, dtype) if dtype is not None else data
    return parts


def _fill(cache: RuleCache, header: dict, p: dict) -> None:
    """Rebuild the cache's state from the sections (everything checked before anything is set)."""
    n, m = header["rules"], header["documents"]
    templates = Templates()
    for rel, k, d in json.loads(bytes(p["templates"])):
        templates.insert(_key(k), Condition.from_dict(d), bool(rel))
    head_pool = [tuple(x) for x in json.loads(bytes(p["heads"]))]
    doc_pool = list(zip(*orjson.loads(p["docs"]), strict=True))  # stored as three columns: tuples made in C
    head_of, doc_of = p["head_of"], p["doc_of"]
    # copies: arrays over the file's buffer would keep all of it (its JSON too) alive
    bounds, conds, ends, amount = p["bounds"].copy(), p["conds"].copy(), p["ids_ends"].copy(), p["amount"].copy()
    cids = orjson.loads(p["cids"])
    doc_keys, doc_sources = orjson.loads(p["doc_keys"]), orjson.loads(p["doc_sources"])
    counts = p["doc_counts"].copy()
    if not (len(head_of) == len(doc_of) == len(amount) == len(ends) == len(cids) == n
            and len(bounds) == n + 1 and len(doc_keys) == len(doc_sources) == len(counts) == m
            and int(counts.sum()) == n and (n == 0 or (int(bounds[-1]) == len(conds)
                                                      and int(ends[-1]) == len(p["ids_data"])))):
        raise Unusable("section lengths disagree")
    if n and (int(head_of.max()) >= len(head_pool) or int(doc_of.max()) >= len(doc_pool)
              or head_of.min() < 0 or doc_of.min() < 0 or (len(conds) and (int(conds.max()) >= len(templates.conditions)
                                                                           or conds.min() < 0))):
        raise Unusable("an index points past its pool")
    heads, docs = Pool(head_pool), Pool(doc_pool)
    table = RuleTable(Strings(bytes(p["ids_data"]), ends), cids, _rows(head_pool, head_of), _rows(doc_pool, doc_of),
                      amount, conds, bounds)
    key_of = {t[0]: t[0] for t in doc_pool}  # one string per document key, as a full read shares them
    doc_keys = [key_of.get(k, k) for k in doc_keys]
    cache.templates, cache.heads, cache.docs = templates, heads, docs
    cache.extracted, cache.doc_keys, cache.doc_sources, cache.doc_counts = table, doc_keys, doc_sources, counts
    cache.gen, cache.logged = header["gen"], header["logged"]


def _rows(pool: list[tuple], of: np.ndarray) -> list[tuple]:
    """Each row's shared tuple: gathered as an object array (no int object per row)."""
    objs = np.empty(len(pool), dtype=object)
    for i, x in enumerate(pool):
        objs[i] = x
    return objs[of].tolist()
