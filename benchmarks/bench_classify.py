"""How much the area classifier adds to the parse (target: < 20 %).

    python3 benchmarks/bench_classify.py [--docs DIR ...] [--repeat N] [--model FILE]

Documents: every .txt/.md of corpus/sample/, plus ../shared/corpus/dev/txt and
../shared/seeds when present (``--docs`` replaces the default).  For each
document the parse without classification (``build_record(src,
classify=False)``) and the classification of the finished record
(``pipeline.classify.classify``, document and all items) are timed
separately with ``time.perf_counter``, ``--repeat`` times (default 5), after a
warm-up that loads the model.  Reported: the median per document of each, the
ratio of the medians and the ratio of the totals (PASS if both < 20 %), and
for context ``underthesea.word_tokenize`` on the same texts (the reason the
model uses syllable n-grams), plus the one-off model load time.  Also printed,
not part of PASS: the machine's load average, and the same two ratios with the
per-document *minimum* of the runs instead of the median (other processes on a
busy machine lengthen single runs, the minimum least), and the split of the
classification time between documents with and without items.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.classify import classify  # noqa: E402
from pipeline.classify.model import MODEL_NAME, MODELS_DIR, load  # noqa: E402
from pipeline.document import build_record  # noqa: E402
from pipeline.ingest import read  # noqa: E402


def default_docs() -> list[Path]:
    dirs = [ROOT / "corpus" / "sample", ROOT.parent / "shared" / "corpus" / "dev" / "txt", ROOT.parent / "shared" / "seeds"]
    return [p for d in dirs if d.exists() for p in sorted(d.iterdir()) if p.suffix in (".txt", ".md")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", action="append", type=Path, help="folder of .txt/.md files (repeatable)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-underthesea", action="store_true")
    ap.add_argument("--model", type=Path, default=MODELS_DIR / MODEL_NAME, help="model file (default: the shipped one)")
    args = ap.parse_args()
    files = [p for d in args.docs for p in sorted(d.iterdir()) if p.suffix in (".txt", ".md")] if args.docs else default_docs()
    sources = [read(p) for p in files]

    t = time.perf_counter()
    model = load(args.model)
    load_ms = (time.perf_counter() - t) * 1000

    for s in sources[:5]:  # warm-up
        classify(build_record(s, classify=False), model)

    parse_t: dict[int, list[float]] = {i: [] for i in range(len(sources))}
    cls_t: dict[int, list[float]] = {i: [] for i in range(len(sources))}
    items = {}
    for _ in range(args.repeat):
        for i, s in enumerate(sources):
            t0 = time.perf_counter()
            rec = build_record(s, classify=False)
            t1 = time.perf_counter()
            classify(rec, model)
            t2 = time.perf_counter()
            parse_t[i].append(t1 - t0)
            cls_t[i].append(t2 - t1)
            items[i] = sum(1 for _ in _walk(rec.items))
    p_med = [statistics.median(v) * 1000 for v in parse_t.values()]
    c_med = [statistics.median(v) * 1000 for v in cls_t.values()]
    ratio_med = statistics.median(p_med) and statistics.median(c_med) / statistics.median(p_med)
    ratio_tot = sum(c_med) / sum(p_med)
    print(f"documents: {len(sources)} ({sum(len(s.text) for s in sources) // max(1, len(sources))} characters, "
          f"{sum(items.values()) / max(1, len(items)):.0f} items on average), repeat {args.repeat}")
    print(f"model load (once per process): {load_ms:.0f} ms; {model.featurizer.n_features:,} features")
    print(f"parse, median per document:          {statistics.median(p_med):7.2f} ms")
    print(f"classification, median per document: {statistics.median(c_med):7.2f} ms  "
          f"(max {max(c_med):.2f} ms)")
    per_doc = sorted(c / p for c, p in zip(c_med, p_med))
    print(f"classification / parse: median of medians {ratio_med:.1%}, totals {ratio_tot:.1%}, "
          f"per-document 90th percentile {per_doc[int(0.9 * (len(per_doc) - 1))]:.1%}")
    p_min = [min(v) * 1000 for v in parse_t.values()]
    c_min = [min(v) * 1000 for v in cls_t.values()]
    print(f"with the per-document minimum instead: parse {statistics.median(p_min):.2f} ms, classification "
          f"{statistics.median(c_min):.2f} ms; median of minima {statistics.median(c_min) / statistics.median(p_min):.1%}, "
          f"totals {sum(c_min) / sum(p_min):.1%}")
    for name, sel in (("without items", [i for i in items if not items[i]]), ("with items", [i for i in items if items[i]])):
        if sel:
            print(f"  documents {name}: {len(sel)}, classification median {statistics.median(c_med[i] for i in sel):.2f} ms, "
                  f"{sum(c_med[i] for i in sel) / sum(p_med[i] for i in sel):.1%} of their parse (totals)")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    ok = ratio_med < 0.2 and ratio_tot < 0.2
    print(f"target < 20 % of the parse: {'PASS' if ok else 'MISS'}")
    if not args.no_underthesea:
        try:
            from underthesea import word_tokenize
        except ImportError:
            return
        word_tokenize("khởi động")
        texts = [s.text for s in sources]
        t = time.perf_counter()
        for x in texts:
            word_tokenize(x)
        wt = (time.perf_counter() - t) * 1000 / len(texts)
        print(f"for comparison, underthesea.word_tokenize of the whole text: {wt:.1f} ms per document "
              f"({wt / statistics.median(p_med):.0%} of the parse)")


def _walk(items):
    for it in items:
        yield it
        yield from _walk(it.children)


if __name__ == "__main__":
    main()
