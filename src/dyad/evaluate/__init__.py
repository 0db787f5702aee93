"""``dyad eval``: score dyad against hand-coded gold files.

>>> report = evaluate("penta", Path("penta_train.tsv"), limit=200)   # doctest: +SKIP
>>> print(report.to_text())                                           # doctest: +SKIP

Formats (see :mod:`dyad.evaluate.readers` for the files, :mod:`dyad.evaluate.score` for how
each is scored): ``petrarch``, ``plover``, ``penta``, ``spans``, ``location``, ``police``.
Scorers take a :data:`~dyad.evaluate.coder.Coder`; :func:`evaluate` uses the dyad pipeline
unless given another (tests pass fakes).
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dyad.errors import EvaluationError
from dyad.evaluate import readers, score
from dyad.evaluate.coder import Coded, CodedEvent, Coder, coded_event, main_event, pipeline_coder
from dyad.evaluate.report import ClassRow, ClassTable, Confusion, ErrorExample, EvalReport

FORMATS: tuple[str, ...] = ("petrarch", "plover", "penta", "spans", "location", "police")

READERS: Mapping[str, Callable[[Path], Sequence[Any]]] = {
    "petrarch": readers.read_petrarch,
    "plover": readers.read_plover,
    "penta": readers.read_penta,
    "spans": readers.read_spans,
    "location": readers.read_location,
    "police": readers.read_police,
}


def check_format(fmt: str) -> str:
    """``fmt`` if it is a known format, else an EvaluationError listing them."""
    if fmt not in FORMATS:
        raise EvaluationError(f"unknown gold format {fmt!r}: use one of {', '.join(FORMATS)}")
    return fmt


def read_gold(fmt: str, path: Path) -> Sequence[Any]:
    """The gold items of a file, read with the reader of ``fmt``."""
    return READERS[check_format(fmt)](Path(path))


def evaluate(
    fmt: str,
    path: Path,
    *,
    limit: int | None = None,
    coder: Coder | None = None,
    n_process: int | None = None,
    worst: int = score.WORST,
) -> EvalReport:
    """Score dyad against the gold file ``path`` of format ``fmt``.

    ``limit`` scores only the first N gold items; ``coder`` replaces the pipeline (default:
    :func:`pipeline_coder` with ``n_process``); ``worst`` is how many errors to keep.
    """
    check_format(fmt)
    if limit is not None and limit < 1:
        raise EvaluationError(f"{path}: limit must be at least 1, got {limit}")
    started = time.perf_counter()
    items = read_gold(fmt, path)
    if limit is not None:
        items = items[:limit]
    scorer = score.by_format()[fmt]
    report = scorer(
        items, coder or pipeline_coder(n_process=n_process), path=Path(path), worst=worst
    )
    return dataclasses.replace(report, elapsed_s=time.perf_counter() - started)


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
    "ClassRow",
    "ClassTable",
    "Coded",
    "CodedEvent",
    "Coder",
    "Confusion",
    "ErrorExample",
    "EvalReport",
    "check_format",
    "coded_event",
    "evaluate",
    "guess_format",
    "main_event",
    "pipeline_coder",
    "read_gold",
]
