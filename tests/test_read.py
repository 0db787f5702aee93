"""Stage 1: reading files, folders, JSONL and standard input into articles."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest

from dyad.errors import InputError
from dyad.model import Article
from dyad.read import (
    SUPPORTED_SUFFIXES,
    article_from_html,
    article_from_text,
    iter_inputs,
    read_path,
    read_stdin,
)

EXPECTED = ".txt, .html, .htm, .jsonl, .rss, .atom or .xml"

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
FIXTURES = Path(__file__).resolve().parent / "data" / "read"

PROSE = (
    "Foreign ministers from both countries met in Geneva on Tuesday and agreed to resume "
    "talks on a trade agreement next month, officials said."
)
FRENCH = "Le ministre français des Affaires étrangères a rencontré son homologue à Genève mardi."


def articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def errors(items: list[Article | InputError]) -> list[InputError]:
    return [item for item in items if isinstance(item, InputError)]


# --- single documents -------------------------------------------------------------------


def test_text_id_is_a_stable_content_hash() -> None:
    a = article_from_text(PROSE)
    b = article_from_text(PROSE, published=date(2024, 5, 4))
    assert a.id == b.id
    assert a.id.startswith("sha1:") and len(a.id) == len("sha1:") + 16
    assert article_from_text(PROSE + " More.").id != a.id
    assert article_from_text(PROSE, id="given").id == "given"


def test_text_metadata_and_line_endings() -> None:
    art = article_from_text(
        "\ufeffLine one.\r\nLine two.\rLine three.\n",
        published=date(2024, 5, 4),
        url="https://news.example.org/x",
        title="T",
        source="S",
        origin="o.txt",
    )
    assert art.text == "Line one.\nLine two.\nLine three.\n"
    assert (art.published, art.url, art.title, art.source, art.origin) == (
        date(2024, 5, 4),
        "https://news.example.org/x",
        "T",
        "S",
        "o.txt",
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t \r\n"])
def test_empty_text_is_rejected(text: str) -> None:
    with pytest.raises(InputError) as info:
        article_from_text(text, origin="mem")
    assert info.value.origin == "mem"
    assert "empty" in info.value.reason


def test_html_extraction_keeps_the_story_and_drops_the_page() -> None:
    html = (SAMPLES / "web-page.html").read_text(encoding="utf-8")
    art = article_from_html(html, id="page", published=date(2020, 1, 1), origin="page.html")
    assert art.published == date(2024, 8, 13)  # the page's own date wins over the fallback
    assert art.title == "Ethiopia and Somalia end second round of Ankara talks without deal"
    assert art.url == "https://news.example.org/2024/08/13/ethiopia-somalia-ankara-talks"
    assert "Hakan Fidan" in art.text
    assert "A Dispute Over the Red Sea" in art.text
    for furniture in (
        "cookies",
        "Most read",
        "Asian shares",
        "Privacy policy",
        "All rights reserved",
        "Turkey is everywhere",
        "Share on Facebook",
        "Newsletters",
    ):
        assert furniture not in art.text


def test_html_without_a_date_takes_the_fallback() -> None:
    html = (FIXTURES / "undated-page.html").read_text(encoding="utf-8")
    art = article_from_html(html, published=date(2024, 10, 2))
    assert art.published == date(2024, 10, 2)
    assert art.title == "Norway raises aid to Ukraine's energy grid"
    assert "1.5 billion crowns" in art.text
    assert "cookies" not in art.text and "Privacy" not in art.text
    assert article_from_html(html).published is None


@pytest.mark.parametrize(
    "html",
    [
        (FIXTURES / "menu-only.html").read_text(encoding="utf-8"),
        "<html><body></body></html>",
        "<html><body><p>   </p></body></html>",
        "not html at all",
    ],
)
def test_html_without_article_text_is_rejected(html: str) -> None:
    with pytest.raises(InputError) as info:
        article_from_html(html, origin="bad.html")
    assert str(info.value) == "bad.html: no article text found in the HTML page"


# --- files and encodings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (FRENCH.encode("utf-8"), FRENCH),
        (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), FRENCH),
        (FRENCH.encode("utf-16"), FRENCH),  # with a byte-order mark
        (b"\xfe\xff" + FRENCH.encode("utf-16-be"), FRENCH),
        (FRENCH.encode("latin-1"), FRENCH),
        (FRENCH.encode("cp1252"), FRENCH),
        (
            "The envoy – in Brussels – said “no”.".encode("cp1252"),
            "The envoy – in Brussels – said “no”.",
        ),
        (
            "Министр иностранных дел встретился с коллегой в Москве во вторник.".encode("cp1251"),
            "Министр иностранных дел встретился с коллегой в Москве во вторник.",
        ),
        (b"First line.\r\nSecond line.\r\n", "First line.\nSecond line.\n"),
        (b"First line.\rSecond line.", "First line.\nSecond line."),
    ],
    ids=[
        "utf-8",
        "utf-8-bom",
        "utf-16-le-bom",
        "utf-16-be-bom",
        "latin-1",
        "cp1252",
        "cp1252-punctuation",
        "cp1251",
        "crlf",
        "cr",
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    [art] = list(read_path(path))
    assert isinstance(art, Article)
    assert art.text == expected
    assert art.id == "story"
    assert art.origin == str(path)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\r\n", "the file holds only whitespace, no text"),
        (
            "image.txt",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "binary file, not text",
        ),
        ("controls.txt", bytes(range(1, 9)) * 40 + b"text", "binary file, not text"),
        ("bad16.txt", b"\xff\xfe" + b"\x00\xd8", "undecodable text"),
        ("menu.html", (FIXTURES / "menu-only.html").read_bytes(), "no article text found"),
        (
            "report.pdf",
            b"%PDF-1.7",
            "unsupported file type '.pdf' (expected " + EXPECTED + ")",
        ),
        ("README", b"text", "file has no suffix"),
    ],
)
def test_bad_files_are_reported(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [err] = list(read_path(path))
    assert isinstance(err, InputError)
    assert err.origin == str(path)
    assert reason in err.reason


def test_missing_path_is_reported(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "story.txt"
    [err] = list(read_path(missing))
    assert isinstance(err, InputError)
    assert str(err) == f"{missing}: no such file or directory"


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (PermissionError(13, "Permission denied"), "permission denied"),
        (IsADirectoryError(21, "Is a directory"), "is a directory where a file was expected"),
        (OSError(5, "Input/output error"), "cannot be read (Input/output error)"),
    ],
)
def test_unreadable_file_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: OSError, reason: str
) -> None:
    path = tmp_path / "story.txt"
    path.write_text(PROSE, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise exc

    monkeypatch.setattr(Path, "read_bytes", refuse)
    [err] = list(read_path(path))
    assert isinstance(err, InputError)
    assert (err.origin, err.reason) == (str(path), reason)


# --- folders ------------------------------------------------------------------------------


def test_samples_folder_reads_whole() -> None:
    items = list(read_path(SAMPLES))
    assert errors(items) == []
    arts = articles(items)
    ids = [a.id for a in arts]
    assert len(ids) >= 12 and len(set(ids)) == len(ids)
    assert ids[-1] == "web-page"  # corpus.jsonl sorts before web-page.html
    for art in arts:
        assert art.published is not None, art.id
        assert art.title, art.id
        assert 300 <= len(art.text.split()) <= 650, art.id
        assert "\r" not in art.text
    jsonl = [a for a in arts if a.id != "web-page"]
    assert all(a.url and a.url.startswith("https://news.example.org/") for a in jsonl)
    assert all(a.origin.startswith(str(SAMPLES / "corpus.jsonl") + ":") for a in jsonl)


def test_samples_corpus_lines_carry_every_field() -> None:
    lines = (SAMPLES / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 11
    for line in lines:
        obj = json.loads(line)
        assert set(obj) == {"id", "published", "title", "url", "source", "text"}
        assert "\n\n" in obj["text"]


def test_folder_with_good_and_bad_files(tmp_path: Path) -> None:
    (tmp_path / "a-good.txt").write_text(PROSE + "\n", encoding="utf-8")
    (tmp_path / "b-binary.txt").write_bytes(b"\x00\x01\x02\x03PK\x03\x04" * 50)
    (tmp_path / "c-empty.txt").write_bytes(b"")
    (tmp_path / "d-legacy.txt").write_bytes(FRENCH.encode("latin-1"))
    lines = [
        json.dumps({"id": "j1", "text": PROSE, "published": "2024-05-04"}),
        '{"id": "j2", "text": "unterminated',
        "",
        json.dumps({"id": "j3", "text": PROSE, "title": "Talks resume"}),
    ]
    (tmp_path / "e-batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("# not read\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / ".hidden.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "x.txt").write_text(PROSE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f-nested.TXT").write_text(PROSE, encoding="utf-8")

    items = list(read_path(tmp_path, published=date(2024, 1, 2)))
    summary = [
        (item.id, str(item.published)) if isinstance(item, Article) else (item.origin, item.reason)
        for item in items
    ]
    assert summary == [
        ("a-good", "2024-01-02"),
        (str(tmp_path / "b-binary.txt"), "binary file, not text"),
        (str(tmp_path / "c-empty.txt"), "empty file"),
        ("d-legacy", "2024-01-02"),
        ("j1", "2024-05-04"),
        (
            f"{tmp_path / 'e-batch.jsonl'}:2",
            "not valid JSON (Unterminated string starting at: column 22)",
        ),
        ("j3", "2024-01-02"),
        ("f-nested", "2024-01-02"),
    ]
    legacy = next(a for a in articles(items) if a.id == "d-legacy")
    assert legacy.text == FRENCH
    j3 = next(a for a in articles(items) if a.id == "j3")
    assert (j3.title, j3.origin) == ("Talks resume", f"{tmp_path / 'e-batch.jsonl'}:4")


def test_folder_without_inputs_is_reported(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("nothing here", encoding="utf-8")
    [err] = list(read_path(tmp_path))
    assert isinstance(err, InputError)
    assert err.origin == str(tmp_path)
    assert f"no {EXPECTED} files" in err.reason


# --- JSONL --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[1, 2]", "expected a JSON object, got a list"),
        ('"text"', "expected a JSON object, got a string"),
        ('{"text": "Talks resumed."}', "missing required field 'id'"),
        ('{"id": 7, "text": "Talks resumed."}', "field 'id' must be a non-empty string, got 7"),
        ('{"id": " ", "text": "Talks resumed."}', "field 'id' must be a non-empty string"),
        ('{"id": "x"}', "missing required field 'text' (or 'html')"),
        ('{"id": "x", "text": "a.", "html": "<p>a.</p>"}', "has both 'text' and 'html'"),
        ('{"id": "x", "text": ["a"]}', "field 'text' must be a string, got a list"),
        ('{"id": "x", "text": "  "}', "field 'text' is empty"),
        ('{"id": "x", "text": "a.", "published": "2024-02-30"}', "must be a YYYY-MM-DD date"),
        ('{"id": "x", "text": "a.", "published": "20240201"}', "must be a YYYY-MM-DD date"),
        ('{"id": "x", "text": "a.", "published": "last week"}', "must be a YYYY-MM-DD date"),
        ('{"id": "x", "text": "a.", "published": 2024}', "must be a YYYY-MM-DD date"),
        ('{"id": "x", "text": "a.", "url": 3}', "field 'url' must be a string, got a number"),
        (
            '{"id": "x", "text": "a.", "title": true}',
            "field 'title' must be a string, got a boolean",
        ),
        ('{"id": "x", "html": "<html><body><nav>Home</nav></body></html>"}', "no article text"),
        ('{"id": "good", "text": "Again."}', "duplicate id 'good' (first at "),
    ],
)
def test_bad_jsonl_lines_are_reported_and_the_rest_still_read(
    tmp_path: Path, line: str, reason: str
) -> None:
    path = tmp_path / "batch.jsonl"
    good = json.dumps({"id": "good", "text": PROSE})
    last = json.dumps({"id": "last", "text": PROSE})
    path.write_text(f"{good}\n{line}\n{last}\n", encoding="utf-8")
    items = list(read_path(path))
    assert [a.id for a in articles(items)] == ["good", "last"]
    [err] = errors(items)
    assert err.origin == f"{path}:2"
    assert reason in err.reason


def test_jsonl_html_line(tmp_path: Path) -> None:
    html = (SAMPLES / "web-page.html").read_text(encoding="utf-8")
    path = tmp_path / "pages.jsonl"
    rows = [
        {"id": "own-date", "html": html},
        {"id": "line-date", "html": html, "published": "2024-08-14", "source": "Feed"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    own, line = list(read_path(path, published=date(2000, 1, 1)))
    assert isinstance(own, Article) and isinstance(line, Article)
    assert own.published == date(2024, 8, 13)
    assert own.source == "Example World News"
    assert line.published == date(2024, 8, 14)  # the line's own date is the record's word
    assert line.source == "Feed"
    assert "Hakan Fidan" in line.text


# --- standard input and arguments ----------------------------------------------------------


def test_stdin_text() -> None:
    [art] = list(read_stdin(io.BytesIO(PROSE.encode("cp1252")), published=date(2024, 3, 1)))
    assert isinstance(art, Article)
    assert art.id == article_from_text(PROSE).id
    assert (art.origin, art.published) == ("<stdin>", date(2024, 3, 1))
    [art] = list(read_stdin(io.StringIO("One.\r\nTwo.")))
    assert isinstance(art, Article) and art.text == "One.\nTwo."


def test_stdin_jsonl() -> None:
    rows = [{"id": "s1", "text": PROSE}, {"id": "s2", "text": PROSE, "published": "2024-13-01"}]
    data = "\n\n".join(json.dumps(r) for r in rows) + "\n"
    items = list(read_stdin(io.StringIO(data)))
    assert [(i.id, i.origin) for i in articles(items)] == [("s1", "<stdin>:1")]
    [err] = errors(items)
    assert err.origin == "<stdin>:3"


def test_stdin_text_that_merely_contains_json_is_text() -> None:
    data = 'The statement below was posted on Tuesday.\n{"id": "s1", "text": "x"}\n'
    [art] = list(read_stdin(io.StringIO(data)))
    assert isinstance(art, Article) and art.id.startswith("sha1:")


def test_stdin_jsonl_is_decided_by_its_first_line_and_streamed() -> None:
    """A stream is JSONL when its first line is a JSON object; a later line that is not JSON
    is reported on its own, and each article is yielded as soon as its line is read."""
    first = json.dumps({"id": "s1", "text": PROSE})

    class Live(io.StringIO):
        reads = 0

        def readline(self, size: int | None = -1) -> str:
            Live.reads += 1
            return super().readline(size)

    stream = Live(first + "\nnot json\n" + json.dumps({"id": "s2", "text": PROSE}) + "\n")
    items = read_stdin(stream)
    art = next(items)
    assert isinstance(art, Article) and art.id == "s1" and Live.reads == 1
    rest = list(items)
    assert [type(i).__name__ for i in rest] == ["InputError", "Article"]
    assert isinstance(rest[0], InputError) and rest[0].origin == "<stdin>:2"


def test_stdin_web_page() -> None:
    html = (SAMPLES / "web-page.html").read_bytes()
    [art] = list(read_stdin(io.BytesIO(html)))
    assert isinstance(art, Article)
    assert art.published == date(2024, 8, 13) and art.origin == "<stdin>"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no input on standard input"),
        (" \n ", "standard input holds only whitespace, no text"),
        (b"\x00\x01binary", "binary file, not text"),
    ],
)
def test_bad_stdin(data: bytes | str, reason: str) -> None:
    stream = io.BytesIO(data) if isinstance(data, bytes) else io.StringIO(data)
    [err] = list(read_stdin(stream))
    assert isinstance(err, InputError)
    assert (err.origin, err.reason) == ("<stdin>", reason)


@pytest.mark.parametrize("paths", [[], ["-"]])
def test_dash_or_nothing_reads_stdin(paths: list[str]) -> None:
    [art] = list(iter_inputs(paths, stdin=io.StringIO(PROSE)))
    assert isinstance(art, Article) and art.origin == "<stdin>"


def test_iter_inputs_mixes_paths_and_reports_each(tmp_path: Path) -> None:
    good = tmp_path / "talks.txt"
    good.write_text(PROSE, encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    args = [str(good), "-", str(tmp_path / "gone.txt"), str(pdf), "-"]
    items = list(iter_inputs(args, published=date(2024, 6, 1), stdin=io.StringIO(PROSE)))
    assert [getattr(i, "id", None) for i in items[:2]] == ["talks", article_from_text(PROSE).id]
    assert all(a.published == date(2024, 6, 1) for a in articles(items))
    assert [str(e) for e in errors(items)] == [
        f"{tmp_path / 'gone.txt'}: no such file or directory",
        f"{pdf}: unsupported file type '.pdf' (expected {EXPECTED})",
        "<stdin>: standard input ('-') given more than once",
    ]


def test_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".html", ".htm", ".jsonl", ".rss", ".atom", ".xml")


def test_stdin_jsonl_with_a_line_that_is_not_an_object_reports_that_line() -> None:
    data = (
        '{"id": "a", "text": "Russia met China."}\n[1, 2]\n{"id": "b", "text": "Iran met Iraq."}\n'
    )
    items = list(read_stdin(io.BytesIO(data.encode())))
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    error = items[1]
    assert isinstance(error, InputError)
    assert error.origin == "<stdin>:2" and "expected a JSON object" in error.reason


@pytest.mark.parametrize(
    "data",
    [
        "Россия и Китай подписали соглашение.\n".encode("cp1251"),
        "Russia met China.\n".encode("utf-16"),
        b'{"id": "x", "text": "Russia \\udc00 met China."}\n',
    ],
)
def test_stdin_bytes_are_decoded_and_sanitised(data: bytes) -> None:
    [item] = list(read_stdin(io.BytesIO(data)))
    assert isinstance(item, Article)
    item.text.encode("utf-8")
