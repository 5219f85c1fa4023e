"""What routing can do for the cascade on CheckThat! 2025: the oracle bound, and a learned router
against the fast model's margin. Run by bench_cascade.py (`--routers-only` re-runs this part alone).

Out-of-fold decisions on train+dev are leave-one-source-out (each split of a language is one
source), as everywhere in bench_cascade.py. At a share s, a router sends on the s x n sentences
it ranks first:
- margin: the smallest decision margins of the fast model (the cascade's router);
- learned: the highest chance, by a small logistic model on cheap features, that e5 decides
  differently from the fast model. It is trained on out-of-fold decisions computed inside the
  training fold only (stratified folds within the training source), then scores the held-out
  source: nested, no decision on the held-out source is seen;
- oracle: exactly the sentences the fast model gets wrong and e5 right (those that help
  macro-F1 most first): the best any router of these two tiers can do at that share.
dev_test: tiers and routers fitted on train+dev, thresholds set on train+dev's out-of-fold
scores at each share (as `workbench train --cascade --share` does), scored once.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from workbench.claims.cascade import _macro_f1, margins
from workbench.claims.embeddings import embedding_cache
from workbench.claims.estimator import make_classifier

SHARES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3)
VARIANT_SHARES = (0.02, 0.05, 0.12, 0.3)
TOLERANCE = 0.02
TARGET_SPEED = 1000.0
# The learned router's variants, compared by CV: what it predicts, and whether by boosted trees.
VARIANTS = {"learned": ("differs", False), "fixes, logistic": ("fixes", False),
            "differs, boosted": ("differs", True), "fixes, boosted": ("fixes", True)}
WORD = re.compile(r"\w+")
QUOTES = re.compile(r"[\"“”«»„‘’]")
FIRST_PERSON = frozenset(
    "i me my mine we us our ours myself ourselves ich mich mir mein meine meinen meinem meiner wir uns "
    "unser unsere unseren unserem io mi mio mia miei mie noi ci nostro nostra nostri nostre".split())


def _hashes(tokens: list[str]) -> tuple[list[int], list[int]]:
    """Stable hashes of a sentence's words and word pairs."""
    return ([zlib.crc32(t.encode()) for t in tokens],
            [zlib.crc32(f"{a} {b}".encode()) for a, b in zip(tokens, tokens[1:])])


def _unseen(hashes: list[int], known: np.ndarray) -> float:
    if not hashes:
        return 1.0
    h = np.asarray(hashes, dtype=np.int64)
    at = np.minimum(np.searchsorted(known, h), len(known) - 1)
    return float(1.0 - (known[at] == h).mean())


def vocabulary(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted hashes of the words and of the word pairs of `records`."""
    words, pairs = set(), set()
    for r in records:
        w, p = _hashes(WORD.findall(r["text"].lower()))
        words.update(w)
        pairs.update(p)
    return np.asarray(sorted(words), dtype=np.int64), np.asarray(sorted(pairs), dtype=np.int64)


def text_features(records: list[dict], known: list[dict]) -> np.ndarray:
    """Per sentence: log tokens, the shares of its words and word pairs unseen in `known` (the
    fast model's training sentences), digits, quote marks, first-person pronouns, ? or !."""
    words, pairs = vocabulary(known)
    rows = []
    for r in records:
        text = r["text"]
        tokens = WORD.findall(text.lower())
        w, p = _hashes(tokens)
        rows.append((np.log1p(len(tokens)), _unseen(w, words), _unseen(p, pairs),
                     sum(c.isdigit() for c in text) / max(len(text), 1), float(bool(QUOTES.search(text))),
                     sum(t in FIRST_PERSON for t in tokens), float("?" in text or "!" in text)))
    return np.asarray(rows, dtype=float).reshape(len(records), 7)


def target(kind: str, y: np.ndarray, d: dict) -> np.ndarray:
    """What a router learns: e5 decides differently (`differs`) or fixes the fast model (`fixes`)."""
    return (d["fast"] != d["e5"]) if kind == "differs" else (d["fast"] != y) & (d["e5"] == y)


class LearnedRouter:
    """P(e5 decides differently from the fast model, or fixes it: the `differs` given to `fit`)
    from the fast model's scores (margin, uncalibrated probability and entropy) and the
    sentence's `text_features`; a logistic model, or small boosted trees when `boosted`."""

    def __init__(self, boosted: bool = False):
        self.boosted = boosted

    def fit(self, scores: np.ndarray, text: np.ndarray, differs: np.ndarray):
        features = self.features(scores, text)
        self.scaler_ = StandardScaler().fit(features)
        model = (HistGradientBoostingClassifier(max_iter=100, learning_rate=0.05, max_leaf_nodes=8,
                                                min_samples_leaf=30, random_state=0)
                 if self.boosted else LogisticRegression(max_iter=1000))
        self.model_ = model.fit(self.scaler_.transform(features), differs)
        return self

    @staticmethod
    def features(scores: np.ndarray, text: np.ndarray) -> np.ndarray:
        scores = np.asarray(scores, dtype=float)
        proba = 1 / (1 + np.exp(-np.abs(scores)))  # the decided label's uncalibrated probability
        entropy = -(proba * np.log(proba) + (1 - proba) * np.log(np.clip(1 - proba, 1e-12, None)))
        return np.column_stack([np.abs(scores), np.log1p(np.abs(scores)), scores, proba, entropy, text])

    def predict(self, scores: np.ndarray, text: np.ndarray) -> np.ndarray:
        return self.model_.predict_proba(self.scaler_.transform(self.features(scores, text)))[:, 1]


def decisions(options: dict, X_train: list[dict], y_train: np.ndarray, X: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """Labels and linear scores of a model fitted on (X_train, y_train), on X."""
    model = make_classifier(calibration="none", **options).fit(X_train, y_train)
    return model.predict(X), np.asarray(model.decision_function(X), dtype=float)


def out_of_fold(fast: dict, e5: dict, X: list[dict], y: np.ndarray, splits) -> dict:
    """Out-of-fold fast labels and scores and e5 labels over `splits`."""
    n = len(y)
    out = {"fast": np.empty(n, dtype=object), "scores": np.zeros(n), "e5": np.empty(n, dtype=object),
           "text": np.zeros((n, 7))}
    for train, test in splits:
        X_train, held = [X[i] for i in train], [X[i] for i in test]
        out["text"][test] = text_features(held, X_train)  # words unseen by the model that decided
        out["fast"][test], out["scores"][test] = decisions(fast, X_train, y[train], held)
        out["e5"][test] = decisions(e5, X_train, y[train], held)[0]
    return out


def oracle_order(y: np.ndarray, fast: np.ndarray, e5: np.ndarray) -> list[int]:
    """The sentences the fast model gets wrong and e5 right, greedily in the order that raises
    macro-F1 most at each step."""
    left = {c: [i for i in np.flatnonzero((fast != y) & (e5 == y)) if y[i] == c] for c in np.unique(y)}
    pred, order = fast.copy(), []
    while any(left.values()):
        gains = {}
        for c, items in left.items():
            if items:
                trial = pred.copy()
                trial[items[0]] = c
                gains[c] = _macro_f1(y, trial)
        c = max(gains, key=gains.get)
        i = left[c].pop(0)
        pred[i] = c
        order.append(i)
    return order


def routed(y, fast, e5, order, k: int) -> float:
    pred = fast.copy()
    chosen = np.asarray(order[:k], dtype=int)
    pred[chosen] = e5[chosen]
    return _macro_f1(y, pred)


def oracle_needs(y, fast, e5, goal: float) -> float | None:
    """The smallest share the oracle must send on to reach `goal` (None: it never does)."""
    order = oracle_order(y, fast, e5)
    for k in range(len(order) + 1):
        if routed(y, fast, e5, order, k) >= goal:
            return k / len(y)
    return None


def language(lang: str, fast: dict, e5: dict, X, y, X_test, y_test, cache, cost: dict) -> dict:
    """The three routers' frontiers for one language, by nested CV and on dev_test."""
    groups = np.asarray([r["source"] for r in X])
    n = len(y)
    with embedding_cache(cache), threadpool_limits(1):
        outer = list(GroupKFold(n_splits=len(set(groups))).split(X, y, groups))
        oof = out_of_fold(fast, e5, X, y, outer)
        nested = {name: np.zeros(n) for name in VARIANTS}
        for train, test in outer:  # the router learns from decisions inside the training fold only
            X_in, y_in = [X[i] for i in train], y[train]
            inner = StratifiedKFold(5, shuffle=True, random_state=0).split(X_in, y_in)
            d = out_of_fold(fast, e5, X_in, y_in, list(inner))
            for name, (kind, boosted) in VARIANTS.items():
                router = LearnedRouter(boosted).fit(d["scores"], d["text"], target(kind, y_in, d))
                nested[name][test] = router.predict(oof["scores"][test], oof["text"][test])
        learned = nested["learned"]
        f_labels, f_scores = decisions(fast, X, y, X_test)
        test = {"fast": f_labels, "scores": f_scores, "e5": decisions(e5, X, y, X_test)[0]}
        differs = oof["fast"] != oof["e5"]
        router = LearnedRouter().fit(oof["scores"], oof["text"], differs)
        learned_test = router.predict(test["scores"], text_features(X_test, X))
        learned_fit = np.zeros(n)  # the router's own out-of-fold scores set its thresholds
        for train, held in outer:
            learned_fit[held] = (LearnedRouter().fit(oof["scores"][train], oof["text"][train], differs[train])
                                 .predict(oof["scores"][held], oof["text"][held]))
    # 1,000/s per core leaves this share for e5: 1/1000 = fast cost + share x e5 cost
    budget = max(0.0, (1 / TARGET_SPEED - 1 / cost["fast"]) * cost["e5"])
    shares = sorted(set(SHARES) | {round(budget, 4)})
    out = {"language": lang, "budget_share": budget, "cost": cost, "shares": shares}
    for name, (yy, o, m_scores, l_scores) in {
            "cv": (y, oof, margins(oof["scores"]), learned),
            "dev_test": (y_test, test, margins(test["scores"]), learned_test)}.items():
        e5_f1 = _macro_f1(yy, o["e5"])
        order = oracle_order(yy, o["fast"], o["e5"])
        rows = []
        for s in shares:
            k = int(round(s * len(yy)))
            row = {"share": s, "oracle": routed(yy, o["fast"], o["e5"], order, k)}
            if name == "cv":  # exactly the share: each router's k first
                row["margin"] = routed(yy, o["fast"], o["e5"], list(np.argsort(m_scores, kind="stable")), k)
                for variant, score in nested.items():
                    row[variant] = routed(yy, o["fast"], o["e5"], list(np.argsort(-score, kind="stable")), k)
            else:  # thresholds from train+dev's out-of-fold scores: the share sent on can differ
                kk = int(round(s * n))
                for router, score, fitted in (("margin", -m_scores, -margins(oof["scores"])),
                                              ("learned", l_scores, learned_fit)):
                    cut = np.sort(fitted)[::-1][kk] if 0 < kk < n else (np.inf if kk == 0 else -np.inf)
                    sent = score > cut
                    row[router] = _macro_f1(yy, np.where(sent, o["e5"], o["fast"]))
                    row[f"{router}_sent"] = float(sent.mean())
            rows.append(row)
        needs = oracle_needs(yy, o["fast"], o["e5"], e5_f1 - TOLERANCE)
        out[name] = {"fast": _macro_f1(yy, o["fast"]), "e5": e5_f1, "rows": rows, "oracle_needs": needs,
                     "oracle_needs_per_s": (1 / (1 / cost["fast"] + needs / cost["e5"])) if needs is not None else None,
                     "disagree": float(np.mean(o["fast"] != o["e5"])),
                     "fixable": float(np.mean((o["fast"] != yy) & (o["e5"] == yy)))}
    return out


def verdict(results: list[dict]) -> list[str]:
    """What the measurements say of the target (1,000/s per core within 0.02 of e5), in words."""
    def beats(r, name, variant="learned"):  # shares where a learned router's CV macro-F1 is above the margin's
        return sum(row[variant] > row["margin"] + 1e-9 for row in r[name]["rows"] if 0 < row["share"])

    def reach(r, variant):  # the smallest share (up to the largest tried) within 0.02 of e5, by CV
        ok = [x["share"] for x in r["cv"]["rows"] if x[variant] >= r["cv"]["e5"] - TOLERANCE]
        return f"{min(ok):.2f}" if ok else f"more than {max(SHARES):.2f}"

    blocked = [r["language"] for r in results
               if r["cv"]["oracle_needs"] is None or r["cv"]["oracle_needs"] > r["budget_share"]]
    needs = ", ".join(f"{r['language']} {r['cv']['oracle_needs']:.3f} ({r['cv']['oracle_needs_per_s']:,.0f}/s)"
                      if r["cv"]["oracle_needs"] is not None else f"{r['language']} never" for r in results)
    lines = ["**What this says about 1,000 sentences/s within 0.02 of e5.** "
             f"At 1,000/s per core e5 can see {min(r['budget_share'] for r in results):.1%}-"
             f"{max(r['budget_share'] for r in results):.1%} of the sentences. "
             f"Even the oracle router needs, by cross-validation, a share of {needs}."]
    if blocked:
        lines.append(f"In {', '.join(blocked)} that is more than 1,000/s allows: no router of these two "
                     "tiers, by any confidence, can meet the target there; it is a limit of the tiers "
                     "(the fast model's errors that e5 fixes are too many), not of the routing.")
    def at_budget(r, variant):
        row = next(x for x in r["cv"]["rows"] if x["share"] == round(r["budget_share"], 4))
        return row[variant] - r["cv"]["fast"]

    lines.append("At the share 1,000/s allows, a perfect router adds "
                 + " / ".join(f"{at_budget(r, 'oracle'):+.3f}" for r in results) + " to the fast model's "
                 "cross-validated macro-F1 and the margin router " + " / ".join(
                     f"{at_budget(r, 'margin'):+.3f}" for r in results) + ", against gaps to e5 of "
                 + " / ".join(f"{r['cv']['e5'] - r['cv']['fast']:.3f}" for r in results) + ".")
    lines.append("On dev_test the oracle would need " + ", ".join(
        f"{r['language']} {r['dev_test']['oracle_needs']:.3f}" if r["dev_test"]["oracle_needs"] is not None
        else f"{r['language']} more than all" for r in results) + ": a router that knew dev_test's answers.")
    better = sum(beats(r, "cv") for r in results) > sum(len(r["cv"]["rows"]) - 1 for r in results) / 2
    lines.append("The learned router is above the margin router at "
                 + ", ".join(f"{beats(r, 'cv')}" for r in results)
                 + f" of the {len(results[0]['cv']['rows']) - 1} cross-validated shares ("
                 + ", ".join(r["language"] for r in results) + ")"
                 + (": better by CV." if better else ": not better by CV, so the cascade keeps routing "
                    "by the margin.")
                 + " To come within 0.02 of e5 by CV the routers need shares of "
                 + "; ".join(f"{v} " + " / ".join(reach(r, v) for r in results) for v in ("margin", *VARIANTS))
                 + f" ({', '.join(r['language'] for r in results)})."
                 + " Meeting the target needs a better first tier, not a better router: at thousands of "
                 "sentences/s it must itself be within " + " / ".join(
                     f"{TOLERANCE + at_budget(r, 'oracle'):.3f}" for r in results)
                 + " of e5 by CV even with a perfect router, and within about 0.02 with the margin's.")
    return [" ".join(lines)]


def render(results: list[dict]) -> list[str]:
    """The report's section on routing: the oracle bound, the learned router, the verdict."""
    lines = [
        "",
        "## What routing can do: the oracle bound and a learned router (two tiers)",
        "",
        "At a share s each router sends on the s x n sentences it ranks first. `margin`: the",
        "smallest margins of the fast model (the cascade's router). `learned`: a logistic model",
        "on cheap features (the fast model's score, margin, probability and entropy; tokens; the",
        "shares of words and word pairs unseen in training; digits, quote marks, first-person",
        "pronouns, ? or !) predicting that e5 decides differently; it is trained on out-of-fold",
        "decisions computed inside the training fold only (nested). `oracle`: exactly the",
        "sentences the fast model gets wrong and e5 right, the best any router over these two",
        "tiers can reach at that share. Cross-validated macro-F1 is leave-one-source-out on",
        "train+dev with each router's exact share; on dev_test the thresholds are set on",
        "train+dev's out-of-fold scores, so the share sent on (`sent`) can differ. The share",
        "1,000/s leaves for e5 is (1/1000 - fast cost) / e5 cost, from the costs measured above.",
        "",
        "| language | e5 (CV / dev_test) | goal: e5 - 0.02 | share 1,000/s allows | oracle needs (CV / dev_test) "
        "| speed then (CV / dev_test) | at 1,000/s: oracle (CV / dev_test) | margin | learned |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def share(v):
        return "never" if v is None else f"{v:.3f}"

    def speed(v):
        return "-" if v is None else f"{v:,.0f}/s"

    for r in results:
        cv, dt = r["cv"], r["dev_test"]
        at = next(k for k, s in enumerate(r["shares"]) if s == round(r["budget_share"], 4))
        lines.append(
            f"| {r['language']} | {cv['e5']:.3f} / {dt['e5']:.3f} | {cv['e5'] - TOLERANCE:.3f} / "
            f"{dt['e5'] - TOLERANCE:.3f} | {r['budget_share']:.3f} | {share(cv['oracle_needs'])} / "
            f"{share(dt['oracle_needs'])} | {speed(cv['oracle_needs_per_s'])} / {speed(dt['oracle_needs_per_s'])} | "
            f"{cv['rows'][at]['oracle']:.3f} / {dt['rows'][at]['oracle']:.3f} | "
            f"{cv['rows'][at]['margin']:.3f} / {dt['rows'][at]['margin']:.3f} | "
            f"{cv['rows'][at]['learned']:.3f} / {dt['rows'][at]['learned']:.3f} |")
    for name, title in (("cv", "cross-validated (leave-one-source-out, exact shares)"),
                        ("dev_test", "dev_test (thresholds from train+dev; share sent on beside)")):
        lines += ["", f"Frontiers, {title}: macro-F1 of margin / learned / oracle.", "",
                  "| share | " + " | ".join(
                      f"{r['language']} margin | learned | oracle" for r in results) + " |",
                  "|---:|" + "---:|---:|---:|" * len(results)]
        for s in SHARES:
            cells = [f"{s:.2f}"]
            for r in results:
                row = next(x for x in r[name]["rows"] if x["share"] == s)
                if name == "cv":
                    cells.append(f"{row['margin']:.3f} | {row['learned']:.3f} | {row['oracle']:.3f}")
                else:
                    cells.append(f"{row['margin']:.3f} ({row['margin_sent']:.3f}) | "
                                 f"{row['learned']:.3f} ({row['learned_sent']:.3f}) | {row['oracle']:.3f}")
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "The learned router's variants, cross-validated (nested as above): macro-F1 at shares "
              + " / ".join(f"{s:.2f}" for s in VARIANT_SHARES) + ". `differs`: trained to predict that e5 "
              "decides differently; `fixes`: that e5 is right where the fast model is wrong. `boosted`: "
              "small gradient-boosted trees instead of the logistic model.", "",
              "| router | " + " | ".join(r["language"] for r in results) + " |",
              "|---|" + "---|" * len(results)]
    for variant in ("margin", *VARIANTS):
        lines.append(f"| {'margin (the cascade)' if variant == 'margin' else variant} | " + " | ".join(
            " / ".join(f"{next(x for x in r['cv']['rows'] if x['share'] == s)[variant]:.3f}" for s in VARIANT_SHARES)
            for r in results) + " |")
    lines += ["", *verdict(results)]
    return lines
