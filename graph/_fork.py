"""Work in a forked child process that dies with its parent (Linux)."""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

__all__ = ["run_forked"]


def run_forked(work: Callable[[], T]) -> Callable[..., T | None]:
    """Run ``work`` in a forked child process; return a function that waits for it.

    The child sees this process's memory as it is at the fork (copied only where either side
    writes), is killed if this process dies (Linux ``PR_SET_PDEATHSIG``), and exits without
    running this process's exit handlers. ``wait()`` returns what ``work`` returned (pickled
    through a pipe, so it must pickle), or raises :class:`ChildProcessError` with the child's
    error when ``work`` failed; ``wait(check=False)`` only waits, and returns None on failure.

    Examples
    --------
    >>> wait = run_forked(lambda: [1, 2])
    >>> wait()
    [1, 2]
    >>> wait = run_forked(lambda: 1 / 0)
    >>> wait()
    Traceback (most recent call last):
    ...
    ChildProcessError: ZeroDivisionError: division by zero
    """
    parent = os.getpid()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(read_end)
            _die_with(parent)
            result = pickle.dumps(work())
            with os.fdopen(write_end, "wb") as pipe:  # the parent reads it all in wait()
                pipe.write(b"R" + result)
            code = 0
        except BaseException as exc:  # reported to the parent, which raises it
            with contextlib.suppress(OSError):
                message = f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")[:65536]
                os.write(write_end, b"E" + message)
        finally:
            os._exit(code)
    os.close(write_end)

    def wait(*, check: bool = True) -> T | None:
        try:
            with os.fdopen(read_end, "rb") as pipe:
                data = pipe.read()
        except BaseException:  # Ctrl-C here: the child gets it too; let it finish what it stores
            os.waitpid(pid, 0)
            raise
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == 0 and data[:1] == b"R":
            result: T = pickle.loads(data[1:])
            return result
        if check:
            message = data[1:].decode("utf-8", "replace") if data[:1] == b"E" else ""
            raise ChildProcessError(message or f"child process ended with status {code}")
        return None

    return wait


def _die_with(parent: int) -> None:
    """Have the kernel kill this (forked) process when ``parent`` dies (Linux only)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
