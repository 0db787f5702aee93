"""Stage 1: inputs -> :class:`dyad.model.Article`.

Inputs are plain-text files, saved web pages (``.html``/``.htm``), JSONL files with one
article per line, folders of those, and standard input. Every input is decoded to text with
``"\\n"`` line endings before anything else sees it, so offsets downstream are offsets into
that normalised text.

Batch readers (:func:`read_path`, :func:`read_stdin`, :func:`iter_inputs`) never raise for a
bad input: they *yield* an :class:`~dyad.errors.InputError` in its place and go on with the
next one, so one broken file never stops a batch. The single-document builders
(:func:`article_from_text`, :func:`article_from_html`) raise it.

Bytes become text in this order: a UTF-32/UTF-16/UTF-8 byte-order mark decides; otherwise
strict UTF-8; otherwise (web pages only) the charset the page declares; otherwise Windows-1252
when the result reads as Western European text; otherwise whatever charset-normalizer finds.
Files with NUL bytes or mostly control bytes are rejected as binary.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import trafilatura
from charset_normalizer import from_bytes

from dyad.errors import InputError
from dyad.model import Article

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
_EXPECTED = ".txt, .html, .htm or .jsonl"
_HTML_SUFFIXES = (".html", ".htm")

_STDIN = "<stdin>"

_BINARY_CONTROL_SHARE = 0.10
"""A file whose bytes are more than this share of control codes is binary, not text."""

_HIGH_BYTE_SHARE = 0.30
"""An undecodable file with more than this share of bytes >= 0x80 is reported as binary."""

_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
"""Bytes that do not occur in text (NUL, tab, line breaks, form feed and escape aside)."""

_HIGH_BYTES = bytes(range(0x80, 0x100))

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks, longest first where one is a prefix of another (UTF-32 LE / UTF-16 LE)."""

_WESTERN_PUNCT = frozenset("‘’‚“”„–—…•·«»‹›€£¡\u00a0\u00ad")
"""Non-ASCII punctuation that Western European text carries, inside words or between them."""

_SYMBOLS_APART = frozenset("¹³¿¥¦¨´¸¤¬¯±")
"""Non-ASCII symbols that Western European text never puts next to a letter.

Other single-byte encodings read as Windows-1252 do (Polish ``ł`` becomes ``³``, ``ą`` ``¹``)."""

_SYMBOLS_OUTSIDE_WORDS = frozenset("²µ×÷¢§¶°©®™¼½¾")
"""Non-ASCII symbols that Western European text never puts between two letters."""

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_OPTIONAL_STRING_FIELDS = ("url", "title", "source")
_JSONL_FIELDS = frozenset({"id", "text", "html", "published", *_OPTIONAL_STRING_FIELDS})


# --- single documents -------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Drop a leading byte-order mark and turn CRLF and lone CR line endings into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
) -> Article:
    """An article from plain text (line endings normalised; the id defaults to a content hash).

    Raises :class:`InputError` when the text is empty or only whitespace.
    """
    text = _normalise(text)
    if not text.strip():
        raise InputError(origin, "the text is empty or only whitespace")
    return Article(
        id=id if id is not None else _text_id(text),
        text=text,
        published=published,
        url=url,
        title=title,
        source=source,
        origin=origin,
    )


def article_from_html(
    html: str,
    *,
    id: str | None = None,
    published: date | None = None,
    url: str | None = None,
    origin: str = "<memory>",
) -> Article:
    """An article from a saved web page: main text, title and date extracted by trafilatura.

    Navigation, headers, footers, cookie banners, sidebars and comments are left out. Nothing
    is fetched. The date the page itself carries (its metadata or a dated element) wins over
    ``published``, which stands in for pages that carry none; ``url`` wins over the page's own
    canonical address. Raises :class:`InputError` when no article text can be extracted.
    """
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
    except Exception as exc:  # the HTML parser fails in many ways on arbitrary input
        raise InputError(origin, f"the HTML page cannot be parsed ({exc})") from exc
    body = getattr(doc, "text", None)
    if not isinstance(body, str) or not _has_prose(body):
        raise InputError(origin, "no article text found in the HTML page")
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
        return date.fromisoformat(value[:10])
    except ValueError:
        log.debug("%s: ignoring the page date %r", origin, value)
        return None


def _site_name(doc: Any) -> str | None:
    name = getattr(doc, "sitename", None)
    return name.strip() if isinstance(name, str) and name.strip() else None


# --- bytes to text ----------------------------------------------------------------------


def _decode(data: bytes, origin: str, *, html: bool = False) -> str:
    """Bytes to normalised text, or :class:`InputError` saying why they are not text."""
    if not data:
        raise InputError(origin, "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data.decode(codec))
            except UnicodeDecodeError as exc:
                raise InputError(
                    origin, f"undecodable text: invalid {codec.upper()} at byte {exc.start}"
                ) from exc
    if b"\x00" in data:
        raise InputError(origin, "binary file, not text")
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _BINARY_CONTROL_SHARE * len(data):
        raise InputError(origin, "binary file, not text")
    try:
        return _normalise(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    text = _decode_legacy(data, origin, html=html)
    if text is None:
        high = len(data) - len(data.translate(None, _HIGH_BYTES))
        if high > _HIGH_BYTE_SHARE * len(data):
            raise InputError(origin, "binary file, not text")
        raise InputError(
            origin, "undecodable text: its character encoding cannot be detected (save it as UTF-8)"
        )
    return _normalise(text)


def _decode_legacy(data: bytes, origin: str, *, html: bool) -> str | None:
    """Decode bytes that are not UTF-8: declared charset, Windows-1252, then detection."""
    if html:
        declared = _DECLARED_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                text = data.decode(name)
            except (LookupError, UnicodeDecodeError):
                log.debug("%s: declared charset %r does not decode the page", origin, name)
            else:
                log.debug("%s: decoded with the declared charset %s", origin, name)
                return text
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and _reads_as_western(western):
        log.debug("%s: decoded as Windows-1252", origin)
        return western
    best = from_bytes(data).best()
    if best is None:
        return None
    log.debug("%s: decoded as %s (detected)", origin, best.encoding)
    return str(best)


def _reads_as_western(text: str) -> bool:
    """True when text decoded as Windows-1252 looks like Western European writing.

    Text in another single-byte encoding read as Windows-1252 either turns most letters into
    accented ones (Cyrillic, Greek) or puts symbols in the middle of words (Polish ``ł`` read
    as ``³``); both fail here.
    """
    ascii_letters = 0
    other_letters = 0
    for i, ch in enumerate(text):
        if ch.isascii():
            ascii_letters += ch.isalpha()
        elif ch.isalpha():
            other_letters += 1
        elif ch in _SYMBOLS_APART or ch in _SYMBOLS_OUTSIDE_WORDS:
            before = text[i - 1 : i].isalpha()
            after = text[i + 1 : i + 2].isalpha()
            if (before and after) or (ch in _SYMBOLS_APART and (before or after)):
                return False
        elif ch not in _WESTERN_PUNCT:
            return False
    letters = ascii_letters + other_letters
    return letters > 0 and other_letters <= 0.3 * letters


def _read_bytes(path: Path, origin: str) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError as exc:
        raise InputError(origin, "is a directory where a file was expected") from exc
    except PermissionError as exc:
        raise InputError(origin, "permission denied") from exc
    except FileNotFoundError as exc:
        raise InputError(origin, "no such file or directory") from exc
    except OSError as exc:
        raise InputError(origin, f"cannot be read ({exc.strerror or exc})") from exc


# --- JSONL ------------------------------------------------------------------------------


def _jsonl_article(obj: object, origin: str, published: date | None) -> Article:
    """One JSONL line (already parsed) as an article; :class:`InputError` when malformed."""
    if not isinstance(obj, dict):
        raise InputError(origin, f"expected a JSON object, got {_json_type(obj)}")
    if "id" not in obj:
        raise InputError(origin, "missing required field 'id'")
    art_id = obj["id"]
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
    for key in _OPTIONAL_STRING_FIELDS:
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
            body, id=art_id, published=published, url=strings["url"], origin=origin
        )
        return replace(
            article,
            published=own_date or article.published,
            title=strings["title"] or article.title,
            source=strings["source"] or article.source,
        )
    return article_from_text(
        body,
        id=art_id,
        published=own_date or published,
        url=strings["url"],
        title=strings["title"],
        source=strings["source"],
        origin=origin,
    )


def _jsonl_date(value: object, origin: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
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


def _parse_json_line(line: str, origin: str) -> object:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"not valid JSON ({exc.msg}: column {exc.colno})") from exc


def _read_jsonl(
    parsed: Iterator[tuple[str, object | InputError]], published: date | None
) -> Iterator[Article | InputError]:
    """Articles from parsed JSONL lines; ids repeated within one input are rejected."""
    first_seen: dict[str, str] = {}
    for origin, obj in parsed:
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            article = _jsonl_article(obj, origin, published)
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


def _jsonl_from_text(text: str, name: str) -> Iterator[tuple[str, object | InputError]]:
    for lineno, line in _jsonl_lines(text):
        origin = f"{name}:{lineno}"
        try:
            yield origin, _parse_json_line(line, origin)
        except InputError as exc:
            yield origin, exc


def read_jsonl(
    data: bytes, name: str, *, published: date | None = None
) -> Iterator[Article | InputError]:
    """Articles from JSONL bytes (an upload, a request body) named ``name`` in errors."""
    try:
        text = _decode(data, name)
    except InputError as exc:
        yield exc
        return
    yield from _read_jsonl(_jsonl_from_text(text, name), published)


# --- files, folders, standard input ------------------------------------------------------


def _unsupported(origin: str, suffix: str) -> InputError:
    if not suffix:
        return InputError(origin, f"file has no suffix (expected {_EXPECTED})")
    return InputError(origin, f"unsupported file type {suffix!r} (expected {_EXPECTED})")


def _read_file(path: Path, published: date | None) -> Iterator[Article | InputError]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield _unsupported(origin, path.suffix)
        return
    try:
        text = _decode(_read_bytes(path, origin), origin, html=suffix in _HTML_SUFFIXES)
        if not text.strip():
            raise InputError(origin, "the file holds only whitespace, no text")
    except InputError as exc:
        yield exc
        return
    if suffix == ".jsonl":
        count = 0
        for item in _read_jsonl(_jsonl_from_text(text, origin), published):
            count += isinstance(item, Article)
            yield item
        log.debug("%s: %d articles", origin, count)
        return
    try:
        if suffix in _HTML_SUFFIXES:
            yield article_from_html(text, id=path.stem, published=published, origin=origin)
        else:
            yield article_from_text(text, id=path.stem, published=published, origin=origin)
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


def read_path(path: Path, *, published: date | None = None) -> Iterator[Article | InputError]:
    """Articles from a file or a folder; unreadable inputs are yielded as :class:`InputError`.

    A folder is read recursively: files with :data:`SUPPORTED_SUFFIXES`, sorted by path,
    hidden files and folders skipped. A ``.txt`` or ``.html`` file is one article whose id is
    the file name without suffix; a ``.jsonl`` file holds one article per line.
    ``published`` stands in for inputs that carry no date of their own.
    """
    if path.is_dir():
        for item in _folder_files(path):
            if isinstance(item, InputError):
                yield item
            else:
                yield from _read_file(item, published)
    elif path.exists():
        yield from _read_file(path, published)
    else:
        yield InputError(str(path), "no such file or directory")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html"))


def read_stdin(
    stream: TextIO | BinaryIO, *, published: date | None = None
) -> Iterator[Article | InputError]:
    """Articles from standard input: JSONL when every non-empty line is a JSON object,
    a web page when it starts like one, otherwise one plain-text article (content-hash id).
    """
    try:
        data = stream.read()
        if not data:
            raise InputError(_STDIN, "no input on standard input")
        text = _decode(data, _STDIN) if isinstance(data, bytes) else _normalise(data)
        if not text.strip():
            raise InputError(_STDIN, "standard input holds only whitespace, no text")
    except InputError as exc:
        yield exc
        return
    except (OSError, UnicodeDecodeError) as exc:
        yield InputError(_STDIN, f"cannot be read ({exc})")
        return
    parsed = _all_json_objects(text)
    if parsed is not None:
        yield from _read_jsonl(iter(parsed), published)
        return
    try:
        if _looks_like_html(text):
            yield article_from_html(text, published=published, origin=_STDIN)
        else:
            yield article_from_text(text, published=published, origin=_STDIN)
    except InputError as exc:
        yield exc


def _all_json_objects(text: str) -> list[tuple[str, object | InputError]] | None:
    """The parsed lines when every non-empty line is a JSON object, else None."""
    parsed: list[tuple[str, object | InputError]] = []
    for lineno, line in _jsonl_lines(text):
        stripped = line.strip()
        if not (stripped.startswith("{") and stripped.endswith("}")):
            return None
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            return None
        if not isinstance(obj, dict):
            return None
        parsed.append((f"{_STDIN}:{lineno}", obj))
    return parsed


def iter_inputs(
    paths: Sequence[str],
    *,
    published: date | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Article | InputError]:
    """Articles from command-line arguments: ``-`` or no path at all means standard input.

    ``stdin`` defaults to the process's standard input (read as bytes, so that its encoding
    is detected like a file's). Standard input is read at most once.
    """
    stdin_read = False
    for arg in paths or ["-"]:
        if arg == "-":
            if stdin_read:
                yield InputError(_STDIN, "standard input ('-') given more than once")
                continue
            stdin_read = True
            yield from read_stdin(
                stdin if stdin is not None else sys.stdin.buffer, published=published
            )
        else:
            yield from read_path(Path(arg), published=published)
