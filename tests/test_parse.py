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


def test_entry_points_grouped_once_are_the_ones_catalogue_would_select() -> None:
    import importlib.metadata

    import catalogue

    from dyad.parse import _group_entry_points

    fresh = importlib.metadata.entry_points()
    _group_entry_points()
    grouped = catalogue.AVAILABLE_ENTRY_POINTS
    assert isinstance(grouped, dict)
    assert set(grouped) == set(fresh.groups)
    assert all(grouped[g] == list(fresh.select(group=g)) for g in fresh.groups)
    _group_entry_points()  # a second call leaves the index as it is
    assert catalogue.AVAILABLE_ENTRY_POINTS is grouped
    assert spacy.util.registry.architectures.get("spacy.Tok2Vec.v2") is not None


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "ISLAMABAD, March 8 - Pakistan summoned the Afghan envoy.",
            ["ISLAMABAD, March 8 -", "Pakistan summoned the Afghan envoy."],
        ),
        (
            "ADDIS ABABA, March 9 - Ethiopia and Sudan held talks on the border dispute.",
            ["ADDIS ABABA, March 9 -", "Ethiopia and Sudan held talks on the border dispute."],
        ),
        (
            "LIMA, June 2 (Reuters) - Peru closed its border. Bolivia protested.\nMore later",
            [
                "LIMA, June 2 (Reuters) -",
                "Peru closed its border.",
                "Bolivia protested.",
                "More later",
            ],
        ),
        (
            "Nobody filed this from a dateline. Two sentences.",
            ["Nobody filed this from a dateline.", "Two sentences."],
        ),
    ],
)
def test_the_story_after_a_dateline_starts_one_whole_sentence(
    text: str, sentences: list[str]
) -> None:
    assert [s.text.strip() for s in load_nlp()(text).sents] == sentences


def test_the_first_sentence_after_a_dateline_keeps_its_subject() -> None:
    doc = load_nlp()("ISLAMABAD, March 8 - Pakistan summoned the Afghan envoy.")
    pakistan = next(t for t in doc if t.text == "Pakistan")
    assert (pakistan.dep_, pakistan.head.text) == ("nsubj", "summoned")
