"""DOCX reader on documents the tests write themselves with python-docx: the
borderless two-column header and footer tables, paragraphs and tables in
document order, automatic numbering, page headers, and bad packages (not a
zip, zip bomb, entity declarations, truncated) that must give a warning."""

from __future__ import annotations

import io
import zipfile

import pytest

docx = pytest.importorskip("docx")

import pipeline
from pipeline.ingest import read, sniff
from pipeline.ingest.docx import read_docx, side_by_side


def _borderless(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    tblPr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblPr.append(borders)


def _cell(cell, lines, bold=False):
    cell.paragraphs[0].text = ""
    for k, line in enumerate(lines):
        p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
        run = p.add_run(line)
        run.bold = bold


def make_docx(*, header_text: str = "", numbered: bool = False, data_table: bool = False,
              footer_as_table: bool = True) -> bytes:
    d = docx.Document()
    if header_text:
        d.sections[0].header.paragraphs[0].text = header_text
    t = d.add_table(rows=2, cols=2)
    _borderless(t)
    _cell(t.cell(0, 0), ["ỦY BAN NHÂN DÂN", "TỈNH HÒA BÌNH", "", "Số: 1520/QĐ-UBND"], bold=True)
    _cell(t.cell(0, 1), ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
                         "Hòa Bình, ngày 14 tháng 8 năm 2024"])
    t.cell(1, 0).text = ""
    d.add_paragraph("")
    d.add_paragraph("QUYẾT ĐỊNH").runs[0].bold = True
    d.add_paragraph("Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh")
    d.add_paragraph("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH")
    d.add_paragraph("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;")
    d.add_paragraph("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;")
    d.add_paragraph("Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.")
    d.add_paragraph("QUYẾT ĐỊNH:")
    if numbered:
        for body in ("Ban hành kèm theo Quyết định này Quy chế làm việc.",
                     "Quyết định này có hiệu lực kể từ ngày ký.",
                     "Chánh Văn phòng và các cơ quan có liên quan chịu trách nhiệm thi hành./."):
            d.add_paragraph(body, style="List Number")
    else:
        d.add_paragraph("Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.")
        d.add_paragraph("Điều 2. Quyết định này có hiệu lực kể từ ngày ký.")
        d.add_paragraph("Điều 3. Chánh Văn phòng và các cơ quan có liên quan chịu trách nhiệm thi hành./.")
    if data_table:
        dt = d.add_table(rows=2, cols=3)
        for j, v in enumerate(("STT", "Nội dung", "Thời hạn")):
            dt.cell(0, j).text = v
        for j, v in enumerate(("1", "Rà soát quy chế", "Quý IV/2024")):
            dt.cell(1, j).text = v
    recip = ["Nơi nhận:", "- Như Điều 3;", "- Thường trực Tỉnh ủy (để b/c);", "- Lưu: VT, NC."]
    sign = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "", "(Đã ký)", "", "Bùi Văn Khánh"]
    if footer_as_table:
        f = d.add_table(rows=1, cols=2)
        _borderless(f)
        _cell(f.cell(0, 0), recip)
        _cell(f.cell(0, 1), sign, bold=True)
    else:
        for line in recip + sign:
            d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def parse_bytes(data: bytes, name: str = "doc.docx"):
    """A record for ``data`` read as if it were the file ``name``."""
    from pipeline.document import build_record
    return build_record(read(name, data))


def test_header_and_footer_tables_give_every_field():
    rec = parse_bytes(make_docx())
    assert rec.format == "docx" and rec.pages is None
    assert rec.doc_type == "Quyết định"
    assert rec.number == "1520/QĐ-UBND"
    assert rec.date == "2024-08-14" and rec.place == "Hòa Bình"
    assert rec.issuer == "TỈNH HÒA BÌNH" or rec.issuer == "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"
    assert rec.title == "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh"
    assert [r.text for r in rec.recipients] == ["Như Điều 3", "Thường trực Tỉnh ủy", "Lưu: VT, NC"]
    assert rec.signers and rec.signers[0].name == "Bùi Văn Khánh"
    assert rec.signers[0].authority == "KT." and rec.signers[0].position == "PHÓ CHỦ TỊCH"
    assert [lb.kind for lb in rec.legal_bases][:2] == ["căn cứ", "căn cứ"]
    assert rec.provenance["number"].method.startswith("docx+")


def test_header_table_is_laid_out_side_by_side_in_document_order():
    text = read_docx(make_docx(data_table=True), "x.docx").text
    lines = text.splitlines()
    first = lines[0]
    assert first.startswith("ỦY BAN NHÂN DÂN") and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert "   " in first.split("ỦY BAN NHÂN DÂN", 1)[1]            # a column gap, not one space
    assert any(ln.startswith("Số: 1520/QĐ-UBND") and ln.endswith("năm 2024") for ln in lines)
    # paragraphs and tables keep their order: the data table sits between Điều 3 and Nơi nhận
    i3 = text.index("Điều 3.")
    it = text.index("STT | Nội dung | Thời hạn")
    assert i3 < it < text.index("Nơi nhận:")
    assert "1 | Rà soát quy chế | Quý IV/2024" in text


def test_side_by_side_keeps_blank_rows_and_pads_columns():
    out = side_by_side([["A", "", "Số: 1"], ["CỘNG HÒA", "Độc lập", "", "Hà Nội, ngày 1"]])
    assert out[0] == "A".ljust(len("Số: 1")) + "    CỘNG HÒA"
    assert out[1].strip() == "Độc lập"
    assert out[2].startswith("Số: 1") and out[3].strip() == "Hà Nội, ngày 1"


def test_automatic_numbering_is_rendered():
    text = read_docx(make_docx(numbered=True), "x.docx").text
    assert "1. Ban hành kèm theo Quyết định này" in text
    assert "2. Quyết định này có hiệu lực" in text
    assert "3. Chánh Văn phòng" in text


def test_footer_as_paragraphs_still_gives_signer_and_recipients():
    rec = parse_bytes(make_docx(footer_as_table=False))
    assert rec.signers and rec.signers[0].name == "Bùi Văn Khánh"
    assert len(rec.recipients) == 3


def test_page_header_text_is_kept_but_page_numbers_are_not():
    assert read_docx(make_docx(header_text="DỰ THẢO"), "x.docx").text.startswith("DỰ THẢO\n")
    assert not read_docx(make_docx(header_text="12"), "x.docx").text.startswith("12")


def test_wrong_extension_still_parses_as_docx():
    data = make_docx()
    assert sniff(data, ".txt") == "docx"
    assert sniff(data, ".bin") == "docx"
    rec = parse_bytes(data, "scan-0001.txt")
    assert rec.format == "docx" and rec.number == "1520/QĐ-UBND"


def test_text_saved_under_a_docx_name_parses_as_text():
    assert sniff("Số: 12/QĐ-UBND\n".encode(), ".docx") == "txt"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", ".docx") == "html"


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


BAD = {
    "not a zip": (b"\x00\x01\x02garbage" * 50, "not a zip"),
    "empty": (b"", "not a zip"),
    "zip without document": (_zip({"hello.txt": b"hi"}), "no word/document.xml"),
    "zip bomb": (_zip({"word/document.xml": b"<w:document/>", "word/big.bin": b"\0" * 30_000_000}), "zip bomb"),
    "entity expansion": (_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml":
                               b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                               b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document>&lol2;</w:document>'}),
                         "DOCTYPE"),
    "entity declaration behind a long comment": (
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml":
              b'<?xml version="1.0"?><!--' + b" " * 100_000 + b'--><!DOCTYPE d [<!ENTITY a "b">]><w:document/>'}),
        "DOCTYPE"),
    "not a Word package": (_zip({"word/document.xml": b"<not-word/>"}), "unreadable DOCX"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_bad_docx_gives_a_warning_not_an_exception(name):
    data, expect = BAD[name]
    src = read_docx(data, "bad.docx")
    assert src.text == "" and src.format == "docx"
    assert any("unreadable DOCX" in w and expect in w for w in src.warnings), src.warnings


def test_truncated_docx_gives_a_warning_through_parse_many(tmp_path):
    good = make_docx()
    (tmp_path / "cut.docx").write_bytes(good[: len(good) // 2])
    (tmp_path / "junk.docx").write_bytes(b"\x00\xff" * 100)
    (tmp_path / "ok.docx").write_bytes(good)
    recs = list(pipeline.parse_many(sorted(tmp_path.glob("*.docx"))))
    assert len(recs) == 3
    by = {r.path.rsplit("/", 1)[-1]: r for r in recs}
    assert any("unreadable DOCX" in w for w in by["cut.docx"].warnings)
    assert any("unreadable DOCX" in w for w in by["junk.docx"].warnings)
    assert by["ok.docx"].number == "1520/QĐ-UBND"


# -- dev corpus floors (skipped without ../shared) ------------------------------------

from pathlib import Path  # noqa: E402

from pipeline.evaluate import evaluate, floors_check  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# measured on the 21 dev DOCX files: doc_type, number, date, place, issuer_parent 1.0 strict;
# issuer 0.952 strict / 1.0 soft; title 0.857 (3 misses: dev-0014 title opens with 'Thực hiện'
# and is taken for a legal basis; dev-0015/0023 renditions hold the heading inside one paragraph);
# signer 0.952; recipients F1 0.965; header 0.857
DOCX_FLOORS = {
    "doc_type.strict": 0.97, "number.strict": 0.97, "date.strict": 0.97, "place.strict": 0.97,
    "issuer.soft": 0.95, "issuer_parent.soft": 0.95, "title.soft": 0.85, "signer.soft": 0.95,
    "recipients.f1": 0.95, "legal_bases.f1": 0.93, "header": 0.8,
}


@pytest.mark.skipif(not (SHARED / "corpus" / "dev" / "gold.jsonl").exists(), reason="../shared is not beside the checkout")
def test_dev_docx_floors():
    dev = SHARED / "corpus" / "dev"
    report = evaluate(dev / "gold.jsonl", dev, formats=["docx"])
    assert report.count() >= 20
    assert not report.errors()
    assert floors_check(report, DOCX_FLOORS) == []


@pytest.mark.skipif(not (SHARED / "seeds" / "gold.jsonl").exists(), reason="../shared is not beside the checkout")
def test_seed_docx_renditions_match_their_gold():
    seeds = SHARED / "seeds"
    report = evaluate(seeds / "gold.jsonl", seeds, formats=["docx"])
    assert report.count() == 2 and not report.errors()
    assert report.header()[0] == 1.0
    assert floors_check(report, {"recipients.f1": 1.0, "signers.f1": 1.0, "legal_bases.f1": 1.0}) == []
