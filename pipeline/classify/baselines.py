"""Baselines printed beside the model by ``vanban evaluate --areas``.

* **majority**: every document gets the most frequent first area of the
  training documents.
* **keyword**: the hand-written keyword lists of ``keywords.yaml`` (one list
  per area, not tuned on the data); an area scores 3 per hit in the title,
  2 per hit in issuer/type and 1 per hit elsewhere; the best area wins, the
  majority area when nothing matches.  Areas scoring at least half the best
  are added as further labels.

The same keyword lists also map the field named in a title and the names of
cited laws to areas for the model's second stage (:mod:`.stack`); they were
written before it and are not tuned for it.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import yaml

from .features import tokens

KEYWORDS_FILE = Path(__file__).with_name("keywords.yaml")


@lru_cache(maxsize=1)
def keywords() -> dict[str, list[str]]:
    data = yaml.safe_load(KEYWORDS_FILE.read_text(encoding="utf-8"))
    return {label: [" ".join(tokens(k)) for k in kws] for label, kws in data.items()}


def _hits(text: str, kw: str) -> int:
    return f" {text} ".count(f" {kw} ")


class KeywordBaseline:
    WEIGHTS = {"title": 3.0, "issuer": 2.0, "bases": 1.0, "body": 1.0}

    def __init__(self, fallback: str):
        self.fallback = fallback
        self.kw = keywords()

    def predict(self, blocks: dict[str, str]) -> list[str]:
        score: Counter = Counter()
        for name, w in self.WEIGHTS.items():
            text = " ".join(tokens(blocks.get(name, "")))
            if not text:
                continue
            for label, kws in self.kw.items():
                n = sum(_hits(text, k) for k in kws)
                if n:
                    score[label] += w * n
        if not score:
            return [self.fallback]
        ranked = score.most_common()
        best = ranked[0][1]
        return [lab for lab, s in ranked if s >= best / 2][:3]


class MajorityBaseline:
    def __init__(self, train_first_labels: Sequence[str]):
        self.label = Counter(train_first_labels).most_common(1)[0][0]

    def predict(self, blocks: dict[str, str]) -> list[str]:
        return [self.label]
