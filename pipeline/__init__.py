"""vanban: Vietnamese administrative documents → structured records.

    >>> import pipeline
    >>> rec = pipeline.parse("corpus/sample/sample-01-quyet-dinh.txt")
    >>> rec.number, rec.date, rec.doc_type

``parse`` takes a path or the text itself; ``parse_many`` parses paths lazily
and never raises for a bad file: it yields a record with warnings instead.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable, Iterator, Union

from .record import Record, json_schema

__all__ = ["parse", "parse_text", "parse_many", "Record", "json_schema", "__version__"]
__version__ = "0.1.0"

PathLike = Union[str, os.PathLike]


def parse_text(text: str, *, path: str | None = None, format: str = "txt") -> Record:
    """Parse a document given as text."""
    from .document import build_record
    from .ingest import Source
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return build_record(Source(text=text, format=format, path=path, sha256=sha, encoding="str"))


def _is_path(x) -> bool:
    if isinstance(x, os.PathLike):
        return True
    if not isinstance(x, str) or "\n" in x or len(x) > 4096:
        return False
    try:
        return Path(x).is_file()
    except OSError:
        return False


def parse(path_or_text: Union[PathLike, str, bytes]) -> Record:
    """Parse a file (path), raw bytes, or the text of a document."""
    from .document import build_record
    from .ingest import read
    if isinstance(path_or_text, bytes):
        return build_record(read("<bytes>", data=path_or_text))
    if _is_path(path_or_text):
        return build_record(read(path_or_text))
    if isinstance(path_or_text, os.PathLike):
        raise FileNotFoundError(str(path_or_text))
    return parse_text(str(path_or_text))


def parse_many(paths: Iterable[PathLike]) -> Iterator[Record]:
    """Parse many files lazily; a file that cannot be read or parsed gives a
    record carrying the error as a warning, never an exception."""
    for p in paths:
        try:
            yield parse(Path(p)) if _is_path(p) else _failed(p, "file not found")
        except Exception as e:  # a bad document must not stop the batch
            yield _failed(p, f"{type(e).__name__}: {e}")


def _failed(p, reason: str) -> Record:
    return Record(path=str(p), warnings=[f"parse error: {reason}"])
