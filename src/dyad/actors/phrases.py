"""The actor stage's phrase lookup, compiled once into the cache of compiled tables.

The resolver looks for thousands of names, titles and sector phrases (about 10,000 spellings)
in every article, some case-sensitive, the others not. spaCy's ``PhraseMatcher`` does this
well, but building it means tokenizing every phrase and adding its words to the vocabulary
on every run: about a second of start-up. :class:`PhraseTable` is the same search over the
same tokens, as a trie of token hashes that is built once (with the real tokenizer and the
real ``PhraseMatcher``), stored by :mod:`dyad.cache` under a key made of the phrases
themselves and the spaCy pipeline's name and version, and read back in milliseconds.

Its matches are exactly the ``PhraseMatcher``'s, in the same order: by start token, then by
length, and for one span in the order the matcher reports its labels (read from the real
matcher when the table is compiled). ``tests/actors/test_phrases.py`` checks this against
``PhraseMatcher`` itself.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from dyad.cache import cached

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Label: TypeAlias = tuple[str, str, str | None]
"""kind, key, sector: what a phrase names."""
Node: TypeAlias = tuple[tuple[Label, ...], dict[int, "Node"]]
"""The labels of the phrases that end here, and the next token hash -> the next node."""

Phrases: TypeAlias = Mapping[Label, Sequence[str]]
"""label -> its phrases, in the order they were added (the order matters for ties)."""


@dataclass(frozen=True, slots=True)
class PhraseTable:
    """Two tries of token hashes: one over the words as written, one over lower case."""

    exact: dict[int, Node]
    lower: dict[int, Node]

    def find(self, doc: Doc) -> Iterator[tuple[int, int, Label]]:
        """``(start, end, label)`` of every phrase in ``doc``: the case-sensitive matches
        first, then the others, each in ``PhraseMatcher`` order."""
        from spacy.attrs import LOWER, ORTH

        if len(doc) == 0:
            return
        rows = doc.to_array([ORTH, LOWER]).tolist()
        yield from _walk(self.exact, [r[0] for r in rows])
        yield from _walk(self.lower, [r[1] for r in rows])


def _walk(root: dict[int, Node], keys: list[int]) -> Iterator[tuple[int, int, Label]]:
    n = len(keys)
    for start in range(n):
        node = root.get(keys[start])
        end = start + 1
        while node is not None:
            labels, children = node
            for label in labels:
                yield start, end, label
            if end >= n:
                break
            node = children.get(keys[end])
            end += 1


def phrase_table(nlp: Language, exact: Phrases, lower: Phrases) -> PhraseTable:
    """The table for these phrases under ``nlp``'s tokenizer, from the cache when it was
    compiled from the same phrases and pipeline."""
    meta = nlp.meta
    content = json.dumps(
        [
            meta.get("lang"),
            meta.get("name"),
            meta.get("version"),
            [[list(k), list(v)] for k, v in exact.items()],
            [[list(k), list(v)] for k, v in lower.items()],
        ]
    ).encode()
    key = hashlib.sha256(content).hexdigest()
    return cached(
        "actor-phrases", [Path(__file__)], lambda: compile_table(nlp, exact, lower), key=key
    )


def compile_table(nlp: Language, exact: Phrases, lower: Phrases) -> PhraseTable:
    """Tokenize the phrases, build ``PhraseMatcher``s over them and record their tries."""
    return PhraseTable(_compile(nlp, exact, "ORTH"), _compile(nlp, lower, "LOWER"))


def _compile(nlp: Language, phrases: Phrases, attr: str) -> dict[int, Node]:
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    by_id: dict[int, Label] = {}
    keyed: set[tuple[int, ...]] = set()
    for label, texts in phrases.items():
        name = "|".join(str(part or "") for part in label)
        docs = [nlp.make_doc(t) for t in sorted(set(texts))]
        matcher.add(name, docs)
        by_id[nlp.vocab.strings[name]] = label
        for d in docs:
            keyed.add(tuple(t.orth if attr == "ORTH" else t.lower for t in d))
    root: dict[int, Node] = {}
    for tokens in sorted(keyed):
        words = [nlp.vocab.strings[h] for h in tokens]
        probe = Doc(nlp.vocab, words=words, spaces=[False] * len(words))
        labels = tuple(by_id[m] for m, s, e in matcher(probe) if s == 0 and e == len(tokens))
        _insert(root, tokens, labels)
    return root


def _insert(root: dict[int, Node], tokens: tuple[int, ...], labels: tuple[Label, ...]) -> None:
    children = root
    for i, token in enumerate(tokens):
        node = children.get(token)
        if node is None:
            node = ((), {})
        if i == len(tokens) - 1:
            node = (labels, node[1])
        children[token] = node
        children = node[1]
