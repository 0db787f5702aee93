"""How the scorers run dyad: a :data:`Coder` turns sentences into :class:`Coded` results.

The scorers never call the pipeline themselves; they take a coder, so that tests can hand
them fakes with known output and ``dyad eval`` hands them :func:`pipeline_coder`.

A coder is called once per gold file with every text to code, and yields exactly one
:class:`Coded` per text, in the same order (it may batch internally).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from dyad.errors import EventModelError, KnowledgeBaseError, ModelLoadError
from dyad.model import Actor, Article, Event

if TYPE_CHECKING:
    from dyad.pipeline import Analysis

log = logging.getLogger(__name__)

Span: TypeAlias = tuple[int, int]
"""Character offsets ``[start, end)`` in :attr:`Coded.text`."""

SYMMETRIC_CAMEO: frozenset[str] = frozenset({"036", "040", "041", "044", "046", "057"})
"""CAMEO codes whose two sides are interchangeable (express intent to meet, consult, discuss
by telephone, meet at a third location, negotiate, sign a formal agreement): used to mark an
event symmetric when the coder does not say."""


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """An event record with where its actors are in the text, and whether it is symmetric."""

    event: Event
    source_spans: tuple[Span, ...] = ()
    """Offsets of the words naming each source actor (absent ones are left out)."""
    target_spans: tuple[Span, ...] = ()
    symmetric: bool = False
    """True when the two sides are interchangeable (meet, negotiate, agree)."""


@dataclass(frozen=True, slots=True)
class Coded:
    """What dyad made of one text."""

    text: str
    """The text dyad coded (the cleaned text): offsets in events refer to it."""
    events: tuple[CodedEvent, ...] = ()
    tokens: tuple[Span, ...] = ()
    """Offsets of dyad's tokens in ``text`` (may be empty for fakes)."""
    error: str | None = None
    """Why dyad failed on this text (then ``events`` is empty and ``text`` is the input)."""


Coder: TypeAlias = Callable[[Sequence[str]], Iterator[Coded]]
"""Code every text; yield one :class:`Coded` per text, in order."""


def main_event(events: Sequence[CodedEvent]) -> CodedEvent | None:
    """The main event: a sentence's main-clause events before its background ones, then the
    highest confidence (the first of equals); None when there is none."""
    best: CodedEvent | None = None
    for e in events:
        if best is None or _rank(e) > _rank(best):
            best = e
    return best


def _rank(e: CodedEvent) -> tuple[bool, float]:
    return (not e.event.background, e.event.confidence)


_WORD = re.compile(r"\w")


def find_text(needle: str, text: str, lo: int, hi: int, near: int) -> Span | None:
    """Where ``needle`` occurs in ``text[lo:hi]`` as whole words, nearest to offset ``near``.

    Exact case is preferred; otherwise case is ignored. None when it does not occur.
    """
    needle = needle.strip()
    if not needle:
        return None
    for flags in (0, re.IGNORECASE):
        hits: list[Span] = []
        for m in re.finditer(re.escape(needle), text[lo:hi], flags):
            s, e = lo + m.start(), lo + m.end()
            before = text[s - 1] if s > 0 else " "
            after = text[e] if e < len(text) else " "
            if _WORD.match(needle[0]) and _WORD.match(before):
                continue
            if _WORD.match(needle[-1]) and _WORD.match(after):
                continue
            hits.append((s, e))
        if hits:
            return min(hits, key=lambda h: (abs(h[0] - near), h[0]))
    return None


def actor_spans(
    actors: Iterable[Actor],
    text: str,
    event: Event,
    known: Sequence[tuple[Actor, Span]] = (),
) -> tuple[Span, ...]:
    """Offsets of the words naming each actor of ``event`` in ``text``.

    ``known`` pairs actors with offsets where the coder recorded them (mentions); a pair for an
    equal actor in the event's evidence, nearest to the trigger, wins. Otherwise the actor's
    words are looked for in the evidence, nearest to the trigger. Actors found neither way
    (an actor named in an earlier sentence) have no span.
    """
    lo, hi = event.evidence.start, event.evidence.end
    if not 0 <= lo < hi <= len(text):
        lo, hi = 0, len(text)
    near = event.trigger.start
    out: list[Span] = []
    for actor in actors:
        placed = [s for a, s in known if a == actor and lo <= s[0] and s[1] <= hi]
        if placed:
            out.append(min(placed, key=lambda s: (abs(s[0] - near), s[0])))
            continue
        found = find_text(actor.text, text, lo, hi, near)
        if found is not None:
            out.append(found)
    return tuple(out)


def coded_event(
    event: Event,
    text: str,
    *,
    symmetric: bool | None = None,
    known: Sequence[tuple[Actor, Span]] = (),
) -> CodedEvent:
    """Wrap an event record: actor offsets located in ``text``, symmetry decided.

    ``symmetric`` None means the coder did not say: the event is symmetric when its CAMEO
    code is in :data:`SYMMETRIC_CAMEO`.
    """
    return CodedEvent(
        event=event,
        source_spans=actor_spans(event.source, text, event, known),
        target_spans=actor_spans(event.target, text, event, known),
        symmetric=event.cameo in SYMMETRIC_CAMEO if symmetric is None else symmetric,
    )


def coded_from_analysis(analysis: Analysis) -> Coded:
    """The :class:`Coded` view of one pipeline result."""
    text = analysis.clean.text
    doc = analysis.doc
    tokens = tuple((t.idx, t.idx + len(t.text)) for t in doc)
    symmetric: dict[tuple[int, int, str], bool] = {}
    for draft in analysis.events:
        if 0 <= draft.trigger_start < len(doc):
            key = (draft.sentence, doc[draft.trigger_start].idx, draft.cameo)
            symmetric[key] = symmetric.get(key, False) or draft.symmetric
    known = [(actor, (m.start, m.end)) for m in analysis.mentions for actor in m.actors]
    events = tuple(
        coded_event(
            r,
            text,
            symmetric=symmetric.get((r.sentence, r.trigger.start, r.cameo)),
            known=known,
        )
        for r in analysis.records
        if isinstance(r, Event)
    )
    return Coded(text=text, events=events, tokens=tokens)


FATAL_ERRORS: tuple[type[Exception], ...] = (KnowledgeBaseError, ModelLoadError, EventModelError)
"""Errors that are about dyad's installation, not about one text: they end the evaluation."""


def pipeline_coder(*, n_process: int | None = None, models: bool = True) -> Coder:
    """A coder that runs the dyad pipeline (:func:`dyad.pipeline.analyze_many`) in batches.

    Each text becomes an article ``eval-<n>`` with no publication date. A text the pipeline
    fails on comes back with :attr:`Coded.error` set (scored as a text without events);
    a bundled-data or model error (:data:`FATAL_ERRORS`) is raised.
    """

    def code(texts: Sequence[str]) -> Iterator[Coded]:
        from dyad.pipeline import analyze_many
        from dyad.read import article_from_text

        failures: dict[str, str] = {}

        def on_error(article: Article, exc: Exception) -> None:
            if isinstance(exc, FATAL_ERRORS):
                raise exc  # a broken installation fails every text alike: stop at once
            failures[article.id] = f"{type(exc).__name__}: {exc}"
            log.warning("dyad failed on %s: %s", article.origin, failures[article.id])

        articles = (
            article_from_text(t, id=_eval_id(i), origin=f"<eval text {i}>")
            for i, t in enumerate(texts)
        )
        done = 0
        for analysis in analyze_many(
            articles, n_process=n_process, on_error=on_error, models=models
        ):
            index = int(analysis.article.id.removeprefix("eval-"))
            while done < index:  # texts that failed before this one
                yield Coded(text=texts[done], error=failures.get(_eval_id(done), "no result"))
                done += 1
            yield coded_from_analysis(analysis)
            done += 1
        while done < len(texts):
            yield Coded(text=texts[done], error=failures.get(_eval_id(done), "no result"))
            done += 1
        log.info("coded %d texts, %d failed", len(texts), len(failures))

    return code


def _eval_id(index: int) -> str:
    return f"eval-{index:06d}"
