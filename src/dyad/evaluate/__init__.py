"""``dyad eval``: score dyad against hand-coded gold files.

>>> report = evaluate("penta", Path("penta_train.tsv"), subset="heldout")   # doctest: +SKIP
>>> print(report.to_text())                                                  # doctest: +SKIP

Formats (see :mod:`dyad.evaluate.readers` for the files, :mod:`dyad.evaluate.score` for how
each is scored): ``petrarch``, ``plover``, ``penta``, ``spans``, ``location``, ``police``.
Scorers take a :data:`~dyad.evaluate.coder.Coder`; :func:`evaluate` uses the dyad pipeline
unless given another (tests pass fakes).

Every gold file is split by a fixed rule into two halves: the TUNING half (items with an odd
1-based number in the file, as its reader returns them) and the HELD-OUT half (even numbers).
Error analysis during development looks at the tuning half only, so the worst-error lists show
tuning-half items unless ``heldout_errors`` is asked for (the final audit).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from dyad.errors import EvaluationError
from dyad.evaluate import readers, score
from dyad.evaluate.coder import Coded, CodedEvent, Coder, coded_event, main_event, pipeline_coder
from dyad.evaluate.readers import PentaItem, PetrarchSentence, penta_class
from dyad.evaluate.report import (
    SUBSET_LABELS,
    SUBSETS,
    Calibration,
    CalibrationRow,
    ClassRow,
    ClassTable,
    Confusion,
    ErrorExample,
    EvalReport,
    Subset,
)

FORMATS: tuple[str, ...] = ("petrarch", "plover", "penta", "spans", "location", "police")

READERS: Mapping[str, Callable[[Path], Sequence[Any]]] = {
    "petrarch": readers.read_petrarch,
    "plover": readers.read_plover,
    "penta": readers.read_penta,
    "spans": readers.read_spans,
    "location": readers.read_location,
    "police": readers.read_police,
}

T = TypeVar("T")


def check_format(fmt: str) -> str:
    """``fmt`` if it is a known format, else an EvaluationError listing them."""
    if fmt not in FORMATS:
        raise EvaluationError(f"unknown gold format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def check_subset(subset: str) -> Subset:
    """``subset`` if it names a subset, else an EvaluationError listing them."""
    for known in SUBSETS:
        if subset == known:
            return known
    raise EvaluationError(f"unknown subset {subset!r}: use one of {', '.join(SUBSETS)}")


def in_subset(number: int, subset: Subset) -> bool:
    """Whether the item with 1-based ``number`` in its file belongs to ``subset``."""
    if number < 1:
        raise EvaluationError(f"item number {number}: items are numbered from 1")
    if subset == "all":
        return True
    return (number % 2 == 1) == (subset == "tune")


def text_key(item: object) -> str:
    """A gold item's sentence reduced to lower-case letters and digits: the same sentence in
    two files (penta and spans share 922) has the same key however it was tokenised."""
    text = getattr(item, "text", None)
    if not isinstance(text, str):
        tokens = getattr(item, "tokens", ())
        text = " ".join(str(t) for t in tokens)
    return "".join(c for c in text.lower() if c.isalnum())


def select(items: Sequence[T], subset: Subset) -> tuple[T, ...]:
    """The items of ``subset``, in file order (tune: 1st, 3rd, ...; heldout: 2nd, 4th, ...)."""
    return tuple(it for number, it in enumerate(items, 1) if in_subset(number, subset))


def read_gold(fmt: str, path: Path) -> Sequence[Any]:
    """The gold items of a file, read with the reader of ``fmt``."""
    return READERS[check_format(fmt)](Path(path))


class CachingCoder:
    """A :data:`Coder` that codes each distinct text once and remembers the result.

    Scoring several subsets of one file (or a subset twice) then runs dyad once per text.
    Texts are coded in one call to the wrapped coder per call, without repeats.
    """

    def __init__(self, coder: Coder) -> None:
        self._coder = coder
        self._done: dict[str, Coded] = {}

    def __call__(self, texts: Sequence[str]) -> Iterator[Coded]:
        todo = list(dict.fromkeys(t for t in texts if t not in self._done))
        if todo:
            got = list(self._coder(todo))
            if len(got) != len(todo):
                raise EvaluationError(
                    f"the coder returned {len(got)} results for {len(todo)} texts"
                )
            self._done.update(zip(todo, got, strict=True))
        return iter([self._done[t] for t in texts])

    def get(self, text: str) -> Coded | None:
        """What dyad made of ``text``, if it was coded."""
        return self._done.get(text)

    def __len__(self) -> int:
        return len(self._done)


def evaluate(
    fmt: str,
    path: Path,
    *,
    subset: Subset = "all",
    limit: int | None = None,
    coder: Coder | None = None,
    n_process: int | None = None,
    models: bool = True,
    worst: int = score.WORST,
    heldout_errors: bool = False,
    tuned: frozenset[str] = frozenset(),
) -> EvalReport:
    """Score dyad against the gold file ``path`` of format ``fmt``.

    ``subset`` picks the items (all, the tuning half: odd item numbers, the held-out half:
    even ones); ``limit`` then scores only the first N of them. ``coder`` replaces the
    pipeline (default: :func:`pipeline_coder` with ``n_process`` and ``models``); pass one
    :class:`CachingCoder` to several calls to code each text once. ``worst`` is how many errors
    to keep: they come from tuning-half items only, unless ``heldout_errors`` (the final
    audit). Penta and petrarch reports carry a calibration table. ``tuned`` holds the
    :func:`text_key` of sentences inspected in another file's tuning half: such items are
    never held out here, whatever their number.
    """
    check_format(fmt)
    subset = check_subset(subset)
    if limit is not None and limit < 1:
        raise EvaluationError(f"{path}: limit must be at least 1, got {limit}")
    if worst < 0:
        raise EvaluationError(f"{path}: worst must be 0 or more, got {worst}")
    started = time.perf_counter()
    every = read_gold(fmt, path)

    def half_of(k: int, it: object) -> Subset:
        return "tune" if in_subset(k, "tune") or text_key(it) in tuned else "heldout"

    numbered = [
        (k, it) for k, it in enumerate(every, 1) if subset == "all" or half_of(k, it) == subset
    ]
    if limit is not None:
        numbered = numbered[:limit]
    items = [it for _, it in numbered]
    if not items:
        raise EvaluationError(
            f"{path}: the {SUBSET_LABELS[subset]} is empty (the file has {len(every)} items)"
        )
    memo = coder if isinstance(coder, CachingCoder) else None
    if memo is None:
        memo = CachingCoder(coder or pipeline_coder(n_process=n_process, models=models))
    scorer = score.by_format()[fmt]
    path = Path(path)
    all_errors = heldout_errors or subset == "tune"
    report = scorer(items, memo, path=path, worst=worst if all_errors else 0)
    notes = [f"subset: {_subset_note(subset, len(items), len(every), limit)}"]
    if not all_errors and worst:
        if subset == "all":
            tune = [it for k, it in numbered if half_of(k, it) == "tune"]
            shown = scorer(tune, memo, path=path, worst=worst).worst if tune else ()
            report = dataclasses.replace(report, worst=shown)
            notes.append(
                "worst errors: tuning-half items only (odd item numbers); held-out errors "
                "are listed only for the final audit"
            )
        else:
            notes.append(
                "worst errors: not listed for the held-out half (only for the final audit)"
            )
    return dataclasses.replace(
        report,
        subset=subset,
        calibration=calibrate(fmt, items, memo),
        notes=(*report.notes, *notes),
        elapsed_s=time.perf_counter() - started,
    )


def _subset_note(subset: Subset, chosen: int, whole: int, limit: int | None) -> str:
    what = SUBSET_LABELS[subset]
    first = f", the first {limit} of them" if limit is not None else ""
    return f"{what}{first}: {chosen} of the {whole} items in the file"


PENTA_CALIBRATION = (
    "main event's confidence vs its penta class being right (sentences with an event)"
)
PETRARCH_CALIBRATION = (
    "event's confidence vs one of its (root, source country, target country) codings being "
    "among the sentence's gold codings (events the scorer codes)"
)


def calibrate(fmt: str, items: Sequence[Any], coded: CachingCoder) -> Calibration | None:
    """The calibration table of a penta or petrarch evaluation; None for other formats.

    ``coded`` must already hold what dyad made of each item's text (after scoring).
    """
    if fmt == "penta":
        return calibrate_penta(items, coded)
    if fmt == "petrarch":
        return calibrate_petrarch(items, coded)
    return None


def _events_of(text: str, coded: CachingCoder) -> tuple[CodedEvent, ...]:
    result = coded.get(text)
    if result is None:
        raise EvaluationError(f"calibration: the text {text[:60]!r} was never coded")
    return result.events


def calibrate_penta(items: Sequence[PentaItem], coded: CachingCoder) -> Calibration:
    """Per sentence with an event: the main event's confidence, and whether its class is right."""
    judged: list[tuple[float, bool]] = []
    for item in items:
        main = main_event(_events_of(item.text, coded))
        if main is None:
            continue
        e = main.event
        judged.append((e.confidence, penta_class(e.cameo_root or e.cameo) == item.label))
    return Calibration.build(PENTA_CALIBRATION, judged)


def calibrate_petrarch(items: Sequence[PetrarchSentence], coded: CachingCoder) -> Calibration:
    """Per event that yields codings: its confidence, and whether one matches a gold coding."""
    judged: list[tuple[float, bool]] = []
    for item in items:
        gold, _, _ = score.gold_codings(item.codings)
        for ce in _events_of(item.text, coded):
            mine, _, _ = score.petrarch_codings([ce])
            if mine:
                judged.append((ce.event.confidence, bool(mine & gold)))
    return Calibration.build(PETRARCH_CALIBRATION, judged)


def guess_format(path: Path) -> str:
    """The format of a gold file, from its name and first lines; EvaluationError if unclear."""
    path = Path(path)
    head = readers.read_text(path)[:4096]
    suffix = path.suffix.lower()
    first = next((line for line in head.splitlines() if line.strip()), "")
    if "<Sentence" in head or suffix == ".xml":
        return "petrarch"
    if suffix == ".csv" or ("sent_text" in first and "," in first):
        return "police"
    if suffix in (".jsonl", ".json") or first.lstrip().startswith(("{", "[")):
        try:
            obj = json.loads(first)
        except json.JSONDecodeError:
            obj = None
        if isinstance(obj, dict) and "spans" in obj:
            return "location"
        return "plover"
    lines = [line for line in head.splitlines() if line.strip()][:2]
    if suffix == ".tsv" or any(line.rpartition("\t")[2].strip().isdigit() for line in lines):
        return "penta"
    fields = first.split()
    if len(fields) >= 2 and (fields[-1] == "O" or fields[-1][:2] in ("B-", "I-")):
        return "spans"
    raise EvaluationError(f"{path}: cannot tell the gold format; name it ({', '.join(FORMATS)})")


__all__ = [
    "FORMATS",
    "SUBSETS",
    "SUBSET_LABELS",
    "CachingCoder",
    "Calibration",
    "CalibrationRow",
    "ClassRow",
    "ClassTable",
    "Coded",
    "CodedEvent",
    "Coder",
    "Confusion",
    "ErrorExample",
    "EvalReport",
    "Subset",
    "calibrate",
    "calibrate_penta",
    "calibrate_petrarch",
    "check_format",
    "check_subset",
    "coded_event",
    "evaluate",
    "guess_format",
    "in_subset",
    "main_event",
    "pipeline_coder",
    "read_gold",
    "select",
    "text_key",
]
