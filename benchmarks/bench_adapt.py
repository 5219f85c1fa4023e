"""Adapting a model to a domain it never saw, from few labels: `workbench train --base`
simulated on PolNeAR, labels chosen by uncertainty (as the queue does) against at random.

The domain: sentences of US election news (PolNeAR, 2016) labelled `attributed` (the sentence
holds an attribution cue: someone says, thinks or wants something), `not_attributed` or
`headline` (the article's title). The base model is the workbench's default model trained on
our own four-label English and French training sentences (tests/data): it never saw this news
nor these labels. An annotator labels sentences in batches; after each batch the model is
retrained (adapted from the base, whose probabilities are features, or from scratch) and scored on PolNeAR's dev
split. Uncertainty: the next batch is the pool's sentences with the smallest margin between
the two most likely labels (the queue's order); random: a random batch. Several seeds.

Example: nice -n 10 python benchmarks/bench_adapt.py --write
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from workbench.claims.adapt import AdaptedClassifier  # noqa: E402
from workbench.claims.cascade import _macro_f1  # noqa: E402
from workbench.claims.estimator import make_classifier  # noqa: E402
from workbench.claims.modelfile import uncertainty  # noqa: E402
from workbench.core.records import model_record  # noqa: E402
from workbench.quotes.brat import iter_polnear  # noqa: E402
from workbench.text.segment import segment_article  # noqa: E402

POLNEAR = REPO.parent / "shared" / "data" / "polnear"
BUDGETS = (10, 20, 30, 40, 60, 80, 100, 130, 160, 200, 250, 300)
SEEDS = (0, 1, 2, 3)
GOAL = 0.80
STRATEGIES = (("adapted", "uncertainty"), ("adapted", "random"), ("scratch", "uncertainty"))


def polnear_sentences(split: str, articles: int | None, seed: int = 0) -> list[dict]:
    """PolNeAR sentences labelled attributed / not_attributed / headline (from cue spans)."""
    found = list(iter_polnear(POLNEAR / split))
    if articles is not None and articles < len(found):
        rng = np.random.default_rng(seed)
        found = [found[i] for i in sorted(rng.choice(len(found), articles, replace=False))]
    out = []
    for article, attributions in found:
        cues = [(s.start, s.end) for a in attributions for s in a.cue]
        for sentence in segment_article(article):
            if sentence.role == "title":
                label = "headline"
            elif any(a < sentence.end and sentence.start < b for a, b in cues):
                label = "attributed"
            else:
                label = "not_attributed"
            out.append({**model_record({"text": sentence.text, "role": sentence.role, "lang": sentence.lang,
                                        "article_id": article.article_id}), "label": label})
    return out


class LookedUpBase:
    """The base model's probabilities computed once per sentence (a benchmark shortcut: the
    base never changes while the desk labels)."""

    def __init__(self, model, records: list[dict]):
        self.classes_ = model.classes_
        self._proba = dict(zip((r["text"] for r in records), model.predict_proba(records)))

    def predict_proba(self, X):
        return np.asarray([self._proba[r["text"]] for r in X])


def simulate(kind: str, strategy: str, seed: int, pool: list[dict], test: list[dict], base) -> list[float]:
    """macro-F1 on `test` after each budget of labels chosen from `pool` by `strategy`."""
    rng = np.random.default_rng(seed)
    y_pool = np.asarray([r["label"] for r in pool], dtype=object)
    y_test = np.asarray([r["label"] for r in test], dtype=object)
    chosen = list(rng.choice(len(pool), BUDGETS[0], replace=False))
    scores = []
    for k, budget in enumerate(BUDGETS):
        X = [pool[i] for i in chosen]
        y = y_pool[chosen]
        if len(set(y)) < 2:
            model = None
        elif kind == "adapted":
            model = AdaptedClassifier(base, random_state=seed).fit(X, y)
        else:
            model = make_classifier(random_state=seed).fit(X, y)
        scores.append(_macro_f1(y_test, model.predict(test)) if model else 0.0)
        if k + 1 == len(BUDGETS):
            break
        need = BUDGETS[k + 1] - budget
        left = np.setdiff1d(np.arange(len(pool)), chosen)
        if strategy == "random" or model is None:
            chosen += list(rng.choice(left, need, replace=False))
        else:
            unsure = uncertainty(model.predict_proba([pool[i] for i in left]))
            chosen += list(left[np.argsort(-unsure, kind="stable")[:need]])
    return scores


def labels_to_reach(curve: list[float], goal: float = GOAL) -> int | None:
    return next((b for b, s in zip(BUDGETS, curve) if s >= goal), None)


def plot(curves: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, runs in curves.items():
        runs = np.asarray(runs)
        mean, std = runs.mean(axis=0), runs.std(axis=0)
        ax.plot(BUDGETS, mean, marker="o", markersize=3, label=name)
        ax.fill_between(BUDGETS, mean - std, mean + std, alpha=0.15)
    ax.axhline(GOAL, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("labelled sentences")
    ax.set_ylabel("macro-F1 on PolNeAR dev")
    ax.set_title("Adapting to PolNeAR: attributed / not attributed / headline")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def render(result: dict) -> str:
    lines = [
        "# Adapting a model to a new domain from few labels (`workbench train --base`)",
        "",
        f"Generated by `python benchmarks/bench_adapt.py --write` on {result['date']} "
        f"(Python {result['python']}, one thread).",
        "",
        "Domain: PolNeAR (US election news, 2016), sentences labelled `attributed` (holds an",
        "attribution cue), `not_attributed` or `headline`: labels and news the base never saw.",
        f"Pool: {result['pool']} sentences of {result['pool_articles']} training articles; scored on",
        f"{result['test']} sentences of {result['test_articles']} dev articles "
        f"(labels: {result['test_counts']}).",
        f"Base: the default model trained on our {result['base_n']} English and French sentences",
        "(four claim labels). `adapted` = the base's probabilities as features beside the desk's own",
        "n-grams and cues (`workbench.claims.adapt`),",
        "`scratch` = the default model on the labels alone. The first 10 labels are random; then",
        "each batch is the most uncertain pool sentences (1 - margin of the two most likely",
        f"labels, the queue's order) or a random batch. Seeds: {len(SEEDS)}.",
        "",
        "![learning curves](adapt.png)",
        "",
        f"Labels needed to reach macro-F1 {GOAL:.2f} (first budget where the mean over seeds",
        "reaches it; per seed in brackets, `-` = not within the budgets tried):",
        "",
        "| model | labels chosen | mean macro-F1 reaches 0.80 at | per seed |",
        "|---|---|---:|---|",
    ]
    for name, runs in result["curves"].items():
        kind, strategy = name.split(" / ")
        mean = list(np.mean(runs, axis=0))
        per_seed = [labels_to_reach(r) for r in runs]
        lines.append(f"| {kind} | {strategy} | {labels_to_reach(mean) or '-'} | "
                     + ", ".join(str(p) if p else "-" for p in per_seed) + " |")
    lines += ["", "Mean macro-F1 by number of labels:", "",
              "| labels | " + " | ".join(result["curves"]) + " |",
              "|---:|" + "---:|" * len(result["curves"])]
    means = {n: np.mean(r, axis=0) for n, r in result["curves"].items()}
    for k, budget in enumerate(BUDGETS):
        lines.append(f"| {budget} | " + " | ".join(f"{means[n][k]:.3f}" for n in result["curves"]) + " |")
    lines += ["", f"The base model alone, mapped to these labels (attributed_quote -> attributed, "
                  f"a title -> headline, anything else -> not_attributed): macro-F1 "
                  f"{result['base_mapped']:.3f}. Simulation time: {result['seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=80, help="training articles in the pool")
    parser.add_argument("--test-articles", type=int, default=40, help="dev articles scored")
    parser.add_argument("--write", action="store_true", help="write benchmarks/adapt.md and adapt.png")
    args = parser.parse_args(argv)
    if not POLNEAR.is_dir():
        print(f"skipped: no PolNeAR data at {POLNEAR}")
        return 0
    started = time.perf_counter()
    pool = polnear_sentences("train", args.articles)
    test = polnear_sentences("dev", args.test_articles)
    own = [json.loads(line) for name in ("train_en.jsonl", "train_fr.jsonl")
           for line in (REPO / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()]
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore")
        base_model = make_classifier().fit([model_record(r) for r in own], [r["label"] for r in own])
        base = LookedUpBase(base_model, pool + test)
        mapped = ["headline" if r.get("role") == "title" else "attributed" if p == "attributed_quote"
                  else "not_attributed" for r, p in zip(test, base_model.predict(test))]
        curves = {}
        for kind, strategy in STRATEGIES:
            curves[f"{kind} / {strategy}"] = [simulate(kind, strategy, s, pool, test, base) for s in SEEDS]
            print(kind, strategy, [round(float(v), 3) for v in np.mean(curves[f"{kind} / {strategy}"], axis=0)],
                  flush=True)
    counts = {lab: sum(r["label"] == lab for r in test) for lab in ("attributed", "not_attributed", "headline")}
    result = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(), "pool": len(pool),
              "pool_articles": args.articles, "test": len(test), "test_articles": len({r["article_id"] for r in test}),
              "test_counts": counts, "base_n": len(own), "curves": curves,
              "base_mapped": _macro_f1(np.asarray([r["label"] for r in test], dtype=object),
                                       np.asarray(mapped, dtype=object)),
              "seconds": time.perf_counter() - started}
    text = render(result)
    print(text)
    if args.write:
        plot(curves, REPO / "benchmarks" / "adapt.png")
        (REPO / "benchmarks" / "adapt.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
