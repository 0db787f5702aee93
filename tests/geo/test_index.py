"""Tests for the place indexes of dyad.geo.index: built once into the cache, then read
one name at a time; in memory when caching is off; a broken index file is rebuilt."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from dyad import cache
from dyad.geo.gazetteer import GeoEntry
from dyad.geo.index import PlaceIndex, PlaceRows

PLACES = [
    GeoEntry("Urzuf", "UKR", "Donetsk Oblast", 46.91, 37.10, 2904, "city", 505257),
    GeoEntry("Springfield", "USA", "Ohio", 39.9, -83.8, 9000, "city", 11),
    GeoEntry("Springfield", "USA", "Maine", 45.3, -68.2, 600, "city", 12),
    GeoEntry("Kherson", "UKR", "Kherson", 46.6, 32.6, 280000, "admin1", None),
]
NAMES = [
    ("Urzuf", 0, True),
    ("Urzuf'", 0, False),
    ("Springfield", 1, True),
    ("Springfield", 2, True),
    ("Kherson", 3, True),
]


class Source:
    """A picklable towns source that counts its reads."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self) -> PlaceRows:
        self.reads += 1
        return PlaceRows(list(PLACES), list(NAMES))


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "towns.tsv"
    path.write_text("stands for the table\n", encoding="utf-8")
    return path


def test_lookups_rank_the_largest_first(cache_in: Path, key_file: Path) -> None:
    index = PlaceIndex(Source(), [key_file])
    found = index.get("springfield")
    assert [c.entry.admin1 for c in found] == ["Ohio", "Maine"]
    assert all(c.exact and not c.capital for c in found)
    assert index.get("nowhere") == ()


def test_built_once_into_the_cache_then_read(cache_in: Path, key_file: Path) -> None:
    source = Source()
    PlaceIndex(source, [key_file]).get("urzuf")
    assert source.reads == 1
    [db] = cache_in.glob("towns-*.db")
    again = PlaceIndex(source, [key_file])
    assert again.get("urzuf")[0].entry == PLACES[0]
    assert source.reads == 1  # the second process reads the index, not the table
    key_file.write_text("a new table\n", encoding="utf-8")
    PlaceIndex(source, [key_file]).get("urzuf")
    assert source.reads == 2
    assert list(cache_in.glob("towns-*.db")) != [db]  # the stale index is pruned


def test_in_memory_when_caching_is_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, key_file: Path
) -> None:
    monkeypatch.setenv(cache.ENV, "off")
    cache.cache_dir.cache_clear()
    try:
        source = Source()
        index = PlaceIndex(source, [key_file])
        assert index.get("kherson")[0].entry.kind == "admin1"
        assert index.get("urzuf")
        assert source.reads == 1
    finally:
        cache.cache_dir.cache_clear()


def test_a_broken_index_is_rebuilt(cache_in: Path, key_file: Path) -> None:
    source = Source()
    PlaceIndex(source, [key_file]).get("urzuf")
    [db] = cache_in.glob("towns-*.db")
    db.write_bytes(b"not a database at all" * 100)
    assert PlaceIndex(source, [key_file]).get("urzuf")[0].entry == PLACES[0]
    assert source.reads == 2
    assert PlaceIndex(source, [key_file]).get("urzuf")  # the next process writes a new one
    assert source.reads == 3
    assert len(list(cache_in.glob("towns-*.db"))) == 1


def test_a_pickled_index_opens_its_own_connection(cache_in: Path, key_file: Path) -> None:
    index = PlaceIndex(Source(), [key_file])
    assert index.get("urzuf")
    copy = pickle.loads(pickle.dumps(index))
    assert copy.get("springfield")[0].entry.admin1 == "Ohio"


def test_capitals_are_marked_and_weighted(cache_in: Path, key_file: Path) -> None:
    rows = PlaceRows(PLACES, NAMES, frozenset({2}))
    index = PlaceIndex(None, (), "t", rows)
    found = index.get("springfield")
    assert [(c.entry.admin1, c.capital) for c in found] == [("Ohio", False), ("Maine", True)]
    assert found[1].weight == 5 * PLACES[2].population


def test_rows_in_hand_spare_the_first_read(cache_in: Path, key_file: Path) -> None:
    source = Source()
    index = PlaceIndex(source, [key_file], "main", PlaceRows(PLACES, NAMES))
    data = pickle.dumps(index)  # writes the index file first
    assert source.reads == 0
    assert b"Urzuf" not in data  # a file-backed copy carries no places
    assert len(list(cache_in.glob("main-*.db"))) == 1
    copy = pickle.loads(data)
    assert copy.get("urzuf")[0].entry == PLACES[0]
    assert list(copy) == PLACES
    assert len(copy) == len(PLACES)
    assert source.reads == 0


def test_an_index_in_memory_pickles_its_places(cache_in: Path) -> None:
    index = PlaceIndex(None, (), "t", PlaceRows(PLACES, NAMES))
    copy = pickle.loads(pickle.dumps(index))
    assert copy.get("kherson")[0].entry == PLACES[3]
    assert not list(cache_in.glob("*.db"))


def test_an_index_needs_a_source_or_rows() -> None:
    with pytest.raises(ValueError, match="source or its rows"):
        PlaceIndex(None)


def test_pickling_an_index_without_places_in_hand_builds_nothing(
    cache_in: Path, key_file: Path
) -> None:
    source = Source()
    copy = pickle.loads(pickle.dumps(PlaceIndex(source, [key_file])))
    assert source.reads == 0
    assert not list(cache_in.glob("*.db"))  # built on the first lookup, not before
    assert copy.get("urzuf")
