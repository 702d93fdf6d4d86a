"""The footer — spec §2.7 (signature), §2.8 (digital signature), §2.9 (Nơi nhận,
Kính gửi, Lưu), §2.11, §2.12, §5 (Party), §8.3 (flattened footer).

Value conventions (GOLD_FORMAT): recipients one entry per dash item, wrapped
lines joined, leading dash and trailing ``;``/``.``/``,``/``:`` removed, a
parenthesised purpose (without parentheses) in ``purpose``, the ``Lưu`` line
its own entry.  Signers: ``authority`` the LAST prefix of the stack (Party
``T/M``, ``K/T``, ``T/L`` written ``TM.``, ``KT.``, ``TL.``), ``on_behalf_of``
the body after ``TM.``, ``title`` the line after the last prefix (None without
a prefix or when the last prefix is ``TM.``), ``position`` the signer's own
position line, ``name`` as printed without notes or academic titles.
"""

from __future__ import annotations

import unicodedata

import pytest

import pipeline
from pipeline.extract.recipients import parse_archive


def _id(s: str) -> str:
    """An ASCII test id (pytest escapes non-ASCII ids)."""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def _recips(rec):
    return [(r.text, r.purpose) for r in rec.recipients]


def _signer(s):
    return (s.authority, s.on_behalf_of, s.title, s.position, s.name)


# ---------------------------------------------------------------------------
# §2.9: typical Nơi nhận items and their purposes (b/c, t/h, p/h, để biết, …).
#   (line, text, purpose)

ITEMS = [
    ("- Như trên;", "Như trên", None),
    ("- Như Điều 3;", "Như Điều 3", None),
    ("- Bộ GDĐT (để b/c);", "Bộ GDĐT", "để b/c"),
    ("- UBND tỉnh (để báo cáo);", "UBND tỉnh", "để báo cáo"),
    ("- Lãnh đạo Sở;", "Lãnh đạo Sở", None),
    ("- Website Sở;", "Website Sở", None),
    ("- Các trường THPT (để t/h);", "Các trường THPT", "để t/h"),
    ("- Phòng GDĐT các huyện (để p/h);", "Phòng GDĐT các huyện", "để p/h"),
    ("- Các đơn vị trực thuộc (để biết);", "Các đơn vị trực thuộc", "để biết"),
    ("- Thường trực Tỉnh ủy (để chỉ đạo);", "Thường trực Tỉnh ủy", "để chỉ đạo"),
    ("- Sở Tài chính (b/c);", "Sở Tài chính", "b/c"),
    ("- Các phòng thuộc Sở (để thực hiện).", "Các phòng thuộc Sở", "để thực hiện"),
    ("- Như trên:", "Như trên", None),                         # stray trailing colon
    ("- Chủ tịch, các PCT UBND tỉnh,", "Chủ tịch, các PCT UBND tỉnh", None),
    ("– Như trên;", "Như trên", None),                         # en dash bullet
    ("+ Như trên;", "Như trên", None),
    ("\\- Như trên;", "Như trên", None),                        # escaped Markdown dash
]


@pytest.mark.parametrize("line, text, purpose", ITEMS, ids=[_id(c[0]) for c in ITEMS])
def test_recipients_purpose(vb, line, text, purpose):
    rec = vb.parse(noi_nhan=(line, "- Lưu: VT, VP."))
    assert len(rec.recipients) == 2
    first = rec.recipients[0]
    assert (first.text, first.purpose, first.kind) == (text, purpose, "nơi nhận")


def test_recipients_full_list_in_order(vb):
    rec = vb.parse()
    assert _recips(rec) == [("Như Điều 3", None), ("UBND tỉnh", "để b/c"), ("Lưu: VT, VP", None)]
    assert [r.kind for r in rec.recipients] == ["nơi nhận", "nơi nhận", "lưu"]


WRAPPED = [
    (("- Các phòng chuyên môn, đơn vị trực thuộc", "Sở (để thực hiện);", "- Lưu: VT, VP."),
     [("Các phòng chuyên môn, đơn vị trực thuộc Sở", "để thực hiện"), ("Lưu: VT, VP", None)]),
    (("- Ủy ban nhân dân các huyện,", "thành phố (để phối hợp);", "- Lưu: VT, VP."),
     [("Ủy ban nhân dân các huyện, thành phố", "để phối hợp"), ("Lưu: VT, VP", None)]),
    (("- Như trên;", "- Lưu: VT, TCCB,", "TTB, PC."),
     [("Như trên", None), ("Lưu: VT, TCCB, TTB, PC", None)]),
]


@pytest.mark.parametrize("lines, expected", WRAPPED, ids=[_id(c[0][0]) for c in WRAPPED])
def test_recipients_wrapped_lines_joined(vb, lines, expected):
    rec = vb.parse(noi_nhan=lines)
    assert _recips(rec) == expected


# ---------------------------------------------------------------------------
# §2.9 Lưu algorithm (all rows of the tested-results table, plus variants).
#   (Lưu line, vt, units, copies, drafter)

LUU = [
    ("- Lưu: VT, ĐH.", True, ["ĐH"], None, None),
    ("- Lưu: VT, TCCB (2b).", True, ["TCCB"], 2, None),
    ("- Lưu: VT, KTTH (3b). Thành", True, ["KTTH"], 3, "Thành"),
    ("- Lưu: VT, GDTrH, 05b.", True, ["GDTrH"], 5, None),
    ("- Lưu Văn phòng Tỉnh ủy.", False, ["Văn phòng Tỉnh ủy"], None, None),
    ("- Lưu: VT, TCCB, TTB, PC.", True, ["TCCB", "TTB", "PC"], None, None),
    ("- Lưu: Văn thư, VP.", True, ["VP"], None, None),
    ("- Lưu: VT, KHTC, 20b.", True, ["KHTC"], 20, None),
    ("- Lưu: VT; VP.", True, ["VP"], None, None),
    ("- Lưu: VT, VP (05 bản).", True, ["VP"], 5, None),
]


def _after_luu(line: str) -> str:
    body = line.split("Lưu", 1)[1]
    return body[1:] if body.startswith(":") else body


@pytest.mark.parametrize("line, vt, units, copies, drafter", LUU, ids=[_id(c[0]) for c in LUU])
def test_luu_line_parts(line, vt, units, copies, drafter):
    a = parse_archive(_after_luu(line))
    assert (a.vt, a.units, a.copies, a.drafter) == (vt, units, copies, drafter)


@pytest.mark.parametrize("line, vt, units, copies, drafter", LUU, ids=[_id(c[0]) for c in LUU])
def test_luu_line_in_document(vb, line, vt, units, copies, drafter):
    rec = vb.parse(noi_nhan=("- Như trên;", line))
    last = rec.recipients[-1]
    assert last.kind == "lưu"
    assert last.purpose is None
    assert last.text == line[2:].rstrip(".")
    a = last.archive
    assert a is not None
    assert (a.vt, a.units, a.copies, a.drafter) == (vt, units, copies, drafter)


# ---------------------------------------------------------------------------
# §2.9: Kính gửi: one recipient on the same line, or one per dash line.
#   (Kính gửi lines, addressees)

KINH_GUI = [
    (("Kính gửi: Ủy ban nhân dân tỉnh.",), ["Ủy ban nhân dân tỉnh"]),
    (("Kính gửi: Các trường trung học phổ thông.",), ["Các trường trung học phổ thông"]),
    (("Kính gửi:", "- Các phòng chuyên môn;", "- Các đơn vị trực thuộc Sở."),
     ["Các phòng chuyên môn", "Các đơn vị trực thuộc Sở"]),
    (("Kính gửi: - Phòng Giáo dục và Đào tạo các huyện;", "- Các trường trung học phổ thông."),
     ["Phòng Giáo dục và Đào tạo các huyện", "Các trường trung học phổ thông"]),
    (("Kính gửi: - Phòng Giáo dục và Đào tạo các huyện; - Các trường trung học phổ thông.",),
     ["Phòng Giáo dục và Đào tạo các huyện", "Các trường trung học phổ thông"]),
    (("Kinh gui: Uy ban nhan dan tinh.",), ["Uy ban nhan dan tinh"]),
    (("Kính gửi: Bộ Giáo dục và Đào tạo (Vụ Giáo dục Trung học).",),
     ["Bộ Giáo dục và Đào tạo (Vụ Giáo dục Trung học)"]),
    (("Kính gửi:", "- Phòng Giáo dục và Đào tạo các huyện,", "thành phố;", "- Các trường trực thuộc Sở."),
     ["Phòng Giáo dục và Đào tạo các huyện, thành phố", "Các trường trực thuộc Sở"]),
]


@pytest.mark.parametrize("lines, expected", KINH_GUI, ids=[_id(" | ".join(c[0]))[:70] for c in KINH_GUI])
def test_kinh_gui_list(vb, lines, expected):
    rec = vb.parse_cong_van(kinh_gui=lines)
    assert [a.text for a in rec.addressees] == expected
    assert all(a.kind == "kính gửi" for a in rec.addressees)
    assert rec.title == "triển khai nhiệm vụ năm học 2024-2025"


def test_kinh_gui_in_to_trinh(vb):
    """§2.9: tờ trình and báo cáo sent upward also carry Kính gửi."""
    rec = vb.parse(number="Số: 21/TTr-SGDĐT", heading="TỜ TRÌNH",
                   title=("Về việc phê duyệt Kế hoạch tuyển sinh năm học 2024-2025",), authority=(),
                   kinh_gui=("Kính gửi: Ủy ban nhân dân tỉnh Hòa Bình.",), preamble=(), enact=None,
                   body=("Sở Giáo dục và Đào tạo kính trình Ủy ban nhân dân tỉnh xem xét, phê duyệt./.",),
                   noi_nhan=("- Như trên;", "- Lưu: VT, KHTC."), sign=("GIÁM ĐỐC", "", "Trần Văn Bình"))
    assert rec.doc_type == "Tờ trình"
    assert rec.title == "Về việc phê duyệt Kế hoạch tuyển sinh năm học 2024-2025"
    assert [a.text for a in rec.addressees] == ["Ủy ban nhân dân tỉnh Hòa Bình"]
    assert _recips(rec) == [("Như trên", None), ("Lưu: VT, KHTC", None)]


# ---------------------------------------------------------------------------
# §2.7: prefixes TM., KT., TL., TUQ., Q. and their stacks.
#   (signature lines, (authority, on_behalf_of, title, position, name))

STATE_SIGNERS = [
    (("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "", "Bùi Văn Khánh"),
     ("TM.", "ỦY BAN NHÂN DÂN", None, "CHỦ TỊCH", "Bùi Văn Khánh")),
    (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "Nguyễn Văn An"),
     ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")),
    (("TL. BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG", "", "Lê Văn Hùng"),
     ("TL.", None, "BỘ TRƯỞNG", "CHÁNH VĂN PHÒNG", "Lê Văn Hùng")),
    (("TUQ. CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ", "", "Phạm Thị Lan"),
     ("TUQ.", None, "CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ", "Phạm Thị Lan")),
    (("Q. HIỆU TRƯỞNG", "", "Đỗ Minh Tuấn"),
     ("Q.", None, "HIỆU TRƯỞNG", None, "Đỗ Minh Tuấn")),
    (("GIÁM ĐỐC", "", "Trần Văn Bình"),
     (None, None, None, "GIÁM ĐỐC", "Trần Văn Bình")),
    (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn Chương"),
     ("KT.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Chương")),
    (("TL. BỘ TRƯỞNG", "KT. VỤ TRƯỞNG VỤ GIÁO DỤC ĐẠI HỌC", "PHÓ VỤ TRƯỞNG", "", "Nguyễn Thu Thủy"),
     ("KT.", None, "VỤ TRƯỞNG VỤ GIÁO DỤC ĐẠI HỌC", "PHÓ VỤ TRƯỞNG", "Nguyễn Thu Thủy")),
    (("KT.CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Quách Tất Liêm"),
     ("KT.", None, "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Quách Tất Liêm")),
    (("TM. ỦY BAN NHÂN DÂN", "KT CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "Nguyễn Văn Chương"),
     ("KT.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Chương")),
    (("TM. ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", "CHỦ TỊCH", "", "Bùi Văn Khánh"),
     ("TM.", "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", None, "CHỦ TỊCH", "Bùi Văn Khánh")),
    (("TM. ỦY BAN NHÂN DÂN", "TỈNH HÒA BÌNH", "CHỦ TỊCH", "", "Bùi Văn Khánh"),
     ("TM.", "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH", None, "CHỦ TỊCH", "Bùi Văn Khánh")),
    (("TM. HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "", "Trần Đăng Ninh"),
     ("TM.", "HỘI ĐỒNG NHÂN DÂN", None, "CHỦ TỊCH", "Trần Đăng Ninh")),
    (("TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "", "Trần Hồng Hà"),
     ("KT.", "CHÍNH PHỦ", "THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Trần Hồng Hà")),
    (("KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "", "Vũ Thị Mai"),
     ("KT.", None, "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "Vũ Thị Mai")),
]


@pytest.mark.parametrize("lines, expected", STATE_SIGNERS, ids=[_id(" / ".join(x for x in c[0] if x)) for c in STATE_SIGNERS])
def test_signer_stacked_prefixes(vb, lines, expected):
    rec = vb.parse(sign=lines)
    assert [_signer(s) for s in rec.signers] == [expected]


# §5: Party prefixes T/M, K/T, T/L.
PARTY_SIGNERS = [
    (("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn Dũng"),
     ("TM.", "BAN THƯỜNG VỤ", None, "BÍ THƯ", "Nguyễn Văn Dũng")),
    (("K/T BÍ THƯ", "PHÓ BÍ THƯ", "", "Bùi Đức Hinh"),
     ("KT.", None, "BÍ THƯ", "PHÓ BÍ THƯ", "Bùi Đức Hinh")),
    (("T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "PHÓ BÍ THƯ", "", "Bùi Đức Hinh"),
     ("KT.", "BAN THƯỜNG VỤ", "BÍ THƯ", "PHÓ BÍ THƯ", "Bùi Đức Hinh")),
    (("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "", "Hoàng Văn Tú"),
     ("TL.", None, "BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Hoàng Văn Tú")),
    (("T/M BAN CHẤP HÀNH TRUNG ƯƠNG", "TỔNG BÍ THƯ", "", "Tô Lâm"),
     ("TM.", "BAN CHẤP HÀNH TRUNG ƯƠNG", None, "TỔNG BÍ THƯ", "Tô Lâm")),
    (("T/M ĐẢNG ỦY", "BÍ THƯ", "", "Lê Văn Sơn"),
     ("TM.", "ĐẢNG ỦY", None, "BÍ THƯ", "Lê Văn Sơn")),
    (("TM BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn Dũng"),
     ("TM.", "BAN THƯỜNG VỤ", None, "BÍ THƯ", "Nguyễn Văn Dũng")),
    # written out in full
    (("THAY MẶT BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "", "Trần Thị Hà"),
     ("TM.", "BAN THƯỜNG VỤ", None, "PHÓ BÍ THƯ", "Trần Thị Hà")),
    (("THAY MẶT BAN THƯỜNG VỤ", "KÝ THAY BÍ THƯ", "PHÓ BÍ THƯ", "", "Bùi Đức Hinh"),
     ("KT.", "BAN THƯỜNG VỤ", "BÍ THƯ", "PHÓ BÍ THƯ", "Bùi Đức Hinh")),
    (("THỪA LỆNH BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "", "Hoàng Văn Tú"),
     ("TL.", None, "BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Hoàng Văn Tú")),
]


@pytest.mark.parametrize("lines, expected", PARTY_SIGNERS, ids=[_id(" / ".join(x for x in c[0] if x)) for c in PARTY_SIGNERS])
def test_signer_party_prefixes(vb, lines, expected):
    rec = vb.parse_party(sign=lines)
    assert [_signer(s) for s in rec.signers] == [expected]


# §2.7: academic and military titles before the name are not part of it.
NAMES = [
    ("PGS.TS. Trần Văn Bình", "Trần Văn Bình"),
    ("TS. Nguyễn Văn Minh", "Nguyễn Văn Minh"),
    ("ThS. Lê Thị Hoa", "Lê Thị Hoa"),
    ("Thạc sĩ Lê Thị Hoa", "Lê Thị Hoa"),
    ("Đại tá Nguyễn Văn Hùng", "Nguyễn Văn Hùng"),
    ("Nguyễn Thị Minh Khai", "Nguyễn Thị Minh Khai"),
    ("Tô Lâm", "Tô Lâm"),
]


@pytest.mark.parametrize("printed, name", NAMES, ids=[_id(c[0]) for c in NAMES])
def test_signer_name_without_academic_title(vb, printed, name):
    rec = vb.parse(sign=("HIỆU TRƯỞNG", "", printed))
    assert [s.name for s in rec.signers] == [name]
    assert rec.signers[0].position == "HIỆU TRƯỞNG"


# ---------------------------------------------------------------------------
# §2.7, §2.8: notes and digital-signature lines between the title and the name.

NOTES = [
    ("(Đã ký)",), ("(đã ký)",), ("Đã ký",), ("(Ký, đóng dấu)",), ("(chữ ký, dấu)",), ("[CHỜ KÝ]",),
    ("(Ký, ghi rõ họ tên)",), ("(Đã ký và đóng dấu)",),
    ("Ký bởi: Sở Giáo dục và Đào tạo", "Thời gian ký: 05.03.2024 15:20:11 +07:00"),
    ("Ký bởi: Sở Giáo dục và Đào tạo", "Email: sgddt@hoabinh.gov.vn", "Cơ quan: Tỉnh Hòa Bình",
     "Thời gian ký: 05.03.2024 15:20:11 +07:00"),
]


@pytest.mark.parametrize("notes", NOTES, ids=[_id(" | ".join(n)) for n in NOTES])
def test_signer_da_ky_between_title_and_name(vb, notes):
    rec = vb.parse(sign=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", *notes, "", "Nguyễn Văn An"))
    assert [_signer(s) for s in rec.signers] == [("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")]
    assert _recips(rec) == [("Như Điều 3", None), ("UBND tỉnh", "để b/c"), ("Lưu: VT, VP", None)]


# ---------------------------------------------------------------------------
# GOLD signers: one entry per signature block, left to right.

SIDE_BY_SIDE = {
    "two departments, KT.": (
        [("KT. GIÁM ĐỐC SỞ Y TẾ", "KT. GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
         ("PHÓ GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("", ""), ("(Đã ký)", "(Đã ký)"), ("", ""),
         ("Nguyễn Văn An", "Trần Thị Bình")],
        [("KT.", None, "GIÁM ĐỐC SỞ Y TẾ", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"),
         ("KT.", None, "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", "PHÓ GIÁM ĐỐC", "Trần Thị Bình")]),
    "two Party committees, T/M": (
        [("T/M BAN THƯỜNG VỤ TỈNH ỦY HƯNG YÊN", "T/M BAN THƯỜNG VỤ TỈNH ỦY HÒA BÌNH"),
         ("BÍ THƯ", "BÍ THƯ"), ("", ""), ("Nguyễn Hữu Nghĩa", "Nguyễn Phi Long")],
        [("TM.", "BAN THƯỜNG VỤ TỈNH ỦY HƯNG YÊN", None, "BÍ THƯ", "Nguyễn Hữu Nghĩa"),
         ("TM.", "BAN THƯỜNG VỤ TỈNH ỦY HÒA BÌNH", None, "BÍ THƯ", "Nguyễn Phi Long")]),
    "unprefixed and prefixed": (
        [("GIÁM ĐỐC SỞ Y TẾ", "KT. GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
         ("", "PHÓ GIÁM ĐỐC"), ("", ""), ("Lê Văn Cường", "Trần Thị Bình")],
        [(None, None, None, "GIÁM ĐỐC SỞ Y TẾ", "Lê Văn Cường"),
         ("KT.", None, "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", "PHÓ GIÁM ĐỐC", "Trần Thị Bình")]),
}


@pytest.mark.parametrize("shape", list(SIDE_BY_SIDE))
def test_two_signature_blocks_side_by_side(vb, shape):
    rows, expected = SIDE_BY_SIDE[shape]
    footer = vb.columns(rows, gap=46) + "\n\nNơi nhận:\n- Như trên;\n- Lưu: VT, SYT, SGDĐT."
    rec = vb.parse(footer=footer)
    assert [_signer(s) for s in rec.signers] == expected
    assert _recips(rec) == [("Như trên", None), ("Lưu: VT, SYT, SGDĐT", None)]


def test_two_signature_blocks_without_noi_nhan(vb):
    rows, expected = SIDE_BY_SIDE["two Party committees, T/M"]
    rec = vb.parse_party(footer=vb.columns(rows, gap=46), heading="BIÊN BẢN GHI NHỚ",
                         number="Số 01-BB/TUHY-TUHB", title=("Hợp tác giữa Tỉnh ủy Hưng Yên và Tỉnh ủy Hòa Bình",))
    assert [_signer(s) for s in rec.signers] == expected


# ---------------------------------------------------------------------------
# §2.9 layout note, §8.3: Nơi nhận and the signature interleaved row by row.

FLATTENED = {
    "one space": (
        "Nơi nhận: KT. GIÁM ĐỐC\n- Như trên; PHÓ GIÁM ĐỐC\n- Lưu: VT, VP. Nguyễn Văn A",
        [("Như trên", None), ("Lưu: VT, VP", None)],
        ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A")),
    "one space, note and purpose": (
        "Nơi nhận: KT. GIÁM ĐỐC\n- Như Điều 3; PHÓ GIÁM ĐỐC\n- UBND tỉnh (để b/c); (Đã ký)\n"
        "- Lưu: VT, VP. Nguyễn Văn An",
        [("Như Điều 3", None), ("UBND tỉnh", "để b/c"), ("Lưu: VT, VP", None)],
        ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")),
    "two spaces": (
        "Nơi nhận:  KT. GIÁM ĐỐC\n- Như trên;  PHÓ GIÁM ĐỐC\n- Lưu: VT, VP.  Nguyễn Văn An",
        [("Như trên", None), ("Lưu: VT, VP", None)],
        ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")),
    "tab": (
        "Nơi nhận:\tKT. GIÁM ĐỐC\n- Như trên;\tPHÓ GIÁM ĐỐC\n- Lưu: VT, VP.\tNguyễn Văn An",
        [("Như trên", None), ("Lưu: VT, VP", None)],
        ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")),
    "stacked TM. KT.": (
        "Nơi nhận: TM. ỦY BAN NHÂN DÂN\n- Như Điều 3; KT. CHỦ TỊCH\n- TT Tỉnh ủy (b/c); PHÓ CHỦ TỊCH\n"
        "- Lưu: VT, KGVX. Nguyễn Văn Chương",
        [("Như Điều 3", None), ("TT Tỉnh ủy", "b/c"), ("Lưu: VT, KGVX", None)],
        ("KT.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Chương")),
    "signature block before Nơi nhận": (
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n(Đã ký)\nNguyễn Văn An\nNơi nhận:\n- Như trên;\n- Lưu: VT, VP.",
        [("Như trên", None), ("Lưu: VT, VP", None)],
        ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")),
    "markdown table": (
        "| **Nơi nhận:** | **KT. GIÁM ĐỐC** |\n|---|---|\n| \\- Như trên; | **PHÓ GIÁM ĐỐC** |\n"
        "| \\- Lưu: VT, VP. | |\n| | **Nguyễn Văn An** |",
        [("Như trên", None), ("Lưu: VT, VP", None)],
        ("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")),
}


@pytest.mark.parametrize("shape", list(FLATTENED))
def test_footer_flattened_rows(vb, shape):
    footer, recips, signer = FLATTENED[shape]
    rec = vb.parse(footer=footer)
    assert _recips(rec) == recips
    assert [_signer(s) for s in rec.signers] == [signer]


# ---------------------------------------------------------------------------
# §0.5, §8.1: labels without diacritics.

NO_DIACRITICS = [
    ("Noi nhan:", ("- Nhu tren;", "- Luu: VT, VP."), [("Nhu tren", None), ("Luu: VT, VP", None)]),
    ("Noi nhận:", ("- Như trên;", "- Lưu: VT, VP."), [("Như trên", None), ("Lưu: VT, VP", None)]),
    ("NƠI NHẬN:", ("- Như trên;", "- Lưu: VT, VP."), [("Như trên", None), ("Lưu: VT, VP", None)]),
    ("Nơi nhận", ("- Như trên;", "- Lưu: VT, VP."), [("Như trên", None), ("Lưu: VT, VP", None)]),
    ("**Nơi nhận:**", ("- Như trên;", "- Lưu: VT, VP."), [("Như trên", None), ("Lưu: VT, VP", None)]),
]


@pytest.mark.parametrize("label, lines, expected", NO_DIACRITICS, ids=[_id(c[0]) for c in NO_DIACRITICS])
def test_noi_nhan_without_diacritics(vb, label, lines, expected):
    rec = vb.parse(footer=vb.footer(noi_nhan=lines, label=label))
    assert _recips(rec) == expected
    assert rec.recipients[-1].kind == "lưu"
    assert rec.recipients[-1].archive.vt is True
    assert rec.recipients[-1].archive.units == ["VP"]
    assert [_signer(s) for s in rec.signers] == [("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")]


def test_whole_document_without_diacritics(vb):
    text = vb.doc(left=("UBND TINH HOA BINH", "SO GIAO DUC VA DAO TAO"),
                  right=("CONG HOA XA HOI CHU NGHIA VIET NAM", "Doc lap - Tu do - Hanh phuc"),
                  number="So: 123/QD-SGDDT", date="Hoa Binh, ngay 05 thang 3 nam 2024",
                  heading="QUYET DINH", title=("Ve viec ban hanh Ke hoach kiem tra noi bo nam 2024",),
                  authority=("GIAM DOC SO GIAO DUC VA DAO TAO",),
                  preamble=("Can cu Nghi dinh so 30/2020/ND-CP ngay 05 thang 3 nam 2020 cua Chinh phu ve cong tac van thu;",
                            "Theo de nghi cua Chanh Van phong So."),
                  enact="QUYET DINH:", body=("Dieu 1. Ban hanh kem theo Quyet dinh nay Ke hoach kiem tra noi bo.",
                                             "Dieu 2. Quyet dinh nay co hieu luc ke tu ngay ky./."),
                  footer=vb.footer(noi_nhan=("- Nhu Dieu 2;", "- Luu: VT, VP."), label="Noi nhan:",
                                   sign=("KT. GIAM DOC", "PHO GIAM DOC", "", "Nguyen Van An")))
    rec = pipeline.parse_text(text)
    assert rec.number == "123/QD-SGDDT"
    assert rec.date == "2024-03-05"
    assert rec.place == "Hoa Binh"
    assert rec.doc_type == "Quyết định"
    assert rec.issuer == "SO GIAO DUC VA DAO TAO"
    assert rec.title == "Ve viec ban hanh Ke hoach kiem tra noi bo nam 2024"
    assert [(b.kind, b.keys()) for b in rec.legal_bases] == [("căn cứ", ["30/2020/ND-CP"]),
                                                            ("theo đề nghị", ["Chanh Van phong So"])]
    assert _recips(rec) == [("Nhu Dieu 2", None), ("Luu: VT, VP", None)]
    assert [_signer(s) for s in rec.signers] == [("KT.", None, "GIAM DOC", "PHO GIAM DOC", "Nguyen Van An")]


# ---------------------------------------------------------------------------
# §2.12: the address/contact footer line is not a number, recipient or name.

def test_address_footer_line_is_ignored(vb):
    rec = vb.parse(tail="\nĐịa chỉ: Số 1 đường Trần Hưng Đạo, phường Phương Lâm, thành phố Hòa Bình; "
                        "ĐT: 0218.3852123; Email: sgddt@hoabinh.gov.vn")
    assert rec.number == "123/QĐ-SGDĐT"
    assert _recips(rec) == [("Như Điều 3", None), ("UBND tỉnh", "để b/c"), ("Lưu: VT, VP", None)]
    assert [_signer(s) for s in rec.signers] == [("KT.", None, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")]


def test_label_broken_over_two_lines(vb):
    """Markdown exports break labels: ``**Kính`` / ``gửi:**``, ``Nơi`` / ``nhận:``."""
    import pipeline
    rec = pipeline.parse_text(vb.cong_van(vv=("V/v triển khai nhiệm vụ năm học 2024-2025",))
                              .replace("Kính gửi:", "**Kính\ngửi:**").replace("Nơi nhận:", "Nơi\nnhận:"))
    assert [r.text for r in rec.addressees] and rec.recipients
    assert rec.recipients[-1].kind == "lưu"


@pytest.mark.parametrize("label", ["Phụ lục I", "Phụ lục 2", "PHỤ LỤC"])
def test_appendix_label_after_the_signature_ends_the_footer(vb, label):
    rec = vb.parse(footer="Nơi nhận:\n- Như trên;\n- Lưu: VT, VP.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTống Thanh Hải\n"
                          f"{label}\nDanh mục các xã, phường")
    assert [s.name for s in rec.signers] == ["Tống Thanh Hải"]
    assert [r.text for r in rec.recipients] == ["Như trên", "Lưu: VT, VP"]


def test_unprefixed_blocks_side_by_side_without_noi_nhan(vb):
    """A biên bản signed by the secretary and the chair side by side, with no
    Nơi nhận: both blocks, left to right."""
    rec = vb.parse(footer=vb.columns([("THƯ KÝ", "CHỦ TRÌ"), ("", ""), ("Trần Thị Ngọc Ánh", "Huỳnh Văn Lộc")]))
    assert [(s.position, s.name) for s in rec.signers] == [("THƯ KÝ", "Trần Thị Ngọc Ánh"), ("CHỦ TRÌ", "Huỳnh Văn Lộc")]
