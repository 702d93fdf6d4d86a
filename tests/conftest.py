"""Shared helpers for the spec tests (tests/test_spec_*.py).

``vb`` builds small but realistic Decree 30 documents as plain text, laid out
the way ``pdftotext -layout`` prints them: the two-column header (issuer left,
quốc hiệu right, ``Số`` and the date line on one row) and the two-column footer
(``Nơi nhận`` left, signature right) separated by a wide gap of spaces.

Every piece can be replaced, so a test only spells out what its rule is about:

    rec = vb.parse(number="Số: 45/KH-SGDĐT", heading="KẾ HOẠCH")
    text = vb.doc(left=["BỘ Y TẾ"], date="Hà Nội, ngày 01 tháng 02 năm 2025")
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Optional, Sequence

import pytest

import pipeline

GAP = 52  # column where the right column starts

DEFAULT_LEFT = ("UBND TỈNH HÒA BÌNH", "SỞ GIÁO DỤC VÀ ĐÀO TẠO")
DEFAULT_RIGHT = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DEFAULT_PREAMBLE = (
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
    "Căn cứ Quyết định số 15/2021/QĐ-UBND ngày 20 tháng 4 năm 2021 của Ủy ban nhân dân tỉnh Hòa Bình "
    "quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Giáo dục và Đào tạo;",
    "Theo đề nghị của Chánh Văn phòng Sở.",
)
DEFAULT_BODY = (
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra nội bộ năm 2024.",
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
    "Điều 3. Chánh Văn phòng, Trưởng các phòng thuộc Sở chịu trách nhiệm thi hành Quyết định này./.",
)
DEFAULT_NOI_NHAN = ("- Như Điều 3;", "- UBND tỉnh (để b/c);", "- Lưu: VT, VP.")
DEFAULT_SIGN = ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "(Đã ký)", "", "Nguyễn Văn An")

_UNSET = object()


def columns(rows: Sequence[tuple[str, str]], gap: int = GAP) -> str:
    """Lay out (left, right) rows as two columns separated by spaces."""
    out = []
    for left, right in rows:
        left = left or ""
        right = right or ""
        if right:
            pad = max(4, gap - len(left))
            out.append(left + " " * pad + right)
        else:
            out.append(left)
    return "\n".join(out)


def centred(lines: Sequence[str], indent: int = 20) -> str:
    return "\n".join((" " * indent + ln) if ln else "" for ln in lines)


class Builder:
    """Builds document text; see the module docstring."""

    columns = staticmethod(columns)
    centred = staticmethod(centred)

    def header(self, left=DEFAULT_LEFT, right=DEFAULT_RIGHT,
               number: Optional[str] = "Số: 123/QĐ-SGDĐT",
               date: Optional[str] = "Hòa Bình, ngày 05 tháng 3 năm 2024",
               vv: Sequence[str] = (), marks: Sequence[str] = ()) -> str:
        rows = list(zip_longest(left, right, fillvalue=""))
        if number is not None or date is not None:
            rows.append((number or "", date or ""))
        rows += [(m, "") for m in marks]
        rows += [(v, "") for v in vv]
        return columns(rows)

    def footer(self, noi_nhan=DEFAULT_NOI_NHAN, sign=DEFAULT_SIGN, label: str = "Nơi nhận:") -> str:
        left = [label, *noi_nhan] if noi_nhan is not None else []
        return columns(list(zip_longest(left, sign, fillvalue="")))

    def doc(self, *, header: Optional[str] = None, left=DEFAULT_LEFT, right=DEFAULT_RIGHT,
            number: Optional[str] = "Số: 123/QĐ-SGDĐT",
            date: Optional[str] = "Hòa Bình, ngày 05 tháng 3 năm 2024",
            vv: Sequence[str] = (), marks: Sequence[str] = (),
            heading: Optional[str] = "QUYẾT ĐỊNH",
            title: Sequence[str] = ("Về việc ban hành Kế hoạch kiểm tra nội bộ năm 2024",),
            authority: Sequence[str] = ("GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO",),
            kinh_gui: Sequence[str] = (),
            preamble: Sequence[str] = DEFAULT_PREAMBLE,
            enact: Optional[str] = "QUYẾT ĐỊNH:",
            body: Sequence[str] = DEFAULT_BODY,
            footer: Optional[str] = None,
            noi_nhan=DEFAULT_NOI_NHAN, sign=DEFAULT_SIGN, tail: str = "") -> str:
        parts = []
        parts.append(header if header is not None else
                     self.header(left, right, number, date, vv, marks))
        parts.append("")
        if heading:
            parts.append(centred([heading, *title], 24))
            if authority:
                parts.append("")
                parts.append(centred(authority, 12))
            parts.append("")
        if kinh_gui:
            parts.append(centred([kinh_gui[0]], 12))
            parts.extend(" " * 22 + k for k in kinh_gui[1:])
            parts.append("")
        parts.extend(preamble)
        if enact:
            parts.append(centred([enact], 28))
        parts.extend(body)
        parts.append("")
        parts.append(footer if footer is not None else self.footer(noi_nhan, sign))
        if tail:
            parts.append(tail)
        return "\n".join(parts) + "\n"

    def cong_van(self, **kw) -> str:
        """A công văn: V/v under the number, Kính gửi, body, unprefixed signer."""
        base = dict(
            number="Số: 1441/SGDĐT-GDTrH", date="Hòa Bình, ngày 09 tháng 8 năm 2024",
            vv=("V/v triển khai nhiệm vụ năm học", "2024-2025"), heading=None, title=(), authority=(),
            kinh_gui=("Kính gửi: Các trường trung học phổ thông.",), preamble=(), enact=None,
            body=("Thực hiện Chỉ thị số 03/CT-BGDĐT ngày 10 tháng 7 năm 2024 của Bộ Giáo dục và Đào tạo, "
                  "Sở Giáo dục và Đào tạo hướng dẫn các trường triển khai nhiệm vụ năm học 2024-2025 như sau:",
                  "1. Rà soát kế hoạch giáo dục của nhà trường.",
                  "2. Báo cáo kết quả về Sở trước ngày 30 tháng 9 năm 2024.",
                  "Đề nghị các đơn vị nghiêm túc thực hiện./."),
            noi_nhan=("- Như trên;", "- Lưu: VT, GDTrH."),
            sign=("GIÁM ĐỐC", "", "(Đã ký)", "", "Trần Văn Bình"),
        )
        base.update(kw)
        return self.doc(**base)

    def party(self, **kw) -> str:
        """A Party document (spec §5): ĐẢNG CỘNG SẢN VIỆT NAM top right, ``*``
        under the issuer, ``Số NN-TYPE/ORG`` without a colon, ``T/M`` signer."""
        base = dict(
            left=("TỈNH ỦY HÒA BÌNH", "*"), right=("ĐẢNG CỘNG SẢN VIỆT NAM",),
            number="Số 15-NQ/TU", date="Hòa Bình, ngày 26 tháng 01 năm 2025",
            heading="NGHỊ QUYẾT", title=("về phát triển giáo dục và đào tạo giai đoạn 2025 - 2030",),
            authority=(), preamble=(), enact=None,
            body=("I. TÌNH HÌNH",
                  "Những năm qua, công tác giáo dục và đào tạo của tỉnh đạt nhiều kết quả quan trọng.",
                  "II. NHIỆM VỤ, GIẢI PHÁP",
                  "Một là, nâng cao chất lượng đội ngũ nhà giáo và cán bộ quản lý.",
                  "Hai là, đầu tư cơ sở vật chất trường lớp theo hướng chuẩn hóa.",
                  "Ba là, đẩy mạnh chuyển đổi số trong giáo dục./."),
            noi_nhan=("- Các đảng ủy trực thuộc Tỉnh ủy;", "- Lưu Văn phòng Tỉnh ủy."),
            sign=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", "", "Nguyễn Văn Dũng"),
        )
        base.update(kw)
        return self.doc(**base)

    def parse_party(self, **kw) -> pipeline.Record:
        return pipeline.parse_text(self.party(**kw))

    def parse(self, **kw) -> pipeline.Record:
        return pipeline.parse_text(self.doc(**kw))

    def parse_cong_van(self, **kw) -> pipeline.Record:
        return pipeline.parse_text(self.cong_van(**kw))


@pytest.fixture
def vb() -> Builder:
    return Builder()


# Spec cases the parser does not meet yet (issue 3 is open).  Each stays a
# strict xfail: the suite fails as soon as one starts passing, so the entry
# must then be removed.  Fix the parser, not the expectation.
KNOWN_GAPS = {
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid in KNOWN_GAPS:
            item.add_marker(pytest.mark.xfail(strict=True, reason="known parser gap, issue 3 open"))
