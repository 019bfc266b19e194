"""Search benchmark: a synthetic library of N provisions built from the corpus sentences.

Measures, in one run on the same data:
  * the project's own API (``zhengce.search.search``: filters, top-10 with snippets) over its
    tantivy index, p50/p99 latency, with and without facet counts;
  * SQLite FTS5 ranked (bm25) any-term queries with snippets on the same pre-segmented text;
  * recall@10 of both against the provisions built from the sentence each query was drawn from;
  * RSS of the process.

    .venv/bin/python benchmarks/search.py            # 1,000,000 provisions (~8 min on 2 cores)
    .venv/bin/python benchmarks/search.py --size 100000 --queries 300
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import tantivy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from zhengce.library import Library  # noqa: E402
from zhengce.search import engine as _engine  # noqa: E402,F401  (import now: edits during a run are not picked up)
from zhengce.search import search  # noqa: E402
from zhengce.search.records import Record  # noqa: E402
from zhengce.search.segment import STOPWORDS, Segmenter  # noqa: E402
from zhengce.search.tantivy_backend import build_schema, register_tokenizers, to_tantivy  # noqa: E402
from zhengce.text import normalize  # noqa: E402

ISSUERS = ["北京市人民政府", "北京市人民政府办公厅", "北京市西城区人民政府", "北京市西城区人民政府办公室",
           "北京市经济和信息化局", "北京市财政局", "北京市民政局", "北京市西城区民政局", "北京市教育委员会",
           "北京市人力资源和社会保障局", "北京市市场监督管理局", "北京市发展和改革委员会"]
DOC_TYPES = ["通知", "意见", "办法", "方案", "规划", "措施", "细则", "决定"]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_sentences() -> list[str]:
    out: set[str] = set()
    for f in sorted((ROOT / "data" / "gazettes").glob("*.txt")):
        text = re.sub(r"\n\s*\n?", "", f.read_text(encoding="utf-8"))
        for s in re.findall(r"[^。；！？]+[。；！？]", text):
            s = normalize(s)
            if 8 <= len(s) <= 200 and re.search(r"[\u4e00-\u9fff]{4}", s):
                out.add(s)
    return sorted(out)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=500)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    tmp = Path(tempfile.mkdtemp(prefix="zhengce-bench-"))
    t0 = time.perf_counter()
    sents = corpus_sentences()
    seg = Segmenter()
    toks = [" ".join(seg.tokens(s)) for s in sents]
    print(f"corpus: {len(sents)} distinct sentences, segmented in {time.perf_counter() - t0:.1f}s")

    # Each provision: 1-3 sentences; doc = 50 provisions with one issuer/type/date.
    lib = Library(url=f"sqlite:///{tmp}/bench.db", data_dir=tmp)
    path = lib.search_index.dir
    path.mkdir(parents=True)
    index = tantivy.Index(build_schema(), path=str(path))
    register_tokenizers(index)
    writer = index.writer(heap_size=512_000_000, num_threads=2)
    fts = sqlite3.connect(tmp / "fts.db")
    fts.execute("PRAGMA journal_mode=OFF")
    fts.execute("PRAGMA synchronous=OFF")
    fts.execute("CREATE VIRTUAL TABLE p USING fts5(body, issuer UNINDEXED, day UNINDEXED, cid UNINDEXED)")
    members: list[list[int]] = [[] for _ in sents]  # sentence -> provisions containing it
    t0 = time.perf_counter()
    batch = []
    for i in range(args.size):
        d = i // 50
        drnd = random.Random(d)
        issuer, dtype = drnd.choice(ISSUERS), drnd.choice(DOC_TYPES)
        date = dt.date(2018, 1, 1) + dt.timedelta(days=drnd.randrange(1800))
        day = int(date.strftime("%Y%m%d"))
        ids = [rnd.randrange(len(sents)) for _ in range(rnd.randint(1, 3))]
        for j in ids:
            members[j].append(i)
        text = "".join(sents[j] for j in ids)
        body = " ".join(toks[j] for j in ids)
        cid = f"bench〔{d}〕/{i % 50}"
        meta = {"title": f"关于印发第{d}号文件的{dtype}", "issuers": [issuer], "date": date.isoformat(),
                "path": [], "text": text, "raw": None, "ls": i, "le": i, "kind": "paragraph",
                "doc_number": None, "doc_type": dtype, "sha": ""}
        facets = {"issuer": [issuer], "doc_type": [dtype], "year": [str(date.year)], "doc_number": [],
                  "level": [], "district": []}
        writer.add_document(to_tantivy(Record(cid, f"bench{d}", "bench", i, body, "", "", day, facets, meta)))
        batch.append((body, issuer, day, cid))
        if len(batch) >= 50_000:
            fts.executemany("INSERT INTO p VALUES (?,?,?,?)", batch)
            batch.clear()
    if batch:
        fts.executemany("INSERT INTO p VALUES (?,?,?,?)", batch)
    fts.commit()
    writer.commit()
    writer.wait_merging_threads()
    lib.search_index._write_state(0)  # the index reflects the (empty) store's generation 0
    print(f"built {args.size:,} provisions (tantivy + FTS5) in {time.perf_counter() - t0:.1f}s, RSS {rss_mb():.0f} MB")

    # Queries: 2-4 content words of one corpus sentence; a third filtered by issuer, a third by date.
    queries = []
    while len(queries) < 2 * args.queries:
        j = rnd.randrange(len(sents))
        words = [w for w in dict.fromkeys(seg.cut(sents[j])) if len(w) >= 2 and w not in STOPWORDS
                 and re.search(r"[\u4e00-\u9fff]", w)]
        if len(words) < 2 or not members[j]:
            continue
        q = " ".join(rnd.sample(words, min(len(words), rnd.randint(2, 4))))
        f = rnd.randrange(3)
        queries.append((j, q, {"issuer": "西城"} if f == 1 else {"since": "2020-01-01"} if f == 2 else {}))

    def relevant(j: int, flt: dict) -> set[int]:
        out = set()
        for i in members[j]:
            drnd = random.Random(i // 50)
            issuer, _ = drnd.choice(ISSUERS), drnd.choice(DOC_TYPES)
            day = dt.date(2018, 1, 1) + dt.timedelta(days=drnd.randrange(1800))
            if flt.get("issuer") and flt["issuer"] not in issuer:
                continue
            if flt.get("since") and day < dt.date.fromisoformat(flt["since"]):
                continue
            out.add(i)
        return out

    def seq_of(cid: str) -> int:
        d, k = re.match(r"bench〔(\d+)〕/(\d+)", cid).groups()
        return int(d) * 50 + int(k)

    # Steady state: a first, different half of the queries warms the page cache (the index was
    # just written); only the second half is timed, for every engine alike.
    warm, queries = queries[: args.queries], queries[args.queries:]
    for _j, q, flt in warm:
        search(lib, q, per_page=10, facets=False, **flt)
    results = {}
    for label, facets in (("zhengce.search (top-10, snippets)", False),
                          ("zhengce.search (+ facet counts)", True)):
        lat, rec = [], []
        for j, q, flt in queries:
            t = time.perf_counter()
            r = search(lib, q, per_page=10, facets=facets, **flt)
            lat.append((time.perf_counter() - t) * 1000)
            rel = relevant(j, flt)
            got = {seq_of(h.cid) for h in r.hits}
            rec.append(len(got & rel) / min(10, len(rel)) if rel else 1.0)
        results[label] = (lat, rec)

    def fts_query(q: str, flt: dict) -> tuple[str, list]:
        terms = [t for t in seg.query_terms(q) if not t.startswith("syn")]
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        sql = "SELECT cid, snippet(p, 0, '<mark>', '</mark>', '…', 16) FROM p WHERE p MATCH ?"
        params: list = [match]
        if flt.get("issuer"):
            sql += " AND issuer LIKE ?"
            params.append(f"%{flt['issuer']}%")
        if flt.get("since"):
            sql += " AND day >= ?"
            params.append(int(flt["since"].replace("-", "")))
        return sql + " ORDER BY rank LIMIT 10", params

    for _j, q, flt in warm[: max(20, args.queries // 10)]:
        fts.execute(*fts_query(q, flt)).fetchall()
    lat, rec = [], []
    for j, q, flt in queries:
        sql, params = fts_query(q, flt)
        t = time.perf_counter()
        rows = fts.execute(sql, params).fetchall()
        lat.append((time.perf_counter() - t) * 1000)
        rel = relevant(j, flt)
        got = {seq_of(c) for c, _ in rows}
        rec.append(len(got & rel) / min(10, len(rel)) if rel else 1.0)
    results["SQLite FTS5 bm25 any-term (top-10, snippets)"] = (lat, rec)

    print(f"\n{len(queries)} queries of 2-4 words over {args.size:,} provisions (1/3 issuer-, 1/3 date-filtered)")
    print(f"{'engine':48} {'p50 ms':>8} {'p99 ms':>8} {'recall@10':>10}")
    for label, (lat, rec) in results.items():
        print(f"{label:48} {statistics.median(lat):8.2f} {pct(lat, 0.99):8.2f} {statistics.mean(rec):10.3f}")
    ours = results["zhengce.search (top-10, snippets)"][0]
    base = results["SQLite FTS5 bm25 any-term (top-10, snippets)"][0]
    print(f"speed-up vs FTS5: p50 {statistics.median(base) / statistics.median(ours):.1f}x, "
          f"p99 {pct(base, 0.99) / pct(ours, 0.99):.1f}x")
    print(f"max RSS {rss_mb():.0f} MB")
    fts.close()
    lib.engine.dispose()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
