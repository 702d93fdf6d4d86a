"""Place and date (spec §2.4) and dates inside citations (spec §8.5).

Dates become ISO 8601: ``2017-07-14``; ``2024-10`` when the day is blank;
``2024`` when only the year is printed.  Ranges are validated (day 1-31,
month 1-12, year 1945 to next year) and an impossible date is dropped with a
warning rather than guessed.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Optional

from .. import patterns as P
from ..normalize import clean_value


@dataclass
class DateValue:
    iso: Optional[str]
    place: Optional[str]
    warnings: list[str] = field(default_factory=list)
    # where the place and the date stand in the date-line text (start, end)
    place_span: Optional[tuple[int, int]] = None
    date_span: Optional[tuple[int, int]] = None


def iso_date(d: Optional[str], m: Optional[str], y: Optional[str]) -> tuple[Optional[str], list[str]]:
    warnings: list[str] = []
    if not y:
        return None, warnings
    year = int(y)
    if not 1945 <= year <= _dt.date.today().year + 1:
        return None, [f"implausible date: year {year}"]
    if not m:
        return f"{year:04d}", ["blank month"]
    month = int(m)
    if not 1 <= month <= 12:
        return f"{year:04d}", [f"implausible date: month {month}"]
    if not d:
        return f"{year:04d}-{month:02d}", ["blank day"]
    day = int(d)
    try:
        _dt.date(year, month, day)
    except ValueError:
        return f"{year:04d}-{month:02d}", [f"implausible date: day {day}"]
    return f"{year:04d}-{month:02d}-{day:02d}", warnings


def parse_date_line(clean: str, m: re.Match) -> DateValue:
    """``clean``: the date-line anchor text (place included); ``m``: the
    ``DATE_WORDS`` match on its folded form."""
    iso, warns = iso_date(m.group("d"), m.group("m"), m.group("y"))
    d, mo = m.group("d"), m.group("m")
    if d and len(d) == 1 and int(d) < 10:
        warns.append(f"date without leading zero: day {d}")
    elif mo and len(mo) == 1 and int(mo) in (1, 2):
        warns.append(f"date without leading zero: month {mo}")
    if m.group("sep"):
        warns.append("date written in figures (Decree 30: ngày … tháng … năm …)")
    head = clean[:m.start()]
    raw = head[:head.rfind(",")] if "," in head else head
    strip = " \t\n-–," if "," not in head else " \t\n-–"
    a = len(raw) - len(raw.lstrip(strip))
    b = len(raw.rstrip(strip))
    place = clean_value(raw[a:b]) or None if a < b else None
    return DateValue(iso, place, warns, (a, b) if place else None, (m.start(), m.end()))


_NUMERIC = re.compile(r"^\s{0,3}(?:ngay\s{0,3})?" + P.DATE_NUMERIC.pattern[len(r"(?<![\d/.-])"):])
_LONG = re.compile(r"^\s{0,3}ngay\s{1,3}(?P<d>\d{1,2})\s{1,3}thang\s{1,3}(?P<m>\d{1,2})\s{1,3}nam\s{1,3}(?P<y>(?:19|20)\d\d)")
_YEAR = re.compile(r"^\s{0,3}(?:nam\s{1,3})?(?P<y>(?:19|20)\d\d)(?!\d)")


def date_after(folded: str) -> tuple[Optional[str], int]:
    """A date at the start of ``folded`` (``ngày 05/3/2020``, ``ngày 05 tháng
    3 năm 2020``): ``(iso, length)``, or ``(None, 0)``."""
    for rx in (_LONG, _NUMERIC):
        m = rx.match(folded)
        if m:
            iso, _ = iso_date(m.group("d"), m.group("m"), m.group("y"))
            if iso:
                return iso, m.end()
    return None, 0


def year_after(folded: str) -> tuple[Optional[str], int]:
    m = _YEAR.match(folded)
    return (m.group("y"), m.end()) if m else (None, 0)


