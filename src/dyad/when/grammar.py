"""Reading one time expression as written ("on 21 March", "last week", "mid-2024").

The grammar works in two steps so that the hot path stays cheap:

1. :func:`analyse` turns the normalised words into a *form* (a calendar expression with or
   without a year, a relative expression, a range, an operator such as "since" or "by"). It
   depends only on the words, so it is cached per distinct string.
2. :func:`resolve` turns a form into a closed day range, using the publication date and the
   tense of the clause for everything the text leaves open (a missing year, "last week",
   "on Monday").

Nothing here guesses a missing day or month: "February 2022" is the whole month, "2019" is the
whole year, "mid-2024" is May to August. The conventions (the numbers behind "recently", the
thirds behind early/mid/late, the seasons) are the module constants below.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, TypeAlias

from dyad.model import DateSpan, Granularity

Tense: TypeAlias = Literal["past", "present", "future"]
Part: TypeAlias = Literal["", "early", "mid", "late"]
CalUnit: TypeAlias = Literal["day", "month", "year", "quarter", "half", "season", "decade"]
SliceUnit: TypeAlias = Literal["day", "week", "month"]

# --------------------------------------------------------------------------------------------
# conventions (documented in dyad.when)

RECENTLY_DAYS = 30
""""recently", "lately", "in recent times": the 30 days up to publication."""
RECENT_DAYS_DAYS = 7
""""in recent days": the 7 days up to publication."""
RECENT_WEEKS_DAYS = 21
""""in recent weeks": the 21 days up to publication."""
RECENT_MONTHS = 3
""""in recent months": the 3 months up to publication."""
RECENT_YEARS = 3
""""in recent years": the 3 years up to publication."""
COMING_DAYS = 7
""""in the coming days": publication to 7 days after."""
COMING_WEEKS_DAYS = 21
""""in the coming weeks": publication to 21 days after."""
COMING_MONTHS = 3
""""in the coming months": publication to 3 months after."""
COMING_YEARS = 3
""""in the coming years": publication to 3 years after."""
SOON_DAYS = 90
""""soon", "shortly", "in the near future": publication to 90 days after."""
FUTURE_HORIZON_DAYS = 365
""""upcoming", "forthcoming" and undated future events: publication to 365 days after."""
FEW = 3
"""The number behind "a few"; "a couple" is 2, "several" is 5, "a dozen" 12."""
WEEKDAY_INCLUDES_PUBLICATION = True
"""A plain "on Wednesday" in a story published on a Wednesday is that same day, in any tense
(wire style names the current day rather than writing "today"). With False, a past-tense
"on Wednesday" is the Wednesday a week before and a future one the Wednesday a week after."""
SEASONS: dict[str, int] = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
"""First month of each (northern, meteorological) season; every season lasts three months, so
"winter 2023" is December 2023 to February 2024."""

# --------------------------------------------------------------------------------------------
# vocabulary

_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS: dict[str, int] = {name: i + 1 for i, name in enumerate(_MONTH_NAMES)} | {
    name[:3]: i + 1 for i, name in enumerate(_MONTH_NAMES)
}
MONTHS["sept"] = 9
_WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: dict[str, int] = {name: i for i, name in enumerate(_WEEKDAY_NAMES)} | {
    name[:3]: i for i, name in enumerate(_WEEKDAY_NAMES)
}
WEEKDAYS |= {"tues": 1, "thur": 3, "thurs": 3}
_COUNT_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]
NUMBERS: dict[str, int] = {name: i + 1 for i, name in enumerate(_COUNT_WORDS)} | {
    "a": 1,
    "an": 1,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
}
VAGUE_NUMBERS: dict[str, int] = {"a few": FEW, "few": FEW, "several": 5}
_ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
]
ORDINALS: dict[str, int] = {name: i + 1 for i, name in enumerate(_ORDINAL_WORDS)} | {
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
}
DECADE_WORDS: dict[str, int] = {
    "twenties": 1920,
    "thirties": 1930,
    "forties": 1940,
    "fifties": 1950,
    "sixties": 1960,
    "seventies": 1970,
    "eighties": 1980,
    "nineties": 1990,
}

MIN_YEAR = 1000
MAX_YEAR = 2199


def _alt(words: Iterable[str]) -> str:
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


_MON = _alt(MONTHS)
_WD = _alt(WEEKDAYS)
_NUM = _alt(list(NUMBERS) + list(VAGUE_NUMBERS) + [r"\d{1,3}"])
_ORD = _alt(ORDINALS)
_SEASON = _alt(SEASONS)
_UNIT = r"(?:day|week|month|year|decade|hour|quarter)s?"
_DAYNUM = r"(\d{1,2})(?:st|nd|rd|th)?"

# --------------------------------------------------------------------------------------------
# normalisation

_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "–": "-", "—": "-", "‑": "-", "‐": "-"})
_CLOCK_PREP = (
    r"(?:(?:at|around|about|from|before|after|shortly before|shortly after|just before|"
    r"just after|until|by)\s+)?"
)
_CLOCK = re.compile(
    _CLOCK_PREP
    + r"(?:\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?=\W|$)"
    + r"|\b\d{1,2}:\d{2}\b(?:\s*(?:hours|hrs|h)\b)?"
    + r"|\b(?:noon|midnight|midday|dawn|dusk|daybreak|nightfall)\b)"
)
_ZONE = re.compile(r"\b(?:gmt|utc|local time|[ecmp][sd]t|bst|cet|cest|eet|eest|msk)\b")
_DECADE_POSS = re.compile(r"\b(the (?:early |mid-?|late )?\d{3}0)'s\b")
_POSS = re.compile(r"'s?\b(?!\d)")
_PUNCT = re.compile(r"[,;:()\"!?]")
_DOT = re.compile(r"(?<=[a-z])\.")
_DASH = re.compile(r"\s*([-/])\s*")
_WS = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Lower case, one space, no clock times, no possessive, dashes and quotes made plain."""
    s = text.strip().lower().translate(_TRANSLATE)
    s = _DECADE_POSS.sub(r"\1s", s)
    s = _CLOCK.sub(" ", s)
    s = _ZONE.sub(" ", s)
    s = _POSS.sub("", s.replace("s' ", "s ")) if "'" in s else s
    s = _PUNCT.sub(" ", s)
    s = _DOT.sub("", s)
    s = _DASH.sub(r"\1", s)
    return _WS.sub(" ", s).strip(" .-/")


# --------------------------------------------------------------------------------------------
# date arithmetic


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: date, n: int) -> date:
    """``d`` moved by ``n`` months, the day clamped to the target month."""
    total = d.year * 12 + (d.month - 1) + n
    year, month0 = divmod(total, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


def add_years(d: date, n: int) -> date:
    return add_months(d, 12 * n)


def shift(d: date, n: int, unit: str) -> date:
    """``d`` moved by ``n`` days, weeks, months, quarters, years or decades."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(days=7 * n)
    if unit == "month":
        return add_months(d, n)
    if unit == "quarter":
        return add_months(d, 3 * n)
    if unit == "year":
        return add_years(d, n)
    if unit == "decade":
        return add_years(d, 10 * n)
    raise ValueError(unit)


def _clip(d: date) -> bool:
    return MIN_YEAR <= d.year <= MAX_YEAR + 1


def week_of(d: date) -> tuple[date, date]:
    """The Monday-to-Sunday week holding ``d``."""
    monday = d - timedelta(days=d.weekday())
    return monday, monday + timedelta(days=6)


def unit_of(d: date, unit: str) -> tuple[date, date]:
    """The calendar week, month, quarter, year or decade holding ``d``."""
    if unit == "week":
        return week_of(d)
    if unit == "month":
        return date(d.year, d.month, 1), month_end(d.year, d.month)
    if unit == "quarter":
        first = 3 * ((d.month - 1) // 3) + 1
        return date(d.year, first, 1), month_end(d.year, first + 2)
    if unit == "year":
        return date(d.year, 1, 1), date(d.year, 12, 31)
    if unit == "decade":
        y0 = d.year - d.year % 10
        return date(y0, 1, 1), date(y0 + 9, 12, 31)
    if unit == "day":
        return d, d
    raise ValueError(unit)


UNIT_GRANULARITY: dict[str, Granularity] = {
    "day": "day",
    "week": "range",
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "decade": "range",
}


def thirds(start: date, end: date, granularity: Granularity, part: Part) -> tuple[date, date]:
    """The early, mid or late third of [start, end].

    Days stay days; a month splits into days 1-10, 11-20 and 21 to the end; a span of whole
    months splits by months (a year: January-April, May-August, September-December); a
    decade into its years 0-3, 4-6 and 7-9; anything else into thirds of its days.
    """
    if not part or granularity == "day" or start == end:
        return start, end
    if start.day == 1 and end == month_end(end.year, end.month):
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months == 1:
            bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, end.day)}[part]
            return start.replace(day=bounds[0]), start.replace(day=bounds[1])
        if months == 120:
            a, b = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}[part]
            return date(start.year + a, 1, 1), date(start.year + b, 12, 31)
        if months >= 3:
            size = months / 3
            k = {"early": 0, "mid": 1, "late": 2}[part]
            first = round(k * size)
            last = round((k + 1) * size) - 1
            s = add_months(start, first)
            e = add_months(start, last)
            return s, month_end(e.year, e.month)
    days = (end - start).days + 1
    k = {"early": 0, "mid": 1, "late": 2}[part]
    s = start + timedelta(days=(k * days) // 3)
    e = start + timedelta(days=((k + 1) * days) // 3 - 1)
    return s, max(s, e)


CAL_GRANULARITY: dict[str, Granularity] = {
    "day": "day",
    "month": "month",
    "year": "year",
    "quarter": "quarter",
    "half": "range",
    "season": "range",
    "decade": "range",
}

# --------------------------------------------------------------------------------------------
# forms


@dataclass(frozen=True, slots=True)
class Resolved:
    """A resolved expression: closed day range, granularity, whether publication was used."""

    start: date
    end: date
    granularity: Granularity
    relative: bool


@dataclass(frozen=True, slots=True)
class Cal:
    """A calendar expression; ``year`` None means "the year is not written"."""

    unit: CalUnit
    year: int | None
    month: int = 0
    day: int = 0
    index: int = 0
    """Quarter 1-4, half 1-2, first month of a season."""
    year_offset: int | None = None
    """Set for "this year" (0), "last year" (-1), "next year" (1) used as a base."""
    part: Part = ""
    slice: tuple[Literal["first", "last"], int, SliceUnit] | None = None
    """"the first five months of ..." = ("first", 5, "month")."""
    period: bool = False
    """A measurement period (quarter, "the first N months"): in past tense, a completed one."""
    weekday: int = -1
    """The weekday written with a day ("Tuesday, June 19"): picks the year when none is given."""

    def bounds(self, year: int) -> tuple[date, date] | None:
        try:
            if self.unit == "day":
                return (d := date(year, self.month, self.day)), d
            if self.unit == "month":
                return date(year, self.month, 1), month_end(year, self.month)
            if self.unit == "year":
                return date(year, 1, 1), date(year, 12, 31)
            if self.unit == "quarter":
                first = 3 * self.index - 2
                return date(year, first, 1), month_end(year, first + 2)
            if self.unit == "half":
                first = 6 * self.index - 5
                return date(year, first, 1), month_end(year, first + 5)
            if self.unit == "season":
                start = date(year, self.index, 1)
                last = add_months(start, 2)
                return start, month_end(last.year, last.month)
            if self.unit == "decade":
                return date(year, 1, 1), date(year + 9, 12, 31)
        except ValueError:
            return None
        raise AssertionError(self.unit)

    def span(self, year: int) -> tuple[date, date, Granularity] | None:
        """The range for a given year, slice and part applied."""
        b = self.bounds(year)
        if b is None:
            return None
        start, end = b
        gran = CAL_GRANULARITY[self.unit]
        if self.slice is not None:
            which, n, unit = self.slice
            if which == "first":
                end = min(end, shift(start, n, unit) - timedelta(days=1))
            else:
                start = max(start, shift(end + timedelta(days=1), -n, unit))
            if end < start:
                return None
            gran = "month" if unit == "month" and n == 1 else "range"
        if self.part:
            start, end = thirds(start, end, gran, self.part)
            gran = "day" if gran == "day" else "range"
        return start, end, gran


Resolver: TypeAlias = Callable[[date, "Tense | None"], "tuple[date, date, Granularity] | None"]


@dataclass(frozen=True, slots=True)
class Rel:
    """An expression that needs the publication date ("last week", "on Monday")."""

    kind: str
    """"day" (one day: today, Monday), "weekday" (a named weekday), "unit" or "span"."""
    fn: Resolver


@dataclass(frozen=True, slots=True)
class PartOf:
    """early/mid/late of a relative expression ("late last year")."""

    part: Part
    inner: Rel


@dataclass(frozen=True, slots=True)
class Range:
    left: Form
    right: Form


@dataclass(frozen=True, slots=True)
class Op:
    op: Literal["since", "by"]
    inner: Form


@dataclass(frozen=True, slots=True)
class Block:
    """ "before X", "after X", "N days after": a date that does not date the event itself."""


@dataclass(frozen=True, slots=True)
class _Bare:
    """A bare number at one side of a range: "21" in "21-23 March", "2019-21", "March 21-23"."""

    value: int
    digits: int


Form: TypeAlias = Cal | Rel | PartOf | Range | Op | Block


# --------------------------------------------------------------------------------------------
# relative resolvers


def _days(a: int, b: int, gran: Granularity = "range") -> Resolver:
    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity]:
        return pub + timedelta(days=a), pub + timedelta(days=b), gran

    return fn


def _rolling(n: int, unit: str, direction: int) -> Resolver:
    """The last ``n`` units up to publication (direction -1) or the next ``n`` (1)."""

    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity] | None:
        other = shift(pub, direction * n, unit)
        if not _clip(other):
            return None
        return (other, pub, "range") if direction < 0 else (pub, other, "range")

    return fn


def _calendar_unit(unit: str, offset: int, *, narrative: bool = False) -> Resolver:
    """The previous (-1), current (0) or next (1) calendar week, month, quarter, year, decade.

    ``narrative`` marks "the following week": relative to publication only, and in a past-tense
    clause it refers to a narrated date dyad does not track, so it gives no date.
    """

    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity] | None:
        if narrative and offset > 0 and tense in (None, "past"):
            return None
        start, _ = unit_of(pub, unit)
        start = shift(start, offset, unit)
        return *unit_of(start, unit), UNIT_GRANULARITY[unit]

    return fn


def _earlier_later(unit: str, which: Literal["earlier", "later", "sofar", "rest"]) -> Resolver:
    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity]:
        start, end = unit_of(pub, unit)
        if which == "earlier":
            return start, max(start, pub - timedelta(days=1)), "range"
        if which == "later":
            return min(end, pub + timedelta(days=1)), end, "range"
        if which == "sofar":
            return start, pub, "range"
        return pub, end, "range"

    return fn


def _weekday(wd: int, which: str) -> Resolver:
    """A named weekday: plain, last/past, next/coming, or this (in the publication week)."""

    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity]:
        back = (pub.weekday() - wd) % 7
        last = pub - timedelta(days=back or 7)
        nxt = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
        if not which and back == 0 and WEEKDAY_INCLUDES_PUBLICATION:
            return pub, pub, "day"
        if which == "this":
            d = week_of(pub)[0] + timedelta(days=wd)
        elif which in ("last", "past"):
            d = last
        elif which in ("next", "coming") or tense == "future":
            d = nxt
        elif tense == "present":
            d = pub if back == 0 else min(last, nxt, key=lambda x: abs((x - pub).days))
        else:
            d = last
        return d, d, "day"

    return fn


def _weekend(which: str) -> Resolver:
    """A Saturday-Sunday weekend: "last", "next" (the one after this week's), or "this"/plain:
    the latest one begun by publication in past or present tense, the nearest unfinished one
    in future tense."""

    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity]:
        wd = pub.weekday()
        if which == "last":
            sat = pub - timedelta(days=(wd - 6) % 7 or 7) - timedelta(days=1)
        elif which == "next":
            sat = week_of(pub)[0] + timedelta(days=12)
        elif tense == "future":
            sat = pub - timedelta(days=1) if wd == 6 else pub + timedelta(days=(5 - wd) % 7)
        else:
            sat = pub - timedelta(days=(wd - 5) % 7)
        return sat, sat + timedelta(days=1), "range"

    return fn


def _season_rel(first_month: int, which: str) -> Resolver:
    """ "this/last/next summer": the season containing (or nearest to), before, after pub."""

    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity] | None:
        cands: list[tuple[date, date]] = []
        for y in range(pub.year - 2, pub.year + 2):
            b = Cal("season", y, index=first_month).bounds(y)
            if b is not None:
                cands.append(b)
        if which == "last":
            pick = [c for c in cands if c[1] < pub][-1:]
        elif which == "next":
            pick = [c for c in cands if c[0] > pub][:1]
        else:
            pick = sorted(cands, key=lambda c: 0 if c[0] <= pub <= c[1] else _gap(c, pub))[:1]
        return (pick[0][0], pick[0][1], "range") if pick else None

    return fn


def _gap(c: tuple[date, date], pub: date) -> int:
    return min(abs((c[0] - pub).days), abs((c[1] - pub).days))


def _ago(n: int, unit: str, vague: bool, direction: int, narrative: bool) -> Resolver:
    """ "two years ago" (direction -1), "three days later" (+1, narrative).

    The unit keeps its granularity: days -> the day, weeks -> that Monday-Sunday week, months
    -> the month, years and decades -> the year. A vague count ("a few") gives the range
    from one unit more to one unit less.
    """

    def fn(pub: date, tense: Tense | None) -> tuple[date, date, Granularity] | None:
        if narrative and direction > 0 and tense in (None, "past"):
            return None
        if unit == "hour":
            return pub, pub, "day"
        step = "year" if unit == "decade" else unit
        count = n * 10 if unit == "decade" else n
        if vague:
            a = shift(pub, direction * (count + 1), step)
            b = shift(pub, direction * max(count - 1, 0), step)
            lo, hi = min(a, b), max(a, b)
            return lo, hi, "range"
        target = shift(pub, direction * count, step)
        if not _clip(target):
            return None
        start, end = unit_of(target, step)
        return start, end, UNIT_GRANULARITY[step]

    return fn


# --------------------------------------------------------------------------------------------
# analysis


def _number(word: str) -> tuple[int, bool] | None:
    if word.isdigit():
        return int(word), False
    if word in NUMBERS:
        return NUMBERS[word], False
    if word in VAGUE_NUMBERS:
        return VAGUE_NUMBERS[word], True
    return None


def _unit(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _year(text: str) -> int | None:
    y = int(text)
    return y if MIN_YEAR <= y <= MAX_YEAR else None


_OP = re.compile(
    r"(since|by|until|till|through|thru|up to|before|after|from|between|as of|in|on|at|"
    r"during|throughout|over|for|around|about|circa|approximately|as early as|of|"
    r"no later than|not later than|no earlier than|prior to|ahead of|earlier than|later than)"
    r" (.+)"
)
_BLOCK_OPS = frozenset(
    {"before", "after", "prior to", "ahead of", "earlier than", "later than", "no earlier than"}
)
_BY_OPS = frozenset(
    {"by", "until", "till", "through", "thru", "up to", "no later than", "not later than"}
)
_PART = re.compile(
    r"(early|mid|late|the end of|the beginning of|the start of|the middle of|the close of|"
    r"end of|beginning of|start of|middle of)[- ](?:in )?(.+)"
)
_PART_WORDS: dict[str, Part] = {
    "early": "early",
    "mid": "mid",
    "late": "late",
    "the end of": "late",
    "end of": "late",
    "the close of": "late",
    "the beginning of": "early",
    "beginning of": "early",
    "the start of": "early",
    "start of": "early",
    "the middle of": "mid",
    "middle of": "mid",
}
_DAYPART = re.compile(r"(.+?) (?:morning|afternoon|evening|night|overnight)")
_DAYPART_OF = re.compile(r"the (?:morning|afternoon|evening|night) of (.+)")
_RANGE_SEP = re.compile(r" (?:to|and|through|thru|until|till|into) |-|/")

_SIMPLE: dict[str, Resolver] = {}
for _w in ("today", "tonight", "this morning", "this afternoon", "this evening", "earlier today"):
    _SIMPLE[_w] = _days(0, 0, "day")
for _w in ("later today", "later in the day", "earlier in the day"):
    _SIMPLE[_w] = _days(0, 0, "day")
for _w in ("yesterday", "last night", "last evening"):
    _SIMPLE[_w] = _days(-1, -1, "day")
_SIMPLE["the day before yesterday"] = _days(-2, -2, "day")
_SIMPLE["tomorrow"] = _days(1, 1, "day")
_SIMPLE["the day after tomorrow"] = _days(2, 2, "day")
_SIMPLE["overnight"] = _days(-1, 0)
for _w in ("recently", "lately", "recent times", "the recent past"):
    _SIMPLE[_w] = _days(-RECENTLY_DAYS, 0)
_SIMPLE["recent days"] = _days(-RECENT_DAYS_DAYS, 0)
_SIMPLE["recent weeks"] = _days(-RECENT_WEEKS_DAYS, 0)
_SIMPLE["recent months"] = _rolling(RECENT_MONTHS, "month", -1)
_SIMPLE["recent years"] = _rolling(RECENT_YEARS, "year", -1)
for _w in ("upcoming", "forthcoming"):
    _SIMPLE[_w] = _days(0, FUTURE_HORIZON_DAYS)
for _w in ("soon", "shortly", "the near future", "the very near future"):
    _SIMPLE[_w] = _days(0, SOON_DAYS)
for _w in ("the previous day", "the preceding day", "the prior day", "the day before",
           "the day earlier", "a day earlier", "one day earlier"):  # fmt: skip
    _SIMPLE[_w] = _days(-1, -1, "day")
for _w in ("the year to date", "year to date", "so far this year", "this year so far"):
    _SIMPLE[_w] = _earlier_later("year", "sofar")
for _w in ("so far this month", "this month so far"):
    _SIMPLE[_w] = _earlier_later("month", "sofar")
for _w in ("so far this week", "this week so far"):
    _SIMPLE[_w] = _earlier_later("week", "sofar")
for _u in ("week", "month", "year", "decade", "quarter"):
    for _w in (f"earlier this {_u}", f"earlier in the {_u}", f"earlier in {_u}"):
        _SIMPLE[_w] = _earlier_later(_u, "earlier")
    for _w in (f"later this {_u}", f"later in the {_u}", f"later in {_u}"):
        _SIMPLE[_w] = _earlier_later(_u, "later")
    for _w in (f"the rest of the {_u}", f"the rest of this {_u}", f"the remainder of the {_u}",
               f"the remainder of this {_u}", f"the balance of the {_u}"):  # fmt: skip
        _SIMPLE[_w] = _earlier_later(_u, "rest")
_NEXT_DAY: frozenset[str] = frozenset(
    {"the next day", "the following day", "the day after", "a day later", "one day later"}
)

_REL_UNIT = re.compile(
    r"(?:(the|this) )?(last|past|previous|prior|preceding|this|current|present|next|coming|"
    r"following) (week|month|quarter|year|decade)"
)
_ROLLING_N = re.compile(
    r"(?:the )?(last|past|previous|preceding|prior|next|coming|following) (?:(" + _NUM + r") )?"
    r"(days|weeks|months|quarters|years|decades|hours)"
)
_AHEAD = re.compile(r"(?:the )?(days|weeks|months|years) (?:ahead|to come)")
_AGO = re.compile(
    r"(" + _NUM + r") (" + _UNIT + r") (ago|earlier|before|prior|previously|back|"
    r"later|after|afterwards|afterward|on|hence|from now|from today)"
)
_WITHIN = re.compile(r"within (?:the next )?(" + _NUM + r") (" + _UNIT + r")")
_WEEKDAY = re.compile(
    r"(?:(last|next|this|coming|past|this coming|this past) )?(" + _WD + r")"
    r"(?: (?:of )?(last|this|next) week)?"
)
_WEEKEND = re.compile(r"(?:(the|this|last|next|this past|this coming|that) )?weekend")
_SEASON_REL = re.compile(r"(this|last|next|this past|this coming) (" + _SEASON + r")")

# calendar atoms
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DMY = re.compile(
    r"(?:(" + _WD + r") )?(?:the )?" + _DAYNUM + r" (?:of )?(" + _MON + r")(?: (\d{4}))?"
)
_MDY = re.compile(
    r"(?:(" + _WD + r") )?(" + _MON + r") (?:the )?" + _DAYNUM + r"(?: (?:of )?(\d{4}))?"
)
_MY = re.compile(r"(" + _MON + r")(?: of)? (\d{4})")
_M = re.compile(_MON)
_Y = re.compile(r"(?:the year )?(\d{4})")
_YQ = re.compile(r"(?:q([1-4])(?:-| |-? ?of )?(\d{4})?|(\d{4}) ?q([1-4]))")
_QUARTER = re.compile(
    r"(?:the )?(?:(\d{4}) )?(" + _ORD + r"|final|last|fourth) (?:fiscal )?quarter(?: of (.+))?"
)
_YH = re.compile(r"(?:h([12])(?: ?(\d{4}))?|(\d{4}) ?h([12]))")
_HALF = re.compile(r"(?:the )?(?:(\d{4}) )?(first|second|1st|2nd|latter|last) half(?: of (.+))?")
_FIRST_N = re.compile(
    r"(?:the )?(first|last|final|opening|closing) (?:(" + _NUM + r") )?(days|weeks|months|"
    r"day|week|month)(?: of (.+))?"
)
_SEASON_Y = re.compile(
    r"(?:the )?(" + _SEASON + r")(?: of)?(?: (\d{4})(?:[/-](\d{2,4}))?)?|(\d{4}) (" + _SEASON + ")"
)
_DECADE = re.compile(r"(?:the )?(\d{3})0s|(?:the )?'(\d)0s|(?:the )?(" + _alt(DECADE_WORDS) + ")")


def _base(s: str) -> Form | None:
    """The base of "the end of X", "the first five months of X", "the second quarter of X"."""
    if s in ("the year", "the current year", "this year", "the calendar year"):
        return Cal("year", None, year_offset=0 if s != "the year" else None)
    if s in ("last year", "the previous year", "the past year", "the prior year"):
        return Cal("year", None, year_offset=-1)
    if s in ("next year", "the coming year", "the following year"):
        return Cal("year", None, year_offset=1)
    if s in ("the month", "this month", "the current month"):
        return Rel("unit", _calendar_unit("month", 0))
    if s in ("the week", "this week", "the current week"):
        return Rel("unit", _calendar_unit("week", 0))
    if s in ("the decade", "this decade"):
        return Rel("unit", _calendar_unit("decade", 0))
    return analyse(s)


def _year_base(base: Form | None) -> Cal | None:
    """A year-level base as a Cal, or None when the base is not a year."""
    if isinstance(base, Cal) and base.unit == "year" and not base.part and base.slice is None:
        return base
    return None


def _cal_atom(s: str) -> Form | None:
    m = _ISO_DAY.fullmatch(s)
    if m:
        y, mm, dd = _year(m[1]), int(m[2]), int(m[3])
        return Cal("day", y, mm, dd) if y and _valid(y, mm, dd) else None
    m = _ISO_MONTH.fullmatch(s)
    if m:
        y, mm = _year(m[1]), int(m[2])
        if y and 1 <= mm <= 12 and mm <= y % 100:
            return Cal("month", y, mm)
        return None
    for rx in (_DMY, _MDY):
        m = rx.fullmatch(s)
        if m:
            if rx is _DMY:
                day, mon, yr = int(m[2]), MONTHS[m[3]], m[4]
            else:
                mon, day, yr = MONTHS[m[2]], int(m[3]), m[4]
            y = _year(yr) if yr else None
            if yr and y is None:
                return None
            if not _valid(y if y is not None else 2000, mon, day):
                return None
            return Cal("day", y, mon, day, weekday=WEEKDAYS[m[1]] if m[1] else -1)
    m = _MY.fullmatch(s)
    if m:
        y = _year(m[2])
        return Cal("month", y, MONTHS[m[1]]) if y else None
    if _M.fullmatch(s):
        return Cal("month", None, MONTHS[s])
    m = _Y.fullmatch(s)
    if m:
        y = _year(m[1])
        return Cal("year", y) if y else None
    m = _YQ.fullmatch(s)
    if m:
        q = int(m[1] or m[4])
        yt = m[2] or m[3]
        y = _year(yt) if yt else None
        return Cal("quarter", y, index=q, period=True) if (y or not yt) else None
    m = _QUARTER.fullmatch(s)
    if m:
        q = 4 if m[2] in ("final", "last", "fourth") else ORDINALS[m[2]]
        if q > 4:
            return None
        return _with_base(Cal("quarter", None, index=q, period=True), m[1], m[3])
    m = _YH.fullmatch(s)
    if m:
        h = int(m[1] or m[4])
        yt = m[2] or m[3]
        y = _year(yt) if yt else None
        return Cal("half", y, index=h, period=True) if (y or not yt) else None
    m = _HALF.fullmatch(s)
    if m:
        h = 1 if m[2] in ("first", "1st") else 2
        return _with_base(Cal("half", None, index=h, period=True), m[1], m[3])
    m = _SEASON_Y.fullmatch(s)
    if m:
        name = m[1] or m[5]
        yt = m[2] or m[4]
        y = _year(yt) if yt else None
        if yt and y is None:
            return None
        return Cal("season", y, index=SEASONS[name])
    m = _DECADE.fullmatch(s)
    if m:
        if m[1]:
            y0 = int(m[1]) * 10
        elif m[2]:
            d = int(m[2])
            y0 = 1900 + 10 * d if d >= 3 else 2000 + 10 * d
        else:
            y0 = DECADE_WORDS[m[3]]
        return Cal("decade", y0) if MIN_YEAR <= y0 <= MAX_YEAR else None
    return None


def _valid(y: int, m: int, d: int) -> bool:
    try:
        date(y, m, d)
    except ValueError:
        return False
    return True


def _with_base(cal: Cal, year_text: str | None, base_text: str | None) -> Cal | None:
    """Attach the year of "2023 second quarter" or "the second quarter of last year"."""
    if year_text:
        y = _year(year_text)
        return replace(cal, year=y) if y else None
    if base_text is None:
        return cal
    base = _year_base(_base(base_text))
    if base is None:
        return None
    return replace(cal, year=base.year, year_offset=base.year_offset)


def _first_n(m: re.Match[str]) -> Form | None:
    """ "the first four months of the year", "the last week of March", "the first half"..."""
    which = m[1]
    plural = m[3].endswith("s")
    if m[2]:
        count = _number(m[2])
        if count is None:
            return None
        n = count[0]
    elif plural:
        return None
    else:
        n = 1
    unit: SliceUnit = _unit(m[3])  # type: ignore[assignment]
    if m[4] is None:
        if which in ("last", "final", "closing"):
            return Rel("span", _rolling(n, unit, -1))  # "the last five months": up to publication
        base: Form | None = Cal("year", None)
    else:
        base = _base(m[4])
    if not isinstance(base, Cal) or base.part or base.slice is not None:
        return None
    if base.unit in ("day", "decade"):
        return None
    edge: Literal["first", "last"] = "first" if which in ("first", "opening") else "last"
    return replace(base, slice=(edge, n, unit), period=True)


def _relative_atom(s: str) -> Form | None:
    if s in _SIMPLE:
        kind = "day" if s in ("today", "yesterday", "tomorrow", "tonight") else "span"
        return Rel(kind, _SIMPLE[s])
    if s in _NEXT_DAY:
        return Rel("day", _ago(1, "day", False, 1, True))
    m = _WEEKDAY.fullmatch(s)
    if m:
        wd = WEEKDAYS[m[2]]
        if m[3]:
            offset = {"last": -1, "this": 0, "next": 1}[m[3]]

            def in_week(
                pub: date, tense: Tense | None, wd: int = wd, offset: int = offset
            ) -> tuple[date, date, Granularity]:
                d = week_of(pub)[0] + timedelta(days=7 * offset + wd)
                return d, d, "day"

            return Rel("weekday", in_week)
        which = (m[1] or "").replace("this coming", "next").replace("this past", "last")
        return Rel("weekday", _weekday(wd, which))
    m = _WEEKEND.fullmatch(s)
    if m:
        which = {"this past": "last", "this coming": "next", "the": "", "that": ""}.get(
            m[1] or "", m[1] or ""
        )
        return Rel("span", _weekend(which))
    m = _SEASON_REL.fullmatch(s)
    if m:
        which = {"this past": "last", "this coming": "next"}.get(m[1], m[1])
        return Rel("span", _season_rel(SEASONS[m[2]], which))
    m = _REL_UNIT.fullmatch(s)
    if m:
        return _rel_unit(m[1] or "", m[2], m[3])
    m = _ROLLING_N.fullmatch(s)
    if m:
        count = _number(m[2]) if m[2] else None
        unit = _unit(m[3])
        if count is None and m[1] not in ("last", "past", "next", "coming"):
            return None  # "in previous years": no span can be told
        n = count[0] if count else _default_count(unit)
        if n is None:
            return None
        if unit == "hour":
            unit, n = "day", max(1, (n + 23) // 24)
        if m[1] in ("next", "coming", "following"):
            if m[1] == "following":
                return Rel("span", _narrative_forward(_rolling(n, unit, 1)))
            return Rel("span", _rolling(n, unit, 1))
        return Rel("span", _rolling(n, unit, -1))
    m = _AHEAD.fullmatch(s)
    if m:
        unit = _unit(m[1])
        n = _default_count(unit)
        return Rel("span", _rolling(n or 1, unit, 1)) if n else None
    m = _AGO.fullmatch(s)
    if m:
        count = _number(m[1])
        if count is None:
            return None
        unit = _unit(m[2])
        if unit == "quarter":
            return None
        forward = m[3] in ("later", "after", "afterwards", "afterward", "on", "hence", "from now",
                           "from today")  # fmt: skip
        narrative = m[3] not in ("ago", "hence", "from now", "from today", "back")
        kind = "day" if unit == "day" and not count[1] else "span"
        return Rel(kind, _ago(count[0], unit, count[1], 1 if forward else -1, narrative))
    m = _WITHIN.fullmatch(s)
    if m:
        count = _number(m[1])
        unit = _unit(m[2])
        if count is None or unit == "hour":
            return Rel("span", _days(0, 1)) if count else None
        return Rel("span", _rolling(count[0], unit, 1))
    return None


def _default_count(unit: str) -> int | None:
    """The length behind "the coming weeks" / "the past weeks" (no number written)."""
    if unit == "day":
        return COMING_DAYS
    if unit == "week":
        return COMING_WEEKS_DAYS // 7
    if unit == "month":
        return COMING_MONTHS
    if unit == "year":
        return COMING_YEARS
    return None


def _narrative_forward(fn: Resolver) -> Resolver:
    def wrapped(pub: date, tense: Tense | None) -> tuple[date, date, Granularity] | None:
        return None if tense in (None, "past") else fn(pub, tense)

    return wrapped


def _rel_unit(article: str, word: str, unit: str) -> Form | None:
    """ "last week", "the past week", "this year", "the current month", "the following year"."""
    if word in ("last", "past") and article in ("the", "this"):
        return Rel("span", _rolling(1, unit, -1))  # "the past week": the 7 days up to it
    if word in ("next", "coming") and article == "the":
        return Rel("span", _rolling(1, unit, 1))
    if word in ("last", "previous", "prior", "preceding", "past"):
        return Rel("unit", _calendar_unit(unit, -1))
    if word in ("this", "current", "present"):
        return Rel("unit", _calendar_unit(unit, 0))
    if word in ("next", "coming"):
        return Rel("unit", _calendar_unit(unit, 1))
    if word == "following":
        return Rel("unit", _calendar_unit(unit, 1, narrative=True))
    return None


def _split_range(s: str) -> Form | None:
    for m in _RANGE_SEP.finditer(s):
        left_s, right_s = s[: m.start()].strip(), s[m.end() :].strip()
        if not left_s or not right_s:
            continue
        sep = m.group().strip()
        right = _range_side(right_s)
        left = _range_side(left_s)
        if left is None or right is None:
            continue
        combined = _combine(left, right, sep)
        if combined is not None:
            return combined
    return None


def _range_side(s: str) -> Form | _Bare | None:
    m = re.fullmatch(_DAYNUM, s)
    if m:
        return _Bare(int(m[1]), len(m[1]) if s.isdigit() else 0)
    return analyse(s)


def _combine(left: Form | _Bare, right: Form | _Bare, sep: str) -> Form | None:
    if isinstance(left, _Bare):
        # "21-23 March": the left day takes the month (and year) of the right
        if isinstance(right, Cal) and right.unit == "day" and not right.part and sep != "/":
            if left.value >= right.day or not _valid(right.year or 2000, right.month, left.value):
                return None
            return Range(replace(right, day=left.value), right)
        return None
    if isinstance(right, _Bare):
        if isinstance(left, Cal) and left.unit == "year" and left.year is not None:
            if right.digits != 2:  # "2019-21", "2022/23"
                return None
            century = left.year - left.year % 100
            y = century + right.value
            if y <= left.year:
                y += 100
            return Range(left, Cal("year", y)) if y - left.year < 100 else None
        if isinstance(left, Cal) and left.unit == "day" and not left.part and sep != "/":
            # "March 21-23": the right day takes the month of the left
            if right.value <= left.day or not _valid(left.year or 2000, left.month, right.value):
                return None
            return Range(left, replace(left, day=right.value))
        return None
    if sep == "/" and not (isinstance(left, Cal) and isinstance(right, Cal)):
        return None
    if isinstance(left, Cal) and isinstance(right, Cal):
        if left.slice is not None or right.slice is not None:
            return None
        return Range(left, right)
    days = ("day", "weekday")
    if isinstance(left, Rel) and isinstance(right, Rel) and {left.kind, right.kind} <= set(days):
        return Range(left, right)
    return None


@lru_cache(maxsize=16384)
def analyse(s: str) -> Form | None:
    """The form of a normalised expression, or None when it is not a date."""
    if not s or len(s) > 80:
        return None
    m = _OP.fullmatch(s)
    if m:
        op, rest = m[1], m[2]
        if op == "between":
            inner = analyse(rest)
            return inner if isinstance(inner, Range) else None
        if op in ("over", "for") and not rest.startswith("the "):
            return None
        inner = analyse(rest)
        if inner is None or isinstance(inner, Block):
            return inner
        if op in _BLOCK_OPS:
            return Block()
        if op == "since":
            return Op("since", inner)
        if op in _BY_OPS:
            return Op("by", inner)
        return inner
    form = _relative_atom(s)
    if form is not None:
        return form
    form = _cal_atom(s)
    if form is not None:
        return form
    m = _FIRST_N.fullmatch(s)
    if m:
        return _first_n(m)
    m = _PART.fullmatch(s)
    if m:
        part = _PART_WORDS.get(m[1])
        base = _base(m[2])
        if part is None or base is None:
            return None
        if isinstance(base, Cal) and not base.part:
            return replace(base, part=part)
        if isinstance(base, Rel) and base.kind in ("unit", "day", "weekday"):
            return PartOf(part, base)
        return None
    m = _DAYPART_OF.fullmatch(s) or _DAYPART.fullmatch(s)
    if m:
        base = analyse(m[1])
        if (isinstance(base, Cal) and base.unit == "day") or (
            isinstance(base, Rel) and base.kind in ("day", "weekday")
        ):
            return base
        return None
    if s.startswith("the ") and s[4:].startswith(("early ", "mid", "late ")):
        return analyse(s[4:])
    return _split_range(s)


# --------------------------------------------------------------------------------------------
# resolution


def _pick_year(
    cal: Cal, pub: date, tense: Tense | None
) -> tuple[int, date, date, Granularity] | None:
    """Choose the year of a calendar expression written without one.

    Past (or unknown) tense: the latest occurrence that starts on or before publication (for a
    measurement period, the latest one already over). Present: the one under way, else the
    nearer. Future: the earliest that has not ended before publication.
    """
    if cal.year_offset is not None:
        y = pub.year + cal.year_offset
        got = cal.span(y)
        return (y, *got) if got else None
    cands: list[tuple[int, date, date, Granularity]] = []
    for y in range(pub.year - 2, pub.year + 3):
        got = cal.span(y)
        if got is not None:
            cands.append((y, *got))
    if cal.weekday >= 0:
        agree = [c for c in cands if c[1].weekday() == cal.weekday]
        cands = agree or cands
    if not cands:
        return None
    if tense == "future":
        later = [c for c in cands if c[2] >= pub]
        return later[0] if later else None
    if tense == "present":
        # the occurrence under way, else the nearer one ("when Britain leaves at the end of
        # the year" is this year's end, whichever side of publication it falls)
        return min(cands, key=lambda c: 0 if c[1] <= pub <= c[2] else _gap((c[1], c[2]), pub))
    if cal.period:
        done = [c for c in cands if c[2] < pub]
        return done[-1] if done else None
    started = [c for c in cands if c[1] <= pub]
    return started[-1] if started else None


def resolve(form: Form, pub: date | None, tense: Tense | None) -> Resolved | None:
    """The day range of a form, or None when it cannot be placed (or falls off the calendar)."""
    try:
        return _resolve(form, pub, tense)
    except (ValueError, OverflowError):
        return None


def _resolve(form: Form, pub: date | None, tense: Tense | None) -> Resolved | None:
    if isinstance(form, Cal):
        if form.year is not None:
            got = form.span(form.year)
            return Resolved(*got, relative=False) if got else None
        if pub is None:
            return None
        picked = _pick_year(form, pub, tense)
        return Resolved(*picked[1:], relative=True) if picked else None
    if isinstance(form, Rel):
        if pub is None:
            return None
        got2 = form.fn(pub, tense)
        return Resolved(*got2, relative=True) if got2 else None
    if isinstance(form, PartOf):
        inner = _resolve(form.inner, pub, tense)
        if inner is None:
            return None
        s, e = thirds(inner.start, inner.end, inner.granularity, form.part)
        gran: Granularity = "day" if inner.granularity == "day" else "range"
        return Resolved(s, e, gran, relative=True)
    if isinstance(form, Range):
        return _resolve_range(form, pub, tense)
    if isinstance(form, Op):
        if pub is None:
            return None
        if form.op == "since":
            inner = _resolve(form.inner, pub, "past")  # "since" always looks back
            if inner is None or inner.start > pub:
                return None
            return Resolved(inner.start, pub, "range", True)
        # "by 2030", "until the end of the year": from publication to a deadline still ahead;
        # a deadline already past ("by March, the troops had left") is the date itself
        inner = _resolve(form.inner, pub, "past" if tense == "past" else "future")
        if inner is None:
            return None
        if inner.end < pub:
            return inner
        return Resolved(pub, inner.end, "range", True)
    return None


def _resolve_range(form: Range, pub: date | None, tense: Tense | None) -> Resolved | None:
    left, right = form.left, form.right
    open_year = False
    if isinstance(left, Cal) and isinstance(right, Cal):
        open_year = left.year is None or right.year is None
        if right.year is None and right.year_offset is None and left.year is not None:
            right = _year_after(right, left, left.year)
        if left.year is None and left.year_offset is None:
            if right.year is not None:
                left = _year_before(left, right, right.year)
            elif pub is not None:
                picked = _pick_year(right, pub, tense)
                if picked is None:
                    return None
                right = replace(right, year=picked[0], year_offset=None)
                left = _year_before(left, right, picked[0])
    lo = _resolve(left, pub, tense)
    hi = _resolve(right, pub, tense)
    if lo is None or hi is None:
        return None
    if hi.end < lo.start and isinstance(left, Rel) and left.kind == "weekday":
        back = timedelta(days=7 * ((lo.start - hi.end).days // 7 + 1))
        lo = Resolved(lo.start - back, lo.end - back, lo.granularity, lo.relative)
    if hi.end < lo.start:
        return None
    return Resolved(lo.start, hi.end, "range", open_year or lo.relative or hi.relative)


def _year_before(left: Cal, right: Cal, year: int) -> Cal:
    """``left`` in the year of ``right``, or the year before when it would come after it."""
    got_l, got_r = left.span(year), right.span(year)
    if got_l and got_r and got_l[0] > got_r[0]:
        return replace(left, year=year - 1)
    return replace(left, year=year)


def _year_after(right: Cal, left: Cal, year: int) -> Cal:
    got_l, got_r = left.span(year), right.span(year)
    if got_l and got_r and got_r[1] < got_l[0]:
        return replace(right, year=year + 1)
    return replace(right, year=year)


def resolve_text(text: str, published: date | None, tense: Tense | None) -> Resolved | None:
    """Normalise, analyse and resolve one expression."""
    form = analyse(normalize(text))
    return None if form is None else resolve(form, published, tense)


def parse_temporal(
    text: str, published: date | None, *, tense: Tense | None = None
) -> DateSpan | None:
    """Read one time expression as written ("February 2022", "last week", "mid-2024").

    ``published`` anchors everything the text leaves open (a missing year, "yesterday");
    ``tense`` is the tense of the clause the expression belongs to (None reads as past):
    "on Monday" is the Monday before publication in the past, the one after it in the future.
    None when the words are not a date or need a publication date that is not given.
    """
    got = resolve_text(text, published, tense)
    if got is None:
        return None
    return DateSpan(got.start, got.end, got.granularity, text=text.strip(), basis="text")
