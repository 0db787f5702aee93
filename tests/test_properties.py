"""Property-based tests (Hypothesis) for the input boundary, the readers and the coder's API.

A few hundred examples run in the suite; ``make fuzz`` (scripts/fuzz.py) runs many more.
Whatever the input, the outcome is records or an :class:`InputError`; never another
exception, and every evidence offset points at exactly its text.
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyad.boundary import (
    MAX_PUBLISHED,
    MIN_PUBLISHED,
    check_published,
    decode,
    parse_json_line,
    sanitise,
)
from dyad.errors import InputError
from dyad.model import Article
from dyad.read import article_from_html, read_stdin
from tests.inputs import WORDS

FAST = settings(max_examples=150, deadline=None)

prose = st.lists(st.sampled_from([*WORDS, "\n", "\n\n"]), min_size=1, max_size=60).map(" ".join)
any_text = st.one_of(st.text(max_size=300), prose, st.builds(lambda a, b: a + b, prose, st.text()))
days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda kids: (
        st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(st.text())
def test_sanitise_is_idempotent_and_encodable(text: str) -> None:
    once = sanitise(text)
    assert sanitise(once) == once
    once.encode("utf-8")
    assert "\r" not in once and "\x00" not in once


@FAST
@given(st.binary(max_size=2000), st.booleans())
def test_decode_gives_text_or_an_input_error(data: bytes, html: bool) -> None:
    try:
        text = decode(data, "x", html=html)
    except InputError as exc:
        assert exc.origin == "x" and exc.reason
    else:
        assert text == sanitise(text)


@FAST
@given(st.one_of(st.text(max_size=200), json_values.map(json.dumps)))
def test_json_lines_parse_or_are_refused(line: str) -> None:
    try:
        parse_json_line(line, "f.jsonl:1")
    except InputError as exc:
        assert exc.origin == "f.jsonl:1"


@FAST
@given(days)
def test_publication_dates_are_accepted_exactly_in_range(day: date) -> None:
    try:
        assert check_published(day, "x") == day
        assert MIN_PUBLISHED <= day <= MAX_PUBLISHED
    except InputError:
        assert not MIN_PUBLISHED <= day <= MAX_PUBLISHED


@FAST
@given(
    st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"id": st.text(max_size=8), "text": any_text},
                optional={"published": days.map(date.isoformat), "title": st.text(max_size=8)},
            ).map(json.dumps),
            json_values.map(json.dumps),
            st.text(max_size=50),
        ),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(["utf-8", "utf-16", "cp1252", "utf-32"]),
)
def test_standard_input_yields_articles_or_input_errors(lines: list[str], codec: str) -> None:
    data = "\n".join(lines).encode(codec, errors="replace")
    for item in read_stdin(io.BytesIO(data)):
        assert isinstance(item, Article | InputError)
        if isinstance(item, Article):
            assert item.text == sanitise(item.text) and item.text.strip()


@settings(max_examples=60, deadline=None)
@given(
    st.recursive(
        prose,
        lambda inner: (
            st.builds(
                lambda tag, body, n: f"<{tag}>" * n + body + f"</{tag}>" * n,
                st.sampled_from(["div", "p", "span", "b", "table", "li"]),
                inner,
                st.integers(1, 300),
            )
            | st.builds(lambda a, b: a + "<br>" + b, inner, inner)
        ),
        max_leaves=6,
    )
)
def test_html_gives_an_article_or_an_input_error(html: str) -> None:
    try:
        art = article_from_html(html)
    except InputError:
        return
    assert art.text.strip()


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text, st.one_of(st.none(), days))
def test_the_api_codes_anything_with_exact_offsets(text: str, published: date | None) -> None:
    from dyad.pipeline import analyze_many, code

    try:
        records = code(text, published=published)
    except InputError:
        return
    assert isinstance(records, list)
    article = Article(id="x", text=sanitise(text), published=published)
    if not article.text.strip() or not (
        published is None or MIN_PUBLISHED <= published <= MAX_PUBLISHED
    ):
        return
    for analysis in analyze_many([article]):
        for r in analysis.records:
            assert analysis.clean.text[r.evidence.start : r.evidence.end] == r.evidence.text
