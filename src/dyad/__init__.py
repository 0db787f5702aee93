"""dyad: who did what to whom, when, where and how much, with evidence.

The Python API is the product; the ``dyad`` command is a thin layer over it::

    import dyad
    records = dyad.code(text, published=datetime.date(2023, 9, 19))
    for record in dyad.code_many(articles):   # strings or dyad.Article, batched internally
        ...
    with dyad.open_store("dyad.duckdb") as store:
        events = list(store.events(dyad=("RUS", "CHN")))

Heavy modules (spaCy, DuckDB) load on first use, so ``import dyad`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dyad._version import __version__
from dyad.model import (
    Actor,
    Article,
    ArticleRef,
    Claim,
    DateSpan,
    Event,
    Place,
    Plover,
    Quantity,
    Record,
    TextSpan,
)

if TYPE_CHECKING:
    from dyad.pipeline import analyze_many, code, code_many
    from dyad.read import article_from_html, article_from_text
    from dyad.store import open_store

__all__ = [
    "Actor",
    "Article",
    "ArticleRef",
    "Claim",
    "DateSpan",
    "Event",
    "Place",
    "Plover",
    "Quantity",
    "Record",
    "TextSpan",
    "__version__",
    "analyze_many",
    "article_from_html",
    "article_from_text",
    "code",
    "code_many",
    "open_store",
]

_LAZY = {
    "code": "dyad.pipeline",
    "code_many": "dyad.pipeline",
    "analyze_many": "dyad.pipeline",
    "open_store": "dyad.store",
    "article_from_text": "dyad.read",
    "article_from_html": "dyad.read",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dyad' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
