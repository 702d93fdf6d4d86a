"""The enumerated content as a tree (spec §2.6 layout table, §7).

Markers: ``Phần``, ``Chương``, ``Mục``, ``Điều N.``, ``I.``, ``A.``, ``2.1.``,
``1.``, ``(1)``, ``a)``, ``Một là``, ``Thứ nhất``, ``-``, ``+``.  Nesting
follows the order in which marker kinds first appear (a kind seen before
closes the levels opened after it), which is how drafters use them:
``I.`` › ``1.`` › ``1.1.`` › ``a)`` › ``-`` › ``+``, or ``Điều`` › ``1.`` ›
``a)``.  Unmarked paragraphs belong to the item above them.

``mark_main`` flags the main content list (GOLD_FORMAT ``items``): the
children of a section titled ``Nội dung …``/``Nhiệm vụ …`` when there is one,
otherwise the top-level numbered or ordinal list; never ``Điều`` articles.
"""

from __future__ import annotations

import re

from .. import patterns as P
from ..normalize import Text, clean_value, fold
from ..record import Item
from ..zones import Snip

# the lookbehind lets a match start only where a run starts: the same match,
# in linear time (without it, every position of a long run is tried to the end)
_LABEL_STRIP = re.compile(r"(?<![\s.:,)\-–])[\s.:,)\-–]+$")


def _label(kind: str, marker: str) -> str:
    m = clean_value(marker)
    if kind in ("la", "thu"):
        return _LABEL_STRIP.sub("", m)
    if kind == "diem":
        return m.replace(" ", "").rstrip(".")
    if kind in ("dash", "plus"):
        return m.strip()
    if kind == "paren":
        return m.strip()
    return _LABEL_STRIP.sub("", m)


def _key(kind: str, marker: str) -> str:
    if kind == "decimal":
        return f"decimal{marker.strip().rstrip('.)').count('.') + 1}"
    return kind


def build_tree(paras: list[Snip], text: Text) -> list[Item]:
    roots: list[Item] = []
    stack: list[tuple[str, Item]] = []
    for p in paras:
        f = p.folded
        hit = P.enum_kind(f, p.text)
        if not hit:
            if stack:  # an unmarked paragraph continues the item above: its text and its span
                node = stack[-1][1]
                node.text = node.text + "\n" + clean_value(p.text)
                end = text.source_span(p.start, p.end)[1]
                if node.span and end > node.span[1]:
                    node.span = (node.span[0], end)
            continue
        kind, n = hit
        marker = p.text[:n]
        key = _key(kind, marker)
        node = Item(label=_label(kind, marker), text=clean_value(p.text[n:]), kind=kind,
                    span=text.source_span(p.start, p.end))
        keys = [k for k, _ in stack]
        if key in keys:
            del stack[keys.index(key):]
        if stack:
            stack[-1][1].children.append(node)
        else:
            roots.append(node)
        stack.append((key, node))
    return roots


# section heads whose numbered points are the main list: the tasks and contents
# of a plan or resolution; the proposals of a báo cáo or tờ trình, the
# conclusions of a biên bản or thông báo kết luận (when no task section exists)
_MAIN_HEADS = re.compile(r"^(?:cac\s+|mot\s+so\s+)?(?:noi\s+dung|nhiem\s+vu|nhiem\s+vu\s+(?:va|,)\s+giai\s+phap|nhiem\s+vu\s+chu\s+yeu|"
                         r"nhung\s+nhiem\s+vu|cac\s+nhiem\s+vu)\b")
_PROPOSAL_HEADS = re.compile(r"^(?:cac\s+|mot\s+so\s+)?(?:de\s+xuat|kien\s+nghi|phuong\s+an|ket\s+luan)\b")
_NUMBERED = {"roman", "alpha_up", "decimal", "khoan", "la", "thu", "paren"}


def _walk(items: list[Item]):
    for it in items:
        yield it
        yield from _walk(it.children)


def main_list(items: list[Item]) -> list[Item]:
    for heads in (_MAIN_HEADS, _PROPOSAL_HEADS):
        for it in _walk(items):
            head = fold(" ".join(it.text.split()[:8]))  # headings wrap: "NHIỆM / VỤ, GIẢI PHÁP"
            kids = [c for c in it.children if c.kind in _NUMBERED]
            if len(kids) >= 2 and heads.match(head):
                return kids
    top = [it for it in items if it.kind in _NUMBERED]
    if len(top) >= 2:
        return top
    # a single section holding the list ("QUYẾT NGHỊ" points under one heading)
    if len(items) == 1 and items[0].kind not in ("dieu", "chuong", "phan"):
        kids = [c for c in items[0].children if c.kind in _NUMBERED]
        if len(kids) >= 2:
            return kids
    return []
