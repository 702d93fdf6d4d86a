"""Stage 6: the archive, an embedded SQLite store of records.

    from pipeline.store import Archive, index
    stats = index(["corpus/sample"], "archive.sqlite")       # vanban index
    Archive("archive.sqlite").documents()                     # pandas DataFrame

``schema`` (tables, migrations), ``rows`` (record → rows), ``indexer`` (the
incremental, crash-safe batch run), ``graph`` (citation graph), ``archive``
(DataFrames, search, look-ups), ``view`` (the terminal view of one document).
"""

from __future__ import annotations

from .archive import TABLES, Archive
from .indexer import IndexStats, RunError, index, parser_version

__all__ = ["Archive", "index", "IndexStats", "RunError", "parser_version", "TABLES"]
