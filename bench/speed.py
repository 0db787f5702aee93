"""`make bench`: end-to-end speed of `dyad code` next to a spaCy-only pass over the same texts.

    python bench/speed.py [PATH ...] [--repeat N] [--jobs N]

PATH is a folder, a .jsonl file or text files (default: the bundled sample corpus). The
corpus is repeated N times (default: enough for about 200 articles). The passes run in
this process, one after the other, on the same texts: spaCy alone, dyad with its learned
models (the default) and dyad with ``models=False`` (rules only); then the learned model
alone over the sentences the prefilter lets through, for its cost per sentence. The
figures are printed, never compared with a threshold.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

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

    timed: dict[bool, tuple[float, int]] = {}
    docs: list[Doc] = []
    for models in (True, False):
        t0 = time.perf_counter()
        n_records = 0
        for analysis in analyze_many(articles, n_process=args.jobs, models=models):
            n_records += len(analysis.records)
            if models and len(docs) < len(base):
                docs.append(analysis.doc)
        timed[models] = (time.perf_counter() - t0, n_records)

    n = len(articles)
    print(
        f"dyad {dyad.__version__} on Python {platform.python_version()}, "
        f"{n} articles ({len(base)} distinct x {repeat}), {words} words, jobs={args.jobs}"
    )
    print(f"{'pass':<22}{'seconds':>9}{'articles/s':>12}{'words/s':>10}{'speed':>7}")
    rows = [
        ("spaCy only", spacy_s),
        ("dyad code", timed[True][0]),
        ("dyad code --no-models", timed[False][0]),
    ]
    for name, secs in rows:
        print(f"{name:<22}{secs:>9.2f}{n / secs:>12.1f}{words / secs:>10.0f}{spacy_s / secs:>7.2f}")
    print(
        f"speed = spaCy time / pass time; records: {timed[True][1]} with models, "
        f"{timed[False][1]} without"
    )
    model_cost(docs, repeat)
    return 0


def model_cost(docs: list[Doc], repeat: int) -> None:
    """The learned model alone over the prefiltered sentences of the distinct articles."""
    from dyad.models.apply import can_hold_event
    from dyad.models.runtime import get_model

    model = get_model()
    sentences = [s for d in docs for s in d.sents]
    kept = [
        [t.text for t in s if not t.is_space] for s in sentences if can_hold_event(s, False, ())
    ]
    batch = kept * max(1, repeat)
    t0 = time.perf_counter()
    model.read_words(batch)
    secs = time.perf_counter() - t0
    print(
        f"model (classifier + tagger, one pass): {len(kept)} of {len(sentences)} sentences "
        f"pass the prefilter; {1000 * secs / max(1, len(batch)):.2f} ms per sentence "
        f"({len(batch)} sentences in {secs:.2f} s)"
    )


if __name__ == "__main__":
    sys.exit(main())
