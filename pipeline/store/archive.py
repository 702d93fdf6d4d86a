"""Reading an archive: pandas DataFrames, full-text search, look-ups, the graph.

    >>> from pipeline.store import Archive
    >>> a = Archive("archive.sqlite")
    >>> a.documents()[["number", "doc_type", "date", "issuer"]]
    >>> a.search("quyet dinh", doc_type="Quyết định", year=2024)
    >>> a.cited_by("596/KH-UBND")      # who cites it
    >>> a.cites("4127/QĐ-UBND")        # what it cites (and implements: basis_kind)

Full-text search uses SQLite's FTS5.  Every indexed column has a folded
(diacritic-free, ``đ`` → ``d``) copy: a query typed without diacritics searches
the folded copies, so ``quyet dinh`` finds ``quyết định`` as well as documents
written without diacritics; a query with diacritics searches the originals and
the folded copies, the originals weighted ten times higher, so exact matches
come first and documents typed without diacritics are still found.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path
from typing import Any, Optional, Union

from ..normalize import fold
from . import schema
from .rows import folded, number_key

_LIST_COLUMNS = ("marks", "warnings")
_TABLES = {"documents": "documents", "references": "refs", "back_references": "back_refs", "items": "items",
           "recipients": "recipients", "signers": "signers", "areas": "areas"}
TABLES = tuple(_TABLES)

DocRef = Union[int, str, os.PathLike]


class Archive:
    """An archive file written by ``vanban index`` (or :func:`pipeline.store.index`).

    Opening migrates an archive written by an older vanban.  ``create=True``
    makes a new, empty archive when the file does not exist; otherwise a missing
    file is an error (a mistyped path must not leave an empty database behind).
    """

    def __init__(self, path: Union[str, os.PathLike], *, create: bool = False):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise FileNotFoundError(f"no archive at {self.path} (run `vanban index DIR --db {self.path}` first)")
        self.conn = schema.connect(str(self.path))
        self.conn.create_function("vn_fold", 1, folded, deterministic=True)

    # -- lifecycle -----------------------------------------------------------
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- DataFrames ----------------------------------------------------------
    def _df(self, sql: str, params: tuple = ()):
        import pandas as pd
        return pd.read_sql_query(sql, self.conn, params=params)

    def documents(self, *, include_deleted: bool = False, with_record: bool = False):
        """One row per document: header fields as columns (``marks`` and
        ``warnings`` as lists), file and index bookkeeping (``path``,
        ``sha256``, ``status``, ``error``, ``deleted``, ``parser_version``…);
        ``with_record=True`` adds the full record as a dict (``record``)."""
        cols = "*" if with_record else ", ".join(c for c in self._columns("documents") if c != "record")
        df = self._df(f"SELECT {cols} FROM documents {'' if include_deleted else 'WHERE deleted = 0'} ORDER BY id")
        for c in _LIST_COLUMNS:
            df[c] = df[c].map(lambda v: json.loads(v) if v else [])
        if with_record:
            df["record"] = df["record"].map(json.loads)
        return df

    def _child(self, table: str, include_deleted: bool):
        where = "" if include_deleted else "WHERE d.deleted = 0"
        return self._df(f"SELECT t.*, d.path, d.number AS doc_number FROM {table} t "
                        f"JOIN documents d ON d.id = t.doc_id {where} ORDER BY t.doc_id, t.ord"
                        if table != "areas" else
                        f"SELECT t.*, d.path, d.number AS doc_number FROM areas t "
                        f"JOIN documents d ON d.id = t.doc_id {where} ORDER BY t.doc_id, t.id")

    def references(self, *, include_deleted: bool = False):
        """One row per cited document: the citation's parts, ``basis_kind``
        when it is a legal basis (``Căn cứ``, ``Thực hiện``…), ``target_id``
        (the archive document it resolves to) and ``resolution`` (how)."""
        return self._child("refs", include_deleted)

    def back_references(self, *, include_deleted: bool = False):
        """Short back-references (``Kế hoạch này``, ``Quyết định nêu trên``)
        with ``kind`` (self, antecedent, attached) and ``target_id``."""
        return self._child("back_refs", include_deleted)

    def items(self, *, include_deleted: bool = False):
        """The item trees, flattened: one row per node (``parent_ord``, ``depth``, ``main``)."""
        return self._child("items", include_deleted)

    def recipients(self, *, include_deleted: bool = False):
        """Kính gửi (``kind`` = kính gửi) and Nơi nhận lines."""
        return self._child("recipients", include_deleted)

    def signers(self, *, include_deleted: bool = False):
        return self._child("signers", include_deleted)

    def areas(self, *, include_deleted: bool = False):
        """Subject areas of documents (``item_ord`` null) and of items."""
        return self._child("areas", include_deleted)

    def table(self, name: str, **kw):
        """A table by its public name (:data:`TABLES`)."""
        if name not in _TABLES:
            raise ValueError(f"unknown table {name!r}; one of {', '.join(TABLES)}")
        return getattr(self, name)(**kw)

    def _columns(self, table: str) -> list[str]:
        return [r[1] for r in self.conn.execute(f"PRAGMA table_info({table})")]

    # -- single documents ----------------------------------------------------
    def find(self, target: DocRef, *, include_deleted: bool = True) -> list[int]:
        """Ids of the documents a user means by ``target``: an id, a số và ký
        hiệu (exact, then by number key: ``4127/qd-ubnd`` works), or a path
        (as given, absolute, or a unique tail such as ``sample-01-quyet-dinh.txt``)."""
        if isinstance(target, int):
            return [target] if self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (target,)).fetchone() else []
        t = str(target)
        live = "" if include_deleted else " AND deleted = 0"
        order = " ORDER BY deleted, id"
        for sql, arg in (("path = ?", os.path.abspath(t)), ("path = ?", t), ("number = ?", t),
                         ("number_key = ?", number_key(t))):
            ids = [r[0] for r in self.conn.execute(f"SELECT id FROM documents WHERE {sql}{live}{order}", (arg,))]
            if ids:
                return ids
        tail = t.replace(os.sep, "/").lstrip("./")
        if tail:
            return [r[0] for r in self.conn.execute(
                f"SELECT id FROM documents WHERE (path LIKE ? ESCAPE '\\' OR path = ?){live}{order}",
                ("%/" + tail.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"), tail))]
        return []

    def document(self, doc_id: int) -> Optional[dict[str, Any]]:
        """The ``documents`` row of ``doc_id`` as a dict, ``record`` parsed."""
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        d = dict(row)
        d["record"] = json.loads(d["record"])
        for c in _LIST_COLUMNS:
            d[c] = json.loads(d[c]) if d[c] else []
        return d

    def record(self, target: DocRef):
        """The stored :class:`pipeline.Record` of a document (first match of :meth:`find`)."""
        from ..record import Record
        ids = self.find(target)
        if not ids:
            raise KeyError(f"no document {target!r} in {self.path}")
        raw = json.loads(self.conn.execute("SELECT record FROM documents WHERE id = ?", (ids[0],)).fetchone()[0])
        return Record.model_validate(raw)

    # -- the citation graph --------------------------------------------------
    def cites(self, target: DocRef):
        """What a document cites: its references, each with the archive
        document it resolves to (``target_path``, ``target_title``)."""
        ids = self.find(target)
        return self._df("SELECT r.*, t.path AS target_path, t.doc_type AS target_type, t.title AS target_title "
                        "FROM refs r LEFT JOIN documents t ON t.id = r.target_id "
                        f"WHERE r.doc_id IN ({','.join('?' * len(ids)) or 'NULL'}) ORDER BY r.doc_id, r.ord",
                        tuple(ids))

    def cited_by(self, target: DocRef):
        """Who cites a document: references resolved to it, and — when
        ``target`` is a number — references to that number that could not be
        resolved (the document is not in the archive, or the number is ambiguous)."""
        ids = self.find(target)
        key = number_key(str(target)) if not isinstance(target, int) else None
        cond = []
        params: list[Any] = []
        if ids:
            cond.append(f"r.target_id IN ({','.join('?' * len(ids))})")
            params += ids
        if key:
            cond.append("(r.target_id IS NULL AND r.number_key = ?)")
            params.append(key)
        if not cond:
            return self._df("SELECT * FROM refs WHERE 0")
        return self._df("SELECT r.*, d.path AS citing_path, d.number AS citing_number, d.doc_type AS citing_type, "
                        "d.date AS citing_date, d.title AS citing_title FROM refs r JOIN documents d ON d.id = r.doc_id "
                        f"WHERE d.deleted = 0 AND ({' OR '.join(cond)}) ORDER BY d.date, d.id", tuple(params))

    # -- search --------------------------------------------------------------
    def search(self, query: str = "", *, doc_type: Optional[str] = None, issuer: Optional[str] = None,
               year: Optional[int] = None, area: Optional[str] = None, province: Optional[str] = None,
               limit: Optional[int] = 20, include_deleted: bool = False):
        """Full-text search over title, body and issuer, with and without
        diacritics, best first; filters compare folded text (``--type "quyet
        dinh"`` works); ``province`` is a provincial unit after the 2025
        merger (``Quảng Ngãi`` also finds documents of former Kon Tum).  An empty query lists the documents the filters keep,
        newest first.  Columns: id, path, doc_type, number, date, issuer,
        title, score (lower is better, FTS5 bm25), snippet."""
        import pandas as pd
        where, params = [], []
        if not include_deleted:
            where.append("d.deleted = 0")
        if doc_type:
            where.append("vn_fold(coalesce(d.doc_type, '')) = ?")
            params.append(folded(doc_type.strip()))
        if issuer:
            where.append("instr(vn_fold(coalesce(d.issuer, '') || ' ' || coalesce(d.issuer_parent, '')), ?) > 0")
            params.append(folded(issuer.strip()))
        if year:
            where.append("d.year = ?")
            params.append(int(year))
        if area:
            where.append("EXISTS (SELECT 1 FROM areas a WHERE a.doc_id = d.id AND instr(vn_fold(a.label), ?) > 0)")
            params.append(folded(area.strip()))
        if province:
            where.append("vn_fold(coalesce(d.province_2025, '')) = ?")
            params.append(folded(" ".join(province.split())))
        cols = "d.id, d.path, d.doc_type, d.number, d.date, d.issuer, d.title"
        lim = f" LIMIT {int(limit)}" if limit else ""
        terms = query_terms(query)
        if terms:
            sql = (f"SELECT {cols}, bm25(documents_fts, 10, 1, 3, 1, 0.1, 0.3) AS score, f.body AS body "
                   "FROM documents_fts f JOIN documents d ON d.id = f.rowid "
                   f"WHERE documents_fts MATCH ? {''.join(' AND ' + w for w in where)} ORDER BY score{lim}")
            params = [fts_expression(terms)] + params
        else:
            sql = (f"SELECT {cols}, NULL AS score, NULL AS body FROM documents d "
                   f"{'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY d.date DESC, d.id{lim}")
        df = pd.read_sql_query(sql, self.conn, params=tuple(params))
        df["snippet"] = [snippet(b, terms)[0] if b else "" for b in df.pop("body")]
        return df

    # -- bookkeeping ---------------------------------------------------------
    def runs(self):
        """The log of ``vanban index`` runs (stats as a dict)."""
        df = self._df("SELECT * FROM runs ORDER BY id")
        df["stats"] = df["stats"].map(lambda v: json.loads(v) if v else {})
        return df


# ---------------------------------------------------------------------------
# Query helpers (also used by the command line to highlight matches)

_TERM = re.compile(r'"([^"]+)"|(\S+)')
_FTS_JUNK = re.compile(r'["()^:{}+]')


def query_terms(query: str) -> list[tuple[str, bool]]:
    """The query as (term or phrase, prefix) pairs: words, ``"quoted phrases"``
    and ``prefix*``; FTS5 operators are taken as plain words."""
    out = []
    for m in _TERM.finditer(query or ""):
        t = m.group(1) if m.group(1) is not None else m.group(2)
        prefix = m.group(1) is None and t.endswith("*")
        t = _FTS_JUNK.sub(" ", t.rstrip("*")).strip()
        if t and re.search(r"\w", t):
            out.append((t, prefix))
    return out


def _phrase(t: str, prefix: bool) -> str:
    return '"' + t.replace('"', " ") + '"' + ("*" if prefix else "")


def fts_expression(terms: list[tuple[str, bool]]) -> str:
    """All terms must match (AND); several plain words also count once more
    as a phrase, so documents holding them side by side rank first."""
    def expr(conv) -> str:
        e = " AND ".join(_phrase(conv(t), p) for t, p in terms)
        if len(terms) > 1 and not any(p for _, p in terms):
            e = f"({_phrase(' '.join(conv(t) for t, _ in terms), False)}) OR ({e})"
        return e

    out = "{title_f body_f issuer_f} : (" + expr(folded) + ")"
    if any(folded(t) != t.lower() for t, _ in terms):  # typed with diacritics
        out = "({title body issuer} : (" + expr(str) + ")) OR (" + out + ")"
    return out


def snippet(body: str, terms: list[tuple[str, bool]], width: int = 160,
            avoid: Optional[str] = None) -> tuple[str, list[tuple[int, int]]]:
    """A one-line extract of ``body`` around the first match of a term, and
    the match positions inside the extract.  Matching is on the folded text,
    which has the same length as the (NFC) text, so positions carry over.
    A match inside the first occurrence of ``avoid`` (the title, shown
    anyway) is passed over when there is another."""
    if not body:
        return "", []
    fbody = fold(body)
    hits = []
    if len(terms) > 1:  # the words side by side first
        words = [re.escape(w) for t, _ in terms for w in _WORDS.findall(folded(t))]
        hits = [(m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)", fbody)]
    for t, p in ([] if hits else terms):
        words = [re.escape(w) for w in _WORDS.findall(folded(t))]
        if not words:
            continue
        pat = r"(?<!\w)" + r"\W+".join(words) + (r"\w*" if p else r"(?!\w)")
        hits.extend((m.start(), m.end()) for m in re.finditer(pat, fbody))
    if not hits:
        start = 0
    else:
        first = min(hits)[0]
        if avoid:
            fa = " ".join(fold(avoid).split())
            at = " ".join(fbody.split()).find(fa) if fa else -1
            if at >= 0:
                # the title's extent in the body, allowing for line breaks inside it
                words = _WORDS.findall(fa)
                m = re.search(r"\W+".join(map(re.escape, words)), fbody) if words else None
                if m:
                    later = [h for h in hits if h[0] >= m.end() or h[1] <= m.start()]
                    if later:
                        first = min(later)[0]
        start = max(0, first - width // 3)
    end = min(len(body), start + width)
    raw = body[start:end]
    # collapse whitespace, keeping a map for the highlight positions
    out, pos_map, prev_space = [], [], False
    for i, ch in enumerate(raw):
        if ch.isspace():
            if prev_space:
                continue
            ch, prev_space = " ", True
        else:
            prev_space = False
        out.append(ch)
        pos_map.append(start + i)
    text = "".join(out).strip()
    lead = len("".join(out)) - len("".join(out).lstrip())
    spans = []
    for hs, he in sorted(hits):
        idx = [k - lead for k, src in enumerate(pos_map) if hs <= src < he]
        if idx and 0 <= idx[0] and idx[-1] < len(text):
            spans.append((idx[0], idx[-1] + 1))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body) else ""
    return prefix + text + suffix, [(s + len(prefix), e + len(prefix)) for s, e in spans]


_WORDS = re.compile(r"\w+")


# ---------------------------------------------------------------------------
# Export

EXPORT_FORMATS = ("jsonl", "csv", "parquet")


def export(archive: Archive, fmt: str, out, *, table: str = "documents", include_deleted: bool = False,
           with_text: bool = False) -> int:
    """Write a table of the archive to ``out`` (a path, or a text stream for
    jsonl/csv); returns the number of rows.

    ``jsonl`` of ``documents`` writes the stored records themselves, one per
    line, exactly as ``vanban parse --format jsonl`` prints them (``with_text``
    keeps the document text); every other combination writes the table's
    rows (``csv``: list columns as JSON; ``parquet``: needs a path)."""
    import io
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet" and (out is None or isinstance(out, io.TextIOBase) or hasattr(out, "write")):
        raise ValueError("parquet is binary: give an output file (--out FILE.parquet)")
    close = False
    if fmt == "jsonl" and table == "documents":
        if isinstance(out, (str, os.PathLike)):
            out, close = open(out, "w", encoding="utf-8"), True
        n = 0
        where = "" if include_deleted else "WHERE deleted = 0"
        try:
            for (raw,) in archive.conn.execute(f"SELECT record FROM documents {where} ORDER BY id"):
                rec = json.loads(raw)
                if not with_text:
                    rec.pop("text", None)
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if close:
                out.close()
        return n
    df = archive.table(table, include_deleted=include_deleted)
    if fmt == "jsonl":
        df.to_json(out, orient="records", lines=True, force_ascii=False)
    elif fmt == "csv":
        for c in df.columns:
            if df[c].map(lambda v: isinstance(v, (list, dict))).any():
                df[c] = df[c].map(lambda v: json.dumps(v, ensure_ascii=False))
        df.to_csv(out, index=False)
    else:
        df.to_parquet(out, index=False)
    return len(df)
