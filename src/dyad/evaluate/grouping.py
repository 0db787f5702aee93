"""How well mentions are grouped into events, against hand labels of happenings.

A labels file (YAML) names happenings; each lists, per article, a phrase its evidence
contains and the happening's CAMEO root. A stored mention takes a happening's label when it
matches; unlabelled mentions are left out. Scores are pairwise: of the pairs of labelled
mentions that dyad put in one event, the share that share a label (precision); of the pairs
that share a label, the share dyad put in one event (recall).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from dyad.errors import EvaluationError
from dyad.store import Store


@dataclass(frozen=True, slots=True)
class Happening:
    label: str
    root: str
    reports: tuple[tuple[str, str], ...]
    """(article id, phrase) pairs."""


@dataclass(frozen=True, slots=True)
class GroupingScore:
    labelled: int
    happenings: int
    events: int
    """Events holding the labelled mentions."""
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int

    @property
    def precision(self) -> float:
        return self.correct_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.correct_pairs / self.true_pairs if self.true_pairs else 1.0

    def to_text(self) -> str:
        return (
            f"{self.labelled} labelled mentions of {self.happenings} happenings in "
            f"{self.events} events; pairwise precision {self.precision:.3f} "
            f"({self.correct_pairs}/{self.predicted_pairs}), recall {self.recall:.3f} "
            f"({self.correct_pairs}/{self.true_pairs})"
        )


def read_labels(path: Path) -> tuple[Happening, ...]:
    try:
        raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        out = []
        for label, spec in raw["happenings"].items():
            reports = tuple((str(a), str(p)) for a, p in spec["reports"].items())
            out.append(Happening(str(label), str(spec["root"]), reports))
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
        raise EvaluationError(
            f"{path}: not a happenings labels file ({type(exc).__name__}: {exc}); see "
            "tests/corpus/labels.yaml for the layout"
        ) from exc
    return tuple(out)


def score_grouping(store: Store, happenings: tuple[Happening, ...]) -> GroupingScore:
    rows = store.db.execute(
        "SELECT e.id, e.article_id, e.cameo_root, e.evidence, m.gid FROM events e "
        "JOIN event_mentions m ON m.mention_id = e.id ORDER BY e.id"
    ).fetchall()
    labels: dict[str, str] = {}
    groups: dict[str, int] = {}
    for mid, article, root, evidence, gid in rows:
        for h in happenings:
            if h.root == root and any(a == article and p in evidence for a, p in h.reports):
                labels[mid] = h.label
                groups[mid] = int(gid)
                break
    pairs = list(combinations(sorted(labels), 2))
    same_label = {p for p in pairs if labels[p[0]] == labels[p[1]]}
    same_group = {p for p in pairs if groups[p[0]] == groups[p[1]]}
    return GroupingScore(
        labelled=len(labels),
        happenings=len(set(labels.values())),
        events=len(set(groups.values())),
        true_pairs=len(same_label),
        predicted_pairs=len(same_group),
        correct_pairs=len(same_label & same_group),
    )
