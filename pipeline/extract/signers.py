"""Signature blocks (spec §2.7, §5).

The signature cells are cut into blocks (side by side by column position when
a line holds two blocks, otherwise a new block starts when a prefix or a body
name follows a name), then each block is read top-down: the stack of
``TM.``/``KT.``/``TL.``/``TUQ.``/``Q.`` prefixes (Party ``T/M``, ``K/T``,
``T/L`` written the same way), the position lines in capitals, notes such as
``(Đã ký)`` skipped, and the name: the last title-case line.
"""

from __future__ import annotations

import re
from typing import Optional

from .. import patterns as P
from ..normalize import Text, clean_value, fold
from ..record import Signer
from ..vocab import vocab
from ..zones import Snip, is_upper, looks_like_name
from . import ocrfix


# OCR specks before a prefix: "lệ … KT. CHÁNH VĂN PHÒNG" (a stamp's edge read as text)
_SPECKS_BEFORE_PREFIX = re.compile(r"^(?:\S{1,3}\s{1,3}){1,2}(?=(?:tm|kt|tl|tuq|t/m|k/t|t/l)\s{0,2}\.\s{0,3}\S)")


def _auth(c: Snip) -> Optional[tuple[str, Snip]]:
    m = P.AUTH.match(c.folded)
    if not m:
        sp = _SPECKS_BEFORE_PREFIX.match(c.folded)
        if sp and not any(ch.isupper() for ch in c.text[:sp.end()]):
            c = c[sp.end():]
            m = P.AUTH.match(c.folded)
    if not m or not is_upper(c.text[m.start("rest"):]):
        return None
    raw = re.sub(r"\s+", "", c.folded[:m.start("rest")]).rstrip(".")
    canon = vocab().prefixes.get(raw) or vocab().prefixes.get(raw + ".")
    if not canon:
        return None
    return canon, c[m.start("rest"):].strip()


def _is_note(c: Snip) -> bool:
    f = " ".join(c.folded.split())
    return bool(P.SIGN_NOTE.match(f) or P.DIGISIG.match(f) or re.match(r"^[(\[].*[)\]]$", c.text.strip()))


def _blocks(cells: list[Snip]) -> list[list[Snip]]:
    cells = [c for c in cells if c.text.strip(" *_-.")]
    by_line: dict[int, list[Snip]] = {}
    for c in cells:
        by_line.setdefault(c.line, []).append(c)
    multi = [sorted(cs, key=lambda c: c.col) for cs in by_line.values() if len(cs) >= 2]
    if multi:
        cols = sorted({round((cs[0].col + cs[1].col) / 2) for cs in multi})
        boundary = cols[len(cols) // 2]
        left = [c for c in cells if c.col < boundary]
        right = [c for c in cells if c.col >= boundary]
        return [b for b in (left, right) if b]
    blocks: list[list[Snip]] = [[]]
    seen_name = False
    for c in cells:
        if seen_name and (_auth(c) or (is_upper(c.text) and not looks_like_name(c.text.title()) or
                                       is_upper(c.text) and vocab().body_heads_re.match(" ".join(c.folded.split())))):
            blocks.append([])
            seen_name = False
        blocks[-1].append(c)
        if not is_upper(c.text) and looks_like_name(c.text) and not _is_note(c):
            seen_name = True
    return [b for b in blocks if b]


_TITLES = None


def _strip_titles(name: str) -> str:
    global _TITLES
    if _TITLES is None:
        alt = "|".join(re.escape(t) for t in sorted(vocab().name_titles, key=len, reverse=True))
        _TITLES = re.compile(r"^(?:(?:" + alt + r")\s*)+", re.I)
    return _TITLES.sub("", name).strip()


_BARE_PREFIX = re.compile(r"^(?:t\s?/\s?m|k\s?/\s?t|t\s?/\s?l|tm|kt|tl|tuq|q)\s{0,2}\.?$")


def _merge_bare_prefixes(block: list[Snip]) -> list[Snip]:
    """``KT.`` alone on its line, the title on the next."""
    out: list[Snip] = []
    for c in block:
        if out and _BARE_PREFIX.match(out[-1].folded.strip()):
            out[-1] = Snip.join([out[-1], c])
            continue
        out.append(c)
    return out


def _parse_block(block: list[Snip], text: Text) -> Optional[Signer]:
    prefixes: list[tuple[str, str]] = []
    upper: list[str] = []
    name: Optional[str] = None
    office = vocab().office_re
    block = _merge_bare_prefixes(block)
    for c in block:
        a = _auth(c)
        if a:
            if upper and prefixes:  # a wrapped body name: "TM. ỦY BAN NHÂN" / "DÂN"
                canon, rest = prefixes[-1]
                prefixes[-1] = (canon, rest + " " + " ".join(upper))
            prefixes.append((a[0], clean_value(a[1].text)))
            upper = []
            continue
        if _is_note(c):
            continue
        t = clean_value(c.text).strip(" *")
        if is_upper(t):
            f = " ".join(fold(t).split())
            if (looks_like_name(t.title()) and not office.match(f) and not vocab().body_heads_re.match(f)
                    and (upper or prefixes) and c is block[-1]):
                name = t
            else:
                upper.append(t)
            continue
        if name and len(name.split()) == 1 and t[:1].isupper() and len(t.split()) <= 4:
            name = name + " " + t  # a name wrapped after its first word: "Bùi" / "Xuân Cường"
        elif looks_like_name(_strip_titles(t)) or (len(t.split()) >= 2 and t[:1].isupper() and len(t) < 50 and ";" not in t):
            name = _strip_titles(t)
        elif name is None and len(t.split()) == 1 and t[:1].isupper() and t.isalpha():
            name = t
    if not prefixes and not upper and not name:
        return None
    if not prefixes and not (upper and name and (office.match(" ".join(fold(upper[0]).split()))
                                                 or ocrfix.near_office(upper[0]))):
        return None  # unprefixed: an office title (one word garbled by OCR: SHỦ TỊCH) over a name
    # upper-case lines that continue the last prefix's body before the position line
    pos_lines = upper
    if prefixes and upper:
        upper = list(upper)
        # "KT. BỘ TRƯỞNG," / "CHỦ NHIỆM" / "PHÓ CHỦ NHIỆM": the title goes on
        while upper and prefixes[-1][1].rstrip().endswith((",", "-", "–", " VÀ")):
            prefixes[-1] = (prefixes[-1][0], prefixes[-1][1] + " " + upper.pop(0))
        k = next((i for i, u in enumerate(upper) if office.match(" ".join(fold(u).split()))), None)
        if k is None:
            # no office title: a wrapped body after TM. ("BỘ CHÍNH" / "TRỊ"), else the position
            k = len(upper) if prefixes[-1][0] == "TM." and len(" ".join(upper)) < 25 else 0
        if k > 0:
            prefixes[-1] = (prefixes[-1][0], prefixes[-1][1] + " " + " ".join(upper[:k]))
        pos_lines = upper[k:]
    authority = prefixes[-1][0] if prefixes else None
    on_behalf = next((r for p, r in prefixes if p == "TM."), None)
    title = prefixes[-1][1] if prefixes and prefixes[-1][0] != "TM." else None
    position = " ".join(pos_lines) or None
    span = text.source_span(block[0].start, block[-1].end)
    return Signer(authority=authority, on_behalf_of=on_behalf, title=title, position=position,
                  name=name, prefixes=[p for p, _ in prefixes], span=span)


def signers(cells: list[Snip], text: Text) -> list[Signer]:
    out = []
    for b in _blocks(cells):
        s = _parse_block(b, text)
        if s:
            out.append(s)
    return out
