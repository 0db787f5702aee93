"""bench/eval.py (``make eval``): sets, report, gate and exit status, with a fake coder."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

import dyad.evaluate
from tests.evaluate.fakes import FIXTURES, FakeCoder
from tests.evaluate.test_score import PENTA_FAKE, PETRARCH_FAKE

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "eval.py"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_eval_under_test", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    table = {**PENTA_FAKE.table, **PETRARCH_FAKE.table}
    monkeypatch.setattr(dyad.evaluate, "pipeline_coder", lambda **_: FakeCoder(table))
    monkeypatch.setattr(module, "DATES", tmp_path / "no-dates.yaml")
    return module


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    dev = tmp_path / "shared" / "data" / "dev"
    (dev / "confliBERT-cameo").mkdir(parents=True)
    (dev / "petr2-gsr").mkdir()
    shutil.copy(FIXTURES / "penta.tsv", dev / "confliBERT-cameo" / "penta_train.tsv")
    shutil.copy(FIXTURES / "petrarch.xml", dev / "petr2-gsr" / "PETR2_GSR_validation.xml")
    return tmp_path / "shared"


def _floors(path: Path, penta: float | None, extra: float | None) -> Path:
    path.write_text(
        json.dumps(
            {
                "version": 1,
                "tolerance": 0.01,
                "figures": [
                    {"set": "penta", "metric": "macro_f1", "value": penta, "better": "higher"},
                    {"set": "petrarch", "metric": "root_actors_extra_rate", "value": extra,
                     "better": "lower"},
                ],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    return path


def _args(shared: Path, tmp_path: Path, *more: str) -> list[str]:
    return ["--shared", str(shared), "--out", str(tmp_path / "out"),
            "--floors", str(tmp_path / "floors.json"), *more]  # fmt: skip


def test_skips_cleanly_without_shared(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--shared", str(tmp_path / "nowhere")]) == 0
    assert "skipped" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--only", "penta,acled"], "unknown set(s) acled"),
     (["--limit", "0"], "--limit must be at least 1"),
     (["--limit", "5", "--update-floors"], "--update-floors needs full sets")],
)  # fmt: skip
def test_usage_errors(
    bench: ModuleType, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(args) == 2
    assert message in capsys.readouterr().out


def test_full_run_writes_report_and_passes_gate(
    bench: ModuleType, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _floors(tmp_path / "floors.json", 0.66, 0.25)  # penta macro-F1 is 0.6667, extra rate 0.25
    assert bench.main(_args(shared, tmp_path)) == 0
    out = capsys.readouterr().out
    assert "gate: penta.macro_f1: 66.7% vs floor 66.0%" in out
    reports = sorted((tmp_path / "out").glob("eval-*.md"))
    assert len(reports) == 1 and not reports[0].name.endswith("-limit.md")
    md = reports[0].read_text(encoding="utf-8")
    assert md.startswith("# dyad evaluation, ")
    assert "| penta | 6 | macro_f1 66.7%" in md
    assert "none of the product is fitted to this set" in md
    assert "## penta: `penta_train.tsv`" in md and "## petrarch:" in md
    assert "dates: skipped" in md and "spans: skipped" in md
    data = json.loads(reports[0].with_suffix(".json").read_text(encoding="utf-8"))
    assert data["sets"]["penta"]["metrics"]["macro_f1"] == pytest.approx(0.6667)
    assert data["sets"]["petrarch"]["fitted"] == "none of the product is fitted to this set"


def test_regression_fails_and_update_floors_pins(
    bench: ModuleType, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    floors = _floors(tmp_path / "floors.json", 0.95, 0.10)
    assert bench.main(_args(shared, tmp_path)) == 1
    out = capsys.readouterr().out
    assert "penta.macro_f1: 66.7% vs floor 95.0% (-28.3 points" in out
    assert "petrarch.root_actors_extra_rate: 25.0% vs ceiling 10.0%" in out
    assert "FAILED" in out
    assert bench.main(_args(shared, tmp_path, "--update-floors")) == 0
    pinned = {f["metric"]: f["value"] for f in json.loads(floors.read_text())["figures"]}
    assert pinned == {"macro_f1": 0.6667, "root_actors_extra_rate": 0.25}
    assert bench.main(_args(shared, tmp_path)) == 0


def test_limit_and_only(
    bench: ModuleType, shared: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _floors(tmp_path / "floors.json", 0.99, 0.0)
    assert bench.main(_args(shared, tmp_path, "--limit", "2", "--only", "penta")) == 0
    out = capsys.readouterr().out
    assert "gate: not applied: --limit 2" in out and "petrarch" not in out
    assert list((tmp_path / "out").glob("eval-*-limit2.md"))


def test_dates_set_is_scored_through_the_dates_module(
    bench: ModuleType,
    shared: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    @dataclass(frozen=True)
    class Family:
        accuracy: float
        total: int
        correct: int

    @dataclass(frozen=True)
    class DateReport:
        accuracy: float
        total: int
        correct: int
        by_family: dict[str, Family]
        results: tuple[object, ...] = ()

    dates_file = tmp_path / "dates.yaml"
    dates_file.write_text("version: 1\n", encoding="utf-8")
    fake = types.ModuleType("dyad.evaluate.dates")
    fake.score_dates = lambda path: DateReport(  # type: ignore[attr-defined]
        0.75, 8, 6, {"relative": Family(0.5, 4, 2), "absolute": Family(1.0, 4, 4)}
    )
    monkeypatch.setitem(sys.modules, "dyad.evaluate.dates", fake)
    monkeypatch.setattr(bench, "DATES", dates_file)
    _floors(tmp_path / "floors.json", None, None)
    assert bench.main(_args(shared, tmp_path, "--only", "dates")) == 0
    assert "eval: dates: accuracy 75.0% of 8" in capsys.readouterr().out
    md = next((tmp_path / "out").glob("eval-*.md")).read_text(encoding="utf-8")
    assert "| dates | 8 | accuracy 75.0% |" in md
    assert "| relative | 50.0% (2 of 4) |" in md
