"""The clause rules of the coder (``events/data/clauses.yaml``): background clauses,
reciprocal objects, future material acts coded as threats, object control of gerunds,
the sectors that make violence assault rather than military force."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml
from spacy.tokens import Token

from dyad.errors import KnowledgeBaseError
from dyad.model import Actor

DATA = Path(__file__).parent / "data" / "clauses.yaml"
_CLAUSE_DEPS = frozenset(
    {"advcl", "relcl", "acl", "ccomp", "xcomp", "conj", "pcomp", "pobj", "prep"}
)


@dataclass(frozen=True, slots=True)
class ClauseRules:
    background_markers: frozenset[str]
    background_preps: frozenset[str]
    reciprocals: frozenset[str]
    threat_roots: frozenset[str]
    controllers: frozenset[str]
    object_is_enough: frozenset[str]
    happening_roots: frozenset[str]
    target_preps: Mapping[str, tuple[str, ...]]
    """CAMEO root -> prepositions (last word of a multi-word one) whose object is a target."""
    irregular_sources: frozenset[str]
    civilian_targets: frozenset[str]

    def unconventional(self, source: Sequence[Actor], target: Sequence[Actor]) -> bool:
        """Is violence between these actors assault (CAMEO 18) rather than military force
        (19)? It is when a source belongs to an irregular sector (gunmen, bandits) or every
        sector of a target is civilian (villagers, farmers, journalists)."""
        if any(set(a.sectors) & self.irregular_sources for a in source):
            return True
        return any(a.sectors and set(a.sectors) <= self.civilian_targets for a in target)

    def background(self, head: Token) -> bool:
        """Is the trigger ``head`` inside a clause of time or cause ("since X invaded")?"""
        tok = head
        for _ in range(12):
            if tok.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ in self.background_markers for c in tok.children
            ):
                return True
            if tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ in self.background_preps:
                return tok.head.head.pos_ in ("VERB", "AUX") and tok.head.dep_ == "prep"
            if tok.head is tok or tok.dep_ not in _CLAUSE_DEPS:
                return False
            tok = tok.head
        return False

    def reciprocal(self, head: Token) -> bool:
        """Does the trigger take "each other" / "one another" as an object?"""
        for c in head.subtree:
            if c.lower_ in ("other", "another") and c.i > 0:
                pair = f"{c.doc[c.i - 1].lower_} {c.lower_}"
                if pair in self.reciprocals:
                    return True
        return False


def _fail(reason: str) -> KnowledgeBaseError:
    return KnowledgeBaseError(str(DATA), f"{reason}; fix the file (see its header)")


def _words(raw: Any, key: str) -> frozenset[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
        raise _fail(f"{key!r} must be a list of words")
    return frozenset(str(w).lower() for w in value)


def _roots(raw: Any, key: str) -> frozenset[str]:
    roots = _words(raw, key)
    bad = sorted(r for r in roots if not (len(r) == 2 and r.isdigit() and 1 <= int(r) <= 20))
    if bad:
        raise _fail(f"{key} {bad} are not CAMEO roots 01..20")
    return roots


def _sectors(raw: Any, key: str) -> frozenset[str]:
    codes = frozenset(w.upper() for w in _words(raw, key))
    bad = sorted(c for c in codes if not (len(c) == 3 and c.isalpha()))
    if bad:
        raise _fail(f"{key}: {bad} are not three-letter sector codes")
    return codes


def parse_clauses(path: Path = DATA) -> ClauseRules:
    """Read and validate ``clauses.yaml``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("version") != 1:
        raise _fail("expected a mapping with version: 1")
    roots = _roots(raw, "threat_roots")
    preps = raw.get("target_preps")
    if not isinstance(preps, dict):
        raise _fail("'target_preps' must map CAMEO roots to lists of prepositions")
    table: dict[str, tuple[str, ...]] = {}
    for root in preps:
        if not (isinstance(root, str) and len(root) == 2 and root.isdigit()):
            raise _fail(f"target_preps: {root!r} is not a CAMEO root written as a string")
        table[root] = tuple(sorted(_words(preps, root), key=lambda w: -len(w.split())))
    return ClauseRules(
        background_markers=_words(raw, "background_markers"),
        background_preps=_words(raw, "background_preps"),
        reciprocals=_words(raw, "reciprocals"),
        threat_roots=roots,
        controllers=_words(raw, "controllers"),
        object_is_enough=_words(raw, "object_is_enough"),
        happening_roots=_roots(raw, "happening_roots"),
        target_preps=MappingProxyType(table),
        irregular_sources=_sectors(raw, "irregular_sources"),
        civilian_targets=_sectors(raw, "civilian_targets"),
    )


@cache
def load_clauses() -> ClauseRules:
    """The bundled clause rules, read once per process."""
    return parse_clauses()
