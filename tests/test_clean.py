"""Stage 2: page furniture out, headings marked, every kept character mapped back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyad.clean import LINE_RULES, SPAN_RULES, clean, line_furniture
from dyad.draft import CleanText
from dyad.model import Article
from dyad.read import article_from_text, read_path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / ".." / "shared" / "seed" / "article.txt"


def cleaned(text: str, title: str | None = None) -> CleanText:
    return clean(Article(id="t", text=text, title=title))


def assert_maps_back(c: CleanText) -> None:
    raw = c.article.text
    for i, ch in enumerate(c.text):
        assert raw[c.to_raw(i)] == ch, (i, ch)
    assert c.to_raw(len(c.text)) <= len(raw)
    covered = sum(s.clean_end - s.clean_start for s in c.segments)
    assert covered == len(c.text)
    for seg in c.segments:
        span = seg.clean_end - seg.clean_start
        assert c.text[seg.clean_start : seg.clean_end] == raw[seg.raw_start : seg.raw_start + span]
    assert sum(r.end - r.start for r in c.removed) == len(raw) - len(c.text)


def heading_texts(c: CleanText) -> list[str]:
    for a, b in c.headings:
        assert not c.text[a].isspace() and (b == len(c.text) or not c.text[b].isspace())
    return [c.text[a:b].rstrip() for a, b in c.headings]


# --- furniture lines ----------------------------------------------------------------------

FURNITURE = [
    ("Read more: Chile's Senate approves pension overhaul", "read-more link"),
    ("READ MORE | Markets close higher", "read-more link"),
    ("Read more", "read-more link"),
    ("Read more about the sanctions here", "read-more link"),
    ("Read next: Flood warnings issued for the Danube", "read-more link"),
    ("Also read: Budget vote delayed again", "read-more link"),
    ("Also read Vietnam's exports jump in February", "read-more link"),
    ("Further reading", "read-more link"),
    ("Related: Japan and Philippines near defence pact", "related-links prompt"),
    ("Related articles", "related-links prompt"),
    ("Related Stories:", "related-links prompt"),
    ("Related coverage - Kenya's tax protests", "related-links prompt"),
    ("See also", "see-also link"),
    ("See also: Timeline of the border dispute", "see-also link"),
    ("Click here to read the full statement", "click-through prompt"),
    ("Click to enlarge", "click-through prompt"),
    ("Share this article", "share prompt"),
    ("Share on Facebook", "share prompt"),
    ("Share on Twitter | Share on X | Email", "share prompt"),
    ("Facebook Twitter WhatsApp Email", "share prompt"),
    ("Tweet", "share prompt"),
    ("Email", "share prompt"),
    ("Share:", "share prompt"),
    ("Subscribe to our newsletter", "subscription prompt"),
    ("Sign up for our daily briefing on world affairs.", "subscription prompt"),
    ("Get our Africa newsletter in your inbox every week", "subscription prompt"),
    ("Newsletter: The week in diplomacy", "subscription prompt"),
    ("Follow us on Twitter", "social-media prompt"),
    ("Follow Example News on Facebook and Instagram", "social-media prompt"),
    ("Advertisement", "advertisement"),
    ("ADVERTISEMENT", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("By Jane Doe", "byline"),
    ("By Jane Doe and John Roe, Reuters", "byline"),
    ("BY AHMED AL-HASSAN", "byline"),
    ("By Maria de la Cruz | Example Wire | May 4, 2024 10:32 GMT", "byline"),
    ("By J. Smith in Geneva", "byline"),
    ("Written by Ahmed Al-Hassan", "byline"),
    ("Reported by Lucy Njeri and Tom Otieno", "byline"),
    ("Photo: Jane Doe/AFP", "photo credit"),
    ("Image: Maria Lopez / Getty Images", "photo credit"),
    ("Photograph: Example Wire", "photo credit"),
    ("Caption: Ministers arrive at the talks", "photo credit"),
    ("File photo", "photo credit"),
    ("File photo: The presidential palace in Kinshasa", "photo credit"),
    ("Credit: Reuters", "photo credit"),
    ("(Photo by John Roe/AFP)", "photo credit"),
    ("Photo by Jane Doe/Example Wire", "photo credit"),
    ("Ministers shake hands in Geneva, May 4, 2024. REUTERS/Jane Doe", "photo credit"),
    ("Troops patrol near the border. AFP via Getty Images", "photo credit"),
    ("Copyright 2024 Example News", "copyright notice"),
    ("Copyright © Example Wire", "copyright notice"),
    ("© 2024 Example News. All rights reserved.", "copyright notice"),
    ("All rights reserved.", "copyright notice"),
    ("Reporting by Jane Doe in Geneva; Editing by John Roe", "reporting credits"),
    ("(Reporting by Jane Doe; Additional reporting by Ali Khan)", "reporting credits"),
    ("Additional reporting by Ali Khan in Islamabad", "reporting credits"),
    ("Watch: Leaders arrive for the summit", "media promo"),
    ("Listen: The week in diplomacy", "media promo"),
    ("Listen to this article", "media promo"),
    ("Most read", "navigation label"),
    ("You may also like", "navigation label"),
]  # fmt: skip

PROSE = [
    "He said he would read more of the report before deciding.",
    "Read more than 400 pages of testimony, the committee concluded the case was weak.",
    "Officials said the related talks would continue next week.",
    "Related talks were held in Geneva on Monday.",
    "By Tuesday, the troops had withdrawn from the border.",
    "By Russian standards, the vote was orderly.",
    "By contrast, exports to Germany fell 3%.",
    "By March, prices had risen 12% from a year earlier.",
    "Copyright disputes between the two firms have dragged on for years.",
    "Reporting by the state broadcaster suggested the toll was higher.",
    "A Reuters/Ipsos poll found 40% support for the measure.",
    "Photo agencies were barred from the courtroom.",
    "Newsletters published by the ministry blamed the opposition.",
    "Follow-up talks are planned for next week.",
    "Email records showed the minister had been warned.",
    "Live fire exercises continued on Tuesday.",
    "See the full text of the agreement, the ministry said in a statement.",
    "Share prices in Moscow fell 4% after the announcement.",
    "The minister said all rights reserved to member states would be respected by the court.",
    "Click and collect services were suspended during the protests, retailers said.",
    "Sign language interpreters were present at the news conference.",
    "Advertising revenue at state media rose 7% last year.",
    "Credit rating agencies downgraded the country's debt on Friday.",
    "Watch groups said the vote had been largely free and fair.",
    "Subscribers to the state broadcaster's service rose to 2 million.",
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE)
def test_furniture_lines_are_recognised(line: str, reason: str) -> None:
    assert line_furniture(line) == reason
    assert line_furniture(f"  {line}  ") == reason


@pytest.mark.parametrize("line", PROSE)
def test_prose_lines_are_kept(line: str) -> None:
    assert line_furniture(line) is None
    c = cleaned(f"First paragraph.\n{line}\nLast paragraph.")
    assert c.text == c.article.text
    assert c.removed == ()


def test_rule_tables_have_reasons() -> None:
    assert all(rule.reason and rule.pattern.pattern for rule in LINE_RULES)
    assert all(rule.reason and rule.pattern.pattern for rule in SPAN_RULES)


# --- removal, line breaks and offsets -----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A one.\nRead more: X\nB two.", "A one.\nB two."),
        ("A one.\n\nRead more: X\n\nB two.", "A one.\n\nB two."),
        ("A one.\nRead more: X\n\nB two.", "A one.\n\nB two."),
        ("A one.\n\nRead more: X\nB two.", "A one.\n\nB two."),
        ("A one.\n\nRead more: X\n\nRelated: Y\n\nB two.", "A one.\n\nB two."),
        ("A one.\n\n\nRead more: X\n\nB two.", "A one.\n\n\nB two."),
        ("By Jane Doe\n\nA one.\n\nB two.", "A one.\n\nB two."),
        ("\n\nBy Jane Doe\nA one.", "\n\nA one."),
        ("A one.\n\nCopyright 2024 Example News", "A one."),
        ("A one.\n\nCopyright 2024 Example News\n", "A one.\n"),
        ("A one.\nShare this article\nAdvertisement", "A one."),
        ("A one.\n\nB two.\n", "A one.\n\nB two.\n"),
        ("A one.\n\n\n\nB two.", "A one.\n\n\n\nB two."),
        ("Advertisement", ""),
    ],
)
def test_removed_lines_take_their_line_breaks(raw: str, expected: str) -> None:
    c = cleaned(raw)
    assert c.text == expected
    assert_maps_back(c)


@pytest.mark.parametrize(
    ("raw", "expected", "reason"),
    [
        (
            "Ministers met in Geneva (Photo by Jane Doe/AFP) on Tuesday.",
            "Ministers met in Geneva on Tuesday.",
            "photo credit",
        ),
        (
            "The convoy reached El Fasher. (Photo: WFP/Jane Doe)",
            "The convoy reached El Fasher.",
            "photo credit",
        ),
        (
            "(Reuters photo) Police fired tear gas in central Nairobi.",
            "Police fired tear gas in central Nairobi.",
            "photo credit",
        ),
        (
            "Talks will resume next month. (Reporting by Jane Doe; Editing by John Roe)",
            "Talks will resume next month.",
            "reporting credits",
        ),
        (
            "The minister (left) greets his counterpart (Image: Ali Khan / Getty Images).",
            "The minister (left) greets his counterpart.",
            "photo credit",
        ),
    ],
)
def test_inline_credits_are_cut(raw: str, expected: str, reason: str) -> None:
    c = cleaned(f"Opening line.\n{raw}\nClosing line.")
    assert c.text == f"Opening line.\n{expected}\nClosing line."
    assert [r.reason for r in c.removed] == [reason]
    assert_maps_back(c)


def test_parentheses_in_prose_are_kept() -> None:
    text = "The World Food Programme (WFP) said the Tine crossing (in Chad) was open.\nMore."
    assert cleaned(text).text == text


def test_removed_records_what_went_and_why() -> None:
    raw = "Read more: Old news\nBody line one.\nBy Jane Doe\nBody line two."
    c = cleaned(raw)
    assert [(raw[r.start : r.end], r.reason) for r in c.removed] == [
        ("Read more: Old news\n", "read-more link"),
        ("By Jane Doe\n", "byline"),
    ]


# --- headings -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "headings"),
    [
        ("Prose ends here.\nRenewed Strength in Partnership\nMore prose follows.", [1]),
        ("Prose ends here.\n\nTRADE AND ENERGY\n\nMore prose follows.", [2]),
        ("Prose ends here.\nWhat Comes Next?\nMore prose follows.", []),
        ("Prose ends here.\nEconomic ties are growing\nMore prose follows.", []),
        ("Prose ends here.\nRenewed Strength in Partnership", []),
        ("Prose ends here.\nRenewed Strength in Partnership\nand more prose.", []),
        ("Talks between the Foreign Ministers of\nRussia and China Went Well\nToday.", []),
        ("A.\nA Very Long Line With Far Too Many Title Case Words To Be A Real Heading\nB.", []),
        ("Ministers Meet in Geneva\nProse starts here.", [0]),
        ("Ministers meet in Geneva to discuss trade\n\nProse starts here.", [0]),
        ("Ministers meet in Geneva to discuss trade\nProse starts here.", []),
        ("GENEVA, May 4 (Wire) - Ministers met.\nProse.", []),
        ("Ministers Meet in Geneva\nBackground\nProse starts here.", [0, 1]),
    ],
)
def test_headings_are_marked(text: str, headings: list[int]) -> None:
    c = cleaned(text)
    lines = text.split("\n")
    assert heading_texts(c) == [lines[i] for i in headings]
    assert c.text == text


def test_title_repeated_as_first_line_is_a_heading() -> None:
    text = "Ministers meet in Geneva to discuss trade, officials say\nProse starts here."
    assert cleaned(text).headings == ()
    c = cleaned(text, title="Ministers meet in Geneva to discuss trade, officials say")
    assert heading_texts(c) == ["Ministers meet in Geneva to discuss trade, officials say"]
    assert c.is_heading(0, 10) and not c.is_heading(60, 70)


def test_heading_ranges_are_in_cleaned_text() -> None:
    raw = "Read more: X\nOpening sentence.\nBy Jane Doe\n\n  Section Two  \n\nClosing sentence."
    c = cleaned(raw)
    assert c.text == "Opening sentence.\n\n  Section Two  \n\nClosing sentence."
    assert heading_texts(c) == ["Section Two"]


@pytest.mark.slow
@pytest.mark.parametrize("gap", ["\n", "\n\n", " \n\n"])
def test_heading_sentences_are_headings(gap: str) -> None:
    from dyad.parse import parse_one

    text = f"Talks Resume in Geneva{gap}Diplomats met on Tuesday.{gap}Next Steps{gap}Talks go on."
    c = cleaned(text)
    assert heading_texts(c) == ["Talks Resume in Geneva", "Next Steps"]
    flags = [c.is_heading(s.start_char, s.end_char) for s in parse_one(c.text).sents]
    assert flags == [True, False, True, False]


# --- whole articles -----------------------------------------------------------------------


def test_seed_article() -> None:
    if not SEED.is_file():
        pytest.skip("the seed article (../shared/seed/article.txt) is not available")
    raw = SEED.read_text(encoding="utf-8")
    c = clean(article_from_text(raw, id="seed"))
    assert [r.reason for r in c.removed] == ["read-more link", "read-more link"]
    assert "Read more" not in c.text
    assert all(raw[r.start : r.end].strip().startswith("Read more:") for r in c.removed)
    assert len(c.headings) == 2
    for line in heading_texts(c):
        assert f"\n{line}\n" in c.text and len(line.split()) <= 12
    assert_maps_back(c)


def test_sample_with_furniture() -> None:
    items = list(read_path(REPO / "samples" / "corpus.jsonl"))
    art = next(a for a in items if isinstance(a, Article) and a.id == "philippines-china-shoal")
    c = clean(art)
    assert sorted({r.reason for r in c.removed}) == [
        "byline",
        "photo credit",
        "read-more link",
        "related-links prompt",
        "reporting credits",
        "share prompt",
    ]
    for gone in ("By Maria", "Photo:", "Read more", "Related:", "Also read", "Editing by", "Share"):
        assert gone not in c.text
    assert heading_texts(c) == ["Allies React"]
    assert c.text.startswith("MANILA, March 6") and c.text.endswith("later this month.")
    assert "\n\n\n" not in c.text
    assert_maps_back(c)


def test_every_sample_maps_back() -> None:
    for item in read_path(REPO / "samples"):
        assert isinstance(item, Article)
        assert_maps_back(clean(item))


# --- property -----------------------------------------------------------------------------

_VOCABULARY = (
    "the minister said talks would resume in Geneva next week after officials met on Tuesday"
    " to discuss trade energy and security"
)
_WORDS = st.sampled_from(_VOCABULARY.split())
_PROSE_LINE = st.builds(
    lambda words, end: " ".join(words).capitalize() + end,
    st.lists(_WORDS, min_size=3, max_size=14),
    st.sampled_from([".", "!", "?", '."', ".”"]),
)
_HEADING_LINE = st.builds(
    lambda words: " ".join(w.capitalize() for w in words),
    st.lists(_WORDS, min_size=1, max_size=6),
)
_FURNITURE_LINE = st.sampled_from([line for line, _ in FURNITURE])
_BLANK = st.sampled_from(["", " ", "\t"])


@st.composite
def _articles(draw: st.DrawFn) -> tuple[str, list[str]]:
    kinds = draw(
        st.lists(
            st.sampled_from(["prose", "prose", "prose", "heading", "furniture", "blank"]),
            min_size=1,
            max_size=25,
        )
    )
    lines: list[str] = []
    furniture: list[str] = []
    for kind in kinds:
        if kind == "prose":
            lines.append(draw(_PROSE_LINE))
        elif kind == "heading":
            lines.append(draw(_HEADING_LINE))
        elif kind == "blank":
            lines.append(draw(_BLANK))
        else:
            line = draw(_FURNITURE_LINE)
            lines.append(line)
            furniture.append(line)
    ending = draw(st.sampled_from(["", "\n"]))
    return "\n".join(lines) + ending, furniture


@settings(max_examples=300, deadline=None)
@given(_articles())
def test_property_offsets_map_back_and_furniture_goes(case: tuple[str, list[str]]) -> None:
    raw, furniture = case
    c = cleaned(raw)
    assert_maps_back(c)
    kept_lines = [line.strip() for line in c.text.split("\n")]
    for line in furniture:
        assert line.strip() not in kept_lines
    article_lines = [ln.strip() for ln in raw.split("\n") if ln.strip() and ln not in furniture]
    assert [ln for ln in kept_lines if ln] == article_lines
    for start, end in c.headings:
        assert 0 <= start < end <= len(c.text)
        assert "\n" not in c.text[start:end].rstrip()
    assert c.text.endswith("\n") == (raw.endswith("\n") and bool(c.text))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_property_any_text_maps_back(raw: str) -> None:
    assert_maps_back(cleaned(raw))
