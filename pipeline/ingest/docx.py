"""DOCX reader: paragraphs and tables in document order, as layout text.

python-docx opens the package (relationships, numbering and header parts); the
body is then walked element by element because python-docx's
``Document.paragraphs``/``tables`` lose the order between the two and skip
content controls (``w:sdt``), text boxes and tracked insertions.

How the text is laid out for the zoning stage (spec §8.3, §8.6):

* a paragraph is one line (``w:br`` line breaks start new lines, tabs stay
  tabs, automatic numbering is rendered from ``numbering.xml`` so that
  ``Điều 1.`` or ``a)`` typed by Word's list feature reaches the text);
* a *layout table* (at most two non-empty cells per row: the borderless
  header and signature tables of Decree 30) is printed the way
  ``pdftotext -layout`` prints it: each row's cells side by side, their
  paragraphs aligned line by line and separated by a wide gap of spaces, so
  that the zoning stage sees the left and right columns;
* a data table (three or more cells in a row) becomes one ``a | b | c`` line
  per row;
* the first section's page header comes before the body and its page footer
  after it, when they hold more than a page number.

Defensive reading: a file that is not a zip, a zip bomb (declared sizes or
compression ratios beyond a limit), XML with a DOCTYPE (entity expansion) or
any python-docx failure gives a :class:`Source` with a warning, never an
exception.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Iterable, Optional

from . import Source

MAX_UNCOMPRESSED = 200 * 1024 * 1024   # bytes, all parts together
MAX_RATIO = 200                        # uncompressed / compressed, for parts over 1 MB
GAP = "    "                           # between side-by-side cells (zoning splits at 3+ spaces)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_SKIP = {_W + "pPr", _W + "rPr", _W + "del", _W + "moveFrom", _W + "instrText", _W + "delText",
         _W + "footnoteReference", _W + "endnoteReference", _W + "commentReference",
         _MC + "Fallback", _W + "fldData"}
_PAGE_NUMBER = re.compile(r"^\W*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?\W*$", re.I)


def _fail(path: str, msg: str) -> Source:
    return Source("", "docx", path, warnings=[f"unreadable DOCX: {msg}"], method="docx")


def check_package(data: bytes) -> Optional[str]:
    """Why ``data`` must not be opened as a DOCX, or None when it may be."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        return f"not a zip archive ({e})"
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "word/document.xml" not in names and not any(n.endswith("document.xml") for n in names):
            return "no word/document.xml in the archive (not a Word document)"
        total = 0
        for i in infos:
            total += i.file_size
            if i.file_size > 1_000_000 and i.file_size > MAX_RATIO * max(1, i.compress_size):
                return f"zip bomb suspected: {i.filename} expands {i.file_size // max(1, i.compress_size)}×"
        if total > MAX_UNCOMPRESSED:
            return f"zip bomb suspected: {total} bytes uncompressed"
        for i in infos:
            if i.filename.endswith((".xml", ".rels")):
                try:
                    declared = _declares_entities(zf, i)
                except Exception as e:  # corrupt member: CRC, bad compression
                    return f"corrupt part {i.filename} ({e})"
                if declared:
                    return f"{i.filename} declares a DOCTYPE/ENTITY (refused: entity expansion)"
    return None


def _declares_entities(zf: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int = 1 << 16) -> bool:
    """A DOCTYPE or ENTITY declaration anywhere in the part (a comment or
    whitespace may push it past the first bytes), read in chunks that overlap
    by the length of the marker; the sizes were bounded by the checks above."""
    tail = b""
    with zf.open(info) as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                return False
            buf = tail + block
            if b"<!DOCTYPE" in buf or b"<!ENTITY" in buf:
                return True
            tail = buf[-9:]


# ---------------------------------------------------------------------------
# Automatic numbering (numbering.xml)

def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letter(n: int) -> str:
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def _fmt(n: int, kind: str) -> str:
    if kind in ("lowerLetter",):
        return _letter(n)
    if kind == "upperLetter":
        return _letter(n).upper()
    if kind == "lowerRoman":
        return _roman(n).lower()
    if kind == "upperRoman":
        return _roman(n)
    if kind == "none":
        return ""
    return str(n)


class _Numbering:
    """Renders the label of a numbered paragraph (``Điều 3.``, ``a)``, ``-``)."""

    def __init__(self, doc) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        try:
            root = doc.part.numbering_part.element
        except Exception:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(_W + "abstractNum"):
            lv = {}
            for lvl in an.findall(_W + "lvl"):
                ilvl = int(lvl.get(_W + "ilvl", "0"))
                fmt = _val(lvl.find(_W + "numFmt")) or "decimal"
                text = _val(lvl.find(_W + "lvlText")) or ""
                start = int(_val(lvl.find(_W + "start")) or "1")
                lv[ilvl] = (fmt, text, start)
            abstract[an.get(_W + "abstractNumId")] = lv
        for num in root.findall(_W + "num"):
            nid = num.get(_W + "numId")
            aid = _val(num.find(_W + "abstractNumId"))
            for ilvl, spec in abstract.get(aid, {}).items():
                self.levels[(nid, ilvl)] = spec
            for ov in num.findall(_W + "lvlOverride"):
                ilvl = int(ov.get(_W + "ilvl", "0"))
                so = _val(ov.find(_W + "startOverride"))
                if so and (nid, ilvl) in self.levels:
                    f, t, _ = self.levels[(nid, ilvl)]
                    self.levels[(nid, ilvl)] = (f, t, int(so))
        try:
            for st in doc.styles.element.findall(_W + "style"):
                npr = st.find(f"{_W}pPr/{_W}numPr")
                if npr is not None:
                    nid = _val(npr.find(_W + "numId"))
                    if nid:
                        self.style_num[st.get(_W + "styleId")] = (nid, int(_val(npr.find(_W + "ilvl")) or "0"))
        except Exception:
            pass

    def label(self, p) -> str:
        if not self.levels:
            return ""
        ppr = p.find(_W + "pPr")
        nid, ilvl = None, 0
        if ppr is not None:
            npr = ppr.find(_W + "numPr")
            if npr is not None:
                nid = _val(npr.find(_W + "numId"))
                ilvl = int(_val(npr.find(_W + "ilvl")) or "0")
            elif (ps := ppr.find(_W + "pStyle")) is not None and _val(ps) in self.style_num:
                nid, ilvl = self.style_num[_val(ps)]
        if not nid or nid == "0" or (nid, ilvl) not in self.levels:
            return ""
        cnt = self.counters.setdefault(nid, [0] * 9)
        if ilvl >= len(cnt):
            return ""
        fmt, text, start = self.levels[(nid, ilvl)]
        cnt[ilvl] = start if cnt[ilvl] == 0 else cnt[ilvl] + 1
        for k in range(ilvl + 1, len(cnt)):
            cnt[k] = 0
        if fmt == "bullet":
            return "- "
        out = text
        for k in range(ilvl + 1):
            spec = self.levels.get((nid, k))
            n = cnt[k] or (spec[2] if spec else 1)
            out = out.replace(f"%{k + 1}", _fmt(n, spec[0] if spec else "decimal"))
        return out + " " if out else ""


def _val(el) -> Optional[str]:
    return None if el is None else el.get(_W + "val")


# ---------------------------------------------------------------------------
# Walking the XML

class _Walker:
    def __init__(self, numbering: Optional[_Numbering]) -> None:
        self.numbering = numbering
        self.boxes: list[str] = []   # text-box lines met inside paragraphs

    def block(self, parent) -> list[str]:
        """Lines of a block container (body, cell, header, text box)."""
        lines: list[str] = []
        for el in parent:
            tag = el.tag
            if tag == _W + "p":
                lines.extend(self.paragraph(el))
            elif tag == _W + "tbl":
                lines.extend(self.table(el))
            elif tag in (_W + "sdt", _W + "customXml", _W + "ins", _W + "moveTo"):
                inner = el.find(_W + "sdtContent") if tag == _W + "sdt" else el
                if inner is not None:
                    lines.extend(self.block(inner))
            elif tag == _MC + "AlternateContent":
                choice = el.find(_MC + "Choice")
                if choice is not None:
                    lines.extend(self.block(choice))
        return lines

    def paragraph(self, p) -> list[str]:
        parts: list[str] = []
        self._runs(p, parts)
        text = "".join(parts)
        if text.strip() and self.numbering is not None:
            text = self.numbering.label(p) + text
        lines = text.split("\n")
        if self.boxes:
            lines += self.boxes
            self.boxes = []
        return lines

    def _runs(self, el, out: list[str]) -> None:
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == _W + "t":
                out.append(ch.text or "")
            elif tag == _W + "tab":
                out.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                out.append("\n")
            elif tag == _W + "noBreakHyphen":
                out.append("-")
            elif tag == _W + "txbxContent":
                saved = self.boxes
                self.boxes = []
                box = self.block(ch)
                self.boxes = saved + [ln for ln in box if ln.strip()]
            else:
                self._runs(ch, out)

    def cell(self, tc) -> list[str]:
        lines = [ln.rstrip() for ln in self.block(tc)]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    def table(self, tbl) -> list[str]:
        rows: list[list[list[str]]] = []
        for tr in tbl.iter(_W + "tr"):
            if _ancestor_table(tr) is not tbl:
                continue
            cells = [self.cell(tc) for tc in tr if tc.tag == _W + "tc"]
            cells += [self.cell(tc) for sdt in tr if sdt.tag == _W + "sdt"
                      for tc in sdt.iter(_W + "tc")]
            rows.append([c for c in cells if any(ln.strip() for ln in c)])
        return table_rows(rows)


def _ancestor_table(el):
    p = el.getparent()
    while p is not None and p.tag != _W + "tbl":
        p = p.getparent()
    return p


def table_rows(rows: list[list[list[str]]]) -> list[str]:
    """A table (rows of cells of lines) as text lines: a table of at most two
    filled cells per row side by side (:func:`side_by_side`), a wider one as
    ``a | b | c`` rows (spec §8.6).  Shared by the DOCX and HTML readers."""
    width = max((len(r) for r in rows), default=0)
    out: list[str] = []
    for cells in rows:
        if not cells:
            continue
        if width <= 2:
            out.extend(side_by_side(cells))
        else:
            out.append(" | ".join(" ".join(" ".join(ln.split()) for ln in c if ln.strip()) for c in cells))
    return out


def side_by_side(cells: list[list[str]]) -> list[str]:
    """Cells printed next to each other, line by line, the way a layout text
    export prints a borderless table row: each column is padded to its widest
    line and followed by a wide gap.  Empty paragraphs inside a cell are kept
    (as in the printed page they keep ``Số`` and the date line apart from the
    issuer lines above them; measured on the dev DOCX files: place 90.5 → 100,
    issuer 85.7 → 95.2 strict against dropping them); a row that is blank in
    every column becomes one blank line."""
    cols = [[" ".join(ln.split()) for ln in c] for c in cells]
    if len(cols) == 1:
        return [ln for ln in cols[0] if ln]
    widths = [max((len(ln) for ln in c), default=0) for c in cols]
    out: list[str] = []
    for i in range(max(len(c) for c in cols)):
        row = [(c[i] if i < len(c) else "") for c in cols]
        parts = []
        for k, t in enumerate(row):
            last = k == len(row) - 1 or not any(row[k + 1:])
            parts.append(t if last else t.ljust(widths[k]) + GAP)
        line = "".join(parts).rstrip()
        if line or (out and out[-1]):
            out.append(line)
    return out


def _margin(part, walker: _Walker) -> list[str]:
    try:
        lines = [ln for ln in walker.block(part._element) if ln.strip()]
    except Exception:
        return []
    if all(_PAGE_NUMBER.match(ln.strip()) for ln in lines):
        return []
    return lines


def read_docx(data: bytes, path: str) -> Source:
    problem = check_package(data)
    if problem:
        return _fail(path, problem)
    try:
        import docx  # python-docx
        doc = docx.Document(io.BytesIO(data))
    except Exception as e:
        return _fail(path, f"{type(e).__name__}: {e}")
    warnings: list[str] = []
    try:
        walker = _Walker(_Numbering(doc))
        body = walker.block(doc.element.body)
        head: list[str] = []
        foot: list[str] = []
        if doc.sections:
            s = doc.sections[0]
            hdr = s.first_page_header if s.different_first_page_header_footer else s.header
            ftr = s.first_page_footer if s.different_first_page_header_footer else s.footer
            head = _margin(hdr, _Walker(None))
            foot = _margin(ftr, _Walker(None))
    except Exception as e:  # malformed XML inside a valid package
        return _fail(path, f"{type(e).__name__}: {e}")
    lines = head + ([""] if head else []) + body + ([""] if foot else []) + foot
    text = "\n".join(ln.rstrip() for ln in lines).strip("\n") + "\n"
    if not text.strip():
        warnings.append("empty document: the DOCX holds no text")
    return Source(text, "docx", path, encoding=None, pages=None, warnings=warnings, method="docx")


__all__: Iterable[str] = ("read_docx", "check_package", "side_by_side")
