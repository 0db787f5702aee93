"""Writes through the server: code uploaded articles and store them, all or nothing.

The request is read in full (the size limit is enforced by the app before this runs), every
article is parsed first, and a single bad line rejects the whole request before anything is
coded, so a rejected request never changes the store. Coding runs outside the store; the
store is opened for writing only for the short ``ingest`` at the end, under the app's write
lock, so readers of the same process wait instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from dyad.errors import DyadError, InputError
from dyad.model import Article, Record
from dyad.read import read_jsonl
from dyad.store import IngestStats, ingest, open_store


class UploadError(DyadError):
    """An upload holds no article or a line that cannot be read; nothing was stored."""

    def __init__(self, problems: Sequence[InputError]) -> None:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"{shown}{more}; nothing was stored")
        self.problems = tuple(problems)


def parse_upload(data: bytes, name: str) -> list[Article]:
    """The articles of a JSONL upload, or an UploadError listing every bad line."""
    if not data.strip():
        raise UploadError([InputError(name, "empty upload: send JSON lines with 'id' and 'text'")])
    articles: list[Article] = []
    problems: list[InputError] = []
    for item in read_jsonl(data, name):
        if isinstance(item, InputError):
            problems.append(item)
        else:
            articles.append(item)
    if problems:
        raise UploadError(problems)
    return articles


def code_and_store(db: Path, articles: Sequence[Article]) -> IngestStats:
    """Code the articles (the slow part, outside the store), then store them in one go."""
    from dyad.pipeline import analyze_many

    coded: list[tuple[Article, str, Sequence[Record]]] = [
        (a.article, a.clean.text, a.records) for a in analyze_many(articles)
    ]

    def items() -> Iterator[tuple[Article, str, Sequence[Record]]]:
        yield from coded

    with open_store(db) as store:
        return ingest(store, items())
