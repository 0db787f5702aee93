"""The compiled phrase table finds exactly what spaCy's PhraseMatcher finds, in its order."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from dyad.actors.phrases import Label, Phrases, PhraseTable, compile_table, phrase_table
from dyad.parse import load_nlp

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "corpus.jsonl"

EXACT: dict[Label, list[str]] = {
    ("country", "USA", None): ["U.S.", "United States", "US"],
    ("org", "UN", None): ["UN", "United Nations"],
    ("person", "Wang Yi", None): ["Wang Yi", "Wang"],
    ("person_weak", "Wang Wei", None): ["Wang"],  # the same phrase under two labels
    ("capital", "GEO", "GOV"): ["Tbilisi"],
}
LOWER: dict[Label, list[str]] = {
    ("title", "foreign minister", None): ["foreign minister", "minister"],
    ("sector", "MIL", "MIL"): ["armed forces", "armed forces"],  # a duplicate spelling
    ("block", "gulf of guinea", None): ["Gulf of Guinea"],
    ("country", "GIN", None): ["Guinea"],
    ("adjective", "GIN", None): ["guinea"],
    ("sector", "REB", "REB"): ["pro-Russian separatists"],
}
TEXTS = [
    "The U.S. and the United Nations met; Wang Yi and Wang spoke.",
    "The FOREIGN MINISTER of Guinea sailed the Gulf of Guinea with the armed forces.",
    "Pro-Russian separatists and US officials left Tbilisi.",
    "wang yi, us, u.s., united states",  # case-sensitive phrases in lower case: no match
    "Minister",
    "",
    "Guinea",
]


def phrase_matchers(nlp: Language, exact: Phrases, lower: Phrases) -> Callable[[Doc], list[object]]:
    """What the resolver did before the table: two PhraseMatchers, exact then lower."""
    matchers = []
    for attr, phrases in (("ORTH", exact), ("LOWER", lower)):
        matcher = PhraseMatcher(nlp.vocab, attr=attr)
        for label, texts in phrases.items():
            name = "|".join(part or "" for part in label)
            matcher.add(name, [nlp.make_doc(t) for t in sorted(set(texts))])
        matchers.append(matcher)

    def find(doc: Doc) -> list[object]:
        out: list[object] = []
        for matcher in matchers:
            for match_id, start, end in matcher(doc):
                kind, key, sector = nlp.vocab.strings[match_id].split("|")
                out.append((start, end, (kind, key, sector or None)))
        return out

    return find


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp()


@pytest.mark.parametrize("text", TEXTS)
def test_same_matches_in_the_same_order(nlp: Language, text: str) -> None:
    table = compile_table(nlp, EXACT, LOWER)
    doc = nlp.make_doc(text)
    assert list(table.find(doc)) == phrase_matchers(nlp, EXACT, LOWER)(doc)


def test_overlapping_and_shared_phrases_are_all_reported(nlp: Language) -> None:
    doc = nlp.make_doc("Wang Yi sailed the Gulf of Guinea.")
    found = [
        (doc[s:e].text, label[0]) for s, e, label in compile_table(nlp, EXACT, LOWER).find(doc)
    ]
    assert ("Wang", "person") in found and ("Wang", "person_weak") in found
    assert ("Wang Yi", "person") in found
    assert ("Gulf of Guinea", "block") in found and ("Guinea", "country") in found


def test_compiled_once_then_read_from_the_cache(nlp: Language, cache_in: Path) -> None:
    first = phrase_table(nlp, EXACT, LOWER)
    assert len(list(cache_in.glob("actor-phrases-*.pickle"))) == 1
    second = phrase_table(nlp, EXACT, LOWER)
    assert second == first and second is not first
    other = {**LOWER, ("country", "FRA", None): ["France"]}
    third = phrase_table(nlp, EXACT, other)
    doc = nlp.make_doc("France")
    assert [label for _, _, label in third.find(doc)] == [("country", "FRA", None)]
    assert list(first.find(doc)) == []


@pytest.mark.slow
def test_the_bundled_tables_match_like_phrase_matchers(nlp: Language) -> None:
    from dyad.actors.resolve import get_resolver

    table: PhraseTable = get_resolver()._phrases
    texts = [json.loads(line)["text"] for line in SAMPLES.read_text("utf-8").splitlines()]
    reference = phrase_matchers(nlp, *_resolver_tables())
    for doc in nlp.tokenizer.pipe(texts):
        assert list(table.find(doc)) == reference(doc)


def _resolver_tables() -> tuple[Phrases, Phrases]:
    """The resolver's two phrase tables, read back from its compiled table's source."""
    from dyad.actors import resolve

    captured: list[tuple[Phrases, Phrases]] = []
    real = resolve.phrase_table

    def spy(nlp: Language, exact: Phrases, lower: Phrases) -> PhraseTable:
        captured.append((exact, lower))
        return real(nlp, exact, lower)

    resolve.phrase_table = spy  # type: ignore[assignment]
    try:
        resolve.ActorResolver(resolve.load_kb(), resolve.load_offices())
    finally:
        resolve.phrase_table = real
    return captured[0]
