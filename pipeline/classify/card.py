"""The model card (``models/areas.md``), written by ``vanban train`` from its
own cross-validation report, plus the record of how the configuration was
chosen (:data:`SELECTION`, updated by hand when the recipe changes)."""

from __future__ import annotations

from pathlib import Path

SELECTION = Path(__file__).with_name("selection.md")


def _pct(x: float) -> str:
    return f"{x:.3f}"


def write_card(path: Path, report: dict) -> Path:
    meta = report["meta"]
    m = report["model"]
    lines = [
        "# Area model (`models/areas.skops`)",
        "",
        "Labels every document, and every item of its `items` tree, with content areas",
        "(`../shared/corpus/areas.txt`, 27 areas).  Written by `vanban train`; do not edit by hand.",
        "",
        f"* **Trained**: {meta['trained']} (Python {meta['python']})",
        f"* **Command**: `{meta['command']}` (from the repository root, with `../shared` beside it)",
        f"* **Training data**: {meta['data']['n_train']} documents of `{_rel(meta['data']['train'])}` (areas from the "
        f"publishing legal portals); {meta['data']['n_phapdien']} article compilations of "
        f"`{_rel(meta['data']['phapdien'])}` (weak labels, training side only); {meta['data']['n_own']} examples "
        f"written for thin areas ({', '.join(meta['data']['own']) or 'none'}, see `corpus/areas/README.rst`).",
        f"* **Features**: TF-IDF over syllable n-grams, one block per record field (title; issuer, parent "
        f"and type; legal bases; cited documents; body), {meta['n_features']:,} features; "
        f"block weights {meta['config']['weights']}, n-gram sizes {meta['config']['n_max']}, "
        f"min_df {meta['config']['min_df']}; vocabulary cut to the {meta['config'].get('keep_features') or 'all'} "
        f"terms with the largest absolute weight in a first fit, then refitted (inside each fold in cross-validation).",
        f"* **Classifier**: one-vs-rest `LinearSVC` (C = {meta['config']['C']}, balanced class weights), one Platt "
        f"sigmoid on out-of-fold scores (a = {meta['platt'][0]:.3f}, b = {meta['platt'][1]:.3f}); further areas "
        f"beyond the best when their score ≥ {meta['doc_threshold']:.2f} (chosen on out-of-fold scores for "
        f"macro-F1); items: each item is read as a small document (its own text as the title, its text and "
        f"sub-items as the body) and scored by the same model, then {meta['config']['item_alpha']} × own score + "
        f"{1 - meta['config']['item_alpha']:.1f} × document score; further areas from "
        f"{meta.get('item_threshold', meta['doc_threshold']):.2f} = {meta['config']['item_alpha']} × "
        f"{meta.get('item_base_threshold', meta['doc_threshold']):.2f}, the threshold chosen on the out-of-fold "
        f"scores of the linear stage, which scores the items (the document threshold without a second stage), "
        f"i.e. an area the document does not carry at all reaches an item when the item's own text scores it at "
        f"that threshold.",
    ]
    if meta.get("stack"):
        lines.append(
            f"* **Second stage** (`pipeline/classify/stack.py`): the best area re-ranked by a logistic regression "
            f"over (document, area) pairs with weights shared by the areas — the area's linear score and its gap "
            f"to the best one, keyword hits (`keywords.yaml`) of the field named after \"lĩnh vực\"/\"ngành\" in "
            f"the title and of the laws cited in the legal bases, a per-area prior, and per area \"the title is "
            f"about administrative procedures and names this field\"; fitted on out-of-fold linear scores (C = "
            f"{meta['config'].get('stack_C', 1.0)}); only the best area changes, the other scores stay the linear "
            f"model's.  In cross-validation it is fitted on scores out-of-fold within the training folds "
            f"({meta['config'].get('inner_folds', 4)} inner folds).")
    lines += [
        "",
        f"## Cross-validated figures ({report['folds']} folds on train.jsonl, stratified on the first area, seed {report['seed']})",
        "",
        "Top-1: the best area equals the first (most central) gold area; *any*: it is one of the gold areas.",
        f"Macro-F1 over the {len(report['labels_scored'])} areas with at least 8 documents; sigmoid and threshold",
        "applied to a fold were fitted on the other folds.",
        "",
        "| | top-1 | top-1 (any) | macro-F1 | micro-F1 |",
        "|---|---:|---:|---:|---:|",
    ]
    rows = [("**model**", m)] + ([("linear stage alone", report["linear"])] if report.get("linear") else [])
    for name, r in rows + list(report["baselines"].items()):
        lines.append(f"| {name} | {_pct(r['top1'])} | {_pct(r['top1_any'])} | {_pct(r['macro_f1'])} | {_pct(r['micro_f1'])} |")
    lines += ["", "### Per area (model)", "", "| area | documents | predicted | precision | recall | F1 |",
              "|---|---:|---:|---:|---:|---:|"]
    for lab, r in sorted(m["per_label"].items(), key=lambda kv: -kv[1]["support"]):
        if r["support"] or r["predicted"]:
            mark = "" if lab in report["labels_scored"] else " ¹"
            lines.append(f"| {lab}{mark} | {r['support']} | {r['predicted']} | {r['precision']:.2f} | "
                         f"{r['recall']:.2f} | {r['f1']:.2f} |")
    lines += ["", "¹ fewer than 8 documents: not in the macro-F1.", "",
              "### Confusion (first gold area → best predicted area, off-diagonal counts ≥ 2)", ""]
    errs = sorted(((n, g, p) for g, row in m["confusion"].items() for p, n in row.items() if g != p and n >= 2),
                  reverse=True)
    lines += ["| gold | predicted | documents |", "|---|---|---:|"]
    lines += [f"| {g} | {p} | {n} |" for n, g, p in errs]
    if SELECTION.exists():
        lines += ["", SELECTION.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _rel(p) -> str:
    if not p:
        return "—"
    parts = Path(p).parts
    return "../shared/" + "/".join(parts[parts.index("shared") + 1:]) if "shared" in parts else str(p)
