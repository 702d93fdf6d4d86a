"""Speed of ``vanban index``: a full index, a no-change re-index, a process
pool, and 1 vs 2 Dask workers on the same folder.

    python benchmarks/bench_index.py [--docs DIR ...] [--copies N] [--workers N] [--no-dask]

Target (from the issue): a no-change re-index at least 50x faster than a full
index of the same folder.  The script reports; it never fails (exit code 0).

Documents: by default the sample corpus (corpus/sample, 15 documents) copied
``--copies`` times (default 20: 300 files) into a temporary folder, each copy's
bytes made unique with trailing blank lines so that every file is parsed
rather than copied from a stored twin; ``--docs DIR`` (repeatable) indexes a
temporary copy of those folders instead (the script edits one file to time a
one-change run; the originals are never touched).  Every measurement is in this process, after a warm-up
parse (imports, vocabularies), into a fresh archive, timed with
``time.perf_counter`` around :func:`pipeline.store.index` (the parser version
computed once, before the first run); the Dask clusters
(``LocalCluster``, one thread per worker process) are started before the clock
starts and closed after it stops.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_corpus(dest: Path, copies: int) -> Path:
    sample = ROOT / "corpus" / "sample"
    for i in range(copies):
        sub = dest / f"copy{i:03d}"
        sub.mkdir(parents=True)
        for p in sorted(sample.iterdir()):
            (sub / p.name).write_bytes(p.read_bytes() + b"\n" * (i + 1))
    return dest


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", action="append", type=Path, help="Folder to index (repeatable).")
    ap.add_argument("--copies", type=int, default=20, help="Copies of the sample corpus (default 20).")
    ap.add_argument("--workers", type=int, default=2, help="Process-pool size (default 2).")
    ap.add_argument("--no-dask", action="store_true", help="Skip the Dask measurements.")
    args = ap.parse_args()

    import pipeline
    from pipeline.store import index, indexer

    # the parser version is computed once here and kept: a checkout being
    # edited while this runs must not turn the no-change run into a re-parse
    t_version = time.perf_counter()
    version = indexer.parser_version()
    t_version = time.perf_counter() - t_version
    indexer.parser_version = lambda: version

    tmp = Path(tempfile.mkdtemp(prefix="vanban-bench-"))
    try:
        # the folders are indexed from a copy: the script changes a file, and
        # must never touch the originals
        roots = ([Path(shutil.copytree(d, tmp / "docs" / f"{i}-{d.name}")) for i, d in enumerate(args.docs)]
                 if args.docs else [make_corpus(tmp / "docs", args.copies)])
        what = ", ".join(str(r) for r in args.docs) if args.docs else f"corpus/sample x {args.copies} (unique bytes)"
        pipeline.parse(ROOT / "corpus" / "sample" / "sample-01-quyet-dinh.txt")  # warm-up

        load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
        print(f"vanban {pipeline.__version__} · {date.today()} · Python {platform.python_version()} · "
              f"{os.cpu_count()} CPUs · load average {load[0]:.2f} at start")
        print(f"documents: {what}")
        print()

        db = tmp / "serial.sqlite"
        full, t_full = timed(lambda: index(roots, db))
        print(f"full index (serial)       {full.parsed:5d} docs  {t_full:8.3f} s  {full.parsed / t_full:8.1f} docs/s"
              f"  ({full.errors} errors, {full.unsupported} unsupported)")
        noop, t_noop = timed(lambda: index(roots, db))
        t_noop += t_version  # as if the version were computed in the run, as it is normally
        ratio = (t_full + t_version) / t_noop
        print(f"no-change re-index        {noop.unchanged:5d} docs  {t_noop:8.3f} s  "
              f"{noop.unchanged / t_noop:8.1f} files/s checked  (parsed {noop.parsed}; "
              f"parser-version hash {t_version * 1000:.1f} ms included)")
        print(f"  full / no-change ratio  {ratio:8.1f}x   target >= 50x: {'PASS' if ratio >= 50 else 'MISS'}")
        one = next(iter(sorted(Path(roots[0]).rglob("*.txt"))))
        one.write_bytes(one.read_bytes() + b" changed\n")  # unlike every other copy
        ch, t_ch = timed(lambda: index(roots, db))
        print(f"one file changed          {ch.parsed:5d} parsed {t_ch:7.3f} s")

        if args.workers > 1:
            pool, t_pool = timed(lambda: index(roots, tmp / "pool.sqlite", workers=args.workers))
            print(f"full index ({args.workers} processes)   {pool.parsed:5d} docs  {t_pool:8.3f} s  "
                  f"{pool.parsed / t_pool:8.1f} docs/s  (x{t_full / t_pool:.2f} vs serial)")

        if not args.no_dask:
            try:
                from distributed import Client, LocalCluster
            except ImportError:
                print("dask.distributed not installed: skipped")
                return 0
            logging.getLogger("distributed").setLevel(logging.ERROR)
            rates = {}
            for n in (1, 2):
                with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                                  dashboard_address=None) as cluster, Client(cluster) as client:
                    client.run(lambda: __import__("pipeline").parse(
                        str(ROOT / "corpus" / "sample" / "sample-01-quyet-dinh.txt")))  # warm workers
                    st, t = timed(lambda: index(roots, tmp / f"dask{n}.sqlite", dask=client))
                rates[n] = st.parsed / t
                print(f"full index (dask, {n} worker{'s' if n > 1 else ' '}) {st.parsed:5d} docs  {t:8.3f} s  "
                      f"{rates[n]:8.1f} docs/s  ({st.errors} errors)")
            print(f"  2 / 1 Dask workers      x{rates[2] / rates[1]:.2f}")
        load = os.getloadavg() if hasattr(os, "getloadavg") else (float("nan"),) * 3
        print(f"load average {load[0]:.2f} at end")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
