"""Training, evaluation and the manifest-checked persistence of the claim classifier."""

import json

import pytest

from workbench.claims.classifier import data_hash, evaluate, load_model, manifest_path, save_model, train
from workbench.claims.coldstart import cold_start_model
from workbench.core.errors import InputError, ModelError

SENTENCES = [
    ("The council approved a budget of 12 million euros on Tuesday.", "verifiable_fact", "a1"),
    ("Unemployment fell to 7.1% in March, the statistics office reported.", "attributed_quote", "a1"),
    ("This plan is a disgrace and should be scrapped.", "opinion", "a1"),
    ("Budget 2026", "not_a_claim", "a1"),
    ("The bridge opened in 1998 and carries 40,000 vehicles a day.", "verifiable_fact", "a2"),
    ("\"We will not back down,\" the minister said.", "attributed_quote", "a2"),
    ("Frankly, the city deserves better leaders.", "opinion", "a2"),
    ("By Jane Doe, 12.03.2026", "not_a_claim", "a2"),
    ("Le conseil a voté le budget mardi par 31 voix contre 12.", "verifiable_fact", "a3"),
    ("« Nous irons jusqu'au bout », a-t-il déclaré.", "attributed_quote", "a3"),
    ("Il faut enfin avoir le courage de réformer.", "opinion", "a3"),
    ("Un budget en hausse", "not_a_claim", "a3"),
]


def records(n_copies=2):
    out = []
    for k in range(n_copies):
        for text, label, art in SENTENCES:
            out.append({"text": f"{text} ({k})" if k else text, "label": label,
                        "article_id": f"{art}-{k}"})
    return out


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "claims.joblib"
    model = save_model(train(records(3), warn=lambda m: None), path)
    return path, model


def test_saved_model_round_trips_with_version_and_metrics(saved):
    path, model = saved
    loaded = load_model(path)
    assert loaded.model_version == model.model_version
    assert loaded.model_version.startswith("claims-")
    assert sorted(loaded.labels) == ["attributed_quote", "not_a_claim", "opinion", "verifiable_fact"]
    manifest = json.loads(manifest_path(path).read_text())
    assert manifest["data_sha256"] == data_hash(records(3))
    assert manifest["cv_metrics"]["grouped_by_article"] is True
    assert set(manifest["versions"]) >= {"scikit-learn", "joblib", "python"}
    for label, score, unc in loaded.predict([{"text": "Il faut réformer.", "role": "body"}]):
        assert label in loaded.labels and 0 < score <= 1 and 0 <= unc <= 1


def test_tampered_model_is_refused_before_loading(saved, tmp_path):
    path, _ = saved
    bad = tmp_path / "claims.joblib"
    bad.write_bytes(path.read_bytes() + b"\0")
    manifest_path(bad).write_text(manifest_path(path).read_text())
    with pytest.raises(ModelError, match="does not match its manifest"):
        load_model(bad)


def test_model_without_manifest_or_missing_is_refused(saved, tmp_path):
    path, _ = saved
    lone = tmp_path / "lone.joblib"
    lone.write_bytes(path.read_bytes())
    with pytest.raises(ModelError, match="no manifest"):
        load_model(lone)
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "nothing.joblib")


def test_corrupted_file_with_matching_hash_gives_clear_error(tmp_path):
    import hashlib

    path = tmp_path / "junk.joblib"
    path.write_bytes(b"not a pickle at all")
    manifest_path(path).write_text(json.dumps({"format": "workbench-model/1", "labels": [],
                                               "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}))
    with pytest.raises(ModelError, match="cannot load"):
        load_model(path)


def test_version_changes_with_the_model(tmp_path):
    a = save_model(train(records(2), warn=lambda m: None), tmp_path / "a.joblib")
    b = save_model(train(records(2)[:-3] + records(3)[-3:], warn=lambda m: None), tmp_path / "a.joblib")
    assert a.model_version != b.model_version


def test_a_handful_of_labels_warns_but_trains():
    said = []
    few = [{"text": t, "label": lab} for t, lab, _ in SENTENCES[:5]]
    model = train(few, warn=said.append)
    assert any("fewer than 3" in msg for msg in said)
    assert len(model.predict([{"text": "Something."}])) == 1


def test_any_label_strings_work():
    recs = [{"text": t, "label": "SUBJ" if lab == "opinion" else "OBJ"} for t, lab, _ in SENTENCES * 2]
    model = train(recs, warn=lambda m: None)
    assert sorted(model.labels) == ["OBJ", "SUBJ"]
    assert evaluate(model, recs)["n"] == len(recs)


def test_bad_training_data_is_refused():
    with pytest.raises(InputError, match="only one label"):
        train([{"text": "a", "label": "x"}, {"text": "b", "label": "x"}])
    with pytest.raises(InputError, match="no text"):
        train([{"text": "", "label": "x"}, {"text": "b", "label": "y"}])
    with pytest.raises(InputError, match="no labelled records"):
        train([{"text": "a", "label": None}])


def test_cold_start_model_predicts_the_four_labels():
    model = cold_start_model()
    assert model.model_version.startswith("rules-")
    (label, score, _), = model.predict([{"text": "Budget 2026", "role": "title"}])
    assert label == "not_a_claim" and score > 0.5


class FromOtherCode:
    """Unpickles fine and fails when used, like a model pickled by older feature code."""

    def __init__(self, classes):
        self.classes_ = classes

    def predict_proba(self, records):
        raise ValueError("cannot reshape array")


def test_model_from_other_feature_code_is_refused_with_a_clear_error(saved, tmp_path):
    import workbench.claims.classifier as classifier

    path, model = saved
    broken = tmp_path / "old.joblib"
    saved_old = save_model(classifier.Model(FromOtherCode(model.estimator.classes_),
                                            dict(model.manifest)), broken)
    assert saved_old.model_version
    with pytest.raises(ModelError, match="does not work with this version of the workbench"):
        load_model(broken)


def test_one_pass_prediction_equals_predict_and_predict_proba(saved):
    import numpy as np

    _, model = saved
    records = [{"text": t, "role": "body"} for t, _l, _a in SENTENCES]
    labels, proba = model.estimator.predict_with_proba(records)
    assert list(labels) == list(model.estimator.predict(records))
    assert np.allclose(proba, model.estimator.predict_proba(records))


def _pickled_under(estimator, moves: dict[str, str]) -> bytes:
    """The estimator pickled (protocol 2: plain "c<module>\\n<name>\\n" globals) with its
    classes' module paths rewritten to where an earlier layout had them."""
    import pickle

    data = pickle.dumps(estimator, protocol=2)
    for new, old in moves.items():
        assert f"c{new}\n".encode() in data
        data = data.replace(f"c{new}\n".encode(), f"c{old}\n".encode())
    return data


@pytest.mark.parametrize("old", ["workbench.features", "workbench.claims.features"])
def test_a_model_pickled_under_an_earlier_layout_still_loads(saved, tmp_path, old):
    import hashlib

    from workbench.claims.estimator import ClaimClassifier

    _, model = saved
    data = _pickled_under(model.estimator, {"workbench.claims.estimator": old,
                                            "workbench.claims.textfeatures": old})
    assert b"workbench.claims." not in data.replace(old.encode(), b"")
    path = tmp_path / "old-layout.joblib"
    path.write_bytes(data)
    manifest_path(path).write_text(json.dumps({**model.manifest, "sha256": hashlib.sha256(data).hexdigest()}))
    loaded = load_model(path)
    assert type(loaded.estimator) is ClaimClassifier
    records = [{"text": t, "role": "body"} for t, _l, _a in SENTENCES]
    assert loaded.predict(records) == model.predict(records)


def test_rules_pickled_under_the_flat_layout_still_load(tmp_path):
    import hashlib

    from workbench.claims.rules import RuleClassifier

    rules = cold_start_model()
    data = _pickled_under(rules.estimator, {"workbench.claims.rules": "workbench.rules"})
    path = tmp_path / "rules.joblib"
    path.write_bytes(data)
    manifest_path(path).write_text(json.dumps({**rules.manifest, "sha256": hashlib.sha256(data).hexdigest()}))
    loaded = load_model(path)
    assert type(loaded.estimator) is RuleClassifier
    assert loaded.predict([{"text": "Budget 2026", "role": "title"}])[0][0] == "not_a_claim"


def test_saving_leaves_the_model_its_arrays_and_manifest_and_no_temp_file(saved):
    path, model = saved
    names = sorted(p.name for p in path.parent.iterdir())
    assert names == ["claims.joblib", "claims.joblib.arrays.npz", "claims.joblib.manifest.json"]
    assert json.loads(manifest_path(path).read_text())["sha256"] == model.manifest["sha256"]
