"""Tests for dyad.actors.offices: who held which office when."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dyad.actors.offices import Offices, Person, Term, fold, load_offices, normalize_title
from dyad.errors import KnowledgeBaseError


@pytest.fixture(scope="module")
def offices() -> Offices:
    return load_offices()


def _names(people: tuple[Person, ...]) -> list[str]:
    return [p.name for p in people]


# -- the bundled tables -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity", "kind", "on", "expected"),
    [
        ("RUS", "president", "2009-06-01", "Dmitry Medvedev"),
        ("RUS", "president", "2015-06-01", "Vladimir Putin"),
        ("RUS", "head_of_state", "2001-01-01", "Vladimir Putin"),
        ("RUS", "prime minister", "2010-03-01", "Vladimir Putin"),
        ("GBR", "prime minister", "2010-06-01", "David Cameron"),
        ("GBR", "prime minister", "2017-06-01", "Theresa May"),
        ("GBR", "prime minister", "2020-06-01", "Boris Johnson"),
        ("GBR", "prime minister", "2023-06-01", "Rishi Sunak"),
        ("GBR", "foreign secretary", "2017-06-01", "Boris Johnson"),
        ("USA", "secretary of state", "2005-06-01", "Condoleezza Rice"),
        ("USA", "secretary of state", "2014-06-01", "John Kerry"),
        ("USA", "secretary of state", "2019-06-01", "Mike Pompeo"),
        ("USA", "secretary of state", "2022-06-01", "Antony Blinken"),
        ("USA", "pentagon chief", "2022-06-01", "Lloyd Austin"),
        ("CHN", "top diplomat", "2023-09-15", "Wang Yi"),
        ("CHN", "top diplomat", "2020-06-01", "Yang Jiechi"),
        ("CHN", "foreign minister", "2023-03-01", "Qin Gang"),
        ("CHN", "premier", "2023-09-19", "Li Qiang"),
        ("RUS", "top diplomat", "2020-06-01", "Sergey Lavrov"),
        ("IRN", "president", "2022-01-01", "Ebrahim Raisi"),
        ("IRN", "supreme leader", "2022-01-01", "Ali Khamenei"),
        ("IRN", "leader", "2022-01-01", "Ali Khamenei"),
        ("ISR", "president", "2022-01-01", "Isaac Herzog"),
        ("ISR", "prime minister", "2022-01-01", "Naftali Bennett"),
        ("PRK", "supreme leader", "2010-01-01", "Kim Jong Il"),
        ("PRK", "supreme leader", "2012-01-01", "Kim Jong Un"),
        ("DEU", "chancellor", "2019-01-01", "Angela Merkel"),
        ("JPN", "emperor", "2020-01-01", "Naruhito"),
        ("PSE", "president", "2020-01-01", "Mahmoud Abbas"),
        ("TWN", "premier", "2020-01-01", "Su Tseng-chang"),
        ("SAU", "crown prince", "2020-01-01", "Mohammed bin Salman"),
        ("TUR", "leader", "2010-01-01", "Recep Tayyip Erdoğan"),
        ("TUR", "prime minister", "2015-01-01", "Ahmet Davutoğlu"),
        ("ARM", "leader", "2015-01-01", "Serzh Sargsyan"),
        ("ARM", "leader", "2020-01-01", "Nikol Pashinyan"),
        ("USA", "head_of_government", "2020-01-01", "Donald Trump"),
        ("EU", "top diplomat", "2020-06-01", "Josep Borrell"),
        ("EC", "president", "2020-06-01", "Ursula von der Leyen"),
        ("EUCO", "president", "2025-06-01", "António Costa"),
        ("WB", "president", "2024-06-01", "Ajay Banga"),
        ("UNO", "secretary-general", "2020-06-01", "António Guterres"),
        ("NATO", "secretary general", "2020-06-01", "Jens Stoltenberg"),
        # hand-over day: the incoming holder
        ("RUS", "president", "2012-05-07", "Vladimir Putin"),
        ("GBR", "prime minister", "2016-07-13", "Theresa May"),
    ],
)
def test_holders(offices: Offices, entity: str, kind: str, on: str, expected: str) -> None:
    assert _names(offices.holders(entity, kind, date.fromisoformat(on))) == [expected]


@pytest.mark.parametrize(
    ("entity", "kind", "on"),
    [
        ("USA", "prime minister", "2020-01-01"),  # no such office there
        ("GBR", "president", "2020-01-01"),
        ("XYZ", "president", "2020-01-01"),  # a country the tables do not cover
        ("RUS", "grand vizier", "2020-01-01"),
        ("USA", "president", "1950-01-01"),  # before the tables start
        ("LBN", "president", "2023-06-01"),  # a vacancy
    ],
)
def test_holders_none(offices: Offices, entity: str, kind: str, on: str) -> None:
    assert offices.holders(entity, kind, date.fromisoformat(on)) == ()


def test_holders_other_covers_every_other_office(offices: Offices) -> None:
    held = _names(offices.holders("CHN", "other", date(2020, 6, 1)))
    assert sorted(held) == ["Xi Jinping", "Yang Jiechi"]


@pytest.mark.parametrize(
    ("title", "entity", "expected"),
    [
        ("president", "RUS", "head_of_state"),
        ("President", "RUS", "head_of_state"),
        ("the president", "RUS", "head_of_state"),
        ("president", "IRN", "head_of_government"),
        ("supreme leader", "IRN", "head_of_state"),
        ("leader", "RUS", "head_of_state"),
        ("leader", "GBR", "head_of_government"),
        ("leader", "TUR", "head_of_state"),
        ("top diplomat", "CHN", "top_diplomat"),
        ("top diplomat", "RUS", "foreign_minister"),
        ("top diplomat", "EU", "high_representative"),
        ("foreign minister", "USA", "foreign_minister"),
        ("secretary of state", "USA", "foreign_minister"),
        ("premier", "CHN", "head_of_government"),
        ("chancellor", "DEU", "head_of_government"),
        ("vice-president", "USA", "vice_president"),
        ("head of government", "USA", "head_of_government"),
        ("prime minister", "USA", None),
        ("chancellor", "GBR", None),
        ("president", "GBR", None),
        ("secretary-general", "UNO", "secretary_general"),
        # no country, or one the tables do not cover: the generic meaning
        ("foreign minister", None, "foreign_minister"),
        ("prime minister", None, "head_of_government"),
        ("secretary of state", None, "foreign_minister"),
        ("defense secretary", None, "defence_minister"),
        ("president", None, "head_of_state"),
        ("president", "XYZ", "head_of_state"),
        ("leader", None, None),
        ("spokesman", None, None),
    ],
)
def test_title_kind(offices: Offices, title: str, entity: str | None, expected: str | None) -> None:
    assert offices.title_kind(title, entity) == expected


@pytest.mark.parametrize(
    ("name", "on", "canonical", "role", "country"),
    [
        ("Sergei Lavrov", "2023-09-19", "Sergey Lavrov", "Foreign Minister", "RUS"),
        ("Lavrov", "2023-09-19", "Sergey Lavrov", "Foreign Minister", "RUS"),
        ("sergey lavrov", "2023-09-19", "Sergey Lavrov", "Foreign Minister", "RUS"),
        ("Xi Jinping", "2023-03-21", "Xi Jinping", "President", "CHN"),
        ("Mishustin", "2023-09-19", "Mikhail Mishustin", "Prime Minister", "RUS"),
        ("Dmitri Medvedev", "2010-01-01", "Dmitry Medvedev", "President", "RUS"),
        ("Zelensky", "2023-01-01", "Volodymyr Zelenskyy", "President", "UKR"),
        ("Erdogan", "2023-01-01", "Recep Tayyip Erdoğan", "President", "TUR"),
        ("Kim Jong-un", "2023-01-01", "Kim Jong Un", "Supreme Leader", "PRK"),
        ("MBS", "2023-01-01", "Mohammed bin Salman", "Prime Minister", "SAU"),
        ("Lula", "2023-06-01", "Luiz Inácio Lula da Silva", "President", "BRA"),
        ("Raisi", "2023-06-01", "Ebrahim Raisi", "President", "IRN"),
        ("Khamenei", "2023-06-01", "Ali Khamenei", "Supreme Leader", "IRN"),
        ("Wang Yi", "2023-09-19", "Wang Yi", "Foreign Minister", "CHN"),
        ("Modi", "2023-06-01", "Narendra Modi", "Prime Minister", "IND"),
        ("Guterres", "2023-06-01", "António Guterres", "Secretary-General", None),
        ("Queen Elizabeth", "2020-01-01", "Elizabeth II", "Queen", "GBR"),
    ],
)
def test_people_and_role(
    offices: Offices, name: str, on: str, canonical: str, role: str, country: str | None
) -> None:
    found = offices.people(name)
    assert found and found[0].name == canonical
    person = found[0]
    assert person.country == country
    term = person.term_on(date.fromisoformat(on))
    assert term is not None and term.office == role


@pytest.mark.parametrize(
    ("name", "weak_holder"),
    [("Wang", "Wang Yi"), ("Li", "Li Qiang"), ("Kim", "Kim Jong Un"), ("Khan", "Imran Khan")],
)
def test_common_surnames_are_weak_only(offices: Offices, name: str, weak_holder: str) -> None:
    assert offices.people(name) == ()
    assert weak_holder in _names(offices.people_weak(name))


def test_ambiguous_alias_lists_everyone_current_holder_first(offices: Offices) -> None:
    assert _names(offices.people("King Abdullah")) == ["Abdullah II", "Abdullah bin Abdulaziz"]
    # the person whose canonical name it is comes before those who have it as an alias
    assert _names(offices.people("Pedro Sánchez"))[0] == "Pedro Sánchez"


def test_names_for_the_matcher(offices: Offices) -> None:
    entries = {(text, person.name, weak) for text, person, weak in offices.names()}
    assert ("Sergey Lavrov", "Sergey Lavrov", False) in entries
    assert ("Lavrov", "Sergey Lavrov", False) in entries
    assert ("Erdogan", "Recep Tayyip Erdoğan", False) in entries  # the folded form
    assert ("Wang", "Wang Yi", True) in entries
    assert not any(text == "Wang" and not weak for text, _, weak in entries)


def test_titles_for_the_matcher(offices: Offices) -> None:
    titles = list(offices.titles())
    assert len(titles) == len(set(titles))
    assert {"president", "prime minister", "top diplomat", "secretary of state", "leader"} <= set(
        titles
    )
    assert all(t == t.lower() for t in titles)


G20 = [
    "ARG",
    "AUS",
    "BRA",
    "CAN",
    "CHN",
    "FRA",
    "DEU",
    "IND",
    "IDN",
    "ITA",
    "JPN",
    "KOR",
    "MEX",
    "RUS",
    "SAU",
    "ZAF",
    "TUR",
    "GBR",
    "USA",
]
OTHERS = [
    "UKR",
    "IRN",
    "ISR",
    "PRK",
    "PAK",
    "SYR",
    "IRQ",
    "AFG",
    "EGY",
    "PSE",
    "POL",
    "ESP",
    "NLD",
    "SWE",
    "FIN",
    "HUN",
    "BLR",
    "GEO",
    "ARM",
    "AZE",
    "KAZ",
    "QAT",
    "ARE",
    "JOR",
    "LBN",
    "SDN",
    "ETH",
    "NGA",
    "KEN",
    "VEN",
    "COL",
    "TWN",
    "VNM",
    "PHL",
]
HEADS_ONLY = ["BEL", "NOR", "UZB", "YEM", "CUB", "MMR", "THA", "BGD", "LKA"]


@pytest.mark.parametrize("country", G20 + OTHERS + HEADS_ONLY)
def test_every_listed_country_has_its_leaders(offices: Offices, country: str) -> None:
    on = date(2024, 1, 1)
    assert offices.holders(country, "head_of_state", on) or country == "LBN"  # vacant then
    assert offices.holders(country, "head_of_government", on) or country in ("AFG", "SDN")
    assert offices.holders(country, "leader", on), country


@pytest.mark.parametrize("country", [*G20, "UKR", "IRN", "ISR", "PAK", "POL", "ESP", "EGY"])
def test_main_countries_have_ministers(offices: Offices, country: str) -> None:
    on = date(2024, 1, 1)
    assert offices.holders(country, "foreign_minister", on), country
    assert offices.holders(country, "defence_minister", on), country


@pytest.mark.parametrize(
    "org",
    ["UNO", "NATO", "EU", "EC", "EUCO", "EP", "ECB", "IMF", "WB", "WHO", "IAEA", "OPEC", "WTO"],
)
def test_organisations_have_heads(offices: Offices, org: str) -> None:
    assert offices.offices(org)
    assert any(offices.holders(org, o.key, date(2024, 1, 1)) for o in offices.offices(org))


def test_every_person_is_well_formed(offices: Offices) -> None:
    people = offices.all_people()
    assert len(people) > 1000
    for person in people:
        assert person.terms, person.name
        assert list(person.terms) == sorted(person.terms, key=lambda t: t.start)
        assert person.sectors, person.name
        assert person.country is None or len(person.country) == 3
        for term in person.terms:
            assert (term.country is None) != (term.org is None), person.name


def test_default_tables_are_cached() -> None:
    assert load_offices() is load_offices()
    assert load_offices().version == "offices:1"


def test_month_precision_is_kept(offices: Offices) -> None:
    person = offices.people("Maka Botchorishvili")[0]
    assert person.terms[0].precision == "month"
    assert offices.people("Sergey Lavrov")[0].terms[0].precision == "day"


# -- Term and Person --------------------------------------------------------------------------


def test_term_covers_first_and_last_day() -> None:
    term = Term("President", "head_of_state", "RUS", None, date(2008, 5, 7), date(2012, 5, 7))
    assert term.covers(date(2008, 5, 7))
    assert term.covers(date(2012, 5, 7))
    assert not term.covers(date(2008, 5, 6))
    assert not term.covers(date(2012, 5, 8))
    open_term = Term("President", "head_of_state", "RUS", None, date(2012, 5, 7), None)
    assert open_term.covers(date(2099, 1, 1))


def _term(office: str, kind: str, start: str, end: str | None) -> Term:
    return Term(
        office,
        kind,  # type: ignore[arg-type]
        "XAA",
        None,
        date.fromisoformat(start),
        None if end is None else date.fromisoformat(end),
    )


PERSON = Person(
    name="Ana Example",
    aliases=(),
    weak_aliases=(),
    country="XAA",
    org=None,
    sectors=("GOV",),
    terms=(
        _term("Foreign Minister", "foreign_minister", "2001-01-01", "2004-01-01"),
        _term("Envoy", "other", "2006-01-01", "2012-01-01"),
        _term("Prime Minister", "head_of_government", "2008-01-01", "2010-01-01"),
    ),
)


@pytest.mark.parametrize(
    ("on", "office"),
    [
        ("2002-06-01", "Foreign Minister"),  # the covering term
        ("2009-01-01", "Prime Minister"),  # two cover: head of government first
        ("2011-01-01", "Envoy"),
        ("2005-01-01", "Foreign Minister"),  # between terms: the one that ended last
        ("2020-01-01", "Envoy"),  # after every term: the one that ended last
        ("1990-01-01", "Prime Minister"),  # before every term: the latest
        (None, "Prime Minister"),
    ],
)
def test_person_term_on(on: str | None, office: str) -> None:
    term = PERSON.term_on(None if on is None else date.fromisoformat(on))
    assert term is not None and term.office == office


def test_person_without_terms() -> None:
    nobody = Person("Nobody", (), (), None, None, ("GOV",), ())
    assert nobody.term_on(date(2020, 1, 1)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Erdoğan", "Erdogan"), ("Tô Lâm", "To Lam"), ("Wałęsa", "Walesa"), ("Støre", "Store")],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("The Prime Minister", "prime minister"), ("vice-president", "vice president")],
)
def test_normalize_title(text: str, expected: str) -> None:
    assert normalize_title(text) == expected


# -- loading and validation -------------------------------------------------------------------

GOOD = """\
version: 1
countries:
  XAA:
    leader: head_of_state
    offices:
      head_of_state:
        title: President
        titles: [president]
        holders:
          - {name: Ana Example, start: 2001-01-01, end: 2005-01-01}
          - {name: Ben Sample, start: 2005-01-01, end: null}
      foreign_minister:
        title: Foreign Minister
        titles: [foreign minister]
        holders:
          - {name: Cleo Case, start: 2003-05, end: null, precision: month}
people:
  - {name: Ana Example, aliases: [Example], weak_aliases: [Ana]}
"""


def _write(tmp_path: Path, text: str, name: str = "offices.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_one_file_and_auto_created_people(tmp_path: Path) -> None:
    offices = load_offices(_write(tmp_path, GOOD))
    assert _names(offices.holders("XAA", "president", date(2006, 1, 1))) == ["Ben Sample"]
    ben = offices.people("Ben Sample")[0]
    assert (ben.aliases, ben.weak_aliases, ben.country, ben.sectors) == ((), (), "XAA", ("GOV",))
    assert _names(offices.people("Example")) == ["Ana Example"]
    assert _names(offices.people_weak("Ana")) == ["Ana Example"]
    cleo = offices.people("Cleo Case")[0]
    assert cleo.terms[0].start == date(2003, 5, 1) and cleo.terms[0].precision == "month"


def test_load_a_folder(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    _write(tmp_path, "version: 1\npeople: []\n", "b.yaml")
    offices = load_offices(tmp_path)
    assert offices.version == "offices:1"
    assert offices.holders("XAA", "leader", date(2002, 1, 1))


def _broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _broken("start: 2005-01-01, end: null", "start: 2004-06-01, end: null"),
            "Ben Sample): starts 2004-06-01, while Ana Example holds the office",
        ),
        (
            _broken("start: 2001-01-01, end: 2005-01-01", "start: 2001-01-01, end: 2000-01-01"),
            "(Ana Example): ends (2000-01-01) before it starts (2001-01-01)",
        ),
        (_broken("2001-01-01", "2001-13-01"), "'2001-13-01' is not a date"),
        (_broken("  XAA:", "  Xaa:"), "countries.Xaa: 'Xaa' is not a 3-letter upper-case ISO code"),
        (
            _broken("head_of_state:\n        title", "emperor:\n        title"),
            "unknown office kind",
        ),
        (
            _broken("start: 2003-05, end: null, precision: month", "start: 2003-05, end: null"),
            "a YYYY-MM date needs `precision: month`",
        ),
        (
            _broken("{name: Ben Sample,", "{name: Example,"),
            "'Example' is an alias of 'Ana Example'",
        ),
        (GOOD + "  - {name: Dan Nobody}\n", "(Dan Nobody): holds no office in any table"),
        (
            _broken("titles: [foreign minister]", "titles: [president]"),
            "title 'president' names both 'head_of_state' and 'foreign_minister'",
        ),
        (
            _broken("leader: head_of_state", "leader: defence_minister"),
            "office 'defence_minister' is not one of",
        ),
        (_broken("titles: [president]", "titles: [President]"), "'President' must be lower case"),
        (_broken(", end: null}", "}"), "needs both `start` and `end`"),
        (_broken("aliases: [Example]", "aliases: [Ana Example]"), "repeats the canonical name"),
        (_broken("version: 1\n", ""), "missing `version`"),
        (_broken("people:", "persons:"), "unknown top-level keys ['persons']"),
        ("version: 1\ncountries: [\n", "is not valid YAML"),
    ],
)
def test_validation_errors(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(KnowledgeBaseError) as caught:
        load_offices(path)
    assert caught.value.path == str(path)
    assert message in caught.value.reason


def test_every_overlap_is_reported_at_once(tmp_path: Path) -> None:
    text = _broken(
        "          - {name: Ben Sample, start: 2005-01-01, end: null}\n",
        "          - {name: Ben Sample, start: 2002-01-01, end: 2003-01-01}\n"
        "          - {name: Dan Other, start: 2003-06-01, end: null}\n",
    )
    with pytest.raises(KnowledgeBaseError) as caught:
        load_offices(_write(tmp_path, text))
    assert "(Ben Sample): starts 2002-01-01" in caught.value.reason
    assert "(Dan Other): starts 2003-06-01" in caught.value.reason


def test_a_country_defined_in_two_files(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    _write(
        tmp_path,
        GOOD.replace(
            "people:\n  - {name: Ana Example, aliases: [Example], weak_aliases: [Ana]}\n", ""
        ),
        "b.yaml",
    )
    with pytest.raises(KnowledgeBaseError, match=r"countries\.XAA: already defined in"):
        load_offices(tmp_path)


def test_files_that_disagree_on_version(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    _write(tmp_path, "version: 2\n", "b.yaml")
    with pytest.raises(KnowledgeBaseError, match="disagree on `version`"):
        load_offices(tmp_path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="no such file or folder"):
        load_offices(tmp_path / "nowhere.yaml")
    with pytest.raises(KnowledgeBaseError, match=r"contains no \*\.yaml"):
        load_offices(tmp_path)
