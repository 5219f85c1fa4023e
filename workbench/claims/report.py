"""Training reports: JSON + Markdown model card, confusion-matrix and learning-curve plots."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np

from workbench.claims.classifier import cross_validate
from workbench.claims.embeddings import embedding_cache
from workbench.core.files import atomic_write, write_text


def learning_curve(records: list[dict], *, fractions=(0.2, 0.4, 0.7, 1.0), folds: int = 3,
                   random_state: int = 0, options: dict | None = None) -> list[dict]:
    """macro-F1 on held-out articles for growing shares of the training folds."""
    rng = np.random.default_rng(random_state)
    points = []
    for fraction in fractions:
        if fraction < 1.0:
            keep = rng.random(len(records)) < fraction
            subset = [r for r, k in zip(records, keep) if k]
        else:
            subset = records
        with warnings.catch_warnings(action="ignore"):
            metrics = cross_validate(subset, folds=folds, random_state=random_state,
                                     warn=lambda m: None, options=options)
        if metrics:
            points.append({"fraction": fraction, "n": len(subset), "macro_f1": metrics["macro_f1"]})
    return points


def plot_confusion(metrics: dict, path: Path, title: str) -> None:
    """A confusion matrix PNG (rows: truth, columns: predicted)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = metrics["labels"], np.array(metrics["confusion"])
    fig, ax = plt.subplots(figsize=(1.6 + 1.1 * len(labels), 1.2 + 1.0 * len(labels)))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                    color="white" if matrix[i, j] > matrix.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("annotated")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    with atomic_write(path, "wb") as out:
        fig.savefig(out, format="png", dpi=110)
    plt.close(fig)


def plot_learning_curve(points: list[dict], path: Path, title: str) -> None:
    """macro-F1 against training size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.4))
    ax.plot([p["n"] for p in points], [p["macro_f1"] for p in points], marker="o")
    ax.set_xlabel("labelled sentences")
    ax.set_ylabel("cross-validated macro-F1")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    with atomic_write(path, "wb") as out:
        fig.savefig(out, format="png", dpi=110)
    plt.close(fig)


def model_card(manifest: dict, curve: list[dict]) -> str:
    """The Markdown model card of a trained model."""
    cv = manifest.get("cv_metrics")
    lines = [f"# Model card: {manifest.get('model_version', '?')}", "",
             f"- trained: {manifest.get('trained_at', '?')}",
             f"- training sentences: {manifest.get('n_train', '?')}",
             f"- training data sha256: `{manifest.get('data_sha256', '?')}`",
             f"- model file sha256: `{manifest.get('sha256', '?')}`",
             "- label counts: " + ", ".join(f"{k} {v}" for k, v in manifest.get("label_counts", {}).items()),
             "- classifier options: " + (", ".join(f"{k}={v}" for k, v in manifest["options"].items())
                                         if manifest.get("options") else "defaults"),
             "- versions: " + ", ".join(f"{k} {v}" for k, v in manifest.get("versions", {}).items()),
             ""]
    heads = manifest.get("heads", ["claim_type"])
    lines.insert(-1, "- heads: " + ", ".join(heads))
    if "claim_type" not in heads:
        lines += ["No claim-type head: the labels file had no `label` lines.", ""]
    elif cv:
        grouped = "grouped by article" if cv.get("grouped_by_article") else "not grouped (no article_id)"
        lines += [f"## Cross-validation ({cv['folds']} folds, stratified, {grouped})", "",
                  f"macro-F1 **{cv['macro_f1']:.3f}**, accuracy {cv['accuracy']:.3f}, n={cv['n']}", "",
                  "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for label, s in cv["per_label"].items():
            lines.append(f"| {label} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
        lines += ["", "![confusion matrix](confusion.png)", ""]
    else:
        lines += ["Too few labels per class for cross-validation: no metrics yet.", ""]
    lines += worthiness_card(manifest.get("worthiness"))
    if curve:
        lines += ["## Learning curve", "", "| sentences | macro-F1 |", "|---|---|"]
        lines += [f"| {p['n']} | {p['macro_f1']:.3f} |" for p in curve]
        lines += ["", "![learning curve](learning_curve.png)", ""]
    return "\n".join(lines)


def worthiness_card(entry: dict | None) -> list[str]:
    """The model card's check-worthiness section (empty when the model has no such head)."""
    if not entry:
        return []
    cv = entry.get("cv_metrics")
    lines = ["## Check-worthiness head", "",
             f"- training sentences: {entry.get('n_train')} ({entry['counts']['true']} worth "
             f"checking, {entry['counts']['false']} not)",
             f"- decision threshold on the calibrated score: {entry.get('threshold')} (chosen on "
             f"out-of-fold scores of the training data)",
             "- embeddings: " + (entry.get("options", {}).get("embeddings") or "none (n-grams and cues)"),
             ("- languages scored by all views: " + (", ".join(entry.get("languages") or []) or "none")
              + "; others by the embeddings alone" if entry.get("options", {}).get("embeddings")
              else "- every language scored by the same views (n-grams learnt in one language "
                   "transfer to no other: train with --embeddings e5 for those)"), ""]
    if cv:
        auc = f"{cv['auc']:.3f}" if cv.get("auc") is not None else "n/a"
        lines += [f"Cross-validation ({cv['folds']} folds, stratified"
                  + (", grouped by article" if cv.get("grouped_by_article") else "") + "): "
                  f"macro-F1 **{cv['macro_f1']:.3f}**, F1 (worth checking) {cv['f1']:.3f}, "
                  f"precision {cv['precision']:.3f}, recall {cv['recall']:.3f}, AUC {auc}, "
                  f"n={cv['n']}", ""]
    else:
        lines += ["Too few sentences of each kind for cross-validation: no metrics yet.", ""]
    return lines


def write_report(manifest: dict, records: list[dict], out_dir: Path, *, curve: bool = True,
                 random_state: int = 0) -> Path:
    """Write report.json, model_card.md and the plots into out_dir; returns the directory."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with embedding_cache():
        points = (learning_curve(records, random_state=random_state, options=manifest.get("options"))
                  if curve else [])
    version = manifest.get("model_version", "")
    cv = manifest.get("cv_metrics")
    if cv:
        plot_confusion(cv, out_dir / "confusion.png", f"{version}: cross-validated confusion")
    if points:
        plot_learning_curve(points, out_dir / "learning_curve.png", f"{version}: learning curve")
    write_text(out_dir / "report.json", json.dumps({"manifest": manifest, "learning_curve": points},
                                                   indent=2, ensure_ascii=False))
    write_text(out_dir / "model_card.md", model_card(manifest, points))
    return out_dir
