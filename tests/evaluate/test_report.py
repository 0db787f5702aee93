"""Report rendering: plain text, Markdown and JSON carry the same figures."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from dyad.errors import EvaluationError
from dyad.evaluate.report import (
    Calibration,
    ClassRow,
    ClassTable,
    Confusion,
    ErrorExample,
    EvalReport,
    Subset,
    worst_of,
)


def _report() -> EvalReport:
    table = ClassTable("per class", (ClassRow("alpha", 4, 2, 2), ClassRow("beta|gamma", 2, 4, 1)))
    return EvalReport(
        fmt="penta",
        path=Path("/data/gold.tsv"),
        n=6,
        metrics={"accuracy": 0.5, "macro_f1": 0.4583, "coverage": 1.0},
        headline=("macro_f1", "accuracy"),
        counts={"sentences": 6},
        tables=(table,),
        confusion=Confusion.build(
            "classes",
            ("alpha", "beta|gamma"),
            ("alpha", "beta|gamma", "none"),
            [("alpha", "alpha"), ("alpha", "beta|gamma"), ("beta|gamma", "none")],
        ),
        worst=(ErrorExample("line 3", "Troops | tanks crossed.", "class 4", "class 1", "wrong"),),
        skipped=1,
        notes=("a note",),
        elapsed_s=2.25,
    )


@pytest.mark.parametrize(
    ("row", "p", "r", "f1"),
    [
        (ClassRow("x", 4, 2, 2), 1.0, 0.5, 2 / 3),
        (ClassRow("x", 0, 0, 0), 0.0, 0.0, 0.0),
        (ClassRow("x", 3, 0, 0), 0.0, 0.0, 0.0),
        (ClassRow("x", 0, 5, 0), 0.0, 0.0, 0.0),
        (ClassRow("x", 10, 10, 10), 1.0, 1.0, 1.0),
    ],
)
def test_class_row_figures(row: ClassRow, p: float, r: float, f1: float) -> None:
    assert (row.precision, row.recall) == pytest.approx((p, r))
    assert row.f1 == pytest.approx(f1)


def test_table_macro_and_micro() -> None:
    table = _report().tables[0]
    assert table.macro_f1() == pytest.approx((2 / 3 + 1 / 3) / 2)
    micro = table.micro()
    assert (micro.support, micro.predicted, micro.correct) == (6, 6, 3)


def test_confusion_counts_pairs() -> None:
    c = _report().confusion
    assert c is not None
    assert c.matrix == ((1, 1, 0), (0, 0, 1))


def test_to_text_shows_figures_tables_confusion_and_errors() -> None:
    text = _report().to_text()
    lines = text.splitlines()
    assert lines[0] == "dyad eval: penta  /data/gold.tsv"
    assert "6 scored, 1 skipped, 2.2 s" in lines[1]
    assert lines[3].startswith(" * macro-F1") and lines[3].endswith("45.8%")
    assert lines[4].startswith(" * accuracy")
    assert any(line.startswith("   coverage") and line.endswith("100.0%") for line in lines)
    assert "classes (rows: gold, columns: dyad):" in text
    assert "sentence: Troops | tanks crossed." in text
    assert "  - a note" in text
    header = next(line for line in lines if "precision" in line)
    assert header.split() == ["gold", "dyad", "correct", "precision", "recall", "F1"]


def test_to_markdown_escapes_and_bolds_headline() -> None:
    md = _report().to_markdown()
    assert md.startswith("## penta: `gold.tsv`")
    assert "| **macro-F1** | **45.8%** |" in md
    assert "| coverage (sentences with any event) | 100.0% |" in md
    assert "beta\\|gamma" in md and "Troops \\| tanks" in md
    assert "### classes" in md and "| gold \\ dyad |" in md


def test_to_json_is_serialisable_and_complete() -> None:
    obj = _report().to_json()
    again = json.loads(json.dumps(obj))
    assert again["format"] == "penta" and again["n"] == 6 and again["skipped"] == 1
    assert again["metrics"]["macro_f1"] == 0.4583
    assert again["tables"][0]["rows"][0] == {
        "label": "alpha",
        "support": 4,
        "predicted": 2,
        "correct": 2,
        "precision": 1.0,
        "recall": 0.5,
        "f1": 0.6667,
    }
    assert again["confusion"]["matrix"] == [[1, 1, 0], [0, 0, 1]]
    assert again["worst"][0]["why"] == "wrong"


def test_worst_of_keeps_most_severe_in_file_order() -> None:
    examples = [
        ErrorExample(str(i), "", "", "", "", severity=s) for i, s in enumerate([1, 3, 3, 2])
    ]
    assert [e.ref for e in worst_of(examples, 3)] == ["1", "2", "3"]
    assert worst_of(examples, 0) == ()


# -- subsets and calibration ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("confidence", "band"),
    [(0.0, 0), (0.39, 0), (0.4, 1), (0.59, 1), (0.6, 2), (0.799, 2), (0.8, 3), (1.0, 3),
     (-0.1, 0), (1.2, 3)],
)  # fmt: skip
def test_calibration_bands(confidence: float, band: int) -> None:
    cal = Calibration.build("events", [(confidence, True)])
    assert [r.events for r in cal.rows] == [int(i == band) for i in range(4)]
    assert [r.label for r in cal.rows] == ["0.0-0.4", "0.4-0.6", "0.6-0.8", "0.8-1.0"]


def test_calibration_shares_and_cells() -> None:
    cal = Calibration.build("events", [(0.9, True), (0.95, False), (0.85, True), (0.5, False)])
    assert [(r.events, r.correct) for r in cal.rows] == [(0, 0), (1, 0), (0, 0), (3, 2)]
    assert cal.rows[3].share == pytest.approx(2 / 3) and cal.rows[0].share == 0.0
    assert (cal.events, cal.correct) == (4, 2)
    assert cal.cells() == [
        ["confidence", "events", "right", "share right"],
        ["0.0-0.4", "0", "0", "-"],
        ["0.4-0.6", "1", "0", "0.0%"],
        ["0.6-0.8", "0", "0", "-"],
        ["0.8-1.0", "3", "2", "66.7%"],
        ["all", "4", "2", "50.0%"],
    ]


@pytest.mark.parametrize("edges", [(), (0.5,), (0.0, 0.5, 0.5, 1.0), (1.0, 0.0)])
def test_calibration_edges_must_rise(edges: tuple[float, ...]) -> None:
    with pytest.raises(EvaluationError, match="calibration edges"):
        Calibration.build("events", [], edges)


def _split_report(subset: Subset) -> EvalReport:
    cal = Calibration.build("main event right", [(0.9, True), (0.3, False)])
    return replace(_report(), subset=subset, calibration=cal)


@pytest.mark.parametrize(
    ("subset", "line"),
    [("all", "6 scored, 1 skipped, 2.2 s"),
     ("tune", "6 scored, 1 skipped, 2.2 s, tuning half (odd item numbers)"),
     ("heldout", "6 scored, 1 skipped, 2.2 s, held-out half (even item numbers)")],
)  # fmt: skip
def test_the_subset_is_named_in_every_rendering(subset: Subset, line: str) -> None:
    report = _split_report(subset)
    assert report.to_text().splitlines()[1] == line
    assert report.to_markdown().splitlines()[2] == line + "."
    assert report.to_json()["subset"] == subset


def test_calibration_is_rendered() -> None:
    report = _split_report("tune")
    text = report.to_text()
    assert "main event right:" in text
    assert any(line.split() == ["0.8-1.0", "1", "1", "100.0%"] for line in text.splitlines())
    md = report.to_markdown()
    assert "### Calibration: main event right" in md and "| all | 2 | 1 | 50.0% |" in md
    rows = report.to_json()["calibration"]["rows"]
    assert rows[0] == {"low": 0.0, "high": 0.4, "events": 1, "correct": 0, "share": 0.0}


@pytest.mark.parametrize(
    ("flags", "present", "absent"),
    [({}, ["### per class", "### Calibration", "### Worst errors", "### Notes"], []),
     ({"calibration": False}, ["### per class", "### Worst errors"], ["Calibration"]),
     ({"worst": False, "notes": False}, ["### classes"], ["Worst errors", "Notes", "Troops"])],
)  # fmt: skip
def test_markdown_details_parts(
    flags: dict[str, bool], present: list[str], absent: list[str]
) -> None:
    details = _split_report("tune").markdown_details(level=3, **flags)
    assert details.startswith("### per class")
    assert all(p in details for p in present) and not any(a in details for a in absent)


def test_markdown_worst_titles_and_empties() -> None:
    report = _report()
    assert report.markdown_worst(level=4, title="Held-out").startswith("#### Held-out\n\n1. `line")
    assert replace(report, worst=()).markdown_worst() == ""
    bare = EvalReport(fmt="penta", path=Path("g.tsv"), n=0, metrics={})
    assert bare.markdown_details() == ""
    assert bare.to_markdown().endswith("| figure | value |\n|---|---:|\n")
