"""Reading JSON Lines: one article record per line."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Iterator
from typing import Any

from sources.enrich import enrich
from sources.records import Article, Skipped

__all__ = ["read_jsonl"]

_LOG = logging.getLogger("diplograph.sources")

# A lone \ud83d escape (half an emoji, cut by a truncating writer) decodes to a lone surrogate,
# which no UTF-8 output and no spaCy tokenizer accepts.
_SURROGATE = re.compile("[\ud800-\udfff]")


def read_jsonl(text: str, *, path: str | os.PathLike[str] = "") -> Iterator[Article | Skipped]:
    """Read article records from JSON Lines text, one per line; a bad line is skipped, not fatal.

    Each record is an object with ``id`` and ``text`` (non-empty strings) and optionally
    ``title``, ``published`` (or ``date``; an ISO date, ``date_source`` ``"jsonl"``), ``outlet``
    (or ``source``) and ``url``. A malformed optional field is ignored with a warning; what the
    record leaves out is looked for in the text (see :func:`sources.enrich.enrich`). Blank lines
    are passed over; a lone UTF-16 surrogate escape in a string field becomes U+FFFD.

    Parameters
    ----------
    text : str
        The decoded file content.
    path : str or os.PathLike, optional
        Where it was read from; recorded on articles and skips.

    Yields
    ------
    Article or Skipped
        In line order; a skip carries the 1-based line number and the reason.

    Examples
    --------
    >>> lines = '{"id": "a", "text": "Envoys met.", "published": "2021-05-06"}\\n{"id": 7, "text": "x"}\\n'
    >>> for item in read_jsonl(lines, path="in.jsonl"):
    ...     print(item if isinstance(item, Skipped) else (item.id, item.published, item.line))
    ('a', datetime.date(2021, 5, 6), 1)
    in.jsonl:2: bad id: expected a string, got int
    """
    where = os.fspath(path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield Skipped(where, f"bad JSON: {error.msg} at column {error.colno}", number)
            continue
        except RecursionError:  # json's C decoder recurses once per nesting level
            yield Skipped(where, "bad JSON: nested too deeply", number)
            continue
        if isinstance(record, dict):
            record = {
                k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in record.items()
            }
        problem = _problem(record)
        if problem is not None:
            yield Skipped(where, problem, number)
            continue
        yield enrich(_article(record, where, number))


def _problem(record: Any) -> str | None:
    """Why ``record`` cannot be an article, or None."""
    if not isinstance(record, dict):
        return f"bad record: expected a JSON object, got {_kind(record)}"
    for name in ("id", "text"):
        if name not in record:
            return f"missing {name}"
        value = record[name]
        if not isinstance(value, str):
            return f"bad {name}: expected a string, got {_kind(value)}"
        if not value.strip():
            return f"empty {name}"
    return None


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _article(record: dict[str, Any], path: str, line: int) -> Article:
    published = _published(record, path, line)
    return Article(
        id=record["id"],
        text=record["text"],
        title=_string(record, ("title",), path, line) or "",
        published=published,
        date_source="jsonl" if published is not None else None,
        outlet=_string(record, ("outlet", "source"), path, line),
        url=_string(record, ("url",), path, line),
        path=path,
        line=line,
    )


def _string(record: dict[str, Any], names: tuple[str, ...], path: str, line: int) -> str | None:
    for name in names:
        value = record.get(name)
        if value is None:
            continue
        if isinstance(value, str) and value.strip():
            return value.strip()
        _LOG.warning("%s:%d: ignoring %s %r: expected a non-empty string", path, line, name, value)
    return None


def _published(record: dict[str, Any], path: str, line: int) -> dt.date | None:
    for name in ("published", "date"):
        value = record.get(name)
        if value is None:
            continue
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value.strip()).date()
            except ValueError:
                pass
        _LOG.warning("%s:%d: ignoring %s %r: expected an ISO date", path, line, name, value)
    return None
