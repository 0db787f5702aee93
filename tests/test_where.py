"""Tests for dyad.where: where events happened."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from types import MappingProxyType

import pytest
from spacy.tokens import Doc

from dyad.draft import EventDraft
from dyad.geo import Gazetteer, load_gazetteer
from dyad.model import Actor, Place
from dyad.where import (
    PlaceContext,
    choose,
    dominant_country,
    find_dateline,
    place_events,
    place_for_trigger,
)

DEV_SET = (
    Path(__file__).resolve().parents[1]
    / ".."
    / "shared"
    / "data"
    / "dev"
    / "event-location"
    / "labeled_dev.jsonl"
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _context(**counts: int) -> PlaceContext:
    return PlaceContext(MappingProxyType(counts))


# --------------------------------------------------------------------------------------------
# Settling ambiguous names (no parse needed)

AMBIGUOUS = [
    # name, the article's countries, expected country, expected kind
    ("Georgia", {}, "GEO", "country"),
    ("Georgia", {"USA": 2}, "USA", "admin1"),
    ("Georgia", {"RUS": 1}, "GEO", "country"),  # a neighbour counts
    ("Georgia", {"GEO": 1, "USA": 1}, "GEO", "country"),  # a tie keeps the default
    ("Tripoli", {}, "LBY", "city"),
    ("Tripoli", {"LBN": 1}, "LBN", "city"),
    ("Tripoli", {"SYR": 2}, "LBN", "city"),
    ("Hyderabad", {}, "IND", "city"),
    ("Hyderabad", {"PAK": 1}, "PAK", "city"),
    ("Santiago", {}, "CHL", "city"),
    ("Santiago", {"DOM": 1}, "DOM", "city"),
    ("San Jose", {}, "CRI", "city"),
    ("San Jose", {"USA": 3}, "USA", "city"),
    ("Alexandria", {}, "EGY", "city"),
    ("Alexandria", {"USA": 1}, "USA", "city"),
    ("Valencia", {}, "VEN", "city"),
    ("Valencia", {"ESP": 1}, "ESP", "city"),
    ("Cambridge", {}, "GBR", "city"),
    ("Cambridge", {"USA": 1}, "USA", "city"),
    ("Cambridge", {"CAN": 1}, "CAN", "city"),
    ("Birmingham", {}, "GBR", "city"),
    ("Birmingham", {"USA": 1}, "USA", "city"),
    ("Punjab", {"IND": 1}, "IND", "admin1"),
    # a much smaller namesake never wins on context alone
    ("Moscow", {"USA": 5}, "RUS", "city"),
    ("Paris", {"USA": 5}, "FRA", "city"),
]


@pytest.mark.parametrize(("name", "counts", "country", "kind"), AMBIGUOUS)
def test_context_settles_ambiguous_names(
    gaz: Gazetteer, name: str, counts: dict[str, int], country: str, kind: str
) -> None:
    entry = choose(gaz.candidates(name), _context(**counts), gaz)
    assert entry is not None
    assert (entry.country, entry.kind) == (country, kind)


@pytest.mark.parametrize(
    ("name", "qualifier", "country", "admin1"),
    [
        ("Paris", "Texas", "USA", "Texas"),
        ("Paris", "France", "FRA", "Ile-de-France"),  # admin1 names: GeoNames divisions
        ("Tripoli", "Lebanon", "LBN", "Liban-Nord"),
        ("Birmingham", "Ala.", "USA", "Alabama"),
        ("Cambridge", "Mass.", "USA", "Massachusetts"),
        ("Alexandria", "Va.", "USA", "Virginia"),
        ("Moscow", "Idaho", "USA", "Idaho"),
    ],
)
def test_an_explicit_qualifier_wins(
    gaz: Gazetteer, name: str, qualifier: str, country: str, admin1: str | None
) -> None:
    q = gaz.qualifier(qualifier)
    entry = choose(gaz.candidates(name), _context(FRA=9, GBR=9), gaz, qualifier=q)
    assert entry is not None
    assert (entry.country, entry.admin1) == (country, admin1)


def test_a_qualifier_that_fits_no_reading_leaves_the_name_unresolved(gaz: Gazetteer) -> None:
    # GeoNames' list of cities over 15,000 people has no Paris in Tennessee.
    assert (
        choose(gaz.candidates("Paris"), _context(), gaz, qualifier=gaz.qualifier("Tenn.")) is None
    )


def test_kind_hint(gaz: Gazetteer) -> None:
    state = choose(gaz.candidates("Georgia"), _context(RUS=3), gaz, kinds=frozenset({"admin1"}))
    assert state is not None and state.country == "USA"
    province = choose(gaz.candidates("Raqqa"), _context(), gaz, kinds=frozenset({"admin1"}))
    assert province is not None and province.kind == "city"  # no such reading: kept as is


def test_a_name_never_settles_itself(gaz: Gazetteer) -> None:
    ctx = PlaceContext(
        MappingProxyType({"GEO": 2}),
        MappingProxyType({"georgia": MappingProxyType({"GEO": 2})}),
    )
    assert ctx.count("GEO") == 2
    assert ctx.count("GEO", exclude="georgia") == 0
    assert ctx.with_countries(["USA", None]).count("USA") == 1


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Moscow", "RUS"),
        ("Tbilisi", "GEO"),
        ("Georgia", None),
        ("Tripoli", None),
        ("Nowhere", None),
    ],
)
def test_dominant_country(gaz: Gazetteer, name: str, country: str | None) -> None:
    assert dominant_country(gaz.candidates(name)) == country


# --------------------------------------------------------------------------------------------
# Reading the parse (slow: loads the spaCy model)


def _doc(text: str) -> Doc:
    from dyad.parse import parse_one

    return parse_one(text)


def _head(doc: Doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


def _place(gaz: Gazetteer, text: str, trigger: str) -> Place | None:
    doc = _doc(text)
    return place_for_trigger(doc, _head(doc, trigger), gaz, PlaceContext.from_doc(doc, gaz))


ATTACHMENT = [
    # sentence, trigger word, expected place name (None: no place), expected text
    ("Lavrov met Blinken in Moscow on Monday.", "met", "Moscow", "Moscow"),
    ("The meeting in Moscow ended without a deal.", "meeting", "Moscow", "Moscow"),
    ("Talks at the Kremlin lasted three hours.", "Talks", "Moscow", "Kremlin"),
    ("Clashes near Avdiivka killed four soldiers.", "Clashes", "Avdiivka", "Avdiivka"),
    ("Thousands joined a rally outside parliament in Tbilisi.", "rally", "Tbilisi", "Tbilisi"),
    ("Macron's visit to Beijing drew protests.", "visit", "Beijing", "Beijing"),
    ("The prime minister arrived in Brussels on Tuesday.", "arrived", "Brussels", "Brussels"),
    ("Qatar hosted talks between the two sides in Doha.", "hosted", "Doha", "Doha"),
    ("The talks were held in Doha.", "talks", "Doha", "Doha"),
    ("Russian forces shelled Kharkiv overnight, officials said.", "shelled", "Kharkiv", "Kharkiv"),
    ("Explosions rocked Kyiv early on Tuesday.", "rocked", "Kyiv", "Kyiv"),
    ("Fighting raged in the eastern city of Bakhmut.", "Fighting", "Bakhmut", "Bakhmut"),
    ("Police arrested 20 protesters in Nairobi.", "arrested", "Nairobi", "Nairobi"),
    ("The Kabul bombing killed 30 people.", "bombing", "Kabul", "Kabul"),
    ("Russia's invasion of Ukraine began in February 2022.", "invasion", "Ukraine", "Ukraine"),
    ("Israeli jets struck targets in the Gaza Strip.", "struck", "Gaza Strip", "Gaza Strip"),
    ("Hundreds protested in Hunan Province on Sunday.", "protested", "Hunan", "Hunan Province"),
    (
        "Gunmen attacked a checkpoint in Helmand province.",
        "attacked",
        "Helmand Province",
        "Helmand province",
    ),
    (
        "A roadside bomb struck a minibus near Mogadishu's port on Sunday, killing four traders.",
        "killing",
        "Mogadishu",
        "Mogadishu",
    ),
    (
        "Two teenagers were killed at a checkpoint in Nablus late on Thursday.",
        "killed",
        "Nablus",
        "Nablus",
    ),
    (
        "A bomb exploded in Tripoli, Lebanon, killing two.",
        "exploded",
        "Tripoli",
        "Tripoli, Lebanon",
    ),
    # names the small model tags as organisations, people or nationalities
    (
        "Militants attacked a police post in the town of Dera Bugti.",
        "attacked",
        "Dera Bugti",
        "Dera Bugti",
    ),
    (
        "Protesters gathered in Kafr Nabl after Friday prayers.",
        "gathered",
        "Kafranbel",
        "Kafr Nabl",
    ),
    ("Villagers protested in Sidi Bouzid on Monday.", "protested", "Sidi Bouzid", "Sidi Bouzid"),
    ("Rebels captured Kidal after heavy fighting.", "captured", "Kidal", "Kidal"),
    ("Gunmen opened fire in the Amriya district of Baghdad.", "opened", "Amriya", "Amriya"),
    ("Gunmen killed a teacher in Mir Ali.", "killed", "Mir Ali", "Mir Ali"),  # as a PERSON
    (
        "Villagers blocked a road in Hawd Abu Shahid.",
        "blocked",
        "Hawd Abu Shahid",
        "Hawd Abu Shahid",
    ),
    # an actor is not a location; an agreement names its subject, not its venue
    ("Moscow said it would respond.", "said", None, None),
    ("He held talks with Beijing on trade.", "talks", None, None),
    ("Washington accused Moscow of escalation.", "accused", None, None),
    ("The Gaza ceasefire collapsed on Friday.", "ceasefire", None, None),
    # a direction alone names no place, even where the tagger runs past it ("the East on")
    ("South Korea condemned the North's missile launch.", "condemned", None, None),
    ("Fighting raged in the East on Monday.", "Fighting", None, None),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "name", "written"), ATTACHMENT)
def test_place_for_trigger(
    gaz: Gazetteer, text: str, trigger: str, name: str | None, written: str | None
) -> None:
    place = _place(gaz, text, trigger)
    if name is None:
        assert place is None
        return
    assert place is not None
    assert (place.name, place.text) == (name, written)
    assert place.start is not None and place.end is not None
    assert text[place.start : place.end] == place.text


@pytest.mark.slow
def test_the_event_place_is_the_second_place_named(gaz: Gazetteer) -> None:
    text = "After leaving Kyiv on Monday, the Polish president met Chancellor Scholz in Berlin."
    place = _place(gaz, text, "met")
    assert place is not None
    assert (place.name, place.country) == ("Berlin", "DEU")
    assert place.lat is not None and 52 < place.lat < 53


@pytest.mark.slow
def test_a_qualified_small_place_comes_from_the_towns_table(gaz: Gazetteer) -> None:
    place = _place(gaz, "The senator spoke at a rally in Paris, Tennessee.", "rally")
    assert place is not None
    assert (place.name, place.text, place.country, place.admin1) == (
        "Paris",
        "Paris, Tennessee",
        "USA",
        "Tennessee",
    )
    assert (place.start, place.end, place.precision) == (32, 48, "city")
    assert place.feature_id is not None and place.lat is not None and 35 < place.lat < 37
    texas = _place(gaz, "Police fired tear gas at protesters in Paris, Texas.", "fired")
    assert texas is not None and (texas.country, texas.admin1) == ("USA", "Texas")
    assert texas.lat is not None


@pytest.mark.slow
def test_an_unknown_place_takes_its_country_from_its_phrase(gaz: Gazetteer) -> None:
    text = "A car bomb exploded in the Kafr Souseh area of Damascus on Thursday."
    place = _place(gaz, text, "exploded")
    assert place is not None
    assert (place.name, place.country, place.lat) == ("Kafr Souseh", "SYR", None)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "name", "country", "precision"),
    [
        # an unknown place takes its country from "in <division or country>" after it
        (
            "The army shelled villages around Kalehe in South Kivu.",
            "shelled",
            "Kalehe",
            "COD",
            "finer",
        ),
        (
            "Gunmen abducted pupils in Kuriga, in Kaduna state.",
            "abducted",
            "Kuriga",
            "NGA",
            "finer",
        ),
        # "Kaduna state" is the state, not its capital of the same name
        ("Bandits attacked villages in Kaduna state.", "attacked", "Kaduna", "NGA", "admin1"),
        # a known city keeps its own reading under a fitting "in" qualifier
        ("Russian missiles struck Odesa in Ukraine.", "struck", "Odesa", "UKR", "city"),
    ],
)
def test_a_place_is_qualified_by_what_it_is_in(
    gaz: Gazetteer, text: str, trigger: str, name: str, country: str, precision: str
) -> None:
    place = _place(gaz, text, trigger)
    assert place is not None
    assert (place.name.split()[0], place.country, place.precision) == (name, country, precision)
    assert place.start is not None and text[place.start : place.end] == place.text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "country", "kind"),
    [
        (
            "Russian troops remain in South Ossetia. Protesters marched across Georgia.",
            "GEO",
            "country",
        ),
        (
            "Voters lined up in Atlanta at dawn. Polls closed across Georgia at 7 p.m.",
            "USA",
            "admin1",
        ),
        ("Protesters marched across Georgia on Sunday.", "GEO", "country"),
        ("Georgia Gov. Brian Kemp toured flooded towns across Georgia.", "USA", "admin1"),
    ],
)
def test_georgia_is_settled_by_the_article(
    gaz: Gazetteer, text: str, country: str, kind: str
) -> None:
    doc = _doc(text)
    trigger = next(t.i for t in doc if t.lemma_ in ("march", "close", "tour"))
    place = place_for_trigger(doc, trigger, gaz, PlaceContext.from_doc(doc, gaz))
    assert place is not None and place.name == "Georgia"
    found = next(e for e in gaz.lookup("Georgia") if e.country == place.country)
    assert (place.country, found.kind) == (country, kind)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Lebanon's army deployed troops in Beirut. Clashes erupted in Tripoli overnight.", "LBN"),
        ("Libya's rival governments met in Benghazi. Clashes erupted in Tripoli overnight.", "LBY"),
        ("Clashes erupted in Tripoli overnight.", "LBY"),
        ("Police in Karachi raised the alert. A bomb exploded in Hyderabad on Friday.", "PAK"),
        ("A bomb exploded in Hyderabad on Friday.", "IND"),
    ],
)
def test_article_context_settles_cities(gaz: Gazetteer, text: str, country: str) -> None:
    doc = _doc(text)
    trigger = next(t.i for t in reversed(doc) if t.lemma_ in ("erupt", "explode"))
    place = place_for_trigger(doc, trigger, gaz, PlaceContext.from_doc(doc, gaz))
    assert place is not None and place.country == country


@pytest.mark.slow
def test_trigger_outside_the_document(gaz: Gazetteer) -> None:
    doc = _doc("Talks were held in Geneva.")
    with pytest.raises(ValueError, match="trigger_head 99 is outside the document"):
        place_for_trigger(doc, 99, gaz, PlaceContext.from_doc(doc, gaz))


# --------------------------------------------------------------------------------------------
# The stage


def _draft(doc: Doc, trigger: str, *countries: str, location: Place | None = None) -> EventDraft:
    head = _head(doc, trigger)
    sent = doc[head].sent
    actors = tuple(Actor(text=c, code=c, country=c) for c in countries)
    return EventDraft(
        sentence=0,
        trigger_start=head,
        trigger_end=head + 1,
        trigger_head=head,
        cameo="010",
        source=actors,
        target=(),
        status="asserted",
        evidence_start=sent.start_char,
        evidence_end=sent.end_char,
        confidence=0.9,
        location=location,
    )


DATELINE_TEXT = (
    "KYIV, May 3 (Reuters) - Ukrainian police detained 12 people overnight.\n"
    "Russian forces shelled Kharkiv on Tuesday.\n"
    "Russia's foreign ministry summoned the French ambassador on Tuesday.\n"
    "Ukrainian officials met envoys in Warsaw, Poland."
)


@pytest.mark.slow
def test_place_events_fills_locations_and_uses_the_dateline(gaz: Gazetteer) -> None:
    doc = _doc(DATELINE_TEXT)
    fixed = Place(name="Somewhere", text="Somewhere")
    drafts = [
        _draft(doc, "detained", "UKR"),
        _draft(doc, "shelled", "RUS"),
        _draft(doc, "summoned", "RUS"),
        _draft(doc, "met", "UKR"),
        _draft(doc, "detained", "UKR", location=fixed),
    ]
    out = place_events(drafts, doc, gaz)
    names = [d.location.name if d.location else None for d in out]
    # detained: no place in its sentence, a Ukrainian actor -> the dateline;
    # summoned: a Russian event, clearly abroad -> not the dateline, but its own sentence
    # names Russia (the ministry's country), which the scored pairing takes;
    # an existing location is kept.
    assert names == ["Kyiv", "Kharkiv", "Russia", "Warsaw", "Somewhere"]
    assert out[2].location is not None and out[2].location.precision == "country"
    dateline = out[0].location
    assert dateline is not None and (dateline.text, dateline.start, dateline.end) == ("KYIV", 0, 4)
    assert [d.trigger_head for d in out] == [d.trigger_head for d in drafts]
    assert place_events(drafts[:1], doc, gaz, use_dateline=False)[0].location is None


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("WASHINGTON (AP) — The Senate passed the bill.", "Washington"),
        ("BEIRUT, Lebanon — Protesters gathered downtown.", "Beirut"),
        ("Kyiv (AFP) - Officials said.", "Kyiv"),
        ("Russia - Officials said nothing.", None),
        ("The talks ended. KYIV - later text", None),
    ],
)
def test_find_dateline(gaz: Gazetteer, text: str, place: str | None) -> None:
    doc = _doc(text)
    found = find_dateline(doc, gaz, PlaceContext.from_doc(doc, gaz))
    assert (found.place.name if found else None) == place


# --------------------------------------------------------------------------------------------
# The third-party event-location set (skipped where it is absent)


def _dev_rows(limit: int) -> Iterator[tuple[str, int, int, list[tuple[int, int]]]]:
    """(text, verb start, verb end, gold place spans) of accepted rows with clean offsets."""
    with DEV_SET.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row.get("answer") != "accept":
                continue
            text = row["text"]
            spans = [
                s for s in row["spans"] if text[s["start"] : s["end"]] and s["start"] < s["end"]
            ]
            verbs = [s for s in spans if s["label"] == "VERB"]
            gold = [(s["start"], s["end"]) for s in spans if s["label"] == "LOCATION"]
            if len(verbs) == 1 and len(gold) == sum(s["label"] == "LOCATION" for s in row["spans"]):
                yield text, verbs[0]["start"], verbs[0]["end"], gold
                limit -= 1
                if limit == 0:
                    return


@pytest.mark.slow
def test_event_location_dev_set_floor(gaz: Gazetteer) -> None:
    """A regression floor on the first 400 usable rows (measured: 48% of the rows with a gold
    place get an overlapping place, 3.5% of the rows without one get a place)."""
    if not DEV_SET.exists():
        pytest.skip(f"{DEV_SET} is absent (third-party data, not shipped with dyad)")
    from dyad.parse import parse_many

    rows = list(_dev_rows(400))
    hit = with_gold = spurious = without = 0
    for (text, v0, v1, gold), doc in zip(rows, parse_many(r[0] for r in rows), strict=True):
        verb = doc.char_span(v0, v1, alignment_mode="expand")
        assert verb is not None, text
        place = place_for_trigger(doc, verb.root.i, gaz, PlaceContext.from_doc(doc, gaz))
        if gold:
            with_gold += 1
            hit += place is not None and any(
                place.start is not None
                and place.end is not None
                and place.start < b
                and a < place.end
                for a, b in gold
            )
        else:
            without += 1
            spurious += place is not None
    assert with_gold > 150 and without > 100
    assert hit / with_gold >= 0.43
    assert spurious / without <= 0.07


# ---------------------------------------------------------------------------------------
# The stage's word lists (geo/data/where.yaml)


def test_the_word_lists_are_read_from_data() -> None:
    from dyad import where
    from dyad.events.words import parse_word_lists

    lists = parse_word_lists(where.WORDS_PATH, where.WORD_LISTS)
    assert "in" in lists["locative_prepositions"] and "on" in lists["on_prepositions"]
    assert "junction" in lists["areas"] and "villages" in lists["areas"]
    assert where.HITS >= where.PLACE_OBJECT and where.EVENT_NOUNS >= where.SEIZE
    labels = ("place_labels", "mislabelled")
    assert all(w == w.lower() for k, ws in lists.items() if k not in labels for w in ws)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("version: 1", "version: 2"), "version: 1"),
        (lambda t: t.replace("seize:", "seized:"), "missing \\['seize'\\]"),
        (lambda t: t + "towns: [a]\n", "unknown \\['towns'\\]"),
        (lambda t: t.replace("motion: [", "motion: [7, "), "'motion' must be a list"),
    ],
)
def test_a_broken_word_file_is_named(tmp_path: Path, edit: object, message: str) -> None:
    from dyad import where
    from dyad.errors import KnowledgeBaseError
    from dyad.events.words import parse_word_lists

    path = tmp_path / "where.yaml"
    path.write_text(edit(where.WORDS_PATH.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(KnowledgeBaseError, match=message) as info:
        parse_word_lists(path, where.WORD_LISTS)
    assert str(path) in str(info.value)
