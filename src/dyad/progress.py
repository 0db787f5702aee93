"""Progress of a long run on standard error, and how many worker processes it gets.

On a terminal a :mod:`rich` progress bar shows the count, the rate and the time left (when
the number of articles is known beforehand); elsewhere (a log file, CI) a plain line is
written at most every :data:`PLAIN_EVERY_S` seconds. A run of a single article shows no
progress at all. :func:`count_articles` finds the total cheaply (files are counted, JSONL
lines are counted without being parsed); standard input, feeds and URLs have none.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress as Bar
    from rich.progress import TaskID

    from dyad.model import Article

log = logging.getLogger(__name__)

PLAIN_EVERY_S = 5.0
"""Without a terminal, progress lines are written at most this often."""

PARALLEL_MIN = 16
"""With ``--jobs 0`` (automatic), runs of at least this many articles parse with one process
per core; smaller ones are not worth starting processes for."""


def auto_jobs(requested: int, total: int | None, *, cpus: int | None = None) -> int:
    """Parser processes for a run: ``requested`` when positive; else one per core when the
    run has at least :data:`PARALLEL_MIN` articles, or an unknown number of them; else 1."""
    if requested > 0:
        return requested
    cores = cpus or _cores()
    if total is not None and total < PARALLEL_MIN:
        return 1
    return max(1, cores)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def count_articles(paths: Sequence[str]) -> int | None:
    """How many articles the inputs hold, or None when that is not known without reading
    them (standard input, feeds, URLs). Unreadable inputs count for nothing."""
    from dyad.feeds import is_feed_path, is_url
    from dyad.read import SUPPORTED_SUFFIXES

    total = 0
    for arg in paths or ["-"]:
        if arg == "-" or is_url(arg) or is_feed_path(Path(arg)):
            return None
        path = Path(arg)
        files = _files(path) if path.is_dir() else [path]
        for f in files:
            suffix = f.suffix.lower()
            if suffix == ".jsonl":
                total += _count_lines(f)
            elif suffix in SUPPORTED_SUFFIXES:
                total += 1
            elif is_feed_path(f):
                return None
    return total


def _files(folder: Path) -> list[Path]:
    out: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        out.extend(Path(root) / n for n in names if not n.startswith("."))
    return out


def _count_lines(path: Path) -> int:
    count = 0
    try:
        with path.open("rb") as fh:
            for line in fh:
                count += bool(line.strip())
    except OSError:
        return 0
    return count


class Progress:
    """Counts articles done; a context manager that draws a bar or writes plain lines."""

    def __init__(
        self,
        total: int | None,
        verb: str,
        *,
        stream: TextIO | None = None,
        live: bool | None = None,
    ) -> None:
        self.total = total
        self.verb = verb
        self.done = 0
        self.passed = 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.started = time.monotonic()
        self._last = self.started
        self._bar: Bar | None = None
        self._task: TaskID | None = None

    @property
    def quiet(self) -> bool:
        """A single article (or none) shows no progress."""
        return self.total is not None and self.total <= 1

    def __enter__(self) -> Progress:
        if self.live and not self.quiet:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            bar = Bar(
                TextColumn(f"dyad: {self.verb}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            bar.start()
            self._task = bar.add_task(self.verb, total=self.total, rate="")
            self._bar = bar
        return self

    def advance(self, n: int = 1, *, passed: bool = False) -> None:
        """``n`` more articles done; ``passed``: read but not coded (skipped, unchanged)."""
        self.done += n
        self.passed += n if passed else 0
        now = time.monotonic()
        rate = self.done / max(now - self.started, 1e-9)
        if self._bar is not None:
            assert self._task is not None
            self._bar.update(self._task, advance=n, rate=f"{rate:.1f}/s")
        elif not self.quiet and now - self._last >= PLAIN_EVERY_S:
            self._last = now
            of = f"/{self.total}" if self.total is not None else ""
            self.stream.write(f"dyad: {self.verb} {self.done}{of} articles ({rate:.1f}/s)\n")
            self.stream.flush()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def summary(self, extra: str = "") -> str | None:
        """The closing line (None for a single article with nothing else to say)."""
        if self.done <= 1 and not extra:
            return None
        elapsed = time.monotonic() - self.started
        return f"dyad: {self.verb} {self.done - self.passed} articles in {elapsed:.1f}s{extra}"


def pin_blas_threads() -> None:
    """One BLAS/OpenMP thread per process (set before numpy loads; worker processes inherit
    it): with one parser process per core, more threads only fight over the cores."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def stdin_is_live(stream: TextIO | None = None) -> bool:
    """True when standard input is a pipe or a terminal (articles may arrive one at a time),
    False when it is a redirected file."""
    import stat

    try:
        mode = os.fstat((stream or sys.stdin).fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return not stat.S_ISREG(mode)


@dataclass(frozen=True, slots=True)
class RunPlan:
    """How a run reads and parses: its articles, parser processes and batch size."""

    articles: Iterator[Article]
    total: int | None
    n_process: int
    batch_size: int


def plan_run(
    paths: Sequence[str], articles: Iterator[Article], requested_jobs: int, *, batch_size: int
) -> RunPlan:
    """Parser processes and batch size for a run (``requested_jobs`` 0 means automatic).

    A live standard input gets one process and batches of one, so that each article's
    records appear as soon as it arrives. Otherwise, with no known total (feeds, URLs),
    the first :data:`PARALLEL_MIN` articles are read ahead to decide.
    """
    total = count_articles(paths)
    reads_stdin = not paths or "-" in paths
    if reads_stdin and requested_jobs <= 0 and stdin_is_live():
        plan = RunPlan(articles, total, 1, 1)
    elif requested_jobs <= 0 and total is None:
        head = list(itertools.islice(articles, PARALLEL_MIN))
        articles = itertools.chain(head, articles)
        known = len(head) if len(head) < PARALLEL_MIN else None
        plan = RunPlan(articles, known, auto_jobs(0, known), batch_size)
    else:
        plan = RunPlan(articles, total, auto_jobs(requested_jobs, total), batch_size)
    log.info(
        "parsing %s articles with %d processes, %d per batch",
        "an unknown number of" if plan.total is None else plan.total,
        plan.n_process,
        plan.batch_size,
    )
    return plan
