"""Reading files and folders of articles: dispatch by extension, a report of what was skipped."""

from __future__ import annotations

import glob
import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sources.enrich import enrich
from sources.errors import ArticleReadError
from sources.html import read_html
from sources.jsonl import read_jsonl
from sources.records import Article, Skipped
from sources.text import decode_text

__all__ = ["SUPPORTED_SUFFIXES", "ReadReport", "iter_articles", "read_file"]

_LOG = logging.getLogger("diplograph.sources")

SUPPORTED_SUFFIXES = frozenset({".txt", ".html", ".htm", ".jsonl"})

_GLOB_CHARS = frozenset("*?[")


@dataclass
class ReadReport:
    """What one :func:`iter_articles` run read, skipped and ignored; filled in as it goes.

    Attributes
    ----------
    read : int
        Articles yielded.
    skipped : list of Skipped
        Inputs (files, or JSONL lines) that could not be used, with the reason.
    ignored : int
        Files inside folders passed over for their extension.

    Examples
    --------
    >>> report = ReadReport(read=5, skipped=[Skipped("a.txt", "empty"), Skipped("b.txt", "binary")])
    >>> report.summary()
    'read 5 articles, skipped 2 (1 empty, 1 binary)'
    >>> ReadReport(read=1, ignored=3).summary()
    'read 1 article, skipped 0, ignored 3 files'
    """

    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    ignored: int = 0

    def summary(self) -> str:
        """One line for a log or a CLI: counts, and the skips by kind of reason."""
        text = (
            f"read {self.read} article{'s' if self.read != 1 else ''}, skipped {len(self.skipped)}"
        )
        if self.skipped:
            kinds = Counter(_reason_kind(skipped.reason) for skipped in self.skipped)
            text += " (" + ", ".join(f"{count} {kind}" for kind, count in kinds.items()) + ")"
        if self.ignored:
            text += f", ignored {self.ignored} file{'s' if self.ignored != 1 else ''}"
        return text


def _reason_kind(reason: str) -> str:
    """The short kind a reason starts with: ``"bad JSON: Expecting value"`` -> ``"bad JSON"``."""
    return reason.partition(":")[0].strip()


def iter_articles(
    inputs: Iterable[str | os.PathLike[str]], *, report: ReadReport | None = None
) -> Iterator[Article]:
    """Read articles from files, folders and glob patterns, skipping what cannot be read.

    ``.txt``, ``.html``/``.htm`` and ``.jsonl`` files are read; folders are walked recursively
    in sorted order (hidden files and folders passed over, files of other extensions ignored
    and counted in ``report.ignored``). A document's id is its file name without extension, or
    for JSONL the record's ``id``. Nothing stops the batch: a missing path, a pattern matching
    nothing, a named file of another extension, an empty, binary or undecodable file, a bad
    JSONL line, HTML without main text and a repeated document id (the first is kept) each
    become a :class:`~sources.records.Skipped` in ``report.skipped``, logged at WARNING on the
    ``diplograph.sources`` logger.

    Parameters
    ----------
    inputs : iterable of str or os.PathLike
        Files, folders or glob patterns, read in the order given.
    report : ReadReport, optional
        Filled in as the articles are read.

    Yields
    ------
    Article
        Completed from its text (see :func:`sources.enrich.enrich`).

    Raises
    ------
    TypeError
        When ``inputs`` is a single path rather than a collection of them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "talks.txt").write_text("The envoys met in Geneva.", encoding="utf-8")
    >>> _ = (folder / "empty.txt").write_text("", encoding="utf-8")
    >>> _ = (folder / "logo.png").write_bytes(b"\\x89PNG")
    >>> report = ReadReport()
    >>> [article.id for article in iter_articles([folder], report=report)]
    ['talks']
    >>> report.summary()
    'read 1 article, skipped 1 (1 empty), ignored 1 file'
    """
    if isinstance(inputs, (str, bytes, os.PathLike)):
        raise TypeError(
            f"inputs must be a collection of paths, got the single path {inputs!r}; wrap it in a list"
        )
    return _iter_articles(inputs, report if report is not None else ReadReport())


def _iter_articles(
    inputs: Iterable[str | os.PathLike[str]], report: ReadReport
) -> Iterator[Article]:
    first_seen: dict[str, str] = {}
    for item in inputs:
        for entry in _expand(item, report):
            results: Iterable[Article | Skipped] = (
                [entry] if isinstance(entry, Skipped) else read_file(entry)
            )
            for result in results:
                if isinstance(result, Article):
                    where = result.path if result.line is None else f"{result.path}:{result.line}"
                    if result.id in first_seen:
                        reason = (
                            f"duplicate id: {result.id!r} already read from {first_seen[result.id]}"
                        )
                        result = Skipped(result.path, reason, result.line)
                    else:
                        first_seen[result.id] = where
                if isinstance(result, Skipped):
                    report.skipped.append(result)
                    _LOG.warning("%s", result)
                    continue
                report.read += 1
                yield result


def _expand(item: str | os.PathLike[str], report: ReadReport) -> Iterator[Path | Skipped]:
    """The files an input names, in order; a Skipped for an input that names none."""
    name = os.fspath(item)
    path = Path(name)
    if path.is_dir():
        yield from _walk(path, report)
    elif path.exists():
        if path.suffix.lower() in SUPPORTED_SUFFIXES:
            yield path
        else:
            expected = ", ".join(sorted(SUPPORTED_SUFFIXES))
            yield Skipped(
                name,
                f"unsupported extension: {path.suffix or '(none)'}; expected one of {expected}",
            )
    elif _GLOB_CHARS & set(name):
        matches = sorted(glob.glob(name, recursive=True))
        if not matches:
            yield Skipped(name, "no match: no file matches this pattern")
        for match in matches:
            matched = Path(match)
            if matched.is_dir():
                yield from _walk(matched, report)
            elif matched.suffix.lower() in SUPPORTED_SUFFIXES:
                yield matched
            else:
                report.ignored += 1
    else:
        yield Skipped(name, "not found: no such file or folder")


def _walk(folder: Path, report: ReadReport) -> Iterator[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            if file.startswith("."):
                continue
            path = Path(root, file)
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
            else:
                report.ignored += 1
    yield from sorted(found, key=lambda path: path.relative_to(folder).parts)


def read_file(path: str | os.PathLike[str]) -> Iterator[Article | Skipped]:
    """Read one ``.txt``, ``.html``/``.htm`` or ``.jsonl`` file; failures come back as skips.

    Parameters
    ----------
    path : str or os.PathLike
        The file; its extension picks the reader (anything but ``.html``, ``.htm`` and
        ``.jsonl`` is read as plain text).

    Yields
    ------
    Article or Skipped
        One of either for a text or HTML file, one per non-blank line for JSONL.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = path.write_bytes("Caf\\u00e9 talks \\u201cwent well\\u201d.".encode("cp1252"))
    >>> [article.text for article in read_file(path)]
    ['Café talks “went well”.']
    """
    where = os.fspath(path)
    file = Path(where)
    try:
        data = file.read_bytes()
    except OSError as error:
        yield Skipped(where, f"unreadable: {error.strerror or error}")
        return
    try:
        text = decode_text(data, path=where)
        suffix = file.suffix.lower()
        if suffix == ".jsonl":
            yield from read_jsonl(text, path=where)
        elif suffix in (".html", ".htm"):
            yield read_html(text, doc_id=file.stem, path=where)
        else:
            yield enrich(Article(id=file.stem, text=text, path=where))
    except ArticleReadError as error:
        yield Skipped(error.path, error.reason, error.line)
