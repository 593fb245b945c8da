"""graph._memory: the command's C allocator keeps the memory it frees for what comes next."""
from __future__ import annotations

import subprocess
import sys

import pytest

from graph._memory import keep_freed_memory

# page faults of making a 24 MiB buffer again, once one was made and freed
AGAIN = """
import resource, sys
from graph._memory import keep_freed_memory
if sys.argv[1] == "keep":
    assert keep_freed_memory()
def faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
buffer = b"x" * (24 << 20)
del buffer
before = faults()
buffer = b"y" * (24 << 20)
print(faults() - before)
"""


def faults_again(mode: str) -> int:
    done = subprocess.run([sys.executable, "-c", AGAIN, mode], capture_output=True, text=True, check=True)
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_a_buffer_made_again_reuses_the_memory_freed() -> None:
    pages = (24 << 20) // 4096
    assert faults_again("default") > pages // 2  # the allocator gave it back: every page again
    assert faults_again("keep") < pages // 10


def test_the_command_keeps_freed_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import graph._memory
    import graph.cli

    calls: list[str] = []
    monkeypatch.setattr(graph._memory, "keep_freed_memory", lambda: calls.append("kept") or True)
    monkeypatch.setattr(graph.cli, "main", lambda: calls.append("main") or 0)
    monkeypatch.setattr(graph.cli.gc, "freeze", lambda: None)  # not this test process's objects
    with pytest.raises(SystemExit) as exit_:
        graph.cli.run()
    assert exit_.value.code == 0 and calls == ["kept", "main"]


def test_keep_freed_memory_says_whether_it_was_taken() -> None:
    assert keep_freed_memory() is sys.platform.startswith("linux")
