"""Streaming, feeds, languages and watching, end to end through the `dyad` command."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from tests.test_cli import GOOD, OTHER, dyad
from tests.test_feeds import RSS

pytestmark = pytest.mark.slow

SPANISH = "El gobierno anunció el lunes nuevas sanciones contra las empresas del sector.\n"


def test_live_stdin_prints_records_as_articles_arrive() -> None:
    """The second article is written only after the first one's records were read back."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dyad", "code", "--published", "2024-05-10"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        seen: list[str] = []
        for i, text in enumerate((GOOD, OTHER)):
            proc.stdin.write(json.dumps({"id": f"live-{i}", "text": text}) + "\n")
            proc.stdin.flush()
            sel = selectors.DefaultSelector()
            sel.register(proc.stdout, selectors.EVENT_READ)
            assert sel.select(timeout=120), "no record while standard input stays open"
            record = json.loads(proc.stdout.readline())
            seen.append(record["article"]["id"])
        proc.stdin.close()
        rest = proc.stdout.read()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    ids = seen + [json.loads(line)["article"]["id"] for line in rest.splitlines()]
    assert seen == ["live-0", "live-1"] and set(ids) == {"live-0", "live-1"}


def test_other_languages_are_reported_and_counted(tmp_path: Path) -> None:
    (tmp_path / "es.txt").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(GOOD, encoding="utf-8")
    proc = dyad("code", str(tmp_path), "--published", "2024-05-10")
    assert proc.returncode == 0, proc.stderr
    assert f"{tmp_path / 'es.txt'}: not English (language es); not coded" in proc.stderr
    assert "1 not in English, not coded (es 1)" in proc.stderr
    ids = {json.loads(line)["article"]["id"] for line in proc.stdout.splitlines()}
    assert ids == {"en"}


def test_feed_url_end_to_end(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed").respond_with_data(RSS, content_type="application/rss+xml")
    proc = dyad("code", httpserver.url_for("/feed"))
    assert proc.returncode == 1  # the second item has no text: reported, the first coded
    assert "#2: the feed item has no content or summary" in proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert records, proc.stderr
    assert {r["article"]["url"] for r in records} == {"https://gazette.example/2024/05/border"}
    assert {r["article"]["published"] for r in records} == {"2024-05-14"}


def test_watch_keeps_a_store_current(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(GOOD, encoding="utf-8")
    db = tmp_path / "w.duckdb"
    started = time.monotonic()
    proc = dyad(
        "ingest",
        "--watch",
        str(src),
        "--every",
        "1s",
        "--rounds",
        "2",
        "--db",
        str(db),
        "--published",
        "2024-05-10",
    )
    assert proc.returncode == 0, proc.stderr
    assert "watch round 1" in proc.stderr and "watch round 2" in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if "articles added" in ln]
    assert "1 articles added" in lines[0] and "0 articles added" in lines[1]
    assert "1 unchanged" in lines[1]
    assert time.monotonic() - started >= 1.0


def test_bad_interval_is_a_clear_error(tmp_path: Path) -> None:
    proc = dyad("ingest", "--watch", str(tmp_path), "--every", "soon", "--db", str(tmp_path / "x"))
    assert proc.returncode == 2 and "--every 'soon' is not an interval" in proc.stderr


def test_jobs_zero_uses_every_core_on_a_larger_corpus(tmp_path: Path) -> None:
    rows = [json.dumps({"id": f"n{i}", "text": GOOD}) for i in range(20)]
    (tmp_path / "c.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dyad",
            "code",
            str(tmp_path / "c.jsonl"),
            "-v",
            "--published",
            "2024-05-10",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    cores = len(os.sched_getaffinity(0))
    assert f"parsing 20 articles with {cores} processes" in proc.stderr
    assert "dyad: coded 20 articles in" in proc.stderr


def test_ingest_with_every_core_stores_what_one_process_codes(tmp_path: Path) -> None:
    rows = [json.dumps({"id": f"n{i}", "text": t}) for i, t in enumerate([GOOD, OTHER] * 10)]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    stored = dyad("ingest", str(corpus), "--db", str(db), "--published", "2024-05-10")
    assert stored.returncode == 0, stored.stderr
    assert "20 articles added" in stored.stderr
    events = dyad("events", "--db", str(db), "--format", "jsonl", "--mentions")
    single = dyad("code", str(corpus), "--jobs", "1", "--published", "2024-05-10")
    expected = {
        r["id"] for r in map(json.loads, single.stdout.splitlines()) if r["kind"] == "event"
    }
    assert {json.loads(line)["id"] for line in events.stdout.splitlines()} == expected
