"""The "Check first" queue: verifiable facts and attributed quotes, most worth checking first.

Every task gets the model's check-worthiness score (`worthiness`, a number), its predicted
claim type (`predicted_label`) and the version that scored it (`worthiness_version`) in its
data; a Data Manager tab "Check first" keeps the facts and quotes, sorted by the score read as
a number. Re-running it changes nothing until the model does.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.batching import iter_batches
from workbench.core.errors import ConfigError
from workbench.core.records import model_record
from workbench.studio.ml import update_tasks_data
from workbench.studio.views import ensure_view

CHECK_FIRST_VIEW = "Check first"
WORTHINESS_COLUMN = "tasks:data.worthiness"
CHECKABLE = ("verifiable_fact", "attributed_quote")


@dataclass(frozen=True)
class CheckFirstReport:
    """What the queue did: how many tasks, how many scored now, the tab."""

    model_version: str
    tasks: int
    data_updated: int
    view_id: int


def check_first_view() -> dict:
    """The tab's filters, ordering and column type: facts or quotes, highest score first."""
    return {"ordering": [f"-{WORTHINESS_COLUMN}"],
            "columnsDisplayType": {WORTHINESS_COLUMN: "Number"},
            "filters": {"conjunction": "or", "items": [
                {"filter": "filter:tasks:data.predicted_label", "operator": "equal",
                 "type": "String", "value": label} for label in CHECKABLE]}}


def check_first_queue(studio, pid: int, model, *, batch_size: int = 2000,
                      progress=None) -> CheckFirstReport:
    """Score every task of the project with the model's worthiness head and keep the tab."""
    if getattr(model, "worthiness", None) is None:
        raise ConfigError(f"model {model.model_version} has no check-worthiness head; train it on "
                          f"a labels file with check_worthy lines, or use --by uncertainty")
    if model.estimator is None:
        raise ConfigError(f"model {model.model_version} has no claim-type head to tell facts and "
                          f"quotes; train it on a labels file with label lines too")
    version = model.model_version
    tasks = list(studio.iter_tasks(pid, include="id,data"))
    updated = 0
    for batch in iter_batches(tasks, batch_size):
        stale = [t for t in batch if (t.get("data") or {}).get("worthiness_version") != version]
        if not stale:
            continue
        records = [model_record(t.get("data") or {}) for t in stale]
        labels = [label for label, _s, _u in model.predict(records)]
        scores = model.worthiness.score(records)
        changes = {t["id"]: {**(t.get("data") or {}), "worthiness": round(float(s), 4),
                             "predicted_label": label, "worthiness_version": version}
                   for t, label, s in zip(stale, labels, scores)}
        updated += update_tasks_data(studio, changes, progress=progress)
    view_id = ensure_view(studio, pid, CHECK_FIRST_VIEW, check_first_view())
    return CheckFirstReport(model_version=version, tasks=len(tasks), data_updated=updated,
                            view_id=view_id)
