"""Work in a forked child process that dies with its parent (Linux), and work shared with it."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

__all__ = ["Standby", "WorkShare", "run_forked"]


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

    wait.pid = pid  # type: ignore[attr-defined]  # for Standby.stop
    return wait


class Standby(Generic[T]):
    """A forked child that gets ready (loads a model, say) while this process goes on, then
    does the job this process sends it, or is stopped unused.

    The child runs ``prepare()`` at once, then ``work(job)`` with the job :meth:`send` gives it.
    The job goes through a pipe, written by a thread of this process: sending never waits for
    the child to be ready, however large the job. :meth:`wait` waits for the child as
    :func:`run_forked`'s ``wait`` does (an error in ``prepare`` or ``work`` is raised there);
    :meth:`stop` kills a child that was sent nothing, and reaps it.

    Examples
    --------
    >>> child = Standby(lambda: None, lambda job: sum(job))
    >>> child.send([1, 2, 3])
    >>> child.wait()
    6
    >>> unused = Standby(lambda: None, lambda job: job)
    >>> unused.stop()
    """

    def __init__(self, prepare: Callable[[], Any], work: Callable[[Any], T]) -> None:
        job_read, job_write = os.pipe()

        def child() -> T | None:
            os.close(job_write)
            prepare()
            with os.fdopen(job_read, "rb") as pipe:
                job = pipe.read()
            return work(pickle.loads(job)) if job else None  # nothing: stopped before a job

        self._wait = run_forked(child)
        os.close(job_read)
        self._job: int | None = job_write
        self._sender: threading.Thread | None = None
        self._ended = False

    @property
    def pid(self) -> int:
        """The child's process id."""
        pid: int = self._wait.pid  # type: ignore[attr-defined]
        return pid

    def send(self, job: Any) -> None:
        """Give the child its job (once); the child starts on it when it is ready."""
        if self._job is None:
            raise RuntimeError("the job was sent already, or the child stopped")
        data, fd, self._job = pickle.dumps(job), self._job, None

        def write() -> None:
            with contextlib.suppress(BrokenPipeError), os.fdopen(fd, "wb") as pipe:
                pipe.write(data)  # a child that died before reading it has its error in wait()

        self._sender = threading.Thread(target=write, name="diplograph-job", daemon=True)
        self._sender.start()

    def wait(self, *, check: bool = True) -> T | None:
        """What ``work`` returned (None if stopped), once the child has ended."""
        if self._ended:
            raise RuntimeError("the child was waited for already")
        self._ended = True
        try:
            return self._wait(check=check)
        finally:
            if self._sender is not None:
                self._sender.join()

    def stop(self) -> None:
        """Kill the child if it was sent no job, and reap it; with a job, only wait for it."""
        if self._ended:
            return
        if self._job is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.close(self._job)
            self._job = None
        self.wait(check=False)


def _die_with(parent: int) -> None:
    """Have the kernel kill this (forked) process when ``parent`` dies (Linux only)."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


class WorkShare:
    """The indices ``0..n-1``, handed out in chunks to this process and the children it forks
    after making this, so that they all finish at about the same time.

    Each :meth:`claim` takes a share of what is left (what is left over twice the number of
    processes, at least 1 and at most ``largest``): large chunks while much is left, small ones
    at the end, so that a process that joins late still gets its part and none waits long for
    the last (guided self-scheduling). The counters are in memory the processes share, and so
    is ``n``: a share made before forking a :class:`Standby` child can be sized once the work
    is known, before any claim.

    Examples
    --------
    >>> share = WorkShare(10, largest=4)
    >>> share.claim(), share.claim(), share.claim()
    (range(0, 3), range(3, 5), range(5, 7))
    >>> [list(chunk) for chunk in share.chunks()]
    [[7], [8], [9]]
    >>> share.claim()
    range(10, 10)
    """

    def __init__(self, n: int, *, largest: int, processes: int = 2) -> None:
        import multiprocessing

        if largest < 1 or processes < 1:
            raise ValueError(f"largest and processes must be at least 1, got {largest!r} and {processes!r}")
        self.largest, self.processes = largest, processes
        self._n = multiprocessing.RawValue("q", n)
        self._next = multiprocessing.Value("q", 0)  # the first index not handed out, with its lock
        self._done = multiprocessing.RawArray("q", processes)  # each slot written by one process

    @property
    def n(self) -> int:
        """How many items there are."""
        return int(self._n.value)

    @n.setter
    def n(self, n: int) -> None:
        # set before any process claims: a share made before forking a child that is told later
        self._n.value = n

    def claim(self) -> range:
        """The next chunk of indices (empty when none is left)."""
        with self._next.get_lock():
            start = self._next.value
            size = min(self.largest, max(1, -(-(self.n - start) // (2 * self.processes))))
            end = max(start, min(self.n, start + size))
            self._next.value = end
        return range(start, end)

    def chunks(self, first: range = range(0)) -> Iterator[range]:
        """``first`` if not empty, then each chunk claimed, until none is left."""
        chunk = first or self.claim()
        while chunk:
            yield chunk
            chunk = self.claim()

    def count(self, slot: int, n: int = 1) -> None:
        """Count ``n`` more items finished by the process of ``slot`` (one process a slot)."""
        self._done[slot] += n

    @property
    def left(self) -> int:
        """The items no process has claimed yet."""
        with self._next.get_lock():
            return max(0, self.n - int(self._next.value))

    @property
    def finished(self) -> int:
        """The items finished, by every process."""
        return sum(self._done)
