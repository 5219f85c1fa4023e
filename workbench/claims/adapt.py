"""Training beyond the plain model: adapting a base model to a desk's labels, and the cascade,
each saved with its manifest and report (what `workbench train --base` and `--cascade` run).

Adaptation reads the base model as features: the desk's labels train one linear model over the
desk's own n-grams and cues plus the base model's probabilities (a block of a few columns, as
the e5 vectors are one in the e5 model). The base keeps what it learned from thousands of
sentences (quotes, opinions, headlines) and the desk's labels decide what each of its outputs
means for theirs, so the labels may differ from the base's (a desk's "attributed" / "not
attributed" / "headline" over a four-label base).
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from workbench.claims.classifier import (data_hash, load_model, save_model, score, train, training_records,
                                         versions)
from workbench.claims.embeddings import embedding_cache
from workbench.claims.modelfile import MANIFEST_FORMAT, Model
from workbench.claims.report import write_report
from workbench.claims.textfeatures import make_features
from workbench.core.errors import ConfigError, InputError
from workbench.core.jsonl import read_jsonl
from workbench.core.records import model_record

__all__ = ["AdaptedClassifier", "adapt", "train_variant_to_file"]

class AdaptedClassifier(BaseEstimator, ClassifierMixin):
    """The desk's own features (n-grams and cues) and a fitted base model's probabilities (times
    `base_weight`) as one more block, in one class-balanced linear model (see the module)."""

    def __init__(self, base=None, options: dict | None = None, base_weight: float = 4.0, C: float = 1.0,
                 random_state: int = 0):
        self.base = base
        self.options = options
        self.base_weight = base_weight
        self.C = C
        self.random_state = random_state

    def _matrix(self, X: list, fit: bool = False):
        own = self.features_.fit_transform(X) if fit else self.features_.transform(X)
        base = np.asarray(self.base.predict_proba(X), dtype=float) * self.base_weight
        return sp.hstack([own, sp.csr_matrix(base)]).tocsr()

    def fit(self, X, y):
        """Learn the desk's features and the linear model over them and the base's probabilities."""
        if self.base is None:
            raise ValueError("AdaptedClassifier needs a fitted base model")
        X = list(X)
        y = np.asarray([str(label) for label in y], dtype=object)
        self.features_ = make_features(**(self.options or {}))
        linear = LogisticRegression(C=self.C, class_weight="balanced", solver="liblinear",
                                    random_state=self.random_state)
        self.classes_ = np.unique(y)
        self.model_ = (linear if len(self.classes_) == 2 else OneVsRestClassifier(linear)).fit(self._matrix(X, True), y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of the linear model, columns in the order of `classes_`."""
        check_is_fitted(self, "model_")
        X = list(X)
        return self.model_.predict_proba(self._matrix(X)) if X else np.zeros((0, len(self.classes_)))

    def predict_with_proba(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Labels (the most probable) and probabilities."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)], proba

    def predict(self, X) -> np.ndarray:
        """Labels (strings from `classes_`)."""
        return self.predict_with_proba(X)[0]


def adapt(records: list[dict], base: Model, *, folds: int = 5, random_state: int = 0,
          warn=warnings.warn) -> Model:
    """An `AdaptedClassifier` on labelled records over the fitted `base`, with metrics
    cross-validated over stratified folds in its manifest."""
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
        "options": {}, "adapted_from": {"model_version": base.model_version, "method": "base probabilities as features",
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
