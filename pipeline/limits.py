"""Per-document resource limits for the batch path (``vanban index``).

An archive meets every kind of broken file; one of them must not stop, hang
or starve the nightly run.  :class:`Limits` holds the four limits a document
is parsed under, and this module the helpers that enforce them inside a
worker process (:mod:`pipeline.store.indexer` runs every parse in one, see
there):

* ``seconds`` — wall-clock time per document: ``SIGALRM`` in the worker gives
  a clean ``timeout`` error; a worker stuck in C code, where the alarm cannot
  reach, is killed by the pool a few seconds later and replaced.
* ``memory_mb`` — address space the worker may add for one document
  (``RLIMIT_AS`` set, once per worker, to its size at start plus this); an
  allocation beyond it raises ``MemoryError`` in Python code, or ends the
  worker when a C library aborts on it — both give an ``error`` row.
  ``RLIMIT_AS`` rather than ``RLIMIT_DATA`` because it also bounds ``mmap``
  (pdfium and NumPy allocate large buffers that way); the base is the
  worker's own size because a worker forked from a process that imported
  pandas, pyarrow or dask already has a large address space reserved.
* ``pages`` — a PDF with more pages is read for its first ``pages`` only (a
  ``limit: pages`` warning says how many were left out); see
  :func:`cap_pdf_pages`.
* ``file_mb`` — a file larger than this is not read at all (an ``error`` row
  ``limit: file size``): no single administrative document is that large,
  and reading it would only end in the time or memory limit after minutes.

Every reason starts with ``limit:`` (or ``timeout:``), so the archive can be
queried for what hit a limit.  Limits are standard-library only (``resource``,
``/proc``); there is no library that does less.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import Optional

DEFAULT_SECONDS = 60.0
DEFAULT_MEMORY_MB = 2048
DEFAULT_PAGES = 500
DEFAULT_FILE_MB = 100


@dataclass(frozen=True)
class Limits:
    """Limits for one document; ``None`` or 0 switches a limit off."""

    seconds: Optional[float] = DEFAULT_SECONDS
    memory_mb: Optional[int] = DEFAULT_MEMORY_MB
    pages: Optional[int] = DEFAULT_PAGES
    file_mb: Optional[float] = DEFAULT_FILE_MB

    @property
    def file_bytes(self) -> Optional[int]:
        return int(self.file_mb * 1024 * 1024) if self.file_mb else None


def file_size_error(size: int, limits: Limits) -> Optional[str]:
    """The error for a file over the size limit, else None."""
    cap = limits.file_bytes
    if cap and size > cap:
        return (f"limit: file size {size / 1048576:.1f} MB is over the {limits.file_mb:g} MB limit "
                f"(not read)")
    return None


def address_space() -> Optional[int]:
    """This process's virtual memory size in bytes (Linux ``/proc``), else None."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def apply_memory_limit(memory_mb: Optional[int]) -> Optional[int]:
    """Cap this process's address space at its current size plus
    ``memory_mb``; returns the cap in bytes, or None when no cap was set
    (limit off, no ``resource`` module, size unknown).  Meant for a worker
    process: the cap is inherited by its children (Tesseract) and cannot be
    raised again by an unprivileged process."""
    if not memory_mb:
        return None
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return None
    now = address_space()
    if now is None:
        return None
    cap = now + int(memory_mb) * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    if soft != resource.RLIM_INFINITY and soft <= cap:
        return soft
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    return cap


def memory_reason(memory_mb: Optional[int]) -> str:
    return (f"limit: memory — the document needed more than the {memory_mb} MB allowed per document"
            if memory_mb else "MemoryError: the document is too large to parse")


def cap_pdf_pages(data: bytes, pages: Optional[int]) -> tuple[bytes, Optional[str]]:
    """A PDF of more than ``pages`` pages cut to its first ``pages`` (pdfium
    copies them into a new file, so the PDF reader itself needs no limit),
    with the warning to record; the bytes unchanged otherwise, or when the
    file cannot be opened (the reader then reports why)."""
    if not pages or not data.startswith(b"%PDF"):
        return data, None
    try:
        import pypdfium2 as pdfium
        doc = pdfium.PdfDocument(data)
    except Exception:  # encrypted, corrupt: the reader says so
        return data, None
    try:
        n = len(doc)
        if n <= pages:
            return data, None
        new = pdfium.PdfDocument.new()
        try:
            new.import_pages(doc, list(range(pages)))
            buf = io.BytesIO()
            new.save(buf)
        finally:
            new.close()
        return buf.getvalue(), (f"limit: pages — {n} pages, only the first {pages} read "
                                f"(pages {pages + 1}–{n} left out)")
    except Exception:  # pragma: no cover - a damaged page tree: let the reader try
        return data, None
    finally:
        doc.close()
