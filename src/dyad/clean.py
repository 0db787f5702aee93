"""Stage 2: :class:`~dyad.model.Article` -> :class:`~dyad.draft.CleanText`.

Page furniture that is not the article (read-more links, share and subscribe prompts,
bylines, photo credits, copyright lines, reporting trailers, media promos) is removed; the
rest of the text is kept character for character. Section headings and a title line are kept
but marked, so that later stages produce no records from them.

Furniture is recognised by two tables of compiled patterns, each with the reason recorded in
:class:`~dyad.draft.Removed`:

- :data:`LINE_RULES` match a whole line (stripped); the line goes, with its line break.
- :data:`SPAN_RULES` match a parenthesised credit inside a line, e.g. ``(Photo by X/AFP)``;
  the span goes with the space before it. A line left empty goes entirely.

Line rules are anchored at the start of the line and most of them need a separator or a
line that is only the prompt, so a sentence that merely contains "read more" is kept.

When a removed line sat between two paragraphs, the blank lines on both sides would merge
into a wider gap: only the widest of them is kept, so paragraphs stay as the text had them.
The cleaned text ends with a line break exactly when the raw text does.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from dyad.draft import CleanText, Removed, Segment
from dyad.model import Article

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LineRule:
    """A line that matches ``pattern`` in full (stripped, at most ``max_words``) is furniture."""

    reason: str
    pattern: re.Pattern[str]
    max_words: int = 40


@dataclass(frozen=True, slots=True)
class SpanRule:
    """A stretch inside a line that matches ``pattern`` is furniture."""

    reason: str
    pattern: re.Pattern[str]


def _rx(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(pattern, flags)


def _alt(*parts: str) -> str:
    """A non-capturing alternation of regular-expression parts."""
    return "(?:" + "|".join(parts) + ")"


def _any(words: str) -> str:
    """A non-capturing alternation of the space-separated parts of ``words``."""
    return _alt(*words.split())


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_SEP = r"\s*[:|»›>\-–—]"
"""A separator after a prompt word: "Read more: ...", "Related | ...", "Watch - ..."."""

_NO_FINAL_STOP = r"(?<![.!?])"
"""Ends patterns that would otherwise also match a prose sentence."""

_SOCIAL = _alt(
    "facebook", "twitter", "x", "linkedin", "whatsapp", "telegram", "reddit", "instagram",
    "youtube", "tiktok", "threads", "bluesky", "pinterest", "flipboard", "messenger", "e-?mail",
)  # fmt: skip
_SHARE_ITEM = _alt(
    r"share(?: this (?:article|story|page|post|video))?(?: (?:on|via|to|with) " + _SOCIAL + ")?",
    r"tweet(?: this)?",
    r"e-?mail(?: this (?:article|story|page))?",
    r"print(?: this (?:article|story|page))?",
    r"copy(?: the)? link",
    r"save(?: article| for later)?",
    r"comments?",
    r"gift (?:this )?article",
    _SOCIAL,
)

# Bylines: "By Jane Doe", "By Jane Doe and John Roe, Reuters", "BY JANE DOE | AFP | May 4".
# Name words are capitalised (this pattern is case-sensitive but for "by"); after a
# separator come more capitalised words, numbers, times and a few small words.
_WORD = r"(?:[A-Z]\.|[A-Z][\w'’]*(?:-[\w'’]+)*)"
_PARTICLE = _any("de da del della der den di dos du el al bin ibn la le ter van von")
_NAME = rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+){{0,2}}{_WORD}){{0,3}}"
_TAIL_WORD = _alt(
    _WORD, r"\d+(?:[:.]\d+)*", r"a\.m\.", r"p\.m\.", _any("am pm and of the in at for on")
)
_NOT_A_NAME = (
    "(?!"
    + _any(
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April"
        " May June July August September October November December Then Now Early Late Mid The"
        " This That These Those Noon Midnight Tonight Today Tomorrow Yesterday Contrast"
        " Comparison Law Far Way All Some Most"
    )
    + r"\b)"
)
_BYLINE = (
    rf"(?i:by)\s+{_NOT_A_NAME}{_NAME}(?:\s+(?:and|&)\s+{_NAME})?"
    rf"(?:(?:\s*[,|/–—]\s*|\s+-\s+|\s+(?:in|for|at)\s+){_TAIL_WORD}(?:\s+{_TAIL_WORD})*)*"
)
_CREDIT_AGENCY = _alt(
    "REUTERS", "AP Photo", "AFP", "AFP PHOTO", "EPA-EFE", "EPA", "ANADOLU", "XINHUA", "Xinhua",
    "SPUTNIK", "TASS",
)  # fmt: skip

LINE_RULES: tuple[LineRule, ...] = (
    LineRule(
        "read-more link",
        _rx(rf"read (?:more|next)(?:{_SEP}.*|\s+(?:about|on|here|at|from|in)\b.*)?"),
    ),
    LineRule("read-more link", _rx(rf"(?:also read|read also)(?:{_SEP}.*|\s+.+)?")),
    LineRule("read-more link", _rx(rf"(?:more|further|recommended) reading(?:{_SEP}.*)?")),
    LineRule(
        "related-links prompt",
        _rx(
            r"related(?:\s+"
            + _any("articles? stories story coverage content news reading links topics")
            + rf")?(?:{_SEP}.*)?"
        ),
    ),
    LineRule("see-also link", _rx(rf"see also(?:{_SEP}.*|\s+.+)?")),
    LineRule(
        "click-through prompt",
        _rx(
            r"click (?:here|to "
            + _any("read see watch view share enlarge expand play listen subscribe follow")
            + r")\b.*"
        ),
    ),
    LineRule("share prompt", _rx(rf"{_SHARE_ITEM}(?:\s*[:|•·,/\-–—]?\s*{_SHARE_ITEM})*\W*"), 12),
    LineRule(
        "subscription prompt",
        _rx(
            _alt(
                r"subscribe\b",
                r"sign up\b",
                r"register (?:now|here|for free|today)\b",
                r"get (?:our|the)\s.{0,60}?(?:newsletter|briefing|alerts?|in your inbox)\b",
                rf"newsletters?(?:{_SEP}|$)",
                r"already a subscriber\b",
                r"become a (?:member|subscriber)\b",
            )
            + ".*"
        ),
        30,
    ),
    LineRule(
        "social-media prompt",
        _rx(
            _alt(rf"follow (?:us|@\w+|.{{1,60}}? on {_SOCIAL}\b)", "like us on facebook")
            + ".*"
            + _NO_FINAL_STOP
        ),
        25,
    ),
    LineRule(
        "advertisement",
        _rx(
            _alt(
                "advertisement",
                "advertising",
                "ad",
                "sponsored(?: content)?",
                "paid (?:content|partnership|post)",
                "story continues (?:below|after)(?: (?:this|the))? (?:advertisement|ad)",
                "scroll (?:down )?to continue(?: (?:with content|reading))?",
                "continue reading(?: (?:below|the main story|the article))?",
            )
            + r"\W*"
        ),
        12,
    ),
    LineRule("byline", re.compile(_BYLINE + _NO_FINAL_STOP), 20),
    LineRule(
        "byline",
        _rx(
            _any("written reported story words text compiled edited produced filed posted")
            + r" by\s+\S.*"
            + _NO_FINAL_STOP
        ),
        20,
    ),
    LineRule(
        "photo credit",
        _rx(
            r"(?:(?:main|top|header|cover|file|featured) )?"
            + _any("photos? photograph pictures? images? graphic illustration caption")
            + r"(?: credit)?\s*[:|]\s*.+"
        ),
    ),
    LineRule("photo credit", _rx(r"(?:photo |image )?credits?\s*:\s*.+"), 25),
    LineRule("photo credit", _rx(r"file (?:photo|picture|image|footage)\b.*")),
    LineRule(
        "photo credit",
        _rx(
            r"\(?\s*(?:photos?|pictures?|images?) (?:by|courtesy of|from|supplied by)\s+\S.*"
            + _NO_FINAL_STOP
        ),
        20,
    ),
    LineRule(
        "photo credit",
        re.compile(
            ".*"
            + _alt(
                rf"\b{_CREDIT_AGENCY}\s*/\s*{_WORD}(?:\s+{_WORD}){{0,3}}",
                r"(?:/|\bvia|\|)\s*Getty Images(?: for \S+)?",
            )
            + r"\s*\)?"
        ),
    ),
    LineRule(
        "copyright notice",
        _rx(_alt(r"copyright\s*(?:©|\(c\))", r"copyright\s+\d{4}", "©", r"\(c\)\s*\d{4}") + ".*"),
        30,
    ),
    LineRule("copyright notice", _rx(r"copyright|(?:.*[.,|·]\s*)?all rights reserved\W*"), 25),
    LineRule(
        "reporting credits",
        _rx(
            r"\(?\s*(?:(?:additional|contributing)\s+)?"
            + _any("reporting writing editing research graphics fact-checking production")
            + r"\s+by\s+\S.*"
            + _NO_FINAL_STOP
        ),
        60,
    ),
    LineRule(
        "media promo",
        _rx(
            _alt(
                r"(?:watch|listen|podcast|audio|video|live)\s*[:|–—]\s*.+",
                r"(?:listen to this (?:article|story)|watch (?:the |our )?(?:video|live|now)"
                r"|listen now|play video)\b.*" + _NO_FINAL_STOP,
            )
        ),
        25,
    ),
    LineRule(
        "navigation label",
        _rx(
            _alt(
                "most (?:read|popular|viewed|shared)",
                "trending(?: now| stories)?",
                "(?:top|more|latest) stories",
                "you (?:may|might) also like",
                "don'?t miss",
                "recommended(?: for you| stories)?",
                "editor'?s picks?",
                "more on this (?:story|topic)",
            )
            + r"\W*"
        ),
        8,
    ),
)
"""Whole-line furniture, tried in order; the first rule that matches gives the reason."""

_CREDIT_WORDS = _alt(
    _any("photos? photograph pictures? images? video credit courtesy"),
    "file photo",
    "photo credit",
    "image credit",
)

SPAN_RULES: tuple[SpanRule, ...] = (
    SpanRule("photo credit", _rx(rf"\(\s*{_CREDIT_WORDS}\b[^()\n]{{0,120}}\)")),
    SpanRule(
        "photo credit",
        _rx(
            r"\((?:reuters|afp|ap|epa|xinhua|anadolu|getty images)\s+(?:photo|picture|image)s?\s*\)"
        ),
    ),
    SpanRule(
        "photo credit",
        re.compile(
            r"\([^()\n]{0,80}"
            + _alt(
                r"/\s*Getty Images",
                r"\bvia Getty Images",
                r"\bREUTERS/",
                r"\bAP Photo/",
                r"\bAFP PHOTO\b",
                r"/AFP\b",
                r"/EPA\b",
                r"\bEPA-EFE/",
            )
            + r"[^()\n]{0,60}\)"
        ),
    ),
    SpanRule(
        "reporting credits",
        _rx(r"\(\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b[^()\n]{0,300}\)"),
    ),
)
"""Furniture inside a line: parenthesised credits."""


# --- furniture ------------------------------------------------------------------------


def line_furniture(line: str) -> str | None:
    """The reason a whole line is furniture, or None when it is part of the article."""
    stripped = line.strip()
    if not stripped:
        return None
    words = len(stripped.split())
    for rule in LINE_RULES:
        if words <= rule.max_words and rule.pattern.fullmatch(stripped):
            return rule.reason
    return None


def _span_furniture(line: str, offset: int) -> list[tuple[int, int, str]]:
    """Inline furniture in ``line`` (which starts at ``offset`` in the raw text).

    Each span takes the spaces before it along, or the spaces after it when it opens the line.
    """
    found: list[tuple[int, int, str]] = []
    for rule in SPAN_RULES:
        for m in rule.pattern.finditer(line):
            start, end = m.span()
            if any(s < end and start < e for s, e, _ in found):
                continue
            if start > 0 and line[start - 1] in " \t":
                while start > 0 and line[start - 1] in " \t":
                    start -= 1
            else:
                while end < len(line) and line[end] in " \t":
                    end += 1
            found.append((start, end, rule.reason))
    return sorted((s + offset, e + offset, r) for s, e, r in found)


# --- lines ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    """End of the line's content."""
    stop: int
    """End of the line including its line break (``end + 1``, or ``end`` for the last line)."""


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        if nl < 0:
            lines.append(_Line(pos, len(text), len(text)))
            break
        lines.append(_Line(pos, nl, nl + 1))
        pos = nl + 1
    return lines


def _surplus_blank_lines(blank: list[bool], dropped: dict[int, str]) -> list[int]:
    """Blank lines to drop so that removed lines leave no wider gap between paragraphs.

    Between two kept lines of text, the blank lines left around removed lines form several
    runs; the widest run stays (the first run before the text starts, the last one after it
    ends), the others go.
    """
    surplus: list[int] = []
    gap: list[int] = []
    seen_text = False
    for i in [*range(len(blank)), -1]:
        if i >= 0 and (blank[i] or i in dropped):
            gap.append(i)
            continue
        if any(j in dropped for j in gap):
            runs: list[list[int]] = [[]]
            for j in gap:
                if j in dropped:
                    runs.append([])
                else:
                    runs[-1].append(j)
            if not seen_text and i < 0:
                keep = []  # nothing but furniture and blank lines: nothing is left
            elif not seen_text:
                keep = runs[0]
            elif i < 0:
                keep = runs[-1]
            else:
                keep = max(runs, key=len)
            surplus.extend(j for run in runs if run is not keep for j in run)
        gap = []
        seen_text = True
    return surplus


def _merge(removals: list[tuple[int, int, str | None]]) -> list[Removed]:
    """Sorted, non-overlapping removals; a blank-line filler (reason None) joins a neighbour."""
    merged: list[tuple[int, int, str | None]] = []
    for start, end, reason in sorted(removals):
        if merged and start <= merged[-1][1]:
            p_start, p_end, p_reason = merged[-1]
            if p_reason is None or reason is None or p_reason == reason or start < p_end:
                merged[-1] = (p_start, max(p_end, end), p_reason or reason)
                continue
        merged.append((start, end, reason))
    return [Removed(s, e, r or "blank line left by removed furniture") for s, e, r in merged]


# --- headings ---------------------------------------------------------------------------

HEADING_MAX_WORDS = 12
TITLE_MAX_WORDS = 20

_MINOR_WORDS = _word_set(
    "a an the and or but nor of in on at to for by with from as into onto over amid after"
    " before vs via per than about against between under up out off is are its his her"
    " their s"
)
_TRAILING_MINOR = _word_set("a an the and or but nor of to for by with from between than")
"""Words a heading does not end with; a line ending in one runs on into the next."""
_CLOSERS = "\"'”’»)]"
_SENTENCE_END = ".!?:;…"
_END_PUNCT = ".!?:;,…"
_WORD_RX = re.compile(r"[^\W\d_][\w'’\-]*")


def _final_char(line: str) -> str:
    stripped = line.rstrip().rstrip(_CLOSERS)
    return stripped[-1:] if stripped else ""


def _heading_shape(line: str, max_words: int) -> bool:
    """Short, no final punctuation, starts with a capital, mostly Title Case or ALL CAPS."""
    stripped = line.strip()
    words = _WORD_RX.findall(stripped)
    if not words or len(stripped.split()) > max_words or _final_char(stripped) in _END_PUNCT:
        return False
    if not words[0][0].isupper() or words[-1].lower() in _TRAILING_MINOR:
        return False
    letters = [c for c in stripped if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    significant = [w for w in words[1:] if w.lower() not in _MINOR_WORDS]
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised >= 0.75 * len(significant)


def _title_line(lines: list[str], i: int, article_title: str | None) -> bool:
    """The first line is a title when it looks like one or repeats the article's title."""
    line = lines[i].strip()
    if article_title and line.casefold() == article_title.strip().casefold():
        return True
    if _heading_shape(line, TITLE_MAX_WORDS):
        return True
    standalone = i + 1 >= len(lines) or not lines[i + 1].strip()
    return (
        standalone
        and line[:1].isupper()
        and len(line.split()) <= TITLE_MAX_WORDS
        and _final_char(line) not in _END_PUNCT
    )


def _headings(text: str, article_title: str | None) -> tuple[tuple[int, int], ...]:
    """Character ranges of the title line and section headings in the cleaned text.

    A range runs from the heading's first character through the spaces and line breaks after
    it, as a parsed sentence of the heading does, so ``is_heading(sent.start_char,
    sent.end_char)`` holds for it.
    """
    lines = text.split("\n")
    starts: list[int] = []
    pos = 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    marked: list[int] = []
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        after = next((ln for ln in lines[i + 1 :] if ln.strip()), None)
        if i == first:
            # a title heads something: a text of one line is the text, not its title
            is_heading = after is not None and _title_line(lines, i, article_title)
        else:
            previous = lines[i - 1] if i > 0 else ""
            following = lines[i + 1] if i + 1 < len(lines) else ""
            is_heading = (
                _heading_shape(line, HEADING_MAX_WORDS)
                and after is not None
                and (
                    not previous.strip()
                    or (marked and marked[-1] == i - 1)
                    or _final_char(previous) in _SENTENCE_END
                )
                and not following.lstrip()[:1].islower()
            )
        if is_heading:
            marked.append(i)
    ranges: list[tuple[int, int]] = []
    for i in marked:
        line = lines[i]
        start = starts[i] + len(line) - len(line.lstrip())
        end = starts[i] + len(line.rstrip())
        while end < len(text) and text[end].isspace():
            end += 1
        ranges.append((start, end))
    return tuple(ranges)


# --- datelines --------------------------------------------------------------------------

_DATELINE = re.compile(
    r"\A\s*(?P<place>[A-Z][A-Za-z'’.\- ]{1,40}?)"
    r"(?:,\s*(?P<qual>[A-Z][A-Za-z.'’\- ]{1,30}?))?"
    r"(?:,?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"(?:,\s*\d{4})?)?"
    r"\s*(?:\((?P<agency>[^)\n]{1,40})\))?"
    r"\s*(?:--|—|–|-|:)\s"
)


@dataclass(frozen=True, slots=True)
class DatelineMatch:
    """A wire dateline at the start of a text ("KYIV, May 3 (Reuters) - ")."""

    start: int
    end: int
    """Just past the separator: the story proper starts here."""
    place: str
    place_start: int
    qualifier: str | None
    agency: str | None


def find_dateline(text: str) -> DatelineMatch | None:
    """The dateline opening ``text``, if it has one: an upper-case place name (or any place
    name with an agency in brackets), an optional qualifier and date, then a dash or colon.
    Its words are where the story was filed from, not actors or event dates."""
    m = _DATELINE.match(text[:160])
    if m is None:
        return None
    raw = m.group("place").strip()
    letters = [c for c in raw if c.isalpha()]
    if len(letters) < 3 or not (all(c.isupper() for c in letters) or m.group("agency")):
        return None  # "KYIV, May 3 -" or "Kyiv (AFP) -", not a sentence that starts "Russia -"
    return DatelineMatch(
        start=m.start("place"),
        end=m.end(),
        place=raw,
        place_start=m.start("place"),
        qualifier=m.group("qual"),
        agency=m.group("agency"),
    )


# --- the stage --------------------------------------------------------------------------


def clean(article: Article) -> CleanText:
    """The article's text with page furniture removed and headings marked.

    ``segments`` map the cleaned text back to ``article.text``, in text order.
    """
    raw = article.text
    lines = _lines(raw)
    dropped: dict[int, str] = {}
    cuts: list[tuple[int, int, str | None]] = []
    for i, ln in enumerate(lines):
        content = raw[ln.start : ln.end]
        reason = line_furniture(content)
        if reason is None:
            spans = _span_furniture(content, ln.start)
            left = "".join(
                raw[a:b] for a, b in _complement([(s, e) for s, e, _ in spans], ln.start, ln.end)
            )
            if spans and not left.strip():
                reason = spans[0][2]
            else:
                cuts.extend(spans)
        if reason is not None:
            dropped[i] = reason
    blank = [not raw[ln.start : ln.end].strip() for ln in lines]
    removals: list[tuple[int, int, str | None]] = [
        (lines[i].start, lines[i].stop, reason) for i, reason in dropped.items()
    ]
    removals += [
        (lines[i].start, lines[i].stop, None) for i in _surplus_blank_lines(blank, dropped)
    ]
    removals += cuts
    removed = _merge(removals)
    kept = _complement([(r.start, r.end) for r in removed], 0, len(raw))
    if kept and kept[-1][1] < len(raw) and raw[kept[-1][1] - 1] == "\n" and raw[-1] != "\n":
        # the text now ends with the line break of a line whose successors all went
        removals.append((kept[-1][1] - 1, kept[-1][1], None))
        removed = _merge(removals)
        kept = _complement([(r.start, r.end) for r in removed], 0, len(raw))
    segments: list[Segment] = []
    pieces: list[str] = []
    at = 0
    for a, b in kept:
        segments.append(Segment(clean_start=at, clean_end=at + (b - a), raw_start=a))
        pieces.append(raw[a:b])
        at += b - a
    text = "".join(pieces)
    if removed:
        log.debug(
            "%s: removed %d stretches of furniture (%d characters)",
            article.origin,
            len(removed),
            sum(r.end - r.start for r in removed),
        )
    return CleanText(
        article=article,
        text=text,
        headings=_headings(text, article.title),
        removed=tuple(removed),
        segments=tuple(segments),
    )


def _complement(ranges: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The parts of [start, end) not covered by ``ranges`` (sorted, non-overlapping)."""
    out: list[tuple[int, int]] = []
    pos = start
    for a, b in sorted(ranges):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        out.append((pos, end))
    return out
