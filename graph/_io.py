"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

__all__ = ["atomic_open", "atomic_write_bytes", "atomic_write_text", "remove_stale_temps", "STALE_AFTER"]

_MODES = ("w", "wt", "wb")

#: A temporary file untouched for this many seconds belongs to a writer that was killed.
STALE_AFTER = 15 * 60


@contextlib.contextmanager
def atomic_open(
    path: str | os.PathLike[str],
    mode: Literal["w", "wt", "wb"] = "w",
    *,
    encoding: str | None = "utf-8",
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file next to `path` and move it into place on success.

    The data goes to a new file in the same folder; when the block ends
    without an exception the file is flushed, fsynced and renamed over
    `path` with :func:`os.replace`. If the block raises, the temporary file
    is removed and a previous file at `path` is left untouched.

    Parameters
    ----------
    path : str or os.PathLike
        Final location of the file. Its folder must exist.
    mode : {"w", "wt", "wb"}
        Text or binary writing.
    encoding : str or None
        Text encoding (ignored in binary mode).
    newline : str or None
        Passed to :func:`open` in text mode.

    Yields
    ------
    file object
        The open temporary file.

    Raises
    ------
    ValueError
        If `mode` is not a write mode listed above.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_open(target, "w") as fh:
    ...     _ = fh.write("hello")
    >>> target.read_text()
    'hello'
    """
    if mode not in _MODES:
        raise ValueError(f"unsupported mode: {mode!r}; expected one of {list(_MODES)}")
    target = Path(path)
    folder = target.parent
    previous_mode: int | None = None
    with contextlib.suppress(FileNotFoundError):
        previous_mode = target.stat().st_mode & 0o7777
    fd, tmp = _create_temp(folder, target.name)
    try:
        if mode == "wb":
            fh: IO[Any] = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if previous_mode is not None:
            os.chmod(tmp, previous_mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Write `text` to `path` atomically.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file.
    text : str
        Content; written without newline translation.
    encoding : str
        Text encoding.

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write_text(target, "one\\n").read_text()
    'one\\n'
    """
    with atomic_open(path, "w", encoding=encoding, newline="") as fh:
        fh.write(text)
    return Path(path)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write `data` to `path` atomically.

    Parameters
    ----------
    path : str or os.PathLike
        Destination file.
    data : bytes
        Content.

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> atomic_write_bytes(target, b"\\x00\\x01").read_bytes()
    b'\\x00\\x01'
    """
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)


def remove_stale_temps(
    folder: str | os.PathLike[str], names: Iterable[str], *, older_than: float = STALE_AFTER
) -> list[Path]:
    """Delete temporary files that killed writers of ``names`` left in ``folder``.

    :func:`atomic_open` removes its temporary file on any exception, but a process killed with
    SIGKILL (or a power cut) cannot, and leaves a hidden ``.NAME.<hex>.tmp`` beside the output.
    Only files of that exact shape for the given names, unchanged for ``older_than`` seconds
    (so a concurrent writer's file is spared), are deleted.

    Parameters
    ----------
    folder : str or os.PathLike
        The output folder.
    names : iterable of str
        Output file names whose leftovers may be removed.
    older_than : float
        Minimum age in seconds of the last modification.

    Returns
    -------
    list of pathlib.Path
        The files removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".graph.json.0123456789ab.tmp").write_text("half")
    >>> _ = (d / ".notes.0123456789ab.tmp").write_text("not ours")
    >>> [p.name for p in remove_stale_temps(d, ["graph.json"], older_than=0)]
    ['.graph.json.0123456789ab.tmp']
    >>> sorted(p.name for p in d.iterdir())
    ['.notes.0123456789ab.tmp']
    """
    wanted = set(names)
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if match is None or match.group(1) not in wanted:
            continue
        try:
            if not entry.is_file(follow_symlinks=False) or now - entry.stat().st_mtime < older_than:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


_TEMP_NAME = re.compile(r"\.(.+)\.[0-9a-f]{12}\.tmp")


def _create_temp(folder: Path, name: str) -> tuple[int, str]:
    """Create a new, empty, hidden file in `folder`; mode 0o666 minus the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = str(folder / f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file in {str(folder)!r}")


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
