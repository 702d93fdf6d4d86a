"""The handwritten-digit recogniser (pipeline/ingest/digits.py) on digits
drawn here with PIL pen strokes, as a hand fills the blank of ``Số: __/UBND``:
segmentation (separate, touching, with a bar or a flag, under a ruled
line), reading with the shipped model, the model file's trust check."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from pipeline.ingest import digits as D

# strokes of each digit in a 40 px high, 24 px wide box (x right, y down)
STROKES = {
    "0": [[(12, 0), (4, 6), (1, 20), (4, 34), (12, 40), (20, 34), (23, 20), (20, 6), (12, 0)]],
    "1": [[(2, 22), (8, 12), (16, 0), (15, 40)]],                      # Vietnamese: long lead-in up-stroke
    "2": [[(2, 9), (8, 1), (16, 0), (22, 7), (20, 17), (2, 40), (24, 40)]],
    "3": [[(2, 4), (10, 0), (20, 4), (20, 14), (10, 19), (22, 26), (21, 36), (11, 40), (1, 35)]],
    "4": [[(16, 0), (1, 27), (24, 27)], [(17, 6), (17, 40)]],
    "5": [[(5, 0), (4, 18), (14, 15), (22, 24), (21, 35), (12, 40), (2, 36)], [(5, 0), (22, 0)]],
    "7": [[(1, 0), (23, 0), (9, 40)], [(6, 20), (21, 20)]],             # with a bar
    "8": [[(20, 5), (12, 0), (4, 5), (5, 14), (19, 25), (21, 35), (12, 40), (3, 35), (5, 25), (19, 14), (20, 5)]],
}


def written(text: str, gap: int = 12, width: int = 4, touch: bool = False, rule: bool = False,
            slant: float = 0.15) -> Image.Image:
    """A cut-out with ``text`` written in it by pen: 70 px high, digits 40 px,
    slanted, on a slightly grey paper."""
    step = 24 + (-3 if touch else gap)
    img = Image.new("L", (20 + step * len(text) + 20, 70), 235)
    d = ImageDraw.Draw(img)
    for i, ch in enumerate(text):
        x0 = 15 + i * step
        for s in STROKES[ch]:
            pts = [(x0 + x + (40 - y) * slant, 15 + y) for x, y in s]
            d.line(pts, fill=20, width=width, joint="curve")
    if touch:   # the pen runs on from one digit to the next along the base
        d.line((15, 55, 15 + step * len(text), 55), fill=20, width=width)
    if rule:
        d.line((0, 3, img.width, 3), fill=40, width=2)
    return img


@pytest.fixture(scope="module")
def model():
    m = D.default_model()
    assert m is not None, "models/digits.skops must ship with the project"
    return m


def test_ink_and_blobs_split_separate_digits():
    assert len(D.blobs(D.ink_mask(written("280")))) == 3
    assert len(D.blobs(D.ink_mask(written("11")))) == 2


def test_bar_of_seven_and_flag_of_five_stay_with_their_digit():
    for text in ("7", "5", "57", "575"):
        img = written(text)
        # draw the bar or the flag as a separate stroke that does not touch
        assert len(D.blobs(D.ink_mask(img))) == len(text), text


def test_ruled_line_and_specks_are_dropped():
    img = written("08", rule=True)
    ImageDraw.Draw(img).ellipse((3, 40, 6, 43), fill=0)     # a colon dot
    assert len(D.blobs(D.ink_mask(img))) == 2


def test_normalise_centres_and_scales():
    a = D.normalise(D.ink_mask(written("0")))
    assert a.shape == (D.SIZE, D.SIZE)
    ys, xs = np.nonzero(a > 0.3)
    assert ys.max() - ys.min() + 1 >= D.BOX - 2 and ys.max() - ys.min() + 1 <= D.BOX + 1
    assert abs(ys.mean() - D.SIZE / 2) < 3 and abs(xs.mean() - D.SIZE / 2) < 3
    assert not D.normalise(np.zeros((10, 10), bool)).any()


@pytest.mark.parametrize("text", ["11", "07", "280", "575", "03", "04", "22", "01", "8", "11"])
def test_reads_drawn_serials_and_days(model, text):
    r = D.read(written(text), model)
    assert r is not None and r.text == text, (text, r)
    assert len(r.probs) == len(text) and r.conf == min(r.probs)


def test_touching_digits_are_cut(model):
    r = D.read(written("11", touch=True), model)
    assert r is not None and len(r.text) == 2


def test_nothing_written_reads_nothing(model):
    assert D.read(Image.new("L", (80, 60), 240), model) is None
    assert D.read(written("0" * 7, gap=4), model) is None          # more than six digit shapes


def test_model_file_round_trip_and_trust(model, tmp_path):
    p = tmp_path / "d.skops"
    model.save(p)
    again = D.load(p)
    f = D.features(np.stack([D.normalise(D.ink_mask(written("7")))]))
    assert np.allclose(again.proba(f), model.proba(f))
    import skops.io as sio
    from sklearn.linear_model import LogisticRegression
    bad = tmp_path / "bad.skops"
    sio.dump({"format": 1, "clf": LogisticRegression()}, bad)
    from pipeline.classify.model import UntrustedModelError
    with pytest.raises(UntrustedModelError):
        D.load(bad)
    assert D.default_model(tmp_path / "missing.skops") is None
    junk = tmp_path / "junk.skops"
    junk.write_bytes(b"not a zip")
    assert D.default_model(junk) is None


def test_leader_dots_and_a_big_colon_are_not_digits():
    # round marks up to a third of the height: the colon before the blank,
    # the dots of a dotted leader after it; neither joins a digit
    img = written("28")
    d = ImageDraw.Draw(img)
    d.ellipse((2, 28, 10, 36), fill=20)                  # a bold colon dot, close to the 2
    for x in range(img.width - 30, img.width - 2, 9):
        d.ellipse((x, 50, x + 5, 55), fill=20)            # leader dots on the base line
    assert len(D.blobs(D.ink_mask(img))) == 2


def test_variants_are_small_changes_of_the_same_ink():
    m = D.ink_mask(written("4"))
    vs = D.variants(m)
    assert len(vs) == 7 and all(v.dtype == bool and v.any() for v in vs)
    assert vs[0] is m and vs[1].sum() > m.sum() > vs[2].sum()


def test_two_digits_run_together_read_as_not_a_digit(model):
    # the reject class: a pair of pen-drawn digits in one blob, as a missed
    # cut leaves them, is not read as one digit
    from pipeline.ingest.digits_train import draw
    rng = np.random.default_rng(123)
    rejected = 0
    for _ in range(20):
        a, b = draw(int(rng.integers(10)), rng), draw(int(rng.integers(10)), rng)
        pair = np.hstack([a[:, a.any(axis=0)], b[:, b.any(axis=0)]])
        rejected += D._classify(model, [pair])[0].argmax() == D.REJECT
    assert rejected >= 16
    r = D.read(written("28"), model)
    assert r is not None and "?" not in r.text


def test_a_reading_stands_alone_only_when_sure_and_whole(model):
    r = D.read(written("08"), model)
    assert r is not None and r.text == "08" and r.alone(model)
    assert not D.Reading("08", r.conf, r.probs, clipped=True).alone(model)
    assert not D.Reading("08", model.solo - 0.01, [1.0, model.solo - 0.01]).alone(model)
    assert not D.Reading("0?", 0.0, [1.0, 0.0]).confident(model)
    assert model.threshold <= model.solo < 1.0


def test_clipped_only_when_the_edge_cuts_a_digit(model):
    img = written("08")
    whole = D.read(img, model)
    assert whole is not None and not whole.clipped
    # the edge through the middle of the 0: more than one stroke end, clipped
    mid = D.read(img.crop((25, 0, img.width, img.height)), model)
    assert mid is not None and mid.clipped and not mid.alone(model)
    # the edge through the end of a thin lead-in stroke only: whole
    tip = Image.new("L", (90, 70), 235)
    d = ImageDraw.Draw(tip)
    for x0 in (10, 45):
        d.line([(x0 - 14, 44), (x0, 32), (x0 + 10, 12), (x0 + 10, 55)], fill=20, width=4, joint="curve")
    r = D.read(tip.crop((3, 0, 90, 70)), model)
    assert r is not None and not r.clipped
    # … but a wide blot at the edge is clipped
    d.rectangle((0, 20, 8, 50), fill=20)
    d.line([(8, 35), (20, 35)], fill=20, width=4)
    r = D.read(tip.crop((3, 0, 90, 70)), model)
    assert r is not None and r.clipped


def test_two_small_digits_run_together_in_a_square_are_cut(model):
    # "23" written close and small: one blob no wider than tall, read as not one digit
    mask = D.ink_mask(written("23", gap=-2))
    ys, xs = np.nonzero(mask)
    sub = mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    h = sub.shape[0]
    square = np.pad(np.asarray(Image.fromarray(sub.astype(np.uint8) * 255).resize((h, h))) > 127, 6)
    bs = D.blobs(square)
    assert len(bs) == 1 and D._sure(model, bs[0].mask()).argmax() == D.REJECT
    r = D.read(square, model)
    assert r is not None and r.text == "23"
    # a wide Vietnamese 1 (lead-in from the base, down-stroke back to the right) is never cut into "11"
    img = Image.new("L", (70, 70), 235)
    ImageDraw.Draw(img).line([(12, 55), (25, 30), (34, 12), (38, 18), (52, 56)], fill=20, width=6, joint="curve")
    r = D.read(img, model)
    assert r is not None and r.text == "1"


def test_features_of_a_digit_do_not_depend_on_its_batch():
    # the gradients are taken within each image, never across the stack
    imgs = np.stack([D.normalise(D.ink_mask(written(t))) for t in ("4", "7", "0")])
    together = D.features(imgs)
    alone = np.stack([D.features(imgs[i:i + 1])[0] for i in range(len(imgs))])
    assert np.allclose(together, alone)
