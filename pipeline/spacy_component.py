"""spaCy integration: the ``vanban`` pipeline component.

    import spacy
    import pipeline.spacy_component            # or rely on the entry point
    nlp = pipeline.spacy_component.blank()     # Vietnamese, no pyvi needed
    nlp.add_pipe("vanban")
    doc = nlp(text)
    doc._.vanban                               # the Record
    [(s.label_, s.text) for s in doc.spans["vanban"]]

The component parses ``doc.text`` with :func:`pipeline.parse_text` and turns
the record's provenance into labelled spans in ``doc.spans["vanban"]``
(``NUMBER``, ``PLACE``, ``DATE``, ``DOC_TYPE``, ``TITLE``, ``ISSUER``,
``ISSUER_PARENT``, ``LEGAL_BASIS``, ``REFERENCE``, ``ITEM``, ``ADDRESSEE``,
``RECIPIENT``, ``SIGNER``); each span's ``id_`` is the record field it
comes from (``references.2``, ``items.1.0``).  Record spans are character
offsets into ``record.text``; for ``parse_text(doc.text)`` that is ``doc.text``
itself, so they become token spans with ``doc.char_span(..., alignment_mode=
"expand")``.  :func:`doc_from_record` does the same for a record parsed from
a file (PDF, DOCX…) without parsing again.

The factory is registered when this module is imported and through the
``spacy_factories`` entry point in ``pyproject.toml``, so ``nlp.add_pipe(
"vanban")`` works in any pipeline once vanban is installed.

Tokenizer: ``spacy.blank("vi")`` needs pyvi (spaCy's default Vietnamese
tokenizer segments words with it) and fails with an ImportError without it.
The component works with any tokenizer, pyvi's included; :func:`blank` gives
the Vietnamese language with spaCy's rule-based tokenizer instead (one token
per syllable, punctuation split off), which needs nothing beyond spaCy.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Optional

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .record import Item, Record

SPANS_KEY = "vanban"

# label → what it marks; this order is the order of the HTML view's legend
LABELS = {
    "NUMBER": "số và ký hiệu",
    "PLACE": "địa danh (place)",
    "DATE": "ngày tháng (date)",
    "ISSUER_PARENT": "cơ quan chủ quản (issuer's parent body)",
    "ISSUER": "cơ quan ban hành (issuer)",
    "DOC_TYPE": "tên loại (document type)",
    "TITLE": "trích yếu (title)",
    "ADDRESSEE": "kính gửi (addressee)",
    "LEGAL_BASIS": "căn cứ (legal basis)",
    "REFERENCE": "văn bản được dẫn (cited document)",
    "ITEM": "mục, điều, khoản (enumerated item)",
    "RECIPIENT": "nơi nhận (recipient)",
    "SIGNER": "chức vụ, họ tên người ký (signer)",
}

if not Doc.has_extension("vanban"):
    Doc.set_extension("vanban", default=None)


def _items(items: list[Item], path: str) -> Iterator[tuple[int, int, str, str]]:
    for i, it in enumerate(items):
        if it.span:
            yield (*it.span, "ITEM", f"{path}.{i}")
        yield from _items(it.children, f"{path}.{i}.children")


def record_spans(rec: Record) -> list[tuple[int, int, str, str]]:
    """Every located value of a record as ``(start, end, label, field)``, with
    offsets into ``rec.text``, sorted by position."""
    out: list[tuple[int, int, str, str]] = []
    prov = rec.provenance
    single = {"number": "NUMBER", "place": "PLACE", "date": "DATE", "issuer_parent": "ISSUER_PARENT",
              "issuer": "ISSUER", "doc_type": "DOC_TYPE", "title": "TITLE"}
    for field, label in single.items():
        p = prov.get(field)
        if p is not None and p.span:
            out.append((*p.span, label, field))
    for field, label, values in (("legal_bases", "LEGAL_BASIS", rec.legal_bases),
                                 ("references", "REFERENCE", rec.references),
                                 ("addressees", "ADDRESSEE", rec.addressees),
                                 ("recipients", "RECIPIENT", rec.recipients),
                                 ("signers", "SIGNER", rec.signers)):
        out.extend((*v.span, label, f"{field}.{i}") for i, v in enumerate(values) if v.span)
    out.extend(_items(rec.items, "items"))
    n = len(rec.text)
    return sorted({(max(0, s), min(e, n), lab, f) for s, e, lab, f in out if s < e and s < n},
                  key=lambda x: (x[0], -x[1], x[2]))


def set_annotations(doc: Doc, rec: Record, spans_key: str = SPANS_KEY) -> Doc:
    """Put a record on a doc: ``doc._.vanban`` and the labelled spans.  The
    doc's text must be the record's text (a span that does not fit is left
    out rather than misplaced)."""
    doc._.vanban = rec
    spans = []
    if doc.text == rec.text:
        for s, e, label, field in record_spans(rec):
            span = doc.char_span(s, e, label=label, alignment_mode="expand")
            if span is not None and len(span):
                span.id_ = field
                spans.append(span)
    doc.spans[spans_key] = spans
    return doc


class VanbanComponent:
    """Parses the doc's text and annotates the doc (see the module docstring)."""

    def __init__(self, nlp: Language, name: str = "vanban", spans_key: str = SPANS_KEY):
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        from . import parse_text
        return set_annotations(doc, parse_text(doc.text), self.spans_key)

    def pipe(self, stream: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        for doc in stream:
            yield self(doc)


@Language.factory("vanban", default_config={"spans_key": SPANS_KEY})
def make_vanban(nlp: Language, name: str, spans_key: str) -> VanbanComponent:
    """The ``vanban`` factory: ``nlp.add_pipe("vanban")``."""
    return VanbanComponent(nlp, name, spans_key)


def blank(lang: str = "vi", *, component: bool = False) -> Language:
    """A blank pipeline that needs no pyvi: for ``vi``, spaCy's rule-based
    tokenizer replaces the pyvi word segmenter.  ``component=True`` adds the
    ``vanban`` component."""
    config = {"nlp": {"tokenizer": {"@tokenizers": "spacy.Tokenizer.v1"}}} if lang == "vi" else {}
    nlp = spacy.blank(lang, config=config)
    if component:
        nlp.add_pipe("vanban")
    return nlp


def doc_from_record(rec: Record, nlp: Optional[Language] = None, spans_key: str = SPANS_KEY) -> Doc:
    """A doc of ``rec.text`` annotated from an existing record (no new parse):
    for records read from PDF, DOCX or scans."""
    nlp = nlp or _blank_vi()
    return set_annotations(nlp.make_doc(rec.text), rec, spans_key)


_NLP: Optional[Language] = None


def _blank_vi() -> Language:
    global _NLP
    if _NLP is None:
        _NLP = blank()
    return _NLP
