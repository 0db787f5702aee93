"""The Dask backend: partitioning, and a two-worker LocalCluster run identical to one process."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyad.distributed import DaskError, partitions

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_jsonl_is_split_into_line_runs(tmp_path: Path) -> None:
    f = tmp_path / "c.jsonl"
    f.write_text("".join(json.dumps({"id": str(i), "text": "x"}) + "\n" for i in range(7)))
    parts = partitions([tmp_path], size=3)
    assert [(p.index, p.start, p.count) for p in parts] == [(0, 0, 3), (1, 3, 3), (2, 6, 1)]
    assert parts[0].path == str(f.resolve())


@pytest.mark.parametrize(
    ("name", "message"), [("a.txt", "reads .jsonl or .parquet"), ("missing.jsonl", "no such file")]
)
def test_bad_inputs(tmp_path: Path, name: str, message: str) -> None:
    if name.endswith(".txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    with pytest.raises(DaskError, match=message):
        partitions([tmp_path / name])


@pytest.mark.slow
def test_two_workers_write_the_records_of_a_single_process_run(tmp_path: Path) -> None:
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    from dyad.distributed import code_dask, read_output
    from dyad.model import record_from_json
    from dyad.pipeline import code_many
    from dyad.read import iter_inputs

    corpus = SAMPLES / "corpus.jsonl"
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines()]
    pq.write_table(pa.Table.from_pylist(rows[:4]), tmp_path / "first.parquet")
    (tmp_path / "rest.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in rows[4:]), encoding="utf-8"
    )
    out = tmp_path / "out"
    with (
        LocalCluster(n_workers=2, processes=True, threads_per_worker=1) as cluster,
        Client(cluster) as client,
    ):
        summary = code_dask(
            [tmp_path / "first.parquet", tmp_path / "rest.jsonl"],
            out,
            scheduler=client,
            partition_size=3,
        )
    assert summary.partitions == 4 and summary.errors == ()
    assert summary.articles == len(rows)

    articles = [a for a in iter_inputs([str(corpus)]) if not isinstance(a, Exception)]
    expected = sorted(json.dumps(r.to_json(), sort_keys=True) for r in code_many(articles))
    got = sorted(
        json.dumps(record_from_json(json.loads(row[0])).to_json(), sort_keys=True)
        for table in ("events", "claims")
        for row in duckdb.sql(
            f"SELECT record FROM read_parquet('{out}/{table}/*.parquet')"
        ).fetchall()
    )
    assert got == expected
    assert summary.events + summary.claims == len(expected)
    [(mentions,)] = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{out}/mentions/*.parquet')"
    ).fetchall()
    assert mentions > 0
    ingested = [r for _, _, records in read_output(out) for r in records]
    assert sorted(json.dumps(r.to_json(), sort_keys=True) for r in ingested) == expected
