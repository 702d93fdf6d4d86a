"""Document type (spec §2.5, §3 decision rules).

A type heading wins; without one a ``V/v`` line means Công văn; otherwise the
symbol's type code decides (``27/CT-TTg`` → Chỉ thị).  The heading is
cross-checked against the symbol: a known type code of another type gives a
``symbol/type mismatch`` warning (never a silent change of type).
"""

from __future__ import annotations

from typing import Optional

from ..record import NumberParts
from ..vocab import vocab


def decide_type(heading_type: Optional[str], has_vv: bool,
                parts: Optional[NumberParts]) -> tuple[Optional[str], str, float, list[str]]:
    """``(doc_type, method, confidence, warnings)``."""
    v = vocab()
    code_types: list[str] = []
    if parts and parts.type_code:
        code_types = v.type_of_code(parts.type_code, party=parts.regime == "party")
    warnings: list[str] = []
    if heading_type:
        if code_types and heading_type not in code_types and not _compatible(heading_type, code_types):
            warnings.append(f"symbol/type mismatch: {parts.type_code} for {heading_type}")
        return heading_type, "heading", 0.98, warnings
    if has_vv:
        if code_types and parts and parts.regime != "party" and "Công văn" not in code_types:
            # "12/CV-UBND" is common; "12/KH-UBND" with a V/v line is not conforming
            warnings.append(f"symbol/type mismatch: {parts.type_code} for Công văn")
        return "Công văn", "v/v line", 0.95, warnings
    if code_types:
        return code_types[0], "symbol", 0.8, warnings
    if parts and parts.issuer_code and parts.regime == "state" and not parts.year:
        return "Công văn", "symbol", 0.6, warnings
    return None, "none", 0.0, warnings


def _compatible(heading: str, code_types: list[str]) -> bool:
    # joint and Party variants of the same type
    base = heading.split(" liên tịch")[0]
    return any(t.startswith(base) or base.startswith(t) for t in code_types)
