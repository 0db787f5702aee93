"""The whole pipeline on the bundled sample corpus, through the Python API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import dyad
from dyad.errors import InputError
from dyad.events.clauses import load_clauses
from dyad.model import Article, Claim, Event
from dyad.pipeline import Analysis, analyze_many
from dyad.read import read_path

SAMPLES = Path(__file__).resolve().parents[1] / "samples"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analyses() -> list[Analysis]:
    articles = [a for a in read_path(SAMPLES) if not isinstance(a, InputError)]
    assert len(articles) >= 8
    return list(analyze_many(articles))


def test_every_evidence_and_trigger_equals_the_cleaned_text(analyses: list[Analysis]) -> None:
    n = 0
    for a in analyses:
        text = a.clean.text
        assert a.doc.text == text
        for r in a.records:
            n += 1
            assert text[r.evidence.start : r.evidence.end] == r.evidence.text
            if isinstance(r, Event):
                t = r.trigger
                assert text[t.start : t.end] == t.text
                assert r.evidence.start <= t.start <= t.end <= r.evidence.end
                if r.location is not None and r.location.start is not None:
                    loc = r.location
                    assert loc.end is not None
                    assert text[loc.start : loc.end] == loc.text
    assert n > 50


def test_records_are_well_formed(analyses: list[Analysis]) -> None:
    from dyad.model import loads

    for a in analyses:
        for r in a.records:
            assert loads(dyad.model.dumps(r)) == r
            assert r.article.id == a.article.id
            assert 0 <= r.confidence <= 1
            assert r.coder == f"dyad/{dyad.__version__}"
            if isinstance(r, Event):
                # only a happening ("war broke out") may stand with nobody named
                assert r.source or r.target or r.cameo_root in load_clauses().happening_roots, r
                assert r.cameo.startswith(r.cameo_root)
                assert r.quad_class in (1, 2, 3, 4)
                assert r.date is not None  # every sample has a publication date


def test_no_record_comes_from_furniture_or_headings(analyses: list[Analysis]) -> None:
    for a in analyses:
        for r in a.records:
            assert not a.clean.is_heading(r.evidence.start, r.evidence.end)
            for marker in ("Read more", "Related:", "Also read", "Photo:", "Subscribe"):
                assert marker not in r.evidence.text


def test_ids_are_stable_and_unique(analyses: list[Analysis]) -> None:
    ids = [r.id for a in analyses for r in a.records]
    assert len(ids) == len(set(ids))
    again = next(iter(analyze_many([analyses[0].article])))
    assert [r.id for r in again.records] == [r.id for r in analyses[0].records]


def test_the_sample_corpus_yields_events_of_many_kinds(analyses: list[Analysis]) -> None:
    events = [r for a in analyses for r in a.records if isinstance(r, Event)]
    claims = [r for a in analyses for r in a.records if isinstance(r, Claim)]
    assert len({e.quad_class for e in events}) == 4
    assert len({e.cameo_root for e in events}) >= 8
    assert {"negated", "future"} <= {e.status for e in events}
    assert any(e.location is not None for e in events)
    assert any(e.date is not None and e.date.basis == "text" for e in events)
    assert len(claims) >= 10


def test_code_accepts_text_and_articles() -> None:
    text = "Russian troops shelled the Ukrainian city of Kharkiv on Monday, officials said."
    from_text = dyad.code(text, published=date(2024, 5, 15))
    from_article = dyad.code(Article(id="x", text=text, published=date(2024, 5, 15)))
    events = [r for r in from_text if isinstance(r, Event)]
    assert events and events[0].source[0].country == "RUS"
    assert [r.cameo for r in from_text] == [r.cameo for r in from_article]


def test_code_many_streams_in_order() -> None:
    texts = [
        "Israel and Egypt signed a gas agreement in Cairo on Tuesday.",
        "Police arrested 40 protesters in Nairobi.",
        "The weather was mild.",
    ]
    records = list(dyad.code_many(texts, published=date(2024, 3, 1)))
    ids = [r.article.id for r in records]
    assert ids == sorted(
        ids, key=lambda i: [dyad.read.article_from_text(t).id for t in texts].index(i)
    )


def test_a_failing_article_does_not_stop_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    import dyad.pipeline as pipeline

    real = pipeline.find_mentions
    calls = {"n": 0}

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("boom")
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "find_mentions", flaky)
    failed: list[str] = []
    articles = [
        Article(id="bad", text="Iran denied the report."),
        Article(
            id="good", text="China and Brazil signed a trade deal.", published=date(2024, 1, 1)
        ),
    ]
    done = list(analyze_many(articles, on_error=lambda a, exc: failed.append(a.id)))
    assert failed == ["bad"]
    assert [a.article.id for a in done] == ["good"]
