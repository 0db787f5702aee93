"""The small-places index: towns, villages and divisions looked up one name at a time.

The towns table (``towns.tsv.gz``, some 200,000 places with their alternate names, plus the
divisions of ``admin.tsv.gz``) takes seconds to read and index, far too long for a command
that codes one sentence. It is therefore compiled once into an SQLite file in the cache of
compiled tables (:func:`dyad.cache.cached_file`), keyed by the tables and the code that read
them, and each lookup afterwards is one indexed query: opening the file costs a millisecond,
and a process reads only the pages of the names it asks for (forked workers open their own
connection). With caching off, the same index is built in memory on first use.

Names are stored by :func:`~dyad.geo.gazetteer.normalize_name`; a name's candidates come back
best first, as :meth:`Gazetteer.candidates <dyad.geo.gazetteer.Gazetteer.candidates>` ranks
them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import cast

from dyad.geo.gazetteer import (
    Candidate,
    GeoEntry,
    Kind,
    TownSource,
    normalize_name,
    rank_candidates,
)

log = logging.getLogger(__name__)

SCHEMA = 1
"""Bumped when the layout of the index file changes (a new layout is a new cache key)."""

_CREATE = """
CREATE TABLE entry (
    idx INTEGER PRIMARY KEY, name TEXT NOT NULL, country TEXT, admin1 TEXT,
    lat REAL NOT NULL, lon REAL NOT NULL, population INTEGER NOT NULL, kind TEXT NOT NULL,
    geonameid INTEGER
);
CREATE TABLE name (key TEXT NOT NULL, idx INTEGER NOT NULL, exact INTEGER NOT NULL,
    PRIMARY KEY (key, idx)) WITHOUT ROWID;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_QUERY = (
    "SELECT e.name, e.country, e.admin1, e.lat, e.lon, e.population, e.kind, e.geonameid, "
    "n.exact FROM name n JOIN entry e ON e.idx = n.idx WHERE n.key = ?"
)


def write_index(con: sqlite3.Connection, source: TownSource) -> int:
    """Fill an empty database with the places of ``source``; returns how many names."""
    started = time.perf_counter()
    entries, names = source()
    slots: dict[tuple[str, int], bool] = {}
    for label, idx, exact in names:
        key = normalize_name(label)
        if key:
            slots[(key, idx)] = slots.get((key, idx), False) or exact
    con.executescript(_CREATE)
    with con:
        con.executemany(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (i, e.name, e.country, e.admin1, e.lat, e.lon, e.population, e.kind, e.geonameid)
                for i, e in enumerate(entries)
            ),
        )
        con.executemany(
            "INSERT INTO name VALUES (?, ?, ?)",
            ((key, idx, int(exact)) for (key, idx), exact in sorted(slots.items())),
        )
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
    log.info(
        "towns: %d places, %d names indexed in %.1fs",
        len(entries),
        len(slots),
        time.perf_counter() - started,
    )
    return len(slots)


def _build_file(source: TownSource, path: Path) -> None:
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode = OFF")
        con.execute("PRAGMA synchronous = OFF")
        write_index(con, source)
    finally:
        con.close()


class TownIndex:
    """Small places by name, read from an SQLite index (see the module docstring).

    Picklable: a copy keeps the source and the cache key, never the connection, and opens its
    own on first use.
    """

    def __init__(self, source: TownSource, files: Sequence[Path] = ()) -> None:
        self._source = source
        self._files = tuple(files)
        self._con: sqlite3.Connection | None = None
        self._pid = -1
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[Candidate, ...]] = {}

    def __reduce__(self) -> tuple[type[TownIndex], tuple[TownSource, tuple[Path, ...]]]:
        return TownIndex, (self._source, self._files)

    def get(self, key: str) -> tuple[Candidate, ...]:
        """The places whose normalised name is ``key``, best first (empty when none)."""
        found = self._memo.get(key)
        if found is not None:
            return found
        with self._lock:
            rows = self._connection().execute(_QUERY, (key,)).fetchall()
        found = rank_candidates((_entry(row[:8]), bool(row[8]), False) for row in rows)
        self._memo[key] = found
        return found

    def _connection(self) -> sqlite3.Connection:
        if self._con is None or self._pid != os.getpid():
            self._con = self._open()
            self._pid = os.getpid()
        return self._con

    def _open(self) -> sqlite3.Connection:
        from dyad.cache import cached_file

        path = None
        if self._files:
            path = cached_file("towns", self._files, lambda p: _build_file(self._source, p))
        if path is not None:
            try:
                con = sqlite3.connect(
                    f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
                )
                row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                if row is not None and row[0] == str(SCHEMA):
                    return con
                con.close()
            except sqlite3.DatabaseError as exc:
                log.warning("towns: ignoring unreadable index %s (%s)", path, exc)
            with contextlib.suppress(OSError):
                path.unlink()
        con = sqlite3.connect(":memory:", check_same_thread=False)
        write_index(con, self._source)
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
