"""Số và ký hiệu (spec §2.3 state grammar, §5 Party grammar, §8.1-8.2 noise).

``parse_number`` turns the folded match of ``patterns.NUMBER_STATE`` or
``patterns.NUMBER_PARTY`` into the printed form the gold uses (spaces removed,
every dash written ``-``, a blank serial kept as ``/KH-SGD&ĐT``) and its parts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .. import patterns as P
from ..record import NumberParts
from ..vocab import vocab

_DASHES = re.compile(P.DASH)


@dataclass
class NumberValue:
    number: str
    parts: NumberParts
    blank: bool


def _chunks(sym: str) -> list[str]:
    return [c for c in _DASHES.sub("-", re.sub(r"\s+", "", sym)).split("-") if c]


def parse_number(clean: str, m: re.Match, party: bool) -> Optional[NumberValue]:
    """``clean``: the clean text the folded match ``m`` was made on."""
    num = clean[m.start("num"):m.end("num")].strip(" .…_")
    sym = re.sub(r"\s+", "", clean[m.start("sym"):m.end("sym")]).rstrip(".")
    sym = _DASHES.sub("-", sym)
    chunks = _chunks(sym)
    if not chunks:
        return None
    v = vocab()
    if party:
        tcode = re.sub(r"\s+", "", clean[m.start("type"):m.end("type")])
        number = f"{num}-{tcode}/{sym}"
        parts = NumberParts(serial=num or None, type_code=tcode, issuer_code=chunks[0],
                            unit_code="-".join(chunks[1:]) or None, regime="party")
        return NumberValue(number, parts, not num)
    year = m.group("year")
    number = f"{num}/{year + '/' if year else ''}{sym}"
    c0 = chunks[0]
    if v.type_of_code(c0):
        parts = NumberParts(serial=num or None, year=int(year) if year else None, type_code=c0,
                            issuer_code=chunks[1] if len(chunks) > 1 else None,
                            unit_code="-".join(chunks[2:]) or None)
    else:  # công văn, or a law "80/2015/QH13"
        parts = NumberParts(serial=num or None, year=int(year) if year else None, type_code=None,
                            issuer_code=c0, unit_code="-".join(chunks[1:]) or None)
    return NumberValue(number, parts, not num)


def normalize_cited(clean: str) -> str:
    """A number cited in running text written the way the gold writes it."""
    return _DASHES.sub("-", re.sub(r"\s+", "", clean)).rstrip(".")
