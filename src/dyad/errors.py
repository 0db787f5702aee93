"""One exception class per kind of failure. Every message names the input and says how to fix it."""

from __future__ import annotations


class DyadError(Exception):
    """Base class of every error dyad raises on purpose."""


class InputError(DyadError):
    """An input (file, folder, JSONL line, standard input) cannot be read as an article.

    ``origin`` names the input (a path, ``path:line``, ``<stdin>``) and ``reason`` says why.
    """

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class KnowledgeBaseError(DyadError):
    """A bundled data file (ontology, actor table, gazetteer alias) is missing or invalid."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ModelLoadError(DyadError):
    """The spaCy English model cannot be loaded."""


class EventModelError(DyadError):
    """The bundled event model (ONNX file, tokenizer, metadata) is missing, damaged or fails
    its checksum."""


class RecordError(DyadError):
    """A record does not follow the interchange format (docs/records.md)."""


class StoreError(DyadError):
    """The DuckDB store cannot be opened, migrated or written."""


class EvaluationError(DyadError):
    """A gold file for ``dyad eval`` is malformed or of an unknown format."""


class QueryError(DyadError):
    """A query argument (date, actor code, format) is invalid."""
