"""`make bench`: end-to-end speed of `dyad code` next to a spaCy-only pass over the same texts.

    python bench/speed.py [PATH ...] [--repeat N] [--jobs N]

PATH is a folder, a .jsonl file or text files (default: the bundled sample corpus). The
corpus is repeated N times (default: enough for about 200 articles). Both passes run in
this process, one after the other, on the same texts; the figures are printed, never
compared with a threshold.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT / "samples")])
    parser.add_argument("--repeat", type=int, default=0, help="times to repeat the corpus")
    parser.add_argument("--jobs", type=int, default=1, help="parser processes")
    args = parser.parse_args(argv)

    import dyad
    from dyad.clean import clean
    from dyad.errors import InputError
    from dyad.parse import BATCH_SIZE, load_nlp
    from dyad.pipeline import analyze_many
    from dyad.read import iter_inputs

    base = []
    for item in iter_inputs(args.paths):
        if isinstance(item, InputError):
            print(f"skipped {item}", file=sys.stderr)
        else:
            base.append(item)
    if not base:
        print("no readable articles", file=sys.stderr)
        return 1
    repeat = args.repeat or max(1, 200 // len(base))
    articles = base * repeat
    texts = [clean(a).text for a in articles]
    words = sum(len(t.split()) for t in texts)

    nlp = load_nlp()
    list(nlp.pipe(texts[:5]))  # warm up: model and knowledge tables loaded before timing
    list(analyze_many(articles[:5]))

    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE, n_process=args.jobs):
        pass
    spacy_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    n_records = 0
    for analysis in analyze_many(articles, n_process=args.jobs):
        n_records += len(analysis.records)
    dyad_s = time.perf_counter() - t0

    n = len(articles)
    print(
        f"dyad {dyad.__version__} on Python {platform.python_version()}, "
        f"{n} articles ({len(base)} distinct x {repeat}), {words} words, jobs={args.jobs}"
    )
    print(f"{'pass':<14}{'seconds':>9}{'articles/s':>12}{'words/s':>10}")
    print(f"{'spaCy only':<14}{spacy_s:>9.2f}{n / spacy_s:>12.1f}{words / spacy_s:>10.0f}")
    print(f"{'dyad code':<14}{dyad_s:>9.2f}{n / dyad_s:>12.1f}{words / dyad_s:>10.0f}")
    print(f"dyad / spaCy time ratio: {dyad_s / spacy_s:.2f}  ({n_records} records)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
