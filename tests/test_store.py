"""The DuckDB store: migrations, atomic per-article writes, idempotent ingest, queries."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dyad.errors import StoreError
from dyad.model import (
    Actor,
    Article,
    ArticleRef,
    Claim,
    DateSpan,
    Event,
    Plover,
    Quantity,
    TextSpan,
)
from dyad.store import MIGRATIONS, ingest, open_store

RUS = Actor("Russia", "RUS", "RUS")
CHN = Actor("China", "CHN", "CHN")
UKR = Actor("Ukraine", "UKR", "UKR")
LAVROV = Actor("Lavrov", "RUSGOV", "RUS", ("GOV",), name="Sergey Lavrov", role="Foreign Minister")


def _article(aid: str = "a1", text: str = "Russia met China. Russia attacked Ukraine.") -> Article:
    return Article(id=aid, text=text, published=date(2023, 9, 19))


def _event(
    eid: str, source: Actor, target: Actor, cameo: str, quad: int, day: date, aid: str = "a1"
) -> Event:
    return Event(
        id=eid,
        article=ArticleRef(aid, None, date(2023, 9, 19)),
        sentence=0,
        evidence=TextSpan("Russia met China.", 0, 17),
        status="asserted",
        confidence=0.8,
        coder="dyad/test",
        attributed_to=None,
        source=(source,),
        target=(target,),
        trigger=TextSpan("met", 7, 10),
        cameo=cameo,
        cameo_root=cameo[:2],
        quad_class=quad,
        goldstein=1.0 if quad < 3 else -9.0,
        plover=Plover("CONSULT" if quad < 3 else "ASSAULT"),
        date=DateSpan(day, day, "day"),
    )


def _claim() -> Claim:
    return Claim(
        id="c1",
        article=ArticleRef("a1"),
        sentence=1,
        evidence=TextSpan("Trade rose 40%.", 18, 33),
        status="asserted",
        confidence=0.7,
        coder="dyad/test",
        attributed_to=None,
        subject=(RUS, CHN),
        metric="trade",
        quantity=Quantity(40, "percent", "change", "="),
        period=DateSpan(date(2023, 1, 1), date(2023, 5, 31), "range"),
    )


RECORDS = [
    _event("e1", LAVROV, CHN, "040", 1, date(2023, 9, 1)),
    _event("e2", RUS, UKR, "190", 4, date(2022, 2, 24)),
    _claim(),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


def test_migrations_are_named_applied_once_and_recorded(db: Path) -> None:
    with open_store(db) as store:
        assert store.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert store.migrate() == []
    with open_store(db) as store:
        assert store.migrate() == []


def test_ingest_twice_adds_nothing(db: Path) -> None:
    with open_store(db) as store:
        first = ingest(store, [(_article(), _article().text, RECORDS)])
        again = ingest(store, [(_article(), _article().text, RECORDS)])
        assert (first.added, first.events, first.claims) == (1, 2, 1)
        assert (again.added, again.unchanged, again.events) == (0, 1, 0)
        assert store.count("events") == 2 and store.count("claims") == 1
        assert store.is_current(_article())


def test_new_text_for_an_id_replaces_its_records(db: Path) -> None:
    with open_store(db) as store:
        ingest(store, [(_article(), _article().text, RECORDS)])
        changed = _article(text="Russia met China again.")
        stats = ingest(store, [(changed, changed.text, RECORDS[:1])])
        assert stats.replaced == 1
        assert store.count("events") == 1 and store.count("claims") == 0


def test_stored_events_read_back_equal(db: Path) -> None:
    with open_store(db) as store:
        ingest(store, [(_article(), _article().text, RECORDS)])
        got = {e.id: e for e in store.events()}
    assert got == {"e1": RECORDS[0], "e2": RECORDS[1]}


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ({}, ["e2", "e1"]),
        ({"actor": "UKR"}, ["e2"]),
        ({"actor": "RUSGOV"}, ["e1"]),
        ({"actor": "RUS"}, ["e2", "e1"]),
        ({"dyad": ("CHN", "RUS")}, ["e1"]),
        ({"dyad": ("RUS", "CHN")}, ["e1"]),
        ({"since": date(2023, 1, 1)}, ["e1"]),
        ({"until": date(2022, 12, 31)}, ["e2"]),
        ({"limit": 1}, ["e2"]),
    ],
)
def test_event_queries(db: Path, query: dict, ids: list[str]) -> None:  # type: ignore[type-arg]
    with open_store(db) as store:
        ingest(store, [(_article(), _article().text, RECORDS)])
        assert [e.id for e in store.events(**query)] == ids


def test_dyad_summary_counts_both_directions(db: Path) -> None:
    with open_store(db) as store:
        back = replace(RECORDS[0], id="e3", source=(CHN,), target=(RUS,))
        ingest(store, [(_article(), _article().text, [*RECORDS, back])])
        rows = {(r.a, r.b): r for r in store.dyads()}
    assert rows[("CHN", "RUS")].events == 2
    assert rows[("CHN", "RUS")].cooperation == 2
    assert rows[("RUS", "UKR")].conflict == 1


def test_a_failed_write_leaves_nothing_of_the_article(db: Path) -> None:
    broken = replace(_claim(), metric=None)  # type: ignore[arg-type]  # violates NOT NULL
    with open_store(db) as store:
        with pytest.raises(StoreError, match="could not store article a1"):
            store.add(_article(), _article().text, [*RECORDS[:2], broken])
        assert (store.count("articles"), store.count("events"), store.count("claims")) == (0, 0, 0)
        assert store.add(_article(), _article().text, RECORDS) == "added"


def test_opening_something_that_is_not_a_store_read_only_fails(tmp_path: Path) -> None:
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(StoreError, match="not a dyad store"):
        open_store(path, read_only=True)
