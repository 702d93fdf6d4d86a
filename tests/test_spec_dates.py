"""Địa danh và thời gian ban hành — spec §2.4, §8.1–8.3.

Value convention (GOLD_FORMAT): ``date`` ISO 8601 from the place-and-date line,
``2024-10`` when the day is blank; ``place`` the text before the comma, as
printed (no mapping of old/new names, tone placement or abbreviations).
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
# §2.4 table and place rules: the place as printed, the date in ISO.
#   (date line, date, place)

LINES = [
    ("Hòa Bình, ngày 05 tháng 3 năm 2024", "2024-03-05", "Hòa Bình"),
    ("Hà Nội, ngày 28 tháng 9 năm 2018", "2018-09-28", "Hà Nội"),
    ("Hà Nội, ngày 01 tháng 02 năm 2025", "2025-02-01", "Hà Nội"),
    ("Bà Rịa – Vũng Tàu, ngày 01 tháng 02 năm 2025", "2025-02-01", "Bà Rịa – Vũng Tàu"),
    ("Bà Rịa - Vũng Tàu, ngày 14 tháng 7 năm 2017", "2017-07-14", "Bà Rịa - Vũng Tàu"),
    ("Quận 1, ngày 05 tháng 3 năm 2024", "2024-03-05", "Quận 1"),
    ("TP. Hồ Chí Minh, ngày 15 tháng 10 năm 2024", "2024-10-15", "TP. Hồ Chí Minh"),
    ("Thành phố Hồ Chí Minh, ngày 15 tháng 10 năm 2024", "2024-10-15", "Thành phố Hồ Chí Minh"),
    ("Hoà Bình, ngày 05 tháng 3 năm 2024", "2024-03-05", "Hoà Bình"),          # old tone placement kept
    ("Thừa Thiên Huế, ngày 10 tháng 11 năm 2023", "2023-11-10", "Thừa Thiên Huế"),
    ("Đăk Nông, ngày 22 tháng 12 năm 2016", "2016-12-22", "Đăk Nông"),
    ("Phú Thọ, ngày 15 tháng 7 năm 2025", "2025-07-15", "Phú Thọ"),
    ("Đồng Tháp,\nngày 01 tháng 12 năm 2025", "2025-12-01", "Đồng Tháp"),   # wrapped after the comma
    ("*Đồng Tháp,\nngày 01 tháng 12 năm 2025*", "2025-12-01", "Đồng Tháp"),
    ("Đà Nẵng, ngày 01/4/2026", "2026-04-01", "Đà Nẵng"),                  # in figures, against the rule
    ("Huế, ngày 15.10.2025", "2025-10-15", "Huế"),
]


@pytest.mark.parametrize("line, date, place", LINES, ids=[_id(c[0]) for c in LINES])
def test_date_line_place_as_printed(vb, line, date, place):
    rec = vb.parse(date=line)
    assert rec.date == date
    assert rec.place == place


@pytest.mark.parametrize("line, date, place", LINES, ids=[_id(c[0]) for c in LINES])
def test_place_and_date_provenance_point_at_their_own_words(vb, line, date, place):
    """Provenance of place and date: each span covers its own words of the
    date line, not the whole line (the visual view highlights them apart)."""
    rec = vb.parse(date=line)
    a, b = rec.provenance["place"].span
    assert " ".join(rec.text[a:b].split()) == place
    a, b = rec.provenance["date"].span
    assert rec.text[a:b].lower().startswith("ngày") and rec.text[a:b].rstrip("*").endswith(date[:4])


def test_date_in_figures_is_read_with_a_conformance_warning(vb):
    rec = vb.parse(date="Đà Nẵng, ngày 01/4/2026")
    assert (rec.place, rec.date) == ("Đà Nẵng", "2026-04-01")
    assert any("in figures" in w for w in rec.warnings)
    assert not any("in figures" in w for w in vb.parse(date="Đà Nẵng, ngày 01 tháng 4 năm 2026").warnings)


def test_date_line_flattened_with_number(vb):
    """§2.4 table row 1 / §8.3: the Số line and the date line on one line, one space apart."""
    header = vb.columns([("UBND TỈNH HÒA BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                         ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Độc lập - Tự do - Hạnh phúc")])
    header += "\nSố: 123/QĐ-UBND Hòa Bình, ngày 05 tháng 3 năm 2024"
    rec = pipeline.parse_text(vb.doc(header=header))
    assert rec.number == "123/QĐ-UBND"
    assert rec.date == "2024-03-05"
    assert rec.place == "Hòa Bình"


# ---------------------------------------------------------------------------
# §2.4: days below 10 and months 1-2 take a leading zero, months 3-12 do not,
# but many documents write "tháng 03": parse the numbers, do not enforce the style.

ZEROS = [
    ("ngày 05 tháng 3 năm 2024", "2024-03-05"),
    ("ngày 05 tháng 03 năm 2024", "2024-03-05"),
    ("ngày 5 tháng 3 năm 2024", "2024-03-05"),
    ("ngày 1 tháng 2 năm 2025", "2025-02-01"),
    ("ngày 01 tháng 02 năm 2025", "2025-02-01"),
    ("ngày 9 tháng 12 năm 2023", "2023-12-09"),
    ("ngày 28 tháng 09 năm 2018", "2018-09-28"),
]


@pytest.mark.parametrize("words, date", ZEROS, ids=[_id(c[0]) for c in ZEROS])
def test_date_leading_zero_not_enforced(vb, words, date):
    rec = vb.parse(date=f"Hòa Bình, {words}")
    assert rec.date == date
    assert rec.place == "Hòa Bình"


# ---------------------------------------------------------------------------
# §2.4, §8.2: a blank day (draft, unregistered copy) gives year-month.

BLANK_DAY = [
    "Hòa Bình, ngày   tháng 10 năm 2024",
    "Hòa Bình, ngày      tháng 10 năm 2024",
    "Hòa Bình, ngày … tháng 10 năm 2024",
    "Hòa Bình, ngày ….. tháng 10 năm 2024",
    "Hòa Bình, ngày ... tháng 10 năm 2024",
    "Hòa Bình, ngày ___ tháng 10 năm 2024",
]


@pytest.mark.parametrize("line", BLANK_DAY, ids=_id)
def test_date_blank_day_gives_year_month(vb, line):
    rec = vb.parse(date=line, number="Số:      /QĐ-SGDĐT")
    assert rec.date == "2024-10"
    assert rec.place == "Hòa Bình"
    assert "blank day" in rec.warning_codes()


# ---------------------------------------------------------------------------
# §8.3: cells broken mid-phrase: "Hà Nội, ngày 28" / "tháng 9 năm 2018".

def test_date_broken_over_two_lines_in_right_column(vb):
    header = vb.columns([("BỘ Y TẾ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                         ("", "Độc lập - Tự do - Hạnh phúc"),
                         ("Số: 5868/QĐ-BYT", "Hà Nội, ngày 28"),
                         ("", "tháng 9 năm 2018")])
    rec = pipeline.parse_text(vb.doc(header=header))
    assert rec.date == "2018-09-28"
    assert rec.place == "Hà Nội"
    assert rec.number == "5868/QĐ-BYT"


def test_date_broken_over_two_lines_single_column(vb):
    """The thuvienphapluat export shape quoted in §2.4: ``Hà Nội, ngày 28\\n tháng 9 năm 2018``."""
    header = ("BỘ Y TẾ\n"
              "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "Độc lập - Tự do - Hạnh phúc\n"
              "Số: 5868/QĐ-BYT\n"
              "Hà Nội, ngày 28\n"
              " tháng 9 năm 2018")
    rec = pipeline.parse_text(vb.doc(header=header))
    assert rec.date == "2018-09-28"
    assert rec.place == "Hà Nội"
    assert rec.number == "5868/QĐ-BYT"
    assert rec.issuer == "BỘ Y TẾ"


# ---------------------------------------------------------------------------
# §0.5, §8.1: ASCII-only exports.

NO_DIACRITICS = [
    ("Ha Noi, ngay 05 thang 3 nam 2024", "2024-03-05", "Ha Noi"),
    ("Hoa Binh, ngay 09 thang 8 nam 2024", "2024-08-09", "Hoa Binh"),
    ("Hà Nội, ngay 05 thang 3 năm 2024", "2024-03-05", "Hà Nội"),
    ("Hoa Binh, ngay   thang 10 nam 2024", "2024-10", "Hoa Binh"),
]


@pytest.mark.parametrize("line, date, place", NO_DIACRITICS, ids=[_id(c[0]) for c in NO_DIACRITICS])
def test_date_without_diacritics(vb, line, date, place):
    rec = vb.parse(date=line)
    assert rec.date == date
    assert rec.place == place


# ---------------------------------------------------------------------------
# §2.4: validate 1 ≤ d ≤ 31, 1 ≤ m ≤ 12, 1945 ≤ year ≤ next year; never a
# full date that does not exist.

IMPOSSIBLE = [
    "Hòa Bình, ngày 32 tháng 3 năm 2024",
    "Hòa Bình, ngày 15 tháng 13 năm 2024",
    "Hòa Bình, ngày 30 tháng 02 năm 2024",
    "Hòa Bình, ngày 05 tháng 3 năm 2099",
]


@pytest.mark.parametrize("line", IMPOSSIBLE, ids=_id)
def test_date_out_of_range_is_not_a_full_date(vb, line):
    rec = vb.parse(date=line)
    assert rec.date is None or len(rec.date) < 10


# ---------------------------------------------------------------------------
# §2.4 zero-padding rule as a conformance warning: day < 10 and months 1-2
# need the zero; months 3-12 must not be flagged ("tháng 03" is tolerated).

@pytest.mark.parametrize("words", [
    "ngày 5 tháng 3 năm 2024",
    "ngày 01 tháng 2 năm 2025",
    "ngày 15 tháng 1 năm 2024",
    "ngày 9 tháng 12 năm 2023",
], ids=_id)
def test_warning_date_without_leading_zero(vb, words):
    rec = vb.parse(date=f"Hòa Bình, {words}")
    assert "date without leading zero" in rec.warning_codes()


@pytest.mark.parametrize("words", [
    "ngày 05 tháng 3 năm 2024",
    "ngày 05 tháng 03 năm 2024",
    "ngày 28 tháng 9 năm 2018",
    "ngày 01 tháng 02 năm 2025",
    "ngày 15 tháng 12 năm 2024",
], ids=_id)
def test_no_warning_for_padded_date(vb, words):
    rec = vb.parse(date=f"Hòa Bình, {words}")
    assert "date without leading zero" not in rec.warning_codes()


def test_warning_date_without_leading_zero_party(vb):
    """§5: Party documents follow the same zero-padding rule."""
    rec = vb.parse_party(date="Hà Nội, ngày 26 tháng 1 năm 2025")
    assert rec.date == "2025-01-26"
    assert "date without leading zero" in rec.warning_codes()


def test_vv_summary_above_the_date_line_is_not_the_place():
    """Column-by-column header: the V/v summary's last line stands right above
    '<place>, ngày …'; a place wrapped over lines is title case, a summary is not."""
    import pipeline
    text = ("BỘ TÀI CHÍNH\nCỤC THUẾ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 5331/CT-CS\nV/v:\nChính sách thuế TNCN\nHà Nội, ngày 19 tháng 11 năm 2025\n"
            "Kính gửi: Bà Trần Thị Thanh\nCục Thuế nhận được câu hỏi của độc giả về chính sách thuế.\n")
    rec = pipeline.parse_text(text)
    assert (rec.place, rec.date) == ("Hà Nội", "2025-11-19")
    assert (rec.doc_type, rec.title) == ("Công văn", "Chính sách thuế TNCN")
