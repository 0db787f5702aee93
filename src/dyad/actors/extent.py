"""The extent of an actor's noun phrase: all the words that name the actor in the text.

The resolver decides who a phrase names from a few of its words ("Syrian government forces"
in "Syrian government forces loyal to the president"); the mention's character offsets
cover the whole noun phrase as a reader would mark it: its determiners and modifiers, its
"of" and other prepositional phrases, appositions and parentheses ("the rebel-held enclave
of Eastern Ghouta near the capital", "its president, Jeff Mason", "the Government
Accountability Office (GAO)"). Clauses (relative, participial, complement), coordinated
phrases and their conjunctions are left out: a clause may hold the event itself, and every
conjunct is a mention of its own.
"""

from __future__ import annotations

from spacy.tokens import Token

# Children of a phrase whose words are not part of it.
_OUTSIDE = frozenset(
    {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "conj", "cc", "preconj", "mark"}
)
# Words that never start or end a phrase's extent.
_EDGE_PUNCT = frozenset({"PUNCT", "SPACE", "CCONJ"})


def _words(head: Token) -> set[int]:
    """The token indices of ``head``'s subtree, less the children that are not the phrase."""
    out = {head.i}
    stack = [head]
    while stack:
        tok = stack.pop()
        for child in tok.children:
            if child.dep_ in _OUTSIDE:
                continue
            out.add(child.i)
            stack.append(child)
    return out


def phrase_extent(head: Token, start: int, end: int, floor: int = 0) -> tuple[int, int]:
    """Token range ``[first, last)`` of the noun phrase around the words ``[start, end)``
    headed by ``head``: the words a reader takes as naming the actor.

    The range is contiguous (it stops at the first word that is not part of the phrase),
    stays inside ``head``'s sentence and after ``floor`` (a wire dateline), always covers
    ``[start, end)``, and drops punctuation and conjunctions at its edges.
    """
    words = _words(head)
    sent = head.sent
    lo, hi = max(sent.start, floor), sent.end
    first = min(start, head.i)
    while first - 1 >= lo and first - 1 in words:
        first -= 1
    last = max(end, head.i + 1)
    while last < hi and last in words:
        last += 1
    doc = head.doc
    while first < min(start, head.i) and doc[first].pos_ in _EDGE_PUNCT:
        first += 1
    while last > max(end, head.i + 1) and doc[last - 1].pos_ in _EDGE_PUNCT:
        if doc[last - 1].text == ")" and "(" in doc[first : last - 1].text:
            break  # "the Government Accountability Office (GAO)"
        last -= 1
    return first, last
