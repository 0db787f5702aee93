"""Whether an event happened: asserted, negated, future or hypothetical; and who says so.

Both answers come from the dependency path that climbs from the event's trigger to the root
of its clause: a negation, a modal, a future auxiliary, a conditional, or a governing verb
such as "deny", "plan" or "could" anywhere on that path changes the status; a reporting
verb ("said", "told", "according to") above it names the source of the statement.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from spacy.tokens import Token

from dyad.draft import Mention
from dyad.events.words import load_word_lists
from dyad.model import Actor, Status
from dyad.parse import to_infinitive

WORDS_FILE = Path(__file__).parent / "data" / "words" / "status.yaml"
_WORDS = load_word_lists(
    WORDS_FILE,
    (
        "negators",
        "negating_heads",
        "future_aux",
        "future_heads",
        "future_modifiers",
        "hypothetical_aux",
        "hypothetical_heads",
        "planning_heads",
        "weighing_heads",
        "denying_heads",
        "negative_determiners",
        "conditional_markers",
        "speech_verbs",
    ),
)


NEGATORS = _WORDS["negators"]
NEGATING_HEADS = _WORDS["negating_heads"]
"""Verbs whose complement did not (or will not) happen: "denied attacking", "refused to meet"."""
FUTURE_AUX = _WORDS["future_aux"]
FUTURE_HEADS = _WORDS["future_heads"]
"""Verbs whose to-complement is still to happen: "plans to visit", "vowed to retaliate"."""
FUTURE_MODIFIERS = _WORDS["future_modifiers"]
HYPOTHETICAL_AUX = _WORDS["hypothetical_aux"]
HYPOTHETICAL_HEADS = _WORDS["hypothetical_heads"]
"""Verbs whose complement is only wished, feared or weighed: "urged X to withdraw"."""
PLANNING_HEADS = _WORDS["planning_heads"]
"""Verbs whose event-noun object is still to happen: "planned an offensive"."""
WEIGHING_HEADS = _WORDS["weighing_heads"]
"""Verbs whose event-noun object is only weighed, wished or feared: "considering sanctions"."""
DENYING_HEADS = _WORDS["denying_heads"]
"""Reporting verbs that deny their that-clause: "denied that it attacked"."""
_CORE_ARGS = frozenset({"nsubj", "nsubjpass", "dobj"})
_NEGATIVE_DETERMINERS = _WORDS["negative_determiners"]
CONDITIONAL_MARKERS = _WORDS["conditional_markers"]
SPEECH_VERBS = _WORDS["speech_verbs"]
_CLAUSE_BOUNDARY = frozenset({"ccomp", "advcl", "relcl", "parataxis", "csubj", "ROOT"})
_CLIMB = frozenset(
    {
        "xcomp",
        "pcomp",
        "prep",
        "pobj",
        "dobj",
        "nsubj",
        "nsubjpass",
        "attr",
        "acomp",
        "amod",
        "compound",
        "poss",
        "conj",
        "acl",
        "appos",
        "npadvmod",
        "dative",
        "oprd",
        "agent",
        "nmod",
        "advmod",
        "dep",
    }
)


def clause_path(trigger: Token) -> Iterator[Token]:
    """The trigger, then each head up to and including the verb that roots its clause."""
    tok = trigger
    seen = 0
    while seen < 12:
        yield tok
        seen += 1
        if tok.dep_ in _CLAUSE_BOUNDARY or tok.head is tok:
            return
        if tok.dep_ not in _CLIMB:
            return
        tok = tok.head


def _negated(tok: Token, *, shared_only: bool = False) -> bool:
    """True when ``tok`` is negated; ``shared_only`` (reached from a conjunct) counts only
    what conjuncts share ("did not meet or talk"), not the head's own arguments ("had no
    soldiers and rejected the report": the rejection stands)."""
    for child in tok.children:
        if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and child.lower_ in NEGATORS):
            return True
        if (
            not shared_only
            and child.dep_ in _CORE_ARGS
            and tok.pos_ in ("VERB", "AUX")
            and any(
                g.dep_ in ("det", "neg") and g.lower_ in _NEGATIVE_DETERMINERS
                for g in child.children
            )
        ):
            return True  # "no sanctions were imposed", "neither side agreed"
        if child.dep_ == "preconj" and child.lower_ == "not":
            # "not only ... but also" is emphasis, not negation
            continue
    prep = tok.head if tok.dep_ in ("pobj", "pcomp") else None
    return bool(prep is not None and prep.lower_ == "without")


def combine(*, negated: bool, hypothetical: bool, future: bool) -> Status:
    """One status from the cues found: a denial outweighs a condition, which outweighs a
    plan ("will not meet" is negated, "could meet next week" hypothetical)."""
    if negated:
        return "negated"
    if hypothetical:
        return "hypothetical"
    if future:
        return "future"
    return "asserted"


def event_status(trigger: Token) -> Status:
    """The status of the event whose trigger head is ``trigger``."""
    negated = future = hypothetical = False
    path = list(clause_path(trigger))
    for depth, tok in enumerate(path):
        lemma = tok.lemma_.lower()
        if _negated(tok, shared_only=depth > 0 and path[depth - 1].dep_ == "conj"):
            negated = True
        if (
            depth > 0
            and lemma in NEGATING_HEADS
            and path[depth - 1].dep_ in ("xcomp", "pcomp", "dobj", "prep", "nsubjpass")
        ):
            negated = True  # "refused to meet", "the planned meeting was cancelled"
        for child in tok.children:
            low = child.lower_
            if child.dep_ in ("aux", "auxpass"):
                if low in FUTURE_AUX or (low == "would" and _reported(tok)):
                    future = True
                elif low in HYPOTHETICAL_AUX or low == "would":
                    hypothetical = True
            elif child.dep_ == "mark" and low in CONDITIONAL_MARKERS:
                hypothetical = True
            elif child.dep_ == "amod" and low in FUTURE_MODIFIERS and tok.pos_ == "NOUN":
                if low in ("potential", "possible"):
                    hypothetical = True
                else:
                    future = True
        if depth > 0 and path[depth - 1].dep_ == "xcomp":
            if lemma in FUTURE_HEADS:
                future = True
            elif lemma in HYPOTHETICAL_HEADS:
                hypothetical = True
        elif depth > 0 and path[depth - 1].dep_ == "dobj":
            if lemma in PLANNING_HEADS:
                future = True  # "planned an offensive", "scheduled talks"
            elif lemma in WEIGHING_HEADS:
                hypothetical = True  # "is considering sanctions", "discussed a ceasefire"
        if tok.dep_ == "xcomp" and tok.head.lemma_.lower() == "be" and to_infinitive(tok):
            future = True  # "is to visit"
    top = path[-1]
    if top.dep_ == "ccomp" and top.head.lemma_.lower() in DENYING_HEADS:
        negated = True  # "denied that it attacked"
    return combine(negated=negated, hypothetical=hypothetical, future=future)


def _reported(tok: Token) -> bool:
    """'said it would ...': a would-clause under a reporting verb is future in the past."""
    head = tok
    while head.dep_ == "conj":
        head = head.head
    return head.dep_ == "ccomp" and head.head.lemma_.lower() in SPEECH_VERBS


def speech_verb(trigger: Token) -> Token | None:
    """The reporting verb whose statement contains the trigger, if any."""
    path = list(clause_path(trigger))
    top = path[-1]
    while top.dep_ == "conj":
        top = top.head
    if top.dep_ in ("ccomp", "parataxis") and top.head.lemma_.lower() in SPEECH_VERBS:
        return top.head
    return None


def attribution(trigger: Token, mentions_by_head: Mapping[int, Mention]) -> Actor | None:
    """Who says the event happened: the subject of a reporting verb, or 'according to X'."""
    verb = speech_verb(trigger)
    if verb is not None:
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i in mentions_by_head:
                actors = mentions_by_head[child.i].actors
                if actors:
                    return actors[0]
    for tok in trigger.sent:
        if tok.lower_ == "according" and tok.dep_ == "prep":
            for to in tok.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj" and pobj.i in mentions_by_head:
                        return mentions_by_head[pobj.i].actors[0]
    return None
