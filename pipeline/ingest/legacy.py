"""Legacy 8-bit Vietnamese encodings: TCVN3 (ABC, ``.VnTime``) and VNI-Windows
(spec §0.6), detected by character statistics and converted to Unicode with the
tables in ``pipeline/data/tcvn3.tsv`` and ``pipeline/data/vni.tsv``.

Such text reaches the pipeline in two shapes:

* as the bytes of a plain-text export (``decode_legacy(data)``), and
* already decoded as Windows-1252/Latin-1, for instance from a PDF text layer
  drawn in a ``.VnTime`` font: ``Céng hoµ x· héi chñ nghÜa ViÖt Nam``
  (``fix_legacy(text)``; characters outside Latin-1 are kept as they are).

Detection compares candidate readings of the same text — as it is (or as
Windows-1258 for bytes), as TCVN3, as VNI — by the share of words with
non-ASCII letters that are well-shaped Vietnamese syllables (Vietnamese letters
only, at most one tone mark, a known onset, vowel nucleus and final: ``aừ`` or
``ieọ`` are not Vietnamese).  A legacy reading is chosen only when the text
holds enough such words and the legacy reading is clearly better; genuine
Unicode or Windows-1258 Vietnamese is left alone.

Hand-written: the Python packages that convert these encodings (``vietnamese``
converters on PyPI) are small unmaintained scripts without detection; the
tables themselves are data files.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Optional

DATA = Path(__file__).resolve().parent.parent / "data"
ENCODINGS = ("tcvn3", "vni")

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_SHAPES = {"\u0302", "\u0306", "\u031b"}
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}\"'/\\|<>=+*&%$#@~`^_–—-]+")
MIN_WORDS = 4          # fewer non-ASCII words than this: too little evidence
SAMPLE = 30_000        # characters looked at to decide
MARGIN = 0.25          # how much better (share of good words) a legacy reading must be
MIN_GOOD = 0.6         # and how good it must be in itself


@lru_cache(maxsize=None)
def table(name: str) -> dict[bytes, str]:
    """``bytes → Unicode`` for ``tcvn3`` or ``vni``, from the data file."""
    out: dict[bytes, str] = {}
    for line in (DATA / f"{name}.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, ch = line.split("\t")[:2]
        out[bytes(int(h, 16) for h in code.split())] = ch
    return out


@lru_cache(maxsize=None)
def _inverse(name: str) -> dict[str, bytes]:
    inv: dict[str, bytes] = {}
    for b, ch in sorted(table(name).items(), key=lambda kv: len(kv[0])):
        inv.setdefault(ch, b)
    return inv


def _chars_of(b: int) -> set[str]:
    """How byte ``b`` shows up after a Windows-1252 or a Latin-1 reading."""
    out = {chr(b)}
    if 0x80 <= b < 0xA0:
        try:
            out.add(bytes((b,)).decode("cp1252"))
        except UnicodeDecodeError:
            pass
    return out


@lru_cache(maxsize=None)
def _text_table(name: str) -> tuple[re.Pattern, dict[str, str]]:
    """The table keyed by the characters the legacy codes read as, and a
    pattern matching any key (two-character sequences first)."""
    mapping: dict[str, str] = {}
    for code, ch in table(name).items():
        forms = [""]
        for b in code:
            forms = [f + c for f in forms for c in _chars_of(b)]
        for f in forms:
            mapping[f] = ch
    keys = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), mapping


def convert(text: str, name: str) -> str:
    """``text`` (legacy codes read as Windows-1252/Latin-1) converted to Unicode
    with table ``name``; other characters are kept."""
    rx, mapping = _text_table(name)
    return rx.sub(lambda m: mapping[m.group(0)], text)


_SEGMENT = re.compile(r"[^\n|]+?(?=\s{3,}|\||\n|$)|[^\n|]+")
_UPPER_WORD = re.compile(r"\w+")
_SO = re.compile(r"\s*Số\b")


def restore_capitals(text: str) -> str:
    """TCVN3 has no codes for most capitals with tone marks (``.VnTimeH`` draws
    the lower-case codes as capitals), so ``QUYẾT ĐỊNH`` arrives as
    ``QUYếT ĐịNH``.  Upper-case every word with two or more capitals and no
    ASCII lower-case letter, and every column segment of a line whose letters
    are all capitals but for such tone-marked letters (``ủY BAN`` → ``ỦY BAN``;
    but ``Số: 12/QĐ-UBND`` stays as it is).
    Title-case words (``Hà Nội``) keep their case: they have ASCII lower-case
    letters or stand in a line that has."""

    def seg(m: re.Match) -> str:
        t = m.group(0)
        if not re.search(r"[a-z]", t) and sum(ch.isupper() for ch in t) >= 2 and not _SO.match(t):
            return t.upper()
        return _UPPER_WORD.sub(word, t)

    def word(m: re.Match) -> str:
        w = m.group(0)
        if not re.search(r"[a-z]", w) and sum(ch.isupper() for ch in w) >= 2:
            return w.upper()
        return w

    return _SEGMENT.sub(seg, text)


def to_unicode(text: str, name: str) -> str:
    """Legacy ``text`` (codes read as Windows-1252/Latin-1) in Unicode: the
    table conversion, then, for TCVN3, :func:`restore_capitals`.  For callers
    that decide the encoding once (``fix_legacy`` on a sample) and convert
    many pieces."""
    out = convert(text, name)
    return restore_capitals(out) if name == "tcvn3" else out


_convert = to_unicode


def decode_bytes(data: bytes, name: str) -> str:
    """Legacy ``data`` converted to Unicode with table ``name``."""
    return _convert(_as_cp1252(data), name)


def encode(text: str, name: str) -> bytes:
    """Unicode ``text`` written in the legacy encoding ``name`` (the inverse
    table; letters the encoding cannot write fall back to their lower-case
    form, then to their base letter): used by tests to make legacy files."""
    inv = _inverse(name)
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ord(ch) < 0x80:
            out.append(ord(ch))
        elif ch in inv:
            out += inv[ch]
        elif ch.lower() in inv:
            out += inv[ch.lower()]
        else:
            base = unicodedata.normalize("NFD", ch)[0]
            out += base.encode("cp1252", errors="replace") if base else b"?"
    return bytes(out)


_CP1252_HOLES = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_CP1252 = {b: bytes((b,)).decode("cp1252") for b in range(0x80, 0xA0) if b not in _CP1252_HOLES}


def _as_cp1252(data: bytes) -> str:
    """Bytes read as Windows-1252, the five bytes it leaves undefined as Latin-1."""
    return data.decode("latin-1").translate(_CP1252)


# ---------------------------------------------------------------------------
# Detection


# characters a legacy font code turns into when read as Windows-1252/Latin-1
_LATIN1 = re.compile("[\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                     "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
# letters only Unicode (or Windows-1258) Vietnamese has
_VIET = re.compile("[\u0102\u0103\u0110\u0111\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9\u0300-\u0323]")


def maybe_legacy(text: str) -> bool:
    """Cheap pre-test: a few Latin-1 letters and fewer Vietnamese-only ones."""
    n = len(_LATIN1.findall(text, 0, SAMPLE))
    return n >= 4 and n > len(_VIET.findall(text, 0, SAMPLE))


# Vietnamese syllable shape (tone marks removed): onset, vowel nucleus, final
_NUCLEI = set("""a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iu iê oa oă oe oi oo ôi ơi ua uâ uê ui
uô uơ uy ưa ưi ưu ươ yê iêu oai oao oay oeo uây uôi uya uyê uyu ươi ươu yêu""".split())
_ONSETS = set("""b c ch d đ g gh h k kh l m n ng ngh nh p ph r s t th tr v x f j w z""".split()) | {""}
_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t", "k"}
_SYLLABLE = re.compile(r"^([^aăâeêioôơuưy]*)([aăâeêioôơuưy]+)([^aăâeêioôơuưy]*)$")


def _good_word(w: str) -> bool:
    """A well-shaped Vietnamese syllable: Vietnamese letters only, at most one
    tone mark, a known onset, vowel nucleus and final (``qu``/``gi`` onsets
    included); letter codes without vowels (``QĐ``) pass when in capitals."""
    tones = 0
    bare = []
    for ch in unicodedata.normalize("NFD", w):
        if ch in _TONES:
            tones += 1
        elif ch in _SHAPES or (ch.isascii() and ch.isalpha()) or ch in "đĐ":
            bare.append(ch)
        else:
            return False
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(bare))
    low = base.lower()
    m = _SYLLABLE.match(low)
    if m is None:
        return base.isupper() and not any(ch in "aăâeêioôơuưy" for ch in low)
    onset, nucleus, final = m.groups()
    if onset in ("q", "g") and nucleus[:1] in ("u", "i") and (len(nucleus) > 1 or final):
        onset, nucleus = onset + nucleus[0], nucleus[1:]    # qu-a, gi-a, gi-ữ
    elif onset == "g" and nucleus == "i":
        onset, nucleus = "gi", "i"                          # gì
    return onset in _ONSETS | {"qu", "gi"} and nucleus in _NUCLEI and final in _FINALS


def score(text: str, limit: int = SAMPLE) -> tuple[float, int]:
    """(share of well-shaped words among the words with non-ASCII letters,
    how many such words); a reading of Vietnamese is good when the share is high."""
    good = total = 0
    for m in _WORD.finditer(text, 0, min(len(text), limit)):
        w = m.group(0)
        if w.isascii():
            continue
        total += 1
        good += _good_word(w)
    return (good / total if total else 1.0), total


def _best(candidates: dict[str, str], base: str) -> Optional[str]:
    s_base, n_base = score(candidates[base])
    best, best_s = None, s_base
    for name in ENCODINGS:
        s, n = score(candidates[name])
        if n >= MIN_WORDS and s >= MIN_GOOD and s >= s_base + MARGIN and s > best_s:
            best, best_s = name, s
    return best


def fix_legacy(text: str) -> tuple[str, Optional[str]]:
    """``(text, None)`` when ``text`` reads as Vietnamese already, else the text
    converted from the legacy encoding it was written in and that encoding's
    name (``"tcvn3"`` or ``"vni"``).  For text extracted from PDF text layers
    and files whose legacy bytes were read as Windows-1252 or Latin-1."""
    if not text or text.isascii() or not maybe_legacy(text):
        return text, None
    sample = text[:SAMPLE]
    cands = {"text": sample}
    for name in ENCODINGS:
        cands[name] = convert(sample, name)
    best = _best(cands, "text")
    if best is None:
        return text, None
    return _convert(text, best), best


def decode_legacy(data: bytes, fallback: str) -> tuple[str, Optional[str]]:
    """Bytes that are not UTF-8: ``(text, encoding)`` where the encoding is
    ``tcvn3``, ``vni`` or None (then ``text`` is ``fallback``, the caller's
    Windows-1258 reading)."""
    raw = _as_cp1252(data)
    if not maybe_legacy(raw):
        return fallback, None
    cands = {"fallback": unicodedata.normalize("NFC", fallback[:SAMPLE])}
    for name in ENCODINGS:
        cands[name] = convert(raw[:SAMPLE], name)
    best = _best(cands, "fallback")
    if best is None:
        return fallback, None
    return _convert(raw, best), best
