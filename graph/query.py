"""Read-only questions to the graph: tables, timelines, contact histories, the country view.

Every function takes the graph that :func:`graph.build` makes (or :func:`load` reads back) and
never modifies it; a function that returns a graph returns a new one. Every argument that names
an entity takes its node id or any of its aliases, in any case (see :func:`lookup`).

The examples run on :func:`example_graph`, a hand-made graph of the same shape.
"""
from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

import networkx as nx
import pandas as pd

__all__ = [
    "AmbiguousEntityError",
    "EntityNotFoundError",
    "ROLLED_RELATIONS",
    "country_contacts",
    "country_view",
    "edges_frame",
    "events_frame",
    "example_graph",
    "load",
    "lookup",
    "nodes_frame",
    "state_of",
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
        if kind is not None and data.get("kind") != kind:
            continue
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


def _ordered(rows: list[dict[str, Any]], first: list[str], always: list[str]) -> pd.DataFrame:
    keys: dict[str, None] = {}
    for row in rows:
        keys.update(dict.fromkeys(row))
    columns = [c for c in first if c in keys or c in always]
    columns += sorted(k for k in keys if k not in columns)
    return pd.DataFrame(rows, columns=columns)


def nodes_frame(G: nx.MultiDiGraph) -> pd.DataFrame:
    """One row per node with every attribute: kind, label, aliases, sources, and so on.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.

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
    >>> df.set_index("id").loc["person:wang-yi", ["kind", "country", "source_count"]].tolist()
    ['person', 'CHN', 3]
    """
    rows = []
    for n, data in G.nodes(data=True):
        row = {"id": n, **_copy(data)}
        if isinstance(data.get("sources"), list):
            row["source_count"] = len(data["sources"])
        rows.append(row)
    df = _ordered(rows, _NODE_FIRST, ["id", "kind", "label"])
    return df.astype(object).where(df.notna(), None)


_EDGE_FIRST = ["source", "source_label", "relation", "target", "target_label", "key", "weight",
               "confidence", "dates", "sources", "evidence"]


def edges_frame(G: nx.MultiDiGraph, *, relations: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per edge with its provenance: relation, weight, dates, sources, evidence.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph; it is not modified.
    relations : iterable of str, optional
        Only edges of these relations (``supports``, ``participant``...).

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
    wanted = _relations(relations)
    rows = []
    for u, v, k, data in G.edges(keys=True, data=True):
        relation = data.get("relation", k)
        if wanted is not None and relation not in wanted:
            continue
        rows.append({"source": u, "source_label": _label(G, u), "relation": relation, "target": v,
                     "target_label": _label(G, v), "key": k, **_copy(data)})
    df = _ordered(rows, _EDGE_FIRST, ["source", "source_label", "relation", "target", "target_label", "key"])
    return df.astype(object).where(df.notna(), None)


def _relations(relations: Iterable[str] | None) -> frozenset[str] | None:
    if relations is None:
        return None
    if isinstance(relations, str):
        return frozenset({relations})
    return frozenset(relations)


def _copy(data: Mapping[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(dict(data))


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
            "evidence": _copy({"e": d.get("evidence") or []})["e"],
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


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    return df.astype(object).where(df.notna(), None)


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


def _event_sides(G: nx.MultiDiGraph, e: Any) -> set[Any]:
    """The parties of an event, rolled up: participants, the host and the initiator."""
    parties = [u for u, _, k, d in G.in_edges(e, keys=True, data=True) if d.get("relation", k) == "participant"]
    for attr in ("host", "initiator"):
        n = G.nodes[e].get(attr)
        if n is not None and n in G and G.nodes[n].get("kind") in ("person", "country"):
            parties.append(n)
    return {_rolled(G, p) for p in parties}


def _union(*lists: Iterable[Any]) -> list[Any]:
    return sorted({x for xs in lists for x in xs}, key=str)


def _add_evidence(target: list[Any], items: Iterable[Any]) -> None:
    for item in items:
        if len(target) >= _MAX_EVIDENCE:
            return
        if item not in target:
            target.append(_copy({"i": item})["i"])


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

    for e in _events(G):
        sides = sorted(_event_sides(G, e), key=str)
        ev = G.nodes[e]
        participants = sorted(
            (u for u, _, k, d in G.in_edges(e, keys=True, data=True) if d.get("relation", k) == "participant"), key=str
        )
        discussed = [v for _, v, k, d in G.out_edges(e, keys=True, data=True) if d.get("relation", k) == "discussed"]
        for i, a in enumerate(sides):
            for b in sides[i + 1:]:
                ensure(a)
                ensure(b)
                if not H.has_edge(a, b, "contact"):
                    H.add_edge(a, b, key="contact", relation="contact", symmetric=True, weight=0, years={},
                               undated=0, events=[], event_types={}, dates=[], people=[], discussed=[],
                               sources=[], evidence=[])
                c = H.edges[a, b, "contact"]
                c["weight"] += 1
                date = ev.get("date")
                if date:
                    year = str(date)[:4]
                    c["years"][year] = c["years"].get(year, 0) + 1
                    c["dates"] = _union(c["dates"], [date])
                else:
                    c["undated"] += 1
                c["events"].append(e)
                etype = str(ev.get("event_type"))
                c["event_types"][etype] = c["event_types"].get(etype, 0) + 1
                c["people"] = _union(c["people"], participants)
                c["discussed"] = _union(c["discussed"], discussed)
                c["sources"] = _union(c["sources"], ev.get("sources") or [])
                _add_evidence(c["evidence"], ev.get("evidence") or [])

    for u, v, k, d in G.edges(keys=True, data=True):
        relation = d.get("relation", k)
        if relation not in ROLLED_RELATIONS or G.nodes[u].get("kind") == "event" or G.nodes[v].get("kind") == "event":
            continue
        a, b = _rolled(G, u), _rolled(G, v)
        if a == b:
            continue
        ensure(a)
        ensure(b)
        if not H.has_edge(a, b, relation):
            H.add_edge(a, b, key=relation, relation=relation, weight=0, confidence=0.0, sources=[], dates=[],
                       evidence=[], rolled_from=[])
        r = H.edges[a, b, relation]
        r["weight"] += d.get("weight") or 1
        r["confidence"] = max(float(r["confidence"]), float(d.get("confidence") or 0.0))
        r["sources"] = _union(r["sources"], d.get("sources") or [])
        r["dates"] = _union(r["dates"], d.get("dates") or [])
        _add_evidence(r["evidence"], d.get("evidence") or [])
        r["rolled_from"].append([u, v])
        for attr in ("partnership_type", "methods"):
            if attr in d:
                r[attr] = _union(r.get(attr) or [], [d[attr]] if isinstance(d[attr], str) else d[attr])
    for _, _, d in H.edges(data=True):
        if "years" in d:
            d["years"] = dict(sorted(d["years"].items()))
        if "partnership_type" in d:  # one name, the most specific, as in the main graph
            d["partnership_type"] = max(d["partnership_type"], key=len)
    return H


def _country_label(iso3: str) -> str:
    from extract.countries import country_by_iso3

    country = country_by_iso3(iso3)
    return country.label if country else iso3


def _view(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return G if G.graph.get("view") == "country" else country_view(G)


def country_contacts(G: nx.MultiDiGraph) -> pd.DataFrame:
    """Contacts per pair of states and per year, from :func:`country_view`.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        The graph (or its country view); it is not modified.

    Returns
    -------
    pandas.DataFrame
        Columns ``pair`` (``"China – Iran"``), ``a``, ``b`` (node ids, in sorted order),
        ``year`` (an int, or None for undated events), ``count`` (distinct events) and
        ``events`` (their ids); sorted by pair and year. A party that acts for no known state
        stays as itself (a person or an organization).

    Examples
    --------
    >>> country_contacts(example_graph())[["pair", "year", "count"]].values.tolist()
    [['China – Iran', 2023, 2], ['China – Iran', 2024, 1]]
    """
    V = _view(G)
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
