"""The apply_models stage: how the classifier and tagger vote with the rules."""

from __future__ import annotations

from typing import Any

import pytest

from dyad.draft import EventDraft, RoleSpan, SentenceReading
from dyad.model import Actor, Status
from dyad.models import apply
from dyad.models.apply import _recode, apply_models, penta_of, vote_roles

ASSERTED: Status = "asserted"
RUSSIA = Actor("Russia", "RUS", "RUS")
UKRAINE = Actor("Ukraine", "UKR", "UKR")


def _draft(cameo: str, confidence: float, **kw: Any) -> EventDraft:
    base: dict[str, Any] = {
        "sentence": 0,
        "trigger_start": 1,
        "trigger_end": 2,
        "trigger_head": 1,
        "cameo": cameo,
        "source": (RUSSIA,),
        "target": (UKRAINE,),
        "status": ASSERTED,
        "evidence_start": 0,
        "evidence_end": 30,
        "confidence": confidence,
    }
    base.update(kw)
    return EventDraft(**base)


def _reading(label: str, p: float, root: str | None) -> SentenceReading:
    rest = (1.0 - p) / 5
    probs = tuple((lab, p if lab == label else rest) for lab in ("none", "0", "1", "2", "3", "4"))
    return SentenceReading(0, label, p, probs, root, 0.9 if root else None)


@pytest.mark.parametrize(
    ("cameo", "conf", "label", "p", "root", "want_cameo", "want_by", "direction"),
    [
        # agreement: the rules' code stays, confidence rises
        ("190", 0.6, "4", 0.9, "19", "190", "rules", 1),
        # disagreement, the classifier surer than the rules: it picks the class
        ("042", 0.4, "4", 0.9, "18", "180", "classifier", 0),
        # disagreement, the rules surer: their code stays, confidence falls
        ("042", 0.95, "4", 0.9, "18", "042", "rules", -1),
        # the classifier reads no event: the rules' code stays, confidence falls
        ("111", 0.5, "none", 0.95, None, "111", "rules", -1),
        # a firm material act is not talked down to a verbal class, only doubted
        ("190", 0.9, "3", 0.95, "16", "190", "rules", -1),
        ("061", 0.7, "1", 0.9, "05", "061", "rules", -1),
        # ... but a weak one is, and a firm one may change to another material class
        ("190", 0.4, "3", 0.95, "16", "160", "classifier", 0),
        ("070", 0.7, "4", 0.95, "19", "190", "classifier", 0),
        # a firm verbal code is re-coded by a surer classifier as before
        ("042", 0.8, "4", 0.9, "18", "180", "classifier", 0),
    ],
)
def test_recode(
    cameo: str,
    conf: float,
    label: str,
    p: float,
    root: str | None,
    want_cameo: str,
    want_by: str,
    direction: int,
) -> None:
    got = _recode(_draft(cameo, conf), _reading(label, p, root))
    assert got.cameo == want_cameo
    assert got.decided_by == want_by
    assert got.model_probability is not None
    assert 0.05 <= got.confidence <= 0.99
    if direction > 0:
        assert got.confidence > conf
    elif direction < 0:
        assert got.confidence < conf
    assert (got.source, got.target, got.trigger_start) == (
        (RUSSIA,),
        (UKRAINE,),
        1,
    )  # the rules keep trigger and actors


def test_a_happening_nobody_is_named_for_is_only_doubted() -> None:
    happening = _draft("190", 0.3, source=(), target=())
    got = _recode(happening, _reading("2", 0.95, "07"))
    assert (got.cameo, got.decided_by) == ("190", "rules")
    assert got.confidence < 0.3


@pytest.mark.parametrize(
    ("cameo", "penta"),
    [("010", "0"), ("043", "1"), ("073", "2"), ("1123", "3"), ("163", "3"), ("190", "4")],
)
def test_penta_of(cameo: str, penta: str) -> None:
    assert penta_of(cameo) == penta


def test_models_off_changes_nothing_and_loads_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> None:
        raise AssertionError("the model was loaded with models off")

    monkeypatch.setattr(apply, "get_model", boom)
    drafts = [_draft("190", 0.6), _draft("042", 0.3, sentence=2)]
    got = apply_models(None, (), drafts, None, models=False)  # type: ignore[arg-type]
    assert got == drafts


@pytest.mark.slow
def test_tagger_fills_an_empty_role_and_agreement_is_recorded() -> None:
    from dyad.actors.resolve import find_mentions
    from dyad.parse import parse_one

    doc = parse_one("Russia shelled Ukrainian towns near the border on Monday.")
    mentions = find_mentions(doc, None)
    ctx = apply._Context(doc, mentions, None)
    russia = next(m for m in mentions if m.token_start == 0)
    draft = _draft("190", 0.5, source=russia.actors, target=())
    spans = [
        RoleSpan(0, 0, 1, "source", 0.9, "tagger"),
        RoleSpan(0, 2, 4, "target", 0.8, "tagger"),
    ]
    got = vote_roles(ctx, draft, spans)
    assert got.source == russia.actors
    assert got.target and "Ukrainian" in got.target[0].text
    assert got.roles_by == "tagger"
    # the same spans, the rules already holding both sides where the tagger puts them
    both = vote_roles(ctx, got, spans)
    assert both.roles_by == "both"
    assert both.target == got.target


@pytest.mark.slow
def test_a_weak_tagger_span_does_not_overrule_the_rules() -> None:
    from dyad.actors.resolve import find_mentions
    from dyad.parse import parse_one

    doc = parse_one("Russia shelled Ukrainian towns near the border on Monday.")
    mentions = find_mentions(doc, None)
    ctx = apply._Context(doc, mentions, None)
    russia = next(m for m in mentions if m.token_start == 0)
    draft = _draft("190", 0.5, source=russia.actors, target=(UKRAINE,))
    spans = [RoleSpan(0, 6, 8, "source", 0.6, "tagger")]  # "the border", weakly
    got = vote_roles(ctx, draft, spans)
    assert got.source == russia.actors
    assert got.roles_by == "rules"


@pytest.mark.slow
def test_the_rules_actor_inside_any_tagger_span_of_its_role_is_agreement() -> None:
    """The tagger's surest target span is elsewhere, but another of its target spans covers
    the rules' target: they agree and the rules' actor stands."""
    from dyad.actors.resolve import find_mentions
    from dyad.parse import parse_one

    doc = parse_one("Poland expelled three diplomats from the Russian embassy on Tuesday.")
    mentions = find_mentions(doc, None)
    ctx = apply._Context(doc, mentions, None)
    poland = next(m for m in mentions if m.token_start == 0)
    embassy = next(m for m in mentions if doc[m.token_start : m.token_end].text.count("Russian"))
    draft = _draft("161", 0.9, source=poland.actors, target=embassy.actors)
    spans = [
        RoleSpan(0, 0, 1, "source", 0.99, "tagger"),
        RoleSpan(0, 2, 4, "target", 0.99, "tagger"),  # "three diplomats"
        RoleSpan(0, 5, 8, "target", 0.8, "tagger"),  # "the Russian embassy"
    ]
    got = vote_roles(ctx, draft, spans)
    assert got.target == embassy.actors
    assert got.roles_by == "both"
    alone = vote_roles(ctx, draft, spans[:2])  # without the covering span the tagger wins
    assert alone.target != embassy.actors and alone.roles_by == "tagger"


@pytest.mark.slow
def test_pipeline_with_and_without_models() -> None:
    from dyad.model import Event
    from dyad.pipeline import code

    text = (
        "Police in Nairobi arrested dozens of protesters on Tuesday. "
        "The city's main market is more than a century old."
    )
    rules = [r for r in code(text, models=False) if isinstance(r, Event)]
    both = [r for r in code(text) if isinstance(r, Event)]
    assert rules and both
    for r in rules:
        obj = r.to_json()
        assert "roles_by" not in obj and "decided_by" not in obj
    arrest = [r for r in both if r.cameo_root == "17"]
    assert arrest, [(r.cameo, r.trigger.text) for r in both]
    assert all(r.sentence == 0 for r in both)  # the market sentence holds no event
    assert all(0.0 <= r.confidence <= 1.0 for r in both)
