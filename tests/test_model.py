"""Every record round-trips through JSON exactly, and the JSON has the spec's fields."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyad.errors import RecordError
from dyad.model import (
    COMPARATORS,
    DECIDED_BY,
    GRANULARITIES,
    PLACE_PRECISIONS,
    QUANTITY_TYPES,
    ROLES_BY,
    STATUSES,
    Actor,
    ArticleRef,
    Claim,
    DateSpan,
    Event,
    Place,
    Plover,
    Quantity,
    TextSpan,
    dumps,
    loads,
    record_from_json,
)

text = st.text(min_size=0, max_size=30)
opt_text = st.none() | text
code = st.from_regex(r"[A-Z]{3}([A-Z]{3})?", fullmatch=True)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@st.composite
def date_spans(draw: st.DrawFn) -> DateSpan:
    start = draw(days)
    end = start + timedelta(days=draw(st.integers(0, 4000)))
    return DateSpan(
        start=start,
        end=end,
        granularity=draw(st.sampled_from(GRANULARITIES)),
        text=draw(opt_text),
        basis=draw(st.sampled_from(("text", "publication"))),
    )


actors = st.builds(
    Actor,
    text=text,
    code=code,
    country=st.none() | code,
    sectors=st.lists(st.sampled_from(["GOV", "MIL", "REB", "COP"]), max_size=3).map(tuple),
    org=opt_text,
    name=opt_text,
    role=opt_text,
)
spans = st.builds(TextSpan, text=text, start=st.integers(0, 10**6), end=st.integers(0, 10**6))
places = st.builds(
    Place,
    name=text,
    text=text,
    country=st.none() | code,
    admin1=opt_text,
    lat=st.none() | st.floats(-90, 90),
    lon=st.none() | st.floats(-180, 180),
    start=st.none() | st.integers(0, 10**6),
    end=st.none() | st.integers(0, 10**6),
    precision=st.none() | st.sampled_from(PLACE_PRECISIONS),
    feature_id=st.none() | st.integers(1, 10**8),
)
common = {
    "id": st.text(alphabet="0123456789abcdef", min_size=20, max_size=20),
    "article": st.builds(ArticleRef, id=text, url=opt_text, published=st.none() | days),
    "sentence": st.integers(0, 500),
    "evidence": spans,
    "status": st.sampled_from(STATUSES),
    "confidence": st.floats(0, 1),
    "coder": st.just("dyad/0.1.0"),
    "attributed_to": st.none() | actors,
}
events = st.builds(
    Event,
    **common,
    source=st.lists(actors, max_size=3).map(tuple),
    target=st.lists(actors, max_size=3).map(tuple),
    trigger=spans,
    cameo=st.from_regex(r"[0-2][0-9]{1,3}", fullmatch=True),
    cameo_root=st.from_regex(r"[0-2][0-9]", fullmatch=True),
    quad_class=st.integers(1, 4),
    goldstein=st.floats(-10, 10),
    plover=st.builds(Plover, type=text, mode=opt_text, context=st.lists(text).map(tuple)),
    date=st.none() | date_spans(),
    location=st.none() | places,
    background=st.booleans(),
)
claims = st.builds(
    Claim,
    **common,
    subject=st.lists(actors, max_size=3).map(tuple),
    metric=text,
    quantity=st.builds(
        Quantity,
        value=finite,
        unit=text,
        type=st.sampled_from(QUANTITY_TYPES),
        comparator=st.sampled_from(COMPARATORS),
    ),
    period=st.none() | date_spans(),
)


@given(st.one_of(events, claims))
def test_every_record_round_trips(record: Event | Claim) -> None:
    line = dumps(record)
    assert "\n" not in line
    assert loads(line) == record
    assert record_from_json(json.loads(line)) == record


@given(events)
def test_event_json_has_exactly_the_spec_fields(event: Event) -> None:
    obj = event.to_json()
    assert list(obj) == [
        "schema",
        "kind",
        "id",
        "article",
        "sentence",
        "evidence",
        "status",
        "attributed_to",
        "confidence",
        "coder",
        "source",
        "target",
        "trigger",
        "cameo",
        "cameo_root",
        "quad_class",
        "goldstein",
        "plover",
        "date",
        "location",
        "background",
    ]
    assert obj["schema"] == 1 and obj["kind"] == "event"
    for actor in obj["source"] + obj["target"]:
        assert list(actor) == ["text", "code", "country", "sectors", "org", "name", "role"]
    if obj["date"] is not None:
        assert list(obj["date"]) == ["start", "end", "granularity", "text", "basis"]
    if obj["location"] is not None:
        assert list(obj["location"]) == [
            "name",
            "country",
            "admin1",
            "lat",
            "lon",
            "text",
            "start",
            "end",
            "precision",
            "feature_id",
        ]


@given(events)
def test_records_without_the_new_fields_still_read(event: Event) -> None:
    """Records written before 0.2 have no background, precision or feature_id."""
    old = {k: v for k, v in event.to_json().items() if k != "background"}
    if old["location"] is not None:
        old["location"] = {
            k: v for k, v in old["location"].items() if k not in ("precision", "feature_id")
        }
    back = Event.from_json(old)
    assert back.background is False
    assert back.location is None or back.location.precision is None


def test_a_bad_place_precision_is_named() -> None:
    with pytest.raises(RecordError, match="precision"):
        Place.from_json(
            {
                "name": "X",
                "text": "X",
                "country": None,
                "admin1": None,
                "lat": None,
                "lon": None,
                "start": None,
                "end": None,
                "precision": "street",
            }
        )


@given(claims)
def test_claim_json_has_exactly_the_spec_fields(claim: Claim) -> None:
    obj = claim.to_json()
    assert list(obj)[-4:] == ["subject", "metric", "quantity", "period"]
    assert obj["kind"] == "claim"
    assert list(obj["quantity"]) == ["value", "unit", "type", "comparator"]


def test_whole_numbers_are_written_as_integers() -> None:
    q = Quantity(200e9, "USD", "level", ">")
    assert q.to_json()["value"] == 200000000000
    assert isinstance(q.to_json()["value"], int)
    assert Quantity(40.5, "percent").to_json()["value"] == 40.5


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda o: o.pop("trigger"), "missing field 'trigger'"),
        (lambda o: o.update(status="maybe"), "not one of asserted"),
        (lambda o: o.update(schema=2), "schema 2 is not supported"),
        (lambda o: o.update(quad_class=7), "quad_class"),
        (lambda o: o.update(kind="rumour"), "neither 'event' nor 'claim'"),
        (lambda o: o["date"].update(start="2023-13-01"), "not a YYYY-MM-DD date"),
        (lambda o: o.update(roles_by="crowd"), "roles_by: 'crowd' is not one of rules"),
        (lambda o: o.update(decided_by="oracle"), "decided_by: 'oracle' is not one of"),
    ],
)
def test_bad_records_are_rejected_with_a_reason(mutate, message) -> None:  # type: ignore[no-untyped-def]
    event = Event(
        id="x",
        article=ArticleRef("a"),
        sentence=0,
        evidence=TextSpan("Russia met China.", 0, 17),
        status="asserted",
        confidence=0.5,
        coder="dyad/0.1.0",
        attributed_to=None,
        source=(Actor("Russia", "RUS", "RUS"),),
        target=(Actor("China", "CHN", "CHN"),),
        trigger=TextSpan("met", 7, 10),
        cameo="040",
        cameo_root="04",
        quad_class=1,
        goldstein=1.0,
        plover=Plover("CONSULT"),
        date=DateSpan(date(2023, 9, 1), date(2023, 9, 1), "day"),
    )
    obj = event.to_json()
    mutate(obj)
    with pytest.raises(RecordError, match=message):
        record_from_json(obj)


def test_date_span_end_before_start_is_an_error() -> None:
    with pytest.raises(RecordError, match="before start"):
        DateSpan(date(2023, 2, 1), date(2023, 1, 1), "range")


@given(events, st.sampled_from(ROLES_BY), st.sampled_from(DECIDED_BY))
def test_model_fields_round_trip_and_appear_only_when_a_model_took_part(
    event: Event, roles_by: str, decided_by: str
) -> None:
    from dataclasses import replace

    marked = replace(event, roles_by=roles_by, decided_by=decided_by)
    obj = marked.to_json()
    assert ("roles_by" in obj) == (roles_by != "rules")
    assert ("decided_by" in obj) == (decided_by != "rules")
    assert record_from_json(json.loads(dumps(marked))) == marked
