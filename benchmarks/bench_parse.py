"""Parse speed of vanban, measured against underthesea.word_tokenize in the same run.

    python benchmarks/bench_parse.py [--docs DIR ...] [--repeat N]

Targets (from the issue): a 10-page text document parses in well under 50 ms,
and parsing is >= 10x faster than ``underthesea.word_tokenize`` on the same
documents.  The script reports; it never fails (exit code 0).

Documents: by default corpus/sample/ plus, when present, ../shared/corpus/dev/txt
and md.  The "10-page" document is synthetic: the header of one real document,
its body paragraphs repeated until the text reaches ~30,000 characters, then
its footer (Nơi nhận, signature).

Parsing, the rule-based stages alone and word_tokenize are timed in turn,
pass by pass (and the 10-page document likewise), so that the ratios hold
on a machine whose load changes during the run.
"""

from __future__ import annotations

import argparse
import platform
import re
import resource
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TEN_PAGES = 30_000  # characters: ~3,000 per A4 page of a Decree 30 document


def collect(dirs: list[Path]) -> list[tuple[str, str, str]]:
    """(name, text, format) for every readable .txt/.md file under ``dirs``."""
    from pipeline.ingest import read
    docs = []
    for d in dirs:
        if not d.is_dir():
            continue
        for p in sorted(q for q in d.rglob("*") if q.suffix.lower() in (".txt", ".md")):
            src = read(p)
            if src.text.strip():
                docs.append((str(p), src.text, src.format))
    return docs


_BODY = re.compile(r"^\s*(Điều 1\b|I\.\s|1\.\s|Căn cứ\b|Kính gửi\b)", re.I)
_FOOTER = re.compile(r"^\s*Nơi nhận", re.I)


def ten_page_doc(docs: list[tuple[str, str, str]]) -> tuple[str, str, str]:
    """Header + body paragraphs repeated to ~TEN_PAGES chars + footer, from the
    longest document that has both a body and a ``Nơi nhận`` footer."""
    for name, text, fmt in sorted(docs, key=lambda d: -len(d[1])):
        lines = text.splitlines()
        b = next((i for i, l in enumerate(lines) if i >= 3 and _BODY.match(l)), None)
        f = next((i for i, l in enumerate(lines) if b is not None and i > b + 1 and _FOOTER.match(l)), None)
        if b is None or f is None:
            continue
        head, body, foot = lines[:b], [l for l in lines[b:f] if l.strip()], lines[f:]
        out, n = list(head), sum(len(l) + 1 for l in head + foot)
        i = 0
        while n < TEN_PAGES:
            out.append(body[i % len(body)])
            n += len(body[i % len(body)]) + 1
            i += 1
        return "\n".join(out + foot) + "\n", name, fmt
    raise SystemExit("no document with a body and a 'Nơi nhận' footer to build the 10-page document from")


def timed(fn, texts: list[str], repeat: int) -> list[float]:
    """Per-document seconds, ``repeat`` passes over ``texts`` (flat list)."""
    out = []
    for _ in range(repeat):
        for t in texts:
            t0 = time.perf_counter()
            fn(t)
            out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=Path, action="append",
                    help="folder of .txt/.md documents (repeatable; default: corpus/sample + shared dev txt, md)")
    ap.add_argument("--repeat", type=int, default=5, help="passes over the documents (default 5)")
    a = ap.parse_args()
    dirs = a.docs or [ROOT / "corpus" / "sample", SHARED / "corpus" / "dev" / "txt", SHARED / "corpus" / "dev" / "md"]

    import pipeline
    from underthesea import word_tokenize

    docs = collect(dirs)
    if not docs:
        print("no documents found in: " + ", ".join(map(str, dirs)))
        return 0
    big, base, big_fmt = ten_page_doc(docs)
    texts = [t for _, t, _ in docs]
    fmts = {t: f for _, t, f in docs}
    fmts[big] = big_fmt

    def parse(t: str):
        return pipeline.parse_text(t, format=fmts.get(t, "txt"))

    # warm-up, one pass over every document for both: vocabularies, compiled
    # patterns, the place table loaded on first use, underthesea's model; the
    # one-time cost is printed on its own row
    t0 = time.perf_counter()
    for t in texts + [big]:
        parse(t)
    warm_parse = time.perf_counter() - t0
    for t in texts + [big]:
        word_tokenize(t)

    def parse_rules(t: str):  # the rule-based stages alone, without the area classifier
        from pipeline.document import build_record
        from pipeline.ingest import Source
        return build_record(Source(text=t, format=fmts.get(t, "txt")), classify=False)

    # the three measured in turn, pass by pass, so that a change in the
    # machine's load during the run weighs on all of them alike
    p: list[float] = []
    p_rules: list[float] = []
    u: list[float] = []
    for _ in range(a.repeat):
        p += timed(parse, texts, 1)
        p_rules += timed(parse_rules, texts, 1)
        u += timed(word_tokenize, texts, 1)
    big_runs = max(20, a.repeat)
    p_big: list[float] = []
    u_big: list[float] = []
    for k in range(big_runs):
        p_big += timed(parse, [big], 1)
        if k < max(5, a.repeat):
            u_big += timed(word_tokenize, [big], 1)

    tracemalloc.start()
    parse(big)
    _, tm_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux

    n, chars = len(texts), sum(map(len, texts))
    p_rate, u_rate = n * a.repeat / sum(p), n * a.repeat / sum(u)
    ratio = p_rate / u_rate
    big_ms = statistics.median(p_big) * 1e3

    rows = [
        ("warm-up pass (parse, incl. one-time loads)", f"{warm_parse:.2f} s"),
        ("date / machine", f"{date.today()} · {platform.machine()} · Python {platform.python_version()} · "
                           f"vanban {pipeline.__version__}"),
        ("documents", f"{n} ({chars:,} chars) × {a.repeat} passes, from {', '.join(str(d) for d in dirs if d.is_dir())}"),
        ("parse docs/s", f"{p_rate:,.1f}"),
        ("parse ms/doc (median)", f"{statistics.median(p) * 1e3:.2f}  (max {max(p) * 1e3:.1f})"),
        ("10-page doc", f"{len(big):,} chars, {big.count(chr(10))} lines, built from {Path(base).name}"),
        ("10-page parse ms (median)", f"{big_ms:.1f}  over {big_runs} runs (min {min(p_big) * 1e3:.1f})"),
        ("10-page word_tokenize ms", f"{statistics.median(u_big) * 1e3:.1f}"),
        ("underthesea docs/s", f"{u_rate:,.1f}  (word_tokenize, ms/doc median {statistics.median(u) * 1e3:.2f})"),
        ("ratio parse/underthesea", f"{ratio:.1f}×  (with the area classifier)"),
        ("ratio without classification", f"{(n * a.repeat / sum(p_rules)) / u_rate:.1f}×"),
        ("peak RSS (process)", f"{rss_kb / 1024:.0f} MiB"),
        ("tracemalloc peak, one 10-page parse", f"{tm_peak / 2**20:.1f} MiB"),
    ]
    w = max(len(k) for k, _ in rows)
    for k, v in rows:
        print(f"{k:<{w}}  {v}")
    ok_big, ok_ratio = big_ms < 50, ratio >= 10
    print(f"{'PASS' if ok_big else 'MISS'}  10-page document < 50 ms  ({big_ms:.1f} ms)")
    print(f"{'PASS' if ok_ratio else 'MISS'}  parse ≥ 10× underthesea.word_tokenize  ({ratio:.1f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
