"""Train, save and report in one call: the job behind `workbench train` and `workbench.train`.

One labels file trains both heads: the claim type from the lines with `label`, check-worthiness
from the lines with `check_worthy` (a line may carry both, or one). A file with only one of
them trains only that head; the manifest's `heads` says which the model has.
"""

from __future__ import annotations

import warnings
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from workbench.claims.classifier import data_hash, save_model, train, training_records, versions
from workbench.claims.embeddings import embedding_cache, encoder_name
from workbench.claims.modelfile import MANIFEST_FORMAT, Model
from workbench.claims.report import write_report
from workbench.claims.worthiness import (WorthinessHead, cross_validate_worthiness, save_worthiness,
                                         worthiness_records)
from workbench.core.errors import ConfigError, InputError
from workbench.core.records import model_record


def default_report_dir(output: Path) -> Path:
    """Where `train_to_file` writes the report unless told: MODEL-report/ beside the model."""
    output = Path(output)
    return output.with_name((output.name.split(".")[0] or "model") + "-report")


def train_to_file(records: list[dict], output: Path, *, folds: int = 5, seed: int = 0,
                  report_dir: Path | None = None, learning_curve: bool = True,
                  embeddings: str | None = None,
                  warn: Callable[[str], None] | None = None) -> Model:
    """Train the heads the labelled records allow, save the model (model, arrays, worthiness
    head, manifest) to `output` and write its report (metrics, model card, plots) to
    `report_dir` (default: `default_report_dir(output)`).

    Returns the saved model, whose manifest holds the cross-validated metrics. Raises
    `InputError` for unusable records and `ConfigError` for an unknown or missing sentence
    encoder (nothing is written then); `warn` receives warnings such as rare labels.
    """
    output = Path(output)
    try:
        encoder_name(embeddings)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    options = {"embeddings": embeddings} if embeddings else {}
    claims, worth = training_records(records), worthiness_records(records)
    if not claims and not worth:
        raise InputError("no labelled records to train on; each line needs \"text\" and a "
                         "\"label\", a \"check_worthy\" (true or false), or both")
    try:
        with embedding_cache():  # the report's learning curve re-uses the training embeddings
            model = (train(records, folds=folds, random_state=seed, options=options,
                           warn=warn or warnings.warn) if claims else _no_claim_head(options, seed))
            heads = ["claim_type"] if claims else []
            if worth:
                model.manifest["worthiness"] = _train_worthiness(worth, output, folds=folds,
                                                                 seed=seed, embeddings=embeddings)
                heads.append("check_worthy")
            model.manifest["heads"] = heads
            model = save_model(model, output, training=claims or None)
            write_report(model.manifest, claims, Path(report_dir) if report_dir
                         else default_report_dir(output), curve=learning_curve and bool(claims),
                         random_state=seed)
    except ImportError as exc:  # the embedding extra is not installed
        raise ConfigError(str(exc)) from None
    return model


def _no_claim_head(options: dict, seed: int) -> Model:
    """The manifest of a model trained from `check_worthy` lines only (no claim-type head)."""
    return Model(estimator=None, manifest={
        "format": MANIFEST_FORMAT, "labels": [], "label_counts": {}, "n_train": 0,
        "data_sha256": data_hash([]), "cv_metrics": None,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(options), "random_state": seed, "options": options})


def _train_worthiness(records: list[dict], output: Path, *, folds: int, seed: int,
                      embeddings: str | None) -> dict:
    """Cross-validate and fit the worthiness head, save it beside `output`; its manifest entry."""
    counts = Counter(r["check_worthy"] for r in records)
    if len(counts) < 2 or min(counts.values()) < 2:
        raise InputError(f"check_worthy lines: {counts[True]} true and {counts[False]} false; the "
                         f"worthiness head needs at least 2 sentences of each kind")
    options = {"embeddings": embeddings} if embeddings else {"embeddings": None}
    with warnings.catch_warnings(action="ignore"):
        metrics = cross_validate_worthiness(records, folds=folds, random_state=seed, options=options)
        head = WorthinessHead(random_state=seed, **options).fit(
            [model_record(r) for r in records], [r["check_worthy"] for r in records])
    return {**save_worthiness(head, output), "n_train": len(records),
            "counts": {"true": counts[True], "false": counts[False]}, "cv_metrics": metrics,
            "options": options}
