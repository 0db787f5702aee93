"""The Python API behind ``dyad eval``: evaluate(), formats and limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.errors import EvaluationError
from dyad.evaluate import FORMATS, evaluate
from tests.evaluate.fakes import FIXTURES, FakeCoder
from tests.evaluate.test_score import PENTA_FAKE

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
