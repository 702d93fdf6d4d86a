"""The signature block of a scan's last page read again on its own
(pipeline/ingest/signature.py): the column located from the page's words,
seal colour taken out, big blobs (seal ring, signature) dropped, the re-read
taken only when it scores better, word boxes mapped back to the page.  Pages
drawn here with PIL (a red seal over the title, blue signature ink); the
Tesseract tests need the ``tesseract`` command with the Vietnamese model."""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from pipeline.ingest import ocr, signature  # noqa: E402
from test_ingest_pdf import FONT, FONT_BOLD, needs_font  # noqa: E402

needs_tesseract = pytest.mark.skipif(ocr.available() is not None, reason=str(ocr.available()))

W, H = 2400, 3400
NAME = "Nguyễn Văn Chiến"


def _w(text, x0, y0, x1, y1, conf=90.0, key=(1, 1, 1)):
    return (key, text, (x0, y0, x1, y1), conf)


def _page_words():
    """Words of a page read by Tesseract: a full-width last body line, Nơi
    nhận and recipients left, nothing in the right column (dropped)."""
    words = []
    for i in range(20):   # body
        words.append(_w(f"chữ{i}", 250 + 95 * i, 1500 + 0, 330 + 95 * i, 1540, key=(1, 1, 1)))
    words += [_w("Nơi", 250, 1700, 330, 1740, key=(2, 1, 1)), _w("nhận:", 340, 1700, 450, 1740, key=(2, 1, 1))]
    words += [_w("-", 250, 1760, 270, 1800, key=(2, 2, 1)), _w("Như", 290, 1760, 370, 1800, key=(2, 2, 1)),
              _w("trên;", 380, 1760, 480, 1800, key=(2, 2, 1))]
    words += [_w("-", 250, 1820, 270, 1860, key=(2, 3, 1)), _w("Lưu:", 290, 1820, 370, 1860, key=(2, 3, 1)),
              _w("VT.", 380, 1820, 450, 1860, key=(2, 3, 1))]
    return words


def test_locate_is_right_of_the_recipients_and_below_the_body():
    box = signature.locate(_page_words(), W, H)
    assert box is not None
    x0, y0, x1, y1 = box
    assert 0.4 * W <= x0 <= 0.55 * W and x1 == W
    assert 1540 <= y0 < 1700          # below the last body line, above Nơi nhận
    assert y1 > 1860


def test_locate_needs_a_sign_of_the_end():
    body = [_w(f"chữ{i}", 250 + 95 * i, 300 + 60 * k, 330 + 95 * i, 340 + 60 * k, key=(1, 1, k))
            for k in range(10) for i in range(20)]
    assert signature.locate(body, W, H) is None
    body.append(_w("đạo./.", 250, 960, 400, 1000, key=(1, 1, 11)))
    box = signature.locate(body, W, H)
    assert box is not None and box[1] >= 1000


def test_score_prefers_the_signing_vocabulary_over_seal_noise():
    good = [_w("KT.", 0, 0, 1, 1, 95), _w("CHỦ", 0, 0, 1, 1, 95), _w("TỊCH", 0, 0, 1, 1, 95),
            _w("Nguyễn", 0, 0, 1, 1, 95), _w("Văn", 0, 0, 1, 1, 95), _w("Chiến", 0, 0, 1, 1, 95)]
    noisy = [_w("SHUỦ", 0, 0, 1, 1, 60), _w("TỊCH", 0, 0, 1, 1, 90), _w("'z", 0, 0, 1, 1, 10),
             _w("c.Ã", 0, 0, 1, 1, 5), _w("guyễn", 0, 0, 1, 1, 80)]
    assert signature.score(good)[:2] > signature.score(noisy)[:2]
    assert signature.score(good)[0] == 2      # the prefix KT. and the pair CHỦ TỊCH
    # a lone title word or a connector of a body name is no sign of the block
    assert signature.score([_w("TỊCH", 0, 0, 1, 1, 95), _w("VÀ", 0, 0, 1, 1, 95, key=(1, 1, 2))])[0] == 0
    assert signature.score([])[:2] == (0, 0)


def test_seal_free_whitens_red_and_blue_but_keeps_black():
    img = Image.new("RGB", (100, 40), "white")
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 29, 39), fill=(200, 40, 40))      # seal red
    d.rectangle((30, 0, 59, 39), fill=(40, 50, 160))     # signature blue
    d.rectangle((60, 0, 99, 39), fill=(25, 25, 25))      # printed black
    g = np.asarray(signature._seal_free(img, (0, 0, 100, 40), (100, 40)))
    assert g[:, :60].min() == 255
    assert g[:, 60:].max() < 60


@needs_font
def test_drop_big_removes_a_ring_and_keeps_the_letters():
    img = Image.new("L", (900, 400), 255)
    d = ImageDraw.Draw(img)
    d.ellipse((20, 20, 380, 380), outline=0, width=8)
    d.text((500, 150), "CHỦ TỊCH", font=ImageFont.truetype(str(FONT_BOLD), 50), fill=0)
    out = np.asarray(signature._drop_big(img, 60)) < 128
    assert not out[:, :400].any()
    assert out[:, 480:].sum() == (np.asarray(img)[:, 480:] < 128).sum()


def _signed_page() -> Image.Image:
    """A last page: body, Nơi nhận left, the signature column right with a
    red seal over the title and a blue signature over the space above the name."""
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    f = ImageFont.truetype(str(FONT), 46)
    fb = ImageFont.truetype(str(FONT_BOLD), 48)
    fi = ImageFont.truetype(str(FONT), 40)
    for k, line in enumerate(["Quyết định này có hiệu lực kể từ ngày ký ban hành. Các sở, ban,",
                              "ngành và Ủy ban nhân dân các huyện chịu trách nhiệm thi hành./."]):
        d.text((250, 400 + 70 * k), line, font=f, fill=(20, 20, 20))
    d.text((250, 650), "Nơi nhận:", font=fb, fill=(20, 20, 20))
    for k, line in enumerate(["- Như Điều 3;", "- Thường trực Tỉnh ủy;", "- Lưu: VT, KT."]):
        d.text((250, 720 + 55 * k), line, font=fi, fill=(20, 20, 20))
    cx = 1700
    for y, line in ((650, "KT. CHỦ TỊCH"), (720, "PHÓ CHỦ TỊCH")):
        d.text((cx - d.textlength(line, font=fb) / 2, y), line, font=fb, fill=(20, 20, 20))
    d.text((cx - d.textlength(NAME, font=fb) / 2, 1150), NAME, font=fb, fill=(20, 20, 20))
    # the seal: a red ring with red writing, over the left end of the title lines
    red = (205, 35, 45)
    d.ellipse((1180, 560, 1560, 940), outline=red, width=14)
    d.ellipse((1230, 610, 1510, 890), outline=red, width=5)
    d.text((1270, 730), "ỦY BAN", font=fb, fill=red)
    # the signature: blue strokes between the title and the name
    blue = (30, 50, 170)
    d.line([(1450, 1050), (1600, 900), (1700, 1080), (1850, 930), (2000, 1060)], fill=blue, width=9)
    return img


@needs_tesseract
@needs_font
def test_reread_recovers_the_block_under_a_red_seal():
    img = _signed_page()
    clean, scale = ocr.prepare(img)
    words = ocr._words(ocr._tesseract(clean))
    # the page as Tesseract would give it when it drops the column as a picture
    box = signature.locate(words, clean.width, clean.height)
    assert box is not None
    dropped = [w for w in words if not (w[2][0] >= box[0] and w[2][1] >= box[1])]
    new, note = signature.reread(clean, dropped, ocr._colour(img, clean))
    assert note and "signature block read again" in note
    text = " ".join(w[1] for w in new)
    assert "CHỦ TỊCH" in text and NAME in text
    # boxes back in page pixels: the name where it was drawn
    name_words = [w for w in new if w[1] in NAME.split()]
    assert name_words
    for w in name_words:
        assert 1100 < w[2][1] < 1230 and 1200 < w[2][0] < 2200
    # the body and the recipients are the page's own words, untouched
    assert [w for w in dropped if w[2][0] < box[0]] == [w for w in new if w[2][0] < box[0]]


@needs_tesseract
@needs_font
def test_reread_keeps_a_good_page_reading():
    img = _signed_page().convert("L")
    d = ImageDraw.Draw(img)
    d.rectangle((1150, 540, 2100, 1100), fill=255)   # no seal, no signature: a clean block
    d.text((1400, 650), "KT. CHỦ TỊCH", font=ImageFont.truetype(str(FONT_BOLD), 48), fill=0)
    clean, _ = ocr.prepare(img)
    words = ocr._words(ocr._tesseract(clean))
    new, note = signature.reread(clean, words, None)
    if note is None:
        assert new == words
    else:   # taken only when it scores better
        box = signature.locate(words, clean.width, clean.height)
        inside = [w for w in words if box[0] <= (w[2][0] + w[2][2]) / 2 and box[1] <= (w[2][1] + w[2][3]) / 2 < box[3]]
        assert signature.score([w for w in new if w[0][0] >= signature.KEY_BASE])[:2] > signature.score(inside)[:2]


@needs_tesseract
@needs_font
def test_ocr_page_last_page_reads_the_signer():
    rows, _, _, _ = ocr.ocr_page(_signed_page(), 1, 1.0, last=True)
    text = "\n".join(" ".join(p.text for p in r) for r in rows.rows)
    assert NAME in text and "CHỦ TỊCH" in text


def test_dark_ink_drops_a_grey_ring_and_keeps_black_letters():
    img = Image.new("L", (900, 400), 255)
    d = ImageDraw.Draw(img)
    d.text((420, 150), "CHỦ TỊCH", font=ImageFont.truetype(str(FONT_BOLD), 50), fill=10)
    d.ellipse((380, 20, 740, 380), outline=140, width=10)    # a grey seal ring across the letters
    a = np.asarray(img)
    out = np.asarray(signature._dark_ink(img)) < 128
    assert out[a <= 20].all()          # every black pixel kept
    assert not out[(a > 100) & (a < 200)].any()   # no grey one


@needs_tesseract
@needs_font
def test_reread_recovers_the_block_under_a_grey_seal():
    """A typeset scan or a photocopy: the seal is grey, not red, and its ring runs
    through the title's letters, so neither colour nor blob size takes it out."""
    img = _signed_page().convert("L")
    d = ImageDraw.Draw(img)
    d.rectangle((1150, 540, 2100, 1100), fill=255)
    for k in range(6):   # more body text above, as on a real page (the contrast stretch needs ink)
        d.text((250, 100 + 48 * k), "Các sở, ban, ngành và Ủy ban nhân dân các huyện chịu trách nhiệm",
               font=ImageFont.truetype(str(FONT), 46), fill=20)
    fb = ImageFont.truetype(str(FONT_BOLD), 48)
    for r, width in ((230, 16), (180, 6)):
        d.ellipse((1450 - r, 760 - r, 1450 + r, 760 + r), outline=150, width=width)
    d.text((1330, 740), "ỦY BAN", font=fb, fill=150)
    for y, line in ((650, "KT. CHỦ TỊCH"), (720, "PHÓ CHỦ TỊCH")):   # black print over grey stays black
        d.text((1700 - d.textlength(line, font=fb) / 2, y), line, font=fb, fill=20)
    clean, _ = ocr.prepare(img)
    words = ocr._words(ocr._tesseract(clean))
    box = signature.locate(words, clean.width, clean.height)
    assert box is not None
    dropped = [w for w in words if not (w[2][0] >= box[0] and w[2][1] >= box[1])]
    new, note = signature.reread(clean, dropped, None)
    assert note and "signature block read again" in note
    text = " ".join(w[1] for w in new)
    assert "PHÓ CHỦ TỊCH" in text and NAME in text


# -- the footer on a page other than the last; what the re-read keeps ----------

def test_locate_on_a_page_before_the_last_needs_the_noi_nhan_label():
    words = _page_words()
    assert signature.locate(words, W, H, last=False) == signature.locate(words, W, H)
    # the same page without its Nơi nhận label: a body ending in './.' and a prefix
    # in the right column are signs on the last page only
    body = [w for w in words if w[0] != (2, 1, 1)] + [_w("đạo./.", 250, 1560, 400, 1600, key=(1, 2, 1)),
                                                       _w("KT.", 1500, 1700, 1580, 1740, key=(3, 1, 1)),
                                                       _w("GIÁM", 1600, 1700, 1740, 1740, key=(3, 1, 1)),
                                                       _w("ĐỐC", 1760, 1700, 1860, 1740, key=(3, 1, 1))]
    assert signature.locate(body, W, H, last=True) is not None
    assert signature.locate(body, W, H, last=False) is None


TRIM = [
    # (words of a re-read line, kept)
    (["—", "PHÓ", "GIÁM", "ĐỐC"], ["PHÓ", "GIÁM", "ĐỐC"]),
    (["PHÓ", "GIÁM", "ĐỐC", "-", "'"], ["PHÓ", "GIÁM", "ĐỐC"]),
    (["Bình./."], ["Bình./."]),                     # an end mark on a word stays
    (["TL.", "HIỆU", "TRƯỞNG"], ["TL.", "HIỆU", "TRƯỞNG"]),
    (["~", "—"], []),
]


@pytest.mark.parametrize("line, kept", TRIM, ids=[" ".join(c[0]) for c in TRIM])
def test_trim_marks_drops_lone_marks_at_a_lines_ends(line, kept):
    words = [_w(t, 100 * i, 0, 100 * i + 90, 40) for i, t in enumerate(line)]
    assert [w[1] for w in signature._trim_marks(words)] == kept


def test_untouched_keeps_a_sure_page_line_the_reread_has_nowhere_near():
    body_end = [_w("tỉnh", 1000, 1500, 1090, 1540, 92, key=(5, 1, 1)), _w("Bình./.", 1100, 1500, 1250, 1540, 90,
                                                                          key=(5, 1, 1))]
    unsure = [_w("NNU", 1500, 1900, 1600, 1940, 20, key=(5, 2, 1))]          # a seal stroke
    under_new = [_w("PHÓ", 1500, 1700, 1600, 1740, 90, key=(5, 3, 1))]       # where the re-read has a line
    best = [_w("PHÓ", 1490, 1695, 1600, 1745, 95, key=(10_001, 1, 1)), _w("GIÁM", 1610, 1695, 1760, 1745, 95,
                                                                          key=(10_001, 1, 1))]
    # the body line runs on from the left of the crop; the other lines share its Tesseract
    # line far away (the Nơi nhận list beside the column) or not at all
    outside = [_w("Hòa", 880, 1500, 990, 1540, 95, key=(5, 1, 1)), _w("Như", 250, 1900, 330, 1940, 95, key=(5, 2, 1))]
    old = body_end + [_w(t, x, 1900, x + 100, 1940, 90, key=(5, 2, 1)) for t, x in (("ĐA", 1500), ("KHOA", 1610))]
    assert signature._untouched(old + unsure + under_new, best, outside) == body_end
    assert signature._untouched(body_end, best, []) == []
    # nothing twice when the chosen reading is the page's own
    assert signature._untouched(body_end, body_end, outside) == []


# -- the prefix stack under a seal; the name line read alone -------------------

def _line(texts, y, confs=None, key=None):
    confs = confs or [90.0] * len(texts)
    return [_w(t, 1300 + 130 * i, y, 1420 + 130 * i, y + 50, c, key=key or (1, 1, y)) for i, (t, c) in
            enumerate(zip(texts, confs))]


STACK = [
    # (lines as read: (words, confidences), expected texts of the lines)
    ([(["=.{T.", "CHỦ", "TỊCH"], [0, 96, 96]), (["=2", "TỊCH"], [0, 96])],
     ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),                                     # the seal over both line starts
    ([(["KJT", "CHỦ", "TỊCH"], [83, 96, 95]), (["PHÓ", "CHỦ", "TỊCH"], [33, 96, 96])],
     ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),                                     # K/T with its slash misread
    ([(["KT.", "GIÁM", "ĐỐC"], [95, 95, 95]), (["x7", "ĐỐC"], [0, 95])],
     ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]),
    ([(["KT.", "BỘ", "TRƯỞNG"], [95] * 3), (["=2", "TRƯỞNG"], [0, 95])],
     ["KT. BỘ TRƯỞNG", "=2 TRƯỞNG"]),                 # PHÓ BỘ TRƯỞNG is no title (THỨ TRƯỞNG signs)
    ([(["KT.", "CHỦ", "TỊCH"], [95] * 3), (["tá", "CHỦ", "TỊCH"], [33, 96, 96])],
     ["KT. CHỦ TỊCH", "tá CHỦ TỊCH"]),                # a syllable before it: not junk, left alone
    ([(["KT.", "CHỦ", "TỊCH"], [95] * 3), (["=2", "TỊCH"], [0, 60])],
     ["KT. CHỦ TỊCH", "=2 TỊCH"]),                    # the title word itself unsure
    ([(["NT.", "CHỦ", "TỊCH"], [95] * 3)], ["NT. CHỦ TỊCH"]),    # a confident word is left as read
    ([(["=<T.", "PHÒNG", "ĐÀO", "TẠO"], [0, 95, 95, 95])], ["=<T. PHÒNG ĐÀO TẠO"]),  # not an office title
]


@pytest.mark.parametrize("lines, expected", STACK, ids=[" / ".join(" ".join(t) for t, _ in c[0]) for c in STACK])
def test_restore_stack(lines, expected):
    words = [w for k, (texts, confs) in enumerate(lines) for w in _line(texts, 400 + 70 * k, confs)]
    out = signature.restore_stack(words)
    assert [" ".join(w[1] for w in ws) for ws in signature._lines(out).values()] == expected


def test_restore_stack_skips_a_seal_line_between():
    words = _line(["KT.", "CHỦ", "TỊCH"], 400) + _line(["DẪN,", "rẻ"], 420, [46, 54]) + _line(["=2", "TỊCH"], 470, [0, 96])
    out = signature._lines(signature.restore_stack(words))
    assert [w[1] for w in out[(1, 1, 470)]] == ["PHÓ", "CHỦ", "TỊCH"]
    assert all(w[3] == 0 for w in out[(1, 1, 470)][:2])        # restored words keep the low confidence


@pytest.mark.parametrize("line, read, lacks", [
    (["Bá", "Chân"], ["Hạ", "Bá", "Chân"], True),
    (["Trần", "Ngọc"], ["Trần", "Ngọc", "Căng"], True),
    (["Bá", "Chân"], ["Bá", "Chân"], False),
    (["Bá", "Chân"], ["Hạ", "Văn", "Chân"], False),       # another name, not one with a word more
])
def test_lacks_an_end(line, read, lacks):
    assert signature._lacks_an_end([_w(t, 0, 0, 1, 1) for t in line], [_w(t, 0, 0, 1, 1) for t in read]) is lacks


@needs_tesseract
def test_ocr_images_turns_the_reread_note_into_a_warning_and_passes_last(monkeypatch):
    from pipeline.ingest.layout import PageRows

    seen = []

    def fake(img, page, us, last=False):
        seen.append((page, last))
        notes = ["day '18'"] if page == 1 else ["signature block read again (psm 6); mean word confidence 88"]
        return PageRows(page, [], 100, 100), 0.9, 0, notes

    monkeypatch.setattr(ocr, "ocr_page", fake)
    _, _, warnings = ocr.ocr_images([(None, 1, 1.0), (None, 2, 1.0)])
    assert sorted(seen) == [(1, False), (2, True)]
    assert "handwriting read by OCR on page 1 (low confidence, check): day '18'" in warnings
    assert signature.reread_confidences(warnings) == {2: 0.88}
    assert not any("handwriting" in w and "signature" in w for w in warnings)
