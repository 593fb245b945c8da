"""Reading JSON Lines: one article record per line."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import logging
import os
import re
from collections.abc import Iterator
from typing import IO, Any

from sources.enrich import enrich
from sources.records import Article, Skipped
from sources.text import binary_kind, clean_text, detect_encoding

__all__ = ["read_jsonl", "read_jsonl_file", "read_jsonl_line"]

_LOG = logging.getLogger("diplograph.sources")

# A lone \ud83d escape (half an emoji, cut by a truncating writer) decodes to a lone surrogate,
# which no UTF-8 output and no spaCy tokenizer accepts.
_SURROGATE = re.compile("[\ud800-\udfff]")

# How much of a file is looked at for a byte-order mark or a binary signature.
_HEAD = 4096


def read_jsonl(text: str, *, path: str | os.PathLike[str] = "") -> Iterator[Article | Skipped]:
    """Read article records from JSON Lines text, one per line; a bad line is skipped, not fatal.

    Each line is read by :func:`read_jsonl_line`; blank lines are passed over.

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
    >>> lines = '{"id": "a", "text": "Envoys met.", "published": "2021-05-06"}\\n{"id": [7], "text": "x"}\\n'
    >>> for item in read_jsonl(lines, path="in.jsonl"):
    ...     print(item if isinstance(item, Skipped) else (item.id, item.published, item.line))
    ('a', datetime.date(2021, 5, 6), 1)
    in.jsonl:2: bad id: expected a string or an integer, got array
    """
    where = os.fspath(path)
    for number, line in enumerate(text.split("\n"), start=1):
        result = read_jsonl_line(line, path=where, line=number)
        if result is not None:
            yield result


def read_jsonl_line(text: str, *, path: str = "", line: int = 1) -> Article | Skipped | None:
    """Read one JSON Lines record: an article, a skip saying why not, or None for a blank line.

    The record is an object with ``id`` (a non-empty string, or an integer, read as its decimal
    string) and ``text`` (a non-empty string), and optionally ``title``, ``published`` (or
    ``date``; an ISO date, ``date_source`` ``"jsonl"``), ``outlet`` (or ``source``) and ``url``.
    A malformed optional field is ignored with a warning; what the record leaves out is looked
    for in the text (see :func:`sources.enrich.enrich`). A lone UTF-16 surrogate escape
    (``"\\ud83d"``, half an emoji) in a string field becomes U+FFFD, and control characters
    (``"\\u0000"``) in the id, title and text become spaces (see :func:`sources.text.clean_text`).

    Examples
    --------
    >>> read_jsonl_line('{"id": 12, "text": "Envoys\\\\u0000 met."}', path="f.jsonl", line=3).text
    'Envoys  met.'
    >>> print(read_jsonl_line('{"id": "a"}', path="f.jsonl", line=3))
    f.jsonl:3: missing text
    >>> read_jsonl_line("  ") is None
    True
    """
    if not text.strip():
        return None
    number = line
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return Skipped(path, f"bad JSON: {error.msg} at column {error.colno}", number)
    except RecursionError:  # json's C decoder recurses once per nesting level
        return Skipped(path, "bad JSON: nested too deeply", number)
    if isinstance(record, dict):
        record = {
            k: _SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v for k, v in record.items()
        }
    problem = _problem(record)
    if problem is not None:
        return Skipped(path, problem, number)
    return enrich(_article(record, path, number))


def read_jsonl_file(
    path: str | os.PathLike[str], *, max_line_bytes: int
) -> Iterator[Article | Skipped]:
    """Stream a JSON Lines file, one line in memory at a time, however large the file.

    The encoding is read per file from a byte-order mark (UTF-8, UTF-16, UTF-32), else each line
    is UTF-8 or, failing that, what :func:`sources.text.decode_text` detects for it. A file that
    starts like a known binary format, or has NUL bytes and no byte-order mark, is skipped whole.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    max_line_bytes : int
        A longer line (one record) is skipped with a ``"too large"`` reason; the others are read.

    Yields
    ------
    Article or Skipped
        As :func:`read_jsonl`; a file with no record at all yields one ``"empty"`` skip.

    Raises
    ------
    OSError
        When the file cannot be opened or read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> feed = pathlib.Path(tempfile.mkdtemp()) / "feed.jsonl"
    >>> _ = feed.write_text('{"id": "a", "text": "Envoys met."}\\n{"id": "b", "text": "%s"}\\n' % ("x" * 99))
    >>> for item in read_jsonl_file(feed, max_line_bytes=64):
    ...     print(item.id if isinstance(item, Article) else item.reason)
    a
    too large: line of 123 bytes, over the 64-byte limit per record (raise it with --max-bytes or max_bytes=)
    """
    where = os.fspath(path)
    with open(where, "rb") as raw:
        head = raw.read(_HEAD)
        raw.seek(0)
        kind = binary_kind(head)
        if kind is not None:
            yield Skipped(where, f"binary: looks like {kind}")
            return
        encoding = _bom_encoding(head)
        if encoding is None and b"\x00" in head:
            yield Skipped(where, "binary: NUL bytes and no byte-order mark")
            return
        if encoding == "utf-8-sig":  # read as bytes, past the mark, like unmarked UTF-8
            raw.seek(len(codecs.BOM_UTF8))
            encoding = None
        stream: IO[bytes] | IO[str] = (
            raw if encoding is None else io.TextIOWrapper(raw, encoding=encoding, newline="")
        )
        found = False
        for number, line in _lines(stream, where, max_line_bytes):
            if isinstance(line, Skipped):
                found = True
                yield line
                continue
            result = read_jsonl_line(line, path=where, line=number)
            if result is not None:
                found = True
                yield result
        if not found:
            yield Skipped(where, "empty")


def _bom_encoding(head: bytes) -> str | None:
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return encoding
    return None


def _lines(
    stream: IO[bytes] | IO[str], path: str, limit: int
) -> Iterator[tuple[int, str | Skipped]]:
    """(line number, decoded line or a skip) for each line, reading at most ``limit`` + 1 at once."""
    number = 0
    fallback: str | None = None
    while True:
        try:
            chunk = stream.readline(limit + 1)
        except UnicodeDecodeError as error:  # only a text stream, after a UTF-16/32 mark
            yield number + 1, Skipped(
                path, f"undecodable: bad {error.encoding} after its BOM; rest of file", number + 1
            )
            return
        if not chunk:
            return
        number += 1
        if len(chunk) > limit and not _ends_line(chunk):
            size = len(chunk) + _drain_line(stream, limit)
            unit = "bytes" if isinstance(chunk, bytes) else "characters"
            yield number, Skipped(
                path,
                f"too large: line of {size:,} {unit}, over the {limit:,}-byte limit per record "
                "(raise it with --max-bytes or max_bytes=)",
                number,
            )
            continue
        if isinstance(chunk, str):
            line: str | Skipped = chunk.rstrip("\r\n")
        else:
            try:
                line = chunk.rstrip(b"\r\n").decode("utf-8")
            except UnicodeDecodeError:
                if fallback is None:  # a legacy export: one encoding for the file, from 1 MiB
                    fallback = _sample_encoding(path, stream.tell() - len(chunk))
                try:
                    line = clean_text(chunk.rstrip(b"\r\n").decode(fallback or "utf-8"))
                except UnicodeDecodeError:
                    why = f"undecodable: neither UTF-8 nor {fallback}" if fallback else "undecodable"
                    line = Skipped(path, why, number)
        if isinstance(line, str) and "\r" in line:  # old Mac line ends, alone or mixed with others
            parts = line.split("\r")
            for part in parts[:-1]:
                yield number, part
                number += 1
            line = parts[-1]
        yield number, line


def _sample_encoding(path: str, offset: int) -> str | None:
    """The encoding detected in up to 1 MiB of ``path`` from ``offset``."""
    with open(path, "rb") as raw:
        raw.seek(offset)
        sample = raw.read(2**20)
    return detect_encoding(sample)


def _ends_line(chunk: bytes | str) -> bool:
    return chunk.endswith(b"\n") if isinstance(chunk, bytes) else chunk.endswith("\n")


def _drain_line(stream: IO[bytes] | IO[str], limit: int) -> int:
    """Read to the end of the current line; how much was read."""
    size = 0
    while True:
        try:
            chunk = stream.readline(limit + 1)
        except UnicodeDecodeError:  # the next read reports it
            return size
        size += len(chunk)
        if not chunk or _ends_line(chunk):
            return size


def _problem(record: Any) -> str | None:
    """Why ``record`` cannot be an article, or None."""
    if not isinstance(record, dict):
        return f"bad record: expected a JSON object, got {_kind(record)}"
    for name in ("id", "text"):
        if name not in record:
            return f"missing {name}"
        value = record[name]
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            continue
        if not isinstance(value, str):
            expected = "a string or an integer" if name == "id" else "a string"
            return f"bad {name}: expected {expected}, got {_kind(value)}"
        if not clean_text(value).strip():  # nothing but spaces and control characters
            return f"empty {name}"
    return None


def _kind(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _article(record: dict[str, Any], path: str, line: int) -> Article:
    published = _published(record, path, line)
    return Article(
        id=clean_text(str(record["id"])),
        text=clean_text(record["text"]),
        title=clean_text(_string(record, ("title",), path, line) or ""),
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
        problem = "expected an ISO date"
        if isinstance(value, str):
            try:
                return dt.datetime.fromisoformat(value.strip()).date()
            except ValueError as error:
                problem += f" ({error})" if "range" in str(error) else ""
        _LOG.warning("%s:%d: ignoring %s %r: %s", path, line, name, value, problem)
    return None
