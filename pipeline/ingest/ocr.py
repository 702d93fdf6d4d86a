"""Scans: page images read by Tesseract with the Vietnamese model.

Image files (PNG, JPEG, TIFF, one page per frame) and PDF pages without a
usable text layer (rendered by pypdfium2 at 300 dpi, see :mod:`.pdf`) are
cleaned up (grey scale from the red channel, so red seals and receipt stamps
fade; grain taken out by a median filter; small images upscaled; skew
corrected) and read by the ``tesseract``
command (Debian packages ``tesseract-ocr`` and ``tesseract-ocr-vie``).  Its TSV
output gives every word with its box and confidence; the words are put back
into visual rows by :mod:`.layout`, like a PDF text layer, so the two-column
header and footer keep their shape.

Tesseract is called as a command rather than through pytesseract because each
call needs ``OMP_THREAD_LIMIT=1`` (OpenMP threads make it three times slower
on a small machine) and pages are read in parallel, one process per core; the
TSV is ten lines to parse.  Deskew is a projection-profile search over small
angles with numpy (a few lines; the ``deskew`` package would pull in
scikit-image for the same result).

What OCR cannot read is not guessed: a word Tesseract itself gives a very
low confidence and that is not made of letters and digits (a handwritten
serial or day read as ``&@``) is replaced by ``…``, so the extractors see a
blank, and the reader warns.  ``Ð`` (Icelandic eth) is read for ``Đ`` and is
mapped back.  Without Tesseract, or without its Vietnamese model, the Source
comes back empty with a warning, never an exception.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Optional

from . import Source, handwriting, signature
from .layout import Char, PageRows, Piece, drop_running, is_digisig, render, rows, split_line

METHOD = "ocr:tesseract"
LANG = "vie"
PSM = "3"
TIMEOUT = 180           # seconds per page
MIN_WIDTH = 1600        # narrower page images are upscaled to about this width
UNREADABLE = "…"
COLUMNS = 120
GAP_FACTOR = 1.3        # a gap wider than this × the word height splits two columns

_FIX = str.maketrans({"Ð": "Đ", "ð": "đ", "|": " ", "¬": "-"})


@lru_cache(maxsize=1)
def available() -> Optional[str]:
    """None when Tesseract and its Vietnamese model are there, else why not."""
    exe = shutil.which("tesseract")
    if not exe:
        return "OCR unavailable: the tesseract command is not installed (Debian: tesseract-ocr tesseract-ocr-vie)"
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as e:
        return f"OCR unavailable: tesseract does not run ({e})"
    if LANG not in (out.stdout + out.stderr).split():
        return "OCR unavailable: Tesseract's Vietnamese model is not installed (Debian: tesseract-ocr-vie)"
    return None


# ---------------------------------------------------------------------------
# image clean-up

def _grey(img):
    """Grey scale; for a colour scan the red channel, where red ink is light."""
    from PIL import Image

    if img.mode in ("RGBA", "LA", "P"):
        bg = Image.new("RGB", img.size, "white")
        img = img.convert("RGBA")
        bg.paste(img, mask=img.split()[-1])
        img = bg
    if img.mode == "RGB":
        return img.split()[0]
    return img.convert("L")


def skew_angle(img, limit: float = 4.0) -> float:
    """The small rotation (degrees) that makes text rows horizontal: the angle
    whose row profile of dark pixels is sharpest."""
    import numpy as np
    from PIL import Image

    small = img.copy()
    small.thumbnail((1000, 1000))
    dark = Image.eval(small, lambda v: 255 if v < 140 else 0)
    if not np.asarray(dark).any():
        return 0.0

    def score(a: float) -> float:
        rot = np.asarray(dark.rotate(a, resample=Image.NEAREST, fillcolor=0), dtype=np.float32)
        prof = rot.sum(axis=1)
        return float(np.square(np.diff(prof)).sum())

    best = max((a / 2 for a in range(int(-2 * limit), int(2 * limit) + 1)), key=score)
    fine = [best + d / 10 for d in range(-5, 6)]
    return max(fine, key=score)


def prepare(img):
    """``(clean image, scale from the original's pixels to the clean one's)``."""
    from PIL import Image, ImageFilter, ImageOps

    g = _grey(img)
    scale = 1.0
    if g.width < MIN_WIDTH:
        scale = MIN_WIDTH / g.width
        g = g.resize((round(g.width * scale), round(g.height * scale)), Image.LANCZOS)
    # salt-and-pepper grain of a scanner or a photocopy: a 3×3 median takes it
    # out (Tesseract reads specks as dots and accents) without eating strokes
    # (at 300 dpi, or after the upscaling above)
    g = g.filter(ImageFilter.MedianFilter(3))
    hist = g.histogram()
    dark = next(v for v in range(256) if sum(hist[:v + 1]) >= 0.005 * g.width * g.height)
    if dark < 128:  # stretch the contrast only where there is ink to stretch
        g = ImageOps.autocontrast(g, cutoff=1)
    a = skew_angle(g)
    if abs(a) >= 0.2:
        g = g.rotate(a, resample=Image.BICUBIC, fillcolor=255, expand=False)
    g.info["skew"] = a if abs(a) >= 0.2 else 0.0
    return g, scale


def _colour(img, clean):
    """The page in colour, in the clean image's geometry, or None when the
    scan has no colour to speak of (a grey scan, a black-and-white one)."""
    import numpy as np
    from PIL import Image

    if img.mode not in ("RGB", "RGBA", "P", "CMYK"):
        return None
    rgb = img.convert("RGB")
    small = np.asarray(rgb.resize((max(1, rgb.width // 8), max(1, rgb.height // 8))), dtype=np.int16)
    if ((small.max(axis=2) - small.min(axis=2)) > 60).mean() < 0.0005:
        return None
    rgb = rgb.resize(clean.size, Image.BILINEAR)
    a = clean.info.get("skew", 0.0)
    return rgb.rotate(a, resample=Image.BICUBIC, fillcolor=(255, 255, 255)) if a else rgb


# ---------------------------------------------------------------------------
# Tesseract

def _tesseract(img, psm: str = PSM, lang: str = LANG, config: tuple[str, ...] = (), out_format: str = "tsv",
               timeout: float = TIMEOUT) -> str:
    """Tesseract's ``out_format`` output (``tsv``, ``hocr``) for ``img``;
    ``config`` are ``-c name=value`` settings (a digit whitelist, char boxes)."""
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=1)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    dpi = str(int(img.info.get("dpi", (300, 300))[0] or 300))
    extra = [a for c in config for a in ("-c", c)]
    out = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", psm, "--dpi", dpi, *extra, out_format],
                         input=buf.getvalue(), capture_output=True, timeout=timeout, env=env)
    if out.returncode != 0:
        raise RuntimeError(out.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or "tesseract failed")
    return out.stdout.decode("utf-8", "replace")


def _words(tsv: str) -> list[tuple[tuple[int, int, int], str, tuple[float, float, float, float], float]]:
    """``(line key, text, box, confidence)`` of every word in the TSV."""
    out = []
    for row in tsv.splitlines()[1:]:
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5" or not f[11].strip():
            continue
        x, y, w, h = (int(v) for v in f[6:10])
        out.append(((int(f[2]), int(f[3]), int(f[4])), f[11], (x, y, x + w, y + h), float(f[10])))
    return out


_JUNK = re.compile(r"[^\wÀ-ỹ]")
_ODD = re.compile(r"[^\w\sÀ-ỹ.,;:!?()\-–—/\"'“”%&+*…]")   # never in a typed Vietnamese document
_DIGITISH = re.compile(r"^[0-9IlO|]{2,}$")
_TO_DIGIT = str.maketrans({"I": "1", "l": "1", "|": "1", "O": "0"})


def _clean_word(text: str, conf: float) -> str:
    """One word: Đ for its look-alikes, digits for letters inside numbers,
    ``…`` for what Tesseract was unsure of and is not made of letters
    (handwriting, seal strokes)."""
    text = text.translate(_FIX).strip()
    if not text:
        return ""
    core = text.strip(".,;:()")
    junk = len(_JUNK.findall(core))
    if conf < 35 and core and (junk >= max(1, len(core) / 2)):
        return UNREADABLE
    if _DIGITISH.match(core) and any(c.isdigit() for c in core):
        text = text.replace(core, core.translate(_TO_DIGIT))  # "I1" → "11", "2O24" → "2024"
    return text


def _noise_line(words: list[tuple[str, float]]) -> bool:
    """A line Tesseract made out of a rule, a seal or a signature: mostly
    unsure words with few letters."""
    letters = sum(sum(ch.isalnum() for ch in t) for t, _ in words)
    size = sum(len(t) for t, _ in words)
    mean = sum(c for _, c in words) / len(words)
    short = sum(1 for t, _ in words if sum(ch.isalnum() for ch in t) <= 2)
    return (mean < 25 or mean < 45 and letters < 0.6 * size
            or len(words) >= 4 and short > 0.6 * len(words) and mean < 80)


# the number and date fields, where serials and days are often handwritten
_NUMBER_CELL = re.compile(r"^(?P<label>[SsŠ][ốôoóòõọồổỗộéèeơớờ0ỐÔOÓÉ]{1,2})\s{0,3}[:.;]?\s{0,3}(?P<serial>.{0,16}?)\s{0,3}"
                          r"(?P<sep>/\s{0,2}(?=[A-ZĐ]))")
_DATE_CELL = re.compile(r"(?P<ngay>ng[àaăâ][yYW]?)(?P<d>[^\n]{0,10}?)\s{0,3}(?P<thang>th[áaà]ng)(?P<m>[^\n]{0,10}?)\s{0,3}"
                        r"(?P<nam>n[ăaâ]m)\s{0,3}(?P<y>(?:19|20)\d\d)", re.I)
_LONE_LABEL = re.compile(r"^[SsŠ][ốôoóòõọồổỗộéèeơớờ0ỐÔOÓÉ]{1,2}\s{0,3}[:.;]?\s{0,3}[^\s/]{0,8}$")
_SERIAL = re.compile(r"^\d{1,6}[a-z]?(?:\s?/\s?(?:19|20)\d\d|\s?[-–]\s?[A-ZĐ][A-Za-zĐđ]{0,6})?$")
_DAY = re.compile(r"^\d{1,2}$")
# whole-word corrections of frequent misreadings in headers and headings
_WORD_FIX = [
    (re.compile(r"\bCH[ÍI] TH[ỊI]\b"), "CHỈ THỊ"),
    (re.compile(r"(?<!HÀ )(?<!Hà )\bTĨNH\b(?= [A-ZĐ][A-ZĐÀ-Ỹ])"), "TỈNH"),
    (re.compile(r"(?<=[A-Z])Đ{2,}(?=[-/A-Z])"), "Đ"),
    (re.compile(r"^[NVW][ơoó]i\s?nh[ậâa]n\b"), "Nơi nhận"),
]
_LEAD = re.compile(r"^[\s:;,.\"'`_|~^*…]+(?=\S)")
_TAIL = re.compile(r"(?<=\S)[\s\"'`_|~^*…]+$")


# Tesseract's Vietnamese model often reads a hook above (hỏi) as an acute
# (sắc) on grainy scans: "BỐ SUNG", "kiếm soát".  A syllable pair that is not
# a word of underthesea's Viet74K list but becomes one with the other mark is
# put right.
_ACUTE_HOOK = dict(zip("áấắéếíóốớúứýÁẤẮÉẾÍÓỐỚÚỨÝ", "ảẩẳẻểỉỏổởủửỷẢẨẲẺỂỈỎỔỞỦỬỶ"))
_SYLLABLE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _pairs() -> frozenset:
    """The two-syllable words of underthesea's Viet74K list, lower case."""
    try:
        from importlib.resources import files
        text = (files("underthesea") / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    except Exception:  # noqa: BLE001 - without the list, no correction
        return frozenset()
    return frozenset(w for w in (ln.strip().lower() for ln in text.splitlines()) if w.count(" ") == 1)


def _hooks(word: str) -> str:
    return "".join(_ACUTE_HOOK.get(c, c) for c in word)


def fix_marks(text: str) -> str:
    """Acute read for hook above, put right where the dictionary says so."""
    pairs = _pairs()
    if not pairs or not any(c in _ACUTE_HOOK for c in text):
        return text
    words = list(_SYLLABLE.finditer(text))
    out = list(text)
    for a, b in zip(words, words[1:]):
        if text[a.end():b.start()] != " ":
            continue
        wa, wb = a.group(0), b.group(0)
        if f"{wa} {wb}".lower() in pairs:
            continue
        for na, nb in ((_hooks(wa), wb), (wa, _hooks(wb))):
            if (na, nb) != (wa, wb) and f"{na} {nb}".lower() in pairs:
                out[a.start():a.end()] = list(na)
                out[b.start():b.end()] = list(nb)
                break
    return "".join(out)


def _blank(field: str) -> str:
    f = field.strip(" .…_,")
    return f" {f} " if _DAY.match(f) or _SERIAL.match(f) else f" {UNREADABLE} "


def fix_cell(text: str, header: bool = True, hand: Optional[dict] = None) -> tuple[str, int]:
    """Post-correct one OCR'd cell: the serial of ``Số: …/UBND`` and the day
    and month of ``ngày … tháng … năm 2024`` become ``…`` unless they read as
    plain numbers (a handwritten field is never guessed); stray marks at the
    ends go; a few frequent misreadings are put right.  Returns the text and
    how many fields were blanked.  ``header``: the cell is in the top part of
    the page, where the number line is.  ``hand``: what the handwriting
    reader (:mod:`.handwriting`) made of the handwritten blanks of the page,
    ``{"serial" | "day" | "month": digits, or None when it could not read
    them}``; it takes the place of the page's own reading of those fields."""
    blanked = 0
    hand = hand or {}

    def field(kind: str, raw: str) -> str:
        if kind in hand:
            return f" {hand[kind] or UNREADABLE} "
        return _blank(raw)

    m = _NUMBER_CELL.match(text) if header else None
    if m:
        serial = field("serial", m.group("serial"))
        blanked += UNREADABLE in serial and (bool(m.group("serial").strip(" .…_")) or "serial" in hand)
        text = "Số:" + serial.rstrip() + m.group("sep") + text[m.end():]
    elif header and "serial" in hand and _LONE_LABEL.match(text):
        # "Số: 2" cut from its "/CT-UBND" at the blank's wide gap
        serial = f" {hand['serial'] or UNREADABLE}"
        return "Số:" + serial, int(UNREADABLE in serial)   # kept whole, with its blank
    m = _DATE_CELL.search(text)
    if m:
        d, mo = (field("day", m.group("d")), field("month", m.group("m"))) if header else \
            (_blank(m.group("d")), _blank(m.group("m")))
        blanked += (UNREADABLE in d and (bool(m.group("d").strip(" .…_")) or "day" in hand)) + \
            (UNREADABLE in mo and (bool(m.group("m").strip(" .…_")) or "month" in hand))
        text = text[:m.start()] + "ngày" + d + "tháng" + mo + "năm " + m.group("y") + text[m.end():]
    for rx, rep in _WORD_FIX:
        text = rx.sub(rep, text)
    text = fix_marks(text)
    text = _TAIL.sub("", _LEAD.sub("", text))
    return text, blanked


def _keep_piece(text: str) -> bool:
    """Not a speck: at least three letters or digits, or a list marker."""
    return sum(ch.isalnum() for ch in text) >= 3 or text in ("-", "+") or text == f"Số: {UNREADABLE}"


def ocr_page(img, page: int, unit_scale: float = 1.0, last: bool = False) -> tuple[PageRows, float, int, list[str]]:
    """Read one page image: ``(rows in page units, mean word confidence 0–1,
    number of unreadable words, handwritten fields read and the signature
    re-read's note)``.  ``unit_scale`` is the image's pixels per
    page unit (300/72 for a PDF page rendered at 300 dpi, 1 for an image).
    ``last``: the document's last page, whose signature block is read again
    on its own (:mod:`.signature`); on other pages only a block beside a
    ``Nơi nhận`` label is."""
    clean, scale = prepare(img)
    words = _words(_tesseract(clean))
    # the signature block read again on its own: on the last page, and on a page
    # whose Nơi nhận label shows the footer is there (an annex follows)
    words, signed = signature.reread(clean, words, lambda: _colour(img, clean), last=last)
    f = scale * unit_scale
    # the handwritten serial and day of the first page, read on their own
    hand = [(k, v, (b[0] / f, b[1] / f, b[2] / f, b[3] / f))
            for k, v, b in ((h.kind, h.value, h.box) for h in handwriting.read_header(clean, words))] \
        if page == 1 else []
    notes = [f"{k} {v!r}" for k, v, _ in hand if v is not None] + ([signed] if signed else [])
    by_line: dict[tuple[int, int, int], list] = {}
    for w in words:
        by_line.setdefault(w[0], []).append(w)
    lines: dict[tuple[int, int, int], list[Char]] = {}
    confs: list[float] = []
    unreadable = 0
    for key, text, (x0, y0, x1, y1), conf in words:
        if _noise_line([(w[1], w[3]) for w in by_line[key]]):
            continue
        t = _clean_word(text, conf)
        if not t:
            continue
        if t == UNREADABLE:
            unreadable += 1
        if conf >= 0:
            confs.append(conf)
        chars = lines.setdefault(key, [])
        if chars:
            chars.append(Char(" ", None))
        chars.append(Char(t, (x0 / f, y0 / f, x1 / f, y1 / f)))
    pieces: list[Piece] = []
    for chars in lines.values():
        for p in split_line(chars, gap_factor=GAP_FACTOR, min_gap=0.0):
            here = {k: v for k, v, b in hand if b[1] < p.bottom and p.top < b[3] and b[0] < p.x1 and p.x0 < b[2]}
            p.text, blanked = fix_cell(p.text, header=p.top < 0.4 * img.height / unit_scale, hand=here)
            unreadable += blanked
            if _keep_piece(p.text) and not is_digisig(p.text):
                pieces.append(p)
    mean = sum(confs) / len(confs) / 100 if confs else 0.0
    return PageRows(page, rows(pieces), img.width / unit_scale, img.height / unit_scale), mean, unreadable, notes


def ocr_images(jobs: list[tuple[object, int, float]]) -> tuple[dict[int, PageRows], float, list[str]]:
    """Read several page images in parallel (one Tesseract process per core):
    ``jobs`` are ``(image or a callable returning it, page number, pixels per
    unit)``; returns the rows by page, the mean confidence and warnings."""
    why = available()
    if why:
        return {}, 0.0, [why]
    warnings: list[str] = []
    done: dict[int, PageRows] = {}
    confs: list[float] = []
    unreadable: dict[int, int] = {}

    last = max((j[1] for j in jobs), default=0)

    def run(job):
        img, page, us = job
        if callable(img):
            img = img()
        return page, ocr_page(img, page, us, last=page == last)

    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as ex:
        futures = [ex.submit(run, j) for j in jobs]
        for fut, job in zip(futures, jobs):
            try:
                page, (pg, conf, bad, notes) = fut.result()
            except Exception as e:  # noqa: BLE001 - one bad page must not lose the others
                warnings.append(f"OCR failed on page {job[1]}: {type(e).__name__}: {e}")
                continue
            done[page] = pg
            confs.append(conf)
            signed = [n for n in notes if n.startswith(signature.NOTE)]
            notes = [n for n in notes if n not in signed]
            if notes:
                warnings.append(f"handwriting read by OCR on page {page} (low confidence, check): " + ", ".join(notes))
            warnings.extend(signature.page_note(page, n) for n in signed)
            if bad:
                unreadable[page] = bad
            if not pg.rows:
                warnings.append(f"OCR found no text on page {page}")
    if unreadable:
        warnings.append("OCR could not read some words (handwriting, stamps), left as '…': "
                        + ", ".join(f"page {p}: {n}" for p, n in sorted(unreadable.items())))
    mean = sum(confs) / len(confs) if confs else 0.0
    return done, mean, warnings


def confidence(mean_word_conf: float) -> float:
    """The Source confidence for OCR'd text: below a text layer's 1.0, lower
    still when Tesseract was unsure."""
    return round(max(0.3, min(0.85, mean_word_conf * 0.9)), 3)


def ocr_pdf_pages(doc, indexes: list[int], dpi: int) -> tuple[dict[int, PageRows], float, list[str]]:
    """OCR the given 0-based pages of an open pypdfium2 document; rows come
    back in PDF points keyed by 0-based index."""
    import threading

    lock = threading.Lock()

    def renderer(i):
        def f():
            with lock:  # pdfium is not thread-safe
                return doc[i].render(scale=dpi / 72).to_pil()
        return f

    done, mean, warns = ocr_images([(renderer(i), i + 1, dpi / 72) for i in indexes])
    return {pg.page - 1: pg for pg in done.values()}, confidence(mean), warns


def read_image(data: bytes, path: str) -> Source:
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        im = Image.open(io.BytesIO(data))
        frames = [f.copy() for f in ImageSequence.Iterator(im)]
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        return Source("", "image", path, warnings=[f"unreadable image: {e}"])
    why = available()
    if why:
        return Source("", "image", path, pages=len(frames), warnings=[why])
    done, mean, warnings = ocr_images([(f, k + 1, 1.0) for k, f in enumerate(frames)])
    pages = [done.get(k + 1, PageRows(k + 1, [], f.width, f.height)) for k, f in enumerate(frames)]
    drop_running(pages)
    width = max(pg.width for pg in pages)
    text, page_starts, lines = render(pages, width / COLUMNS)
    if not text.strip():
        warnings.append("image without text: OCR read nothing")
    return Source(text, "image", path, pages=len(frames), warnings=warnings, page_starts=page_starts,
                  lines=lines, method=METHOD, confidence=confidence(mean))
