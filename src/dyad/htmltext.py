"""Plain text from a web page that defeats the article extractor.

trafilatura builds an lxml tree; markup nested thousands of levels deep or broken badly
enough makes that fail or come back empty. This fallback streams the page through the
standard library's tolerant tokenizer, which keeps no tree, so no nesting is too deep: it
keeps every text node outside scripts, styles, templates and the head, with a line break
at the end of every block element.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
_BLOCKS = frozenset(
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
        "section", "article", "header", "footer", "blockquote", "pre", "dd", "dt", "main",
        "aside", "nav", "figure", "figcaption", "hr", "body", "html",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\u00a0]+")
_GAPS = re.compile(r"\n\s*\n+")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The page's visible text: one line per block, blank lines between paragraphs."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(collector.parts).split("\n"))
    text = "\n".join(lines)
    return _GAPS.sub("\n\n", text).strip() + "\n"
