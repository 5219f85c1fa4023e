"""A fitted claim classifier exported as the arrays `compiled.CompiledClassifier` predicts from.

Only `save_model` needs this (it imports scikit-learn); loading and predicting from the
arrays needs `workbench.claims.compiled` alone.
"""

from __future__ import annotations

import io
import json

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from workbench.claims.compiled import FORMAT, SEPARATOR, CompiledClassifier, pack_strings
from workbench.claims.estimator import ClaimClassifier, ViewEnsemble
from workbench.claims.textfeatures import CueFeatures, TextField, WordCharNgrams
from workbench.core.records import model_record

__all__ = ["checked_arrays", "disagreement", "export_arrays", "to_bytes"]


def _linear_parts(model, width: int) -> tuple[np.ndarray, np.ndarray]:
    """(coefficients (features x outputs), intercepts) of the classifier's linear model."""
    if isinstance(model, ViewEnsemble):
        parts = [_linear_parts(m, b - a) for m, (a, b) in zip(model.models_, model.slices)]
        coef = np.zeros((width, parts[0][0].shape[1]))
        for (a, b), (c, _) in zip(model.slices, parts):
            coef[a:b] = c
        return coef, sum(i for _, i in parts)
    if isinstance(model, OneVsRestClassifier):
        estimators = model.estimators_
        if not all(isinstance(e, LogisticRegression) for e in estimators):
            raise TypeError("one-vs-rest over something other than logistic regressions")
        coef = np.vstack([np.asarray(e.coef_, dtype=np.float64) for e in estimators]).T
        return coef, np.asarray([float(e.intercept_[0]) for e in estimators])
    if isinstance(model, (LogisticRegression, SGDClassifier)):
        return np.asarray(model.coef_, dtype=np.float64).T.copy(), np.asarray(model.intercept_, dtype=np.float64)
    raise TypeError(f"no array form for {type(model).__name__}")


def _text_block(pipeline) -> dict | None:
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        return None
    (_, field), (_, vec) = pipeline.steps
    if not isinstance(field, TextField) or field.field != "text":
        return None
    if isinstance(vec, WordCharNgrams):
        words = list(vec.word_index_)
        index = [vec.word_index_[w] for w in words]
        lengths = np.asarray([len(i) for i in index], dtype=np.int64)
        return {"kind": "chars", "ngram_range": list(vec.ngram_range), "sublinear_tf": bool(vec.sublinear_tf),
                "fold": bool(field.fold), "width": len(vec.vocabulary_),
                "_vocab": sorted(vec.vocabulary_, key=vec.vocabulary_.get), "_idf": vec.idf_,
                "_words": words,
                "_indptr": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
                "_indices": (np.concatenate(index) if index else np.zeros(0)).astype(np.int32)}
    plain = (isinstance(vec, TfidfVectorizer) and vec.analyzer == "word" and not vec.lowercase
             and vec.strip_accents is None and vec.preprocessor is None and vec.tokenizer is None
             and vec.stop_words is None and vec.norm == "l2" and vec.use_idf and not vec.binary
             and vec.input == "content")
    if not plain:
        return None
    return {"kind": "words", "ngram_range": list(vec.ngram_range), "sublinear_tf": bool(vec.sublinear_tf),
            "fold": bool(field.fold), "token_pattern": vec.token_pattern, "width": len(vec.vocabulary_),
            "_vocab": sorted(vec.vocabulary_, key=vec.vocabulary_.get), "_idf": vec.idf_}


def export_arrays(estimator) -> dict[str, np.ndarray] | None:
    """The arrays `CompiledClassifier` needs, or None for a model they cannot express
    (sentence embeddings, character n-grams across words, rules, a single label)."""
    if not isinstance(estimator, ClaimClassifier) or getattr(estimator, "model_", None) is None:
        return None
    union = estimator.features_
    if not isinstance(union, FeatureUnion) or union.transformer_weights:
        return None
    blocks = []
    for _, part in union.transformer_list:
        if isinstance(part, CueFeatures):
            blocks.append({"kind": "cues", "use_role": bool(part.use_role), "scale": float(part.scale),
                           "role_weight": float(part.role_weight), "width": int(part.n_features_out_)})
            continue
        block = _text_block(part)
        if block is None:
            return None
        blocks.append(block)
    folds = {b["fold"] for b in blocks if "fold" in b}
    if len(folds) > 1:
        return None
    strings = [g for b in blocks for g in b.get("_vocab", []) + b.get("_words", [])]
    if any(SEPARATOR in g for g in strings) or any(SEPARATOR in str(c) for c in estimator.classes_):
        return None
    calibrator = estimator.calibrator_
    if calibrator is None and isinstance(estimator.model_, ViewEnsemble):
        return None  # has no probabilities of its own
    if calibrator is not None and not isinstance(calibrator, LogisticRegression):
        return None
    width = sum(b["width"] for b in blocks)
    try:
        coef, intercept = _linear_parts(estimator.model_, width)
    except TypeError:
        return None
    if coef.shape[0] != width:
        return None
    arrays = {"coef": coef, "intercept": intercept,
              "classes": pack_strings([str(c) for c in estimator.classes_]),
              "decision_weights": np.asarray(estimator.decision_weights_, dtype=np.float64)}
    for b in blocks:
        kind = b["kind"]
        if "_vocab" in b:
            arrays[f"{kind}_vocab"] = pack_strings(b.pop("_vocab"))
            arrays[f"{kind}_idf"] = np.asarray(b.pop("_idf"))
        if kind == "chars":
            arrays["chars_words"] = pack_strings(b.pop("_words"))
            arrays["chars_indptr"] = b.pop("_indptr")
            arrays["chars_indices"] = b.pop("_indices")
    if calibrator is not None:
        arrays["cal_coef"] = np.asarray(calibrator.coef_, dtype=np.float64)
        arrays["cal_intercept"] = np.asarray(calibrator.intercept_, dtype=np.float64)
    meta = {"format": FORMAT, "blocks": blocks, "fold": folds.pop() if folds else True,
            "binary": coef.shape[1] == 1, "decision": estimator.decision,
            "calibration": "none" if calibrator is None else "logistic"}
    arrays["meta"] = np.asarray(json.dumps(meta))
    return arrays


def disagreement(estimator, compiled: CompiledClassifier, records: list, tolerance: float = 1e-6) -> str | None:
    """How `compiled` predicts otherwise than the estimator on `records`; None when it agrees
    (same labels, probabilities within `tolerance`)."""
    labels, proba = estimator.predict_with_proba(records)
    c_labels, c_proba = compiled.predict_with_proba(records)
    if list(map(str, labels)) != list(map(str, c_labels)):
        wrong = sum(str(a) != str(b) for a, b in zip(labels, c_labels))
        return f"{wrong} of {len(records)} labels differ"
    gap = float(np.max(np.abs(np.asarray(proba) - c_proba))) if len(records) else 0.0
    return None if gap <= tolerance else f"probabilities differ by up to {gap:.2e}"


def to_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """The .npz file's content for `export_arrays`' output (uncompressed: loads fastest)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


# Sentences the arrays of a model must predict as the model does before they are written:
# quotes, numbers, a title, words never seen in training, nothing at all.
PROBES = (
    ("« Nous ne céderons pas », a déclaré mardi la ministre du Travail.", "body"),
    ("Le chômage a reculé de 0,3 % au troisième trimestre, selon l'Insee.", "body"),
    ("Cette réforme est, à mon sens, une erreur historique.", "body"),
    ("Inondations : la vallée de la Roya sous les eaux", "title"),
    ('"We will not back down," the minister told reporters on Tuesday.', "body"),
    ("The city spent $4.2 million on the bridge in 2023.", "body"),
    ("Xqzvw brrtk plonf 12/03/2031 !!", ""),
    ("", ""),
)


def checked_arrays(estimator) -> bytes | None:
    """The estimator's arrays as an .npz file's content, after checking they predict as it
    does on `PROBES`; None when it has none or they disagree (it then loads the slow way)."""
    arrays = export_arrays(estimator)
    if arrays is None:
        return None
    probes = [model_record({"text": text, "role": role}) for text, role in PROBES]
    if disagreement(estimator, CompiledClassifier(arrays), probes) is not None:
        return None  # never serve arrays that predict otherwise
    return to_bytes(arrays)
