"""graph.render: an offline page, text-only tooltips, layout and the max_nodes cut."""

from __future__ import annotations

import copy
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.render import (
    EDGE_STYLES,
    NODE_STYLES,
    PHYSICS_MAX_NODES,
    documents_of,
    layout_positions,
    render_html,
    write_html,
)

XSS_LABEL = '<img src=x onerror="window.__pwned=1">'


class _Page(HTMLParser):
    """Collects tags with their attributes, and the text of scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def page_data(page: str) -> dict[str, Any]:
    """The JSON the page hands to its script."""
    m = re.search(r'<script type="application/json" id="dg-data">(.*?)</script>', page, re.DOTALL)
    assert m, "data block not found in the page"
    data: dict[str, Any] = json.loads(m.group(1))
    return data


def vis_data(
    page: str, view: str = "entity"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """The nodes and edges of one view, and the vis-network options (physics as that view has it)."""
    data = page_data(page)
    spec = data["views"][view]
    options = dict(data["options"])
    options["physics"] = {**options["physics"], "enabled": spec["physics"]}
    return spec["nodes"], spec["edges"], options


@pytest.fixture
def G() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(
        "person:wang-yi",
        kind="person",
        label="Wang Yi",
        titles=["Foreign Minister", '<a href="https://evil.example/">click</a>'],
        country="CHN",
        aliases=["Wang Yi", "王毅", "</script><script>window.__pwned=1</script>"],
        sources=["doc-a"],
        mentions=3,
    )
    g.add_node("person:x", kind="person", label=XSS_LABEL, titles=None, aliases=None)
    g.add_node("country:CHN", kind="country", label="China", iso3="CHN")
    g.add_node("country:IRN", kind="country", label="Iran", iso3="IRN")
    g.add_node("location:beijing", kind="location", label="Beijing")
    g.add_node(
        "event:1",
        kind="event",
        label="Raisi meets Xi",
        event_type="meeting",
        date="2023-02-14",
        location="location:beijing",
        initiator="country:IRN",
    )
    g.add_node("mystery", label=None)
    g.add_edge("person:wang-yi", "event:1", relation="participant", sources=["doc-a"])
    g.add_edge("person:x", "event:1", relation="participant")
    g.add_edge("person:wang-yi", "country:CHN", key="role", relation="role", title="FM")
    g.add_edge(
        "country:CHN",
        "country:IRN",
        relation="supports",
        weight=3,
        evidence=[{"doc": "doc-a", "sentence": "China backs <b>Iran</b> & more.", "start": 0, "end": 5}],
    )
    g.add_edge("country:IRN", "country:CHN", relation="opposes")
    g.add_edge("country:CHN", "country:IRN", relation="co_mentioned", weight=5)
    g.add_edge("event:1", "mystery", relation=None)
    return g


def test_page_loads_nothing_from_outside(G: nx.MultiDiGraph) -> None:
    page = render_html(G)
    tags = parse(page).tags
    assert not [t for t, a in tags if t == "script" and "src" in a]
    assert not [t for t, a in tags if t == "link"]
    for tag, attrs in tags:
        for name in ("src", "href", "action", "data", "poster"):
            value = attrs.get(name) or ""
            assert not re.match(r"\s*(https?:)?//", value), (tag, attrs)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.IGNORECASE)
    assert "cdn.jsdelivr.net" not in page and "cdnjs.cloudflare.com" not in page
    csp = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(csp) == 1 and "default-src 'none'" in csp[0] and "connect-src 'none'" in csp[0]
    assert page.startswith("<!DOCTYPE html>")


def test_tooltips_are_plain_text(G: nx.MultiDiGraph) -> None:
    page = render_html(G)
    # The data is JSON inside a script with <, >, & escaped: no raw markup from the graph.
    assert XSS_LABEL not in page and "<img" not in page
    assert "</script><script>window.__pwned" not in page
    assert "evil.example" in page  # the text is there, escaped
    # pyvis's innerHTML popup is what a title containing "href" would switch on.
    assert "popup.innerHTML" not in page and "div.popup" not in page
    nodes, edges, _ = vis_data(page)
    by_label = {n["label"]: n for n in nodes}
    assert by_label[XSS_LABEL]["title"].startswith(XSS_LABEL + "\nkind: person")
    wang = by_label["Wang Yi"]["title"]
    assert "titles: Foreign Minister; <a href=" in wang and "王毅" in wang
    assert "country: CHN" in wang and "sources:\n• doc-a" in wang
    supports = next(e for e in edges if "relation: supports" in e["title"])
    assert "evidence:\n“China backs <b>Iran</b> & more.” (doc-a)" in supports["title"]


def test_a_tooltip_lists_six_sources_and_three_sentences_and_counts_the_rest() -> None:
    g = nx.MultiDiGraph()
    g.add_node("country:CHN", kind="country", label="China", sources=[f"doc-{i}" for i in range(10)])
    g.add_node("country:IRN", kind="country", label="Iran", sources=["doc-0"])
    g.add_edge("country:CHN", "country:IRN", relation="supports", sources=[f"doc-{i}" for i in range(7)],
               evidence=[{"doc": "doc-0", "sentence": f"Sentence {i}."} for i in range(4)])
    documents = {"doc-5": {"title": "Fifth"}, "doc-6": {"title": "Seventh, not shown"}}
    nodes, edges, _ = vis_data(render_html(g, documents=documents))
    china = next(n for n in nodes if n["label"] == "China")["title"]
    assert china.endswith("sources:\n• doc-0\n• doc-1\n• doc-2\n• doc-3\n• doc-4\n• doc-5: “Fifth”\n"
                          "… and 4 more sources\nid: country:CHN")
    assert edges[0]["title"].endswith("• doc-5: “Fifth”\n… and 1 more source")
    assert "“Sentence 2.” (doc-0)\n… and 1 more sentence\nsources:" in edges[0]["title"]


def test_nodes_and_edges_are_styled(G: nx.MultiDiGraph) -> None:
    nodes, edges, _ = vis_data(render_html(G))
    by_label = {n["label"]: n for n in nodes}
    assert (by_label["China"]["color"], by_label["China"]["shape"]) == NODE_STYLES["country"]
    assert by_label["Raisi meets Xi (2023-02-14)"]["shape"] == NODE_STYLES["event"][1]
    assert by_label["mystery"]["shape"] == "dot"
    colors = {e["title"].split("\n")[1]: e["color"] for e in edges}
    assert colors["relation: supports"] == EDGE_STYLES["supports"][0]
    assert colors["relation: opposes"] == EDGE_STYLES["opposes"][0]
    assert colors["relation: co_mentioned"] == EDGE_STYLES["co_mentioned"][0]
    thin = next(e for e in edges if "co_mentioned" in e["title"])
    assert thin["width"] < next(e for e in edges if "supports" in e["title"])["width"]


def test_legend_lists_kinds_and_relations(G: nx.MultiDiGraph) -> None:
    page = render_html(G, title='China & Iran <"contacts">')
    legend = page[page.index('id="dg-legend"') : page.index("</header>")]
    for kind in NODE_STYLES:
        assert f'<input type="checkbox" data-kind="{kind}" checked>' in legend
        assert f"</svg>{kind}</label>" in legend
    for relation in ("supports", "opposes", "participant", "co_mentioned", "role"):
        assert f'<input type="checkbox" data-relation="{relation}" checked>' in legend
        assert f'stroke="{EDGE_STYLES[relation][0]}"' in legend
    assert "</svg>other</label>" in legend  # the edge with no relation
    assert "mediates" not in legend  # only relations the graph has
    assert "China &amp; Iran &lt;&quot;contacts&quot;&gt;" in page
    assert '<title>China &amp; Iran &lt;&quot;contacts&quot;&gt;</title>' in page


def test_render_does_not_modify_the_graph(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    before = copy.deepcopy(G)
    render_html(G)
    write_html(G, tmp_path / "g.html", max_nodes=3, physics=True)
    layout_positions(G)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))
    assert list(G.edges(keys=True, data=True)) == list(before.edges(keys=True, data=True))


def test_write_html_round_trip(G: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = write_html(G, tmp_path / "graph.html")
    assert out == tmp_path / "graph.html"
    assert out.read_text(encoding="utf-8") == render_html(G)
    assert [p.name for p in tmp_path.iterdir()] == ["graph.html"]


def test_empty_graph_gives_a_page_with_a_note() -> None:
    page = render_html(nx.MultiDiGraph())
    nodes, edges, _ = vis_data(page)
    assert nodes == [] and edges == []
    assert "The graph is empty" in page and "</html>" in page


def big_graph(n: int = 3000) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(nx.gnm_random_graph(n, 2 * n, seed=3, directed=True))
    nx.set_node_attributes(g, "person", "kind")
    return g


def test_big_graph_has_positions_and_no_physics() -> None:
    g = big_graph()
    nodes, edges, options = vis_data(render_html(g, max_nodes=5000))
    assert len(nodes) == 3000 and len(edges) == 6000
    assert options["physics"]["enabled"] is False
    xy = {(n["x"], n["y"]) for n in nodes}
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    assert len(xy) > 2900  # spread out, not piled up


@pytest.mark.parametrize(
    ("n", "physics", "expected"),
    [(10, None, True), (PHYSICS_MAX_NODES + 1, None, False), (10, False, False), (400, True, True)],
)
def test_physics_switch(n: int, physics: bool | None, expected: bool) -> None:
    _, _, options = vis_data(render_html(nx.path_graph(n, create_using=nx.MultiDiGraph), physics=physics))
    assert options["physics"]["enabled"] is expected


def test_over_max_nodes_shows_the_most_connected_with_a_note() -> None:
    g = nx.MultiDiGraph()
    g.add_edges_from(("hub", f"leaf{i}") for i in range(30))
    g.add_edges_from([("a", "b"), ("c", "d")])
    page = render_html(g, max_nodes=10)
    nodes, edges, _ = vis_data(page)
    assert len(nodes) == 10 and "hub" in {n["label"] for n in nodes}
    assert len(edges) == 9
    note = "Showing the 10 most connected of 35 nodes (max_nodes=10): 25 nodes (25 other) and 23 edges were left out."
    assert note in page and page_data(page)["views"]["entity"]["note"] == note
    assert '<p class="dg-note" id="dg-note">' + note in page
    assert "left out" not in render_html(g)


@pytest.mark.parametrize(("kwargs", "message"), [({"max_nodes": -1}, "max_nodes"), ({"physics": "yes"}, "physics")])
def test_bad_options_are_rejected(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_html(nx.MultiDiGraph(), **kwargs)


def test_layout_is_deterministic_and_separates_components() -> None:
    g = nx.disjoint_union(nx.cycle_graph(5), nx.star_graph(400))
    first, second = layout_positions(g), layout_positions(g)
    assert first == second and set(first) == set(g)
    assert len(set(first.values())) == g.number_of_nodes()


_PAGE_OF_A_CUT_GRAPH = """
import hashlib, sys
import networkx as nx
from graph.render import render_html
g = nx.MultiDiGraph()
for i in range(60):  # string ids, hashed differently in each process; small components too
    g.add_edge(f"hub{i % 3}", f"leaf{i}", relation="co_mentioned")
    g.add_edge(f"pair{i}", f"mate{i}", relation="supports")
sys.stdout.write(hashlib.sha256(render_html(g, max_nodes=50).encode()).hexdigest())
"""


def test_page_is_the_same_whatever_the_string_hashing() -> None:
    # A cut graph (max_nodes below its size) and components laid out apart: before, a subgraph
    # view iterated a set, so the page changed with PYTHONHASHSEED.
    import os
    import subprocess
    import sys

    digests = {
        subprocess.run(
            [sys.executable, "-c", _PAGE_OF_A_CUT_GRAPH], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed}, cwd=Path(__file__).resolve().parents[2],
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(digests) == 1, digests


def test_parallel_edges_are_curved_apart(G: nx.MultiDiGraph) -> None:
    _, edges, _ = vis_data(render_html(G))
    between = [e for e in edges if {e["from"], e["to"]} == {2, 3}]
    assert len(between) == 3
    assert sum("smooth" in e for e in between) == 2


def hostile_graph(texts: list[str]) -> tuple[nx.MultiDiGraph, dict[str, dict[str, Any]]]:
    """Every text in every place the page shows text: labels, titles, aliases, evidence, documents."""
    g = nx.MultiDiGraph()
    for i, text in enumerate(texts):
        g.add_node(f"n{i}", kind="person", label=text, titles=[text], aliases=[text], sources=[f"d{i}"])
    g.add_node("event:1", kind="event", label=texts[-1], date="2023-02-14",
               evidence=[{"doc": "d0", "sentence": texts[0]}], sources=["d0"])
    g.add_edge("n0", f"n{len(texts) - 1}", relation="supports", evidence=[{"doc": "d0", "sentence": texts[-1]}])
    g.add_edge("n0", "event:1", relation="participant", sources=["d0"])
    documents = {f"d{i}": {"title": text, "outlet": texts[-1 - i], "published": text} for i, text in enumerate(texts)}
    return g, documents


@settings(max_examples=40, deadline=None)
@given(
    texts=st.lists(
        st.lists(
            st.one_of(
                st.characters(codec="utf-8"),
                st.characters(min_codepoint=0, max_codepoint=0x1F),
                st.sampled_from(["<", ">", "&", '"', "'", "</script>", "<!--", "href", "\ud800", "😀",
                                 "<img src=x onerror=window.__pwned=1>", "\u2028", "]]>", "</style>"]),
            ),
            max_size=20,
        ).map("".join),
        min_size=1,
        max_size=5,
    )
)
def test_any_text_renders_as_data(texts: list[str]) -> None:
    g, documents = hostile_graph(texts)
    before = copy.deepcopy(g)
    page = render_html(g, title=texts[0], documents=documents)
    page.encode("utf-8")
    # The markup does not depend on the text: the same tags as for a page of plain words.
    plain_g, plain_docs = hostile_graph(["word"] * len(texts))
    plain = render_html(plain_g, title="word", documents=plain_docs)
    assert [t for t, _ in parse(page).tags] == [t for t, _ in parse(plain).tags]
    assert [t for t, _ in parse(page).tags].count("script") == 3  # the data, vis-network, ours
    block = page_data(page)
    raw = page[page.index('id="dg-data">') : page.index("</script>", page.index('id="dg-data">'))]
    assert not set("<>&") & set(raw[len('id="dg-data">'):])
    nodes, edges = block["views"]["entity"]["nodes"], block["views"]["entity"]["edges"]
    assert len(nodes) == len(texts) + 1 and len(edges) == 2
    assert executable_scripts(page) == executable_scripts(plain)  # so the CSP hashes hold
    assert nx.utils.graphs_equal(g, before) and dict(g.nodes(data=True)) == dict(before.nodes(data=True))


def executable_scripts(page: str) -> list[str]:
    """The text of every script the browser would run (not the JSON data block)."""
    return re.findall(r"<script>(.*?)</script>", page, re.DOTALL)


def sha256_source(text: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def test_csp_admits_exactly_the_page_scripts_and_styles(G: nx.MultiDiGraph) -> None:
    page = render_html(G)
    csp = next(
        a["content"] for t, a in parse(page).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    directives = {d.split()[0]: d.split()[1:] for d in (part.strip() for part in csp.split(";")) if d}
    scripts = executable_scripts(page)
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    assert len(scripts) == 2 and len(styles) == 1  # vis-network and ours; our CSS
    assert sorted(directives["script-src"]) == sorted(sha256_source(s) for s in scripts)
    assert sorted(directives["style-src"]) == sorted(sha256_source(s) for s in styles)
    assert directives["default-src"] == ["'none'"] and directives["connect-src"] == ["'none'"]
    assert directives["require-trusted-types-for"] == ["'script'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    # No inline handlers or style attributes, which hashes cannot admit.
    for tag, attrs in parse(page).tags:
        assert not [name for name in attrs if name.startswith("on") or name == "style"], (tag, attrs)


def test_explorer_script_never_makes_markup_from_text() -> None:
    import graph.render

    script = (Path(graph.render.__file__).parent / "explorer.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script, sink
    assert "textContent" in script


def test_data_block_holds_no_markup(G: nx.MultiDiGraph) -> None:
    page = render_html(
        G, documents={"doc-a": {"title": "</script><script>window.__pwned=4</script>", "outlet": "<b>&</b>"}}
    )
    block = page[page.index('id="dg-data">') + len('id="dg-data">') : page.index("</script>", page.index('id="dg-data">'))]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["views"]["entity"]["nodes"]


def test_filter_fields_on_nodes_and_edges() -> None:
    g = nx.MultiDiGraph()
    g.add_node("country:CHN", kind="country", label="China", iso3="CHN", aliases=["China", "PRC", "Beijing Govt"])
    g.add_node("event:1", kind="event", label="call", date="2023-02", event_type="phone_call")
    g.add_node("event:2", kind="event", label="meeting", date="2024-05-06")
    g.add_node("odd", kind="sect", label="Odd")
    g.add_edge("country:CHN", "event:1", relation="participant")
    g.add_edge("country:CHN", "odd", relation="supports", dates=["2024-01-03", "2023-07"])
    g.add_edge("odd", "event:2", relation="frobs")
    nodes, edges, _ = vis_data(render_html(g, countries=nx.MultiDiGraph()))
    by_label = {n["label"]: n for n in nodes}
    china = by_label["China"]
    assert china["k"] == "country" and (china["lo"], china["hi"]) == ("", "")
    assert china["s"].split("\n") == ["china", "china", "prc", "beijing govt", "chn"]
    call = by_label["call (2023-02)"]
    assert (call["k"], call["lo"], call["hi"]) == ("event", "2023-02-01", "2023-02-31")
    assert (by_label["meeting (2024-05-06)"]["lo"], by_label["meeting (2024-05-06)"]["hi"]) == ("2024-05-06",) * 2
    assert by_label["Odd"]["k"] == "other"
    by_relation = {e["r"]: e for e in edges}
    assert (by_relation["supports"]["lo"], by_relation["supports"]["hi"]) == ("2023-07-01", "2024-01-03")
    assert by_relation["participant"]["lo"] == "" and "frobs" not in by_relation and "other" in by_relation


def test_date_inputs_span_the_dated_items() -> None:
    g = nx.MultiDiGraph()
    g.add_node("event:1", kind="event", label="call", date="2023-02")
    g.add_edge("a", "b", relation="supports", dates=["2024-01-03"])
    page = render_html(g, countries=nx.MultiDiGraph())
    assert '<input type="date" id="dg-from" min="2023-02-01" max="2024-01-03">' in page
    undated = render_html(nx.path_graph(2, create_using=nx.MultiDiGraph), countries=nx.MultiDiGraph())
    assert '<input type="date" id="dg-from">' in undated


def test_sources_and_evidence_name_their_documents(G: nx.MultiDiGraph) -> None:
    docs = {"doc-a": {"title": "Xi <i>meets</i> Raisi", "outlet": "Wire & Co", "published": "2023-02-15"}}
    for page in (render_html(G, documents=docs), render_html(nx.MultiDiGraph(G, documents=docs))):
        nodes, edges, _ = vis_data(page)
        wang = next(n for n in nodes if n["label"] == "Wang Yi")
        assert "sources:\n• doc-a: “Xi <i>meets</i> Raisi” (Wire & Co, 2023-02-15)" in wang["title"]
        supports = next(e for e in edges if e["r"] == "supports")
        assert "“China backs <b>Iran</b> & more.” (doc-a: Xi <i>meets</i> Raisi)" in supports["title"]


def test_country_view_is_embedded_and_switchable(G: nx.MultiDiGraph) -> None:
    page = render_html(G)
    nodes, edges, _ = vis_data(page, "country")
    labels = {n["label"] for n in nodes}
    assert {"China", "Iran"} <= labels and "Wang Yi" not in labels  # rolled up into China
    assert {e["r"] for e in edges} >= {"supports", "opposes"}
    assert "co_mentioned" not in {e["r"] for e in edges}
    assert '<input type="radio" name="dg-view" id="dg-view-country" value="country">' in page
    alone = render_html(G, countries=nx.MultiDiGraph())
    assert page_data(alone)["views"]["country"]["nodes"] == []
    assert 'value="country" disabled title="no country view for this graph">' in alone


def test_country_view_contacts_carry_years_and_events() -> None:
    V = nx.MultiDiGraph()
    V.add_node("country:CHN", kind="country", label="China")
    V.add_node("country:IRN", kind="country", label="Iran")
    V.add_edge(
        "country:CHN", "country:IRN", key="contact", relation="contact", weight=3,
        years={"2023": 2, "2024": 1}, events=["event:1"], event_types={"meeting": 3},
    )
    g = nx.MultiDiGraph()
    g.add_node("event:1", kind="event", label="meeting: Xi – Raisi")
    _, edges, _ = vis_data(render_html(g, countries=V), "country")
    (contact,) = edges
    assert contact["r"] == "contact" and contact["color"] == EDGE_STYLES["contact"][0]
    assert (contact["lo"], contact["hi"]) == ("2023-01-01", "2024-12-31")
    assert "years: 2023 (2); 2024 (1)" in contact["title"]
    assert "events: meeting: Xi – Raisi" in contact["title"]  # named from the entity graph
    assert contact["arrows"] == ""


def test_documents_of_records_name_the_sources(G: nx.MultiDiGraph) -> None:
    from extract.records import DocumentRecord

    docs = documents_of([DocumentRecord("doc-a", title="<b>Talks</b>", outlet="Wire", published="2023-02-15")])
    assert docs == {"doc-a": {"title": "<b>Talks</b>", "outlet": "Wire", "published": "2023-02-15", "url": None}}
    nodes, _, _ = vis_data(render_html(G, documents=docs))
    wang = next(n for n in nodes if n["label"] == "Wang Yi")
    assert "• doc-a: “<b>Talks</b>” (Wire, 2023-02-15)" in wang["title"]


@pytest.mark.parametrize("create_using", [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph])
def test_any_networkx_graph_type_renders(create_using: type[nx.Graph]) -> None:
    g = nx.path_graph(4, create_using=create_using)
    nx.set_node_attributes(g, {0: "country", 1: "person", 2: "country", 3: "event"}, "kind")
    nx.set_node_attributes(g, {1: "CHN"}, "country")
    page = render_html(g)
    assert len(vis_data(page)[0]) == 4
    assert page_data(page)["views"]["country"]["nodes"]  # the country roll-up of any type


def test_a_rebuilt_page_copies_the_unchanged_edges_and_is_the_page_made_anew(
    G: nx.MultiDiGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.render as render

    documents = {"doc-a": {"title": "Talks in Beijing", "outlet": "Wire"}}
    path, fresh = tmp_path / "graph.html", tmp_path / "fresh.html"
    write_html(G, path, documents=documents, reuse=True)
    made: list[tuple[Any, Any]] = []
    real = render._edge_tooltip

    def tooltip(*args: Any) -> str:
        made.append((args[2], args[3]))
        return real(*args)

    monkeypatch.setattr(render, "_edge_tooltip", tooltip)
    write_html(G, path, documents=documents, reuse=True)
    assert made == []  # every edge's data copied
    write_html(G, fresh, documents=documents)
    assert path.read_bytes() == fresh.read_bytes()
    assert set(made) >= set(G.edges())  # made anew, every one
    made.clear()
    G.nodes["country:IRN"]["label"] = "Islamic Republic of Iran"  # in the tooltips of its edges
    G.edges["person:wang-yi", "country:CHN", "role"]["title"] = "Foreign Minister"
    documents["doc-a"]["title"] = "Talks in Tehran"  # named by the edges that cite doc-a
    G.add_edge("country:IRN", "location:beijing", relation="held_in")
    write_html(G, path, documents=documents, reuse=True)
    remade = set(made)
    made.clear()
    write_html(G, fresh, documents=documents)
    assert path.read_bytes() == fresh.read_bytes()
    assert ("person:x", "event:1") not in remade and ("event:1", "mystery") not in remade
    assert {("country:CHN", "country:IRN"), ("person:wang-yi", "country:CHN"), ("person:wang-yi", "event:1"),
            ("country:IRN", "location:beijing")} <= remade
    assert len(remade) < len(set(made))


@settings(max_examples=20, deadline=None)
@given(texts=st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=4))
def test_a_rebuilt_page_of_any_text_is_the_page_made_anew(texts: list[str]) -> None:
    import tempfile

    g, documents = hostile_graph(texts)
    folder = Path(tempfile.mkdtemp())
    path, fresh = folder / "graph.html", folder / "fresh.html"
    write_html(g, path, documents=documents, reuse=True)
    g.nodes["n0"]["label"] = texts[0] + "\ud800"
    documents["d0"]["title"] = texts[-1]
    write_html(g, path, documents=documents, reuse=True)
    write_html(g, fresh, documents=documents)
    assert path.read_bytes() == fresh.read_bytes()
