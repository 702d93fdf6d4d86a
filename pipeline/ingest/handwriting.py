"""Handwritten serials and days: the blanks of ``Số: __/CT-UBND`` and
``ngày __ tháng __ năm 2024`` read again, on their own.

A signed document gets its serial and its day by hand after printing, in the
blanks the typist left.  Read with the page, Tesseract glues the pen strokes to
the printed label (``Số:⁄44``, ``ngàW/{``) or drops them.  Here the row is
read once more with character boxes (hOCR ``hocr_char_boxes``), which gives
where the printed label ends and the printed ``/CT-UBND`` (or ``tháng``)
starts; the ink between is cut out, specks and colon dots are dropped, and
the crop is read with a digit whitelist by several Tesseract set-ups (the
English and the Vietnamese model, one line and one word).

What comes back is accepted only when the readings agree, each is confident
and the value is plausible (a day 1–31, a month 1–12, a serial of one to six
digits); otherwise the field stays blank and the caller warns.  The
handwritten-digit model of :mod:`.digits` is one of the readers; it is taken
alone when it is surer than its ``solo`` threshold (every digit, averaged
over slightly altered copies of it, and no digit cut by the cut-out's edge),
and a reading it surely contradicts is dropped; only Tesseract set-ups sure
of their own reading (``MIN_CONF``) can outvote it.  A label that Tesseract read
with the pen strokes glued to it (``Sôx⁄t†``, a ``y`` box running over the
day) is still found: the glued label by its first letters, the swallowed
blank by the label letter's width against the printed ``tháng``.  A wrong
serial is worse than an empty one: Vietnamese hands write ``1`` with a long
lead-in stroke and ``7`` with a bar, which Tesseract's printed-text models
read as ``4``; such readings rarely agree across the set-ups and are dropped.

Hand-written (no library reads handwritten digits without model weights that
would have to be downloaded); the connected components come from
``scipy.ndimage``, which scikit-learn already pulls in.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from typing import Optional

METHOD = "ocr:tesseract+handwriting"
CONFIDENCE = 0.5        # a value read from handwriting: below any printed OCR value
MIN_CONF = 60.0         # every agreeing reading at least this sure
TIMEOUT = 30
PRINTED_CONF = 85.0    # a page word at least this sure is printed text, not handwriting
CLEAN_ROW_CONF = 70.0  # a number or date row read this surely is typed (``Đ`` costs some confidence)

# one word of the page: (line key, text, (x0, y0, x1, y1), confidence)
Word = tuple[tuple[int, int, int], str, tuple[int, int, int, int], float]


@dataclass
class Field:
    """A handwritten blank found on the page: which field, its box in the
    clean image's pixels, the digits read (``None``: unreadable) and the
    confidence of the reading."""

    kind: str           # "serial", "day" or "month"
    box: tuple[int, int, int, int]
    value: Optional[str]
    conf: float


_NUMBER_LABEL = re.compile(r"^[SsŠ][ốôoóòõọồổỗộéèeơớờ0ỐÔOÓÉ]{0,2}\s*[:;.,„“\"']?")
_SUFFIX = re.compile(r"/\s?(?=[A-ZĐÐ])")
_DATE = re.compile(r"ng[àaăâá]?[yYWvuUV]")
_THANG = re.compile(r"th[áaà]ng", re.I)
_NAM = re.compile(r"n[ăaâ]m", re.I)


def _run(img, lang: str, psm: str, config: tuple[str, ...], out: str) -> str:
    """One Tesseract call through :func:`.ocr._tesseract` (the one place a
    subprocess is started); empty when it fails."""
    from .ocr import _tesseract

    try:
        return _tesseract(img, psm=psm, lang=lang, config=config, out_format=out, timeout=TIMEOUT)
    except (RuntimeError, OSError, subprocess.SubprocessError):
        return ""


_CHAR = re.compile(r"<span class='ocrx_word'|x_bboxes (\d+) (\d+) (\d+) (\d+); x_conf [\d.]+'>([^<]*)<")


def char_boxes(img) -> tuple[str, list[Optional[tuple[int, int, int, int]]]]:
    """One row read with a box per character: the text (words separated by a
    space) and, for every character of it, its box (``None`` for a space)."""
    import html

    text = ""
    boxes: list = []
    for m in _CHAR.finditer(_run(img, "vie", "7", ("hocr_char_boxes=1",), "hocr")):
        if m.group(5) is None:
            if text and not text.endswith(" "):
                text += " "
                boxes.append(None)
            continue
        ch = html.unescape(m.group(5))
        b = tuple(int(v) for v in m.groups()[:4])
        for c in ch:
            text += c
            boxes.append(b)
    return text, boxes


def _ink(crop):
    """The crop cut down to its pen strokes: binarised, specks and colon dots
    dropped, trimmed and padded; ``None`` when nothing is left."""
    import numpy as np
    from PIL import Image, ImageOps
    from scipy import ndimage

    a = np.asarray(crop.convert("L")) < 150
    if not a.any():
        return None
    lab, n = ndimage.label(a, structure=np.ones((3, 3)))
    h = crop.height
    keep = np.zeros_like(a)
    for k, sl in enumerate(ndimage.find_objects(lab), start=1):
        hh = sl[0].stop - sl[0].start
        if hh < 0.25 * h:          # a dot, a speck, a colon, an underline
            continue
        keep |= lab == k
    if not keep.any():
        return None
    ys, xs = np.nonzero(keep)
    box = keep[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    img = Image.fromarray(np.where(box, 0, 255).astype("uint8"))
    # about 48 px high: the size Tesseract's models read best
    s = 48 / img.height
    img = img.resize((max(1, round(img.width * s)), 48), Image.LANCZOS)
    return ImageOps.expand(img, 24, fill=255)


_SETUPS = [("eng", "7"), ("eng", "8"), ("vie", "7")]


def read_digits(crop, page: Optional[str] = None) -> tuple[Optional[str], float]:
    """The digits written in ``crop`` when the Tesseract set-ups agree on
    them confidently, else ``(None, best confidence)``.  ``page``: the
    digits the page's own reading found there; when a set-up reads the same,
    two readers of different crops agree and the value is taken whatever
    their confidence."""
    img = _ink(crop)
    if img is None:
        return None, 0.0
    votes: dict[str, list[float]] = {}
    if page:
        votes[page] = [-1.0]
    for lang, psm in _SETUPS:
        tsv = _run(img, lang, psm, ("tessedit_char_whitelist=0123456789",), "tsv")
        words = [(f[11].strip(), float(f[10])) for f in (r.split("\t") for r in tsv.splitlines()[1:])
                 if len(f) >= 12 and f[0] == "5" and f[11].strip()]
        if not words:
            continue
        text = "".join(w for w, _ in words)
        votes.setdefault(text, []).append(min(c for _, c in words))
    # the handwritten-digit model (digits.py): one more reader when confident,
    # and like the page, any reader that agrees with it is enough; when it is
    # surer still it stands alone, and nothing it contradicts is taken
    from .digits import read as read_hand
    mine = read_hand(crop)
    sure = mine.text if mine is not None and mine.confident() else None
    alone = sure if sure and mine.alone() else None
    if sure:
        votes.setdefault(sure, []).append(100.0 * mine.conf)
    if not votes:
        return None, 0.0
    best, confs = max(votes.items(), key=lambda kv: (len(kv[1]), min(kv[1])))
    if alone and best != alone:
        # two readers against a sure model: nobody is trusted (a reader unsure
        # of its own reading, a printed-text model guessing at a pen stroke,
        # does not count)
        if sum(c >= MIN_CONF or c == -1.0 for c in confs) >= 2:
            return None, max(max(c) for c in votes.values())
        return alone, 100.0 * mine.conf
    if len(confs) >= 2 and (min(confs) >= MIN_CONF or -1.0 in confs or best == sure):
        return best, max(0.0, min(c for c in confs))
    if alone:
        return alone, 100.0 * mine.conf
    return None, max(max(c) for c in votes.values())


def plausible(kind: str, value: str) -> bool:
    if not value.isdigit():
        return False
    if kind == "day":
        return 1 <= int(value) <= 31 and len(value) <= 2
    if kind == "month":
        return 1 <= int(value) <= 12 and len(value) <= 2
    return 1 <= len(value) <= 6 and int(value) > 0


def _span_box(boxes, i: int, j: int):
    bs = [b for b in boxes[i:j] if b is not None]
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs)) if bs else None


SWALLOWED = 0.3      # a label's last letter wider than this × ``tháng`` took in pen strokes
LETTER = 0.26        # … and is cut this far (× ``tháng``) from its left edge (``y``, ``g``: about 0.24)
NAM_THANG = 0.74     # ``năm`` is about this wide against ``tháng`` in the usual faces


def _label_end(boxes, i: int, ref: float) -> Optional[int]:
    """Where the label whose last character is at ``i`` ends: that
    character's right edge, unless its box is wider than a letter can be
    (Tesseract glued the handwritten digits that touch it to it: ``ngày20``),
    then a letter's width from its left edge.  ``ref``: the width of the
    printed ``tháng`` on the row."""
    b = boxes[i] if 0 <= i < len(boxes) else None
    if b is None:
        return None
    if ref > 0 and b[2] - b[0] > SWALLOWED * ref:
        return int(b[0] + LETTER * ref)
    return b[2]


def _gaps(text: str, boxes) -> list[tuple[str, int, int]]:
    """The blanks of a row read with char boxes: ``(kind, x0, x1)`` in the
    row crop's pixels, between a printed label and what follows it.  The
    serial's blank starts at the left edge of the colon (a ``1``'s lead-in
    stroke often reaches back over it; the colon's dots are dropped with the
    specks); a date label whose last letter swallowed the digits is cut
    back to a letter's width (:func:`_label_end`)."""
    out = []
    m = _NUMBER_LABEL.match(text)
    s = _SUFFIX.search(text, m.end()) if m and m.group(0).strip()[:1] in "SsŠ" and len(m.group(0).strip()) >= 2 else None
    if m and s:
        label = m.group(0).rstrip()
        a, b = _span_box(boxes, 0, len(label)), _span_box(boxes, s.start(), s.start() + 1)
        colon = boxes[len(label) - 1] if label[-1:] in ":;.,„“\"'" else None
        if a and b:
            out.append(("serial", colon[0] if colon else a[2], b[0]))
    d = _DATE.search(text)
    t = _THANG.search(text, d.end()) if d else None
    n = _NAM.search(text, t.end()) if t else None
    if d and t:
        tb, nb = _span_box(boxes, t.start(), t.end()), _span_box(boxes, n.start(), n.end()) if n else None
        ref = 0.0
        if tb:
            ref = tb[2] - tb[0]
            if nb:      # ``tháng`` itself may have swallowed the month's digits
                ref = min(ref, (nb[2] - nb[0]) / NAM_THANG)
        a, b = _label_end(boxes, d.end() - 1, ref), _span_box(boxes, t.start(), t.start() + 1)
        if a is not None and b:
            out.append(("day", a, b[0]))
        if n:
            a, b = _label_end(boxes, t.end() - 1, ref), _span_box(boxes, n.start(), n.start() + 1)
            if a is not None and b:
                out.append(("month", a, b[0]))
    return out


def _printed(words: list[Word], box: tuple[int, int, int, int], least: float = PRINTED_CONF) -> Optional[str]:
    """The digits the page's own reading put in ``box`` when they are a
    confident printed number (a typed serial, a printed month), else None."""
    x0, y0, x1, y1 = box
    inside = [w for w in words if x0 - 4 <= w[2][0] and w[2][2] <= x1 + 4 and w[2][1] < y1 and w[2][3] > y0]
    if inside and all(w[1].strip(".,").isdigit() and w[3] >= least for w in inside):
        return "".join(w[1].strip(".,") for w in inside)
    return None


def read_row(img, box: tuple[int, int, int, int], words: list[Word] = ()) -> list[Field]:
    """Read the handwritten blanks of the header row ``box`` (pixels of the
    clean page image ``img``); ``words`` are the page's own words, whose
    confident printed digits are kept as they are."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    pad = int(0.4 * h)
    rx0, ry0 = max(0, x0 - pad), max(0, y0 - pad)
    row = img.crop((rx0, ry0, min(img.width, x1 + pad), min(img.height, y1 + pad)))
    text, boxes = char_boxes(row)
    fields = []
    for kind, a, b in _gaps(text, boxes):
        if b - a < 0.3 * h:         # no room for a digit: nothing was written by hand
            continue
        crop_box = (rx0 + a + 2, ry0, rx0 + b - 2, ry0 + row.height)
        printed = _printed(list(words), crop_box)
        if printed is not None:
            continue
        crop = img.crop(crop_box)
        if _ink(crop) is None:      # left blank on the page
            continue
        value, conf = read_digits(crop, _printed(list(words), crop_box, 0.0))
        if value is not None and not plausible(kind, value):
            value = None
        fields.append(Field(kind, crop_box, value, conf))
    return fields


_LABEL_WORD = re.compile(r"^[SsŠ][ốôoóòõọồổỗộéèeơớờ0ỐÔOÓÉ]{1,2}(?:\W|$)")
# the label with the pen strokes glued to it (``Sôx⁄t†``), first on its line
_GLUED_LABEL = re.compile(r"^S[ốôoóòõọồổỗộéèeơớờ0]\S{0,8}$")
_DATE_WORD = re.compile(r"^ng[àaăâá]?[yYWvu]", re.I)
_SUFFIX_WORD = re.compile(r"/\s?[A-ZĐÐ]{1,6}(?:[-–][A-ZĐÐ]{1,8})*")
_YEAR = re.compile(r"(?:19|20)\d\d")


def header_rows(words: list[Word], height: int) -> list[tuple[int, int, int, int]]:
    """The boxes of the number row (``Số: … /ABC``) and of the date row
    (``ngày … tháng … năm 2024``) among the page's words, in its top 40 %."""
    lines: dict = {}
    for w in words:
        if w[2][1] < 0.4 * height:
            lines.setdefault(w[0], []).append(w)
    out = []
    seen_number = seen_date = False
    for ws in sorted(lines.values(), key=lambda ws: ws[0][2][1]):
        i = 0
        while i < len(ws):
            t = ws[i][1]
            if not seen_number and (_LABEL_WORD.match(t) or i == 0 and (_SUFFIX_WORD.search(t) or _GLUED_LABEL.match(t))):
                end = next((k for k in range(i, min(i + 4, len(ws))) if _SUFFIX_WORD.search(ws[k][1])), None)
                if end is not None:
                    out.append(_union(ws[i:end + 1]))
                    seen_number = True
                    i = end + 1
                    continue
            if not seen_date and _DATE_WORD.match(t):
                end = next((k for k in range(i + 1, min(i + 7, len(ws))) if _YEAR.search(ws[k][1])), None)
                if end is not None and any(_THANG.search(w[1]) for w in ws[i:end]):
                    out.append(_union(ws[i:end + 1]))
                    seen_date = True
                    i = end + 1
                    continue
            i += 1
    return out


def _union(ws: list[Word]) -> tuple[int, int, int, int]:
    return (min(w[2][0] for w in ws), min(w[2][1] for w in ws), max(w[2][2] for w in ws), max(w[2][3] for w in ws))


_TYPED_SERIAL = re.compile(r"^\d{1,6}[a-z]?(?:(?:/(?:19|20)\d\d)?/|-)[A-ZĐÐ]")   # 30/2020/NĐ-CP, 60-NQ/TW
_CLEAN_ROW = re.compile(r"^S[ốo]:?\s?\d{1,6}[a-z]?\s?/\s?[A-ZĐ]|ngày\s\d{1,2}\stháng\s\d{1,2}\snăm\s(?:19|20)\d\d")


def read_header(img, words: list[Word]) -> list[Field]:
    """Every handwritten blank of the page's number and date rows; rows the
    page's reading already gives as confident printed text are left alone."""
    fields: list[Field] = []
    for box in header_rows(words, img.height):
        inside = [w for w in words if w[2][0] >= box[0] and w[2][2] <= box[2] and w[2][1] >= box[1] and w[2][3] <= box[3]]
        text = " ".join(w[1] for w in inside)
        if inside and min(w[3] for w in inside) >= CLEAN_ROW_CONF and _CLEAN_ROW.search(text):
            continue
        if any(_TYPED_SERIAL.match(w[1]) for w in inside):
            continue        # digits glued to the symbol: typed with it, not written in a blank
        fields.extend(read_row(img, box, words))
    return fields
