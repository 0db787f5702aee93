"""``make eval``: score dyad on every development set and check the regression gate.

    python bench/eval.py [--limit N] [--only penta,spans] [--update-floors] [--processes N]

Runs each gold set under ``../shared/data/dev`` that has a format, plus the date test set
(``bench/data/dates.yaml``), writes ``bench/reports/eval-YYYY-MM-DD.md`` (and ``.json``), and
compares the headline figures with ``bench/floors.json``. Exit status: 0 when every pinned
figure holds (or ``../shared`` is absent: nothing to measure), 1 when a figure is more than one
point worse than its floor (or ceiling), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import logging
import os
import platform
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLOORS = ROOT / "bench" / "floors.json"
REPORTS = ROOT / "bench" / "reports"
DATES = ROOT / "bench" / "data" / "dates.yaml"


@dataclasses.dataclass(frozen=True, slots=True)
class GoldSet:
    name: str
    fmt: str
    relpath: str
    """Under ``shared/data/dev``."""
    fitted: str = "none of the product is fitted to this set"
    """What of dyad was tuned on this set (stated in the report next to its figures)."""


SETS: tuple[GoldSet, ...] = (
    GoldSet("penta", "penta", "confliBERT-cameo/penta_train.tsv"),
    GoldSet("spans", "spans", "confliBERT-cameo/spans_train.txt"),
    GoldSet("petrarch", "petrarch", "petr2-gsr/PETR2_GSR_validation.xml"),
    GoldSet("location", "location", "event-location/labeled_dev.jsonl"),
    GoldSet("police", "police", "india-police-events/sents.csv"),
)
DATES_FITTED = "none of the product is fitted to this set"
SET_NAMES: tuple[str, ...] = (*(s.name for s in SETS), "dates")

PUBLISHED = (
    "Published reference points on comparable material (fine-tuned or hand-built for it): "
    "ConfliBERT reports penta macro-F1 87.88% (BERT-base 86.44%) after training on the "
    "penta split; UniversalPetrarch reports 68.06% true positives and 23.05% false "
    "positives on its English validation suite."
)

log = logging.getLogger("bench.eval")


@dataclasses.dataclass(frozen=True, slots=True)
class DatesResult:
    path: Path
    accuracy: float
    total: int
    correct: int
    by_family: Mapping[str, Any]
    elapsed_s: float

    def to_markdown(self) -> str:
        lines = [
            f"## dates: `{self.path.name}`",
            "",
            f"{self.total} scored, {self.elapsed_s:.1f} s.",
            "",
            "| figure | value |",
            "|---|---:|",
            f"| **accuracy** | **{100 * self.accuracy:.1f}%** |",
            f"| correct | {self.correct} of {self.total} |",
        ]
        if self.by_family:
            lines += ["", "### By family", "", "| family | result |", "|---|---:|"]
            lines += [f"| {k} | {_family_cell(v)} |" for k, v in self.by_family.items()]
        return "\n".join(lines) + "\n"


def _shown(path: Path) -> Path:
    """A path relative to the repository when it lies inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _family_cell(value: Any) -> str:
    """A by-family entry as text, whatever shape the date scorer gives it."""
    acc = getattr(value, "accuracy", None)
    total = getattr(value, "total", None)
    correct = getattr(value, "correct", None)
    if isinstance(acc, float) and total is not None:
        return f"{100 * acc:.1f}% ({correct} of {total})"
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        right, whole = value
        return f"{100 * right / whole:.1f}% ({right} of {whole})" if whole else "-"
    if isinstance(value, float):
        return f"{100 * value:.1f}%"
    return str(value)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/eval.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--limit", type=int, default=None, help="score only the first N of each set")
    p.add_argument(
        "--only", default="", help=f"comma-separated sets to run ({', '.join(SET_NAMES)})"
    )
    p.add_argument(
        "--update-floors",
        action="store_true",
        help="pin the figures measured now in bench/floors.json (a deliberate edit)",
    )
    p.add_argument("--processes", type=int, default=None, help="processes for parsing")
    p.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (../shared)")
    p.add_argument("--floors", type=Path, default=FLOORS, help="the floors file")
    p.add_argument("--out", type=Path, default=REPORTS, help="folder for the report")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    return p.parse_args(argv)


def git_commit() -> str:
    """Short commit id, with '+changes' when src/ or bench/ differ from it (new files too)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src", "bench"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}+changes" if dirty else head


def run_dates(limit: int | None) -> DatesResult | str:
    """Score the date test set, or say why it was skipped."""
    if not DATES.is_file():
        return f"dates: skipped ({_shown(DATES)} is absent)"
    try:
        module = importlib.import_module("dyad.evaluate.dates")
    except ImportError as exc:
        return f"dates: skipped (dyad.evaluate.dates cannot be imported: {exc})"
    started = time.perf_counter()
    report = module.score_dates(DATES)
    if limit is not None:
        log.info("--limit does not apply to the date set (it is small)")
    return DatesResult(
        path=DATES,
        accuracy=float(report.accuracy),
        total=int(report.total),
        correct=int(report.correct),
        by_family=dict(report.by_family),
        elapsed_s=time.perf_counter() - started,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SET_NAMES)
    if unknown:
        print(f"eval: unknown set(s) {', '.join(sorted(unknown))}; use {', '.join(SET_NAMES)}")
        return 2
    if args.limit is not None and args.limit < 1:
        print("eval: --limit must be at least 1")
        return 2
    if args.update_floors and args.limit is not None:
        print("eval: --update-floors needs full sets; drop --limit")
        return 2
    data = args.shared / "data" / "dev"
    if not data.is_dir():
        print(f"eval: skipped: {data} is absent (the development sets live in ../shared)")
        return 0

    from dyad import __version__
    from dyad.evaluate import EvalReport, evaluate, gate, pipeline_coder

    floors = gate.load_floors(args.floors) if args.floors.is_file() else gate.Floors(())
    coder = pipeline_coder(n_process=args.processes)
    started = time.perf_counter()
    reports: list[tuple[GoldSet, EvalReport]] = []
    skipped: list[str] = []
    for gold in SETS:
        if only and gold.name not in only:
            continue
        path = data / gold.relpath
        if not path.is_file():
            skipped.append(f"{gold.name}: skipped ({path} is absent)")
            continue
        print(f"eval: {gold.name} ({path.name}) ...", flush=True)
        report = evaluate(gold.fmt, path, limit=args.limit, coder=coder)
        reports.append((gold, report))
        shown = ", ".join(
            f"{k} {100 * report.metrics[k]:.1f}%" for k in report.headline if k in report.metrics
        )
        print(f"eval: {gold.name}: {report.n} scored in {report.elapsed_s:.0f} s: {shown}")
    dates: DatesResult | None = None
    if not only or "dates" in only:
        got = run_dates(args.limit)
        if isinstance(got, str):
            skipped.append(got)
        else:
            dates = got
            print(f"eval: dates: accuracy {100 * got.accuracy:.1f}% of {got.total}")
    for line in skipped:
        print(f"eval: {line}")
    elapsed = time.perf_counter() - started

    measured: dict[str, dict[str, float]] = {g.name: dict(r.metrics) for g, r in reports}
    if dates is not None:
        measured["dates"] = {"accuracy": dates.accuracy}

    gate_lines: list[str]
    status = 0
    if args.limit is not None:
        gate_lines = [f"not applied: --limit {args.limit} scores part of each set"]
    else:
        results = gate.check(floors, measured)
        gate_lines = [r.message for r in results]
        bad = gate.failures(results)
        if bad and not args.update_floors:
            status = 1
        if args.update_floors:
            gate.write_floors(args.floors, gate.updated(floors, measured))
            gate_lines.append(f"floors updated in {_shown(args.floors)}")

    stamp = date.today().isoformat()
    suffix = f"-limit{args.limit}" if args.limit is not None else ""
    args.out.mkdir(parents=True, exist_ok=True)
    md_path = args.out / f"eval-{stamp}{suffix}.md"
    md_path.write_text(
        render(stamp, __version__, reports, dates, skipped, gate_lines, elapsed, args),
        encoding="utf-8",
    )
    json_path = md_path.with_suffix(".json")
    payload = {
        "date": stamp,
        "dyad": __version__,
        "commit": git_commit(),
        "elapsed_s": round(elapsed, 1),
        "limit": args.limit,
        "sets": {g.name: {**r.to_json(), "fitted": g.fitted} for g, r in reports},
        "dates": None
        if dates is None
        else {"accuracy": dates.accuracy, "total": dates.total, "correct": dates.correct},
        "gate": gate_lines,
    }
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for line in gate_lines:
        print(f"gate: {line}")
    print(f"eval: report in {_shown(md_path)}")
    if status:
        print("eval: FAILED: a figure is more than one point worse than bench/floors.json")
    return status


def render(
    stamp: str,
    version: str,
    reports: Sequence[tuple[GoldSet, Any]],
    dates: DatesResult | None,
    skipped: Sequence[str],
    gate_lines: Sequence[str],
    elapsed: float,
    args: argparse.Namespace,
) -> str:
    out = [
        f"# dyad evaluation, {stamp}",
        "",
        f"dyad {version}, commit {git_commit()}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, {elapsed:.0f} s in all"
        + (f", first {args.limit} items of each set" if args.limit else ", full sets")
        + ".",
        "",
        "## Summary",
        "",
        "| set | items | headline figures | fitted on it |",
        "|---|---:|---|---|",
    ]
    for gold, report in reports:
        shown = ", ".join(
            f"{k} {100 * report.metrics[k]:.1f}%" for k in report.headline if k in report.metrics
        )
        out.append(f"| {gold.name} | {report.n} | {shown} | {gold.fitted} |")
    if dates is not None:
        out.append(
            f"| dates | {dates.total} | accuracy {100 * dates.accuracy:.1f}% | {DATES_FITTED} |"
        )
    out += ["", PUBLISHED, "", "## Gate", "", *(f"- {line}" for line in gate_lines)]
    if skipped:
        out += ["", "## Skipped", "", *(f"- {line}" for line in skipped)]
    for gold, report in reports:
        out += ["", report.to_markdown().rstrip(), "", f"Fitted: {gold.fitted}."]
    if dates is not None:
        out += ["", dates.to_markdown().rstrip(), "", f"Fitted: {DATES_FITTED}."]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
