"""Mentions grouped into events: the effect on the sample corpus and on the multi-report corpus.

    python bench/grouping.py

Codes samples/ and tests/corpus/reports.jsonl into temporary stores and prints, for each,
mentions, events and the largest events; for the labelled corpus also the pairwise
precision and recall of the grouping against tests/corpus/labels.yaml. Prints; never fails.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _ingest(path: Path, db: Path) -> None:
    from dyad.model import Article
    from dyad.pipeline import analyze_many
    from dyad.read import iter_inputs
    from dyad.store import ingest, open_store

    articles = [a for a in iter_inputs([str(path)]) if isinstance(a, Article)]
    with open_store(db) as store:
        ingest(store, ((x.article, x.clean.text, x.records) for x in analyze_many(articles)))


def main() -> int:
    from dyad.evaluate.grouping import read_labels, score_grouping
    from dyad.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        for name, path in (("samples", ROOT / "samples"),
                           ("reports", ROOT / "tests" / "corpus" / "reports.jsonl")):  # fmt: skip
            db = Path(tmp) / f"{name}.duckdb"
            _ingest(path, db)
            with open_store(db, read_only=True) as store:
                ((mentions, events, multi, cross),) = store.db.execute(
                    "SELECT sum(num_mentions), count(*), count(*) FILTER (num_mentions > 1), "
                    "count(*) FILTER (num_articles > 1) FROM event_groups"
                ).fetchall()
                print(f"{name}: {mentions} mentions -> {events} events "
                      f"({multi} with several mentions, {cross} across articles)")  # fmt: skip
                if name == "reports":
                    labels = read_labels(ROOT / "tests" / "corpus" / "labels.yaml")
                    print("  " + score_grouping(store, labels).to_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
