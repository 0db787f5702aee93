"""SIGINT and SIGTERM raise Interrupted, but never inside a critical block."""

from __future__ import annotations

import os
import signal

import pytest

from dyad.signals import Interrupted, critical, interruptible


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_raises_interrupted_with_its_exit_status(sig: int, status: int) -> None:
    with interruptible(), pytest.raises(Interrupted) as info:
        os.kill(os.getpid(), sig)
        for _ in range(1000):
            pass
    assert info.value.status == status


def test_a_signal_waits_for_the_critical_block() -> None:
    done: list[str] = []
    with interruptible(), pytest.raises(Interrupted), critical():
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(1000):
            pass
        done.append("committed")
    assert done == ["committed"]


def test_handlers_are_restored() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interruptible():
        pass
    assert signal.getsignal(signal.SIGINT) is before
