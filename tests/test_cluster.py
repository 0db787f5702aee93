"""Mentions grouped into events: the pair score's rules, segments, stores, incremental runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from dyad.cluster import (
    THRESHOLD,
    Mention,
    group_mentions,
    pair_score,
    segments,
    source_name,
    update_events,
)
from dyad.model import Actor, Article, ArticleRef, DateSpan, Event, Place, Plover, TextSpan
from dyad.store import ingest, open_store

D = date(2024, 3, 4)


def _m(mid: str = "m1", **kw: object) -> Mention:
    base = Mention(
        id=mid,
        article_id="a1",
        source="wire-a",
        published=D,
        sentence=0,
        status="asserted",
        cameo="166",
        cameo_root="16",
        quad_class=4,
        source_keys=frozenset({"POL"}),
        target_keys=frozenset({"RUS"}),
        source_names=frozenset(),
        target_names=frozenset(),
        start=D,
        end=D,
        basis="text",
        place="Warsaw",
        place_country="POL",
        confidence=0.8,
    )
    return replace(base, **kw)  # type: ignore[arg-type]


SAME = True
DIFFERENT = False


@pytest.mark.parametrize(
    ("why", "other", "same"),
    [
        ("identical report", {}, SAME),
        ("another code under the same base", {"cameo": "1661"}, SAME),
        ("another base under the same root, same day and place", {"cameo": "164"}, SAME),
        ("a day later by the text", {"start": date(2024, 3, 5), "end": date(2024, 3, 5)}, SAME),
        (
            "publication date only, next day",
            {"start": date(2024, 3, 5), "end": date(2024, 3, 5), "basis": "publication"},
            SAME,
        ),
        ("five days apart", {"start": date(2024, 3, 9), "end": date(2024, 3, 9)}, DIFFERENT),
        ("another root", {"cameo": "111", "cameo_root": "11", "quad_class": 3}, DIFFERENT),
        ("negated, not asserted", {"status": "negated"}, DIFFERENT),
        ("another target", {"target_keys": frozenset({"BLR"})}, DIFFERENT),
        (
            "swapped sides of a conflict event",
            {"source_keys": frozenset({"RUS"}), "target_keys": frozenset({"POL"})},
            DIFFERENT,
        ),
        ("a target added to the sides", {"target_keys": frozenset({"RUS", "BLR"})}, SAME),
        ("the place in another country", {"place": "Minsk", "place_country": "BLR"}, DIFFERENT),
        ("no place named", {"place": None, "place_country": None}, SAME),
        ("other people named", {"source_names": frozenset({"Donald Tusk"})}, SAME),
    ],
)
def test_pair_score_rules(why: str, other: dict, same: bool) -> None:  # type: ignore[type-arg]
    a = _m("m1", source_names=frozenset())
    b = _m("m2", article_id="a2", source="wire-b", **other)
    score = pair_score(a, b)
    assert (score is not None and score >= THRESHOLD) is same, (why, score)
    assert pair_score(b, a) == score


def test_people_on_both_sides_must_agree() -> None:
    a = _m("m1", source_names=frozenset({"Radoslaw Sikorski"}))
    b = _m("m2", source_names=frozenset({"Donald Tusk"}))
    assert pair_score(a, b) is None


def test_symmetric_events_match_either_way_round() -> None:
    meet = {"cameo": "040", "cameo_root": "04", "quad_class": 1}
    a = _m("m1", **meet)
    b = _m("m2", source_keys=frozenset({"RUS"}), target_keys=frozenset({"POL"}), **meet)
    score = pair_score(a, b)
    assert score is not None and score >= THRESHOLD


def test_grouping_is_independent_of_input_order() -> None:
    ms = [
        _m("m1"),
        _m("m2", article_id="a2", cameo="1661"),
        _m("m3", article_id="a3", start=date(2024, 3, 5), end=date(2024, 3, 5)),
        _m("m4", article_id="a4", target_keys=frozenset({"BLR"})),
    ]
    forward = [[m.id for m in g] for g in group_mentions(ms)]
    backward = [[m.id for m in g] for g in group_mentions(reversed(ms))]
    assert forward == backward == [["m1", "m2", "m3"], ["m4"]]


def test_segments_break_where_dates_are_further_apart_than_the_window() -> None:
    ms = [
        _m("m1"),
        _m("m2", start=date(2024, 3, 6), end=date(2024, 3, 6)),
        _m("m3", start=date(2024, 3, 20), end=date(2024, 3, 20)),
        _m("m4", cameo="040", cameo_root="04", quad_class=1),
    ]
    assert [[m.id for m in s] for s in segments(ms)] == [["m4"], ["m1", "m2"], ["m3"]]


@pytest.mark.parametrize(
    ("source", "url", "expect"),
    [
        ("Wire A", "https://www.a.example/x", "Wire A"),
        (None, "https://www.a.example/x", "a.example"),
        (None, None, "art-1"),
    ],
)
def test_source_name(source: str | None, url: str | None, expect: str) -> None:
    assert source_name(source, url, "art-1") == expect


# -- in a store -------------------------------------------------------------------------------

POL = Actor("Poland", "POL", "POL")
RUS = Actor("Russia", "RUS", "RUS")
BLR = Actor("Belarus", "BLR", "BLR")


def stored_event(
    eid: str, aid: str, cameo: str = "166", day: date = D, target: Actor = RUS, conf: float = 0.8
) -> Event:
    return Event(
        id=eid,
        article=ArticleRef(aid, f"https://news-{aid}.example/story", D),
        sentence=0,
        evidence=TextSpan("Poland expelled Russian diplomats.", 0, 34),
        status="asserted",
        confidence=conf,
        coder="dyad/test",
        attributed_to=None,
        source=(POL,),
        target=(target,),
        trigger=TextSpan("expelled", 7, 15),
        cameo=cameo,
        cameo_root=cameo[:2],
        quad_class=4,
        goldstein=-5.0,
        plover=Plover("COERCE"),
        date=DateSpan(day, day, "day"),
        location=Place("Warsaw", "Warsaw", "POL", None, 52.2, 21.0),
    )


def _put(store_path: Path, aid: str, events: list[Event], text: str | None = None) -> None:
    art = Article(id=aid, text=text or f"text of {aid}", published=D)
    with open_store(store_path) as store:
        ingest(store, [(art, art.text, events)])


def _groups(store_path: Path) -> list[tuple[int, int, int, int, str]]:
    with open_store(store_path, read_only=True) as store:
        return [
            (int(g), int(n), int(s), int(a), best)
            for g, n, s, a, best in store.db.execute(
                "SELECT gid, num_mentions, num_sources, num_articles, best_mention "
                "FROM event_groups ORDER BY gid"
            ).fetchall()
        ]


def test_three_reports_become_one_event_with_three_mentions(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _put(db, "a1", [stored_event("e1", "a1")])
    _put(db, "a2", [stored_event("e2", "a2", cameo="1661", conf=0.9)])
    _put(db, "a3", [stored_event("e3", "a3", target=BLR)])
    groups = _groups(db)
    assert sorted((n, s, a) for _, n, s, a, _ in groups) == [(1, 1, 1), (2, 2, 2)]
    assert any(best == "e2" for *_, best in groups)


def test_incremental_equals_from_scratch_whatever_the_order(tmp_path: Path) -> None:
    events = {
        "a1": [stored_event("e1", "a1")],
        "a2": [stored_event("e2", "a2", day=date(2024, 3, 5))],
        "a3": [stored_event("e3", "a3", day=date(2024, 3, 20))],
        "a4": [stored_event("e4", "a4", cameo="1661")],
    }
    one = tmp_path / "one.duckdb"
    for aid in ("a3", "a1", "a4", "a2"):
        _put(one, aid, events[aid])
    other = tmp_path / "other.duckdb"
    art = [
        (Article(id=a, text=f"text of {a}", published=D), f"text of {a}", e)
        for a, e in events.items()
    ]
    with open_store(other) as store:
        ingest(store, art)
        assert update_events(store) == 0
    assert _groups(one) == _groups(other)
    assert sorted(n for _, n, *_ in _groups(one)) == [1, 3]


def test_replacing_an_article_regroups_its_events(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _put(db, "a1", [stored_event("e1", "a1")])
    _put(db, "a2", [stored_event("e2", "a2")])
    assert [n for _, n, *_ in _groups(db)] == [2]
    _put(db, "a2", [stored_event("e2b", "a2", target=BLR)], text="a new text of a2")
    assert sorted(n for _, n, *_ in _groups(db)) == [1, 1]
    with open_store(db, read_only=True) as store:
        left = store.db.execute("SELECT count(*) FROM event_mentions").fetchone()
    assert left == (2,)


def test_articles_sharing_an_event_share_a_story(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    _put(db, "a1", [stored_event("e1", "a1")])
    _put(db, "a2", [stored_event("e2", "a2")])
    _put(db, "a3", [stored_event("e3", "a3", day=date(2024, 5, 1))])
    with open_store(db, read_only=True) as store:
        stories = dict(
            store.db.execute("SELECT article_id, story_id FROM article_stories").fetchall()
        )
    assert stories["a1"] == stories["a2"] != stories["a3"]


def test_other_sentences_of_one_article_stay_apart() -> None:
    a = _m("m1", sentence=0)
    assert pair_score(a, _m("m2", sentence=3)) is None
    assert pair_score(a, _m("m2", sentence=0, cameo="1661")) is not None


# -- the multi-report corpus, coded by the real pipeline ---------------------------------------

CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.mark.slow
def test_multi_report_corpus_groups_reports_of_one_happening(tmp_path: Path) -> None:
    from dyad.evaluate.grouping import read_labels, score_grouping
    from dyad.pipeline import analyze_many
    from dyad.read import iter_inputs

    articles = [a for a in iter_inputs([str(CORPUS / "reports.jsonl")]) if isinstance(a, Article)]
    with open_store(tmp_path / "c.duckdb") as store:
        ingest(store, ((x.article, x.clean.text, x.records) for x in analyze_many(articles)))
        score = score_grouping(store, read_labels(CORPUS / "labels.yaml"))
        expulsion = store.db.execute(
            "SELECT num_mentions, num_sources, num_articles FROM event_groups g "
            "WHERE cameo_root = '16' AND EXISTS (SELECT 1 FROM event_actors x "
            "WHERE x.gid = g.gid AND x.side = 'source' AND x.key = 'POL')"
        ).fetchall()
    assert expulsion == [(3, 3, 3)]  # three wire stories, one expulsion
    assert score.happenings == 7
    assert score.precision >= 0.9 and score.recall >= 0.8, score.to_text()
