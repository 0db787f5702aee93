"""``make eval``: score dyad on every development set and check the regression gate.

    python bench/eval.py [--limit N] [--only penta,spans] [--update-floors] [--processes N]
                         [--show-heldout-errors] [--no-models]

Runs each gold set under ``../shared/data/dev`` that has a format, plus the date test set
(``bench/data/dates.yaml``), writes ``bench/reports/eval-YYYY-MM-DD.md`` (and ``.json``), and
compares the gated figures with ``bench/floors.json``. Exit status: 0 when every pinned
figure holds (or ``../shared`` is absent: nothing to measure), 1 when a figure is more than one
point worse than its floor (or ceiling), 2 on a usage error.

Every sentence-level set is split by a fixed rule: the TUNING half is the items with an odd
1-based number in the file, the HELD-OUT half those with an even number. Each set is coded
once and scored on both halves and on all items; the report shows the three side by side,
with what of dyad was fitted to the set (:data:`SETS`). The gate checks the held-out figures
(location: all rows, see its entry). Worst-error lists show tuning-half items only;
``--show-heldout-errors`` adds the held-out ones, for the final audit only (the report then
gets an ``-audit`` suffix).
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
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from dyad.evaluate import EvalReport

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLOORS = ROOT / "bench" / "floors.json"
REPORTS = ROOT / "bench" / "reports"
DATES = ROOT / "bench" / "data" / "dates.yaml"

Half = Literal["all", "tune", "heldout"]
HALVES: tuple[Half, ...] = ("tune", "heldout", "all")
"""The order of the columns in the report."""
HALF_HEADERS: Mapping[Half, str] = {
    "tune": "tuning half",
    "heldout": "held-out half",
    "all": "all",
}


@dataclasses.dataclass(frozen=True, slots=True)
class GoldSet:
    name: str
    fmt: str
    relpath: str
    """Under ``shared/data/dev``."""
    fitted: str
    """What of dyad was fitted to this set (stated in the report next to its figures)."""
    gate_on: Half = "heldout"
    """The subset whose figures the gate checks (and the report shows in bold)."""


TUNE_HALF_ONLY = (
    "error analysis on the tuning half (odd items, and any sentence another set puts in its "
    "tuning half) only; the held-out half was never inspected"
)

SETS: tuple[GoldSet, ...] = (
    GoldSet("penta", "penta", "confliBERT-cameo/penta_train.tsv", TUNE_HALF_ONLY),
    GoldSet("spans", "spans", "confliBERT-cameo/spans_train.txt", TUNE_HALF_ONLY),
    GoldSet(
        "petrarch",
        "petrarch",
        "petr2-gsr/PETR2_GSR_validation.xml",
        "errors of all 78 sentences were inspected during development: the figure is not held-out",
    ),
    GoldSet(
        "location",
        "location",
        "event-location/labeled_dev.jsonl",
        "the where-stage rules were developed by reviewing errors on the whole set: optimistic",
        gate_on="all",
    ),
    GoldSet("police", "police", "india-police-events/sents.csv", TUNE_HALF_ONLY),
)
"""The sentence-level sets: name, format, file, what was fitted to it, which figures gate."""

DATES_FITTED = "our own set; 83 of its items were written before the mechanism was tuned"
SET_NAMES: tuple[str, ...] = (*(s.name for s in SETS), "dates")

SPLIT_RULE = (
    "Each sentence-level set is split by a fixed rule: the tuning half is the items with an "
    "odd 1-based number in the file, the held-out half those with an even number. Error "
    "analysis during development looks at the tuning half only. Bold figures are the ones "
    "the gate checks: the held-out half (location: all rows; dates: the whole set). Worst-"
    "error lists show tuning-half items only."
)

PUBLISHED = (
    "Published reference points on comparable material (fine-tuned or hand-built for it): "
    "ConfliBERT reports penta macro-F1 87.88% (BERT-base 86.44%) after training on the "
    "penta split; UniversalPetrarch reports 68.06% true positives and 23.05% false "
    "positives on its English validation suite."
)

log = logging.getLogger("bench.eval")


@dataclasses.dataclass(frozen=True, slots=True)
class SetResult:
    """One gold set scored on the tuning half, the held-out half and all items."""

    gold: GoldSet
    path: Path
    reports: Mapping[Half, EvalReport]
    elapsed_s: float

    @property
    def gated(self) -> EvalReport:
        return self.reports[self.gold.gate_on]

    def measured(self) -> dict[str, dict[str, float]]:
        """Gate keys (``penta.heldout``, ``location.all``, ...) -> figures."""
        return {f"{self.gold.name}.{h}": dict(r.metrics) for h, r in self.reports.items()}


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
            f"What was fitted: {DATES_FITTED}.",
            "",
            f"{self.total} scored, {self.elapsed_s:.1f} s.",
            "",
            "| figure | value |",
            "|---|---:|",
            f"| **accuracy** | **{_pct(self.accuracy)}** |",
            f"| correct | {self.correct} of {self.total} |",
        ]
        if self.by_family:
            lines += ["", "### By family", "", "| family | result |", "|---|---:|"]
            lines += [f"| {k} | {_family_cell(v)} |" for k, v in self.by_family.items()]
        return "\n".join(lines) + "\n"


def _pct(value: float) -> str:
    return f"{100 * value:.1f}%"


def _shown(path: Path) -> Path:
    """A path relative to the repository when it lies inside it."""
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def _family_cell(value: Any) -> str:
    """A by-family entry as text, whatever shape the date scorer gives it."""
    acc = getattr(value, "accuracy", None)
    total = getattr(value, "total", None)
    correct = getattr(value, "correct", None)
    if isinstance(acc, float) and total is not None:
        return f"{_pct(acc)} ({correct} of {total})"
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        right, whole = value
        return f"{100 * right / whole:.1f}% ({right} of {whole})" if whole else "-"
    if isinstance(value, float):
        return _pct(value)
    return str(value)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="bench/eval.py", description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--limit", type=int, default=None, help="score only the first N of each half and of all"
    )
    p.add_argument(
        "--only", default="", help=f"comma-separated sets to run ({', '.join(SET_NAMES)})"
    )
    p.add_argument(
        "--update-floors",
        action="store_true",
        help="pin the figures measured now in bench/floors.json (a deliberate edit)",
    )
    p.add_argument(
        "--show-heldout-errors",
        action="store_true",
        help="also list the worst errors of the held-out halves (the final audit only)",
    )
    p.add_argument("--processes", type=int, default=None, help="processes for parsing")
    p.add_argument(
        "--no-models", action="store_true", help="score the rules alone (no learned models)"
    )
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


def tuned_elsewhere(shared: Path) -> frozenset[str]:
    """Sentences of every sentence-level set's tuning half, by text: a sentence that one file
    puts in its tuning half is in the tuning half of every file that repeats it."""
    from dyad.evaluate import read_gold, select, text_key

    keys: set[str] = set()
    for gold in SETS:
        if gold.fmt not in ("penta", "spans", "petrarch"):
            continue
        path = shared / gold.relpath
        if path.is_file():
            keys.update(text_key(it) for it in select(read_gold(gold.fmt, path), "tune"))
    return frozenset(keys)


def run_set(
    gold: GoldSet,
    path: Path,
    args: argparse.Namespace,
    coder: Any,
    tuned: frozenset[str] = frozenset(),
) -> SetResult:
    """Code the set once (all items first, in one batch) and score it on every subset."""
    from dyad.evaluate import CachingCoder, evaluate

    memo = CachingCoder(coder)
    started = time.perf_counter()
    reports: dict[Half, EvalReport] = {}
    first_all: tuple[Half, ...] = ("all", "tune", "heldout")  # all first: one coding batch
    for half in first_all:
        reports[half] = evaluate(
            gold.fmt,
            path,
            subset=half,
            limit=args.limit,
            coder=memo,
            heldout_errors=args.show_heldout_errors,
            tuned=tuned,
        )
    ordered = {h: reports[h] for h in HALVES}
    return SetResult(gold, path, ordered, time.perf_counter() - started)


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


def _headline(report: EvalReport) -> str:
    return ", ".join(
        f"{k} {_pct(report.metrics[k])}" for k in report.headline if k in report.metrics
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
    from dyad.evaluate import gate, pipeline_coder

    floors = gate.load_floors(args.floors) if args.floors.is_file() else gate.Floors(())
    coder = pipeline_coder(n_process=args.processes, models=not args.no_models)
    print(f"eval: learned models {'off' if args.no_models else 'on'}", flush=True)
    tuned = tuned_elsewhere(data)
    started = time.perf_counter()
    results: list[SetResult] = []
    skipped: list[str] = []
    for gold in SETS:
        if only and gold.name not in only:
            continue
        path = data / gold.relpath
        if not path.is_file():
            skipped.append(f"{gold.name}: skipped ({path} is absent)")
            continue
        print(f"eval: {gold.name} ({path.name}) ...", flush=True)
        result = run_set(gold, path, args, coder, tuned)
        results.append(result)
        r = result.reports
        print(
            f"eval: {gold.name}: {r['all'].n} scored in {result.elapsed_s:.0f} s; "
            f"{HALF_HEADERS[gold.gate_on]} ({result.gated.n}): {_headline(result.gated)}"
        )
    dates: DatesResult | None = None
    if not only or "dates" in only:
        got = run_dates(args.limit)
        if isinstance(got, str):
            skipped.append(got)
        else:
            dates = got
            print(f"eval: dates: accuracy {_pct(got.accuracy)} of {got.total}")
    for line in skipped:
        print(f"eval: {line}")
    elapsed = time.perf_counter() - started

    measured: dict[str, dict[str, float]] = {}
    for result in results:
        measured.update(result.measured())
    if dates is not None:
        measured["dates"] = {"accuracy": dates.accuracy}

    gate_lines: list[str]
    status = 0
    if args.limit is not None:
        gate_lines = [f"not applied: --limit {args.limit} scores part of each set"]
    else:
        checked = gate.check(floors, measured)
        gate_lines = [r.message for r in checked]
        bad = gate.failures(checked)
        if bad and not args.update_floors:
            status = 1
        if args.update_floors:
            gate.write_floors(args.floors, gate.updated(floors, measured))
            gate_lines.append(f"floors updated in {_shown(args.floors)}")

    stamp = date.today().isoformat()
    suffix = f"-limit{args.limit}" if args.limit is not None else ""
    suffix += "-audit" if args.show_heldout_errors else ""
    args.out.mkdir(parents=True, exist_ok=True)
    md_path = args.out / f"eval-{stamp}{suffix}.md"
    md_path.write_text(
        render(stamp, __version__, results, dates, skipped, gate_lines, elapsed, args),
        encoding="utf-8",
    )
    json_path = md_path.with_suffix(".json")
    payload = {
        "date": stamp,
        "dyad": __version__,
        "commit": git_commit(),
        "elapsed_s": round(elapsed, 1),
        "limit": args.limit,
        "split": "tune: odd 1-based item numbers; heldout: even",
        "heldout_errors_shown": args.show_heldout_errors,
        "sets": {
            r.gold.name: {
                "fitted": r.gold.fitted,
                "gate_on": r.gold.gate_on,
                "elapsed_s": round(r.elapsed_s, 1),
                **{h: report.to_json() for h, report in r.reports.items()},
            }
            for r in results
        },
        "dates": None
        if dates is None
        else {
            "accuracy": dates.accuracy,
            "total": dates.total,
            "correct": dates.correct,
            "fitted": DATES_FITTED,
        },
        "gate": gate_lines,
    }
    json_path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for line in gate_lines:
        print(f"gate: {line}")
    print(f"eval: report in {_shown(md_path)}")
    if status:
        print("eval: FAILED: a figure is more than one point worse than bench/floors.json")
    return status


# -- the report --------------------------------------------------------------------------------


def _label(key: str) -> str:
    from dyad.evaluate.report import METRIC_LABELS

    return METRIC_LABELS.get(key, key)


def _cell(report: EvalReport, key: str, bold: bool) -> str:
    if key not in report.metrics:
        return "-"
    value = _pct(report.metrics[key])
    return f"**{value}**" if bold else value


def summary_rows(result: SetResult) -> list[str]:
    """Summary lines of a set: items, then each headline figure per half, and what was fitted."""
    gold, reports = result.gold, result.reports
    fitted = gold.fitted.replace("|", "\\|")
    out = [
        f"| {gold.name} | items scored | "
        + " | ".join(str(reports[h].n) for h in HALVES)
        + f" | {fitted} |"
    ]
    for key in result.gated.headline:
        cells = " | ".join(_cell(reports[h], key, h == gold.gate_on) for h in HALVES)
        out.append(f"| {gold.name} | {_label(key)} | {cells} | {fitted} |")
    return out


def set_section(result: SetResult, show_heldout_errors: bool) -> str:
    """The section of one set: figures per half, calibration, and the tuning half in detail."""
    gold, reports = result.gold, result.reports
    tune, heldout, whole = reports["tune"], reports["heldout"], reports["all"]
    out = [
        f"## {gold.name}: `{result.path.name}`",
        "",
        f"What was fitted: {gold.fitted}.",
        "",
        f"{whole.n} scored ({whole.skipped} skipped): tuning half {tune.n}, held-out half "
        f"{heldout.n}; {result.elapsed_s:.1f} s (coded once, scored per half). Bold: the "
        f"figures the gate checks ({HALF_HEADERS[gold.gate_on]}).",
        "",
        "| figure | " + " | ".join(HALF_HEADERS[h] for h in HALVES) + " |",
        "|---|" + "---:|" * len(HALVES),
    ]
    for key in whole.ordered_metrics():
        label = f"**{_label(key)}**" if key in whole.headline else _label(key)
        gated = key in whole.headline
        cells = " | ".join(_cell(reports[h], key, gated and h == gold.gate_on) for h in HALVES)
        out.append(f"| {label} | {cells} |")
    for key in whole.counts:
        cells = " | ".join(str(reports[h].counts.get(key, "-")) for h in HALVES)
        out.append(f"| {key} | {cells} |")
    calibration = calibration_table(result)
    if calibration:
        out += ["", calibration.rstrip()]
    details = tune.markdown_details(level=4, calibration=False)
    if details:
        out += ["", "### Tuning half in detail", "", details.rstrip()]
    if show_heldout_errors:
        worst = heldout.markdown_worst(level=3, title="Held-out half: worst errors (final audit)")
        out += ["", worst.rstrip() if worst else "No held-out errors to list."]
    return "\n".join(out) + "\n"


def calibration_table(result: SetResult) -> str:
    """Share right per confidence band, per half (empty when the format has no calibration)."""
    tables = {h: r.calibration for h, r in result.reports.items()}
    whole = tables["all"]
    if whole is None:
        return ""
    out = [
        f"### Calibration: {whole.title}",
        "",
        "Share right (events in the band); well calibrated, it rises from band to band.",
        "",
        "| confidence | " + " | ".join(HALF_HEADERS[h] for h in HALVES) + " |",
        "|---|" + "---:|" * len(HALVES),
    ]
    for i, row in enumerate(whole.rows):
        cells = []
        for h in HALVES:
            table = tables[h]
            band = table.rows[i] if table is not None else None
            if band is None or band.events == 0:
                cells.append("- (0)")
            else:
                cells.append(f"{_pct(band.share)} ({band.events})")
        out.append(f"| {row.label} | {' | '.join(cells)} |")
    totals = []
    for h in HALVES:
        table = tables[h]
        if table is None or table.events == 0:
            totals.append("- (0)")
        else:
            totals.append(f"{_pct(table.correct / table.events)} ({table.events})")
    out.append(f"| all | {' | '.join(totals)} |")
    return "\n".join(out) + "\n"


def render(
    stamp: str,
    version: str,
    results: Sequence[SetResult],
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
        + (f", first {args.limit} items of each half" if args.limit else ", full sets")
        + ".",
        "",
        SPLIT_RULE,
    ]
    if args.show_heldout_errors:
        out += [
            "",
            "**Final audit: this report lists the worst errors of the held-out halves.**",
        ]
    out += [
        "",
        "## Summary",
        "",
        "| set | figure | " + " | ".join(HALF_HEADERS[h] for h in HALVES) + " | what was fitted |",
        "|---|---|" + "---:|" * len(HALVES) + "---|",
    ]
    for result in results:
        out += summary_rows(result)
    if dates is not None:
        out.append(f"| dates | items scored | - | - | {dates.total} | {DATES_FITTED} |")
        out.append(f"| dates | accuracy | - | - | **{_pct(dates.accuracy)}** | {DATES_FITTED} |")
    out += ["", PUBLISHED, "", "## Gate", "", *(f"- {line}" for line in gate_lines)]
    if skipped:
        out += ["", "## Skipped", "", *(f"- {line}" for line in skipped)]
    for result in results:
        out += ["", set_section(result, args.show_heldout_errors).rstrip()]
    if dates is not None:
        out += ["", dates.to_markdown().rstrip()]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
