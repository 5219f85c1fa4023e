"""Train, save and report in one call: the job behind `workbench train` and `workbench.train`."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

from workbench.claims.classifier import save_model, train, training_records
from workbench.claims.embeddings import embedding_cache, encoder_name
from workbench.claims.modelfile import Model
from workbench.claims.report import write_report
from workbench.core.errors import ConfigError


def default_report_dir(output: Path) -> Path:
    """Where `train_to_file` writes the report unless told: MODEL-report/ beside the model."""
    output = Path(output)
    return output.with_name((output.name.split(".")[0] or "model") + "-report")


def train_to_file(records: list[dict], output: Path, *, folds: int = 5, seed: int = 0,
                  report_dir: Path | None = None, learning_curve: bool = True,
                  embeddings: str | None = None,
                  warn: Callable[[str], None] | None = None) -> Model:
    """Train the claim classifier on labelled records, save it (model, arrays, manifest) to
    `output` and write its report (metrics, model card, plots) to `report_dir`
    (default: `default_report_dir(output)`).

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
    try:
        with embedding_cache():  # the report's learning curve re-uses the training embeddings
            model = train(records, folds=folds, random_state=seed, options=options,
                          warn=warn or warnings.warn)
            model = save_model(model, output, training=training_records(records))
            write_report(model.manifest, training_records(records),
                         Path(report_dir) if report_dir else default_report_dir(output),
                         curve=learning_curve, random_state=seed)
    except ImportError as exc:  # the embedding extra is not installed
        raise ConfigError(str(exc)) from None
    return model
