"""Fuzzing the exporters: JSON, GraphML, GEXF and extractions.jsonl stay valid for any text.

Property-based (hypothesis): arbitrary Unicode (every category, lone surrogates included),
C0/C1 control characters and markup in node ids, labels, aliases, titles, article titles,
evidence sentences, outlets, relation names and edge keys; graphs shaped like
:func:`graph.assemble`'s (kinds, lists, ``None``), and graphs assembled from real
:class:`extract.records.DocumentRecord` objects. Each file is read back by networkx, igraph
and lxml. ``make fuzz`` runs these with the ``fuzz`` profile (tests/conftest.py).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from extract.records import DocumentRecord, Entity, Event, Mention, Relation, Role, Sentence
from graph.build import assemble, write_extractions
from graph.export import read_json, write_gexf, write_graphml, write_json, xml_safe_text

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

MARKUP = [
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "</script>", "]]>", "<![CDATA[",
    "<!--", "-->", "&", "&amp;", "&#0;", "&#x1F600;", '"', "'", "`", "<", ">", "\\", "{{x}}", "${x}",
    "javascript:alert(1)", "href", "\u202e", "\ufeff", "\ufffe", "\uffff", "\x85", "\u2028", "\r", "\r\n",
    "\t", "~2", ":", "person:", "😀", "\U0010ffff",
]
KINDS = ["person", "country", "organization", "initiative", "location", "topic", "event"]
RELATIONS = ["participant", "role", "acts_for", "co_mentioned", "supports", "opposes", "discussed", "held_in"]

piece = st.one_of(
    st.text(max_size=12),  # every category but surrogates
    st.characters(categories=["Cc"]).map(str),
    st.characters(categories=["Cs"]).map(str),
    st.characters(categories=["Co", "Cn", "Cf"]).map(str),
    st.sampled_from(MARKUP),
)
hostile = st.lists(piece, max_size=6).map("".join)
maybe = st.none() | hostile
texts = st.lists(hostile, max_size=3)
# igraph cannot read a subnormal double ("5e-324": "Integer or double overflow"); confidences
# are never that small, so they are left out here.
confidence = st.just(0.0) | st.floats(1e-300, 1.0)


def evidence(draw: st.DrawFn) -> list[dict[str, Any]]:
    return draw(st.lists(st.fixed_dictionaries(
        {"doc": hostile, "sentence": hostile, "start": st.integers(0, 10**6), "end": st.integers(0, 10**6)}
    ), max_size=3))


@st.composite
def graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    """A graph shaped like graph.assemble's, with hostile text everywhere text goes."""
    ids = draw(st.lists(
        st.one_of(hostile, st.tuples(st.sampled_from(KINDS), hostile).map(":".join)),
        min_size=1, max_size=6, unique=True,
    ))
    G = nx.MultiDiGraph(title=draw(hostile))
    for n in ids:
        kind = draw(st.sampled_from(KINDS) | hostile)
        attrs: dict[str, Any] = {
            "kind": kind, "label": draw(hostile), "aliases": draw(texts), "sources": draw(texts),
            "mentions": draw(st.integers(0, 50)),
        }
        if kind == "person":
            attrs.update(country=draw(maybe), titles=draw(texts))
        if kind == "event":
            attrs.update(
                event_type=draw(hostile), date=draw(st.sampled_from([None, "2023-02-14", "2023-02", "2023"]) | hostile),
                date_text=draw(texts), location=draw(st.none() | st.sampled_from(ids)), initiator=draw(maybe),
                host=None, cameo=draw(maybe), evidence=evidence(draw), outlets=draw(texts),
                article_titles=draw(texts), source_count=draw(st.integers(0, 5)),
            )
        G.add_node(n, **attrs)
    for _ in range(draw(st.integers(0, 8))):
        u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        relation = draw(st.sampled_from(RELATIONS) | hostile)
        G.add_edge(
            u, v, key=relation, relation=relation, sources=draw(texts), evidence=evidence(draw),
            weight=draw(st.integers(0, 9)), confidence=draw(confidence), dates=draw(texts),
            methods=draw(texts), title=draw(maybe),
        )
    return G


@st.composite
def records(draw: st.DrawFn) -> list[DocumentRecord]:
    """Extraction records whose every text field is hostile, for graph.assemble."""
    out = []
    for d in range(draw(st.integers(1, 3))):
        sentences = tuple(Sentence(0, 5, draw(hostile)) for _ in range(draw(st.integers(1, 3))))
        ents = []
        for _ in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(KINDS[:-1]))
            ents.append(Entity(
                f"{kind}:{draw(hostile)}", kind, draw(hostile), tuple(draw(texts)),
                draw(maybe) if kind == "person" else None, tuple(draw(texts)) if kind == "person" else (),
            ))
        ids = [e.id for e in ents]
        mentions = tuple(
            Mention(0, 3, draw(hostile), e.kind, e.id, draw(st.integers(-1, len(sentences))), draw(hostile))
            for e in ents
        )
        people = [e.id for e in ents if e.kind == "person"] or ids
        roles = tuple(Role(draw(st.sampled_from(people)), draw(hostile), draw(st.none() | st.sampled_from(ids)),
                           draw(st.none() | st.sampled_from(["IRN", "CHN", "X\x00"]) | hostile), 0)
                      for _ in range(draw(st.integers(0, 2))))
        events = tuple(Event(
            f"ev{d}-{i}", draw(st.sampled_from(["meeting", "phone_call", "visit"]) | hostile),
            tuple(draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))), 0,
            date=draw(st.sampled_from([None, "2023-02-14", "2023-02"]) | hostile), date_text=draw(maybe),
            location=draw(st.none() | st.sampled_from(ids)), trigger=draw(hostile), primary=draw(st.booleans()),
        ) for i in range(draw(st.integers(0, 2))))
        relations = tuple(Relation(
            draw(st.sampled_from(ids)), draw(st.sampled_from(["supports", "discussed", "partnership"]) | hostile),
            draw(st.sampled_from(ids)), 0, draw(hostile), draw(confidence), draw(maybe), draw(maybe),
        ) for _ in range(draw(st.integers(0, 2))))
        out.append(DocumentRecord(
            draw(hostile) + f"#{d}", title=draw(hostile), published=draw(maybe), outlet=draw(maybe),
            url=draw(maybe), sentences=sentences, mentions=mentions, entities=tuple(ents), roles=roles,
            events=events, relations=relations,
        ))
    return out


def cleaned_ids(G: nx.Graph) -> list[str] | None:
    """The node ids GraphML/GEXF hold (XML-invalid characters removed, ``~`` for an empty one),
    if no two collide."""
    ids = [xml_safe_text(str(n)) or "~" for n in G.nodes]
    return ids if len(set(ids)) == len(ids) else None


def norm(value: Any) -> Any:
    """`value` as JSON gives it back: a high and a low surrogate side by side (two characters in
    Python) come back as the one character they encode; lone surrogates stay."""
    return json.loads(json.dumps(value))


def check_json(G: nx.MultiDiGraph, path: Path) -> None:
    write_json(G, path)
    data = json.loads(path.read_bytes().decode("utf-8"))  # strict UTF-8: no lone surrogate bytes
    assert len(data["nodes"]) == G.number_of_nodes()
    H = read_json(path)
    assert set(H.nodes) == {norm(n) for n in G.nodes}  # ids survive, lone surrogates included
    assert sorted(H.edges(keys=True), key=repr) == sorted(map(tuple, norm(list(G.edges(keys=True)))), key=repr)
    for n, d in G.nodes(data=True):
        got = H.nodes[norm(n)]
        assert got["label"] == norm(d["label"]) and got["aliases"] == norm(d["aliases"])
    for u, v, k, d in G.edges(keys=True, data=True):
        got = H.edges[norm(u), norm(v), norm(k)]
        assert got["evidence"] == norm(d["evidence"])
        if isinstance(d.get("confidence"), float) and math.isnan(d["confidence"]):
            assert got["confidence"] is None
        else:
            assert got.get("confidence") == d.get("confidence")


def check_xml(G: nx.MultiDiGraph, path: Path, reader: Any) -> None:
    etree.parse(str(path))  # well-formed XML 1.0
    R = reader(path)
    assert R.number_of_nodes() == G.number_of_nodes()
    assert R.number_of_edges() == G.number_of_edges()
    ids = cleaned_ids(G)
    if ids is not None:
        assert set(R.nodes) == set(ids)
        for n, d in G.nodes(data=True):
            got = R.nodes[xml_safe_text(str(n)) or "~"]
            label = got.get("label", got.get("label_"))
            assert label == xml_safe_text(d["label"]) or (label is None and not xml_safe_text(d["label"]))


@FUZZ
@given(G=graphs())
def test_exports_hold_any_text(tmp_path_factory: pytest.TempPathFactory, G: nx.MultiDiGraph) -> None:
    folder = tmp_path_factory.mktemp("fuzz-exports")
    check_json(G, folder / "graph.json")

    graphml = write_graphml(G, folder / "graph.graphml")
    check_xml(G, graphml, nx.read_graphml)
    ig = igraph.Graph.Read_GraphML(str(graphml))
    assert (ig.vcount(), ig.ecount()) == (G.number_of_nodes(), G.number_of_edges())
    ids = cleaned_ids(G)
    if ids is not None:  # igraph reads "&amp;" in an id as "&#38;" (its bug): compare the others
        assert {i for i in ig.vs["id"] if "&" not in i} == {i for i in ids if "&" not in i}

    gexf = write_gexf(G, folder / "graph.gexf")
    check_xml(G, gexf, nx.read_gexf)
    assert sorted(p.name for p in folder.iterdir()) == ["graph.gexf", "graph.graphml", "graph.json"]


@FUZZ
@given(recs=records())
def test_assembled_graph_exports_hold_any_text(
    tmp_path_factory: pytest.TempPathFactory, recs: list[DocumentRecord]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz-assembled")
    G = assemble(recs)
    assert G.number_of_nodes() >= 1
    check_json(G, folder / "graph.json")
    check_xml(G, write_graphml(G, folder / "graph.graphml"), nx.read_graphml)
    assert igraph.Graph.Read_GraphML(str(folder / "graph.graphml")).vcount() == G.number_of_nodes()
    check_xml(G, write_gexf(G, folder / "graph.gexf"), nx.read_gexf)

    text = write_extractions(recs, folder / "extractions.jsonl").read_bytes().decode("utf-8")
    lines = text.split("\n")[:-1]  # not splitlines(): U+2028 inside a JSON string is no line end
    assert [DocumentRecord.from_json(json.loads(line)).doc_id for line in lines] == [norm(r.doc_id) for r in recs]


@FUZZ
@given(G=graphs() | records().map(assemble))
def test_fast_xml_writers_write_networkx_bytes(
    tmp_path_factory: pytest.TempPathFactory, networkx_xml: Any, G: nx.MultiDiGraph
) -> None:
    """write_graphml and write_gexf (graph._xml, from items, no graph made) write exactly what
    networkx writes of to_graphml_graph and to_gexf_graph."""
    from graph._xml import gexf_text, graphml_text
    from graph.export import to_gexf_graph, to_graphml_graph

    folder = tmp_path_factory.mktemp("fuzz-fast-xml")
    H = to_graphml_graph(G)
    assert graphml_text(H) is not None  # every converted graph is in the fast case
    assert write_graphml(G, folder / "g.graphml").read_bytes() == networkx_xml(H, "graphml")
    H = to_gexf_graph(G)
    assert gexf_text(H) is not None
    assert write_gexf(G, folder / "g.gexf").read_bytes() == networkx_xml(H, "gexf")


@FUZZ
@given(G=graphs() | records().map(assemble))
def test_orjson_writes_the_values_the_json_module_writes(G: nx.MultiDiGraph) -> None:
    """graph.json's quick path (orjson) holds the values of the json module's path, or steps aside."""
    from graph.export import _json_lines, _jsonable, _orjson_lines

    raw = nx.node_link_data(G, edges="edges")
    fast = _orjson_lines(raw)
    slow = _json_lines(_jsonable(raw), ensure_ascii=True)
    if fast is None:  # these graphs' only reason: a lone surrogate, which UTF-8 cannot hold
        with pytest.raises(UnicodeEncodeError):
            _json_lines(_jsonable(raw), ensure_ascii=False).encode("utf-8")
        return
    assert json.loads(fast.decode("utf-8")) == json.loads(slow)


@FUZZ
@given(G=graphs() | records().map(assemble))
def test_csv_files_are_what_pandas_writes_of_the_tables(
    tmp_path_factory: pytest.TempPathFactory, G: nx.MultiDiGraph
) -> None:
    """write_csv writes its rows with the csv module directly: the bytes of DataFrame.to_csv."""
    from graph.export import CSV_TABLES, to_csv_tables, write_csv

    folder = tmp_path_factory.mktemp("fuzz-csv")
    paths = write_csv(G, folder)
    for name, df in to_csv_tables(G).items():
        expected = df.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
        assert paths[name].read_bytes() == expected, CSV_TABLES[name]


@FUZZ
@given(G=graphs() | records().map(assemble), other=graphs(), drop=st.integers(0, 3))
def test_csv_files_reusing_the_last_ones_are_those_written_anew(
    tmp_path_factory: pytest.TempPathFactory, G: nx.MultiDiGraph, other: nx.MultiDiGraph, drop: int
) -> None:
    """Rows copied from the files of an earlier graph leave the bytes of a write from scratch."""
    from graph.export import CSV_TABLES, write_csv

    H = nx.compose(G, other)  # other's attributes win on the nodes and edges both have
    H.remove_nodes_from(list(H)[:drop])
    folder, fresh = tmp_path_factory.mktemp("fuzz-reuse"), tmp_path_factory.mktemp("fuzz-fresh")
    write_csv(G, folder, reuse=True)
    paths, expected = write_csv(H, folder, reuse=True), write_csv(H, fresh)
    for name in CSV_TABLES:
        assert paths[name].read_bytes() == expected[name].read_bytes(), CSV_TABLES[name]


@FUZZ
@given(G=graphs() | records().map(assemble), other=graphs(), drop=st.integers(0, 3))
def test_xml_files_reusing_the_last_ones_are_those_written_anew(
    tmp_path_factory: pytest.TempPathFactory, G: nx.MultiDiGraph, other: nx.MultiDiGraph, drop: int
) -> None:
    """Nodes and edges copied from the GraphML and GEXF of an earlier graph leave the bytes of a
    write from scratch (networkx's: test_fast_xml_writers_write_networkx_bytes)."""
    from graph.export import write_graphml_and_gexf

    H = nx.compose(G, other)
    H.remove_nodes_from(list(H)[:drop])
    folder, fresh = tmp_path_factory.mktemp("fuzz-reuse"), tmp_path_factory.mktemp("fuzz-fresh")
    write_graphml_and_gexf(G, folder / "g.graphml", folder / "g.gexf", reuse=True)
    paths = write_graphml_and_gexf(H, folder / "g.graphml", folder / "g.gexf", reuse=True)
    expected = write_graphml_and_gexf(H, fresh / "g.graphml", fresh / "g.gexf")
    for path, want in zip(paths, expected):
        assert path.read_bytes() == want.read_bytes(), path.name
