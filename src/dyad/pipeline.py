"""The orchestrator: the stages in order, batching, nothing else.

:func:`analyze_many` runs, for every article:

1. **clean** (``clean.py``): page furniture out ("Read more:", bylines, share prompts),
   headings marked, an offset map back to the raw text kept;
2. **parse** (``parse.py``): spaCy, one model per process, texts streamed through
   ``nlp.pipe`` in batches (several processes on request); long articles are parsed in
   pieces and joined back into one document (``pieces.py``);
3. **actors** (``actors/resolve.py``): actor mentions resolved to country, sector,
   organisation, person and office, later references linked to earlier actors;
4. **events** (``events/coder.py``): triggers, codes, source and target, status,
   attribution, confidence;
4b. **models** (``models/apply.py``): the learned classifier and role tagger vote with the
   rules (off with ``models=False`` / ``dyad code --no-models``);
5. **when** (``when/``): each event's date from the article's own words (an event that
   took its participants from another takes its date too);
6. **where** (``where.py``): each event's place from the gazetteer;
7. **claims** (``claims.py``): quantitative statements with subject, period and source;
8. **dedup** (``dedup.py``): one event per happening within the article;
9. **records** (``records.py``): drafts become interchange records with stable ids.

Before the stages, **language** (``language.py``) sets aside articles that are not in
English (reported through ``on_skip``) unless a translator for their language is given.
Reading inputs (``read.py``, through the input boundary ``boundary.py``) happens before,
writing (stdout, ``store.py``) after. Articles given to the API directly pass the same
boundary (:func:`dyad.boundary.check_article`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc

from dyad.actors.resolve import find_mentions
from dyad.boundary import DEFAULT_LIMITS, Limits, check_article, check_published
from dyad.claims import find_claims
from dyad.clean import clean
from dyad.dedup import dedup_events
from dyad.draft import ClaimDraft, CleanText, EventDraft, Mention
from dyad.errors import InputError
from dyad.events.coder import code_events, lend_dates
from dyad.events.ontology import load_ontology
from dyad.language import ENGLISH, language_of
from dyad.model import Article, Record
from dyad.models import apply_models
from dyad.parse import BATCH_SIZE, load_nlp
from dyad.pieces import pipe_pieces
from dyad.preload import start as start_preload
from dyad.preload import wait as wait_preload
from dyad.read import article_from_text
from dyad.records import claim_record, event_record
from dyad.when import date_events
from dyad.where import place_events

log = logging.getLogger(__name__)

ErrorHandler = Callable[[Article, Exception], None]
SkipHandler = Callable[[Article, str], None]
"""Called with an article that is not coded for its language, and that language's code."""
Translator = Callable[[Article], Article]
"""Turns an article in another language into the English article to code."""


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything the pipeline made of one article: for records, evaluation and debugging."""

    article: Article
    clean: CleanText
    doc: Doc
    mentions: tuple[Mention, ...]
    events: tuple[EventDraft, ...]
    claims: tuple[ClaimDraft, ...]
    records: tuple[Record, ...]


def analyze(cleaned: CleanText, doc: Doc, *, models: bool = True) -> Analysis:
    """Stages 3 to 9 for one cleaned and parsed article (``models``: the learned stage)."""
    article = cleaned.article
    published = article.published
    headings = cleaned.headings
    mentions = find_mentions(doc, published, headings)
    drafts = code_events(doc, mentions, headings)
    drafts = apply_models(doc, mentions, drafts, published, headings, models=models)
    drafts = lend_dates(date_events(drafts, doc, published))
    drafts = place_events(drafts, doc)
    claims = find_claims(doc, mentions, published, headings)
    drafts = dedup_events(drafts)
    ontology = load_ontology()
    records: list[Record] = [event_record(d, doc, cleaned, ontology) for d in drafts]
    records.extend(claim_record(c, cleaned) for c in claims)
    records.sort(key=lambda r: (r.evidence.start, r.kind != "event"))
    return Analysis(
        article=article,
        clean=cleaned,
        doc=doc,
        mentions=mentions,
        events=tuple(drafts),
        claims=tuple(claims),
        records=tuple(records),
    )


def _in_english(
    articles: Iterable[Article],
    translators: Mapping[str, Translator],
    on_skip: SkipHandler | None,
) -> Iterator[Article]:
    """The articles in English, translated ones included; the others go to ``on_skip``."""
    for article in articles:
        lang = language_of(article)
        if lang == ENGLISH:
            yield article
        elif lang in translators:
            yield translators[lang](article)
        elif on_skip is None:
            log.warning("%s: not English (language %s); not coded", article.origin, lang)
        else:
            on_skip(article, lang)


def analyze_many(
    articles: Iterable[Article],
    *,
    n_process: int | None = None,
    on_error: ErrorHandler | None = None,
    on_skip: SkipHandler | None = None,
    translators: Mapping[str, Translator] | None = None,
    batch_size: int = BATCH_SIZE,
    models: bool = True,
) -> Iterator[Analysis]:
    """Run the pipeline over articles, streaming, in input order.

    ``n_process`` > 1 parses with that many processes (worth it for hundreds of articles).
    ``models=False`` runs the rules alone (no learned classifier or role tagger).
    When a stage fails on one article, ``on_error(article, exc)`` is called and the rest go
    on; without a handler the exception propagates. Articles not in English are passed to
    ``on_skip(article, language)`` (logged as a warning without one) unless ``translators``
    maps their language to a :data:`Translator`. ``batch_size`` texts are parsed together
    (1 for a live stream, so that each record appears as its article arrives).
    """
    start_preload(models=models)
    nlp = load_nlp()
    english = _in_english(articles, translators or {}, on_skip)

    def cleaned() -> Iterator[tuple[str, CleanText]]:
        for article in english:
            try:
                c = clean(article)
            except Exception as exc:
                if on_error is None:
                    raise
                on_error(article, exc)
                continue
            yield c.text, c

    stream = pipe_pieces(nlp, cleaned(), batch_size=batch_size, n_process=max(1, n_process or 1))
    loading = models
    for doc, c in stream:
        if loading:  # the learned model, loading beside the parse: ready before first use
            wait_preload()
            loading = False
        try:
            yield analyze(c, doc, models=models)
        except Exception as exc:
            if on_error is None:
                raise
            log.exception("coding failed for %s", c.article.origin)
            on_error(c.article, exc)


def _as_article(
    item: object, published: date | None, origin: str, limits: Limits = DEFAULT_LIMITS
) -> Article:
    """An API input through the input boundary; :class:`InputError` naming it otherwise."""
    published = check_published(published, origin)
    if isinstance(item, Article):
        if item.published is None and published is not None:
            item = replace(item, published=published)
        return check_article(item, item.origin if item.origin != "<memory>" else origin, limits)
    if isinstance(item, str):
        return article_from_text(item, published=published, origin=origin, limits=limits)
    raise InputError(origin, f"expected a str or a dyad.Article, got {type(item).__name__}")


def code(
    text_or_article: Article | str,
    published: date | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    models: bool = True,
) -> list[Record]:
    """The records of one article (text or :class:`~dyad.model.Article`); ``models=False``
    runs the rules alone.

    Raises :class:`~dyad.errors.InputError` for an input the boundary refuses.
    """
    article = _as_article(text_or_article, published, "<memory>", limits)
    return [r for a in analyze_many([article], models=models) for r in a.records]


def code_many(
    articles: Iterable[Article | str],
    published: date | None = None,
    *,
    n_process: int | None = None,
    on_error: ErrorHandler | None = None,
    limits: Limits = DEFAULT_LIMITS,
    models: bool = True,
) -> Iterator[Record]:
    """Records for many articles, streamed in input order, parsed in batches.

    An input the boundary refuses raises :class:`~dyad.errors.InputError` (named
    ``<item N>``, counting from 1), as does a stage failing on one; with ``on_error`` the
    handler gets it instead (for a refused input, with a stand-in article carrying no text)
    and the batch goes on.
    """

    def stream() -> Iterator[Article]:
        for n, item in enumerate(articles, start=1):
            try:
                yield _as_article(item, published, f"<item {n}>", limits)
            except InputError as exc:
                if on_error is None:
                    raise
                on_error(Article(id=f"<item {n}>", text="", origin=exc.origin), exc)

    for analysis in analyze_many(stream(), n_process=n_process, on_error=on_error, models=models):
        yield from analysis.records
