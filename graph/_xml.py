"""The bytes networkx's GraphML and GEXF writers make of a graph of scalars, made several times faster.

:func:`networkx.write_graphml` (lxml) and :func:`networkx.write_gexf` (ElementTree) build an
element object for every node, edge and attribute value before serializing it: about 7 s for
the 57,000 nodes and edges of a 10,000-document graph. The graphs :mod:`graph.export` hands
them hold only ``str``, ``int``, ``float`` and ``bool`` values, every string already XML-safe,
so the same document can be written as text directly. :func:`graphml_text` and :func:`gexf_text`
emulate those writers' choices (key ids, their order, types, element and attribute order,
indentation, escaping) and return None for any graph outside that case, for which the caller
uses networkx. Tests compare the result with networkx's on many graphs.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

__all__ = ["Items", "graphml_text", "gexf_text"]

#: The attribute types both writers accept here, by exact type (a subclass goes to networkx).
_GRAPHML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}
_GEXF_TYPES = _GRAPHML_TYPES

_ATTR_SPECIAL = re.compile("[&<>\"\n\r\t]")


def _lxml_text(text: str) -> str:
    """Character data as lxml writes it."""
    if "&" in text or "<" in text or ">" in text or "\r" in text:  # four scans in C beat one regex call
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    return text


def _escaped(text: str, entities: tuple[tuple[str, str], ...]) -> str:
    """`text` with each character of ``entities`` replaced, in that order, scanning only for
    those it holds (as ElementTree does: most attribute values need one replacement or none)."""
    if _ATTR_SPECIAL.search(text) is None:
        return text
    for char, entity in entities:
        if char in text:
            text = text.replace(char, entity)
    return text


_LXML_ATTR = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"),
              ("\t", "&#9;"))
_ETREE_ATTR = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"),
               ("\t", "&#09;"))


def _lxml_attr(text: str) -> str:
    """An attribute value as lxml writes it."""
    return _escaped(text, _LXML_ATTR)


def _etree_attr(text: str) -> str:
    """An attribute value as :mod:`xml.etree.ElementTree` writes it."""
    return _escaped(text, _ETREE_ATTR)


def _etree_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _edges(G: nx.Graph) -> Iterator[tuple[Hashable, Hashable, Any, dict[str, Any]]]:
    if G.is_multigraph():
        yield from G.edges(keys=True, data=True)
    else:
        for u, v, d in G.edges(data=True):
            yield u, v, None, d


@dataclass
class Items:
    """A graph as the writers read it: its attributes, and its nodes and edges in networkx's order.

    :mod:`graph.export` makes these directly (a networkx graph of them would only be read once);
    :meth:`to_graph` makes that graph for networkx's own writers.
    """

    graph: dict[Any, Any]
    nodes: list[tuple[Any, dict[Any, Any]]]
    edges: list[tuple[Any, Any, Any, dict[Any, Any]]]  # (u, v, key or None, data)
    directed: bool = True
    multigraph: bool = True

    @classmethod
    def of(cls, G: nx.Graph) -> Items:
        return cls(dict(G.graph), list(G.nodes(data=True)), list(_edges(G)), G.is_directed(), G.is_multigraph())

    def to_graph(self) -> nx.MultiDiGraph:
        """The MultiDiGraph of these items (directed multigraph items, edge keys all set)."""
        H = nx.MultiDiGraph()
        H.graph.update(self.graph)
        H.add_nodes_from(self.nodes)
        for u, v, k, d in self.edges:
            H.add_edge(u, v, key=k, **d)
        return H


def graphml_text(G: nx.Graph | Items) -> str | None:
    """What ``nx.write_graphml(G)`` (lxml, pretty-printed) writes, as text; None outside the fast case.

    The fast case: every graph, node and edge attribute has a ``str`` name and a value of exactly
    ``str``, ``int``, ``float`` or ``bool``, and the graph has no ``node_default``/``edge_default``.
    Strings must already be XML-safe (networkx would raise; this writes them as they are).

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", key="r", weight=2)
    'r'
    >>> import io
    >>> buf = io.BytesIO()
    >>> nx.write_graphml(G, buf)
    >>> graphml_text(G).encode("utf-8") == buf.getvalue()
    True
    """
    items = G if isinstance(G, Items) else Items.of(G)
    graph = dict(items.graph)
    if "node_default" in graph or "edge_default" in graph:
        return None
    graph_id = graph.pop("id", None)
    if graph_id is not None and type(graph_id) is not str:
        return None
    nodes, edges = items.nodes, items.edges
    # networkx numbers the keys in the order it first meets them: graph, nodes, edges
    keys: dict[tuple[str, str, str], str] = {}
    opening: dict[str, dict[tuple[str, type], str]] = {}  # scope -> (name, type) -> '<data key="dN">'
    for scope, datas in (("graph", [graph]), ("node", [d for _, d in nodes]), ("edge", [e[3] for e in edges])):
        tags = opening[scope] = {}
        for data in datas:
            for name, value in data.items():
                kind = type(value)
                if (name, kind) not in tags:
                    if type(name) is not str or kind not in _GRAPHML_TYPES:
                        return None
                    k = (name, _GRAPHML_TYPES[kind], scope)
                    if k not in keys:
                        keys[k] = f"d{len(keys)}"
                    tags[name, kind] = f'<data key="{keys[k]}">'

    def data_lines(scope: str, data: dict[str, Any], indent: str) -> list[str]:
        tags = opening[scope]
        return [
            f"{indent}{tags[name, type(value)]}{_lxml_text(value) if type(value) is str else value}</data>\n"
            for name, value in data.items()
        ]

    out = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for (name, xml_type, scope), kid in reversed(keys.items()):
        out.append(f'<key id="{kid}" for="{scope}" attr.name="{_lxml_attr(name)}" attr.type="{xml_type}"/>\n')
    edgedefault = "directed" if items.directed else "undirected"
    graph_tag = f'<graph edgedefault="{edgedefault}"' + (
        "" if graph_id is None else f' id="{_lxml_attr(graph_id)}"'
    ) + ">"
    body = data_lines("graph", graph, "")
    for n, d in nodes:
        node_id = _lxml_attr(str(n))
        if d:
            body.append(f'<node id="{node_id}">\n')
            body.extend(data_lines("node", d, "  "))
            body.append("</node>\n")
        else:
            body.append(f'<node id="{node_id}"/>\n')
    multi = items.multigraph
    for u, v, k, d in edges:
        tag = f'<edge source="{_lxml_attr(str(u))}" target="{_lxml_attr(str(v))}"'
        if multi:
            tag += f' id="{_lxml_attr(str(k))}"'
        if d:
            body.append(tag + ">\n")
            body.extend(data_lines("edge", d, "  "))
            body.append("</edge>\n")
        else:
            body.append(tag + "/>\n")
    out.append(graph_tag)
    out.extend(body)
    out.append("</graph></graphml>")
    return "".join(out)


def _gexf_value(value: bool | int | float | str) -> str:
    if type(value) is bool:
        return "true" if value else "false"
    if type(value) is float and not math.isfinite(value):
        return {"inf": "INF", "nan": "NaN", "-inf": "-INF"}[str(value)]
    return str(value)


def _time_format(value: Any) -> str | None:
    """The ``timeformat`` networkx's GEXF writer sets for a start or end value (None: it raises)."""
    if isinstance(value, str):
        return "date"
    if isinstance(value, float):
        return "double"
    if isinstance(value, int):
        return "long"
    return None


class _Unsupported(Exception):
    """The graph needs networkx's own writer."""


def gexf_text(
    G: nx.Graph | Items, *, today: Callable[[], str] = lambda: time.strftime("%Y-%m-%d")
) -> str | None:
    """What ``nx.write_gexf(G, version="1.2draft")`` writes, as text; None outside the fast case.

    The fast case: the attribute values networkx would write as ``attvalue`` are exactly ``str``,
    ``int``, ``float`` or ``bool``; ``spells`` are lists of (start, end) pairs; nothing has
    ``parents`` or ``viz``; the graph's ``name`` is a string. Strings must already be XML-safe.

    Examples
    --------
    >>> G = nx.MultiDiGraph(mode="dynamic")
    >>> G.add_node("e", label="call", start="2024-01-09", end="2024-01-09")
    >>> G.add_edge("p", "e", key="participant", weight=2)
    'participant'
    >>> import io
    >>> buf = io.BytesIO()
    >>> nx.write_gexf(G, buf, version="1.2draft")
    >>> gexf_text(G).encode("utf-8") == buf.getvalue()
    True
    """
    try:
        return _gexf_text(G if isinstance(G, Items) else Items.of(G), today())
    except _Unsupported:
        return None


def _gexf_text(G: Items, today: str) -> str:
    name = G.graph.get("name", "")
    if type(name) is not str:
        raise _Unsupported
    graph_mode = "dynamic" if G.graph.get("mode") == "dynamic" else "static"
    timeformat: list[str] = []  # the last one set wins, as on networkx's graph element

    def timed(value: Any) -> str:
        if value is not None:
            fmt = _time_format(value)
            if fmt is None:
                raise _Unsupported  # networkx raises NetworkXError
            timeformat.append(fmt)
        return str(value)

    attr_ids: dict[tuple[str, str], str] = {}
    openings: dict[str, dict[Any, str]] = {"node": {}, "edge": {}}
    declared: dict[str, list[str]] = {}  # class -> <attribute/> lines, in creation order
    classes: list[str] = []  # classes in creation order

    def attr_id(cls: str, title: str, value: Any) -> str:
        found = attr_ids.get((cls, title))
        if found is None:
            kind = _GEXF_TYPES.get(type(value))
            if kind is None:
                raise _Unsupported
            found = attr_ids[cls, title] = str(len(attr_ids))
            if cls not in declared:
                declared[cls] = []
                classes.append(cls)
            declared[cls].append(
                f'      <attribute id="{found}" title="{_etree_attr(title)}" type="{kind}" />\n'
            )
        return found

    def children(cls: str, data: dict[Any, Any], indent: str) -> list[str]:
        """``spells`` and ``attvalues`` of a node or an edge (``data`` already without its own attributes)."""
        lines: list[str] = []
        if data.pop("parents", False) or data.pop("viz", False):
            raise _Unsupported
        spells = data.pop("spells", False)
        if spells:
            lines.append(f"{indent}  <spells>\n")
            for spell in spells:
                if not isinstance(spell, (tuple, list)) or len(spell) != 2:
                    raise _Unsupported
                start, end = spell
                attrs = "".join(
                    f' {which}="{_etree_attr(timed(value))}"'
                    for which, value in (("start", start), ("end", end)) if value is not None
                )
                lines.append(f"{indent}    <spell{attrs} />\n")
            lines.append(f"{indent}  </spells>\n")
        if data:
            opening = openings[cls]  # key -> '<attvalue for="N" value="', made on first use
            lines.append(f"{indent}  <attvalues>\n")
            for k, value in data.items():
                kind = type(value)
                if kind not in _GEXF_TYPES:
                    raise _Unsupported  # lists are dynamic values; other types networkx refuses or str()s
                tag = opening.get(k)
                if tag is None:
                    title = "networkx_key" if k == "key" else str(k)
                    tag = opening[k] = f'{indent}    <attvalue for="{attr_id(cls, title, value)}" value="'
                text = value if kind is str else _gexf_value(value)
                lines.append(f'{tag}{_etree_attr(text)}" />\n')
            lines.append(f"{indent}  </attvalues>\n")
        return lines

    def element(tag: str, attrs: str, inner: list[str], indent: str) -> list[str]:
        if not inner:
            return [f"{indent}<{tag}{attrs} />\n"]
        return [f"{indent}<{tag}{attrs}>\n", *inner, f"{indent}</{tag}>\n"]

    node_lines: list[str] = []
    for n, d in G.nodes:
        data = dict(d)
        kw = f' id="{_etree_attr(str(data.pop("id", n)))}" label="{_etree_attr(str(data.pop("label", n)))}"'
        if "pid" in data:
            kw += f' pid="{_etree_attr(str(data.pop("pid")))}"'
        for which in ("start", "end"):
            if which in data:
                kw += f' {which}="{_etree_attr(timed(data.pop(which)))}"'
        node_lines.extend(element("node", kw, children("node", data, "      "), "      "))

    all_edge_ids = {str(d["id"]) for *_, d in G.edges if d.get("id") is not None}
    node_ids = {n: d["id"] for n, d in G.nodes if "id" in d}  # networkx writes an "id" attribute as the id
    counter = 0
    edge_lines: list[str] = []
    for u, v, key, d in G.edges:
        data = dict(d)
        if G.multigraph:
            data.update(key=key)
        edge_id = data.pop("id", None)
        if edge_id is None:
            while str(counter) in all_edge_ids:
                counter += 1
            edge_id = counter
            all_edge_ids.add(str(counter))
            counter += 1
        kw = f' id="{_etree_attr(str(edge_id))}"'
        for which in ("label", "weight", "type"):
            if which in data:
                kw += f' {which}="{_etree_attr(str(data.pop(which)))}"'
        for which in ("start", "end"):
            if which in data:
                kw += f' {which}="{_etree_attr(timed(data.pop(which)))}"'
        source = _etree_attr(str(node_ids.get(u, u)))
        target = _etree_attr(str(node_ids.get(v, v)))
        edge_lines.extend(
            element("edge", f' source="{source}" target="{target}"{kw}', children("edge", data, "      "), "      ")
        )

    if timeformat:
        graph_mode = "dynamic"
    graph_attrs = (
        f' defaultedgetype="{"directed" if G.directed else "undirected"}" mode="{graph_mode}"'
        f' name="{_etree_attr(name)}"' + (f' timeformat="{timeformat[-1]}"' if timeformat else "")
    )
    graph_inner: list[str] = []
    for cls in reversed(classes):  # networkx inserts each new <attributes> first
        graph_inner.extend(element("attributes", f' mode="static" class="{cls}"', declared[cls], "    "))
    graph_inner.extend(element("nodes", "", node_lines, "    "))
    graph_inner.extend(element("edges", "", edge_lines, "    "))
    return "".join([
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n',
        f'  <meta lastmodifieddate="{today}">\n',
        f"    <creator>{_etree_text(f'NetworkX {nx.__version__}')}</creator>\n",
        "  </meta>\n",
        *element("graph", graph_attrs, graph_inner, "  "),
        "</gexf>\n",
    ])
