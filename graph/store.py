"""The incremental store: extraction records in SQLite, keyed by content and pipeline version."""
from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import Any

import orjson

from extract.pipeline import Pipeline
from extract.records import DocumentRecord
from graph._gc import collector_paused
from sources.files import FileState
from sources.records import Article

__all__ = ["ReadCache", "Store", "StoreError", "code_digest", "reader_version", "document_key", "extractor_version", "release", "renamed",
           "STORE_NAME"]

#: The store's file name inside the output folder when ``--store`` is not given.
STORE_NAME = "store.sqlite"

#: Bumped when the table layout changes; a store of another schema is refused, not guessed at.
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    doc_key  TEXT NOT NULL,
    pipeline TEXT NOT NULL,
    doc_id   TEXT NOT NULL,
    record   TEXT NOT NULL,
    PRIMARY KEY (doc_key, pipeline)
);
CREATE INDEX IF NOT EXISTS records_doc_id ON records (doc_id);
CREATE TABLE IF NOT EXISTS versions (
    pipeline  TEXT PRIMARY KEY,
    base      TEXT NOT NULL,
    gazetteer TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reads (
    path     TEXT PRIMARY KEY,
    state    TEXT NOT NULL,
    reader   TEXT NOT NULL,
    articles TEXT NOT NULL
);
"""


class StoreError(ValueError):
    """The store file cannot be used: not SQLite, or a schema this version does not know."""


def document_key(article: Article) -> str:
    """The sha256 of everything extraction reads from an article, except its name and path.

    Two files with the same text (and so the same title, date and furniture, which the readers
    derive from the text) have the same key whatever they are called; a changed text has a
    new key.

    Examples
    --------
    >>> a = Article("a", "Iran and China met.", path="x/a.txt")
    >>> document_key(a) == document_key(Article("b", "Iran and China met.", path="y/b.txt"))
    True
    >>> document_key(a) == document_key(Article("a", "Iran and China met again."))
    False
    >>> len(document_key(a))
    64
    """
    payload = {k: v for k, v in _article_json(article).items() if k not in ("id", "path", "line")}
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


@functools.lru_cache(maxsize=None)
def code_digest(package: str, skip: tuple[str, ...] = ()) -> str:
    """A digest of a package's code and data (``*.py`` and ``data/*``) as first loaded.

    The ``extract`` package's digest (without the gazetteers it ships) is part of every stored
    record's version, so new extraction code makes stored records stale; ``code_digest("graph")`` marks the outputs a build wrote.
    Computed once per process, from the files as they were when first asked: the code running.
    ``skip`` names files (relative to the package, ``data/x.jsonl``) left out.

    Examples
    --------
    >>> len(code_digest("extract")), code_digest("extract") == code_digest("graph")
    (12, False)
    """
    import importlib

    root = Path(importlib.import_module(package).__file__ or "").parent
    digest = hashlib.sha256()
    paths = [p for p in [*root.glob("*.py"), *root.glob("data/*")] if p.relative_to(root).as_posix() not in skip]
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def extractor_version(pipeline: Pipeline) -> str:
    """What a stored record was made by: model, gazetteers, spaCy and diplograph's extract code.

    A record stored under another version is reused only when just the gazetteers (shipped or
    given) changed and its document names none of the changed entries (:meth:`Store.carry_over`);
    changing the model, the spaCy release or the extraction code re-extracts every document.

    Examples
    --------
    >>> from extract.pipeline import load_pipeline
    >>> version = extractor_version(load_pipeline("blank"))
    >>> version  # doctest: +ELLIPSIS
    'pipeline-0.0.0+gaz...+spacy.3.8...+code...'
    """
    return f"{pipeline.version}+spacy.{release('spacy')}+code.{_extract_code()}"


def _extract_code() -> str:
    """The digest of the ``extract`` package without the gazetteers it ships: the pipeline's
    version hashes what extraction reads of those (:meth:`extract.gazetteer.Gazetteer.state`),
    so a change to them is carried over as a change to a user's file is."""
    from extract.gazetteer import default_gazetteer_files

    return code_digest("extract", tuple(sorted(f"data/{path.name}" for path in default_gazetteer_files())))


def _extractor_base(pipeline: Pipeline) -> str:
    """:func:`extractor_version` without the gazetteers: what records must share to be carried
    over from one gazetteer to another."""
    return f"{pipeline.model_version}+spacy.{release('spacy')}+code.{_extract_code()}"


def release(name: str) -> str:
    """The installed release of distribution ``name``, or ``""`` when it is not installed.

    Examples
    --------
    >>> release("networkx") != "", release("no-such-distribution-here")
    (True, '')
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def reader_version(max_bytes: int) -> str:
    """What an article read from a file depends on besides the file: the readers and their limit.

    The code of ``sources``, the releases of the libraries it reads with (trafilatura, lxml,
    charset-normalizer, python-dateutil) and ``max_bytes``. A cached read of another version is
    read again.

    Examples
    --------
    >>> reader_version(1024) == reader_version(1024), reader_version(1024) == reader_version(2048)
    (True, False)
    """
    libraries = ",".join(release(n) for n in ("trafilatura", "lxml", "charset-normalizer", "python-dateutil"))
    return f"code.{code_digest('sources')}+lib.{libraries}+max.{max_bytes}"


def _article_json(article: Article) -> dict[str, object]:
    return {
        "id": article.id, "text": article.text, "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "outlet": article.outlet, "url": article.url, "path": article.path, "line": article.line,
        "furniture": [list(span) for span in article.furniture],
        "date_source": article.date_source, "dateline": article.dateline,
    }


def _article(data: dict[str, Any]) -> Article:
    import datetime as dt

    published = data.get("published")
    return Article(
        id=data["id"], text=data["text"], title=data["title"],
        published=dt.date.fromisoformat(published) if published else None,
        outlet=data["outlet"], url=data["url"], path=data["path"], line=data["line"],
        furniture=tuple((int(a), int(b)) for a, b in data["furniture"]),
        date_source=data["date_source"], dateline=data["dateline"],
    )


def renamed(record: DocumentRecord, article: Article) -> DocumentRecord:
    """``record`` as extraction would have made it for ``article``, which has the same content.

    Only the name and the path differ, and the event ids made from the name
    (``event:<doc_id>:<n>``), which relations may point to.

    Examples
    --------
    >>> from extract.records import Event, Relation
    >>> rec = DocumentRecord("a", path="a.txt", events=(Event("event:a:0", "meeting", (), 0),),
    ...     relations=(Relation("event:a:0", "discussed", "topic:gaza", 0),))
    >>> new = renamed(rec, Article("b", "", path="b.txt"))
    >>> new.doc_id, new.path, new.events[0].id, new.relations[0].subject
    ('b', 'b.txt', 'event:b:0', 'event:b:0')
    """
    if record.doc_id == article.id and record.path == article.path:
        return record
    old, new = f"event:{record.doc_id}:", f"event:{article.id}:"

    def event_id(value: str) -> str:
        return new + value[len(old):] if value.startswith(old) else value

    return replace(
        record,
        doc_id=article.id,
        path=article.path,
        events=tuple(replace(e, id=event_id(e.id)) for e in record.events),
        relations=tuple(
            replace(r, subject=event_id(r.subject), object=event_id(r.object)) for r in record.relations
        ),
    )


def _record_text(rec: DocumentRecord) -> str:
    """A record as the store holds it: its JSON, keys sorted (orjson's, in C, when it can)."""
    data = rec.to_json()
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:  # orjson.JSONEncodeError too: a lone surrogate, a key that is no string
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def _loads(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # NaN, which the json module writes and orjson does not read
        return json.loads(text)


def _tokenizer(pipeline: Pipeline) -> Callable[[str], list[str]]:
    tokenizer = pipeline.nlp.tokenizer
    return lambda text: [token.text for token in tokenizer(text)]


class Store:
    """Extraction records in one SQLite file, one row per document content and pipeline version.

    Rows are keyed by :func:`document_key` and :func:`extractor_version`; each also carries the
    document id it was last stored under, and storing a document again under its id replaces
    whatever that id held before (a changed file's old record, or one of another model). The
    database runs in WAL mode and :meth:`put` commits once per call, so a killed process loses
    at most the call in flight.

    Parameters
    ----------
    path : path
        The SQLite file; it and its folder are created when missing.

    Raises
    ------
    StoreError
        If ``path`` is not a SQLite database, or holds a schema this version does not know.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "store.sqlite"
    >>> article = Article("d1", "Iran and China met.")
    >>> rec = DocumentRecord("d1", title="Talks")
    >>> with Store(path) as store:
    ...     stored = store.put([(document_key(article), rec)], "v1")
    ...     found = store.get([document_key(article)], "v1")
    ...     stale = store.get([document_key(article)], "v2")
    >>> found == {document_key(article): rec}, stale
    (True, {})
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=60.0)
        try:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            found = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if found not in (0, SCHEMA_VERSION):
                raise StoreError(
                    f"{self.path}: store schema {found}, this diplograph reads schema "
                    f"{SCHEMA_VERSION}; remove the file (it only caches extractions) or pass "
                    "another --store"
                )
            with self._conn:
                self._conn.executescript(_SCHEMA)
                self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: not a diplograph store ({exc})") from exc
        except BaseException:
            self._conn.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the database (its WAL is folded back into the file)."""
        self._conn.close()

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])

    def get(self, keys: Iterable[str], version: str) -> dict[str, DocumentRecord]:
        """The stored records of ``keys`` made by ``version`` (keys without one are left out).

        The garbage collector is paused while they are made (:func:`graph._gc.collector_paused`).
        """
        found: dict[str, DocumentRecord] = {}
        wanted = list(dict.fromkeys(keys))
        with collector_paused():
            for i in range(0, len(wanted), 500):  # SQLite caps the parameters of one statement
                chunk = wanted[i : i + 500]
                marks = ",".join("?" * len(chunk))
                rows = self._conn.execute(
                    f"SELECT doc_key, record FROM records WHERE pipeline = ? AND doc_key IN ({marks})",
                    [version, *chunk],
                )
                for key, text in rows:
                    found[key] = DocumentRecord.from_json(_loads(text))
        return found

    def present(self, keys: Iterable[str], version: str) -> set[str]:
        """Which of ``keys`` have a record made by ``version`` (without reading the records)."""
        found: set[str] = set()
        wanted = list(dict.fromkeys(keys))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            rows = self._conn.execute(
                f"SELECT doc_key FROM records WHERE pipeline = ? AND doc_key IN ({','.join('?' * len(chunk))})",
                [version, *chunk],
            )
            found.update(key for (key,) in rows)
        return found

    def put(self, items: Iterable[tuple[str, DocumentRecord]], version: str) -> int:
        """Store ``(document key, record)`` pairs made by ``version`` in one transaction.

        A record replaces the row of its content and version, and any other row stored under
        its document id. Returns the number of records stored.
        """
        rows = [
            (key, version, rec.doc_id, _record_text(rec))
            for key, rec in items
        ]
        with self._conn:
            self._conn.executemany(
                "DELETE FROM records WHERE doc_id = ? AND NOT (doc_key = ? AND pipeline = ?)",
                [(doc_id, key, ver) for key, ver, doc_id, _ in rows],
            )
            self._conn.executemany(
                "INSERT OR REPLACE INTO records (doc_key, pipeline, doc_id, record) VALUES (?, ?, ?, ?)",
                rows,
            )
        return len(rows)

    def carry_over(self, articles: Mapping[str, Article], pipeline: Pipeline) -> dict[str, DocumentRecord]:
        """Re-store under ``pipeline``'s version the records of ``articles`` (by document key)
        that another gazetteer made and a change to it cannot have touched; return them by key.

        A record qualifies when the model, spaCy and extraction code that made it are the
        pipeline's, and its document's text (:func:`extract.document.extraction_text`, in the
        pipeline's tokens) names no entry that differs between the two gazetteers
        (:func:`extract.gazetteer.changed_text`): extraction would make it again as it is, but
        for the version it names. Records of stores written before versions were kept here,
        and those of documents that name a changed entry, stay as they are (and are extracted
        again). This pipeline's version and gazetteer are kept for later builds.
        """
        from extract.gazetteer import changed_text

        version, base, state = extractor_version(pipeline), _extractor_base(pipeline), pipeline.gazetteer.state()
        with self._conn:
            self._conn.execute(
                "INSERT OR IGNORE INTO versions (pipeline, base, gazetteer) VALUES (?, ?, ?)",
                (version, base, json.dumps(state, sort_keys=True)),
            )
        older: dict[str, list[str]] = {}  # version -> keys of the records it made
        wanted = list(articles)
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            rows = self._conn.execute(
                "SELECT r.doc_key, r.pipeline FROM records r JOIN versions v ON v.pipeline = r.pipeline"
                f" WHERE v.base = ? AND r.pipeline != ? AND r.doc_key IN ({','.join('?' * len(chunk))})",
                [base, version, *chunk],
            )
            for key, old in rows:
                older.setdefault(old, []).append(key)
        if not older:
            return {}
        from extract.document import extraction_text  # spaCy's modules: only with records to carry over

        carried: dict[str, DocumentRecord] = {}
        for old, keys in older.items():
            (text,) = self._conn.execute("SELECT gazetteer FROM versions WHERE pipeline = ?", (old,)).fetchone()
            touched = changed_text(json.loads(text), state, tokens=_tokenizer(pipeline))
            if touched is None:
                continue
            keep = [k for k in keys if k not in carried and not touched(extraction_text(articles[k]))]
            records = {k: replace(rec, pipeline=pipeline.version) for k, rec in self.get(keep, old).items()}
            self.put(records.items(), version)
            carried.update(records)
        return carried

    def forget_versions(self, keep: str) -> None:
        """Forget the gazetteers of versions no stored record was made with (but ``keep``'s)."""
        (count,) = self._conn.execute("SELECT COUNT(*) FROM versions").fetchone()
        if count > 1:
            with self._conn:
                self._conn.execute(
                    "DELETE FROM versions WHERE pipeline != ?"
                    " AND pipeline NOT IN (SELECT DISTINCT pipeline FROM records)",
                    (keep,),
                )

    def reads(self, reader: str) -> ReadCache:
        """The articles of files read before by ``reader`` (:func:`reader_version`), as a cache
        for :func:`sources.files.iter_articles`; :meth:`ReadCache.save` stores what it learnt."""
        rows = self._conn.execute("SELECT path, state, articles FROM reads WHERE reader = ?", (reader,))
        return ReadCache(reader, {path: (state, text) for path, state, text in rows})

    def _put_reads(self, reader: str, rows: list[tuple[str, str, str]]) -> None:
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO reads (path, state, reader, articles) VALUES (?, ?, ?, ?)",
                [(path, state, reader, text) for path, state, text in rows],
            )

    def doc_ids(self) -> dict[str, str]:
        """Every stored document id with its content key (for tests and inspection)."""
        return dict(self._conn.execute("SELECT doc_id, doc_key FROM records ORDER BY doc_id"))

    def items(self) -> Mapping[str, DocumentRecord]:
        """Every stored record by document id (the garbage collector paused, as in :meth:`get`)."""
        rows = self._conn.execute("SELECT doc_id, record FROM records ORDER BY doc_id")
        with collector_paused():
            return {doc_id: DocumentRecord.from_json(json.loads(text)) for doc_id, text in rows}


class ReadCache:
    """Articles read before, by file path and state (see :meth:`Store.reads`).

    A :class:`sources.files.ReadCache`: ``get`` answers from the rows loaded when it was made
    (none for ``ReadCache(reader)``, a store not made yet), ``put`` collects new entries until
    :meth:`save` writes them into a store in one transaction (a row per path: a changed file's
    entry replaces the old one). Entries of files since removed stay until their path is read
    again.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> with Store(folder / "store.sqlite") as store:
    ...     cache = store.reads("r1")
    ...     cache.put("a.txt", (3, 1, 1, 7), [Article("a", "Hi.", path="a.txt")])
    ...     saved = cache.save(store)
    ...     again = store.reads("r1")
    ...     found, stale, other = again.get("a.txt", (3, 1, 1, 7)), again.get("a.txt", (4, 2, 2, 7)), store.reads("r2")
    >>> [a.text for a in found], stale, other.get("a.txt", (3, 1, 1, 7))
    (['Hi.'], None, None)
    """

    def __init__(self, reader: str, rows: dict[str, tuple[str, str]] | None = None) -> None:
        self._reader, self._rows = reader, rows or {}
        self._new: list[tuple[str, str, str]] = []
        self.hits = 0

    def get(self, path: str, state: FileState) -> list[Article] | None:
        row = self._rows.get(path)
        if row is None or row[0] != json.dumps(list(state)):
            return None
        try:
            articles = [_article(item) for item in json.loads(row[1])]
        except (ValueError, KeyError, TypeError):  # a damaged row: read the file again
            return None
        self.hits += 1
        return articles

    def put(self, path: str, state: FileState, articles: list[Article]) -> None:
        text = json.dumps([_article_json(a) for a in articles], ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # lone surrogates: SQLite text is UTF-8, so keep them escaped
            text = json.dumps([_article_json(a) for a in articles], ensure_ascii=True)
        self._new.append((path, json.dumps(list(state)), text))

    def save(self, store: Store) -> int:
        """Write the entries added since the last save into ``store``; returns how many."""
        new, self._new = self._new, []
        if new:
            store._put_reads(self._reader, new)
        return len(new)
