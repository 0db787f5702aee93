"""The ``dyad`` command: argument parsing and printing over the Python API, nothing more.

Exit status: 0 all went well; 1 some input could not be read or coded (the rest was);
2 a usage, store or data-file error; 130 / 143 interrupted by SIGINT (Ctrl-C) / SIGTERM
(whatever was stored stays stored); 141 standard output was closed early (``| head``).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import logging
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TextIO

import typer

from dyad._version import __version__
from dyad.boundary import DEFAULT_LIMITS, Limits, check_published
from dyad.entry import stdout_guard
from dyad.errors import DyadError, InputError
from dyad.model import Article, Event, Record, dumps
from dyad.signals import Interrupted, interruptible

if TYPE_CHECKING:
    from dyad.events.ontology import Ontology
    from dyad.progress import Progress, RunPlan
    from dyad.query import EventActor, EventRow, Filters
    from dyad.store import Store

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="dyad: who did what to whom, when, where and how much, with evidence.",
)
log = logging.getLogger("dyad")
P = ParamSpec("P")

MaxChars = Annotated[
    int,
    typer.Option("--max-chars", min=1, help="Refuse articles longer than this many characters."),
]


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"dyad: error: {message}", err=True)
    return typer.Exit(code)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value)
        return check_published(day, option) if option == "--published" else day
    except ValueError:
        raise _fail(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None
    except InputError as exc:
        raise _fail(str(exc)) from None


def _quiet_pipe(command: Callable[P, None]) -> Callable[P, None]:
    """``command`` with :func:`~dyad.entry.stdout_guard` around it (for commands that print
    rows)."""

    @functools.wraps(command)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        with stdout_guard():
            command(*args, **kwargs)

    return guarded


def _interrupted(exc: Interrupted, what: str) -> typer.Exit:
    typer.echo(f"dyad: interrupted ({exc.args[0].split()[-1]}): {what}", err=True)
    return typer.Exit(exc.status)


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="dyad: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    if not verbose:  # the extractor's own warnings ("discarding data") say nothing to a user
        logging.getLogger("trafilatura").setLevel(logging.ERROR)


class _Inputs:
    """Reads inputs lazily, reports the unreadable ones and those not in English on stderr,
    remembers how many failed and how many were skipped per language."""

    def __init__(
        self,
        paths: Sequence[str],
        published: date | None,
        language: str,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.paths = list(paths)
        self.published = published
        self.language = None if language.lower() == "auto" else language.lower()
        self.limits = limits
        self.failed = 0
        self.skipped: Counter[str] = Counter()
        self.progress: Progress | None = None

    def report(self, origin: str, reason: str) -> None:
        self.failed += 1
        typer.echo(f"dyad: error: {origin}: {reason}", err=True)

    def articles(self) -> Iterator[Article]:
        from dyad.read import iter_inputs

        stdin = getattr(sys.stdin, "buffer", sys.stdin)  # bytes: decoded like a file
        for item in iter_inputs(
            self.paths,
            published=self.published,
            stdin=stdin,
            language=self.language,
            limits=self.limits,
        ):
            if isinstance(item, InputError):
                self.report(item.origin, item.reason)
            else:
                yield item

    def on_error(self, article: Article, exc: Exception) -> None:
        self.report(article.origin, f"coding failed: {type(exc).__name__}: {exc}")

    def on_skip(self, article: Article, language: str) -> None:
        self.skipped[language] += 1
        typer.echo(
            f"dyad: warning: {article.origin}: not English (language {language}); not coded "
            "(see `dyad code --help` on --language)",
            err=True,
        )
        if self.progress is not None:
            self.progress.advance(passed=True)

    def summary(self) -> str:
        if not self.skipped:
            return ""
        langs = ", ".join(f"{lang} {n}" for lang, n in self.skipped.most_common())
        return f"; {sum(self.skipped.values())} not in English, not coded ({langs})"

    def plan(self, jobs: int) -> RunPlan:
        from dyad.parse import BATCH_SIZE
        from dyad.progress import plan_run

        return plan_run(self.paths, self.articles(), jobs, batch_size=BATCH_SIZE)


def _finish(progress: Progress, inputs: _Inputs) -> None:
    line = progress.summary(inputs.summary())
    if line:
        typer.echo(line, err=True)


LANGUAGE_HELP = (
    "Language of inputs that declare none: auto (detect; articles not in English are "
    "reported and not coded) or an ISO 639-1 code."
)


def _check_confidence(value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise _fail(f"--min-confidence {value}: give a number from 0 to 1")


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
    jobs: Annotated[
        int, typer.Option(help="Parser processes (0: one per core for more than a few articles).")
    ] = 0,
    language: Annotated[str, typer.Option(help=LANGUAGE_HELP)] = "auto",
    models: Annotated[
        bool, typer.Option("--models/--no-models", help="Use the learned models (rules only: no).")
    ] = True,
    engine: Annotated[
        str, typer.Option(help="local (this machine) or dask (a Dask cluster; needs --out).")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="With --engine dask: the scheduler address (none: a local cluster)."),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="With --engine dask: folder for the Parquet output."),
    ] = None,
    max_chars: MaxChars = DEFAULT_LIMITS.max_chars,
    min_confidence: Annotated[
        float,
        typer.Option(help="Leave out events below this confidence (0 to 1; 0 keeps all)."),
    ] = 0.0,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
) -> None:
    """Code articles into event and claim records (JSONL on standard output), streaming."""
    from dyad.preload import start as preload

    _setup_logging(verbose)
    _check_confidence(min_confidence)
    if fmt != "jsonl":
        raise _fail(f"--format {fmt!r} is not supported by `dyad code`; use jsonl")
    day = _parse_day(published, "--published")
    if engine == "dask":
        _code_dask(paths or [], out_dir, scheduler, day)
        return
    if engine != "local":
        raise _fail(f"--engine {engine!r} is not one of local, dask")
    preload(models=models)
    inputs = _Inputs(paths or ["-"], day, language, Limits(max_chars=max_chars))
    out = sys.stdout
    n_coded = 0
    from dyad.parallel import code_stream  # spaCy: imported while the model loads beside
    from dyad.progress import Progress
    from dyad.records import confident

    with interruptible(), stdout_guard():
        try:
            plan = inputs.plan(jobs)
            with Progress(plan.total, "coded") as progress:
                inputs.progress = progress
                for coded in code_stream(
                    plan.articles,
                    n_process=plan.n_process,
                    batch_size=plan.batch_size,
                    on_error=inputs.on_error,
                    on_skip=inputs.on_skip,
                    models=models,
                ):
                    kept = confident(coded.records, min_confidence)
                    out.write("".join(dumps(record) + "\n" for record in kept))
                    if plan.batch_size == 1:
                        out.flush()
                    n_coded += 1
                    progress.advance()
        except Interrupted as exc:
            out.flush()
            raise _interrupted(exc, f"{n_coded} articles coded, their records written") from None
    _finish(progress, inputs)
    if inputs.failed:
        raise typer.Exit(1)


def _code_dask(paths: list[str], out: Path | None, scheduler: str | None, day: date | None) -> None:
    from dyad.distributed import code_dask

    if out is None:
        raise _fail("--engine dask writes Parquet: give the output folder with --out DIR")
    if not paths or "-" in paths:
        raise _fail("--engine dask reads .jsonl or .parquet files or folders, not stdin")
    try:
        summary = code_dask([Path(p) for p in paths], out, scheduler=scheduler, published=day)
    except DyadError as exc:
        raise _fail(str(exc)) from None
    for error in summary.errors:
        typer.echo(f"dyad: error: {error}", err=True)
    typer.echo(
        f"dyad: {out}: {summary.articles} articles coded in {summary.partitions} partitions; "
        f"{summary.events} events and {summary.claims} claims written",
        err=True,
    )
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, folders, feeds or URLs to code and store; '-': stdin."),
    ] = None,
    db: Annotated[Path, typer.Option(help="DuckDB store file.")] = Path("dyad.duckdb"),
    published: Annotated[
        str | None, typer.Option(help="Publication date for inputs that carry none.")
    ] = None,
    jobs: Annotated[
        int, typer.Option(help="Parser processes (0: one per core for more than a few articles).")
    ] = 0,
    language: Annotated[str, typer.Option(help=LANGUAGE_HELP)] = "auto",
    models: Annotated[
        bool, typer.Option("--models/--no-models", help="Use the learned models (rules only: no).")
    ] = True,
    watch: Annotated[
        list[str] | None,
        typer.Option(help="A folder, feed file or feed URL to poll (repeatable); see --every."),
    ] = None,
    every: Annotated[
        str, typer.Option(help="With --watch: poll this often (15m, 90s, 2h).")
    ] = "15m",
    rounds: Annotated[int, typer.Option(help="With --watch: stop after N rounds (0: never).")] = 0,
    max_chars: MaxChars = DEFAULT_LIMITS.max_chars,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Code articles and store articles, events and claims in DuckDB (re-runs add nothing).

    Articles are written in short batches and the store file is released between them, so
    `dyad events` and `dyad dyads` can read it meanwhile; a second ingest waits its turn.
    With --watch, keep the store current: read the sources again every --every and ingest
    what is new, until interrupted (Ctrl-C)."""
    from dyad.store import open_store
    from dyad.watch import parse_interval
    from dyad.watch import watch as watch_loop

    _setup_logging(verbose)
    sources = [*(paths or []), *(watch or [])]
    if not sources:
        raise _fail("give the files, folders, feeds or URLs to ingest (or --watch SOURCE)")
    day = _parse_day(published, "--published")
    limits = Limits(max_chars=max_chars)

    said: set[str] = set()

    def waiting(message: str) -> None:
        if message not in said:  # the store is opened again for every batch: say it once
            said.add(message)
            typer.echo(f"dyad: {message}", err=True)

    failed = 0
    with interruptible():
        try:
            interval = parse_interval(every)
            store = open_store(db, on_wait=waiting)
        except DyadError as exc:
            raise _fail(str(exc)) from None
        except Interrupted as exc:
            raise _interrupted(exc, "nothing stored yet") from None
        with store:
            if not watch:
                failed = _ingest_round(
                    store, db, _Inputs(sources, day, language, limits), jobs, models
                )
            else:

                def one_round(n: int) -> None:
                    nonlocal failed
                    typer.echo(f"dyad: watch round {n}: {', '.join(sources)}", err=True)
                    inputs = _Inputs(sources, day, language, limits)
                    failed += _ingest_round(store, db, inputs, jobs, models)

                try:
                    watch_loop(one_round, interval, rounds=rounds)
                except Interrupted as exc:
                    if exc.signum != signal.SIGINT:
                        raise _interrupted(exc, f"watch of {db} stopped") from None
                    typer.echo("dyad: watch stopped", err=True)
    if failed:
        raise typer.Exit(1)


def _ingest_round(store: Store, db: Path, inputs: _Inputs, jobs: int, models: bool) -> int:
    """Ingest the inputs once; prints the summary; returns how many inputs failed."""
    from dyad.distributed import is_output, read_output
    from dyad.parallel import code_stream
    from dyad.progress import Progress
    from dyad.store import IngestStats
    from dyad.store import ingest as store_ingest

    done = [p for p in inputs.paths if is_output(Path(p))]
    if done:  # folders written by `dyad code --engine dask`: already coded
        inputs.paths = [p for p in inputs.paths if p not in done]
        for folder in done:
            stats = store_ingest(store, read_output(Path(folder)))
            typer.echo(
                f"dyad: {db}: {folder}: {stats.added} articles added, {stats.replaced} "
                f"replaced, {stats.unchanged} unchanged; {stats.events} events and "
                f"{stats.claims} claims written",
                err=True,
            )
        if not inputs.paths:
            return inputs.failed
    plan = inputs.plan(jobs)
    unchanged = 0
    so_far = IngestStats()

    def stored(stats: IngestStats) -> None:
        nonlocal so_far
        so_far = stats

    with Progress(plan.total, "ingested") as progress:
        inputs.progress = progress

        def fresh() -> Iterator[Article]:
            nonlocal unchanged
            articles = iter(plan.articles)
            while chunk := list(islice(articles, max(1, plan.batch_size))):
                current = [store.is_current(article) for article in chunk]
                store.release()  # coding happens with the file free for readers
                for article, is_current in zip(chunk, current, strict=True):
                    if is_current:
                        unchanged += 1
                        progress.advance(passed=True)
                    else:
                        yield article

        def triples() -> Iterator[tuple[Article, str, Sequence[Record]]]:
            for coded in code_stream(
                fresh(),
                n_process=plan.n_process,
                batch_size=plan.batch_size,
                on_error=inputs.on_error,
                on_skip=inputs.on_skip,
                models=models,
            ):
                yield coded.article, coded.clean_text, coded.records
                progress.advance()

        try:
            stats = store_ingest(store, triples(), progress=stored)
        except DyadError as exc:
            raise _fail(str(exc)) from None
        except Interrupted as exc:
            n_stored = so_far.added + so_far.replaced
            raise _interrupted(
                exc, f"{n_stored} articles stored in {db} so far; run the same command to resume"
            ) from None
    _finish(progress, inputs)
    refused = f"; {inputs.failed} inputs refused" if inputs.failed else ""
    typer.echo(
        f"dyad: {db}: {stats.added} articles added, {stats.replaced} replaced, "
        f"{unchanged + stats.unchanged} unchanged; {stats.events} events and "
        f"{stats.claims} claims written{inputs.summary()}{refused}",
        err=True,
    )
    return inputs.failed


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
CountryOpt = Annotated[str | None, typer.Option(help="ISO alpha-3 country of the event's place.")]


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
@_quiet_pipe
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
@_quiet_pipe
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
                r.a,
                r.b,
                str(r.events),
                str(r.mentions),
                str(r.cooperation),
                str(r.conflict),
                f"{r.mean_goldstein:+.2f}",
                str(r.first or ""),
                str(r.last or ""),
            ]
            for r in rows
        ],
        [
            "SOURCE" if directed else "A",
            "TARGET" if directed else "B",
            "EVENTS",
            "MENTIONS",
            "COOP",
            "CONFLICT",
            "GOLDSTEIN",
            "FIRST",
            "LAST",
        ],
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
@_quiet_pipe
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
    _write_rows([query.series_row(p, measure) for p in points], fmt)


@app.command()
@_quiet_pipe
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
@_quiet_pipe
def export_(
    db: DbOpt = Path("dyad.duckdb"),
    fmt: Annotated[str, typer.Option("--format", help="gdelt, plover, parquet or csv.")] = "csv",
    out: Annotated[
        Path | None,
        typer.Option(help="A folder (gdelt, parquet) or a file; standard output if omitted."),
    ] = None,
    table: Annotated[str, typer.Option(help="csv only: events, mentions or actors.")] = "events",
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
    from dyad.entry import show_actors

    status = show_actors(query, _parse_day(on, "--date"))
    if status:
        raise typer.Exit(status)


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
    models: Annotated[
        bool, typer.Option("--models/--no-models", help="Use the learned models (rules only: no).")
    ] = True,
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
            models=models,
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
    from dyad.entry import reporting
    from dyad.progress import pin_blas_threads

    pin_blas_threads()
    sys.exit(reporting(app))
