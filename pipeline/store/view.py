"""One stored document, gathered for display: :func:`document_view` collects
everything a view needs (the record, the references with the archive
documents they resolve to, the back-references, who cites the document) into
a plain dict; :func:`render_terminal` draws it with rich.  Another renderer
(HTML, say) takes the same dict, so a new output is one function plus one
entry in :data:`RENDERERS`.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from .archive import Archive


def document_view(archive: Archive, doc_id: int) -> Optional[dict[str, Any]]:
    """The stored document ``doc_id`` as a dict: ``doc`` (the documents row,
    ``record`` parsed), ``refs`` (each reference with ``target`` — the id,
    path, number, type and title of the document it resolves to, or None),
    ``back_refs`` (same), ``cited_by`` (citing documents)."""
    doc = archive.document(doc_id)
    if doc is None:
        return None
    conn = archive.conn

    def target(tid):
        if tid is None:
            return None
        row = conn.execute("SELECT id, path, number, doc_type, title, date FROM documents WHERE id = ?",
                           (tid,)).fetchone()
        return dict(row) if row else None

    refs = [dict(r) | {"target": target(r["target_id"])}
            for r in conn.execute("SELECT * FROM refs WHERE doc_id = ? ORDER BY ord", (doc_id,))]
    back = [dict(r) | {"target": target(r["target_id"])}
            for r in conn.execute("SELECT * FROM back_refs WHERE doc_id = ? ORDER BY ord", (doc_id,))]
    cited_by = [dict(r) for r in conn.execute(
        "SELECT d.id, d.path, d.number, d.doc_type, d.date, d.title, r.text AS citation, r.basis_kind "
        "FROM refs r JOIN documents d ON d.id = r.doc_id WHERE r.target_id = ? AND d.deleted = 0 "
        "ORDER BY d.date, d.id", (doc_id,))]
    return {"doc": doc, "refs": refs, "back_refs": back, "cited_by": cited_by}


def _rel(path: str) -> str:
    try:
        rel = os.path.relpath(path)
        return rel if not rel.startswith("..") else path
    except ValueError:
        return path


def _label(t: Optional[dict]) -> str:
    if not t:
        return ""
    name = " ".join(x for x in (t.get("doc_type"), t.get("number")) if x) or _rel(t["path"])
    return f"#{t['id']} {name}"


def render_terminal(view: dict[str, Any], console: Console, *, full_text: bool = False) -> None:
    """Draw a document view on a rich console."""
    doc = view["doc"]
    rec = doc["record"]
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold cyan", no_wrap=True)
    head.add_column()
    rows = [("path", _rel(doc["path"])), ("status", doc["status"] + (f": {doc['error']}" if doc["error"] else "")
                                          + ("  [deleted " + (doc["deleted_at"] or "") + "]" if doc["deleted"] else "")),
            ("type", doc["doc_type"]), ("number", doc["number"]), ("date", doc["date"]), ("place", doc["place"]),
            ("issuer", " / ".join(x for x in (doc["issuer_parent"], doc["issuer"]) if x)),
            ("regime", doc["regime"]), ("marks", ", ".join(doc["marks"])),
            ("format", " ".join(str(x) for x in (doc["format"], doc["encoding"]) if x)),
            ("areas", ", ".join(f"{a['label']} ({a['score']:.2f})" for a in rec.get("areas") or [])),
            ("indexed", f"{doc['indexed_at']}  parser {doc['parser_version']}")]
    for k, v in rows:
        if v:
            head.add_row(k, str(v))
    parts: list[Any] = [head]
    if doc["title"]:
        parts += [Text(""), Text(doc["title"], style="bold")]
    console.print(Panel(Group(*parts), title=f"#{doc['id']} {doc['doc_type'] or 'document'} {doc['number'] or ''}",
                        title_align="left"))

    if rec.get("legal_bases"):
        t = Table("kind", "text", title="Legal bases", title_justify="left", show_lines=False, expand=True)
        for b in rec["legal_bases"]:
            t.add_row(b.get("kind") or "", b.get("text") or "")
        console.print(t)
    if view["refs"]:
        t = Table("#", "cited", "date", "issuer", "as", "in archive", title="References", title_justify="left",
                  expand=True)
        for r in view["refs"]:
            if r["number"]:
                cited = " ".join(x for x in (r["doc_type"], r["number"]) if x)
            else:
                cited = r["name"] or r["text"]
            t.add_row(str(r["ord"]), cited, r["date"] or "", r["issuer"] or "", r["basis_kind"] or "",
                      _label(r["target"]) or Text(r["resolution"] or "", style="dim"))
        console.print(t)
    if view["back_refs"]:
        t = Table("text", "kind", "means", title="Back-references", title_justify="left")
        for b in view["back_refs"]:
            t.add_row(b["text"], b["kind"], _label(b["target"]) or Text(b["resolution"] or "", style="dim"))
        console.print(t)
    if view["cited_by"]:
        t = Table("document", "date", "as", "title", title="Cited by", title_justify="left", expand=True)
        for c in view["cited_by"]:
            t.add_row(_label(c), c["date"] or "", c["basis_kind"] or "", (c["title"] or "")[:90])
        console.print(t)
    if rec.get("items"):
        tree = Tree("[bold]Items[/]")

        def add(node, items):
            for it in items:
                txt = (it.get("text") or "").replace("\n", " ")
                label = Text(f"{it.get('label') or ''} ", style="bold green" if it.get("main") else "bold")
                label.append(txt[:160] + ("…" if len(txt) > 160 else ""))
                add(node.add(label), it.get("children") or [])

        add(tree, rec["items"])
        console.print(tree)
    recips = (rec.get("addressees") or []) + (rec.get("recipients") or [])
    if recips:
        t = Table("kind", "recipient", "purpose", title="Recipients", title_justify="left", expand=True)
        for r in recips:
            t.add_row(r.get("kind") or "", r.get("text") or "", r.get("purpose") or "")
        console.print(t)
    if rec.get("signers"):
        t = Table("authority", "on behalf of", "title", "position", "name", title="Signers", title_justify="left")
        for s in rec["signers"]:
            t.add_row(*(s.get(k) or "" for k in ("authority", "on_behalf_of", "title", "position", "name")))
        console.print(t)
    if doc["warnings"]:
        console.print(Panel("\n".join(f"• {w}" for w in doc["warnings"]), title="Warnings", title_align="left",
                            border_style="yellow"))
    if full_text and rec.get("text"):
        console.print(Panel(Text(rec["text"]), title="Text", title_align="left"))


Renderer = Callable[..., None]
RENDERERS: dict[str, Renderer] = {"terminal": render_terminal}
