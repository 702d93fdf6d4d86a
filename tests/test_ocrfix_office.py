"""Office titles of OCR'd signers respelled from the vocabulary
(pipeline/extract/ocrfix.py ``respell_office``): a near match is taken only
when the words it changes are no Vietnamese syllables, so a real word is
never respelled into another real word."""

from __future__ import annotations

import pytest

from pipeline.extract import ocrfix

pytest.importorskip("underthesea")   # the syllable list the rule needs

OFFICE = [
    # (rule, printed, expected)
    ("a_real_word_is_not_made_another", "TRƯỞNG TRẠI", "TRƯỞNG TRẠI"),
    ("the_title_itself_kept", "TRƯỞNG TRẠM", "TRƯỞNG TRẠM"),
    ("a_lost_last_letter_restored", "PHÓ CHỦ TỊC", "PHÓ CHỦ TỊCH"),
    ("marks_only_respelled", "CHÁNH VĂN PHONG", "CHÁNH VĂN PHÒNG"),
    ("a_misread_mark_respelled", "GIÁM ĐÔC", "GIÁM ĐỐC"),
    ("a_word_without_marks_may_be_misread", "PHO CHIU TỊCH", "PHÓ CHỦ TỊCH"),
    ("a_longer_real_title_untouched", "PHÓ GIÁM ĐỐC SỞ", "PHÓ GIÁM ĐỐC SỞ"),
]


@pytest.mark.parametrize("rule, printed, expected", OFFICE, ids=[c[0] for c in OFFICE])
def test_respell_office_never_swaps_real_words(rule, printed, expected):
    assert ocrfix.respell_office(printed) == expected


@pytest.mark.parametrize("value, canon, changed", [
    ("TRƯỞNG TRẠI", "truong tram", True),     # 'trại' is a syllable the title lacks
    ("PHÓ CHỦ TỊC", "pho chu tich", False),   # 'tịc' is none
    ("PHÓ GIÁM ĐÓC", "pho giam doc", False),  # every word folds to one of the title's
    ("PHO CHIU TỊCH", "pho chu tich", False), # 'chiu' printed without marks: OCR may have lost them
])
def test_real_word_changed(value, canon, changed):
    assert ocrfix._real_word_changed(value, canon) is changed


# -- the signers' confidence of an OCR'd record ---------------------------------

from pipeline.record import Provenance, Record, Signer  # noqa: E402

REREAD = "page 2: signature block read again (psm 6, dark ink): 3 → 7 words; mean word confidence 80"
CONFIDENCE = [
    # (rule, warnings, position as read, name, expected method, expected confidence)
    ("page_reading_kept", [], "PHÓ CHỦ TỊCH", "Trần Ngọc Căng", "footer", 0.9),
    ("block_read_again", [REREAD], "PHÓ CHỦ TỊCH", "Trần Ngọc Căng", "footer+reread", 0.72),
    ("reread_on_another_page", [REREAD.replace("page 2", "page 1")], "PHÓ CHỦ TỊCH", "Trần Ngọc Căng",
     "footer", 0.9),
    ("title_put_right", [], "PHÓ CHỦ TỊC", "Trần Ngọc Căng", "footer+vocabulary", 0.765),
    ("both", [REREAD], "PHÓ CHỦ TỊC", "Trần Ngọc Căng", "footer+reread+vocabulary", 0.612),
    ("name_no_name", [], "PHÓ CHỦ TỊCH", "rần Ngọc Căng", "footer", 0.72),
]


@pytest.mark.parametrize("rule, warnings, position, name, method, conf", CONFIDENCE, ids=[c[0] for c in CONFIDENCE])
def test_signer_confidence(rule, warnings, position, name, method, conf):
    rec = Record(warnings=list(warnings), signers=[Signer(authority="KT.", title="CHỦ TỊCH", position=position,
                                                          name=name, span=(1500, 1560))])
    rec.provenance["signers"] = Provenance(span=(1500, 1560), method="footer", confidence=0.9)
    ocrfix.repair_record(rec, page_starts=[0, 1000])      # the block on page 2
    assert rec.signers[0].position == "PHÓ CHỦ TỊCH"
    assert rec.provenance["signers"].method == method
    assert rec.provenance["signers"].confidence == pytest.approx(conf)


def test_reread_confidences_from_the_warnings():
    from pipeline.ingest import signature

    assert signature.reread_confidences([signature.page_note(3, "signature block read again; mean word "
                                                                  "confidence 91"), "OCR could not read"]) == {3: 0.91}
