"""Reading files and folders of articles: dispatch by extension, a report of what was skipped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import glob
import hashlib
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from sources.enrich import enrich
from sources.errors import ArticleReadError
from sources.html import read_html
from sources.jsonl import read_jsonl_file
from sources.records import Article, Skipped
from sources.text import decode_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "FileState",
    "ReadCache",
    "ReadReport",
    "file_state",
    "format_size",
    "iter_articles",
    "parse_size",
    "read_file",
]

_LOG = logging.getLogger("diplograph.sources")

SUPPORTED_SUFFIXES = frozenset({".txt", ".html", ".htm", ".jsonl"})

#: Largest ``.txt`` or ``.html`` file read (50 MiB); for ``.jsonl``, the largest line (record).
DEFAULT_MAX_BYTES = 50 * 2**20

#: Longest article text passed on (characters): spaCy's own default ``nlp.max_length``, past
#: which its parser needs more memory than a laptop has.
MAX_TEXT_CHARS = 1_000_000

_GLOB_CHARS = frozenset("*?[")

#: What tells a file apart from its earlier self: size, modification and change times (ns), inode.
FileState = tuple[int, int, int, int]


def file_state(path: str | os.PathLike[str]) -> FileState:
    """The :data:`FileState` of the file at `path` (raises OSError as :func:`os.stat` does).

    An edit that keeps the size and sets the modification time back still changes the change
    time, and a file put in the place of another (a copy, a rename) has another inode.
    """
    st = os.stat(path)
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)

#: Files whose article a :class:`ReadCache` may keep: one article each, nothing logged above
#: INFO while reading. A JSONL file's ignored fields are warned about on every read.
_CACHED_SUFFIXES = frozenset({".txt", ".html", ".htm"})


class ReadCache(Protocol):
    """The articles read before from files that have not changed since (see :func:`iter_articles`).

    ``get`` returns what :func:`read_file` gave for ``path`` when the file was in ``state``,
    or None; ``put`` keeps it. The cache decides what else makes an entry stale (the readers'
    code, ``max_bytes``): :class:`graph.store.ReadCache` is the one a build uses.
    """

    def get(self, path: str, state: FileState) -> list[Article] | None: ...

    def put(self, path: str, state: FileState, articles: list[Article]) -> None: ...

_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A size in bytes from ``"50M"``, ``"200MB"``, ``"1.5GiB"``, ``"4096"`` (units of 1024).

    Raises
    ------
    ValueError
        When ``text`` is not a positive size.

    Examples
    --------
    >>> parse_size("50M"), parse_size("200 MB"), parse_size("1.5GiB"), parse_size("4096")
    (52428800, 209715200, 1610612736, 4096)
    >>> parse_size("lots")
    Traceback (most recent call last):
    ...
    ValueError: not a size: 'lots'; expected a number of bytes, optionally with K, M or G
    """
    match = _SIZE.fullmatch(text)
    if match is None or (match[3] and not match[2] and match[3].lower() != "b"):
        raise ValueError(
            f"not a size: {text!r}; expected a number of bytes, optionally with K, M or G"
        )
    size = int(float(match[1]) * 1024 ** " kmgt".index(match[2].lower() or " "))
    if size <= 0:
        raise ValueError(f"not a size: {text!r}; expected more than 0 bytes")
    return size


def format_size(size: int) -> str:
    """``52428800`` -> ``"50 MiB"``; bytes below 1 KiB, one decimal where it matters.

    Examples
    --------
    >>> format_size(52428800), format_size(209715200), format_size(1536), format_size(12)
    ('50 MiB', '200 MiB', '1.5 KiB', '12 bytes')
    """
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f} {unit}".replace(".0 ", " ")


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
    notes : list of Skipped
        Articles read with something in them ignored (a publication date in the future).

    Examples
    --------
    >>> report = ReadReport(read=5, skipped=[Skipped("a.txt", "empty"), Skipped("b.txt", "binary")])
    >>> report.summary()
    'read 5 articles, skipped 2 (1 empty, 1 binary)'
    >>> ReadReport(read=1, ignored=3).summary()
    'read 1 article, skipped 0, ignored 3 files'
    >>> ReadReport(read=1, notes=[Skipped("a.txt", "future date: 2999-01-01")]).summary()
    'read 1 article, skipped 0, 1 note (1 future date)'
    """

    read: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    ignored: int = 0
    notes: list[Skipped] = field(default_factory=list)

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
        if self.notes:
            kinds = Counter(_reason_kind(note.reason) for note in self.notes)
            text += f", {len(self.notes)} note{'s' if len(self.notes) != 1 else ''} ("
            text += ", ".join(f"{count} {kind}" for kind, count in kinds.items()) + ")"
        return text


def _reason_kind(reason: str) -> str:
    """The short kind a reason starts with: ``"bad JSON: Expecting value"`` -> ``"bad JSON"``."""
    return reason.partition(":")[0].strip()


def iter_articles(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    report: ReadReport | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_chars: int = MAX_TEXT_CHARS,
    today: dt.date | None = None,
    cache: ReadCache | None = None,
) -> Iterator[Article]:
    """Read articles from files, folders and glob patterns, skipping what cannot be read.

    ``.txt``, ``.html``/``.htm`` and ``.jsonl`` files are read; folders are walked recursively
    in sorted order (hidden files and folders passed over, files of other extensions ignored
    and counted in ``report.ignored``; symlinked folders followed once: a link to a folder
    above it is reported as a symlink loop, one to a folder already walked as such). A document's id is its file name without extension, or
    for JSONL the record's ``id``. Nothing stops the batch: a missing path, a pattern matching
    nothing, a named file of another extension, something that is not a regular file (a FIFO,
    a device), a broken symlink, an unreadable, empty, binary, undecodable or too large file,
    a bad JSONL line, HTML without main text, a text longer than ``max_chars`` and a repeated
    document id (the first in reading order is kept) each become a
    :class:`~sources.records.Skipped` in ``report.skipped``, logged at WARNING on the
    ``diplograph.sources`` logger as ``path[:line]: reason``. A publication date after
    ``today`` is dropped (the article is kept) and noted in ``report.notes``.

    Parameters
    ----------
    inputs : iterable of str or os.PathLike
        Files, folders or glob patterns, read in the order given.
    report : ReadReport, optional
        Filled in as the articles are read.
    max_bytes : int, optional
        Largest ``.txt`` or ``.html`` file read, checked on its size before reading it;
        ``.jsonl`` files are streamed line by line, whatever their size, and the limit applies
        to each line.
    max_chars : int, optional
        Longest article text passed on.
    today : datetime.date, optional
        The day after which a publication date is in the future; the local date by default.
    cache : ReadCache, optional
        Articles of ``.txt`` and ``.html`` files read before: a file whose size, times and
        inode are those of an entry is not read again (reading, decoding and finding dates and
        furniture cost about 0.3 ms a file). Only files read without a skip are kept; the
        length and id checks and the future-date rule apply to cached articles as to read ones.

    Yields
    ------
    Article
        Completed from its text (see :func:`sources.enrich.enrich`).

    Raises
    ------
    TypeError
        When ``inputs`` is a single path rather than a collection of them.
    ValueError
        When ``max_bytes`` or ``max_chars`` is not positive.

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
    for name, value in (("max_bytes", max_bytes), ("max_chars", max_chars)):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return _iter_articles(
        inputs,
        report if report is not None else ReadReport(),
        max_bytes=max_bytes,
        max_chars=max_chars,
        today=today,
        cache=cache,
    )


def _iter_articles(
    inputs: Iterable[str | os.PathLike[str]],
    report: ReadReport,
    *,
    max_bytes: int,
    max_chars: int,
    today: dt.date | None,
    cache: ReadCache | None = None,
) -> Iterator[Article]:
    first_seen: dict[str, tuple[str, bytes]] = {}
    walked: dict[str, str] = {}
    for item in inputs:
        for entry in _expand(item, report, walked):
            results: Iterable[Article | Skipped]
            if isinstance(entry, Skipped):
                results = [entry]
            elif cache is not None and entry.suffix.lower() in _CACHED_SUFFIXES:
                results = _read_cached(entry, cache, max_bytes)
            else:
                results = read_file(entry, max_bytes=max_bytes)
            for result in results:
                if isinstance(result, Article):
                    result = _check(result, first_seen, max_chars)
                if isinstance(result, Skipped):
                    report.skipped.append(result)
                    _LOG.warning("%s", result)
                    continue
                result = _future_date(result, today or dt.date.today(), report)
                report.read += 1
                yield result


def _read_cached(file: Path, cache: ReadCache, max_bytes: int) -> list[Article] | list[Article | Skipped]:
    """:func:`read_file` of ``file``, or what it gave before if the file is unchanged since."""
    where = os.fspath(file)
    try:
        state = file_state(where)
    except OSError:
        return list(read_file(file, max_bytes=max_bytes))  # it says why
    found = cache.get(where, state)
    if found is not None:
        return found
    results = list(read_file(file, max_bytes=max_bytes))
    articles = [r for r in results if isinstance(r, Article)]
    if articles and len(articles) == len(results):
        cache.put(where, state, articles)
    return results


def _where(article: Article) -> str:
    return article.path if article.line is None else f"{article.path}:{article.line}"


def _check(
    article: Article, first_seen: dict[str, tuple[str, bytes]], max_chars: int
) -> Article | Skipped:
    """The article, or why it is skipped: too long, or an id read before."""
    if len(article.text) > max_chars:
        return Skipped(
            article.path,
            f"too long: {len(article.text):,} characters, over the limit of {max_chars:,} "
            "per article (spaCy's max_length); split the text into several articles",
            article.line,
        )
    digest = hashlib.blake2b(article.text.encode("utf-8", "replace"), digest_size=16).digest()
    if article.id in first_seen:
        where, seen = first_seen[article.id]
        same = "the same text" if seen == digest else "a different text"
        reason = f"duplicate id: {article.id!r} already read from {where} ({same})"
        return Skipped(article.path, reason, article.line)
    first_seen[article.id] = (_where(article), digest)
    return article


def _future_date(article: Article, today: dt.date, report: ReadReport) -> Article:
    """Drop a publication date after ``today`` (a typo or a bad feed), with a note."""
    if article.published is None or article.published <= today:
        return article
    note = Skipped(
        article.path,
        f"future date: publication date {article.published.isoformat()} "
        f"(from {article.date_source}) is after {today.isoformat()}; ignored",
        article.line,
    )
    report.notes.append(note)
    _LOG.warning("%s", note)
    return dataclasses.replace(article, published=None, date_source=None)


def _expand(
    item: str | os.PathLike[str], report: ReadReport, walked: dict[str, str]
) -> Iterator[Path | Skipped]:
    """The files an input names, in order; a Skipped for an input that names none."""
    name = os.fspath(item)
    path = Path(name)
    if path.is_dir():
        yield from _walk(path, report, walked)
    elif path.exists() or path.is_symlink():
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
                yield from _walk(matched, report, walked)
            elif matched.suffix.lower() in SUPPORTED_SUFFIXES:
                yield matched
            else:
                report.ignored += 1
    else:
        yield Skipped(name, "not found: no such file or folder")


def _walk(folder: Path, report: ReadReport, walked: dict[str, str]) -> Iterator[Path | Skipped]:
    """The article files under ``folder`` in sorted order, following symlinked folders once."""
    real = os.path.realpath(folder)
    if real in walked:
        yield Skipped(str(folder), f"already walked: the same folder as {walked[real]}")
        return
    walked[real] = str(folder)
    found: list[Path | Skipped] = []

    def unreadable(error: OSError) -> None:
        found.append(Skipped(error.filename or str(folder), f"unreadable folder: {error.strerror}"))

    for root, dirs, files in os.walk(folder, onerror=unreadable, followlinks=True):
        kept = []
        # Real folders claim their place before links to them do.
        for d in sorted(dirs, key=lambda d: (os.path.islink(os.path.join(root, d)), d)):
            if d.startswith("."):
                continue
            sub = os.path.join(root, d)
            target = os.path.realpath(sub)
            if target in walked:
                inside = (os.path.realpath(root) + os.sep).startswith(target + os.sep)
                kind = "symlink loop: leads back to" if inside else "already walked: the same folder as"
                found.append(Skipped(sub, f"{kind} {walked[target]}"))
                continue
            walked[target] = sub
            kept.append(d)
        dirs[:] = sorted(kept)
        for file in files:
            if file.startswith("."):
                continue
            path = Path(root, file)
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                found.append(path)
            else:
                report.ignored += 1

    def key(entry: Path | Skipped) -> tuple[str, ...]:
        return Path(entry.path if isinstance(entry, Skipped) else entry).relative_to(folder).parts

    yield from sorted(found, key=key)


def read_file(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Skipped]:
    """Read one ``.txt``, ``.html``/``.htm`` or ``.jsonl`` file; failures come back as skips.

    The file's size is checked before it is read: a ``.txt`` or ``.html`` file larger than
    ``max_bytes`` is refused (``"too large: ..."``, naming the limit); a ``.jsonl`` file is
    streamed a line at a time whatever its size, and a line longer than ``max_bytes`` is
    skipped.

    Parameters
    ----------
    path : str or os.PathLike
        The file; its extension picks the reader (anything but ``.html``, ``.htm`` and
        ``.jsonl`` is read as plain text).
    max_bytes : int, optional
        The size limit, :data:`DEFAULT_MAX_BYTES` (50 MiB) by default.

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
    >>> [skipped.reason for skipped in read_file(path, max_bytes=10)]  # doctest: +ELLIPSIS
    ['too large: 23 bytes, over the limit of 10 bytes per file; raise it with --max-bytes ...']
    """
    where = os.fspath(path)
    file = Path(where)
    suffix = file.suffix.lower()
    problem = _stat_problem(file, max_bytes, streamed=suffix == ".jsonl")
    if problem is not None:
        yield Skipped(where, problem)
        return
    try:
        if suffix == ".jsonl":
            yield from read_jsonl_file(where, max_line_bytes=max_bytes)
            return
        with open(where, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        yield Skipped(where, f"unreadable: {error.strerror or error}")
        return
    if len(data) > max_bytes:  # grew since stat(), or stat() could not tell
        yield Skipped(where, _too_large(len(data), max_bytes, at_least=True))
        return
    try:
        text = decode_text(data, path=where)
        if suffix in (".html", ".htm"):
            yield read_html(text, doc_id=_doc_id(file), path=where)
        else:
            yield enrich(Article(id=_doc_id(file), text=text, path=where))
    except ArticleReadError as error:
        yield Skipped(error.path, error.reason, error.line)


def _doc_id(file: Path) -> str:
    """The file name without its extension; a name that is not UTF-8 is read as cp1252.

    Python keeps such a name's bytes as lone surrogates (``"caf\\udce9"``), which no UTF-8
    output accepts; a legacy Windows or Latin-1 name is far likelier than anything else.
    """
    stem = file.stem
    try:
        stem.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(stem).decode("cp1252", "replace")
    return stem


def _stat_problem(file: Path, max_bytes: int, *, streamed: bool) -> str | None:
    """Why ``file`` cannot be read, as far as ``stat()`` tells, or None."""
    try:
        info = file.stat()
    except FileNotFoundError:
        if file.is_symlink():
            return f"broken symlink: its target {os.readlink(file)!r} does not exist"
        return "not found: no such file or folder"
    except OSError as error:  # ELOOP: a symlink pointing at itself, EACCES on a parent folder
        return f"unreadable: {error.strerror or error}"
    if stat.S_ISDIR(info.st_mode):
        return "not a file: a folder with an article's extension"
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket or a device"
        return f"not a regular file: {kind}"
    if not streamed and info.st_size > max_bytes:
        return _too_large(info.st_size, max_bytes)
    return None


def _too_large(size: int, max_bytes: int, *, at_least: bool = False) -> str:
    return (
        f"too large: {'over ' if at_least else ''}{format_size(size)}, over the limit of "
        f"{format_size(max_bytes)} per file; raise it with --max-bytes or max_bytes=, "
        "or split the file (a .jsonl file is read line by line)"
    )
