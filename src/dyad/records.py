"""Stage 10: drafts become records (docs/records.md) with stable ids."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TypeVar

from spacy.tokens import Doc

from dyad._version import CODER
from dyad.draft import ClaimDraft, CleanText, EventDraft
from dyad.events.ontology import Ontology
from dyad.model import Actor, Claim, Event, Plover, TextSpan

R = TypeVar("R", Event, Claim, Event | Claim)


def _codes(actors: tuple[Actor, ...]) -> str:
    return ",".join(a.code for a in actors)


@lru_cache(maxsize=256)
def _digest(text: str) -> str:
    """The article text's hash, computed once per article rather than once per record."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def record_id(clean: CleanText, *parts: object) -> str:
    """Stable id: the same article id, cleaned text and coder version give the same id."""
    key = "|".join([clean.article.id, _digest(clean.text), CODER, *(str(p) for p in parts)])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]


def _span(text: str, start: int, end: int) -> TextSpan:
    return TextSpan(text=text[start:end], start=start, end=end)


def event_record(draft: EventDraft, doc: Doc, clean: CleanText, ontology: Ontology) -> Event:
    code = ontology[draft.cameo]
    trig = doc[draft.trigger_start : draft.trigger_end]
    return Event(
        id=record_id(
            clean,
            "event",
            draft.evidence_start,
            trig.start_char,
            draft.cameo,
            _codes(draft.source),
            _codes(draft.target),
        ),
        article=clean.article.ref(),
        sentence=draft.sentence,
        evidence=_span(clean.text, draft.evidence_start, draft.evidence_end),
        status=draft.status,
        attributed_to=draft.attributed_to,
        confidence=draft.confidence,
        coder=CODER,
        source=draft.source,
        target=draft.target,
        trigger=_span(clean.text, trig.start_char, trig.end_char),
        cameo=code.code,
        cameo_root=code.root,
        quad_class=code.quad_class,
        goldstein=code.goldstein,
        plover=Plover(type=code.plover_type, mode=code.plover_mode, context=code.plover_context),
        date=draft.date,
        location=draft.location,
        background=draft.background,
        roles_by=draft.roles_by,
        decided_by=draft.decided_by,
    )


def claim_record(draft: ClaimDraft, clean: CleanText) -> Claim:
    return Claim(
        id=record_id(
            clean,
            "claim",
            draft.evidence_start,
            draft.anchor_start,
            draft.metric,
            _codes(draft.subject),
        ),
        article=clean.article.ref(),
        sentence=draft.sentence,
        evidence=_span(clean.text, draft.evidence_start, draft.evidence_end),
        status=draft.status,
        attributed_to=draft.attributed_to,
        confidence=draft.confidence,
        coder=CODER,
        subject=draft.subject,
        metric=draft.metric,
        quantity=draft.quantity,
        period=draft.period,
    )


def confident(records: Iterable[R], minimum: float) -> Iterator[R]:
    """The records, less the events whose confidence is below ``minimum`` (claims are kept):
    ``--min-confidence`` of ``dyad code`` and ``dyad events``."""
    for r in records:
        if not (isinstance(r, Event) and r.confidence < minimum):
            yield r
