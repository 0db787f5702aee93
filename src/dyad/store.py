"""The embedded store: articles, events and claims in one DuckDB file.

Schema changes are named migrations, applied in order and recorded in ``_migrations``; a
store written by an older dyad is brought up to date when it is opened. Each article is
written in one transaction with its records, so an interrupted ingest never leaves half an
article behind. Ingesting an article that is already stored (same id, same text, same
coder) adds nothing; the same id with a new text or a new coder replaces the old records.

The full record is kept as JSON next to the columns that queries filter on, so reading an
event back gives exactly the record ``dyad code`` wrote.

Readers and a writer share the file through DuckDB's lock (see :mod:`dyad.lock`): a
:class:`Store` opens its connection on first use and :meth:`Store.release` gives it up (the
next use opens it again), :func:`ingest` writes in short batches and releases the file
between them, and opening a locked file waits for it up to a timeout.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import duckdb

from dyad._version import CODER
from dyad.errors import QueryError, StoreError
from dyad.lock import WaitReporter, connect
from dyad.model import Actor, Article, Claim, Event, Record, record_from_json
from dyad.signals import critical

if TYPE_CHECKING:
    import pyarrow as pa

    from dyad.query import Filters, Period

log = logging.getLogger(__name__)

DEFAULT_PATH = "dyad.duckdb"

BATCH_ARTICLES = 50
BATCH_SECONDS = 2.0
""":func:`ingest` writes once this many articles are coded or this many seconds have passed,
whichever comes first, and releases the file between batches so that readers get in."""

MIGRATIONS: tuple[tuple[str, str], ...] = (
    (
        "0001_initial",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            content_hash VARCHAR NOT NULL,
            coder VARCHAR NOT NULL,
            url VARCHAR,
            published DATE,
            title VARCHAR,
            source VARCHAR,
            origin VARCHAR,
            text VARCHAR NOT NULL,
            ingested_at TIMESTAMP NOT NULL
        );
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            cameo VARCHAR NOT NULL,
            cameo_root VARCHAR NOT NULL,
            quad_class INTEGER NOT NULL,
            goldstein DOUBLE NOT NULL,
            plover_type VARCHAR NOT NULL,
            source_codes VARCHAR[] NOT NULL,
            target_codes VARCHAR[] NOT NULL,
            source_keys VARCHAR[] NOT NULL,
            target_keys VARCHAR[] NOT NULL,
            date_start DATE,
            date_end DATE,
            granularity VARCHAR,
            date_basis VARCHAR,
            place VARCHAR,
            place_country VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            confidence DOUBLE NOT NULL,
            evidence VARCHAR NOT NULL,
            record JSON NOT NULL
        );
        CREATE INDEX events_article ON events(article_id);
        CREATE TABLE claims (
            id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            sentence INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            metric VARCHAR NOT NULL,
            value DOUBLE NOT NULL,
            unit VARCHAR NOT NULL,
            quantity_type VARCHAR NOT NULL,
            comparator VARCHAR NOT NULL,
            subject_keys VARCHAR[] NOT NULL,
            period_start DATE,
            period_end DATE,
            confidence DOUBLE NOT NULL,
            evidence VARCHAR NOT NULL,
            record JSON NOT NULL
        );
        CREATE INDEX claims_article ON claims(article_id);
        """,
    ),
    (
        "0002_dyads_view",
        """
        CREATE VIEW dyad_events AS
        SELECT e.id, e.article_id, s.key AS side_a, t.key AS side_b, e.cameo, e.cameo_root,
               e.quad_class, e.goldstein, e.status, e.date_start, e.date_end, e.confidence
        FROM events e,
             UNNEST(e.source_keys) AS s(key),
             UNNEST(e.target_keys) AS t(key)
        WHERE s.key <> t.key;
        """,
    ),
    (
        # Mentions (the rows of ``events``, one per coded record) grouped into events, like
        # GDELT 2.0's events and mentions tables; filled by dyad.cluster.update_events.
        # event_dyads has a row per event and pair of actor keys, with the filter columns
        # and integer hashes of the pair (pair_hash: either way round; arc_hash: directed),
        # so that dyad, series and network queries scan integers, never JSON.
        "0003_events_and_mentions",
        """
        CREATE TABLE event_groups (
            gid BIGINT NOT NULL,
            best_mention VARCHAR NOT NULL,
            article_id VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            cameo VARCHAR NOT NULL,
            cameo_base VARCHAR NOT NULL,
            cameo_root VARCHAR NOT NULL,
            quad_class INTEGER NOT NULL,
            goldstein DOUBLE NOT NULL,
            plover_type VARCHAR NOT NULL,
            date_start DATE,
            date_end DATE,
            granularity VARCHAR,
            place VARCHAR,
            place_country VARCHAR,
            lat DOUBLE,
            lon DOUBLE,
            confidence DOUBLE NOT NULL,
            num_mentions INTEGER NOT NULL,
            num_sources INTEGER NOT NULL,
            num_articles INTEGER NOT NULL,
            is_root BOOLEAN NOT NULL,
            story_id BIGINT,
            added_at TIMESTAMP,
            evidence VARCHAR NOT NULL,
            source STRUCT(key VARCHAR, code VARCHAR, country VARCHAR, org VARCHAR,
                          name VARCHAR, sectors VARCHAR[])[] NOT NULL,
            target STRUCT(key VARCHAR, code VARCHAR, country VARCHAR, org VARCHAR,
                          name VARCHAR, sectors VARCHAR[])[] NOT NULL
        );
        CREATE TABLE event_mentions (
            mention_id VARCHAR NOT NULL,
            gid BIGINT NOT NULL,
            article_id VARCHAR NOT NULL
        );
        CREATE TABLE event_actors (
            gid BIGINT NOT NULL,
            side VARCHAR NOT NULL,
            position INTEGER NOT NULL,
            key VARCHAR NOT NULL,
            code VARCHAR NOT NULL,
            country VARCHAR,
            org VARCHAR,
            name VARCHAR,
            sectors VARCHAR[] NOT NULL
        );
        CREATE TABLE event_dyads (
            gid BIGINT NOT NULL,
            source_key VARCHAR NOT NULL,
            target_key VARCHAR NOT NULL,
            day DATE,
            status VARCHAR NOT NULL,
            cameo VARCHAR NOT NULL,
            quad_class INTEGER NOT NULL,
            goldstein DOUBLE NOT NULL,
            plover_type VARCHAR NOT NULL,
            place_country VARCHAR,
            confidence DOUBLE NOT NULL,
            num_mentions INTEGER NOT NULL,
            pair_hash UBIGINT NOT NULL,
            arc_hash UBIGINT NOT NULL
        );
        CREATE TABLE article_stories (
            article_id VARCHAR NOT NULL,
            story_id BIGINT NOT NULL
        );
        CREATE INDEX event_mentions_mention ON event_mentions(mention_id);
        CREATE INDEX event_groups_gid ON event_groups(gid);
        """,
    ),
)

IngestOutcome = Literal["added", "unchanged", "replaced"]


def actor_key(actor: Actor) -> str:
    """The key a dyad is tracked by: country, else organisation, else the actor code."""
    return actor.country or actor.org or actor.code


def content_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class IngestStats:
    added: int = 0
    unchanged: int = 0
    replaced: int = 0
    events: int = 0
    claims: int = 0


@dataclass(frozen=True, slots=True)
class DyadSummary:
    """One pair of actors over the stored events, either direction."""

    a: str
    b: str
    events: int
    cooperation: int
    conflict: int
    mean_goldstein: float
    first: date | None
    last: date | None


class Store:
    """A DuckDB file holding articles, events and claims.

    The connection (``db``) opens on first use, waiting up to ``lock_timeout`` seconds (None:
    :func:`dyad.lock.default_timeout`) while another process holds the file, and reporting
    that wait once through ``on_wait``; :meth:`release` closes it until the next use.
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_PATH,
        *,
        read_only: bool = False,
        lock_timeout: float | None = None,
        on_wait: WaitReporter | None = None,
    ) -> None:
        self.path = str(path)
        self.read_only = read_only
        self.lock_timeout = lock_timeout
        self.on_wait = on_wait
        self._db: duckdb.DuckDBPyConnection | None = None
        self._borrowed = False
        if not read_only:
            self.migrate()
        elif not self._has_table("_migrations"):
            self.release()
            raise StoreError(f"{self.path}: not a dyad store (run `dyad ingest` to create one)")

    @property
    def db(self) -> duckdb.DuckDBPyConnection:
        """The open connection, opened (waiting for the lock) when there is none."""
        if self._db is None:
            self._db = connect(
                self.path,
                read_only=self.read_only,
                timeout=self.lock_timeout,
                on_wait=self.on_wait,
            )
        return self._db

    @classmethod
    def borrowing(cls, path: str | Path, connection: duckdb.DuckDBPyConnection) -> Store:
        """A read-only store over a connection (or cursor) its caller owns and closes: no
        migration check, and :meth:`release` leaves the connection open."""
        view = cls.__new__(cls)
        view.path = str(path)
        view.read_only = True
        view.lock_timeout = None
        view.on_wait = None
        view._db = connection
        view._borrowed = True
        return view

    def release(self) -> None:
        """Close the connection, freeing the file for other processes; the next use reopens."""
        if getattr(self, "_borrowed", False):
            return
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- schema -----------------------------------------------------------------------------

    def _has_table(self, name: str) -> bool:
        row = self.db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchone()
        return bool(row and row[0])

    def applied_migrations(self) -> list[str]:
        if not self._has_table("_migrations"):
            return []
        return [
            r[0] for r in self.db.execute("SELECT name FROM _migrations ORDER BY name").fetchall()
        ]

    def migrate(self) -> list[str]:
        """Apply the migrations this store lacks; returns their names."""
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations "
            "(name VARCHAR PRIMARY KEY, applied_at TIMESTAMP)"
        )
        done = set(self.applied_migrations())
        applied: list[str] = []
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            try:
                self.db.execute("BEGIN TRANSACTION")
                self.db.execute(sql)
                self.db.execute("INSERT INTO _migrations VALUES (?, ?)", [name, datetime.now(UTC)])
                self.db.execute("COMMIT")
            except duckdb.Error as exc:
                self.db.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration {name} failed: {exc}") from exc
            log.info("applied migration %s to %s", name, self.path)
            applied.append(name)
        return applied

    # -- writing -----------------------------------------------------------------------------

    def is_current(self, article: Article) -> bool:
        """True when this article, with this text, was already coded by this coder version."""
        row = self.db.execute(
            "SELECT content_hash, coder FROM articles WHERE id = ?", [article.id]
        ).fetchone()
        return row is not None and row[0] == content_hash(article.text) and row[1] == CODER

    def add(self, article: Article, text: str, records: Sequence[Record]) -> IngestOutcome:
        """Store one article (``text``: its cleaned text) and its records, atomically."""
        digest = content_hash(article.text)
        row = self.db.execute(
            "SELECT content_hash, coder FROM articles WHERE id = ?", [article.id]
        ).fetchone()
        if row is not None and row[0] == digest and row[1] == CODER:
            return "unchanged"
        outcome: IngestOutcome = "added" if row is None else "replaced"
        with critical():  # a signal waits until the article is committed or rolled back
            self._write(article, digest, text, records, existing=row is not None)
        return outcome

    def _write(
        self, article: Article, digest: str, text: str, records: Sequence[Record], *, existing: bool
    ) -> None:
        try:
            self.db.execute("BEGIN TRANSACTION")
            if existing:
                for table in ("events", "claims", "articles"):
                    column = "id" if table == "articles" else "article_id"
                    self.db.execute(f"DELETE FROM {table} WHERE {column} = ?", [article.id])
            self.db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    article.id,
                    digest,
                    CODER,
                    article.url,
                    article.published,
                    article.title,
                    article.source,
                    article.origin,
                    text,
                    datetime.now(UTC),
                ],
            )
            events = [_event_row(r) for r in records if isinstance(r, Event)]
            claims = [_claim_row(r) for r in records if isinstance(r, Claim)]
            if events:
                self.db.executemany(
                    "INSERT OR REPLACE INTO events VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    events,
                )
            if claims:
                self.db.executemany(
                    "INSERT OR REPLACE INTO claims VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    claims,
                )
            self.db.execute("COMMIT")
        except duckdb.Error as exc:
            self.db.execute("ROLLBACK")
            raise StoreError(f"{self.path}: could not store article {article.id}: {exc}") from exc
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # -- reading -----------------------------------------------------------------------------

    def count(self, table: Literal["articles", "events", "claims"]) -> int:
        row = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def events(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> Iterator[Event]:
        """Stored events, oldest first, filtered by actor, dyad and date range.

        ``actor`` matches a country, organisation or actor code, or a code prefix
        (``RUS`` finds ``RUSGOV``); ``dyad`` matches events between the two, either way round.
        """
        where: list[str] = []
        params: list[Any] = []
        if actor:
            where.append(
                "(list_contains(source_keys, ?) OR list_contains(target_keys, ?) OR "
                "EXISTS (SELECT 1 FROM unnest(list_concat(source_codes, target_codes)) AS t(c) "
                "WHERE starts_with(t.c, ?)))"
            )
            params += [actor, actor, actor]
        if dyad:
            a, b = dyad
            where.append(
                "((list_contains(source_keys, ?) AND list_contains(target_keys, ?)) OR "
                "(list_contains(source_keys, ?) AND list_contains(target_keys, ?)))"
            )
            params += [a, b, b, a]
        if since:
            where.append("coalesce(date_end, date_start) >= ?")
            params.append(since)
        if until:
            where.append("date_start <= ?")
            params.append(until)
        sql = "SELECT record FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY date_start NULLS LAST, article_id, sentence, id"
        if limit is not None:
            if limit < 0:
                raise QueryError(f"--limit must be zero or more, got {limit}")
            sql += f" LIMIT {int(limit)}"
        for (record,) in self.db.execute(sql, params).fetchall():
            rec = record_from_json(json.loads(record))
            assert isinstance(rec, Event)
            yield rec

    def claims(self, *, limit: int | None = None) -> Iterator[Claim]:
        sql = "SELECT record FROM claims ORDER BY period_start NULLS LAST, article_id, sentence"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        for (record,) in self.db.execute(sql).fetchall():
            rec = record_from_json(json.loads(record))
            assert isinstance(rec, Claim)
            yield rec

    def dyads(self, *, min_events: int = 1) -> list[DyadSummary]:
        """Per pair of actors (either direction): counts, cooperation/conflict, Goldstein."""
        rows = self.db.execute(
            """
            SELECT least(side_a, side_b) AS a, greatest(side_a, side_b) AS b,
                   count(DISTINCT id) AS n,
                   count(DISTINCT id) FILTER (WHERE quad_class IN (1, 2)) AS coop,
                   count(DISTINCT id) FILTER (WHERE quad_class IN (3, 4)) AS conflict,
                   avg(goldstein) AS g, min(date_start), max(coalesce(date_end, date_start))
            FROM dyad_events
            WHERE status = 'asserted'
            GROUP BY 1, 2
            HAVING count(DISTINCT id) >= ?
            ORDER BY n DESC, a, b
            """,
            [min_events],
        ).fetchall()
        return [
            DyadSummary(a, b, int(n), int(coop), int(conf), round(float(g), 2), first, last)
            for a, b, n, coop, conf, g, first, last in rows
        ]

    # -- analysis (grouped events, as Arrow tables; see dyad.query and dyad.frames) ----------

    def events_frame(self, filters: Filters | None = None) -> pa.Table:
        """Events (grouped mentions), one row per event, as an Arrow table."""
        from dyad.frames import events_table
        from dyad.query import Filters

        return events_table(self, filters or Filters())

    def mentions_frame(self, filters: Filters | None = None) -> pa.Table:
        """Mentions of the events, one row per coded record, as an Arrow table."""
        from dyad.frames import mentions_table
        from dyad.query import Filters

        return mentions_table(self, filters or Filters())

    def series(
        self,
        dyad: tuple[str, str] | None = None,
        *,
        by: Period = "month",
        filters: Filters | None = None,
    ) -> pa.Table:
        """Per period, zero-filled: events, mentions, Goldstein and quad counts (Arrow)."""
        from dataclasses import replace as _replace

        from dyad.query import Filters, series_table

        f = filters or Filters(status=("asserted",))
        return series_table(self, _replace(f, dyad=dyad or f.dyad), by)

    def close(self) -> None:
        self.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _event_row(e: Event) -> list[Any]:
    d, loc = e.date, e.location
    return [
        e.id,
        e.article.id,
        e.sentence,
        e.status,
        e.cameo,
        e.cameo_root,
        e.quad_class,
        e.goldstein,
        e.plover.type,
        [a.code for a in e.source],
        [a.code for a in e.target],
        [actor_key(a) for a in e.source],
        [actor_key(a) for a in e.target],
        d.start if d else None,
        d.end if d else None,
        d.granularity if d else None,
        d.basis if d else None,
        loc.name if loc else None,
        loc.country if loc else None,
        loc.lat if loc else None,
        loc.lon if loc else None,
        e.confidence,
        e.evidence.text,
        json.dumps(e.to_json(), ensure_ascii=False),
    ]


def _claim_row(c: Claim) -> list[Any]:
    p = c.period
    return [
        c.id,
        c.article.id,
        c.sentence,
        c.status,
        c.metric,
        c.quantity.value,
        c.quantity.unit,
        c.quantity.type,
        c.quantity.comparator,
        [actor_key(a) for a in c.subject],
        p.start if p else None,
        p.end if p else None,
        c.confidence,
        c.evidence.text,
        json.dumps(c.to_json(), ensure_ascii=False),
    ]


def open_store(
    path: str | Path = DEFAULT_PATH,
    *,
    read_only: bool = False,
    lock_timeout: float | None = None,
    on_wait: WaitReporter | None = None,
) -> Store:
    """Open (creating and migrating as needed) the DuckDB store at ``path``.

    While another process holds the file, opening waits up to ``lock_timeout`` seconds
    (default: ``DYAD_LOCK_TIMEOUT`` or 60) and calls ``on_wait`` once with a message.
    """
    return Store(path, read_only=read_only, lock_timeout=lock_timeout, on_wait=on_wait)


Triple = tuple[Article, str, Sequence[Record]]


def ingest(
    store: Store,
    items: Iterable[Triple],
    *,
    progress: Callable[[IngestStats], None] | None = None,
) -> IngestStats:
    """Store many (article, cleaned text, records) triples; returns what changed.

    Items are written in batches (:data:`BATCH_ARTICLES`, :data:`BATCH_SECONDS`), one
    transaction per article, and the file is released while the next batch is coded. When
    pulling the next item raises (an interrupt, a failing stage), the articles already coded
    are written first. ``progress`` gets the totals after every batch.
    """
    store.release()
    stats = IngestStats()
    batch: list[Triple] = []
    started = time.monotonic()
    try:
        for item in items:
            if not batch:
                started = time.monotonic()
            batch.append(item)
            if len(batch) >= BATCH_ARTICLES or time.monotonic() - started >= BATCH_SECONDS:
                stats = _write_batch(store, batch, stats, progress)
    finally:
        stats = _write_batch(store, batch, stats, progress)
    return stats


def _write_batch(
    store: Store,
    batch: list[Triple],
    stats: IngestStats,
    progress: Callable[[IngestStats], None] | None,
) -> IngestStats:
    """Write and empty ``batch``, group its mentions into events (:mod:`dyad.cluster`), then
    release the file; the updated totals."""
    if not batch:
        return stats
    changed = False
    try:
        for article, text, records in batch:
            outcome = store.add(article, text, records)
            stats = _count(stats, outcome, records)
            changed = changed or outcome != "unchanged"
        if changed:
            from dyad.cluster import update_events

            with critical():  # mentions and their events stay consistent for readers
                update_events(store)
    finally:
        batch.clear()
        store.release()
    if progress is not None:
        progress(stats)
    return stats


def _count(stats: IngestStats, outcome: IngestOutcome, records: Sequence[Record]) -> IngestStats:
    if outcome == "unchanged":
        return replace(stats, unchanged=stats.unchanged + 1)
    events = sum(1 for r in records if isinstance(r, Event))
    claims = len(records) - events
    return IngestStats(
        added=stats.added + (outcome == "added"),
        unchanged=stats.unchanged,
        replaced=stats.replaced + (outcome == "replaced"),
        events=stats.events + events,
        claims=stats.claims + claims,
    )
