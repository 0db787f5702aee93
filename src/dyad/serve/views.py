"""What each page and API endpoint shows: one typed model per view, built from the queries.

A page and its JSON twin render the same model object (the template reads its attributes,
the twin serialises it), so the two always hold the same rows. Models are pydantic, over the
frozen dataclasses of :mod:`dyad.query` and :mod:`dyad.serve.queries`, which gives the
OpenAPI schema of every response.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from dyad import query
from dyad.errors import QueryError
from dyad.query import DyadRow, Edge, EventRow, Filters, SeriesPoint
from dyad.serve.params import RawFilters
from dyad.serve.queries import (
    ArticleView,
    EventDetail,
    KnownActor,
    NotFound,
    PlacePoint,
    Stats,
    article_view,
    event_detail,
    known_actors,
    places,
    stats,
)
from dyad.store import Store

Period = Literal["day", "week", "month", "year"]
AutoPeriod = Literal["auto", "day", "week", "month", "year"]
TOP_DYADS = 10


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Problem(Model):
    """An error (RFC 9457 problem details); ``detail`` is the CLI's message."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None


class SeriesRow(Model):
    """One period: events, mentions, Goldstein sum and mean, events per quad class."""

    period: date
    events: int
    mentions: int
    goldstein_sum: float
    goldstein_mean: float | None
    quad1: int
    quad2: int
    quad3: int
    quad4: int
    cooperation: int
    conflict: int


def series_rows(points: list[SeriesPoint]) -> list[SeriesRow]:
    return [
        SeriesRow(
            period=p.period, events=p.events, mentions=p.mentions,
            goldstein_sum=p.goldstein_sum, goldstein_mean=p.goldstein_mean,
            quad1=p.quad[0], quad2=p.quad[1], quad3=p.quad[2], quad4=p.quad[3],
            cooperation=p.cooperation, conflict=p.conflict,
        )
        for p in points
    ]  # fmt: skip


class Page(Model):
    """Where a page of rows starts, its size, and the URL of the next page (None: last)."""

    limit: int
    offset: int
    next: str | None = None


class EventsPage(Page):
    items: list[EventRow]


class DyadsPage(Page):
    items: list[DyadRow]


class Overview(Model):
    """The dashboard's front page: store totals, events per day, top dyads, event places."""

    stats: Stats
    by: Period
    """The period of ``series``, chosen so that the span holds at most a few hundred."""
    series: list[SeriesRow]
    top_dyads: list[DyadRow]
    places: list[PlacePoint]


class DyadView(Page):
    """Two actors: their series (cooperation, conflict, Goldstein) and their events."""

    a: str
    b: str
    by: Period
    series: list[SeriesRow]
    items: list[EventRow]


class ActorView(Model):
    """An actor: what the knowledge base says, its busiest dyads, its latest events."""

    query: str
    known: list[KnownActor]
    dyads: list[DyadRow]
    events: list[EventRow]


class SeriesView(Model):
    by: Period
    items: list[SeriesRow]


class NetworkView(Model):
    items: list[Edge]


class ActorsView(Model):
    query: str
    items: list[KnownActor]


class EventView(Model):
    """One event with all its mentions."""

    detail: EventDetail


class ArticlePage(Model):
    article: ArticleView


class StatsView(Model):
    stats: Stats


class IngestResult(Model):
    """What a POST /articles.json changed."""

    added: int
    unchanged: int
    replaced: int
    events: int
    claims: int


# -- builders ---------------------------------------------------------------------------------


def overview(store: Store, raw: RawFilters) -> Overview:
    f = raw.filters(status=("asserted",))
    by, points = auto_series(store, f, "auto")
    return Overview(
        stats=stats(store),
        by=by,
        series=series_rows(points),
        top_dyads=query.dyads(store, replace(f, limit=TOP_DYADS)),
        places=places(store, f),
    )


def auto_series(store: Store, f: Filters, by: AutoPeriod) -> tuple[Period, list[SeriesPoint]]:
    """The series per ``by``; "auto": per day over up to three months, per week up to two
    years, per month up to ten years, else per year."""
    if by != "auto":
        return by, query.series(store, f, by)
    months = query.series(store, f, "month")
    n = len(months)
    chosen: Period = "day" if n <= 3 else "week" if n <= 24 else "month" if n <= 120 else "year"
    return chosen, months if chosen == "month" else query.series(store, f, chosen)


def events_page(store: Store, raw: RawFilters, limit: int, offset: int) -> EventsPage:
    rows = query.events(store, raw.filters(limit=limit, offset=offset))
    return EventsPage(limit=limit, offset=offset, items=rows)


def dyads_page(store: Store, raw: RawFilters, limit: int, offset: int) -> DyadsPage:
    rows = query.dyads(store, raw.filters(limit=limit, offset=offset, status=("asserted",)))
    return DyadsPage(limit=limit, offset=offset, items=rows)


def dyad_view(
    store: Store, a: str, b: str, raw: RawFilters, by: AutoPeriod, limit: int, offset: int
) -> DyadView:
    pair = replace(raw, dyad=(a, b))
    f = pair.filters(status=("asserted",))
    chosen, points = auto_series(store, f, by)
    rows = query.events(store, pair.filters(limit=limit, offset=offset))
    return DyadView(
        a=a, b=b, by=chosen, series=series_rows(points), items=rows, limit=limit, offset=offset
    )


def actor_view(store: Store, name: str, raw: RawFilters, limit: int) -> ActorView:
    try:
        known = known_actors(name)
    except NotFound:
        known = []
    pick = replace(raw, actor=name)
    asserted = replace(pick.filters(status=("asserted",)), limit=TOP_DYADS)
    listed = pick.filters(limit=limit)
    try:
        pairs = query.dyads(store, asserted)
        rows = query.events(store, listed)
    except QueryError as exc:  # the name resolves to nothing in the store
        if known:
            return ActorView(query=name, known=known, dyads=[], events=[])
        raise NotFound(str(exc)) from None
    return ActorView(query=name, known=known, dyads=pairs, events=rows)


def series_view(store: Store, raw: RawFilters, by: Period) -> SeriesView:
    points = query.series(store, raw.filters(status=("asserted",)), by)
    return SeriesView(by=by, items=series_rows(points))


def network_view(store: Store, raw: RawFilters, top: int) -> NetworkView:
    return NetworkView(items=query.network(store, raw.filters(status=("asserted",)), top=top))


def actors_view(name: str) -> ActorsView:
    return ActorsView(query=name, items=known_actors(name))


def event_view(store: Store, event_id: int) -> EventView:
    return EventView(detail=event_detail(store, event_id))


def article_page(store: Store, article_id: str) -> ArticlePage:
    return ArticlePage(article=article_view(store, article_id))


def stats_view(store: Store) -> StatsView:
    return StatsView(stats=stats(store))
