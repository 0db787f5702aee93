"""The extent of an actor's noun phrase (``actors/extent.py``) on original sentences."""

from __future__ import annotations

import pytest

from dyad.actors.extent import phrase_extent
from dyad.parse import parse_one

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("text", "head", "extent"),
    [
        ("The rebels attacked the town.", "rebels", "The rebels"),
        (
            "The foreign minister of the small island state met the envoy.",
            "minister",
            "The foreign minister of the small island state",
        ),
        ("Its leader, Omar Hassan, resigned.", "leader", "Its leader, Omar Hassan"),
        ("The Border Protection Agency (BPA) closed the crossing.", "Agency", None),
        # clauses and conjuncts are not part of the phrase
        ("The soldiers who mutinied seized the base.", "soldiers", "The soldiers"),
        ("Kenya and Uganda signed the deal.", "Kenya", "Kenya"),
        ("Troops loyal to the general shelled the city.", "Troops", "Troops loyal to the general"),
        ("Russia's navy blocked the strait.", "Russia", "Russia's"),
    ],
)
def test_phrase_extent(text: str, head: str, extent: str | None) -> None:
    doc = parse_one(text)
    tok = next(t for t in doc if t.text == head)
    first, last = phrase_extent(tok, tok.i, tok.i + 1)
    got = doc[first:last].text
    if extent is None:  # the parenthesised abbreviation belongs to the name
        assert got.startswith("The Border Protection Agency") and got.endswith("(BPA)"), got
    else:
        assert got == extent


def test_the_extent_covers_the_words_and_respects_the_floor() -> None:
    doc = parse_one("NAIROBI, May 3 - Kenyan police arrested two men.")
    police = next(t for t in doc if t.text == "police")
    kenyan = police.i - 1
    first, last = phrase_extent(police, kenyan, police.i + 1, floor=kenyan)
    assert (first, last) == (kenyan, police.i + 1)
    first, last = phrase_extent(police, police.i, police.i + 1)
    assert first <= police.i < last
