"""The archive commands of ``vanban``: ``index``, ``search``, ``show``, ``export``.

    vanban index DIR... [--db archive.sqlite] [--workers N] [--dask ADDR|local] [--quiet]
    vanban search [QUERY] [--db …] [--type T] [--issuer I] [--year Y] [--area A] [--province P]
    vanban show NUMBER|PATH|#ID [--db …] [--text]
    vanban export --to jsonl|csv|parquet [--db …] [--table documents] [--out FILE]

``register(app)`` adds them to the main typer app (``pipeline/cli.py``).  The
work is in ``pipeline/store``; this module only parses options and prints.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

DB_HELP = "The archive file (SQLite)."
DEFAULT_DB = Path("archive.sqlite")


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class SearchFormat(str, Enum):
    table = "table"
    jsonl = "jsonl"


def _consoles():
    from .cli import err, out
    return out, err


def _open(db: Path):
    from .store import Archive
    _, err = _consoles()
    try:
        return Archive(db)
    except FileNotFoundError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(1)
    except Exception as e:  # not an archive, newer schema…
        err.print(f"[red]error:[/] cannot open {db}: {e}")
        raise typer.Exit(1)


# ---------------------------------------------------------------------------
# index

def index_cmd(dirs: List[Path] = typer.Argument(..., help="Folders (or files) to index."),
              db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
              workers: int = typer.Option(1, "--workers", "-w", min=1,
                                          help="Parse in N local processes (with --dask local: N dask workers)."),
              dask: Optional[str] = typer.Option(None, "--dask", metavar="ADDR|local",
                                                 help="Parse on a dask.distributed cluster: a scheduler address "
                                                      "(tcp://host:8786) or 'local'."),
              timeout: float = typer.Option(60.0, "--timeout", min=0.0,
                                            help="Time limit per document in seconds (0: none)."),
              batch: int = typer.Option(50, "--batch", min=1, help="Documents per committed transaction."),
              retry_errors: bool = typer.Option(False, "--retry-errors",
                                                help="Parse again unchanged files whose last parse failed."),
              quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress and no summary (for cron).")
              ) -> None:
    """Index documents into an archive: parse new and changed files, mark
    deleted ones, resolve the citation graph.  Exit code 0 unless the run
    itself failed (a document that fails gets an error row)."""
    from .store import RunError, index
    out, err = _consoles()
    progress = None if quiet else _Progress(err)
    try:
        if progress:
            progress.begin()
        stats = index(dirs, db, workers=workers, dask=dask, timeout=timeout or None, batch=batch,
                      retry_errors=retry_errors, progress=progress)
    except RunError as e:
        err.print(f"[red]error:[/] {e}")
        raise typer.Exit(1)
    except KeyboardInterrupt:
        err.print("[yellow]interrupted[/]: the documents stored so far are kept; run again to continue")
        raise typer.Exit(130)
    finally:
        if progress:
            progress.end()
    if not quiet:
        _summary(out, stats, db)


class _Progress:
    """rich progress for :func:`pipeline.store.index`: files/s, errors, ETA."""

    def __init__(self, console: Console):
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                                   TimeRemainingColumn)
        self.p = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[rate]:>6.1f} files/s"),
                          TextColumn("[red]{task.fields[errors]} errors"), TextColumn("ETA"), TimeRemainingColumn(),
                          console=console, transient=True)
        self.task = None
        self.t0 = 0.0

    def begin(self):
        import time
        self.p.start()
        self.task = self.p.add_task("checking files", total=None, rate=0.0, errors=0)
        self.t0 = time.perf_counter()

    def end(self):
        self.p.stop()

    def __call__(self, event: str, info: dict) -> None:
        import time
        if event == "check":
            self.p.update(self.task, description=f"checking files ({info['files']})")
        elif event == "start":
            self.t0 = time.perf_counter()
            st = info["stats"]
            self.p.update(self.task, description=f"parsing ({st.unchanged} unchanged)", total=info["total"],
                          completed=0)
        elif event == "doc":
            st = info["stats"]
            done = st.parsed + st.copied
            dt = time.perf_counter() - self.t0
            self.p.update(self.task, completed=done, rate=done / dt if dt > 0 else 0.0, errors=st.errors)


def _summary(out: Console, st, db: Path) -> None:
    t = Table(title=f"vanban index → {db}", title_justify="left", show_header=False, box=None, padding=(0, 2))
    t.add_column(style="bold")
    t.add_column(justify="right")
    for k, v in (("files", st.files), ("unchanged (hash only)", st.unchanged), ("new", st.new),
                 ("changed", st.changed), ("parsed", st.parsed), ("copied (same content)", st.copied),
                 ("stored ok", st.ok), ("unsupported format", st.unsupported), ("errors", st.errors),
                 ("  of which timeouts", st.timeouts), ("marked deleted", st.deleted), ("restored", st.restored)):
        if v or k in ("files", "parsed", "errors"):
            t.add_row(k, str(v))
    if st.graph:
        t.add_row("references resolved", f"{st.graph.get('resolved', 0)} of {st.graph.get('refs', 0)}")
    rate = f"  ({st.docs_per_second:.1f} docs/s)" if st.parsed else ""
    t.add_row("time", f"{st.seconds:.2f} s{rate}")
    t.add_row("mode", st.mode)
    out.print(t)
    for path, reason in st.error_list[:10]:
        out.print(f"[red]error[/] {path}: {reason}")
    if len(st.error_list) > 10:
        out.print(f"… and {len(st.error_list) - 10} more (vanban export --to csv | grep error)")


# ---------------------------------------------------------------------------
# search

def search_cmd(query: str = typer.Argument("", help="Words or \"a phrase\", with or without diacritics; "
                                                     "empty: list by the filters."),
               db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
               doc_type: Optional[str] = typer.Option(None, "--type", help="Document type (Quyết định, "
                                                                           "'cong van'…)."),
               issuer: Optional[str] = typer.Option(None, "--issuer", help="Part of the issuer's name."),
               year: Optional[int] = typer.Option(None, "--year", help="Year of issue."),
               area: Optional[str] = typer.Option(None, "--area", help="Subject area."),
               province: Optional[str] = typer.Option(None, "--province", help="Province after the 2025 merger "
                                                      "('Quang Ngai' also finds former Kon Tum)."),
               limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many results."),
               fmt: SearchFormat = typer.Option(SearchFormat.table, "--format", "-f", help="Output format."),
               include_deleted: bool = typer.Option(False, "--include-deleted", help="Also deleted files.")) -> None:
    """Full-text search over title, body and issuer."""
    import json
    from .store.archive import query_terms, snippet
    out, _ = _consoles()
    a = _open(db)
    try:
        df = a.search(query, doc_type=doc_type, issuer=issuer, year=year, area=area, province=province, limit=limit,
                      include_deleted=include_deleted)
        if fmt is SearchFormat.jsonl:
            for row in df.to_dict(orient="records"):
                sys.stdout.write(json.dumps({k: (None if v != v else v) for k, v in row.items()},
                                            ensure_ascii=False) + "\n")
            return
        if df.empty:
            out.print("no documents found")
            return
        terms = query_terms(query)
        t = Table("#", "document", "date", "issuer", "title / match", show_lines=True, expand=True)
        for row in df.itertuples():
            cell = Text(str(row.title or ""), style="bold")
            if terms:
                body = a.conn.execute("SELECT body FROM documents_fts WHERE rowid = ?", (row.id,)).fetchone()
                snip, spans = snippet(body[0] if body else "", terms, avoid=row.title if isinstance(row.title, str) else None)
                if snip:
                    s = Text(snip)
                    for b, e in spans:
                        s.stylize("bold yellow", b, e)
                    cell.append("\n")
                    cell.append(s)
            name = " ".join(x for x in (row.doc_type, row.number) if isinstance(x, str)) or _short(row.path)
            t.add_row(str(row.id), f"{name}\n[dim]{_short(row.path)}[/]", row.date or "",
                      row.issuer if isinstance(row.issuer, str) else "", cell)
        out.print(t)
    finally:
        a.close()


def _short(path: str) -> str:
    from .store.view import _rel
    return _rel(path)


# ---------------------------------------------------------------------------
# show

def resolve_target(a, target: str) -> list[int]:
    """Ids for ``#ID``, a number or a path."""
    t = target.strip()
    if t.startswith("#") and t[1:].isdigit():
        return a.find(int(t[1:]))
    return a.find(t)


def show_cmd(target: str = typer.Argument(..., help="A số và ký hiệu (4127/QĐ-UBND), a path, or #ID."),
             db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
             text: bool = typer.Option(False, "--text", help="Also print the document text."),
             html: Optional[Path] = typer.Option(None, "--html",
                                                 help="Also write the document as an HTML page: the text with every "
                                                      "extracted field highlighted, the record beside it.")) -> None:
    """Show a stored document: fields, references and who cites it, items,
    recipients, signers, warnings; ``--html`` writes the visual view."""
    from .store.view import document_view, render_terminal
    out, err = _consoles()
    a = _open(db)
    try:
        ids = resolve_target(a, target)
        if not ids:
            err.print(f"[red]error:[/] no document {target!r} in {db}")
            raise typer.Exit(1)
        render_terminal(document_view(a, ids[0]), out, full_text=text)
        if html is not None:
            from .view import render_html
            html.write_text(render_html(a.record(ids[0])), encoding="utf-8")
            out.print(f"wrote {html}")
        if len(ids) > 1:
            others = ", ".join(f"#{i}" for i in ids[1:])
            out.print(f"[yellow]{len(ids) - 1} more document(s) match {target!r}:[/] {others} (vanban show '#ID')")
    finally:
        a.close()


# ---------------------------------------------------------------------------
# export

def export_cmd(to: ExportFormat = typer.Option(..., "--to", help="Output format."),
               db: Path = typer.Option(DEFAULT_DB, "--db", help=DB_HELP),
               out_path: Optional[Path] = typer.Option(None, "--out", "-o",
                                                       help="Output file (default: standard output; "
                                                            "parquet needs a file)."),
               table: str = typer.Option("documents", "--table",
                                         help="documents, references, back_references, items, recipients, "
                                              "signers or areas."),
               include_deleted: bool = typer.Option(False, "--include-deleted", help="Also deleted files."),
               text: bool = typer.Option(False, "--text", help="jsonl records: keep the document text.")) -> None:
    """Export the archive: records as JSON Lines, or a table as CSV/Parquet/JSON Lines."""
    from .store.archive import TABLES, export
    _, err = _consoles()
    if table not in TABLES:
        err.print(f"[red]error:[/] unknown table {table!r}; one of {', '.join(TABLES)}")
        raise typer.Exit(2)
    if to is ExportFormat.parquet and out_path is None:
        err.print("[red]error:[/] parquet is binary: give --out FILE.parquet")
        raise typer.Exit(2)
    a = _open(db)
    try:
        n = export(a, to.value, str(out_path) if out_path else sys.stdout, table=table,
                   include_deleted=include_deleted, with_text=text)
        sys.stdout.flush()
    finally:
        a.close()
    if out_path:
        err.print(f"{n} rows → {out_path}")


def register(app: typer.Typer) -> None:
    """Add the archive commands to ``app``."""
    app.command("index")(index_cmd)
    app.command("search")(search_cmd)
    app.command("show")(show_cmd)
    app.command("export")(export_cmd)
