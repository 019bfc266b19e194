"""Scale benchmark: a library of N documents built from the real texts, on SQLite+tantivy AND PostgreSQL.

Templates are the documents of the corpus (data/gazettes, one file per document, cut at the
lines the parser assigns it) and the State Council pages of ../shared/eval/govcn/corpus. Copy
``k`` of a template gets its own 文号 (number and year), title (a tag after 关于, or the gold
title replaced on the pages) and 成文日期 (year shifted), and is written as its own file. Then,
for each store in one run, a child process (so peak RSS is the store's own) measures:

* ingest of every file through ``Library.ingest`` (parse, extract, store AND search index);
* store size on disk (SQLite file + WAL + index directory, or ``pg_database_size``);
* search p50/p99 through ``zhengce.search.search``: 2-4 words of a template sentence, one third
  filtered by issuer, one third by date, facet counts on, top 10 with snippets; the share of
  searches whose provision total is exact (``total_relation == "eq"``; the others give a lower
  bound) and the mean number of matching documents (always exact);
* re-ingest of one changed file (index included) and that the change is searchable at once;
* ``match_profile`` of one enterprise profile against every extracted rule (the first call reads
  and compiles the rules; the figure is the median of the four after it).

Memory stays bounded in the benchmark itself: files are written one at a time and streamed to
the ingest folder by folder, results are tallied as they come; RSS is printed after ingest,
after the searches and at the end beside the peak. The load average before and after is printed.

Goals (GUIDE §4): peak RSS ≤ 2 GB, re-ingest ≤ 2 s, search p99 ≤ 50 ms embedded.

    .venv/bin/python benchmarks/scale.py --documents 100000 --reuse /var/tmp/zhengce-scale
    .venv/bin/python benchmarks/scale.py --documents 2000 --stores sqlite

``--reuse DIR`` writes the files once into ``DIR/files-N`` and later runs of the same size reuse
them (100,000 files are ~2.7 GB); ``--keep-db`` keeps the PostgreSQL database for inspection.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

GOVCN = ROOT.parent / "shared" / "eval" / "govcn"
PG_ADMIN_URL = os.environ.get("ZHENGCE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TAGS = ["进一步", "加快推进", "深入实施", "全面加强", "持续优化", "切实做好", "扎实推进", "着力提升"]
PROFILE = {"kind": "enterprise", "district": "西城区", "registered_in_beijing": True, "size": "small",
           "industries": ["软件和信息技术服务业"], "certifications": ["高新技术企业"], "listing": "北交所",
           "employees": 80}
_NUMBER = re.compile(r"([〔\[［(（])\s*(\d{4})\s*([〕\]］)）])\s*(\d+)\s*号")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def templates() -> list[tuple[str, str, tuple[str, str] | None, str | None]]:
    """(file suffix, text, own 文号 as (year, number), title to tag) of every template document.

    Only documents that parse on their own count (a compilation's parts without a header of
    their own do not).
    """
    from zhengce.ingest import parse_source
    from zhengce.sources import read_source
    out = []
    for f in sorted((ROOT / "data" / "gazettes").glob("*.txt")):
        lines = f.read_text(encoding="utf-8").splitlines()
        for d in parse_source(read_source(f)):
            if not d.doc_number:
                continue
            own = re.search(r"(\d{4})\D+(\d+)号", d.doc_number)
            out.append((".txt", "\n".join(lines[d.line_start - 1: d.line_end]) + "\n",
                        own.groups() if own else None, None))
    gold = {}
    if (GOVCN / "documents.jsonl").is_file():
        for line in (GOVCN / "documents.jsonl").read_text(encoding="utf-8").splitlines():
            g = json.loads(line)
            gold[g["source"]] = g
    for f in sorted((GOVCN / "corpus").glob("*.htm*")) if (GOVCN / "corpus").is_dir() else []:
        g = gold.get(f.name, {})
        own = re.search(r"(\d{4})\D+(\d+)号", g.get("doc_number") or "")
        out.append((f.suffix, f.read_text(encoding="utf-8", errors="replace"), own.groups() if own else None,
                    g.get("title")))
    with tempfile.TemporaryDirectory() as d:  # keep what parses standalone
        keep = []
        for t in out:
            p = Path(d) / f"t{len(keep)}{t[0]}"
            p.write_text(variant(t, 0), encoding="utf-8")
            try:
                if parse_source(read_source(p)):
                    keep.append(t)
            except Exception:
                pass
    return keep


def variant(tpl: tuple, k: int, copy: int | None = None) -> str:
    """Copy ``k`` of a template (its ``copy``-th copy): its own 文号, title and dates.

    文号 stay realistic (year 2015-2024, number 1-999: the parser rightly refuses a 6-digit
    number), which keeps 9,990 distinct numbers per template — enough for 100,000 documents.
    """
    _suffix, text, own, title = tpl
    copy = k if copy is None else copy
    year = 2015 + copy % 10

    def number(m: re.Match) -> str:
        if own is None or (m.group(2), m.group(4)) != tuple(own):
            return m.group(0)  # a reference to another document stays as it is
        return f"{m.group(1)}{year}{m.group(3)}{(int(m.group(4)) + copy // 10) % 999 + 1}号"

    def date(m: re.Match) -> str:
        mon, day = int(m.group(2)), int(m.group(3))
        return f"{year}年{mon}月{min(day, 28) if mon == 2 else day}日"

    text = _DATE.sub(date, _NUMBER.sub(number, text))
    tag = f"{TAGS[k % len(TAGS)]}第{k}批"
    if title and "关于" in title:  # a govcn page: its gold title, wherever it stands
        return text.replace(title, title.replace("关于", f"关于{tag}", 1))
    return text.replace("关于", f"关于{tag}", 1)


def templates_digest(tpl: list) -> str:
    """What the generated files depend on: the templates and this script's variant rules (only
    those: a change elsewhere in the script keeps the files and the stores built from them)."""
    import inspect
    h = hashlib.sha1((inspect.getsource(variant) + inspect.getsource(generate) + repr(TAGS)).encode())
    for suffix, text, own, title in tpl:
        h.update(f"{suffix}|{own}|{title}|".encode() + text.encode())
    return h.hexdigest()[:16]


def generate(n: int, out: Path) -> tuple[int, int, bool]:
    """Write the ``n`` documents under ``out`` (a reusable folder): (files, bytes, reused).

    ``out/manifest.json`` records what the files were made from; a folder made for the same
    templates is reused as it is (100,000 files are written once, not per run). Files are
    written one at a time, nothing kept in memory.
    """
    tpl = templates()
    digest = templates_digest(tpl)
    manifest = out / "manifest.json"
    try:
        m = json.loads(manifest.read_text(encoding="utf-8"))
        if m.get("documents") == n and m.get("digest") == digest:
            return m["documents"], m["bytes"], True
    except (OSError, ValueError):
        pass
    if out.exists():
        shutil.rmtree(out)
    size = 0
    for k in range(n):
        t = tpl[k % len(tpl)]
        f = out / f"{k // 1000:03d}" / f"doc{k:06d}{t[0]}"
        if k % 1000 == 0:
            f.parent.mkdir(parents=True, exist_ok=True)
        data = variant(t, k, k // len(tpl)).encode("utf-8")
        f.write_bytes(data)
        size += len(data)
    manifest.write_text(json.dumps({"documents": n, "bytes": size, "digest": digest}), encoding="utf-8")
    return n, size, False


def document_files(files_dir: Path) -> Iterator[Path]:
    """The generated files in order, one folder listing at a time (never a list of all)."""
    for sub in sorted(d for d in files_dir.iterdir() if d.is_dir()):
        yield from sorted(sub.glob("doc*.*"))


def rss_mb(kind: str = "VmRSS") -> float:
    """This process's resident set now (``ru_maxrss`` only gives the peak); ``RssAnon`` is the
    process's own memory, ``RssFile`` the pages of mapped files it touched (the search index is
    memory-mapped: the kernel drops those first when memory runs short)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(kind + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_parts() -> str:
    return f"{rss_mb('RssAnon'):.0f}+{rss_mb('RssFile'):.0f}"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakParts:
    """The peaks of this process's own memory (``RssAnon``) and of its mapped file pages
    (``RssFile``: the memory-mapped search index, pages the kernel may drop) apart, sampled
    every ``every`` seconds by a thread: ``ru_maxrss`` gives only their sum's peak."""

    def __init__(self, every: float = 0.25) -> None:
        import threading
        self.anon = self.file = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)
        self._thread.start()

    def _run(self, every: float) -> None:
        while not self._stop.wait(every):
            self.sample()

    def sample(self) -> None:
        self.anon = max(self.anon, rss_mb("RssAnon"))
        self.file = max(self.file, rss_mb("RssFile"))

    def stop(self) -> str:
        self._stop.set()
        self._thread.join()
        self.sample()
        return f"{self.anon:.0f}+{self.file:.0f}"


def queries(n: int, seed: int = 7) -> list[tuple[str, dict]]:
    from zhengce.search.segment import STOPWORDS, Segmenter
    seg = Segmenter()
    rnd = random.Random(seed)
    sents = [s for t in templates() for s in re.findall(r"[^。；！？\n<>]{8,80}[。；]", t[1])
             if re.search(r"[\u4e00-\u9fff]{6}", s)]
    out = []
    while len(out) < n:
        words = [w for w in dict.fromkeys(seg.cut(rnd.choice(sents))) if len(w) >= 2 and w not in STOPWORDS
                 and re.search(r"[\u4e00-\u9fff]", w)]
        if len(words) < 2:
            continue
        q = " ".join(rnd.sample(words, min(len(words), rnd.randint(2, 4))))
        f = rnd.randrange(3)
        out.append((q, {"issuer": "北京"} if f == 1 else {"since": "2020-01-01"} if f == 2 else {}))
    return out


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(p * len(xs)))]


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) if p.exists() else 0


def agreement(lib, qs: list[tuple[str, dict]]) -> tuple[float | None, float | None]:
    """For the searches ranked in two steps (``search_exact_limit``), how often the top 10 has
    exactly the exhaustive top 10's scores, and the mean share of those scores it finds."""
    from zhengce.search import search
    same, recall, n = 0, 0.0, 0
    if lib.search_index.name != "tantivy":  # PostgreSQL ranks every match: nothing to compare
        return None, None
    for q, flt in qs:
        r = search(lib, q, per_page=10, facets=False, **flt)
        if r.total_relation == "eq":
            continue
        os.environ["ZHENGCE_SEARCH_EXACT_LIMIT"] = str(10**12)
        try:
            e = search(lib, q, per_page=10, facets=False, **flt)
        finally:
            del os.environ["ZHENGCE_SEARCH_EXACT_LIMIT"]
        got = [round(h.score, 3) for h in r.hits]
        want = [round(h.score, 3) for h in e.hits]
        n += 1
        same += got == want
        left = list(got)
        found = 0
        for x in want:
            if x in left:
                left.remove(x)
                found += 1
        recall += found / max(len(want), 1)
    return (same / n, recall / n) if n else (1.0, 1.0)


def run_store(url: str, files_dir: Path, data_dir: Path, n_queries: int, workers: int = 0,
              existing: bool = False) -> dict:
    """Everything measured for one store (runs in its own process); ``existing``: the store
    holds the files already (a ``--existing`` run measures search and match again, no ingest)."""
    from zhengce.library import Library
    from zhengce.match import match_profile
    from zhengce.search import search

    lib = Library(url=url, data_dir=data_dir)
    peaks = PeakParts()
    rss: dict[str, float] = {"start": rss_mb()}
    n_files, n_bytes, bad = 0, 0, 0

    def tally(r) -> None:  # counted as they come: nothing per file kept here
        nonlocal n_files, bad
        n_files += 1
        bad += r.status != "ingested"

    def stream() -> Iterator[Path]:
        nonlocal n_bytes
        for f in document_files(files_dir):
            n_bytes += f.stat().st_size
            yield f

    t0, c0 = time.perf_counter(), time.process_time()
    if existing:
        n_files, n_bytes = (lambda m: (m["documents"], m["bytes"]))(
            json.loads((files_dir / "manifest.json").read_text(encoding="utf-8")))
    else:
        results = lib.ingest(stream(), root=files_dir, progress=tally, workers=workers)
        del results
    ingest_s, ingest_cpu = time.perf_counter() - t0, time.process_time() - c0
    rss["ingest_peak"], rss["after_ingest"] = peak_mb(), rss_mb()
    peaks.sample()
    parts = {"after_ingest": rss_parts(), "ingest_peaks": f"{peaks.anon:.0f}+{peaks.file:.0f}"}
    mb = n_bytes / 1e6
    counts = lib.counts()
    if lib.engine.dialect.name == "postgresql":
        with lib.engine.connect() as conn:
            size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
    else:
        size = sum(f.stat().st_size for f in data_dir.glob("*.db*")) + dir_size(data_dir / "search")

    qs = queries(2 * n_queries)
    for q, flt in qs[:n_queries]:  # warm caches with other queries than the timed ones
        search(lib, q, **flt)
    lat, totals, exact, n_docs = [], [], 0, []
    for q, flt in qs[n_queries:]:
        t = time.perf_counter()
        r = search(lib, q, per_page=10, facets=True, **flt)
        lat.append((time.perf_counter() - t) * 1000)
        totals.append(r.total)
        exact += r.total_relation == "eq"
        n_docs.append(r.documents)

    rss["after_search"] = rss_mb()
    parts["after_search"] = rss_parts()
    same_top, score_recall = agreement(lib, qs[n_queries:])

    k = n_files // 2
    changed = next(f for i, f in enumerate(document_files(files_dir)) if i == k)
    text = changed.read_text(encoding="utf-8")
    needle = "规模化基准变更标记"
    pos = text.find("。")
    try:
        changed.write_text(text[:pos + 1] + needle + "。" + text[pos + 1:], encoding="utf-8")
        t = time.perf_counter()
        [res] = lib.ingest([changed], root=files_dir)
        reingest_s = time.perf_counter() - t
        found = any(needle in h.text for h in search(lib, needle).hits)
    finally:
        changed.write_text(text, encoding="utf-8")  # the folder stays reusable as generated

    m = []
    for _ in range(5):  # the first reads and compiles the rules; the others match from the cache
        t = time.perf_counter()
        mr = match_profile(lib, dict(PROFILE))
        m.append((time.perf_counter() - t) * 1000)
    n_rules = len(getattr(mr, "items", []) or [])
    # the changed file back as generated: a second re-ingest, then a match that must pick up the
    # change (the rule cache reads only the changed source again)
    t = time.perf_counter()
    lib.ingest([changed], root=files_dir)
    reingest2_s = time.perf_counter() - t
    t = time.perf_counter()
    match_profile(lib, dict(PROFILE))
    match_after_ms = (time.perf_counter() - t) * 1000
    rss["end"] = rss_mb()
    parts["end"] = rss_parts()
    parts["peaks"] = peaks.stop()
    lib.engine.dispose()
    return {"store": lib.engine.dialect.name, "files": n_files, "mb": mb, "documents": counts["documents"],
            "provisions": counts["provisions"], "not_ingested": bad, "ingest_s": ingest_s,
            "mb_s": mb / ingest_s, "ingest_cpu": ingest_cpu, "rss_mb": peak_mb(), "rss": rss,
            "size_mb": size / 1e6, "search_p50": statistics.median(lat), "search_p99": pct(lat, 0.99),
            "search_max": max(lat), "mean_total": statistics.mean(totals), "reingest_s": reingest_s,
            "exact_totals": exact / len(lat), "mean_documents": statistics.mean(n_docs),
            "reingest_status": res.status, "change_found": found, "match_first_ms": m[0],
            "match_ms": statistics.median(m[1:]), "rules": n_rules, "reingest2_s": reingest2_s,
            "match_after_ms": match_after_ms, "workers": workers, "rss_parts": parts,
            "same_top10": same_top, "score_recall": score_recall, "existing": existing}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--stores", default="sqlite,postgres", help="comma-separated: sqlite, postgres")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--workdir", type=Path, default=None, help="keep generated files and stores here")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="folder of generated files, written once and reused by later runs of the same size")
    ap.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database (its name is printed)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON lines too")
    ap.add_argument("--workers", type=int, default=0, help="ingest worker processes (zhengce.prefetch)")
    ap.add_argument("--existing", action="store_true",
                    help="measure stores already filled by an earlier run with the same --workdir (sqlite) "
                         "or --pg-db (postgres): no ingest, the rest as usual")
    ap.add_argument("--pg-db", help="with --existing: the kept PostgreSQL database to measure")
    ap.add_argument("--run-store", help=argparse.SUPPRESS)  # child: URL
    ap.add_argument("--files", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_store:
        print(json.dumps(run_store(args.run_store, args.files, args.data, args.queries, args.workers,
                                   args.existing)))
        return

    work = args.workdir or Path(tempfile.mkdtemp(prefix="zhengce-scale-"))
    files_dir = (args.reuse / f"files-{args.documents}") if args.reuse else work / "files"
    t = time.perf_counter()
    n, size, reused = generate(args.documents, files_dir)
    print(f"{'reused' if reused else 'generated'} {n:,} documents ({size / 1e6:.1f} MB) "
          f"in {time.perf_counter() - t:.1f} s under {files_dir}")
    print(f"load before: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} CPUs")
    rows = []
    for store in [s.strip() for s in args.stores.split(",") if s.strip()]:
        data = work / store
        data.mkdir(parents=True, exist_ok=True)
        db = None
        if store == "sqlite":
            url = f"sqlite:///{data}/scale.db"
        elif args.existing:
            if not args.pg_db:
                print("postgres: skipped (--existing needs --pg-db)")
                continue
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + args.pg_db
        else:
            import psycopg
            db = f"zhengce_scale_{uuid.uuid4().hex[:8]}"
            try:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as c:
                    c.execute(f'CREATE DATABASE "{db}"')
            except Exception as e:
                print(f"postgres: skipped ({e})")
                continue
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + db
        try:
            out = subprocess.run([sys.executable, __file__, "--run-store", url, "--files", str(files_dir),
                                  "--data", str(data), "--queries", str(args.queries),
                                  "--workers", str(args.workers)] + (["--existing"] if args.existing else []),
                                 capture_output=True, text=True, check=False)
            if out.returncode != 0:
                print(f"{store}: failed\n{out.stderr[-3000:]}")
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        finally:
            if args.existing:
                pass
            elif db and args.keep_db:
                print(f"postgres: kept database {db}")
            elif db:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    report(rows)
    if args.json:
        for r in rows:
            print(json.dumps(r))


def report(rows: list[dict]) -> None:
    if not rows:
        return
    lines = [
        ("documents / provisions", lambda r: f"{r['documents']:,} / {r['provisions']:,}"),
        ("files not ingested", lambda r: f"{r['not_ingested']}"),
        ("ingest (index included)", lambda r: "(existing store)" if r.get("existing") else
                                               f"{r['ingest_s']:.1f} s = {r['mb_s']:.2f} MB/s"),
        ("  ingest worker processes", lambda r: f"{r.get('workers', 0)}"),
        ("  of which CPU of this process", lambda r: "" if r.get("existing") else
                                                      f"{r['ingest_cpu']:.1f} s = {r['mb'] / r['ingest_cpu']:.2f} MB/s"),
        ("peak RSS (goal <= 2048 MB)", lambda r: f"{r['rss_mb']:.0f} MB"),
        ("  RSS after ingest / search / end", lambda r: f"{r['rss']['after_ingest']:.0f} / {r['rss']['after_search']:.0f}"
                                                        f" / {r['rss']['end']:.0f} MB"),
        ("  of which own + mapped files", lambda r: " / ".join(r.get("rss_parts", {}).get(k, "?")
                                                               for k in ("after_ingest", "after_search", "end"))),
        ("  peak own / mapped: ingest; whole run", lambda r: "; ".join(
            r.get("rss_parts", {}).get(k, "?").replace("+", " / ") for k in ("ingest_peaks", "peaks")) + " MB"),
        ("store size on disk", lambda r: f"{r['size_mb']:.0f} MB"),
        ("search p50 / p99 (facets, top 10)", lambda r: f"{r['search_p50']:.1f} / {r['search_p99']:.1f} ms"),
        ("  slowest search; mean total hits", lambda r: f"{r['search_max']:.0f} ms; {r['mean_total']:,.0f}"),
        ("  exact provision totals; mean documents", lambda r: f"{r.get('exact_totals', 1):.0%}; "
                                                                f"{r.get('mean_documents', 0):,.0f}"),
        ("  two-step top 10 = exhaustive; recall", lambda r: "n/a (exhaustive)" if r.get("same_top10") is None
                                                              else f"{r['same_top10']:.0%}; {r['score_recall']:.1%}"),
        ("re-ingest one changed file (<= 2 s)", lambda r: f"{r['reingest_s']:.2f} s, found: {r['change_found']}"),
        ("match one profile, all rules", lambda r: f"{r['match_ms']:.1f} ms ({r['rules']} rules)"),
        ("  first match (reads the rules)", lambda r: f"{r['match_first_ms']:.0f} ms"),
        ("  match after a second re-ingest", lambda r: f"{r['match_after_ms']:.0f} ms (re-ingest {r['reingest2_s']:.2f} s)"),
    ]
    print(f"\n{rows[0]['files']:,} files, {rows[0]['mb']:.1f} MB of text")
    print(f"{'':38}" + "".join(f"{r['store']:>26}" for r in rows))
    for label, fmt in lines:
        print(f"{label:38}" + "".join(f"{fmt(r):>26}" for r in rows))


if __name__ == "__main__":
    main()
