"""The worker pool codes exactly what one process codes, in input order."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dyad.model import Article
from dyad.parallel import code_stream
from dyad.pipeline import code_many
from dyad.read import iter_inputs

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

pytestmark = pytest.mark.slow


def test_two_workers_give_the_records_of_one_process_in_order() -> None:
    base = [a for a in iter_inputs([str(SAMPLES / "corpus.jsonl")]) if isinstance(a, Article)]
    spanish = Article(id="es", text="El gobierno anunció el lunes nuevas sanciones contra Rusia.")
    articles = [dataclasses.replace(a, id=f"{a.id}-{i}") for i, a in enumerate(base * 2)]
    articles.insert(3, spanish)
    skipped: list[tuple[str, str]] = []
    coded = list(
        code_stream(articles, n_process=2, on_skip=lambda a, lang: skipped.append((a.id, lang)))
    )
    assert [c.article.id for c in coded] == [a.id for a in articles if a.id != "es"]
    assert skipped == [("es", "es")]
    expected = [r.to_json() for r in code_many(a for a in articles if a.id != "es")]
    assert [r.to_json() for c in coded for r in c.records] == expected


def test_a_failure_in_a_worker_reaches_the_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers are forked, so a stage patched here fails there too."""
    from dyad import pipeline

    real = pipeline.analyze

    def failing(cleaned: object, doc: object, **kwargs: bool) -> object:
        if cleaned.article.id == "bad":  # type: ignore[attr-defined]
            raise ValueError("stage broke")
        return real(cleaned, doc, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "analyze", failing)
    good = Article(id="good", text="Russia warned Ukraine on Monday.")
    failures: list[tuple[str, str]] = []
    coded = list(
        code_stream(
            [dataclasses.replace(good, id="bad"), good],
            n_process=2,
            on_error=lambda a, exc: failures.append((a.id, str(exc))),
        )
    )
    assert [c.article.id for c in coded] == ["good"]
    assert failures == [("bad", "stage broke")]
    with pytest.raises(ValueError, match="stage broke"):
        list(code_stream([dataclasses.replace(good, id="bad")], n_process=2))
