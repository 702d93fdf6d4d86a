"""PDF reading speed of vanban against pdfplumber's ``extract_text`` on the
same files in the same run, and OCR seconds per page.

    python benchmarks/bench_pdf.py [--pdf DIR ...] [--scan FILE ...] [--repeat N] [--no-ocr]

Target (issue 8): the default PDF path (pypdfium2 text and character boxes,
layout rebuilt into rows) reads pages at least 5× faster than
``pdfplumber.Page.extract_text``.  The script reports; it never fails.

Documents: by default ../shared/corpus/dev/pdf and the seed renditions
(``../shared/seeds/renditions/*.pdf`` without ``.scan``); without ../shared,
PDFs typeset in-process with fpdf2 like the tests do.  OCR: by default the
first pages of three scans of ../shared/corpus/dev (a typeset scan, a real
scanned PDF, a photographed page), each timed once (OCR is seconds a page).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))


def pdf_files(dirs: list[Path]) -> list[tuple[str, bytes]]:
    out = []
    for d in dirs:
        paths = [d] if d.is_file() else sorted(d.glob("*.pdf")) if d.is_dir() else []
        out += [(str(p), p.read_bytes()) for p in paths if not p.name.endswith(".scan.pdf")]
    if not out:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_ingest_pdf import make_pdf  # typeset like the tests (needs fpdf2 + DejaVu)
        out = [(f"generated-{k}.pdf", make_pdf(filler=k * 15, running=True)) for k in range(1, 6)]
    return out


def bench_vanban(files, repeat: int) -> tuple[int, float, list[float]]:
    from pipeline.ingest.pdf import read_pdf
    pages, times = 0, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = 0
        for name, data in files:
            n += read_pdf(data, name).pages or 0
        times.append(time.perf_counter() - t0)
        pages = n
    return pages, min(times), times


def bench_plumber(files, repeat: int) -> tuple[int, float, list[float]]:
    import io
    import pdfplumber
    pages, times = 0, []
    for _ in range(repeat):
        t0 = time.perf_counter()
        n = 0
        for _name, data in files:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                for p in pdf.pages:
                    p.extract_text()
                    n += 1
        times.append(time.perf_counter() - t0)
        pages = n
    return pages, min(times), times


def bench_ocr(paths: list[Path]) -> list[tuple[str, float, int]]:
    from PIL import Image
    from pipeline.ingest import ocr
    why = ocr.available()
    if why:
        print(f"OCR: skipped ({why})")
        return []
    out = []
    for p in paths:
        if p.suffix.lower() == ".pdf":
            import pypdfium2 as pdfium
            t0 = time.perf_counter()
            img = pdfium.PdfDocument(str(p))[0].render(scale=300 / 72).to_pil()
            scale = 300 / 72
        else:
            t0 = time.perf_counter()
            img, scale = Image.open(p), 1.0
        pg, conf, _bad = ocr.ocr_page(img, 1, scale)
        out.append((p.name, time.perf_counter() - t0, sum(len(r) for r in pg.rows)))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pdf", action="append", type=Path, help="a PDF or a folder of PDFs (repeatable)")
    ap.add_argument("--scan", action="append", type=Path, help="a scan (PDF or image) for the OCR timing")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-ocr", action="store_true")
    a = ap.parse_args(argv)

    dirs = a.pdf or [SHARED / "corpus" / "dev" / "pdf", *sorted((SHARED / "seeds" / "renditions").glob("*.pdf"))]
    files = pdf_files(dirs)
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"PDFs: {len(files)} files, {sum(len(d) for _, d in files) / 1e6:.1f} MB")
    # warm-up (imports, pdfium and pdfminer initialisation)
    bench_vanban(files[:1], 1)
    bench_plumber(files[:1], 1)
    pv, tv, allv = bench_vanban(files, a.repeat)
    pp, tp, allp = bench_plumber(files, a.repeat)
    rv, rp = pv / tv, pp / tp
    print(f"vanban read_pdf (pdfium + layout): {pv} pages, best of {a.repeat} {tv:.3f} s "
          f"→ {rv:.0f} pages/s ({1000 * tv / pv:.1f} ms/page; runs {', '.join(f'{t:.2f}' for t in allv)} s)")
    print(f"pdfplumber extract_text:           {pp} pages, best of {a.repeat} {tp:.3f} s "
          f"→ {rp:.0f} pages/s ({1000 * tp / pp:.1f} ms/page; runs {', '.join(f'{t:.2f}' for t in allp)} s)")
    ratio = rv / rp
    print(f"ratio: {ratio:.1f}× ({'PASS' if ratio >= 5 else 'MISS'}: target ≥ 5×)")

    if a.no_ocr:
        return
    scans = a.scan or [p for p in (SHARED / "corpus" / "dev" / "scan" / "dev-0003.scan.pdf",
                                   SHARED / "corpus" / "dev" / "scan-real" / "dev-r01.pdf",
                                   SHARED / "corpus" / "dev" / "scan-real" / "dev-r11.jpg") if p.exists()]
    if not scans:
        print("OCR: no scans given and ../shared absent")
        return
    res = bench_ocr(scans)
    for name, secs, cells in res:
        print(f"OCR {name}: page 1 in {secs:.1f} s ({cells} cells; render, clean-up, Tesseract, layout)")
    if res:
        print(f"OCR: median {statistics.median(s for _, s, _ in res):.1f} s/page on one core "
              f"(multi-page files read {os.cpu_count()} pages at a time)")


if __name__ == "__main__":
    main()
