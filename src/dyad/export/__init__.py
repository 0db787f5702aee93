"""``dyad export``: the store's events in the formats the field reads.

- ``gdelt``: a folder with ``events.export.CSV`` (GDELT 2.0's 61 tab-separated columns)
  and ``events.mentions.CSV`` (16 columns), see :mod:`dyad.export.gdelt`;
- ``plover``: POLECAT-style JSONL, one event per line (:mod:`dyad.export.plover`);
- ``parquet``: a folder with ``events/`` (partitioned by event month, ``month=YYYY-MM``),
  ``mentions/`` and ``actors/``; typed, flat columns (:mod:`dyad.frames`);
- ``csv``: one table (events, mentions or actors) with the same typed columns, ISO dates.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from dyad.errors import QueryError
from dyad.export.gdelt import event_rows, mention_rows, write_tsv
from dyad.export.plover import plover_lines
from dyad.frames import actors_table, events_table, mentions_table
from dyad.query import ALL_EVENTS, Filters, best_records, event_counts_json, events
from dyad.store import Store

FORMATS = ("gdelt", "plover", "parquet", "csv")
TABLES = ("events", "mentions", "actors")


def export(
    store: Store, fmt: str, out: Path | None, filters: Filters = ALL_EVENTS, table: str = "events"
) -> list[Path]:
    """Write the selected events as ``fmt`` to ``out`` (standard output for the single-stream
    formats when ``out`` is None); returns the files written."""
    if fmt not in FORMATS:
        raise QueryError(f"--format {fmt!r} is not one of {', '.join(FORMATS)}")
    if fmt in ("gdelt", "parquet"):
        if out is None:
            raise QueryError(f"--format {fmt} writes a folder: give it with --out FOLDER")
        if out.exists() and not out.is_dir():
            raise QueryError(f"--out {out}: exists and is not a folder")
        out.mkdir(parents=True, exist_ok=True)
        return _gdelt(store, out, filters) if fmt == "gdelt" else _parquet(store, out, filters)
    if fmt == "plover":
        return _plover(store, out, filters)
    return _csv(store, out, filters, table)


def _gdelt(store: Store, out: Path, f: Filters) -> list[Path]:
    ev = events_table(store, f).to_pylist()
    actors = actors_table(store, f).to_pylist()
    mentions = mentions_table(store, f).to_pylist()
    paths = [out / "events.export.CSV", out / "events.mentions.CSV"]
    write_tsv(event_rows(ev, actors), paths[0])
    write_tsv(mention_rows(mentions, ev), paths[1])
    return paths


def _parquet(store: Store, out: Path, f: Filters) -> list[Path]:
    import pyarrow.dataset as ds

    ev = events_table(store, f)
    ds.write_dataset(
        ev.replace_schema_metadata(None),
        out / "events",
        format="parquet",
        partitioning=ds.partitioning(pa.schema([("month", pa.string())]), flavor="hive"),
        existing_data_behavior="delete_matching",
    )
    paths = [out / "events"]
    for name, t in (("mentions", mentions_table(store, f)), ("actors", actors_table(store, f))):
        import pyarrow.parquet as pq

        (out / name).mkdir(exist_ok=True)
        path = out / name / "part-0.parquet"
        pq.write_table(t, path)
        paths.append(path)
    return paths


def _plover(store: Store, out: Path | None, f: Filters) -> list[Path]:
    rows = events(store, f)
    best = best_records(store, rows)
    lines = plover_lines((r.event_id, event_counts_json(r), best[r.best_mention]) for r in rows)
    text = "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in lines)
    if out is None:
        sys.stdout.write(text)
        return []
    out.write_text(text, encoding="utf-8")
    return [out]


def _csv(store: Store, out: Path | None, f: Filters, table: str) -> list[Path]:
    if table not in TABLES:
        raise QueryError(f"--table {table!r} is not one of {', '.join(TABLES)}")
    make = {"events": events_table, "mentions": mentions_table, "actors": actors_table}[table]
    data = make(store, f)
    if out is None:
        buf = io.BytesIO()
        pacsv.write_csv(data, buf)
        sys.stdout.write(buf.getvalue().decode("utf-8"))
        return []
    pacsv.write_csv(data, str(out))
    return [out]
