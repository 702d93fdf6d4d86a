"""The visual view of one record: ``render_html(record) -> str``.

One self-contained HTML page (no scripts, no network): on the left the
document text with every located value highlighted and labelled by spaCy's
displaCy span renderer (the spans of :mod:`pipeline.spacy_component`), on the
right the record as tables (fields with their provenance, the lists), with
the warnings on top.  ``vanban view FILE --html out.html`` writes it.

Two adjustments to displaCy, both through its own options: the document is
tokenised on whitespace (spaCy's Vietnamese tokenizer with pyvi off), so a
number like ``4127/QĐ-UBND`` is shown as printed rather than as ``4127 / QĐ -
UBND`` (displaCy joins tokens with a space); and the span templates are
displaCy's own without their line breaks, so that the text can keep its
lines (``white-space: pre-wrap``).  The displaCy markup is embedded in our
page instead of displaCy's ``page=True`` wrapper, to put the record beside it.
"""

from __future__ import annotations

import html
import json
import warnings
from functools import lru_cache
from typing import Any, Iterable, Optional

from .record import Item, Record
from .spacy_component import LABELS, SPANS_KEY, set_annotations

COLORS = {
    "NUMBER": "#f4a261", "PLACE": "#8ecae6", "DATE": "#48cae4", "ISSUER_PARENT": "#cdb4db",
    "ISSUER": "#b392f0", "DOC_TYPE": "#ff8fab", "TITLE": "#ffc8dd", "ADDRESSEE": "#ffd166",
    "LEGAL_BASIS": "#95d5b2", "REFERENCE": "#52b788", "ITEM": "#e9c46a", "RECIPIENT": "#adb5bd",
    "SIGNER": "#f28482",
}

# displaCy's span templates (spacy/displacy/templates.py) on one line each
_TPL_SPAN = ('<span style="font-weight: bold; display: inline-block; position: relative; '
             'height: {total_height}px;">{text}{span_slices}{span_starts}</span> ')  # the space joins tokens
_TPL_SLICE = ('<span style="background: {bg}; top: {top_offset}px; height: 4px; left: -1px; '
              'width: calc(100% + 2px); position: absolute;"></span>')
_TPL_START = ('<span style="background: {bg}; top: {top_offset}px; height: 4px; border-top-left-radius: 3px; '
              'border-bottom-left-radius: 3px; left: -1px; width: calc(100% + 2px); position: absolute;">'
              '<span style="background: {bg}; z-index: 10; color: #000; top: -0.5em; padding: 2px 3px; '
              'position: absolute; font-size: 0.6em; font-weight: bold; line-height: 1; border-radius: 3px; '
              'white-space: nowrap">{label}{kb_link}</span></span>')

_CSS = """
body { font-family: 'DejaVu Sans', 'Noto Sans', 'Segoe UI', Arial, sans-serif; margin: 0; color: #222; }
header { padding: 12px 20px; background: #264653; color: #fff; }
header h1 { font-size: 18px; margin: 0 0 4px 0; }
header .meta { font-size: 12px; opacity: .85; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(380px, 2fr); gap: 20px; padding: 16px 20px; }
section h2 { font-size: 15px; margin: 14px 0 6px 0; border-bottom: 1px solid #ddd; }
.doc .spans { white-space: pre-wrap; font-size: 14px; line-height: 2.2 !important; }
.doc figure { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
td.v { font-weight: 600; }
td.none { color: #999; font-style: italic; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px; }
.warnings { background: #fff3cd; border: 1px solid #e0c060; padding: 6px 12px; margin: 0 0 6px 0; font-size: 13px; }
.warnings li { margin: 2px 0; }
.ok { background: #e8f5e9; border: 1px solid #9ccc9c; padding: 6px 12px; font-size: 13px; }
.legend span.l { display: inline-block; margin: 2px 6px 2px 0; padding: 1px 5px; border-radius: 3px; font-size: 11px; }
.small { font-size: 11px; color: #666; }
"""

_SCALARS = ("regime", "doc_type", "number", "date", "place", "province_2025", "issuer", "issuer_parent",
            "title", "authority_line", "marks", "is_draft")
_FIELD_LABEL = {"number": "NUMBER", "date": "DATE", "place": "PLACE", "issuer": "ISSUER",
                "issuer_parent": "ISSUER_PARENT", "doc_type": "DOC_TYPE", "title": "TITLE",
                "legal_bases": "LEGAL_BASIS", "references": "REFERENCE", "items": "ITEM",
                "addressees": "ADDRESSEE", "recipients": "RECIPIENT", "signers": "SIGNER"}


def _e(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _swatch(label: Optional[str]) -> str:
    if not label:
        return ""
    return f'<span class="swatch" style="background:{COLORS.get(label, "#ddd")}" title="{label}"></span>'


def _value(v: Any) -> str:
    if v is None or v == [] or v == "":
        return '<td class="v none">—</td>'
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else "; ".join(map(str, v))
    return f'<td class="v">{_e(v)}</td>'


def _table(head: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    h = "".join(f"<th>{_e(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><tr>{h}</tr>{body}</table>'


def _span(span) -> str:
    return f"{span[0]}–{span[1]}" if span else ""


def _fields(rec: Record) -> str:
    rows = []
    for f in _SCALARS:
        p = rec.provenance.get(f)
        rows.append([f"<td>{_swatch(_FIELD_LABEL.get(f))}{_e(f)}</td>", _value(getattr(rec, f)),
                     f"<td>{_e(p.method) if p else ''}</td>", f"<td>{p.confidence if p else ''}</td>",
                     f"<td>{_span(p.span) if p else ''}{' p.' + str(p.page) if p and p.page else ''}</td>"])
    if rec.number_parts:
        rows.insert(3, ["<td>number_parts</td>", _value(rec.number_parts.model_dump(exclude_none=True)),
                        "<td></td>", "<td></td>", "<td></td>"])
    if rec.areas:
        rows.append(["<td>areas</td>", _value([f"{a.label} ({a.score:.2f})" for a in rec.areas]),
                     "<td></td>", "<td></td>", "<td></td>"])
    return _table(["field", "value", "method", "conf.", "span"], rows)


def _lists(rec: Record) -> str:
    out = []
    if rec.legal_bases:
        out.append(f"<h2>{_swatch('LEGAL_BASIS')}legal_bases ({len(rec.legal_bases)})</h2>")
        out.append(_table(["kind", "cites", "span"], (
            [f"<td>{_e(b.kind)}</td>", _value(b.keys()), f"<td>{_span(b.span)}</td>"] for b in rec.legal_bases)))
    if rec.references:
        out.append(f"<h2>{_swatch('REFERENCE')}references ({len(rec.references)})</h2>")
        out.append(_table(["type", "number / name", "date", "issuer", "span"], (
            [f"<td>{_e(r.doc_type)}</td>", _value(r.number or r.name), f"<td>{_e(r.date)}</td>",
             f"<td>{_e(r.issuer)}</td>", f"<td>{_span(r.span)}</td>"] for r in rec.references)))
    if rec.items:
        main = rec.main_items()
        out.append(f"<h2>{_swatch('ITEM')}items ({_count(rec.items)} in the tree; main items: {len(main)})</h2>")
        out.append(_table(["label", "text", "main"], (
            [f"<td>{_e(it.label)}</td>", f"<td>{_e(_short(it.text))}</td>", f"<td>{'✓' if it.main else ''}</td>"]
            for it in (main or rec.items))))
    for name, values in (("addressees", rec.addressees), ("recipients", rec.recipients)):
        if values:
            out.append(f"<h2>{_swatch(_FIELD_LABEL[name])}{name} ({len(values)})</h2>")
            out.append(_table(["text", "purpose", "kind"], (
                [f"<td>{_e(r.text)}</td>", f"<td>{_e(r.purpose)}</td>", f"<td>{_e(r.kind)}</td>"] for r in values)))
    if rec.signers:
        out.append(f"<h2>{_swatch('SIGNER')}signers ({len(rec.signers)})</h2>")
        out.append(_table(["authority", "on behalf of", "title", "name"], (
            [f"<td>{_e(s.authority)}</td>", f"<td>{_e(s.on_behalf_of)}</td>", f"<td>{_e(s.title)}</td>",
             _value(s.name)] for s in rec.signers)))
    return "".join(out)


def _count(items: list[Item]) -> int:
    return sum(1 + _count(it.children) for it in items)


def _short(s: str, n: int = 160) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 1] + "…"


def _provenance(rec: Record) -> str:
    rows = [[f"<td>{_e(k)}</td>", f"<td>{_e(p.method)}</td>", f"<td>{p.confidence}</td>",
             f"<td>{_span(p.span)}</td>", f"<td>{_e(p.page)}</td>",
             f"<td>{_e(_short(rec.text[p.span[0]:p.span[1]], 70)) if p.span else ''}</td>"]
            for k, p in rec.provenance.items()]
    return _table(["field", "method", "conf.", "span", "page", "source text"], rows)


@lru_cache(maxsize=1)
def _whitespace_nlp():
    import spacy
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})  # whitespace tokens


def _displacy(rec: Record) -> str:
    from spacy import displacy

    doc = set_annotations(_whitespace_nlp().make_doc(rec.text), rec, SPANS_KEY)
    options = {"spans_key": SPANS_KEY, "colors": COLORS, "top_offset": 30, "span_label_offset": 12,
               "top_offset_step": 7, "template": {"span": _TPL_SPAN, "slice": _TPL_SLICE, "start": _TPL_START}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # displaCy warns when a document has no spans
        return displacy.render(doc, style="span", options=options, page=False, jupyter=False)


def render_html(record: Record, *, title: Optional[str] = None) -> str:
    """The record as one HTML page: highlighted text beside the record."""
    rec = record
    name = title or rec.path or "document"
    meta = " · ".join(x for x in (
        f"format {rec.format}" if rec.format else "", f"encoding {rec.encoding}" if rec.encoding else "",
        f"{rec.pages} pages" if rec.pages else "", f"sha256 {rec.sha256[:12]}…" if rec.sha256 else "",
        f"{len(rec.text)} characters") if x)
    summary = " · ".join(_e(x) for x in (rec.doc_type, rec.number, rec.date, rec.issuer) if x)
    if rec.warnings:
        warn = ('<div class="warnings"><b>Warnings</b><ul>' +
                "".join(f"<li>{_e(w)}</li>" for w in rec.warnings) + "</ul></div>")
    else:
        warn = '<div class="ok">No warnings.</div>'
    legend = "".join(f'<span class="l" style="background:{COLORS[k]}" title="{_e(v)}">{k}</span>'
                     for k, v in LABELS.items())
    text = _displacy(rec) if rec.text.strip() else '<p class="small">(no text)</p>'
    return f"""<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><title>vanban · {_e(name)}</title><style>{_CSS}</style></head>
<body>
<header><h1>{_e(name)}</h1><div class="meta">{summary}<br>{_e(meta)}</div></header>
<main>
<section class="doc"><h2>Document text</h2><div class="legend">{legend}</div>{text}</section>
<section class="record">{warn}
<h2>Record</h2>{_fields(rec)}
{_lists(rec)}
<h2>Provenance</h2>{_provenance(rec)}
<p class="small">Spans are character offsets into the source text; method is the rule that produced the value,
conf. its confidence. Generated by vanban.</p>
</section>
</main>
</body>
</html>
"""


# ---------------------------------------------------------------------------
# A screenshot in headless Chromium (tests, docs/show-seed.png, vanban view --png)

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars")


def chromium() -> Optional[str]:
    """The Chromium (or Chrome) executable on PATH, if any."""
    import shutil
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        exe = shutil.which(name)
        if exe:
            return exe
    return None


def screenshot(html_path, png_path, *, width: int = 1400, height: int = 1800, timeout: float = 90) -> Optional[str]:
    """Open ``html_path`` in headless Chromium and save a PNG of the first
    ``width`` × ``height`` pixels.  Returns ``None`` on success, else what went
    wrong (no Chromium, a time-out, no file written)."""
    import subprocess
    import tempfile
    from pathlib import Path

    exe = chromium()
    if exe is None:
        return "Chromium is not installed (Debian: apt-get install chromium)"
    html_path, png_path = Path(html_path).resolve(), Path(png_path).resolve()
    png_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="vanban-chromium-") as profile:
        cmd = [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--screenshot={png_path}", html_path.as_uri()]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return f"Chromium did not finish in {timeout:.0f} s"
    if not png_path.exists() or png_path.stat().st_size == 0:
        return f"Chromium wrote no screenshot (exit code {run.returncode}): {run.stderr.strip()[-300:]}"
    return None
