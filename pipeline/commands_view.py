"""The ``vanban view`` command: one document as an HTML page.

    vanban view FILE [--html out.html] [--png out.png]

Parses FILE and writes the page of :func:`pipeline.view.render_html` (the
text with every extracted value highlighted and labelled, the record beside
it, provenance and warnings) to ``--html`` (default: standard output).
``--png`` also takes a screenshot with headless Chromium when it is installed.
``register(app)`` adds the command to the main typer app (``pipeline/cli.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer


def view_cmd(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The document to show."),
             html: Optional[Path] = typer.Option(None, "--html", help="Write the page here "
                                                                      "(default: standard output)."),
             png: Optional[Path] = typer.Option(None, "--png", help="Also write a screenshot (needs Chromium)."),
             width: int = typer.Option(1400, "--width", min=400, help="Screenshot width in pixels."),
             height: int = typer.Option(1800, "--height", min=300, help="Screenshot height in pixels.")) -> None:
    """Show one document as an HTML page: its text with every extracted field
    highlighted and labelled (spaCy displaCy), the record beside it."""
    from . import parse
    from .cli import err
    from .view import render_html, screenshot

    rec = parse(path)
    rec.path = str(path)
    page = render_html(rec)
    if html is None and png is None:
        sys.stdout.write(page)
        return
    target = html
    if target is None:  # --png alone: a page beside the picture
        target = png.with_suffix(".html")
    target.write_text(page, encoding="utf-8")
    err.print(f"wrote {target}")
    if png is not None:
        problem = screenshot(target, png, width=width, height=height)
        if problem:
            err.print(f"[red]error:[/] no screenshot: {problem}")
            raise typer.Exit(1)
        err.print(f"wrote {png}")


def register(app: typer.Typer) -> None:
    """Add ``view`` to ``app``."""
    app.command("view")(view_cmd)
