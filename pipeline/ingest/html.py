"""HTML reader: pages saved from legal portals (vbpl.vn, thuvienphapluat.vn,
luatvietnam.vn…) and documents exported as HTML by a word processor.

lxml's HTML parser builds the tree (no network, no DTD, no entity
definitions: HTML has none to expand, so entity-expansion attacks do not
apply; pages over :data:`MAX_BYTES` are refused with a warning).  Then:

1. **main content**: scripts, styles, navigation, forms and other page chrome
   are removed; the document is the content block of a known portal layout
   (:data:`CONTENT_SELECTORS`) or else the smallest block that holds both the
   Decree 30 header (quốc hiệu / ``ĐẢNG CỘNG SẢN VIỆT NAM``) and the end of the
   document (``Nơi nhận``, the signature), else the whole body;
2. **text**: block elements and ``<br>`` end lines, inline elements run on,
   whitespace inside a line collapses (portal pages carry ``\\r\\n\\n`` inside
   sentences, spec §8.7), runs of three or more ``&nbsp;`` stay a column gap;
3. **tables** are flattened as the spec describes (§0.7, §8.3, §8.6): a
   layout table (at most two non-empty cells per row: the borderless header
   and signature blocks) prints its cells side by side, line by line, like
   ``pdftotext -layout`` (the DOCX reader's :func:`~pipeline.ingest.docx.side_by_side`);
   a data table prints one ``a | b | c`` line per row.

The text is finally checked for legacy TCVN3/VNI codes (old pages set in
``.VnTime`` fonts), see :mod:`pipeline.ingest.legacy`.

Hand-written walk rather than a main-content extractor (trafilatura,
jusText): those drop or reorder the borderless header and signature tables
that carry half the fields of a Decree 30 document.
"""

from __future__ import annotations

import codecs
import re
from typing import Optional

from . import Source
from .docx import table_rows
from ..normalize import fold
from .legacy import fix_legacy
from .text import decode

MAX_BYTES = 50 * 1024 * 1024

# content blocks of portal layouts, most specific first (lxml CSS-like: tag, id, class)
CONTENT_SELECTORS = (
    ("div", "id", "toanvancontent"),     # vbpl.vn
    ("div", "class", "toanvancontent"),
    ("div", "class", "fulltext"),         # vbpl.vn (older)
    ("div", "id", "divContentDoc"),      # thuvienphapluat.vn
    ("div", "class", "content1"),         # thuvienphapluat.vn
    ("div", "class", "the-document-body"),  # luatvietnam.vn
    ("div", "class", "noidungtracuu"),
    ("div", "id", "content-document"),
    ("article", None, None),
    ("main", None, None),
)

_DROP = {"script", "style", "noscript", "nav", "form", "button", "select", "option", "iframe",
         "svg", "canvas", "template", "head", "title", "meta", "link", "input", "textarea", "object", "embed"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "header",
          "footer", "main", "aside", "blockquote", "pre", "address", "center", "dd", "dt", "dl", "figure",
          "figcaption", "hr", "body", "html", "caption", "fieldset", "legend"}
_WS = re.compile(r"[ \t\r\n\f\v]+")
_GAP = re.compile(r"\u00a0{3,}|\u00a0?(?: \u00a0){2,}")
_TOP = re.compile(r"cong\s+hoa\s+xa\s+hoi|dang\s+cong\s+san\s+viet\s+nam")   # on folded text
_END = re.compile(r"noi\s+nhan|/\.\s*$|\(da\s+ky\)")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def _tag(el) -> str:
    t = el.tag
    return t.lower() if isinstance(t, str) else ""


def _decode(data: bytes) -> tuple[str, Optional[str], list[str]]:
    """UTF-8 when the bytes are UTF-8; else the charset the page declares
    (``windows-1258`` on old portals) when Python knows it; else the text
    decoder's guess (Windows-1258, TCVN3, VNI)."""
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        cs = m.group(1).decode("ascii", "ignore").lower()
        try:
            codecs.lookup(cs)
        except LookupError:
            cs = None
        if cs and cs not in ("utf-8", "utf8", "iso-8859-1", "latin-1", "windows-1252", "cp1252", "us-ascii"):
            return data.decode(cs, errors="replace"), cs, []
    return decode(data)


class _Lines:
    """Accumulates text into lines: block boundaries end a line; an empty
    paragraph or a second ``<br>`` in a row leaves a blank line (the DOCX
    reader keeps empty paragraphs the same way)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cur = ""
        self.chars = 0

    def text(self, t: Optional[str]) -> None:
        if not t:
            return
        t = _GAP.sub("\u2003\u2003\u2003\u2003", t)          # keep column gaps through the collapse
        t = _WS.sub(" ", t).replace("\u00a0", " ").replace("\u2003", " ")
        self.cur += t
        self.chars += len(t.strip())

    def newline(self) -> None:
        if self.cur.strip():
            self.lines.append(self.cur.strip())
        self.cur = ""

    def blank(self) -> None:
        self.newline()
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def br(self) -> None:
        if self.cur.strip():
            self.newline()
        else:
            self.lines.append("")

    def extend(self, lines: list[str]) -> None:
        self.newline()
        self.lines.extend(lines)

    def result(self) -> list[str]:
        self.newline()
        out: list[str] = []
        for ln in self.lines:
            ln = ln.strip()
            if ln or (out and out[-1]):
                out.append(ln)
        while out and not out[-1]:
            out.pop()
        return out


def _walk(el, acc: _Lines) -> None:
    for ch in el:
        tag = _tag(ch)
        if not tag or tag in _DROP:
            acc.text(ch.tail)
            continue
        if tag == "br":
            acc.br()
        elif tag == "table":
            acc.extend(table_lines(ch))
        elif tag in _BLOCK or tag == "tr":
            acc.newline()
            before = acc.chars
            acc.text(ch.text)
            _walk(ch, acc)
            if acc.chars == before and tag in ("p", "div"):
                acc.blank()
            acc.newline()
        else:
            acc.text(ch.text)
            _walk(ch, acc)
        acc.text(ch.tail)


def block_lines(el) -> list[str]:
    """The lines of one element's content."""
    acc = _Lines()
    acc.text(el.text)
    _walk(el, acc)
    return acc.result()


def _rows(table) -> list:
    rows = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def table_lines(table) -> list[str]:
    rows = []
    for tr in _rows(table):
        cells = [block_lines(td) for td in tr if _tag(td) in ("td", "th")]
        rows.append([c for c in cells if any(ln.strip() for ln in c)])
    return table_rows(rows)


def _main_content(root):
    for tag, attr, value in CONTENT_SELECTORS:
        for el in root.iter(tag):
            if attr is None or value in (el.get(attr) or "").split():
                if len(el.text_content().strip()) > 200:
                    return el, f"{tag}{'#' if attr == 'id' else '.'}{value}" if attr else tag
    body = root.find(".//body")
    body = body if body is not None else root
    # the smallest block holding both the header and the end of the document
    top = end = None
    for el in body.iter():
        if not _tag(el) or el.text is None:
            continue
        f = fold(el.text)
        if top is None and _TOP.search(f):
            top = el
        elif top is not None and _END.search(f):
            end = el     # the first end mark after the header: page footers come later
            break
    if top is not None and end is not None:
        anc = [top, *top.iterancestors()]     # kept referenced: lxml proxies compare by identity
        node = end
        while node is not None and not any(node is a for a in anc):
            node = node.getparent()
        if node is not None:
            while _tag(node) in ("tr", "td", "th", "tbody", "thead", "p", "span", "b", "strong", "i", "em", "font"):
                node = node.getparent()
            return node, "anchors"
    return body, "body"


def read_html(data: bytes, path: str) -> Source:
    if len(data) > MAX_BYTES:
        return Source("", "html", path, warnings=[f"unreadable HTML: {len(data)} bytes, over the {MAX_BYTES} limit"],
                      method="html")
    text, enc, warns = _decode(data)
    if enc == "binary":
        return Source("", "html", path, warnings=warns, method="html")
    try:
        import lxml.html
        parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True,
                                      huge_tree=False, recover=True)
        root = lxml.html.document_fromstring(text.replace("\x00", ""), parser=parser)
    except Exception as e:  # empty document, parser failure
        return Source("", "html", path, encoding=enc,
                      warnings=warns + [f"unreadable HTML: {type(e).__name__}: {e}"], method="html")
    for bad in [el for el in root.iter() if _tag(el) in _DROP]:
        bad.drop_tree()
    node, how = _main_content(root)
    lines = block_lines(node)
    body = "\n".join(lines).strip("\n")
    legacy = enc.rsplit("+", 1)[-1] if enc and enc.endswith(("tcvn3", "vni")) else None
    if legacy is None:
        body, legacy = fix_legacy(body)
        if legacy:
            enc = f"{enc}+{legacy}"
    method = legacy or "html"
    if not body.strip():
        warns.append("empty document: the HTML page holds no text")
    return Source(body + "\n" if body else "", "html", path, encoding=enc, warnings=warns, method=method)
