"""Reusing the unchanged parts of an output file from the copy the previous build wrote.

A rebuild that adds 1% of documents changes about 3% of a large graph's nodes and edges, yet
every writer used to convert and encode all of them again. A writer that makes its file as a
sequence of parts, each a function of one item and of a context shared by the whole file (a
CSV row of the table's columns), can instead take each unchanged item's bytes from the file
already there: :class:`Fragments` says where each item's part lies in that file, by a
:func:`fingerprint` of everything the part is made of.

The index is a hidden file beside the output (``.nodes.csv.fragments``). It holds the size,
times and inode of the file it describes, so a file replaced or edited since (by hand, or by
a build killed between the two renames) is never cut up, and the context, so a part is only
reused under the context it was made in. Anything unexpected in an index means it is ignored:
the file is then made in full, as without one.

A reused part is not read into memory: :meth:`Fragments.get` gives its place in the previous
file (an :class:`OldPart`), and :meth:`Fragments.write` has the kernel copy each run of such
parts from that file into the new one (``copy_file_range``), so a rebuild's unchanged bytes
are neither read into this process nor written back from it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import pickle
import sys
from array import array
from pathlib import Path
from typing import Any

from graph._io import atomic_open, atomic_write_bytes
from sources.files import file_state

__all__ = ["Fragments", "OldPart", "fingerprint", "index_path"]

log = logging.getLogger(__name__)

_MAGIC = b"diplograph fragments 2\n"
_LATER: Any = object()  # Fragments.previous: the context comes with settle()
_DIGEST = 16
_CHUNK = 1 << 24  # bytes read at a time where the kernel cannot copy between files
_RUN_MIN = 1 << 16  # copied runs shorter than this on average: the previous file is read once


def fingerprint(value: Any) -> bytes | None:
    """A 16-byte digest of `value`'s pickle, or None when it cannot be pickled.

    Equal digests mean equal pickles, hence values of the same types holding the same data:
    what a writer makes of them is the same. (Equal values may still differ, when one repeats
    an object that the other holds two copies of: that only costs a part made again.)

    Examples
    --------
    >>> fingerprint(["a", 1]) == fingerprint(["a", 1]), fingerprint(["a", 1]) == fingerprint(["a", 1.0])
    (True, False)
    >>> fingerprint(lambda: 0) is None
    True
    """
    try:
        data = pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError, ValueError, RecursionError):
        return None
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def index_path(path: str | os.PathLike[str]) -> Path:
    """Where the index of the output file `path` lives: ``.NAME.fragments`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.fragments")


def _state(path: Path) -> list[int]:
    """What tells the file an index was made for from any other (:func:`sources.files.file_state`)."""
    return list(file_state(path))


class OldPart:
    """A part of the previous file, by place: what :meth:`Fragments.get` gives, for
    :meth:`Fragments.add`. ``bytes(part)`` reads it (the writers never need to)."""

    __slots__ = ("_source", "offset", "length")

    def __init__(self, source: Fragments, offset: int, length: int) -> None:
        self._source, self.offset, self.length = source, offset, length

    def __len__(self) -> int:
        return self.length

    def __bytes__(self) -> bytes:
        return self._source._pread(self.offset, self.length)

    def __repr__(self) -> str:
        return f"OldPart({self._source.path.name!r}, offset={self.offset}, length={self.length})"


#: What :meth:`Fragments.add` takes: new bytes, or a part of the previous file.
Part = bytes | memoryview | OldPart


class Fragments:
    """The parts of one output file, by fingerprint: those of the previous file, and the new ones.

    Make one with :meth:`previous` (the parts of the file at `path` if its index matches the
    file and `context`); for each item, :meth:`get` its old part by fingerprint, else make it,
    and :meth:`add` it; then :meth:`write` the file and its new index.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "rows.txt"
    >>> def write(rows, context="v1"):
    ...     parts = Fragments.previous(path, context)
    ...     for row in rows:
    ...         fp = fingerprint(row)
    ...         old = parts.get(fp)
    ...         parts.add(fp, old if old is not None else f"{row}\\n".encode())
    ...     parts.write()
    ...     return parts.reused
    >>> write(["a", "b"]), write(["b", "c", "a"]), path.read_text().split()
    (0, 2, ['b', 'c', 'a'])
    >>> write(["b", "c"], context="v2")  # another context: nothing reused
    0
    """

    def __init__(self, path: str | os.PathLike[str], context: Any = None) -> None:
        self.path = Path(path)
        self.context = context
        self.parts: list[Part] = []
        self.reused = 0
        self._old: dict[bytes, tuple[int, int, Any]] = {}  # fingerprint -> (offset, length, tag)
        self._old_context: str | None = None
        self._old_state: list[int] | None = None  # the previous file's size and time, per its index
        self._src: int | None = None  # the previous file, opened when a part is first wanted
        self._index: list[tuple[bytes, int, int, int]] = []  # (fingerprint, offset, length, tag number)
        self._tags: dict[Any, int] = {}
        self._size = 0

    @classmethod
    def previous(cls, path: str | os.PathLike[str], context: Any = _LATER) -> Fragments:
        """Fragments whose :meth:`get` finds the parts of the file now at `path`, when its
        index describes that very file under `context` (JSON-able); else none.

        A writer that knows its context only once it has seen every item passes it to
        :meth:`settle` before its first :meth:`get`.
        """
        parts = cls(path)
        parts._old_context, parts._old_state, parts._old = _read(Path(path))
        if context is not _LATER:
            parts.settle(context)
        return parts

    def settle(self, context: Any) -> None:
        """Make `context` the new file's; the previous parts stay usable only if it was theirs."""
        self.context = context
        if self._old_context != _context_text(context):
            self._old = {}

    def load(self) -> bool:
        """Open the previous file if not yet done; False, and its parts forgotten, when it is
        no longer the file its index describes. :meth:`get` opens it when first asked for a part."""
        if self._src is None and self._old:
            try:
                fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            except OSError:
                fd = None
            if fd is None or self._old_state is None or _fd_state(fd) != self._old_state:
                if fd is not None:
                    os.close(fd)
                log.debug("%s changed since its index was read: no part copied", self.path)
                self._old = {}
                return False
            self._src = fd
        return bool(self._old)

    def close(self) -> None:
        """Let go of the previous file (:meth:`write` does)."""
        if self._src is not None:
            os.close(self._src)
            self._src = None

    def __del__(self) -> None:
        try:
            self.close()
        except (OSError, TypeError):  # at interpreter exit, os may be gone first
            pass

    def get(self, fp: bytes | None) -> OldPart | None:
        """The previous file's part of fingerprint `fp` (its place, not its bytes), or None."""
        found = self._old.get(fp) if fp is not None else None
        if found is None or not self.load():
            return None
        self.reused += 1
        offset, length, _ = found
        return OldPart(self, offset, length)

    def _pread(self, offset: int, length: int) -> bytes:
        if self._src is None:
            raise ValueError(f"{self.path}: the previous file is no longer open")
        chunks = []
        while length > 0:
            chunk = os.pread(self._src, min(length, _CHUNK), offset)
            if not chunk:
                raise OSError(errno.EIO, f"{self.path} is shorter than its index says: changed while read")
            chunks.append(chunk)
            offset, length = offset + len(chunk), length - len(chunk)
        return b"".join(chunks)

    def tag(self, fp: bytes | None) -> Any:
        """The tag the previous file's part of fingerprint `fp` was added with (None if none,
        or no such part): what a writer noted of the item to know its context without it."""
        found = self._old.get(fp) if fp is not None else None
        return None if found is None else found[2]

    @property
    def indexed(self) -> int:
        """How many parts have a fingerprint."""
        return len(self._index)

    def add(self, fp: bytes | None, part: Part, tag: Any = None) -> None:
        """Append `part` to the new file; a part with a fingerprint is indexed under it, with
        `tag` (tuples of strings, numbers and None, or None)."""
        if type(part) is OldPart and part._source is not self:  # another file's: its bytes
            part = bytes(part)
        if fp is not None:
            number = self._tags.setdefault(tag, len(self._tags))
            self._index.append((fp, self._size, len(part), number))
        self.parts.append(part)
        self._size += len(part)

    def write(self, *, index: bool = True) -> Path:
        """Write the parts to :attr:`path` (atomically, one after the other: no copy of the
        whole file is made in memory), then, with `index`, the index of the file written.

        Each run of the previous file's parts that lie one after the other there is copied
        from file to file by the kernel; when the runs are short (parts between new ones), the
        previous file is read once instead, and each run is written from that copy."""
        try:
            runs = self._runs()
            copied = [r for r in runs if type(r) is tuple]
            with atomic_open(self.path, "wb") as fh:
                if copied and sum(n for _, n in copied) < _RUN_MIN * len(copied):
                    data = memoryview(self._pread(0, os.fstat(self._src).st_size)) if self._src is not None else None
                    for run in runs:
                        if type(run) is tuple:
                            assert data is not None
                            fh.write(data[run[0] : run[0] + run[1]])
                        else:
                            fh.writelines(run)
                else:
                    for run in runs:
                        if type(run) is tuple:
                            self._copy(fh, *run)
                        else:
                            fh.writelines(run)
                if self._src is not None and _fd_state(self._src) != self._old_state:
                    raise OSError(errno.EIO, f"{self.path} changed while its parts were copied: run again")
        finally:
            self.close()
        if index:
            self.write_index()
        return self.path

    def _runs(self) -> list[tuple[int, int] | list[bytes | memoryview]]:
        """The parts in order, as runs: (offset, length) of the previous file's parts that lie
        one after the other there, and lists of new parts."""
        runs: list[tuple[int, int] | list[bytes | memoryview]] = []
        new: list[bytes | memoryview] | None = None
        start = end = -1
        for part in self.parts:
            if not isinstance(part, OldPart):
                if end >= 0:
                    runs.append((start, end - start))
                    start = end = -1
                if new is None:
                    new = []
                    runs.append(new)
                new.append(part)
            elif part.offset == end:
                end += part.length
            else:
                if end >= 0:
                    runs.append((start, end - start))
                new = None
                start, end = part.offset, part.offset + part.length
        if end >= 0:
            runs.append((start, end - start))
        return runs

    def _copy(self, fh: Any, offset: int, length: int) -> None:
        """Append `length` bytes of the previous file from `offset` to the file `fh` writes."""
        global _KERNEL_COPY
        fh.flush()
        out = fh.fileno()
        while length > 0 and _KERNEL_COPY:
            try:
                done = _KERNEL_COPY(self._src, out, length, offset)
            except OSError as exc:
                if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL, errno.EPERM):
                    raise
                _KERNEL_COPY = None  # this system cannot: read and write from now on
                break
            if done == 0:
                raise OSError(errno.EIO, f"{self.path} is shorter than its index says: changed while read")
            offset, length = offset + done, length - done
        while length > 0:
            chunk = self._pread(offset, min(length, _CHUNK))
            fh.write(chunk)
            fh.flush()
            offset, length = offset + len(chunk), length - len(chunk)

    def write_index(self) -> None:
        """Write the index of the file now at :attr:`path`, made of exactly :attr:`parts`."""
        offsets = array("q", (offset for _, offset, _, _ in self._index))
        lengths = array("q", (length for _, _, length, _ in self._index))
        tags = array("q", (tag for _, _, _, tag in self._index))
        head = {
            "file": _state(self.path), "count": len(self._index), "byteorder": sys.byteorder,
            "context": _context_text(self.context), "tags": list(self._tags),
        }
        data = b"".join([
            _MAGIC, json.dumps(head).encode("utf-8"), b"\n",
            b"".join(fp for fp, _, _, _ in self._index), offsets.tobytes(), lengths.tobytes(), tags.tobytes(),
        ])
        atomic_write_bytes(index_path(self.path), data)


#: ``os.copy_file_range`` where the system has it (Linux); None once it has failed here.
_KERNEL_COPY: Any = getattr(os, "copy_file_range", None)


def _fd_state(fd: int) -> list[int]:
    """:func:`_state` of an open file."""
    st = os.fstat(fd)
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _context_text(context: Any) -> str:
    """The context as the index holds it, with what made the parts: Python (whose pickles the
    fingerprints are) and the code of ``graph`` and ``extract`` (a new release may write an
    item otherwise)."""
    from graph.store import code_digest

    made_by = [sys.version_info[:2], code_digest("graph"), code_digest("extract")]
    return json.dumps([made_by, context], sort_keys=True, default=repr)


def _tuples(value: Any) -> Any:
    """A tag read back from JSON: its lists tuples again."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _read(path: Path) -> tuple[str | None, list[int] | None, dict[bytes, tuple[int, int, Any]]]:
    """The context of the file at `path`, its size and time, and its parts' places by
    fingerprint, from its index; no parts when the index does not describe that file."""
    try:
        index = index_path(path).read_bytes()
        if not index.startswith(_MAGIC):
            return None, None, {}
        end = index.index(b"\n", len(_MAGIC))
        head = json.loads(index[len(_MAGIC) : end])
        context, state = head["context"], _state(path)
        if head.get("file") != state or not isinstance(context, str):
            return None, None, {}
        count = head["count"]
        body = memoryview(index)[end + 1 :]
        table = [_tuples(tag) for tag in head["tags"]]
        if not isinstance(count, int) or count < 0 or len(body) != count * (_DIGEST + 24):
            return None, None, {}
        offsets, lengths, tags = array("q"), array("q"), array("q")
        offsets.frombytes(body[count * _DIGEST : count * (_DIGEST + 8)])
        lengths.frombytes(body[count * (_DIGEST + 8) : count * (_DIGEST + 16)])
        tags.frombytes(body[count * (_DIGEST + 16) :])
        if head.get("byteorder") != sys.byteorder:
            for numbers in (offsets, lengths, tags):
                numbers.byteswap()
        size = state[0]
        old: dict[bytes, tuple[int, int, Any]] = {}
        for i, (offset, length, tag) in enumerate(zip(offsets, lengths, tags)):
            if offset < 0 or length < 0 or offset + length > size or not 0 <= tag < len(table):
                return None, None, {}
            old[bytes(body[i * _DIGEST : (i + 1) * _DIGEST])] = (offset, length, table[tag])
    except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        log.debug("fragments of %s not reused: %s", path, exc)
        return None, None, {}
    return context, state, old
