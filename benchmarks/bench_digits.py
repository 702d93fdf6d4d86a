"""Handwritten-digit model: file size, load time and reading time per cut-out.

    python benchmarks/bench_digits.py [--n 200]

Cut-outs are drawn by the training script's pen (pipeline/ingest/digits_train.py),
two to four digits each; prints the figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from PIL import Image


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=200)
    a = ap.parse_args()
    from pipeline.ingest import digits as D
    from pipeline.ingest.digits_train import draw

    path = D.MODELS_DIR / D.MODEL_NAME
    t = time.perf_counter()
    import skops.io  # noqa: F401 - imported once per process, shared with the area model
    import_s = time.perf_counter() - t
    t = time.perf_counter()
    model = D.load(path)
    load_s = time.perf_counter() - t
    rng = np.random.default_rng(0)
    crops, truth = [], []
    for _ in range(a.n):
        ds = [int(d) for d in rng.integers(0, 10, rng.integers(2, 5))]
        parts = [draw(d, rng) for d in ds]
        row = np.hstack([np.pad(p, ((10, 10), (2, 2))) for p in parts])
        crops.append(Image.fromarray(np.where(row, 20, 235).astype("uint8")))
        truth.append("".join(map(str, ds)))
    t = time.perf_counter()
    got = [D.read(c, model) for c in crops]
    per = (time.perf_counter() - t) / len(crops)
    right = sum(g is not None and g.text == s for g, s in zip(got, truth))
    sure = sum(g is not None and g.confident(model) for g in got)
    alone = [g is not None and g.alone(model) for g in got]
    alone_right = sum(a and g.text == s for a, g, s in zip(alone, got, truth))
    print(f"model {path.name}: {path.stat().st_size / 1024:.0f} KB, load {load_s * 1000:.0f} ms "
          f"(after importing skops, {import_s:.1f} s, shared with the area model)")
    print(f"read: {per * 1000:.1f} ms per cut-out ({a.n} drawn cut-outs of 2-4 digits), "
          f"strings right {right / len(crops):.3f}, confident {sure / len(crops):.3f}, "
          f"sure alone {sum(alone) / len(crops):.3f} (of which right {alone_right / max(1, sum(alone)):.4f})")


if __name__ == "__main__":
    main()
