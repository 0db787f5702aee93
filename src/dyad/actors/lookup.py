"""What dyad knows about a name, a code or a phrase (``dyad actors QUERY [--date DATE]``).

Three sources answer, in this order: the knowledge base (a country or organisation by code
or by any of its names), the office tables (a person by name or alias, with every term),
and the actor stage itself run over the query as a phrase ("the Russian president" on a
date), so that the answer is exactly what the coder would make of those words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dyad.actors.kb import load_kb
from dyad.actors.offices import load_offices
from dyad.model import Actor


@dataclass(frozen=True, slots=True)
class Known:
    """One answer: what kind of entry, the actor it codes to, and facts about it."""

    source: str  # country | organization | person | phrase
    actor: Actor
    facts: tuple[str, ...] = ()


def lookup(query: str, on: date | None = None) -> list[Known]:
    """Everything dyad knows about ``query`` (as of ``on`` for offices)."""
    kb = load_kb()
    offices = load_offices()
    text = query.strip()
    found: list[Known] = []
    seen: set[tuple[str, str]] = set()

    def add(item: Known) -> None:
        key = (item.source, item.actor.name or item.actor.code)
        if key not in seen:
            seen.add(key)
            found.append(item)

    country = kb.country_by_code(text.upper()) if text.isalpha() and len(text) == 3 else None
    org_by_key = kb.organizations.get(text.upper()) or next(
        (o for o in kb.organizations.values() if o.code == text.upper()), None
    )
    aliases = kb.lookup(text)
    countries = [country] if country else []
    countries += [kb.countries[a.key] for a in aliases if a.kind != "org" and a.key in kb.countries]
    orgs = [org_by_key] if org_by_key else []
    orgs += [kb.organizations[a.key] for a in aliases if a.kind == "org"]
    for c in countries:
        facts = [
            f"names: {', '.join(c.names)}",
            f"adjectives: {', '.join(c.adjectives) or '-'}; "
            f"demonyms: {', '.join(c.demonyms) or '-'}",
            f"capital: {c.capital or '-'}; seats of power: "
            + (", ".join(f"{s.text} ({s.sector})" for s in c.seats) or "-"),
            f"status: {c.status}" + (f" of {c.parent}" if c.parent else ""),
        ]
        if on is not None:
            for kind in ("head_of_state", "head_of_government", "foreign_minister"):
                holders = offices.holders(c.iso3, kind, on)
                if holders:
                    term = holders[0].term_on(on)
                    office = term.office if term else kind
                    facts.append(f"{office} on {on}: {', '.join(h.name for h in holders)}")
        add(Known("country", Actor(c.name, c.code, c.iso3), tuple(facts)))
    for o in orgs:
        facts = [f"names: {', '.join(o.names)}", f"kind: {o.kind}"]
        if o.parent:
            facts.append(f"part of: {o.parent}")
        if o.members:
            facts.append(f"members: {', '.join(o.members)}")
        add(
            Known(
                "organization",
                Actor(o.name, o.code, o.country, tuple(o.sectors), org=o.key),
                tuple(facts),
            )
        )
    for person in (*offices.people(text), *offices.people_weak(text)):
        term = person.term_on(on)
        facts = [f"also written: {', '.join(person.aliases)}"] if person.aliases else []
        for t in sorted(person.terms, key=lambda t: t.start):
            where = t.country or t.org or "-"
            facts.append(f"{t.office} ({where}) {t.start} .. {t.end or 'in office'}")
        add(
            Known(
                "person",
                Actor(
                    text=person.name,
                    code=(person.country or person.org or "") + (person.sectors[:1] or ("",))[0],
                    country=person.country,
                    sectors=person.sectors,
                    org=person.org,
                    name=person.name,
                    role=term.office if term else None,
                ),
                tuple(facts),
            )
        )
    if not found or " " in text:
        for actor in _as_phrase(text, on):
            if not any(k.actor.code == actor.code and k.actor.name == actor.name for k in found):
                add(Known("phrase", actor))
    return found


def _as_phrase(text: str, on: date | None) -> list[Actor]:
    """What the actor stage makes of the query as a short text of its own."""
    from dyad.actors.resolve import find_mentions
    from dyad.parse import parse_one

    doc = parse_one(text)
    actors: list[Actor] = []
    for mention in find_mentions(doc, on):
        if mention.start == 0 or mention.end == len(doc.text):
            actors.extend(mention.actors)
    return actors
