"""Training and cross-validation of the area model (``vanban train``).

Data:

* ``../shared/corpus/areas/train.jsonl`` — documents with the areas their legal
  portal gave them (most central first).  Cross-validation runs on these
  only: 5 folds stratified on the first area (shuffled, seed 0).
* ``../shared/corpus/areas/phapdien.jsonl`` — weakly labelled article
  compilations of the Bộ Pháp điển; always in the training side of every fold
  (never scored), because in cross-validation they raised top-1 accuracy by
  about 7 points (see ``models/areas.md``).  Their first line (the source
  document's name) is used as the title and the issuer/type come from the
  metadata, since these compilations have no Decree 30 header to parse.
* ``corpus/areas/*.jsonl`` in this repository — examples written for thin
  areas, treated like the compilations (training side only).

Every document is parsed with :func:`pipeline.parse_text`; its features come
from the record (:mod:`.features`).  The classifier is one ``LinearSVC`` per
area (one-vs-rest, balanced class weights), fitted with scikit-learn.  Scores
are calibrated with one Platt sigmoid fitted on the out-of-fold scores of
``train.jsonl`` (one sigmoid for all areas keeps the ranking of the linear
scores; per-area sigmoids lowered top-1 accuracy in cross-validation), and the
threshold for further areas is the one that maximises macro-F1 on those
out-of-fold scores.  Reported figures are *cross-fitted*: the sigmoid and the
threshold applied to a fold are fitted on the other folds only.

A second stage (:mod:`.stack`) then re-ranks the best area from the linear
scores and what the record names (the field after "lĩnh vực", the cited
laws, an administrative-procedure title).  It learns from out-of-fold linear
scores, so in cross-validation its training side needs scores that are
out-of-fold *within* the training folds: for each outer fold the linear model
is cross-validated again on the outer training side (``Config.inner_folds``
folds; phapdien always on the training side), the second stage is fitted on
those scores and applied to the outer fold's scores.  The shipped second
stage is fitted on the outer out-of-fold scores of all of ``train.jsonl``;
the sigmoid and threshold on the re-ranked scores.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import platform
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Sequence

import numpy as np

from .baselines import KeywordBaseline, MajorityBaseline
from .features import BlockVectorizer, Featurizer, record_blocks
from . import stack as _stack
from .model import MODEL_NAME, MODELS_DIR, AreaModel

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent.parent
SHARED_AREAS = REPO.parent / "shared" / "corpus" / "areas"
TAXONOMY = REPO.parent / "shared" / "corpus" / "areas.txt"
OWN_EXAMPLES = REPO / "corpus" / "areas"

MIN_SUPPORT = 8  # macro-F1 is reported over the areas with at least this many documents


@dataclass
class Config:
    """What cross-validation chose (see models/areas.md for the comparison)."""

    weights: dict = field(default_factory=lambda: {"title": 1.0, "issuer": 1.0, "bases": 1.0,
                                                   "refs": 1.0, "body": 1.0})
    n_max: dict = field(default_factory=lambda: {"title": 2, "issuer": 2, "bases": 2, "refs": 2, "body": 2})
    min_df: int = 2
    max_features: Optional[int] = None
    keep_features: Optional[int] = 5000  # vocabulary cut after a first fit (see fit_linear)
    C: float = 1.0
    aux_weight: float = 1.0     # sample weight of phapdien / own examples
    use_aux: bool = True
    use_own: bool = True
    item_alpha: float = 0.5
    stack: bool = True          # second stage re-ranking the best area (stack.py)
    stack_C: float = 1.0
    inner_folds: int = 4        # folds of the nested out-of-fold scores the second stage learns from
    n_jobs: int = 1


@dataclass
class Example:
    blocks: dict
    areas: list[str]
    source: str
    id: str = ""


# ---------------------------------------------------------------------------
# Data

def read_taxonomy(path: Path = TAXONOMY) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def _parse(text: str):
    from ..document import build_record
    from ..ingest import Source
    return build_record(Source(text=text, format="txt"), classify=False)


def document_examples(rows: Sequence[dict], source: str) -> list[Example]:
    """Whole documents: every feature from the parsed record."""
    return [Example(record_blocks(_parse(r["text"])), list(r["areas"]), source, r.get("id", ""))
            for r in rows]


def compilation_examples(rows: Sequence[dict], source: str = "phapdien") -> list[Example]:
    """Pháp điển compilations: parsed for their legal bases, references and
    items; the first line (the source document's name) stands for the title
    and the issuer/type come from the metadata."""
    out = []
    for r in rows:
        b = record_blocks(_parse(r["text"]))
        first, _, rest = r["text"].partition("\n")
        b["title"] = first
        b["issuer"] = " ".join(x for x in (r.get("issuer"), r.get("doc_type")) if x)
        b["body"] = rest
        out.append(Example(b, list(r["areas"]), source, r.get("id", "")))
    return out


def load_data(shared: Path = SHARED_AREAS, own: Path = OWN_EXAMPLES,
              progress: Callable[[str], None] = lambda s: None) -> tuple[list[Example], list[Example], list[Example]]:
    """(train, phapdien, own examples), parsed."""
    progress(f"parsing {shared / 'train.jsonl'}")
    train = document_examples(_jsonl(shared / "train.jsonl"), "train")
    aux: list[Example] = []
    if (shared / "phapdien.jsonl").exists():
        progress(f"parsing {shared / 'phapdien.jsonl'}")
        aux = compilation_examples(_jsonl(shared / "phapdien.jsonl"))
    mine: list[Example] = []
    for p in sorted(own.glob("*.jsonl")) if own.exists() else []:
        progress(f"parsing {p}")
        mine.extend(document_examples(_jsonl(p), f"own:{p.name}"))
    return train, aux, mine


def label_matrix(examples: Sequence[Example], labels: Sequence[str]) -> np.ndarray:
    idx = {lab: i for i, lab in enumerate(labels)}
    Y = np.zeros((len(examples), len(labels)), dtype=np.int8)
    for i, ex in enumerate(examples):
        for a in ex.areas:
            if a in idx:
                Y[i, idx[a]] = 1
    return Y


# ---------------------------------------------------------------------------
# Fitting

def fit_linear(train: Sequence[Example], Y: np.ndarray, weights: np.ndarray, cfg: Config,
               labels: Sequence[str]) -> tuple[Featurizer, np.ndarray, np.ndarray]:
    """Vectorisers fitted on ``train``; one LinearSVC per label → (featurizer,
    coef (n_features × n_labels), intercept).  A label without positives
    gets a large negative intercept (it is never predicted).

    With ``cfg.keep_features``, a first fit ranks the terms by their largest
    absolute weight over the labels; the vocabulary is cut to the best ones
    and the classifiers are fitted again on the cut vocabulary (whose TF-IDF
    rows are normalised over the kept terms only, as at inference).  Same
    accuracy in cross-validation with a model a fraction of the size, which
    is what makes classification cheap: its cost is mostly cache misses in
    the model's arrays."""
    blocks = [BlockVectorizer.fit(name, (ex.blocks.get(name, "") for ex in train), n_max=cfg.n_max.get(name, 2),
                                  min_df=cfg.min_df, max_features=cfg.max_features, weight=w)
              for name, w in cfg.weights.items() if w > 0]
    fz = Featurizer(blocks)
    docs = [ex.blocks for ex in train]
    coef, intercept = _fit_svms(fz.matrix(docs), Y, weights, cfg, len(labels))
    if cfg.keep_features and cfg.keep_features < fz.n_features:
        strength = np.abs(coef).max(axis=1)
        keep = np.sort(np.argsort(-strength, kind="stable")[:cfg.keep_features])
        blocks = [b.subset(keep[(keep >= fz.offsets[b.name]) & (keep < fz.offsets[b.name] + len(b))]
                           - fz.offsets[b.name]) for b in fz.blocks]
        fz = Featurizer(blocks)
        coef, intercept = _fit_svms(fz.matrix(docs), Y, weights, cfg, len(labels))
    return fz, coef, intercept


def _fit_svms(X, Y: np.ndarray, weights: np.ndarray, cfg: Config, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    from joblib import Parallel, delayed

    def one(k: int):
        y = Y[:, k]
        if y.sum() == 0:
            return None
        from sklearn.svm import LinearSVC
        m = LinearSVC(C=cfg.C, class_weight="balanced")
        m.fit(X, y, sample_weight=weights)
        return m.coef_.ravel().astype(np.float32), float(m.intercept_[0])

    res = Parallel(n_jobs=cfg.n_jobs)(delayed(one)(k) for k in range(n_labels))
    coef = np.zeros((X.shape[1], n_labels), dtype=np.float32)
    intercept = np.full(n_labels, -10.0)
    for k, r in enumerate(res):
        if r is not None:
            coef[:, k], intercept[k] = r
    return coef, intercept


def _decision(fz: Featurizer, coef: np.ndarray, intercept: np.ndarray, docs: Sequence[dict]) -> np.ndarray:
    return np.asarray(fz.matrix(docs) @ coef) + intercept


def folds(first: Sequence[str], k: int = 5, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified on the first (most central) area; areas with fewer documents
    than folds are spread as far as they go."""
    import warnings

    from sklearn.model_selection import StratifiedKFold
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "least populated class has only n members"
        return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(first)), list(first)))


def cross_val_scores(train: list[Example], extra: list[Example], extra_w: float, labels: list[str],
                     cfg: Config, splits, progress: Callable[[str], None] = lambda s: None) -> np.ndarray:
    """Out-of-fold raw scores of ``train`` (``extra`` always on the training side)."""
    Y = label_matrix(train, labels)
    Ye = label_matrix(extra, labels)
    S = np.zeros(Y.shape)
    for f, (tr, te) in enumerate(splits):
        progress(f"fold {f + 1}/{len(splits)}")
        docs = [train[i] for i in tr] + list(extra)
        Yt = np.vstack([Y[tr], Ye]) if len(extra) else Y[tr]
        w = np.concatenate([np.ones(len(tr)), np.full(len(extra), extra_w)])
        fz, coef, b = fit_linear(docs, Yt, w, cfg, labels)
        S[te] = _decision(fz, coef, b, [train[i].blocks for i in te])
    return S


def stacked_scores(train: list[Example], extra: list[Example], labels: list[str], cfg: Config, splits,
                   S: np.ndarray, progress: Callable[[str], None] = lambda s: None) -> np.ndarray:
    """``S`` (outer out-of-fold linear scores) with each fold's best area
    re-ranked by a second stage fitted on nested out-of-fold scores of the
    fold's training side only (see the module docstring)."""
    first = np.array([labels.index(ex.areas[0]) for ex in train])
    cues = [_stack.cues(ex.blocks, labels) for ex in train]
    out = S.copy()
    for f, (tr, te) in enumerate(splits):
        sub = [train[i] for i in tr]
        inner = folds([ex.areas[0] for ex in sub], cfg.inner_folds, 0)
        Si = cross_val_scores(sub, extra, cfg.aux_weight, labels, cfg, inner,
                              lambda m, f=f: progress(f"second stage, outer fold {f + 1}/{len(splits)}: inner {m}"))
        st = _stack.fit(Si, [cues[i] for i in tr], first[tr], labels, cfg.stack_C)
        for i in te:
            out[i] = st.rerank(train[i].blocks, S[i])
    return out


# ---------------------------------------------------------------------------
# Calibration, threshold, metrics

def fit_platt(S: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
    """One sigmoid ``p = 1 / (1 + exp(a·s + b))`` for all labels (Platt)."""
    from sklearn.linear_model import LogisticRegression
    m = LogisticRegression(C=1e4).fit(S.reshape(-1, 1), Y.reshape(-1))
    return -float(m.coef_[0, 0]), -float(m.intercept_[0])


def sigmoid(S: np.ndarray, a: float, b: float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(np.clip(a * S + b, -50, 50)))


def predict_sets(P: np.ndarray, t: float, max_areas: int = 3) -> np.ndarray:
    """Best label always, further labels at or above ``t`` (at most ``max_areas``)."""
    out = np.zeros(P.shape, dtype=np.int8)
    order = np.argsort(-P, axis=1, kind="stable")[:, :max_areas]
    for i, row in enumerate(order):
        out[i, row[0]] = 1
        for k in row[1:]:
            if P[i, k] >= t:
                out[i, k] = 1
    return out


def set_metrics(pred: np.ndarray, Y: np.ndarray, first: np.ndarray, top: np.ndarray, big: Sequence[int],
                labels: Sequence[str]) -> dict:
    """top-1 (best label = first gold area; also: = any gold area), macro-F1
    over ``big`` labels, micro-F1, per-label precision/recall/F1/support."""
    per = {}
    for k, lab in enumerate(labels):
        tp = int((pred[:, k] & Y[:, k]).sum())
        fp = int((pred[:, k] & (1 - Y[:, k])).sum())
        fn = int(((1 - pred[:, k]) & Y[:, k]).sum())
        per[lab] = {"precision": tp / (tp + fp) if tp + fp else 0.0, "recall": tp / (tp + fn) if tp + fn else 0.0,
                    "f1": 2 * tp / (2 * tp + fp + fn) if tp else 0.0, "support": int(Y[:, k].sum()),
                    "predicted": int(pred[:, k].sum())}
    tp = int((pred & Y).sum())
    n = np.arange(len(top))
    return {
        "top1": float((top == first).mean()),
        "top1_any": float(Y[n, top].mean()),
        "macro_f1": float(np.mean([per[labels[k]]["f1"] for k in big])),
        "micro_f1": 2 * tp / (int(pred.sum()) + int(Y.sum())),
        "per_label": per,
    }


def choose_threshold(P: np.ndarray, Y: np.ndarray, big: Sequence[int], grid=None) -> float:
    grid = np.round(np.arange(0.05, 0.96, 0.05), 2) if grid is None else grid
    best = None
    for t in grid:
        pred = predict_sets(P, t)
        f1 = []
        for k in big:
            tp = (pred[:, k] & Y[:, k]).sum()
            f1.append(2 * tp / (pred[:, k].sum() + Y[:, k].sum()) if tp else 0.0)
        score = (float(np.mean(f1)), -t)
        if best is None or score > best[0]:
            best = (score, float(t))
    return best[1]


def cross_fitted(S: np.ndarray, Y: np.ndarray, splits, big) -> tuple[np.ndarray, list[float]]:
    """Calibrated scores for each fold with sigmoid and threshold fitted on the
    other folds; returns (P, thresholds per fold) and the fold membership."""
    P = np.zeros(S.shape)
    ts = np.zeros(len(S))
    for tr, te in splits:
        a, b = fit_platt(S[tr], Y[tr])
        P[tr] = sigmoid(S[tr], a, b)
        t = choose_threshold(P[tr], Y[tr], big)
        P[te] = sigmoid(S[te], a, b)
        ts[te] = t
    return P, ts


def confusion(first: Sequence[str], top: Sequence[str], labels: Sequence[str]) -> dict:
    c = Counter(zip(first, top))
    return {g: {p: c[(g, p)] for p in labels if c[(g, p)]} for g in labels if any(c[(g, p)] for p in labels)}


def evaluate_cv(train: list[Example], aux: list[Example], mine: list[Example], labels: list[str], cfg: Config,
                k: int = 5, seed: int = 0, progress: Callable[[str], None] = lambda s: None,
                return_linear: bool = False) -> dict:
    """Cross-validated figures of the model and the two baselines on ``train``
    (``linear``: the model without its second stage).  The report carries the
    out-of-fold scores (``oof_scores``, and the linear stage's ``oof_linear``
    with ``return_linear``)."""
    Y = label_matrix(train, labels)
    first_lab = [ex.areas[0] for ex in train]
    first = np.array([labels.index(a) for a in first_lab])
    splits = folds(first_lab, k, seed)
    support = Y.sum(0)
    big = [i for i in range(len(labels)) if support[i] >= MIN_SUPPORT]
    extra = (aux if cfg.use_aux else []) + (mine if cfg.use_own else [])
    t0 = time.time()
    S_lin = cross_val_scores(train, extra, cfg.aux_weight, labels, cfg, splits, progress)
    S = stacked_scores(train, extra, labels, cfg, splits, S_lin, progress) if cfg.stack else S_lin

    def scored(S):
        P, ts = cross_fitted(S, Y, splits, big)
        pred = np.zeros(P.shape, dtype=np.int8)
        for tr, te in splits:
            pred[te] = predict_sets(P[te], ts[te][0])
        top = P.argmax(1)
        m = set_metrics(pred, Y, first, top, big, labels)
        m["confusion"] = confusion(first_lab, [labels[i] for i in top], labels)
        return m, P

    model, P = scored(S)
    linear = scored(S_lin)[0] if cfg.stack else None
    model["seconds"] = round(time.time() - t0, 1)
    # baselines, same folds
    base = {}
    for name in ("majority", "keyword"):
        bp = np.zeros(Y.shape, dtype=np.int8)
        btop = np.zeros(len(train), dtype=int)
        for tr, te in splits:
            maj = MajorityBaseline([first_lab[i] for i in tr])
            clf = maj if name == "majority" else KeywordBaseline(maj.label)
            for i in te:
                got = clf.predict(train[i].blocks)
                for a in got:
                    bp[i, labels.index(a)] = 1
                btop[i] = labels.index(got[0])
        base[name] = set_metrics(bp, Y, first, btop, big, labels)
        base[name]["confusion"] = confusion(first_lab, [labels[i] for i in btop], labels)
    return {"model": model, "linear": linear, "baselines": base, "labels_scored": [labels[i] for i in big],
            "n_train": len(train), "n_aux": len(aux) if cfg.use_aux else 0, "n_own": len(mine) if cfg.use_own else 0,
            "folds": k, "seed": seed, "oof_scores": S, "oof_proba": P, "splits": splits,
            **({"oof_linear": S_lin} if return_linear else {})}


# ---------------------------------------------------------------------------
# The whole run: CV figures, final fit, model file and card

def train_model(out: Path = MODELS_DIR / MODEL_NAME, shared: Path = SHARED_AREAS, own: Path = OWN_EXAMPLES,
                cfg: Optional[Config] = None, k: int = 5, seed: int = 0, command: str = "vanban train",
                progress: Callable[[str], None] = lambda s: None) -> tuple[AreaModel, dict]:
    cfg = cfg or Config()
    labels = read_taxonomy(shared.parent / "areas.txt")
    train, aux, mine = load_data(shared, own, progress)
    report = evaluate_cv(train, aux, mine, labels, cfg, k, seed, progress, return_linear=True)
    Y = label_matrix(train, labels)
    S = report.pop("oof_scores")
    S_lin = report.pop("oof_linear")
    report.pop("oof_proba"), report.pop("splits")
    st = None
    if cfg.stack:
        first = np.array([labels.index(ex.areas[0]) for ex in train])
        st = _stack.fit(S_lin, [_stack.cues(ex.blocks, labels) for ex in train], first, labels, cfg.stack_C)
    a, b = fit_platt(S, Y)
    big = [labels.index(x) for x in report["labels_scored"]]
    t = choose_threshold(sigmoid(S, a, b), Y, big)
    # Items are scored by the linear stage alone, so their threshold comes from
    # the linear stage's scores (the second stage raises a document's chosen
    # area to the best score and leaves the former best just below it, which
    # pushes the document threshold up; items have no such pair).
    t_items = choose_threshold(sigmoid(S_lin, a, b), Y, big) if cfg.stack else t
    progress("final fit on all documents")
    extra = (aux if cfg.use_aux else []) + (mine if cfg.use_own else [])
    docs = list(train) + extra
    Yall = label_matrix(docs, labels)
    w = np.concatenate([np.ones(len(train)), np.full(len(extra), cfg.aux_weight)])
    fz, coef, intercept = fit_linear(docs, Yall, w, cfg, labels)
    meta = {
        "trained": _dt.date.today().isoformat(), "command": command,
        "data": {"train": str(shared / "train.jsonl"), "n_train": len(train),
                 "phapdien": str(shared / "phapdien.jsonl") if cfg.use_aux else None, "n_phapdien": len(aux) if cfg.use_aux else 0,
                 "own": [str(p.relative_to(REPO)) for p in sorted(own.glob("*.jsonl"))] if cfg.use_own and own.exists() else [],
                 "n_own": len(mine) if cfg.use_own else 0},
        "config": {k_: v for k_, v in cfg.__dict__.items() if k_ != "n_jobs"},
        "platt": [a, b], "doc_threshold": t, "item_base_threshold": t_items, "item_threshold": cfg.item_alpha * t_items, "n_features": fz.n_features,
        "python": platform.python_version(),
    }
    if st is not None:
        meta["stack"] = st.state()
    model = AreaModel(labels=labels, featurizer=fz, coef=coef, intercept=intercept,
                      platt_a=np.full(len(labels), a), platt_b=np.full(len(labels), b),
                      doc_threshold=t, item_alpha=cfg.item_alpha, item_threshold=cfg.item_alpha * t_items, meta=meta)
    model.save(out)
    report["meta"] = meta
    return model, report
