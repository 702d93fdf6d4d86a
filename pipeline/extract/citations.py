"""Cited documents and legal bases (spec §2.6, §4, §8.5).

References are found number-first, the way eyecite finds case citations: every
token shaped like a số và ký hiệu (``30/2020/NĐ-CP``, ``1441/UBND-THNV``,
``29-NQ/TW``) is a candidate; the words before it give the type (``Nghị định
số``, ``Kế hoạch``, ``Luật … số``), the words after it the date (``ngày
05/3/2020``, ``ngày 22 tháng 12 năm 2016``), the issuer (``của …``) and the
subject (``về …``).  Laws cited by name and year (``Luật Giáo dục 2019``,
``Luật Đất đai ngày 18 tháng 01 năm 2024``) are found by a second pattern.

Legal bases are the preamble paragraphs opening with ``Căn cứ``, ``Thực
hiện``, ``Theo đề nghị``, ``Xét đề nghị``, ``Xét`` or ``Theo``; each keeps
the references inside it, or the proposer when it names no document.
"""

from __future__ import annotations

import re
from typing import Optional

from .. import patterns as P
from ..normalize import Text, clean_value, fold
from ..record import LegalBasis, Reference
from ..vocab import vocab
from ..zones import Snip
from .dates import date_after, year_after
from .number import normalize_cited


def _type_words() -> list[tuple[str, str]]:
    words = [(fold(n), n) for n in vocab().type_words]
    words += [(fold("Biên bản ghi nhớ"), "Biên bản ghi nhớ"), (fold("Văn bản"), "Văn bản"),
              (fold("Thông tư liên tịch"), "Thông tư liên tịch"), (fold("Nghị quyết liên tịch"), "Nghị quyết liên tịch"),
              (fold("Kế hoạch liên tịch"), "Kế hoạch liên tịch"), (fold("Hướng dẫn liên tịch"), "Hướng dẫn liên tịch"),
              (fold("Văn bản hợp nhất"), "Văn bản hợp nhất"), (fold("Báo cáo thẩm tra"), "Báo cáo"),
              (fold("Điện"), "Công điện")]
    return sorted(set(words), key=lambda w: len(w[0]), reverse=True)


_TYPES = None


def _types_re() -> tuple[re.Pattern, re.Pattern, int]:
    """``(type word right before the number, named law before "số", the
    longest match of the first)``."""
    global _TYPES
    if _TYPES is None:
        alt = "|".join(re.escape(f) for f, _ in _type_words())
        near = re.compile(r"(?<![a-z])(?P<t>" + alt + r"|kh|qd|nq|cv|tb|bc)\s{0,3}(?:so\s{0,2}[:.]?\s{0,2})?$")
        # the longest text ``near`` can match: searched only over that much of
        # the end of the clause (its match ends there; the look-behind still
        # sees the character before), same match, without trying every position
        width = max(len(f) for f, _ in _type_words()) + 3 + 2 + 2 + 1 + 2
        # a named law may stand between its type word and "số"
        named = re.compile(r"(?<![a-z])(?P<lt>luat|bo\s{1,3}luat|phap\s{1,3}lenh)(?P<lname>\s[^;:()\n.]{1,160}?)"
                           r"\s{0,3}so\s{0,2}[:.]?\s{0,2}$")
        _TYPES = (near, named, width)
    return _TYPES


_TYPE_NAME = {f: n for f, n in _type_words()}
_TYPE_NAME.update({"kh": "Kế hoạch", "qd": "Quyết định", "nq": "Nghị quyết", "cv": "Công văn",
                   "tb": "Thông báo", "bc": "Báo cáo"})

_ABBR = ("kh", "qd", "nq", "cv", "tb", "bc")
_OF = re.compile(r"\s{0,3},?\s{0,3}(?:cua|do)\s{1,3}")
# words that end an issuer after "của", with their tones: "tại" ends one, "vận tải" does not
_STOP_WORDS = ("về", "về việc", "quy định", "hướng dẫn", "ban hành", "phê duyệt", "sửa đổi", "thành lập", "triển khai",
               "thực hiện", "giao", "tại", "ngày", "theo", "đồng ý", "chỉ đạo", "đề nghị", "gửi", "và các", "chủ trương")
_STOP_ISSUER = re.compile(r"\s(?:" + "|".join(sorted({fold(w) for w in _STOP_WORDS}, key=len, reverse=True))
                          + r")\b|[;,(:]|\.\s|\.$|$")
_SUBJECT = re.compile(r"\s{0,3},?\s{0,3}(?P<w>ve\s{1,3}viec|ve|quy\s{1,3}dinh|huong\s{1,3}dan|ban\s{1,3}hanh|phe\s{1,3}duyet|"
                      r"sua\s{1,3}doi|thanh\s{1,3}lap)\b")
# the look-behind after each word's first letter (same matches as before the
# word): every alternative then opens with a letter, and the regex engine
# skips to those letters instead of trying every position of the text
_LAW_WORD = (r"(?P<t>l(?<![a-z]l)uat|b(?<![a-z]b)o\s{1,3}luat|h(?<![a-z]h)ien\s{1,3}phap|p(?<![a-z]p)hap\s{1,3}lenh)"
             r"\s{1,3}")
_LAW_NAME_CHARS = r"(?:[^;.()\d]|\(\s{0,2}sua\s{1,3}doi\s{0,2}\))"
_LAW_WHEN = (r"(?P<when>\s{0,3}(?:ngay\s{1,3}\d{1,2}\s{1,3}thang\s{1,3}\d{1,2}\s{1,3}nam\s{1,3}(?:19|20)\d\d|"
             r"ngay\s{0,3}\d{1,2}(?P<sep>[/.-])\d{1,2}(?P=sep)(?:19|20)\d\d|nam\s{1,3}(?:19|20)\d\d|(?:19|20)\d\d)(?!\d))")
# a law by name with its date (the name may hold a comma or two:
# "Luật tổ chức HĐND, UBND ngày 26/11/2003") …
_LAW_DATED = re.compile(_LAW_WORD + r"(?P<n>" + _LAW_NAME_CHARS + r"{2,200}?)" + _LAW_WHEN)
# … or without one, ending at the clause ("Điều 45 Luật Đất đai, điều chỉnh…",
# "Hiến pháp nước … đã được sửa đổi")
_LAW_UNDATED = re.compile(_LAW_WORD + r"(?P<n>[^;.,()\d]{2,200}?)"
                          r"(?=\s{0,3}[;.,(]|\s{1,3}(?:da\s{1,3})?duoc\s|\s{1,3}(?:ve|quy\s{1,3}dinh|huong\s{1,3}dan)\s|\s{0,3}$)")
# an article cited before the law: "Điều 45 Luật…", "điều 11, chương II, Luật…"
_ARTICLE_BEFORE = re.compile(r"(?:(?:khoan|diem)\s{1,3}\w{1,4}\s{0,3},?\s{0,3})?dieu\s{1,3}\d{1,3}[a-z]?"
                             r"(?:\s{0,3},\s{0,3}chuong\s{1,3}[ivxlc]{1,6})?\s{0,3},?\s{1,3}$")


_AMENDING = re.compile(r"(?:sua\s{1,3}doi|bo\s{1,3}sung)(?:\s{0,3},?\s{0,3}(?:bo\s{1,3}sung|sua\s{1,3}doi))?\s{0,3}$")


def _laws_by_name(text: str, folded: str, taken: list[tuple[int, int]]) -> list[Reference]:
    """Laws, codes, ordinances and the Constitution cited by name, with
    their date when one follows, and the article when one precedes.  An
    amending law named only by what it amends (``Luật sửa đổi, bổ sung…``)
    is left to the numbered laws it names."""
    out: list[Reference] = []
    named: set[str] = set()
    pos = 0
    d_next = u_next = None  # each pattern's next match, searched again only once passed
    while True:
        if d_next is None or (d_next is not False and d_next.start() < pos):
            d_next = _LAW_DATED.search(folded, pos) or False
        if u_next is None or (u_next is not False and u_next.start() < pos):
            u_next = _LAW_UNDATED.search(folded, pos) or False
        m, u = d_next or None, u_next or None
        if m is None or (u is not None and u.start() < m.start()) or m.group("n").count(",") > 2:
            m = u
        if m is None:
            break
        pos = max(m.end(), m.start() + 1)
        if (not text[m.start()].isupper() or any(a <= m.start() < b for a, b in taken)
                or _AMENDING.match(m.group("n"))):
            continue
        start = m.start()
        am = _ARTICLE_BEFORE.search(folded, max(0, start - 40), start)
        if am:
            start = am.start()
        raw = clean_value(text[start:m.end()])
        if len(raw.split()) < 2 or re.search(r"\bnày\b|\bnêu trên\b|\btrên\b$", raw):
            continue
        when = fold(m.groupdict().get("when") or "").strip()
        key = " ".join(m.group("n").split())
        if not when and not am and key in named:
            continue  # "… một số điều của Luật Đất đai": the law cited above
        named.add(key)
        date, _ = date_after(when)
        if date is None:
            date, _ = year_after(when)
        out.append(Reference(text=raw, doc_type=_TYPE_NAME.get(" ".join(m.group("t").split()), "Luật"), name=raw,
                             date=date, span=(start, m.end())))
    return out


_SUBJECT_STOP = re.compile(r";|\.(?:\s|$)|\n\s*\n|,\s{0,3}(?:can\s{1,3}cu|thuc\s{1,3}hien|theo|xet)\b|"
                           r",?\s{0,3}(?:da\s{1,3})?duoc\s{1,3}sua\s{1,3}doi|"
                           # "… và Kế hoạch số 16/KH-HĐTĐKT": a second citation, not the subject
                           r",?\s{0,3}va\s{1,3}(?=(?:ke\s{1,3}hoach|cong\s{1,3}van|van\s{1,3}ban|quyet\s{1,3}dinh|"
                           r"nghi\s{1,3}quyet|nghi\s{1,3}dinh|thong\s{1,3}tu|chi\s{1,3}thi|huong\s{1,3}dan|thong\s{1,3}bao)"
                           r"\s{1,3}so\s{0,2}\d)")


def _subject_end(folded: str, start: int, limit: int) -> int:
    """End of a citation's subject: the next ``;`` or sentence end, a
    following citation, or ``limit``."""
    m = _SUBJECT_STOP.search(folded, start, limit)
    return m.start() if m else limit



def _issuer_end(text: str, folded: str, at: int) -> int:
    """End of the issuer after ``của``: the first lower-case stop word
    (``giao``, ``về``, ``ban hành``…) or punctuation; a stop word written with
    a capital belongs to a name (``Bộ Giao thông vận tải``)."""
    for sm in _STOP_ISSUER.finditer(folded, at, min(len(folded), at + 160)):
        if sm.group(0)[:1] == " ":
            word = " ".join(text[sm.start() + 1:sm.end()].split())
            if word[:1].isupper() or word not in _STOP_WORDS:
                continue  # "Bộ Giao thông", "vận tải" (not "tại")
        return sm.start()
    return at


_GLUED = re.compile(r"(?:ngay|cua|ve|va|tai|nam|theo)$")


def _unglue(text: str, folded: str, m: re.Match) -> int:
    """End of a cited number, less a word glued to it by a lost space
    (``70-TB/TWngày`` → ``70-TB/TW``); symbols are upper-case, so a glued
    word shows as a lower-case run after an upper-case letter."""
    g = _GLUED.search(folded, m.start(), m.end())
    if g and g.start() > m.start() and text[g.start()].islower() and text[g.start() - 1].isupper():
        return g.start()
    return m.end()


_DIGIT_RUN = re.compile(r"\d+")


def _cited_numbers(folded: str):
    """``P.CITED_NUMBER.finditer(folded)``, tried only where a run of digits
    starts (a cited number can start nowhere else): the pattern opens with
    look-behinds, so the regex engine would otherwise try every position."""
    end = 0
    for r in _DIGIT_RUN.finditer(folded):
        if r.start() >= end:
            m = P.CITED_NUMBER.match(folded, r.start())
            if m:
                yield m
                end = m.end()


def find_references(text: str, exclude: Optional[tuple[int, int]] = None) -> list[Reference]:
    """Every document cited in ``text`` (the clean text); spans are clean offsets."""
    folded = fold(text)
    refs: list[Reference] = []
    taken: list[tuple[int, int]] = []
    for m in _cited_numbers(folded):
        if exclude and exclude[0] <= m.start() < exclude[1]:
            continue
        sym_start = m.start("sym") if m.group("sym") else m.start("psym")
        if not text[sym_start].isupper():
            continue
        mend = _unglue(text, folded, m)
        number = normalize_cited(text[m.start():mend])
        # type from the words just before the number (same clause)
        lo = max(0, m.start() - 200)
        line_lo = max(folded.rfind("\n", lo, m.start()), folded.rfind(";", lo, m.start())) + 1
        before = folded[max(lo, line_lo):m.start()]
        near, named, width = _types_re()
        base = max(lo, line_lo)
        doc_type = None
        name = None
        start = m.start()
        tm = near.search(before, max(0, len(before) - width))
        if tm and (tm.group("t") not in _ABBR or text[base + tm.start()].isupper()):
            doc_type = _TYPE_NAME.get(" ".join(tm.group("t").split()))
            start = base + tm.start()
        else:
            # ``named`` holds "luat" or "phap": without them it cannot match
            tm = named.search(before) if "luat" in before or "phap" in before else None
            if tm:
                t0 = base + tm.start()
                doc_type = _TYPE_NAME.get(" ".join(tm.group("lt").split()))
                if text[t0].isupper():
                    start = t0
                    nm = clean_value(text[t0:t0 + len(tm.group("lt")) + len(tm.group("lname"))])
                    name = nm if len(nm.split()) > 1 else None
        if doc_type is None:
            code = (m.group("sym") or "").split("-")[0] if m.group("sym") else m.group("ptype")
            types = vocab().type_of_code(code or "", party=bool(m.group("ptype")))
            doc_type = types[0] if types else None
        end = mend
        # date
        date, n = date_after(folded[end:end + 40])
        if n:
            end += n
        # issuer
        issuer = None
        om = _OF.match(folded, end)
        if om:
            stop = _issuer_end(text, folded, om.end())
            if stop > om.end():
                issuer = clean_value(text[om.end():stop])
                end = stop
        # subject
        subject = None
        sm = _SUBJECT.match(folded, end)
        if sm:
            s_end = _subject_end(folded, sm.end(), min(len(folded), sm.end() + 400))
            subject = clean_value(text[sm.start("w"):s_end]).rstrip(" ,") or None
            end = s_end
        refs.append(Reference(text=clean_value(text[start:end]).rstrip(" ,"), doc_type=doc_type, number=number,
                              date=date, issuer=issuer, subject=subject, name=name, span=(start, end)))
        taken.append((start, mend))
    refs.extend(_laws_by_name(text, folded, taken))
    refs.sort(key=lambda r: r.span[0])
    return refs


# -- legal bases ----------------------------------------------------------------

def _grounds(p: Snip, refs: list[Reference]) -> list[Reference]:
    """The documents a basis paragraph rests on: the references inside it,
    less repeats and less those cited inside another one's subject
    (``Kế hoạch số 283/KH-UBND … về thực hiện Nghị quyết số 71/NQ-CP``)."""
    inside = [r for r in refs if p.start <= r.span[0] < p.end]
    out: list[Reference] = []
    seen: set[str] = set()
    for r in inside:
        if any(o.subject and o.span[0] < r.span[0] < o.span[1] for o in out):
            continue
        if r.key in seen:
            continue
        seen.add(r.key)
        out.append(r)
    return out


_PROPOSER = re.compile(r"^(?:theo|xet)\s{1,3}de\s{1,3}nghi\s{1,3}(?:cua\s{0,3})?")


def _continues(folded: str) -> bool:
    """A preamble paragraph that opens with a document's name or "số N"
    (``Nghị định số 48/2013/NĐ-CP…`` after ``Căn cứ Nghị định số 63/2010/NĐ-CP…;``)."""
    head = " ".join(folded[:40].split())
    return bool(re.match(r"so\s\d", head) or any(head.startswith(w + " ") for w in _TYPE_NAME if w not in _ABBR))


_OPENING_REST = re.compile(r"\s{0,3}(?:vao\s{1,3})?")


def legal_bases(preamble: list[Snip], refs: list[Reference], text: Text) -> list[LegalBasis]:
    """One basis per preamble paragraph that opens with a basis word; a
    paragraph that opens with a document name (``Nghị định số 48/2013/NĐ-CP…``
    after ``Căn cứ Nghị định số 63/2010/NĐ-CP…;``) continues the basis above
    it with the same kind."""
    out: list[LegalBasis] = []
    for p in preamble:
        f = p.folded
        m = P.BASIS.match(f)
        if m:
            kind = P.BASIS_KINDS[" ".join(m.group("kind").split())]
        elif out and _continues(f):
            kind, m = out[-1].kind, None
        else:
            continue
        inside = _grounds(p, refs)
        proposer = ground = None
        if not inside and kind in ("theo đề nghị", "xét đề nghị"):
            pm = _PROPOSER.match(f)
            if pm:
                proposer = clean_value(p.text[pm.end():]).rstrip(" ;,.") or None
        if not inside and proposer is None:
            at = m.end() if m else 0
            at += _OPENING_REST.match(f, at).end() - at
            ground = clean_value(p.text[at:]).rstrip(" ;,.") or None
        out.append(LegalBasis(kind=kind, text=clean_value(p.text).rstrip(" ;,"), refs=inside,
                              proposer=proposer, ground=ground, span=text.source_span(p.start, p.end)))
    return out
