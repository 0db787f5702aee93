"""Stage 4: find the actors named in a parsed article and resolve them.

Every noun phrase that names an actor becomes a :class:`~dyad.draft.Mention` whose actors
carry country, sectors, organisation, person name and office. The evidence comes from four
places, in this order of strength:

1. the knowledge base: country names, adjectives and demonyms, capitals and seats of power,
   organisations (``actors/data/*.yaml``), and people with their offices by date
   (``actors/data/offices*``);
2. the noun phrase around a name: titles ("Foreign Minister"), possessives ("China's top
   diplomat"), appositions ("..., Wang Yi,"), "of" phrases ("the president of Iran"), sector
   nouns ("police", "rebels", "customs") and their modifiers;
3. office holders by date: "the Russian president" in a 2009 article is Dmitry Medvedev;
4. the article so far: later mentions ("Lavrov", "the minister", "the two countries", "both
   sides", "its northern neighbour", "they") resolve to actors introduced earlier. Nothing
   looks ahead, and nothing outside the article is consulted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from dyad.actors.extent import phrase_extent
from dyad.actors.generic import load_generic
from dyad.actors.kb import KnowledgeBase, load_kb
from dyad.actors.offices import Offices, Person, load_offices
from dyad.actors.phrases import Label, phrase_table
from dyad.clean import find_dateline
from dyad.draft import Mention, MentionKind
from dyad.events.words import load_word_lists
from dyad.model import Actor
from dyad.parse import conjuncts, load_nlp

log = logging.getLogger(__name__)

WORDS_FILE = Path(__file__).parent / "data" / "words.yaml"
_WORDS = load_word_lists(
    WORDS_FILE,
    (
        "pronouns_plural",
        "pronouns_neuter",
        "pronouns_person",
        "reference_country",
        "reference_person",
        "neighbour",
        "generic_heads",
        "group_nouns",
        "dual",
        "country_nouns",
        "standalone_nouns",
        "affiliation_sectors",
        "relational_nouns",
    ),
)

# Dependency labels of the words that belong to a noun phrase to the left of its head.
_NP_LEFT = frozenset(
    {"det", "predet", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "punct"}
)
_NOMINAL = frozenset({"NOUN", "PROPN", "PRON"})
_PRONOUNS_PLURAL = _WORDS["pronouns_plural"]
_PRONOUNS_NEUTER = _WORDS["pronouns_neuter"]
_PRONOUNS_PERSON = _WORDS["pronouns_person"]
# Nouns that stand for an actor introduced earlier when used with "the", "both", "two", "its".
_REFERENCE_COUNTRY = _WORDS["reference_country"]
_REFERENCE_PERSON = _WORDS["reference_person"]
_NEIGHBOUR = _WORDS["neighbour"]
# Heads that carry no actor meaning of their own: their modifiers may still name one
# ("Chinese customs data" -> Chinese customs).
_GENERIC_HEADS = _WORDS["generic_heads"]
# Group nouns that turn an organisation name into a group actor ("other G7 nations").
_GROUP_NOUNS = _WORDS["group_nouns"]
_DUAL = _WORDS["dual"]
# Sectors that make an actor only together with a name: "an alliance", "the agency".
_NAMED_ONLY_SECTORS = frozenset({"IGO", "NGO", "GOV", "BUS", "MED", "PTY"})
# Reference nouns that stand for countries (not organisations or people).
_COUNTRY_NOUNS = _WORDS["country_nouns"]
# Sector nouns that name an actor on their own: "the authorities", "officials".
_STANDALONE_NOUNS = _WORDS["standalone_nouns"]
# Modifier sectors that say whose side someone is on: "rebel commanders" are REB.
_AFFILIATION_SECTORS = _WORDS["affiliation_sectors"]
RELATIONAL_NOUNS = _WORDS["relational_nouns"]
"""Nouns whose named possessor is the other party: "Ukraine's allies" are not Ukraine."""


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    kind: str  # country adjective demonym capital seat org person person_weak title sector
    key: str
    sector: str | None

    @property
    def length(self) -> int:
        return self.end - self.start


_COUNTRY_KINDS = frozenset({"country", "adjective", "demonym", "capital", "seat"})


@dataclass(slots=True)
class _NounPhrase:
    """What one noun phrase's words say, while :meth:`ActorResolver._resolve_np` works."""

    start: int
    inside: Sequence[_Match]
    person: Person | None
    org: _Match | None
    country_match: _Match | None
    title: _Match | None
    sectors: tuple[str, ...]
    strong: bool
    country: str | None
    name: str | None = None
    role: str | None = None
    kind: MentionKind = "name"

    def signals(self) -> bool:
        """Does anything in the phrase name a person, country, organisation or sector?"""
        return bool(
            self.person is not None
            or self.country is not None
            or self.org is not None
            or self.title is not None
            or self.sectors
        )


@dataclass(slots=True)
class _History:
    """What the article has said so far: the basis for resolving later references."""

    mentions: list[Mention] = field(default_factory=list)
    groups: list[tuple[Mention, ...]] = field(default_factory=list)
    people: dict[str, Actor] = field(default_factory=dict)  # canonical name -> last actor
    surnames: dict[str, Actor] = field(default_factory=dict)  # last name word -> actor
    floor: int = 0
    """First token after a wire dateline: nothing before it names an actor."""


class ActorResolver:
    """Finds actor mentions in parsed docs. Build once per process (:func:`get_resolver`)."""

    def __init__(self, kb: KnowledgeBase, offices: Offices) -> None:
        self.kb = kb
        self.offices = offices
        exact: dict[Label, list[str]] = {}
        lower: dict[Label, list[str]] = {}

        def add(text: str, case_sensitive: bool, kind: str, key: str, sector: str | None) -> None:
            target = exact if case_sensitive else lower
            target.setdefault((kind, key, sector or None), []).append(text)

        for alias in kb.aliases():
            add(alias.text, alias.case_sensitive, alias.kind, alias.key, alias.sector)
        for text, person, weak in offices.names():
            add(text, True, "person_weak" if weak else "person", person.name, None)
        for title in offices.titles():
            add(title, False, "title", title, None)
        for sector in kb.sectors.values():
            for noun in (*sector.nouns, *sector.weak_nouns):
                if " " in noun or "-" in noun:
                    add(noun, False, "sector", sector.code, sector.code)
        for phrase in kb.non_actor_phrases():
            # "Gulf of Guinea", "Latin America": a longer match that names no actor
            add(phrase, False, "block", phrase, None)
        # compiled once into the table cache (a PhraseMatcher's matches, in its order)
        self._phrases = phrase_table(load_nlp(), exact, lower)

    # -- matching ---------------------------------------------------------------------------

    def _matches(self, doc: Doc) -> list[_Match]:
        found = [
            _Match(start, end, kind, key, sector)
            for start, end, (kind, key, sector) in self._phrases.find(doc)
        ]
        blocks = [m for m in found if m.kind == "block"]
        if blocks:  # "Gulf of Guinea", "Latin America": nothing inside names an actor
            found = [
                m
                for m in found
                if m.kind == "block"
                or not any(b.start <= m.start and m.end <= b.end for b in blocks)
            ]
        return found

    # -- public ----------------------------------------------------------------------------

    def find(
        self, doc: Doc, published: date | None, headings: Sequence[tuple[int, int]] = ()
    ) -> tuple[Mention, ...]:
        """All actor mentions of the doc, in text order, references resolved."""
        matches = self._matches(doc)
        by_token: dict[int, list[_Match]] = {}
        for m in matches:
            for i in range(m.start, m.end):
                by_token.setdefault(i, []).append(m)
        history = _History()
        out: list[Mention] = []
        dateline = find_dateline(doc.text)
        if dateline is not None:
            # "PRETORIA, Nov 15 (Wire) -" says where the story was filed: no actor there
            floor = next((t.i for t in doc if t.idx >= dateline.end), len(doc))
            by_token = {i: ms for i, ms in by_token.items() if i >= floor}
            history.floor = floor
        for s_index, sent in enumerate(doc.sents):
            if any(h0 <= sent.start_char and sent.end_char <= h1 + 1 for h0, h1 in headings):
                continue
            sentence_mentions = self._sentence(doc, sent, s_index, by_token, published, history)
            out.extend(sentence_mentions)
        return tuple(out)

    # -- one sentence ------------------------------------------------------------------------

    def _sentence(
        self,
        doc: Doc,
        sent: Span,
        s_index: int,
        by_token: dict[int, list[_Match]],
        published: date | None,
        history: _History,
    ) -> list[Mention]:
        appos_host = _appos_hosts(sent)
        mentions: dict[int, Mention] = {}
        before = len(history.mentions)
        # names, titles and groups first; pronouns once the sentence's groups are known
        # ("Lavrov and Wang met in Moscow, where they ...")
        for tok in sent:
            if tok.i < history.floor or tok.pos_ == "PRON" or not _is_np_head(tok, by_token):
                continue
            mention = self._resolve_np(doc, tok, s_index, by_token, published, history, appos_host)
            if mention is not None:
                mentions[tok.i] = mention
                history.mentions.append(mention)
        self._modifiers(doc, sent, s_index, by_token, mentions, history)
        # appositions name the same actor as their host: "China's top diplomat, Wang Yi,"
        for app, host in appos_host.items():
            if app in mentions and host in mentions:
                merged = _merge_appos(mentions[host], mentions[app])
                if merged is not mentions[host]:
                    mentions[host] = merged
                    mentions[app] = replace(mentions[app], actors=merged.actors)
        del history.mentions[before:]
        history.mentions.extend(sorted(mentions.values(), key=lambda m: m.start))
        self._record_groups(sent, mentions, history)
        for tok in sent:
            if tok.pos_ == "PRON" and _is_np_head(tok, by_token):
                mention = self._pronoun(tok, s_index, history)
                if mention is not None:
                    mentions[tok.i] = mention
                    history.mentions.append(mention)
        for mention in mentions.values():
            for actor in mention.actors:
                if actor.name:
                    history.people[actor.name] = actor
                    history.surnames[actor.name.split()[-1]] = actor
        return sorted(mentions.values(), key=lambda m: (m.start, -m.end))

    def _modifiers(
        self,
        doc: Doc,
        sent: Span,
        s_index: int,
        by_token: dict[int, list[_Match]],
        mentions: dict[int, Mention],
        history: _History,
    ) -> None:
        """'Russian strikes', 'NATO air strikes': a demonym or organisation modifying a noun
        that names no actor is an actor of its own (the coder may take it as a source)."""
        covered = {i for m in mentions.values() for i in range(m.token_start, m.token_end)}
        for tok in sent:
            if tok.dep_ not in ("amod", "compound") or tok.i in covered:
                continue
            if tok.head.i in mentions or tok.head.i < tok.i:
                continue
            found = [
                m
                for m in by_token.get(tok.i, ())
                if m.kind in ("adjective", "org") and m.start <= tok.i < m.end
            ]
            if not found:
                continue
            m = max(found, key=lambda m: m.length)
            if any(i in covered for i in range(m.start, m.end)):
                continue
            span = doc[m.start : m.end]
            if m.kind == "org":
                org = self.kb.organizations.get(m.key)
                if org is None:
                    continue
                actor = Actor(span.text, org.code, org.country, tuple(org.sectors), org=org.key)
            else:
                country = self.kb.country_by_code(m.key)
                if country is None:
                    continue
                actor = Actor(span.text, country.code, country.iso3)
            kind: MentionKind = "demonym" if m.kind == "adjective" else "name"
            mention = _span_mention(span, (actor,), tok.i, s_index, kind, history.floor)
            mentions[tok.i] = mention
            covered.update(range(m.start, m.end))
            history.mentions.append(mention)

    def _record_groups(self, sent: Span, mentions: dict[int, Mention], history: _History) -> None:
        for tok in sent:
            if tok.i not in mentions or tok.dep_ == "conj":
                continue
            members = [mentions[i] for i in _conj_chain(tok) if i in mentions]
            between: list[Mention] = []
            for prep in tok.children:
                if prep.dep_ != "prep" or prep.lower_ != "between":
                    continue
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        between.extend(
                            mentions[t.i] for t in [pobj, *conjuncts(pobj)] if t.i in mentions
                        )
            for group in (members, between):
                actors = {a.code for m in group for a in m.actors}
                if len(group) >= 2 and len(actors) >= 2:
                    history.groups.append(tuple(group))

    # -- one noun phrase -----------------------------------------------------------------------

    def _resolve_np(
        self,
        doc: Doc,
        head: Token,
        s_index: int,
        by_token: dict[int, list[_Match]],
        published: date | None,
        history: _History,
        appos_host: dict[int, int],
    ) -> Mention | None:
        if head.pos_ == "PRON":
            return self._pronoun(head, s_index, history)
        start = max(_np_start(head), history.floor)
        past_owner = _past_named_possessor(head)
        start = max(start, past_owner or 0)
        tokens = range(start, head.i + 1)
        inside = _best_matches(by_token, tokens)
        owner = self._owner(head, by_token)
        # "both sides", "the two countries", "its northern neighbour", "the minister"
        unnamed = not ({m.kind for m in inside} - {"title"})
        if unnamed and _is_reference(head) and owner is None and past_owner is None:
            found = self._reference(head, start, s_index, history, published)
            if found is not None or head.lemma_.lower() not in _STANDALONE_NOUNS:
                return found
        np = self._np_signals(doc, head, start, inside, owner, history)
        if not np.signals():
            return self._known_surname(doc, head, start, s_index, history)
        if self._not_an_actor(head, np):
            return None
        self._identify(doc, head, np, by_token, published)
        code, org_key = self._org_code(head, np)
        if np.country is None and org_key is None and np.person is None and not np.sectors:
            return None
        return self._np_mention(doc, head, s_index, np, by_token, published, code, org_key)

    def _np_signals(
        self,
        doc: Doc,
        head: Token,
        start: int,
        inside: Sequence[_Match],
        owner: _Match | None,
        history: _History,
    ) -> _NounPhrase:
        """What the words of a noun phrase say: person, organisation, country, title, sectors."""
        tokens = range(start, head.i + 1)
        org = next((m for m in inside if m.kind == "org"), None)
        if org is None and owner is not None and owner.kind == "org":
            org = owner  # "a spokesman for the Taliban", "inspectors of the IAEA"
        country_match = next((m for m in inside if m.kind in _COUNTRY_KINDS), None)
        sectors, strong = self._sectors(doc, head, tokens, inside)
        country = country_match.key if country_match else None
        if country is None and owner is not None and owner.kind != "org":
            country = owner.key
        return _NounPhrase(
            start=start,
            inside=inside,
            person=self._person(inside, history),
            org=org,
            country_match=country_match,
            title=next((m for m in inside if m.kind == "title"), None),
            sectors=sectors,
            strong=strong,
            country=country,
        )

    @staticmethod
    def _known_surname(
        doc: Doc, head: Token, start: int, s_index: int, history: _History
    ) -> Mention | None:
        """A person's surname the article has already introduced ("Lavrov said ...")."""
        if head.pos_ == "PROPN" and head.ent_type_ == "PERSON":
            known = history.surnames.get(head.text)
            if known is not None:
                span = doc[start : head.i + 1]
                renamed = (replace(known, text=span.text),)
                return _span_mention(span, renamed, head.i, s_index, "reference", history.floor)
        return None

    @staticmethod
    def _not_an_actor(head: Token, np: _NounPhrase) -> bool:
        """A bare sector noun without a firm signal, or a country modifier on a thing."""
        bare = np.person is None and np.org is None and np.country is None and not np.title
        lemma = head.lemma_.lower()
        if bare and lemma in _STANDALONE_NOUNS:
            return False  # "the authorities", "a district official": no country said
        if bare and (
            lemma in _GENERIC_HEADS or not np.strong or not (set(np.sectors) - _NAMED_ONLY_SECTORS)
        ):
            # a bare sector noun ("police", "protesters") is an actor without a country, but
            # only on a firm signal, and never a bare "alliance" or "agency"
            return True
        cm = np.country_match
        # "the Chinese economy", "Iranian-made missiles", "the Paris Agreement":
        # a modifier on a thing, not an actor
        return (
            np.person is None
            and np.org is None
            and np.title is None
            and cm is not None
            and cm.kind in ("adjective", "capital", "seat")
            and not np.sectors
            and head.i >= cm.end
            and (head.pos_ != "PROPN" or cm.kind != "adjective")
        )

    def _identify(
        self,
        doc: Doc,
        head: Token,
        np: _NounPhrase,
        by_token: dict[int, list[_Match]],
        published: date | None,
    ) -> None:
        """Who the phrase names: a known person, a title's holder, or a named person."""
        person, title = np.person, np.title
        if person is not None:
            np.name = person.name
            term = person.term_on(published)
            np.role = term.office if term else None
            np.country = np.country or person.country or (term.country if term else None)
            np.sectors = person.sectors or ("GOV",)
            if np.country is None and np.org is None:
                office_org = person.org or (term.org if term else None)
                if office_org and office_org in self.kb.organizations:
                    # "UN Secretary-General Antonio Guterres": the organisation's leader
                    np.org = _Match(head.i, head.i + 1, "org", office_org, None)
        elif title is not None:
            np.kind = "title"
            np.role = _title_case(title.key)
            if "GOV" not in np.sectors:
                np.sectors = ("GOV", *np.sectors)
            holder = self._holder(np.country, title.key, published)
            if holder is not None:
                np.name = holder.name
                term = holder.term_on(published)
                np.role = term.office if term else np.role
            else:
                np.name = _person_name(doc, head, np.start, by_token)
                np.kind = "person" if np.name else "title"
        elif head.ent_type_ == "PERSON" and head.pos_ == "PROPN" and np.country is not None:
            np.name = _person_name(doc, head, np.start, by_token)
            np.kind = "person" if np.name else "name"
        cm = np.country_match
        if cm is not None and cm.sector and cm.sector not in np.sectors:
            np.sectors = (cm.sector, *np.sectors)
            if cm.kind in ("capital", "seat"):
                np.kind = "metonym"

    def _org_code(self, head: Token, np: _NounPhrase) -> tuple[str, str | None]:
        """(the actor code, the organisation key): an organisation's, else country+sectors."""
        org = np.org
        if org is None or (np.person is not None and np.country is not None):
            return _code(np.country, np.sectors), None
        orgent = self.kb.organizations.get(org.key)
        np.country = np.country or (orgent.country if orgent else None)
        if not np.sectors and orgent is not None:
            np.sectors = tuple(orgent.sectors)
        if head.i >= org.end and head.lower_ in _GROUP_NOUNS:
            np.kind = "group"
        return (orgent.code if orgent else org.key), org.key

    def _np_mention(
        self,
        doc: Doc,
        head: Token,
        s_index: int,
        np: _NounPhrase,
        by_token: dict[int, list[_Match]],
        published: date | None,
        code: str,
        org_key: str | None,
    ) -> Mention:
        """The mention of a resolved noun phrase, with the other countries of a joint one."""
        head_signal = (
            head.i in by_token
            or head.pos_ in ("PROPN", "PRON")
            or self._noun_sector(head) is not None
        )
        first, last = _signal_bounds(head, np.start, np.inside, head_signal, doc)
        span = doc[first : last + 1]
        actor = Actor(
            text=span.text,
            code=code,
            country=_country_code(self.kb, np.country),
            sectors=tuple(dict.fromkeys(np.sectors)),
            org=org_key,
            name=np.name,
            role=np.role,
        )
        kind = np.kind
        if (
            kind == "name"
            and np.sectors
            and np.country_match is None
            and np.org is None
            and np.person is None
        ):
            kind = "group"
        actors: tuple[Actor, ...] = (actor,)
        if np.person is None and org_key is None and np.country is not None:
            actors += self._joint_actors(head, np, by_token, published, actor)
        return _span_mention(span, actors, head.i, s_index, kind, np.start)

    def _joint_actors(
        self,
        head: Token,
        np: _NounPhrase,
        by_token: dict[int, list[_Match]],
        published: date | None,
        actor: Actor,
    ) -> tuple[Actor, ...]:
        """ "Israeli and Palestinian negotiators", "the foreign ministers of Chile and Peru"."""
        others = [
            k
            for k in self._joint_countries(head, np.inside, by_token)
            if _country_code(self.kb, k) != actor.country
        ]
        out: tuple[Actor, ...] = ()
        for other in others:
            iso = _country_code(self.kb, other)
            holder = self._holder(other, np.title.key, published) if np.title else None
            out += (
                replace(
                    actor,
                    code=_code(iso, np.sectors),
                    country=iso,
                    name=holder.name if holder else None,
                ),
            )
        return out

    def _sectors(
        self, doc: Doc, head: Token, tokens: Iterable[int], inside: Sequence[_Match]
    ) -> tuple[tuple[str, ...], bool]:
        """Sector codes signalled by the head noun, its compounds and its adjectives, and
        whether any of the signals is firm (not a weak noun such as "force")."""
        found: list[str] = []
        strong = False
        in_org: set[int] = set()
        for m in inside:
            if m.kind == "sector" and m.sector:
                found.append(m.sector)
                strong = True
            elif m.kind == "org":
                in_org.update(range(m.start, m.end))
        modifiers: list[str] = []
        head_sector: str | None = None
        for i in tokens:
            tok = doc[i]
            if tok.pos_ not in ("NOUN", "PROPN", "ADJ") or i in in_org:
                continue
            lemma = tok.lemma_.lower()
            if tok.pos_ == "ADJ" or tok.dep_ == "amod":
                code = self.kb.sector_for_adjective(lemma)
                if code:
                    modifiers.append(code)
                continue
            hit = self._noun_sector(tok)
            if hit is None:
                continue
            strong = strong or not hit[1]
            if tok.i == head.i:
                head_sector = hit[0]
            else:
                modifiers.append(hit[0])
        # "police spokesman": the modifier says more than a generic head
        if head_sector and head.lemma_.lower() not in _GENERIC_HEADS:
            found.insert(0, head_sector)
        # "rebel commanders": the side someone is on comes before the head's sector
        sides = [m for m in modifiers if m in _AFFILIATION_SECTORS]
        found = [*sides, *found, *(m for m in modifiers if m not in _AFFILIATION_SECTORS)]
        if head_sector and head.lemma_.lower() in _GENERIC_HEADS:
            found.append(head_sector)
        return tuple(dict.fromkeys(found)), strong

    def _noun_sector(self, tok: Token) -> tuple[str, bool] | None:
        hit = self.kb.sector_for_noun(tok.lemma_.lower())
        if hit is None and tok.lower_ != tok.lemma_.lower():
            hit = self.kb.sector_for_noun(tok.lower_)
        return hit

    def _joint_countries(
        self, head: Token, inside: Sequence[_Match], by_token: dict[int, list[_Match]]
    ) -> list[str]:
        """Countries joined by 'and' in one phrase: adjectives ("Israeli and Palestinian"),
        or the objects of an owner phrase ("of Chile and Peru")."""
        doc = head.doc
        keys: list[str] = []
        adjectives = [m for m in inside if m.kind in ("adjective", "country")]
        for m in adjectives:
            tok = doc[m.start]
            if tok.dep_ == "conj" or any(c.dep_ == "conj" for c in tok.children):
                keys.append(m.key)
        for prep in head.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "from"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for t in [pobj, *conjuncts(pobj)]:
                    for m in _best_matches(by_token, range(_np_start(t), t.i + 1)):
                        if m.kind == "country":
                            keys.append(m.key)
                            break
        return list(dict.fromkeys(keys))

    def _owner(self, head: Token, by_token: dict[int, list[_Match]]) -> _Match | None:
        """Whose people or body a noun names: 'the president of Iran', 'a court in Guyana',
        'a spokesman for the Taliban', 'inspectors from the IAEA', 'police in Nairobi',
        'diplomats from the Russian embassy'."""
        lemma = head.lemma_.lower()
        if (
            self._noun_sector(head) is None
            and lemma not in _REFERENCE_PERSON
            and lemma not in _GENERIC_HEADS
        ):
            return None
        for prep in head.children:
            word = prep.lower_
            if prep.dep_ != "prep" or word not in ("of", "in", "for", "from"):
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                for m in _best_matches(by_token, range(_np_start(pobj), pobj.i + 1)):
                    if m.kind in ("country", "capital") or (m.kind == "org" and word != "in"):
                        return m
                    if m.kind == "adjective" and word != "in" and self._noun_sector(pobj):
                        return m  # "diplomats from the Russian embassy": the body's country
        return None

    def _person(self, inside: Sequence[_Match], history: _History) -> Person | None:
        for m in inside:
            if m.kind == "person":
                people = self.offices.people(m.key)
                if people:
                    return people[0]
        for m in inside:
            if m.kind == "person_weak" and m.key in history.people:
                people = self.offices.people(m.key)
                if people:
                    return people[0]
        return None

    def _holder(self, country: str | None, title: str, published: date | None) -> Person | None:
        if country is None or published is None:
            return None
        holders = self.offices.holders(country, title, published)
        return holders[0] if len(holders) == 1 else None

    # -- references -----------------------------------------------------------------------------

    def _pronoun(self, tok: Token, s_index: int, history: _History) -> Mention | None:
        lower = tok.lower_
        if tok.dep_ == "expl":
            return None
        recent = sorted(
            (m for m in history.mentions if m.sentence >= s_index - 2 and m.start < tok.idx),
            key=lambda m: m.start,
        )
        actors: tuple[Actor, ...] | None = None
        if lower in _PRONOUNS_PLURAL:
            groups = [
                g for g in history.groups if g[0].sentence >= s_index - 2 and g[0].start < tok.idx
            ]
            last_group = groups[-1] if groups else None
            plural = [m for m in recent if len(m.actors) > 1 or _plural_np(m)]
            candidates: list[tuple[int, tuple[Actor, ...]]] = []
            if last_group is not None:
                candidates.append(
                    (last_group[-1].start, tuple(a for m in last_group for a in m.actors))
                )
            if plural:
                candidates.append((plural[-1].start, plural[-1].actors))
            if candidates:
                actors = max(candidates, key=lambda c: c[0])[1]
        elif lower in _PRONOUNS_NEUTER:
            things = [
                m
                for m in recent
                if len(m.actors) == 1 and m.actors[0].name is None and not _plural_np(m)
            ]
            if things:
                actors = things[-1].actors
        elif lower in _PRONOUNS_PERSON:
            people = [m for m in recent if len(m.actors) == 1 and m.actors[0].name]
            if people:
                actors = people[-1].actors
        if not actors:
            return None
        renamed = tuple(replace(a, text=tok.text) for a in _dedupe_actors(actors))
        return _span_mention(
            tok.doc[tok.i : tok.i + 1], renamed, tok.i, s_index, "pronoun", history.floor
        )

    def _reference(
        self,
        head: Token,
        start: int,
        s_index: int,
        history: _History,
        published: date | None,
    ) -> Mention | None:
        doc = head.doc
        lemma = head.lemma_.lower()
        words = {t.lower_ for t in doc[start : head.i]}
        dual = bool(words & _DUAL) or any(c.lower_ in _DUAL for c in head.children)
        actors: tuple[Actor, ...] | None = None
        if lemma in _NEIGHBOUR:
            actors = self._neighbour(head, s_index, history)
        elif dual:
            want_people = lemma in _REFERENCE_PERSON and lemma not in ("side", "party")
            actors = _last_pair(history, people=want_people, countries=lemma in _COUNTRY_NOUNS)
        elif words & {"the", "this", "that"} and lemma in _REFERENCE_PERSON:
            people = [m for m in history.mentions if len(m.actors) == 1 and m.actors[0].name]
            matching = [m for m in people if m.actors[0].role and lemma in m.actors[0].role.lower()]
            pool = matching or (people if lemma in ("leader", "official") else [])
            if pool and pool[-1].sentence >= s_index - 3:
                actors = pool[-1].actors
        if not actors:
            return None
        if doc[start].lower_ in ("the", "a", "an"):
            start += 1
        span = doc[start : head.i + 1]
        renamed = tuple(replace(a, text=span.text) for a in _dedupe_actors(actors))
        return _span_mention(span, renamed, head.i, s_index, "reference", history.floor)

    def _neighbour(self, head: Token, s_index: int, history: _History) -> tuple[Actor, ...] | None:
        """'its northern neighbour': the other country of a pair the possessor belongs to."""
        owner: str | None = None
        for child in head.children:
            if child.dep_ != "poss":
                continue
            resolved = [m for m in history.mentions if m.head == child.i]
            if not resolved and child.pos_ == "PRON":
                pronoun = self._pronoun(child, s_index, history)
                resolved = [pronoun] if pronoun is not None else []
            if resolved and len(resolved[-1].actors) == 1:
                owner = resolved[-1].actors[0].country
        if owner is None:
            return None
        for group in reversed(history.groups):
            others = {
                a.country: a
                for m in group
                for a in m.actors
                if a.country and a.country != owner and a.name is None
            }
            owners = {a.country for m in group for a in m.actors}
            if owner in owners and len(others) == 1:
                other = next(iter(others.values()))
                return (Actor(text="", code=other.country or other.code, country=other.country),)
        return None


# -- helpers ---------------------------------------------------------------------------------


def _conj_chain(tok: Token) -> list[int]:
    return [tok.i, *(c.i for c in conjuncts(tok))]


def _is_np_head(tok: Token, by_token: dict[int, list[_Match]]) -> bool:
    if tok.pos_ not in _NOMINAL and not (tok.pos_ == "ADJ" and tok.i in by_token):
        return False
    if tok.dep_ in ("compound", "flat"):
        return False
    return not (tok.dep_ == "amod" and tok.pos_ != "PROPN")


def _past_named_possessor(head: Token) -> int | None:
    """For a relational noun with a possessor that is not a pronoun ("Ukraine's allies"), the
    first token after the possessor; else None."""
    if head.lemma_.lower() not in RELATIONAL_NOUNS:
        return None
    owners = [c for c in head.children if c.dep_ == "poss" and c.pos_ != "PRON"]
    return max(c.right_edge.i for c in owners) + 1 if owners else None


def _np_start(head: Token) -> int:
    start = head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT:
            start = min(start, child.left_edge.i)
    return start


def _best_matches(by_token: dict[int, list[_Match]], tokens: Iterable[int]) -> list[_Match]:
    """Matches lying inside the tokens, longest first, dropping ones covered by a longer match."""
    idx = list(tokens)
    if not idx:
        return []
    lo, hi = idx[0], idx[-1] + 1
    cands = {m for i in idx for m in by_token.get(i, ()) if m.start >= lo and m.end <= hi}
    ordered = sorted(cands, key=lambda m: (-m.length, m.start, _KIND_RANK.get(m.kind, 9)))
    kept: list[_Match] = []
    for m in ordered:
        covered = any(k.start <= m.start and m.end <= k.end and k.length > m.length for k in kept)
        if covered and (m.kind != "title" or any(k.kind == "title" for k in kept)):
            continue
        kept.append(m)
    return sorted(kept, key=lambda m: (_KIND_RANK.get(m.kind, 9), m.start))


_KIND_RANK = {
    "person": 0,
    "org": 1,
    "country": 2,
    "seat": 3,
    "capital": 4,
    "adjective": 5,
    "demonym": 6,
    "person_weak": 7,
    "title": 8,
    "sector": 9,
}


def _appos_hosts(sent: Span) -> dict[int, int]:
    """Apposition -> the noun it renames; the parser sometimes hangs it on a conjunct."""
    hosts: dict[int, int] = {}
    for tok in sent:
        if tok.dep_ != "appos":
            continue
        host = tok.head.i
        left = tok.left_edge.i - 1
        doc = tok.doc
        if left > sent.start and doc[left].text == ",":
            before = doc[left - 1]
            if before.pos_ in ("NOUN", "PROPN") and before.i != host:
                host = before.i
        hosts[tok.i] = host
    return hosts


def _merge_appos(host: Mention, app: Mention) -> Mention:
    if len(host.actors) != 1 or len(app.actors) != 1:
        return host
    h, a = host.actors[0], app.actors[0]
    if h.name and a.name and h.name != a.name:
        return host
    if (h.country or h.org) and (a.country or a.org) and (h.country, h.org) != (a.country, a.org):
        return host  # "the US, Russia and Switzerland": a list, not a renaming
    merged = Actor(
        text=h.text,
        code=h.code if h.country or h.org else a.code,
        country=h.country or a.country,
        sectors=h.sectors or a.sectors,
        org=h.org or a.org,
        name=a.name or h.name,
        role=h.role or a.role,
    )
    return replace(host, actors=(merged,))


def _is_reference(head: Token) -> bool:
    lemma = head.lemma_.lower()
    return lemma in _REFERENCE_COUNTRY or lemma in _REFERENCE_PERSON


def _plural_np(m: Mention) -> bool:
    doc_tag = m.actors[0].text.split()[-1] if m.actors else ""
    return doc_tag.endswith("s") and m.kind == "group"


def _last_pair(
    history: _History, *, people: bool, countries: bool = False
) -> tuple[Actor, ...] | None:
    def fits(a: Actor) -> bool:
        if people:
            return bool(a.name or a.role)
        if countries:
            return a.country is not None and a.org is None
        return True

    for group in reversed(history.groups):
        actors = _dedupe_actors(a for m in group for a in m.actors)
        if not all(fits(a) for a in actors):
            continue
        if len(actors) >= 2:
            return tuple(actors)
    distinct: list[Actor] = []
    seen: set[str] = set()
    for m in reversed(history.mentions):
        for a in m.actors:
            key = a.name or a.country or a.org or a.code
            if key in seen or not fits(a) or (people and not a.name):
                continue
            seen.add(key)
            distinct.append(a)
        if len(distinct) >= 2:
            return tuple(reversed(distinct[:2]))
    return None


def _dedupe_actors(actors: Iterable[Actor]) -> list[Actor]:
    out: list[Actor] = []
    seen: set[tuple[str | None, str | None, str]] = set()
    for a in actors:
        key = (a.name, a.org, a.code)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def _person_name(
    doc: Doc, head: Token, start: int, by_token: dict[int, list[_Match]]
) -> str | None:
    """The proper name inside a title phrase ("Kenyan police spokesman John Mwangi")."""
    words = [
        t
        for t in doc[start : head.i + 1]
        if t.pos_ == "PROPN" and t.ent_type_ == "PERSON" and t.i not in by_token
    ]
    if not words:
        return None
    return " ".join(t.text for t in words)


def _signal_bounds(
    head: Token, start: int, inside: Sequence[_Match], head_signal: bool, doc: Doc
) -> tuple[int, int]:
    """First and last token of the words that name the actor (without articles)."""
    first = start
    while first < head.i and doc[first].dep_ in ("det", "predet", "punct", "nummod", "quantmod"):
        first += 1
    last = head.i
    if not head_signal and inside:
        last = max(m.end for m in inside) - 1
        for i in range(head.i - 1, first - 1, -1):
            if doc[i].dep_ == "compound" and doc[i].pos_ in ("NOUN", "PROPN"):
                last = max(last, i)
                break
    return first, max(first, last)


def _title_case(title: str) -> str:
    return " ".join(w if w.isupper() else w.capitalize() for w in title.split())


def _code(country: str | None, sectors: Sequence[str]) -> str:
    base = country or ""
    return base + (sectors[0] if sectors else "") if base or sectors else ""


def _country_code(kb: KnowledgeBase, key: str | None) -> str | None:
    if key is None:
        return None
    country = kb.country_by_code(key)
    return country.iso3 if country else key


def _span_mention(
    span: Span,
    actors: tuple[Actor, ...],
    head: int,
    s_index: int,
    kind: MentionKind,
    floor: int = 0,
) -> Mention:
    """The mention of ``actors`` by the words of ``span`` (the words that resolved), its
    offsets the whole noun phrase around them (:func:`~dyad.actors.extent.phrase_extent`)."""
    doc = span.doc
    # the whole phrase headed by ``head``, also when the words lie in a modifier of it
    # ("U.S. military airstrikes", "Russia's invasion"): readers mark the phrase
    first, last = phrase_extent(doc[head], span.start, span.end, floor)
    return Mention(
        actors=actors,
        start=doc[first].idx,
        end=doc[last - 1].idx + len(doc[last - 1].text),
        token_start=span.start,
        token_end=span.end,
        head=head,
        sentence=s_index,
        kind=kind,
    )


@cache
def get_resolver() -> ActorResolver:
    """The process-wide resolver over the bundled knowledge base."""
    return ActorResolver(load_kb(), load_offices())


def find_mentions(
    doc: Doc, published: date | None, headings: Sequence[tuple[int, int]] = ()
) -> tuple[Mention, ...]:
    """Stage 4: the actor mentions of one parsed article, references resolved."""
    return get_resolver().find(doc, published, headings)


def actors_in_span(
    doc: Doc,
    mentions: Sequence[Mention],
    token_start: int,
    token_end: int,
    published: date | None,
) -> tuple[Actor, ...]:
    """The actors named by the tokens ``[token_start, token_end)`` of ``doc``.

    The actors of the mentions whose head lies inside the span, in text order; when there are
    none, one generic actor whose ``text`` is the span's words and whose code is the generic
    code of ``actors/data/generic.yaml``. ``published`` is part of the agreed signature
    (office holders by date); the mentions were already resolved with it.
    """
    del published
    inside = sorted(
        (m for m in mentions if token_start <= m.head < token_end),
        key=lambda m: m.token_start,
    )
    found = _dedupe_actors(a for m in inside for a in m.actors)
    if found:
        return tuple(found)
    words = doc[token_start:token_end].text.strip(" ,.;:")
    return (Actor(text=words, code=load_generic().code),) if words else ()
