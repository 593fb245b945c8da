"""graph.export and graph._io: JSON and GraphML round trips, sanitizing, atomic writes."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from pathlib import Path

import igraph
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from graph._io import atomic_open, atomic_write_bytes, atomic_write_text
from graph.export import (
    read_json,
    to_graphml_graph,
    to_json_data,
    write_graphml,
    write_json,
    xml_safe_text,
)

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


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


# --- nothing is mutated -----------------------------------------------------------------------


@pytest.mark.parametrize("export", [write_json, write_graphml])
def test_exports_do_not_modify_the_graph(G: nx.MultiDiGraph, tmp_path: Path, export) -> None:
    before = copy.deepcopy(G)
    export(G, tmp_path / "out")
    to_graphml_graph(G)
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
    with pytest.raises(OSError, match="disk full"):
        write_graphml(G, target)
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.graphml"]


def test_atomic_open_rejects_read_modes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unsupported mode: 'r'"):
        with atomic_open(tmp_path / "x", "r"):  # type: ignore[arg-type]
            pass
