"""Stage 7: quantitative claims (how much, of what, whose, when, says who).

GDELT drops the numbers; dyad writes each quantitative statement as a claim record:
:func:`find_claims` reads them from a parsed article, :func:`parse_quantity` reads one
written amount ("$200 billion", "fell by a third") on its own. See :mod:`dyad.claims.find`
for what is extracted and :mod:`dyad.claims.quantity` for the value conventions (base
units, signed changes, ranges and vague plurals).
"""

from dyad.claims.find import find_claims
from dyad.claims.lexicon import Lexicon, load_lexicon
from dyad.claims.quantity import Amount, parse_quantity, scan_amounts

__all__ = ["Amount", "Lexicon", "find_claims", "load_lexicon", "parse_quantity", "scan_amounts"]
