"""Stage 5: content areas (lĩnh vực) for a document and for each of its items.

``classify(rec)`` fills ``rec.areas`` (ranked ``{label, score}``) and the
``areas`` of every node of ``rec.items``.  The model (``models/areas.skops``,
built by ``vanban train``, described in ``models/areas.md``) is loaded on first
use, once per process, with skops' trusted types only; without it the areas
stay empty and a warning is logged once.

* **Document**: the block features of :mod:`.features` (title, issuer and
  parent, type, legal bases, cited documents, body) go through the calibrated
  one-vs-rest linear model; the best area is always given, further areas when
  their score reaches the threshold chosen on cross-validated data.
* **Items**: each item is scored from its own text and sub-items, mixed with
  the document's scores (``alpha · item + (1 − alpha) · document``: a short
  item says little on its own, and an item of a health plan is about health
  unless its words say otherwise); areas at or above the item threshold, at
  least the best one.
"""

from __future__ import annotations

from typing import Optional

import numpy as np
from pydantic import TypeAdapter

from ..record import Area, Item, Record
from .features import record_blocks
from .model import AreaModel, default_model

__all__ = ["classify", "AreaModel", "default_model", "MAX_AREAS"]

MAX_AREAS = 3
_AREA_LISTS = TypeAdapter(list[list[Area]])


def _ranked(labels: list[str], P: np.ndarray, threshold: float) -> list[list[Area]]:
    """For each row of ``P``: the best area, then up to ``MAX_AREAS - 1``
    further areas at or above ``threshold`` (one sort for all rows)."""
    order = np.argsort(-P, axis=1, kind="stable")[:, :MAX_AREAS]
    top = P[np.arange(len(P))[:, None], order]
    scores = np.round(top, 3).tolist()
    return _AREA_LISTS.validate_python(  # one validation call for all rows: a third cheaper than Area(...) each
        [[{"label": labels[k], "score": s} for i, (k, s, t) in enumerate(zip(o, sc, tp)) if i == 0 or t >= threshold]
         for o, sc, tp in zip(order.tolist(), scores, top.tolist())])


def _best(labels: list[str], p: list[float], threshold: float) -> list[Area]:
    """:func:`_ranked` for one row, in plain Python (cheaper for 27 numbers)."""
    order = sorted(range(len(p)), key=p.__getitem__, reverse=True)[:MAX_AREAS]
    return [Area(label=labels[k], score=round(p[k], 3)) for i, k in enumerate(order) if i == 0 or p[k] >= threshold]


def _walk(items: list[Item], out: list[Item]) -> list[Item]:
    for it in items:
        out.append(it)
        _walk(it.children, out)
    return out


def classify(rec: Record, model: Optional[AreaModel] = None) -> Record:
    """Fill ``rec.areas`` and the areas of every item; returns ``rec``.  Never
    raises: a failure leaves the areas empty with a warning in the record."""
    m = model if model is not None else default_model()
    if m is None or not rec.text or rec.text.isspace():  # no stripped copy of the text
        return rec
    try:
        return _classify(rec, m)
    except Exception as e:  # the parse must not fail because of its last stage
        rec.areas = []
        rec.warnings.append(f"no areas: classification failed ({type(e).__name__}: {e})")
        return rec


def _classify(rec: Record, m: AreaModel) -> Record:
    p, nnz = m.document_and_items(record_blocks(rec), rec.items)
    if nnz[0] == 0:
        rec.warnings.append("no areas: no word of the text is known to the area model")
        return rec
    rec.areas = _best(m.labels, p[0].tolist(), m.doc_threshold)
    nodes = _walk(rec.items, [])
    if nodes:
        mixed = m.item_alpha * p[1:]
        mixed += (1.0 - m.item_alpha) * p[0]
        for it, areas in zip(nodes, _ranked(m.labels, mixed, m.item_threshold)):
            it.areas = areas
    return rec
