"""The header and the type/title block — spec §2.1, §2.2, §2.5, §2.10, §5, §8.3.

Value conventions (GOLD_FORMAT): ``issuer`` the last name in the top-left
header and ``issuer_parent`` the body above it, as printed, wrapped lines
joined; ``doc_type`` the sentence-case type name; ``title`` the trích yếu
(without ``V/v`` for a công văn).
"""

from __future__ import annotations

import unicodedata

import pytest

import pipeline


def _id(s: str) -> str:
    """An ASCII test id (pytest escapes non-ASCII ids)."""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "replace").decode()

QH = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TN = "Độc lập - Tự do - Hạnh phúc"
NUM = "Số: 123/QĐ-SGDĐT"
DATE = "Hòa Bình, ngày 05 tháng 3 năm 2024"


def _header_ok(rec, issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO", parent="UBND TỈNH HÒA BÌNH"):
    codes = rec.warning_codes()
    assert "missing quốc hiệu" not in codes
    assert "no header" not in codes
    assert rec.regime == "state"
    assert rec.issuer == issuer
    assert rec.issuer_parent == parent


# ---------------------------------------------------------------------------
# §2.1: quốc hiệu broken across lines, old spelling, en-dash tiêu ngữ, no diacritics.

def _cols(vb, right_rows, left=("UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")):
    rows = list(zip(list(left) + [""] * (len(right_rows) - len(left)), right_rows))
    rows.append((NUM, DATE))
    return vb.columns(rows)


BROKEN = {
    # the right column carries the break; the left column has ended
    "right column, issuer on one row": lambda vb: vb.columns([
        ("BỘ Y TẾ", "CỘNG HÒA XÃ HỘI"), ("", "CHỦ NGHĨA VIỆT NAM"), ("", TN),
        ("Số: 123/QĐ-BYT", "Hà Nội, ngày 05 tháng 3 năm 2024")]),
    # interleaved rows: each left line beside one piece of the quốc hiệu
    "interleaved with a two-line issuer": lambda vb: _cols(vb, ["CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM", TN]),
    # column by column: left block first, then the right block
    "column by column": lambda vb: "\n".join([
        "UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", NUM,
        "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM", TN, DATE]),
    "single column export": lambda vb: "\n".join([
        "UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM", TN, NUM, DATE]),
}


@pytest.mark.parametrize("shape", list(BROKEN))
def test_quoc_hieu_broken_across_lines(vb, shape):
    rec = pipeline.parse_text(vb.doc(header=BROKEN[shape](vb)))
    if shape.startswith("right column"):
        _header_ok(rec, issuer="BỘ Y TẾ", parent=None)
    else:
        _header_ok(rec)
    assert rec.number in ("123/QĐ-SGDĐT", "123/QĐ-BYT")
    assert rec.date == "2024-03-05"


VARIANTS = [
    ("Decree 30 spelling", QH, TN),
    ("TT 01/2011 spelling CỘNG HOÀ", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", TN),
    ("en dash tiêu ngữ", QH, "Độc lập – Tự do – Hạnh phúc"),
    ("em dash tiêu ngữ", QH, "Độc lập — Tự do — Hạnh phúc"),
    ("no diacritics", "CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc"),
    ("markdown bold and escaped dashes", "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**", r"**Độc lập \- Tự do \- Hạnh phúc**"),
]


@pytest.mark.parametrize("name, qh, tn", VARIANTS, ids=[_id(v[0]) for v in VARIANTS])
def test_quoc_hieu_variants(vb, name, qh, tn):
    rec = vb.parse(right=(qh, tn))
    _header_ok(rec)


def test_quoc_hieu_inside_a_line_is_searched_not_matched(vb):
    """§2.1: after flattening the quốc hiệu stands in the middle of a line."""
    header = "\n".join([f"UBND TỈNH HÒA BÌNH {QH}", f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {TN}", f"{NUM} {DATE}"])
    rec = pipeline.parse_text(vb.doc(header=header))
    _header_ok(rec)


# ---------------------------------------------------------------------------
# §8.3: two-column header flattened row by row (one space), with a wide gap,
# column by column; the V/v summary under the number.

FLAT = {
    "rows one space apart": "\n".join([
        f"UBND TỈNH HÒA BÌNH {QH}", f"SỞ GIÁO DỤC VÀ ĐÀO TẠO {TN}",
        "Số: 123/SGDĐT-VP Hòa Bình, ngày 05 tháng 3 năm 2024",
        "V/v triển khai công tác tuyển sinh năm học 2024-2025"]),
    "rows with a column gap": "\n".join([
        f"UBND TỈNH HÒA BÌNH{' ' * 30}{QH}", f"SỞ GIÁO DỤC VÀ ĐÀO TẠO{' ' * 30}{TN}",
        f"Số: 123/SGDĐT-VP{' ' * 30}Hòa Bình, ngày 05 tháng 3 năm 2024",
        "V/v triển khai công tác tuyển sinh năm học 2024-2025"]),
    "rows with a tab": "\n".join([
        f"UBND TỈNH HÒA BÌNH\t{QH}", f"SỞ GIÁO DỤC VÀ ĐÀO TẠO\t{TN}",
        "Số: 123/SGDĐT-VP\tHòa Bình, ngày 05 tháng 3 năm 2024",
        "V/v triển khai công tác tuyển sinh năm học 2024-2025"]),
    "column by column": "\n".join([
        "UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 123/SGDĐT-VP",
        "V/v triển khai công tác tuyển sinh năm học 2024-2025",
        QH, TN, "Hòa Bình, ngày 05 tháng 3 năm 2024"]),
}


@pytest.mark.parametrize("shape", list(FLAT))
def test_header_flattened_two_columns(vb, shape):
    rec = pipeline.parse_text(vb.cong_van(header=FLAT[shape]))
    _header_ok(rec)
    assert rec.number == "123/SGDĐT-VP"
    assert rec.date == "2024-03-05"
    assert rec.place == "Hòa Bình"
    assert rec.doc_type == "Công văn"
    assert rec.title == "triển khai công tác tuyển sinh năm học 2024-2025"


# ---------------------------------------------------------------------------
# §8.3: cells with pipes (lawnet) and Markdown tables.

PIPES = {
    "lawnet pipe cells": "\n".join([
        "CHÍNH PHỦ |", "CỘNG HÒA XÃ HỘI", "CHỦ NGHĨA VIỆT NAM |", "Độc lập - Tự do - Hạnh phúc |",
        "Số: 27/NQ-CP |", "Hà Nội, ngày 01 tháng 3 năm 2024 |"]),
    "markdown table": "\n".join([
        f"| CHÍNH PHỦ | {QH} |", "|---|---|", f"| | {TN} |",
        "| Số: 27/NQ-CP | Hà Nội, ngày 01 tháng 3 năm 2024 |"]),
    "markdown table, bold cells": "\n".join([
        f"| **CHÍNH PHỦ** | **{QH}** |", "| --- | --- |", f"| ------- | **{TN}** |",
        "| Số: 27/NQ-CP | *Hà Nội, ngày 01 tháng 3 năm 2024* |"]),
}


@pytest.mark.parametrize("shape", list(PIPES))
def test_header_pipe_rows(vb, shape):
    rec = pipeline.parse_text(vb.doc(header=PIPES[shape], heading="NGHỊ QUYẾT",
                                     title=("Phiên họp Chính phủ thường kỳ tháng 02 năm 2024",),
                                     authority=(), enact=None, preamble=(),
                                     body=("Chính phủ quyết nghị:", "1. Về tình hình kinh tế - xã hội.",
                                           "2. Về công tác xây dựng pháp luật./."),
                                     sign=("TM. CHÍNH PHỦ", "THỦ TƯỚNG", "", "Phạm Minh Chính")))
    _header_ok(rec, issuer="CHÍNH PHỦ", parent=None)
    assert rec.number == "27/NQ-CP"
    assert rec.date == "2024-03-01"
    assert rec.place == "Hà Nội"
    assert rec.doc_type == "Nghị quyết"


# ---------------------------------------------------------------------------
# §2.2: the two-level header: chủ quản (optional) over the issuing body; a long
# name wraps; only one logical name means no chủ quản.
#   (left-column lines, issuer, issuer_parent)

ISSUERS = [
    (("UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO"), "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH HÒA BÌNH"),
    (("UBND HUYỆN LẠC SƠN", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"), "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "UBND HUYỆN LẠC SƠN"),
    (("SỞ GD&ĐT HÒA BÌNH", "TRƯỜNG THPT LẠC SƠN"), "TRƯỜNG THPT LẠC SƠN", "SỞ GD&ĐT HÒA BÌNH"),
    (("SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA BÌNH", "TRƯỜNG THPT CÔNG NGHIỆP"), "TRƯỜNG THPT CÔNG NGHIỆP",
     "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH HÒA BÌNH"),
    (("BỘ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG ĐẠI HỌC SƯ PHẠM HÀ NỘI"), "TRƯỜNG ĐẠI HỌC SƯ PHẠM HÀ NỘI",
     "BỘ GIÁO DỤC VÀ ĐÀO TẠO"),
    (("BỘ Y TẾ",), "BỘ Y TẾ", None),
    (("CHÍNH PHỦ",), "CHÍNH PHỦ", None),
    (("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH",), "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", None),
    (("BỘ QUỐC PHÒNG", "TỔNG CỤC HẬU CẦN - KỸ THUẬT"), "TỔNG CỤC HẬU CẦN - KỸ THUẬT", "BỘ QUỐC PHÒNG"),
    # wrapped names are joined
    (("ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG"), "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None),
    (("BỘ QUỐC PHÒNG", "TỔNG CỤC HẬU CẦN -", "KỸ THUẬT"), "TỔNG CỤC HẬU CẦN - KỸ THUẬT", "BỘ QUỐC PHÒNG"),
    (("UBND TỈNH HÒA BÌNH", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"), "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
     "UBND TỈNH HÒA BÌNH"),
    # a collegial word on its own line waits for its owner
    (("THƯỜNG TRỰC", "HĐND - UBND TỈNH HÒA BÌNH"), "THƯỜNG TRỰC HĐND - UBND TỈNH HÒA BÌNH", None),
    # the short rule under the issuer is not part of it
    (("UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "───────"), "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH HÒA BÌNH"),
    (("UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "-------"), "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "UBND TỈNH HÒA BÌNH"),
]


@pytest.mark.parametrize("left, issuer, parent", ISSUERS, ids=[_id(" / ".join(c[0])) for c in ISSUERS])
def test_issuer_two_level_header(vb, left, issuer, parent):
    rec = vb.parse(left=left)
    assert rec.issuer == issuer
    assert rec.issuer_parent == parent


# ---------------------------------------------------------------------------
# §5: Party header: ĐẢNG CỘNG SẢN VIỆT NAM instead of the quốc hiệu; the issuer
# is the body printed top left; ĐẢNG CỘNG SẢN VIỆT NAM is not a parent body.

PARTY_HEADERS = [
    (("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"), "Số 29-NQ/TW", "BAN CHẤP HÀNH TRUNG ƯƠNG", None),
    (("BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG", "*"), "Số 05-HD/VPTW", "VĂN PHÒNG", "BAN CHẤP HÀNH TRUNG ƯƠNG"),
    (("TỈNH ỦY HÒA BÌNH", "*"), "Số 15-NQ/TU", "TỈNH ỦY HÒA BÌNH", None),
    (("TỈNH ỦY HÒA BÌNH", "BAN TUYÊN GIÁO", "*"), "Số 15-HD/BTGTU", "BAN TUYÊN GIÁO", "TỈNH ỦY HÒA BÌNH"),
    (("ĐẢNG BỘ TỈNH HÒA BÌNH", "ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO", "*"), "Số 07-NQ/ĐU",
     "ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO", "ĐẢNG BỘ TỈNH HÒA BÌNH"),
]


@pytest.mark.parametrize("left, number, issuer, parent", PARTY_HEADERS, ids=[_id(" / ".join(c[0])) for c in PARTY_HEADERS])
def test_party_header(vb, left, number, issuer, parent):
    rec = vb.parse_party(left=left, number=number)
    assert rec.regime == "party"
    assert rec.issuer == issuer
    assert rec.issuer_parent == parent
    codes = rec.warning_codes()
    assert "missing quốc hiệu" not in codes and "no header" not in codes


def test_party_header_dang_on_the_left_is_not_a_parent(vb):
    rec = vb.parse_party(left=("ĐẢNG CỘNG SẢN VIỆT NAM", "BAN CHẤP HÀNH TRUNG ƯƠNG", "*"),
                         right=("ĐẢNG CỘNG SẢN VIỆT NAM",), number="Số 29-NQ/TW")
    assert rec.issuer == "BAN CHẤP HÀNH TRUNG ƯƠNG"
    assert rec.issuer_parent is None


def test_youth_union_header(vb):
    """§2.1/§9: ĐOÀN TNCS HỒ CHÍ MINH in place of the quốc hiệu → Youth Union regime."""
    rec = vb.parse_party(left=("BCH TỈNH ĐOÀN HÒA BÌNH", "***"), right=("ĐOÀN TNCS HỒ CHÍ MINH",),
                         number="Số: 12-KH/TĐTN-VP", heading="KẾ HOẠCH",
                         title=("Tổ chức Tháng Thanh niên năm 2025",))
    assert rec.regime == "youth-union"
    assert rec.issuer == "BCH TỈNH ĐOÀN HÒA BÌNH"
    assert "missing quốc hiệu" not in rec.warning_codes()


# ---------------------------------------------------------------------------
# §2.5: every type name of the TYPE_NAME list gives its sentence-case type.

HEADINGS = [
    ("NGHỊ QUYẾT", "Nghị quyết"), ("QUYẾT ĐỊNH", "Quyết định"), ("CHỈ THỊ", "Chỉ thị"),
    ("QUY CHẾ", "Quy chế"), ("QUY ĐỊNH", "Quy định"), ("THÔNG CÁO", "Thông cáo"),
    ("THÔNG BÁO", "Thông báo"), ("HƯỚNG DẪN", "Hướng dẫn"), ("CHƯƠNG TRÌNH", "Chương trình"),
    ("KẾ HOẠCH", "Kế hoạch"), ("PHƯƠNG ÁN", "Phương án"), ("ĐỀ ÁN", "Đề án"), ("DỰ ÁN", "Dự án"),
    ("BÁO CÁO", "Báo cáo"), ("BIÊN BẢN", "Biên bản"), ("TỜ TRÌNH", "Tờ trình"), ("HỢP ĐỒNG", "Hợp đồng"),
    ("CÔNG ĐIỆN", "Công điện"), ("BẢN GHI NHỚ", "Bản ghi nhớ"), ("BẢN THỎA THUẬN", "Bản thỏa thuận"),
    ("BẢN THOẢ THUẬN", "Bản thỏa thuận"), ("GIẤY ỦY QUYỀN", "Giấy ủy quyền"), ("GIẤY UỶ QUYỀN", "Giấy ủy quyền"),
    ("GIẤY MỜI", "Giấy mời"), ("GIẤY GIỚI THIỆU", "Giấy giới thiệu"), ("GIẤY NGHỈ PHÉP", "Giấy nghỉ phép"),
    ("PHIẾU GỬI", "Phiếu gửi"), ("PHIẾU CHUYỂN", "Phiếu chuyển"), ("PHIẾU BÁO", "Phiếu báo"),
    ("LUẬT", "Luật"), ("BỘ LUẬT", "Bộ luật"), ("PHÁP LỆNH", "Pháp lệnh"), ("LỆNH", "Lệnh"),
    ("NGHỊ ĐỊNH", "Nghị định"), ("THÔNG TƯ", "Thông tư"), ("THÔNG TƯ LIÊN TỊCH", "Thông tư liên tịch"),
    ("KẾT LUẬN", "Kết luận"), ("THÔNG TRI", "Thông tri"), ("QUY TRÌNH", "Quy trình"),
    ("BẢN CAM KẾT", "Bản cam kết"), ("GIẤY CHỨNG NHẬN", "Giấy chứng nhận"), ("GIẤY ĐI ĐƯỜNG", "Giấy đi đường"),
    ("GIẤY BIÊN NHẬN HỒ SƠ", "Giấy biên nhận hồ sơ"),
    ("**QUYẾT ĐỊNH**", "Quyết định"),   # bold markers around the heading
]


@pytest.mark.parametrize("heading, doc_type", HEADINGS, ids=[_id(h) for h, _ in HEADINGS])
def test_type_heading_names(vb, heading, doc_type):
    rec = vb.parse(heading=heading, number="Số: 123/SGDĐT-VP", title=("Về việc thực hiện nhiệm vụ năm 2024",),
                   authority=(), enact=None, preamble=(),
                   body=("1. Các đơn vị rà soát nhiệm vụ được giao.", "2. Báo cáo kết quả về Sở./."))
    assert rec.doc_type == doc_type
    assert rec.title == "Về việc thực hiện nhiệm vụ năm 2024"


# ---------------------------------------------------------------------------
# §2.3 rule 3, §2.5, §9 step 4: a type heading wins over the symbol (collisions:
# CT = Cục Thuế, PC = Pháp chế, TTr = Thanh tra, TB/TC/KH as unit codes).
#   (heading, number line, doc_type)

HEADING_WINS = [
    ("QUYẾT ĐỊNH", "Số: 12/KH-UBND", "Quyết định"),
    ("THÔNG BÁO", "Số: 05/KH-UBND", "Thông báo"),
    ("KẾ HOẠCH", "Số: 123/UBND-VX", "Kế hoạch"),
    ("BÁO CÁO", "Số: 15/UBND-VX", "Báo cáo"),
    ("THÔNG BÁO", "Số: 45/CT-TTHT", "Thông báo"),
    ("KẾ HOẠCH", "Số: 33/TTr-VP", "Kế hoạch"),
    ("HƯỚNG DẪN", "Số: 07/PC-SGDĐT", "Hướng dẫn"),
]


@pytest.mark.parametrize("heading, line, doc_type", HEADING_WINS, ids=[_id(f"{h} + {n}") for h, n, _ in HEADING_WINS])
def test_type_heading_beats_symbol(vb, heading, line, doc_type):
    rec = vb.parse(heading=heading, number=line, title=("Về việc thực hiện nhiệm vụ năm 2024",), enact=None,
                   authority=(), preamble=(), body=("1. Rà soát nhiệm vụ.", "2. Báo cáo kết quả./."))
    assert rec.doc_type == doc_type


def test_type_heading_beats_vv_line(vb):
    """GOLD: a V/v line under a type heading does not make the document a công văn."""
    rec = vb.parse(number="Số: 45/KH-SGDĐT", vv=("V/v tổ chức Hội khỏe Phù Đổng",), heading="KẾ HOẠCH",
                   title=("Tổ chức Hội khỏe Phù Đổng cấp tỉnh năm 2024",), authority=(), preamble=(), enact=None,
                   body=("I. MỤC ĐÍCH, YÊU CẦU", "1. Đẩy mạnh phong trào rèn luyện thân thể./."))
    assert rec.doc_type == "Kế hoạch"
    assert rec.title == "Tổ chức Hội khỏe Phù Đổng cấp tỉnh năm 2024"


def test_type_from_symbol_without_heading(vb):
    """GOLD: without a type heading or V/v, the symbol's type code decides (27/CT-TTg → Chỉ thị)."""
    rec = vb.parse(left=("THỦ TƯỚNG CHÍNH PHỦ",), number="Số: 27/CT-TTg", date="Hà Nội, ngày 25 tháng 7 năm 2024",
                   heading=None, title=(), preamble=(), enact=None,
                   body=("Thời gian qua, công tác phòng, chống thiên tai đã đạt được những kết quả quan trọng, "
                         "tuy nhiên vẫn còn những tồn tại, hạn chế cần khắc phục.",
                         "1. Các bộ, ngành tập trung chỉ đạo thực hiện các nhiệm vụ sau./."),
                   noi_nhan=("- Các bộ, cơ quan ngang bộ;", "- Lưu: VT, NN."),
                   sign=("THỦ TƯỚNG", "", "Phạm Minh Chính"))
    assert rec.doc_type == "Chỉ thị"


# ---------------------------------------------------------------------------
# §2.5: the trích yếu under the heading, wrapped lines joined.

TITLES = [
    (("Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024",), "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"),
    (("Ban hành Quy chế làm việc của", "Sở Giáo dục và Đào tạo tỉnh Hòa Bình"),
     "Ban hành Quy chế làm việc của Sở Giáo dục và Đào tạo tỉnh Hòa Bình"),
    (("Về việc phê duyệt danh sách học sinh đạt giải kỳ thi chọn học sinh giỏi",
      "cấp tỉnh năm học 2023-2024"),
     "Về việc phê duyệt danh sách học sinh đạt giải kỳ thi chọn học sinh giỏi cấp tỉnh năm học 2023-2024"),
    (("Phê duyệt Đề án phát triển giáo dục mầm non", "giai đoạn 2024 - 2030"),
     "Phê duyệt Đề án phát triển giáo dục mầm non giai đoạn 2024 - 2030"),
    (("**Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024**",), "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"),
]


@pytest.mark.parametrize("lines, title", TITLES, ids=[_id(t) for _, t in TITLES])
def test_title_lines_joined(vb, lines, title):
    rec = vb.parse(title=lines)
    assert rec.title == title
    assert rec.authority_line == "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"


def test_title_wrapped_before_the_term_of_the_body_it_names(vb):
    """A capitalised title naming a body wraps before its term ("… TRUNG ƯƠNG ĐẢNG" / "KHÓA XIII"):
    the term line continues the title; it is not the second line of a thẩm quyền."""
    rec = vb.parse(left=("BAN CHẤP HÀNH TRUNG ƯƠNG", "*"), number="Số 60-NQ/TW",
                   date="Hà Nội, ngày 12 tháng 4 năm 2025", heading="NGHỊ QUYẾT",
                   title=("HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG", "KHÓA XIII"), authority=(),
                   preamble=(), enact=None,
                   body=("Hội nghị lần thứ 11 Ban Chấp hành Trung ương Đảng khóa XIII họp từ ngày 10/4 đến "
                         "ngày 12/4/2025 tại Thủ đô Hà Nội.", "1. Thông qua nội dung cơ bản các dự thảo văn kiện."))
    assert rec.title == "HỘI NGHỊ LẦN THỨ 11 BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG KHÓA XIII"
    assert rec.authority_line is None


def test_title_ends_before_a_body_sentence_when_no_blank_line_separates_them(vb):
    """OCR keeps no blank line under the trích yếu: a capitalised line taken only because the
    line above it was long, in a run that ends in a full stop, is the body's first sentence
    (a trích yếu never ends in a full stop)."""
    rec = vb.parse(number="Số: 11/CT-UBND", heading="CHỈ THỊ", authority=(), preamble=(), enact=None,
                   title=("Về việc tăng cường các biện pháp đảm bảo an toàn công trình cầu",
                          "giao thông trong mùa mưa, bão năm 2024 trên địa bàn tỉnh Quảng Ngãi",
                          "Cơn bão số 3 và mưa lũ sau bão vừa qua đã gây thiệt hại rất lớn về",
                          "người, tài sản của Nhân dân và Nhà nước tại các tỉnh phía Bắc."))
    assert rec.title == ("Về việc tăng cường các biện pháp đảm bảo an toàn công trình cầu giao thông "
                         "trong mùa mưa, bão năm 2024 trên địa bàn tỉnh Quảng Ngãi")


@pytest.mark.parametrize("last, years", [("NĂM HỌC", "2025-2026"), ("GIAI ĐOẠN", "2026 - 2030"),
                                          ("ĐẾN NĂM", "2030")])
def test_title_in_capitals_ends_with_the_years_on_a_line_of_their_own(vb, last, years):
    """A narrow portal column wraps "… NĂM HỌC" / "2025-2026": a line of years, no letters, ends the title."""
    rec = vb.parse(heading="NGHỊ QUYẾT", authority=("HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH",),
                   title=("QUY ĐỊNH MỨC HỌC PHÍ ĐỐI VỚI CÁC CƠ SỞ GIÁO DỤC CÔNG LẬP TRÊN ĐỊA BÀN TỈNH " + last, years))
    assert rec.title == "QUY ĐỊNH MỨC HỌC PHÍ ĐỐI VỚI CÁC CƠ SỞ GIÁO DỤC CÔNG LẬP TRÊN ĐỊA BÀN TỈNH " + last + " " + years
    assert rec.authority_line == "HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH"


def test_title_keeps_a_capitalised_continuation_when_it_does_not_end_a_sentence(vb):
    rec = vb.parse(title=("Về việc phê duyệt danh sách cán bộ tham gia lớp bồi dưỡng kiến thức quốc phòng",
                          "Trường Chính trị tỉnh năm 2024"))
    assert rec.title == ("Về việc phê duyệt danh sách cán bộ tham gia lớp bồi dưỡng kiến thức quốc phòng "
                         "Trường Chính trị tỉnh năm 2024")


def test_title_under_heading_with_rule(vb):
    rec = vb.parse(title=("Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024", "──────────"))
    assert rec.title == "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"


# ---------------------------------------------------------------------------
# §2.5: no type name, a V/v summary under the number → Công văn; variants
# V/v, V/V, v/v, V/v:, Về việc; the summary wraps over several lines.
#   (V/v lines, title)

VV = [
    (("V/v triển khai nhiệm vụ năm học", "2024-2025"), "triển khai nhiệm vụ năm học 2024-2025"),
    (("V/V triển khai nhiệm vụ năm học 2024-2025",), "triển khai nhiệm vụ năm học 2024-2025"),
    (("v/v triển khai nhiệm vụ năm học 2024-2025",), "triển khai nhiệm vụ năm học 2024-2025"),
    (("V/v: triển khai nhiệm vụ năm học 2024-2025",), "triển khai nhiệm vụ năm học 2024-2025"),
    (("Về việc triển khai nhiệm vụ năm học 2024-2025",), "triển khai nhiệm vụ năm học 2024-2025"),
    (("V/v hướng dẫn tổ chức kiểm tra,", "đánh giá cuối học kỳ I", "năm học 2024-2025"),
     "hướng dẫn tổ chức kiểm tra, đánh giá cuối học kỳ I năm học 2024-2025"),
    # a wrapped line as long as a sentence is still the summary
    (("V/v hướng dẫn rà soát, xây dựng", "vị trí việc làm công chức tại các xã,", "phường sau sắp xếp đơn vị hành chính"),
     "hướng dẫn rà soát, xây dựng vị trí việc làm công chức tại các xã, phường sau sắp xếp đơn vị hành chính"),
    (("về việc chuẩn bị tổ chức Đại hội", "chi bộ trực thuộc nhiệm kỳ 2026 - 2029"),
     "chuẩn bị tổ chức Đại hội chi bộ trực thuộc nhiệm kỳ 2026 - 2029"),
]


@pytest.mark.parametrize("lines, title", VV, ids=[_id(ls[0]) for ls, _ in VV])
def test_vv_line_means_cong_van(vb, lines, title):
    rec = vb.parse_cong_van(vv=lines)
    assert rec.doc_type == "Công văn"
    assert rec.title == title


ADDRESSEE_LABELS = [
    (("Kính gửi: Các trường trung học phổ thông.",), ["Các trường trung học phổ thông"]),
    (("Kính trình: Ủy ban nhân dân tỉnh Gia Lai.",), ["Ủy ban nhân dân tỉnh Gia Lai"]),   # a tờ trình
    (("THỦ TƯỚNG CHÍNH PHỦ điện:", "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố;", "- Bộ trưởng các Bộ."),
     ["Chủ tịch Ủy ban nhân dân các tỉnh, thành phố", "Bộ trưởng các Bộ"]),             # a công điện
    (("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH điện:", "- Giám đốc các sở, ngành;", "- Chủ tịch UBND các xã, phường."),
     ["Giám đốc các sở, ngành", "Chủ tịch UBND các xã, phường"]),
]


@pytest.mark.parametrize("lines, addressees", ADDRESSEE_LABELS, ids=[_id(ls[0]) for ls, _ in ADDRESSEE_LABELS])
def test_addressee_labels_kinh_gui_kinh_trinh_and_dien(vb, lines, addressees):
    """Kính gửi, a tờ trình's Kính trình and a công điện's "<office> điện:" open the
    addressees; the bases after them are still found."""
    rec = vb.parse(heading="CÔNG ĐIỆN" if "điện" in lines[0] else "QUYẾT ĐỊNH", authority=(), kinh_gui=lines,
                   preamble=("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",), enact=None)
    assert [a.text for a in rec.addressees] == addressees
    assert {a.kind for a in rec.addressees} == {"kính trình" if "trình" in lines[0] else "điện" if "điện" in lines[0] else "kính gửi"}
    assert len(rec.legal_bases) == 1


def test_vv_line_with_colliding_symbol_is_still_cong_van(vb):
    """§3 collisions: Cục Thuế's symbol CT is not Chỉ thị when a V/v line follows."""
    rec = vb.parse_cong_van(left=("TỔNG CỤC THUẾ", "CỤC THUẾ TỈNH HÒA BÌNH"), number="Số: 1234/CT-TTHT",
                            vv=("V/v chính sách thuế giá trị gia tăng",))
    assert rec.doc_type == "Công văn"
    assert rec.title == "chính sách thuế giá trị gia tăng"


def test_vv_flattened_with_kinh_gui(vb):
    """§2.5: after flattening the wrapped V/v lines interleave with the right column."""
    header = vb.columns([("UBND TỈNH HÒA BÌNH", QH), ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", TN),
                         ("Số: 1441/SGDĐT-GDTrH", "Hòa Bình, ngày 09 tháng 8 năm 2024"),
                         ("V/v triển khai nhiệm vụ", ""), ("năm học 2024-2025", "")])
    rec = pipeline.parse_text(vb.cong_van(header=header))
    assert rec.doc_type == "Công văn"
    assert rec.title == "triển khai nhiệm vụ năm học 2024-2025"
    assert [a.text for a in rec.addressees] == ["Các trường trung học phổ thông"]


def test_party_cong_van_ve_viec(vb):
    """§5: a Party công văn has the code CV and a summary starting ``về việc``."""
    rec = vb.parse_party(number="Số 1234-CV/TU", vv=("về việc tổng kết công tác năm 2024",), heading=None,
                         title=(), kinh_gui=("Kính gửi: Các đảng ủy trực thuộc Tỉnh ủy.",),
                         body=("Ban Thường vụ Tỉnh ủy đề nghị các đảng ủy trực thuộc tổ chức tổng kết công tác "
                               "năm 2024 và gửi báo cáo về Văn phòng Tỉnh ủy trước ngày 15 tháng 12 năm 2024./.",))
    assert rec.doc_type == "Công văn"
    assert rec.title == "tổng kết công tác năm 2024"


# ---------------------------------------------------------------------------
# §2.10: secrecy, urgency and circulation stamps are whole lines under the number.

STAMPS = [
    (("MẬT",), ["MẬT"], False),
    (("TỐI MẬT",), ["TỐI MẬT"], False),
    (("KHẨN",), ["KHẨN"], False),
    (("HỎA TỐC",), ["HỎA TỐC"], False),
    (("THƯỢNG KHẨN",), ["THƯỢNG KHẨN"], False),
    (("DỰ THẢO",), ["DỰ THẢO"], True),
    (("Dự thảo lần 2",), ["Dự thảo lần 2"], True),
    (("MẬT", "KHẨN"), ["MẬT", "KHẨN"], False),
]


@pytest.mark.parametrize("marks, expected, draft", STAMPS, ids=[_id(" + ".join(m)) for m, _, _ in STAMPS])
def test_stamps_whole_lines(vb, marks, expected, draft):
    rec = vb.parse(marks=marks)
    assert rec.marks == expected
    assert rec.is_draft is draft
    assert rec.issuer == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"


def test_stamp_word_inside_body_is_not_a_stamp(vb):
    rec = vb.parse(body=("Điều 1. Tài liệu mật và công văn khẩn được quản lý theo quy định.",
                         "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./."))
    assert rec.marks == []


# ---------------------------------------------------------------------------
# §2.8: digital-signature widget lines landing in the header are not header text.

def test_digital_signature_lines_in_header(vb):
    header = vb.columns([("UBND TỈNH HÒA BÌNH", QH), ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", TN),
                         ("", "Ký bởi: Sở Giáo dục và Đào tạo"), ("", "Cơ quan: Tỉnh Hòa Bình"),
                         ("", "Thời gian ký: 05.03.2024 15:20:11 +07:00"), (NUM, DATE)])
    rec = pipeline.parse_text(vb.doc(header=header))
    _header_ok(rec)
    assert rec.number == "123/QĐ-SGDĐT"
    assert rec.date == "2024-03-05"
    assert rec.place == "Hòa Bình"


def test_title_underlined_is_a_title_even_when_it_opens_like_a_basis(vb):
    """§2.5: the trích yếu sits under the heading, underlined; a title such as
    ``Thực hiện nhiệm vụ … năm 2007`` is not a legal basis."""
    from pipeline import parse_text
    rec = parse_text("UỶ BAN NHÂN DÂN\nTHÀNH PHỐ VĨNH YÊN\n\nSố: 106/BC-UBND\n\n"
                     "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
                     "Vĩnh Yên, ngày 20 tháng 11 năm 2007\n\nBÁO CÁO\n"
                     "Thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2007, kế hoạch năm 2008\n"
                     "-----------------------\n\nNăm 2007 là năm thứ hai thực hiện Nghị quyết Đại hội.\n")
    assert rec.title == "Thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2007, kế hoạch năm 2008"
    assert rec.legal_bases == []
