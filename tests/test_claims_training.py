"""train_to_file: train, save and report in one library call."""

from __future__ import annotations

import json

import pytest

from workbench.claims.loading import load_predictor
from workbench.claims.modelfile import manifest_path
from workbench.claims.training import default_report_dir, train_to_file
from workbench.core.errors import ConfigError, InputError

SENTENCES = [
    ("The council approved a budget of 12 million euros on Tuesday.", "verifiable_fact"),
    ("\"We will not back down,\" the minister said.", "attributed_quote"),
    ("This plan is a disgrace and should be scrapped.", "opinion"),
    ("Budget 2026", "not_a_claim"),
]


def records(copies=4):
    return [{"text": f"{t} ({k})", "label": label, "article_id": f"a{k}"}
            for k in range(copies) for t, label in SENTENCES]


def test_train_to_file_saves_the_model_and_its_report(tmp_path):
    said = []
    model = train_to_file(records(), tmp_path / "claims.joblib", folds=2, learning_curve=False,
                          warn=said.append)
    assert model.manifest["cv_metrics"]["folds"] == 2
    assert json.loads(manifest_path(tmp_path / "claims.joblib").read_text())["sha256"] == model.manifest["sha256"]
    report = default_report_dir(tmp_path / "claims.joblib")
    assert report == tmp_path / "claims-report"
    assert json.loads((report / "report.json").read_text())["manifest"]["model_version"] == model.model_version
    assert (report / "model_card.md").read_text().startswith(f"# Model card: {model.model_version}")
    assert load_predictor(tmp_path / "claims.joblib").model_version == model.model_version


def test_train_to_file_raises_the_projects_errors_and_writes_nothing(tmp_path):
    with pytest.raises(ConfigError, match="unknown sentence encoder"):
        train_to_file(records(), tmp_path / "x.joblib", embeddings="word2vec")
    with pytest.raises(InputError, match="only one label"):
        train_to_file([{"text": "a", "label": "x"}] * 3, tmp_path / "x.joblib")
    assert list(tmp_path.iterdir()) == []
