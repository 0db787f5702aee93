"""The ``dyad`` command: argument parsing and printing over the Python API, nothing more."""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from dyad._version import __version__
from dyad.errors import DyadError, InputError, QueryError
from dyad.model import Article, Event, Record, dumps

if TYPE_CHECKING:
    from dyad.events.ontology import Ontology

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="dyad: who did what to whom, when, where and how much, with evidence.",
)
log = logging.getLogger("dyad")

PROGRESS_EVERY_S = 5.0
"""Long runs report progress on standard error at most this often."""
PARALLEL_MIN = 200
"""Runs with at least this many articles parse with two processes when --jobs is 0 (auto)."""


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"dyad: error: {message}", err=True)
    return typer.Exit(code)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="dyad: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


class _Inputs:
    """Reads inputs, reports the unreadable ones on stderr, remembers whether any failed."""

    def __init__(self, paths: Sequence[str], published: date | None) -> None:
        self.paths = paths
        self.published = published
        self.failed = 0

    def report(self, origin: str, reason: str) -> None:
        self.failed += 1
        typer.echo(f"dyad: error: {origin}: {reason}", err=True)

    def articles(self) -> list[Article]:
        from dyad.read import iter_inputs

        out: list[Article] = []
        for item in iter_inputs(list(self.paths), published=self.published, stdin=sys.stdin):
            if isinstance(item, InputError):
                self.report(item.origin, item.reason)
            else:
                out.append(item)
        return out

    def on_error(self, article: Article, exc: Exception) -> None:
        self.report(article.origin, f"coding failed: {type(exc).__name__}: {exc}")


class _Progress:
    def __init__(self, total: int, verb: str) -> None:
        self.total = total
        self.verb = verb
        self.done = 0
        self.started = time.monotonic()
        self.last = self.started

    def tick(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            rate = self.done / max(now - self.started, 1e-9)
            typer.echo(
                f"dyad: {self.verb} {self.done}/{self.total} articles ({rate:.1f}/s)", err=True
            )

    def finish(self, extra: str = "") -> None:
        elapsed = time.monotonic() - self.started
        if elapsed >= PROGRESS_EVERY_S or self.total >= 50:
            typer.echo(f"dyad: {self.verb} {self.done} articles in {elapsed:.1f}s{extra}", err=True)


def _jobs(requested: int, n: int) -> int:
    if requested > 0:
        return requested
    cpus = os.cpu_count() or 1
    return min(2, cpus) if n >= PARALLEL_MIN else 1


@app.command()
def code(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files (.txt, .html, .htm, .jsonl) or folders; '-' or none: stdin."),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option(help="Publication date (YYYY-MM-DD) for inputs that carry none."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Output format: jsonl.")] = "jsonl",
    jobs: Annotated[int, typer.Option(help="Parser processes (0: automatic).")] = 0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
    no_models: Annotated[
        bool, typer.Option("--no-models", help="Rules only: no learned classifier or tagger.")
    ] = False,
) -> None:
    """Code articles into event and claim records (JSONL on standard output)."""
    from dyad.pipeline import analyze_many

    _setup_logging(verbose)
    if fmt != "jsonl":
        raise _fail(f"--format {fmt!r} is not supported by `dyad code`; use jsonl")
    inputs = _Inputs(paths or ["-"], _parse_day(published, "--published"))
    articles = inputs.articles()
    progress = _Progress(len(articles), "coded")
    out = sys.stdout
    for analysis in analyze_many(
        articles,
        n_process=_jobs(jobs, len(articles)),
        on_error=inputs.on_error,
        models=not no_models,
    ):
        for record in analysis.records:
            out.write(dumps(record) + "\n")
        progress.tick()
    out.flush()
    progress.finish()
    if inputs.failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files or folders to code and store.")],
    db: Annotated[Path, typer.Option(help="DuckDB store file.")] = Path("dyad.duckdb"),
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs that carry none.")
    ] = None,
    jobs: Annotated[int, typer.Option(help="Parser processes (0: automatic).")] = 0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    no_models: Annotated[
        bool, typer.Option("--no-models", help="Rules only: no learned classifier or tagger.")
    ] = False,
) -> None:
    """Code articles and store articles, events and claims in DuckDB (re-runs add nothing)."""
    from dyad.pipeline import analyze_many
    from dyad.store import ingest as store_ingest
    from dyad.store import open_store

    _setup_logging(verbose)
    inputs = _Inputs(paths, _parse_day(published, "--published"))
    articles = inputs.articles()
    try:
        store = open_store(db)
    except DyadError as exc:
        raise _fail(str(exc)) from None
    with store:
        fresh = [a for a in articles if not store.is_current(a)]
        skipped = len(articles) - len(fresh)
        progress = _Progress(len(fresh), "ingested")

        def triples() -> Iterator[tuple[Article, str, Sequence[Record]]]:
            for analysis in analyze_many(
                fresh,
                n_process=_jobs(jobs, len(fresh)),
                on_error=inputs.on_error,
                models=not no_models,
            ):
                yield analysis.article, analysis.clean.text, analysis.records
                progress.tick()

        try:
            stats = store_ingest(store, triples())
        except DyadError as exc:
            raise _fail(str(exc)) from None
        progress.finish()
        typer.echo(
            f"dyad: {db}: {stats.added} articles added, {stats.replaced} replaced, "
            f"{skipped + stats.unchanged} unchanged; {stats.events} events and "
            f"{stats.claims} claims written",
            err=True,
        )
    if inputs.failed:
        raise typer.Exit(1)


EVENT_COLUMNS = (
    "date",
    "source",
    "cameo",
    "event",
    "target",
    "status",
    "place",
    "confidence",
    "evidence",
)


def _actors_text(actors: Iterable[object]) -> str:
    parts = []
    for a in actors:
        assert hasattr(a, "code")
        label = a.code
        name = getattr(a, "name", None)
        if name:
            label += f" ({name})"
        parts.append(label)
    return ", ".join(parts)


def _event_row(e: Event, ontology: Ontology) -> list[str]:
    d = e.date
    when = "" if d is None else (d.start.isoformat() if d.start == d.end else f"{d.start}..{d.end}")
    if d is not None and d.basis == "publication":
        when += "*"
    code = ontology.get(e.cameo)
    return [
        when,
        _actors_text(e.source),
        e.cameo,
        code.name if code else "",
        _actors_text(e.target),
        e.status,
        "" if e.location is None else f"{e.location.name}, {e.location.country or '-'}",
        f"{e.confidence:.2f}",
        e.evidence.text,
    ]


def _table(rows: Sequence[Sequence[str]], header: Sequence[str], out: TextIO) -> None:
    widths = [len(h) for h in header]
    caps = [24, 40, 6, 36, 40, 12, 24, 10, 70]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = min(max(widths[i], len(cell)), caps[i] if i < len(caps) else 40)

    def fit(cell: str, w: int) -> str:
        return cell if len(cell) <= w else cell[: max(0, w - 1)] + "…"

    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip() + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        out.write(
            "  ".join(fit(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )


@app.command()
def events(
    db: Annotated[Path, typer.Option(help="DuckDB store file.")] = Path("dyad.duckdb"),
    actor: Annotated[
        str | None, typer.Option(help="Country, organisation or actor code (prefix).")
    ] = None,
    dyad: Annotated[
        tuple[str, str] | None, typer.Option(help="Two actors: events between them, either way.")
    ] = None,
    since: Annotated[str | None, typer.Option(help="Events on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Events on or before YYYY-MM-DD.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
) -> None:
    """List stored events (dates marked * stand in from the publication date)."""
    from dyad.store import open_store

    if fmt not in ("table", "jsonl", "csv"):
        raise _fail(f"--format {fmt!r} is not one of table, jsonl, csv")
    if not db.exists():
        raise _fail(f"{db}: no such store; create it with `dyad ingest PATH --db {db}`")
    since_d, until_d = _parse_day(since, "--since"), _parse_day(until, "--until")
    try:
        with open_store(db, read_only=True) as store:
            found = list(
                store.events(actor=actor, dyad=dyad, since=since_d, until=until_d, limit=limit)
            )
    except (DyadError, QueryError) as exc:
        raise _fail(str(exc)) from None
    out = sys.stdout
    if fmt == "jsonl":
        for e in found:
            out.write(dumps(e) + "\n")
        return
    from dyad.events.ontology import load_ontology

    ontology = load_ontology()
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "article", *EVENT_COLUMNS])
        for e in found:
            writer.writerow([e.id, e.article.id, *_event_row(e, ontology)])
        out.write(buf.getvalue())
    else:
        _table([_event_row(e, ontology) for e in found], [c.upper() for c in EVENT_COLUMNS], out)
        typer.echo(f"{len(found)} events", err=True)


@app.command()
def dyads(
    db: Annotated[Path, typer.Option(help="DuckDB store file.")] = Path("dyad.duckdb"),
    min_events: Annotated[int, typer.Option(help="Only pairs with this many events.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
) -> None:
    """Per pair of actors: asserted events, cooperation vs conflict, mean Goldstein, dates."""
    from dyad.store import open_store

    if not db.exists():
        raise _fail(f"{db}: no such store; create it with `dyad ingest PATH --db {db}`")
    with open_store(db, read_only=True) as store:
        rows = store.dyads(min_events=min_events)
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(
                json.dumps(
                    {
                        "a": r.a,
                        "b": r.b,
                        "events": r.events,
                        "cooperation": r.cooperation,
                        "conflict": r.conflict,
                        "mean_goldstein": r.mean_goldstein,
                        "first": r.first.isoformat() if r.first else None,
                        "last": r.last.isoformat() if r.last else None,
                    }
                )
                + "\n"
            )
        return
    _table(
        [
            [
                r.a,
                r.b,
                str(r.events),
                str(r.cooperation),
                str(r.conflict),
                f"{r.mean_goldstein:+.2f}",
                str(r.first or ""),
                str(r.last or ""),
            ]
            for r in rows
        ],
        ["A", "B", "EVENTS", "COOP", "CONFLICT", "GOLDSTEIN", "FIRST", "LAST"],
        sys.stdout,
    )


@app.command()
def actors(
    query: Annotated[
        str, typer.Argument(help="A name, code or phrase: RUS, Lavrov, 'the Russian president'.")
    ],
    on: Annotated[
        str | None, typer.Option("--date", help="Resolve offices as of YYYY-MM-DD.")
    ] = None,
) -> None:
    """What dyad knows about a name or code: country, organisation, person, offices."""
    from dyad.actors.lookup import lookup

    day = _parse_day(on, "--date")
    found = lookup(query, day)
    if not found:
        typer.echo(f"dyad knows nothing about {query!r}", err=True)
        raise typer.Exit(1)
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
        label = a.name or a.text
        typer.echo(f"{item.source}: {label}  [{'; '.join(parts)}]")
        for fact in item.facts:
            typer.echo(f"    {fact}")


@app.command("eval")
def eval_(
    fmt: Annotated[str, typer.Argument(help="petrarch, plover, penta, spans, location or police.")],
    path: Annotated[Path, typer.Argument(help="The gold file.")],
    limit: Annotated[int | None, typer.Option(help="Score only the first N items.")] = None,
    report: Annotated[
        Path | None, typer.Option(help="Also write the report here (.md, or .json).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")] = False,
    jobs: Annotated[int, typer.Option(help="Parser processes (0: automatic).")] = 0,
    subset: Annotated[
        str, typer.Option(help="all, tune (odd items) or heldout (even items).")
    ] = "all",
    show_heldout_errors: Annotated[
        bool, typer.Option(help="List errors of held-out items too (final audits only).")
    ] = False,
) -> None:
    """Score dyad against a hand-coded gold file: per-class P/R/F1, confusion, worst errors."""
    from dyad.evaluate import check_subset, evaluate

    if not path.exists():
        raise _fail(f"{path}: no such gold file")
    try:
        result = evaluate(
            fmt,
            path,
            subset=check_subset(subset),
            limit=limit,
            n_process=jobs or None,
            heldout_errors=show_heldout_errors,
        )
    except DyadError as exc:
        raise _fail(str(exc)) from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(result.to_text() + "\n")
    if report is not None:
        body = (
            json.dumps(result.to_json(), ensure_ascii=False, indent=1)
            if report.suffix == ".json"
            else result.to_markdown()
        )
        report.write_text(body + "\n", encoding="utf-8")
        typer.echo(f"dyad: report written to {report}", err=True)


@app.callback(invoke_without_command=True)
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version.")] = False,
) -> None:
    if version:
        typer.echo(f"dyad {__version__}")
        raise typer.Exit(0)


def main() -> None:
    try:
        app()
    except InputError as exc:
        typer.echo(f"dyad: error: {exc}", err=True)
        sys.exit(1)
    except DyadError as exc:
        typer.echo(f"dyad: error: {exc}", err=True)
        sys.exit(2)
