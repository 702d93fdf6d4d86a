"""The archive's SQLite schema, versioned with ``PRAGMA user_version``.

Each entry of :data:`MIGRATIONS` takes the database from version ``i`` to
``i + 1``; :func:`migrate` applies the missing ones in order, each in its own
transaction, so an archive made by an older vanban is brought up to date when
it is opened and one made by a newer vanban is refused rather than damaged.
To change the schema, append a migration; never edit one that has shipped.

Hand-written rather than with a migration library (alembic, yoyo): the store
is one embedded file with a handful of tables, and ``user_version`` plus a list
of SQL scripts is all the bookkeeping it needs.

Tables (one row per document in ``documents``; the child tables hang off
``documents.id`` and are replaced whenever the document is re-parsed):

``documents``       header fields as columns, the full record as JSON (``record``,
                    text included), file hash, parser version, status
                    (``ok``, ``unsupported``, ``error``), ``deleted`` mark
``refs``            documents cited in the text (``Reference``), with the
                    legal-basis kind when the citation is a ground (``Căn cứ``…)
                    and ``target_id``: the archive document it resolves to
``back_refs``       short back-references (``Kế hoạch này``, ``Quyết định nêu
                    trên``) and the document they mean
``items``           the enumerated-content tree, flattened (``parent``, ``depth``)
``recipients``      Kính gửi and Nơi nhận lines (``kind``)
``signers``         signature blocks
``areas``           subject areas of the document (``item_ord`` null) or of an item
``documents_fts``   FTS5 over title, body and issuer, each also as a folded
                    (diacritic-free) copy so ``quyet dinh`` finds ``quyết định``
``runs``            one row per ``vanban index`` run with its counts
"""

from __future__ import annotations

import sqlite3

_V1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL UNIQUE,
    sha256          TEXT,
    size            INTEGER,
    parser_version  TEXT,
    status          TEXT NOT NULL,
    error           TEXT,
    deleted         INTEGER NOT NULL DEFAULT 0,
    deleted_at      TEXT,
    indexed_at      TEXT NOT NULL,
    parse_seconds   REAL,
    format          TEXT,
    encoding        TEXT,
    pages           INTEGER,
    regime          TEXT,
    doc_type        TEXT,
    number          TEXT,
    number_key      TEXT,
    serial          TEXT,
    year            INTEGER,
    type_code       TEXT,
    issuer_code     TEXT,
    date            TEXT,
    place           TEXT,
    issuer          TEXT,
    issuer_parent   TEXT,
    title           TEXT,
    authority_line  TEXT,
    is_draft        INTEGER,
    marks           TEXT,
    warnings        TEXT,
    n_warnings      INTEGER,
    record          TEXT NOT NULL
);
CREATE INDEX documents_number_key ON documents(number_key);
CREATE INDEX documents_sha256 ON documents(sha256);
CREATE INDEX documents_type_date ON documents(doc_type, date);

CREATE TABLE refs (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    doc_type    TEXT,
    number      TEXT,
    number_key  TEXT,
    date        TEXT,
    issuer      TEXT,
    subject     TEXT,
    name        TEXT,
    text        TEXT NOT NULL,
    span_start  INTEGER,
    span_end    INTEGER,
    basis_kind  TEXT,
    target_id   INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    resolution  TEXT,
    UNIQUE (doc_id, ord)
);
CREATE INDEX refs_number_key ON refs(number_key);
CREATE INDEX refs_target ON refs(target_id);

CREATE TABLE items (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    parent_ord  INTEGER,
    depth       INTEGER NOT NULL,
    label       TEXT,
    kind        TEXT,
    main        INTEGER NOT NULL,
    text        TEXT,
    span_start  INTEGER,
    span_end    INTEGER,
    UNIQUE (doc_id, ord)
);

CREATE TABLE recipients (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    kind        TEXT,
    text        TEXT,
    purpose     TEXT,
    archive     TEXT,
    UNIQUE (doc_id, ord)
);

CREATE TABLE signers (
    id           INTEGER PRIMARY KEY,
    doc_id       INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
    authority    TEXT,
    on_behalf_of TEXT,
    title        TEXT,
    position     TEXT,
    name         TEXT,
    prefixes     TEXT,
    UNIQUE (doc_id, ord)
);

CREATE TABLE areas (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    item_ord    INTEGER,
    label       TEXT NOT NULL,
    score       REAL
);
CREATE INDEX areas_doc ON areas(doc_id);
CREATE INDEX areas_label ON areas(label);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, body, issuer, title_f, body_f, issuer_f,
    tokenize = "unicode61 remove_diacritics 0"
);
"""

# v2: short back-references and the run log, a step of its own so that the
# migration path (an archive at v1 opened by this version) is exercised by tests.
_V2 = """
CREATE TABLE back_refs (
    id          INTEGER PRIMARY KEY,
    doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    doc_type    TEXT,
    serial      TEXT,
    span_start  INTEGER,
    span_end    INTEGER,
    kind        TEXT NOT NULL,
    ref_ord     INTEGER,
    target_id   INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    resolution  TEXT,
    UNIQUE (doc_id, ord)
);
CREATE INDEX back_refs_target ON back_refs(target_id);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    roots           TEXT,
    parser_version  TEXT,
    mode            TEXT,
    status          TEXT NOT NULL,
    stats           TEXT
);
"""

# v3: the province after the 2025 merger (``Record.province_2025``) as a
# column, filled from the stored records so an old archive needs no re-parse.
_V3 = """
ALTER TABLE documents ADD COLUMN province_2025 TEXT;
UPDATE documents SET province_2025 = json_extract(record, '$.province_2025') WHERE json_valid(record);
CREATE INDEX documents_province ON documents(province_2025);
"""

MIGRATIONS: list[str] = [_V1, _V2, _V3]
LATEST = len(MIGRATIONS)


class SchemaError(RuntimeError):
    """The archive was written by a newer vanban (or is not an archive)."""


def version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection, target: int = LATEST) -> int:
    """Bring the database to schema ``target`` (default: the latest); returns
    the version it was at.  Each step runs in its own transaction."""
    current = version(conn)
    if current > LATEST:
        raise SchemaError(f"archive schema version {current} is newer than this vanban supports ({LATEST}); "
                          "upgrade vanban")
    for v in range(current, target):
        # executescript would COMMIT first; run the statements of one step in
        # one explicit transaction so a crash mid-migration leaves the old version.
        conn.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _statements(MIGRATIONS[v]):
                conn.execute(stmt)
            conn.execute(f"PRAGMA user_version = {v + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return current


def _statements(script: str) -> list[str]:
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def connect(path: str, *, readonly: bool = False, timeout: float = 30.0) -> sqlite3.Connection:
    """Open (and create or migrate) an archive: WAL journal, foreign keys on,
    autocommit mode (transactions are explicit ``BEGIN``/``COMMIT``)."""
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=timeout, isolation_level=None)
    else:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # durable across process crashes in WAL mode
        migrate(conn)
    elif version(conn) != LATEST:
        raise SchemaError(f"archive schema version {version(conn)}, expected {LATEST}: "
                          "open it once for writing (vanban index) to migrate it")
    return conn
