"""A hand-built store for the server tests: tests/event_store.py plus an article whose text
and evidence hold markup, to check that every page escapes it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dyad.model import Article, TextSpan
from dyad.serve import create_app, prepare_store
from dyad.store import ingest, open_store
from tests.event_store import POL, UKR, build, event

TOKEN = "s3cret-token"
HOSTILE = 'Poland <script>alert("x")</script> met Ukraine & friends in <b>Lublin</b>.'
HOSTILE_TEXT = "Heading line.\n\n" + HOSTILE + " More text follows."


def hostile_article() -> tuple[Article, str, list[object]]:
    start = HOSTILE_TEXT.index(HOSTILE)
    e = event("h1", "hostile", (POL,), (UKR,), "040", 1, date(2024, 6, 3), goldstein=1.0,
              plover="CONSULT")  # fmt: skip
    trigger_at = HOSTILE_TEXT.index("met")
    e = replace(
        e,
        evidence=TextSpan(HOSTILE, start, start + len(HOSTILE)),
        trigger=TextSpan("met", trigger_at, trigger_at + 3),
        sentence=1,
    )
    article = Article(id="hostile", text=HOSTILE_TEXT, published=date(2024, 6, 3),
                      title="<i>Markup</i> & more", source="Wire <x>")  # fmt: skip
    return article, HOSTILE_TEXT, [e]


def make_store(path: Path) -> Path:
    build(path)
    with open_store(path) as store:
        ingest(store, [hostile_article()])  # type: ignore[list-item]
    prepare_store(path)
    return path


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_store(tmp_path_factory.mktemp("serve") / "s.duckdb")


@pytest.fixture(scope="session")
def client(store_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(store_path)) as c:
        yield c


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[tuple[TestClient, Path]]:
    """A client with writes on (bearer TOKEN, a 4 kB body limit) over a fresh store."""
    path = make_store(tmp_path / "w.duckdb")
    with TestClient(create_app(path, token=TOKEN, max_body=4096)) as c:
        yield c, path
