"""`make bench-api`: latency of `dyad serve` under a bounded load on loopback.

    python bench/api.py [--db FILE] [--requests 2000] [--concurrency 8]

Starts `dyad serve` on 127.0.0.1 over FILE (default: the sample corpus, ingested into
bench/out/api.duckdb on first use), then sends REQUESTS GETs from CONCURRENCY threads, turn
about between the events endpoint (a page of 50, with and without an actor filter) and the
series endpoint (one dyad, per month), and prints the count, the errors and the latency
percentiles per endpoint. Prints, never asserts.
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _store(db: Path | None) -> Path:
    if db is not None:
        return db
    path = OUT / "api.duckdb"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        cmd = [sys.executable, "-m", "dyad", "ingest", str(ROOT / "samples"), "--db", str(path)]
        subprocess.run(cmd, check=True, env=env)
    return path


def _pick_dyad(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/dyads.json?limit=1")
    import json

    items = json.loads(conn.getresponse().read())["items"]
    conn.close()
    if not items:
        return "dyad=RUS&dyad=UKR"
    return f"dyad={items[0]['a']}&dyad={items[0]['b']}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)

    db = _store(args.db)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dyad", "serve", "--db", str(db), "--port", str(port)],
        env={k: v for k, v in os.environ.items() if k != "DYAD_TOKEN"},
    )
    try:
        _wait(port)
        pair = _pick_dyad(port)
        urls = [
            ("events", "/events.json?limit=50"),
            ("events", "/events.json?limit=50&actor=" + pair.split("&")[0].split("=")[1]),
            ("series", f"/series.json?{pair}&by=month"),
        ]
        for _, url in urls:  # warm up (knowledge base, first connection)
            _get(port, url)
        results = _load(port, urls, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)
    _report(results, args, db)
    return 0


def _wait(port: int) -> None:
    for _ in range(300):
        try:
            _get(port, "/stats.json")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("dyad serve did not start")


def _get(port: int, url: str, conn: http.client.HTTPConnection | None = None) -> int:
    own = conn is None
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", url)
    r = c.getresponse()
    r.read()
    if own:
        c.close()
    return r.status


def _load(
    port: int, urls: list[tuple[str, str]], total: int, concurrency: int
) -> list[tuple[str, float, int]]:
    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            name, url = urls[i % len(urls)]
            start = time.perf_counter()
            try:
                status = _get(port, url, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status = 0
            elapsed = time.perf_counter() - start
            with lock:
                results.append((name, elapsed, status))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.append(("_wall", time.perf_counter() - began, 200))
    return results


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _report(results: list[tuple[str, float, int]], args: argparse.Namespace, db: Path) -> None:
    wall = next(e for n, e, _ in results if n == "_wall")
    rows = [r for r in results if r[0] != "_wall"]
    print(f"dyad serve over {db}: {len(rows)} requests, {args.concurrency} concurrent, "
          f"{wall:.1f} s wall, {len(rows) / wall:.0f} requests/s")  # fmt: skip
    for name in ("events", "series", "all"):
        sel = [r for r in rows if name in ("all", r[0])]
        times = [e for _, e, _ in sel]
        errors = sum(1 for *_, s in sel if s != 200)
        print(
            f"  {name:7s} n={len(sel):5d} errors={errors} p50={_pct(times, 0.5):.1f} ms "
            f"p95={_pct(times, 0.95):.1f} ms p99={_pct(times, 0.99):.1f} ms "
            f"mean={statistics.mean(times) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    raise SystemExit(main())
