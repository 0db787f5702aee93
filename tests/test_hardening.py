"""Hostile input never stops a batch; interrupts, kills and readers never hurt the store.

Each test runs `dyad` as a user would (a subprocess, real files).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dyad.store import open_store

pytestmark = pytest.mark.slow

ENV = {**os.environ, "OMP_NUM_THREADS": "1"}

GOOD = {
    "good1.txt": "MOSCOW, May 6 (Wire) - Russia and Belarus signed a defence agreement in Minsk "
    "on Friday, the Belarusian foreign ministry said.\n",
    "good2.txt": "Police arrested 40 protesters in Nairobi on Tuesday after clashes near "
    "parliament.\n",
}

PAIRS = [
    ("Russia", "China"), ("France", "Germany"), ("Kenya", "Uganda"), ("Brazil", "Argentina"),
    ("India", "Japan"), ("Turkey", "Greece"), ("Egypt", "Sudan"), ("Peru", "Chile"),
]  # fmt: skip
VERBS = [
    "signed a trade agreement with", "condemned", "met officials from", "criticised",
    "promised aid to",
]  # fmt: skip
PLACES = ["Geneva", "Vienna", "Nairobi", "Lima", "Cairo"]


def _article(k: int) -> str:
    a, b = PAIRS[k % len(PAIRS)]
    verb = VERBS[k % len(VERBS)]
    c, d = PAIRS[(k + 3) % len(PAIRS)]
    return (
        f"{a} {verb} {b} in {PLACES[k % len(PLACES)]} on Monday, officials said.\n\n"
        f"On Tuesday {c} accused {d} of violating the ceasefire, article {k} reported.\n\n"
        f"Ministers from {b} and {d} will meet next week to discuss trade.\n"
    )


def dyad(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dyad", *args],
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
        **kw,  # type: ignore[call-overload]
    )


def _mixed_folder(root: Path) -> tuple[set[str], dict[str, str]]:
    """Good articles and every input the hardening issue saw abort a batch."""
    root.mkdir()
    for name, text in GOOD.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "huge.txt").write_text("Russia met China in Beijing. " * 40_000, encoding="utf-8")
    (root / "surrogate.jsonl").write_text(
        '{"id": "s1", "text": "Russia \\udc00 met China in Beijing on Monday."}\n'
    )
    (root / "bigint.jsonl").write_text('{"id": %s, "text": "Russia met China."}\n' % ("7" * 5000))
    (root / "nested.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    (root / "future.jsonl").write_text(
        json.dumps({"id": "f1", "text": "Russia met China.", "published": "9999-12-31"}) + "\n"
    )
    (root / "mixed.jsonl").write_text(json.dumps({"id": "m1", "text": _article(1)}) + "\n[1]\n")
    (root / "utf16.txt").write_bytes(_article(2).encode("utf-16"))
    (root / "cp1251.txt").write_bytes(
        "Россия и Китай подписали соглашение в Пекине в понедельник.\n".encode("cp1251")
    )
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "brackets.txt").write_text("Russia met China. " + "[" * 100_000 + "]" * 100_000)
    sentence = "<p>Russian and Chinese ministers signed a trade agreement in Beijing on Monday.</p>"
    (root / "deep.html").write_text(
        "<html><body>" + "<div>" * 6000 + sentence + "</div>" * 6000 + "</body></html>"
    )
    good = {"good1", "good2", "s1", "m1", "utf16", "deep"}  # cp1251 is Russian: reported
    bad = {
        "huge.txt": "over the limit of 1,000,000",
        "bigint.jsonl:1": "number of 5,000 digits",
        "nested.jsonl:1": "nested deeper than",
        "future.jsonl:1": "9999-12-31 is outside the supported range",
        "mixed.jsonl:2": "expected a JSON object",
        "binary.txt": "binary file",
        "brackets.txt": "run of 200,000 punctuation characters",
    }
    return good, bad


def test_a_mixed_folder_stores_every_good_article_and_names_every_bad_one(tmp_path: Path) -> None:
    good, bad = _mixed_folder(tmp_path / "in")
    db = tmp_path / "s.duckdb"
    proc = dyad("ingest", str(tmp_path / "in"), "--db", str(db), "--max-chars", "1000000")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for origin, reason in bad.items():
        line = next((ln for ln in proc.stderr.splitlines() if f"in/{origin}: " in ln), "")
        assert reason in line, (origin, proc.stderr)
    assert f"{len(bad)} inputs refused" in proc.stderr
    assert "in/cp1251.txt: not English (language ru)" in proc.stderr  # decoded, then reported
    with open_store(db, read_only=True) as store:
        ids = {r[0] for r in store.db.execute("select id from articles").fetchall()}
    assert ids == good
    coded = dyad("code", str(tmp_path / "in"), "--max-chars", "1000000")
    assert coded.returncode == 1 and "Traceback" not in coded.stderr
    assert {json.loads(ln)["article"]["id"] for ln in coded.stdout.splitlines()} <= good
    for origin, reason in bad.items():
        line = next((ln for ln in coded.stderr.splitlines() if f"in/{origin}: " in ln), "")
        assert reason in line, (origin, coded.stderr)


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 3,
        "Россия и Китай подписали соглашение в Пекине.\n".encode("cp1251"),
        "Russia met China in Beijing on Monday.\n".encode("utf-16"),
        b'{"id": "x", "text": "Russia \\udc00 met China in Beijing."}\n',
        os.urandom(2000),
    ],
)
def test_any_bytes_on_standard_input_end_cleanly(data: bytes) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dyad", "code"], input=data, capture_output=True, env=ENV
    )
    assert proc.returncode in (0, 1), proc.stderr
    assert b"Traceback" not in proc.stderr
    if proc.returncode == 1:
        assert b"dyad: error: <stdin>" in proc.stderr


def test_a_closed_standard_output_ends_quietly_with_141(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(_article(0), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dyad", "code", str(tmp_path / "a.txt")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


# --- a corpus ingested many ways ----------------------------------------------------------

N_ARTICLES = 240
READER_ARTICLES = 3 * N_ARTICLES


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", N_ARTICLES, "a")


def _write_corpus(path: Path, n: int, prefix: str) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for k in range(n):
            f.write(json.dumps({"id": f"{prefix}{k:03d}", "text": _article(k)}) + "\n")
    return path


def _contents(db: Path) -> tuple[list[tuple[object, ...]], ...]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(
            con.execute(sql).fetchall()
            for sql in (
                "select id, content_hash, coder, text from articles order by id",
                "select id, record from events order by id",
                "select id, record from claims order by id",
            )
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def clean_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    proc = dyad("ingest", str(corpus), "--db", str(db), "--published", "2024-03-01")
    assert proc.returncode == 0, proc.stderr
    return db


def _start_ingest(corpus: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dyad",
            "ingest",
            str(corpus),
            "--db",
            str(db),
            "--published",
            "2024-03-01",
            "--jobs",
            "1",  # one process: slow enough that a signal lands mid-ingest
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def _stored(db: Path) -> int:
    try:
        with open_store(db, read_only=True, lock_timeout=30) as store:
            return store.count("articles")
    except Exception:
        return 0


def _wait_for_articles(db: Path, proc: subprocess.Popen[str], at_least: int = 1) -> int:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and (n := _stored(db)) >= at_least:
            return n
        time.sleep(0.3)
    raise AssertionError("the ingest stored nothing before it ended")


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_ingest_says_so_exits_128_plus_signal_and_resumes(
    corpus: Path, clean_run: Path, tmp_path: Path, sig: int, status: int
) -> None:
    db = tmp_path / "s.duckdb"
    proc = _start_ingest(corpus, db)
    _wait_for_articles(db, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == status, err
    assert "Traceback" not in err
    # Match the line's start: tmp_path is named after this test, so the store path in
    # the "locked by PID N; waiting" line (printed while _wait_for_articles reads the
    # store) also contains the word "interrupted".
    [line] = [ln for ln in err.splitlines() if ln.startswith("dyad: interrupted")]
    assert "articles stored" in line and "run the same command to resume" in line
    resumed = dyad("ingest", str(corpus), "--db", str(db), "--published", "2024-03-01")
    assert resumed.returncode == 0, resumed.stderr
    assert _contents(db)[1:] == _contents(clean_run)[1:]
    assert [r[:3] for r in _contents(db)[0]] == [r[:3] for r in _contents(clean_run)[0]]


def test_kill_9_mid_ingest_then_reingest_equals_a_clean_run(
    corpus: Path, clean_run: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.duckdb"
    proc = _start_ingest(corpus, db)
    _wait_for_articles(db, proc)
    proc.kill()
    proc.communicate(timeout=60)
    assert _stored(db) < N_ARTICLES
    again = dyad("ingest", str(corpus), "--db", str(db), "--published", "2024-03-01")
    assert again.returncode == 0, again.stderr
    assert _contents(db) == _contents(clean_run) or (
        [r[:3] for r in _contents(db)[0]] == [r[:3] for r in _contents(clean_run)[0]]
        and _contents(db)[1:] == _contents(clean_run)[1:]
    )


def test_readers_succeed_all_through_an_ingest(tmp_path: Path) -> None:
    # three times the shared corpus, so that the ingest outlasts several polls of both
    # readers on a fast idle machine too (240 articles took under 3 s there)
    corpus = _write_corpus(tmp_path / "long.jsonl", READER_ARTICLES, "r")
    db = tmp_path / "s.duckdb"
    proc = _start_ingest(corpus, db)
    polls = failures = cli_polls = 0
    seen: list[int] = []
    last_cli = 0.0
    while proc.poll() is None:
        if db.exists():
            try:
                with open_store(db, read_only=True) as store:
                    seen.append(store.count("articles"))
                    list(store.events(limit=5))
                polls += 1
            except Exception as exc:  # any failure counts
                failures += 1
                print("reader failed:", exc)
            if time.monotonic() - last_cli > 5:
                for cmd in (["events", "--format", "jsonl"], ["dyads"]):
                    out = dyad(*cmd, "--db", str(db))
                    cli_polls += 1
                    if out.returncode != 0:
                        failures += 1
                        print("CLI reader failed:", out.stderr)
                last_cli = time.monotonic()
        time.sleep(0.5)
    _, err = proc.communicate()
    assert proc.returncode == 0, err
    assert failures == 0
    assert polls >= 5 and cli_polls >= 2
    assert seen == sorted(seen) and seen[-1] <= READER_ARTICLES
