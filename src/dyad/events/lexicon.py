"""The event lexicon: the words and constructions that express each CAMEO event.

Two kinds of data, both YAML under ``data/``:

``lexicon/NN.yaml`` (one file per CAMEO root, every file ``version: N`` + ``entries:``) holds
**patterns**. A pattern names a trigger word (``verb:`` or ``noun:``, a lower-case spaCy lemma)
and the conditions under which it expresses ``code``:

``particle``
    a phrasal-verb particle (dep ``prt``) that must hang off the verb: "call *off*".
``prep``
    a preposition that must hang off the trigger: "call *for*", "cooperate *on*".
``obj``
    lemmas of which the trigger's direct object head must be one ("hold *talks*"). When
    ``prep`` is given, ``obj`` constrains the object of that preposition instead ("call for
    a *ceasefire*", "go on *strike*").
``exclude_obj``
    lemmas that stop the pattern. For a verb: direct-object lemmas ("hit a *record*"). For a
    noun: ``amod``/``compound`` modifiers of the trigger ("*heart* attack") and the noun the
    trigger itself modifies as a compound ("attack *ad*").
``modifiers``
    nouns only: an ``amod``/``compound`` child lemma that must be present ("*air* strike").
``target``
    where the target actor is, in priority order: ``dobj``, ``dative``, ``poss`` (for a noun
    its possessor; for a verb the possessor of its object: "welcomed *Russia's* decision"),
    ``between`` (both sides of a symmetric event), ``compound`` (nouns: "the Gaza blockade"),
    ``nsubj`` (verbs whose subject undergoes the event: "Ukraine *received* aid from the EU"),
    or a preposition whose object is the target (``with``, ``on``, ``against``...). Defaults:
    verbs ``[dobj]``; nouns ``[of, on, against, with, to, between]``.
``source``
    where the source actor is. Defaults: verbs ``[nsubj]`` (with ``agent`` in the passive,
    which the coder handles); nouns ``[poss, by, amod, compound]``. Verbs whose subject is
    the target name the source slot explicitly (``source: [from]``).
``symmetric``
    the two sides are interchangeable (meet, negotiate, clash).
``requires_target``
    code the event only when a target actor is found (weak words: say, comment, hit).
``irregular``
    the code when the violence is unconventional rather than military, as CAMEO tells 18
    (assault) from 19 (conventional force): an irregular source (gunmen, bandits) or a
    civilian target ("killed four farmers" is 1823, not 190). ``clauses.yaml`` lists the
    sectors that decide it.
``confidence``
    prior in (0, 1]: how often the pattern, matched with actors, really is that event in news.

More specific patterns (more of particle / prep / obj / modifiers) rank before bare lemmas.
:meth:`Pattern.accepts` states these rules over the words around a trigger
(:class:`TriggerWords`, read off the parse by the coder) and :meth:`Lexicon.match` returns
the most specific pattern that accepts them.

``frames.yaml`` holds **frames**: complement-taking words that turn an embedded event into
another code ("threatened *to invade*" -> 138x, "urged Iran *to resume talks*" -> 026). A
frame verb may be written ``"call for"``: the frame then applies to ``call`` only when that
preposition or particle hangs off it (:meth:`Lexicon.frame_for_verb` takes it as ``prep``).
:meth:`Frame.code_for` maps the complement's code (or, for complements that are not events,
its head lemma: "accused of *corruption*") to the code of the whole construction.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import yaml

from dyad.errors import KnowledgeBaseError
from dyad.events.ontology import ROOTS, Ontology, load_ontology
from dyad.model import STATUSES

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PATH = DATA_DIR / "lexicon"
DEFAULT_FRAMES = DATA_DIR / "frames.yaml"

Pos: TypeAlias = Literal["VERB", "NOUN"]

PREPOSITIONS: frozenset[str] = frozenset(
    {
        "about",
        "across",
        "after",
        "against",
        "along",
        "alongside",
        "among",
        "around",
        "as",
        "at",
        "before",
        "behind",
        "beside",
        "between",
        "by",
        "for",
        "from",
        "in",
        "inside",
        "into",
        "near",
        "of",
        "off",
        "on",
        "onto",
        "out",
        "outside",
        "over",
        "through",
        "to",
        "toward",
        "towards",
        "under",
        "upon",
        "with",
        "within",
    }
)
"""Prepositions usable as ``prep`` and as ``target``/``source`` slots."""

PARTICLES: frozenset[str] = frozenset(
    {"up", "down", "off", "out", "in", "on", "over", "back", "away", "aside", "forward", "through"}
)
"""Phrasal-verb particles that may follow a frame verb ("rule out", "turn down")."""

TARGET_SLOTS: frozenset[str] = frozenset(
    {"dobj", "dative", "poss", "between", "compound", "nsubj"} | PREPOSITIONS
)
SOURCE_SLOTS: frozenset[str] = frozenset(
    {"nsubj", "agent", "poss", "amod", "compound", "between"} | PREPOSITIONS
)

VERB_TARGET: tuple[str, ...] = ("dobj",)
NOUN_TARGET: tuple[str, ...] = ("of", "on", "against", "with", "to", "between")
VERB_SOURCE: tuple[str, ...] = ("nsubj",)
NOUN_SOURCE: tuple[str, ...] = ("poss", "by", "amod", "compound")
DEFAULT_CONFIDENCE = 0.8

ENTRY_FIELDS: frozenset[str] = frozenset(
    {
        "code",
        "verb",
        "noun",
        "particle",
        "prep",
        "obj",
        "exclude_obj",
        "modifiers",
        "target",
        "source",
        "symmetric",
        "requires_target",
        "irregular",
        "confidence",
    }
)
FRAME_FIELDS: frozenset[str] = frozenset(
    {
        "family",
        "verbs",
        "nouns",
        "default",
        "by_root",
        "by_code",
        "by_lemma",
        "keep_complement",
        "complement_role",
        "target",
        "status",
    }
)
FRAME_STATUSES: tuple[str, ...] = tuple(STATUSES)

_WORD_RE = re.compile(r"^[a-z][a-z']*$")
_CODE_RE = re.compile(r"^\d{2,4}$")


@dataclass(frozen=True, slots=True)
class TriggerWords:
    """The words around a candidate trigger that patterns test, read off the parse.

    ``objects`` are the lemmas of the direct objects (``dobj``; in the passive the
    ``nsubjpass``), ``particles`` the ``prt`` children, ``preps`` maps each preposition
    hanging off the trigger to the lemmas of its objects (the parser often hangs it on the
    direct object instead: "accused [the neighbour of espionage]"; counting those is
    reasonable), ``modifiers`` are the ``amod`` and
    ``compound`` children (nouns) and ``compound_head`` is the noun the trigger itself
    modifies as a compound ("attack" in "attack ad").
    """

    objects: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    preps: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    modifiers: frozenset[str] = frozenset()
    compound_head: str | None = None


@dataclass(frozen=True, slots=True)
class Pattern:
    """One way of expressing a CAMEO event with a trigger word."""

    code: str
    pos: Pos
    lemma: str
    particle: str | None = None
    prep: str | None = None
    obj: tuple[str, ...] = ()
    exclude_obj: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    symmetric: bool = False
    requires_target: bool = False
    confidence: float = DEFAULT_CONFIDENCE
    irregular: str | None = None
    """The code when the violence is unconventional (see the module's field list)."""

    @property
    def specificity(self) -> int:
        """How many word constraints the pattern carries: particle, prep, obj, modifiers."""
        return (
            (self.particle is not None)
            + (self.prep is not None)
            + bool(self.obj)
            + bool(self.modifiers)
        )

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def inverted(self) -> bool:
        """True for verbs whose subject undergoes the event ("X *received* aid from Y"): the
        target is the subject and the source is in the slots of ``source``."""
        return self.pos == "VERB" and "nsubj" in self.target

    def accepts(self, words: TriggerWords) -> bool:
        """True when the words around a trigger meet every constraint of this pattern."""
        if self.particle is not None and self.particle not in words.particles:
            return False
        if self.prep is not None and self.prep not in words.preps:
            return False
        if self.obj:
            found = words.preps.get(self.prep, frozenset()) if self.prep else words.objects
            if not found & set(self.obj):
                return False
        if self.modifiers and not words.modifiers & set(self.modifiers):
            return False
        if self.exclude_obj:
            if self.pos == "VERB":
                blocked: set[str] = set(words.objects)
            else:
                blocked = set(words.modifiers)
                if words.compound_head is not None:
                    blocked.add(words.compound_head)
            if blocked & set(self.exclude_obj):
                return False
        return True

    def describe(self) -> str:
        """A short human-readable form: ``verb call off [strike] -> 0871``."""
        parts = [self.pos.lower(), self.lemma]
        if self.particle:
            parts.append(self.particle)
        if self.prep:
            parts.append(self.prep)
        if self.modifiers:
            parts.insert(1, "(" + "|".join(self.modifiers) + ")")
        if self.obj:
            parts.append("[" + "|".join(self.obj) + "]")
        return " ".join(parts) + f" -> {self.code}"


def _rank_key(p: Pattern) -> tuple[int, float, str]:
    return (-p.specificity, -p.confidence, p.code)


@dataclass(frozen=True, slots=True)
class Frame:
    """A complement-taking word that turns an embedded event into another code."""

    family: str
    verbs: tuple[str, ...]
    nouns: tuple[str, ...]
    default: str
    by_root: Mapping[str, str]
    by_code: Mapping[str, str]
    target: tuple[str, ...]
    status: str
    preps: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Verbs that act as this frame only with one of these prepositions/particles."""
    by_lemma: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Complement head lemmas that are not events themselves ("accused of *corruption*")."""
    keep_complement: bool = False
    """The complement keeps its own code (only its status changes), as under "deny"."""
    complement_role: str = "target"
    """Which side of the complement is the frame's target when the frame word names none:
    its ``target`` ("urged talks *with Iran*"), or its ``source`` for accusations ("claimed
    that *Russian forces* attacked": the accused; no target of its own, no event)."""

    def code_for(self, complement_code: str | None, lemma: str | None = None) -> str:
        """The code of the whole construction, given the complement's code (or none).

        Looked up in order: the complement's head ``lemma`` in ``by_lemma``, the complement
        code in ``by_code`` (then its three-digit base), its root in ``by_root``, the
        complement code itself when ``keep_complement``, and finally ``default``.
        """
        if lemma is not None and lemma in self.by_lemma:
            return self.by_lemma[lemma]
        if complement_code is None:
            return self.default
        if not _CODE_RE.match(complement_code):
            raise ValueError(
                f"frame {self.family}: complement code {complement_code!r} is not 2 to 4 digits"
            )
        if complement_code in self.by_code:
            return self.by_code[complement_code]
        if len(complement_code) == 4 and complement_code[:3] in self.by_code:
            return self.by_code[complement_code[:3]]
        root = complement_code[:2]
        if root in self.by_root:
            return self.by_root[root]
        if self.keep_complement:
            return complement_code
        return self.default

    def applies_to_verb(self, lemma: str, prep: str | None = None) -> bool:
        """True when ``lemma`` (with ``prep`` hanging off it, if any) opens this frame."""
        if lemma not in self.verbs:
            return False
        needed = self.preps.get(lemma)
        return needed is None or prep in needed


class Lexicon:
    """Patterns by trigger lemma (most specific first) and frames by verb or noun."""

    __slots__ = ("_frames", "_noun_frames", "_nouns", "_verb_frames", "_verbs", "version")

    def __init__(
        self, patterns: tuple[Pattern, ...], frames: tuple[Frame, ...], version: str
    ) -> None:
        self.version = version
        verbs: dict[str, list[Pattern]] = {}
        nouns: dict[str, list[Pattern]] = {}
        for p in patterns:
            (verbs if p.pos == "VERB" else nouns).setdefault(p.lemma, []).append(p)
        self._verbs = {k: tuple(sorted(v, key=_rank_key)) for k, v in verbs.items()}
        self._nouns = {k: tuple(sorted(v, key=_rank_key)) for k, v in nouns.items()}
        self._frames = frames
        self._verb_frames = {v: f for f in frames for v in f.verbs}
        self._noun_frames = {n: f for f in frames for n in f.nouns}

    def verbs(self, lemma: str) -> tuple[Pattern, ...]:
        """Verb patterns for ``lemma``, most specific first."""
        return self._verbs.get(lemma, ())

    def nouns(self, lemma: str) -> tuple[Pattern, ...]:
        """Noun patterns for ``lemma``, most specific first."""
        return self._nouns.get(lemma, ())

    def match(self, pos: Pos, lemma: str, words: TriggerWords) -> Pattern | None:
        """The most specific pattern for ``lemma`` whose constraints ``words`` meet."""
        candidates = self.verbs(lemma) if pos == "VERB" else self.nouns(lemma)
        return next((p for p in candidates if p.accepts(words)), None)

    def frame_for_verb(self, lemma: str, prep: str | None = None) -> Frame | None:
        """The frame ``lemma`` opens; ``prep`` is a preposition or particle hanging off it."""
        frame = self._verb_frames.get(lemma)
        if frame is None or not frame.applies_to_verb(lemma, prep):
            return None
        return frame

    def frame_for_noun(self, lemma: str) -> Frame | None:
        return self._noun_frames.get(lemma)

    def frames(self) -> tuple[Frame, ...]:
        return self._frames

    def __len__(self) -> int:
        return sum(len(v) for v in self._verbs.values()) + sum(len(v) for v in self._nouns.values())

    def patterns(self) -> Iterator[Pattern]:
        """Every pattern: verbs then nouns, by lemma, most specific first."""
        for lemma in sorted(self._verbs):
            yield from self._verbs[lemma]
        for lemma in sorted(self._nouns):
            yield from self._nouns[lemma]

    def count_by_root(self) -> dict[str, int]:
        """Number of patterns per CAMEO root, for every root."""
        counts = dict.fromkeys(ROOTS, 0)
        for p in self.patterns():
            counts[p.root] += 1
        return counts

    def __repr__(self) -> str:
        return (
            f"Lexicon(version={self.version!r}, patterns={len(self)}, frames={len(self._frames)})"
        )


# --------------------------------------------------------------------------- loading


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML 1.2-style booleans: only true/false, so that ``on``, ``off``, ``yes`` and ``no``
    (prepositions, particles, determiners) stay words. The C parser when PyYAML has it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _Ctx:
    """Where we are in a file, for error messages."""

    __slots__ = ("what", "where")

    def __init__(self, where: str, what: str) -> None:
        self.where = where
        self.what = what

    def fail(self, reason: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(self.where, f"{self.what}: {reason}")


def _node_lines(node: yaml.Node | None, key: str) -> list[int]:
    """1-based line of every item of the top-level sequence ``key``; rejects duplicate keys."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def _duplicate_keys(node: yaml.Node | None) -> tuple[int, str] | None:
    """The first mapping key that appears twice in one mapping, anywhere in the document."""
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                if k.value in seen:
                    return (k.start_mark.line + 1, k.value)
                seen.add(k.value)
            found = _duplicate_keys(v)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_keys(item)
            if found:
                return found
    return None


def _read_yaml(
    path: Path, key: str, extra: frozenset[str] = frozenset()
) -> tuple[str, list[Any], list[int]]:
    """(version, items of ``key``, line of each item) of a YAML data file.

    ``extra`` names further top-level keys the file may have (``shared`` tables for anchors).
    """
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeBaseError(where, f"cannot read the file ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise KnowledgeBaseError(where, f"not UTF-8 text ({exc})") from exc
    loader = _Loader(text)  # a safe loader: no object tags
    try:
        node = loader.get_single_node()  # parsed once: the node gives lines and duplicates
        dup = _duplicate_keys(node)  # before constructing, which expands merge keys in place
        if dup:
            raise KnowledgeBaseError(where, f"line {dup[0]}: key {dup[1]!r} given twice")
        lines = _node_lines(node, key)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(where, f"not valid YAML ({exc})") from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise KnowledgeBaseError(where, f"expected a mapping with 'version' and '{key}'")
    unknown = sorted(str(k) for k in set(data) - {"version", key} - extra)
    if unknown:
        raise KnowledgeBaseError(where, f"unknown top-level keys: {', '.join(map(str, unknown))}")
    if "version" not in data or data["version"] in (None, ""):
        raise KnowledgeBaseError(where, "no 'version' given")
    items = data.get(key)
    if not isinstance(items, list):
        raise KnowledgeBaseError(where, f"'{key}' must be a list")
    if len(lines) != len(items):
        lines = [0] * len(items)
    return str(data["version"]), items, lines


def _word(value: Any, ctx: _Ctx, name: str) -> str:
    if not isinstance(value, str) or not _WORD_RE.match(value):
        raise ctx.fail(f"{name} {value!r} must be one lower-case word")
    return value


def _words(value: Any, ctx: _Ctx, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ctx.fail(f"{name} must be a non-empty list of lower-case words, got {value!r}")
    out = tuple(_word(v, ctx, name) for v in value)
    if len(set(out)) != len(out):
        raise ctx.fail(f"{name} lists a word twice: {list(out)}")
    return out


def _slots(value: Any, ctx: _Ctx, name: str, allowed: frozenset[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ctx.fail(f"{name} must be a non-empty list of slots, got {value!r}")
    for slot in value:
        if slot not in allowed:
            raise ctx.fail(
                f"{name} slot {slot!r} is not one of: dobj, dative, poss, between, compound, "
                "nsubj, agent, amod or a preposition (with, on, against, to, of, ...)"
            )
    if len(set(value)) != len(value):
        raise ctx.fail(f"{name} lists a slot twice: {value}")
    return tuple(str(s) for s in value)


def _flag(value: Any, ctx: _Ctx, name: str) -> bool:
    if not isinstance(value, bool):
        raise ctx.fail(f"{name} must be true or false, got {value!r}")
    return value


def _code(value: Any, ctx: _Ctx, name: str, ontology: Ontology) -> str:
    if not isinstance(value, str) or not _CODE_RE.match(value):
        raise ctx.fail(f"{name} {value!r} must be a quoted CAMEO code of 2 to 4 digits")
    if value not in ontology:
        raise ctx.fail(f"{name} {value} is not in the CAMEO ontology")
    return value


def _entry_label(raw: dict[Any, Any]) -> str:
    for key in ("verb", "noun"):
        if isinstance(raw.get(key), str):
            return f"{key} {raw[key]!r}"
    return "?"


def _parse_entry(raw: Any, ctx: _Ctx, ontology: Ontology) -> Pattern:
    if not isinstance(raw, dict):
        raise ctx.fail(f"expected a mapping, got {raw!r}")
    ctx.what = f"{ctx.what} ({_entry_label(raw)})"
    unknown = sorted(str(k) for k in set(raw) - ENTRY_FIELDS)
    if unknown:
        raise ctx.fail(
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(ENTRY_FIELDS))}"
        )
    if "code" not in raw:
        raise ctx.fail("no 'code'")
    code = _code(raw["code"], ctx, "code", ontology)
    has_verb, has_noun = "verb" in raw, "noun" in raw
    if has_verb == has_noun:
        raise ctx.fail("give exactly one of 'verb' or 'noun'")
    pos: Pos = "VERB" if has_verb else "NOUN"
    lemma = _word(raw["verb" if has_verb else "noun"], ctx, pos.lower())
    particle = _word(raw["particle"], ctx, "particle") if "particle" in raw else None
    prep = _word(raw["prep"], ctx, "prep") if "prep" in raw else None
    if prep is not None and prep not in PREPOSITIONS:
        raise ctx.fail(f"prep {prep!r} is not a known preposition")
    obj = _words(raw["obj"], ctx, "obj") if "obj" in raw else ()
    exclude = _words(raw["exclude_obj"], ctx, "exclude_obj") if "exclude_obj" in raw else ()
    modifiers = _words(raw["modifiers"], ctx, "modifiers") if "modifiers" in raw else ()
    if pos == "NOUN":
        if particle is not None:
            raise ctx.fail("'particle' applies to verbs only")
        if obj and prep is None:
            raise ctx.fail("'obj' on a noun needs 'prep' (the object of that preposition)")
    elif modifiers:
        raise ctx.fail("'modifiers' applies to nouns only")
    overlap = set(exclude) & (set(obj) | set(modifiers))
    if overlap:
        raise ctx.fail(f"exclude_obj repeats required words: {sorted(overlap)}")
    target = (
        _slots(raw["target"], ctx, "target", TARGET_SLOTS)
        if "target" in raw
        else (VERB_TARGET if pos == "VERB" else NOUN_TARGET)
    )
    source = (
        _slots(raw["source"], ctx, "source", SOURCE_SLOTS)
        if "source" in raw
        else (VERB_SOURCE if pos == "VERB" else NOUN_SOURCE)
    )
    symmetric = _flag(raw["symmetric"], ctx, "symmetric") if "symmetric" in raw else False
    requires = (
        _flag(raw["requires_target"], ctx, "requires_target") if "requires_target" in raw else False
    )
    irregular = _code(raw["irregular"], ctx, "irregular", ontology) if "irregular" in raw else None
    if irregular is not None and irregular[:2] == code[:2]:
        raise ctx.fail(f"irregular {irregular} has the same root as code {code}")
    confidence = DEFAULT_CONFIDENCE
    if "confidence" in raw:
        value = raw["confidence"]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ctx.fail(f"confidence {value!r} is not a number")
        confidence = float(value)
        if not 0.0 < confidence <= 1.0:
            raise ctx.fail(f"confidence {confidence} is outside (0, 1]")
    return Pattern(
        code=code,
        pos=pos,
        lemma=lemma,
        particle=particle,
        prep=prep,
        obj=obj,
        exclude_obj=exclude,
        modifiers=modifiers,
        target=target,
        source=source,
        symmetric=symmetric,
        requires_target=requires,
        confidence=confidence,
        irregular=irregular,
    )


def _match_key(
    p: Pattern,
) -> tuple[str, str, str | None, str | None, frozenset[str], frozenset[str], frozenset[str]]:
    return (
        p.pos,
        p.lemma,
        p.particle,
        p.prep,
        frozenset(p.obj),
        frozenset(p.modifiers),
        frozenset(p.exclude_obj),
    )


def _check_overlaps(patterns: list[tuple[Pattern, str, str]]) -> None:
    """Reject patterns that the coder could not tell apart.

    Two patterns on the same trigger (same lemma, particle and preposition) that both list
    required objects may not share an object word unless their modifiers differ; likewise
    two noun patterns with the same object list may not share a modifier.
    """
    groups: dict[tuple[str, str, str | None, str | None], list[tuple[Pattern, str, str]]] = {}
    for item in patterns:
        p = item[0]
        groups.setdefault((p.pos, p.lemma, p.particle, p.prep), []).append(item)
    for items in groups.values():
        for i, (a, file_a, what_a) in enumerate(items):
            for b, file_b, what_b in items[i + 1 :]:
                where_a = what_a if file_a == file_b else f"{Path(file_a).name} {what_a}"
                if a.obj and b.obj and set(a.modifiers) == set(b.modifiers):
                    shared = sorted(set(a.obj) & set(b.obj))
                    if shared:
                        raise KnowledgeBaseError(
                            file_b,
                            f"{what_b}: object word(s) {shared} of {b.describe()} are required "
                            f"by {a.describe()} ({where_a}): the two cannot be told apart",
                        )
                if a.modifiers and b.modifiers and set(a.obj) == set(b.obj):
                    shared = sorted(set(a.modifiers) & set(b.modifiers))
                    if shared:
                        raise KnowledgeBaseError(
                            file_b,
                            f"{what_b}: modifier(s) {shared} of {b.describe()} are required "
                            f"by {a.describe()} ({where_a}): the two cannot be told apart",
                        )


def _lexicon_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        if not files:
            raise KnowledgeBaseError(str(path), "the lexicon folder holds no .yaml files")
        return files
    if not path.exists():
        raise KnowledgeBaseError(str(path), "the lexicon file or folder does not exist")
    return [path]


def parse_patterns(path: Path, ontology: Ontology) -> tuple[tuple[Pattern, ...], str]:
    """Read and validate every lexicon file at ``path`` (a file or a folder of NN.yaml)."""
    patterns: list[Pattern] = []
    located: list[tuple[Pattern, str, str]] = []
    seen: dict[tuple[Any, ...], str] = {}
    version: str | None = None
    for file in _lexicon_files(path):
        file_version, items, lines = _read_yaml(file, "entries")
        if version is None:
            version = file_version
        elif file_version != version:
            raise KnowledgeBaseError(
                str(file), f"version {file_version} differs from the other files' {version}"
            )
        root_of_file = file.stem if file.stem in ROOTS else None
        for i, (raw, line) in enumerate(zip(items, lines, strict=True), start=1):
            label = f"entry {i}" + (f" (line {line})" if line else "")
            ctx = _Ctx(str(file), label)
            pattern = _parse_entry(raw, ctx, ontology)
            if root_of_file is not None and pattern.root != root_of_file:
                raise ctx.fail(
                    f"code {pattern.code} belongs in {pattern.root}.yaml, not {file.name}"
                )
            key = _match_key(pattern)
            if key in seen:
                raise ctx.fail(f"the same pattern as {seen[key]} ({pattern.describe()})")
            seen[key] = f"{file.name} {ctx.what}"
            patterns.append(pattern)
            located.append((pattern, str(file), ctx.what))
    _check_overlaps(located)
    return tuple(patterns), version or ""


def _mapping(value: Any, ctx: _Ctx, name: str, ontology: Ontology, keys: str) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise ctx.fail(f"{name} must be a mapping, got {value!r}")
    out: dict[str, str] = {}
    for k, v in value.items():
        if keys == "root":
            if not isinstance(k, str) or k not in ROOTS:
                raise ctx.fail(f"{name} key {k!r} must be a quoted CAMEO root 01..20")
        elif keys == "code":
            _code(k, ctx, f"{name} key", ontology)
        else:
            _word(k, ctx, f"{name} key")
        out[str(k)] = _code(v, ctx, f"{name}[{k}]", ontology)
    return MappingProxyType(out)


def _parse_frame(raw: Any, ctx: _Ctx, ontology: Ontology) -> Frame:
    if not isinstance(raw, dict):
        raise ctx.fail(f"expected a mapping, got {raw!r}")
    if isinstance(raw.get("family"), str):
        ctx.what = f"{ctx.what} (family {raw['family']!r})"
    unknown = sorted(str(k) for k in set(raw) - FRAME_FIELDS)
    if unknown:
        raise ctx.fail(
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(FRAME_FIELDS))}"
        )
    for needed in ("family", "default", "status"):
        if needed not in raw:
            raise ctx.fail(f"no {needed!r}")
    family = _word(raw["family"], ctx, "family")
    verbs: list[str] = []
    preps: dict[str, list[str]] = {}
    bare: set[str] = set()
    raw_verbs = raw.get("verbs", [])
    if not isinstance(raw_verbs, list):
        raise ctx.fail(f"verbs must be a list, got {raw_verbs!r}")
    for item in raw_verbs:
        if not isinstance(item, str):
            raise ctx.fail(f"verb {item!r} must be a lemma or 'lemma preposition'")
        parts = item.split()
        if len(parts) not in (1, 2):
            raise ctx.fail(f"verb {item!r} must be a lemma or 'lemma preposition'")
        lemma = _word(parts[0], ctx, "verb")
        if lemma not in verbs:
            verbs.append(lemma)
        if len(parts) == 2:
            prep = _word(parts[1], ctx, "verb preposition")
            if prep not in PREPOSITIONS | PARTICLES:
                raise ctx.fail(f"verb {item!r}: {prep!r} is not a known preposition or particle")
            if prep in preps.get(lemma, []):
                raise ctx.fail(f"verb {item!r} is listed twice")
            preps.setdefault(lemma, []).append(prep)
        else:
            if lemma in bare:
                raise ctx.fail(f"verb {lemma!r} is listed twice")
            bare.add(lemma)
    nouns = _words(raw["nouns"], ctx, "nouns") if "nouns" in raw else ()
    if not verbs and not nouns:
        raise ctx.fail("a frame needs 'verbs' or 'nouns'")
    default = _code(raw["default"], ctx, "default", ontology)
    by_root = _mapping(raw.get("by_root", {}), ctx, "by_root", ontology, "root")
    by_code = _mapping(raw.get("by_code", {}), ctx, "by_code", ontology, "code")
    by_lemma = _mapping(raw.get("by_lemma", {}), ctx, "by_lemma", ontology, "lemma")
    target = _slots(raw["target"], ctx, "target", TARGET_SLOTS) if "target" in raw else ()
    status = raw["status"]
    if status not in FRAME_STATUSES:
        raise ctx.fail(f"status {status!r} is not one of {', '.join(FRAME_STATUSES)}")
    keep = False
    if "keep_complement" in raw:
        keep = _flag(raw["keep_complement"], ctx, "keep_complement")
    role = raw.get("complement_role", "target")
    if role not in ("target", "source"):
        raise ctx.fail(f"complement_role {role!r} is not 'target' or 'source'")
    return Frame(
        family=family,
        verbs=tuple(verbs),
        nouns=nouns,
        default=default,
        by_root=by_root,
        by_code=by_code,
        target=target,
        status=str(status),
        preps=MappingProxyType({k: tuple(v) for k, v in preps.items() if k not in bare}),
        by_lemma=by_lemma,
        keep_complement=keep,
        complement_role=str(role),
    )


def parse_frames(path: Path, ontology: Ontology) -> tuple[tuple[Frame, ...], str]:
    """Read and validate ``frames.yaml``."""
    version, items, lines = _read_yaml(path, "frames", frozenset({"shared"}))
    frames: list[Frame] = []
    families: set[str] = set()
    verb_owner: dict[str, str] = {}
    noun_owner: dict[str, str] = {}
    for i, (raw, line) in enumerate(zip(items, lines, strict=True), start=1):
        ctx = _Ctx(str(path), f"frame {i}" + (f" (line {line})" if line else ""))
        frame = _parse_frame(raw, ctx, ontology)
        if frame.family in families:
            raise ctx.fail(f"family {frame.family!r} is defined twice")
        families.add(frame.family)
        for verb in frame.verbs:
            if verb in verb_owner:
                raise ctx.fail(f"verb {verb!r} already opens frame {verb_owner[verb]!r}")
            verb_owner[verb] = frame.family
        for noun in frame.nouns:
            if noun in noun_owner:
                raise ctx.fail(f"noun {noun!r} already opens frame {noun_owner[noun]!r}")
            noun_owner[noun] = frame.family
        frames.append(frame)
    return tuple(frames), version


def _build(path: Path, frames_path: Path | None, ontology: Ontology) -> Lexicon:
    patterns, version = parse_patterns(path, ontology)
    if frames_path is None:
        sibling = path.parent / "frames.yaml"
        frames_path = sibling if sibling.exists() else None
    frames: tuple[Frame, ...] = ()
    if frames_path is not None:
        frames, _ = parse_frames(frames_path, ontology)
    lexicon = Lexicon(patterns, frames, version)
    log.debug("loaded %r from %s", lexicon, path)
    return lexicon


@cache
def _load_default() -> Lexicon:
    from dyad.cache import cached
    from dyad.events import ontology

    return cached(
        "events-lexicon",
        [DATA_DIR, Path(__file__), Path(ontology.__file__)],
        lambda: _build(DEFAULT_PATH, DEFAULT_FRAMES, load_ontology()),
    )


def load_lexicon(
    path: Path | None = None,
    ontology: Ontology | None = None,
    *,
    frames_path: Path | None = None,
) -> Lexicon:
    """The lexicon, validated against the ontology (the bundled one by default).

    ``path`` is a lexicon YAML file or a folder of them; the frames come from ``frames_path``
    or else from the ``frames.yaml`` beside the file (or beside the folder). The bundled
    lexicon is read once per process.
    """
    default_ontology = ontology is None or ontology is load_ontology()
    if path is None and frames_path is None and default_ontology:
        return _load_default()
    return _build(path or DEFAULT_PATH, frames_path, ontology or load_ontology())
