"""Conformance warnings, normalisation, provenance spans, encodings, bad input,
several documents in one file — spec §0, §2.13, §2.14, §8.2, §8.7, §8.8.

Warning codes (record.warning_codes()): "blank number", "no number",
"blank day", "no header", "missing quốc hiệu", "date without leading zero",
"date written in figures", "symbol/type mismatch", "no recipients", "no date", "no signer".
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import pytest

import pipeline
from pipeline.ingest.text import encode_cp1258


def _id(s: str) -> str:
    """An ASCII test id (pytest escapes non-ASCII ids)."""
    s = unicodedata.normalize("NFD", str(s).replace("Đ", "D").replace("đ", "d").replace("Ð", "D"))
    return "".join(c for c in s if not unicodedata.combining(c)).encode("ascii", "replace").decode()


def _core(rec, number="123/QĐ-SGDĐT", date="2024-03-05"):
    """The default document's fields (tests/conftest.py)."""
    assert rec.number == number
    assert rec.date == date
    assert rec.place == "Hòa Bình"
    assert rec.doc_type == "Quyết định"
    assert rec.issuer == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert rec.issuer_parent == "UBND TỈNH HÒA BÌNH"
    assert rec.title == "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024"
    assert [(r.text, r.purpose) for r in rec.recipients] == [
        ("Như Điều 3", None), ("UBND tỉnh", "để b/c"), ("Lưu: VT, VP", None)]
    assert [(s.authority, s.title, s.position, s.name) for s in rec.signers] == [
        ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")]


# ---------------------------------------------------------------------------
# §2.3 rule 7, §2.4, §8.2: blank number / blank day / no number.
#   (number line, date line, expected present, expected absent)

BLANKS = [
    ("Số:      /QĐ-SGDĐT", "Hòa Bình, ngày 05 tháng 3 năm 2024", {"blank number"}, {"blank day", "no number"}),
    ("Số: 123/QĐ-SGDĐT", "Hòa Bình, ngày   tháng 3 năm 2024", {"blank day"}, {"blank number", "no number"}),
    ("Số: …/QĐ-SGDĐT", "Hòa Bình, ngày … tháng 3 năm 2024", {"blank number", "blank day"}, {"no number"}),
    ("Số: 123/QĐ-SGDĐT", "Hòa Bình, ngày 05 tháng 3 năm 2024", set(), {"blank number", "blank day", "no number"}),
    (None, "Hòa Bình, ngày 05 tháng 3 năm 2024", {"no number"}, {"blank number"}),
]


@pytest.mark.parametrize("number, date, present, absent", BLANKS, ids=[_id(f"{c[0]} | {c[1]}") for c in BLANKS])
def test_warnings_blank_number_and_day(vb, number, date, present, absent):
    codes = set(vb.parse(number=number, date=date).warning_codes())
    assert present <= codes
    assert not (absent & codes)


def test_warnings_header(vb):
    full = vb.parse()
    assert not {"no header", "missing quốc hiệu"} & set(full.warning_codes())
    no_qh = vb.parse(right=())
    assert "missing quốc hiệu" in no_qh.warning_codes()
    assert "no header" not in no_qh.warning_codes()
    nothing = vb.parse(left=(), right=())
    assert "no header" in nothing.warning_codes()


def test_warnings_no_date_and_no_signer(vb):
    """Nothing missing goes unsaid: a header without a readable place-date
    line, a document that ends (./., Nơi nhận) without a readable signature."""
    full = vb.parse()
    assert not {"no date", "no signer"} & set(full.warning_codes())
    assert "no date" in vb.parse(date="").warning_codes()
    unsigned = vb.parse(footer=vb.columns([("Nơi nhận:", ""), ("- Như Điều 3;", ""), ("- Lưu: VT.", "")]))
    assert unsigned.signers == [] and "no signer" in unsigned.warning_codes()
    part = vb.parse(body=("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra nội bộ năm 2024.",
                          "Điều 2. Quyết định này có hiệu lực kể từ"), footer="")
    assert "no signer" not in part.warning_codes()  # the first part only: nothing says it ended


def test_warnings_no_recipients(vb):
    # a complete document (signed) without Nơi nhận
    signed = vb.parse(footer=vb.columns([("", "KT. GIÁM ĐỐC"), ("", "PHÓ GIÁM ĐỐC"), ("", ""), ("", "Nguyễn Văn An")]))
    assert "no recipients" in signed.warning_codes()
    # a công văn whose only list is Kính gửi
    cv = vb.parse_cong_van(footer=vb.columns([("", "GIÁM ĐỐC"), ("", ""), ("", "Trần Văn Bình")]))
    assert [a.text for a in cv.addressees] == ["Các trường trung học phổ thông"]
    assert "no recipients" not in cv.warning_codes()
    # an incomplete document (first part only: no signature, no end mark)
    part = vb.parse(body=("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra nội bộ năm 2024.",
                          "Điều 2. Quyết định này có hiệu lực kể từ"), footer="")
    assert "no recipients" not in part.warning_codes()


# ---------------------------------------------------------------------------
# §2.3 rule 3, §3, §5: the heading is cross-checked against the symbol's type code.
#   (heading, number line, party?, mismatch expected)

MISMATCH = [
    ("QUYẾT ĐỊNH", "Số: 12/KH-UBND", False, True),
    ("BÁO CÁO", "Số: 05/TTr-UBND", False, True),
    ("KẾ HOẠCH", "Số: 30/QĐ-SGDĐT", False, True),
    ("THÔNG BÁO", "Số: 17/BC-UBND", False, True),
    ("KẾ HOẠCH", "Số: 45/KH-SGDĐT", False, False),
    ("BÁO CÁO", "Số: 15/UBND-VX", False, False),                 # công văn-style symbol: no type code
    ("KẾ HOẠCH", "Số: 45/KH-SGDĐT-PC", False, False),            # PC as a unit code
    ("THÔNG TƯ", "Số: 26/2019/TT-BGDĐT", False, False),
    ("THÔNG TƯ LIÊN TỊCH", "Số: 01/2016/TTLT-BGDĐT-BNV", False, False),
    ("QUY CHẾ", "Số: 02/QC-SGDĐT", False, False),
    ("QUY ĐỊNH", "Số: 03/QyĐ-SGDĐT", False, False),
    ("BẢN GHI NHỚ", "Số: 03/BGN-UBND", False, False),            # Decree 30 code
    ("BẢN GHI NHỚ", "Số: 03/GN-UBND", False, False),             # TT 01/2011 code, accepted
    ("BẢN THỎA THUẬN", "Số: 02/BTT-UBND", False, False),
    ("BẢN THỎA THUẬN", "Số: 02/TTh-UBND", False, False),
    ("GIẤY NGHỈ PHÉP", "Số: 11/GNP-SGDĐT", False, False),
    ("GIẤY NGHỈ PHÉP", "Số: 11/NP-SGDĐT", False, False),
    ("GIẤY MỜI", "Số: 09/GM-SGDĐT", False, False),
    ("QUY ĐỊNH", "Số 08-QĐi/TW", True, False),
    ("QUY ĐỊNH", "Số 66-QĐ/TW", True, False),                   # Party Quy định: QĐi or QĐ
    ("THÔNG TRI", "Số 12-TT/TU", True, False),                  # Party TT = thông tri
    ("KẾT LUẬN", "Số 51-KL/TW", True, False),
    ("NGHỊ QUYẾT", "Số 29-NQ/TW", True, False),
]


@pytest.mark.parametrize("heading, number, party, mismatch", MISMATCH,
                         ids=[_id(f"{h} + {n}") for h, n, _, _ in MISMATCH])
def test_warning_symbol_type_mismatch(vb, heading, number, party, mismatch):
    kw = dict(heading=heading, number=number, title=("Về việc thực hiện nhiệm vụ năm 2024",))
    rec = vb.parse_party(**kw) if party else vb.parse(**kw, authority=(), enact=None, preamble=(),
                                                        body=("1. Rà soát nhiệm vụ.", "2. Báo cáo kết quả./."))
    assert ("symbol/type mismatch" in rec.warning_codes()) is mismatch


def test_no_mismatch_for_party_cong_van(vb):
    rec = vb.parse_party(number="Số 1234-CV/TU", vv=("về việc tổng kết công tác năm 2024",), heading=None,
                         title=(), kinh_gui=("Kính gửi: Các đảng ủy trực thuộc Tỉnh ủy.",),
                         body=("Ban Thường vụ Tỉnh ủy đề nghị các đảng ủy trực thuộc tổ chức tổng kết./.",))
    assert rec.doc_type == "Công văn"
    assert "symbol/type mismatch" not in rec.warning_codes()


# ---------------------------------------------------------------------------
# §0.7, §8.7: Markdown and HTML artefacts.

ARTEFACTS = {
    "bold heading": dict(heading="**QUYẾT ĐỊNH**"),
    "html bold heading": dict(heading="<b>QUYẾT ĐỊNH</b>"),
    "bold title": dict(title=("**Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024**",)),
    "br inside title": dict(title=("Về việc ban hành Kế hoạch<br>kiểm tra nội bộ năm 2024",)),
    "escaped tiêu ngữ": dict(right=("**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**", r"**Độc lập \- Tự do \- Hạnh phúc**")),
    "bold issuer": dict(left=("**UBND TỈNH HÒA BÌNH**", "**SỞ GIÁO DỤC VÀ ĐÀO TẠO**")),
    "italic date": dict(date="*Hòa Bình, ngày 05 tháng 3 năm 2024*"),
    "nbsp entity in date": dict(date="Hòa Bình,&nbsp;ngày 05 tháng 3 năm 2024"),
    "italic legal bases": dict(preamble=(
        "*Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;*",
        "*Căn cứ Quyết định số 15/2021/QĐ-UBND ngày 20 tháng 4 năm 2021 của Ủy ban nhân dân tỉnh Hòa Bình;*",
        "*Theo đề nghị của Chánh Văn phòng Sở.*")),
    "bold enacting formula": dict(enact="**QUYẾT ĐỊNH:**"),
    "escaped dashes in Nơi nhận": dict(noi_nhan=(r"\- Như Điều 3;", r"\- UBND tỉnh (để b/c);", r"\- Lưu: VT, VP.")),
    "bold Nơi nhận label": dict(footer=None, noi_nhan=("- Như Điều 3;", "- UBND tỉnh (để b/c);", "- Lưu: VT, VP.")),
    "bold signer": dict(sign=("**KT. GIÁM ĐỐC**", "**PHÓ GIÁM ĐỐC**", "", "*(Đã ký)*", "", "**Nguyễn Văn An**")),
}


@pytest.mark.parametrize("name", list(ARTEFACTS))
def test_markdown_artefacts_removed(vb, name):
    kw = dict(ARTEFACTS[name])
    if name == "bold Nơi nhận label":
        kw["footer"] = vb.footer(noi_nhan=kw.pop("noi_nhan"), label="**Nơi nhận:**")
    rec = vb.parse(**kw)
    _core(rec)
    if name == "italic legal bases":
        assert [k for b in rec.legal_bases for k in b.keys()] == ["30/2020/NĐ-CP", "15/2021/QĐ-UBND",
                                                                  "Chánh Văn phòng Sở"]
    assert "missing quốc hiệu" not in rec.warning_codes()


def test_markdown_escapes_in_numbers_and_lists(vb):
    rec = vb.parse(number="Số: 45/KH-SGD&amp;ĐT", heading="KẾ HOẠCH", title=("Kiểm tra nội bộ năm 2024",),
                   authority=(), preamble=(), enact=None,
                   body=("II. NỘI DUNG", r"1\. Kiểm tra hồ sơ chuyên môn.", r"2\. Kiểm tra hoạt động dạy học./."),
                   noi_nhan=(r"\- Như trên;", r"\- Lưu: VT, TCCB, TTB, PC."))
    assert rec.number == "45/KH-SGD&ĐT"
    assert [i.label for i in rec.main_items()] == ["1", "2"]
    assert [r.text for r in rec.recipients] == ["Như trên", "Lưu: VT, TCCB, TTB, PC"]
    assert rec.recipients[-1].archive.units == ["TCCB", "TTB", "PC"]


MARKDOWN_DOC = r"""**UBND TỈNH HÒA BÌNH**
**SỞ GIÁO DỤC VÀ ĐÀO TẠO**
\-------
Số: 45/KH-SGD&amp;ĐT

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
**Độc lập \- Tự do \- Hạnh phúc**
\---------------
*Hòa Bình, ngày 05 tháng 3 năm 2024*

# KẾ HOẠCH

**Kiểm tra nội bộ năm 2024**

*Căn cứ Thông tư số 26/2019/TT-BGDĐT ngày 30/12/2019 của Bộ Giáo dục và Đào tạo;*

## I. MỤC ĐÍCH, YÊU CẦU

Nâng cao chất lượng công tác quản lý.

## II. NỘI DUNG KIỂM TRA

1\. Kiểm tra hồ sơ chuyên môn.

2\. Kiểm tra hoạt động dạy học./.

**Nơi nhận:**
\- Như trên;
\- Lưu: VT, TCCB, TTB, PC.

**KT. GIÁM ĐỐC**
**PHÓ GIÁM ĐỐC**

*(Đã ký)*

**Nguyễn Văn An**
"""


def test_markdown_document(vb):
    """A thuvienphapluat-style Markdown export (§0.7, §8.7): headings with ``#``,
    bold/italic markers, ``\\-`` and ``\\.`` escapes, ``&amp;``, one cell per line."""
    rec = pipeline.parse_text(MARKDOWN_DOC)
    assert rec.number == "45/KH-SGD&ĐT"
    assert rec.date == "2024-03-05"
    assert rec.place == "Hòa Bình"
    assert rec.issuer == "SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert rec.issuer_parent == "UBND TỈNH HÒA BÌNH"
    assert rec.doc_type == "Kế hoạch"
    assert rec.title == "Kiểm tra nội bộ năm 2024"
    assert [k for b in rec.legal_bases for k in b.keys()] == ["26/2019/TT-BGDĐT"]
    assert [i.label for i in rec.main_items()] == ["1", "2"]
    assert [r.text for r in rec.recipients] == ["Như trên", "Lưu: VT, TCCB, TTB, PC"]
    assert [(s.authority, s.title, s.position, s.name) for s in rec.signers] == [
        ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An")]
    assert "missing quốc hiệu" not in rec.warning_codes()


def test_markdown_heading_hash(vb):
    rec = pipeline.parse_text(vb.doc().replace("                        QUYẾT ĐỊNH\n", "# QUYẾT ĐỊNH\n", 1))
    _core(rec)


# ---------------------------------------------------------------------------
# §0.1-0.2, 0.8: NFD, look-alikes, NBSP, zero-width, soft hyphen, BOM, CRLF, tabs.

def _nfd(s):
    return unicodedata.normalize("NFD", s)


UNICODE = {
    "NFD document": lambda t: _nfd(t),
    "CRLF line ends": lambda t: t.replace("\n", "\r\n"),
    "leading BOM": lambda t: "\ufeff" + t,
    "NBSP in date line": lambda t: t.replace("Hòa Bình, ngày 05", "Hòa\u00a0Bình,\u00a0ngày\u00a005"),
    "zero-width in labels": lambda t: t.replace("Nơi nhận:", "Nơi\u200b nhận:").replace("Số:", "S\u200bố:"),
    "soft hyphen in title": lambda t: t.replace("kiểm tra nội bộ năm 2024\n", "kiể\u00adm tra nội bộ năm 2024\n", 1),
    "eth for Đ everywhere": lambda t: t.replace("Đ", "Ð"),
}


@pytest.mark.parametrize("name", list(UNICODE))
def test_unicode_normalisation(vb, name):
    rec = pipeline.parse_text(UNICODE[name](vb.doc()))
    _core(rec)


# ---------------------------------------------------------------------------
# record.py: provenance spans are offsets into Record.text, the source as given.

def _clean(s: str) -> str:
    s = unicodedata.normalize("NFC", s).replace("\u00d0", "Đ").replace("\u00ad", "").replace("\u200b", "")
    s = re.sub(r"[*\\#]|<[^>]+>", "", s)
    return " ".join(s.split())


SOURCES = {
    "plain": lambda vb: vb.doc(),
    "CRLF": lambda vb: vb.doc().replace("\n", "\r\n"),
    "NFD": lambda vb: _nfd(vb.doc()),
    "markdown": lambda vb: vb.doc(heading="**QUYẾT ĐỊNH**",
                                  left=("**UBND TỈNH HÒA BÌNH**", "**SỞ GIÁO DỤC VÀ ĐÀO TẠO**"),
                                  title=("**Về việc ban hành Kế hoạch**", "**kiểm tra nội bộ năm 2024**"),
                                  noi_nhan=(r"\- Như Điều 3;", r"\- UBND tỉnh (để b/c);", r"\- Lưu: VT, VP.")),
    "leading BOM and NBSP": lambda vb: "\ufeff" + vb.doc().replace("Hòa Bình, ngày", "Hòa\u00a0Bình, ngày"),
}


@pytest.mark.parametrize("name", list(SOURCES))
def test_spans_point_into_source(vb, name):
    rec = pipeline.parse_text(SOURCES[name](vb))
    n = len(rec.text)
    expected = {
        "number": "123/QĐ-SGDĐT", "date": "ngày 05 tháng 3 năm 2024", "place": "Hòa Bình",
        "doc_type": "QUYẾT ĐỊNH", "title": "Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024",
        "issuer": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "issuer_parent": "UBND TỈNH HÒA BÌNH",
    }
    for field, value in expected.items():
        assert field in rec.provenance, f"no provenance for {field}"
        span = rec.provenance[field].span
        assert span is not None and 0 <= span[0] < span[1] <= n, (field, span)
        assert value in _clean(rec.text[span[0]:span[1]]), (field, rec.text[span[0]:span[1]])
    for r in rec.recipients:
        a, b = r.span
        assert r.text in _clean(rec.text[a:b])
    for s in rec.signers:
        a, b = s.span
        assert s.name in _clean(rec.text[a:b])
    for lb in rec.legal_bases:
        a, b = lb.span
        assert _clean(rec.text[a:b]).startswith(lb.text[:20])
        for ref in lb.refs:
            assert ref.number in _clean(rec.text[ref.span[0]:ref.span[1]])
    for it in rec.items:
        a, b = it.span
        assert _clean(rec.text[a:b]).startswith(it.label)
    assert rec.recipients and rec.signers and rec.legal_bases and rec.items


# ---------------------------------------------------------------------------
# __init__.parse_many: a bad file gives a Record with warnings, never an exception.

def test_parse_many_never_raises(vb, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(256)) * 40)
    prose = tmp_path / "pho-bo.txt"
    prose.write_text("Cách nấu phở bò\n\nNguyên liệu gồm xương bò, bánh phở, hành tây và gừng nướng.\n"
                     "Ninh xương trong sáu giờ, nêm nước mắm cho vừa ăn rồi chan nước dùng lên bánh phở.\n",
                     encoding="utf-8")
    missing = tmp_path / "khong-co.txt"
    good = tmp_path / "qd-123.txt"
    good.write_text(vb.doc(), encoding="utf-8")

    paths = [empty, garbage, prose, str(missing), good]
    recs = list(pipeline.parse_many(paths))
    assert len(recs) == 5
    for p, rec in zip(paths, recs):
        assert isinstance(rec, pipeline.Record)
        assert rec.path == str(p)
    for rec in recs[:4]:
        assert rec.warnings, rec.path
        assert rec.number is None and rec.date is None
    assert "no header" in recs[2].warning_codes()
    _core(recs[4])


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02\xff" * 500, b"\xff\xfe", b"   \n\n\t  "],
                         ids=["empty", "binary", "bare BOM", "whitespace"])
def test_parse_bytes_never_raises(data):
    rec = pipeline.parse(data)
    assert isinstance(rec, pipeline.Record)
    assert rec.warnings


def test_long_line_does_not_hang(vb):
    rec = pipeline.parse_text("Căn cứ " + "Nghị định số 30/2020/NĐ-CP, " * 3000 + "\n" + "a" * 50000)
    assert isinstance(rec, pipeline.Record)


# ---------------------------------------------------------------------------
# ingest/text.py: encodings — UTF-8 BOM, UTF-16 LE/BE with BOM, Windows-1258.



ENCODINGS = {
    "utf-8 BOM": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "utf-16 LE BOM": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16 BE BOM": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "cp1258": encode_cp1258,
    "utf-8 CRLF": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_encodings(vb, name):
    data = ENCODINGS[name](vb.doc())
    rec = pipeline.parse(data)
    assert not rec.text.startswith("\ufeff")
    _core(rec)


@pytest.mark.parametrize("name", list(ENCODINGS))
def test_encodings_from_file(vb, tmp_path, name):
    p = tmp_path / "doc.txt"
    p.write_bytes(ENCODINGS[name](vb.doc()))
    (rec,) = list(pipeline.parse_many([p]))
    _core(rec)


# ---------------------------------------------------------------------------
# §2.13, §2.14, §8.8: several documents in one file — the record describes the
# first (the decision), not its attachment, appendix or copy block.

QUY_CHE = """

UBND TỈNH HÒA BÌNH                                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ GIÁO DỤC VÀ ĐÀO TẠO                              Độc lập - Tự do - Hạnh phúc

                        QUY CHẾ
                        Làm việc của Sở Giáo dục và Đào tạo tỉnh Hòa Bình
        (Ban hành kèm theo Quyết định số 123/QĐ-SGDĐT ngày 05 tháng 3 năm 2024 của Giám đốc Sở)

Chương I
QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Quy chế này quy định nguyên tắc, chế độ trách nhiệm, lề lối làm việc của Sở.
Điều 2. Đối tượng áp dụng
1. Lãnh đạo Sở, các phòng thuộc Sở.
2. Công chức, viên chức, người lao động của Sở.
"""

PHU_LUC = """

PHỤ LỤC I
DANH SÁCH CÁC ĐƠN VỊ ĐƯỢC KIỂM TRA
(Kèm theo Kế hoạch số      /KH-SGD&ĐT ngày   tháng   năm 2024 của Sở Giáo dục và Đào tạo)

1. Trường THPT Lạc Sơn
2. Trường THPT Công nghiệp
3. Trường THPT chuyên Hoàng Văn Thụ
"""

SAO_Y = """
──────────────────────────────────────────────
SỞ GIÁO DỤC VÀ ĐÀO TẠO                 SAO Y
VĂN PHÒNG                              Số: 12/SY-VP
                                       Hòa Bình, ngày 10 tháng 4 năm 2024
Nơi nhận:                              TL. GIÁM ĐỐC
- Các trường THPT;                     CHÁNH VĂN PHÒNG
- Lưu: VT.
                                       Hà Thị Thu
"""


def test_attached_regulation_does_not_replace_the_decision(vb):
    rec = vb.parse(tail=QUY_CHE)
    _core(rec)


def test_appendix_does_not_replace_the_plan(vb):
    rec = vb.parse(number="Số: 45/KH-SGD&ĐT", heading="KẾ HOẠCH", title=("Kiểm tra nội bộ năm 2024",),
                   authority=(), preamble=(), enact=None,
                   body=("I. MỤC ĐÍCH", "Nâng cao chất lượng công tác quản lý.",
                         "II. NỘI DUNG KIỂM TRA", "1. Kiểm tra hồ sơ chuyên môn.", "2. Kiểm tra hoạt động dạy học.",
                         "III. TỔ CHỨC THỰC HIỆN", "Văn phòng Sở chủ trì thực hiện./."),
                   tail=PHU_LUC)
    assert rec.number == "45/KH-SGD&ĐT"
    assert rec.doc_type == "Kế hoạch"
    assert rec.title == "Kiểm tra nội bộ năm 2024"
    assert [i.label for i in rec.main_items()] == ["1", "2"]
    assert [(s.authority, s.name) for s in rec.signers] == [("KT.", "Nguyễn Văn An")]
    assert [r.text for r in rec.recipients] == ["Như Điều 3", "UBND tỉnh", "Lưu: VT, VP"]


def test_copy_block_does_not_replace_number_and_date(vb):
    rec = vb.parse(tail=SAO_Y)
    assert rec.number == "123/QĐ-SGDĐT"
    assert rec.date == "2024-03-05"
    assert rec.place == "Hòa Bình"
    assert rec.doc_type == "Quyết định"


def test_copy_block_does_not_replace_signer_and_recipients(vb):
    """Spec §8.8: the SAO Y block after the document has its own Nơi nhận and
    signer; the document keeps its own, and the record says a copy follows."""
    plain = vb.parse()
    rec = vb.parse(tail=SAO_Y)
    assert [(s.authority, s.name) for s in rec.signers] == [(s.authority, s.name) for s in plain.signers]
    assert [r.text for r in rec.recipients] == [r.text for r in plain.recipients]
    assert any(w.startswith("several documents in one file: a copy block (SAO Y)") for w in rec.warnings)


def test_whole_document_on_one_line_is_restored():
    """A portal export with every line break lost: the header, type heading,
    title, authority line, bases and enacting formula are still found."""
    import pipeline
    flat = ("BỘ LAO ĐỘNG – THƯƠNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM BINH VÀ XÃ HỘI Độc lập – Tự do – Hạnh phúc "
            "Số: 23/2007/QĐ-BLĐTBXH Hà Nội, ngày 05 tháng 10 năm 2007 QUYẾT ĐỊNH BAN HÀNH HỆ THỐNG CHỈ TIÊU "
            "GIÁM SÁT GIẢM NGHÈO GIAI ĐOẠN 2006-2010 CỦA CẤP TỈNH BỘ TRƯỞNG BỘ LAO ĐỘNG – THƯƠNG BINH VÀ XÃ HỘI "
            "Căn cứ Nghị định số 29/2003/NĐ-CP ngày 31 tháng 3 năm 2003 của Chính phủ quy định chức năng của Bộ; "
            "Căn cứ Quyết định số 42/2002/QĐ-TTg ngày 19 tháng 3 năm 2002 của Thủ tướng Chính phủ; "
            "Xét đề nghị của Vụ trưởng Vụ Bảo trợ xã hội, QUYẾT ĐỊNH Điều 1. Ban hành kèm theo Quyết định này "
            "hệ thống chỉ tiêu. Điều 2. Quyết định này có hiệu lực sau 15 ngày.")
    rec = pipeline.parse_text(flat)
    assert rec.number == "23/2007/QĐ-BLĐTBXH"
    assert rec.date == "2007-10-05"
    assert rec.doc_type == "Quyết định"
    assert rec.title == "BAN HÀNH HỆ THỐNG CHỈ TIÊU GIÁM SÁT GIẢM NGHÈO GIAI ĐOẠN 2006-2010 CỦA CẤP TỈNH"
    assert [k for b in rec.legal_bases for k in b.keys()] == ["29/2003/NĐ-CP", "42/2002/QĐ-TTg",
                                                              "Vụ trưởng Vụ Bảo trợ xã hội"]
    for a, b in [rec.provenance["number"].span]:
        assert flat[a:b].startswith("Số")


def test_party_header_heading_and_title_on_one_paragraph_are_restored():
    """A DOCX paragraph holding the Party header, the number and date, the
    heading, the title and the first sentence (no `Căn cứ` to anchor on)."""
    import pipeline
    flat = ("BAN CHẤP HÀNH TRUNG ƯƠNG    ĐẢNG CỘNG SẢN VIỆT NAM\n\n* ĐẢNG CỘNG SẢN VIỆT NAM --------------- "
            "Số 221-KL/TW Hà Nội, ngày 28 tháng 11 năm 2025 KẾT LUẬN CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ TÌNH HÌNH "
            "HOẠT ĐỘNG CỦA CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP ----- Tại phiên họp ngày 28/11/2025, sau khi nghe Báo cáo "
            "của Ban Tổ chức Trung ương, Bộ Chính trị, Ban Bí thư kết luận như sau: 1. Cơ bản thống nhất với Báo cáo.")
    rec = pipeline.parse_text(flat)
    assert (rec.number, rec.date, rec.doc_type) == ("221-KL/TW", "2025-11-28", "Kết luận")
    assert rec.title == "CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ TÌNH HÌNH HOẠT ĐỘNG CỦA CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤP"


def test_flattened_header_wrapped_as_prose_is_restored():
    """The same flattened paragraph printed to PDF and wrapped at the page
    width: the date and the heading share a wrapped line; the footer, laid
    out in two columns below, is left as it is."""
    import pipeline
    text = ("BAN CHẤP HÀNH TRUNG ƯƠNG                 ĐẢNG CỘNG SẢN VIỆT NAM\n"
            "* ĐẢNG CỘNG SẢN VIỆT NAM --------------- Số 212-KL/TW *Hà Nội,\n"
            "ngày 18 tháng 11 năm 2025* KẾT LUẬN CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ\n"
            "VỀ ĐỊNH HƯỚNG PHÂN LOẠI ĐƠN VỊ HÀNH CHÍNH VÀ PHÂN LOẠI ĐÔ THỊ ----- Tại phiên\n"
            "họp ngày 14/11/2025, xem xét Tờ trình của Đảng uỷ Chính phủ về Đề án phân loại đô thị,\n"
            "Bộ Chính trị, Ban Bí thư kết luận như sau:\n"
            "1. Cơ bản nhất trí với Tờ trình của Đảng uỷ Chính phủ.\n"
            "2. Giao Đảng uỷ Chính phủ chỉ đạo hoàn thiện các văn bản pháp luật.\n"
            "Nơi nhận:\n"
            "- Các tỉnh uỷ, thành uỷ,\n"
            "- Lưu Văn phòng Trung ương Đảng.\n"
            "                                                   T/M BỘ CHÍNH TRỊ\n"
            "                                                     Trần Cẩm Tú\n")
    rec = pipeline.parse_text(text)
    assert (rec.number, rec.date, rec.doc_type) == ("212-KL/TW", "2025-11-18", "Kết luận")
    assert rec.title == "CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ VỀ ĐỊNH HƯỚNG PHÂN LOẠI ĐƠN VỊ HÀNH CHÍNH VÀ PHÂN LOẠI ĐÔ THỊ"
    assert [s.name for s in rec.signers] == ["Trần Cẩm Tú"]
    assert [r.text for r in rec.recipients] == ["Các tỉnh uỷ, thành uỷ", "Lưu Văn phòng Trung ương Đảng"]


def test_thuc_hien_task_under_the_heading_is_the_title(vb):
    rec = vb.parse(heading="KẾ HOẠCH", title=("Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI",
                                              "và bầu cử đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031"),
                   authority=(), enact=None, preamble=())
    assert rec.title == ("Thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và bầu cử đại biểu "
                         "Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031")
    assert rec.legal_bases == []


def test_upper_and_lower_letter_classes_do_not_overlap():
    """Capitals and lower-case letters as the patterns use them: every
    Vietnamese letter in exactly one class (a range like À-Ỹ holds both)."""
    import re
    from pipeline import patterns as P
    upper, lower = re.compile("[" + P.UPPER + "]"), re.compile("[" + P.LOWER + "]")
    letters = "aăâbcdđeêghiklmnoôơpqrstuưvxy" + "àáạảãầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ"
    for ch in letters:
        assert lower.fullmatch(ch) and not upper.fullmatch(ch), ch
        assert upper.fullmatch(ch.upper()) and not lower.fullmatch(ch.upper()), ch.upper()


NARROW = """{issuer}
-------
CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
{number}
*Hà Nội, ngày 03
tháng 12 năm 2025*
{heading}
VỀ VIỆC GIAO CHỈ TIÊU KẾ HOẠCH NĂM 2026
*Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;*
Điều 1. Giao chỉ tiêu kế hoạch năm 2026.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
"""

NARROW_CASES = [  # (issuer lines, number lines, heading lines, number, doc_type)
    ("THỦ\nTƯỚNG CHÍNH PHỦ", "Số: 2639/QĐ-TTg", "QUYẾT ĐỊNH", "2639/QĐ-TTg", "Quyết định"),
    ("BỘ CÔNG\nTHƯƠNG", "Số:\n58/2025/TT-BCT", "THÔNG\nTƯ", "58/2025/TT-BCT", "Thông tư"),
    ("ỦY BAN NHÂN\nDÂN\nTỈNH NGHỆ AN", "Số: 3783/QĐ-\nUBND", "QUYẾT\nĐỊNH", "3783/QĐ-UBND", "Quyết định"),
]


@pytest.mark.parametrize("issuer, number, heading, want_number, want_type", NARROW_CASES,
                         ids=[c[3] for c in NARROW_CASES])
def test_header_cells_wrapped_at_a_narrow_width(issuer, number, heading, want_number, want_type):
    """Portal copies wrap the header table's cells at a narrow width: a wrapped
    'THỦ / TƯỚNG' is not the heading THƯ, and a số và ký hiệu or a type heading
    cut over two lines is read whole."""
    rec = pipeline.parse_text(NARROW.format(issuer=issuer, number=number, heading=heading))
    assert (rec.number, rec.doc_type, rec.date) == (want_number, want_type, "2025-12-03")
    a, b = rec.provenance["number"].span
    assert rec.text[a:b].replace("\n", "").replace(" ", "").endswith(want_number)
