"""Tests for the GeoNames divisions table (admin1 and admin2) of dyad.geo."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from dyad.errors import KnowledgeBaseError
from dyad.geo import Gazetteer, load_gazetteer
from dyad.geo.gazetteer import _admin_path, read_admin_rows


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def test_the_table_is_small_compressed_and_attributed() -> None:
    path = _admin_path()
    assert path.stat().st_size < 30_000_000
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        first = fh.readline()
    assert "GeoNames" in first and "CC BY 4.0" in first
    rows = read_admin_rows()
    assert len(rows) > 10_000
    assert {r.level for r in rows} == {1, 2}
    level1 = [r for r in rows if r.level == 1]
    assert sum(bool(r.code) for r in level1) > 0.95 * len(level1)
    assert all(r.parent for r in rows if r.level == 2)


DIVISIONS = [
    # name, kind, country, admin1: regions the project's own table does not list
    ("Ajaria", "admin1", "GEO", "Ajaria"),
    ("Sonora", "admin1", "MEX", "Sonora"),
    ("Baringo", "admin1", "KEN", "Baringo"),
    ("Gedo", "admin1", "SOM", "Gedo"),
]


@pytest.mark.parametrize(("name", "kind", "country", "admin1"), DIVISIONS)
def test_divisions_are_found_among_the_small_places(
    gaz: Gazetteer, name: str, kind: str, country: str, admin1: str
) -> None:
    entry = gaz.town_candidates(name)[0].entry
    assert (entry.kind, entry.country, entry.admin1) == (kind, country, admin1)
    assert -90 <= entry.lat <= 90 and -180 <= entry.lon <= 180
    assert entry.population > 0


def test_admin2_divisions_carry_their_admin1(gaz: Gazetteer) -> None:
    rows = [r for r in read_admin_rows() if r.level == 2 and r.country == "IN"]
    assert len(rows) > 300
    sample = rows[len(rows) // 2]
    found = [c.entry for c in gaz.town_candidates(sample.name) if c.entry.kind == "admin2"]
    assert any(e.admin1 == sample.parent and e.country == "IND" for e in found)


@pytest.mark.parametrize(
    ("city", "admin1"),
    [("Bagerhat", "Khulna"), ("Chimaltenango", "Chimaltenango"), ("Kano", "Kano")],
)
def test_cities_outside_the_us_get_their_admin1_name(
    gaz: Gazetteer, city: str, admin1: str
) -> None:
    entry = gaz.lookup(city)[0]
    assert (entry.kind, entry.admin1) == ("city", admin1)


def test_a_broken_table_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "admin.tsv.gz"
    with gzip.open(bad, "wt", encoding="utf-8") as fh:
        fh.write("# header\n3\tXX\n")
    with pytest.raises(KnowledgeBaseError, match=r"admin\.tsv\.gz"):
        read_admin_rows(bad)


@pytest.mark.parametrize(
    ("name", "bases"),
    [
        ("Basra Governorate", ("Basra",)),
        ("Donetsk Oblast", ("Donetsk",)),
        ("Partido de Azul", ("Azul",)),
        ("Politischer Bezirk Baden", ("Baden",)),
        ("Muhafazat Kirkuk", ("Kirkuk",)),
        ("Helmand", ()),
        ("Cook County", ("Cook",)),
    ],
)
def test_division_names_drop_their_descriptor(name: str, bases: tuple[str, ...]) -> None:
    from dyad.geo.gazetteer import division_names

    assert division_names(name) == bases


@pytest.mark.parametrize(
    ("name", "country"), [("Salah ad Din", "IRQ"), ("Ninawa", "IRQ"), ("Azul", "ARG")]
)
def test_divisions_are_found_without_their_descriptor(
    gaz: Gazetteer, name: str, country: str
) -> None:
    found = [c.entry for c in gaz.town_candidates(name) if c.entry.kind in ("admin1", "admin2")]
    assert found and found[0].country == country
