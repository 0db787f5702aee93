"""The routes: each page and its ``.json`` twin is one function registered twice, a thin
rendering of one view builder (:mod:`dyad.serve.views`)."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from dyad.serve import views
from dyad.serve.app import next_url, problem, render, reply, state
from dyad.serve.charts import dyad_chart, events_chart, place_map
from dyad.serve.params import DEFAULT_PAGE, MAX_PAGE, RawFilters
from dyad.serve.write import code_and_store, parse_upload

router = APIRouter()

MAX_ID = 2**63 - 1
NOT_FOUND: dict[str, Any] = {"openapi_extra": {"x-problems": ["404"]}}
F = TypeVar("F", bound=Callable[..., Any])


def twin(html: str, json: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a view at a page path and at its ``.json`` twin (the twin first, so that a
    catch-all page path never takes it; only the twin is in the OpenAPI spec)."""

    def register(fn: F) -> F:
        router.get(json, **kwargs)(fn)
        router.get(html, include_in_schema=False)(fn)
        return fn

    return register


Limit = Annotated[int, Query(ge=0, le=MAX_PAGE, description=f"Page size (at most {MAX_PAGE}).")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Rows to skip first.")]
By = Annotated[views.Period, Query(description="day, week, month or year.")]
AutoBy = Annotated[
    views.AutoPeriod, Query(description="day, week, month, year, or auto (by the span).")
]


def raw_filters(
    actor: Annotated[
        str | None, Query(description="An actor by code (RUS, RUSGOV, NATO) or name (Russia).")
    ] = None,
    dyad: Annotated[
        list[str] | None, Query(description="Two actors (give the parameter twice).")
    ] = None,
    directed: Annotated[
        str | None, Query(description="true: only what the first actor did to the second.")
    ] = None,
    since: Annotated[str | None, Query(description="Events on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Events on or before YYYY-MM-DD.")] = None,
    status: Annotated[
        list[str] | None,
        Query(description="asserted, negated, future or hypothetical (repeatable)."),
    ] = None,
    min_confidence: Annotated[
        str | None, Query(description="Only events at least this confident (0..1).")
    ] = None,
    quad: Annotated[list[str] | None, Query(description="Quad class 1-4 (repeatable).")] = None,
    cameo: Annotated[str | None, Query(description="CAMEO code prefix, e.g. 04 or 172.")] = None,
    plover: Annotated[str | None, Query(description="PLOVER type, e.g. CONSULT.")] = None,
    country: Annotated[
        str | None, Query(description="ISO alpha-3 country of the event's place.")
    ] = None,
) -> RawFilters:
    return RawFilters(
        actor, tuple(dyad or ()), directed, since, until, tuple(status or ()), min_confidence,
        tuple(quad or ()), cameo, plover, country,
    )  # fmt: skip


Raw = Annotated[RawFilters, Depends(raw_filters)]


def _paged(request: Request, model: Any, limit: int, offset: int) -> Any:
    return model.model_copy(update={"next": next_url(request, len(model.items), limit, offset)})


@twin("/", "/index.json", response_model=views.Overview, tags=["pages"])
def overview(request: Request, raw: Raw) -> Response:
    """The front page: store totals, events per day, the top dyads, event places."""
    with state(request).reading() as store:
        view = views.overview(store, raw)
    chart = events_chart([_point(r) for r in view.series], f"Events per {view.by} (asserted)")
    return reply(request, view, "overview.html", raw=raw, chart=chart, map=place_map(view.places))


def _point(row: views.SeriesRow) -> Any:
    from dyad.query import SeriesPoint

    return SeriesPoint(
        row.period, row.events, row.mentions, row.goldstein_sum, row.goldstein_mean,
        (row.quad1, row.quad2, row.quad3, row.quad4),
    )  # fmt: skip


@twin("/events", "/events.json", response_model=views.EventsPage, tags=["events"])
def events(request: Request, raw: Raw, limit: Limit = DEFAULT_PAGE, offset: Offset = 0) -> Response:
    """Events (mentions grouped across articles), oldest first, with every CLI filter."""
    with state(request).reading() as store:
        view = _paged(request, views.events_page(store, raw, limit, offset), limit, offset)
    return reply(request, view, "events.html", raw=raw)


@twin(
    "/events/{event_id}",
    "/events/{event_id}.json",
    response_model=views.EventView,
    tags=["events"],
    **NOT_FOUND,
)
def event(request: Request, event_id: Annotated[int, PathParam(ge=0, le=MAX_ID)]) -> Response:
    """One event with all its mentions: each one's article, evidence, trigger and actors."""
    with state(request).reading() as store:
        view = views.event_view(store, event_id)
    return reply(request, view, "event.html")


@twin("/dyads", "/dyads.json", response_model=views.DyadsPage, tags=["dyads"])
def dyads(request: Request, raw: Raw, limit: Limit = DEFAULT_PAGE, offset: Offset = 0) -> Response:
    """Pairs of actors, busiest first (asserted events unless ``status`` says otherwise)."""
    with state(request).reading() as store:
        view = _paged(request, views.dyads_page(store, raw, limit, offset), limit, offset)
    return reply(request, view, "dyads.html", raw=raw)


@twin(
    "/dyads/{a}/{b}",
    "/dyads/{a}/{b}.json",
    response_model=views.DyadView,
    tags=["dyads"],
    **NOT_FOUND,
)
def dyad(
    request: Request,
    a: str,
    b: str,
    raw: Raw,
    by: AutoBy = "auto",
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
) -> Response:
    """Two actors: cooperation and conflict per period, mean Goldstein, their events."""
    with state(request).reading() as store:
        view = _paged(request, views.dyad_view(store, a, b, raw, by, limit, offset), limit, offset)
    chart = dyad_chart([_point(r) for r in view.series], f"{a} – {b} per {view.by}")
    return reply(request, view, "dyad.html", raw=raw, chart=chart)


@twin(
    "/actors/{name}",
    "/actors/{name}.json",
    response_model=views.ActorView,
    tags=["actors"],
    **NOT_FOUND,
)
def actor(request: Request, name: str, raw: Raw, limit: Limit = DEFAULT_PAGE) -> Response:
    """An actor by code or name: what dyad knows, its busiest dyads, its events."""
    with state(request).reading() as store:
        view = views.actor_view(store, name, raw, limit)
    return reply(request, view, "actor.html", raw=raw)


@twin(
    "/articles/{article_id:path}",
    "/articles/{article_id:path}.json",
    response_model=views.ArticlePage,
    tags=["articles"],
    **NOT_FOUND,
)
def article(request: Request, article_id: str) -> Response:
    """A stored article's cleaned text with every evidence sentence marked."""
    with state(request).reading() as store:
        view = views.article_page(store, article_id)
    return reply(request, view, "article.html")


@router.get("/series.json", response_model=views.SeriesView, tags=["analysis"])
def series(request: Request, raw: Raw, by: By = "month") -> Response:
    """Events per period, zero-filled: counts, mentions, Goldstein sum and mean, quads."""
    with state(request).reading() as store:
        view = views.series_view(store, raw, by)
    return reply(request, view, "")


@router.get("/network.json", response_model=views.NetworkView, tags=["analysis"])
def network(
    request: Request,
    raw: Raw,
    top: Annotated[int, Query(ge=1, le=MAX_PAGE, description="The busiest edges.")] = 50,
) -> Response:
    """Who acts on whom: weighted directed edges, the busiest first."""
    with state(request).reading() as store:
        view = views.network_view(store, raw, top)
    return reply(request, view, "")


@router.get("/actors.json", response_model=views.ActorsView, tags=["actors"], **NOT_FOUND)
def actors(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="A name or a code.")],
) -> Response:
    """What the knowledge base knows about a name or code (like ``dyad actors``)."""
    return reply(request, views.actors_view(q), "")


@router.get("/stats.json", response_model=views.StatsView, tags=["analysis"])
def stats(request: Request) -> Response:
    """How much the store holds."""
    with state(request).reading() as store:
        view = views.stats_view(store)
    return reply(request, view, "")


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-ndjson": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    },
    "x-problems": ["401", "403", "413"],
}


@router.post(
    "/articles",
    response_model=views.IngestResult,
    tags=["articles"],
    openapi_extra=UPLOAD_BODY,
)
async def post_articles(request: Request) -> Response:
    """Code and store articles: JSON lines (``id``, ``text`` or ``html``, ``published``,
    ``url``, ``title``, ``source``) as the body or as a multipart ``file``. Needs
    ``Authorization: Bearer TOKEN``; a bad line rejects the whole request."""
    s = state(request)
    if s.token is None:
        return problem(
            request, 403, "writes are off: start `dyad serve` with --token (or DYAD_TOKEN) to "
            "accept POST /articles",
        )  # fmt: skip
    given = request.headers.get("authorization", "")
    scheme, _, credential = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credential.strip().encode(), s.token.encode()
    ):
        return problem(
            request, 401, "missing or wrong bearer token: send `Authorization: Bearer TOKEN`",
            **{"WWW-Authenticate": 'Bearer realm="dyad"'},
        )  # fmt: skip
    data, name = await _upload(request)
    articles = parse_upload(data, name)

    def store_them() -> views.IngestResult:
        with s.coding:
            from dyad.pipeline import analyze_many

            list(analyze_many([]))  # load the model outside the write lock
            with s.writing():
                st = code_and_store(s.db, articles)
        return views.IngestResult(
            added=st.added, unchanged=st.unchanged, replaced=st.replaced, events=st.events,
            claims=st.claims,
        )  # fmt: skip

    result = await run_in_threadpool(store_them)
    return Response(result.model_dump_json(), media_type="application/json")


async def _upload(request: Request) -> tuple[bytes, str]:
    """The body's bytes and a name for error messages (the uploaded file's, if any)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            from dyad.errors import InputError
            from dyad.serve.write import UploadError

            raise UploadError([InputError("upload", "no file field named 'file'")])
        return await upload.read(), upload.filename or "upload"
    return await request.body(), "body"


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> Response:
    """The API's documentation, rendered from its OpenAPI spec (no script, no CDN)."""
    spec = request.app.openapi()
    html = render(request, "docs.html", spec=spec, ops=_operations(spec))
    return Response(html, media_type="text/html; charset=utf-8")


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            out.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "responses": sorted(op.get("responses", {})),
                }
            )
    return out


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> FileResponse:
    from pathlib import Path

    return FileResponse(
        Path(__file__).parent / "static" / "favicon.svg", media_type="image/svg+xml"
    )
