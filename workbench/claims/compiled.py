"""The claim classifier as plain arrays: loads in milliseconds, predicts without scikit-learn.

A fitted `ClaimClassifier` (without sentence embeddings) is a linear function of three
feature blocks: word 1-2-grams and character n-grams inside words (tf-idf, l2 per block)
and the cues of `workbench.claims.cues`, followed by a small logistic calibrator.
`workbench.claims.arrays` takes out what it learned (vocabularies, idf, coefficients,
calibration) as numpy arrays, which `save_model` writes beside the joblib file;
`CompiledClassifier` reads them back with `np.load(allow_pickle=False)` (loading runs no
code) and computes the same features and scores with numpy alone. The n-gram helpers
here are shared with the scikit-learn transformers, so both cut text the same way.

Why: a push needs its first prediction before its first import request, and importing
scikit-learn (scipy.stats comes with `sklearn.base`) and unpickling took ~2 s of a 10 s
push of 10,000 sentences (benchmarks/bench.md). Same labels as the scikit-learn model and
probabilities equal to ~1e-7 (float32 tf-idf summed in another order): checked by
`save_model` on probe sentences before it writes the arrays, and by tests on real data.
"""

from __future__ import annotations

import json
import re

import numpy as np

from workbench.claims import lexicon
from workbench.claims.cues import cue_row, record_text

FORMAT = "workbench-arrays/1"
SEPARATOR = "\n"  # between vocabulary entries: never inside one (tokens and words hold no whitespace)

__all__ = ["CompiledClassifier", "pack_strings", "unpack_strings", "word_char_ngrams", "word_ngrams"]


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


def _expit(z: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -z))


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    return z / z.sum(axis=1, keepdims=True)


def unpack_strings(blob: np.ndarray) -> list[str]:
    """The strings `pack_strings` stored in a byte array."""
    text = blob.tobytes().decode("utf-8")
    return text.split(SEPARATOR) if text else []


def pack_strings(strings: list[str]) -> np.ndarray:
    """Strings (none holding `SEPARATOR`) as one uint8 array: no object arrays, no pickle."""
    return np.frombuffer(SEPARATOR.join(strings).encode("utf-8"), dtype=np.uint8)


class CompiledClassifier:
    """A `ClaimClassifier` read from its arrays: `classes_`, `predict`, `predict_proba`,
    `predict_with_proba`, `decision_function`, as the scikit-learn model answers them."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._arrays = arrays
        meta = json.loads(str(arrays["meta"]))
        if meta.get("format") != FORMAT:
            raise ValueError(f"not {FORMAT} arrays")
        self.meta = meta
        self.classes_ = np.asarray(unpack_strings(arrays["classes"]), dtype=object)
        self.coef_ = arrays["coef"]
        self.intercept_ = arrays["intercept"]
        self.blocks = []
        start = 0
        for block in meta["blocks"]:
            kind, width = block["kind"], block["width"]
            entry = {**block, "coef": self.coef_[start : start + width]}
            start += width
            if kind in ("words", "chars"):
                entry["vocab"] = {g: i for i, g in enumerate(unpack_strings(arrays[f"{kind}_vocab"]))}
                entry["idf"] = arrays[f"{kind}_idf"]
            if kind == "words":
                entry["pattern"] = re.compile(block["token_pattern"])
            elif kind == "chars":
                entry["table"] = {w: k for k, w in enumerate(unpack_strings(arrays["chars_words"]))}
                entry["indptr"] = arrays["chars_indptr"]
                entry["indices"] = arrays["chars_indices"]
            self.blocks.append(entry)
        if start != self.coef_.shape[0]:
            raise ValueError("blocks and coefficients disagree in width")

    def __reduce__(self):  # pickles as its arrays (sent to worker processes), rebuilt there
        return (CompiledClassifier, (self._arrays,))

    @classmethod
    def load(cls, path) -> CompiledClassifier:
        """Read arrays written by `arrays.to_bytes`; never unpickles."""
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
