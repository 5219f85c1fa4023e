"""The middle tier: word vectors distilled from the encoder, stacked with the fast model.

The encoder is replaced by a cache that gives each text a fixed pseudo-random vector (no e5
here: the arithmetic and the routing are what is tested, not the encoder).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

import numpy as np

from workbench.claims.cascade import CascadeClassifier
from workbench.claims.embeddings import EmbeddingCache, embedding_cache
from workbench.claims.static import StaticStack, WordVectors

DATA = Path(__file__).parent / "data"


class FixedVectors(EmbeddingCache):
    """Each text's vector is drawn from a generator seeded by the text: the same every time."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def embed(self, name, texts):
        self.asked += list(texts)
        seeds = [int(hashlib.sha256(t.encode()).hexdigest()[:8], 16) for t in texts]
        return np.stack([np.random.default_rng(s).normal(size=8) for s in seeds]).astype(np.float32)


def rows(n=160) -> list[dict]:
    lines = (DATA / "train_en.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines][:n]


def test_word_vectors_are_the_weighted_mean_of_known_words():
    cache = FixedVectors()
    with embedding_cache(cache):
        words = WordVectors(min_count=1).fit([{"text": "The mayor said no."}, {"text": "the budget"}])
    assert sorted(set(cache.asked)) == ["budget", "mayor", "no", "said", "the"]  # each word once
    out = words.transform([{"text": "THE Mayor"}, {"text": "unknown words only"}, {"text": ""}])
    expected = words.vectors_[words.index_["the"]] + words.vectors_[words.index_["mayor"]]
    assert np.allclose(out[0], expected / np.linalg.norm(expected), atol=1e-6)
    assert not out[1].any() and not out[2].any()  # no known word: a zero vector
    assert words.vectors_.shape == (5, 8)
    with embedding_cache(FixedVectors()):  # by default a word seen once has no vector
        assert list(WordVectors().fit([{"text": "The mayor"}, {"text": "the budget"}]).index_) == ["the"]


def test_static_stack_reads_its_words_and_the_fast_scores():
    data = rows()
    with embedding_cache(FixedVectors()):
        model = StaticStack(options={"char_ngrams": None}, weight=2.0, folds=3).fit(data, [r["label"] for r in data])
    labels, proba = model.predict_with_proba(data[:20])
    assert proba.shape == (20, 4) and np.allclose(proba.sum(axis=1), 1)
    assert model.combiner_.coef_.shape == (4, 4 + 8)  # four fast scores, eight vector dimensions
    assert labels.tolist() == model.classes_[np.argmax(proba, axis=1)].tolist()


def test_cascade_with_a_static_first_tier_routes_and_pickles():
    data = rows()
    with embedding_cache(FixedVectors()):
        model = CascadeClassifier(fast={"char_ngrams": None}, slow={}, static=2.0, share=0.25, folds=3)
        model.fit(data, [r["label"] for r in data])
    assert isinstance(model.tiers_[0], StaticStack)
    assert model._tier_options()[1] == {}  # the slow tier has no word vectors
    held = [json.loads(line) for line in (DATA / "train_fr.jsonl").read_text(encoding="utf-8").splitlines()][:60]
    labels, _, tier = model.route(held)
    copy = pickle.loads(pickle.dumps(model))
    again, _, tier_again = copy.route(held)
    assert labels.tolist() == again.tolist() and tier.tolist() == tier_again.tolist()
    assert 0 < tier.mean() < 1
