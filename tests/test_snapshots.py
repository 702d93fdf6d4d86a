"""Whole-record snapshots: the seeds and the project's own corpus parse to
exactly the records stored in ``tests/snapshots/``.

A change to any field, span, method or warning shows up as a diff here, so a
parser change that moves something is seen and judged, not slipped through.
After a deliberate change, rewrite the snapshots and review the diff in git:

    VANBAN_UPDATE_SNAPSHOTS=1 python3 -m pytest -q tests/test_snapshots.py

Left out of the comparison: the path (machine-dependent) and the content
areas, whose scores move whenever the classifier is retrained (the classifier
has tests of its own).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import pipeline

ROOT = Path(__file__).resolve().parents[1]
SNAPS = Path(__file__).resolve().parent / "snapshots"
SEEDS = ROOT.parent / "shared" / "seeds"
UPDATE = os.environ.get("VANBAN_UPDATE_SNAPSHOTS") == "1"

OWN = sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file() and p.suffix in (".txt", ".md"))
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.exists() else []


def _stable(obj):
    """The record without the fields that are not the parser's to fix; long
    texts (item bodies) are kept as a digest, so that the snapshots hold no
    copy of the documents' content."""
    if isinstance(obj, dict):
        return {k: _stable(v) for k, v in obj.items() if k not in ("path", "areas")}
    if isinstance(obj, list):
        return [_stable(v) for v in obj]
    if isinstance(obj, str) and len(obj) > 120:
        return f"{len(obj)} chars, sha1 {hashlib.sha1(obj.encode()).hexdigest()[:16]}"
    return obj


def _check(path: Path, name: str) -> None:
    got = _stable(pipeline.parse(path).to_dict())
    snap = SNAPS / f"{name}.json"
    if UPDATE:
        SNAPS.mkdir(exist_ok=True)
        snap.write_text(json.dumps(got, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    assert snap.exists(), f"no snapshot for {name}: run with VANBAN_UPDATE_SNAPSHOTS=1 and review it"
    want = json.loads(snap.read_text(encoding="utf-8"))
    if got != want:
        diff = [k for k in sorted(set(got) | set(want)) if got.get(k) != want.get(k)]
        pytest.fail(f"{name}: record differs from its snapshot in {diff}")


def _own_name(path: Path) -> str:
    """``own-<stem>``; a file in a subfolder whose stem another file also has
    (``corpus/hard/README.md`` beside ``corpus/README.md``) adds its folder."""
    if path.parent != ROOT / "corpus" and sum(p.stem == path.stem for p in OWN) > 1:
        return "own-" + path.relative_to(ROOT / "corpus").with_suffix("").as_posix().replace("/", "-")
    return "own-" + path.stem


@pytest.mark.parametrize("path", OWN, ids=[p.name for p in OWN])
def test_own_corpus_record_matches_snapshot(path):
    _check(path, _own_name(path))


@pytest.mark.skipif(not SEED_FILES, reason="../shared/seeds is absent")
@pytest.mark.parametrize("path", SEED_FILES, ids=[p.name for p in SEED_FILES])
def test_seed_record_matches_snapshot(path):
    _check(path, "seed-" + path.stem)
