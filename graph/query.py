"""Read-only questions to the graph: tables, timelines, contact histories, the country view.

Every function takes the graph that :func:`graph.build` makes (or :func:`load` reads back) and
never modifies it; a function that returns a graph returns a new one. Every argument that names
an entity takes its node id or any of its aliases, in any case (see :func:`lookup`).

The examples run on :func:`example_graph`, a hand-made graph of the same shape.
"""
from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

if TYPE_CHECKING:  # pandas is imported by the tables only: a build's writers need none (0.3 s)
    import pandas as pd

__all__ = [
    "AmbiguousEntityError",
    "EntityNotFoundError",
    "MEASURES",
    "ROLLED_RELATIONS",
    "central",
    "contact_history",
    "country_contacts",
    "country_view",
    "edges_frame",
    "ego_network",
    "events_frame",
    "example_graph",
    "load",
    "lookup",
    "most_active",
    "nodes_frame",
    "shortest_connection",
    "state_of",
    "statements",
    "time_slice",
    "timeline",
]

#: Statement relations that the country view rolls up from people to the states they act for.
ROLLED_RELATIONS = ("supports", "opposes", "condemns", "cooperates_on", "mediates", "partnership", "member_of")

#: Relations that say nothing on their own: two names in one sentence.
_WEAK = frozenset({"co_mentioned"})

#: Evidence items kept on one rolled-up edge (as :data:`graph.build.MAX_EVIDENCE`).
_MAX_EVIDENCE = 5

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


# --------------------------------------------------------------------------------------------
# Errors


class EntityNotFoundError(LookupError):
    """No node has this id or alias; ``suggestions`` holds the closest ``(label, id)`` pairs."""

    def __init__(self, name: str, suggestions: list[tuple[str, str]]) -> None:
        self.name = name
        self.suggestions = suggestions
        close = "; ".join(f"{label!r} ({node})" for label, node in suggestions)
        super().__init__(
            f"no entity named {name!r}" + (f"; close matches: {close}" if close else "; nothing close")
        )


class AmbiguousEntityError(LookupError):
    """Several nodes share this alias; ``candidates`` holds their ``(label, id)`` pairs."""

    def __init__(self, name: str, candidates: list[tuple[str, str]]) -> None:
        self.name = name
        self.candidates = candidates
        listed = "; ".join(f"{label!r} ({node})" for label, node in candidates)
        super().__init__(f"{name!r} names {len(candidates)} entities: {listed}; pass an id or kind=")


# --------------------------------------------------------------------------------------------
# An example graph, for the docstrings and the tests


def example_graph() -> nx.MultiDiGraph:
    """A small hand-made graph of the shape :func:`graph.build` makes.

    Three states, four officials, three contacts (two meetings and a phone call), a place, an
    initiative, stances, mediation and a co-mention. Each call returns a new graph.

    Examples
    --------
    >>> G = example_graph()
    >>> sorted(k for _, k in G.nodes(data="kind"))[:4]
    ['country', 'country', 'country', 'event']
    >>> G.nodes["person:wang-yi"]["aliases"]
    ['Wang', 'Wang Yi']
    """
    G = nx.MultiDiGraph()

    def node(n: str, kind: str, label: str, aliases: list[str], sources: list[str], **attrs: Any) -> None:
        G.add_node(n, kind=kind, label=label, aliases=sorted(aliases), sources=sources, **attrs)

    def edge(u: str, v: str, relation: str, sources: list[str], **attrs: Any) -> None:
        attrs.setdefault("weight", len(sources))
        attrs.setdefault("evidence", [{"doc": s, "sentence": f"({relation}, {s})", "start": 0, "end": 0} for s in sources])
        G.add_edge(u, v, key=relation, relation=relation, sources=sources, **attrs)

    node("country:CHN", "country", "China", ["China", "Chinese"], ["a", "b", "c"], iso3="CHN")
    node("country:IRN", "country", "Iran", ["Iran", "Iranian"], ["a", "b", "c"], iso3="IRN")
    node("country:SAU", "country", "Saudi Arabia", ["Saudi Arabia", "Saudi"], ["a"], iso3="SAU")
    for n, label, aliases, iso3, docs, title in [
        ("person:wang-yi", "Wang Yi", ["Wang Yi", "Wang"], "CHN", ["a", "b", "c"], "Foreign Minister"),
        ("person:ali-akbar-ahmadian", "Ali Akbar Ahmadian", ["Ali Akbar Ahmadian", "Ahmadian"], "IRN", ["a", "c"], "Secretary"),
        ("person:hossein-amir-abdollahian", "Hossein Amir-Abdollahian", ["Hossein Amir-Abdollahian"], "IRN", ["b"], "Foreign Minister"),
        ("person:faisal-bin-farhan", "Faisal bin Farhan", ["Faisal bin Farhan"], "SAU", ["a"], "Foreign Minister"),
    ]:
        node(n, "person", label, aliases, docs, country=iso3, titles=[title])
        edge(n, f"country:{iso3}", "acts_for", docs)
    node("location:johannesburg", "location", "Johannesburg", ["Johannesburg"], ["a"])
    node("initiative:belt-and-road-initiative", "initiative", "Belt and Road Initiative",
         ["Belt and Road Initiative", "BRI"], ["a", "b"])
    for n, etype, date, people, docs, location, initiator in [
        ("event:2023-07-24:meeting:ali-akbar-ahmadian+wang-yi", "meeting", "2023-07-24",
         ["person:ali-akbar-ahmadian", "person:wang-yi"], ["a"], "location:johannesburg", None),
        ("event:2023-08-20:phone_call:hossein-amir-abdollahian+wang-yi", "phone_call", "2023-08-20",
         ["person:hossein-amir-abdollahian", "person:wang-yi"], ["b"], None, "person:hossein-amir-abdollahian"),
        ("event:2024-09-12:meeting:ali-akbar-ahmadian+wang-yi", "meeting", "2024-09-12",
         ["person:ali-akbar-ahmadian", "person:wang-yi"], ["c"], None, None),
    ]:
        names = " – ".join(G.nodes[p]["label"] for p in people)
        node(n, "event", f"{etype.replace('_', ' ')}: {names}", [], docs, source_count=len(docs),
             event_type=etype, date=date, date_text=[date], location=location, initiator=initiator,
             host=None, evidence=[{"doc": d, "sentence": f"({etype}, {d})", "start": 0, "end": 0} for d in docs])
        for p in people:
            edge(p, n, "participant", docs, **({"initiator": True} if p == initiator else {}))
        if location:
            edge(n, location, "held_in", docs)
    edge("event:2023-07-24:meeting:ali-akbar-ahmadian+wang-yi", "initiative:belt-and-road-initiative",
         "discussed", ["a"], dates=["2023-07-24"], confidence=0.5)
    edge("country:CHN", "country:IRN", "supports", ["a", "c"], dates=["2023-07-24", "2024-09-12"], confidence=0.8)
    edge("country:CHN", "country:SAU", "mediates", ["a"], dates=["2023-07-24"], confidence=0.75)
    edge("country:CHN", "country:IRN", "mediates", ["a"], dates=["2023-07-24"], confidence=0.75)
    edge("person:hossein-amir-abdollahian", "initiative:belt-and-road-initiative", "cooperates_on", ["b"],
         dates=["2023-08-20"], confidence=0.65)
    edge("country:CHN", "country:IRN", "co_mentioned", ["a", "b"], count=2)
    edge("country:IRN", "country:SAU", "co_mentioned", ["a"], count=1)
    return G


# --------------------------------------------------------------------------------------------
# Loading


def load(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read a built graph back from ``graph.json`` (or the folder holding it), without rebuilding.

    Parameters
    ----------
    path : str or os.PathLike
        ``graph.json`` as ``diplograph build`` writes it, or its ``--out`` folder.

    Returns
    -------
    networkx.MultiDiGraph
        The graph, as :func:`graph.export.read_json` gives it.

    Raises
    ------
    FileNotFoundError
        If there is no such file, or the folder holds no ``graph.json``.

    Examples
    --------
    >>> import tempfile
    >>> from graph.export import write_json
    >>> out = Path(tempfile.mkdtemp())
    >>> _ = write_json(example_graph(), out / "graph.json")
    >>> load(out).nodes["person:wang-yi"]["label"]
    'Wang Yi'
    """
    from graph.export import read_json

    p = Path(path)
    if p.is_dir():
        p = p / "graph.json"
    if not p.is_file():
        raise FileNotFoundError(f"no graph at {os.fspath(path)!r}: expected graph.json or a folder holding it")
    return read_json(p)


# --------------------------------------------------------------------------------------------
# Lookup


def _norm(text: str) -> str:
    return " ".join(str(text).casefold().split())


def _names(n: Hashable, data: Mapping[str, Any]) -> list[str]:
    names = [str(n), str(data.get("label", ""))]
    names += [str(a) for a in data.get("aliases") or ()]
    if data.get("iso3"):
        names.append(str(data["iso3"]))
    return [x for x in dict.fromkeys(names) if x]


def _label(G: nx.MultiDiGraph, n: Any) -> str | None:
    if n is None:
        return None
    if n in G:
        return str(G.nodes[n].get("label", n))
    return str(n)


def lookup(G: nx.MultiDiGraph, name: str, *, kind: str | None = None) -> str:
    """The node id that ``name`` stands for: an id, a label or any alias, case-insensitive.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    name : str
        A node id (``person:wang-yi``), a label or alias (``Wang Yi``, ``wang``) or, for a
        country, its ISO3 code (``IRN``). Spaces are collapsed and case is ignored.
    kind : str, optional
        Only nodes of this kind (``person``, ``country``...): settles an alias shared by two.

    Returns
    -------
    str
        The node id.

    Raises
    ------
    EntityNotFoundError
        (a :class:`LookupError`) if no node fits; its message lists the closest names.
    AmbiguousEntityError
        (a :class:`LookupError`) if several nodes share the name; its message lists them.

    Examples
    --------
    >>> G = example_graph()
    >>> lookup(G, "wang"), lookup(G, "IRANIAN"), lookup(G, "person:wang-yi")
    ('person:wang-yi', 'country:IRN', 'person:wang-yi')
    >>> lookup(G, "Wnag Yi")
    Traceback (most recent call last):
    ...
    graph.query.EntityNotFoundError: no entity named 'Wnag Yi'; close matches: 'Wang Yi' (person:wang-yi)...
    """
    if not isinstance(name, str):
        raise TypeError(f"an entity is named by a str (an id or an alias), got {type(name).__name__}: {name!r}")
    if kind is not None and name in G and G.nodes[name].get("kind") == kind:
        return name
    if kind is None and name in G:
        return name
    key = _norm(name)
    found: list[str] = []
    for n, data in G.nodes(data=True):
        if kind is not None and data.get("kind") != kind:
            continue
        if any(_norm(x) == key for x in _names(n, data)):
            found.append(str(n))
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        entities = [n for n in found if G.nodes[n].get("kind") != "event"]
        if len(entities) == 1:  # an event label that repeats a name loses to the entity
            return entities[0]
        raise AmbiguousEntityError(name, sorted((_label(G, n) or n, n) for n in found))
    raise EntityNotFoundError(name, _close_matches(G, name, kind))


def _close_matches(G: nx.MultiDiGraph, name: str, kind: str | None, limit: int = 5) -> list[tuple[str, str]]:
    from rapidfuzz import fuzz, process, utils

    choices: dict[tuple[str, str], str] = {}
    for n, data in G.nodes(data=True):
        if data.get("kind") != kind and (kind is not None or data.get("kind") == "event"):
            continue  # events (whose labels repeat their people's names) only when asked for
        for x in _names(n, data):
            choices[(x, str(n))] = x
    hits = process.extract(
        name, choices, scorer=fuzz.WRatio, processor=utils.default_process, limit=limit * 4, score_cutoff=60
    )
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for _, _, (_, node) in hits:
        if node not in seen:
            seen.add(node)
            out.append((_label(G, node) or node, node))
        if len(out) == limit:
            break
    return out


# --------------------------------------------------------------------------------------------
# Tables


def state_of(G: nx.MultiDiGraph, entity: str) -> str | None:
    """The ``country:ISO3`` node an entity stands for: a country itself, a person's state, or None.

    A person's state is their ``country`` attribute, else the ``acts_for`` edge stated most often.

    Examples
    --------
    >>> G = example_graph()
    >>> state_of(G, "Wang Yi"), state_of(G, "Iran"), state_of(G, "BRI")
    ('country:CHN', 'country:IRN', None)
    """
    n = lookup(G, entity)
    return _state(G, n)


def _state(G: nx.MultiDiGraph, n: Any) -> str | None:
    data = G.nodes[n]
    kind = data.get("kind")
    if kind == "country":
        return str(n)
    if kind != "person":
        return None
    if data.get("country"):
        return f"country:{data['country']}"
    best: tuple[float, str] | None = None
    for _, v, k, d in G.out_edges(n, keys=True, data=True):
        if d.get("relation", k) == "acts_for":
            cand = (float(d.get("weight") or 0), str(v))
            if best is None or cand[0] > best[0]:
                best = cand
    return best[1] if best else None


_NODE_FIRST = ["id", "kind", "label", "country", "iso3", "titles", "event_type", "date", "location",
               "initiator", "host", "aliases", "sources", "source_count", "mentions"]


def _columns(rows: list[dict[str, Any]], first: list[str], always: list[str]) -> list[str]:
    """The columns of a table of `rows`: those of `first` that occur (or are in `always`), in
    that order, then every other key in name order."""
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    columns = [c for c in first if c in keys or c in always]
    columns += sorted(k for k in keys if k not in columns)
    return columns


def _table_rows(
    G: nx.MultiDiGraph, *, copy: bool = True, tables: Collection[str] = ("nodes", "edges", "events")
) -> dict[str, tuple[list[dict[str, Any]], list[str]]]:
    """The rows and columns of :func:`nodes_frame`, :func:`edges_frame` and :func:`events_frame`
    of `G`, before they become tables: ``{"nodes": (rows, columns), "edges": ..., "events": ...}``.

    Each row is a dict whose missing columns are missing keys; :func:`_column_kind` of a
    column's values says what the table makes of them. ``copy`` as in :func:`nodes_frame`
    (the events' lists are always copies).

    Examples
    --------
    >>> rows, columns = _table_rows(example_graph())["events"]
    >>> len(rows), columns[:3]
    (3, ['id', 'date', 'event_type'])
    """
    found: dict[str, tuple[list[dict[str, Any]], list[str]]] = {}
    for name in tables:  # only those asked for, in the order asked
        if name == "nodes":
            nodes = _node_rows(G, copy)
            found[name] = (nodes, _columns(nodes, _NODE_FIRST, _NODE_ALWAYS))
        elif name == "edges":
            edges = _edge_rows(G, None, copy)
            found[name] = (edges, _columns(edges, _EDGE_FIRST, _EDGE_ALWAYS))
        elif name == "events":
            found[name] = (_event_rows(G, _events(G)), _EVENT_COLUMNS)
        else:
            raise ValueError(f"no table {name!r}: nodes, edges or events")
    return found


def nodes_frame(G: nx.MultiDiGraph, *, copy: bool = True) -> pd.DataFrame:
    """One row per node with every attribute: kind, label, aliases, sources, and so on.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    copy : bool
        Copy list and dict values (the default), so that changing the table cannot change the
        graph. False shares them with the graph: faster, for a table only read (the CSV writer).

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``kind``, ``label``, then the usual attributes that occur (``country``,
        ``iso3``, ``titles``, ``event_type``, ``date``, ..., ``aliases``, ``sources``,
        ``source_count``: how many documents) and any other, in name order. List values stay
        Python lists (copies); a missing attribute is None. Rows in node order.

    Examples
    --------
    >>> df = nodes_frame(example_graph())
    >>> {k: v for k, v in df.to_dict("records")[3].items() if k in ("id", "country", "source_count")}
    {'id': 'person:wang-yi', 'country': 'CHN', 'source_count': 3}
    """
    rows = _node_rows(G, copy)
    return _frame(rows, _columns(rows, _NODE_FIRST, _NODE_ALWAYS))


_NODE_ALWAYS = ["id", "kind", "label"]


def _node_rows(G: nx.MultiDiGraph, copy: bool) -> list[dict[str, Any]]:
    rows = []
    for n, data in G.nodes(data=True):
        row = {"id": n, **(_copy(data) if copy else data)}
        if isinstance(data.get("sources"), list):
            row["source_count"] = len(data["sources"])
        rows.append(row)
    return rows


_EDGE_FIRST = ["source", "source_label", "relation", "target", "target_label", "key", "weight",
               "confidence", "dates", "sources", "evidence"]
_EDGE_ALWAYS = ["source", "source_label", "relation", "target", "target_label", "key"]


def edges_frame(
    G: nx.MultiDiGraph, *, relations: Iterable[str] | None = None, copy: bool = True
) -> pd.DataFrame:
    """One row per edge with its provenance: relation, weight, dates, sources, evidence.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    relations : iterable of str, optional
        Only edges of these relations (``supports``, ``participant``...).
    copy : bool
        As in :func:`nodes_frame`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``source_label``, ``relation``, ``target``, ``target_label``,
        ``key``, then ``weight``, ``confidence``, ``dates``, ``sources`` (document ids),
        ``evidence`` (``{"doc", "sentence", "start", "end"}`` items) where any edge has them,
        and any other attribute in name order. Missing values are None.

    Examples
    --------
    >>> df = edges_frame(example_graph(), relations=["mediates"])
    >>> df[["source_label", "relation", "target_label", "sources"]].values.tolist()
    [['China', 'mediates', 'Iran', ['a']], ['China', 'mediates', 'Saudi Arabia', ['a']]]
    """
    rows = _edge_rows(G, _relations(relations), copy)
    return _frame(rows, _columns(rows, _EDGE_FIRST, _EDGE_ALWAYS))


def _edge_rows(G: nx.MultiDiGraph, wanted: frozenset[str] | None, copy: bool) -> list[dict[str, Any]]:
    rows = []
    for u, v, k, data in G.edges(keys=True, data=True):
        relation = data.get("relation", k)
        if wanted is not None and relation not in wanted:
            continue
        rows.append({"source": u, "source_label": _label(G, u), "relation": relation, "target": v,
                     "target_label": _label(G, v), "key": k, **(_copy(data) if copy else data)})
    return rows


def _relations(relations: Iterable[str] | None) -> frozenset[str] | None:
    if relations is None:
        return None
    if isinstance(relations, str):
        return frozenset({relations})
    return frozenset(relations)


def _copy(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of an attribute dict that shares no list, dict or set with it."""
    return {k: _clone(v) for k, v in data.items()}


def _clone(value: Any) -> Any:
    # Attribute values are JSON-like: this is several times faster than copy.deepcopy.
    t = type(value)
    if t is str or t is int or t is float or value is None:
        return value
    if t is list:
        return [v if type(v) is str else _clone(v) for v in value]
    if t is dict:
        return {k: v if type(v) is str or type(v) is int else _clone(v) for k, v in value.items()}
    if isinstance(value, dict):  # subclasses
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    if isinstance(value, (set, frozenset, tuple)):
        return t(_clone(v) for v in value)
    return value


def _event_rows(G: nx.MultiDiGraph, events: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        d = G.nodes[e]
        people = sorted(
            (u for u, _, k, ed in G.in_edges(e, keys=True, data=True) if ed.get("relation", k) == "participant"),
            key=str,
        )
        discussed = sorted(
            (v for _, v, k, ed in G.out_edges(e, keys=True, data=True) if ed.get("relation", k) == "discussed"),
            key=str,
        )
        states = sorted({s for p in people if (s := _state(G, p))})
        rows.append({
            "id": e,
            "date": d.get("date"),
            "event_type": d.get("event_type"),
            "label": d.get("label"),
            "participants": people,
            "participant_labels": [_label(G, p) for p in people],
            "countries": [s.split(":", 1)[1] for s in states],
            "location": d.get("location"),
            "location_label": _label(G, d.get("location")),
            "initiator": d.get("initiator"),
            "initiator_label": _label(G, d.get("initiator")),
            "host": d.get("host"),
            "host_label": _label(G, d.get("host")),
            "discussed": discussed,
            "discussed_labels": [_label(G, t) for t in discussed],
            "date_text": list(d.get("date_text") or []),
            "cameo": d.get("cameo"),
            "plover_mode": d.get("plover_mode"),
            "source_count": len(d.get("sources") or []),
            "sources": list(d.get("sources") or []),
            "evidence": _clone(d.get("evidence") or []),
        })
    return rows


_EVENT_COLUMNS = ["id", "date", "event_type", "label", "participants", "participant_labels", "countries",
                  "location", "location_label", "initiator", "initiator_label", "host", "host_label",
                  "discussed", "discussed_labels", "date_text", "cameo", "plover_mode", "source_count",
                  "sources", "evidence"]


def _date_order(G: nx.MultiDiGraph, e: Any) -> tuple[bool, str, str]:
    date = G.nodes[e].get("date")
    return (not date, str(date or ""), str(e))


def _events(G: nx.MultiDiGraph) -> list[Any]:
    return sorted((n for n, k in G.nodes(data="kind") if k == "event"), key=lambda e: _date_order(G, e))


ColumnKind = Literal["int64", "Int64", "float64", "object"]


def _column_kind(values: list[Any]) -> ColumnKind:
    """The pandas dtype a table column of `values` gets (None is a missing value).

    Whole numbers stay integers (``Int64`` when some are missing), numbers with no value
    missing are floats, and anything else is kept as given (``object``).

    Examples
    --------
    >>> _column_kind([1, 2]), _column_kind([1, None]), _column_kind([1, 2.5]), _column_kind([1.5, None, "x"])
    ('int64', 'Int64', 'float64', 'object')
    """
    types = set(map(type, values))  # in C: a column of 50,000 cells in a millisecond
    missing = type(None) in types
    types.discard(type(None))
    if not types or any(t is bool or not issubclass(t, (int, float)) for t in types):
        return "object"  # nothing but missing values, or a value that is not a number
    if types == {int}:
        return "Int64" if missing else "int64"
    if types <= {int, float}:
        return "object" if missing else "float64"
    # subclasses of int or float (numpy's, enums): by the rules themselves
    present = [v for v in values if v is not None]
    numbers = [v for v in present if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if present and len(numbers) == len(present) and all(isinstance(v, int) for v in numbers):
        return "int64" if len(present) == len(values) else "Int64"
    if present and len(numbers) == len(present) == len(values):
        return "float64"
    return "object"


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """A table whose missing values are None, and whose columns have :func:`_column_kind`."""
    import pandas as pd

    data: dict[str, pd.Series] = {}
    for c in columns:
        values = [r.get(c) for r in rows]
        data[c] = pd.Series(values, dtype=_column_kind(values))
    return pd.DataFrame(data, columns=columns)


def events_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per contact event: when, what, who, where, at whose request, what was discussed.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.

    Returns
    -------
    pandas.DataFrame
        Columns ``id``, ``date``, ``event_type``, ``label``, ``participants`` (ids) and
        ``participant_labels``, ``countries`` (ISO3 of the states the participants act for),
        ``location``, ``initiator`` and ``host`` (ids, each with a ``*_label``), ``discussed``
        and ``discussed_labels``, ``date_text``, ``cameo``, ``plover_mode``, ``source_count``,
        ``sources`` and ``evidence``. Dated events first, in date order.

    Examples
    --------
    >>> df = events_frame(example_graph())
    >>> df[["date", "event_type", "countries", "location_label"]].values.tolist()
    [['2023-07-24', 'meeting', ['CHN', 'IRN'], 'Johannesburg'], ['2023-08-20', 'phone_call', ['CHN', 'IRN'], None], ['2024-09-12', 'meeting', ['CHN', 'IRN'], None]]
    """
    return _frame(_event_rows(G, _events(G)), _EVENT_COLUMNS)


# --------------------------------------------------------------------------------------------
# The country view


def _rolled(G: nx.MultiDiGraph, n: Any) -> Any:
    """What ``n`` becomes in the country view: a person's state, else itself."""
    if G.nodes[n].get("kind") == "person":
        return _state(G, n) or n
    return n


def _event_sides(G: nx.MultiDiGraph, e: Any, participants: list[Any], rolled: Callable[[Any], Any]) -> set[Any]:
    """The parties of event ``e``, rolled up: its ``participants``, the host and the initiator."""
    parties = list(participants)
    for attr in ("host", "initiator"):
        n = G.nodes[e].get(attr)
        if n is not None and n in G and G.nodes[n].get("kind") in ("person", "country"):
            parties.append(n)
    return {rolled(p) for p in parties}


def _union(*lists: Iterable[Any]) -> list[Any]:
    return sorted({x for xs in lists for x in xs}, key=str)


def _add_evidence(target: list[Any], items: Iterable[Any]) -> None:
    for item in items:
        if len(target) >= _MAX_EVIDENCE:
            return
        if item not in target:
            target.append(_clone(item))


def country_view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """People rolled up to the states they act for: who was in contact with whom, and how often.

    Each person with a state (:func:`state_of`) becomes that state's ``country:ISO3`` node;
    people without one, and entities that act for no state (organizations, initiatives...),
    stay as themselves. Events become ``contact`` edges between the states (and stateless
    parties) of their participants, host and initiator, one edge per pair, drawn from the first
    id to the second in sorted order with ``symmetric`` True. The statement relations of
    :data:`ROLLED_RELATIONS` are rolled up the same way, one edge per (subject, relation,
    object) with the weights summed; a statement a person makes about their own state is
    dropped. ``co_mentioned``, ``role``, ``acts_for``, ``held_in`` and ``discussed`` edges are
    left out (the topics discussed are listed on the contact edges).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with ``graph["view"] == "country"``. Nodes: every state (the country nodes,
        plus any state a person acts for) and every other entity an edge touches, with
        ``kind``, ``label``, ``aliases`` and ``sources`` as in `G`; a state also has
        ``people`` (the ids rolled into it) and ``sources`` covering its people's documents.
        ``contact`` edges have ``weight`` (number of distinct events), ``years`` (``{"2023":
        2}``; undated events are counted in ``undated``), ``events`` (ids), ``event_types``
        (type -> count), ``dates``, ``people``, ``discussed``, ``sources`` and ``evidence``.
        Rolled statements keep ``relation``, ``weight`` (summed), ``sources``, ``dates``,
        ``confidence`` (the highest), ``evidence`` and ``rolled_from`` (the ``[subject,
        object]`` pairs of `G` behind them).

    Examples
    --------
    >>> V = country_view(example_graph())
    >>> c = V.edges["country:CHN", "country:IRN", "contact"]
    >>> c["weight"], c["years"], c["event_types"]
    (3, {'2023': 2, '2024': 1}, {'meeting': 2, 'phone_call': 1})
    >>> sorted((u, v, k) for u, v, k in V.edges(keys=True) if k != "contact")  # doctest: +NORMALIZE_WHITESPACE
    [('country:CHN', 'country:IRN', 'mediates'), ('country:CHN', 'country:IRN', 'supports'),
     ('country:CHN', 'country:SAU', 'mediates'), ('country:IRN', 'initiative:belt-and-road-initiative', 'cooperates_on')]
    >>> V.nodes["country:IRN"]["people"]
    ['person:ali-akbar-ahmadian', 'person:hossein-amir-abdollahian']
    """
    H = nx.MultiDiGraph(view="country")
    people: dict[str, list[Any]] = {}
    for n, kind in G.nodes(data="kind"):
        if kind == "person" and (s := _state(G, n)):
            people.setdefault(s, []).append(n)

    def ensure(n: Any) -> None:
        if n in H:
            return
        if n in G:
            attrs = _copy(G.nodes[n])
        else:  # a state a person acts for that has no node of its own
            iso3 = str(n).split(":", 1)[1]
            label = _country_label(iso3)
            attrs = {"kind": "country", "label": label, "aliases": sorted({label, iso3}), "sources": [], "iso3": iso3}
        if n in people:
            attrs["people"] = sorted(people[n], key=str)
            attrs["people_labels"] = [_label(G, p) for p in attrs["people"]]
            attrs["sources"] = _union(attrs.get("sources") or [], *(G.nodes[p].get("sources") or [] for p in people[n]))
        H.add_node(n, **attrs)

    for n, kind in G.nodes(data="kind"):
        if kind == "country":
            ensure(n)
    for s in people:
        ensure(s)

    # Sets while counting, sorted lists at the end: a pair with many events stays linear.
    merged: dict[tuple[Any, Any, str], dict[str, Any]] = {}
    # each node rolled up once: a person's state is looked up through their edges
    rolled: Callable[[Any], Any] = functools.cache(lambda n: _rolled(G, n))

    for e in _events(G):
        ev = G.nodes[e]
        participants = [u for u, _, k, d in G.in_edges(e, keys=True, data=True) if d.get("relation", k) == "participant"]
        sides = sorted(_event_sides(G, e, participants, rolled), key=str)
        discussed = [v for _, v, k, d in G.out_edges(e, keys=True, data=True) if d.get("relation", k) == "discussed"]
        for i, a in enumerate(sides):
            for b in sides[i + 1:]:
                c = merged.setdefault((a, b, "contact"), {
                    "weight": 0, "years": Counter(), "undated": 0, "events": [], "event_types": Counter(),
                    "dates": set(), "people": set(), "discussed": set(), "sources": set(), "evidence": []})
                c["weight"] += 1
                date = ev.get("date")
                if date:
                    c["years"][str(date)[:4]] += 1
                    c["dates"].add(date)
                else:
                    c["undated"] += 1
                c["events"].append(e)
                c["event_types"][str(ev.get("event_type"))] += 1
                c["people"].update(participants)
                c["discussed"].update(discussed)
                c["sources"].update(ev.get("sources") or [])
                _add_evidence(c["evidence"], ev.get("evidence") or [])

    for u, v, k, d in G.edges(keys=True, data=True):
        relation = d.get("relation", k)
        if relation not in ROLLED_RELATIONS or G.nodes[u].get("kind") == "event" or G.nodes[v].get("kind") == "event":
            continue
        a, b = rolled(u), rolled(v)
        if a == b:
            continue
        r = merged.setdefault((a, b, relation), {
            "weight": 0, "confidence": 0.0, "sources": set(), "dates": set(), "evidence": [], "rolled_from": []})
        r["weight"] += d.get("weight") or 1
        r["confidence"] = max(float(r["confidence"]), float(d.get("confidence") or 0.0))
        r["sources"].update(d.get("sources") or [])
        r["dates"].update(d.get("dates") or [])
        _add_evidence(r["evidence"], d.get("evidence") or [])
        r["rolled_from"].append([u, v])
        for attr in ("partnership_type", "methods"):
            if attr in d:
                r.setdefault(attr, set()).update([d[attr]] if isinstance(d[attr], str) else d[attr])

    for (a, b, relation), attrs in merged.items():
        ensure(a)
        ensure(b)
        for name, value in attrs.items():
            if isinstance(value, set):
                attrs[name] = sorted(value, key=str)
            elif isinstance(value, Counter):
                attrs[name] = dict(sorted(value.items()))
        if "partnership_type" in attrs:  # one name, the most specific, as in the main graph
            attrs["partnership_type"] = max(attrs["partnership_type"], key=len)
        if relation == "contact":
            H.add_edge(a, b, key=relation, relation=relation, symmetric=True, **attrs)
        else:
            H.add_edge(a, b, key=relation, relation=relation, **attrs)
    return H


def _country_label(iso3: str) -> str:
    from extract.countries import country_by_iso3

    country = country_by_iso3(iso3)
    return country.label if country else iso3


def country_contacts(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Contacts per pair of states and per year, from :func:`country_view`.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph (not its country view: the years come from the event nodes); it is not
        modified.

    Returns
    -------
    pandas.DataFrame
        Columns ``pair`` (``"China – Iran"``), ``a``, ``b`` (node ids, in sorted order),
        ``year`` (an int, or None for undated events), ``count`` (distinct events) and
        ``events`` (their ids); sorted by pair and year. A party that acts for no known state
        stays as itself (a person or an organization).

    Raises
    ------
    ValueError
        If `G` is a country view.

    Examples
    --------
    >>> country_contacts(example_graph())[["pair", "year", "count"]].values.tolist()
    [['China – Iran', 2023, 2], ['China – Iran', 2024, 1]]
    """
    if G.graph.get("view") == "country":
        raise ValueError("country_contacts takes the graph itself, not its country view (which has no events)")
    V = country_view(G)
    rows = []
    for a, b, k, d in V.edges(keys=True, data=True):
        if d.get("relation", k) != "contact":
            continue
        pair = f"{_label(V, a)} – {_label(V, b)}"
        by_year: dict[int | None, list[Any]] = {}
        for e in d.get("events") or []:
            date = G.nodes[e].get("date") if e in G else None
            year = int(str(date)[:4]) if date else None
            by_year.setdefault(year, []).append(e)
        for year, events in by_year.items():
            rows.append({"pair": pair, "a": a, "b": b, "year": year, "count": len(events), "events": events})
    rows.sort(key=lambda r: (r["pair"], r["year"] is None, r["year"] or 0))
    return _frame(rows, ["pair", "a", "b", "year", "count", "events"])


# --------------------------------------------------------------------------------------------
# Timelines and contact histories

#: How an entity can take part in an event; the first four make it a party to the contact.
_PARTY_ROLES = ("participant", "initiator", "host", "official")


def _involved(G: nx.MultiDiGraph, e: Any) -> dict[Any, dict[str, list[Any]]]:
    """Who is involved in event ``e`` and how: node -> role -> people it went through."""
    out: dict[Any, dict[str, list[Any]]] = {}

    def add(n: Any, role: str, via: Any) -> None:
        out.setdefault(n, {}).setdefault(role, [])
        if via is not None and via not in out[n][role]:
            out[n][role].append(via)

    ev = G.nodes[e]
    people = [u for u, _, k, d in G.in_edges(e, keys=True, data=True) if d.get("relation", k) == "participant"]
    for p in sorted(people, key=str):
        add(p, "participant", None)
    for role in ("initiator", "host"):
        n = ev.get(role)
        if n is not None and n in G:
            add(n, role, None)
            if G.nodes[n].get("kind") == "person":
                people.append(n)
    for p in sorted(set(people), key=str):
        state = _state(G, p)
        if state is not None and state != p:
            add(state, "official", p)
    if ev.get("location") is not None and ev["location"] in G:
        add(ev["location"], "venue", None)
    for _, v, k, d in G.out_edges(e, keys=True, data=True):
        if d.get("relation", k) == "discussed":
            add(v, "discussed", None)
    return out


def _role_text(roles: Mapping[str, list[Any]], G: nx.MultiDiGraph) -> str:
    parts = []
    for role in ("participant", "initiator", "host", "official", "venue", "discussed"):
        if role in roles:
            via = roles[role]
            parts.append(role + (f" ({', '.join(str(_label(G, p)) for p in via)})" if via else ""))
    return ", ".join(parts)


_TIMELINE_COLUMNS = ["date", "event_type", "label", "role", "counterparts", "location_label", "initiator_label",
                     "host_label", "discussed_labels", "source_count", "sources", "evidence", "id"]


def timeline(G: nx.MultiDiGraph, entity: str) -> pd.DataFrame:
    """The contact events an entity was involved in, in date order.

    A person is involved as a participant, initiator or host; a state also through the
    officials who act for it (``official``); a place as the ``venue``; anything else also as
    what was ``discussed``.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    entity : str
        A node id or any alias (see :func:`lookup`).

    Returns
    -------
    pandas.DataFrame
        One row per event: ``date``, ``event_type``, ``label``, ``role`` (how the entity was
        involved, with the people it went through: ``"official (Wang Yi)"``),
        ``counterparts`` (labels of the other parties: participants and their states),
        ``location_label``, ``initiator_label``, ``host_label``, ``discussed_labels``,
        ``source_count``, ``sources``, ``evidence`` and the event ``id``. Dated events first.

    Examples
    --------
    >>> G = example_graph()
    >>> timeline(G, "Iran")[["date", "event_type", "role"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['2023-07-24', 'meeting', 'official (Ali Akbar Ahmadian)'],
     ['2023-08-20', 'phone_call', 'official (Hossein Amir-Abdollahian)'],
     ['2024-09-12', 'meeting', 'official (Ali Akbar Ahmadian)']]
    >>> timeline(G, "Hossein Amir-Abdollahian").loc[0, ["role", "counterparts"]].tolist()
    ['participant, initiator', ['Wang Yi', 'China']]
    """
    n = lookup(G, entity)
    events = [e for e in _events(G) if n in _involved(G, e)]
    rows = []
    for e, base in zip(events, _event_rows(G, events)):
        involved = _involved(G, e)
        mine = involved[n]
        own = {n, *(p for ps in mine.values() for p in ps)}
        if G.nodes[n].get("kind") == "person" and (s := _state(G, n)):
            own.add(s)
        others = [
            x for x, roles in involved.items()
            if x not in own and any(r in roles for r in _PARTY_ROLES)
            and not (set(roles) == {"official"} and set(roles["official"]) & own)
        ]
        others.sort(key=lambda x: (G.nodes[x].get("kind") != "person", str(_label(G, x))))
        rows.append({**base, "role": _role_text(mine, G), "counterparts": [_label(G, x) for x in others]})
    return _frame(rows, _TIMELINE_COLUMNS)


_HISTORY_COLUMNS = ["date", "event_type", "label", "a_side", "b_side", "location_label", "initiator_label",
                    "host_label", "discussed_labels", "date_text", "source_count", "sources", "evidence", "id"]


def contact_history(G: nx.MultiDiGraph, a: str, b: str) -> pd.DataFrame:
    """Every contact between two entities (two states, two people, a person and a state).

    An event counts when both are parties to it: as participant, initiator or host, or, for a
    state, through an official who acts for it (see :func:`timeline`).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    a, b : str
        Node ids or aliases (see :func:`lookup`).

    Returns
    -------
    pandas.DataFrame
        One row per event, in date order: ``date``, ``event_type``, ``label``, ``a_side`` and
        ``b_side`` (who took part for each: the people, or the entity itself),
        ``location_label``, ``initiator_label``, ``host_label``, ``discussed_labels``,
        ``date_text``, ``source_count``, ``sources``, ``evidence`` and the event ``id``.

    Raises
    ------
    ValueError
        If `a` and `b` are the same entity.

    Examples
    --------
    >>> G = example_graph()
    >>> h = contact_history(G, "China", "iran")
    >>> h[["date", "event_type", "b_side", "initiator_label", "discussed_labels"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['2023-07-24', 'meeting', ['Ali Akbar Ahmadian'], None, ['Belt and Road Initiative']],
     ['2023-08-20', 'phone_call', ['Hossein Amir-Abdollahian'], 'Hossein Amir-Abdollahian', []],
     ['2024-09-12', 'meeting', ['Ali Akbar Ahmadian'], None, []]]
    """
    na, nb = lookup(G, a), lookup(G, b)
    if na == nb:
        raise ValueError(f"a contact history needs two entities; {a!r} and {b!r} are both {na!r}")
    rows = []
    events = [e for e in _events(G)]
    for e in events:
        involved = _involved(G, e)
        sides = []
        for n in (na, nb):
            roles = {r: v for r, v in involved.get(n, {}).items() if r in _PARTY_ROLES}
            if not roles:
                break
            via = roles.get("official") if set(roles) == {"official"} else [n]
            sides.append([_label(G, p) for p in via or [n]])
        if len(sides) < 2 or (sides[0] == sides[1]):
            continue
        rows.append({**_event_rows(G, [e])[0], "a_side": sides[0], "b_side": sides[1]})
    return _frame(rows, _HISTORY_COLUMNS)


_STATEMENT_COLUMNS = ["subject", "subject_label", "relation", "object", "object_label", "weight", "confidence",
                      "dates", "sources", "evidence"]


def statements(
    G: nx.MultiDiGraph,
    relations: str | Iterable[str] | None = None,
    *,
    subject: str | None = None,
    object: str | None = None,
    between: tuple[str, str] | None = None,
) -> pd.DataFrame:
    """Stances and cooperation stated in the articles: who supports, mediates, partners with what.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph, or its :func:`country_view` for the statements rolled up to states; it is
        not modified.
    relations : str or iterable of str, optional
        Only these relations; by default all of :data:`ROLLED_RELATIONS`.
    subject, object : str, optional
        Only statements by (about) this entity: an id or an alias.
    between : pair of str, optional
        Only statements between these two entities, either way round.

    Returns
    -------
    pandas.DataFrame
        ``subject``, ``subject_label``, ``relation``, ``object``, ``object_label``, ``weight``
        (how often it was stated), ``confidence``, ``dates``, ``sources``, ``evidence``;
        the most often stated first.

    Examples
    --------
    >>> statements(example_graph(), "mediates")[["subject_label", "object_label", "weight"]].values.tolist()
    [['China', 'Iran', 1], ['China', 'Saudi Arabia', 1]]
    >>> statements(example_graph(), between=("Iran", "China"))["relation"].tolist()
    ['supports', 'mediates']
    """
    wanted = _relations(relations) or frozenset(ROLLED_RELATIONS)
    s = lookup(G, subject) if subject is not None else None
    o = lookup(G, object) if object is not None else None
    pair = None
    if between is not None:
        if isinstance(between, str) or len(between) != 2:
            raise ValueError(f"between must be a pair of entities, got {between!r}")
        pair = {lookup(G, between[0]), lookup(G, between[1])}
    rows = []
    for u, v, k, d in G.edges(keys=True, data=True):
        relation = d.get("relation", k)
        if relation not in wanted or (s is not None and u != s) or (o is not None and v != o):
            continue
        if pair is not None and {u, v} != pair:
            continue
        rows.append({"subject": u, "subject_label": _label(G, u), "relation": relation, "object": v,
                     "object_label": _label(G, v), "weight": d.get("weight"), "confidence": d.get("confidence"),
                     "dates": list(d.get("dates") or []), "sources": list(d.get("sources") or []),
                     "evidence": _clone(d.get("evidence") or [])})
    rows.sort(key=lambda r: (-(r["weight"] or 0), r["relation"], str(r["subject_label"]), str(r["object_label"])))
    return _frame(rows, _STATEMENT_COLUMNS)


# --------------------------------------------------------------------------------------------
# Sub-graphs


def _new_graph(G: nx.MultiDiGraph, nodes: Iterable[Any], edges: Iterable[tuple[Any, Any, Any]],
               **graph_attrs: Any) -> nx.MultiDiGraph:
    """A new graph holding deep copies of the given nodes' and edges' attributes."""
    H = nx.MultiDiGraph(**_copy(G.graph))
    H.graph.update(graph_attrs)
    H.add_nodes_from((n, _copy(G.nodes[n])) for n in nodes)
    H.add_edges_from((u, v, k, _copy(G.edges[u, v, k])) for u, v, k in edges)
    return H


def ego_network(
    G: nx.MultiDiGraph,
    entity: str,
    *,
    radius: int = 1,
    kinds: Iterable[str] | None = None,
    relations: Iterable[str] | None = None,
    co_mentioned: bool = False,
) -> nx.MultiDiGraph:
    """The entities within ``radius`` steps of one entity, and the edges among them.

    Steps follow edges in either direction. An event is a node of its own, so the people a
    person met are two steps away (person, event, person).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    entity : str
        The centre: a node id or an alias.
    radius : int
        How many steps out (at least 0).
    kinds : iterable of str, optional
        Only nodes of these kinds are kept and walked through (the centre is always kept).
    relations : iterable of str, optional
        Only edges of these relations are followed and kept.
    co_mentioned : bool
        Also follow ``co_mentioned`` edges (left out by default: they are not relations).

    Returns
    -------
    networkx.MultiDiGraph
        A new graph with copies of the attributes, and ``graph["ego"]``, ``graph["radius"]``.

    Raises
    ------
    ValueError
        If `radius` is negative or not an int.

    Examples
    --------
    >>> G = example_graph()
    >>> sorted(ego_network(G, "Wang Yi", radius=2, kinds=["person", "event"]).nodes)  # doctest: +NORMALIZE_WHITESPACE
    ['event:2023-07-24:meeting:ali-akbar-ahmadian+wang-yi', 'event:2023-08-20:phone_call:hossein-amir-abdollahian+wang-yi',
     'event:2024-09-12:meeting:ali-akbar-ahmadian+wang-yi', 'person:ali-akbar-ahmadian',
     'person:hossein-amir-abdollahian', 'person:wang-yi']
    >>> sorted(ego_network(G, "China", relations=["mediates"]).nodes)
    ['country:CHN', 'country:IRN', 'country:SAU']
    """
    if isinstance(radius, bool) or not isinstance(radius, int) or radius < 0:
        raise ValueError(f"radius must be an int >= 0, got {radius!r}")
    centre = lookup(G, entity)
    kept_kinds = None if kinds is None else frozenset([kinds] if isinstance(kinds, str) else kinds)
    wanted = _relations(relations)

    def node_ok(n: Any) -> bool:
        return n == centre or kept_kinds is None or G.nodes[n].get("kind") in kept_kinds

    def edge_ok(u: Any, v: Any, k: Any) -> bool:
        relation = G.edges[u, v, k].get("relation", k)
        if relation in _WEAK and not co_mentioned:
            return False
        return wanted is None or relation in wanted

    view = nx.subgraph_view(G, filter_node=node_ok, filter_edge=edge_ok)
    reach = nx.single_source_shortest_path_length(view.to_undirected(as_view=True), centre, cutoff=radius)
    edges = [(u, v, k) for u, v, k in view.edges(keys=True) if u in reach and v in reach]
    return _new_graph(G, [n for n in G if n in reach], edges, ego=centre, radius=radius)


def _bounds(value: Any, pad: str, name: str) -> str | None:
    import datetime as dt

    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        value = value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:04d}"
    if not isinstance(value, str) or not _DATE.fullmatch(value) or not _real_date(value):
        raise ValueError(f"{name} must be a date, 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', got {value!r}")
    return _pad(value, pad)


def _real_date(value: str) -> bool:
    import datetime as dt

    parts = [*value.split("-"), "01", "01"][:3]
    try:
        dt.date(*(int(p) for p in parts))
    except ValueError:
        return False
    return True


def _pad(date: str, pad: str) -> str:
    return date + f"-{pad}" * (2 - date.count("-"))


def _in_range(date: Any, lo: str | None, hi: str | None) -> bool | None:
    """Whether a (possibly partial) date overlaps [lo, hi]; None when it is no date."""
    if not isinstance(date, str) or not _DATE.fullmatch(date):
        return None
    return (lo is None or _pad(date, "99") >= lo) and (hi is None or _pad(date, "00") <= hi)


def time_slice(
    G: nx.MultiDiGraph,
    start: Any = None,
    end: Any = None,
    *,
    undated: bool = False,
) -> nx.MultiDiGraph:
    """The graph as of a date range: its events and statements dated within it.

    Kept: the events whose date overlaps ``[start, end]`` (an event dated ``2023-02`` is in a
    range that includes any day of that month) with their ``participant``, ``held_in`` and
    ``discussed`` edges; the statement edges (``supports``, ``mediates``...) with a date in the
    range; the entities these touch, and the states the people among them act for; and the
    edges among all those that carry no date (``acts_for``, ``role``, ``co_mentioned``).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    start, end : str, int, datetime.date, optional
        Inclusive bounds: ``"2023"``, ``"2023-07"``, ``"2023-07-24"``, ``2023`` or a date;
        None leaves that side open.
    undated : bool
        Also keep the undated events and the statements that carry no date.

    Returns
    -------
    networkx.MultiDiGraph
        A new graph, with ``graph["start"]`` and ``graph["end"]`` as given (ISO strings).

    Raises
    ------
    ValueError
        If a bound is no date, or `start` comes after `end`.

    Examples
    --------
    >>> G = example_graph()
    >>> S = time_slice(G, "2023-08", 2023)
    >>> sorted(n for n, k in S.nodes(data="kind") if k == "event")
    ['event:2023-08-20:phone_call:hossein-amir-abdollahian+wang-yi']
    >>> sorted(k for _, _, k in S.edges(keys=True))
    ['acts_for', 'acts_for', 'co_mentioned', 'cooperates_on', 'participant', 'participant']
    """
    lo, hi = _bounds(start, "00", "start"), _bounds(end, "99", "end")
    if lo is not None and hi is not None and lo > hi:
        raise ValueError(f"start {start!r} comes after end {end!r}")
    events = set()
    for n, data in G.nodes(data=True):
        if data.get("kind") == "event":
            inside = _in_range(data.get("date"), lo, hi)
            if inside or (inside is None and undated):
                events.add(n)
    nodes = set(events)
    edges: list[tuple[Any, Any, Any]] = []
    context: list[tuple[Any, Any, Any]] = []
    for u, v, k, d in G.edges(keys=True, data=True):
        touches_event = G.nodes[u].get("kind") == "event" or G.nodes[v].get("kind") == "event"
        if touches_event:
            if (u in events or G.nodes[u].get("kind") != "event") and (v in events or G.nodes[v].get("kind") != "event"):
                edges.append((u, v, k))
                nodes.update((u, v))
        elif "dates" in d:
            dates = d.get("dates") or []
            if any(_in_range(x, lo, hi) for x in dates) or (not dates and undated):
                edges.append((u, v, k))
                nodes.update((u, v))
        else:
            context.append((u, v, k))
    for u, v, k in context:  # the states of the people kept come along
        if u in nodes and G.edges[u, v, k].get("relation", k) == "acts_for":
            nodes.add(v)
    edges += [(u, v, k) for u, v, k in context if u in nodes and v in nodes]
    return _new_graph(
        G, [n for n in G if n in nodes], edges,
        start=None if start is None else str(_bounds(start, "00", "start")).replace("-00", ""),
        end=None if end is None else str(_bounds(end, "99", "end")).replace("-99", ""),
    )


# --------------------------------------------------------------------------------------------
# Rankings


def _parties(G: nx.MultiDiGraph, e: Any) -> set[Any]:
    return {n for n, roles in _involved(G, e).items() if any(r in roles for r in _PARTY_ROLES)}


def most_active(G: nx.MultiDiGraph, kind: str = "person", *, top: int | None = None) -> pd.DataFrame:
    """Entities of one kind ranked by the number of contact events they took part in.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    kind : str
        ``person``, ``country`` (a state takes part through its officials) or any other kind.
    top : int, optional
        Only the first `top` rows.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``label``, ``events`` (the measure: distinct contact events the entity was a
        party to), ``counterparts`` (distinct other parties of the same kind), ``first`` and
        ``last`` (dates), ``sources`` (documents that mention the entity); most events first,
        entities with none left out. ``df.attrs["measure"]`` names the measure.

    Examples
    --------
    >>> df = most_active(example_graph(), "person")
    >>> df[["label", "events", "counterparts"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Wang Yi', 3, 2], ['Ali Akbar Ahmadian', 2, 1], ['Hossein Amir-Abdollahian', 1, 1]]
    >>> df.attrs["measure"]
    'events: distinct contact events the entity was a party to'
    """
    _check_top(top)
    by_node: dict[Any, list[Any]] = {}
    partners: dict[Any, set[Any]] = {}
    for e in _events(G):
        parties = {n for n in _parties(G, e) if G.nodes[n].get("kind") == kind}
        for n in parties:
            by_node.setdefault(n, []).append(e)
            partners.setdefault(n, set()).update(parties - {n})
    rows = []
    for n, events in by_node.items():
        dates = sorted(str(G.nodes[e]["date"]) for e in events if G.nodes[e].get("date"))
        rows.append({"id": n, "label": _label(G, n), "events": len(events), "counterparts": len(partners[n]),
                     "first": dates[0] if dates else None, "last": dates[-1] if dates else None,
                     "sources": len(G.nodes[n].get("sources") or [])})
    rows.sort(key=lambda r: (-r["events"], -r["counterparts"], str(r["label"])))
    df = _frame(rows[:top] if top is not None else rows,
                ["id", "label", "events", "counterparts", "first", "last", "sources"])
    df.attrs["measure"] = "events: distinct contact events the entity was a party to"
    return df


def _check_top(top: int | None) -> None:
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 0):
        raise ValueError(f"top must be an int >= 0 or None, got {top!r}")


#: The centrality measures :func:`central` computes, and what each one means.
MEASURES: dict[str, str] = {
    "degree": "number of distinct partners",
    "strength": "number of contacts (or statements), summed over partners",
    "betweenness": "share of shortest paths between others that pass through the entity (normalized)",
    "closeness": "inverse mean distance in steps to the entities it can reach",
    "eigenvector": "eigenvector centrality, weighted by the number of contacts",
}


def _network(G: nx.MultiDiGraph, kind: str) -> tuple[nx.Graph, str]:
    """The undirected, weighted network a ranking of `kind` is computed on, and its name."""
    N = nx.Graph()
    if kind in ("person", "country"):
        for e in _events(G):
            parties = sorted(_parties(G, e), key=str)
            if kind == "person":
                parties = [p for p in parties if G.nodes[p].get("kind") == "person"]
            else:  # states, and the parties that act for none, as in the country view
                parties = sorted({_rolled(G, p) for p in parties}, key=str)
            N.add_nodes_from(parties)
            for i, a in enumerate(parties):
                for b in parties[i + 1:]:
                    w = N.edges[a, b]["weight"] + 1 if N.has_edge(a, b) else 1
                    N.add_edge(a, b, weight=w)
        name = "people who met or called (one link per pair, weighted by contacts)" if kind == "person" else \
            "states in contact through their officials (the country view's contact edges)"
        return N, name
    for u, v, k, d in G.edges(keys=True, data=True):
        if d.get("relation", k) in _WEAK or u == v:
            continue
        w = float(d.get("weight") or 1)
        N.add_edge(u, v, weight=N.edges[u, v]["weight"] + w if N.has_edge(u, v) else w)
    return N, "every relation except co-mentions"


def central(
    G: nx.MultiDiGraph, kind: str = "country", *, measure: str = "degree", top: int | None = None
) -> pd.DataFrame:
    """Entities of one kind ranked by a centrality measure, the measure named in the output.

    People are ranked in the network of who met or called whom; states in the network of
    contacts between the states their officials act for (:func:`country_view`); other kinds in
    the network of every relation but co-mentions. Steps (betweenness, closeness) count one
    per link; ``strength`` and ``eigenvector`` weigh a link by its number of contacts.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    kind : str
        The kind of entity ranked.
    measure : str
        One of :data:`MEASURES`.
    top : int, optional
        Only the first `top` rows.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``label`` and a column named after the measure, highest first;
        ``df.attrs["measure"]`` and ``df.attrs["network"]`` say what was computed on what.

    Raises
    ------
    ValueError
        If `measure` is unknown.

    Examples
    --------
    >>> df = central(example_graph(), "person", measure="betweenness")
    >>> df.to_dict("records")[0]
    {'id': 'person:wang-yi', 'label': 'Wang Yi', 'betweenness': 1.0}
    >>> central(example_graph(), "country", measure="degree")[["label", "degree"]].values.tolist()
    [['China', 1], ['Iran', 1]]
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure: {measure!r}; expected one of {sorted(MEASURES)}")
    _check_top(top)
    N, network = _network(G, kind)
    if measure == "degree":
        scores: dict[Any, float] = dict(N.degree())
    elif measure == "strength":
        scores = dict(N.degree(weight="weight"))
    elif measure == "betweenness":
        scores = nx.betweenness_centrality(N)
    elif measure == "closeness":
        scores = nx.closeness_centrality(N)
    else:
        scores = nx.eigenvector_centrality(N, weight="weight", max_iter=1000) if N.number_of_edges() else {}
    rows = [{"id": n, "label": _label(G, n) if n in G else _country_label(str(n).split(":", 1)[1]),
             measure: scores.get(n, 0)}
            for n in N if (n in G and G.nodes[n].get("kind") == kind) or (kind == "country" and n not in G)]
    rows.sort(key=lambda r: (-r[measure], str(r["label"])))
    df = _frame(rows[:top] if top is not None else rows, ["id", "label", measure])
    df.attrs["measure"] = f"{measure}: {MEASURES[measure]}"
    df.attrs["network"] = network
    return df


# --------------------------------------------------------------------------------------------
# Connections


#: The cost of one co-mention hop in :func:`shortest_connection`: any path of real relations
#: shorter than this many steps is preferred.
_WEAK_COST = 1000.0


def shortest_connection(G: nx.MultiDiGraph, a: str, b: str, *, co_mentioned: bool = True) -> pd.DataFrame:
    """The shortest chain of edges linking two entities, with the evidence for each hop.

    Edges are followed in either direction. Real relations (contacts, roles, stances...) are
    preferred: a ``co_mentioned`` hop is taken only when no chain without one exists (then as
    few as possible), and the ``link`` column says which hops are mere co-mentions.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    a, b : str
        Node ids or aliases (see :func:`lookup`).
    co_mentioned : bool
        Allow co-mention hops at all.

    Returns
    -------
    pandas.DataFrame
        One row per hop: ``step``, ``from``, ``from_label``, ``relation``, ``to``, ``to_label``,
        ``direction`` (``forward`` when the edge runs from ``from`` to ``to`` in `G`),
        ``link`` (``relation`` or ``co-mention``), ``sources``, ``sentence`` (the first
        evidence sentence) and ``evidence``. ``df.attrs["co_mentioned"]`` is True when a hop
        is a co-mention. No rows when `a` and `b` are the same entity.

    Raises
    ------
    networkx.NetworkXNoPath
        If nothing links them.

    Examples
    --------
    >>> G = example_graph()
    >>> hops = shortest_connection(G, "Saudi Arabia", "Ahmadian")
    >>> hops[["from_label", "relation", "to_label", "direction", "link"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['Saudi Arabia', 'mediates', 'China', 'backward', 'relation'],
     ['China', 'supports', 'Iran', 'forward', 'relation'],
     ['Iran', 'acts_for', 'Ali Akbar Ahmadian', 'backward', 'relation']]
    """
    na, nb = lookup(G, a), lookup(G, b)
    columns = ["step", "from", "from_label", "relation", "to", "to_label", "direction", "link", "sources",
               "sentence", "evidence"]
    if na == nb:
        df = _frame([], columns)
        df.attrs["co_mentioned"] = False
        return df
    best: dict[frozenset[Any], tuple[float, float, Any, Any, Any]] = {}
    for u, v, k, d in G.edges(keys=True, data=True):
        if u == v:
            continue
        relation = d.get("relation", k)
        weak = relation in _WEAK
        if weak and not co_mentioned:
            continue
        cost = _WEAK_COST if weak else 1.0
        cand = (cost, -float(d.get("weight") or 0), u, v, k)
        pair = frozenset((u, v))
        if pair not in best or cand[:2] < best[pair][:2]:
            best[pair] = cand
    N = nx.Graph()
    N.add_nodes_from(G)
    for pair, cand in best.items():
        u, v = tuple(pair)
        N.add_edge(u, v, cost=cand[0])
    try:
        path = nx.dijkstra_path(N, na, nb, weight="cost")
    except nx.NetworkXNoPath:
        raise nx.NetworkXNoPath(
            f"nothing links {_label(G, na)!r} ({na}) to {_label(G, nb)!r} ({nb})"
            + ("" if co_mentioned else ", without co-mentions")
        ) from None
    rows = []
    for step, (x, y) in enumerate(zip(path, path[1:]), 1):
        _, _, u, v, k = best[frozenset((x, y))]
        d = G.edges[u, v, k]
        relation = d.get("relation", k)
        evidence = _clone(d.get("evidence") or [])
        rows.append({"step": step, "from": x, "from_label": _label(G, x), "relation": relation, "to": y,
                     "to_label": _label(G, y), "direction": "forward" if u == x else "backward",
                     "link": "co-mention" if relation in _WEAK else "relation",
                     "sources": list(d.get("sources") or []),
                     "sentence": evidence[0].get("sentence") if evidence and isinstance(evidence[0], dict) else None,
                     "evidence": evidence})
    df = _frame(rows, columns)
    df.attrs["co_mentioned"] = any(r["link"] == "co-mention" for r in rows)
    return df
