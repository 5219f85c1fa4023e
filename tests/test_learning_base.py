"""Retraining that can beat the base: the base model's sentences plus the project's labels."""

from __future__ import annotations

import json

from conftest import DATA
from workbench.backend.learning import ModelStore, _with_base, retrain
from workbench.claims.classifier import load_model, load_training_data, save_model, train
from workbench.cli.backend import echo_training
from workbench.core.jsonl import read_jsonl


def rec(text, label, article="a"):
    return {"text": text, "label": label, "article_id": article}


def test_project_labels_weigh_more_and_replace_the_base_label_of_the_same_sentence():
    base = [rec("Le conseil a voté.", "verifiable_fact"), rec("C'est une honte.", "opinion"),
            rec("Held out here.", "opinion")]
    fit = [rec("C'est une honte.", "verifiable_fact", "p1")]  # the desk disagrees with the base
    held = [rec("Held out here.", "opinion", "p2")]
    mixed = _with_base(fit, held, base, weight=3)
    texts = [r["text"] for r in mixed]
    assert texts.count("Le conseil a voté.") == 1
    assert texts.count("Held out here.") == 0  # a held-out sentence is never trained on
    assert [r["label"] for r in mixed if r["text"] == "C'est une honte."] == ["verifiable_fact"] * 3
    assert _with_base(fit, held, None, weight=3) == fit


def test_the_training_sentences_are_kept_beside_the_model_and_hash_checked(tmp_path):
    records = read_jsonl(DATA / "train_en.jsonl")[:60]
    model = save_model(train(records, folds=0, warn=lambda m: None), tmp_path / "m.joblib",
                       training=records)
    kept = load_training_data(tmp_path / "m.joblib", model.manifest)
    assert [r["text"] for r in kept] == [r["text"] for r in records]
    assert model.manifest["training_data"]["n"] == 60
    assert load_model(tmp_path / "m.joblib").manifest["training_data"] == model.manifest["training_data"]
    path = tmp_path / model.manifest["training_data"]["file"]
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    try:
        load_training_data(tmp_path / "m.joblib", model.manifest)
    except Exception as exc:
        assert "does not match" in str(exc)
    else:
        raise AssertionError("a changed training file was accepted")


def test_a_few_project_labels_adapt_the_base_instead_of_replacing_it(tmp_path):
    base_records = read_jsonl(DATA / "train_fr.jsonl")
    base = save_model(train(base_records, folds=0, warn=lambda m: None), tmp_path / "base.joblib",
                      training=base_records)
    project = [dict(r, sentence_id=f"s{i}") for i, r in enumerate(read_jsonl(DATA / "train_en.jsonl")[:40])]
    alone, _ = retrain(project, base, min_heldout=2)
    mixed, _ = retrain(project, base, min_heldout=2, base_records=base_records)
    assert alone.manifest["n_train"] < 40 <= mixed.manifest["n_train"]
    assert mixed.manifest["n_train"] > len(base_records)  # the base sentences are in


def test_the_store_remembers_the_served_base_for_the_queue(tmp_path):
    records = read_jsonl(DATA / "train_en.jsonl")[:40]
    saved = save_model(train(records, folds=0, warn=lambda m: None), tmp_path / "b.joblib")
    store = ModelStore(tmp_path / "models")
    assert store.base() is None
    store.record_base(tmp_path / "b.joblib")
    assert store.base().model_version == saved.model_version
    assert json.loads((tmp_path / "models" / "base.json").read_text())["model_file"].endswith("b.joblib")


def test_serve_prints_one_line_per_training_run(capsys):
    echo_training(3, {"trigger": "webhook", "status": "kept base-1", "n_heldout": 7,
                      "candidate": {"macro_f1": 0.49}, "incumbent": {"macro_f1": 0.66},
                      "reason": "worse"})
    echo_training(3, {"trigger": "START_TRAINING", "status": "kept base-1",
                      "reason": "only 2 held-out labels (need 4)"})
    echo_training(3, {"trigger": "webhook", "status": "swapped to p3-v2-abc", "n_heldout": 9,
                      "candidate": {"macro_f1": 0.8}, "incumbent": {"macro_f1": 0.7}})
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "training project 3 (webhook): candidate macro-F1 0.490 vs serving 0.660 on 7 held-out "
        "labels; kept base-1",
        "training project 3 (START_TRAINING): kept base-1 (only 2 held-out labels (need 4))",
        "training project 3 (webhook): candidate macro-F1 0.800 vs serving 0.700 on 9 held-out "
        "labels; swapped to p3-v2-abc",
    ]
