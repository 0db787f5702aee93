"""Run planning (--jobs 0), article counting and progress output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from dyad.model import Article
from dyad.progress import PARALLEL_MIN, Progress, auto_jobs, count_articles, plan_run
from dyad.watch import IntervalError, parse_interval, watch


@pytest.mark.parametrize(
    ("requested", "total", "cpus", "expected"),
    [
        (3, 1, 2, 3),
        (0, 1, 8, 1),
        (0, PARALLEL_MIN - 1, 8, 1),
        (0, PARALLEL_MIN, 8, 8),
        (0, None, 2, 2),
        (0, 5000, 1, 1),
    ],
)
def test_auto_jobs(requested: int, total: int | None, cpus: int, expected: int) -> None:
    assert auto_jobs(requested, total, cpus=cpus) == expected


def test_count_articles(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    rows = [json.dumps({"id": str(i), "text": "x"}) for i in range(3)]
    (tmp_path / "sub" / "b.jsonl").write_text("\n".join(rows) + "\n\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("skip", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skip", encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 4
    assert count_articles([str(tmp_path / "a.txt"), str(tmp_path / "a.txt")]) == 2
    assert count_articles(["-"]) is None
    assert count_articles(["https://news.example/feed"]) is None


def arts(n: int) -> list[Article]:
    return [Article(id=str(i), text="t") for i in range(n)]


def test_unknown_total_reads_ahead_to_decide() -> None:
    few = plan_run(["https://x.example/feed"], iter(arts(3)), 0, batch_size=64)
    assert (few.total, few.n_process) == (3, 1)
    assert [a.id for a in few.articles] == ["0", "1", "2"]
    many = plan_run(["https://x.example/feed"], iter(arts(PARALLEL_MIN + 5)), 0, batch_size=64)
    assert many.total is None and many.n_process >= 1
    assert len(list(many.articles)) == PARALLEL_MIN + 5


def test_plain_progress_lines_and_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 1.0, 6.0, 7.0, 13.0, 14.0])
    monkeypatch.setattr("dyad.progress.time.monotonic", lambda: next(clock))
    out = io.StringIO()
    with Progress(10, "coded", stream=out, live=False) as progress:
        progress.advance()  # t=1: too soon for a line
        progress.advance()  # t=6: a line
        progress.advance()  # t=7
        progress.advance()  # t=13: a line
    assert out.getvalue().splitlines() == [
        "dyad: coded 2/10 articles (0.3/s)",
        "dyad: coded 4/10 articles (0.3/s)",
    ]
    assert progress.summary() == "dyad: coded 4 articles in 14.0s"


def test_single_article_prints_nothing() -> None:
    out = io.StringIO()
    with Progress(1, "coded", stream=out, live=True) as progress:
        progress.advance()
    assert out.getvalue() == "" and progress.summary() is None


def test_bar_on_a_terminal() -> None:
    out = io.StringIO()
    with Progress(3, "coded", stream=out, live=True) as progress:
        for _ in range(3):
            progress.advance()
    assert progress.done == 3  # the bar is transient: drawn, then cleared


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900.0), ("90s", 90.0), ("2h", 7200.0), ("1d", 86400.0), ("5", 300.0)],
)
def test_parse_interval(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "soon", "-5m", "15 weeks"])
def test_bad_interval(text: str) -> None:
    with pytest.raises(IntervalError, match="--every"):
        parse_interval(text)


def test_watch_rounds_and_waits() -> None:
    now = [0.0]
    slept: list[float] = []
    ran: list[int] = []

    def run(n: int) -> None:
        ran.append(n)
        now[0] += 2.0

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    assert watch(run, 10.0, rounds=3, sleep=sleep, clock=lambda: now[0]) == 3
    assert ran == [1, 2, 3] and slept == [8.0, 8.0]
