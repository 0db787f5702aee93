"""Unresolved actors: the words of a noun phrase that names someone dyad cannot resolve.

An event whose participant the knowledge base does not know ("Prisoners staged a hunger
strike", "the mediators met both delegations") is kept with a generic actor: its text is
the phrase as written, its code :data:`GenericActors.code` (``actors/data/generic.yaml``).
Which nouns name someone is decided by that file (see its header).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Token

from dyad.actors.extent import phrase_extent
from dyad.errors import KnowledgeBaseError
from dyad.model import Actor

DATA = Path(__file__).parent / "data" / "generic.yaml"

NOT_PEOPLE_ENTS = frozenset(
    {"GPE", "LOC", "FAC", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}
)
"""Entity labels of words that never name an actor."""
_PHRASE_DEPS = frozenset({"compound", "amod", "det", "nummod", "poss", "nmod"})


@dataclass(frozen=True, slots=True)
class GenericActors:
    """The rules for unresolved actors, as read from ``generic.yaml``."""

    code: str
    endings: tuple[str, ...]
    not_actors: frozenset[str]
    people: frozenset[str] = frozenset()
    """Singular nouns that name people without an agentive ending ("chief", "child")."""

    def names_someone(self, tok: Token) -> bool:
        """Does the noun ``tok`` name a person or group (not a thing, place or time)?"""
        lemma = tok.lemma_.lower()
        if tok.ent_type_ in NOT_PEOPLE_ENTS or lemma in self.not_actors or not lemma.isalpha():
            return False
        if tok.pos_ == "PROPN":
            return True
        if tok.pos_ != "NOUN":
            return False
        if tok.tag_ == "NNS" or lemma in self.people:
            return True
        return any(lemma.endswith(e) for e in self.endings)

    def actor(self, head: Token) -> Actor:
        """A generic actor whose text is the noun phrase that ``head`` heads (its extent:
        :func:`~dyad.actors.extent.phrase_extent`)."""
        lefts = {c.i: c for c in head.lefts}
        start = head.i
        while start - 1 in lefts and lefts[start - 1].dep_ in _PHRASE_DEPS:
            if lefts[start - 1].pos_ == "DET":
                break
            start -= 1
        first, last = phrase_extent(head, start, head.i + 1)
        return Actor(text=head.doc[first:last].text, code=self.code)


def _fail(reason: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(str(DATA), f"{reason}; fix the file (see its header)")


def _words(raw: Any, key: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise _fail(f"{key!r} must be a list of lower-case words")
    return tuple(w.lower() for w in value)


def parse_generic(path: Path = DATA) -> GenericActors:
    """Read and validate ``generic.yaml``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("version") != 1:
        raise _fail("expected a mapping with version: 1")
    code = raw.get("code")
    if not isinstance(code, str) or not code.isalpha() or not code.isupper():
        raise _fail(f"code {code!r} must be upper-case letters")
    return GenericActors(
        code=code,
        endings=_words(raw, "agentive_endings"),
        not_actors=frozenset(_words(raw, "not_actors")),
        people=frozenset(_words(raw, "people_nouns")),
    )


@cache
def load_generic() -> GenericActors:
    """The bundled rules, read once per process (through the cache of compiled tables)."""
    from dyad.cache import cached

    return cached("generic-actors", [DATA, Path(__file__)], parse_generic)
