"""Handwritten serials and days (pipeline.ingest.handwriting) on header rows
the tests draw themselves with PIL: the printed ``Số:`` / ``/CT-UBND`` and
``ngày`` / ``tháng`` in DejaVu Serif, the "handwriting" in the blank either
clear digits in another face (read, and marked in a warning) or pen scribbles
(left blank, never guessed).  Needs the ``tesseract`` command with the
Vietnamese and English models for the image tests."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from pipeline.ingest import handwriting as H  # noqa: E402
from pipeline.ingest import ocr  # noqa: E402
from test_ingest_pdf import FONT, FONT_BOLD, needs_font  # noqa: E402


def _langs() -> set:
    import shutil
    import subprocess
    if not shutil.which("tesseract"):
        return set()
    out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True)
    return set((out.stdout + out.stderr).split())


needs_tesseract = pytest.mark.skipif(not {"vie", "eng"} <= _langs(), reason="tesseract with vie and eng models needed")


def _row(serial_draw, day_draw, size: int = 46) -> Image.Image:
    """A header page top: ``Số: ___ /CT-UBND`` left, ``ngày ___ tháng 5 năm
    2021`` right; ``*_draw(draw, x, y, h)`` fill the blanks."""
    img = Image.new("L", (2400, 1400), 255)
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(str(FONT), size)
    fb = ImageFont.truetype(str(FONT_BOLD), size)
    d.text((430, 120), "ỦY BAN NHÂN DÂN", font=fb, fill=0)
    d.text((1150, 120), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=fb, fill=0)
    y = 300
    d.text((460, y), "Số:", font=f, fill=0)
    x = 460 + d.textlength("Số:", font=f)
    serial_draw(d, x + 20, y, size)
    d.text((x + 190, y), "/CT-UBND", font=f, fill=0)
    d.text((1250, y), "Quảng Ngãi, ngày", font=f, fill=0)
    x = 1250 + d.textlength("Quảng Ngãi, ngày", font=f)
    day_draw(d, x + 15, y, size)
    d.text((x + 130, y), "tháng 5 năm 2021", font=f, fill=0)
    return img


def _digits(text: str):
    def draw(d, x, y, h):
        d.text((x, y - 4), text, font=ImageFont.truetype(str(FONT_BOLD), int(h * 1.15)), fill=0)
    return draw


def _scribble(seed: int):
    rng = np.random.default_rng(seed)

    def draw(d, x, y, h):
        pts = [(x + rng.uniform(0, 110), y + rng.uniform(0, h)) for _ in range(9)]
        d.line(pts, fill=0, width=5)
    return draw


def _page_words(img):
    return ocr._words(ocr._tesseract(img))


# ---------------------------------------------------------------------------
# without Tesseract

def test_plausible_values_only():
    assert H.plausible("day", "11") and H.plausible("day", "04")
    assert not H.plausible("day", "44") and not H.plausible("day", "0") and not H.plausible("day", "123")
    assert H.plausible("month", "12") and not H.plausible("month", "13")
    assert H.plausible("serial", "2116") and not H.plausible("serial", "0") and not H.plausible("serial", "1234567")
    assert not H.plausible("serial", "4a")


def test_handwriting_overrides_the_page_reading():
    # the reader could not read the serial: the page's own digits ("44",
    # from a Vietnamese "11") are not kept
    assert ocr.fix_cell("Số: 44 /CT-UBND", hand={"serial": None}) == ("Số: …/CT-UBND", 1)
    assert ocr.fix_cell("Số:⁄44 /CT-UBND", hand={"serial": "11"}) == ("Số: 11/CT-UBND", 0)
    text, blanked = ocr.fix_cell("Quảng Ngãi, ngàW/{ tháng 5 năm 2021", hand={"day": "11"})
    assert text == "Quảng Ngãi, ngày 11 tháng 5 năm 2021" and blanked == 0
    text, blanked = ocr.fix_cell("Quảng Ngãi, ngày 2# tháng Ø năm 2021", hand={"day": None, "month": None})
    assert text == "Quảng Ngãi, ngày … tháng … năm 2021" and blanked == 2
    # "Số: 2" cut from its "/CT-UBND" at the blank's wide gap
    assert ocr.fix_cell("Số: 2ƒ", hand={"serial": "01"}) == ("Số: 01", 0)
    assert ocr.fix_cell("Số: 2", hand={"serial": None}) == ("Số: …", 1)
    assert ocr._keep_piece("Số: …")
    # without a reading the old rules hold: plain digits kept, marks blanked
    assert ocr.fix_cell("Số: 280 /BC-UBND") == ("Số: 280/BC-UBND", 0)


def test_gaps_between_labels_from_char_boxes():
    text = "Số:⁄44 /CT-UBND"
    boxes = [(i * 10, 0, i * 10 + 9, 20) if c != " " else None for i, c in enumerate(text)]
    assert H._gaps(text, boxes) == [("serial", 20, 70)]          # from the colon, before "/"
    text = "ngày 11 tháng 5 năm 2021"
    boxes = [(i * 10, 0, i * 10 + 9, 20) if c != " " else None for i, c in enumerate(text)]
    assert H._gaps(text, boxes) == [("day", 39, 80), ("month", 129, 160)]


def test_a_label_letter_that_swallowed_the_day_is_cut_back():
    # "ngày20tháng": Tesseract's box of the "y" runs over the handwritten 20
    text = "ngày tháng 3 năm 2018"
    boxes = [(i * 10, 0, i * 10 + 9, 20) if c != " " else None for i, c in enumerate(text)]
    boxes[3] = (30, 0, 75, 20)                                   # "y" four letters wide
    gaps = dict((k, (a, b)) for k, a, b in H._gaps(text, boxes))
    # the printed width of "tháng": 49 px as read, 29 / 0.74 from "năm" (the
    # narrower); the y ends a letter's width after its left edge
    ref = min(49, 29 / H.NAM_THANG)
    assert gaps["day"] == (30 + int(H.LETTER * ref), 50)
    assert H._label_end(boxes, 3, 0.0) == 75                     # no reference: the box as read
    assert H._label_end([(0, 0, 9, 20)], 0, 49.0) == 9           # a letter's width: as read


def test_number_row_found_with_the_pen_glued_to_the_label():
    # "Sôx⁄t†  /CT-UBND" in the header, "số 11/CT-TTg" lower in the body
    words = [((1, 1, 1), "Sôx⁄t†", (480, 480, 620, 524), 14.0), ((1, 1, 1), "/CT-UBND", (660, 482, 910, 521), 72.0),
             ((1, 1, 1), "ngày", (1520, 509, 1680, 560), 2.0), ((1, 1, 1), "tháng", (1700, 509, 1830, 559), 96.0),
             ((1, 1, 1), "5", (1844, 510, 1868, 548), 92.0), ((1, 1, 1), "năm", (1883, 513, 1973, 549), 94.0),
             ((1, 1, 1), "2021", (1990, 510, 2091, 549), 90.0),
             ((2, 1, 1), "số", (1045, 1036, 1100, 1101), 93.0), ((2, 1, 1), "11/CT-TTg", (1110, 1036, 1383, 1101), 87.0)]
    rows = H.header_rows(words, 3500)
    assert (480, 480, 910, 524) in rows and not any(r[1] > 1000 for r in rows)
    # a word like the label with no "/ABC" after it is no number row
    assert not H.header_rows([((1, 1, 1), "Sở", (480, 480, 560, 524), 90.0),
                              ((1, 1, 1), "Tài", (580, 480, 660, 524), 90.0)], 3500)


class _Sure:
    """A stand-in reading of the digit model."""

    def __init__(self, text, conf, alone):
        self.text, self.conf, self._alone = text, conf, alone

    def confident(self):
        return True

    def alone(self):
        return self._alone


def _readers(monkeypatch, tesseract: dict, model):
    from pipeline.ingest import digits
    monkeypatch.setattr(H, "_run", lambda img, lang, psm, config, out: tesseract.get(lang + psm, ""))
    monkeypatch.setattr(digits, "read", lambda crop: model)


def _tsv(text: str, conf: float) -> str:
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    return head + f"\n5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t{conf}\t{text}"


def test_the_digit_model_alone_and_against_the_others(monkeypatch):
    crop = Image.new("L", (120, 60), 255)
    ImageDraw.Draw(crop).line([(50, 5), (52, 55)], fill=0, width=4)
    # sure alone: taken with no other reader
    _readers(monkeypatch, {}, _Sure("11", 0.95, True))
    assert H.read_digits(crop) == ("11", 95.0)
    # confident but not sure alone: needs a second reader
    _readers(monkeypatch, {}, _Sure("11", 0.7, False))
    assert H.read_digits(crop)[0] is None
    _readers(monkeypatch, {"eng7": _tsv("11", 50)}, _Sure("11", 0.7, False))
    assert H.read_digits(crop)[0] == "11"
    # two Tesseract set-ups agreeing against a sure model: nothing is taken
    _readers(monkeypatch, {"eng7": _tsv("44", 90), "vie7": _tsv("44", 90)}, _Sure("11", 0.95, True))
    assert H.read_digits(crop)[0] is None
    # one set-up against a sure model: the model
    _readers(monkeypatch, {"eng7": _tsv("44", 90)}, _Sure("11", 0.95, True))
    assert H.read_digits(crop)[0] == "11"
    # two set-ups against a sure model, each unsure of its own reading: the model
    _readers(monkeypatch, {"eng7": _tsv("4", 10), "eng8": _tsv("4", 30)}, _Sure("11", 0.95, True))
    assert H.read_digits(crop)[0] == "11"
    _readers(monkeypatch, {"eng7": _tsv("4", 10), "eng8": _tsv("4", 90)}, _Sure("11", 0.95, True))
    assert H.read_digits(crop)[0] == "11"
    _readers(monkeypatch, {"eng7": _tsv("4", 70), "eng8": _tsv("4", 90)}, _Sure("11", 0.95, True))
    assert H.read_digits(crop)[0] is None


def test_ink_drops_specks_and_finds_nothing_in_a_clean_blank():
    blank = Image.new("L", (120, 60), 255)
    assert H._ink(blank) is None
    d = ImageDraw.Draw(blank)
    d.ellipse((10, 40, 14, 44), fill=0)       # a colon dot
    assert H._ink(blank) is None
    d.line([(50, 5), (52, 55)], fill=0, width=4)
    assert H._ink(blank) is not None


# ---------------------------------------------------------------------------
# Tesseract on drawn rows

@needs_font
@needs_tesseract
def test_clear_digits_in_the_blanks_are_read():
    img = _row(_digits("27"), _digits("18"))
    fields = {f.kind: f.value for f in H.read_header(img, _page_words(img))}
    # the serial is clear enough for the page's own reading (then it is not
    # read again) or read again; the day is one Tesseract is unsure of on the page
    assert fields.get("serial", "27") == "27" and fields.get("day") == "18"
    assert "month" not in fields            # printed "5": the page's reading stands


@needs_font
@needs_tesseract
def test_scribbles_are_left_blank_not_guessed():
    img = _row(_scribble(1), _scribble(2))
    fields = H.read_header(img, _page_words(img))
    assert fields and all(f.value is None for f in fields)


def test_typed_serials_glued_to_their_symbol():
    for w in ("1520/QĐ-UBND", "30/2020/NĐ-CP", "60-NQ/TW", "157/QĐÐ-NĐ-UB"):
        assert H._TYPED_SERIAL.match(w), w
    for w in ("/CT-UBND", "Số:⁄44", "44", "2⁄⁄€/TB-ĐHĐL"):
        assert not H._TYPED_SERIAL.match(w), w


@needs_font
@needs_tesseract
def test_printed_serial_row_is_not_read_again(monkeypatch):
    img = Image.new("L", (2400, 1400), 255)
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(str(FONT), 46)
    d.text((460, 200), "Số: 1520/QĐ-UBND", font=f, fill=0)
    d.text((1250, 200), "Hòa Bình, ngày 14 tháng 8 năm 2024", font=f, fill=0)
    calls = []
    monkeypatch.setattr(H, "char_boxes", lambda row: calls.append(row) or ("", []))
    assert H.read_header(img, _page_words(img)) == [] and not calls


@needs_font
@needs_tesseract
def test_page_reading_blanks_unreadable_and_warns_for_read_handwriting():
    img = _row(_scribble(3), _digits("18"))
    rows, _, unreadable, notes = ocr.ocr_page(img, 1)
    text = "\n".join("    ".join(p.text for p in r) for r in rows.rows)
    assert "Số: …/CT" in text and unreadable >= 1
    assert "ngày 18 tháng 5 năm 2021" in text
    assert notes in ([], ["day '18'"])      # read by the page itself, or again on its own
