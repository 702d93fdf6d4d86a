"""Diacritics restored in OCR'd header values from the vocabularies (spec §8.7).

Tesseract misreads Vietnamese tone and vowel marks (``SỬA ĐỐI`` for ``SỬA
ĐỔI``, ``THÔNG TỰ`` for ``THÔNG TƯ``, ``BẠN`` for ``BAN``, ``CHU TỊCH`` for
``CHỦ TỊCH``).  Zoning and the extractors match on the diacritic-free fold,
so such a misreading does not hide a field, but the value keeps it.  Where a
vocabulary says what the words must be, the value is respelled:

* a title: type headings and set phrases (``pipeline/data/doc_types.yaml``,
  ``title_phrases.yaml``) of two words or more;
* an issuer and the body above it: the body word they open with
  (``agencies.yaml`` ``body_heads``);
* a signer's title and position: an office title (``agencies.yaml``
  ``office_titles``) that the whole line is, also with one letter lost or
  misread (``PHÓ CHỦ TỊC``), or with one word garbled by a seal's ring
  (``SHỦ TỊCH``: :func:`near_office`, only when that word is no Vietnamese
  syllable and a single title is closest), without the seal fragments read
  after it (``TRƯỞNG PHÒNG CTSV ƯỠNG``: :func:`drop_seal_tail`).

A phrase is respelled only when its fold has a single spelling in the
vocabulary (``THỦ TRƯỞNG`` and ``THỨ TRƯỞNG`` share one, so neither is
touched) and the printed form differs from it by more than tone placement
(``UỶ``/``ỦY`` are both right).  Case follows the printed text.  Free words
(names, places, the rest of a title) are never changed.  Applied to records
read by OCR only (``document.build_record``); a near match never turns a
Vietnamese syllable into another word (``TRƯỞNG TRẠI`` stays).  The signers'
provenance gets the confidence of their reading (:func:`signer_confidence`:
the block's Tesseract confidence when it was read again, lower when the
vocabulary put a title right or a name reads as none).  Hand-written: the matching is
a few lines over the vocabularies; ``difflib`` gives the near matches.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Iterable, Optional

from ..normalize import fold, tone_key
from ..record import Record
from ..vocab import vocab


@functools.lru_cache(maxsize=8)
def _folds(kind: str) -> frozenset[str]:
    """Every folded phrase of the vocabulary, those with two spellings too."""
    return frozenset(_spellings(kind))


def _spellings(kind: str) -> dict[str, set[str]]:
    v = vocab()
    words: Iterable[str] = {
        "title": [*v.headings, *v.title_phrases],
        "body": v.body_heads,
        "office": v.office_titles,
    }[kind]
    spellings: dict[str, set[str]] = {}
    for w in words:
        w = " ".join(w.split())
        if kind == "title" and len(w.split()) < 2:
            continue  # one word ("THƯ", "LỆNH") has too many readings without its marks
        spellings.setdefault(fold(w), set()).add(tone_key(w.upper()))
    return spellings


@functools.lru_cache(maxsize=8)
def _table(kind: str) -> tuple[dict[str, str], Optional[re.Pattern]]:
    """Folded phrase → its one spelling, and a pattern finding the phrases
    (whole words) in a folded value."""
    table = {k: next(iter(s)) for k, s in _spellings(kind).items() if len(s) == 1}
    if not table:
        return table, None
    alt = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return table, re.compile(r"(?<!\w)(?:" + alt + r")(?!\w)")


def _respell(printed: str, canon: str) -> str:
    """``canon`` in the case of ``printed`` (same length: they fold alike),
    word by word: a printed word that differs only in tone placement
    (``UỶ``) is kept."""
    out = []
    for pw, cw in zip(printed.split(" "), canon.split(" ")):
        if tone_key(pw.upper()) == cw:
            out.append(pw)
        else:
            out.append("".join(c.upper() if p.isupper() else c.lower() for p, c in zip(pw, cw)))
    return " ".join(out)


def respell(value: Optional[str], kind: str, *, start_only: bool = False) -> Optional[str]:
    """``value`` with every vocabulary phrase of ``kind`` (``title``,
    ``body``, ``office``) in the vocabulary's spelling."""
    if not value:
        return value
    table, rx = _table(kind)
    if rx is None:
        return value
    folded = fold(value)
    out = list(value)
    for m in rx.finditer(folded):
        if start_only and m.start() != 0:
            break
        printed = value[m.start():m.end()]
        canon = table[m.group(0)]
        if len(canon) != len(printed) or tone_key(printed.upper()) == canon:
            continue
        out[m.start():m.end()] = _respell(printed, canon)
        if start_only:
            break
    return "".join(out)


_SPECK_EDGES = "'‘’`ˆ^\"“”~"


def despeck(value: Optional[str]) -> Optional[str]:
    """Specks read as marks around the words of a line in capitals
    (``TRƯỞNG 'PHÒNG CTSV``): quotes at word edges, words with no letter or
    digit and stray punctuation at the end removed."""
    if not value or not value.isupper():
        return value
    words = [w.strip(_SPECK_EDGES) for w in value.split()]
    words = [w for w in words if w in ("-", "–", "&") or any(ch.isalnum() for ch in w)]
    return " ".join(words).rstrip(" .,;:") or value


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (two short words: a few lines, no library)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


@functools.lru_cache(maxsize=1)
def _office_words() -> dict[tuple[str, ...], str]:
    """Folded words of every office title of two words or more (also with
    ``PHÓ`` before it) → its spelling, for those with a single spelling."""
    table, _ = _table("office")
    out: dict[tuple[str, ...], str] = {}
    for k, canon in table.items():
        for key, spelt in ((k, canon), ("pho " + k, "PHÓ " + canon)):
            if len(key.split()) >= 2 and tuple(key.split()) not in out:
                out[tuple(key.split())] = spelt
    return out


def near_office(value: Optional[str]) -> Optional[str]:
    """The office title an OCR'd line in capitals is, when it is one with
    a single word garbled (a seal's ring over a letter: ``SHUỦ TỊCH``, ``NNU
    TỊCH`` → ``CHỦ TỊCH``): the other words agree without their marks, the
    garbled one is no Vietnamese syllable (``TRẠI`` is a word, never made
    ``TRẠM``) and at most two letters off, and no other title is as close.
    Specks (words without letters) are left out; None when no title fits."""
    from ..ingest.signature import syllables

    if not value:
        return None
    words = [re.sub(r"[^\w]", "", w) for w in value.split() if any(ch.isalpha() for ch in w)]
    if len(words) < 2 or not all(w.isupper() for w in words):
        return None
    key = tuple(fold(w) for w in words)
    printed = dict(zip(key, words))
    best: dict[int, set[str]] = {}
    for title, spelt in _office_words().items():
        if len(title) != len(key):
            continue
        diff = [(a, b) for a, b in zip(key, title) if a != b]
        if len(diff) > 1 or diff and printed[diff[0][0]].lower() in syllables():
            continue
        d = _edits(*diff[0]) if diff else 0
        if d <= 2:
            best.setdefault(d, set()).add(spelt)
    if not best:
        return None
    top = best[min(best)]
    return next(iter(top)) if len(top) == 1 else None


def respell_office(value: Optional[str]) -> Optional[str]:
    """A position line that is an office title: its vocabulary spelling, also
    when OCR lost or misread one letter of it (``PHÓ CHỦ TỊC``) or garbled
    one of its words (:func:`near_office`)."""
    value = despeck(value)
    if not value:
        return value
    near = near_office(value) if value.isupper() else None
    if near is not None:
        return near
    table, _ = _table("office")
    key = " ".join(fold(value).split())
    if key not in _folds("office") and len(key) >= 8 and value.isupper():
        near = difflib.get_close_matches(key, list(table), n=1, cutoff=0.9)
        if near and not _real_word_changed(value, near[0]):
            return table[near[0]]
    return respell(value, "office", start_only=True)


def _real_word_changed(value: str, canon_fold: str) -> bool:
    """Whether taking ``canon_fold`` for ``value`` would turn a Vietnamese
    syllable into another word (``TRƯỞNG TRẠI`` is no misread ``TRƯỞNG
    TRẠM``): a word of the value whose fold the title does not have, that is
    a syllable (letters only, so ``TỊC`` and ``PHÓCHỦ`` are none) printed
    with its marks (a word without any, ``CHIU`` for ``CHỦ``, lost them to
    OCR as often as not)."""
    from ..ingest.signature import syllables

    canon = set(canon_fold.split())
    syl = syllables()
    return any(fold(w) not in canon and w.lower() in syl and any(not ch.isascii() and ch not in "Đđ" for ch in w)
               for w in (re.sub(r"[^\w]", "", w) for w in value.split()) if w)


def drop_seal_tail(value: Optional[str]) -> Optional[str]:
    """An office-title line without the last words OCR read out of the seal's
    ring beside it (``TRƯỞNG PHÒNG CTSV ƯỠNG``): words with Vietnamese marks
    that are no Vietnamese syllable, after a line that opens with an office
    title.  Abbreviations (``CTSV``, ``ĐT``) carry no marks and stay."""
    from ..ingest.signature import syllables

    if not value:
        return value
    words = value.split()
    office = vocab().office_re
    while len(words) > 1 and office.match(" ".join(fold(" ".join(words[:-1])).split())):
        last = re.sub(r"[^\w]", "", words[-1])
        marked = any(not ch.isascii() and ch not in "Đđ" for ch in last)
        if not (last.isupper() and marked and last.lower() not in syllables()):
            break
        words.pop()
    return " ".join(words)


def repair_record(rec: Record, page_starts: Optional[list[int]] = None) -> None:
    """Respell the header values of an OCR'd record in place, and give its
    signers the confidence of their reading (:func:`signer_confidence`);
    ``page_starts`` are the Source's page offsets."""
    rec.title = respell(rec.title, "title")
    rec.issuer = respell(rec.issuer, "body", start_only=True)
    rec.issuer_parent = respell(rec.issuer_parent, "body", start_only=True)
    before = [(s.title, s.position, s.on_behalf_of) for s in rec.signers]
    for s in rec.signers:
        s.title = respell_office(s.title)
        s.position = respell_office(drop_seal_tail(s.position))
        s.on_behalf_of = respell(despeck(s.on_behalf_of), "body", start_only=True)
    corrected = before != [(s.title, s.position, s.on_behalf_of) for s in rec.signers]
    signer_confidence(rec, corrected, page_starts or [])


VOCABULARY_FACTOR = 0.85   # a signer whose title or position the vocabulary had to put right
NAME_FACTOR = 0.8          # a name with a word that is no capitalised Vietnamese syllable


def signer_confidence(rec: Record, corrected: bool, page_starts: list[int]) -> None:
    """The signers' provenance of an OCR'd record: the footer rule's
    confidence times the mean Tesseract confidence of the block's words when
    the block had to be read again (``+reread`` in the method: the page's
    reading missed or garbled it), lower when the vocabulary had to put a
    title or position right (``+vocabulary``) and when a name does not read
    as a name (a word that is no capitalised Vietnamese syllable)."""
    import bisect

    from ..ingest.signature import reread_confidences, syllables

    p = rec.provenance.get("signers")
    if p is None:
        return
    conf, steps = p.confidence, [p.method]
    page = (bisect.bisect_right(page_starts, p.span[0]) or 1) if page_starts and p.span else 1
    reread = reread_confidences(rec.warnings)
    if page in reread:
        conf *= reread[page]
        steps.append("reread")
    if corrected:
        conf *= VOCABULARY_FACTOR
        steps.append("vocabulary")
    syl = syllables()
    if syl and any(s.name and not all(w[:1].isupper() and w.lower() in syl for w in s.name.split())
                   for s in rec.signers):
        conf *= NAME_FACTOR
    p.method, p.confidence = "+".join(steps), round(conf, 3)
