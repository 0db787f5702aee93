"""Stage 5b (``apply_models``): the learned classifier and role tagger beside the rules.

Runs after ``code_events`` on the sentences that can hold an event (a cheap prefilter:
not a heading, at least four words and a verb, or a rule event already there), read by the
bundled model (:mod:`dyad.models.runtime`) in length-sorted batches. Then, per sentence:

- **class**: when the rules found nothing and the classifier reads an event with
  probability >= :data:`NEW_EVENT_P`, and the tagger proposes at least one actor, a new
  event is coded at the sentence's main verb with the CAMEO root's base code
  (``"19"`` -> ``"190"``). When the rules' main event has another penta class than the
  classifier's, the classifier decides if its calibrated probability exceeds the rules'
  confidence (the rules keep the trigger, actors, date and place; the code becomes the
  predicted root's base code), except that a rule event of a material act (penta 2 or 4)
  with confidence >= :data:`MATERIAL_FIRM` keeps its code against a verbal class (a deed
  the rules found firmly is not talked down to words; the classifier's doubt lowers its
  confidence). Agreement raises the confidence, disagreement lowers it. A happening no
  actor is named for ("clashes broke out") is never re-coded, only doubted; one in a
  background clause does not count as the sentence's rule event.
  A sentence has one reading: when any of its rule events has the classifier's class,
  those gain confidence and the others stand; otherwise only the rules' main (most
  confident) event is re-coded or doubted.
- **roles**: the tagger's best source and target spans become actors
  (:func:`dyad.actors.resolve.actors_in_span`) and vote with the rules' attachments of the
  sentence's main event: a role the rules left empty, or one where the tagger is confident
  (score >= :data:`TAGGER_WINS`) and disagrees, takes the tagger's actors. The tagger agrees
  when any of its spans of that role covers the rules' actor ("expelled [three diplomats]
  from [the Russian embassy]": the rules' embassy stands).

Every record says who decided (``decided_by``) and whose roles won (``roles_by``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from dyad.actors.resolve import actors_in_span
from dyad.draft import EventDraft, Mention, RoleName, RoleSpan, SentenceReading
from dyad.events.ontology import load_ontology
from dyad.events.status import attribution, event_status
from dyad.model import Actor, RolesBy
from dyad.models.runtime import ROOT_TO_PENTA, WordReading, get_model

log = logging.getLogger(__name__)

NEW_EVENT_P = 0.7
"""The calibrated probability the classifier needs to add an event the rules missed."""
NEW_EVENT_WEIGHT = 0.6
"""A classifier-only event's confidence is its probability times this."""
AGREE_WEIGHT = 0.5
"""Agreement moves the rules' confidence this share of the way towards 1 (times p)."""
TAGGER_WINS = 0.75
"""The mean token probability a tagger span needs to overrule the rules' attachment."""
TAGGER_FILLS = 0.5
"""The score a tagger span needs to fill a role the rules left empty."""
MIN_WORDS = 4
MATERIAL = frozenset({"2", "4"})
"""The penta classes of material acts (cooperation and conflict in deeds, not words)."""
MATERIAL_FIRM = 0.6
"""A rule event of a material act this confident is not re-coded to a verbal class."""

_ROLE_OF_TAG: dict[str, RoleName] = {"S": "source", "T": "target", "R": "other"}


def penta_of(cameo: str) -> str | None:
    """The penta class (``"0"``..``"4"``) of a CAMEO code, None when its root is unknown."""
    return ROOT_TO_PENTA.get(cameo[:2])


def can_hold_event(sent: Span, has_rule_event: bool, headings: Sequence[tuple[int, int]]) -> bool:
    """The prefilter: worth a forward pass."""
    if has_rule_event:
        return True
    words = [t for t in sent if not t.is_space and not t.is_punct]
    if len(words) < MIN_WORDS:
        return False
    if any(h0 <= sent.start_char and sent.end_char <= h1 for h0, h1 in headings):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in words)


def role_spans(index: int, tokens: Sequence[Token], reading: WordReading) -> list[RoleSpan]:
    """Runs of one tag in the tagger's per-word reading, scored by their mean probability."""
    labels = get_model().info.token_labels
    out: list[RoleSpan] = []
    i = 0
    while i < len(tokens):
        probs = reading.roles[i]
        tag = labels[max(range(len(probs)), key=probs.__getitem__)]
        if tag == "O":
            i += 1
            continue
        j = i
        while j < len(tokens):
            p = reading.roles[j]
            if labels[max(range(len(p)), key=p.__getitem__)] != tag:
                break
            j += 1
        k = labels.index(tag)
        score = sum(reading.roles[x][k] for x in range(i, j)) / (j - i)
        out.append(
            RoleSpan(
                sentence=index,
                token_start=tokens[i].i,
                token_end=tokens[j - 1].i + 1,
                role=_ROLE_OF_TAG[tag],
                score=round(score, 4),
                by="tagger",
            )
        )
        i = j
    return out


def _sentence_reading(index: int, r: WordReading) -> SentenceReading:
    return SentenceReading(
        sentence=index,
        label=r.label,
        probability=r.probability,
        probabilities=r.probabilities,
        root=r.root,
        root_probability=r.root_probability,
    )


def _of_role(spans: Sequence[RoleSpan], role: RoleName) -> list[RoleSpan]:
    return [s for s in spans if s.role == role]


def _best(spans: Sequence[RoleSpan], role: RoleName) -> RoleSpan | None:
    of_role = _of_role(spans, role)
    return max(of_role, key=lambda s: s.score) if of_role else None


def _tokens_of(actors: Sequence[Actor], mentions: Sequence[Mention], sentence: int) -> set[int]:
    out: set[int] = set()
    for m in mentions:
        if m.sentence == sentence and any(a in actors for a in m.actors):
            out.update(range(m.token_start, m.token_end))
    return out


class _Context:
    def __init__(self, doc: Doc, mentions: Sequence[Mention], published: date | None) -> None:
        self.doc = doc
        self.mentions = mentions
        self.published = published
        self.by_head = {m.head: m for m in mentions}

    def actors(self, span: RoleSpan | None) -> tuple[Actor, ...]:
        if span is None:
            return ()
        return actors_in_span(
            self.doc, self.mentions, span.token_start, span.token_end, self.published
        )


def _vote_role(
    ctx: _Context, draft: EventDraft, rule: tuple[Actor, ...], spans: Sequence[RoleSpan]
) -> tuple[tuple[Actor, ...], RolesBy]:
    """(actors, who won: rules / tagger / both) for one role, given the tagger's spans of it."""
    if not spans:
        return rule, "rules"
    span = max(spans, key=lambda s: s.score)
    if not rule:
        if span.score >= TAGGER_FILLS:
            return ctx.actors(span), "tagger"
        return rule, "rules"
    placed = _tokens_of(rule, ctx.mentions, draft.sentence)
    if any(placed & set(range(s.token_start, s.token_end)) for s in spans):
        return rule, "both"
    if span.score >= TAGGER_WINS:
        return ctx.actors(span), "tagger"
    return rule, "rules"


def vote_roles(ctx: _Context, draft: EventDraft, spans: Sequence[RoleSpan]) -> EventDraft:
    """The draft with source and target re-voted between the rules and the tagger."""
    if draft.symmetric or draft.anchor is not None:
        return draft
    source, by_s = _vote_role(ctx, draft, draft.source, _of_role(spans, "source"))
    target, by_t = _vote_role(ctx, draft, draft.target, _of_role(spans, "target"))
    target = tuple(a for a in target if a not in source)
    if not source and not target:
        return draft
    won = {by_s, by_t}
    roles_by: RolesBy = "tagger" if "tagger" in won else "both" if "both" in won else "rules"
    return replace(draft, source=source, target=target, roles_by=roles_by)


def _recode(draft: EventDraft, reading: SentenceReading) -> EventDraft:
    """Fold the classifier's reading into one rule event: agree, overrule or doubt."""
    p_of = dict(reading.probabilities)
    mine = penta_of(draft.cameo)
    p_mine = p_of.get(mine or "", 0.0)
    if reading.label == mine:
        conf = draft.confidence + (1.0 - draft.confidence) * AGREE_WEIGHT * reading.probability
        return replace(draft, confidence=_clip(conf), model_probability=reading.probability)
    if (
        reading.label != "none"
        and not _unnamed(draft)  # "clashes broke out": only a violent reading fits
        and reading.root is not None
        and reading.probability > draft.confidence
        and reading.probability >= 0.5
        and not _firm_material(draft, reading.label)
    ):
        code = f"{reading.root}0"
        if code in load_ontology():
            return replace(
                draft,
                cameo=code,
                confidence=_clip(reading.probability * (0.5 + 0.5 * draft.confidence)),
                decided_by="classifier",
                model_probability=reading.probability,
            )
    conf = draft.confidence * (0.5 + 0.5 * p_mine)
    return replace(draft, confidence=_clip(conf), model_probability=round(p_mine, 4))


def _unnamed(draft: EventDraft) -> bool:
    """A happening no actor is named for ("clashes broke out in El Fasher")."""
    return not draft.source and not draft.target


def _firm_material(draft: EventDraft, label: str) -> bool:
    """The rules firmly coded a material act and the classifier reads a verbal class."""
    return (
        penta_of(draft.cameo) in MATERIAL
        and label not in MATERIAL
        and draft.confidence >= MATERIAL_FIRM
    )


def _clip(x: float) -> float:
    return round(max(0.05, min(0.99, x)), 3)


def _new_event(
    ctx: _Context, sent: Span, index: int, reading: SentenceReading, spans: Sequence[RoleSpan]
) -> EventDraft | None:
    """An event the rules missed, at the sentence's main verb, actors from the tagger."""
    if reading.label == "none" or reading.root is None or reading.probability < NEW_EVENT_P:
        return None
    code = f"{reading.root}0"
    if code not in load_ontology():
        return None
    source = ctx.actors(_best(spans, "source"))
    target = tuple(a for a in ctx.actors(_best(spans, "target")) if a not in source)
    if not source and not target:
        return None
    head = sent.root
    words = [t for t in sent if not t.is_space]
    return EventDraft(
        sentence=index,
        trigger_start=head.i,
        trigger_end=head.i + 1,
        trigger_head=head.i,
        cameo=code,
        source=source,
        target=target,
        status=event_status(head),
        evidence_start=words[0].idx,
        evidence_end=words[-1].idx + len(words[-1].text),
        confidence=_clip(reading.probability * NEW_EVENT_WEIGHT),
        attributed_to=attribution(head, ctx.by_head),
        roles_by="tagger",
        decided_by="classifier",
        model_probability=reading.probability,
    )


def read_sentences(
    doc: Doc, indices: Sequence[int]
) -> dict[int, tuple[SentenceReading, list[RoleSpan]]]:
    """The model's reading and role spans for the sentences ``indices`` of ``doc``."""
    sents = list(doc.sents)
    tokens = [[t for t in sents[i] if not t.is_space] for i in indices]
    readings = get_model().read_words([[t.text for t in toks] for toks in tokens])
    return {
        i: (_sentence_reading(i, r), role_spans(i, toks, r))
        for i, toks, r in zip(indices, tokens, readings, strict=True)
    }


def apply_models(
    doc: Doc,
    mentions: Sequence[Mention],
    drafts: Sequence[EventDraft],
    published: date | None,
    headings: Sequence[tuple[int, int]] = (),
    *,
    models: bool = True,
) -> list[EventDraft]:
    """The drafts with the classifier's and tagger's votes; unchanged when ``models`` is off."""
    if not models:
        return list(drafts)
    sents = list(doc.sents)
    by_sentence: dict[int, list[int]] = {}
    for k, d in enumerate(drafts):
        by_sentence.setdefault(d.sentence, []).append(k)
    todo = [i for i, s in enumerate(sents) if can_hold_event(s, i in by_sentence, headings)]
    if not todo:
        return list(drafts)
    read = read_sentences(doc, todo)
    ctx = _Context(doc, mentions, published)
    out = list(drafts)
    added: list[EventDraft] = []
    for i in todo:
        reading, spans = read[i]
        # a happening in a clause of time ("since war broke out") is not what the sentence
        # reports: the classifier reads the sentence as if the rules had found nothing
        ks = [k for k in by_sentence.get(i, []) if not (out[k].background and _unnamed(out[k]))]
        if not ks:
            new = _new_event(ctx, sents[i], i, reading, spans)
            if new is not None:
                added.append(new)
            continue
        # one reading per sentence: when some rule event has its class, those agree and the
        # rest stand; otherwise only the rules' main event may be re-coded or doubted
        agreeing = [k for k in ks if penta_of(out[k].cameo) == reading.label]
        for k in agreeing or [max(ks, key=lambda k: out[k].confidence)]:
            out[k] = _recode(out[k], reading)
        main = max(ks, key=lambda k: out[k].confidence)
        out[main] = vote_roles(ctx, out[main], spans)
    out.extend(added)
    log.debug("models read %d of %d sentences, added %d events", len(todo), len(sents), len(added))
    return out
