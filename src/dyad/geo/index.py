"""Place-name indexes: places looked up one name at a time from an SQLite file.

Both of the gazetteer's name tables live here: the main one (GeoNames cities over 15,000
people, countries, regions and the project's own places, with their alternate names: some
35,000 places and 118,000 names) and the small-places one (``towns.tsv.gz``, some 200,000
towns and villages with their alternate names, plus the divisions of ``admin.tsv.gz``).
Reading either into Python objects costs a tenth of a second or more (the towns: seconds),
far too long for a command that codes one sentence. Each is therefore compiled once into an
SQLite file in the cache of compiled tables (:func:`dyad.cache.cached_file`), keyed by the
tables and the code that read them, and each lookup afterwards is one indexed query (then
remembered): opening the file costs a millisecond, and a process reads only the pages of the
names it asks for (forked workers open their own connection). With caching off, the same
index is built in memory on first use.

Names are stored by :func:`~dyad.geo.gazetteer.normalize_name`; a name's candidates come back
best first, as :func:`~dyad.geo.gazetteer.rank_candidates` ranks them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple, cast

from dyad.geo.gazetteer import Candidate, GeoEntry, Kind, normalize_name, rank_candidates

log = logging.getLogger(__name__)

SCHEMA = 2
"""Bumped when the layout of the index file changes (a new layout is a new cache key)."""

_CREATE = """
CREATE TABLE entry (
    idx INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, admin1 TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL, kind TEXT NOT NULL,
    geonameid INTEGER, capital INTEGER NOT NULL
);
CREATE TABLE name (key TEXT NOT NULL, idx INTEGER NOT NULL, exact INTEGER NOT NULL,
    PRIMARY KEY (key, idx)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_COLUMNS = "e.name, e.country, e.admin1, e.lat, e.lon, e.population, e.kind, e.geonameid"
_QUERY = (
    f"SELECT {_COLUMNS}, n.exact, e.capital FROM name n JOIN entry e ON e.idx = n.idx "
    "WHERE n.key = ? ORDER BY n.idx"
)
_ALL = f"SELECT {_COLUMNS} FROM entry e ORDER BY e.idx"


class PlaceRows(NamedTuple):
    """What an index is built from."""

    entries: Sequence[GeoEntry]
    names: Iterable[tuple[str, int, bool]]
    """(name, index into ``entries``, exact) triples, names as written (normalised here)."""
    capitals: frozenset[int] = frozenset()
    """Indices of national capitals."""


PlaceSource = Callable[[], PlaceRows]
"""Reads a table's places (a picklable callable: the index keeps it to rebuild its file)."""


def write_index(con: sqlite3.Connection, rows: PlaceRows) -> int:
    """Fill an empty database with ``rows``; returns how many names."""
    started = time.perf_counter()
    slots: dict[tuple[str, int], bool] = {}
    for label, idx, exact in rows.names:
        key = normalize_name(label)
        if key:
            slots[(key, idx)] = slots.get((key, idx), False) or exact
    con.executescript(_CREATE)
    with con:
        con.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_row(i, e, i in rows.capitals) for i, e in enumerate(rows.entries)),
        )
        con.executemany(
            "INSERT INTO name VALUES (?, ?, ?)",
            ((key, idx, int(exact)) for (key, idx), exact in sorted(slots.items())),
        )
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
    log.info(
        "place index: %d places, %d names indexed in %.1fs",
        len(rows.entries),
        len(slots),
        time.perf_counter() - started,
    )
    return len(slots)


def _row(i: int, e: GeoEntry, capital: bool) -> tuple[object, ...]:
    return (
        i,
        e.name,
        e.country,
        e.admin1,
        e.lat,
        e.lon,
        e.population,
        e.kind,
        e.geonameid,
        capital,
    )


def _build_file(rows: PlaceRows, path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        write_index(con, rows)
    finally:
        con.close()


class PlaceIndex:
    """Places by normalised name, read from an SQLite index (see the module docstring).

    ``source`` reads the places when the index must be built; ``files`` are what they are
    read from (the cache key; none: the index lives in memory); ``name`` names the cache
    entry; ``rows``, when the caller already holds the places, spares the first build a
    second read. Picklable: a copy keeps the source and the key, never the connection, and
    opens its own on first use; places in hand are written to the file first (when there is
    one) rather than copied.
    """

    def __init__(
        self,
        source: PlaceSource | None,
        files: Sequence[Path] = (),
        name: str = "towns",
        rows: PlaceRows | None = None,
    ) -> None:
        if source is None and rows is None:
            raise ValueError("a place index needs a source or its rows")
        self._source = source
        self._files = tuple(files)
        self._name = name
        self._rows = rows
        self._con: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[Candidate, ...]] = {}

    def __reduce__(self) -> tuple[type[PlaceIndex], tuple[object, ...]]:
        rows = self._rows
        if rows is not None and self._source is not None and self._path() is not None:
            rows = None  # written to the file first: the copy reads it there
        return PlaceIndex, (self._source, self._files, self._name, rows)

    def get(self, key: str) -> tuple[Candidate, ...]:
        """The places whose normalised name is ``key``, best first (empty when none)."""
        found = self._memo.get(key)
        if found is not None:
            return found
        with self._lock:
            rows = self._connection().execute(_QUERY, (key,)).fetchall()
        found = rank_candidates((_entry(r[:8]), bool(r[8]), bool(r[9])) for r in rows)
        self._memo[key] = found
        return found

    def __len__(self) -> int:
        with self._lock:
            return int(self._connection().execute("SELECT count(*) FROM entry").fetchone()[0])

    def __iter__(self) -> Iterator[GeoEntry]:
        """Every place, in the order of the source."""
        with self._lock:
            rows = self._connection().execute(_ALL).fetchall()
        return (_entry(r) for r in rows)

    def _read(self) -> PlaceRows:
        if self._rows is not None:
            return self._rows
        assert self._source is not None  # one of the two is required
        return self._source()

    def _path(self) -> Path | None:
        """The index file in the cache, built when missing; None when there is none."""
        from dyad.cache import cached_file

        if not self._files:
            return None
        return cached_file(self._name, self._files, lambda p: _build_file(self._read(), p))

    def _connection(self) -> sqlite3.Connection:
        if self._con is None or self._pid != os.getpid():
            self._con = self._open()
            self._pid = os.getpid()
        return self._con

    def _open(self) -> sqlite3.Connection:
        path = self._path()
        if path is not None:
            try:
                con = sqlite3.connect(
                    f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
                )
                row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is not None and row[0] == str(SCHEMA):
                    if self._source is not None:
                        self._rows = None  # on file: the places need not stay in memory
                    return con
                con.close()
            except sqlite3.DatabaseError as exc:
                log.warning("place index: ignoring unreadable %s (%s)", path, exc)
            with contextlib.suppress(OSError):
                path.unlink()
        con = sqlite3.connect(":memory:", check_same_thread=False)
        write_index(con, self._read())
        return con


def _entry(row: Iterable[object]) -> GeoEntry:
    name, country, admin1, lat, lon, population, kind, gid = row
    return GeoEntry(
        name=str(name),
        country=None if country is None else str(country),
        admin1=None if admin1 is None else str(admin1),
        lat=float(cast(float, lat)),
        lon=float(cast(float, lon)),
        population=int(cast(int, population)),
        kind=cast(Kind, kind),
        geonameid=None if gid is None else int(cast(int, gid)),
    )
