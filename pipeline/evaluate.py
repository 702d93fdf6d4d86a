"""End-to-end evaluation of vanban against gold annotations.

One call parses every gold document and scores the records field by field,
the way GROBID's end-to-end evaluation does: the whole pipeline runs on real
files (no per-stage scoring that could hide what a later stage throws away),
each field is scored on its own so a regression points at one extractor, every
number is broken down by input format (a PDF or scan problem must not hide
behind the plain-text majority), and each field is scored under several
matchers, so that "wrong" and "right up to a comma" are told apart:

* **scalar fields** (doc_type, number, date, place, issuer, issuer_parent,
  title; ``signer_name`` = first signer's name where the gold has only that):
  accuracy over the documents whose gold has the key, under three matchers:
  ``strict`` (equal after NFC, ``Ð``→``Đ``, whitespace collapsed),
  ``soft`` (also ignoring case, all whitespace and punctuation, and old vs
  new tone placement, ``Uỷ ban`` == ``Ủy ban``: the gold keeps both) and
  ``fuzzy`` (soft forms with a difflib similarity ratio >= 0.9).
  ``None``, empty and whitespace-only values all count as "absent", and
  absent == absent is right.
* **list fields**: micro precision / recall / F1 over items matched under the
  soft matcher as multisets: legal_bases (kind, ref) and ``legal_bases.ref``,
  references, recipients (text, purpose) and ``recipients.text``, signers
  (authority, on_behalf_of, title, position, name) and ``signers.name``,
  top-level item labels (trailing ``.``/``)`` ignored: ``"I."`` == ``"I"``),
  areas, warning codes.  A list field is scored only on documents whose gold
  has the key (gold omits what it did not annotate); areas only when some
  record has areas at all.  Per-document all-or-nothing scores: ``signer``
  (the whole signer list right, in order) and ``areas.top1``.
* **header**: share of documents whose doc_type, number, date, place (strict)
  and issuer, issuer_parent, title (soft) are all right.

Fuzzy is for prose (titles, issuers); on identifiers it can accept a wrong
serial (``30/2020/NĐ-CP`` vs ``31/2020/NĐ-CP`` is 0.9), so floor those strict.
A parse that raises is recorded as an error: every scalar wrong, nothing
predicted.  ``Report.failures(field)`` lists gold vs predicted for debugging.

Floor keys (``floors_check``): ``<field>.<metric>`` where metric is
``strict``/``soft``/``fuzzy``/``acc`` (accuracy; ``acc`` = soft) for scalar
fields, ``p``/``r``/``f1`` for list fields, and ``header`` (or ``header.acc``).
Field names may contain dots (``signers.name.f1``, ``areas.top1.acc``).
"""

from __future__ import annotations

import argparse
import difflib
import fnmatch
import json
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from pipeline.record import Record

SCALARS = ["doc_type", "number", "date", "place", "issuer", "issuer_parent", "title"]
HEADER_STRICT = ["doc_type", "number", "date", "place"]
HEADER_SOFT = ["issuer", "issuer_parent", "title"]
MATCHERS = ("strict", "soft", "fuzzy")
FUZZY_RATIO = 0.9
FORMAT_ORDER = ["txt", "md", "pdf", "docx", "scan", "tcvn3", "vni"]
SIGNER_KEYS = ("authority", "on_behalf_of", "title", "position", "name")


# -- normalisation and matchers -----------------------------------------------
def norm_strict(v: Any) -> Optional[str]:
    """NFC, ``Ð``→``Đ``, whitespace collapsed; empty → ``None``."""
    if v is None:
        return None
    s = unicodedata.normalize("NFC", str(v)).replace("Ð", "Đ").replace("ð", "đ")
    return " ".join(s.split()) or None


# old vs new tone placement in oa/oe/uy (``Uỷ``/``Ủy``, ``Hoà``/``Hòa``): both occur in the gold
_TONE_ON_FIRST = re.compile("([ou])([\u0300\u0301\u0303\u0309\u0323])([aey])")


def norm_soft(v: Any) -> Optional[str]:
    """Strict form, case-folded, one tone placement, without any whitespace or punctuation."""
    s = norm_strict(v)
    if s is None:
        return None
    s = unicodedata.normalize("NFC", _TONE_ON_FIRST.sub(r"\1\3\2", unicodedata.normalize("NFD", s.casefold())))
    return "".join(c for c in s if not c.isspace() and not unicodedata.category(c).startswith("P")) or None


def match(gold: Any, pred: Any, matcher: str) -> bool:
    if matcher == "strict":
        return norm_strict(gold) == norm_strict(pred)
    g, p = norm_soft(gold), norm_soft(pred)
    if matcher == "soft" or g is None or p is None or g == p:
        return g == p
    return difflib.SequenceMatcher(None, g, p).ratio() >= FUZZY_RATIO


def norm_label(v: Any) -> Optional[str]:
    """Item labels: ``"1."`` == ``"1"``, ``"I."`` == ``"I"``, ``"a)"`` == ``"a"``."""
    s = norm_strict(v)
    return s.casefold().rstrip(".) ").strip() or None if s else None


def _key(v: Any) -> Any:
    return tuple(norm_soft(x) for x in v) if isinstance(v, (tuple, list)) else norm_soft(v)


def _code(w: Any) -> str:
    return str(w).split(":", 1)[0].strip()


# -- gold -----------------------------------------------------------------------
@dataclass
class GoldDoc:
    file: str
    format: str
    complete: bool
    gold: dict
    note: Optional[str] = None


def load_gold(path: str | Path) -> list[GoldDoc]:
    rows = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    return [GoldDoc(d["file"], d.get("format", "?"), d.get("complete", True), d.get("gold", {}), d.get("note"))
            for d in rows]


# -- per-document results ---------------------------------------------------------
@dataclass
class DocResult:
    file: str
    format: str
    complete: bool
    error: Optional[str] = None
    scalars: dict[str, dict] = field(default_factory=dict)  # field -> {gold, pred, strict, soft, fuzzy}
    lists: dict[str, dict] = field(default_factory=dict)    # field -> {gold: [...], pred: [...], tp}
    header: bool = False  # all seven header fields right


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if n_gold == 0 else 0.0)
    r = tp / n_gold if n_gold else (1.0 if n_pred == 0 else 0.0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Report:
    docs: list[DocResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # gold files not found under docs_dir
    notes: list[str] = field(default_factory=list)

    def formats(self) -> list[str]:
        present = Counter(d.format for d in self.docs)
        return sorted(present, key=lambda f: (FORMAT_ORDER.index(f) if f in FORMAT_ORDER else 99, f))

    def _docs(self, fmt: Optional[str] = None) -> list[DocResult]:
        return [d for d in self.docs if fmt is None or d.format == fmt]

    def count(self, fmt: Optional[str] = None) -> int:
        return len(self._docs(fmt))

    def scalar_fields(self) -> list[str]:
        seen = {f for d in self.docs for f in d.scalars}
        return [f for f in SCALARS + ["signer_name", "signer", "areas.top1"] if f in seen]

    def list_fields(self) -> list[str]:
        order = ["legal_bases", "legal_bases.ref", "references", "recipients", "recipients.text",
                 "signers", "signers.name", "items", "areas", "warnings"]
        seen = {f for d in self.docs for f in d.lists}
        return [f for f in order if f in seen]

    def accuracy(self, name: str, matcher: str = "soft", fmt: Optional[str] = None) -> tuple[Optional[float], int]:
        """(accuracy or None, number of documents scored)."""
        rows = [d.scalars[name] for d in self._docs(fmt) if name in d.scalars]
        return (sum(r[matcher] for r in rows) / len(rows) if rows else None), len(rows)

    def prf(self, name: str, fmt: Optional[str] = None) -> Optional[dict]:
        rows = [d.lists[name] for d in self._docs(fmt) if name in d.lists]
        if not rows:
            return None
        tp, npred, ngold = (sum(r["tp"] for r in rows), sum(len(r["pred"]) for r in rows),
                            sum(len(r["gold"]) for r in rows))
        p, r, f1 = _prf(tp, npred, ngold)
        return {"p": p, "r": r, "f1": f1, "tp": tp, "pred": npred, "gold": ngold, "docs": len(rows)}

    def header(self, fmt: Optional[str] = None) -> tuple[Optional[float], int]:
        docs = self._docs(fmt)
        return (sum(d.header for d in docs) / len(docs) if docs else None), len(docs)

    def errors(self) -> list[tuple[str, str]]:
        return [(d.file, d.error) for d in self.docs if d.error]

    def metric(self, key: str, fmt: Optional[str] = None) -> tuple[Optional[float], int]:
        """Resolve a floor key (see module docstring) to (value or None, n)."""
        if key in ("header", "header.acc"):
            return self.header(fmt)
        name, _, m = key.rpartition(".")
        if m in MATCHERS or m == "acc":
            return self.accuracy(name, "soft" if m == "acc" else m, fmt)
        if m in ("p", "r", "f1"):
            s = self.prf(name, fmt)
            return (s[m], s["docs"]) if s else (None, 0)
        raise KeyError(f"unknown floor key {key!r} (want <field>.<strict|soft|fuzzy|acc|p|r|f1> or header)")

    def failures(self, name: str, matcher: str = "soft") -> list[tuple[str, Any, Any]]:
        """(file, gold, predicted) for every document where ``name`` is wrong."""
        out = []
        for d in self.docs:
            err = f"ERROR: {d.error}" if d.error else None
            if name == "header" and not d.header:
                bad = [f for f in SCALARS if f in d.scalars and not _header_ok(d, f)]
                out.append((d.file, {f: d.scalars[f]["gold"] for f in bad},
                            err or {f: d.scalars[f]["pred"] for f in bad}))
            elif name in d.scalars and not d.scalars[name][matcher]:
                out.append((d.file, d.scalars[name]["gold"], err or d.scalars[name]["pred"]))
            elif name in d.lists:
                r = d.lists[name]
                if r["tp"] != len(r["gold"]) or r["tp"] != len(r["pred"]):
                    out.append((d.file, r["gold"], err or r["pred"]))
        return out

    def summary(self, fmt: Optional[str] = None) -> dict:
        out: dict = {"docs": self.count(fmt), "header": self.header(fmt)[0], "scalars": {}, "lists": {}}
        for f in self.scalar_fields():
            out["scalars"][f] = {m: self.accuracy(f, m, fmt)[0] for m in MATCHERS} | {"n": self.accuracy(f, "soft", fmt)[1]}
        for f in self.list_fields():
            out["lists"][f] = self.prf(f, fmt)
        return out

    def to_dict(self, documents: bool = False) -> dict:
        d = {"overall": self.summary(), "by_format": {f: self.summary(f) for f in self.formats()},
             "errors": [{"file": f, "error": e} for f, e in self.errors()],
             "skipped": self.skipped, "notes": self.notes}
        if documents:
            d["documents"] = [asdict(x) for x in self.docs]
        return d


# -- scoring one document -------------------------------------------------------------
def _pred_lists(rec: Record) -> dict[str, list]:
    recips = rec.recipients or rec.addressees  # gold: Nơi nhận, else Kính gửi
    return {
        "legal_bases": [(lb.kind, k) for lb in rec.legal_bases for k in lb.keys()],
        "references": [r.key for r in rec.references],
        "recipients": [(r.text, r.purpose) for r in recips],
        "signers": [tuple(getattr(s, k) for k in SIGNER_KEYS) for s in rec.signers],
        "items": [it.label for it in rec.main_items()],
        "areas": [a.label for a in sorted(rec.areas, key=lambda a: -a.score)],  # stable: ties keep order
        "warnings": rec.warning_codes(),
    }


GOLD_LISTS: dict[str, Callable[[list], list]] = {  # gold key -> items in the form _pred_lists gives
    "legal_bases": lambda v: [(b.get("kind"), b.get("ref")) for b in v], "references": list,
    "recipients": lambda v: [(r.get("text"), r.get("purpose")) for r in v],
    "signers": lambda v: [tuple(s.get(k) for k in SIGNER_KEYS) for s in v],
    "items": list, "areas": list, "warnings": lambda v: [_code(w) for w in v]}
# list field -> (name of its one-component variant, index of that component)
VARIANTS = {"legal_bases": ("ref", 1), "recipients": ("text", 0), "signers": ("name", 4)}


def _multiset_tp(gold: list, pred: list, key: Callable = _key) -> int:
    return sum((Counter(map(key, gold)) & Counter(map(key, pred))).values())


def score_doc(gd: GoldDoc, rec: Optional[Record], error: Optional[str] = None) -> DocResult:
    """Score one record (``None`` with ``error`` for a failed parse) against its gold."""
    g = gd.gold
    res = DocResult(gd.file, gd.format, gd.complete, error)
    pl = _pred_lists(rec) if rec is not None else {}
    for f in SCALARS + ["signer_name"]:
        if f in g and (f != "signer_name" or "signers" not in g):
            p = None if rec is None else rec.signers[0].name if f == "signer_name" and rec.signers else getattr(rec, f, None)
            res.scalars[f] = {"gold": g[f], "pred": p} | {m: rec is not None and match(g[f], p, m) for m in MATCHERS}
    for f, conv in GOLD_LISTS.items():
        if f not in g:
            continue
        gold, pred = conv(g[f]), pl.get(f, [])
        res.lists[f] = {"gold": gold, "pred": pred, "tp": _multiset_tp(gold, pred, norm_label if f == "items" else _key)}
        if f in VARIANTS:
            name, i = VARIANTS[f]
            gs, ps = [x[i] for x in gold], [x[i] for x in pred]
            res.lists[f"{f}.{name}"] = {"gold": gs, "pred": ps, "tp": _multiset_tp(gs, ps)}
        if f == "signers":
            ok = rec is not None and [_key(x) for x in gold] == [_key(x) for x in pred]
            res.scalars["signer"] = {"gold": gold, "pred": pred} | {m: ok for m in MATCHERS}
        if f == "areas" and gold:
            top = pred[0] if pred else None
            res.scalars["areas.top1"] = {"gold": gold[0], "pred": top} | {
                m: rec is not None and match(gold[0], top, m) for m in MATCHERS}

    res.header = rec is not None and all(_header_ok(res, f) for f in SCALARS if f in res.scalars)
    return res


def _header_ok(res: DocResult, f: str) -> bool:
    return res.scalars[f]["strict" if f in HEADER_STRICT else "soft"]


# -- running ----------------------------------------------------------------------------
def evaluate(gold_path: str | Path, docs_dir: str | Path | None = None, parse: Optional[Callable] = None,
             formats: Optional[Iterable[str]] = None, files: Optional[Iterable[str]] = None) -> Report:
    """Parse every gold document found under ``docs_dir`` (default: the gold
    file's folder) and score it.  ``formats`` keeps only those gold formats;
    ``files`` keeps only gold files matching one of the given paths or globs."""
    if parse is None:
        from pipeline import parse  # lazily: the parser is not needed to import this module
    docs_dir = Path(docs_dir) if docs_dir is not None else Path(gold_path).parent
    formats, files = set(formats or ()), list(files or ())
    report, any_areas = Report(), False
    for gd in load_gold(gold_path):
        if (formats and gd.format not in formats) or (files and not any(fnmatch.fnmatch(gd.file, p) for p in files)):
            continue
        path = docs_dir / gd.file
        if not path.exists():
            report.skipped.append(gd.file)
            continue
        try:
            rec = parse(path)
            rec = rec if isinstance(rec, Record) else Record.model_validate(rec)
        except Exception as exc:  # noqa: BLE001 - a crash is a scored outcome, not a stop
            report.docs.append(score_doc(gd, None, f"{type(exc).__name__}: {exc}"))
            continue
        any_areas = any_areas or bool(rec.areas)
        report.docs.append(score_doc(gd, rec))
    if report.docs and not any_areas:
        for d in report.docs:
            d.lists.pop("areas", None)
            d.scalars.pop("areas.top1", None)
        report.notes.append("areas not scored: no parsed record has any areas")
    if report.skipped:
        report.notes.append(f"{len(report.skipped)} gold file(s) not found under {docs_dir}")
    cut = sum(1 for d in report.docs if "signer_name" in d.scalars and not d.complete)
    if cut:
        report.notes.append(f"signer_name: {cut} of its documents are texts cut before the signature block "
                            "(gold from the portal's metadata): a record can only get them wrong or empty")
    return report


def floors_check(report: Report, floors: dict[str, float], fmt: Optional[str] = None,
                 missing_ok: bool = False) -> list[str]:
    """Human-readable violations of ``floors`` (key syntax in the module docstring).

    An unknown key is always a violation; a field with no scored document is
    one unless ``missing_ok``.  ``fmt`` checks one format's numbers only."""
    out, where = [], f" [{fmt}]" if fmt else ""
    for key, floor in floors.items():
        try:
            value, n = report.metric(key, fmt)
        except KeyError as exc:
            out.append(str(exc.args[0]))
            continue
        if value is None:
            if not missing_ok:
                out.append(f"{key}{where}: no documents scored (floor {floor:.3f})")
        elif value < floor:
            out.append(f"{key}{where}: {value:.3f} < floor {floor:.3f} (n={n})")
    return out


# -- rendering ----------------------------------------------------------------------------
def _pct(v: Optional[float]) -> str:
    return "–" if v is None else f"{100 * v:.1f}"


def render(report: Report, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    fmts = report.formats()
    fcols = [f"{f} ({report.count(f)})" for f in fmts]

    t = Table(title=f"Scalar fields, accuracy % ({report.count()} documents)")
    for c in ["field", "n", "strict", "soft", "fuzzy"] + [f"{c} soft" for c in fcols]:
        t.add_column(c, justify="left" if c == "field" else "right")
    for f in report.scalar_fields():
        n = report.accuracy(f)[1]
        t.add_row(f, str(n), *[_pct(report.accuracy(f, m)[0]) for m in MATCHERS],
                  *[_pct(report.accuracy(f, "soft", x)[0]) for x in fmts])
    console.print(t)

    t = Table(title="List fields, micro P/R/F1 % (soft)")
    for c in ["field", "docs", "gold", "pred", "P", "R", "F1"] + [f"{c} F1" for c in fcols]:
        t.add_column(c, justify="left" if c == "field" else "right")
    for f in report.list_fields():
        s = report.prf(f)
        t.add_row(f, str(s["docs"]), str(s["gold"]), str(s["pred"]), _pct(s["p"]), _pct(s["r"]), _pct(s["f1"]),
                  *[_pct((report.prf(f, x) or {}).get("f1")) for x in fmts])
    console.print(t)

    t = Table(title="Header (all 7 header fields right)")
    for c in ["overall"] + fcols:
        t.add_column(c, justify="right")
    t.add_row(*[f"{_pct(v)} ({round((v or 0) * n)}/{n})" for v, n in map(report.header, [None] + fmts)])
    console.print(t)

    errs = report.errors()
    console.print(f"[bold]{len(errs)} error(s)[/bold]" + ("" if errs else " ✓"))
    for f, e in errs:
        console.print(f"  [red]{f}[/red]: {e}")
    for note in report.notes:
        console.print(f"[dim]note: {note}[/dim]")


def render_failures(report: Report, console=None, field: str = "header", limit: int = 20,
                    matcher: str = "soft") -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = console or Console()
    rows = report.failures(field, matcher)
    t = Table(title=f"{field}: {len(rows)} failure(s)" + (f", first {limit}" if len(rows) > limit else ""))
    for c in ("file", "gold", "predicted"):
        t.add_column(c, overflow="fold")
    for f, g, p in rows[:limit]:   # values are data, not rich markup: "[(None, …)]" must print as is
        t.add_row(escape(f), escape(json.dumps(g, ensure_ascii=False)),
                  escape(json.dumps(p, ensure_ascii=False, default=str)))
    console.print(t)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.split("\n")[0])
    ap.add_argument("gold"), ap.add_argument("docs_dir", nargs="?")
    ap.add_argument("--format", action="append", dest="formats")
    ap.add_argument("--file", action="append", dest="files", help="path or glob, repeatable")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--documents", action="store_true", help="with --json: include per-document results")
    ap.add_argument("--failures", metavar="FIELD", help="also list the failures of FIELD")
    ap.add_argument("--limit", type=int, default=20)
    a = ap.parse_args(argv)
    report = evaluate(a.gold, a.docs_dir, formats=a.formats, files=a.files)
    if a.json:
        print(json.dumps(report.to_dict(documents=a.documents), ensure_ascii=False, indent=2))
    else:
        render(report)
        if a.failures:
            render_failures(report, field=a.failures, limit=a.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
