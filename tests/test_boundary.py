"""The input boundary: decoding, sanitising and limits, each refusal named with its reason."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from dyad.boundary import (
    MAX_PUBLISHED,
    MIN_PUBLISHED,
    Limits,
    check_article,
    check_published,
    check_text,
    decode,
    parse_json_line,
    sanitise,
)
from dyad.errors import InputError
from dyad.model import Article


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Russia \udc00met China.", "Russia met China."),
        ("a\x00b\x01c\x7fd\x9fe", "abcde"),
        ("\ufeffline one\r\nline two\rthree", "line one\nline two\nthree"),
        ("page one\x0cpage two\x0bthree", "page one\npage two\nthree"),
        ("tab\tstays\n", "tab\tstays\n"),
        ("non\ufffecharacter\uffff", "noncharacter"),
        ("Emoji 😀 stays", "Emoji 😀 stays"),
    ],
)
def test_sanitise(raw: str, clean: str) -> None:
    assert sanitise(raw) == clean
    sanitise(raw).encode("utf-8")  # never raises: no surrogates left


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Russia met China.\n".encode("utf-16"), "Russia met China.\n"),
        ("Russia met China.\n".encode("utf-32"), "Russia met China.\n"),
        (b"\xef\xbb\xbfRussia met China.\r\n", "Russia met China.\n"),
        ("Россия и Китай подписали соглашение в Пекине.".encode("cp1251"), None),
        ("Café déjà vu à Paris, où le président a parlé.".encode("cp1252"), None),
    ],
)
def test_decode_detects_encodings(data: bytes, text: str | None) -> None:
    out = decode(data, "f.txt")
    if text is not None:
        assert out == text
    else:
        assert out.strip() and "\ufffd" not in out


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\x00\x01\x02binary" * 10, "binary"),
        (bytes(range(256)) * 4, "binary"),
        (b"\xff\xfe\x00\xd8", "invalid UTF-16"),
    ],
)
def test_decode_refuses_what_is_not_text(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as info:
        decode(data, "in/x.txt")
    assert info.value.origin == "in/x.txt"


def test_text_over_the_limit_is_refused_with_the_option_to_raise_it() -> None:
    with pytest.raises(InputError, match=r"11 characters long, over the limit of 10 .*--max-chars"):
        check_text("Russia met.", "a.txt", Limits(max_chars=10))
    assert check_text("Russia met.", "a.txt", Limits(max_chars=11)) == "Russia met."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('{"id": %s, "text": "x"}' % ("7" * 5000), "number of 5,000 digits"),
        ('{"id": "a", "n": %s}' % ("1" * 60 + "." + "2" * 60), "number of 120 digits"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper than 64 levels"),
        ('{"a": ' * 70 + "1" + "}" * 70, "nested deeper than 64 levels"),
        ('{"id": "a", "text": ', "not valid JSON"),
        ("x" * 101, "the line is 101 characters long"),
    ],
)
def test_json_lines_over_the_limits_are_refused(line: str, reason: str) -> None:
    limits = Limits(max_line_chars=100) if reason.startswith("the line") else Limits()
    with pytest.raises(InputError, match=reason) as info:
        parse_json_line(line, "in.jsonl:3", limits)
    assert info.value.origin == "in.jsonl:3"


def test_json_within_the_limits_parses() -> None:
    obj = {"id": "a", "n": 12345, "f": 1.5, "deep": [[[{"x": [1]}]]]}
    assert parse_json_line(json.dumps(obj), "l") == obj


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (date(9999, 12, 31), False),
        (date(1, 1, 1), False),
        (MAX_PUBLISHED, True),
        (MIN_PUBLISHED, True),
        (date(2024, 2, 29), True),
    ],
)
def test_publication_dates_the_date_stage_cannot_reckon_from_are_refused(
    day: date, ok: bool
) -> None:
    if ok:
        assert check_published(day, "x") == day
    else:
        with pytest.raises(InputError, match="outside the supported range"):
            check_published(day, "x")


def test_api_articles_are_sanitised_and_checked() -> None:
    art = Article(id="a\udc00", text="Russia \udc00met\x00 China.", title="T\x01")
    clean = check_article(art, "<item 1>")
    assert (clean.id, clean.text, clean.title) == ("a", "Russia met China.", "T")
    ok = Article(id="b", text="Russia met China.")
    assert check_article(ok, "<item 1>") is ok
    with pytest.raises(InputError, match="outside the supported range"):
        check_article(replace(ok, published=date(9999, 12, 31)), "<item 2>")
    with pytest.raises(InputError, match="non-empty string"):
        check_article(replace(ok, id=""), "<item 3>")
