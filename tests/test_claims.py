"""Tests of the claims stage: written amounts, the word tables, and claims read from parses.

Every sentence here is original test text written for dyad.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from dyad.claims import find_claims, load_lexicon, parse_quantity, scan_amounts
from dyad.claims.lexicon import DATA_DIR
from dyad.draft import ClaimDraft, Mention, MentionKind
from dyad.errors import KnowledgeBaseError
from dyad.model import Actor, Quantity

# --------------------------------------------------------------------------------------------
# parse_quantity: one phrase, read from its words alone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$200 billion", Quantity(200e9, "USD", "level", "=")),
        ("US$1.2bn", Quantity(1.2e9, "USD", "level", "=")),
        ("200bn roubles", Quantity(200e9, "RUB", "level", "=")),
        ("€50 million", Quantity(50e6, "EUR", "level", "=")),
        ("£3.4 trillion", Quantity(3.4e12, "GBP", "level", "=")),
        ("1.5 trillion yuan", Quantity(1.5e12, "CNY", "level", "=")),
        ("Rs 500 crore", Quantity(5e9, "INR", "level", "=")),
        ("Rs 6.2 lakh crore", Quantity(6.2e12, "INR", "level", "=")),
        ("¥300bn", Quantity(300e9, "JPY", "level", "=")),
        ("CHF 10m", Quantity(10e6, "CHF", "level", "=")),
        ("RMB 5 billion", Quantity(5e9, "CNY", "level", "=")),
        ("A$2.5 billion", Quantity(2.5e9, "AUD", "level", "=")),
        ("5 trillion won", Quantity(5e12, "KRW", "level", "=")),
        ("40 million Egyptian pounds", Quantity(40e6, "EGP", "level", "=")),
        ("12bn USD", Quantity(12e9, "USD", "level", "=")),
        ("billions of dollars", Quantity(2e9, "USD", "level", ">")),
        ("$5-10 billion", Quantity(7.5e9, "USD", "level", "~")),
        ("more than $200 billion", Quantity(200e9, "USD", "level", ">")),
        ("a 40% increase", Quantity(40, "percent", "change", "=")),
        ("rose 12 percent", Quantity(12, "percent", "change", "=")),
        ("grew by 40%", Quantity(40, "percent", "change", "=")),
        ("fell by a third", Quantity(-33.3, "percent", "change", "=")),
        ("cut in half", Quantity(-50, "percent", "change", "=")),
        ("doubled", Quantity(100, "percent", "change", "=")),
        ("more than doubled", Quantity(100, "percent", "change", ">")),
        ("halved", Quantity(-50, "percent", "change", "=")),
        ("jumped fourfold", Quantity(300, "percent", "change", "=")),
        ("down 3.5 percentage points", Quantity(-3.5, "percentage_points", "change", "=")),
        ("cut by 25 basis points", Quantity(-0.25, "percentage_points", "change", "=")),
        ("inflation of 8%", Quantity(8, "percent", "level", "=")),
        ("a 25% tariff", Quantity(25, "percent", "level", "=")),
        ("rose to 8.5 per cent", Quantity(8.5, "percent", "level", "=")),
        ("2% of GDP", Quantity(2, "percent_of_gdp", "level", "=")),
        ("about 40%", Quantity(40, "percent", "level", "~")),
        ("killed at least 12 people", Quantity(12, "people", "level", ">")),
        ("some 200,000 refugees", Quantity(200000, "people", "level", "~")),
        ("fewer than 50 protesters", Quantity(50, "people", "level", "<")),
        ("up to 3,000 troops", Quantity(3000, "people", "level", "<")),
        ("thousands of protesters", Quantity(2000, "people", "level", ">")),
        ("half a million refugees", Quantity(500000, "people", "level", "=")),
        ("two dozen soldiers", Quantity(24, "people", "level", "=")),
        ("between 30 and 40 people", Quantity(35, "people", "level", "~")),
        ("2.5m refugees", Quantity(2.5e6, "people", "level", "=")),
        ("40-plus people", Quantity(40, "people", "level", ">")),
        ("120 tonnes of aid", Quantity(120, "tonnes", "level", "=")),
        ("5,000 kg", Quantity(5, "tonnes", "level", "=")),
        ("1.8 million barrels per day", Quantity(1.8e6, "barrels_per_day", "level", "=")),
        ("40 bcm", Quantity(40e9, "cubic_metres", "level", "=")),
        ("from 5 to 10 percent", Quantity(10, "percent", "level", "=")),
    ],
)
def test_parse_quantity(text: str, expected: Quantity) -> None:
    got = parse_quantity(text)
    assert got is not None, text
    assert got.unit == expected.unit
    assert got.type == expected.type
    assert got.comparator == expected.comparator
    assert got.value == pytest.approx(expected.value)


@pytest.mark.parametrize(
    "text",
    [
        "12",  # nothing says what is counted
        "in 2022",
        "a 45-year-old",
        "at 10:30",
        "the 18th time",
        "G20 leaders",
        "S-400 missiles",
        "5 million pesos",  # a peso of several countries, none named
        "3 real reasons",  # "real" is a currency only after a scale word
        "no number at all",
    ],
)
def test_parse_quantity_none(text: str) -> None:
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        (
            "It sold 117 million kroner ($17 million) of bonds.",
            [("117 million kroner", "money"), ("$17 million", "money")],
        ),
        (
            "Output rose 3% in 2023 and 2.5% in 2022.",
            [("3%", "percent"), ("2023", "count"), ("2.5%", "percent"), ("2022", "count")],
        ),
        (
            "Losses reached Rs 300 crore, or $36 million.",
            [("Rs 300 crore", "money"), ("$36 million", "money")],
        ),
        ("The 45-year-old was held for 12 hours at 10:30.", [("12", "count")]),
        ("Rates fell 25 bps and output doubled.", [("25 bps", "points"), ("doubled", "multiple")]),
    ],
)
def test_scan_amounts(text: str, amounts: list[tuple[str, str]]) -> None:
    assert [(a.text, a.kind) for a in scan_amounts(text)] == amounts


# --------------------------------------------------------------------------------------------
# the word tables


def test_lexicon_loads_and_is_cached() -> None:
    lex = load_lexicon()
    assert lex is load_lexicon()
    assert lex.version == "currencies:1 lexicon:1"
    assert {"USD", "EUR", "GBP", "RUB", "CNY", "JPY", "INR", "CHF"} <= set(lex.currencies)
    for name in ("trade", "gdp", "inflation", "aid", "casualties", "troops", "refugees"):
        assert name in lex.metrics
    assert lex.verb_forms("rise") == ("rise", "rised", "risen", "rises", "rising", "rose")


def _copy_tables(tmp_path: Path) -> Path:
    for name in ("lexicon.yaml", "currencies.yaml"):
        shutil.copy(DATA_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("lexicon.yaml", "version: 1\n", "", "has no `version`"),
        ("currencies.yaml", "code: JPY", "code: JP", "currency JP: `code` must be three"),
        ("currencies.yaml", "code: CHF", "code: EUR", "currency EUR: duplicate code"),
        (
            "currencies.yaml",
            "codes: [USD], default: USD",
            "codes: [USD, ZZZ], default: USD",
            "unknown currency code 'ZZZ'",
        ),
        ("lexicon.yaml", "{name: turnout,", "{name: Turnout,", "metric Turnout: name must be"),
        (
            "lexicon.yaml",
            "{name: turnout, nouns:",
            "{name: turnout, colour: red, nouns:",
            "metric turnout: unknown field(s) colour",
        ),
        (
            "lexicon.yaml",
            "people_adjectives: {dead: casualties,",
            "people_adjectives: {dead: deaths,",
            "people_adjectives.dead: 'deaths' is not a metric",
        ),
        (
            "lexicon.yaml",
            "default_metric: oil_output}",
            "default_metric: petrol}",
            "default_metric 'petrol' is not a metric",
        ),
        ("lexicon.yaml", '    ">": [or more,', '    "≥": [or more,', "'≥' is not one of"),
        (
            "lexicon.yaml",
            "{word: dozen, factor: 12}",
            "{word: dozen, factor: twelve}",
            "scale 'dozen': `factor` must be a number",
        ),
        ("lexicon.yaml", "metrics:\n", "metrix:\n", "missing section `metrics`"),
        ("lexicon.yaml", "version: 1\n", "version: 1\nnumber_words: [", "is not valid YAML"),
    ],
)
def test_lexicon_validation(tmp_path: Path, file: str, old: str, new: str, message: str) -> None:
    folder = _copy_tables(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} is not in {file}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as err:
        load_lexicon(folder)
    assert message in str(err.value)
    assert file in str(err.value)


def test_lexicon_missing_file(tmp_path: Path) -> None:
    shutil.copy(DATA_DIR / "lexicon.yaml", tmp_path / "lexicon.yaml")
    with pytest.raises(KnowledgeBaseError, match=r"currencies\.yaml: cannot be read"):
        load_lexicon(tmp_path)


# --------------------------------------------------------------------------------------------
# find_claims on parsed sentences (loads the spaCy model)


@dataclass(frozen=True)
class M:
    """An actor mention to build by hand for a test sentence."""

    text: str
    code: str
    country: str | None
    kind: MentionKind = "name"
    occurrence: int = 0
    also: tuple[tuple[str, str | None], ...] = ()
    """More actors of the same mention (code, country): "the two countries"."""


def _mentions(doc: object, specs: tuple[M, ...]) -> list[Mention]:
    from spacy.tokens import Doc

    assert isinstance(doc, Doc)
    sentences = list(doc.sents)
    out: list[Mention] = []
    for spec in specs:
        starts = [m.start() for m in re.finditer(re.escape(spec.text), doc.text)]
        start = starts[spec.occurrence]
        end = start + len(spec.text)
        span = doc.char_span(start, end, alignment_mode="expand")
        assert span is not None
        actors = [Actor(text=spec.text, code=spec.code, country=spec.country)]
        actors.extend(Actor(text=spec.text, code=c, country=k) for c, k in spec.also)
        index = next(i for i, s in enumerate(sentences) if s.start <= span.start < s.end)
        out.append(
            Mention(
                actors=tuple(actors),
                start=start,
                end=end,
                token_start=span.start,
                token_end=span.end,
                head=span.root.i,
                sentence=index,
                kind=spec.kind,
            )
        )
    return out


PUB = date(2024, 3, 15)


@dataclass(frozen=True)
class Case:
    """One row of the table: a sentence, its mentions and the claim expected at ``anchor``."""

    id: str
    text: str
    mentions: tuple[M, ...]
    anchor: str
    expect: str
    """ "metric value unit type comparator status", e.g. "trade 1.5e10 USD level > future"."""
    subject: str = ""
    """Countries of the subject actors, in order (the code for an actor with no country)."""
    attributed: str | None = None
    period: str | None = None
    """ "start/end" of the expected period, ISO dates."""
    published: date = PUB


CASES: list[Case] = [
    Case(
        "trade-forecast-top",
        "Officials in Ankara expect trade between Turkey and Azerbaijan to top $15 billion "
        "next year, Turkish Trade Minister Omer Bolat said on Tuesday.",
        (
            M("Ankara", "TURGOV", "TUR", "metonym"),
            M("Turkey", "TUR", "TUR"),
            M("Azerbaijan", "AZE", "AZE"),
            M("Turkish Trade Minister Omer Bolat", "TURGOV", "TUR", "person"),
        ),
        "$15 billion",
        "trade 1.5e10 USD level > future",
        subject="TUR AZE",
        attributed="TUR",
        period="2025-01-01/2025-12-31",
    ),
    Case(
        "exports-fell-percent",
        "South Korea's exports to China fell 8.2% in the first quarter, customs data showed.",
        (M("South Korea", "KOR", "KOR"), M("China", "CHN", "CHN")),
        "8.2%",
        "exports -8.2 percent change = asserted",
        subject="KOR CHN",
        period="2024-01-01/2024-03-31",
        published=date(2024, 4, 12),
    ),
    Case(
        "aid-pledge-dollars",
        "Japan pledged $4.5 billion in financial support to Ukraine at a donor conference in "
        "Tokyo on Monday.",
        (M("Japan", "JPN", "JPN"), M("Ukraine", "UKR", "UKR")),
        "$4.5 billion",
        "aid 4.5e9 USD level = asserted",
        subject="JPN UKR",
        period="2024-02-19/2024-02-19",
        published=date(2024, 2, 21),
    ),
    Case(
        "aid-rupees-crore",
        "The state government has sanctioned Rs 1,200 crore for flood relief in Assam, the "
        "chief minister announced.",
        (M("the chief minister", "INDGOV", "IND", "title"),),
        "Rs 1,200 crore",
        "aid 1.2e10 INR level = asserted",
        attributed="IND",
    ),
    Case(
        "defence-yuan-future",
        "China will spend 1.67 trillion yuan on defence this year, the finance ministry said.",
        (M("China", "CHN", "CHN"), M("the finance ministry", "CHNGOV", "CHN", "title")),
        "1.67 trillion yuan",
        "defence_spending 1.67e12 CNY level = future",
        subject="CHN",
        attributed="CHN",
        period="2024-01-01/2024-12-31",
    ),
    Case(
        "military-aid-pounds",
        "Britain will give Ukraine an extra £2.5 billion in military aid this year, Prime "
        "Minister Rishi Sunak said.",
        (
            M("Britain", "GBR", "GBR"),
            M("Ukraine", "UKR", "UKR"),
            M("Prime Minister Rishi Sunak", "GBRGOV", "GBR", "person"),
        ),
        "£2.5 billion",
        "military_aid 2.5e9 GBP level = future",
        subject="GBR UKR",
        attributed="GBR",
        period="2024-01-01/2024-12-31",
    ),
    Case(
        "loans-since-year",
        "The European Union has disbursed more than €50 billion in loans to member states "
        "since 2021.",
        (M("The European Union", "IGOEU", None),),
        "€50 billion",
        "loan 5e10 EUR level > asserted",
        subject="IGOEU",
        period="2021-01-01/2024-03-15",
    ),
    Case(
        "casualties-at-least",
        "At least 25 people were killed when a bomb exploded at a crowded market in the north "
        "of the country on Friday, police said.",
        (),
        "25 people",
        "casualties 25 people level > asserted",
        period="2024-03-15/2024-03-15",
        published=date(2024, 3, 17),
    ),
    Case(
        "injuries-wounded",
        "The blast also wounded 48 people, hospital officials in Kandahar said.",
        (),
        "48 people",
        "injuries 48 people level = asserted",
    ),
    Case(
        "troops-deploy-future",
        "Poland will deploy 10,000 additional soldiers to its eastern border, Defence "
        "Minister Wladyslaw Kosiniak-Kamysz said.",
        (
            M("Poland", "POL", "POL"),
            M("Defence Minister Wladyslaw Kosiniak-Kamysz", "POLGOV", "POL", "person"),
        ),
        "10,000 additional soldiers",
        "troops 10000 people level = future",
        subject="POL",
        attributed="POL",
    ),
    Case(
        "refugees-demonym",
        "More than 6 million Ukrainian refugees are now living across Europe, the UN refugee "
        "agency said.",
        (M("Ukrainian", "UKR", "UKR", "demonym"), M("UN refugee agency", "IGOUNOHCR", None)),
        "6 million Ukrainian refugees",
        "refugees 6e6 people level > asserted",
        subject="UKR",
        attributed="IGOUNOHCR",
    ),
    Case(
        "displaced-since-month",
        "Floods have displaced nearly 300,000 people since October, aid agencies said.",
        (),
        "300,000 people",
        "displaced 300000 people level ~ asserted",
        period="2023-10-01/2024-03-15",
    ),
    Case(
        "arrests-agent",
        "Security forces in Iran arrested more than 200 protesters over the weekend, a rights "
        "group reported.",
        (M("Iran", "IRN", "IRN"),),
        "200 protesters",
        "arrests 200 people level > asserted",
        subject="IRN",
        period="2024-03-09/2024-03-10",
    ),
    Case(
        "protesters-vague",
        "Tens of thousands of protesters rallied in the capital on Sunday against the "
        "proposed law.",
        (),
        "Tens of thousands of protesters",
        "protesters 20000 people level > asserted",
        period="2024-03-10/2024-03-10",
    ),
    Case(
        "hostages-kidnapped",
        "Gunmen kidnapped 15 passengers from a bus in central Mali on Wednesday.",
        (),
        "15 passengers",
        "hostages 15 people level = asserted",
        period="2024-03-13/2024-03-13",
    ),
    Case(
        "prisoners-exchange",
        "Russia and Ukraine exchanged 200 prisoners of war on Thursday in a deal brokered by "
        "the United Arab Emirates.",
        (
            M("Russia", "RUS", "RUS"),
            M("Ukraine", "UKR", "UKR"),
            M("the United Arab Emirates", "ARE", "ARE"),
        ),
        "200 prisoners",
        "prisoners 200 people level = asserted",
        subject="RUS UKR",
        period="2024-03-14/2024-03-14",
    ),
    Case(
        "interest-rate-held",
        "The Bank of England held its key interest rate at 5.25% on Thursday.",
        (M("The Bank of England", "GBRGOV", "GBR"),),
        "5.25%",
        "interest_rate 5.25 percent level = asserted",
        subject="GBR",
        period="2024-03-14/2024-03-14",
    ),
    Case(
        "inflation-reached",
        "Annual inflation in Argentina reached 254% in January, the statistics agency said.",
        (M("Argentina", "ARG", "ARG"),),
        "254%",
        "inflation 254 percent level = asserted",
        subject="ARG",
        period="2024-01-01/2024-01-31",
    ),
    Case(
        "points-change",
        "Unemployment in Spain fell 1.2 percentage points to 11.8% last year.",
        (M("Spain", "ESP", "ESP"),),
        "1.2 percentage points",
        "unemployment -1.2 percentage_points change = asserted",
        subject="ESP",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "points-level-after-to",
        "Unemployment in Spain fell 1.2 percentage points to 11.8% last year.",
        (M("Spain", "ESP", "ESP"),),
        "11.8%",
        "unemployment 11.8 percent level = asserted",
        subject="ESP",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "basis-points-cut",
        "The central bank cut its benchmark rate by 50 basis points to 10.75% on Wednesday.",
        (),
        "50 basis points",
        "interest_rate -0.5 percentage_points change = asserted",
        period="2024-03-13/2024-03-13",
    ),
    Case(
        "fraction-by-a-third",
        "Grain exports through the Black Sea fell by a third in 2023, port authorities said.",
        (),
        "a third",
        "exports -33.3 percent change = asserted",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "multiple-more-than-doubled",
        "India's imports of Russian crude more than doubled last year.",
        (M("India", "IND", "IND"), M("Russian", "RUS", "RUS", "demonym")),
        "doubled",
        "imports 100 percent change > asserted",
        subject="IND RUS",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "multiple-halved",
        "Germany halved its purchases of Norwegian gas in 2023.",
        (M("Germany", "DEU", "DEU"), M("Norwegian", "NOR", "NOR", "demonym")),
        "halved",
        "imports -50 percent change = asserted",
        subject="DEU NOR",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "multiple-fold",
        "Chinese investment in Serbia has grown fivefold since 2019.",
        (M("Chinese", "CHN", "CHN", "demonym"), M("Serbia", "SRB", "SRB")),
        "fivefold",
        "investment 400 percent change = asserted",
        subject="CHN SRB",
        period="2019-01-01/2024-03-15",
    ),
    Case(
        "percent-of-gdp-plan",
        "Estonia plans to raise defence spending to 3% of GDP next year.",
        (M("Estonia", "EST", "EST"),),
        "3% of GDP",
        "defence_spending 3 percent_of_gdp level = future",
        subject="EST",
        period="2025-01-01/2025-12-31",
    ),
    Case(
        "hypothetical-if",
        "Gas exports to Europe could recover to 40 billion cubic metres if the pipeline "
        "reopens, analysts estimate.",
        (),
        "40 billion cubic metres",
        "gas_exports 4e10 cubic_metres level = hypothetical",
    ),
    Case(
        "negated-below",
        "Turkey's inflation did not fall below 60% last month, the central bank said.",
        (M("Turkey", "TUR", "TUR"),),
        "60%",
        "inflation 60 percent level < negated",
        subject="TUR",
        period="2024-02-01/2024-02-29",
    ),
    Case(
        "target-by-year",
        "Vietnam aims to attract $40 billion in foreign direct investment by 2030.",
        (M("Vietnam", "VNM", "VNM"),),
        "$40 billion",
        "investment 4e10 USD level = future",
        subject="VNM",
        period="2024-03-15/2030-12-31",
    ),
    Case(
        "according-to",
        "Remittances to Egypt dropped 30% in 2023, according to the World Bank.",
        (M("Egypt", "EGY", "EGY"), M("the World Bank", "IGOWBK", None)),
        "30%",
        "remittances -30 percent change = asserted",
        subject="EGY",
        attributed="IGOWBK",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "data-showed-modifier",
        "Japanese customs data showed that car exports to the United States rose 14 percent "
        "in February.",
        (M("Japanese customs", "JPNGOV", "JPN"), M("the United States", "USA", "USA")),
        "14 percent",
        "exports 14 percent change = asserted",
        subject="USA",
        attributed="JPN",
        period="2024-02-01/2024-02-29",
    ),
    Case(
        "deficit-first-months",
        "Russia's budget deficit was 1.5 trillion roubles in the first two months of the "
        "year, the finance ministry said.",
        (M("Russia", "RUS", "RUS"), M("the finance ministry", "RUSGOV", "RUS", "title")),
        "1.5 trillion roubles",
        "budget_deficit 1.5e12 RUB level = asserted",
        subject="RUS",
        attributed="RUS",
        period="2024-01-01/2024-02-29",
    ),
    Case(
        "tonnes-of-aid",
        "A convoy delivered 120 tonnes of food aid to the besieged town on Saturday.",
        (),
        "120 tonnes",
        "aid 120 tonnes level = asserted",
        period="2024-03-09/2024-03-09",
    ),
    Case(
        "barrels-per-day",
        "Kazakhstan pumped 1.8 million barrels per day of oil in January.",
        (M("Kazakhstan", "KAZ", "KAZ"),),
        "1.8 million barrels per day",
        "oil_output 1.8e6 barrels_per_day level = asserted",
        subject="KAZ",
        period="2024-01-01/2024-01-31",
    ),
    Case(
        "casualties-two-demonyms-1",
        "Clashes on the border killed 12 Tajik border guards and 9 Kyrgyz soldiers, officials "
        "said.",
        (M("Tajik", "TJK", "TJK", "demonym"), M("Kyrgyz", "KGZ", "KGZ", "demonym")),
        "12 Tajik border guards",
        "casualties 12 people level = asserted",
        subject="TJK",
    ),
    Case(
        "casualties-two-demonyms-2",
        "Clashes on the border killed 12 Tajik border guards and 9 Kyrgyz soldiers, officials "
        "said.",
        (M("Tajik", "TJK", "TJK", "demonym"), M("Kyrgyz", "KGZ", "KGZ", "demonym")),
        "9 Kyrgyz soldiers",
        "casualties 9 people level = asserted",
        subject="KGZ",
    ),
    Case(
        "reference-two-countries",
        "Trade between the two countries reached a record $38 billion last year, officials in "
        "Seoul said.",
        (
            M("the two countries", "KOR", "KOR", "reference", also=(("VNM", "VNM"),)),
            M("Seoul", "KORGOV", "KOR", "metonym"),
        ),
        "$38 billion",
        "trade 3.8e10 USD level = asserted",
        subject="KOR VNM",
        attributed="KOR",
        period="2023-01-01/2023-12-31",
    ),
    Case(
        "approximate-some",
        "Some 4,000 migrants reached the Canary Islands in January, the Spanish interior "
        "ministry said.",
        (M("the Spanish interior ministry", "ESPGOV", "ESP", "title"),),
        "4,000 migrants",
        "migrants 4000 people level ~ asserted",
        attributed="ESP",
        period="2024-01-01/2024-01-31",
    ),
    Case(
        "vague-money-damage",
        "The war has caused billions of dollars in damage to Ukraine's farmland, the "
        "government said.",
        (M("Ukraine", "UKR", "UKR"),),
        "billions of dollars",
        "damage 2e9 USD level > asserted",
        subject="UKR",
    ),
    Case(
        "range-missing",
        "Between 30 and 40 fishermen are missing after a storm struck the coast.",
        (),
        "Between 30 and 40 fishermen",
        "missing 35 people level ~ asserted",
    ),
    Case(
        "count-drones",
        "Iran launched more than 300 drones at targets across the region overnight, the army said.",
        (M("Iran", "IRN", "IRN"),),
        "300 drones",
        "drones 300 count level > asserted",
        subject="IRN",
        period="2024-03-14/2024-03-15",
    ),
    Case(
        "seats-count",
        "The governing party won 293 seats in the 543-member lower house.",
        (),
        "293 seats",
        "seats 293 count level = asserted",
    ),
    Case(
        "vote-share",
        "The opposition candidate won 52.3 percent of the vote, the election commission said.",
        (),
        "52.3 percent",
        "vote_share 52.3 percent level = asserted",
    ),
    Case(
        "tariff-level",
        "Washington imposed a 25% tariff on steel imports in March.",
        (M("Washington", "USAGOV", "USA", "metonym"),),
        "25%",
        "tariff 25 percent level = asserted",
        subject="USA",
        period="2024-03-01/2024-03-31",
    ),
    Case(
        "speculation-past",
        "The explosion may have killed as many as 60 people, local officials said.",
        (),
        "60 people",
        "casualties 60 people level ~ hypothetical",
    ),
    Case(
        "year-is-period-not-count",
        "In 2022, 150 people died in clashes over grazing land.",
        (),
        "150 people",
        "casualties 150 people level = asserted",
        period="2022-01-01/2022-12-31",
    ),
    Case(
        "death-toll-rose-to",
        "The death toll from the landslide rose to 2,300 on Monday, the provincial governor said.",
        (M("the provincial governor", "PNGGOV", "PNG", "title"),),
        "2,300",
        "casualties 2300 people level = asserted",
        attributed="PNG",
        period="2024-03-11/2024-03-11",
    ),
    Case(
        "currency-settled-by-country",
        "Mexico's economy ministry approved 4.5 billion pesos in subsidies for farmers.",
        (M("Mexico", "MEX", "MEX"),),
        "4.5 billion pesos",
        "subsidies 4.5e9 MXN level = asserted",
        subject="MEX",
    ),
]


def _claims(text: str, specs: tuple[M, ...], published: date | None) -> list[ClaimDraft]:
    from dyad.parse import parse_one

    doc = parse_one(text)
    return find_claims(doc, _mentions(doc, specs), published)


def _key(actor: Actor) -> str:
    return actor.country or actor.code


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_find_claims_table(case: Case) -> None:
    claims = _claims(case.text, case.mentions, case.published)
    by_anchor = {case.text[c.anchor_start : c.anchor_end]: c for c in claims}
    assert case.anchor in by_anchor, f"no claim anchored at {case.anchor!r}: {list(by_anchor)}"
    claim = by_anchor[case.anchor]
    metric, value, unit, qtype, comparator, status = case.expect.split()
    q = claim.quantity
    got = (claim.metric, q.unit, q.type, q.comparator, claim.status)
    assert got == (metric, unit, qtype, comparator, status)
    assert q.value == pytest.approx(float(value))
    assert " ".join(_key(a) for a in claim.subject) == case.subject
    attributed = None if claim.attributed_to is None else _key(claim.attributed_to)
    assert attributed == case.attributed
    period = None
    if claim.period is not None:
        period = f"{claim.period.start.isoformat()}/{claim.period.end.isoformat()}"
    assert period == case.period
    assert case.text[claim.evidence_start : claim.evidence_end] == case.text
    assert claim.sentence == 0
    assert 0.0 < claim.confidence <= 1.0


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The 45-year-old minister arrived at 10:30 for the G20 meeting, the 18th since 2008.",
        "Chapter 11 of the agreement sets out 12 principles for the two sides.",
        "The March summit produced over a dozen agreements on energy and transport.",
        "The home side won 3-1 after extra time in front of a crowd at the stadium.",
        "For details call 555-0123 or visit the office on Route 9.",
        "Security Council Resolution 2231 was adopted in July 2015.",
        "The ministers met in Geneva for two days and agreed to meet again in May.",
        "The envoy said the talks had entered a double track, with two working groups.",
        "Twelve leaders attended the ceremony, one of the largest gatherings in years.",
    ],
)
def test_find_claims_skips_non_claims(text: str) -> None:
    assert _claims(text, (), PUB) == []


@pytest.mark.slow
def test_currency_word_needs_a_country() -> None:
    text = "The ministry approved 4.5 billion pesos in subsidies for farmers."
    assert _claims(text, (), PUB) == []


@pytest.mark.slow
def test_conversion_in_brackets_is_one_claim() -> None:
    text = "Norway's government set aside 500 million kroner ($47 million) for the relief effort."
    claims = _claims(text, (M("Norway", "NOR", "NOR"),), PUB)
    assert [(c.quantity.unit, c.quantity.value) for c in claims] == [("NOK", 500e6)]


@pytest.mark.slow
def test_headings_are_skipped_and_offsets_are_the_article() -> None:
    from dyad.parse import parse_one

    heading = "Exports Up 20% In Record Year"
    body = "Vietnam's exports rose 14% in 2023, the trade ministry said."
    text = f"{heading}\n{body}"
    doc = parse_one(text)
    claims = find_claims(doc, [], PUB, headings=[(0, len(heading))])
    assert len(claims) == 1
    claim = claims[0]
    assert claim.sentence == 1
    assert text[claim.anchor_start : claim.anchor_end] == "14%"
    assert text[claim.evidence_start : claim.evidence_end] == body
    assert find_claims(doc, [], PUB)[0].sentence == 0  # without the heading range it counts


@pytest.mark.slow
def test_no_publication_date_leaves_relative_periods_open() -> None:
    claims = _claims("Exports rose 12% last year.", (), None)
    assert len(claims) == 1
    assert claims[0].period is None
    assert claims[0].quantity == Quantity(12, "percent", "change", "=")


def _shared() -> Path:
    return Path(__file__).resolve().parents[1] / ".." / "shared"


@pytest.mark.slow
def test_real_sentences_give_consistent_offsets() -> None:
    """Robustness on third-party news sentences: no crash, offsets inside the evidence."""
    path = _shared() / "data" / "dev" / "confliBERT-cameo" / "penta_train.tsv"
    if not path.is_file():
        pytest.skip(f"{path} is absent (the shared evaluation data is not checked out)")
    from dyad.parse import parse_many

    lines = path.read_text(encoding="utf-8").splitlines()
    texts = [line.split("\t")[0] for line in lines if re.search(r"\d", line)][:150]
    found = 0
    for text, doc in zip(texts, parse_many(texts), strict=True):
        for claim in find_claims(doc, [], date(2020, 1, 1)):
            found += 1
            assert claim.evidence_start <= claim.anchor_start < claim.anchor_end
            assert claim.anchor_end <= claim.evidence_end
            assert text[claim.evidence_start : claim.evidence_end].strip()
            assert claim.metric
    assert found > 10
