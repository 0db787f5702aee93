"""Readers for the gold files that ``dyad eval`` scores against.

One reader per format, each returning a tuple of frozen gold items that remember the line they
came from. A malformed file raises :class:`~dyad.errors.EvaluationError` with
``path:line: reason``.

- ``petrarch``: PETRARCH validation XML (``<Sentence>`` records with ``<EventCoding>`` children).
  The files are not well-formed XML (``#`` comment lines, ``<Sentence .../>`` opened and closed
  by a later ``</Sentence>``), so they are read record by record with patterns, not by an XML
  parser.
- ``plover``: PLOVER/POLECAT-style gold records, JSON lines or one JSON list.
- ``penta``: ``sentence<TAB>class`` lines, class 0-4 (see :data:`PENTA_ROOTS`).
- ``spans``: token-per-line BIO files with ``S``/``T``/``R`` tags, a blank line between sentences.
- ``location``: event_location JSON lines (a VERB span and LOCATION spans per sentence).
- ``police``: IndiaPoliceEvents ``sents.csv`` (sentence + 0/1 columns per police action).
"""

from __future__ import annotations

import bisect
import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias

from dyad.errors import EvaluationError

# --------------------------------------------------------------------------------------------
# shared helpers


def _fail(path: Path, line: int | None, reason: str) -> EvaluationError:
    where = f"{path}:{line}" if line is not None else str(path)
    return EvaluationError(f"{where}: {reason}")


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a byte-order mark dropped), or a clear error."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise _fail(path, None, "no such gold file") from exc
    except IsADirectoryError as exc:
        raise _fail(path, None, "is a folder, expected a gold file") from exc
    except OSError as exc:
        raise _fail(path, None, f"cannot be read ({exc.strerror})") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(path, None, f"is not UTF-8 text (byte {exc.start})") from exc
    return text.removeprefix("\ufeff")


# --------------------------------------------------------------------------------------------
# penta

PENTA_ROOTS: Mapping[int, tuple[str, ...]] = {
    0: ("01", "02"),
    1: ("03", "04", "05"),
    2: ("06", "07", "08"),
    3: ("09", "10", "11", "12", "13", "16"),
    4: ("14", "15", "17", "18", "19", "20"),
}
"""The five "penta" classes and the CAMEO roots each one groups."""

_ROOT_TO_PENTA: dict[str, int] = {root: c for c, roots in PENTA_ROOTS.items() for root in roots}


def penta_class(cameo: str) -> int | None:
    """The penta class of a CAMEO code or root (``"043"`` -> 1), or None for no valid root."""
    return _ROOT_TO_PENTA.get(cameo[:2]) if len(cameo) >= 2 else None


@dataclass(frozen=True, slots=True)
class PentaItem:
    text: str
    label: int
    line: int


def read_penta(path: Path) -> tuple[PentaItem, ...]:
    """``sentence<TAB>class`` lines; blank lines are skipped, a header line is allowed."""
    items: list[PentaItem] = []
    for number, raw in enumerate(read_text(path).splitlines(), 1):
        if not raw.strip():
            continue
        sentence, tab, label = raw.rpartition("\t")
        label = label.strip()
        if not tab:
            raise _fail(path, number, "expected 'sentence<TAB>class', found no tab")
        if not label.isdigit():
            if number == 1 and not items:
                continue  # a header such as "text<TAB>label"
            raise _fail(path, number, f"class {label!r} is not a number 0-4")
        if int(label) not in PENTA_ROOTS:
            raise _fail(path, number, f"class {label} is not one of 0, 1, 2, 3, 4")
        if not sentence.strip():
            raise _fail(path, number, "empty sentence")
        items.append(PentaItem(sentence.strip(), int(label), number))
    if not items:
        raise _fail(path, None, "no 'sentence<TAB>class' lines")
    return tuple(items)


# --------------------------------------------------------------------------------------------
# spans

SpanTag: TypeAlias = Literal["S", "T", "R", "O"]
SPAN_TAGS: tuple[SpanTag, ...] = ("S", "T", "R", "O")
_BIO = re.compile(r"^(?:O|[BI]-[STR])$")


@dataclass(frozen=True, slots=True)
class SpanSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    """BIO tags as written: ``O``, ``B-S``, ``I-T``, ..."""
    line: int
    """Line of the first token."""

    @property
    def roles(self) -> tuple[SpanTag, ...]:
        """The tag of each token without its B-/I- prefix."""
        out: list[SpanTag] = []
        for tag in self.tags:
            role = tag[-1]
            out.append("S" if role == "S" else "T" if role == "T" else "R" if role == "R" else "O")
        return tuple(out)


def read_spans(path: Path) -> tuple[SpanSentence, ...]:
    """``token tag`` lines (the tag is the last field); a blank line ends a sentence."""
    sentences: list[SpanSentence] = []
    tokens: list[str] = []
    tags: list[str] = []
    first = 0

    def flush() -> None:
        if tokens:
            sentences.append(SpanSentence(tuple(tokens), tuple(tags), first))
            tokens.clear()
            tags.clear()

    for number, raw in enumerate(read_text(path).splitlines(), 1):
        fields = raw.split()
        if not fields:
            flush()
            continue
        if fields[0] == "-DOCSTART-":
            flush()
            continue
        if len(fields) < 2:
            raise _fail(path, number, f"expected 'token tag', found only {fields[0]!r}")
        tag = fields[-1]
        if not _BIO.match(tag):
            raise _fail(path, number, f"tag {tag!r} is not O, B-S, I-S, B-T, I-T, B-R or I-R")
        if not tokens:
            first = number
        tokens.append(fields[0])
        tags.append(tag)
    flush()
    if not sentences:
        raise _fail(path, None, "no tagged tokens")
    return tuple(sentences)


_NO_SPACE_BEFORE = frozenset(
    {",", ".", ";", ":", "?", "!", ")", "]", "}", "%", "”", "...", "n't", "n’t"}
)
_CLITICS = frozenset({"s", "S", "re", "ve", "ll", "d", "m", "t"})
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "€", "£", "“", "#"})
_APOSTROPHES = frozenset({"'", "’", "ʼ", "´"})


def detokenize(tokens: Sequence[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Join tokens into a readable sentence; returns the text and each token's char offsets.

    Tokens are joined by single spaces except where English writing has none: before
    punctuation and clitics (``'s``, ``n't``), after opening brackets and currency signs,
    around a hyphen between two words (``rebel - held`` -> ``rebel-held``) and around an
    apostrophe split from its ``s`` (``country ’ s`` -> ``country’s``).
    """
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    glue_next = False
    for i, tok in enumerate(tokens):
        prev = tokens[i - 1] if i else ""
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        glue = (
            i == 0
            or glue_next
            or tok in _NO_SPACE_BEFORE
            or (tok[:1] in _APOSTROPHES and tok[1:] in _CLITICS)
            or prev in _NO_SPACE_AFTER
        )
        glue_next = False
        hyphen = tok == "-" and nxt[:1].isalnum()
        split_clitic = tok in _APOSTROPHES and nxt in _CLITICS
        if (hyphen or split_clitic) and prev[-1:].isalnum():
            glue, glue_next = True, True
        elif tok in _APOSTROPHES and prev[-1:] in ("s", "S") and nxt[:1].isalnum():
            glue = True  # a plural possessive: "the insurgents' presence"
        if not glue:
            parts.append(" ")
            pos += 1
        parts.append(tok)
        offsets.append((pos, pos + len(tok)))
        pos += len(tok)
    return "".join(parts), tuple(offsets)


# --------------------------------------------------------------------------------------------
# petrarch


@dataclass(frozen=True, slots=True)
class PetrarchCoding:
    event: str
    """CAMEO event code, e.g. ``"042"``."""
    source: str
    """CAMEO actor code, e.g. ``"USAGOV"``, ``"---REB"``, ``"IGOUNOMIL"``."""
    target: str


@dataclass(frozen=True, slots=True)
class PetrarchSentence:
    id: str
    text: str
    codings: tuple[PetrarchCoding, ...]
    """Empty for a sentence marked ``noevents="True"``."""
    line: int
    date: str | None = None
    category: str | None = None


_SENTENCE = re.compile(r"<Sentence\b([^>]*?)/?>")
_END = re.compile(r"</Sentences?>")
_CODING = re.compile(r"<EventCoding\b([^>]*?)/?>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)
_ATTR = re.compile(r'([A-Za-z_][\w.-]*)\s*=\s*"([^"]*)"')
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PARSE = re.compile(r"<Parse>.*?(?:</Parse>|\Z)", re.S)
_EVENT_CODE = re.compile(r"^\d{2,4}$")
_ACTOR_CODE = re.compile(r"^[A-Z0-9-]{3,}$")


def _attrs(raw: str) -> dict[str, str]:
    return {k: html.unescape(v) for k, v in _ATTR.findall(raw)}


_OPEN_QUOTE = re.compile(r"\s*``\s*")
_CLOSE_QUOTE = re.compile(r"\s*''")


def clean_petrarch_text(text: str) -> str:
    """The sentence as plain text: whitespace runs collapsed, PTB quotes made plain.

    ```` `` ```` (an opening quote, glued to the word before it in these files) becomes
    `` "`` before the quoted word; ``''`` becomes ``"`` after it.
    """
    text = _OPEN_QUOTE.sub(' "', html.unescape(text))
    text = _CLOSE_QUOTE.sub('"', text)
    return " ".join(text.split())


def read_petrarch(path: Path) -> tuple[PetrarchSentence, ...]:
    """The sentences with ``evaluate="true"`` (the default) and their expected codings."""
    content = _blank_hash_lines(read_text(path))
    if "<Sentence" not in content:
        raise _fail(path, None, "no <Sentence> records (is this a PETRARCH validation file?)")
    newlines = [i for i, ch in enumerate(content) if ch == "\n"]

    def line_of(offset: int) -> int:
        return bisect.bisect_right(newlines, offset - 1) + 1

    starts = list(_SENTENCE.finditer(content))
    out: list[PetrarchSentence] = []
    seen: dict[str, int] = {}
    for k, match in enumerate(starts):
        line = line_of(match.start())
        end = starts[k + 1].start() if k + 1 < len(starts) else len(content)
        closing = _END.search(content, match.end(), end)
        raw_block = content[match.end() : closing.start() if closing else end]
        block = _PARSE.sub(_blank, _COMMENT.sub(_blank, raw_block))
        attrs = _attrs(match.group(1))
        sid = attrs.get("id", "").strip()
        if not sid:
            raise _fail(path, line, "<Sentence> without an id attribute")
        if sid in seen:
            raise _fail(path, line, f"sentence id {sid!r} repeats the one on line {seen[sid]}")
        seen[sid] = line
        if attrs.get("evaluate", "true").strip().lower() == "false":
            continue
        text_match = _TEXT.search(block)
        if text_match is None:
            raise _fail(path, line, f"sentence {sid!r} has no <Text>...</Text>")
        text = clean_petrarch_text(text_match.group(1))
        if not text:
            text = _text_from_parse(raw_block)
        if not text:
            raise _fail(path, line, f"sentence {sid!r} has an empty <Text> and no <Parse>")
        codings, noevents = _codings(path, block, match.end(), line_of, sid)
        if not codings and not noevents:
            raise _fail(
                path, line, f'sentence {sid!r} has no <EventCoding> (use noevents="True" for none)'
            )
        if codings and noevents:
            raise _fail(path, line, f'sentence {sid!r} has codings and noevents="True" both')
        out.append(
            PetrarchSentence(
                id=sid,
                text=text,
                codings=tuple(codings),
                line=line,
                date=attrs.get("date"),
                category=attrs.get("category"),
            )
        )
    if not out:
        raise _fail(path, None, "no sentence is marked for evaluation")
    return tuple(out)


def _text_from_parse(block: str) -> str:
    """The sentence rebuilt from a CoNLL-U ``<Parse>`` block (word column, ``SpaceAfter=No``)."""
    parse = _PARSE.search(block)
    if parse is None:
        return ""
    words: list[str] = []
    for row in parse.group(0).splitlines():
        cols = row.split("\t")
        if len(cols) >= 2 and cols[0].strip().isdigit():
            words.append(cols[1])
    return clean_petrarch_text(detokenize(words)[0])


def _blank_hash_lines(content: str) -> str:
    """Blank the ``#`` comment lines (outside ``<Text>``), keeping every offset in place."""
    out: list[str] = []
    in_text = False
    for line in content.splitlines(keepends=True):
        if not in_text and line.lstrip().startswith("#"):
            out.append(re.sub(r"[^\n]", " ", line))
            continue
        opened = line.rfind("<Text>")
        closed = line.rfind("</Text>")
        if opened > closed:
            in_text = True
        elif closed >= 0:
            in_text = False
        out.append(line)
    return "".join(out)


def _blank(match: re.Match[str]) -> str:
    """Spaces as long as the match, so that offsets (and line numbers) stay the same."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _codings(
    path: Path, block: str, base: int, line_of: Callable[[int], int], sid: str
) -> tuple[list[PetrarchCoding], bool]:
    codings: list[PetrarchCoding] = []
    noevents = False
    for m in _CODING.finditer(block):
        attrs = _attrs(m.group(1))
        line = line_of(base + m.start())
        if attrs.get("noevents", "").strip().lower() == "true":
            noevents = True
            continue
        missing = [k for k in ("eventcode", "sourcecode", "targetcode") if not attrs.get(k)]
        if missing:
            raise _fail(path, line, f"sentence {sid!r}: <EventCoding> lacks {', '.join(missing)}")
        event = attrs["eventcode"].strip()
        if not _EVENT_CODE.match(event):
            raise _fail(path, line, f"sentence {sid!r}: eventcode {event!r} is not a CAMEO code")
        source, target = attrs["sourcecode"].strip(), attrs["targetcode"].strip()
        for role, code in (("sourcecode", source), ("targetcode", target)):
            if not _ACTOR_CODE.match(code):
                raise _fail(path, line, f"sentence {sid!r}: {role} {code!r} is not a CAMEO code")
        codings.append(PetrarchCoding(event, source, target))
    return codings, noevents


# --------------------------------------------------------------------------------------------
# location


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """A labelled span; ``start``/``end`` are None where the file's char offsets are wrong."""

    start: int | None
    end: int | None
    token_start: int | None
    token_end: int | None
    """Inclusive, as in Prodigy files."""
    text: str | None


@dataclass(frozen=True, slots=True)
class LocationItem:
    id: str
    text: str
    verb: GoldSpan
    locations: tuple[GoldSpan, ...]
    answer: Literal["accept", "reject"]
    line: int
    source: str | None = None
    problem: str | None = None
    """Why the row cannot be scored (an annotation slip such as two VERB spans), or None."""


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _gold_span(text: str, span: Mapping[str, Any]) -> GoldSpan:
    start, end = _int_or_none(span.get("start")), _int_or_none(span.get("end"))
    said = span.get("text")
    said = said if isinstance(said, str) and said.strip() else None
    ok = start is not None and end is not None and 0 <= start < end <= len(text)
    if ok and said is not None and text[start:end] != said:
        ok = False
    return GoldSpan(
        start=start if ok else None,
        end=end if ok else None,
        token_start=_int_or_none(span.get("token_start")),
        token_end=_int_or_none(span.get("token_end")),
        text=said if said is not None else (text[start:end] if ok else None),
    )


def _json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    content = read_text(path)
    if content.lstrip().startswith("["):
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise _fail(path, exc.lineno, f"not valid JSON ({exc.msg})") from exc
        if not isinstance(data, list):
            raise _fail(path, 1, "expected a JSON list of records")
        # A JSON list has no per-record lines: number the records instead (1-based).
        yield from enumerate(data, 1)
        return
    for number, raw in enumerate(content.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            yield number, json.loads(raw)
        except json.JSONDecodeError as exc:
            raise _fail(path, number, f"not valid JSON ({exc.msg})") from exc


def read_location(path: Path) -> tuple[LocationItem, ...]:
    """event_location rows; a row without ``answer`` counts as accepted, ``ignore`` is dropped.

    A row that is well-formed but not scorable (no VERB span, or several) is kept with its
    ``problem`` set, for the scorer to skip and report.
    """
    items: list[LocationItem] = []
    for number, obj in _json_lines(path):
        if not isinstance(obj, dict):
            raise _fail(path, number, f"expected a JSON object, got {type(obj).__name__}")
        text = obj.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _fail(path, number, "no 'text' string")
        spans = obj.get("spans")
        if not isinstance(spans, list):
            raise _fail(path, number, "no 'spans' list")
        answer = obj.get("answer", "accept")
        if answer == "ignore":
            continue
        if answer not in ("accept", "reject"):
            raise _fail(path, number, f"answer {answer!r} is not accept, reject or ignore")
        verbs: list[GoldSpan] = []
        places: list[GoldSpan] = []
        for j, span in enumerate(spans):
            if not isinstance(span, dict) or span.get("label") not in ("VERB", "LOCATION"):
                raise _fail(path, number, f"span {j} is not an object labelled VERB or LOCATION")
            gold = _gold_span(text, span)
            if gold.start is None and gold.token_start is None:
                raise _fail(path, number, f"span {j} has neither valid offsets nor token positions")
            (verbs if span["label"] == "VERB" else places).append(gold)
        problem = None if len(verbs) == 1 else f"{len(verbs)} VERB spans, expected one"
        source = obj.get("source")
        items.append(
            LocationItem(
                id=str(obj.get("_id", obj.get("id", number))),
                text=text,
                verb=verbs[0] if verbs else GoldSpan(None, None, None, None, None),
                locations=tuple(places),
                answer="accept" if answer == "accept" else "reject",
                line=number,
                source=source if isinstance(source, str) else None,
                problem=problem,
            )
        )
    if not items:
        raise _fail(path, None, "no rows")
    return tuple(items)


# --------------------------------------------------------------------------------------------
# plover


@dataclass(frozen=True, slots=True)
class PloverActor:
    text: str | None = None
    country: str | None = None
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PloverEvent:
    type: str
    """PLOVER event type in capitals, e.g. ``"CONSULT"``."""
    mode: str | None = None
    context: tuple[str, ...] = ()
    source: PloverActor | None = None
    target: PloverActor | None = None
    trigger: str | None = None


@dataclass(frozen=True, slots=True)
class PloverItem:
    id: str
    text: str
    events: tuple[PloverEvent, ...]
    """Empty for a sentence whose gold says there is no event."""
    line: int


_TEXT_KEYS = ("text", "sentence", "event_text", "story_text", "doc_text", "content")
_ID_KEYS = ("id", "_id", "event_id", "story_id", "sentence_id", "doc_id")
_TYPE_KEYS = ("event_type", "event", "type", "plover_type", "plover", "eventType", "label")
_MODE_KEYS = ("mode", "event_mode", "plover_mode", "eventMode")
_CONTEXT_KEYS = ("context", "contexts", "event_context", "plover_context")
_TRIGGER_KEYS = ("anchor", "trigger", "event_anchor", "anchor_text", "trigger_text")
_ROLE_KEYS: Mapping[str, tuple[str, ...]] = {
    "source": ("source", "actor", "source_actor"),
    "target": ("target", "recipient", "target_actor"),
}
_FIELD_SUFFIXES: Mapping[str, tuple[str, ...]] = {
    "text": ("_text", "_name", "_raw"),
    "country": ("_country", "_cntry", "_country_code", "_iso"),
    "sectors": ("_sector", "_sectors", "_agent", "_agents", "_type"),
}
_NO_EVENT = frozenset({"", "NONE", "NO_EVENT", "NOEVENT", "NULL", "N/A", "NA", "O"})
_TYPE_WORD = re.compile(r"^[A-Z][A-Z_]*$")
_SPLIT = re.compile(r"[,;|/]\s*|\s+")


def _first(obj: Mapping[str, Any], keys: Sequence[str]) -> tuple[bool, Any]:
    for key in keys:
        if key in obj:
            return True, obj[key]
    return False, None


def _str_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p for p in _SPLIT.split(value.strip()) if p)
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return (str(value),)


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _plover_actor(obj: Mapping[str, Any], role: str) -> PloverActor | None:
    found, value = _first(obj, _ROLE_KEYS[role])
    text: str | None = None
    country: str | None = None
    sectors: tuple[str, ...] = ()
    if isinstance(value, dict):
        text = _opt_str(_first(value, ("text", "name", "actor_text", "raw"))[1])
        country = _opt_str(_first(value, ("country", "country_code", "cntry", "iso"))[1])
        sectors = _str_list(_first(value, ("sectors", "sector", "agents", "agent", "type"))[1])
    elif found:
        text = _opt_str(value)
    for prefix in _ROLE_KEYS[role]:
        for field_name, suffixes in _FIELD_SUFFIXES.items():
            got, raw = _first(obj, [prefix + s for s in suffixes])
            if not got:
                continue
            if field_name == "text" and text is None:
                text = _opt_str(raw)
            elif field_name == "country" and country is None:
                country = _opt_str(raw)
            elif field_name == "sectors" and not sectors:
                sectors = _str_list(raw)
    if text is None and country is None and not sectors:
        return None
    return PloverActor(
        text=text,
        country=country.upper() if country else None,
        sectors=tuple(s.upper() for s in sectors),
    )


def _plover_event(path: Path, number: int, obj: Mapping[str, Any]) -> PloverEvent | None:
    found, value = _first(obj, _TYPE_KEYS)
    if not found:
        raise _fail(path, number, f"no event type (looked for {', '.join(_TYPE_KEYS)})")
    if isinstance(value, dict):  # {"type": ..., "mode": ..., "context": ...}
        return _plover_event(path, number, {**obj, **value, "event_type": value.get("type")})
    etype = ("" if value is None else str(value)).strip().upper().replace(" ", "_")
    if etype in _NO_EVENT:
        return None
    if not _TYPE_WORD.match(etype):
        raise _fail(path, number, f"event type {value!r} is not a PLOVER type name")
    mode = _opt_str(_first(obj, _MODE_KEYS)[1])
    return PloverEvent(
        type=etype,
        mode=mode.lower() if mode else None,
        context=tuple(c.lower() for c in _str_list(_first(obj, _CONTEXT_KEYS)[1])),
        source=_plover_actor(obj, "source"),
        target=_plover_actor(obj, "target"),
        trigger=_opt_str(_first(obj, _TRIGGER_KEYS)[1]),
    )


def read_plover(path: Path) -> tuple[PloverItem, ...]:
    """PLOVER gold records: one per sentence with its event (or an ``events`` list of them).

    Field names vary between annotation rounds; each field is looked up under its usual
    names (``event_type``/``event``/``type``; ``source``/``actor``; ``target``/``recipient``;
    ``source_country``, ``source_sector``, ...). Actors may also be objects with ``text``,
    ``country`` and ``sectors``. An event type of null, ``""`` or ``NONE`` means the sentence
    has no event. Prodigy ``answer: reject``/``ignore`` records are dropped.
    """
    items: list[PloverItem] = []
    for number, obj in _json_lines(path):
        if not isinstance(obj, dict):
            raise _fail(path, number, f"expected a JSON object, got {type(obj).__name__}")
        if obj.get("answer") in ("reject", "ignore"):
            continue
        _, text = _first(obj, _TEXT_KEYS)
        if not isinstance(text, str) or not text.strip():
            raise _fail(path, number, f"no sentence text (looked for {', '.join(_TEXT_KEYS)})")
        events: list[PloverEvent] = []
        nested = obj.get("events")
        if nested is not None:
            if not isinstance(nested, list) or not all(isinstance(e, dict) for e in nested):
                raise _fail(path, number, "'events' is not a list of objects")
            for e in nested:
                event = _plover_event(path, number, e)
                if event is not None:
                    events.append(event)
        else:
            event = _plover_event(path, number, obj)
            if event is not None:
                events.append(event)
        _, ident = _first(obj, _ID_KEYS)
        items.append(
            PloverItem(
                id=str(ident) if ident is not None else str(number),
                text=" ".join(text.split()),
                events=tuple(events),
                line=number,
            )
        )
    if not items:
        raise _fail(path, None, "no records")
    return tuple(items)


# --------------------------------------------------------------------------------------------
# police

POLICE_LABELS: tuple[str, ...] = ("KILL", "ARREST", "FORCE", "FAIL", "ANY_ACTION")


@dataclass(frozen=True, slots=True)
class PoliceItem:
    id: str
    text: str
    labels: frozenset[str]
    """The labels marked 1 for this sentence."""
    line: int


def read_police(path: Path) -> tuple[PoliceItem, ...]:
    """IndiaPoliceEvents sentences: a text column and 0/1 columns among :data:`POLICE_LABELS`."""
    content = read_text(path)
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise _fail(path, None, "empty file") from None
    except csv.Error as exc:
        raise _fail(path, 1, f"not CSV ({exc})") from exc
    names = [h.strip() for h in header]
    text_col = next((names.index(k) for k in ("sent_text", "text", "sentence") if k in names), -1)
    if text_col < 0:
        raise _fail(path, 1, "no sent_text (or text, sentence) column")
    label_cols = {lab: names.index(lab) for lab in POLICE_LABELS if lab in names}
    if not label_cols:
        raise _fail(path, 1, f"no label column ({', '.join(POLICE_LABELS)})")
    doc_col = names.index("doc_id") if "doc_id" in names else -1
    sent_col = names.index("sent_id") if "sent_id" in names else -1
    items: list[PoliceItem] = []
    try:
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise _fail(path, number, f"{len(row)} columns, the header has {len(names)}")
            labels: set[str] = set()
            for label, col in label_cols.items():
                value = row[col].strip()
                if value not in ("0", "1"):
                    raise _fail(path, number, f"{label} is {value!r}, expected 0 or 1")
                if value == "1":
                    labels.add(label)
            text = " ".join(row[text_col].split())
            if not text:
                continue
            if doc_col >= 0 and sent_col >= 0:
                ident = f"{row[doc_col].strip()}:{row[sent_col].strip()}"
            else:
                ident = str(number)
            items.append(PoliceItem(ident, text, frozenset(labels), number))
    except csv.Error as exc:
        raise _fail(path, reader.line_num, f"not CSV ({exc})") from exc
    if not items:
        raise _fail(path, None, "no sentences")
    return tuple(items)
