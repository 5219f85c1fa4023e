"""Check-worthiness: a calibrated 0-1 score per sentence, the second head beside the claim type.

Views of the sentence, each with its own linear model: word 1-2-grams, character 2-5-grams
inside words, the claim cues, and (when `embeddings` names an encoder) multilingual e5
sentence embeddings. A logistic model stacked on their out-of-fold scores gives the
calibrated probability; the decision threshold is the one that maximised macro-F1 on those
out-of-fold probabilities, so every choice is made on the training data alone.

Languages: n-grams and cues learnt from English transfer to nothing in French, while the
embeddings do. Sentences in a language the training data hardly has are scored by a second
stacked model over the embedding view alone (with its own threshold), so a model trained
on English debates scores French news through the multilingual representation.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from workbench.claims.textfeatures import make_features
from workbench.core.errors import InputError, ModelError
from workbench.core.files import write_bytes
from workbench.core.records import model_record
from workbench.text.lang import detect_language

__all__ = ["WorthinessHead", "best_threshold", "cross_validate_worthiness", "evaluate_worthiness",
           "load_worthiness", "parse_check_worthy", "save_worthiness", "worthiness_records"]

MIN_LANGUAGE_SHARE = 0.1  # a language with fewer training sentences is scored by embeddings


def parse_check_worthy(value, where: str) -> bool | None:
    """A labels line's `check_worthy` as a bool (None when absent); raises ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "yes", "no", "1", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise ValueError(f"{where}: check_worthy is {value!r}; write true or false")


def best_threshold(y: np.ndarray, proba: np.ndarray) -> float:
    """The probability threshold that maximises macro-F1 (ties: the one closest to 0.5)."""
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [f1_score(y, proba >= t, average="macro", zero_division=0) for t in grid]
    best = max(scores)
    return float(min((t for t, s in zip(grid, scores) if s >= best - 1e-9), key=lambda t: abs(t - 0.5)))


def _language(record) -> str:
    if isinstance(record, Mapping):
        return record.get("lang") or detect_language(record.get("text") or "")
    return detect_language(record)


class WorthinessHead(BaseEstimator, ClassifierMixin):
    """Stacked views -> calibrated probability that a sentence is worth checking.

    `classes_` are [False, True]; `score` gives the calibrated probability of True and
    `predict` compares it with the threshold chosen in training (`threshold_`).
    """

    def __init__(self, embeddings: str | None = "e5", cv: int = 5, C: float = 1.0,
                 embedding_C: float = 4.0, random_state: int = 0):
        self.embeddings = embeddings
        self.cv = cv
        self.C = C
        self.embedding_C = embedding_C
        self.random_state = random_state

    def _views(self) -> list[tuple[str, object, float]]:
        views = [("words", make_features(word_ngrams=(1, 2), char_ngrams=None, cues=False), self.C),
                 ("chars", make_features(word_ngrams=None, char_ngrams=(2, 5), cues=False), self.C),
                 ("cues", make_features(word_ngrams=None, char_ngrams=None, cues=True), self.C)]
        if self.embeddings:
            views.append(("embeddings", make_features(word_ngrams=None, char_ngrams=None, cues=False,
                                                      embeddings=self.embeddings, embedding_weight=1.0),
                          self.embedding_C))
        return views

    def fit(self, X, y):
        """Learn the views, their stacking and the threshold from records and booleans."""
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(list(X), np.asarray([bool(v) for v in y]))

    def _fit(self, X: list, y: np.ndarray):
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} records but y has {len(y)} labels")
        counts = Counter(y.tolist())
        if len(counts) < 2:
            raise ValueError("check-worthiness needs sentences of both kinds (worth checking and not)")
        self.classes_ = np.array([False, True])
        folds = StratifiedKFold(n_splits=max(2, min(self.cv, min(counts.values()))), shuffle=True,
                                random_state=self.random_state)
        self.features_, self.models_, columns = [], [], []
        for name, features, C in self._views():
            matrix = features.fit_transform(X)
            linear = LogisticRegression(C=C, class_weight="balanced", solver="liblinear",
                                        random_state=self.random_state)
            columns.append(cross_val_predict(linear, matrix, y, cv=folds, method="decision_function"))
            self.features_.append((name, features))
            self.models_.append(linear.fit(matrix, y))
        Z = np.column_stack(columns)
        self.stack_, self.threshold_ = self._stack(Z, y, folds)
        languages = Counter(_language(r) for r in X)
        self.languages_ = sorted(lang for lang, n in languages.items()
                                 if lang and n >= MIN_LANGUAGE_SHARE * len(X))
        self.foreign_ = None
        if self.embeddings:  # the embedding view alone, for languages the data hardly has
            self.foreign_ = self._stack(Z[:, -1:], y, folds)
        return self

    def _stack(self, Z: np.ndarray, y: np.ndarray, folds) -> tuple[LogisticRegression, float]:
        stack = LogisticRegression(C=1.0, max_iter=1000)
        oof = cross_val_predict(stack, Z, y, cv=folds, method="predict_proba")[:, 1]
        return stack.fit(Z, y), best_threshold(y, oof)

    def _scores(self, X: list) -> np.ndarray:
        return np.column_stack([model.decision_function(features.transform(X))
                                for (_name, features), model in zip(self.features_, self.models_)])

    def score(self, X) -> np.ndarray:
        """Calibrated probability that each record is worth checking."""
        check_is_fitted(self, "stack_")
        X = list(X)
        if not X:
            return np.zeros(0)
        Z = self._scores(X)
        out = self.stack_.predict_proba(Z)[:, 1]
        foreign = self._foreign(X)
        if foreign.any():
            stack, _threshold = self.foreign_
            out[foreign] = stack.predict_proba(Z[foreign][:, -1:])[:, 1]
        return out

    def _foreign(self, X: list) -> np.ndarray:
        if self.foreign_ is None or not self.languages_:
            return np.zeros(len(X), dtype=bool)
        languages = [_language(r) for r in X]
        return np.array([bool(lang) and lang not in self.languages_ for lang in languages])

    def thresholds(self, X) -> np.ndarray:
        """The decision threshold of each record (its language's stacked model's)."""
        check_is_fitted(self, "stack_")
        X = list(X)
        out = np.full(len(X), self.threshold_)
        if self.foreign_ is not None:
            out[self._foreign(X)] = self.foreign_[1]
        return out

    def predict_proba(self, X) -> np.ndarray:
        """Columns [not worth checking, worth checking], calibrated."""
        p = self.score(X)
        return np.column_stack([1 - p, p])

    def predict(self, X) -> np.ndarray:
        """True for the records worth checking (score at or above their threshold)."""
        return self.score_and_decide(X)[1]

    def score_and_decide(self, X) -> tuple[np.ndarray, np.ndarray]:
        """`score` and `predict` from one pass over the views."""
        X = list(X)
        scores = self.score(X)
        return scores, scores >= self.thresholds(X)


# -- labels, cross-validation, files --------------------------------------------------------

def worthiness_records(records: list[dict], where: str = "training data") -> list[dict]:
    """The records that carry `check_worthy` (parsed to a bool), for the worthiness head.

    A value that is not true/false raises an InputError naming the record.
    """
    usable = []
    for n, rec in enumerate(records, 1):
        try:
            value = parse_check_worthy(rec.get("check_worthy"), f"{where}: record {n}")
        except ValueError as exc:
            raise InputError(str(exc)) from None
        text = rec.get("text")
        if value is None or not isinstance(text, str) or not text.strip():
            continue
        usable.append({**rec, "check_worthy": value})
    return usable


def worthiness_metrics(truth, proba, predicted) -> dict:
    """macro-F1, F1 of the worth-checking class, ROC AUC and n."""
    from sklearn.metrics import precision_recall_fscore_support, roc_auc_score

    truth, predicted = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    p, r, f, _s = precision_recall_fscore_support(truth, predicted, labels=[True], zero_division=0)
    both = len(set(truth.tolist())) == 2
    return {"macro_f1": float(f1_score(truth, predicted, average="macro", zero_division=0)),
            "f1": float(f[0]), "precision": float(p[0]), "recall": float(r[0]),
            "auc": float(roc_auc_score(truth, proba)) if both else None, "n": int(len(truth)),
            "positives": int(truth.sum())}


def cross_validate_worthiness(records: list[dict], *, folds: int = 5, random_state: int = 0,
                              options: dict | None = None) -> dict | None:
    """Stratified cross-validation of the head (grouped by article_id when present); each
    fold's head chooses its own stacking and threshold on its training part only."""
    from sklearn.model_selection import StratifiedGroupKFold

    y = np.array([r["check_worthy"] for r in records])
    counts = Counter(y.tolist())
    grouped = all(r.get("article_id") for r in records)
    groups = [r.get("article_id") for r in records] if grouped else None
    n_splits = min(folds, min(counts.values()) if len(counts) == 2 else 0,
                   len(set(groups)) if grouped else len(y))
    if n_splits < 2:
        return None
    splitter = (StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state) if grouped
                else StratifiedKFold(n_splits, shuffle=True, random_state=random_state))
    X = [model_record(r) for r in records]
    proba, predicted = np.zeros(len(y)), np.zeros(len(y), dtype=bool)
    for train_idx, test_idx in splitter.split(X, y, groups):
        head = WorthinessHead(random_state=random_state, **(options or {}))
        head.fit([X[i] for i in train_idx], y[train_idx])
        test = [X[i] for i in test_idx]
        proba[test_idx], predicted[test_idx] = head.score(test), head.predict(test)
    return {**worthiness_metrics(y, proba, predicted), "folds": n_splits, "grouped_by_article": grouped}


def evaluate_worthiness(head, records: list[dict]) -> dict | None:
    """The head's scores on the records that carry `check_worthy` (None when none does)."""
    labelled = worthiness_records(records, "evaluation data")
    if not labelled:
        return None
    X = [model_record(r) for r in labelled]
    return worthiness_metrics([r["check_worthy"] for r in labelled], head.score(X), head.predict(X))


def worthiness_file(path: Path) -> Path:
    """Where a model's worthiness head is kept: MODEL.worthiness.joblib beside it."""
    path = Path(path)
    return path.with_name(path.name + ".worthiness.joblib")


def save_worthiness(head: WorthinessHead, path: Path) -> dict:
    """Write the head beside the model file; returns its manifest entry (file, sha256)."""
    import joblib

    buffer = io.BytesIO()
    joblib.dump(head, buffer, compress=3)
    data = buffer.getvalue()
    write_bytes(worthiness_file(path), data)
    return {"file": worthiness_file(path).name, "sha256": hashlib.sha256(data).hexdigest(),
            "threshold": head.threshold_, "languages": head.languages_}


def load_worthiness(path: Path, manifest: dict) -> WorthinessHead | None:
    """The model's worthiness head, hash-checked against its manifest (None when it has none)."""
    import joblib

    entry = manifest.get("worthiness")
    if not entry:
        return None
    where = Path(path).with_name(Path(entry["file"]).name)
    try:
        data = where.read_bytes()
    except OSError as exc:
        raise ModelError(f"{where}: cannot read the model's worthiness head ({exc.strerror}); "
                         f"retrain the model with `workbench train`") from None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise ModelError(f"{where}: does not match its model's manifest; the file was changed "
                         f"or corrupted — refusing to load it (loading runs code)")
    head = joblib.load(io.BytesIO(data))
    try:
        head.score([{"text": "A short check sentence.", "lang": "en"}])
    except ImportError as exc:  # trained with the embedding extra, loaded without it
        raise ModelError(f"{where}: {exc}") from None
    return head
