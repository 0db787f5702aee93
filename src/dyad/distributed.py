"""A Dask backend: code a corpus on a cluster, write partitioned Parquet (``dyad[dask]``).

    dyad code --engine dask --scheduler tcp://HOST:8786 corpus/ --out coded/

The client splits the input into partitions (JSONL: runs of :data:`PARTITION_SIZE` lines;
Parquet: one partition per file) and sends each worker only the *description* of its
partition (path, first line, line count). A worker reads its slice, runs the same pipeline as
``dyad code`` (:func:`dyad.pipeline.analyze_many`, one parser process per worker: give each
worker one thread), and writes one Parquet file per table. The spaCy model and the compiled
tables are loaded once per worker process (module-level caches) and never pickled from the
client. Input and output paths must be visible to every worker (a shared filesystem).

Output, readable by DuckDB (``SELECT * FROM read_parquet('coded/events/*.parquet')``) and by
``dyad ingest coded/``:

* ``articles/part-NNNNN.parquet``: the articles (raw and cleaned text, metadata);
* ``events/``, ``claims/``: one row per record: key columns and the full record as JSON
  (``record``, the same JSON ``dyad code`` prints);
* ``mentions/``: one row per resolved actor of each actor mention;
* ``_dyad.json``: the dyad version and the partition count (marks the folder as dyad output).

Files are written under a temporary name and renamed, so a retried task never leaves a
partial or duplicated partition. Parquet input needs the columns of a JSONL article
(``id`` and ``text`` or ``html``; ``published``, ``url``, ``title``, ``source``, ``language``).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dyad._version import __version__
from dyad.errors import DyadError, InputError
from dyad.model import Article, Claim, Event, Record, record_from_json

if TYPE_CHECKING:
    import pyarrow as pa

    from dyad.pipeline import Analysis

log = logging.getLogger(__name__)

PARTITION_SIZE = 500
"""JSONL lines per partition."""
MARKER = "_dyad.json"
TABLES = ("articles", "events", "mentions", "claims")


class DaskError(DyadError):
    """The Dask backend cannot run (extra not installed, scheduler unreachable, bad input)."""


@dataclass(frozen=True, slots=True)
class Partition:
    """What one worker codes: a slice of a JSONL file, or a whole Parquet file."""

    index: int
    path: str
    start: int = 0
    """First line (0-based) of a JSONL slice."""
    count: int = 0
    """Lines in a JSONL slice (0 for Parquet)."""


@dataclass(frozen=True, slots=True)
class PartitionResult:
    index: int
    articles: int
    events: int
    claims: int
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DaskSummary:
    partitions: int
    articles: int
    events: int
    claims: int
    errors: tuple[str, ...]


# --- the client side ---------------------------------------------------------------------


def partitions(inputs: Sequence[Path], size: int = PARTITION_SIZE) -> list[Partition]:
    """The partitions of JSONL and Parquet inputs (files, or folders of them, sorted)."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.suffix.lower() in (".jsonl", ".parquet"))
            )
        elif path.exists():
            files.append(path)
        else:
            raise DaskError(f"{path}: no such file or directory")
    out: list[Partition] = []
    for f in files:
        suffix = f.suffix.lower()
        if suffix == ".parquet":
            out.append(Partition(len(out), str(f.resolve())))
        elif suffix == ".jsonl":
            with f.open("rb") as fh:
                lines = sum(1 for _ in fh)
            for start in range(0, lines, size):
                out.append(Partition(len(out), str(f.resolve()), start, min(size, lines - start)))
        else:
            raise DaskError(f"{f}: the Dask backend reads .jsonl or .parquet, not {f.suffix!r}")
    if not out:
        raise DaskError("no .jsonl or .parquet input found")
    return out


def code_dask(
    inputs: Sequence[Path],
    out: Path,
    *,
    scheduler: Any = None,
    partition_size: int = PARTITION_SIZE,
    published: date | None = None,
) -> DaskSummary:
    """Code the inputs on a Dask cluster into partitioned Parquet under ``out``.

    ``scheduler`` is an address (``tcp://host:8786``), a ``distributed.Client``, or None for
    a local cluster with one single-threaded worker process per core.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise DaskError("the Dask backend needs the extra: pip install 'dyad[dask]'") from exc
    parts = partitions(inputs, partition_size)
    out.mkdir(parents=True, exist_ok=True)
    target = str(out.resolve())
    own: list[Any] = []
    if isinstance(scheduler, Client):
        client = scheduler
    else:
        try:
            if scheduler is None:
                cluster = LocalCluster(threads_per_worker=1, processes=True)
                own.append(cluster)
                client = Client(cluster)
            else:
                client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            raise DaskError(f"cannot reach the Dask scheduler {scheduler!r} ({exc})") from exc
        own.insert(0, client)
    try:
        futures = client.map(code_partition, parts, out=target, published=published, pure=False)
        results: list[PartitionResult] = client.gather(futures)
    finally:
        for thing in own:
            thing.close()
    (out / MARKER).write_text(
        json.dumps({"dyad": __version__, "partitions": len(parts)}) + "\n", encoding="utf-8"
    )
    return DaskSummary(
        partitions=len(parts),
        articles=sum(r.articles for r in results),
        events=sum(r.events for r in results),
        claims=sum(r.claims for r in results),
        errors=tuple(e for r in sorted(results, key=lambda r: r.index) for e in r.errors),
    )


# --- the worker side ---------------------------------------------------------------------


def _slice_articles(
    part: Partition, published: date | None, errors: list[str]
) -> Iterator[Article]:
    from dyad.boundary import parse_json_line as _parse_json_line
    from dyad.read import _jsonl_article

    if part.path.lower().endswith(".parquet"):
        import pyarrow.parquet as pq

        rows = pq.read_table(part.path).to_pylist()
        items: Iterator[tuple[str, Any]] = (
            (f"{part.path}#{i + 1}", row) for i, row in enumerate(rows)
        )
    else:
        items = _jsonl_slice(part)
    for origin, obj in items:
        try:
            if isinstance(obj, str):
                obj = _parse_json_line(obj, origin)
            if isinstance(obj, dict) and isinstance(obj.get("published"), date):
                obj = {**obj, "published": obj["published"].isoformat()}
            yield _jsonl_article(obj, origin, published)
        except InputError as exc:
            errors.append(str(exc))


def _jsonl_slice(part: Partition) -> Iterator[tuple[str, str]]:
    with open(part.path, "rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if lineno <= part.start:
                continue
            if lineno > part.start + part.count:
                break
            line = raw.decode("utf-8", errors="replace").strip()
            if line:
                yield f"{part.path}:{lineno}", line


def code_partition(part: Partition, *, out: str, published: date | None = None) -> PartitionResult:
    """Code one partition on this worker and write its Parquet files."""
    from dyad.pipeline import analyze_many

    errors: list[str] = []

    def on_error(article: Article, exc: Exception) -> None:
        errors.append(f"{article.origin}: coding failed: {type(exc).__name__}: {exc}")

    def on_skip(article: Article, language: str) -> None:
        errors.append(f"{article.origin}: not English (language {language}); not coded")

    analyses = list(
        analyze_many(
            _slice_articles(part, published, errors),
            n_process=1,
            on_error=on_error,
            on_skip=on_skip,
        )
    )
    tables = _tables(analyses)
    for name, table in tables.items():
        _write(Path(out) / name / f"part-{part.index:05d}.parquet", table)
    records = [r for a in analyses for r in a.records]
    return PartitionResult(
        part.index,
        len(analyses),
        sum(isinstance(r, Event) for r in records),
        sum(isinstance(r, Claim) for r in records),
        tuple(errors),
    )


def _tables(analyses: Sequence[Analysis]) -> dict[str, pa.Table]:
    import pyarrow as pa

    from dyad.model import dumps

    arts, events, mentions, claims = [], [], [], []
    for a in analyses:
        art = a.article
        arts.append(
            {
                "id": art.id,
                "url": art.url,
                "published": art.published,
                "title": art.title,
                "source": art.source,
                "origin": art.origin,
                "language": art.language,
                "text": art.text,
                "clean_text": a.clean.text,
            }
        )
        for m in a.mentions:
            for actor in m.actors:
                mentions.append(
                    {
                        "article_id": art.id,
                        "start": m.start,
                        "end": m.end,
                        "sentence": m.sentence,
                        "kind": m.kind,
                        "text": actor.text,
                        "code": actor.code,
                        "country": actor.country,
                        "name": actor.name,
                        "org": actor.org,
                        "role": actor.role,
                    }
                )
        for r in a.records:
            row = {
                "id": r.id,
                "article_id": art.id,
                "published": art.published,
                "status": r.status,
                "confidence": r.confidence,
                "evidence": r.evidence.text,
                "record": dumps(r),
            }
            if isinstance(r, Event):
                row.update(
                    cameo=r.cameo,
                    quad_class=r.quad_class,
                    goldstein=r.goldstein,
                    source=";".join(x.code for x in r.source),
                    target=";".join(x.code for x in r.target),
                )
                events.append(row)
            else:
                claims.append(row)
    return {
        "articles": pa.Table.from_pylist(arts, schema=_schemas()["articles"]),
        "events": pa.Table.from_pylist(events, schema=_schemas()["events"]),
        "mentions": pa.Table.from_pylist(mentions, schema=_schemas()["mentions"]),
        "claims": pa.Table.from_pylist(claims, schema=_schemas()["claims"]),
    }


@cache
def _schemas() -> dict[str, pa.Schema]:
    import pyarrow as pa

    types = {"s": pa.string(), "i": pa.int32(), "f": pa.float64(), "d": pa.date32()}

    def schema(spec: str) -> pa.Schema:
        """``"name:type name:type ..."`` with s string, i int32, f float64, d date."""
        return pa.schema([(n, types[t]) for n, t in (c.split(":") for c in spec.split())])

    common = "id:s article_id:s published:d status:s confidence:f evidence:s record:s"
    return {
        "articles": schema(
            "id:s url:s published:d title:s source:s origin:s language:s text:s clean_text:s"
        ),
        "events": schema(f"{common} cameo:s quad_class:i goldstein:f source:s target:s"),
        "claims": schema(common),
        "mentions": schema(
            "article_id:s start:i end:i sentence:i kind:s text:s code:s country:s name:s "
            "org:s role:s"
        ),
    }


def _write(path: Path, table: pa.Table) -> None:
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


# --- reading the output back -------------------------------------------------------------


def is_output(path: Path) -> bool:
    """True for a folder written by :func:`code_dask`."""
    return (path / MARKER).is_file()


def read_output(path: Path) -> Iterator[tuple[Article, str, list[Record]]]:
    """(article, cleaned text, records) for every article of a :func:`code_dask` folder,
    partition by partition (what :func:`dyad.store.ingest` takes)."""
    import pyarrow.parquet as pq

    for art_file in sorted((path / "articles").glob("part-*.parquet")):
        by_article: dict[str, list[Record]] = {}
        for table in ("events", "claims"):
            part = path / table / art_file.name
            if part.exists():
                for row in pq.read_table(part, columns=["article_id", "record"]).to_pylist():
                    record = record_from_json(json.loads(row["record"]))
                    by_article.setdefault(row["article_id"], []).append(record)
        for row in pq.read_table(art_file).to_pylist():
            article = Article(
                id=row["id"],
                text=row["text"],
                published=row["published"],
                url=row["url"],
                title=row["title"],
                source=row["source"],
                origin=row["origin"],
                language=row["language"],
            )
            records = sorted(
                by_article.get(article.id, []), key=lambda r: (r.evidence.start, r.kind != "event")
            )
            yield article, row["clean_text"], records
