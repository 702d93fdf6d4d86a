"""HTML reader on pages the tests write: a portal page with page chrome around
the document, borderless header/footer tables, a data table, whitespace
artefacts, Windows-1258 and legacy-font pages, and hostile input."""

from __future__ import annotations

import pytest

import pipeline
from pipeline.document import build_record
from pipeline.ingest import read, sniff
from pipeline.ingest.html import read_html
from pipeline.ingest.legacy import encode

DOC = """
<table border="0" cellpadding="0"><tr>
 <td width="35%"><p align="center"><b>ỦY BAN NHÂN DÂN<br>TỈNH HÒA BÌNH</b></p><p align="center">-------</p></td>
 <td><p align="center"><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</b></p>
     <p align="center">---------------</p></td></tr>
<tr><td><p align="center">Số:&nbsp;1520/QĐ-UBND</p></td>
    <td><p align="right"><i>Hòa Bình, ngày 14 tháng 8
    năm 2024</i></p></td></tr></table>
<p>&nbsp;</p>
<p align="center"><b>QUYẾT ĐỊNH</b></p>
<p align="center"><b>Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh</b></p>
<p align="center"><b>CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH</b></p>
<p>Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6\r\n\n   năm 2015;</p>
<p>Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;</p>
<p>Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.</p>
<p align="center"><b>QUYẾT ĐỊNH:</b></p>
<p><b>Điều 1.</b> Ban hành kèm theo Quyết định này Quy chế làm việc của SGD&amp;ĐT.</p>
<p><b>Điều 2.</b> Quyết định này có hiệu lực kể từ ngày ký.</p>
<table border="1"><tr><th>STT</th><th>Nội dung</th><th>Thời hạn</th></tr>
<tr><td>1</td><td>Rà soát quy chế</td><td>Quý IV/2024</td></tr></table>
<p><b>Điều 3.</b> Chánh Văn phòng và các cơ quan có liên quan chịu trách nhiệm thi hành./.</p>
<table><tr><td valign="top"><p><b><i>Nơi nhận:</i></b><br>- Như Điều 3;<br>- Thường trực Tỉnh ủy (để b/c);<br>- Lưu: VT, NC.</p></td>
<td><p align="center"><b>KT. CHỦ TỊCH<br>PHÓ CHỦ TỊCH<br><br><br><br>Bùi Văn Khánh</b></p></td></tr></table>
"""


def page(doc: str = DOC, charset: str = "utf-8", content_id: str = "toanvancontent") -> str:
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>Quyết định 1520/QĐ-UBND</title><script>var q = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";</script>
<style>p {{ margin: 0 }}</style></head><body>
<div class="header"><ul class="menu"><li><a href="/">Trang chủ</a></li><li>Văn bản pháp luật</li></ul></div>
<form><input name="q"><button>Tìm kiếm</button></form>
<div id="{content_id}">{doc}</div>
<div class="footer">Bản quyền © Cổng thông tin điện tử. Nơi nhận phản ánh: 0123</div></body></html>"""


def parse_html(html: bytes, name: str = "page.html"):
    return build_record(read(name, html))


def check(rec):
    assert rec.format == "html"
    assert rec.doc_type == "Quyết định"
    assert rec.number == "1520/QĐ-UBND"
    assert rec.date == "2024-08-14" and rec.place == "Hòa Bình"
    assert rec.issuer == "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH"
    assert rec.title == "Về việc ban hành Quy chế làm việc của Ủy ban nhân dân tỉnh"
    assert [r.text for r in rec.recipients] == ["Như Điều 3", "Thường trực Tỉnh ủy", "Lưu: VT, NC"]
    assert rec.signers and rec.signers[0].name == "Bùi Văn Khánh" and rec.signers[0].authority == "KT."
    assert len(rec.legal_bases) >= 2


def test_portal_page_gives_every_field():
    rec = parse_html(page().encode("utf-8"))
    check(rec)
    assert rec.provenance["number"].method.startswith("html+")


def test_page_chrome_is_left_out_and_tables_are_flattened():
    text = read_html(page().encode("utf-8"), "p.html").text
    for chrome in ("Trang chủ", "Tìm kiếm", "Bản quyền", "var q", "margin"):
        assert chrome not in text
    lines = text.splitlines()
    assert lines[0].startswith("ỦY BAN NHÂN DÂN") and "    CỘNG HÒA XÃ HỘI" in lines[0]
    assert any(ln.startswith("Số: 1520/QĐ-UBND") and ln.endswith("Hòa Bình, ngày 14 tháng 8 năm 2024")
               for ln in lines)  # \r\n\n inside a cell collapsed
    assert "STT | Nội dung | Thời hạn" in lines and "1 | Rà soát quy chế | Quý IV/2024" in lines
    assert "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;" in lines
    assert "SGD&ĐT" in text and "&amp;" not in text
    assert lines.index("STT | Nội dung | Thời hạn") < next(i for i, ln in enumerate(lines) if ln.startswith("Điều 3."))


def test_unknown_layout_found_by_its_anchors():
    rec = parse_html(page(content_id="main-box-xyz").encode("utf-8"))
    check(rec)
    assert "Bản quyền" not in rec.text


def test_word_processor_html_without_portal():
    html = f"<html><body>{DOC}</body></html>".encode("utf-8")
    assert sniff(html, ".txt") == "html" and sniff(html, "") == "html"
    check(parse_html(html, "saved.txt"))


def test_windows_1258_page():
    # Windows-1258 writes most toned letters as base + combining mark
    import unicodedata
    out = bytearray()
    for ch in unicodedata.normalize("NFC", page(charset="windows-1258")):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            out += (base + tones).encode("cp1258")
    rec = parse_html(bytes(out))
    assert rec.encoding == "windows-1258"
    check(rec)


@pytest.mark.parametrize("name", ["tcvn3", "vni"])
def test_legacy_font_page_is_converted(name):
    # an old page set in .VnTime / VNI-Times: the legacy bytes behind a latin-1 charset
    data = page(charset="iso-8859-1").encode("utf-8")
    head, _, rest = data.partition(b"<body>")
    body = encode(rest.decode("utf-8"), name)
    rec = parse_html(head + b"<body>" + body)
    assert rec.provenance["number"].method.startswith(name + "+")
    assert rec.number == "1520/QĐ-UBND" and rec.date == "2024-08-14"
    assert rec.signers and rec.signers[0].name == "Bùi Văn Khánh"


@pytest.mark.parametrize("data", [
    b"",
    b"<html><body></body></html>",
    b"<html><body><p>" + b"<b>" * 5000 + b"x",
    b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;</p></body></html>',
    b"\x00\x01\x02<html>\xff\xfe",
], ids=["empty", "no text", "unclosed tags", "entity bomb", "binary"])
def test_hostile_or_empty_html_gives_a_record(data, tmp_path):
    p = tmp_path / "x.html"
    p.write_bytes(data)
    rec = next(iter(pipeline.parse_many([p])))
    assert rec.number is None
    assert rec.warnings
    assert len(rec.text) < 10_000   # no entity expansion


def test_oversized_page_is_refused(monkeypatch):
    import pipeline.ingest.html as H
    monkeypatch.setattr(H, "MAX_BYTES", 1000)
    src = read_html(page().encode("utf-8"), "big.html")
    assert src.text == "" and "over the 1000 limit" in src.warnings[0]
