"""Write the graph to node-link JSON, GraphML and GEXF, and read the JSON back.

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

GEXF (for Gephi) follows the same rules, and adds the time intervals that
let Gephi's timeline play the graph: see :func:`to_gexf_graph`.

The CSV tables (``nodes.csv``, ``edges.csv``, ``events.csv``) are built on
:mod:`graph.query`'s frames and made safe for spreadsheets: see
:func:`to_csv_tables` and :func:`write_csv`.

Nothing here modifies the graph it is given.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import enum
import io
import json
import logging
import math
import numbers
import os
import re
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
import orjson

from graph._fragments import Fragments, Part, fingerprint
from graph._io import atomic_open, atomic_write_bytes, atomic_write_text
from graph._xml import Items, Reused, StaleParts, _edges, gexf_parts, graphml_parts

__all__ = [
    "CSV_TABLES",
    "csv_safe_text",
    "read_json",
    "to_csv_tables",
    "to_graphml_graph",
    "to_gexf_graph",
    "to_json_data",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_json",
    "xml_safe_text",
]

log = logging.getLogger(__name__)

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
    if text.isascii() and text.isprintable():  # the common case, checked in C
        return text
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
    raw = nx.node_link_data(G, edges="edges")
    fast = _orjson_lines(raw)
    if fast is not None:
        return atomic_write_bytes(path, fast)
    data = _jsonable(raw)
    try:
        text = _json_lines(data, ensure_ascii=False)
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates cannot be UTF-8; \\u escapes keep them exactly.
        text = _json_lines(data, ensure_ascii=True)
    return atomic_write_text(path, text)


#: orjson hands these to :func:`_jsonable` (through ``default``) instead of writing them its own
#: way, so both paths write the same values: dataclasses as ``str()``, datetimes as isoformat().
_ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def _orjson_lines(data: dict[str, Any]) -> bytes | None:
    """:func:`_json_lines` of ``_jsonable(data)`` (compact, UTF-8) by orjson, or None when orjson
    cannot write it the same (an int beyond 64 bits, a lone surrogate, a key that is no string).

    orjson writes the JSON types in C, NaN and infinities as null as :func:`_jsonable` does, and
    calls :func:`_jsonable` for anything else (sets, dates, numpy numbers), so the values are
    those of the json path; only the spacing differs.
    """
    try:
        parts = []
        for key, value in data.items():
            name = orjson.dumps(key if type(key) is str else _json_key(key))
            if isinstance(value, list) and value:
                body = b",\n".join([orjson.dumps(item, default=_jsonable, option=_ORJSON_OPTIONS) for item in value])
                parts.append(name + b": [\n" + body + b"\n]")
            else:
                parts.append(name + b": " + orjson.dumps(value, default=_jsonable, option=_ORJSON_OPTIONS))
    except (orjson.JSONEncodeError, TypeError):
        return None
    return b"{\n" + b",\n".join(parts) + b"\n}\n"


def _json_lines(data: dict[str, Any], *, ensure_ascii: bool) -> str:
    """`data` as JSON with each node and each edge on a line of its own, by the json module.

    Readable and diffable like an indented file, but each item is encoded by ``json.dumps``
    in one call, which runs in C; ``indent=`` makes the json module encode in Python, several
    times slower on a large graph.
    """
    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii, allow_nan=False)

    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            body = ",\n".join(dumps(item) for item in value)
            parts.append(f"{dumps(key)}: [\n{body}\n]")
        else:
            parts.append(f"{dumps(key)}: {dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


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
        removed characters are kept apart with a ``~2``, ``~3``... suffix;
        an id left empty becomes ``~``.

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
    return _graphml_graph(G, _ScalarRows(G))


class _ScalarRows:
    """The scalar attributes of every node and edge of a graph (one type per key), made once
    for both GraphML and GEXF; neither changes them."""

    def __init__(self, G: nx.Graph) -> None:
        self.nodes = list(G.nodes(data=True))
        self.node_rows = _unify([_scalar_attrs(d) for _, d in self.nodes])
        self.edges = list(_edges(G))
        self.edge_rows = _unify([_scalar_attrs(d) for *_, d in self.edges])


class _EdgeKeys:
    """The keys :meth:`networkx.MultiDiGraph.add_edge` gives, for edges not added to a graph:
    each (u, v) pair's keys, and for None the smallest free int from the pair's edge count up."""

    def __init__(self) -> None:
        self.used: dict[tuple[Hashable, Hashable], dict[Any, None]] = {}

    def __contains__(self, edge: tuple[Hashable, Hashable, Any]) -> bool:
        u, v, key = edge
        return key in self.used.get((u, v), ())

    def add(self, u: Hashable, v: Hashable, key: Any) -> Any:
        keys = self.used.setdefault((u, v), {})
        if key is None:
            key = len(keys)
            while key in keys:
                key += 1
        keys[key] = None
        return key


def _graphml_items(G: nx.Graph, rows: _ScalarRows) -> Items:
    """What :func:`to_graphml_graph` holds, as the writers read it (no graph made of it)."""
    ids = _node_ids(G)
    nodes = [(ids[n], attrs) for (n, _), attrs in zip(rows.nodes, rows.node_rows)]
    keys = _graphml_keys(rows.edges, ids)
    edges = [(ids[u], ids[v], key, attrs) for (u, v, _, _), key, attrs in zip(rows.edges, keys, rows.edge_rows)]
    return Items(_unify([_scalar_attrs(G.graph)])[0], nodes, edges)


def _graphml_keys(edges: list[tuple[Any, Any, Any, Any]], ids: dict[Hashable, str]) -> list[Any]:
    """Each edge's key in :func:`to_graphml_graph`."""
    keys = []
    taken = _EdgeKeys()
    for u, v, k, _ in edges:
        key = _edge_key(k)
        if key is not None and (ids[u], ids[v], key) in taken:
            key = None  # two keys that only differed by removed characters
        keys.append(taken.add(ids[u], ids[v], key))
    return keys


def _graphml_graph(G: nx.Graph, rows: _ScalarRows) -> nx.MultiDiGraph:
    return _graphml_items(G, rows).to_graph()


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
    return _write_graphml(_graphml_items(G, _ScalarRows(G)), path)


def _write_graphml(items: Items, path: str | os.PathLike[str]) -> Path:
    parts = Fragments(path)
    if graphml_parts(items, parts):  # networkx's bytes, written directly (see graph._xml)
        return _write_parts(parts, False)
    with atomic_open(path, "wb") as fh:
        nx.write_graphml(items.to_graph(), fh, encoding="utf-8")
    return Path(path)


def _write_parts(parts: Fragments, reuse: bool) -> Path:
    """Write a file made of `parts`, and its index when `reuse` (see :func:`write_csv`)."""
    if reuse:
        log.debug("%s: %d of %d parts reused", parts.path.name, parts.reused, parts.indexed)
    return parts.write(index=reuse)


def write_graphml_and_gexf(
    G: nx.Graph, graphml: str | os.PathLike[str], gexf: str | os.PathLike[str], *, reuse: bool = False
) -> tuple[Path, Path]:
    """:func:`write_graphml` and :func:`write_gexf` of `G`, converting its attributes once.

    The same two files, about a fifth faster than the two calls (both formats start from the
    same scalar attributes). With `reuse`, the nodes and edges unchanged since the files there
    were written (with `reuse` too) are copied from them, as :func:`write_csv` copies rows.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("person:wang-yi", "country:CHN", relation="acts_for", sources=["d1"])
    0
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> a, b = write_graphml_and_gexf(G, folder / "g.graphml", folder / "g.gexf")
    >>> [d["sources"] for *_, d in nx.read_graphml(a).edges(data=True)], nx.read_gexf(b).number_of_edges()
    (['["d1"]'], 1)
    """
    if reuse:
        written = _write_xml_reusing(G, Path(graphml), Path(gexf))
        if written is not None:
            return written
    rows = _ScalarRows(G)
    return _write_graphml(_graphml_items(G, rows), graphml), _write_gexf(_gexf_items(G, rows), gexf)


#: The GraphML type of each scalar type :func:`_scalar` makes.
_XML_TYPES = {str: "string", int: "long", float: "double", bool: "boolean"}


def _write_xml_reusing(G: nx.Graph, graphml: Path, gexf: Path) -> tuple[Path, Path] | None:
    """:func:`write_graphml_and_gexf` copying from the last files every node and edge whose
    attributes (and what else its parts depend on: its ids, keys and events' intervals) are
    unchanged, without converting them; None outside the fast case (nothing written).

    Each part is indexed by a fingerprint of those inputs, and tagged with what the writers
    declare for it: its scalar attributes' names and types in GraphML, its attribute values'
    and time formats in GEXF. From the tags of the copied items and the conversions of the
    others come the keys, the one type per key and the GEXF attributes of the whole file; the
    writers copy parts only when those are the last files' (else :class:`graph._xml.StaleParts`,
    and everything is converted).
    """
    ids = _node_ids(G)
    nodes = list(G.nodes(data=True))
    edges = list(_edges(G))
    gm_keys, gx_keys = _graphml_keys(edges, ids), _gexf_keys(edges, ids)
    event_spans = _event_spans(nodes)
    fps = (
        [fingerprint((ids[n], d)) for n, d in nodes],
        [
            fingerprint((ids[u], ids[v], gk, xk, event_spans.get(u), event_spans.get(v), d))
            for (u, v, _, d), gk, xk in zip(edges, gm_keys, gx_keys)
        ],
    )
    for copy in (True, False):
        gm_parts, gx_parts = Fragments.previous(graphml), Fragments.previous(gexf)
        plans = [[_plan(fp, gm_parts, gx_parts) if copy else None for fp in side] for side in fps]
        node_rows: list[Any] = [None if plan else _scalar_attrs(d) for (_, d), plan in zip(nodes, plans[0])]
        edge_rows: list[Any] = [None if plan else _scalar_attrs(d) for (*_, d), plan in zip(edges, plans[1])]
        sigs = [
            [plan[0] if plan else tuple((k, _XML_TYPES[type(v)]) for k, v in row.items())
             for plan, row in zip(side, rows)]
            for side, rows in zip(plans, (node_rows, edge_rows))
        ]
        mixed = [_mixed(side) for side in sigs]
        for rows, names in zip((node_rows, edge_rows), mixed):
            for row in rows:
                for key in names & row.keys() if row is not None else ():
                    row[key] = _as_str(row[key])
        node_names = _renames([dict(sig) for sig in set(sigs[0])], _GEXF_NODE_RESERVED)
        edge_names = _renames([dict(sig) for sig in set(sigs[1])], _GEXF_EDGE_RESERVED)
        unified: dict[tuple[int, tuple[tuple[str, str], ...]], Reused] = {}

        def reused(side: int, sig: tuple[tuple[str, str], ...]) -> Reused:
            """The GraphML declarations of a copied node (side 0) or edge (1): one type per key."""
            found = unified.get((side, sig))
            if found is None:
                found = unified[side, sig] = Reused(tuple((k, "string" if k in mixed[side] else t) for k, t in sig))
            return found

        gm = Items(
            _unify([_scalar_attrs(G.graph)])[0],
            [(ids[n], row if row is not None else reused(0, sig))
             for (n, _), row, sig in zip(nodes, node_rows, sigs[0])],
            [(ids[u], ids[v], key, row if row is not None else reused(1, sig))
             for (u, v, _, _), key, row, sig in zip(edges, gm_keys, edge_rows, sigs[1])],
        )
        dated = bool(event_spans)
        gx_nodes = []
        for (n, _), row, plan in zip(nodes, node_rows, plans[0]):
            attrs = plan[1] if plan else _gexf_node_attrs(row, node_names, event_spans.get(n))
            gx_nodes.append((ids[n], attrs))
        gx_edges = []
        for (u, v, _, d), key, row, plan in zip(edges, gx_keys, edge_rows, plans[1]):
            if plan:
                attrs, dated = plan[1], dated or bool(plan[1].times)  # intervals are timed values
            else:
                spans = _edge_spans(d, u, v, event_spans)
                attrs, dated = _gexf_edge_attrs(row, edge_names, spans), dated or bool(spans)
            gx_edges.append((ids[u], ids[v], key, attrs))
        gx = Items(_gexf_graph_attrs(G, dated), gx_nodes, gx_edges)
        try:
            if not graphml_parts(gm, gm_parts, fps=fps, tags=(sigs[0], sigs[1])):
                return None
            # GraphML written (and its previous file let go) before the previous GEXF is read
            written = _write_parts(gm_parts, True)
            del gm_parts
            if not gexf_parts(gx, gx_parts, fps=fps):
                return None
        except StaleParts:
            log.debug("%s, %s: declared otherwise than the last files: every item converted", graphml, gexf)
            continue
        return written, _write_parts(gx_parts, True)
    raise AssertionError("unreachable: nothing is Reused when nothing is copied")


def _plan(fp: bytes | None, gm: Fragments, gx: Fragments) -> tuple[Any, Reused] | None:
    """An item's GraphML signature and GEXF :class:`Reused` when both last files hold its parts."""
    sig, gexf = gm.tag(fp), gx.tag(fp)
    return None if sig is None or gexf is None else (sig, Reused(*gexf))


def _mixed(sigs: list[tuple[tuple[str, str], ...]]) -> set[str]:
    """The keys whose values have more than one type (:func:`_unify` makes them strings)."""
    types: dict[str, set[str]] = {}
    for sig in set(sigs):
        for key, kind in sig:
            types.setdefault(key, set()).add(kind)
    return {key for key, seen in types.items() if len(seen) > 1}


#: Characters a CSV cell loses: C0 controls other than tab, newline and carriage return, DEL, C1
#: controls, U+FFFE, U+FFFF and lone surrogates (UTF-8 cannot hold them).
_CSV_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

#: A text cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: The tables :func:`write_csv` writes, and the file of each.
CSV_TABLES = {"nodes": "nodes.csv", "edges": "edges.csv", "events": "events.csv"}


def csv_safe_text(text: str) -> str:
    """`text` as a spreadsheet cell: control characters removed, formulas defused.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    str
        `text` without C0 controls (tab, newline and carriage return are
        kept), DEL, C1 controls, U+FFFE, U+FFFF and lone surrogates; then,
        if it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
        return, with a ``'`` in front, so that Excel, LibreOffice and Google
        Sheets show it as text instead of running it as a formula.

    Examples
    --------
    >>> csv_safe_text("=HYPERLINK('http://x')")
    "'=HYPERLINK('http://x')"
    >>> csv_safe_text("\\x00-2 km\\x1b")
    "'-2 km"
    >>> csv_safe_text("Wang Yi – 王毅 😀")
    'Wang Yi – 王毅 😀'
    """
    if not (text.isascii() and text.isprintable()):  # printable ASCII has nothing to remove
        text = _CSV_INVALID.sub("", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv_tables(G: nx.Graph) -> dict[str, Any]:
    """The nodes, edges and events tables of `G`, with every cell ready for a spreadsheet.

    The tables are :func:`graph.query.nodes_frame`, :func:`graph.query.edges_frame` and
    :func:`graph.query.events_frame`, with each cell flattened:

    - a list (tuple, set) of names, ids or numbers becomes one text joined with ``"; "``
      (``"China; PRC"``; ``graph.json`` keeps the exact lists);
    - a list holding mappings or lists (``evidence``), and a mapping, becomes JSON
      (``[{"doc": ..., "sentence": ...}]``): decode it with :func:`json.loads`;
    - text goes through :func:`csv_safe_text`: control characters removed, and a ``'``
      in front of a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
      carriage return. Numbers are left alone, so ``-3`` stays a number;
    - ``None``, NaN and infinities become empty cells; dates ISO strings.

    Column names are cleaned the same way (and kept apart with ``~2``... if cleaning
    makes two equal).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``{"nodes": ..., "edges": ..., "events": ...}``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("country:CHN", kind="country", label="China", aliases=["China", "PRC"])
    >>> G.add_node("person:x", kind="person", label="=1+1", aliases=[])
    >>> tables = to_csv_tables(G)
    >>> tables["nodes"][["id", "label", "aliases"]].values.tolist()
    [['country:CHN', 'China', 'China; PRC'], ['person:x', "'=1+1", '']]
    """
    return {name: _csv_frame(df) for name, df in _query_frames(G).items()}


def write_csv(
    G: nx.Graph, folder: str | os.PathLike[str], *, reuse: bool = False, tables: Collection[str] = tuple(CSV_TABLES)
) -> dict[str, Path]:
    """Write ``nodes.csv``, ``edges.csv`` and ``events.csv`` of `G` into `folder`, each atomically.

    The cells are those of :func:`to_csv_tables`. The files are UTF-8 with a byte order mark
    (``utf-8-sig``, so that Excel reads accents and scripts), comma-separated, with a header
    row, CRLF line ends and double quotes around cells that need them (RFC 4180); a cell may
    hold a line break inside its quotes. Read them back with
    ``pandas.read_csv(path, encoding="utf-8-sig")`` or Python's :mod:`csv` module.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    folder : str or os.PathLike
        Destination folder, created if missing.
    reuse : bool
        Copy the rows that have not changed from the files already in `folder`, when they were
        written with ``reuse`` too, and index the new ones for the next write (hidden
        ``.NAME.fragments`` files; see :mod:`graph._fragments`). The bytes are those of a write
        from scratch, in about a third of the time when few rows changed.
    tables : collection of str
        Which of ``"nodes"``, ``"edges"`` and ``"events"`` to write (all by default).

    Returns
    -------
    dict of str to pathlib.Path
        ``{"nodes": .../nodes.csv, "edges": .../edges.csv, "events": .../events.csv}``, of the
        tables written.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("country:CHN", "country:IRN", key="supports", relation="supports", weight=2)
    'supports'
    >>> paths = write_csv(G, tempfile.mkdtemp())
    >>> sorted(p.name for p in paths.values())
    ['edges.csv', 'events.csv', 'nodes.csv']
    >>> pd.read_csv(paths["edges"], encoding="utf-8-sig")[["source", "relation", "weight"]].values.tolist()
    [['country:CHN', 'supports', 2]]
    """
    from graph.query import _column_kind, _table_rows

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    # the cells are made anew from the values, which are only read: no copy of them first
    for name, (rows, columns) in _table_rows(G, copy=False, tables=tables).items():
        path = out / CSV_TABLES[name]
        kinds = [_column_kind([row.get(c) for row in rows]) for c in columns]
        names = _csv_names(columns)
        context = {"names": names, "kinds": kinds}
        parts = Fragments.previous(path, context) if reuse else Fragments(path, context)
        buffer = io.StringIO()
        # what DataFrame.to_csv(index=False) writes of the cells of to_csv_tables (it hands
        # them to this writer too), without building that frame first
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        parts.add(None, ("\ufeff" + buffer.getvalue()).encode("utf-8"))  # utf-8-sig
        cells = list(zip(columns, [_KIND_CELL[kind] for kind in kinds]))
        for row in rows:
            fp = fingerprint(row) if reuse else None
            line: Part | None = parts.get(fp)
            if line is None:
                buffer.seek(0)
                buffer.truncate()
                writer.writerow([cell(row.get(c)) for c, cell in cells])
                line = buffer.getvalue().encode("utf-8")
            parts.add(fp, line)
        written[name] = _write_parts(parts, reuse)
    return written


def _query_frames(G: nx.Graph) -> dict[str, Any]:
    from graph.query import edges_frame, events_frame, nodes_frame

    # the cells are made anew from the values, which are only read: no copy of them first
    return {"nodes": nodes_frame(G, copy=False), "edges": edges_frame(G, copy=False), "events": events_frame(G)}


def _csv_frame(df: Any) -> Any:
    """A copy of `df` whose every cell and column name is :func:`_csv_cell` of the original."""
    import pandas as pd

    names, columns = _csv_columns(df)
    return pd.DataFrame(dict(zip(names, columns)), columns=names, dtype=object)


def _csv_names(columns: Iterable[Any]) -> list[str]:
    """The cleaned column names, kept apart with ``~2``, ``~3``... when cleaning makes two equal."""
    names: list[str] = []
    for column in columns:
        base = _csv_cell(column)
        name = base if isinstance(base, str) else str(base)
        new, i = name, 1
        while new in names:
            i += 1
            new = f"{name}~{i}"
        names.append(new)
    return names


def _csv_columns(df: Any) -> tuple[list[str], list[list[Any]]]:
    """The column names and the columns of cells of :func:`_csv_frame` of `df`."""
    names = _csv_names(df.columns)
    columns = [[_object_cell(v) for v in df.iloc[:, j]] for j in range(len(names))]
    return names, columns


def _object_cell(v: Any) -> bool | int | float | str | None:
    """:func:`_csv_cell` of `v`, the two commonest cells inline: a number, and text needing
    nothing (csv_safe_text's test)."""
    if type(v) is int:
        return v
    if type(v) is str and v.isascii() and v.isprintable() and not v.startswith(_FORMULA_START):
        return v
    return None if v is None or _missing(v) else _csv_cell(v)


def _int_cell(v: Any) -> int | None:
    return None if v is None else int(v)


def _float_cell(v: Any) -> float | None:
    f = float(v)
    return f if math.isfinite(f) else None  # NaN is missing to pandas; infinities to _jsonable


#: The cell of a table value, by the column's :func:`graph.query._column_kind`: what the pandas
#: column of that dtype hands :func:`_csv_columns` comes to the same.
_KIND_CELL: dict[str, Callable[[Any], bool | int | float | str | None]] = {
    "int64": _int_cell, "Int64": _int_cell, "float64": _float_cell, "object": _object_cell,
}


def _missing(value: Any) -> bool:
    """Whether `value` is a missing scalar to pandas (None, NaN, ``pd.NA``, ``NaT``)."""
    kind = type(value)  # exact types first, as in _jsonable
    if value is None:
        return True
    if kind is str or kind is list or kind is dict or kind is int or kind is bool:
        return False
    if kind is float:
        return value != value  # NaN
    if isinstance(value, (str, Mapping, list, tuple, set, frozenset)):
        return False
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # an array: not one missing value
        return False


def _csv_cell(value: Any) -> bool | int | float | str | None:
    """One value as a spreadsheet cell (see :func:`to_csv_tables`)."""
    if value is None:
        return None
    kind = type(value)
    if kind is str:
        return csv_safe_text(value)
    if kind is bool or kind is int:
        return value
    if kind is list and all(type(item) is str for item in value):  # aliases, sources: the common case
        return csv_safe_text("; ".join(value))  # what cleaning each item and then joining gives
    if kind is list and value and all(type(item) is dict for item in value):  # evidence
        try:
            text = json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):  # sets, dates, NaN...: the general path below
            pass
        else:
            # json escapes the C0 controls (\u00XX, \b, \f...) and writes the other characters a
            # cell loses as they are: text with neither had nothing to remove
            if not _escapes_controls(text) and (text.isascii() and text.isprintable() or not _CSV_INVALID.search(text)):
                return text  # starts with "[": never a formula
    if isinstance(value, (bool, str)) or not isinstance(value, (Mapping, list, tuple, set, frozenset)):
        plain = _jsonable(value)
        if plain is None or isinstance(plain, (bool, int, float)):
            return plain
        return csv_safe_text(str(plain))
    data = _csv_clean(_jsonable(value))
    if isinstance(data, list) and not any(isinstance(item, (dict, list)) for item in data):
        text = "; ".join("" if item is None else str(item) for item in data)
    else:
        text = json.dumps(data, ensure_ascii=False)
    return csv_safe_text(text)


def _csv_clean(value: Any) -> Any:
    """`value` (already JSON-safe) with the characters a CSV cell loses removed from every string."""
    if isinstance(value, str):
        return _CSV_INVALID.sub("", value)
    if isinstance(value, dict):
        return {_CSV_INVALID.sub("", k): _csv_clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_csv_clean(v) for v in value]
    return value


#: Data keys networkx's GEXF writer turns into XML of its own (ids, intervals, drawing);
#: an attribute of the graph with one of these names is written as ``name_`` instead.
#: ``label`` (and an edge's numeric ``weight``) become the element's own label and weight.
_GEXF_NODE_RESERVED = frozenset({"id", "pid", "start", "end", "spells", "slices", "parents", "viz"})
_GEXF_EDGE_RESERVED = frozenset(
    {"id", "weight", "type", "start", "end", "spells", "slices", "viz", "key", "networkx_key"}
)


def to_gexf_graph(G: nx.Graph) -> nx.MultiDiGraph:
    """A copy of `G` that :func:`networkx.write_gexf` writes as a dynamic GEXF file.

    Attribute values follow the GraphML rules (see the module docstring:
    lists as JSON strings, ``None`` dropped, one type per key, XML-invalid
    characters removed). On top of them come the time intervals that let
    Gephi's timeline play the graph:

    - an event node (``kind`` ``"event"``) with a ``date`` gets ``start`` and
      ``end``: ``YYYY-MM-DD`` is that day (``start == end``), ``YYYY-MM``
      the first to the last day of the month, ``YYYY`` the whole year;
    - an edge with ``dates`` (the statement relations) gets the span of
      those dates: ``start``/``end`` when they make one interval, else
      ``spells``, one per disjoint interval;
    - any other edge that touches a dated event (``participant``,
      ``held_in``, ``discussed``) gets that event's interval;
    - undated nodes and edges get no interval: Gephi shows them throughout.

    A node's ``label`` and an edge's ``label`` (else its ``relation``) and
    numeric ``weight`` become the GEXF element's own label and weight; other
    attributes whose names GEXF reserves (``start``, ``end``, ``id``,
    ``type``, ``key``...) are renamed with a trailing ``_``. Edge keys are
    kept as networkx's ``networkx_key`` attribute, which :func:`networkx.read_gexf`
    turns back into the key.

    Parameters
    ----------
    G : networkx.Graph
        The graph; it is not modified.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with ``graph["mode"]`` ``"dynamic"`` when anything is
        dated, else ``"static"``.

    Examples
    --------
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("event:1", kind="event", label="meeting", date="2023-02")
    >>> G.add_node("person:wang-yi", kind="person", label="Wang Yi", start="x")
    >>> G.add_edge("person:wang-yi", "event:1", key="participant", relation="participant", weight=2)
    'participant'
    >>> H = to_gexf_graph(G)
    >>> H.graph["mode"], H.nodes["event:1"]["start"], H.nodes["event:1"]["end"]
    ('dynamic', '2023-02-01', '2023-02-28')
    >>> H.nodes["person:wang-yi"]
    {'kind': 'person', 'start_': 'x', 'label': 'Wang Yi'}
    >>> H.edges["person:wang-yi", "event:1", "participant"]
    {'relation': 'participant', 'label': 'participant', 'weight': 2, 'start': '2023-02-01', 'end': '2023-02-28'}
    """
    return _gexf_graph(G, _ScalarRows(G))


def _gexf_items(G: nx.Graph, rows: _ScalarRows) -> Items:
    """What :func:`to_gexf_graph` holds, as the writers read it (no graph made of it)."""
    ids = _node_ids(G)
    nodes, node_rows = rows.nodes, rows.node_rows
    node_names = _renames(node_rows, _GEXF_NODE_RESERVED)
    event_spans = _event_spans(nodes)
    node_items = [(ids[n], _gexf_node_attrs(row, node_names, event_spans.get(n))) for (n, _), row in zip(nodes, node_rows)]
    edges, edge_rows = rows.edges, rows.edge_rows
    edge_names = _renames(edge_rows, _GEXF_EDGE_RESERVED)
    edge_items = []
    dated = bool(event_spans)
    for (u, v, _, d), row, key in zip(edges, edge_rows, _gexf_keys(edges, ids)):
        spans = _edge_spans(d, u, v, event_spans)
        dated = dated or bool(spans)
        edge_items.append((ids[u], ids[v], key, _gexf_edge_attrs(row, edge_names, spans)))
    return Items(_gexf_graph_attrs(G, dated), node_items, edge_items)


def _gexf_graph_attrs(G: nx.Graph, dated: bool) -> dict[str, Any]:
    graph: dict[str, Any] = {}
    if G.graph.get("name") is not None:
        graph["name"] = xml_safe_text(str(G.graph["name"]))
    graph["mode"] = "dynamic" if dated else "static"
    return graph


def _event_spans(nodes: list[tuple[Any, dict[str, Any]]]) -> dict[Hashable, list[tuple[str, str]]]:
    """The interval of each dated event node (see :func:`to_gexf_graph`)."""
    event_spans: dict[Hashable, list[tuple[str, str]]] = {}
    for n, d in nodes:
        span = _date_interval(d.get("date")) if d.get("kind") == "event" else None
        if span is not None:
            event_spans[n] = [span]
    return event_spans


def _edge_spans(
    d: dict[str, Any], u: Hashable, v: Hashable, event_spans: dict[Hashable, list[tuple[str, str]]]
) -> list[tuple[str, str]] | None:
    """An edge's intervals: those of its ``dates``, else those of the dated event it touches."""
    return _dates_spans(d.get("dates")) or event_spans.get(u) or event_spans.get(v)


def _gexf_node_attrs(
    row: dict[str, bool | int | float | str], node_names: dict[str, str], spans: list[tuple[str, str]] | None
) -> dict[str, Any]:
    attrs: dict[str, Any] = {node_names.get(k, k): v for k, v in row.items() if k != "label"}
    if "label" in row:
        attrs["label"] = _as_str(row["label"])
    attrs.update(_interval_attrs(spans))
    return attrs


def _gexf_edge_attrs(
    row: dict[str, bool | int | float | str], edge_names: dict[str, str], spans: list[tuple[str, str]] | None
) -> dict[str, Any]:
    attrs = {edge_names.get(k, k): value for k, value in row.items() if k not in {"label", "weight"}}
    label = row.get("label", row.get("relation"))
    if label is not None:
        attrs["label"] = _as_str(label)
    weight = row.get("weight")
    if isinstance(weight, (int, float)) and not isinstance(weight, bool) and math.isfinite(weight):
        attrs["weight"] = weight
    elif weight is not None:
        attrs[edge_names["weight"]] = weight
    attrs.update(_interval_attrs(spans))
    return attrs


def _gexf_keys(edges: list[tuple[Any, Any, Any, Any]], ids: dict[Hashable, str]) -> list[Any]:
    """Each edge's key in :func:`to_gexf_graph` (its ``networkx_key``)."""
    keys = [_edge_key(k) for _, _, k, _ in edges]
    if any(isinstance(k, str) for k in keys):  # one type for networkx_key
        keys = [None if k is None else str(k) for k in keys]
    out = []
    taken = _EdgeKeys()
    for (u, v, _, _), key in zip(edges, keys):
        if isinstance(key, str):
            base, i = key, 1
            while (ids[u], ids[v], key) in taken:
                i += 1
                key = f"{base}~{i}"
        elif key is not None and (ids[u], ids[v], key) in taken:
            key = None
        out.append(taken.add(ids[u], ids[v], key))
    return out


def _gexf_graph(G: nx.Graph, rows: _ScalarRows) -> nx.MultiDiGraph:
    return _gexf_items(G, rows).to_graph()


def write_gexf(G: nx.Graph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_gexf_graph` of `G` as GEXF 1.2 for Gephi, atomically.

    The file is dynamic (``mode="dynamic"``, ``timeformat="date"``) when
    anything in `G` is dated, so Gephi's timeline (Window > Timeline, then
    "Enable timeline") plays the events and relations over time.

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
    >>> G.add_node("event:1", kind="event", label="call", date="2024-01-09")
    >>> G.add_node("person:wang-yi", kind="person", label="Wang Yi")
    >>> G.add_edge("person:wang-yi", "event:1", key="participant", relation="participant")
    'participant'
    >>> G.add_edge("person:wang-yi", "event:1", key="co_mentioned", relation="co_mentioned")
    'co_mentioned'
    >>> out = write_gexf(G, pathlib.Path(tempfile.mkdtemp()) / "g.gexf")
    >>> R = nx.read_gexf(out)
    >>> R.graph["mode"], R.nodes["event:1"]["start"], sorted(R["person:wang-yi"]["event:1"])
    ('dynamic', '2024-01-09', ['co_mentioned', 'participant'])
    """
    return _write_gexf(_gexf_items(G, _ScalarRows(G)), path)


def _write_gexf(items: Items, path: str | os.PathLike[str]) -> Path:
    parts = Fragments(path)
    if gexf_parts(items, parts):
        return _write_parts(parts, False)
    H = items.to_graph()
    with atomic_open(path, "wb") as fh:
        nx.write_gexf(H, fh, encoding="utf-8", version="1.2draft")
    return Path(path)


def _renames(rows: list[dict[str, bool | int | float | str]], reserved: frozenset[str]) -> dict[str, str]:
    """A free name (``name_``, ``name__``...) for each reserved name, given the names in `rows`."""
    names: set[str] = set()
    for row in rows:
        names.update(row)
    taken = set(names)
    out: dict[str, str] = {}
    for name in sorted(reserved):
        new = name + "_"
        while new in taken:
            new += "_"
        taken.add(new)
        out[name] = new
    return out


_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
_YEAR = re.compile(r"[0-9]{4}")


def _date_interval(value: Any) -> tuple[str, str] | None:
    """The first and last day (ISO) a date covers, or None when it is no date."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat(), value.isoformat()
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if m := _DAY.fullmatch(text):
            day = dt.date(int(m[1]), int(m[2]), int(m[3]))
            return day.isoformat(), day.isoformat()
        if m := _MONTH.fullmatch(text):
            first = dt.date(int(m[1]), int(m[2]), 1)
            last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
            return first.isoformat(), last.isoformat()
        if _YEAR.fullmatch(text):
            first = dt.date(int(text), 1, 1)
            return first.isoformat(), first.replace(month=12, day=31).isoformat()
    except ValueError:  # month 13, day 31 in April, year 0
        return None
    return None


def _dates_spans(dates: Any) -> list[tuple[str, str]]:
    """Disjoint, sorted intervals covering the parseable dates in `dates`."""
    if isinstance(dates, (str, dt.date)):
        dates = [dates]
    if not isinstance(dates, (list, tuple, set, frozenset)):
        return []
    spans = sorted(span for span in map(_date_interval, dates) if span is not None)
    merged: list[tuple[str, str]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:  # ISO dates of four-digit years sort as text
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _interval_attrs(spans: list[tuple[str, str]] | None) -> dict[str, Any]:
    if not spans:
        return {}
    if len(spans) == 1:
        return {"start": spans[0][0], "end": spans[0][1]}
    return {"spells": list(spans)}


def _node_ids(G: nx.Graph) -> dict[Hashable, str]:
    """Each node's id as an XML-safe string, kept apart with ``~2``, ``~3``... when cleaning merges two."""
    ids: dict[Hashable, str] = {}
    taken: set[str] = set()
    for n in G.nodes:
        # igraph's GraphML reader refuses an empty id ("Keys in a trie cannot be empty")
        base = xml_safe_text(n if isinstance(n, str) else str(n)) or "~"
        new, i = base, 1
        while new in taken:
            i += 1
            new = f"{base}~{i}"
        taken.add(new)
        ids[n] = new
    return ids


def _jsonable(value: Any) -> Any:
    """A JSON-safe deep copy of `value`."""
    kind = type(value)  # exact types first: the graph holds little else, and isinstance is slow
    if kind is str or kind is bool or kind is int or value is None:
        return value
    if kind is list or kind is tuple:
        return [_jsonable(v) for v in value]
    if kind is dict:
        return {k if type(k) is str else _json_key(k): _jsonable(v) for k, v in value.items()}
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, enum.Enum):  # its value, as orjson writes it
        return _jsonable(value.value)
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
    if type(value) is str:
        return xml_safe_text(value)
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
    kind = type(value)
    if kind is str:
        return xml_safe_text(value)
    if kind is bool or kind is float:
        return value
    if kind is list or kind is dict:
        return _json_scalar(value)
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
        return _json_scalar(value)
    return xml_safe_text(str(value))


#: json.dumps(..., ensure_ascii=False) without making an encoder on every call.
_JSON_TEXT = json.JSONEncoder(ensure_ascii=False).encode


def _plain(value: list[Any]) -> bool:
    """Whether ``_jsonable(value) == value``: a list of strings, or of dicts of strings to
    strings and ints (the graph's lists: sources, aliases, dates, evidence)."""
    for item in value:
        kind = type(item)
        if kind is str:
            continue
        if kind is not dict:
            return False
        for k, v in item.items():
            if type(k) is not str or (type(v) is not str and type(v) is not int):
                return False
    return True


def _json_scalar(value: Any) -> str:
    """A list or mapping as a JSON string with XML-invalid characters removed from its strings."""
    data = value if type(value) is list and _plain(value) else _jsonable(value)  # no copy when it is one
    text = _JSON_TEXT(data)
    # json escapes the C0 controls and writes the other XML-invalid characters as they are:
    # text with neither had nothing to remove
    if not _escapes_controls(text) and xml_safe_text(text) is text:
        return text
    return _JSON_TEXT(_xml_clean(data))


def _escapes_controls(json_text: str) -> bool:
    r"""Whether JSON text may hold an escaped C0 control character that XML and CSV cells lose:
    ``\u00XX``, or the short ``\b`` and ``\f`` (``\t``, ``\n`` and ``\r`` they keep). A literal
    backslash before ``u00``, ``b`` or ``f`` only costs the slow way.

    Examples
    --------
    >>> _escapes_controls(json.dumps(["tab\tnew line\n"])), _escapes_controls(json.dumps(["bell\x08"]))
    (False, True)
    """
    return "\\u00" in json_text or "\\b" in json_text or "\\f" in json_text


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
    if type(key) is str:  # the graph's keys: relations
        return xml_safe_text(key)
    if key is None:
        return None
    if isinstance(key, bool):
        return str(key)
    if isinstance(key, numbers.Integral):
        return int(key)
    return xml_safe_text(key if isinstance(key, str) else str(key))
