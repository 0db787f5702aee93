"""The coder's word lists: bundled files load, malformed ones fail with the file named."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyad.actors import resolve
from dyad.errors import KnowledgeBaseError
from dyad.events import coder, status
from dyad.events.words import parse_word_lists


@pytest.mark.parametrize("module", [coder, status, resolve])
def test_bundled_word_lists_load(module: object) -> None:
    words = module._WORDS  # type: ignore[attr-defined]
    assert words and all(isinstance(v, frozenset) and v for v in words.values())


def test_words_are_kept_exactly() -> None:
    assert "n't" in status.NEGATORS and "'ll" in status.FUTURE_AUX and "no" in status.NEGATORS


BAD = [
    ("version: 2\nverbs: [a]\n", "version: 1"),
    ("version: 1\n", "missing ['verbs']"),
    ("version: 1\nverbs: [a]\nnouns: [b]\n", "unknown ['nouns']"),
    ("version: 1\nverbs: a\n", "'verbs' must be a list"),
    ("version: 1\nverbs: [a, '']\n", "'verbs' must be a list"),
    ("version: 1\nverbs: [a, 3]\n", "'verbs' must be a list"),
    ("version: 1\nverbs: [a\n", "cannot read"),
]


@pytest.mark.parametrize(("text", "reason"), BAD)
def test_malformed_word_lists_fail_clearly(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "words.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"words\.yaml") as err:
        parse_word_lists(path, ("verbs",))
    assert reason in str(err.value)
