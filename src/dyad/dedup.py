"""Stage 9: one event per happening within an article.

Articles repeat themselves: "Lavrov and Wang met in Moscow" in the lead, "the meeting in
Moscow" further down. Two drafts describe the same event when they have the same CAMEO
code, the same sides (by country, organisation or person; either way round for symmetric
events) and dates that can be the same (overlapping ranges, or one of them only the
publication date); happenings no actor is named for ("clashes broke out in ...") must also
have the same place. Of each such group the draft with the best evidence is kept: the most
confident, then the one naming more people, then the earliest in the text.

A background event ("since their friendship began ...", a clause that qualifies its
sentence's report) is folded only with drafts of its own sentence: its evidence is that
sentence, and folding it into a report elsewhere would lose it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from dyad.draft import EventDraft
from dyad.model import Actor, DateSpan


def _countries(actors: Sequence[Actor]) -> frozenset[str]:
    return frozenset(a.country or a.org or a.code for a in actors)


def _names(actors: Sequence[Actor]) -> frozenset[str]:
    return frozenset(a.name for a in actors if a.name)


def _side_compatible(a: Sequence[Actor], b: Sequence[Actor]) -> bool:
    """Same countries or organisations; and the same people where both name any."""
    if _countries(a) != _countries(b):
        return False
    na, nb = _names(a), _names(b)
    return not (na and nb) or na == nb


def _place_key(d: EventDraft) -> object:
    """Where a happening no actor is named for took place: "clashes broke out in El Fasher"
    and "fighting raged in Omdurman" are two events; with actors, the sides decide."""
    if d.source or d.target or d.location is None:
        return None
    return (d.location.name, d.location.country)


def _same_sides(a: EventDraft, b: EventDraft) -> bool:
    if _place_key(a) != _place_key(b):
        return False
    if _side_compatible(a.source, b.source) and _side_compatible(a.target, b.target):
        return True
    if a.symmetric or b.symmetric:
        return _side_compatible((*a.source, *a.target), (*b.source, *b.target))
    return False


def _may_fold(a: EventDraft, b: EventDraft) -> bool:
    """Drafts of one sentence, or two reports (neither one a background event)."""
    return a.sentence == b.sentence or not (a.background or b.background)


def _dates_compatible(a: DateSpan | None, b: DateSpan | None) -> bool:
    if a is None or b is None or a.basis == "publication" or b.basis == "publication":
        return True
    return a.start <= b.end and b.start <= a.end


def _rank(d: EventDraft) -> tuple[float, int, int, int]:
    named = sum(1 for a in (*d.source, *d.target) if a.name)
    dated = 1 if d.date is not None and d.date.basis == "text" else 0
    return (d.confidence, named, dated, -d.evidence_start)


Signature = tuple[object, ...]


def _signature(d: EventDraft) -> Signature:
    """All that :func:`_same_sides` and :func:`_dates_compatible` look at in one draft."""
    span = None if d.date is None else (d.date.start, d.date.end, d.date.basis)
    sides = (_countries(d.source), _names(d.source), _countries(d.target), _names(d.target))
    return (*sides, d.symmetric, span, _place_key(d))


@dataclass
class _Group:
    drafts: list[EventDraft] = field(default_factory=list)
    signatures: set[Signature] = field(default_factory=set)
    background: bool = False
    """Some member is a background event (so every member is in its sentence)."""

    def admits(self, d: EventDraft, signature: Signature) -> bool:
        if (d.background or self.background) and not all(_may_fold(g, d) for g in self.drafts):
            return False
        # Both checks are symmetric: a draft like a member agrees with every member already.
        if signature in self.signatures:
            return True
        return all(_same_sides(g, d) and _dates_compatible(g.date, d.date) for g in self.drafts)

    def add(self, d: EventDraft, signature: Signature) -> None:
        self.drafts.append(d)
        self.signatures.add(signature)
        self.background = self.background or d.background


def dedup_events(drafts: Sequence[EventDraft]) -> list[EventDraft]:
    """Drafts with duplicates removed, in text order.

    Each draft joins the first earlier group with its code and status whose every member it
    agrees with; groups are kept by code and status, and a draft with the same sides and
    date as a member joins at once, so many repeats of one sentence take linear time.
    """
    groups: list[_Group] = []
    by_key: dict[tuple[str, str], list[_Group]] = defaultdict(list)
    for d in drafts:
        signature = _signature(d)
        candidates = by_key[(d.cameo, d.status)]
        for group in candidates:
            if group.admits(d, signature):
                group.add(d, signature)
                break
        else:
            group = _Group()
            group.add(d, signature)
            candidates.append(group)
            groups.append(group)
    kept = [_best(group.drafts) for group in groups]
    return sorted(kept, key=lambda d: (d.evidence_start, d.trigger_start))


def _best(group: list[EventDraft]) -> EventDraft:
    """The draft with the best evidence, dated by the most precise date the group states."""
    best = max(group, key=_rank)
    dates = [d.date for d in group if d.date is not None and d.date.basis == "text"]
    current = best.date
    for candidate in sorted(dates, key=lambda s: s.end - s.start):
        if (
            current is None
            or current.basis == "publication"
            or (
                current.start <= candidate.start
                and candidate.end <= current.end
                and candidate.end - candidate.start < current.end - current.start
            )
        ):
            return replace(best, date=candidate)
    return best
