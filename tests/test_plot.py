"""Plots render to real PNG and SVG files (skipped without matplotlib)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.errors import QueryError
from dyad.query import Filters, network, open_for_query, series
from tests.event_store import build

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("p") / "p.duckdb")


@pytest.mark.parametrize(("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_series_and_network_render(db: Path, tmp_path: Path, suffix: str, magic: bytes) -> None:
    from dyad.plot import plot_network, plot_series

    with open_for_query(db) as store:
        points = series(store, Filters(dyad=("POL", "RUS")), "week")
        edges = network(store, Filters())
    for name, draw in (
        ("s", lambda p: plot_series(points, p, title="POL-RUS", by="week")),
        ("n", lambda p: plot_network(edges, p)),
    ):
        out = tmp_path / f"{name}{suffix}"
        draw(out)
        data = out.read_bytes()
        assert data.startswith(magic) and len(data) > 2000


def test_an_unknown_picture_format_is_refused(tmp_path: Path) -> None:
    from dyad.plot import plot_network

    with pytest.raises(QueryError, match=r"\.png or an \.svg"):
        plot_network([], tmp_path / "x.gif")
