"""Stage 5, the event coder: triggers, codes, source and target from the parse.

Each sentence is parsed and resolved once per process (``_coded`` is cached). An expected
code of two digits checks the CAMEO root only; three or four digits check the full code.
Cases the coder gets wrong today are ``xfail(strict=True)`` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Final

import pytest
from spacy.tokens import Doc

from dyad.actors.resolve import find_mentions
from dyad.draft import EventDraft, Mention
from dyad.events.coder import code_events
from dyad.parse import parse_one

pytestmark = pytest.mark.slow

PUBLISHED: Final = date(2023, 5, 10)


@dataclass(frozen=True, slots=True)
class Coded:
    doc: Doc
    mentions: tuple[Mention, ...]
    events: tuple[EventDraft, ...]


@cache
def _coded(text: str, headings: tuple[tuple[int, int], ...] = ()) -> Coded:
    doc = parse_one(text)
    mentions = find_mentions(doc, PUBLISHED, headings)
    return Coded(doc, mentions, tuple(code_events(doc, mentions, headings)))


def _trigger(c: Coded, e: EventDraft) -> str:
    return c.doc[e.trigger_start : e.trigger_end].text


def _summary(c: Coded) -> list[str]:
    return [
        f"{e.cameo} {_trigger(c, e)!r} {[a.code for a in e.source]}->"
        f"{[a.code for a in e.target]} {e.status}"
        for e in c.events
    ]


def _event(text: str, trigger: str) -> tuple[Coded, EventDraft]:
    c = _coded(text)
    found = [e for e in c.events if _trigger(c, e) == trigger]
    assert len(found) == 1, f"trigger {trigger!r} in {text!r}: {_summary(c)}"
    return c, found[0]


def _code_matches(got: str, want: str) -> bool:
    return got[:2] == want if len(want) == 2 else got == want


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


# -- who did what to whom ------------------------------------------------------------------

# (text, trigger as written, CAMEO, source codes, target codes)
EVENTS = [
    # verbs with subject and object
    pytest.param(
        "Egypt condemned Israel on Monday.",
        "condemned",
        "111",
        ("EGY",),
        ("ISR",),
        id="verb-condemn",
    ),
    pytest.param(
        "Turkey shelled Kurdish positions in northern Syria.",
        "shelled",
        "194",
        ("TUR",),
        ("KUR",),
        id="verb-shell-demonym-object",
    ),
    pytest.param(
        "Japan praised South Korea for its restraint.",
        "praised",
        "051",
        ("JPN",),
        ("KOR",),
        id="verb-praise",
    ),
    pytest.param(
        "Germany apologised to Namibia for the colonial-era killings.",
        "apologised",
        "055",
        ("DEU",),
        ("NAM",),
        id="verb-apologise-to",
    ),
    pytest.param(
        "China warned the Philippines against provocations.",
        "warned",
        "13",
        ("CHN",),
        ("PHL",),
        id="verb-warn",
    ),
    pytest.param(
        "Qatar mediated between Israel and Hamas.",
        "mediated",
        "045",
        ("QAT",),
        ("ISR", "PSEREBHAM"),
        id="verb-mediate-between",
    ),
    pytest.param(
        "The White House criticised Beijing for the raid.",
        "criticised",
        "111",
        ("USAGOV",),
        ("CHNGOV",),
        id="verb-metonyms-both-sides",
    ),
    pytest.param(
        "Student protesters marched on the parliament in Dhaka.",
        "marched",
        "14",
        ("OPP",),
        ("LEG",),
        id="verb-march-on",
    ),
    pytest.param(
        "Mexico recognised the new government in Bolivia.",
        "recognised",
        "054",
        ("MEX",),
        ("BOLGOV",),
        id="verb-object-in-phrase-government",
    ),
    pytest.param(
        "Nigerian troops killed twelve militants near Maiduguri.",
        "killed",
        "19",
        ("NGAMIL",),
        ("REB",),
        id="verb-kill-groups",
    ),
    pytest.param(
        "Kenyan President William Ruto arrived in Kampala. The president met Ugandan officials.",
        "met",
        "040",
        ("KENGOV",),
        ("UGAGOV",),
        id="verb-source-is-a-reference",
    ),
    # meetings: "met with", and symmetric lists split with the first as source
    pytest.param(
        "The Japanese prime minister met with the Australian prime minister in Tokyo.",
        "met",
        "040",
        ("JPNGOV",),
        ("AUSGOV",),
        id="met-with",
    ),
    pytest.param(
        "Erdoğan met Putin in Sochi on Friday.",
        "met",
        "040",
        ("TURGOV",),
        ("RUSGOV",),
        id="met-object",
    ),
    pytest.param(
        "Saudi Arabia and Iran met in Beijing.",
        "met",
        "040",
        ("SAU",),
        ("IRN",),
        id="X-and-Y-met",
    ),
    pytest.param(
        "Indonesia and Malaysia met with Singapore.",
        "met",
        "040",
        ("IDN", "MYS"),
        ("SGP",),
        id="X-and-Y-met-with-Z",
    ),
    pytest.param(
        "Washington and Beijing traded accusations over the balloon incident.",
        "traded accusations",
        "112",
        ("USAGOV",),
        ("CHNGOV",),
        id="X-and-Y-traded-accusations",
    ),
    pytest.param(
        "The foreign ministers of Chile and Peru met in Lima on Monday.",
        "met",
        "040",
        ("CHLGOV",),
        ("PERGOV",),
        id="ministers-of-X-and-Y-met",
    ),
    # passives, with and without a "by" agent
    pytest.param(
        "Two Kenyan journalists were detained by Ethiopian police.",
        "detained",
        "173",
        ("ETHCOP",),
        ("KENMED",),
        id="passive-with-by",
    ),
    pytest.param(
        "Five Ugandan soldiers were killed in Somalia.",
        "killed",
        "19",
        (),
        ("UGAMIL",),
        id="passive-without-agent",
    ),
    pytest.param(
        "Sanctions were imposed on Belarus in 2021.",
        "Sanctions were imposed",
        "163",
        (),
        ("BLR",),
        id="passive-light-verb",
    ),
    # event nouns
    pytest.param(
        "The invasion of Ukraine shocked Europe.",
        "invasion",
        "19",
        (),
        ("UKR",),
        id="noun-invasion-of",
    ),
    pytest.param(
        "Sanctions on Iran have hurt its oil exports.",
        "Sanctions",
        "163",
        (),
        ("IRN",),
        id="noun-sanctions-on",
    ),
    pytest.param(
        "Talks between Serbia and Kosovo resumed in Brussels.",
        "Talks",
        "040",
        ("SRB",),
        ("XKX",),
        id="noun-talks-between",
    ),
    pytest.param(
        "Russia's attack on Ukraine drew condemnation.",
        "attack",
        "19",
        ("RUS",),
        ("UKR",),
        id="noun-possessive-attack-on",
    ),
    pytest.param(
        "An attack by Houthi rebels damaged a Saudi oil facility.",
        "attack",
        "19",
        ("YEMREBHOU",),
        (),
        id="noun-attack-by",
    ),
    pytest.param(
        "Israel's blockade of Gaza entered its third week.",
        "blockade",
        "191",
        ("ISR",),
        ("PSE",),
        id="noun-blockade",
    ),
    pytest.param(
        "Russian air strikes pounded Kharkiv.",
        "air strikes",
        "195",
        ("RUS",),
        (),
        id="noun-demonym-air-strikes",
    ),
    pytest.param(
        "Russian strikes hit the port of Odesa overnight.",
        "strikes",
        "19",
        ("RUS",),
        (),
        id="noun-demonym-strikes",
        marks=_xfail("a bare 'strikes' under a demonym is no trigger (only 'air strikes' is)"),
    ),
    # light verbs: the noun carries the event, the trigger spans both
    pytest.param(
        "Vietnam and the Philippines held talks on maritime security.",
        "held talks",
        "040",
        ("VNM",),
        ("PHL",),
        id="light-held-talks",
    ),
    pytest.param(
        "Canada imposed sanctions on Venezuela.",
        "imposed sanctions",
        "163",
        ("CAN",),
        ("VEN",),
        id="light-imposed-sanctions",
    ),
    pytest.param(
        "Argentina and Chile signed an agreement on energy.",
        "signed an agreement",
        "057",
        ("ARG",),
        ("CHL",),
        id="light-signed-an-agreement",
    ),
    pytest.param(
        "America pledged more aid to Ukraine.",
        "pledged more aid",
        "033",
        ("USA",),
        ("UKR",),
        id="light-pledged-aid",
    ),
    pytest.param(
        "The United States sent humanitarian aid to Gaza.",
        "sent humanitarian aid",
        "073",
        ("USA",),
        ("PSE",),
        id="light-sent-aid",
    ),
    pytest.param(
        "Pakistan's army launched an offensive against militants.",
        "launched an offensive",
        "19",
        ("PAKMIL",),
        ("REB",),
        id="light-launched-an-offensive",
    ),
    pytest.param(
        "Algeria cut diplomatic ties with Morocco.",
        "cut diplomatic ties",
        "161",
        ("DZA",),
        ("MAR",),
        id="light-cut-ties",
    ),
    pytest.param(
        "Poland expelled three Belarusian diplomats.",
        "expelled three Belarusian diplomats",
        "16",
        ("POL",),
        ("BLRGOV",),
        id="light-expelled-diplomats",
    ),
    pytest.param(
        "The Iranian foreign ministry summoned the British ambassador.",
        "summoned the British ambassador",
        "11",
        ("IRNGOV",),
        ("GBRGOV",),
        id="light-summoned-ambassador",
    ),
    # inverted verbs: the subject undergoes the event
    pytest.param(
        "Ukraine received weapons from Germany.",
        "received weapons",
        "072",
        ("DEU",),
        ("UKR",),
        id="inverted-received-from",
    ),
    pytest.param(
        "The Russian strikes on Odesa drew condemnation from Turkey.",
        "drew condemnation",
        "111",
        ("TUR",),
        ("RUS",),
        id="inverted-drew-condemnation-from",
    ),
    # complement frames
    pytest.param(
        "North Korea threatened to impose sanctions on South Korea.",
        "threatened",
        "1312",
        ("PRK",),
        ("KOR",),
        id="frame-threatened-to-impose-sanctions",
    ),
    pytest.param(
        "The United States urged Iran to release the detained sailors.",
        "urged",
        "02",
        ("USA",),
        ("IRN",),
        id="frame-urged-to-release",
    ),
    pytest.param(
        "Venezuela refused to meet the opposition.",
        "refused",
        "12",
        ("VEN",),
        ("OPP",),
        id="frame-refused-to-meet",
    ),
    pytest.param(
        "Serbia refused to recognise Kosovo.",
        "refused",
        "12",
        ("SRB",),
        ("XKX",),
        id="frame-refused-to-recognise",
    ),
    pytest.param(
        "Seoul pledged to cooperate with Tokyo.",
        "pledged",
        "03",
        ("KORGOV",),
        ("JPNGOV",),
        id="frame-pledged-to-cooperate",
    ),
    pytest.param(
        "Armenia accused Azerbaijan of shelling three villages.",
        "accused",
        "1123",
        ("ARM",),
        ("AZE",),
        id="frame-accused-of-aggression",
    ),
    # relation nouns count when a verb states them
    pytest.param(
        "Laos declared its friendship with Vietnam at the ceremony.",
        "friendship",
        "05",
        ("LAO",),
        ("VNM",),
        id="stated-friendship",
    ),
    pytest.param(
        "Cuba reaffirmed its friendship with Nicaragua.",
        "reaffirmed its friendship",
        "05",
        ("CUB",),
        ("NIC",),
        id="stated-reaffirmed-friendship",
    ),
    # pronouns and references as participants
    pytest.param(
        "South Korea and North Korea held rare talks. "
        "Seoul accused its northern neighbour of stalling.",
        "accused",
        "112",
        ("KORGOV",),
        ("PRK",),
        id="target-its-northern-neighbour",
    ),
    pytest.param(
        "Sergei Lavrov met Wang Yi in Beijing. The two ministers signed a protocol.",
        "signed a protocol",
        "057",
        ("RUSGOV",),
        ("CHNGOV",),
        id="source-the-two-ministers",
    ),
    pytest.param(
        "Police in Nairobi arrested dozens of protesters.",
        "arrested",
        "173",
        ("KENCOP",),
        ("OPP",),
        id="target-dozens-of",
    ),
    pytest.param(
        "Thailand deported dozens of Myanmar refugees.",
        "deported",
        "174",
        ("THA",),
        ("MMRREF",),
        id="target-dozens-of-demonym-group",
    ),
    pytest.param(
        "Egypt hosted Israeli and Palestinian negotiators in Cairo.",
        "hosted",
        "043",
        ("EGY",),
        ("ISRGOV", "PSEGOV"),
        id="target-coordinated-demonyms",
    ),
    # violence outside combat is assault (18), between armed forces military force (19)
    pytest.param(
        "Gunmen killed four farmers overnight.",
        "killed",
        "1823",
        ("UAF",),
        ("AGR",),
        id="kill-by-gunmen-is-assault",
    ),
    pytest.param(
        "Nigerian troops killed twelve militants near Maiduguri.",
        "killed",
        "190",
        ("NGAMIL",),
        ("REB",),
        id="kill-between-armed-forces-is-force",
    ),
    # passives: the by-agent is the source, the subject the target, even with a stranded
    # preposition; a possessor of a relational noun is not the actor
    pytest.param(
        "A Turkish warship was fired upon by Greek coast guards.",
        "fired",
        "193",
        ("GRCCOP",),
        ("TURMIL",),
        id="passive-stranded-preposition",
    ),
    pytest.param(
        "The aid workers were released by their captors.",
        "workers were released",
        "0841",
        ("CRM",),
        ("LAB",),
        id="passive-captors-are-not-the-captives",
    ),
    # a gathering's participants are the target of an act against it
    pytest.param(
        "Police dispersed a rally in the capital.",
        "dispersed a rally",
        "175",
        ("COP",),
        ("OPP",),
        id="target-participants-of-a-rally",
    ),
    # the parser hangs the target phrase on the agent of an event noun
    pytest.param(
        "A raid by militants on a police station killed two officers.",
        "raid",
        "190",
        ("REB",),
        ("COP",),
        id="noun-target-past-its-agent",
    ),
    pytest.param(
        "An attack by rebels in Chad killed five.",
        "attack",
        "190",
        ("TCDREB",),
        (),
        id="noun-agent-country-is-no-target",
    ),
    # a happening of violence or protest stands with nobody named
    pytest.param(
        "Clashes broke out in El Fasher on Sunday.",
        "Clashes broke out",
        "190",
        (),
        (),
        id="clashes-broke-out",
    ),
    pytest.param(
        "Heavy fighting raged in the north.", "fighting raged", "190", (), (), id="fighting-raged"
    ),
    pytest.param(
        "Protests erupted in several cities.",
        "Protests erupted",
        "141",
        (),
        (),
        id="protests-erupted",
    ),
    pytest.param(
        "A drone strike hit a wedding party.",
        "drone strike hit",
        "195",
        (),
        (),
        id="drone-strike-hit",
    ),
    # a bomb that goes off is a bombing with nobody named; its kind stays the modifier's
    pytest.param(
        "A bomb exploded in a crowded market.", "bomb exploded", "183", (), (), id="bomb-exploded"
    ),
    pytest.param(
        "A car bomb went off near a checkpoint.",
        "car bomb went off",
        "1832",
        (),
        (),
        id="car-bomb-went-off",
    ),
    # "between X and Y" on the verb of taking place names the happening's two sides
    pytest.param(
        "Fighting erupted between Sudanese troops and the RSF on Monday.",
        "Fighting",
        "190",
        ("SDNMIL",),
        ("SDNREBRSF",),
        id="happening-between-on-the-verb",
    ),
]


@pytest.mark.parametrize(("text", "trigger", "cameo", "source", "target"), EVENTS)
def test_event_is_coded(
    text: str, trigger: str, cameo: str, source: tuple[str, ...], target: tuple[str, ...]
) -> None:
    c, e = _event(text, trigger)
    assert _code_matches(e.cameo, cameo), _summary(c)
    assert tuple(a.code for a in e.source) == source, _summary(c)
    assert tuple(a.code for a in e.target) == target, _summary(c)


SYMMETRY = [
    pytest.param("Saudi Arabia and Iran met in Beijing.", "met", True, id="meet"),
    pytest.param(
        "Talks between Serbia and Kosovo resumed in Brussels.", "Talks", True, id="talks-between"
    ),
    pytest.param(
        "Clashes broke out between Serbia and Kosovo.",
        "Clashes",
        True,
        id="clashes-broke-out-between",
    ),
    pytest.param(
        "Argentina and Chile signed an agreement on energy.",
        "signed an agreement",
        True,
        id="agreement",
    ),
    pytest.param("Egypt condemned Israel on Monday.", "condemned", False, id="condemn"),
    pytest.param(
        "Canada imposed sanctions on Venezuela.", "imposed sanctions", False, id="sanctions"
    ),
]


@pytest.mark.parametrize(("text", "trigger", "symmetric"), SYMMETRY)
def test_symmetric_events_are_marked(text: str, trigger: str, symmetric: bool) -> None:
    _, e = _event(text, trigger)
    assert e.symmetric is symmetric


# -- frames absorb or negate the event they govern --------------------------------------------

FRAME_ROOTS = [
    pytest.param(
        "North Korea threatened to impose sanctions on South Korea.", ["13"], id="threat-only"
    ),
    pytest.param(
        "The United States urged Iran to release the detained sailors.", ["02"], id="appeal-only"
    ),
    pytest.param("Venezuela refused to meet the opposition.", ["12"], id="refusal-only"),
    pytest.param("Armenia accused Azerbaijan of shelling three villages.", ["11"], id="accusation"),
]


@pytest.mark.parametrize(("text", "roots"), FRAME_ROOTS)
def test_frame_makes_one_main_event(text: str, roots: list[str]) -> None:
    """The stated act is the one main record; the material act under it is background."""
    c = _coded(text)
    assert [e.cameo[:2] for e in c.events if not e.background] == roots, _summary(c)
    material = [e for e in c.events if e.background]
    assert len(material) <= 1, _summary(c)
    assert all(e.status in ("future", "negated", "hypothetical") for e in material), _summary(c)


def test_denied_attacking_is_a_negated_attack() -> None:
    c = _coded("Moscow denied attacking the convoy.")
    attacks = [e for e in c.events if e.cameo.startswith("19")]
    assert len(attacks) == 1, _summary(c)
    assert attacks[0].status == "negated"
    assert [a.code for a in attacks[0].source] == ["RUSGOV"]
    assert _trigger(c, attacks[0]) == "attacking"


# -- relation nouns, names, headings: no event -----------------------------------------------

NO_EVENT = [
    pytest.param(
        "Vietnam and Laos share a long border. "
        "Their cooperation is widely viewed as a model for the region.",
        1,
        "",
        id="relation-noun-as-subject",
    ),
    pytest.param(
        "Vietnam and Laos share a long border. "
        "Their partnership is seen by analysts as a hedge against China.",
        1,
        "",
        id="relation-noun-seen-as",
    ),
    pytest.param(
        "Leaders gathered for the Asia-Pacific Economic Cooperation forum in Lima.",
        0,
        "",
        id="cooperation-inside-APEC",
    ),
    pytest.param(
        "The Shanghai Cooperation Organisation met in Astana.",
        0,
        "Cooperation",
        id="cooperation-inside-SCO",
    ),
    pytest.param(
        "Kenya and Uganda signed the accord in March.", 0, "March", id="month-is-no-march"
    ),
    pytest.param(
        "The Taliban detained two aid workers in Kabul.",
        0,
        "aid",
        id="aid-workers-is-no-aid",
    ),
    # not a happening: a plain "strike" may be a labour strike; "talks" are not violence;
    # a noun of violence that is not the subject of a verb of taking place
    pytest.param("The strike continued for a third day.", 0, "strike", id="plain-strike-goes-on"),
    pytest.param("Talks continued in Doha.", 0, "", id="talks-are-no-happening"),
    # a bomb found or defused did not go off, and hit nobody named
    pytest.param("Police defused a bomb in the market.", 0, "bomb", id="bomb-defused"),
    pytest.param("The clashes were a reminder.", 0, "clashes", id="clashes-not-taking-place"),
]


@pytest.mark.parametrize(("text", "sentence", "word"), NO_EVENT)
def test_no_event(text: str, sentence: int, word: str) -> None:
    """No event in the sentence at all (``word`` empty), or none triggered by ``word``."""
    c = _coded(text)
    found = [
        e
        for e in c.events
        if e.sentence == sentence and (not word or word in _trigger(c, e).split())
    ]
    assert found == [], _summary(c)


def test_shanghai_cooperation_organisation_still_meets() -> None:
    _, e = _event("The Shanghai Cooperation Organisation met in Astana.", "met")
    assert [a.org for a in e.source] == ["SCO"]


def test_headings_are_skipped() -> None:
    heading = "Canada imposes sanctions on Venezuela"
    text = f"{heading}\nBrazil condemned Argentina on Monday."
    every = _coded(text)
    assert {e.sentence for e in every.events} == {0, 1}, _summary(every)
    body = _coded(text, ((0, len(heading)),))
    assert [(e.sentence, e.cameo) for e in body.events] == [(1, "111")], _summary(body)


# -- event nouns that refer back -----------------------------------------------------------------

COREFERENCE = [
    pytest.param(
        "A summit between Ghana and Nigeria opened in Accra on Monday. "
        "Reporters were barred from the summit.",
        "summit",
        ("GHA",),
        ("NGA",),
        id="the-summit",
    ),
    pytest.param(
        "A summit between Ghana and Nigeria opened in Accra on Monday. "
        "The summit was overshadowed by the coup in Niger.",
        "summit",
        ("GHA",),
        ("NGA",),
        id="the-summit-as-subject",
    ),
    pytest.param(
        "Egypt's defence minister visited Sudan. The visit was the first since the coup.",
        "visit",
        ("EGYGOV",),
        ("SDN",),
        id="the-visit",
    ),
    pytest.param(
        "Ghana and Nigeria held a summit in Accra on Monday. "
        "Reporters were barred from the summit.",
        "summit",
        ("GHA",),
        ("NGA",),
        id="the-summit-after-held-a-summit",
    ),
    pytest.param(
        "Chile and Peru met in Lima on Monday. Reporters were barred from the meeting.",
        "meeting",
        ("CHL",),
        ("PER",),
        id="the-meeting-after-met",
    ),
]


@pytest.mark.parametrize(("text", "noun", "source", "target"), COREFERENCE)
def test_event_noun_refers_back(
    text: str, noun: str, source: tuple[str, ...], target: tuple[str, ...]
) -> None:
    c = _coded(text)
    later = [e for e in c.events if e.sentence == 1 and c.doc[e.trigger_head].text == noun]
    assert len(later) == 1, _summary(c)
    e = later[0]
    assert tuple(a.code for a in e.source) == source
    assert tuple(a.code for a in e.target) == target
    first = [d for d in c.events if d.sentence == 0]
    assert e.anchor is not None and e.anchor in {d.trigger_head for d in first}
    assert e.confidence < first[0].confidence  # borrowed participants are less certain


def test_an_indefinite_event_noun_does_not_refer_back() -> None:
    c = _coded(
        "A summit between Ghana and Nigeria opened in Accra on Monday. "
        "Analysts called for a summit on security."
    )
    assert [e for e in c.events if e.sentence == 1 and e.anchor is not None] == []


# -- what every draft carries -----------------------------------------------------------------


def _event_texts() -> list[str]:
    out: dict[str, None] = {}
    for p in EVENTS:
        assert isinstance(p.values[0], str)
        out[p.values[0]] = None
    return list(out)


@pytest.mark.parametrize("text", _event_texts())
def test_drafts_are_well_formed(text: str) -> None:
    c = _coded(text)
    sents = list(c.doc.sents)
    for e in c.events:
        sent = sents[e.sentence]
        assert c.doc.text[e.evidence_start : e.evidence_end] == sent.text.strip()
        assert sent.start <= e.trigger_start <= e.trigger_head < e.trigger_end <= sent.end
        assert 0.0 < e.confidence <= 1.0
        assert e.source or e.target or c.doc[e.trigger_head].dep_ == "nsubj"  # a happening
        assert e.date is None and e.location is None  # filled by later stages
        assert e.cameo.isdigit() and len(e.cameo) in (3, 4)
        assert not {a.code for a in e.source} & {a.code for a in e.target}


def test_events_come_in_text_order() -> None:
    c = _coded(
        "Egypt condemned Israel on Monday. Canada imposed sanctions on Venezuela. "
        "Saudi Arabia and Iran met in Beijing."
    )
    assert [e.sentence for e in c.events] == [0, 1, 2]
    assert [e.cameo for e in c.events] == ["111", "163", "040"]


def test_without_mentions_only_unresolved_actors() -> None:
    """No resolved actor: the events stand with the actor's own words, code UNK, and a
    lower confidence."""
    doc = parse_one("Officials condemned the decision and imposed new rules.")
    events = code_events(doc, ())
    assert events
    actors = [a for e in events for a in (*e.source, *e.target)]
    assert actors and all(a.code == "UNK" for a in actors)
    assert "Officials" in {a.text for a in actors}
    assert all(e.confidence < 0.6 for e in events)


# One main record per sentence: (text, main trigger word, background trigger words).
ONE_MAIN: Final = [
    (
        "Insurgents bombarded the city overnight, killing at least eight people.",
        "bombarded",
        ["killing"],
    ),
    (
        "Egypt's foreign minister held talks with Lebanon's president during a visit to Beirut.",
        "held",
        ["visit"],
    ),
    ("Rebels attacked the base and killed four soldiers.", "attacked", []),
    (
        "Israel released the mayor, a Hamas member jailed a year ago.",
        "released",
        ["jailed"],
    ),
]


@pytest.mark.parametrize(("text", "main", "background"), ONE_MAIN)
def test_one_main_record_per_sentence(text: str, main: str, background: list[str]) -> None:
    c = _coded(text)
    mains = [e for e in c.events if not e.background]
    assert mains, _summary(c)
    assert any(main in _trigger(c, e) for e in mains), _summary(c)
    top = max(c.events, key=lambda e: e.confidence)
    assert not top.background, _summary(c)
    for word in background:
        bg = [e for e in c.events if word in _trigger(c, e)]
        assert bg and all(e.background for e in bg), _summary(c)


def test_coordinated_acts_are_both_main() -> None:
    c = _coded("Rebels attacked the base and killed four soldiers.")
    words = {_trigger(c, e) for e in c.events if not e.background}
    assert any("attacked" in w for w in words) and any("killed" in w for w in words), _summary(c)


def test_a_trigger_inside_another_of_the_same_root_is_one_act() -> None:
    c = _coded("A court in Guyana issued arrest warrants for two Brazilian men.")
    roots = [e.cameo[:2] for e in c.events]
    assert roots.count("17") == 1, _summary(c)
