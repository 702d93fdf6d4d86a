"""Decree 30 conformance warnings (spec §2, §8.2).

Codes (the text before ``:``): ``blank number``, ``no number``, ``blank day``,
``no header`` (neither quốc hiệu nor issuer block), ``missing quốc hiệu``,
``date without leading zero``, ``date written in figures``, ``symbol/type
mismatch``, ``no recipients``, ``no date`` (a header without a readable
place-date line), ``no signer`` (a document that ends, ``./.`` or a Nơi nhận
list, without a signature block that could be read).
"""

from __future__ import annotations

from ..record import Record


def conformance(rec: Record, *, has_header_block: bool, has_quoc_hieu: bool, complete: bool,
                ended: bool = False) -> list[str]:
    """``complete``: signed or ended; ``ended``: the text carries the end mark ``./.``."""
    w: list[str] = []
    if rec.number is None:
        if rec.doc_type not in ("Luật", "Bộ luật", "Hiến pháp", "Thư công"):
            w.append("no number")
    elif rec.number_parts and rec.number_parts.serial is None:
        w.append("blank number")
    if not has_header_block:
        w.append("no header")
    elif not has_quoc_hieu and rec.regime not in ("party", "youth-union"):
        w.append("missing quốc hiệu")
    if rec.date is None and has_header_block:
        w.append("no date: no place-date line could be read")
    if not rec.signers and (ended or rec.recipients):
        w.append("no signer: the document ends without a signature block that could be read")
    if complete and not rec.recipients and rec.doc_type != "Công văn":
        w.append("no recipients: no Nơi nhận list")
    elif complete and not rec.recipients and not rec.addressees:
        w.append("no recipients: no Nơi nhận or Kính gửi")
    return w
