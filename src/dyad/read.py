"""Stage 1: inputs -> :class:`dyad.model.Article`.

Inputs are plain-text files, saved web pages (``.html``/``.htm``), JSONL files with one
article per line, RSS/Atom feeds (``.rss``/``.atom``/``.xml``, and http(s) URLs of feeds or
pages, read by :mod:`dyad.feeds`), folders of those, and standard input. Everything is
read lazily, one article at a time: JSONL files and JSONL on standard input line by line,
so a corpus of any size (or a never-ending stream) is never held in memory. Every input is
decoded to text with ``"\\n"`` line endings before anything else sees it, so offsets
downstream are offsets into that normalised text.

Batch readers (:func:`read_path`, :func:`read_stdin`, :func:`iter_inputs`) never raise for a
bad input: they *yield* an :class:`~dyad.errors.InputError` in its place and go on with the
next one, so one broken file never stops a batch. The single-document builders
(:func:`article_from_text`, :func:`article_from_html`) raise it.

Decoding, normalisation and the size, depth and date limits live in :mod:`dyad.boundary`;
every entry point here goes through it. A web page whose markup defeats trafilatura (deep
nesting, broken tags) falls back to a plain extraction of its text (:mod:`dyad.htmltext`)
before it is refused.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import itertools
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

from dyad.boundary import (
    DEFAULT_LIMITS,
    Limits,
    check_html,
    check_published,
    check_text,
    decode,
    parse_json_line,
    sanitise,
)
from dyad.errors import InputError
from dyad.htmltext import plain_text
from dyad.model import Article

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".rss", ".atom", ".xml")
_EXPECTED = ".txt, .html, .htm, .jsonl, .rss, .atom or .xml"
_HTML_SUFFIXES = (".html", ".htm")

_STDIN = "<stdin>"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OPTIONAL_STRING_FIELDS = ("url", "title", "source")
_JSONL_FIELDS = frozenset({"id", "text", "html", "published", "language", *_OPTIONAL_STRING_FIELDS})


# --- single documents -------------------------------------------------------------------


def _text_id(text: str) -> str:
    """The content id of a text: ``sha1:`` and the first 16 hex digits of its SHA-1."""
    return "sha1:" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def article_from_text(
    text: str,
    *,
    id: str | None = None,
    published: date | None = None,
    url: str | None = None,
    title: str | None = None,
    source: str | None = None,
    origin: str = "<memory>",
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """An article from plain text (sanitised by :func:`dyad.boundary.check_text`; the id
    defaults to a content hash).

    Raises :class:`InputError` when the text is empty, only whitespace or over
    ``limits.max_chars``, or ``published`` is outside what the date stage can reckon from.
    """
    if not isinstance(text, str):
        raise InputError(origin, f"expected text as a str, got {type(text).__name__}")
    text = check_text(text, origin, limits)
    return Article(
        id=_optional(id) or _text_id(text),
        text=text,
        published=check_published(published, origin),
        url=_optional(url),
        title=_optional(title),
        source=_optional(source),
        origin=origin,
    )


def _optional(value: str | None) -> str | None:
    """A metadata string sanitised like the text (None when absent or emptied)."""
    return sanitise(value) or None if isinstance(value, str) else None


def article_from_html(
    html: str,
    *,
    id: str | None = None,
    published: date | None = None,
    url: str | None = None,
    origin: str = "<memory>",
    limits: Limits = DEFAULT_LIMITS,
) -> Article:
    """An article from a saved web page: main text, title and date extracted by trafilatura.

    Navigation, headers, footers, cookie banners, sidebars and comments are left out. Nothing
    is fetched. The date the page itself carries (its metadata or a dated element) wins over
    ``published``, which stands in for pages that carry none; ``url`` wins over the page's own
    canonical address. When trafilatura fails or finds no prose, the page's text is extracted
    plainly (:func:`dyad.htmltext.plain_text`). Raises :class:`InputError` when neither finds
    article text.
    """
    import trafilatura  # lazily: commands that read no HTML start faster

    html = check_html(html, origin, limits)
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (Exception, RecursionError) as exc:  # lxml fails in many ways on arbitrary input
        log.debug("%s: trafilatura failed (%s); extracting the text plainly", origin, exc)
        doc = None
    body = getattr(doc, "text", None)
    if not isinstance(body, str) or not _has_prose(body):
        return _plain_article(
            html, id=id, published=published, url=url, origin=origin, limits=limits
        )
    page_date = _page_date(getattr(doc, "date", None), origin)
    title = getattr(doc, "title", None)
    page_url = getattr(doc, "url", None)
    return article_from_text(
        body,
        id=id,
        published=page_date or published,
        url=url or (page_url if isinstance(page_url, str) and page_url else None),
        title=title.strip() if isinstance(title, str) and title.strip() else None,
        source=_site_name(doc),
        origin=origin,
        limits=limits,
    )


def _plain_article(
    html: str,
    *,
    id: str | None,
    published: date | None,
    url: str | None,
    origin: str,
    limits: Limits,
) -> Article:
    """The fallback: every text node of the page outside scripts, styles and the head."""
    body = plain_text(html)
    if not _has_prose(body):
        raise InputError(origin, "no article text found in the HTML page")
    log.debug("%s: article text extracted plainly (%d characters)", origin, len(body))
    return article_from_text(
        body, id=id, published=published, url=url, origin=origin, limits=limits
    )


_PROSE_MIN_WORDS = 6
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")


def _has_prose(text: str) -> bool:
    """True when some line is a sentence: at least a few words and a final full stop.

    On pages without an article, extraction falls back to whatever text it finds, often the
    menu ("Home", "World"); that is not an article.
    """
    return any(
        len(line.split()) >= _PROSE_MIN_WORDS and _SENTENCE_END.search(line)
        for line in text.split("\n")
    )


def _page_date(value: object, origin: str) -> date | None:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value[:10]):
        return None
    try:
        return check_published(date.fromisoformat(value[:10]), origin)
    except (ValueError, InputError):
        log.debug("%s: ignoring the page date %r", origin, value)
        return None


def _site_name(doc: Any) -> str | None:
    name = getattr(doc, "sitename", None)
    return name.strip() if isinstance(name, str) and name.strip() else None


# --- bytes to text ----------------------------------------------------------------------


def _unreadable(exc: OSError, origin: str) -> InputError:
    """The :class:`InputError` for a file that could not be opened or read."""
    if isinstance(exc, IsADirectoryError):
        return InputError(origin, "is a directory where a file was expected")
    if isinstance(exc, PermissionError):
        return InputError(origin, "permission denied")
    if isinstance(exc, FileNotFoundError):
        return InputError(origin, "no such file or directory")
    return InputError(origin, f"cannot be read ({exc.strerror or exc})")


def _read_bytes(path: Path, origin: str) -> bytes:
    # Path.read_bytes itself (not _open): tests stand in for it to simulate a failing read.
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable(exc, origin) from exc


# --- JSONL ------------------------------------------------------------------------------


def _jsonl_article(
    obj: object, origin: str, published: date | None, limits: Limits = DEFAULT_LIMITS
) -> Article:
    """One JSONL line (already parsed) as an article; :class:`InputError` when malformed."""
    if not isinstance(obj, dict):
        raise InputError(origin, f"expected a JSON object, got {_json_type(obj)}")
    if "id" not in obj:
        raise InputError(origin, "missing required field 'id'")
    art_id = obj["id"]
    if isinstance(art_id, str):
        art_id = sanitise(art_id)
    if not isinstance(art_id, str) or not art_id.strip():
        raise InputError(origin, f"field 'id' must be a non-empty string, got {art_id!r}")
    has_text = obj.get("text") is not None
    has_html = obj.get("html") is not None
    if has_text and has_html:
        raise InputError(origin, "has both 'text' and 'html'; give only one")
    if not has_text and not has_html:
        raise InputError(origin, "missing required field 'text' (or 'html')")
    body_key = "text" if has_text else "html"
    body = obj[body_key]
    if not isinstance(body, str):
        raise InputError(origin, f"field {body_key!r} must be a string, got {_json_type(body)}")
    if not body.strip():
        raise InputError(origin, f"field {body_key!r} is empty")
    strings: dict[str, str | None] = {}
    for key in (*_OPTIONAL_STRING_FIELDS, "language"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError(origin, f"field {key!r} must be a string, got {_json_type(value)}")
        strings[key] = value or None
    own_date = _jsonl_date(obj.get("published"), origin)
    unknown = sorted(set(obj) - _JSONL_FIELDS)
    if unknown:
        log.debug("%s: ignoring fields %s", origin, ", ".join(unknown))
    if has_html:
        article = article_from_html(
            body, id=art_id, published=published, url=strings["url"], origin=origin, limits=limits
        )
        return replace(
            article,
            published=own_date or article.published,
            title=strings["title"] or article.title,
            source=strings["source"] or article.source,
            language=strings["language"],
        )
    article = article_from_text(
        body,
        id=art_id,
        published=own_date or published,
        url=strings["url"],
        title=strings["title"],
        source=strings["source"],
        origin=origin,
        limits=limits,
    )
    return replace(article, language=strings["language"]) if strings["language"] else article


def _jsonl_date(value: object, origin: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return check_published(day, origin)
    raise InputError(origin, f"field 'published' must be a YYYY-MM-DD date, got {value!r}")


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if value is None:
        return "null"
    return "a number"


def _jsonl_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line number, line) for every non-blank line."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield lineno, line


def _read_jsonl(
    parsed: Iterator[tuple[str, object | InputError]],
    published: date | None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Article | InputError]:
    """Articles from parsed JSONL lines; ids repeated within one input are rejected."""
    first_seen: dict[str, str] = {}
    for origin, obj in parsed:
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            article = _jsonl_article(obj, origin, published, limits)
        except InputError as exc:
            yield exc
            continue
        if article.id in first_seen:
            yield InputError(
                origin, f"duplicate id {article.id!r} (first at {first_seen[article.id]})"
            )
            continue
        first_seen[article.id] = origin
        yield article


def _jsonl_from_text(
    text: str, name: str, limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[str, object | InputError]]:
    for lineno, line in _jsonl_lines(text):
        origin = f"{name}:{lineno}"
        try:
            yield origin, parse_json_line(line, origin, limits)
        except InputError as exc:
            yield origin, exc


def read_jsonl(
    data: bytes, name: str, *, published: date | None = None
) -> Iterator[Article | InputError]:
    """Articles from JSONL bytes (an upload, a request body) named ``name`` in errors."""
    try:
        text = decode(data, name)
    except InputError as exc:
        yield exc
        return
    yield from _read_jsonl(_jsonl_from_text(text, name), published)


# --- files, folders, standard input ------------------------------------------------------


def _unsupported(origin: str, suffix: str) -> InputError:
    if not suffix:
        return InputError(origin, f"file has no suffix (expected {_EXPECTED})")
    return InputError(origin, f"unsupported file type {suffix!r} (expected {_EXPECTED})")


_MAX_BYTES_PER_CHAR = 4
"""A file of more bytes than this times its character limit is refused before it is read."""


def _check_size(path: Path, origin: str, suffix: str, limits: Limits) -> None:
    if suffix == ".jsonl":
        return
    chars = limits.max_html_chars if suffix in _HTML_SUFFIXES else limits.max_chars
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it reports the reason
    if size > _MAX_BYTES_PER_CHAR * chars:
        raise InputError(
            origin,
            f"the file is {size:,} bytes long, too long for the limit of {chars:,} characters",
        )


def _open(path: Path, origin: str) -> IO[bytes]:
    try:
        return path.open("rb")
    except OSError as exc:
        raise _unreadable(exc, origin) from exc


_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _jsonl_file_lines(
    path: Path, origin: str, limits: Limits
) -> Iterator[tuple[str, object | InputError]]:
    """Parsed lines of a JSONL file, read one line at a time (UTF-16/32 files whole)."""
    try:
        fh = _open(path, origin)
    except InputError as exc:
        yield origin, exc
        return
    with fh:
        head = fh.read(4)
        fh.seek(0)
        if head.startswith(_WIDE_BOMS):
            try:
                text = decode(fh.read(), origin)
            except InputError as exc:
                yield origin, exc
                return
            yield from _jsonl_from_text(text, origin, limits)
            return
        blank_only = True
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            if not raw.strip():
                continue
            blank_only = False
            where = f"{origin}:{lineno}"
            try:
                line = decode(raw.rstrip(b"\r\n"), where)
                yield where, parse_json_line(line, where, limits)
            except InputError as exc:
                yield where, exc
    if blank_only:
        reason = "empty file" if not head else "the file holds only whitespace, no text"
        yield origin, InputError(origin, reason)


def _read_file(
    path: Path, published: date | None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Article | InputError]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield _unsupported(origin, path.suffix)
        return
    if suffix == ".jsonl":
        count = 0
        lines = _jsonl_file_lines(path, origin, limits)
        for item in _read_jsonl(lines, published, limits):
            count += isinstance(item, Article)
            yield item
        log.debug("%s: %d articles", origin, count)
        return
    from dyad.feeds import is_feed_path, read_feed_file

    if is_feed_path(path):
        yield from read_feed_file(path, published=published)
        return
    try:
        _check_size(path, origin, suffix, limits)
        text = decode(_read_bytes(path, origin), origin, html=suffix in _HTML_SUFFIXES)
        if not text.strip():
            raise InputError(origin, "the file holds only whitespace, no text")
    except InputError as exc:
        yield exc
        return
    try:
        if suffix in _HTML_SUFFIXES:
            yield article_from_html(
                text, id=path.stem, published=published, origin=origin, limits=limits
            )
        else:
            yield article_from_text(
                text, id=path.stem, published=published, origin=origin, limits=limits
            )
    except InputError as exc:
        yield exc


def _folder_files(folder: Path) -> Iterator[Path | InputError]:
    """Supported files under ``folder`` (recursive, hidden ones skipped), sorted by path."""
    found: list[tuple[Path, Path | InputError]] = []

    def on_error(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        reason = "permission denied" if isinstance(exc, PermissionError) else str(exc.strerror)
        found.append((where, InputError(str(where), f"folder cannot be read ({reason})")))

    for root, dirs, files in os.walk(folder, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            if name.startswith("."):
                log.debug("skipping hidden file %s", path)
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                log.debug("skipping %s: suffix %r is not read", path, path.suffix)
            else:
                found.append((path, path))
    if not found:
        found.append((folder, InputError(str(folder), f"no {_EXPECTED} files in this folder")))
    for _, item in sorted(found, key=lambda pair: pair[0].parts):
        yield item


def read_path(
    path: Path, *, published: date | None = None, limits: Limits = DEFAULT_LIMITS
) -> Iterator[Article | InputError]:
    """Articles from a file or a folder; unreadable inputs are yielded as :class:`InputError`.

    A folder is read recursively: files with :data:`SUPPORTED_SUFFIXES`, sorted by path,
    hidden files and folders skipped. A ``.txt`` or ``.html`` file is one article whose id is
    the file name without suffix; a ``.jsonl`` file holds one article per line.
    ``published`` stands in for inputs that carry no date of their own; ``limits`` bound
    what one input may hold (:class:`dyad.boundary.Limits`).
    """
    if path.is_dir():
        for item in _folder_files(path):
            if isinstance(item, InputError):
                yield item
            else:
                yield from _read_file(item, published, limits)
    elif path.exists():
        yield from _read_file(path, published, limits)
    else:
        yield InputError(str(path), "no such file or directory")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html"))


def _json_object(line: str, origin: str, limits: Limits) -> object | None:
    stripped = line.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:
        obj = parse_json_line(stripped, origin, limits)
    except InputError:
        return None
    return obj if isinstance(obj, dict) else None


def _stdin_line(raw: str | bytes, origin: str) -> str:
    if isinstance(raw, bytes):
        return decode(raw.rstrip(b"\r\n"), origin)
    return sanitise(raw.rstrip("\r\n"))


def _stdin_jsonl(
    first: tuple[int, str | bytes], rest: Iterator[str | bytes], limits: Limits
) -> Iterator[tuple[str, object | InputError]]:
    """Parsed JSONL lines of standard input, read as they arrive: once the first line is
    a JSON object, every line is one article or one error (never prose)."""
    for lineno, raw in itertools.chain([first], enumerate(rest, start=first[0] + 1)):
        if not raw.strip():
            continue
        where = f"{_STDIN}:{lineno}"
        try:
            yield where, parse_json_line(_stdin_line(raw, where), where, limits)
        except InputError as exc:
            yield where, exc


def read_stdin(
    stream: TextIO | BinaryIO,
    *,
    published: date | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Article | InputError]:
    """Articles from standard input: JSONL when the first non-blank line is a JSON object
    (then read line by line as it arrives, so a never-ending stream works, and every line is
    one article or one error), a web page when it starts like one, otherwise one plain-text
    article (content-hash id).
    """
    lines: Iterator[str | bytes] = iter(stream.readline, b"" if _is_binary(stream) else "")
    head: list[str | bytes] = []
    try:
        for lineno, raw in enumerate(lines, start=1):
            head.append(raw)
            if not raw.strip():
                continue
            if isinstance(raw, bytes) and raw.startswith(_WIDE_BOMS):
                break
            first = raw[3:] if isinstance(raw, bytes) and raw.startswith(codecs.BOM_UTF8) else raw
            where = f"{_STDIN}:{lineno}"
            if _json_object(_stdin_line(first, where), where, limits) is not None:
                yield from _read_jsonl(
                    _stdin_jsonl((lineno, first), lines, limits), published, limits
                )
                return
            break
    except InputError:
        pass  # an undecodable first line: the whole input is decoded (and reported) below
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(_STDIN, f"cannot be read ({exc})")
        return
    yield from _whole_stdin(head, stream, published, limits)


def _is_binary(stream: TextIO | BinaryIO) -> bool:
    return not isinstance(stream, io.TextIOBase)


def _whole_stdin(
    head: list[str | bytes], stream: TextIO | BinaryIO, published: date | None, limits: Limits
) -> Iterator[Article | InputError]:
    """Standard input that is not JSONL, as one article."""
    try:
        rest = stream.read()
        data: str | bytes
        if isinstance(rest, bytes):
            data = b"".join(h for h in head if isinstance(h, bytes)) + rest
        else:
            data = "".join(h for h in head if isinstance(h, str)) + rest
        if not data:
            raise InputError(_STDIN, "no input on standard input")
        text = decode(data, _STDIN) if isinstance(data, bytes) else sanitise(data)
        if not text.strip():
            raise InputError(_STDIN, "standard input holds only whitespace, no text")
    except InputError as exc:
        yield exc
        return
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(_STDIN, f"cannot be read ({exc})")
        return
    try:
        if _looks_like_html(text):
            yield article_from_html(text, published=published, origin=_STDIN, limits=limits)
        else:
            yield article_from_text(text, published=published, origin=_STDIN, limits=limits)
    except InputError as exc:
        yield exc


def iter_inputs(
    paths: Sequence[str],
    *,
    published: date | None = None,
    stdin: TextIO | BinaryIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
    language: str | None = None,
) -> Iterator[Article | InputError]:
    """Articles from command-line arguments: ``-`` or no path at all means standard input;
    an http(s) address is fetched (a feed or a page, see :mod:`dyad.feeds`).

    ``stdin`` defaults to the process's standard input (read as bytes, so that its encoding
    is detected like a file's). Standard input is read at most once. ``language`` declares
    the language of inputs that do not declare their own (None: detected when coded).
    """
    for item in _inputs(paths, published, stdin, limits):
        if language and isinstance(item, Article) and item.language is None:
            item = replace(item, language=language)
        yield item


def _inputs(
    paths: Sequence[str],
    published: date | None,
    stdin: TextIO | BinaryIO | None,
    limits: Limits,
) -> Iterator[Article | InputError]:
    from dyad.feeds import is_url, read_url

    stdin_read = False
    for arg in paths or ["-"]:
        if arg == "-":
            if stdin_read:
                yield InputError(_STDIN, "standard input ('-') given more than once")
                continue
            stdin_read = True
            yield from read_stdin(
                stdin if stdin is not None else sys.stdin.buffer,
                published=published,
                limits=limits,
            )
        elif is_url(arg):
            yield from read_url(arg, published=published)
        else:
            yield from read_path(Path(arg), published=published, limits=limits)
