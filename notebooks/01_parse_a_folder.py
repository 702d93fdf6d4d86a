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
# # Parse a folder and explore the records as a DataFrame
#
# Parse every document of a folder with vanban and look at the records with
# pandas: one row per document, the list fields (references, signers…) as
# their own tables, the warnings, the provenance, and place names grouped
# across the 2025 province merger (`province_2025`).
#
# Set `VANBAN_CORPUS` to your own folder; by default the notebook reads the
# sample corpus bundled with vanban.

# %%
import os
from pathlib import Path

import pandas as pd

import pipeline

CORPUS = Path(os.environ.get("VANBAN_CORPUS", "../corpus/sample"))
paths = sorted(p for p in CORPUS.rglob("*") if p.is_file() and not p.name.startswith("."))
records = list(pipeline.parse_many(paths))  # never raises: a bad file gives a record with a warning
print(f"{len(records)} documents from {CORPUS}")

# %% [markdown]
# ## One row per document
# `to_dict()` leaves the text out; nested values become dotted columns.

# %%
df = pd.json_normalize([r.to_dict() for r in records])
df["file"] = [Path(p).name for p in df["path"]]
assert len(df) == len(paths)
df[["file", "doc_type", "number", "date", "place", "province_2025", "issuer", "title"]]

# %%
df["doc_type"].value_counts()

# %% [markdown]
# ## Dates and places
# `place` is kept exactly as printed; `province_2025` is the provincial unit
# it belongs to from 1 July 2025 (Hòa Bình → Phú Thọ), so documents group
# across the merger.

# %%
df["year"] = pd.to_datetime(df["date"], errors="coerce").dt.year
df.groupby(["province_2025", "place"], dropna=False).size().rename("documents").reset_index()

# %%
from pipeline.extract.province import issuer_2025

df[["issuer_parent", "issuer"]].assign(
    issuer_parent_2025=df["issuer_parent"].map(issuer_2025),
    issuer_2025=df["issuer"].map(issuer_2025))

# %% [markdown]
# ## List fields as their own tables

# %%
dicts = [r.to_dict() for r in records]
refs = pd.json_normalize(dicts, record_path="references", meta=["path", "number"], meta_prefix="doc_")
refs[["doc_number", "doc_type", "number", "date", "issuer", "name"]].head(20)

# %%
signers = pd.json_normalize(dicts, record_path="signers", meta=["path", "number"], meta_prefix="doc_")
signers[["doc_number", "authority", "on_behalf_of", "title", "name"]]

# %%
main_items = pd.DataFrame([{"number": r.number, "label": it.label, "text": it.text[:100]}
                           for r in records for it in r.main_items()])
main_items.groupby("number").size().rename("main items")

# %% [markdown]
# ## Warnings: what departs from Decree 30 or could not be found

# %%
warnings = pd.DataFrame([{"file": Path(r.path).name, "code": c} for r in records for c in r.warning_codes()])
warnings["code"].value_counts() if len(warnings) else "no warnings"

# %% [markdown]
# ## Provenance: where each value came from, and how sure the parser is

# %%
prov = pd.DataFrame([{"file": Path(r.path).name, "field": f, "method": p.method, "confidence": p.confidence}
                     for r in records for f, p in r.provenance.items()])
prov.pivot_table(index="field", values="confidence", aggfunc=["count", "mean", "min"]).round(2)

# %% [markdown]
# ## What the parser saw in one document
# The spaCy view: every located value as a labelled span.  `vanban view FILE
# --html out.html` draws the same spans beside the record.

# %%
from pipeline.spacy_component import doc_from_record

doc = doc_from_record(records[0])
pd.DataFrame([(s.label_, s.id_, s.text[:70]) for s in doc.spans["vanban"]], columns=["label", "field", "text"]).head(15)
