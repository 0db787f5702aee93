"""Stage 4, actor resolution: what ``find_mentions`` makes of names, titles, groups and
references in original news-style sentences.

Every sentence is parsed once per process (``_analyse`` is cached). Cases the resolver gets
wrong today are marked ``xfail(strict=True)`` with the reason: they are the worklist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import Final

import pytest
from spacy.tokens import Doc

from dyad.actors.resolve import find_mentions
from dyad.draft import Mention, MentionKind
from dyad.model import Actor
from dyad.parse import parse_one

pytestmark = pytest.mark.slow

PUBLISHED: Final = date(2023, 5, 10)


class _Skip:
    """A field the case does not check."""

    def __repr__(self) -> str:
        return "SKIP"


SKIP: Final = _Skip()


@dataclass(frozen=True, slots=True)
class Want:
    """The actor a phrase must resolve to. ``name``, ``role`` and ``org`` default to None:
    a country or group case asserts that no person or organisation was invented."""

    code: str
    country: str | None
    name: str | _Skip | None = None
    role: str | _Skip | None = None
    org: str | None = None
    kind: MentionKind | _Skip = SKIP
    sectors: tuple[str, ...] | _Skip = SKIP


@cache
def _analyse(text: str, published: date | None) -> tuple[Doc, tuple[Mention, ...]]:
    doc = parse_one(text)
    return doc, find_mentions(doc, published)


def _span(text: str, phrase: str) -> tuple[int, int]:
    """Character range of the LAST whole-word occurrence of ``phrase`` in ``text``."""
    found = list(re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))
    assert found, f"{phrase!r} is not in the test sentence {text!r}"
    return found[-1].start(), found[-1].end()


def _as_words(doc: Doc, m: Mention) -> Mention:
    """``m`` with its offsets narrowed to the words that resolved (its tokens), not the
    whole noun phrase: the cases below name those words."""
    words = doc[m.token_start : m.token_end]
    return replace(m, start=words.start_char, end=words.end_char)


def _overlapping(text: str, phrase: str, published: date | None) -> list[Mention]:
    doc, mentions = _analyse(text, published)
    p0, p1 = _span(text, phrase)
    words = [_as_words(doc, m) for m in mentions]
    return [m for m in words if m.start < p1 and p0 < m.end]


def _mention_for(text: str, phrase: str, published: date | None) -> Mention:
    """The mention that best covers ``phrase``: of those inside it the first (the longest
    at that start: "court" of "court in Guyana"), else the shortest that contains it."""
    p0, p1 = _span(text, phrase)
    found = _overlapping(text, phrase, published)
    inside = [m for m in found if p0 <= m.start and m.end <= p1]
    if inside:
        return min(inside, key=lambda m: (m.start, m.start - m.end))
    around = [m for m in found if m.start <= p0 and p1 <= m.end]
    assert around, f"no mention covers {phrase!r} in {text!r}; found {_describe(found)}"
    return min(around, key=lambda m: m.end - m.start)


def _describe(mentions: list[Mention]) -> list[str]:
    return [f"{m.kind}:{[a.code for a in m.actors]}@{m.start}-{m.end}" for m in mentions]


def _check(actor: Actor, mention: Mention, want: Want) -> None:
    got = (actor.code, actor.country, actor.org)
    assert got == (want.code, want.country, want.org), actor
    if not isinstance(want.name, _Skip):
        assert actor.name == want.name, actor
    if not isinstance(want.role, _Skip):
        assert actor.role == want.role, actor
    if not isinstance(want.sectors, _Skip):
        assert actor.sectors == want.sectors, actor
    if not isinstance(want.kind, _Skip):
        assert mention.kind == want.kind, mention


def _xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


# -- one phrase, one actor ------------------------------------------------------------------

SINGLE = [
    # country names and their variants
    pytest.param(
        "The U.S. imposed new tariffs on Chinese steel on Tuesday.",
        PUBLISHED,
        "U.S.",
        Want("USA", "USA", kind="name"),
        id="country-U.S.",
    ),
    pytest.param(
        "The United States and Mexico agreed on new border rules.",
        PUBLISHED,
        "United States",
        Want("USA", "USA"),
        id="country-United-States",
    ),
    pytest.param(
        "America pledged more aid to Ukraine.",
        PUBLISHED,
        "America",
        Want("USA", "USA"),
        id="country-America",
    ),
    pytest.param(
        "Britain recalled its ambassador from Minsk.",
        PUBLISHED,
        "Britain",
        Want("GBR", "GBR"),
        id="country-Britain",
    ),
    pytest.param(
        "The United States and the UK warned Iran on Monday.",
        PUBLISHED,
        "UK",
        Want("GBR", "GBR"),
        id="country-UK",
    ),
    pytest.param(
        "Ivory Coast closed its northern border with Burkina Faso.",
        PUBLISHED,
        "Ivory Coast",
        Want("CIV", "CIV"),
        id="country-Ivory-Coast",
    ),
    pytest.param(
        "Côte d'Ivoire recalled its ambassador from Mali.",
        PUBLISHED,
        "Côte d'Ivoire",
        Want("CIV", "CIV"),
        id="country-Cote-dIvoire",
        marks=_xfail(
            "the parser hangs 'Côte' on the verb (dep), so the noun phrase headed by "
            "'d'Ivoire' does not hold the whole CIV match"
        ),
    ),
    pytest.param(
        "North Korea fired a ballistic missile into the sea.",
        PUBLISHED,
        "North Korea",
        Want("PRK", "PRK"),
        id="country-North-Korea",
    ),
    pytest.param(
        "Talks between Serbia and Kosovo resumed in Brussels.",
        PUBLISHED,
        "Kosovo",
        Want("XKX", "XKX"),
        id="country-Kosovo",
    ),
    # demonyms as modifiers of sector nouns
    pytest.param(
        "Kenyan police fired tear gas at demonstrators in Kisumu.",
        PUBLISHED,
        "Kenyan police",
        Want("KENCOP", "KEN", sectors=("COP",)),
        id="demonym-Kenyan-police",
    ),
    pytest.param(
        "Nigerian troops killed twelve militants near Maiduguri.",
        PUBLISHED,
        "Nigerian troops",
        Want("NGAMIL", "NGA", sectors=("MIL",)),
        id="demonym-Nigerian-troops",
    ),
    pytest.param(
        "Israeli forces raided a refugee camp in Jenin.",
        PUBLISHED,
        "Israeli forces",
        Want("ISRMIL", "ISR"),
        id="demonym-Israeli-forces",
    ),
    pytest.param(
        "The Indian navy rescued 17 Iranian fishermen.",
        PUBLISHED,
        "Indian navy",
        Want("INDMIL", "IND"),
        id="demonym-Indian-navy",
    ),
    pytest.param(
        "The Indian navy rescued 17 Iranian fishermen.",
        PUBLISHED,
        "Iranian fishermen",
        Want("IRNAGR", "IRN"),
        id="demonym-Iranian-fishermen",
    ),
    pytest.param(
        "The Iranian foreign ministry summoned the British ambassador.",
        PUBLISHED,
        "Iranian foreign ministry",
        Want("IRNGOV", "IRN"),
        id="demonym-Iranian-foreign-ministry",
    ),
    pytest.param(
        "The Iranian foreign ministry summoned the British ambassador.",
        PUBLISHED,
        "British ambassador",
        Want("GBRGOV", "GBR"),
        id="demonym-British-ambassador",
    ),
    pytest.param(
        "Poland expelled three Belarusian diplomats.",
        PUBLISHED,
        "Belarusian diplomats",
        Want("BLRGOV", "BLR"),
        id="demonym-Belarusian-diplomats",
    ),
    # a title and a country give the office holder on the publication date
    pytest.param(
        "The Russian president met his Chinese counterpart in Beijing.",
        date(2009, 6, 10),
        "Russian president",
        Want("RUSGOV", "RUS", "Dmitry Medvedev", "President", kind="title"),
        id="title-Russian-president-2009",
    ),
    pytest.param(
        "The Russian president met his Chinese counterpart in Beijing.",
        date(2015, 6, 10),
        "Russian president",
        Want("RUSGOV", "RUS", "Vladimir Putin", "President", kind="title"),
        id="title-Russian-president-2015",
    ),
    pytest.param(
        "The Russian president met his Chinese counterpart in Beijing.",
        None,
        "Russian president",
        Want("RUSGOV", "RUS", None, "President", kind="title"),
        id="title-without-a-date-names-nobody",
    ),
    pytest.param(
        "Britain's prime minister flew to Washington for talks on trade.",
        date(2010, 9, 1),
        "Britain's prime minister",
        Want("GBRGOV", "GBR", "David Cameron", "Prime Minister"),
        id="title-UK-prime-minister-2010",
    ),
    pytest.param(
        "Britain's prime minister flew to Washington for talks on trade.",
        date(2017, 9, 1),
        "Britain's prime minister",
        Want("GBRGOV", "GBR", "Theresa May", "Prime Minister"),
        id="title-UK-prime-minister-2017",
    ),
    pytest.param(
        "Britain's prime minister flew to Washington for talks on trade.",
        date(2020, 9, 1),
        "Britain's prime minister",
        Want("GBRGOV", "GBR", "Boris Johnson", "Prime Minister"),
        id="title-UK-prime-minister-2020",
    ),
    pytest.param(
        "The German chancellor visited a car plant outside Shanghai.",
        date(2019, 3, 1),
        "German chancellor",
        Want("DEUGOV", "DEU", "Angela Merkel", "Chancellor"),
        id="title-German-chancellor-2019",
    ),
    pytest.param(
        "The German chancellor visited a car plant outside Shanghai.",
        date(2023, 3, 1),
        "German chancellor",
        Want("DEUGOV", "DEU", "Olaf Scholz", "Chancellor"),
        id="title-German-chancellor-2023",
    ),
    pytest.param(
        "The Japanese prime minister met with the Australian prime minister in Tokyo.",
        date(2023, 5, 1),
        "Australian prime minister",
        Want("AUSGOV", "AUS", "Anthony Albanese", "Prime Minister"),
        id="title-Australian-prime-minister-2023",
    ),
    # names and spelling variants give the canonical person
    pytest.param(
        "Russian Foreign Minister Sergei Lavrov arrived in Geneva on Monday.",
        date(2016, 3, 2),
        "Russian Foreign Minister Sergei Lavrov",
        Want("RUSGOV", "RUS", "Sergey Lavrov", "Foreign Minister", kind="name"),
        id="name-Sergei-Lavrov-with-title",
    ),
    pytest.param(
        "Sergey Lavrov told reporters that Moscow would not back down.",
        date(2016, 3, 2),
        "Sergey Lavrov",
        Want("RUSGOV", "RUS", "Sergey Lavrov", "Foreign Minister"),
        id="name-Sergey-Lavrov",
    ),
    pytest.param(
        "Ukrainian President Volodymyr Zelensky addressed the European Parliament.",
        PUBLISHED,
        "Ukrainian President Volodymyr Zelensky",
        Want("UKRGOV", "UKR", "Volodymyr Zelenskyy", "President"),
        id="name-Zelensky-spelling",
    ),
    pytest.param(
        "Turkish President Recep Tayyip Erdogan met Vladimir Putin in Sochi.",
        PUBLISHED,
        "Turkish President Recep Tayyip Erdogan",
        Want("TURGOV", "TUR", "Recep Tayyip Erdoğan", "President"),
        id="name-Erdogan-without-diacritic",
    ),
    pytest.param(
        "Erdoğan met Putin in Sochi on Friday.",
        PUBLISHED,
        "Putin",
        Want("RUSGOV", "RUS", "Vladimir Putin", "President"),
        id="name-surname-alone",
    ),
    pytest.param(
        "UN Secretary-General Antonio Guterres visited Kyiv.",
        PUBLISHED,
        "UN Secretary-General Antonio Guterres",
        Want("IGOUNO", None, "António Guterres", "Secretary-General", org="UNO"),
        id="name-UN-secretary-general",
    ),
    # possessives and appositions
    pytest.param(
        "China's top diplomat held talks with Indonesian officials in Jakarta.",
        date(2023, 7, 12),
        "China's top diplomat",
        Want("CHNGOV", "CHN", "Wang Yi", SKIP, kind="title"),
        id="possessive-Chinas-top-diplomat",
    ),
    pytest.param(
        "China's top diplomat, Wang Yi, arrived in Jakarta on Wednesday.",
        date(2023, 7, 12),
        "Wang Yi",
        Want("CHNGOV", "CHN", "Wang Yi", SKIP),
        id="apposition-name-after-title",
    ),
    pytest.param(
        "Wang Yi, China's top diplomat, arrived in Jakarta on Wednesday.",
        date(2023, 7, 12),
        "Wang Yi",
        Want("CHNGOV", "CHN", "Wang Yi", SKIP),
        id="apposition-title-after-name",
    ),
    pytest.param(
        "Egypt's defence minister visited Sudan last week.",
        PUBLISHED,
        "Egypt's defence minister",
        Want("EGYGOV", "EGY", "Mohamed Ahmed Zaki", "Defence Minister"),
        id="possessive-Egypts-defence-minister",
    ),
    pytest.param(
        "Iran's president addressed parliament on Sunday.",
        date(2021, 1, 20),
        "Iran's president",
        Want("IRNGOV", "IRN", "Hassan Rouhani", "President"),
        id="possessive-Irans-president",
    ),
    # "of" and "in" phrases
    pytest.param(
        "The president of Iran addressed parliament on Sunday.",
        date(2021, 1, 20),
        "president of Iran",
        Want("IRNGOV", "IRN", "Hassan Rouhani", "President"),
        id="of-president-of-Iran",
    ),
    pytest.param(
        "The prime minister of Iraq met the Iranian president.",
        date(2021, 1, 20),
        "prime minister of Iraq",
        Want("IRQGOV", "IRQ", "Mustafa al-Kadhimi", "Prime Minister"),
        id="of-prime-minister-of-Iraq",
    ),
    pytest.param(
        "A court in Guyana ordered the release of the detained fishermen.",
        PUBLISHED,
        "court in Guyana",
        Want("GUYJUD", "GUY", sectors=("JUD",)),
        id="in-court-in-Guyana",
    ),
    pytest.param(
        "The army of Sudan shelled positions held by the paramilitary group.",
        PUBLISHED,
        "army of Sudan",
        Want("SDNMIL", "SDN"),
        id="of-army-of-Sudan",
    ),
    pytest.param(
        "Lithuania expelled two diplomats from the Belarusian embassy on Friday.",
        PUBLISHED,
        "diplomats from the Belarusian embassy",
        Want("BLRGOV", "BLR"),
        id="from-diplomats-from-the-embassy",
    ),
    pytest.param(
        "Officials of the Turkish defence ministry met the delegation.",
        PUBLISHED,
        "Officials of the Turkish defence ministry",
        Want("TURGOV", "TUR"),
        id="of-officials-of-the-ministry",
    ),
    pytest.param(
        "Police in Nairobi arrested 40 protesters.",
        PUBLISHED,
        "Police in Nairobi",
        Want("KENCOP", "KEN"),
        id="in-police-in-capital",
    ),
    pytest.param(
        "Mexico recognised the new government in Bolivia.",
        PUBLISHED,
        "new government in Bolivia",
        Want("BOLGOV", "BOL"),
        id="in-government-in-Bolivia",
    ),
    pytest.param(
        "The secretary-general of the United Nations visited Kyiv.",
        PUBLISHED,
        "secretary-general of the United Nations",
        Want("IGOUNO", None, "António Guterres", "Secretary-General", org="UNO"),
        id="of-secretary-general-of-the-UN",
        marks=_xfail("an IGO office with an 'of' phrase names nobody; only 'United Nations'"),
    ),
    # seats of power and capitals as metonyms
    pytest.param(
        "The Kremlin said the talks had stalled.",
        PUBLISHED,
        "Kremlin",
        Want("RUSGOV", "RUS", kind="metonym"),
        id="metonym-Kremlin",
    ),
    pytest.param(
        "Washington and Beijing traded accusations over the balloon incident.",
        PUBLISHED,
        "Washington",
        Want("USAGOV", "USA", kind="metonym"),
        id="metonym-Washington",
    ),
    pytest.param(
        "Washington and Beijing traded accusations over the balloon incident.",
        PUBLISHED,
        "Beijing",
        Want("CHNGOV", "CHN", kind="metonym"),
        id="metonym-Beijing",
    ),
    pytest.param(
        "Downing Street said the talks were constructive.",
        PUBLISHED,
        "Downing Street",
        Want("GBRGOV", "GBR", kind="metonym"),
        id="metonym-Downing-Street",
    ),
    pytest.param(
        "The White House criticised Beijing for the raid.",
        PUBLISHED,
        "White House",
        Want("USAGOV", "USA", kind="metonym"),
        id="metonym-White-House",
    ),
    pytest.param(
        "Tehran rejected the accusation.",
        PUBLISHED,
        "Tehran",
        Want("IRNGOV", "IRN"),
        id="metonym-Tehran",
    ),
    # organisations
    pytest.param(
        "NATO condemned the missile launch.",
        PUBLISHED,
        "NATO",
        Want("IGONATO", None, org="NATO", sectors=("IGO", "MIL")),
        id="org-NATO",
    ),
    pytest.param(
        "The UN Security Council will vote on the resolution on Friday.",
        PUBLISHED,
        "UN Security Council",
        Want("IGOUNOSC", None, org="UNSC"),
        id="org-UN-Security-Council",
    ),
    pytest.param(
        "Japan and other G7 nations agreed to cap the price of Russian oil.",
        PUBLISHED,
        "G7",
        Want("IGOG7", None, org="G7"),
        id="org-other-G7-nations",
    ),
    pytest.param(
        "The European Union announced sanctions on Iran.",
        PUBLISHED,
        "European Union",
        Want("IGOEU", None, org="EU"),
        id="org-European-Union",
    ),
    pytest.param(
        "The African Union suspended Niger.",
        PUBLISHED,
        "African Union",
        Want("IGOAU", None, org="AU"),
        id="org-African-Union",
    ),
    pytest.param(
        "The Washington Post reported that the talks had stalled.",
        PUBLISHED,
        "Washington Post",
        Want("USAMEDWAPO", "USA", org="WAPO", sectors=("MED",)),
        id="org-newspaper-not-the-capital",
    ),
    # sector groups
    pytest.param(
        "Houthi rebels fired a missile at a Saudi oil facility.",
        PUBLISHED,
        "Houthi rebels",
        Want("YEMREBHOU", "YEM", org="HOUTHIS", sectors=("REB",)),
        id="group-Houthi-rebels",
    ),
    pytest.param(
        "Protesters clashed with riot police outside parliament.",
        PUBLISHED,
        "Protesters",
        Want("OPP", None, kind="group", sectors=("OPP",)),
        id="group-protesters",
    ),
    pytest.param(
        "Protesters clashed with riot police outside parliament.",
        PUBLISHED,
        "riot police",
        Want("COP", None, kind="group"),
        id="group-riot-police",
    ),
    pytest.param(
        "Al-Shabaab militants attacked a hotel in Mogadishu.",
        PUBLISHED,
        "Al-Shabaab militants",
        Want("SOMREBSHB", "SOM", org="SHABAAB"),
        id="group-Al-Shabaab-militants",
    ),
    pytest.param(
        "Nigerian troops killed twelve militants near Maiduguri.",
        PUBLISHED,
        "militants",
        Want("REB", None, kind="group"),
        id="group-militants",
    ),
]


@pytest.mark.parametrize(("text", "published", "phrase", "want"), SINGLE)
def test_phrase_resolves_to_actor(
    text: str, published: date | None, phrase: str, want: Want
) -> None:
    mention = _mention_for(text, phrase, published)
    assert len(mention.actors) == 1, mention
    _check(mention.actors[0], mention, want)


# -- references within an article ------------------------------------------------------------

REFERENCES = [
    pytest.param(
        "Russian Foreign Minister Sergei Lavrov met US Secretary of State John Kerry in Geneva. "
        "Lavrov said the talks were useful.",
        "Lavrov",
        ("Sergey Lavrov",),
        ("RUSGOV",),
        id="surname-after-full-name",
    ),
    pytest.param(
        "Russian Foreign Minister Sergei Lavrov met US Secretary of State John Kerry in Geneva. "
        "The minister added that Moscow wanted a ceasefire.",
        "minister",
        ("Sergey Lavrov",),
        ("RUSGOV",),
        id="the-minister-by-role",
    ),
    pytest.param(
        "Kenyan President William Ruto arrived in Kampala. The president met Ugandan officials.",
        "president",
        ("William Ruto",),
        ("KENGOV",),
        id="the-president",
    ),
    pytest.param(
        "India and Pakistan exchanged fire across the border. "
        "The two countries have fought three wars.",
        "two countries",
        (None, None),
        ("IND", "PAK"),
        id="the-two-countries",
    ),
    pytest.param(
        "India and Pakistan exchanged fire across the border. Both sides blamed each other.",
        "Both sides",
        (None, None),
        ("IND", "PAK"),
        id="both-sides",
    ),
    pytest.param(
        "Xi Jinping and Joe Biden met in Bali. The two leaders agreed to resume military contacts.",
        "two leaders",
        ("Xi Jinping", "Joe Biden"),
        ("CHNGOV", "USAGOV"),
        id="the-two-leaders",
    ),
    pytest.param(
        "Sergei Lavrov met Wang Yi in Beijing. The two ministers signed a protocol.",
        "two ministers",
        ("Sergey Lavrov", "Wang Yi"),
        ("RUSGOV", "CHNGOV"),
        id="the-two-ministers",
    ),
    pytest.param(
        "India and Pakistan exchanged fire across the border. "
        "Pakistan accused its eastern neighbour of provoking the clash.",
        "its eastern neighbour",
        (None,),
        ("IND",),
        id="its-eastern-neighbour",
    ),
    pytest.param(
        "South Korea and North Korea held rare talks. "
        "Seoul accused its northern neighbour of stalling.",
        "its northern neighbour",
        (None,),
        ("PRK",),
        id="its-northern-neighbour-after-a-capital",
    ),
    pytest.param(
        "Germany criticised the decision. It said the move would hurt trade.",
        "It",
        (None,),
        ("DEU",),
        id="pronoun-it",
    ),
    pytest.param(
        "France and Germany signed a defence pact. They said the pact would last a decade.",
        "They",
        (None, None),
        ("FRA", "DEU"),
        id="pronoun-they",
    ),
    pytest.param(
        "Sergey Lavrov arrived in Ankara. He met Turkish officials.",
        "He",
        ("Sergey Lavrov",),
        ("RUSGOV",),
        id="pronoun-he",
    ),
    pytest.param(
        "Hamas denied that it attacked the crossing.",
        "it",
        (None,),
        ("PSEREBHAM",),
        id="pronoun-it-same-sentence",
    ),
]


@pytest.mark.parametrize(("text", "phrase", "names", "codes"), REFERENCES)
def test_reference_resolves_to_earlier_actors(
    text: str, phrase: str, names: tuple[str | None, ...], codes: tuple[str, ...]
) -> None:
    mention = _mention_for(text, phrase, PUBLISHED)
    assert tuple(a.code for a in mention.actors) == codes, mention
    assert tuple(a.name for a in mention.actors) == names, mention
    if mention.token_end - mention.token_start == 1 and mention.actors[0].text.lower() in (
        "it",
        "they",
        "he",
    ):
        assert mention.kind == "pronoun"
    # the actors carry the words of the reference itself, not of the antecedent
    assert {a.text for a in mention.actors} == {text[mention.start : mention.end]}


def test_references_never_look_ahead() -> None:
    text = "He met Turkish officials. Sergey Lavrov arrived in Ankara."
    assert _overlapping(text, "He", PUBLISHED) == []


def test_a_reference_kind_is_recorded() -> None:
    text = "India and Pakistan exchanged fire across the border. Both sides blamed each other."
    assert _mention_for(text, "Both sides", PUBLISHED).kind == "reference"
    text = "Germany criticised the decision. It said the move would hurt trade."
    assert _mention_for(text, "It", PUBLISHED).kind == "pronoun"


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Ukraine's allies pledged more weapons.", "allies"),
        ("Putin's critics protested in Moscow.", "critics"),
    ],
)
def test_a_named_possessor_of_a_relational_noun_is_not_the_actor(text: str, phrase: str) -> None:
    """ "Ukraine's allies" are not Ukraine: the possessor keeps its own mention only."""
    _, mentions = _analyse(text, PUBLISHED)
    start, _ = _span(text, phrase)
    assert all(not (m.start <= start < m.end) for m in mentions), _describe(list(mentions))


def test_a_pronoun_possessor_of_a_relational_noun_still_refers_back() -> None:
    text = "Armenia and Azerbaijan met on Monday. Its neighbour condemned the attack."
    found = _overlapping(text, "Its neighbour", PUBLISHED)
    assert found and {a.code for m in found for a in m.actors} <= {"ARM", "AZE"}, found


def test_a_reference_without_antecedent_is_no_actor() -> None:
    assert (
        _overlapping("The two countries have fought three wars.", "two countries", PUBLISHED) == []
    )


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("The minister declined to comment.", "minister"),
        ("The authorities closed the border.", "authorities"),
        ("A district official was shot.", "official"),
    ],
)
def test_an_office_without_antecedent_is_a_government_actor(text: str, phrase: str) -> None:
    found = _overlapping(text, phrase, PUBLISHED)
    assert [[(a.code, a.country) for a in m.actors] for m in found] == [[("GOV", None)]]


# -- phrases that name no actor ------------------------------------------------------------

NON_ACTORS = [
    pytest.param(
        "The Paris Agreement was signed by nearly 200 countries.",
        "Paris Agreement",
        id="Paris-Agreement",
    ),
    pytest.param(
        "Latin America faces a third year of slowing growth.", "Latin America", id="Latin-America"
    ),
    pytest.param(
        "Smaller states are rethinking global alliances.", "global alliances", id="global-alliances"
    ),
    pytest.param("Tensions are rising across the Middle East.", "Middle East", id="Middle-East"),
    pytest.param(
        "The alliance has grown steadily since 1949.", "alliance", id="bare-alliance-no-antecedent"
    ),
    pytest.param(
        "The Chinese economy slowed sharply in the second quarter.",
        "Chinese economy",
        id="Chinese-economy",
        marks=_xfail("the adjective-modifier pass turns 'Chinese' into a CHN demonym mention"),
    ),
    pytest.param(
        "Russia launched Iranian-made drones at Kyiv overnight.",
        "Iranian-made drones",
        id="Iranian-made-drones",
        marks=_xfail("'Iranian-made drones' resolves to IRNMIL (the drones read as a military)"),
    ),
    pytest.param(
        "Pirates hijacked a tanker in the Gulf of Guinea.",
        "Gulf of Guinea",
        id="Gulf-of-Guinea",
    ),
]


@pytest.mark.parametrize(("text", "phrase"), NON_ACTORS)
def test_phrase_names_no_actor(text: str, phrase: str) -> None:
    found = _overlapping(text, phrase, PUBLISHED)
    assert found == [], _describe(found)


# -- structure of the mentions -------------------------------------------------------------


def _texts() -> list[tuple[str, date | None]]:
    out: dict[tuple[str, date | None], None] = {}
    for p in SINGLE:
        text, published = p.values[0], p.values[1]
        assert isinstance(text, str) and (published is None or isinstance(published, date))
        out[(text, published)] = None
    for p in REFERENCES:
        assert isinstance(p.values[0], str)
        out[(p.values[0], PUBLISHED)] = None
    return list(out)


@pytest.mark.parametrize(("text", "published"), _texts())
def test_mentions_are_consistent_with_the_doc(text: str, published: date | None) -> None:
    doc, mentions = _analyse(text, published)
    sents = list(doc.sents)
    assert list(mentions) == sorted(mentions, key=lambda m: (m.sentence, m.start, -m.end))
    for m in mentions:
        span = doc[m.token_start : m.token_end]
        # the offsets cover the whole noun phrase around the words that resolved
        assert m.start <= span.start_char < span.end_char <= m.end
        assert sents[m.sentence].start_char <= m.start < m.end <= sents[m.sentence].end_char
        assert m.actors, m
        assert sents[m.sentence].start <= m.token_start < m.token_end <= sents[m.sentence].end
        for a in m.actors:
            assert a.code, a
            assert a.country is None or len(a.country) == 3


def test_headings_give_no_mentions() -> None:
    heading = "Canada and Venezuela"
    text = f"{heading}\nBrazil condemned Argentina on Monday."
    doc = parse_one(text)
    everything = find_mentions(doc, PUBLISHED)
    assert {a.code for m in everything for a in m.actors} >= {"CAN", "VEN", "BRA", "ARG"}
    body = find_mentions(doc, PUBLISHED, [(0, len(heading))])
    assert {a.code for m in body for a in m.actors} == {"BRA", "ARG"}
    assert all(m.start > len(heading) for m in body)


def test_sentence_index_counts_every_sentence() -> None:
    text = "Chile and Peru held talks in Lima. Officials were upbeat. Bolivia joined later."
    _, mentions = _analyse(text, PUBLISHED)
    by_code = {a.code: m.sentence for m in mentions for a in m.actors}
    assert by_code["CHL"] == 0
    assert by_code["BOL"] == 2


@pytest.mark.slow
def test_actors_in_span_uses_mentions_else_the_words() -> None:
    from dyad.actors.resolve import actors_in_span, find_mentions
    from dyad.parse import parse_one

    doc = parse_one("Prisoners in Russia appealed to Germany.")
    mentions = find_mentions(doc, None)
    germany = next(t.i for t in doc if t.text == "Germany")
    assert [a.code for a in actors_in_span(doc, mentions, germany, germany + 1, None)] == ["DEU"]
    found = actors_in_span(doc, mentions, 0, 1, None)
    assert [(a.text, a.code) for a in found] == [("Prisoners", "UNK")]
