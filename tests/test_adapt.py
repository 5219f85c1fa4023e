"""Adapting a base model to a desk's labels (its probabilities as features) and `workbench train --base`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import run_main

from workbench.claims.adapt import AdaptedClassifier, adapt
from workbench.claims.classifier import load_model, save_model, train
from workbench.claims.loading import load_predictor
from workbench.core.errors import ConfigError, ModelError
from workbench.core.records import model_record

DATA = Path(__file__).parent / "data"
DESK = {"attributed_quote": "attributed", "not_a_claim": "structure"}


def records(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]


def desk_labels(rows: list[dict]) -> list[dict]:
    """The same sentences under a desk's own three labels, which the base never saw."""
    return [dict(r, label=DESK.get(r["label"], "other")) for r in rows]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A base model trained on the French sentences (four claim labels), saved."""
    path = tmp_path_factory.mktemp("base") / "base.joblib"
    return save_model(train(records("train_fr.jsonl"), folds=2), path), path


def test_the_base_probabilities_are_features_beside_the_desk_ones(base):
    model, _ = base
    desk = desk_labels(records("train_en.jsonl"))[:90]
    X = [model_record(r) for r in desk]
    y = [r["label"] for r in desk]
    adapted = AdaptedClassifier(model.estimator).fit(X, y)
    assert list(adapted.classes_) == ["attributed", "other", "structure"]
    own_width = adapted.features_.transform(X[:2]).shape[1]
    assert adapted._matrix(X[:2]).shape[1] == own_width + 4  # the base's four labels
    held = [model_record(r) for r in records("train_en.jsonl")[300:340]]
    labels, proba = adapted.predict_with_proba(held)
    assert set(labels) <= {"attributed", "other", "structure"}
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert labels.tolist() == adapted.classes_[np.argmax(proba, axis=1)].tolist()
    # without the base's block the same labels give another model: the base is read
    blind = AdaptedClassifier(model.estimator, base_weight=0.0).fit(X, y)
    assert not np.allclose(blind.predict_proba(held), proba)


def test_adapt_records_where_it_came_from(base):
    model, _ = base
    adapted = adapt(desk_labels(records("train_en.jsonl"))[:90], model, folds=3)
    manifest = adapted.manifest
    assert manifest["adapted_from"]["model_version"] == model.model_version
    assert manifest["adapted_from"]["method"] == "base probabilities as features"
    assert manifest["cv_metrics"]["folds"] == 3 and 0 <= manifest["cv_metrics"]["macro_f1"] <= 1
    assert manifest["labels"] == ["attributed", "other", "structure"]


def test_adapt_needs_a_base(base):
    with pytest.raises(ValueError, match="base"):
        AdaptedClassifier(None).fit([{"text": "a"}, {"text": "b"}], ["x", "y"])


def test_train_base_command(tmp_path, base, capsys):
    model, base_path = base
    labels = tmp_path / "desk.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in desk_labels(records("train_en.jsonl"))[:120]),
                      encoding="utf-8")
    out = tmp_path / "desk.joblib"
    code, printed, err = run_main(["train", str(labels), "-o", str(out), "--base", str(base_path),
                                   "--folds", "3"], capsys)
    assert code == 0, err
    assert "cross-validated macro-F1" in printed
    manifest = json.loads((tmp_path / "desk.joblib.manifest.json").read_text())
    assert manifest["adapted_from"]["model_version"] == model.model_version
    for loader in (load_model, load_predictor):
        loaded = loader(out)
        assert isinstance(loaded.estimator, AdaptedClassifier)
        predicted = loaded.predict([{"text": "« Nous ne céderons pas », a déclaré la ministre."}])
        assert predicted[0][0] in {"attributed", "other", "structure"}
    assert (tmp_path / "desk-report" / "model_card.md").exists()


def test_train_base_refuses_a_tampered_base(tmp_path, base, capsys):
    _, base_path = base
    forged = tmp_path / "base.joblib"
    forged.write_bytes(base_path.read_bytes() + b"\0")
    (tmp_path / "base.joblib.manifest.json").write_bytes(
        Path(str(base_path) + ".manifest.json").read_bytes())
    labels = tmp_path / "desk.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in desk_labels(records("train_en.jsonl"))[:40]),
                      encoding="utf-8")
    code, _, err = run_main(["train", str(labels), "-o", str(tmp_path / "d.joblib"), "--base", str(forged)],
                            capsys)
    assert code == 3 and "does not match its manifest" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "d.joblib").exists()
    with pytest.raises(ModelError):
        load_model(forged)


def test_the_library_adapts_with_base_too(tmp_path, base):
    """`workbench.api.train(..., base=...)` is what `workbench train --base` runs."""
    from workbench import api

    model, base_path = base
    out = tmp_path / "desk.joblib"
    adapted = api.train(desk_labels(records("train_en.jsonl"))[:90], out, folds=3, base=base_path)
    assert adapted.manifest["adapted_from"]["model_version"] == model.model_version
    assert isinstance(load_model(out).estimator, AdaptedClassifier)
    with pytest.raises(ConfigError, match="--base"):
        api.train(records("train_en.jsonl")[:40], tmp_path / "x.joblib", base=base_path, cascade=True)
