"""The citation graph: references resolved against the archive's documents.

Two kinds of edge are stored:

* ``refs``: a document cited with its number (``Kế hoạch số 596/KH-UBND ngày
  … của Ủy ban nhân dân tỉnh …``).  It resolves to the archive document with
  the same number key (:func:`rows.number_key`).  Numbers repeat across
  issuers (every province has a ``95/QĐ-UBND``), so when several documents
  share the key the cited date, then the cited issuer, choose between them;
  a reference that still matches several stays unresolved and says
  ``ambiguous (n)``.
* ``back_refs``: a short back-reference inside a document.  ``Kế hoạch này``
  in a Kế hoạch means the document itself (``self``); in another type of
  document it means the document it issues or attaches (``attached``, left
  unresolved: it has no number of its own).  ``Quyết định nêu trên``,
  ``Công văn số 1441 nêu trên``, ``Kế hoạch trên`` mean the last document of
  that type (and serial, when given) cited before it (``antecedent``), and so
  resolve to whatever that reference resolves to.

Hand-written: finding the back-references is a small pattern over the
vocabulary of document types, and resolution is a dictionary look-up over
the archive; a graph library would add nothing that SQL does not already do
(``who cites X`` and ``what does X cite`` are two joins on ``refs.target_id``).
Resolution runs over the whole archive after every run that changed it,
since a new document can be the target of references stored long ago.
"""

from __future__ import annotations

import re
import sqlite3
from functools import lru_cache
from typing import Optional

from ..normalize import fold
from .rows import folded, number_key

_BACK_WORDS = r"nay|neu\s+tren|noi\s+tren|ke\s+tren|da\s+neu|vua\s+neu|tren"
_GENERIC = "van ban"  # "Văn bản này / nêu trên": any type


@lru_cache(maxsize=1)
def _back_re() -> re.Pattern:
    from ..vocab import vocab
    words = sorted({fold(w) for w in vocab().type_words} | {_GENERIC}, key=len, reverse=True)
    types = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(r"(?<![a-z0-9])(?P<t>" + types + r")"
                      r"(?:\s+(?:so\s*[:.]?\s*)?(?P<serial>\d+(?:[/-][0-9a-z&./-]*[0-9a-z])?))?"
                      r"\s+(?P<w>" + _BACK_WORDS + r")(?![a-z0-9])")


def _type_name(folded_type: str) -> str:
    from ..vocab import vocab
    for w in vocab().type_words:
        if fold(w) == folded_type:
            return w
    return "Văn bản"


def find_back_refs(rec: dict, refs: list[tuple]) -> list[tuple]:
    """Back-references in the record's text: rows of (ord, text, doc_type,
    serial, span_start, span_end, kind, ref_ord).  ``refs`` are the rows of
    :func:`rows.ref_rows` (their ``ord`` is the reference's index)."""
    text = rec.get("text") or ""
    if not text:
        return []
    ftext = fold(text)
    accented = ftext != text.lower()  # a document written with diacritics
    own_type = fold(rec.get("doc_type") or "")
    out: list[tuple] = []
    for m in _back_re().finditer(ftext):
        t = re.sub(r"\s+", " ", m.group("t"))
        word = text[m.start("w"):m.end("w")]
        if accented and word.isascii():
            continue  # "nay" (now) or "tren" in an accented text: not a back-reference
        # a type word inside a longer name ("Luật sửa đổi … Luật này") is fine;
        # a lower-case "văn bản" is generic and only points back
        serial = m.group("serial")
        w = re.sub(r"\s+", " ", m.group("w"))
        s, e = m.start(), m.end()
        if w == "nay" and not serial:
            kind = "self" if t in (own_type, _GENERIC) or not own_type else "attached"
            ref_ord = None
        else:
            kind, ref_ord = "antecedent", _antecedent(refs, t, serial, s)
        out.append((len(out), text[s:e], _type_name(t), serial, s, e, kind, ref_ord))
    return out


def _antecedent(refs: list[tuple], t: str, serial: Optional[str], before: int) -> Optional[int]:
    """The ord of the last reference of type ``t`` (and serial) cited before
    offset ``before``; references without a span count as before."""
    skey = number_key(serial) if serial else None
    best = None
    for r in refs:
        ordn, doc_type, _num, key, span_start = r[0], r[1], r[2], r[3], r[9]
        if span_start is not None and span_start >= before:
            continue
        if t != _GENERIC and fold(doc_type or "") != t:
            continue
        if skey:
            if not key or not (key == skey or key.startswith(skey + "/") or key.startswith(skey + "-")):
                continue
        best = ordn
    return best


# ---------------------------------------------------------------------------
# Resolution over the whole archive

_WORD = re.compile(r"[a-z0-9]+")


def _tokens(*parts: Optional[str]) -> set[str]:
    return set(_WORD.findall(" ".join(folded(p) for p in parts if p)))


def _choose(cands: list[sqlite3.Row], date: Optional[str], issuer: Optional[str]) -> tuple[Optional[int], str]:
    if len(cands) == 1:
        return cands[0]["id"], "number"
    how = "number"
    if date:
        same = [c for c in cands if c["date"] == date]
        if len(same) == 1:
            return same[0]["id"], "number+date"
        if same:
            cands, how = same, "number+date"
    if issuer:
        want = _tokens(issuer)
        scored = sorted(((len(want & _tokens(c["issuer"], c["issuer_parent"], c["place"])) / max(1, len(want)), c)
                         for c in cands), key=lambda x: -x[0])
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]["id"], how + "+issuer"
    return None, f"ambiguous ({len(cands)})"


def resolve(conn: sqlite3.Connection) -> dict[str, int]:
    """Resolve every reference and back-reference of the archive against its
    present (not deleted) documents; writes only the rows whose target
    changed.  Runs inside the caller's transaction."""
    by_key: dict[str, list[sqlite3.Row]] = {}
    for d in conn.execute("SELECT id, number_key, date, issuer, issuer_parent, place FROM documents "
                          "WHERE deleted = 0 AND number_key IS NOT NULL AND status != 'error'"):
        by_key.setdefault(d["number_key"], []).append(d)
    updates = []
    counts = {"refs": 0, "resolved": 0, "ambiguous": 0}
    ref_target: dict[tuple[int, int], Optional[int]] = {}
    for r in conn.execute("SELECT id, doc_id, ord, number_key, date, issuer, target_id, resolution FROM refs"):
        counts["refs"] += 1
        target, how = None, None
        if r["number_key"]:
            cands = [c for c in by_key.get(r["number_key"], ()) if c["id"] != r["doc_id"]]
            if cands:
                target, how = _choose(cands, r["date"], r["issuer"])
            else:
                how = "not in archive"
        counts["resolved"] += target is not None
        counts["ambiguous"] += bool(how and how.startswith("ambiguous"))
        ref_target[(r["doc_id"], r["ord"])] = target
        if (target, how) != (r["target_id"], r["resolution"]):
            updates.append((target, how, r["id"]))
    conn.executemany("UPDATE refs SET target_id = ?, resolution = ? WHERE id = ?", updates)

    back_updates = []
    for b in conn.execute("SELECT id, doc_id, kind, ref_ord, target_id, resolution FROM back_refs"):
        if b["kind"] == "self":
            target, how = b["doc_id"], "self"
        elif b["kind"] == "antecedent" and b["ref_ord"] is not None:
            target = ref_target.get((b["doc_id"], b["ref_ord"]))
            how = f"reference {b['ref_ord']}" + ("" if target is not None else " (not in archive)")
        else:
            target, how = None, "attached document" if b["kind"] == "attached" else "no antecedent"
        if (target, how) != (b["target_id"], b["resolution"]):
            back_updates.append((target, how, b["id"]))
    conn.executemany("UPDATE back_refs SET target_id = ?, resolution = ? WHERE id = ?", back_updates)
    return counts
