"""Stage 1: read a file into text (one reader per format).

``read(path)`` detects the format from the content as well as the extension
and returns a :class:`Source`; formats this version cannot read yet come back
as a Source with no text and a warning, never as an exception.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .text import decode


@dataclass
class Line:
    """Where one line of ``Source.text`` sits on its page: ``start``/``end``
    are offsets into ``text``; ``bbox`` is (x0, top, x1, bottom) in PDF points
    (or pixels for images) on 1-based ``page``."""

    start: int
    end: int
    page: int
    bbox: Optional[tuple[float, float, float, float]] = None


@dataclass
class Source:
    """What a reader hands forward: the text plus what later stages need to
    point back into the file (page starts, line boxes) and how it was read.

    ``method`` names the reading step (``text``, ``pdf-text``, ``pdf-layout``,
    ``docx``, ``html``, ``ocr:tesseract``, ``tcvn3``, ``vni``…) and goes into
    every value's provenance; ``confidence`` (1.0 for a clean text layer, lower
    for OCR) scales every value's confidence."""

    text: str
    format: str
    path: Optional[str] = None
    sha256: Optional[str] = None
    encoding: Optional[str] = None
    pages: Optional[int] = None
    warnings: list[str] = field(default_factory=list)
    page_starts: list[int] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    method: str = "text"
    confidence: float = 1.0


_TEXT_EXT = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".htm": "html", ".html": "html"}


def sniff(data: bytes, suffix: str) -> str:
    """The format from the first bytes, falling back on the extension."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        # the central directory at the end of a zip lists the member names uncompressed
        word = b"word/" in data[:4096] or b"word/document.xml" in data[-65536:]
        return "docx" if suffix in (".docx", ".docm", "") or word else "zip"
    if head[:4] in (b"\x89PNG", b"II*\x00", b"MM\x00*") or head[:3] == b"\xff\xd8\xff":
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    lower = data[:4096].lower()
    html = b"<html" in lower or b"<!doctype html" in lower
    if suffix in (".docx", ".docm"):
        # not a zip: a page or text saved under a Word name still parses;
        # anything else goes to the DOCX reader, which reports it
        from .text import _looks_binary
        return "html" if html else ("docx" if _looks_binary(data) or not data.strip() else "txt")
    fmt = _TEXT_EXT.get(suffix, "txt")
    if fmt == "txt" and html:
        return "html"
    return fmt


# format → "module:function" taking (data: bytes, path: str) and returning a
# Source; modules are imported on first use, so a reader's dependencies load
# only when a file of its format arrives.
READERS: dict[str, str] = {
    "docx": ".docx:read_docx",
    "html": ".html:read_html",
    "pdf": ".pdf:read_pdf",
    "image": ".ocr:read_image",
}


def read(path: str | Path, data: bytes | None = None) -> Source:
    p = Path(path)
    if data is None:
        data = p.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    fmt = sniff(data, p.suffix.lower())
    if fmt in READERS:
        import importlib
        mod, fn = READERS[fmt].split(":")
        src = getattr(importlib.import_module(mod, __package__), fn)(data, str(path))
        src.path, src.sha256 = str(path), sha
        return src
    if fmt in ("txt", "md", "html"):
        text, enc, warns = decode(data)
        if enc == "binary":
            return Source("", "binary", str(path), sha, None, None, warns)
        legacy = enc.rsplit("+", 1)[-1] if enc.endswith(("tcvn3", "vni")) else None
        return Source(text, fmt, str(path), sha, enc, None, warns, method=legacy or "text")
    return Source("", fmt, str(path), sha, None, None,
                  [f"unsupported format: {fmt} (this version reads text, Markdown and HTML)"])
