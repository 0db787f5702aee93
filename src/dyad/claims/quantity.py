"""Reading quantities as written: "$200 billion", "40%", "3.5 percentage points", "halved".

:func:`scan_amounts` finds every written amount in a piece of text with regular expressions
built once from the word tables (``data/*.yaml``): the number (digits, words, ranges, vague
plurals such as "thousands"), its scale ("bn", "million", "crore"), its unit (a currency
symbol, code or name; percent; percentage or basis points; tonnes, barrels per day, cubic
metres, square kilometres) and the comparator words around it ("more than", "or so").
The claims stage then reads the sentence's parse to decide what each amount measures;
:func:`parse_quantity` reads one phrase on its own, from its words alone.

Conventions (the claim record's ``quantity``):

- ``value`` is in base units: "$200 billion" -> 200000000000, "1.5 lakh" -> 150000,
  "25 basis points" -> 0.25 percentage points, "5,000 kg" -> 5 tonnes.
- A change is signed: "fell 12%" -> -12, "doubled" -> +100 (percent), "halved" -> -50,
  "fell by a third" -> -33.3. A level is never negative unless written so.
- A range ("30-40 people", "between 5 and 10 percent") is its midpoint with comparator "~".
- A vague plural ("thousands of protesters", "billions of dollars") is the smallest value the
  words allow (2,000; 2,000,000,000) with comparator ">".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal, TypeAlias

from dyad.claims.lexicon import Lexicon, load_lexicon
from dyad.model import Comparator, Quantity, QuantityType

AmountKind: TypeAlias = Literal[
    "money", "percent", "points", "measure", "count", "fraction", "multiple"
]


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount as written, found by :func:`scan_amounts` (offsets into the scanned text).

    ``value`` is the magnitude in base units, before any direction of change is applied
    (multiples carry their own sign: "halved" is -50). ``unit`` is None for bare counts and for
    money written with a currency word shared by several currencies ("pesos"): then
    ``currency_codes`` holds the candidates and ``currency_default`` the usual reading.
    """

    start: int
    end: int
    text: str
    value: float
    kind: AmountKind
    unit: str | None
    comparator: Comparator = "="
    phrase_start: int = 0
    """Start of the amount with the comparator words written before it."""
    phrase_end: int = 0
    """End of the amount with the comparator words written after it ("or more")."""
    currency_codes: tuple[str, ...] = ()
    currency_default: str | None = None
    vague: bool = False
    ranged: bool = False
    scaled: bool = False
    default_metric: str | None = None
    by_phrase: bool = False
    """A fraction written after "by" or "in" ("fell by a third", "cut in half")."""
    comparator_text: str = ""
    """The comparator words as listed ("more than", "up to"), lower case; "" when none."""


def _phrase(text: str) -> str:
    """A regex for a phrase: its words escaped, any whitespace between them."""
    return r"\s+".join(re.escape(w) for w in text.split())


def _alternation(phrases: list[str] | set[str] | tuple[str, ...]) -> str:
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(_phrase(p) for p in ordered)


def _decimal(digits: str) -> Decimal:
    return Decimal(digits.replace(",", ""))


def _plural(noun: str) -> set[str]:
    """Written forms of a (possibly multi-word) noun lemma: singular and plural."""
    head, _, last = noun.rpartition(" ")
    prefix = head + " " if head else ""
    irregular = {"person": "people", "child": "children", "woman": "women", "man": "men"}
    forms = {last}
    if last in irregular:
        forms.add(irregular[last])
    elif last.endswith("man"):
        forms.add(last[:-3] + "men")
    elif last.endswith("y") and len(last) > 2 and last[-2] not in "aeiou":
        forms.add(last[:-1] + "ies")
    elif last.endswith(("s", "sh", "ch", "x")):
        forms.add(last + "es")
    else:
        forms.add(last + "s")
    return {prefix + f for f in forms}


class Scanner:
    """The compiled expressions of one :class:`Lexicon`."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        units = sorted(lex.number_words, key=lambda w: lex.number_words[w])
        ones = [w for w in units if 0 < lex.number_words[w] < 10]
        small = [w for w in units if lex.number_words[w] < 20]
        tens = [w for w in units if lex.number_words[w] >= 20]
        small_number = (
            rf"(?:(?:{'|'.join(tens)})(?:[\s-](?:{'|'.join(ones)}))?|(?:{'|'.join(small)}))"
        )
        big_scales = "hundred|thousand|million|billion|trillion|dozen|lakh|crore"
        word_number = (
            rf"(?:{small_number}(?:\s+hundred(?:\s+(?:and\s+)?{small_number})?)?"
            rf"|(?:half\s+an?|an?)(?=[\s-]+(?:{big_scales})\b))"
        )
        digits = r"(?:\d{1,3}(?:,\d{2})*(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
        number = (
            rf"(?:(?i:between)\s+(?P<lo1>{digits})\s+(?i:and)\s+(?P<hi1>{digits})"
            rf"|(?P<lo2>{digits})(?:\s*[-–—]\s*|\s+(?i:to)\s+)(?P<hi2>{digits})"
            rf"|(?P<digits>{digits})"
            rf"|(?P<words>(?i:{word_number})))"
        )
        glued = [s.word for s in lex.scales if s.glued]
        spaced = [s.word for s in lex.scales if not s.glued]
        short = [w for w in spaced if len(w) <= 3]
        self._scales = {s.word: s.factor for s in lex.scales}
        scale = (
            rf"(?:(?P<gscale>(?i:{_alternation(glued + short)}))"
            rf"|[\s-]+(?P<scale>(?i:{_alternation(spaced)})))(?![^\W\d_])"
        )
        self._unit_of: dict[str, tuple[str, float, str | None]] = {}
        for u in lex.units:
            for w in u.words:
                self._unit_of[w.lower()] = (u.unit, u.factor, u.default_metric)
        gdp = _alternation(list(lex.gdp_words))
        gdp_tail = (
            r"(?P<gdp>\s+of\s+(?:(?:the|its|their|his|her|our|this|that)\s+"
            r"|[\w.’'-]+(?:'s|’s)\s+)?(?:country(?:'s|’s)\s+|national\s+|annual\s+)?"
            rf"(?i:{gdp}))"
        )
        unit_words = _alternation(list(self._unit_of))
        self._symbols: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._scaled_names: dict[str, str] = {}
        for cur in lex.currencies.values():
            for sym in cur.symbols:
                self._symbols[sym] = cur.code
            self._symbols[cur.code] = cur.code
            for name in cur.names:
                for form in (name.lower(), name.lower() + "s"):
                    self._names.setdefault(form, cur.code)
            for name in cur.scaled:
                for form in (name.lower(), name.lower() + "s"):
                    self._scaled_names.setdefault(form, cur.code)
        self._words: dict[str, tuple[tuple[str, ...], str | None]] = {}
        for word in lex.currency_words:
            for form in word.forms:
                self._words[form.lower()] = (word.codes, word.default)
        codes = _alternation(list(lex.currencies))
        symbols = _alternation(list(self._symbols))
        names = _alternation(list(self._names) + list(self._words) + list(self._scaled_names))
        vague = _alternation(list(lex.vague))
        self._pattern = re.compile(
            r"(?<![\w.,:/#@+\-–$€£¥₹₽₩₺₴₪₦])"
            rf"(?:(?P<sym>{symbols})\s?)?"
            rf"(?:(?P<vague>(?i:{vague}))(?:\s+of\s+(?P<vcur>(?i:{names})|{codes}))?"
            rf"|{number}(?:{scale})?"
            rf"(?:\s*(?P<unit>(?i:{unit_words})){gdp_tail}?"
            rf"|\s*(?P<cur>(?i:{names})|{codes}))?)"
            r"(?![^\W_]|[$€£%])"
        )
        self._fold = re.compile(
            rf"(?<![\w-])(?P<n>\d+(?:\.\d+)?|(?i:{small_number}))[\s-]?(?i:fold)(?![\w-])"
        )
        self._multiple = re.compile(
            rf"(?<![\w-])(?P<m>(?i:{_alternation(list(lex.multiples))}))(?![\w-])(?!\s+down\b)"
        )
        fractions = _alternation(list(lex.fractions))
        before = _alternation(list(lex.comparators_before))
        self._fraction = re.compile(
            rf"(?<![\w-])(?P<prep>(?i:by|in))\s+(?:(?P<fcomp>(?i:{before}))\s+)?"
            rf"(?P<f>(?i:{fractions}))(?![\w-])(?!\s+of\b)(?!\s+an?\b)"
        )
        self._before = re.compile(rf"(?:^|(?<=[^\w]))(?P<c>(?i:{before}))\s*$")
        after = _alternation([p for p in lex.comparators_after if p != "+"])
        self._after = re.compile(rf"(?:\s*(?P<c>(?i:{after}))(?!\w)|(?P<plus>\+|-plus\b))")
        self._age = re.compile(
            r"(?:\s*-?\s*(?:year|month|week|day|hour|minute)s?[\s-]+old\b"
            r"|-(?:year|month|week|day|hour|minute)\b"
            r"|\s*(?:a\.?m\.?|p\.?m\.?|GMT|UTC|hrs?)(?!\w)|:\d)",
            re.IGNORECASE,
        )
        self._from = re.compile(r"(?:^|[^\w])from\s*$", re.IGNORECASE)
        up: set[str] = set(lex.up_words)
        down: set[str] = set(lex.down_words)
        for verbs, target in ((lex.up_verbs, up), (lex.down_verbs, down)):
            for verb in verbs:
                target.update(lex.verb_forms(verb))
        for nouns, target in ((lex.up_nouns, up), (lex.down_nouns, down)):
            for noun in nouns:
                target.update(_plural(noun))
        self._up_forms, self._down_forms = frozenset(up), frozenset(down)
        motion = {"go", "goes", "gone", "went", "going", "come", "came", "shot", "move", "moved"}
        self._motion_forms = frozenset(up | down | motion)
        people: set[str] = set(lex.people_adjectives)
        people_verbs: set[str] = set()
        for noun in lex.people_nouns:
            people.update(_plural(noun))
        for metric in lex.metrics.values():
            if metric.people:
                for noun in metric.nouns:
                    people.update(_plural(noun.lower()))
                for verb in (*metric.verbs, *metric.subject_verbs, *metric.agent_verbs):
                    people_verbs.update(lex.verb_forms(verb))
        self._people_forms, self._people_verb_forms = frozenset(people), frozenset(people_verbs)

    # --- values -------------------------------------------------------------------------

    def _words_value(self, words: str) -> Decimal:
        low = words.lower().split()
        if low and low[0] in ("a", "an"):
            return Decimal(1)
        if low[:1] == ["half"]:
            return Decimal("0.5")
        total = 0
        for word in re.split(r"[\s-]+", words.lower()):
            if word == "and" or not word:
                continue
            if word == "hundred":
                total = max(total, 1) * 100
            else:
                total += self.lex.number_words.get(word, 0)
        return Decimal(total)

    def _comparators(
        self, text: str, start: int, end: int
    ) -> tuple[Comparator | None, int, int, str]:
        comp: Comparator | None = None
        phrase_start, phrase_end = start, end
        words = ""
        m = self._before.search(text, 0, start)
        if m:
            words = " ".join(m.group("c").lower().split())
            comp = self.lex.comparators_before[words]
            phrase_start = m.start("c")
        after = self._after.match(text, end)
        if after:
            if after.group("plus"):
                comp = comp or ">"
            else:
                comp = (
                    comp or self.lex.comparators_after[" ".join(after.group("c").lower().split())]
                )
            phrase_end = after.end()
            words = words or " ".join(after.group().lower().split())
        return comp, phrase_start, phrase_end, words

    def _main(self, text: str, m: re.Match[str]) -> Amount | None:
        sym, vague, vcur = m.group("sym"), m.group("vague"), m.group("vcur")
        unit_text, cur_text = m.group("unit"), m.group("cur")
        start, end = m.start(), m.end()
        ranged = False
        comp_written: Comparator | None = None
        vague_value = False
        if vague:
            value = Decimal(self.lex.vague[" ".join(vague.lower().split())])
            cur_text = vcur
            vague_value = True
        elif m.group("words"):
            value = self._words_value(m.group("words"))
        elif m.group("digits"):
            value = _decimal(m.group("digits"))
        else:
            lo = m.group("lo1") or m.group("lo2")
            hi = m.group("hi1") or m.group("hi2")
            if m.group("lo2") and self._from.search(text, 0, m.start("lo2")):
                # "from 5 to 10 percent": a move between two levels, not a range
                value = _decimal(hi)
                start = m.start("hi2")
            else:
                low, high = _decimal(lo), _decimal(hi)
                if high <= low:
                    return None
                value = (low + high) / 2
                ranged = True
        scale_word = (m.group("gscale") or m.group("scale") or "").lower()
        scaled = bool(scale_word)
        if scale_word:
            value *= self._scales[" ".join(scale_word.split())]
        kind: AmountKind = "count"
        unit: str | None = None
        codes: tuple[str, ...] = ()
        default: str | None = None
        default_metric: str | None = None
        if unit_text:
            unit, factor, default_metric = self._unit_of[" ".join(unit_text.lower().split())]
            value *= Decimal(str(factor))
            if m.group("gdp"):
                unit = "percent_of_gdp"
            if unit in ("percent", "percent_of_gdp"):
                kind = "percent"
            elif unit == "percentage_points":
                kind = "points"
            else:
                kind = "measure"
        currency = cur_text or None
        if currency is not None:
            key = " ".join(currency.lower().split())
            if currency in self.lex.currencies:
                unit = currency
            elif key in self._names:
                unit = self._names[key]
            elif key in self._scaled_names:
                if not scaled:
                    return None
                unit = self._scaled_names[key]
            else:
                codes, default = self._words[key]
                if sym and self._symbols[sym] in codes:
                    unit = self._symbols[sym]
                elif len(codes) == 1:
                    unit = codes[0]
            kind = "money"
        elif sym:
            unit, kind = self._symbols[sym], "money"
        if kind == "count" and self._age.match(text, end):
            return None
        if kind == "count" and m.group("gscale") and scale_word in ("b", "k"):
            return None  # "5b", "3k" without a currency are not amounts in news text
        comp, phrase_start, phrase_end, comp_words = self._comparators(text, start, end)
        if comp is None and ranged:
            comp = "~"
        if comp is None and vague_value:
            comp = ">"
        comp_written = comp
        return Amount(
            start=start,
            end=end,
            text=text[start:end],
            value=float(value),
            kind=kind,
            unit=unit,
            comparator=comp_written or "=",
            phrase_start=phrase_start,
            phrase_end=phrase_end,
            currency_codes=codes,
            currency_default=default,
            vague=vague_value,
            ranged=ranged,
            scaled=scaled,
            default_metric=default_metric,
            comparator_text=comp_words,
        )

    def scan(self, text: str) -> list[Amount]:
        """Every amount written in ``text``, in order, none overlapping another."""
        found: list[Amount] = []
        for m in self._pattern.finditer(text):
            amount = self._main(text, m)
            if amount is not None:
                found.append(amount)
        for m in self._multiple.finditer(text):
            value = self.lex.multiples[m.group("m").lower()]
            comp, p0, p1, words = self._comparators(text, m.start(), m.end())
            found.append(
                Amount(
                    m.start(),
                    m.end(),
                    m.group(),
                    value,
                    "multiple",
                    "percent",
                    comp or "=",
                    p0,
                    p1,
                    comparator_text=words,
                )
            )
        for m in self._fold.finditer(text):
            n = m.group("n")
            factor = Decimal(n) if n[0].isdigit() else self._words_value(n)
            if factor <= 1:
                continue
            comp, p0, p1, words = self._comparators(text, m.start(), m.end())
            found.append(
                Amount(
                    m.start(),
                    m.end(),
                    m.group(),
                    float((factor - 1) * 100),
                    "multiple",
                    "percent",
                    comp or "=",
                    p0,
                    p1,
                    comparator_text=words,
                )
            )
        for m in self._fraction.finditer(text):
            word = " ".join(m.group("f").lower().split())
            if m.group("prep").lower() == "in" and word != "half":
                continue
            fcomp: Comparator = "="
            words = ""
            if m.group("fcomp"):
                words = " ".join(m.group("fcomp").lower().split())
                fcomp = self.lex.comparators_before[words]
            found.append(
                Amount(
                    m.start("f"),
                    m.end("f"),
                    m.group("f"),
                    self.lex.fractions[word],
                    "fraction",
                    "percent",
                    fcomp,
                    m.start(),
                    m.end(),
                    by_phrase=True,
                    comparator_text=words,
                )
            )
        found.sort(key=lambda a: (a.start, -(a.end - a.start)))
        kept: list[Amount] = []
        for amount in found:
            if kept and amount.start < kept[-1].end:
                continue
            kept.append(amount)
        return kept

    # --- reading one phrase without a parse -------------------------------------------

    def phrase_quantity(self, text: str, amount: Amount) -> Quantity | None:
        """The quantity of one amount, its type and sign read from the words next to it."""
        up, down = self._up_forms, self._down_forms
        before = re.findall(r"[\w'’-]+", text[: amount.phrase_start].lower())[-3:]
        after = re.findall(r"[\w'’-]+", text[amount.phrase_end :].lower())[:3]
        unit = amount.unit
        if amount.kind == "money" and unit is None:
            unit = amount.currency_default
            if unit is None:
                return None
        if amount.kind == "count":
            tail = after[1:] if after[:1] == ["of"] else after
            people = any(w in self._people_forms for w in tail[:3])
            if people or any(w in self._people_verb_forms for w in before):
                unit = "people"
            else:
                return None
        comparator = amount.comparator
        if amount.comparator_text == "up to" and before and before[-1] in self._motion_forms:
            comparator = "="  # "had gone up to Rs 700": the level reached
        direction = 0
        if before and before[-1] in ("to", "from"):
            direction = 0
        else:
            for word in reversed([w for w in before if w != "by"]):
                if word in up or word in down:
                    direction = 1 if word in up else -1
                    break
            if direction == 0 and after:
                first = after[0]
                if first in up or first in down:
                    direction = 1 if first in up else -1
        value = amount.value
        qtype: QuantityType = "level"
        if amount.kind == "multiple":
            qtype = "change"
            if direction < 0 and value > 0:
                value = -(100 - 100 * 100 / (value + 100))
        elif amount.kind == "fraction" or (direction and amount.kind != "count"):
            qtype = "change"
            value = -value if direction < 0 else value
        return Quantity(round(value, 6), unit or "count", qtype, comparator)


@cache
def scanner() -> Scanner:
    """The scanner of the bundled word tables, compiled once per process."""
    return Scanner(load_lexicon())


def scan_amounts(text: str) -> list[Amount]:
    """Every amount written in ``text`` (see :class:`Amount`), in order."""
    return scanner().scan(text)


def parse_quantity(text: str) -> Quantity | None:
    """Read the first quantity written in a phrase, from its words alone.

    ``"$200 billion"`` -> ``Quantity(200000000000, "USD", "level", "=")``;
    ``"more than 40%"`` -> ``Quantity(40, "percent", "level", ">")``;
    ``"fell by a third"`` -> ``Quantity(-33.3, "percent", "change", "=")``;
    ``"killed at least 12"`` -> ``Quantity(12, "people", "level", ">")``.
    A bare number with nothing to say what it counts ("12", "in 2022") gives None, and so
    does money in a currency word that names several currencies with no usual reading.
    """
    sc = scanner()
    for amount in sc.scan(text):
        quantity = sc.phrase_quantity(text, amount)
        if quantity is not None:
            return quantity
    return None
