"""A cascade of claim classifiers: the fast model decides the sentences it is sure of, a better
(slower) one the rest.

The default model predicts thousands of sentences per second per core; the e5 model tens, for
+0.04-0.07 macro-F1 on CheckThat!, and more on news unlike the training data. Most sentences
are easy: both models agree on them. The cascade runs the fast model on every sentence and
passes on only those whose decision margin (the distance of the linear scores to the decision
boundary) is among the smallest: a share of the sentences, chosen by cross-validation grouped
by source (or language) so that the routing is chosen on margins measured on sources the model
did not see, or set by the caller.

Choosing the share: every tier's out-of-fold margins and predictions are computed once, then
each candidate share is scored on them (the routing re-played, no refit); the smallest share
whose macro-F1 is within `tolerance` of the last tier's alone is kept.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from workbench.claims.embeddings import embedding_cache
from workbench.claims.estimator import make_classifier

__all__ = ["CascadeClassifier", "SHARES", "cascade_groups", "make_estimator", "margins"]

# Candidate shares of sentences sent on to the last tier, scored by cross-validation.
SHARES = (0.0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.12, 0.2, 0.3, 0.5, 0.75, 1.0)
GROUP_FIELDS = ("source", "article_id", "lang")


def make_tier(random_state: int = 0, **options):
    """One tier of a cascade: the claim classifier `options` describe, stacked with distilled
    word vectors (`workbench.claims.static`) when `static` gives their weight."""
    weight = options.pop("static", None)
    if weight:
        from workbench.claims.static import StaticStack

        return StaticStack(options=options, weight=weight, random_state=random_state)
    return make_classifier(random_state=random_state, **options)


def margins(scores: np.ndarray) -> np.ndarray:
    """How sure a linear decision is: |score| for two labels, top score minus the runner-up
    otherwise (the class-balanced decision takes the top score)."""
    scores = np.asarray(scores, dtype=float)
    if scores.ndim == 1:
        return np.abs(scores)
    if scores.shape[1] < 2:
        return np.full(scores.shape[0], np.inf)
    top2 = np.sort(scores, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def cascade_groups(records: list) -> np.ndarray | None:
    """Cross-validation groups: the first of `GROUP_FIELDS` every record carries with at least
    two distinct values (a source, an article, a language), else None (stratified folds)."""
    for field in GROUP_FIELDS:
        values = [r.get(field) if isinstance(r, Mapping) else None for r in records]
        if all(values) and len(set(values)) >= 2:
            return np.asarray(values, dtype=object)
    return None


def _macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    classes = np.unique(y)
    total = 0.0
    for c in classes:
        tp = np.sum((pred == c) & (y == c))
        denominator = np.sum(pred == c) + np.sum(y == c)
        total += 2 * tp / denominator if denominator else 0.0
    return float(total / len(classes))


def _route(margin: np.ndarray, threshold: float) -> np.ndarray:
    """Which sentences go on: a margin strictly below the threshold."""
    return margin < threshold


def _threshold(margin: np.ndarray, share: float) -> float:
    """The margin below which a `share` of these margins falls."""
    if share <= 0 or not len(margin):
        return float("-inf")
    if share >= 1:
        return float("inf")
    ordered = np.sort(margin)
    k = int(round(share * len(ordered)))
    return float(ordered[k]) if k < len(ordered) else float("inf")


class CascadeClassifier(BaseEstimator, ClassifierMixin):
    """The fast claim classifier, then a better one for the sentences it is least sure of.

    `fast` and `slow` are `make_classifier` options of the two tiers (default: the default
    model, then the same with `embeddings`); `static` stacks the fast tier with word vectors
    distilled from the encoder, at that weight (`workbench.claims.static`). `share` is the
    share of sentences sent on to the slow tier; None chooses it by cross-validation (`folds`
    folds grouped by `cascade_groups`): the smallest share within `tolerance` of the slow tier.
    """

    def __init__(self, fast: dict | None = None, slow: dict | None = None, embeddings: str | None = "e5",
                 static: float | None = None, share: float | None = None, tolerance: float = 0.02,
                 folds: int = 5, random_state: int = 0):
        self.fast = fast
        self.slow = slow
        self.embeddings = embeddings
        self.static = static
        self.share = share
        self.tolerance = tolerance
        self.folds = folds
        self.random_state = random_state

    def _tier_options(self) -> list[dict]:
        fast = dict(self.fast or {})
        slow = (dict(self.slow) if self.slow is not None
                else {**{k: v for k, v in fast.items() if k != "static"}, "embeddings": self.embeddings})
        if self.static:
            fast["static"] = self.static
        return [fast, slow]

    def _splits(self, X: list, y: np.ndarray):
        groups = cascade_groups(X)
        counts = np.unique(y, return_counts=True)[1]
        if groups is not None and len(set(groups)) >= 2:
            n = min(self.folds, len(set(groups)))
            return list(GroupKFold(n_splits=n).split(X, y, groups)), "grouped"
        n = min(self.folds, int(counts.min()))
        if n < 2:
            return [], "none"
        splitter = StratifiedKFold(n_splits=n, shuffle=True, random_state=self.random_state)
        return list(splitter.split(X, y)), "stratified"

    def fit(self, X, y):
        """Fit both tiers on all of (X, y) and choose the share (unless set) by cross-validation."""
        with embedding_cache():  # each sentence embedded once across the folds and the final fit
            return self._fit(list(X), np.asarray([str(label) for label in y], dtype=object))

    def _fit(self, X: list, y: np.ndarray):
        if self.share is not None and not 0 <= self.share <= 1:
            raise ValueError(f"share must be between 0 and 1, not {self.share}")
        options = self._tier_options()
        splits, self.cv_kind_ = self._splits(X, y)
        self.cv_ = self._cross_validate(X, y, options, splits) if splits else None
        self.tiers_ = [make_tier(random_state=self.random_state, **o).fit(X, y) for o in options]
        self.classes_ = self.tiers_[0].classes_
        if any(list(t.classes_) != list(self.classes_) for t in self.tiers_):
            raise ValueError("the tiers learned different labels")
        if self.share is not None:
            self.share_ = float(self.share)
        elif self.cv_ is not None:
            self.share_ = self.cv_["chosen_share"]
        else:
            self.share_ = 1.0  # nothing to choose from: every sentence to the better tier
        fast_margins = self.cv_["fast_margins"] if self.cv_ is not None else None
        if fast_margins is None:  # no held-out margins: the training margins stand in
            fast_margins = margins(self.tiers_[0].decision_function(X))
        self.threshold_ = _threshold(np.asarray(fast_margins), self.share_)
        return self

    def _cross_validate(self, X: list, y: np.ndarray, options: list[dict], splits) -> dict:
        """Out-of-fold predictions and margins of each tier, and the routing re-played per share."""
        n = len(y)
        preds = [np.empty(n, dtype=object) for _ in options]
        fast_margins = np.zeros(n)
        for train, test in splits:
            for k, o in enumerate(options):
                scores_only = {} if o.get("static") else {"calibration": "none"}
                model = make_tier(random_state=self.random_state, **scores_only, **o)
                model.fit([X[i] for i in train], y[train])
                held = [X[i] for i in test]
                scores = model.decision_function(held)
                preds[k][test] = model.predict(held)
                if k == 0:
                    fast_margins[test] = margins(scores)
        tried = sorted(set(SHARES) | ({float(self.share)} if self.share is not None else set()))
        frontier = []
        for share in tried:
            sent = _route(fast_margins, _threshold(fast_margins, share))
            pred = np.where(sent, preds[1], preds[0])
            frontier.append({"share": share, "macro_f1": _macro_f1(y, pred)})
        slow = _macro_f1(y, preds[1])
        good = [p["share"] for p in frontier if p["macro_f1"] >= slow - self.tolerance]
        return {"fast_macro_f1": _macro_f1(y, preds[0]), "slow_macro_f1": slow,
                "frontier": frontier, "chosen_share": min(good) if good else 1.0,
                "folds": len(splits), "fast_margins": fast_margins}

    def summary(self) -> dict:
        """What a manifest says of the cascade: the share, how it was chosen, the CV frontier."""
        check_is_fitted(self, "tiers_")
        finite = bool(np.isfinite(self.threshold_))  # JSON has no infinity: None = "none" / "all"
        return {"share": self.share_, "threshold": self.threshold_ if finite else None,
                "chosen_by": "option" if self.share is not None else f"{self.cv_kind_} cross-validation",
                "tiers": self._tier_options(),
                "cv": {k: v for k, v in (self.cv_ or {}).items() if k != "fast_margins"} or None}

    def check(self) -> None:
        """Raise ValueError when the fitted cascade is inconsistent (a damaged or forged file)."""
        check_is_fitted(self, "tiers_")
        if len(self.tiers_) != 2 or any(list(t.classes_) != list(self.classes_) for t in self.tiers_):
            raise ValueError("its tiers do not share its labels")
        if not 0 <= self.share_ <= 1 or np.isnan(self.threshold_):
            raise ValueError(f"share {self.share_!r} / threshold {self.threshold_!r} out of range")

    def route(self, X) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(labels, probabilities, tier of each sentence: 0 fast, 1 slow)."""
        check_is_fitted(self, "tiers_")
        X = list(X)
        fast = self.tiers_[0]
        labels, proba = fast.predict_with_proba(X)
        labels = np.asarray(labels, dtype=object).copy()
        proba = np.asarray(proba, dtype=float).copy()
        tier = np.zeros(len(X), dtype=int)
        if len(X) and self.threshold_ > float("-inf"):
            sent = np.flatnonzero(_route(margins(fast.decision_function(X)), self.threshold_))
            if len(sent):
                slow_labels, slow_proba = self.tiers_[1].predict_with_proba([X[i] for i in sent])
                labels[sent] = slow_labels
                proba[sent] = slow_proba
                tier[sent] = 1
        return labels, proba, tier

    def predict_with_proba(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Labels and probabilities, each from the tier that decided the sentence."""
        labels, proba, _ = self.route(X)
        return labels, proba

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of the deciding tier, columns in the order of `classes_`."""
        return self.route(X)[1]

    def predict(self, X) -> np.ndarray:
        """Labels (strings from `classes_`)."""
        return self.route(X)[0]

    def __getstate__(self):  # the out-of-fold margins are only needed while fitting
        state = dict(self.__dict__)
        if state.get("cv_"):
            state["cv_"] = {k: v for k, v in state["cv_"].items() if k != "fast_margins"}
        return state


def make_estimator(random_state: int = 0, **options):
    """The estimator `options` describe: a `CascadeClassifier` when `cascade` is set, else
    `make_classifier`'s claim classifier."""
    if options.pop("cascade", False):
        return CascadeClassifier(random_state=random_state, **options)
    return make_classifier(random_state=random_state, **options)
