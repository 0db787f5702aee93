"""`make bench-store`: query times on a synthetic store of 10 million events.

    python bench/store.py [--events N] [--keep PATH]

Builds the store inside DuckDB (generate_series / range, no Python loops) with the real
schema (every migration), then times, through dyad.query, the median of 3 runs of: a dyad
query (the events between RUS and UKR, newest 100, and the dyad's summary), a monthly
series for that dyad, and the top-50 network for one year. Prints; never fails.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

# 200 actor keys; RUS and UKR among the busiest (skewed draw: low indexes are frequent).
KEYS_SQL = """
CREATE TEMP TABLE keys AS
SELECT row_number() OVER () - 1 AS k, iso3 FROM (
    SELECT unnest(['USA', 'RUS', 'CHN', 'UKR', 'GBR', 'FRA', 'DEU', 'IRN', 'ISR', 'IND'])
    AS iso3
    UNION ALL
    SELECT 'X' || lpad(CAST(i AS VARCHAR), 2, '0') FROM range(190) t(i)
);
"""

BUILD_SQL = """
CREATE TEMP TABLE draws AS
SELECT i, ks.iso3 AS s, kt.iso3 AS t,
       DATE '2015-01-01' + CAST(i * 3652 // {n} AS INTEGER) AS day,
       root, p,
       lpad(CAST(root AS VARCHAR), 2, '0') AS root_code,
       CASE WHEN root <= 5 THEN 1 WHEN root <= 9 THEN 2 WHEN root <= 14 THEN 3 ELSE 4 END
       AS quad,
       CASE WHEN p < 90 THEN 'asserted' WHEN p < 95 THEN 'negated' ELSE 'future' END AS status
FROM (
    SELECT i,
           CAST(floor(pow((hash(i, 1) % 10000) / 10000.0, 2) * 200) AS INTEGER) AS si,
           CAST(floor(pow((hash(i, 2) % 10000) / 10000.0, 2) * 200) AS INTEGER) AS ti,
           CAST(hash(i, 3) % 20 + 1 AS INTEGER) AS root,
           CAST(hash(i, 4) % 100 AS INTEGER) AS p
    FROM range({n}) r(i)
) d
JOIN keys ks ON ks.k = d.si
JOIN keys kt ON kt.k = CASE WHEN d.ti = d.si THEN (d.ti + 1) % 200 ELSE d.ti END;

INSERT INTO event_groups
SELECT i * 16, 'm' || i, 'a' || (i // 4), status, root_code || '0', root_code || '0',
       root_code, quad, CASE WHEN root <= 9 THEN 3.0 ELSE -6.0 END, 'CONSULT', day, day, 'day',
       NULL, NULL, NULL, NULL, 0.5 + p / 200.0, 1 + p % 3, 1 + p % 2, 1 + p % 2, p < 30,
       NULL, TIMESTAMP '2025-01-01', 'Synthetic evidence sentence number ' || i || '.',
       [{{'key': s, 'code': s || 'GOV', 'country': s, 'org': NULL, 'name': NULL,
          'sectors': ['GOV']}}],
       [{{'key': t, 'code': t, 'country': t, 'org': NULL, 'name': NULL, 'sectors': []}}]
FROM draws ORDER BY i;

INSERT INTO event_actors
SELECT i * 16, 'source', 0, s, s || 'GOV', s, NULL, NULL, ['GOV'] FROM draws
UNION ALL
SELECT i * 16, 'target', 0, t, t, t, NULL, NULL, [] FROM draws;

INSERT INTO event_dyads
SELECT i * 16, s, t, day, status, root_code || '0', quad,
       CASE WHEN root <= 9 THEN 3.0 ELSE -6.0 END, 'CONSULT', NULL, 0.5 + p / 200.0,
       1 + p % 3, hash(least(s, t), greatest(s, t)), hash(s, t)
FROM draws ORDER BY day, i;

INSERT INTO event_mentions SELECT best_mention, gid, article_id FROM event_groups;
"""


def _median(fn: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def build(path: Path, n: int) -> float:
    from dyad.store import open_store

    t0 = time.perf_counter()
    with open_store(path) as store:
        db = store.db
        db.execute(KEYS_SQL)
        db.execute("BEGIN TRANSACTION")
        db.execute(BUILD_SQL.format(n=n))
        db.execute("COMMIT")
        db.execute("CHECKPOINT")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store at this path")
    args = parser.parse_args(argv)

    from dyad import query
    from dyad.query import Filters
    from dyad.store import open_store

    tmp = tempfile.TemporaryDirectory(prefix="dyad-bench-store-")
    path = args.keep or Path(tmp.name) / "bench.duckdb"
    print(f"dyad bench-store: {args.events:,} events, python {platform.python_version()}, "
          f"{platform.machine()}")  # fmt: skip
    if not path.exists():
        print(f"building {path} ... ", end="", flush=True)
        print(f"{build(path, args.events):.1f} s")
    size = path.stat().st_size / 1e9
    with open_store(path, read_only=True) as store:
        print(f"store: {store.count('event_groups'):,} events, {size:.2f} GB on disk")
        query.resolve_actor(store, "RUS")  # load the knowledge base before timing
        dyad = Filters(dyad=("RUS", "UKR"), status=("asserted",))
        cases: list[tuple[str, Callable[[], Any], float]] = [
            ("dyad query: RUS-UKR events, first 100",
             lambda: query.events(store, Filters(dyad=("RUS", "UKR"), limit=100)), 200),
            ("dyad query: RUS-UKR summary", lambda: query.dyads(store, dyad), 200),
            ("monthly series, RUS-UKR", lambda: query.series_table(store, dyad, "month"), 300),
            ("top-50 network, 2020",
             lambda: query.network(store, Filters(since=date(2020, 1, 1),
                                                  until=date(2020, 12, 31),
                                                  status=("asserted",)), top=50), 1000),
        ]  # fmt: skip
        for label, fn, target in cases:
            ms, result = _median(fn)
            n = result.num_rows if hasattr(result, "num_rows") else len(result)
            print(f"  {label:<42} {ms:8.1f} ms (median of 3; target < {target} ms) -> {n} rows")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
