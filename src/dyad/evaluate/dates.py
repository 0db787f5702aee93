"""The date test set (``bench/data/dates.yaml``) and its scorer.

Each item is one sentence with a publication date, the trigger word of one event in it and
the date the text states for that event (or ``basis: publication`` when it states none). The
scorer parses every sentence, finds the trigger token and dates it exactly as the pipeline
does (:func:`dyad.when.date_events`); an item is correct when start, end, granularity and
basis all match.

File format::

    version: 1
    items:
      - id: abs-month-1                # family "abs-month", the id before the last "-N"
        published: 2023-09-19
        text: "..."
        trigger: invasion              # one word (or words) as written in the text
        occurrence: 1                  # optional, 1-based, when the word repeats
        status: future                 # optional, default asserted
        expected: {start: 2022-02-01, end: 2022-02-28, granularity: month}
        # or: expected: {basis: publication}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc

from dyad.draft import EventDraft
from dyad.errors import EvaluationError
from dyad.model import BASES, GRANULARITIES, STATUSES, DateSpan, Status
from dyad.parse import parse_many
from dyad.when import date_events, undated

SUPPORTED_VERSION = 1
_ID = re.compile(r"(?P<family>[A-Za-z][\w-]*?)-(?P<n>\d+)")
_ITEM_KEYS = frozenset({"id", "published", "text", "trigger", "occurrence", "status", "expected"})
_EXPECTED_KEYS = frozenset({"start", "end", "granularity", "basis"})


@dataclass(frozen=True, slots=True)
class DateItem:
    """One test sentence with the date expected for one of its events."""

    id: str
    family: str
    published: date
    text: str
    trigger: str
    occurrence: int
    status: Status
    expected: DateSpan | None
    """None only when the event is expected to have no date at all."""


@dataclass(frozen=True, slots=True)
class DateItemResult:
    id: str
    ok: bool
    expected: DateSpan | None
    got: DateSpan | None
    text: str


@dataclass(frozen=True, slots=True)
class DateReport:
    total: int
    correct: int
    by_family: Mapping[str, tuple[int, int]]
    """family -> (correct, total)."""
    results: tuple[DateItemResult, ...]

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def to_text(self) -> str:
        """A plain-text summary: the overall figure, each family, then every miss."""
        lines = [f"dates: {self.correct}/{self.total} correct ({self.accuracy:.1%})"]
        for family, (ok, n) in sorted(self.by_family.items()):
            lines.append(f"  {family:<20} {ok}/{n}")
        for r in self.results:
            if not r.ok:
                lines.append(f"  MISS {r.id}: expected {_show(r.expected)}, got {_show(r.got)}")
                lines.append(f"       {r.text}")
        return "\n".join(lines)


def _show(span: DateSpan | None) -> str:
    if span is None:
        return "no date"
    return f"{span.start}..{span.end} {span.granularity} ({span.basis})"


# --------------------------------------------------------------------------------------------
# loading


def _fail(path: Path, where: str, reason: str) -> EvaluationError:
    return EvaluationError(f"{path}: {where}: {reason}" if where else f"{path}: {reason}")


def _as_date(value: Any, path: Path, where: str, field: str) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _fail(path, where, f"{field} must be a YYYY-MM-DD date, got {value!r}")


def _read_yaml(path: Path) -> Any:
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise _fail(path, "", "no such date test file") from exc
    except IsADirectoryError as exc:
        raise _fail(path, "", "is a folder, expected a YAML date test file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, "", f"cannot be read ({exc})") from exc
    try:
        return yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise _fail(path, "", f"is not valid YAML ({exc})") from exc


def _expected(obj: Any, published: date, status: Status, path: Path, where: str) -> DateSpan | None:
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise _fail(path, where, f"expected must be a mapping, got {obj!r}")
    unknown = set(obj) - _EXPECTED_KEYS
    if unknown:
        raise _fail(path, where, f"expected has unknown keys {sorted(unknown)}")
    basis = obj.get("basis", "text")
    if basis not in BASES:
        raise _fail(path, where, f"expected.basis {basis!r} is not one of {', '.join(BASES)}")
    if basis == "publication" and "start" not in obj and "end" not in obj:
        if "granularity" in obj:
            raise _fail(path, where, "expected.granularity given without start and end")
        return undated(published, status)
    for key in ("start", "end", "granularity"):
        if key not in obj:
            raise _fail(path, where, f"expected.{key} is missing")
    start = _as_date(obj["start"], path, where, "expected.start")
    end = _as_date(obj["end"], path, where, "expected.end")
    gran = obj["granularity"]
    if gran not in GRANULARITIES:
        raise _fail(path, where, f"expected.granularity {gran!r} is not one of {GRANULARITIES}")
    if end < start:
        raise _fail(path, where, f"expected.end {end} is before expected.start {start}")
    return DateSpan(start, end, gran, text=None, basis=basis)


def _item(obj: Any, index: int, seen: set[str], path: Path) -> DateItem:
    where = f"item {index + 1}"
    if not isinstance(obj, dict):
        raise _fail(path, where, f"expected a mapping, got {type(obj).__name__}")
    item_id = obj.get("id")
    if not isinstance(item_id, str) or not item_id:
        raise _fail(path, where, "id is missing or not a string")
    where = f"item {item_id!r}"
    match = _ID.fullmatch(item_id)
    if match is None:
        raise _fail(path, where, "id must be FAMILY-N (letters, digits, '-', then a number)")
    if item_id in seen:
        raise _fail(path, where, "duplicate id")
    seen.add(item_id)
    unknown = set(obj) - _ITEM_KEYS
    if unknown:
        raise _fail(path, where, f"unknown keys {sorted(unknown)}")
    for key in ("published", "text", "trigger", "expected"):
        if key not in obj:
            raise _fail(path, where, f"{key} is missing")
    published = _as_date(obj["published"], path, where, "published")
    text, trigger = obj["text"], obj["trigger"]
    if not isinstance(text, str) or not text.strip():
        raise _fail(path, where, "text must be a non-empty string")
    if not isinstance(trigger, str) or not trigger.strip() or trigger != trigger.strip():
        raise _fail(path, where, "trigger must be a non-empty string without outer spaces")
    occurrence = obj.get("occurrence", 1)
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise _fail(path, where, f"occurrence must be a whole number from 1, got {occurrence!r}")
    status = obj.get("status", "asserted")
    if status not in STATUSES:
        raise _fail(path, where, f"status {status!r} is not one of {', '.join(STATUSES)}")
    return DateItem(
        id=item_id,
        family=match["family"],
        published=published,
        text=text,
        trigger=trigger,
        occurrence=occurrence,
        status=status,
        expected=_expected(obj["expected"], published, status, path, where),
    )


def load_date_items(path: Path) -> list[DateItem]:
    """The validated items of a date test file; EvaluationError naming the bad entry."""
    path = Path(path)
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise _fail(path, "", "expected a mapping with 'version' and 'items'")
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise _fail(path, "", f"version {version!r} is not supported (expected 1)")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise _fail(path, "", "'items' must be a non-empty list")
    seen: set[str] = set()
    return [_item(obj, i, seen, path) for i, obj in enumerate(items)]


# --------------------------------------------------------------------------------------------
# scoring


def find_trigger(doc: Doc, trigger: str, occurrence: int = 1) -> int:
    """Token index of the head of the ``occurrence``-th match of ``trigger`` in ``doc``.

    Matching is case-insensitive, token by token; ValueError when there is no such match.
    """
    words = [w.lower() for w in trigger.split()]
    found = 0
    for i in range(len(doc) - len(words) + 1):
        if all(doc[i + k].lower_ == w for k, w in enumerate(words)):
            found += 1
            if found == occurrence:
                span = doc[i : i + len(words)]
                return span.root.i
    raise ValueError(f"trigger {trigger!r} (occurrence {occurrence}) is not a token sequence")


def _same(a: DateSpan | None, b: DateSpan | None) -> bool:
    if a is None or b is None:
        return a is b
    return (a.start, a.end, a.granularity, a.basis) == (b.start, b.end, b.granularity, b.basis)


def score_dates(path: Path) -> DateReport:
    """Date every item's event as the pipeline does and compare with the expected date."""
    path = Path(path)
    items = load_date_items(path)
    results: list[DateItemResult] = []
    tally: dict[str, list[int]] = {}
    for item, doc in zip(items, parse_many(item.text for item in items), strict=True):
        try:
            head = find_trigger(doc, item.trigger, item.occurrence)
        except ValueError as exc:
            raise _fail(path, f"item {item.id!r}", str(exc)) from exc
        draft = EventDraft(
            sentence=0,
            trigger_start=head,
            trigger_end=head + 1,
            trigger_head=head,
            cameo="",
            source=(),
            target=(),
            status=item.status,
            evidence_start=0,
            evidence_end=len(doc.text),
            confidence=1.0,
        )
        got = date_events([draft], doc, item.published)[0].date
        ok = _same(item.expected, got)
        results.append(DateItemResult(item.id, ok, item.expected, got, item.text))
        counts = tally.setdefault(item.family, [0, 0])
        counts[0] += int(ok)
        counts[1] += 1
    correct = sum(r.ok for r in results)
    by_family = {family: (c[0], c[1]) for family, c in tally.items()}
    return DateReport(len(results), correct, by_family, tuple(results))
