"""Regular expressions shared by the zoning and extraction stages.

All patterns run on the *folded* text (``normalize.fold``: lower case, no
diacritics, same length as the clean text), so ``Số:``/``So:``,
``Nơi nhận``/``Noi nhan`` and ``CỘNG HÒA``/``Cong hoa`` match alike (spec
§0.5, §8.1); values are then sliced from the clean text at the same offsets.

Every quantifier is bounded or separated by a literal, so that no pattern
backtracks catastrophically on a long line.
"""

from __future__ import annotations

import functools
import re

# Vietnamese capitals and lower-case letters as character-class bodies.  (A
# range such as ``À-Ỹ`` does not do: U+00C0..U+1EF8 holds the lower-case
# letters too, interleaved with the capitals.)
UPPER = "A-ZĐÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸ"
LOWER = UPPER.lower()

DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"
SYM = r"[a-z][a-z0-9&]{0,15}"            # one symbol chunk: qd, ubnd, sgd&dt, qh15, gdtrh
SYMS = SYM + r"(?:(?:[ ]?" + DASH + r"[ ]?|/|\.(?=[a-z]))" + SYM + r"){0,6}"   # 01/2004/TTLT/BVHTT-BYT, QC-TT.HĐND-UBND
BLANK = r"[ .…_]{0,40}"

QUOC_HIEU = re.compile(r"cong\s{0,3}h[a-z]{1,2}\s{0,2}a?\s{0,3}xa\s{0,3}hoi\s{0,3}chu\s{0,3}nghia\s{0,3}viet\s{0,3}nam")
TIEU_NGU = re.compile(r"doc\s{0,3}lap\s{0,3}(?:" + DASH + r"|,)?\s{0,3}tu\s{0,3}do\s{0,3}(?:" + DASH + r"|,)?\s{0,3}hanh\s{0,3}phuc")
PARTY_HEAD = re.compile(r"dang\s{1,3}cong\s{1,3}san\s{1,3}viet\s{1,3}nam")
YOUTH_HEAD = re.compile(r"doan\s{1,3}(?:tncs|thanh\s{1,3}nien\s{1,3}cong\s{1,3}san)\s{1,3}ho\s{1,3}chi\s{1,3}minh")

# số và ký hiệu (spec §2.3, §5).  ``label`` also takes "Luật số", "Nghị quyết số".
_NUM_LABEL = r"(?<![a-z0-9])(?P<label>so)\s{0,3}[:.]?\s{0,8}"
NUMBER_STATE = re.compile(
    _NUM_LABEL + r"(?P<num>\d{1,6}[a-z]?|" + BLANK + r")\s{0,3}/\s{0,3}"
    r"(?:(?P<year>(?:19|20)\d\d)\s{0,3}/\s{0,3})?(?P<sym>" + SYMS + r")")
NUMBER_PARTY = re.compile(
    _NUM_LABEL + r"(?P<num>\d{1,6}[a-z]?|" + BLANK + r")\s{0,3}" + DASH +
    r"\s{0,3}(?P<type>" + SYM + r")\s{0,3}/\s{0,3}(?P<sym>" + SYMS + r")")
# a bare number in running text: 1441/UBND-THNV, 30/2020/NĐ-CP, 29-NQ/TW, 30c/NQ-CP
CITED_NUMBER = re.compile(
    r"(?:(?<=\bso)|(?<![\w/.-]))(?:(?P<num>\d{1,6}[a-z]?)(?:/(?P<year>(?:19|20)\d\d)(?:/|(?=[a-z]{2}))|/)(?P<sym>[a-z][a-z0-9&]{0,15}(?:-[a-z][a-z0-9&]{0,15}){0,6})"
    r"|(?P<pnum>\d{1,6}[a-z]?)-(?P<ptype>[a-z][a-z0-9&]{0,6})/(?P<psym>[a-z][a-z0-9&]{0,15}(?:-[a-z][a-z0-9&]{0,15}){0,4}))"
    r"(?![\w/])")

# place and date line (spec §2.4): "<place>, ngày 05 tháng 3 năm 2024", also
# written with numbers against the rule ("Đà Nẵng, ngày 01/4/2026")
DATE_WORDS = re.compile(
    r"(?<![a-z])ngay\s{0,12}(?P<d>\d{1,2})?"
    r"(?:[\s.…_/-]{0,30}thang\s{0,12}|(?<=\d)\s{0,2}(?P<sep>[/.-])\s{0,2}(?=\d{1,2}\s{0,2}(?P=sep)))(?P<m>\d{1,2})?"
    r"(?:[\s.…_/-]{0,30}nam\s{0,12}|(?<=\d)\s{0,2}(?P=sep)\s{0,2}(?=(?:19|20)\d\d))(?P<y>(?:19|20)\d\d)(?!\d)")
# "ngày 05/3/2020", "09.8.2024" (spec §8.5)
DATE_NUMERIC = re.compile(r"(?<![\d/.-])(?P<d>[0-3]?\d)\s{0,2}(?P<s>[/.-])\s{0,2}(?P<m>[01]?\d)\s{0,2}(?P=s)\s{0,2}(?P<y>(?:19|20)\d\d)(?![\d/])")

VV = re.compile(r"^(?:v\s{0,2}/\s{0,2}v|ve\s{1,3}viec)\b\s{0,3}[:.,]?\s{0,3}")
# the addressee label: "Kính gửi:", a tờ trình's "Kính trình:", a công điện's
# "THỦ TƯỚNG CHÍNH PHỦ điện:" (the sending office, then the addressees)
KINH_GUI = re.compile(r"^(?:kinh\s{0,3}(?:gui|trinh)|(?:thu\s{1,3}tuong|chu\s{1,3}tich|bo\s{1,3}truong|"
                      r"truong\s{1,3}ban|giam\s{1,3}doc)\b[a-z ,&-]{0,80}?\sdien(?=\s{0,3}:))\s{0,3}[:.]?\s{0,3}")
NOI_NHAN = re.compile(r"^noi\s{0,3}nhan\s{0,3}[:.]?\s{0,3}")
LUU = re.compile(r"^[-–+•]?\s{0,3}luu\b\s{0,3}[:.]?\s{0,3}")
RULE = re.compile(r"^[\s\-_─—=*.·•+|:~]{1,}$")
END_MARK = re.compile(r"\./\.\s*$")

# legal bases (spec §2.6): the opening decides the kind
BASIS = re.compile(
    r"^(?:[-+•]\s{0,3})?(?P<kind>can\s{1,3}cu|thuc\s{1,3}hien|theo\s{1,3}de\s{1,3}nghi|xet\s{1,3}de\s{1,3}nghi|"
    r"xet\s{1,3}(?=to\s{1,3}trinh|bao\s{1,3}cao|cong\s{1,3}van|ket\s{1,3}qua|y\s{1,3}kien|nghi\s{1,3}quyet)|"
    r"theo\s{1,3}(?=(?:quy\s{1,3}dinh|nghi|quyet|thong|chi|ke|cong|huong|van)\b))\b")
BASIS_KINDS = {"can cu": "căn cứ", "thuc hien": "thực hiện", "theo de nghi": "theo đề nghị",
               "xet de nghi": "xét đề nghị", "xet": "xét", "theo": "theo"}
ENACT = re.compile(r"^(?:quyet\s{1,3}dinh|quyet\s{1,3}nghi|ban\s{1,3}hanh|ket\s{1,3}luan|chi\s{1,3}thi|nghi\s{1,3}quyet)\s{0,3}:?$")

# signature (spec §2.7, §5)
AUTH = re.compile(r"^(?P<a>thay\s{1,3}mat|ky\s{1,3}thay|thua\s{1,3}lenh|thua\s{1,3}uy\s{1,3}quyen|t\s?/\s?m|k\s?/\s?t|t\s?/\s?l|tm|kt|tl|tuq|q)(?:\s{0,3}\.\s{0,3}|\s{1,3}(?=[a-z]))(?P<rest>\S.*)$")
SIGN_NOTE = re.compile(r"^[(\[]?\s{0,3}(?:da\s{1,3}k[yi]|k[yi](?:\s{0,3},?\s{0,3}(?:ghi\s{1,3}ro\s{1,3}ho\s{1,3}ten|dong\s{1,3}dau|ten|va\s{1,3}dong\s{1,3}dau|so))*|chu\s{1,3}ky[^)\]]{0,40}|cho\s{1,3}ky|dau|da\s{1,3}ky\s{1,3}va\s{1,3}dong\s{1,3}dau)\s{0,3}[)\]]?\.?$")
DIGISIG = re.compile(r"^(?:ky\s{1,3}boi|co\s{1,3}quan|email|thoi\s{1,3}gian\s{1,3}ky|ngay\s{1,3}ky|nguoi\s{1,3}ky)\s{0,3}:\s{0,3}\S")

# stamps (spec §2.10), whole line
MARK = re.compile(r"^(?P<m>tuyet\s{1,3}mat|toi\s{1,3}mat|mat|hoa\s{1,3}toc(?:\s{1,3}hen\s{1,3}gio)?|thuong\s{1,3}khan|khan|"
                  r"xem\s{1,3}xong\s{1,3}tra\s{1,3}lai|luu\s{1,3}hanh\s{1,3}noi\s{1,3}bo|du\s{1,3}thao(?:\s{1,3}lan\s{1,3}\d{1,2})?|"
                  r"ban\s{1,3}du\s{1,3}thao|du\s{1,3}thao\s{1,3}\d{1,2})$")

# enumerations (spec §2.6, §7), line start, on folded text
ENUM = [
    ("phan", re.compile(r"^phan\s{1,3}(?:thu\s{1,3}[a-z]{2,5}|[ivxlc]{1,6}|\d{1,2})\b\s{0,3}[.:\-–]?")),
    ("chuong", re.compile(r"^chuong\s{1,3}(?:[ivxlc]{1,6}|\d{1,3})\b\s{0,3}[.:\-–]?")),
    ("muc", re.compile(r"^(?:muc|tieu\s{1,3}muc)\s{1,3}\d{1,3}\b\s{0,3}[.:\-–]?")),
    ("dieu", re.compile(r"^dieu\s{1,3}\d{1,3}[a-z]?\s{0,3}[.:]")),
    ("roman", re.compile(r"^[ivxlc]{1,6}\s{0,2}[.\-–)]\s{0,3}(?=\S)")),
    ("alpha_up", re.compile(r"^[a-h]\.\s{1,3}(?=\S)")),          # checked for upper case in code
    ("decimal", re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,4}\.?\)?\s{0,3}(?=\S)")),
    ("khoan", re.compile(r"^\d{1,3}[a-z]?\s{0,2}[.)]\s{0,3}(?=\S)")),
    ("paren", re.compile(r"^\(\d{1,2}\)\s{0,3}(?=\S)")),
    ("diem", re.compile(r"^[a-z]\d{0,2}\s{0,2}\)\s{0,3}(?=\S)")),
    ("la", re.compile(r"^(?:mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi(?:\s{1,3}(?:mot|hai|ba|bon|nam|lam|sau|bay|tam|chin))?)\s{1,3}la\b\s{0,3}[,:]?\s{0,3}")),
    ("thu", re.compile(r"^thu\s{1,3}(?:nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi(?:\s{1,3}(?:mot|hai|ba|bon|nam|lam|sau|bay|tam|chin))?)\s{0,3}[,:]\s{0,3}")),
    ("dash", re.compile(r"^[-–—•]\s{0,3}(?=\S)")),
    ("plus", re.compile(r"^[+*]\s{0,3}(?=\S)")),
]


def enum_kind(folded_line: str, clean_line: str) -> tuple[str, int] | None:
    """The enumeration marker that opens a line: ``(kind, marker_length)``."""
    # every marker is decided within its first 40 characters
    return _enum_kind(folded_line[:40], clean_line[:1])


@functools.lru_cache(maxsize=8192)
def _enum_kind(folded_line: str, clean_line: str) -> tuple[str, int] | None:
    for kind, rx in ENUM:
        m = rx.match(folded_line)
        if not m:
            continue
        if kind == "alpha_up" and not clean_line[:1].isupper():
            continue
        if kind == "roman" and not clean_line[:1].isupper():
            continue
        if kind == "la" and not clean_line[:1].isupper():
            continue
        if kind == "khoan" and re.match(r"^\d{1,3}[.]\d", folded_line):
            continue
        return kind, m.end()
    return None
