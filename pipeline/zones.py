"""Stage 3: Decree 30 zoning in text order (spec §1, §8.3, §9).

Input: the normalized :class:`~pipeline.normalize.Text`.  Output: a
:class:`Layout` whose zones are lists of :class:`Snip` (text plus the clean-text
offset of every character) so that later stages can report spans:

* ``header``: the anchors found before the type heading (quốc hiệu, tiêu ngữ,
  Party heading, number, place-date, V/v, stamps) and the left-column residue
  (the issuing bodies), also when the two columns were flattened onto one line,
  into ``|`` rows or column by column;
* ``heading``/``title``/``authority``: type heading, trích yếu, thẩm quyền line;
* ``addressees``: the ``Kính gửi`` block;
* ``preamble``: the legal-basis paragraphs up to the enacting formula;
* ``body``: paragraphs of the content, re-joined across wrapped lines and
  stray blank lines (spec §8.4);
* ``footer``: everything from ``Nơi nhận`` / the signature stack to the end.

Hand-written because the layout grammar is specific to Decree 30 documents;
it is rule-based and linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Optional, Sequence

from . import patterns as P
from .normalize import Text, fold
from .vocab import vocab


# ---------------------------------------------------------------------------
# Snip: a piece of text with the clean-text offset of each character

def _same_offsets(a, b) -> bool:
    """Equal offset sequences, whether each is a ``range`` or a list."""
    return a == b if type(a) is type(b) else list(a) == list(b)


_WORD = re.compile(r"\S+")
_FOLDED_SEP = {" ": " ", "": "", "\n": "\n"}


@dataclass(eq=False)
class Snip:
    """``offs[i]`` is the clean-text offset of ``text[i]``.  A snip cut from
    one run of the clean text (every cell, most paragraphs) holds a ``range``,
    others a list: slicing, ``start`` and ``end`` are then O(1) and joining
    lines that follow each other in the text builds no per-character list."""

    text: str
    offs: Sequence[int]
    line: int = 0
    col: int = 0
    blank_before: bool = False
    rule_before: bool = False  # a rule line (``-----``, the line under a title) precedes

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.text == other.text and _same_offsets(self.offs, other.offs) and self.line == other.line
                and self.col == other.col and self.blank_before == other.blank_before
                and self.rule_before == other.rule_before)

    @property
    def start(self) -> int:
        return self.offs[0] if self.offs else 0

    @property
    def end(self) -> int:
        return self.offs[-1] + 1 if self.offs else 0

    @functools.cached_property
    def folded(self) -> str:
        """``fold(text)``, computed once (a snip's text is never reassigned);
        snips cut from or joined out of folded snips get theirs from those."""
        return fold(self.text)

    def __getitem__(self, sl: slice) -> "Snip":
        out = Snip(self.text[sl], self.offs[sl], self.line, self.col, self.blank_before, self.rule_before)
        f = self.__dict__.get("folded")
        if f is not None:
            out.__dict__["folded"] = f[sl]  # folding keeps lengths: a slice of the fold is the fold of the slice
        return out

    def strip(self, chars: str | None = None) -> "Snip":
        t = self.text
        a = len(t) - len(t.lstrip(chars))
        b = len(t.rstrip(chars))
        return self[a:b] if b > a else self[a:a]

    def __bool__(self) -> bool:
        return bool(self.text.strip())

    @staticmethod
    def join(snips: list["Snip"], sep: str = " ") -> "Snip":
        """The snips end to end with ``sep`` between them; a separator takes
        the offset just after the character before it."""
        if not snips:
            out = Snip("", [])
            out.__dict__["folded"] = ""
            return out
        first = snips[0]
        if len(snips) == 1:  # a copy
            o = first.offs
            out = Snip(first.text, o if type(o) is range else list(o), first.line, first.col, first.blank_before,
                       first.rule_before)
            out.__dict__["folded"] = first.folded
            return out
        fsep = _FOLDED_SEP.get(sep)
        if fsep is None:
            fsep = fold(sep)
        offs: Sequence[int] | None = None
        if len(sep) <= 1:  # one run of the text when each snip starts where the previous one (and sep) ends
            step = len(sep)
            prev_end = None
            for s in snips:
                o = s.offs
                if type(o) is not range or not o or o.step != 1 or (prev_end is not None and o.start != prev_end + step):
                    break
                prev_end = o.stop
            else:
                offs = range(first.offs.start, prev_end)
        if offs is None:
            acc: list[int] = []
            for i, s in enumerate(snips):
                if i and sep:
                    acc.extend([acc[-1] + 1 if acc else s.start] * len(sep))
                acc.extend(s.offs)
            offs = acc
        out = Snip(sep.join([s.text for s in snips]), offs, first.line, first.col, first.blank_before, first.rule_before)
        out.__dict__["folded"] = fsep.join([s.folded for s in snips])
        return out

    def collapsed(self) -> "Snip":
        """Runs of white space folded to one space, ends trimmed."""
        text = self.text
        spans = [m.span() for m in _WORD.finditer(text)]
        if not spans:
            return self[0:0]
        if len(spans) == 1:
            a, b = spans[0]
            return Snip.join([self[a:b]])
        f = self.__dict__.get("folded")
        if f is not None:
            folded = " ".join([f[a:b] for a, b in spans])
        else:  # each word folded on its own, as the words' snips would be
            folded = " ".join([fold(text[a:b]) for a, b in spans])
        o = self.offs
        if type(o) is range and o.step == 1 and all(spans[k + 1][0] == spans[k][1] + 1 for k in range(len(spans) - 1)):
            offs: Sequence[int] = o[spans[0][0]:spans[-1][1]]  # single spaces: the separators keep their own offsets
        else:
            acc: list[int] = []
            for k, (a, b) in enumerate(spans):
                if k:
                    acc.append(acc[-1] + 1)
                acc.extend(o[a:b])
            offs = acc
        out = Snip(" ".join([text[a:b] for a, b in spans]), offs, self.line, self.col, self.blank_before, self.rule_before)
        out.__dict__["folded"] = folded
        return out


_LOWER_RUN = re.compile(r"[^\W\d_]")


@functools.lru_cache(maxsize=4096)
def is_upper(s: str) -> bool:
    """Mostly capital letters (a heading, a body name, a title line)."""
    letters = len(_LOWER_RUN.findall(s))
    if not letters:
        return False
    low = sum(1 for c in s if c.islower())
    return letters - low >= 0.85 * letters


# ---------------------------------------------------------------------------
# Lines and cells

_CELL_SPLIT = re.compile(r"\|| {3,}")


def _cells(text: str) -> list[Snip]:
    """Split the clean text into cells: lines, cut at ``|`` and at column gaps."""
    cells: list[Snip] = []
    folded = fold(text)  # once for the whole text; cells take slices
    pos = 0
    blank = rule = False
    for lineno, line in enumerate(text.split("\n")):
        start = pos
        pos += len(line) + 1
        if not line.strip() or P.RULE.match(line):
            blank = True
            rule = rule or bool(line.strip())
            continue
        if "|" in line or "   " in line.strip():
            bounds = [0] + [x for m in _CELL_SPLIT.finditer(line) for x in (m.start(), m.end())] + [len(line)]
            pieces = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
        else:
            pieces = [(0, len(line))]
        first = True
        for a, b in pieces:
            seg = line[a:b]
            b = a + len(seg.rstrip())  # the piece without its surrounding white space
            a += len(seg) - len(seg.lstrip())
            if b <= a:
                continue
            s = Snip(line[a:b], range(start + a, start + b), lineno, a, blank and first, rule and first)
            s.__dict__["folded"] = folded[start + a:start + b]
            first = False
            cells.append(s)
        if not first:
            blank = rule = False
    return cells


# ---------------------------------------------------------------------------
# The layout

@dataclass
class Anchor:
    kind: str
    snip: Snip
    match: Optional[re.Match] = None   # match on the folded text of ``snip``


@dataclass
class Layout:
    text: Text
    cells: list[Snip]
    regime: Optional[str] = None
    header_anchors: list[Anchor] = field(default_factory=list)
    header_left: list[Snip] = field(default_factory=list)
    header_rest: list[Snip] = field(default_factory=list)   # residue after the number/date (V/v wraps)
    marks: list[Snip] = field(default_factory=list)
    heading: Optional[Snip] = None
    title: list[Snip] = field(default_factory=list)
    authority: list[Snip] = field(default_factory=list)
    addressees: list[Snip] = field(default_factory=list)
    preamble: list[Snip] = field(default_factory=list)
    enact: Optional[Snip] = None
    body: list[Snip] = field(default_factory=list)
    footer: list[Snip] = field(default_factory=list)
    copy_block: list[Snip] = field(default_factory=list)  # SAO Y … after the document: not its own fields
    has_header: bool = False

    def anchor(self, kind: str) -> Optional[Anchor]:
        return next((a for a in self.header_anchors if a.kind == kind), None)


# spurious marks after a heading: the seal's dots and specks in a scan (spec §8.7)
_HEADING_STRIP = " *:_.,·'`‘’^ˆ"
# the pre-2004 form "QUYẾT ĐỊNH CỦA UỶ BAN NHÂN DÂN TỈNH": the type, then its issuer
_OF_ISSUER = re.compile(r"^(?P<type>.{2,30}?)\s+cua\s+\S")


def _tones_agree(t: str, typ: str) -> bool:
    """A one-word heading (``LUẬT``, ``LỆNH``, ``THƯ``) folds onto common
    syllables (``THỦ``, ``THU``): written with diacritics, it must carry the
    heading's own; written without any, the folded match stands."""
    word = t.split()[0].upper()
    if fold(word) == word.lower():
        return True
    return any(h.split()[0] == word for x in vocab().types if x.name == typ for h in x.headings)


def heading_type(cell: Snip) -> Optional[str]:
    """The type named by a heading cell (``KẾ HOẠCH``; the older ``QUYẾT ĐỊNH
    CỦA UBND TỈNH`` too), or None."""
    t = cell.text.strip(_HEADING_STRIP)
    if not t or len(t) > 80 or not is_upper(t):
        return None
    key = " ".join(fold(t).split())
    v = vocab()
    m = v.heading_re.match(key) if len(t) <= 40 else None
    if m and " " not in m.group(1) and not _tones_agree(t, v.heading_to_type[m.group(1)]):
        m = None  # "THỦ" (the first line of a wrapped "THỦ / TƯỚNG CHÍNH PHỦ") is not "THƯ"
    if m:
        return v.heading_to_type[m.group(1)]
    of = _OF_ISSUER.match(key)
    if of:
        m = v.heading_re.match(of.group("type"))
        if m:
            return v.heading_to_type[m.group(1)]
    return None


def _is_heading(cells: list[Snip], i: int) -> bool:
    """A type heading at ``cells[i]``.  The ``QUYẾT ĐỊNH CỦA …`` form counts
    only when a ``Về việc`` title follows (a title in capitals may itself
    open with ``KẾT LUẬN CỦA …``)."""
    if not heading_type(cells[i]):
        return False
    key = " ".join(cells[i].folded.strip(_HEADING_STRIP).split())
    if vocab().heading_re.match(key):
        return True
    return i + 1 < len(cells) and bool(P.VV.match(cells[i + 1].folded)) and not is_upper(cells[i + 1].text)


def _starts(cell: Snip, rx: re.Pattern) -> Optional[re.Match]:
    return rx.match(cell.folded)


def _is_body_line(cell: Snip) -> bool:
    """A sentence of running text (not a header fragment)."""
    words = cell.text.split()
    return len(words) >= 9 and not is_upper(cell.text)


# header anchors, searched in the folded header text
_HEADER_RX = [("quoc_hieu", P.QUOC_HIEU), ("tieu_ngu", P.TIEU_NGU), ("party", P.PARTY_HEAD), ("youth", P.YOUTH_HEAD),
              ("number", P.NUMBER_PARTY), ("number", P.NUMBER_STATE), ("date", P.DATE_WORDS)]


def zone(text: Text) -> Layout:
    cells = _cells(text.text)
    lay = Layout(text=text, cells=cells)
    if not cells:
        return lay
    n = len(cells)

    # 1. type heading: first heading cell before the body starts
    head_i = None
    limit = min(n, 80)
    for i in range(limit):
        c = cells[i]
        if c.text.rstrip().endswith(":") and i > 0:
            continue
        if _is_heading(cells, i):
            head_i = i
            break
        if is_basis(c) or _starts(c, P.NOI_NHAN):
            break

    # 2. header region: up to the heading, else up to Kính gửi / bases / body
    hdr_end = head_i if head_i is not None else None
    if hdr_end is None:
        hdr_end = n
        seen_num = seen_date = None
        vv_open = False  # inside a V/v summary: its wrapped lines are header, however long
        for i in range(min(n, 60)):
            c = cells[i]
            f = c.folded
            if P.KINH_GUI.match(f) or is_basis(c) or P.NOI_NHAN.match(f):
                hdr_end = i
                break
            if P.VV.match(f):
                vv_open = True
            elif vv_open and c.text.lstrip()[:1].islower() and not cells[i - 1].text.rstrip().endswith((".", ";", ":")):
                continue
            else:
                vv_open = False
            is_anchor = False
            if seen_num is None and (P.NUMBER_STATE.search(f) or P.NUMBER_PARTY.search(f)):
                seen_num, is_anchor = i, True
            if seen_date is None and P.DATE_WORDS.search(f):
                seen_date, is_anchor = i, True
            if is_anchor:
                continue
            anchored = seen_num is not None or seen_date is not None
            settled = (seen_num is not None and seen_date is not None) or \
                (anchored and i - min(x for x in (seen_num, seen_date) if x is not None) > 8)
            if settled and _is_body_line(c) and not P.VV.match(f):
                hdr_end = i
                break
            if not anchored and i >= 12:
                hdr_end = 0
                break
    _zone_header(lay, cells[:hdr_end])

    # 3. heading, title, authority line
    i = hdr_end
    if head_i is not None:
        lay.heading = cells[head_i]
        i = head_i + 1
        i = _zone_title(lay, cells, i)
    else:
        lay.title = _headless_title(lay)

    # 4. Kính gửi
    i = _zone_addressees(lay, cells, i)

    # 5. footer start: Nơi nhận label or the signature stack near the end,
    # before a copy block (SAO Y / SAO LỤC / TRÍCH SAO) appended to the document
    end = _copy_block_start(cells, i)
    foot_i = _footer_start(cells[:end], i)
    lay.footer = cells[foot_i:end]
    lay.copy_block = cells[end:]

    # 6. preamble (legal bases) and body
    body_cells = cells[i:foot_i]
    j = 0
    while j < len(body_cells):
        c = body_cells[j]
        f = c.folded
        if P.ENACT.match(" ".join(f.strip(" *").split())) and is_upper(c.text):
            lay.enact = c
            lay.preamble = body_cells[:j]
            body_cells = body_cells[j + 1:]
            break
        j += 1
    if lay.enact is None:
        # no enacting formula: the bases are the leading basis paragraphs
        paras = paragraphs(body_cells, preamble="lead")
        k = 0
        while k < len(paras) and is_basis(paras[k]):
            k += 1
        lay.preamble, lay.body = paras[:k], paras[k:]
    else:
        lay.preamble = paragraphs(lay.preamble, preamble=True)
        lay.body = paragraphs(body_cells)
    return lay


def _interleaved_quoc_hieu(cells: list[Snip], region: Snip, taken: list[bool], anchors: list) -> None:
    """§8.3: rows interleaved so that a left-column line sits between the
    pieces of the quốc hiệu (``UBND TỈNH`` ``CỘNG HÒA XÃ HỘI`` / ``SỞ …``
    ``CHỦ NGHĨA VIỆT NAM``): look for it in the right-hand cells alone."""
    right = [c for c in cells if c.col > 0]
    if len(right) < 2:
        return
    joined = Snip.join(right, " ")
    m = P.QUOC_HIEU.search(joined.folded)
    if not m:
        return
    sub = joined[m.start():m.end()]
    used = set(sub.offs)
    for k, o in enumerate(region.offs):
        if o in used:
            taken[k] = True
    anchors.append(Anchor("quoc_hieu", sub, P.QUOC_HIEU.match(sub.folded)))


def _zone_header(lay: Layout, cells: list[Snip]) -> None:
    if not cells:
        return
    # cells joined by line breaks; a blank line (or a "|" cell boundary) stays visible
    parts: list[Snip] = []
    for k, c in enumerate(cells):
        if k:
            sep = "\n\n" if c.blank_before else "\n"
            parts.append(Snip(sep, [parts[-1].end] * len(sep)))
        parts.append(c)
    region = Snip.join(parts, "")
    folded = region.folded
    taken = [False] * len(region.text)
    anchors: list[Anchor] = []
    for kind, rx in _HEADER_RX:
        for m in rx.finditer(folded):
            if any(taken[m.start():m.end()]):
                continue
            if kind == "number" and not _plausible_symbol(region.text, m):
                continue
            if kind == "date" and any(a.kind == "date" for a in anchors):
                continue
            a, b = m.start(), m.end()
            if kind == "date":
                a = _place_start(region.text, a, taken)
            taken[a:b] = [True] * (b - a)
            sub = region[a:b]
            anchors.append(Anchor(kind, sub, rx.match(folded[a:b]) if kind != "date" else rx.search(fold(sub.text))))
            if kind == "number":
                break
    if not any(a.kind == "date" for a in anchors):
        _wrapped_year(region, taken, anchors)
    if not any(a.kind == "quoc_hieu" for a in anchors):
        _interleaved_quoc_hieu(cells, region, taken, anchors)
    anchors.sort(key=lambda a: a.snip.start)
    lay.header_anchors = anchors
    kinds = {a.kind for a in anchors}
    lay.has_header = bool(kinds & {"quoc_hieu", "tieu_ngu", "party", "youth"})
    # §9: the Youth Union writes "ĐOÀN TNCS HỒ CHÍ MINH" where the quốc hiệu stands
    lay.regime = ("youth-union" if "youth" in kinds and "quoc_hieu" not in kinds else
                  "party" if "party" in kinds else ("state" if lay.has_header else None))

    # the residue: text of the region outside every anchor, cut into pieces
    first_value = min((a.snip.start for a in anchors if a.kind in ("number", "date")), default=None)
    residue: list[Snip] = []
    cur: list[int] = []

    def flush():
        if cur:
            s = region[cur[0]:cur[-1] + 1].strip(" |")
            while s.text[:1] in (",", ";"):  # a trailing comma belongs to a wrapped V/v line
                s = s[1:].strip(" |")
            s = s.strip(" ;")
            if s and not P.RULE.match(s.text):
                residue.append(s)
            cur.clear()

    stops = bytearray(taken)  # 1: inside an anchor, a line break, "|", a space opening a column gap
    for m in _RESIDUE_STOP.finditer(region.text):
        stops[m.start()] = 1
    for m in _RESIDUE_RUN.finditer(stops):
        cur.extend((m.start(), m.end() - 1))
        flush()
    for s in residue:
        f = " ".join(s.folded.split())
        if P.MARK.match(f):
            lay.marks.append(s)
        elif first_value is not None and s.start >= first_value:
            lay.header_rest.append(s)
        elif is_upper(s.text) or s.text.strip() == "*":
            if s.text.strip(" *") and not garbled(s.text):
                lay.header_left.append(s.strip(" *"))
        else:
            lay.header_rest.append(s)


_DATE_NO_YEAR = re.compile(r"(?<![a-z])ngay\s{0,3}\d{1,2}[\s.]{0,3}thang\s{0,3}\d{1,2}[ .]{0,3}(?=\n)")
_YEAR_WORDS = re.compile(r"(?<![a-z])nam\s{1,3}(?:19|20)\d\d(?!\d)")


def _wrapped_year(region: Snip, taken: list[bool], anchors: list[Anchor]) -> None:
    """``…, ngày 25 tháng 11`` whose ``năm 2025`` went onto the next line (a
    narrow column, or OCR putting it beside the ``V/v`` line): the two pieces
    make the date anchor, and the year leaves the text it landed in."""
    folded = region.folded
    for m in _DATE_NO_YEAR.finditer(folded):
        if any(taken[m.start():m.end()]):
            continue
        nl = folded.find("\n", m.end())
        end = folded.find("\n", nl + 1)
        y = _YEAR_WORDS.search(folded, nl + 1, end if end >= 0 else len(folded))
        if not y or any(taken[y.start():y.end()]):
            continue
        a = _place_start(region.text, m.start(), taken)
        sub = Snip.join([region[a:m.end()].strip(), region[y.start():y.end()]])
        dm = P.DATE_WORDS.search(fold(sub.text))
        if dm is None:
            continue
        for k in (*range(a, m.end()), *range(y.start(), y.end())):
            taken[k] = True
        anchors.append(Anchor("date", sub, dm))
        return


def _headless_title(lay: Layout) -> list[Snip]:
    """A trích yếu in capitals under the number and date rows when the type
    heading above it is missing (lost by OCR, spec §8.7; the type then comes
    from the symbol): the capital lines that follow those rows, when no
    ``V/v`` line is there."""
    values = [a.snip for a in lay.header_anchors if a.kind in ("number", "date")]
    if not values or any(P.VV.match(s.folded) for s in lay.header_rest):
        return []
    last = max(v.end for v in values)
    title: list[Snip] = []
    for s in lay.header_rest:
        if s.start < last:
            continue
        f = " ".join(s.folded.split())
        if not is_upper(s.text) or _authority_like(f) or (not title and len(s.text.split()) < 3):
            break
        title.append(s)
    return title


_DIGIT_LETTER = re.compile(r"\d[^\W\d_]|[^\W\d_]\d")


def _garbled_word(w: str) -> bool:
    if _DIGIT_LETTER.search(w):
        return True
    if w.isupper() or w[1:].islower():  # no capital after a lower-case letter (the common words, checked in C)
        return False
    return any(a.islower() and b.isupper() for a, b in zip(w, w[1:]))


def garbled(s: str) -> bool:
    """OCR noise rather than words (a seal, a signature or a rule read as
    text: ``5o 9/44022XG/ES20UIE``): at least half of the words mix digits
    into letters or a capital into lower case."""
    words = s.split()
    return bool(words) and 2 * sum(map(_garbled_word, words)) >= len(words)


_RESIDUE_STOP = re.compile(r"[\n|]| (?=  )")
_RESIDUE_RUN = re.compile(rb"\x00+")


def _plausible_symbol(text: str, m: re.Match) -> bool:
    sym = text[m.start("sym"):m.end("sym")]
    return bool(sym) and sym[0].isupper()


_PLACE_TOKEN = re.compile(r"^(?:[" + P.UPPER + r"][\w'.\-–]*|\d{1,2}|[-–]|TP\.?[\w.]*|Tp\.?[\w.]*|T\.P\.?)$")


# lower-case words a place name may hold ("Thành phố Hồ Chí Minh", "thị xã"):
# a place wrapped over lines is title case but for these (a V/v summary above
# the date line, "Chính sách thuế TNCN", is not a place)
_PLACE_LOWER = {"phố", "xã", "thị", "trấn", "huyện", "quận", "tỉnh", "phường", "thành", "-", "–"}


def _place_start(text: str, date_start: int, taken: list[bool]) -> int:
    """Walk back from ``ngày`` over ``<Place>,`` (capitalised words, dashes),
    across a line break when the place was wrapped (``Hưng`` / ``Yên, ngày``),
    never into another anchor, a symbol or a column gap."""
    j = date_start
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    if j > 1 and text[j - 1] == "\n" and text[:j - 1].rstrip(" *")[-1:] == ",":
        j = len(text[:j - 1].rstrip(" *"))  # "Đồng Tháp," / "ngày 01 tháng 12 năm 2025"
    if j == 0 or text[j - 1] != ",":
        return date_start
    j -= 1
    # the block holding the place: back to a "|" cell boundary, a blank line,
    # another anchor or a line ending a sentence; short enough → all of it
    k = j
    while k > 0 and not taken[k - 1] and text[k - 1] != "|" and text[max(0, k - 2):k] != "\n\n" \
            and not (text[k - 1] == "\n" and text[:k - 1].rstrip(" *")[-1:] in (".", ";", ":", "")):
        k -= 1
    block = text[k:j].strip(" \n*")
    if block and len(block.split()) <= 7 and not re.search(r"[/:;()]", block) and block[0].isupper() \
            and ("\n" not in block or all(w[:1].isupper() or w[:1].isdigit() or w in _PLACE_LOWER for w in block.split())):
        return k + (len(text[k:j]) - len(text[k:j].lstrip(" \n*")))
    start = j
    words = 0
    line_start = text.rfind("\n", 0, j) + 1  # word by word, on the date's own line
    for t in reversed(list(re.finditer(r"[^\s|]+|\||\s{3,}", text[max(line_start, j - 120):j]))):
        a = max(line_start, j - 120) + t.start()
        w = t.group(0)
        if w == "|" or not w.strip() or any(taken[a:a + len(w)]) or "/" in w or w.endswith((";", ":", ",", ".")):
            break
        if not (w[0].isupper() or w[0].isdigit() or w in ("-", "–")) or (w.isupper() and len(w) > 4 and not w.startswith("TP")):
            break
        start = a
        words += 1
        if words >= 6:
            break
    return start if start < j else date_start


# "KẾ HOẠCH / Thực hiện công tác bầu cử …": right under a heading, "Thực hiện"
# followed by a task rather than a document is the trích yếu, not a basis
_TITLE_LIKE_THUC_HIEN = re.compile(
    r"thuc\s{1,3}hien\s{1,3}(?!(?:cac\s{1,3})?(?:luat|bo\s{1,3}luat|nghi|quyet|chi\s{1,3}thi|ke\s{1,3}hoach|cong\s{1,3}van|"
    r"thong|van\s{1,3}ban|y\s{1,3}kien|chuong\s{1,3}trinh|de\s{1,3}an|huong\s{1,3}dan|chi\s{1,3}dao|ket\s{1,3}luan|"
    r"quy\s{1,3}dinh|dieu|su\s{1,3}chi\s{1,3}dao|tinh\s{1,3}than)\b)")


def _zone_title(lay: Layout, cells: list[Snip], i: int) -> int:
    """Trích yếu lines after the heading, then the thẩm quyền line(s)."""
    n = len(cells)
    title: list[Snip] = []
    heading = heading_type(lay.heading) if lay.heading is not None else None
    authority_expected = heading in _TYPES_WITH_AUTHORITY
    guessed = None  # (index into title, index into cells) of the first line taken only for its length
    while i < n:
        c = cells[i]
        f = " ".join(c.folded.split())
        underlined = not title and heading is not None and (
            i + 1 < n and cells[i + 1].rule_before  # the rule under the trích yếu
            or _TITLE_LIKE_THUC_HIEN.match(f) and not P.CITED_NUMBER.search(f))
        if (is_basis(c) and not underlined or P.KINH_GUI.match(f) or P.NOI_NHAN.match(f)
                or P.ENACT.match(f.strip(" *")) and is_upper(c.text)):
            break
        if title:
            prev = title[-1].text
            upper_title = is_upper(title[0].text)
            if upper_title:
                if P.enum_kind(f, c.text) and P.enum_kind(f, c.text)[0] not in ("dash", "plus"):
                    break
                letters = any(ch.isalpha() for ch in c.text)
                # "… THÔNG TƯ SỐ 07/2019/TT-BCT" / "ngày 19 tháng 4 năm 2019" / "CỦA BỘ TRƯỞNG …":
                # a date alone on its line (OCR lower-cases it) goes on when capitals follow
                dated = bool(_DATE_ONLY.match(f)) and i + 1 < n and is_upper(cells[i + 1].text)
                if letters and not is_upper(c.text) and not dated:
                    break
                # "… GIAI ĐOẠN" / "2026 - 2030", "… NĂM HỌC" / "2025-2026": the years end the title
                if not letters and not prev.rstrip().endswith(("-", "–", ",")) and not _YEARS.match(f):
                    break
                # "… BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG" / "KHÓA XIII": the term of the body the
                # title names, not the second line of a thẩm quyền
                term = bool(_TERM.match(f)) and not c.blank_before
                if _authority_like(f) and not term and (authority_expected or c.blank_before) and " ve " not in f \
                        and not prev.rstrip().endswith((",", "-", "–")) \
                        and not fold(prev).rstrip().endswith((" cua", " ve", " va", " cho", " tai")):
                    break
            else:
                plain = c.text[:1].islower() or c.text[:1].isdigit() or c.text[:1] in "(–-"
                cont = (plain
                        or (not c.blank_before and not prev.rstrip().endswith((".", ":", ";"))
                            and not is_upper(c.text) and (len(prev) > 50 or _DANGLING.search(fold(prev)))))
                if not cont or P.enum_kind(f, c.text):
                    break
                if guessed is None and not plain and not _DANGLING.search(fold(prev)):
                    guessed = (len(title), i)
        else:
            if P.enum_kind(f, c.text) and not P.VV.match(f):
                break
            if _is_body_line(c) and len(c.text) > 250:
                break
            if c.text.startswith("(") and fold(c.text).startswith(("(ban hanh kem", "(kem theo")):
                i += 1
                continue
        title.append(c)
        i += 1
    if guessed is not None and title[-1].text.rstrip().endswith("."):
        # a trích yếu never ends in a full stop: the capitalised line taken for the
        # previous line's length was the body's first sentence (OCR keeps no blank line)
        title, i = title[:guessed[0]], guessed[1]
    lay.title = title
    # thẩm quyền ban hành: capitals, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH ..."
    while i < n and is_upper(cells[i].text) and not P.ENACT.match(" ".join(cells[i].folded.strip(" *").split())) \
            and not heading_type(cells[i]) and not is_basis(cells[i]):
        if P.enum_kind(cells[i].folded, cells[i].text) or P.KINH_GUI.match(cells[i].folded.strip()):
            break  # a list, or a công điện's "CHỦ TỊCH … điện:" (the addressees' label)
        lay.authority.append(cells[i])
        i += 1
    return i


_TYPES_WITH_AUTHORITY = {"Quyết định", "Nghị quyết", "Nghị quyết liên tịch", "Thông tư", "Thông tư liên tịch",
                         "Nghị định", "Pháp lệnh", "Lệnh", "Luật", "Bộ luật", "Chỉ thị", "Quy định"}


def is_basis(c: Snip) -> bool:
    """A legal-basis opening in sentence case (``Thực hiện``, not a title
    in capitals ``THỰC HIỆN NGHỊ QUYẾT…``)."""
    return (bool(P.BASIS.match(c.folded)) and not is_upper(c.text[:12])
            and not c.text.lstrip(" *_\"“")[:1].islower())


_AUTH_BODIES = re.compile(r"^(?:uy\s+ban|hoi\s+dong|chinh\s+phu|quoc\s+hoi|ban\s+(?:chap\s+hanh|thuong\s+vu)|"
                          r"bo\s+chinh\s+tri|ban\s+bi\s+thu|thuong\s+truc|uy\s+ban\s+thuong\s+vu|khoa\s+[ivxlc]+)")


# the Roman numeral as OCR reads it: I as 1, l or | (spec §8.7)
_TERM = re.compile(r"khoa\s+[ivxlc1|]+\b")
_YEARS = re.compile(r"^(?:19|20)\d\d(?:\s{0,3}[-–]\s{0,3}(?:19|20)\d\d)?\s{0,3}[.,;)]?$")
_DATE_ONLY = re.compile(r"^ngay\s{1,3}\d{1,2}\s{1,3}thang\s{1,3}\d{1,2}\s{1,3}nam\s{1,3}(?:19|20)\d\d\s{0,3}[,;]?$")


def _authority_like(f: str) -> bool:
    return bool(_AUTH_BODIES.match(f) or vocab().office_re.match(f))


def _zone_addressees(lay: Layout, cells: list[Snip], i: int) -> int:
    n = len(cells)
    j = i
    # Kính gửi may follow a few header leftovers (V/v wraps, stamps)
    while j < min(n, i + 6):
        if P.KINH_GUI.match(cells[j].folded):
            break
        j += 1
    else:
        return i
    if j >= n or not P.KINH_GUI.match(cells[j].folded):
        return i
    block = [cells[j]]
    k = j + 1
    m = P.KINH_GUI.match(cells[j].folded)
    if k < n and not cells[j].text[m.end():].strip(" *:") and cells[k].text[:1] not in "-–•+":
        # "Kính gửi:" alone on its line, the addressee on the next ones
        while k < n and len(block) < 6 and not is_basis(cells[k]) and not _is_body_line(cells[k]) or \
                k < n and len(block) == 1:
            block.append(cells[k])
            k += 1
            if block[-1].text.rstrip().endswith((".", ";")) and not (k < n and cells[k].text[:1] in "-–•+"):
                break
    while k < n:
        c = cells[k]
        if c.text[:1] in "-–•+" and len(c.text) < 200:
            block.append(c)
            k += 1
            continue
        # a wrapped continuation of the previous addressee
        if block and c.text[:1].islower() and not block[-1].text.rstrip().endswith((";", ".")):
            block.append(c)
            k += 1
            continue
        break
    lay.addressees = block
    return k


_COPY_MARK = re.compile(r"(?:ban\s{1,3})?(?:sao\s{1,3}y|sao\s{1,3}luc|trich\s{1,3}sao)(?:\s{1,3}ban\s{1,3}chinh)?")


def _copy_block_start(cells: list[Snip], lo: int) -> int:
    """Where a copy block (spec §8.8: ``SAO Y BẢN CHÍNH`` with its own number,
    date, signer and Nơi nhận) follows the document: a capitalised cell that
    is only the copy mark, after the document's own text; else the end."""
    for k in range(lo + 1, len(cells)):
        c = cells[k]
        if len(c.text) < 40 and is_upper(c.text) and _COPY_MARK.fullmatch(" ".join(c.folded.split()).strip(" .:*")):
            return k
    return len(cells)


def _footer_start(cells: list[Snip], lo: int) -> int:
    n = len(cells)
    for k in range(n - 1, lo - 1, -1):
        if P.NOI_NHAN.match(cells[k].folded):
            # a signature stack may come right before the Nơi nhận label
            j = k
            while j - 1 >= lo and j > k - 24 and _signature_like(cells[j - 1]):
                j -= 1
            return j
    # no Nơi nhận: the last signature stack
    for k in range(n - 1, max(lo, n - 25) - 1, -1):
        m = P.AUTH.match(cells[k].folded)
        if m and is_upper(cells[k].text):
            j = k
            while j - 1 >= lo and j > k - 4 and is_upper(cells[j - 1].text) and len(cells[j - 1].text) < 60 \
                    and not P.ENACT.match(cells[j - 1].folded):
                j -= 1
            return j
    # unprefixed signature: an office title over a name in the last lines
    for k in range(n - 1, max(lo, n - 8) - 1, -1):
        f = " ".join(cells[k].folded.split())
        if is_upper(cells[k].text) and vocab().office_re.match(f) and len(cells[k].text) < 60 \
                and k + 1 < n and not is_upper(cells[k + 1].text or "x") and len(cells[k + 1].text.split()) <= 6:
            # blocks side by side ("THƯ KÝ      CHỦ TRÌ"): the row's first title
            while k - 1 >= lo and cells[k - 1].line == cells[k].line and is_upper(cells[k - 1].text) \
                    and vocab().office_re.match(" ".join(cells[k - 1].folded.split())):
                k -= 1
            return k
    # a Nơi nhận label OCR garbled ("NHI nHỆng"): an office title in the right column
    # with a name under it in that column, only the list's lines between them
    for k in range(max(lo, n - 40), n):
        k = _right_signature(cells, k, lo)
        if k is not None:
            return k
    return n


_RIGHT_COL = 25   # a cell starting this far into its line sits in the right column


def _right_signature(cells: list[Snip], k: int, lo: int = 0) -> Optional[int]:
    """The index of the first cell on the line of ``cells[k]`` when that cell
    is an office title in the right column followed by a name in the same
    column within the last 25 cells, the cells between being list lines at
    the left (dashes, wrapped entries); else None."""
    c, n = cells[k], len(cells)
    f = " ".join(c.folded.split())
    if not (c.col >= _RIGHT_COL and is_upper(c.text) and len(c.text) < 40 and vocab().office_re.match(f)):
        return None
    for m in range(k + 1, min(n, k + 25)):
        d = cells[m]
        if d.col >= _RIGHT_COL and abs(d.col - c.col) <= 20:
            if looks_like_name(d.text) and not is_upper(d.text) and m >= n - 25:
                j = k
                while j - 1 >= lo and cells[j - 1].line == c.line:
                    j -= 1
                return j
            if is_upper(d.text) or len(d.text.split()) > 6:
                return None   # something else in the right column
        elif d.col < _RIGHT_COL and not (d.text[:1] in "-–—•+*(" or d.text[:1].islower() or P.LUU.match(d.folded)):
            return None
    return None


def _signature_like(c: Snip) -> bool:
    f = " ".join(c.folded.split())
    if P.AUTH.match(f) and is_upper(c.text):
        return True
    if is_upper(c.text) and len(c.text) < 60 and not P.enum_kind(f, c.text):
        return True
    return bool(P.SIGN_NOTE.match(f)) or looks_like_name(c.text)


# ---------------------------------------------------------------------------
# Paragraphs: lines re-joined across wraps and stray blank lines (spec §8.4)

_TERMINAL = (".", ";", ":", "!", "?", "./.")


def _starts_structure(c: Snip) -> bool:
    f = c.folded
    return bool(P.enum_kind(f, c.text) or is_basis(c) or P.NOI_NHAN.match(f)
                or P.KINH_GUI.match(f) or P.ENACT.match(f.strip()))


_DANGLING = re.compile(r"(?:\s(?:cua|va|so|ngay|tai|ve|theo|cac|nam|thang|voi|do|bo|uy\s+ban)|[-–])\s*$")


def paragraphs(cells: list[Snip], preamble: bool | str = False) -> list[Snip]:
    """Lines re-joined into paragraphs.  In a preamble closed by an enacting
    formula (``preamble=True``) a basis that has not ended (no ``;``, ``,``,
    ``.`` or ``:``) swallows the following lines until the next opening, also
    lines that start with a capital or a dash (``Theo đề nghị của Sở Lao
    động`` / ``- Thương binh và Xã hội tại…``).  Where no formula closes it
    (``preamble="lead"``) the body may follow at once, so a capitalised line
    joins only a basis left hanging on a word like ``của`` or ``số``."""
    paras: list[list[Snip]] = []
    for ci, c in enumerate(cells):
        if paras:
            prev = paras[-1][-1]
            ptxt = prev.text.rstrip()
            join = False
            # a line of capitals is a heading, unless it opens with a digit: the rest of a
            # cited number wrapped by a narrow portal column ("… bởi Luật số" / "87/2025/QH15;")
            shouts = is_upper(c.text) and not c.text[:1].isdigit()
            if (preamble and is_basis(paras[-1][0]) and not ptxt.endswith(_TERMINAL)
                    and not is_basis(c) and not shouts and not P.ENACT.match(c.folded.strip(" *"))
                    and (P.enum_kind(c.folded, c.text) or ("dash",))[0] == "dash"
                    and (preamble != "lead" and not ptxt.endswith(",")
                         or preamble == "lead" and (c.text[:1].islower() and not ptxt.endswith(",")
                                                    or _DANGLING.search(prev.folded)
                                                    or _basis_goes_on(cells, ci)))):
                paras[-1].append(c)
                continue
            if not ptxt.endswith(_TERMINAL) and not _starts_structure(c) and not shouts:
                first = c.text[:1]
                if first.islower() or (first.isdigit() and not c.blank_before):
                    join = True
                elif not c.blank_before and len(ptxt) > 50 and not is_upper(ptxt):
                    join = True
            if not join and len(ptxt.split()) <= 3 and is_basis(prev) and not _starts_structure(c):
                join = True
            # "Căn cứ Nghị định số 08/2015/NĐ-CP …;" / "Nghị định số 167/2025/NĐ-CP … sửa đổi …;":
            # one basis citing several instruments, each on its own line
            if (not join and preamble and is_basis(paras[-1][0]) and ptxt.endswith(";") and not c.blank_before
                    and _CITED_INSTRUMENT.match(c.folded)):
                join = True
            if join:
                paras[-1].append(c)
                continue
        paras.append([c])
    return [Snip.join(p) for p in paras]


_CITED_INSTRUMENT = re.compile(r"(?:(?:nghi\s+dinh|nghi\s+quyet|thong\s+tu(?:\s+lien\s+tich)?|quyet\s+dinh|"
                               r"phap\s+lenh|chi\s+thi)\s+so\s+\d|(?:bo\s+)?luat\s[^;]{1,80}?\bso\s+\d+/\d{4}/qh)")


def _basis_goes_on(cells: list[Snip], i: int) -> bool:
    """Whether the capitalised line ``cells[i]`` continues the unfinished basis
    before it: a narrow portal column breaks a basis anywhere ("Căn cứ Luật Tổ
    chức" / "Chính phủ số 63/2025/QH15;"), and the lines from ``i`` on reach a
    ``;`` (the separator of the bases) before any other sentence end, opening
    or heading."""
    for c in cells[i:i + 4]:
        if c.blank_before or c is not cells[i] and _starts_structure(c):
            return False
        if is_upper(c.text) and not c.text[:1].isdigit():
            return False
        t = c.text.rstrip()
        if t.endswith(";"):
            return True
        if t.endswith(_TERMINAL):
            return False
    return False


# ---------------------------------------------------------------------------
# Footer: Nơi nhận (left) and signature (right), also when flattened (spec §8.3)

_NAME_TAIL = re.compile(r"^(?P<head>.*?[;.,:])\s+(?P<tail>(?:[" + P.UPPER + r"](?:\w*|\.)\s+){1,5}[" + P.UPPER + r"]\w*)$")
_UPPER_TAIL = re.compile(r"^(?P<head>.*?[;.,:])\s+(?P<tail>[^" + P.LOWER + r";]{3,}[" + P.UPPER + r".])$")


_PHU_LUC = re.compile(r"^(?:phu\s{1,3}luc|danh\s{1,3}muc|danh\s{1,3}sach|bang\s{1,3}tong\s{1,3}hop)\b")


def looks_like_name(s: str) -> bool:
    words = s.split()
    if not 2 <= len(words) <= 6 or any(ch in s for ch in ";:,/()"):
        return False
    return all(w[:1].isupper() for w in words if w.isalpha() or w[:1].isalpha())


_APPENDIX_LABEL = re.compile(r"^phu\s{1,3}luc(?:\s{1,3}(?:[ivxlc]{1,5}|\d{1,2}|so\s{1,3}\d{1,2}))?\s{0,3}[.:]?\s{0,3}$")
_ATTACHED = re.compile(r"^\(?\s{0,2}(?:ban\s{1,3}hanh\s{1,3})?kem(?:\s{1,3}theo\b|\s*$)")


# the national motto, also with its last word garbled by OCR ("CÔNG HOA XA HỘI CHỦ NG+'A")
_MOTTO = re.compile(r"cong\s{0,3}h[a-z]{1,2}\s{0,2}a?\s{0,3}xa\s{0,3}hoi\s{0,3}chu\s{0,3}ng")


def split_footer(cells: list[Snip]) -> tuple[list[Snip], list[Snip], Optional[Snip]]:
    """``(recipient cells, signature cells, the Nơi nhận label)``."""
    recip: list[Snip] = []
    sign: list[Snip] = []
    label: Optional[Snip] = None
    in_recip = False
    last_sign = False
    named = False  # the signature block has its signer's name
    for k, c in enumerate(cells):
        joined = c.folded + " " + cells[k + 1].folded if k + 1 < len(cells) else c.folded
        if _PHU_LUC.match(joined) and (is_upper(c.text) or _APPENDIX_LABEL.match(c.folded)):
            break  # an appendix starts ("PHỤ LỤC", wrapped "PHỤ / LỤC", "Phụ lục I"): the footer ended above it
        if k and _MOTTO.search(" ".join(c.folded.split())):
            # another document's national motto (an attached form, a scan's next page): the
            # footer ended above its line, the issuer printed beside the motto included
            recip = [s for s in recip if s.line != c.line]
            sign = [s for s in sign if s.line != c.line]
            break
        if named and (_ATTACHED.match(c.folded) or (is_upper(c.text) and len(c.text.strip()) > 24
                                                    and not P.AUTH.match(c.folded))):
            break  # a heading after the signer's name: an attachment without "PHỤ LỤC"
        f = c.folded
        m = P.NOI_NHAN.match(f)
        if m:
            label = c[:m.end()]
            in_recip = True
            rest = c[m.end():].strip()
            if rest:
                if _signature_piece(rest):
                    sign.append(rest)
                else:
                    recip.append(rest)
            continue
        if c.text[:1] in "-–—•+*" or P.LUU.match(f):
            in_recip = True
            head, tail = _split_tail(c)
            recip.append(head)
            if tail is not None:
                sign.append(tail)
            continue
        hanging = (bool(recip) and recip[-1].text.rstrip().endswith(",") and not P.AUTH.match(f)
                   and c.line != recip[-1].line and c.col <= recip[-1].col + 4)  # wrapped, not the column beside
        if in_recip and recip and (not _signature_piece(c) or hanging) and not (last_sign and looks_like_name(c.text)):
            prev = recip[-1].text.rstrip()
            if c.text[:1].islower() or not prev.endswith((";", ".", ":")):
                recip.append(c)
                last_sign = False
                continue
        sign.append(c)
        last_sign = True
        named = named or (looks_like_name(c.text) and not is_upper(c.text))
    return recip, sign, label


def _signature_piece(c: Snip) -> bool:
    f = " ".join(c.folded.split())
    return bool((P.AUTH.match(f) and is_upper(c.text)) or (is_upper(c.text) and len(c.text) < 70)
                or P.SIGN_NOTE.match(f) or looks_like_name(c.text) and c.col > 20)


_NOTE_TAIL = re.compile(r"^(?P<head>.*[;.,:])\s+(?P<tail>[(\[][^()\[\]]{2,40}[)\]])$")


_PREFIX_END = re.compile(r"(?P<sep>[;.,:])\s+(?P<prefix>(?:T/M|K/T|T/L|TM|KT|TL|TUQ|Q)\.?)$")


def _split_tail(c: Snip) -> tuple[Snip, Optional[Snip]]:
    """``- Như trên; PHÓ GIÁM ĐỐC`` → the recipient and the signature part."""
    t = c.text
    nm = _NOTE_TAIL.match(t)
    if nm and P.SIGN_NOTE.match(fold(nm.group("tail"))):
        return c[:nm.end("head")], c[nm.start("tail"):]  # "- UBND tỉnh (để b/c); (Đã ký)"
    for rx in (_UPPER_TAIL, _NAME_TAIL):
        m = rx.match(t)
        if m:
            tail = m.group("tail")
            if rx is _UPPER_TAIL and not (vocab().office_re.match(" ".join(fold(tail).split()))
                                         or P.AUTH.match(fold(tail))):
                continue
            if rx is _NAME_TAIL and (fold(tail).startswith(("vt", "van thu")) or m.group("head").endswith(",")
                                     or vocab().body_heads_re.match(" ".join(fold(tail).split()))):
                continue  # "- Cục Thống kê, Bộ Tài" wraps an entry, no name follows
            head_end, tail_start = m.end("head"), m.start("tail")
            pm = _PREFIX_END.search(t, 0, head_end)
            if pm:  # "- Như Điều 3; KT. CHỦ TỊCH": the prefix belongs to the signature
                head_end, tail_start = pm.start("sep") + 1, pm.start("prefix")
            return c[:head_end], c[tail_start:]
    return c, None
