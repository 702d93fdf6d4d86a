"""From a record (as a dict, the JSON form) to the rows of the archive's tables.

Works on the dict rather than the pydantic model so that records written by
an older or newer parser (fields added, e.g. ``areas``) store the same way:
every field is read with ``.get`` and the full record is kept as JSON anyway.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Iterator, Optional

from ..normalize import fold

DOC_COLUMNS = ("format", "encoding", "pages", "regime", "doc_type", "number", "number_key", "serial", "year",
               "type_code", "issuer_code", "date", "place", "issuer", "issuer_parent", "title", "authority_line",
               "is_draft", "marks", "warnings", "n_warnings", "province_2025")

_SPACES = re.compile(r"\s+")
_LEAD_ZEROS = re.compile(r"^0+(?=\d)")


def number_key(number: Optional[str]) -> Optional[str]:
    """A matching key for a số và ký hiệu: folded, upper-case, no spaces, no
    leading zeros in the serial (``05/KH-UBND`` = ``5/KH-UBND`` = ``5/kh-ubnd``)."""
    if not number:
        return None
    k = _SPACES.sub("", fold(unicodedata.normalize("NFC", number))).upper()
    k = _LEAD_ZEROS.sub("", k)
    return k or None


def folded(s: Optional[str]) -> str:
    """NFC then :func:`pipeline.normalize.fold`: the diacritic-free copy indexed
    beside the original (``đ`` → ``d``, which FTS5's own ``remove_diacritics``
    does not do)."""
    return fold(unicodedata.normalize("NFC", s or ""))


def document_columns(rec: dict) -> dict[str, Any]:
    parts = rec.get("number_parts") or {}
    warnings = rec.get("warnings") or []
    return {
        "format": rec.get("format"), "encoding": rec.get("encoding"), "pages": rec.get("pages"),
        "regime": rec.get("regime"), "doc_type": rec.get("doc_type"), "number": rec.get("number"),
        "number_key": number_key(rec.get("number")), "serial": parts.get("serial"), "year": _year(rec, parts),
        "type_code": parts.get("type_code"), "issuer_code": parts.get("issuer_code"),
        "date": rec.get("date"), "place": rec.get("place"), "issuer": rec.get("issuer"),
        "issuer_parent": rec.get("issuer_parent"), "title": rec.get("title"),
        "authority_line": rec.get("authority_line"), "is_draft": int(bool(rec.get("is_draft"))),
        "marks": json.dumps(rec.get("marks") or [], ensure_ascii=False),
        "warnings": json.dumps(warnings, ensure_ascii=False), "n_warnings": len(warnings),
        "province_2025": rec.get("province_2025"),
    }


def _year(rec: dict, parts: dict) -> Optional[int]:
    d = rec.get("date") or ""
    if len(d) >= 4 and d[:4].isdigit():
        return int(d[:4])
    return parts.get("year")


def _span(x: dict) -> tuple[Optional[int], Optional[int]]:
    s = x.get("span")
    return (s[0], s[1]) if s else (None, None)


def ref_rows(rec: dict) -> list[tuple]:
    """(ord, doc_type, number, number_key, date, issuer, subject, name, text,
    span_start, span_end, basis_kind) per reference, in document order; a
    reference that is also a legal basis carries that basis's kind."""
    basis_kind: dict[tuple, str] = {}
    for b in rec.get("legal_bases") or []:
        for r in b.get("refs") or []:
            basis_kind.setdefault((_span(r), r.get("number"), r.get("text")), b.get("kind"))
            basis_kind.setdefault((None, r.get("number"), r.get("text")), b.get("kind"))
    rows = []
    for i, r in enumerate(rec.get("references") or []):
        s, e = _span(r)
        kind = basis_kind.get(((s, e), r.get("number"), r.get("text"))) or \
            basis_kind.get((None, r.get("number"), r.get("text")))
        rows.append((i, r.get("doc_type"), r.get("number"), number_key(r.get("number")), r.get("date"),
                     r.get("issuer"), r.get("subject"), r.get("name"), r.get("text") or "", s, e, kind))
    return rows


def item_rows(rec: dict) -> list[tuple]:
    """(ord, parent_ord, depth, label, kind, main, text, span_start, span_end)
    per node of the item tree, pre-order; and the item areas go to
    :func:`area_rows`."""
    return [row for row, _ in _walk_items(rec.get("items") or [])]


def _walk_items(items: list[dict]) -> Iterator[tuple[tuple, dict]]:
    counter = [0]

    def walk(nodes, parent, depth):
        for it in nodes:
            o = counter[0]
            counter[0] += 1
            s, e = _span(it)
            yield (o, parent, depth, it.get("label"), it.get("kind"), int(bool(it.get("main"))),
                   it.get("text"), s, e), it
            yield from walk(it.get("children") or [], o, depth + 1)

    yield from walk(items, None, 0)


def recipient_rows(rec: dict) -> list[tuple]:
    """(ord, kind, text, purpose, archive) for Kính gửi then Nơi nhận lines."""
    rows = []
    for r in (rec.get("addressees") or []) + (rec.get("recipients") or []):
        arch = r.get("archive")
        rows.append((len(rows), r.get("kind"), r.get("text"), r.get("purpose"),
                     json.dumps(arch, ensure_ascii=False) if arch else None))
    return rows


def signer_rows(rec: dict) -> list[tuple]:
    return [(i, s.get("authority"), s.get("on_behalf_of"), s.get("title"), s.get("position"), s.get("name"),
             json.dumps(s.get("prefixes") or [], ensure_ascii=False))
            for i, s in enumerate(rec.get("signers") or [])]


def area_rows(rec: dict) -> list[tuple]:
    """(item_ord, label, score): the document's areas (item_ord None), then each item's."""
    rows = [(None, a.get("label"), a.get("score")) for a in rec.get("areas") or [] if a.get("label")]
    for row, it in _walk_items(rec.get("items") or []):
        rows.extend((row[0], a.get("label"), a.get("score")) for a in it.get("areas") or [] if a.get("label"))
    return rows


def fts_row(rec: dict) -> tuple[str, str, str, str, str, str]:
    """title, body, issuer and their folded copies.  The body is the whole
    document text as the parser read it (normalized: NFC, no Markdown or HTML
    artefacts such as ``**`` or ``&amp;``), so a search also finds words of the
    header and footer and its snippets read cleanly."""
    from ..normalize import normalize
    title = unicodedata.normalize("NFC", rec.get("title") or "")
    body = normalize(rec.get("text") or "").text
    issuer = unicodedata.normalize("NFC", " ".join(x for x in (rec.get("issuer"), rec.get("issuer_parent")) if x))
    return title, body, issuer, fold(title), fold(body), fold(issuer)
