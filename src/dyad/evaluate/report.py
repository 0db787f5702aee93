"""What an evaluation produces: :class:`EvalReport`, and how it is shown.

A report holds figures (``metrics``: rates and scores between 0 and 1; ``counts``), tables of
per-class precision/recall/F1, at most one confusion matrix, a calibration table (how often
events of each confidence band are right), and the worst errors with the sentence, what the
gold file says and what dyad produced. The same data renders as plain text (what ``dyad eval``
prints), Markdown (the ``make eval`` report) and a JSON-ready dict.

A report covers one :data:`Subset` of its gold file: every item, the tuning half (items with
an odd 1-based number in the file) or the held-out half (even numbers).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, TypeAlias

from dyad.errors import EvaluationError

Subset: TypeAlias = Literal["all", "tune", "heldout"]
"""Which items of a gold file are scored: all, the tuning half, or the held-out half."""

SUBSETS: tuple[Subset, ...] = ("all", "tune", "heldout")

SUBSET_LABELS: Mapping[Subset, str] = {
    "all": "all items",
    "tune": "tuning half (odd item numbers)",
    "heldout": "held-out half (even item numbers)",
}
"""How each subset is named in reports."""

CALIBRATION_EDGES: tuple[float, ...] = (0.0, 0.4, 0.6, 0.8, 1.0)
"""Confidence bands of the calibration table: [0, .4), [.4, .6), [.6, .8), [.8, 1]."""

METRIC_LABELS: Mapping[str, str] = {
    "accuracy": "accuracy",
    "macro_f1": "macro-F1",
    "coverage": "coverage (sentences with any event)",
    "micro_precision": "micro precision",
    "micro_recall": "micro recall",
    "micro_f1": "micro-F1",
    "event_rate": "sentences with any event",
    "root_tp_rate": "true positives, root code",
    "root_extra_rate": "extra events, root code",
    "root_actors_tp_rate": "true positives, root + source/target country",
    "root_actors_extra_rate": "extra events, root + source/target country",
    "full_tp_rate": "true positives, full code + full actor codes",
    "full_extra_rate": "extra events, full code + full actor codes",
    "noevent_accuracy": "no-event sentences left without events",
    "found_rate": "event found (trigger overlaps the gold verb)",
    "place_accuracy": "place right, among found events",
    "place_rate": "place right, over all rows with a gold place",
    "unlocated_placed_rate": "rows without a gold place where dyad placed the event in the text",
    "reject_placed_rate": "rejected rows where dyad placed the event at the rejected place",
    "type_accuracy": "main event type = gold type",
    "mode_accuracy": "mode right, among type matches",
    "source_country_accuracy": "source country right, among type matches",
    "target_country_accuracy": "target country right, among type matches",
    "source_text_accuracy": "source text overlaps gold, among type matches",
    "target_text_accuracy": "target text overlaps gold, among type matches",
    "any_actor_f1": "any actor tokens F1 (role ignored)",
    "any_action_f1": "F1, any police action",
    "kill_f1": "F1, police killed",
    "arrest_f1": "F1, police arrested",
    "force_f1": "F1, police used force",
    "fail_f1": "F1, police failed to act",
}
"""Readable names for the figures; a figure without one is shown by its key."""

PRF_HEADERS: tuple[str, ...] = ("gold", "dyad", "correct", "precision", "recall", "F1")


def _pct(value: float) -> str:
    return f"{100.0 * value:.1f}%"


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class ClassRow:
    """One class (or tag, or label): gold count, dyad's count, and how many agree."""

    label: str
    support: int
    predicted: int
    correct: int

    @property
    def precision(self) -> float:
        return _ratio(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return _ratio(self.correct, self.support)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "support": self.support,
            "predicted": self.predicted,
            "correct": self.correct,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass(frozen=True, slots=True)
class ClassTable:
    """Per-class precision/recall/F1; ``headers`` names the six columns after the label."""

    title: str
    rows: tuple[ClassRow, ...]
    headers: tuple[str, ...] = PRF_HEADERS

    def macro_f1(self) -> float:
        return sum(r.f1 for r in self.rows) / len(self.rows) if self.rows else 0.0

    def micro(self, label: str = "micro") -> ClassRow:
        """The rows pooled into one (micro-averaged precision/recall/F1)."""
        return ClassRow(
            label,
            sum(r.support for r in self.rows),
            sum(r.predicted for r in self.rows),
            sum(r.correct for r in self.rows),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "headers": list(self.headers),
            "rows": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True, slots=True)
class Confusion:
    """Counts of (gold, dyad) labels: ``matrix[i][j]`` = gold ``rows[i]``, dyad ``columns[j]``."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    matrix: tuple[tuple[int, ...], ...]

    @classmethod
    def build(
        cls,
        title: str,
        rows: Sequence[str],
        columns: Sequence[str],
        pairs: Sequence[tuple[str, str]],
    ) -> Confusion:
        """Count ``(gold, dyad)`` pairs; a label outside ``rows``/``columns`` is an error."""
        r_index = {label: i for i, label in enumerate(rows)}
        c_index = {label: j for j, label in enumerate(columns)}
        counts = [[0] * len(columns) for _ in rows]
        for gold, got in pairs:
            counts[r_index[gold]][c_index[got]] += 1
        return cls(title, tuple(rows), tuple(columns), tuple(tuple(row) for row in counts))

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "rows": list(self.rows),
            "columns": list(self.columns),
            "matrix": [list(row) for row in self.matrix],
        }


@dataclass(frozen=True, slots=True)
class ErrorExample:
    """One thing dyad got wrong: where, the sentence, the gold answer, dyad's answer, the kind."""

    ref: str
    sentence: str
    gold: str
    got: str
    why: str
    severity: float = 0.0
    """Larger is worse; reports keep the examples with the largest severity."""

    def to_json(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "sentence": self.sentence,
            "gold": self.gold,
            "got": self.got,
            "why": self.why,
            "severity": round(self.severity, 4),
        }


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """Events whose confidence lies in ``[low, high)`` (the last band includes ``high``)."""

    low: float
    high: float
    events: int
    correct: int

    @property
    def label(self) -> str:
        return f"{self.low:.1f}-{self.high:.1f}"

    @property
    def share(self) -> float:
        """The share of the band's events that are right (0 for an empty band)."""
        return _ratio(self.correct, self.events)

    def to_json(self) -> dict[str, Any]:
        return {
            "low": self.low,
            "high": self.high,
            "events": self.events,
            "correct": self.correct,
            "share": round(self.share, 4),
        }


@dataclass(frozen=True, slots=True)
class Calibration:
    """Events bucketed by confidence, with how many of each band are right.

    ``title`` says what an event is and what makes it right. Well calibrated, the share right
    rises from band to band.
    """

    title: str
    rows: tuple[CalibrationRow, ...]

    @classmethod
    def build(
        cls,
        title: str,
        judged: Sequence[tuple[float, bool]],
        edges: Sequence[float] = CALIBRATION_EDGES,
    ) -> Calibration:
        """Bucket ``(confidence, right)`` pairs into the bands between ``edges``.

        A confidence below the first edge counts in the first band, one at or above the
        last edge in the last band.
        """
        if len(edges) < 2 or any(b <= a for a, b in pairwise(edges)):
            raise EvaluationError(f"calibration edges {tuple(edges)}: need two or more, rising")
        bands = len(edges) - 1
        events = [0] * bands
        correct = [0] * bands
        for confidence, right in judged:
            band = next(
                (i for i in range(bands - 1) if confidence < edges[i + 1]),
                bands - 1,
            )
            events[band] += 1
            correct[band] += bool(right)
        rows = tuple(
            CalibrationRow(edges[i], edges[i + 1], events[i], correct[i]) for i in range(bands)
        )
        return cls(title, rows)

    @property
    def events(self) -> int:
        return sum(r.events for r in self.rows)

    @property
    def correct(self) -> int:
        return sum(r.correct for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "rows": [r.to_json() for r in self.rows]}

    def cells(self) -> list[list[str]]:
        """Header, one row per band (confidence, events, right, share right), and the total."""
        out = [["confidence", "events", "right", "share right"]]
        for r in self.rows:
            out.append([r.label, str(r.events), str(r.correct), _share(r.correct, r.events)])
        out.append(["all", str(self.events), str(self.correct), _share(self.correct, self.events)])
        return out


def _share(part: int, whole: int) -> str:
    return _pct(part / whole) if whole else "-"


def worst_of(examples: Sequence[ErrorExample], k: int) -> tuple[ErrorExample, ...]:
    """The ``k`` most severe examples, most severe first; ties keep the order of the gold file."""
    order = sorted(range(len(examples)), key=lambda i: (-examples[i].severity, i))
    return tuple(examples[i] for i in order[:k])


@dataclass(frozen=True, slots=True)
class EvalReport:
    """The result of scoring dyad against one gold file (or one half of it)."""

    fmt: str
    path: Path
    n: int
    """Gold items (sentences, rows) scored."""
    metrics: Mapping[str, float]
    """Rates and scores between 0 and 1 (shown as percentages)."""
    headline: tuple[str, ...] = ()
    """Keys of ``metrics`` that sum the set up, most important first."""
    counts: Mapping[str, int] = field(default_factory=dict)
    tables: tuple[ClassTable, ...] = ()
    confusion: Confusion | None = None
    worst: tuple[ErrorExample, ...] = ()
    skipped: int = 0
    """Gold items read but not scored (see ``notes`` for why)."""
    notes: tuple[str, ...] = ()
    """How the figures are defined for this format, and anything skipped."""
    elapsed_s: float = 0.0
    subset: Subset = "all"
    """Which items of the file were scored (see :data:`SUBSET_LABELS`)."""
    calibration: Calibration | None = None
    """How often dyad's events are right at each confidence (formats that define it)."""

    # -- JSON -------------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "path": str(self.path),
            "subset": self.subset,
            "n": self.n,
            "skipped": self.skipped,
            "headline": list(self.headline),
            "metrics": {k: round(v, 4) for k, v in self.metrics.items()},
            "counts": dict(self.counts),
            "tables": [t.to_json() for t in self.tables],
            "confusion": None if self.confusion is None else self.confusion.to_json(),
            "calibration": None if self.calibration is None else self.calibration.to_json(),
            "worst": [e.to_json() for e in self.worst],
            "notes": list(self.notes),
            "elapsed_s": round(self.elapsed_s, 2),
        }

    # -- plain text -------------------------------------------------------------------------

    def ordered_metrics(self) -> list[str]:
        """The keys of ``metrics``: the headline ones first, in headline order."""
        rest = [k for k in self.metrics if k not in self.headline]
        return [k for k in self.headline if k in self.metrics] + rest

    def _scored_line(self) -> str:
        line = f"{self.n} scored, {self.skipped} skipped, {self.elapsed_s:.1f} s"
        return line if self.subset == "all" else f"{line}, {SUBSET_LABELS[self.subset]}"

    def to_text(self) -> str:
        """What ``dyad eval`` prints."""
        out: list[str] = [f"dyad eval: {self.fmt}  {self.path}", self._scored_line(), ""]
        keys = self.ordered_metrics()
        width = max((len(METRIC_LABELS.get(k, k)) for k in keys), default=0)
        for key in keys:
            mark = "*" if key in self.headline else " "
            label = METRIC_LABELS.get(key, key)
            out.append(f" {mark} {label:<{width}}  {_pct(self.metrics[key]):>6}")
        if self.counts:
            out.append("   " + ", ".join(f"{k} {v}" for k, v in self.counts.items()))
        for table in self.tables:
            out += ["", f"{table.title}:", *_text_table(_table_cells(table))]
        if self.confusion is not None:
            c = self.confusion
            out += ["", f"{c.title} (rows: gold, columns: dyad):"]
            cells = [["", *c.columns]] + [
                [r, *(str(v) for v in row)] for r, row in zip(c.rows, c.matrix, strict=True)
            ]
            out += _text_table(cells)
        if self.calibration is not None:
            out += ["", f"{self.calibration.title}:", *_text_table(self.calibration.cells())]
        if self.worst:
            out += ["", "worst errors:"]
            for i, e in enumerate(self.worst, 1):
                out += [
                    f"{i:>3}. [{e.ref}] {e.why}",
                    f"     sentence: {e.sentence}",
                    f"     gold:     {e.gold}",
                    f"     dyad:     {e.got}",
                ]
        if self.notes:
            out += ["", "notes:", *(f"  - {n}" for n in self.notes)]
        return "\n".join(out) + "\n"

    # -- Markdown ---------------------------------------------------------------------------

    def to_markdown(self, *, level: int = 2) -> str:
        """A Markdown section (heading at ``level``) with the same content as :meth:`to_text`."""
        h = "#" * level
        out: list[str] = [
            f"{h} {self.fmt}: `{self.path.name}`",
            "",
            self._scored_line() + ".",
            "",
            "| figure | value |",
            "|---|---:|",
        ]
        for key in self.ordered_metrics():
            label = METRIC_LABELS.get(key, key)
            value = _pct(self.metrics[key])
            if key in self.headline:
                label, value = f"**{label}**", f"**{value}**"
            out.append(f"| {label} | {value} |")
        for k, v in self.counts.items():
            out.append(f"| {k} | {v} |")
        details = self.markdown_details(level=level + 1)
        return "\n".join(out) + ("\n\n" + details if details else "\n")

    def markdown_details(
        self,
        *,
        level: int = 3,
        calibration: bool = True,
        worst: bool = True,
        notes: bool = True,
    ) -> str:
        """Tables, confusion, calibration, worst errors and notes, headings at ``level``.

        ``calibration``, ``worst`` and ``notes`` False leave those parts out. Empty when
        there is nothing to show.
        """
        h = "#" * level
        out: list[str] = []
        for table in self.tables:
            out += ["", f"{h} {table.title}", "", *_md_table(_table_cells(table))]
        if self.confusion is not None:
            c = self.confusion
            cells = [["gold \\ dyad", *c.columns]] + [
                [r, *(str(v) for v in row)] for r, row in zip(c.rows, c.matrix, strict=True)
            ]
            out += ["", f"{h} {c.title}", "", *_md_table(cells)]
        if calibration and self.calibration is not None:
            cal = self.calibration
            out += ["", f"{h} Calibration: {cal.title}", "", *_md_table(cal.cells())]
        if worst and self.worst:
            out += ["", self.markdown_worst(level=level).rstrip()]
        if notes and self.notes:
            out += ["", f"{h} Notes", "", *(f"- {_md_escape(n)}" for n in self.notes)]
        return "\n".join(out[1:]) + "\n" if out else ""

    def markdown_worst(self, *, level: int = 3, title: str = "Worst errors") -> str:
        """The worst errors as a numbered Markdown list under a heading; empty when none."""
        if not self.worst:
            return ""
        out = [f"{'#' * level} {title}", ""]
        for i, e in enumerate(self.worst, 1):
            out += [
                f"{i}. `{e.ref}` {_md_escape(e.why)}",
                f"   - sentence: {_md_escape(e.sentence)}",
                f"   - gold: {_md_escape(e.gold)}",
                f"   - dyad: {_md_escape(e.got)}",
            ]
        return "\n".join(out) + "\n"


def _table_cells(table: ClassTable) -> list[list[str]]:
    cells = [["", *table.headers]]
    for r in table.rows:
        cells.append(
            [
                r.label,
                str(r.support),
                str(r.predicted),
                str(r.correct),
                _pct(r.precision),
                _pct(r.recall),
                _pct(r.f1),
            ]
        )
    return cells


def _text_table(cells: list[list[str]]) -> list[str]:
    widths = [max(len(row[j]) for row in cells) for j in range(len(cells[0]))]
    lines = []
    for row in cells:
        parts = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  " + "  ".join(parts).rstrip())
    return lines


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(cells: list[list[str]]) -> list[str]:
    head, *body = cells
    lines = [
        "| " + " | ".join(_md_escape(c) for c in head) + " |",
        "|---|" + "---:|" * (len(head) - 1),
    ]
    lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in body]
    return lines
