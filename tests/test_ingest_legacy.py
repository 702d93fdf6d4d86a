"""Legacy TCVN3 (ABC) and VNI text: detection by character statistics and
conversion with the data-file tables, on bytes the tests make with the
tables' inverse; genuine UTF-8 and Windows-1258 text must never be taken
for legacy text."""

from __future__ import annotations

import unicodedata

import pytest

import pipeline
from pipeline.document import build_record
from pipeline.ingest import read
from pipeline.ingest.legacy import convert, encode, fix_legacy, restore_capitals, table
from pipeline.ingest.text import decode, encode_cp1258 as cp1258

DOC = """ỦY BAN NHÂN DÂN                         CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH BÌNH ĐỊNH                          Độc lập - Tự do - Hạnh phúc

Số: 4157/QĐ-UBND                        Bình Định, ngày 07 tháng 10 năm 2020

QUYẾT ĐỊNH
Về việc ban hành Kế hoạch phát triển thương mại điện tử tỉnh Bình Định

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 52/2013/NĐ-CP ngày 16 tháng 5 năm 2013 của Chính phủ về thương mại điện tử;
Theo đề nghị của Giám đốc Sở Công Thương.

QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển thương mại điện tử.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Công Thương chịu trách nhiệm thi hành./.

Nơi nhận:                               KT. CHỦ TỊCH
- Như Điều 3;                           PHÓ CHỦ TỊCH
- Lưu: VT, K1.
                                        Nguyễn Tự Công Hoàng
"""


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_tables_are_one_to_one_and_round_trip(name):
    tab = table(name)
    assert len(set(tab.values())) == len(tab)        # no two codes for one letter
    letters = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
    raw = encode(letters, name)
    assert convert(raw.decode("latin-1"), name) == letters
    assert convert(raw.decode("cp1252", errors="replace"), name) == letters


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_bytes_are_detected_and_converted(name):
    text, enc, warns = decode(encode(DOC, name))
    assert enc == name and warns == []
    if name == "vni":
        assert text == DOC
    else:  # TCVN3 capitals with tone marks come back as capitals thanks to restore_capitals
        assert text.lower() == DOC.lower()
        assert "QUYẾT ĐỊNH" in text and "ỦY BAN NHÂN DÂN" in text and "Số: 4157/QĐ-UBND" in text


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_file_parses_like_its_unicode_text(name, tmp_path):
    p = tmp_path / f"doc.{name}.txt"
    p.write_bytes(encode(DOC, name))
    rec = pipeline.parse(p)
    ref = pipeline.parse_text(DOC)
    assert rec.encoding == name
    assert rec.provenance["number"].method.startswith(name + "+")
    for f in ("doc_type", "number", "date", "place", "issuer", "title"):
        assert getattr(rec, f) == getattr(ref, f), f
    assert [s.name for s in rec.signers] == ["Nguyễn Tự Công Hoàng"]
    assert [r.text for r in rec.recipients] == [r.text for r in ref.recipients]


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_codes_saved_as_utf8_are_converted(name):
    # legacy text that was read as Windows-1252 once and saved as UTF-8
    data = encode(DOC, name).decode("cp1252", errors="replace").encode("utf-8")
    text, enc, _ = decode(data)
    assert enc == f"utf-8+{name}"
    assert text.lower() == DOC.lower()


def test_fix_legacy_on_a_pdf_text_layer_line():
    assert fix_legacy("Céng hoµ x· héi chñ nghÜa ViÖt Nam") == ("Cộng hoà xã hội chủ nghĩa Việt Nam", "tcvn3")
    assert fix_legacy("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")[1] == "vni"


@pytest.mark.parametrize("text", [
    DOC,
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "Hà Nội, ngày 05 tháng 3 năm 2024",
    "Café crème brûlée à la française, élève très âgé",   # Western European Latin-1 text
    "ASCII only text, no diacritics at all: Cong hoa xa hoi chu nghia Viet Nam",
    "",
])
def test_genuine_text_is_left_alone(text):
    assert fix_legacy(text) == (text, None)
    t, enc, _ = decode(text.encode("utf-8"))
    assert enc == "utf-8" and t == text


def test_windows_1258_is_not_taken_for_legacy():
    text, enc, _ = decode(cp1258(DOC))
    assert enc == "cp1258"
    assert nfc(text) == DOC


def test_restore_capitals_keeps_title_case_and_the_number_line():
    assert restore_capitals("QUYếT ĐịNH") == "QUYẾT ĐỊNH"
    assert restore_capitals("ủY BAN NHÂN DÂN") == "ỦY BAN NHÂN DÂN"
    assert restore_capitals("Hà Nội, ngày 05 tháng 3") == "Hà Nội, ngày 05 tháng 3"
    assert restore_capitals("Số: 12/QĐ-UBND") == "Số: 12/QĐ-UBND"
    assert restore_capitals("Sở GIáO DụC   Hà Nội, ngày 1") == "SỞ GIÁO DỤC   Hà Nội, ngày 1"


def test_read_names_the_conversion_in_the_source(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(encode(DOC, "vni"))
    src = read(p)
    assert src.method == "vni" and src.encoding == "vni" and src.format == "txt"
    rec = build_record(src)
    assert rec.number == "4157/QĐ-UBND"


# -- dev corpus floors (skipped without ../shared) ------------------------------------

from pathlib import Path  # noqa: E402

from pipeline.evaluate import evaluate, floors_check  # noqa: E402

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"

# measured: the 6 TCVN3 and 6 VNI files score exactly as their Unicode originals
# (header 6/6; title strict 5/6 in both, as in the original)
LEGACY_FLOORS = {
    "doc_type.strict": 0.95, "number.strict": 0.95, "date.strict": 0.95, "place.strict": 0.95,
    "issuer.soft": 0.95, "title.soft": 0.95, "signer.soft": 0.95, "recipients.f1": 0.95, "header": 0.95,
}


@pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason="../shared is not beside the checkout")
@pytest.mark.parametrize("fmt", ["tcvn3", "vni"])
def test_dev_legacy_floors(fmt):
    report = evaluate(DEV / "gold.jsonl", DEV, formats=[fmt])
    assert report.count() == 6 and not report.errors()
    assert all(d.file.startswith("legacy/") for d in report.docs)
    assert floors_check(report, LEGACY_FLOORS) == []


@pytest.mark.skipif(not (DEV / "gold.jsonl").exists(), reason="../shared is not beside the checkout")
def test_no_dev_text_is_taken_for_legacy():
    for p in sorted((DEV / "txt").glob("*.txt")) + sorted((DEV / "md").glob("*.md")):
        data = p.read_bytes()
        assert decode(data)[1] == "utf-8", p.name
        assert decode(cp1258(data.decode("utf-8")))[1] == "cp1258", p.name
