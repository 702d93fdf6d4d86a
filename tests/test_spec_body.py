"""The body — spec §2.6 (preamble, legal bases, enacting formula, layout), §7
(enumeration styles), §8.4 (re-joined lines).

Value conventions (GOLD_FORMAT): one legal-basis key per cited document — its
number when it has one, otherwise its name as printed; a ``Theo đề nghị của X``
with no document has ``X`` as its key; ``kind`` is the opening, lower-case.
``items``: the labels of the top-level numbered or ordinal list of the main
content section (``2.1``, ``Một là``), never ``Điều`` articles.
"""

from __future__ import annotations

import unicodedata

import pytest

import pipeline

from conftest import DEFAULT_BODY


def _id(s: str) -> str:
    """An ASCII test id (pytest escapes non-ASCII ids)."""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def _bases(vb, *lines):
    return vb.parse(preamble=lines).legal_bases


# ---------------------------------------------------------------------------
# §2.6 items 2-3, GOLD legal_bases: the opening gives the kind.
#   (line, kind, keys)

KINDS = [
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
     "căn cứ", ["30/2020/NĐ-CP"]),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
     "căn cứ", ["Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"]),
    ("Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;", "căn cứ", ["Luật Giáo dục ngày 14 tháng 6 năm 2019"]),
    ("Căn cứ Thông tư số 01/2011/TT-BNV ngày 19 tháng 01 năm 2011 của Bộ Nội vụ;", "căn cứ", ["01/2011/TT-BNV"]),
    ("Thực hiện Kế hoạch số 125/KH-UBND ngày 12 tháng 7 năm 2024 của Ủy ban nhân dân tỉnh Hòa Bình;",
     "thực hiện", ["125/KH-UBND"]),
    ("Thực hiện Nghị quyết số 29-NQ/TW ngày 04 tháng 11 năm 2013 của Ban Chấp hành Trung ương;",
     "thực hiện", ["29-NQ/TW"]),
    ("Theo đề nghị của Chánh Văn phòng Sở.", "theo đề nghị", ["Chánh Văn phòng Sở"]),
    ("Xét đề nghị của Trưởng phòng Tổ chức cán bộ,", "xét đề nghị", ["Trưởng phòng Tổ chức cán bộ"]),
    ("Xét Tờ trình số 45/TTr-SNV ngày 10 tháng 3 năm 2024 của Sở Nội vụ;", "xét", ["45/TTr-SNV"]),
    ("Theo Kế hoạch số 12/KH-SGDĐT ngày 15 tháng 01 năm 2024 của Sở Giáo dục và Đào tạo;", "theo", ["12/KH-SGDĐT"]),
    ("Theo đề nghị của Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 10/3/2024.", "theo đề nghị", ["45/TTr-SNV"]),
    ("*Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;*",
     "căn cứ", ["30/2020/NĐ-CP"]),
]


@pytest.mark.parametrize("line, kind, keys", KINDS, ids=[_id(c[0][:60]) for c in KINDS])
def test_legal_bases_kinds(vb, line, kind, keys):
    bases = _bases(vb, line)
    assert len(bases) == 1
    assert bases[0].kind == kind
    assert bases[0].keys() == keys


def test_legal_bases_mixed_openings_take_the_first(vb):
    """GOLD: ``Căn cứ … và theo đề nghị của …`` takes the kind of its first opening."""
    bases = _bases(vb, "Căn cứ Nghị quyết số 15/NQ-HĐND ngày 10 tháng 7 năm 2024 của Hội đồng nhân dân tỉnh "
                       "và theo đề nghị của Giám đốc Sở Nội vụ;")
    assert len(bases) == 1
    assert bases[0].kind == "căn cứ"
    assert bases[0].keys()[0] == "15/NQ-HĐND"


def test_legal_bases_in_order_of_the_preamble(vb):
    rec = vb.parse()
    assert [b.kind for b in rec.legal_bases] == ["căn cứ", "căn cứ", "theo đề nghị"]
    assert [k for b in rec.legal_bases for k in b.keys()] == ["30/2020/NĐ-CP", "15/2021/QĐ-UBND", "Chánh Văn phòng Sở"]


# ---------------------------------------------------------------------------
# §2.6: the first citation of a document gives type, number, date, issuer, subject.
#   (line, doc_type, number, date, issuer, subject ending)

REFS = [
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
     "Nghị định", "30/2020/NĐ-CP", "2020-03-05", "Chính phủ", "công tác văn thư"),
    ("Căn cứ Thông tư số 26/2019/TT-BGDĐT ngày 30/12/2019 của Bộ Giáo dục và Đào tạo về việc ban hành "
     "Quy chế quản lý bằng tốt nghiệp;",
     "Thông tư", "26/2019/TT-BGDĐT", "2019-12-30", "Bộ Giáo dục và Đào tạo", "ban hành Quy chế quản lý bằng tốt nghiệp"),
    ("Căn cứ Quyết định số 1117/QĐ-NHNN ngày 15 tháng 3 năm 2024 của Thống đốc Ngân hàng Nhà nước Việt Nam;",
     "Quyết định", "1117/QĐ-NHNN", "2024-03-15", "Thống đốc Ngân hàng Nhà nước Việt Nam", None),
    ("Thực hiện Công văn số 1441/UBND-THNV ngày 09/8/2024 của UBND tỉnh về việc triển khai nhiệm vụ năm học 2024-2025;",
     "Công văn", "1441/UBND-THNV", "2024-08-09", "UBND tỉnh", "triển khai nhiệm vụ năm học 2024-2025"),
    ("Thực hiện Nghị quyết số 29-NQ/TW ngày 04 tháng 11 năm 2013 của Hội nghị Trung ương 8 khóa XI về đổi mới "
     "căn bản, toàn diện giáo dục và đào tạo;",
     "Nghị quyết", "29-NQ/TW", "2013-11-04", "Hội nghị Trung ương 8 khóa XI", "đổi mới căn bản, toàn diện giáo dục và đào tạo"),
    ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 80/2015/QH13 ngày 22 tháng 6 năm 2015;",
     "Luật", "80/2015/QH13", "2015-06-22", None, None),
    ("Căn cứ Chỉ thị số 03/CT-BGDĐT ngày 10 tháng 7 năm 2024 của Bộ Giáo dục và Đào tạo;",
     "Chỉ thị", "03/CT-BGDĐT", "2024-07-10", "Bộ Giáo dục và Đào tạo", None),
]


@pytest.mark.parametrize("line, doc_type, number, date, issuer, subject", REFS, ids=[_id(c[2]) for c in REFS])
def test_reference_parts(vb, line, doc_type, number, date, issuer, subject):
    bases = _bases(vb, line)
    assert len(bases) == 1 and len(bases[0].refs) == 1
    ref = bases[0].refs[0]
    assert (ref.doc_type, ref.number, ref.date, ref.issuer) == (doc_type, number, date, issuer)
    if subject is None:
        assert ref.subject is None
    else:
        assert ref.subject is not None and ref.subject.endswith(subject)


def test_reference_law_by_name(vb):
    ref = _bases(vb, "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;")[0].refs[0]
    assert ref.doc_type == "Luật"
    assert ref.number is None
    assert ref.date == "2019-06-14"
    assert ref.name == "Luật Giáo dục ngày 14 tháng 6 năm 2019"


# ---------------------------------------------------------------------------
# GOLD: one line naming several documents gives several entries.

SEVERAL = [
    ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 và Nghị định số 78/2025/NĐ-CP ngày 01/4/2025 của Chính phủ;",
     ["30/2020/NĐ-CP", "78/2025/NĐ-CP"]),
    ("Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019 và Nghị định số 24/2021/NĐ-CP ngày 23 tháng 3 năm 2021 "
     "của Chính phủ;",
     ["Luật Giáo dục ngày 14 tháng 6 năm 2019", "24/2021/NĐ-CP"]),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
     "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
     ["Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
      "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương "
      "ngày 22 tháng 11 năm 2019"]),
    ("Căn cứ Thông tư số 32/2020/TT-BGDĐT, Thông tư số 26/2019/TT-BGDĐT của Bộ Giáo dục và Đào tạo;",
     ["32/2020/TT-BGDĐT", "26/2019/TT-BGDĐT"]),
    ("Thực hiện Nghị quyết số 29-NQ/TW ngày 04/11/2013 và Kết luận số 51-KL/TW ngày 30/5/2019 "
     "của Ban Chấp hành Trung ương;",
     ["29-NQ/TW", "51-KL/TW"]),
]


@pytest.mark.parametrize("line, keys", SEVERAL, ids=[_id(" + ".join(k[:12] for k in c[1])) for c in SEVERAL])
def test_several_documents_in_one_basis_line(vb, line, keys):
    bases = _bases(vb, line)
    assert [k for b in bases for k in b.keys()] == keys


# ---------------------------------------------------------------------------
# GOLD: a document named as amending another in the same line is an entry of its own.

AMENDING = [
    ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15 được sửa đổi, bổ sung bởi Luật số 87/2025/QH15;",
     ["64/2025/QH15", "87/2025/QH15"]),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 được sửa đổi, bổ sung bởi "
     "Luật số 47/2019/QH14;",
     ["Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015", "47/2019/QH14"]),
    ("Căn cứ Nghị định số 24/2014/NĐ-CP ngày 04 tháng 4 năm 2014 của Chính phủ, được sửa đổi, bổ sung bởi "
     "Nghị định số 107/2020/NĐ-CP ngày 14 tháng 9 năm 2020 của Chính phủ;",
     ["24/2014/NĐ-CP", "107/2020/NĐ-CP"]),
]


@pytest.mark.parametrize("line, keys", AMENDING, ids=[_id(" + ".join(k[:14] for k in c[1])) for c in AMENDING])
def test_amending_law_is_its_own_basis(vb, line, keys):
    bases = _bases(vb, line)
    assert [k for b in bases for k in b.keys()] == keys
    assert all(b.kind == "căn cứ" for b in bases)


# ---------------------------------------------------------------------------
# GOLD: ``Theo đề nghị của X`` with no document is one entry whose key is X
# (several officials included).

PROPOSALS = [
    ("Theo đề nghị của Chánh Văn phòng Sở.", "theo đề nghị", "Chánh Văn phòng Sở"),
    ("Theo đề nghị của Giám đốc Sở Nội vụ.", "theo đề nghị", "Giám đốc Sở Nội vụ"),
    ("Theo đề nghị của Trưởng phòng Tổ chức cán bộ;", "theo đề nghị", "Trưởng phòng Tổ chức cán bộ"),
    ("Xét đề nghị của Trưởng phòng Giáo dục Trung học,", "xét đề nghị", "Trưởng phòng Giáo dục Trung học"),
    ("Theo đề nghị của Giám đốc Sở Nội vụ và Chánh Văn phòng Ủy ban nhân dân tỉnh.", "theo đề nghị",
     "Giám đốc Sở Nội vụ và Chánh Văn phòng Ủy ban nhân dân tỉnh"),
    ("Theo đề nghị của Vụ trưởng Vụ Pháp chế, Chánh Văn phòng Bộ.", "theo đề nghị",
     "Vụ trưởng Vụ Pháp chế, Chánh Văn phòng Bộ"),
]


@pytest.mark.parametrize("line, kind, proposer", PROPOSALS, ids=[_id(c[2]) for c in PROPOSALS])
def test_proposal_without_document_gives_proposer(vb, line, kind, proposer):
    bases = _bases(vb, "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
                   line)
    assert len(bases) == 2
    b = bases[1]
    assert b.kind == kind
    assert b.refs == []
    assert b.proposer == proposer
    assert b.keys() == [proposer]


# ---------------------------------------------------------------------------
# GOLD: "Trên cơ sở…", "Sau khi xem xét…" and narrative sentences are not legal
# bases; grounds quoted inside the body (after "…có ý kiến như sau:") are body text.

def test_narrative_lines_are_not_legal_bases(vb):
    rec = vb.parse(preamble=(
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        "Trên cơ sở kết quả kiểm tra công tác văn thư năm 2023;",
        "Sau khi xem xét hồ sơ đề nghị của các đơn vị;",
        "Theo đề nghị của Chánh Văn phòng Sở.",
    ))
    assert [b.kind for b in rec.legal_bases] == ["căn cứ", "theo đề nghị"]


def test_grounds_inside_body_are_body_text(vb):
    rec = vb.parse_cong_van(vv=("V/v trả lời Công văn số 215/PGDĐT-TH",), body=(
        "Sở Giáo dục và Đào tạo nhận được Công văn số 215/PGDĐT-TH ngày 02/8/2024 của Phòng Giáo dục và Đào tạo "
        "huyện Lạc Sơn về việc tuyển dụng giáo viên. Sau khi xem xét, Sở có ý kiến như sau:",
        "Căn cứ Thông tư số 32/2020/TT-BGDĐT ngày 15 tháng 9 năm 2020 của Bộ Giáo dục và Đào tạo, việc bố trí "
        "giáo viên được thực hiện theo định mức quy định.",
        "Đề nghị Phòng Giáo dục và Đào tạo huyện Lạc Sơn nghiên cứu, thực hiện./.",
    ))
    assert rec.legal_bases == []
    assert "32/2020/TT-BGDĐT" in [r.number for r in rec.references]


# ---------------------------------------------------------------------------
# §2.6 item 1: the thẩm quyền ban hành line is neither title nor basis.

AUTHORITY = [
    (("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",), "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO"),
    (("BỘ TRƯỞNG BỘ Y TẾ",), "BỘ TRƯỞNG BỘ Y TẾ"),
    (("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH",), "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"),
    (("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH",), "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"),
    (("HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH", "KHÓA XVII, KỲ HỌP THỨ 20"),
     "HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH KHÓA XVII, KỲ HỌP THỨ 20"),
    (("CHÍNH PHỦ",), "CHÍNH PHỦ"),
]


@pytest.mark.parametrize("lines, authority", AUTHORITY, ids=[_id(a) for _, a in AUTHORITY])
def test_authority_line_not_in_title(vb, lines, authority):
    rec = vb.parse(authority=lines)
    assert rec.title == "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"
    assert rec.authority_line == authority
    assert len(rec.legal_bases) == 3


# ---------------------------------------------------------------------------
# §2.5, §2.6 item 4: ``QUYẾT ĐỊNH:`` (with a colon) is the enacting formula, not
# a second title; likewise ``QUYẾT NGHỊ:``.

ENACT = [
    ("QUYẾT ĐỊNH", "QUYẾT ĐỊNH:", "Quyết định"),
    ("QUYẾT ĐỊNH", "QUYẾT ĐỊNH :", "Quyết định"),
    ("**QUYẾT ĐỊNH**", "**QUYẾT ĐỊNH:**", "Quyết định"),
    ("NGHỊ QUYẾT", "QUYẾT NGHỊ:", "Nghị quyết"),
]


@pytest.mark.parametrize("heading, enact, doc_type", ENACT, ids=[_id(f"{h} / {e}") for h, e, _ in ENACT])
def test_enacting_formula_is_not_a_title(vb, heading, enact, doc_type):
    rec = vb.parse(heading=heading, enact=enact)
    assert rec.doc_type == doc_type
    assert rec.title == "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"
    assert [b.kind for b in rec.legal_bases] == ["căn cứ", "căn cứ", "theo đề nghị"]
    assert [it.label for it in rec.items] == ["Điều 1", "Điều 2", "Điều 3"]


def test_enacting_formula_without_heading_is_not_a_title(vb):
    """A lost type heading must not be replaced by the enacting formula."""
    rec = vb.parse(heading=None, title=(), authority=())
    assert rec.doc_type == "Quyết định"            # from the symbol QĐ
    assert rec.title is None or "QUYẾT ĐỊNH" not in rec.title


# ---------------------------------------------------------------------------
# §2.6 layout table, §7: the markers of each level.
#   (line, kind in the spec's ENUM names, label or None when the gold does not fix it)

MARKERS = [
    ("Phần I. QUY ĐỊNH CHUNG", "phan", None),
    ("PHẦN THỨ NHẤT. QUY ĐỊNH CHUNG", "phan", None),
    ("Chương II. TỔ CHỨC THỰC HIỆN", "chuong", None),
    ("Mục 1. NHIỆM VỤ CHUNG", "muc", None),
    ("Điều 1. Phạm vi điều chỉnh", "dieu", None),
    ("Điều 5a. Trách nhiệm của Văn phòng", "dieu", None),
    ("I. MỤC ĐÍCH, YÊU CẦU", "roman", "I"),
    ("IV. TỔ CHỨC THỰC HIỆN", "roman", "IV"),
    ("I- TÌNH HÌNH CHUNG", "roman", "I"),
    ("A. PHẦN CHUNG", "alpha_up", "A"),
    ("2.1. Rà soát mạng lưới trường lớp.", "decimal", "2.1"),
    ("2.1 Rà soát mạng lưới trường lớp.", "decimal", "2.1"),
    ("2.1.3 Bồi dưỡng giáo viên cốt cán.", "decimal", "2.1.3"),
    ("1. Mục đích", "khoan", "1"),
    ("2a. Bổ sung khoản 2a vào sau khoản 2.", "khoan", "2a"),
    ("3) Tổ chức tập huấn cho giáo viên.", "khoan", "3"),
    ("a) Phòng Giáo dục Trung học chủ trì.", "diem", None),
    ("đ) Phòng Kế hoạch - Tài chính phối hợp.", "diem", None),
    ("a1) Bổ sung điểm a1 vào sau điểm a.", "diem", None),
    ("- Tổ chức hội nghị triển khai.", "dash", None),
    ("+ Lập danh sách học sinh.", "plus", None),
]


@pytest.mark.parametrize("line, kind, label", MARKERS, ids=[_id(c[0][:24]) for c in MARKERS])
def test_enumeration_markers(vb, line, kind, label):
    rec = vb.parse(body=(line, "Nội dung chi tiết thực hiện theo quy định hiện hành."))
    assert rec.items, "no item found"
    first = rec.items[0]
    assert first.kind == kind
    if label is not None:
        assert first.label == label


# ---------------------------------------------------------------------------
# §2.6: the tree follows the levels; GOLD items = the numbered list of the main
# content section.

PLAN_BODY = (
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "Nâng cao chất lượng công tác kiểm tra nội bộ.",
    "2. Yêu cầu",
    "Bảo đảm khách quan, đúng quy định.",
    "II. NỘI DUNG KIỂM TRA",
    "1. Kiểm tra việc thực hiện nhiệm vụ chuyên môn",
    "1.1. Kiểm tra hồ sơ chuyên môn.",
    "1.2. Kiểm tra hoạt động dạy học.",
    "2. Kiểm tra công tác tài chính",
    "2.1. Kiểm tra thu, chi ngân sách.",
    "2.2. Kiểm tra quản lý tài sản công.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng Sở chủ trì tổ chức thực hiện Kế hoạch.",
    "2. Các phòng chuyên môn phối hợp thực hiện./.",
)

TASKS_BODY = (
    "1. Mục tiêu",
    "Nâng cao chất lượng giáo dục toàn diện.",
    "2. Nhiệm vụ trọng tâm",
    "2.1. Rà soát, sắp xếp mạng lưới trường lớp.",
    "2.2. Bồi dưỡng đội ngũ giáo viên.",
    "2.3. Tăng cường cơ sở vật chất.",
    "3. Tổ chức thực hiện",
    "Các đơn vị triển khai thực hiện Kế hoạch này./.",
)


def _plan(vb, body):
    return vb.parse(number="Số: 45/KH-SGDĐT", heading="KẾ HOẠCH", title=("Kiểm tra nội bộ năm 2024",),
                    authority=(), preamble=(), enact=None, body=body)


def test_items_decimal_tree(vb):
    rec = _plan(vb, PLAN_BODY)
    assert [(i.label, i.kind) for i in rec.items] == [("I", "roman"), ("II", "roman"), ("III", "roman")]
    sec2 = rec.items[1]
    assert [(i.label, i.kind) for i in sec2.children] == [("1", "khoan"), ("2", "khoan")]
    assert [(i.label, i.kind) for i in sec2.children[0].children] == [("1.1", "decimal"), ("1.2", "decimal")]
    assert [i.label for i in sec2.children[1].children] == ["2.1", "2.2"]
    assert [i.label for i in rec.main_items()] == ["1", "2"]


PROPOSALS_BODY = ("I. KẾT QUẢ THỰC HIỆN", "1. Đã hoàn thành việc rà soát hồ sơ.", "2. Đã tổ chức tập huấn.",
                  "II. TỒN TẠI, HẠN CHẾ", "Một số đơn vị còn chậm báo cáo.",
                  "III. ĐỀ XUẤT, KIẾN NGHỊ", "1. Bổ sung kinh phí cho năm 2026.", "2. Tăng cường kiểm tra.",
                  "3. Khen thưởng các đơn vị làm tốt./.")


def test_items_proposals_when_no_task_section(vb):
    """Without a Nội dung/Nhiệm vụ section, the points under Đề xuất, kiến nghị
    (a báo cáo), Phương án (a tờ trình) or Kết luận (a biên bản) are the main
    list, not the Roman section headings."""
    rec = _plan(vb, PROPOSALS_BODY)
    assert [i.label for i in rec.items] == ["I", "II", "III"]
    assert [i.label for i in rec.main_items()] == ["1", "2", "3"]
    assert rec.main_items()[0].text.startswith("Bổ sung kinh phí")


def test_items_decimal_main_list(vb):
    rec = _plan(vb, TASKS_BODY)
    assert [i.label for i in rec.items] == ["1", "2", "3"]
    assert [(i.label, i.kind) for i in rec.items[1].children] == [("2.1", "decimal"), ("2.2", "decimal"),
                                                                  ("2.3", "decimal")]
    assert [i.label for i in rec.main_items()] == ["2.1", "2.2", "2.3"]


def test_items_points_follow_vietnamese_alphabet(vb):
    """§2.6: a) b) c) d) đ) e) — đ) follows d)."""
    rec = _plan(vb, (
        "1. Trách nhiệm của các phòng chuyên môn:",
        "a) Phòng Giáo dục Trung học hướng dẫn chuyên môn;",
        "b) Phòng Giáo dục Mầm non - Tiểu học phối hợp;",
        "c) Phòng Tổ chức cán bộ rà soát đội ngũ;",
        "d) Phòng Kế hoạch - Tài chính bố trí kinh phí;",
        "đ) Văn phòng Sở tổng hợp báo cáo;",
        "e) Thanh tra Sở kiểm tra việc thực hiện.",
        "2. Trách nhiệm của các trường trực thuộc./.",
    ))
    assert [i.label for i in rec.items] == ["1", "2"]
    points = rec.items[0].children
    assert [p.kind for p in points] == ["diem"] * 6
    assert [p.label.rstrip(")") for p in points] == ["a", "b", "c", "d", "đ", "e"]


def test_items_not_dieu_articles(vb):
    """GOLD: never Điều articles, not deeper levels: clauses inside Điều are not main items."""
    rec = vb.parse(body=(
        "Điều 1. Phạm vi áp dụng",
        "1. Quy chế này áp dụng đối với các phòng thuộc Sở.",
        "2. Các trường trực thuộc áp dụng theo hướng dẫn riêng.",
        "Điều 2. Hiệu lực thi hành",
        "Quyết định này có hiệu lực kể từ ngày ký./.",
    ))
    assert [(i.label, i.kind) for i in rec.items] == [("Điều 1", "dieu"), ("Điều 2", "dieu")]
    assert [(i.label, i.kind) for i in rec.items[0].children] == [("1", "khoan"), ("2", "khoan")]
    assert rec.main_items() == []


# ---------------------------------------------------------------------------
# §7: cardinal "Một là, …" and ordinal "Thứ nhất, …" lists.

LA = [
    ("under a section heading",
     ("II. NHIỆM VỤ, GIẢI PHÁP",
      "Một là, nâng cao chất lượng đội ngũ nhà giáo và cán bộ quản lý.",
      "Hai là, đầu tư cơ sở vật chất trường lớp theo hướng chuẩn hóa.",
      "Ba là, đẩy mạnh chuyển đổi số trong giáo dục./."),
     ["Một là", "Hai là", "Ba là"]),
    ("top level, five items",
     ("Để thực hiện thắng lợi các mục tiêu, cần tập trung thực hiện các giải pháp sau:",
      "Một là, tăng cường sự lãnh đạo của các cấp ủy đảng.",
      "Hai là, đổi mới nội dung, phương thức hoạt động.",
      "Ba là, nâng cao chất lượng đội ngũ cán bộ.",
      "Bốn là, tăng cường kiểm tra, giám sát.",
      "Năm là, huy động các nguồn lực xã hội./."),
     ["Một là", "Hai là", "Ba là", "Bốn là", "Năm là"]),
    ("with colons",
     ("Một là: nâng cao chất lượng đội ngũ.", "Hai là: đầu tư cơ sở vật chất.", "Ba là: đẩy mạnh chuyển đổi số./."),
     ["Một là", "Hai là", "Ba là"]),
    ("ordinal thứ",
     ("Thứ nhất, hoàn thiện thể chế, chính sách.", "Thứ hai, nâng cao chất lượng nguồn nhân lực.",
      "Thứ ba, phát triển hạ tầng số.", "Thứ tư, tăng cường hợp tác quốc tế./."),
     ["Thứ nhất", "Thứ hai", "Thứ ba", "Thứ tư"]),
    ("a year line is not Năm là",
     ("Một là, nâng cao chất lượng đội ngũ nhà giáo.",
      "Hai là, đầu tư cơ sở vật chất trường lớp.",
      "Năm 2025, toàn tỉnh phấn đấu 100% trường học có kết nối internet.",
      "Ba là, đẩy mạnh chuyển đổi số trong giáo dục./."),
     ["Một là", "Hai là", "Ba là"]),
]


@pytest.mark.parametrize("name, body, labels", LA, ids=[c[0] for c in LA])
def test_items_ordinal_la(vb, name, body, labels):
    rec = vb.parse_party(body=body)
    assert [i.label for i in rec.main_items()] == labels


# ---------------------------------------------------------------------------
# §8.4: wrapped lines and stray blank lines are re-joined; structural lines
# (``2.``, ``a)``, ``-``) are never joined into the previous line.

def test_items_rejoined_across_blank_line(vb):
    rec = _plan(vb, (
        "II. NHIỆM VỤ CỤ THỂ",
        "1. Tổ chức rà soát, đánh giá thực trạng đội ngũ cán bộ quản lý",
        "",
        "và giáo viên trong toàn ngành.",
        "2. Xây dựng kế hoạch bồi dưỡng thường xuyên cho giáo viên",
        "các cấp học năm học 2024-2025",
        "3. Tăng cường kiểm tra,",
        "",
        "giám sát việc thực hiện./.",
    ))
    main = rec.main_items()
    assert [i.label for i in main] == ["1", "2", "3"]
    assert [i.text for i in main] == [
        "Tổ chức rà soát, đánh giá thực trạng đội ngũ cán bộ quản lý và giáo viên trong toàn ngành.",
        "Xây dựng kế hoạch bồi dưỡng thường xuyên cho giáo viên các cấp học năm học 2024-2025",
        "Tăng cường kiểm tra, giám sát việc thực hiện./.",
    ]


def test_page_number_line_is_dropped(vb):
    """§1: a bare page number at the top of a later page is not text."""
    rec = _plan(vb, (
        "II. NHIỆM VỤ CỤ THỂ",
        "1. Tổ chức rà soát, đánh giá thực trạng đội ngũ cán bộ quản lý",
        "\f2",
        "và giáo viên trong toàn ngành.",
        "2. Tăng cường kiểm tra, giám sát việc thực hiện./.",
    ))
    main = rec.main_items()
    assert [i.label for i in main] == ["1", "2"]
    assert main[0].text == "Tổ chức rà soát, đánh giá thực trạng đội ngũ cán bộ quản lý và giáo viên trong toàn ngành."


# ---------------------------------------------------------------------------
# GOLD legal_bases: one entry per cited document; a basis wrapped over lines,
# continued after ";" without repeating its opening, or opened by a dash is
# still one basis of its kind; a ground naming no document keys on its text.

WRAPPED = [
    (("Theo đề nghị của Giám đốc Sở Công", "Thương tại Tờ trình số 1530/TTr-SCT ngày 26 tháng 12 năm 2016,"),
     "theo đề nghị", ["1530/TTr-SCT"]),
    (("Theo đề nghị của Sở Lao động", "- Thương binh và Xã hội tại Tờ trình số 92/TTr-SLĐTBXH ngày 06/4/2021."),
     "theo đề nghị", ["92/TTr-SLĐTBXH"]),
    (("Theo đề nghị của Chánh Văn phòng UBND thành phố Hà", "Nội."),
     "theo đề nghị", ["Chánh Văn phòng UBND thành phố Hà Nội"]),
    (("Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;",
      "Nghị định số 92/2017/NĐ-CP ngày 07/8/2017 của Chính phủ sửa đổi, bổ sung một số điều của các nghị định;"),
     "căn cứ", ["63/2010/NĐ-CP", "92/2017/NĐ-CP"]),
    (("- Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",), "căn cứ",
     ["Luật Tổ chức chính quyền địa phương ngày 19/6/2015"]),
    (("Căn cứ Luật tổ chức HĐND, UBND ngày 26/11/2003;",), "căn cứ", ["Luật tổ chức HĐND, UBND ngày 26/11/2003"]),
    (("Căn cứ Luật Ngân sách nhà nước (sửa đổi) ngày 16-12-2002.",), "căn cứ",
     ["Luật Ngân sách nhà nước (sửa đổi) ngày 16-12-2002"]),
    (("Căn cứ Điều 45 Luật Đất đai, điều chỉnh quy hoạch sử dụng đất cấp huyện;",), "căn cứ", ["Điều 45 Luật Đất đai"]),
    (("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam đã được sửa đổi, bổ sung;",), "căn cứ",
     ["Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"]),
    (("Căn cứ vào tình hình thực tế tại địa phương;",), "căn cứ", ["tình hình thực tế tại địa phương"]),
    (("Căn cứ Thông báo số 70-TB/TWngày 06 tháng 01 năm 2012 của Ban Bí thư;",), "căn cứ", ["70-TB/TW"]),
    (("Xét đề nghị của Chính phủ tại Tờ trình số357/TTr-CP ngày 10/5/2024;",), "xét đề nghị", ["357/TTr-CP"]),
    (("Căn cứ Thông tư số 02/2017TT-VPCP ngày 31 tháng 10 năm 2017 của Văn phòng Chính phủ;",), "căn cứ",
     ["02/2017TT-VPCP"]),
    (("Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ về việc phát động thi đua "
      "và Kế hoạch số 16/KH-HĐTĐKT ngày 31/8/2021 của Hội đồng Thi đua - Khen thưởng Trung ương;",),
     "thực hiện", ["19/CT-TTg", "16/KH-HĐTĐKT"]),
]


@pytest.mark.parametrize("lines, kind, keys", WRAPPED, ids=[_id(" ".join(c[0])[:50]) for c in WRAPPED])
def test_basis_lines_rejoined_and_keyed(vb, lines, kind, keys):
    bases = _bases(vb, *lines)
    assert {b.kind for b in bases} == {kind}
    assert [k for b in bases for k in b.keys()] == keys


# Portal copies wrap every line at a narrow column, anywhere in a phrase, and
# documents under the 2025 Law on legal documents close the preamble with a
# sentence ("Hội đồng nhân dân tỉnh ban hành Nghị quyết …"), not "QUYẾT ĐỊNH:".
# A basis goes on over a line that opens with a cited number's rest or with a
# capital when the lines reach the bases' ";" first; a line naming a further
# instrument after ";" belongs to the same basis.
NARROW = [
    (("Căn cứ Luật Ban hành văn bản", "quy phạm pháp luật số 64/2025/QH15 được sửa đổi, bổ sung bởi Luật số",
      "87/2025/QH15;", "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13;"),
     ["64/2025/QH15", "87/2025/QH15", "83/2015/QH13"]),
    (("Căn cứ Luật Tổ chức", "Chính phủ số 63/2025/QH15;", "Căn cứ Luật Các tổ chức tín dụng số 32/2024/QH15;"),
     ["63/2025/QH15", "32/2024/QH15"]),
    (("Căn cứ Luật Thể dục,", "Thể thao số 77/2006/QH11 được sửa đổi, bổ sung", "bởi Luật số 26/2018/QH14;",
      "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13;"),
     ["77/2006/QH11", "26/2018/QH14", "83/2015/QH13"]),
    (("Căn cứ Nghị định số", "08/2015/NĐ-CP ngày 21/01/2015 của Chính phủ quy định chi tiết Luật Hải quan;",
      "Nghị định số 167/2025/NĐ-CP ngày 30/6/2025 của Chính phủ sửa đổi, bổ sung một số", "điều của Nghị định số "
      "08/2015/NĐ-CP;", "Căn cứ Thông tư số 38/2015/TT-BTC ngày 25/3/2015 của Bộ trưởng Bộ Tài chính;"),
     ["08/2015/NĐ-CP", "167/2025/NĐ-CP", "38/2015/TT-BTC"]),
]


@pytest.mark.parametrize("lines, keys", NARROW, ids=[_id(" ".join(c[0])[:50]) for c in NARROW])
def test_bases_wrapped_by_a_narrow_column_before_an_enacting_sentence(vb, lines, keys):
    rec = vb.parse(heading="NGHỊ QUYẾT", title=("Quy định mức chi hỗ trợ trên địa bàn tỉnh Hòa Bình",),
                   authority=("HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH",), preamble=lines, enact=None,
                   body=("Hội đồng nhân dân tỉnh ban hành Nghị quyết quy định mức chi hỗ trợ trên địa bàn tỉnh.",
                         *DEFAULT_BODY))
    assert [k for b in rec.legal_bases for k in b.keys() if "/" in k] == keys
    assert all(b.kind == "căn cứ" for b in rec.legal_bases)


def test_a_capitalised_body_sentence_after_an_unfinished_basis_stays_in_the_body(vb):
    rec = vb.parse(heading="NGHỊ QUYẾT", title=("Quy định mức chi hỗ trợ trên địa bàn tỉnh Hòa Bình",),
                   authority=("HỘI ĐỒNG NHÂN DÂN TỈNH HÒA BÌNH",), enact=None,
                   preamble=("Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13",),
                   body=("Hội đồng nhân dân tỉnh ban hành Nghị quyết quy định mức chi hỗ trợ.", *DEFAULT_BODY))
    assert [b.text for b in rec.legal_bases] == ["Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13"]


def test_cited_issuer_keeps_capitalised_stop_words(vb):
    """``Bộ Giao thông vận tải``: ``giao`` ends an issuer only in lower case."""
    bases = _bases(vb, "Thực hiện Quyết định số 64/QĐ-BGTVT ngày 22/01/2024 của Bộ Giao thông vận tải ban hành "
                       "Kế hoạch triển khai Chỉ thị số 31/CT-TTg ngày 21 tháng 12 năm 2023 của Thủ tướng Chính phủ;")
    assert [k for b in bases for k in b.keys()] == ["64/QĐ-BGTVT"]
    assert bases[0].refs[0].issuer == "Bộ Giao thông vận tải"


def test_lower_case_thuc_hien_continues_the_line(vb):
    bases = _bases(vb, "Thực hiện Chỉ thị số 07/CT-TTg ngày 22/5/2013 về việc đẩy mạnh",
                   "thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2011 - 2020;")
    assert [k for b in bases for k in b.keys()] == ["07/CT-TTg"]


@pytest.mark.parametrize("heading", ["MỘT SỐ NHIỆM VỤ, GIẢI PHÁP", "NHIỆM\nVỤ, GIẢI PHÁP TRỌNG TÂM", "NỘI DUNG"])
def test_items_main_list_under_task_section(vb, heading):
    """GOLD items: the numbered list of the task section, not the Roman sections."""
    rec = _plan(vb, ("I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "Nâng cao hiệu quả.", "2. Yêu cầu", "Bảo đảm tiến độ.",
                     f"II. {heading}", "1. Rà soát văn bản.", "2. Đẩy nhanh tiến độ.", "3. Giữ vững an ninh.",
                     "III. TỔ CHỨC THỰC HIỆN", "1. Sở Nội vụ chủ trì.", "2. Các sở phối hợp."))
    assert [i.label for i in rec.items] == ["I", "II", "III"]
    assert [i.label for i in rec.main_items()] == ["1", "2", "3"]
    assert rec.main_items()[0].text.startswith("Rà soát")


def test_item_span_covers_its_unmarked_continuation(vb):
    """Provenance: an item's span runs to the end of the unmarked paragraphs
    that continue it, as its text does."""
    rec = _plan(vb, ("1. Rà soát hồ sơ chuyên môn của giáo viên.", "Thời gian: tháng 3 năm 2024.",
                     "2. Kiểm tra hoạt động dạy học./."))
    first = rec.items[0]
    a, b = first.span
    assert first.text.endswith("Thời gian: tháng 3 năm 2024.")
    assert rec.text[a:b].rstrip().endswith("Thời gian: tháng 3 năm 2024.")
