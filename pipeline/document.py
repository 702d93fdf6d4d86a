"""From text to record: normalize → zone → extract, with provenance.

This module only wires the stages together; each component lives in
``pipeline/extract/``.  Every value is recorded with its source span, the
method that produced it and a confidence; what could not be found stays
``None`` (with a warning where Decree 30 requires it), never a guess.
"""

from __future__ import annotations

import bisect
from typing import Optional

from . import patterns as P
from .extract import (citations, conformance, dates, doctype, issuer, items, number, ocrfix, province, recipients,
                      signers, title)
from .ingest import Source
from .normalize import Text, clean_value, normalize
from .record import Provenance, Record
from .zones import Snip, split_footer, zone
from .zones import heading_type as zones_heading_type


def _prov(text: Text, s: Optional[Snip], method: str, confidence: float) -> Provenance:
    span = text.source_span(s.start, s.end) if s is not None and s.offs else None
    return Provenance(span=span, method=method, confidence=confidence)


def build_record(src: Source, *, classify: bool = True) -> Record:
    rec = Record(path=src.path, sha256=src.sha256, format=src.format, encoding=src.encoding,
                 pages=src.pages, text=src.text, warnings=list(src.warnings))
    if not src.text.strip():
        if not src.warnings:
            rec.warnings.append("empty document: no text")
        return rec
    text = normalize(src.text)
    lay = zone(text)
    rec.regime = lay.regime
    prov = rec.provenance

    # number
    num_anchor = lay.anchor("number")
    own_number_span = None
    if num_anchor is not None:
        party = num_anchor.match.re is P.NUMBER_PARTY
        nv = number.parse_number(num_anchor.snip.text, num_anchor.match, party)
        if nv:
            rec.number, rec.number_parts = nv.number, nv.parts
            prov["number"] = _prov(text, num_anchor.snip, "header", 0.97 if not nv.blank else 0.9)
            own_number_span = (num_anchor.snip.start, num_anchor.snip.end)
            if party and rec.regime is None:
                rec.regime = "party"

    # place and date
    date_anchor = lay.anchor("date")
    if date_anchor is not None:
        dv = dates.parse_date_line(date_anchor.snip.text, date_anchor.match)
        rec.date, rec.place = dv.iso, dv.place
        rec.warnings.extend(dv.warnings)
        snip = date_anchor.snip
        prov["date"] = _prov(text, snip[slice(*dv.date_span)] if dv.date_span else snip, "header", 0.97)
        if dv.place:
            prov["place"] = _prov(text, snip[slice(*dv.place_span)], "header", 0.95)

    # type and title
    heading_type = None
    if lay.heading is not None:
        heading_type = zones_heading_type(lay.heading)
    vv = title.vv_title(lay)
    rec.doc_type, method, conf, warns = doctype.decide_type(heading_type, vv is not None, rec.number_parts)
    rec.warnings.extend(warns)
    if rec.doc_type:
        prov["doc_type"] = _prov(text, lay.heading, method, conf)
    # without a heading, zoning may still have found a trích yếu in capitals under the date row
    t = title.title_from_heading(lay) if heading_type or lay.heading is None else None
    if t is None and vv is not None:
        t = vv
        prov["title"] = _prov(text, t, "v/v line", 0.9)
    elif t is not None:
        prov["title"] = _prov(text, t, "heading", 0.93)
    rec.title = clean_value(t.text) if t is not None else None
    rec.marks = [clean_value(m.text) for m in lay.marks]
    rec.is_draft = any(m.lower().startswith(("dự thảo", "du thao", "bản dự thảo")) for m in rec.marks)
    if lay.authority:
        rec.authority_line = clean_value(" ".join(a.text for a in lay.authority))

    # references and legal bases (spans converted to source offsets at the end)
    refs = citations.find_references(text.text, exclude=own_number_span)
    bases = citations.legal_bases(lay.preamble, refs, text)
    for r in refs:
        r.span = text.source_span(*r.span)
    rec.references = refs
    rec.legal_bases = bases
    if bases:
        prov["legal_bases"] = Provenance(span=(bases[0].span[0], bases[-1].span[1]), method="preamble", confidence=0.9)

    # items
    rec.items = items.build_tree(lay.body, text)
    for it in items.main_list(rec.items):
        it.main = True

    # footer
    if lay.copy_block and not any(w.startswith("several documents") for w in rec.warnings):
        rec.warnings.append(f"several documents in one file: a copy block ({clean_value(lay.copy_block[0].text)}) "
                            "follows the document; its number, date, signer and recipients are not the document's")
    recip_cells, sign_cells, label = split_footer(lay.footer)
    rec.recipients = recipients.recipients(recip_cells, text)
    rec.addressees = recipients.addressees(lay.addressees, text)
    rec.signers = signers.signers(sign_cells, text)
    if rec.signers:
        prov["signers"] = Provenance(span=(rec.signers[0].span[0], rec.signers[-1].span[1]), method="footer", confidence=0.9)

    # issuer
    iv = issuer.issuer_from_header(lay)
    if iv is None:
        iv = issuer.issuer_from_body(lay, rec.place)
    if iv is not None and iv.issuer is not None:
        rec.issuer = iv.issuer_text or clean_value(iv.issuer.text)
        prov["issuer"] = _prov(text, iv.issuer, iv.method, iv.confidence)
        if iv.parent is not None:
            rec.issuer_parent = clean_value(iv.parent.text)
            prov["issuer_parent"] = _prov(text, iv.parent, iv.method, iv.confidence)

    if "ocr:" in src.method:  # diacritics OCR changed, restored where a vocabulary says the words (spec §8.7)
        ocrfix.repair_record(rec, src.page_starts)
    province.derive(rec)  # province_2025 across the 2025 merger (spec §10)

    ended = bool(P.END_MARK.search(text.text.strip()[-400:] if text.text else ""))
    rec.warnings.extend(conformance.conformance(
        rec, has_header_block=lay.has_header or bool(lay.header_left),
        has_quoc_hieu=lay.anchor("quoc_hieu") is not None, complete=bool(rec.signers) or ended, ended=ended))
    if rec.doc_type is None:
        rec.warnings.append("no type: neither a type heading, a V/v line nor a type code")
    _locate(rec, src)
    if classify:  # stage 5: content areas of the document and of each item
        from .classify import classify as classify_areas
        classify_areas(rec)
    return rec


def _locate(rec: Record, src: Source) -> None:
    """Give every provenance entry its page and box from the reader's layout,
    name the reading step in its method and scale its confidence by the
    reader's (an OCR'd value is less certain than one from a text layer)."""
    lines = sorted(src.lines, key=lambda ln: ln.start)
    starts = [ln.start for ln in lines]
    for p in rec.provenance.values():
        if src.method != "text":
            p.method = f"{src.method}+{p.method}"
        p.confidence = round(p.confidence * src.confidence, 3)
        if p.span is None:
            continue
        if src.page_starts:
            p.page = bisect.bisect_right(src.page_starts, p.span[0]) or 1
        lo = max(0, bisect.bisect_right(starts, p.span[0]) - 1)
        hi = bisect.bisect_left(starts, p.span[1])
        boxes = [ln for ln in lines[lo:hi] if ln.bbox and ln.start < p.span[1] and ln.end > p.span[0]
                 and (p.page is None or ln.page == p.page)]
        if boxes:
            p.page = boxes[0].page
            p.bbox = (min(b.bbox[0] for b in boxes), min(b.bbox[1] for b in boxes),
                      max(b.bbox[2] for b in boxes), max(b.bbox[3] for b in boxes))
