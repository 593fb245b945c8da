"""Render the graph as one self-contained, offline explorer page (vis-network through pyvis).

This is the only module that imports pyvis; it takes from it the vis-network 9.1.2 script and
styles that pyvis ships, and writes the page itself: pyvis's own template loads Bootstrap from
a CDN, wires its menus with inline ``onchange`` handlers and switches every tooltip to
``innerHTML`` when one contains ``href``, none of which a strict Content-Security-Policy allows.

The page makes no request. Its Content-Security-Policy has ``default-src 'none'``, admits
exactly two scripts and one style sheet by their sha256 hashes (vis-network and our control
script ``explorer.js``; the graph data is JSON, not a script), and requires Trusted Types, so no
string can become markup anywhere on the page. The graph reaches the page as JSON in a
``<script type="application/json">`` block (``<``, ``>``, ``&`` escaped), the controls put text
in with ``textContent``, and vis-network shows string tooltips with ``innerText``.

Positions are computed here (deterministic), so large graphs show at once with physics off,
and past ``max_nodes`` the most connected part is shown with a note saying what was left out.
Both the entity graph and its country roll-up (:func:`graph.query.country_view`) are embedded;
the page switches between them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import itertools
import json
import math
import os
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import orjson
from pyvis.network import Network

from extract.records import DocumentRecord
from graph._fragments import Fragments, OldPart, fingerprint
from graph._xml import Collected
from graph.export import xml_safe_text

__all__ = [
    "EDGE_STYLES",
    "NODE_STYLES",
    "PHYSICS_MAX_NODES",
    "content_security_policy",
    "documents_of",
    "layout_positions",
    "render_html",
    "write_html",
]

#: Node kind -> (fill colour, vis-network shape).
NODE_STYLES: dict[str, tuple[str, str]] = {
    "person": ("#4e79a7", "dot"),
    "country": ("#f28e2b", "square"),
    "organization": ("#b07aa1", "triangle"),
    "initiative": ("#76b7b2", "hexagon"),
    "location": ("#9c755f", "triangleDown"),
    "topic": ("#edc948", "diamond"),
    "event": ("#ff6f91", "star"),
}
_OTHER_NODE = ("#bab0ac", "dot")

#: Edge relation -> (colour, width): stances in green (supports) and reds (opposes, condemns),
#: mediation purple, cooperation blues, structure greys, co-mentions faint. Other relations are
#: drawn like ``_OTHER_EDGE``.
EDGE_STYLES: dict[str, tuple[str, float]] = {
    "supports": ("#2ca02c", 2.5),
    "opposes": ("#d62728", 2.5),
    "condemns": ("#8b0000", 2.5),
    "mediates": ("#9467bd", 2.5),
    "cooperates_on": ("#17becf", 2.0),
    "partnership": ("#1f77b4", 2.0),
    "contact": ("#ff6f91", 2.0),
    "member_of": ("#8c564b", 1.5),
    "discussed": ("#bcbd22", 1.5),
    "participant": ("#6b6b6b", 1.5),
    "held_in": ("#9c755f", 1.0),
    "role": ("#9a9a9a", 1.0),
    "acts_for": ("#b5b5b5", 1.0),
    "co_mentioned": ("rgba(150,150,150,0.35)", 0.5),
}
_OTHER_EDGE = ("#555555", 1.0)
_UNDIRECTED = frozenset({"co_mentioned", "partnership", "cooperates_on", "contact"})
_DASHED = frozenset({"role", "acts_for"})

#: With ``physics=None``, the simulation runs only up to this many shown nodes.
PHYSICS_MAX_NODES = 300

_SPRING_MAX = 300  # components up to this size get a spring layout; larger: pivot MDS
_LABEL_MAX = 40
_VALUE_MAX = 300
_LIST_MAX = 12
_EVIDENCE_MAX = 3
_SOURCES_MAX = 6
_DEBOUNCE_OVER = 2000  # views with more nodes search after a 200 ms pause in the typing

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_SPACES = re.compile(r"\s+")
_VIS = "lib/vis-9.1.2/"


def render_html(
    G: nx.Graph,
    *,
    max_nodes: int = 2000,
    physics: bool | None = None,
    title: str = "diplograph",
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    countries: nx.Graph | None = None,
) -> str:
    """The interactive explorer page for `G` as a string.

    The page has a legend whose entries are filters (node kinds, edge relations), a date range
    that hides events and dated relations outside it, a search over names and aliases (the
    matches and their neighbours stay, the matches are selected), a switch between the entity
    view and the country view, and a reset button. Tooltips list the evidence sentences and the
    sources, as text.

    Parameters
    ----------
    G : networkx.Graph
        Usually the diplograph ``MultiDiGraph``; it is not modified.
    max_nodes : int
        Show at most this many nodes per view: the most connected ones (by degree, ties going
        to nodes of larger components). The page says how many nodes and edges were left out.
    physics : bool or None
        Run vis-network's physics simulation. ``None`` runs it only for views of at most
        :data:`PHYSICS_MAX_NODES` shown nodes.
    title : str
        Page title and heading (shown as text).
    documents : mapping, optional
        Document id -> ``{"title", "outlet", "published", "url"}`` (any may be missing), shown
        with each source. Defaults to ``G.graph["documents"]`` when that is a mapping.
    countries : networkx.Graph, optional
        The country view; defaults to :func:`graph.query.country_view` of `G`.

    Returns
    -------
    str
        A complete HTML document that loads nothing from outside.

    Raises
    ------
    ValueError
        If `max_nodes` is negative or `physics` is not a bool or None.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("country:IRN", kind="country", label="Iran")
    >>> page = render_html(G, title="Iran <demo>")
    >>> "Iran &lt;demo&gt;" in page and "<script src=" not in page
    True
    """
    parts = Collected()
    _render(parts, G, max_nodes, physics, title, documents, countries, reuse=False)
    return parts.text()


def _render(
    parts: Fragments | Collected,
    G: nx.Graph,
    max_nodes: int,
    physics: bool | None,
    title: str,
    documents: Mapping[str, Mapping[str, Any]] | None,
    countries: nx.Graph | None,
    *,
    reuse: bool,
) -> None:
    """Add :func:`render_html`'s page, encoded as UTF-8, to `parts`: its data is made as bytes,
    and a page of tens of megabytes is not decoded and encoded again on its way to a file.

    With `reuse`, each edge's data (its tooltip, mostly: 27 µs an edge, against 5 µs for the
    fingerprint of what it is made of) is copied from the previous page where that page made
    it of the same things."""
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 0:
        raise ValueError(f"max_nodes must be a non-negative int, got {max_nodes!r}")
    if physics is not None and not isinstance(physics, bool):
        raise ValueError(f"physics must be True, False or None, got {physics!r}")
    if documents is None:
        documents = G.graph.get("documents") if isinstance(G.graph.get("documents"), Mapping) else {}
    if countries is None:
        countries = _country_view(G)
    documents = _Documents(documents)

    try:
        entity = _view(G, G, max_nodes, physics, documents, parts if reuse else None)
        country = _view(countries, G, max_nodes, physics, documents, parts if reuse else None)
    finally:
        _line.cache_clear()  # its texts are this graph's: a notebook need not keep them
    views = {"entity": entity, "country": country}
    if G.number_of_nodes() == 0:
        entity["note"] = "The graph is empty: there are no nodes to show."

    kinds = {n["k"] for v in views.values() for n in v["nodes"]}
    relations = {e.r for v in views.values() for e in v["edges"]}
    dated = [
        x for v in views.values()
        for x in itertools.chain.from_iterable([(n["lo"], n["hi"]) for n in v["nodes"]] + [(e.lo, e.hi) for e in v["edges"]])
        if x
    ]
    data = {
        "initial": "entity",
        "debounce_over": _DEBOUNCE_OVER,
        "views": views,
        "options": _vis_options(entity["physics"], len(entity["nodes"]) > PHYSICS_MAX_NODES),
    }
    header = _header_html(
        title,
        entity["note"],
        kinds,
        relations,
        (min(dated), max(dated)) if dated else None,
        bool(country["nodes"]),
    )
    _page(parts, title, header, data)


def write_html(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    max_nodes: int = 2000,
    physics: bool | None = None,
    title: str = "diplograph",
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    countries: nx.Graph | None = None,
    reuse: bool = False,
) -> Path:
    """Write :func:`render_html` of `G` to `path` atomically.

    Parameters
    ----------
    G : networkx.Graph
        The graph; it is not modified.
    path : str or os.PathLike
        Destination file (UTF-8).
    max_nodes, physics, title, documents, countries
        As in :func:`render_html`.
    reuse : bool
        Copy the data of each edge whose tooltip, style and dates are made of the same things
        as an edge of the page already at `path` from that page (see :mod:`graph._fragments`),
        and index the page written for the next call: what a rebuild does.

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("person:wang-yi", "country:CHN", relation="role", title="Foreign Minister")
    0
    >>> out = write_html(G, pathlib.Path(tempfile.mkdtemp()) / "graph.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    context = {"orjson": orjson.__version__}
    parts = Fragments.previous(path, context) if reuse else Fragments(path, context)
    _render(parts, G, max_nodes, physics, title, documents, countries, reuse=reuse)
    return parts.write(index=reuse)


def documents_of(records: Iterable[DocumentRecord]) -> dict[str, dict[str, Any]]:
    """What the page says of each source document: its title, outlet, date and address.

    Parameters
    ----------
    records : iterable of DocumentRecord
        The build's extraction records.

    Returns
    -------
    dict
        Document id -> ``{"title", "outlet", "published", "url"}``, for ``documents=`` of
        :func:`render_html`.

    Examples
    --------
    >>> documents_of([DocumentRecord("d1", title="Talks in Beijing", outlet="Wire")])
    {'d1': {'title': 'Talks in Beijing', 'outlet': 'Wire', 'published': None, 'url': None}}
    """
    return {
        r.doc_id: {"title": r.title, "outlet": r.outlet, "published": r.published, "url": r.url}
        for r in records
    }


def content_security_policy() -> str:
    """The page's Content-Security-Policy: nothing from outside, our scripts by hash only.

    Returns
    -------
    str
        The policy, as put in the page's ``<meta http-equiv>``.

    Examples
    --------
    >>> csp = content_security_policy()
    >>> "default-src 'none'" in csp and "'unsafe-inline'" not in csp
    True
    """
    scripts = " ".join(_hash(s) for s in _scripts())
    styles = " ".join(_hash(s) for s in _styles())
    return (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; "
        "img-src data:; font-src data:; connect-src 'none'; media-src 'none'; "
        "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
        "form-action 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types 'none'"
    )


def layout_positions(G: nx.Graph, *, seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Deterministic 2-D positions in pixels for every node of `G`.

    Each connected component (ignoring direction) is laid out on its own:
    a spring layout up to 300 nodes, pivot MDS (Brandes & Pich, 2006: 50 BFS
    runs and an SVD, linear in the size of the graph) beyond that. Components
    are then packed in rows, largest first.

    Parameters
    ----------
    G : networkx.Graph
        Any graph; it is not modified.
    seed : int
        Seed for the spring layout and the jitter of coinciding nodes.

    Returns
    -------
    dict
        Node -> (x, y).

    Examples
    --------
    >>> pos = layout_positions(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and pos == layout_positions(nx.path_graph(3))
    True
    """
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    U.add_edges_from((u, v) for u, v in G.edges() if u != v)
    components = sorted(  # each in sorted order first: a component's first node names it
        (sorted(c, key=_sort_key) for c in nx.connected_components(U)), key=lambda c: (-len(c), _sort_key(c[0]))
    )
    pieces: list[tuple[list[Hashable], np.ndarray, float]] = []
    for comp in components:
        coords = _component_layout(_induced(U, comp), comp, seed)
        radius = 60.0 * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
        span = np.abs(coords).max() if len(comp) > 1 else 0.0
        if span > 0:
            coords = coords * (radius / span)
        pieces.append((comp, coords, radius))
    return _pack(pieces)


def _most_connected(G: nx.Graph, max_nodes: int) -> list[Hashable]:
    if G.number_of_nodes() <= max_nodes:
        return list(G.nodes)
    degree = dict(G.degree())
    components = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    component_size = {n: len(c) for c in components for n in c}
    # Ties go to nodes of bigger components, so the cut keeps one connected part.
    ranked = sorted(G.nodes, key=lambda n: (-degree[n], -component_size[n], _sort_key(n)))
    return ranked[:max_nodes]


def _induced(G: nx.Graph, nodes: list[Hashable]) -> nx.Graph:
    """A copy of the subgraph of `G` on `nodes`, whose nodes come in the order of `nodes`.

    Not ``G.subgraph(nodes)``: a subgraph view on less than half the nodes iterates them in
    the order of a set, which changes with each process's string hashing, so the page (and
    the spring layout's float sums) would differ from run to run. A copy is also faster to
    iterate than a view, which filters every neighbour on each step.
    """
    keep = set(nodes)
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((n, G.nodes[n]) for n in nodes)
    if G.is_multigraph():  # an undirected graph's edges() gives each edge once
        H.add_edges_from(e for e in G.edges(nodes, keys=True, data=True) if e[1] in keep)
    else:
        H.add_edges_from(e for e in G.edges(nodes, data=True) if e[1] in keep)
    return H


def _sort_key(node: Hashable) -> tuple[str, str]:
    return (type(node).__name__, str(node))


def _component_layout(C: nx.Graph, order: list[Hashable], seed: int) -> np.ndarray:
    n = len(order)
    if n == 1:
        return np.zeros((1, 2))
    if n == 2:
        return np.array([[-1.0, 0.0], [1.0, 0.0]])
    if n <= _SPRING_MAX:
        iterations = 50 if n > 10 else 30
        init = nx.circular_layout(order)
        pos = nx.spring_layout(C, pos=init, seed=seed, iterations=iterations)
        return np.array([pos[v] for v in order], dtype=float)
    return _pivot_mds(C, order, seed)


def _pivot_mds(C: nx.Graph, order: list[Hashable], seed: int, pivots: int = 50) -> np.ndarray:
    """Pivot MDS of a connected graph: positions from BFS distances to a few pivots.

    The BFS runs over integer adjacency lists (networkx's on a subgraph view was most of the
    page's write time), and the two axes come from the eigenvectors of the small
    ``pivots x pivots`` matrix ``B.T @ B`` rather than an SVD of ``B`` itself.
    """
    index = {v: i for i, v in enumerate(order)}
    n = len(order)
    adjacency: list[list[int]] = [[] for _ in range(n)]
    for u, v in C.edges():
        adjacency[index[u]].append(index[v])
        adjacency[index[v]].append(index[u])
    k = min(pivots, n)
    dist = np.zeros((n, k))
    nearest = np.full(n, np.inf)
    degrees = [len(a) for a in adjacency]
    pivot = degrees.index(max(degrees))  # ties: first in order
    for j in range(k):
        dist[:, j] = _bfs_distances(adjacency, pivot)
        nearest = np.minimum(nearest, dist[:, j])
        pivot = int(np.argmax(nearest))
    sq = dist**2
    sq -= sq.mean(axis=0, keepdims=True)
    sq -= sq.mean(axis=1, keepdims=True)
    _, vectors = np.linalg.eigh(sq.T @ sq)  # ascending eigenvalues
    axes = vectors[:, ::-1][:, :2]
    axes = axes * np.where(axes[np.abs(axes).argmax(axis=0), [0, 1]] < 0, -1.0, 1.0)  # fixed signs
    coords = sq @ axes
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((n, 2 - coords.shape[1]))])
    # Nodes with the same distances (leaves of one hub) coincide; spread them a little.
    span = float(np.abs(coords).max()) or 1.0
    rng = np.random.default_rng(seed)
    result: np.ndarray = coords + rng.normal(scale=span / (4 * math.sqrt(n)), size=coords.shape)
    return result


def _bfs_distances(adjacency: list[list[int]], source: int) -> list[int]:
    """Hop counts from `source` to every node of a connected graph given as adjacency lists."""
    dist = [-1] * len(adjacency)
    dist[source] = 0
    frontier = [source]
    level = 0
    while frontier:
        level += 1
        following = []
        for u in frontier:
            for v in adjacency[u]:
                if dist[v] < 0:
                    dist[v] = level
                    following.append(v)
        frontier = following
    return dist


def _pack(
    pieces: list[tuple[list[Hashable], np.ndarray, float]],
) -> dict[Hashable, tuple[float, float]]:
    """Place components (largest first) in rows of roughly square overall extent."""
    gap = 40.0
    area = sum((2 * r + gap) ** 2 for _, _, r in pieces)
    row_width = max(math.sqrt(area), max((2 * r + gap for _, _, r in pieces), default=0.0))
    positions: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes, coords, r in pieces:
        size = 2 * r + gap
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + size / 2, y + size / 2
        for v, (px, py) in zip(nodes, coords):
            positions[v] = (round(float(px) + cx, 2), round(float(py) + cy, 2))
        x += size
        row_height = max(row_height, size)
    return positions




def _country_view(G: nx.Graph) -> nx.Graph:
    from graph.query import country_view

    # country_view reads edge keys: give other graph types as a MultiDiGraph (a copy).
    result: nx.Graph = country_view(G if isinstance(G, nx.MultiDiGraph) else nx.MultiDiGraph(G))
    return result


def _view(
    G: nx.Graph,
    ref: nx.Graph,
    max_nodes: int,
    physics: bool | None,
    documents: _Documents,
    previous: Fragments | Collected | None = None,
) -> dict[str, Any]:
    """One view's vis data: nodes, edges (:class:`_VisEdge`), physics switch and the note on
    what was left out.

    Ids that attributes refer to (locations, people, events) are named from `ref`. With
    `previous`, edges whose data the previous page holds take it from there.
    """
    shown = _most_connected(G, max_nodes)
    if len(shown) == G.number_of_nodes():
        S = G
    else:
        chosen = set(shown)
        S = _induced(G, [n for n in G if n in chosen])
    n_shown, m_shown = S.number_of_nodes(), S.number_of_edges()
    big = n_shown > PHYSICS_MAX_NODES
    positions = layout_positions(S)
    index = {n: i for i, n in enumerate(S.nodes)}
    degree = dict(S.degree())
    nodes = [
        _vis_node(G, ref, n, d, index[n], positions[n], degree.get(n, 0), documents)
        for n, d in S.nodes(data=True)
    ]
    edges = _vis_edges(G, ref, S, index, documents, curve=not big, previous=previous)
    note = ""
    if n_shown < G.number_of_nodes():
        left = Counter(
            _text(G.nodes[n].get("kind") or "other", 40) for n in G.nodes if n not in index
        )
        by_kind = ", ".join(f"{count:,} {kind}" for kind, count in sorted(left.items(), key=lambda x: (-x[1], x[0])))
        note = (
            f"Showing the {n_shown:,} most connected of {G.number_of_nodes():,} nodes "
            f"(max_nodes={max_nodes:,}): {G.number_of_nodes() - n_shown:,} nodes ({by_kind}) "
            f"and {G.number_of_edges() - m_shown:,} edges were left out."
        )
    return {
        "nodes": nodes,
        "edges": edges,
        "physics": (not big) if physics is None else physics,
        "note": note,
    }


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _pyvis_asset(name: str) -> str:
    net = Network(cdn_resources="in_line")
    loader = net.templateEnv.loader
    if loader is None:
        raise RuntimeError("pyvis has no template loader: cannot find vis-network")
    text, _, _ = loader.get_source(net.templateEnv, _VIS + name)
    return text


@functools.cache
def _scripts() -> tuple[str, str]:
    """vis-network's script, and ours; each must survive inside a ``<script>`` element."""
    vis = _pyvis_asset("vis-network.min.js")
    ours = resources.files("graph").joinpath("explorer.js").read_text(encoding="utf-8")
    for text in (vis, ours):
        if re.search(r"</script|<!--", text, re.IGNORECASE):
            raise RuntimeError("a page script contains '</script' or '<!--': it cannot be inlined")
    return vis, ours


@functools.cache
def _styles() -> tuple[str]:
    """Our style sheet: of vis-network's 220 kB of CSS the page needs only the tooltip rule,
    which ``explorer.css`` has (the rest styles widgets the page does not use)."""
    ours = resources.files("graph").joinpath("explorer.css").read_text(encoding="utf-8")
    if re.search(r"</style", ours, re.IGNORECASE):
        raise RuntimeError("the page style sheet contains '</style': it cannot be inlined")
    return (ours,)


#: What JSON in a script element must not hold as it is, as UTF-8, and its escape (in UTF-8 a
#: character's bytes are found only where that character is).
_SCRIPT_ESCAPES = tuple((c.encode("utf-8"), f"\\u{ord(c):04x}".encode("ascii")) for c in "<>&\u2028\u2029")


def _json_for_script(data: Any) -> bytes:
    """JSON that an HTML parser cannot end early: ``<``, ``>``, ``&`` and line separators escaped."""
    try:  # compact JSON in C; the page's data holds only JSON types and finite numbers
        text = orjson.dumps(data)
    except TypeError:  # orjson.JSONEncodeError too: a lone surrogate, an int beyond 64 bits
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
    for char, escaped in _SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return text


def _page(parts: Fragments | Collected, title: str, header: str, data: Mapping[str, Any]) -> None:
    """Add the page to `parts`: its data is JSON written view by view, each edge as the part
    made of its place (id, ends, curve) and the part made of the rest, which a rebuild may
    copy from the previous page (:class:`_VisEdge`)."""
    vis_js, our_js = _scripts()
    (css,) = _styles()
    head = (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape(title)}</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        f'{header}\n<div id="mynetwork"></div>\n'
        '<script type="application/json" id="dg-data">'
    )
    tail = f"</script>\n<script>{vis_js}</script>\n<script>{our_js}</script>\n</body>\n</html>\n"
    top = {k: v for k, v in data.items() if k != "views"}
    views = data["views"]
    if not any(edge.fp for view in views.values() for edge in view["edges"]):
        # nothing to index for a next page: the data in one piece, as JSON made in one call
        # (the same bytes as the pieces below)
        whole = {**top, "views": {
            name: {**{k: v for k, v in view.items() if k != "edges"}, "edges": [edge.data() for edge in view["edges"]]}
            for name, view in views.items()
        }}
        parts.add(None, b"".join((head.encode("utf-8"), _json_for_script(whole), tail.encode("utf-8"))))
        return
    # the views last: the other keys' values go first, as JSON (an object's keys are unordered)
    parts.add(None, head.encode("utf-8") + _json_for_script(top)[:-1] + b',"views":{')
    for i, (name, view) in enumerate(views.items()):
        rest = {k: v for k, v in view.items() if k != "edges"}
        parts.add(None, (b"," if i else b"") + _json_for_script(name) + b":" + _json_for_script(rest)[:-1] + b',"edges":[')
        for j, edge in enumerate(view["edges"]):
            parts.add(None, (b"," if j else b"") + edge.head())
            parts.add(edge.fp, edge.body if isinstance(edge.body, OldPart) else _json_for_script(edge.body)[1:])
        parts.add(None, b"]}")
    parts.add(None, b"}}" + tail.encode("utf-8"))


def _text(value: Any, limit: int = _VALUE_MAX) -> str:
    """One line of plain text: no control characters, no line breaks, capped length."""
    return _line(value if type(value) is str else str(value), limit)


@functools.lru_cache(maxsize=1 << 16)  # an evidence sentence is quoted on every edge it supports
def _line(text: str, limit: int) -> str:
    if text.isascii() and text.isprintable() and "  " not in text:  # the common case, checked in C
        text = text.strip(" ")  # printable ASCII holds no other whitespace, and no run of spaces
    else:
        text = _SPACES.sub(" ", xml_safe_text(text)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, Mapping):  # a tally such as {"2023": 2}
        return [f"{k} ({v})" if isinstance(v, (int, float)) else k for k, v in sorted(value.items(), key=str)]
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return [value]


def _joined(values: Iterable[Any]) -> str:
    items = [t for t in (_text(v, 120) for v in values if v is not None) if t]
    more = len(items) - _LIST_MAX
    shown = "; ".join(items[:_LIST_MAX])
    return shown + (f"; … and {more} more" if more > 0 else "")


def _in_graph(G: nx.Graph, n: Any) -> bool:
    try:
        return n in G
    except TypeError:  # unhashable
        return False


def _label(G: nx.Graph, n: Hashable) -> str:
    d = G.nodes[n] if _in_graph(G, n) else {}
    label = d.get("label")
    return _text(label if label not in (None, "") else n, 120)


def _name(G: nx.Graph, ref: Any) -> str:
    """The label of node `ref` of `G`, or `ref` itself as text."""
    return _label(G, ref) if _in_graph(G, ref) else _text(ref, 120)


def _date_range(values: Iterable[Any]) -> tuple[str, str]:
    """The earliest and latest day that ISO dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) span."""
    lows, highs = [], []
    for value in values:
        m = _DATE.fullmatch(str(value).strip()) if value is not None else None
        if not m:
            continue
        year, month, day = m.groups()
        lows.append(f"{year}-{month or '01'}-{day or '01'}")
        highs.append(f"{year}-{month or '12'}-{day or '31'}")
    return (min(lows), max(highs)) if lows else ("", "")


def _sources(ids: Iterable[Any], documents: _Documents) -> list[str]:
    """One line per source document: its id, and its title, outlet and date when known."""
    ids = list(ids)
    lines = [documents.source_line(doc) for doc in ids[:_SOURCES_MAX]]  # a country has thousands
    if len(ids) > _SOURCES_MAX:
        more = len(ids) - _SOURCES_MAX
        lines.append(f"… and {more} more source{'s' if more > 1 else ''}")
    return lines


class _Documents(dict):  # type: ignore[type-arg]
    """The page's document metadata (id -> title, outlet, published...), with each document's
    source line made once: a document is the source of many nodes and edges."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        super().__init__(documents)
        self._lines: dict[str, str] = {}

    def source_line(self, doc: Any) -> str:
        """``• id: “title” (outlet, published)``."""
        key = doc if type(doc) is str else str(doc)
        line = self._lines.get(key)
        if line is None:
            meta = self.get(key)
            line = f"• {_text(doc, 80)}"
            if isinstance(meta, Mapping) and meta:
                if meta.get("title"):
                    line += f": “{_text(meta['title'], 160)}”"
                extra = [_text(meta[k], 60) for k in ("outlet", "published") if meta.get(k)]
                if extra:
                    line += f" ({', '.join(extra)})"
            self._lines[key] = line
        return line


def _evidence(value: Any, documents: _Documents) -> list[str]:
    evidence = [e for e in _items(value) if e]
    lines = []
    for e in evidence[:_EVIDENCE_MAX]:
        if isinstance(e, Mapping):
            doc = e.get("doc")
            where = ""
            if doc:
                meta = documents.get(str(doc))
                name = meta.get("title") if isinstance(meta, Mapping) else None
                where = f" ({_text(doc, 80)}{': ' + _text(name, 100) if name else ''})"
            lines.append(f"“{_text(e.get('sentence') or '')}”{where}")
        else:
            lines.append(f"“{_text(e)}”")
    if len(evidence) > _EVIDENCE_MAX:
        more = len(evidence) - _EVIDENCE_MAX
        lines.append(f"… and {more} more sentence{'s' if more > 1 else ''}")
    return lines


def _vis_node(
    G: nx.Graph,
    ref: nx.Graph,
    n: Hashable,
    d: Mapping[str, Any],
    vis_id: int,
    xy: tuple[float, float],
    degree: int,
    documents: _Documents,
) -> dict[str, Any]:
    kind = _text(d.get("kind") or "")
    color, shape = NODE_STYLES.get(kind, _OTHER_NODE)
    label = _label(G, n)
    short = label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"
    if kind == "event" and d.get("date"):
        short = f"{short} ({_text(d['date'], 20)})"
    lo, hi = _date_range([d.get("date")]) if kind == "event" else ("", "")
    names = [label, *(_text(a, 120) for a in _items(d.get("aliases")))]
    if d.get("iso3"):
        names.append(_text(d["iso3"], 20))
    return {
        "id": vis_id,
        "label": short,
        "title": _node_tooltip(G, ref, n, d, label, kind, documents),
        "color": color,
        "shape": shape,
        "size": round(10 + 4 * math.log1p(degree), 1),
        "x": xy[0],
        "y": xy[1],
        "k": kind if kind in NODE_STYLES else "other",
        "lo": lo,
        "hi": hi,
        "s": "\n".join(names).lower(),
    }


def _node_tooltip(
    G: nx.Graph,
    ref: nx.Graph,
    n: Hashable,
    d: Mapping[str, Any],
    label: str,
    kind: str,
    documents: _Documents,
) -> str:
    lines = [label, f"kind: {kind or 'unknown'}"]
    if kind == "event":
        for key in ("event_type", "date"):
            if d.get(key):
                lines.append(f"{key.replace('_', ' ')}: {_text(d[key])}")
        for key in ("location", "initiator", "host"):
            if d.get(key) is not None:
                lines.append(f"{key}: {_name(ref, d[key])}")
    titles = _joined(_items(d.get("titles")))
    if titles:
        lines.append(f"titles: {titles}")
    for key in ("country", "iso3"):
        if d.get(key):
            lines.append(f"{key}: {_text(d[key])}")
    people = _joined(_name(ref, p) for p in _items(d.get("people")))
    if people:
        lines.append(f"people: {people}")
    aliases = _joined(a for a in _items(d.get("aliases")) if _text(a, 120) != label)
    if aliases:
        lines.append(f"aliases: {aliases}")
    if d.get("mentions") is not None:
        lines.append(f"mentions: {_text(d['mentions'])}")
    evidence = _evidence(d.get("evidence"), documents)
    if evidence:
        lines.append("evidence:")
        lines.extend(evidence)
    sources = _sources(_items(d.get("sources")), documents)
    if sources:
        lines.append("sources:")
        lines.extend(sources)
    lines.append(f"id: {_text(n)}")
    return "\n".join(lines)


class _VisEdge:
    """One edge of a view's vis data: its place (``id``, ``from``, ``to``, ``smooth``), and the
    rest (style, tooltip, dates) as a dict, or as the previous page's part made of the same
    things (``fp``, the fingerprint of those things, None when there was nothing to compare).

    ``r``, ``lo`` and ``hi`` (relation filter, date range) are known either way."""

    __slots__ = ("number", "a", "b", "smooth", "body", "fp", "r", "lo", "hi")

    def __init__(
        self, number: int, a: int, b: int, smooth: dict[str, Any] | None,
        body: dict[str, Any] | OldPart, fp: bytes | None, r: str, lo: str, hi: str,
    ) -> None:
        self.number, self.a, self.b, self.smooth = number, a, b, smooth
        self.body, self.fp, self.r, self.lo, self.hi = body, fp, r, lo, hi

    def data(self) -> dict[str, Any]:
        """The edge as vis-network takes it (its data made here, not copied)."""
        if isinstance(self.body, OldPart):
            raise ValueError("the data of this edge is the previous page's")
        place: dict[str, Any] = {"id": f"e{self.number}", "from": self.a, "to": self.b}
        if self.smooth is not None:
            place["smooth"] = self.smooth
        return {**place, **self.body}

    def head(self) -> bytes:
        """The edge's JSON object up to the rest: ``{"id":"e3","from":0,"to":1,``."""
        if self.smooth is None:
            return b'{"id":"e%d","from":%d,"to":%d,' % (self.number, self.a, self.b)
        return b'{"id":"e%d","from":%d,"to":%d,"smooth":%s,' % (
            self.number, self.a, self.b, _json_for_script(self.smooth))


#: Edge attributes that hold ids the tooltip names from the reference graph.
_NAMED_KEYS = ("event_types", "people", "discussed", "events")


def _edge_makings(
    labels: Mapping[Hashable, str], ref: nx.Graph, u: Hashable, v: Hashable, d: Mapping[str, Any], documents: _Documents
) -> Any:
    """Everything an edge's data besides its place is made of (see :func:`_edge_tooltip`): the
    ends' labels, the attributes, the lines of the sources shown, the titles of the documents
    of the evidence shown, and the names of the ids it lists."""
    sources = d.get("sources")
    if sources is None:
        shown: list[Any] = []
    else:  # a country's edges have thousands: only those shown are looked up
        shown = sources[:_SOURCES_MAX] if type(sources) is list else _items(sources)[:_SOURCES_MAX]
    evidence = d.get("evidence")
    titles = []
    if evidence is not None:  # (dicts are told from other mappings by type first: the check is 20 times faster)
        for e in (evidence[:_EVIDENCE_MAX] if type(evidence) is list else _items(evidence)[:_EVIDENCE_MAX]):
            doc = e.get("doc") if type(e) is dict or isinstance(e, Mapping) else None
            meta = documents.get(str(doc)) if doc else None
            titles.append(meta.get("title") if meta is not None and (type(meta) is dict or isinstance(meta, Mapping)) else None)
    named = None if d.keys().isdisjoint(_NAMED_KEYS) else [
        [_name(ref, x) for x in _items(d[key])] if d.get(key) is not None else None for key in _NAMED_KEYS
    ]
    return (labels[u], labels[v], d, [documents.source_line(doc) for doc in shown], titles, named)


def _vis_edges(
    G: nx.Graph,
    ref: nx.Graph,
    S: nx.Graph,
    index: Mapping[Hashable, int],
    documents: _Documents,
    *,
    curve: bool,
    previous: Fragments | Collected | None = None,
) -> list[_VisEdge]:
    edges: list[_VisEdge] = []
    parallel: Counter[tuple[int, int]] = Counter()
    labels = {n: _label(G, n) for n in S} if previous is not None else {}
    for i, (u, v, d) in enumerate(S.edges(data=True)):
        relation = _text(d.get("relation") or "")
        a, b = index[u], index[v]
        dates, years, date = d.get("dates"), d.get("years"), d.get("date")
        if dates is None and years is None and date is None:  # most edges
            lo = hi = ""
        else:
            years = list(years) if isinstance(years, Mapping) else _items(years)
            lo, hi = _date_range([*_items(dates), *years, date])
        r = relation if relation in EDGE_STYLES else "other"
        pair = (min(a, b), max(a, b))
        rank = parallel[pair]
        parallel[pair] += 1
        smooth = None
        if curve and rank:
            smooth = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": 0.15 * ((rank + 1) // 2),
            }
        fp = fingerprint(_edge_makings(labels, ref, u, v, d, documents)) if previous is not None else None
        old = previous.get(fp) if previous is not None else None
        if old is not None:
            edges.append(_VisEdge(i, a, b, smooth, old, fp, r, lo, hi))
            continue
        color, width = EDGE_STYLES.get(relation, _OTHER_EDGE)
        weight = d.get("weight")
        if isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight > 1:
            width = width + min(4.0, math.log2(weight))
        body: dict[str, Any] = {
            "color": color,
            "width": round(width, 2),
            "title": _edge_tooltip(G, ref, u, v, d, relation, documents),
            "arrows": "" if relation in _UNDIRECTED else "to",
            "r": r,
            "lo": lo,
            "hi": hi,
        }
        if relation in _DASHED:
            body["dashes"] = True
        edges.append(_VisEdge(i, a, b, smooth, body, fp, r, lo, hi))
    return edges


def _edge_tooltip(
    G: nx.Graph,
    ref: nx.Graph,
    u: Hashable,
    v: Hashable,
    d: Mapping[str, Any],
    relation: str,
    documents: _Documents,
) -> str:
    lines = [f"{_label(G, u)} → {_label(G, v)}", f"relation: {relation or 'unknown'}"]
    for key in ("title", "partnership_type"):
        if d.get(key):
            lines.append(f"{key.replace('_', ' ')}: {_text(d[key])}")
    for key in ("dates", "years"):
        values = _joined(_items(d[key])) if d.get(key) is not None else ""  # most edges have neither
        if values:
            lines.append(f"{key}: {values}")
    for key in ("weight", "count"):
        if d.get(key) is not None:
            lines.append(f"{key}: {_text(d[key])}")
    for key in ("event_types", "people", "discussed", "events"):
        values = _joined(_name(ref, x) for x in _items(d[key])) if d.get(key) is not None else ""
        if values:
            lines.append(f"{key.replace('_', ' ')}: {values}")
    evidence = _evidence(d.get("evidence"), documents)
    if evidence:
        lines.append("evidence:")
        lines.extend(evidence)
    sources = _sources(_items(d.get("sources")), documents)
    if sources:
        lines.append("sources:")
        lines.extend(sources)
    return "\n".join(lines)


def _vis_options(physics: bool, big: bool) -> dict[str, Any]:
    return {
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -4000, "springLength": 120},
            "stabilization": {"enabled": True, "iterations": 200, "fit": True},
        },
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
        },
        "edges": {
            "smooth": False if big else {"enabled": True, "type": "continuous"},
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
        },
        "nodes": {"borderWidth": 1, "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}},
    }


def _header_html(
    title: str,
    note: str,
    kinds: set[str],
    relations: set[str],
    dates: tuple[str, str] | None,
    has_countries: bool,
) -> str:
    """The header: title, note, view switch, search, dates, and the legend that filters.

    Only constants go into attributes; the title and note are escaped text.
    """
    esc = _escape
    parts = [f'<header id="dg-header"><h1>{esc(title)}</h1>']
    hidden = "" if note else " hidden"
    parts.append(f'<p class="dg-note" id="dg-note"{hidden}>{esc(note)}</p>')
    disabled = "" if has_countries else ' disabled title="no country view for this graph"'
    lo, hi = dates if dates else ("", "")
    bounds = f' min="{esc(lo)}" max="{esc(hi)}"' if dates else ""
    parts.append(
        '<div class="dg-row" id="dg-controls">'
        '<span class="dg-head">View</span>'
        '<label class="dg-item"><input type="radio" name="dg-view" id="dg-view-entity" value="entity" checked>'
        "entities</label>"
        '<label class="dg-item"><input type="radio" name="dg-view" id="dg-view-country" value="country"'
        f"{disabled}>countries</label>"
        '<label class="dg-item"><span class="dg-head">Search</span>'
        '<input type="search" id="dg-search" placeholder="name or alias" autocomplete="off"></label>'
        f'<label class="dg-item"><span class="dg-head">From</span><input type="date" id="dg-from"{bounds}></label>'
        f'<label class="dg-item"><span class="dg-head">to</span><input type="date" id="dg-to"{bounds}></label>'
        '<button type="button" id="dg-reset">Reset</button>'
        '<span id="dg-count"></span></div>'
    )
    parts.append('<div class="dg-row" id="dg-legend"><span class="dg-head">Nodes</span>')
    shown_kinds = [k for k in NODE_STYLES] + (["other"] if "other" in kinds else [])
    for kind in shown_kinds:
        color, shape = NODE_STYLES.get(kind, _OTHER_NODE)
        parts.append(
            f'<label class="dg-item"><input type="checkbox" data-kind="{esc(kind)}" checked>'
            f"{_shape_svg(shape, color)}{esc(kind)}</label>"
        )
    shown_relations = [r for r in EDGE_STYLES if r in relations] + (["other"] if "other" in relations else [])
    if shown_relations:
        parts.append('<span class="dg-head">Edges</span>')
    for relation in shown_relations:
        color, width = EDGE_STYLES.get(relation, _OTHER_EDGE)
        parts.append(
            f'<label class="dg-item"><input type="checkbox" data-relation="{esc(relation)}" checked>'
            f"{_line_svg(color, width, relation in _DASHED)}{esc(relation)}</label>"
        )
    parts.append("</div></header>")
    return "".join(parts)


def _escape(text: str) -> str:
    return html.escape(_SPACES.sub(" ", xml_safe_text(text)), quote=True)


def _shape_svg(shape: str, color: str) -> str:
    c = html.escape(color, quote=True)
    shapes = {
        "dot": f'<circle cx="8" cy="8" r="6" fill="{c}"/>',
        "square": f'<rect x="2" y="2" width="12" height="12" fill="{c}"/>',
        "triangle": f'<polygon points="8,1 15,14 1,14" fill="{c}"/>',
        "triangleDown": f'<polygon points="1,2 15,2 8,15" fill="{c}"/>',
        "hexagon": f'<polygon points="4,1 12,1 16,8 12,15 4,15 0,8" fill="{c}"/>',
        "diamond": f'<polygon points="8,0 16,8 8,16 0,8" fill="{c}"/>',
        "star": f'<polygon points="8,0 10,6 16,6 11,10 13,16 8,12 3,16 5,10 0,6 6,6" fill="{c}"/>',
    }
    body = shapes.get(shape, shapes["dot"])
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{body}</svg>'


def _line_svg(color: str, width: float, dashed: bool = False) -> str:
    c = html.escape(color, quote=True)
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        '<svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">'
        f'<line x1="0" y1="5" x2="28" y2="5" stroke="{c}" stroke-width="{max(width, 2.0)}"{dash}/></svg>'
    )
