"""Extraction: a spaCy pipeline that turns articles into per-document records.

The names below are imported from their modules when first used, so that ``import extract``
(and the records, linking and errors, which need no spaCy) does not import spaCy: a rebuild
whose every document is in the store never does.
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from extract.countries import resolve_country
    from extract.dates import resolve_date
    from extract.document import extract_article, extract_articles
    from extract.errors import ExtractionError, GazetteerError, ModelNotFoundError
    from extract.gazetteer import Gazetteer, load_gazetteer
    from extract.linking import LinkedEntity, link_records
    from extract.pipeline import Pipeline, load_pipeline
    from extract.records import DocumentRecord, Entity, Event, Mention, Relation, Role, Sentence

_MODULES = {
    "resolve_country": "extract.countries",
    "resolve_date": "extract.dates",
    "extract_article": "extract.document",
    "extract_articles": "extract.document",
    "ExtractionError": "extract.errors",
    "GazetteerError": "extract.errors",
    "ModelNotFoundError": "extract.errors",
    "Gazetteer": "extract.gazetteer",
    "load_gazetteer": "extract.gazetteer",
    "LinkedEntity": "extract.linking",
    "link_records": "extract.linking",
    "Pipeline": "extract.pipeline",
    "load_pipeline": "extract.pipeline",
    **dict.fromkeys(["DocumentRecord", "Entity", "Event", "Mention", "Relation", "Role", "Sentence"], "extract.records"),
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'extract' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
