"""The light entry point: which command lines it answers itself, and that those answers are
the full CLI's, without loading the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from typer.testing import CliRunner

from dyad import entry
from dyad.cli import app
from dyad.errors import InputError, KnowledgeBaseError


@pytest.mark.parametrize(
    ("args", "parsed"),
    [
        (["Russia"], ("Russia", None)),
        (
            ["the Russian president", "--date", "2015-06-01"],
            ("the Russian president", "2015-06-01"),
        ),
        (["--date", "2009-06-01", "RUS"], ("RUS", "2009-06-01")),
        (["RUS", "--date=2009-06-01"], ("RUS", "2009-06-01")),
        ([], None),  # no query: the CLI says what is missing
        (["RUS", "CHN"], None),  # two queries: the CLI's error
        (["--help"], None),
        (["RUS", "-h"], None),
        (["RUS", "--date"], None),  # a missing value
        (["RUS", "--date", "yesterday"], None),  # an unreadable date
        (["RUS", "--date", "2020-01-01", "--date", "2021-01-01"], None),
        (["RUS", "--verbose"], None),  # an option the command does not have
        (["-"], None),
    ],
)
def test_actors_arguments(args: list[str], parsed: tuple[str, str | None] | None) -> None:
    want = parsed and (parsed[0], date.fromisoformat(parsed[1]) if parsed[1] else None)
    assert entry._actors_args(args) == want


@pytest.mark.parametrize(
    ("args", "fast"),
    [
        (["actors", "Russia"], True),
        (["--version"], True),
        (["actors", "--help"], False),
        (["--version", "--help"], False),
        (["code", "file.txt"], False),
        (["events"], False),
        ([], False),
    ],
)
def test_which_command_lines_are_answered_here(args: list[str], fast: bool) -> None:
    assert (entry.fast_command(args) is not None) is fast


def test_reporting_gives_the_exit_status_of_each_failure_kind(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def bad_input() -> int:
        raise InputError("a.txt", "not text")

    def bad_table() -> int:
        raise KnowledgeBaseError("kb.yaml", "broken")

    assert entry.reporting(lambda: 3) == 3
    assert entry.reporting(lambda: None) == 0
    assert entry.reporting(bad_input) == 1
    assert entry.reporting(bad_table) == 2
    err = capsys.readouterr().err
    assert "dyad: error: a.txt: not text" in err and "kb.yaml" in err


PROBE = """
import json, sys
from dyad.entry import main
heavy = ("typer", "click", "pydantic", "spacy", "onnxruntime", "duckdb", "dyad.geo.gazetteer",
         "dyad.pipeline")
try:
    main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
sys.stdout.flush()
print(json.dumps([status, [m for m in heavy if m in sys.modules]]), file=sys.stderr)
"""


def _run_entry(*args: str) -> tuple[str, int, list[str], str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=False
    )
    *messages, last = proc.stderr.splitlines()
    status, loaded = json.loads(last)
    return proc.stdout, status, loaded, "\n".join(messages)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "loads"),
    [
        (["actors", "Russia"], []),
        (["actors", "RUS", "--date", "2020-01-01"], []),
        (["actors", "APEC"], []),
        (["--version"], []),
        # no entry by that name: the actor stage reads it as a phrase, which needs spaCy
        (["actors", "Xyzzyq Nowhere"], ["typer", "click", "pydantic", "spacy"]),
    ],
)
def test_answered_as_the_cli_answers(args: list[str], loads: list[str]) -> None:
    out, status, loaded, err = _run_entry(*args)
    assert loaded == loads
    full = CliRunner().invoke(app, args)
    assert (out, status) == (full.stdout, full.exit_code)
    if status:
        assert "dyad knows nothing about 'Xyzzyq Nowhere'" in err


@pytest.mark.slow
def test_other_command_lines_go_to_the_cli() -> None:
    out, status, loaded, err = _run_entry("actors", "RUS", "--date", "yesterday")
    assert status == 2 and "--date 'yesterday' is not a date" in err
    assert "typer" in loaded
    out, status, _, _ = _run_entry("actors", "--help")
    assert status == 0 and "--date" in out
