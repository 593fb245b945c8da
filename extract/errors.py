"""Errors raised by the extraction pipeline."""
from __future__ import annotations

__all__ = ["ExtractionError", "GazetteerError", "ModelNotFoundError"]


class ExtractionError(RuntimeError):
    """A document could not be processed; carries the document id."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(f"{doc_id}: {reason}")
        self.doc_id = doc_id
        self.reason = reason


class GazetteerError(ValueError):
    """A gazetteer file is not valid spaCy entity-ruler JSONL."""


class ModelNotFoundError(LookupError):
    """The spaCy model asked for by name is not installed."""
