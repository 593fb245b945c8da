"""A build killed at any moment leaves the previous outputs complete and readable.

``diplograph build`` of the sample corpus runs once to completion (the baseline outputs), then
is started again over the same folder and SIGKILLed: a few times at seeded random moments over
the whole run (model loading, extraction, assembly), then once as it begins writing each of
its outputs (the moment that file, or a temporary file for it, appears or changes in the
output folder; at once or a few random milliseconds later), which is where a non-atomic
writer would leave half a file. After every kill each
output present must parse (JSON, GraphML by networkx and igraph, GEXF, HTML with its graph
data, every JSONL line, CSV, SQLite integrity) and be byte-identical to the baseline when the
build is deterministic (checked by one more complete run at the end). Leftover temporary files
must be hidden ``.NAME.*.tmp`` files that never shadow an output.

All runs use the default statistical model (``model`` marker) with the progress bar off; on
this corpus a run takes 5-20 s (machine load), and the test makes about a dozen runs (one
kill per output). How sensitive it is to a writer that is not atomic depends on timing: a
writer that truncates the file and writes it in one call leaves a window of microseconds.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import igraph
import networkx as nx
import pytest
from lxml import etree
from lxml import html as lxml_html

from sources.samples import sample_corpus

pytestmark = pytest.mark.model

SEED = 20261122
RANDOM_KILLS = 2  # anywhere in the run; then one kill as each output starts being written
# graph/_io.py's temporary files: hidden, next to the target, ".<name>.<12 hex>.tmp".
TEMP = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{12}\.tmp$")
# SQLite's rollback journal and WAL files: its own crash recovery, replayed on the next open.
JOURNAL = re.compile(r"-(journal|wal|shm)$")


def command(out: Path) -> list[str]:
    # --force: the same corpus again would otherwise find its outputs up to date and write nothing
    return [sys.executable, "-m", "graph.cli", "-q", "build", str(sample_corpus()), "--out", str(out), "--force"]


def run_to_end(out: Path) -> float:
    start = time.monotonic()
    done = subprocess.run(command(out), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - start


def temp_files(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if TEMP.match(p.name))


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file and its bytes (temporary files and SQLite's own journals left out)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(out.iterdir())
        if p.is_file() and not TEMP.match(p.name) and not JOURNAL.search(p.name)
    }


def check_parses(path: Path) -> None:
    """The file is complete in its own format (raises otherwise)."""
    name, suffix = path.name, path.suffix
    assert path.stat().st_size > 0, f"{name} is empty"
    if suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if name == "graph.json":
            nx.node_link_graph(data, edges="edges")
    elif suffix == ".graphml":
        assert nx.read_graphml(path).number_of_nodes() > 0
        assert igraph.Graph.Read_GraphML(str(path)).vcount() > 0
    elif suffix == ".gexf":
        etree.parse(str(path))
        assert nx.read_gexf(path).number_of_nodes() > 0
    elif suffix == ".html":
        text = path.read_text(encoding="utf-8")
        assert text.rstrip().endswith("</html>")
        tree = lxml_html.document_fromstring(text)
        assert tree.xpath("//meta[@http-equiv='Content-Security-Policy']")
        assert "person:" in text and "country:" in text  # the graph's data is in the page
    elif suffix == ".jsonl":
        lines = path.read_text(encoding="utf-8").split("\n")
        assert len(lines) > 1 and lines[-1] == "" and all(json.loads(line) for line in lines[:-1])
    elif suffix == ".csv":
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows and all(len(row) == len(rows[0]) for row in rows)
    elif suffix in {".sqlite", ".db", ".sqlite3"}:
        db = sqlite3.connect(path)  # read-write: a hot journal left by the kill is rolled back
        try:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            db.close()
    # else: an output this test does not know yet; it is at least not empty


def state(out: Path, watched: set[str]) -> set[tuple[str, int, int]]:
    """(name, size, mtime) of the `watched` outputs and their temporary files in `out`."""
    found = set()
    for entry in os.scandir(out):
        temp = TEMP.match(entry.name)
        if entry.name not in watched and not (temp and temp.group("name") in watched):
            continue
        try:
            info = entry.stat()
        except FileNotFoundError:  # renamed away while we looked
            continue
        found.add((entry.name, info.st_size, info.st_mtime_ns))
    return found


def touched(before: set[tuple[str, int, int]], now: set[tuple[str, int, int]]) -> set[str]:
    """The outputs being written: changed, or with a new temporary file."""
    names = set()
    for name, _, _ in before ^ now:
        temp = TEMP.match(name)
        names.add(temp.group("name") if temp else name)
    return names


def kill_at(
    out: Path, when: float | int, rng: random.Random, timeout: float, watched: set[str]
) -> dict[str, object]:
    """Start a build and SIGKILL it.

    A float `when` kills after that many seconds. An int kills as soon as the build has begun
    writing that many of the `watched` outputs (a changed file or a new temporary file for it,
    whatever its name, so a writer that is not atomic is caught too), at once or after a few
    random milliseconds.
    """
    before = state(out, watched)
    proc = subprocess.Popen(command(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    start = time.monotonic()
    writing = False
    if isinstance(when, int):
        pause = rng.choice([0.0, 0.0, rng.uniform(0.0, 0.02)])
        while time.monotonic() - start < timeout and proc.poll() is None:
            if len(touched(before, state(out, watched))) >= when:
                writing = True
                time.sleep(pause)
                break
    else:
        time.sleep(when)
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    return {"at": round(time.monotonic() - start, 3), "when": when, "killed": alive, "during_write": writing and alive}


def test_killed_builds_leave_complete_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    duration = run_to_end(out)
    baseline = outputs(out)
    assert {"graph.json", "graph.graphml", "extractions.jsonl", "graph.html"} <= set(baseline)
    for name in baseline:
        check_parses(out / name)

    # The files written at the end (the store, if any, is written during extraction).
    watched = {name for name in baseline if not name.endswith((".sqlite", ".db", ".sqlite3"))}
    rng = random.Random(SEED)
    plan: list[float | int] = [rng.uniform(0.1, 0.7) * duration for _ in range(RANDOM_KILLS)]
    plan += list(range(1, len(watched) + 1))  # once as each output starts being written
    rng.shuffle(plan)
    kills, seen = [], []
    for when in plan:
        kills.append(kill_at(out, when, rng, timeout=10 * duration, watched=watched))
        after = outputs(out)
        assert set(after) == set(baseline), kills[-1]  # nothing lost, nothing half-named
        for name in after:
            check_parses(out / name)
        seen.append({name: hashlib.sha256(data).hexdigest() for name, data in after.items()})
        for leftover in temp_files(out):  # hidden, and named after an output
            assert TEMP.match(leftover).group("name") in baseline  # type: ignore[union-attr]
    # On a busy machine a run may finish before its kill: enough kills must still have landed.
    assert sum(bool(k["killed"]) for k in kills) >= len(plan) // 2, kills
    assert sum(bool(k["during_write"]) for k in kills) >= 2, f"too few kills landed while writing: {kills}"

    leftovers = temp_files(out)
    run_to_end(out)  # a later build is not disturbed by what killed ones left behind
    final = outputs(out)
    for name in final:
        check_parses(out / name)
    stable = {name for name in baseline if final.get(name) == baseline[name]}
    assert {"graph.json", "graph.graphml", "extractions.jsonl"} <= stable  # deterministic outputs
    for hashes in seen:
        for name in stable:
            assert hashes[name] == hashlib.sha256(baseline[name]).hexdigest(), (name, kills)
    # Temporary files of killed runs stay (hidden) until removed by hand: none is ever read.
    assert set(leftovers) <= set(temp_files(out))
    print(f"build {duration:.1f}s; kills {kills}; {len(leftovers)} temporary files left", file=sys.stderr)
