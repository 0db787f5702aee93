"""Stage 5, ``when``: the date of each event, read from the article's own words.

GDELT dates an event by the day the news appeared; dyad reads the date the text gives, keeps
its granularity (a month stays a month, never the 14th) and uses the publication date only when
the text states none.

API
---
- :func:`parse_temporal`: one expression as written -> :class:`~dyad.model.DateSpan`.
- :func:`find_time_expressions`: every time expression of a sentence (spaCy DATE entities and
  dyad's own patterns), resolved.
- :func:`date_for_trigger`: the expression that the dependency parse attaches to an event's
  trigger, its noun phrase or its clause; never merely the nearest one in the sentence.
- :func:`date_events`: fills :attr:`~dyad.draft.EventDraft.date` for every draft.

Conventions
-----------
- A year missing from the text comes from the publication date and the tense of the clause:
  in past (or unknown) tense the latest occurrence that has begun by publication ("on 21
  March", "in March", "the March summit"); in future tense the earliest one not yet over. A
  measurement period in past tense ("the second quarter", "the first four months of the year")
  is the latest one already over, so "the first four months of the year" published before
  May is last year's.
- Weekdays: "on Monday" in past tense is the latest Monday before the publication day, in
  future tense the next one after it, in present tense the nearer one. When the article is
  published on a Monday, a plain "on Monday" is the publication day itself in every tense
  (:data:`~dyad.when.grammar.WEEKDAY_INCLUDES_PUBLICATION`): wire copy names the current day
  instead of writing "today"; "last Monday" / "next Monday" still mean a week before / after.
  A weekday written with a date ("Tuesday, June 19") picks the year in which they agree.
  Weeks run Monday to Sunday; "last week" is the previous such week, "the past week" the seven
  days up to publication.
- early/mid/late split a unit into thirds: a month into days 1-10, 11-20, 21-end; a year into
  January-April, May-August, September-December; a decade into years 0-3, 4-6, 7-9. "the end
  of X" is late X, "the beginning/start of X" early X.
- Vague spans (all ranges up to and including publication, or from it): "recently" 30 days,
  "in recent days" 7, "in recent weeks" 21, "in recent months" 3 months, "in recent years"
  3 years; "in the coming days/weeks/months/years" 7 days / 21 days / 3 months / 3 years;
  "soon" 90 days; "upcoming" 365 days. "earlier this year" / "earlier in the year" run from
  1 January to the day before publication, "later this year" from the day after to 31
  December. "a few" counts as 3, "several" as 5.
- Seasons are northern and meteorological: spring March-May, summer June-August, autumn
  September-November, winter December to February of the next year ("winter 2023" begins in
  December 2023; "the winter of 2022/23" in December 2022).
- "by 2030" / "until 2030" in a present or future clause: publication to the end of 2030; in
  a past clause the deadline itself. "since 2014": start of 2014 to publication.
- Relative counts are resolved against the publication date only: "two years ago" is the year
  two years before publication, "three days earlier" the day three days before it. "three
  days later", "the next day", "the following week" in a past-tense clause refer to a
  narrated date that dyad does not track, so they give no date there (the event then falls
  back to publication); in present or future clauses they count from publication.
- "before X" / "after X" / "a week after the attack" state no date for the event and are
  skipped.
- Attachment repairs for two frequent parser errors: a finished past date hung on a present
  perfect verb ("has faced sanctions following the invasion in February 2022") goes to the
  nearest noun before it, since English does not date a present perfect that way; a date in
  "which took place ...", "held ...", "that began ..." goes to the noun phrase the clause
  describes, even when the parser hung the clause on a name inside it.
- Undated events: the publication day (``basis: "publication"``); future-status events with
  no stated date get the open range publication .. publication + 365 days (granularity
  ``range``, ``basis: "publication"``); None when there is no publication date either.
"""

from __future__ import annotations

from dyad.when.attach import (
    TimeExpression,
    attachment,
    clause_tense,
    date_events,
    date_for_trigger,
    find_time_expressions,
    undated,
)
from dyad.when.grammar import (
    COMING_DAYS,
    COMING_MONTHS,
    COMING_WEEKS_DAYS,
    COMING_YEARS,
    FUTURE_HORIZON_DAYS,
    RECENT_DAYS_DAYS,
    RECENT_MONTHS,
    RECENT_WEEKS_DAYS,
    RECENT_YEARS,
    RECENTLY_DAYS,
    SOON_DAYS,
    WEEKDAY_INCLUDES_PUBLICATION,
    Tense,
    parse_temporal,
)

__all__ = [
    "COMING_DAYS",
    "COMING_MONTHS",
    "COMING_WEEKS_DAYS",
    "COMING_YEARS",
    "FUTURE_HORIZON_DAYS",
    "RECENTLY_DAYS",
    "RECENT_DAYS_DAYS",
    "RECENT_MONTHS",
    "RECENT_WEEKS_DAYS",
    "RECENT_YEARS",
    "SOON_DAYS",
    "WEEKDAY_INCLUDES_PUBLICATION",
    "Tense",
    "TimeExpression",
    "attachment",
    "clause_tense",
    "date_events",
    "date_for_trigger",
    "find_time_expressions",
    "parse_temporal",
    "undated",
]
