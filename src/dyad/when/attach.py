"""Finding time expressions in a parsed sentence and giving each event the one that is its own.

Finding: tokens that can only be part of a date ("March", "2022", "yesterday", "weeks") and
spaCy's DATE entities are *anchors*; words that only help ("the", "last", "early", "of", "in",
numbers) are *connectors*. A maximal run of anchors and connectors is read left to right, each
time taking the longest stretch that :func:`dyad.when.grammar.analyse` accepts. A stretch such
as "after March 2022" or "a week after the attack" is consumed but yields nothing: it places the
event relative to something else, not at that date.

Attaching: the date of an event is the expression that the dependency parse attaches to the
trigger, to its noun phrase, or to the clause whose verb governs the trigger without crossing
into another finite clause, never merely the nearest date in the sentence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from dyad.clean import find_dateline
from dyad.draft import EventDraft
from dyad.model import DateSpan, Status
from dyad.when.grammar import (
    FUTURE_HORIZON_DAYS,
    MONTHS,
    NUMBERS,
    ORDINALS,
    VAGUE_NUMBERS,
    WEEKDAYS,
    Block,
    Form,
    Op,
    Rel,
    Tense,
    analyse,
    normalize,
    resolve,
    resolve_text,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One time expression found in a sentence, resolved."""

    start: int
    """Character offset in ``doc.text`` (the cleaned article text)."""
    end: int
    token_start: int
    token_end: int
    """Exclusive."""
    head: int
    """Token index of the expression's syntactic head."""
    span: DateSpan
    """Resolved, ``basis == "text"``, ``text`` the words as written."""
    relative: bool
    """True when the publication date was needed to resolve it."""


# --------------------------------------------------------------------------------------------
# vocabulary of the scanner

_EXCLUDED_ENTS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"}
    | {"LANGUAGE", "MONEY", "PERCENT", "QUANTITY"}
)
_ANCHOR_WORDS = frozenset(
    {"today", "yesterday", "tomorrow", "tonight", "overnight", "recently", "lately", "day"}
    | {"days", "week", "weeks", "weekend", "month", "months", "year", "years", "decade"}
    | {"decades", "quarter", "quarters", "hours", "ago", "upcoming", "forthcoming", "spring"}
    | {"summer", "autumn", "winter", "morning", "afternoon", "evening", "night"}
)
_CONNECTORS = frozenset(
    {"the", "this", "last", "next", "past", "coming", "recent", "earlier", "later", "early"}
    | {"mid", "late", "end", "start", "beginning", "middle", "close", "half", "final", "opening"}
    | {"closing", "current", "previous", "prior", "preceding", "following", "of", "in", "on"}
    | {"at", "during", "since", "by", "until", "till", "through", "throughout", "from", "to"}
    | {"between", "and", "before", "after", "within", "over", "for", "around", "about", "circa"}
    | {"few", "several", "couple", "so", "far", "rest", "remainder", "ahead", "come", "near"}
    | {"future", "times", "as", "afterwards", "hence", "back", "now", "date", "-", "–", "—", "/"}
    | {",", "'s", "’s", "'", "’"}
    | set(NUMBERS)
    | set(VAGUE_NUMBERS)
    | set(ORDINALS)
)
_YEAR_PRECEDERS = frozenset(
    {"in", "since", "by", "until", "till", "of", "from", "between", "and", "to", "during"}
    | {"through", "throughout", "before", "after", "early", "mid", "late", "spring", "summer"}
    | {"autumn", "fall", "winter", "around", "circa", "year", "-", "–", "/"}
    | set(MONTHS)
)
_MONTH_PRECEDERS = frozenset(
    {"in", "of", "since", "until", "by", "early", "mid", "late", "from", "between", "and", "to"}
    | {"last", "next", "this", "through", "during", "the", "-", "–"}
)
_STRONG = re.compile(
    r"\d{4}|\d{4}[-/]\d{1,2}(?:[-/]\d{1,2})?|\d{3}0s|\d0s|q[1-4]|(?:early|mid|late)-\d{4}"
    r"|(?:early|mid|late)-[a-z]+"
)
_DAYNUM = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")
_NEUTRAL_LEAD = frozenset(
    {"in", "on", "at", "during", "throughout", "over", "for", "of", "around", "about", "circa"}
    | {"from"}
)
_PREPS = frozenset(
    {"in", "on", "at", "during", "since", "by", "until", "till", "through", "throughout", "from"}
    | {"between", "before", "after", "within", "over", "for", "around", "about", "of", "to"}
)
_TIME_WORDS = frozenset({"tonight", "overnight", "morning", "afternoon", "evening", "night"})
_MAX_RUN = 16

NONE, CONNECTOR, ANCHOR = 0, 1, 2


def _is_year(tok: Token) -> bool:
    text = tok.text
    if len(text) != 4 or not text.isdigit() or not 1800 <= int(text) <= 2199:
        return False
    if tok.ent_type_ == "DATE":
        return True
    doc = tok.doc
    prev = doc[tok.i - 1].lower_.rstrip(".") if tok.i > 0 else ""
    nxt = doc[tok.i + 1].text if tok.i + 1 < len(doc) else ""
    return prev in _YEAR_PRECEDERS or nxt in ("-", "–", "/")


def _is_month(tok: Token) -> bool:
    low = tok.lower_.rstrip(".")
    if low not in MONTHS or not tok.text[:1].isupper():
        return False
    dated = tok.ent_type_ == "DATE"
    if tok.ent_type_ in _EXCLUDED_ENTS:
        return False
    doc = tok.doc
    prev = doc[tok.i - 1] if tok.i > 0 else None
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    next_is_number = nxt is not None and bool(_DAYNUM.fullmatch(nxt.text) or nxt.text.isdigit())
    if dated:
        return True
    if tok.pos_ in ("VERB", "AUX"):
        return False
    if (
        prev is not None
        and prev.pos_ == "PROPN"
        and prev.text[:1].isupper()
        and prev.lower_ not in MONTHS
        and prev.lower_ not in WEEKDAYS
    ):
        return False  # "Theresa May"
    if tok.dep_ in ("nsubj", "nsubjpass") and not next_is_number:
        return False
    if len(low) <= 4 and low != "may" and low != "june" and low != "july":
        return next_is_number  # "Jan 5"; a bare "Mar" or "Dec" is too often something else
    if low == "may":
        return next_is_number or (prev is not None and prev.lower_ in _MONTH_PRECEDERS)
    return True


def _role(tok: Token) -> int:
    low = tok.lower_
    ent = tok.ent_type_
    if _STRONG.fullmatch(low):
        if low.isdigit():
            return ANCHOR if _is_year(tok) else NONE
        return ANCHOR
    if ent in _EXCLUDED_ENTS:
        return NONE
    if _is_month(tok):
        return ANCHOR
    if low in WEEKDAYS and len(low) >= 6 and tok.text[:1].isupper():
        return ANCHOR
    if ent == "DATE":
        return ANCHOR
    if ent == "TIME":
        return ANCHOR if low in _TIME_WORDS else CONNECTOR
    if low in _ANCHOR_WORDS:
        return ANCHOR
    if low in _CONNECTORS or _DAYNUM.fullmatch(low):
        return CONNECTOR
    return NONE


# --------------------------------------------------------------------------------------------
# tense of a clause

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
_FUTURE_LEMMAS = frozenset(
    {"plan", "expect", "schedule", "set", "due", "intend", "aim", "prepare", "poise", "slate"}
    | {"hope", "vow", "pledge", "promise", "agree", "decide", "threaten", "propose", "seek"}
    | {"want", "likely"}
)
_FUTURE_ADJ = frozenset(
    {"upcoming", "forthcoming", "planned", "proposed", "scheduled", "next", "coming", "future"}
)
_VERBAL = frozenset({"VERB", "AUX"})


def _has_complement(tok: Token) -> bool:
    return any(c.dep_ in ("attr", "acomp", "oprd") for c in tok.children)


def _aux(tok: Token) -> list[Token]:
    return [c for c in tok.children if c.dep_ in ("aux", "auxpass")]


_TENSE_LINKS = frozenset(
    {"pobj", "prep", "npadvmod", "advmod", "compound", "poss", "nummod", "amod", "appos"}
    | {"conj", "dobj", "nsubj", "nsubjpass", "attr", "oprd", "nmod", "quantmod", "case"}
)


def clause_tense(tok: Token) -> Tense | None:
    """The tense that governs the time expression whose root is ``tok`` (None: unknown).

    The walk goes up from the expression through its own preposition and through the noun
    phrases that are arguments of a verb ("will attend [Saturday's] meeting"), and stops at a
    noun that is not ("in response to [Thursday's] refusal"): that noun's time is its own.
    A noun with "upcoming", "planned", "next"... is future.
    """
    cur = tok
    if cur.dep_ == "pobj" and cur.head.i != cur.i:
        cur = cur.head  # the expression's own preposition: "on [Thursday]"
    for _ in range(8):
        if cur.pos_ in _VERBAL:
            return _verb_tense(cur, depth=0)
        if any(c.dep_ == "amod" and c.lower_ in _FUTURE_ADJ for c in cur.children):
            return "future"
        if cur.dep_ == "ROOT" or cur.head.i == cur.i:
            return None
        if cur.dep_ == "pobj" and cur.head.lower_ not in _CLIMB_PREPS:
            return None
        if cur.dep_ not in _TENSE_LINKS:
            return None
        cur = cur.head
    return None


def _verb_tense(verb: Token, depth: int) -> Tense | None:
    auxes = _aux(verb)
    lows = {a.lower_ for a in auxes}
    if lows & _FUTURE_AUX:
        return "future"
    head = verb.head
    if verb.dep_ == "xcomp" and head.i != verb.i:
        # "plans to visit", "has pledged to halve", "is going to": looking ahead; but "agreed
        # to resign on Tuesday" (a simple past) may date the agreement, so it stays unknown
        if head.lemma_ in _FUTURE_LEMMAS and head.tag_ != "VBD":
            return "future"
        if head.lemma_ == "go" and head.tag_ == "VBG":
            return "future"
        if head.lemma_ == "be" and "to" in lows and not _has_complement(head):
            return "future"  # "the president is to visit France next week"
        if depth < 3:
            upper = _verb_tense(head, depth + 1)
            if upper == "future":
                return "future"
    if verb.lemma_ in ("due", "set", "poised", "slated") and any(
        c.dep_ == "xcomp" for c in verb.children
    ):
        return "future"
    tags = {verb.tag_} | {a.tag_ for a in auxes}
    if "VBD" in tags or any(a.lemma_ == "have" for a in auxes):
        return "past"
    if verb.tag_ in ("VBZ", "VBP") or tags & {"VBZ", "VBP"}:
        return "present"
    if verb.tag_ in ("VBG", "VBN") and not auxes and depth < 3 and head.i != verb.i:
        return _verb_tense(head, depth + 1)  # a participle clause takes its host's tense
    return None


# --------------------------------------------------------------------------------------------
# finding


def find_time_expressions(doc: Doc, sentence: Span, published: date | None) -> list[TimeExpression]:
    """Every time expression of ``sentence`` that can be resolved, in text order.

    Relative expressions need ``published``; without it they are skipped (and logged).
    A wire dateline's date ("KYIV, May 3 (Reuters) -") is when the story was filed, not
    when anything in it happened: it is no expression of the sentence.
    """
    roles = [_role(tok) for tok in sentence]
    base = sentence.start
    if sentence.start_char == 0:
        dateline = find_dateline(doc.text)
        if dateline is not None:
            for k, tok in enumerate(sentence):
                if tok.idx < dateline.end:
                    roles[k] = NONE
    found: list[TimeExpression] = []
    i = 0
    n = len(roles)
    while i < n:
        if roles[i] == NONE:
            i += 1
            continue
        j = i
        while j < n and roles[j] != NONE and j - i < _MAX_RUN:
            j += 1
        if ANCHOR in roles[i:j]:
            found.extend(_read_run(doc, base + i, base + j, published, roles, base))
        i = j
    return found


def _read_run(
    doc: Doc, start: int, end: int, published: date | None, roles: list[int], base: int
) -> list[TimeExpression]:
    """Read one run of anchors and connectors, left to right, longest stretch first."""
    out: list[TimeExpression] = []
    i = start
    while i < end:
        if doc[i].is_punct or doc[i].lower_ in ("'s", "’s"):
            i += 1
            continue
        i = _read_at(doc, i, end, published, roles, base, out)
    return out


def _read_at(
    doc: Doc,
    i: int,
    end: int,
    published: date | None,
    roles: list[int],
    base: int,
    out: list[TimeExpression],
) -> int:
    """Take the longest stretch from token ``i`` that is a date; the index to go on from."""
    anchors = [k for k in range(i, end) if roles[k - base] == ANCHOR]
    if not anchors:
        return end
    for j in range(end, anchors[0], -1):
        if doc[j - 1].is_punct and j - 1 > i:
            continue
        text = doc[i:j].text  # not doc.text[...]: that joins the whole document
        form = analyse(normalize(text))
        if form is None:
            continue
        if _possessive(doc, j) and (doc[i].pos_ in ("ADP", "SCONJ") or doc[i].lower_ in _PREPS):
            # "since [Saturday's] attack": the preposition governs the noun, and the date
            # belongs to the noun; "since" still dates what its clause describes
            if isinstance(form, Op) and form.op == "since":
                _emit(doc, i, j, form, published, out)
            return i + 1
        if isinstance(form, Block) or _anchored_elsewhere(doc[j - 1], form):
            log.debug("time expression %r dates something else, skipped", text)
        else:
            _emit(doc, i, j, form, published, out)
        return j
    return i + 1


def _emit(
    doc: Doc, i: int, j: int, form: Form, published: date | None, out: list[TimeExpression]
) -> None:
    expr = _expression(doc, i, j, form, published)
    if expr is not None:
        out.append(expr)


def _possessive(doc: Doc, j: int) -> bool:
    """Whether the stretch ending before token ``j`` is a possessive ("Saturday's")."""
    last = doc[j - 1].lower_
    return last in ("'s", "’s") or (j < len(doc) and doc[j].lower_ in ("'s", "’s"))


def _anchored_elsewhere(last: Token, form: Form) -> bool:
    """ "a week after the attack": the count is relative to the attack, not to publication."""
    if last.lower_ not in ("after", "before", "earlier", "later") or not isinstance(form, Rel):
        return False
    return any(c.dep_ in ("pobj", "pcomp") for c in last.children)


def _expression(
    doc: Doc, i: int, j: int, form: Form, published: date | None
) -> TimeExpression | None:
    # drop prepositions that do not change the meaning ("in", "on") and a trailing "'s"
    while j - i > 1 and doc[i].lower_ in _NEUTRAL_LEAD:
        i += 1
    while j - i > 1 and (doc[j - 1].is_punct or doc[j - 1].lower_ in ("'s", "’s")):
        j -= 1
    span = doc[i:j]
    head = _root(span)
    tense = clause_tense(head)
    text = span.text
    got = resolve(form, published, tense)
    if got is None:
        log.debug("time expression %r cannot be resolved (published %s)", text, published)
        return None
    return TimeExpression(
        start=span.start_char,
        end=span.end_char,
        token_start=i,
        token_end=j,
        head=head.i,
        span=DateSpan(got.start, got.end, got.granularity, text=text, basis="text"),
        relative=got.relative,
    )


def _root(span: Span) -> Token:
    """The token of ``span`` highest in the parse tree."""
    best = span[0]
    best_depth = 99
    for tok in span:
        if span.start <= tok.head.i < span.end and tok.head.i != tok.i:
            continue
        depth = 0
        cur = tok
        while cur.head.i != cur.i and depth < 50:
            cur = cur.head
            depth += 1
        if depth < best_depth:
            best, best_depth = tok, depth
    return best


# --------------------------------------------------------------------------------------------
# attaching

_TEMPORAL_PREPS = frozenset(
    {"after", "before", "since", "until", "till", "following", "prior", "ahead", "preceding"}
)
_CLIMB_PREPS = frozenset({"at", "during", "in", "amid", "amidst", "throughout", "over", "on"})
_DESCEND_PREPS = frozenset({"at", "during", "in", "amid", "amidst", "throughout"})
_SUPPORT_VERBS = frozenset(
    {"hold", "launch", "stage", "conduct", "carry", "host", "attend", "mount", "pay", "make"}
    | {"convene", "organise", "organize", "begin", "start", "complete", "open", "resume"}
    | {"take", "sign", "reach", "conclude", "seal", "strike", "clinch", "produce", "yield"}
    | {"wage", "end", "join", "deliver", "give", "undertake", "win", "lose", "contest"}
    | {"submit", "file", "lodge"}
)
"""Light verbs whose object is the event itself ("held talks", "launched an offensive"): the
verb takes its object's date and the object the verb's."""
_ANNOUNCING_VERBS = frozenset(
    {"announce", "impose", "unveil", "introduce", "order", "approve", "adopt", "issue"}
    | {"declare", "enact", "extend", "expand", "tighten", "lift", "present", "table"}
)
"""Verbs whose object (sanctions, a ceasefire) takes the verb's date, though the verb does not
take the object's own ("announced drills starting on Thursday")."""
_CAUSAL_VERBS = frozenset(
    {"prompt", "trigger", "lead", "cause", "spark", "draw", "provoke", "result", "follow"}
    | {"precede", "overshadow", "dominate", "fuel", "inspire", "shape", "mark", "remain"}
    | {"continue"}
)
_PARTITIVES = frozenset(
    {"package", "series", "wave", "round", "set", "raft", "batch", "spate", "barrage", "flurry"}
    | {"string", "volley", "salvo", "number", "slew", "host", "list", "bout"}
)
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _has_subject(tok: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in tok.children)


def _finite(tok: Token) -> bool:
    if _has_subject(tok) or tok.tag_ in _FINITE_TAGS:
        return True
    return any(a.tag_ in _FINITE_TAGS for a in _aux(tok))


def _temporal_mark(tok: Token) -> bool:
    return any(
        c.dep_ in ("mark", "prep", "advmod") and c.lower_ in _TEMPORAL_PREPS | {"when", "while"}
        for c in tok.children
    )


def _climb(tok: Token) -> Token | None:
    """The next token up whose dates are also this token's, or None at a clause boundary."""
    head = tok.head
    dep = tok.dep_
    if head.i == tok.i or dep == "ROOT":
        return None
    if tok.pos_ in _VERBAL:
        if dep == "xcomp":
            return head
        if dep == "conj":
            return None if _has_subject(tok) else head
        if dep in ("advcl", "acl"):
            return None if _finite(tok) or _temporal_mark(tok) else head
        if dep == "pcomp":
            return None if head.lower_ in _TEMPORAL_PREPS else head
        if dep == "amod":
            return head  # "the ceasefire [agreed] in January", or a misparsed finite verb
        return None
    if dep in ("nsubj", "nsubjpass"):
        return None if head.lemma_ in _CAUSAL_VERBS else head
    if dep in ("dobj", "attr", "oprd"):
        return head if head.lemma_ in _SUPPORT_VERBS | _ANNOUNCING_VERBS else None
    if dep == "pobj":
        if head.lower_ == "of" and head.head.lemma_ in _PARTITIVES:
            return head  # "a new package of [sanctions]", "a round of [talks]"
        return head if head.lower_ in _CLIMB_PREPS else None
    if dep == "prep":
        return head
    if dep in ("conj", "appos", "compound"):
        return head
    return None


def _nouns_below(tok: Token, depth: int) -> list[Token]:
    """Nouns reached from ``tok`` through same-time prepositions ("at the summit in March"),
    with the participles that describe them ("in a referendum [held] in July").

    Another preposition ("voted for independence in a referendum ...") is passed through but
    its own object is not taken: "protested against the 2014 annexation" is not dated 2014.
    """
    out: list[Token] = []
    if depth <= 0:
        return out
    for prep in tok.children:
        if prep.dep_ != "prep" or prep.lower_ in _TEMPORAL_PREPS:
            continue
        same_time = prep.lower_ in _DESCEND_PREPS
        for obj in prep.children:
            if obj.dep_ == "pobj":
                if same_time:
                    out.append(obj)
                    out.extend(_participles(obj))
                out.extend(_nouns_below(obj, depth - 1))
    return out


def _participles(noun: Token) -> list[Token]:
    return [c for c in noun.children if c.dep_ == "acl" and not _finite(c)]


def _xcomps(verb: Token, depth: int = 2) -> list[Token]:
    """Infinitive complements that share the verb's time ("applied [to join] NATO on 18 May");
    not those of verbs that look ahead ("agreed to meet next week")."""
    if depth <= 0 or verb.lemma_ in _FUTURE_LEMMAS:
        return []
    out: list[Token] = []
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ in _VERBAL:
            out.append(child)
            out.extend(_xcomps(child, depth - 1))
    return out


def _domain(trigger: Token) -> dict[int, float]:
    """Token index -> rank (lower is closer) of every token whose dates are the trigger's."""
    ranks: dict[int, float] = {trigger.i: 0.0}
    chain = [trigger]
    cur = trigger
    for step in range(1, 10):
        nxt = _climb(cur)
        if nxt is None or nxt.i in ranks:
            break
        ranks[nxt.i] = float(step)
        chain.append(nxt)
        cur = nxt
    if trigger.pos_ not in _VERBAL:
        for child in _participles(trigger):  # "the deal, signed on 3 March, ..."
            ranks.setdefault(child.i, 0.5)
    clause: list[tuple[int, Token]] = []
    for level, tok in enumerate(chain):
        clause.append((level, tok))
        if tok.pos_ in _VERBAL:
            for comp in _xcomps(tok):
                ranks.setdefault(comp.i, level + 0.5)
                clause.append((level, comp))
    below: list[tuple[Token, float]] = []
    for level, tok in clause:
        base = 100.0 + level
        for noun in _nouns_below(tok, 2):
            below.append((noun, base))
        if tok.pos_ in _VERBAL:
            for child in tok.children:
                if child.dep_ in ("dobj", "attr") and tok.lemma_ in _SUPPORT_VERBS:
                    below.append((child, base))
                    below.extend((p, base + 0.25) for p in _participles(child))
                    below.extend((n, base + 0.5) for n in _nouns_below(child, 1))
                elif child.dep_ == "nsubj" and tok.lemma_ not in _CAUSAL_VERBS:
                    below.append((child, base + 0.25))
    for tok, rank in below:
        ranks.setdefault(tok.i, rank)
    return ranks


def attachment(doc: Doc, expr: TimeExpression, published: date | None = None) -> int:
    """The token the expression modifies: the verb or noun that its preposition hangs on.

    With ``published``, a date wholly before publication that the parse hangs on a present
    perfect verb ("has faced sanctions following the invasion in February 2022") is moved to
    the nearest noun before it: English does not date a present perfect with a finished past
    time, so the date must belong to that noun phrase.
    """
    cur = _hangs_on(doc, expr)
    if published is not None and expr.span.end < published and _present_perfect(cur):
        noun = _noun_before(doc, cur, expr.token_start)
        if noun is not None:
            return noun.i
    antecedent = _occurrence_antecedent(cur)
    if antecedent is not None:
        return antecedent.i
    return cur.i


def _hangs_on(doc: Doc, expr: TimeExpression) -> Token:
    """The token the parse hangs the expression on, through its preposition(s)."""
    cur = doc[expr.head].head
    for _ in range(4):  # "in [February 2022]", "to ... [between 2021 and 2023]"
        if cur.pos_ != "ADP" or cur.head.i == cur.i:
            break
        cur = cur.head
    return cur


def _attachments(doc: Doc, expr: TimeExpression, published: date | None) -> tuple[int, ...]:
    """:func:`attachment`, and the verb of "which took place ..." when it was moved from it."""
    first = attachment(doc, expr, published)
    raw = _hangs_on(doc, expr)
    if raw.i != first and _occurrence_antecedent(raw) is not None:
        return (first, raw.i)  # "the mutiny, which [began] late on Friday": both are dated
    return (first,)


_OCCURRENCE_VERBS = frozenset(
    {"happen", "occur", "unfold", "hold", "begin", "start", "end", "conclude", "open", "close"}
    | {"convene", "last", "culminate", "run"}
)
_NP_LINKS = frozenset({"conj", "appos", "compound", "nmod", "poss", "amod"})
_PARTICIPANT_PREPS = frozenset(
    {"between", "of", "with", "among", "involving", "on", "against", "over", "into"}
)


def _occurrence_antecedent(verb: Token) -> Token | None:
    """The event noun that "which took place ...", "held ...", "that began ..." describes.

    The date of such a relative clause is the date of its antecedent. The parser often hangs
    the clause on the nearest name ("a summit between Xi and Putin, which took place ..."), so
    the antecedent is the head of the whole noun phrase the clause follows.
    """
    if verb.dep_ not in ("relcl", "acl") or verb.pos_ not in _VERBAL:
        return None
    lemma = verb.lemma_
    if lemma == "take":
        if not any(c.dep_ == "dobj" and c.lower_ == "place" for c in verb.children):
            return None
    elif lemma not in _OCCURRENCE_VERBS:
        return None
    noun = verb.head
    hops = 0
    for _ in range(8):
        up = noun.head
        if (
            noun.dep_ == "pobj"
            and hops == 0
            and up.dep_ == "prep"
            and up.head.pos_ in ("NOUN", "PROPN")
            and (noun.pos_ == "PROPN" or up.lower_ in _PARTICIPANT_PREPS)
        ):
            up = up.head  # "a summit [between Xi and Putin]": still the same noun phrase
            hops += 1
        elif noun.dep_ not in _NP_LINKS or up.i == noun.i:
            break
        if up.i > verb.i:
            break
        noun = up
    return noun if noun.pos_ == "NOUN" else None


def _present_perfect(verb: Token) -> bool:
    if verb.pos_ not in _VERBAL or verb.tag_ != "VBN":
        return False
    return any(a.dep_ == "aux" and a.lower_ in ("has", "have", "'ve") for a in _aux(verb))


def _noun_before(doc: Doc, verb: Token, before: int) -> Token | None:
    """The nearest common noun before token ``before`` in ``verb``'s phrase, after the verb."""
    for k in range(before - 1, verb.i, -1):
        tok = doc[k]
        if tok.pos_ == "NOUN" and tok.ent_type_ != "DATE" and verb in tok.ancestors:
            # "its invasion of a neighbour": the phrase is headed by "invasion"
            while tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
                tok = tok.head.head
            return tok
    return None


def _pick(
    doc: Doc, trigger: Token, expressions: Sequence[TimeExpression], published: date | None
) -> TimeExpression | None:
    ranks = _domain(trigger)
    best: tuple[float, int, int] | None = None
    chosen: TimeExpression | None = None
    for expr in expressions:
        if expr.token_start <= trigger.i < expr.token_end:
            continue
        found = [ranks[i] for i in _attachments(doc, expr, published) if i in ranks]
        if not found:
            continue
        rank = min(found)
        key = (rank, (expr.span.end - expr.span.start).days, abs(expr.head - trigger.i))
        if best is None or key < best:
            best, chosen = key, expr
    return chosen


def _check_index(doc: Doc, index: int) -> Token:
    if not 0 <= index < len(doc):
        raise ValueError(f"trigger head {index} is outside the document ({len(doc)} tokens)")
    return doc[index]


def date_for_trigger(
    doc: Doc,
    trigger_head: int,
    published: date | None,
    expressions: Sequence[TimeExpression] | None = None,
) -> DateSpan | None:
    """The date the text states for the event whose trigger head is ``trigger_head``.

    ``expressions`` are the sentence's time expressions when already found (they are found
    here otherwise). None when the text states no date for this event.
    """
    trigger = _check_index(doc, trigger_head)
    if expressions is None:
        expressions = find_time_expressions(doc, trigger.sent, published)
    picked = _pick(doc, trigger, expressions, published)
    return None if picked is None else picked.span


def undated(published: date | None, status: Status) -> DateSpan | None:
    """The stand-in date of an event whose text states none.

    The publication day; for a future event the open range from publication to
    :data:`~dyad.when.grammar.FUTURE_HORIZON_DAYS` days after it; None without a publication date.
    """
    if published is None:
        return None
    if status == "future":
        horizon = published + timedelta(days=FUTURE_HORIZON_DAYS)
        return DateSpan(published, horizon, "range", text=None, basis="publication")
    return DateSpan(published, published, "day", text=None, basis="publication")


def date_events(drafts: Sequence[EventDraft], doc: Doc, published: date | None) -> list[EventDraft]:
    """Each draft with its ``date`` filled (a date already set is kept).

    The stated date (:func:`date_for_trigger`) when there is one; for a future event, a
    relative stated date is read as future ("on Friday" = the next Friday). Otherwise the
    stand-in of :func:`undated`.
    """
    by_sentence: dict[int, list[TimeExpression]] = {}
    out: list[EventDraft] = []
    for draft in drafts:
        if draft.date is not None:
            out.append(draft)
            continue
        trigger = _check_index(doc, draft.trigger_head)
        sent = trigger.sent
        if sent.start not in by_sentence:
            by_sentence[sent.start] = find_time_expressions(doc, sent, published)
        picked = _pick(doc, trigger, by_sentence[sent.start], published)
        when: DateSpan | None
        if picked is None:
            when = undated(published, draft.status)
        else:
            when = picked.span
            if draft.status == "future" and picked.relative and when.text is not None:
                again = resolve_text(when.text, published, "future")
                if again is not None:
                    when = DateSpan(again.start, again.end, again.granularity, when.text, "text")
        out.append(replace(draft, date=when))
    return out
