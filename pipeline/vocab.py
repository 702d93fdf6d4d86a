"""The vocabularies in ``pipeline/data/*.yaml``, loaded once per process.

Patterns that depend on a vocabulary (type headings, body names, office
titles, signing prefixes) are compiled here from the data files, so adding a
type or a title is a data change, not a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import yaml

from .normalize import fold


def _load(name: str):
    with resources.files("pipeline.data").joinpath(name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@dataclass(frozen=True)
class DocType:
    name: str
    headings: tuple[str, ...]
    codes: tuple[str, ...]
    party_codes: tuple[str, ...]
    vbqppl: bool = False


@dataclass
class Vocab:
    types: list[DocType]
    heading_to_type: dict[str, str]          # folded heading -> type name
    code_to_types: dict[str, list[str]]      # folded code -> type names
    party_code_to_types: dict[str, list[str]]
    type_words: list[str]                    # sentence-case type names, longest first
    heading_re: re.Pattern                   # on folded text, whole line
    prefixes: dict[str, str]                 # folded variant without spaces -> canonical prefix
    sign_notes: list[str]
    name_titles: list[str]
    body_heads_re: re.Pattern                # on folded text, line start
    office_re: re.Pattern                    # on folded text, line start
    purposes: set[str] = field(default_factory=set)
    # the spellings themselves, for restoring diacritics that OCR changed (extract/ocrfix.py)
    headings: list[str] = field(default_factory=list)
    body_heads: list[str] = field(default_factory=list)
    office_titles: list[str] = field(default_factory=list)
    title_phrases: list[str] = field(default_factory=list)

    def type_of_code(self, code: str, party: bool = False) -> list[str]:
        table = self.party_code_to_types if party else self.code_to_types
        return table.get(fold(code), [])


def _alternation(words) -> str:
    return "|".join(sorted({re.escape(fold(w)) for w in words}, key=len, reverse=True))


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    raw = _load("doc_types.yaml")
    types = [DocType(t["name"], tuple(t.get("heading") or ()), tuple(t.get("codes") or ()),
                     tuple(t.get("party_codes") or ()), bool(t.get("vbqppl"))) for t in raw]
    heading_to_type: dict[str, str] = {}
    code_to_types: dict[str, list[str]] = {}
    party: dict[str, list[str]] = {}
    for t in types:
        for h in t.headings:
            heading_to_type.setdefault(fold(h), t.name)
        for c in t.codes:
            code_to_types.setdefault(fold(c), []).append(t.name)
        for c in t.party_codes:
            party.setdefault(fold(c), []).append(t.name)
    # a heading may carry a qualifier: "CHƯƠNG TRÌNH HÀNH ĐỘNG", "KẾ HOẠCH LIÊN NGÀNH"
    heading_re = re.compile(r"^(" + _alternation(heading_to_type) + r")"
                            r"(?:\s+(?:hanh\s+dong|lien\s+tich|lien\s+nganh|phoi\s+hop|ghi\s+nho))?$")
    type_words = sorted({t.name for t in types}, key=len, reverse=True)

    sign = _load("signing.yaml")
    prefixes = {"".join(fold(v).split()): canon for canon, variants in sign["prefixes"].items() for v in variants}
    ag = _load("agencies.yaml")
    body_heads_re = re.compile(r"^(?:" + _alternation(ag["body_heads"]) + r")\b")
    office_re = re.compile(r"^(?:pho\s+)?(?:" + _alternation(ag["office_titles"]) + r")\b")
    purposes = {fold(p) for p in _load("purposes.yaml")["short"]}
    return Vocab(types, heading_to_type, code_to_types, party, type_words, heading_re,
                 prefixes, [fold(s) for s in sign["sign_notes"]], list(sign["name_titles"]),
                 body_heads_re, office_re, purposes,
                 headings=[h for t in types for h in t.headings], body_heads=list(ag["body_heads"]),
                 office_titles=list(ag["office_titles"]), title_phrases=list(_load("title_phrases.yaml")["phrases"]))
