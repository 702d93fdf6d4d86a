"""Commands of the area classifier: ``vanban train`` and the work behind
``vanban evaluate --areas``.

    vanban train [--out models/areas.skops] [--shared DIR] [--folds 5] [--seed 0] [--jobs N]
    vanban evaluate GOLD --areas

``evaluate --areas`` reads GOLD in one of two forms:

* an areas file (``train.jsonl``: lines with ``text`` and ``areas``): the
  training recipe is cross-validated on it (5 folds; phapdien and the
  repository's own examples on the training side), as ``vanban train`` does;
* a gold file of the parser (``gold.jsonl``, GOLD_FORMAT.md, lines with
  ``file`` and ``gold.areas``): the shipped model is scored on those
  documents as ``pipeline.parse`` labels them.

Either way the report gives top-1 accuracy, macro-F1 (areas with ≥ 8
documents) and micro-F1, per-area precision/recall, the confusion of the
first gold area against the best predicted one, and the majority-class and
keyword baselines on the same documents.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

err = Console(stderr=True)


def _progress(msg: str) -> None:
    err.print(f"[dim]{msg}[/dim]")


# ---------------------------------------------------------------------------
# Rendering

def render_report(report: dict, out: Console, title: str) -> None:
    rows = [("model", report["model"])] + list(report["baselines"].items())
    t = Table(title=title)
    for c in ("", "top-1", "top-1 (any gold area)", "macro-F1", "micro-F1"):
        t.add_column(c, justify="right" if c else "left")
    for name, m in rows:
        t.add_row(name, f"{m['top1']:.3f}", f"{m['top1_any']:.3f}", f"{m['macro_f1']:.3f}", f"{m['micro_f1']:.3f}")
    out.print(t)
    out.print(f"macro-F1 over the {len(report['labels_scored'])} areas with at least 8 documents; "
              f"{report.get('n_docs', report.get('n_train'))} documents scored.")
    pl = Table(title="model, per area")
    for c in ("area", "support", "predicted", "precision", "recall", "F1"):
        pl.add_column(c, justify="left" if c == "area" else "right")
    for lab, m in sorted(report["model"]["per_label"].items(), key=lambda kv: -kv[1]["support"]):
        if m["support"] or m["predicted"]:
            pl.add_row(lab, str(m["support"]), str(m["predicted"]), f"{m['precision']:.2f}", f"{m['recall']:.2f}",
                       f"{m['f1']:.2f}")
    out.print(pl)
    render_confusion(report["model"]["confusion"], out, "model: first gold area (rows) → best predicted area")
    for n in report.get("notes", []):
        out.print(f"[dim]{n}[/dim]")


def render_confusion(conf: dict, out: Console, title: str) -> None:
    """One row per gold area: documents, right, and where the others went."""
    t = Table(title=title)
    for c in ("first gold area", "documents", "right", "predicted instead"):
        t.add_column(c, justify="right" if c in ("documents", "right") else "left")
    for g, row in sorted(conf.items(), key=lambda kv: -sum(kv[1].values())):
        wrong = sorted(((n, p) for p, n in row.items() if p != g), reverse=True)
        t.add_row(g, str(sum(row.values())), str(row.get(g, 0)), ", ".join(f"{p} {n}" for n, p in wrong))
    out.print(t)


# ---------------------------------------------------------------------------
# evaluate --areas

def _is_areas_file(path: Path) -> bool:
    with path.open(encoding="utf-8") as f:
        for ln in f:
            if ln.strip():
                d = json.loads(ln)
                return "text" in d and "areas" in d
    return False


def evaluate_gold(gold: Path, docs: Optional[Path], formats: Optional[list[str]] = None) -> dict:
    """Score the shipped model on the documents of a parser gold file that
    carry ``areas``, with the baselines beside it."""
    import numpy as np

    import pipeline

    from .classify.baselines import KeywordBaseline, MajorityBaseline
    from .classify.features import record_blocks
    from .classify.model import default_model
    from .classify.train import MIN_SUPPORT, SHARED_AREAS, _jsonl, confusion, read_taxonomy, set_metrics

    model = default_model()
    if model is None:
        raise typer.BadParameter("no area model: run `vanban train` first")
    labels = model.labels
    base = docs or gold.parent
    lines = [g for g in _jsonl(gold) if g.get("gold", {}).get("areas")
             and (not formats or g.get("format") in formats)]
    train_numbers = set()
    if (SHARED_AREAS / "train.jsonl").exists():
        train_numbers = {r.get("number") for r in _jsonl(SHARED_AREAS / "train.jsonl") if r.get("number")}
    first_train = []
    if (SHARED_AREAS / "train.jsonl").exists():
        first_train = [r["areas"][0] for r in _jsonl(SHARED_AREAS / "train.jsonl")]
    maj = MajorityBaseline(first_train or [labels[0]])
    kw = KeywordBaseline(maj.label)
    idx = {lab: i for i, lab in enumerate(labels)}
    n = len(lines)
    Y = np.zeros((n, len(labels)), dtype=np.int8)
    preds = {k: np.zeros((n, len(labels)), dtype=np.int8) for k in ("model", "majority", "keyword")}
    tops = {k: np.zeros(n, dtype=int) for k in preds}
    first = np.zeros(n, dtype=int)
    overlap = 0
    for i, g in enumerate(lines):
        areas = [a for a in g["gold"]["areas"] if a in idx]
        for a in areas:
            Y[i, idx[a]] = 1
        first[i] = idx[areas[0]]
        overlap += g["gold"].get("number") in train_numbers
        rec = pipeline.parse(base / g["file"])
        got = {"model": [a.label for a in rec.areas] or [maj.label]}
        blocks = record_blocks(rec)
        got["majority"] = maj.predict(blocks)
        got["keyword"] = kw.predict(blocks)
        for k, labs in got.items():
            for a in labs:
                preds[k][i, idx[a]] = 1
            tops[k][i] = idx[labs[0]]
    support = Y.sum(0)
    big = [k for k in range(len(labels)) if support[k] >= MIN_SUPPORT]
    if not big:
        big = [k for k in range(len(labels)) if support[k]]
    rep = {"labels_scored": [labels[k] for k in big], "n_docs": n, "baselines": {}, "notes": []}
    for k in preds:
        m = set_metrics(preds[k], Y, first, tops[k], big, labels)
        m["confusion"] = confusion([labels[j] for j in first], [labels[j] for j in tops[k]], labels)
        if k == "model":
            rep["model"] = m
        else:
            rep["baselines"][k] = m
    if len(big) < sum(1 for s in support if s):
        rep["notes"].append(f"macro-F1 over areas with ≥ {MIN_SUPPORT} documents in this file")
    rep["notes"].append(f"{overlap} of {n} documents share their number with a document of train.jsonl "
                        "(the model may have seen them)")
    return rep


def evaluate_areas(gold: Path, docs: Optional[Path], formats: Optional[list[str]], as_json: bool,
                   out: Console) -> None:
    """Entry point of ``vanban evaluate GOLD --areas``."""
    if _is_areas_file(gold):
        from .classify.train import OWN_EXAMPLES, Config, evaluate_cv, load_data, read_taxonomy
        shared = gold.parent
        labels = read_taxonomy(shared.parent / "areas.txt")
        train, aux, mine = load_data(shared, OWN_EXAMPLES, _progress)
        if gold.name != "train.jsonl":
            from .classify.train import _jsonl, document_examples
            train = document_examples(_jsonl(gold), "train")
        report = evaluate_cv(train, aux, mine, labels, Config(), progress=_progress)
        for k in ("oof_scores", "oof_proba", "splits"):
            report.pop(k, None)
        title = f"areas: {report['folds']}-fold cross-validation on {gold.name}"
    else:
        report = evaluate_gold(gold, docs, formats)
        title = f"areas: shipped model on {gold}"
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        return
    render_report(report, out, title)


# ---------------------------------------------------------------------------
# train

def register(app: typer.Typer) -> None:
    @app.command()
    def train(out: Path = typer.Option(Path("models/areas.skops"), "--out", help="Model file to write."),
              shared: Optional[Path] = typer.Option(None, "--shared",
                                                    help="Folder with train.jsonl and phapdien.jsonl "
                                                         "(default: ../shared/corpus/areas)."),
              folds: int = typer.Option(5, "--folds", help="Cross-validation folds for the model card."),
              seed: int = typer.Option(0, "--seed", help="Seed of the fold split."),
              jobs: int = typer.Option(1, "--jobs", help="Labels fitted in parallel.")) -> None:
        """Rebuild the area model from train.jsonl, phapdien.jsonl and corpus/areas/;
        writes the model file and its card (models/areas.md) with cross-validated figures."""
        from .classify.card import write_card
        from .classify.train import SHARED_AREAS, Config, train_model
        cmd = "vanban train" + "".join(f" {a}" for a in sys.argv[2:])
        cfg = Config(n_jobs=jobs)
        model, report = train_model(out=out, shared=shared or SHARED_AREAS, cfg=cfg, k=folds, seed=seed,
                                    command=cmd, progress=_progress)
        card = write_card(out.with_suffix(".md"), report)
        con = Console()
        render_report(report, con, f"areas: {folds}-fold cross-validation")
        con.print(f"wrote {out} and {card}")
