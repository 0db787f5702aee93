"""Tests for dyad.geo.gazetteer: the merged GeoNames + project gazetteer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from dyad.errors import KnowledgeBaseError
from dyad.geo import Gazetteer, GeoEntry, build_gazetteer, load_gazetteer, normalize_name
from dyad.geo.gazetteer import KINDS, _data_path


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


# --------------------------------------------------------------------------------------------
# Normalisation


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Kyiv", "kyiv"),
        ("KYIV", "kyiv"),
        ("Kyïv", "kyiv"),
        ("St. Petersburg", "saint petersburg"),
        ("St Petersburg", "saint petersburg"),
        ("Sana'a", "sanaa"),
        ("Sana’a", "sanaa"),
        ("the Hague", "hague"),
        ("The Hague", "hague"),
        ("Nagorno-Karabakh", "nagorno karabakh"),
        ("Washington, D.C.", "washington dc"),
        ("U.S.", "us"),
        ("Khān Yūnis", "khan yunis"),
        ("Ḩamāh", "hamah"),
        ("  Gaza   City ", "gaza city"),
        ("Москва", ""),
        ("MT", "mt"),
    ],
)
def test_normalize_name(text: str, key: str) -> None:
    assert normalize_name(text) == key


# --------------------------------------------------------------------------------------------
# Lookups in the bundled gazetteer

LOOKUPS = [
    # name as written, canonical name, country, kind
    ("Kyiv", "Kyiv", "UKR", "city"),
    ("Kiev", "Kyiv", "UKR", "city"),
    ("KIEV", "Kyiv", "UKR", "city"),
    ("Kharkov", "Kharkiv", "UKR", "city"),
    ("Odessa", "Odesa", "UKR", "city"),
    ("Odesa", "Odesa", "UKR", "city"),
    ("Bombay", "Mumbai", "IND", "city"),
    ("Peking", "Beijing", "CHN", "city"),
    ("Rangoon", "Yangon", "MMR", "city"),
    ("Gaza City", "Gaza City", "PSE", "city"),
    ("Gaza", "Gaza Strip", "PSE", "region"),
    ("Gaza Strip", "Gaza Strip", "PSE", "region"),
    ("Khan Younis", "Khan Younis", "PSE", "city"),
    ("Khan Yunis", "Khan Younis", "PSE", "city"),
    ("Rafah", "Rafah", "PSE", "city"),
    ("Bakhmut", "Bakhmut", "UKR", "city"),
    ("Artemivsk", "Bakhmut", "UKR", "city"),
    ("Avdiivka", "Avdiivka", "UKR", "city"),
    ("Mariupol", "Mariupol", "UKR", "city"),
    ("Donetsk", "Donetsk", "UKR", "city"),
    ("Donetsk region", "Donetsk Oblast", "UKR", "admin1"),
    ("Luhansk", "Luhansk", "UKR", "city"),
    ("Lugansk", "Luhansk", "UKR", "city"),
    ("Crimea", "Crimea", "UKR", "region"),
    ("Donbas", "Donbas", "UKR", "region"),
    ("Donbass", "Donbas", "UKR", "region"),
    ("Zaporizhzhia", "Zaporizhzhia", "UKR", "city"),
    ("Zaporozhye", "Zaporizhzhia", "UKR", "city"),
    ("Kherson", "Kherson", "UKR", "city"),
    ("Tigray", "Tigray", "ETH", "admin1"),
    ("Darfur", "Darfur", "SDN", "region"),
    ("Kashmir", "Kashmir", None, "region"),
    ("West Bank", "West Bank", "PSE", "region"),
    ("Golan Heights", "Golan Heights", "SYR", "region"),
    ("Sinai", "Sinai", "EGY", "region"),
    ("Idlib", "Idlib", "SYR", "city"),
    ("Idlib province", "Idlib Governorate", "SYR", "admin1"),
    ("Aleppo", "Aleppo", "SYR", "city"),
    ("Raqqa", "Raqqa", "SYR", "city"),
    ("al-Raqqa", "Raqqa", "SYR", "city"),
    ("Mosul", "Mosul", "IRQ", "city"),
    ("Kurdistan", "Kurdistan Region", "IRQ", "region"),
    ("Nagorno-Karabakh", "Nagorno-Karabakh", "AZE", "region"),
    ("Xinjiang", "Xinjiang", "CHN", "admin1"),
    ("Tibet", "Tibet", "CHN", "admin1"),
    ("Taiwan Strait", "Taiwan Strait", None, "sea"),
    ("South China Sea", "South China Sea", None, "sea"),
    ("Red Sea", "Red Sea", None, "sea"),
    ("Black Sea", "Black Sea", None, "sea"),
    ("Strait of Hormuz", "Strait of Hormuz", None, "sea"),
    ("Persian Gulf", "Persian Gulf", None, "sea"),
    ("Helmand", "Helmand Province", "AFG", "admin1"),
    ("Kandahar", "Kandahar", "AFG", "city"),
    ("Kandahar province", "Kandahar Province", "AFG", "admin1"),
    # seats of power stand for their city
    ("Kremlin", "Moscow", "RUS", "city"),
    ("the Kremlin", "Moscow", "RUS", "city"),
    ("White House", "Washington", "USA", "city"),
    ("Downing Street", "London", "GBR", "city"),
    # countries as news writes them
    ("US", "United States", "USA", "country"),
    ("U.S.", "United States", "USA", "country"),
    ("Britain", "United Kingdom", "GBR", "country"),
    ("Burma", "Myanmar", "MMR", "country"),
    ("Palestine", "Palestine", "PSE", "country"),
    ("Ivory Coast", "Ivory Coast", "CIV", "country"),
    ("Côte d'Ivoire", "Ivory Coast", "CIV", "country"),
    ("Kosovo", "Kosovo", "XKX", "country"),
    # defaults without context: the country, the capital, the most populous
    ("Georgia", "Georgia", "GEO", "country"),
    ("Washington", "Washington", "USA", "city"),
    ("New York", "New York City", "USA", "city"),
    ("Paris", "Paris", "FRA", "city"),
    ("Moscow", "Moscow", "RUS", "city"),
    ("Tripoli", "Tripoli", "LBY", "city"),
    ("Hyderabad", "Hyderabad", "IND", "city"),
    ("Santiago", "Santiago", "CHL", "city"),
    ("San Jose", "San José", "CRI", "city"),
    ("Alexandria", "Alexandria", "EGY", "city"),
    ("Valencia", "Valencia", "VEN", "city"),
    ("Cambridge", "Cambridge", "GBR", "city"),
    ("Birmingham", "Birmingham", "GBR", "city"),
    ("Victoria", "Victoria", "AUS", "admin1"),
    ("Punjab", "Punjab Province", "PAK", "admin1"),
]


@pytest.mark.parametrize(("name", "canonical", "country", "kind"), LOOKUPS)
def test_lookup_best_first(
    gaz: Gazetteer, name: str, canonical: str, country: str | None, kind: str
) -> None:
    found = gaz.lookup(name)
    assert found, f"{name!r} not found"
    best = found[0]
    assert (best.name, best.country, best.kind) == (canonical, country, kind)
    assert -90 <= best.lat <= 90 and -180 <= best.lon <= 180


@pytest.mark.parametrize(
    ("name", "countries"),
    [
        ("Georgia", {"GEO", "USA"}),
        ("Tripoli", {"LBY", "LBN"}),
        ("Hyderabad", {"IND", "PAK"}),
        ("Paris", {"FRA", "USA"}),
        ("Birmingham", {"GBR", "USA"}),
        ("Alexandria", {"EGY", "USA"}),
        ("Valencia", {"VEN", "ESP"}),
        ("Cambridge", {"GBR", "USA", "CAN"}),
        ("San Jose", {"CRI", "USA"}),
        ("Santiago", {"CHL", "DOM"}),
        ("Punjab", {"PAK", "IND"}),
    ],
)
def test_ambiguous_names_keep_every_reading(gaz: Gazetteer, name: str, countries: set[str]) -> None:
    assert countries <= {e.country for e in gaz.lookup(name)}


def test_lookup_unknown_and_empty(gaz: Gazetteer) -> None:
    assert gaz.lookup("Qwertzuiopville") == ()
    assert gaz.lookup("") == ()
    assert gaz.lookup("Москва") == ()


def test_georgia_readings_are_the_country_and_the_state(gaz: Gazetteer) -> None:
    country, state = gaz.lookup("Georgia")[:2]
    assert (country.kind, country.country) == ("country", "GEO")
    assert (state.kind, state.country, state.admin1) == ("admin1", "USA", "Georgia")


@pytest.mark.parametrize(
    ("name", "admin1"),
    [
        ("Atlanta", "Georgia"),
        ("Kharkiv", "Kharkiv Oblast"),
        ("Bakhmut", "Donetsk Oblast"),
        ("Aleppo", "Aleppo Governorate"),
        ("Hyderabad", "Telangana"),
        ("Washington", "District of Columbia"),
    ],
)
def test_cities_carry_admin1(gaz: Gazetteer, name: str, admin1: str) -> None:
    assert gaz.lookup(name)[0].admin1 == admin1


def test_country_entry_sits_at_the_capital(gaz: Gazetteer) -> None:
    ukraine = gaz.country_entry("UKR")
    kyiv = gaz.lookup("Kyiv")[0]
    assert ukraine is not None and ukraine.kind == "country" and ukraine.name == "Ukraine"
    assert (ukraine.lat, ukraine.lon) == (kyiv.lat, kyiv.lon)
    assert gaz.country_entry("ukr") == ukraine
    assert gaz.country_entry("XYZ") is None
    assert gaz.is_capital(kyiv)
    assert not gaz.is_capital(gaz.lookup("Kharkiv")[0])


def test_every_country_has_coordinates(gaz: Gazetteer) -> None:
    countries = [e for e in gaz if e.kind == "country"]
    assert len(countries) > 240
    assert all(-90 <= c.lat <= 90 and -180 <= c.lon <= 180 for c in countries)
    assert all(c.country and len(c.country) == 3 for c in countries)
    assert {e.kind for e in gaz} == set(KINDS) - {"admin2"}  # divisions: the towns table
    assert len(gaz) > 30_000


def test_neighbours(gaz: Gazetteer) -> None:
    assert {"RUS", "ARM", "AZE", "TUR"} <= gaz.neighbours("GEO")
    assert gaz.neighbours("USA") >= {"CAN", "MEX"}
    assert gaz.neighbours("NOPE") == frozenset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Texas", "Texas"),
        ("Tenn.", "Tennessee"),
        ("TN", "Tennessee"),
        ("Ga.", "Georgia"),
        ("N.Y.", "New York"),
        ("Lebanon", "Lebanon"),
        ("UK", "United Kingdom"),
        ("tn", None),
        ("IN", "Indiana"),
        ("in", None),
        ("Chicago", None),
        ("Moscow", "Moscow"),  # the federal city is a first-level division
        ("South Kivu", "South Kivu"),
        ("Lyon", None),  # not Lyon County, Iowa: counties do not qualify
    ],
)
def test_qualifier(gaz: Gazetteer, text: str, expected: str | None) -> None:
    found = gaz.qualifier(text)
    assert (found.name if found else None) == expected


def test_abbreviations_are_only_qualifiers(gaz: Gazetteer) -> None:
    assert gaz.lookup("Tenn.") == ()
    assert all(e.kind != "admin1" for e in gaz.lookup("Ga."))


def test_load_gazetteer_is_cached() -> None:
    assert load_gazetteer() is load_gazetteer()


# --------------------------------------------------------------------------------------------
# The project's table against GeoNames


def _places_yaml() -> dict[str, Any]:
    with _data_path().open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


def test_table_city_names_resolve_to_their_record(gaz: Gazetteer) -> None:
    for entry in _places_yaml()["cities"]:
        gid = entry["geonameid"]
        for name in (entry.get("name"), *entry.get("aliases", [])):
            if name:
                assert gid in {e.geonameid for e in gaz.lookup(name)}, (gid, name)


def test_table_admin1_codes_exist_in_geonames(gaz: Gazetteer) -> None:
    """Each admin1 code in the table names the region of at least one GeoNames city."""
    for entry in _places_yaml()["places"]:
        if "code" in entry:
            cities = [e for e in gaz if e.kind == "city" and e.admin1 == entry["name"]]
            assert cities, entry["name"]
            assert {c.country for c in cities} == {entry["country"]}, entry["name"]


def test_table_places_lie_inside_their_country(gaz: Gazetteer) -> None:
    """Each representative point lies within the box around its country's GeoNames cities
    (with a 3-degree margin): catches swapped or mistyped coordinates."""
    boxes: dict[str, list[float]] = {}
    for e in gaz:
        if e.kind == "city" and e.country:
            box = boxes.setdefault(e.country, [e.lat, e.lat, e.lon, e.lon])
            box[:] = [
                min(box[0], e.lat),
                max(box[1], e.lat),
                min(box[2], e.lon),
                max(box[3], e.lon),
            ]
    for entry in _places_yaml()["places"]:
        if entry.get("country"):
            south, north, west, east = boxes[entry["country"]]
            assert south - 3 <= entry["lat"] <= north + 3, entry["name"]
            assert west - 3 <= entry["lon"] <= east + 3, entry["name"]


# --------------------------------------------------------------------------------------------
# Validation, on a tiny GeoNames extract written here

FAKE_COUNTRIES = {
    "US": {"geonameid": 1, "name": "United States", "iso": "US", "iso3": "USA",
           "capital": "Washington", "population": 330000000, "neighbours": "CA,MX"},
    "FR": {"geonameid": 2, "name": "France", "iso": "FR", "iso3": "FRA",
           "capital": "Paris", "population": 67000000, "neighbours": "BE,DE"},
    "AQ": {"geonameid": 3, "name": "Antarctica", "iso": "AQ", "iso3": "ATA",
           "capital": "", "population": 0, "neighbours": ""},
}  # fmt: skip
FAKE_CITIES = {
    "10": {"geonameid": 10, "name": "Paris", "latitude": 48.85, "longitude": 2.35,
           "countrycode": "FR", "population": 2100000, "admin1code": "11",
           "alternatenames": ["Lutetia", "PAR"]},
    "11": {"geonameid": 11, "name": "Paris", "latitude": 33.66, "longitude": -95.56,
           "countrycode": "US", "population": 25000, "admin1code": "TX", "alternatenames": []},
    "12": {"geonameid": 12, "name": "Washington", "latitude": 38.9, "longitude": -77.04,
           "countrycode": "US", "population": 690000, "admin1code": "DC", "alternatenames": []},
}  # fmt: skip
FAKE_STATES = {
    "TX": {"code": "TX", "name": "Texas", "fips": "48", "geonameid": 100},
    "DC": {"code": "DC", "name": "District of Columbia", "fips": "11", "geonameid": 101},
}
GOOD_TABLE: dict[str, Any] = {
    "version": 1,
    "countries": {"ATA": {"lat": -82.0, "lon": 0.0}, "USA": {"aliases": ["U.S."]}},
    "us_states": {
        "TX": {"lat": 31.5, "lon": -99.3, "population": 29000000, "abbreviations": ["Tex."]},
        "DC": {"lat": 38.9, "lon": -77.0, "population": 690000},
    },
    "cities": [{"geonameid": 10, "aliases": ["City of Light"]}],
    "places": [{"name": "Black Sea", "kind": "sea", "country": None, "lat": 43.4, "lon": 34.0}],
    "landmarks": [{"name": "Elysee", "city": 10}],
}


@pytest.fixture
def fake_geonames(tmp_path: Path) -> Path:
    folder = tmp_path / "geonames"
    folder.mkdir()
    for name, data in (
        ("countries.json", FAKE_COUNTRIES),
        ("cities15000.json", FAKE_CITIES),
        ("us_states.json", FAKE_STATES),
    ):
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def _build(tmp_path: Path, geonames: Path, table: Any) -> Gazetteer:
    path = tmp_path / "places.yaml"
    path.write_text(table if isinstance(table, str) else yaml.safe_dump(table), encoding="utf-8")
    return build_gazetteer(path, geonames)


def test_build_from_a_small_extract(tmp_path: Path, fake_geonames: Path) -> None:
    gaz = _build(tmp_path, fake_geonames, GOOD_TABLE)
    assert [e.country for e in gaz.lookup("Paris")] == ["FRA", "USA"]
    assert gaz.lookup("paris")[1].admin1 == "Texas"
    assert gaz.lookup("Lutetia")[0].geonameid == 10
    assert gaz.lookup("PAR") == ()  # codes are not names
    assert gaz.lookup("Elysee")[0].geonameid == 10
    assert gaz.lookup("City of Light")[0].geonameid == 10
    assert gaz.lookup("U.S.")[0] == gaz.country_entry("USA")
    usa = gaz.country_entry("USA")
    assert usa is not None and (usa.lat, usa.lon) == (38.9, -77.04)
    assert gaz.qualifier("Tex.") == gaz.lookup("Texas")[0]
    assert gaz.lookup("Black Sea")[0] == GeoEntry(
        "Black Sea", None, None, 43.4, 34.0, 0, "sea", None
    )


def _with(**changes: Any) -> dict[str, Any]:
    table: dict[str, Any] = json.loads(json.dumps(GOOD_TABLE))
    table.update(changes)
    return table


BAD_TABLES = [
    ("version: 2\n", "version is 2"),
    ("- just\n- a list\n", "mapping at the top level"),
    ("version: 1\nversion: [\n", "not valid YAML"),
    (_with(extra=[]), "unknown section(s) extra"),
    (_with(cities=[{"geonameid": 999}]), "cities[0] (geonameid 999): not a GeoNames city id"),
    (_with(cities=[{"geonameid": 10}, {"geonameid": 10}]), "listed twice"),
    (_with(cities=[{"geonameid": 10, "aliases": "Lutetia"}]), "'aliases' must be a list"),
    (_with(cities=[{"geonameid": 10, "colour": "red"}]), "unknown field(s) colour"),
    (
        _with(places=[{"name": "X", "kind": "planet", "country": None, "lat": 1, "lon": 1}]),
        "places[0] (X): kind 'planet' is not admin1, region or sea",
    ),
    (
        _with(places=[{"name": "X", "kind": "sea", "country": None, "lat": 91, "lon": 1}]),
        "places[0] (X): 'lat' = 91 is outside -90..90",
    ),
    (
        _with(places=[{"name": "X", "kind": "region", "country": "ZZZ", "lat": 1, "lon": 1}]),
        "country 'ZZZ' is not an ISO alpha-3 code",
    ),
    (
        _with(places=[{"name": "X", "kind": "admin1", "country": None, "lat": 1, "lon": 1}]),
        "an admin1 region needs a country",
    ),
    (_with(places=[{"name": "X", "kind": "sea", "lat": 1}]), "missing field 'lon'"),
    (_with(countries={"ZZZ": {}}), "countries.ZZZ: 'ZZZ' is not an ISO alpha-3 code"),
    (_with(countries={}), "countries.ATA: GeoNames lists no capital city"),
    (_with(us_states={"TX": GOOD_TABLE["us_states"]["TX"]}), "us_states.DC: expected a mapping"),
    (
        _with(us_states={**GOOD_TABLE["us_states"], "ZZ": {}}),
        "us_states.ZZ: not a US state code",
    ),
    (_with(landmarks=[{"name": "Nowhere", "city": 42}]), "landmarks[0]: city 42 is not"),
]


@pytest.mark.parametrize(("table", "message"), BAD_TABLES)
def test_invalid_table_is_reported_with_where(
    tmp_path: Path, fake_geonames: Path, table: Any, message: str
) -> None:
    with pytest.raises(KnowledgeBaseError) as err:
        _build(tmp_path, fake_geonames, table)
    assert message in str(err.value)
    assert str(tmp_path / "places.yaml") in str(err.value)


def test_missing_files_are_reported(tmp_path: Path, fake_geonames: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="cannot read the gazetteer table"):
        build_gazetteer(tmp_path / "nope.yaml", fake_geonames)
    path = tmp_path / "places.yaml"
    path.write_text(yaml.safe_dump(GOOD_TABLE), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="cannot read GeoNames data"):
        build_gazetteer(path, tmp_path / "no-geonames")


# --------------------------------------------------------------------------------------------
# Towns and villages (towns.tsv.gz)


def _towns_file(tmp_path: Path, rows: list[str]) -> Path:
    import gzip

    path = tmp_path / "towns.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("# attribution line\n" + "\n".join(rows) + "\n")
    return path


def test_read_towns_from_a_hand_built_table(tmp_path: Path) -> None:
    from dyad.geo.gazetteer import read_towns

    path = _towns_file(
        tmp_path,
        [
            "1\tSmallplace\tUA\t14\t47.1000\t35.9000\t3000\tSmall Place|Smallplace-1",
            "2\tNowhere\tZZ\t01\t1.0\t2.0\t900\t",
        ],
    )
    entries, names, _ = read_towns({"UA": "UKR"}, {("UA", "14"): "Zaporizhzhia Oblast"}, path)
    assert [(e.name, e.country, e.admin1, e.geonameid) for e in entries] == [
        ("Smallplace", "UKR", "Zaporizhzhia Oblast", 1)
    ]
    assert ("Small Place", 0, False) in names


def test_a_broken_towns_table_is_named(tmp_path: Path) -> None:
    from dyad.geo.gazetteer import read_towns

    path = _towns_file(tmp_path, ["1\tOnly three\tUA"])
    with pytest.raises(KnowledgeBaseError, match="expected 8 columns"):
        read_towns({"UA": "UKR"}, {}, path)


def test_towns_are_kept_apart_from_the_main_names(gaz: Gazetteer) -> None:
    # a village of a few thousand people: only town_candidates knows it
    towns = gaz.town_candidates("Urzuf")
    assert towns and towns[0].entry.country == "UKR"
    assert towns[0].entry.geonameid is not None
    assert not gaz.candidates("Urzuf")
