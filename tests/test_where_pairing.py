"""Tests for dyad.where's scored (event, place) pairing: the fallback after the syntactic
relations, before the dateline. Every sentence is original."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from dyad.draft import EventDraft
from dyad.geo import Gazetteer, load_gazetteer
from dyad.model import Place
from dyad.where import place_events


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _doc(text: str) -> Doc:
    from dyad.parse import parse_one

    return parse_one(text)


def _placed(gaz: Gazetteer, text: str, trigger: str) -> Place | None:
    doc = _doc(text)
    head = next(t.i for t in doc if t.text == trigger)
    sent = doc[head].sent
    draft = EventDraft(
        sentence=0,
        trigger_start=head,
        trigger_end=head + 1,
        trigger_head=head,
        cameo="010",
        source=(),
        target=(),
        status="asserted",
        evidence_start=sent.start_char,
        evidence_end=sent.end_char,
        confidence=0.9,
    )
    return place_events([draft], doc, gaz, use_dateline=False)[0].location


PAIRED = [
    # sentence, trigger, expected name, text, precision, country
    # a locative phrase the parser hung elsewhere in the sentence
    (
        "Two aid workers were shot on Tuesday, bringing to nine the number of volunteers "
        "killed across northern Mali.",
        "shot",
        "Mali",
        "Mali",
        "country",
        "MLI",
    ),
    # a possessive modifier of another phrase: the city's streets
    (
        "Hundreds of farmers who took to Lagos's streets on Monday demanded lower fuel prices.",
        "demanded",
        "Lagos",
        "Lagos",
        "city",
        "NGA",
    ),
    # the possessor of the victim is the only place named
    (
        "Kenya's former transport minister was stabbed late on Monday.",
        "stabbed",
        "Kenya",
        "Kenya",
        "country",
        "KEN",
    ),
    # past the window, a province phrase still places the event (admin1 precision)
    (
        "The vote was postponed on Friday, and the electoral board blamed the floods that "
        "swept through Sindh province last week for the delay.",
        "postponed",
        "Sindh",
        "Sindh",
        "admin1",
        "PAK",
    ),
    # a small town from the towns table, reached through "out of"
    (
        "Rebels looted shops on Sunday, two days after government troops had pulled out of Birao.",
        "looted",
        "Birao",
        "Birao",
        "city",
        "CAF",
    ),
    # the name of a village the gazetteer does not know: kept, finer than a city
    (
        "Soldiers burned several huts on Saturday, according to residents of the village of "
        "Kiwanja who fled across the border.",
        "burned",
        "Kiwanja",
        "Kiwanja",
        "finer",
        None,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "name", "written", "precision", "country"), PAIRED)
def test_pairing_places_the_event(
    gaz: Gazetteer,
    text: str,
    trigger: str,
    name: str,
    written: str,
    precision: str,
    country: str | None,
) -> None:
    place = _placed(gaz, text, trigger)
    assert place is not None
    assert (place.name, place.text, place.precision, place.country) == (
        name,
        written,
        precision,
        country,
    )
    assert place.start is not None and text[place.start : place.end] == written
    if precision in ("country", "city"):
        assert place.feature_id is not None and place.lat is not None


UNPAIRED = [
    # participants are never where the event happened
    ("Kenya accused Uganda of arming the rebels.", "accused"),
    ("Talks with Beijing collapsed on Monday.", "collapsed"),
    # where a person is from, and a nationality used as a modifier
    ("Erik Solberg of Norway was injured on Sunday.", "injured"),
    ("U.S. troops killed three militants on Sunday.", "killed"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger"), UNPAIRED)
def test_pairing_leaves_participants_and_origins_alone(
    gaz: Gazetteer, text: str, trigger: str
) -> None:
    assert _placed(gaz, text, trigger) is None


_SYRIA = Place("Syria", "Syria", country="SYR", precision="country")
_IDLIB = Place("Idlib", "Idlib", country="SYR", admin1="Idlib", precision="admin1")
_SARAQIB = Place("Saraqib", "Saraqib", country="SYR", admin1="Idlib", precision="city")
_KAFR = Place("Kafr Zita", "Kafr Zita", country="SYR", admin1="Hama", precision="city")
_MOSUL = Place("Mosul", "Mosul", country="IRQ", admin1="Nineveh", precision="city")
_UNKNOWN = Place("Tal Hamra", "Tal Hamra", precision="finer")


@pytest.mark.parametrize(
    ("syntax", "paired", "expected"),
    [
        (_SYRIA, _SARAQIB, _SARAQIB),  # a town inside the country refines it
        (_IDLIB, _SARAQIB, _SARAQIB),  # ... and inside the province
        (_IDLIB, _KAFR, _IDLIB),  # another province: the syntax wins
        (_SYRIA, _MOSUL, _SYRIA),  # another country
        (_SYRIA, _UNKNOWN, _SYRIA),  # a name of no known country
        (_SARAQIB, _KAFR, _SARAQIB),  # a city is never refined by another
        (_SARAQIB, None, _SARAQIB),
        (None, _MOSUL, _MOSUL),
    ],
)
def test_the_pairing_refines_a_wide_place_inside_it(
    syntax: Place | None, paired: Place | None, expected: Place
) -> None:
    from dyad.where import _finer

    assert _finer(syntax, paired) == expected
