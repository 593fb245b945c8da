"""Extraction: a spaCy pipeline that turns articles into per-document records."""
