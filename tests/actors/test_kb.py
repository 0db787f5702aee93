"""The actor knowledge base: bundled tables, lookups, sector words, and load-time validation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from dyad.actors.kb import Alias, KnowledgeBase, load_kb
from dyad.errors import KnowledgeBaseError

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _keys(kb: KnowledgeBase, text: str, kind: str | None = None) -> set[str]:
    return {a.key for a in kb.lookup(text) if kind is None or a.kind == kind}


# -- lookups ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "key", "sector"),
    [
        ("the U.S.", "country", "USA", None),
        ("U.S.", "country", "USA", None),
        ("US", "country", "USA", None),
        ("the United States", "country", "USA", None),
        ("America", "country", "USA", None),
        ("American", "adjective", "USA", None),
        ("Americans", "demonym", "USA", None),
        ("Britain", "country", "GBR", None),
        ("the UK", "country", "GBR", None),
        ("Northern Ireland", "country", "GBR", None),
        ("British", "adjective", "GBR", None),
        ("Britons", "demonym", "GBR", None),
        ("Ivory Coast", "country", "CIV", None),
        ("Côte d'Ivoire", "country", "CIV", None),
        ("Cote d'Ivoire", "country", "CIV", None),
        ("Côte d\u2019Ivoire", "country", "CIV", None),
        ("Türkiye", "country", "TUR", None),
        ("Turkey", "country", "TUR", None),
        ("the DRC", "country", "COD", None),
        ("DR Congo", "country", "COD", None),
        ("Congo-Kinshasa", "country", "COD", None),
        ("Congo-Brazzaville", "country", "COG", None),
        ("Republic of the Congo", "country", "COG", None),
        ("North Korea", "country", "PRK", None),
        ("DPRK", "country", "PRK", None),
        ("South Korea", "country", "KOR", None),
        ("ROK", "country", "KOR", None),
        ("the Islamic Republic", "country", "IRN", None),
        ("UAE", "country", "ARE", None),
        ("the Emirates", "country", "ARE", None),
        ("Emirati", "adjective", "ARE", None),
        ("Czech Republic", "country", "CZE", None),
        ("Czechia", "country", "CZE", None),
        ("Burma", "country", "MMR", None),
        ("Swaziland", "country", "SWZ", None),
        ("Macedonia", "country", "MKD", None),
        ("Cape Verde", "country", "CPV", None),
        ("East Timor", "country", "TLS", None),
        ("Vatican", "country", "VAT", None),
        ("the Holy See", "country", "VAT", None),
        ("Russian", "adjective", "RUS", None),
        ("Russians", "demonym", "RUS", None),
        ("Chinese", "adjective", "CHN", None),
        ("Ukrainian", "adjective", "UKR", None),
        ("Israeli", "adjective", "ISR", None),
        ("Palestinian", "adjective", "PSE", None),
        ("Saudi", "adjective", "SAU", None),
        ("Congolese", "adjective", "COD", None),
        ("Filipino", "adjective", "PHL", None),
        ("Philippine", "adjective", "PHL", None),
        ("Dutch", "adjective", "NLD", None),
        ("Swiss", "adjective", "CHE", None),
        ("Afghan", "adjective", "AFG", None),
        ("Gaza", "country", "PSE", None),
        ("West Bank", "country", "PSE", None),
        ("Hong Kong", "country", "HKG", None),
        ("Kosovo", "country", "XKX", None),
        ("Moscow", "capital", "RUS", "GOV"),
        ("Beijing", "capital", "CHN", "GOV"),
        ("Kyiv", "capital", "UKR", "GOV"),
        ("Kiev", "seat", "UKR", "GOV"),
        ("Bogota", "capital", "COL", "GOV"),
        ("the Kremlin", "seat", "RUS", "GOV"),
        ("Pentagon", "seat", "USA", "MIL"),
        ("the White House", "seat", "USA", "GOV"),
        ("State Department", "seat", "USA", "GOV"),
        ("Capitol Hill", "seat", "USA", "LEG"),
        ("Downing Street", "seat", "GBR", "GOV"),
        ("Elysee", "seat", "FRA", "GOV"),
        ("Élysée", "seat", "FRA", "GOV"),
        ("Zhongnanhai", "seat", "CHN", "GOV"),
        ("Knesset", "seat", "ISR", "LEG"),
        ("the Bundestag", "seat", "DEU", "LEG"),
        ("The Hague", "seat", "NLD", "GOV"),
        ("G7", "org", "G7", None),
        ("the Group of Seven", "org", "G7", None),
        ("UN", "org", "UNO", None),
        ("the U.N.", "org", "UNO", None),
        ("UN General Assembly", "org", "UNGA", None),
        ("Asia-Pacific Economic Cooperation", "org", "APEC", None),
        ("APEC", "org", "APEC", None),
        ("EU", "org", "EU", None),
        ("Nato", "org", "NATO", None),
        ("WHO", "org", "WHO", None),
        ("UN refugee agency", "org", "UNHCR", None),
        ("Houthis", "org", "HOUTHIS", None),
        ("Ansar Allah", "org", "HOUTHIS", None),
        ("ISIL", "org", "ISIS", None),
        ("Daesh", "org", "ISIS", None),
        ("al-Qaida", "org", "AQ", None),
        ("Rapid Support Forces", "org", "RSF", None),
        ("Kurdistan Regional Government", "org", "KRG", None),
        ("Xinhua", "org", "XINHUA", None),
        ("OPEC+", "org", "OPECPLUS", None),
        ("Médecins Sans Frontières", "org", "MSF", None),
        ("Medecins Sans Frontieres", "org", "MSF", None),
    ],
)
def test_lookup(kb: KnowledgeBase, text: str, kind: str, key: str, sector: str | None) -> None:
    found = {(a.kind, a.key, a.sector) for a in kb.lookup(text)}
    assert (kind, key, sector) in found


@pytest.mark.parametrize(
    "text",
    ["us", "who", "turkey", "chad", "guinea", "polish", "jersey", "number 10", "pentagon", "the"],
)
def test_lower_case_common_words_name_nothing(kb: KnowledgeBase, text: str) -> None:
    assert kb.lookup(text) == ()


@pytest.mark.parametrize(
    "text",
    ["Djibouti", "Kuwait", "Singapore", "Luxembourg", "Monaco", "San Marino", "Vatican City"],
)
def test_city_states_resolve_to_the_country_only(kb: KnowledgeBase, text: str) -> None:
    aliases = kb.lookup(text)
    assert [a.kind for a in aliases] == ["country"]
    assert not any(a.kind == "capital" and a.text == text for a in kb.aliases())


@pytest.mark.parametrize(
    ("text", "key"),
    [("Kuwait City", "KWT"), ("Mexico City", "MEX"), ("Panama City", "PAN")],
)
def test_capital_named_after_country_is_the_capital(kb: KnowledgeBase, text: str, key: str) -> None:
    assert [(a.kind, a.key) for a in kb.lookup(text)] == [("capital", key)]


def test_georgia_is_the_country(kb: KnowledgeBase) -> None:
    assert [(a.kind, a.key) for a in kb.lookup("Georgia")] == [("country", "GEO")]


@pytest.mark.parametrize(
    ("text", "case_sensitive"),
    [
        ("US", True),
        ("U.S.", True),
        ("DRC", True),
        ("UN", True),
        ("WHO", True),
        ("AU", True),
        ("G7", True),
        ("Chad", True),
        ("Jordan", True),
        ("Turkey", True),
        ("Georgia", True),
        ("Guinea", True),
        ("China", False),
        ("Russia", False),
        ("Russian", False),
        ("Kremlin", False),
        ("Nato", False),
        ("United Nations", False),
    ],
)
def test_case_sensitivity(kb: KnowledgeBase, text: str, case_sensitive: bool) -> None:
    aliases = [a for a in kb.aliases() if a.text == text]
    assert aliases
    assert {a.case_sensitive for a in aliases} == {case_sensitive}


def test_lookup_ignores_case_only_for_case_insensitive_aliases(kb: KnowledgeBase) -> None:
    assert _keys(kb, "RUSSIA") == {"RUS"}
    assert _keys(kb, "the kremlin") == {"RUS"}
    assert _keys(kb, "Us") == set()
    assert _keys(kb, "THE U.S.") == {"USA"}


def test_non_actor_phrases_name_nothing(kb: KnowledgeBase) -> None:
    phrases = set(kb.non_actor_phrases())
    assert {"Latin America", "Indian Ocean", "South China Sea", "Gulf of Guinea"} <= phrases
    for phrase in phrases:
        assert kb.lookup(phrase) == (), phrase


# -- the alias list for matchers -------------------------------------------------------------


def test_aliases_carry_spelling_variants(kb: KnowledgeBase) -> None:
    texts = {a.text for a in kb.aliases() if a.key == "CIV"}
    assert {"Côte d'Ivoire", "Cote d'Ivoire", "Côte d\u2019Ivoire", "Ivory Coast"} <= texts
    assert {"Brasília", "Brasilia"} <= {a.text for a in kb.aliases() if a.key == "BRA"}


def test_aliases_are_unique_and_consistent(kb: KnowledgeBase) -> None:
    aliases = list(kb.aliases())
    idents = Counter((a.text, a.kind, a.key, a.sector) for a in aliases)
    assert max(idents.values()) == 1
    for alias in aliases:
        assert isinstance(alias, Alias)
        assert alias.text == alias.text.strip() and alias.text
        if alias.kind == "org":
            assert alias.key in kb.organizations
            assert alias.sector is None
        else:
            assert alias.key in kb.countries
        if alias.kind == "capital":
            assert alias.sector == "GOV"
        if alias.kind in ("capital", "seat"):
            assert alias.sector in kb.sectors
        if alias.kind in ("country", "adjective", "demonym"):
            assert alias.sector is None


def test_no_alias_names_two_countries(kb: KnowledgeBase) -> None:
    owners: dict[str, set[str]] = {}
    for alias in kb.aliases():
        if alias.kind != "org":
            owners.setdefault(alias.text.casefold(), set()).add(alias.key)
    assert {text: keys for text, keys in owners.items() if len(keys) > 1} == {}


# -- table contents --------------------------------------------------------------------------


def test_counts(kb: KnowledgeBase) -> None:
    statuses = Counter(c.status for c in kb.countries.values())
    assert statuses["member"] == 193
    assert statuses["observer"] == 2
    assert {c.iso3 for c in kb.countries.values() if c.status == "observer"} == {"VAT", "PSE"}
    assert statuses["territory"] >= 10
    assert {"TWN", "XKX", "ESH", "XAB", "XSO", "XTR", "XSL"} <= {
        c.iso3 for c in kb.countries.values() if c.status == "disputed"
    }
    assert len(kb.organizations) >= 100
    assert kb.version == "countries:1 organizations:1 sectors:1"


@pytest.mark.parametrize(
    ("iso3", "parent"), [("PRI", "USA"), ("HKG", "CHN"), ("MAC", "CHN"), ("GRL", "DNK")]
)
def test_territory_parents(kb: KnowledgeBase, iso3: str, parent: str) -> None:
    country = kb.countries[iso3]
    assert (country.status, country.parent) == ("territory", parent)


def test_every_country_is_well_formed(kb: KnowledgeBase) -> None:
    for iso3, country in kb.countries.items():
        assert iso3 == country.iso3 == country.code
        assert country.name in country.names
        assert (country.parent is None) == (country.status in ("member", "observer")) or (
            country.status == "disputed"
        )


@pytest.mark.parametrize(
    ("key", "code", "kind", "sectors", "parent", "country"),
    [
        ("UNO", "IGOUNO", "igo", ("IGO",), None, None),
        ("UNGA", "IGOUNOGA", "igo", ("IGO",), "UNO", None),
        ("UNSC", "IGOUNOSC", "igo", ("IGO",), "UNO", None),
        ("UNHCR", "IGOUNOHCR", "igo", ("IGO", "REF"), "UNO", None),
        ("EU", "IGOEU", "igo", ("IGO",), None, None),
        ("EC", "IGOEUEC", "igo", ("IGO", "GOV"), "EU", None),
        ("G7", "IGOG7", "igo", ("IGO",), None, None),
        ("APEC", "IGOAPEC", "igo", ("IGO",), None, None),
        ("NATO", "IGONATO", "igo", ("IGO", "MIL"), None, None),
        ("HAMAS", "PSEREBHAM", "armed", ("REB",), None, "PSE"),
        ("HEZBOLLAH", "LBNREBHEZ", "armed", ("REB",), None, "LBN"),
        ("ISIS", "IMGISIS", "armed", ("REB",), None, None),
        ("KRG", "IRQGOVKRG", "state", ("GOV",), None, "IRQ"),
        ("XINHUA", "CHNMEDXIN", "media", ("MED",), None, "CHN"),
        ("HRW", "NGOHRW", "ngo", ("NGO", "HRI"), None, None),
    ],
)
def test_organizations(
    kb: KnowledgeBase,
    key: str,
    code: str,
    kind: str,
    sectors: tuple[str, ...],
    parent: str | None,
    country: str | None,
) -> None:
    org = kb.organizations[key]
    assert (org.code, org.kind, org.sectors, org.parent, org.country) == (
        code,
        kind,
        sectors,
        parent,
        country,
    )


@pytest.mark.parametrize(("key", "size"), [("G7", 7), ("G20", 19), ("EU", 27), ("NATO", 32)])
def test_members(kb: KnowledgeBase, key: str, size: int) -> None:
    members = kb.organizations[key].members
    assert len(members) == len(set(members)) == size
    assert all(m in kb.countries for m in members)


def test_organization_codes_are_unique(kb: KnowledgeBase) -> None:
    codes = Counter(o.code for o in kb.organizations.values())
    assert max(codes.values()) == 1
    assert not set(codes) & set(kb.countries)


@pytest.mark.parametrize(("code", "iso3"), [("RUS", "RUS"), ("rus", "RUS"), ("XKX", "XKX")])
def test_country_by_code(kb: KnowledgeBase, code: str, iso3: str) -> None:
    country = kb.country_by_code(code)
    assert country is not None and country.iso3 == iso3


def test_country_by_unknown_code(kb: KnowledgeBase) -> None:
    assert kb.country_by_code("ZZZ") is None


def test_load_kb_is_cached() -> None:
    assert load_kb() is load_kb()


# -- sector words ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("noun", "expected"),
    [
        ("troop", ("MIL", False)),
        ("troops", ("MIL", False)),
        ("soldier", ("MIL", False)),
        ("armed force", ("MIL", False)),
        ("armed forces", ("MIL", False)),
        ("force", ("MIL", True)),
        ("general", ("MIL", True)),
        ("police", ("COP", False)),
        ("officer", ("COP", True)),
        ("security forces", ("COP", False)),
        ("riot police", ("COP", False)),
        ("court", ("JUD", False)),
        ("Supreme Court", ("JUD", False)),
        ("attorney general", ("JUD", False)),
        ("lawmakers", ("LEG", False)),
        ("MPs", ("LEG", False)),
        ("assembly", ("LEG", True)),
        ("rebels", ("REB", False)),
        ("militant", ("REB", False)),
        ("insurgent", ("INS", False)),
        ("separatist", ("SEP", False)),
        ("militia", ("UAF", False)),
        ("gunmen", ("UAF", False)),
        ("opposition", ("OPP", False)),
        ("protesters", ("OPP", False)),
        ("activist", ("OPP", True)),
        ("party", ("PTY", False)),
        ("spy agency", ("SPY", False)),
        ("journalists", ("MED", False)),
        ("state media", ("MED", False)),
        ("company", ("BUS", False)),
        ("bank", ("BUS", True)),
        ("students", ("EDU", False)),
        ("civilians", ("CVL", False)),
        ("people", ("CVL", True)),
        ("children", ("CVL", False)),
        ("women", ("CVL", False)),
        ("refugees", ("REF", False)),
        ("asylum seeker", ("REF", False)),
        ("asylum-seekers", ("REF", False)),
        ("workers", ("LAB", False)),
        ("cleric", ("REL", False)),
        ("government", ("GOV", False)),
        ("authorities", ("GOV", False)),
        ("spokesmen", ("GOV", False)),
        ("spokeswoman", ("GOV", False)),
        ("heads of state", ("GOV", False)),
        ("secretary-general", ("GOV", False)),
        ("leader", ("GOV", True)),
        ("doctors", ("HLH", False)),
        ("peacekeepers", ("PKO", False)),
        ("aid workers", ("DEV", False)),
        ("rights group", ("HRI", False)),
        ("banana", None),
        ("", None),
    ],
)
def test_sector_for_noun(kb: KnowledgeBase, noun: str, expected: tuple[str, bool] | None) -> None:
    assert kb.sector_for_noun(noun) == expected


@pytest.mark.parametrize(
    ("adjective", "code"),
    [
        ("military", "MIL"),
        ("judicial", "JUD"),
        ("parliamentary", "LEG"),
        ("diplomatic", "GOV"),
        ("governmental", "GOV"),
        ("Military", "MIL"),
        ("blue", None),
    ],
)
def test_sector_for_adjective(kb: KnowledgeBase, adjective: str, code: str | None) -> None:
    assert kb.sector_for_adjective(adjective) == code


def test_sector_phrases_include_plurals_for_matchers(kb: KnowledgeBase) -> None:
    assert {"security force", "security forces", "riot police"} <= set(kb.sectors["COP"].nouns)
    assert "forces" in kb.sectors["MIL"].weak_nouns
    for sector in kb.sectors.values():
        assert not set(sector.nouns) & set(sector.weak_nouns)
        for noun in (*sector.nouns, *sector.weak_nouns):
            assert kb.sector_for_noun(noun) == (sector.code, noun in sector.weak_nouns)


def test_every_sector_used_by_the_tables_is_defined(kb: KnowledgeBase) -> None:
    used = {s for o in kb.organizations.values() for s in o.sectors}
    used |= {seat.sector for c in kb.countries.values() for seat in c.seats}
    used |= set(kb.sector_adjectives.values())
    assert used <= set(kb.sectors)
    expected = {"GOV", "MIL", "COP", "JUD", "LEG", "REB", "OPP", "PTY", "SPY", "MED", "BUS"}
    expected |= {"EDU", "CVL", "REF", "LAB", "ELI", "REL", "IGO", "NGO", "HLH", "AGR", "ENV"}
    expected |= {"CRM", "INS", "SEP", "UAF", "HRI", "DEV"}
    assert expected <= set(kb.sectors)


# -- facts checked against a third-party table -------------------------------------------------


def test_country_codes_agree_with_reference_table(kb: KnowledgeBase) -> None:
    table = SHARED / "data" / "reference" / "countrynames.txt"
    if not table.is_file():
        pytest.skip(f"reference table not available: {table}")
    # Deliberate differences: ISO codes where old CAMEO tables have their own, and plain
    # "Congo", which dyad reads as the DRC (the usage of international news).
    renamed = {"KSV": "XKX", "TMP": "TLS"}
    chosen = {"Congo"}
    checked = 0
    for line in table.read_text(encoding="utf-8").splitlines():
        name, _, rest = line.partition("\t")
        code = rest.split("\t")[0]
        hits = [a.key for a in kb.lookup(name) if a.kind == "country"]
        if not hits or name in chosen or not code.isalpha():
            continue
        code = renamed.get(code, code)
        country = kb.countries[hits[0]]
        if len(code) == 3 and country.status != "territory":
            assert hits == [code], name
        else:  # territories may be coded under their sovereign: USAPRI, DNKGRL, PSEGZA, GBR
            assert code[:3] in (country.iso3, country.parent), name
        checked += 1
    assert checked >= 200


# -- validation of broken tables ---------------------------------------------------------------


def _tables() -> dict[str, dict[str, Any]]:
    return {
        "sectors.yaml": {
            "version": 1,
            "sectors": [
                {"code": "GOV", "label": "Government", "nouns": ["government", "minister"]},
                {
                    "code": "MIL",
                    "label": "Military",
                    "nouns": ["troop", {"text": "force", "weak": True}],
                },
                {"code": "IGO", "label": "Intergovernmental", "nouns": []},
            ],
            "sector_adjectives": {"military": "MIL"},
        },
        "countries.yaml": {
            "version": 1,
            "case_sensitive": ["Turkey"],
            "countries": [
                {
                    "iso3": "RUS",
                    "code": "RUS",
                    "name": "Russia",
                    "names": ["Russia", "Russian Federation"],
                    "adjectives": ["Russian"],
                    "demonyms": ["Russians"],
                    "capital": "Moscow",
                    "seats": ["Kremlin"],
                    "status": "member",
                },
                {
                    "iso3": "TUR",
                    "code": "TUR",
                    "name": "Türkiye",
                    "names": ["Türkiye", "Turkey"],
                    "adjectives": ["Turkish"],
                    "demonyms": ["Turks"],
                    "capital": "Ankara",
                    "status": "member",
                },
                {
                    "iso3": "USA",
                    "code": "USA",
                    "name": "United States",
                    "names": ["United States", "US"],
                    "adjectives": ["American"],
                    "demonyms": ["Americans"],
                    "capital": "Washington",
                    "seats": [{"text": "Pentagon", "sector": "MIL"}],
                    "status": "member",
                },
                {
                    "iso3": "PRI",
                    "code": "PRI",
                    "name": "Puerto Rico",
                    "names": ["Puerto Rico"],
                    "adjectives": ["Puerto Rican"],
                    "demonyms": [],
                    "capital": "San Juan",
                    "status": "territory",
                    "parent": "USA",
                },
            ],
        },
        "organizations.yaml": {
            "version": 1,
            "organizations": [
                {
                    "key": "UNO",
                    "code": "IGOUNO",
                    "name": "United Nations",
                    "names": ["United Nations", "UN"],
                    "kind": "igo",
                    "sectors": ["IGO"],
                },
                {
                    "key": "UNGA",
                    "code": "IGOUNOGA",
                    "name": "UN General Assembly",
                    "names": ["UN General Assembly"],
                    "kind": "igo",
                    "sectors": ["IGO"],
                    "parent": "UNO",
                    "members": ["RUS", "TUR", "USA"],
                },
            ],
        },
    }


def _write(tmp_path: Path, tables: dict[str, dict[str, Any]]) -> Path:
    for name, data in tables.items():
        (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_small_valid_tables_load(tmp_path: Path) -> None:
    kb = load_kb(_write(tmp_path, _tables()))
    assert set(kb.countries) == {"RUS", "TUR", "USA", "PRI"}
    assert _keys(kb, "the Russian Federation") == {"RUS"}
    assert _keys(kb, "turkey") == set()
    assert [(a.kind, a.sector) for a in kb.lookup("Pentagon")] == [("seat", "MIL")]
    assert kb.organizations["UNGA"].parent == "UNO"
    assert kb.sector_for_noun("forces") == ("MIL", True)
    assert kb.sector_for_adjective("military") == "MIL"
    assert load_kb(tmp_path) is not load_kb(tmp_path)


def _country(tables: dict[str, dict[str, Any]], iso3: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(
        c for c in tables["countries.yaml"]["countries"] if c["iso3"] == iso3
    )
    return entry


def _org(tables: dict[str, dict[str, Any]], key: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(
        o for o in tables["organizations.yaml"]["organizations"] if o["key"] == key
    )
    return entry


def _no_version(t: dict[str, dict[str, Any]]) -> None:
    del t["countries.yaml"]["version"]


def _bad_iso3(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "TUR")["iso3"] = "Tur"


def _duplicate_iso3(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "PRI")["iso3"] = "RUS"


def _missing_field(t: dict[str, dict[str, Any]]) -> None:
    del _country(t, "TUR")["capital"]


def _unknown_field(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "TUR")["adjective"] = ["Turkish"]


def _unknown_parent(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "PRI")["parent"] = "XYZ"


def _territory_without_parent(t: dict[str, dict[str, Any]]) -> None:
    del _country(t, "PRI")["parent"]


def _unknown_seat_sector(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "RUS")["seats"] = [{"text": "Lubyanka", "sector": "SPY"}]


def _leading_the(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "USA")["names"].append("the States")


def _bad_status(t: dict[str, dict[str, Any]]) -> None:
    _country(t, "TUR")["status"] = "candidate"


def _case_list_typo(t: dict[str, dict[str, Any]]) -> None:
    t["countries.yaml"]["case_sensitive"].append("Turky")


def _org_unknown_sector(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["sectors"] = ["IGO", "XXX"]


def _org_duplicate_code(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["code"] = "IGOUNO"


def _org_duplicate_key(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["key"] = "UNO"


def _org_unknown_member(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["members"] = ["RUS", "XYZ"]


def _org_unknown_parent(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["parent"] = "ONU"


def _org_code_prefix(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["code"] = "IGOGA"


def _org_unknown_country(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["country"] = "XYZ"


def _org_bad_kind(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNGA")["kind"] = "club"


def _org_names_a_country(t: dict[str, dict[str, Any]]) -> None:
    _org(t, "UNO")["names"].append("US")


def _sector_noun_twice(t: dict[str, dict[str, Any]]) -> None:
    t["sectors.yaml"]["sectors"][0]["nouns"].append("troop")


def _sector_adjective_unknown(t: dict[str, dict[str, Any]]) -> None:
    t["sectors.yaml"]["sector_adjectives"]["judicial"] = "JUD"


def _sector_noun_upper_case(t: dict[str, dict[str, Any]]) -> None:
    t["sectors.yaml"]["sectors"][0]["nouns"].append("Cabinet")


@pytest.mark.parametrize(
    ("break_it", "file", "fragments"),
    [
        (_no_version, "countries.yaml", ["'version' is missing"]),
        (_bad_iso3, "countries.yaml", ["country Tur (line", "3 upper-case letters"]),
        (_duplicate_iso3, "countries.yaml", ["iso3 RUS is already used"]),
        (_missing_field, "countries.yaml", ["country TUR", "missing field 'capital'"]),
        (_unknown_field, "countries.yaml", ["country TUR", "unknown field 'adjective'"]),
        (_unknown_parent, "countries.yaml", ["country PRI", "parent 'XYZ'"]),
        (_territory_without_parent, "countries.yaml", ["country PRI", "needs a 'parent'"]),
        (_unknown_seat_sector, "countries.yaml", ["country RUS", "'SPY' is not in sectors.yaml"]),
        (_leading_the, "countries.yaml", ["country USA", "without the leading 'the'"]),
        (_bad_status, "countries.yaml", ["country TUR", "status 'candidate'"]),
        (_case_list_typo, "countries.yaml", ["case_sensitive", "'turky' is not an alias"]),
        (_org_unknown_sector, "organizations.yaml", ["organization UNGA", "'XXX'"]),
        (_org_duplicate_code, "organizations.yaml", ["code IGOUNO is already used"]),
        (_org_duplicate_key, "organizations.yaml", ["key UNO is already used"]),
        (_org_unknown_member, "organizations.yaml", ["organization UNGA", "XYZ"]),
        (_org_unknown_parent, "organizations.yaml", ["organization UNGA", "parent 'ONU'"]),
        (_org_code_prefix, "organizations.yaml", ["must start with its parent's code IGOUNO"]),
        (_org_unknown_country, "organizations.yaml", ["country 'XYZ'"]),
        (_org_bad_kind, "organizations.yaml", ["kind 'club'"]),
        (
            _org_names_a_country,
            "organizations.yaml",
            ["'US' names organization UNO and country USA"],
        ),
        (_sector_noun_twice, "sectors.yaml", ["sector MIL", "'troop' is also listed under GOV"]),
        (_sector_adjective_unknown, "sectors.yaml", ["'judicial'", "'JUD' is not defined"]),
        (_sector_noun_upper_case, "sectors.yaml", ["'Cabinet' must be written in lower case"]),
    ],
)
def test_validation_errors(tmp_path: Path, break_it: Any, file: str, fragments: list[str]) -> None:
    tables = _tables()
    break_it(tables)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(_write(tmp_path, tables))
    assert Path(info.value.path).name == file
    for fragment in fragments:
        assert fragment in info.value.reason


def test_alias_collisions_are_reported_together(tmp_path: Path) -> None:
    tables = _tables()
    _country(tables, "TUR")["demonyms"].append("Russians")
    _country(tables, "PRI")["names"].append("America")
    _country(tables, "USA")["names"].append("America")
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(_write(tmp_path, tables))
    reason = info.value.reason
    assert "2 problems" in reason
    assert "'Russians' names more than one country: RUS, TUR" in reason
    assert "'America' names more than one country: PRI, USA" in reason


def test_several_problems_in_one_message(tmp_path: Path) -> None:
    tables = _tables()
    _bad_iso3(tables)
    _unknown_parent(tables)
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(_write(tmp_path, tables))
    assert "2 problems" in info.value.reason
    assert "country Tur" in info.value.reason and "country PRI" in info.value.reason


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, _tables())
    (tmp_path / "sectors.yaml").write_text(
        "version: 1\nversion: 2\nsectors:\n  - {code: GOV, label: Government, nouns: []}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match=r"line 2: duplicate key 'version'"):
        load_kb(tmp_path)


def test_invalid_yaml_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, _tables())
    (tmp_path / "organizations.yaml").write_text("version: 1\norganizations: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="not valid YAML") as info:
        load_kb(tmp_path)
    assert info.value.path.endswith("organizations.yaml")


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, _tables())
    (tmp_path / "countries.yaml").unlink()
    with pytest.raises(KnowledgeBaseError, match="file not found") as info:
        load_kb(tmp_path)
    assert info.value.path.endswith("countries.yaml")


# -- the aliases in a spaCy PhraseMatcher ---------------------------------------------------


@pytest.mark.slow
def test_aliases_match_in_text(kb: KnowledgeBase) -> None:
    from spacy.matcher import PhraseMatcher

    from dyad.parse import load_nlp

    nlp = load_nlp()
    exact = PhraseMatcher(nlp.vocab, attr="ORTH")
    lower = PhraseMatcher(nlp.vocab, attr="LOWER")
    labels: dict[str, list[str]] = {}
    for alias in kb.aliases():
        labels.setdefault(f"{alias.case_sensitive}|{alias.key}", []).append(alias.text)
    for label, texts in labels.items():
        matcher = exact if label.startswith("True") else lower
        matcher.add(label, [nlp.make_doc(t) for t in texts])
    text = (
        "The U.S. and the DRC signed a deal in Côte d\u2019Ivoire, while OPEC+ and the "
        "Kremlin said Türkiye would host us and the WHO in Kuwait City next year."
    )
    doc = nlp.make_doc(text)
    found = {
        nlp.vocab.strings[m].split("|")[1] for matcher in (exact, lower) for m, _, _ in matcher(doc)
    }
    assert {"USA", "COD", "CIV", "OPECPLUS", "RUS", "TUR", "WHO", "KWT"} <= found
