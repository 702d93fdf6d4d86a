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
# # Retrain the area classifier on your own labels
#
# vanban ships an area model (`models/areas.skops`, see `models/areas.md`)
# trained on portal labels.  A research project often labels its archive
# differently.  This notebook fits a model of the same kind (TF-IDF blocks
# built from the parsed record — title, issuer, legal bases, cited
# documents, body — and one linear SVM per area, with a Platt sigmoid) on
# **your** labels, compares it with the shipped model on your documents,
# saves it with skops and loads it back with the trusted-types check.
#
# Set `VANBAN_LABELS` to a JSON Lines file of `{"path": …, "areas": [...]}`
# (paths relative to the file); by default the notebook uses a few labels
# written below for the bundled sample corpus.

# %%
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import pipeline
from pipeline.classify import classify
from pipeline.classify.model import AreaModel, default_model, load
from pipeline.classify.train import Config, document_examples, fit_linear, fit_platt, label_matrix, sigmoid

base = default_model()
labels = base.labels  # the taxonomy travels with the model
print(f"shipped model: {len(labels)} areas, trained {base.meta.get('trained')}")

# %% [markdown]
# ## Your labels
# A researcher of agriculture and health files the livestock vaccination
# notice under *Lĩnh vực khác* (agriculture has no area of its own in the
# taxonomy) rather than health, and the meeting on dengue fever under
# health; the rest keep the areas they would give them.

# %%
if os.environ.get("VANBAN_LABELS"):
    src = Path(os.environ["VANBAN_LABELS"])
    rows = [json.loads(x) for x in src.read_text(encoding="utf-8").splitlines() if x.strip()]
    mine = [(src.parent / r["path"], r["areas"]) for r in rows]
else:
    sample = Path("../corpus/sample")
    mine = [(sample / name, areas) for name, areas in [
        ("sample-01-quyet-dinh.txt", ["Bất động sản", "Tài nguyên - Môi trường"]),
        ("sample-02-cong-van.txt", ["Giáo dục"]),
        ("sample-03-ke-hoach-flattened.txt", ["Công nghệ thông tin"]),
        ("sample-04-thong-bao-khong-dau.txt", ["Lĩnh vực khác"]),
        ("sample-05-nghi-quyet-dang.txt", ["Văn hóa - Xã hội"]),
        ("sample-06-ke-hoach-lien-tich.txt", ["Giáo dục", "Văn hóa - Xã hội"]),
        ("sample-07-quyet-dinh.md", ["Tài chính nhà nước"]),
        ("sample-08-to-trinh-du-thao.txt", ["Thuế - Phí - Lệ phí"]),
        ("sample-09-thong-tu.txt", ["Giáo dục"]),
        ("sample-10-bao-cao.txt", ["Lao động - Tiền lương"]),
        ("sample-11-thong-bao.txt", ["Thương mại"]),
        ("sample-12-nghi-quyet-hdnd.txt", ["Bảo hiểm", "Thể thao - Y tế"]),
        ("sample-13-giay-moi.txt", ["Thể thao - Y tế"]),
        ("sample-14-huong-dan.txt", ["Thể thao - Y tế", "Văn hóa - Xã hội"]),
        ("sample-15-thong-bao-truong.txt", ["Giáo dục"]),
    ]]
unknown = sorted({a for _, areas in mine for a in areas} - set(labels))
assert not unknown, f"areas outside the taxonomy: {unknown}"
rows = [{"text": p.read_text(encoding="utf-8"), "areas": areas, "id": p.name} for p, areas in mine]
print(f"{len(rows)} labelled documents")

# %% [markdown]
# ## Fit
# Features come from the parsed record, exactly as for the shipped model.
# With a handful of documents every word counts (`min_df=1`); the sigmoid
# is fitted on the training scores, so the scores are only indicative.

# %%
examples = document_examples(rows, "mine")
Y = label_matrix(examples, labels)
cfg = Config(min_df=1)
fz, coef, intercept = fit_linear(examples, Y, np.ones(len(examples)), cfg, labels)
S = np.asarray(fz.matrix([e.blocks for e in examples]) @ coef) + intercept
a, b = fit_platt(S, Y)
model = AreaModel(labels=labels, featurizer=fz, coef=coef, intercept=intercept,
                  platt_a=np.full(len(labels), a), platt_b=np.full(len(labels), b),
                  doc_threshold=base.doc_threshold, item_alpha=base.item_alpha,
                  item_threshold=base.item_threshold,
                  meta={"trained": "notebook 03", "n_train": len(examples), "config": {"min_df": 1}})
print(f"{fz.n_features} features; training-set top-1 "
      f"{np.mean([labels[i] == r['areas'][0] for i, r in zip(sigmoid(S, a, b).argmax(1), rows)]):.2f}")

# %% [markdown]
# ## Shipped model and yours, side by side

# %%
table = []
for p, areas in mine:
    shipped = pipeline.parse(p)  # classified with the shipped model
    ours = classify(pipeline.parse(p), model)
    table.append({"document": p.name, "your label": areas[0],
                  "shipped model": shipped.areas[0].label if shipped.areas else None,
                  "your model": ours.areas[0].label if ours.areas else None})
comparison = pd.DataFrame(table)
comparison

# %%
agree = {c: float((comparison[c] == comparison["your label"]).mean()) for c in ("shipped model", "your model")}
print("agreement with your first label:", {k: round(v, 2) for k, v in agree.items()})

# %% [markdown]
# ## Save with skops, load it back
# `load` checks every type in the file against vanban's explicit trusted
# list before skops builds anything; a file holding other objects is refused.

# %%
out = Path(tempfile.mkdtemp()) / "my-areas.skops"
model.save(out)
again = load(out)
rec = classify(pipeline.parse(mine[3][0]), again)
print(out.name, f"{out.stat().st_size / 1e6:.1f} MB;", mine[3][0].name, "→", [(x.label, x.score) for x in rec.areas])
