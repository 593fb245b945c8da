"""graph._xml: networkx's GraphML and GEXF bytes for graphs of scalars, and None for the rest."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest

from graph._xml import gexf_text, graphml_text

NASTY = 'a&b<c>d"e\'f\ng\rh\ti ]]> é 😀 \x85\u2028'


def general_graphs(*, spells: bool = True) -> dict[str, nx.Graph]:
    """Graphs in the fast case that graph.export never makes: other classes, ids, keys and types
    (with GEXF's ``spells`` lists, which GraphML cannot hold, unless ``spells`` is False)."""
    multi = nx.MultiDiGraph(name=NASTY, id="g1", note=NASTY, size=3)
    multi.add_node(1)  # no attributes, an int id
    multi.add_node(NASTY, label=NASTY, pid="p", start=3, end=4.5, kind="x", flag=True, ratio=math.inf)
    multi.add_node("n", start="2023-01-01", nan=math.nan)
    multi.add_edge(1, NASTY)  # int key 0, no attributes
    multi.add_edge(1, NASTY, key="k", label=7, weight=0.5, type="t", id="e9", start="2023", end="2024")
    multi.add_edge(NASTY, "n", key=NASTY, neg=-math.inf, ok=False)
    multi.add_edge("n", 1, id="0", rank=2)  # an explicit id the counter must skip
    if spells:
        multi.nodes["n"]["spells"] = [("2023-01-01", None), (None, "2024")]
        multi.edges[NASTY, "n", NASTY]["spells"] = [("2023-02", "2023-03")]
    mixed = nx.DiGraph()
    mixed.add_node("a", value=1)
    mixed.add_node("b", value="one")  # one name, two types: two GraphML keys
    mixed.add_edge("a", "b", value=1.5)
    undirected = nx.Graph()
    undirected.add_edge("z", "a", w=1)
    undirected.add_edge("a", "m", w=2)
    undirected.add_edge("m", "z", w=3)
    undirected.add_edge("m", "m", w=4)
    multigraph = nx.MultiGraph()
    multigraph.add_edges_from([("a", "b"), ("a", "b"), ("b", "a", {"w": 1})])
    return {
        "empty": nx.MultiDiGraph(), "nodes only": nx.MultiDiGraph([("a", "b")]), "multi": multi,
        "mixed": mixed, "undirected": undirected, "multigraph": multigraph,
    }


@pytest.mark.parametrize("name", list(general_graphs()))
def test_graphml_text_is_networkx_output(name: str, networkx_xml: Any) -> None:
    G = general_graphs(spells=False)[name]
    text = graphml_text(G)
    assert text is not None
    assert text.encode("utf-8") == networkx_xml(G, "graphml")


@pytest.mark.parametrize("name", [n for n in general_graphs() if n != "mixed"])
def test_gexf_text_is_networkx_output(name: str, networkx_xml: Any) -> None:
    G = general_graphs()[name]
    text = gexf_text(G)
    assert text is not None
    assert text.encode("utf-8") == networkx_xml(G, "gexf")


def test_gexf_declares_a_name_with_two_types_once(networkx_xml: Any) -> None:
    # networkx declares an attribute by its first value's type; the file then holds both values
    G = general_graphs()["mixed"]
    assert gexf_text(G).encode("utf-8") == networkx_xml(G, "gexf")  # type: ignore[union-attr]


def test_a_graph_outside_the_fast_case_is_left_to_networkx() -> None:
    lists = nx.MultiDiGraph()
    lists.add_node("a", aliases=["x", "y"])
    assert graphml_text(lists) is None and gexf_text(lists) is None
    defaults = nx.MultiDiGraph(node_default={"kind": "x"})
    assert graphml_text(defaults) is None
    viz = nx.MultiDiGraph()
    viz.add_node("a", viz={"size": 2})
    assert gexf_text(viz) is None
    subclass = nx.MultiDiGraph()
    subclass.add_node("a", flag=type("Flag", (int,), {})(1))  # an int subclass: networkx's call
    assert graphml_text(subclass) is None and gexf_text(subclass) is None
    unnamed = nx.MultiDiGraph(name=3)
    assert gexf_text(unnamed) is None


def test_the_gexf_date_is_the_writing_day() -> None:
    G = nx.MultiDiGraph([("a", "b")])
    assert '<meta lastmodifieddate="2031-05-06">' in gexf_text(G, today=lambda: "2031-05-06")  # type: ignore[operator]
