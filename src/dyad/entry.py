"""The ``dyad`` console command: the cheap commands answered before any framework loads.

The full command line (:mod:`dyad.cli`) is built with Typer, which with click and pydantic
underneath takes about a fifth of a second to import and set up: as long as a lookup in the
knowledge base takes. ``dyad actors QUERY [--date YYYY-MM-DD]`` and ``dyad --version`` are
answered here without it, and without spaCy, onnxruntime, the gazetteer or DuckDB (a phrase
such as "the Russian president" still runs the actor stage over its words, hence spaCy).
Anything else (another command, ``--help``, an option or a value this module does not read)
goes to :func:`dyad.cli.main` untouched, which prints the usual help and errors; both paths
print the same answers, through the same functions below.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from dyad.errors import DyadError, InputError

if TYPE_CHECKING:
    from dyad.actors.lookup import Known

EXIT_PIPE_CLOSED = 141
"""Standard output was closed before everything was written (``dyad code ... | head``)."""

Command = Callable[[], int | None]


@contextmanager
def stdout_guard() -> Iterator[None]:
    """A closed standard output ends the command quietly with :data:`EXIT_PIPE_CLOSED`."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes at exit
        raise SystemExit(EXIT_PIPE_CLOSED) from None


def reporting(command: Command) -> int:
    """``command``'s exit status; an unreadable input ends it with 1, any other dyad error
    (a store, a data file) with 2, the reason on standard error."""
    try:
        return command() or 0
    except InputError as exc:
        print(f"dyad: error: {exc}", file=sys.stderr)
        return 1
    except DyadError as exc:
        print(f"dyad: error: {exc}", file=sys.stderr)
        return 2


def actor_lines(found: Iterable[Known]) -> Iterator[str]:
    """What ``dyad actors`` prints for each answer: a heading line, then its facts."""
    for item in found:
        a = item.actor
        parts = [f"code {a.code}"]
        if a.country:
            parts.append(f"country {a.country}")
        if a.sectors:
            parts.append("sectors " + ",".join(a.sectors))
        if a.org:
            parts.append(f"org {a.org}")
        if a.role:
            parts.append(f"role {a.role}")
        yield f"{item.source}: {a.name or a.text}  [{'; '.join(parts)}]"
        yield from (f"    {fact}" for fact in item.facts)


def show_actors(query: str, on: date | None) -> int:
    """Print what dyad knows about ``query``; 1 (and a line on stderr) when nothing."""
    from dyad.actors.lookup import lookup

    found = lookup(query, on)
    if not found:
        print(f"dyad knows nothing about {query!r}", file=sys.stderr)
        return 1
    with stdout_guard():
        for line in actor_lines(found):
            sys.stdout.write(line + "\n")
    return 0


def _actors_args(args: Sequence[str]) -> tuple[str, date | None] | None:
    """QUERY and the date of ``actors QUERY [--date D]`` given plainly; None otherwise."""
    query: str | None = None
    day: str | None = None
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--date" and rest and day is None:
            day = rest.pop(0)
        elif arg.startswith("--date=") and day is None:
            day = arg.partition("=")[2]
        elif arg.startswith("-") or query is not None:
            return None
        else:
            query = arg
    if query is None:
        return None
    try:
        return query, (date.fromisoformat(day) if day is not None else None)
    except ValueError:
        return None


def _print_version() -> int:
    from dyad._version import __version__

    print(f"dyad {__version__}")
    return 0


def fast_command(args: Sequence[str]) -> Command | None:
    """The command line ``args`` answered here, or None when the full CLI must read it."""
    if list(args) == ["--version"]:
        return _print_version
    if args and args[0] == "actors":
        parsed = _actors_args(args[1:])
        if parsed is not None:
            query, on = parsed
            return lambda: show_actors(query, on)
    return None


def main(argv: Sequence[str] | None = None) -> None:
    """The ``dyad`` command (``argv``: the arguments after the program name)."""
    args = sys.argv[1:] if argv is None else list(argv)
    command = fast_command(args)
    if command is None:
        from dyad.cli import main as full_cli

        sys.argv[1:] = args
        full_cli()
        return
    sys.exit(reporting(command))
