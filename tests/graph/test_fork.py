"""graph._fork: work in a forked child, and work shared with it."""

from __future__ import annotations

import sys

import pytest

from graph._fork import WorkShare, run_forked

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
