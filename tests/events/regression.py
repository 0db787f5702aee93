"""Reading and checking dyad's own regression set (``tests/events/data/regression.yaml``).

The file's header documents the compact expected-record format this module parses.
``python -m tests.events.regression`` prints the pass rate and every failing case.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from dyad.model import Actor, Event
from dyad.pipeline import analyze_many
from dyad.read import article_from_text

DATA = Path(__file__).parent / "data" / "regression.yaml"
STATUSES = frozenset({"asserted", "negated", "future", "hypothetical"})


@dataclass(frozen=True, slots=True)
class Expected:
    """One expected record (or, with ``forbid``, a code no record may have)."""

    code: str
    source: str = "*"
    target: str = "*"
    status: str | None = None
    background: bool | None = None
    place: str | None = None
    country: str | None = None
    forbid: bool = False


@dataclass(frozen=True, slots=True)
class Case:
    number: int
    text: str
    expected: tuple[Expected, ...]


def parse_spec(spec: str) -> Expected:
    """``"13 RUS>UKR future bg @Kharkiv/UKR"`` as an :class:`Expected`."""
    words = spec.split()
    if not words:
        raise ValueError("empty expected record")
    code = words[0]
    forbid = code.startswith("!")
    code = code.lstrip("!")
    source, target = "*", "*"
    status: str | None = None
    background: bool | None = None
    place: str | None = None
    country: str | None = None
    for w in words[1:]:
        if ">" in w:
            source, target = w.split(">", 1)
        elif w in STATUSES:
            status = w
        elif w in ("bg", "main"):
            background = w == "bg"
        elif w.startswith("@"):
            name, _, iso = w[1:].partition("/")
            place = name.replace("_", " ") or None
            country = iso or None
        else:
            raise ValueError(f"unknown word {w!r} in expected record {spec!r}")
    return Expected(code, source, target, status, background, place, country, forbid)


@cache
def known_failures(path: Path = DATA) -> frozenset[int]:
    """Numbers of the cases the coder still gets wrong (the file's ``known_failures``)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return frozenset(int(n) for n in raw.get("known_failures") or ())


@cache
def load_cases(path: Path = DATA) -> tuple[tuple[Case, ...], date]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    published = raw["published"]
    cases = tuple(
        Case(i, text, tuple(parse_spec(s) for s in spec.split(";") if s.strip()))
        for i, (text, spec) in enumerate(raw["cases"], 1)
    )
    return cases, published


def _role_ok(want: str, actors: Sequence[Actor]) -> bool:
    if want == "*":
        return True
    if want == "-":
        return not actors
    if want == "?":
        return bool(actors)
    options = want.split("|")
    if "*" in options:  # "CHN|*": one alternative is "not checked"
        return True
    return any(
        (o == "?" and actors) or a.code.startswith(o) or (a.country or "") == o
        for o in options
        for a in actors
    )


def _code_ok(want: str, got: str) -> bool:
    return any(got.startswith(w) for w in want.split("|"))


def matches(want: Expected, event: Event) -> bool:
    """Does ``event`` satisfy ``want`` (ignoring ``forbid``)?"""
    if not _code_ok(want.code, event.cameo):
        return False
    if not (_role_ok(want.source, event.source) and _role_ok(want.target, event.target)):
        return False
    if want.status is not None and event.status != want.status:
        return False
    if want.background is not None and getattr(event, "background", False) != want.background:
        return False
    loc = event.location
    if want.place is not None:
        names = {(loc.name or "").lower(), (loc.text or "").lower()} if loc else set()
        if want.place.lower() not in names:
            return False
    return want.country is None or (loc is not None and loc.country == want.country)


def failures(case: Case, events: Sequence[Event]) -> list[str]:
    """What of ``case`` the events do not satisfy (empty when the case passes)."""
    out: list[str] = []
    for want in case.expected:
        hit = any(matches(want, e) for e in events)
        if want.forbid and hit:
            out.append(f"forbidden record present: {want}")
        elif not want.forbid and not hit:
            out.append(f"missing: {want}")
    return out


@cache
def coded(path: Path = DATA) -> dict[str, tuple[Event, ...]]:
    """Every case's event records, the texts run through the pipeline in one stream."""
    cases, published = load_cases(path)
    articles = [article_from_text(c.text, published=published) for c in cases]
    out: dict[str, tuple[Event, ...]] = {}
    for case, analysis in zip(cases, analyze_many(articles, models=False), strict=True):
        out[case.text] = tuple(r for r in analysis.records if isinstance(r, Event))
    return out


def describe(event: Event) -> str:
    loc = event.location
    where = f" @{loc.name}/{loc.country}" if loc else ""
    bg = " bg" if getattr(event, "background", False) else ""
    return (
        f"{event.cameo} {[a.code for a in event.source]}>{[a.code for a in event.target]}"
        f" {event.status}{bg}{where} ({event.confidence})"
    )


def main() -> int:
    cases, _ = load_cases()
    got = coded()
    failed = 0
    for case in cases:
        why = failures(case, got[case.text])
        if why:
            failed += 1
            print(f"#{case.number} {case.text}")
            for w in why:
                print(f"    {w}")
            for e in got[case.text]:
                print(f"    got {describe(e)}")
    n = len(cases)
    print(f"regression: {n - failed}/{n} cases pass ({(n - failed) / n:.1%})")
    failing = sorted(c.number for c in cases if failures(c, got[c.text]))
    print(f"failing: {failing}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
