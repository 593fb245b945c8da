"""Write the graph to node-link JSON and GraphML, and read the JSON back.

``graph.json`` is exactly ``nx.node_link_data(G, edges="edges")`` with values
made JSON-safe: dates and datetimes become ISO strings, sets become sorted
lists, tuples become lists, non-string mapping keys become strings, NaN and
infinities become null, other objects their ``str()``.

GraphML can only hold scalars, so :func:`to_graphml_graph` makes a sanitized
copy first:

- list values are JSON arrays in a string (``'["CHN", "IRN"]'``); tuples and
  sets are written the same way, dicts as JSON objects in a string. Decode
  them with :func:`json.loads`;
- ``None`` values are dropped (GraphML has no null);
- dates and datetimes become ISO 8601 strings;
- every key has one type across all nodes (and, separately, across all
  edges): if the values of a key have mixed types, all of them become
  strings; a key stays boolean only if every value is a bool;
- characters that XML 1.0 cannot hold (C0 controls other than tab, newline
  and carriage return, U+FFFE, U+FFFF, lone surrogates) are removed from
  every string, including node ids, edge keys and attribute names.

Nothing here modifies the graph it is given.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import os
import re
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph._io import atomic_open, atomic_write_text

__all__ = [
    "read_json",
    "to_graphml_graph",
    "to_json_data",
    "write_graphml",
    "write_json",
    "xml_safe_text",
]

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe_text(text: str) -> str:
    """Remove the characters XML 1.0 cannot hold.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        `text` without C0 control characters (tab, newline and carriage
        return are kept), U+FFFE, U+FFFF and lone surrogates.

    Examples
    --------
    >>> xml_safe_text("a\\x00b\\tc\\ud800")
    'ab\\tc'
    """
    return _XML_INVALID.sub("", text)


def to_json_data(G: nx.Graph) -> dict[str, Any]:
    """Node-link data of `G`, made JSON-safe.

    Parameters
    ----------
    G : networkx.Graph
        Any networkx graph; it is not modified.

    Returns
    -------
    dict
        ``nx.node_link_data(G, edges="edges")`` with dates as ISO strings,
        sets as sorted lists and tuples as lists (a new structure that shares
        nothing mutable with `G`).

    Examples
    --------
    >>> import datetime
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("event:1", kind="event", date=datetime.date(2023, 2, 14))
    >>> to_json_data(G)["nodes"]
    [{'kind': 'event', 'date': '2023-02-14', 'id': 'event:1'}]
    """
    data: dict[str, Any] = _jsonable(nx.node_link_data(G, edges="edges"))
    return data


def write_json(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write `G` as node-link JSON (see :func:`to_json_data`), atomically.

    Parameters
    ----------
    G : networkx.Graph
        The graph; it is not modified.
    path : str or os.PathLike
        Destination file (UTF-8).

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("person:wang-yi", "event:1", relation="participant")
    0
    >>> out = write_json(G, pathlib.Path(tempfile.mkdtemp()) / "graph.json")
    >>> sorted(read_json(out).nodes)
    ['event:1', 'person:wang-yi']
    """
    data = to_json_data(G)
    try:
        text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be UTF-8; \\u escapes keep them exactly.
        text = json.dumps(data, ensure_ascii=True, indent=1, allow_nan=False)
    return atomic_write_text(path, text + "\n")


def read_json(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_json`.

    Parameters
    ----------
    path : str or os.PathLike
        A node-link JSON file with an ``edges`` list.

    Returns
    -------
    networkx.MultiDiGraph
        The graph. A file that holds another kind of graph is converted to a
        MultiDiGraph. Values come back as JSON gives them: lists stay lists,
        dates are ISO strings.

    Raises
    ------
    ValueError
        If the file is not node-link JSON.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("country:IRN", kind="country", aliases=["Iran"])
    >>> out = write_json(G, pathlib.Path(tempfile.mkdtemp()) / "g.json")
    >>> read_json(out).nodes["country:IRN"]["aliases"]
    ['Iran']
    """
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if not isinstance(data, dict) or "nodes" not in data or "edges" not in data:
        raise ValueError(
            f"{os.fspath(path)!r} is not node-link JSON: expected an object with 'nodes' "
            f"and 'edges', got {type(data).__name__}"
            + (f" with keys {sorted(data)[:10]}" if isinstance(data, dict) else "")
        )
    H = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    if isinstance(H, nx.MultiDiGraph):
        return H
    return nx.MultiDiGraph(H)


def to_graphml_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """A copy of `G` that GraphML (and networkx, igraph, Gephi) can hold.

    See the module docstring for the rules: list values are JSON arrays in a
    string, ``None`` is dropped, dates become ISO strings, one type per key,
    XML-invalid characters removed everywhere.

    Parameters
    ----------
    G : networkx.Graph
        The graph; it is not modified.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph. Node ids are strings; two ids that only differ by
        removed characters are kept apart with a ``~2``, ``~3``... suffix.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("person:wang-yi", titles=["Foreign Minister"], country=None)
    >>> G.add_node("country:CHN", mentions=3)
    >>> H = to_graphml_graph(G)
    >>> H.nodes["person:wang-yi"]
    {'titles': '["Foreign Minister"]'}
    >>> json.loads(H.nodes["person:wang-yi"]["titles"])
    ['Foreign Minister']
    """
    H = nx.MultiDiGraph()
    H.graph.update(_unify([_scalar_attrs(G.graph)])[0])

    ids: dict[Hashable, str] = {}
    taken: set[str] = set()
    for n in G.nodes:
        base = xml_safe_text(n if isinstance(n, str) else str(n))
        new, i = base, 1
        while new in taken:
            i += 1
            new = f"{base}~{i}"
        taken.add(new)
        ids[n] = new

    node_attrs = _unify([_scalar_attrs(d) for _, d in G.nodes(data=True)])
    for n, attrs in zip(G.nodes, node_attrs):
        H.add_node(ids[n], **attrs)

    if G.is_multigraph():
        edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
    else:
        edges = [(u, v, None, d) for u, v, d in G.edges(data=True)]
    edge_attrs = _unify([_scalar_attrs(d) for *_, d in edges])
    for (u, v, k, _), attrs in zip(edges, edge_attrs):
        key = _edge_key(k)
        if key is not None and H.has_edge(ids[u], ids[v], key):
            key = None  # two keys that only differed by removed characters
        H.add_edge(ids[u], ids[v], key=key, **attrs)
    return H


def write_graphml(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_graphml_graph` of `G` as GraphML, atomically.

    Parameters
    ----------
    G : networkx.Graph
        The graph; it is not modified.
    path : str or os.PathLike
        Destination file (UTF-8 XML).

    Returns
    -------
    pathlib.Path
        `path`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("country:IRN", kind="country", aliases=["Iran", "IR"])
    >>> out = write_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "g.graphml")
    >>> json.loads(nx.read_graphml(out).nodes["country:IRN"]["aliases"])
    ['Iran', 'IR']
    """
    H = to_graphml_graph(G)
    with atomic_open(path, "wb") as fh:
        nx.write_graphml(H, fh, encoding="utf-8")
    return Path(path)


def _jsonable(value: Any) -> Any:
    """A JSON-safe deep copy of `value`."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {_json_key(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return _sorted([_jsonable(v) for v in value])
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return str(value)


def _json_key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, (dt.date, dt.datetime)):
        return key.isoformat()
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


def _sorted(items: list[Any]) -> list[Any]:
    try:
        return sorted(items)
    except TypeError:
        return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))


def _xml_clean(value: Any) -> Any:
    """`value` (already JSON-safe) with XML-invalid characters removed from every string."""
    if isinstance(value, str):
        return xml_safe_text(value)
    if isinstance(value, dict):
        return {xml_safe_text(k): _xml_clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_xml_clean(v) for v in value]
    return value


def _scalar(value: Any) -> bool | int | float | str | None:
    """One attribute value as a GraphML scalar, or None to drop it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, numbers.Integral):
        i = int(value)
        return i if -(2**63) <= i < 2**63 else str(i)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return xml_safe_text(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset, Mapping)):
        return json.dumps(_xml_clean(_jsonable(value)), ensure_ascii=False)
    return xml_safe_text(str(value))


def _scalar_attrs(attrs: Mapping[Any, Any]) -> dict[str, bool | int | float | str]:
    out: dict[str, bool | int | float | str] = {}
    for key, value in attrs.items():
        name = xml_safe_text(key if isinstance(key, str) else str(key))
        scalar = _scalar(value)
        if name and scalar is not None:
            out[name] = scalar
    return out


def _unify(
    rows: list[dict[str, bool | int | float | str]],
) -> list[dict[str, bool | int | float | str]]:
    """Turn every value of a key with mixed types into a string (in place; returns rows)."""
    types: dict[str, set[type]] = {}
    for row in rows:
        for key, value in row.items():
            types.setdefault(key, set()).add(type(value))
    mixed = {key for key, seen in types.items() if len(seen) > 1}
    if mixed:
        for row in rows:
            for key in mixed & row.keys():
                row[key] = _as_str(row[key])
    return rows


def _as_str(value: bool | int | float | str) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _edge_key(key: Any) -> int | str | None:
    if key is None:
        return None
    if isinstance(key, bool):
        return str(key)
    if isinstance(key, numbers.Integral):
        return int(key)
    return xml_safe_text(key if isinstance(key, str) else str(key))
