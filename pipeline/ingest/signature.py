"""The signature block read again, on its own: on the last page, and on a
page whose ``Nơi nhận`` label shows the footer is there (an annex follows).

The signature column (right half, at the end: ``KT. CHỦ TỊCH`` / ``PHÓ CHỦ
TỊCH``, the seal, the signature, the name) is where a page OCR fails most:
Tesseract's page layout takes the seal and the signature for a picture and
drops the whole column with it, or reads the column glued to the seal's ring
(``SHUỦ TỊCH``, ``rần Ngọc Căng``).  Here the column is found from the words
the page reading did get (the ``Nơi nhận`` label beside it, a signing prefix
or office title, or the last full-width body line above it), cropped with a
margin, seal colour taken out where the scan has colour (a red or blue seal
and blue signature ink are saturated, printed text is not), upscaled,
binarised and read once more as one block of text (``--psm 6``, then
``--psm 4``).  The re-read replaces the page's words in that region only when
it is measurably better: more words of the signing vocabulary
(``pipeline/data/signing.yaml`` prefixes, ``agencies.yaml`` office titles and
body names), then more words that are Vietnamese syllables, then a higher mean
confidence.  Nothing is made up: the words are Tesseract's, with their boxes
mapped back to the page so line boxes and provenance stay right.  The
readings then vote: a word one reading spelt with other marks than most
readings at that place (``Hiên`` for ``Hiền``) takes the spelling with the
most summed confidence, letters never change.  A name line that still does
not read as a name (``rần Ngọc Căng``: the ring touched the T) is read once
more alone in a tight crop, and taken only when that reading is one.  An
office title with one word garbled by the seal (``SHỦ TỊCH``) counts as
signing vocabulary (``extract.ocrfix.near_office``).  Lone marks at the
ends of re-read lines go (``— PHÓ GIÁM ĐỐC``); the seal over the start of
the title lines is read through the vocabulary (:func:`restore_stack`:
``KJT CHỦ TỊCH`` / ``=2 TỊCH`` → ``KT. CHỦ TỊCH`` / ``PHÓ CHỦ TỊCH``); the
name line is always read alone as well, which votes on its marks and
brings back a word the block lost (``Bá Chân`` → ``Hạ Bá Chân``); a body
line cut by the crop that the re-read dropped is kept from the page.  The
note on what was done becomes a Source warning, which gives the signers'
provenance its ``+reread`` step and confidence (``extract.ocrfix``).

Hand-written: the crop geometry is specific to Decree 30's signature column;
the image steps are PIL and numpy.
"""

from __future__ import annotations

import re
import subprocess
from functools import lru_cache
from typing import Optional

from ..normalize import fold

TIMEOUT = 60
UPSCALE_HEIGHT = 60     # a crop whose text is lower than this (pixels) is upscaled to it
# (image variant, page segmentation mode) of the re-reads
READS = (("", "6"), ("", "4"), ("without blobs", "6"), ("dark ink", "6"))
DARK_INK = 70            # after the page's contrast stretch, printed ink is darker than this; a grey seal is not
KEY_BASE = 10_000         # line keys of re-read words, apart from the page's
NOTE = "signature block read again"   # opens reread()'s note, and the Source warning made of it
MIN_LINE_CONF = 65      # a re-read line less sure than this is left out

# one word of the page: (line key, text, (x0, y0, x1, y1), confidence)
Word = tuple[tuple[int, int, int], str, tuple[int, int, int, int], float]

_NOI_NHAN = re.compile(r"^[nvw][oơó][il1]\s?nh[aâậ]n", re.I)
_TOKEN = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset, frozenset]:
    """(word pairs of the office titles and body names, upper case;
    the signing prefixes, folded, without dots)."""
    from ..vocab import vocab

    v = vocab()
    phrases = list(v.office_titles) + list(v.body_heads) + ["NƠI NHẬN", "THAY MẶT", "KÝ THAY", "THỪA LỆNH"]
    pairs = set()
    for p in phrases:
        toks = [t.upper() for t in _TOKEN.findall(p)]
        pairs.update(zip(toks, toks[1:]))
    prefixes = {fold(k).rstrip(".") for k in v.prefixes.values()}
    return frozenset(pairs), frozenset(prefixes)


@lru_cache(maxsize=1)
def syllables() -> frozenset:
    """Vietnamese syllables (lower case), from underthesea's Viet74K list."""
    try:
        from importlib.resources import files
        text = (files("underthesea") / "corpus" / "data" / "Viet74K.txt").read_text(encoding="utf-8")
    except Exception:  # noqa: BLE001 - without the list, syllables do not count
        return frozenset()
    return frozenset(s for ln in text.splitlines() for s in ln.strip().lower().split())


def score(words: list[Word]) -> tuple[float, int, float]:
    """How well a region was read: (signing vocabulary found: word pairs of
    an office title or body name, ``CHỦ TỊCH``, and signing prefixes opening
    a line; Vietnamese syllables among the confident words less the unsure
    words that are none; mean confidence)."""
    pairs, prefixes = _vocabulary()
    syl = syllables()
    vocab_hits = 0.0
    n_syl = 0
    for ws in _lines(words).values():
        toks = [t.upper() for w in ws for t in _TOKEN.findall(w[1])]
        hits = sum(p in pairs for p in zip(toks, toks[1:]))
        vocab_hits += hits or 0.5 * _garbled_office(ws)
        if fold(ws[0][1]).rstrip(".") in prefixes:
            vocab_hits += 1
    for _, text, _, conf in words:
        toks = [t for t in _TOKEN.findall(text) if t.lower() in syl]
        if not toks:
            n_syl -= conf < 60      # a speck, a stroke of the seal or the signature
        elif conf >= 50:
            n_syl += len(toks)
    confs = [c for *_, c in words if c >= 0]
    return vocab_hits, n_syl, (sum(confs) / len(confs) if confs else 0.0)


def _garbled_office(ws: list[Word]) -> bool:
    """A line that is an office title with one word garbled (``SHỦ TỊCH``:
    the seal's ring over the C), its other words read with confidence."""
    from ..extract.ocrfix import near_office

    return any(w[3] >= 85 for w in ws) and near_office(" ".join(w[1] for w in ws)) is not None


def _lines(words: list[Word]) -> dict[tuple[int, int, int], list[Word]]:
    out: dict = {}
    for w in words:
        out.setdefault(w[0], []).append(w)
    return out


def _box(ws: list[Word]) -> tuple[int, int, int, int]:
    return (min(w[2][0] for w in ws), min(w[2][1] for w in ws), max(w[2][2] for w in ws), max(w[2][3] for w in ws))


def _sure_lines(words: list[Word]) -> list[Word]:
    """The re-read lines Tesseract was fairly sure of (on average, or in two
    Vietnamese words): a line read out of the seal's writing or the
    signature's strokes has a low confidence throughout."""
    syl = syllables()

    def sure(ws: list[Word]) -> bool:
        return sum(w[3] for w in ws) / len(ws) >= MIN_LINE_CONF or \
            sum(w[3] >= 85 and any(t.lower() in syl for t in _TOKEN.findall(w[1])) for w in ws) >= 2

    keep = {k for k, ws in _lines(words).items() if sure(ws) or _garbled_office(ws)}
    return [w for w in words if w[0] in keep]


def locate(words: list[Word], width: int, height: int, last: bool = True) -> Optional[tuple[int, int, int, int]]:
    """The box (x0, y0, x1, y1, in the image's pixels) of the signature
    column, or None when the page shows no sign of the end of a document.
    On a page that is not the document's ``last`` only the ``Nơi nhận``
    label counts as that sign (the footer of a document followed by an
    annex, or by a page OCR read nothing on): a prefix or a line ending in
    ``/.`` inside a document is often a quoted form or an item."""
    lines = [(ws, _box(ws)) for ws in _lines(words).values()]
    if not lines:
        return None
    heights = sorted(b[3] - b[1] for _, b in lines)
    lh = heights[len(heights) // 2] or 30
    exact, folded = _vocabulary()
    top = anchor = None
    # the Nơi nhận label, left; the signature column starts at its height or a little above
    for ws, b in lines:
        if b[0] < 0.35 * width and _NOI_NHAN.match(" ".join(w[1] for w in ws)):
            top, anchor = b[1] - 3 * lh, b[1]
    if top is None and not last:
        return None
    if top is None:
        # a signing prefix or an office title in the right half
        for ws, b in lines:
            first = ws[0][1]
            toks = _TOKEN.findall(" ".join(w[1] for w in ws[:3]))
            if b[0] > 0.4 * width and b[1] > 0.3 * height and toks and \
                    (fold(first).rstrip(".").upper() in ("KT", "TM", "TL", "TUQ") or
                     sum(t.upper() in exact for t in toks) >= 2):
                top, anchor = b[1] - 2 * lh, b[1]
                break
    if top is None:
        # below the last body line ending the text ('./.')
        ends = [b for ws, b in lines if b[1] > 0.2 * height and ws[-1][1].rstrip().endswith("/.")]
        if not ends:
            return None
        top = anchor = ends[-1][3] + lh // 2
    # never above the last full-width body line over the anchor
    for ws, b in lines:
        if b[1] < anchor and b[3] > top and b[0] < 0.35 * width and b[2] > 0.6 * width:
            top = b[3] + lh // 3
    top = max(0, int(top))
    # right of the left column (Nơi nhận list) beside it
    left = [b[2] for ws, b in lines if b[1] > top and b[0] < 0.3 * width and b[2] < 0.6 * width]
    x0 = int(min(0.55 * width, max([0.4 * width] + [x + lh for x in left])))
    bottom = int(min(height, top + 0.35 * height))
    if bottom - top < 4 * lh:
        return None
    return x0, top, width, bottom


def _seal_free(colour, box, size):
    """The crop of the colour page with saturated pixels (seal, signature
    ink) whitened, in grey; ``colour`` is the page in the clean image's
    geometry."""
    import numpy as np
    from PIL import Image

    a = np.asarray(colour.crop(box).convert("RGB"), dtype=np.int16)
    sat = a.max(axis=2) - a.min(axis=2)
    grey = a.min(axis=2).astype(np.uint8)     # printed black stays black in every channel
    grey[sat > 30] = 255
    return Image.fromarray(grey, "L").resize(size)


def _binarise(g):
    """Otsu threshold over the crop (numpy, a few lines)."""
    import numpy as np
    from PIL import Image

    a = np.asarray(g, dtype=np.uint8)
    hist = np.bincount(a.ravel(), minlength=256).astype(np.float64)
    total = a.size
    cum = np.cumsum(hist)
    mean = np.cumsum(hist * np.arange(256))
    w0 = cum[:-1]
    w1 = total - w0
    valid = (w0 > 0) & (w1 > 0)
    between = np.zeros(255)
    m0 = np.divide(mean[:-1], w0, out=np.zeros(255), where=valid)
    m1 = np.divide(mean[-1] - mean[:-1], w1, out=np.zeros(255), where=valid)
    between[valid] = w0[valid] * w1[valid] * (m0[valid] - m1[valid]) ** 2
    t = int(np.argmax(between))
    return Image.fromarray(np.where(a > t, 255, 0).astype(np.uint8), "L")


def _dark_ink(g):
    """Only the darkest ink kept (below ``DARK_INK``): black print without a
    grey seal's ring and a light signature over it."""
    import numpy as np
    from PIL import Image

    a = np.asarray(g.convert("L"), dtype=np.uint8)
    return Image.fromarray(np.where(a > DARK_INK, 255, 0).astype(np.uint8), "L")


def _drop_big(bw, word_h: float):
    """Ink blobs much taller or wider than a letter (a seal's ring, a
    signature's strokes, a rule) whitened: connected components from
    ``scipy.ndimage`` (scikit-learn already pulls scipy in)."""
    import numpy as np
    from PIL import Image
    from scipy import ndimage

    ink = np.asarray(bw) < 128
    labels, n = ndimage.label(ink)
    if not n:
        return bw
    big = np.zeros(n + 1, dtype=bool)
    for k, sl in enumerate(ndimage.find_objects(labels), start=1):
        h, w = sl[0].stop - sl[0].start, sl[1].stop - sl[1].start
        big[k] = h > 2.2 * word_h or w > 10 * word_h
    out = np.where(big[labels], 255, np.asarray(bw)).astype(np.uint8)
    return Image.fromarray(out, "L")


def _read(img, psm: str) -> list[Word]:
    from .ocr import _tesseract, _words

    try:
        return _words(_tesseract(img, psm=psm, timeout=TIMEOUT))
    except (RuntimeError, OSError, subprocess.SubprocessError):
        return []


def reread(clean, words: list[Word], colour=None, last: bool = True) -> tuple[list[Word], Optional[str]]:
    """The page's words with the signature column read again where that
    reading is better; ``clean`` is the page as OCR'd (grey), ``colour`` the
    colour page in the same geometry, or a function giving it (called only
    when the page has a signature column), or None.  ``last``: the page is
    the document's last (see :func:`locate`).  Returns the words and a note
    on what was done (None when nothing changed)."""
    from PIL import Image, ImageFilter, ImageOps

    box = locate(words, clean.width, clean.height, last=last)
    if box is None:
        return words, None
    if callable(colour):
        colour = colour()
    x0, y0, x1, y1 = box

    def inside(w: Word) -> bool:
        cx, cy = (w[2][0] + w[2][2]) / 2, (w[2][1] + w[2][3]) / 2
        return x0 <= cx < x1 and y0 <= cy < y1

    old = [w for w in words if inside(w)]
    hs = sorted(w[2][3] - w[2][1] for w in words) or [30]
    word_h = hs[len(hs) // 2]
    up = max(1.0, min(3.0, UPSCALE_HEIGHT / max(word_h, 1)))
    size = (round((x1 - x0) * up), round((y1 - y0) * up))
    crop = _seal_free(colour, box, size) if colour is not None else clean.crop(box).resize(size, Image.LANCZOS)
    bw = _binarise(crop)
    # without blobs, also without the grain Otsu turns into pepper (typeset scans)
    variants = {"": bw, "without blobs": _drop_big(bw.filter(ImageFilter.MedianFilter(3)), word_h * up),
                # a seal printed or scanned in grey over the block: Otsu puts its ring with the
                # ink; printed letters are much darker than the ring (typeset scans, photocopies)
                "dark ink": _dark_ink(crop)}
    best, best_score, best_how = old, score(old), None
    readings = [old]
    for name, psm in READS:
        img = ImageOps.expand(variants[name], border=20, fill=255)
        img.info["dpi"] = (round(300 * up), round(300 * up))
        new = []
        for k, t, b, c in _read(img, psm):
            nb = (round((b[0] - 20) / up + x0), round((b[1] - 20) / up + y0),
                  round((b[2] - 20) / up + x0), round((b[3] - 20) / up + y0))
            new.append(((KEY_BASE + k[0], k[1], k[2]), t, nb, c))
        new = _sure_lines(restore_stack(_trim_marks(new)))
        readings.append(new)
        s = score(new)
        if s[:2] > best_score[:2] and s[2] >= 40:
            best, best_score, best_how = new, s, f"psm {psm}" + (f", {name}" if name else "")
    if not last and best_score[0] <= 0:
        return words, None      # beside Nơi nhận, but no signing word read there: not the block
    best, named, alone = _reread_name(clean, colour, best, word_h)
    best, respelt = vote(best, readings + alone)
    if best_how is None and not respelt and not named:
        return words, None
    kept = [w for w in words if not inside(w)]
    kept += _untouched(old, best, kept)
    how = f"{NOTE} ({best_how}): {len(old)} → {len(best)} words" if best_how else NOTE
    confs = [w[3] for w in best if w[3] >= 0]
    return kept + best, how + (f", {respelt} word(s) spelt as most readings spell them" if respelt else "") + \
        (", the name line read on its own" if named else "") + \
        f"; mean word confidence {round(sum(confs) / len(confs)) if confs else 0}"


_PAGE_NOTE = re.compile(r"^page (\d+): " + NOTE + r"\b.*; mean word confidence (\d+)$")


def page_note(page: int, note: str) -> str:
    """The Source warning for :func:`reread`'s note on ``page``."""
    return f"page {page}: {note}"


def reread_confidences(warnings: list[str]) -> dict[int, float]:
    """Page → the mean Tesseract confidence (0–1) of the signature block's
    words, for the pages whose block was read again (from the warnings
    :func:`page_note` wrote)."""
    out = {}
    for w in warnings:
        m = _PAGE_NOTE.match(w)
        if m:
            out[int(m.group(1))] = int(m.group(2)) / 100
    return out


_MARKS = re.compile(r"^[-–—_~'\"`‘’“”•*|.,:;=¬]+$")


_LEAD_MARKS = re.compile(r"^[-–—_~'\"`‘’“”•*|.,:;=¬]+(?=\w)")


def _trim_marks(words: list[Word]) -> list[Word]:
    """Re-read lines without the lone marks at their ends (``— PHÓ GIÁM
    ĐỐC``: a stroke of the signature or the seal's edge read as a dash) and
    without the marks glued before the first word (``_——.PHÓ``)."""
    out: list[Word] = []
    for ws in _lines(words).values():
        while ws and _MARKS.match(ws[0][1]):
            ws = ws[1:]
        while ws and _MARKS.match(ws[-1][1]):
            ws = ws[:-1]
        if ws:
            k, t, b, c = ws[0]
            ws = [(k, _LEAD_MARKS.sub("", t), b, c)] + ws[1:]
        out.extend(ws)
    return out


_KT_GARBLED = re.compile(r"^K[^\w\s]?[A-Z]?[^\w\s]?T\.?$")   # K/T, KJT, K.T, the slash misread


def restore_stack(words: list[Word]) -> list[Word]:
    """``KT. <title>`` / ``PHÓ <title>`` with the seal over the start of the
    lines (it sits on the left of the column): a first word garbled into
    ``K/T``, ``KJT`` or junk ending in ``T.`` before an office title is the
    prefix ``KT.`` (the only signing prefix ending in T); a line right under
    ``KT. <title>`` that ends in the title's last word(s), read with
    confidence, after words that are no syllables (``=2 TỊCH``), is
    ``PHÓ <title>`` (Decree 30: a deputy signs for the head), when that is an
    office title of the vocabulary.  The restored words keep the garbled
    ones' low confidence and the page's boxes."""
    from ..extract.ocrfix import _office_words, _table

    syl = syllables()
    titles = _office_words()
    table, _ = _table("office")     # the titles as the vocabulary has them (PHÓ BỘ TRƯỞNG is none)
    lines = sorted(_lines(words).values(), key=lambda ws: _box(ws)[1])
    out: list[list[Word]] = []
    for ws in lines:
        first = ws[0][1]
        rest = [fold(w[1]).strip(".,") for w in ws[1:]]
        if len(ws) >= 2 and first.lower() not in syl and tuple(rest) in titles and \
                (_KT_GARBLED.match(fold(first).upper()) or first.endswith("T.") and ws[0][3] < 50
                 and not first[:-2].isalpha()):
            ws = _before(ws[1:], ["KT."], ws[0][3])
        # the line above, leaving out lines read out of the seal (nothing read with confidence)
        prev = next((p for p in reversed(out) if any(w[3] >= 85 for w in p)), None)
        if prev and fold(prev[0][1]) == "kt." and len(prev) >= 2:
            title = [fold(w[1]).strip(".,") for w in prev[1:]]
            folded = [fold(w[1]).strip(".,") for w in ws]
            k = next((n for n in range(len(title), 0, -1) if len(ws) > n and folded[-n:] == title[-n:]), 0)
            junk = ws[:len(ws) - k]
            if k and all(w[3] >= 85 for w in ws[len(ws) - k:]) and " ".join(("pho", *title)) in table and \
                    not any(len(t) >= 2 and t.lower() in syl for w in junk for t in _TOKEN.findall(w[1])):
                missing = ["PHÓ"] + [w[1] for w in prev[1:1 + len(title) - k]]
                ws = _before(ws[len(ws) - k:], missing, min(w[3] for w in junk))
        out.append(ws)
    return [w for ws in out for w in ws]


def _before(ws: list[Word], texts: list[str], conf: float) -> list[Word]:
    """``texts`` as words set right before the line's words ``ws``, spaced
    as printed words are (the garbled words' boxes spread over the seal)."""
    x, y0, _, y1 = _box(ws)
    h = y1 - y0
    out: list[Word] = []
    for t in reversed(texts):
        x1 = x - round(0.35 * h)
        x = x1 - round(0.7 * h * len(t))
        out.insert(0, (ws[0][0], t, (x, y0, x1, y1), conf))
    return out + ws


def _untouched(old: list[Word], best: list[Word], outside: list[Word]) -> list[Word]:
    """The page's own body lines that the crop cut and that the chosen
    reading has nowhere near (the body's last line, its end in the crop,
    dropped by the re-read as unsure): lines that run on from the page's
    words left of the crop (``outside``) without a gap wider than two line
    heights (the list beside the column is further away), that Tesseract was
    sure of (mean confidence ``MIN_LINE_CONF``), whose box overlaps no line
    of the chosen reading and that it does not already hold."""
    keys = {w[0] for w in best}
    boxes = [_box(ws) for ws in _lines(best).values()]
    left = _lines(outside)
    out: list[Word] = []
    for k, ws in _lines(old).items():
        if k in keys or k not in left or sum(w[3] for w in ws) / len(ws) < MIN_LINE_CONF:
            continue
        b = _box(ws)
        before = [w[2][2] for w in left[k] if w[2][2] <= b[0] + 2]
        if not before or b[0] - max(before) > 2 * (b[3] - b[1]):
            continue
        if not any(_overlap(b, nb) > 0 for nb in boxes):
            out.extend(ws)
    return out


def _name_like(ws: list[Word]) -> bool:
    """Words that read as a person's name: two to six Vietnamese syllables,
    each capitalised (``Trần Ngọc Căng``, not ``rần Ngọc Căng``)."""
    syl = syllables()
    toks = [w[1] for w in ws]
    return 2 <= len(toks) <= 6 and all(t[:1].isupper() and t[1:].islower() and t.lower() in syl for t in toks)


def _reread_name(clean, colour, words: list[Word], word_h: float) -> tuple[list[Word], bool, list[list[Word]]]:
    """The name line (the lowest line in lower case) read once more on its
    own, in a tight crop (``--psm 7``): of the page as cleaned and, on a
    colour scan, with the seal's colour taken out (whitening the seal also
    whitens the ink that crosses it: ``Hạ`` lost its top).  A seal's ring or
    a signature stroke touching the line makes Tesseract drop or garble a
    word in the block (``rần Ngọc Căng``, ``Bá Chân`` for ``Hạ Bá Chân``).
    A reading alone is taken when it is a name, read with confidence, and
    the block's line was none or lacks a word at one end that the reading
    has; the words are Tesseract's, never completed.  Returns the words,
    whether the line was replaced, and the readings alone (mapped to the
    page) for the vote on marks."""
    from PIL import Image, ImageOps

    lines = [ws for ws in _lines(words).values() if any(ch.islower() for w in ws for ch in w[1])]
    if not lines:
        return words, False, []
    line = max(lines, key=lambda ws: _box(ws)[1])
    if not 1 <= len(line) <= 6:
        return words, False, []
    x0, y0, x1, y1 = _box(line)
    h = y1 - y0
    # room for a word the block lost at either end (a syllable is up to 2.5 heights wide)
    box = (max(0, int(x0 - 2.5 * h)), max(0, int(y0 - 0.2 * h)),
           min(clean.width, int(x1 + 2.5 * h)), min(clean.height, int(y1 + 0.2 * h)))
    up = max(1.0, min(3.0, 0.6 * UPSCALE_HEIGHT / max(word_h, 1)))
    size = (round((box[2] - box[0]) * up), round((box[3] - box[1]) * up))
    crops = [clean.crop(box).resize(size, Image.LANCZOS)]
    if colour is not None:
        crops.append(_seal_free(colour, box, size))
    key = line[0][0]
    alone: list[list[Word]] = []
    for crop in crops:
        img = ImageOps.expand(_binarise(crop), border=20, fill=255)
        img.info["dpi"] = (round(300 * up), round(300 * up))
        new = [w for w in _trim_marks(_read(img, "7")) if any(ch.isalpha() for ch in w[1])]
        alone.append([(key, t, (round((b[0] - 20) / up + box[0]), round((b[1] - 20) / up + box[1]),
                                round((b[2] - 20) / up + box[0]), round((b[3] - 20) / up + box[1])), c)
                      for _, t, b, c in new])
    names = [r for r in alone if _name_like(r) and sum(w[3] for w in r) / len(r) >= 80]
    if not names:
        return words, False, alone
    read = max(names, key=lambda r: (len(r), sum(w[3] for w in r) / len(r)))
    if _name_like(line) and not _lacks_an_end(line, read):
        return words, False, alone
    return [w for w in words if w[0] != key] + read, True, alone


def _lacks_an_end(line: list[Word], read: list[Word]) -> bool:
    """The block's line is the reading alone without its first or last
    word(s) (``Bá Chân`` / ``Hạ Bá Chân``)."""
    a = [fold(w[1]) for w in line]
    b = [fold(w[1]) for w in read]
    return len(a) < len(b) and (b[len(b) - len(a):] == a or b[:len(a)] == a)


def _overlap(a: tuple, b: tuple) -> float:
    """The share of the smaller box that the two boxes have in common."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    small = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / small if small > 0 else 0.0


def _shape(t: str) -> tuple[str, tuple[bool, ...]]:
    """A word without its marks, with where its capitals are: two readings
    of one word that differ only in tone or vowel marks share it."""
    return fold(t), tuple(ch.isupper() for ch in t)


def vote(best: list[Word], readings: list[list[Word]]) -> tuple[list[Word], int]:
    """The chosen reading with each word spelt as the readings of the region
    (the page's and the re-reads) spell it at that place, by their summed
    confidence: Tesseract loses or changes a mark in one reading and not in
    the others (``Hiên``/``Hiền``, ``Phừng``/``Phùng``, ``Đăng``/``Đặng``).
    Only the marks can change, never the letters, and on a tie the chosen
    reading's spelling stays; returns the words and how many changed."""
    out: list[Word] = []
    changed = 0
    for w in best:
        shape = _shape(w[1])
        votes: dict[str, list[float]] = {}
        for r in readings:
            v = next((v for v in r if _shape(v[1]) == shape and _overlap(w[2], v[2]) > 0.5), None)
            if v is not None:
                votes.setdefault(v[1], []).append(max(v[3], 0.0))
        if not votes:
            out.append(w)
            continue
        top = max(votes, key=lambda t: (sum(votes[t]), t == w[1]))
        if top != w[1] and sum(votes[top]) > sum(votes.get(w[1], [])):
            out.append((w[0], top, w[2], sum(votes[top]) / len(votes[top])))
            changed += 1
        else:
            out.append(w)
    return out, changed
