"""The HTML view (pipeline/view.py) and ``vanban view``."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import pipeline
from pipeline import view
from pipeline.spacy_component import record_spans

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample"


def _labels_in(page: str) -> set[str]:
    # displaCy writes each span label in its start marker
    return set(re.findall(r"border-radius: 3px; white-space: nowrap\">([A-Z_]+)", page))


@pytest.mark.parametrize("name", ["sample-01-quyet-dinh.txt", "sample-02-cong-van.txt",
                                  "sample-05-nghi-quyet-dang.txt", "sample-07-quyet-dinh.md"])
def test_page_shows_every_field(name):
    rec = pipeline.parse(SAMPLE / name)
    page = view.render_html(rec)
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for value in (rec.number, rec.date, rec.place, rec.province_2025, rec.issuer, rec.doc_type, rec.title):
        if value:
            assert html.escape(value) in page, value
    for s in rec.signers:
        assert html.escape(s.name) in page
    for w in rec.warnings:
        assert html.escape(w) in page
    for field, p in rec.provenance.items():
        assert f"<td>{field}</td>" in page and p.method in page
    # every labelled span of the record is drawn by displaCy
    assert _labels_in(page) == {label for _, _, label, _ in record_spans(rec)}


def test_highlighted_text_is_the_document_text():
    rec = pipeline.parse(SAMPLE / "sample-01-quyet-dinh.txt")
    page = view.render_html(rec)
    markup = page.split('<div class="spans"', 1)[1].split("</div>", 1)[0]
    markup = re.sub(r'<span style="[^"]*white-space: nowrap">[A-Z_]+</span>', "", markup)  # the labels
    shown = html.unescape(re.sub(r"<[^>]+>", "", markup.split(">", 1)[1]))
    assert shown.split() == rec.text.split()
    assert shown.count("\n") >= rec.text.count("\n")  # the lines are kept


def test_warnings_and_escaping():
    rec = pipeline.parse_text("<script>alert(1)</script>\nkhông phải văn bản")
    page = view.render_html(rec)
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert 'class="warnings"' in page and rec.warnings
    assert view.render_html(pipeline.parse_text(""))  # no text: still a page


def test_unsupported_format_still_renders(tmp_path):
    f = tmp_path / "x.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 64)
    rec = pipeline.parse(f)
    page = view.render_html(rec)
    assert "unsupported format" in page and "(no text)" in page


def test_view_command(tmp_path):
    from pipeline.cli import app
    out = tmp_path / "out.html"
    r = CliRunner().invoke(app, ["view", str(SAMPLE / "sample-03-ke-hoach-flattened.txt"), "--html", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "45/KH-STTTT" in page and "Phú Thọ" in page and "sample-03-ke-hoach-flattened.txt" in page
    r = CliRunner().invoke(app, ["view", str(SAMPLE / "sample-09-thong-tu.txt")])
    assert r.exit_code == 0 and "<!DOCTYPE html>" in r.output
    r = CliRunner().invoke(app, ["view", str(tmp_path / "missing.txt")])
    assert r.exit_code != 0


@pytest.mark.skipif(view.chromium() is None, reason="Chromium not installed")
def test_page_renders_in_headless_chromium(tmp_path):
    from PIL import Image

    rec = pipeline.parse(SAMPLE / "sample-01-quyet-dinh.txt")
    page, png = tmp_path / "page.html", tmp_path / "page.png"
    page.write_text(view.render_html(rec), encoding="utf-8")
    problem = view.screenshot(page, png, width=1200, height=1400)
    assert problem is None, problem
    img = Image.open(png).convert("RGB")
    assert img.size == (1200, 1400)
    colours = {c for _, c in img.getcolors(maxcolors=1 << 20)}
    # the header bar, the warning-free box and the span bars of NUMBER and TITLE are drawn
    for hexc in ("#264653", view.COLORS["NUMBER"], view.COLORS["TITLE"], view.COLORS["ITEM"]):
        rgb = tuple(int(hexc[i:i + 2], 16) for i in (1, 3, 5))
        assert rgb in colours, hexc
    assert len(colours) > 200  # text was rendered (anti-aliased glyphs), not a blank page


def test_show_html_writes_the_visual_view_of_a_stored_document(tmp_path):
    """`vanban show NUMBER --html out.html` renders the stored record (text included)."""
    from pipeline.cli import app
    db, out = tmp_path / "a.sqlite", tmp_path / "show.html"
    r = CliRunner().invoke(app, ["index", str(SAMPLE), "--db", str(db), "--quiet"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["show", "4127/QĐ-UBND", "--db", str(db), "--html", str(out)])
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "4127/QĐ-UBND" in page and "Đỗ Minh Khải" in page
    assert page.count("span") > 20  # the highlighted text, not only the field table
