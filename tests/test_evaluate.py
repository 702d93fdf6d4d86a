"""Tests for pipeline.evaluate: matchers, list scoring, header score, formats,
errors and floors, on hand-built Records and a tiny temporary gold file."""

from __future__ import annotations

import json
import unicodedata

import pytest
from rich.console import Console

from pipeline.evaluate import (
    evaluate, floors_check, load_gold, match, norm_label, render, render_failures,
)
from pipeline.record import Area, Item, LegalBasis, Record, Recipient, Reference, Signer

HEADER = {"doc_type": "Kế hoạch", "number": "596/KH-UBND", "date": "2016-12-22", "place": "Đăk Nông",
          "issuer": "ỦY BAN NHÂN DÂN TỈNH ĐĂK NÔNG", "issuer_parent": None, "title": "Triển khai thỏa thuận hợp tác"}


def run(tmp_path, docs, **kw):
    """docs: list of (file, format, gold dict, Record | Exception | None[, complete]).
    Writes gold.jsonl and empty files (None record = file missing), returns the Report."""
    lines, by_name = [], {}
    for file, fmt, gold, rec, *rest in docs:
        lines.append(json.dumps({"file": file, "format": fmt, "complete": rest[0] if rest else True, "gold": gold},
                                ensure_ascii=False))
        if rec is not None:
            (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / file).write_text("x")
            by_name[file] = rec
    (tmp_path / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def parse(path):
        rec = by_name[path.relative_to(tmp_path).as_posix()]
        if isinstance(rec, Exception):
            raise rec
        return rec

    return evaluate(tmp_path / "gold.jsonl", tmp_path, parse=parse, **kw)


def rec(**kw) -> Record:
    return Record(**(HEADER | kw))


# -- matchers ----------------------------------------------------------------------
TITLE = "Triển khai thực hiện chương trình hợp tác lĩnh vực giáo dục và đào tạo giữa hai tỉnh"


@pytest.mark.parametrize("gold, pred, strict, soft, fuzzy", [
    ("Hà Nội", "Hà Nội", True, True, True),
    ("Hà Nội", " Hà  Nội\n", True, True, True),
    ("Hà Nội", unicodedata.normalize("NFD", "Hà Nội"), True, True, True),
    ("ĐÀ NẴNG", "Ðà Nẵng", False, True, True),               # Ð (eth) and case
    ("ĐÀ NẴNG", "ÐÀ NẴNG", True, True, True),                # Ð→Đ is part of strict
    ("596/KH-UBND", "596/KH–UBND", False, True, True),       # en dash
    ("1961/QĐ-UBND", "1961/QĐUBND", False, True, True),
    ("Sở Nội vụ", "SởNội vụ.", False, True, True),
    ("Ủy ban nhân dân", "UỶ BAN NHÂN DÂN", False, True, True),   # old vs new tone placement
    ("Hòa Bình", "Hoà Bình", False, True, True),
    ("của", "cuả", False, True, True),
    ("Lò Anh", "Lo Ành", False, False, False),                 # tones are not moved across syllables
    (TITLE, TITLE.replace("giáo dục", "giáo duc"), False, False, True),
    ("Hà Nội", "Hà Giang", False, False, False),
    (None, None, True, True, True),
    (None, "", True, True, True),
    (None, "   ", True, True, True),
    (None, "x", False, False, False),
    ("x", None, False, False, False),
])
def test_matchers(gold, pred, strict, soft, fuzzy):
    assert (match(gold, pred, "strict"), match(gold, pred, "soft"), match(gold, pred, "fuzzy")) == (strict, soft, fuzzy)


@pytest.mark.parametrize("a, b, same", [
    ("1.", "1", True), ("I.", "I", True), ("a)", "a", True), ("2.1.", "2.1", True),
    ("2.1", "2.1", True), ("Một là", "một  là", True), ("1)", "1.", True),
    ("2.1", "21", False), ("I", "II", False),
])
def test_item_label_normalisation(a, b, same):
    assert (norm_label(a) == norm_label(b)) is same


# -- documents ---------------------------------------------------------------------
def test_scalars_strict_soft_fuzzy_and_none(tmp_path):
    r = run(tmp_path, [
        ("a.txt", "txt", HEADER, rec(issuer="Ủy ban nhân dân tỉnh Đăk Nông", number="596/KH–UBND")),
        ("b.txt", "txt", HEADER | {"issuer_parent": "BỘ Y TẾ"}, rec()),  # gold parent, none predicted
    ])
    assert r.accuracy("issuer", "strict") == (0.5, 2)
    assert r.accuracy("issuer", "soft") == (1.0, 2)
    assert r.accuracy("number", "strict")[0] == 0.5 and r.accuracy("number", "soft")[0] == 1.0
    assert r.accuracy("issuer_parent", "strict")[0] == 0.5   # None==None right, "BỘ Y TẾ" vs None wrong
    assert r.failures("issuer_parent") == [("b.txt", "BỘ Y TẾ", None)]
    assert r.failures("issuer", "strict") == [("a.txt", HEADER["issuer"], "Ủy ban nhân dân tỉnh Đăk Nông")]


def test_list_prf_hand_computed(tmp_path):
    g1 = HEADER | {"recipients": [{"text": "Sở Y tế", "purpose": "để báo cáo"}, {"text": "UBND tỉnh", "purpose": None},
                                  {"text": "Lưu: VT, PC", "purpose": None}]}
    p1 = rec(recipients=[Recipient(text="Sở Y tế;", purpose="Để báo cáo"), Recipient(text="UBND tỉnh"),
                         Recipient(text="Lưu: VT", purpose=None), Recipient(text="Website")])
    g2 = HEADER | {"recipients": [{"text": "Giám đốc", "purpose": "b/c"}]}
    p2 = rec(recipients=[Recipient(text="Giám đốc", purpose=None)])
    r = run(tmp_path, [("a.txt", "txt", g1, p1), ("b.txt", "txt", g2, p2)])
    s = r.prf("recipients")
    # tp = 2 + 0, pred = 4 + 1, gold = 3 + 1
    assert (s["tp"], s["pred"], s["gold"], s["docs"]) == (2, 5, 4, 2)
    assert s["p"] == pytest.approx(0.4) and s["r"] == pytest.approx(0.5)
    assert s["f1"] == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    t = r.prf("recipients.text")          # text only: b.txt now matches
    assert (t["tp"], t["p"], t["r"]) == (3, pytest.approx(0.6), pytest.approx(0.75))
    assert [f for f, *_ in r.failures("recipients")] == ["a.txt", "b.txt"]


def test_multiset_duplicates(tmp_path):
    g = HEADER | {"items": ["1", "1", "2"]}
    r = run(tmp_path, [("a.txt", "txt", g, rec(items=[Item(main=True, label="1.", text=""), Item(main=True, label="2.", text=""),
                                                        Item(main=True, label="2.", text="")]))])
    assert r.prf("items")["tp"] == 2


def test_legal_bases_from_keys(tmp_path):
    gold = HEADER | {"legal_bases": [
        {"kind": "căn cứ", "ref": "30/2020/NĐ-CP"},
        {"kind": "căn cứ", "ref": "Luật Giáo dục ngày 14 tháng 6 năm 2019"},
        {"kind": "theo đề nghị", "ref": "Giám đốc Sở Nội vụ"},
        {"kind": "xét", "ref": "Tờ trình số 5"}]}
    pred = rec(legal_bases=[
        LegalBasis(kind="Căn cứ", text="...", refs=[
            Reference(text="Nghị định số 30/2020/NĐ-CP", number="30/2020/NĐ-CP"),
            Reference(text="Luật Giáo dục ...", name="Luật Giáo dục ngày 14 tháng 6 năm 2019")]),
        LegalBasis(kind="thực hiện", text="...", proposer="Giám đốc Sở Nội vụ"),   # wrong kind
        LegalBasis(kind="xét", text="Tờ trình số 5")])                            # text fallback
    r = run(tmp_path, [("a.txt", "txt", gold, pred)])
    assert r.prf("legal_bases")["tp"] == 3 and r.prf("legal_bases")["pred"] == 4
    assert r.prf("legal_bases.ref")["f1"] == 1.0


def test_items_only_where_gold_has_them(tmp_path):
    items = [Item(main=True, label=l, text="", children=[Item(label="a)", text="")]) for l in ("I.", "II.", "III)")]
    r = run(tmp_path, [
        ("a.txt", "txt", HEADER | {"items": ["I", "II", "IV"]}, rec(items=items)),
        ("b.txt", "txt", HEADER | {"recipients": []}, rec(items=items)),   # complete, no items: not penalised
    ])
    s = r.prf("items")
    assert (s["docs"], s["tp"], s["pred"], s["gold"]) == (1, 2, 3, 3)


def test_signers_signer_name_and_signer_accuracy(tmp_path):
    sg = {"authority": "KT.", "on_behalf_of": None, "title": "GIÁM ĐỐC", "position": "PHÓ GIÁM ĐỐC", "name": "Phan Thanh Hải"}
    good = Signer(authority="KT", title="Giám đốc", position="PHÓ GIÁM ĐỐC", name="Phan Thanh Hải")
    bad = Signer(authority="KT.", title="GIÁM ĐỐC", name="Phan Thanh Hải")   # position missing
    r = run(tmp_path, [
        ("a.txt", "txt", HEADER | {"signers": [sg]}, rec(signers=[good])),
        ("b.txt", "txt", HEADER | {"signers": [sg]}, rec(signers=[bad])),
        ("c.txt", "txt", HEADER | {"signer_name": "Mùa A Sơn"}, rec(signers=[Signer(name="MÙA A SƠN")]), False),
        ("d.txt", "txt", HEADER | {"signer_name": "Đoàn Văn Việt"}, rec(), False),
    ])
    assert r.accuracy("signer") == (0.5, 2)
    assert r.prf("signers")["tp"] == 1 and r.prf("signers.name")["f1"] == 1.0
    assert r.accuracy("signer_name", "soft") == (0.5, 2)
    assert r.accuracy("signer_name", "strict") == (0.0, 2)
    assert any(n.startswith("signer_name: 2 of its documents are texts cut before the signature block")
               for n in r.notes)


def test_failures_print_values_not_markup(tmp_path):
    sg = {"authority": None, "on_behalf_of": None, "title": None, "position": "GIÁM ĐỐC", "name": "Hạ Bá Chân"}
    r = run(tmp_path, [("a.txt", "txt", HEADER | {"signers": [sg]}, rec())])
    con = Console(record=True, width=300)
    render_failures(r, con, "signer", limit=5)
    out = con.export_text()
    assert '[[null, null, null, "GIÁM ĐỐC", "Hạ Bá Chân"]]' in out and "[]" in out


def test_references_warnings_areas(tmp_path):
    g = HEADER | {"references": ["01-BB/TUHY-TUHB", "1441/UBND-THNV"], "warnings": ["blank number", "no header"],
                  "areas": ["Giáo dục", "Văn hóa - Xã hội"]}
    p = rec(references=[Reference(text="x", number="01-BB/TUHY-TUHB"), Reference(text="y", name="Luật A")],
            warnings=["blank number: /KH-SGD&ĐT", "blank day"],
            areas=[Area(label="Văn hóa - Xã hội", score=0.4), Area(label="Giáo dục", score=0.6)])
    r = run(tmp_path, [("a.txt", "txt", g, p), ("b.txt", "txt", HEADER | {"areas": ["Đầu tư"]}, rec())])
    assert r.prf("references")["tp"] == 1 and r.prf("references")["docs"] == 1   # only where gold has them
    assert (r.prf("warnings")["tp"], r.prf("warnings")["pred"]) == (1, 2)
    assert r.accuracy("areas.top1") == (0.5, 2)          # highest score wins; b.txt has none
    assert r.prf("areas")["tp"] == 2 and r.prf("areas")["gold"] == 3


def test_areas_skipped_when_no_record_has_any(tmp_path):
    r = run(tmp_path, [("a.txt", "txt", HEADER | {"areas": ["Giáo dục"]}, rec())])
    assert "areas" not in r.list_fields() and "areas.top1" not in r.scalar_fields()
    assert any("areas not scored" in n for n in r.notes)


def test_recipients_fall_back_to_addressees(tmp_path):
    g = HEADER | {"recipients": [{"text": "Sở Y tế", "purpose": None}]}
    r = run(tmp_path, [("a.txt", "txt", g, rec(addressees=[Recipient(text="Sở Y tế", kind="kính gửi")]))])
    assert r.prf("recipients")["f1"] == 1.0


@pytest.mark.parametrize("change, header_ok", [
    ({}, True),
    ({"issuer": "Ủy ban nhân dân tỉnh Đăk Nông", "title": "triển khai thỏa thuận hợp tác."}, True),  # soft fields
    ({"number": "596/KH–UBND"}, False),          # strict field
    ({"date": "2016-12"}, False),
    ({"issuer_parent": "UBND"}, False),
])
def test_header_score(tmp_path, change, header_ok):
    r = run(tmp_path, [("a.txt", "txt", HEADER, rec(**change))])
    assert r.header() == (1.0 if header_ok else 0.0, 1)
    assert len(r.failures("header")) == (0 if header_ok else 1)


def test_per_format_breakdown_and_filters(tmp_path):
    docs = [("txt/a.txt", "txt", HEADER, rec()), ("txt/b.txt", "txt", HEADER, rec(place="Hà Nội")),
            ("pdf/a.pdf", "pdf", HEADER, rec(place="Hà Nội")), ("pdf/missing.pdf", "pdf", HEADER, None)]
    r = run(tmp_path, docs)
    assert r.formats() == ["txt", "pdf"] and (r.count(), r.count("txt"), r.count("pdf")) == (3, 2, 1)
    assert r.accuracy("place", "strict", "txt") == (0.5, 2) and r.accuracy("place", "strict", "pdf") == (0.0, 1)
    assert r.header("txt") == (0.5, 2) and r.skipped == ["pdf/missing.pdf"]
    d = r.to_dict()
    assert d["by_format"]["pdf"]["scalars"]["place"]["strict"] == 0.0 and d["overall"]["docs"] == 3
    assert run(tmp_path, docs, formats=["pdf"]).count() == 1
    assert run(tmp_path, docs, files=["txt/*"]).count() == 2


def test_parse_exception_is_an_error_not_raised(tmp_path):
    g = HEADER | {"legal_bases": [{"kind": "căn cứ", "ref": "29-NQ/TW"}]}
    r = run(tmp_path, [("a.txt", "txt", g, ValueError("bad header")), ("b.txt", "txt", g, rec())])
    assert r.errors() == [("a.txt", "ValueError: bad header")]
    assert r.accuracy("issuer_parent", "strict") == (0.5, 2)    # None gold still wrong for a crash
    assert r.header() == (0.5, 2)
    assert r.prf("legal_bases")["gold"] == 2 and r.prf("legal_bases")["tp"] == 0
    assert r.failures("doc_type") == [("a.txt", "Kế hoạch", "ERROR: ValueError: bad header")]
    json.dumps(r.to_dict(documents=True), ensure_ascii=False)   # serialisable


def test_floors_check(tmp_path):
    g = HEADER | {"signers": [{"authority": None, "on_behalf_of": None, "title": None, "position": "GIÁM ĐỐC",
                               "name": "Lê Văn A"}]}
    r = run(tmp_path, [("a.txt", "txt", g, rec(issuer="UBND tỉnh", signers=[Signer(position="GIÁM ĐỐC", name="Lê Văn A")])),
                       ("b.pdf", "pdf", g, rec())])
    floors = {"doc_type.strict": 0.97, "issuer.soft": 0.93, "header": 0.85, "signers.name.f1": 0.95,
              "signer.acc": 0.5, "references.f1": 0.9, "issuer.bogus": 1.0}
    out = floors_check(r, floors)
    assert "issuer.soft: 0.500 < floor 0.930 (n=2)" in out
    assert "header: 0.500 < floor 0.850 (n=2)" in out
    assert "signers.name.f1: 0.667 < floor 0.950 (n=2)" in out
    assert "references.f1: no documents scored (floor 0.900)" in out
    assert any("unknown floor key 'issuer.bogus'" in v for v in out)
    assert not any(v.startswith(("doc_type", "signer.acc")) for v in out)
    assert len(out) == 5
    pdf = floors_check(r, {"signers.name.f1": 0.95, "references.f1": 0.9}, fmt="pdf", missing_ok=True)
    assert pdf == ["signers.name.f1 [pdf]: 0.000 < floor 0.950 (n=1)"]


def test_load_gold_and_render(tmp_path):
    r = run(tmp_path, [("a.txt", "txt", HEADER, rec()), ("b.md", "md", HEADER, RuntimeError("x"), False)])
    gd = load_gold(tmp_path / "gold.jsonl")
    assert [(g.file, g.format, g.complete) for g in gd] == [("a.txt", "txt", True), ("b.md", "md", False)]
    con = Console(record=True, width=200)
    render(r, con)
    render_failures(r, con, "header", limit=5)
    out = con.export_text()
    assert "Header" in out and "b.md" in out and "1 error" in out and "txt (1)" in out
