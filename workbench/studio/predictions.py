"""Model + schema + tasks -> tasks with predictions Label Studio will show."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from workbench.core.batching import iter_batches
from workbench.core.labels import label_to_choice
from workbench.studio.labelconfig import FROM_NAME, TO_NAME, Schema
from workbench.core.records import model_record


def prediction(label: str, score: float, model_version: str, *, from_name: str = FROM_NAME,
               to_name: str = TO_NAME) -> dict:
    """One Label Studio prediction choosing `label` for the task's sentence."""
    return {
        "model_version": model_version,
        "score": round(float(score), 6),
        "result": [{"from_name": from_name, "to_name": to_name, "type": "choices",
                    "value": {"choices": [label_to_choice(label)]}}],
    }


def check_model_against(schema: Schema, model, *, from_name: str = FROM_NAME,
                        to_name: str = TO_NAME) -> None:
    """Refuse a model whose predictions the project's config could not show."""
    control = schema.control(from_name)
    schema.check_prediction(from_name, to_name, [])
    if control.to_name != to_name:  # pragma: no cover - check_prediction raised already
        return
    schema.check_labels(model.labels, from_name)


def iter_predicted(tasks: Iterable[dict], model, *, batch_size: int = 2000,
                   from_name: str = FROM_NAME, to_name: str = TO_NAME) -> Iterator[dict]:
    """Copy each task with the model's prediction attached and its uncertainty in the data."""
    for batch in iter_batches(tasks, batch_size):
        outputs = model.predict([model_record(t["data"]) for t in batch])
        for task, (label, score, uncertainty) in zip(batch, outputs):
            data = {**task["data"], "uncertainty": round(uncertainty, 6),
                    "predicted_label": label}
            yield {**task, "data": data,
                   "predictions": [prediction(label, score, model.model_version,
                                              from_name=from_name, to_name=to_name)]}
