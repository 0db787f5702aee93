"""Scorers on hand-made predictions whose precision, recall and F1 are known."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.evaluate.coder import Coded, CodedEvent, coded_event
from dyad.evaluate.readers import (
    GoldSpan,
    PetrarchCoding,
    read_location,
    read_penta,
    read_petrarch,
    read_plover,
    read_police,
    read_spans,
)
from dyad.evaluate.score import (
    dyad_actor_key,
    gold_actor_key,
    gold_codings,
    is_police,
    is_symmetric,
    petrarch_codings,
    police_labels,
    predict_roles,
    resolve_span,
    score_location,
    score_penta,
    score_petrarch,
    score_plover,
    score_police,
    score_spans,
)
from dyad.model import Actor
from tests.evaluate.fakes import FIXTURES, FakeCoder, actor, event, tokens_of

# -- penta -----------------------------------------------------------------------------------

PENTA_FAKE = FakeCoder(
    {
        "The foreign minister urged": lambda t: [
            event(t, "urged", "020", [actor("The foreign minister", "GOV")], confidence=0.9)
        ],
        "Delegations from Kenya": lambda t: [
            event(t, "discuss", "112", confidence=0.5),
            event(t, "met", "040", confidence=0.7),
        ],
        "The opposition leader": lambda t: [event(t, "accused", "112", confidence=0.7)],
        "Soldiers opened fire": lambda t: [
            event(t, "opened fire", "190", confidence=0.8),
            event(t, "killing", "020", confidence=0.8),  # a tie: the first one is the main event
        ],
        "Farmers blocked": lambda t: [event(t, "protest", "043", confidence=0.8)],
    }
)


def test_penta_scores_main_events() -> None:
    path = FIXTURES / "penta.tsv"
    report = score_penta(read_penta(path), PENTA_FAKE, path=path)
    # pairs: 0/0, 1/1, 2/none, 3/3, 4/4, 4/1
    f1 = {row.label[0]: round(row.f1, 4) for row in report.tables[0].rows}
    assert f1 == {"0": 1.0, "1": 0.6667, "2": 0.0, "3": 1.0, "4": 0.6667}
    assert report.metrics["macro_f1"] == pytest.approx((1 + 2 / 3 + 0 + 1 + 2 / 3) / 5)
    assert report.metrics["accuracy"] == pytest.approx(4 / 6)
    assert report.metrics["coverage"] == pytest.approx(5 / 6)
    assert report.n == 6 and report.skipped == 0
    confusion = report.confusion
    assert confusion is not None
    assert confusion.columns == ("0", "1", "2", "3", "4", "none")
    assert confusion.matrix[4] == (0, 1, 0, 0, 1, 0)
    assert confusion.matrix[2] == (0, 0, 0, 0, 0, 1)
    assert [e.ref for e in report.worst] == ["line 8", "line 5"]  # confident wrong class first
    assert report.worst[0].why == "class 1 instead of 4"
    assert report.worst[1].why == "no event"


def test_texts_that_cleaning_changed_are_skipped_only_where_offsets_matter() -> None:
    path = FIXTURES / "penta.tsv"
    items = read_penta(path)
    coder = FakeCoder(PENTA_FAKE.table, change=[items[0].text])
    report = score_penta(items, coder, path=path)  # sentence-level: still scored
    assert report.skipped == 0 and report.n == 6
    assert report.metrics["accuracy"] == pytest.approx(3 / 6)
    path = FIXTURES / "spans.txt"
    sents = read_spans(path)
    coder = FakeCoder(SPANS_FAKE.table, change=["Heavy rain fell across the region on Sunday."])
    report = score_spans(sents, coder, path=path)  # token offsets: skipped
    assert report.skipped == 1 and report.n == 2


def test_failed_texts_are_counted_and_scored_as_misses() -> None:
    path = FIXTURES / "penta.tsv"
    items = read_penta(path)

    def failing(texts: list[str]) -> list[Coded]:
        return [Coded(text=t, error="ValueError: boom") for t in texts]

    report = score_penta(items, lambda texts: iter(failing(list(texts))), path=path)
    assert report.counts["dyad_errors"] == 6
    assert report.metrics["accuracy"] == 0.0
    assert any("dyad failed on 6 texts" in n and "boom" in n for n in report.notes)


# -- spans -----------------------------------------------------------------------------------

SPANS_FAKE = FakeCoder(
    {
        "Turkish troops": lambda t: [
            event(t, "shelled", "195", [actor("Turkish troops", "TURMIL", "TUR")],
                  [actor("Kurdish", "KURREB")])
        ],
        "The Indian prime minister": lambda t: [
            event(t, "met", "040", [actor("Indian prime minister", "INDGOV", "IND")],
                  [actor("Nepalese officials", "NPLGOV", "NPL")])
        ],
    }
)  # fmt: skip


def test_spans_token_scores() -> None:
    path = FIXTURES / "spans.txt"
    report = score_spans(read_spans(path), SPANS_FAKE, path=path)
    rows = {r.label: (r.support, r.predicted, r.correct) for r in report.tables[0].rows}
    assert rows["S"] == (2, 2, 2)
    assert rows["T"] == (2, 1, 1)
    assert rows["R"] == (8, 5, 5)  # the envoy's determiner, "'s" and "envoy" are missed
    assert rows["micro"] == (12, 8, 8)
    assert report.metrics["micro_precision"] == pytest.approx(1.0)
    assert report.metrics["micro_recall"] == pytest.approx(8 / 12)
    assert report.metrics["micro_f1"] == pytest.approx(0.8)
    assert report.metrics["event_rate"] == pytest.approx(2 / 3)
    assert report.confusion is not None and report.confusion.matrix[1] == (0, 1, 0, 1)
    assert report.worst[0].why == "3 of 12 tokens tagged differently"
    assert "R: Indian prime minister" in report.worst[0].got


def _coded(text: str, *events: CodedEvent) -> Coded:
    return Coded(text=text, events=events, tokens=tokens_of(text))


SYM_TEXT = "Moscow and Beijing signed a trade deal with Hanoi."
MOSCOW = actor("Moscow", "RUS", "RUS")
BEIJING = actor("Beijing", "CHN", "CHN")
HANOI = actor("Hanoi", "VNM", "VNM")


@pytest.mark.parametrize(
    ("events", "tags"),
    [
        # asymmetric: sources S, target T
        ([coded_event(event(SYM_TEXT, "signed", "061", [MOSCOW], [HANOI]), SYM_TEXT)],
         "S O O O O O O O T O"),
        # flagged symmetric by the coder
        ([coded_event(event(SYM_TEXT, "signed", "061", [MOSCOW], [HANOI]), SYM_TEXT,
                      symmetric=True)],
         "R O O O O O O O R O"),
        # a symmetric CAMEO code (057 sign formal agreement)
        ([coded_event(event(SYM_TEXT, "signed", "057", [MOSCOW], [HANOI]), SYM_TEXT)],
         "R O O O O O O O R O"),
        # two sources, no target
        ([coded_event(event(SYM_TEXT, "signed", "061", [MOSCOW, BEIJING]), SYM_TEXT)],
         "R O R O O O O O O O"),
        # a mirror event
        ([coded_event(event(SYM_TEXT, "signed", "061", [MOSCOW], [BEIJING]), SYM_TEXT),
          coded_event(event(SYM_TEXT, "signed", "061", [BEIJING], [MOSCOW], confidence=0.5),
                      SYM_TEXT)],
         "R O R O O O O O O O"),
        ([], "O O O O O O O O O O"),
    ],
)  # fmt: skip
def test_predict_roles(events: list[CodedEvent], tags: str) -> None:
    offsets = tokens_of(SYM_TEXT)
    assert " ".join(predict_roles(offsets, _coded(SYM_TEXT, *events))) == tags


def test_is_symmetric_ignores_unrelated_events() -> None:
    a = coded_event(event(SYM_TEXT, "signed", "061", [MOSCOW], [HANOI]), SYM_TEXT)
    b = coded_event(event(SYM_TEXT, "signed", "061", [BEIJING], [MOSCOW]), SYM_TEXT)
    assert not is_symmetric(a, [a, b])


# -- petrarch --------------------------------------------------------------------------------

PETRARCH_FAKE = FakeCoder(
    {
        "Kenyan President": lambda t: [
            event(t, "hosted", "043", [actor("Kenyan President Uhuru Kenyatta", "KENGOV", "KEN")],
                  [actor("Ethiopian Prime Minister Abiy Ahmed", "ETHGOV", "ETH")])
        ],
        "Markets in the region": lambda t: [event(t, "said", "010", [actor("traders", "BUS")])],
        "The UN condemned": lambda t: [
            event(t, "condemned", "111", [actor("The UN", "IGOUNO", org="UN")],
                  [actor("Sudan", "SDN", "SDN")]),
            event(t, "fought", "190", [actor("its army", "SDNMIL", "SDN", ["MIL"])],
                  [actor("rebels", "REB", None, ["REB"])]),
        ],
    }
)  # fmt: skip


def test_petrarch_rates() -> None:
    path = FIXTURES / "petrarch.xml"
    report = score_petrarch(read_petrarch(path), PETRARCH_FAKE, path=path)
    m = report.metrics
    assert report.n == 4
    assert m["root_actors_tp_rate"] == pytest.approx(3 / 4)
    assert m["root_actors_extra_rate"] == pytest.approx(1 / 4)
    assert m["full_tp_rate"] == pytest.approx(2 / 4)
    assert m["full_extra_rate"] == pytest.approx(2 / 4)
    assert m["root_tp_rate"] == pytest.approx(3 / 4)
    assert m["root_extra_rate"] == pytest.approx(1 / 4)
    assert m["noevent_accuracy"] == 0.0
    rows = {r.label: (r.support, r.predicted, r.correct) for r in report.tables[0].rows}
    assert rows == {
        "01": (0, 1, 0),
        "03": (1, 0, 0),
        "04": (1, 1, 1),
        "11": (1, 1, 1),
        "19": (1, 1, 1),
    }
    assert {e.ref for e in report.worst} == {"TEST_2", "TEST_5"}


@pytest.mark.parametrize(
    ("code", "key"),
    [("USAGOV", "USA"), ("USA", "USA"), ("PSEGZA", "PSE"), ("---REB", "-"), ("REB", "-"),
     ("IGOUNOMIL", "IGO:UNO"), ("IGOUNO", "IGO:UNO"), ("IGOEUREEC", "IGO:EEC"),
     ("IGOWSTNAT", "IGO:NAT"), ("AFR", "AFR"), ("MEAREB", "MEA"), ("---MIL", "-")],
)  # fmt: skip
def test_gold_actor_key(code: str, key: str) -> None:
    assert gold_actor_key(code) == key


@pytest.mark.parametrize(
    ("dyad_actor", "key"),
    [(actor("Russia", "RUS", "RUS"), "RUS"),
     (actor("Russian troops", "RUSMIL", "RUS", ["MIL"]), "RUS"),
     (actor("the EU", "IGOEU", org="EU", sectors=["IGO"]), "IGO:EEC"),
     (actor("the European Commission", "IGOEUEC", org="EC", sectors=["IGO"]), "IGO:EEC"),
     (actor("NATO", "IGONATO", org="NATO", sectors=["IGO"]), "IGO:NAT"),
     (actor("NATO", "IGOWSTNAT"), "IGO:NAT"),
     (actor("UNHCR", "IGOUNOHCR", org="UNHCR", sectors=["IGO"]), "IGO:UNO"),
     (actor("Ban Ki-moon", "IGO", org="UNO", sectors=["IGO"]), "IGO:UNO"),
     (actor("the IMF chief", "BGR", "BGR", ["IGO"], org="IMF"), "IGO:IMF"),
     (actor("the Arab League", "IGOLAS", org="LAS", sectors=["IGO"]), "IGO:LAS"),
     (actor("Hamas", "PSEREBHAM", "PSE", ["REB"], org="HAMAS"), "PSE"),
     (actor("Europe", "EUR"), "EUR"),
     (actor("rebels", "REB", None, ["REB"]), "-"),
     (actor("Iraqi police", "IRQCOP"), "IRQ"),
     (None, "")],
)  # fmt: skip
def test_dyad_actor_key(dyad_actor: Actor | None, key: str) -> None:
    assert dyad_actor_key(dyad_actor) == key


def test_petrarch_codings_expand_compound_and_symmetric_events() -> None:
    text = "Brazil and the United States met Chile."
    brazil, usa, chile = (
        actor("Brazil", "BRA", "BRA"),
        actor("United States", "USA", "USA"),
        (actor("Chile", "CHL", "CHL")),
    )
    both = coded_event(event(text, "met", "031", [brazil, usa]), text)
    by_actor, full, roots = petrarch_codings([both])
    assert by_actor == {("03", "BRA", "USA"), ("03", "USA", "BRA")}
    assert roots == {"03"}
    sym = coded_event(event(text, "met", "040", [brazil], [chile]), text)
    by_actor, full, _ = petrarch_codings([sym])
    assert full == {("040", "BRA", "CHL"), ("040", "CHL", "BRA")}
    one_way = coded_event(event(text, "met", "042", [brazil, usa], [chile]), text)
    by_actor, _, _ = petrarch_codings([one_way])
    assert by_actor == {("04", "BRA", "CHL"), ("04", "USA", "CHL")}
    lone = coded_event(event(text, "met", "042", [brazil]), text)
    assert petrarch_codings([lone])[0] == {("04", "BRA", "")}


def test_gold_codings_views() -> None:
    by_actor, full, roots = gold_codings(
        [PetrarchCoding("0352", "ISR", "PSE"), PetrarchCoding("190", "---REB", "SYRGOV")]
    )
    assert by_actor == {("03", "ISR", "PSE"), ("19", "-", "SYR")}
    assert full == {("0352", "ISR", "PSE"), ("190", "REB", "SYRGOV")}
    assert roots == {"03", "19"}


# -- location --------------------------------------------------------------------------------

LOCATION_FAKE = FakeCoder(
    {
        "Rebels shelled": lambda t: [event(t, "shelled", "195", place="Goma")],
        "Police arrested": lambda t: [event(t, "arrested", "173", place="raid")],
        "At least nine": lambda t: [event(t, "killed", "1823", place="ambush")],
        "Troops from Chad": lambda t: [event(t, "clashed", "190", place="Chad")],
        "Protesters marched": lambda t: [event(t, "marched", "141", place="Lagos")],
    }
)


def test_location_rates() -> None:
    path = FIXTURES / "location.jsonl"
    report = score_location(read_location(path), LOCATION_FAKE, path=path)
    m = report.metrics
    assert m["found_rate"] == 1.0
    assert m["place_accuracy"] == pytest.approx(0.5)
    assert m["place_rate"] == pytest.approx(0.5)
    assert m["unlocated_placed_rate"] == 1.0
    assert m["reject_placed_rate"] == 1.0
    assert report.n == 4 and report.skipped == 1
    assert report.counts["accepted"] == 3 and report.counts["with_gold_place"] == 2
    assert any("line 5: 2 VERB spans" in n for n in report.notes)
    (wrong,) = report.worst
    assert wrong.why == "placed elsewhere" and '"raid"' in wrong.got
    by_source = {r.label: (r.support, r.predicted, r.correct) for r in report.tables[0].rows}
    assert by_source == {"Test": (1, 1, 1), "Test_RA": (1, 1, 0)}


def test_location_without_events() -> None:
    path = FIXTURES / "location.jsonl"
    report = score_location(read_location(path), FakeCoder(), path=path)
    assert report.metrics["found_rate"] == 0.0
    assert report.metrics["place_accuracy"] == 0.0
    assert {e.why for e in report.worst} == {'no event on "shelled"', 'no event on "arrested"'}


CHAD = "Chad troops entered Chad."


@pytest.mark.parametrize(
    ("span", "lead", "expected"),
    [
        (GoldSpan(0, 4, 0, 0, "Chad"), 0, (0, 4)),  # valid offsets
        (GoldSpan(21, 25, 4, 4, "Chad"), 1, (20, 24)),  # offsets in the unstripped row
        (GoldSpan(None, None, 1, 1, "troops"), 0, (5, 11)),  # words found
        (GoldSpan(None, None, 3, 3, "Chad"), 0, (20, 24)),  # repeated words: the token decides
        (GoldSpan(None, None, 4, 4, "Chad"), 1, (20, 24)),  # ... counted after a lead token
        (GoldSpan(None, None, 1, 2, None), 0, (5, 19)),  # token positions only
        (GoldSpan(None, None, 9, 9, None), 0, None),  # nothing usable
    ],
)
def test_resolve_span(span: GoldSpan, lead: int, expected: tuple[int, int] | None) -> None:
    assert resolve_span(span, lead, CHAD, tokens_of(CHAD)) == expected


# -- plover ----------------------------------------------------------------------------------

PLOVER_FAKE = FakeCoder(
    {
        "Chinese Premier": lambda t: [
            event(t, "met", "040", [actor("Chinese Premier Li Qiang", "CHNGOV", "CHN", ["GOV"])],
                  [actor("Olaf Scholz", "DEUGOV", "DEU", ["GOV"])], plover="CONSULT",
                  mode="visit")
        ],
        "Gunmen attacked": lambda t: [
            event(t, "attacked", "190", [actor("Gunmen", "REB", None, ["REB"])],
                  [actor("farmers", "SDNAGR", "SDN", ["AGR"])], plover="ASSAULT")
        ],
        "The central bank": lambda t: [event(t, "kept", "080", plover="CONCEDE")],
        "Dock workers": lambda t: [
            event(t, "dispersed", "175", [actor("police", "BELCOP", "BEL", ["COP"])],
                  plover="COERCE", confidence=0.9),
            event(t, "struck", "143", [actor("Dock workers", "BELLAB", "BEL", ["LAB"])],
                  plover="PROTEST", mode="strike", confidence=0.6),
        ],
    }
)  # fmt: skip


def test_plover_types_and_actors() -> None:
    path = FIXTURES / "plover.jsonl"
    report = score_plover(read_plover(path), PLOVER_FAKE, path=path)
    m = report.metrics
    types = {r.label: (r.support, r.predicted, r.correct) for r in report.tables[0].rows}
    assert types == {
        "ASSAULT": (1, 1, 1),
        "COERCE": (1, 1, 1),
        "CONSULT": (1, 1, 1),
        "PROTEST": (1, 1, 1),
        "CONCEDE": (0, 1, 0),
    }
    assert m["macro_f1"] == 1.0  # over the gold types
    assert m["micro_f1"] == pytest.approx(2 * 0.8 / 1.8)
    assert m["type_accuracy"] == pytest.approx(0.5)
    assert m["mode_accuracy"] == 1.0
    assert m["source_country_accuracy"] == pytest.approx(2 / 3)
    assert m["target_country_accuracy"] == 1.0
    assert m["source_sector_accuracy"] == 1.0
    assert m["target_text_accuracy"] == pytest.approx(2 / 3)
    actors = {r.label: (r.support, r.predicted, r.correct) for r in report.tables[1].rows}
    assert actors["source country"] == (3, 3, 2)
    assert actors["source text"] == (4, 4, 4)
    c = report.confusion
    assert c is not None
    assert c.rows == ("ASSAULT", "CONSULT", "PROTEST", "none")
    assert c.columns == ("ASSAULT", "COERCE", "CONCEDE", "CONSULT", "PROTEST", "none")
    assert c.matrix[2] == (0, 1, 0, 0, 0, 0)
    assert c.matrix[3] == (0, 0, 1, 0, 0, 0)
    assert [e.why for e in report.worst] == [
        "main type COERCE instead of PROTEST",
        "main type CONCEDE instead of none",
    ]


# -- police ----------------------------------------------------------------------------------

POLICE = actor("Police", "INDCOP", "IND", ["COP"])
POLICE_FAKE = FakeCoder(
    {
        "Police arrested": lambda t: [
            event(t, "arrested", "173", [POLICE]),
            event(t, "rioting", "145", [actor("three men", "IND")]),
        ],
        "Officers fired": lambda t: [event(t, "fired", "190", [actor("Officers", "INDCOP")])],
        "Two people": lambda t: [event(t, "opened fire", "190", [POLICE])],
        "The police did not": lambda t: [event(t, "intervene", "175", [POLICE], status="negated")],
        "The minister": lambda t: [event(t, "visited", "042", [actor("The minister", "INDGOV")])],
    }
)


def test_police_labels() -> None:
    path = FIXTURES / "police.csv"
    report = score_police(read_police(path), POLICE_FAKE, path=path)
    rows = {r.label: (r.support, r.predicted, r.correct) for r in report.tables[0].rows}
    assert rows == {
        "KILL": (1, 2, 1),
        "ARREST": (1, 1, 1),
        "FORCE": (2, 2, 2),
        "FAIL": (1, 1, 1),
        "ANY_ACTION": (3, 3, 3),
    }
    assert report.metrics["kill_f1"] == pytest.approx(2 / 3)
    assert report.metrics["macro_f1"] == pytest.approx((2 / 3 + 4) / 5)
    (error,) = report.worst
    assert error.ref == "7:2" and error.why == "extra KILL"


@pytest.mark.parametrize(
    ("dyad_actor", "police"),
    [(actor("police", "INDCOP", "IND", ["COP"]), True), (actor("police", "COP"), True),
     (actor("officers", "INDCOPMIL"), True), (actor("Copenhagen", "DNK"), False),
     (actor("the army", "INDMIL", "IND", ["MIL"]), False)],
)  # fmt: skip
def test_is_police(dyad_actor: Actor, police: bool) -> None:
    assert is_police(dyad_actor) is police


def test_police_labels_need_asserted_police_events() -> None:
    text = "Police may arrest the leaders."
    future = coded_event(event(text, "arrest", "173", [POLICE], status="future"), text)
    assert police_labels([future]) == set()


def test_coder_returning_too_few_results_is_an_error(tmp_path: Path) -> None:
    path = FIXTURES / "penta.tsv"
    with pytest.raises(Exception, match="the coder returned 0 results for 6 texts"):
        score_penta(read_penta(path), lambda texts: iter(()), path=path)
