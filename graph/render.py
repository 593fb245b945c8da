"""Render the graph as one self-contained, offline HTML page (vis-network through pyvis).

This is the only module that imports pyvis. The page makes no request: the
vis-network script and styles are inlined, pyvis's remaining CDN tags are
removed, and a Content-Security-Policy forbids anything from outside. Node and
edge tooltips are plain text: the data reaches the page as JSON inside a
script (``<``, ``>``, ``&`` and ``'`` escaped), vis-network shows string
tooltips with ``innerText``, and pyvis's ``innerHTML`` popup (which it turns
on whenever a tooltip contains ``href``) is never rendered.

Positions are computed here (deterministic), so large graphs show at once
with physics off.
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import jinja2
import networkx as nx
import numpy as np
from pyvis.network import Network

from graph._io import atomic_write_text
from graph.export import xml_safe_text

__all__ = [
    "EDGE_STYLES",
    "NODE_STYLES",
    "PHYSICS_MAX_NODES",
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

#: Edge relation -> (colour, width); other relations are drawn like ``_OTHER_EDGE``.
EDGE_STYLES: dict[str, tuple[str, float]] = {
    "supports": ("#2ca02c", 2.5),
    "opposes": ("#d62728", 2.5),
    "condemns": ("#8b0000", 2.5),
    "mediates": ("#9467bd", 2.5),
    "cooperates_on": ("#17becf", 2.0),
    "partnership": ("#1f77b4", 2.0),
    "member_of": ("#8c564b", 1.5),
    "discussed": ("#bcbd22", 1.5),
    "participant": ("#6b6b6b", 1.5),
    "role": ("#9a9a9a", 1.0),
    "co_mentioned": ("rgba(150,150,150,0.35)", 0.5),
}
_OTHER_EDGE = ("#555555", 1.0)
_UNDIRECTED = frozenset({"co_mentioned", "partnership", "cooperates_on"})

#: With ``physics=None``, the simulation runs only up to this many shown nodes.
PHYSICS_MAX_NODES = 300

_SPRING_MAX = 300  # components up to this size get a spring layout; larger: pivot MDS
_LABEL_MAX = 40
_VALUE_MAX = 300
_LIST_MAX = 12
_EVIDENCE_MAX = 3

_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; media-src 'none'; "
    "object-src 'none'; frame-src 'none'; worker-src 'none'; manifest-src 'none'; "
    "form-action 'none'; base-uri 'none'"
)

_PAGE_CSS = """
body { margin: 0; font-family: system-ui, sans-serif; color: #222; }
#dg-header { padding: 8px 14px; border-bottom: 1px solid #ddd; }
#dg-header h1 { font-size: 20px; margin: 0 0 4px 0; }
.dg-note { margin: 4px 0; padding: 4px 8px; background: #fff4ce; border: 1px solid #e0c060; }
#dg-legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; align-items: center; }
#dg-legend .dg-item { display: inline-flex; align-items: center; gap: 4px; }
#dg-legend .dg-head { font-weight: 600; }
#mynetwork div.vis-tooltip { white-space: pre-wrap; max-width: 40em; font-size: 13px;
  font-family: system-ui, sans-serif; overflow-wrap: anywhere; }
"""

_RAW_BLOCK = re.compile(r"(<(script|style)\b[^>]*>)(.*?)(</\2\s*>)", re.DOTALL | re.IGNORECASE)
_EXTERNAL = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPTY_HEADING = re.compile(r"<center>\s*<h1>\s*</h1>\s*</center>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def render_html(
    G: nx.Graph,
    *,
    max_nodes: int = 2000,
    physics: bool | None = None,
    title: str = "diplograph",
) -> str:
    """The interactive page for `G` as a string.

    Parameters
    ----------
    G : networkx.Graph
        Usually the diplograph ``MultiDiGraph``; it is not modified.
    max_nodes : int
        Show at most this many nodes: the most connected ones (by degree, ties
        going to nodes of larger components).
        The page says how many nodes and edges were left out.
    physics : bool or None
        Run vis-network's physics simulation. ``None`` runs it only for graphs
        of at most :data:`PHYSICS_MAX_NODES` shown nodes.
    title : str
        Page title and heading (shown as text).

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
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 0:
        raise ValueError(f"max_nodes must be a non-negative int, got {max_nodes!r}")
    if physics is not None and not isinstance(physics, bool):
        raise ValueError(f"physics must be True, False or None, got {physics!r}")

    shown = _most_connected(G, max_nodes)
    S = G.subgraph(shown)
    n_shown, m_shown = S.number_of_nodes(), S.number_of_edges()
    use_physics = n_shown <= PHYSICS_MAX_NODES if physics is None else physics
    big = n_shown > PHYSICS_MAX_NODES

    positions = layout_positions(S)
    index = {n: i for i, n in enumerate(S.nodes)}
    degree = dict(S.degree())
    nodes = [
        _vis_node(G, n, d, index[n], positions[n], degree.get(n, 0)) for n, d in S.nodes(data=True)
    ]
    edges = _vis_edges(G, S, index, curve=not big)

    net = Network(
        height="calc(100vh - 120px)",
        width="100%",
        directed=True,
        heading="",
        cdn_resources="in_line",
    )
    # Filled directly: add_node/add_edge are linear per call and validate with assert.
    net.nodes = nodes
    net.edges = edges
    net.node_ids = [v["id"] for v in nodes]
    net.node_map = {v["id"]: v for v in nodes}
    options = _vis_options(use_physics, big)

    page = _template().render(
        height=net.height,
        width=net.width,
        nodes=net.nodes,
        edges=net.edges,
        heading="",
        options=json.dumps(options),
        physics_enabled=use_physics,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor="#ffffff",
        conf=False,
        # pyvis turns this on when a tooltip contains "href"; it makes every
        # tooltip raw innerHTML, so data could become markup. Never.
        tooltip_link=False,
        neighborhood_highlight=False,
        select_menu=False,
        filter_menu=False,
        notebook=False,
        cdn_resources="in_line",
    )

    notes = []
    if G.number_of_nodes() == 0:
        notes.append("The graph is empty: there are no nodes to show.")
    elif n_shown < G.number_of_nodes():
        left_nodes = G.number_of_nodes() - n_shown
        left_edges = G.number_of_edges() - m_shown
        notes.append(
            f"Showing the {n_shown:,} most connected of {G.number_of_nodes():,} nodes; "
            f"{left_nodes:,} nodes and {left_edges:,} edges were left out "
            f"(max_nodes={max_nodes:,})."
        )
    kinds = [d.get("kind") for _, d in S.nodes(data=True)]
    relations = [d.get("relation") for *_, d in S.edges(data=True)]
    header = _header_html(title, notes, kinds, relations, n_shown, m_shown)
    return _finish_page(page, title, header)


def write_html(
    G: nx.Graph,
    path: str | os.PathLike[str],
    *,
    max_nodes: int = 2000,
    physics: bool | None = None,
    title: str = "diplograph",
) -> Path:
    """Write :func:`render_html` of `G` to `path` atomically.

    Parameters
    ----------
    G : networkx.Graph
        The graph; it is not modified.
    path : str or os.PathLike
        Destination file (UTF-8).
    max_nodes, physics, title
        As in :func:`render_html`.

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
    text = render_html(G, max_nodes=max_nodes, physics=physics, title=title)
    return atomic_write_text(path, text)


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
    components = sorted(
        (list(c) for c in nx.connected_components(U)), key=lambda c: (-len(c), _sort_key(c[0]))
    )
    pieces: list[tuple[list[Hashable], np.ndarray, float]] = []
    for comp in components:
        comp.sort(key=_sort_key)
        coords = _component_layout(U.subgraph(comp), comp, seed)
        radius = 60.0 * math.sqrt(len(comp)) if len(comp) > 1 else 0.0
        span = np.abs(coords).max() if len(comp) > 1 else 0.0
        if span > 0:
            coords = coords * (radius / span)
        pieces.append((comp, coords, radius))
    return _pack(pieces)


@functools.cache
def _template() -> jinja2.Template:
    """pyvis's page template, compiled once (it inlines ~500 kB of vis-network)."""
    net = Network(cdn_resources="in_line")
    return net.templateEnv.get_template(net.path)


def _most_connected(G: nx.Graph, max_nodes: int) -> list[Hashable]:
    if G.number_of_nodes() <= max_nodes:
        return list(G.nodes)
    degree = dict(G.degree())
    components = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    component_size = {n: len(c) for c in components for n in c}
    # Ties go to nodes of bigger components, so the cut keeps one connected part.
    ranked = sorted(G.nodes, key=lambda n: (-degree[n], -component_size[n], _sort_key(n)))
    return ranked[:max_nodes]


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
    """Pivot MDS of a connected graph: positions from BFS distances to a few pivots."""
    index = {v: i for i, v in enumerate(order)}
    n = len(order)
    k = min(pivots, n)
    dist = np.zeros((n, k))
    nearest = np.full(n, np.inf)
    pivot = max(order, key=lambda v: C.degree(v))  # ties: first in order
    for j in range(k):
        for v, d in nx.single_source_shortest_path_length(C, pivot).items():
            dist[index[v], j] = d
        nearest = np.minimum(nearest, dist[:, j])
        pivot = order[int(np.argmax(nearest))]
    sq = dist**2
    sq -= sq.mean(axis=0, keepdims=True)
    sq -= sq.mean(axis=1, keepdims=True)
    u, s, _ = np.linalg.svd(sq, full_matrices=False)
    coords = u[:, :2] * s[:2]
    if coords.shape[1] < 2:
        coords = np.hstack([coords, np.zeros((n, 2 - coords.shape[1]))])
    # Nodes with the same distances (leaves of one hub) coincide; spread them a little.
    span = float(np.abs(coords).max()) or 1.0
    rng = np.random.default_rng(seed)
    result: np.ndarray = coords + rng.normal(scale=span / (4 * math.sqrt(n)), size=coords.shape)
    return result


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


def _text(value: Any, limit: int = _VALUE_MAX) -> str:
    """One line of plain text: no control characters, no line breaks, capped length."""
    text = _SPACES.sub(" ", xml_safe_text(value if isinstance(value, str) else str(value))).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
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


def _vis_node(
    G: nx.Graph,
    n: Hashable,
    d: Mapping[str, Any],
    vis_id: int,
    xy: tuple[float, float],
    degree: int,
) -> dict[str, Any]:
    kind = _text(d.get("kind") or "")
    color, shape = NODE_STYLES.get(kind, _OTHER_NODE)
    label = _label(G, n)
    short = label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"
    if kind == "event" and d.get("date"):
        short = f"{short} ({_text(d['date'], 20)})"
    size = 10 + 4 * math.log1p(degree)
    return {
        "id": vis_id,
        "label": short,
        "title": _node_tooltip(G, n, d, label, kind),
        "color": color,
        "shape": shape,
        "size": round(size, 1),
        "x": xy[0],
        "y": xy[1],
        "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
    }


def _node_tooltip(G: nx.Graph, n: Hashable, d: Mapping[str, Any], label: str, kind: str) -> str:
    lines = [label, f"kind: {kind or 'unknown'}"]
    if kind == "event":
        for key in ("event_type", "date"):
            if d.get(key):
                lines.append(f"{key.replace('_', ' ')}: {_text(d[key])}")
        for key in ("location", "initiator"):
            ref = d.get(key)
            if ref is not None:
                ref_label = _label(G, ref) if _in_graph(G, ref) else _text(ref)
                lines.append(f"{key}: {ref_label}")
    titles = _joined(_items(d.get("titles")))
    if titles:
        lines.append(f"titles: {titles}")
    for key in ("country", "iso3"):
        if d.get(key):
            lines.append(f"{key}: {_text(d[key])}")
    aliases = _joined(a for a in _items(d.get("aliases")) if _text(a, 120) != label)
    if aliases:
        lines.append(f"aliases: {aliases}")
    sources = _joined(_items(d.get("sources")))
    if sources:
        lines.append(f"sources: {sources}")
    if d.get("mentions") is not None:
        lines.append(f"mentions: {_text(d['mentions'])}")
    lines.append(f"id: {_text(n)}")
    return "\n".join(lines)


def _vis_edges(
    G: nx.Graph, S: nx.Graph, index: Mapping[Hashable, int], *, curve: bool
) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = []
    parallel: Counter[tuple[int, int]] = Counter()
    for i, (u, v, d) in enumerate(S.edges(data=True)):
        relation = _text(d.get("relation") or "")
        color, width = EDGE_STYLES.get(relation, _OTHER_EDGE)
        weight = d.get("weight")
        if isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight > 1:
            width = width + min(4.0, math.log2(weight))
        a, b = index[u], index[v]
        edge: dict[str, Any] = {
            "id": f"e{i}",
            "from": a,
            "to": b,
            "color": color,
            "width": round(width, 2),
            "title": _edge_tooltip(G, u, v, d, relation),
            "arrows": "" if relation in _UNDIRECTED else "to",
        }
        if relation == "role":
            edge["dashes"] = True
        pair = (min(a, b), max(a, b))
        rank = parallel[pair]
        parallel[pair] += 1
        if curve and rank:
            edge["smooth"] = {
                "enabled": True,
                "type": "curvedCW" if rank % 2 else "curvedCCW",
                "roundness": 0.15 * ((rank + 1) // 2),
            }
        edges.append(edge)
    return edges


def _edge_tooltip(G: nx.Graph, u: Hashable, v: Hashable, d: Mapping[str, Any], relation: str) -> str:
    lines = [f"{_label(G, u)} → {_label(G, v)}", f"relation: {relation or 'unknown'}"]
    if d.get("title"):
        lines.append(f"title: {_text(d['title'])}")
    dates = _joined(_items(d.get("dates")))
    if dates:
        lines.append(f"dates: {dates}")
    sources = _joined(_items(d.get("sources")))
    if sources:
        lines.append(f"sources: {sources}")
    for key in ("weight", "count"):
        if d.get(key) is not None:
            lines.append(f"{key}: {_text(d[key])}")
    evidence = [e for e in _items(d.get("evidence")) if e]
    for e in evidence[:_EVIDENCE_MAX]:
        if isinstance(e, Mapping):
            doc = f" ({_text(e['doc'], 80)})" if e.get("doc") else ""
            lines.append(f"“{_text(e.get('sentence') or '')}”{doc}")
        else:
            lines.append(f"“{_text(e)}”")
    if len(evidence) > _EVIDENCE_MAX:
        lines.append(f"… and {len(evidence) - _EVIDENCE_MAX} more sentences")
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
        "nodes": {"borderWidth": 1},
    }


def _header_html(
    title: str,
    notes: list[str],
    kinds: list[Any],
    relations: list[Any],
    n_nodes: int,
    n_edges: int,
) -> str:
    esc = _escape
    parts = [f'<header id="dg-header"><h1>{esc(title)}</h1>']
    for note in notes:
        parts.append(f'<p class="dg-note" id="dg-note">{esc(note)}</p>')
    parts.append('<div id="dg-legend"><span class="dg-head">Nodes</span>')
    present_kinds = {k for k in kinds}
    for kind, (color, shape) in NODE_STYLES.items():
        parts.append(f'<span class="dg-item">{_shape_svg(shape, color)}{esc(kind)}</span>')
    if present_kinds - NODE_STYLES.keys():
        color, shape = _OTHER_NODE
        parts.append(f'<span class="dg-item">{_shape_svg(shape, color)}other</span>')
    present = {r for r in relations if isinstance(r, str)}
    shown_relations = [r for r in EDGE_STYLES if r in present]
    if shown_relations or relations:
        parts.append('<span class="dg-head">Edges</span>')
    for relation in shown_relations:
        color, width = EDGE_STYLES[relation]
        parts.append(f'<span class="dg-item">{_line_svg(color, width)}{esc(relation)}</span>')
    if any(r not in EDGE_STYLES for r in relations):
        color, width = _OTHER_EDGE
        parts.append(f'<span class="dg-item">{_line_svg(color, width)}other</span>')
    parts.append(f'<span class="dg-head">{n_nodes:,} nodes, {n_edges:,} edges shown</span>')
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


def _line_svg(color: str, width: float) -> str:
    c = html.escape(color, quote=True)
    return (
        '<svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">'
        f'<line x1="0" y1="5" x2="28" y2="5" stroke="{c}" stroke-width="{max(width, 2.0)}"/></svg>'
    )


def _finish_page(page: str, title: str, header: str) -> str:
    """Drop external tags, add the CSP, page title, styles and header; check the result."""
    out: list[str] = []
    pos = 0
    for m in _RAW_BLOCK.finditer(page):
        out.append(_clean_markup(page[pos : m.start()]))
        opening = m.group(1)
        if not re.search(r"\bsrc\s*=", opening, re.IGNORECASE):
            out.append(m.group(0))
        pos = m.end()
    out.append(_clean_markup(page[pos:]))
    text = "".join(out)

    head = (
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_escape(title)}</title>\n<style>{_PAGE_CSS}</style>\n"
    )
    text = text.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n' + head, 1)
    text = re.sub(r"<body>", lambda _: "<body>\n" + header, text, count=1)
    text = "<!DOCTYPE html>\n" + text.replace("<html>", '<html lang="en">', 1)

    markup = _RAW_BLOCK.sub("", text)
    if _CSP not in text or header not in text:
        raise RuntimeError("pyvis template changed: could not place the CSP or the header")
    if _EXTERNAL.search(markup) or "popup.innerHTML" in text:
        raise RuntimeError("pyvis output still loads external resources or uses innerHTML tooltips")
    return text


def _clean_markup(markup: str) -> str:
    markup = _COMMENT.sub("", markup)
    markup = _LINK_TAG.sub("", markup)
    markup = _EMPTY_HEADING.sub("", markup)
    return markup
