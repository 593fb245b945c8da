"""Export times and file sizes: JSON, GraphML, GEXF, CSV and the HTML page, as the graph grows.

The graph is assembled from synthetic records (:mod:`benchmarks.assembly`) in a fresh process
per size (assembly itself is timed by :mod:`benchmarks.assembly`); each writer of :mod:`graph.export` and :mod:`graph.render` is then
timed on it and the size of what it wrote measured.

Run ``python -m benchmarks.exports 10000 100000``.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["measure", "run_sizes", "format_table", "main", "FORMATS"]

#: Formats in table order.
FORMATS = ("json", "graphml", "gexf", "csv", "html")


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size


def measure(n_docs: int, *, seed: int = 0, work: Path) -> dict[str, Any]:
    """Assemble the graph of ``n_docs`` synthetic records, then time each writer."""
    import networkx as nx

    from benchmarks.assembly import synthetic_records
    from extract.linking import link_records
    from graph.build import assemble
    from graph.export import write_csv, write_gexf, write_graphml, write_json
    from graph.render import write_html

    linked, entities = link_records(synthetic_records(n_docs, seed=seed))
    G: nx.MultiDiGraph = assemble(linked, entities)
    del linked
    work.mkdir(parents=True, exist_ok=True)
    writers: dict[str, tuple[Callable[[], Any], Path]] = {
        "json": (lambda: write_json(G, work / "graph.json"), work / "graph.json"),
        "graphml": (lambda: write_graphml(G, work / "graph.graphml"), work / "graph.graphml"),
        "gexf": (lambda: write_gexf(G, work / "graph.gexf"), work / "graph.gexf"),
        "csv": (lambda: write_csv(G, work / "csv"), work / "csv"),
        "html": (lambda: write_html(G, work / "graph.html"), work / "graph.html"),
    }
    row: dict[str, Any] = {"docs": n_docs, "nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    for name in FORMATS:
        write, path = writers[name]
        t0 = time.perf_counter()
        try:
            write()
        except Exception as exc:  # one failing writer must not hide the others' figures
            row[name] = {"error": f"{type(exc).__name__}: {exc}"[:200]}
            continue
        row[name] = {"s": time.perf_counter() - t0, "bytes": _size(path)}
    return row


def run_sizes(sizes: Sequence[int], *, seed: int = 0, timeout: float = 1800.0,
              work: Path | None = None) -> list[dict[str, Any]]:
    """:func:`measure` each size in a fresh process."""
    root = Path(work) if work else Path(tempfile.mkdtemp(prefix="diplograph-exports-"))
    rows = []
    for n in sizes:
        cmd = [sys.executable, "-m", "benchmarks.exports", "--one", str(n), "--seed", str(seed),
               "--work", str(root / str(n))]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
            rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        except subprocess.TimeoutExpired:
            rows.append({"docs": n, "error": f"did not finish in {timeout:.0f} s"})
        except subprocess.CalledProcessError as exc:
            rows.append({"docs": n, "error": f"failed: {exc.stderr.strip().splitlines()[-1:]}"})
        print(format_table(rows[-1:]), file=sys.stderr, flush=True)
    return rows


def _mib(n: int) -> str:
    return f"{n / 2**20:,.1f}"


def format_table(rows: Sequence[dict[str, Any]]) -> str:
    """A Markdown table: seconds and MiB per format and size."""
    head = "| docs | nodes | edges | " + " | ".join(f"{f} s | {f} MiB" for f in FORMATS) + " |"
    lines = [head, "|" + "---:|" * (3 + 2 * len(FORMATS))]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['docs']:,} | {r['error']} |" + " |" * (1 + 2 * len(FORMATS)))
            continue
        cells = []
        for f in FORMATS:
            v = r[f]
            cells += [v["error"], ""] if "error" in v else [f"{v['s']:.1f}", _mib(v["bytes"])]
        lines.append(f"| {r['docs']:,} | {r['nodes']:,} | {r['edges']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.exports [SIZE ...] [--json FILE]``."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks.exports", description=__doc__.splitlines()[0])
    ap.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per size")
    ap.add_argument("--work", help="folder for the files written (default: a new temporary one)")
    ap.add_argument("--json", help="also write the rows as JSON here")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, seed=args.seed, work=Path(args.work))))
        return 0
    rows = run_sizes(args.sizes, seed=args.seed, timeout=args.timeout, work=Path(args.work) if args.work else None)
    print(format_table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
