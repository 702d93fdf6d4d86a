"""Decoding text files: UTF-8 (with or without BOM), UTF-16 (BOM or
NUL-pattern), Windows-1258, and the legacy TCVN3 (ABC) and VNI encodings;
binary content is refused with a warning.

Windows-1258 writes tone marks as combining characters; ``normalize``
composes them (NFC).  TCVN3/VNI are recognised by character statistics
(:mod:`pipeline.ingest.legacy`), both as raw bytes and as legacy codes that
were already read as Windows-1252 and saved as UTF-8; the encoding then
reads ``tcvn3``/``vni`` (``utf-8+tcvn3`` for the second case).
"""

from __future__ import annotations

import codecs
import unicodedata

from .legacy import decode_legacy, fix_legacy


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    if not sample:
        return False
    ctrl = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    return ctrl / len(sample) > 0.05


def decode(data: bytes) -> tuple[str, str, list[str]]:
    """``(text, encoding, warnings)``; encoding ``"binary"`` when it is not text."""
    text, enc, warns = _decode(data)
    if enc == "binary":
        return text, enc, warns
    if enc in ("cp1258", "latin-1"):
        fixed, name = decode_legacy(data, text)
        if name:
            return fixed, name, [w for w in warns if "Latin-1" not in w]
        return text, enc, warns
    fixed, name = fix_legacy(text)
    return (fixed, f"{enc}+{name}", warns) if name else (text, enc, warns)


def _decode(data: bytes) -> tuple[str, str, list[str]]:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16", []
    # UTF-16 without BOM: every other byte NUL in Latin text
    sample = data[:2000]
    if len(sample) >= 4:
        even = sample[0::2].count(0) / max(1, len(sample[0::2]))
        odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
        if odd > 0.3 and even < 0.05:
            return data.decode("utf-16-le", errors="replace"), "utf-16-le", []
        if even > 0.3 and odd < 0.05:
            return data.decode("utf-16-be", errors="replace"), "utf-16-be", []
    if _looks_binary(data):
        return "", "binary", ["not a text file: binary content"]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as e:
        bad_at = e.start
    # mostly UTF-8 with a few broken bytes
    utf8 = data.decode("utf-8", errors="replace")
    if utf8.count("\ufffd") <= max(2, len(utf8) // 2000):
        return utf8, "utf-8", [f"invalid UTF-8 bytes replaced (first at byte {bad_at})"]
    # UTF-8 lines with a few lines in a legacy code page (pasted text): each line its own
    lines = data.split(b"\n")
    ok = [ln for ln in lines if max(ln, default=0) >= 0x80 and _is_utf8(ln)]
    bad = [ln for ln in lines if not _is_utf8(ln)]
    if ok and len(ok) >= 2 * len(bad):
        out = [ln.decode("utf-8") if _is_utf8(ln) else _one_byte(ln) for ln in lines]
        return "\n".join(out), "utf-8", [f"mixed encodings: {len(bad)} line(s) not UTF-8, read as Windows-1258"]
    # a legacy 8-bit code page
    try:
        return data.decode("cp1258"), "cp1258", []
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1", ["undecodable bytes: read as Latin-1"]


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _one_byte(b: bytes) -> str:
    try:
        return b.decode("cp1258")
    except UnicodeDecodeError:
        return b.decode("latin-1")


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below


def encode_cp1258(text: str) -> bytes:
    """The bytes a Windows-1258 export writes, the inverse of :func:`decode`
    for that code page: letters with a shape of their own (â ê ô ă ơ ư đ)
    precomposed, tone marks as combining characters after them; a character
    the code page lacks becomes ``?``.  Makes legacy test documents and
    benchmark inputs from Unicode text."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
        out += (base + tones).encode("cp1258", errors="replace")
    return bytes(out)
