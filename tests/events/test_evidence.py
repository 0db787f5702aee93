"""Evidence hygiene (issue 10, item 5): a dateline never starts an event's evidence; the
evidence is the whole sentence, with offsets exact in the cleaned text."""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from dyad.model import Event
from dyad.pipeline import Analysis, analyze_many
from dyad.read import article_from_text

pytestmark = pytest.mark.slow

DATELINED = [
    ("MOSCOW, March 13 - Russia promised to send aid to Serbia.", "Russia promised"),
    ("MOSCOW, March 13 (Reuters) - Russia promised to send aid to Serbia.", "Russia promised"),
    ("KYIV, Ukraine — Ukraine accused Russia of shelling the plant.", "Ukraine accused"),
    ("BEIJING (AP) — China condemned the sanctions on Iran.", "China condemned"),
    ("NAIROBI, Kenya, June 2 — Kenyan police arrested forty protesters.", "Kenyan police"),
]


@cache
def _analyses() -> dict[str, Analysis]:
    articles = [article_from_text(t, published=date(2024, 3, 14)) for t, _ in DATELINED]
    done = analyze_many(articles, models=False)
    return {t: a for (t, _), a in zip(DATELINED, done, strict=True)}


@pytest.mark.parametrize(("text", "starts"), DATELINED)
def test_dateline_never_starts_evidence(text: str, starts: str) -> None:
    analysis = _analyses()[text]
    events = [r for r in analysis.records if isinstance(r, Event)]
    assert events, f"no event in {text!r}"
    clean = analysis.clean.text
    for e in events:
        ev = e.evidence
        assert clean[ev.start : ev.end] == ev.text
        assert ev.text.startswith(starts), ev.text
        assert ev.text.endswith("."), ev.text
