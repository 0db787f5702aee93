"""Stage 9, dedup: one event per happening within an article. Drafts are built by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Final

import pytest

from dyad.dedup import dedup_events
from dyad.draft import EventDraft
from dyad.model import Actor, DateSpan, Place, Status

RUS: Final = Actor("Russia", "RUS", "RUS")
CHN: Final = Actor("China", "CHN", "CHN")
UKR: Final = Actor("Ukraine", "UKR", "UKR")
USA: Final = Actor("Washington", "USAGOV", "USA", ("GOV",))
NATO: Final = Actor("NATO", "IGONATO", None, ("IGO", "MIL"), org="NATO")
MOSCOW: Final = Actor("Moscow", "RUSGOV", "RUS", ("GOV",))
LAVROV: Final = Actor(
    "Lavrov", "RUSGOV", "RUS", ("GOV",), name="Sergey Lavrov", role="Foreign Minister"
)
SHOIGU: Final = Actor(
    "Shoigu", "RUSGOV", "RUS", ("GOV",), name="Sergei Shoigu", role="Defence Minister"
)
WANG: Final = Actor("Wang", "CHNGOV", "CHN", ("GOV",), name="Wang Yi", role="Foreign Minister")
BEIJING: Final = Actor("Beijing", "CHNGOV", "CHN", ("GOV",))

FASHER: Final = Place("El Fasher", "El Fasher", "SDN")
OMDURMAN: Final = Place("Omdurman", "Omdurman", "SDN")

PUBLISHED: Final = date(2023, 3, 20)


def day(d: int, month: int = 3) -> DateSpan:
    return DateSpan(date(2023, month, d), date(2023, month, d), "day", f"{month}/{d}")


def march() -> DateSpan:
    return DateSpan(date(2023, 3, 1), date(2023, 3, 31), "month", "in March")


def days(first: int, last: int) -> DateSpan:
    return DateSpan(date(2023, 3, first), date(2023, 3, last), "range", f"{first}-{last} March")


def published() -> DateSpan:
    return DateSpan(PUBLISHED, PUBLISHED, "day", None, basis="publication")


def draft(
    source: tuple[Actor, ...] = (RUS,),
    target: tuple[Actor, ...] = (CHN,),
    *,
    cameo: str = "040",
    when: DateSpan | None = None,
    at: int = 0,
    confidence: float = 0.8,
    status: Status = "asserted",
    symmetric: bool = False,
    background: bool = False,
    place: Place | None = None,
) -> EventDraft:
    """A draft whose sentence starts at character ``at * 100``."""
    return EventDraft(
        sentence=at,
        trigger_start=at * 20 + 2,
        trigger_end=at * 20 + 3,
        trigger_head=at * 20 + 2,
        cameo=cameo,
        source=source,
        target=target,
        status=status,
        evidence_start=at * 100,
        evidence_end=at * 100 + 90,
        confidence=confidence,
        symmetric=symmetric,
        date=when,
        background=background,
        location=place,
    )


# -- which pairs are one happening ------------------------------------------------------------

PAIRS = [
    pytest.param(draft(when=day(14)), draft(when=day(14), at=1), 1, id="same-everything"),
    pytest.param(draft(when=march()), draft(when=day(14), at=1), 1, id="day-inside-month"),
    pytest.param(draft(when=days(10, 16)), draft(when=days(15, 20), at=1), 1, id="ranges-overlap"),
    pytest.param(draft(when=day(14)), draft(when=day(15), at=1), 2, id="different-days"),
    pytest.param(draft(when=day(14)), draft(when=day(14, 4), at=1), 2, id="different-months"),
    pytest.param(draft(), draft(cameo="042", at=1), 2, id="different-code"),
    pytest.param(draft(), draft(cameo="0401", at=1), 2, id="more-specific-code"),
    pytest.param(draft(), draft(status="negated", at=1), 2, id="different-status"),
    pytest.param(draft(), draft(target=(UKR,), at=1), 2, id="different-target"),
    pytest.param(draft((USA,)), draft((NATO,), at=1), 2, id="country-vs-organisation"),
    pytest.param(draft((MOSCOW,)), draft((RUS,), at=1), 1, id="same-country-other-words"),
    pytest.param(
        draft((LAVROV,), (WANG,)), draft((SHOIGU,), (WANG,), at=1), 2, id="different-people"
    ),
    pytest.param(
        draft((LAVROV,), (WANG,)),
        draft((MOSCOW,), (BEIJING,), at=1),
        1,
        id="named-and-unnamed-same-countries",
    ),
    pytest.param(draft((LAVROV,), (WANG,)), draft((LAVROV,), (WANG,), at=1), 1, id="same-people"),
    pytest.param(
        draft((RUS,), (CHN,), symmetric=True),
        draft((CHN,), (RUS,), symmetric=True, at=1),
        1,
        id="symmetric-reversed",
    ),
    pytest.param(
        draft((RUS,), (CHN,), symmetric=True),
        draft((CHN,), (RUS,), at=1),
        1,
        id="one-symmetric-reversed",
    ),
    pytest.param(
        draft((RUS,), (UKR,), cameo="190"),
        draft((UKR,), (RUS,), cameo="190", at=1),
        2,
        id="directed-reversed",
    ),
    pytest.param(
        draft((RUS, CHN), (USA,)), draft((CHN, RUS), (USA,), at=1), 1, id="compound-source-order"
    ),
    pytest.param(
        draft((RUS,), (CHN,), symmetric=True),
        draft((RUS, CHN), (), symmetric=True, at=1),
        1,
        id="symmetric-one-list",
    ),
    pytest.param(draft(when=published()), draft(when=day(14), at=1), 1, id="publication-and-text"),
    pytest.param(draft(when=day(14)), draft(when=published(), at=1), 1, id="text-and-publication"),
    pytest.param(draft(when=None), draft(when=day(2), at=1), 1, id="undated-and-dated"),
    pytest.param(draft(), draft(background=True, at=1), 2, id="background-other-sentence"),
    pytest.param(draft(background=True), draft(at=1), 2, id="report-after-background"),
    pytest.param(
        draft(background=True), draft(background=True, at=1), 2, id="backgrounds-two-sentences"
    ),
    pytest.param(draft(), draft(background=True), 1, id="background-same-sentence"),
    # happenings nobody is named for: the place tells them apart
    pytest.param(
        draft((), (), cameo="190", place=FASHER),
        draft((), (), cameo="190", place=OMDURMAN, at=1),
        2,
        id="happenings-in-two-places",
    ),
    pytest.param(
        draft((), (), cameo="190", place=FASHER),
        draft((), (), cameo="190", place=FASHER, at=1),
        1,
        id="happenings-in-one-place",
    ),
    pytest.param(
        draft(cameo="190", place=FASHER),
        draft(cameo="190", place=OMDURMAN, at=1),
        1,
        id="with-actors-places-do-not-split",
    ),
]


@pytest.mark.parametrize(("a", "b", "count"), PAIRS)
def test_pair_is_merged_or_kept(a: EventDraft, b: EventDraft, count: int) -> None:
    assert len(dedup_events([a, b])) == count
    assert len(dedup_events([b, a])) == count


# -- which draft is kept, with which date ----------------------------------------------------------


def test_most_confident_draft_is_kept() -> None:
    weak = draft(at=0, confidence=0.5)
    strong = draft(at=3, confidence=0.9)
    assert dedup_events([weak, strong]) == [strong]


def test_on_equal_confidence_the_one_naming_people_is_kept() -> None:
    plain = draft((MOSCOW,), (BEIJING,), at=0)
    named = draft((LAVROV,), (WANG,), at=2)
    assert dedup_events([plain, named]) == [named]


def test_on_equal_evidence_the_earliest_is_kept() -> None:
    first, second = draft(at=1), draft(at=4)
    assert dedup_events([second, first]) == [first]


def test_a_text_date_beats_the_publication_date_on_equal_confidence() -> None:
    undated = draft(when=published(), at=0)
    dated = draft(when=day(14), at=2)
    assert dedup_events([undated, dated]) == [dated]


def test_kept_event_takes_the_most_precise_date_of_its_group() -> None:
    best = draft(when=march(), at=0, confidence=0.9)
    other = draft(when=day(14), at=2, confidence=0.6)
    (kept,) = dedup_events([best, other])
    assert kept == replace(best, date=day(14))


def test_kept_event_takes_the_narrowest_of_several_dates() -> None:
    group = [
        draft(when=march(), at=0, confidence=0.9),
        draft(when=days(12, 16), at=1, confidence=0.7),
        draft(when=day(14), at=2, confidence=0.6),
    ]
    (kept,) = dedup_events(group)
    assert kept.date == day(14)
    assert kept.confidence == 0.9


def test_a_precise_date_is_not_widened() -> None:
    best = draft(when=day(14), at=0, confidence=0.9)
    other = draft(when=march(), at=2, confidence=0.6)
    assert dedup_events([best, other]) == [best]


def test_publication_date_gives_way_to_a_text_date() -> None:
    best = draft(when=published(), at=0, confidence=0.9)
    other = draft(when=day(14), at=2, confidence=0.5)
    (kept,) = dedup_events([best, other])
    assert kept.date == day(14)
    assert kept.date.basis == "text"
    assert kept.trigger_start == best.trigger_start


def test_undated_best_takes_a_date_from_its_group() -> None:
    best = draft(when=None, at=0, confidence=0.9)
    other = draft(when=march(), at=2, confidence=0.5)
    assert dedup_events([best, other])[0].date == march()


def test_publication_dates_alone_stay() -> None:
    best = draft(when=published(), at=0, confidence=0.9)
    other = draft(when=published(), at=1, confidence=0.5)
    assert dedup_events([best, other]) == [best]


# -- groups --------------------------------------------------------------------------------------


def test_dates_must_fit_every_member_of_a_group() -> None:
    # 10-16 and 15-20 overlap, 15-20 and 18 overlap, but 10-16 and 18 do not
    a = draft(when=days(10, 16), at=0)
    b = draft(when=days(15, 20), at=1)
    c = draft(when=day(18), at=2)
    kept = dedup_events([a, b, c])
    assert len(kept) == 2
    assert kept[0].evidence_start == 0
    assert kept[0].date == days(10, 16)  # no narrower date in its group that lies inside
    assert kept[1] == c


def test_output_is_in_text_order() -> None:
    meet = draft(at=5)
    attack = draft((RUS,), (UKR,), cameo="190", at=1)
    visit = draft(cameo="042", at=3)
    again = draft(at=0, confidence=0.4)  # the same meeting, earlier and weaker
    kept = dedup_events([meet, attack, visit, again])
    assert [d.cameo for d in kept] == ["190", "042", "040"]
    assert [d.evidence_start for d in kept] == [100, 300, 500]


def test_several_repetitions_collapse_to_one() -> None:
    drafts = [draft(when=march(), at=i, confidence=0.5 + i / 20) for i in range(6)]
    kept = dedup_events(drafts)
    assert kept == [drafts[-1]]


def test_dedup_is_idempotent_and_keeps_distinct_events() -> None:
    drafts = [
        draft(when=day(14), at=0),
        draft(when=day(14), at=1, confidence=0.6),
        draft((RUS,), (UKR,), cameo="190", at=2),
        draft((UKR,), (RUS,), cameo="190", at=3),
        draft((LAVROV,), (WANG,), cameo="042", at=4),
        draft((SHOIGU,), (WANG,), cameo="042", at=5),
    ]
    once = dedup_events(drafts)
    assert len(once) == 5
    assert dedup_events(once) == once


def test_nothing_in_nothing_out() -> None:
    assert dedup_events([]) == []


def test_different_people_stay_apart_after_an_unnamed_mention() -> None:
    drafts = [
        draft((MOSCOW,), (BEIJING,), at=0),
        draft((LAVROV,), (WANG,), at=1),
        draft((SHOIGU,), (WANG,), at=2),
    ]
    kept = dedup_events(drafts)
    assert {a.name for d in kept for a in d.source} == {"Sergey Lavrov", "Sergei Shoigu"}


def _reference(drafts: list[EventDraft]) -> list[EventDraft]:
    """The grouping rule written plainly (every group scanned, every member compared)."""
    from dyad.dedup import _best, _dates_compatible, _may_fold, _same_sides

    groups: list[list[EventDraft]] = []
    for d in drafts:
        for group in groups:
            if (
                group[0].cameo == d.cameo
                and group[0].status == d.status
                and all(
                    _same_sides(g, d) and _dates_compatible(g.date, d.date) and _may_fold(g, d)
                    for g in group
                )
            ):
                group.append(d)
                break
        else:
            groups.append([d])
    return sorted(map(_best, groups), key=lambda d: (d.evidence_start, d.trigger_start))


def test_a_background_event_keeps_its_evidence_beside_a_surer_report_elsewhere() -> None:
    """A report found in one sentence (say by the classifier, more confident) and the same
    code and sides as a background clause of a later sentence: both stay, each with its own
    evidence."""
    report = draft((CHN,), (RUS,), cameo="050", at=2, confidence=0.7)
    aside = draft((CHN,), (RUS,), cameo="050", at=5, confidence=0.4, background=True)
    kept = dedup_events([report, aside])
    assert kept == [report, aside]


def test_a_background_group_stays_in_its_sentence() -> None:
    """Repeats of a report fold across sentences; a background clause joins only its own."""
    a, b = draft(at=1), draft(at=3, confidence=0.9)
    aside = draft(at=3, background=True, confidence=0.5)
    later = draft(at=4, confidence=0.6)
    kept = dedup_events([a, aside, b, later])
    assert len(kept) == 2 and b in kept and aside in kept
    assert sorted(d.sentence for d in dedup_events([aside, a, later])) == [1, 3]


def test_thousands_of_repeats_are_one_event() -> None:
    kept = dedup_events([draft(at=k, confidence=0.5 + (k % 7) / 100) for k in range(5000)])
    assert len(kept) == 1 and kept[0].confidence == pytest.approx(0.56)


def test_grouping_by_key_matches_the_plain_rule_on_a_mixed_article() -> None:
    sides = [(RUS,), (CHN,), (UKR,), (USA,), (NATO,), (LAVROV,), (MOSCOW,)]
    whens = [None, published(), day(3), day(4), days(1, 10), march()]
    drafts = [
        draft(
            sides[k % 7],
            sides[(k * 3 + 1) % 7],
            cameo=["040", "111", "190"][k % 3],
            when=whens[(k * 5) % 6],
            at=k,
            confidence=0.5 + (k % 11) / 50,
            status="asserted" if k % 4 else "future",
            symmetric=k % 5 == 0,
            background=k % 6 == 0,
        )
        for k in range(400)
    ]
    assert dedup_events(drafts) == _reference(drafts)
