"""The claims stage's word tables: currencies, numbers, units, metrics and cues.

Both tables live in ``dyad/claims/data`` (``currencies.yaml`` and ``lexicon.yaml``), are read
once per process and validated at load: a missing section, a wrong type, an unknown metric or
currency code raises :class:`~dyad.errors.KnowledgeBaseError` naming the file, the entry and
what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, cast

import yaml

from dyad.errors import KnowledgeBaseError
from dyad.model import COMPARATORS, Comparator

DATA_DIR = Path(__file__).resolve().parent / "data"
CURRENCIES_FILE = "currencies.yaml"
LEXICON_FILE = "lexicon.yaml"

_ISO4217 = re.compile(r"^[A-Z]{3}$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_METRIC_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Currency:
    """One ISO 4217 currency and the ways it is written."""

    code: str
    countries: tuple[str, ...]
    symbols: tuple[str, ...]
    """Written before the number, case-sensitive ("$", "US$", "Rs")."""
    names: tuple[str, ...]
    """Written after the number, case-insensitive, plural "s" accepted."""
    scaled: tuple[str, ...]
    """Names that are common English words: accepted only after a scale word."""


@dataclass(frozen=True, slots=True)
class CurrencyWord:
    """A plain currency noun shared by several currencies ("pesos", "dinars")."""

    forms: tuple[str, ...]
    codes: tuple[str, ...]
    default: str | None


@dataclass(frozen=True, slots=True)
class Scale:
    """A scale word after a number ("billion", "bn", "crore")."""

    word: str
    factor: int
    glued: bool
    """True when it must follow the digits directly ("$5m")."""


@dataclass(frozen=True, slots=True)
class UnitWords:
    """Words of one non-money unit, with the factor to the unit's base."""

    unit: str
    words: tuple[str, ...]
    factor: float
    default_metric: str | None


@dataclass(frozen=True, slots=True)
class Metric:
    """One entry of the controlled list of metrics (see lexicon.yaml for the fields)."""

    name: str
    nouns: tuple[str, ...]
    verbs: tuple[str, ...]
    subject_verbs: tuple[str, ...]
    agent_verbs: tuple[str, ...]
    people: bool
    count: bool
    bare: bool
    """Its verbs count people even with no noun: "killed 12", "12 were arrested"."""
    agent: bool
    partners: bool
    recipient: bool


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Everything the claims stage reads quantities with."""

    version: str
    currencies: Mapping[str, Currency]
    currency_words: tuple[CurrencyWord, ...]
    number_words: Mapping[str, int]
    scales: tuple[Scale, ...]
    vague: Mapping[str, int]
    fractions: Mapping[str, float]
    multiples: Mapping[str, float]
    units: tuple[UnitWords, ...]
    gdp_words: tuple[str, ...]
    comparators_before: Mapping[str, Comparator]
    comparators_after: Mapping[str, Comparator]
    comparator_verbs: Mapping[str, Comparator]
    up_verbs: frozenset[str]
    down_verbs: frozenset[str]
    up_nouns: frozenset[str]
    down_nouns: frozenset[str]
    up_words: frozenset[str]
    down_words: frozenset[str]
    irregular: Mapping[str, tuple[str, ...]]
    metrics: Mapping[str, Metric]
    noun_cues: Mapping[tuple[str, ...], str]
    """Lemma word sequence ("defence", "spending") -> metric name."""
    cues_by_head: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]
    """The noun cues by their last word, longest first."""
    verb_cues: Mapping[str, str]
    subject_verb_cues: Mapping[str, str]
    agent_verb_cues: Mapping[str, str]
    people_nouns: frozenset[str]
    people_adjectives: Mapping[str, str]
    generic_nouns: frozenset[str]
    forecast_verbs: frozenset[str]
    intention_verbs: frozenset[str]
    future_nouns: frozenset[str]
    future_adjectives: frozenset[str]
    future_modals: frozenset[str]
    past_speculation_modals: frozenset[str]
    conditional_marks: frozenset[str]
    negating_verbs: frozenset[str]
    negating_words: frozenset[str]
    say_verbs: frozenset[str]
    source_nouns: frozenset[str]

    def verb_forms(self, lemma: str) -> tuple[str, ...]:
        """The written forms of a verb lemma: base, -s, -ed, -ing and listed irregular forms."""
        return _verb_forms(lemma, self.irregular.get(lemma, ()))


def cue_words(phrase: str) -> tuple[str, ...]:
    """A cue phrase as the lower-case word sequence it is matched on (hyphens split words)."""
    return tuple(w for w in re.split(r"[\s\-]+", phrase.lower()) if w)


def _verb_forms(lemma: str, irregular: tuple[str, ...]) -> tuple[str, ...]:
    forms = {lemma, *irregular}
    if lemma.endswith("e"):
        forms.update({lemma + "s", lemma + "d", lemma[:-1] + "ing"})
    elif lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in "aeiou":
        forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"})
    else:
        plural = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
        forms.add(plural)
        stem = lemma
        if (
            len(lemma) <= 4
            and len(lemma) >= 3
            and lemma[-1] not in "aeiouwxy"
            and lemma[-2] in "aeiou"
            and lemma[-3] not in "aeiou"
        ):
            stem = lemma + lemma[-1]
        forms.update({stem + "ed", stem + "ing"})
    return tuple(sorted(forms))


class _Reader:
    """Typed access to one YAML document with errors that name the file and the entry."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise KnowledgeBaseError(str(path), f"cannot be read ({exc.strerror})") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise KnowledgeBaseError(str(path), f"is not valid YAML ({exc})") from exc
        if not isinstance(data, dict):
            raise KnowledgeBaseError(str(path), "must be a mapping with a `version` key")
        if "version" not in data:
            raise KnowledgeBaseError(str(path), "has no `version`")
        self.data = cast(dict[str, Any], data)

    def fail(self, where: str, reason: str) -> KnowledgeBaseError:
        return KnowledgeBaseError(str(self.path), f"{where}: {reason}")

    def section(self, key: str) -> Any:
        if key not in self.data:
            raise KnowledgeBaseError(str(self.path), f"missing section `{key}`")
        return self.data[key]

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(where, f"key {key!r} is not a string")
        return cast(dict[str, Any], value)

    def items(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {type(value).__name__}")
        return value

    def strings(self, value: Any, where: str, *, required: bool = True) -> tuple[str, ...]:
        if value is None and not required:
            return ()
        items = self.items(value, where)
        out: list[str] = []
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}[{i}]", f"expected a non-empty string, got {item!r}")
            out.append(item)
        return tuple(out)

    def string(self, entry: dict[str, Any], key: str, where: str) -> str:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"`{key}` must be a non-empty string, got {value!r}")
        return value

    def number(
        self, entry: dict[str, Any], key: str, where: str, default: float | None = None
    ) -> float:
        value = entry.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(where, f"`{key}` must be a number, got {value!r}")
        return float(value)

    def flag(self, entry: dict[str, Any], key: str, where: str) -> bool:
        value = entry.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(where, f"`{key}` must be true or false, got {value!r}")
        return value


def _load_currencies(path: Path) -> tuple[Mapping[str, Currency], tuple[CurrencyWord, ...], str]:
    r = _Reader(path)
    currencies: dict[str, Currency] = {}
    seen_forms: dict[str, str] = {}
    for i, raw in enumerate(r.items(r.section("currencies"), "currencies")):
        where = f"currencies[{i}]"
        entry = r.mapping(raw, where)
        code = r.string(entry, "code", where)
        where = f"currency {code}"
        if not _ISO4217.match(code):
            raise r.fail(where, "`code` must be three upper-case letters (ISO 4217)")
        if code in currencies:
            raise r.fail(where, "duplicate code")
        countries = r.strings(entry.get("countries"), f"{where}.countries")
        for c in countries:
            if not _ISO3.match(c):
                raise r.fail(where, f"country {c!r} is not an ISO 3166-1 alpha-3 code")
        symbols = r.strings(entry.get("symbols", []), f"{where}.symbols", required=False)
        names = r.strings(entry.get("names"), f"{where}.names")
        scaled = r.strings(entry.get("scaled", []), f"{where}.scaled", required=False)
        for form in (*symbols, *names, *scaled):
            key = form if form in symbols else form.lower()
            if key in seen_forms and seen_forms[key] != code:
                raise r.fail(where, f"{form!r} is already written for {seen_forms[key]}")
            seen_forms[key] = code
        currencies[code] = Currency(code, countries, symbols, names, scaled)
    words: list[CurrencyWord] = []
    for i, raw in enumerate(r.items(r.section("words"), "words")):
        where = f"words[{i}]"
        entry = r.mapping(raw, where)
        forms = r.strings(entry.get("forms"), f"{where}.forms")
        where = f"word {forms[0]!r}"
        codes = r.strings(entry.get("codes"), f"{where}.codes")
        for code in codes:
            if code not in currencies:
                raise r.fail(where, f"unknown currency code {code!r}")
        default = entry.get("default")
        if default is not None and default not in codes:
            raise r.fail(where, f"default {default!r} is not one of its codes")
        for form in forms:
            if form.lower() in seen_forms:
                raise r.fail(where, f"{form!r} is already written for {seen_forms[form.lower()]}")
        words.append(CurrencyWord(forms, codes, default))
    return currencies, tuple(words), str(r.data["version"])


def _comparator_table(r: _Reader, value: Any, where: str) -> dict[str, Comparator]:
    table = r.mapping(value, where)
    out: dict[str, Comparator] = {}
    for comp, phrases in table.items():
        if comp not in COMPARATORS:
            raise r.fail(where, f"{comp!r} is not one of {', '.join(COMPARATORS)}")
        for phrase in r.strings(phrases, f"{where}.{comp}", required=False):
            key = phrase.lower()
            if key in out and out[key] != comp:
                raise r.fail(where, f"{phrase!r} is listed under {out[key]} and {comp}")
            out[key] = comp
    return out


def _word_set(r: _Reader, table: dict[str, Any], key: str, where: str) -> frozenset[str]:
    if key not in table:
        raise r.fail(where, f"missing `{key}`")
    return frozenset(w.lower() for w in r.strings(table[key], f"{where}.{key}"))


def _load_metrics(r: _Reader) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {}
    for i, raw in enumerate(r.items(r.section("metrics"), "metrics")):
        where = f"metrics[{i}]"
        entry = r.mapping(raw, where)
        name = r.string(entry, "name", where)
        where = f"metric {name}"
        if not _METRIC_NAME.match(name):
            raise r.fail(where, "name must be lower case letters, digits and underscores")
        if name in metrics:
            raise r.fail(where, "duplicate metric")
        known = {"name", "nouns", "verbs", "subject_verbs", "agent_verbs", "people", "count"}
        known |= {"bare", "agent"}
        known |= {"partners", "recipient"}
        unknown = set(entry) - known
        if unknown:
            raise r.fail(where, f"unknown field(s) {', '.join(sorted(unknown))}")
        metrics[name] = Metric(
            name=name,
            nouns=r.strings(entry.get("nouns"), f"{where}.nouns"),
            verbs=r.strings(entry.get("verbs", []), f"{where}.verbs", required=False),
            subject_verbs=r.strings(
                entry.get("subject_verbs", []), f"{where}.subject_verbs", required=False
            ),
            agent_verbs=r.strings(
                entry.get("agent_verbs", []), f"{where}.agent_verbs", required=False
            ),
            people=r.flag(entry, "people", where),
            count=r.flag(entry, "count", where),
            bare=r.flag(entry, "bare", where),
            agent=r.flag(entry, "agent", where),
            partners=r.flag(entry, "partners", where),
            recipient=r.flag(entry, "recipient", where),
        )
    return metrics


def _cue_tables(
    r: _Reader, metrics: Mapping[str, Metric]
) -> tuple[dict[tuple[str, ...], str], dict[str, str], dict[str, str], dict[str, str]]:
    nouns: dict[tuple[str, ...], str] = {}
    verbs: dict[str, str] = {}
    subject_verbs: dict[str, str] = {}
    agent_verbs: dict[str, str] = {}
    for metric in metrics.values():
        for phrase in metric.nouns:
            words = cue_words(phrase)
            if words in nouns and nouns[words] != metric.name:
                raise r.fail(f"metric {metric.name}", f"noun {phrase!r} is already {nouns[words]}")
            nouns[words] = metric.name
        tables = (
            (verbs, metric.verbs),
            (subject_verbs, metric.subject_verbs),
            (agent_verbs, metric.agent_verbs),
        )
        for table, listed in tables:
            for verb in listed:
                key = verb.lower()
                if key in verbs or key in subject_verbs or key in agent_verbs:
                    raise r.fail(f"metric {metric.name}", f"verb {verb!r} is listed twice")
                table[key] = metric.name
    return nouns, verbs, subject_verbs, agent_verbs


def _by_head(
    cues: Mapping[tuple[str, ...], str],
) -> dict[str, tuple[tuple[tuple[str, ...], str], ...]]:
    grouped: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, name in cues.items():
        grouped.setdefault(words[-1], []).append((words, name))
    return {
        head: tuple(sorted(items, key=lambda item: -len(item[0])))
        for head, items in grouped.items()
    }


def _load_lexicon(path: Path, currencies_path: Path) -> Lexicon:
    currencies, currency_words, currency_version = _load_currencies(currencies_path)
    r = _Reader(path)

    number_words: dict[str, int] = {}
    for word, value in r.mapping(r.section("number_words"), "number_words").items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise r.fail(f"number_words.{word}", f"expected a whole number, got {value!r}")
        number_words[word.lower()] = value

    scales: list[Scale] = []
    for i, raw in enumerate(r.items(r.section("scales"), "scales")):
        entry = r.mapping(raw, f"scales[{i}]")
        word = r.string(entry, "word", f"scales[{i}]")
        factor = r.number(entry, "factor", f"scale {word!r}")
        if factor <= 0 or not factor.is_integer():
            raise r.fail(f"scale {word!r}", "factor must be a positive whole number")
        scales.append(Scale(word.lower(), int(factor), r.flag(entry, "glued", f"scale {word!r}")))

    vague: dict[str, int] = {}
    for i, raw in enumerate(r.items(r.section("vague"), "vague")):
        entry = r.mapping(raw, f"vague[{i}]")
        phrase = r.string(entry, "phrase", f"vague[{i}]")
        vague[phrase.lower()] = int(r.number(entry, "value", f"vague {phrase!r}"))

    fractions: dict[str, float] = {}
    for i, raw in enumerate(r.items(r.section("fractions"), "fractions")):
        entry = r.mapping(raw, f"fractions[{i}]")
        value = r.number(entry, "value", f"fractions[{i}]")
        if not 0 < value < 100:
            raise r.fail(f"fractions[{i}]", f"value {value} is not a percentage between 0 and 100")
        for phrase in r.strings(entry.get("phrases"), f"fractions[{i}].phrases"):
            fractions[phrase.lower()] = value

    multiples: dict[str, float] = {}
    for i, raw in enumerate(r.items(r.section("multiples"), "multiples")):
        entry = r.mapping(raw, f"multiples[{i}]")
        value = r.number(entry, "value", f"multiples[{i}]")
        for form in r.strings(entry.get("forms"), f"multiples[{i}].forms"):
            multiples[form.lower()] = value

    metrics = _load_metrics(r)
    noun_cues, verb_cues, subject_verb_cues, agent_verb_cues = _cue_tables(r, metrics)

    units: list[UnitWords] = []
    for i, raw in enumerate(r.items(r.section("units"), "units")):
        where = f"units[{i}]"
        entry = r.mapping(raw, where)
        unit = r.string(entry, "unit", where)
        default_metric = entry.get("default_metric")
        if default_metric is not None and default_metric not in metrics:
            raise r.fail(f"unit {unit}", f"default_metric {default_metric!r} is not a metric")
        factor = r.number(entry, "factor", f"unit {unit}", default=1.0)
        if factor <= 0:
            raise r.fail(f"unit {unit}", "factor must be positive")
        units.append(
            UnitWords(
                unit, r.strings(entry.get("words"), f"unit {unit}.words"), factor, default_metric
            )
        )

    comparators = r.mapping(r.section("comparators"), "comparators")
    for key in ("before", "after", "verbs"):
        if key not in comparators:
            raise r.fail("comparators", f"missing `{key}`")

    directions = r.mapping(r.section("directions"), "directions")
    irregular: dict[str, tuple[str, ...]] = {}
    for verb, forms in r.mapping(r.section("irregular"), "irregular").items():
        irregular[verb.lower()] = r.strings(forms, f"irregular.{verb}")

    people_adjectives: dict[str, str] = {}
    for adjective, metric_name in r.mapping(
        r.section("people_adjectives"), "people_adjectives"
    ).items():
        if metric_name not in metrics:
            raise r.fail(f"people_adjectives.{adjective}", f"{metric_name!r} is not a metric")
        people_adjectives[adjective.lower()] = str(metric_name)

    status = r.mapping(r.section("status"), "status")
    attribution = r.mapping(r.section("attribution"), "attribution")

    return Lexicon(
        version=f"currencies:{currency_version} lexicon:{r.data['version']}",
        currencies=currencies,
        currency_words=currency_words,
        number_words=number_words,
        scales=tuple(scales),
        vague=vague,
        fractions=fractions,
        multiples=multiples,
        units=tuple(units),
        gdp_words=tuple(w.lower() for w in r.strings(r.section("gdp_words"), "gdp_words")),
        comparators_before=_comparator_table(r, comparators["before"], "comparators.before"),
        comparators_after=_comparator_table(r, comparators["after"], "comparators.after"),
        comparator_verbs=_comparator_table(r, comparators["verbs"], "comparators.verbs"),
        up_verbs=_word_set(r, directions, "up_verbs", "directions"),
        down_verbs=_word_set(r, directions, "down_verbs", "directions"),
        up_nouns=_word_set(r, directions, "up_nouns", "directions"),
        down_nouns=_word_set(r, directions, "down_nouns", "directions"),
        up_words=_word_set(r, directions, "up_words", "directions"),
        down_words=_word_set(r, directions, "down_words", "directions"),
        irregular=irregular,
        metrics=metrics,
        noun_cues=noun_cues,
        cues_by_head=_by_head(noun_cues),
        verb_cues=verb_cues,
        subject_verb_cues=subject_verb_cues,
        agent_verb_cues=agent_verb_cues,
        people_nouns=frozenset(
            w.lower() for w in r.strings(r.section("people_nouns"), "people_nouns")
        ),
        people_adjectives=people_adjectives,
        generic_nouns=frozenset(
            w.lower() for w in r.strings(r.section("generic_nouns"), "generic_nouns")
        ),
        forecast_verbs=_word_set(r, status, "forecast_verbs", "status"),
        intention_verbs=_word_set(r, status, "intention_verbs", "status"),
        future_nouns=_word_set(r, status, "future_nouns", "status"),
        future_adjectives=_word_set(r, status, "future_adjectives", "status"),
        future_modals=_word_set(r, status, "future_modals", "status"),
        past_speculation_modals=_word_set(r, status, "past_speculation_modals", "status"),
        conditional_marks=_word_set(r, status, "conditional_marks", "status"),
        negating_verbs=_word_set(r, status, "negating_verbs", "status"),
        negating_words=_word_set(r, status, "negating_words", "status"),
        say_verbs=_word_set(r, attribution, "verbs", "attribution"),
        source_nouns=_word_set(r, attribution, "nouns", "attribution"),
    )


@cache
def _default_lexicon() -> Lexicon:
    from dyad.cache import cached

    return cached(
        "claims-lexicon",
        [DATA_DIR, Path(__file__)],
        lambda: _load_lexicon(DATA_DIR / LEXICON_FILE, DATA_DIR / CURRENCIES_FILE),
    )


def load_lexicon(data_dir: Path | None = None) -> Lexicon:
    """The word tables from ``data_dir`` (default: the bundled ones, read once per process)."""
    if data_dir is None:
        return _default_lexicon()
    return _load_lexicon(data_dir / LEXICON_FILE, data_dir / CURRENCIES_FILE)
