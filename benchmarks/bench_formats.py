"""Reading speed of the DOCX, HTML and legacy-text readers, and the cost of
legacy detection on ordinary text.

    python3 benchmarks/bench_formats.py [--docs ../shared/corpus/dev] [--repeat 3]

Prints, per format, files, seconds per file for ``pipeline.ingest.read`` and
for the whole ``pipeline.parse``; for DOCX, python-docx's plain paragraph
text (``Document.paragraphs``, no tables, the naive baseline) on the same
files in the same run; for text, ``decode`` with and without the legacy check.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import pipeline
from pipeline.ingest import read
from pipeline.ingest import text as T


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    dev = Path(a.docs)
    groups = {
        "docx": sorted((dev / "docx").glob("*.docx")),
        "tcvn3": sorted((dev / "legacy").glob("*.tcvn3.txt")),
        "vni": sorted((dev / "legacy").glob("*.vni.txt")),
        "txt": sorted((dev / "txt").glob("*.txt")),
    }
    blobs = {k: [p.read_bytes() for p in v] for k, v in groups.items()}
    print(f"{'format':8} {'files':>5} {'read ms/file':>13} {'parse ms/file':>14}")
    for fmt, paths in groups.items():
        if not paths:
            continue
        n = len(paths)
        r = best(lambda: [read(p, d) for p, d in zip(paths, blobs[fmt])], a.repeat) / n * 1000
        q = best(lambda: [pipeline.parse(p) for p in paths], a.repeat) / n * 1000
        print(f"{fmt:8} {n:5d} {r:13.1f} {q:14.1f}")
    if groups["docx"]:
        import docx
        naive = best(lambda: ["\n".join(p.text for p in docx.Document(io.BytesIO(d)).paragraphs)
                              for d in blobs["docx"]], a.repeat) / len(blobs["docx"]) * 1000
        print(f"baseline: python-docx Document.paragraphs text (no tables) {naive:.1f} ms/file")
    if groups["txt"]:
        full = best(lambda: [T.decode(d) for d in blobs["txt"]], a.repeat)
        bare = best(lambda: [T._decode(d) for d in blobs["txt"]], a.repeat)
        cp = [T.encode_cp1258(d.decode("utf-8")) for d in blobs["txt"]]
        cpt = best(lambda: [T.decode(d) for d in cp], a.repeat)
        n = len(blobs["txt"])
        print(f"text decode: {bare / n * 1000:.2f} ms/file without the legacy check, {full / n * 1000:.2f} with it "
              f"(UTF-8 files); Windows-1258 bytes with the check: {cpt / n * 1000:.2f} ms/file")


if __name__ == "__main__":
    main()
