"""Second stage of the area model: re-rank the best area with what the record
says of its field in so many words.

The linear model (:mod:`.model`) reads n-grams; three things a reader of an
administrative document uses are better read as rules of the domain:

* the field named in the title — ``… thủ tục hành chính *lĩnh vực đất đai*
  thuộc …``, ``… trong *ngành* y tế``: the words after ``lĩnh vực`` / ``ngành``;
* the laws cited as legal bases — ``Căn cứ *Luật Đất đai* ngày …`` means land;
* whether the document announces or organises administrative procedures
  (``thủ tục hành chính``): the portals file such a document under the field
  it names when that field is one of the economic ones (đất đai, đấu thầu,
  xuất nhập khẩu, chứng thực, bảo hiểm, việc làm…), and under *Bộ máy hành
  chính* when it is a sector of state management (môi trường, khoáng sản,
  văn hóa, y tế, giáo dục, khoa học…).  Which fields go which way is learnt
  (one weight per area), not written down.

Field and law names are mapped to areas with the hand-written keyword lists of
``keywords.yaml`` (the keyword baseline's, not tuned on the training data).
For every area ``k`` a few numbers are formed — its linear score, its gap to
the best linear score, its keyword hits in the named field and in the cited
law names, whether it is the named field's best area, a per-area prior, and
per area "the title is about administrative procedures and names field k" —
and one logistic regression with weights shared by all areas (trained in
:mod:`.train` on out-of-fold linear scores; a conditional, "which area is the
first one" model) scores them.  Its best area becomes the document's best
area: at inference only the order of the best area changes (its raw linear
score is raised to the best one), so thresholds, further areas and the items
keep the linear model's calibrated scores.  The weights travel in the model
file's metadata (``meta["stack"]``: a list of floats, trusted types) and
:func:`reranked` wraps ``AreaModel.document_and_items``; a model file without
them is used as before.

Hand-written rather than a scikit-learn estimator at inference: the stage is
27 dot products of a handful of numbers, and must cost well under 0.05 ms;
the weights are fitted with scikit-learn's ``LogisticRegression``.
"""

from __future__ import annotations

import functools
import math
import re
from functools import lru_cache
from typing import Optional, Sequence

import numpy as np

from .features import tokens

# The words after "lĩnh vực" / "ngành" in a title, up to where the field's
# name usually ends.
FIELD = re.compile(r"(?:lĩnh vực|ngành)\s+(.{3,80}?)(?=\s+(?:thuộc|của|tại|trên|được|thực hiện|đối với)\b|[;,.(]|$)",
                   re.I)
# A law (Bộ luật, Luật, Pháp lệnh) cited in the legal bases: its name, up to its
# number, date or year.
LAW = re.compile(r"(?:Bộ luật|Luật|Pháp lệnh)\s+([^\s;,].{2,60}?)(?=\s+(?:số|ngày|năm)\b|[;,(]|$)", re.M)
TTHC = re.compile(r"thủ tục hành chính|\btthc\b", re.I)

FEATURES = ("score", "gap", "field_hits", "field_best", "law_hits")  # then prior[k], tthc_field[k]


@lru_cache(maxsize=4)
def _keyword_table(labels: tuple[str, ...]) -> tuple[dict[str, list[int]], frozenset[str]]:
    """Keyword (normalised syllables joined by spaces) → the areas it names,
    and the proper prefixes of the keywords (where a longer match may go on)."""
    from .baselines import keywords
    table: dict[str, list[int]] = {}
    for k, lab in enumerate(labels):
        for kw in keywords().get(lab, []):
            table.setdefault(kw, []).append(k)
    prefixes = {" ".join(kw.split()[:n]) for kw in table for n in range(1, len(kw.split()))}
    return table, frozenset(prefixes)


def keyword_hits(text: str, labels: Sequence[str]) -> dict[int, int]:
    """Area index → number of keyword occurrences in ``text``: from every
    syllable, the n-grams starting there are looked up while they are the
    beginning of some keyword."""
    toks = tokens(text)
    if not toks:
        return {}
    table, prefixes = _keyword_table(tuple(labels))
    out: dict[int, int] = {}
    n = len(toks)
    for i in range(n):
        key = toks[i]
        j = i + 1
        while True:
            for k in table.get(key, ()):
                out[k] = out.get(k, 0) + 1
            if j >= n or key not in prefixes:
                break
            key = key + " " + toks[j]
            j += 1
    return out


_NAME_HITS: dict[tuple, dict[int, int]] = {}


def _name_hits(names: list[str], labels: Sequence[str]) -> dict[int, int]:
    """Keyword hits summed over short names (a field, a law), each name's hits
    remembered: the same laws are cited again and again."""
    out: dict[int, int] = {}
    for name in names:
        key = (name, len(labels), labels[0])
        h = _NAME_HITS.get(key)
        if h is None:
            h = keyword_hits(name, labels)
            if len(_NAME_HITS) < 100_000:
                _NAME_HITS[key] = h
        for k, c in h.items():
            out[k] = out.get(k, 0) + c
    return out


def cues(blocks: dict, labels: Sequence[str]) -> tuple[dict[int, int], dict[int, int], bool]:
    """(keyword hits of the field named in the title, keyword hits of the
    cited law names, the title is about administrative procedures)."""
    title = blocks.get("title") or ""
    bases = blocks.get("bases") or ""
    low = title.lower()
    fields = FIELD.findall(title) if ("vực" in low or "ngành" in low) else []
    laws = LAW.findall(bases) if ("uật" in bases or "ệnh" in bases) else []
    return (_name_hits(fields, labels) if fields else {}, _name_hits(laws, labels) if laws else {},
            bool(TTHC.search(title)))


def pair_features(s: np.ndarray, cue: tuple[dict[int, int], dict[int, int], bool]) -> np.ndarray:
    """The (n_labels × n_features) matrix of one document (training side)."""
    fh, lh, tthc = cue
    L = len(s)
    best_f = max(fh.values()) if fh else 0
    X = np.zeros((L, len(FEATURES) + 2 * L))
    X[:, 0] = s
    X[:, 1] = s - s.max()
    for k, c in fh.items():
        X[k, 2] = math.log1p(c)
        if c == best_f:
            X[k, 3] = 1.0
            if tthc:
                X[k, len(FEATURES) + L + k] = 1.0
    for k, c in lh.items():
        X[k, 4] = math.log1p(c)
    X[np.arange(L), len(FEATURES) + np.arange(L)] = 1.0
    return X


class Stack:
    """The fitted second stage: one weight per feature (standardisation folded
    in), the per-area prior and the per-area weight of "administrative
    procedures of the named field"."""

    def __init__(self, w: np.ndarray, labels: Sequence[str]):
        self.w = np.asarray(w, dtype=np.float64)
        self.labels = list(labels)
        L = len(self.labels)
        self.base = self.w[:len(FEATURES)]
        self.prior = self.w[len(FEATURES):len(FEATURES) + L]
        self.tthc_field = self.w[len(FEATURES) + L:len(FEATURES) + 2 * L]

    def scores(self, blocks: dict, s: np.ndarray) -> np.ndarray:
        """Second-stage score of every area (higher: more likely the first)."""
        fh, lh, tthc = cues(blocks, self.labels)
        ws, wg, wf, wb, wl = self.base
        z = (ws + wg) * s - wg * float(s.max()) + self.prior
        if fh:
            best_f = max(fh.values())
            for k, c in fh.items():
                z[k] += wf * math.log1p(c)
                if c == best_f:
                    z[k] += wb + (self.tthc_field[k] if tthc else 0.0)
        for k, c in lh.items():
            z[k] += wl * math.log1p(c)
        return z

    def best(self, blocks: dict, s: np.ndarray) -> int:
        """The second stage's best area for raw linear scores ``s``."""
        return int(np.argmax(self.scores(blocks, s)))

    def rerank(self, blocks: dict, s: np.ndarray) -> np.ndarray:
        """Raw scores ``s`` of one document with the second stage's best area
        raised to the best score (every other score unchanged); ``s`` itself
        when the linear best is kept."""
        k = self.best(blocks, s)
        top = float(s.max())
        if s[k] >= top:
            return s
        s = np.array(s, dtype=np.float64)
        s[k] = top + 1e-6
        return s

    def rerank_calibrated(self, blocks: dict, P: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """The same on calibrated scores ``P`` whose row 0 is the document
        (the model's single Platt sigmoid ``p = 1 / (1 + exp(a·s + b))`` is
        inverted to get the raw scores back; it is monotone and shared by all
        areas, so the order is the raw scores' order).  The chosen area gets
        the best score and the former best one a hair less."""
        p = np.clip(P[0], 1e-15, 1.0 - 1e-15)
        s = (np.log((1.0 - p) / p) - b) / a
        k = self.best(blocks, s)
        j = int(np.argmax(P[0]))
        if k == j or P[0, k] >= P[0, j]:
            return P
        P = np.array(P, dtype=np.float64)
        P[0, k], P[0, j] = P[0, j], np.nextafter(P[0, j], 0.0)
        return P

    def state(self) -> dict:
        return {"w": [float(x) for x in self.w], "features": list(FEATURES)}  # plain, JSON-safe

    @classmethod
    def from_state(cls, st: Optional[dict], labels: Sequence[str]) -> Optional["Stack"]:
        if not st:
            return None
        if list(st.get("features", [])) != list(FEATURES):
            raise ValueError(f"second-stage features {st.get('features')!r}, expected {list(FEATURES)!r}")
        return cls(np.asarray(st["w"]), labels)


def for_model(model) -> Optional[Stack]:
    """The second stage stored with an area model (``meta["stack"]``; none in a
    model file written before it), built once per model object."""
    st = model.__dict__.get("_stack", False)
    if st is False:
        st = Stack.from_state(model.meta.get("stack"), model.labels)
        model.__dict__["_stack"] = st
    return st


def reranked(method):
    """Decorator of ``AreaModel.document_and_items``: its calibrated scores
    with the document's best area chosen by the second stage."""
    @functools.wraps(method)
    def wrapper(self, blocks, items):
        P, nnz = method(self, blocks, items)
        st = for_model(self)
        if st is not None and len(nnz) and nnz[0]:
            P = st.rerank_calibrated(blocks, P, self.platt_a, self.platt_b)
        return P, nnz
    return wrapper


def fit(S: np.ndarray, cue_list: Sequence[tuple], first: np.ndarray, labels: Sequence[str], C: float = 1.0) -> Stack:
    """Fit on raw out-of-fold linear scores ``S`` (documents × areas), the
    :func:`cues` of each document and the index of its first gold area."""
    from sklearn.linear_model import LogisticRegression
    L = len(labels)
    X = np.stack([pair_features(s, c) for s, c in zip(S, cue_list)])  # n × L × d
    d = X.shape[2]
    y = (np.arange(L)[None, :] == np.asarray(first)[:, None]).astype(int).reshape(-1)
    flat = X.reshape(-1, d)
    mu, sd = flat.mean(0), flat.std(0)
    sd[sd == 0] = 1.0
    m = LogisticRegression(C=C, max_iter=3000).fit((flat - mu) / sd, y)
    return Stack(m.coef_.ravel() / sd, labels)
