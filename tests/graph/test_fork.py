"""graph._fork: work in a forked child, and work shared with it."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from graph._fork import Standby, WorkShare, run_forked

BUILD = sys.modules["graph.build"]  # the module: graph.build is the function

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork and PR_SET_PDEATHSIG are Linux's")


def test_a_child_and_this_process_claim_every_index_once() -> None:
    share = WorkShare(500, largest=7)
    first = share.claim()
    wait = run_forked(lambda: [i for chunk in share.chunks(first) for i in chunk])
    mine = [i for chunk in share.chunks() for i in chunk]
    theirs = wait()
    assert theirs is not None and theirs[: len(first)] == list(first)
    assert sorted(mine + theirs) == list(range(500))
    assert share.left == 0 and not share.claim()


def test_chunks_shrink_as_the_items_run_out() -> None:
    share = WorkShare(100, largest=32)
    sizes = [len(chunk) for chunk in share.chunks()]
    assert sum(sizes) == 100 and sizes[0] == 25 and sizes[-1] == 1
    assert sizes == sorted(sizes, reverse=True)


def test_counts_are_shared_with_the_child() -> None:
    share = WorkShare(5, largest=2)
    run_forked(lambda: share.count(1, 3))()
    share.count(0, 2)
    assert share.finished == 5


def test_the_shared_bar_ends_at_what_both_processes_finished(monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[object] = []

    class Bar:
        def __init__(self, *, total: int, desc: str, unit: str, disable: bool | None) -> None:
            self.n, self.disable = 0, False
            shown.append(("total", total))

        def update(self, n: int) -> None:
            self.n += n

        def close(self) -> None:
            shown.append(("closed at", self.n))

    monkeypatch.setattr(BUILD, "_progress_bar", lambda: Bar)
    share = WorkShare(5, largest=2)
    bar = BUILD._SharedBar(share, True)
    run_forked(lambda: share.count(1, 3))()
    share.count(0, 2)
    bar.close()
    assert shown == [("total", 5), ("closed at", 5)]


@pytest.mark.parametrize(("largest", "processes"), [(0, 2), (3, 0)])
def test_a_share_needs_a_chunk_and_a_process(largest: int, processes: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        WorkShare(3, largest=largest, processes=processes)


def _flagged(flag: Path) -> None:
    deadline = time.monotonic() + 20
    while not flag.exists():
        assert time.monotonic() < deadline, f"{flag} never appeared"
        time.sleep(0.01)


def test_a_standby_child_gets_a_large_job_without_making_this_process_wait(tmp_path: Path) -> None:
    """The job (larger than a pipe holds) is sent while the child still prepares: the child
    prepares until this process has returned from send()."""
    flag = tmp_path / "sent"
    child = Standby(lambda: _flagged(flag), lambda job: (len(job), job[:3]))
    child.send(b"abc" + b"x" * 4_000_000)
    flag.touch()
    assert child.wait() == (4_000_003, b"abc")
    with pytest.raises(RuntimeError, match="sent already"):
        child.send(b"again")


def test_a_standby_child_sent_nothing_is_killed_and_reaped() -> None:
    child = Standby(lambda: time.sleep(60), lambda job: job)
    child.stop()
    with pytest.raises(ProcessLookupError):  # no zombie left either
        os.kill(child.pid, 0)
    child.stop()  # once is enough


def test_a_standby_child_that_fails_to_prepare_raises_in_wait() -> None:
    child = Standby(lambda: 1 / 0, lambda job: job)
    child.send([1])
    with pytest.raises(ChildProcessError, match="ZeroDivisionError"):
        child.wait()


def test_a_share_sized_after_the_fork_hands_out_every_index_to_the_child() -> None:
    share = WorkShare(0, largest=4)
    child = Standby(lambda: None, lambda job: [i for chunk in share.chunks() for i in chunk])
    share.n = 6
    child.send("go")
    assert child.wait() == list(range(6))
