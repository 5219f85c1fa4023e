"""Model + schema + tasks -> tasks with predictions Label Studio will show."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from workbench.core.batching import iter_batches
from workbench.core.errors import ConfigError
from workbench.core.labels import label_to_choice
from workbench.core.records import model_record
from workbench.studio.labelconfig import FROM_NAME, TO_NAME, Schema

WORTHINESS_NAME = "check_worthy"  # the "Worth checking?" control of label_config/claims.xml
WORTHINESS_CHOICES = {True: "Worth checking", False: "Not worth checking"}


def prediction(label: str, score: float, model_version: str, *, from_name: str = FROM_NAME,
               to_name: str = TO_NAME) -> dict:
    """One Label Studio prediction choosing `label` for the task's sentence."""
    return {
        "model_version": model_version,
        "score": round(float(score), 6),
        "result": [{"from_name": from_name, "to_name": to_name, "type": "choices",
                    "value": {"choices": [label_to_choice(label)]}}],
    }


def worthiness_result(score: float, worth: bool, *, to_name: str = TO_NAME) -> dict:
    """The pre-selected "Worth checking?" choice, with the head's calibrated score."""
    return {"from_name": WORTHINESS_NAME, "to_name": to_name, "type": "choices",
            "score": round(float(score), 6), "value": {"choices": [WORTHINESS_CHOICES[bool(worth)]]}}


def check_model_against(schema: Schema, model, *, from_name: str = FROM_NAME,
                        to_name: str = TO_NAME) -> None:
    """Refuse a model whose predictions the project's config could not show."""
    if getattr(model, "estimator", True) is None:
        raise ConfigError(f"model {model.model_version} has no claim-type head (its labels file had "
                          f"only check_worthy lines); train it with label lines to pre-annotate")
    control = schema.control(from_name)
    schema.check_prediction(from_name, to_name, [])
    if control.to_name != to_name:  # pragma: no cover - check_prediction raised already
        return
    schema.check_labels(model.labels, from_name)
    if getattr(model, "worthiness", None) is not None:
        schema.check_prediction(WORTHINESS_NAME, to_name, list(WORTHINESS_CHOICES.values()))


def iter_predicted(tasks: Iterable[dict], model, *, batch_size: int = 2000,
                   from_name: str = FROM_NAME, to_name: str = TO_NAME) -> Iterator[dict]:
    """Copy each task with the model's prediction attached and its uncertainty in the data.

    A model with a worthiness head also writes its calibrated score (`worthiness`, a number
    for the "Check first" column) and pre-selects the "Worth checking?" choice.
    """
    head = getattr(model, "worthiness", None)
    for batch in iter_batches(tasks, batch_size):
        records = [model_record(t["data"]) for t in batch]
        outputs = model.predict(records)
        if head is not None:
            worth = zip(*head.score_and_decide(records))
        else:
            worth = ((None, None) for _ in batch)
        for task, (label, score, uncertainty), (w_score, w_pred) in zip(batch, outputs, worth):
            data = {**task["data"], "uncertainty": round(uncertainty, 6),
                    "predicted_label": label}
            pred = prediction(label, score, model.model_version, from_name=from_name, to_name=to_name)
            if w_score is not None:
                data["worthiness"] = round(float(w_score), 4)
                pred["result"].append(worthiness_result(w_score, w_pred, to_name=to_name))
            yield {**task, "data": data, "predictions": [pred]}
