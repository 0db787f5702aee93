"""Text segments with marks, evidence highlighting, and the chart geometry."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from dyad.model import Actor, TextSpan
from dyad.query import SeriesPoint
from dyad.serve.charts import MAP_HEIGHT, MAP_WIDTH, dyad_chart, events_chart, place_map, project
from dyad.serve.queries import Mark, PlacePoint, Segment, evidence_segments, segments
from tests.event_store import POL, RUS, event


@pytest.mark.parametrize(
    ("text", "marks", "expected"),
    [
        ("abcdef", [], [("abcdef", None)]),
        ("abcdef", [Mark(0, 2, "x")], [("ab", "x"), ("cdef", None)]),
        ("abcdef", [Mark(2, 4, "x")], [("ab", None), ("cd", "x"), ("ef", None)]),
        ("abcdef", [Mark(1, 4, "x"), Mark(3, 5, "y")], [("a", None), ("bcd", "x"), ("e", "y"),
                                                         ("f", None)]),
        ("abcdef", [Mark(1, 3, "x"), Mark(1, 3, "y")], [("a", None), ("bc", "x"),
                                                         ("def", None)]),
        ("abc", [Mark(2, 9, "x")], [("ab", None), ("c", "x")]),
        ("abc", [Mark(5, 9, "x")], [("abc", None)]),
    ],
)  # fmt: skip
def test_segments_cover_the_text_once(
    text: str, marks: list[Mark], expected: list[tuple[str, str | None]]
) -> None:
    got = segments(text, marks)
    assert [(s.text, s.mark) for s in got] == expected
    assert "".join(s.text for s in got) == text


def test_evidence_marks_trigger_and_actors() -> None:
    e = event("x", "a", (POL,), (RUS,), "166", 4, date(2024, 3, 5))
    got = evidence_segments(e)
    assert Segment("expelled", "trigger") in got
    assert Segment("Poland", "source") in got
    assert "".join(s.text for s in got) == e.evidence.text
    assert not any(s.mark == "target" for s in got)  # "Russia" is not in the sentence


def test_evidence_offsets_are_relative_to_the_sentence() -> None:
    sentence = "Later, Russia condemned Poland."
    e = event("x", "a", (RUS,), (POL, Actor("Warsaw", "POL", "POL")), "111", 3, date(2024, 3, 6))
    e = replace(e, evidence=TextSpan(sentence, 100, 100 + len(sentence)),
                trigger=TextSpan("condemned", 114, 123))  # fmt: skip
    marked = [(s.text, s.mark) for s in evidence_segments(e) if s.mark]
    assert marked == [("Russia", "source"), ("condemned", "trigger"), ("Poland", "target")]


def point(day: int, coop: int, conflict: int, gold: float | None) -> SeriesPoint:
    return SeriesPoint(date(2024, 1, day), coop + conflict, coop + conflict, 0.0, gold,
                       (coop, 0, conflict, 0))  # fmt: skip


def test_dyad_chart_draws_cooperation_up_conflict_down_and_goldstein() -> None:
    chart = dyad_chart([point(1, 2, 0, 5.0), point(2, 0, 0, None), point(3, 1, 3, -10.0)], "c")
    kinds = [b.kind for b in chart.bars]
    assert kinds == ["cooperation", "cooperation", "conflict"]
    up = chart.bars[0]
    down = chart.bars[2]
    assert up.y + up.height == pytest.approx(chart.baseline)
    assert down.y == pytest.approx(chart.baseline) and down.height > up.height
    assert len(chart.line) == 2  # the empty period has no Goldstein point
    assert chart.line[1].y > chart.baseline  # -10 is below the axis
    assert chart.points.count(",") == 2


def test_events_chart_skips_empty_periods_and_caps_bar_width() -> None:
    chart = events_chart([point(1, 4, 0, 1.0), point(2, 0, 0, None)], "c")
    assert len(chart.bars) == 1 and chart.bars[0].width <= 36
    assert events_chart([], "empty").bars == ()


@pytest.mark.parametrize(
    ("lat", "lon", "xy"),
    [(0, 0, (MAP_WIDTH / 2, MAP_HEIGHT / 2)), (90, -180, (0, 0)), (-90, 180, (MAP_WIDTH,
                                                                               MAP_HEIGHT))],
)  # fmt: skip
def test_equirectangular_projection(lat: float, lon: float, xy: tuple[float, float]) -> None:
    assert project(lat, lon) == pytest.approx(xy)


def test_map_dots_grow_with_events_and_busiest_are_named() -> None:
    m = place_map(
        [PlacePoint("Kyiv", "UKR", 50.45, 30.52, 9), PlacePoint("Lima", "PER", -12.05, -77.04, 1)]
    )
    assert m.dots[0].r > m.dots[1].r
    assert {t.label for t in m.labels} >= {"Kyiv", "Lima", "30°N", "0°"}
    assert m.dots[1].x < MAP_WIDTH / 2 < m.dots[0].x
