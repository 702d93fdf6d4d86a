"""Stage 2: Unicode and markup clean-up with an offset map back to the source.

Spec §0: NFC, look-alike letters (``Ð``→``Đ``), NBSP and zero-width characters,
Markdown and HTML-escape artefacts (``**``, ``\\-``, ``&amp;``, ``<br>``,
pandoc table rules), while keeping line breaks and the runs of spaces that
separate flattened columns.

Every rewrite goes through :meth:`Text.sub`, which keeps ``origin[i]`` = the
offset in the source text of normalized character ``i`` (as a piecewise-linear
map, one segment per untouched run or replacement); ``Text.source_span``
turns a span of the clean text into a span of the source.  No library offers
regex substitution with an offset map, hence this small hand-written module.

The module also provides :func:`fold`, a length-preserving diacritic-free,
lower-case key (``Nơi nhận`` → ``noi nhan``) so that labels are matched with
and without tone marks at the same offsets (spec §0.5).
"""

from __future__ import annotations

import bisect
import functools
import html
import re
import unicodedata
from typing import Callable, Union

from .patterns import UPPER

Repl = Union[str, Callable[[re.Match], str]]


class _Map:
    """A piecewise-linear offset map under construction: segments of
    ``(clean start, source offset, step)``; clean character ``at[k] + j`` of
    segment ``k`` comes from source offset ``src[k] + step[k] * j`` (step 1:
    copied characters, step 0: characters inserted by a replacement, all at
    the offset of the match they replace).  Adjacent segments that continue
    each other are merged, so an untouched document is one segment."""

    __slots__ = ("at", "src", "step", "n")

    def __init__(self) -> None:
        self.at: list[int] = []
        self.src: list[int] = []
        self.step: list[int] = []
        self.n = 0

    def add(self, src: int, length: int, step: int) -> None:
        if length <= 0:
            return
        if self.at and self.step[-1] == step:
            prev = self.src[-1] + step * (self.n - self.at[-1])
            if prev == src:  # continues the last segment
                self.n += length
                return
        self.at.append(self.n)
        self.src.append(src)
        self.step.append(step)
        self.n += length


class Text:
    """A normalized text and, for every character, its offset in the source.

    The offset map is piecewise linear (:class:`_Map`, looked up by
    bisection) rather than one list entry per character, so that a
    substitution costs the number of its matches, not the length of the text."""

    __slots__ = ("text", "source_len", "notes", "_at", "_src", "_step")

    def __init__(self, text: str, source_len: int, notes: list[str] | None = None, omap: _Map | None = None) -> None:
        self.text = text
        self.source_len = source_len
        self.notes = [] if notes is None else notes
        if omap is None:  # the identity map
            omap = _Map()
            omap.add(0, len(text), 1)
        assert omap.n == len(text)
        self._at, self._src, self._step = omap.at, omap.src, omap.step

    @classmethod
    def from_source(cls, source: str) -> "Text":
        return cls(source, len(source))

    @property
    def origin(self) -> list[int]:
        """The source offset of every character (materialized; for inspection)."""
        out: list[int] = []
        ends = self._at[1:] + [len(self.text)]
        for a, b, s, st in zip(self._at, ends, self._src, self._step):
            out.extend(range(s, s + (b - a)) if st else [s] * (b - a))
        return out

    def _origin_at(self, i: int) -> int:
        """``origin[i]`` with list indexing rules (negative from the end, IndexError outside)."""
        n = len(self.text)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("offset map index out of range")
        k = bisect.bisect_right(self._at, i) - 1
        return self._src[k] + self._step[k] * (i - self._at[k])

    def _copy(self, out: _Map, a: int, b: int) -> None:
        """Append the map of clean characters ``a:b`` (``0 <= a <= b <= len``) to ``out``."""
        if b <= a:
            return
        at, src, step = self._at, self._src, self._step
        k = bisect.bisect_right(at, a) - 1
        last = len(at) - 1
        while a < b:
            seg_end = at[k + 1] if k < last else len(self.text)
            e = min(b, seg_end)
            out.add(src[k] + step[k] * (a - at[k]), e - a, step[k])
            a = e
            k += 1

    def _min_max(self, a: int, b: int) -> tuple[int, int]:
        """Smallest and largest origin over clean characters ``a:b`` (non-empty)."""
        at, src, step = self._at, self._src, self._step
        k = bisect.bisect_right(at, a) - 1
        last = len(at) - 1
        lo = hi = None
        while a < b:
            seg_end = at[k + 1] if k < last else len(self.text)
            e = min(b, seg_end)
            first = src[k] + step[k] * (a - at[k])
            final = first + step[k] * (e - 1 - a)
            lo = first if lo is None or first < lo else lo
            hi = final if hi is None or final > hi else hi
            a = e
            k += 1
        return lo, hi

    def sub(self, pattern: re.Pattern, repl: Repl, within: list[tuple[int, int]] | None = None) -> "Text":
        """``pattern.sub(repl, text)`` keeping the offset map: untouched
        characters keep their origin, inserted ones take the origin of the
        start of the match they replace.  With ``within`` (sorted, disjoint
        spans, none reached by a match starting in the one before), only the
        matches that start inside a span are replaced; the pattern is then
        run from each span's start to its end, not over the whole text (its
        look-arounds still see the text around the span)."""
        out: list[str] = []
        omap = _Map()
        pos = 0
        text = self.text
        changed = False
        fixed = repl if isinstance(repl, str) else None
        for m in pattern.finditer(text) if within is None else _matches_within(pattern, text, within):
            start, end = m.span()
            rep = fixed if fixed is not None else repl(m)
            if rep == m.group(0):
                continue
            changed = True
            out.append(text[pos:start])
            self._copy(omap, pos, start)
            out.append(rep)
            # a replacement of the same length keeps a one-to-one map
            if len(rep) == end - start:
                self._copy(omap, start, end)
            elif rep:
                omap.add(self.source_offset(start), len(rep), 0)
            pos = end
        if not changed:
            return self
        out.append(text[pos:])
        self._copy(omap, pos, len(text))
        return Text("".join(out), self.source_len, self.notes, omap)

    def source_offset(self, i: int) -> int:
        if i >= len(self.text):
            return self.source_len
        return self._origin_at(i)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span covering clean-text characters ``start:end``."""
        if end <= start:
            s = self.source_offset(start)
            return (s, s)
        n = len(self.text)
        if len(self._at) == 1 and self._step[0] == 1 and 0 <= start and end <= n:  # one copied run: a shift
            return (self._src[0] + start, self._src[0] + end)
        a, b = self.source_offset(start), self._origin_at(min(end, n) - 1) + 1
        if b <= a:  # text put out of source order (grid-table columns read one by one): cover all of it
            lo, hi = max(start, 0), min(end, n)  # origin[start:end] as a list slice would take it
            if start < 0:
                lo = max(start + n, 0)
            if lo < hi:
                a, b = self._min_max(lo, hi)
                b += 1
            else:
                b = a + 1
        return (a, b)


def _matches_within(pattern: re.Pattern, text: str, spans: list[tuple[int, int]]):
    """The matches of ``pattern`` in ``text`` that start inside ``spans``,
    each span searched from its start (for :meth:`Text.sub`)."""
    for a, b in spans:
        for m in pattern.finditer(text, a):
            if m.start() >= b:
                break
            yield m


# ---------------------------------------------------------------------------
# Folding: a length-preserving diacritic-free lower-case key

def _build_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for cp in range(0x00C0, 0x1EFA):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[0]
        if base != ch and base.isascii():
            table[cp] = base.lower()
    table[ord("Đ")] = "d"
    table[ord("đ")] = "d"
    table[ord("Ð")] = "d"
    return table


_FOLD = _build_fold_table()
# The same table as a string indexed by code point (the Basic Multilingual
# Plane; characters beyond it are left as they are, as with the dict):
# ``str.translate`` looks a string up faster than a dict, about 2x overall.
_FOLD_STR = "".join(_FOLD.get(cp, chr(cp)) for cp in range(0x10000))
_fold_last: tuple[str, str] = ("", "")  # the last long text folded (the whole document is folded by two stages)


def fold(s: str) -> str:
    """Lower-case, diacritic-free key with the same length as ``s`` (for NFC text)."""
    global _fold_last
    if len(s) < 2000:
        return s.translate(_FOLD_STR).lower()
    last = _fold_last
    if last[0] == s:
        return last[1]
    f = s.translate(_FOLD_STR).lower()
    _fold_last = (s, f)
    return f


# Tone placement (spec §0.4): old "oà" vs new "òa"; fold to one form.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_PAIRS.update({k.upper(): v.upper() for k, v in list(_TONE_PAIRS.items())})
_TONE_PAIRS.update({k[0].upper() + k[1:]: v[0].upper() + v[1:] for k, v in list(_TONE_PAIRS.items()) if k.islower()})
_TONE_RE = re.compile("|".join(map(re.escape, _TONE_PAIRS)) + r"(?![a-zà-ỹ])", re.I)


def tone_key(s: str) -> str:
    """Old and new tone placement made equal (``Hoà`` → ``Hòa``), same length."""
    return _TONE_RE.sub(lambda m: _TONE_PAIRS.get(m.group(0), m.group(0)), s)


# ---------------------------------------------------------------------------
# The clean-up steps, in order

_DECOMPOSED = re.compile(r"[^\W\d_]?[\u0300-\u036f]+", re.UNICODE)
_LOOKALIKE = re.compile("[\u00d0\u00f0\u00a0\u202f\u2007\u3000\t\u00ad\u200b\u200c\u200d\u2060\ufeff\r]")
_LOOKALIKE_MAP = {"\u00d0": "Đ", "\u00f0": "đ", "\u00a0": " ", "\u202f": " ", "\u2007": " ",
                  "\u3000": " ", "\t": "    ", "\u00ad": "", "\u200b": "", "\u200c": "",
                  "\u200d": "", "\u2060": "", "\ufeff": "", "\r": ""}
_BR = re.compile(r"<\s*br\s*/?\s*>", re.I)
_TAG = re.compile(r"</?(?:p|div|span|b|i|u|strong|em|sup|sub|font|td|tr|th|table|tbody|thead|a)(?:\s[^<>]*)?>", re.I)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")
_MD_ESCAPE = re.compile(r"\\([-.*_#+()\[\]|!`>~&\\])")
_MD_LINE_BREAK = re.compile(r"(?m)\\(?=[ \\]*(?:\||$)| {2,})")
# ``**``/``***`` anywhere, a single ``*`` or a ``__`` that opens (no word
# character before, a non-space after) or closes (the reverse).  The look-behinds
# sit after the marker so that every alternative starts with ``*`` or ``_``: the
# regex engine then skips to those characters instead of trying every position
# (same matches as the look-behind-first spelling, 12x faster on Markdown).
_MD_EMPH = re.compile(r"\*(?:\*{1,2}|(?<![\w*]\*)(?=\S)|(?<=\S\*)(?![\w*]))|__(?:(?<![\w_]__)(?=\S)|(?<=\S__)(?![\w_]))")
_MD_HEADING = re.compile(r"(?m)^[ ]{0,3}#{1,6}[ ]+")
_CR_IN_LINE = re.compile(r"\r(?!\n)")
# §1: page numbers at a page break ("\f2", "- 2 -", "Trang 2/5") are not text;
# the page break itself becomes a line break
_PAGE_NUMBER = re.compile(r"(?m)\f[ \t]*(?:[-–][ \t]*)?\d{1,4}(?:[ \t]*[-–])?[ \t]*(?:\n|$)"
                          r"|^[ \t]*(?:[-–][ \t]*\d{1,4}[ \t]*[-–]|Trang[ \t]+\d{1,4}(?:[ \t]*/[ \t]*\d{1,4})?)[ \t]*(?:\n|$)")
_FORM_FEED = re.compile(r"\f")
# a line that may be a page number: what the second alternative needs, searched in "\n" + text
_PAGE_NUMBER_HINT = re.compile(r"\n[ \t]*(?:[-–][ \t]*\d|Trang[ \t]+\d)")
_COMBINING = re.compile(r"[\u0300-\u036f]")  # what _DECOMPOSED needs
# a label broken over two lines ("**Kính" / "gửi:**", "Nơi" / "nhận:")
_SPLIT_LABEL = re.compile(r"(?<=Kính)[ \t]*\n[ \t]*(?=gửi)|(?<=KÍNH)[ \t]*\n[ \t]*(?=GỬI)"
                          r"|(?<=Nơi)[ \t]*\n[ \t]*(?=nhận)|(?<=NƠI)[ \t]*\n[ \t]*(?=NHẬN)")
# (what _SPLIT_LABEL needs, each alternative led by a letter so that the
# regex engine skips to those letters)
_SPLIT_LABEL_HINT = re.compile(r"Kính[ \t]*\n[ \t]*gửi|KÍNH[ \t]*\n[ \t]*GỬI|Nơi[ \t]*\n[ \t]*nhận|NƠI[ \t]*\n[ \t]*NHẬN")


# portal copies of the two-column header wrap its cells at a narrow width:
# "Số:" / "58/2025/TT-BCT", "Số: 3783/QĐ-" / "UBND", "THÔNG" / "TƯ"
_SPLIT_NUMBER = re.compile(r"(?m)^[ \t*]*Số[ \t]*:?[ \t]*(?:(?P<cut>\d{1,6}[^\s]*-)|)(?P<ws>[ \t]*\n[ \t*]*)"
                           r"(?(cut)(?=[A-ZĐ]{2,12}\b)|(?=\d{1,6}[a-zA-Z]?[/-]))")
_WRAP = re.compile(r"(?<![ \t])[ \t]*\n[ \t*]*")  # led by the run's start: linear time


def _join_split_header(t: Text) -> Text:
    """Re-join a số và ký hiệu or a type heading that a narrow table cell
    wrapped: the line break is dropped (a symbol cut after its hyphen) or
    becomes a space; nothing else moves, so offsets stay exact."""
    joins: dict[int, str] = {}  # offset of the line break -> what replaces the break and its indentation
    for m in _SPLIT_NUMBER.finditer(t.text, 0, 3000):
        joins[m.group(0).index("\n", m.start("ws") - m.start()) + m.start()] = "" if m.group("cut") else " "
    lines = t.text[:3000].split("\n")
    pos = 0
    heading = None
    for a, b in zip(lines, lines[1:]):
        pos += len(a) + 1
        wa, wb = a.strip(" \t*"), b.strip(" \t*")
        if 0 < len(wa) <= 12 and 0 < len(wb) <= 30 and wa.isupper() and wb.isupper() and " " not in wa:
            if heading is None:
                from .vocab import vocab  # vocab uses fold() from this module
                heading = vocab().heading_re
            if heading.fullmatch(" ".join(fold(wa + " " + wb).split())):
                joins[pos - 1] = " "
    if not joins:
        return t
    return t.sub(_WRAP, lambda m: joins.get(m.start() + m.group(0).index("\n"), m.group(0)))


def _nfc(m: re.Match) -> str:
    return unicodedata.normalize("NFC", m.group(0))


def _entity(m: re.Match) -> str:
    return html.unescape(m.group(0)).replace("\u00a0", " ")


_GRID_BORDER = re.compile(r"^\s*\+[-=:+ ]*\+\s*$")
_GRID_ROW = re.compile(r"^\s*\|.*\|\s*$")


def _grid_tables(t: Text) -> Text:
    """Pandoc grid tables (``+---+---+`` borders, ``| a | b |`` rows) read
    column by column: within each table row, every line of the left cell,
    then every line of the right cell, so that a wrapped Nơi nhận list and
    the signature beside it come out as two blocks instead of interleaved
    fragments.  Border lines become blank lines between rows."""
    text = t.text
    if "+-" not in text and "+:" not in text:
        return t
    lines: list[tuple[int, int]] = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    out: list[str] = []
    omap = _Map()

    def emit(a: int, b: int) -> None:
        out.append(text[a:b])
        t._copy(omap, a, b)

    def newline(at: int) -> None:
        out.append("\n")
        omap.add(t.source_offset(at), 1, 0)

    i = 0
    changed = False
    while i < len(lines):
        a, b = lines[i]
        if not _GRID_BORDER.match(text[a:b]):
            emit(a, b)
            if i < len(lines) - 1:
                newline(b)
            i += 1
            continue
        j = i + 1
        while j < len(lines) and (_GRID_ROW.match(text[lines[j][0]:lines[j][1]])
                                  or _GRID_BORDER.match(text[lines[j][0]:lines[j][1]])):
            j += 1
        block = lines[i:j]
        rows: list[list[list[tuple[int, int]]]] = []  # row → line → cell spans
        cur: list[list[tuple[int, int]]] = []
        for la, lb in block:
            if _GRID_BORDER.match(text[la:lb]):
                if cur:
                    rows.append(cur)
                cur = []
                continue
            bars = [k for k in range(la, lb) if text[k] == "|"]
            cur.append([(bars[k] + 1, bars[k + 1]) for k in range(len(bars) - 1)])
        if cur:
            rows.append(cur)
        if not any(len(r[0]) >= 2 for r in rows if r):
            for la, lb in block:
                emit(la, lb)
                newline(lb)
        else:
            changed = True
            for r in rows:
                ncols = max(len(cells) for cells in r)
                for col in range(ncols):
                    for cells in r:
                        if col < len(cells):
                            ca, cb = cells[col]
                            while ca < cb and text[ca] == " ":
                                ca += 1
                            while cb > ca and text[cb - 1] == " ":
                                cb -= 1
                            if cb > ca:
                                emit(ca, cb)
                                newline(cb)
                newline(r[-1][-1][1] if r[-1] else block[0][1])
        i = j
    if not changed:
        return t
    return Text("".join(out), t.source_len, t.notes, omap)


# A whole document on one line (some portal exports): the header and the
# preamble are recognised on the line, and line breaks are put back before
# the structural anchors that later stages read line by line.
_CAPS = UPPER
# ``S(?<!\wS)ố`` is ``\bSố`` with the word boundary checked after the letter:
# every alternative then opens with a letter, which the regex engine skips to
_FLAT_HEADER = re.compile(r"C[ỘO]NG H[ÒO][AÀ] X[ÃA] H[ỘO]I|Độc lập\s*[-–]\s*Tự do|S(?<!\wS)ố\s?:|ĐẢNG CỘNG SẢN VIỆT NAM|"
                          r"S(?<!\wS)ố\s?\d{1,5}-[A-ZĐ]{1,6}/")
_FLAT_OPENINGS = re.compile(r"(?:C(?<!\wC)ăn cứ|K(?<!\wK)ính gửi|T(?<!\wT)hực hiện|T(?<!\wT)heo đề nghị|X(?<!\wX)ét đề nghị)\b")


@functools.lru_cache(maxsize=1)
def _flat_types() -> tuple[re.Pattern, re.Pattern]:
    """(a type heading right after the date, a whole line that is a type
    heading), from the type headings of ``data/doc_types.yaml``."""
    from .vocab import vocab  # vocab uses fold() from this module
    alt = "|".join(sorted({re.escape(h) for t in vocab().types for h in t.headings}, key=len, reverse=True))
    return re.compile(r"năm \d{4}\W{0,3}\s(?:" + alt + r")\s"), re.compile(r"(?:" + alt + r")")
_FLAT_BREAKS = re.compile(
    r" (?=(?:C[ỘO]NG H[ÒO][AÀ] X[ÃA] H[ỘO]I|Độc lập\s*[-–]\s*Tự do|Số\s?:|Số\s?\d{1,5}-[A-ZĐ]{1,6}/|V/v\s|Kính gửi\s?:|"
    r"Nơi nhận\s?:|ĐẢNG CỘNG SẢN VIỆT NAM))"
    r"|(?<=[;.,:" + _CAPS + r"]) (?=(?:Căn cứ|Xét đề nghị|Theo đề nghị|Thực hiện)\s)"
    r"|(?<=[.:;" + _CAPS + r"]) (?=Điều\s\d{1,3}[a-z]?\.)"
    r"|(?<=[;:]) (?=[-–]\s)"
    r"|(?<=[.:;]) (?=(?:\d{1,2}(?:\.\d{1,2})*|[IVX]{1,5})\.\s[" + _CAPS + r"])"
    r"|(?<=\S) (?=(?:TM|KT|TL|TUQ)\.\s[" + _CAPS + r"])"
    r"|(?<=Hạnh phúc) (?=\S)|(?<=năm \d{4}) (?=[" + _CAPS + r"]{2,}\s[" + _CAPS + r"]{2,})"
    r"|(?<=\S) (?=-{3,}(?:\s|$))|(?<=---) (?=\S)"
    r"|(?<=[" + _CAPS + r",]) (?=(?:QUYẾT ĐỊNH|QUYẾT NGHỊ|CHỈ THỊ|BAN HÀNH)\s?:?\s(?:Điều|\d|[IVX]+\.))"
    r"|(?<=QUYẾT ĐỊNH|QUYẾT NGHỊ)(?=:?\sĐiều)")


_FLAT_HEADING = re.compile(r" (?=[" + _CAPS + r"]{2,}\s)(?!HÀNH ĐỘNG|LIÊN|PHỐI HỢP)")


def _heading_break(m: re.Match) -> str:
    """A type heading run into its title on a restored line: ``QUYẾT ĐỊNH`` / ``BAN HÀNH…``."""
    line_start = m.string.rfind("\n", 0, m.start()) + 1
    return "\n" if _flat_types()[1].fullmatch(m.string[line_start:m.start()]) else " "


def _ends_flat_paragraph(line: str) -> bool:
    """Where a flattened-and-wrapped paragraph ends: a blank line, a laid-out
    line (indented, or cells 4+ spaces apart), the recipients' label."""
    body = line.strip()
    return not body or line.startswith("    ") or "    " in body or fold(body[:9]).lower().startswith("noi nhan")


def _join_flat_paragraph(t: Text) -> Text:
    """A flattened header that was then wrapped as prose (a PDF or scan of a
    flattened export: ``… năm 2025* KẾT LUẬN CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ`` /
    ``VỀ …``): the date and the type heading on one line betray it.  The
    paragraph, from the line holding the quốc hiệu or ``Số`` just above to
    the next blank line, laid-out row or ``Nơi nhận``, is joined into one
    line so that ``_unflatten`` restores its structure."""
    dated = _flat_types()[0]
    m = dated.search(t.text)  # one search over the text: most documents stop here
    if m is None:
        return t
    lines = t.text.split("\n")
    starts, pos = [], 0
    for ln in lines:
        starts.append(pos)
        pos += len(ln) + 1
    for k, ln in enumerate(lines):
        if len(ln) >= 300 or starts[k] + len(ln) < m.start() or not dated.search(ln):
            continue
        first = k
        for j in range(k - 1, max(k - 4, -1), -1):
            if _ends_flat_paragraph(lines[j]):
                break
            if _FLAT_HEADER.search(lines[j]):
                first = j
        last = k
        while last + 1 < len(lines) and not _ends_flat_paragraph(lines[last + 1]):
            last += 1
        if last == first:
            return t
        a, b = starts[first], starts[last]
        return t.sub(re.compile(r"\n"), lambda m: " " if a <= m.start() < b + 1 and m.start() < b + len(lines[last])
                     else "\n")
    return t


def _unflatten(t: Text) -> Text:
    """Put line breaks back into a line that holds a whole header and
    preamble (quốc hiệu or ``Số:`` *and* ``Căn cứ``/``Kính gửi``…): before the
    quốc hiệu, ``Số:``, ``V/v``, ``Kính gửi``, basis openings, ``Điều N.``,
    dashes and numbered points after a sentence end, signing prefixes, and
    around the type heading and the enacting formula."""
    spans = []  # the lines of 300 characters or more that hold a header and a preamble
    pos = 0
    for ln in t.text.split("\n"):
        if len(ln) >= 300 and _FLAT_HEADER.search(ln) and (_FLAT_OPENINGS.search(ln) or _flat_types()[0].search(ln)):
            spans.append((pos, pos + len(ln)))
        pos += len(ln) + 1
    if not spans:
        return t

    def brk(m: re.Match) -> str:
        if not any(a <= m.start() < b for a, b in spans):
            return m.group(0)
        return "\n" if m.group(0) == " " else m.group(0) + "\n"

    out = t.sub(_FLAT_BREAKS, brk, within=spans)  # the spans are lines, a match is one space at most
    out = out.sub(_FLAT_HEADING, _heading_break)
    # the authority line that follows a capitalised title: "… CỦA CẤP TỈNH BỘ TRƯỞNG BỘ …" / "Căn cứ"
    office = r"(?:BỘ TRƯỞNG|CHỦ TỊCH|GIÁM ĐỐC|THỦ TƯỚNG|TỔNG GIÁM ĐỐC|CỤC TRƯỞNG|VIỆN TRƯỞNG|HIỆU TRƯỞNG|TRƯỞNG BAN|" \
             r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|BAN THƯỜNG VỤ|BAN CHẤP HÀNH)"
    auth = re.compile(r"(?m)(?<=[" + _CAPS + r"]) (?=" + office + r"(?:[ " + _CAPS + r",–-]*)\n(?:Căn cứ|Xét|Theo|Thực hiện))")
    return out.sub(auth, "\n")


def normalize(source: str, *, markup: bool = True) -> Text:
    """Clean ``source`` (spec §0) and return the text with its offset map.

    ``markup`` strips Markdown and HTML artefacts; it is on for every text
    format because plain-text exports of portals carry them as well.
    """
    t = Text.from_source(source)
    # A step whose pattern cannot match (a cheap test: the character every
    # match holds is absent) is skipped: same result, without the regex
    # engine trying every position of the text.
    if "\r" in t.text:
        t = t.sub(_CR_IN_LINE, "\n")
    if "\f" in t.text or _PAGE_NUMBER_HINT.search("\n" + t.text):
        t = t.sub(_PAGE_NUMBER, "")
        t = t.sub(_FORM_FEED, "\n")
    if _COMBINING.search(t.text):
        t = t.sub(_DECOMPOSED, _nfc)
    if any(c in t.text for c in _LOOKALIKE_MAP):
        t = t.sub(_LOOKALIKE, lambda m: _LOOKALIKE_MAP[m.group(0)])
    if markup:
        if "<" in t.text:
            t = t.sub(_BR, "\n")
            t = t.sub(_TAG, "")
        if "&" in t.text:
            t = t.sub(_ENTITY, _entity)
        t = _grid_tables(t)
        if "\\" in t.text:
            t = t.sub(_MD_LINE_BREAK, "")
            t = t.sub(_MD_ESCAPE, lambda m: m.group(1))
        if "*" in t.text or "__" in t.text:
            t = t.sub(_MD_EMPH, "")
        if "#" in t.text:
            t = t.sub(_MD_HEADING, "")
    if _SPLIT_LABEL_HINT.search(t.text):
        t = t.sub(_SPLIT_LABEL, " ")
    t = _join_split_header(t)
    t = _join_flat_paragraph(t)
    t = _unflatten(t)
    return t


def clean_value(s: str) -> str:
    """A value as the gold writes it: whitespace collapsed, trimmed."""
    return " ".join(s.split())
