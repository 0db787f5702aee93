"""Long articles are parsed in pieces and put back together as one document.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its memory grows
quickly with the length of one text. :func:`split_points` cuts a long text into pieces of at
most :data:`PIECE_CHARS` characters at a paragraph break, else a line break, else the end of
a sentence, else a space; :func:`pipe_pieces` parses the pieces in one ``nlp.pipe`` stream and
joins each article's pieces with ``Doc.from_docs``. The joined document's text is the original
text exactly, so every character offset (evidence, trigger, actor spans) is an offset into the
whole article, as if it had been parsed in one go.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

C = TypeVar("C")

PIECE_CHARS = 50_000
"""The longest text parsed in one go; longer ones are split. The parser's memory grows with
the characters parsed together (about 3 kB a character in a batch), so this and
:data:`BATCH_CHARS` bound the peak for any article length."""

_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s+")


def _cut(text: str, start: int, limit: int) -> int:
    """Where the piece starting at ``start`` ends: the best boundary within ``limit`` chars."""
    end = start + limit
    floor = start + limit // 2
    for mark in ("\n\n", "\n"):
        at = text.rfind(mark, floor, end)
        if at >= 0:
            return at + len(mark)
    ends = [m.end() for m in _SENTENCE_END.finditer(text, floor, end)]
    if ends:
        return ends[-1]
    at = text.rfind(" ", floor, end)
    return at + 1 if at >= 0 else end


def split_points(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """``[start, end)`` pieces that cover ``text`` exactly, in order, none over ``limit``."""
    if limit < 2:
        raise ValueError(f"the piece limit must be at least 2 characters, got {limit}")
    pieces: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        cut = _cut(text, start, limit)
        pieces.append((start, cut))
        start = cut
    pieces.append((start, len(text)))
    return pieces


BATCH_CHARS = 100_000
"""With one process, texts go to the parser in batches of at most this many characters (and
at most ``batch_size`` texts): the parser's memory grows with the size of a batch."""


def _batches(
    pieces: Iterable[tuple[str, C]], batch_size: int, budget: int
) -> Iterator[list[tuple[str, C]]]:
    batch: list[tuple[str, C]] = []
    chars = 0
    for text, context in pieces:
        if batch and chars + len(text) > budget:
            yield batch
            batch, chars = [], 0
        batch.append((text, context))
        chars += len(text)
        if len(batch) >= batch_size:  # at once: a live stream's article is not held back
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def pipe_pieces(
    nlp: Language,
    items: Iterable[tuple[str, C]],
    *,
    batch_size: int,
    n_process: int = 1,
    limit: int | None = None,
) -> Iterator[tuple[Doc, C]]:
    """``nlp.pipe(items, as_tuples=True)``, with texts over ``limit`` (default
    :data:`PIECE_CHARS`) parsed in pieces.

    With one process, batches also stay under :data:`BATCH_CHARS` characters, so a long
    article is parsed a piece or two at a time; with several, spaCy batches by count.
    """
    size = PIECE_CHARS if limit is None else limit

    def pieces() -> Iterator[tuple[str, tuple[C, bool]]]:
        for text, context in items:
            spans = split_points(text, size)
            for k, (a, b) in enumerate(spans):
                yield text[a:b], (context, k == len(spans) - 1)

    stream: Iterable[tuple[Doc, tuple[C, bool]]]
    if n_process > 1:
        stream = nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size, n_process=n_process)
    else:
        stream = (
            parsed
            for batch in _batches(pieces(), batch_size, max(BATCH_CHARS, size))
            for parsed in nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
        )
    parts: list[Doc] = []
    for doc, (context, last) in stream:
        parts.append(doc)
        if last:
            whole = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []
            yield whole, context
