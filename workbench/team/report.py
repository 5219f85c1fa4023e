"""The team report on disk: Markdown tables and two heatmaps (label confusion, pairwise kappa)."""

from __future__ import annotations

import io
from pathlib import Path

from workbench.core.files import write_bytes, write_text
from workbench.core.labels import label_to_choice

__all__ = ["write_team_report", "render_markdown"]

REPORT, CONFUSION, PAIRWISE = "team_report.md", "confusion.png", "pairwise.png"


def _fmt(value, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _pct(value) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _ci(interval) -> str:
    return "" if not interval else f" [{interval[0]:.3f}, {interval[1]:.3f}]"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


def render_markdown(result: dict) -> str:
    """The report's Markdown text for a `team_report` result."""
    labels = result.get("labels", [])
    boot = result.get("bootstrap", {})
    out = ["# Team agreement", ""]
    if result.get("note"):
        out += [f"**{result['note']}.**", ""]
    out += [f"- sentences with two or more annotators: **{result['n_sentences']}** "
            f"(of {result.get('n_units', 0)} labelled; {result.get('n_annotations', 0)} "
            f"annotations by {result.get('n_annotators', 0)} annotators)",
            f"- Krippendorff's alpha (nominal): **{_fmt(result['alpha'])}**{_ci(result.get('alpha_ci'))}",
            f"- Fleiss' kappa: **{_fmt(result['fleiss_kappa'])}**{_ci(result.get('fleiss_kappa_ci'))}",
            f"- percent agreement (pairs of annotations): {_pct(result.get('percent_agreement'))}",
            f"- intervals: {boot.get('interval', 'percentile 95%')} bootstrap over sentences, "
            f"{boot.get('resamples', 0)} resamples, seed {boot.get('seed', 0)}", ""]
    out += ["## Per label (one against the rest)", ""]
    out += _table(["label", "annotations", "alpha [95% CI]", "Fleiss' kappa [95% CI]"],
                  [[label_to_choice(label), row["n"], _fmt(row["alpha"]) + _ci(row.get("alpha_ci")),
                    _fmt(row["fleiss_kappa"]) + _ci(row.get("fleiss_kappa_ci"))]
                   for label, row in result.get("per_label", {}).items()])
    names = sorted(result.get("annotators", {}))
    pairwise = result.get("pairwise", {})
    out += ["## Cohen's kappa between annotators", "",
            "Each cell: kappa over the sentences both labelled (n). n/a: fewer than two shared "
            "sentences, or both used one label only.", ""]
    out += _table(["annotator"] + names,
                  [[a] + ["" if a == b else f"{_fmt(pairwise[a][b]['kappa'], 2)} ({pairwise[a][b]['n']})"
                          for b in names] for a in names])
    out += ["![Pairwise kappa](pairwise.png)", "", "## Annotators", "",
            "Agreement: share of pairs (their label, another annotator's label on the same "
            "sentence) that agree. Adjudicated: share equal to a ground-truth annotation by "
            "someone else. Gold: share equal to the gold label (n gold sentences).", ""]
    people = result.get("annotators", {})
    out += _table(["annotator", "n", "agreement", "adjudicated", "gold accuracy (n)", "median s"],
                  [[name, p["n"], _pct(p["agreement"]), _pct(p.get("adjudicated_agreement")),
                    f"{_pct(p['gold_accuracy'])} ({p.get('n_gold', 0)})", _fmt(p["median_seconds"], 1)]
                   for name, p in sorted(people.items())])
    out += ["## Label distribution", ""]
    out += _table(["annotator"] + [label_to_choice(label) for label in labels],
                  [[name] + [f"{p['labels'].get(label, 0)} ({_pct(p['labels'].get(label, 0) / p['n'] if p['n'] else None)})"
                             for label in labels] for name, p in sorted(people.items())])
    confusion = result.get("confusion", {})
    out += ["## Label confusion between annotators", "",
            "Every ordered pair of two annotators' labels on the same sentence (symmetric).", ""]
    out += _table(["label"] + [label_to_choice(label) for label in labels],
                  [[label_to_choice(a)] + [confusion.get(a, {}).get(b, 0) for b in labels]
                   for a in labels])
    out += ["![Label confusion](confusion.png)", ""]
    return "\n".join(out)


def _png(figure) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=120, bbox_inches="tight")
    return buffer.getvalue()


def _heatmap(values, texts, ticks: list[str], *, title: str, xlabel: str, ylabel: str,
             colorbar: str, cmap: str, vmin: float, vmax: float, diverging: bool = False,
             empty: bool = False) -> bytes:
    """One annotated heatmap as PNG bytes (no pyplot: no global figure state)."""
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    size = max(4.5, 0.9 * len(ticks) + 2.5) if not empty else 4.5
    figure = Figure(figsize=(size + 1.2, size))
    axes = figure.add_subplot()
    axes.set_title(title)
    if empty or not ticks:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "no sentence labelled by two annotators:\nnothing to compare",
                  ha="center", va="center", transform=axes.transAxes)
        return _png(figure)
    values = np.ma.masked_invalid(np.asarray(values, dtype=float).reshape(len(ticks), len(ticks)))
    colours = axes.imshow(values, cmap=colormaps[cmap].with_extremes(bad="#dddddd"),
                          vmin=vmin, vmax=vmax)
    figure.colorbar(colours, ax=axes, label=colorbar, fraction=0.046, pad=0.04)
    axes.set_xticks(range(len(ticks)), ticks, rotation=35, ha="right")
    axes.set_yticks(range(len(ticks)), ticks)
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    font = 9 if len(ticks) <= 8 else 7
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            _annotate(axes, i, j, text, values[i, j], vmin, vmax, diverging, font)
    return _png(figure)


def _annotate(axes, i: int, j: int, text: str, value, vmin: float, vmax: float,
              diverging: bool, font: int) -> None:
    """Write a cell's text, white only on the dark ends of the colour map."""
    import numpy as np

    share = None if value is np.ma.masked else (value - vmin) / ((vmax - vmin) or 1)
    dark = share is not None and (abs(share - 0.5) > 0.35 if diverging else share > 0.6)
    axes.text(j, i, text, ha="center", va="center", fontsize=font,
              color="white" if dark else "black")


def _short_names(names: list[str]) -> list[str]:
    """Emails without their domain when that keeps them apart (the plot's ticks stay short)."""
    short = [name.split("@")[0] for name in names]
    return short if len(set(short)) == len(short) else names


def _confusion_png(result: dict) -> bytes:
    labels = result.get("labels", [])
    confusion = result.get("confusion", {})
    counts = [[confusion.get(a, {}).get(b, 0) for b in labels] for a in labels]
    top = max((max(row) for row in counts), default=0)
    return _heatmap(counts, [[str(c) for c in row] for row in counts],
                    [label_to_choice(label) for label in labels],
                    title=f"Label confusion between annotators ({result['n_sentences']} sentences)",
                    xlabel="label by another annotator", ylabel="label by one annotator",
                    colorbar="pairs of annotations", cmap="Blues", vmin=0, vmax=max(top, 1),
                    empty=not result["n_sentences"])


def _pairwise_png(result: dict) -> bytes:
    names = sorted(result.get("annotators", {}))
    pairwise = result.get("pairwise", {})
    values, texts = [], []
    for a in names:
        row, row_text = [], []
        for b in names:
            cell = pairwise.get(a, {}).get(b) if a != b else None
            kappa = None if cell is None else cell["kappa"]
            row.append(float("nan") if kappa is None else kappa)
            row_text.append("" if a == b else f"{'n/a' if kappa is None else f'{kappa:.2f}'}\nn={cell['n']}")
        values.append(row)
        texts.append(row_text)
    return _heatmap(values, texts, _short_names(names), title="Cohen's kappa between annotators",
                    xlabel="annotator", ylabel="annotator", colorbar="Cohen's kappa",
                    cmap="RdYlGn", vmin=-1.0, vmax=1.0, diverging=True,
                    empty=not result["n_sentences"])


def write_team_report(result: dict, out_dir: Path) -> list[Path]:
    """Write `team_report.md`, `confusion.png` and `pairwise.png` into `out_dir` (atomically).

    Returns the paths written. `result` is what `workbench.team.stats.team_report` returns.
    """
    out_dir = Path(out_dir)
    paths = [out_dir / REPORT, out_dir / CONFUSION, out_dir / PAIRWISE]
    write_text(paths[0], render_markdown(result))
    write_bytes(paths[1], _confusion_png(result))
    write_bytes(paths[2], _pairwise_png(result))
    return paths
