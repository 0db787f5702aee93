"""The actor knowledge base: countries, organisations and sector words.

Three bundled tables (``actors/data/*.yaml``), written for dyad, each with a ``version``:

``countries.yaml``
    every UN member and observer state plus the territories and disputed places that news
    names as actors: ISO 3166-1 alpha-3 code, name variants, adjectives and demonyms, the
    capital and the seats of power that stand for a government ("the Kremlin", "the Pentagon").
``organizations.yaml``
    international organisations and their organs, NGOs, armed groups, state bodies, news
    agencies, a few parties, companies and groups, each with the actor code dyad writes.
``sectors.yaml``
    the CAMEO/PLOVER sector codes (GOV, MIL, REB, ...) with the nouns and adjectives that
    signal them ("troop" -> MIL, "judicial" -> JUD); nouns marked ``weak`` signal the sector
    only sometimes ("force", "officer").

:func:`load_kb` reads and validates the three files once per process. Every problem found is
reported in one :class:`~dyad.errors.KnowledgeBaseError` naming the file, the entry and its
line. :meth:`KnowledgeBase.aliases` lists every phrase that names an entry, ready for a
spaCy ``PhraseMatcher`` (short all-caps forms and ordinary English words are case-sensitive),
and :meth:`KnowledgeBase.lookup` finds the entries a given phrase names.
:meth:`KnowledgeBase.non_actor_phrases` lists phrases that contain an alias but name no actor
("Latin America", "Gulf of Guinea"), for a matcher to let them win over the alias inside.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, TypeAlias

import yaml

from dyad.errors import KnowledgeBaseError

log = logging.getLogger(__name__)

AliasKind: TypeAlias = Literal["country", "adjective", "demonym", "capital", "seat", "org"]

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Where the bundled tables live."""

COUNTRIES_FILE = "countries.yaml"
ORGANIZATIONS_FILE = "organizations.yaml"
SECTORS_FILE = "sectors.yaml"

COUNTRY_STATUSES: tuple[str, ...] = ("member", "observer", "territory", "disputed")
ORG_KINDS: tuple[str, ...] = (
    "igo",  # intergovernmental organisation or one of its organs
    "ngo",  # non-governmental organisation
    "armed",  # non-state armed group
    "state",  # a body of a state, or a de facto governing authority (KRG, Taliban)
    "party",  # political party or movement
    "company",
    "media",  # news agency, broadcaster, newspaper
    "group",  # an ethnic or religious community named as an actor
)
KIND_PREFIX: Mapping[str, str] = MappingProxyType(
    {"igo": "IGO", "ngo": "NGO", "armed": "IMG", "company": "MNC", "media": "MED"}
)
"""Code prefix of an organisation with neither a parent nor a home country, by kind."""

_ALIAS_KIND_ORDER: tuple[AliasKind, ...] = (
    "country",
    "adjective",
    "demonym",
    "capital",
    "seat",
    "org",
)
_ISO3 = re.compile(r"[A-Z]{3}")
_ORG_KEY = re.compile(r"[A-Z][A-Z0-9]*")
_ORG_CODE = re.compile(r"[A-Z][A-Z0-9]{2,}")
_SECTOR_CODE = re.compile(r"[A-Z]{3}")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bb": "'"})
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


# -- values ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seat:
    """A seat of power that stands for part of a state: "the Pentagon" -> (USA, MIL)."""

    text: str
    sector: str


@dataclass(frozen=True, slots=True)
class Country:
    """A state, territory or disputed place that news names as an actor."""

    iso3: str
    code: str
    name: str
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str | None
    seats: tuple[Seat, ...]
    status: str
    parent: str | None


@dataclass(frozen=True, slots=True)
class Organization:
    """An organisation: ``key`` is the ``org`` value of records, ``code`` the actor code."""

    key: str
    code: str
    name: str
    names: tuple[str, ...]
    kind: str
    sectors: tuple[str, ...]
    country: str | None
    parent: str | None
    members: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Sector:
    """A sector code with the nouns (lemmas and phrases, singular and plural) that signal it."""

    code: str
    label: str
    nouns: tuple[str, ...]
    weak_nouns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Alias:
    """One phrase that names a knowledge-base entry, as a PhraseMatcher should look for it."""

    text: str
    case_sensitive: bool
    kind: AliasKind
    key: str
    """The country's iso3 (country, adjective, demonym, capital, seat) or the org key."""
    sector: str | None
    """GOV for capitals, the seat's sector for seats, None otherwise."""


# -- text normalisation -----------------------------------------------------------------------


def _clean(text: str) -> str:
    """NFC, straight apostrophes and hyphens, single spaces."""
    text = unicodedata.normalize("NFC", text).translate(_APOSTROPHES).translate(_DASHES)
    return _SPACES.sub(" ", text).strip()


def _fold(text: str) -> str:
    """``text`` without accents: "Côte d'Ivoire" -> "Cote d'Ivoire"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _strip_the(text: str) -> str:
    stripped = _THE.sub("", text, count=1)
    return stripped if stripped else text


def _exact_form(text: str) -> str:
    """The form compared for case-sensitive aliases: cleaned, accent-free, no leading "the"."""
    return _fold(_strip_the(_clean(text)))


def _key(text: str) -> str:
    """The form compared for case-insensitive aliases (and for collisions)."""
    return _exact_form(text).casefold()


def _variants(text: str) -> list[str]:
    """The spellings a PhraseMatcher needs for one alias: as written, without accents, and
    with typographic apostrophes."""
    out = [text]
    folded = _fold(text)
    if folded != text:
        out.append(folded)
    for t in list(out):
        if "'" in t:
            out.append(t.replace("'", "\u2019"))
    return out


def _is_caps(text: str) -> bool:
    """Short all-caps and dotted forms ("US", "U.S.", "DRC", "G7", "OPEC+")."""
    return any(c.isalpha() for c in text) and not any(c.islower() for c in text)


_UNCOUNTABLE = frozenset(
    {
        "police",
        "media",
        "intelligence",
        "counterintelligence",
        "clergy",
        "military",
        "public",
        "people",
        "artillery",
        "enforcement",
        "prosecution",
        "judiciary",
        "gendarmerie",
        "mafia",
        "crime",
        "society",
        "staff",
        "tv",
        "television",
        "radio",
        "industry",
        "workforce",
    }
)
"""Nouns whose plural a sector table never needs."""


def _is_uncountable(phrase: str) -> bool:
    words = phrase.split(" ")
    head = words[words.index("of") - 1] if "of" in words[1:] else words[-1]
    return head in _UNCOUNTABLE or head.endswith("s")


_MAN_EXCEPTIONS = frozenset({"human", "shaman", "german", "roman", "talisman"})
_IRREGULAR_PLURALS: Mapping[str, str] = MappingProxyType(
    {"child": "children", "person": "people", "thief": "thieves", "wife": "wives"}
)


def _plural(word: str) -> str:
    """The regular English plural of a noun lemma ("troop" -> "troops", "army" -> "armies")."""
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith("man") and word not in _MAN_EXCEPTIONS:
        return word[:-3] + "men"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def _plural_phrase(phrase: str) -> str:
    """The phrase with its head noun in the plural: the last word ("armed force" -> "armed
    forces"), or the word before "of" ("head of state" -> "heads of state")."""
    words = phrase.split(" ")
    head = words.index("of") - 1 if "of" in words[1:] else len(words) - 1
    words[head] = _plural(words[head])
    return " ".join(words)


def _noun_key(text: str) -> str:
    return _SPACES.sub(" ", _clean(text).lower().replace("-", " ")).strip()


# -- the knowledge base -----------------------------------------------------------------------


class KnowledgeBase:
    """Countries, organisations and sectors, with indexes for matching and lookup."""

    __slots__ = (
        "_adjectives",
        "_aliases",
        "_by_code",
        "_by_key",
        "_not_actors",
        "_nouns",
        "countries",
        "organizations",
        "sector_adjectives",
        "sectors",
        "version",
    )

    version: str
    countries: Mapping[str, Country]
    organizations: Mapping[str, Organization]
    sectors: Mapping[str, Sector]
    sector_adjectives: Mapping[str, str]

    def __init__(
        self,
        *,
        version: str,
        countries: Mapping[str, Country],
        organizations: Mapping[str, Organization],
        sectors: Mapping[str, Sector],
        sector_adjectives: Mapping[str, str],
        aliases: Iterable[Alias],
        nouns: Mapping[str, tuple[str, bool]],
        not_actors: Iterable[str] = (),
    ) -> None:
        self.version = version
        self.countries = MappingProxyType(dict(countries))
        self.organizations = MappingProxyType(dict(organizations))
        self.sectors = MappingProxyType(dict(sectors))
        self.sector_adjectives = MappingProxyType(dict(sector_adjectives))
        self._aliases = tuple(aliases)
        self._not_actors = tuple(v for phrase in not_actors for v in _variants(phrase))
        self._nouns = dict(nouns)
        self._adjectives = {_noun_key(k): v for k, v in sector_adjectives.items()}
        by_key: dict[str, list[Alias]] = {}
        for alias in self._aliases:
            by_key.setdefault(_key(alias.text), []).append(alias)
        self._by_key = by_key
        by_code: dict[str, Country] = {}
        for country in self.countries.values():
            by_code[country.code] = country
        for country in self.countries.values():
            by_code[country.iso3] = country
        self._by_code = by_code

    def __repr__(self) -> str:
        return (
            f"KnowledgeBase({self.version!r}: {len(self.countries)} countries, "
            f"{len(self.organizations)} organizations, {len(self.sectors)} sectors)"
        )

    def aliases(self) -> Iterator[Alias]:
        """Every alias of every entry, spelling variants included, for a PhraseMatcher."""
        return iter(self._aliases)

    def non_actor_phrases(self) -> Iterator[str]:
        """Phrases that contain an alias but name no actor ("Latin America", "Indian Ocean",
        "Gulf of Guinea"): a matcher should let them win over the alias inside and drop them.
        Matched without regard to case."""
        return iter(self._not_actors)

    def lookup(self, text: str) -> tuple[Alias, ...]:
        """The entries this exact phrase names, one alias per (kind, key, sector).

        A leading "the" is ignored; case is ignored unless the alias is case-sensitive
        ("us" and "who" name nothing, "US" and "WHO" do); accents and typographic
        apostrophes are ignored.
        """
        exact = _exact_form(text)
        found: dict[tuple[str, str, str | None], Alias] = {}
        for alias in self._by_key.get(exact.casefold(), ()):
            if alias.case_sensitive and _exact_form(alias.text) != exact:
                continue
            found.setdefault((alias.kind, alias.key, alias.sector), alias)
        order = {kind: i for i, kind in enumerate(_ALIAS_KIND_ORDER)}
        return tuple(sorted(found.values(), key=lambda a: order[a.kind]))

    def sector_for_noun(self, lemma: str) -> tuple[str, bool] | None:
        """(sector code, weak) for a head noun lemma or phrase, singular or plural."""
        return self._nouns.get(_noun_key(lemma))

    def sector_for_adjective(self, lemma: str) -> str | None:
        """The sector an adjective signals ("military" -> MIL, "judicial" -> JUD)."""
        return self._adjectives.get(_noun_key(lemma))

    def country_by_code(self, code: str) -> Country | None:
        """The country with this ISO alpha-3 or actor code (any case)."""
        return self._by_code.get(code.strip().upper())


# -- loading ----------------------------------------------------------------------------------


class _LineDict(dict[Any, Any]):
    """A YAML mapping that remembers the line it starts on."""

    line: int = 0


class _DuplicateKeyError(Exception):
    pass


class _Loader(yaml.SafeLoader):
    """A safe loader that rejects duplicate keys and records line numbers."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in out
        except TypeError as exc:
            raise _DuplicateKeyError(
                f"line {key_node.start_mark.line + 1}: a mapping key must be a plain value"
            ) from exc
        if duplicate:
            raise _DuplicateKeyError(
                f"line {key_node.start_mark.line + 1}: duplicate key {key!r} "
                f"(in the mapping that starts on line {out.line})"
            )
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)


def _read_yaml(path: Path) -> _LineDict:
    if not path.is_file():
        raise KnowledgeBaseError(str(path), "file not found (the actor tables ship with dyad)")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeBaseError(str(path), f"cannot be read: {exc}") from exc
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except _DuplicateKeyError as exc:
        raise KnowledgeBaseError(str(path), str(exc)) from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(str(path), f"not valid YAML: {exc}") from exc
    if not isinstance(data, _LineDict):
        raise KnowledgeBaseError(str(path), "expected a mapping with 'version' at the top")
    return data


class _Problems:
    """Collects what is wrong with one file, to report it all at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, where: str, reason: str) -> None:
        self.items.append(f"{where}: {reason}" if where else reason)

    def raise_if_any(self) -> None:
        if not self.items:
            return
        if len(self.items) == 1:
            raise KnowledgeBaseError(str(self.path), self.items[0])
        listing = "\n  - ".join(self.items)
        raise KnowledgeBaseError(str(self.path), f"{len(self.items)} problems:\n  - {listing}")


def _top(data: _LineDict, list_key: str, allowed: set[str], problems: _Problems) -> str:
    """Check the top-level keys; return the version as a string."""
    for key in data:
        if key not in allowed:
            problems.add(
                "", f"unknown top-level key {key!r} (expected {', '.join(sorted(allowed))})"
            )
    version = data.get("version")
    if version is None or isinstance(version, bool) or not isinstance(version, (int, str)):
        problems.add("", "'version' is missing (write e.g. 'version: 1' at the top)")
        version = "?"
    if not isinstance(data.get(list_key), list) or not data[list_key]:
        problems.add("", f"'{list_key}' must be a non-empty list of entries")
    return str(version)


def _where(kind: str, entry: Any, ident: str | None, index: int) -> str:
    line = entry.line if isinstance(entry, _LineDict) else 0
    name = ident if ident else f"#{index + 1}"
    return f"{kind} {name}" + (f" (line {line})" if line else "")


def _fields(
    entry: _LineDict, where: str, required: set[str], optional: set[str], problems: _Problems
) -> bool:
    ok = True
    for key in entry:
        if key not in required and key not in optional:
            problems.add(where, f"unknown field {key!r}")
            ok = False
    for key in sorted(required):
        if key not in entry:
            problems.add(where, f"missing field {key!r}")
            ok = False
    return ok


def _text(value: Any, where: str, field: str, problems: _Problems) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.add(where, f"{field!r} must be a non-empty string, got {value!r}")
        return None
    if value != value.strip():
        problems.add(where, f"{field!r} has surrounding spaces: {value!r}")
    return value.strip()


def _opt_text(value: Any, where: str, field: str, problems: _Problems) -> str | None:
    return None if value is None else _text(value, where, field, problems)


def _texts(
    value: Any, where: str, field: str, problems: _Problems, *, no_the: bool = False
) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.add(where, f"{field!r} must be a list, got {value!r}")
        return ()
    out: list[str] = []
    for item in value:
        text = _text(item, where, field, problems)
        if text is None:
            continue
        if text in out:
            problems.add(where, f"{field!r} lists {text!r} twice")
            continue
        if no_the and _THE.match(text):
            problems.add(where, f"{field!r}: write {text!r} without the leading 'the'")
        out.append(text)
    return tuple(out)


def _case_sensitive_list(data: _LineDict, problems: _Problems) -> set[str]:
    value = data.get("case_sensitive")
    if value is None:
        return set()
    return {_key(t) for t in _texts(value, "case_sensitive", "case_sensitive", problems)}


# -- sectors.yaml -----------------------------------------------------------------------------


def _load_sectors(
    path: Path,
) -> tuple[str, dict[str, Sector], dict[str, str], dict[str, tuple[str, bool]]]:
    data = _read_yaml(path)
    problems = _Problems(path)
    version = _top(data, "sectors", {"version", "sectors", "sector_adjectives"}, problems)
    sectors: dict[str, Sector] = {}
    owner: dict[str, tuple[str, bool]] = {}
    for i, entry in enumerate(data.get("sectors") or []):
        if not isinstance(entry, _LineDict):
            problems.add(f"sector #{i + 1}", f"expected a mapping, got {entry!r}")
            continue
        code_value = entry.get("code")
        where = _where("sector", entry, code_value if isinstance(code_value, str) else None, i)
        if not _fields(entry, where, {"code", "label", "nouns"}, set(), problems):
            continue
        code = _text(entry["code"], where, "code", problems)
        label = _text(entry["label"], where, "label", problems)
        if code is None or label is None:
            continue
        if not _SECTOR_CODE.fullmatch(code):
            problems.add(where, f"code {code!r} must be 3 upper-case letters")
        if code in sectors:
            problems.add(where, f"code {code!r} is defined twice")
            continue
        strong: list[str] = []
        weak: list[str] = []
        nouns = entry["nouns"]
        if not isinstance(nouns, list):
            problems.add(where, "'nouns' must be a list")
            nouns = []
        for item in nouns:
            is_weak = False
            if isinstance(item, _LineDict):
                if set(item) - {"text", "weak"} or "text" not in item:
                    problems.add(where, f"a noun must be a string or {{text, weak}}, got {item!r}")
                    continue
                is_weak = item.get("weak", False)
                if not isinstance(is_weak, bool):
                    problems.add(where, f"'weak' of {item['text']!r} must be true or false")
                    continue
                item = item["text"]
            text = _text(item, where, "nouns", problems)
            if text is None:
                continue
            if text != text.lower():
                problems.add(where, f"noun {text!r} must be written in lower case")
                continue
            noun_key = _noun_key(text)
            if noun_key in owner and owner[noun_key] != (code, is_weak):
                other, other_weak = owner[noun_key]
                also = f"{other} (weak)" if other_weak else other
                problems.add(where, f"noun {text!r} is also listed under {also}")
                continue
            if text in strong or text in weak:
                problems.add(where, f"noun {text!r} is listed twice")
                continue
            owner[noun_key] = (code, is_weak)
            (weak if is_weak else strong).append(text)
        sectors[code] = Sector(code, label, tuple(strong), tuple(weak))
    adjectives: dict[str, str] = {}
    raw_adjectives = data.get("sector_adjectives")
    if raw_adjectives is not None and not isinstance(raw_adjectives, _LineDict):
        problems.add("sector_adjectives", "must be a mapping of adjective to sector code")
    elif raw_adjectives is not None:
        for adjective, code in raw_adjectives.items():
            where = f"sector_adjectives {adjective!r}"
            if not isinstance(adjective, str) or adjective != adjective.lower():
                problems.add(where, "adjectives must be lower-case strings")
            elif code not in sectors:
                problems.add(where, f"sector {code!r} is not defined in this file")
            else:
                adjectives[adjective] = code
    problems.raise_if_any()
    # Plurals of every noun and phrase ("troops", "security forces"); explicit entries win.
    nouns_index = dict(owner)
    final: dict[str, Sector] = {}
    for sector in sectors.values():
        forms: dict[bool, list[str]] = {False: list(sector.nouns), True: list(sector.weak_nouns)}
        for is_weak, texts in forms.items():
            for text in list(texts):
                plural = _plural_phrase(text)
                if plural == text + "es" or text.endswith("ed") or _is_uncountable(text):
                    continue
                plural_key = _noun_key(plural)
                if plural_key not in nouns_index:
                    nouns_index[plural_key] = (sector.code, is_weak)
                    texts.append(plural)
        final[sector.code] = Sector(
            sector.code, sector.label, tuple(forms[False]), tuple(forms[True])
        )
    return version, final, adjectives, nouns_index


# -- countries.yaml ---------------------------------------------------------------------------


def _seats(
    value: Any, where: str, sectors: Mapping[str, Sector], problems: _Problems
) -> list[Seat]:
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(where, f"'seats' must be a list, got {value!r}")
        return []
    seats: list[Seat] = []
    for item in value:
        if isinstance(item, str):
            text = _text(item, where, "seats", problems)
            sector: Any = "GOV"
        elif isinstance(item, _LineDict) and set(item) == {"text", "sector"}:
            text = _text(item["text"], where, "seats", problems)
            sector = item["sector"]
        else:
            problems.add(where, f"a seat must be a string or {{text, sector}}, got {item!r}")
            continue
        if text is None:
            continue
        if sector not in sectors:
            problems.add(where, f"seat {text!r}: sector {sector!r} is not in sectors.yaml")
            continue
        seats.append(Seat(text, str(sector)))
    return seats


def _load_countries(
    path: Path, sectors: Mapping[str, Sector]
) -> tuple[str, dict[str, Country], set[str], tuple[str, ...]]:
    data = _read_yaml(path)
    problems = _Problems(path)
    allowed = {"version", "countries", "case_sensitive", "not_actors"}
    version = _top(data, "countries", allowed, problems)
    case_sensitive = _case_sensitive_list(data, problems)
    not_actors = _texts(data.get("not_actors"), "not_actors", "not_actors", problems)
    countries: dict[str, Country] = {}
    codes: dict[str, str] = {}
    lines: dict[str, str] = {}
    required = {"iso3", "code", "name", "names", "adjectives", "demonyms", "capital", "status"}
    for i, entry in enumerate(data.get("countries") or []):
        if not isinstance(entry, _LineDict):
            problems.add(f"country #{i + 1}", f"expected a mapping, got {entry!r}")
            continue
        iso_value = entry.get("iso3")
        where = _where("country", entry, iso_value if isinstance(iso_value, str) else None, i)
        if not _fields(entry, where, required, {"seats", "parent"}, problems):
            continue
        iso3 = _text(entry["iso3"], where, "iso3", problems)
        code = _text(entry["code"], where, "code", problems)
        name = _text(entry["name"], where, "name", problems)
        if iso3 is None or code is None or name is None:
            continue
        if not _ISO3.fullmatch(iso3):
            problems.add(where, f"iso3 {iso3!r} must be 3 upper-case letters")
        if not _ISO3.fullmatch(code):
            problems.add(where, f"code {code!r} must be 3 upper-case letters")
        if iso3 in countries:
            problems.add(where, f"iso3 {iso3} is already used by {lines[iso3]}")
            continue
        if code in codes:
            problems.add(where, f"code {code} is already used by country {codes[code]}")
        names = _texts(entry["names"], where, "names", problems, no_the=True)
        if _THE.match(name):
            problems.add(where, f"name {name!r}: write it without the leading 'the'")
        if name not in names:
            names = (name, *names)
        status = entry["status"]
        if status not in COUNTRY_STATUSES:
            problems.add(where, f"status {status!r} is not one of {', '.join(COUNTRY_STATUSES)}")
        parent = _opt_text(entry.get("parent"), where, "parent", problems)
        if status == "territory" and parent is None:
            problems.add(where, "a territory needs a 'parent' (the sovereign state's iso3)")
        if status in ("member", "observer") and parent is not None:
            problems.add(where, f"a {status} state has no parent (got {parent!r})")
        countries[iso3] = Country(
            iso3=iso3,
            code=code,
            name=name,
            names=names,
            adjectives=_texts(entry["adjectives"], where, "adjectives", problems),
            demonyms=_texts(entry["demonyms"], where, "demonyms", problems),
            capital=_opt_text(entry["capital"], where, "capital", problems),
            seats=tuple(_seats(entry.get("seats"), where, sectors, problems)),
            status=str(status),
            parent=parent,
        )
        codes[code] = iso3
        lines[iso3] = where
    for iso3, country in countries.items():
        if country.code != iso3 and country.code in countries:
            problems.add(lines[iso3], f"code {country.code} is the iso3 of another country")
        if country.parent is not None:
            if country.parent == iso3:
                problems.add(lines[iso3], "a country cannot be its own parent")
            elif country.parent not in countries:
                problems.add(
                    lines[iso3], f"parent {country.parent!r} is not a country in this file"
                )
    problems.raise_if_any()
    return version, countries, case_sensitive, not_actors


# -- organizations.yaml -----------------------------------------------------------------------


def _load_organizations(
    path: Path, sectors: Mapping[str, Sector], countries: Mapping[str, Country]
) -> tuple[str, dict[str, Organization], set[str]]:
    data = _read_yaml(path)
    problems = _Problems(path)
    version = _top(data, "organizations", {"version", "organizations", "case_sensitive"}, problems)
    case_sensitive = _case_sensitive_list(data, problems)
    orgs: dict[str, Organization] = {}
    lines: dict[str, str] = {}
    codes: dict[str, str] = {}
    country_codes = {c.code for c in countries.values()} | set(countries)
    required = {"key", "code", "name", "names", "kind", "sectors"}
    for i, entry in enumerate(data.get("organizations") or []):
        if not isinstance(entry, _LineDict):
            problems.add(f"organization #{i + 1}", f"expected a mapping, got {entry!r}")
            continue
        key_value = entry.get("key")
        where = _where("organization", entry, key_value if isinstance(key_value, str) else None, i)
        if not _fields(entry, where, required, {"country", "parent", "members"}, problems):
            continue
        key = _text(entry["key"], where, "key", problems)
        code = _text(entry["code"], where, "code", problems)
        name = _text(entry["name"], where, "name", problems)
        if key is None or code is None or name is None:
            continue
        if not _ORG_KEY.fullmatch(key):
            problems.add(where, f"key {key!r} must be upper-case letters and digits")
        if not _ORG_CODE.fullmatch(code):
            problems.add(where, f"code {code!r} must be 3 or more upper-case letters and digits")
        if key in orgs:
            problems.add(where, f"key {key} is already used by {lines[key]}")
            continue
        if code in codes:
            problems.add(where, f"code {code} is already used by organization {codes[code]}")
        if code in country_codes:
            problems.add(where, f"code {code} is a country code")
        kind = entry["kind"]
        if kind not in ORG_KINDS:
            problems.add(where, f"kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
        names = _texts(entry["names"], where, "names", problems, no_the=True)
        if name not in names:
            names = (name, *names)
        org_sectors = _texts(entry["sectors"], where, "sectors", problems)
        for sector in org_sectors:
            if sector not in sectors:
                problems.add(where, f"sector {sector!r} is not in sectors.yaml")
        if not org_sectors and kind != "group":
            problems.add(where, "'sectors' must name at least one sector")
        country = _opt_text(entry.get("country"), where, "country", problems)
        if country is not None and country not in countries:
            problems.add(where, f"country {country!r} is not in countries.yaml")
        members = _texts(entry.get("members"), where, "members", problems)
        unknown = [m for m in members if m not in countries]
        if unknown:
            problems.add(where, f"members not in countries.yaml: {', '.join(unknown)}")
        orgs[key] = Organization(
            key=key,
            code=code,
            name=name,
            names=names,
            kind=str(kind),
            sectors=org_sectors,
            country=country,
            parent=_opt_text(entry.get("parent"), where, "parent", problems),
            members=members,
        )
        lines[key] = where
        codes[code] = key
    for key, org in orgs.items():
        where = lines[key]
        if org.parent is not None:
            if org.parent not in orgs:
                problems.add(where, f"parent {org.parent!r} is not an organization in this file")
                continue
            seen = {key}
            up: str | None = org.parent
            while up is not None and up in orgs:
                if up in seen:
                    problems.add(where, f"parent chain loops back to {up}")
                    break
                seen.add(up)
                up = orgs[up].parent
            prefix = orgs[org.parent].code
            if not org.code.startswith(prefix):
                problems.add(where, f"code {org.code} must start with its parent's code {prefix}")
        elif org.country is not None:
            prefix = countries[org.country].code if org.country in countries else org.country
            if not org.code.startswith(prefix):
                problems.add(where, f"code {org.code} must start with its country's code {prefix}")
        elif org.kind in KIND_PREFIX and not org.code.startswith(KIND_PREFIX[org.kind]):
            problems.add(
                where,
                f"code {org.code} of a {org.kind} with no parent or country must start with "
                f"{KIND_PREFIX[org.kind]}",
            )
    problems.raise_if_any()
    return version, orgs, case_sensitive


# -- aliases ----------------------------------------------------------------------------------


def _country_aliases(countries: Mapping[str, Country], case_sensitive: set[str]) -> list[Alias]:
    def cs(text: str) -> bool:
        return _is_caps(text) or _key(text) in case_sensitive

    out: list[Alias] = []
    name_keys: set[str] = set()
    for country in countries.values():
        for name in country.names:
            for v in _variants(name):
                out.append(Alias(v, cs(name), "country", country.iso3, None))
                name_keys.add(_key(v))
    for country in countries.values():
        words: tuple[tuple[AliasKind, tuple[str, ...]], ...] = (
            ("adjective", country.adjectives),
            ("demonym", country.demonyms),
        )
        for kind, texts in words:
            for text in texts:
                out.extend(Alias(v, cs(text), kind, country.iso3, None) for v in _variants(text))
        places: list[tuple[AliasKind, str, str]] = []
        if country.capital is not None:
            places.append(("capital", country.capital, "GOV"))
        places.extend(("seat", seat.text, seat.sector) for seat in country.seats)
        for kind, text, sector in places:
            for v in _variants(text):
                # "Djibouti", "Kuwait", "Singapore": the country, never the city
                if _key(v) not in name_keys:
                    out.append(Alias(v, cs(text), kind, country.iso3, sector))
    return out


def _org_aliases(orgs: Mapping[str, Organization], case_sensitive: set[str]) -> list[Alias]:
    out: list[Alias] = []
    for org in orgs.values():
        for name in org.names:
            sensitive = _is_caps(name) or _key(name) in case_sensitive
            out.extend(Alias(v, sensitive, "org", org.key, None) for v in _variants(name))
    return out


def _check_case_list(
    path: Path, case_sensitive: set[str], aliases: Iterable[Alias], problems: _Problems
) -> None:
    known = {_key(a.text) for a in aliases}
    for text in sorted(case_sensitive - known):
        problems.add("case_sensitive", f"{text!r} is not an alias of any entry in this file")


def _collisions(aliases: Iterable[Alias], label: str) -> list[str]:
    owners: dict[str, dict[str, str]] = {}
    for alias in aliases:
        owners.setdefault(_key(alias.text), {}).setdefault(alias.key, alias.text)
    out: list[str] = []
    for entries in owners.values():
        if len(entries) > 1:
            texts = sorted(set(entries.values()))
            keys = ", ".join(sorted(entries))
            out.append(f"{' / '.join(repr(t) for t in texts)} names {label} {keys}")
    return sorted(out)


# -- entry point ------------------------------------------------------------------------------


def _load(data_dir: Path) -> KnowledgeBase:
    sectors_path = data_dir / SECTORS_FILE
    countries_path = data_dir / COUNTRIES_FILE
    orgs_path = data_dir / ORGANIZATIONS_FILE
    s_version, sectors, adjectives, nouns = _load_sectors(sectors_path)
    c_version, countries, c_case, not_actors = _load_countries(countries_path, sectors)
    o_version, orgs, o_case = _load_organizations(orgs_path, sectors, countries)

    country_aliases = _country_aliases(countries, c_case)
    problems = _Problems(countries_path)
    _check_case_list(countries_path, c_case, country_aliases, problems)
    for collision in _collisions(country_aliases, "more than one country:"):
        problems.add("alias collision", collision)
    alias_keys = {_key(a.text) for a in country_aliases}
    for phrase in not_actors:
        if _key(phrase) in alias_keys:
            problems.add("not_actors", f"{phrase!r} is itself an alias")
    problems.raise_if_any()

    org_aliases = _org_aliases(orgs, o_case)
    problems = _Problems(orgs_path)
    _check_case_list(orgs_path, o_case, org_aliases, problems)
    for collision in _collisions(org_aliases, "more than one organization:"):
        problems.add("alias collision", collision)
    country_keys = {_key(a.text): a.key for a in country_aliases}
    for alias in org_aliases:
        owner = country_keys.get(_key(alias.text))
        if owner is not None:
            problems.add(
                "alias collision",
                f"{alias.text!r} names organization {alias.key} and country {owner}",
            )
    problems.raise_if_any()

    seen: set[tuple[str, bool, str, str, str | None]] = set()
    aliases: list[Alias] = []
    for alias in (*country_aliases, *org_aliases):
        ident = (alias.text, alias.case_sensitive, alias.kind, alias.key, alias.sector)
        if ident not in seen:
            seen.add(ident)
            aliases.append(alias)
    kb = KnowledgeBase(
        version=f"countries:{c_version} organizations:{o_version} sectors:{s_version}",
        countries=countries,
        organizations=orgs,
        sectors=sectors,
        sector_adjectives=adjectives,
        aliases=aliases,
        nouns=nouns,
        not_actors=not_actors,
    )
    log.info(
        "actor knowledge base %s: %d countries, %d organizations, %d sectors, %d aliases",
        kb.version,
        len(countries),
        len(orgs),
        len(sectors),
        len(aliases),
    )
    return kb


@cache
def _load_default() -> KnowledgeBase:
    from dyad.cache import cached

    return cached("actors-kb", [DATA_DIR, Path(__file__)], lambda: _load(DATA_DIR))


def load_kb(data_dir: Path | None = None) -> KnowledgeBase:
    """The knowledge base from ``data_dir`` (the bundled tables when None, loaded once per
    process). Raises :class:`~dyad.errors.KnowledgeBaseError` naming every problem found."""
    if data_dir is None:
        return _load_default()
    return _load(Path(data_dir))
