"""The input boundary: every input is decoded, normalised and checked here, once.

Nothing downstream of this module sees raw input. Files, folders, standard input, JSONL lines
and strings given to the Python API all pass through it:

- :func:`decode` turns bytes into text: a UTF-32/UTF-16/UTF-8 byte-order mark decides;
  otherwise strict UTF-8; otherwise (web pages only) the charset the page declares; otherwise
  Windows-1252 when the result reads as Western European text; otherwise whatever
  charset-normalizer detects. Bytes with NULs or mostly control codes are refused as binary.
- :func:`sanitise` makes any string safe for every stage: a leading byte-order mark dropped,
  CRLF and CR line endings turned into LF, vertical tab and form feed into LF, and lone
  surrogates, NULs, other control characters and Unicode non-characters removed.
- :func:`check_text`, :func:`parse_json_line`, :func:`check_published` and
  :func:`check_article` enforce the :class:`Limits` (article size, line length, number size,
  nesting depth, publication dates the date stage can represent).

Every refusal is an :class:`~dyad.errors.InputError` naming the input (file, ``file:line``,
``<stdin>``, ``<item N>``) and the reason.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import date

from charset_normalizer import from_bytes

from dyad.errors import InputError
from dyad.model import Article

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may hold; anything over a limit is refused with an :class:`InputError`."""

    max_chars: int = 5_000_000
    """Characters in one article's text (``--max-chars``)."""
    max_html_chars: int = 25_000_000
    """Characters in one web page before its text is extracted."""
    max_line_chars: int = 40_000_000
    """Characters in one JSONL line."""
    max_number_digits: int = 100
    """Digits in one JSON number."""
    max_depth: int = 64
    """Nesting of lists and objects in one JSONL line."""
    max_symbol_run: int = 200
    """Characters in one run of punctuation and symbols with no letter, digit or space in it
    (``[[[[...``): the parser's tokenizer takes time quadratic in the length of such a run."""


DEFAULT_LIMITS = Limits()

MIN_PUBLISHED = date(100, 1, 1)
MAX_PUBLISHED = date(9899, 12, 31)
"""Publication dates the date stage can work from (it reckons up to a century either way)."""

_BINARY_CONTROL_SHARE = 0.10
"""Bytes that are more than this share of control codes are binary, not text."""

_HIGH_BYTE_SHARE = 0.30
"""Undecodable bytes with more than this share of bytes >= 0x80 are reported as binary."""

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

_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
"""Characters no stage should see: NUL and other C0/C1 controls, lone surrogates, non-characters."""

_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


# --- strings ----------------------------------------------------------------------------


def sanitise(text: str) -> str:
    """``text`` made safe for every stage (see the module docstring); offsets count from here."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_BREAKS)
    cleaned, n = _UNSAFE.subn("", text)
    if n:
        log.debug("removed %d control characters, surrogates or non-characters", n)
    return cleaned


def check_text(text: str, origin: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """``text`` sanitised; :class:`InputError` when it is over the size limit or empty."""
    if len(text) > limits.max_chars:
        raise InputError(origin, _too_long(len(text), limits.max_chars, "--max-chars"))
    text = sanitise(text)
    if not text.strip():
        raise InputError(origin, "the text is empty or only whitespace")
    run = _symbol_run(text, limits.max_symbol_run)
    if run is not None:
        raise InputError(
            origin,
            f"has a run of {run[1] - run[0]:,} punctuation characters with no letter, digit "
            f"or space at character {run[0]:,} (the limit is {limits.max_symbol_run:,}); "
            "break it up or remove it",
        )
    return text


def _symbol_run(text: str, limit: int) -> tuple[int, int] | None:
    """``[start, end)`` of the first run of over ``limit`` punctuation characters, if any."""
    found = re.search(rf"[^\w\s]{{{limit + 1},}}", text)
    return found.span() if found else None


def check_html(html: str, origin: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """A web page sanitised; :class:`InputError` when it is over the page size limit."""
    if len(html) > limits.max_html_chars:
        raise InputError(origin, "the web page " + _too_long(len(html), limits.max_html_chars))
    return sanitise(html)


def _too_long(n: int, limit: int, option: str | None = None) -> str:
    how = f" (raise it with {option})" if option else ""
    return f"is {n:,} characters long, over the limit of {limit:,}{how}"


def check_published(value: date | None, origin: str) -> date | None:
    """``value`` when the date stage can reckon from it; :class:`InputError` otherwise."""
    if value is None:
        return None
    if not isinstance(value, date):
        raise InputError(origin, f"'published' must be a date, got {type(value).__name__}")
    if not MIN_PUBLISHED <= value <= MAX_PUBLISHED:
        raise InputError(
            origin,
            f"publication date {value.isoformat()} is outside the supported range "
            f"{MIN_PUBLISHED.isoformat()} to {MAX_PUBLISHED.isoformat()}",
        )
    return value


def check_article(article: Article, origin: str, limits: Limits = DEFAULT_LIMITS) -> Article:
    """An :class:`Article` built by a caller, checked and sanitised like a read one."""
    if not isinstance(article.id, str) or not article.id.strip():
        raise InputError(origin, f"the article id must be a non-empty string, got {article.id!r}")
    if not isinstance(article.text, str):
        raise InputError(origin, f"the article text must be a str, got {type(article.text)}")
    text = check_text(article.text, origin, limits)
    published = check_published(article.published, origin)
    clean = replace(
        article,
        id=sanitise(article.id) or article.id,
        text=text,
        published=published,
        url=_optional(article.url),
        title=_optional(article.title),
        source=_optional(article.source),
    )
    return article if clean == article else clean


def _optional(value: object) -> str | None:
    return sanitise(value) or None if isinstance(value, str) else None


# --- JSON lines -------------------------------------------------------------------------


class _NumberTooLong(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def parse_json_line(line: str, origin: str, limits: Limits = DEFAULT_LIMITS) -> object:
    """One JSONL line parsed within the limits; :class:`InputError` saying what is wrong."""
    if len(line) > limits.max_line_chars:
        raise InputError(origin, "the line " + _too_long(len(line), limits.max_line_chars))

    def number(text: str) -> str:
        digits = sum(ch.isdigit() for ch in text)
        if digits > limits.max_number_digits:
            raise _NumberTooLong(digits)
        return text

    try:
        obj = json.loads(
            line,
            parse_int=lambda s: int(number(s)),
            parse_float=lambda s: float(number(s)),
        )
    except json.JSONDecodeError as exc:
        raise InputError(origin, f"not valid JSON ({exc.msg}: column {exc.colno})") from exc
    except _NumberTooLong as exc:
        raise InputError(
            origin,
            f"holds a number of {exc.digits:,} digits, over the limit of "
            f"{limits.max_number_digits}",
        ) from exc
    except RecursionError as exc:
        raise InputError(origin, _too_deep(limits)) from exc
    if _depth(obj) > limits.max_depth:
        raise InputError(origin, _too_deep(limits))
    return obj


def _too_deep(limits: Limits) -> str:
    return f"lists or objects nested deeper than {limits.max_depth} levels"


def _depth(obj: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value (iterative)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(obj, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in value.values())
        elif isinstance(value, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in value)
    return deepest


# --- bytes to text ----------------------------------------------------------------------


def decode(data: bytes, origin: str, *, html: bool = False) -> str:
    """Bytes to sanitised text, or :class:`InputError` saying why they are not text."""
    if not data:
        raise InputError(origin, "empty file")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return sanitise(data.decode(codec))
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
        return sanitise(data.decode("utf-8"))
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
    return sanitise(text)


def _decode_legacy(data: bytes, origin: str, *, html: bool) -> str | None:
    """Decode bytes that are not UTF-8: declared charset, Windows-1252, then detection."""
    if html:
        declared = _DECLARED_CHARSET.search(data[:4096])
        if declared:
            name = declared.group(1).decode("ascii", "replace")
            try:
                text = data.decode(name)
            except (LookupError, UnicodeDecodeError, ValueError):
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
