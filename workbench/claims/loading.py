"""The fast load: a saved model ready to predict, from its arrays when it has them.

Loading arrays imports numpy alone and unpickles nothing (milliseconds); only a model
saved without arrays goes through `classifier.load_model` (scikit-learn, unpickling),
imported when it is needed so that a push of a model with arrays never pays for it.
"""

from __future__ import annotations

from pathlib import Path

from workbench.claims.compiled import CompiledClassifier
from workbench.claims.modelfile import Model, arrays_path, read_manifest, sha256_file
from workbench.core.errors import ModelError


def load_predictor(path: Path) -> Model:
    """A model ready to predict: from its arrays when it has them (hash-checked, no
    scikit-learn, no unpickling), else through `classifier.load_model`."""
    path = Path(path)
    manifest = read_manifest(path)
    apath = arrays_path(path, manifest)
    if apath is None:
        from workbench.claims.classifier import load_model  # scikit-learn: only for this model

        return load_model(path)
    try:
        digest = sha256_file(apath)
    except OSError as exc:
        raise ModelError(f"{apath}: cannot read the model's arrays ({exc.strerror}); retrain the model "
                         f"with `workbench train`") from None
    if digest != manifest["arrays"].get("sha256"):
        raise ModelError(f"{apath}: sha256 {digest[:12]}… does not match the manifest; the file was "
                         f"changed or corrupted: retrain the model with `workbench train`")
    try:
        estimator = CompiledClassifier.load(apath)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"{apath}: unreadable model arrays ({type(exc).__name__}); it was saved with "
                         f"workbench {manifest.get('versions', {}).get('workbench', '?')}: retrain it") from None
    if [str(c) for c in estimator.classes_] != manifest.get("labels"):
        raise ModelError(f"{apath}: labels differ from its manifest; retrain the model")
    return Model(estimator=estimator, manifest=manifest, worthiness=worthiness_head(path, manifest))


def worthiness_head(path: Path, manifest: dict):
    """The model's check-worthiness head when it has one (scikit-learn loads only then)."""
    if not manifest.get("worthiness"):
        return None
    from workbench.claims.worthiness import load_worthiness

    return load_worthiness(path, manifest)
