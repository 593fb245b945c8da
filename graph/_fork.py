"""Work in a forked child process that dies with its parent (Linux)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

__all__ = ["run_forked"]


def run_forked(work: Callable[[], object]) -> Callable[..., None]:
    """Run ``work`` in a forked child process; return a function that waits for it.

    The child sees this process's memory as it is at the fork (copied only where either side
    writes), is killed if this process dies (Linux ``PR_SET_PDEATHSIG``), and exits without
    running this process's exit handlers. ``wait()`` raises :class:`ChildProcessError` with the
    child's error when ``work`` failed; ``wait(check=False)`` only waits.

    Examples
    --------
    >>> wait = run_forked(lambda: None)
    >>> wait()
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
            work()
            code = 0
        except BaseException as exc:  # reported to the parent, which raises it
            with contextlib.suppress(OSError):
                os.write(write_end, f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")[:65536])
        finally:
            os._exit(code)
    os.close(write_end)

    def wait(*, check: bool = True) -> None:
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read().decode("utf-8", "replace")
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if check and code != 0:
            raise ChildProcessError(message or f"child process ended with status {code}")

    return wait


def _die_with(parent: int) -> None:
    """Have the kernel kill this (forked) process when ``parent`` dies (Linux only)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
