"""The orchestrator: the stages in order, batching, nothing else.

(placeholder while the stages are written; see analyze_many for the sequence)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from dyad.draft import ClaimDraft, CleanText, EventDraft, Mention
from dyad.model import Article, Record


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything the pipeline made of one article: for records, evaluation and debugging."""

    article: Article
    clean: CleanText
    doc: Doc
    mentions: tuple[Mention, ...]
    events: tuple[EventDraft, ...]
    claims: tuple[ClaimDraft, ...]
    records: tuple[Record, ...]


def analyze_many(articles: Iterable[Article], *, n_process: int | None = None) -> Iterator[Analysis]:
    raise NotImplementedError
