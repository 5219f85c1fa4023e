"""The embedding cache: held by a block, not by the module; one per context; safe in threads."""

from __future__ import annotations

import pickle
import threading

import numpy as np
import pytest

from workbench.claims import embeddings
from workbench.claims.embeddings import EmbeddingCache, SentenceEmbeddings, embedding_cache


@pytest.fixture
def encoded(monkeypatch):
    """A fake encoder standing in for the real one: counts what it embeds and how often it loads."""
    seen, loads = [], []

    def load(name):
        loads.append(name)

        def encode(texts):
            seen.extend(texts)
            return np.asarray([[len(t), 1.0] for t in texts], dtype=np.float32)

        encode.dimension = 2
        return encode

    monkeypatch.setattr(embeddings, "load_encoder", load)
    return seen, loads


def test_a_block_embeds_each_sentence_once_and_loads_the_encoder_once(encoded):
    seen, loads = encoded
    records = [{"text": t} for t in ("un", "deux", "un")]
    with embedding_cache() as cache:
        for _ in range(3):  # three fits, as cross-validation does
            block = SentenceEmbeddings("e5", weight=2.0).fit(records)
            assert block.transform(records).toarray().tolist() == [[4, 2], [8, 2], [4, 2]]
        with embedding_cache() as inner:
            assert inner is cache  # nested blocks share the outer cache
    assert sorted(seen) == ["deux", "un"] and loads == ["e5"]


def test_outside_a_block_nothing_is_kept_but_the_transformer_keeps_its_encoder(encoded):
    seen, loads = encoded
    block = SentenceEmbeddings("e5").fit([])
    block.transform(["un"])
    block.transform(["un"])
    assert seen == ["un", "un"] and loads == ["e5"]
    again = pickle.loads(pickle.dumps(block))  # the encoder is never pickled
    assert "_encode" not in again.__dict__ and "_encode" in block.__dict__
    assert again.transform(["un"]).shape == (1, 2) and loads == ["e5", "e5"]


def test_threads_each_get_their_own_cache_unless_given_one(encoded):
    caches = {}

    def fit(name, shared=None):
        with embedding_cache(shared) as cache:
            SentenceEmbeddings("e5").fit([]).transform([name])
            caches[name] = cache

    with embedding_cache() as mine:
        threads = [threading.Thread(target=fit, args=(n,)) for n in ("a", "b")]
        threads += [threading.Thread(target=fit, args=("c", mine))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert caches["a"] is not caches["b"] and mine not in (caches["a"], caches["b"])
    assert caches["c"] is mine


def test_a_shared_cache_is_safe_from_many_threads(encoded):
    seen, loads = encoded
    cache = EmbeddingCache()
    texts = [f"phrase {i % 50}" for i in range(400)]
    results = []

    def work(offset):
        results.append(cache.embed("e5", texts[offset:] + texts[:offset]))

    threads = [threading.Thread(target=work, args=(k * 7,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == ["e5"] and len(results) == 8
    assert all(r.shape == (400, 2) for r in results)
    assert set(seen) == set(texts)
