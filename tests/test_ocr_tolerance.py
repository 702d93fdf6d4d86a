"""Header lines as OCR damages them — spec §8.7 (``Đ/Ð/D``, ``ư/u``, ``ơ/o``,
``1/l/I``, ``0/O``, spurious dots from the seal, lost or changed tone marks),
and the layout accidents of a scan (a lost heading, a wrapped date, noise
lines read from a seal or a signature).

Each case is a document built with ``conftest.Builder`` and read as an OCR
source (``method="ocr:tesseract"``), so the vocabulary respelling that only
OCR'd records get (``pipeline/extract/ocrfix.py``) is exercised too.  Cases
are named after the rule they test.
"""

from __future__ import annotations

import pytest

import pipeline
from pipeline.document import build_record
from pipeline.extract import ocrfix
from pipeline.ingest import Source

QH = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TN = "Độc lập - Tự do - Hạnh phúc"


def ocr(text: str) -> pipeline.Record:
    return build_record(Source(text, "png", method="ocr:tesseract", confidence=0.8), classify=False)


# ---------------------------------------------------------------------------
# Zoning: the heading, the title, the date row

HEADING_CASES = {
    # the seal leaves a dot or a speck after the type heading
    "seal_dot_after_heading": dict(heading="THÔNG BÁO .", title=("KẾ HOẠCH TẠM DỪNG ỨNG DỤNG QUẢN LÝ THUẾ",),
                                   number="Số: 983/TB-CT", authority=()),
    "speck_after_heading": dict(heading="QUYẾT ĐỊNH ˆ", title=("Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024",)),
    # the pre-2004 form: the issuer in the heading line, a Về việc line under it
    "heading_of_issuer": dict(heading="QUYẾT ĐỊNH CỦA UỶ BAN NHÂN DÂN TỈNH",
                              title=("Về việc : Giao quyền sử dụng đất ở dân cư",), authority=("UỶ BAN NHÂN DÂN TỈNH",)),
}
EXPECTED_HEADING = {
    "seal_dot_after_heading": ("Thông báo", "KẾ HOẠCH TẠM DỪNG ỨNG DỤNG QUẢN LÝ THUẾ"),
    "speck_after_heading": ("Quyết định", "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"),
    "heading_of_issuer": ("Quyết định", "Về việc : Giao quyền sử dụng đất ở dân cư"),
}


@pytest.mark.parametrize("case", sorted(HEADING_CASES))
def test_type_heading(vb, case):
    rec = ocr(vb.doc(**HEADING_CASES[case]))
    assert (rec.doc_type, rec.title) == EXPECTED_HEADING[case]


def test_title_in_capitals_opening_with_a_type_word_is_not_a_heading(vb):
    # "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG …" under THÔNG BÁO is the title, and with no
    # Về việc line after it, "X CỦA Y" is never taken for the old heading form
    rec = ocr(vb.doc(heading="THÔNG BÁO", number="Số: 636/TB-VPCP", authority=(),
                     title=("KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ", "TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH")))
    assert rec.doc_type == "Thông báo"
    assert rec.title == "KẾT LUẬN CỦA PHÓ THỦ TƯỚNG CHÍNH PHỦ TẠI BUỔI LÀM VIỆC VỚI LÃNH ĐẠO TỈNH"


def test_heading_lost_title_in_capitals_under_the_date_row(vb):
    # OCR dropped "KẾ HOẠCH": the type comes from the symbol, the capitals under
    # the number and date rows are still the trích yếu
    rec = ocr(vb.doc(heading=None, number="Số: 617/KH-UBND", preamble=(), enact=None, authority=(),
                     header=vb.header(number="Số: 617/KH-UBND") + "\n"
                     + vb.centred(["CHUYỂN ĐỔI SỐ CHO CÁC DOANH NGHIỆP, NHẤT LÀ DOANH",
                                   "NGHIỆP NHỎ VÀ VỪA, HỢP TÁC XÃ, HỘ KINH DOANH"], 6),
                     body=("Thực hiện Kế hoạch số 283/KH-UBND ngày 24/9/2025 của Ủy ban nhân dân tỉnh;",
                           "Ủy ban nhân dân tỉnh ban hành Kế hoạch chuyển đổi số như sau:",
                           "1. Mục đích.")))
    assert rec.doc_type == "Kế hoạch"
    assert rec.title == ("CHUYỂN ĐỔI SỐ CHO CÁC DOANH NGHIỆP, NHẤT LÀ DOANH NGHIỆP NHỎ VÀ VỪA, "
                         "HỢP TÁC XÃ, HỘ KINH DOANH")


def test_heading_lost_but_vv_line_keeps_the_vv_title(vb):
    rec = ocr(vb.cong_van())
    assert rec.doc_type == "Công văn"
    assert rec.title == "triển khai nhiệm vụ năm học 2024-2025"


def test_date_line_whose_year_wrapped_beside_the_vv_line(vb):
    # "…, ngày 25 tháng 11" / "V/v rà soát … số năm 2025 nhà sau …": OCR put the
    # year from the right column into the V/v line
    header = vb.columns([("ỦY BAN NHÂN DÂN THÀNH", QH), ("PHỐ HỒ CHÍ MINH", TN),
                         ("Số: 4085/UBND-ĐT", "Thành phố Hồ Chí Minh, ngày 25 tháng 11")])
    header += "\nV/v rà soát và chuẩn hóa dữ liệu số năm 2025 nhà sau sắp xếp"
    rec = ocr(vb.cong_van(header=header))
    assert rec.date == "2025-11-25"
    assert rec.place == "Thành phố Hồ Chí Minh"
    assert rec.title == "rà soát và chuẩn hóa dữ liệu số nhà sau sắp xếp"


def test_date_line_without_year_and_no_year_below_stays_without_date(vb):
    header = vb.columns([("ỦY BAN NHÂN DÂN TỈNH BẾN TRE", QH), ("", TN),
                         ("Số: 12/UBND-VP", "Bến Tre, ngày 25 tháng 11")])
    rec = ocr(vb.cong_van(header=header + "\nV/v rà soát dữ liệu"))
    assert rec.date is None


def test_date_alone_on_its_line_inside_a_title_in_capitals(vb):
    # OCR reads "NGÀY 19 THÁNG 4 NĂM 2019" of a capital title in lower case
    rec = ocr(vb.doc(heading="THÔNG TƯ", number="Số: 55/2025/TT-BCT", authority=(),
                     title=("SỬA ĐỔI MỘT SỐ ĐIỀU CỦA THÔNG TƯ SỐ 07/2019/TT-BCT", "ngày 19 tháng 4 năm 2019",
                            "CỦA BỘ TRƯỞNG BỘ CÔNG THƯƠNG")))
    assert rec.title == ("SỬA ĐỔI MỘT SỐ ĐIỀU CỦA THÔNG TƯ SỐ 07/2019/TT-BCT ngày 19 tháng 4 năm 2019 "
                         "CỦA BỘ TRƯỞNG BỘ CÔNG THƯƠNG")


# ---------------------------------------------------------------------------
# The issuer: noise lines and specks

ISSUER_CASES = {
    # a seal or the rule under the issuer read as text
    "noise_line_under_issuer": (("VĂN PHÒNG CHÍNH PHỦ", "5o 9/44022XG/ES20UIE"), "VĂN PHÒNG CHÍNH PHỦ", None),
    "noise_line_of_capitals_and_digits": (("BỘ Y TẾ", "SW2BDG05230000E"), "BỘ Y TẾ", None),
    "speck_inside_and_dash_after_issuer": (("ỦY BAN NHÂN DÂN THÀNH ˆ", "PHỐ HÀ NỘI -"),
                                           "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", None),
    "backslash_after_issuer": (("BAN CHẤP HÀNH TRUNG ƯƠNG\\",), "BAN CHẤP HÀNH TRUNG ƯƠNG", None),
    # Ư read as U, Ơ as O: found all the same (matching is on the fold), respelled from agencies.yaml
    "body_word_with_a_wrong_tone": (("BAN CHẤP HÀNH TRUNG ƯƠNG", "BẠN TUYÊN GIÁO VÀ DÂN VẬN"),
                                    "BAN TUYÊN GIÁO VÀ DÂN VẬN", "BAN CHẤP HÀNH TRUNG ƯƠNG"),
    # a digit inside a real name is not noise
    "digits_in_a_real_name": (("BỘ TƯ LỆNH QUÂN KHU 7", "SƯ ĐOÀN 302"), "SƯ ĐOÀN 302", "BỘ TƯ LỆNH QUÂN KHU 7"),
}


@pytest.mark.parametrize("case", sorted(ISSUER_CASES))
def test_issuer(vb, case):
    left, issuer, parent = ISSUER_CASES[case]
    rec = ocr(vb.doc(left=left))
    assert (rec.issuer, rec.issuer_parent) == (issuer, parent)


# ---------------------------------------------------------------------------
# Respelling from the vocabularies (OCR'd records only)

RESPELL_CASES = [
    # (rule, kind, printed, expected)
    ("o_for_ô_in_a_set_phrase", "title", "SỬA ĐỐI, BỔ SUNG MỘT SỐ ĐIỀU", "SỬA ĐỔI, BỔ SUNG MỘT SỐ ĐIỀU"),
    ("ư_read_as_ự_in_a_type_name", "title", "CỦA THÔNG TỰ SỐ 07/2019/TT-BCT", "CỦA THÔNG TƯ SỐ 07/2019/TT-BCT"),
    ("i_read_as_ị", "title", "THUỘC PHẠM VỊ QUẢN LÝ", "THUỘC PHẠM VI QUẢN LÝ"),
    ("case_follows_the_print", "title", "sửa đối, bố sung", "sửa đổi, bổ sung"),
    ("free_words_never_respelled", "title", "VỀ DỰ ÁN CẦU TÂN VŨ", "VỀ DỰ ÁN CẦU TÂN VŨ"),
    ("one_word_type_name_not_respelled", "title", "THU HỒI GIẤY PHÉP", "THU HỒI GIẤY PHÉP"),
    ("several_word_type_name_respelled", "title", "GỬI THU CHÚC MỪNG", "GỬI THƯ CHÚC MỪNG"),
    ("old_tone_placement_is_right", "body", "UỶ BAN NHÂN DÂN TỈNH", "UỶ BAN NHÂN DÂN TỈNH"),
    ("d_for_đ_in_a_body_word", "body", "DẢNG UỶ XÃ", "ĐẢNG UỶ XÃ"),
    ("body_word_only_at_the_start", "body", "SỞ TÀI CHÍNH BẠN", "SỞ TÀI CHÍNH BẠN"),
]


@pytest.mark.parametrize("rule,kind,printed,expected", RESPELL_CASES, ids=[c[0] for c in RESPELL_CASES])
def test_respell(rule, kind, printed, expected):
    assert ocrfix.respell(printed, kind, start_only=(kind == "body")) == expected


OFFICE_CASES = [
    ("u_for_ủ", "CHU TỊCH", "CHỦ TỊCH"),
    ("last_letter_lost", "PHÓ CHỦ TỊC", "PHÓ CHỦ TỊCH"),
    ("ơ_read_as_o", "PHÓ GIÁM ĐÓC", "PHÓ GIÁM ĐỐC"),
    ("title_then_its_body_kept", "CHU TỊCH UBND TỈNH", "CHỦ TỊCH UBND TỈNH"),
    # THỦ TRƯỞNG and THỨ TRƯỞNG fold alike: the vocabulary cannot say which
    ("ambiguous_fold_untouched", "THU TRƯỞNG", "THU TRƯỞNG"),
    ("not_an_office_untouched", "TRƯỞNG PHÒNG CTSV", "TRƯỞNG PHÒNG CTSV"),
]


@pytest.mark.parametrize("rule,printed,expected", OFFICE_CASES, ids=[c[0] for c in OFFICE_CASES])
def test_respell_office(rule, printed, expected):
    assert ocrfix.respell_office(printed) == expected


def test_respelling_only_for_ocr_records(vb):
    text = vb.doc(title=("SỬA ĐỐI QUY CHẾ LÀM VIỆC",), sign=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐÓC", "", "Nguyễn Văn An"))
    as_read = ocr(text)
    assert as_read.title == "SỬA ĐỔI QUY CHẾ LÀM VIỆC"
    assert as_read.signers[0].position == "PHÓ GIÁM ĐỐC"
    printed = pipeline.parse_text(text)  # a text layer is taken as printed
    assert printed.title == "SỬA ĐỐI QUY CHẾ LÀM VIỆC"
    assert printed.signers[0].position == "PHÓ GIÁM ĐÓC"


# ---------------------------------------------------------------------------
# Đ/Ð/D and marks in the number and the date row

NUMBER_CASES = [
    ("eth_for_đ", "Số: 123/QÐ-SGDĐT", "123/QĐ-SGDĐT"),
    ("d_for_đ_kept_as_printed", "Số: 123/QD-SGDĐT", "123/QD-SGDĐT"),
    ("label_with_a_wrong_tone", "Sô: 123/QĐ-SGDĐT", "123/QĐ-SGDĐT"),
    ("seal_dot_after_symbol", "Số: 123/QĐ-SGDĐT.", "123/QĐ-SGDĐT"),
]


@pytest.mark.parametrize("rule,line,expected", NUMBER_CASES, ids=[c[0] for c in NUMBER_CASES])
def test_number(vb, rule, line, expected):
    rec = ocr(vb.doc(number=line))
    assert (rec.number, rec.doc_type) == (expected, "Quyết định")


DATE_CASES = [
    ("seal_dot_after_date", "Hòa Bình, ngày 05 tháng 3 năm 2024.", "2024-03-05", "Hòa Bình"),
    ("marks_lost", "Hoà Binh, ngay 05 thang 3 nam 2024", "2024-03-05", "Hoà Binh"),
    ("one_mark_lost", "Hòa Bình, ngày 05 thang 3 năm 2024", "2024-03-05", "Hòa Bình"),
]


@pytest.mark.parametrize("rule,line,iso,place", DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_date(vb, rule, line, iso, place):
    rec = ocr(vb.doc(date=line))
    assert (rec.date, rec.place) == (iso, place)


# ---------------------------------------------------------------------------
# The signature block

SIGNER_CASES = {
    # the edge of a receipt stamp read as text before the prefix
    "specks_before_a_prefix": (("TL. CHỦ TỊCH", "lệ … KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "",
                                "Hà Thị Lê Vân"),
                               ("KT.", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Hà Thị Lê Vân")),
    "quote_speck_in_the_position": (("TL. HIỆU TRƯỞNG", "TRƯỞNG 'PHÒNG CTSV", "", "Phùng Thị Xuân Bình"),
                                    ("TL.", "HIỆU TRƯỞNG", "TRƯỞNG PHÒNG CTSV", "Phùng Thị Xuân Bình")),
    "office_title_with_a_lost_letter": (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊC", "", "Trần Văn Hải"),
                                        ("KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Hải")),
    "comma_inside_a_title_kept": (("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "", "Nguyễn Sỹ Hiệp"),
                                  ("KT.", "BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM", "Nguyễn Sỹ Hiệp")),
}


@pytest.mark.parametrize("case", sorted(SIGNER_CASES))
def test_signer(vb, case):
    sign, expected = SIGNER_CASES[case]
    s = ocr(vb.doc(sign=sign)).signers[0]
    assert (s.authority, s.title, s.position, s.name) == expected
