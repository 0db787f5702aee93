"""Opening the DuckDB store file: waiting for its lock, and saying what is wrong when it fails.

DuckDB lets one process write a database file, or several processes read it, never both at
once: the lock belongs to whoever holds the file open. dyad shares it by taking it briefly:

- a writer (``dyad ingest``) opens the file, writes one batch of articles (one transaction
  per article) and closes it again, so the lock is free between batches;
- readers (``dyad events``, ``dyad dyads``, ``open_store(..., read_only=True)``) open, read
  and close;
- whoever finds the file locked retries with a growing pause (50 ms up to 0.5 s) until
  ``timeout`` seconds have passed, and reports the wait once through ``on_wait``.

When the file cannot be opened for another reason the error says which: a directory, a
missing folder, a file that is not a DuckDB database, a missing store opened for reading.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from dyad.errors import StoreError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0
"""How long opening a locked store waits; ``DYAD_LOCK_TIMEOUT`` (seconds) overrides it."""

FIRST_PAUSE_S = 0.05
LONGEST_PAUSE_S = 0.5

_PID = re.compile(r"\(PID (\d+)\)")
_LOCKED = "Could not set lock on file"

WaitReporter = Callable[[str], None]


def default_timeout() -> float:
    """The lock wait in seconds: ``DYAD_LOCK_TIMEOUT`` when set to a number, else 60."""
    value = os.environ.get("DYAD_LOCK_TIMEOUT")
    if value is None:
        return DEFAULT_TIMEOUT_S
    try:
        return max(0.0, float(value))
    except ValueError:
        log.warning("DYAD_LOCK_TIMEOUT=%r is not a number of seconds; using %s", value, 60)
        return DEFAULT_TIMEOUT_S


def lock_holder(exc: BaseException) -> str | None:
    """The PID holding the lock when ``exc`` is DuckDB's lock error ("?" if it names none)."""
    text = str(exc)
    if _LOCKED not in text:
        return None
    found = _PID.search(text)
    return found.group(1) if found else "?"


def check_path(path: str, *, read_only: bool) -> None:
    """:class:`StoreError` for a path that cannot be a store, before DuckDB is asked."""
    p = Path(path)
    if p.is_dir():
        raise StoreError(f"{path}: is a directory, not a store file; give a file path to --db")
    if not p.parent.exists():
        raise StoreError(f"{path}: the folder {p.parent} does not exist; create it first")
    if not p.exists():
        if read_only:
            raise StoreError(
                f"{path}: no such store; create it with `dyad ingest PATH --db {path}`"
            )
        return
    if p.stat().st_size == 0:
        raise StoreError(
            f"{path}: is an empty file, not a DuckDB database; delete it or choose another path"
        )


def describe(path: str, exc: BaseException) -> str:
    """What an error from ``duckdb.connect`` means, for the user."""
    text = str(exc)
    if "not a valid DuckDB database" in text:
        return f"{path}: not a DuckDB database (some other kind of file); choose another path"
    if "Permission denied" in text:
        return f"{path}: permission denied; check the file's and its folder's permissions"
    if "different configuration" in text:
        return (
            f"{path}: already open in this process in another mode (read-only or read-write); "
            "close that store first"
        )
    if "Is a directory" in text:
        return f"{path}: is a directory, not a store file; give a file path to --db"
    return f"{path}: cannot open the store ({text})"


def connect(
    path: str,
    *,
    read_only: bool,
    timeout: float | None = None,
    on_wait: WaitReporter | None = None,
) -> duckdb.DuckDBPyConnection:
    """A connection to the store file, waiting up to ``timeout`` seconds for its lock."""
    check_path(path, read_only=read_only)
    limit = default_timeout() if timeout is None else timeout
    deadline = time.monotonic() + limit
    pause = FIRST_PAUSE_S
    reported = False
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            pid = lock_holder(exc)
            if pid is None:
                raise StoreError(describe(path, exc)) from exc
            left = deadline - time.monotonic()
            if left <= 0:
                raise StoreError(
                    f"{path}: locked by another program (PID {pid}) for over {limit:g} s; "
                    "wait for it to finish or stop it, or wait longer with DYAD_LOCK_TIMEOUT"
                ) from exc
            if not reported:
                message = f"{path}: locked by PID {pid}; waiting up to {limit:g} s"
                log.info("%s", message)
                if on_wait is not None:
                    on_wait(message)
                reported = True
            time.sleep(min(pause, left))
            pause = min(2 * pause, LONGEST_PAUSE_S)
