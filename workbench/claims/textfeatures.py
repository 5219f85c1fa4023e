"""Text features of a sentence record as scikit-learn transformers, and their union.

Records are dicts with "text" and optionally "role" and "lang"; every transformer here
picks the fields it needs, so the whole model is one object that clones, pickles and takes
the records the workbench already has.

What was traded for speed (measured on CheckThat! and our own articles, one
core): word 1-2-grams + character 2-5-grams inside words + ~100 cue features
feed one linear model, ~10,000 sentences/s and ~15 s to train on 50k
sentences: the default. Character n-grams across word boundaries
(`analyzer="char"`) ran at ~1,000 sentences/s for no gain under
cross-validation; spaCy's French pipeline (tense, person, entities) runs at
~200 sentences/s and was not kept. Sentence embeddings (`workbench.claims.embeddings`)
are the opt-in extra that buys quality with speed.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from workbench.claims import lexicon
from workbench.claims.compiled import word_char_ngrams
from workbench.claims.cues import cue_names, cue_row
from workbench.claims.embeddings import SentenceEmbeddings, encoder_name

__all__ = ["CueFeatures", "TextField", "WordCharNgrams", "make_features"]


class TextField(BaseEstimator, TransformerMixin):
    """Select one field of each record as a string (for the n-gram vectorisers)."""

    def __init__(self, field: str = "text", fold: bool = True):
        self.field = field
        self.fold = fold

    def fit(self, X, y=None):
        return self

    def transform(self, X) -> list[str]:
        out = []
        for r in X:
            text = r if isinstance(r, str) else (r.get(self.field) or "")
            out.append(lexicon.fold(text) if self.fold else text)
        return out


class WordCharNgrams(BaseEstimator, TransformerMixin):
    """Character n-grams inside word boundaries (like TfidfVectorizer(analyzer="char_wb")), faster.

    N-grams of a word never depend on its neighbours, so each training word's
    feature indices are computed once at fit and looked up at transform time;
    only unseen words are cut into n-grams again. This is what lets the model
    keep character n-grams (robust to inflection, typos and glued words)
    within the prediction throughput budget. Output: tf-idf, sublinear tf, l2.
    """

    def __init__(self, ngram_range: tuple[int, int] = (2, 5), min_df: int = 1, sublinear_tf: bool = True):
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def fit(self, X, y=None):
        self._fit(X)
        return self

    def fit_transform(self, X, y=None):
        return self._fit(X)

    def _fit(self, X):
        min_n, max_n = self.ngram_range
        # docs x words (counts) times words x n-grams (counts) = docs x n-grams, in C.
        words: dict[str, int] = {}
        indices, indptr = [], [0]
        for doc in X:
            for w in doc.split():
                indices.append(words.setdefault(w, len(words)))
            indptr.append(len(indices))
        doc_words = sp.csr_matrix(
            (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(len(indptr) - 1, len(words)),
        )
        grams: dict[str, int] = {}
        g_indices, g_indptr = [], [0]
        for w in words:
            for g in word_char_ngrams(w, min_n, max_n):
                g_indices.append(grams.setdefault(g, len(grams)))
            g_indptr.append(len(g_indices))
        word_grams = sp.csr_matrix(
            (np.ones(len(g_indices), dtype=np.float32), np.asarray(g_indices, dtype=np.int64), np.asarray(g_indptr, dtype=np.int64)),
            shape=(len(words), len(grams)),
        )
        counts = (doc_words @ word_grams).tocsr()
        df = np.bincount(counts.indices, minlength=len(grams))
        # Column order: sorted n-grams, as TfidfVectorizer would give.
        names = np.asarray(list(grams), dtype=object)
        order = np.argsort(names, kind="stable")
        order = order[df[order] >= self.min_df]
        self.vocabulary_ = {names[j]: i for i, j in enumerate(order)}
        self.idf_ = (np.log((1 + counts.shape[0]) / (1 + df[order])) + 1.0).astype(np.float32)
        remap = np.full(len(grams), -1, dtype=np.int64)
        remap[order] = np.arange(len(order))
        word_grams.indices = remap[word_grams.indices]
        self.word_index_ = {}
        wi = word_grams.indices
        for w, k in words.items():
            idx = wi[g_indptr[k] : g_indptr[k + 1]]
            self.word_index_[w] = idx[idx >= 0].astype(np.int32)
        if self.min_df > 1:
            return self.transform(X)
        counts.indices = remap[counts.indices]
        counts.sort_indices()
        return self._weight(counts)

    def _weight(self, counts):
        counts = counts.astype(np.float32)
        if self.sublinear_tf:
            np.log(counts.data, out=counts.data)
            counts.data += 1.0
        counts.data *= self.idf_[counts.indices]
        return normalize(counts, copy=False)

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "vocabulary_")
        return np.asarray([f"char_{g}" for g in self.vocabulary_], dtype=object)

    def transform(self, X):
        check_is_fitted(self, "vocabulary_")
        min_n, max_n = self.ngram_range
        table, vocab = self.word_index_, self.vocabulary_
        unseen: dict[str, np.ndarray] = {}
        empty = np.zeros(0, dtype=np.int32)
        chunks, indptr = [], [0]
        for doc in X:
            n = 0
            for w in doc.split():
                idx = table.get(w)
                if idx is None:
                    idx = unseen.get(w)
                    if idx is None:
                        grams = [vocab[g] for g in word_char_ngrams(w, min_n, max_n) if g in vocab]
                        idx = unseen[w] = np.asarray(grams, dtype=np.int32) if grams else empty
                chunks.append(idx)
                n += len(idx)
            indptr.append(indptr[-1] + n)
        indices = np.concatenate(chunks) if chunks else empty
        data = np.ones(len(indices), dtype=np.float32)
        out = sp.csr_matrix((data, indices, np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(vocab)))
        out.sum_duplicates()
        return self._weight(out)


class CueFeatures(BaseEstimator, TransformerMixin):
    """Hand-written claim cues (attribution, quotes, first person, modality, numbers, role...).

    Counts are log-scaled so one long sentence does not dominate; the output
    is a sparse matrix whose columns are named by `get_feature_names_out`.
    """

    def __init__(self, use_role: bool = True, scale: float = 1.0, role_weight: float = 3.0):
        self.use_role = use_role
        self.scale = scale
        self.role_weight = role_weight

    def fit(self, X, y=None):
        self.n_features_out_ = len(self.get_feature_names_out())
        return self

    def get_feature_names_out(self, input_features=None):
        return np.asarray(cue_names(self.use_role), dtype=object)

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        rows = [self._row(r) for r in X]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), self.n_features_out_))

    def _row(self, record) -> list[float]:
        return cue_row(record, self.use_role, self.scale, self.role_weight)


# Sentence encoders of the optional embedding extra, by name: (module, pip package, what it is).


def make_features(
    word_ngrams: tuple[int, int] | None = (1, 2),
    char_ngrams: tuple[int, int] | None = (2, 5),
    char_analyzer: str = "char_wb",
    cues: bool = True,
    cue_weight: float = 1.0,
    use_role: bool = True,
    min_df: int = 1,
    max_features: int | None = None,
    embeddings: bool | str | None = False,
    embedding_weight: float = 4.0,
) -> FeatureUnion:
    """The feature union: word n-grams, character n-grams and claim cues (any may be off)."""
    parts = []
    if word_ngrams:
        parts.append((
            "words",
            Pipeline([
                ("text", TextField()),
                ("tfidf", TfidfVectorizer(
                    ngram_range=tuple(word_ngrams), lowercase=False, sublinear_tf=True,
                    min_df=min_df, max_features=max_features, token_pattern=r"(?u)\b\w+\b|[^\w\s]",
                    dtype=np.float32,
                )),
            ]),
        ))
    if char_ngrams:
        if char_analyzer == "char_wb":
            vectoriser = WordCharNgrams(ngram_range=tuple(char_ngrams), min_df=min_df)
        else:
            vectoriser = TfidfVectorizer(
                analyzer=char_analyzer, ngram_range=tuple(char_ngrams), lowercase=False,
                sublinear_tf=True, min_df=min_df, max_features=max_features, dtype=np.float32,
            )
        parts.append(("chars", Pipeline([("text", TextField()), ("tfidf", vectoriser)])))
    if cues:
        parts.append(("cues", CueFeatures(use_role=use_role, scale=cue_weight)))
    if embeddings:
        parts.append(("embeddings", SentenceEmbeddings(encoder_name(embeddings), embedding_weight)))
    if not parts:
        raise ValueError("make_features: word_ngrams, char_ngrams and cues are all off; enable at least one")
    return FeatureUnion(parts)
