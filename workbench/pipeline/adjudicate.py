"""Adjudication: the disagreeing sentences, least agreement first, in a Data Manager tab.

Each task whose annotators disagree gets `agreement` (the share of annotators who chose its
most chosen label) in its data; a task that no longer disagrees loses it. Only tasks whose
value changes are sent (Label Studio has no bulk update: one PATCH per changed task), so a
re-run with nothing new sends none. The tab "Disagreements" shows those tasks, least
agreement first. A reviewer's decisions become ground truth by the star in Label Studio or
by `reviewer`: their annotations in the project are marked (only those not marked yet).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.batching import iter_batches
from workbench.pipeline.pull import exported_tasks
from workbench.studio import users
from workbench.studio.exports import annotation_label, latest_annotations, resolve
from workbench.studio.labelconfig import FROM_NAME
from workbench.studio.ml import update_tasks_data
from workbench.studio.views import ensure_view

VIEW = "Disagreements"
FIELD = "agreement"
COLUMN = f"tasks:data.{FIELD}"


# The tab shows the task's ID, its annotation count and annotators, the sentence and the
# agreement; these are the Data Manager's other columns, hidden there.
HIDDEN_SYSTEM_COLUMNS = tuple(f"tasks:{name}" for name in (
    "inner_id", "completed_at", "cancelled_annotations", "total_predictions",
    "annotations_results", "annotations_ids", "predictions_score", "predictions_model_versions",
    "predictions_results", "file_upload", "storage_filename", "created_at", "updated_at",
    "updated_by", "avg_lead_time", "draft_exists"))
SHOWN_DATA_FIELDS = ("text", FIELD)


def disagreements_view() -> dict:
    """The tab: tasks with an agreement below 1, least first, the column read as a number."""
    return {"ordering": [COLUMN], "columnsDisplayType": {COLUMN: "Number"},
            "filters": {"conjunction": "and", "items": [
                {"filter": f"filter:{COLUMN}", "operator": "less", "type": "Number", "value": 1}]}}


def hidden_columns(data_fields=()) -> dict:
    """A new tab's hidden columns: of the tasks' `data_fields`, only the sentence and the
    agreement are shown (the reviewer may show the others; a re-run keeps their choice)."""
    hidden = [*HIDDEN_SYSTEM_COLUMNS, *(f"tasks:data.{field}" for field in sorted(data_fields)
                                        if field not in SHOWN_DATA_FIELDS)]
    return {"hiddenColumns": {"explore": hidden, "labeling": hidden}}


def _noting_fields(tasks, fields: set) -> Iterator[dict]:
    """The tasks, adding the names in each one's data to `fields`."""
    for task in tasks:
        fields.update(task.get("data") or ())
        yield task


def task_agreement(task: dict, from_name: str = FROM_NAME) -> float | None:
    """The share of annotators on a task's most chosen label, when two or more disagree."""
    latest = latest_annotations(task, from_name)
    if len(latest) < 2:
        return None
    consensus = resolve(latest)["consensus"]
    return round(consensus, 4) if consensus < 1 else None


@dataclass(frozen=True)
class Adjudication:
    """What `adjudicate` found and did."""

    compared: int       # tasks with two or more annotators
    disagreements: int  # of them, those in the tab
    resolved: int       # of those, decided by a ground-truth annotation
    updated: int        # tasks whose data was sent (changed)
    marked: int         # annotations of the reviewer marked as ground truth
    view_id: int


def _reviewed(task: dict, reviewer_id: int, from_name: str, marks: list) -> dict:
    """The task with the reviewer's usable annotations as ground truth; new marks collected."""
    annotations = []
    for a in task.get("annotations") or ():
        if a.get("completed_by") == reviewer_id and annotation_label(a, from_name) is not None:
            if not a.get("ground_truth"):
                marks.append(a["id"])
            a = {**a, "ground_truth": True}
        annotations.append(a)
    return {**task, "annotations": annotations}


def _changes(tasks, from_name: str, counts: Counter, reviewer_id: int | None,
             marks: list) -> Iterator[tuple[int, dict]]:
    """(task id, new data) for each task whose agreement changes; tallies as it goes."""
    for task in tasks:
        if reviewer_id is not None:
            task = _reviewed(task, reviewer_id, from_name, marks)
        data = task.get("data") if isinstance(task.get("data"), dict) else {}
        latest = latest_annotations(task, from_name)
        counts["compared"] += len(latest) >= 2
        value = task_agreement(task, from_name)
        if value is not None:
            counts["disagreements"] += 1
            counts["resolved"] += resolve(latest)["source"] == "ground_truth"
        if data.get(FIELD) != value and not (value is None and FIELD not in data):
            new = {k: v for k, v in data.items() if k != FIELD}
            if value is not None:
                new[FIELD] = value
            yield task["id"], new


def adjudicate(studio, pid: int, *, reviewer: str | None = None, from_name: str = FROM_NAME,
               workdir: Path | None = None, batch_size: int = 500,
               progress: Callable[[int], None] | None = None) -> Adjudication:
    """Write each disagreeing task's agreement, keep the "Disagreements" tab; idempotent.

    With `reviewer` (an email), that member's usable annotations in the project are marked
    as ground truth, so their decisions win on `pull`.
    """
    reviewer_id = users.member_id(studio, reviewer) if reviewer else None
    counts: Counter = Counter()
    marks: list = []
    updated = 0
    fields: set = set()
    with exported_tasks(studio, pid, workdir=workdir) as tasks:
        changes = _changes(_noting_fields(tasks, fields), from_name, counts, reviewer_id, marks)
        for batch in iter_batches(changes, batch_size):
            updated += update_tasks_data(studio, dict(batch), progress=progress)
    for annotation_id in marks:
        studio.set_ground_truth(annotation_id)
    view_id = ensure_view(studio, pid, VIEW, disagreements_view(), initial=hidden_columns(fields))
    return Adjudication(counts["compared"], counts["disagreements"], counts["resolved"],
                        updated, len(marks), view_id)
