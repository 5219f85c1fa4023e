"""Static word vectors distilled from the sentence encoder (the model2vec recipe, over words),
and the fast model stacked with them: a middle tier between n-grams and e5.

Each word seen at least twice in the training sentences is embedded once by the encoder ("query: word"), the
table's mean vector is removed (the common direction every e5 vector shares) and a sentence
is the SIF-weighted mean of its words' vectors (rare words weigh more). Computing that mean
costs microseconds where the encoder costs tens of milliseconds; words never seen in training
are left out.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted

from workbench.claims.cues import record_text
from workbench.claims.embeddings import embedding_cache, encoder_name
from workbench.claims.estimator import make_classifier

__all__ = ["StaticStack", "WordVectors"]

WORD = re.compile(r"\w+")
SIF = 1e-3  # a / (a + p(word)): the smooth inverse frequency weight


def _words(record) -> list[str]:
    return WORD.findall(record_text(record).lower())


class WordVectors(BaseEstimator):
    """Sentence vectors as the weighted mean of distilled word vectors (see the module)."""

    def __init__(self, encoder: str = "e5", min_count: int = 2):
        self.encoder = encoder
        self.min_count = min_count

    def fit(self, X, y=None):
        counts = Counter(w for r in X for w in _words(r))
        vocabulary = sorted(w for w, n in counts.items() if n >= self.min_count) or sorted(counts)
        with embedding_cache() as cache:  # the caller's cache when there is one
            vectors = cache.embed(encoder_name(self.encoder), vocabulary).astype(np.float32)
        vectors -= vectors.mean(axis=0)
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
        total = sum(counts[w] for w in vocabulary)
        weights = np.asarray([SIF / (SIF + counts[w] / total) for w in vocabulary], dtype=np.float32)
        self.index_ = {w: i for i, w in enumerate(vocabulary)}
        self.vectors_ = vectors * weights[:, None]
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "vectors_")
        out = np.zeros((len(X), self.vectors_.shape[1]), dtype=np.float32)
        index = self.index_
        for k, record in enumerate(X):
            ids = [index[w] for w in _words(record) if w in index]
            if ids:
                v = self.vectors_[ids].sum(axis=0)
                out[k] = v / max(float(np.linalg.norm(v)), 1e-9)
        return out


class StaticStack(BaseEstimator, ClassifierMixin):
    """The fast claim classifier's out-of-fold decision scores and the sentence's distilled word
    vector (times `weight`), combined by one logistic model (class-balanced)."""

    def __init__(self, options: dict | None = None, weight: float = 4.0, encoder: str = "e5",
                 folds: int = 5, random_state: int = 0):
        self.options = options
        self.weight = weight
        self.encoder = encoder
        self.folds = folds
        self.random_state = random_state

    def _own(self):
        return make_classifier(random_state=self.random_state, calibration="none", **(self.options or {}))

    def fit(self, X, y):
        X = list(X)
        y = np.asarray([str(label) for label in y], dtype=object)
        self.own_ = self._own().fit(X, y)
        self.classes_ = self.own_.classes_
        self.words_ = WordVectors(self.encoder).fit(X)
        scores = _two_d(self.own_.decision_function(X))
        folds = min(self.folds, int(np.unique(y, return_counts=True)[1].min()))
        if folds >= 2:  # held-out scores: the combiner must learn how far to trust unseen ones
            splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
            for train, test in splitter.split(X, y):
                part = self._own().fit([X[i] for i in train], y[train])
                scores[test] = _two_d(part.decision_function([X[i] for i in test]))
        features = np.hstack([scores, self.words_.transform(X) * self.weight])
        self.combiner_ = LogisticRegression(class_weight="balanced", max_iter=2000).fit(features, y)
        return self

    def decision_function(self, X) -> np.ndarray:
        """The combiner's scores (one column for two labels)."""
        return self.combiner_.decision_function(self._features(list(X)))

    def _features(self, X: list) -> np.ndarray:
        return np.hstack([_two_d(self.own_.decision_function(X)), self.words_.transform(X) * self.weight])

    def predict_with_proba(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Labels and probabilities from one pass over the features."""
        check_is_fitted(self, "combiner_")
        features = self._features(list(X))
        proba = self.combiner_.predict_proba(features)
        return self.classes_[np.argmax(proba, axis=1)], proba

    def predict_proba(self, X) -> np.ndarray:
        return self.predict_with_proba(X)[1]

    def predict(self, X) -> np.ndarray:
        return self.predict_with_proba(X)[0]


def _two_d(scores) -> np.ndarray:
    scores = np.asarray(scores, dtype=float)
    return scores.reshape(-1, 1) if scores.ndim == 1 else scores
