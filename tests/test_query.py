"""Queries over grouped events: actors by name or code, filters, dyads, series, network."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from dyad import query
from dyad.errors import QueryError
from dyad.query import Filters
from dyad.store import Store, open_store
from tests.event_store import build


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path = build(tmp_path_factory.mktemp("q") / "q.duckdb")
    with query.open_for_query(path) as s:
        yield s


def test_reports_of_one_happening_are_one_event(store: Store) -> None:
    rows = query.events(store)
    assert len(rows) == 5
    expulsion = rows[0]
    assert (expulsion.num_mentions, expulsion.num_sources, expulsion.num_articles) == (3, 3, 3)
    assert expulsion.best_mention == "e1"  # the most confident report
    assert expulsion.cameo == "166" and expulsion.place == "Warsaw"
    meeting = next(r for r in rows if r.cameo == "040")
    assert meeting.num_mentions == 2


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("Russia", "key", "RUS"),
        ("RUS", "key", "RUS"),
        ("rus", "key", "RUS"),
        ("Lavrov", "name", "Sergey Lavrov"),
        ("Sergei Lavrov", "name", "Sergey Lavrov"),
        ("the Kremlin", "code_prefix", "RUSGOV"),
        ("POLGOV", "code_prefix", "POLGOV"),
        ("NATO", "key", "NATO"),
    ],
)
def test_actors_resolve_by_name_or_code(store: Store, text: str, field: str, value: str) -> None:
    assert getattr(query.resolve_actor(store, text), field) == value


def test_an_unknown_actor_is_an_error_with_close_matches(store: Store) -> None:
    with pytest.raises(QueryError, match="did you mean 'Russia'"):
        query.resolve_actor(store, "Rusia")
    with pytest.raises(QueryError, match="dyad actors NAME"):
        query.events(store, Filters(actor="Qwxzy"))


def _ids(store: Store, **kw: object) -> list[str]:
    return sorted(r.best_mention for r in query.events(store, Filters(**kw)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("filters", "best"),
    [
        ({"actor": "Russia"}, ["e1", "e4", "e5", "e7", "e8"]),
        ({"actor": "Lavrov"}, ["e5"]),
        ({"actor": "Iran"}, ["e7"]),
        ({"dyad": ("POL", "RUS")}, ["e1", "e4"]),
        ({"dyad": ("Poland", "Russia"), "directed": True}, ["e1"]),
        ({"dyad": ("RUS", "POL"), "directed": True}, ["e4"]),
        ({"dyad": ("Lavrov", "Wang Yi"), "directed": True}, ["e5"]),
        ({"status": ("negated",)}, ["e8"]),
        ({"min_confidence": 0.85}, ["e1"]),
        ({"quad_class": (1,)}, ["e5", "e7"]),
        ({"cameo": "16"}, ["e1", "e4"]),
        ({"plover": "consult"}, ["e5"]),
        ({"country": "CHN"}, ["e5"]),
        ({"since": date(2024, 5, 1)}, ["e7", "e8"]),
        ({"until": date(2024, 3, 31)}, ["e1", "e4"]),
    ],
)
def test_filters(store: Store, filters: dict, best: list[str]) -> None:  # type: ignore[type-arg]
    assert _ids(store, **filters) == best


def test_paging(store: Store) -> None:
    everything = [r.event_id for r in query.events(store)]
    page = [r.event_id for r in query.events(store, Filters(limit=2, offset=1))]
    assert page == everything[1:3]


@pytest.mark.parametrize(
    ("filters", "reason"),
    [
        (Filters(status=("maybe",)), "--status"),
        (Filters(quad_class=(5,)), "--quad"),
        (Filters(min_confidence=2.0), "--min-confidence"),
        (Filters(limit=-1), "--limit"),
        (Filters(cameo="abc"), "--cameo"),
        (Filters(since=date(2024, 2, 1), until=date(2024, 1, 1)), "--until"),
    ],
)
def test_bad_filters_are_named(store: Store, filters: Filters, reason: str) -> None:
    with pytest.raises(QueryError, match=reason):
        query.events(store, filters)


def test_dyads_directed_and_undirected(store: Store) -> None:
    undirected = {(r.a, r.b): r for r in query.dyads(store, Filters(status=("asserted",)))}
    assert undirected[("POL", "RUS")].events == 2
    assert undirected[("POL", "RUS")].mentions == 4  # the expulsion's 3 and the reply's 1
    assert undirected[("CHN", "RUS")].events == 1
    directed = {(r.a, r.b): r.events for r in query.dyads(store, Filters(directed=True))}
    assert directed[("POL", "RUS")] == 1 and directed[("RUS", "POL")] == 1
    assert directed[("CHN", "IRN")] == 1 and directed[("RUS", "IRN")] == 1


def test_series_is_zero_filled_per_period(store: Store) -> None:
    points = query.series(store, Filters(dyad=("POL", "RUS")), "week")
    assert [p.period for p in points] == [date(2024, 3, 4), date(2024, 3, 11)]
    assert [p.events for p in points] == [1, 1]
    months = query.series(store, Filters(status=("asserted",)), "month")
    assert [(p.period.month, p.events, p.conflict, p.cooperation) for p in months] == [
        (3, 2, 2, 0),
        (4, 1, 0, 1),
        (5, 1, 0, 1),
    ]
    spread = query.series(
        store,
        Filters(dyad=("POL", "RUS"), since=date(2024, 1, 1), until=date(2024, 4, 30)),
        "month",
    )
    assert [p.events for p in spread] == [0, 0, 2, 0]
    assert spread[2].mentions == 4 and spread[2].goldstein_sum == -10.0
    assert spread[0].goldstein_mean is None


def test_series_table_is_arrow_with_typed_columns(store: Store) -> None:
    table = store.series(("POL", "RUS"), by="day")
    assert table.column_names[:3] == ["period", "events", "mentions"]
    assert str(table.schema.field("period").type) == "date32[day]"
    assert table.column("events").to_pylist() == [1] + [0] * 6 + [1]


def test_network_edges_are_directed_and_weighted(store: Store) -> None:
    edges = {(e.source, e.target): e for e in query.network(store, Filters(status=("asserted",)))}
    assert edges[("POL", "RUS")].conflict == 1 and edges[("POL", "RUS")].mentions == 3
    assert edges[("RUS", "CHN")].cooperation == 1 or edges[("CHN", "RUS")].cooperation == 1
    top = query.network(store, Filters(), top=1)
    assert len(top) == 1


def test_query_results_turn_into_plain_json(store: Store) -> None:
    row = query.to_json(query.dyads(store)[0])
    assert isinstance(row["first"], str) and isinstance(row["events"], int)


def test_a_store_from_dyad_0_1_is_upgraded_when_queried(tmp_path: Path) -> None:
    """Written with 0.1's migrations only (no events grouped yet), queried by this dyad."""
    from dyad.model import Article
    from dyad.store import MIGRATIONS
    from tests.event_store import ARTICLES, TEXT

    path = tmp_path / "old.duckdb"
    with open_store(path) as s:
        s.db.execute("DROP TABLE article_stories; DROP TABLE event_dyads; DROP TABLE event_actors")
        s.db.execute("DROP TABLE event_mentions; DROP TABLE event_groups")
        s.db.execute(
            "DELETE FROM _migrations WHERE name NOT IN ('0001_initial', '0002_dyads_view')"
        )
        for aid, evs in ARTICLES.items():
            s.add(Article(id=aid, text=TEXT), TEXT, evs)  # the 0.1 write path: no grouping
    with open_store(path, read_only=True) as s:
        assert s.applied_migrations() == ["0001_initial", "0002_dyads_view"]
        assert query.needs_upgrade(s)
    with query.open_for_query(path) as s:
        assert s.applied_migrations() == [name for name, _ in MIGRATIONS]
        assert not query.needs_upgrade(s)
        assert len(query.events(s)) == 5
        assert s.count("events") == 8
