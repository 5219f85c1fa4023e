"""A model file and its manifest: the model object, where its files live, hash checks.

Nothing here imports scikit-learn or the rest of the package: `classifier` (save and
load through scikit-learn), `loading` (the fast load from arrays) and `coldstart` all
build on it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from workbench.core.errors import ModelError

MANIFEST_FORMAT = "workbench-model/1"


@dataclass
class Model:
    """A fitted estimator and its manifest (model_version, labels, metrics, versions)."""

    estimator: object
    manifest: dict = field(default_factory=dict)
    worthiness: object | None = None  # the check-worthiness head (claims.worthiness), if trained

    @property
    def model_version(self) -> str:
        return self.manifest.get("model_version", "")

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in getattr(self.estimator, "classes_", [])]

    def predict_proba(self, records: list[dict]) -> np.ndarray:
        """Class probabilities, columns in the order of `labels`."""
        return np.asarray(self.estimator.predict_proba(records))

    def predict(self, records: list[dict]) -> list[tuple[str, float, float]]:
        """(label, score, uncertainty) for each record."""
        if not records:
            return []
        # The estimator's own decision (class-balanced) picks the label; the calibrated
        # probability of that label is its score.
        if hasattr(self.estimator, "predict_with_proba"):
            decided, proba = self.estimator.predict_with_proba(records)
        else:
            decided, proba = self.estimator.predict(records), self.predict_proba(records)
        proba = np.asarray(proba)
        labels = self.labels
        column = {label: j for j, label in enumerate(labels)}
        chosen = [column[str(label)] for label in decided]
        unc = uncertainty(proba)
        return [(labels[j], float(proba[i, j]), float(unc[i])) for i, j in enumerate(chosen)]


def uncertainty(proba: np.ndarray) -> np.ndarray:
    """1 - (top probability - second probability): 0 when sure, 1 on a tie.

    The margin is chosen over entropy because pre-annotation ranks tasks by
    "which two labels is the model torn between", and the margin reads the
    same whatever the number of labels.
    """
    proba = np.asarray(proba, dtype=float)
    if proba.ndim != 2:
        raise ValueError(f"uncertainty expects a 2-d array of probabilities, got shape {proba.shape}")
    if proba.shape[1] < 2:
        return np.zeros(proba.shape[0])
    top2 = np.sort(proba, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def manifest_path(path: Path) -> Path:
    """Where a model file's manifest lives: MODEL.manifest.json beside it."""
    path = Path(path)
    return path.with_name(path.name + ".manifest.json")


def arrays_file(path: Path) -> Path:
    """Where `save_model` writes a model file's arrays: MODEL.arrays.npz beside it."""
    path = Path(path)
    return path.with_name(path.name + ".arrays.npz")


def training_file(path: Path) -> Path:
    """Where `save_model` keeps the sentences a model was trained on: MODEL.train.jsonl.gz."""
    path = Path(path)
    return path.with_name(path.name + ".train.jsonl.gz")


def sha256_file(path: Path) -> str:
    """The sha256 of a file, read in 1 MB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# what a claim model's manifest may call itself (a quote model says "quotes": refused here)
CLAIM_KINDS = ("claims", "cold-start rules")


def read_manifest(path: Path) -> dict:
    """The manifest of a model file, checked for shape."""
    path = Path(path)
    mpath = manifest_path(path)
    if not path.exists():
        raise ModelError(f"{path}: no such model file; train one with `workbench train`")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: no manifest ({mpath.name}) beside it; refusing to load an "
                         f"unverified model (loading runs code): retrain with `workbench train`") from None
    except (OSError, ValueError, RecursionError) as exc:
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ModelError(f"{mpath}: unreadable manifest ({detail}); retrain the model") from None
    if (not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT
            or not isinstance(manifest.get("sha256"), str) or len(manifest["sha256"]) != 64
            or not isinstance(manifest.get("labels", []), list)):
        raise ModelError(f"{mpath}: not a workbench model manifest; retrain the model")
    if manifest.get("kind", "claims") not in CLAIM_KINDS:
        raise ModelError(f"{path}: a {manifest['kind']} model, not a claim model; give a model "
                         f"made by `workbench train`")
    return manifest


def arrays_path(path: Path, manifest: dict) -> Path | None:
    """The arrays file a manifest names beside its model (None when it names none)."""
    entry = manifest.get("arrays")
    if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
        return None
    name = entry["file"]
    if Path(name).name != name:
        raise ModelError(f"{manifest_path(path)}: arrays file {name!r} is not beside the model; retrain it")
    return Path(path).with_name(name)
