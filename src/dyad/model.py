"""The record interchange format (schema 1) as frozen dataclasses.

Every record that leaves dyad is one of :class:`Event` or :class:`Claim`; both serialise to
exactly the JSON objects of ``docs/records.md`` (field names, order and types) with
:meth:`to_json`, and :func:`record_from_json` reads them back into equal objects.

Lists are stored as tuples so that records are hashable and truly immutable; dates are
:class:`datetime.date` objects and become ``YYYY-MM-DD`` strings in JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypeAlias, cast

from dyad.errors import RecordError

SCHEMA = 1

Status: TypeAlias = Literal["asserted", "negated", "future", "hypothetical"]
Granularity: TypeAlias = Literal["day", "month", "quarter", "year", "range"]
Basis: TypeAlias = Literal["text", "publication"]
QuantityType: TypeAlias = Literal["level", "change"]
Comparator: TypeAlias = Literal["=", ">", "<", "~"]

STATUSES: tuple[Status, ...] = ("asserted", "negated", "future", "hypothetical")
PlacePrecision: TypeAlias = Literal["country", "admin1", "admin2", "city", "finer"]
PLACE_PRECISIONS: tuple[PlacePrecision, ...] = ("country", "admin1", "admin2", "city", "finer")
GRANULARITIES: tuple[Granularity, ...] = ("day", "month", "quarter", "year", "range")
BASES: tuple[Basis, ...] = ("text", "publication")
QUANTITY_TYPES: tuple[QuantityType, ...] = ("level", "change")
COMPARATORS: tuple[Comparator, ...] = ("=", ">", "<", "~")

JSON: TypeAlias = dict[str, Any]
RolesBy: TypeAlias = Literal["rules", "tagger", "both"]
DecidedBy: TypeAlias = Literal["rules", "classifier"]
ROLES_BY: tuple[RolesBy, ...] = ("rules", "tagger", "both")
DECIDED_BY: tuple[DecidedBy, ...] = ("rules", "classifier")


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _parse_date(value: Any, what: str) -> date:
    if not isinstance(value, str):
        raise RecordError(f"{what}: expected a YYYY-MM-DD string, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise RecordError(f"{what}: {value!r} is not a YYYY-MM-DD date") from exc


def _opt_date(value: Any, what: str) -> date | None:
    return None if value is None else _parse_date(value, what)


def _req(obj: JSON, key: str, what: str) -> Any:
    if not isinstance(obj, dict):
        raise RecordError(f"{what}: expected an object, got {type(obj).__name__}")
    if key not in obj:
        raise RecordError(f"{what}: missing field {key!r}")
    return obj[key]


def _choice(value: Any, allowed: tuple[str, ...], what: str) -> Any:
    if value not in allowed:
        raise RecordError(f"{what}: {value!r} is not one of {', '.join(allowed)}")
    return value


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A piece of the cleaned article text: ``text == cleaned[start:end]``."""

    text: str
    start: int
    end: int

    def to_json(self) -> JSON:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_json(cls, obj: JSON, what: str = "span") -> TextSpan:
        return cls(
            text=str(_req(obj, "text", what)),
            start=int(_req(obj, "start", what)),
            end=int(_req(obj, "end", what)),
        )


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts or is acted upon, resolved to country, sectors, organisation and person."""

    text: str
    code: str
    country: str | None = None
    sectors: tuple[str, ...] = ()
    org: str | None = None
    name: str | None = None
    role: str | None = None

    def to_json(self) -> JSON:
        return {
            "text": self.text,
            "code": self.code,
            "country": self.country,
            "sectors": list(self.sectors),
            "org": self.org,
            "name": self.name,
            "role": self.role,
        }

    @classmethod
    def from_json(cls, obj: JSON, what: str = "actor") -> Actor:
        sectors = _req(obj, "sectors", what)
        if not isinstance(sectors, list):
            raise RecordError(f"{what}.sectors: expected a list, got {sectors!r}")
        return cls(
            text=str(_req(obj, "text", what)),
            code=str(_req(obj, "code", what)),
            country=_req(obj, "country", what),
            sectors=tuple(str(s) for s in sectors),
            org=_req(obj, "org", what),
            name=_req(obj, "name", what),
            role=_req(obj, "role", what),
        )


@dataclass(frozen=True, slots=True)
class DateSpan:
    """When something happened: a closed day range with the granularity the text gave."""

    start: date
    end: date
    granularity: Granularity
    text: str | None = None
    basis: Basis = "text"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise RecordError(f"date: end {self.end} is before start {self.start}")

    def to_json(self) -> JSON:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "granularity": self.granularity,
            "text": self.text,
            "basis": self.basis,
        }

    @classmethod
    def from_json(cls, obj: JSON, what: str = "date") -> DateSpan:
        return cls(
            start=_parse_date(_req(obj, "start", what), f"{what}.start"),
            end=_parse_date(_req(obj, "end", what), f"{what}.end"),
            granularity=_choice(_req(obj, "granularity", what), GRANULARITIES, what),
            text=_req(obj, "text", what),
            basis=_choice(_req(obj, "basis", what), BASES, what),
        )


@dataclass(frozen=True, slots=True)
class Place:
    """Where something happened, resolved against the gazetteer."""

    name: str
    text: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    start: int | None = None
    end: int | None = None
    precision: PlacePrecision | None = None
    """How fine the place is (GDELT's Geo_Type): country, admin1, admin2, city or finer."""
    feature_id: int | None = None
    """The GeoNames id of the place; None for places of dyad's own table without one."""

    def to_json(self) -> JSON:
        return {
            "name": self.name,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "precision": self.precision,
            "feature_id": self.feature_id,
        }

    @classmethod
    def from_json(cls, obj: JSON, what: str = "location") -> Place:
        lat = _req(obj, "lat", what)
        lon = _req(obj, "lon", what)
        start = _req(obj, "start", what)
        end = _req(obj, "end", what)
        return cls(
            name=str(_req(obj, "name", what)),
            text=str(_req(obj, "text", what)),
            country=_req(obj, "country", what),
            admin1=_req(obj, "admin1", what),
            lat=None if lat is None else float(lat),
            lon=None if lon is None else float(lon),
            start=None if start is None else int(start),
            end=None if end is None else int(end),
            precision=_place_precision(obj.get("precision"), what),
            feature_id=None if obj.get("feature_id") is None else int(obj["feature_id"]),
        )


def _place_precision(value: object, what: str) -> PlacePrecision | None:
    if value is None:
        return None
    precision: PlacePrecision = _choice(value, PLACE_PRECISIONS, f"{what}.precision")
    return precision


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The article a record came from, as carried in every record."""

    id: str
    url: str | None = None
    published: date | None = None

    def to_json(self) -> JSON:
        return {"id": self.id, "url": self.url, "published": _iso(self.published)}

    @classmethod
    def from_json(cls, obj: JSON, what: str = "article") -> ArticleRef:
        return cls(
            id=str(_req(obj, "id", what)),
            url=_req(obj, "url", what),
            published=_opt_date(_req(obj, "published", what), f"{what}.published"),
        )


@dataclass(frozen=True, slots=True)
class Plover:
    """PLOVER 2.0 event type with its mode and context."""

    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()

    def to_json(self) -> JSON:
        return {"type": self.type, "mode": self.mode, "context": list(self.context)}

    @classmethod
    def from_json(cls, obj: JSON, what: str = "plover") -> Plover:
        context = _req(obj, "context", what)
        if not isinstance(context, list):
            raise RecordError(f"{what}.context: expected a list, got {context!r}")
        return cls(
            type=str(_req(obj, "type", what)),
            mode=_req(obj, "mode", what),
            context=tuple(str(c) for c in context),
        )


@dataclass(frozen=True, slots=True)
class Quantity:
    """A measured amount: value in base units (200 billion, not 200), unit, type, comparator."""

    value: float
    unit: str
    type: QuantityType = "level"
    comparator: Comparator = "="

    def to_json(self) -> JSON:
        value: float | int = self.value
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
            value = int(value)
        return {"value": value, "unit": self.unit, "type": self.type, "comparator": self.comparator}

    @classmethod
    def from_json(cls, obj: JSON, what: str = "quantity") -> Quantity:
        value = _req(obj, "value", what)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecordError(f"{what}.value: expected a number, got {value!r}")
        return cls(
            value=float(value),
            unit=str(_req(obj, "unit", what)),
            type=_choice(_req(obj, "type", what), QUANTITY_TYPES, what),
            comparator=_choice(_req(obj, "comparator", what), COMPARATORS, what),
        )


def _actor_list(value: Any, what: str) -> tuple[Actor, ...]:
    if not isinstance(value, list):
        raise RecordError(f"{what}: expected a list of actors, got {value!r}")
    return tuple(Actor.from_json(a, f"{what}[{i}]") for i, a in enumerate(value))


@dataclass(frozen=True, slots=True)
class _Common:
    id: str
    article: ArticleRef
    sentence: int
    evidence: TextSpan
    status: Status
    confidence: float
    coder: str
    attributed_to: Actor | None

    def _common_json(self, kind: str) -> JSON:
        return {
            "schema": SCHEMA,
            "kind": kind,
            "id": self.id,
            "article": self.article.to_json(),
            "sentence": self.sentence,
            "evidence": self.evidence.to_json(),
            "status": self.status,
            "attributed_to": None if self.attributed_to is None else self.attributed_to.to_json(),
            "confidence": self.confidence,
            "coder": self.coder,
        }


def _common_kwargs(obj: JSON, what: str) -> dict[str, Any]:
    schema = _req(obj, "schema", what)
    if schema != SCHEMA:
        raise RecordError(f"{what}: schema {schema!r} is not supported (this dyad reads {SCHEMA})")
    attributed = _req(obj, "attributed_to", what)
    confidence = _req(obj, "confidence", what)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise RecordError(f"{what}.confidence: expected a number, got {confidence!r}")
    return {
        "id": str(_req(obj, "id", what)),
        "article": ArticleRef.from_json(_req(obj, "article", what), f"{what}.article"),
        "sentence": int(_req(obj, "sentence", what)),
        "evidence": TextSpan.from_json(_req(obj, "evidence", what), f"{what}.evidence"),
        "status": _choice(_req(obj, "status", what), STATUSES, f"{what}.status"),
        "attributed_to": None
        if attributed is None
        else Actor.from_json(attributed, f"{what}.attributed_to"),
        "confidence": float(confidence),
        "coder": str(_req(obj, "coder", what)),
    }


@dataclass(frozen=True, slots=True)
class Event(_Common):
    """Who did what to whom, when and where (``kind: "event"``)."""

    source: tuple[Actor, ...] = ()
    target: tuple[Actor, ...] = ()
    trigger: TextSpan = field(default_factory=lambda: TextSpan("", 0, 0))
    cameo: str = ""
    cameo_root: str = ""
    quad_class: int = 0
    goldstein: float = 0.0
    plover: Plover = field(default_factory=lambda: Plover(""))
    date: DateSpan | None = None
    location: Place | None = None
    background: bool = False
    """A background or subordinate event ("since Russia invaded ..."), or the material act
    under a stated one ("threatened to *invade*"): not the sentence's main record."""
    roles_by: RolesBy = "rules"
    decided_by: DecidedBy = "rules"

    kind: Literal["event"] = field(default="event", init=False)

    def to_json(self) -> JSON:
        out = self._common_json("event")
        out.update(
            {
                "source": [a.to_json() for a in self.source],
                "target": [a.to_json() for a in self.target],
                "trigger": self.trigger.to_json(),
                "cameo": self.cameo,
                "cameo_root": self.cameo_root,
                "quad_class": self.quad_class,
                "goldstein": self.goldstein,
                "plover": self.plover.to_json(),
                "date": None if self.date is None else self.date.to_json(),
                "location": None if self.location is None else self.location.to_json(),
                "background": self.background,
            }
        )
        # Written only when a learned model took part, so rules-only output is unchanged.
        if self.roles_by != "rules":
            out["roles_by"] = self.roles_by
        if self.decided_by != "rules":
            out["decided_by"] = self.decided_by
        return out

    @classmethod
    def from_json(cls, obj: JSON, what: str = "event") -> Event:
        date_obj = _req(obj, "date", what)
        loc = _req(obj, "location", what)
        quad = _req(obj, "quad_class", what)
        if quad not in (1, 2, 3, 4):
            raise RecordError(f"{what}.quad_class: {quad!r} is not 1, 2, 3 or 4")
        return cls(
            **_common_kwargs(obj, what),
            source=_actor_list(_req(obj, "source", what), f"{what}.source"),
            target=_actor_list(_req(obj, "target", what), f"{what}.target"),
            trigger=TextSpan.from_json(_req(obj, "trigger", what), f"{what}.trigger"),
            cameo=str(_req(obj, "cameo", what)),
            cameo_root=str(_req(obj, "cameo_root", what)),
            quad_class=int(quad),
            goldstein=float(_req(obj, "goldstein", what)),
            plover=Plover.from_json(_req(obj, "plover", what), f"{what}.plover"),
            date=None if date_obj is None else DateSpan.from_json(date_obj, f"{what}.date"),
            location=None if loc is None else Place.from_json(loc, f"{what}.location"),
            background=bool(obj.get("background", False)),
            roles_by=_choice(obj.get("roles_by", "rules"), ROLES_BY, f"{what}.roles_by"),
            decided_by=_choice(obj.get("decided_by", "rules"), DECIDED_BY, f"{what}.decided_by"),
        )


@dataclass(frozen=True, slots=True)
class Claim(_Common):
    """A quantitative statement (``kind: "claim"``): whose quantity, what, how much, when."""

    subject: tuple[Actor, ...] = ()
    metric: str = ""
    quantity: Quantity = field(default_factory=lambda: Quantity(0.0, ""))
    period: DateSpan | None = None

    kind: Literal["claim"] = field(default="claim", init=False)

    def to_json(self) -> JSON:
        out = self._common_json("claim")
        out.update(
            {
                "subject": [a.to_json() for a in self.subject],
                "metric": self.metric,
                "quantity": self.quantity.to_json(),
                "period": None if self.period is None else self.period.to_json(),
            }
        )
        return out

    @classmethod
    def from_json(cls, obj: JSON, what: str = "claim") -> Claim:
        period = _req(obj, "period", what)
        return cls(
            **_common_kwargs(obj, what),
            subject=_actor_list(_req(obj, "subject", what), f"{what}.subject"),
            metric=str(_req(obj, "metric", what)),
            quantity=Quantity.from_json(_req(obj, "quantity", what), f"{what}.quantity"),
            period=None if period is None else DateSpan.from_json(period, f"{what}.period"),
        )


Record: TypeAlias = Event | Claim


def record_from_json(obj: JSON) -> Record:
    """Read one record object (as parsed from a JSONL line) back into a dataclass."""
    kind = _req(obj, "kind", "record")
    if kind == "event":
        return Event.from_json(obj)
    if kind == "claim":
        return Claim.from_json(obj)
    raise RecordError(f"record: kind {kind!r} is neither 'event' nor 'claim'")


def dumps(record: Record) -> str:
    """One JSONL line (without the newline) for a record, UTF-8 characters kept as they are."""
    return json.dumps(record.to_json(), ensure_ascii=False)


def loads(line: str) -> Record:
    """Parse one JSONL line into a record."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"record: not valid JSON ({exc})") from exc
    return record_from_json(cast(JSON, obj))


@dataclass(frozen=True, slots=True)
class Article:
    """One input document as read: text (already extracted from HTML) and its metadata."""

    id: str
    text: str
    published: date | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    origin: str = "<memory>"
    """Where it was read from (a path, ``path:line`` for JSONL, ``<stdin>``): for messages."""
    language: str | None = None
    """ISO 639-1 code when declared by the input; None: detected (see :mod:`dyad.language`)."""

    def ref(self) -> ArticleRef:
        return ArticleRef(id=self.id, url=self.url, published=self.published)
