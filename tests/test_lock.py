"""Opening the store: what is wrong is said plainly; a locked file is waited for, then refused."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dyad.errors import StoreError
from dyad.model import Article
from dyad.store import ingest, open_store

HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "ro")
print("ready", flush=True)
time.sleep(float(sys.argv[3]))
con.close()
"""


def _hold(path: Path, seconds: float, mode: str = "rw") -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), mode, str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


@pytest.fixture
def store_path(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.duckdb"
    open_store(path).close()
    yield path


@pytest.mark.parametrize(
    ("make", "read_only", "reason"),
    [
        (lambda p: p.mkdir(), False, "is a directory"),
        (lambda p: None, True, "no such store"),
        (lambda p: p.write_bytes(b""), False, "is an empty file, not a DuckDB database"),
        (lambda p: p.write_text("hello\n"), False, "not a DuckDB database"),
        (lambda p: p.write_bytes(b"\x00" * 8192), True, "not a DuckDB database"),
    ],
)
def test_open_errors_say_what_is_wrong(tmp_path: Path, make, read_only, reason) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.duckdb"
    make(path)
    with pytest.raises(StoreError, match=reason):
        open_store(path, read_only=read_only)


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"the folder .*nowhere does not exist"):
        open_store(tmp_path / "nowhere" / "x.duckdb")


def test_a_locked_store_is_waited_for_then_refused_naming_the_pid(store_path: Path) -> None:
    holder = _hold(store_path, 30)
    waits: list[str] = []
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match=rf"locked by another program \(PID {holder.pid}\)"):
            open_store(store_path, lock_timeout=0.6, on_wait=waits.append)
        assert time.monotonic() - started >= 0.6
    finally:
        holder.kill()
        holder.wait()
    assert len(waits) == 1 and f"PID {holder.pid}" in waits[0]


def test_a_writer_waits_for_a_reader_to_finish(store_path: Path) -> None:
    holder = _hold(store_path, 1.0, "ro")
    try:
        with open_store(store_path, lock_timeout=30) as store:
            assert store.count("articles") == 0
    finally:
        holder.wait()


def test_ingest_releases_the_file_when_done(store_path: Path) -> None:
    art = Article(id="a", text="Russia met China.", published=date(2024, 1, 1))
    with open_store(store_path) as store:
        stats = ingest(store, [(art, art.text, [])])
        assert stats.added == 1
        # another process can read while this store object still exists
        out = subprocess.run(
            [sys.executable, "-c", f"import duckdb; print(duckdb.connect({str(store_path)!r}, "
             "read_only=True).execute('select count(*) from articles').fetchone()[0])"],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        assert out.stdout.strip() == "1"
        assert store.count("articles") == 1  # and the store reopens on use


def test_sql_strings_are_data(store_path: Path) -> None:
    hostile = "'; DROP TABLE events; --"
    art = Article(id=hostile, text="Russia met China.", title=hostile, source='"; DELETE x')
    with open_store(store_path) as store:
        ingest(store, [(art, art.text, [])])
        assert list(store.events(actor=hostile)) == []
        assert list(store.events(dyad=(hostile, "RUS"))) == []
    con = duckdb.connect(str(store_path), read_only=True)
    assert con.execute("select id, title from articles").fetchall() == [(hostile, hostile)]
    assert con.execute("select count(*) from events").fetchone() == (0,)
    con.close()


def test_article_ids_never_become_paths(tmp_path: Path) -> None:
    path = tmp_path / "box" / "s.duckdb"
    path.parent.mkdir()
    art = Article(id="../../escaped", text="Russia met China.")
    with open_store(path) as store:
        ingest(store, [(art, art.text, [])])
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["box", "s.duckdb"]
