"""A checker for ``expected.yaml`` files: rows of what a correct reading of an article holds.

The matching rules are those written at the top of ``../shared/seed/expected.yaml``. The
checker only reads records; it knows nothing about how they were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dyad.model import Actor, Claim, DateSpan, Event, Record


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def actor_is(actor: Actor, code: str) -> bool:
    """An expected actor code matches a country, an organisation or the actor code."""
    return code in (actor.country, actor.org, actor.code)


def _any(actors: Iterable[Actor], code: str) -> bool:
    return any(actor_is(a, code) for a in actors)


def _overlaps(span: DateSpan | None, lo: date, hi: date) -> bool:
    return span is not None and span.start <= hi and lo <= span.end


def _event_matches(row: dict[str, Any], e: Event) -> bool:
    phrase = row.get("evidence_contains")
    if phrase and phrase not in e.evidence.text:
        return False
    actors = row.get("actors")
    if actors:
        a, b = actors
        direct = _any(e.source, a) and _any(e.target, b)
        if row.get("symmetric"):
            either = direct or (_any(e.source, b) and _any(e.target, a))
            one_list = any(_any(side, a) and _any(side, b) for side in (e.source, e.target))
            if not (either or one_list):
                return False
        elif not direct:
            return False
    everyone = (*e.source, *e.target)
    for country, sector in (row.get("sectors") or {}).items():
        if not any(a.country == country and sector in a.sectors for a in everyone):
            return False
    for name in row.get("names") or ():
        if not any(a.name == name for a in everyone):
            return False
    if "cameo" in row and not any(e.cameo.startswith(str(c)) for c in row["cameo"]):
        return False
    if "plover" in row and e.plover.type not in row["plover"]:
        return False
    when = row.get("date")
    if when:
        if "from" in when and not _overlaps(e.date, _day(when["from"]), _day(when["to"])):
            return False
        if "not_before" in when and (e.date is None or e.date.start < _day(when["not_before"])):
            return False
    place = row.get("location")
    if place:
        loc = e.location
        if loc is None or loc.country != place.get("country"):
            return False
        if "name" in place and loc.name != place["name"]:
            return False
    return True


def _claim_matches(row: dict[str, Any], c: Claim) -> bool:
    phrase = row.get("evidence_contains")
    if phrase and phrase not in c.evidence.text:
        return False
    subject = row.get("subject")
    if subject and not all(_any(c.subject, s) for s in subject):
        return False
    if "metric" in row and c.metric != row["metric"]:
        return False
    q = row.get("quantity") or {}
    if "value" in q and abs(c.quantity.value - float(q["value"])) > 1e-6 * max(
        1.0, abs(q["value"])
    ):
        return False
    for key in ("unit", "type", "comparator"):
        if key in q and getattr(c.quantity, key) != q[key]:
            return False
    period = row.get("period")
    if period and (
        c.period is None
        or c.period.start != _day(period["from"])
        or c.period.end != _day(period["to"])
    ):
        return False
    if "status" in row and c.status != row["status"]:
        return False
    if "attributed_to" in row and (
        c.attributed_to is None or not actor_is(c.attributed_to, row["attributed_to"])
    ):
        return False
    people = (*c.subject, *([c.attributed_to] if c.attributed_to else []))
    return all(any(a.name == n for a in people) for n in row.get("names") or ())


def _forbidden_matches(row: dict[str, Any], r: Record) -> bool:
    """True when the record is one the forbidden row rules out."""
    checks = 0
    phrases = row.get("evidence_contains_any")
    if phrases:
        checks += 1
        if not any(p in r.evidence.text for p in phrases):
            return False
    countries = row.get("any_actor_country")
    if countries:
        checks += 1
        people = ((*r.source, *r.target) if isinstance(r, Event) else (*r.subject,)) + (
            (r.attributed_to,) if r.attributed_to else ()
        )
        if not any(a.country in countries for a in people):
            return False
    event_keys = ("actors", "cameo", "quad_class", "date_starts_after")
    if any(k in row for k in event_keys) and not isinstance(r, Event):
        return False
    if "actors" in row:
        checks += 1
        a, b = row["actors"]
        assert isinstance(r, Event)
        if not (_any(r.source, a) and _any(r.target, b)):
            return False
    if "cameo" in row:
        checks += 1
        assert isinstance(r, Event)
        if not any(r.cameo.startswith(str(c)) for c in row["cameo"]):
            return False
    if "date_starts_after" in row:
        checks += 1
        assert isinstance(r, Event)
        if r.date is None or not r.date.start > _day(row["date_starts_after"]):
            return False
    if "evidence_contains" in row:
        checks += 1
        if row["evidence_contains"] not in r.evidence.text:
            return False
    if "quad_class" in row:
        checks += 1
        assert isinstance(r, Event)
        if r.quad_class not in row["quad_class"]:
            return False
    if "status_not" in row:
        checks += 1
        if r.status in row["status_not"]:
            return False
    return checks > 0


@dataclass(frozen=True)
class RowResult:
    id: str
    kind: str  # event | claim | forbidden
    level: str
    passed: bool


def check(expected: dict[str, Any], records: Sequence[Record]) -> list[RowResult]:
    """One result per row of the expected file."""
    events = [r for r in records if isinstance(r, Event)]
    claims = [r for r in records if isinstance(r, Claim)]
    out: list[RowResult] = []
    for row in expected.get("events") or ():
        ok = any(_event_matches(row, e) for e in events)
        out.append(RowResult(row["id"], "event", row.get("level", "required"), ok))
    for row in expected.get("claims") or ():
        ok = any(_claim_matches(row, c) for c in claims)
        out.append(RowResult(row["id"], "claim", row.get("level", "required"), ok))
    for row in expected.get("forbidden") or ():
        ok = not any(_forbidden_matches(row, r) for r in records)
        out.append(RowResult(row["id"], "forbidden", "forbidden", ok))
    return out
