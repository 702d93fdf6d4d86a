"""``vanban index``: walk folders, parse what changed, store one record per document.

A run has three phases:

1. **Check.** Walk the folders; every file whose format
   :func:`pipeline.ingest.sniff` recognizes (by its first bytes, or a known
   text extension) is read and hashed.  A file whose SHA-256 and parser
   version match the stored ones is not parsed again; a new or changed file
   whose content is already stored under another path (a copy, a move) gets
   that record copied; files that vanished from the folders are marked
   ``deleted`` (their rows stay); files that came back are unmarked.
2. **Parse.** The files left are parsed in worker processes: one
   (``workers=1``) or a pool of N (``workers=N``), run by :mod:`pebble`, which
   kills and replaces a worker stuck past the time limit or dead of a crash;
   or on a dask.distributed cluster (``dask=ADDRESS`` or ``"local"``; the file
   bytes travel with the task, so workers need no shared file system).  Every
   document is parsed under the limits of :mod:`pipeline.limits` (time,
   memory, pages, file size); a document that fails, yields no text or hits
   a limit gets an ``error`` row with the reason (``limit: …``,
   ``timeout: …``) and the run goes on.  ``isolate=False`` parses in this
   process instead (debugging; no memory limit, no protection from a crash).
3. **Store.** Only this process writes.  Results are stored as they arrive,
   in transactions of ``batch`` documents (or two seconds); each document's
   row is an upsert keyed by path plus a replacement of its child rows, so a
   ``kill -9`` at any moment loses at most the open transaction and a rerun
   finds those files unstored and parses them again: one row per document,
   never two.  After the last batch the citation graph is re-resolved when
   anything changed (a ``graph_dirty`` flag written in the same transactions
   makes this survive a crash too).

The parser version is ``pipeline.__version__`` plus a hash of the pipeline's
source, data and model files (everything under ``pipeline/`` except the store
and the command line), so editing a rule, a vocabulary or a model re-parses
the archive; it is computed once per run.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional, Union

from .. import limits as L
from . import graph, rows, schema

DEFAULT_TIMEOUT = 60.0
DEFAULT_BATCH = 50
DASK_CONNECT_TIMEOUT = "20s"
_COMMIT_SECONDS = 2.0
_HEAD = 4096


class RunError(RuntimeError):
    """The run itself failed (bad folder, unusable archive, unreachable
    cluster), as opposed to a document failing."""


@dataclass
class Result:
    """What a parse sends back to the writer."""

    path: str
    sha256: Optional[str]
    size: Optional[int]
    status: str                 # ok | unsupported | error
    error: Optional[str]
    record: str                 # the record as JSON, text included
    seconds: float
    copied: bool = False        # taken from the same content stored under another path


@dataclass
class IndexStats:
    files: int = 0              # files with a recognized format under the folders
    unchanged: int = 0          # same hash and parser version: only hashed
    new: int = 0
    changed: int = 0            # content or parser version changed
    parsed: int = 0
    copied: int = 0             # content already stored under another path
    ok: int = 0
    unsupported: int = 0
    errors: int = 0
    timeouts: int = 0
    deleted: int = 0            # marked deleted in this run
    restored: int = 0           # marked deleted before, present again
    seconds: float = 0.0
    parser_version: str = ""
    mode: str = "serial"
    error_list: list[tuple[str, str]] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # folders that could not be listed
    graph: dict[str, int] = field(default_factory=dict)

    @property
    def docs_per_second(self) -> float:
        return self.parsed / self.seconds if self.seconds else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["error_list"] = d["error_list"][:50]
        return d


# ---------------------------------------------------------------------------
# Parser version

_NOT_PARSER = {"store", "commands_store.py", "cli.py", "evaluate.py", "__pycache__"}


def parser_version() -> str:
    """``pipeline.__version__`` + a hash of every source, data and model file
    of the pipeline (the store and the command line excepted).  Files over
    8 MB (models) enter by name, size and modification time, not content."""
    import pipeline
    root = Path(pipeline.__file__).resolve().parent
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        dirnames[:] = sorted(d for d in dirnames if not (rel == Path(".") and d in _NOT_PARSER)
                             and d != "__pycache__" and not d.startswith("."))
        for name in sorted(filenames):
            if (rel == Path(".") and name in _NOT_PARSER) or name.endswith((".pyc", ".pyo")) or name.startswith("."):
                continue
            p = Path(dirpath) / name
            st = p.stat()
            h.update(str(rel / name).encode() + b"\0")
            if st.st_size > 8 << 20:
                h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
            else:
                h.update(p.read_bytes())
    return f"{pipeline.__version__}+{h.hexdigest()[:12]}"


# ---------------------------------------------------------------------------
# Which files

# suffixes that name a document even when the content does not say which
# format it is (a text file saved as .docx still parses)
_DOC_SUFFIXES = {".txt", ".text", ".md", ".markdown", ".htm", ".html", ".pdf", ".docx", ".docm", ".doc",
                 ".png", ".jpg", ".jpeg", ".tif", ".tiff"}


def recognized(path: Path, head: bytes) -> Optional[str]:
    """The format of a file as :func:`pipeline.ingest.sniff` tells it from
    the first bytes, or None when vanban does not take the file for a
    document: plain text under an unknown extension (``.py``, ``.json``, no
    extension) and zip archives that are not DOCX."""
    from .. import ingest
    suffix = path.suffix.lower()
    fmt = ingest.sniff(head, suffix)
    if fmt == "zip" and "zip" not in ingest.READERS:
        return None
    if fmt == "txt" and suffix not in _DOC_SUFFIXES and suffix not in getattr(ingest, "_TEXT_EXT", {}):
        return None
    return fmt


def walk(roots: Iterable[Path], unreadable: Optional[list[tuple[str, str]]] = None) -> Iterator[Path]:
    """Files under ``roots`` (folders walked recursively, hidden names skipped,
    symbolic links to folders not followed, so a link loop is harmless), as
    absolute paths, sorted.  Folders that cannot be listed are appended to
    ``unreadable`` as ``(path, reason)``."""
    def onerror(e: OSError) -> None:
        if unreadable is not None:
            unreadable.append((e.filename or "?", f"{type(e).__name__}: {e.strerror or e}"))

    for root in roots:
        root = Path(os.path.abspath(root))
        if root.is_file():
            yield root
            continue
        for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield Path(dirpath) / name


# ---------------------------------------------------------------------------
# Parsing one document (runs in workers)

class _Timeout(BaseException):
    """Raised by the alarm inside the parse.  A BaseException, like
    KeyboardInterrupt, so that a reader's ``except Exception`` (one bad page
    must not lose the document) does not swallow it and carry on."""


def _alarm(signum, frame):  # pragma: no cover - signal handler
    raise _Timeout()


def _parse(path: str, data: bytes, limits: Optional[L.Limits] = None) -> tuple[str, Optional[str], str]:
    """``(status, error, record JSON)``: ``error`` when no text could be read
    (the reader's reason: encrypted, corrupt, binary, empty…)."""
    from ..document import build_record
    from ..ingest import read
    note = None
    if limits is not None and limits.pages:
        whole = data
        data, note = L.cap_pdf_pages(data, limits.pages)
    src = read(path, data=data)
    if note:
        src.warnings.insert(0, note)
        src.sha256 = hashlib.sha256(whole).hexdigest()  # the file's hash, not the cut copy's
    rec = build_record(src)
    if any(w.startswith("unsupported format") for w in rec.warnings):
        return "unsupported", None, rec.to_json(with_text=True)
    if not rec.text.strip():
        return "error", "; ".join(rec.warnings) or "empty document: no text", rec.to_json(with_text=True)
    return "ok", None, rec.to_json(with_text=True)


def _error_record(path: str, sha: Optional[str], reason: str) -> str:
    from ..record import Record
    return Record(path=path, sha256=sha, warnings=[f"parse error: {reason}"]).to_json(with_text=True)


def parse_job(path: str, data: Optional[bytes] = None, timeout: Optional[float] = DEFAULT_TIMEOUT,
              limits: Optional[L.Limits] = None) -> Result:
    """Parse one file (its bytes when given, else read from ``path``) within
    ``timeout`` seconds and the page and file-size ``limits``; never raises.
    In a main thread the limit is a SIGALRM that interrupts the parse;
    elsewhere (dask worker threads) the parse runs in a helper thread that is
    abandoned when it overruns."""
    t0 = time.perf_counter()
    sha = size = None
    memory_mb = limits.memory_mb if limits is not None else None
    try:
        if data is None:
            too_big = L.file_size_error(os.stat(path).st_size, limits) if limits is not None else None
            if too_big:
                sha, size = _hash_file(path)
                return Result(path, sha, size, "error", too_big, _error_record(path, sha, too_big),
                              time.perf_counter() - t0)
            data = Path(path).read_bytes()
        sha, size = hashlib.sha256(data).hexdigest(), len(data)
        too_big = L.file_size_error(size, limits) if limits is not None else None
        if too_big:
            return Result(path, sha, size, "error", too_big, _error_record(path, sha, too_big),
                          time.perf_counter() - t0)
        if not timeout:
            status, error, js = _parse(path, data, limits)
        elif threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
            old = signal.signal(signal.SIGALRM, _alarm)
            # repeating: an alarm whose exception is swallowed (it landed in a
            # finalizer run by the garbage collector) comes again 0.1 s later
            signal.setitimer(signal.ITIMER_REAL, timeout, 0.1)
            try:
                status, error, js = _parse(path, data, limits)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
        else:
            box: dict[str, Any] = {}

            def run():
                try:
                    box["r"] = _parse(path, data, limits)
                except BaseException as e:  # noqa: BLE001 - reported as the document's error
                    box["e"] = e

            th = threading.Thread(target=run, daemon=True, name=f"vanban-parse {Path(path).name}")
            th.start()
            th.join(timeout)
            if th.is_alive():
                raise _Timeout()
            if "e" in box:
                raise box["e"]
            status, error, js = box["r"]
        return Result(path, sha, size, status, error, js, time.perf_counter() - t0)
    except _Timeout:
        reason = f"timeout: parsing took longer than {timeout:g} s"
    except MemoryError:
        reason = L.memory_reason(memory_mb)
    except Exception as e:  # a bad document must not stop the run
        reason = f"{type(e).__name__}: {e}"
    return Result(path, sha, size, "error", reason, _error_record(path, sha, reason), time.perf_counter() - t0)


def _hash_file(path: str) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _parse_chunk(jobs: list[tuple[str, bytes]], timeout: Optional[float],
                 limits: Optional[L.Limits] = None) -> list[Result]:
    return [parse_job(p, d, timeout, limits) for p, d in jobs]


def _init_worker(memory_mb: Optional[int]) -> None:
    """Runs once in every pool worker: the per-document memory limit, then
    the lazily loaded tables and models, so that no document's time limit
    pays for them."""
    L.apply_memory_limit(memory_mb)
    warm_up()


def warm_up() -> None:
    """Load what the parse loads on first use (vocabularies, the place table,
    the area model) now, once per process; a failure here is left for the
    parse to report."""
    try:
        from ..classify import default_model
        from ..extract import province
        from ..vocab import vocab
        vocab()
        province.table()
        default_model()
    except Exception:  # noqa: BLE001 - the first parse reports it as a warning
        pass


# ---------------------------------------------------------------------------
# Executors: each yields Results as they complete

def _serial(paths: list[str], timeout: Optional[float], limits: Optional[L.Limits] = None) -> Iterator[Result]:
    if paths:
        warm_up()
    for p in paths:
        yield parse_job(p, None, timeout, limits)


KILL_GRACE = 5.0  # seconds past the time limit before a stuck worker is killed


def _pool(paths: list[str], timeout: Optional[float], workers: int,
          limits: Optional[L.Limits] = None) -> Iterator[Result]:
    """A pebble process pool: the worker's own alarm gives a clean timeout;
    pebble's timeout (``KILL_GRACE`` seconds later) kills a worker stuck where
    the alarm cannot reach (inside C code) and starts a fresh one, as it does
    for a worker that died (a crash in a C library, the memory limit)."""
    from concurrent.futures import FIRST_COMPLETED, TimeoutError as FutTimeout, wait
    from pebble import ProcessExpired, ProcessPool
    hard = None if not timeout else timeout + KILL_GRACE
    window = workers * 4
    todo = iter(paths)
    memory_mb = limits.memory_mb if limits is not None else None
    with ProcessPool(max_workers=workers, initializer=_init_worker, initargs=(memory_mb,)) as pool:
        running: dict[Any, str] = {}

        def fill():
            for p in todo:
                running[pool.schedule(parse_job, args=(p, None, timeout, limits), timeout=hard)] = p
                if len(running) >= window:
                    break

        fill()
        while running:
            done, _ = wait(list(running), return_when=FIRST_COMPLETED)
            for fut in done:
                p = running.pop(fut)
                try:
                    yield fut.result()
                except FutTimeout:
                    reason = f"timeout: parsing took longer than {hard:g} s (worker killed)"
                    yield _lost(p, reason, hard or 0.0)
                except ProcessExpired as e:
                    reason = f"worker crashed while parsing (exit code {e.exitcode})"
                    if memory_mb:
                        reason += f"; a reader may have failed on the {memory_mb} MB memory limit"
                    yield _lost(p, reason, 0.0)
                except Exception as e:  # noqa: BLE001
                    reason = f"{type(e).__name__}: {e}"
                    yield Result(p, None, None, "error", reason, _error_record(p, None, reason), 0.0)
            fill()


def _lost(path: str, reason: str, seconds: float) -> Result:
    """The error row of a document whose worker was killed or died: hashed
    here, so that an unchanged file is not tried again every run (unless
    ``retry_errors``), like any other failed document."""
    try:
        sha, size = _hash_file(path)
    except OSError:
        sha = size = None
    return Result(path, sha, size, "error", reason, _error_record(path, sha, reason), seconds)


def _dask(paths: list[str], timeout: Optional[float], address: Any, workers: int,
          chunk: int = 4, limits: Optional[L.Limits] = None) -> Iterator[Result]:
    """Parse on a dask.distributed cluster: ``address`` is a scheduler
    address, ``"local"`` (a LocalCluster of ``workers`` processes) or a
    ``distributed.Client``.  Tasks carry the file bytes; a bounded number are
    in flight, so memory stays flat on big folders."""
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as e:  # pragma: no cover - dask is a dependency
        raise RunError("dask.distributed is not installed: pip install 'dask[distributed]'") from e
    own_client = own_cluster = None
    try:
        if isinstance(address, Client):
            client = address
        elif address == "local":
            import logging
            logging.getLogger("distributed").setLevel(logging.ERROR)  # its INFO lines would break the progress bar
            own_cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)
            client = own_client = Client(own_cluster)
        else:
            client = own_client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
    except Exception as e:
        if own_cluster is not None:
            own_cluster.close()
        raise RunError(f"cannot reach the dask scheduler {address!r}: {e}") from e
    try:
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = max(4, n_workers * 4)
        todo = iter(paths)
        ac = as_completed()
        inflight: dict[Any, list[str]] = {}

        def submit() -> bool:
            jobs = []
            for p in todo:
                try:
                    jobs.append((p, Path(p).read_bytes()))
                except OSError:
                    jobs.append((p, None))  # the worker tries again and reports the error
                if len(jobs) >= chunk:
                    break
            if not jobs:
                return False
            fut = client.submit(_parse_chunk, jobs, timeout, limits, pure=False)
            inflight[fut] = [p for p, _ in jobs]
            ac.add(fut)
            return True

        while len(inflight) < window and submit():
            pass
        for fut in ac:
            ps = inflight.pop(fut)
            try:
                yield from fut.result()
            except Exception as e:  # noqa: BLE001 - a worker died on these documents (KilledWorker…)
                reason = f"{type(e).__name__}: {e}"
                for p in ps:
                    yield Result(p, None, None, "error", reason, _error_record(p, None, reason), 0.0)
            while len(inflight) < window and submit():
                pass
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# ---------------------------------------------------------------------------
# Writing

_DOC_INSERT = None


def _doc_sql() -> str:
    global _DOC_INSERT
    if _DOC_INSERT is None:
        cols = ("path", "sha256", "size", "parser_version", "status", "error", "deleted", "deleted_at",
                "indexed_at", "parse_seconds", *rows.DOC_COLUMNS, "record")
        _DOC_INSERT = (f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
                       f"ON CONFLICT(path) DO UPDATE SET "
                       f"{', '.join(f'{c} = excluded.{c}' for c in cols if c != 'path')} RETURNING id")
    return _DOC_INSERT


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def store_record(conn, path: str, rec_json: str, *, sha: Optional[str], size: Optional[int], version: str,
                 status: str, error: Optional[str], seconds: Optional[float]) -> int:
    """Upsert one document and replace its child rows (inside the caller's transaction)."""
    rec = json.loads(rec_json)
    rec["path"] = path
    if sha and not rec.get("sha256"):
        rec["sha256"] = sha
    cols = rows.document_columns(rec)
    doc_id = conn.execute(_doc_sql(), (path, rec.get("sha256") or sha, size, version, status, error, 0, None,
                                       _now(), seconds, *(cols[c] for c in rows.DOC_COLUMNS),
                                       json.dumps(rec, ensure_ascii=False))).fetchone()[0]
    for t in ("refs", "back_refs", "items", "recipients", "signers", "areas"):
        conn.execute(f"DELETE FROM {t} WHERE doc_id = ?", (doc_id,))
    conn.execute("DELETE FROM documents_fts WHERE rowid = ?", (doc_id,))
    refs = rows.ref_rows(rec)
    conn.executemany("INSERT INTO refs (doc_id, ord, doc_type, number, number_key, date, issuer, subject, name, "
                     "text, span_start, span_end, basis_kind) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     [(doc_id, *r) for r in refs])
    conn.executemany("INSERT INTO back_refs (doc_id, ord, text, doc_type, serial, span_start, span_end, kind, "
                     "ref_ord) VALUES (?,?,?,?,?,?,?,?,?)", [(doc_id, *b) for b in graph.find_back_refs(rec, refs)])
    conn.executemany("INSERT INTO items (doc_id, ord, parent_ord, depth, label, kind, main, text, span_start, "
                     "span_end) VALUES (?,?,?,?,?,?,?,?,?,?)", [(doc_id, *r) for r in rows.item_rows(rec)])
    conn.executemany("INSERT INTO recipients (doc_id, ord, kind, text, purpose, archive) VALUES (?,?,?,?,?,?)",
                     [(doc_id, *r) for r in rows.recipient_rows(rec)])
    conn.executemany("INSERT INTO signers (doc_id, ord, authority, on_behalf_of, title, position, name, prefixes) "
                     "VALUES (?,?,?,?,?,?,?,?)", [(doc_id, *r) for r in rows.signer_rows(rec)])
    conn.executemany("INSERT INTO areas (doc_id, item_ord, label, score) VALUES (?,?,?,?)",
                     [(doc_id, *r) for r in rows.area_rows(rec)])
    conn.execute("INSERT INTO documents_fts (rowid, title, body, issuer, title_f, body_f, issuer_f) "
                 "VALUES (?,?,?,?,?,?,?)", (doc_id, *rows.fts_row(rec)))
    return doc_id


def _set_dirty(conn, value: int) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES ('graph_dirty', ?) "
                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (str(value),))


# ---------------------------------------------------------------------------
# The run

Progress = Callable[[str, dict], None]


def index(roots: Iterable[Union[str, os.PathLike]], db: Union[str, os.PathLike], *, workers: int = 1,
          dask: Any = None, timeout: Optional[float] = DEFAULT_TIMEOUT, batch: int = DEFAULT_BATCH,
          retry_errors: bool = False, progress: Optional[Progress] = None,
          memory_mb: Optional[int] = L.DEFAULT_MEMORY_MB, max_pages: Optional[int] = L.DEFAULT_PAGES,
          max_file_mb: Optional[float] = L.DEFAULT_FILE_MB, isolate: bool = True) -> IndexStats:
    """Index the documents under ``roots`` into the archive ``db``; see the
    module docstring.  ``timeout``, ``memory_mb``, ``max_pages`` and
    ``max_file_mb`` are the per-document limits (:mod:`pipeline.limits`;
    None switches one off; the memory limit needs ``isolate``, and applies
    to local workers, not to a dask cluster).  ``progress(event, info)`` is
    called with ``"check"`` (info: files), ``"start"`` (info: total to
    parse), ``"doc"`` (info: result, stats) and ``"done"``.  Raises
    :class:`RunError` when the run itself cannot proceed; a document's
    failure is an ``error`` row."""
    t0 = time.perf_counter()
    roots = [Path(os.path.abspath(r)) for r in roots]
    missing = [str(r) for r in roots if not r.exists()]
    if missing:
        raise RunError(f"no such folder: {', '.join(missing)}")
    if not roots:
        raise RunError("no folder to index")
    mode = "dask" if dask is not None else ("pool" if workers > 1 else "serial")
    limits = L.Limits(seconds=timeout, memory_mb=memory_mb if isolate else None, pages=max_pages,
                      file_mb=max_file_mb)
    stats = IndexStats(mode=mode)
    note = progress or (lambda event, info: None)
    try:
        conn = schema.connect(str(db))
    except Exception as e:
        raise RunError(f"cannot open the archive {db}: {e}") from e
    run_id = None
    try:
        stats.parser_version = version = parser_version()
        run_id = conn.execute("INSERT INTO runs (started_at, roots, parser_version, mode, status) "
                              "VALUES (?, ?, ?, ?, 'running') RETURNING id",
                              (_now(), json.dumps([str(r) for r in roots]), version, mode)).fetchone()[0]
        to_parse, copies, restore, seen = _check(conn, roots, version, retry_errors, stats, note)
        note("start", {"total": len(to_parse) + len(copies), "stats": stats})
        _write(conn, _copy_results(conn, copies, version), version, batch, stats, note)
        to_parse, refused = _refuse_oversize(to_parse, limits)
        _write(conn, refused, version, batch, stats, note)
        if dask is not None:
            results = _dask(to_parse, timeout, dask, workers, limits=limits)
        elif workers > 1 or isolate:
            results = _pool(to_parse, timeout, max(1, workers), limits)
        else:
            results = _serial(to_parse, timeout, limits)
        _write(conn, results, version, batch, stats, note)
        _finish_marks(conn, roots, seen, restore, stats)
        dirty = conn.execute("SELECT value FROM meta WHERE key = 'graph_dirty'").fetchone()
        if dirty is not None and dirty[0] == "1":
            conn.execute("BEGIN IMMEDIATE")
            stats.graph = graph.resolve(conn)
            _set_dirty(conn, 0)
            conn.execute("COMMIT")
        stats.seconds = time.perf_counter() - t0
        conn.execute("UPDATE runs SET finished_at = ?, status = 'done', stats = ? WHERE id = ?",
                     (_now(), json.dumps(stats.to_dict(), ensure_ascii=False), run_id))
        note("done", {"stats": stats})
        return stats
    except KeyboardInterrupt:
        if conn.in_transaction:
            conn.execute("COMMIT")  # what was stored is complete: keep it
        _end_run(conn, run_id, "interrupted", stats)
        raise
    except Exception as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        _end_run(conn, run_id, f"failed: {e}", stats)
        if isinstance(e, RunError):
            raise
        raise RunError(f"{type(e).__name__}: {e}") from e
    finally:
        conn.close()


def _end_run(conn, run_id: Optional[int], status: str, stats: IndexStats) -> None:
    if run_id is None:
        return
    try:
        conn.execute("UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                     (_now(), status, json.dumps(stats.to_dict(), ensure_ascii=False), run_id))
    except sqlite3.Error:  # the archive itself is the problem: nothing to record it in
        pass


def _check(conn, roots: list[Path], version: str, retry_errors: bool, stats: IndexStats,
           note: Progress) -> tuple[list[str], list[tuple[str, int, str, int]], list[str], set[str]]:
    """Phase 1: hash every recognized file and sort it into unchanged, to
    parse, or copy-from-another-path; returns (to_parse, copies, restore,
    every path seen)."""
    known = {r[0]: r[1:] for r in conn.execute(
        "SELECT path, sha256, parser_version, status, deleted FROM documents")}
    by_hash = {r[0]: r[1] for r in conn.execute(
        "SELECT sha256, id FROM documents WHERE parser_version = ? AND status != 'error' AND sha256 IS NOT NULL",
        (version,))}
    to_parse: list[str] = []
    copies: list[tuple[str, int, str, int]] = []
    restore: list[str] = []
    seen: set[str] = set()
    for p in walk(roots, stats.unreadable):
        sp = str(p)
        if sp in seen:
            continue
        seen.add(sp)
        try:
            with open(p, "rb") as fh:
                head = fh.read(_HEAD)
                if recognized(p, head) is None:
                    continue
                h = hashlib.sha256(head)
                size = len(head)
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
                    size += len(chunk)
        except OSError:
            stats.files += 1
            to_parse.append(sp)  # parse_job reports the read error as the document's error
            continue
        stats.files += 1
        sha = h.hexdigest()
        old = known.get(sp)
        if old is not None and old[0] == sha and old[1] == version and not (retry_errors and old[2] == "error"):
            stats.unchanged += 1
            if old[3]:
                restore.append(sp)
            continue
        if old is None:
            stats.new += 1
        else:
            stats.changed += 1
        if sha in by_hash:
            copies.append((sp, by_hash[sha], sha, size))
        else:
            to_parse.append(sp)
        if stats.files % 200 == 0:
            note("check", {"files": stats.files})
    return to_parse, copies, restore, seen


def _refuse_oversize(paths: list[str], limits: L.Limits) -> tuple[list[str], Iterator[Result]]:
    """Split off the files over the size limit: they get their error row
    here, hashed but never read whole or sent to a worker."""
    keep, big = [], []
    for p in paths:
        try:
            over = L.file_size_error(os.stat(p).st_size, limits)
        except OSError:
            over = None  # parse_job reports it
        (big if over else keep).append(p)

    def results() -> Iterator[Result]:
        for p in big:
            yield parse_job(p, None, None, limits)
    return keep, results()


def _copy_results(conn, copies: list[tuple[str, int, str, int]], version: str) -> Iterator[Result]:
    for path, src_id, sha, size in copies:
        row = conn.execute("SELECT record, status, error, sha256 FROM documents WHERE id = ?", (src_id,)).fetchone()
        if row is None or row["sha256"] != sha:  # pragma: no cover - changed under us
            yield parse_job(path, None, None)
            continue
        yield Result(path, sha, size, row["status"], row["error"], row["record"], 0.0, copied=True)


def _write(conn, results: Iterable[Result], version: str, batch: int, stats: IndexStats, note: Progress) -> None:
    """Store results in transactions of ``batch`` documents or two seconds."""
    pending = 0
    last = time.monotonic()
    for r in results:
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")
            _set_dirty(conn, 1)
        store_record(conn, r.path, r.record, sha=r.sha256, size=r.size, version=version, status=r.status,
                     error=r.error, seconds=r.seconds)
        _count(stats, r)
        pending += 1
        note("doc", {"result": r, "stats": stats})
        if pending >= batch or time.monotonic() - last >= _COMMIT_SECONDS:
            conn.execute("COMMIT")
            pending, last = 0, time.monotonic()
    if conn.in_transaction:
        conn.execute("COMMIT")


def _count(stats: IndexStats, r: Result) -> None:
    if r.copied:
        stats.copied += 1
    else:
        stats.parsed += 1
    if r.status == "ok":
        stats.ok += 1
    elif r.status == "unsupported":
        stats.unsupported += 1
    else:
        stats.errors += 1
        stats.timeouts += bool(r.error and r.error.startswith("timeout"))
        stats.error_list.append((r.path, r.error or ""))


def _finish_marks(conn, roots: list[Path], seen: set[str], restore: list[str], stats: IndexStats) -> None:
    """Mark files that left the folders deleted; unmark those that came back.
    Files under a folder that could not be listed are left as they were."""
    gone = []
    blind = tuple(str(d).rstrip(os.sep) + os.sep for d, _ in stats.unreadable)
    for root in roots:
        prefix = str(root) if root.is_file() else str(root).rstrip(os.sep) + os.sep
        for (path,) in conn.execute("SELECT path FROM documents WHERE deleted = 0 AND (path = ? OR substr(path, 1, ?) = ?)",
                                    (prefix, len(prefix), prefix)):
            if path not in seen and not path.startswith(blind):
                gone.append(path)
    if not gone and not restore:
        return
    conn.execute("BEGIN IMMEDIATE")
    now = _now()
    conn.executemany("UPDATE documents SET deleted = 1, deleted_at = ? WHERE path = ?", [(now, p) for p in gone])
    conn.executemany("UPDATE documents SET deleted = 0, deleted_at = NULL WHERE path = ?", [(p,) for p in restore])
    _set_dirty(conn, 1)
    conn.execute("COMMIT")
    stats.deleted += len(gone)
    stats.restored += len(restore)
