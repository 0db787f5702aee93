"""The regression gate: floors, ceilings, tolerance, and the floors file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dyad.errors import EvaluationError
from dyad.evaluate.gate import (
    Floor,
    Floors,
    check,
    failures,
    load_floors,
    parse_floors,
    updated,
    write_floors,
)

FLOORS = Floors(
    (
        Floor("penta", "macro_f1", 0.42, "higher"),
        Floor("petrarch", "root_actors_extra_rate", 0.30, "lower"),
        Floor("dates", "accuracy", None, "higher"),
    ),
    tolerance=0.01,
)


@pytest.mark.parametrize(
    ("measured", "ok"),
    [
        ({"penta": {"macro_f1": 0.42}}, True),
        ({"penta": {"macro_f1": 0.55}}, True),
        ({"penta": {"macro_f1": 0.411}}, True),  # less than a point worse
        ({"penta": {"macro_f1": 0.409}}, False),  # more than a point worse
        ({"petrarch": {"root_actors_extra_rate": 0.309}}, True),
        ({"petrarch": {"root_actors_extra_rate": 0.311}}, False),  # a ceiling: higher is worse
        ({"petrarch": {"root_actors_extra_rate": 0.10}}, True),
        ({"penta": {"accuracy": 0.9}}, False),  # the pinned figure is missing
        ({}, True),  # nothing ran
        ({"dates": {"accuracy": 0.0}}, True),  # not pinned yet
    ],
)
def test_check(measured: dict[str, dict[str, float]], ok: bool) -> None:
    results = check(FLOORS, measured)
    assert (not failures(results)) is ok
    assert len(results) == 3


def test_check_messages_say_which_figure_and_by_how_much() -> None:
    (bad,) = failures(check(FLOORS, {"penta": {"macro_f1": 0.38}}))
    assert bad.message.startswith("penta.macro_f1: 38.0% vs floor 42.0% (-4.0 points")
    assert bad.message.endswith("WORSE")
    results = check(FLOORS, {"petrarch": {"root_actors_extra_rate": 0.2}})
    assert "vs ceiling 30.0%" in results[1].message and results[1].ok


def test_updated_pins_measured_figures_only() -> None:
    new = updated(FLOORS, {"penta": {"macro_f1": 0.512345}, "dates": {"accuracy": 0.9}})
    values = {f.name: f.value for f in new.figures}
    assert values == {
        "penta.macro_f1": 0.5123,
        "petrarch.root_actors_extra_rate": 0.30,
        "dates.accuracy": 0.9,
    }


def test_floors_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "floors.json"
    write_floors(path, FLOORS)
    assert load_floors(path) == FLOORS


def test_the_repository_floors_file_is_valid() -> None:
    path = Path(__file__).resolve().parents[2] / "bench" / "floors.json"
    floors = load_floors(path)
    names = {f.name for f in floors.figures}
    # held-out figures for the split sets; location is gated on all rows (fitted on all)
    assert {"penta.heldout.macro_f1", "spans.heldout.micro_f1",
            "petrarch.heldout.root_actors_tp_rate", "petrarch.heldout.root_actors_extra_rate",
            "location.all.place_accuracy", "police.heldout.macro_f1",
            "dates.accuracy"} <= names  # fmt: skip
    extra = next(f for f in floors.figures if f.name == "petrarch.heldout.root_actors_extra_rate")
    assert extra.better == "lower"


def _fig(**kw: Any) -> dict[str, Any]:
    return {"set": "penta", "metric": "macro_f1", "value": 0.5, "better": "higher", **kw}


@pytest.mark.parametrize(
    ("obj", "message"),
    [
        ([], "expected a JSON object"),
        ({"version": 2, "figures": []}, "version 2 is not 1"),
        ({"version": 1, "tolerance": 5, "figures": []}, "tolerance 5 is not a fraction"),
        ({"version": 1}, "'figures' is not a list"),
        ({"version": 1, "figures": ["x"]}, "figures[0] is not an object"),
        ({"version": 1, "figures": [_fig(set="")]}, "'set' is not a name"),
        ({"version": 1, "figures": [_fig(metric=None)]}, "(penta): 'metric' is not a name"),
        ({"version": 1, "figures": [_fig(value=42)]}, "(penta.macro_f1): value 42 is not null"),
        ({"version": 1, "figures": [_fig(value=True)]}, "value True is not null"),
        ({"version": 1, "figures": [_fig(better="up")]}, "better 'up' is not"),
        (
            {"version": 1, "figures": [_fig(), _fig()]},
            "figures[1] (penta.macro_f1) is pinned twice",
        ),
    ],
)
def test_bad_floors_are_refused(obj: Any, message: str) -> None:
    with pytest.raises(EvaluationError) as info:
        parse_floors(obj, Path("floors.json"))
    assert str(info.value).startswith("floors.json: ")
    assert message in str(info.value)


def test_unreadable_floors_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="cannot be read"):
        load_floors(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1,\n "figures": [}', encoding="utf-8")
    with pytest.raises(EvaluationError, match="line 2: not valid JSON"):
        load_floors(bad)
    ok = tmp_path / "ok.json"
    ok.write_text(json.dumps({"version": 1, "figures": []}), encoding="utf-8")
    assert load_floors(ok) == Floors(())
