"""People and offices with dates: who held which office when.

The bundled tables (``data/offices/*.yaml``, one file per region plus ``general.yaml``) list,
for countries and international organisations, the holders of each office with start and end
dates. :func:`load_offices` reads and validates them once per process and returns an
:class:`Offices`, which answers:

* who held an office in a country on a day (``holders("RUS", "president", date(2009, 6, 1))``),
* which office a title word names in a country (``title_kind("premier", "CHN")``),
* which people a name or alias denotes (``people("Lavrov")``), for a phrase matcher
  (:meth:`Offices.names`, :meth:`Offices.titles`).

Conventions (also documented at the top of ``general.yaml``):

* ``end`` is the day the holder left office, usually the successor's first day; both days
  belong to the term (:meth:`Term.covers` is inclusive), and on such a hand-over day
  :meth:`Offices.holders` answers with the incoming holder.
* A holder whose name has no entry under ``people`` gets one automatically, with no aliases,
  the country of their latest national office (and the organisation of their latest office
  when that is an organisation's), and the sectors of their first office (``GOV`` for
  countries, ``IGO`` for organisations, unless the office block sets ``sectors``). A holder
  name that is an alias of a listed person, and a listed person who holds no office, are
  errors (they are almost always misspellings).
* A country without a ``head_of_government`` office (USA, IDN, ...) answers questions about
  its head of government with its head of state.
* Names are looked up case-insensitively with diacritics folded ("Erdogan" finds
  "Recep Tayyip Erdoğan"), hyphens read as spaces and full stops ignored.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeAlias, cast, get_args

import yaml

from dyad.errors import KnowledgeBaseError

log = logging.getLogger(__name__)

OfficeKind: TypeAlias = Literal[
    "head_of_state", "head_of_government", "foreign_minister", "defence_minister", "other"
]
Precision: TypeAlias = Literal["day", "month"]

OFFICE_KINDS: tuple[OfficeKind, ...] = get_args(OfficeKind)
STANDARD_KINDS: tuple[OfficeKind, ...] = OFFICE_KINDS[:4]
"""The four kinds a country has at most one office of; ``other`` offices carry their own key."""

DATA_DIR = Path(__file__).resolve().parent / "data" / "offices"
"""The bundled tables: every ``*.yaml`` file in this folder."""

LEADER = "leader"
"""The title word that names whatever office a country's ``leader`` entry points to."""

_KIND_RANK: dict[str, int] = {
    "head_of_state": 0,
    "head_of_government": 1,
    "foreign_minister": 2,
    "defence_minister": 2,
    "other": 3,
}
_COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
_ORG_RE = re.compile(r"^[A-Z][A-Z0-9]{1,9}$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_SECTOR_RE = re.compile(r"^[A-Z]{3}$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_TOP_KEYS = frozenset({"version", "countries", "organizations", "people", "titles", "universal"})
_ENTITY_KEYS = frozenset({"leader", "offices"})
_OFFICE_KEYS = frozenset({"key", "title", "titles", "holders", "sectors"})
_HOLDER_KEYS = frozenset({"name", "start", "end", "precision", "title"})
_PERSON_KEYS = frozenset({"name", "aliases", "weak_aliases", "country", "org", "sectors"})
_FOLD = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "’": "'",
        "ʼ": "'",
        "‘": "'",
        "ʻ": "'",
    }
)


def fold(text: str) -> str:
    """``text`` with diacritics removed ("Erdoğan" -> "Erdogan", "Tô Lâm" -> "To Lam")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _name_key(text: str) -> str:
    """The lookup key of a name: folded, case-free, hyphens as spaces, full stops dropped."""
    key = fold(text).casefold().replace(".", " ")
    key = re.sub(r"[-‐‑–]", " ", key)
    return " ".join(key.split())


def normalize_title(text: str) -> str:
    """The lookup form of a title phrase: lower case, hyphens as spaces, no leading "the"."""
    key = re.sub(r"[-‐‑–]", " ", text.lower())
    words = key.split()
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class Term:
    """One person's time in one office. ``end`` is None while the holder is in office."""

    office: str
    """The role string written into records ("President", "Foreign Minister")."""
    kind: OfficeKind
    country: str | None
    org: str | None
    start: date
    end: date | None
    precision: Precision = "day"
    """``month`` when the table knows the dates to the month only."""

    def covers(self, on: date) -> bool:
        """True when the holder was in office on ``on`` (first and last day included)."""
        return self.start <= on and (self.end is None or on <= self.end)


def _recency(person: Person) -> tuple[date, date]:
    """Sort key: people still in office first, then by the end and start of their last term."""
    last_end = max((t.end or date.max for t in person.terms), default=date.min)
    last_start = max((t.start for t in person.terms), default=date.min)
    return (last_end, last_start)


def _term_order(term: Term) -> tuple[int, int]:
    """Sort key: head of state first, then government, ministers, other; later starts first."""
    return (_KIND_RANK[term.kind], -term.start.toordinal())


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who held at least one office in the tables, with the names news use for them."""

    name: str
    aliases: tuple[str, ...]
    weak_aliases: tuple[str, ...]
    """Names (mostly common surnames) to trust only after the full name appeared earlier."""
    country: str | None
    org: str | None
    sectors: tuple[str, ...]
    terms: tuple[Term, ...]
    """Sorted by start date."""

    def term_on(self, on: date | None) -> Term | None:
        """The term that covers ``on`` (head of state/government first when several), else
        the most recent term that ended before ``on``, else (``on`` is None or before every
        term) the latest term."""
        if not self.terms:
            return None
        if on is not None:
            covering = [t for t in self.terms if t.covers(on)]
            if covering:
                return min(covering, key=_term_order)
            ended = [t for t in self.terms if t.end is not None and t.end < on]
            if ended:
                return max(ended, key=lambda t: (t.end or t.start, -_KIND_RANK[t.kind]))
        return max(self.terms, key=lambda t: (t.start, -_KIND_RANK[t.kind]))


@dataclass(frozen=True, slots=True)
class Office:
    """One office of a country or organisation, as declared in the tables."""

    entity: str
    """The country (ISO 3166-1 alpha-3) or organisation key the office belongs to."""
    is_org: bool
    key: str
    """The kind for the four standard kinds; the block's own ``key`` for ``other`` offices."""
    kind: OfficeKind
    title: str
    titles: tuple[str, ...]
    sectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _LeaderRule:
    office: str
    until: date | None


@dataclass(frozen=True, slots=True)
class _Entity:
    code: str
    is_org: bool
    offices: Mapping[str, Office]
    leader: tuple[_LeaderRule, ...]
    titles: Mapping[str, str]
    """Normalised title phrase -> office key."""


@dataclass(frozen=True, slots=True)
class _Holding:
    person: str
    term: Term
    office_key: str
    where: str


@dataclass(frozen=True, slots=True)
class _PersonSpec:
    name: str
    aliases: tuple[str, ...]
    weak_aliases: tuple[str, ...]
    country: str | None
    org: str | None
    sectors: tuple[str, ...] | None
    where: str


class Offices:
    """The office tables, indexed. Build it with :func:`load_offices`."""

    version: str

    def __init__(
        self,
        version: str,
        entities: Mapping[str, _Entity],
        holdings: Mapping[tuple[str, str], tuple[tuple[Term, Person], ...]],
        people: Sequence[Person],
        generic: Mapping[str, OfficeKind],
        universal: frozenset[str],
    ) -> None:
        self.version = version
        self._entities = dict(entities)
        self._holdings = dict(holdings)
        self._people = tuple(people)
        self._generic = dict(generic)
        self._universal = universal
        strong: dict[str, list[Person]] = defaultdict(list)
        weak: dict[str, list[Person]] = defaultdict(list)
        # canonical names first, then aliases; within each, the most recent office-holder first
        recent_first = sorted(self._people, key=_recency, reverse=True)
        for person in self._people:
            strong[_name_key(person.name)].append(person)
        for person in recent_first:
            for text in person.aliases:
                bucket = strong[_name_key(text)]
                if person not in bucket:
                    bucket.append(person)
        for person in recent_first:
            for text in person.weak_aliases:
                bucket = weak[_name_key(text)]
                if person not in bucket:
                    bucket.append(person)
        self._strong = {k: tuple(v) for k, v in strong.items()}
        self._weak = {k: tuple(v) for k, v in weak.items()}

    # -- offices -------------------------------------------------------------------------

    def offices(self, country_or_org: str) -> tuple[Office, ...]:
        """Every office the tables know for a country or organisation (empty when unknown)."""
        entity = self._entities.get(country_or_org)
        return () if entity is None else tuple(entity.offices.values())

    def entities(self) -> Iterator[str]:
        """Every country code and organisation key that has offices in the tables."""
        yield from self._entities

    def _leader_office(self, entity: _Entity, on: date | None) -> str | None:
        if not entity.leader:
            return None
        if on is None:
            return entity.leader[-1].office
        for rule in entity.leader:
            if rule.until is None or on < rule.until:
                return rule.office
        return entity.leader[-1].office

    def _resolve_key(self, entity: _Entity, kind: str, on: date | None) -> str | None:
        if kind in entity.offices:
            return kind
        if kind == "head_of_government" and "head_of_state" in entity.offices:
            return kind
        norm = normalize_title(kind)
        if norm == LEADER:
            return self._leader_office(entity, on)
        if norm in entity.titles:
            return entity.titles[norm]
        if norm in self._universal:
            generic = self._generic[norm]
            if generic in entity.offices:
                return generic
            if generic == "head_of_government" and "head_of_state" in entity.offices:
                return generic
        return None

    def title_kind(self, title: str, country_or_org: str | None) -> str | None:
        """The office a title names in a country or organisation, as a key for :meth:`holders`.

        The key is the kind for the four standard offices and the office's own key for the
        ``other`` ones ("top diplomat" in CHN -> ``top_diplomat``; in RUS ->
        ``foreign_minister``). "leader" names the country's ``leader`` office (as of today for
        countries whose leading office changed). With no country, or one the tables do not
        cover, the generic meaning ("prime minister" -> ``head_of_government``); "leader" has
        none. None when the title names no office there.
        """
        norm = normalize_title(title)
        entity = None if country_or_org is None else self._entities.get(country_or_org)
        if entity is None:
            return self._generic.get(norm)
        return self._resolve_key(entity, norm, None)

    def holders(self, country_or_org: str, kind: OfficeKind | str, on: date) -> tuple[Person, ...]:
        """Who held the office on ``on``: usually one person, none for a vacancy or an unknown
        country, office or title.

        ``kind`` is an office kind, an ``other`` office key, "leader", or a lower-case title
        phrase ("president", "top diplomat", "secretary of state") read through
        :meth:`title_kind` for that country. Kind ``other`` covers every ``other`` office.
        """
        entity = self._entities.get(country_or_org)
        if entity is None:
            return ()
        if kind == "other":
            keys = [o.key for o in entity.offices.values() if o.kind == "other"]
        else:
            key = self._resolve_key(entity, kind, on)
            if key is None:
                return ()
            if key == "head_of_government" and key not in entity.offices:
                key = "head_of_state"
            keys = [key]
        found: list[Person] = []
        for key in keys:
            covering = [
                (t, p) for t, p in self._holdings.get((entity.code, key), ()) if t.covers(on)
            ]
            if covering:
                latest = max(t.start for t, _ in covering)
                found.extend(p for t, p in covering if t.start == latest and p not in found)
        return tuple(found)

    def titles(self) -> Iterator[str]:
        """Every lower-case title phrase known, each once, for a phrase matcher."""
        seen: set[str] = {LEADER}
        yield LEADER
        for phrase in self._generic:
            if phrase not in seen:
                seen.add(phrase)
                yield phrase
        for entity in self._entities.values():
            for phrase in entity.titles:
                if phrase not in seen:
                    seen.add(phrase)
                    yield phrase

    # -- people --------------------------------------------------------------------------

    def people(self, name: str) -> tuple[Person, ...]:
        """People whose canonical name or (strong) alias is ``name``, case-insensitively.

        The person whose canonical name it is comes first; people who have it as an alias
        follow, the one with the most recent office first.
        """
        return self._strong.get(_name_key(name), ())

    def people_weak(self, name: str) -> tuple[Person, ...]:
        """People who have ``name`` as a weak alias (to use only after their full name),
        the one with the most recent office first."""
        return self._weak.get(_name_key(name), ())

    def all_people(self) -> tuple[Person, ...]:
        """Every person in the tables, in canonical-name order."""
        return self._people

    def names(self) -> Iterator[tuple[str, Person, bool]]:
        """(text, person, weak) for every name as written and its diacritic-free form."""
        for person in self._people:
            seen: set[str] = set()
            for texts, weak in (
                ((person.name, *person.aliases), False),
                (person.weak_aliases, True),
            ):
                for text in texts:
                    for variant in (text, fold(text)):
                        if variant not in seen:
                            seen.add(variant)
                            yield variant, person, weak


# -- loading ---------------------------------------------------------------------------------


class _Problems:
    """Collects every problem in one file so that one error lists them all."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, reason: str) -> None:
        self.items.append(f"{where}: {reason}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:25]
            more = len(self.items) - len(shown)
            tail = f"; and {more} more" if more > 0 else ""
            raise KnowledgeBaseError(str(self.path), "; ".join(shown) + tail)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe YAML loader, leaving dates as strings so that bad ones get a clear message."""


_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),
)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_Loader)
    except OSError as exc:
        raise KnowledgeBaseError(str(path), f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(str(path), f"is not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise KnowledgeBaseError(str(path), "expected a mapping with `version` at the top")
    if "version" not in data:
        raise KnowledgeBaseError(str(path), "missing `version` at the top")
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise KnowledgeBaseError(
            str(path), f"unknown top-level keys {unknown}; expected some of {sorted(_TOP_KEYS)}"
        )
    return cast(dict[str, Any], data)


def _string_list(value: Any, where: str, problems: _Problems) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(where, f"expected a list of non-empty strings, got {value!r}")
        return ()
    out = tuple(v.strip() for v in value)
    if len(set(out)) != len(out):
        problems.add(where, f"repeats an entry in {list(out)}")
    return out


def _parse_date(value: Any, where: str, problems: _Problems) -> tuple[date, bool] | None:
    """(date, known to the month only) from a YAML date, YYYY-MM-DD or YYYY-MM string."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value, False
    if isinstance(value, str):
        month = _MONTH_RE.match(value)
        try:
            if month:
                return date(int(month.group(1)), int(month.group(2)), 1), True
            return date.fromisoformat(value), False
        except ValueError:
            pass
    problems.add(where, f"{value!r} is not a date (YYYY-MM-DD, or YYYY-MM with precision: month)")
    return None


def _parse_holder(
    raw: Any, office: Office, index: int, where: str, problems: _Problems
) -> _Holding | None:
    here = f"{where}.holders[{index}]"
    if not isinstance(raw, dict):
        problems.add(here, f"expected a mapping with name/start/end, got {raw!r}")
        return None
    name = raw.get("name")
    if isinstance(name, str) and name.strip():
        here = f"{here} ({name})"
    else:
        problems.add(here, "missing `name`")
        return None
    unknown = sorted(set(raw) - _HOLDER_KEYS)
    if unknown:
        problems.add(here, f"unknown keys {unknown}; allowed: {sorted(_HOLDER_KEYS)}")
    if "start" not in raw or "end" not in raw:
        problems.add(here, "needs both `start` and `end` (write `end: null` while in office)")
        return None
    start = _parse_date(raw["start"], f"{here}.start", problems)
    end = None if raw["end"] is None else _parse_date(raw["end"], f"{here}.end", problems)
    if start is None or (raw["end"] is not None and end is None):
        return None
    precision = raw.get("precision", "day")
    if precision not in ("day", "month"):
        problems.add(here, f"precision {precision!r} is not 'day' or 'month'")
        return None
    if (start[1] or (end is not None and end[1])) and precision != "month":
        problems.add(here, "a YYYY-MM date needs `precision: month`")
        return None
    if end is not None and end[0] < start[0]:
        problems.add(here, f"ends ({end[0]}) before it starts ({start[0]})")
        return None
    title = raw.get("title", office.title)
    if not isinstance(title, str) or not title.strip():
        problems.add(here, f"title {title!r} is not a non-empty string")
        return None
    term = Term(
        office=title.strip(),
        kind=office.kind,
        country=None if office.is_org else office.entity,
        org=office.entity if office.is_org else None,
        start=start[0],
        end=None if end is None else end[0],
        precision=cast(Precision, precision),
    )
    return _Holding(name.strip(), term, office.key, here)


def _parse_office(
    raw: Any,
    entity: str,
    is_org: bool,
    kind: OfficeKind,
    where: str,
    problems: _Problems,
    holdings: list[_Holding],
) -> Office | None:
    if not isinstance(raw, dict):
        problems.add(where, f"expected an office block (title, titles, holders), got {raw!r}")
        return None
    unknown = sorted(set(raw) - _OFFICE_KEYS)
    if unknown:
        problems.add(where, f"unknown keys {unknown}; allowed: {sorted(_OFFICE_KEYS)}")
    if kind == "other":
        key = raw.get("key")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            problems.add(where, f"an `other` office needs a snake_case `key`, got {key!r}")
            return None
        if key in OFFICE_KINDS or key == LEADER:
            problems.add(where, f"key {key!r} is reserved; choose another")
            return None
        where = f"{where}({key})"
    else:
        if "key" in raw:
            problems.add(where, "only `other` offices take a `key`")
        key = kind
    title = raw.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.add(where, "missing `title` (the role string written into records)")
        return None
    titles = _string_list(raw.get("titles"), f"{where}.titles", problems)
    if not titles:
        problems.add(where, "needs `titles`: the lower-case phrases that name this office")
    for phrase in titles:
        if phrase != phrase.lower():
            problems.add(f"{where}.titles", f"{phrase!r} must be lower case")
        if normalize_title(phrase) == LEADER:
            problems.add(f"{where}.titles", "'leader' is set with the country's `leader` entry")
    default_sector = "IGO" if is_org else "GOV"
    sectors = _string_list(raw.get("sectors", [default_sector]), f"{where}.sectors", problems)
    for sector in sectors:
        if not _SECTOR_RE.match(sector):
            problems.add(f"{where}.sectors", f"{sector!r} is not a 3-letter upper-case code")
    office = Office(entity, is_org, key, kind, title.strip(), titles, sectors)
    raw_holders = raw.get("holders")
    if not isinstance(raw_holders, list) or not raw_holders:
        problems.add(where, "needs a non-empty `holders` list")
        return office
    for i, raw_holder in enumerate(raw_holders):
        holding = _parse_holder(raw_holder, office, i, where, problems)
        if holding is not None:
            holdings.append(holding)
    return office


def _parse_leader(
    raw: Any, offices: Mapping[str, Office], where: str, problems: _Problems
) -> tuple[_LeaderRule, ...]:
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [{"office": raw}]
    if not isinstance(raw, list) or not raw:
        problems.add(where, f"expected an office key or a list of {{office, until}}, got {raw!r}")
        return ()
    rules: list[_LeaderRule] = []
    for i, item in enumerate(raw):
        here = f"{where}[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("office"), str):
            problems.add(here, f"expected {{office: KEY, until: DATE}}, got {item!r}")
            continue
        office = item["office"]
        if office not in offices and not (
            office == "head_of_government" and "head_of_state" in offices
        ):
            problems.add(here, f"office {office!r} is not one of {sorted(offices)}")
        until = None
        if item.get("until") is not None:
            parsed = _parse_date(item["until"], f"{here}.until", problems)
            until = None if parsed is None else parsed[0]
        elif i != len(raw) - 1:
            problems.add(here, "only the last rule may leave out `until`")
        if until is not None and rules and rules[-1].until is not None and until <= rules[-1].until:
            problems.add(here, "the `until` dates must increase")
        rules.append(_LeaderRule(office, until))
    if rules and rules[-1].until is not None:
        problems.add(where, "the last rule must leave out `until` (it holds up to today)")
    return tuple(rules)


def _parse_entity(
    code: Any,
    raw: Any,
    is_org: bool,
    problems: _Problems,
    holdings: list[_Holding],
) -> _Entity | None:
    section = "organizations" if is_org else "countries"
    where = f"{section}.{code}"
    pattern = _ORG_RE if is_org else _COUNTRY_RE
    if not isinstance(code, str) or not pattern.match(code):
        what = "an upper-case organisation key" if is_org else "a 3-letter upper-case ISO code"
        problems.add(where, f"{code!r} is not {what}")
        return None
    if not isinstance(raw, dict):
        problems.add(where, "expected a mapping with `offices`")
        return None
    unknown = sorted(set(raw) - _ENTITY_KEYS)
    if unknown:
        problems.add(where, f"unknown keys {unknown}; allowed: {sorted(_ENTITY_KEYS)}")
    raw_offices = raw.get("offices")
    if not isinstance(raw_offices, dict) or not raw_offices:
        problems.add(where, "needs an `offices` mapping")
        return None
    offices: dict[str, Office] = {}
    for kind, block in raw_offices.items():
        here = f"{where}.offices.{kind}"
        if kind not in OFFICE_KINDS:
            problems.add(here, f"unknown office kind; expected one of {list(OFFICE_KINDS)}")
            continue
        blocks = block if kind == "other" else [block]
        if kind == "other" and not isinstance(block, list):
            problems.add(here, "`other` takes a list of office blocks, each with a `key`")
            continue
        for i, one in enumerate(blocks):
            office = _parse_office(
                one,
                code,
                is_org,
                cast(OfficeKind, kind),
                f"{here}[{i}]" if kind == "other" else here,
                problems,
                holdings,
            )
            if office is None:
                continue
            if office.key in offices:
                problems.add(here, f"office key {office.key!r} appears twice")
            offices[office.key] = office
    titles: dict[str, str] = {}
    for office in offices.values():
        for phrase in office.titles:
            norm = normalize_title(phrase)
            if norm in titles and titles[norm] != office.key:
                problems.add(
                    where, f"title {phrase!r} names both {titles[norm]!r} and {office.key!r}"
                )
            titles[norm] = office.key
    leader = _parse_leader(raw.get("leader"), offices, f"{where}.leader", problems)
    return _Entity(code, is_org, offices, leader, titles)


def _parse_person(raw: Any, index: int, problems: _Problems) -> _PersonSpec | None:
    where = f"people[{index}]"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        problems.add(where, f"expected a mapping with a `name`, got {raw!r}")
        return None
    name = raw["name"].strip()
    where = f"{where} ({name})"
    unknown = sorted(set(raw) - _PERSON_KEYS)
    if unknown:
        problems.add(where, f"unknown keys {unknown}; allowed: {sorted(_PERSON_KEYS)}")
    aliases = _string_list(raw.get("aliases"), f"{where}.aliases", problems)
    weak = _string_list(raw.get("weak_aliases"), f"{where}.weak_aliases", problems)
    both = {_name_key(a) for a in aliases} & {_name_key(w) for w in weak}
    if both:
        problems.add(where, f"{sorted(both)} listed as both alias and weak alias")
    if _name_key(name) in {_name_key(w) for w in weak}:
        problems.add(where, "the canonical name cannot also be a weak alias")
    if name in aliases:
        problems.add(where, "an alias repeats the canonical name (leave it out)")
    country = raw.get("country")
    if country is not None and (not isinstance(country, str) or not _COUNTRY_RE.match(country)):
        problems.add(where, f"country {country!r} is not a 3-letter upper-case ISO code")
        country = None
    org = raw.get("org")
    if org is not None and (not isinstance(org, str) or not _ORG_RE.match(org)):
        problems.add(where, f"org {org!r} is not an upper-case organisation key")
        org = None
    sectors = None
    if "sectors" in raw:
        sectors = _string_list(raw["sectors"], f"{where}.sectors", problems)
        for sector in sectors:
            if not _SECTOR_RE.match(sector):
                problems.add(f"{where}.sectors", f"{sector!r} is not a 3-letter upper-case code")
    return _PersonSpec(name, aliases, weak, country, org, sectors, where)


def _parse_titles(
    raw: Any, section: str, problems: _Problems, into: dict[str, OfficeKind]
) -> set[str]:
    found: set[str] = set()
    if raw is None:
        return found
    if not isinstance(raw, dict):
        problems.add(section, "expected a mapping from office kind to a list of title phrases")
        return found
    for kind, phrases in raw.items():
        here = f"{section}.{kind}"
        if kind not in STANDARD_KINDS:
            problems.add(here, f"unknown office kind; expected one of {list(STANDARD_KINDS)}")
            continue
        for phrase in _string_list(phrases, here, problems):
            norm = normalize_title(phrase)
            if phrase != phrase.lower():
                problems.add(here, f"{phrase!r} must be lower case")
            if norm == LEADER:
                problems.add(here, "'leader' is built in; leave it out")
            if norm in into:
                problems.add(here, f"{phrase!r} is listed twice")
            into[norm] = cast(OfficeKind, kind)
            found.add(norm)
    return found


def _check_overlaps(
    holdings: Sequence[_Holding], path_of: Mapping[int, Path], problems_of: Mapping[Path, _Problems]
) -> None:
    by_office: dict[tuple[str, str], list[tuple[int, _Holding]]] = defaultdict(list)
    for i, holding in enumerate(holdings):
        entity = holding.term.country or holding.term.org or ""
        by_office[(entity, holding.office_key)].append((i, holding))
    for items in by_office.values():
        items.sort(key=lambda item: item[1].term.start)
        current = items[0][1]
        for j, nxt in items[1:]:
            end = current.term.end
            if end is None or nxt.term.start < end:
                until = "still in office" if end is None else f"to {end}"
                problems_of[path_of[j]].add(
                    nxt.where,
                    f"starts {nxt.term.start}, while {current.person} holds the office "
                    f"({current.term.start} {until}; {current.where})",
                )
            if end is not None and (nxt.term.end is None or nxt.term.end > end):
                current = nxt


def _build(paths: Sequence[Path]) -> Offices:
    entities: dict[str, _Entity] = {}
    entity_path: dict[str, Path] = {}
    holdings: list[_Holding] = []
    holding_path: dict[int, Path] = {}
    specs: dict[str, tuple[_PersonSpec, Path]] = {}
    generic: dict[str, OfficeKind] = {}
    universal: set[str] = set()
    versions: set[str] = set()
    problems_of: dict[Path, _Problems] = {}
    for path in paths:
        data = _read_yaml(path)
        problems = problems_of[path] = _Problems(path)
        version = data["version"]
        if not isinstance(version, (int, str)) or isinstance(version, bool) or version == "":
            problems.add("version", f"{version!r} is not a version number")
        versions.add(str(version))
        for section, is_org in (("countries", False), ("organizations", True)):
            raw = data.get(section) or {}
            if not isinstance(raw, dict):
                problems.add(section, "expected a mapping from code to entry")
                continue
            for code, entry in raw.items():
                if code in entities:
                    problems.add(f"{section}.{code}", f"already defined in {entity_path[code]}")
                    continue
                before = len(holdings)
                parsed = _parse_entity(code, entry, is_org, problems, holdings)
                for i in range(before, len(holdings)):
                    holding_path[i] = path
                if parsed is not None:
                    entities[parsed.code] = parsed
                    entity_path[parsed.code] = path
        raw_people = data.get("people") or []
        if not isinstance(raw_people, list):
            problems.add("people", "expected a list of people")
            raw_people = []
        for i, raw_person in enumerate(raw_people):
            spec = _parse_person(raw_person, i, problems)
            if spec is None:
                continue
            if spec.name in specs:
                problems.add(spec.where, f"already listed in {specs[spec.name][1]}")
                continue
            specs[spec.name] = (spec, path)
        _parse_titles(data.get("titles"), "titles", problems, generic)
        universal |= _parse_titles(data.get("universal"), "universal", problems, generic)
    if len(versions) > 1:
        raise KnowledgeBaseError(
            str(paths[0].parent), f"the files disagree on `version`: {sorted(versions)}"
        )
    _check_overlaps(holdings, holding_path, problems_of)

    alias_owner: dict[str, str] = {}
    for spec, _ in specs.values():
        for text in (*spec.aliases, *spec.weak_aliases):
            alias_owner.setdefault(_name_key(text), spec.name)
    terms_of: dict[str, list[Term]] = defaultdict(list)
    sectors_of: dict[str, tuple[str, ...]] = {}
    for i, holding in enumerate(holdings):
        owner = alias_owner.get(_name_key(holding.person))
        if holding.person not in specs and owner is not None:
            problems_of[holding_path[i]].add(
                holding.where, f"{holding.person!r} is an alias of {owner!r}; use the full name"
            )
            continue
        terms_of[holding.person].append(holding.term)
        entity = entities.get(holding.term.country or holding.term.org or "")
        if entity is not None and holding.person not in sectors_of:
            sectors_of[holding.person] = entity.offices[holding.office_key].sectors
    for spec, path in specs.values():
        if spec.name not in terms_of:
            problems_of[path].add(spec.where, "holds no office in any table (misspelt name?)")
    for problems in problems_of.values():
        problems.raise_if_any()

    people: dict[str, Person] = {}
    for name, terms in terms_of.items():
        terms.sort(key=lambda t: (t.start, _KIND_RANK[t.kind]))
        spec = specs[name][0] if name in specs else None
        if spec is not None and (spec.country is not None or spec.org is not None):
            country, org = spec.country, spec.org
        else:
            country, org = _home(terms)
        sectors = spec.sectors if spec is not None and spec.sectors is not None else None
        people[name] = Person(
            name=name,
            aliases=spec.aliases if spec else (),
            weak_aliases=spec.weak_aliases if spec else (),
            country=country,
            org=org,
            sectors=sectors if sectors is not None else sectors_of.get(name, ("GOV",)),
            terms=tuple(terms),
        )
    indexed: dict[tuple[str, str], list[tuple[Term, Person]]] = defaultdict(list)
    for holding in holdings:
        entity_code = holding.term.country or holding.term.org or ""
        indexed[(entity_code, holding.office_key)].append((holding.term, people[holding.person]))
    ordered = {k: tuple(sorted(v, key=lambda tp: tp[0].start)) for k, v in indexed.items()}
    version = f"offices:{versions.pop()}" if versions else "offices:?"
    offices = Offices(
        version=version,
        entities=entities,
        holdings=ordered,
        people=sorted(people.values(), key=lambda p: p.name),
        generic=generic,
        universal=frozenset(universal),
    )
    log.debug(
        "loaded %d offices of %d countries/organisations, %d people, from %d files",
        len(ordered),
        len(entities),
        len(people),
        len(paths),
    )
    return offices


def _home(terms: Sequence[Term]) -> tuple[str | None, str | None]:
    """(country, org) of someone with no `people` entry: the country of their latest national
    office, and the organisation of their latest office when that one is an organisation's."""

    def last(t: Term) -> tuple[date, date]:
        return (t.end or date.max, t.start)

    national = [t for t in terms if t.country is not None]
    country = max(national, key=last).country if national else None
    latest = max(terms, key=last)
    return country, latest.org


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.glob("*.yaml") if p.is_file())
        if not files:
            raise KnowledgeBaseError(str(path), "contains no *.yaml office tables")
        return files
    if path.is_file():
        return [path]
    raise KnowledgeBaseError(str(path), "no such file or folder of office tables")


@functools.cache
def _load_default() -> Offices:
    from dyad.cache import cached

    return cached("offices", [DATA_DIR, Path(__file__)], lambda: _build(_files(DATA_DIR)))


def load_offices(path: Path | None = None) -> Offices:
    """Read and validate the office tables: one YAML file, or every ``*.yaml`` in a folder.

    With no path, the bundled tables, read once per process. Raises
    :class:`~dyad.errors.KnowledgeBaseError` naming the file, the entry and what is wrong.
    """
    if path is None:
        return _load_default()
    return _build(_files(Path(path)))
