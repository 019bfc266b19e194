"""Load test: N concurrent clients on /api/search over loopback; prints p50/p99, errors, throughput.

    .venv/bin/python benchmarks/api.py [--clients 200] [--seconds 60] [--workers 2] [--think 0] [--client asyncio|wrk]

Starts ``zhengce serve``'s app (uvicorn, ``--workers`` processes) on a free port over a library in a
temporary directory holding the bundled gazettes, then runs a bounded closed loop: every client
sends a search, waits for the answer, sleeps ``--think`` seconds, and repeats until time is up.
Queries are 2–4 words drawn from the corpus's own provision headings, so most are distinct.
The baseline is the same load on /api/counts (a trivial database read) in the same run: the ratio
says what search costs on top of the HTTP stack. The client is a raw asyncio HTTP/1.1 keep-alive
client in this process (cheap, and it reports error kinds); ``--client wrk`` uses wrk instead
(apt-get install wrk; closed loop only).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]


def build_library(data_dir: Path) -> list[str]:
    """Ingest the bundled gazettes into ``data_dir``; return query strings from provision headings."""
    os.environ["ZHENGCE_DATA_DIR"] = str(data_dir)
    from zhengce.library import Library
    from zhengce.store import documents as store_docs
    lib = Library()
    lib.ensure_demo()
    from zhengce.search import search
    search(lib, "营商环境")  # the index is built and current before any worker opens it
    words: list[str] = []
    with lib.engine.connect() as conn:
        for p in store_docs.iter_provisions(conn):
            words += re.findall(r"[\u4e00-\u9fff]{2,4}", p.heading or "")
    lib.engine.dispose()
    rng = random.Random(7)
    words = sorted(set(words))
    return [" ".join(rng.sample(words, rng.randint(2, 4))) for _ in range(2000)]


def start_server(data_dir: Path, port: int, workers: int) -> subprocess.Popen:
    env = os.environ | {"ZHENGCE_DATA_DIR": str(data_dir)}
    cmd = [sys.executable, "-m", "uvicorn", "zhengce.api.asgi:app", "--host", "127.0.0.1", "--port",
           str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log",
           "--backlog", "4096"]
    log = open(data_dir / "server.log", "w")  # noqa: SIM115 - lives as long as the server
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    import httpx
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/counts", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


async def _client(host: str, port: int, paths: list[str], deadline: float, think: float,
                  lat: list[float], errors: list[str], rng: random.Random) -> None:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams (httpx costs more CPU than the
    server on this machine, which would measure the client)."""
    reader = writer = None
    if think:  # users arrive spread over one think time, not all in the same millisecond
        await asyncio.sleep(think * rng.random())
    while time.perf_counter() < deadline:
        path = rng.choice(paths)
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            status = int(head.split(b" ", 2)[1])
            m = re.search(rb"(?i)content-length: *(\d+)", head)
            await reader.readexactly(int(m.group(1)) if m else 0)
            if status != 200:
                errors.append(str(status))
        except Exception as e:  # a timeout or reset counts as an error; reconnect and go on
            errors.append(type(e).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
        lat.append(time.perf_counter() - t0)
        if think:
            await asyncio.sleep(think * (0.5 + rng.random()))
    if writer is not None:
        writer.close()


def run_asyncio(base: str, paths: list[str], clients: int, seconds: float, think: float) -> dict:
    host, port = base.split("://", 1)[1].split(":")
    lat: list[float] = []
    errors: list[str] = []

    async def main() -> float:
        deadline = time.perf_counter() + seconds
        t0 = time.perf_counter()
        await asyncio.gather(*(_client(host, int(port), paths, deadline, think, lat, errors,
                                       random.Random(i)) for i in range(clients)))
        return time.perf_counter() - t0
    elapsed = asyncio.run(main())
    out = summary(lat, len(errors), elapsed)
    if errors:
        from collections import Counter
        out["error_kinds"] = dict(Counter(errors).most_common(5))
    return out


def summary(lat: list[float], errors: int, elapsed: float) -> dict:
    lat = sorted(lat)
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0] if lat else 0] * 99
    return {"requests": len(lat), "errors": errors, "rps": len(lat) / elapsed,
            "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def run_wrk(base: str, paths: list[str], clients: int, seconds: float) -> dict:
    with tempfile.TemporaryDirectory() as d:
        plist = Path(d) / "paths.txt"
        random.Random(1).shuffle(paths)
        plist.write_text("\n".join(paths) + "\n")
        script = Path(d) / "paths.lua"
        script.write_text(LUA % plist)
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{max(1, int(seconds))}s", "--latency",
                              "--timeout", "10s", "-s", str(script), base], capture_output=True, text=True,
                             check=True).stdout

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
    n = int(re.search(r"(\d+) requests in", out).group(1))
    errs = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errs += int(m.group(1)) if m else 0
    return {"requests": n, "errors": errs, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": ms("50%"), "p99_ms": ms("99%")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=None, help="default: seconds/6, at most 10")
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    ap.add_argument("--think", type=float, default=0.0, help="mean pause between a client's requests (s)")
    ap.add_argument("--client", choices=["asyncio", "wrk"], default="asyncio",
                    help="wrk (if installed) or the built-in asyncio client")
    args = ap.parse_args()
    use_wrk = args.client == "wrk" and bool(shutil.which("wrk"))
    from zhengce.api.testing import free_port
    with tempfile.TemporaryDirectory() as d:
        data_dir = Path(d)
        queries = build_library(data_dir)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = start_server(data_dir, port, args.workers)
        try:
            search_paths = [f"/api/search?q={quote(q)}" for q in queries]
            bl_seconds = args.baseline_seconds or min(10.0, max(1.0, args.seconds / 6))
            runs = {}
            # warm every worker (index open, segmenter dictionary) before anything is measured
            run_asyncio(base, search_paths[-200:], 4 * args.workers, 3.0, 0.0)
            for name, paths, secs in [("counts", ["/api/counts"], bl_seconds),
                                      ("search", search_paths, args.seconds)]:
                if use_wrk:
                    runs[name] = run_wrk(base, list(paths), args.clients, secs)
                else:
                    runs[name] = run_asyncio(base, paths, args.clients, secs, args.think)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            log = (data_dir / "server.log").read_text(errors="replace")
            if "Traceback" in log:
                last = [line for line in log.splitlines() if line and not line.startswith(" ")][-1]
                print(f"server logged {log.count('Traceback')} tracebacks; last: {last}")
    tool = "wrk" if use_wrk else "asyncio"
    print(f"{args.clients} clients, {args.workers} workers, think {args.think}s, client {tool}")
    for name, r in runs.items():
        print(f"/api/{name:7s} {r['requests']:7d} req  {r['rps']:8.1f} req/s  p50 {r['p50_ms']:7.1f} ms  "
              f"p99 {r['p99_ms']:7.1f} ms  errors {r['errors']} {r.get('error_kinds', '')}")
    s, b = runs["search"], runs["counts"]
    print(f"search/baseline: p50 ×{s['p50_ms'] / b['p50_ms']:.2f}, throughput ×{s['rps'] / b['rps']:.2f}")
    ok = s["errors"] == 0 and s["p99_ms"] <= 200
    print(f"goal (0 errors, p99 ≤ 200 ms): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
