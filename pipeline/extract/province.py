"""Place names across the 2025 province merger (spec §10): ``province_2025``.

``record.place`` stays exactly as printed (a 2024 document dated ``Hòa Bình,
ngày …`` was issued in Hòa Bình province, which then existed).  This module
derives the provincial-level unit that place belongs to from 01/07/2025, so
researchers can group documents across the merger, and rewrites issuer names
the same way (``UBND TỈNH HÒA BÌNH`` → ``UBND TỈNH PHÚ THỌ``).

A place is resolved in three tiers, keyed on the tone- and diacritic-folded
name with spaces and punctuation removed (spec §10.2):

1. the province table ``pipeline/data/provinces.yaml`` (the 34 units, the 29
   provinces merged into them, older names, variants);
2. old district-level names (towns, district capitals: ``Buôn Ma Thuột``,
   ``Đà Lạt``, ``Quận 1``) from the administrative-unit table shipped with
   ``underthesea.address`` (offline, loaded on first need, ~1 s);
3. from 01/07/2025, the new commune-level names from the same table.

A name that belongs to several units (``Châu Thành`` is a district in ten
provinces) gives ``None``, never a guess.  The lookups are hand-written
because underthesea's ``convert_address`` wants a full address and answers
only for province names; its unit table is what we reuse.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional

import yaml

from ..normalize import fold
from ..record import Provenance, Record

EFFECTIVE = "2025-07-01"


@dataclass(frozen=True)
class Province:
    """A provincial-level unit name: ``name`` as it was called, ``type``
    (``tỉnh`` or ``thành phố``), ``until`` the last day the name was in use
    (``None``: still in use), ``unit_2025`` the unit it belongs to from
    01/07/2025 and ``type_2025`` that unit's type."""

    name: str
    type: str
    until: Optional[str]
    unit_2025: str
    type_2025: str


@dataclass(frozen=True)
class Match:
    """What a place name resolved to: one or more candidate provinces (all in
    the same 2025 unit), the tier that found them and a confidence."""

    provinces: tuple[Province, ...]
    tier: str  # "province", "district" or "commune"
    confidence: float

    @property
    def unit_2025(self) -> str:
        return self.provinces[0].unit_2025

    @property
    def province(self) -> Optional[Province]:
        """The old province, when the name points at exactly one."""
        return self.provinces[0] if len(self.provinces) == 1 else None


def key(name: str) -> str:
    """The lookup key: folded (``Hoà``/``Hòa``, ``Đăk``/``Đắk`` equal), letters
    and digits only."""
    return re.sub(r"[^a-z0-9]", "", fold(name))


# Unit words before a name, matched on the lower-cased name (not the folded
# one: "Tịnh Biên" and "Quảng Ninh" must keep their first word).
_PROVINCE_PREFIX = re.compile(r"^\s*(?:thủ đô|tỉnh|thành phố|t\.?\s?p)(?!\w)\.?\s*")
_UNIT_PREFIX = re.compile(r"^\s*(?:thành phố|t\.?\s?p|thị xã|t\.?\s?x|huyện|quận|phường|xã|thị trấn|t\.?\s?t|"
                          r"đặc khu)(?!\w)\.?\s*")


def _strip(name: str, prefix: re.Pattern) -> str:
    name = unicodedata.normalize("NFC", name)
    m = prefix.match(name.lower())
    return name[m.end():] if m and m.end() < len(name) else name


# ---------------------------------------------------------------------------
# The tables

@dataclass
class _Table:
    effective: str
    by_key: dict[str, Province]          # key → province (old, new and variant names)
    units: dict[str, Province]           # 2025 unit name → its own entry


@lru_cache(maxsize=1)
def table() -> _Table:
    with resources.files("pipeline.data").joinpath("provinces.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    effective = str(raw["effective"])
    last_day = (_dt.date.fromisoformat(effective) - _dt.timedelta(days=1)).isoformat()
    by_key: dict[str, Province] = {}
    units: dict[str, Province] = {}

    def add(name: str, p: Province) -> None:
        k = key(name)
        if k in by_key and by_key[k] != p:
            raise ValueError(f"provinces.yaml: {name!r} folds like {by_key[k].name!r}")
        by_key[k] = p

    for u in raw["units"]:
        unit = Province(u["name"], u["type"], None, u["name"], u["type"])
        units[unit.name] = unit
        add(unit.name, unit)
        for old in u.get("merged") or []:
            add(old, Province(old, "tỉnh", last_day, unit.name, unit.type))
        for e in u.get("earlier") or []:
            add(e["name"], Province(e["name"], e["type"], str(e["until"]), unit.name, unit.type))
    for variant, name in (raw.get("variants") or {}).items():
        add(variant, by_key[key(name)])
    return _Table(effective, by_key, units)


@lru_cache(maxsize=1)
def _admin_units() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """From underthesea's unit table: old district key → old province names,
    new commune key → new province names (both keyed without the unit prefix)."""
    try:
        from underthesea.address import converter
        converter._load_data()
        rows = converter._mapping_data["ward_mapping"]
    except Exception:  # pragma: no cover - underthesea is a dependency; degrade to the table
        return {}, {}
    districts: dict[str, set[str]] = defaultdict(set)
    communes: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        districts[key(_strip(r["old_district"], _UNIT_PREFIX))].add(_strip(r["old_province"], _PROVINCE_PREFIX))
        communes[key(_strip(r["new_ward"], _UNIT_PREFIX))].add(_strip(r["new_province"], _PROVINCE_PREFIX))
    return ({k: frozenset(v) for k, v in districts.items() if k},
            {k: frozenset(v) for k, v in communes.items() if k})


def _provinces(names: Iterable[str]) -> tuple[Province, ...]:
    t = table()
    return tuple(sorted({t.by_key[key(n)] for n in names if key(n) in t.by_key}, key=lambda p: p.name))


# ---------------------------------------------------------------------------
# Resolving a place

TIERS = ("province", "district", "commune")


def resolve(place: Optional[str], date: Optional[str] = None, tiers: tuple[str, ...] = TIERS) -> Optional[Match]:
    """The province(s) a place name belongs to, or ``None`` when unknown or
    ambiguous across 2025 units.  ``date`` (ISO) gates the new commune names,
    which exist only from 01/07/2025; ``tiers`` limits the lookup."""
    if not isinstance(place, str) or not place.strip():  # None, or NaN from a DataFrame
        return None
    t = table()
    k = key(_strip(place, _PROVINCE_PREFIX))
    if "province" in tiers and k in t.by_key:
        return Match((t.by_key[k],), "province", 0.95)
    dk = key(_strip(place, _UNIT_PREFIX))
    if not dk or not set(tiers) - {"province"}:
        return None
    districts, communes = _admin_units()
    for tier, index, conf in (("district", districts, 0.8), ("commune", communes, 0.7)):
        if tier not in tiers or (tier == "commune" and date and date < t.effective):
            continue
        provs = _provinces(index.get(dk, ()))
        if provs and len({p.unit_2025 for p in provs}) == 1:
            return Match(provs, tier, conf)
        if provs:
            return None  # several 2025 units: ambiguous
    return None


def province_2025(place: Optional[str], date: Optional[str] = None) -> Optional[str]:
    """The provincial-level unit (from 01/07/2025) a place belongs to:
    ``Hòa Bình`` → ``Phú Thọ``, ``Đăk Nông`` → ``Lâm Đồng``, ``Hà Nội`` → ``Hà Nội``,
    ``Buôn Ma Thuột`` → ``Đắk Lắk``; ``None`` when unknown or ambiguous."""
    m = resolve(place, date)
    return m.unit_2025 if m else None


def province_on(place: Optional[str], date: str) -> Optional[str]:
    """The provincial-level unit a place belonged to on ``date`` (ISO):
    ``province_on("Vĩnh Yên", "2024-05-01")`` → ``Vĩnh Phúc``,
    ``province_on("Vĩnh Yên", "2025-08-01")`` → ``Phú Thọ``."""
    m = resolve(place, date)
    if m is None:
        return None
    if m.province is not None:  # the old name until its last day, then the unit it became
        return m.province.name if m.province.until is None or date <= m.province.until else m.unit_2025
    # several old provinces of one 2025 unit: known only from 01/07/2025
    return m.unit_2025 if date >= table().effective else None


# ---------------------------------------------------------------------------
# Issuer names

# "UBND TỈNH HÒA BÌNH", "Thành ủy Hải Phòng", "TP. Hồ Chí Minh" (on the
# lower-cased issuer); a city may be district-level ("UBND THÀNH PHỐ ĐÀ LẠT").
_ISSUER_UNIT = re.compile(r"(?<!\w)(tỉnh (?:ủy|uỷ)|thành (?:ủy|uỷ)|tỉnh|thành phố|t\.?p)(?!\w)\.?[ \t]*")
_WORD = re.compile(r"[^\s,;()/]+")


def _issuer_mentions(issuer: str):
    """(keyword span, name span, Match) for each unit named in an issuer."""
    low = unicodedata.normalize("NFC", issuer).lower()
    if len(low) != len(issuer):
        return
    for m in _ISSUER_UNIT.finditer(low):
        words = []
        for w in _WORD.finditer(issuer, m.end()):
            gap = issuer[(words[-1].end() if words else m.end()):w.start()]
            if gap.strip(" \t") or len(words) == 5:
                break
            words.append(w)
        tiers = ("province",) if m.group(1) == "tỉnh" else ("province", "district")
        for n in range(len(words), 0, -1):  # longest name first
            hit = resolve(issuer[words[0].start():words[n - 1].end()], tiers=tiers)
            if hit is not None:
                yield (m.start(1), m.end(1)), (words[0].start(), words[n - 1].end()), hit
                break


def issuer_province(issuer: Optional[str]) -> Optional[str]:
    """The 2025 unit of the province (or city) an issuer name contains:
    ``UBND TỈNH HÒA BÌNH`` → ``Phú Thọ``; ``None`` when it names none."""
    for _, _, hit in _issuer_mentions(issuer if isinstance(issuer, str) else ""):
        return hit.unit_2025
    return None


def _case_like(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def issuer_2025(issuer: Optional[str]) -> Optional[str]:
    """The issuer name with a merged province replaced by its 2025 unit, in the
    same case: ``UBND TỈNH HÒA BÌNH`` → ``UBND TỈNH PHÚ THỌ``, ``Tỉnh ủy Hải Dương``
    → ``Thành ủy Hải Phòng``.  Names of units that still exist are unchanged;
    district-level bodies (dissolved on 01/07/2025) and the 2025 agency
    renames (spec §10.4) are not rewritten."""
    if not isinstance(issuer, str) or not issuer:  # None, or NaN from a DataFrame: as given
        return issuer
    out, last = [], 0
    for (ks, ke), (ns, ne), hit in _issuer_mentions(issuer):
        p = hit.province
        if hit.tier != "province" or p is None or p.name == p.unit_2025:
            continue
        kw, name = issuer[ks:ke], issuer[ns:ne]
        if p.type != p.type_2025 and kw.lower().startswith("tỉnh"):
            kw = _case_like(kw, "thành ủy" if kw.lower() != "tỉnh" else "thành phố")
        out += [issuer[last:ks], kw, issuer[ke:ns], p.unit_2025.upper() if name.isupper() else p.unit_2025]
        last = ne
    return "".join(out) + issuer[last:]


# ---------------------------------------------------------------------------
# The record field

def derive(rec: Record) -> None:
    """Fill ``rec.province_2025`` from the place (else the issuer chain), with a
    ``derived`` provenance pointing at the text it came from."""
    prov = rec.provenance
    issuer_hit = None
    for field in ("issuer_parent", "issuer"):
        for _, _, hit in _issuer_mentions(getattr(rec, field) or ""):
            issuer_hit = (field, hit)
            break
        if issuer_hit:
            break
    hit = resolve(rec.place, rec.date)
    source = "place"
    if hit is not None and issuer_hit is not None and hit.unit_2025 != issuer_hit[1].unit_2025 \
            and issuer_hit[1].province is not None:
        # spec §10.2: "Hòa Bình" may be a district of another province; trust
        # the province the issuer names when the place is one of its districts
        districts, _ = _admin_units()
        names = districts.get(key(_strip(rec.place or "", _UNIT_PREFIX)), frozenset())
        if key(issuer_hit[1].province.name) in {key(n) for n in names}:
            hit = None
    if hit is None and issuer_hit is not None:
        source, hit = issuer_hit[0], issuer_hit[1]
        hit = Match(hit.provinces, hit.tier, min(hit.confidence, 0.85))
    if hit is None:
        return
    rec.province_2025 = hit.unit_2025
    span = prov[source].span if source in prov else None
    prov["province_2025"] = Provenance(span=span, method="derived", confidence=hit.confidence)
