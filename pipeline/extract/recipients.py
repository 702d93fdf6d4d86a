"""Nơi nhận and Kính gửi (spec §2.9).

One entry per dash item (wrapped lines joined), trailing ``;``/``.``/``,``
removed, a final parenthesised purpose split off (``(để báo cáo)``,
``(b/c)``); the ``Lưu`` line is its own entry with its parts (VT, units,
copies, drafter's initials).
"""

from __future__ import annotations

import re
from typing import Optional

from .. import patterns as P
from ..normalize import Text, clean_value, fold
from ..record import Archive, Recipient
from ..vocab import vocab
from ..zones import Snip

_PURPOSE = re.compile(r"\(\s*(?P<p>[^()]{1,80})\s*\)\s*[;.,:]?\s*$")
_COPIES = re.compile(r"^\(?\s*(\d{1,3})\s*b(?:ản)?\s*\)?$", re.I)
# "(02 bản)" at the end of a token: a match starts at "(" or where a run of
# spaces starts (the leftmost match anyway), never inside the run, which
# keeps a long run of spaces linear
_COPIES_TAIL = re.compile(r"(?:\(|(?<!\s))\s*(\d{1,3})\s*b(?:ản)?\s*\)?$", re.I)


def _purpose(text: str) -> tuple[str, Optional[str]]:
    m = _PURPOSE.search(text)
    if not m:
        return text, None
    p = clean_value(m.group("p"))
    f = fold(p)
    if f.startswith("de ") or f in vocab().purposes:
        return text[:m.start()].rstrip(" ;,."), p
    return text, None


def parse_archive(body: str) -> Archive:
    """The parts of the text after ``Lưu:`` (spec §2.9 algorithm)."""
    a = Archive()
    body = body.strip()
    m = re.search(r"\.\s*([A-ZĐ][\wÀ-ỹ]{1,15})\.?$", body)
    if m and "," not in m.group(1):
        a.drafter = m.group(1)
        body = body[:m.start()]
    body = body.rstrip(" .;")
    for tok in re.split(r"[,;]", body):
        tok = tok.strip()
        if not tok:
            continue
        c = _COPIES_TAIL.search(tok)
        if c and (tok == c.group(0) or tok.endswith(")")):
            a.copies = int(c.group(1))
            tok = tok[:c.start()].strip()
            if not tok:
                continue
        if fold(tok) in ("vt", "van thu"):
            a.vt = True
        else:
            a.units.append(tok)
    return a


def _entry(s: Snip, text: Text, kind: str) -> Optional[Recipient]:
    t = clean_value(s.text)
    t = re.sub(r"^[-–—•+*]\s*", "", t)
    t = t.rstrip(" ;,:")
    if t.endswith(".") and not t.endswith("./."):
        t = t[:-1].rstrip()
    if not t:
        return None
    span = text.source_span(s.start, s.end)
    if P.LUU.match(fold(t)):
        lm = P.LUU.match(fold(t))
        return Recipient(text=t, purpose=None, kind="lưu", archive=parse_archive(t[lm.end():]), span=span)
    t, purpose = _purpose(t)
    return Recipient(text=t.rstrip(" ;,"), purpose=purpose, kind=kind, span=span)


def _group(cells: list[Snip]) -> list[Snip]:
    """Dash items with their wrapped continuation lines."""
    items: list[list[Snip]] = []
    for c in cells:
        starts = c.text[:1] in "-–—•+*" or P.LUU.match(c.folded)
        if items and not starts:
            prev = items[-1][-1].text.rstrip()
            if not prev.endswith((";", ".")) or c.text[:1].islower():
                items[-1].append(c)
                continue
        items.append([c])
    return [Snip.join(i) for i in items]


def recipients(cells: list[Snip], text: Text) -> list[Recipient]:
    out = []
    for s in _group(cells):
        r = _entry(s, text, "nơi nhận")
        if r:
            out.append(r)
    return out


_SPLIT_INLINE = re.compile(r"(?:^|(?<=[;,.:]))\s*[-–•+]\s+")


def addressees(cells: list[Snip], text: Text) -> list[Recipient]:
    if not cells:
        return []
    first = cells[0]
    m = P.KINH_GUI.match(first.folded)
    rest = first[m.end():] if m else first
    pieces: list[Snip] = []
    if rest:
        # "Kính gửi: - A; - B." flattened on one line
        marks = list(_SPLIT_INLINE.finditer(rest.text))
        if len(marks) > 1:
            ends = [m.start() for m in marks[1:]] + [len(rest.text)]
            pieces.extend(rest[m.end():e] for m, e in zip(marks, ends))
        else:
            pieces.append(rest)
    pieces.extend(cells[1:])
    label = first.folded[:m.end()] if m else ""
    kind = "kính trình" if label.startswith("kinh trinh") else "điện" if "dien" in label else "kính gửi"
    out = []
    for s in _group(pieces):
        r = _entry(s, text, kind)
        if r:
            out.append(r)
    return out
