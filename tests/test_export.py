"""Exports read back with the field's own tools: GDELT 2.0 columns, POLECAT JSONL, Parquet, CSV."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from dyad.errors import QueryError
from dyad.export import export
from dyad.export.gdelt import EVENT_COLUMNS, MENTION_COLUMNS, fips_codes
from dyad.query import Filters, open_for_query
from tests.event_store import build

# The published GDELT 2.0 event table, in order, with the type each field must read as
# (codebook: integers, YYYYMMDD dates, string codes, FIPS country codes in the geography).
GDELT_EVENT_FIELDS = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
]
GDELT_MENTION_FIELDS = [
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
]

INT = re.compile(r"-?\d+$")
FLOAT = re.compile(r"-?\d+(\.\d+)?$")
CAMEO_ACTOR = re.compile(r"[A-Z0-9]{3,}$")


def _opt(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    return lambda v: v == "" or bool(pattern.match(v))


def _is(pattern: str) -> Callable[[str], bool]:
    rx = re.compile(pattern)
    return lambda v: bool(rx.match(v))


FIPS = set(fips_codes().values())
EVENT_CHECKS: dict[str, Callable[[str], bool]] = {
    "GLOBALEVENTID": _is(r"\d+$"),
    "SQLDATE": _is(r"\d{8}$"),
    "MonthYear": _is(r"\d{6}$"),
    "Year": _is(r"\d{4}$"),
    "FractionDate": _is(r"\d{4}\.\d{4}$"),
    "IsRootEvent": _is(r"[01]$"),
    "EventCode": _is(r"\d{3,4}$"),
    "EventBaseCode": _is(r"\d{3}$"),
    "EventRootCode": _is(r"\d{2}$"),
    "QuadClass": _is(r"[1-4]$"),
    "GoldsteinScale": lambda v: bool(FLOAT.match(v)) and -10 <= float(v) <= 10,
    "NumMentions": _is(r"[1-9]\d*$"),
    "NumSources": _is(r"[1-9]\d*$"),
    "NumArticles": _is(r"[1-9]\d*$"),
    "AvgTone": _opt(FLOAT),
    "DATEADDED": _is(r"\d{14}$"),
    "SOURCEURL": lambda v: v != "",
}
for who in ("Actor1", "Actor2"):
    EVENT_CHECKS |= {
        f"{who}Code": _opt(CAMEO_ACTOR),
        f"{who}Name": lambda v: v == v.upper(),
        f"{who}CountryCode": _opt(re.compile(r"[A-Z]{3}$")),
        f"{who}KnownGroupCode": _opt(re.compile(r"[A-Z0-9]+$")),
        **{f"{who}{f}Code": _opt(re.compile(r"[A-Z]{3}$")) for f in ("Type1", "Type2", "Type3")},
        **{
            f"{who}{f}": lambda v: v == "" for f in ("EthnicCode", "Religion1Code", "Religion2Code")
        },
    }
for who in ("Actor1Geo", "Actor2Geo", "ActionGeo"):
    EVENT_CHECKS |= {
        f"{who}_Type": _is(r"[0-5]$"),
        f"{who}_CountryCode": lambda v: v == "" or v in FIPS,
        f"{who}_ADM1Code": _opt(re.compile(r"[A-Z]{2}[A-Z0-9]{0,2}$")),
        f"{who}_Lat": lambda v: v == "" or -90 <= float(v) <= 90,
        f"{who}_Long": lambda v: v == "" or -180 <= float(v) <= 180,
        f"{who}_FeatureID": lambda v: True,
        f"{who}_FullName": lambda v: True,
        f"{who}_ADM2Code": lambda v: True,
    }
MENTION_CHECKS: dict[str, Callable[[str], bool]] = {
    "GLOBALEVENTID": _is(r"\d+$"),
    "EventTimeDate": _is(r"\d{14}$"),
    "MentionTimeDate": _is(r"\d{14}$"),
    "MentionType": _is(r"[1-6]$"),
    "MentionSourceName": lambda v: v != "",
    "MentionIdentifier": lambda v: v != "",
    "SentenceID": _is(r"[1-9]\d*$"),
    "Actor1CharOffset": _is(r"-1$|\d+$"),
    "Actor2CharOffset": _is(r"-1$|\d+$"),
    "ActionCharOffset": _is(r"-1$|\d+$"),
    "InRawText": _is(r"[01]$"),
    "Confidence": lambda v: bool(INT.match(v)) and 10 <= int(v) <= 100,
    "MentionDocLen": _is(r"\d+$"),
    "MentionDocTone": _opt(FLOAT),
    "MentionDocTranslationInfo": lambda v: True,
    "Extras": lambda v: True,
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("x") / "x.duckdb")


def _read_tsv(path: Path, columns: list[str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows and all(len(r) == len(columns) for r in rows)
    return [dict(zip(columns, r, strict=True)) for r in rows]


def test_gdelt_columns_are_the_published_ones() -> None:
    assert list(EVENT_COLUMNS) == GDELT_EVENT_FIELDS and len(EVENT_COLUMNS) == 61
    assert list(MENTION_COLUMNS) == GDELT_MENTION_FIELDS and len(MENTION_COLUMNS) == 16
    assert set(EVENT_CHECKS) == set(GDELT_EVENT_FIELDS)
    assert set(MENTION_CHECKS) == set(GDELT_MENTION_FIELDS)


def test_gdelt_export_reads_back_column_by_column(db: Path, tmp_path: Path) -> None:
    with open_for_query(db) as store:
        export(store, "gdelt", tmp_path)
    events = _read_tsv(tmp_path / "events.export.CSV", GDELT_EVENT_FIELDS)
    mentions = _read_tsv(tmp_path / "events.mentions.CSV", GDELT_MENTION_FIELDS)
    for row in events:
        bad = [k for k, ok in EVENT_CHECKS.items() if not ok(row[k])]
        assert not bad, (bad, row)
    for row in mentions:
        bad = [k for k, ok in MENTION_CHECKS.items() if not ok(row[k])]
        assert not bad, (bad, row)
    # the compound source (China and Russia sign with Iran) is one row per actor pair
    deal = [r for r in events if r["EventCode"] == "057"]
    assert sorted(r["Actor1Code"] for r in deal) == ["CHN", "RUS"]
    assert len({r["GLOBALEVENTID"] for r in events}) == len(events)
    expulsion = next(r for r in events if r["NumMentions"] == "3")
    assert (expulsion["SQLDATE"], expulsion["EventCode"], expulsion["EventBaseCode"]) == (
        "20240305",
        "166",
        "166",
    )
    assert expulsion["Actor1Type1Code"] == "GOV" and expulsion["Actor2CountryCode"] == "RUS"
    assert expulsion["ActionGeo_CountryCode"] == "PL"  # FIPS, not ISO
    assert (
        expulsion["ActionGeo_Type"] == "4" and expulsion["ActionGeo_FullName"] == "Warsaw, Poland"
    )
    ids = {r["GLOBALEVENTID"] for r in events}
    assert {m["GLOBALEVENTID"] for m in mentions} <= ids
    assert sum(1 for m in mentions if m["GLOBALEVENTID"] == expulsion["GLOBALEVENTID"]) == 3


@pytest.mark.parametrize(
    ("iso3", "fips"),
    [
        ("RUS", "RS"),
        ("CHN", "CH"),
        ("UKR", "UP"),
        ("POL", "PL"),
        ("DEU", "GM"),
        ("GBR", "UK"),
        ("USA", "US"),
    ],
)
def test_fips_table(iso3: str, fips: str) -> None:
    assert fips_codes()[iso3] == fips


def test_plover_jsonl(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    with open_for_query(db) as store:
        export(store, "plover", out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5
    meeting = next(x for x in lines if x["event_type"] == "CONSULT")
    assert meeting["contexts"] == ["diplomatic"] and meeting["quad_code"] == 1
    assert {a["country"] for a in meeting["actor"] + meeting["recipient"]} == {"RUS", "CHN"}
    assert meeting["location"]["place_name"] == "Beijing"
    assert meeting["num_mentions"] == 2 and meeting["evidence"]["text"]


def test_parquet_is_partitioned_by_month_and_typed_for_duckdb(db: Path, tmp_path: Path) -> None:
    with open_for_query(db) as store:
        export(store, "parquet", tmp_path)
    months = sorted(p.name for p in (tmp_path / "events").iterdir())
    assert months == ["month=2024-03", "month=2024-04", "month=2024-05"]
    con = duckdb.connect()
    rel = con.sql(
        f"SELECT * FROM read_parquet('{tmp_path}/events/*/*.parquet', hive_partitioning=1)"
    )
    types = dict(zip(rel.columns, [str(t) for t in rel.types], strict=True))
    assert types["cameo"] == "VARCHAR" and types["date"] == "DATE"
    assert types["event_id"] == "BIGINT" and types["num_mentions"] == "INTEGER"
    assert sorted(
        r[0] for r in con.sql(f"SELECT cameo FROM '{tmp_path}/events/*/*.parquet'").fetchall()
    ) == ["040", "057", "166", "166", "190"]


def test_csv_reads_back_with_duckdb_types(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    with open_for_query(db) as store:
        export(store, "csv", out)
    rel = duckdb.connect().sql(f"SELECT * FROM read_csv('{out}', types={{'cameo': 'VARCHAR'}})")
    types = dict(zip(rel.columns, [str(t) for t in rel.types], strict=True))
    assert types["date"] == "DATE" and types["quad_class"] in ("BIGINT", "INTEGER")


def test_csv_and_parquet_read_back_with_pandas_types(db: Path, tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    with open_for_query(db) as store:
        export(store, "csv", tmp_path / "e.csv")
        export(store, "parquet", tmp_path / "p")
    frame = pd.read_csv(
        tmp_path / "e.csv",
        dtype={"cameo": str, "cameo_base": str, "cameo_root": str},
        parse_dates=["date"],
    )
    assert sorted(frame["cameo"]) == ["040", "057", "166", "166", "190"]
    assert str(frame["date"].dtype).startswith("datetime64")
    assert str(frame["num_mentions"].dtype) == "int64"
    parquet = pd.read_parquet(tmp_path / "p" / "events")
    assert set(parquet["cameo"]) == {"040", "057", "166", "190"}
    assert str(parquet["num_mentions"].dtype) == "int32"


def test_parquet_and_csv_read_back_with_polars_types(db: Path, tmp_path: Path) -> None:
    pl = pytest.importorskip("polars")
    with open_for_query(db) as store:
        export(store, "parquet", tmp_path / "p")
        export(store, "csv", tmp_path / "e.csv")
    frame = pl.read_parquet(tmp_path / "p" / "events" / "*" / "*.parquet")
    assert frame.schema["cameo"] == pl.String and frame.schema["date"] == pl.Date
    assert frame.schema["event_id"] == pl.Int64
    csv_frame = pl.read_csv(
        tmp_path / "e.csv", schema_overrides={"cameo": pl.String}, try_parse_dates=True
    )
    assert csv_frame.schema["date"] == pl.Date
    assert sorted(csv_frame["cameo"].to_list()) == ["040", "057", "166", "166", "190"]


@pytest.mark.parametrize(
    ("fmt", "out", "reason"),
    [("gdelt", None, "--out FOLDER"), ("excel", None, "--format"), ("parquet", None, "--out")],
)
def test_bad_export_arguments(db: Path, fmt: str, out: Path | None, reason: str) -> None:
    with open_for_query(db) as store, pytest.raises(QueryError, match=reason):
        export(store, fmt, out)


def test_export_filters(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    with open_for_query(db) as store:
        export(store, "csv", out, Filters(actor="Poland"))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["cameo"] for r in rows} == {"166"} and len(rows) == 2
