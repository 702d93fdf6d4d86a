"""Handwritten digits: a small recogniser for the serials and days written by
hand in the blanks of ``Số: __/CT-UBND`` and ``ngày __ tháng __``.

:mod:`.handwriting` finds the blank and cuts out its ink; this module reads
the cut-out.  The ink is split into digits (connected components; a stroke
that does not reach half the height, such as the bar of a ``7`` or the flag
of a ``5``, joins the digit it overlaps; a component wider than a digit is
cut where the recogniser reads the pieces best), every digit is deslanted by
its moments, scaled into 20×20 and centred in 28×28 like MNIST, described by
gradient-orientation histograms and a 14×14 thumbnail, and classified by a
small multi-layer perceptron trained with scikit-learn.  The perceptron has
an eleventh class, *not one digit* (two digits run together, a printed
letter of the label, a scribble): such a shape reads as ``?`` and the
string is never plausible.  A digit's probability is the mean over seven
slightly altered copies of it (test-time augmentation, :func:`variants`):
real hands that the synthetic training data do not cover well give
readings that move with a pixel of pen or a few degrees of slant.

The model (``models/digits.skops``) is trained offline by
``python -m pipeline.ingest.digits --train`` on scikit-learn's bundled
``load_digits`` (1,797 real handwritten digits, 8×8, upsampled) and on
digits drawn here with a pen: stroke templates of each digit in several
hands, Vietnamese ones included (``1`` with a long lead-in up-stroke, ``7``
with a bar), with jitter, slant, rotation, pen width and elastic distortion,
plus a few DejaVu italic renders.  The file holds only the perceptron's
arrays and plain numbers, so it loads with skops' trusted types like
``models/areas.skops``; inference is a few NumPy products.

Hand-written where a library would be heavier than the job: the HOG features
(scikit-image's ``hog`` would add a dependency for ten lines) and the pen
stroke synthesis (no offline library draws handwriting).  Components and
distortion come from ``scipy.ndimage``, drawing from Pillow.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import numpy as np

log = logging.getLogger(__name__)

MODEL_FORMAT = 2       # 2: an eleventh output, "not one digit", and the ``solo`` threshold
REJECT = 10
MODEL_NAME = "digits.skops"
MODELS_DIR = Path(__file__).resolve().parent.parent.parent / "models"
SIZE = 28               # the normalised digit image, MNIST-like
BOX = 20                # the digit's longer side inside it
INK = 150               # a pixel darker than this (0–255) is ink, at most
MAX_DIGITS = 6

TRUSTED: list[str] = [
    "builtins.dict", "builtins.list", "builtins.str", "builtins.int", "builtins.float",
    "builtins.bool", "builtins.NoneType", "builtins.tuple",
    "numpy.ndarray", "numpy.dtype", "numpy.float64", "numpy.float32", "numpy.int64",
]


# -- ink and segmentation ---------------------------------------------------

def ink_mask(crop) -> np.ndarray:
    """The crop's ink as a boolean array: Otsu's threshold on the grey
    levels, never lighter than :data:`INK` (a clean crop is mostly paper)."""
    a = np.asarray(crop.convert("L"), dtype=np.uint8) if hasattr(crop, "convert") else np.asarray(crop)
    if a.dtype == bool:
        return a.copy()
    hist = np.bincount(a.ravel(), minlength=256).astype(float)
    p = hist / max(1.0, hist.sum())
    w = np.cumsum(p)
    mu = np.cumsum(p * np.arange(256))
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * w - mu) ** 2 / (w * (1 - w))
    t = int(np.nanargmax(between)) if np.isfinite(between).any() else INK
    return a <= min(t, INK)


def _components(mask: np.ndarray) -> list[tuple[slice, slice, np.ndarray]]:
    from scipy import ndimage

    lab, _ = ndimage.label(mask, structure=np.ones((3, 3)))
    out = []
    for k, sl in enumerate(ndimage.find_objects(lab), start=1):
        if sl is not None:
            out.append((sl[0], sl[1], lab[sl] == k))
    return out


@dataclass
class _Blob:
    y0: int
    y1: int
    x0: int
    x1: int
    parts: list = field(default_factory=list)   # (y0, x0, mask)

    @property
    def h(self) -> int:
        return self.y1 - self.y0

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    def add(self, other: "_Blob") -> None:
        self.y0, self.y1 = min(self.y0, other.y0), max(self.y1, other.y1)
        self.x0, self.x1 = min(self.x0, other.x0), max(self.x1, other.x1)
        self.parts += other.parts

    def mask(self) -> np.ndarray:
        m = np.zeros((self.h, self.w), bool)
        for y, x, pm in self.parts:
            m[y - self.y0:y - self.y0 + pm.shape[0], x - self.x0:x - self.x0 + pm.shape[1]] |= pm
        return m


def _overlap(a: _Blob, b: _Blob) -> float:
    """Horizontal overlap as a share of the narrower blob."""
    o = min(a.x1, b.x1) - max(a.x0, b.x0)
    return max(0, o) / max(1, min(a.w, b.w))


def blobs(mask: np.ndarray) -> list[_Blob]:
    """The ink grouped into digit candidates, left to right: specks and
    ruled lines dropped, short strokes joined to the digit they overlap."""
    comps = [_Blob(ys.start, ys.stop, xs.start, xs.stop, [(ys.start, xs.start, m)]) for ys, xs, m in _components(mask)]
    if not comps:
        return []
    area = {id(c): int(c.parts[0][2].sum()) for c in comps}
    big = max(area.values())
    comps = [c for c in comps if area[id(c)] >= max(4, 0.03 * big)]
    tall = max(c.h for c in comps)
    # a ruled line or an underline: flat and longer than a digit is tall
    comps = [c for c in comps if not (c.h < 0.3 * c.w and c.w > 1.1 * tall)] or comps
    tall = max(c.h for c in comps)
    main = sorted((c for c in comps if c.h >= 0.45 * tall), key=lambda c: c.x0)
    # a dot of a dotted leader or a colon: small both ways (a bar or a flag is long)
    # — a round mark up to a third of the height is a dot too (a colon glued to
    # the blank, the leader dots of ``2678……``), never part of a digit
    minor = [c for c in comps if c.h < 0.45 * tall and max(c.h, c.w) >= 0.22 * tall
             and not (max(c.h, c.w) < 0.35 * tall and 0.5 <= c.h / max(1, c.w) <= 2.0)]
    band0, band1 = min(c.y0 for c in main), max(c.y1 for c in main)
    for c in minor:
        if c.y1 < band0 - 0.3 * tall or c.y0 > band1 + 0.3 * tall:
            continue            # a mark above or below the written line
        best = max(main, key=lambda m: (_overlap(m, c), -abs((m.x0 + m.x1) - (c.x0 + c.x1))))
        gap = max(best.x0 - c.x1, c.x0 - best.x1, 0)
        if _overlap(best, c) > 0 or gap < 0.25 * tall:
            best.add(c)
    merged: list[_Blob] = []
    for c in main:
        if merged and _overlap(merged[-1], c) > 0.6:
            merged[-1].add(c)
        else:
            merged.append(c)
    return merged


def _cuts(m: np.ndarray) -> list[int]:
    """Candidate columns where a touching pair of digits may be cut: local
    minima of the column ink, not too near either end."""
    h, w = m.shape
    col = m.sum(axis=0).astype(float)
    col = np.convolve(col, np.ones(3) / 3, mode="same")
    lo = max(2, int(0.2 * h))
    out = [x for x in range(lo, w - lo) if col[x] <= col[x - 1] and col[x] <= col[x + 1]]
    # keep the deepest few, apart from each other
    out.sort(key=lambda x: col[x])
    keep: list[int] = []
    for x in out:
        if all(abs(x - k) >= 0.2 * h for k in keep):
            keep.append(x)
        if len(keep) >= 6:
            break
    return sorted(keep)


# -- normalisation and features ---------------------------------------------

def normalise(m: np.ndarray) -> np.ndarray:
    """A digit's ink (boolean or 0–1 array) as a 28×28 float image: slant
    removed by the second moments, the longer side scaled to 20 px, the
    centre of mass in the middle."""
    from PIL import Image
    from scipy import ndimage

    a = np.asarray(m, dtype=np.float32)
    ys, xs = np.nonzero(a > 0.5)
    if len(ys) < 2:
        return np.zeros((SIZE, SIZE), np.float32)
    a = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    # deslant: shear so that x no longer depends on y
    yy, xx = np.mgrid[:a.shape[0], :a.shape[1]]
    tot = a.sum()
    cy, cx = (yy * a).sum() / tot, (xx * a).sum() / tot
    mu02 = (((yy - cy) ** 2) * a).sum() / tot
    mu11 = ((yy - cy) * (xx - cx) * a).sum() / tot
    s = float(np.clip(mu11 / mu02, -0.7, 0.7)) if mu02 > 1e-6 else 0.0
    if abs(s) > 0.05:
        pad = int(abs(s) * a.shape[0]) + 2
        a = np.pad(a, ((0, 0), (pad, pad)))
        a = ndimage.affine_transform(a, np.array([[1.0, 0.0], [s, 1.0]]), offset=(0.0, -s * cy), order=1)
        ys, xs = np.nonzero(a > 0.3)
        if len(ys) < 2:
            return np.zeros((SIZE, SIZE), np.float32)
        a = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h, w = a.shape
    k = BOX / max(h, w)
    nh, nw = max(1, round(h * k)), max(1, round(w * k))
    img = Image.fromarray((np.clip(a, 0, 1) * 255).astype(np.uint8)).resize((nw, nh), Image.BILINEAR if k > 1 else Image.BOX)
    small = np.asarray(img, dtype=np.float32) / 255.0
    out = np.zeros((SIZE, SIZE), np.float32)
    cy, cx = ndimage.center_of_mass(small) if small.sum() > 0 else (nh / 2, nw / 2)
    oy = int(round(SIZE / 2 - cy))
    ox = int(round(SIZE / 2 - cx))
    oy, ox = min(max(oy, 0), SIZE - nh), min(max(ox, 0), SIZE - nw)
    out[oy:oy + nh, ox:ox + nw] = small
    return out


def features(imgs: np.ndarray) -> np.ndarray:
    """Features of normalised 28×28 digits (``(n, 28, 28)``): histograms of
    gradient orientation (9 unsigned bins over 4×4 cells of 7×7 px, each
    2×2 block of cells L2-normalised) and the image at 14×14."""
    from scipy import ndimage

    imgs = np.asarray(imgs, dtype=np.float32).reshape(-1, SIZE, SIZE)
    # Sobel within each image: ``ndimage.sobel`` on the stack would also
    # smooth across axis 0, mixing every digit with its neighbours in the batch
    d, s = [-1.0, 0.0, 1.0], [1.0, 2.0, 1.0]
    gy = ndimage.correlate1d(ndimage.correlate1d(imgs, d, axis=1), s, axis=2)
    gx = ndimage.correlate1d(ndimage.correlate1d(imgs, d, axis=2), s, axis=1)
    mag = np.hypot(gx, gy)
    ang = np.mod(np.arctan2(gy, gx), np.pi)
    b = np.minimum((ang / np.pi * 9).astype(int), 8)
    n = len(imgs)
    cells = np.zeros((n, 4, 4, 9), np.float32)
    for o in range(9):
        v = np.where(b == o, mag, 0.0).reshape(n, 4, 7, 4, 7).sum(axis=(2, 4))
        cells[..., o] = v
    blocks = np.concatenate([cells[:, i:i + 2, j:j + 2].reshape(n, -1)[:, None] for i in range(3) for j in range(3)], axis=1)
    blocks = blocks / np.sqrt((blocks ** 2).sum(axis=2, keepdims=True) + 1e-3)
    thumb = imgs.reshape(n, 14, 2, 14, 2).mean(axis=(2, 4))
    return np.concatenate([blocks.reshape(n, -1), thumb.reshape(n, -1)], axis=1).astype(np.float32)


# -- the model ----------------------------------------------------------------

@dataclass
class DigitModel:
    mean: np.ndarray
    scale: np.ndarray
    weights: list          # [(W, b), …] of the perceptron, ReLU between
    temperature: float = 1.0
    threshold: float = 0.9  # a digit read at least this surely is "confident"
    meta: dict = field(default_factory=dict)
    solo: float = 0.99      # … and at least this surely may stand without another reader agreeing

    def proba(self, feats: np.ndarray) -> np.ndarray:
        x = (np.asarray(feats, np.float32) - self.mean) / self.scale
        for i, (W, b) in enumerate(self.weights):
            x = x @ W + b
            if i < len(self.weights) - 1:
                x = np.maximum(x, 0)
        x = x / self.temperature
        x = x - x.max(axis=1, keepdims=True)
        e = np.exp(x)
        return e / e.sum(axis=1, keepdims=True)

    def state(self) -> dict:
        return {"format": MODEL_FORMAT, "mean": self.mean.astype(np.float32), "scale": self.scale.astype(np.float32),
                "weights": [[W.astype(np.float32), b.astype(np.float32)] for W, b in self.weights],
                "temperature": float(self.temperature), "threshold": float(self.threshold), "meta": self.meta,
                "solo": float(self.solo)}

    @classmethod
    def from_state(cls, st: dict) -> "DigitModel":
        if st.get("format") != MODEL_FORMAT:
            raise ValueError(f"digit model format {st.get('format')!r}, expected {MODEL_FORMAT}")
        return cls(np.asarray(st["mean"], np.float32), np.asarray(st["scale"], np.float32),
                   [(np.asarray(W, np.float32), np.asarray(b, np.float32)) for W, b in st["weights"]],
                   float(st["temperature"]), float(st["threshold"]), dict(st.get("meta", {})), float(st["solo"]))

    def save(self, path: Path) -> None:
        import skops.io as sio
        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(self.state(), path, compression=8)


def load(path: Path) -> DigitModel:
    """Load a digit model, trusting only :data:`TRUSTED` (the file's schema
    is checked first, as for the area model)."""
    from ..classify.model import load_trusted

    return DigitModel.from_state(load_trusted(path, TRUSTED))


_lock = threading.Lock()
_cache: dict[Path, Optional[DigitModel]] = {}


def default_model(path: Optional[Path] = None) -> Optional[DigitModel]:
    """``models/digits.skops``, loaded on first use and kept for the life of
    the process; ``None`` (one logged warning) when missing or unloadable."""
    p = Path(path) if path is not None else MODELS_DIR / MODEL_NAME
    if p in _cache:
        return _cache[p]
    with _lock:
        if p not in _cache:
            try:
                _cache[p] = load(p)
            except FileNotFoundError:
                log.warning("digit model not found at %s (python -m pipeline.ingest.digits --train)", p)
                _cache[p] = None
            except Exception as e:  # a damaged or untrusted file must not break parsing
                log.warning("digit model at %s not loaded (%s: %s)", p, type(e).__name__, e)
                _cache[p] = None
    return _cache[p]


# -- reading ------------------------------------------------------------------

@dataclass
class Reading:
    """Digits read from a cut-out: the string (``?`` for a shape the model
    reads as not one digit), its confidence (the least sure digit's
    probability, averaged over slightly altered copies of it, see
    :func:`_sure`), each digit's probability, and whether the cut-out's left
    or right edge cuts a digit (a digit cut in two, or one left outside:
    the string may lack a digit; the end of a single pen stroke running over
    the edge does not count, see :func:`_cut`)."""

    text: str
    conf: float
    probs: list[float]
    clipped: bool = False

    def confident(self, model: Optional[DigitModel] = None) -> bool:
        """Sure enough to count as a reading of its own, one that another
        reader must agree with: every digit at least at the model's
        threshold, none cut by the edge."""
        model = model or default_model()
        return bool(self.text) and self.text.isdigit() and not self.clipped and model is not None \
            and self.conf >= model.threshold

    def alone(self, model: Optional[DigitModel] = None) -> bool:
        """Sure enough to be taken with no other reader agreeing: every digit
        at least at the model's ``solo`` threshold (99.9 % right on held-out
        shapes), none cut by the edge."""
        model = model or default_model()
        return self.confident(model) and self.conf >= model.solo


def _classify(model: DigitModel, masks: Sequence[np.ndarray]) -> np.ndarray:
    return model.proba(features(np.stack([normalise(m) for m in masks])))


def _split(model: DigitModel, m: np.ndarray, height: int) -> list[np.ndarray]:
    """One blob as one digit or cut into several at ink minima, whichever the
    model reads best (a digit is at most about as wide as it is tall).  A
    blob no wider than a digit is tried too when it is at least 0.8 × as wide
    as tall and the model reads it as not one digit (two small digits run
    together: ``29`` written in a 31 px square); it stays whole when a piece
    reads as ``1`` (a Vietnamese ``1``, lead-in and down-stroke, is two
    strokes run together: cut, it would read ``11``)."""
    h, w = m.shape
    height = max(height, h)
    square = False
    if w <= height:
        if w < 0.8 * h or _sure(model, m).argmax() != REJECT:
            return [m]
        square, height = True, max(2, int(w / 1.2))     # the cut search runs, each piece at most w / 1.1
    cuts = [0] + _cuts(m) + [w]
    # every segmentation over the candidate cuts, segments 0.15–1.1 × height wide
    best: dict[int, tuple[float, list[tuple[int, int]]]] = {0: (0.0, [])}
    for j in range(1, len(cuts)):
        for i in range(j):
            if i not in best:
                continue
            a, b = cuts[i], cuts[j]
            if not (0.12 * height <= b - a <= 1.1 * height) and not (i == 0 and j == len(cuts) - 1):
                continue
            seg = m[:, a:b]
            if not seg.any():
                continue
            p = float(_classify(model, [seg])[0, :REJECT].max())    # read as some digit
            score = best[i][0] + math.log(max(p, 1e-6)) - (0.0 if b - a <= 1.1 * height else 5.0)
            if j not in best or score > best[j][0]:
                best[j] = (score, best[i][1] + [(a, b)])
    segs = best.get(len(cuts) - 1, (0.0, [(0, w)]))[1]
    if square and len(segs) > 1 and (_classify(model, [m[:, a:b] for a, b in segs]).argmax(axis=1) == 1).any():
        return [m]
    return [m[:, a:b] for a, b in segs]


def segment(mask: np.ndarray, model: Optional[DigitModel] = None, bs: Optional[list[_Blob]] = None) -> list[np.ndarray]:
    """The digits of a cut-out's ink, left to right (boolean arrays); a
    blob wider than a digit is cut where ``model`` reads the pieces best."""
    bs = blobs(mask) if bs is None else bs
    if not bs:
        return []
    height = int(np.median([b.h for b in bs]))
    out: list[np.ndarray] = []
    for b in bs:
        bm = b.mask()
        out.extend(_split(model, bm, height) if model is not None else [bm])
    return out


def read(crop, model: Optional[DigitModel] = None) -> Optional[Reading]:
    """The digits written in ``crop`` (a PIL image or a boolean ink array),
    or ``None`` when there is no model, no ink or more than
    :data:`MAX_DIGITS` digit shapes."""
    model = model or default_model()
    if model is None:
        return None
    try:
        return _read(crop, model)
    except (ValueError, MemoryError) as e:     # an odd cut-out: no reading, never a failed page
        log.warning("handwritten digits not read (%s: %s)", type(e).__name__, e)
        return None


def _read(crop, model: DigitModel) -> Optional[Reading]:
    mask = ink_mask(crop)
    if mask.ndim != 2 or min(mask.shape) < 2:
        return None
    bs = blobs(mask)
    if not bs:
        return None
    clipped = _cut(bs[0], 0, bs) or _cut(bs[-1], mask.shape[1] - 1, bs)
    digits = segment(mask, model, bs)
    if not digits or len(digits) > MAX_DIGITS:
        return None
    p = np.stack([_sure(model, d) for d in digits])
    labels = p.argmax(axis=1)
    probs = [0.0 if d == REJECT else float(v) for d, v in zip(labels, p.max(axis=1))]
    return Reading("".join("?" if d == REJECT else str(int(d)) for d in labels), min(probs), probs, clipped)


def stroke_width(m: np.ndarray) -> float:
    """The pen's width: the median length of the ink's horizontal runs."""
    d = np.diff(np.pad(m.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    starts, ends = np.nonzero(d == 1), np.nonzero(d == -1)
    runs = ends[1] - starts[1]
    return float(np.median(runs)) if len(runs) else 0.0


def _cut(b: _Blob, x: int, bs: list[_Blob]) -> bool:
    """Whether the cut-out's edge at column ``x`` cuts the blob ``b``: it
    reaches the edge with more than one pen stroke's end there (a digit cut
    through, or one left half outside).  The tip of a single stroke crossing
    the edge, as long as the pen is wide (a ``1``'s lead-in run into the
    label's last letter), does not count: the digit is whole but for it."""
    if not b.x0 <= x < b.x1:
        return False
    col = b.mask()[:, x - b.x0]
    runs = int(np.count_nonzero(np.diff(np.concatenate([[0], col.astype(np.int8), [0]])) == 1))
    pen = stroke_width(b.mask())
    tall = float(np.median([c.h for c in bs]))
    return runs != 1 or col.sum() > max(2.0 * pen, 2.0) or col.sum() > 0.15 * tall


def variants(m: np.ndarray) -> list[np.ndarray]:
    """A digit's ink and six slightly altered copies: a pixel thicker and
    thinner, turned 7° either way, 20 % narrower and 10 % wider."""
    from scipy import ndimage

    out = [m, ndimage.binary_dilation(m)]
    thin = ndimage.binary_erosion(m)
    out.append(thin if thin.sum() >= 0.3 * m.sum() else m)
    for angle in (-7, 7):
        out.append(ndimage.rotate(m.astype(np.float32), angle, reshape=True, order=1) > 0.5)
    for sx in (0.8, 1.1):       # (much wider, a digit starts to look like two run together)
        out.append(ndimage.zoom(m.astype(np.float32), (1, sx), order=1) > 0.5)
    return [v for v in out if v.any()]


def _sure(model: DigitModel, m: np.ndarray) -> np.ndarray:
    """The class probabilities of one digit, averaged over :func:`variants`:
    a reading that a pixel of pen or a few degrees of slant would change is
    not a sure one (test-time augmentation)."""
    return _classify(model, variants(m)).mean(axis=0)
