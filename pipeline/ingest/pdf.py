"""Born-digital PDF: the text layer through pdfium, laid out by geometry.

pypdfium2 (pdfium, already installed with pdfplumber) gives each page's text in
reading order and every character's box; :mod:`.layout` cuts the lines at
column gaps and puts pieces of the same visual row back on one line, so the
two-column header (issuer | quốc hiệu, number | place-date) and footer
(Nơi nhận | signature) reach the zoning stage as ``left    right`` rows, the
shape it reads best.  Page numbers and running headers are dropped.  Reading
the characters through pdfium's C API costs a few milliseconds per page, an
order of magnitude less than pdfplumber's ``extract_text`` on the same file
(``benchmarks/bench_pdf.py``), so one path serves every page.

A page whose text layer is empty or holds only a few dozen characters (a
digital-signature stamp) over a page-sized image goes to OCR (:mod:`.ocr`).
A new quốc hiệu or Party header, a copy block (``SAO Y``) or a dispatch slip
(``PHIẾU GỬI``) at the top of a later page marks a file holding several
documents (spec §8.8): the text stops before that page, so that the record
describes the first document (its own footer, not the attachment's), and a
warning names the pages left out.  An encrypted, truncated or corrupt file gives an empty Source
with a warning, never an exception.
"""

from __future__ import annotations

import ctypes
import re

from .. import patterns as P
from ..normalize import fold
from . import Source
from .layout import Char, PageRows, Piece, drop_running, is_digisig, render, rows, split_line

OCR_DPI = 300
MIN_TEXT_CHARS = 200      # fewer non-space characters than this over a page image → OCR
COLUMNS = 120             # character columns across the page width in the rendered text

_NEW_DOC = re.compile(r"^(?:sao\s+y|sao\s+luc|trich\s+sao|phieu\s+gui|phieu\s+chuyen)\b")


def _page_chars(textpage, height: float) -> list[Char]:
    import pypdfium2.raw as R

    text = textpage.get_text_range()
    n = textpage.count_chars()
    raw = textpage.raw
    if len(text) != n:  # characters outside the BMP: read them one by one
        text = "".join(chr(R.FPDFText_GetUnicode(raw, i) or 0xFFFD) for i in range(n))
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    out: list[Char] = []
    for i, ch in enumerate(text):
        if ch == "\ufffe":  # pdfium's mark for a hyphen at the end of a line
            ch = "-"
        if ch.isspace() or ch == "\x00":
            out.append(Char("\n" if ch == "\n" else (" " if ch != "\r" else ""), None))
            continue
        if not R.FPDFText_GetCharBox(raw, i, l, r, b, t):
            out.append(Char(ch, None))
            continue
        out.append(Char(ch, (l.value, height - t.value, r.value, height - b.value)))
    return out


def _pieces(chars: list[Char]) -> list[Piece]:
    """Split at line breaks, then at column gaps."""
    pieces: list[Piece] = []
    line: list[Char] = []
    for c in chars + [Char("\n", None)]:
        if c.ch == "\n":
            pieces.extend(split_line(line))
            line = []
        else:
            line.append(c)
    return pieces


def _image_cover(page, width: float, height: float) -> float:
    """The largest share of the page covered by one image."""
    import pypdfium2.raw as R

    best = 0.0
    try:
        for obj in page.get_objects(filter=(R.FPDF_PAGEOBJ_IMAGE,)):
            x0, y0, x1, y1 = obj.get_bounds()
            best = max(best, max(0.0, min(x1, width) - max(x0, 0)) * max(0.0, min(y1, height) - max(y0, 0))
                       / (width * height))
    except Exception:  # pragma: no cover - a damaged content stream
        pass
    return best


def _signature_note(pieces: list[Piece]) -> list[Piece]:
    return [p for p in pieces if not is_digisig(p.text)]


def read_pdf(data: bytes, path: str) -> Source:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            return Source("", "pdf", path, warnings=["encrypted PDF: it cannot be read without its password"])
        return Source("", "pdf", path, warnings=[f"corrupt or truncated PDF: pdfium cannot open it ({msg})"])
    except Exception as e:  # pragma: no cover - anything else pdfium throws
        return Source("", "pdf", path, warnings=[f"corrupt or truncated PDF: {e}"])
    try:
        return _read(doc, path)
    finally:
        doc.close()


def _read(doc, path: str) -> Source:
    warnings: list[str] = []
    n = len(doc)
    pages: list[PageRows] = []
    layer: dict[int, list[Piece]] = {}
    to_ocr: list[int] = []
    digisig = 0
    for i in range(n):
        try:
            page = doc[i]
            width, height = page.get_size()
            tp = page.get_textpage()
            chars = _page_chars(tp, height)
        except Exception as e:
            warnings.append(f"page {i + 1}: unreadable ({e})")
            pages.append(PageRows(i + 1, [], 595.0, 842.0))
            continue
        pieces = _pieces(chars)
        kept = _signature_note(pieces)
        digisig += len(pieces) - len(kept)
        solid = sum(1 for p in kept for ch in p.text if not ch.isspace())
        if solid < MIN_TEXT_CHARS and _image_cover(page, width, height) > 0.5:
            to_ocr.append(i)
            pages.append(PageRows(i + 1, [], width, height))
            continue
        layer[i] = kept
        pages.append(PageRows(i + 1, [], width, height))
    legacy = _legacy_layer([p for ps in layer.values() for p in ps])
    if legacy:
        warnings.append(f"PDF text layer in the legacy {legacy.upper()} encoding, converted to Unicode")
    for i, kept in layer.items():
        pages[i].rows = rows(kept)
    if digisig:
        warnings.append(f"digital-signature stamp text left out ({digisig} lines)")

    method, confidence = "pdf-layout" + (f"+{legacy}" if legacy else ""), 1.0
    if to_ocr:
        from . import ocr
        done, conf, warns = ocr.ocr_pdf_pages(doc, to_ocr, OCR_DPI)
        warnings.extend(warns)
        for i, pg in done.items():
            pages[i] = pg
        if len(to_ocr) == n:
            method, confidence = ocr.METHOD, conf
        else:
            method, confidence = f"pdf-layout+{ocr.METHOD}", min(1.0, conf + 0.1)
            warnings.append(f"pages read by OCR: {', '.join(str(i + 1) for i in to_ocr)}")
    drop_running(pages)
    starts = _new_documents(pages)
    if starts:
        k = starts[0]
        warnings.append(f"several documents in one file: another document (its own header, a copy block or a "
                        f"dispatch slip) starts on page {', '.join(map(str, starts))}; the record describes the "
                        f"first, and pages {k}–{n} are left out of its text")
        pages = pages[:k - 1]
    width = max((pg.width for pg in pages), default=595.0)
    text, page_starts, lines = render(pages, width / COLUMNS)
    if not text.strip() and not any(w.startswith("OCR") for w in warnings):
        warnings.append("PDF without text: no text layer and nothing read from its images")
    return Source(text, "pdf", path, pages=n, warnings=warnings, page_starts=page_starts,
                  lines=lines, method=method, confidence=confidence)


def _legacy_layer(pieces: list[Piece]) -> str | None:
    """A text layer typed in a TCVN3 (.VnTime) or VNI font comes out as
    Latin-1 letters: detect it on the whole layer and convert every piece in
    place (:mod:`.legacy`); returns the encoding's name or None."""
    from .legacy import convert, fix_legacy, restore_capitals

    sample = "\n".join(p.text for p in pieces[:400])
    _, enc = fix_legacy(sample)
    if enc:
        for p in pieces:
            t = convert(p.text, enc)
            if enc == "tcvn3":
                # TCVN3 writes ư as 0xAD, a soft hyphen, which pdfium hands over as "-"
                t = _TCVN3_U.sub("ư", _TCVN3_U_END.sub(r"\1ư", t))
                t = restore_capitals(t)
            p.text = t
    return enc


_TCVN3_U = re.compile(r"(?<=[a-zđ])-(?=[a-zđơớờởỡợ])")
_TCVN3_U_END = re.compile(r"(?<![\w-])((?:ngh|ch|gh|gi|kh|ng|nh|ph|qu|th|tr|[bcdđghklmnpqrstvx]))-(?=[\s,.;:)]|$)")


def _new_documents(pages: list[PageRows]) -> list[int]:
    """The later pages that start a new document (spec §8.8): a quốc hiệu or
    Party header, a copy block (``SAO Y``) or a dispatch slip near the top."""
    starts = []
    for pg in pages[1:]:
        top = [" ".join(fold(p.text) for p in r) for r in pg.rows[:6]]
        for k in top:
            k = " ".join(k.split())
            if P.QUOC_HIEU.search(k) or P.PARTY_HEAD.search(k) or _NEW_DOC.match(k):
                starts.append(pg.page)
                break
    return starts
