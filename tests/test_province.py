"""Place names across the 2025 province merger (spec §10): province_2025,
issuer rewriting and the dated lookup."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

import pipeline
from pipeline.extract import province as P

# spec §10.2, OLD_TO_NEW_2025: the 29 provinces that disappeared (+ Thừa Thiên Huế)
SPEC_OLD_TO_NEW = {
    "Hà Giang": "Tuyên Quang", "Yên Bái": "Lào Cai", "Bắc Kạn": "Thái Nguyên", "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ", "Bắc Giang": "Bắc Ninh", "Thái Bình": "Hưng Yên", "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình", "Nam Định": "Ninh Bình", "Quảng Bình": "Quảng Trị", "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi", "Bình Định": "Gia Lai", "Ninh Thuận": "Khánh Hòa", "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng", "Phú Yên": "Đắk Lắk", "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh", "Bình Phước": "Đồng Nai", "Long An": "Tây Ninh",
    "Sóc Trăng": "Cần Thơ", "Hậu Giang": "Cần Thơ", "Bến Tre": "Vĩnh Long", "Trà Vinh": "Vĩnh Long",
    "Tiền Giang": "Đồng Tháp", "Bạc Liêu": "Cà Mau", "Kiên Giang": "An Giang", "Thừa Thiên Huế": "Huế",
}
# spec §10.2 rows 24-34: unchanged units
UNCHANGED = ["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
             "Nghệ An", "Hà Tĩnh", "Cao Bằng"]


# towns, districts and new communes come from underthesea.address (underthesea ≥ 9)
needs_units = pytest.mark.skipif(not P._admin_units()[0], reason="underthesea.address is not available")


def test_the_issue_cases():
    assert P.province_2025("Hòa Bình") == "Phú Thọ"
    assert P.province_2025("Đăk Nông") == "Lâm Đồng"
    assert P.province_2025("Đắk Nông") == "Lâm Đồng"
    assert P.province_2025("Hà Nội") == "Hà Nội"


@pytest.mark.parametrize("old,new", sorted(SPEC_OLD_TO_NEW.items()))
def test_spec_old_to_new(old, new):
    assert P.province_2025(old) == new


@pytest.mark.parametrize("name", sorted({*SPEC_OLD_TO_NEW.values(), *UNCHANGED}))
def test_the_34_units_map_to_themselves(name):
    assert P.province_2025(name) == name


def test_table_has_34_units_and_63_old_provinces():
    t = P.table()
    assert len(t.units) == 34
    old = {p.name for p in t.by_key.values() if p.until is None or p.until == "2025-06-30"}
    assert len(old) == 63  # the 63 units of 06/2025 (Huế had replaced Thừa Thiên Huế on 01/01/2025)
    types = [u.type for u in t.units.values()]
    assert types.count("thành phố") == 6 and types.count("tỉnh") == 28  # spec §10.2, 07/2025


@pytest.mark.parametrize("place,new", [
    ("Hoà Bình", "Phú Thọ"), ("HÒA BÌNH", "Phú Thọ"), ("Khánh Hoà", "Khánh Hòa"), ("Thanh Hoá", "Thanh Hóa"),
    ("Bà Rịa–Vũng Tàu", "Hồ Chí Minh"), ("Bà Rịa-Vũng Tàu", "Hồ Chí Minh"), ("Kontum", "Quảng Ngãi"),
    ("Thừa Thiên - Huế", "Huế"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"), ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
    ("Tp.HCM", "Hồ Chí Minh"), ("Tỉnh Bắc Giang", "Bắc Ninh"), ("Bắc Cạn", "Thái Nguyên"),
    ("Ha Noi", "Hà Nội"), ("Dak Nong", "Lâm Đồng"),
])
def test_variant_spellings(place, new):
    assert P.province_2025(place) == new


@pytest.mark.parametrize("place,new", [
    ("Buôn Ma Thuột", "Đắk Lắk"), ("Đà Lạt", "Lâm Đồng"), ("Tam Kỳ", "Đà Nẵng"), ("Vĩnh Yên", "Phú Thọ"),
    ("Pleiku", "Gia Lai"), ("Phan Rang-Tháp Chàm", "Khánh Hòa"), ("Long Xuyên", "An Giang"),
    ("Vị Thanh", "Cần Thơ"), ("Cao Lộc", "Lạng Sơn"), ("Quận 1", "Hồ Chí Minh"),
    ("Thành phố Nha Trang", "Khánh Hòa"), ("Tịnh Biên", "An Giang"), ("Xuân Lộc", "Đồng Nai"),
])
@needs_units
def test_towns_and_districts_through_underthesea(place, new):
    assert P.province_2025(place) == new
    assert P.resolve(place).tier == "district"


@pytest.mark.parametrize("place", ["Châu Thành", "Lương Minh", "Xyz", "", None, "   ", float("nan")])
def test_unknown_or_ambiguous_gives_none(place):
    assert P.province_2025(place) is None


@needs_units
def test_new_commune_names_only_after_the_merger():
    # "Hạc Thành" is a phường of Thanh Hóa created on 01/07/2025 (no older unit had the name)
    hit = P.resolve("Phường Hạc Thành", "2025-09-01")
    assert hit.tier == "commune" and hit.unit_2025 == "Thanh Hóa"
    assert P.province_2025("Hạc Thành") == "Thanh Hóa"      # undated: allowed
    assert P.resolve("Hạc Thành", "2024-01-01") is None      # dated before the merger: not a place yet
    assert P.province_2025("Lương Minh", "2025-09-01") is None  # a xã in Nghệ An and in Quảng Ninh


@needs_units
def test_province_on_a_date():
    assert P.province_on("Hòa Bình", "2024-05-01") == "Hòa Bình"
    assert P.province_on("Hòa Bình", "2025-06-30") == "Hòa Bình"
    assert P.province_on("Hòa Bình", "2025-07-01") == "Phú Thọ"
    assert P.province_on("Vĩnh Yên", "2024-05-01") == "Vĩnh Phúc"
    assert P.province_on("Vĩnh Yên", "2025-08-01") == "Phú Thọ"
    assert P.province_on("Thừa Thiên Huế", "2024-12-31") == "Thừa Thiên Huế"
    assert P.province_on("Thừa Thiên Huế", "2025-01-01") == "Huế"
    assert P.province_on("Hà Tây", "2008-01-01") == "Hà Tây"
    assert P.province_on("Hà Tây", "2010-01-01") == "Hà Nội"
    assert P.province_on("Hà Nội", "2001-01-01") == "Hà Nội"


@pytest.mark.parametrize("issuer,new,unit", [
    ("UBND TỈNH HÒA BÌNH", "UBND TỈNH PHÚ THỌ", "Phú Thọ"),
    ("ỦY BAN NHÂN DÂN TỈNH ĐĂK NÔNG", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "Lâm Đồng"),
    ("ỦY BAN NHÂN DÂN TỈNH HẢI DƯƠNG", "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG", "Hải Phòng"),
    ("Tỉnh ủy Hải Dương", "Thành ủy Hải Phòng", "Hải Phòng"),
    ("UBND TỈNH THỪA THIÊN HUẾ", "UBND THÀNH PHỐ HUẾ", "Huế"),
    ("Sở Giáo dục và Đào tạo tỉnh Bình Thuận", "Sở Giáo dục và Đào tạo tỉnh Lâm Đồng", "Lâm Đồng"),
    ("ĐẢNG BỘ TỈNH BÀ RỊA - VŨNG TÀU", "ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH", "Hồ Chí Minh"),
    ("UBND TỈNH THANH HÓA", "UBND TỈNH THANH HÓA", "Thanh Hóa"),
    ("UBND THÀNH PHỐ HÀ NỘI", "UBND THÀNH PHỐ HÀ NỘI", "Hà Nội"),
    ("UBND THÀNH PHỐ ĐÀ LẠT", "UBND THÀNH PHỐ ĐÀ LẠT", "Lâm Đồng"),  # a district-level city: not rewritten
    ("UBND HUYỆN TỊNH BIÊN", "UBND HUYỆN TỊNH BIÊN", None),      # "Tịnh" is not "tỉnh"
    ("BỘ Y TẾ", "BỘ Y TẾ", None),
])
def test_issuer_names(issuer, new, unit):
    assert P.issuer_2025(issuer) == new
    assert P.issuer_province(issuer) == unit


def test_missing_issuer_values_pass_through():
    nan = float("nan")
    assert P.issuer_2025(None) is None and P.issuer_2025(nan) is nan and P.issuer_province(nan) is None


def test_no_two_names_fold_alike():
    # table() raises when two different provinces share a folded key
    raw = yaml.safe_load(resources.files("pipeline.data").joinpath("provinces.yaml").read_text(encoding="utf-8"))
    names = [u["name"] for u in raw["units"]] + [m for u in raw["units"] for m in u.get("merged") or []]
    assert len({P.key(n) for n in names}) == len(names) == 63


# -- on the record -------------------------------------------------------

def test_record_keeps_place_and_derives_province(vb):
    rec = vb.parse()  # UBND TỈNH HÒA BÌNH, dated "Hòa Bình, ngày …"
    assert rec.place == "Hòa Bình"
    assert rec.province_2025 == "Phú Thọ"
    p = rec.provenance["province_2025"]
    assert p.method == "derived" and p.span == rec.provenance["place"].span
    assert "province_2025" in rec.to_dict()


def test_record_from_the_issuer_when_the_place_is_unknown(vb):
    rec = vb.parse(left=["UBND TỈNH ĐẮK NÔNG", "SỞ TÀI CHÍNH"], date="Gia Nghĩa Xyz, ngày 05 tháng 3 năm 2024")
    assert rec.province_2025 == "Lâm Đồng"
    s, e = rec.provenance["province_2025"].span
    assert "ĐẮK NÔNG" in rec.text[s:e]


@needs_units
def test_a_district_named_like_another_province(vb):
    # spec §10.2: "Hòa Bình" is also a district of Bạc Liêu; the issuer tells which
    rec = vb.parse(left=["UBND TỈNH BẠC LIÊU", "UBND HUYỆN HÒA BÌNH"], date="Hòa Bình, ngày 05 tháng 3 năm 2024")
    assert rec.place == "Hòa Bình" and rec.province_2025 == "Cà Mau"


def test_record_without_place_or_province(vb):
    rec = vb.parse(left=["BỘ Y TẾ"], date="ngày 05 tháng 3 năm 2024")
    assert rec.province_2025 is None and "province_2025" not in rec.provenance


def test_empty_document():
    rec = pipeline.parse_text("")
    assert rec.province_2025 is None
