"""The cold-start model: the labelling functions' vote, ready before any human label exists.

It imports neither scikit-learn nor scipy nor joblib, so a push without a trained model
starts predicting at once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from workbench.claims import cues, lexicon, rules
from workbench.claims.modelfile import MANIFEST_FORMAT, Model


def _rules_version() -> str:
    """"rules-" and a hash of the code the vote depends on: it changes when the rules do."""
    digest = hashlib.sha256()
    for module in (rules, cues, lexicon):
        digest.update(Path(module.__file__).read_bytes())
    return "rules-" + digest.hexdigest()[:10]


def cold_start_model() -> Model:
    """The labelling-function vote as a model, with a version that changes with the rules."""
    estimator = rules.RuleClassifier().fit([])
    manifest = {"format": MANIFEST_FORMAT, "model_version": _rules_version(),
                "labels": [str(c) for c in estimator.classes_], "kind": "cold-start rules"}
    return Model(estimator=estimator, manifest=manifest)
