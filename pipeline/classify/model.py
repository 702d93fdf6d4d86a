"""The area model: load (lazily, once, with skops' trusted types), score, save.

The model file is a skops archive of plain parameters: the block vectorisers
(terms and IDF), the weights of the one-vs-rest linear classifier trained with
scikit-learn (``coef_`` and ``intercept_`` of one ``LinearSVC`` per label),
the Platt calibration of each label (fitted on cross-validated scores of
``train.jsonl``), the thresholds and the training metadata.  Scoring is then a
sparse dot product and a sigmoid, with no estimator object to rebuild, so the
file holds only builtins and NumPy arrays and loads with the short explicit
:data:`TRUSTED` list below; anything else in a file is refused.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

from .features import BlockVectorizer, Featurizer
from .stack import reranked  # second stage: the best area re-ranked (meta['stack'])

log = logging.getLogger(__name__)

MODEL_FORMAT = 1
MODEL_NAME = "areas.skops"
MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"

# Every type the model file may contain.  skops refuses to load a file that
# holds any other type (``UntrustedTypesFoundException``).
TRUSTED: list[str] = [
    "builtins.dict", "builtins.list", "builtins.str", "builtins.int", "builtins.float",
    "builtins.bool", "builtins.NoneType", "builtins.tuple",
    "numpy.ndarray", "numpy.dtype", "numpy.float64", "numpy.float32", "numpy.int64",
]


@dataclass
class AreaModel:
    labels: list[str]
    featurizer: Featurizer
    coef: np.ndarray            # (n_features, n_labels) float32
    intercept: np.ndarray       # (n_labels,)
    platt_a: np.ndarray         # p = 1 / (1 + exp(a * s + b))
    platt_b: np.ndarray
    doc_threshold: float = 0.5  # a label beyond the first needs this score
    item_alpha: float = 0.5     # item score = alpha * own + (1 - alpha) * document
    item_threshold: float = 0.5
    meta: dict = field(default_factory=dict)

    # -- scoring -----------------------------------------------------------
    def _scores(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray) -> np.ndarray:
        n = len(indptr) - 1
        if n == 1:  # one document, no items: one matrix-vector product
            s = data.astype(self.coef.dtype) @ self.coef[indices]
            s = s + self.intercept  # float64, as for several rows
            return s[None, :]
        out = np.zeros((n, len(self.labels)))
        if len(indices):
            contrib = self.coef[indices]
            contrib *= data.astype(self.coef.dtype)[:, None]
            filled = np.flatnonzero(indptr[1:] != indptr[:-1])
            out[filled] = np.add.reduceat(contrib, indptr[filled], axis=0)
        out += self.intercept
        return out

    def decision(self, docs: Sequence[dict[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        """Raw linear scores, one row per block-text dict, and the number of
        known features of each row (0: the model knows none of its words)."""
        indptr, indices, data = self.featurizer.rows(docs)
        return self._scores(indptr, indices, data), np.diff(indptr)

    @reranked
    def document_and_items(self, blocks: dict[str, str], items) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated scores of a document (row 0) and of every node of its
        item tree (pre-order), and the number of known features of each row."""
        indptr, indices, data, _ = self.featurizer.document_and_items(blocks, items)
        return self.calibrate(self._scores(indptr, indices, data)), np.diff(indptr)

    def calibrate(self, s: np.ndarray) -> np.ndarray:
        """``1 / (1 + exp(a·s + b))``, the exponent clipped to ±50; in place
        on one new array (the same numbers as the plain expression)."""
        z = self.platt_a * s
        z += self.platt_b
        np.maximum(z, -50.0, out=z)
        np.minimum(z, 50.0, out=z)
        np.exp(z, out=z)
        z += 1.0
        return np.divide(1.0, z, out=z)

    def proba(self, docs: Sequence[dict[str, str]]) -> tuple[np.ndarray, np.ndarray]:
        """Calibrated probability of each label (one-vs-rest: rows need not
        sum to 1) and the number of known features of each row."""
        s, nnz = self.decision(docs)
        return self.calibrate(s), nnz

    # -- persistence -------------------------------------------------------
    def state(self) -> dict:
        return {
            "format": MODEL_FORMAT, "labels": list(self.labels),
            "blocks": [b.state() for b in self.featurizer.blocks],
            "coef": self.coef.astype(np.float32), "intercept": self.intercept.astype(np.float64),
            "platt_a": self.platt_a.astype(np.float64), "platt_b": self.platt_b.astype(np.float64),
            "doc_threshold": float(self.doc_threshold), "item_alpha": float(self.item_alpha),
            "item_threshold": float(self.item_threshold), "meta": self.meta,
        }

    @classmethod
    def from_state(cls, st: dict) -> "AreaModel":
        if st.get("format") != MODEL_FORMAT:
            raise ValueError(f"model format {st.get('format')!r}, expected {MODEL_FORMAT}")
        return cls(labels=list(st["labels"]),
                   featurizer=Featurizer([BlockVectorizer.restore(b) for b in st["blocks"]]),
                   coef=np.asarray(st["coef"], dtype=np.float32), intercept=np.asarray(st["intercept"]),
                   platt_a=np.asarray(st["platt_a"]), platt_b=np.asarray(st["platt_b"]),
                   doc_threshold=st["doc_threshold"], item_alpha=st["item_alpha"],
                   item_threshold=st["item_threshold"], meta=st.get("meta", {}))

    def save(self, path: Path) -> None:
        import skops.io as sio
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(self.state(), path, compression=8)  # zipfile.ZIP_DEFLATED


class UntrustedModelError(ValueError):
    """The model file holds a type outside :data:`TRUSTED`."""


def file_types(path: Path) -> set[str]:
    """Every ``module.Class`` named in a skops file's schema."""
    import json
    import zipfile

    def walk(node, out: set[str]) -> set[str]:
        if isinstance(node, dict):
            if "__class__" in node and "__module__" in node:
                out.add(f"{node['__module__']}.{node['__class__']}")
            for v in node.values():
                walk(v, out)
        elif isinstance(node, list):
            for v in node:
                walk(v, out)
        return out

    with zipfile.ZipFile(path) as z:
        return walk(json.loads(z.read("schema.json")), set())


def load(path: Path) -> AreaModel:
    """Load a model file, trusting only :data:`TRUSTED`.

    skops itself trusts a default set (builtins, NumPy, most scikit-learn
    estimators) plus ``trusted``; the file's schema is checked first so that
    anything outside the explicit list, scikit-learn objects included, is
    refused with :class:`UntrustedModelError`."""
    return AreaModel.from_state(load_trusted(path, TRUSTED))


def load_trusted(path: Path, trusted) -> object:
    """What a skops file holds, when every type in its schema is in
    ``trusted`` (checked before anything is built); else
    :class:`UntrustedModelError`.  Shared by the area and digit models."""
    import skops.io as sio
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(path)
    extra = sorted(file_types(path) - set(trusted))
    if extra:
        raise UntrustedModelError(f"untrusted types in {path.name}: {', '.join(extra)}")
    return sio.load(path, trusted=list(trusted))


_lock = threading.Lock()
_cache: dict[Path, Optional[AreaModel]] = {}


def default_model(path: Optional[Path] = None) -> Optional[AreaModel]:
    """The model of ``models/areas.skops``, loaded on first use and kept for
    the life of the process; ``None`` (with one logged warning) when the file
    is missing or cannot be loaded."""
    p = Path(path) if path is not None else MODELS_DIR / MODEL_NAME
    if p in _cache:
        return _cache[p]
    with _lock:
        if p not in _cache:
            try:
                _cache[p] = load(p)
            except FileNotFoundError:
                log.warning("area model not found at %s: areas left empty (run `vanban train`)", p)
                _cache[p] = None
            except Exception as e:  # a damaged or untrusted file must not break parsing
                log.warning("area model at %s not loaded (%s: %s): areas left empty", p, type(e).__name__, e)
                _cache[p] = None
    return _cache[p]
