"""How much the area classifier adds to the parse (target: < 20 %).

    python3 benchmarks/bench_classify.py [--docs DIR ...] [--repeat N] [--model FILE]
                                         [--format-repeat N] [--no-formats] [--scans]

Two measurements in one run, each with its own PASS/MISS line:

1. **Plain text, parse of the text only** (the hardest case, the figure kept
   from the start of issue 7): every .txt/.md of corpus/sample/, plus
   ../shared/corpus/dev/txt and ../shared/seeds when present (``--docs``
   replaces these).  Each file is read once beforehand; for each document the
   parse without classification (``build_record(src, classify=False)``: no
   file reading) and the classification of the finished record
   (``pipeline.classify.classify``, document and all items) are timed
   separately with ``time.perf_counter``, ``--repeat`` times (default 5),
   after a warm-up that loads the model.  Reported: the median per document
   of each, the ratio of the medians and the ratio of the totals (PASS if both
   < 20 %), and for context ``underthesea.word_tokenize`` on the same texts
   (the reason the model uses syllable n-grams), plus the one-off model load
   time.  Also printed, not part of PASS: the machine's load average, the
   same two ratios with the per-document *minimum* of the runs instead of the
   median (other processes on a busy machine lengthen single runs, the
   minimum least) and with the thread's CPU time (``time.thread_time``: time
   the process waits for a CPU does not count), and the split of the
   classification time between documents with and without items.
2. **A typical archive document, per input format**: the files of
   ../shared/corpus/dev/{txt,md,pdf,docx,legacy} (archives hold mostly PDF,
   DOCX and scans, issue 8; ``--scans`` adds dev/scan, OCR at ~10 s a page,
   read once).  Here the parse is the whole of ``pipeline.parse(path)`` but
   the classification: ``ingest.read(path)`` (file reading, PDF/DOCX
   extraction, legacy-encoding conversion) plus ``build_record(src,
   classify=False)``; the classification is timed as above.  Each format is
   run ``--format-repeat`` times (default 3) after one warm-up file; per
   format: documents, median parse and classification per document, ratio
   of the medians and of the totals, PASS if both < 20 %.  ``--no-formats``
   skips this part.
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
    ap.add_argument("--format-repeat", type=int, default=3, help="runs per file in the per-format part")
    ap.add_argument("--no-formats", action="store_true", help="skip the per-format part")
    ap.add_argument("--scans", action="store_true", help="per-format part: also dev/scan (OCR, slow; one run)")
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
    parse_cpu: dict[int, list[float]] = {i: [] for i in range(len(sources))}
    cls_cpu: dict[int, list[float]] = {i: [] for i in range(len(sources))}
    items = {}
    clock, cpu = time.perf_counter, time.thread_time
    for _ in range(args.repeat):
        for i, s in enumerate(sources):
            u0, t0 = cpu(), clock()
            rec = build_record(s, classify=False)
            t1, u1 = clock(), cpu()
            classify(rec, model)
            t2, u2 = clock(), cpu()
            parse_t[i].append(t1 - t0)
            cls_t[i].append(t2 - t1)
            parse_cpu[i].append(u1 - u0)
            cls_cpu[i].append(u2 - u1)
            items[i] = sum(1 for _ in _walk(rec.items))
    print("1. plain text: parse of the text (build_record, no file reading) vs classification")
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
    p_cpu = [min(v) * 1000 for v in parse_cpu.values()]
    c_cpu = [min(v) * 1000 for v in cls_cpu.values()]
    print(f"with the thread's CPU time (per-document minimum): parse {statistics.median(p_cpu):.2f} ms, classification "
          f"{statistics.median(c_cpu):.2f} ms; median of minima {statistics.median(c_cpu) / statistics.median(p_cpu):.1%}, "
          f"totals {sum(c_cpu) / sum(p_cpu):.1%}")
    for name, sel in (("without items", [i for i in items if not items[i]]), ("with items", [i for i in items if items[i]])):
        if sel:
            print(f"  documents {name}: {len(sel)}, classification median {statistics.median(c_med[i] for i in sel):.2f} ms, "
                  f"{sum(c_med[i] for i in sel) / sum(p_med[i] for i in sel):.1%} of their parse (totals)")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    ok = ratio_med < 0.2 and ratio_tot < 0.2
    print(f"plain text, target < 20 % of the parse: {'PASS' if ok else 'MISS'}")
    if not args.no_formats:
        per_format(model, args.format_repeat, args.scans)
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


def per_format(model, repeat: int, scans: bool) -> None:
    """Part 2: classification against the whole parse of a file, per format
    of ../shared/corpus/dev (see the module docstring)."""
    dev = ROOT.parent / "shared" / "corpus" / "dev"
    if not dev.exists():
        print("2. per input format: skipped (../shared/corpus/dev not found)")
        return
    print("2. per input format (../shared/corpus/dev): parse = pipeline.parse(path) without the classification "
          "(ingest.read + build_record) vs classification")
    print(f"   {'format':7s} {'docs':>4s} {'parse med':>10s} {'class. med':>11s} {'ratio med':>9s} {'totals':>7s}  target < 20 %")
    for fmt in ("txt", "md", "pdf", "docx", "legacy") + (("scan",) if scans else ()):
        d = dev / fmt
        files = sorted(p for p in d.iterdir() if p.is_file()) if d.exists() else []
        if not files:
            continue
        runs = 1 if fmt == "scan" else repeat
        if fmt != "scan":  # warm-up: the format's libraries
            classify(build_record(read(files[0]), classify=False), model)
        parse_t: dict[int, list[float]] = {i: [] for i in range(len(files))}
        cls_t: dict[int, list[float]] = {i: [] for i in range(len(files))}
        for _ in range(runs):
            for i, p in enumerate(files):
                t0 = time.perf_counter()
                rec = build_record(read(p), classify=False)  # pipeline.parse(path) but the last stage
                t1 = time.perf_counter()
                classify(rec, model)
                t2 = time.perf_counter()
                parse_t[i].append(t1 - t0)
                cls_t[i].append(t2 - t1)
        p_med = [statistics.median(v) * 1000 for v in parse_t.values()]
        c_med = [statistics.median(v) * 1000 for v in cls_t.values()]
        r_med = statistics.median(c_med) / statistics.median(p_med)
        r_tot = sum(c_med) / sum(p_med)
        print(f"   {fmt:7s} {len(files):4d} {statistics.median(p_med):7.2f} ms {statistics.median(c_med):8.2f} ms "
              f"{r_med:9.1%} {r_tot:7.1%}  {'PASS' if r_med < 0.2 and r_tot < 0.2 else 'MISS'}")


def _walk(items):
    for it in items:
        yield it
        yield from _walk(it.children)


if __name__ == "__main__":
    main()
