"""Stage 5: find every event in a parsed article: trigger, code, source, target, status.

The coder reads the dependency parse. A *trigger* is a verb or noun whose lemma (with its
particle, preposition, object or modifier where the lexicon asks for one) is an entry of the
event lexicon (``events/data/lexicon*``). Its arguments come from the parse:

- verbs: the subject is the source (the ``by`` agent in passives, the controller in
  "X vowed to ..."), the target is found in the slots the lexicon entry names (direct
  object, ``with``/``on``/``against``/... phrases, ``between X and Y``);
- nouns: the possessor, a ``by`` phrase or a demonym adjective is the source ("Russia's
  invasion", "an attack by rebels", "Russian strikes"); without one, the subject of the verb
  that governs the noun ("China has acted as a lifeline for Russia"), or its object for
  verbs of undergoing ("Russia faced sanctions" makes Russia the target);
- complement-taking verbs (``events/data/frames.yaml``): "threatened to impose sanctions"
  is one threat event whose code depends on the threatened act; "denied attacking" negates
  the attack.

Symmetric events (meet, negotiate, agree) with all participants in one list are split into
the first participant as source and the others as target, so one record carries the dyad.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from dyad.actors.generic import load_generic
from dyad.actors.kb import load_kb
from dyad.actors.resolve import RELATIONAL_NOUNS
from dyad.draft import EventDraft, Mention
from dyad.events.clauses import load_clauses
from dyad.events.lexicon import Frame, Lexicon, Pattern, TriggerWords, load_lexicon
from dyad.events.ontology import Ontology, load_ontology
from dyad.events.status import attribution, event_status
from dyad.events.words import load_word_lists
from dyad.model import Actor, Status
from dyad.parse import conjuncts, to_infinitive

log = logging.getLogger(__name__)

WORDS_FILE = Path(__file__).parent / "data" / "words" / "coder.yaml"
_WORDS = load_word_lists(
    WORDS_FILE,
    (
        "experiencer_verbs",
        "transparent_nouns",
        "intent_adjectives",
        "participation_nouns",
        "counting_nouns",
        "object_control",
        "agentive_participles",
        "state_nouns",
        "naming_verbs",
        "asking_frames",
        "dual_words",
        "gathering_nouns",
        "occurrence_verbs",
        "unclear_happenings",
    ),
)

# Verbs of undergoing: their subject is the target of the event noun they govern.
EXPERIENCER_VERBS = _WORDS["experiencer_verbs"]
# Nouns that only count or group the event noun they govern: "a wave of sanctions".
TRANSPARENT_NOUNS = _WORDS["transparent_nouns"]
# Adjectives that take an infinitive of intent: "ready to talk", "willing to negotiate".
INTENT_ADJECTIVES = _WORDS["intent_adjectives"]
# Event nouns whose participants are the subject of the clause they sit in as a time or
# circumstance ("during a visit", "on a trip", "at the talks").
_PARTICIPATION_NOUNS = _WORDS["participation_nouns"]
UNTARGETED_FACTOR = 0.6
"""Confidence factor for a material act that wants a target actor and hits only a thing."""
GENERIC_FACTOR = 0.75
"""Confidence factor for an event whose side is an unresolved (generic) actor."""
BACKGROUND_FACTOR = 0.8
"""Confidence factor for a background event, so that the main one stands for the sentence."""
SUBORDINATE_FACTOR = 0.85
"""Confidence factor per adverbial, relative or participial clause around a trigger."""
_SUBORDINATE_DEPS = frozenset({"advcl", "relcl", "acl"})
# Nouns that count or gather the actors they govern: "dozens of fighters".
COUNTING_NOUNS = _WORDS["counting_nouns"]
# Verbs whose object controls an infinitive complement: "urged Iran to release".
OBJECT_CONTROL = _WORDS["object_control"]
# Participles whose "by" agent names who is behind the event noun they follow.
AGENTIVE_PARTICIPLES = _WORDS["agentive_participles"]
# Nouns that name a standing relation rather than a happening: they are events only when a
# verb states them ("declared its friendship", "acted as a lifeline"), never as the subject
# of a clause or a modifier ("their cooperation is seen as ...", "the evolution of ties").
STATE_NOUNS = _WORDS["state_nouns"]
_STATED_BY = frozenset({"dobj", "attr", "oprd", "appos", "conj"})
# Verbs that only name their object when it has a predicative one: "called X a provocation".
NAMING_VERBS = _WORDS["naming_verbs"]
# Frames whose complement's subject is the one asked to act: "demanded that Turkey respect".
ASKING_FRAMES = _WORDS["asking_frames"]
# Words that make an unresolved plural actor two sides: "both sides", "the two countries".
DUAL_WORDS = _WORDS["dual_words"]
# Event nouns of a protesting crowd: "dispersed a rally" targets its participants.
GATHERING_NOUNS = _WORDS["gathering_nouns"]
# Verbs of taking place: "clashes broke out", "fighting spread" stand without actors.
OCCURRENCE_VERBS = _WORDS["occurrence_verbs"]
UNCLEAR_HAPPENINGS = _WORDS["unclear_happenings"]
HAPPENING_FACTOR = 0.6
"""Confidence factor of a happening no actor is named for ("clashes broke out in ...")."""
PARTICIPANTS_SECTOR = "OPP"
"""The sector of a gathering's participants: CAMEO codes protesters as popular opposition."""
# How far back a definite event noun ("the summit", "that meeting") may find its antecedent.
EVENT_COREF_SENTENCES = 12
_SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Proper nouns that are names, never event words: "March" (a month), not "march".
_NAME_ENTS = frozenset({"DATE", "TIME", "PERSON", "GPE", "LOC", "NORP", "FAC", "ORG"})
_RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
_SPACE_TAGS = frozenset({"_SP"})


@dataclass(frozen=True, slots=True)
class _Trigger:
    head: Token
    pattern: Pattern
    start: int
    end: int
    obj: Token | None = None


@dataclass(slots=True)
class _Sentence:
    """What the coder knows about one sentence while it works on it."""

    index: int
    span: Span
    evidence: tuple[int, int]
    mentions: Mapping[int, Mention]
    inside: Mapping[int, Mention]
    memory: list[EventDraft]
    """The article's events so far, for event nouns that refer back ("the summit")."""
    consumed: set[int] = field(default_factory=set)
    resolved: dict[int, EventDraft] = field(default_factory=dict)
    """This sentence's events by trigger head, for nouns governed by an event noun."""


class EventCoder:
    """Codes events in parsed docs with the bundled lexicon (build once: :func:`get_coder`)."""

    def __init__(self, lexicon: Lexicon, ontology: Ontology) -> None:
        self.lexicon = lexicon
        self.ontology = ontology
        self._intent = next((f for f in lexicon.frames() if f.family == "intent"), None)
        self._threaten = next((f for f in lexicon.frames() if f.family == "threaten"), None)
        self.clauses = load_clauses()
        self.generic = load_generic()

    # -- public ---------------------------------------------------------------------------

    def code(
        self,
        doc: Doc,
        mentions: Sequence[Mention],
        headings: Sequence[tuple[int, int]] = (),
    ) -> list[EventDraft]:
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        drafts: list[EventDraft] = []
        for s_index, sent in enumerate(doc.sents):
            if _in_heading(sent, headings):
                continue
            sent_mentions = by_sentence.get(s_index, [])
            ctx = _Sentence(
                index=s_index,
                span=sent,
                evidence=_evidence_bounds(sent),
                mentions={m.head: m for m in sent_mentions},
                inside=_token_index(sent_mentions),
                memory=drafts,
            )
            drafts.extend(self._code_sentence(ctx))
        return drafts

    # -- one sentence ------------------------------------------------------------------------

    def _code_sentence(self, ctx: _Sentence) -> list[EventDraft]:
        triggers = self._triggers(ctx)
        by_head = {t.head.i: t for t in triggers}
        suppressed: set[int] = set()
        material: dict[int, str] = {}
        """Trigger heads of material acts under a stated act, with the frame's status."""
        drafts: list[EventDraft] = []
        # complement frames first: they may absorb the event they govern
        for tok in ctx.span:
            if tok.i in ctx.consumed:
                continue  # "rejected accusations": the pattern already used the noun
            frame = self._frame(tok)
            if frame is None:
                continue
            complement = _complement(tok)
            comp_trigger = None
            if complement is not None:
                comp_trigger = by_head.get(complement.i) or _noun_trigger_under(complement, by_head)
            own = by_head.get(tok.i)
            if comp_trigger is None and own is not None and own.pattern.specificity > 0:
                continue  # "pledged 20 million euros": the specific pattern says more
            if frame.keep_complement and comp_trigger is not None:
                if own is not None:  # "denied attacking": 016, and the attack kept negated
                    material[comp_trigger.head.i] = frame.status
                continue
            lemma = complement.lemma_.lower() if complement is not None else None
            draft = self._frame_event(ctx, tok, frame, comp_trigger, lemma, complement)
            if draft is not None:
                drafts.append(draft)
                suppressed.add(tok.i)
                if comp_trigger is not None and comp_trigger.head.i != tok.i:
                    material[comp_trigger.head.i] = frame.status
        for trig in triggers:
            if trig.head.i in suppressed or trig.head.i in ctx.consumed:
                continue
            if _purpose_of(trig, by_head):
                continue  # "met to discuss", "held talks to negotiate": part of the meeting
            draft = self._event(ctx, trig)
            if draft is not None:
                if trig.head.i in material:
                    draft = _as_material(draft, material[trig.head.i])
                drafts.append(draft)
        drafts = self._stated_threats(drafts, material)
        return _one_main(_without_nested(drafts), ctx.span.doc)

    def _stated_threats(
        self, drafts: list[EventDraft], material: Mapping[int, str]
    ) -> list[EventDraft]:
        """CAMEO codes "X will attack Y" as a threat by X: the threat is the main record and
        the attack is kept as a background record with status future."""
        if self._threaten is None:
            return drafts
        out: list[EventDraft] = []
        for d in drafts:
            if (
                d.status == "future"
                and not d.background
                and d.trigger_head not in material
                and d.cameo[:2] in self.clauses.threat_roots
            ):
                threat = self._threaten.code_for(d.cameo)
                if threat in self.ontology:
                    out.append(replace(d, cameo=threat, status="asserted", symmetric=False))
                    d = _as_material(d, "future")
            out.append(d)
        return out

    def _triggers(self, ctx: _Sentence) -> list[_Trigger]:
        found: list[_Trigger] = []
        for tok in ctx.span:
            if _inside_name(tok, ctx):
                continue  # "Economic Cooperation" in the name of APEC is no event
            lemma = tok.lemma_.lower()
            if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
                if tok.dep_ == "amod":
                    continue  # "the internationally recognised government": an adjective
                if lemma in NAMING_VERBS and any(c.dep_ == "oprd" for c in tok.children):
                    continue  # "called the accusations a provocation": no phone call
                pattern = self.lexicon.match("VERB", lemma, trigger_words(tok))
                if pattern is None:
                    continue
                obj_tok = _object_token(tok, pattern)
                if obj_tok is not None:
                    # "launched an air strike", "staged a hunger strike": the object's own
                    # modifiers name the event more precisely, within the same root
                    finer = self.lexicon.match(
                        "NOUN", obj_tok.lemma_.lower(), trigger_words(obj_tok)
                    )
                    if finer is not None and finer.modifiers and finer.code[:2] == pattern.code[:2]:
                        pattern = dataclasses.replace(pattern, code=finer.code)
                start, end = _trigger_span(tok, obj_tok, pattern)
                found.append(_Trigger(tok, pattern, start, end, obj_tok))
                if obj_tok is not None:
                    ctx.consumed.add(obj_tok.i)
                    ctx.consumed.update(c.i for c in conjuncts(obj_tok))
            elif tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and tok.ent_type_ not in _NAME_ENTS):
                if lemma in STATE_NOUNS and not _stated(tok):
                    continue
                if tok.dep_ == "compound" and tok.head.i in ctx.mentions:
                    continue  # "aid workers", "peace activists": a kind of actor, no event
                pattern = self.lexicon.match("NOUN", lemma, trigger_words(tok))
                if pattern is None:
                    continue
                obj_tok = _object_token(tok, pattern)
                start, end = _noun_span(tok, pattern)
                found.append(_Trigger(tok, pattern, start, end, obj_tok))
                if obj_tok is not None:
                    ctx.consumed.add(obj_tok.i)
        return found

    def _frame(self, tok: Token) -> Frame | None:
        lemma = tok.lemma_.lower()
        if tok.pos_ in ("VERB", "AUX"):
            for child in tok.children:
                if child.dep_ in ("prep", "prt"):
                    frame = self.lexicon.frame_for_verb(lemma, child.lower_)
                    if frame is not None:
                        return frame
            return self.lexicon.frame_for_verb(lemma)
        if tok.pos_ == "NOUN":
            return self.lexicon.frame_for_noun(lemma)
        if tok.pos_ == "ADJ" and lemma in INTENT_ADJECTIVES:
            # "is ready to contribute", "willing to negotiate": an expression of intent
            return self._intent
        return None

    # -- events ------------------------------------------------------------------------------

    def _event(self, ctx: _Sentence, trig: _Trigger) -> EventDraft | None:
        pattern = trig.pattern
        confidence = pattern.confidence
        anchor: int | None = None
        if pattern.pos == "VERB" and pattern.inverted:
            # "Ukraine received weapons from Germany": the subject undergoes the event
            target, _ = self._verb_source(ctx, trig.head)
            source = self._slots(ctx, trig.head, pattern.source, trig.obj, None)
        elif pattern.pos == "VERB":
            source, passive_obj = self._verb_source(ctx, trig.head)
            target = self._slots(ctx, trig.head, pattern.target, trig.obj, passive_obj)
        else:
            source = self._slots(ctx, trig.head, pattern.source, None, None)
            target = self._slots(ctx, trig.head, pattern.target, trig.obj, None)
            if not source:
                source, undergoer, anchor = self._governing_source(ctx, trig.head)
                if source or undergoer:
                    confidence *= 0.85
                if undergoer and not target:
                    target = undergoer
            if not source and not target:
                earlier = self._antecedent(ctx, trig)
                if earlier is not None:
                    source, target = list(earlier.source), list(earlier.target)
                    anchor = earlier.trigger_head
                    confidence *= 0.7
        between_head = trig.head
        if not source and not target and trig.head.dep_ == "nsubj" and "between" in pattern.target:
            # "clashes broke out between the army and the RSF": the phrase hangs on the verb
            between_head = trig.head.head
            target = self._slots(ctx, between_head, ("between",), None, None)
        if not target:
            target = self._prep_targets(ctx, trig.head, trig.obj, pattern.code[:2])
        split = pattern.symmetric or _between_only(between_head, pattern.target)
        draft = self._finish(
            ctx,
            trig.head,
            trig.start,
            trig.end,
            pattern.code,
            pattern,
            source,
            target,
            confidence,
            symmetric=split,
            anchor=anchor,
        )
        if draft is not None:
            ctx.resolved[trig.head.i] = draft
        return draft

    def _antecedent(self, ctx: _Sentence, trig: _Trigger) -> EventDraft | None:
        """'the summit', 'that meeting', 'the March summit': an event named before."""
        noun = trig.head
        determiners = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss")}
        dated = any(c.dep_ in ("compound", "amod") and c.ent_type_ == "DATE" for c in noun.children)
        if not (determiners & {"the", "that", "this", "these", "those"} or dated):
            return None
        lemma = noun.lemma_.lower()
        doc = noun.doc
        code = trig.pattern.code
        for d in reversed(ctx.memory):
            if d.sentence < ctx.index - EVENT_COREF_SENTENCES:
                break
            words = {t.lemma_.lower() for t in doc[d.trigger_start : d.trigger_end]}
            same_word = lemma in words and d.cameo[:2] == code[:2]
            # "the meeting" after "met", "the attack" after "stormed": the same kind of event
            if same_word or d.cameo[:3] == code[:3]:
                return d
        return None

    def _frame_event(
        self,
        ctx: _Sentence,
        tok: Token,
        frame: Frame,
        comp: _Trigger | None,
        lemma: str | None,
        complement: Token | None = None,
    ) -> EventDraft | None:
        code = frame.code_for(comp.pattern.code if comp else None, lemma)
        if code not in self.ontology:
            log.debug("frame %s gave unknown code %s", frame.family, code)
            return None
        if tok.pos_ == "NOUN":
            source = self._slots(ctx, tok, ("poss", "by", "amod", "compound"), None, None)
            if not source:
                source, _, _ = self._governing_source(ctx, tok)
        elif tok.pos_ == "ADJ":
            source = self._subjects(ctx, tok.head)  # "Finland is ready to ..."
        else:
            source, _ = self._verb_source(ctx, tok)
        target = self._slots(ctx, tok, frame.target, None, None)
        if not target and comp is not None and frame.complement_role == "source":
            # "claimed that Russian forces attacked": the accused is the attacker
            done, _ = self._verb_source(ctx, comp.head)
            target = [a for a in done if not any(_same(a, s) for s in source)]
            if not target:
                return None
        if not target and comp is not None and any(c.dep_ == "nsubj" for c in comp.head.children):
            # "demanded that Japan halt ...": who is to act is the frame's target
            done, _ = self._verb_source(ctx, comp.head)
            target = [a for a in done if not any(_same(a, s) for s in source)]
        asking = frame.family in ASKING_FRAMES
        if not target and asking and complement is not None and _has_subject(complement):
            # "demanded that Turkey respect its airspace": the one asked to act
            done = self._subjects(ctx, complement)
            target = [a for a in done if not any(_same(a, s) for s in source)]
        if not target and comp is not None:
            target = self._slots(ctx, comp.head, comp.pattern.target, comp.obj, None)
        if comp is None and not target:
            return None
        confidence = 0.75 if comp is not None else 0.6
        symmetric = comp is not None and comp.pattern.symmetric and not target
        return self._finish(
            ctx, tok, tok.i, tok.i + 1, code, None, source, target, confidence, symmetric=symmetric
        )

    def _finish(
        self,
        ctx: _Sentence,
        head: Token,
        start: int,
        end: int,
        code: str,
        pattern: Pattern | None,
        source: list[Actor],
        target: list[Actor],
        confidence: float,
        *,
        symmetric: bool = False,
        anchor: int | None = None,
    ) -> EventDraft | None:
        source = _unique(source)
        target = [a for a in _unique(target) if not any(_same(a, s) for s in source)]
        if not source and symmetric and len(target) >= 2:
            source, target = target[:1], target[1:]
        if symmetric and not target and len(source) >= 2:
            source, target = source[:1], source[1:]
        if not target and len(source) >= 2 and self.clauses.reciprocal(head):
            source, target = source[:1], source[1:]  # "accused each other"
            symmetric = True
        two_sides = len(source) == 1 and self._two_sides(source[0])
        if not target and two_sides and (symmetric or self.clauses.reciprocal(head)):
            target = list(source)  # "both sides accused each other": either side
            symmetric = True
        happening = self._happening(head, code) if not (source or target) else None
        if not source and not target and happening is None:
            return None
        if happening is not None:
            confidence *= HAPPENING_FACTOR  # "clashes broke out in El Fasher": nobody named
            # the trigger reads "clashes broke out", "the blast occurred"
            start, end = min(start, happening.i), max(end, _phrase_end(happening))
        elif pattern is not None and pattern.requires_target and not target:
            if not (code[:2] in self.clauses.object_is_enough and _has_object(head)):
                return None
            confidence *= UNTARGETED_FACTOR  # "destroyed three buildings": no actor hit
        if any(a.code == self.generic.code for a in (*source, *target)):
            confidence *= GENERIC_FACTOR  # "prisoners", "the mediators": not resolved
        if not source:
            # "three protesters were arrested": who did it is not said; the event stands
            confidence *= 0.7
        elif not target:
            confidence *= 0.8
        # events in subordinate clauses are background to the sentence's main news
        confidence *= SUBORDINATE_FACTOR ** _subordination(head)
        # "since war broke out": a happening's clause is its verb's
        background = self.clauses.background(happening if happening is not None else head)
        if background:
            confidence *= BACKGROUND_FACTOR
        irregular = pattern.irregular if pattern is not None else None
        if irregular and self.clauses.unconventional(source, target):
            code = irregular  # "gunmen killed four farmers": assault, not combat
        return EventDraft(
            sentence=ctx.index,
            trigger_start=start,
            trigger_end=end,
            trigger_head=head.i,
            cameo=code,
            source=tuple(source),
            target=tuple(target),
            status=event_status(head),
            evidence_start=ctx.evidence[0],
            evidence_end=ctx.evidence[1],
            confidence=round(max(0.05, min(0.99, confidence)), 3),
            attributed_to=attribution(head, ctx.mentions),
            symmetric=symmetric,
            anchor=anchor,
            background=background,
        )

    # -- arguments -------------------------------------------------------------------------

    def _actors(self, ctx: _Sentence, tok: Token) -> list[Actor]:
        """The actors named by the phrase headed by ``tok`` and its conjuncts."""
        out: list[Actor] = []
        for t in (tok, *conjuncts(tok)):
            if t.i not in ctx.mentions and t.lemma_.lower() in COUNTING_NOUNS:
                # "dozens of fighters", "a group of protesters": the counted are the actors
                counted = [
                    a
                    for link in t.children
                    if link.dep_ == "prep" and link.lower_ == "of"
                    for p in link.children
                    if p.dep_ == "pobj"
                    for a in self._actors(ctx, p)
                ]
                if counted or any(c.lower_ == "of" for c in t.children):
                    out.extend(counted)
                    continue
            m = ctx.mentions.get(t.i) or ctx.inside.get(t.i)
            if m is None and t.pos_ in ("NOUN", "PROPN"):
                m = _modifier_mention(ctx, t, t.lemma_.lower() not in RELATIONAL_NOUNS)
            if m is not None:
                out.extend(m.actors)
            elif self._unresolved(ctx, t):
                out.append(self.generic.actor(t))  # "Prisoners staged ...": unresolved
            elif t.pos_ == "NOUN" and t.i not in ctx.consumed:
                out.extend(self._owner_actors(ctx, t) or self._sector_owner(t))
            for app in t.children:  # "the US, Russia, and Switzerland": a list in apposition
                if app.dep_ == "appos" and app.i in ctx.mentions:
                    listed = ctx.mentions[app.i].actors
                    if m is None or {a.code for a in listed} != {a.code for a in m.actors}:
                        out.extend(self._actors(ctx, app))
        return out

    def _unresolved(self, ctx: _Sentence, tok: Token) -> bool:
        """Does ``tok`` name someone the knowledge base does not know (not an event noun,
        not a word a trigger already took)?"""
        return tok.i not in ctx.consumed and self._names_people(tok)

    def _names_people(self, tok: Token) -> bool:
        """Is ``tok`` a noun naming people rather than an event ("prisoners", not "talks")?"""
        return (
            self.generic.names_someone(tok)
            and self.lexicon.match("NOUN", tok.lemma_.lower(), trigger_words(tok)) is None
        )

    def _owner_actors(self, ctx: _Sentence, tok: Token) -> list[Actor]:
        """The actors owning a thing: "the headquarters *of the opposition party*"."""
        return [
            a
            for prep in tok.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for p in prep.children
            if p.dep_ == "pobj" and p.i in ctx.mentions
            for a in ctx.mentions[p.i].actors
        ]

    def _happening(self, head: Token, code: str) -> Token | None:
        """The verb of taking place when the trigger is a happening that stands without
        actors: an event noun of violence or protest as its subject ("clashes broke out")."""
        if code[:2] not in self.clauses.happening_roots or head.dep_ != "nsubj":
            return None
        modified = any(c.dep_ in ("amod", "compound") for c in head.children)
        if head.lemma_.lower() in UNCLEAR_HAPPENINGS and not modified:
            return None  # "the strike continued": perhaps a labour strike
        verb = head.head
        lemma = verb.lemma_.lower()
        names = {lemma} | {
            f"{lemma} {c.lower_ if c.dep_ == 'prt' else c.lemma_.lower()}"
            for c in verb.children
            if c.dep_ in ("prt", "dobj")
        }
        return verb if verb.pos_ == "VERB" and names & OCCURRENCE_VERBS else None

    def _participants(self, gathering: Token) -> Actor:
        """Those taking part in "a rally", "the protest": an actor of the opposition sector."""
        text = gathering.doc[gathering.left_edge.i : gathering.i + 1].text
        return Actor(text=text, code=PARTICIPANTS_SECTOR, sectors=(PARTICIPANTS_SECTOR,))

    def _two_sides(self, actor: Actor) -> bool:
        """An unresolved actor named as two sides: "both sides", "the two countries"."""
        return actor.code == self.generic.code and _dual(actor.text)

    def _sector_owner(self, tok: Token) -> list[Actor]:
        """The sector owning a thing: "a *military* convoy", "a *police* station"."""
        kb = load_kb()
        for c in tok.children:
            if c.dep_ not in ("amod", "compound") or c.i > tok.i:
                continue
            lemma = c.lemma_.lower()
            hit = kb.sector_for_noun(lemma) if c.pos_ == "NOUN" else None
            code = hit[0] if hit is not None and not hit[1] else kb.sector_for_adjective(lemma)
            if code:
                words = tok.doc[c.i : tok.i + 1].text
                return [Actor(text=words, code=code, sectors=(code,))]
        return []

    def _event_participants(self, ctx: _Sentence, tok: Token) -> EventDraft | None:
        """An event noun standing where an actor would ("the summit resulted in ...")."""
        return ctx.resolved.get(tok.i)

    def _subjects(self, ctx: _Sentence, verb: Token, depth: int = 0) -> list[Actor]:
        if depth > 4:
            return []
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                if child.lower_ in _RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return self._actors(ctx, verb.head)
                return self._actors(ctx, child)
        if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            return self._verb_source(ctx, verb.head, depth + 1)[0]
        if verb.dep_ in ("xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
            governor = verb.head
            controlled = verb.dep_ == "xcomp" or to_infinitive(verb)
            if controlled and governor.lemma_.lower() in OBJECT_CONTROL:
                for child in governor.children:
                    if child.dep_ in ("dobj", "dative"):
                        return self._actors(ctx, child)
                for child in governor.children:
                    if child.dep_ == "prep" and child.lower_ == "on":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                return self._actors(ctx, pobj)
            return self._verb_source(ctx, governor, depth + 1)[0]
        if verb.dep_ == "relcl" and any(c.lower_ in _RELATIVE_PRONOUNS for c in verb.children):
            return self._actors(ctx, verb.head)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            governor = verb.head.head  # "accused Russia of shelling": Russia shelled
            if governor.lemma_.lower() in self.clauses.controllers:
                for child in governor.children:
                    if child.dep_ in ("dobj", "nsubjpass"):
                        return self._actors(ctx, child)
        return []

    def _verb_source(
        self, ctx: _Sentence, verb: Token, depth: int = 0
    ) -> tuple[list[Actor], Token | None]:
        """(source actors, the passive subject standing in for the object, if any)."""
        passive_subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        if verb.dep_ == "acl" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
            if verb.tag_ == "VBN" and not any(c.dep_ == "dobj" for c in verb.children):
                passive_subject = verb.head  # "sanctions imposed by the EU"
            elif verb.head.pos_ in ("NOUN", "PROPN"):
                # "troops carrying out raids", and headlines parsed as a noun phrase:
                # "The Iraqi air force carried out three air strikes"
                return self._actors(ctx, verb.head), None
        if passive_subject is not None or (verb.tag_ == "VBN" and agent is not None):
            source: list[Actor] = []
            if agent is not None:
                for pobj in agent.children:
                    if pobj.dep_ == "pobj":
                        source = self._actors(ctx, pobj)
            return source, passive_subject
        return self._subjects(ctx, verb, depth), None

    def _slots(
        self,
        ctx: _Sentence,
        head: Token,
        slots: Sequence[str],
        obj: Token | None,
        passive_obj: Token | None,
    ) -> list[Actor]:
        """The actors in the first argument slot of ``head`` that names any."""
        for slot in slots:
            found: list[Actor] = []
            if slot == "dobj":
                cands = [c for c in head.children if c.dep_ in ("dobj", "attr", "oprd")]
                if passive_obj is not None:
                    cands.append(passive_obj)
                for c in cands:
                    if obj is not None and c.i == obj.i and c.i not in ctx.mentions:
                        # the event noun of a light verb ("held talks") is no target, but
                        # people it names are ("released forty prisoners")
                        if self._names_people(c):
                            found.append(self.generic.actor(c))
                        elif c.lemma_.lower() in GATHERING_NOUNS:
                            found.append(self._participants(c))
                        owner = _modifier_mention(ctx, c)  # "a Chinese balloon was shot down"
                        found.extend(owner.actors if owner is not None else ())
                        continue
                    found.extend(self._actors(ctx, c))
            elif slot == "dative":
                for c in head.children:
                    if c.dep_ == "dative":
                        found.extend(self._actors(ctx, c))
                        for pobj in c.children:
                            if pobj.dep_ == "pobj":
                                found.extend(self._actors(ctx, pobj))
            elif slot == "poss":
                # a noun's possessor; for a verb, its object's ("welcomed Russia's decision")
                holders = (
                    [head]
                    if head.pos_ != "VERB"
                    else [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
                )
                for holder in holders:
                    for c in holder.children:
                        if c.dep_ == "poss":
                            found.extend(self._actors(ctx, c))
            elif slot in ("amod", "compound"):
                for c in head.children:
                    if c.dep_ == slot and c.i < head.i:
                        found.extend(self._actors(ctx, c))
            else:
                word = "by" if slot == "by" else slot
                holders = [head] if obj is None else [head, obj]
                for holder in holders:
                    for prep in holder.children:
                        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ == word:
                            objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                            if not objects and passive_obj is not None:
                                objects = [passive_obj]  # "the ship was fired on": stranded
                            for pobj in objects:
                                found.extend(self._actors(ctx, pobj))
                if not found and slot != "by" and head.pos_ == "NOUN":
                    found = self._past_agent(ctx, head, word)
            if found:
                return found
        return []

    def _past_agent(self, ctx: _Sentence, noun: Token, word: str) -> list[Actor]:
        """The actors of a ``word`` phrase the parser hung on the object of an event noun's
        "by" phrase ("an attack by rebels *on a military base*"); a country that the agent
        is named by is not another party ("an attack by rebels in Chad": Chad's rebels)."""
        found: list[Actor] = []
        for agent in _agents(noun):
            named = {a.country for a in self._actors(ctx, agent) if a.country}
            for prep in agent.children:
                if prep.dep_ == "prep" and prep.lower_ == word:
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            found.extend(
                                a
                                for a in self._actors(ctx, pobj)
                                if not (a.code == a.country and a.country in named)
                            )
        return found

    def _prep_targets(
        self, ctx: _Sentence, head: Token, obj: Token | None, root: str
    ) -> list[Actor]:
        """The target in a prepositional phrase of the event's verb class
        (``clauses.yaml`` target_preps): "talks *with* Iran", "protest *in front of* ..."."""
        holders = [head] if obj is None else [head, obj]
        for words in self.clauses.target_preps.get(root, ()):
            first, *rest = words.split()
            for holder in holders:
                for prep in holder.children:
                    if prep.dep_ not in ("prep", "dative") or prep.lower_ != first:
                        continue
                    found = [a for p in _through(prep, rest) for a in self._actors(ctx, p)]
                    if found:
                        return found
        return []

    def _governing_source(
        self, ctx: _Sentence, noun: Token
    ) -> tuple[list[Actor], list[Actor], int | None]:
        """For an event noun with no source of its own: (source, undergoer, anchor) from
        the verb that governs it; ``anchor`` when an event noun is that verb's subject."""
        tok = noun
        for _ in range(4):
            if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
                tok = tok.head  # "launched a mediation effort": the effort carries the roles
                continue
            if tok.dep_ == "pobj":
                prep = tok.head
                if prep.lower_ == "of" and prep.head.lemma_.lower() in TRANSPARENT_NOUNS:
                    tok = prep.head
                    continue
                if prep.lower_ in ("as", "into", "to", "in", "with") and prep.head.pos_ in (
                    "VERB",
                    "AUX",
                ):
                    return self._clause_source(ctx, prep.head)
                if (
                    prep.lower_ in ("during", "on", "at")
                    and prep.head.pos_ in ("VERB", "AUX")
                    and tok.lemma_.lower() in _PARTICIPATION_NOUNS
                ):
                    # "held talks during a visit to Beirut": the visitor is the subject
                    return self._clause_source(ctx, prep.head)
                break
            if tok.dep_ in ("dobj", "attr", "nsubjpass", "oprd") and tok.head.pos_ in (
                "VERB",
                "AUX",
            ):
                verb = tok.head
                if tok.dep_ == "nsubjpass":
                    src, _ = self._verb_source(ctx, verb)
                    return src, [], None
                if verb.lemma_.lower() in EXPERIENCER_VERBS:
                    subjects = self._subjects(ctx, verb)
                    return self._agent_of_participle(ctx, noun, verb), subjects, None
                return self._clause_source(ctx, verb)
            break
        return self._agent_of_participle(ctx, noun, None), [], None

    def _clause_source(
        self, ctx: _Sentence, verb: Token
    ) -> tuple[list[Actor], list[Actor], int | None]:
        """The subject of ``verb`` as the source; an event noun as subject lends its sides."""
        for child in verb.children:
            if child.dep_ == "nsubj":
                event = self._event_participants(ctx, child)
                if event is not None:
                    return [*event.source, *event.target], [], event.trigger_head
        return self._verb_source(ctx, verb)[0], [], None

    def _agent_of_participle(self, ctx: _Sentence, noun: Token, verb: Token | None) -> list[Actor]:
        """'sanctions ... led by the United States': the agent of a reduced passive."""
        hosts = [noun] if verb is None else [noun, verb]
        for host in hosts:
            for child in host.children:
                if (
                    child.dep_ in ("acl", "advcl")
                    and child.tag_ == "VBN"
                    and child.lemma_.lower() in AGENTIVE_PARTICIPLES
                ):
                    for agent in child.children:
                        if agent.dep_ == "agent":
                            for pobj in agent.children:
                                if pobj.dep_ == "pobj":
                                    return self._actors(ctx, pobj)
        return []


# -- parse helpers ------------------------------------------------------------------------


def trigger_words(tok: Token) -> TriggerWords:
    """The words around a candidate trigger that lexicon patterns test.

    A preposition the parser hung on the direct object counts as the trigger's too
    ("accused [the neighbour of espionage]"); a passive subject or the noun a passive
    participle modifies counts as the object ("sanctions were imposed", "sanctions imposed").
    """
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objects.append(tok.head)
    for o in list(objects):  # "a wave of sanctions", "new rounds of talks"
        if o.lemma_.lower() in TRANSPARENT_NOUNS:
            objects += [
                p
                for link in o.children
                if link.dep_ == "prep" and link.lower_ == "of"
                for p in link.children
                if p.dep_ == "pobj"
            ]
    preps: dict[str, set[str]] = {}
    for holder in (tok, *(c for c in tok.children if c.dep_ == "dobj")):
        for child in holder.children:
            if child.dep_ in ("prep", "agent", "dative"):
                preps.setdefault(child.lower_, set()).update(
                    g.lemma_.lower() for g in child.children if g.dep_ in ("pobj", "pcomp")
                )
    return TriggerWords(
        objects=frozenset(o.lemma_.lower() for o in objects),
        particles=frozenset(c.lower_ for c in tok.children if c.dep_ == "prt"),
        preps={k: frozenset(v) for k, v in preps.items()},
        modifiers=frozenset(
            c.lemma_.lower() for c in tok.children if c.dep_ in ("amod", "compound")
        ),
        compound_head=tok.head.lemma_.lower() if tok.dep_ == "compound" else None,
    )


def _object_token(tok: Token, pattern: Pattern) -> Token | None:
    """The word a light-verb pattern consumed ("held *talks*", "called for a *ceasefire*")."""
    if not pattern.obj:
        return None
    wanted = set(pattern.obj)
    if pattern.prep:
        holders = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
        for holder in holders:
            for child in holder.children:
                if child.dep_ in ("prep", "agent", "dative") and child.lower_ == pattern.prep:
                    for g in child.children:
                        if g.dep_ in ("pobj", "pcomp") and g.lemma_.lower() in wanted:
                            return g
        return None
    objects = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        objects.append(tok.head)
    for o in objects:
        if o.lemma_.lower() in wanted:
            return o
        for link in o.children:
            if link.dep_ == "prep" and link.lower_ == "of":
                for p in link.children:
                    if p.lemma_.lower() in wanted:
                        return p
    return None


def _stated(noun: Token) -> bool:
    """A relation noun that a verb states: object, attribute, or 'as'/'of' under a verb."""
    if noun.dep_ in _STATED_BY and noun.head.pos_ in ("VERB", "AUX"):
        return True
    if noun.dep_ == "pobj":
        prep = noun.head
        return prep.lower_ in ("as", "for", "to") and prep.head.pos_ in ("VERB", "AUX")
    return False


def _inside_name(tok: Token, ctx: _Sentence) -> bool:
    """True for a word inside a proper name that is not the name's head."""
    m = ctx.inside.get(tok.i)
    return m is not None and m.kind in ("name", "metonym") and m.head != tok.i


def _dual(words: str) -> bool:
    """Do the words name two sides ("both sides", "the two countries")?"""
    return bool(DUAL_WORDS & set(words.lower().split()))


def _has_subject(verb: Token) -> bool:
    """Is ``verb`` a verb with a subject of its own ("that Turkey respect ...")?"""
    return verb.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in verb.children)


def _modifier_mention(ctx: _Sentence, tok: Token, owner: bool = True) -> Mention | None:
    """ "Chinese regulators", "Egypt's negotiators", "a Russian drone": a head the knowledge
    base does not know, whose modifier names the country or organisation; ``owner`` False
    leaves out possessors ("Ukraine's allies" are not Ukraine)."""
    deps = ("amod", "compound", "poss") if owner else ("amod", "compound")
    return next(
        (ctx.mentions[c.i] for c in tok.children if c.dep_ in deps and c.i in ctx.mentions),
        None,
    )


def _between_only(noun: Token, slots: Sequence[str]) -> bool:
    """'talks between X and Y': the participants sit in one list, either side."""
    return "between" in slots and any(
        c.dep_ == "prep" and c.lower_ == "between" for c in noun.children
    )


def _trigger_span(verb: Token, obj: Token | None, pattern: Pattern) -> tuple[int, int]:
    start, end = verb.i, verb.i + 1
    for c in verb.children:
        if c.dep_ == "prt" and pattern.particle and c.lower_ == pattern.particle:
            end = max(end, c.i + 1)
    if obj is not None and abs(obj.i - verb.i) <= 5:
        start, end = min(start, obj.i), max(end, obj.i + 1)
    return start, end


def _noun_span(noun: Token, pattern: Pattern) -> tuple[int, int]:
    start = noun.i
    for c in noun.children:
        if c.dep_ in ("amod", "compound") and c.lemma_.lower() in pattern.modifiers and c.i < start:
            start = c.i
    return start, noun.i + 1


def _complement(tok: Token) -> Token | None:
    """The embedded event of a complement-taking verb or noun."""
    for c in tok.children:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c
    for c in tok.children:  # "called on Rwanda to withdraw", parsed as an adverbial clause
        if c.dep_ == "advcl" and c.pos_ in ("VERB", "AUX") and to_infinitive(c):
            return c
    for c in tok.children:
        if c.dep_ == "acl" and to_infinitive(c):
            return c
    for c in tok.children:
        if c.dep_ in ("prep",) and c.lower_ in ("of", "for", "to", "from", "on"):
            for p in c.children:
                if p.dep_ in ("pcomp", "pobj"):
                    return p
    for c in tok.children:
        if c.dep_ == "ccomp":
            return c
    return None


def _noun_trigger_under(tok: Token, by_head: Mapping[int, _Trigger]) -> _Trigger | None:
    """The event trigger in a complement clause: its verb, or an event noun it governs."""
    for c in tok.subtree:
        if c.i in by_head and c.i != tok.i:
            return by_head[c.i]
    return None


_FRAME_STATUS: Mapping[str, Status] = {
    "negated": "negated",
    "future": "future",
    "hypothetical": "hypothetical",
}


def _agents(noun: Token) -> list[Token]:
    """The objects of an event noun's "by" phrase, where the parser often hangs the phrase
    that follows it ("an attack by rebels *on a military base*")."""
    return [
        p
        for prep in noun.children
        if prep.dep_ == "prep" and prep.lower_ == "by"
        for p in prep.children
        if p.dep_ == "pobj"
    ]


def _phrase_end(verb: Token) -> int:
    """The end of a verb with its particles: "broke out", "flared up"."""
    return max([verb.i + 1, *(c.i + 1 for c in verb.children if c.dep_ == "prt")])


def _has_object(head: Token) -> bool:
    """Does the verb have a direct object or passive subject (a place, a thing)?"""
    return any(c.dep_ in ("dobj", "nsubjpass") for c in head.children)


def _through(prep: Token, rest: Sequence[str]) -> list[Token]:
    """The objects of a preposition, read through the words of a multi-word one ("in
    [front] [of] X": ``rest`` is ``["front", "of"]``)."""
    objects = [p for p in prep.children if p.dep_ in ("pobj", "pcomp")]
    for word in rest:
        nxt: list[Token] = []
        for o in objects:
            if o.lower_ == word:
                nxt.append(o)  # the noun of the phrase ("front")
            for c in o.children:
                if c.dep_ == "prep" and c.lower_ == word:
                    nxt.extend(p for p in c.children if p.dep_ in ("pobj", "pcomp"))
        objects = [o for o in nxt if o.lower_ != word]
    return objects


def _as_material(draft: EventDraft, frame_status: str) -> EventDraft:
    """The material act under a stated one, as a background record with its status."""
    status = draft.status
    if status != "negated":  # "threatened to strike": future, whatever the clause says
        status = _FRAME_STATUS.get(frame_status, status)
    confidence = round(max(0.05, draft.confidence * BACKGROUND_FACTOR), 3)
    return replace(draft, background=True, status=status, confidence=confidence)


def _token_index(mentions: Iterable[Mention]) -> dict[int, Mention]:
    out: dict[int, Mention] = {}
    for m in sorted(mentions, key=lambda m: m.token_end - m.token_start, reverse=True):
        for i in range(m.token_start, m.token_end):
            out[i] = m
    return out


def _evidence_bounds(sent: Span) -> tuple[int, int]:
    words = [t for t in sent if not t.is_space]
    if not words:
        return sent.start_char, sent.start_char
    return words[0].idx, words[-1].idx + len(words[-1].text)


def _in_heading(sent: Span, headings: Sequence[tuple[int, int]]) -> bool:
    s, e = _evidence_bounds(sent)
    return any(h0 <= s and e <= h1 for h0, h1 in headings)


def _key(a: Actor) -> tuple[str | None, str | None, str | None, str]:
    unresolved = a.code == load_generic().code
    return (a.name, a.org, a.country or a.code, a.text.lower() if unresolved else "")


def _same(a: Actor, b: Actor) -> bool:
    generic = load_generic().code
    if a.code == generic or b.code == generic:
        # unresolved actors are the same only when named by the same words
        return a.code == b.code and a.text.lower() == b.text.lower()
    if a.name and b.name:
        return a.name == b.name
    if a.org or b.org:
        return a.org == b.org and a.country == b.country
    return (a.country or a.code) == (b.country or b.code) and a.sectors == b.sectors


def _unique(actors: Iterable[Actor]) -> list[Actor]:
    out: list[Actor] = []
    for a in actors:
        if not any(_key(a) == _key(b) for b in out):
            out.append(a)
    return out


@cache
def get_coder() -> EventCoder:
    """The process-wide coder over the bundled lexicon and ontology."""
    ontology = load_ontology()
    return EventCoder(load_lexicon(ontology=ontology), ontology)


def code_events(
    doc: Doc, mentions: Sequence[Mention], headings: Sequence[tuple[int, int]] = ()
) -> list[EventDraft]:
    """Stage 5: the events of one parsed article (dates and places are filled later)."""
    return get_coder().code(doc, mentions, headings)


def lend_dates(drafts: Sequence[EventDraft]) -> list[EventDraft]:
    """Events that took their participants from another event ("the summit resulted in
    agreements") take its date too, when the text gives them none of their own."""
    by_head = {d.trigger_head: d for d in drafts}
    out: list[EventDraft] = []
    for d in drafts:
        source = by_head.get(d.anchor) if d.anchor is not None else None
        if (
            source is not None
            and source.date is not None
            and (d.date is None or d.date.basis == "publication")
        ):
            d = replace(d, date=source.date)
        out.append(d)
    return out


def _without_nested(drafts: Sequence[EventDraft]) -> list[EventDraft]:
    """Drop an event whose trigger lies inside another event's trigger words with the same
    root: "issued *arrest* warrants" is one act, not an arrest and a warrant."""

    def inside(d: EventDraft, o: EventDraft) -> bool:
        return (
            o is not d
            and o.trigger_head != d.trigger_head
            and o.trigger_start <= d.trigger_start
            and d.trigger_end <= o.trigger_end
            and o.cameo[:2] == d.cameo[:2]
        )

    return [d for d in drafts if not any(inside(d, o) for o in drafts)]


def _one_main(drafts: Sequence[EventDraft], doc: Doc) -> list[EventDraft]:
    """One main record per sentence: of the events not already background, the one in the
    fewest adverbial, relative or participial clauses (then the most confident) stays main,
    with the events coordinated with it ("attacked X and killed Y") and the records at the
    same trigger; every other event of the sentence is marked background, its confidence
    lowered below the main one's so that the main one stands for the sentence."""
    candidates = [d for d in drafts if not d.background]
    if not candidates:
        return list(drafts)
    main = min(candidates, key=lambda d: (_subordination(doc[d.trigger_head]), -d.confidence))
    heads = {main.trigger_head, *(t.i for t in _coordinated(doc[main.trigger_head]))}
    ceiling = max(0.05, main.confidence - 0.01)
    out: list[EventDraft] = []
    for d in drafts:
        if not d.background and d.trigger_head not in heads:
            confidence = round(max(0.05, min(ceiling, d.confidence * BACKGROUND_FACTOR)), 3)
            d = replace(d, background=True, confidence=confidence)
        out.append(d)
    return out


def _coordinated(tok: Token) -> list[Token]:
    """The tokens coordinated with ``tok``: its conjuncts and those of its first conjunct."""
    first = tok
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    return [first, *conjuncts(first)]


def _subordination(tok: Token) -> int:
    """How many adverbial, relative or participial clauses enclose the token."""
    depth = 0
    seen = 0
    while tok.head is not tok and seen < 30:
        if tok.dep_ in _SUBORDINATE_DEPS and tok.pos_ in ("VERB", "AUX"):
            depth += 1
        tok = tok.head
        seen += 1
    return depth


def _purpose_of(trig: _Trigger, by_head: Mapping[int, _Trigger]) -> bool:
    """True for a purpose infinitive of another event of the same root ("met to discuss")."""
    tok = trig.head
    if tok.dep_ not in ("xcomp", "advcl") or not to_infinitive(tok):
        return False
    governor = by_head.get(tok.head.i)
    return governor is not None and governor.pattern.code[:2] == trig.pattern.code[:2]
