# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exporting the graph: igraph, Gephi, spreadsheets
#
# `diplograph build` writes the graph in several formats besides its own `graph.json`:
#
# | file | open it with |
# |---|---|
# | `graph.graphml` | igraph, networkx, Cytoscape, Gephi |
# | `graph.gexf` | Gephi, with a timeline of the contacts |
# | `nodes.csv`, `edges.csv`, `events.csv` | a spreadsheet, pandas, R |
#
# This notebook builds the sample corpus, writes each format with the same functions the build
# uses and reads each one back with a reader of its own. Like every notebook here it holds no
# logic: it calls `graph.export`.

# %%
import json
import time
from pathlib import Path

import igraph as ig
import networkx as nx
import pandas as pd

from graph import build
from graph.export import write_csv, write_gexf, write_graphml
from sources.samples import sample_corpus

# Outputs go under the repository's out/, wherever the notebook is run from.
ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").exists())
OUT = ROOT / "out" / "notebook-export"
OUT.mkdir(parents=True, exist_ok=True)

# %% [markdown]
# ## Build the graph
#
# Reading, extraction with the spaCy model and assembly, timed from the call to its return
# (loading the model included). Without `out=` nothing is written yet.

# %%
start = time.perf_counter()
result = build([sample_corpus()], progress=False)
print(f"built in {time.perf_counter() - start:.1f} s")
G = result.graph
print(result.summary())

# %% [markdown]
# ## GraphML into igraph
#
# GraphML holds only scalars, so lists (`aliases`, `sources`, `titles`, …) are JSON arrays in
# strings and `None` is left out. igraph keeps the node id in the `id` attribute and the
# attributes under their own names.

# %%
graphml = write_graphml(G, OUT / "graph.graphml")
g = ig.Graph.Read_GraphML(str(graphml))
print(graphml.relative_to(ROOT), g.vcount(), "vertices,", g.ecount(), "edges, directed:", g.is_directed())

# %% [markdown]
# Two measures on the contacts and statements, leaving out `co_mentioned` (two names in one
# sentence, for exploring only): the degree, and PageRank over the directed edges (which
# favours where edges end: the places events were held in, the states people act for).

# %%
relations = g.subgraph_edges(g.es.select(relation_ne="co_mentioned"), delete_vertices=True)
measures = pd.DataFrame(
    {
        "label": relations.vs["label"],
        "kind": relations.vs["kind"],
        "degree": relations.degree(),
        "pagerank": relations.pagerank(directed=True),
    },
    index=relations.vs["id"],
)
measures.sort_values(["degree", "pagerank"], ascending=False).head(8).round(4)

# %% [markdown]
# The best connected person, with the list attributes decoded from their JSON strings:

# %%
person = g.vs.find(id=measures[measures["kind"] == "person"]["degree"].idxmax())
person["label"], json.loads(person["titles"]), json.loads(person["sources"])

# %% [markdown]
# ## GEXF for Gephi
#
# The GEXF file is dynamic: each event node lasts its `date` (a day, or the whole month when
# only the month is known), `participant`, `held_in` and `discussed` edges last as long as
# their event, and statement edges (`supports`, `partnership`, …) as long as the dates they
# were stated on. Undated entities have no interval and stay on screen throughout.
#
# In Gephi: *File → Open…* `graph.gexf` (the import report says "Dynamic graph"), then
# *Window → Timeline* and *Enable timeline*; drag the window's edges to choose a span and
# press play to watch the contacts appear. Attributes (`kind`, `event_type`, `sources`, …)
# are in the *Data Laboratory* for filtering and colouring.

# %%
gexf = write_gexf(G, OUT / "graph.gexf")
back = nx.read_gexf(gexf)
print(gexf.relative_to(ROOT), back.number_of_nodes(), "nodes,", back.number_of_edges(), "edges, mode:", back.graph["mode"])
pd.DataFrame(
    [
        {"event": d["label"], "date": d.get("date"), "start": d.get("start"), "end": d.get("end")}
        for _, d in back.nodes(data=True)
        if d.get("kind") == "event"
    ]
).sort_values("start", na_position="last").head(8)

# %% [markdown]
# ## CSV for spreadsheets
#
# Three tables: one row per node, per edge and per event. The files are UTF-8 with a byte
# order mark so that Excel shows accents, lists of names and ids are joined with `"; "`,
# evidence is JSON, and a text that a spreadsheet would run as a formula (it starts with `=`,
# `+`, `-` or `@`) gets a `'` in front. Read them with `encoding="utf-8-sig"`; `dtype=str`
# keeps codes such as CAMEO's `040` as text.

# %%
tables = write_csv(G, OUT)
for name, path in tables.items():
    print(path.relative_to(ROOT), len(pd.read_csv(path, encoding="utf-8-sig")), "rows")
events = pd.read_csv(tables["events"], encoding="utf-8-sig", dtype=str, keep_default_na=False)
events[["date", "event_type", "participant_labels", "countries", "cameo", "source_count"]].head(8)

# %%
# A "; "-joined cell back to a list
events["countries"].str.split("; ").head(3).tolist()
