"""The queries the server needs beyond :mod:`dyad.query`: one event with all its mentions,
an article with its evidence marked, store statistics, event places, actor lookups.

Plain functions over a read-only :class:`~dyad.store.Store`, returning frozen dataclasses,
like :mod:`dyad.query` (which they use and never change). Text is returned as *segments*
(plain text, or text with a mark such as ``trigger``) so that a front end escapes every piece
and adds its own markup; no function here writes HTML.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from dyad.actors.lookup import Known, lookup
from dyad.errors import QueryError
from dyad.model import Event, record_from_json
from dyad.query import EventRow, Filters, events
from dyad.store import Store

MAP_MAX_EVENTS = 5000
"""The map plots the places of at most this many events (the first, oldest first)."""


class NotFound(QueryError):
    """An event, article or actor asked for by id is not in the store."""


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text; ``mark`` says what it is (None: plain text)."""

    text: str
    mark: str | None = None
    ref: str | None = None
    """What the piece points at (a mention id for marked evidence)."""


@dataclass(frozen=True, slots=True)
class Mark:
    start: int
    end: int
    mark: str
    ref: str | None = None


def segments(text: str, marks: Sequence[Mark]) -> tuple[Segment, ...]:
    """``text`` cut at the marks (overlaps: the earlier mark wins, later ones are clipped)."""
    out: list[Segment] = []
    pos = 0
    for m in sorted(marks, key=lambda m: (m.start, -m.end)):
        start, end = max(m.start, pos), min(m.end, len(text))
        if end <= start:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], m.mark, m.ref))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return tuple(out)


def _find(text: str, needle: str, taken: Sequence[Mark]) -> int:
    """Where ``needle`` first occurs as whole words in ``text`` outside the marks already
    taken, or -1."""
    if not needle:
        return -1
    for m in re.finditer(rf"(?<!\w){re.escape(needle)}(?!\w)", text):
        start, end = m.span()
        if all(start >= t.end or end <= t.start for t in taken):
            return start
    return -1


def evidence_segments(e: Event) -> tuple[Segment, ...]:
    """The mention's evidence sentence with its trigger and its actors marked."""
    text, base = e.evidence.text, e.evidence.start
    marks: list[Mark] = []
    if e.trigger.text and e.evidence.start <= e.trigger.start < e.evidence.end:
        marks.append(Mark(e.trigger.start - base, e.trigger.end - base, "trigger"))
    for side, actors in (("source", e.source), ("target", e.target)):
        for a in actors:
            at = _find(text, a.text, marks)
            if at >= 0:
                marks.append(Mark(at, at + len(a.text), side))
    return segments(text, marks)


@dataclass(frozen=True, slots=True)
class MentionView:
    """One mention of an event: its article, its own evidence, confidence and codes."""

    mention_id: str
    article_id: str
    url: str | None
    published: date | None
    source_name: str | None
    sentence: int
    status: str
    cameo: str
    confidence: float
    date_start: date | None
    place: str | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    trigger: str
    evidence: str
    evidence_start: int
    evidence_end: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: EventRow
    cameo_name: str
    """The CAMEO code's name in the ontology ("" for an unknown code)."""
    lat: float | None
    lon: float | None
    mentions: tuple[MentionView, ...]


def _mention_view(e: Event, source_name: str | None) -> MentionView:
    return MentionView(
        mention_id=e.id,
        article_id=e.article.id,
        url=e.article.url,
        published=e.article.published,
        source_name=source_name,
        sentence=e.sentence,
        status=e.status,
        cameo=e.cameo,
        confidence=e.confidence,
        date_start=e.date.start if e.date else None,
        place=e.location.name if e.location else None,
        source=tuple(a.code for a in e.source),
        target=tuple(a.code for a in e.target),
        trigger=e.trigger.text,
        evidence=e.evidence.text,
        evidence_start=e.evidence.start,
        evidence_end=e.evidence.end,
        segments=evidence_segments(e),
    )


def _event_row(store: Store, event_id: int) -> tuple[EventRow, float | None, float | None]:
    """The one event with this id, found by its date so that :func:`events` filters it."""
    row = store.db.execute(
        "SELECT date_start, date_end, lat, lon FROM event_groups WHERE gid = ?", [event_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"event {event_id} is not in the store")
    start, _end, lat, lon = row
    for r in events(store, Filters(since=start, until=start) if start else Filters()):
        if r.event_id == event_id:
            return r, lat, lon
    raise NotFound(f"event {event_id} is not in the store")


def event_detail(store: Store, event_id: int) -> EventDetail:
    """One event with every mention (its own evidence, trigger and actors marked)."""
    row, lat, lon = _event_row(store, event_id)
    found = store.db.execute(
        "SELECT e.record, a.source FROM event_mentions m JOIN events e ON e.id = m.mention_id "
        "JOIN articles a ON a.id = e.article_id WHERE m.gid = ? "
        "ORDER BY a.published NULLS LAST, e.article_id, e.sentence, e.id",
        [event_id],
    ).fetchall()
    views = []
    for record, source in found:
        rec = record_from_json(json.loads(record))
        assert isinstance(rec, Event)
        views.append(_mention_view(rec, source))
    from dyad.events.ontology import load_ontology

    code = load_ontology().get(row.cameo)
    return EventDetail(row, code.name if code else "", lat, lon, tuple(views))


@dataclass(frozen=True, slots=True)
class ArticleEvent:
    """A mention an article holds, with the event it belongs to."""

    mention_id: str
    event_id: int | None
    cameo: str
    evidence_start: int
    evidence_end: int


@dataclass(frozen=True, slots=True)
class ArticleView:
    """A stored article: its cleaned text, cut into segments with each evidence marked."""

    article_id: str
    title: str | None
    url: str | None
    source: str | None
    published: date | None
    text: str
    mentions: tuple[ArticleEvent, ...]
    segments: tuple[Segment, ...]


def article_view(store: Store, article_id: str) -> ArticleView:
    """The article with this id, every mention's evidence sentence marked."""
    row = store.db.execute(
        "SELECT title, url, source, published, text FROM articles WHERE id = ?", [article_id]
    ).fetchone()
    if row is None:
        raise NotFound(f"article {article_id!r} is not in the store")
    title, url, source, published, text = row
    found = store.db.execute(
        "SELECT e.id, m.gid, e.cameo, e.record FROM events e "
        "LEFT JOIN event_mentions m ON m.mention_id = e.id WHERE e.article_id = ? "
        "ORDER BY e.sentence, e.id",
        [article_id],
    ).fetchall()
    mentions = []
    for mid, gid, cameo, record in found:
        span = json.loads(record)["evidence"]
        mentions.append(ArticleEvent(mid, gid, cameo, int(span["start"]), int(span["end"])))
    marks = [Mark(m.evidence_start, m.evidence_end, "evidence", str(m.event_id)) for m in mentions]
    return ArticleView(
        article_id, title, url, source, published, text, tuple(mentions), segments(text, marks)
    )


@dataclass(frozen=True, slots=True)
class Stats:
    articles: int
    mentions: int
    events: int
    claims: int
    sources: int
    actors: int
    first: date | None
    last: date | None


def stats(store: Store) -> Stats:
    """How much the store holds, and the span of its event dates."""
    row = store.db.execute(
        """
        SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),
               (SELECT count(*) FROM event_groups), (SELECT count(*) FROM claims),
               (SELECT count(DISTINCT coalesce(source, id)) FROM articles),
               (SELECT count(DISTINCT key) FROM event_actors),
               (SELECT min(date_start) FROM event_groups),
               (SELECT max(coalesce(date_end, date_start)) FROM event_groups)
        """
    ).fetchone()
    assert row is not None
    a, m, e, c, s, k, lo, hi = row
    return Stats(int(a), int(m), int(e), int(c), int(s), int(k), lo, hi)


@dataclass(frozen=True, slots=True)
class PlacePoint:
    """A place where events happened: its name, country, coordinates and event count."""

    place: str
    country: str | None
    lat: float
    lon: float
    events: int


def places(store: Store, filters: Filters) -> list[PlacePoint]:
    """Places of the selected events (the first :data:`MAP_MAX_EVENTS`), busiest first."""
    rows = events(store, replace(filters, limit=MAP_MAX_EVENTS, offset=0))
    if not rows:
        return []
    found = store.db.execute(
        "SELECT place, place_country, round(avg(lat), 3), round(avg(lon), 3), count(*) AS n "
        "FROM event_groups WHERE gid IN (SELECT unnest(?)) AND lat IS NOT NULL "
        "AND lon IS NOT NULL AND place IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC, 1",
        [[r.event_id for r in rows]],
    ).fetchall()
    return [PlacePoint(p, c, float(la), float(lo), int(n)) for p, c, la, lo, n in found]


@dataclass(frozen=True, slots=True)
class KnownActor:
    """What the knowledge base says about a name or code (``dyad actors``)."""

    source: str
    label: str
    code: str
    country: str | None
    org: str | None
    sectors: tuple[str, ...]
    role: str | None
    facts: tuple[str, ...]


def known_actors(query: str, on: date | None = None) -> list[KnownActor]:
    """Every entry dyad knows for ``query``; a NotFound error when it knows none."""
    text = query.strip()
    if not text:
        raise QueryError("an actor must be a name or a code, got an empty string")
    found: list[Known] = lookup(text, on)
    if not found:
        raise NotFound(f"dyad knows nothing about {text!r}")
    return [
        KnownActor(
            k.source, k.actor.name or k.actor.text, k.actor.code, k.actor.country, k.actor.org,
            k.actor.sectors, k.actor.role, k.facts,
        )
        for k in found
    ]  # fmt: skip
