"""Fakes for the evaluation tests: events built by hand and a coder that returns them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from dyad.evaluate.coder import Coded, coded_event
from dyad.model import Actor, ArticleRef, Event, Place, Plover, TextSpan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DEV = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "dev"

_TOKEN = re.compile(r"\w+|[^\w\s]")


def tokens_of(text: str) -> tuple[tuple[int, int], ...]:
    """A simple tokenizer (words and single punctuation marks) standing in for spaCy's."""
    return tuple((m.start(), m.end()) for m in _TOKEN.finditer(text))


def actor(
    text: str,
    code: str,
    country: str | None = None,
    sectors: Sequence[str] = (),
    org: str | None = None,
) -> Actor:
    return Actor(text=text, code=code, country=country, sectors=tuple(sectors), org=org)


def event(
    text: str,
    trigger: str,
    cameo: str,
    source: Sequence[Actor] = (),
    target: Sequence[Actor] = (),
    *,
    confidence: float = 0.8,
    plover: str = "",
    mode: str | None = None,
    status: str = "asserted",
    place: str | None = None,
) -> Event:
    """An event record on ``text`` whose trigger is the first occurrence of ``trigger``."""
    start = text.index(trigger)
    location = None
    if place is not None:
        p = text.index(place)
        location = Place(name=place, text=place, start=p, end=p + len(place))
    return Event(
        id=f"e-{cameo}-{start}",
        article=ArticleRef(id="test"),
        sentence=0,
        evidence=TextSpan(text, 0, len(text)),
        status=status,  # type: ignore[arg-type]
        confidence=confidence,
        coder="dyad/test",
        attributed_to=None,
        source=tuple(source),
        target=tuple(target),
        trigger=TextSpan(trigger, start, start + len(trigger)),
        cameo=cameo,
        cameo_root=cameo[:2],
        quad_class=1,
        plover=Plover(plover, mode),
        location=location,
    )


EventMaker = Callable[[str], Sequence[Event]]


class FakeCoder:
    """Codes each text by a table: text (or a prefix of it) -> events; unknown texts: none.

    ``change`` lists texts that the fake 'cleans' into something else (to test skipping).
    """

    def __init__(
        self,
        table: Mapping[str, EventMaker | Sequence[Event]] | None = None,
        change: Sequence[str] = (),
    ) -> None:
        self.table = dict(table or {})
        self.change = set(change)
        self.calls: list[list[str]] = []

    def _events(self, text: str) -> Sequence[Event]:
        for key, value in self.table.items():
            if text.startswith(key):
                return value(text) if callable(value) else value
        return ()

    def __call__(self, texts: Sequence[str]) -> Iterator[Coded]:
        self.calls.append(list(texts))
        for text in texts:
            if text in self.change:
                yield Coded(text=text + " [changed]")
                continue
            events = tuple(coded_event(e, text) for e in self._events(text))
            yield Coded(text=text, events=events, tokens=tokens_of(text))
