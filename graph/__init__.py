"""Assemble, query and export the knowledge graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graph.build import Build, assemble, build
from graph.notebook import show
from graph.export import (
    read_json,
    to_csv_tables,
    to_gexf_graph,
    to_graphml_graph,
    to_json_data,
    write_csv,
    write_gexf,
    write_graphml,
    write_json,
)

if TYPE_CHECKING:
    from graph.query import (
        AmbiguousEntityError,
        EntityNotFoundError,
        central,
        contact_history,
        country_contacts,
        country_view,
        edges_frame,
        ego_network,
        events_frame,
        load,
        lookup,
        most_active,
        nodes_frame,
        shortest_connection,
        state_of,
        statements,
        time_slice,
        timeline,
    )
    from graph.render import render_html, write_html

__all__ = [
    "Build",
    "assemble",
    "build",
    "read_json",
    "render_html",
    "show",
    "to_csv_tables",
    "to_gexf_graph",
    "to_graphml_graph",
    "to_json_data",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_html",
    "write_json",
]

_LAZY = {"render_html": "graph.render", "write_html": "graph.render"}

# graph.query imports pandas: also loaded on first use.
_QUERY = [
    "AmbiguousEntityError",
    "EntityNotFoundError",
    "central",
    "contact_history",
    "country_contacts",
    "country_view",
    "edges_frame",
    "ego_network",
    "events_frame",
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
__all__ += _QUERY
_LAZY.update(dict.fromkeys(_QUERY, "graph.query"))


def __getattr__(name: str) -> Any:
    # graph.render imports pyvis (and IPython): load it on first use only.
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
