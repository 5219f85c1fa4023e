"""The claim classifier as plain arrays: loads in milliseconds, predicts without scikit-learn.

A fitted `ClaimClassifier` (without sentence embeddings) is a linear function of three
feature blocks: word 1-2-grams and character n-grams inside words (tf-idf, l2 per block)
and the cues of `workbench.claims.cues`, followed by a small logistic calibrator. `export_arrays`
takes out what it learned (vocabularies, idf, coefficients, calibration) as numpy arrays,
which `save_model` writes beside the joblib file; `CompiledClassifier` reads them back
with `np.load(allow_pickle=False)` (loading runs no code) and computes the same features
and scores with numpy alone.

Why: a push needs its first prediction before its first import request, and importing
scikit-learn (scipy.stats comes with `sklearn.base`) and unpickling took ~2 s of a 10 s
push of 10,000 sentences (benchmarks/bench.md). Same labels as the scikit-learn model and
probabilities equal to ~1e-7 (float32 tf-idf summed in another order): checked by
`save_model` on probe sentences before it writes the arrays, and by tests on real data.
"""

from __future__ import annotations

import io
import json
import re

import numpy as np

from workbench.claims import lexicon
from workbench.claims.cues import cue_row, record_text

FORMAT = "workbench-arrays/1"
_SEP = "\n"  # between vocabulary entries: never inside one (tokens and words hold no whitespace)

__all__ = ["CompiledClassifier", "export_arrays", "uncertainty", "word_char_ngrams"]


def word_char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """The character n-grams of one word, as scikit-learn's analyzer="char_wb" cuts them."""
    w = " " + word + " "
    size = len(w)
    grams = []
    for n in range(min_n, max_n + 1):
        if n > size:
            if n == min_n:
                grams.append(w)
            break
        grams.extend(w[i : i + n] for i in range(size - n + 1))
    return grams


def word_ngrams(tokens: list[str], min_n: int, max_n: int) -> list[str]:
    """Word n-grams in the order scikit-learn's word analyzer gives them (joined by a space)."""
    if max_n == 1:
        return tokens
    if min_n == 1:
        grams, min_n = list(tokens), 2
    else:
        grams = []
    count = len(tokens)
    for n in range(min_n, min(max_n + 1, count + 1)):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(count - n + 1))
    return grams


def uncertainty(proba: np.ndarray) -> np.ndarray:
    """1 - (top probability - second probability): 0 when sure, 1 on a tie.

    The margin is chosen over entropy because pre-annotation ranks tasks by
    "which two labels is the model torn between", and the margin reads the
    same whatever the number of labels.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2:
        raise ValueError(f"uncertainty expects a 2-d array of probabilities, got shape {proba.shape}")
    if proba.shape[1] < 2:
        return np.zeros(proba.shape[0])
    top2 = np.sort(proba, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def _expit(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=1, keepdims=True)


def _strings(blob: np.ndarray) -> list[str]:
    text = blob.tobytes().decode("utf-8")
    return text.split(_SEP) if text else []


def _blob(strings: list[str]) -> np.ndarray:
    return np.frombuffer(_SEP.join(strings).encode("utf-8"), dtype=np.uint8)


class CompiledClassifier:
    """A `ClaimClassifier` read from its arrays: `classes_`, `predict`, `predict_proba`,
    `predict_with_proba`, `decision_function`, as the scikit-learn model answers them."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._arrays = arrays
        meta = json.loads(str(arrays["meta"]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"not {FORMAT} arrays")
        self.meta = meta
        self.classes_ = np.asarray(_strings(arrays["classes"]), dtype=object)
        self.coef_ = arrays["coef"]
        self.intercept_ = arrays["intercept"]
        self.blocks = []
        start = 0
        for block in meta["blocks"]:
            kind, width = block["kind"], block["width"]
            entry = {**block, "coef": self.coef_[start : start + width]}
            start += width
            if kind in ("words", "chars"):
                entry["vocab"] = {g: i for i, g in enumerate(_strings(arrays[f"{kind}_vocab"]))}
                entry["idf"] = arrays[f"{kind}_idf"]
            if kind == "words":
                entry["pattern"] = re.compile(block["token_pattern"])
            elif kind == "chars":
                entry["table"] = {w: k for k, w in enumerate(_strings(arrays["chars_words"]))}
                entry["indptr"] = arrays["chars_indptr"]
                entry["indices"] = arrays["chars_indices"]
            self.blocks.append(entry)
        if start != self.coef_.shape[0]:
            raise ValueError("blocks and coefficients disagree in width")

    def __reduce__(self):  # pickles as its arrays (sent to worker processes), rebuilt there
        return (CompiledClassifier, (self._arrays,))

    @classmethod
    def load(cls, path) -> CompiledClassifier:
        """Read arrays written by `to_bytes`; never unpickles."""
        with np.load(path, allow_pickle=False) as data:
            return cls({k: data[k] for k in data.files})

    # -- features ------------------------------------------------------------------------------

    def _word_hits(self, block, texts: list[str]):
        vocab, findall = block["vocab"], block["pattern"].findall
        min_n, max_n = block["ngram_range"]
        rows, cols = [], []
        for i, text in enumerate(texts):
            for gram in word_ngrams(findall(text), min_n, max_n):
                j = vocab.get(gram)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)

    def _char_hits(self, block, texts: list[str]):
        table, vocab = block["table"], block["vocab"]
        indptr, indices = block["indptr"], block["indices"]
        min_n, max_n = block["ngram_range"]
        known_rows, known_docs = [], []
        rows, cols = [], []  # words never seen in training, cut into n-grams here
        unseen: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            for word in text.split():
                k = table.get(word)
                if k is not None:
                    known_rows.append(k)
                    known_docs.append(i)
                    continue
                grams = unseen.get(word)
                if grams is None:
                    grams = unseen[word] = [vocab[g] for g in word_char_ngrams(word, min_n, max_n) if g in vocab]
                rows.extend([i] * len(grams))
                cols.extend(grams)
        k = np.asarray(known_rows, dtype=np.int64)
        starts = indptr[k]
        lengths = indptr[k + 1] - starts
        total = int(lengths.sum())
        # positions starts[w] .. starts[w] + lengths[w] - 1 of every known word, concatenated
        offsets = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
        all_rows = np.concatenate([np.repeat(np.asarray(known_docs, dtype=np.int64), lengths),
                                   np.asarray(rows, dtype=np.int64)])
        all_cols = np.concatenate([indices[offsets].astype(np.int64), np.asarray(cols, dtype=np.int64)])
        return all_rows, all_cols

    @staticmethod
    def _tfidf_scores(block, rows: np.ndarray, cols: np.ndarray, n: int) -> np.ndarray:
        """This block's share of the decision scores: tf-idf rows (l2) times its coefficients."""
        coef = block["coef"]
        scores = np.zeros((n, coef.shape[1]))
        if not len(rows):
            return scores
        width = len(block["vocab"])
        keys, counts = np.unique(rows * width + cols, return_counts=True)
        r, c = keys // width, keys % width
        tf = counts.astype(np.float32)
        if block["sublinear_tf"]:
            tf = np.log(tf) + np.float32(1.0)
        w = (tf * block["idf"][c]).astype(np.float32)
        norms = np.sqrt(np.bincount(r, weights=w.astype(np.float64) ** 2, minlength=n)).astype(np.float32)
        w = (w / norms[r]).astype(np.float64)
        for k in range(coef.shape[1]):
            scores[:, k] = np.bincount(r, weights=w * coef[c, k], minlength=n)
        return scores

    def decision_function(self, X) -> np.ndarray:
        """The linear model's raw scores: (n,) for two labels, (n, labels) otherwise."""
        records = list(X)
        n = len(records)
        scores = np.tile(self.intercept_, (n, 1)).astype(np.float64)
        texts = None
        for block in self.blocks:
            if block["kind"] == "cues":
                rows = [cue_row(r, block["use_role"], block["scale"], block["role_weight"]) for r in records]
                if rows:
                    scores += np.asarray(rows, dtype=np.float64) @ block["coef"]
                continue
            if texts is None:
                texts = [record_text(r) for r in records]
                if self.meta["fold"]:
                    texts = [lexicon.fold(t) for t in texts]
            hits = self._word_hits if block["kind"] == "words" else self._char_hits
            scores += self._tfidf_scores(block, *hits(block, texts), n)
        return scores[:, 0] if self.meta["binary"] else scores

    def _proba(self, scores: np.ndarray) -> np.ndarray:
        kind = self.meta["calibration"]
        s2d = scores.reshape(-1, 1) if scores.ndim == 1 else scores
        if kind == "none":  # the linear model's own one-vs-rest probabilities
            p = _expit(s2d)
            if p.shape[1] == 1:
                return np.hstack([1.0 - p, p])
            return p / p.sum(axis=1, keepdims=True)
        z = s2d @ self._arrays["cal_coef"].T + self._arrays["cal_intercept"]
        if z.shape[1] == 1:
            p = _expit(z)
            return np.hstack([1.0 - p, p])
        return _softmax(z)

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities, columns in the order of `classes_`."""
        return self._proba(self.decision_function(X))

    def predict_with_proba(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Labels and probabilities from one pass over the features."""
        scores = self.decision_function(X)
        proba = self._proba(scores)
        if self.meta["decision"] == "balanced":
            best = (scores > 0).astype(int) if scores.ndim == 1 else np.argmax(scores, axis=1)
        else:
            best = np.argmax(proba * self._arrays["decision_weights"], axis=1)
        return self.classes_[best], proba

    def predict(self, X) -> np.ndarray:
        """Labels (strings from `classes_`)."""
        return self.predict_with_proba(X)[0]


# -- export (the only part that needs scikit-learn, imported here when called) ----------------

def _linear_parts(model, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(coefficients (features x outputs), intercepts) of the classifier's linear model."""
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.multiclass import OneVsRestClassifier

    from workbench.claims.features import ViewEnsemble

    if isinstance(model, ViewEnsemble):
        parts = [_linear_parts(m, b - a) for m, (a, b) in zip(model.models_, model.slices)]
        coef = np.zeros((width, parts[0][0].shape[1]))
        for (a, b), (c, _) in zip(model.slices, parts):
            coef[a:b] = c
        return coef, sum(i for _, i in parts)
    if isinstance(model, OneVsRestClassifier):
        estimators = model.estimators_
        if not all(isinstance(e, LogisticRegression) for e in estimators):
            raise TypeError("one-vs-rest over something other than logistic regressions")
        coef = np.vstack([np.asarray(e.coef_, dtype=np.float64) for e in estimators]).T
        return coef, np.asarray([float(e.intercept_[0]) for e in estimators])
    if isinstance(model, (LogisticRegression, SGDClassifier)):
        return np.asarray(model.coef_, dtype=np.float64).T.copy(), np.asarray(model.intercept_, dtype=np.float64)
    raise TypeError(f"no array form for {type(model).__name__}")


def _text_block(pipeline) -> dict | None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

    from workbench.claims.features import TextField, WordCharNgrams

    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        return None
    (_, field), (_, vec) = pipeline.steps
    if not isinstance(field, TextField) or field.field != "text":
        return None
    if isinstance(vec, WordCharNgrams):
        words = list(vec.word_index_)
        index = [vec.word_index_[w] for w in words]
        lengths = np.asarray([len(i) for i in index], dtype=np.int64)
        return {"kind": "chars", "ngram_range": list(vec.ngram_range), "sublinear_tf": bool(vec.sublinear_tf),
                "fold": bool(field.fold), "width": len(vec.vocabulary_),
                "_vocab": sorted(vec.vocabulary_, key=vec.vocabulary_.get), "_idf": vec.idf_,
                "_words": words,
                "_indptr": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                "_indices": (np.concatenate(index) if index else np.zeros(0)).astype(np.int32)}
    plain = (isinstance(vec, TfidfVectorizer) and vec.analyzer == "word" and not vec.lowercase
             and vec.strip_accents is None and vec.preprocessor is None and vec.tokenizer is None
             and vec.stop_words is None and vec.norm == "l2" and vec.use_idf and not vec.binary
             and vec.input == "content")
    if not plain:
        return None
    return {"kind": "words", "ngram_range": list(vec.ngram_range), "sublinear_tf": bool(vec.sublinear_tf),
            "fold": bool(field.fold), "token_pattern": vec.token_pattern, "width": len(vec.vocabulary_),
            "_vocab": sorted(vec.vocabulary_, key=vec.vocabulary_.get), "_idf": vec.idf_}


def export_arrays(estimator) -> dict[str, np.ndarray] | None:
    """The arrays `CompiledClassifier` needs, or None for a model they cannot express
    (sentence embeddings, character n-grams across words, rules, a single label)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    from workbench.claims.features import ClaimClassifier, CueFeatures, ViewEnsemble

    if not isinstance(estimator, ClaimClassifier) or getattr(estimator, "model_", None) is None:
        return None
    union = estimator.features_
    if not isinstance(union, FeatureUnion) or union.transformer_weights:
        return None
    blocks = []
    for _, part in union.transformer_list:
        if isinstance(part, CueFeatures):
            blocks.append({"kind": "cues", "use_role": bool(part.use_role), "scale": float(part.scale),
                           "role_weight": float(part.role_weight), "width": int(part.n_features_out_)})
            continue
        block = _text_block(part)
        if block is None:
            return None
        blocks.append(block)
    folds = {b["fold"] for b in blocks if "fold" in b}
    if len(folds) > 1:
        return None
    strings = [g for b in blocks for g in b.get("_vocab", []) + b.get("_words", [])]
    if any(_SEP in g for g in strings) or any(_SEP in str(c) for c in estimator.classes_):
        return None
    calibrator = estimator.calibrator_
    if calibrator is None and isinstance(estimator.model_, ViewEnsemble):
        return None  # has no probabilities of its own
    if calibrator is not None and not isinstance(calibrator, LogisticRegression):
        return None
    width = sum(b["width"] for b in blocks)
    try:
        coef, intercept = _linear_parts(estimator.model_, width)
    except TypeError:
        return None
    if coef.shape[0] != width:
        return None
    arrays = {"coef": coef, "intercept": intercept,
              "classes": _blob([str(c) for c in estimator.classes_]),
              "decision_weights": np.asarray(estimator.decision_weights_, dtype=np.float64)}
    for b in blocks:
        kind = b["kind"]
        if "_vocab" in b:
            arrays[f"{kind}_vocab"] = _blob(b.pop("_vocab"))
            arrays[f"{kind}_idf"] = np.asarray(b.pop("_idf"))
        if kind == "chars":
            arrays["chars_words"] = _blob(b.pop("_words"))
            arrays["chars_indptr"] = b.pop("_indptr")
            arrays["chars_indices"] = b.pop("_indices")
    if calibrator is not None:
        arrays["cal_coef"] = np.asarray(calibrator.coef_, dtype=np.float64)
        arrays["cal_intercept"] = np.asarray(calibrator.intercept_, dtype=np.float64)
    meta = {"format": FORMAT, "blocks": blocks, "fold": folds.pop() if folds else True,
            "binary": coef.shape[1] == 1, "decision": estimator.decision,
            "calibration": "none" if calibrator is None else "logistic"}
    arrays["meta"] = np.asarray(json.dumps(meta))
    return arrays


def agrees(estimator, compiled: CompiledClassifier, records: list, tolerance: float = 1e-6) -> str:
    """'' when `compiled` gives the estimator's labels and probabilities on `records`, else how not."""
    labels, proba = estimator.predict_with_proba(records)
    c_labels, c_proba = compiled.predict_with_proba(records)
    if list(map(str, labels)) != list(map(str, c_labels)):
        wrong = sum(str(a) != str(b) for a, b in zip(labels, c_labels))
        return f"{wrong} of {len(records)} labels differ"
    gap = float(np.max(np.abs(np.asarray(proba) - c_proba))) if len(records) else 0.0
    return "" if gap <= tolerance else f"probabilities differ by up to {gap:.2e}"


def to_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The .npz file's content for `export_arrays`' output (uncompressed: loads fastest)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()
