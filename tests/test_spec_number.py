"""Số và ký hiệu — spec §2.3 (state grammar), §5 (Party grammar), §8.1–8.2 (noise, drafts).

Value convention (GOLD_FORMAT): the number as printed after ``Số``, spaces
removed, every dash written ``-``; a blank serial keeps the symbol
(``/KH-SGD&ĐT``); hyphens lost by the source are kept as printed.
"""

from __future__ import annotations

import unicodedata

import pytest

import pipeline


def _id(s: str) -> str:
    """An ASCII test id (pytest escapes non-ASCII ids)."""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "replace").decode()

# ---------------------------------------------------------------------------
# §2.3 grammar table: Số: NN/<TYPE>-<ISSUER>[-<UNIT>], công văn NN/<ISSUER>-<UNIT>,
# VBQPPL NN/YYYY/<TYPE>-<ISSUER>, laws NN/YYYY/QH<khóa>, joint documents.
#   (number line, heading or None for a công văn, number, serial, year, type, issuer, unit)

STATE = [
    ("Số: 123/QĐ-UBND", "QUYẾT ĐỊNH", "123/QĐ-UBND", "123", None, "QĐ", "UBND", None),
    ("Số: 45/KH-SGDĐT", "KẾ HOẠCH", "45/KH-SGDĐT", "45", None, "KH", "SGDĐT", None),
    ("Số: 05/KH-SGDĐT-GDTrH", "KẾ HOẠCH", "05/KH-SGDĐT-GDTrH", "05", None, "KH", "SGDĐT", "GDTrH"),
    ("Số: 12/BC-UBND-VX", "BÁO CÁO", "12/BC-UBND-VX", "12", None, "BC", "UBND", "VX"),
    ("Số: 1441/UBND-THNV", None, "1441/UBND-THNV", "1441", None, None, "UBND", "THNV"),
    ("Số: 1234/BGDĐT-VP", None, "1234/BGDĐT-VP", "1234", None, None, "BGDĐT", "VP"),
    ("Số: 567/SGDĐT-GDTrH", None, "567/SGDĐT-GDTrH", "567", None, None, "SGDĐT", "GDTrH"),
    ("Số: 123/TTg-KGVX", None, "123/TTg-KGVX", "123", None, None, "TTg", "KGVX"),
    ("Số: 30/2020/NĐ-CP", "NGHỊ ĐỊNH", "30/2020/NĐ-CP", "30", 2020, "NĐ", "CP", None),
    ("Số: 26/2019/TT-BGDĐT", "THÔNG TƯ", "26/2019/TT-BGDĐT", "26", 2019, "TT", "BGDĐT", None),
    ("Số: 12/2024/QĐ-UBND", "QUYẾT ĐỊNH", "12/2024/QĐ-UBND", "12", 2024, "QĐ", "UBND", None),
    ("Luật số: 80/2015/QH13", "LUẬT", "80/2015/QH13", "80", 2015, None, "QH13", None),
    ("Số: 202/2025/QH15", "NGHỊ QUYẾT", "202/2025/QH15", "202", 2025, None, "QH15", None),
    ("Số: 01/2016/TTLT-BGDĐT-BNV", "THÔNG TƯ LIÊN TỊCH", "01/2016/TTLT-BGDĐT-BNV", "01", 2016, "TTLT", "BGDĐT", "BNV"),
    # mixed-case codes keep their lower-case letters
    ("Số: 15/QyĐ-UBND", "QUY ĐỊNH", "15/QyĐ-UBND", "15", None, "QyĐ", "UBND", None),
    ("Số: 08/CTr-UBND", "CHƯƠNG TRÌNH", "08/CTr-UBND", "08", None, "CTr", "UBND", None),
    ("Số: 21/TTr-SGDĐT", "TỜ TRÌNH", "21/TTr-SGDĐT", "21", None, "TTr", "SGDĐT", None),
    ("Số: 12/CĐ-TTg", "CÔNG ĐIỆN", "12/CĐ-TTg", "12", None, "CĐ", "TTg", None),
]


def _state_doc(vb, line, heading):
    if heading is None:
        return vb.cong_van(number=line)
    return vb.doc(number=line, heading=heading, title=("Về việc thực hiện nhiệm vụ năm 2024",))


@pytest.mark.parametrize("line, heading, number, serial, year, type_code, issuer_code, unit_code", STATE,
                         ids=[_id(c[0]) for c in STATE])
def test_number_state_grammar(vb, line, heading, number, serial, year, type_code, issuer_code, unit_code):
    rec = pipeline.parse_text(_state_doc(vb, line, heading))
    assert rec.number == number
    p = rec.number_parts
    assert p is not None
    assert (p.serial, p.year, p.type_code, p.issuer_code, p.unit_code, p.regime) == \
        (serial, year, type_code, issuer_code, unit_code, "state")


# ---------------------------------------------------------------------------
# §5: Party numbers put a hyphen between number and type code and a slash before
# the organisation; usually "Số" without a colon.  Youth Union uses the same form.
#   (number line, number, serial, type, org, unit)

PARTY = [
    ("Số 29-NQ/TW", "29-NQ/TW", "29", "NQ", "TW", None),
    ("Số 01-BB/TUHY-TUHB", "01-BB/TUHY-TUHB", "01", "BB", "TUHY", "TUHB"),
    ("Số 08-QĐi/TW", "08-QĐi/TW", "08", "QĐi", "TW", None),
    ("Số 66-QĐ/TW", "66-QĐ/TW", "66", "QĐ", "TW", None),
    ("Số: 1234-CV/TU", "1234-CV/TU", "1234", "CV", "TU", None),
    ("Số 15-HD/BTGTU", "15-HD/BTGTU", "15", "HD", "BTGTU", None),
    ("Số 07-KL/ĐU", "07-KL/ĐU", "07", "KL", "ĐU", None),
]


@pytest.mark.parametrize("line, number, serial, type_code, org, unit", PARTY, ids=[_id(c[0]) for c in PARTY])
def test_number_party_hyphen_then_slash(vb, line, number, serial, type_code, org, unit):
    rec = vb.parse_party(number=line)
    assert rec.number == number
    p = rec.number_parts
    assert p is not None
    assert (p.serial, p.type_code, p.issuer_code, p.unit_code, p.regime) == (serial, type_code, org, unit, "party")


def test_number_youth_union_uses_party_form(vb):
    rec = vb.parse_party(left=("BCH TỈNH ĐOÀN HÒA BÌNH", "***"), right=("ĐOÀN TNCS HỒ CHÍ MINH",),
                         number="Số: 12-KH/TĐTN-VP", heading="KẾ HOẠCH",
                         title=("Tổ chức Tháng Thanh niên năm 2025",))
    assert rec.number == "12-KH/TĐTN-VP"
    p = rec.number_parts
    assert (p.serial, p.type_code, p.issuer_code, p.unit_code, p.regime) == ("12", "KH", "TĐTN", "VP", "party")


# ---------------------------------------------------------------------------
# §2.3 rule 7 and §8.2: a blank draft number keeps its symbol; the serial is
# empty, never coerced to 0.
#   (number line, number, regime)

BLANK = [
    ("Số:      /KH-SGD&ĐT", "/KH-SGD&ĐT", "state"),
    ("Số: …/TTr-UBND", "/TTr-UBND", "state"),
    ("Số: ……../TTr-UBND", "/TTr-UBND", "state"),
    ("Số: …/QĐ-UBND", "/QĐ-UBND", "state"),
    ("Số: ____/QĐ-UBND", "/QĐ-UBND", "state"),
    ("Số:    /2024/QĐ-UBND", "/2024/QĐ-UBND", "state"),
    ("Số      -NQ/ĐU", "-NQ/ĐU", "party"),
]


@pytest.mark.parametrize("line, number, regime", BLANK, ids=[_id(c[0]) for c in BLANK])
def test_number_blank_draft_keeps_symbol(vb, line, number, regime):
    if regime == "party":
        rec = vb.parse_party(number=line)
    else:
        rec = vb.parse(number=line)
    assert rec.number == number
    assert rec.number_parts is not None
    assert rec.number_parts.serial is None          # not "0", not ""
    assert rec.number_parts.regime == regime
    assert "blank number" in rec.warning_codes()


# ---------------------------------------------------------------------------
# §8.1 and §0: OCR spacing, dash variants, trailing period, look-alike Đ,
# HTML escapes.  Lost hyphens and case errors are kept as printed (GOLD_FORMAT).
#   (number line, number)

NOISE = [
    ("So: 12 / QĐ – UBND", "12/QĐ-UBND"),
    ("Số: 123 / QĐ - UBND", "123/QĐ-UBND"),
    ("Số:123/QĐ-UBND", "123/QĐ-UBND"),
    ("Số: 123/QĐ–UBND", "123/QĐ-UBND"),            # en dash
    ("Số: 123/QĐ—UBND", "123/QĐ-UBND"),            # em dash
    ("Số: 123/QĐ\u2011UBND", "123/QĐ-UBND"),       # non-breaking hyphen
    ("Số: 123/QĐ\u2212UBND", "123/QĐ-UBND"),       # minus sign
    ("Số: 123/QĐ-UBND.", "123/QĐ-UBND"),            # trailing period
    ("Số: 123/QÐ-UBND", "123/QĐ-UBND"),             # Icelandic eth for Đ
    ("Số: 45/KH-SGD&amp;ĐT", "45/KH-SGD&ĐT"),       # HTML escape
    ("Số: 123/QD-UBND", "123/QD-UBND"),             # no Đ: as printed
    ("Số: 123/Qđ-UBND", "123/Qđ-UBND"),             # case error: as printed
    ("Số: 1961/QĐUBND", "1961/QĐUBND"),             # lost hyphen: as printed
    ("SỐ: 123/QĐ-UBND", "123/QĐ-UBND"),
]


@pytest.mark.parametrize("line, number", NOISE, ids=[_id(c[0]) for c in NOISE])
def test_number_ocr_spacing_and_dashes(vb, line, number):
    rec = vb.parse(number=line)
    assert rec.number == number


def test_number_ocr_party_en_dash(vb):
    rec = vb.parse_party(number="Số 29–NQ/TW", left=("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"),
                         date="Hà Nội, ngày 26 tháng 01 năm 2025")
    assert rec.number == "29-NQ/TW"
    assert rec.number_parts.regime == "party"


def test_number_is_not_taken_from_citations(vb):
    """The document's own number is the Số line, not a number cited in the body."""
    rec = vb.parse(number="Số: 77/QĐ-SGDĐT")
    assert rec.number == "77/QĐ-SGDĐT"
    assert "77/QĐ-SGDĐT" not in [r.number for r in rec.references]
