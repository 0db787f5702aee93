"""Keep a store current: poll folders and feeds at a fixed interval (``dyad ingest --watch``).

Each round reads the sources again and ingests what is new or changed; the store skips
articles it already holds with the same text, so a round over unchanged sources writes
nothing. Rounds start every ``every`` seconds (measured from the start of the previous
round; a round that takes longer is followed at once by the next).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from dyad.errors import DyadError

log = logging.getLogger(__name__)

_INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.IGNORECASE)
_UNIT_S = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


class IntervalError(DyadError):
    """An interval that cannot be read (``--every``)."""


def parse_interval(text: str) -> float:
    """Seconds in ``"90s"``, ``"15m"``, ``"2h"``, ``"1d"`` (a bare number is minutes)."""
    m = _INTERVAL.match(text)
    if not m or float(m.group(1)) <= 0:
        raise IntervalError(
            f"--every {text!r} is not an interval; write a positive number with s, m, h or d "
            "(15m, 90s, 2h)"
        )
    return float(m.group(1)) * _UNIT_S[(m.group(2) or "m").lower()]


def watch(
    run_round: Callable[[int], None],
    every_s: float,
    *,
    rounds: int = 0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Call ``run_round(n)`` for n = 1, 2, ... every ``every_s`` seconds; ``rounds`` > 0
    stops after that many (0: until interrupted). Returns the number of rounds run."""
    n = 0
    while rounds <= 0 or n < rounds:
        n += 1
        started = clock()
        run_round(n)
        if rounds > 0 and n >= rounds:
            break
        wait = every_s - (clock() - started)
        log.info("watch: round %d done; next in %.0fs", n, max(wait, 0.0))
        if wait > 0:
            sleep(wait)
    return n
