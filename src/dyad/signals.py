"""Interrupts that never leave half an article behind.

Inside :func:`interruptible` (the CLI wraps its long-running commands in it), SIGINT and
SIGTERM raise :class:`Interrupted`, which is not an ``Exception``, so no stage's error
handling swallows it. Inside :func:`critical` (a store transaction) the signal waits until
the block is done, so the article being written is committed or rolled back first. Worker
processes forked by the parser end quietly on the signal; the main process reports it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

HANDLED = (signal.SIGINT, signal.SIGTERM)


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived; ``status`` is the conventional exit status (128 + signal)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = signum
        self.status = 128 + signum


class _State:
    depth = 0
    pending: int | None = None
    owner: int | None = None


def _handler(signum: int, frame: FrameType | None) -> None:
    if _State.owner is not None and os.getpid() != _State.owner:
        os._exit(128 + signum)  # a forked parser worker: the main process reports
    if _State.depth > 0:
        _State.pending = signum
        return
    raise Interrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise :class:`Interrupted` (deferred in
    :func:`critical`)."""
    previous = {sig: signal.getsignal(sig) for sig in HANDLED}
    _State.owner, _State.pending = os.getpid(), None
    for sig in HANDLED:
        signal.signal(sig, _handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
        _State.owner = None


@contextmanager
def critical() -> Iterator[None]:
    """A block a signal must not cut short: it takes effect when the block ends."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
    if _State.depth == 0 and _State.pending is not None:
        signum, _State.pending = _State.pending, None
        raise Interrupted(signum)
