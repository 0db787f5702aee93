"""The whole pipeline on every core: articles coded in worker processes, records back.

``nlp.pipe(n_process=N)`` parallelises only the parse: every Doc is serialised back to the
main process, which then runs all the other stages alone and becomes the bottleneck on a
small machine. :func:`code_stream` instead sends chunks of articles to worker processes that
run the entire pipeline (:func:`dyad.pipeline.analyze_many` with one parser process) and
return only the records, which are small. The parent loads spaCy, the compiled tables and
the learned model once before the workers are forked, so they start warm and share those
pages; models are never pickled. At most :data:`IN_FLIGHT` chunks per worker are
outstanding, so memory stays flat on a corpus of any size, and results come back in input
order.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice

from dyad.model import Article, Record
from dyad.pipeline import ErrorHandler, SkipHandler, Translator, analyze_many

CHUNK = 8
"""Articles sent to a worker at a time."""
IN_FLIGHT = 3
"""Chunks outstanding per worker."""


@dataclass(frozen=True, slots=True)
class Coded:
    """What the writers need of one coded article."""

    article: Article
    clean_text: str
    records: tuple[Record, ...]


@dataclass(frozen=True, slots=True)
class _Outcome:
    coded: tuple[Coded, ...]
    failed: tuple[tuple[Article, Exception], ...]
    skipped: tuple[tuple[Article, str], ...]


def _code_chunk(
    chunk: list[Article], translators: Mapping[str, Translator] | None, models: bool
) -> _Outcome:
    failed: list[tuple[Article, Exception]] = []
    skipped: list[tuple[Article, str]] = []
    coded = tuple(
        Coded(a.article, a.clean.text, a.records)
        for a in analyze_many(
            chunk,
            n_process=1,
            on_error=lambda art, exc: failed.append((art, exc)),
            on_skip=lambda art, lang: skipped.append((art, lang)),
            translators=translators,
            models=models,
        )
    )
    return _Outcome(coded, tuple(failed), tuple(skipped))


def warm(*, models: bool = False) -> None:
    """Load the parser, the compiled tables, the language model and (``models``) the
    learned model in this process, so that forked workers start with them."""
    from dyad.actors.resolve import get_resolver
    from dyad.claims.lexicon import load_lexicon
    from dyad.claims.quantity import scanner
    from dyad.events.coder import get_coder
    from dyad.geo.gazetteer import load_gazetteer
    from dyad.language import detect
    from dyad.parse import load_nlp
    from dyad.preload import start, wait

    start(models=models)
    load_nlp()
    get_resolver()
    get_coder()
    load_gazetteer()
    load_lexicon()
    scanner()
    detect("warm up")
    wait()  # no loading thread may run while the workers are forked


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(articles)
    while chunk := list(islice(it, size)):
        yield chunk


def code_stream(
    articles: Iterable[Article],
    *,
    n_process: int = 1,
    batch_size: int | None = None,
    on_error: ErrorHandler | None = None,
    on_skip: SkipHandler | None = None,
    translators: Mapping[str, Translator] | None = None,
    models: bool = True,
) -> Iterator[Coded]:
    """Records of many articles, in input order, coded with ``n_process`` processes.

    Handlers are called in this process, as by :func:`~dyad.pipeline.analyze_many`;
    ``translators`` must be picklable (module-level functions) when ``n_process`` > 1.
    """
    if n_process <= 1:
        kwargs = {} if batch_size is None else {"batch_size": batch_size}
        for a in analyze_many(
            articles,
            n_process=1,
            on_error=on_error,
            on_skip=on_skip,
            translators=translators,
            models=models,
            **kwargs,
        ):
            yield Coded(a.article, a.clean.text, a.records)
        return
    warm(models=models)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(n_process, mp_context=context) as pool:
        pending: deque[Future[_Outcome]] = deque()
        for chunk in _chunks(articles, CHUNK):
            pending.append(pool.submit(_code_chunk, chunk, translators, models))
            while len(pending) >= IN_FLIGHT * n_process:
                yield from _deliver(pending.popleft().result(), on_error, on_skip)
        while pending:
            yield from _deliver(pending.popleft().result(), on_error, on_skip)


def _deliver(
    outcome: _Outcome, on_error: ErrorHandler | None, on_skip: SkipHandler | None
) -> Iterator[Coded]:
    for article, exc in outcome.failed:
        if on_error is None:
            raise exc
        on_error(article, exc)
    for article, lang in outcome.skipped:
        if on_skip is not None:
            on_skip(article, lang)
    yield from outcome.coded
