"""Build the sample corpus once, then time each export of its graph.

Prints the build time (reading, model load, extraction, assembly: what ``notebooks/03_export``
prints) and, for each writer, the best of ``--repeat`` runs and the file size. Nothing is
asserted: figures only.

Run ``python -m benchmarks.export [--repeat 5]``.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per writer (the best is shown)")
    args = parser.parse_args(argv)

    from graph import build
    from graph.export import write_csv, write_gexf, write_graphml, write_json
    from sources.samples import sample_corpus

    start = time.perf_counter()
    result = build([sample_corpus()], progress=False)
    built = time.perf_counter() - start
    G = result.graph
    print(f"build: {built:.2f} s ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        writers: dict[str, tuple[Callable[[], Any], list[str]]] = {
            "json": (lambda: write_json(G, out / "graph.json"), ["graph.json"]),
            "graphml": (lambda: write_graphml(G, out / "graph.graphml"), ["graph.graphml"]),
            "gexf": (lambda: write_gexf(G, out / "graph.gexf"), ["graph.gexf"]),
            "csv": (lambda: write_csv(G, out), ["nodes.csv", "edges.csv", "events.csv"]),
        }
        print(f"{'export':<8} {'best s':>8} {'KiB':>8}")
        for name, (write, files) in writers.items():
            best = _best(write, args.repeat)
            size = sum((out / f).stat().st_size for f in files) / 1024
            print(f"{name:<8} {best:>8.3f} {size:>8.0f}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
