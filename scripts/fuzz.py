"""make fuzz: many generated hostile inputs through the Python API and the CLI.

Inputs (seeded, so a run can be repeated): random bytes, random Unicode (lone surrogates,
NULs, controls), news-like prose with junk, JSONL lines (wrong types, huge numbers, deep
nesting, dates at the extremes), HTML nested up to thousands of levels, text in legacy
encodings, and articles with publication dates anywhere in years 1 to 9999.

In-process, each input goes through the reader or the API and then the whole pipeline.
Counted: inputs refused with an InputError (expected for many), uncaught exceptions (any other
exception, including a stage failure), records whose evidence or trigger offsets do not give
their text, and inputs that took over 30 s. A sample then goes through the `dyad` command
(one run over a folder of files, a few runs on standard input): any traceback or an exit
status other than 0/1 is counted as an uncaught exception. Exits 1 when any count is not 0.

    python scripts/fuzz.py [--n 10000] [--cli 300] [--seed 15]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dyad.errors import InputError
from dyad.geo.gazetteer import load_gazetteer
from dyad.model import Article, Event
from dyad.pipeline import Analysis, _as_article, analyze_many
from dyad.read import read_stdin

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.inputs import WORDS  # shared with tests/test_properties.py

SLOW_S = 30.0


@dataclass
class Tally:
    inputs: int = 0
    articles: int = 0
    refused: int = 0
    uncaught: int = 0
    mismatches: int = 0
    slow: int = 0
    records: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def fail(self, what: str) -> None:
        self.uncaught += 1
        if len(self.examples) < 10:
            self.examples.append(what)


# --- generators ---------------------------------------------------------------------------


def _prose(rng: random.Random, n: int) -> str:
    out = []
    for _ in range(n):
        out.append(rng.choice(WORDS))
        if rng.random() < 0.08:
            out.append(rng.choice(["\n", "\n\n", ".\n"]))
    return " ".join(out) + "."


def _junk(rng: random.Random, n: int) -> str:
    pools = [
        (0x00, 0x20),
        (0x20, 0x7F),
        (0x7F, 0xA0),
        (0xA0, 0x2FF),
        (0x400, 0x4FF),
        (0xD800, 0xDFFF),
        (0xFFF0, 0xFFFF),
        (0x1F600, 0x1F64F),
    ]
    chars = []
    for _ in range(n):
        lo, hi = rng.choice(pools)
        chars.append(chr(rng.randint(lo, hi)))
    return "".join(chars)


def _day(rng: random.Random) -> date:
    return date(1, 1, 1) + timedelta(days=rng.randint(0, 3_652_058))


def _json_value(rng: random.Random, depth: int = 0) -> object:
    k = rng.randint(0, 7 if depth < 4 else 4)
    if k == 0:
        return None
    if k == 1:
        return rng.choice([True, False])
    if k == 2:
        return rng.choice([rng.randint(-(10**6), 10**6), 10 ** rng.randint(1, 200)])
    if k == 3:
        return rng.random() * 10 ** rng.randint(-5, 300)
    if k == 4:
        return _junk(rng, rng.randint(0, 20))
    if k == 5:
        return [_json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {_junk(rng, 3): _json_value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def _jsonl(rng: random.Random) -> bytes:
    lines = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.5:
            obj: dict[str, object] = {
                "id": rng.choice([f"a{rng.randint(0, 99)}", rng.randint(0, 9), "", None]),
                rng.choice(["text", "text", "html"]): rng.choice(
                    [_prose(rng, rng.randint(1, 80)), _junk(rng, 40), 5, None]
                ),
            }
            if rng.random() < 0.5:
                obj["published"] = rng.choice(
                    [_day(rng).isoformat(), "9999-12-31", "0001-01-01", "2023-02-30", 20230101]
                )
            if rng.random() < 0.3:
                obj[rng.choice(["url", "title", "source", "extra"])] = _json_value(rng)
            lines.append(json.dumps(obj, ensure_ascii=rng.random() < 0.5))
        elif r < 0.65:
            lines.append('{"id": %s, "text": "Russia met China."}' % ("9" * rng.randint(50, 6000)))
        elif r < 0.8:
            d = rng.randint(10, 120_000)
            lines.append("[" * d + "]" * d)
        else:
            lines.append(json.dumps(_json_value(rng)))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def _html(rng: random.Random) -> bytes:
    depth = rng.choice([1, 5, 50, 300, 3000, 8000])
    tag = rng.choice(["div", "span", "p", "table", "b"])
    body = _prose(rng, rng.randint(5, 60))
    if rng.random() < 0.3:
        body += "<" + _junk(rng, 10) + ">"
    close = "" if rng.random() < 0.3 else f"</{tag}>" * depth
    page = "<html><body>" + f"<{tag}>" * depth + body + close + "</body></html>"
    return page.encode("utf-8", "surrogatepass")


def _encoded(rng: random.Random) -> bytes:
    text = rng.choice(
        [
            _prose(rng, 30),
            "Россия и Китай подписали соглашение в Пекине в понедельник.",
            "Η Ελλάδα και η Τουρκία υπέγραψαν συμφωνία στην Αθήνα.",
            "Polska i Niemcy podpisały umowę w Warszawie w środę.",
        ]
    )
    codec = rng.choice(
        ["cp1251", "utf-16", "utf-16-le", "utf-32", "latin-1", "cp1250", "utf-8-sig"]
    )
    return text.encode(codec, errors="replace")


ByteGen = Callable[[random.Random], bytes]
BYTE_KINDS: dict[str, ByteGen] = {
    "bytes": lambda rng: rng.randbytes(rng.randint(0, 2000)),
    "jsonl": _jsonl,
    "html": _html,
    "encoded": _encoded,
    "utf8-junk": lambda rng: (_prose(rng, 20) + _junk(rng, 40)).encode("utf-8", "surrogatepass"),
}


def _api_input(rng: random.Random) -> tuple[object, date | None]:
    r = rng.random()
    if r < 0.35:
        text: object = _prose(rng, rng.randint(1, 120))
    elif r < 0.6:
        text = _prose(rng, 20) + _junk(rng, rng.randint(0, 100)) + _prose(rng, 20)
    elif r < 0.8:
        text = _junk(rng, rng.randint(0, 300))
    elif r < 0.95:
        text = Article(id=_junk(rng, 5) or "x", text=_prose(rng, 40), title=_junk(rng, 5))
    else:
        text = rng.choice([None, 5, b"bytes", ["list"]])
    published = rng.choice([None, _day(rng), date(9999, 12, 31), date(1, 1, 1)])
    return text, published


# --- the in-process run -------------------------------------------------------------------


@dataclass
class Timing:
    """Inputs of one kind: how many, their total and their longest time (read + coding)."""

    count: int = 0
    total: float = 0.0
    longest: float = 0.0
    longest_at: int = -1

    def add(self, i: int, seconds: float) -> None:
        self.count += 1
        self.total += seconds
        if seconds > self.longest:
            self.longest, self.longest_at = seconds, i


def _read(i: int, kind: str, rng: random.Random, tally: Tally) -> list[Article]:
    """Input ``i`` of ``kind`` through the reader or the API: its articles (refusals counted)."""
    try:
        if kind == "api":
            item, published = _api_input(rng)
            found: list[Article | InputError] = [_as_article(item, published, f"<{i}>")]
        else:
            found = list(read_stdin(io.BytesIO(BYTE_KINDS[kind](rng))))
    except InputError:
        tally.refused += 1
        return []
    except Exception:
        tally.fail(f"input {i} ({kind}): {traceback.format_exc(limit=3)}")
        return []
    articles = [a for a in found if isinstance(a, Article)]
    tally.refused += len(found) - len(articles)
    tally.articles += len(articles)
    return articles


def _check(analysis: Analysis, tally: Tally) -> None:
    text = analysis.clean.text
    for r in analysis.records:
        tally.records += 1
        spans = [r.evidence]
        if isinstance(r, Event):
            spans.append(r.trigger)
        if any(text[s.start : s.end] != s.text for s in spans):
            tally.mismatches += 1


WARM_UP = (
    b"<html><body><article><p>Police arrested forty protesters in Tehran on Monday, "
    b"the interior ministry said.</p><p>Russia and China signed a trade agreement in "
    b"Beijing last week.</p></article></body></html>"
)


def _warm_up() -> None:
    """Load what is loaded once per process (models, gazetteer, extractor word lists), so
    that the first input of a kind is not charged for it."""
    articles = [a for a in read_stdin(io.BytesIO(WARM_UP)) if isinstance(a, Article)]
    for _ in analyze_many(articles):
        pass
    load_gazetteer().town_candidates("Tehran")  # the towns table is read on first use


def run_api(n: int, seed: int, timings: dict[str, Timing], every: int = 500) -> Tally:
    """``n`` inputs, each read and then coded on its own, so that each one is timed."""
    rng = random.Random(seed)
    tally = Tally()
    kinds = [*BYTE_KINDS, "api", "api"]

    def on_error(article: Article, exc: Exception) -> None:
        tally.fail(f"{article.origin}: stage failed: {type(exc).__name__}: {exc}")

    started = time.monotonic()
    for i in range(n):
        kind = kinds[i % len(kinds)]
        tally.inputs += 1
        tally.kinds[kind] += 1
        t0 = time.monotonic()
        articles = _read(i, kind, rng, tally)
        try:
            for analysis in analyze_many(articles, on_error=on_error):
                _check(analysis, tally)
        except Exception:
            tally.fail(f"input {i} ({kind}): {traceback.format_exc(limit=3)}")
        seconds = time.monotonic() - t0
        if seconds > SLOW_S:
            tally.slow += 1
            print(f"  input {i} ({kind}) took {seconds:.0f} s", file=sys.stderr, flush=True)
        timings.setdefault(kind, Timing()).add(i, seconds)
        if (i + 1) % every == 0 or i + 1 == n:
            print(
                f"  [{i + 1}/{n}] {time.monotonic() - started:.0f} s; "
                f"uncaught {tally.uncaught}, mismatches {tally.mismatches}, slow {tally.slow}",
                file=sys.stderr,
                flush=True,
            )
    return tally


# --- the CLI sample -----------------------------------------------------------------------


def run_cli(n: int, seed: int) -> Tally:
    rng = random.Random(seed + 1)
    tally = Tally()
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    suffix = {"jsonl": ".jsonl", "html": ".html"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(n):
            kind = list(BYTE_KINDS)[i % len(BYTE_KINDS)]
            (folder / f"in{i:05d}{suffix.get(kind, '.txt')}").write_bytes(BYTE_KINDS[kind](rng))
        runs: list[tuple[int, list[str], bytes | None]] = [(n, ["code", str(folder)], None)]
        for i in range(3):
            kind = list(BYTE_KINDS)[i % len(BYTE_KINDS)]
            runs.append((1, ["code"], BYTE_KINDS[kind](rng)))
        for count, args, stdin in runs:
            started = time.monotonic()
            proc = subprocess.run(
                [sys.executable, "-m", "dyad", *args],
                input=stdin if stdin is not None else b"",
                capture_output=True,
                env=env,
                check=False,
            )
            tally.inputs += count
            tally.slow += count == 1 and time.monotonic() - started > SLOW_S
            err = proc.stderr.decode("utf-8", "replace")
            tally.refused += err.count("dyad: error: ")
            if proc.returncode not in (0, 1) or "Traceback" in err:
                tally.fail(f"dyad {' '.join(args[:1])}: exit {proc.returncode}: {err[-800:]}")
            for line in proc.stdout.decode("utf-8").splitlines():
                tally.records += 1
                rec = json.loads(line)
                ev = rec["evidence"]
                if len(ev["text"]) != ev["end"] - ev["start"]:
                    tally.mismatches += 1
    return tally


def _print_timings(timings: dict[str, Timing]) -> None:
    for kind, t in sorted(timings.items()):
        print(
            f"  {kind}: {t.count} inputs, {t.total:.1f} s, "
            f"{1000 * t.total / max(1, t.count):.1f} ms per input, "
            f"longest {t.longest:.2f} s (input {t.longest_at})"
        )


def _print(name: str, t: Tally, seconds: float) -> None:
    print(
        f"{name}: {t.inputs} inputs in {seconds:.0f} s: {t.articles or '-'} articles coded, "
        f"{t.refused} refused with InputError, {t.records} records; "
        f"uncaught exceptions {t.uncaught}, evidence-offset mismatches {t.mismatches}, "
        f"inputs over {SLOW_S:.0f} s {t.slow}"
    )
    if t.kinds:
        print("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(t.kinds.items())))
    for example in t.examples:
        print("  " + example.replace("\n", "\n  "))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="inputs through the API")
    ap.add_argument("--cli", type=int, default=300, help="inputs through the dyad command")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    started = time.monotonic()
    timings: dict[str, Timing] = {}
    _warm_up()
    print(f"warm-up (models, gazetteer): {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    api = run_api(args.n, args.seed, timings)
    _print("api", api, time.monotonic() - started)
    _print_timings(timings)
    started = time.monotonic()
    cli = run_cli(args.cli, args.seed)
    _print("cli", cli, time.monotonic() - started)
    total = api.inputs + cli.inputs
    bad = api.uncaught + cli.uncaught + api.mismatches + cli.mismatches + api.slow + cli.slow
    print(
        f"total: {total} inputs; uncaught exceptions {api.uncaught + cli.uncaught}, "
        f"evidence-offset mismatches {api.mismatches + cli.mismatches}, "
        f"inputs over {SLOW_S:.0f} s {api.slow + cli.slow}"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
