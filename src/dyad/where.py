"""Stage: where each event happened (fills ``EventDraft.location``).

GDELT places an event at the first place the article names; dyad places it where the text
says it happened, reading the dependency parse of the event's own sentence in steps, and
taking the first step that finds a place:

1. **The trigger and its participants.** A locative phrase on the trigger ("met *in
   Moscow*", "the meeting *in Moscow*", "clashes *near Avdiivka*", "talks *at the Kremlin*":
   a seat of power stands for its city), the destination of a visit or journey ("a visit *to
   Beijing*"), what an attack hits ("strikes *on Kyiv*", "shelled *Kharkiv*", "the siege *of
   Mariupol*"), a place naming an event noun ("the *Kabul* bombing"; not agreements: "the
   Gaza ceasefire" is about Gaza, not necessarily signed there), the head of a "where"
   clause ("the town of X, *where* ..."), the event an event happens in ("killed *during
   clashes in Hebron*"); then what the subject's and the object's phrases locate
   ("protesters *in Tbilisi* clashed", "attacked a base *in Idlib*"; an event noun as object
   keeps its own place unless the verb only carries it: "held talks in Doha", but not
   "condemned the attack in Kabul"), and the subject of "host".
2. **Clauses that share the scene.** A coordinated verb without a clause of its own ("killed
   six and *wounded* eight in Baghdad"), a participle or a "when"/"as"/"while" clause ("shot
   *while driving* in Jiddah").
3. **The governing clause.** A participle or coordinated verb shares the place of the verb
   it hangs on ("opened fire on a market in Mogadishu, *killing* nine"); an event noun
   carried by a light verb shares the verb's place ("*talks* were held in Doha").

Within a step the most specific place wins (a city or a named place the gazetteer does not
know, then an admin2 division (district, county), then an admin1 or wider region, then a sea,
then a country), then the closer relation,
then the nearer phrase. Inside a phrase an area's own name comes before its container: "the city of
Aleppo" gives Aleppo, "the Kafr Souseh area of Damascus" Kafr Souseh, "a rally outside
parliament in Tbilisi" Tbilisi; "Tripoli, Lebanon" and "Paris, Tenn." are settled by their
qualifier. A place that acts ("Moscow said", "talks with Beijing") is never taken as a
location: only the relations above are read.

Names are spaCy GPE/LOC/FAC entities and proper nouns the gazetteer knows (the small English
model often tags "Kyiv" as a person or "Aleppo" as a language). Where the syntax says a place
is meant (the object of "in", the name of a town), an unknown proper noun is kept as a place
with its name, the country of the known place in the same phrase, and no coordinates.
Ambiguous names are settled by :func:`choose`: an explicit qualifier first, then a descriptor
("Georgia Gov.", "the state of Georgia", "Idlib province"), then the countries the rest of
the article points to (:class:`PlaceContext`: its other place names, its actors, and their
neighbours), and otherwise the gazetteer's default (the country, the capital or the most
populous).

**Datelines.** An event with no place of its own falls back to the article's dateline
("KYIV, May 3 (Reuters) -") only when the event is not clearly abroad: its sentence names no
place in another country, and when its actors have countries, one of them is the dateline's.
Wire copy is filed from where the reporter is, which is often but not always where the event
happened; the rule keeps the dateline for domestic events and drops it for the rest.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

from spacy.tokens import Doc

from dyad.clean import find_dateline as dateline_in
from dyad.draft import EventDraft
from dyad.events.words import load_word_lists
from dyad.geo.gazetteer import Candidate, Gazetteer, GeoEntry, load_gazetteer, normalize_name
from dyad.model import Place, PlacePrecision

log = logging.getLogger(__name__)

Token: TypeAlias = Any
"""A spaCy ``Token`` (spaCy ships no type information)."""


WORDS_PATH = Path(str(resources.files("dyad.geo") / "data" / "where.yaml"))
"""The word lists that steer this stage (each list is documented in the file)."""

WORD_LISTS = (
    "place_labels",
    "mislabelled",
    "locative_prepositions",
    "to_prepositions",
    "on_prepositions",
    "shared_prepositions",
    "actor_prepositions",
    "motion",
    "assault",
    "seize",
    "place_objects",
    "hits",
    "locatable",
    "event_nouns",
    "carriers",
    "areas",
    "facilities",
    "admin_words",
    "city_words",
    "country_words",
    "state_cues",
    "directions",
    "particles",
)

_W = load_word_lists(WORDS_PATH, WORD_LISTS)

PLACE_LABELS = _W["place_labels"]
MISLABELLED = _W["mislabelled"]
LOCATIVE_PREPS = _W["locative_prepositions"]
TO_PREPS = _W["to_prepositions"]
ON_PREPS = _W["on_prepositions"]
SHARED_PREPS = _W["shared_prepositions"]
ACTOR_PREPS = _W["actor_prepositions"]
MOTION = _W["motion"]
ASSAULT = _W["assault"]
SEIZE = _W["seize"]
PLACE_OBJECT = _W["place_objects"]
HITS = PLACE_OBJECT | _W["hits"]
LOCATABLE = _W["locatable"]
EVENT_NOUNS = LOCATABLE | SEIZE | _W["event_nouns"]
CARRIERS = _W["carriers"]
AREAS = _W["areas"]
FACILITIES = _W["facilities"]
ADMIN_WORDS = _W["admin_words"]
CITY_WORDS = _W["city_words"]
COUNTRY_WORDS = _W["country_words"]
STATE_CUES = _W["state_cues"]
DIRECTIONS = _W["directions"]
PARTICLES = _W["particles"]

_VOCAB = MOTION | ASSAULT | SEIZE | HITS | LOCATABLE | EVENT_NOUNS | CARRIERS | AREAS | FACILITIES

SPECIFICITY = {"city": 4, "admin2": 3, "admin1": 2, "region": 2, "sea": 1, "country": 0}
CONTAINER_KINDS = frozenset({"country", "admin1", "admin2"})
"""Gazetteer kinds that qualify a place after "in" ("Kalehe in South Kivu"); not a region
or a sea ("Palma in the Indian Ocean" says nothing of its country)."""
UNRESOLVED_SPECIFICITY = 4
"""A named place the gazetteer does not know is usually a village, a district or a site, so
it counts as a city; it takes its country from the known place of the same phrase ("the Kafr
Souseh area of Damascus")."""

PLAUSIBLE_RATIO = 50
"""Context may pick a reading whose population is at most this many times smaller than the
largest reading's: "Tripoli, Lebanon" can win over Tripoli, Libya, but Moscow, Idaho never
wins over Moscow without a qualifier."""

PERSON_PLACE = 100_000
"""A one-word name tagged as a person counts as a place in the article's context when its best
reading is at least this populous ("Kyiv" tagged PERSON does, "Jackson said" does not)."""

NEIGHBOUR_WEIGHT = 0.5
"""How much a neighbouring country named in the article counts for a reading."""

DOMINANCE = PLAUSIBLE_RATIO
"""A name counts towards the article's countries when its best reading is unique to one
country or this many times heavier than any reading in another country: names that context
could settle ("Tripoli") do not count, names it could not ("Moscow") do."""


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """Article-level evidence for settling ambiguous names.

    ``countries`` counts, per ISO alpha-3 code, the article's unambiguous place names and the
    actors that point to that country; ``by_name`` keeps each place name's own share (keyed
    by :func:`~dyad.geo.gazetteer.normalize_name`) so that a name never settles itself.
    """

    countries: Mapping[str, int]
    by_name: Mapping[str, Mapping[str, int]] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_doc(
        cls, doc: Doc, gazetteer: Gazetteer, actor_countries: Iterable[str | None] = ()
    ) -> PlaceContext:
        """Count the countries the document's place names and the given actors point to.

        Place entities count, and so do names under other entity labels that the gazetteer
        knows ("Karachi" tagged ORG), except multi-word person names and small places
        ("Paris Hilton", "Lincoln said"). A name followed by a state cue ("Georgia Gov.")
        counts for its state reading, for every mention of the name.
        """
        counts: Counter[str] = Counter()
        by_name: dict[str, Counter[str]] = {}
        for ent in doc.ents:
            if ent.label_ not in PLACE_LABELS and ent.label_ not in MISLABELLED:
                continue
            text = _strip_determiner(ent.text)
            cands = gazetteer.candidates(text)
            if not cands:
                continue
            if ent.label_ == "PERSON" and (len(ent) > 1 or cands[0].weight < PERSON_PLACE):
                continue
            if _state_cue(doc, ent.end):
                state = choose(cands, cls({}), gazetteer, kinds=frozenset({"admin1"}))
                if state is not None and state.kind == "admin1" and state.country:
                    counts[state.country] += 1
                continue
            country = dominant_country(cands)
            if country is None:
                continue
            counts[country] += 1
            by_name.setdefault(normalize_name(text), Counter())[country] += 1
        counts.update(c for c in actor_countries if c)
        return cls(
            countries=MappingProxyType(dict(counts)),
            by_name=MappingProxyType({k: MappingProxyType(dict(v)) for k, v in by_name.items()}),
        )

    def with_countries(self, iso3s: Iterable[str | None]) -> PlaceContext:
        """This context with more evidence (actor countries, say) added."""
        counts = Counter(self.countries)
        counts.update(c for c in iso3s if c)
        return PlaceContext(MappingProxyType(dict(counts)), self.by_name)

    def count(self, iso3: str | None, exclude: str = "") -> float:
        """How often the article points to ``iso3``, leaving out the name ``exclude``."""
        if iso3 is None:
            return 0.0
        own = self.by_name.get(exclude, {}) if exclude else {}
        return float(self.countries.get(iso3, 0) - own.get(iso3, 0))

    def score(self, iso3: str | None, gazetteer: Gazetteer, exclude: str = "") -> float:
        """Evidence for ``iso3``: its own count plus half of its neighbours'."""
        if iso3 is None:
            return 0.0
        near = sum(self.count(n, exclude) for n in gazetteer.neighbours(iso3))
        return self.count(iso3, exclude) + NEIGHBOUR_WEIGHT * near


def _state_cue(doc: Doc, end: int) -> bool:
    """A state cue right after a name: "Georgia Gov.", "Georgia's governor"."""
    after = doc[end].lower_ if end < len(doc) else ""
    after2 = doc[end + 1].lower_ if end + 1 < len(doc) else ""
    return after in STATE_CUES or (after in ("'s", "’s") and after2 in STATE_CUES)


def dominant_country(cands: Sequence[Candidate]) -> str | None:
    """The country a name points to without context, or None when it is ambiguous."""
    if not cands:
        return None
    pool = [c for c in cands if c.exact == cands[0].exact]
    top = pool[0]
    if top.entry.country is None:
        return None
    rivals = [c.weight for c in pool if c.entry.country != top.entry.country]
    if not rivals:
        return top.entry.country
    return top.entry.country if top.weight >= DOMINANCE * max(rivals) else None


def choose(
    cands: Sequence[Candidate],
    context: PlaceContext,
    gazetteer: Gazetteer,
    *,
    key: str = "",
    kinds: frozenset[str] = frozenset(),
    qualifier: GeoEntry | None = None,
) -> GeoEntry | None:
    """Settle an ambiguous name: qualifier, then kind hint, then context, then the default.

    Returns None when a qualifier rules out every reading ("Paris, Tenn." when the gazetteer
    knows no Paris in Tennessee).
    """
    if not cands:
        return None
    if qualifier is not None:
        fits = [c for c in cands if _qualifies(c.entry, qualifier)]
        return fits[0].entry if fits else None
    pool = [c for c in cands if c.exact == cands[0].exact]
    if kinds:
        hinted = [c for c in pool if c.entry.kind in kinds]
        pool = hinted or pool
    top = pool[0]
    heaviest = max(max(c.weight for c in pool), 1)
    plausible = [c for c in pool if max(c.weight, 1) * PLAUSIBLE_RATIO >= heaviest]
    if top not in plausible:
        plausible.insert(0, top)
    if len({c.entry.country for c in plausible}) < 2:
        return top.entry
    scores = [context.score(c.entry.country, gazetteer, key) for c in plausible]
    best = max(range(len(plausible)), key=lambda i: (scores[i], -i))
    top_score = scores[plausible.index(top)]
    return plausible[best].entry if scores[best] > top_score else top.entry


def _qualifies(entry: GeoEntry, qualifier: GeoEntry) -> bool:
    if entry == qualifier:
        return False
    if qualifier.kind == "country":
        return entry.country == qualifier.country
    if qualifier.kind == "admin1":
        return entry.country == qualifier.country and entry.admin1 == qualifier.admin1
    return qualifier.country is not None and entry.country == qualifier.country


# ---------------------------------------------------------------------------------------
# Place spans

Mode: TypeAlias = Literal["known", "hit", "locative", "name"]
"""How sure the syntax is that a noun phrase names a place:

* ``"known"``: only names the gazetteer knows (a compound modifier, a possessive, the subject
  of "host");
* ``"hit"``: the object of a verb that takes places or people ("captured X"): place entities
  the gazetteer knows, and unknown proper nouns no entity type claims;
* ``"locative"``: place entities, unknown proper nouns no other entity type claims, and
  organisation names of sites ("Gujarat High Court") (the object of "in", "near", ...);
* ``"name"``: any proper noun but an organisation's (the name of an area: "the town of
  *Remolinos*", "the *Amriya* district")."""


@dataclass(frozen=True, slots=True)
class _Found:
    """A place mention in the parse: tokens [start, end), resolved or not."""

    start: int
    end: int
    entry: GeoEntry | None
    qualifier: GeoEntry | None
    level: int
    order: int
    group: int
    distance: int
    """Tokens between the trigger and the head of the phrase the place was found in."""

    @property
    def specificity(self) -> int:
        return UNRESOLVED_SPECIFICITY if self.entry is None else SPECIFICITY[self.entry.kind]


_TRAILING = ("ADP", "CCONJ", "DET", "PUNCT", "SCONJ")
"""Parts of speech an entity span sometimes runs into past its name."""


def _strip_determiner(text: str) -> str:
    return re.sub(r"^(?:the|The|THE)\s+", "", text.strip())


class _Reader:
    """Reads one sentence's parse for the places of a trigger."""

    def __init__(self, doc: Doc, gazetteer: Gazetteer, context: PlaceContext) -> None:
        self.doc = doc
        self.gaz = gazetteer
        self.context = context
        self._ents: dict[int, Any] = {}
        for ent in doc.ents:
            for i in range(ent.start, ent.end):
                self._ents[i] = ent
        self._count = 0
        self._distance: list[int] = []
        self.anchor = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    def _group(self, head: Token) -> int:
        """A new phrase to search, headed by ``head``: places found in it share a group."""
        self._distance.append(abs(head.i - self.anchor))
        return len(self._distance) - 1

    # -- recognising a place at a token ------------------------------------------------

    def place_at(self, tok: Token, mode: Mode, level: int, group: int) -> _Found | None:
        """The place named by the proper noun (or place entity) ``tok``, if any."""
        span = self._span_at(tok, mode)
        if span is None:
            return None
        start, end, known_only = span
        text = self.doc[start:end].text
        if _strip_determiner(text).lower() in DIRECTIONS:
            return None  # "the North's missile launch": a direction alone is no place
        qualifier, q_end = self._qualifier_after(end)
        if qualifier is not None and not self._fits(text, qualifier):
            qualifier = None
        entry = self._resolve(text, self._kind_hint(start, end, tok), qualifier)
        if entry is None and qualifier is None and (known_only or _acronym(text)):
            return None
        return _Found(
            start=start,
            end=q_end if qualifier is not None else end,
            entry=entry,
            qualifier=qualifier,
            level=level,
            order=self._next(),
            group=group,
            distance=self._distance[group],
        )

    def _span_at(self, tok: Token, mode: Mode) -> tuple[int, int, bool] | None:
        """(start, end, whether the gazetteer must know it) of the name at ``tok``."""
        ent = self._ents.get(tok.i)
        if ent is not None and ent.label_ in PLACE_LABELS:
            return self._entity_span(ent, mode)
        if ent is not None and not _may_mislabel(ent.label_, mode):
            return None
        if tok.pos_ not in ("PROPN", "NOUN", "ADJ", "X") or not tok.text[:1].isupper():
            return None
        if tok.pos_ != "PROPN" and tok.is_sent_start:
            return None  # "Most of the victims ...": capitalised because it starts the sentence
        return self._name_span(tok, ent, mode)

    def _entity_span(self, ent: Any, mode: Mode) -> tuple[int, int, bool] | None:
        """A place entity without its article and possessive ending."""
        doc = self.doc
        start, end = ent.start, ent.end
        while start < end - 1 and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        if end - 1 > start and doc[end - 1].text in ("'s", "’s", "'"):
            end -= 1
        while end - 1 > start and doc[end - 1].pos_ in _TRAILING and doc[end - 1].is_lower:
            end -= 1  # "the East on Monday" tagged as "the East on": not "On", Belgium
        if not _named(doc[start:end]) or self._owned_site(doc[start:end].text):
            return None
        if not any(t.pos_ == "PROPN" for t in doc[start:end]):
            return start, end, True  # "Angolan": an adjective, only if the gazetteer knows it
        return start, end, mode == "known" or (mode == "hit" and ent.label_ == "FAC")

    def _name_span(self, tok: Token, ent: Any, mode: Mode) -> tuple[int, int, bool] | None:
        """The proper-noun chain ending at ``tok``, under no entity label or a wrong one: a
        place where the gazetteer knows it (the small places too, where the syntax says a
        place is meant) or where the syntax alone says so (see :data:`Mode`)."""
        doc = self.doc
        start = _chain_start(tok)
        while start < tok.i and not (
            doc[start].text[:1].isupper() or doc[start].lower_ in PARTICLES
        ):
            start += 1
        end = tok.i + 1
        site = ent is not None and ent.label_ == "ORG" and _is_site(ent.text)
        if ent is not None and (ent.start < start or ent.end > end):
            if mode == "locative" and site:
                return ent.start, ent.end, False
            if not (mode == "name" and ent.label_ == "PERSON" and ent.end == end):
                return None
            start = min(start, ent.start)
        text = doc[start:end].text
        if self._known(text):
            return start, end, True
        if tok.pos_ != "PROPN" or _acronym(text):
            return None
        if ent is None and mode in ("locative", "hit", "name"):
            return start, end, False
        if mode == "locative" and site:
            return start, end, False
        if mode in ("locative", "hit") and self._known_town(text):
            return start, end, True  # "captured Kafr Nabl" tagged ORG
        # "the town of X" under any of these labels; "in X" as a person (people are not where
        # things happen: "in Kafr Qasem" is a town the small model does not know)
        if (
            ent is not None
            and ent.label_ in AREA_NAME_LABELS
            and (mode == "name" or (mode == "locative" and ent.label_ == "PERSON"))
        ):
            return start, end, False
        return None

    def _known_town(self, text: str) -> bool:
        return any(self.gaz.town_candidates(variant) for variant, _ in _variants(text))

    def _inside_name(self, tok: Token, last_too: bool = False) -> bool:
        """True inside the name of an organisation, a person or a work that the gazetteer
        does not know ("the Islamic State *in* Iraq and Syria")."""
        ent = self._ents.get(tok.i)
        if ent is None or ent.label_ not in MISLABELLED:
            return False
        if tok.i == ent.end - 1 and not last_too:
            return False
        return not self._known(ent.text)

    def _owned_site(self, text: str) -> bool:
        """ "the United States Consulate", "the Russian Embassy": a site named after the
        country that owns it, not a place name."""
        words = _strip_determiner(text).split()
        if len(words) < 2 or words[-1].lower() not in FACILITIES:
            return False
        cands = self.gaz.candidates(" ".join(words[:-1]))
        return bool(cands) and cands[0].entry.kind == "country"

    def _known(self, text: str) -> bool:
        if "." in text and len(text) <= 6:
            cands = self.gaz.candidates(text)
            return bool(cands) and cands[0].entry.kind == "country"
        return any(self.gaz.candidates(variant) for variant, _ in _variants(text))

    def _fits(self, text: str, qualifier: GeoEntry) -> bool:
        """Whether ", <qualifier>" after ``text`` qualifies it (not "the US, Britain and ...")."""
        for variant, _ in _variants(text):
            cands = self.gaz.candidates(variant)
            if cands:
                return any(c.entry.kind == "city" or _qualifies(c.entry, qualifier) for c in cands)
        return True

    def _qualifier_after(self, end: int) -> tuple[GeoEntry | None, int]:
        """'Paris, Texas', 'Tripoli, Lebanon', 'Birmingham, Ala.': the region after a comma;
        or a division or country after "in" ("Kalehe in South Kivu", "Kuriga, in Kaduna")."""
        doc = self.doc
        j = end + 1 if end < len(doc) and doc[end].text == "," else end
        within = j < len(doc) and doc[j].lower_ == "in"
        if within:
            j += 1
            if j < len(doc) and doc[j].lower_ == "the":
                j += 1
        if j == end or j >= len(doc):
            return None, end
        stop = j
        while stop < len(doc) and stop - j < 4:
            t = doc[stop]
            if not t.text[:1].isupper() or "\n" in t.text_with_ws:
                if t.text[:1].isupper():
                    stop += 1
                break
            stop += 1
        for k in range(stop, j, -1):
            found = self.gaz.qualifier(doc[j:k].text, divisions=k == stop)
            if found is not None and not (within and found.kind not in CONTAINER_KINDS):
                return found, k
        return None, end

    def _kind_hint(self, start: int, end: int, head: Token) -> frozenset[str]:
        doc = self.doc
        after = doc[end].lower_ if end < len(doc) else ""
        before = [t.lower_ for t in doc[max(0, start - 2) : start]]
        of_before = before[0] if len(before) == 2 and before[1] == "of" else ""
        if (
            _state_cue(doc, end)
            or of_before in ("state", "governor")
            or (head.dep_ in ("compound", "poss") and head.head.lower_ in STATE_CUES)
        ):
            return frozenset({"admin1"})
        if of_before in COUNTRY_WORDS:
            return frozenset({"country"})
        if after in ADMIN_WORDS or of_before in ADMIN_WORDS:
            return frozenset({"admin1", "admin2", "region"})
        if after in CITY_WORDS or of_before in CITY_WORDS:
            return frozenset({"city"})
        return frozenset()

    def _resolve(
        self, text: str, kinds: frozenset[str], qualifier: GeoEntry | None
    ) -> GeoEntry | None:
        entry = self._lookup(text, kinds, qualifier)
        if "admin1" in kinds and (entry is None or entry.kind != "admin1"):
            # "in Kaduna state": the state, not its capital city of the same name
            country = entry.country if entry is not None else None
            state = self._division(text, country or (qualifier.country if qualifier else None))
            return state or entry
        return entry

    def _division(self, text: str, country: str | None) -> GeoEntry | None:
        """The first-level division of the towns table named ``text`` (in ``country``)."""
        for variant, _ in _variants(text):
            for cand in self.gaz.town_candidates(variant):
                e = cand.entry
                if e.kind == "admin1" and (country is None or e.country == country):
                    return e
        return None

    def _lookup(
        self, text: str, kinds: frozenset[str], qualifier: GeoEntry | None
    ) -> GeoEntry | None:
        for lookup in (self.gaz.candidates, self.gaz.town_candidates):
            for variant, extra in _variants(text):
                cands = lookup(variant)
                if not cands:
                    continue
                entry = choose(
                    cands,
                    self.context,
                    self.gaz,
                    key=normalize_name(variant),
                    kinds=kinds | extra,
                    qualifier=qualifier,
                )
                if entry is not None or qualifier is None:
                    return entry
                break  # "Paris, Tennessee": no big Paris fits; a small one may
        return None

    # -- where the phrase around a token places things ---------------------------------

    def np_places(
        self, tok: Token, mode: Mode, level: int, group: int, depth: int = 0, own_ok: bool = True
    ) -> list[_Found]:
        """Places in the noun phrase headed by ``tok``, best first: its own name; for an area
        or a site its name before it, then after "of", then its container ("the *Kafr Souseh*
        area of Damascus", "the town *of* Remolinos", "*Baghdad's* district"; a country before
        a site owns it: "a U.S. base"); then places further in ("a market *in* Mogadishu")."""
        if depth > 4:
            return []
        own = self.place_at(tok, mode, level, group) if own_ok else None
        lemma = _lemma(tok)
        # "The Islamic State claimed": an area word inside an organisation's name is no area.
        named = self._inside_name(tok, last_too=True)
        area = lemma in AREAS and not named
        site = lemma in FACILITIES and not named
        names: list[_Found] = [] if own is None else [own]
        found: list[_Found] = []
        later: list[_Found] = []
        for child in tok.children:
            dep = child.dep_
            if dep == "prep" and not self._inside_name(child):
                word = child.lower_
                if word == "of" and area:
                    for obj in _objects(child):
                        found.extend(self.np_places(obj, "name", level, group, depth + 1))
                elif word in LOCATIVE_PREPS or (word in ON_PREPS | TO_PREPS and (area or site)):
                    for obj in _objects(child):
                        later.extend(self.np_places(obj, "locative", level, group, depth + 1))
            elif own is not None:
                if dep == "conj":
                    later.extend(self.np_places(child, mode, level, group, depth + 1))
                elif dep == "appos":
                    later.extend(self.np_places(child, "locative", level, group, depth + 1))
            elif (area or site) and dep in ("compound", "amod", "nmod") and child.i < tok.i:
                # "the Amriya district" names the district; "a U.S. base" does not.
                name = self.place_at(child, "name", level, group)
                if name is not None and not (site and _is_country(name)):
                    names.append(name)
            elif (area or site) and dep == "poss":
                # "Baghdad's Amriya district", "Kabul's airport"; not "Russia's ministry"
                container = self.place_at(child, "known", level, group)
                if container is not None and (area or not _is_country(container)):
                    later.append(container)
            elif dep == "appos" and (area or site or _lemma(child) in AREAS):
                later.extend(self.np_places(child, "name", level, group, depth + 1))
        return names + found + later

    def own_places(self, tok: Token, level: int, depth: int = 0) -> list[_Found]:
        """Places the trigger itself is tied to (step 1 of the module docstring)."""
        found: list[_Found] = []
        lemma = _lemma(tok)
        is_noun = tok.pos_ in ("NOUN", "PROPN")
        carried = {_lemma(c) for c in tok.children if c.dep_ in ("dobj", "attr")}
        for child in tok.children:
            dep = child.dep_
            if dep == "prep" and not self._inside_name(child):
                word = child.lower_
                for obj in _objects(child):
                    olemma = _lemma(obj)
                    if word in SHARED_PREPS and olemma in EVENT_NOUNS and depth < 2:
                        found.extend(self.own_places(obj, level, depth + 1))
                    if (
                        word in LOCATIVE_PREPS
                        or (word in TO_PREPS and lemma in MOTION)
                        or (word in ON_PREPS and (lemma in ASSAULT or bool(carried & ASSAULT)))
                        or (word in ON_PREPS and (olemma in AREAS or olemma in FACILITIES))
                        or (word == "of" and is_noun and lemma in SEIZE)
                    ):
                        found.extend(self.np_places(obj, "locative", level, self._group(obj)))
            elif dep in ("dobj", "nsubjpass") and not is_noun and lemma in HITS:
                mode: Mode = "locative" if lemma in PLACE_OBJECT else "hit"
                found.extend(self.np_places(child, mode, level, self._group(child)))
            elif dep in ("acomp", "oprd") and depth < 2:
                # "shot dead in X", "found dead near Y"
                found.extend(
                    f for f in self.own_places(child, level, depth + 1) if f.level == level
                )
            elif dep in ("compound", "nmod", "amod") and is_noun and lemma in LOCATABLE:
                inner = self.place_at(child, "known", level, self._group(child))
                if inner is not None:
                    found.append(inner)
            elif dep in ("advmod", "npadvmod") and child.lower_ in DIRECTIONS:
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        for obj in _objects(prep):
                            found.extend(
                                self.np_places(obj, "locative", level + 1, self._group(obj))
                            )
        where = self._where_clause(tok)
        if where is not None:
            found.extend(self.np_places(where, "locative", level, self._group(where)))
        return found

    def argument_places(self, tok: Token, level: int) -> list[_Found]:
        """Places of the trigger's participants (step 2 of the module docstring): what their
        phrases locate ("protesters *in Tbilisi*", "warehouses *in Atmeh*"), never the
        participants themselves ("*Moscow* said")."""
        found: list[_Found] = []
        lemma = _lemma(tok)
        for child in tok.children:
            dep = child.dep_
            if dep == "agent":
                args = _objects(child)
            elif dep in ("nsubj", "nsubjpass", "dobj", "attr"):
                args = [child, *(c for c in child.children if c.dep_ == "conj")]
            else:
                continue
            clemma = _lemma(child)
            if dep in ("dobj", "attr") and clemma in EVENT_NOUNS:
                if lemma not in CARRIERS:
                    continue
                found.extend(self.own_places(child, level))
            for arg in args:
                found.extend(self.np_places(arg, "locative", level, self._group(arg), own_ok=False))
                for clause in arg.children:
                    if clause.dep_ == "acl" and clause.tag_ in ("VBG", "VBN"):
                        # "a bus carrying pilgrims in the town of Taji"
                        for prep in clause.children:
                            if prep.dep_ == "prep" and prep.lower_ in LOCATIVE_PREPS:
                                for obj in _objects(prep):
                                    found.extend(
                                        self.np_places(obj, "locative", level, self._group(obj))
                                    )
            if dep == "nsubj" and lemma == "host":
                host = self.place_at(child, "known", level, self._group(child))
                if host is not None:
                    found.append(host)
        return found

    def _where_clause(self, tok: Token) -> Token | None:
        """The noun a "where" clause containing ``tok`` describes."""
        cur = tok
        for _ in range(4):
            if cur.dep_ == "relcl":
                if any(c.lower_ == "where" for c in cur.children if c.dep_ == "advmod"):
                    return cur.head
                return None
            if cur.dep_ not in ("conj", "xcomp", "advcl", "dobj", "nsubj", "nsubjpass", "pobj"):
                return None
            cur = cur.head if cur.dep_ != "pobj" else cur.head.head
        return None

    # -- the trigger ---------------------------------------------------------------------

    def governors(self, tok: Token) -> Iterator[Token]:
        """The clause heads whose place the trigger shares (step 3 of the module docstring)."""
        cur = tok
        for _ in range(2):
            dep = cur.dep_
            head = cur.head
            if head.i == cur.i:
                return
            if dep in ("conj", "xcomp") or (dep == "advcl" and _same_scene(cur, upward=True)):
                cur = head
            elif dep in ("dobj", "nsubj", "nsubjpass", "attr") and cur.pos_ in ("NOUN", "PROPN"):
                if _lemma(head) not in CARRIERS:
                    return
                cur = head
            elif dep == "pobj" and head.dep_ == "prep" and head.head.i != head.i:
                cur = head.head
            else:
                return
            yield cur

    def side_clauses(self, tok: Token) -> Iterator[Token]:
        """Clauses hanging on the trigger that happen where it happens: "killed six and
        *wounded* eight in X", "shot while *driving* in X"."""
        for child in tok.children:
            coordinated = child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")
            if (coordinated and _elliptical(child)) or (
                child.dep_ == "advcl" and _same_scene(child)
            ):
                yield child

    def find(self, trigger: Token) -> _Found | None:
        self.anchor = trigger.i
        found = self.own_places(trigger, 1) + self.argument_places(trigger, 2)
        if not found:
            for clause in self.side_clauses(trigger):
                found.extend(self.own_places(clause, 3) + self.argument_places(clause, 3))
        if not found:
            for head in self.governors(trigger):
                found = self.own_places(head, 4) + self.argument_places(head, 4)
                if found:
                    break
        if not found:
            return None
        best = min(
            found,
            key=lambda f: (-f.specificity, f.level, f.distance, f.order),
        )
        if best.entry is None and best.qualifier is None:
            container = next(
                (f.entry for f in found if f.group == best.group and f.entry is not None), None
            )
            if container is not None:
                best = replace(best, qualifier=container)
        return best


def _lemma(tok: Token) -> str:
    """The token's lemma, with a fallback for the lemmatiser's misses ("raged" -> "rag")."""
    lemma = str(tok.lemma_).lower()
    low = str(tok.lower_)
    if lemma == low or lemma in _VOCAB:
        return lemma
    for cut, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("d", ""), ("s", "")):
        if low.endswith(cut) and low[: -len(cut)] + add in _VOCAB:
            return low[: -len(cut)] + add
    return lemma


def _chain_start(tok: Token) -> int:
    """First token of the proper-noun compound ending at ``tok`` ("Khan" in "Khan Younis")."""
    start = int(tok.i)
    for child in tok.lefts:
        if child.dep_ == "compound" or (child.dep_ == "amod" and child.pos_ == "PROPN"):
            start = min(start, _chain_start(child))
    return start


AREA_NAME_LABELS = frozenset({"PERSON", "ORG"})
"""Labels the small model puts on the name of an area ("the town of *Beit Ummar*" as an
organisation, "the *Amriya* district" as a person): the area word says it is a place."""


def _may_mislabel(label: str, mode: Mode) -> bool:
    """Whether a name under entity ``label`` can still be a place in ``mode``: labels of
    :data:`MISLABELLED` and nationalities ("Kidal" tagged NORP) where the syntax says a place
    is meant; as the object of a verb that takes people too ("captured X"), any label but a
    person's. Outside "name" mode the gazetteer must then know the name."""
    if mode == "hit":
        return label != "PERSON"
    return label in MISLABELLED or (label == "NORP" and mode in ("locative", "name"))


def _elliptical(verb: Token) -> bool:
    """A coordinated verb that shares its head's clause: no subject of its own ("killed six
    and *wounded* eight"), or a bare passive participle ("two were killed and four
    *wounded*"); not a new clause ("..., and he *moved* to London")."""
    deps = {c.dep_ for c in verb.children}
    if not deps & {"nsubj", "nsubjpass"}:
        return True
    return bool(verb.tag_ == "VBN" and not deps & {"aux", "auxpass"})


def _same_scene(clause: Token, upward: bool = False) -> bool:
    """An adverbial clause that happens where its head happens: a bare participle ("...,
    killing nine") or one introduced by "when" or "as"; "while" too, looking down from the
    head ("shot while driving in X"), but not up ("protested in X while others gathered")."""
    marks = [c.lower_ for c in clause.children if c.dep_ == "mark"]
    if not marks:
        return bool(clause.tag_ in ("VBG", "VBN"))
    return marks[0] in (("when", "as") if upward else ("when", "as", "while", "whilst"))


def _named(span: Any) -> bool:
    """A span that names something: a capital letter, not just "the Chinese Embassy"."""
    if not any(c.isupper() for c in span.text):
        return False
    return not all(
        t.ent_type_ == "NORP" or t.lower_ in FACILITIES or t.is_punct or t.lower_ == "the"
        for t in span
    )


def _is_country(found: _Found) -> bool:
    return found.entry is not None and found.entry.kind == "country"


def _acronym(text: str) -> bool:
    """An unknown all-capitals short word ("LGA", "SAA") names an organisation, not a place."""
    letters = [c for c in text if c.isalpha()]
    return 0 < len(letters) <= 5 and all(c.isupper() for c in letters)


def _is_site(text: str) -> bool:
    words = text.lower().split()
    return bool(words) and words[-1] in FACILITIES


def _objects(prep: Token) -> list[Token]:
    """The objects of a preposition, through "outside of", "close to", "in front of"."""
    out: list[Token] = []
    for child in prep.children:
        if child.dep_ == "pobj":
            out.append(child)
            out.extend(c for c in child.children if c.dep_ == "conj")
        elif child.dep_ == "prep":
            out.extend(_objects(child))
    return out


def _variants(text: str) -> Iterator[tuple[str, frozenset[str]]]:
    """The name as written, then without direction words and descriptors."""
    text = _strip_determiner(text)
    yield text, frozenset()
    words = text.split()
    while len(words) > 1 and words[0].lower() in DIRECTIONS:
        words = words[1:]
        yield " ".join(words), frozenset()
    if len(words) > 1 and words[-1].lower() in ADMIN_WORDS:
        yield " ".join(words[:-1]), frozenset({"admin1", "admin2", "region"})
    if len(words) > 1 and words[-1].lower() in CITY_WORDS:
        yield " ".join(words[:-1]), frozenset({"city"})
    if len(words) > 1 and words[-1].lower() in FACILITIES:
        yield " ".join(words[:-1]), frozenset({"city"})  # "Kabul airport" is in Kabul


def _place(doc: Doc, found: _Found) -> Place:
    span = doc[found.start : found.end]
    start, end = span.start_char, span.end_char
    text = span.text  # not doc.text[...]: that joins the whole document, once per place
    if end - start > 4 and text[-1] == "." and text[-2].islower():
        end -= 1  # "Akhtarin." at the end of a sentence
        text = text[:-1]
    entry = found.entry
    if entry is not None:
        return _entry_place(entry, text, start, end)
    q = found.qualifier
    name = _strip_determiner(re.split(r",|\s+in\s+", text)[0])
    return Place(
        name=name,
        text=text,
        country=None if q is None else q.country,
        admin1=None if q is None else q.admin1,
        lat=None,
        lon=None,
        start=start,
        end=end,
        precision="finer",
    )


PRECISION: Mapping[str, PlacePrecision] = MappingProxyType(
    {"country": "country", "admin1": "admin1", "admin2": "admin2", "city": "city"}
)
"""Gazetteer kinds -> how precise the place is (GDELT's Geo_Type); regions and seas: None."""


def _entry_place(entry: GeoEntry, text: str, start: int, end: int) -> Place:
    return Place(
        name=entry.name,
        text=text,
        country=entry.country,
        admin1=entry.admin1,
        lat=entry.lat,
        lon=entry.lon,
        start=start,
        end=end,
        precision=PRECISION.get(entry.kind),
        feature_id=entry.geonameid,
    )


def place_for_trigger(
    doc: Doc, trigger_head: int, gazetteer: Gazetteer, context: PlaceContext
) -> Place | None:
    """Where the event whose trigger head is token ``trigger_head`` of ``doc`` happened.

    Reads only the trigger's sentence (see the module docstring); None when the sentence
    does not say.
    """
    return _place_with(_Reader(doc, gazetteer, context), trigger_head)


def _place_with(reader: _Reader, trigger_head: int) -> Place | None:
    doc = reader.doc
    if not 0 <= trigger_head < len(doc):
        raise ValueError(f"trigger_head {trigger_head} is outside the document ({len(doc)} tokens)")
    found = reader.find(doc[trigger_head])
    return None if found is None else _place(doc, found)


PAIRING_WINDOW = 12
"""How many tokens from its trigger a locative phrase may be to win over a place named
elsewhere in the sentence (see :func:`_paired_place`)."""


def _pairing_tier(tok: Token) -> int | None:
    """How well a place name at ``tok`` can stand for where its sentence's events happened:
    0 the object of a locative preposition, 1 a modifier or the object of another
    preposition ("*Sarajevo's* streets", "his *Moscow* home", "the streets of *X*"); None
    when the name is a participant (subject, object, "with X") or stands anywhere else (a
    weaker signal that placed more rows without a gold place than it got right)."""
    cur = tok
    while cur.dep_ in ("conj", "appos", "compound", "flat") and cur.head.i != cur.i:
        cur = cur.head
    dep = cur.dep_
    if dep == "pobj":
        word = cur.head.lower_
        if word in LOCATIVE_PREPS:
            return 0
        if word == "of" and cur.head.head.ent_type_ == "PERSON":
            return None  # "Erland Almaas of Norway": where a person is from
        return None if word in ACTOR_PREPS else 1
    if dep == "poss":
        return 1
    if dep in ("nmod", "amod", "compound", "npadvmod"):
        # "his Moscow home", "the Gaza crossing"; not "U.S. troops", "a US-run prison"
        return 1 if _lemma(cur.head) in AREAS | FACILITIES else None
    return None


def _pairing_mode(tok: Token) -> Mode:
    """Place entities may be towns or unknown names; other words only names the gazetteer's
    main table knows."""
    return "locative" if tok.ent_type_ in PLACE_LABELS else "known"


def _plausible(reader: _Reader, tok: Token, found: _Found) -> bool:
    """A name outside a locative phrase under a person's label is a place only when it is a
    one-word name of a large place ("Kyiv" tagged PERSON, not "Hamid")."""
    if tok.ent_type_ != "PERSON":
        return True
    entry = found.entry
    return found.end - found.start == 1 and entry is not None and entry.population >= PERSON_PLACE


def _paired_place(reader: _Reader, trigger_head: int) -> Place | None:
    """When no syntactic relation places the event: a scored pairing with the places its
    sentence names. A locative phrase ("in X", "near X" hung elsewhere by the parser) within
    :data:`PAIRING_WINDOW` tokens wins, the closest first (after the trigger before before
    it); then the places the sentence names as modifiers or in other phrases
    (:func:`_pairing_tier`), the finest first, then the nearest. A name that acts
    (subject, object, "talks with X") is never taken."""
    doc = reader.doc
    sent = doc[trigger_head].sent
    best: tuple[tuple[int, int, int, int], _Found] | None = None
    seen: set[int] = set()
    for tok in sent:
        tier = _pairing_tier(tok)
        if tier is None or tok.i in seen or reader._inside_name(tok, last_too=tier > 0):
            continue
        distance = abs(tok.i - trigger_head)
        group = reader._group(tok)
        if tier == 0:
            places = reader.np_places(tok, "locative", 9, group)
            if distance > PAIRING_WINDOW:
                tier = 1
        else:
            one = reader.place_at(tok, _pairing_mode(tok), 9, group)
            places = [] if one is None or not _plausible(reader, tok, one) else [one]
        if not places:
            continue
        found = places[0]
        seen.update(range(found.start, found.end))
        near = 0 if tier == 0 else -found.specificity  # past the window, the finest place
        score = (tier, near, distance, 0 if tok.i > trigger_head else 1)
        if best is None or score < best[0]:
            best = (score, found)
    return None if best is None else _place(doc, best[1])


WIDE: frozenset[PlacePrecision | None] = frozenset({"country", "admin1", None})
"""Precisions a place the pairing finds inside may refine: a country, an admin1 division, a
region or a sea."""

FINENESS: Mapping[PlacePrecision | None, int] = MappingProxyType(
    {None: 0, "country": 0, "admin1": 1, "admin2": 2, "city": 3, "finer": 3}
)


def _finer(place: Place | None, paired: Place | None) -> Place | None:
    """The syntax's place, or a finer one the pairing found inside it ("killed in Syria,
    near the town of X" with "near X" hung elsewhere by the parser): the finest place wins
    when it lies in the same country (and admin1, when both name one)."""
    if place is None or paired is None:
        return paired if place is None else place
    if FINENESS[paired.precision] <= FINENESS[place.precision] or paired.country is None:
        return place
    if paired.country != place.country:
        return place
    inside = place.precision != "admin1" or paired.admin1 in (None, place.admin1)
    return paired if inside else place


# ---------------------------------------------------------------------------------------
# Datelines


@dataclass(frozen=True, slots=True)
class Dateline:
    """The place an article is filed from ("KYIV, May 3 (Reuters) -")."""

    place: Place


def find_dateline(doc: Doc, gazetteer: Gazetteer, context: PlaceContext) -> Dateline | None:
    """The dateline at the very start of the document, when it names a known place."""
    m = dateline_in(doc.text)
    if m is None:
        return None
    raw = m.place
    qual_text = m.qualifier
    qualifier = gazetteer.qualifier(qual_text) if qual_text else None
    cands = gazetteer.candidates(raw)
    entry = choose(cands, context, gazetteer, key=normalize_name(raw), qualifier=qualifier)
    if entry is None and qualifier is not None:
        entry = choose(cands, context, gazetteer, key=normalize_name(raw))
    if entry is None:
        return None
    start = m.place_start
    end = start + len(raw)
    return Dateline(_entry_place(entry, doc.text[start:end], start, end))


def _abroad(draft: EventDraft, doc: Doc, dateline: Dateline, gazetteer: Gazetteer) -> bool:
    """True when the event clearly happened outside the dateline's country."""
    home = dateline.place.country
    if home is None:
        return True
    countries = {a.country for a in (*draft.source, *draft.target) if a.country}
    if countries and home not in countries:
        return True
    sent = doc[draft.trigger_head].sent
    for ent in sent.ents:
        if ent.label_ not in PLACE_LABELS or ent.start_char < (dateline.place.end or 0):
            continue
        text = _strip_determiner(ent.text)
        country = dominant_country(gazetteer.candidates(text))
        if country is not None and country != home:
            return True
    return False


# ---------------------------------------------------------------------------------------
# The stage


def place_events(
    drafts: Sequence[EventDraft],
    doc: Doc,
    gazetteer: Gazetteer | None = None,
    *,
    use_dateline: bool = True,
) -> list[EventDraft]:
    """Fill ``location`` of every draft that has none (``dataclasses.replace``), in order.

    The article's context is built once from ``doc`` and the drafts' actors.
    """
    gaz = gazetteer if gazetteer is not None else load_gazetteer()
    actor_countries = [
        a.country for d in drafts for a in (*d.source, *d.target) if a.country is not None
    ]
    context = PlaceContext.from_doc(doc, gaz, actor_countries)
    dateline = find_dateline(doc, gaz, context) if use_dateline else None
    reader = _Reader(doc, gaz, context)
    out: list[EventDraft] = []
    for draft in drafts:
        if draft.location is not None:
            out.append(draft)
            continue
        place = _place_with(reader, draft.trigger_head)
        if place is None or place.precision in WIDE:
            place = _finer(place, _paired_place(reader, draft.trigger_head))
        if place is None and dateline is not None and not _abroad(draft, doc, dateline, gaz):
            place = dateline.place
        out.append(draft if place is None else replace(draft, location=place))
    log.debug("where: %d of %d events placed", sum(d.location is not None for d in out), len(out))
    return out
