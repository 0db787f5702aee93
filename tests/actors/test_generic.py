"""Unresolved actors (actors/data/generic.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.actors.generic import load_generic, parse_generic
from dyad.errors import KnowledgeBaseError


def test_bundled_rules_load() -> None:
    rules = load_generic()
    assert rules.code == "UNK"
    assert "home" in rules.not_actors


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 2\n", "version: 1"),
        ("version: 1\ncode: unk\nagentive_endings: [er]\nnot_actors: [home]\n", "upper-case"),
        ("version: 1\ncode: UNK\nagentive_endings: er\nnot_actors: [home]\n", "must be a list"),
    ],
)
def test_a_broken_file_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "generic.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_generic(path)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "word", "someone", "phrase"),
    [
        ("Prisoners staged a hunger strike.", "Prisoners", True, "Prisoners"),
        ("The kidnappers freed the boy.", "kidnappers", True, "The kidnappers"),
        (
            "Leaders of the northern clans met the delegation.",
            "Leaders",
            True,
            "Leaders of the northern clans",
        ),
        ("Elders who fled the town met the envoy.", "Elders", True, "Elders"),
        ("Gunmen abducted a local chief.", "chief", True, "a local chief"),
        ("Armed mediators met the delegation.", "mediators", True, "Armed mediators"),
        ("Soldiers burned homes in the village.", "homes", False, ""),
        ("The talks lasted six hours.", "hours", False, ""),
    ],
)
def test_names_someone(text: str, word: str, someone: bool, phrase: str) -> None:
    from dyad.parse import parse_one

    doc = parse_one(text)
    tok = next(t for t in doc if t.text == word)
    rules = load_generic()
    assert rules.names_someone(tok) is someone
    if someone:
        actor = rules.actor(tok)
        assert (actor.text, actor.code) == (phrase, "UNK")
