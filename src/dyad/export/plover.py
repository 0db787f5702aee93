"""POLECAT-style JSONL: one event per line, with PLOVER type, mode, context, actors, place."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dyad._version import __version__
from dyad.model import Event

QUAD_CODES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
              4: "material conflict"}  # fmt: skip


def _actor(actors: tuple[Any, ...]) -> list[dict[str, Any]]:
    return [
        {"name": a.name or a.text, "country": a.country, "sectors": list(a.sectors),
         "title": a.role, "text": a.text, "code": a.code, "org": a.org}
        for a in actors
    ]  # fmt: skip


def plover_record(event_id: int, counts: dict[str, Any], e: Event) -> dict[str, Any]:
    loc = e.location
    return {
        "event_id": str(event_id),
        "event_date": e.date.start.isoformat() if e.date else None,
        "event_date_end": e.date.end.isoformat() if e.date else None,
        "event_type": e.plover.type,
        "mode": e.plover.mode,
        "contexts": list(e.plover.context),
        "intensity": e.goldstein,
        "quad_code": e.quad_class,
        "quad": QUAD_CODES.get(e.quad_class),
        "cameo": e.cameo,
        "status": e.status,
        "actor": _actor(e.source),
        "recipient": _actor(e.target),
        "location": None
        if loc is None
        else {
            "place_name": loc.name,
            "city": None,
            "district": None,
            "province": loc.admin1,
            "country": loc.country,
            "lat": loc.lat,
            "lon": loc.lon,
            "geonamesID": None,
            "raw_placename": loc.text,
            "feature_type": None,
        },
        "source": e.article.url or e.article.id,
        "publication_date": e.article.published.isoformat() if e.article.published else None,
        "language": "en",
        "version": f"dyad/{__version__}",
        "evidence": {"text": e.evidence.text, "start": e.evidence.start, "end": e.evidence.end},
        "confidence": e.confidence,
        **counts,
    }


def plover_lines(rows: Iterator[tuple[int, dict[str, Any], Event]]) -> Iterator[dict[str, Any]]:
    for event_id, counts, e in rows:
        yield plover_record(event_id, counts, e)
