"""Readers and writers: the server shares one read-only connection but lets it go often
enough for a writer in another process, and answers 503 (not a crash) while one writes."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dyad.serve import create_app
from tests.serve.conftest import make_store

HOLD = """
import sys, time
from dyad.store import open_store
deadline = time.monotonic() + 20
while True:
    try:
        store = open_store(sys.argv[1])
        break
    except Exception:
        if time.monotonic() > deadline:
            print("never got the lock", flush=True)
            raise SystemExit(1)
        time.sleep(0.02)
print("writing", flush=True)
store.db.execute("CREATE TABLE IF NOT EXISTS probe (x INTEGER)")
time.sleep(float(sys.argv[2]))
store.close()
print("done", flush=True)
"""


def _writer(path: Path, hold: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(hold)], stdout=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_a_writer_gets_the_lock_while_requests_keep_coming(tmp_path: Path) -> None:
    path = make_store(tmp_path / "r.duckdb")
    statuses: list[int] = []
    stop = threading.Event()
    with TestClient(create_app(path)) as client:

        def hammer() -> None:
            while not stop.is_set():
                statuses.append(client.get("/stats.json").status_code)

        threads = [threading.Thread(target=hammer) for _ in range(3)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        writer = _writer(path, 1.0)
        out, _ = writer.communicate(timeout=60)
        stop.set()
        for t in threads:
            t.join()
        assert writer.returncode == 0, out
        assert "writing" in out
        assert set(statuses) <= {200, 503} and statuses.count(200) > 0
        r = client.get("/stats.json")  # after the writer: readable again
        assert r.status_code == 200


@pytest.mark.slow
def test_reads_during_a_write_are_refused_with_503_and_retry_after(tmp_path: Path) -> None:
    path = make_store(tmp_path / "w.duckdb")
    writer = _writer(path, 3.0)
    assert writer.stdout is not None
    assert writer.stdout.readline().strip() == "writing"
    with TestClient(create_app(path)) as client:
        r = client.get("/events.json")
        if r.status_code == 503:  # readers that retry on the lock may instead wait for it
            assert r.headers["retry-after"] == "1"
            assert r.headers["content-type"] == "application/problem+json"
            assert "cannot open the store" in r.json()["detail"]
        else:
            assert r.status_code == 200
        writer.communicate(timeout=30)
        assert client.get("/events.json").status_code == 200
