"""Typed values that flow between the stages, before they become records.

``Article`` (model.py) -> :class:`CleanText` -> spaCy ``Doc`` -> :class:`Mention` ->
:class:`EventDraft` / :class:`ClaimDraft` -> ``Event`` / ``Claim`` (model.py).

Token indices are positions in the article's ``Doc``; character offsets are positions in
the cleaned text (``CleanText.text``), which is also ``Doc.text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

from dyad.model import Actor, Article, DateSpan, Place, Quantity, Status

MentionKind: TypeAlias = Literal[
    "name",  # a proper name in the knowledge base: "Russia", "NATO", "Sergey Lavrov"
    "person",  # a person resolved from context: "Kenyan police spokesman John Doe"
    "title",  # an office without a name: "the Russian president"
    "demonym",  # "Russian", "Chinese" used as an actor or modifier
    "metonym",  # a capital or seat of power: "Moscow said", "the Kremlin"
    "group",  # a sector group: "Houthi rebels", "protesters", "police"
    "reference",  # a later mention resolved to earlier actors: "the minister", "both sides"
    "pronoun",  # "it", "they", "its" resolved to earlier actors
]


@dataclass(frozen=True, slots=True)
class Removed:
    """A stretch of the raw text that ``clean`` dropped, and why."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True, slots=True)
class Segment:
    """``clean[clean_start:clean_end] == raw[raw_start:raw_start + (clean_end - clean_start)]``."""

    clean_start: int
    clean_end: int
    raw_start: int


@dataclass(frozen=True, slots=True)
class CleanText:
    """The article text with page furniture removed; headings kept but marked."""

    article: Article
    text: str
    headings: tuple[tuple[int, int], ...] = ()
    """Character ranges of section headings in ``text``: kept, but they produce no records."""
    removed: tuple[Removed, ...] = ()
    segments: tuple[Segment, ...] = ()

    def is_heading(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside a heading."""
        return any(h0 <= start and end <= h1 for h0, h1 in self.headings)

    def to_raw(self, offset: int) -> int:
        """Map an offset in the cleaned text back to the article's original text."""
        for seg in self.segments:
            if seg.clean_start <= offset < seg.clean_end:
                return seg.raw_start + (offset - seg.clean_start)
        for seg in self.segments:  # an end offset: just past the last character of a stretch
            if offset == seg.clean_end:
                return seg.raw_start + (offset - seg.clean_start)
        return offset


@dataclass(frozen=True, slots=True)
class Mention:
    """Words in the text that name one or more actors, resolved.

    ``actors`` has several entries for compound or plural references ("Moscow and
    Beijing" is two mentions, but "the two countries" is one mention with two actors).
    """

    actors: tuple[Actor, ...]
    start: int
    """Character offset of the whole noun phrase that names the actors (determiners,
    modifiers, prepositional phrases and appositions: ``actors/extent.py``)."""
    end: int
    token_start: int
    """First token of the words that resolved to the actors (``start`` may lie before)."""
    token_end: int
    """Exclusive."""
    head: int
    """Token index of the syntactic head of the mention."""
    sentence: int
    kind: MentionKind

    @property
    def text(self) -> str:
        return self.actors[0].text if self.actors else ""


@dataclass(frozen=True, slots=True)
class EventDraft:
    """An event found by the coder; ``when``/``where`` fill ``date``/``location``."""

    sentence: int
    trigger_start: int
    """Token index of the first token of the trigger."""
    trigger_end: int
    """Exclusive token index."""
    trigger_head: int
    """Token index of the trigger's head word (the verb or noun)."""
    cameo: str
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    status: Status
    evidence_start: int
    """Character offsets of the evidence (usually the sentence) in the cleaned text."""
    evidence_end: int
    confidence: float
    attributed_to: Actor | None = None
    symmetric: bool = False
    """True for events whose two sides are interchangeable (meet, agree, trade)."""
    anchor: int | None = None
    """Token index of the trigger of another event this one takes its participants from
    ("the summit resulted in agreements"); its date stands in when this one states none."""
    date: DateSpan | None = None
    location: Place | None = None
    background: bool = False
    """A background or subordinate event, not the sentence's main one: a clause of time or
    cause ("since Russia invaded ..."), or the material act under a stated act ("threatened
    to *invade*", "denied *attacking*"), kept as a second record with its status."""
    roles_by: Literal["rules", "tagger", "both"] = "rules"
    """Which proposal won for source and target: the rules' attachments, the role tagger's
    spans, or both agreeing."""
    decided_by: Literal["rules", "classifier"] = "rules"
    """Who fixed the event class: the rules, or the learned classifier."""
    model_probability: float | None = None
    """The classifier's calibrated probability of the event's penta class (None: not read)."""


RoleName: TypeAlias = Literal["source", "target", "other"]


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """A token span proposed for an event role in one sentence."""

    sentence: int
    """Index into ``list(doc.sents)``."""
    token_start: int
    """Doc token index, inclusive."""
    token_end: int
    """Exclusive."""
    role: RoleName
    score: float
    """0..1."""
    by: Literal["rules", "tagger"]


@dataclass(frozen=True, slots=True)
class SentenceReading:
    """The learned classifier's reading of one sentence (issue 11 fills it)."""

    sentence: int
    label: str
    """``"none"`` or a penta class ``"0"``..``"4"``."""
    probability: float
    """Calibrated probability of ``label``."""
    probabilities: tuple[tuple[str, float], ...]
    """Every label with its calibrated probability."""
    root: str | None = None
    """CAMEO root ``"01"``..``"20"`` when the model predicts one."""
    root_probability: float | None = None


@dataclass(frozen=True, slots=True)
class ClaimDraft:
    """A quantitative statement found by the claims stage."""

    sentence: int
    anchor_start: int
    """Character offsets of the quantity as written ("$200 billion", "40%")."""
    anchor_end: int
    subject: tuple[Actor, ...]
    metric: str
    quantity: Quantity
    status: Status
    evidence_start: int
    evidence_end: int
    confidence: float
    attributed_to: Actor | None = None
    period: DateSpan | None = None
