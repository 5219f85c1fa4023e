"""Training beyond the plain model: adapting a base model to a desk's labels, and the cascade,
each saved with its manifest and report (what `workbench train --base` and `--cascade` run).

Adaptation is stacking: a desk's labels train its own claim classifier (n-grams and cues,
which learn the desk's words), and a small logistic model combines that classifier's
out-of-fold decision scores with the base model's log-probabilities. The base keeps what it
learned from thousands of sentences (quotes, opinions, headlines) and the desk's labels decide
how much each of its outputs means for theirs, so the labels may even differ from the base's
(a desk's "attributed" / "not attributed" / "headline" over a four-label base). With no
out-of-fold scores to learn from (fewer than two labels of some kind), the desk's classifier's
in-sample scores stand in.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from workbench.claims.classifier import (data_hash, load_model, save_model, score, train, training_records,
                                         versions)
from workbench.claims.embeddings import embedding_cache
from workbench.claims.estimator import make_classifier
from workbench.claims.modelfile import MANIFEST_FORMAT, Model
from workbench.claims.report import write_report
from workbench.core.errors import ConfigError, InputError
from workbench.core.jsonl import read_jsonl
from workbench.core.records import model_record

__all__ = ["AdaptedClassifier", "adapt", "train_variant_to_file"]

EPSILON = 1e-4  # floor of the base's probabilities before their log


def _scores_2d(scores: np.ndarray) -> np.ndarray:
    return scores.reshape(-1, 1) if np.ndim(scores) == 1 else np.asarray(scores)


class AdaptedClassifier(BaseEstimator, ClassifierMixin):
    """The desk's own claim classifier stacked with a fitted base model (see the module)."""

    def __init__(self, base=None, options: dict | None = None, folds: int = 5, C: float = 1.0,
                 random_state: int = 0):
        self.base = base
        self.options = options
        self.folds = folds
        self.C = C
        self.random_state = random_state

    def _own(self):
        return make_classifier(random_state=self.random_state, calibration="none", **(self.options or {}))

    def _base_features(self, X: list) -> np.ndarray:
        return np.log(np.clip(np.asarray(self.base.predict_proba(X), dtype=float), EPSILON, 1.0))

    def fit(self, X, y):
        """Fit the desk's classifier, its out-of-fold scores, and the combining model."""
        if self.base is None:
            raise ValueError("AdaptedClassifier needs a fitted base model")
        X = list(X)
        y = np.asarray([str(label) for label in y], dtype=object)
        self.own_ = self._own().fit(X, y)
        self.classes_ = self.own_.classes_
        folds = min(self.folds, int(np.unique(y, return_counts=True)[1].min()))
        if folds >= 2:
            scores = np.zeros((len(y), _scores_2d(self.own_.decision_function(X[:1])).shape[1]))
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
            for train, test in splitter.split(X, y):
                part = self._own().fit([X[i] for i in train], y[train])
                scores[test] = _scores_2d(part.decision_function([X[i] for i in test]))
        else:
            scores = _scores_2d(self.own_.decision_function(X))
        features = np.hstack([scores, self._base_features(X)])
        self.combiner_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=1000).fit(features, y)
        return self

    def _features(self, X: list) -> np.ndarray:
        return np.hstack([_scores_2d(self.own_.decision_function(X)), self._base_features(X)])

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of the combining model, columns in the order of `classes_`."""
        check_is_fitted(self, "combiner_")
        X = list(X)
        return self.combiner_.predict_proba(self._features(X)) if X else np.zeros((0, len(self.classes_)))

    def predict_with_proba(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Labels (the most probable) and probabilities."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)], proba

    def predict(self, X) -> np.ndarray:
        """Labels (strings from `classes_`)."""
        return self.predict_with_proba(X)[0]


def adapt(records: list[dict], base: Model, *, folds: int = 5, random_state: int = 0,
          warn=warnings.warn) -> Model:
    """An `AdaptedClassifier` on labelled records over the fitted `base`, with cross-validated
    metrics (folds grouped by article when records carry one) in its manifest."""
    records = training_records(records)
    counts = Counter(r["label"] for r in records)
    if len(counts) < 2:
        raise InputError("adapting a model needs at least two labels in the training data")
    X = [model_record(r) for r in records]
    y = np.asarray([r["label"] for r in records], dtype=object)
    metrics = None
    n_splits = min(folds, min(counts.values()))
    if n_splits >= 2:
        predicted = np.empty(len(y), dtype=object)
        splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
        for train_idx, test_idx in splitter.split(X, y):
            model = AdaptedClassifier(base.estimator, random_state=random_state)
            with warnings.catch_warnings(action="ignore"):
                model.fit([X[i] for i in train_idx], y[train_idx])
            predicted[test_idx] = model.predict([X[i] for i in test_idx])
        metrics = score(list(y), list(predicted), sorted(counts))
        metrics.update({"folds": n_splits, "grouped_by_article": False})
    else:
        warn("too few labelled examples per class for cross-validation; metrics skipped")
    with warnings.catch_warnings(action="ignore"):
        estimator = AdaptedClassifier(base.estimator, random_state=random_state).fit(X, y)
    manifest = {
        "format": MANIFEST_FORMAT, "labels": [str(c) for c in estimator.classes_],
        "label_counts": dict(sorted(counts.items())), "n_train": len(records),
        "data_sha256": data_hash(records), "cv_metrics": metrics,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(base.manifest.get("options")), "random_state": random_state,
        "options": {}, "adapted_from": {"model_version": base.model_version, "method": "stacking",
                                        "labels": base.labels, "options": base.manifest.get("options")},
    }
    return Model(estimator=estimator, manifest=manifest)


def train_variant_to_file(data: Path | str | list[dict], output: Path, *, cascade: bool = False,
                          share: float | None = None, base: Path | None = None, folds: int = 5,
                          seed: int = 0, report_dir: Path | None = None, learning_curve: bool = True,
                          embeddings: str | None = None, warn: Callable[[str], None] | None = None) -> Model:
    """Train a cascade (`cascade`, optional `share`) or adapt the model file `base` to the
    labelled records (or JSON Lines file) `data`; save it (model, manifest, training sentences)
    and its report like `train_to_file`."""
    if sum(map(bool, (cascade, base, embeddings))) != 1 or (share is not None and not cascade):
        raise ConfigError("train one of: a cascade (--cascade, with --share when you set it), a model "
                          "adapted from another (--base MODEL) or one with --embeddings")
    warn = warn or warnings.warn
    records = data if isinstance(data, list) else read_jsonl(Path(data))
    output = Path(output)
    usable = training_records(records)
    report_dir = Path(report_dir) if report_dir else output.with_name((output.name.split(".")[0] or "model") + "-report")
    try:
        with embedding_cache():
            if base is not None:
                model = adapt(records, load_model(Path(base)), folds=folds, random_state=seed, warn=warn)
                learning_curve = False  # the curve refits plain models, not the stacked one
            else:
                options = {"cascade": True, "embeddings": "e5",
                           **({"share": float(share)} if share is not None else {})}
                model = train(records, folds=folds, random_state=seed, options=options, warn=warn)
                model.manifest["cascade"] = model.estimator.summary()
            model = save_model(model, output, training=usable)
            write_report(model.manifest, usable, report_dir, curve=learning_curve, random_state=seed)
    except ImportError as exc:  # the embedding extra is not installed
        raise ConfigError(str(exc)) from None
    return model
