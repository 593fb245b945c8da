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
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import networkx as nx

from graph._fragments import OldPart, Part

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
    nodes: list[tuple[Any, Any]]  # (node, data): a dict, or Reused (graph._xml only)
    edges: list[tuple[Any, Any, Any, Any]]  # (u, v, key or None, data)
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


class Parts(Protocol):
    """Where a writer puts a file's parts, and finds those of the previous file
    (:class:`graph._fragments.Fragments`)."""

    reused: int

    def settle(self, context: Any) -> None: ...

    def get(self, fp: bytes | None) -> OldPart | None: ...

    def tag(self, fp: bytes | None) -> Any: ...

    def load(self) -> bool: ...

    def add(self, fp: bytes | None, part: Part, tag: Any = None) -> None: ...


@dataclass(frozen=True)
class Reused:
    """Stands for the data of a node or an edge whose part is copied from the previous file:
    what the writer must know of it to declare the same attributes.

    ``declares`` are its attributes' (name, XML type) in order, ``times`` (GEXF) the time
    formats of its start, end and spells.
    """

    declares: tuple[tuple[str, str], ...]
    times: tuple[str, ...] = ()


class StaleParts(Exception):
    """The previous file was made with other declarations: its parts cannot stand for items."""


class Collected:
    """Parts kept in memory, with no previous file."""

    def __init__(self) -> None:
        self.parts: list[bytes | memoryview] = []
        self.reused = 0

    def settle(self, context: Any) -> None:
        pass

    def get(self, fp: bytes | None) -> OldPart | None:
        return None

    def tag(self, fp: bytes | None) -> Any:
        return None

    def load(self) -> bool:
        return False

    def add(self, fp: bytes | None, part: Part, tag: Any = None) -> None:
        self.parts.append(bytes(part) if isinstance(part, OldPart) else part)

    def text(self) -> str:
        return b"".join(self.parts).decode("utf-8")


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
    parts = Collected()
    return parts.text() if graphml_parts(G if isinstance(G, Items) else Items.of(G), parts) else None


def graphml_parts(
    items: Items,
    parts: Parts,
    *,
    fps: tuple[list[bytes | None], list[bytes | None]] | None = None,
    tags: tuple[list[Any], list[Any]] | None = None,
) -> bool:
    """Put the UTF-8 bytes of :func:`graphml_text` of `items` into `parts`, a node or an edge at
    a time; False (and nothing put) outside the fast case.

    With `fps` (a fingerprint for each node and each edge, and `tags` to index them with), a
    node or edge whose fingerprint is that of a part of the previous file is copied from it,
    when the file declared the same keys (the context). An item whose data is :class:`Reused`
    must be: else :class:`StaleParts` is raised, before anything is put.
    """
    graph = dict(items.graph)
    if "node_default" in graph or "edge_default" in graph:
        return False
    graph_id = graph.pop("id", None)
    if graph_id is not None and type(graph_id) is not str:
        return False
    nodes, edges = items.nodes, items.edges
    # networkx numbers the keys in the order it first meets them: graph, nodes, edges
    keys: dict[tuple[str, str, str], str] = {}
    opening: dict[str, dict[tuple[str, type], str]] = {}  # scope -> (name, type) -> '<data key="dN">'
    for scope, datas in (("graph", [graph]), ("node", [d for _, d in nodes]), ("edge", [e[3] for e in edges])):
        tags_of = opening[scope] = {}
        for data in datas:
            if type(data) is Reused:
                for name, xml_type in data.declares:
                    if (name, xml_type, scope) not in keys:
                        keys[name, xml_type, scope] = f"d{len(keys)}"
                continue
            for name, value in data.items():
                kind = type(value)
                if (name, kind) not in tags_of:
                    if type(name) is not str or kind not in _GRAPHML_TYPES:
                        return False
                    k = (name, _GRAPHML_TYPES[kind], scope)
                    if k not in keys:
                        keys[k] = f"d{len(keys)}"
                    tags_of[name, kind] = f'<data key="{keys[k]}">'

    def data_lines(scope: str, data: dict[str, Any], indent: str) -> list[str]:
        tags = opening[scope]
        return [
            f"{indent}{tags[name, type(value)]}{_lxml_text(value) if type(value) is str else value}</data>\n"
            for name, value in data.items()
        ]

    multi = items.multigraph
    parts.settle({"keys": [[*k, kid] for k, kid in keys.items()], "multigraph": multi})
    node_fps, edge_fps = fps if fps is not None else ([None] * len(nodes), [None] * len(edges))
    node_tags, edge_tags = tags if tags is not None else ([None] * len(nodes), [None] * len(edges))
    _check_reused([d for _, d in nodes], node_fps, parts)
    _check_reused([e[3] for e in edges], edge_fps, parts)
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
    out.append(f'<graph edgedefault="{edgedefault}"' + (
        "" if graph_id is None else f' id="{_lxml_attr(graph_id)}"'
    ) + ">")
    out.extend(data_lines("graph", graph, ""))
    parts.add(None, "".join(out).encode("utf-8"))
    for (n, d), fp, tag in zip(nodes, node_fps, node_tags):
        part: Part | None = parts.get(fp)
        if part is None:
            node_id = _lxml_attr(str(n))
            if d:
                part = "".join([f'<node id="{node_id}">\n', *data_lines("node", d, "  "), "</node>\n"]).encode("utf-8")
            else:
                part = f'<node id="{node_id}"/>\n'.encode("utf-8")
        parts.add(fp, part, tag)
    for (u, v, k, d), fp, tag in zip(edges, edge_fps, edge_tags):
        part = parts.get(fp)
        if part is None:
            opening_tag = f'<edge source="{_lxml_attr(str(u))}" target="{_lxml_attr(str(v))}"'
            if multi:
                opening_tag += f' id="{_lxml_attr(str(k))}"'
            if d:
                part = "".join([opening_tag, ">\n", *data_lines("edge", d, "  "), "</edge>\n"]).encode("utf-8")
            else:
                part = (opening_tag + "/>\n").encode("utf-8")
        parts.add(fp, part, tag)
    parts.add(None, b"</graph></graphml>")
    return True


def _check_reused(datas: list[Any], fps: Sequence[bytes | None], parts: Parts) -> None:
    """Raise :class:`StaleParts` unless every :class:`Reused` item's part can be copied."""
    reused = [fp for data, fp in zip(datas, fps) if type(data) is Reused]
    if reused and (any(parts.tag(fp) is None for fp in reused) or not parts.load()):
        raise StaleParts


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
    parts = Collected()
    return parts.text() if gexf_parts(G if isinstance(G, Items) else Items.of(G), parts, today=today) else None


def gexf_parts(
    G: Items,
    parts: Parts,
    *,
    fps: tuple[list[bytes | None], list[bytes | None]] | None = None,
    today: Callable[[], str] = lambda: time.strftime("%Y-%m-%d"),
) -> bool:
    """Put the UTF-8 bytes of :func:`gexf_text` of `G` into `parts`, a node or an edge at a time;
    False (and nothing put) outside the fast case.

    With `fps`, as in :func:`graphml_parts`: a node whose fingerprint is that of a part of the
    previous file is copied from it, and so is an edge's element after its ``id`` (edges are
    numbered in order), when the file declared the same attributes (the context). Each part
    is tagged with its :class:`Reused`. Items given as :class:`Reused` have no ``id``.
    """
    try:
        _gexf_parts(G, parts, today(), fps)
    except _Unsupported:
        return False
    return True


def _gexf_parts(G: Items, parts: Parts, today: str, fps: tuple[list[Any], list[Any]] | None) -> None:
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
    table: list[list[str]] = []  # [class, title, id, type] in creation order: the context
    openings: dict[str, dict[Any, str]] = {"node": {}, "edge": {}}
    declared: dict[str, list[str]] = {}  # class -> <attribute/> lines, in creation order
    classes: list[str] = []  # classes in creation order

    def attr_id(cls: str, title: str, kind: str) -> str:
        found = attr_ids.get((cls, title))
        if found is None:
            found = attr_ids[cls, title] = str(len(attr_ids))
            table.append([cls, title, found, kind])
            if cls not in declared:
                declared[cls] = []
                classes.append(cls)
            declared[cls].append(
                f'      <attribute id="{found}" title="{_etree_attr(title)}" type="{kind}" />\n'
            )
        return found

    def split(data: dict[Any, Any]) -> tuple[Any, dict[Any, Any]]:
        """The spells and the attribute values of a node or an edge (``data`` already without
        its own attributes), each checked and its attributes declared, in networkx's order."""
        if data.pop("parents", False) or data.pop("viz", False):
            raise _Unsupported
        spells = data.pop("spells", False)
        for spell in spells or ():
            if not isinstance(spell, (tuple, list)) or len(spell) != 2:
                raise _Unsupported
            for value in spell:
                if value is not None:
                    timed(value)
        return spells, data

    def declare(cls: str, data: dict[Any, Any]) -> tuple[tuple[Any, str], ...]:
        declares = []
        for k, value in data.items():
            kind = _GEXF_TYPES.get(type(value))
            if kind is None:
                raise _Unsupported  # lists are dynamic values; other types networkx refuses or str()s
            declares.append((k, kind))
        declared_again(cls, declares)
        return tuple(declares)

    def declared_again(cls: str, declares: Iterable[tuple[Any, str]]) -> None:
        opening = openings[cls]  # key -> '<attvalue for="N" value="', made on first use
        for k, kind in declares:
            if k not in opening:
                title = "networkx_key" if k == "key" else str(k)
                opening[k] = f'    <attvalue for="{attr_id(cls, title, kind)}" value="'

    def children(cls: str, spells: Any, data: dict[Any, Any], indent: str) -> list[str]:
        lines: list[str] = []
        if spells:
            lines.append(f"{indent}  <spells>\n")
            for start, end in spells:
                attrs = "".join(
                    f' {which}="{_etree_attr(str(value))}"'
                    for which, value in (("start", start), ("end", end)) if value is not None
                )
                lines.append(f"{indent}    <spell{attrs} />\n")
            lines.append(f"{indent}  </spells>\n")
        if data:
            opening = openings[cls]
            lines.append(f"{indent}  <attvalues>\n")
            for k, value in data.items():
                text = value if type(value) is str else _gexf_value(value)
                lines.append(f'{indent}{opening[k]}{_etree_attr(text)}" />\n')
            lines.append(f"{indent}  </attvalues>\n")
        return lines

    def element(tag: str, attrs: str, inner: list[str], indent: str) -> list[str]:
        if not inner:
            return [f"{indent}<{tag}{attrs} />\n"]
        return [f"{indent}<{tag}{attrs}>\n", *inner, f"{indent}</{tag}>\n"]

    # first every node's and edge's attributes in order, which numbers them; then the elements
    nodes: list[tuple[str, Any, dict[Any, Any], Reused]] = []
    for n, d in G.nodes:
        if type(d) is Reused:
            declared_again("node", d.declares)
            timeformat.extend(d.times)
            nodes.append(("", None, {}, d))
            continue
        data = dict(d)
        before = len(timeformat)
        kw = f' id="{_etree_attr(str(data.pop("id", n)))}" label="{_etree_attr(str(data.pop("label", n)))}"'
        if "pid" in data:
            kw += f' pid="{_etree_attr(str(data.pop("pid")))}"'
        for which in ("start", "end"):
            if which in data:
                kw += f' {which}="{_etree_attr(timed(data.pop(which)))}"'
        spells, data = split(data)
        nodes.append((kw, spells, data, Reused(declare("node", data), tuple(timeformat[before:]))))

    all_edge_ids = {str(d["id"]) for *_, d in G.edges if type(d) is not Reused and d.get("id") is not None}
    node_ids = {n: d["id"] for n, d in G.nodes if type(d) is not Reused and "id" in d}  # written as the id
    counter = 0
    edges: list[tuple[str, str, Any, dict[Any, Any], Reused]] = []
    for u, v, key, d in G.edges:
        data = {} if type(d) is Reused else dict(d)
        if G.multigraph:
            data.update(key=key)
        edge_id = data.pop("id", None)
        if edge_id is None:
            while str(counter) in all_edge_ids:
                counter += 1
            edge_id = counter
            all_edge_ids.add(str(counter))
            counter += 1
        source = _etree_attr(str(node_ids.get(u, u)))
        target = _etree_attr(str(node_ids.get(v, v)))
        opening = f'      <edge source="{source}" target="{target}" id="{_etree_attr(str(edge_id))}"'
        if type(d) is Reused:
            declared_again("edge", d.declares)
            timeformat.extend(d.times)
            edges.append((opening, "", None, {}, d))
            continue
        before = len(timeformat)
        kw = ""  # what follows the id
        for which in ("label", "weight", "type"):
            if which in data:
                kw += f' {which}="{_etree_attr(str(data.pop(which)))}"'
        for which in ("start", "end"):
            if which in data:
                kw += f' {which}="{_etree_attr(timed(data.pop(which)))}"'
        spells, data = split(data)
        edges.append((opening, kw, spells, data, Reused(declare("edge", data), tuple(timeformat[before:]))))

    parts.settle({"attributes": table, "multigraph": G.multigraph})
    node_fps, edge_fps = fps if fps is not None else ([None] * len(nodes), [None] * len(edges))
    _check_reused([d for _, d in G.nodes], node_fps, parts)
    _check_reused([d for *_, d in G.edges], edge_fps, parts)
    if timeformat:
        graph_mode = "dynamic"
    graph_attrs = (
        f' defaultedgetype="{"directed" if G.directed else "undirected"}" mode="{graph_mode}"'
        f' name="{_etree_attr(name)}"' + (f' timeformat="{timeformat[-1]}"' if timeformat else "")
    )
    head = [
        "<?xml version='1.0' encoding='utf-8'?>\n",
        '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n',
        f'  <meta lastmodifieddate="{today}">\n',
        f"    <creator>{_etree_text(f'NetworkX {nx.__version__}')}</creator>\n",
        "  </meta>\n",
        f"  <graph{graph_attrs}>\n",
    ]
    for cls in reversed(classes):  # networkx inserts each new <attributes> first
        head.extend(element("attributes", f' mode="static" class="{cls}"', declared[cls], "    "))
    if not nodes:
        head.append("    <nodes />\n")
    else:
        head.append("    <nodes>\n")
    parts.add(None, "".join(head).encode("utf-8"))
    for (kw, spells, data, reused), fp in zip(nodes, node_fps):
        part: Part | None = parts.get(fp)
        if part is None:
            part = "".join(element("node", kw, children("node", spells, data, "      "), "      ")).encode("utf-8")
        parts.add(fp, part, (reused.declares, reused.times))
    middle = ["    </nodes>\n"] if nodes else []
    middle.append("    <edges>\n" if edges else "    <edges />\n")
    parts.add(None, "".join(middle).encode("utf-8"))
    for (opening, kw, spells, data, reused), fp in zip(edges, edge_fps):
        parts.add(None, opening.encode("utf-8"))
        part = parts.get(fp)
        if part is None:
            inner = children("edge", spells, data, "      ")
            tail = [kw, " />\n"] if not inner else [kw, ">\n", *inner, "      </edge>\n"]
            part = "".join(tail).encode("utf-8")
        parts.add(fp, part, (reused.declares, reused.times))
    parts.add(None, (("    </edges>\n" if edges else "") + "  </graph>\n</gexf>\n").encode("utf-8"))
