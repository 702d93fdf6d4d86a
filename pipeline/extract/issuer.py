"""Issuing body and the body above it (spec §2.2).

From the header: the left-column upper-case pieces are grouped into body
names (a piece opening with a body word such as ``SỞ``, ``UBND``, ``CỤC``
starts a name; any other piece continues the one above: ``ỦY BAN NHÂN DÂN`` /
``TỈNH LÂM ĐỒNG``); the last name is the issuer, the one before it the parent.

Without a header the issuer is taken from the body (method ``inferred``): the
body named as the subject of the opening paragraph or the closing sentence
(``Trên đây là … của X``, ``X xin trân trọng báo cáo``), in the fullest form
the text gives for it, preferring the form that names the date line's place.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

from .. import patterns as P
from ..normalize import clean_value, fold, tone_key
from ..zones import Layout, Snip
from ..vocab import vocab


@dataclass
class IssuerValue:
    issuer: Optional[Snip]
    parent: Optional[Snip]
    method: str
    confidence: float
    issuer_text: Optional[str] = None


def _names(pieces: list[Snip]) -> list[Snip]:
    heads = vocab().body_heads_re
    names: list[list[Snip]] = []
    for p in pieces:
        f = " ".join(p.folded.split())
        if f in ("dang cong san viet nam",):
            continue
        starts = bool(heads.match(f))
        if names:
            prev = " ".join(Snip.join(names[-1]).folded.split())
            # a name is never one word ("ỦY" / "BAN NHÂN DÂN"), nor ends with a
            # connector or a collegial word waiting for its owner
            if len(prev.split()) == 1 or (" " + prev).endswith((" va", ",", "-", "–", " thuong vu", " thuong truc",
                                                                 " chap hanh")):
                starts = False
        if names and not starts:
            names[-1].append(p)
        else:
            names.append([p])
    return [Snip.join(n).collapsed() for n in names]


_WORD = re.compile(r"\S+")
_KEEP_MARKS = {"-", "–", "&", "(", ")"}


def _tidy(name: Snip) -> Snip:
    """Specks read by OCR as marks (``ỦY BAN NHÂN DÂN THÀNH ˆ PHỐ HÀ NỘI -``,
    ``TRUNG ƯƠNG\\``) removed: words with no letter or digit other than the
    dashes that join two names, and dashes or commas left at the end."""
    words = [name[m.start():m.end()] for m in _WORD.finditer(name.text)]
    kept = [w for w in words if w.text in _KEEP_MARKS or any(_letter_or_digit(ch) for ch in w.text)]
    if len(kept) < len(words):
        name = Snip.join(kept) if kept else name[0:0]
    return name.strip(" -–,;\\/|")


def _letter_or_digit(ch: str) -> bool:
    return unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lo", "Nd")  # not modifier letters such as ˆ


def issuer_from_header(lay: Layout) -> Optional[IssuerValue]:
    names = [n for n in (_tidy(n) for n in _names(lay.header_left)) if n]
    if not names:
        return None
    issuer = names[-1]
    parent = names[-2] if len(names) > 1 else None
    return IssuerValue(issuer, parent, "header", 0.95)


# -- inference from the body --------------------------------------------------

_HEADS = (r"Sở|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Phòng|Trường|Bộ|Cục|Chi cục|Tổng cục|Ban|Trung tâm|"
          r"Văn phòng|Hội đồng nhân dân|HĐND|Thanh tra|Viện|Bệnh viện|Công an|Đảng ủy|Đảng uỷ|Tỉnh ủy|Tỉnh uỷ|"
          r"Huyện ủy|Huyện uỷ|Thành ủy|Thành uỷ|Kho bạc|Ngân hàng|Đoàn|Hội|Liên đoàn|Công ty")
_CAP = r"[" + P.UPPER + r"][\w'-]*"
_LOW = r"[" + P.LOWER + r"][\w'-]*"
# sentence-case names: "Sở Giáo dục và Đào tạo tỉnh Hòa Bình", "Sở Văn hóa, Thể thao và Du lịch"
_NAME = re.compile(
    r"(?<!\w)(?:" + _HEADS + r")(?:(?:\s+(?:và|&)|,|\s+-)?\s+" + _CAP + r"(?:\s+" + _LOW + r")?){0,6}"
    r"(?:\s+(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|TP\.?)\s+" + _CAP + r"(?:\s+" + _CAP + r"){0,3})?")
_SUBJECT_CLOSING = re.compile(r"(?:của|,)\s*$")
_SUBJECT_VERB = re.compile(r"\s+(?:xây dựng|ban hành|báo cáo|xin|kính|thông báo|đề nghị|trân trọng|hướng dẫn|tổ chức|"
                           r"triển khai|đã|thực hiện|đề xuất|ban|giao|yêu cầu|chỉ đạo|tổng hợp|trình|tiếp nhận|có ý kiến)\b")


def _mentions(text: str) -> list[re.Match]:
    return list(_NAME.finditer(text))


def issuer_from_body(lay: Layout, place: Optional[str]) -> Optional[IssuerValue]:
    """The body as the text names it, when the header is missing."""
    paras = lay.body
    if not paras and not lay.preamble:
        return None
    candidates: list[Snip] = []
    # the subject of the first body paragraph(s) and of the closing sentence
    first = [p for p in (lay.preamble[-1:] + paras[:2]) if p]
    closing = [p for p in paras[-4:] if re.match(r"^(Trên đây|Trên cơ sở|Vậy|Kính đề nghị)", p.text)]
    for p in first + closing:
        for m in _mentions(p.text):
            tail = p.text[m.end():m.end() + 40]
            before = p.text[max(0, m.start() - 12):m.start()]
            subject = bool(_SUBJECT_VERB.match(tail)) or m.start() == 0 or before.rstrip().endswith(";")
            if p in closing and _SUBJECT_CLOSING.search(before):
                subject = True
            if subject:
                candidates.append(p[m.start():m.end()])
    if not candidates:
        return None
    # the fullest form of the commonest base name, preferring the date line's place
    base = candidates[0]
    key = fold(base.text)
    all_text = "\n".join(p.text for p in lay.preamble + paras)
    forms = {}
    for m in _mentions(all_text):
        if fold(m.group(0)).startswith(key):
            forms.setdefault(m.group(0), 0)
            forms[m.group(0)] += 1
    best = base.text
    if forms:
        place_key = tone_key(fold(place)) if place else None
        ranked = sorted(forms, key=lambda s: ((place_key is not None and place_key in tone_key(fold(s))),
                                              len(s), forms[s]), reverse=True)
        if place_key is None or place_key in tone_key(fold(ranked[0])) or len(ranked[0]) == len(base.text):
            best = ranked[0]
        else:
            best = base.text
    return IssuerValue(base, None, "inferred", 0.6, clean_value(best))
