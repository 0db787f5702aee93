"""Gold-file readers: the small original fixtures, malformed files, and the shared dev sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.errors import EvaluationError
from dyad.evaluate import guess_format, read_gold
from dyad.evaluate.readers import (
    PloverActor,
    clean_petrarch_text,
    detokenize,
    penta_class,
    read_location,
    read_penta,
    read_petrarch,
    read_plover,
    read_police,
    read_spans,
)
from tests.evaluate.fakes import FIXTURES, SHARED_DEV

# -- penta -----------------------------------------------------------------------------------


def test_penta_reads_sentences_labels_and_lines() -> None:
    items = read_penta(FIXTURES / "penta.tsv")
    assert [it.label for it in items] == [0, 1, 2, 3, 4, 4]
    assert items[0].text.startswith("The foreign minister urged")
    assert [it.line for it in items] == [2, 3, 5, 6, 7, 8]  # header and blank line skipped


@pytest.mark.parametrize(
    ("code", "expected"),
    [("010", 0), ("02", 0), ("043", 1), ("0512", 1), ("061", 2), ("0874", 2), ("112", 3),
     ("163", 3), ("145", 4), ("173", 4), ("1823", 4), ("20", 4), ("21", None), ("", None),
     ("1", None)],
)  # fmt: skip
def test_penta_class_of_cameo_codes(code: str, expected: int | None) -> None:
    assert penta_class(code) == expected


# -- spans -----------------------------------------------------------------------------------


def test_spans_reads_sentences_and_roles() -> None:
    sents = read_spans(FIXTURES / "spans.txt")
    assert len(sents) == 3
    assert [s.line for s in sents] == [1, 11, 24]
    assert sents[0].tokens[:3] == ("Turkish", "troops", "shelled")
    assert sents[0].roles == ("S", "S", "O", "T", "T", "O", "O", "O", "O")
    assert set(sents[1].roles) == {"R", "O"}
    assert set(sents[2].roles) == {"O"}


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["Rebels", "seized", "the", "town", "."], "Rebels seized the town."),
        (["the", "rebel", "-", "held", "north"], "the rebel-held north"),
        (["the", "country", "’", "s", "capital"], "the country’s capital"),
        (["Croatian", "government", "'s", "request"], "Croatian government's request"),
        (["Air", "Force", "(", "NAF", ")", "said"], "Air Force (NAF) said"),
        (["a", "$", "300", "million", "loan"], "a $300 million loan"),
        (["He", "did", "n't", "say", ",", "aides", "said", ";", "fine"],
         "He didn't say, aides said; fine"),
        (["“", "dangerous", "”", "and"], "“dangerous” and"),
        (["a", "-", "b"], "a-b"),
        (["the", "insurgents", "'", "presence"], "the insurgents' presence"),
        (["he", "said", "'", "no", "'"], "he said ' no '"),
        (["-", "twenty"], "- twenty"),
    ],
)  # fmt: skip
def test_detokenize_joins_like_written_english_and_keeps_offsets(
    tokens: list[str], text: str
) -> None:
    got, offsets = detokenize(tokens)
    assert got == text
    assert [got[s:e] for s, e in offsets] == tokens


# -- petrarch --------------------------------------------------------------------------------


def test_petrarch_reads_evaluated_sentences() -> None:
    sents = read_petrarch(FIXTURES / "petrarch.xml")
    assert [s.id for s in sents] == ["TEST_1", "TEST_2", "TEST_3", "TEST_5"]  # TEST_4 not evaluated
    first = sents[0]
    assert first.text == (
        "Kenyan President Uhuru Kenyatta hosted Ethiopian Prime Minister Abiy Ahmed "
        "in Nairobi on Monday."
    )
    assert [(c.event, c.source, c.target) for c in first.codings] == [("043", "KENGOV", "ETHGOV")]
    assert first.line == 16 and first.date == "20190311" and first.category == "TEST"
    assert sents[1].codings == ()  # noevents, with a comment inside the record
    assert [c.target for c in sents[2].codings] == ["---REB", "SDN"]
    # an empty <Text> is rebuilt from the parse
    assert sents[3].text == "Pyongyang offered talks to Seoul."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("France condemned as`` unacceptable'' the\nclaims",
         'France condemned as "unacceptable" the claims'),
        ("unfurling giant`` Free Tibet'' banners", 'unfurling giant "Free Tibet" banners'),
        ("weapons\tfrom  the &amp; army", "weapons from the & army"),
    ],
)  # fmt: skip
def test_petrarch_text_is_made_plain(raw: str, clean: str) -> None:
    assert clean_petrarch_text(raw) == clean


# -- plover ----------------------------------------------------------------------------------


def test_plover_reads_field_name_variants() -> None:
    items = read_plover(FIXTURES / "plover.jsonl")
    assert [it.id for it in items] == ["p1", "p2", "p3", "p4"]  # p5 rejected
    p1, p2, p3, p4 = items
    (e1,) = p1.events
    assert (e1.type, e1.mode) == ("CONSULT", "visit")
    assert e1.source == PloverActor("Chinese Premier Li Qiang", "CHN", ("GOV",))
    assert e1.target == PloverActor("German Chancellor Olaf Scholz", "DEU", ("GOV",))
    (e2,) = p2.events
    assert e2.type == "ASSAULT"
    assert e2.source == PloverActor("Gunmen", "SDN", ("REB",))
    assert e2.target == PloverActor("eleven farmers", "SDN", ())
    assert p2.text.startswith("Gunmen attacked") and p2.line == 2
    assert p3.events == ()
    assert [e.type for e in p4.events] == ["PROTEST", "COERCE"]
    assert p4.events[0].context == ("economic", "labor")
    assert p4.events[1].source == PloverActor("police", None, ("COP",))
    assert p4.line == 5  # blank line 4 skipped


def test_plover_reads_a_json_list() -> None:
    items = read_plover(FIXTURES / "plover_list.json")
    assert [it.id for it in items] == ["q1", "q2"]
    assert items[0].events[0].source == PloverActor("Japan", "JPN", ("GOV",))
    assert items[0].events[0].target == PloverActor("Ukraine", "UKR", ())
    assert items[1].events == ()


# -- location --------------------------------------------------------------------------------


def test_location_reads_rows_and_flags_bad_offsets() -> None:
    items = read_location(FIXTURES / "location.jsonl")
    assert [it.id for it in items] == ["101", "t_102", "103", "104", "105"]  # 106 ignored
    r101, r102, r103, r104, r105 = items
    assert (r101.verb.start, r101.verb.end, r101.verb.text) == (7, 14, "shelled")
    assert r101.locations[0].text == "Goma"
    assert r102.answer == "accept"  # no 'answer' field
    loc = r102.locations[0]
    assert (loc.start, loc.end, loc.token_start, loc.text) == (None, None, 5, "Mombasa")
    assert r103.locations == ()
    assert r104.answer == "reject"
    assert r105.problem == "2 VERB spans, expected one"
    assert r101.problem is None


# -- police ----------------------------------------------------------------------------------


def test_police_reads_labels_and_multiline_cells() -> None:
    items = read_police(FIXTURES / "police.csv")
    assert len(items) == 6
    assert items[0].text == "This story is from March 3, 2002"
    assert items[1].id == "7:1" and items[1].labels == {"ARREST", "ANY_ACTION"}
    assert items[3].labels == {"KILL", "ANY_ACTION", "FORCE"}
    assert items[4].labels == {"FAIL"}
    assert items[5].labels == frozenset()


# -- malformed files -------------------------------------------------------------------------

MALFORMED = [
    ("penta", "A sentence without a tab\n", ":1: expected 'sentence<TAB>class'"),
    ("penta", "One.\t0\nTwo.\t7\n", ":2: class 7 is not one of 0, 1, 2, 3, 4"),
    ("penta", "text\tlabel\nTwo.\tx\n", ":2: class 'x' is not a number"),
    ("penta", "\t3\n", ":1: empty sentence"),
    ("penta", "\n\n", "no 'sentence<TAB>class' lines"),
    ("spans", "Police B-S\nfired\n", ":2: expected 'token tag'"),
    ("spans", "Police B-X\n", ":1: tag 'B-X' is not"),
    ("spans", "\n", "no tagged tokens"),
    ("petrarch", "<Validation></Validation>", "no <Sentence> records"),
    (
        "petrarch",
        '<Sentences>\n<Sentence id="a"/>\n<EventCoding eventcode="043" sourcecode="USA" />\n'
        "<Text>x</Text>\n</Sentence>",
        ":3: sentence 'a': <EventCoding> lacks targetcode",
    ),
    (
        "petrarch",
        '<Sentence id="a"/>\n<EventCoding eventcode="4x" sourcecode="USA" targetcode="RUS"/>\n'
        "<Text>x</Text>",
        ":2: sentence 'a': eventcode '4x' is not a CAMEO code",
    ),
    (
        "petrarch",
        '<Sentence id="a"/>\n<EventCoding eventcode="042" sourcecode="usa" targetcode="RUS"/>\n'
        "<Text>x</Text>",
        "sourcecode 'usa' is not a CAMEO code",
    ),
    (
        "petrarch",
        '<Sentence id="a"/>\n<EventCoding noevents="True"/>\n',
        ":1: sentence 'a' has no <Text>",
    ),
    (
        "petrarch",
        '<Sentence id="a"/>\n<Text>Hello.</Text>\n',
        ":1: sentence 'a' has no <EventCoding>",
    ),
    (
        "petrarch",
        '<Sentence id="a"/>\n<EventCoding noevents="True"/>\n'
        '<EventCoding eventcode="042" sourcecode="USA" targetcode="RUS"/>\n<Text>x</Text>',
        "has codings and noevents",
    ),
    ("petrarch", '<Sentence date="1"/>\n<Text>x</Text>', ":1: <Sentence> without an id"),
    (
        "petrarch",
        '<Sentence id="a"/>\n<EventCoding noevents="True"/><Text>x</Text>\n'
        '<Sentence id="a"/>\n<EventCoding noevents="True"/><Text>y</Text>',
        ":3: sentence id 'a' repeats the one on line 1",
    ),
    ("petrarch", '<Sentence id="a" evaluate="false"/>\n<Text>x</Text>', "no sentence is marked"),
    ("plover", '{"text": "A.", "event_type": "AID"}\n{"text": \n', ":2: not valid JSON"),
    ("plover", '{"text": "A.", "mode": "visit"}\n', ":1: no event type"),
    ("plover", '{"event_type": "AID"}\n', ":1: no sentence text"),
    ("plover", '{"text": "A.", "event_type": "12!"}\n', "event type '12!' is not a PLOVER type"),
    ("plover", '["not an object"]', ":1: expected a JSON object, got str"),
    ("plover", '{"text": "A.", "events": "AID"}\n', "'events' is not a list of objects"),
    ("plover", '{"text": "A.", "event_type": "AID", "answer": "reject"}\n', "no records"),
    ("location", '{"text": "Shots rang out."}\n', ":1: no 'spans' list"),
    ("location", '{"spans": []}\n', ":1: no 'text' string"),
    (
        "location",
        '{"text": "Shots rang out.", "spans": [{"start": 0, "end": 5, "label": "PLACE"}]}\n',
        ":1: span 0 is not an object labelled VERB or LOCATION",
    ),
    (
        "location",
        '{"text": "Shots.", "spans": [{"start": 9, "end": 3, "label": "VERB"}]}\n',
        "span 0 has neither valid offsets nor token positions",
    ),
    ("location", '{"text": "Shots.", "spans": [], "answer": "maybe"}\n', "answer 'maybe'"),
    ("police", "id,text_of_it,KILL\n1,x,0\n", ":1: no sent_text"),
    ("police", "sent_text,comment\nx,y\n", ":1: no label column"),
    ("police", "sent_text,KILL\nPolice fired.,2\n", ":2: KILL is '2', expected 0 or 1"),
    ("police", "sent_text,KILL\nPolice fired.,0,1\n", ":2: 3 columns, the header has 2"),
    ("police", "", "empty file"),
]


@pytest.mark.parametrize(("fmt", "content", "message"), MALFORMED)
def test_malformed_gold_files_name_file_line_and_reason(
    tmp_path: Path, fmt: str, content: str, message: str
) -> None:
    path = tmp_path / f"gold.{fmt}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError) as info:
        read_gold(fmt, path)
    assert str(info.value).startswith(str(path))
    assert message in str(info.value)


@pytest.mark.parametrize("fmt", ["penta", "spans", "petrarch", "plover", "location", "police"])
def test_missing_and_undecodable_files(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(EvaluationError, match="no such gold file"):
        read_gold(fmt, tmp_path / "absent.txt")
    binary = tmp_path / "latin1.txt"
    binary.write_bytes("caf\xe9\tfood\n".encode("latin-1"))
    with pytest.raises(EvaluationError, match="is not UTF-8 text"):
        read_gold(fmt, binary)


def test_unknown_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="unknown gold format 'acled'"):
        read_gold("acled", tmp_path / "x")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("penta.tsv", "penta"), ("spans.txt", "spans"), ("petrarch.xml", "petrarch"),
     ("plover.jsonl", "plover"), ("plover_list.json", "plover"), ("location.jsonl", "location"),
     ("police.csv", "police")],
)  # fmt: skip
def test_guess_format_of_fixtures(name: str, fmt: str) -> None:
    assert guess_format(FIXTURES / name) == fmt


def test_guess_format_gives_up_clearly(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some prose here\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="cannot tell the gold format"):
        guess_format(path)


# -- the shared development sets (skipped when ../shared is absent) --------------------------

SHARED_SETS = [
    ("penta", "confliBERT-cameo/penta_train.tsv", 1349),
    ("spans", "confliBERT-cameo/spans_train.txt", 1153),
    ("petrarch", "petr2-gsr/PETR2_GSR_validation.xml", 78),
    ("location", "event-location/labeled_dev.jsonl", 9199),
    ("police", "india-police-events/sents.csv", 21391),
]


@pytest.mark.parametrize(("fmt", "relpath", "count"), SHARED_SETS)
def test_shared_dev_sets_read_cleanly(fmt: str, relpath: str, count: int) -> None:
    path = SHARED_DEV / relpath
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared development data lives in ../shared)")
    assert guess_format(path) == fmt
    items = read_gold(fmt, path)
    assert len(items) <= count
    assert len(items) >= count * 0.99  # a few empty police sentences are dropped
