"""The regression gate: pinned headline figures that a change may not make worse.

``bench/floors.json`` pins one or two figures per evaluation set::

    {
      "version": 1,
      "tolerance": 0.01,
      "figures": [
        {"set": "penta", "metric": "macro_f1", "value": 0.42, "better": "higher"},
        {"set": "petrarch", "metric": "root_actors_extra_rate", "value": 0.3, "better": "lower"}
      ]
    }

Values are fractions (0.42 = 42%); ``tolerance`` 0.01 is one percentage point. A figure with
``better: higher`` fails when it falls more than the tolerance below its floor; one with
``better: lower`` (a rate of errors) fails when it rises more than the tolerance above its
ceiling. A figure whose value is null is not pinned yet; a set that was not run is not
checked.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeAlias

from dyad.errors import EvaluationError

Better: TypeAlias = Literal["higher", "lower"]
FLOORS_VERSION = 1
DEFAULT_TOLERANCE = 0.01

Measured: TypeAlias = Mapping[str, Mapping[str, float]]
"""Set name -> figure name -> value, for the sets that ran."""


@dataclass(frozen=True, slots=True)
class Floor:
    set: str
    metric: str
    value: float | None
    """The pinned figure; None when not pinned yet."""
    better: Better = "higher"

    @property
    def name(self) -> str:
        return f"{self.set}.{self.metric}"

    def to_json(self) -> dict[str, Any]:
        return {"set": self.set, "metric": self.metric, "value": self.value, "better": self.better}


@dataclass(frozen=True, slots=True)
class Floors:
    figures: tuple[Floor, ...]
    tolerance: float = DEFAULT_TOLERANCE
    version: int = FLOORS_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "tolerance": self.tolerance,
            "figures": [f.to_json() for f in self.figures],
        }


@dataclass(frozen=True, slots=True)
class GateResult:
    floor: Floor
    measured: float | None
    """None when the set did not run (or the floor is not pinned)."""
    ok: bool
    message: str


def _bad(path: Path, reason: str) -> EvaluationError:
    return EvaluationError(f"{path}: {reason}")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_floors(obj: Any, path: Path) -> Floors:
    """Validate the parsed JSON of a floors file."""
    if not isinstance(obj, dict):
        raise _bad(path, "expected a JSON object with version, tolerance and figures")
    if obj.get("version") != FLOORS_VERSION:
        raise _bad(path, f"version {obj.get('version')!r} is not {FLOORS_VERSION}")
    tolerance = obj.get("tolerance", DEFAULT_TOLERANCE)
    if not _number(tolerance) or not 0 <= tolerance < 1:
        raise _bad(path, f"tolerance {tolerance!r} is not a fraction between 0 and 1")
    figures = obj.get("figures")
    if not isinstance(figures, list):
        raise _bad(path, "'figures' is not a list")
    out: list[Floor] = []
    seen: set[str] = set()
    for i, fig in enumerate(figures):
        what = f"figures[{i}]"
        if not isinstance(fig, dict):
            raise _bad(path, f"{what} is not an object")
        name_set, metric = fig.get("set"), fig.get("metric")
        if not isinstance(name_set, str) or not name_set:
            raise _bad(path, f"{what}: 'set' is not a name")
        if not isinstance(metric, str) or not metric:
            raise _bad(path, f"{what} ({name_set}): 'metric' is not a name")
        what = f"{what} ({name_set}.{metric})"
        value = fig.get("value")
        if value is not None and (not _number(value) or not 0 <= value <= 1):
            raise _bad(path, f"{what}: value {value!r} is not null or a fraction 0..1")
        better = fig.get("better", "higher")
        if better not in ("higher", "lower"):
            raise _bad(path, f"{what}: better {better!r} is not 'higher' or 'lower'")
        if f"{name_set}.{metric}" in seen:
            raise _bad(path, f"{what} is pinned twice")
        seen.add(f"{name_set}.{metric}")
        out.append(
            Floor(
                name_set,
                metric,
                None if value is None else float(value),
                "higher" if better == "higher" else "lower",
            )
        )
    return Floors(tuple(out), float(tolerance))


def load_floors(path: Path) -> Floors:
    """Read and validate ``bench/floors.json``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise _bad(path, f"cannot be read ({exc.strerror})") from exc
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _bad(path, f"line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    return parse_floors(obj, path)


def check(floors: Floors, measured: Measured) -> tuple[GateResult, ...]:
    """Compare measured figures with their floors (and ceilings)."""
    out: list[GateResult] = []
    tol = floors.tolerance
    for floor in floors.figures:
        got = measured.get(floor.set, {}).get(floor.metric)
        if floor.value is None:
            out.append(GateResult(floor, got, True, f"{floor.name}: not pinned yet"))
            continue
        if floor.set not in measured:
            out.append(GateResult(floor, None, True, f"{floor.name}: set not run"))
            continue
        if got is None:
            out.append(
                GateResult(floor, None, False, f"{floor.name}: figure missing from the report")
            )
            continue
        delta = 100 * (got - floor.value)
        if floor.better == "higher":
            ok = got >= floor.value - tol
            bound = "floor"
        else:
            ok = got <= floor.value + tol
            bound = "ceiling"
        verdict = "ok" if ok else "WORSE"
        message = (
            f"{floor.name}: {100 * got:.1f}% vs {bound} {100 * floor.value:.1f}% "
            f"({delta:+.1f} points, {floor.better} is better) {verdict}"
        )
        out.append(GateResult(floor, got, ok, message))
    return tuple(out)


def failures(results: Sequence[GateResult]) -> tuple[GateResult, ...]:
    return tuple(r for r in results if not r.ok)


def updated(floors: Floors, measured: Measured) -> Floors:
    """The floors with every figure that was measured set to its measured value (rounded)."""
    figures = tuple(
        replace(f, value=round(measured[f.set][f.metric], 4))
        if f.metric in measured.get(f.set, {})
        else f
        for f in floors.figures
    )
    return replace(floors, figures=figures)


def write_floors(path: Path, floors: Floors) -> None:
    Path(path).write_text(json.dumps(floors.to_json(), indent=2) + "\n", encoding="utf-8")
