"""The spaCy component: nlp.add_pipe("vanban") fills doc.spans["vanban"] and doc._.vanban."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import spacy

import pipeline
from pipeline import spacy_component as C
from pipeline.normalize import fold

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "sample"


@pytest.fixture(scope="module")
def nlp():
    nlp = C.blank()
    nlp.add_pipe("vanban")
    return nlp


def _spans(doc, label):
    return [s for s in doc.spans["vanban"] if s.label_ == label]


def test_blank_vi_needs_no_pyvi():
    nlp = C.blank()
    assert nlp.lang == "vi"
    assert [t.text for t in nlp("Hòa Bình, ngày 05 tháng 3")] == ["Hòa", "Bình", ",", "ngày", "05", "tháng", "3"]


def test_component_fills_record_and_spans(nlp):
    text = (SAMPLE / "sample-01-quyet-dinh.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    rec = doc._.vanban
    assert isinstance(rec, pipeline.Record)
    assert rec.to_dict() == pipeline.parse_text(text).to_dict()
    labels = Counter(s.label_ for s in doc.spans["vanban"])
    for label in ("NUMBER", "PLACE", "DATE", "DOC_TYPE", "TITLE", "ISSUER", "LEGAL_BASIS", "REFERENCE",
                  "ITEM", "RECIPIENT", "SIGNER"):
        assert labels[label] >= 1, label
    assert labels["LEGAL_BASIS"] == len(rec.legal_bases)
    assert labels["REFERENCE"] == len(rec.references)
    assert labels["RECIPIENT"] == len(rec.recipients)
    assert labels["SIGNER"] == len(rec.signers)
    assert rec.number in _spans(doc, "NUMBER")[0].text
    assert _spans(doc, "PLACE")[0].text == rec.place == "Thanh Hóa"
    assert _spans(doc, "DATE")[0].text == "ngày 12 tháng 11 năm 2024"
    assert fold(_spans(doc, "ISSUER")[0].text.split()[-1]) == fold(rec.issuer.split()[-1])
    assert _spans(doc, "TITLE")[0].text.startswith(rec.title.split()[0])
    assert rec.signers[0].name in _spans(doc, "SIGNER")[0].text


def test_spans_cover_their_record_offsets_and_name_the_field(nlp):
    text = (SAMPLE / "sample-02-cong-van.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    rec = doc._.vanban
    fields = {s.id_ for s in doc.spans["vanban"]}
    assert {"number", "date", "place", "issuer"} <= fields
    for s in doc.spans["vanban"]:
        if s.id_.startswith("references."):
            r = rec.references[int(s.id_.split(".")[1])]
            assert s.start_char <= r.span[0] and s.end_char >= r.span[1]
            assert r.number is None or r.number in s.text
        if s.id_ in ("number", "issuer", "title", "doc_type"):
            a, b = rec.provenance[s.id_].span
            assert s.start_char <= a and s.end_char >= b and s.end_char - b < 3


def test_any_tokenizer_and_pipe(tmp_path):
    nlp = spacy.blank("xx")
    nlp.add_pipe("vanban")
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))[:4]]
    docs = list(nlp.pipe(texts))
    assert [d._.vanban.number for d in docs] == [pipeline.parse_text(t).number for t in texts]
    assert all(_spans(d, "NUMBER") for d in docs)


def test_saved_pipeline_loads_again(tmp_path):
    nlp = spacy.blank("xx")
    nlp.add_pipe("vanban", config={"spans_key": "vb"})
    nlp.to_disk(tmp_path / "nlp")
    again = spacy.load(tmp_path / "nlp")
    assert again.pipe_names == ["vanban"]
    doc = again((SAMPLE / "sample-09-thong-tu.txt").read_text(encoding="utf-8"))
    assert "vb" in doc.spans and doc._.vanban.doc_type == "Thông tư"


def test_entry_point_registers_the_factory_without_import():
    code = ("import spacy; nlp = spacy.blank('xx'); nlp.add_pipe('vanban'); "
            "d = nlp('UBND TỈNH HÒA BÌNH\\nSố: 12/QĐ-UBND\\nHòa Bình, ngày 05 tháng 3 năm 2024\\nQUYẾT ĐỊNH\\n'); "
            "print(d._.vanban.number, d._.vanban.province_2025)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "12/QĐ-UBND Phú Thọ"


def test_doc_from_record_without_reparsing():
    rec = pipeline.parse(SAMPLE / "sample-07-quyet-dinh.md")
    doc = C.doc_from_record(rec)
    assert doc._.vanban is rec
    assert {s.label_ for s in doc.spans["vanban"]} >= {"NUMBER", "DATE", "TITLE"}


def test_text_that_is_not_the_record_text_gets_no_spans():
    rec = pipeline.parse(SAMPLE / "sample-01-quyet-dinh.txt")
    doc = C.set_annotations(C.blank().make_doc("something else"), rec)
    assert doc._.vanban is rec and len(doc.spans["vanban"]) == 0


@pytest.mark.parametrize("text", ["", "   \n", "không phải văn bản hành chính"])
def test_odd_texts_never_raise(nlp, text):
    doc = nlp(text)
    assert isinstance(doc._.vanban, pipeline.Record)
    assert list(doc.spans["vanban"]) == []


def test_place_and_date_split_when_place_missing(vb, nlp):
    doc = nlp(vb.doc(date="ngày 05 tháng 3 năm 2024"))
    assert doc._.vanban.place is None
    assert _spans(doc, "PLACE") == []
    assert _spans(doc, "DATE")[0].text.startswith("ngày 05")
