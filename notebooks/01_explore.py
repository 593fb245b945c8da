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
# # Exploring the sample corpus
#
# This notebook builds the knowledge graph of the sample articles that ship with diplograph,
# looks at who is most connected, shows the interactive view and exports the graph to GraphML.
# It holds no logic of its own: every step calls the `sources` and `graph` packages, so what
# you see here is what `diplograph build` produces.
#
# The `.py` file is the one to edit and review; the `.ipynb` beside it is generated from it
# (`make notebooks`) and stored without outputs.

# %%
import json
from pathlib import Path

import networkx as nx
import pandas as pd

from graph import build
from graph.export import write_graphml
from graph.notebook import show
from sources.samples import sample_corpus

# Outputs go under the repository's out/, wherever the notebook is run from.
ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").exists())

# %% [markdown]
# ## Build the graph
#
# `build` reads the articles, runs the extraction pipeline on each one and assembles a single
# `networkx.MultiDiGraph`. Without `out=` it writes no files. The summary says what was read
# and skipped, which model extracted the documents and how many nodes of each kind came out.

# %%
result = build([sample_corpus()], progress=False)
G = result.graph
print(result.summary())

# %% [markdown]
# ## The most connected entities, by kind
#
# Every node carries a `kind` (person, country, organization, …) and a display `label`. The
# degree counts every edge at a node, in either direction. Events are the contacts themselves
# rather than entities, so they are left out here; the three best connected of each kind remain.

# %%
degree = pd.DataFrame(
    [
        {"id": node, "label": G.nodes[node]["label"], "kind": G.nodes[node]["kind"], "degree": d}
        for node, d in G.degree()
    ]
).set_index("id")
entities = degree[degree["kind"] != "event"].sort_values(["kind", "degree"], ascending=[True, False])
entities.groupby("kind").head(3)

# %% [markdown]
# ## One official
#
# A person node keeps every title the articles gave them, the state they act for (`country`,
# ISO 3166 alpha-3) and the ids of the documents that mention them. Here: the most connected
# person.

# %%
official = degree[degree["kind"] == "person"]["degree"].idxmax()
attrs = G.nodes[official]
pd.Series(
    {
        "id": official,
        "label": attrs["label"],
        "country": attrs.get("country"),
        "titles": attrs["titles"],
        "aliases": attrs["aliases"],
        "sources": attrs["sources"],
    }
)

# %% [markdown]
# ## The interactive view
#
# The same page as `graph.html`, shown inline. It runs in a frame of its own and needs no
# network, so it works in JupyterLab and VS Code alike.

# %%
show(G)

# %% [markdown]
# ## Export to GraphML
#
# GraphML holds only scalar values, so list attributes such as `titles` and `sources` are
# stored as JSON arrays in strings: decode them with `json.loads` after reading the file back
# (networkx, igraph, Gephi and Cytoscape all read it).

# %%
path = ROOT / "out" / "notebook" / "graph.graphml"
path.parent.mkdir(parents=True, exist_ok=True)
write_graphml(G, path)
back = nx.read_graphml(path)
print(path.relative_to(ROOT), back.number_of_nodes(), "nodes")
json.loads(back.nodes[official]["titles"])
