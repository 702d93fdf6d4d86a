"""Content areas: behaviour of the shipped model, the model file's safety, the
features and the training helpers."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

import pipeline
from pipeline.classify import classify
from pipeline.classify.baselines import KeywordBaseline, keywords
from pipeline.classify.features import BlockVectorizer, Featurizer, item_blocks, record_blocks, tokens
from pipeline.classify.model import (MODEL_NAME, MODELS_DIR, TRUSTED, AreaModel, UntrustedModelError, default_model,
                                     file_types, load)
from pipeline.classify.train import choose_threshold, folds, predict_sets, read_taxonomy, set_metrics

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
MODEL = MODELS_DIR / MODEL_NAME
TAXONOMY = ROOT.parent / "shared" / "corpus" / "areas.txt"

needs_model = pytest.mark.skipif(not MODEL.exists(), reason="models/areas.skops not built (vanban train)")

MEDICAL = """SỞ Y TẾ TỈNH NGHỆ AN
TRUNG TÂM KIỂM SOÁT BỆNH TẬT
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 215/KH-KSBT
Nghệ An, ngày 03 tháng 6 năm 2024

KẾ HOẠCH
Tiêm chủng mở rộng và phòng, chống dịch bệnh tay chân miệng năm 2024

Căn cứ Luật Khám bệnh, chữa bệnh năm 2023;
Căn cứ Luật Phòng, chống bệnh truyền nhiễm năm 2007;
I. MỤC TIÊU
1. Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ các loại vắc xin đạt trên 95%.
2. Giám sát chặt chẽ bệnh nhân tay chân miệng tại các bệnh viện, trạm y tế; điều trị kịp thời, giảm tử vong.
II. HOẠT ĐỘNG
1. Cung ứng vắc xin, thuốc điều trị và vật tư y tế cho các cơ sở khám bệnh, chữa bệnh.
2. Tập huấn bác sĩ, điều dưỡng về phác đồ chẩn đoán và điều trị bệnh.
3. Truyền thông giáo dục sức khỏe cho người dân về vệ sinh phòng bệnh.
"""

LAND = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NAM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1780/QĐ-UBND
Quảng Nam, ngày 12 tháng 7 năm 2024

QUYẾT ĐỊNH
Về việc giao đất cho Ủy ban nhân dân xã Tam Thăng để xây dựng nhà văn hóa thôn

ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM

Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;
Căn cứ Nghị định số 102/2024/NĐ-CP ngày 30 tháng 7 năm 2024 của Chính phủ quy định chi tiết thi hành một số điều của Luật Đất đai;
Theo đề nghị của Giám đốc Sở Tài nguyên và Môi trường.

QUYẾT ĐỊNH:
Điều 1. Giao 2.450 m² đất tại thôn Phước Lâm, xã Tam Thăng cho Ủy ban nhân dân xã Tam Thăng sử dụng vào mục đích xây dựng nhà văn hóa thôn; hình thức giao đất không thu tiền sử dụng đất; thời hạn sử dụng đất lâu dài.
Điều 2. Sở Tài nguyên và Môi trường bàn giao đất trên thực địa, chỉnh lý hồ sơ địa chính và cấp giấy chứng nhận quyền sử dụng đất theo quy định.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Tài nguyên và Môi trường, Chủ tịch UBND xã Tam Thăng chịu trách nhiệm thi hành Quyết định này./.
"""


def _walk(items):
    for it in items:
        yield it
        yield from _walk(it.children)


# ---------------------------------------------------------------------------
# The shipped model

@needs_model
def test_medical_text_is_health():
    rec = pipeline.parse_text(MEDICAL)
    assert rec.areas and rec.areas[0].label == "Thể thao - Y tế"


@needs_model
def test_land_allocation_is_land_or_environment():
    rec = pipeline.parse_text(LAND)
    assert rec.areas[0].label in ("Bất động sản", "Tài nguyên - Môi trường")


@needs_model
def test_areas_are_ranked_scores_from_the_taxonomy():
    model = default_model()
    for text in (MEDICAL, LAND):
        rec = pipeline.parse_text(text)
        scores = [a.score for a in rec.areas]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert all(a.label in model.labels for a in rec.areas)
        assert len({a.label for a in rec.areas}) == len(rec.areas)


@needs_model
def test_every_item_gets_areas():
    rec = pipeline.parse_text(LAND)
    nodes = list(_walk(rec.items))
    assert nodes
    assert all(it.areas for it in nodes)


@needs_model
@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is absent")
@pytest.mark.parametrize("name", ["000_a501690569702460.txt", "001_e37398f1793162c2.txt"])
def test_seeds_are_education_with_items_labelled(name):
    rec = pipeline.parse(SEEDS / name)
    assert rec.areas[0].label == "Giáo dục"
    nodes = list(_walk(rec.items))
    assert nodes and all(it.areas for it in nodes)
    # the cooperation items of an education plan are about education
    for it in rec.main_items():
        assert "Giáo dục" in [a.label for a in it.areas], it.text[:60]


@needs_model
def test_item_areas_follow_the_item_text():
    """An item about health inside an education plan picks up health."""
    text = MEDICAL.replace("3. Truyền thông giáo dục sức khỏe cho người dân về vệ sinh phòng bệnh.",
                           "3. Phối hợp Sở Giáo dục và Đào tạo tổ chức kỳ thi tuyển sinh lớp 10 cho học sinh, "
                           "bồi dưỡng giáo viên các trường trung học phổ thông.")
    rec = pipeline.parse_text(text)
    item = next(it for it in _walk(rec.items) if "tuyển sinh" in it.text)
    assert "Giáo dục" in [a.label for a in item.areas]
    assert rec.areas[0].label == "Thể thao - Y tế"


EDUCATION_PLAN = """SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH LẠNG SƠN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 77/KH-SGDĐT
Lạng Sơn, ngày 05 tháng 9 năm 2024

KẾ HOẠCH
Nâng cao chất lượng dạy và học ở các trường trung học phổ thông năm học 2024 - 2025

I. NHIỆM VỤ
1. Đổi mới phương pháp dạy học, kiểm tra, đánh giá học sinh theo chương trình giáo dục phổ thông 2018.
2. Bồi dưỡng giáo viên dạy các môn Toán, Ngữ văn, Tiếng Anh; tổ chức ôn thi tốt nghiệp cho học sinh lớp 12.
3. Tham mưu Ủy ban nhân dân tỉnh kiện toàn tổ chức bộ máy, sắp xếp biên chế công chức, viên chức của Sở; ban hành quy chế làm việc, quy định chức năng, nhiệm vụ, quyền hạn của các phòng chuyên môn.
II. TỔ CHỨC THỰC HIỆN
Các trường trung học phổ thông xây dựng kế hoạch dạy học và báo cáo kết quả về Sở.
"""


@needs_model
def test_an_item_about_another_area_gets_it_beside_the_documents():
    """In an education plan, the item on the organisation of the Sở carries
    Bộ máy hành chính; the teaching items stay with education."""
    rec = pipeline.parse_text(EDUCATION_PLAN)
    assert rec.areas[0].label == "Giáo dục"
    nodes = list(_walk(rec.items))
    admin = next(it for it in nodes if "tổ chức bộ máy" in it.text)
    assert "Bộ máy hành chính" in [a.label for a in admin.areas]
    teaching = next(it for it in nodes if "Bồi dưỡng giáo viên" in it.text)
    assert teaching.areas[0].label == "Giáo dục"
    assert "Bộ máy hành chính" not in [a.label for a in teaching.areas]


def test_empty_and_unknown_texts_get_no_areas_and_no_exception():
    assert pipeline.parse_text("").areas == []
    rec = pipeline.parse_text("zzqx wwkj qqpl")
    assert rec.areas == []


# ---------------------------------------------------------------------------
# The model file: skops, explicit trusted types, lazy loading

@needs_model
def test_model_file_holds_only_trusted_types():
    assert file_types(MODEL) <= set(TRUSTED)
    m = load(MODEL)
    assert isinstance(m, AreaModel)
    assert m.labels == read_taxonomy(TAXONOMY) if TAXONOMY.exists() else len(m.labels) == 27
    assert m.coef.shape == (m.featurizer.n_features, len(m.labels))


def _tiny_model() -> AreaModel:
    b = BlockVectorizer.fit("body", ["giáo dục học sinh", "y tế bệnh viện", "đất đai giao đất"], min_df=1)
    fz = Featurizer([b])
    coef = np.zeros((fz.n_features, 2), dtype=np.float32)
    coef[b.index["y"], 1] = 3.0
    return AreaModel(labels=["Giáo dục", "Thể thao - Y tế"], featurizer=fz, coef=coef, intercept=np.zeros(2),
                     platt_a=np.full(2, -1.0), platt_b=np.zeros(2), doc_threshold=0.9)


def test_a_saved_model_round_trips(tmp_path):
    m = _tiny_model()
    m.save(tmp_path / "m.skops")
    m2 = load(tmp_path / "m.skops")
    docs = [{"body": "bệnh viện y tế"}, {"body": "học sinh"}]
    assert np.allclose(m.proba(docs)[0], m2.proba(docs)[0])
    assert m2.featurizer.blocks[0].terms == m.featurizer.blocks[0].terms


def test_untrusted_type_is_refused(tmp_path, caplog):
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression
    st = _tiny_model().state()
    st["meta"] = {"estimator": LogisticRegression()}  # skops trusts it by default; we do not
    bad = tmp_path / "bad.skops"
    sio.dump(st, bad)
    with pytest.raises(UntrustedModelError, match="sklearn"):
        load(bad)
    with caplog.at_level(logging.WARNING):
        assert default_model(bad) is None  # refused once, logged, areas stay empty
    assert "not loaded" in caplog.text
    rec = pipeline.parse_text(LAND)
    assert classify(rec.model_copy(update={"areas": []}), model=None) is not None


def test_missing_model_leaves_areas_empty(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert default_model(tmp_path / "none.skops") is None
    assert "not found" in caplog.text


def test_model_is_loaded_once(tmp_path):
    m = _tiny_model()
    m.save(tmp_path / "m.skops")
    assert default_model(tmp_path / "m.skops") is default_model(tmp_path / "m.skops")


def test_classify_with_a_given_model_fills_document_and_items():
    rec = pipeline.parse_text(MEDICAL, )
    rec.areas = []
    classify(rec, model=_tiny_model())
    assert rec.areas[0].label == "Thể thao - Y tế"
    assert [a.label for a in rec.areas] == ["Thể thao - Y tế"]  # the other is below the 0.9 threshold
    assert all(it.areas for it in _walk(rec.items))


def test_in_place_scoring_gives_the_plain_expressions_bit_for_bit():
    """The in-place calibration and score sums give exactly the numbers of
    the plain expressions they replace (clip then exp; products then sums per
    CSR row; one matrix-vector product for a single row)."""
    rng = np.random.default_rng(3)
    L, F = 4, 30
    m = AreaModel(labels=list("abcd"), featurizer=Featurizer([]), coef=rng.normal(size=(F, L)).astype(np.float32),
                  intercept=rng.normal(size=L), platt_a=rng.normal(-3, 1, size=L), platt_b=rng.normal(size=L))
    s = rng.normal(0, 20, size=(5, L))  # some exponents beyond ±50
    plain = 1.0 / (1.0 + np.exp(np.clip(m.platt_a * s + m.platt_b, -50, 50)))
    assert np.array_equal(m.calibrate(s), plain)
    indptr = np.array([0, 3, 3, 7])  # the middle row is empty
    indices = rng.integers(0, F, size=7)
    data = rng.random(7)
    got = m._scores(indptr, indices, data)
    want = np.zeros((3, L))  # the plain form of the sums
    want[[0, 2]] = np.add.reduceat(m.coef[indices] * data[:, None].astype(np.float32), [0, 3], axis=0)
    want = want + m.intercept
    assert np.array_equal(got, want)
    one = m._scores(np.array([0, 3]), indices[:3], data[:3])
    assert np.array_equal(one, (data[:3].astype(np.float32) @ m.coef[indices[:3]] + m.intercept)[None, :])


# ---------------------------------------------------------------------------
# Features

def test_tokens_fold_tone_placement_case_and_digits():
    assert tokens("Hoà Bình, ngày 12/2024") == tokens("HÒA BÌNH, NGÀY 99/1111") == ["hòa", "bình", "ngày", "00", "0000"]


def test_block_vectorizer_matches_scikit_learn_tfidf():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from pipeline.classify.features import ngrams
    texts = ["Giáo dục và đào tạo giáo dục", "Y tế cơ sở, bệnh viện tuyến huyện", "đất đai, giao đất, thu hồi đất",
             "giáo dục y tế đất đai"]
    mine = BlockVectorizer.fit("body", texts, n_max=2, min_df=1)
    sk = TfidfVectorizer(analyzer=lambda t: ngrams(tokens(t), 2), sublinear_tf=True).fit(texts)
    assert mine.terms == list(sk.get_feature_names_out())
    X = sk.transform(texts).toarray()
    fz = Featurizer([mine])
    assert np.allclose(fz.matrix([{"body": t} for t in texts]).toarray(), X)


def _reference_rows(fz: Featurizer, blocks: dict, items) -> np.ndarray:
    """The rows document_and_items must give, built the plain way: the document
    through ``matrix``; each item from its own segments (its text as title, the
    texts of its subtree as separate body segments)."""
    rows = [fz.matrix([blocks]).toarray()[0]]
    for it in _walk(items):
        segs = [(it.text, fz.block_no["title"])] + [(n.text, fz.block_no["body"]) for n in _walk([it])]
        s, c = fz.hits(segs)
        _, c, v = fz.tfidf(np.zeros(len(s), dtype=np.int64), c, 1)
        x = np.zeros(fz.n_features)
        x[c] = v
        rows.append(x)
    return np.array(rows)


def test_document_and_items_match_the_plain_featurisation():
    """The one-pass path (body tokenised once, cut at the items) gives the same
    numbers as vectorising the document and each item separately, also when an
    item's text is not in the body verbatim."""
    import scipy.sparse as sparse
    recs = [pipeline.parse_text(t) for t in (MEDICAL, LAND, EDUCATION_PLAN)]
    docs = [record_blocks(r) for r in recs]
    fz = Featurizer([BlockVectorizer.fit(n, [d[n] for d in docs], n_max=k, min_df=1)
                     for n, k in (("title", 2), ("issuer", 2), ("bases", 2), ("body", 3))])
    rec = recs[2]
    rec.items[0].children[1].text = "Bồi dưỡng giáo viên (văn bản khác)"  # not in the body any more
    for r, d in zip(recs, docs):
        assert r.items
        indptr, indices, data, n = fz.document_and_items(d, r.items)
        got = sparse.csr_matrix((data, indices, indptr), shape=(n, fz.n_features)).toarray()
        assert np.allclose(got, _reference_rows(fz, d, r.items))


def test_dense_lookup_matches_the_plain_featurisation():
    """A bigram-only vocabulary takes the dense look-up table; its rows are
    those of the plain path too, and those of the sorted look-up."""
    import scipy.sparse as sparse
    recs = [pipeline.parse_text(t) for t in (MEDICAL, LAND, EDUCATION_PLAN)]
    docs = [record_blocks(r) for r in recs]
    fz = Featurizer([BlockVectorizer.fit(n, [d[n] for d in docs], n_max=2, min_df=1)
                     for n in ("title", "issuer", "bases", "refs", "body")])
    assert fz._dense is not None
    recs[2].items[0].children[1].text = "Bồi dưỡng giáo viên (văn bản khác)"  # not in the body any more
    for r, d in zip(recs, docs):
        indptr, indices, data, n = fz.document_and_items(d, r.items)
        got = sparse.csr_matrix((data, indices, indptr), shape=(n, fz.n_features)).toarray()
        assert np.allclose(got, _reference_rows(fz, d, r.items))
        dense, fz._dense = fz._dense, None  # the sorted look-up, as for trigram models
        try:
            again = fz.document_and_items(d, r.items)
        finally:
            fz._dense = dense
        assert all(np.array_equal(a, b) for a, b in zip(again[:3], (indptr, indices, data)))


@needs_model
def test_shipped_model_dense_and_sorted_lookups_agree():
    m = load(MODEL)
    fz = m.featurizer
    for text in (MEDICAL, LAND, EDUCATION_PLAN, "zzqx wwkj", "Điều 1. " * 3):
        r = pipeline.parse_text(text)
        b = record_blocks(r)
        p, nnz = m.document_and_items(b, r.items)
        dense, fz._dense = fz._dense, None
        try:
            q, nnz2 = m.document_and_items(b, r.items)
        finally:
            fz._dense = dense
        assert np.array_equal(p, q) and np.array_equal(nnz, nnz2) and len(p) == 1 + len(list(_walk(r.items)))


def test_record_blocks_use_the_parsed_fields():
    rec = pipeline.parse_text(LAND)
    b = record_blocks(rec)
    assert "giao đất" in b["title"]
    assert "TỈNH QUẢNG NAM" in b["issuer"] and "Quyết định" in b["issuer"]
    assert "Luật Đất đai" in b["bases"]
    assert "Điều 1. Giao 2.450" in b["body"] and "Căn cứ" not in b["body"]
    it = rec.items[0]
    assert item_blocks(it)["body"].startswith(it.text) and item_blocks(it)["title"] == it.text


# ---------------------------------------------------------------------------
# Training helpers and baselines

def test_threshold_and_sets():
    P = np.array([[0.9, 0.6, 0.1], [0.2, 0.3, 0.8]])
    assert predict_sets(P, 0.5).tolist() == [[1, 1, 0], [0, 0, 1]]
    assert predict_sets(P, 0.95).tolist() == [[1, 0, 0], [0, 0, 1]]  # the best label is always given
    Y = np.array([[1, 1, 0], [0, 0, 1]], dtype=np.int8)
    assert choose_threshold(P, Y, [0, 1, 2]) <= 0.6
    m = set_metrics(predict_sets(P, 0.5), Y, np.array([0, 2]), P.argmax(1), [0, 1, 2], ["a", "b", "c"])
    assert m["top1"] == 1.0 and m["macro_f1"] == 1.0 and m["micro_f1"] == 1.0


def test_vocabulary_cut_keeps_the_strongest_terms():
    from pipeline.classify.train import Config, Example, fit_linear
    texts = [("giáo dục học sinh trường học", "Giáo dục"), ("bệnh viện y tế khám bệnh", "Thể thao - Y tế"),
             ("giao đất thu hồi đất đai", "Bất động sản")] * 4
    ex = [Example({"title": t, "body": t}, [a], "t") for t, a in texts]
    labels = ["Giáo dục", "Thể thao - Y tế", "Bất động sản"]
    Y = np.array([[int(e.areas[0] == lab) for lab in labels] for e in ex], dtype=np.int8)
    w = np.ones(len(ex))
    full = fit_linear(ex, Y, w, Config(weights={"title": 1.0, "body": 1.0}, keep_features=None), labels)[0]
    fz, coef, _ = fit_linear(ex, Y, w, Config(weights={"title": 1.0, "body": 1.0}, keep_features=10), labels)
    assert fz.n_features == 10 < full.n_features and coef.shape == (10, 3)
    kept = {(b.name, t) for b in fz.blocks for t in b.terms}
    assert kept <= {(b.name, t) for b in full.blocks for t in b.terms}
    X = fz.matrix([e.blocks for e in ex])
    assert (np.asarray(X @ coef).argmax(1) == Y.argmax(1)).all()
    b = full.blocks[0]
    sub = b.subset(np.array([2, 0]))
    assert sub.terms == [b.terms[0], b.terms[2]] and np.allclose(sub.idf, b.idf[[0, 2]])


def test_folds_are_stratified_on_the_first_area():
    first = ["a"] * 10 + ["b"] * 5
    sp = folds(first, 5, 0)
    assert sorted(np.concatenate([te for _, te in sp]).tolist()) == list(range(15))
    assert all(sum(first[i] == "b" for i in te) == 1 for _, te in sp)


def test_keyword_baseline():
    kb = KeywordBaseline("Bộ máy hành chính")
    assert kb.predict({"title": "Về việc giao đất cho UBND xã"})[0] == "Bất động sản"
    assert kb.predict({"title": "abc"}) == ["Bộ máy hành chính"]
    if TAXONOMY.exists():
        assert set(keywords()) == set(read_taxonomy(TAXONOMY))
