"""The output contract: one :class:`Record` per document.

Field names and value forms follow ``shared/corpus/GOLD_FORMAT.md`` so that a
record and a gold line can be compared key by key.  Values are plain (strings,
ISO dates, lists of small objects) so that ``pandas.json_normalize`` gives a
usable table; where each value came from lives beside it in ``provenance``.

Spans are ``(start, end)`` character offsets into ``Record.text``, the source
text exactly as decoded from the file (before any clean-up), so a span always
points at what the document printed.
"""

from __future__ import annotations

import json
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field

Span = tuple[int, int]

SCHEMA_VERSION = 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Provenance(_Model):
    """Where a value came from: its span in the source text, the page (1-based,
    when the format has pages), the method that produced it and a confidence in
    [0, 1]."""

    span: Optional[Span] = None
    page: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    method: str = "rule"
    confidence: float = 1.0


class NumberParts(_Model):
    """The parts of a số và ký hiệu (spec §2.3, §5).

    ``serial`` is the registration number as printed ("05", "1441"; ``None`` for
    a blank draft number), ``year`` the year segment of a VBQPPL symbol,
    ``type_code`` the document-type code (``None`` for a công văn),
    ``issuer_code`` the issuing body's code (joint documents: the first one),
    ``unit_code`` the remaining groups joined by ``-`` (drafting unit, co-issuers).
    """

    serial: Optional[str] = None
    year: Optional[int] = None
    type_code: Optional[str] = None
    issuer_code: Optional[str] = None
    unit_code: Optional[str] = None
    regime: str = "state"  # "state" (NN/TYPE-ISSUER) or "party" (NN-TYPE/ORG)


class Reference(_Model):
    """A document cited in the text.

    ``text`` is the citation as printed (type, number, date, issuer, subject);
    ``name`` the cited document's name without its subject, used as its key when
    it has no number (``Luật Giáo dục ngày 14 tháng 6 năm 2019``).
    """

    text: str
    doc_type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[str] = None
    issuer: Optional[str] = None
    subject: Optional[str] = None
    name: Optional[str] = None
    span: Optional[Span] = None

    @property
    def key(self) -> str:
        return self.number or self.name or self.text


class LegalBasis(_Model):
    """One ground listed before the body (``Căn cứ``, ``Thực hiện``,
    ``Theo đề nghị``, ``Xét đề nghị``, ``Xét``, ``Theo``).

    ``refs`` are the documents the line cites; a proposal line that names no
    document (``Theo đề nghị của Giám đốc Sở Nội vụ``) has ``proposer`` instead,
    and any other line that names none (``Căn cứ tình hình thực tế tại địa
    phương``) has ``ground``: its text after the opening.
    """

    kind: str
    text: str
    refs: list[Reference] = Field(default_factory=list)
    proposer: Optional[str] = None
    ground: Optional[str] = None
    span: Optional[Span] = None

    def keys(self) -> list[str]:
        """One key per cited document (its number, else its name), or the proposer."""
        if self.refs:
            return [r.key for r in self.refs]
        return [self.proposer or self.ground or self.text]


class Area(_Model):
    label: str
    score: float


class Item(_Model):
    """A node of the enumerated-content tree (``I.``, ``2.1``, ``a)``, ``Một là``…)."""

    label: str
    text: str
    kind: str = ""
    main: bool = False  # one of the main content items (GOLD_FORMAT ``items``)
    children: list["Item"] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    span: Optional[Span] = None


class Archive(_Model):
    """The parts of a ``Lưu: VT, GDTrH, 05b.`` line (spec §2.9)."""

    vt: bool = False
    units: list[str] = Field(default_factory=list)
    copies: Optional[int] = None
    drafter: Optional[str] = None


class Recipient(_Model):
    """One line of the ``Nơi nhận`` (or ``Kính gửi``) list."""

    text: str
    purpose: Optional[str] = None
    kind: str = "nơi nhận"  # "nơi nhận", "lưu", or the addressees' label: "kính gửi", "kính trình", "điện"
    archive: Optional[Archive] = None
    span: Optional[Span] = None


class Signer(_Model):
    """One signature block (spec §2.7): ``authority`` is the last prefix of the
    stack, ``on_behalf_of`` the body after ``TM.``, ``title`` the line after the
    last prefix, ``position`` the signer's own position line."""

    authority: Optional[str] = None
    on_behalf_of: Optional[str] = None
    title: Optional[str] = None
    position: Optional[str] = None
    name: Optional[str] = None
    prefixes: list[str] = Field(default_factory=list)
    span: Optional[Span] = None


class Record(_Model):
    """Everything vanban extracts from one document."""

    schema_version: int = SCHEMA_VERSION
    path: Optional[str] = None
    sha256: Optional[str] = None
    format: Optional[str] = None
    encoding: Optional[str] = None
    pages: Optional[int] = None

    regime: Optional[str] = None  # "state", "party", "youth-union" or None
    doc_type: Optional[str] = None
    number: Optional[str] = None
    number_parts: Optional[NumberParts] = None
    date: Optional[str] = None
    place: Optional[str] = None
    province_2025: Optional[str] = Field(None, description="Derived: the provincial-level unit from "
                                         "2025-07-01 that `place` belongs to ('Hòa Bình' → 'Phú Thọ').")
    """Derived, not printed: the provincial-level unit from 2025-07-01 (spec §10)
    that ``place`` belongs to (else the province the issuer names), so documents
    group across the 2025 merger (``Hòa Bình`` → ``Phú Thọ``).  ``None`` when
    unknown or ambiguous; see ``pipeline/extract/province.py``."""
    issuer: Optional[str] = None
    issuer_parent: Optional[str] = None
    title: Optional[str] = None
    authority_line: Optional[str] = None
    marks: list[str] = Field(default_factory=list)
    is_draft: bool = False

    legal_bases: list[LegalBasis] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    items: list[Item] = Field(default_factory=list)
    addressees: list[Recipient] = Field(default_factory=list)
    recipients: list[Recipient] = Field(default_factory=list)
    signers: list[Signer] = Field(default_factory=list)
    areas: list[Area] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    provenance: dict[str, Provenance] = Field(default_factory=dict)

    text: str = ""

    # -- conveniences -----------------------------------------------------
    def main_items(self) -> list[Item]:
        """The main content list (tasks, cooperation items, resolution points):
        the items flagged ``main`` anywhere in the tree, in document order."""
        out: list[Item] = []

        def walk(items: list[Item]) -> None:
            for it in items:
                if it.main:
                    out.append(it)
                walk(it.children)

        walk(self.items)
        return out

    def warning_codes(self) -> list[str]:
        """The warning codes without their details (``"blank day"``)."""
        return [w.split(":", 1)[0].strip() for w in self.warnings]

    def to_json(self, *, with_text: bool = False, indent: int | None = None) -> str:
        exclude = None if with_text else {"text"}
        return self.model_dump_json(exclude=exclude, indent=indent)

    def to_dict(self, *, with_text: bool = False) -> dict:
        return json.loads(self.to_json(with_text=with_text))


Item.model_rebuild()


def json_schema() -> dict:
    """The JSON Schema of :class:`Record`."""
    return Record.model_json_schema()
