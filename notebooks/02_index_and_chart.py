# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Index an archive and chart it
#
# Index a folder into a SQLite archive (`vanban index` does the same), then
# chart the documents per year, issuer, type and subject area, and draw the
# citation graph: which document cites or implements which.
#
# `VANBAN_CORPUS` is the folder to index (default: the bundled sample corpus),
# `VANBAN_DB` the archive file (default: a temporary file).  Indexing is
# incremental: run it again and only new or changed files are parsed.

# %%
import os
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import networkx as nx
import pandas as pd

from pipeline.store import Archive, index

CORPUS = Path(os.environ.get("VANBAN_CORPUS", "../corpus/sample"))
DB = Path(os.environ.get("VANBAN_DB") or Path(tempfile.mkdtemp()) / "archive.sqlite")
stats = index([CORPUS], DB)
print(stats.to_dict())

# %%
archive = Archive(DB)
docs = archive.documents(with_record=True)
docs["province_2025"] = docs["record"].map(lambda r: r.get("province_2025"))
assert len(docs) == stats.files
docs[["path", "doc_type", "number", "date", "issuer", "province_2025"]].head()

# %% [markdown]
# ## Documents per year, issuer, type and area

# %%
areas = archive.areas()
doc_areas = areas[areas["item_ord"].isna()] if len(areas) else areas

fig, axes = plt.subplots(2, 2, figsize=(12, 8))
docs["year"].value_counts().sort_index().plot.bar(ax=axes[0, 0], title="documents per year", color="#2a9d8f")
issuer = docs["issuer_parent"].fillna(docs["issuer"]).fillna("(unknown)").str.slice(0, 40)
issuer.value_counts().head(10).sort_values().plot.barh(ax=axes[0, 1], title="per issuer (top 10)", color="#e9c46a")
docs["doc_type"].fillna("(unknown)").value_counts().sort_values().plot.barh(
    ax=axes[1, 0], title="per document type", color="#f4a261")
if len(doc_areas):
    doc_areas["label"].value_counts().sort_values().plot.barh(ax=axes[1, 1], title="per subject area",
                                                              color="#e76f51")
else:
    axes[1, 1].set_title("per subject area")
    axes[1, 1].text(0.5, 0.5, "no areas in this archive\n(no area classifier has run)",
                    ha="center", va="center")
    axes[1, 1].set_axis_off()
fig.tight_layout()
plt.show()

# %% [markdown]
# Grouped by province across the 2025 merger (`province_2025`):

# %%
ax = docs["province_2025"].fillna("(unknown)").value_counts().sort_values().plot.barh(
    figsize=(6, 4), title="documents per province (2025 units)", color="#8ecae6")
plt.show()

# %% [markdown]
# ## The citation graph
# An edge goes from a document to each document it cites; `basis_kind` tells
# a legal basis (`căn cứ`) from an implementation (`thực hiện`).  A cited
# document that is in the archive is joined to its own node (`target_id`);
# the others are shown by their number or name.

# %%
refs = archive.references()
label = {row.id: row.number or Path(row.path).name for row in docs.itertuples()}
G = nx.DiGraph()
for doc_id, name in label.items():
    G.add_node(name, in_archive=True)
for r in refs.itertuples():
    target = label.get(r.target_id) if pd.notna(r.target_id) else (r.number if pd.notna(r.number) else r.name)
    if not isinstance(target, str) or not target:
        continue
    G.add_node(target, in_archive=G.nodes[target]["in_archive"] if target in G else False)
    kind = r.basis_kind if isinstance(r.basis_kind, str) else "cites"
    G.add_edge(label[r.doc_id], target, kind=kind)
print(G.number_of_nodes(), "nodes,", G.number_of_edges(), "edges")

# %%
most_cited = sorted(G.in_degree(), key=lambda x: -x[1])[:10]
pd.DataFrame(most_cited, columns=["document", "cited by"])

# %%
fig, ax = plt.subplots(figsize=(12, 9))
pos = nx.spring_layout(G, seed=1, k=0.6)
colors = ["#264653" if G.nodes[n]["in_archive"] else "#e9c46a" for n in G]
edge_colors = ["#2a9d8f" if G.edges[e]["kind"] == "thực hiện" else "#999999" for e in G.edges]
nx.draw_networkx_nodes(G, pos, node_color=colors, node_size=80, ax=ax)
nx.draw_networkx_edges(G, pos, edge_color=edge_colors, arrows=True, arrowsize=8, width=0.8, ax=ax)
nx.draw_networkx_labels(G, pos, labels={n: n for n in G if G.nodes[n]["in_archive"]}, font_size=7, ax=ax)
ax.set_title("citation graph: archive documents (dark) → cited documents (yellow); green = thực hiện")
ax.set_axis_off()
plt.show()

# %%
archive.close()
