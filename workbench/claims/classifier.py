"""Train, evaluate, save and load the claim classifier (with a manifest checked before loading)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import platform
import warnings
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from workbench.claims.arrays import checked_arrays
from workbench.claims.embeddings import ENCODERS, embedding_cache, encoder_name
from workbench.claims.cascade import make_estimator
from workbench.claims.legacy import install_legacy_modules
from workbench.claims.modelfile import (MANIFEST_FORMAT, Model, arrays_file, manifest_path, read_manifest,
                                       sha256_file, training_file)
from workbench.core.errors import InputError, ModelError
from workbench.core.files import write_bytes
from workbench.core.records import model_record
from workbench.core.version import VERSION as __version__

# -- data --------------------------------------------------------------------------------------

def training_records(records: list[dict], where: str = "training data",
                     include_ties: bool = False) -> list[dict]:
    """Records usable for training: a non-empty `text` and a string `label` (ties left out)."""
    usable = []
    for n, rec in enumerate(records, 1):
        text, label = rec.get("text"), rec.get("label")
        if rec.get("tie") and not include_ties:
            continue
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}: record {n} has no text; every line needs a non-empty \"text\"")
        if label is None:
            continue
        if not isinstance(label, str) or not label:
            raise InputError(f"{where}: record {n} has label {label!r}; labels are non-empty strings")
        usable.append(rec)
    return usable


def data_hash(records: list[dict]) -> str:
    """sha256 over the (text, label, article) triples, order-independent."""
    h = hashlib.sha256()
    for line in sorted(json.dumps([r.get("text"), r.get("label"), r.get("article_id", "")],
                                  ensure_ascii=False) for r in records):
        h.update(line.encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def _features(records: list[dict]) -> list[dict]:
    return [model_record(r) for r in records]


# -- evaluation --------------------------------------------------------------------------------

def score(y_true: list[str], y_pred: list[str], labels: list[str] | None = None) -> dict:
    """macro-F1, per-label precision/recall/F1/support and the confusion matrix."""
    labels = labels or sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    present = [lab for lab in labels if lab in set(y_true)]
    return {
        "n": len(y_true),
        "macro_f1": float(f1_score(y_true, y_pred, labels=present, average="macro", zero_division=0)),
        "accuracy": float(np.mean([a == b for a, b in zip(y_true, y_pred)])) if y_true else 0.0,
        "per_label": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                            "support": int(s[i])} for i, lab in enumerate(labels)},
        "labels": labels,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def cross_validate(records: list[dict], *, folds: int = 5, random_state: int = 0,
                   warn=warnings.warn, options: dict | None = None) -> dict | None:
    """Stratified cross-validation, grouped by article_id when records carry it."""
    y = np.array([r["label"] for r in records])
    counts = Counter(y)
    groups = np.array([r.get("article_id") or f"row-{i}" for i, r in enumerate(records)])
    grouped = any(r.get("article_id") for r in records)
    n_splits = min(folds, min(counts.values()), len(set(groups)))
    if len(counts) < 2 or n_splits < 2:
        warn("too few labelled examples per class for cross-validation; metrics skipped")
        return None
    splitter = (StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
                if grouped else StratifiedKFold(n_splits=n_splits, shuffle=True,
                                                random_state=random_state))
    X = _features(records)
    predicted = np.empty(len(y), dtype=object)
    for train_idx, test_idx in splitter.split(X, y, groups if grouped else None):
        model = make_estimator(random_state=random_state, **(options or {}))
        with warnings.catch_warnings(action="ignore"):
            model.fit([X[i] for i in train_idx], y[train_idx])
        predicted[test_idx] = model.predict([X[i] for i in test_idx])
    result = score(list(y), list(predicted), sorted(counts))
    result.update({"folds": n_splits, "grouped_by_article": grouped})
    return result


def train(records: list[dict], *, random_state: int = 0, folds: int = 5, warn=warnings.warn,
          options: dict | None = None) -> Model:
    """Fit the claim classifier on labelled records; cross-validated metrics go in the manifest.

    `options` are `ClaimClassifier` parameters, e.g. {"embeddings": "e5"} for the
    sentence-embedding extra; they are recorded in the manifest.
    """
    records = training_records(records)
    if not records:
        raise InputError("no labelled records to train on; each line needs \"text\" and \"label\"")
    counts = Counter(r["label"] for r in records)
    if len(counts) < 2:
        raise InputError(f"only one label ({next(iter(counts))!r}) in the training data; "
                         f"a classifier needs at least two")
    rare = sorted(lab for lab, n in counts.items() if n < 3)
    if rare:
        warn(f"labels with fewer than 3 examples: {', '.join(rare)}; their predictions will be weak")
    options = dict(options or {})
    with embedding_cache():  # each sentence embedded once across the folds and the final fit
        metrics = cross_validate(records, folds=folds, random_state=random_state, warn=warn,
                                 options=options)
        estimator = make_estimator(random_state=random_state, **options)
        with warnings.catch_warnings(action="ignore"):
            estimator.fit(_features(records), [r["label"] for r in records])
    manifest = {
        "format": MANIFEST_FORMAT,
        "labels": [str(c) for c in estimator.classes_],
        "label_counts": dict(sorted(counts.items())),
        "n_train": len(records),
        "data_sha256": data_hash(records),
        "cv_metrics": metrics,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(options),
        "random_state": random_state,
        "options": options,
    }
    return Model(estimator=estimator, manifest=manifest)


def evaluate(model: Model, records: list[dict], *, errors: int = 0) -> dict:
    """Score a model on labelled records (ties and unlabelled records left out).

    With `errors`, the result lists that many mistakes, the most confident first.
    """
    worthiness = None
    if model.worthiness is not None:
        from workbench.claims.worthiness import evaluate_worthiness

        worthiness = evaluate_worthiness(model.worthiness, records)
    records = training_records(records)
    if not records or model.estimator is None:
        if worthiness:
            return {"model_version": model.model_version, "check_worthy": worthiness}
        raise InputError("no labelled records to evaluate on" if model.estimator is not None else
                         "the model has only a check-worthiness head and no line has check_worthy")
    outputs = model.predict(_features(records))
    predicted = [label for label, _s, _u in outputs]
    truth = [r["label"] for r in records]
    labels = sorted(set(truth) | set(model.labels))
    result = score(truth, predicted, labels)
    result["model_version"] = model.model_version
    if errors:
        wrong = sorted((i for i, (t, p) in enumerate(zip(truth, predicted)) if t != p),
                       key=lambda i: -outputs[i][1])
        result["errors"] = [{"text": records[i]["text"], "gold": truth[i],
                             "predicted": predicted[i], "score": round(outputs[i][1], 4),
                             **({"sentence_id": records[i]["sentence_id"]}
                                if records[i].get("sentence_id") else {})}
                            for i in wrong[:errors]]
    unknown = sorted(set(truth) - set(model.labels))
    if unknown:
        result["labels_unknown_to_model"] = unknown
    if worthiness:
        result["check_worthy"] = worthiness
    return result


def versions(options: dict | None = None) -> dict:
    """Library versions a model depends on (with its sentence encoder's, when it uses one)."""
    from importlib.metadata import PackageNotFoundError, version

    found = {"workbench": __version__, "scikit-learn": sklearn.__version__,
             "numpy": np.__version__, "joblib": joblib.__version__,
             "python": platform.python_version()}
    encoder = encoder_name((options or {}).get("embeddings"))
    if encoder:
        for package in ENCODERS[encoder][1].split():
            try:
                found[package] = version(package)
            except PackageNotFoundError:
                pass
    return found


# -- persistence -------------------------------------------------------------------------------

TRAINING_FIELDS = ("text", "label", "article_id", "lang", "role", "sentence_id")


def save_model(model: Model, path: Path, training: list[dict] | None = None) -> Model:
    """Write the model (joblib), its arrays and its manifest atomically; sets sha256 and model_version.

    The arrays (`MODEL.arrays.npz`, hash in the manifest) let `loading.load_predictor`
    load and predict without scikit-learn; a model they cannot express has none. With
    `training`, the labelled sentences it learned from are kept beside it
    (`MODEL.train.jsonl.gz`, hash in the manifest), so a backend can retrain on them plus a
    project's own labels.
    """
    path = Path(path)
    if training is not None:
        lines = "".join(json.dumps({k: r[k] for k in TRAINING_FIELDS if r.get(k) is not None},
                                   ensure_ascii=False) + "\n" for r in training)
        packed = gzip.compress(lines.encode("utf-8"), mtime=0)
        model = Model(model.estimator, {**model.manifest, "training_data": {
            "file": training_file(path).name, "sha256": hashlib.sha256(packed).hexdigest(),
            "n": len(training)}})
        write_bytes(training_file(path), packed)
    apath = arrays_file(path)
    blob = checked_arrays(model.estimator)
    buffer = io.BytesIO()
    joblib.dump(model.estimator, buffer, compress=3)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    stem = path.name.split(".")[0] or "model"
    manifest = {key: value for key, value in model.manifest.items() if key != "arrays"}
    manifest.update({"sha256": digest, "model_file": path.name, "model_version": f"{stem}-{digest[:10]}"})
    if blob is not None:
        manifest["arrays"] = {"file": apath.name, "sha256": hashlib.sha256(blob).hexdigest()}
    write_bytes(path, data)
    if blob is not None:
        write_bytes(apath, blob)
    write_bytes(manifest_path(path), json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8"))
    if blob is None:
        apath.unlink(missing_ok=True)  # a previous model's, named by no manifest now
    return Model(estimator=model.estimator, manifest=manifest)


def load_training_data(path: Path, manifest: dict) -> list[dict] | None:
    """The labelled sentences a saved model was trained on (hash-checked), or None if not kept."""
    kept = manifest.get("training_data")
    if not kept:
        return None
    where = Path(path).with_name(kept["file"])
    try:
        packed = where.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(packed).hexdigest() != kept["sha256"]:
        raise ModelError(f"{where}: does not match its model's manifest; the file was changed "
                         f"— retrain the model or delete the file")
    return [json.loads(line) for line in gzip.decompress(packed).decode("utf-8").splitlines()
            if line.strip()]


def load_model(path: Path) -> Model:
    """Load a model after checking its sha256 against its manifest (unpickling runs code)."""
    path = Path(path)
    manifest = read_manifest(path)
    digest = sha256_file(path)
    if digest != manifest["sha256"]:
        raise ModelError(f"{path}: sha256 {digest[:12]}… does not match its manifest "
                         f"({manifest['sha256'][:12]}…); the file was changed or corrupted — "
                         f"refusing to load it (loading runs code)")
    install_legacy_modules()  # a model pickled when its classes lived elsewhere
    try:
        estimator = joblib.load(path)
    except Exception as exc:  # a hash-checked file that still fails: wrong library versions
        raise ModelError(f"{path}: cannot load ({type(exc).__name__}: {str(exc)[:120]}); it was "
                         f"saved with {manifest.get('versions', {})}, retrain it here") from None
    if [str(c) for c in getattr(estimator, "classes_", [])] != manifest.get("labels"):
        raise ModelError(f"{path}: labels differ from its manifest; retrain the model")
    try:  # a cascade checks its own parts (its tiers' labels, its routing)
        getattr(estimator, "check", lambda: None)()
    except ValueError as exc:
        raise ModelError(f"{path}: a damaged model: {exc}; retrain it") from None
    from workbench.claims.worthiness import load_worthiness

    if estimator is None:  # trained from check_worthy lines only
        return Model(estimator=None, manifest=manifest, worthiness=load_worthiness(path, manifest))
    try:  # a model pickled by another version of the feature code unpickles, then fails here
        estimator.predict_proba([model_record({"text": "A short check sentence."})])
    except ImportError as exc:  # a model with the embedding extra, on a machine without it
        raise ModelError(f"{path}: {exc}") from None
    except Exception as exc:
        raise ModelError(f"{path}: does not work with this version of the workbench "
                         f"({type(exc).__name__}); it was saved with "
                         f"{manifest.get('versions', {}).get('workbench', '?')}: retrain it with "
                         f"`workbench train`") from None
    return Model(estimator=estimator, manifest=manifest, worthiness=load_worthiness(path, manifest))
