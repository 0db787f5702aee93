"""Language detection and the pipeline's handling of articles not in English."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dyad.language import detect, language_of
from dyad.model import Article
from dyad.pipeline import _in_english


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("El gobierno anunció el lunes nuevas sanciones contra las empresas del sector.", "es"),
        ("Le ministre a rencontré mardi son homologue pour discuter du cessez-le-feu.", "fr"),
        ("Der Außenminister reiste am Montag zu Gesprächen über die Waffenruhe nach Kiew.", "de"),
        ("Il governo italiano ha condannato l'attacco e convocato l'ambasciatore.", "it"),
    ],
)
def test_other_languages_are_detected(text: str, code: str) -> None:
    assert language_of(Article(id="a", text=text)) == code


@pytest.mark.parametrize(
    "text",
    [
        "The foreign minister met his counterpart on Monday to discuss the ceasefire.",
        "Lavrov met Blinken.",  # too short to be sure: coded as English
        "KYIV, May 3 (Wire) - Ukraine said on Sunday it shot down 20 drones overnight.",
    ],
)
def test_english_or_unsure_is_english(text: str) -> None:
    assert language_of(Article(id="a", text=text)) == "en"


def test_declared_language_wins() -> None:
    art = Article(id="a", text="The minister met his counterpart.", language="FR")
    assert language_of(art) == "fr"
    assert detect(art.text).code == "en"


ES = Article(id="es", text="El gobierno anunció el lunes nuevas sanciones contra la empresa.")
EN = Article(id="en", text="The government announced new sanctions on Monday.")


def test_pipeline_reports_other_languages_and_codes_the_rest() -> None:
    skipped: list[tuple[str, str]] = []
    kept = list(_in_english([ES, EN], {}, lambda a, lang: skipped.append((a.id, lang))))
    assert [a.id for a in kept] == ["en"]
    assert skipped == [("es", "es")]


def test_a_translator_plugs_in_per_language() -> None:
    def translate(article: Article) -> Article:
        return replace(article, text="The government announced new sanctions.", language="en")

    kept = list(_in_english([ES, EN], {"es": translate}, None))
    assert [(a.id, a.text) for a in kept] == [
        ("es", "The government announced new sanctions."),
        ("en", EN.text),
    ]
