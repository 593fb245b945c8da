"""The explorer page (graph.html) at scale: write time, size, and how soon it is interactive.

A synthetic graph shaped like diplograph's (people acting for states, dated contact events with
participants and places, dated statements with evidence sentences, co-mentions, aliases and
sources on every node) is written with :func:`graph.render.write_html` and loaded from disk in
headless Chromium (Debian's ``/usr/bin/chromium``, driven by Playwright), every request other
than ``file:`` and ``data:`` refused and counted.

Figures, all in milliseconds from the start of navigation unless said otherwise:

``dcl``
    ``domContentLoadedEventEnd``: the HTML is parsed and the page's scripts have run (the data
    JSON is parsed, the vis DataSets are built and the network is created in that time).
``drawn``
    The network's first ``afterDrawing`` event: the graph is on screen.
``interactive``
    The page is drawn *and* its main thread is free: the later of ``drawn`` and the end of the
    last long task (a task over 50 ms, reported by the Long Tasks API) before the page stays
    free of long tasks for one second. This is Lighthouse's "time to interactive" without its
    network-quiet condition (the page makes no requests). All controls are wired before
    ``drawn``, so a click at ``interactive`` is handled at once.
``search`` / ``filter`` / ``view`` (durations)
    From setting the search box (``person 12``: a few percent of the nodes match) / unticking
    the ``person`` kind / switching to the country view, until the next animation frame (in
    which vis-network draws the change) has run and the main thread is free again: how long
    the page takes to answer. On views of more than 2,000 nodes the search waits for a 200 ms
    pause in the typing, which the figure includes. (Run one after the other: the filter applies to the search's
    result, the view switch to both.)

The machine's load matters: run it on a quiet machine, and say so when it was not.

Run ``python -m benchmarks.page_load 1000 5000 20000``.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.render import write_html

__all__ = ["synthetic_graph", "measure", "format_table", "main"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__longTasks.push([e.startTime, e.startTime + e.duration]); });
}).observe({type: 'longtask', buffered: true});
"""

# Runs one action and resolves with [start, end, drawn]: `end` is when, after the action, the
# next animation frame (in which vis-network draws what changed) has run and the main thread
# is back to us; `drawn` says the network did draw in between.
_RESPOND = """
(act) => new Promise((resolve) => {
  let drawn = false;
  dg.network.once('afterDrawing', () => { drawn = true; });
  const t0 = performance.now();
  const applied = dg.applied;
  const answered = () => {
    if (dg.applied === applied) { setTimeout(answered, 5); return; }  // a search waits for a pause
    requestAnimationFrame(() => setTimeout(() => resolve([t0, performance.now(), drawn]), 0));
  };
  if (act === 'search') {
    const box = document.getElementById('dg-search');
    box.value = 'person 12';
    box.dispatchEvent(new Event('input'));
  } else if (act === 'filter') {
    const box = document.querySelector('input[data-kind=person]');
    box.checked = false;
    box.dispatchEvent(new Event('change'));
  } else {
    const radio = document.getElementById('dg-view-country');
    radio.checked = true;
    radio.dispatchEvent(new Event('change'));
  }
  answered();
})
"""


def synthetic_graph(n: int, *, seed: int = 7) -> nx.MultiDiGraph:
    """A diplograph-shaped graph of about `n` nodes (deterministic for a seed).

    Parameters
    ----------
    n : int
        Number of nodes, at least 20.
    seed : int
        Random seed.

    Returns
    -------
    networkx.MultiDiGraph
        Countries, people, organizations, topics, locations and events, with ``participant``,
        ``acts_for``, ``held_in``, statement and ``co_mentioned`` edges (about 2.5 per node).

    Examples
    --------
    >>> G = synthetic_graph(200)
    >>> G.number_of_nodes(), sorted({k for _, k in G.nodes(data="kind")})[:3]
    (200, ['country', 'event', 'location'])
    """
    if n < 20:
        raise ValueError(f"n must be at least 20, got {n!r}")
    rng = random.Random(seed)
    G = nx.MultiDiGraph()
    counts = {"country": max(5, min(190, n // 20)), "organization": n // 10, "topic": n // 20, "location": n // 10}
    counts["event"] = n // 4
    counts["person"] = n - sum(counts.values())
    ids: dict[str, list[str]] = {}
    for kind, count in counts.items():
        ids[kind] = [f"{kind}:{i}" for i in range(count)]
        for i, node in enumerate(ids[kind]):
            label = f"{kind} {i}"
            G.add_node(node, kind=kind, label=label, aliases=[label, f"{kind[:3].upper()}-{i}"],
                       sources=[f"doc-{rng.randrange(n)}"], mentions=rng.randint(1, 9))
    for person in ids["person"]:
        state = rng.choice(ids["country"])
        G.nodes[person].update(country=state.split(":")[1], titles=["Foreign Minister"])
        G.add_edge(person, state, relation="acts_for", weight=1)
    for event in ids["event"]:
        day = f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        G.nodes[event].update(event_type=rng.choice(["meeting", "phone_call", "visit"]), date=day,
                              evidence=[{"doc": "doc-1", "sentence": f"The two sides met on {day}."}])
        for person in rng.sample(ids["person"], 2):
            G.add_edge(person, event, relation="participant", sources=["doc-1"])
        G.add_edge(event, rng.choice(ids["location"]), relation="held_in")
    relations = ["supports", "opposes", "condemns", "mediates", "cooperates_on", "partnership", "member_of"]
    others = ids["organization"] + ids["topic"] + ids["country"]
    for _ in range(n // 2):
        u, v = rng.choice(ids["country"] + ids["person"]), rng.choice(others)
        if u != v:
            G.add_edge(u, v, relation=rng.choice(relations), weight=rng.randint(1, 4),
                       dates=[f"20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}"], sources=["doc-2"],
                       evidence=[{"doc": "doc-2", "sentence": "A statement about the other party."}])
    everyone = list(G.nodes)
    for _ in range(n // 2):
        u, v = rng.sample(everyone, 2)
        G.add_edge(u, v, relation="co_mentioned", weight=1, count=1)
    return G


def measure(n: int, browser: Any, *, max_nodes: int | None = None) -> dict[str, Any]:
    """Write the page of a synthetic graph of `n` nodes and load it in `browser`.

    Returns the figures described in the module docstring, plus ``nodes``/``edges`` (of the
    graph), ``shown`` (nodes on the page), ``write_s``, ``mb`` and ``outside`` (requests that
    tried to leave the page).
    """
    G = synthetic_graph(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.html"
        start = time.perf_counter()
        write_html(G, path, max_nodes=max_nodes if max_nodes is not None else n)
        write_s = time.perf_counter() - start
        size = path.stat().st_size
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        outside: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(("file:", "data:", "about:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.add_init_script(_LONG_TASKS)
        page.goto(path.as_uri(), wait_until="domcontentloaded", timeout=120_000)
        page.wait_for_function("() => window.dg && dg.ready !== null", timeout=120_000, polling=50)
        dcl = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        drawn = page.evaluate("dg.ready")
        # Wait for one second free of long tasks (at most 30 s).
        quiet_since = time.perf_counter()
        deadline = quiet_since + 30
        seen = 0
        while time.perf_counter() - quiet_since < 1.0 and time.perf_counter() < deadline:
            page.wait_for_timeout(100)
            now = page.evaluate("window.__longTasks.length")
            if now != seen:
                seen, quiet_since = now, time.perf_counter()
        tasks = page.evaluate("window.__longTasks")
        interactive = max([drawn] + [end for _, end in tasks])
        shown = page.evaluate("Number(document.getElementById('dg-count').dataset.nodes)")
        timings = {}
        for act in ("search", "filter", "view"):
            t0, t1, drawn_after = page.evaluate(_RESPOND, act)
            if not drawn_after:
                raise RuntimeError(f"the network did not redraw after the {act}")
            timings[act] = t1 - t0
        context.close()
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "shown": shown,
        "write_s": write_s,
        "mb": size / 1e6,
        "dcl": dcl,
        "drawn": drawn,
        "interactive": interactive,
        "long_tasks": len(tasks),
        **timings,
        "outside": len(outside),
    }


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table of :func:`measure` results.

    Examples
    --------
    >>> row = dict(nodes=5, edges=4, shown=5, write_s=0.1, mb=0.5, dcl=80.0, drawn=120.0,
    ...            interactive=130.0, long_tasks=1, search=9.0, filter=8.0, view=7.0, outside=0)
    >>> print(format_table([row]).splitlines()[2])
    | 5 | 4 | 5 | 0.10 | 0.50 | 80 | 120 | 130 | 9 | 8 | 7 | 0 |
    """
    head = (
        "| nodes | edges | shown | write (s) | size (MB) | DOMContentLoaded (ms) | drawn (ms) "
        "| interactive (ms) | search (ms) | kind filter (ms) | country view (ms) | outside requests |"
    )
    lines = [head, "|" + "---|" * 12]
    for r in rows:
        lines.append(
            f"| {r['nodes']:.0f} | {r['edges']:.0f} | {r['shown']:.0f} | {r['write_s']:.2f} | {r['mb']:.2f} | {r['dcl']:.0f} "
            f"| {r['drawn']:.0f} | {r['interactive']:.0f} | {r['search']:.0f} | {r['filter']:.0f} "
            f"| {r['view']:.0f} | {r['outside']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the page for each size given and print a Markdown table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_load", description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000], help="node counts (default 1000 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="loads per size; the median is printed (default 3)")
    parser.add_argument("--max-nodes", type=int, default=None,
                        help="the page's node budget (default: the size, so every node is shown)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (apt-get install chromium)", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for n in args.sizes:
            runs = [measure(n, browser, max_nodes=args.max_nodes) for _ in range(max(1, args.repeat))]
            rows.append({key: statistics.median(run[key] for run in runs) for key in runs[0]})
            print(f"measured {n} nodes", file=sys.stderr)
        browser.close()
    print(format_table(rows))
    print(
        f"\nmedians of {max(1, args.repeat)} loads, each in a new browser context (the first load of a"
        " run also pays Chromium's first compile of vis-network). interactive: drawn, and the main"
        " thread free of long tasks (> 50 ms) for 1 s after; search / kind filter / country view: from"
        " the input until the next animation frame has run and the main thread is free."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
