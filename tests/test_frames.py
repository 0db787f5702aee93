"""The store as Arrow tables, and their conversion to pandas and polars."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from dyad.query import Filters, open_for_query
from tests.event_store import build


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("f") / "f.duckdb")


@pytest.mark.parametrize(
    ("column", "arrow_type"),
    [
        ("event_id", pa.int64()),
        ("date", pa.date32()),
        ("cameo", pa.string()),
        ("quad_class", pa.int32()),
        ("goldstein", pa.float64()),
        ("num_mentions", pa.int32()),
        ("is_root", pa.bool_()),
        ("source_count", pa.int32()),
    ],
)
def test_events_frame_columns_are_typed(db: Path, column: str, arrow_type: pa.DataType) -> None:
    with open_for_query(db) as store:
        table = store.events_frame()
    assert table.schema.field(column).type == arrow_type


def test_events_frame_holds_one_row_per_event_with_its_first_actors(db: Path) -> None:
    with open_for_query(db) as store:
        table = store.events_frame(Filters(cameo="057"))
    row = table.to_pylist()[0]
    assert table.num_rows == 1
    assert (row["source_key"], row["source_count"], row["target_key"]) == ("CHN", 2, "IRN")


def test_mentions_frame_lists_every_report(db: Path) -> None:
    with open_for_query(db) as store:
        mentions = store.mentions_frame(Filters(cameo="16", directed=False))
    assert mentions.num_rows == 4
    assert sorted(mentions.column("mention_id").to_pylist()) == ["e1", "e2", "e3", "e4"]


def test_frames_convert_to_pandas_and_polars(db: Path) -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    with open_for_query(db) as store:
        table = store.events_frame()
        series = store.series(("POL", "RUS"), by="week")
    frame = table.to_pandas()
    assert isinstance(frame, pd.DataFrame) and frame["cameo"].tolist()[0] == "166"
    polars_frame = pl.from_arrow(series)
    assert polars_frame.schema["period"] == pl.Date
    assert polars_frame["events"].to_list() == [1, 1]
