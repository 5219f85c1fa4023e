"""The classifier's arrays: the same predictions as the scikit-learn model, loaded without it."""

import json
import pickle
import random
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from conftest import CHECKTHAT, DATA, REPO
from workbench.claims.arrays import disagreement, export_arrays
from workbench.claims.classifier import Model, load_model, manifest_path, save_model, train
from workbench.claims.compiled import CompiledClassifier, word_ngrams
from workbench.claims.estimator import make_classifier
from workbench.claims.loading import load_predictor
from workbench.core.errors import ModelError
from workbench.core.records import model_record


def _jsonl(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def labelled():
    return _jsonl(DATA / "train_fr.jsonl") + _jsonl(DATA / "train_en.jsonl")


def perturbed(records, seed=0):
    """Records the model never saw: words dropped, swapped and misspelt, roles kept."""
    rng = random.Random(seed)
    out = []
    for r in records:
        words = r["text"].split()
        if len(words) > 3:
            del words[rng.randrange(len(words))]
            i = rng.randrange(len(words) - 1)
            words[i], words[i + 1] = words[i + 1], words[i]
        if words:
            j = rng.randrange(len(words))
            words[j] = words[j][::-1] + "x"
        out.append(model_record({"text": " ".join(words), "role": r.get("role")}))
    return out


@pytest.fixture(scope="module")
def saved(labelled, tmp_path_factory):
    path = tmp_path_factory.mktemp("arrays") / "claims.joblib"
    return path, save_model(train(labelled, warn=lambda m: None), path)


@pytest.fixture(scope="module")
def fast(saved):
    return load_predictor(saved[0])


def test_saved_model_has_arrays_named_and_hashed_by_its_manifest(saved):
    path, model = saved
    entry = json.loads(manifest_path(path).read_text())["arrays"]
    assert entry["file"] == "claims.joblib.arrays.npz"
    assert (path.parent / entry["file"]).stat().st_size > 0
    assert len(entry["sha256"]) == 64


def test_arrays_predict_as_the_model_on_unseen_sentences(saved, labelled):
    path, model = saved
    fast = load_predictor(path)
    assert isinstance(fast.estimator, CompiledClassifier)
    assert fast.model_version == model.model_version
    records = perturbed(labelled) + [model_record({"text": r["text"], "role": r.get("role")}) for r in labelled]
    labels, proba = model.estimator.predict_with_proba(records)
    fast_labels, fast_proba = fast.estimator.predict_with_proba(records)
    assert list(fast_labels) == list(labels)
    assert np.abs(fast_proba - proba).max() < 1e-6
    assert fast.predict(records[:50]) == [(a, pytest.approx(b, abs=1e-6), pytest.approx(c, abs=1e-6))
                                          for a, b, c in model.predict(records[:50])]


@pytest.mark.parametrize("options", [
    {"views": True},
    {"decision": "macro_f1"},
    {"decision": "argmax", "use_role": False},
    {"calibration": "none"},
    {"sgd_above": 100},
    {"word_ngrams": None},
    {"char_ngrams": None, "cues": False},
])
def test_arrays_follow_every_classifier_option(options, labelled):
    estimator = make_classifier(**options).fit([model_record(r) for r in labelled], [r["label"] for r in labelled])
    arrays = export_arrays(estimator)
    assert arrays is not None
    assert disagreement(estimator, CompiledClassifier(arrays), perturbed(labelled, seed=1)) is None


def test_two_label_model_from_checkthat():
    folder = CHECKTHAT / "english"
    if not (folder / "train_en.tsv").exists():
        pytest.skip("CheckThat! data not beside the checkout")
    import csv

    def rows(name):
        with open(folder / name, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))

    train_rows = rows("train_en.tsv")
    estimator = make_classifier().fit([{"text": r["sentence"]} for r in train_rows],
                                      [r["label"] for r in train_rows])
    compiled = CompiledClassifier(export_arrays(estimator))
    held_out = [{"text": r["sentence"]} for r in rows("dev_test_en.tsv")]
    assert compiled.decision_function(held_out[:3]).ndim == 1
    assert len(held_out) > 200
    assert disagreement(estimator, compiled, held_out) is None


def test_word_ngrams_are_scikit_learns():
    analyse = TfidfVectorizer(ngram_range=(1, 3), lowercase=False, token_pattern=r"(?u)\b\w+\b|[^\w\s]").build_analyzer()
    tokenise = TfidfVectorizer(lowercase=False, token_pattern=r"(?u)\b\w+\b|[^\w\s]").build_tokenizer()
    for text in ["", "un", "« Non », a-t-il dit.", "The 3 bridges, built in 1998, carry 40,000 cars!"]:
        assert word_ngrams(tokenise(text), 1, 3) == analyse(text)


def test_a_model_the_arrays_cannot_express_loads_through_scikit_learn(labelled, tmp_path):
    estimator = make_classifier(char_analyzer="char", char_ngrams=(2, 3)).fit(
        [model_record(r) for r in labelled[:300]], [r["label"] for r in labelled[:300]])
    assert export_arrays(estimator) is None
    path = tmp_path / "chars.joblib"
    (tmp_path / "chars.joblib.arrays.npz").write_bytes(b"left by an earlier model")
    save_model(Model(estimator, {"format": "workbench-model/1", "labels": list(estimator.classes_)}), path)
    assert "arrays" not in json.loads(manifest_path(path).read_text())
    assert not (tmp_path / "chars.joblib.arrays.npz").exists()
    assert load_predictor(path).estimator.__class__.__name__ == "ClaimClassifier"


def test_changed_or_missing_arrays_are_refused_with_one_line(saved, tmp_path):
    path, _ = saved
    copy = tmp_path / "claims.joblib"
    for name in ("claims.joblib", "claims.joblib.manifest.json", "claims.joblib.arrays.npz"):
        (tmp_path / name).write_bytes((path.parent / name).read_bytes())
    arrays = tmp_path / "claims.joblib.arrays.npz"
    data = bytearray(arrays.read_bytes())
    data[-100] ^= 1
    arrays.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256 .* does not match") as err:
        load_predictor(copy)
    assert "\n" not in str(err.value)
    arrays.unlink()
    with pytest.raises(ModelError, match="cannot read the model's arrays"):
        load_predictor(copy)
    manifest = json.loads(manifest_path(copy).read_text())
    manifest["arrays"]["file"] = "../elsewhere.npz"
    manifest_path(copy).write_text(json.dumps(manifest))
    with pytest.raises(ModelError, match="not beside the model"):
        load_predictor(copy)


def test_arrays_hold_no_pickle_and_pickle_as_arrays(saved, labelled):
    path, _ = saved
    with np.load(path.parent / "claims.joblib.arrays.npz", allow_pickle=False) as data:
        assert all(data[k].dtype != object for k in data.files)
    fast = load_predictor(path).estimator
    again = pickle.loads(pickle.dumps(fast))
    records = perturbed(labelled[:200], seed=2)
    assert list(again.predict(records)) == list(fast.predict(records))


def test_loading_and_predicting_from_arrays_imports_no_scikit_learn(saved):
    path, model = saved
    code = ("import sys; from workbench.claims.loading import load_predictor; "
            f"m = load_predictor({str(path)!r}); print(m.predict([{{'text': 'Il a dit non.'}}])[0][0]); "
            "print(sorted(n for n in ('sklearn', 'scipy', 'joblib') if n in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    label, imported = out.splitlines()
    assert label == model.predict([{"text": "Il a dit non."}])[0][0]
    assert imported == "[]"


def test_load_model_still_loads_the_scikit_learn_model(saved):
    path, model = saved
    assert load_model(path).estimator.__class__.__name__ == "ClaimClassifier"


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=80) | st.sampled_from(
    ["« Oui », a-t-il dit.", "l’État a dépensé 3,5 %", "WORD\x1cword\u2028x", "é́ ß ǅ İ", "  ", "'\"‘’«»"]),
    min_size=1, max_size=6), role=st.sampled_from(["body", "title", "", "quote", "nonsense"]))
def test_arrays_agree_with_the_model_on_any_text(saved, fast, texts, role):
    records = [model_record({"text": t, "role": role}) for t in texts]
    assert disagreement(saved[1].estimator, fast.estimator, records) is None
