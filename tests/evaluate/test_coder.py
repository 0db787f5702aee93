"""The coder adapter: actor offsets, main events, and the pipeline wrapped as a Coder."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import spacy

from dyad.draft import CleanText, EventDraft, Mention
from dyad.errors import KnowledgeBaseError
from dyad.evaluate.coder import (
    actor_spans,
    coded_event,
    coded_from_analysis,
    find_text,
    main_event,
    pipeline_coder,
)
from dyad.model import Article, TextSpan
from tests.evaluate.fakes import actor, event

TEXT = "Iran's envoy met Iraqi officials; Iraqi troops later left Iran."


@pytest.mark.parametrize(
    ("needle", "lo", "hi", "near", "expected"),
    [
        ("Iraqi", 0, len(TEXT), 0, (17, 22)),
        ("Iraqi", 0, len(TEXT), 40, (34, 39)),  # the nearest occurrence
        ("Iran", 0, len(TEXT), 60, (58, 62)),
        ("Iran", 0, 50, 60, (0, 4)),  # limited to the range
        ("iraqi troops", 0, len(TEXT), 0, (34, 46)),  # case ignored as a last resort
        ("Ira", 0, len(TEXT), 0, None),  # whole words only
        ("   ", 0, len(TEXT), 0, None),
        ("Syria", 0, len(TEXT), 0, None),
    ],
)
def test_find_text(
    needle: str, lo: int, hi: int, near: int, expected: tuple[int, int] | None
) -> None:
    assert find_text(needle, TEXT, lo, hi, near) == expected


def test_actor_spans_prefer_known_mentions_then_words() -> None:
    iraqi = actor("Iraqi troops", "IRQMIL", "IRQ")
    iran = actor("Iran", "IRN", "IRN")
    ev = event(TEXT, "left", "0874", [iraqi], [iran])
    assert actor_spans(ev.source, TEXT, ev) == ((34, 46),)
    known = [(iran, (0, 4))]
    assert actor_spans(ev.target, TEXT, ev, known) == ((0, 4),)
    # a known span outside the evidence is ignored
    narrow = replace(ev, evidence=TextSpan(TEXT[34:], 34, len(TEXT)))
    assert actor_spans(narrow.target, TEXT, narrow, known) == ((58, 62),)
    assert actor_spans([actor("Kuwait", "KWT")], TEXT, ev) == ()


def test_main_event_is_most_confident_first_of_equals() -> None:
    a = coded_event(event(TEXT, "met", "040", confidence=0.6), TEXT)
    b = coded_event(event(TEXT, "left", "0874", confidence=0.9), TEXT)
    c = coded_event(event(TEXT, "envoy", "042", confidence=0.9), TEXT)
    assert main_event([a, b, c]) is b
    assert main_event([]) is None


@dataclass(frozen=True)
class FakeAnalysis:
    article: Article
    clean: CleanText
    doc: Any
    mentions: tuple[Mention, ...]
    events: tuple[EventDraft, ...]
    claims: tuple[Any, ...]
    records: tuple[Any, ...]


def _analysis(text: str, index: int) -> FakeAnalysis:
    doc = spacy.blank("en")(text)
    article = Article(id=f"eval-{index:06d}", text=text)
    envoy = actor("Iran's envoy", "IRNGOV", "IRN")
    iraqi = actor("Iraqi officials", "IRQGOV", "IRQ")
    records = (
        event(text, "met", "040", [envoy], [iraqi]),
        event(text, "left", "0874", [actor("Iraqi troops", "IRQMIL", "IRQ")]),
    )
    draft = EventDraft(
        sentence=0, trigger_start=3, trigger_end=4, trigger_head=3, cameo="040",
        source=(envoy,), target=(iraqi,), status="asserted", evidence_start=0,
        evidence_end=len(text), confidence=0.8, symmetric=False,
    )  # fmt: skip
    mention = Mention((envoy,), 0, 12, 0, 3, 2, 0, "person")
    return FakeAnalysis(article, CleanText(article, text), doc, (mention,), (draft,), (), records)


def test_coded_from_analysis() -> None:
    coded = coded_from_analysis(_analysis(TEXT, 0))  # type: ignore[arg-type]
    assert coded.text == TEXT
    assert coded.tokens[:3] == ((0, 4), (4, 6), (7, 12))
    met, left = coded.events
    assert met.symmetric is False  # the draft says so, although 040 is a symmetric code
    assert met.source_spans == ((0, 12),) and met.target_spans == ((17, 32),)
    assert left.symmetric is False and left.source_spans == ((34, 46),)


def test_pipeline_coder_keeps_order_and_reports_failures(monkeypatch: pytest.MonkeyPatch) -> None:
    def analyze_many(
        articles: Iterable[Article],
        *,
        n_process: int | None = None,
        on_error: Any = None,
        models: bool = True,
    ) -> Iterator[FakeAnalysis]:
        for i, article in enumerate(articles):
            if "fail" in article.text:
                on_error(article, ValueError(f"cannot code {article.id}"))
                continue
            yield _analysis(article.text, i)

    fake = types.ModuleType("dyad.pipeline")
    fake.analyze_many = analyze_many  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dyad.pipeline", fake)
    texts = ["please fail here", TEXT, "fail again", TEXT, "fail at the end"]
    coded = list(pipeline_coder()(texts))
    assert [c.text for c in coded] == texts
    assert [c.error is None for c in coded] == [False, True, False, True, False]
    assert coded[0].error == "ValueError: cannot code eval-000000"
    assert coded[4].error == "ValueError: cannot code eval-000004"
    assert len(coded[1].events) == 2 and coded[0].events == ()


def test_pipeline_coder_stops_on_installation_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def analyze_many(
        articles: Iterable[Article],
        *,
        n_process: int | None = None,
        on_error: Any = None,
        models: bool = True,
    ) -> Iterator[FakeAnalysis]:
        for article in articles:
            on_error(article, KnowledgeBaseError("lexicon.yaml", "entry 3: no verb"))
        yield from ()

    fake = types.ModuleType("dyad.pipeline")
    fake.analyze_many = analyze_many  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "dyad.pipeline", fake)
    with pytest.raises(KnowledgeBaseError, match="entry 3: no verb"):
        list(pipeline_coder()([TEXT, TEXT]))
