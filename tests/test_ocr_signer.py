"""Signers of scans: the re-read words voted on (pipeline/ingest/signature.py),
office titles with a word garbled by a seal restored from the vocabulary and
seal fragments dropped (pipeline/extract/ocrfix.py), and the footer rules for
OCR'd layouts (pipeline/zones.py: a signature found beside a list whose
``Nơi nhận`` label OCR garbled, a footer ending at another document's national
motto).  No Tesseract needed: words are given as Tesseract returns them."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.extract import ocrfix
from pipeline.ingest import signature
from conftest import columns


def _w(text, box, conf=90.0, key=(1, 1, 1)):
    return (key, text, box, conf)


# -- vote: a word spelt as most readings of the region spell it ------------------

NAME_BOX = (100, 500, 300, 540)
VOTES = [
    # (chosen reading's word, [(other readings' words at that place)], expected)
    (("Hiên", 95), [("Hiền", 95), ("Hiên", 64), ("Hiền", 88)], "Hiền"),     # marks lost in two readings of four
    (("Phừng", 86), [("Phùng", 96), ("Phùng", 96)], "Phùng"),
    (("Đặng", 84), [("Đăng", 88), ("Đặng", 95)], "Đặng"),                  # the majority keeps it
    (("Hiên", 90), [("Hiền", 90)], "Hiên"),                                  # a tie keeps the chosen reading
    (("rần", 93), [("Trần", 97), ("Trần", 97)], "rần"),                      # letters never change
    (("Hiên", 95), [("HIỀN", 99), ("HIỀN", 99)], "Hiên"),                    # nor capitals
]


@pytest.mark.parametrize("chosen, others, expected", VOTES, ids=[f"{c[0][0]}->{c[2]}" for c in VOTES])
def test_vote_spells_a_word_as_most_readings(chosen, others, expected):
    best = [_w(chosen[0], NAME_BOX, chosen[1])]
    readings = [best] + [[_w(t, (104, 502, 296, 541), c)] for t, c in others]
    out, changed = signature.vote(best, readings)
    assert out[0][1] == expected
    assert changed == (expected != chosen[0])
    assert out[0][2] == NAME_BOX   # the box stays the chosen reading's


def test_vote_ignores_words_elsewhere_on_the_page():
    best = [_w("Hiên", NAME_BOX, 95)]
    elsewhere = [_w("Hiền", (900, 1500, 1100, 1540), 99)]
    assert signature.vote(best, [best, elsewhere, elsewhere])[0][0][1] == "Hiên"


@pytest.mark.parametrize("words, ok", [
    (["Trần", "Ngọc", "Căng"], True),
    (["rần", "Ngọc", "Căng"], False),
    (["tạ", "Bá", "Chân"], False),
    (["Phùng", "Thị", "Xuân", "Bình"], True),
    (["Chân"], False),
    (["CHỦ", "TỊCH"], False),
])
def test_name_like(words, ok):
    assert signature._name_like([_w(t, NAME_BOX) for t in words]) is ok


def test_score_counts_an_office_title_with_a_garbled_word():
    garbled = [_w("SHỦ", (100, 100, 200, 140), 17, key=(1, 1, 1)), _w("TỊCH", (210, 100, 300, 140), 96, key=(1, 1, 1))]
    noise = [_w("NNU", (100, 100, 200, 140), 0, key=(1, 1, 1)), _w("5%", (210, 100, 300, 140), 0, key=(1, 1, 1))]
    assert signature.score(garbled)[0] > signature.score(noise)[0]
    assert signature._sure_lines(garbled) == garbled     # kept although unsure on average


# -- ocrfix: office titles restored only from the vocabulary ---------------------

NEAR = [
    ("SHUỦ TỊCH", "CHỦ TỊCH"),        # the seal's ring over the C
    ("SHỦ TỊCH", "CHỦ TỊCH"),
    ("… NNU TỊCH", "CHỦ TỊCH"),      # a speck left out
    ("GIĂM ĐÓC", "GIÁM ĐỐC"),        # marks only
    ("PHÓ GIẢM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("TRƯỞNG TRẠI", None),           # a real word is not a garbled one
    ("XU TRƯỞNG", None),             # 'xu' is a syllable
    ("X TRƯỞNG", None),              # as close to TỔ, VỤ and BỘ TRƯỞNG: no single title
    ("TRƯỞNG PHÒNG CTSV", None),     # not a title of the vocabulary as a whole
    ("Shủ Tịch", None),              # only lines in capitals
    ("NGUYỄN", None),
]


@pytest.mark.parametrize("value, expected", NEAR, ids=[c[0] for c in NEAR])
def test_near_office(value, expected):
    assert ocrfix.near_office(value) == expected


SEAL_TAIL = [
    ("TRƯỞNG PHÒNG CTSV ƯỠNG", "TRƯỞNG PHÒNG CTSV"),   # a piece of the seal's ring beside the line
    ("CHỦ TỊCH ƯỠNG ƯỠNG", "CHỦ TỊCH"),
    ("TRƯỞNG PHÒNG ĐT", "TRƯỞNG PHÒNG ĐT"),              # abbreviations carry no marks
    ("GIÁM ĐỐC SỞ", "GIÁM ĐỐC SỞ"),                      # a syllable stays
    ("ƯỠNG", "ƯỠNG"),                                     # nothing but the fragment: not an office title
    ("BAN QUẢN LÝ ƯỠNG", "BAN QUẢN LÝ ƯỠNG"),            # not an office title before it
]


@pytest.mark.parametrize("value, expected", SEAL_TAIL, ids=[c[0] for c in SEAL_TAIL])
def test_drop_seal_tail(value, expected):
    assert ocrfix.drop_seal_tail(value) == expected


# -- zones: the signature of an OCR'd footer ------------------------------------

BODY = ("Yêu cầu các cơ quan, đơn vị nghiêm túc triển khai thực hiện Chỉ thị này và báo cáo "
        "kết quả về Ủy ban nhân dân tỉnh theo đúng quy định./.")
LIST = ["- Văn phòng Chính phủ;", "- Thường trực Tỉnh ủy;", "- Thường trực HĐND tỉnh;",
        "- Chủ tịch, các PCT UBND tỉnh;", "- Đoàn Đại biểu Quốc hội tỉnh;", "- Ban Tuyên giáo Tỉnh ủy;",
        "- Công an tỉnh;", "- Thanh tra tỉnh;", "- Các sở, ban ngành tỉnh;", "- Kho bạc Nhà nước tỉnh;",
        "- UBND các huyện, thị xã, thành phố;", "- Báo Quảng Ngãi;", "- Lưu: VT, KGVX."]   # long: the name is
# far from the end, as beside a real list


def _doc(vb, footer: str, tail: str = "") -> str:
    return vb.doc(heading="CHỈ THỊ", title=("Về việc tổ chức Kỳ thi",), authority=(), preamble=(), enact=None,
                  body=(BODY,), footer=footer, tail=tail)


GARBLED_LABEL = [
    # (label as OCR read it, the right column beside the list, expected (position, name))
    ("NHI nHỆng", ["CHỦ TỊCH", "", "", "Đặng Văn Minh"], ("CHỦ TỊCH", "Đặng Văn Minh")),
    ("Noi nhan:", ["GIÁM ĐỐC", "", "", "", "Hà Thị Lê Vân"], ("GIÁM ĐỐC", "Hà Thị Lê Vân")),
    ("", ["CHỦ TỊCH", "", "Đặng Văn Minh"], ("CHỦ TỊCH", "Đặng Văn Minh")),
]


@pytest.mark.parametrize("label, sign, expected", GARBLED_LABEL, ids=[c[0] or "no label" for c in GARBLED_LABEL])
def test_signature_beside_a_list_without_its_label(vb, label, sign, expected):
    left = ([label] if label else []) + LIST
    rows = [(a, b) for a, b in zip(left, sign + [""] * len(left))]
    rec = pipeline.parse_text(_doc(vb, columns(rows)))
    assert [(s.position, s.name) for s in rec.signers] == [expected]
    assert "Thường trực Tỉnh ủy" in [r.text for r in rec.recipients]


def test_no_signature_from_a_name_in_the_left_list(vb):
    rows = [("NHI nHỆng", "CHỦ TỊCH")] + [(x, "") for x in LIST[:3]] + [("- Ông Đặng Văn Minh;", "")]
    rec = pipeline.parse_text(_doc(vb, columns(rows)))
    assert rec.signers == []


MOTTO = [
    "ỦY BAN NHÂN DÂN          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "ỦY BẠN NHÂN DÁN          CÔNG HOA XA HỘI CHỦ NG+'A VIỆT NAM",   # as OCR read it
]


@pytest.mark.parametrize("motto", MOTTO, ids=["printed", "ocr"])
def test_footer_ends_at_another_documents_motto(vb, motto):
    footer = columns([("Nơi nhận:", "KT. CHỦ TỊCH"), ("- Như Điều 3;", "PHÓ CHỦ TỊCH"), ("- Lưu: VT.", "")])
    tail = motto + "\n" + " " * 30 + "PHIẾU TRÌNH DUYỆT\nKính gửi: Ủy ban nhân dân tỉnh"
    rec = pipeline.parse_text(_doc(vb, footer, tail))
    assert [(s.authority, s.title, s.position) for s in rec.signers] == [("KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH")]
    assert [r.text for r in rec.recipients] == ["Như Điều 3", "Lưu: VT"]
