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
from dyad.errors import DyadError, InputError
from dyad.model import Article, Event, Record, dumps

if TYPE_CHECKING:
    from dyad.events.ontology import Ontology
    from dyad.query import EventActor, EventRow, Filters
    from dyad.store import Store

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
        articles, n_process=_jobs(jobs, len(articles)), on_error=inputs.on_error
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
                fresh, n_process=_jobs(jobs, len(fresh)), on_error=inputs.on_error
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


DbOpt = Annotated[Path, typer.Option(help="DuckDB store file.")]
ActorOpt = Annotated[
    str | None,
    typer.Option(help="An actor by code (RUS, RUSGOV, NATO) or name (Russia, Lavrov)."),
]
DyadOpt = Annotated[
    tuple[str, str] | None,
    typer.Option(help="Two actors (codes or names): events between them."),
]
DirectedOpt = Annotated[
    bool, typer.Option("--directed", help="Only what the first actor did to the second.")
]
SinceOpt = Annotated[str | None, typer.Option(help="Events on or after YYYY-MM-DD.")]
UntilOpt = Annotated[str | None, typer.Option(help="Events on or before YYYY-MM-DD.")]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(help="asserted, negated, future or hypothetical (repeatable)."),
]
ConfOpt = Annotated[float | None, typer.Option(help="Only events at least this confident.")]
QuadOpt = Annotated[list[int] | None, typer.Option("--quad", help="Quad class 1-4 (repeatable).")]
CameoOpt = Annotated[str | None, typer.Option(help="CAMEO code prefix, e.g. 04 or 172.")]
PloverOpt = Annotated[str | None, typer.Option(help="PLOVER type, e.g. CONSULT.")]
CountryOpt = Annotated[
    str | None, typer.Option(help="ISO alpha-3 country of the event's place.")
]


def _filters(
    *,
    actor: str | None = None,
    dyad: tuple[str, str] | None = None,
    directed: bool = False,
    since: str | None = None,
    until: str | None = None,
    status: Sequence[str] | None = None,
    min_confidence: float | None = None,
    quad: Sequence[int] | None = None,
    cameo: str | None = None,
    plover: str | None = None,
    country: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> Filters:
    from dyad.query import Filters

    return Filters(
        actor=actor,
        dyad=dyad,
        directed=directed,
        since=_parse_day(since, "--since"),
        until=_parse_day(until, "--until"),
        status=tuple(status or ()),
        min_confidence=min_confidence,
        quad_class=tuple(quad or ()),
        cameo=cameo,
        plover=plover,
        country=country,
        limit=limit,
        offset=offset,
    )


def _query_store(db: Path) -> Store:
    from dyad.query import open_for_query

    if not db.exists():
        raise _fail(f"{db}: no such store; create it with `dyad ingest PATH --db {db}`")
    try:
        return open_for_query(db)
    except DyadError as exc:
        raise _fail(str(exc)) from None


def _event_actors_text(actors: Iterable[EventActor]) -> str:
    return ", ".join(a.code + (f" ({a.name})" if a.name else "") for a in actors)


def _grouped_row(e: EventRow, ontology: Ontology) -> list[str]:
    when = ""
    if e.date_start is not None:
        when = e.date_start.isoformat()
        if e.date_end is not None and e.date_end != e.date_start:
            when += f"..{e.date_end}"
    code = ontology.get(e.cameo)
    return [
        when,
        _event_actors_text(e.source),
        e.cameo,
        code.name if code else "",
        _event_actors_text(e.target),
        e.status,
        "" if e.place is None else f"{e.place}, {e.place_country or '-'}",
        f"{e.confidence:.2f}",
        str(e.num_mentions),
        str(e.num_articles),
        e.evidence,
    ]


@app.command()
def events(
    db: DbOpt = Path("dyad.duckdb"),
    actor: ActorOpt = None,
    dyad: DyadOpt = None,
    directed: DirectedOpt = False,
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfOpt = None,
    quad: QuadOpt = None,
    cameo: CameoOpt = None,
    plover: PloverOpt = None,
    country: CountryOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, jsonl or csv.")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many events.")] = None,
    offset: Annotated[int, typer.Option(help="Skip this many events first.")] = 0,
    mentions: Annotated[
        bool, typer.Option("--mentions", help="List every mention (coded record) instead.")
    ] = False,
) -> None:
    """List stored events (mentions grouped across articles), oldest first."""
    from dyad import query

    if fmt not in ("table", "jsonl", "csv"):
        raise _fail(f"--format {fmt!r} is not one of table, jsonl, csv")
    f = _filters(
        actor=actor, dyad=dyad, directed=directed, since=since, until=until, status=status,
        min_confidence=min_confidence, quad=quad, cameo=cameo, plover=plover, country=country,
        limit=limit, offset=offset,
    )  # fmt: skip
    with _query_store(db) as store:
        try:
            if mentions:
                found = query.mention_records(store, f)
                rows: list[EventRow] = []
            else:
                rows = query.events(store, f)
                best = query.best_records(store, rows)
                found = [best[r.best_mention] for r in rows]
        except DyadError as exc:
            raise _fail(str(exc)) from None
    out = sys.stdout
    if fmt == "jsonl":
        for i, e in enumerate(found):
            obj = e.to_json()
            if rows:
                obj.update(query.event_counts_json(rows[i]))
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
        return
    from dyad.events.ontology import load_ontology

    ontology = load_ontology()
    header = [*EVENT_COLUMNS[:-1], "mentions", "articles", EVENT_COLUMNS[-1]]
    if mentions:
        header = list(EVENT_COLUMNS)
        table = [_event_row(e, ontology) for e in found]
        ids = [(e.id, e.article.id) for e in found]
    else:
        table = [_grouped_row(r, ontology) for r in rows]
        ids = [(str(r.event_id), r.article_id) for r in rows]
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["id", "article", *header])
        for (eid, aid), row in zip(ids, table, strict=True):
            writer.writerow([eid, aid, *row])
        out.write(buf.getvalue())
    else:
        _table(table, [c.upper() for c in header], out)
        typer.echo(f"{len(table)} {'mentions' if mentions else 'events'}", err=True)


@app.command()
def dyads(
    db: DbOpt = Path("dyad.duckdb"),
    min_events: Annotated[int, typer.Option(help="Only pairs with this many events.")] = 1,
    directed: DirectedOpt = False,
    actor: ActorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfOpt = None,
    quad: QuadOpt = None,
    cameo: CameoOpt = None,
    plover: PloverOpt = None,
    country: CountryOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table or jsonl.")] = "table",
    limit: Annotated[int | None, typer.Option(help="At most this many pairs.")] = None,
) -> None:
    """Per pair of actors: events, mentions, cooperation vs conflict, mean Goldstein, dates.

    Asserted events only unless --status says otherwise; either direction unless --directed."""
    from dyad import query

    f = _filters(
        actor=actor, directed=directed, since=since, until=until,
        status=status or ["asserted"], min_confidence=min_confidence, quad=quad,
        cameo=cameo, plover=plover, country=country,
    )  # fmt: skip
    with _query_store(db) as store:
        try:
            rows = [r for r in query.dyads(store, f) if r.events >= min_events][:limit]
        except DyadError as exc:
            raise _fail(str(exc)) from None
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(query.to_json(r)) + "\n")
        return
    _table(
        [
            [
                r.a, r.b, str(r.events), str(r.mentions), str(r.cooperation), str(r.conflict),
                f"{r.mean_goldstein:+.2f}", str(r.first or ""), str(r.last or ""),
            ]
            for r in rows
        ],  # fmt: skip
        [
            "SOURCE" if directed else "A", "TARGET" if directed else "B", "EVENTS",
            "MENTIONS", "COOP", "CONFLICT", "GOLDSTEIN", "FIRST", "LAST",
        ],  # fmt: skip
        sys.stdout,
    )


def _write_rows(rows: Sequence[dict[str, object]], fmt: str) -> None:
    """Rows of plain values as a table, CSV or JSONL on standard output."""
    if fmt == "jsonl":
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        return
    header = list(rows[0]) if rows else []
    cells = [["" if v is None else str(v) for v in r.values()] for r in rows]
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(header)
        writer.writerows(cells)
        return
    _table(cells, [h.upper() for h in header], sys.stdout)


@app.command()
def series(
    db: DbOpt = Path("dyad.duckdb"),
    dyad: DyadOpt = None,
    directed: DirectedOpt = False,
    actor: ActorOpt = None,
    by: Annotated[str, typer.Option(help="day, week, month or year.")] = "month",
    measure: Annotated[str, typer.Option(help="events, mentions, goldstein or quad.")] = "events",
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfOpt = None,
    quad: QuadOpt = None,
    cameo: CameoOpt = None,
    plover: PloverOpt = None,
    country: CountryOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
) -> None:
    """Events per day, week, month or year (zero-filled): counts, mentions, Goldstein, quads.

    Asserted events only unless --status says otherwise."""
    from dyad import query

    if measure not in query.MEASURES:
        raise _fail(f"--measure {measure!r} is not one of {', '.join(query.MEASURES)}")
    f = _filters(
        actor=actor, dyad=dyad, directed=directed, since=since, until=until,
        status=status or ["asserted"], min_confidence=min_confidence, quad=quad,
        cameo=cameo, plover=plover, country=country,
    )  # fmt: skip
    with _query_store(db) as store:
        try:
            points = query.series(store, f, by)  # type: ignore[arg-type]
        except DyadError as exc:
            raise _fail(str(exc)) from None
    _write_rows([query.series_row(p, measure) for p in points], fmt)  # type: ignore[arg-type]


@app.command()
def network(
    db: DbOpt = Path("dyad.duckdb"),
    since: SinceOpt = None,
    until: UntilOpt = None,
    top: Annotated[int, typer.Option(help="The busiest edges to list (0: all).")] = 50,
    status: StatusOpt = None,
    min_confidence: ConfOpt = None,
    quad: QuadOpt = None,
    cameo: CameoOpt = None,
    plover: PloverOpt = None,
    country: CountryOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or jsonl.")] = "table",
) -> None:
    """Who acts on whom: weighted directed edges (events, mentions, cooperation, conflict,
    mean Goldstein), the busiest first. Asserted events only unless --status says otherwise."""
    from dyad import query

    f = _filters(
        since=since, until=until, status=status or ["asserted"],
        min_confidence=min_confidence, quad=quad, cameo=cameo, plover=plover, country=country,
    )  # fmt: skip
    with _query_store(db) as store:
        try:
            edges = query.network(store, f, top=top or None)
        except DyadError as exc:
            raise _fail(str(exc)) from None
    _write_rows([query.to_json(e) for e in edges], fmt)


@app.command("export")
def export_(
    db: DbOpt = Path("dyad.duckdb"),
    fmt: Annotated[str, typer.Option("--format", help="gdelt, plover, parquet or csv.")] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(help="A folder (gdelt, parquet) or a file; standard output if omitted."),
    ] = None,
    table: Annotated[
        str, typer.Option(help="csv only: events, mentions or actors.")
    ] = "events",
    actor: ActorOpt = None,
    dyad: DyadOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    status: StatusOpt = None,
    min_confidence: ConfOpt = None,
) -> None:
    """Export events in the formats the field reads: GDELT 2.0 tables, POLECAT-style JSONL,
    Parquet partitioned by month, or typed CSV."""
    from dyad.export import export

    f = _filters(
        actor=actor, dyad=dyad, since=since, until=until, status=status,
        min_confidence=min_confidence,
    )  # fmt: skip
    with _query_store(db) as store:
        try:
            written = export(store, fmt, out, f, table=table)
        except DyadError as exc:
            raise _fail(str(exc)) from None
    for path in written:
        typer.echo(f"dyad: wrote {path}", err=True)


plot_app = typer.Typer(no_args_is_help=True, help="Draw a series or a network to PNG or SVG.")
app.add_typer(plot_app, name="plot")


@plot_app.command("series")
def plot_series(
    out: Annotated[Path, typer.Option(help="The picture to write (.png or .svg).")],
    db: DbOpt = Path("dyad.duckdb"),
    dyad: DyadOpt = None,
    directed: DirectedOpt = False,
    actor: ActorOpt = None,
    by: Annotated[str, typer.Option(help="day, week, month or year.")] = "month",
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> None:
    """Cooperation and conflict over time (asserted events), with mean Goldstein."""
    from dyad import query
    from dyad.plot import plot_series as draw

    f = _filters(
        actor=actor, dyad=dyad, directed=directed, since=since, until=until,
        status=["asserted"],
    )  # fmt: skip
    with _query_store(db) as store:
        try:
            points = query.series(store, f, by)  # type: ignore[arg-type]
            title = " – ".join(dyad) if dyad else (actor or "all events")
            draw(points, out, title=title, by=by)
        except DyadError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"dyad: wrote {out}", err=True)


@plot_app.command("network")
def plot_network(
    out: Annotated[Path, typer.Option(help="The picture to write (.png or .svg).")],
    db: DbOpt = Path("dyad.duckdb"),
    since: SinceOpt = None,
    until: UntilOpt = None,
    top: Annotated[int, typer.Option(help="The busiest edges to draw.")] = 30,
) -> None:
    """Who acts on whom: arrows weighted by events, green for cooperation, red for conflict."""
    from dyad import query
    from dyad.plot import plot_network as draw

    f = _filters(since=since, until=until, status=["asserted"])
    with _query_store(db) as store:
        try:
            draw(query.network(store, f, top=top), out)
        except DyadError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"dyad: wrote {out}", err=True)


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


@app.command()
def serve(
    db: DbOpt = Path("dyad.duckdb"),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8750,
    token: Annotated[
        str | None,
        typer.Option(envvar="DYAD_TOKEN", help="Accept POST /articles with this bearer token."),
    ] = None,
    max_body_mb: Annotated[float, typer.Option(help="Largest request body, in MB.")] = 10.0,
) -> None:
    """Serve the store: a JSON API (OpenAPI at /openapi.json, docs at /docs) and a dashboard.

    Read-only unless --token (or DYAD_TOKEN) is set."""
    try:
        import uvicorn

        from dyad.serve import create_app, prepare_store
    except ImportError as exc:
        raise _fail(
            f"`dyad serve` needs the serve extra ({exc.name} is missing): pip install 'dyad[serve]'"
        ) from None
    try:
        prepare_store(db, create=token is not None)
    except DyadError as exc:
        raise _fail(str(exc)) from None
    app = create_app(db, token=token, max_body=int(max_body_mb * 1024 * 1024))
    writes = "writes on (bearer token)" if token else "read-only"
    typer.echo(f"dyad: serving {db} on http://{host}:{port}/ ({writes})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
