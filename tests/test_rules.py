"""Cold-start labelling functions: votes on our own seed-like sentences, report, rule classifier."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from workbench.claims.rules import (
    LABELLING_FUNCTIONS,
    LABELS,
    RuleClassifier,
    apply_rules,
    format_rules_report,
    majority_vote,
    rules_report,
)

SEED_GOLD = Path(__file__).resolve().parents[2] / "shared" / "seed" / "sputnik-fr-2021-12-16.gold.jsonl"

# Sentences written for these tests, shaped like a scraped French or English news item.
CASES = [
    ({"text": "Paris et Berlin veulent relancer leur coopération spatiale", "role": "title"}, "not_a_claim"),
    ({"text": "04.02.2025, L'Écho de la Vallée", "role": "byline"}, "not_a_claim"),
    ({"text": "Un partenariat solide", "role": "heading"}, "not_a_claim"),
    ({"text": "Faut-il vraiment rouvrir la ligne?", "role": "body"}, "not_a_claim"),
    ({"text": "\"Je crois que cet accord est historique\", a-t-elle souligné.", "role": "body"}, "attributed_quote"),
    ({"text": "La ministre a ajouté que \"les négociations reprendraient en mars\".", "role": "body"}, "attributed_quote"),
    ({"text": "Selon la préfecture, 300 personnes ont été évacuées.", "role": "body"}, "attributed_quote"),
    ({"text": "Le porte-parole du gouvernement s'est félicité de ces résultats.", "role": "body"}, "attributed_quote"),
    ({"text": "The minister said the talks would resume in March.", "role": "body"}, "attributed_quote"),
    ({"text": "According to the police, 300 people were evacuated.", "role": "body"}, "attributed_quote"),
    ({"text": "Le 3 février, les deux ministres se sont rencontrés à Toulouse pendant deux heures.", "role": "body"}, "verifiable_fact"),
    ({"text": "Le chiffre d'affaires du groupe a progressé de 12 % en 2024, à 3,4 milliards d'euros.", "role": "body"}, "verifiable_fact"),
    ({"text": "The factory closed on 12 March 2024 after 40 years.", "role": "body"}, "verifiable_fact"),
    ({"text": "Il faut cesser de repousser cette réforme indispensable.", "role": "body"}, "opinion"),
    ({"text": "Nous pensons que cette décision est une grave erreur.", "role": "body"}, "opinion"),
    ({"text": "This is a shameful and utterly absurd decision!", "role": "body"}, "opinion"),
    ({"text": "We must stop pretending the plan works.", "role": "body"}, "opinion"),
]


@pytest.mark.parametrize("record,label", CASES, ids=[c[0]["text"][:30] for c in CASES])
def test_rule_classifier_on_seed_like_sentences(record, label):
    model = RuleClassifier().fit()
    assert model.predict([record])[0] == label


def test_every_lf_returns_a_label_or_none_and_declares_its_label():
    votes = apply_rules([r for r, _ in CASES])
    assert len(votes) == len(CASES)
    for row in votes:
        assert len(row) == len(LABELLING_FUNCTIONS)
        for lf, vote in zip(LABELLING_FUNCTIONS, row):
            assert vote is None or vote == lf.label
            assert lf.label in LABELS


def test_majority_vote_gives_label_and_confidence_or_abstains():
    decided = majority_vote([CASES[0][0], {"text": "Le pont reste fermé aux camions."}, {"text": ""}])
    assert decided[0][0] == "not_a_claim" and 0 < decided[0][1] <= 1
    assert decided[1] == (None, 0.0)
    assert decided[2][0] == "not_a_claim"  # an empty segment is a fragment


def test_rules_report_structure_and_markdown():
    report = rules_report([dict(r, label=label) for r, label in CASES])
    assert report["records"] == len(CASES)
    assert 0 < report["coverage"] <= 1 and 0 <= report["conflicts"] <= 1
    assert report["vote_accuracy"] is not None
    names = [row["name"] for row in report["functions"]]
    assert names == [lf.__name__ for lf in LABELLING_FUNCTIONS]
    for row in report["functions"]:
        assert set(row) >= {"name", "label", "fired", "coverage", "overlaps", "conflicts", "accuracy"}
        assert row["conflicts"] <= row["overlaps"] <= row["coverage"]
    table = format_rules_report(report)
    assert "| lf_structural_role |" in table and table.count("\n|") == len(LABELLING_FUNCTIONS) + 2
    assert rules_report([])["coverage"] == 0.0


def test_rule_classifier_probabilities_are_smoothed():
    model = RuleClassifier().fit()
    assert list(model.classes_) == sorted(LABELS)
    proba = model.predict_proba([CASES[0][0], {"text": "Il pleut sur la ville.", "role": "body"}])
    assert np.allclose(proba.sum(axis=1), 1.0) and (proba > 0).all()
    nac = list(model.classes_).index("not_a_claim")
    assert proba[0, nac] > 0.9
    assert proba[1].max() < 0.6  # no vote: only the weak prior speaks
    assert pickle.loads(pickle.dumps(model)).predict([CASES[4][0]])[0] == "attributed_quote"
    assert clone(model).get_params() == model.get_params()
    with pytest.raises(ValueError, match="prior"):
        RuleClassifier(prior={"SUBJ": 1.0}).fit()


@pytest.mark.skipif(not SEED_GOLD.is_file(), reason="../shared/seed is absent")
def test_rules_get_the_unambiguous_seed_sentences_right():
    gold = [json.loads(line) for line in SEED_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    clear = [g for g in gold if not g["ambiguous"]]
    predicted = RuleClassifier().fit().predict(clear)
    wrong = [(g["text"][:50], g["label"], p) for g, p in zip(clear, predicted) if p != g["label"]]
    assert not wrong


def test_the_cold_start_model_loads_and_predicts_without_scikit_learn():
    code = ("import sys; from workbench.claims.coldstart import cold_start_model; "
            "m = cold_start_model(); print(m.predict([{'text': 'Budget 2026', 'role': 'title'}])[0][0]); "
            "print(sorted(n for n in ('sklearn', 'scipy', 'joblib') if n in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    label, imported = done.stdout.splitlines()
    assert label == "not_a_claim"
    assert imported == "[]"


def test_rule_classifier_keeps_the_parameter_contract_by_hand():
    model = RuleClassifier(smoothing=2.0)
    assert model.get_params() == {"smoothing": 2.0, "structural": 0.94, "prior": None}
    assert model.set_params(structural=0.5) is model and model.structural == 0.5
    with pytest.raises(ValueError, match="no parameter"):
        model.set_params(alpha=1)
    assert model.fit([], []) is model
    assert all(isinstance(c, str) for c in model.classes_)
    assert repr(model) == "RuleClassifier(smoothing=2.0, structural=0.5)"
    with pytest.raises(AttributeError, match="not fitted"):
        RuleClassifier().predict([{"text": "x"}])


def test_rules_and_cue_features_read_one_analysis():
    import math

    from workbench.claims.cues import analyse, cue_names, cue_row

    record = {"text": "« Nous irons jusqu'au bout », a-t-il déclaré selon la ministre.", "role": "body"}
    view = analyse(record)
    assert analyse(dict(record)) is view  # read once, whoever asks
    row = dict(zip(cue_names(), cue_row(record)))
    assert view.speech_verbs == 1 and row["cue_reporting_verb"] == math.log1p(view.speech_verbs)
    assert view.inverted and row["surface_inverted_subject"] == math.log1p(1)
    assert [lf.__name__ for lf in LABELLING_FUNCTIONS if lf(record)] == [
        "lf_quote_and_speaker", "lf_inverted_speaker", "lf_according_to", "lf_speech_verb_with_source"]
