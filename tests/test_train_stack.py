"""The second stage of the area model (pipeline/classify/stack.py): what it
reads from a record, what it learns, how it changes the document's best area,
and that it travels in the model file."""

from __future__ import annotations

import numpy as np
import pytest

import pipeline
from pipeline.classify import classify
from pipeline.classify import stack as st
from pipeline.classify.features import BlockVectorizer, Featurizer, record_blocks, tokens
from pipeline.classify.model import MODEL_NAME, MODELS_DIR, TRUSTED, AreaModel, file_types, load
from pipeline.classify.train import Config, Example, label_matrix, stacked_scores

LABELS = ["Bộ máy hành chính", "Bất động sản", "Xuất nhập khẩu", "Tài nguyên - Môi trường", "Giáo dục"]
BM, BDS, XNK, TNMT, GD = range(5)

TTHC_LAND = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 812/QĐ-UBND
Quảng Trị, ngày 05 tháng 4 năm 2025

QUYẾT ĐỊNH
Công bố danh mục thủ tục hành chính sửa đổi, bổ sung trong lĩnh vực đất đai thuộc phạm vi chức năng quản lý của Sở Nông nghiệp và Môi trường

CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
Căn cứ Luật Đất đai ngày 18 tháng 01 năm 2024;
Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ về kiểm soát thủ tục hành chính;

QUYẾT ĐỊNH:
Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính sửa đổi, bổ sung.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
"""


def test_cues_read_the_named_field_the_cited_laws_and_the_procedure_title():
    rec = pipeline.parse_text(TTHC_LAND)
    field, laws, tthc = st.cues(record_blocks(rec), LABELS)
    assert tthc
    assert BDS in field and max(field, key=field.get) == BDS
    assert BDS in laws  # Luật Đất đai
    field, laws, tthc = st.cues({"title": "Về việc ban hành quy chế làm việc", "bases": ""}, LABELS)
    assert (field, laws, tthc) == ({}, {}, False)


def test_field_of_an_upper_case_title_and_its_end():
    field, _, _ = st.cues({"title": "CÔNG BỐ THỦ TỤC HÀNH CHÍNH LĨNH VỰC XUẤT NHẬP KHẨU THUỘC THẨM QUYỀN CỦA SỞ "
                                    "GIÁO DỤC"}, LABELS)
    assert XNK in field and GD not in field  # the field ends at "thuộc"


def test_keyword_hits_count_every_keyword_occurrence():
    hits = st.keyword_hits("giao đất và thu hồi đất; giao đất", LABELS)
    assert hits[BDS] == 3  # "giao đất" twice, "thu hồi đất" once
    assert st.keyword_hits("", LABELS) == {}


def _synthetic(n=120, seed=0):
    """Documents on administrative procedures whose linear scores favour
    Bộ máy hành chính; their gold first area is the named field when it is
    land or trade, Bộ máy hành chính when it is the environment."""
    rng = np.random.default_rng(seed)
    fields = [(BDS, "đất đai", BDS), (XNK, "xuất nhập khẩu", XNK), (TNMT, "môi trường", BM)]
    S, cues, first, blocks = [], [], [], []
    for i in range(n):
        k, name, gold = fields[i % 3]
        s = rng.normal(-1.0, 0.2, len(LABELS))
        s[BM] = 0.5 + rng.normal(0, 0.1)
        s[k] = 0.2 + rng.normal(0, 0.1)
        b = {"title": f"Công bố thủ tục hành chính lĩnh vực {name} thuộc thẩm quyền", "bases": ""}
        S.append(s), cues.append(st.cues(b, LABELS)), first.append(gold), blocks.append(b)
    return np.array(S), cues, np.array(first), blocks


def test_second_stage_learns_which_fields_keep_their_procedures():
    S, cues, first, blocks = _synthetic()
    stage = st.fit(S, cues, first, LABELS)
    assert (S.argmax(1) == first).mean() < 0.4  # the linear scores say Bộ máy hành chính
    S2, cues2, first2, blocks2 = _synthetic(seed=1)
    best = np.array([stage.best(b, s) for b, s in zip(blocks2, S2)])
    assert (best == first2).mean() > 0.95
    assert stage.best(blocks2[2], S2[2]) == BM  # environment procedures stay with Bộ máy hành chính


def test_rerank_moves_only_the_best_area():
    S, cues, first, blocks = _synthetic()
    stage = st.fit(S, cues, first, LABELS)
    s = S[0]  # land: linear best is Bộ máy hành chính
    r = stage.rerank(blocks[0], s)
    assert r.argmax() == BDS
    assert np.allclose(np.delete(r, BDS), np.delete(s, BDS))
    a, b = np.full(len(LABELS), -3.0), np.full(len(LABELS), 0.5)
    P = np.vstack([1 / (1 + np.exp(a * s + b)), np.full(len(LABELS), 0.1)])
    P2 = stage.rerank_calibrated(blocks[0], P, a, b)
    assert P2[0].argmax() == BDS and P2[0, BDS] == P[0].max()
    assert P2[0, BM] == np.nextafter(P[0, BM], 0.0)  # the former best, a hair lower
    assert np.array_equal(np.delete(P2[0], [BDS, BM]), np.delete(P[0], [BDS, BM]))
    assert np.array_equal(P2[1], P[1])  # item rows untouched
    s_env = S[2]
    assert stage.rerank(blocks[2], s_env) is s_env  # nothing to change


def _tiny_model(stage=None) -> AreaModel:
    b = BlockVectorizer.fit("title", ["công bố thủ tục hành chính lĩnh vực đất đai", "quy chế làm việc"], min_df=1)
    fz = Featurizer([b])
    coef = np.zeros((fz.n_features, len(LABELS)), dtype=np.float32)
    coef[b.index[tokens("thủ")[0]], BM] = 3.0
    coef[b.index[tokens("đất")[0]], BDS] = 1.0
    meta = {"stack": stage.state()} if stage is not None else {}
    return AreaModel(labels=LABELS, featurizer=fz, coef=coef, intercept=np.zeros(len(LABELS)),
                     platt_a=np.full(len(LABELS), -1.0), platt_b=np.zeros(len(LABELS)), doc_threshold=0.99, meta=meta)


def test_the_second_stage_travels_in_the_model_file_and_changes_the_best_area(tmp_path):
    S, cues, first, _ = _synthetic()
    stage = st.fit(S, cues, first, LABELS)
    rec = pipeline.parse_text(TTHC_LAND)
    plain = classify(rec.model_copy(deep=True), model=_tiny_model())
    assert plain.areas[0].label == "Bộ máy hành chính"
    m = _tiny_model(stage)
    m.save(tmp_path / "m.skops")
    assert file_types(tmp_path / "m.skops") <= set(TRUSTED)
    m2 = load(tmp_path / "m.skops")
    assert st.for_model(m2) is st.for_model(m2) and np.allclose(st.for_model(m2).w, stage.w)
    got = classify(rec.model_copy(deep=True), model=m2)
    assert got.areas[0].label == "Bất động sản"
    assert got.areas[0].score == plain.areas[0].score  # the best score moves to the chosen area


def test_stacked_scores_fit_the_second_stage_inside_the_folds(monkeypatch):
    """The second stage of a fold never sees that fold's documents."""
    from pipeline.classify import train as T
    ex = [Example({"title": f"t{i}", "body": "x"}, [LABELS[i % 2]], "train") for i in range(20)]
    splits = T.folds([e.areas[0] for e in ex], 5, 0)
    seen = []
    monkeypatch.setattr(T, "cross_val_scores", lambda sub, *a, **k: (seen.append({e.blocks["title"] for e in sub}),
                                                                     np.zeros((len(sub), len(LABELS))))[1])
    monkeypatch.setattr(T._stack, "fit", lambda S, cues, first, labels, C: st.Stack(np.zeros(len(st.FEATURES) + 2 * len(labels)), labels))
    S = np.random.default_rng(0).normal(size=(20, len(LABELS)))
    out = stacked_scores(ex, [], LABELS, Config(), splits, S)
    for (tr, te), titles in zip(splits, seen):
        assert titles == {f"t{i}" for i in tr}
    assert out.shape == S.shape


@pytest.mark.skipif(not (MODELS_DIR / MODEL_NAME).exists(), reason="models/areas.skops not built")
def test_shipped_model_carries_its_second_stage():
    m = load(MODELS_DIR / MODEL_NAME)
    stage = st.for_model(m)
    assert stage is not None and len(stage.w) == len(st.FEATURES) + 2 * len(m.labels)
    assert stage.base[0] + stage.base[1] > 0  # a higher linear score still means a likelier area
