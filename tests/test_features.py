"""Claim features and the calibrated classifier: sklearn contract, tiny data, any labels, CheckThat bar."""

from __future__ import annotations

import csv
import json
import pickle
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score

from workbench.claims.estimator import make_classifier
from workbench.claims.textfeatures import CueFeatures, TextField, WordCharNgrams, make_features
from workbench.claims.modelfile import uncertainty

CHECKTHAT = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkthat2025-subjectivity"

# Our own sentences, written for these tests.
RECORDS = [
    ({"text": "Le conseil municipal a voté le budget le 3 mars 2024.", "role": "body"}, "verifiable_fact"),
    ({"text": "Le chômage a reculé de 2,5 % en un an, à 7,1 %.", "role": "body"}, "verifiable_fact"),
    ({"text": "The plant employed 1,200 workers in 2019.", "role": "body"}, "verifiable_fact"),
    ({"text": "Il faut absolument repenser cette politique désastreuse.", "role": "body"}, "opinion"),
    ({"text": "Je trouve cette décision franchement scandaleuse.", "role": "body"}, "opinion"),
    ({"text": "We should stop pretending this plan is working.", "role": "body"}, "opinion"),
    ({"text": "\"Nous ne céderons pas\", a-t-elle déclaré.", "role": "body"}, "attributed_quote"),
    ({"text": "Selon le ministère, la mesure sera appliquée dès janvier.", "role": "body"}, "attributed_quote"),
    ({"text": "The mayor said the bridge would reopen in June.", "role": "body"}, "attributed_quote"),
    ({"text": "Une rentrée sous tension", "role": "heading"}, "not_a_claim"),
    ({"text": "12.03.2024, La Gazette du Nord", "role": "byline"}, "not_a_claim"),
    ({"text": "Why did the council wait so long?", "role": "body"}, "not_a_claim"),
]
X = [r for r, _ in RECORDS]
Y = [label for _, label in RECORDS]


def test_classes_are_the_label_strings_and_probabilities_sum_to_one():
    model = make_classifier().fit(X, Y)
    assert list(model.classes_) == sorted(set(Y))
    proba = model.predict_proba(X)
    assert proba.shape == (len(X), 4)
    assert np.allclose(proba.sum(axis=1), 1.0)
    assert set(model.predict(X)) <= set(Y)


def test_fitted_model_clones_and_pickles():
    model = make_classifier(random_state=3).fit(X, Y)
    copy = pickle.loads(pickle.dumps(model))
    assert np.allclose(copy.predict_proba(X), model.predict_proba(X))
    fresh = clone(model)
    assert fresh.get_params() == model.get_params()
    assert not hasattr(fresh, "classes_")


@pytest.mark.parametrize("per_class", [1, 2])
def test_tiny_data_does_not_crash(per_class):
    X_small, y_small = [], []
    for label in sorted(set(Y)):
        picked = [r for r, lab in RECORDS if lab == label][:per_class]
        X_small += picked
        y_small += [label] * len(picked)
    model = make_classifier().fit(X_small, y_small)
    proba = model.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_any_label_strings_and_a_single_label():
    model = make_classifier().fit(X, ["SUBJ" if y == "opinion" else "OBJ" for y in Y])
    assert list(model.classes_) == ["OBJ", "SUBJ"]
    assert set(model.predict(X)) <= {"OBJ", "SUBJ"}
    weird = make_classifier().fit(X, [f"étiquette {i % 3}" for i in range(len(X))])
    assert weird.predict_proba(X).shape == (len(X), 3)
    single = make_classifier().fit(X[:3], ["only"] * 3)
    assert list(single.predict(X[:2])) == ["only", "only"]
    assert np.allclose(single.predict_proba(X[:2]), 1.0)


def test_plain_strings_work_as_records():
    model = make_classifier().fit([r["text"] for r in X], Y)
    assert len(model.predict(["Il pleut.", "He said so."])) == 2


def test_macro_f1_decision_keeps_probabilities():
    model = make_classifier(decision="macro_f1").fit(X * 3, Y * 3)
    assert np.allclose(model.predict_proba(X).sum(axis=1), 1.0)
    assert model.decision_weights_.shape == (4,)


def test_cue_features_see_claim_signals():
    cues = CueFeatures().fit(X)
    names = list(cues.get_feature_names_out())
    rows = cues.transform([
        {"text": "\"J'estime que c'est un exemple\", a-t-il signalé.", "role": "body"},
        {"text": "Je pense qu'il faut agir.", "role": "body"},
        {"text": "Des relations exemplaires", "role": "heading"},
        {"text": "Prices rose 4% to $3 billion on 12 March 2024."},
    ]).toarray()
    col = names.index
    assert rows[0, col("surface_inverted_subject")] > 0
    assert rows[0, col("surface_quote_then_speaker")] == 1
    assert rows[0, col("cue_quoted_first_person")] > 0 and rows[0, col("cue_first_person")] == 0
    assert rows[1, col("cue_first_person")] > 0 and rows[1, col("cue_modality")] > 0
    assert rows[2, col("role_heading")] > 0 and rows[2, col("surface_no_final_stop")] == 1
    assert rows[3, col("surface_percent_sign")] == 1 and rows[3, col("surface_currency")] == 1
    assert rows[3, col("cue_date_word")] > 0 and rows[3, col("role_none")] > 0


def test_features_clone_and_pickle_unfitted_and_fitted():
    union = make_features()
    assert clone(union).get_params().keys() == union.get_params().keys()
    fitted = union.fit(X)
    again = pickle.loads(pickle.dumps(fitted))
    assert (again.transform(X) != fitted.transform(X)).nnz == 0
    assert TextField(fold=False).fit(X).transform(X[:1]) == [X[0]["text"]]


@pytest.mark.parametrize("min_df", [1, 2])
def test_word_char_ngrams_match_scikit_learn_char_wb(min_df):
    texts = [r["text"].lower() for r in X] * 2
    ours = WordCharNgrams(ngram_range=(2, 5), min_df=min_df)
    theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=False, min_df=min_df)
    fitted = ours.fit_transform(texts)
    expected = theirs.fit_transform(texts)
    assert [n[len("char_"):] for n in ours.get_feature_names_out()] == list(theirs.get_feature_names_out())
    assert abs(fitted - expected).max() < 1e-6
    unseen = ["Une phrase jamais vue, avec des mots inconnus!", ""]
    assert abs(ours.transform(unseen) - theirs.transform(unseen)).max() < 1e-6


def test_uncertainty_is_one_minus_margin():
    u = uncertainty(np.array([[0.9, 0.1], [0.5, 0.5]]))
    assert np.allclose(u, [0.2, 1.0])
    assert np.allclose(uncertainty(np.array([[0.6, 0.3, 0.1]])), [0.7])
    assert np.allclose(uncertainty(np.ones((2, 1))), 0.0)


def _read_checkthat(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{"text": r["sentence"], "lang": "en"} for r in rows], [r["label"] for r in rows]


# The bar this model reached on English dev_test when it was built (see benchmarks/checkthat.md);
# the margin below it absorbs solver noise, not a drop in quality.
ENGLISH_BAR = 0.64
# Trained on train_en.jsonl (no roles), scored on the English gold articles (with roles).
ENGLISH_OWN_BAR = 0.74


@pytest.mark.skipif(not CHECKTHAT.is_dir(), reason="../shared/data (CheckThat!) is absent")
def test_checkthat_english_reaches_the_bar():
    english = CHECKTHAT / "english"
    X_train, y_train = _read_checkthat(english / "train_en.tsv")
    X_dev, y_dev = _read_checkthat(english / "dev_en.tsv")
    X_test, y_test = _read_checkthat(english / "dev_test_en.tsv")
    model = make_classifier().fit(X_train + X_dev, y_train + y_dev)
    score = f1_score(y_test, model.predict(X_test), average="macro")
    assert score >= ENGLISH_BAR


DATA = Path(__file__).resolve().parent / "data"
SEED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "seed" / "sputnik-fr-2021-12-16.gold.jsonl"


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _own_data(lang: str) -> list[dict]:
    records = _jsonl(DATA / f"train_{lang}.jsonl")
    for path in sorted((DATA / "gold" / lang).glob("*.gold.jsonl")):
        records += [dict(r, article_id=path.stem) for r in _jsonl(path)]
    return records


@pytest.mark.skipif(
    not (SEED_GOLD.is_file() and (DATA / "train_fr.jsonl").is_file()),
    reason="the seed (../shared/seed) or our French training data is absent",
)
def test_seed_article_right_after_training_on_our_french_data():
    records = _own_data("fr")  # our own articles only, never the seed
    model = make_classifier().fit(records, [r["label"] for r in records])
    clear = [g for g in _jsonl(SEED_GOLD) if not g["ambiguous"]]
    predicted = model.predict(clear)
    wrong = [(g["text"][:50], g["label"], p) for g, p in zip(clear, predicted) if p != g["label"]]
    assert len(clear) == 14 and not wrong


@pytest.mark.skipif(not (DATA / "train_en.jsonl").is_file(), reason="our English training data is absent")
def test_english_model_on_our_gold_articles():
    train = _jsonl(DATA / "train_en.jsonl")
    gold = [r for path in sorted((DATA / "gold" / "en").glob("*.gold.jsonl")) for r in _jsonl(path)]
    model = make_classifier().fit(train, [r["label"] for r in train])
    score = f1_score([r["label"] for r in gold], model.predict(gold), average="macro")
    assert score >= ENGLISH_OWN_BAR


def test_view_ensemble_option_fits_calibrates_and_pickles():
    model = make_classifier(views=True).fit(X, Y)
    assert len(model.view_slices_) == 3
    proba = model.predict_proba(X)
    assert np.allclose(proba.sum(axis=1), 1.0)
    copy = pickle.loads(pickle.dumps(model))
    assert np.allclose(copy.predict_proba(X), proba)
    assert set(model.predict(X)) <= set(Y)
