"""Peak memory of coding one long article in a fresh process (issue 15: under 1 GB for 1 MB).

The article is original generated news prose: many paragraphs of varied sentences about
meetings, talks, attacks and protests, ``--chars`` characters long (default 1,000,000). Prints
the characters, records, seconds and the peak resident set size (``resource.getrusage``).

    python scripts/rss_long_article.py [--chars 1000000] [--seed 15]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time

PEOPLE = ["Sergey Lavrov", "Wang Yi", "Antony Blinken", "Olaf Scholz", "Emmanuel Macron"]
COUNTRIES = ["Russia", "China", "Ukraine", "France", "Germany", "Iran", "Turkey", "Poland"]
CITIES = ["Moscow", "Beijing", "Kyiv", "Paris", "Berlin", "Tehran", "Ankara", "Warsaw"]
DAYS = ["on Monday", "on Tuesday", "last week", "on 3 May 2023", "yesterday"]
TEMPLATES = [
    "{p} met officials from {c} in {city} {d} to discuss the crisis.",
    "The government of {c} accused {c2} of violating the ceasefire {d}.",
    "Police arrested dozens of protesters in {city} {d}, witnesses said.",
    "{c} and {c2} signed a trade agreement in {city} {d}.",
    "{p} told reporters that talks with {c2} would continue next month.",
    "Rebels attacked an army post near {city} {d}, killing three soldiers.",
    "Trade between {c} and {c2} rose by 40 percent, the ministry said.",
    "{c} condemned the sanctions imposed by {c2} {d}.",
]


def article(chars: int, seed: int) -> str:
    rng = random.Random(seed)
    paragraphs: list[str] = []
    size = 0
    while size < chars:
        sentences = []
        for _ in range(rng.randint(2, 6)):
            c, c2 = rng.sample(COUNTRIES, 2)
            sentences.append(
                rng.choice(TEMPLATES).format(
                    p=rng.choice(PEOPLE), c=c, c2=c2, city=rng.choice(CITIES), d=rng.choice(DAYS)
                )
            )
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    from dyad.pipeline import code

    text = article(args.chars, args.seed)
    started = time.monotonic()
    records = code(text)
    seconds = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"long article: {len(text):,} characters, {len(records):,} records in {seconds:.0f} s; "
        f"peak RSS {peak_mb:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
