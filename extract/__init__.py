"""Extraction: a spaCy pipeline that turns articles into per-document records."""
from __future__ import annotations

from extract.countries import resolve_country
from extract.dates import resolve_date
from extract.document import extract_article, extract_articles
from extract.errors import ExtractionError, GazetteerError, ModelNotFoundError
from extract.gazetteer import Gazetteer, load_gazetteer
from extract.linking import LinkedEntity, link_records
from extract.pipeline import Pipeline, load_pipeline
from extract.records import DocumentRecord, Entity, Event, Mention, Relation, Role, Sentence

__all__ = [
    "DocumentRecord",
    "Entity",
    "Event",
    "ExtractionError",
    "Gazetteer",
    "GazetteerError",
    "LinkedEntity",
    "Mention",
    "ModelNotFoundError",
    "Pipeline",
    "Relation",
    "Role",
    "Sentence",
    "extract_article",
    "extract_articles",
    "link_records",
    "load_gazetteer",
    "load_pipeline",
    "resolve_country",
    "resolve_date",
]
