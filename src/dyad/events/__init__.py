"""Event coding: the CAMEO/PLOVER ontology, the event lexicon and frames, and the coder.

``ontology`` (CAMEO codes, Goldstein weights, PLOVER types) and ``lexicon`` (trigger patterns
and complement frames) are data modules read once per process; ``coder`` applies them to
spaCy dependency parses and ``status`` decides whether an event happened, is denied, planned
or hypothetical.
"""
