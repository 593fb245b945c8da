"""Reading news articles from text, HTML and JSONL files into :class:`Article` records."""

from __future__ import annotations

from sources.dates import DateInfo, detect_dates, parse_date
from sources.enrich import enrich
from sources.errors import ArticleReadError
from sources.files import (
    DEFAULT_MAX_BYTES,
    MAX_TEXT_CHARS,
    SUPPORTED_SUFFIXES,
    ReadReport,
    iter_articles,
    parse_size,
    read_file,
)
from sources.furniture import find_furniture, find_title
from sources.html import read_html
from sources.jsonl import read_jsonl, read_jsonl_file, read_jsonl_line
from sources.records import Article, Skipped
from sources.text import clean_text, decode_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "Article",
    "ArticleReadError",
    "DateInfo",
    "ReadReport",
    "Skipped",
    "clean_text",
    "decode_text",
    "detect_dates",
    "enrich",
    "find_furniture",
    "find_title",
    "iter_articles",
    "parse_size",
    "parse_date",
    "read_file",
    "read_html",
    "read_jsonl",
    "read_jsonl_file",
    "read_jsonl_line",
]
