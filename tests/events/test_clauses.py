"""The clause rules (events/data/clauses.yaml): validation and what they read."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dyad.errors import KnowledgeBaseError
from dyad.events.clauses import DATA, load_clauses, parse_clauses
from dyad.model import Actor


def test_bundled_rules_load() -> None:
    rules = load_clauses()
    assert "since" in rules.background_markers
    assert "19" in rules.threat_roots
    assert "19" in rules.happening_roots
    assert rules.target_preps["14"][0] == "in front of", "multi-word prepositions first"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("threat_roots", ["19", "42"], "not CAMEO roots"),
        ("happening_roots", ["19", "4"], "not CAMEO roots"),
        ("reciprocals", "each other", "must be a list"),
        ("target_preps", {"4": ["with"]}, "not a CAMEO root"),
        ("civilian_targets", ["CVL", "civilians"], "not three-letter sector codes"),
    ],
)
def test_a_broken_file_names_the_problem(
    tmp_path: Path, key: str, value: object, message: str
) -> None:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    raw[key] = value
    path = tmp_path / "clauses.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_clauses(path)


@pytest.mark.parametrize(
    ("source", "target", "unconventional"),
    [
        ([("gunmen", "UAF", ("UAF",))], [("soldiers", "NGAMIL", ("MIL",))], True),
        ([("bandits", "CRM", ("CRM",))], [], True),
        ([("troops", "MIL", ("MIL",))], [("farmers", "AGR", ("AGR",))], True),
        ([], [("villagers", "CVL", ("CVL",))], True),
        ([("troops", "MIL", ("MIL",))], [("rebels", "REB", ("REB",))], False),
        ([("Russia", "RUS", ())], [("Ukraine", "UKR", ())], False),
        ([("troops", "MIL", ("MIL",))], [("an official", "GOV", ("GOV", "CVL"))], False),
    ],
)
def test_unconventional_violence(
    source: list[tuple[str, str, tuple[str, ...]]],
    target: list[tuple[str, str, tuple[str, ...]]],
    unconventional: bool,
) -> None:
    """Assault (CAMEO 18) rather than military force (19): an irregular source or a target
    whose every sector is civilian; a country without sectors is neither."""

    def actors(rows: list[tuple[str, str, tuple[str, ...]]]) -> list[Actor]:
        return [Actor(text=t, code=c, sectors=s) for t, c, s in rows]

    rules = load_clauses()
    assert rules.unconventional(actors(source), actors(target)) is unconventional


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "background"),
    [
        ("Relations soured since Russia invaded Ukraine.", "invaded", True),
        ("After the army seized the town, residents fled.", "seized", True),
        ("Russia invaded Ukraine in February.", "invaded", False),
    ],
)
def test_background_clauses(text: str, trigger: str, background: bool) -> None:
    from dyad.parse import parse_one

    doc = parse_one(text)
    head = next(t for t in doc if t.text == trigger)
    assert load_clauses().background(head) is background
