"""The Python API behind ``dyad eval``: evaluate(), formats and limits."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dyad.errors import EvaluationError
from dyad.evaluate import (
    FORMATS,
    SUBSET_LABELS,
    CachingCoder,
    EvalReport,
    Subset,
    check_subset,
    evaluate,
    in_subset,
    read_gold,
    select,
)
from dyad.model import Event
from tests.evaluate.fakes import FIXTURES, FakeCoder, actor, event
from tests.evaluate.test_score import PENTA_FAKE, PETRARCH_FAKE

FIXTURE_OF = {
    "petrarch": "petrarch.xml",
    "plover": "plover.jsonl",
    "penta": "penta.tsv",
    "spans": "spans.txt",
    "location": "location.jsonl",
    "police": "police.csv",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_evaluates_and_renders(fmt: str) -> None:
    report = evaluate(fmt, FIXTURES / FIXTURE_OF[fmt], coder=FakeCoder())
    assert report.fmt == fmt and report.n > 0
    assert report.headline and all(k in report.metrics for k in report.headline)
    assert all(0.0 <= v <= 1.0 for v in report.metrics.values())
    assert report.elapsed_s >= 0
    assert report.to_text().startswith(f"dyad eval: {fmt}")
    assert report.to_markdown().startswith(f"## {fmt}:")
    assert report.to_json()["format"] == fmt


def test_limit_scores_the_first_items_only() -> None:
    coder = FakeCoder(PENTA_FAKE.table)
    report = evaluate("penta", FIXTURES / "penta.tsv", limit=2, coder=coder)
    assert report.n == 2 and len(coder.calls) == 1 and len(coder.calls[0]) == 2
    assert report.metrics["accuracy"] == 1.0


@pytest.mark.parametrize(
    ("fmt", "limit", "message"),
    [("acled", None, "unknown gold format 'acled'"), ("penta", 0, "limit must be at least 1")],
)
def test_bad_arguments(fmt: str, limit: int | None, message: str) -> None:
    with pytest.raises(EvaluationError, match=message):
        evaluate(fmt, FIXTURES / "penta.tsv", limit=limit, coder=FakeCoder())


def test_bad_gold_file_is_reported_before_coding(tmp_path: Path) -> None:
    path = tmp_path / "gold.tsv"
    path.write_text("Sentence.\t9\n", encoding="utf-8")
    coder = FakeCoder()
    with pytest.raises(EvaluationError, match=r"gold.tsv:1: class 9"):
        evaluate("penta", path, coder=coder)
    assert coder.calls == []


@pytest.mark.slow
def test_evaluate_with_the_real_pipeline() -> None:
    """The pipeline coder end to end on the small fixtures (loads the spaCy model)."""
    try:
        import dyad.pipeline  # noqa: F401
    except ImportError as exc:  # the pipeline is being assembled
        pytest.skip(f"dyad.pipeline cannot be imported: {exc}")
    for fmt in ("penta", "petrarch", "spans"):
        report = evaluate(fmt, FIXTURES / FIXTURE_OF[fmt])
        assert report.n + report.skipped > 0
        assert "dyad_errors" not in report.counts


# -- tuning and held-out halves ------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "subset", "inside"),
    [(1, "tune", True), (2, "tune", False), (3, "tune", True), (1, "heldout", False),
     (2, "heldout", True), (1000, "heldout", True), (7, "all", True), (8, "all", True)],
)  # fmt: skip
def test_in_subset_splits_by_the_parity_of_the_item_number(
    number: int, subset: Subset, inside: bool
) -> None:
    assert in_subset(number, subset) is inside


@pytest.mark.parametrize(
    ("subset", "expected"),
    [("all", "abcdefg"), ("tune", "aceg"), ("heldout", "bdf")],
)
def test_select_keeps_file_order(subset: Subset, expected: str) -> None:
    assert "".join(select(list("abcdefg"), subset)) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [(lambda: check_subset("test"), "unknown subset 'test': use one of all, tune, heldout"),
     (lambda: in_subset(0, "tune"), "item number 0: items are numbered from 1")],
)  # fmt: skip
def test_bad_subsets_are_named(call: Callable[[], object], message: str) -> None:
    with pytest.raises(EvaluationError, match=re.escape(message)):
        call()


@pytest.mark.parametrize(
    ("subset", "limit", "lines"),
    [("all", None, [2, 3, 5, 6, 7, 8]), ("tune", None, [2, 5, 7]), ("heldout", None, [3, 6, 8]),
     ("heldout", 2, [3, 6]), ("tune", 1, [2]), ("all", 3, [2, 3, 5])],
)  # fmt: skip
def test_subset_is_applied_before_limit(
    subset: Subset, limit: int | None, lines: list[int]
) -> None:
    coder = FakeCoder(PENTA_FAKE.table)
    report = evaluate("penta", FIXTURES / "penta.tsv", subset=subset, limit=limit, coder=coder)
    by_line = {it.line: it.text for it in read_gold("penta", FIXTURES / "penta.tsv")}
    assert coder.calls == [[by_line[n] for n in lines]]
    assert report.n == len(lines) and report.subset == subset
    assert any(n.startswith(f"subset: {SUBSET_LABELS[subset]}") for n in report.notes)


def test_halves_have_their_own_figures() -> None:
    # PENTA_FAKE: items 1-6 are gold/dyad 0/0, 1/1, 2/none, 3/3, 4/4, 4/1
    path = FIXTURES / "penta.tsv"
    figures = {
        s: evaluate("penta", path, subset=s, coder=PENTA_FAKE).metrics["macro_f1"]
        for s in ("all", "tune", "heldout")
    }
    assert figures == pytest.approx({"all": 2 / 3, "tune": 2 / 5, "heldout": (2 / 3 + 1) / 5})


@pytest.mark.parametrize(
    ("subset", "heldout_errors", "refs"),
    [("all", False, ["line 5"]), ("all", True, ["line 8", "line 5"]), ("tune", False, ["line 5"]),
     ("heldout", False, []), ("heldout", True, ["line 8"])],
)  # fmt: skip
def test_worst_errors_come_from_the_tuning_half_unless_audited(
    subset: Subset, heldout_errors: bool, refs: list[str]
) -> None:
    # line 5 is item 3 (tuning half, no event), line 8 is item 6 (held-out, wrong class)
    report = evaluate(
        "penta", FIXTURES / "penta.tsv", subset=subset, coder=PENTA_FAKE,
        heldout_errors=heldout_errors,
    )  # fmt: skip
    assert [e.ref for e in report.worst] == refs
    hidden = any(n.startswith("worst errors:") for n in report.notes)
    assert hidden == (not heldout_errors and subset != "tune")


def test_an_empty_half_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "one.tsv"
    path.write_text("Rebels shelled the northern town overnight.\t4\n", encoding="utf-8")
    assert evaluate("penta", path, subset="tune", coder=FakeCoder()).n == 1
    with pytest.raises(EvaluationError, match=r"held-out half .* is empty .* has 1 items"):
        evaluate("penta", path, subset="heldout", coder=FakeCoder())


def test_a_caching_coder_codes_each_text_once_across_halves() -> None:
    inner = FakeCoder(PENTA_FAKE.table)
    memo = CachingCoder(inner)
    path = FIXTURES / "penta.tsv"
    reports = [evaluate("penta", path, subset=s, coder=memo) for s in ("all", "tune", "heldout")]
    assert [len(call) for call in inner.calls] == [6]
    assert len(memo) == 6 and [r.n for r in reports] == [6, 3, 3]
    texts = ["A.", "B.", "A."]
    assert [c.text for c in memo(texts)] == texts and inner.calls[-1] == ["A.", "B."]


def test_caching_coder_checks_the_count_of_results() -> None:
    memo = CachingCoder(lambda texts: iter([]))
    with pytest.raises(EvaluationError, match="returned 0 results for 1 texts"):
        list(memo(["Police detained two men."]))


# -- calibration ---------------------------------------------------------------------------


def _bands(report: EvalReport) -> list[tuple[str, int, int]]:
    assert report.calibration is not None
    return [(r.label, r.events, r.correct) for r in report.calibration.rows]


@pytest.mark.parametrize(
    ("subset", "bands"),
    [("all", [("0.0-0.4", 0, 0), ("0.4-0.6", 0, 0), ("0.6-0.8", 2, 2), ("0.8-1.0", 3, 2)]),
     ("tune", [("0.0-0.4", 0, 0), ("0.4-0.6", 0, 0), ("0.6-0.8", 0, 0), ("0.8-1.0", 2, 2)]),
     ("heldout", [("0.0-0.4", 0, 0), ("0.4-0.6", 0, 0), ("0.6-0.8", 2, 2), ("0.8-1.0", 1, 0)])],
)  # fmt: skip
def test_penta_calibration_judges_the_main_event(
    subset: Subset, bands: list[tuple[str, int, int]]
) -> None:
    # main events: 0.9 right, 0.7 right, none, 0.7 right, 0.8 right, 0.8 wrong (class 1 for 4)
    report = evaluate("penta", FIXTURES / "penta.tsv", subset=subset, coder=PENTA_FAKE)
    assert _bands(report) == bands


def test_petrarch_calibration_judges_each_event() -> None:
    # four events at 0.8: Kenya hosts Ethiopia (right), traders said (no gold coding: wrong),
    # the UN condemned Sudan (root 11 right), Sudan's army fought rebels (right)
    report = evaluate("petrarch", FIXTURES / "petrarch.xml", coder=PETRARCH_FAKE)
    assert _bands(report) == [("0.0-0.4", 0, 0), ("0.4-0.6", 0, 0), ("0.6-0.8", 0, 0),
                              ("0.8-1.0", 4, 3)]  # fmt: skip


def test_petrarch_calibration_leaves_out_events_without_codings() -> None:
    def negated(text: str) -> list[Event]:
        return [event(text, "hosted", "043", [actor("Kenyan President", "KENGOV", "KEN")],
                      confidence=0.3, status="negated")]  # fmt: skip

    coder = FakeCoder({"Kenyan President": negated})
    report = evaluate("petrarch", FIXTURES / "petrarch.xml", coder=coder)
    assert report.calibration is not None and report.calibration.events == 0


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("penta", "petrarch")])
def test_other_formats_have_no_calibration(fmt: str) -> None:
    assert evaluate(fmt, FIXTURES / FIXTURE_OF[fmt], coder=FakeCoder()).calibration is None


@pytest.mark.parametrize(("flag", "models"), [([], True), (["--no-models"], False)])
def test_cli_eval_passes_the_models_choice_to_the_coder(
    monkeypatch: pytest.MonkeyPatch, flag: list[str], models: bool
) -> None:
    from typer.testing import CliRunner

    import dyad.evaluate
    from dyad.cli import app

    asked: list[bool] = []

    def fake_pipeline_coder(*, n_process: int | None = None, models: bool = True) -> FakeCoder:
        asked.append(models)
        return FakeCoder()

    monkeypatch.setattr(dyad.evaluate, "pipeline_coder", fake_pipeline_coder)
    run = CliRunner().invoke(app, ["eval", "penta", str(FIXTURES / "penta.tsv"), *flag])
    assert run.exit_code == 0, run.output
    assert asked == [models]
    assert "macro" in run.output.lower()
