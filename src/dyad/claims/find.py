"""Stage 7: quantitative claims, read from the parse around each written amount.

For every sentence (headings skipped) the scanner (:mod:`dyad.claims.quantity`) finds the
amounts as written; each is then read against the sentence's dependency parse:

- **type and sign**: a change when a verb or noun of change governs it ("rose 12 percent",
  "a 40% increase", "down 3.5 points", "fell by a third", "doubled"), a level otherwise ("a
  25% tariff", "rose *to* 8%"); a change is signed (decreases negative). An amount after
  "from" ("down from 85.5%") is the baseline of a comparison and is not coded.
- **comparator**: from the words around it ("more than", "at least" -> ">"; "under", "up to"
  -> "<"; "about", "nearly", "some" -> "~") or from the verb whose object it is ("could
  exceed $200 billion" -> ">").
- **metric**: the measured thing named by the noun the amount modifies, its "of/in" object,
  the noun of change's object, the clause's subject or object, or the clause above (through
  verbs of saying); looked up in the controlled list of metrics (``data/lexicon.yaml``),
  otherwise the lemma of the measured noun, otherwise ``"unspecified"``.
- **counts** (no unit) are coded only for the metric families of people and things in the
  list: casualties, injuries, troops, refugees, displaced, arrests, protesters, hostages,
  prisoners, missiles, drones, seats, ... (unit ``people`` or ``count``); "a dozen
  agreements", ages, years, times and list numbers are not claims.
- **subject**: the actors of mentions attached to the measured noun ("trade between Russia
  and China", "China's exports", "Ukrainian troops"); for metrics owned by the doer (trade,
  aid, troops, spending) the clause's subject ("Germany will send 3,000 troops"); trading
  partners and recipients ("exports to India", "aid to Sudan") join it.
- **attributed_to**: the speaker of the nearest verb of saying above the amount ("X said",
  "X expressed optimism that", "data from X showed") or "according to X".
- **status**: ``negated`` ("did not exceed"), ``hypothetical`` (a condition: "could reach X
  if ..."; "may have killed"), ``future`` (will/could/would, "is expected to", "aims to",
  forecasts and targets, a period after publication), else ``asserted``.
- **period**: the time expression (:func:`dyad.when.find_time_expressions`) attached to the
  amount's own clause: to the amount, the measured noun, the noun of change or the verbs of
  the clause, never one in another clause ("official data showed on Tuesday"), and never a
  baseline ("from a year earlier").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from dyad.claims.lexicon import Lexicon, load_lexicon
from dyad.claims.quantity import Amount, scanner
from dyad.draft import ClaimDraft, Mention
from dyad.events.status import combine
from dyad.model import Actor, Comparator, DateSpan, Quantity, QuantityType, Status
from dyad.when import TimeExpression, find_time_expressions

log = logging.getLogger(__name__)

_CLAUSE_POS = frozenset({"VERB", "AUX"})
_NOT_CLAUSE_DEPS = frozenset({"aux", "auxpass", "amod", "prep", "compound", "nmod", "npadvmod"})
_NP_DEPS = frozenset({"poss", "amod", "compound", "nmod", "appos", "nummod"})
_NP_PREPS = frozenset({"between", "with", "of", "from", "to", "among", "in", "for", "by"})
_PARTNER_PREPS = frozenset({"with", "between", "to", "from", "among"})
_RECIPIENT_PREPS = frozenset({"to", "for", "in", "into"})
_ATTACH_PREPS = frozenset(
    {"in", "during", "for", "over", "since", "by", "through", "until", "on", "at", "throughout"}
)
_BASELINE_WORDS = frozenset({"from", "than", "compared", "versus", "vs", "against"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
_CLIMB_DEPS = frozenset(
    {
        "xcomp",
        "ccomp",
        "advcl",
        "acl",
        "pcomp",
        "prep",
        "pobj",
        "dobj",
        "conj",
        "relcl",
        "attr",
        "oprd",
        "npadvmod",
        "advmod",
        "appos",
        "acomp",
    }
)
_SKIP_BEFORE_POS = frozenset({"ADV", "DET", "ADJ", "PUNCT"})
_PEOPLE_ENTS = frozenset({"NORP"})
_NOT_COUNT_ENTS = frozenset({"TIME", "ORDINAL", "MONEY", "PERCENT"})
_YEAR = re.compile(r"1[89]\d\d|20\d\d|2100")
_SAME_TIME_MARKS = frozenset({"when", "as", "while"})
_LEVEL_COMPARATORS = frozenset(
    {"above", "below", "beyond", "under", "well above", "well below", "just above", "just below"}
)
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
_FUTURE_GOVERNORS = frozenset({"optimism", "hope", "confidence", "expectation", "belief"})

CONFIDENCE_CAP = 0.95


@dataclass(frozen=True, slots=True)
class _Metric:
    """The metric of one amount and how it was found."""

    name: str
    noun: Token | None
    """The measured noun, when one names it."""
    score: float
    """0.3 from the controlled list by the parse, 0.2 by words nearby or the unit,
    0.1 the lemma of the measured noun, 0 unspecified."""


@dataclass(frozen=True, slots=True)
class _Reading:
    """What the parse says about one amount, before it becomes a draft."""

    root: Token
    verb: Token
    path: tuple[Token, ...]
    """From the amount's root up to its clause verb, both included."""
    change_noun: Token | None
    direction: int
    level: bool
    """Written as the level reached ("rose to 8%")."""


class _Sentence:
    """One sentence with the mentions, time expressions and tables needed to read it."""

    def __init__(
        self,
        doc: Doc,
        sent: Span,
        index: int,
        mentions: Sequence[Mention],
        published: date | None,
        lex: Lexicon,
    ) -> None:
        self.doc = doc
        self.sent = sent
        self.index = index
        self.published = published
        self.lex = lex
        self.by_token: dict[int, list[Mention]] = {}
        for m in mentions:
            if not m.actors or m.token_end <= sent.start or m.token_start >= sent.end:
                continue
            for i in range(max(m.token_start, sent.start), min(m.token_end, sent.end)):
                self.by_token.setdefault(i, []).append(m)
        self._times: list[TimeExpression] | None = None
        self.comparator_preps = frozenset(p for p in lex.comparators_before if " " not in p)

    @property
    def times(self) -> list[TimeExpression]:
        if self._times is None:
            self._times = find_time_expressions(self.doc, self.sent, self.published)
        return self._times

    # --- small helpers ----------------------------------------------------------------

    def words(self, tok: Token) -> set[str]:
        return {tok.lemma_.lower(), tok.lower_}

    def in_time(self, start: int, end: int) -> bool:
        """True when [start, end) (offsets in the document) overlaps a time expression."""
        return any(t.start < end and start < t.end for t in self.times)

    def countries(self) -> set[str]:
        out: set[str] = set()
        for ms in self.by_token.values():
            for m in ms:
                out.update(a.country for a in m.actors if a.country)
        return out

    def clause_verb(self, tok: Token) -> tuple[Token, tuple[Token, ...]]:
        """The verb heading ``tok``'s clause and the path to it (both ends included)."""
        path = [tok]
        cur = tok
        for _ in range(40):
            if cur.pos_ in _CLAUSE_POS and cur.dep_ not in _NOT_CLAUSE_DEPS:
                break
            if cur.head.i == cur.i:
                break
            cur = cur.head
            path.append(cur)
        return cur, tuple(path)

    def np_mentions(self, tok: Token, depth: int = 0, *, conj: bool = False) -> list[Mention]:
        """Mentions covering ``tok`` or attached to it inside its noun phrase (with
        ``conj``, also those of nouns coordinated with it: "Russia and Ukraine")."""
        out: list[Mention] = list(self.by_token.get(tok.i, ()))
        if depth > 3:
            return out
        for child in tok.children:
            if child.dep_ in _NP_DEPS or (child.dep_ == "conj" and (depth > 0 or conj)):
                out.extend(self.np_mentions(child, depth + 1))
            elif child.dep_ == "prep" and child.lower_ in _NP_PREPS:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        out.extend(self.np_mentions(obj, depth + 1))
        return _unique(out)

    def owner_mentions(self, tok: Token, depth: int = 0) -> list[Mention]:
        """Mentions that own a noun: itself, its possessor and modifiers ("China's exports",
        "Ukrainian troops"), not the objects of its prepositions."""
        out: list[Mention] = list(self.by_token.get(tok.i, ()))
        if depth < 3:
            for child in tok.children:
                if child.dep_ in _NP_DEPS:
                    out.extend(self.owner_mentions(child, depth + 1))
        return _unique(out)

    def subject_of(self, verb: Token) -> Token | None:
        """The verb's subject, or that of the verb it is the complement of; a relative
        pronoun stands for the noun its clause modifies ("aid that could total $2bn")."""
        cur = verb
        for _ in range(4):
            for child in cur.children:
                if child.dep_ in _SUBJECT_DEPS:
                    if child.lower_ in _RELATIVE_PRONOUNS and cur.dep_ == "relcl":
                        return cur.head
                    return child
            if cur.dep_ in ("xcomp", "conj") and cur.head.i != cur.i:
                cur = cur.head
                continue
            break
        return None

    def speaker_mention(self, tok: Token) -> Mention | None:
        mentions = self.np_mentions(tok)
        for m in mentions:
            if m.token_start <= tok.i < m.token_end:
                return m
        return mentions[0] if mentions else None

    # --- reading one amount -----------------------------------------------------------

    def claim(self, amount: Amount) -> ClaimDraft | None:
        base = self.sent.start_char
        span = self.doc.char_span(base + amount.start, base + amount.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        if amount.kind == "count":
            return self._count_claim(amount, span)
        return self._measure_claim(amount, span)

    def _reading(self, amount: Amount, span: Span) -> _Reading | None:
        root = span.root
        verb, path = self.clause_verb(root)
        phrase = self.doc.char_span(
            self.sent.start_char + amount.phrase_start,
            self.sent.start_char + amount.phrase_end,
            alignment_mode="expand",
        )
        first_i = phrase.start if phrase is not None else span.start
        last_i = phrase.end if phrase is not None else span.end
        before = self.doc[first_i - 1] if first_i > self.sent.start else None
        if before is not None and before.lower_ in ("from",) and amount.kind != "multiple":
            return None
        level = (before is not None and before.lower_ == "to") or (
            amount.comparator_text in _LEVEL_COMPARATORS  # "fell below 2%": the level reached
        )
        direction = 0
        change_noun: Token | None = None
        prenominal = (
            root.dep_ in ("compound", "nummod", "amod", "nmod", "quantmod")
            and root.head.i >= span.end
            and root.head.pos_ == "NOUN"
            and not self.words(root.head) & (self.lex.up_nouns | self.lex.down_nouns)
        )
        if not level and not prenominal:
            direction, change_noun = self._direction_before(first_i)
        if not level and direction == 0:
            direction, change_noun = self._direction_after(last_i)
        if not level and direction == 0 and not prenominal:
            direction, change_noun = self._direction_syntax(root, path, verb)
        return _Reading(root, verb, path, change_noun, direction, level)

    def _direction_before(self, first_i: int) -> tuple[int, Token | None]:
        """A change written before the amount: "rose 12%", "down 3 points", "an increase of"."""
        lex = self.lex
        i = first_i - 1
        steps = 0
        while i >= self.sent.start and steps < 4:
            tok = self.doc[i]
            w = self.words(tok)
            if tok.lower_ in lex.up_words or tok.lower_ in lex.down_words:
                return (1 if tok.lower_ in lex.up_words else -1), None
            if tok.pos_ in _CLAUSE_POS and (w & lex.up_verbs or w & lex.down_verbs):
                return (1 if w & lex.up_verbs else -1), None
            if tok.lower_ == "of" and i - 1 >= self.sent.start:
                noun = self.doc[i - 1]
                nw = self.words(noun)
                if nw & lex.up_nouns or nw & lex.down_nouns:
                    return (1 if nw & lex.up_nouns else -1), noun
                return 0, None
            if tok.lower_ == "by" or tok.pos_ in _SKIP_BEFORE_POS:
                i -= 1
                steps += 1
                continue
            return 0, None
        return 0, None

    def _direction_after(self, last_i: int) -> tuple[int, Token | None]:
        lex = self.lex
        i = last_i
        steps = 0
        while i < self.sent.end and steps < 4:
            tok = self.doc[i]
            w = self.words(tok)
            if tok.pos_ == "NOUN" and (w & lex.up_nouns or w & lex.down_nouns):
                return (1 if w & lex.up_nouns else -1), tok
            if tok.lower_ in lex.up_words or tok.lower_ in lex.down_words:
                if (
                    tok.lower_ in ("more", "less", "fewer")
                    and tok.pos_ == "ADJ"
                    and (tok.head.pos_ == "NOUN" and tok.head.i > tok.i)
                ):
                    return 0, None
                return (1 if tok.lower_ in lex.up_words else -1), None
            if tok.pos_ in ("ADJ", "ADV") or tok.lower_ in ("-", "on", "year", "annual"):
                i += 1
                steps += 1
                continue
            return 0, None
        return 0, None

    def _direction_syntax(
        self, root: Token, path: tuple[Token, ...], verb: Token
    ) -> tuple[int, Token | None]:
        lex = self.lex
        head = root.head
        if head.i != root.i and head.pos_ == "NOUN":
            w = self.words(head)
            if w & lex.up_nouns or w & lex.down_nouns:
                return (1 if w & lex.up_nouns else -1), head
        if len(path) >= 2 and path[-2].dep_ in ("npadvmod", "dobj", "advmod", "prep"):
            link = path[-2]
            if link.dep_ == "prep" and link.lower_ not in ("by", "in"):
                return 0, None
            w = self.words(verb)
            if w & lex.up_verbs or w & lex.down_verbs:
                return (1 if w & lex.up_verbs else -1), None
        return 0, None

    def _measure_claim(self, amount: Amount, span: Span) -> ClaimDraft | None:
        if (
            amount.kind == "multiple"
            and amount.text.lower() in self.lex.multiples
            and span.root.pos_ not in ("VERB", "NOUN")
        ):
            return None  # "a double blow", "double standards"
        root = span.root
        if (
            amount.kind == "multiple"
            and root.dep_ in ("amod", "compound", "nummod")
            and root.head.pos_ == "NOUN"
            and not self.words(root.head) & (self.lex.up_nouns | self.lex.down_nouns)
        ):
            return None  # "a two-fold threat"
        reading = self._reading(amount, span)
        if reading is None:
            return None
        value = amount.value
        qtype: QuantityType = "level"
        if amount.kind == "multiple":
            qtype = "change"
            if reading.direction < 0 and value > 0:
                value = -(100 - 100 * 100 / (value + 100))
        elif amount.kind == "fraction":
            if reading.direction == 0:
                return None
            qtype = "change"
            value = value * reading.direction
        elif reading.direction and not reading.level:
            qtype = "change"
            value = value * reading.direction
        unit = amount.unit
        if amount.kind == "money" and unit is None:
            unit = self._settle_currency(amount)
            if unit is None:
                log.debug("currency of %r not settled, skipped", amount.text)
                return None
        metric = self._metric(amount, reading, span)
        if (
            qtype == "change"
            and reading.change_noun is not None
            and metric.noun is not None
            and metric.noun.i == reading.change_noun.i
        ):
            # "3% growth": the growth rate itself, a level
            qtype, value = "level", abs(value)
        comparator = self._comparator(amount, reading)
        quantity = Quantity(round(value, 6), unit or "count", qtype, comparator)
        return self._draft(amount, reading, metric, quantity, span, explicit_unit=True)

    def _settle_currency(self, amount: Amount) -> str | None:
        countries = self.countries()
        matches = [
            code
            for code in amount.currency_codes
            if countries & set(self.lex.currencies[code].countries)
        ]
        if len(matches) == 1:
            return matches[0]
        return amount.currency_default

    def _comparator(self, amount: Amount, reading: _Reading) -> Comparator:
        if amount.comparator_text == "up to":
            base = self.sent.start_char
            first = self.doc.char_span(
                base + amount.phrase_start, base + amount.end, alignment_mode="expand"
            )
            if first is not None and first.start > self.sent.start:
                before = self.doc[first.start - 1]
                if before.pos_ in _CLAUSE_POS and before.dep_ not in ("aux", "auxpass"):
                    return "="  # "had gone up to Rs 700": the level reached
        if amount.comparator != "=":
            return amount.comparator
        verb = reading.verb
        w = self.words(verb)
        for lemma in w:
            if lemma in self.lex.comparator_verbs:
                links = [t.dep_ for t in reading.path[:-1]]
                if "prep" not in links or any(
                    t.dep_ == "prep" and t.lower_ in ("of",) for t in reading.path[:-1]
                ):
                    return self.lex.comparator_verbs[lemma]
        return "="

    # --- metric -------------------------------------------------------------------------

    def cue(self, noun: Token) -> str | None:
        """The metric named by a noun with its modifiers ("defence spending"), if listed."""
        seq: list[Token] = []
        for child in noun.lefts:
            if child.dep_ in ("compound", "amod", "nmod", "npadvmod") and child.pos_ != "PROPN":
                seq.extend(t for t in child.subtree if t.dep_ != "punct" and t.i < noun.i)
        seq = sorted({t.i: t for t in seq}.values(), key=lambda t: t.i)
        seq.append(noun)
        words = [self.words(t) for t in seq if t.text not in ("-", "–")]
        # the longest listed phrase that ends with the head noun: "defence spending",
        # "price cap" in "oil price cap"; "immigrant" in "non-immigrant visas" is not one
        total = len(words)
        if not total:  # the noun itself was a dash
            return None
        options = [item for head in words[-1] for item in self.lex.cues_by_head.get(head, ())]
        options.sort(key=lambda item: (-len(item[0]), item[1]))
        for cue, name in options:
            n = len(cue)
            if n <= total and all(cue[k] in words[total - n + k] for k in range(n)):
                return name
        return None

    def _object_of(self, tok: Token, preps: Iterable[str]) -> list[Token]:
        wanted = set(preps)
        out: list[Token] = []
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ in wanted:
                out.extend(c for c in child.children if c.dep_ == "pobj")
        return out

    def _candidates(self, reading: _Reading, span: Span) -> list[Token]:
        """Nouns that may name the measured thing, nearest first."""
        lex = self.lex
        root = reading.root
        inside = range(span.start, span.end)
        out: list[Token] = []

        def add(tok: Token | None) -> None:
            if tok is not None and tok.i not in inside and tok not in out:
                out.append(tok)

        head = root.head
        if (
            head.i != root.i
            and head.i not in inside
            and head.pos_ in ("NOUN", "PROPN", "ADJ")
            and root.dep_ not in ("conj", "appos")
        ):
            w = self.words(head)
            if root.dep_ in ("pobj",) and head.pos_ == "ADP":
                pass
            elif w & (lex.up_nouns | lex.down_nouns):
                for obj in self._object_of(head, ("in", "of", "on")):
                    add(obj)
                add(head)
            elif w & (lex.future_nouns | lex.source_nouns):
                for obj in self._object_of(head, ("for", "of", "on")):
                    add(obj)
            else:
                add(head)
        for obj in self._object_of(root, ("in", "of", "for", "on")):
            add(obj)
        if root.dep_ == "pobj" and head.pos_ == "ADP" and head.lower_ in ("of", "at", "worth"):
            owner = head.head
            if owner.pos_ in ("NOUN", "PROPN"):
                if self.words(owner) & (lex.up_nouns | lex.down_nouns):
                    for obj in self._object_of(owner, ("in", "of", "on")):
                        add(obj)
                add(owner)
                for obj in self._object_of(owner, ("in", "for")):
                    add(obj)
        if reading.change_noun is not None:
            for obj in self._object_of(reading.change_noun, ("in", "of", "on")):
                add(obj)
        for tok in reading.path[1:-1]:
            if tok.pos_ == "NOUN" and not self.words(tok) & (lex.up_nouns | lex.down_nouns):
                add(tok)
        verb = reading.verb
        if not self.words(verb) & lex.say_verbs:
            on_object = any(t.dep_ == "dobj" for t in reading.path[:-1])
            if not on_object:
                for child in verb.children:
                    if child.dep_ == "dobj":
                        add(child)
            for obj in self._object_of(verb, ("on", "for")):
                if obj.pos_ == "NOUN":
                    add(obj)  # "will spend 1.6 trillion yuan on defence"
            subj = self.subject_of(verb)
            if subj is not None and subj.pos_ in ("NOUN", "PROPN", "ADJ", "X"):
                add(subj)
                if self.words(subj) & lex.generic_nouns:
                    for obj in self._object_of(subj, ("of",)):
                        add(obj)
            for child in verb.children:
                if child.dep_ in ("attr", "acomp") and child.pos_ == "NOUN":
                    add(child)
            if verb.dep_ == "acl" and verb.head.pos_ == "NOUN":
                add(verb.head)  # "donations totalling $670,000"
        return out

    def _climb_cues(self, verb: Token) -> _Metric | None:
        """The metric named by the subject of a clause above (through verbs of saying)."""
        cur = verb
        for _ in range(8):
            if cur.head.i == cur.i or cur.dep_ not in _CLIMB_DEPS:
                return None
            cur = cur.head
            if cur.pos_ in _CLAUSE_POS and not self.words(cur) & self.lex.say_verbs:
                subj = self.subject_of(cur)
                if subj is not None:
                    name = self.cue(subj)
                    if name is not None:
                        return _Metric(name, subj, 0.3)
        return None

    def _metric(self, amount: Amount, reading: _Reading, span: Span) -> _Metric:
        lex = self.lex
        candidates = self._candidates(reading, span)
        for tok in candidates:
            name = self.cue(tok)
            if name is not None:
                return _Metric(name, tok, 0.3)
        verb = reading.verb
        link = reading.path[-2] if len(reading.path) >= 2 else None
        direct = (
            link is None
            or link.dep_ in ("dobj", "attr", "npadvmod")
            or (link.dep_ == "prep" and link.lower_ in self.comparator_preps)
        )
        for lemma in self.words(verb):
            if lemma in lex.verb_cues and not lex.metrics[lex.verb_cues[lemma]].people and direct:
                return _Metric(lex.verb_cues[lemma], None, 0.3)
        climbed = self._climb_cues(verb)
        if climbed is not None:
            return climbed
        if amount.default_metric is not None:
            return _Metric(amount.default_metric, None, 0.2)
        nearest = self._nearest_cue(reading)
        if nearest is not None:
            return nearest
        doer = self.subject_of(verb)
        for tok in candidates:
            if doer is not None and tok.i == doer.i and tok.i in self.by_token:
                continue  # the actor doing it ("a court ordered ... $650 million") is not measured
            if (
                tok.pos_ == "NOUN"
                and not self.words(tok) & lex.generic_nouns
                and not any(m.kind != "group" for m in self.by_token.get(tok.i, ()))
                and not self.in_time(tok.idx, tok.idx + len(tok.text))
            ):
                return _Metric(self._fallback_name(tok), tok, 0.1)
        return _Metric("unspecified", None, 0.0)

    def _fallback_name(self, noun: Token) -> str:
        """A metric name for an unlisted noun: its lemma, with a noun compound before it
        ("dropout rate" -> "dropout_rate")."""
        words = [noun.lemma_.lower()]
        for child in reversed(list(noun.lefts)):
            if child.dep_ == "compound" and child.pos_ == "NOUN" and child.i == noun.i - 1:
                words.insert(0, child.lemma_.lower())
                break
        name = "_".join(re.sub(r"[^a-z0-9]+", "_", w).strip("_") for w in words)
        return name or "unspecified"

    def _nearest_cue(self, reading: _Reading) -> _Metric | None:
        """The listed metric noun nearest the amount within its own clause."""
        root = reading.root
        best: tuple[int, str, Token] | None = None
        for tok in self.sent:
            if tok.pos_ != "NOUN" or self.clause_verb(tok)[0].i != reading.verb.i:
                continue
            name = self.cue(tok)
            if name is None or self.lex.metrics[name].people:
                continue
            dist = abs(tok.i - root.i)
            if best is None or dist < best[0]:
                best = (dist, name, tok)
        if best is None:
            return None
        return _Metric(best[1], best[2], 0.2)

    # --- counts -------------------------------------------------------------------------

    def _counted_noun(self, root: Token, span: Span) -> Token | None:
        head = root.head
        if (
            root.dep_ in ("nummod", "quantmod", "compound", "amod", "nmod", "appos")
            and head.pos_ in ("NOUN", "PROPN")
            and head.i >= span.end
        ):
            return head
        for obj in self._object_of(root, ("of",)):
            return obj
        return None

    def _is_people(self, noun: Token) -> bool:
        lex = self.lex
        w = self.words(noun)
        if w & lex.people_nouns or noun.ent_type_ in _PEOPLE_ENTS:
            return True
        if any(m.kind == "demonym" for m in self.by_token.get(noun.i, ())):
            return True
        name = self.cue(noun)
        return name is not None and lex.metrics[name].people

    def _count_claim(self, amount: Amount, span: Span) -> ClaimDraft | None:
        lex = self.lex
        if any(t.ent_type_ in _NOT_COUNT_ENTS for t in span) or _YEAR.fullmatch(amount.text):
            return None
        base = self.sent.start_char
        if self.in_time(base + amount.start, base + amount.end):
            return None
        root = span.root
        if root.dep_ == "nummod" and root.head.i < root.i:
            return None  # a label, not a count: "Resolution 2231", "flight 17", "march 15"
        noun = self._counted_noun(root, span)
        pronoun = noun is not None and noun.pos_ == "PRON"
        if pronoun:
            noun = None
        anchor_np = noun if noun is not None else root
        if anchor_np.dep_ == "pobj" and anchor_np.head.lower_ == "of":
            owner = anchor_np.head.head
            if owner.pos_ in ("NUM", "PRON") or owner.lower_ in ("one", "each", "some"):
                return None  # partitive: "one of the 12 soldiers" counts the one
        verb, path = self.clause_verb(anchor_np)
        if verb.i == anchor_np.i:
            return None
        role = path[-2].dep_ if len(path) >= 2 else ""
        if role == "prep":
            role = "pobj"
        name: str | None = None
        score = 0.3
        after = self.doc[span.end] if span.end < self.sent.end else None
        # "left 12 dead", "12 were dead", "30 fishermen are missing"
        predicates = [root.head if root.head.pos_ == "ADJ" else None]
        if role in ("nsubj", "nsubjpass"):
            predicates.extend(c for c in verb.children if c.dep_ in ("acomp", "attr", "oprd"))
            if verb.tag_ in ("VBN", "VBG", "JJ") and not any(
                c.dep_ == "dobj" for c in verb.children
            ):
                predicates.append(verb)
        for tok in (after, *predicates):
            if tok is not None and tok.lower_ in lex.people_adjectives:
                name = lex.people_adjectives[tok.lower_]
                break
        agent_owned = False
        if name is None and (noun is None or pronoun or self._is_people(noun)):
            name, agent_owned = self._people_verb(
                anchor_np, verb, role, bare=noun is None and not pronoun
            )
        if name is None and noun is not None:
            cue = self.cue(noun)
            if cue is not None and (lex.metrics[cue].people or lex.metrics[cue].count):
                name = cue
        if (
            name is None
            and noun is None
            and not pronoun
            and role in ("pobj", "attr")
            and len(path) <= 3
        ):
            # "the death toll rose to 2,300", "the number of refugees stood at 40,000"
            subj = self.subject_of(verb)
            if subj is not None:
                for tok in (subj, *self._object_of(subj, ("of",))):
                    cue = self.cue(tok)
                    if cue is not None and lex.metrics[cue].people:
                        name, noun, score = cue, tok, 0.2
                        break
        if name is None:
            return None
        metric_entry = lex.metrics[name]
        unit = "count" if metric_entry.count and not metric_entry.people else "people"
        reading = _Reading(root, verb, path, None, 0, True)
        quantity = Quantity(round(amount.value, 6), unit, "level", amount.comparator)
        metric = _Metric(name, noun, score)
        return self._draft(
            amount, reading, metric, quantity, span, explicit_unit=False, agent=agent_owned
        )

    def _people_verb(
        self, np: Token, verb: Token, role: str, *, bare: bool
    ) -> tuple[str | None, bool]:
        """The metric of a count of people from the verb it is the object or subject of."""
        lex = self.lex
        if bare and np.head.i != verb.i:
            return None, False  # a bare number counts people only as the verb's argument
        verbs = [verb]
        verbs.extend(c for c in np.children if c.dep_ in ("acl", "relcl") and c.pos_ == "VERB")
        if (
            verb.dep_ == "conj"
            and verb.head.pos_ == "VERB"
            and not any(c.dep_ == "dobj" for c in verb.head.children)
        ):
            verbs.append(verb.head)  # "killing and capturing dozens of soldiers"
        for v in verbs:
            w = self.words(v)
            direct = v is not verb
            for lemma in w:
                if lemma in lex.agent_verb_cues and not bare and (role == "dobj" or direct):
                    return lex.agent_verb_cues[lemma], True
                if lemma in lex.subject_verb_cues and (role == "nsubj" or direct):
                    entry = lex.metrics[lex.subject_verb_cues[lemma]]
                    if entry.bare or not bare:
                        return entry.name, False
                if lemma not in lex.verb_cues:
                    continue
                entry = lex.metrics[lex.verb_cues[lemma]]
                if not entry.people or (bare and not entry.bare):
                    continue
                has_object = any(c.dep_ == "dobj" for c in v.children)
                if direct or role in ("dobj", "nsubjpass") or (role == "nsubj" and not has_object):
                    return entry.name, False
        return None, False

    # --- subject, attribution, status, period -------------------------------------------

    def _speaker(self, reading: _Reading) -> Mention | None:
        lex = self.lex
        cur: Token | None = reading.root
        seen = 0
        while cur is not None and seen < 12:
            seen += 1
            w = self.words(cur)
            if cur.pos_ in _CLAUSE_POS and w & lex.say_verbs:
                for child in cur.children:
                    if child.dep_ in ("nsubj", "csubj"):
                        m = self.speaker_mention(child)
                        if m is not None:
                            return m
                    if child.dep_ == "agent":
                        for obj in child.children:
                            m = self.speaker_mention(obj)
                            if m is not None:
                                return m
            elif cur.pos_ == "NOUN" and w & lex.source_nouns and cur.i != reading.root.i:
                found = [m for m in self.np_mentions(cur) if not self._covers(m, reading.root)]
                if found:
                    return found[0]
            if cur.head.i == cur.i:
                break
            cur = cur.head
        for tok in self.sent:
            if tok.lower_ == "according":
                for to in tok.children:
                    if to.lower_ == "to":
                        for obj in to.children:
                            m = self.speaker_mention(obj)
                            if m is not None:
                                return m
        return None

    @staticmethod
    def _covers(m: Mention, tok: Token) -> bool:
        return m.token_start <= tok.i < m.token_end

    def _subject(
        self, metric: _Metric, reading: _Reading, speaker: Mention | None, agent: bool
    ) -> tuple[Actor, ...]:
        lex = self.lex
        entry = lex.metrics.get(metric.name)
        found: list[Mention] = []
        related: list[Mention] = []
        if metric.noun is not None:
            found.extend(self.owner_mentions(metric.noun))
            related = [m for m in self.np_mentions(metric.noun) if not any(m is o for o in found)]
        verb = reading.verb
        say = bool(self.words(verb) & lex.say_verbs)
        owned = agent or (entry is not None and entry.agent)
        if not found and not say and (owned or entry is None or not entry.people):
            # nobody's quantity by its own words: the doer's ("Germany halved its purchases")
            subj = self.subject_of(verb)
            if subj is not None and (metric.noun is None or subj.i != metric.noun.i):
                found.extend(self.np_mentions(subj, conj=True))
        found.extend(related)
        if entry is not None and (entry.partners or entry.recipient) and not say:
            preps = (_PARTNER_PREPS if entry.partners else frozenset()) | (
                _RECIPIENT_PREPS if entry.recipient else frozenset()
            )
            for obj in self._object_of(verb, preps):
                found.extend(self.np_mentions(obj))
            for child in verb.children:
                if child.dep_ == "dative":
                    found.extend(self.np_mentions(child))
        actors: list[Actor] = []
        for m in _unique(found):
            if speaker is not None and m is speaker:
                continue
            for actor in m.actors:
                if actor not in actors:
                    actors.append(actor)
        return tuple(actors)

    def _chain(self, verb: Token) -> list[Token]:
        """The verbs whose modality governs the amount's clause (below any verb of saying)."""
        lex = self.lex
        chain = [verb]
        cur = verb
        for _ in range(6):
            parent = cur.head
            if parent.i == cur.i:
                break
            pw = self.words(parent)
            if cur.dep_ == "xcomp" or (cur.dep_ == "conj" and parent.pos_ in _CLAUSE_POS):
                chain.append(parent)
                cur = parent
                continue
            if cur.dep_ in ("ccomp", "acl", "advcl") and pw & (
                lex.forecast_verbs | lex.intention_verbs | lex.future_nouns | _FUTURE_GOVERNORS
            ):
                chain.append(parent)
            break
        return chain

    def _status(
        self, reading: _Reading, metric: _Metric, period: DateSpan | None, by_year: bool
    ) -> Status:
        lex = self.lex
        chain = self._chain(reading.verb)
        negated = hypothetical = future = False
        for v in chain:
            w = self.words(v)
            is_say = bool(w & lex.say_verbs) and v is not reading.verb
            aux = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
            aux_words = {a.lower_ for a in aux}
            if not is_say:
                for c in v.children:
                    if c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ == "never"):
                        negated = True
            if w & lex.negating_verbs and v is not reading.verb:
                negated = True
            for c in v.children:
                if c.dep_ == "advcl" and any(
                    m.dep_ == "mark" and m.lower_ in lex.conditional_marks for m in c.children
                ):
                    hypothetical = True
            if aux_words & lex.past_speculation_modals and "have" in aux_words and v.tag_ == "VBN":
                hypothetical = True
            elif aux_words & lex.future_modals:
                future = True
            if v.lower_ == "going" and any(c.dep_ == "xcomp" for c in v.children):
                future = True
            if w & lex.forecast_verbs or (v is not reading.verb and w & lex.intention_verbs):
                future = True
            if v.pos_ in ("ADJ", "NOUN") and w & (lex.future_nouns | lex.intention_verbs):
                future = True
        anc: Token = reading.root
        for _ in range(12):
            if anc.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in lex.conditional_marks for m in anc.children
            ):
                hypothetical = True
            if anc.head.i == anc.i:
                break
            anc = anc.head
        nouns = [t for t in reading.path if t.pos_ == "NOUN"]
        if metric.noun is not None:
            nouns.append(metric.noun)
        for noun in nouns:
            if self.words(noun) & lex.future_nouns:
                future = True
            for c in noun.children:
                if c.dep_ in ("amod", "compound") and self.words(c) & lex.future_adjectives:
                    future = True
        if (
            period is not None
            and self.published is not None
            and (period.start > self.published or (by_year and period.end > self.published))
        ):
            future = True
        return combine(negated=negated, hypothetical=hypothetical, future=future)

    def _clause_tokens(self, reading: _Reading, metric: _Metric) -> dict[int, int]:
        """Tokens of the amount's own clause, ranked by closeness to the amount."""
        ranks: dict[int, int] = {}
        for rank, tok in enumerate(reading.path):
            ranks.setdefault(tok.i, rank)
        base = len(reading.path)
        if reading.change_noun is not None:
            ranks.setdefault(reading.change_noun.i, 1)
        if metric.noun is not None:
            cur = metric.noun
            for step in range(6):
                ranks.setdefault(cur.i, base + step)
                if cur.i == reading.verb.i or cur.head.i == cur.i or cur.pos_ in _CLAUSE_POS:
                    break
                cur = cur.head
        chain = self._chain(reading.verb)
        for extra, v in enumerate(chain[1:], start=1):
            if not self.words(v) & self.lex.say_verbs:
                ranks.setdefault(v.i, base + 6 + extra)
        for v in chain:
            for child in v.children:
                if child.dep_ == "advcl" and any(
                    m.dep_ in ("mark", "advmod") and m.lower_ in _SAME_TIME_MARKS
                    for m in child.children
                ):
                    # "25 people were killed when a bomb exploded on Friday"
                    ranks.setdefault(child.i, base + 20)
        return ranks

    def _period(
        self, reading: _Reading, metric: _Metric, span: Span
    ) -> tuple[DateSpan | None, bool]:
        ranks = self._clause_tokens(reading, metric)
        best: tuple[int, int] | None = None
        chosen: TimeExpression | None = None
        for expr in self.times:
            if expr.token_start < span.end and span.start < expr.token_end:
                continue
            first = self.doc[expr.token_start]
            if first.lower_ in _BASELINE_WORDS:
                continue
            lead = self.doc[expr.token_start - 1] if expr.token_start > self.sent.start else None
            if lead is not None and lead.lower_ in _BASELINE_WORDS:
                continue
            rank = self._attach_rank(expr, ranks)
            if rank is None:
                continue
            key = (rank, abs(expr.head - reading.root.i))
            if best is None or key < best:
                best, chosen = key, expr
        if chosen is None:
            return None, False
        by_year = self.doc[chosen.token_start].lower_ == "by" or (
            chosen.token_start > self.sent.start and self.doc[chosen.token_start - 1].lower_ == "by"
        )
        return chosen.span, by_year

    def _attach_rank(self, expr: TimeExpression, ranks: dict[int, int]) -> int | None:
        cur = self.doc[expr.head]
        for _ in range(6):
            if cur.head.i == cur.i:
                return ranks.get(cur.i)
            nxt = cur.head
            if expr.token_start <= nxt.i < expr.token_end:
                cur = nxt
                continue
            if nxt.i in ranks:
                return ranks[nxt.i]
            if nxt.pos_ == "ADP" and nxt.lower_ in _ATTACH_PREPS:
                cur = nxt
                continue
            if nxt.pos_ in _CLAUSE_POS:
                return None
            cur = nxt
        return None

    def _draft(
        self,
        amount: Amount,
        reading: _Reading,
        metric: _Metric,
        quantity: Quantity,
        span: Span,
        *,
        explicit_unit: bool,
        agent: bool = False,
    ) -> ClaimDraft:
        speaker = self._speaker(reading)
        subject = self._subject(metric, reading, speaker, agent)
        period, by_year = self._period(reading, metric, span)
        status = self._status(reading, metric, period, by_year)
        confidence = 0.5 + metric.score + (0.1 if subject else 0.0)
        confidence += 0.05 if explicit_unit else 0.0
        if reading.root.dep_ == "ROOT" and reading.root.pos_ not in _CLAUSE_POS:
            confidence -= 0.1  # a fragment the parser could not attach
        base = self.sent.start_char
        anchor_start, anchor_end = base + amount.start, base + amount.end
        if amount.kind == "count" and metric.noun is not None:
            noun = metric.noun
            if span.end <= noun.i < span.end + 4 and all(
                t.dep_ not in ("punct", "cc") for t in self.doc[span.end : noun.i]
            ):
                anchor_end = noun.idx + len(noun.text)
        text = self.sent.text
        lead = len(text) - len(text.lstrip())
        trail = len(text.rstrip())
        return ClaimDraft(
            sentence=self.index,
            anchor_start=anchor_start,
            anchor_end=anchor_end,
            subject=subject,
            metric=metric.name,
            quantity=quantity,
            status=status,
            evidence_start=base + lead,
            evidence_end=base + trail,
            confidence=round(min(CONFIDENCE_CAP, max(0.05, confidence)), 2),
            attributed_to=None if speaker is None else speaker.actors[0],
            period=period,
        )


def _unique(mentions: Iterable[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in mentions:
        if not any(m is o for o in out):
            out.append(m)
    return out


_CONVERSION_GAP = re.compile(
    r"\s*[(\[]\s*(?:about|around|roughly|approximately|some|nearly|almost|or|c\.|~)?\s*$"
    r"|\s*,\s*(?:or|about|around|roughly|some|nearly|almost)\s+$",
    re.IGNORECASE,
)


def _is_conversion(text: str, previous: Amount, amount: Amount) -> bool:
    """An amount restated in another currency: "117 million kroner ($17 million)"."""
    return (
        previous.kind == "money"
        and amount.kind == "money"
        and _CONVERSION_GAP.fullmatch(text[previous.phrase_end : amount.phrase_start]) is not None
    )


def _overlaps_heading(sent: Span, headings: Sequence[tuple[int, int]]) -> bool:
    return any(h0 < sent.end_char and sent.start_char < h1 for h0, h1 in headings)


def find_claims(
    doc: Doc,
    mentions: Sequence[Mention],
    published: date | None,
    headings: Sequence[tuple[int, int]] = (),
) -> list[ClaimDraft]:
    """Every quantitative statement in ``doc``, in text order.

    ``mentions`` are the actor mentions of the actors stage; ``published`` resolves relative
    periods ("this year"); sentences overlapping a ``headings`` range are skipped.
    """
    lex = load_lexicon()
    sc = scanner()
    claims: list[ClaimDraft] = []
    for index, sent in enumerate(doc.sents):
        if _overlaps_heading(sent, headings):
            continue
        amounts = sc.scan(sent.text)
        if not amounts:
            continue
        reader = _Sentence(doc, sent, index, mentions, published, lex)
        for k, amount in enumerate(amounts):
            if k and _is_conversion(sent.text, amounts[k - 1], amount):
                continue
            draft = reader.claim(amount)
            if draft is not None:
                claims.append(draft)
    log.debug("%d claims in %d characters", len(claims), len(doc.text))
    return claims
