"""Stage 0: the language of each article, so that non-English text is never silently empty.

The coder reads English. An article in another language is reported (standard error in the
CLI, counted in the summary) and skipped, unless a *translator* for its language is given:

    from dyad.pipeline import analyze_many

    def spanish_to_english(article: Article) -> Article:
        return replace(article, text=my_mt_model(article.text), language="en")

    analyze_many(articles, translators={"es": spanish_to_english})

A translator takes an :class:`~dyad.model.Article` and returns the English article to code
(offsets in the records then refer to the translated text); the same hook fits another
language's model. Readers take the language too: ``iter_inputs(..., language="fr")`` (the
CLI's ``--language``) declares it for every input, a JSONL line may carry ``"language"``;
``None`` (the default, ``--language auto``) means detect it.

Detection uses ``py3langid`` (langid.py's model, 97 languages, shipped inside the package;
nothing is downloaded). Short texts are ambiguous ("Lavrov met Blinken." looks Dutch), so an
article counts as another language only when the detector is confident
(:data:`MIN_CONFIDENCE`) and gives English almost no chance (:data:`MAX_ENGLISH`); anything
unsure is coded as English.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dyad.model import Article

log = logging.getLogger(__name__)

ENGLISH = "en"
MIN_CONFIDENCE = 0.5
"""The detected language's probability must reach this for the text to count as it."""
MAX_ENGLISH = 0.05
"""...and English's probability must stay below this."""
SAMPLE_CHARS = 600
"""Only the start of a long article is looked at (plenty for a confident answer)."""


@dataclass(frozen=True, slots=True)
class Detected:
    """A detected language (ISO 639-1 code) and the detector's probability for it."""

    code: str
    confidence: float
    english: float
    """The detector's probability for English."""

    @property
    def is_english(self) -> bool:
        return self.code == ENGLISH or not (
            self.confidence >= MIN_CONFIDENCE and self.english < MAX_ENGLISH
        )


_lock = threading.Lock()


def _model_arrays() -> dict[str, Any]:
    """The detector's tables, unpacked from the package's compressed model file."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE, _load_model_file

    ptc, pc, classes, nextmove, row, output = _load_model_file(MODEL_DIR / MODEL_FILE)
    return {
        "ptc": np.asarray(ptc),
        "pc": np.asarray(pc),
        "classes": np.asarray(classes),
        "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
        "row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
        "output": np.asarray(output, dtype=np.int32),
    }


@cache
def _load_identifier() -> Any:
    """py3langid's identifier over its tables: unpacked once into the cache of compiled
    tables (``dyad.cache``) and memory-mapped from there (unpacking takes about a second)."""
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    from dyad.cache import cached_arrays

    a = cached_arrays("langid", [MODEL_DIR / MODEL_FILE, Path(__file__)], _model_arrays)
    return LanguageIdentifier(
        a["ptc"],
        a["pc"],
        [str(c) for c in a["classes"]],
        a["nextmove"].data,  # indexed per byte of text: plain ints, as in py3langid
        a["output"].data,
        norm_probs=True,
        tk_row=a["row"].tolist(),
    )


def _identifier() -> Any:
    with _lock:
        return _load_identifier()


def preload() -> None:
    """Start loading the detector's model in a background thread.

    Mapping the cached tables takes milliseconds; with an empty cache the compressed model
    is unpacked first, which takes about as long as spaCy takes to load, and decompression
    releases the interpreter lock, so both load at once on two cores.
    """
    if _load_identifier.cache_info().currsize == 0:
        threading.Thread(target=_identifier, name="dyad-langid", daemon=True).start()


def detect(text: str) -> Detected:
    """The most likely language of ``text``."""
    ranked = _identifier().rank(text[:SAMPLE_CHARS])
    code, confidence = ranked[0]
    english = next((p for c, p in ranked if c == ENGLISH), 0.0)
    return Detected(str(code), float(confidence), float(english))


def language_of(article: Article) -> str:
    """The article's declared language, or the detected one (``"en"`` when unsure)."""
    if article.language:
        return article.language.lower()
    found = detect(article.text)
    if found.is_english:
        return ENGLISH
    log.debug(
        "%s: detected %s (%.2f; English %.3f)",
        article.origin,
        found.code,
        found.confidence,
        found.english,
    )
    return found.code
