"""Tests for dyad.when (event dates) and dyad.evaluate.dates (the date test set)."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from dyad.draft import EventDraft
from dyad.errors import EvaluationError
from dyad.evaluate.dates import DateReport, find_trigger, load_date_items, score_dates
from dyad.model import DateSpan
from dyad.when import (
    FUTURE_HORIZON_DAYS,
    date_events,
    date_for_trigger,
    find_time_expressions,
    parse_temporal,
    undated,
)
from dyad.when.grammar import add_months, normalize, thirds

PUB = date(2023, 9, 19)  # a Tuesday
DATES_YAML = Path(__file__).resolve().parents[1] / "bench" / "data" / "dates.yaml"
D = date.fromisoformat

# --------------------------------------------------------------------------------------------
# parse_temporal: one expression as written

CASES = [
    # absolute
    ("February 2022", None, "2022-02-01", "2022-02-28", "month"),
    ("on 21 March", None, "2023-03-21", "2023-03-21", "day"),
    ("on 21 March", "future", "2024-03-21", "2024-03-21", "day"),
    ("March 21", None, "2023-03-21", "2023-03-21", "day"),
    ("Sept. 3", None, "2023-09-03", "2023-09-03", "day"),
    ("the 21st of March", None, "2023-03-21", "2023-03-21", "day"),
    ("21 March 2023", "future", "2023-03-21", "2023-03-21", "day"),
    ("November 16, 2023", None, "2023-11-16", "2023-11-16", "day"),
    ("2023-03-21", None, "2023-03-21", "2023-03-21", "day"),
    ("in 2019", None, "2019-01-01", "2019-12-31", "year"),
    ("Q2 2023", None, "2023-04-01", "2023-06-30", "quarter"),
    ("the second quarter", None, "2023-04-01", "2023-06-30", "quarter"),
    ("the second quarter", "future", "2024-04-01", "2024-06-30", "quarter"),
    ("the third quarter", None, "2022-07-01", "2022-09-30", "quarter"),  # not over yet
    ("the third quarter", "present", "2023-07-01", "2023-09-30", "quarter"),
    ("the final quarter of last year", None, "2022-10-01", "2022-12-31", "quarter"),
    ("2023's second quarter", None, "2023-04-01", "2023-06-30", "quarter"),
    ("the first half of 2023", None, "2023-01-01", "2023-06-30", "range"),
    ("H1 2023", None, "2023-01-01", "2023-06-30", "range"),
    ("mid-2024", None, "2024-05-01", "2024-08-31", "range"),
    ("early March", None, "2023-03-01", "2023-03-10", "range"),
    ("late March", "future", "2024-03-21", "2024-03-31", "range"),
    ("late 2023", None, "2023-09-01", "2023-12-31", "range"),
    ("the end of June 2021", None, "2021-06-21", "2021-06-30", "range"),
    ("the early 1990s", None, "1990-01-01", "1993-12-31", "range"),
    ("2019-2021", None, "2019-01-01", "2021-12-31", "range"),
    ("2019–21", None, "2019-01-01", "2021-12-31", "range"),
    ("2022/23", None, "2022-01-01", "2023-12-31", "range"),
    ("between 2021 and 2023", None, "2021-01-01", "2023-12-31", "range"),
    ("between March and May", None, "2023-03-01", "2023-05-31", "range"),
    ("from January to April 2023", None, "2023-01-01", "2023-04-30", "range"),
    ("December 2022 to February 2023", None, "2022-12-01", "2023-02-28", "range"),
    ("21-23 March 2023", None, "2023-03-21", "2023-03-23", "range"),
    ("March 21-23", None, "2023-03-21", "2023-03-23", "range"),
    ("between 19 November and 31 December 2023", None, "2023-11-19", "2023-12-31", "range"),
    ("the 1990s", None, "1990-01-01", "1999-12-31", "range"),
    ("the '90s", None, "1990-01-01", "1999-12-31", "range"),
    ("the 1990's", None, "1990-01-01", "1999-12-31", "range"),
    ("spring 2023", None, "2023-03-01", "2023-05-31", "range"),
    ("winter 2023", None, "2023-12-01", "2024-02-29", "range"),
    ("the winter of 2022/23", None, "2022-12-01", "2023-02-28", "range"),
    ("the summer", None, "2023-06-01", "2023-08-31", "range"),
    ("last summer", None, "2023-06-01", "2023-08-31", "range"),
    ("this spring", None, "2023-03-01", "2023-05-31", "range"),
    # relative days and weekdays
    ("today", None, "2023-09-19", "2023-09-19", "day"),
    ("yesterday", None, "2023-09-18", "2023-09-18", "day"),
    ("last night", None, "2023-09-18", "2023-09-18", "day"),
    ("tomorrow", "future", "2023-09-20", "2023-09-20", "day"),
    ("overnight", None, "2023-09-18", "2023-09-19", "range"),
    ("on Monday", None, "2023-09-18", "2023-09-18", "day"),
    ("on Monday", "past", "2023-09-18", "2023-09-18", "day"),
    ("on Monday", "future", "2023-09-25", "2023-09-25", "day"),
    ("on Friday", "present", "2023-09-22", "2023-09-22", "day"),
    ("on Tuesday", "present", "2023-09-19", "2023-09-19", "day"),
    ("on Tuesday", "past", "2023-09-19", "2023-09-19", "day"),
    ("last Tuesday", None, "2023-09-12", "2023-09-12", "day"),
    ("next Tuesday", None, "2023-09-26", "2023-09-26", "day"),
    ("Monday morning", None, "2023-09-18", "2023-09-18", "day"),
    ("at 3 p.m. on Friday", None, "2023-09-15", "2023-09-15", "day"),
    ("late on Sunday", None, "2023-09-17", "2023-09-17", "day"),
    ("Sunday's", None, "2023-09-17", "2023-09-17", "day"),
    ("Wednesday of last week", None, "2023-09-13", "2023-09-13", "day"),
    ("from Monday to Wednesday", None, "2023-09-11", "2023-09-13", "range"),
    ("over the weekend", None, "2023-09-16", "2023-09-17", "range"),
    ("this weekend", "future", "2023-09-23", "2023-09-24", "range"),
    # weeks, months, years
    ("last week", None, "2023-09-11", "2023-09-17", "range"),
    ("this week", None, "2023-09-18", "2023-09-24", "range"),
    ("next week", None, "2023-09-25", "2023-10-01", "range"),
    ("the past week", None, "2023-09-12", "2023-09-19", "range"),
    ("earlier this week", None, "2023-09-18", "2023-09-18", "range"),
    ("last month", None, "2023-08-01", "2023-08-31", "month"),
    ("last month's", None, "2023-08-01", "2023-08-31", "month"),
    ("this month", None, "2023-09-01", "2023-09-30", "month"),
    ("earlier this month", None, "2023-09-01", "2023-09-18", "range"),
    ("later this month", "future", "2023-09-20", "2023-09-30", "range"),
    ("next month", "future", "2023-10-01", "2023-10-31", "month"),
    ("early next month", None, "2023-10-01", "2023-10-10", "range"),
    ("last year", None, "2022-01-01", "2022-12-31", "year"),
    ("late last year", None, "2022-09-01", "2022-12-31", "range"),
    ("this year", None, "2023-01-01", "2023-12-31", "year"),
    ("the current year", None, "2023-01-01", "2023-12-31", "year"),
    ("next year", "future", "2024-01-01", "2024-12-31", "year"),
    ("earlier this year", None, "2023-01-01", "2023-09-18", "range"),
    ("earlier in the year", None, "2023-01-01", "2023-09-18", "range"),
    ("later this year", "future", "2023-09-20", "2023-12-31", "range"),
    ("so far this year", None, "2023-01-01", "2023-09-19", "range"),
    ("the rest of the year", "future", "2023-09-19", "2023-12-31", "range"),
    ("the end of the year", "future", "2023-09-01", "2023-12-31", "range"),
    # vague spans around publication
    ("recently", None, "2023-08-20", "2023-09-19", "range"),
    ("lately", None, "2023-08-20", "2023-09-19", "range"),
    ("in recent days", None, "2023-09-12", "2023-09-19", "range"),
    ("in recent weeks", None, "2023-08-29", "2023-09-19", "range"),
    ("in recent months", None, "2023-06-19", "2023-09-19", "range"),
    ("in recent years", None, "2020-09-19", "2023-09-19", "range"),
    ("the past decade", None, "2013-09-19", "2023-09-19", "range"),
    ("over the past two years", None, "2021-09-19", "2023-09-19", "range"),
    ("the last few days", None, "2023-09-16", "2023-09-19", "range"),
    ("the past 24 hours", None, "2023-09-18", "2023-09-19", "range"),
    ("the last three months", None, "2023-06-19", "2023-09-19", "range"),
    # a month or a span of months without a year
    ("in March", None, "2023-03-01", "2023-03-31", "month"),
    ("in March", "future", "2024-03-01", "2024-03-31", "month"),
    ("in September", None, "2023-09-01", "2023-09-30", "month"),
    ("in September", "future", "2023-09-01", "2023-09-30", "month"),
    ("in November", None, "2022-11-01", "2022-11-30", "month"),
    ("the first five months of the year", None, "2023-01-01", "2023-05-31", "range"),
    ("the first month of the year", None, "2023-01-01", "2023-01-31", "month"),
    ("the last three months of 2022", None, "2022-10-01", "2022-12-31", "range"),
    ("the first week of March", None, "2023-03-01", "2023-03-07", "range"),
    ("the first ten days of August", None, "2023-08-01", "2023-08-10", "range"),
    # counted from publication
    ("two years ago", None, "2021-01-01", "2021-12-31", "year"),
    ("three months ago", None, "2023-06-01", "2023-06-30", "month"),
    ("two weeks ago", None, "2023-09-04", "2023-09-10", "range"),
    ("five days ago", None, "2023-09-14", "2023-09-14", "day"),
    ("a few days ago", None, "2023-09-15", "2023-09-17", "range"),
    ("a decade ago", None, "2013-01-01", "2013-12-31", "year"),
    ("three days earlier", None, "2023-09-16", "2023-09-16", "day"),
    ("three days later", "future", "2023-09-22", "2023-09-22", "day"),
    ("the following week", "future", "2023-09-25", "2023-10-01", "range"),
    # the future
    ("upcoming", None, "2023-09-19", "2024-09-18", "range"),
    ("soon", None, "2023-09-19", "2023-12-18", "range"),
    ("in the coming days", None, "2023-09-19", "2023-09-26", "range"),
    ("in the coming weeks", None, "2023-09-19", "2023-10-10", "range"),
    ("in the coming months", None, "2023-09-19", "2023-12-19", "range"),
    ("in the weeks ahead", None, "2023-09-19", "2023-10-10", "range"),
    ("within two weeks", None, "2023-09-19", "2023-10-03", "range"),
    ("by 2030", None, "2023-09-19", "2030-12-31", "range"),
    ("by 2030", "past", "2023-09-19", "2030-12-31", "range"),
    ("by the end of the year", None, "2023-09-19", "2023-12-31", "range"),
    ("by March", "past", "2023-03-01", "2023-03-31", "month"),
    ("by March", "future", "2023-09-19", "2024-03-31", "range"),
    ("until 2025", "future", "2023-09-19", "2025-12-31", "range"),
    # since: from the date to publication
    ("since February 2022", None, "2022-02-01", "2023-09-19", "range"),
    ("since 2014", "future", "2014-01-01", "2023-09-19", "range"),
    ("since mid-April", None, "2023-04-11", "2023-09-19", "range"),
    ("since the start of the year", None, "2023-01-01", "2023-09-19", "range"),
]


@pytest.mark.parametrize(("text", "tense", "start", "end", "granularity"), CASES)
def test_parse_temporal(
    text: str, tense: str | None, start: str, end: str, granularity: str
) -> None:
    got = parse_temporal(text, PUB, tense=tense)  # type: ignore[arg-type]
    assert got == DateSpan(D(start), D(end), granularity, text=text, basis="text")  # type: ignore[arg-type]


NOT_DATES = [
    "",
    "hello",
    "20",
    "the day",
    "the year",
    "two years",
    "for two years",
    "after March 2022",
    "before 2020",
    "a week after",
    "three days later",  # past tense: relative to a narrated date dyad does not track
    "the following week",
    "the next day",
    "2500",
    "31 February 2023",
    "fiscal",
    "the same day",
    "between March",
    "x" * 200,
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_parse_temporal_not_a_date(text: str) -> None:
    assert parse_temporal(text, PUB, tense="past") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 2022", DateSpan(D("2022-02-01"), D("2022-02-28"), "month", "February 2022")),
        ("2019-2021", DateSpan(D("2019-01-01"), D("2021-12-31"), "range", "2019-2021")),
        ("in 2019", DateSpan(D("2019-01-01"), D("2019-12-31"), "year", "in 2019")),
        ("last week", None),
        ("in March", None),
        ("since 2014", None),
        ("by 2030", None),
        ("recently", None),
    ],
)
def test_parse_temporal_without_publication(text: str, expected: DateSpan | None) -> None:
    assert parse_temporal(text, None) == expected


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        # "the first N months of the year": last year's when the span is not over yet
        ("the first five months of the year", "2023-05-31", "2022-01-01", "2022-05-31"),
        ("the first five months of the year", "2023-06-01", "2023-01-01", "2023-05-31"),
        ("the first five months of this year", "2023-05-10", "2023-01-01", "2023-05-31"),
        # a weekday written with the day picks the year
        ("Tuesday, June 19", "2019-06-01", "2018-06-19", "2018-06-19"),
        ("on Monday", "2023-09-18", "2023-09-18", "2023-09-18"),  # the publication day
        ("last weekend", "2023-09-17", "2023-09-09", "2023-09-10"),
        ("in early January", "2024-01-03", "2024-01-01", "2024-01-10"),
        ("in late December", "2024-01-03", "2023-12-21", "2023-12-31"),
    ],
)
def test_parse_temporal_depends_on_publication(
    text: str, published: str, start: str, end: str
) -> None:
    got = parse_temporal(text, D(published))
    assert got is not None
    assert (got.start, got.end) == (D(start), D(end))


def test_parse_temporal_keeps_the_text_and_basis() -> None:
    got = parse_temporal("  last week ", PUB)
    assert got is not None
    assert got.text == "last week"
    assert got.basis == "text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Monday’s", "on monday"),
        ("Sept. 3, 2023", "sept 3 2023"),
        ("at 10:30 GMT on 3 March", "on 3 march"),
        ("2019 – 2021", "2019-2021"),
        ("the 1990's", "the 1990s"),
        ("the '90s", "the '90s"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("start", "end", "granularity", "part", "expected"),
    [
        ("2024-01-01", "2024-12-31", "year", "mid", ("2024-05-01", "2024-08-31")),
        ("2024-02-01", "2024-02-29", "month", "late", ("2024-02-21", "2024-02-29")),
        ("2020-01-01", "2029-12-31", "range", "late", ("2027-01-01", "2029-12-31")),
        ("2024-04-01", "2024-06-30", "quarter", "early", ("2024-04-01", "2024-04-30")),
        ("2024-03-05", "2024-03-05", "day", "late", ("2024-03-05", "2024-03-05")),
    ],
)
def test_thirds(
    start: str, end: str, granularity: str, part: str, expected: tuple[str, str]
) -> None:
    got = thirds(D(start), D(end), granularity, part)  # type: ignore[arg-type]
    assert got == (D(expected[0]), D(expected[1]))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-03-31", -1, "2023-02-28"),
        ("2023-12-15", 2, "2024-02-15"),
    ],
)
def test_add_months_clamps_the_day(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


EXPRESSIONS = [c[0] for c in CASES] + NOT_DATES[:10]


@settings(max_examples=300, deadline=None)
@given(
    published=st.dates(min_value=date(1900, 1, 1), max_value=date(2150, 12, 31)),
    text=st.sampled_from(EXPRESSIONS),
    tense=st.sampled_from([None, "past", "present", "future"]),
)
def test_parse_temporal_is_total_and_ordered(published: date, text: str, tense: str | None) -> None:
    got = parse_temporal(text, published, tense=tense)  # type: ignore[arg-type]
    if got is not None:
        assert got.start <= got.end
        assert got.basis == "text"


@settings(max_examples=100, deadline=None)
@given(published=st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_absolute_dates_ignore_publication(published: date) -> None:
    for text in ("February 2022", "21 March 2023", "Q2 2023", "the 1990s", "2019-2021"):
        assert parse_temporal(text, published) == parse_temporal(text, None)


def test_undated() -> None:
    assert undated(None, "asserted") is None
    assert undated(PUB, "asserted") == DateSpan(PUB, PUB, "day", None, "publication")
    future = undated(PUB, "future")
    assert future is not None
    assert (future.start, future.granularity, future.basis) == (PUB, "range", "publication")
    assert (future.end - future.start).days == FUTURE_HORIZON_DAYS


# --------------------------------------------------------------------------------------------
# finding expressions and attaching them to events (load the spaCy model)


def _doc(text: str) -> spacy.tokens.Doc:
    from dyad.parse import parse_one

    return parse_one(text)


def _index(doc: spacy.tokens.Doc, word: str, nth: int = 1) -> int:
    return find_trigger(doc, word, nth)


@pytest.mark.slow
def test_find_time_expressions_offsets_and_heads() -> None:
    text = (
        "Russian forces shelled Kharkiv on Monday, killing five civilians, "
        "two years after the 2014 annexation of Crimea."
    )
    doc = _doc(text)
    found = find_time_expressions(doc, next(iter(doc.sents)), PUB)
    assert [e.span.text for e in found] == ["Monday", "2014"]
    for expr in found:
        assert doc.text[expr.start : expr.end] == expr.span.text
        assert doc[expr.token_start : expr.token_end].text == expr.span.text
        assert expr.token_start <= expr.head < expr.token_end
    monday, year = found
    assert (monday.span.start, monday.relative) == (D("2023-09-18"), True)
    assert (year.span.granularity, year.relative) == ("year", False)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Theresa May met Emmanuel Macron in Paris.", []),
        ("The talks ended in May 2019 without a deal.", ["May 2019"]),
        ("Troops have been deployed since mid-April.", ["since mid-April"]),
        ("Rebels seized the town in recent days, a week after the ceasefire.", ["recent days"]),
        ("Officials met on 2023-03-21 in Geneva.", ["2023-03-21"]),
        ("The minister arrived late on Tuesday night.", ["late on Tuesday night"]),
        ("Israel has pounded Gaza since Saturday's attack.", ["since Saturday", "Saturday"]),
        ("Ministers met a week after the attack in March.", ["March"]),
    ],
)
def test_find_time_expressions_texts(text: str, expected: list[str]) -> None:
    doc = _doc(text)
    found = find_time_expressions(doc, next(iter(doc.sents)), PUB)
    assert [e.span.text for e in found] == expected


@pytest.mark.slow
def test_relative_expressions_need_publication() -> None:
    doc = _doc("Rebels attacked the base last week and again in March 2023.")
    found = find_time_expressions(doc, next(iter(doc.sents)), None)
    assert [e.span.text for e in found] == ["March 2023"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # two events, two dates: each gets the one its clause or noun phrase holds
        (
            "The foreign ministers met in Ankara on Monday, a week after the attack on the "
            "border post in March.",
            "met",
            ("2023-09-18", "2023-09-18"),
        ),
        (
            "The foreign ministers met in Ankara on Monday, a week after the attack on the "
            "border post in March.",
            "attack",
            ("2023-03-01", "2023-03-31"),
        ),
        (
            "Putin and Xi held the March summit in Moscow, and they will meet again next month.",
            "summit",
            ("2023-03-01", "2023-03-31"),
        ),
        (
            "Putin and Xi held the March summit in Moscow, and they will meet again next month.",
            "meet",
            ("2023-10-01", "2023-10-31"),
        ),
        ("Sunday's attack killed 12 soldiers, the army said.", "attack", ("2023-09-17",) * 2),
        ("Sunday's attack killed 12 soldiers, the army said.", "killed", ("2023-09-17",) * 2),
        ("Sunday's attack killed 12 soldiers, the army said.", "said", None),
        (
            "The 2014 annexation of Crimea is not recognised.",
            "annexation",
            ("2014-01-01", "2014-12-31"),
        ),
        (
            "The minister said on Tuesday that the deal, signed in Brussels on 3 March, would "
            "take effect by 2030.",
            "deal",
            ("2023-03-03", "2023-03-03"),
        ),
        (
            "The minister said on Tuesday that the deal, signed in Brussels on 3 March, would "
            "take effect by 2030.",
            "take",
            ("2023-09-19", "2030-12-31"),
        ),
        (
            "The minister said on Tuesday that the deal, signed in Brussels on 3 March, would "
            "take effect by 2030.",
            "said",
            ("2023-09-19", "2023-09-19"),
        ),
        ("Officials said on Monday that gunmen had ambushed a convoy.", "ambushed", None),
        (
            "Russia has faced sanctions following its invasion of a neighbour in February 2022.",
            "invasion",
            ("2022-02-01", "2022-02-28"),
        ),
        (
            "Russia has faced sanctions following its invasion of a neighbour in February 2022.",
            "faced",
            None,
        ),
        ("Israel has pounded Gaza since Saturday's attack.", "attack", ("2023-09-16",) * 2),
        (
            "Israel has pounded Gaza since Saturday's attack.",
            "pounded",
            ("2023-09-16", "2023-09-19"),
        ),
        ("Finland applied to join the alliance on 18 May.", "applied", ("2023-05-18",) * 2),
        # "which took place ...": the date of the noun phrase the clause describes
        (
            "The talks between the two foreign ministers, which took place in Geneva last week, "
            "ended without a deal.",
            "talks",
            ("2023-09-11", "2023-09-17"),
        ),
        (
            "The mutiny, which began late on Friday, ended within a day.",
            "began",
            ("2023-09-15",) * 2,
        ),
        (
            "Voters approved the charter in a referendum held in July.",
            "approved",
            ("2023-07-01", "2023-07-31"),
        ),
        # a partitive noun passes its verb's date on; an announcement does not take the date
        # of what it announces
        (
            "Leaders announced a new package of sanctions on Thursday.",
            "sanctions",
            ("2023-09-14",) * 2,
        ),
        ("China announced military drills starting on Thursday.", "announced", None),
        (
            "Leaders will discuss the plan at the upcoming summit.",
            "discuss",
            ("2023-09-19", "2024-09-18"),
        ),
    ],
)
def test_date_for_trigger(text: str, trigger: str, expected: tuple[str, str] | None) -> None:
    doc = _doc(text)
    got = date_for_trigger(doc, _index(doc, trigger), PUB)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        assert (got.start, got.end) == (D(expected[0]), D(expected[1]))
        assert got.basis == "text"


@pytest.mark.slow
def test_date_for_trigger_accepts_found_expressions() -> None:
    doc = _doc("Kenya deployed troops to eastern Congo in November.")
    head = _index(doc, "deployed")
    found = find_time_expressions(doc, doc[head].sent, PUB)
    assert date_for_trigger(doc, head, PUB, found) == date_for_trigger(doc, head, PUB)
    assert date_for_trigger(doc, head, PUB, []) is None


@pytest.mark.slow
def test_date_for_trigger_rejects_a_bad_index() -> None:
    doc = _doc("Talks resumed.")
    with pytest.raises(ValueError, match="outside the document"):
        date_for_trigger(doc, 99, PUB)


def _draft(head: int, status: str = "asserted", when: DateSpan | None = None) -> EventDraft:
    return EventDraft(
        sentence=0,
        trigger_start=head,
        trigger_end=head + 1,
        trigger_head=head,
        cameo="040",
        source=(),
        target=(),
        status=status,  # type: ignore[arg-type]
        evidence_start=0,
        evidence_end=0,
        confidence=0.5,
        date=when,
    )


@pytest.mark.slow
def test_date_events() -> None:
    published = date(2023, 9, 23)  # a Saturday
    doc = _doc(
        "Rebels attacked the town in March. Police detained three men. "
        "The leaders meet in Paris on Friday. The two sides intend to sign a deal."
    )
    preset = DateSpan(D("2020-01-01"), D("2020-01-01"), "day")
    drafts = [
        _draft(_index(doc, "attacked")),
        _draft(_index(doc, "detained")),
        _draft(_index(doc, "meet")),
        _draft(_index(doc, "meet"), status="future"),
        _draft(_index(doc, "sign"), status="future"),
        _draft(_index(doc, "attacked"), when=preset),
    ]
    out = date_events(drafts, doc, published)
    assert [dataclasses.replace(d, date=None) for d in out] == [
        dataclasses.replace(d, date=None) for d in drafts
    ]
    dates = [d.date for d in out]
    assert dates[0] == DateSpan(D("2023-03-01"), D("2023-03-31"), "month", "March", "text")
    assert dates[1] == DateSpan(published, published, "day", None, "publication")
    assert dates[2] == DateSpan(D("2023-09-22"), D("2023-09-22"), "day", "Friday", "text")
    assert dates[3] == DateSpan(D("2023-09-29"), D("2023-09-29"), "day", "Friday", "text")
    assert dates[4] == undated(published, "future")
    assert dates[5] is preset


@pytest.mark.slow
def test_date_events_without_publication() -> None:
    doc = _doc("Police detained three men last week. Troops withdrew in June 2021.")
    out = date_events([_draft(_index(doc, "detained")), _draft(_index(doc, "withdrew"))], doc, None)
    assert out[0].date is None
    assert out[1].date == DateSpan(D("2021-06-01"), D("2021-06-30"), "month", "June 2021")


# --------------------------------------------------------------------------------------------
# the date test set and its scorer


@pytest.mark.slow
def test_date_set_accuracy() -> None:
    report = score_dates(DATES_YAML)
    assert isinstance(report, DateReport)
    assert report.total >= 70
    assert report.accuracy >= 0.9, report.to_text()


def test_date_set_covers_every_family() -> None:
    items = load_date_items(DATES_YAML)
    assert len(items) >= 70
    families: dict[str, int] = {}
    for item in items:
        families[item.family] = families.get(item.family, 0) + 1
    required = {
        "abs-day", "abs-month", "abs-year", "abs-quarter", "abs-range", "abs-part",
        "abs-season", "rel-day", "rel-dow-past", "rel-dow-future", "rel-week", "rel-month",
        "rel-year", "rel-ago", "recently", "earlier-year", "unyeared-month", "span-months",
        "future", "nodate", "attach",
    }  # fmt: skip
    assert required <= set(families)
    assert all(n >= 4 for n in families.values()), families


def test_load_date_items_reads_publication_basis() -> None:
    items = {item.id: item for item in load_date_items(DATES_YAML)}
    nodate = items["nodate-1"]
    assert nodate.expected == DateSpan(
        nodate.published, nodate.published, "day", None, "publication"
    )
    future = items["nodate-5"]
    assert future.status == "future"
    assert future.expected == undated(future.published, "future")
    assert items["abs-month-1"].family == "abs-month"


GOOD_ITEM = (
    '  - id: x-1\n    published: 2023-09-19\n    text: "Talks resumed on Monday."\n'
    "    trigger: resumed\n    expected: {start: 2023-09-18, end: 2023-09-18, granularity: day}\n"
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("version: 2\nitems:\n" + GOOD_ITEM, "version 2 is not supported"),
        ("version: 1\n", "'items' must be a non-empty list"),
        ("[1, 2]", "expected a mapping"),
        ("version: 1\nitems: [: bad", "not valid YAML"),
        ("version: 1\nitems:\n  - 3\n", "item 1: expected a mapping"),
        ("version: 1\nitems:\n  - {published: 2023-01-01}\n", "id is missing"),
        ("version: 1\nitems:\n" + GOOD_ITEM.replace("x-1", "x"), "id must be FAMILY-N"),
        ("version: 1\nitems:\n" + GOOD_ITEM + GOOD_ITEM, "'x-1': duplicate id"),
        ("version: 1\nitems:\n" + GOOD_ITEM + "    colour: red\n", "unknown keys ['colour']"),
        ("version: 1\nitems:\n" + GOOD_ITEM.replace("2023-09-19", "19/09/2023"), "published"),
        ("version: 1\nitems:\n" + GOOD_ITEM.replace("resumed\n", "' resumed'\n"), "trigger"),
        ("version: 1\nitems:\n" + GOOD_ITEM.replace('"Talks resumed on Monday."', '""'), "text"),
        ("version: 1\nitems:\n" + GOOD_ITEM + "    occurrence: 0\n", "occurrence"),
        ("version: 1\nitems:\n" + GOOD_ITEM + "    status: maybe\n", "status 'maybe'"),
        (
            "version: 1\nitems:\n" + GOOD_ITEM.replace("granularity: day", "granularity: week"),
            "week",
        ),
        (
            "version: 1\nitems:\n" + GOOD_ITEM.replace("end: 2023-09-18", "end: 2023-09-01"),
            "before",
        ),
        (
            "version: 1\nitems:\n" + GOOD_ITEM.replace(", granularity: day", ""),
            "granularity is missing",
        ),
        (
            "version: 1\nitems:\n" + GOOD_ITEM.replace("start: 2023-09-18, ", "basis: maybe, "),
            "basis",
        ),
    ],
)
def test_load_date_items_rejects_bad_entries(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvaluationError, match=None) as info:
        load_date_items(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)


def test_load_date_items_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvaluationError, match="no such date test file"):
        load_date_items(tmp_path / "absent.yaml")


def test_find_trigger() -> None:
    doc = spacy.blank("en")("The army said the army would stay.")
    assert find_trigger(doc, "army") == 1
    assert find_trigger(doc, "Army", 2) == 4
    with pytest.raises(ValueError, match="occurrence 3"):
        find_trigger(doc, "army", 3)


@pytest.mark.slow
def test_score_dates_counts_misses(tmp_path: Path) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(
        "version: 1\nitems:\n"
        + GOOD_ITEM
        + GOOD_ITEM.replace("x-1", "y-1").replace(
            "2023-09-18, end: 2023-09-18", "2023-09-11, end: 2023-09-11"
        ),
        encoding="utf-8",
    )
    report = score_dates(path)
    assert (report.total, report.correct, report.accuracy) == (2, 1, 0.5)
    assert report.by_family == {"x": (1, 1), "y": (0, 1)}
    assert [r.ok for r in report.results] == [True, False]
    assert "MISS y-1" in report.to_text()
