"""Query API timings (:mod:`graph.query`) on graphs assembled from the synthetic corpus.

The graph of each size is assembled from :func:`benchmarks.assembly.synthetic_records` (no
spaCy), then every query is timed once on it, for the busiest official and the two states in
contact most often. Figures are seconds of wall time.

Run ``python -m benchmarks.queries 1000 10000``.
"""
from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import networkx as nx

from benchmarks.assembly import synthetic_records
from extract.linking import link_records
from graph import query
from graph.build import assemble

__all__ = ["graph_of", "time_queries", "main"]


def graph_of(n_docs: int, *, seed: int = 0) -> nx.MultiDiGraph:
    """The assembled graph of ``n_docs`` synthetic records."""
    records, entities = link_records(synthetic_records(n_docs, seed=seed))
    return assemble(records, entities)


def time_queries(G: nx.MultiDiGraph) -> dict[str, float]:
    """Seconds each query takes on `G` (one call each)."""
    official = query.most_active(G, "person", top=1)["id"].iloc[0]
    pairs = query.country_contacts(G).groupby(["a", "b"])["count"].sum().sort_values()
    a, b = pairs.index[-1] if len(pairs) else ("", "")
    label = G.nodes[official]["label"]
    calls: dict[str, Callable[[], Any]] = {
        "nodes_frame": lambda: query.nodes_frame(G),
        "edges_frame": lambda: query.edges_frame(G),
        "events_frame": lambda: query.events_frame(G),
        "country_view": lambda: query.country_view(G),
        "country_contacts": lambda: query.country_contacts(G),
        "lookup (label)": lambda: query.lookup(G, label),
        "lookup (misspelt)": lambda: _raises(lambda: query.lookup(G, label[::-1])),
        "timeline": lambda: query.timeline(G, official),
        "contact_history": lambda: query.contact_history(G, a, b),
        "statements": lambda: query.statements(G),
        "ego_network r=2": lambda: query.ego_network(G, official, radius=2),
        "time_slice": lambda: query.time_slice(G, "2023", "2023"),
        "most_active": lambda: query.most_active(G, "country"),
        "central betweenness": lambda: query.central(G, "country", measure="betweenness"),
        "shortest_connection": lambda: query.shortest_connection(G, official, b),
    }
    out = {}
    for name, call in calls.items():
        started = time.perf_counter()
        call()
        out[name] = time.perf_counter() - started
    return out


def _raises(call: Callable[[], Any]) -> None:
    try:
        call()
    except LookupError:
        return


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m benchmarks.queries [SIZE ...]``: a Markdown table, one column per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args(argv)
    columns = []
    for n in args.sizes:
        G = graph_of(n)
        columns.append((n, G, time_queries(G)))
    print("| query | " + " | ".join(f"{n} docs ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)"
                                    for n, G, _ in columns) + " |")
    print("|---|" + "---:|" * len(columns))
    for name in columns[0][2]:
        print(f"| {name} | " + " | ".join(f"{t[name]:.3f} s" for _, _, t in columns) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
