"""Rebuild text lines from positioned text pieces (PDF text layer or OCR words).

Both the PDF reader and the OCR reader end up with pieces of text and their
boxes on a page.  Decree 30 documents put the header (issuer | quốc hiệu,
number | place-date) and the footer (Nơi nhận | signature) in two borderless
columns, and a text layer or OCR engine hands them over in an order of its
own: whole columns one after the other, or both columns glued into one line
with a single space.  This module cuts pieces at wide horizontal gaps, puts
pieces that share a visual row back on one line, and lays the row out the way
``pdftotext -layout`` does: the cells separated by at least four spaces and a
cell that starts well right of the left margin indented by its x position.  The
zoning stage splits cells at runs of 3+ spaces and uses a cell's indentation
(``Snip.col``) to tell the signature column from the recipients.

Hand-written because it is small and specific to the two-column rows of these
documents (pdfplumber's layout mode does something similar for PDF text, but
it is about 15 times slower than pdfium and does not apply to OCR words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional

from ..normalize import fold
from .. import patterns as P
from . import Line


@dataclass
class Piece:
    """Text and its box (x0, top, x1, bottom) in page units, top-left origin."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@dataclass
class Char:
    """One character of a line with its box (``None`` for a generated space)."""

    ch: str
    box: Optional[tuple[float, float, float, float]]


# a field label whose value was left blank or handwritten: the gap after it is
# the blank, not a column gap ("Số:        /QĐ-UBND", "ngày      tháng")
_OPEN_END = re.compile(r"(?:(?:^|\s)(?:s[ốo]|ngày|ngay|tháng|thang|năm|nam)\s*[:.]?|…)\s*$", re.I)


def split_line(chars: list[Char], gap_factor: float = 2.2, min_gap: float = 18.0) -> list[Piece]:
    """Cut one reading-order line into pieces at horizontal gaps wider than
    ``gap_factor`` × the text height (and at least ``min_gap``) — the gap
    between two columns, never the space between two words."""
    pieces: list[Piece] = []
    cur: list[Char] = []
    last_box = None

    def flush():
        boxes = [c.box for c in cur if c.box is not None]
        text = "".join(c.ch for c in cur).strip()
        if text and boxes:
            pieces.append(Piece(text, min(b[0] for b in boxes), min(b[1] for b in boxes),
                                max(b[2] for b in boxes), max(b[3] for b in boxes)))

    for c in chars:
        if c.box is not None and c.ch.strip():
            if last_box is not None:
                h = max(last_box[3] - last_box[1], c.box[3] - c.box[1], 1.0)
                gap = c.box[0] - last_box[2]
                if (gap > max(min_gap, gap_factor * h) or c.box[2] < last_box[0] - 2 * h) \
                        and not _OPEN_END.search("".join(x.ch for x in cur)):
                    flush()
                    cur = []
            last_box = c.box
        cur.append(c)
    flush()
    return pieces


def rows(pieces: Iterable[Piece]) -> list[list[Piece]]:
    """Group pieces into visual rows: a piece joins a recent row it overlaps
    vertically by at least half its height and horizontally not at all."""
    out: list[list[Piece]] = []
    spans: list[tuple[float, float]] = []
    for p in sorted(pieces, key=lambda p: ((p.top + p.bottom) / 2, p.x0)):
        best, best_ov = None, 0.0
        for k in range(max(0, len(out) - 8), len(out)):
            top, bot = spans[k]
            ov = min(bot, p.bottom) - max(top, p.top)
            rh = min(q.height for q in out[k])
            if ov < 0.5 * min(p.height, rh):
                continue
            if any(p.x0 < q.x1 + 1 and q.x0 < p.x1 - 1 for q in out[k]):
                continue
            ov /= min(p.height, rh)
            if ov > best_ov:
                best, best_ov = k, ov
        if best is None:
            out.append([p])
            spans.append((p.top, p.bottom))
        else:
            out[best].append(p)
            top, bot = spans[best]
            spans[best] = (min(top, p.top), max(bot, p.bottom))
    for r in out:
        r.sort(key=lambda p: p.x0)
    out.sort(key=lambda r: min(p.top for p in r))
    return _join_right_wraps(out)


def _continues(text: str) -> bool:
    """Starts the way the second line of a wrapped phrase starts."""
    return text[:1].islower() or text[:1].isdigit()


_VV = re.compile(r"^\W{0,2}v\s?/\s?v\b", re.I)


def _join_right_wraps(out: list[list[Piece]]) -> list[list[Piece]]:
    """A right-column cell wrapped onto the next row (``Hà Nội, ngày 25 tháng
    11`` / ``năm 2025``) is glued back to its first part, so the wrapped part
    does not land on the row of an unrelated left-column line."""
    if not out:
        return out
    res: list[list[Piece]] = [out[0]]
    for r in out[1:]:
        prev = res[-1]
        if len(r) >= 1 and len(prev) >= 2:
            p, q = r[-1], prev[-1]
            if (p.x0 > prev[-2].x1 and _continues(p.text)
                    and not q.text.rstrip().endswith((".", ";", ":"))
                    and 0 <= p.top - q.bottom < 1.2 * q.height and p.x0 < q.x1 and q.x0 < p.x1):
                prev[-1] = Piece(q.text + " " + p.text, min(p.x0, q.x0), q.top, max(p.x1, q.x1), p.bottom)
                r = r[:-1]
                if not r:
                    continue
        res.append(r)
    return _join_recipient_wraps(_join_vv_wraps(res))


def _join_vv_wraps(out: list[list[Piece]]) -> list[list[Piece]]:
    """The wrapped lines of a ``V/v`` trích yếu (left column, lower-case
    starts) are glued to it: it then reads as one header cell, and its long
    wrapped lines are not taken for the start of the body."""
    res: list[list[Piece]] = []
    chain: Piece | None = None
    for r in out:
        p = r[0]
        if (chain is not None and _continues(p.text) and not re.match(r"^[a-zđ]\)", p.text)
                and not chain.text.rstrip().endswith((".", ";", ":"))
                and 0 <= p.top - chain.bottom < 1.5 * p.height and p.x0 < chain.x1 and chain.x0 < p.x1):
            k = next(i for i, row in enumerate(res) for q in row if q is chain) if res else None
            joined = Piece(chain.text + " " + p.text, min(p.x0, chain.x0), chain.top, max(p.x1, chain.x1), p.bottom)
            res[k] = [joined if q is chain else q for q in res[k]]
            chain = joined
            r = r[1:]
            if not r:
                continue
        elif _VV.match(p.text):
            chain = p
        else:
            chain = None
        res.append(r)
    return res


_PAGE_NO = re.compile(r"^[\s\-–—.(]*(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?[\s\-–—.)]*$", re.I)


def is_page_number(row: list[Piece], page_height: float) -> bool:
    """A lone number (``2``, ``- 3 -``, ``Trang 4``) in the top or bottom tenth."""
    if len(row) != 1 or not _PAGE_NO.match(row[0].text):
        return False
    y = (row[0].top + row[0].bottom) / 2
    return y < 0.1 * page_height or y > 0.9 * page_height


def is_digisig(text: str) -> bool:
    """A line of a digital-signature stamp (``Ký bởi: …``, ``Thời gian ký: …``)."""
    return bool(P.DIGISIG.match(" ".join(fold(text).split())))


@dataclass
class PageRows:
    """The rows of one page, in page units, with its size."""

    page: int
    rows: list[list[Piece]]
    width: float
    height: float


def _key(row: list[Piece]) -> str:
    return re.sub(r"\d+", "#", " ".join(fold(p.text) for p in row))


def drop_running(pages: list[PageRows]) -> int:
    """Remove page numbers and running headers/footers (a row in the top or
    bottom tenth repeated on at least half of the pages, three or more);
    returns how many rows went."""
    dropped = 0
    counts: dict[str, int] = {}
    if len(pages) >= 3:
        for pg in pages:
            seen = set()
            for r in pg.rows:
                y = min(p.top for p in r)
                if y < 0.1 * pg.height or y > 0.9 * pg.height:
                    seen.add(_key(r))
            for k in seen:
                counts[k] = counts.get(k, 0) + 1
    for pg in pages:
        keep = []
        for r in pg.rows:
            y = min(p.top for p in r)
            edge = y < 0.1 * pg.height or y > 0.9 * pg.height
            k = _key(r)
            if is_page_number(r, pg.height) or (
                    edge and counts.get(k, 0) >= max(3, len(pages) / 2)
                    and not P.QUOC_HIEU.search(k) and not P.PARTY_HEAD.search(k)):
                dropped += 1
                continue
            keep.append(r)
        pg.rows = keep
    return dropped


def render(pages: list[PageRows], unit: float) -> tuple[str, list[int], list[Line]]:
    """The text of the pages (rows as lines, pages one after the other), the
    offset where each page starts and one :class:`Line` per cell.  ``unit`` is
    the width of one character column in page units."""
    out: list[str] = []
    page_starts: list[int] = []
    lines: list[Line] = []
    pos = 0
    for pg in pages:
        page_starts.append(pos)
        # the text block's margins, robust to specks at the page edge
        x0s = sorted(r[0].x0 for r in pg.rows)
        x1s = sorted(r[-1].x1 for r in pg.rows)
        left = x0s[len(x0s) // 10] if x0s else 0.0
        right = x1s[len(x1s) * 9 // 10] if x1s else pg.width
        centre = left + 0.3 * (right - left)
        for r in pg.rows:
            line = ""
            for i, p in enumerate(r):
                col = max(0, round((p.x0 - left) / unit))
                if i == 0:
                    want = col if p.x0 > centre else 0
                else:
                    want = max(len(line) + 4, col)
                line += " " * (want - len(line))
                lines.append(Line(pos + len(line), pos + len(line) + len(p.text), pg.page,
                                  (round(p.x0, 1), round(p.top, 1), round(p.x1, 1), round(p.bottom, 1))))
                line += p.text
            out.append(line)
            pos += len(line) + 1
    return "\n".join(out), page_starts, lines


_NOI_NHAN = re.compile(r"^\W{0,2}n[ơo]i\s?nh[ậa]n\b", re.I)
_LIST_START = re.compile(r"^(?:[-–—+•*]|[a-zđ]\)|\d+[.)])")


def _join_recipient_wraps(out: list[list[Piece]]) -> list[list[Piece]]:
    """Below ``Nơi nhận``, a left-column line ending with a comma continues on
    the next line (``- Các phòng thuộc Sở: GDMN, GDTH,`` / ``GDTrH, GDNN;``):
    glue it back, so a wrapped list of unit codes in capitals is not taken for
    a line of the signature block."""
    res: list[list[Piece]] = []
    in_list = False
    for r in out:
        p = r[0]
        if _NOI_NHAN.match(p.text):
            in_list = True
        elif in_list and res:
            q = res[-1][0]
            if (q.text.rstrip().endswith(",") and not _LIST_START.match(p.text)
                    and 0 <= p.top - q.bottom < 1.5 * p.height and abs(p.x0 - q.x0) < 4 * p.height):
                res[-1][0] = Piece(q.text + " " + p.text, min(p.x0, q.x0), q.top, max(p.x1, q.x1), p.bottom)
                r = r[1:]
                if not r:
                    continue
        res.append(r)
    return res
