"""Queries over the store's events (grouped mentions): typed filters in, frozen rows out.

Plain functions over a :class:`~dyad.store.Store`, for the CLI and for any other front end
(a web server renders the same functions): the filters are one frozen dataclass
(:class:`Filters`, with paging), actors are given by name or by code and resolved through the
knowledge base (:func:`resolve_actor`; an unknown name is a :class:`QueryError` that suggests
close matches, never a silent empty answer), and every answer is a list of frozen dataclasses
or an Arrow table.

Dyad, series and network queries read ``event_dyads`` (one row per event and pair of actor
keys, with the filter columns beside them), so that they never read the JSON records.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TypeAlias

import pyarrow as pa

from dyad.cluster import ARC_HASH, PAIR_HASH
from dyad.errors import QueryError
from dyad.model import Event, record_from_json
from dyad.store import Store, open_store

Period: TypeAlias = Literal["day", "week", "month", "year"]
Measure: TypeAlias = Literal["events", "mentions", "goldstein", "quad"]
_PLAIN_KEY = re.compile(r"[A-Z0-9_]+$")
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")
MEASURES: tuple[Measure, ...] = ("events", "mentions", "goldstein", "quad")
STATUSES = ("asserted", "negated", "future", "hypothetical")


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """What an actor argument resolved to: an actor key (country, organisation or code), a
    code prefix, or a person's canonical name."""

    query: str
    key: str | None = None
    code_prefix: str | None = None
    name: str | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Filters:
    """Which events a query reads. Empty tuples and None mean "any"."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    directed: bool = False
    since: date | None = None
    until: date | None = None
    status: tuple[str, ...] = ()
    min_confidence: float | None = None
    quad_class: tuple[int, ...] = ()
    cameo: str | None = None
    plover: str | None = None
    country: str | None = None
    """ISO alpha-3 country of the event's place."""
    limit: int | None = None
    offset: int = 0

    def check(self) -> Filters:
        """The filters, or a QueryError naming the bad one and how to write it."""
        bad = [s for s in self.status if s not in STATUSES]
        if bad:
            raise QueryError(f"--status {bad[0]!r} is not one of {', '.join(STATUSES)}")
        if any(q not in (1, 2, 3, 4) for q in self.quad_class):
            raise QueryError("--quad must be 1, 2, 3 or 4")
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise QueryError(f"--min-confidence must be within 0..1, got {self.min_confidence}")
        if self.limit is not None and self.limit < 0:
            raise QueryError(f"--limit must be zero or more, got {self.limit}")
        if self.offset < 0:
            raise QueryError(f"--offset must be zero or more, got {self.offset}")
        if self.cameo is not None and not self.cameo.isdigit():
            raise QueryError(f"--cameo {self.cameo!r} is not a CAMEO code prefix such as 04 or 172")
        if self.since and self.until and self.until < self.since:
            raise QueryError(f"--until {self.until} is before --since {self.since}")
        return self


ALL_EVENTS = Filters()
"""The filters that select every event."""


@dataclass(frozen=True, slots=True)
class EventActor:
    key: str
    code: str
    country: str | None
    org: str | None
    name: str | None
    sectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event (a group of mentions) with its best evidence and its counts."""

    event_id: int
    date_start: date | None
    date_end: date | None
    granularity: str | None
    source: tuple[EventActor, ...]
    target: tuple[EventActor, ...]
    cameo: str
    quad_class: int
    goldstein: float
    plover_type: str
    status: str
    place: str | None
    place_country: str | None
    confidence: float
    num_mentions: int
    num_sources: int
    num_articles: int
    story_id: int | None
    best_mention: str
    article_id: str
    evidence: str


@dataclass(frozen=True, slots=True)
class DyadRow:
    """A pair of actors (directed: a acts on b; undirected: either way round)."""

    a: str
    b: str
    events: int
    mentions: int
    cooperation: int
    conflict: int
    mean_goldstein: float
    first: date | None
    last: date | None


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of a series: counts, mentions, Goldstein sum and mean, events per quad."""

    period: date
    events: int
    mentions: int
    goldstein_sum: float
    goldstein_mean: float | None
    quad: tuple[int, int, int, int] = field(default=(0, 0, 0, 0))

    @property
    def cooperation(self) -> int:
        return self.quad[0] + self.quad[1]

    @property
    def conflict(self) -> int:
        return self.quad[2] + self.quad[3]


@dataclass(frozen=True, slots=True)
class Edge:
    """A directed, weighted edge of the network: source acts on target."""

    source: str
    target: str
    events: int
    mentions: int
    cooperation: int
    conflict: int
    mean_goldstein: float


def arrow(db: Any, sql: str, params: Sequence[Any]) -> pa.Table:
    """A query's result as an Arrow table, without a copy through Python rows."""
    cursor = db.cursor()  # a result still pending on ``db`` must not block this one
    try:
        rel = cursor.sql(sql, params=list(params))
        fetch = getattr(rel, "to_arrow_table", None) or rel.fetch_arrow_table
        table: pa.Table = fetch()
    finally:
        cursor.close()
    return table


# -- actors -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _known_names() -> tuple[str, ...]:
    from dyad.actors.kb import load_kb
    from dyad.actors.offices import load_offices

    kb = load_kb()
    names = {n for c in kb.countries.values() for n in (c.name, *c.names)}
    names |= {n for o in kb.organizations.values() for n in (o.name, *o.names, o.key)}
    names |= {p.name for p in load_offices().all_people()}
    return tuple(sorted(names))


def _stored_keys(store: Store) -> set[str]:
    rows = store.db.execute("SELECT DISTINCT key FROM event_actors").fetchall()
    return {r[0] for r in rows}


def resolve_actor(store: Store, text: str) -> ActorMatch:
    """An actor given by code (``RUS``, ``RUSGOV``, ``NATO``) or name (``Russia``,
    ``the Kremlin``, ``Lavrov``), or a QueryError that suggests close matches."""
    from dyad.actors.kb import load_kb
    from dyad.actors.offices import load_offices

    query = text.strip()
    if not query:
        raise QueryError("an actor must be a name or a code, got an empty string")
    upper = query.upper()
    kb = load_kb()
    country = kb.country_by_code(upper) if upper.isalpha() and len(upper) == 3 else None
    if country is not None:
        return ActorMatch(query, key=country.iso3, label=country.name)
    org = kb.organizations.get(upper)
    if org is not None:
        return ActorMatch(query, key=org.key, label=org.name)
    if upper in _stored_keys(store):
        return ActorMatch(query, key=upper, label=upper)
    if query.isupper() and query.isalnum():
        rows = store.db.execute(
            "SELECT count(*) FROM event_actors WHERE starts_with(code, ?)", [upper]
        ).fetchall()
        if rows[0][0]:
            return ActorMatch(query, code_prefix=upper, label=f"{upper}*")
    for alias in kb.lookup(query):
        if alias.kind == "org":
            o = kb.organizations[alias.key]
            return ActorMatch(query, key=o.key, label=o.name)
        if alias.key in kb.countries:
            c = kb.countries[alias.key]
            if alias.sector is None:
                return ActorMatch(query, key=c.iso3, label=c.name)
            return ActorMatch(query, code_prefix=c.code + alias.sector, label=c.code + alias.sector)
    offices = load_offices()
    people = offices.people(query) or offices.people_weak(query)
    if people:
        return ActorMatch(query, name=people[0].name, label=people[0].name)
    close = difflib.get_close_matches(query, [*_known_names(), *_stored_keys(store)], n=5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise QueryError(
        f"actor {query!r} is neither a code in the store nor a name dyad knows{hint} "
        "(`dyad actors NAME` shows what dyad knows)"
    )


def _actor_sql(m: ActorMatch, side: str | None) -> tuple[str, list[Any]]:
    """A condition on ``event_actors`` (alias x) for one resolved actor."""
    where = "" if side is None else f"x.side = '{side}' AND "
    if m.key is not None:
        return where + "x.key = ?", [m.key]
    if m.code_prefix is not None:
        return where + "starts_with(x.code, ?)", [m.code_prefix]
    return where + "x.name = ?", [m.name]


# -- SQL over the filters ---------------------------------------------------------------------


def _common_where(f: Filters, day: str, day_end: str, t: str) -> tuple[list[str], list[Any]]:
    """Conditions on the columns event_groups and event_dyads share (``t``: alias prefix)."""
    where: list[str] = []
    params: list[Any] = []
    if f.since:
        where.append(f"coalesce({day_end}, {day}) >= ?")
        params.append(f.since)
    if f.until:
        where.append(f"{day} <= ?")
        params.append(f.until)
    if f.status:
        where.append(f"{t}status IN ({', '.join('?' for _ in f.status)})")
        params += list(f.status)
    if f.min_confidence is not None:
        where.append(f"{t}confidence >= ?")
        params.append(f.min_confidence)
    if f.quad_class:
        where.append(f"{t}quad_class IN ({', '.join('?' for _ in f.quad_class)})")
        params += list(f.quad_class)
    if f.cameo:
        where.append(f"starts_with({t}cameo, ?)")
        params.append(f.cameo)
    if f.plover:
        where.append(f"{t}plover_type = ?")
        params.append(f.plover.upper())
    if f.country:
        where.append(f"{t}place_country = ?")
        params.append(f.country.upper())
    return where, params


def _pair_hashes(store: Store, a: str, b: str) -> tuple[int, int]:
    """(pair_hash, arc_hash) of two actor keys, computed once, as event_dyads stores them."""
    pair, arc = PAIR_HASH.format(a="?", b="?"), ARC_HASH.format(a="?", b="?")
    rows = store.db.execute(f"SELECT {pair}, {arc}", [a, b, a, b, a, b]).fetchall()
    return int(rows[0][0]), int(rows[0][1])


def _dyad_pair_sql(
    store: Store, a: ActorMatch, b: ActorMatch, directed: bool
) -> tuple[str, list[Any]]:
    """A condition on event_dyads for a dyad of two key-resolved actors: one integer
    comparison (64-bit hashes of the keys; a collision among the few thousand pairs a store
    holds is about as likely as a disk error)."""
    assert a.key is not None and b.key is not None
    pair, arc = _pair_hashes(store, a.key, b.key)
    return ("arc_hash = ?", [arc]) if directed else ("pair_hash = ?", [pair])


def _side_in(m: ActorMatch, side: str) -> tuple[str, list[Any]]:
    cond, params = _actor_sql(m, side)
    return f"g.gid IN (SELECT x.gid FROM event_actors x WHERE {cond})", params


def _dyad_groups_sql(
    store: Store, a: ActorMatch, b: ActorMatch, directed: bool
) -> tuple[str, list[Any]]:
    """A condition on event_groups (alias g) for a dyad."""
    if a.key is not None and b.key is not None:
        cond, params = _dyad_pair_sql(store, a, b, directed)
        return f"g.gid IN (SELECT gid FROM event_dyads WHERE {cond})", params
    sa, pa_ = _side_in(a, "source")
    tb, pb_ = _side_in(b, "target")
    cond, params = f"({sa} AND {tb})", [*pa_, *pb_]
    if not directed:
        sb, qb = _side_in(b, "source")
        ta, qa = _side_in(a, "target")
        cond, params = f"({cond} OR ({sb} AND {ta}))", [*params, *qb, *qa]
    return cond, params


def _groups_where(store: Store, f: Filters) -> tuple[str, list[Any]]:
    """WHERE clause over event_groups (alias g)."""
    where, params = _common_where(f, "g.date_start", "g.date_end", "g.")
    if f.actor:
        cond, p = _actor_sql(resolve_actor(store, f.actor), None)
        where.append(f"g.gid IN (SELECT x.gid FROM event_actors x WHERE {cond})")
        params += p
    if f.dyad:
        a, b = (resolve_actor(store, x) for x in f.dyad)
        cond, p = _dyad_groups_sql(store, a, b, f.directed)
        where.append(cond)
        params += p
    return (" WHERE " + " AND ".join(where)) if where else "", params


def _page(f: Filters) -> str:
    sql = ""
    if f.limit is not None:
        sql += f" LIMIT {int(f.limit)}"
    if f.offset:
        sql += f" OFFSET {int(f.offset)}"
    return sql


# -- events -----------------------------------------------------------------------------------

_EVENT_COLUMNS = """
g.gid, g.date_start, g.date_end, g.granularity, g.cameo, g.quad_class, g.goldstein,
g.plover_type, g.status, g.place, g.place_country, g.confidence, g.num_mentions,
g.num_sources, g.num_articles, g.story_id, g.best_mention, g.article_id, g.evidence,
g.source, g.target
"""


def _actors(values: Sequence[dict[str, Any]]) -> tuple[EventActor, ...]:
    return tuple(
        EventActor(v["key"], v["code"], v["country"], v["org"], v["name"], tuple(v["sectors"]))
        for v in values
    )


def events(store: Store, filters: Filters = ALL_EVENTS) -> list[EventRow]:
    """Events, oldest first, with their actors, counts and best evidence."""
    f = filters.check()
    where, params = _groups_where(store, f)
    rows = store.db.execute(
        f"SELECT {_EVENT_COLUMNS} FROM event_groups g{where} "
        f"ORDER BY g.date_start NULLS LAST, g.article_id, g.gid{_page(f)}",
        params,
    ).fetchall()
    out = []
    for gid, start, end, gran, cameo, quad, gold, plover, *rest in rows:
        status, place, country, conf, n, s, a, story, best, article, evidence, src, tgt = rest
        out.append(
            EventRow(
                gid, start, end, gran, _actors(src), _actors(tgt), cameo, quad, gold, plover,
                status, place, country, conf, n, s, a, story, best, article, evidence,
            )
        )  # fmt: skip
    return out


# -- dyads, series, network -------------------------------------------------------------------


def _dyads_where(store: Store, f: Filters) -> tuple[str, list[Any], bool]:
    """WHERE over event_dyads when the filters allow it (keys only); else False."""
    where, params = _common_where(f, "day", "day", "")
    if f.actor:
        return "", [], False
    if f.dyad:
        a, b = (resolve_actor(store, x) for x in f.dyad)
        if a.key is None or b.key is None:
            return "", [], False
        cond, p = _dyad_pair_sql(store, a, b, f.directed)
        where.append(cond)
        params += p
    return (" WHERE " + " AND ".join(where)) if where else "", params, True


def _dyad_rows_sql(store: Store, f: Filters) -> tuple[str, list[Any]]:
    """A query of event_dyads rows (gid, source_key, target_key, day, quad_class, goldstein,
    num_mentions) under the filters."""
    cols = (
        "d.gid, d.source_key, d.target_key, d.day, d.quad_class, d.goldstein, d.num_mentions, "
        "d.arc_hash"
    )
    where, params, fast = _dyads_where(store, f)
    if fast:
        return f"SELECT {cols} FROM event_dyads d{where}", params
    gwhere, gparams = _groups_where(store, f)
    return (
        f"SELECT {cols} FROM event_dyads d WHERE d.gid IN (SELECT g.gid FROM event_groups g"
        f"{gwhere})",
        gparams,
    )


def dyads(store: Store, filters: Filters = ALL_EVENTS) -> list[DyadRow]:
    """Per pair of actors: events, mentions, cooperation and conflict, mean Goldstein, dates.

    Undirected unless ``filters.directed``: then (a, b) counts what a did to b."""
    f = filters.check()
    rows_sql, params = _dyad_rows_sql(store, replace(f, limit=None, offset=0))
    a, b = (
        ("source_key", "target_key")
        if f.directed
        else ("least(source_key, target_key)", "greatest(source_key, target_key)")
    )
    keys = _dyad_keys(store, f)
    if keys is not None:  # one known pair: no need to read the key columns
        x, y = keys if f.directed else sorted(keys)
        a, b = (f"'{x}'", f"'{y}'")
    rows = store.db.execute(
        f"""
        WITH r AS ({rows_sql}),
        p AS (SELECT DISTINCT gid, {a} AS a, {b} AS b, day, quad_class, goldstein, num_mentions
              FROM r)
        SELECT a, b, count(*) AS n, sum(num_mentions),
               count(*) FILTER (WHERE quad_class IN (1, 2)),
               count(*) FILTER (WHERE quad_class IN (3, 4)),
               avg(goldstein), min(day), max(day)
        FROM p GROUP BY a, b ORDER BY n DESC, a, b{_page(f)}
        """,
        params,
    ).fetchall()
    return [
        DyadRow(x, y, int(n), int(m), int(c), int(k), round(float(g), 2), lo, hi)
        for x, y, n, m, c, k, g, lo, hi in rows
    ]


def _dyad_keys(store: Store, f: Filters) -> tuple[str, str] | None:
    """The two actor keys of a dyad filter, when both are keys of the plain kind."""
    if not f.dyad or f.actor:
        return None
    a, b = (resolve_actor(store, x) for x in f.dyad)
    if a.key is None or b.key is None or not all(_PLAIN_KEY.match(k) for k in (a.key, b.key)):
        return None
    return a.key, b.key


def series_table(store: Store, filters: Filters, by: Period = "month") -> pa.Table:
    """Per period (zero-filled between the first and last, or --since and --until): events,
    mentions, Goldstein sum and mean, and events per quad class, as an Arrow table."""
    if by not in PERIODS:
        raise QueryError(f"--by {by!r} is not one of {', '.join(PERIODS)}")
    f = replace(filters.check(), limit=None, offset=0)
    rows_sql, params = _dyad_rows_sql(store, f) if f.dyad else _group_rows_sql(store, f)
    lo = f"DATE '{f.since.isoformat()}'" if f.since else "d0"
    hi = f"DATE '{f.until.isoformat()}'" if f.until else "d1"
    sql = f"""
        WITH r AS ({rows_sql}),
        p AS (SELECT DISTINCT gid, day, quad_class, goldstein, num_mentions FROM r
              WHERE day IS NOT NULL),
        a AS (SELECT CAST(date_trunc('{by}', day) AS DATE) AS period, count(*) AS events,
                     sum(num_mentions) AS mentions, sum(goldstein) AS goldstein_sum,
                     avg(goldstein) AS goldstein_mean,
                     count(*) FILTER (WHERE quad_class = 1) AS quad1,
                     count(*) FILTER (WHERE quad_class = 2) AS quad2,
                     count(*) FILTER (WHERE quad_class = 3) AS quad3,
                     count(*) FILTER (WHERE quad_class = 4) AS quad4
              FROM p GROUP BY 1),
        span AS (SELECT CAST(date_trunc('{by}', {lo}) AS DATE) AS lo,
                        CAST(date_trunc('{by}', {hi}) AS DATE) AS hi
                 FROM (SELECT min(day) AS d0, max(day) AS d1 FROM p)),
        periods AS (SELECT CAST(unnest(generate_series(lo, hi, INTERVAL 1 {by})) AS DATE)
                    AS period FROM span WHERE lo IS NOT NULL)
        SELECT periods.period,
               CAST(coalesce(events, 0) AS BIGINT) AS events,
               CAST(coalesce(mentions, 0) AS BIGINT) AS mentions,
               coalesce(goldstein_sum, 0.0) AS goldstein_sum, goldstein_mean,
               CAST(coalesce(quad1, 0) AS BIGINT) AS quad1,
               CAST(coalesce(quad2, 0) AS BIGINT) AS quad2,
               CAST(coalesce(quad3, 0) AS BIGINT) AS quad3,
               CAST(coalesce(quad4, 0) AS BIGINT) AS quad4,
               CAST(coalesce(quad1, 0) + coalesce(quad2, 0) AS BIGINT) AS cooperation,
               CAST(coalesce(quad3, 0) + coalesce(quad4, 0) AS BIGINT) AS conflict
        FROM periods LEFT JOIN a USING (period) ORDER BY periods.period
    """
    return arrow(store.db, sql, params)


def _group_rows_sql(store: Store, f: Filters) -> tuple[str, list[Any]]:
    where, params = _groups_where(store, f)
    return (
        "SELECT g.gid, NULL AS source_key, NULL AS target_key, g.date_start AS day, "
        f"g.quad_class, g.goldstein, g.num_mentions, NULL AS arc_hash FROM event_groups g{where}",
        params,
    )


def series(store: Store, filters: Filters, by: Period = "month") -> list[SeriesPoint]:
    """:func:`series_table` as frozen rows."""
    table = series_table(store, filters, by)
    return [
        SeriesPoint(
            r["period"], r["events"], r["mentions"], round(r["goldstein_sum"], 2),
            None if r["goldstein_mean"] is None else round(r["goldstein_mean"], 2),
            (r["quad1"], r["quad2"], r["quad3"], r["quad4"]),
        )
        for r in table.to_pylist()
    ]  # fmt: skip


def network(store: Store, filters: Filters = ALL_EVENTS, top: int | None = 50) -> list[Edge]:
    """Directed weighted edges (source acts on target), the ``top`` busiest first."""
    f = replace(filters.check(), limit=None, offset=0, dyad=None)
    rows_sql, params = _dyad_rows_sql(store, f)
    limit = "" if top is None else f" LIMIT {int(top)}"
    rows = store.db.execute(
        f"""
        SELECT any_value(source_key) AS s, any_value(target_key) AS t,
               count(DISTINCT gid) AS n, sum(num_mentions),
               count(*) FILTER (WHERE quad_class IN (1, 2)),
               count(*) FILTER (WHERE quad_class IN (3, 4)), avg(goldstein)
        FROM ({rows_sql}) GROUP BY arc_hash
        ORDER BY n DESC, s, t{limit}
        """,
        params,
    ).fetchall()
    return [
        Edge(s, t, int(n), int(m), int(c), int(k), round(float(g), 2))
        for s, t, n, m, c, k, g in rows
    ]


# -- opening --------------------------------------------------------------------------------


def needs_upgrade(store: Store) -> bool:
    """True when the store lacks migrations or holds mentions not yet grouped into events."""
    from dyad.store import MIGRATIONS

    if set(store.applied_migrations()) != {name for name, _ in MIGRATIONS}:
        return True
    row = store.db.execute(
        "SELECT (SELECT count(*) FROM events) - (SELECT count(*) FROM event_mentions)"
    ).fetchone()
    return bool(row and row[0])


def open_for_query(path: str | Path) -> Store:
    """Open a store read-only, first upgrading it in place when an older dyad wrote it."""
    from dyad.cluster import update_events

    store = open_store(path, read_only=True)
    if not needs_upgrade(store):
        return store
    store.close()
    with open_store(path) as writable:
        update_events(writable)
    return open_store(path, read_only=True)


# -- records and plain values for front ends ---------------------------------------------------


def best_records(store: Store, rows: Sequence[EventRow]) -> dict[str, Event]:
    """The full record of each event's best mention, by mention id."""
    ids = [r.best_mention for r in rows]
    if not ids:
        return {}
    found = store.db.execute(
        "SELECT id, record FROM events WHERE id IN (SELECT unnest(?))", [ids]
    ).fetchall()
    out: dict[str, Event] = {}
    for mid, record in found:
        rec = record_from_json(json.loads(record))
        assert isinstance(rec, Event)
        out[mid] = rec
    return out


def mention_records(store: Store, filters: Filters = ALL_EVENTS) -> list[Event]:
    """Every mention (coded record) of the selected events, oldest first."""
    f = filters.check()
    where, params = _groups_where(store, f)
    rows = store.db.execute(
        "SELECT e.record FROM events e JOIN event_mentions m ON m.mention_id = e.id "
        f"WHERE m.gid IN (SELECT g.gid FROM event_groups g{where}) "
        f"ORDER BY e.date_start NULLS LAST, e.article_id, e.sentence, e.id{_page(f)}",
        params,
    ).fetchall()
    out = []
    for (record,) in rows:
        rec = record_from_json(json.loads(record))
        assert isinstance(rec, Event)
        out.append(rec)
    return out


def event_counts_json(row: EventRow) -> dict[str, Any]:
    """The fields an event adds to its best mention's record in JSONL output."""
    return {
        "event_id": row.event_id,
        "num_mentions": row.num_mentions,
        "num_sources": row.num_sources,
        "num_articles": row.num_articles,
        "story_id": row.story_id,
    }


def to_json(row: DyadRow | Edge | SeriesPoint) -> dict[str, Any]:
    """A result row as a JSON object (dates as YYYY-MM-DD)."""
    out = {}
    for f in fields(row):
        value = getattr(row, f.name)
        out[f.name] = value.isoformat() if isinstance(value, date) else value
    return out


def series_row(point: SeriesPoint, measure: Measure) -> dict[str, Any]:
    """A series point as a row with the columns of one measure."""
    row: dict[str, Any] = {"period": point.period.isoformat()}
    if measure == "events":
        row.update(events=point.events, cooperation=point.cooperation, conflict=point.conflict)
    elif measure == "mentions":
        row.update(mentions=point.mentions, events=point.events)
    elif measure == "goldstein":
        row.update(goldstein_sum=point.goldstein_sum, goldstein_mean=point.goldstein_mean)
    else:
        row.update({f"quad{i + 1}": n for i, n in enumerate(point.quad)})
    return row
