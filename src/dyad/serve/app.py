"""The ASGI app: configuration, store access per request, replies, errors, security headers.

Requests read the store through one shared read-only connection that is closed and reopened
every second (:class:`SharedReader`), so the server never holds DuckDB's file lock for long
and ``dyad ingest`` in another process can write in between. Within the process, a
readers-writer lock lets reads run together and makes them wait (instead of failing) during
the short store write of a POST.

Replies: a view model renders as a Jinja2 page or, on a ``.json`` path or an
``Accept: application/json`` request, as JSON; both carry an ETag (a hash of the body,
answered with 304 on ``If-None-Match``) and ``Cache-Control: no-cache``. Errors are RFC 9457
problem objects (``application/problem+json``) carrying the CLI's message, or an HTML page
with the same message for a page request.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel

from dyad._version import __version__
from dyad.errors import DyadError, QueryError, StoreError
from dyad.serve.queries import NotFound
from dyad.serve.views import Problem
from dyad.store import Store, open_store

log = logging.getLogger(__name__)

MAX_BODY = 10 * 1024 * 1024
"""Default limit of a request body, in bytes."""
CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
"""No script at all (charts are server-side SVG), styles and images from the server only."""
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
PROBLEM = "application/problem+json"


class ReadWriteLock:
    """Many readers or one writer; a waiting writer holds back new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writing or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class SharedReader:
    """One read-only connection shared by the requests in flight, each with its own cursor.

    Opening a DuckDB file costs tens of milliseconds, so requests share a connection; but the
    connection holds the file's lock, so it is retired when it is older than ``max_age``
    seconds: new requests wait until those in flight finish, the file is closed for ``pause``
    seconds (a writer in another process, such as ``dyad ingest``, takes the lock then), and
    the next request opens it again. The server therefore never holds the lock for longer
    than ``max_age`` plus its slowest request.
    """

    def __init__(self, db: Path, max_age: float = 1.0, pause: float = 0.05) -> None:
        self.db = db
        self.max_age = max_age
        self.pause = pause
        self._cond = threading.Condition()
        self._store: Store | None = None
        self._opened = 0.0
        self._closed = 0.0
        self._users = 0
        self._retiring = False

    def _acquire(self) -> Store:
        with self._cond:
            while True:
                now = time.monotonic()
                if self._store is not None and now - self._opened > self.max_age:
                    self._retiring = True
                if self._retiring:
                    if self._users:
                        self._cond.wait()
                        continue
                    self._close()
                wait = self._closed + self.pause - now
                if self._store is None and wait > 0:
                    self._cond.wait(timeout=wait)
                    continue
                if self._store is None:
                    self._store = open_store(self.db, read_only=True)
                    self._opened = time.monotonic()
                self._users += 1
                return self._store

    def _close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
            self._closed = time.monotonic()
        self._retiring = False

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A store for one request: the shared connection's own cursor."""
        shared = self._acquire()
        cursor = shared.db.cursor()
        try:
            yield _cursor_store(shared, cursor)
        finally:
            cursor.close()
            with self._cond:
                self._users -= 1
                self._cond.notify_all()

    def close(self) -> None:
        """Close the shared connection now (no request may be using it)."""
        with self._cond:
            self._close()
            self._cond.notify_all()


def _cursor_store(shared: Store, cursor: Any) -> Store:
    """A Store over one cursor of a shared connection (a DuckDB connection must not run
    queries from two threads at once; its cursors may)."""
    return Store.borrowing(shared.path, cursor)


@dataclass
class ServeState:
    """What every request needs: the store's path, the write token, the templates."""

    db: Path
    token: str | None = None
    max_body: int = MAX_BODY
    lock: ReadWriteLock = field(default_factory=ReadWriteLock)
    coding: threading.Lock = field(default_factory=threading.Lock)
    templates: Environment = field(
        default_factory=lambda: Environment(
            loader=PackageLoader("dyad.serve", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
        )
    )

    reader: SharedReader | None = None

    def __post_init__(self) -> None:
        self.reader = SharedReader(self.db)

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """The store, read-only, for the duration of one request."""
        assert self.reader is not None
        with self.lock.read(), self.reader.store() as store:
            yield store

    @contextmanager
    def writing(self) -> Iterator[None]:
        """No reader in this process while the store is written (DuckDB refuses to open a
        file for writing that the same process has open read-only)."""
        assert self.reader is not None
        with self.lock.write():
            self.reader.close()
            yield


def state(request: Request) -> ServeState:
    s = request.app.state.dyad
    assert isinstance(s, ServeState)
    return s


# -- replies ----------------------------------------------------------------------------------


def wants_json(request: Request) -> bool:
    """A ``.json`` path, an API path, or a client that asks for JSON rather than HTML."""
    path = request.url.path
    if path.endswith(".json") or request.method != "GET":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def _etag_reply(request: Request, body: bytes, media_type: str, status: int = 200) -> Response:
    etag = f'"{hashlib.sha1(body).hexdigest()[:24]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    match = request.headers.get("if-none-match", "")
    if status == 200 and etag in [t.strip().removeprefix("W/") for t in match.split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def reply(request: Request, model: BaseModel, template: str, **context: Any) -> Response:
    """The view as JSON (the twin) or as the page ``template``, with an ETag."""
    if wants_json(request):
        return _etag_reply(request, model.model_dump_json().encode(), "application/json")
    html = render(request, template, view=model, **context)
    return _etag_reply(request, html.encode(), "text/html; charset=utf-8")


def render(request: Request, template: str, **context: Any) -> str:
    env = state(request).templates
    return env.get_template(template).render(request=request, links=Links(request), **context)


class Links:
    """URLs the templates link to (every path segment quoted)."""

    def __init__(self, request: Request) -> None:
        self.request = request

    @staticmethod
    def event(event_id: int) -> str:
        return f"/events/{event_id}"

    @staticmethod
    def article(article_id: str, anchor: str | None = None) -> str:
        return f"/articles/{quote(article_id, safe='')}" + (f"#{anchor}" if anchor else "")

    @staticmethod
    def dyad(a: str, b: str) -> str:
        return f"/dyads/{quote(a, safe='')}/{quote(b, safe='')}"

    @staticmethod
    def actor(name: str) -> str:
        return f"/actors/{quote(name, safe='')}"

    def twin(self) -> str:
        """This page's JSON twin."""
        path = self.request.url.path.rstrip("/") or "/index"
        query = self.request.url.query
        return path + ".json" + (f"?{query}" if query else "")

    def page(self, offset: int) -> str:
        """This page with another offset."""
        items = [(k, v) for k, v in self.request.query_params.multi_items() if k != "offset"]
        return self.request.url.path + "?" + urlencode([*items, ("offset", str(offset))])


def next_url(request: Request, count: int, limit: int, offset: int) -> str | None:
    """The URL of the next page, when this one is full."""
    if limit == 0 or count < limit:
        return None
    items = [(k, v) for k, v in request.query_params.multi_items() if k != "offset"]
    return request.url.path + "?" + urlencode([*items, ("offset", str(offset + limit))])


# -- errors -----------------------------------------------------------------------------------


def problem(request: Request, status: int, detail: str, **headers: str) -> Response:
    """An RFC 9457 problem object, or an HTML page with the same message for a page request."""
    title = HTTPStatus(status).phrase
    if not wants_json(request):
        html = render(request, "error.html", title=title, status=status, detail=detail)
        return Response(html, status_code=status, media_type="text/html", headers=headers)
    body = Problem(title=title, status=status, detail=detail, instance=request.url.path)
    return Response(body.model_dump_json(), status_code=status, media_type=PROBLEM, headers=headers)


def _status_of(exc: DyadError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, QueryError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    return 400


async def _dyad_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DyadError)
    status = _status_of(exc)
    extra = {"Retry-After": "1"} if status == 503 else {}
    return problem(request, status, str(exc), **extra)


def _option(loc: tuple[Any, ...]) -> str:
    name = str(loc[-1]) if loc else "request"
    return "--" + name.replace("_", "-") if len(loc) > 1 and loc[0] == "query" else name


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors()[:3]:
        value = err.get("input")
        shown = f" {value!r}" if isinstance(value, str | int | float) else ""
        parts.append(f"{_option(tuple(err.get('loc', ())))}{shown}: {err.get('msg', 'invalid')}")
    return problem(request, 400, "; ".join(parts) or "invalid request")


async def _http_error(request: Request, exc: Exception) -> Response:
    status = int(getattr(exc, "status_code", 500))
    detail = getattr(exc, "detail", None) or HTTPStatus(status).phrase
    if status == 404 and detail == "Not Found":
        detail = f"{request.url.path}: no such page (the API is listed at /docs)"
    headers = dict(getattr(exc, "headers", None) or {})
    return problem(request, status, str(detail), **headers)


# -- middleware -------------------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


class Guard:
    """Adds the security headers to every response, and refuses request bodies over
    ``limit`` bytes with 413 (by their Content-Length, or while they stream in)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0
        started = False

        async def counting() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge
            return message

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(with_headers, scope)
            return
        try:
            await self.app(scope, counting, with_headers)
        except BodyTooLarge:
            if not started:
                await self._refuse(with_headers, scope)

    async def _refuse(self, send: Send, scope: Scope) -> None:
        detail = f"the request body is over the limit of {self.limit} bytes; nothing was stored"
        body = Problem(
            title="Content Too Large", status=413, detail=detail, instance=scope.get("path")
        ).model_dump_json()
        headers = [
            (b"content-type", PROBLEM.encode()),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body.encode()})


_HEADERS = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]


# -- the app ----------------------------------------------------------------------------------

DESCRIPTION = """The events of a dyad store over HTTP. Every dashboard page has a `.json`
twin (or answer `Accept: application/json`) holding the same rows. Filters are those of
`dyad events`; errors are RFC 9457 problem objects with the CLI's messages. Writes
(`POST /articles`) are off unless the server was started with a token."""


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The spec, with validation errors documented as they are sent: 400 problem objects."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title="dyad", version=__version__, description=DESCRIPTION, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        ref = {"$ref": "#/components/schemas/Problem"}
        for ops in spec.get("paths", {}).values():
            for op in ops.values():
                responses = op.setdefault("responses", {})
                responses.pop("422", None)
                codes = [*op.pop("x-problems", []), "400", "503"]
                for code in codes:
                    phrase = HTTPStatus(int(code)).phrase
                    responses[code] = {
                        "description": phrase,
                        "content": {PROBLEM: {"schema": ref}},
                    }
        app.openapi_schema = spec
        return spec

    return build


def create_app(db: str | Path, *, token: str | None = None, max_body: int = MAX_BODY) -> FastAPI:
    """The server over the store at ``db`` (which must exist; see :func:`prepare_store`).

    ``token``: writes (``POST /articles``) need ``Authorization: Bearer TOKEN``; None turns
    them off."""
    from dyad.serve.routes import router

    app = FastAPI(
        title="dyad",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
    )
    app.state.dyad = ServeState(Path(db), token or None, max_body)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    app.add_exception_handler(DyadError, _dyad_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for status in (404, 405):
        app.add_exception_handler(status, _http_error)
    app.add_middleware(Guard, limit=max_body)
    static = Path(__file__).parent / "static"
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(router)
    return app


def prepare_store(db: str | Path, *, create: bool = False) -> None:
    """Make sure the store exists and is current (grouping an older store's mentions once,
    so that requests only ever open it read-only)."""
    from dyad.query import open_for_query

    path = Path(db)
    if not path.exists():
        if not create:
            raise StoreError(
                f"{path}: no such store; create it with `dyad ingest PATH --db {path}`"
            )
        open_store(path).close()
    open_for_query(path).close()
