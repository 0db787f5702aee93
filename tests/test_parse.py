"""Loading the spaCy pipeline: the saved tokenizer is loaded once, never built to be replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from spacy.tokenizer import Tokenizer

from dyad.parse import MODEL_NAMES, _load, load_nlp


@pytest.mark.slow
def test_the_tokenizer_is_the_one_spacy_load_gives() -> None:
    ordinary = spacy.load(next(n for n in MODEL_NAMES if spacy.util.is_package(n)))
    # the vocabulary grows as the shared pipeline parses (other tests), so it is left out
    exclude = ["vocab"]
    assert load_nlp().tokenizer.to_bytes(exclude=exclude) == ordinary.tokenizer.to_bytes(
        exclude=exclude
    )
    text = "Russia's U.S.-backed talks (in Kyiv) don't end: e-mail info@example.org, 3.5km."
    assert [t.text for t in load_nlp()(text)] == [t.text for t in ordinary(text)]


def test_an_incomplete_saved_tokenizer_loads_as_spacy_loads_it(tmp_path: Path) -> None:
    nlp = spacy.blank("en")
    nlp.tokenizer = Tokenizer(nlp.vocab)  # saved with no rules, prefixes or suffixes
    nlp.to_disk(tmp_path / "bare")
    loaded = _load(str(tmp_path / "bare"))
    assert loaded.tokenizer.to_bytes() == spacy.load(tmp_path / "bare").tokenizer.to_bytes()
