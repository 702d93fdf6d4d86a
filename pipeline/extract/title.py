"""Trích yếu (spec §2.5): the lines under the type heading joined, or the text
after ``V/v`` for a công văn (wrapped lines joined, ``V/v`` removed)."""

from __future__ import annotations

import re
from typing import Optional

from .. import patterns as P
from ..zones import Layout, Snip


# (?<!\s): a match starts where a run of spaces starts (the leftmost match
# anyway), so a long run is not rescanned from each of its positions
_KINH_GUI_INLINE = re.compile(r"(?<!\s)\s*kinh\s{0,3}gui\b")


def title_from_heading(lay: Layout) -> Optional[Snip]:
    if not lay.title:
        return None
    s = Snip.join(lay.title).collapsed()
    return s if s else None


def vv_title(lay: Layout) -> Optional[Snip]:
    """The V/v block: the first header piece that opens with V/v and the
    wrapped pieces after it (lower-case starts, or until Kính gửi)."""
    pieces = lay.header_rest
    for k, s in enumerate(pieces):
        m = P.VV.match(s.folded)
        if not m:
            continue
        if s.folded.startswith("ve") and lay.heading is not None:
            continue
        block = [s[m.end():]]
        for t in pieces[k + 1:]:
            f = t.folded
            if P.KINH_GUI.match(f) or P.NUMBER_STATE.match(f) or P.DATE_WORDS.search(f):
                break
            if t.text[:1].isupper() and block[-1].text.rstrip().endswith((".", ";")):
                break
            block.append(t)
        out = Snip.join([b for b in block if b]).collapsed()
        cut = _KINH_GUI_INLINE.search(out.folded)
        if cut:
            out = out[:cut.start()].strip(" ,;")
        return out if out else None
    return None
