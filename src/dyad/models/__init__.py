"""Learned models beside the rules: the event classifier and role tagger (one ONNX file).

:func:`apply_models` is the pipeline stage; :mod:`dyad.models.runtime` loads and runs the
bundled model with onnxruntime and tokenizers (no torch at run time).
"""

from dyad.models.apply import apply_models

__all__ = ["apply_models"]
