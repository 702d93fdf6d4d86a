"""The citation graph of an archive: references resolved by number (and
date or issuer when the number is shared), short back-references resolved to
the document they mean."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.store import Archive, index
from pipeline.store.graph import find_back_refs
from pipeline.store.rows import number_key, ref_rows

PLAN_BODY = ("I. MỤC ĐÍCH", "1. Kế hoạch này nhằm nâng cao chất lượng công tác văn thư.",
             "II. TỔ CHỨC THỰC HIỆN", "Các sở, ngành triển khai Kế hoạch này./.")


def plan(vb, province: str, date: str) -> str:
    return vb.doc(left=(f"UBND TỈNH {province.upper()}",), number="Số: 596/KH-UBND", date=date,
                  heading="KẾ HOẠCH", title=("Kiểm tra công tác văn thư năm 2024",), authority=(), preamble=(),
                  enact=None, body=PLAN_BODY)


@pytest.fixture
def archive(vb, tmp_path) -> Archive:
    d = tmp_path / "docs"
    d.mkdir()
    # two plans share the number 596/KH-UBND and the date: only the issuer tells them apart
    (d / "kh-hoa-binh.txt").write_text(plan(vb, "Hòa Bình", "Hòa Bình, ngày 10 tháng 02 năm 2024"), encoding="utf-8")
    (d / "kh-lang-son.txt").write_text(plan(vb, "Lạng Sơn", "Lạng Sơn, ngày 10 tháng 02 năm 2024"), encoding="utf-8")
    (d / "cv-1441.txt").write_text(vb.cong_van(), encoding="utf-8")  # Công văn 1441/SGDĐT-GDTrH
    (d / "qd.txt").write_text(vb.doc(
        preamble=("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
                  "Thực hiện Kế hoạch số 596/KH-UBND ngày 10 tháng 02 năm 2024 của Ủy ban nhân dân tỉnh Hòa Bình "
                  "về kiểm tra công tác văn thư;",
                  "Xét Công văn số 1441/SGDĐT-GDTrH ngày 09 tháng 8 năm 2024 của Sở Giáo dục và Đào tạo;"),
        body=("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch kiểm tra nội bộ năm 2024 để triển khai "
              "Kế hoạch nêu trên.",
              "Điều 2. Các đơn vị thực hiện theo Công văn số 1441 nêu trên.",
              "Điều 3. Quyết định này có hiệu lực kể từ ngày ký./.")), encoding="utf-8")
    db = tmp_path / "g.sqlite"
    index([d], db)
    a = Archive(db)
    yield a
    a.close()


def _id(a: Archive, name: str) -> int:
    docs = a.documents()
    return int(docs[docs["path"].map(lambda p: Path(p).name) == name]["id"].iloc[0])


def test_reference_resolved_by_number_then_issuer(archive):
    refs = archive.cites("qd.txt").set_index("number")
    hb = _id(archive, "kh-hoa-binh.txt")
    assert refs.loc["596/KH-UBND", "target_id"] == hb
    assert refs.loc["596/KH-UBND", "resolution"] == "number+date+issuer"
    assert refs.loc["596/KH-UBND", "basis_kind"] == "thực hiện"
    assert refs.loc["1441/SGDĐT-GDTrH", "target_id"] == _id(archive, "cv-1441.txt")
    assert refs.loc["1441/SGDĐT-GDTrH", "resolution"] == "number"
    assert refs.loc["30/2020/NĐ-CP", "resolution"] == "not in archive"


def test_who_cites_a_number(archive):
    # "who cites 596/KH-UBND": the number names two plans; the decision cites the Hòa Bình one
    cited = archive.cited_by("kh-hoa-binh.txt")
    assert list(cited["citing_number"]) == ["123/QĐ-SGDĐT"]
    assert archive.cited_by("kh-lang-son.txt").empty
    assert list(archive.cited_by("596/KH-UBND")["citing_number"]) == ["123/QĐ-SGDĐT"]
    # a number not in the archive is still a query: the unresolved references to it
    assert list(archive.cited_by("30/2020/NĐ-CP")["citing_number"]) == ["123/QĐ-SGDĐT"]


def test_what_a_document_implements(archive):
    refs = archive.cites("123/QĐ-SGDĐT")
    implemented = refs[refs["basis_kind"] == "thực hiện"]
    assert list(implemented["target_path"].map(lambda p: Path(p).name)) == ["kh-hoa-binh.txt"]


def test_back_references(archive):
    back = archive.back_references()
    qd = back[back["doc_number"] == "123/QĐ-SGDĐT"].set_index("text")
    me = _id(archive, "qd.txt")
    assert qd.loc["Kế hoạch nêu trên", "kind"] == "antecedent"
    assert qd.loc["Kế hoạch nêu trên", "target_id"] == _id(archive, "kh-hoa-binh.txt")
    assert qd.loc["Công văn số 1441 nêu trên", "target_id"] == _id(archive, "cv-1441.txt")
    this = back[(back["doc_number"] == "123/QĐ-SGDĐT") & (back["text"] == "Quyết định này")]
    assert set(this["kind"]) == {"self"} and set(this["target_id"]) == {me}
    plan_self = back[(back["path"].str.endswith("kh-lang-son.txt")) & (back["text"] == "Kế hoạch này")]
    assert set(plan_self["target_id"]) == {_id(archive, "kh-lang-son.txt")}


def test_graph_follows_the_archive(archive, tmp_path):
    # the cited plan leaves the folder: the reference becomes unresolved, and
    # the back-reference that goes through it too
    d = tmp_path / "docs"
    (d / "kh-hoa-binh.txt").unlink()
    index([d], archive.path)
    refs = archive.cites("qd.txt").set_index("number")
    assert refs.loc["596/KH-UBND", "target_id"] == _id(archive, "kh-lang-son.txt")  # the only one left
    back = archive.back_references().set_index("text")
    assert back.loc["Kế hoạch nêu trên", "target_id"] == _id(archive, "kh-lang-son.txt")


def test_ambiguous_number_stays_unresolved(vb, tmp_path):
    d = tmp_path / "docs"
    d.mkdir()
    (d / "a.txt").write_text(plan(vb, "Hòa Bình", "Hòa Bình, ngày 10 tháng 02 năm 2024"), encoding="utf-8")
    (d / "b.txt").write_text(plan(vb, "Lạng Sơn", "Lạng Sơn, ngày 10 tháng 02 năm 2024"), encoding="utf-8")
    (d / "c.txt").write_text(vb.doc(preamble=("Thực hiện Kế hoạch số 596/KH-UBND về kiểm tra công tác văn thư;",)),
                             encoding="utf-8")
    index([d], tmp_path / "a.sqlite")
    with Archive(tmp_path / "a.sqlite") as a:
        r = a.cites("c.txt").iloc[0]
        assert r["number"] == "596/KH-UBND" and pd.isna(r["target_id"])
        assert r["resolution"] == "ambiguous (2)"


def test_back_reference_patterns():
    text = ("Căn cứ Quyết định số 12/QĐ-UBND ngày 1 tháng 2 năm 2024; Căn cứ Quyết định số 15/QĐ-UBND; "
            "Thực hiện Quyết định nêu trên và Công văn số 77/SGD-VP; theo Quyết định số 12 nêu trên; "
            "Kế hoạch này; từ trước đến nay; Công văn trên.")
    import pipeline
    rec = pipeline.parse_text(text).to_dict(with_text=True)
    rec["doc_type"] = "Kế hoạch"
    refs = ref_rows(rec)
    assert [r[2] for r in refs] == ["12/QĐ-UBND", "15/QĐ-UBND", "77/SGD-VP"]
    found = {b[1]: (b[6], b[7]) for b in find_back_refs(rec, refs)}
    assert found["Quyết định nêu trên"] == ("antecedent", 1)      # the last Quyết định before it
    assert found["Quyết định số 12 nêu trên"] == ("antecedent", 0)  # by serial
    assert found["Kế hoạch này"] == ("self", None)
    assert found["Công văn trên"] == ("antecedent", 2)
    assert not any("nay" == t.split()[-1] for t in found)  # "đến nay" is not one


def test_number_key():
    assert number_key("05/KH-UBND") == number_key("5/kh-ubnd") == number_key(" 5 / KH-UBND ") == "5/KH-UBND"
    assert number_key("4127/QĐ-UBND") == "4127/QD-UBND"
    assert number_key(None) is None and number_key("") is None
