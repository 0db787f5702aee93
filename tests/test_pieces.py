"""Long texts split at paragraph, line, sentence or space boundaries; pieces rejoin exactly."""

from __future__ import annotations

import pytest

from dyad.pieces import split_points


@pytest.mark.parametrize(
    ("text", "limit", "first_end"),
    [
        ("aaaa bbbb.\n\ncccc dddd.\ndddd", 16, 12),  # after the paragraph break
        ("aaaa bbbb.\ncccc dddd. eeee", 16, 11),  # after the line break
        ("aaaa bbbb. cccc dddd eeee", 16, 11),  # after the sentence
        ("aaaa bbbb cccc dddd eeee", 16, 15),  # after a space
        ("a" * 40, 16, 16),  # nowhere better: hard cut
    ],
)
def test_split_points_prefer_the_widest_boundary(text: str, limit: int, first_end: int) -> None:
    pieces = split_points(text, limit)
    assert pieces[0] == (0, first_end)
    assert "".join(text[a:b] for a, b in pieces) == text
    assert all(0 < b - a <= limit for a, b in pieces)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))


def test_short_text_is_one_piece() -> None:
    assert split_points("Russia met China.", 100) == [(0, 17)]
    assert split_points("", 100) == [(0, 0)]


@pytest.mark.slow
def test_a_long_article_is_coded_with_exact_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    import dyad.pieces
    from dyad.pipeline import analyze_many
    from dyad.read import article_from_text

    para = (
        "Russia and China signed a trade agreement in Beijing on Monday. "
        "Police arrested 40 protesters in Nairobi on Tuesday.\n\n"
    )
    text = para * 40
    monkeypatch.setattr(dyad.pieces, "PIECE_CHARS", 500)
    [whole] = analyze_many([article_from_text(text, id="long")])
    monkeypatch.setattr(dyad.pieces, "PIECE_CHARS", 1_000_000)
    [single] = analyze_many([article_from_text(text, id="long")])
    assert whole.doc.text == text
    assert whole.records
    for r in whole.records:
        assert whole.clean.text[r.evidence.start : r.evidence.end] == r.evidence.text
    assert [r.evidence for r in whole.records] == [r.evidence for r in single.records]
