"""The `dyad` command end to end, as a user runs it (a subprocess, real files)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dyad.model import Event, record_from_json

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

pytestmark = pytest.mark.slow

GOOD = (
    "MOSCOW, May 6 (Wire) - Russia and Belarus signed a defence agreement in Minsk on "
    "Friday, the Belarusian foreign ministry said.\n"
)
OTHER = "Police arrested 40 protesters in Nairobi on Tuesday after clashes near parliament.\n"


def dyad(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dyad", *args],
        capture_output=True,
        text=True,
        input=stdin,
        check=False,
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    (d / "b.txt").write_text(OTHER, encoding="utf-8")
    return d


def test_code_writes_jsonl_records_on_stdout_only(folder: Path) -> None:
    proc = dyad("code", str(folder), "--published", "2024-05-10")
    assert proc.returncode == 0, proc.stderr
    records = [record_from_json(json.loads(line)) for line in proc.stdout.splitlines()]
    assert {r.article.id for r in records} == {"a", "b"}
    assert all(r.article.published is not None for r in records)
    assert "dyad: error" not in proc.stderr


def test_a_broken_file_is_named_and_the_rest_still_coded(folder: Path) -> None:
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00junk" * 20)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    proc = dyad("code", str(folder), "--published", "2024-05-10")
    assert proc.returncode == 1
    assert "broken.txt" in proc.stderr and "binary" in proc.stderr
    assert "empty.txt" in proc.stderr
    ids = {json.loads(line)["article"]["id"] for line in proc.stdout.splitlines()}
    assert ids == {"a", "b"}


def test_code_reads_stdin_text_and_jsonl() -> None:
    text = dyad("code", "--published", "2024-05-10", stdin=GOOD)
    assert text.returncode == 0 and text.stdout
    line = json.dumps({"id": "j1", "text": GOOD, "published": "2024-05-07"})
    jsonl = dyad("code", "-", stdin=line + "\n")
    assert jsonl.returncode == 0
    first = json.loads(jsonl.stdout.splitlines()[0])
    assert first["article"] == {"id": "j1", "url": None, "published": "2024-05-07"}


def test_bad_published_date_is_a_clear_error(folder: Path) -> None:
    proc = dyad("code", str(folder), "--published", "10/05/2024")
    assert proc.returncode == 2
    assert "YYYY-MM-DD" in proc.stderr


def test_ingest_then_query_and_ingest_again_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "store.duckdb"
    first = dyad("ingest", str(SAMPLES), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "12 articles added" in first.stderr
    again = dyad("ingest", str(SAMPLES), "--db", str(db))
    assert again.returncode == 0
    assert "0 articles added" in again.stderr and "12 unchanged" in again.stderr

    table = dyad("events", "--db", str(db))
    assert table.returncode == 0 and "EVIDENCE" in table.stdout

    jsonl = dyad("events", "--db", str(db), "--format", "jsonl", "--actor", "IRN")
    events = [record_from_json(json.loads(x)) for x in jsonl.stdout.splitlines()]
    assert events and all(isinstance(e, Event) for e in events)
    assert all(
        any(a.country == "IRN" or a.code.startswith("IRN") for a in (*e.source, *e.target))
        for e in events
        if isinstance(e, Event)
    )

    rows = list(
        csv.DictReader(io.StringIO(dyad("events", "--db", str(db), "--format", "csv").stdout))
    )
    assert rows and {"id", "article", "date", "cameo", "evidence"} <= set(rows[0])

    since = dyad("events", "--db", str(db), "--format", "jsonl", "--since", "2024-01-01")
    for line in since.stdout.splitlines():
        d = json.loads(line)["date"]
        assert d is None or d["end"] >= "2024-01-01"

    dyads = dyad("dyads", "--db", str(db))
    assert dyads.returncode == 0 and "GOLDSTEIN" in dyads.stdout


def test_events_on_a_missing_store_says_how_to_make_one(tmp_path: Path) -> None:
    proc = dyad("events", "--db", str(tmp_path / "none.duckdb"))
    assert proc.returncode == 2
    assert "dyad ingest" in proc.stderr


@pytest.mark.parametrize(
    ("query", "date", "expect"),
    [
        ("RUS", None, "country: Russia"),
        ("Sergei Lavrov", None, "Sergey Lavrov"),
        ("the Russian president", "2009-06-01", "Dmitry Medvedev"),
        ("the Russian president", "2015-06-01", "Vladimir Putin"),
        ("APEC", None, "org APEC"),
    ],
)
def test_actors_command(query: str, date: str | None, expect: str) -> None:
    args = ["actors", query] + (["--date", date] if date else [])
    proc = dyad(*args)
    assert proc.returncode == 0, proc.stderr
    assert expect in proc.stdout


REPORTS = Path(__file__).resolve().parent / "corpus" / "reports.jsonl"


def test_events_series_network_and_export_over_grouped_reports(tmp_path: Path) -> None:
    db = tmp_path / "reports.duckdb"
    # rules only: the grouping, not the learned model, is under test here
    assert dyad("ingest", str(REPORTS), "--db", str(db), "--no-models").returncode == 0
    found = dyad(
        "events",
        "--db",
        str(db),
        "--dyad",
        "Poland",
        "Russia",
        "--directed",
        "--cameo",
        "16",
        "--format",
        "jsonl",
    )
    assert found.returncode == 0, found.stderr
    lines = [json.loads(x) for x in found.stdout.splitlines()]
    assert [x["num_mentions"] for x in lines] == [3] and lines[0]["num_articles"] == 3
    mentions = dyad(
        "events",
        "--db",
        str(db),
        "--actor",
        "POL",
        "--cameo",
        "16",
        "--mentions",
        "--format",
        "jsonl",
    )
    assert len(mentions.stdout.splitlines()) == 4  # three reports of one, one of the other

    unknown = dyad("events", "--db", str(db), "--actor", "Polandd")
    assert unknown.returncode == 2 and "did you mean 'Poland'" in unknown.stderr

    series = dyad(
        "series", "--db", str(db), "--dyad", "Poland", "Russia", "--by", "week", "--format", "csv"
    )
    rows = list(csv.DictReader(io.StringIO(series.stdout)))
    assert [r["events"] for r in rows] == ["1", "1"], series.stderr

    net = dyad(
        "network",
        "--db",
        str(db),
        "--since",
        "2024-01-01",
        "--until",
        "2024-12-31",
        "--format",
        "jsonl",
    )
    edges = [json.loads(x) for x in net.stdout.splitlines()]
    assert {"source": "POL", "target": "RUS"}.items() <= edges[0].items() or any(
        e["source"] == "POL" and e["target"] == "RUS" for e in edges
    )

    out = tmp_path / "gdelt"
    exported = dyad("export", "--db", str(db), "--format", "gdelt", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    first = (out / "events.export.CSV").read_text(encoding="utf-8").splitlines()[0]
    assert len(first.split("\t")) == 61
    table = dyad("export", "--db", str(db), "--format", "csv")
    assert table.stdout.startswith('"event_id","date"')
    no_folder = dyad("export", "--db", str(db), "--format", "parquet")
    assert no_folder.returncode == 2 and "--out FOLDER" in no_folder.stderr


def test_min_confidence_filters_events(folder: Path) -> None:
    every = dyad("code", str(folder), "--published", "2024-05-10")
    kept = dyad("code", str(folder), "--published", "2024-05-10", "--min-confidence", "0.6")
    assert every.returncode == 0 and kept.returncode == 0, kept.stderr
    all_events = [r for r in map(json.loads, every.stdout.splitlines()) if r["kind"] == "event"]
    high = [r for r in map(json.loads, kept.stdout.splitlines()) if r["kind"] == "event"]
    assert all(r["confidence"] >= 0.6 for r in high)
    assert [r["id"] for r in high] == [r["id"] for r in all_events if r["confidence"] >= 0.6]


@pytest.mark.parametrize("value", ["-0.1", "1.5"])
def test_min_confidence_out_of_range_is_a_usage_error(folder: Path, value: str) -> None:
    proc = dyad("code", str(folder), "--min-confidence", value)
    assert proc.returncode == 2
    assert "--min-confidence" in proc.stderr and "0 to 1" in proc.stderr
