"""The ``vanban`` command line (typer + rich).

    vanban parse FILE... [--format json|jsonl|table] [--text]
    vanban schema
    vanban evaluate GOLD.jsonl --docs DIR [--format-filter txt] [--json] [--failures FIELD]
"""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

from . import __version__

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="vanban: Vietnamese administrative documents → structured records.")
out = Console()
err = Console(stderr=True)


class OutFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    table = "table"


def _version(value: bool) -> None:
    if value:
        out.print(f"vanban {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    pass


def _expand(paths: List[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.is_file() and not q.name.startswith(".")))
        else:
            files.append(p)
    return files


@app.command()
def parse(paths: List[Path] = typer.Argument(..., help="Files or folders to parse."),
          format: OutFormat = typer.Option(OutFormat.json, "--format", "-f", help="Output format."),
          text: bool = typer.Option(False, "--text", help="Include the document text in JSON output.")) -> None:
    """Parse documents and print one record per document."""
    from . import parse_many
    files = _expand(paths)
    records = parse_many(files)
    if format is OutFormat.table:
        t = Table("path", "type", "number", "date", "place", "issuer", "title", "warnings", show_lines=True)
        for r in records:
            t.add_row(r.path or "", r.doc_type or "", r.number or "", r.date or "", r.place or "",
                      r.issuer or "", (r.title or "")[:80], "\n".join(r.warnings))
        out.print(t)
        return
    for i, (p, r) in enumerate(zip(files, records)):
        r.path = str(p)  # the path as given
        if format is OutFormat.jsonl:
            sys.stdout.write(r.to_json(with_text=text) + "\n")
        else:
            sys.stdout.write(r.to_json(with_text=text, indent=2) + "\n")
    sys.stdout.flush()


@app.command()
def schema() -> None:
    """Print the JSON Schema of a record."""
    from .record import json_schema
    sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")


@app.command()
def evaluate(gold: Path = typer.Argument(..., exists=True, help="A gold.jsonl file (GOLD_FORMAT.md)."),
             docs: Optional[Path] = typer.Option(None, "--docs", help="Folder the gold `file` paths are relative to "
                                                                       "(default: the gold file's folder)."),
             fmt: Optional[List[str]] = typer.Option(None, "--only-format", help="Score only these formats."),
             as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
             documents: bool = typer.Option(False, "--documents", help="With --json: per-document results."),
             failures: Optional[str] = typer.Option(None, "--failures", help="List the failures of FIELD."),
             limit: int = typer.Option(20, "--limit", help="How many failures to list."),
             areas: bool = typer.Option(False, "--areas", help="Score the area classifier instead: GOLD is an "
                                                               "areas file (train.jsonl: cross-validation) or a "
                                                               "gold.jsonl with areas (the shipped model).")) -> None:
    """Score the parser against gold, GROBID-style: per field strict/soft/fuzzy
    accuracy, list P/R/F1, whole-header accuracy, by format."""
    if areas:
        from .commands_classify import evaluate_areas
        evaluate_areas(gold, docs, fmt or None, as_json, out)
        return
    from .evaluate import evaluate as run, render, render_failures
    report = run(gold, docs, formats=fmt or None)
    if as_json:
        sys.stdout.write(json.dumps(report.to_dict(documents=documents), ensure_ascii=False, indent=2) + "\n")
        return
    render(report, out)
    if failures:
        render_failures(report, out, field=failures, limit=limit)


from .commands_store import register as _register_store  # noqa: E402  (index, search, show, export)

_register_store(app)

from .commands_view import register as _register_view  # noqa: E402  (view: one document as HTML)

_register_view(app)

from .commands_classify import register as _register_classify  # noqa: E402  (train; evaluate --areas)

_register_classify(app)


if __name__ == "__main__":  # pragma: no cover
    app()
