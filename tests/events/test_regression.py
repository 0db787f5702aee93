"""dyad's own regression set: 300+ original sentences with their expected records.

The set (``data/regression.yaml``) covers generic and unresolved actors, prepositional
targets, passives, nominal events, coordination, CAMEO's conventions for stated acts
(threats, refusals, demands, accusations, denials, appeals), background clauses, datelines
and small places. It was written before the coder changes of issue 10.
"""

from __future__ import annotations

import pytest

from tests.events.regression import DATA, coded, failures, known_failures, load_cases, parse_spec

pytestmark = pytest.mark.slow

CASES, _ = load_cases()
KNOWN = known_failures()


def _param(case):  # type: ignore[no-untyped-def]
    marks = (
        [pytest.mark.xfail(strict=True, reason="a known miss (regression.yaml known_failures)")]
        if case.number in KNOWN
        else []
    )
    return pytest.param(case, id=f"r{case.number:03d}", marks=marks)


def test_the_set_is_large_enough() -> None:
    assert len(CASES) >= 300
    assert len({c.text for c in CASES}) == len(CASES), "duplicate sentences"
    assert {c.number for c in CASES} >= KNOWN


@pytest.mark.parametrize(
    ("spec", "code", "source", "target", "bg", "place", "country"),
    [
        ("13 RUS>UKR future bg @Kharkiv/UKR", "13", "RUS", "UKR", True, "Kharkiv", "UKR"),
        ("!04", "04", "*", "*", None, None, None),
        ("19 *>* @El_Fasher", "19", "*", "*", None, "El Fasher", None),
        ("14 ?>- main @/PER", "14", "?", "-", False, None, "PER"),
    ],
)
def test_spec_format(
    spec: str,
    code: str,
    source: str,
    target: str,
    bg: bool | None,
    place: str | None,
    country: str | None,
) -> None:
    want = parse_spec(spec)
    assert (want.code, want.source, want.target, want.background) == (code, source, target, bg)
    assert (want.place, want.country) == (place, country)


def test_bad_spec_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown word"):
        parse_spec("19 RUS>UKR sometime")


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_regression_case(case) -> None:  # type: ignore[no-untyped-def]
    events = coded(DATA)[case.text]
    assert not failures(case, events), [str(e.cameo) for e in events]
