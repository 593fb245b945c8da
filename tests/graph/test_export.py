"""graph.export and graph._io: JSON, GraphML and GEXF round trips, sanitizing, atomic writes."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import os
import re
from pathlib import Path

import igraph
import networkx as nx
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from graph._io import atomic_open, atomic_write_bytes, atomic_write_text
from graph.export import (
    csv_safe_text,
    read_json,
    to_csv_tables,
    to_gexf_graph,
    to_graphml_graph,
    to_json_data,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
    xml_safe_text,
)

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://www.gexf.net/1.2draft}"
HOSTILE = "<img src=x onerror=alert(1)> \x00nul \x1b[31mesc \ud800lone 😀 \"quoted\" & ]]>"


@pytest.fixture
def G() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "person:wang-yi",
        kind="person",
        label="Wang Yi",
        aliases=["Wang Yi", "王毅"],
        sources=["doc-a", "doc-b"],
        mentions=4,
        country="CHN",
        titles=["Foreign Minister"],
    )
    g.add_node("country:CHN", kind="country", label="China", aliases=["China"], iso3="CHN")
    g.add_node("country:IRN", kind="country", label="Iran", aliases=[], iso3="IRN", mentions=None)
    g.add_node(
        "event:2023-02-14-meeting",
        kind="event",
        label="Raisi meets Xi",
        event_type="meeting",
        date=dt.date(2023, 2, 14),
        location=None,
        initiator="country:IRN",
        tags={"b", "a"},
    )
    g.add_edge(
        "person:wang-yi",
        "event:2023-02-14-meeting",
        key="participant",
        relation="participant",
        sources=["doc-a"],
        evidence=[{"doc": "doc-a", "sentence": "They met.", "start": 0, "end": 9}],
        weight=1,
    )
    g.add_edge("country:CHN", "country:IRN", relation="supports", weight=2, dates=("2023-02",))
    g.add_edge("country:CHN", "country:IRN", relation="co_mentioned", weight=5, count=5)
    return g


# --- JSON ----------------------------------------------------------------------------------


def test_json_is_node_link_data(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = write_json(G, tmp_path / "graph.json")
    data = json.loads(out.read_text(encoding="utf-8"))
    expected = nx.node_link_data(G, edges="edges")
    assert data.keys() == expected.keys()
    assert [n["id"] for n in data["nodes"]] == [n["id"] for n in expected["nodes"]]
    event = next(n for n in data["nodes"] if n["id"] == "event:2023-02-14-meeting")
    assert event["date"] == "2023-02-14"
    assert event["tags"] == ["a", "b"]
    assert len(data["edges"]) == 3 and {"source", "target", "key"} <= data["edges"][0].keys()


def test_json_round_trip(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    H = read_json(write_json(G, tmp_path / "graph.json"))
    assert isinstance(H, nx.MultiDiGraph)
    assert sorted(H.nodes) == sorted(G.nodes)
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    assert H.nodes["person:wang-yi"] == G.nodes["person:wang-yi"]
    assert H.edges["person:wang-yi", "event:2023-02-14-meeting", "participant"]["evidence"] == [
        {"doc": "doc-a", "sentence": "They met.", "start": 0, "end": 9}
    ]
    assert H.nodes["event:2023-02-14-meeting"]["date"] == "2023-02-14"


def test_json_keeps_lone_surrogates_exactly(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("x", label="bad \ud800 half", aliases=["中国"])
    out = write_json(g, tmp_path / "g.json")
    out.read_bytes().decode("utf-8")  # valid UTF-8
    assert read_json(out).nodes["x"]["label"] == "bad \ud800 half"


def test_read_json_rejects_other_json(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match="not node-link JSON"):
        read_json(path)


def test_to_json_data_shares_nothing_mutable(G: nx.MultiDiGraph) -> None:
    data = to_json_data(G)
    data["nodes"][0]["aliases"].append("changed")
    assert "changed" not in G.nodes["person:wang-yi"]["aliases"]


# --- GraphML ---------------------------------------------------------------------------------


def _key_types(path: Path) -> dict[tuple[str, str], list[str]]:
    root = etree.parse(str(path)).getroot()
    types: dict[tuple[str, str], list[str]] = {}
    for key in root.iter(f"{GRAPHML_NS}key"):
        types.setdefault((key.get("for"), key.get("attr.name")), []).append(key.get("attr.type"))
    return types


def test_graphml_read_by_networkx(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = write_graphml(G, tmp_path / "graph.graphml")
    H = nx.read_graphml(out)
    assert H.number_of_nodes() == 4 and H.number_of_edges() == 3
    assert json.loads(H.nodes["person:wang-yi"]["aliases"]) == ["Wang Yi", "王毅"]
    assert json.loads(H.nodes["person:wang-yi"]["titles"]) == ["Foreign Minister"]
    assert H.nodes["event:2023-02-14-meeting"]["date"] == "2023-02-14"
    assert "location" not in H.nodes["event:2023-02-14-meeting"]  # None dropped
    edge = H.edges["person:wang-yi", "event:2023-02-14-meeting", "participant"]
    assert json.loads(edge["evidence"])[0]["sentence"] == "They met."


def test_graphml_read_by_igraph(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = write_graphml(G, tmp_path / "graph.graphml")
    g = igraph.Graph.Read_GraphML(str(out))
    assert g.vcount() == 4 and g.ecount() == 3
    assert g.is_directed()
    wang = g.vs.find(id="person:wang-yi")
    assert json.loads(wang["sources"]) == ["doc-a", "doc-b"]
    assert wang["mentions"] == 4
    assert sorted(g.es["relation"]) == ["co_mentioned", "participant", "supports"]


def test_graphml_one_type_per_key(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", mentions=3, flag=True, score=1.5, both=True)
    g.add_node("b", mentions="many", flag=False, score=2.5, both=1)
    g.add_node("c", mentions=None)
    g.add_edge("a", "b", weight=1)
    g.add_edge("b", "c", weight=2.5)
    out = write_graphml(g, tmp_path / "g.graphml")
    types = _key_types(out)
    assert all(len(kinds) == 1 for kinds in types.values()), types
    assert types[("node", "mentions")] == ["string"]
    assert types[("node", "flag")] == ["boolean"]
    assert types[("node", "score")] == ["double"]
    assert types[("node", "both")] == ["string"]
    assert types[("edge", "weight")] == ["string"]
    H = nx.read_graphml(out)
    assert H.nodes["a"]["mentions"] == "3" and H.nodes["b"]["flag"] is False
    ig = igraph.Graph.Read_GraphML(str(out))
    assert ig.vs.find(id="b")["mentions"] == "many"


def test_graphml_removes_xml_invalid_characters_everywhere(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a\x00b", label="x\x01y\ufffe", aliases=["\x0bz"])
    g.add_node("ab", label="plain")  # collides with "a\x00b" once cleaned
    g.add_edge("a\x00b", "ab", key="k\x1f", relation="r\ud800", **{"bad\x02key": 1})
    H = to_graphml_graph(g)
    assert sorted(H.nodes) == ["ab", "ab~2"]
    assert H.nodes["ab"]["label"] == "xy"
    assert json.loads(H.nodes["ab"]["aliases"]) == ["z"]
    assert list(H.edges(keys=True, data=True)) == [("ab", "ab~2", "k", {"relation": "r", "badkey": 1})]
    out = write_graphml(g, tmp_path / "g.graphml")
    assert nx.read_graphml(out).number_of_nodes() == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ok\t\n\r", "ok\t\n\r"), ("\x00\x08\x0b\x0c\x0e\x1f", ""), ("\ufffe\uffff", ""),
     ("\ud800a\udfff", "a"), ("emoji 😀", "emoji 😀")],
)
def test_xml_safe_text(text: str, expected: str) -> None:
    assert xml_safe_text(text) == expected


# --- GEXF ------------------------------------------------------------------------------------


def _gexf(path: Path) -> etree._Element:
    """The <graph> element of a GEXF file (lxml raises if the XML is not well formed)."""
    root = etree.parse(str(path)).getroot()
    graph = root.find(f"{GEXF_NS}graph")
    assert graph is not None
    return graph


def _gexf_node(graph: etree._Element, node_id: str) -> etree._Element:
    (node,) = [n for n in graph.iter(f"{GEXF_NS}node") if n.get("id") == node_id]
    return node


def _gexf_edges(graph: etree._Element, source: str, target: str) -> dict[str, etree._Element]:
    """The edges from source to target, by their networkx key."""
    keys = {
        a.get("id"): a.get("title")
        for attrs in graph.iter(f"{GEXF_NS}attributes") if attrs.get("class") == "edge"
        for a in attrs.iter(f"{GEXF_NS}attribute")
    }
    out = {}
    for e in graph.iter(f"{GEXF_NS}edge"):
        if (e.get("source"), e.get("target")) == (source, target):
            values = {keys[v.get("for")]: v.get("value") for v in e.iter(f"{GEXF_NS}attvalue")}
            out[values["networkx_key"]] = e
    return out


def _check_gexf_structure(graph: etree._Element) -> None:
    """What Gephi relies on: declared, typed attributes; unique ids; edges between nodes; intervals."""
    parse = {"long": int, "double": float, "string": str, "boolean": {"true": True, "false": False}.__getitem__}
    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
    for attrs in graph.iter(f"{GEXF_NS}attributes"):
        assert attrs.get("mode") == "static"
        titles = []
        for a in attrs.iter(f"{GEXF_NS}attribute"):
            assert a.get("type") in parse, a.get("type")
            declared[attrs.get("class")][a.get("id")] = a.get("type")
            titles.append(a.get("title"))
        assert len(titles) == len(set(titles)), titles  # one type per key
    node_ids = [n.get("id") for n in graph.iter(f"{GEXF_NS}node")]
    edge_ids = [e.get("id") for e in graph.iter(f"{GEXF_NS}edge")]
    assert len(node_ids) == len(set(node_ids)) and len(edge_ids) == len(set(edge_ids))
    for cls, tag in (("node", "node"), ("edge", "edge")):
        for el in graph.iter(f"{GEXF_NS}{tag}"):
            for v in el.iter(f"{GEXF_NS}attvalue"):
                parse[declared[cls][v.get("for")]](v.get("value"))  # raises if mistyped
            spans = [el, *el.iter(f"{GEXF_NS}spell")] if el.get("start") else list(el.iter(f"{GEXF_NS}spell"))
            for span in spans:
                start, end = dt.date.fromisoformat(span.get("start")), dt.date.fromisoformat(span.get("end"))
                assert start <= end
    for e in graph.iter(f"{GEXF_NS}edge"):
        assert e.get("source") in node_ids and e.get("target") in node_ids
        if e.get("weight") is not None:
            float(e.get("weight"))


def test_gexf_is_dynamic_with_intervals(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    graph = _gexf(write_gexf(G, tmp_path / "graph.gexf"))
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"
    assert graph.get("defaultedgetype") == "directed"
    event = _gexf_node(graph, "event:2023-02-14-meeting")
    assert (event.get("start"), event.get("end")) == ("2023-02-14", "2023-02-14")
    assert event.get("label") == "Raisi meets Xi"
    assert _gexf_node(graph, "country:CHN").get("start") is None  # undated: static
    participant = _gexf_edges(graph, "person:wang-yi", "event:2023-02-14-meeting")["participant"]
    assert (participant.get("start"), participant.get("end")) == ("2023-02-14", "2023-02-14")
    assert participant.get("label") == "participant" and participant.get("weight") == "1"
    chn_irn = _gexf_edges(graph, "country:CHN", "country:IRN")
    supports = next(e for e in chn_irn.values() if e.get("label") == "supports")
    assert (supports.get("start"), supports.get("end")) == ("2023-02-01", "2023-02-28")
    co_mentioned = next(e for e in chn_irn.values() if e.get("label") == "co_mentioned")
    assert co_mentioned.get("start") is None and co_mentioned.get("end") is None
    _check_gexf_structure(graph)


def test_gexf_read_by_networkx(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    R = nx.read_gexf(write_gexf(G, tmp_path / "graph.gexf"))
    assert isinstance(R, nx.MultiDiGraph)
    assert sorted(R.nodes) == sorted(G.nodes)
    # string and integer keys together: all become strings, and every multi-edge survives
    assert sorted(R.edges(keys=True)) == sorted((u, v, str(k)) for u, v, k in G.edges(keys=True))
    assert R.graph["mode"] == "dynamic"
    wang = R.nodes["person:wang-yi"]
    assert wang["label"] == "Wang Yi" and wang["mentions"] == 4
    assert json.loads(wang["aliases"]) == ["Wang Yi", "王毅"]
    event = R.nodes["event:2023-02-14-meeting"]
    assert (event["start"], event["end"], event["date"]) == ("2023-02-14", "2023-02-14", "2023-02-14")
    edge = R.edges["person:wang-yi", "event:2023-02-14-meeting", "participant"]
    assert edge["relation"] == "participant" and edge["weight"] == 1.0
    assert json.loads(edge["evidence"])[0]["sentence"] == "They met."
    assert (edge["start"], edge["end"]) == ("2023-02-14", "2023-02-14")


def test_gexf_multi_edges_with_relation_keys_survive(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    for relation in ("supports", "partnership", "co_mentioned"):
        g.add_edge("country:CHN", "country:IRN", key=relation, relation=relation, weight=1)
    R = nx.read_gexf(write_gexf(g, tmp_path / "g.gexf"))
    assert sorted(R["country:CHN"]["country:IRN"]) == ["co_mentioned", "partnership", "supports"]
    assert R.graph["mode"] == "static"  # nothing dated
    assert "timeformat" not in _gexf(tmp_path / "g.gexf").attrib


@pytest.mark.parametrize(
    ("date", "span"),
    [
        ("2023-02-14", ("2023-02-14", "2023-02-14")),
        ("2024-02", ("2024-02-01", "2024-02-29")),  # leap year
        ("2023-02", ("2023-02-01", "2023-02-28")),
        ("2023", ("2023-01-01", "2023-12-31")),
        (dt.date(2023, 5, 1), ("2023-05-01", "2023-05-01")),
        (dt.datetime(2023, 5, 1, 10, 30), ("2023-05-01", "2023-05-01")),
        ("2023-13", None),
        ("2023-04-31", None),
        ("last week", None),
        ("٢٠٢٣-٠٢-١٤", None),  # Arabic-Indic digits are no ISO date
        (None, None),
    ],
)
def test_gexf_event_intervals(date: object, span: tuple[str, str] | None) -> None:
    g = nx.MultiDiGraph()
    g.add_node("event:x", kind="event", date=date)
    g.add_node("person:a", kind="person")
    g.add_edge("person:a", "event:x", key="participant", relation="participant")
    H = to_gexf_graph(g)
    node, edge = H.nodes["event:x"], H.edges["person:a", "event:x", "participant"]
    got = (node["start"], node["end"]) if "start" in node else None
    assert got == span
    assert ((edge["start"], edge["end"]) if "start" in edge else None) == span
    assert H.graph["mode"] == ("dynamic" if span else "static")


def test_gexf_statement_dates_become_spells(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_edge(
        "country:CHN", "country:IRN", key="supports", relation="supports",
        dates=["2024-01-09", "2023-02-14", "2023-02", "not a date"],
    )
    g.add_node("event:e", kind="event", date="2023-03-01")
    g.add_edge("event:e", "topic:t", key="discussed", relation="discussed", dates=[])  # the event's
    H = to_gexf_graph(g)
    edge = H.edges["country:CHN", "country:IRN", "supports"]
    assert edge["spells"] == [("2023-02-01", "2023-02-28"), ("2024-01-09", "2024-01-09")]
    assert "start" not in edge
    assert H.edges["event:e", "topic:t", "discussed"]["start"] == "2023-03-01"
    out = write_gexf(g, tmp_path / "g.gexf")
    R = nx.read_gexf(out)  # no parallel edges: networkx reads a DiGraph, keys in "id"
    assert R.edges["country:CHN", "country:IRN"]["spells"] == edge["spells"]
    _check_gexf_structure(_gexf(out))


def test_gexf_reserved_names_stay_attributes(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", label=7, start="x", id="other", viz="big", parents="p")
    g.add_node("b", start_="taken")
    g.add_edge("a", "b", key="k", relation="r", weight="heavy", type="odd", id="e", end=3, key_=1)
    g.add_edge("b", "a", key="k", relation="r", weight=float("nan"), networkx_key="fake")
    H = to_gexf_graph(g)
    assert H.nodes["a"] == {"label": "7", "start__": "x", "id_": "other", "viz_": "big", "parents_": "p"}
    assert H.nodes["b"] == {"start_": "taken"}
    ab = H.edges["a", "b", "k"]
    assert "weight" not in ab and ab["weight_"] == "heavy" and ab["type_"] == "odd" and ab["end_"] == 3
    assert ab["key_"] == 1 and ab["label"] == "r"  # not reserved: kept as it is
    assert "weight" not in H.edges["b", "a", "k"]
    out = write_gexf(g, tmp_path / "g.gexf")
    R = nx.read_gexf(out)  # no parallel edges: a DiGraph
    assert sorted(R.edges) == [("a", "b"), ("b", "a")]
    assert R.edges["a", "b"]["type_"] == "odd" and R.edges["a", "b"]["id_"] == "e"
    assert R.nodes["a"]["start__"] == "x" and "start" not in R.nodes["a"]
    _check_gexf_structure(_gexf(out))


def test_gexf_hostile_text_writes_and_reads_back(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node(f"person:{HOSTILE}", kind="person", label=HOSTILE, aliases=[HOSTILE, "😀"], titles=["\x1b"])
    g.add_node("ab", label="plain")
    g.add_node("a\x00b", kind="event", date="2023-02-14", label="\ud800")  # cleans to "ab" too
    g.add_edge(f"person:{HOSTILE}", "a\x00b", key=HOSTILE, relation=HOSTILE, **{f"note{HOSTILE}": HOSTILE})
    g.add_edge(f"person:{HOSTILE}", "a\x00b", key=xml_safe_text(HOSTILE), relation="participant")
    out = write_gexf(g, tmp_path / "g.gexf")
    graph = _gexf(out)  # well formed
    _check_gexf_structure(graph)
    R = nx.read_gexf(out)
    clean = xml_safe_text(HOSTILE)
    assert sorted(R.nodes) == sorted([f"person:{clean}", "ab", "ab~2"])
    assert R.nodes[f"person:{clean}"]["label"] == clean
    assert json.loads(R.nodes[f"person:{clean}"]["aliases"]) == [clean, "😀"]
    assert R.nodes["ab~2"]["start"] == "2023-02-14"
    keys = sorted(R[f"person:{clean}"]["ab~2"])
    assert keys == sorted([clean, f"{clean}~2"])
    assert R.edges[f"person:{clean}", "ab~2", clean][f"note{clean}"] == clean


# --- CSV -------------------------------------------------------------------------------------


def test_csv_reuses_the_rows_of_the_last_files_and_writes_the_same_bytes(
    G: nx.MultiDiGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, fresh = tmp_path / "reused", tmp_path / "fresh"
    write_csv(G, folder, reuse=True)
    assert (folder / ".edges.csv.fragments").is_file()
    H = G  # changed in place: the other values are the very ones written
    first = next(iter(H))
    H.nodes[first]["label"] = "Renamed"
    H.add_node("country:QAT", kind="country", label="Qatar", iso3="QAT", aliases=["Qatar"], sources=["z"])
    with caplog.at_level("DEBUG", logger="graph.export"):
        paths = write_csv(H, folder, reuse=True)
    reused = {m.split(":")[0]: m for m in caplog.messages if "parts reused" in m}
    n = H.number_of_nodes()
    # the renamed node's row, and the rows of the edges showing its label, are made again
    changed = H.degree(first)
    assert reused["nodes.csv"] == f"nodes.csv: {n - 2} of {n} parts reused"
    assert reused["edges.csv"] == (
        f"edges.csv: {H.number_of_edges() - changed} of {H.number_of_edges()} parts reused"
    )
    for name, path in write_csv(H, fresh).items():
        assert paths[name].read_bytes() == path.read_bytes(), name
    # a column that becomes fractional changes every row's context: nothing is reused, all is right
    for n in H:
        H.nodes[n]["mentions"] = 1.5
    caplog.clear()
    with caplog.at_level("DEBUG", logger="graph.export"):
        paths = write_csv(H, folder, reuse=True)
    assert f"nodes.csv: 0 of {H.number_of_nodes()} parts reused" in caplog.messages
    for name, path in write_csv(H, fresh).items():
        assert paths[name].read_bytes() == path.read_bytes(), name


@pytest.mark.parametrize("change", ["label", "mixed type", "new key", "event date", "removed node"])
def test_graphml_and_gexf_reusing_the_last_files_write_the_same_bytes(
    G: nx.MultiDiGraph, tmp_path: Path, caplog: pytest.LogCaptureFixture, change: str
) -> None:
    from graph.export import write_graphml_and_gexf

    folder, fresh = tmp_path / "reused", tmp_path / "fresh"
    folder.mkdir()
    fresh.mkdir()
    G.add_node("country:QAT", kind="country", label="Qatar", aliases=["Qatar"], iso3="QAT")
    write_graphml_and_gexf(G, folder / "g.graphml", folder / "g.gexf", reuse=True)
    if change == "label":
        G.nodes["country:CHN"]["label"] = "PRC"
    elif change == "mixed type":  # every node's mentions become strings: nothing can be copied
        G.nodes["country:CHN"]["mentions"] = "many"
    elif change == "new key":
        G.nodes["country:CHN"]["capital"] = "Beijing"
    elif change == "event date":  # the edges to the event take its interval in GEXF
        G.nodes["event:2023-02-14-meeting"]["date"] = "2023-03"
    else:  # removing one that declared nothing of its own (the keys' numbers stay)
        G.remove_node("country:QAT")
    with caplog.at_level("DEBUG", logger="graph.export"):
        paths = write_graphml_and_gexf(G, folder / "g.graphml", folder / "g.gexf", reuse=True)
    expected = write_graphml_and_gexf(G, fresh / "g.graphml", fresh / "g.gexf")
    for path, want in zip(paths, expected):
        assert path.read_bytes() == want.read_bytes(), path.name
    copied = [m for m in caplog.messages if m.startswith("g.graphml:")]
    n = G.number_of_nodes() + G.number_of_edges()
    if change in ("mixed type", "new key"):  # other keys declared, or typed
        assert copied == [f"g.graphml: 0 of {n} parts reused"]
    elif change == "event date":  # the event and its participant edge are made again
        assert copied == [f"g.graphml: {n - 2} of {n} parts reused"]
    elif change == "label":
        assert copied == [f"g.graphml: {n - 1} of {n} parts reused"]
    else:
        assert copied == [f"g.graphml: {n} of {n} parts reused"]


def test_a_node_and_an_edge_declaring_alike_keep_their_own_key_types(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A key whose node values have mixed types is text for nodes only, also when copied (a
    copied edge with a node's attributes was given the node's declarations: nothing wrong was
    written, but everything was converted again)."""
    from graph.export import write_graphml_and_gexf

    g = nx.MultiDiGraph()
    g.add_node("a", w=1)  # the nodes' w is mixed: text for every node
    g.add_node("b", w="x")
    g.add_edge("a", "b", key="k", w=1)  # the same attributes as node a; the edges' w stays a number
    paths = write_graphml_and_gexf(g, tmp_path / "g.graphml", tmp_path / "g.gexf", reuse=True)
    first = [p.read_bytes() for p in paths]
    with caplog.at_level("DEBUG", logger="graph.export"):
        paths = write_graphml_and_gexf(g, tmp_path / "g.graphml", tmp_path / "g.gexf", reuse=True)
    assert [p.read_bytes() for p in paths] == first
    assert "g.graphml: 3 of 3 parts reused" in caplog.messages
    assert "g.gexf: 3 of 3 parts reused" in caplog.messages
    assert not [m for m in caplog.messages if "declared otherwise" in m]  # copied without converting
    assert nx.read_graphml(paths[0], force_multigraph=True).edges["a", "b", "k"]["w"] == 1


def test_controls_json_escapes_briefly_are_removed_too(tmp_path: Path) -> None:
    """json writes backspace and form feed as \\b and \\f, not \\u0008: they are removed all the same."""
    g = nx.MultiDiGraph()
    g.add_node("person:x", kind="person", label="X", aliases=["bell\x08", "form\x0c", "tab\t"])
    g.add_edge("person:x", "person:x", key="role", relation="role",
               evidence=[{"doc": "d", "sentence": "a\x08b\x0cc", "start": 0, "end": 3}])
    R = nx.read_graphml(write_graphml(g, tmp_path / "g.graphml"))
    assert json.loads(R.nodes["person:x"]["aliases"]) == ["bell", "form", "tab\t"]
    edges = _read_csv(write_csv(g, tmp_path / "csv")["edges"])
    assert json.loads(edges["evidence"][0])[0]["sentence"] == "abc"


def test_a_copied_part_must_have_been_declared_alike(tmp_path: Path) -> None:
    from graph._fragments import Fragments, fingerprint
    from graph._xml import Items, Reused, StaleParts, graphml_parts

    path = tmp_path / "g.graphml"
    items = Items({}, [("a", {"x": 1})], [])
    fps = ([fingerprint("a")], [])
    parts = Fragments(path)
    assert graphml_parts(items, parts, fps=fps, tags=([(("x", "long"),)], []))
    parts.write()
    copied = Items({}, [("a", Reused((("x", "long"),)))], [])
    again = Fragments.previous(path)
    assert graphml_parts(copied, again, fps=fps, tags=([(("x", "long"),)], []))
    assert again.reused == 1 and b"".join(bytes(p) for p in again.parts) == path.read_bytes()
    other = Items({}, [("a", Reused((("x", "string"),)))], [])  # declared otherwise: a key of another type
    with pytest.raises(StaleParts):
        graphml_parts(other, Fragments.previous(path), fps=fps, tags=([(("x", "string"),)], []))


def test_csv_without_reuse_leaves_no_index(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_csv(G, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edges.csv", "events.csv", "nodes.csv"]


def _read_csv(path: Path) -> pd.DataFrame:
    # keep_default_na: an empty cell stays "" so text columns compare as text
    return pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)


def test_csv_writes_three_tables_that_pandas_reads(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    paths = write_csv(G, tmp_path / "new" / "folder")
    assert {k: p.name for k, p in paths.items()} == {
        "nodes": "nodes.csv", "edges": "edges.csv", "events": "events.csv",
    }
    for path in paths.values():
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
        assert b"\r\n" in path.read_bytes()
    nodes, edges, events = (_read_csv(paths[k]) for k in ("nodes", "edges", "events"))
    assert list(nodes["id"]) == list(G.nodes)
    assert len(edges) == G.number_of_edges()
    assert sorted(zip(edges["source"], edges["target"], edges["relation"])) == sorted(
        (u, v, d["relation"]) for u, v, d in G.edges(data=True)
    )
    assert list(events["id"]) == ["event:2023-02-14-meeting"]
    assert events.loc[0, "participants"] == "person:wang-yi"
    assert events.loc[0, "date"] == "2023-02-14"
    wang = nodes.set_index("id").loc["person:wang-yi"]
    assert wang["aliases"] == "Wang Yi; 王毅"  # lists of names: "; "-joined
    assert wang["mentions"] == "4" and wang["label"] == "Wang Yi"  # an integer stays one
    assert nodes.set_index("id").loc["country:IRN", "mentions"] == ""  # None (pd.NA): empty cell
    participant = edges[edges["relation"] == "participant"].iloc[0]
    assert json.loads(participant["evidence"]) == [  # lists of mappings: JSON
        {"doc": "doc-a", "sentence": "They met.", "start": 0, "end": 9}
    ]


def test_csv_numbers_stay_numbers(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", kind="country", label="-5", mentions=-3, score=-1.5, flag=True, nan=float("nan"))
    nodes = pd.read_csv(write_csv(g, tmp_path)["nodes"], encoding="utf-8-sig")
    row = nodes.iloc[0]
    assert row["mentions"] == -3 and row["score"] == -1.5 and bool(row["flag"]) is True
    assert row["label"] == "'-5"  # text that looks like a formula is defused, numbers are not
    assert pd.isna(row["nan"])


def test_csv_hostile_text(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("person:x", kind="person", label=HOSTILE, aliases=["=cmd|' /C calc'!A0", "😀"],
               titles=["\ttab", "line\nbreak"])
    g.add_node("person:y", kind="person", label="@SUM(1+1)", aliases=["+1"], country="\r\x00CHN")
    g.add_edge("person:x", "person:y", key="r", relation="=1+1", **{"bad\x00=col": "-x"})
    paths = write_csv(g, tmp_path)
    nodes = _read_csv(paths["nodes"]).set_index("id")
    clean = HOSTILE.replace("\x00", "").replace("\x1b", "").replace("\ud800", "")
    assert nodes.loc["person:x", "label"] == clean  # markup is text in a CSV: kept as is
    assert "<img src=x onerror=alert(1)>" in clean and "😀" in clean
    assert nodes.loc["person:x", "aliases"] == "'=cmd|' /C calc'!A0; 😀"
    assert nodes.loc["person:x", "titles"] == "'\ttab; line\nbreak"
    assert nodes.loc["person:y", "label"] == "'@SUM(1+1)"
    assert nodes.loc["person:y", "aliases"] == "'+1"
    assert nodes.loc["person:y", "country"] == "'\rCHN"
    edges = _read_csv(paths["edges"])
    assert edges.loc[0, "relation"] == "'=1+1" and edges.loc[0, "bad=col"] == "'-x"
    # Python's csv module agrees: one header and one row per node, line breaks inside cells quoted
    with open(paths["nodes"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 3 and len({len(r) for r in rows}) == 1
    header = rows[0]
    assert rows[1][header.index("titles")] == "'\ttab; line\nbreak"
    for path in paths.values():
        text = path.read_text(encoding="utf-8-sig")
        assert not any(c in text for c in "\x00\x1b\x7f")


@pytest.mark.parametrize(
    "sentence",
    ["They met.", "NUL\x00 and ESC\x1b", "DEL\x7f, NEL\x85", "\ufffe and a lone \ud800", "a literal \\u0041",
     "王毅 met 😀"],
)
def test_csv_evidence_cells_are_cleaned_json(sentence: str, tmp_path: Path) -> None:
    # every evidence cell is the JSON of its items with the characters a cell loses removed,
    # whether the quick path (nothing to remove) or the general one made it
    g = nx.MultiDiGraph()
    evidence = [{"doc": "d1", "sentence": sentence, "start": 0, "end": 9}, {"doc": "d\x002", "sentence": "ok"}]
    g.add_edge("a", "b", key="supports", relation="supports", evidence=evidence)
    edges = _read_csv(write_csv(g, tmp_path)["edges"])
    cell = edges.loc[0, "evidence"]
    lost = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
    expected = [{k: lost.sub("", v) if isinstance(v, str) else v for k, v in item.items()} for item in evidence]
    assert json.loads(cell) == expected and not lost.search(cell)


def test_csv_tables_are_query_frames(G: nx.MultiDiGraph) -> None:
    from graph.query import edges_frame, events_frame, nodes_frame

    tables = to_csv_tables(G)
    for name, frame in (("nodes", nodes_frame(G)), ("edges", edges_frame(G)), ("events", events_frame(G))):
        assert list(tables[name].columns) == list(frame.columns)
        assert len(tables[name]) == len(frame)


def test_csv_column_names_are_cleaned_and_unique(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("a", kind="x", label="a", **{"note\x00": 1, "note": 2, "=f": 3})
    nodes = to_csv_tables(g)["nodes"]
    assert {"note", "note~2", "'=f"} <= set(nodes.columns)
    assert sorted(nodes.loc[0, ["note", "note~2"]]) == [1, 2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("plain", "plain"), ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("\x00=x", "'=x"), ("a=b", "a=b"), ("a\nb", "a\nb"),
     ("\x1b[31m", "[31m"), ("\x7f\x85\x9f", ""), ("\ud800😀", "😀"), ("\ufffe", "")],
)
def test_csv_safe_text(text: str, expected: str) -> None:
    assert csv_safe_text(text) == expected


# --- the shape graph.build makes ---------------------------------------------------------------


@pytest.fixture
def built_shape() -> nx.MultiDiGraph:
    from graph.query import example_graph

    return example_graph()


def test_gexf_of_a_built_graph_dates_every_contact(built_shape: nx.MultiDiGraph, tmp_path: Path) -> None:
    G = built_shape
    out = write_gexf(G, tmp_path / "graph.gexf")
    graph = _gexf(out)
    _check_gexf_structure(graph)
    R = nx.read_gexf(out)
    assert isinstance(R, nx.MultiDiGraph)
    assert sorted(R.edges(keys=True)) == sorted(G.edges(keys=True))
    for n, d in G.nodes(data=True):
        if d["kind"] == "event":
            assert (R.nodes[n]["start"], R.nodes[n]["end"]) == (d["date"], d["date"])
        else:
            assert "start" not in R.nodes[n]
    for u, v, k, d in G.edges(keys=True, data=True):
        back = R.edges[u, v, k]
        if k in {"participant", "held_in"}:
            event = v if G.nodes[v]["kind"] == "event" else u
            assert (back["start"], back["end"]) == (G.nodes[event]["date"],) * 2
        elif d.get("dates"):
            dates = sorted(d["dates"])
            assert back.get("spells", [(back.get("start"), back.get("end"))])[0][0] == dates[0]
        else:
            assert "start" not in back and "spells" not in back, (u, v, k)


def test_csv_of_a_built_graph(built_shape: nx.MultiDiGraph, tmp_path: Path) -> None:
    G = built_shape
    paths = write_csv(G, tmp_path)
    nodes, edges, events = (_read_csv(paths[k]) for k in ("nodes", "edges", "events"))
    assert list(nodes["id"]) == list(G.nodes)
    assert sorted(zip(edges["source"], edges["target"], edges["key"])) == sorted(G.edges(keys=True))
    assert sorted(events["id"]) == sorted(n for n, k in G.nodes(data="kind") if k == "event")
    supports = edges[edges["relation"] == "supports"].iloc[0]
    assert supports["dates"] == "2023-07-24; 2024-09-12" and float(supports["confidence"]) == 0.8
    assert [e["doc"] for e in json.loads(supports["evidence"])] == ["a", "c"]
    first = events.iloc[0]
    assert first["participant_labels"].split("; ") == ["Ali Akbar Ahmadian", "Wang Yi"]
    assert first["countries"] == "CHN; IRN" and first["location_label"] == "Johannesburg"


# --- nothing is mutated -----------------------------------------------------------------------


@pytest.mark.parametrize("export", [write_json, write_graphml, write_gexf, write_csv])
def test_exports_do_not_modify_the_graph(G: nx.MultiDiGraph, tmp_path: Path, export) -> None:
    before = copy.deepcopy(G)
    export(G, tmp_path / "out")
    to_graphml_graph(G)
    to_gexf_graph(G)
    to_csv_tables(G)
    to_json_data(G)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(before.edges(keys=True, data=True))
    assert G.graph == before.graph


# --- arbitrary text --------------------------------------------------------------------------

nasty_text = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0, max_codepoint=0x1F),
        st.sampled_from(['"', "'", "<", ">", "&", "<script>", "]]>", "\ud800", "\ufffe", "😀", "href"]),
    ),
    max_size=20,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    labels=st.lists(nasty_text, min_size=1, max_size=4),
    aliases=st.lists(nasty_text, max_size=3),
    title=nasty_text,
    key=nasty_text,
)
def test_any_text_still_parses(
    tmp_path: Path, labels: list[str], aliases: list[str], title: str, key: str
) -> None:
    g = nx.MultiDiGraph()
    for i, label in enumerate(labels):
        g.add_node(f"n{i}:{label}", kind="person", label=label, aliases=aliases, titles=[title])
    nodes = list(g.nodes)
    g.add_edge(nodes[0], nodes[-1], key=key, relation="role", title=title)
    before = copy.deepcopy(g)

    H = read_json(write_json(g, tmp_path / "g.json"))
    assert H.number_of_nodes() == g.number_of_nodes()
    assert [H.nodes[n]["label"] for n in nodes] == labels

    out = write_graphml(g, tmp_path / "g.graphml")
    R = nx.read_graphml(out)
    assert R.number_of_nodes() == g.number_of_nodes() and R.number_of_edges() == 1
    decoded = json.loads(next(iter(R.nodes.values()))["aliases"])
    assert decoded == [xml_safe_text(a) for a in aliases]
    assert igraph.Graph.Read_GraphML(str(out)).vcount() == g.number_of_nodes()

    gexf = nx.read_gexf(write_gexf(g, tmp_path / "g.gexf"))
    assert gexf.number_of_nodes() == g.number_of_nodes() and gexf.number_of_edges() == 1
    assert sorted(gexf.nodes[n]["label"] for n in gexf) == sorted(xml_safe_text(x) for x in labels)

    nodes = pd.read_csv(write_csv(g, tmp_path / "csv")["nodes"], encoding="utf-8-sig",
                        keep_default_na=False, dtype=str)
    assert list(nodes["label"]) == [csv_safe_text(x) for x in labels]
    assert nx.utils.graphs_equal(g, before) and dict(g.nodes(data=True)) == dict(before.nodes(data=True))


# --- atomic writes ---------------------------------------------------------------------------


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    atomic_write_text(target, "new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert target.stat().st_mode & 0o777 == 0o640
    atomic_write_bytes(tmp_path / "b.bin", b"\x00")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.bin", "out.txt"]


def test_atomic_open_failure_keeps_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_open(target, "w") as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_failed_export_keeps_previous_file(
    G: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "graph.graphml"
    target.write_text("previous", encoding="utf-8")

    def half_then_fail(graph: nx.Graph, fh, **kwargs) -> None:
        fh.write(b"<graphml>")
        raise OSError("disk full")

    monkeypatch.setattr(nx, "write_graphml", half_then_fail)
    monkeypatch.setattr("graph.export.graphml_parts", lambda *a, **k: False)  # networkx's writer, not graph._xml
    with pytest.raises(OSError, match="disk full"):
        write_graphml(G, target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.graphml"]


@pytest.mark.parametrize("name", ["graph.graphml", "graph.gexf", "graph.json"])
def test_failed_fast_export_keeps_previous_file(
    G: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """The writers that make their text first (graph._xml, orjson) fail as atomically."""
    import io

    target = tmp_path / name
    target.write_text("previous", encoding="utf-8")

    class FullDisk(io.FileIO):
        def write(self, data: object) -> int:
            super().write(b"<half")
            raise OSError("disk full")

    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: (
        FullDisk(fd, "wb") if "w" in mode else real_fdopen(fd, mode, *a, **k)))
    writer = {"graph.graphml": write_graphml, "graph.gexf": write_gexf, "graph.json": write_json}[name]
    with pytest.raises(OSError, match="disk full"):
        writer(G, target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_atomic_open_rejects_read_modes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported mode: 'r'"):
        with atomic_open(tmp_path / "x", "r"):  # type: ignore[arg-type]
            pass


def test_json_quick_path_writes_the_json_modules_values(tmp_path: Path) -> None:
    """orjson (graph.json's quick path) and the json module write the same values, whatever the types."""
    import dataclasses
    import enum

    import numpy as np

    from graph.export import _json_lines, _jsonable, _orjson_lines

    class Colour(enum.Enum):
        RED = "red"

    @dataclasses.dataclass
    class Point:
        x: int

    G = nx.MultiDiGraph(created=dt.datetime(2024, 1, 2, 3, 4, 5))
    G.add_node("a", seen={"b", "a"}, day=dt.date(2023, 2, 14), pair=("x", 1), n=np.int64(3),
               f=np.float32(0.5), nan=float("nan"), inf=float("inf"), colour=Colour.RED, point=Point(1),
               nested={"k": [{"deep": {1.5, 2.5}}]}, text="é 😀 \x00 \u2028")
    G.add_edge("a", "b", key="k", weight=2, at=dt.time(10, 30))
    raw = nx.node_link_data(G, edges="edges")
    fast = _orjson_lines(raw)
    assert fast is not None
    assert json.loads(fast) == json.loads(_json_lines(_jsonable(raw), ensure_ascii=False))
    out = write_json(G, tmp_path / "graph.json")
    node = json.loads(out.read_bytes())["nodes"][0]
    assert node["seen"] == ["a", "b"] and node["colour"] == "red" and node["point"] == str(Point(1))
    assert node["nan"] is None and node["day"] == "2023-02-14" and node["n"] == 3


@pytest.mark.parametrize("value", [2**70, {1: "int key"}, "lone \ud800"])
def test_json_quick_path_steps_aside(tmp_path: Path, value: object) -> None:
    """What orjson cannot write as the json module does goes to the json module."""
    from graph.export import _orjson_lines

    G = nx.MultiDiGraph()
    G.add_node("a", value=value)
    assert _orjson_lines(nx.node_link_data(G, edges="edges")) is None
    back = read_json(write_json(G, tmp_path / "graph.json"))
    expected = {"1": "int key"} if isinstance(value, dict) else value
    assert back.nodes["a"]["value"] == expected
