"""Feeds and the web: RSS/Atom files and URLs, and single article URLs -> articles.

* A **feed** (RSS 0.9x-2.0, RSS 1.0 or Atom, parsed by ``feedparser``) gives one article per
  item: its link as ``url``, its title, its publication date, and its HTML content (or
  summary) as the text; the feed's own title is the ``source``. The item's id (``guid``,
  Atom ``id``) or else its link is the article id. Nothing behind the links is fetched.
* A **URL** is fetched with ``httpx``: redirects followed (at most :data:`MAX_REDIRECTS`),
  :data:`TIMEOUT_S` seconds per step, at most :data:`MAX_BYTES` read, with a user agent that
  names dyad (:data:`USER_AGENT`). A feed served there is read as a feed; a web page becomes
  one article (main text by trafilatura, as for a saved page); plain text one article.

Like the other readers, these never raise for a bad input: each failed URL, unparsable feed
or empty item is yielded as an :class:`~dyad.errors.InputError` naming it.
"""

from __future__ import annotations

import calendar
import hashlib
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from dyad._version import __version__
from dyad.errors import InputError
from dyad.model import Article

log = logging.getLogger(__name__)

FEED_SUFFIXES = (".rss", ".atom", ".xml")
"""Files read as feeds."""
TIMEOUT_S = 20.0
MAX_BYTES = 10 * 1024 * 1024
"""A response larger than this is refused (no news page or feed comes near it)."""
MAX_REDIRECTS = 5
USER_AGENT = f"dyad/{__version__} (event-data coder; fetches what it is given, no crawling)"

_FEED_TYPES = ("rss", "atom", "application/xml", "text/xml", "application/rdf")
_FEED_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(rss|feed|rdf:RDF)\b", re.S)


def is_url(arg: str) -> bool:
    """True for an http(s) address."""
    return arg.lower().startswith(("http://", "https://"))


def is_feed_path(path: Path) -> bool:
    """True for a file that is read as a feed (by its suffix)."""
    return path.suffix.lower() in FEED_SUFFIXES and not path.is_dir()


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes start like an RSS, RDF or Atom document."""
    return _FEED_START.match(data[:2048]) is not None


# --- feeds -------------------------------------------------------------------------------


def read_feed(
    data: bytes, origin: str, *, published: date | None = None
) -> Iterator[Article | InputError]:
    """The items of an RSS or Atom document as articles (see the module docstring)."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or [])
    if not entries:
        why = parsed.get("bozo_exception")
        if parsed.get("version") or (not why and looks_like_feed(data)):
            yield InputError(origin, "the feed has no items")
        else:
            reason = f" ({str(why).strip()})" if why else ""
            yield InputError(origin, f"not an RSS or Atom feed{reason}")
        return
    feed_title = _clean(parsed.get("feed", {}).get("title"))
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        where = f"{origin}#{i}"
        try:
            article = _item_article(entry, where, feed_title, published)
        except InputError as exc:
            yield exc
            continue
        if article.id in seen:
            yield InputError(where, f"duplicate item id {article.id!r}")
            continue
        seen.add(article.id)
        yield article


def _item_article(
    entry: Any, origin: str, feed_title: str | None, published: date | None
) -> Article:
    from dyad.read import article_from_text

    link = _clean(entry.get("link"))
    title = _clean(entry.get("title"))
    body, is_html = _item_body(entry)
    if body is None:
        raise InputError(origin, "the feed item has no content or summary")
    text = _html_text(body) if is_html else body
    ident = _clean(entry.get("id")) or link or _digest(text)
    return article_from_text(
        _with_title(title, text),
        id=ident,
        published=_entry_date(entry) or published,
        url=link,
        title=title,
        source=feed_title,
        origin=origin,
    )


def _with_title(title: str | None, text: str) -> str:
    """The item text, headed by its title unless the text already starts with it."""
    if title and not text.lstrip().startswith(title):
        return f"{title}\n\n{text}"
    return text


def _item_body(entry: Any) -> tuple[str | None, bool]:
    """The richest text of an item: full content, else the summary; and whether it is HTML."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if isinstance(value, str) and value.strip():
            return value, "html" in str(content.get("type", "")).lower()
    summary = entry.get("summary")
    if isinstance(summary, str) and summary.strip():
        detail = entry.get("summary_detail") or {}
        return summary, "html" in str(detail.get("type", "text/html")).lower()
    return None, False


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            stamp = calendar.timegm(value)
            return datetime.fromtimestamp(stamp, tz=UTC).date()
    return None


def _clean(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _digest(text: str) -> str:
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


class _TextOf(HTMLParser):
    """Text of an HTML fragment, with block elements on lines of their own."""

    _BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "tr", "blockquote"})
    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:  # line breaks inside HTML text are spaces
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


def _html_text(fragment: str) -> str:
    parser = _TextOf()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n\n".join(line for line in lines if line)


# --- the web -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched resource: the address it ended at, its media type and its bytes."""

    url: str
    content_type: str
    data: bytes


def fetch(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> Fetched:
    """GET ``url``; :class:`InputError` naming it and the reason when that fails."""
    import httpx

    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=timeout,
                headers=headers,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(url, f"HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise InputError(url, f"larger than {max_bytes} bytes ({declared})")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise InputError(url, f"larger than {max_bytes} bytes")
                chunks.append(chunk)
            ctype = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(str(response.url), ctype, b"".join(chunks))
    except httpx.TooManyRedirects as exc:
        raise InputError(url, f"more than {MAX_REDIRECTS} redirects") from exc
    except httpx.TimeoutException as exc:
        raise InputError(url, f"timed out after {timeout:g}s") from exc
    except httpx.InvalidURL as exc:
        raise InputError(url, f"not a valid URL ({exc})") from exc
    except httpx.HTTPError as exc:
        raise InputError(url, f"cannot be fetched ({type(exc).__name__}: {exc})") from exc


def read_url(url: str, *, published: date | None = None) -> Iterator[Article | InputError]:
    """The article (or the feed's articles) at ``url``."""
    from dyad.boundary import decode as _decode
    from dyad.read import article_from_html, article_from_text

    try:
        got = fetch(url)
    except InputError as exc:
        yield exc
        return
    log.debug("%s: %d bytes of %s from %s", url, len(got.data), got.content_type, got.url)
    if any(t in got.content_type for t in _FEED_TYPES) or looks_like_feed(got.data):
        yield from read_feed(got.data, url, published=published)
        return
    try:
        text = _decode(got.data, url, html=True)
        if got.content_type == "text/plain":
            yield article_from_text(text, id=got.url, published=published, url=got.url, origin=url)
        else:
            yield article_from_html(text, id=got.url, published=published, url=got.url, origin=url)
    except InputError as exc:
        yield exc


def read_feed_file(path: Path, *, published: date | None = None) -> Iterator[Article | InputError]:
    """The items of a saved feed file."""
    from dyad.read import _read_bytes

    try:
        data = _read_bytes(path, str(path))
    except InputError as exc:
        yield exc
        return
    if not data.strip():
        yield InputError(str(path), "empty file")
        return
    yield from read_feed(data, str(path), published=published)
