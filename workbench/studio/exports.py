"""Label Studio exports: snapshots downloaded to a file, parsed into labelled sentence records."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import StudioError, StudioUnreachable
from workbench.core.files import atomic_write
from workbench.core.labels import choice_to_label
from workbench.studio.labelconfig import FROM_NAME

if TYPE_CHECKING:
    from workbench.studio.client import Studio

log = logging.getLogger(__name__)


def annotation_label(annotation: dict, from_name: str = FROM_NAME) -> str | None:
    """The label key an annotation chose, or None (cancelled, empty, or other control)."""
    if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
        return None
    results = annotation.get("result")
    if not isinstance(results, list):
        return None
    for result in results:
        if not isinstance(result, dict) or result.get("from_name") != from_name:
            continue
        value = result.get("value")
        choices = value.get("choices") if isinstance(value, dict) else None
        if isinstance(choices, list) and choices and isinstance(choices[0], str) and choices[0]:
            return choice_to_label(choices[0])
    return None


def _annotator(annotation: dict) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    return str(who) if who is not None else "?"


def _seconds(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def latest_annotations(task: dict, from_name: str = FROM_NAME,
                       names: Mapping | None = None) -> dict[str, dict]:
    """Each annotator's latest usable annotation of an exported task.

    {annotator: {"label", "ground_truth", "seconds" (lead_time), "id"}}; an annotator who
    labelled the task twice counts once. `names` maps user ids to emails (unknown ids stay ids).
    """
    latest: dict[str, dict] = {}
    annotations = task.get("annotations") if isinstance(task, dict) else None
    for annotation in annotations if isinstance(annotations, list) else []:
        label = annotation_label(annotation, from_name)
        if label is None:
            continue
        who = _annotator(annotation)
        latest[(names or {}).get(who, who)] = {
            "label": label, "ground_truth": annotation.get("ground_truth") is True,
            "seconds": _seconds(annotation.get("lead_time")), "id": annotation.get("id")}
    return latest


def resolve(latest: Mapping[str, Mapping]) -> dict:
    """The final label of a sentence from its annotators' latest labels.

    Ground truth first (when the ground-truth annotations agree), then the majority; a tie
    without ground truth has no label (`tie: true`). `agreement` is the share of annotators who
    chose the final label (None for a tie), `consensus` the share of the most chosen label,
    `source` is `ground_truth`, `majority` or `single` (None for a tie).
    """
    votes = Counter(ann["label"] for ann in latest.values())
    n = len(latest)
    ranked = votes.most_common()
    truths = Counter(ann["label"] for ann in latest.values() if ann.get("ground_truth")).most_common()
    consensus = ranked[0][1] / n
    if truths and (len(truths) == 1 or truths[0][1] > truths[1][1]):
        label, source = truths[0][0], "ground_truth"
    elif len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return {"label": None, "tie": True, "source": None, "agreement": None,
                "consensus": consensus, "votes": dict(votes)}
    else:
        label, source = ranked[0][0], "single" if n == 1 else "majority"
    return {"label": label, "tie": False, "source": source, "agreement": votes[label] / n,
            "consensus": consensus, "votes": dict(votes)}


def task_record(task: dict, from_name: str = FROM_NAME) -> dict | None:
    """One labelled record from an exported task, or None when nobody labelled it.

    Resolved by `resolve`: ground truth, else majority; a tie is flagged (`tie: true`,
    `label: null`). An annotator who labelled the task twice counts once (their latest answer).
    """
    if not isinstance(task, dict):
        return None
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    latest = latest_annotations(task, from_name)
    if not latest:
        return None
    resolved = resolve(latest)
    return {
        "sentence_id": data.get("sentence_id") or f"task-{task.get('id')}",
        "article_id": data.get("article_id", ""),
        "text": data.get("text", "") if isinstance(data.get("text", ""), str) else "",
        "label": resolved["label"],
        "tie": resolved["tie"],
        "votes": resolved["votes"],
        "annotators": sorted(latest),
        "n_annotations": len(latest),
        "agreement": resolved["agreement"],
        "source": resolved["source"],
        "role": data.get("role", ""),
        "lang": data.get("lang", ""),
        "task_id": task.get("id"),
        **worthiness_field(task),
    }


def iter_labelled(tasks: Iterable[dict], from_name: str = FROM_NAME) -> Iterator[dict]:
    """Labelled records for the exported tasks that have at least one usable annotation."""
    for task in tasks:
        record = task_record(task, from_name)
        if record is not None:
            yield record


def export_to_file(studio: Studio, pid: int, path: Path, *, poll_seconds: float = 1.0,
                   max_wait: float = 3600.0) -> Path:
    """Write a JSON export snapshot of a project's annotated tasks to `path` (atomically).

    The snapshot is built by the server, polled until ready, streamed to a temp file beside
    `path` and renamed; the snapshot is deleted afterwards.
    """
    exports = studio.sdk.projects.exports
    snap = _create_snapshot(studio, pid)
    try:
        _wait_for(studio, pid, snap, poll_seconds=poll_seconds, max_wait=max_wait)
        what = f"download export {snap} of project {pid}"
        backoff = studio.retry.backoff()
        while True:
            try:
                with atomic_write(path, "wb") as out:
                    studio.call(what, lambda: out.writelines(exports.download(
                        id=pid, export_pk=snap, export_type="JSON",
                        request_options={"chunk_size": 1 << 20})))
                return Path(path)
            except StudioUnreachable as exc:
                # The transport retries a failed request; a stream broken midway restarts
                # here (a GET: safe), into a fresh temp file.
                if not exc.retryable or not backoff.wait():
                    raise
    finally:
        try:
            studio.call("delete the export snapshot", exports.delete, id=pid, export_pk=snap)
        except StudioError:
            pass


def _create_snapshot(studio: Studio, pid: int) -> int:
    backoff = studio.retry.backoff()
    while True:
        try:
            return studio.call(f"create an export snapshot of project {pid}",
                               studio.sdk.projects.exports.create, id=pid,
                               title="workbench pull").id
        except StudioError as exc:
            # A POST, re-sent here because a second snapshot is harmless (only ours is read).
            if not exc.retryable or not backoff.wait():
                raise


def _wait_for(studio: Studio, pid: int, snap: int, *, poll_seconds: float,
              max_wait: float) -> None:
    deadline = time.monotonic() + max_wait
    wait = 0.05  # small snapshots are ready at once: poll fast, then back off
    while True:
        info = studio.call(f"check export {snap} of project {pid}",
                           studio.sdk.projects.exports.get, id=pid, export_pk=snap)
        status = str(getattr(info, "status", "")).lower()
        if status.endswith("completed"):
            log.info("export snapshot %s of project %s is ready", snap, pid)
            return
        if status.endswith("failed"):
            raise StudioError(f"Label Studio at {studio.url} failed to build export {snap} of "
                              f"project {pid}; see the server log")
        if time.monotonic() > deadline:
            raise StudioError(f"export {snap} of project {pid} at {studio.url} not ready "
                              f"after {max_wait:.0f} s")
        studio.retry.sleep(wait)
        wait = min(wait * 2, poll_seconds)


WORTHINESS_CHOICES = {"Worth checking": True, "Not worth checking": False}


def worthiness_field(task: dict, from_name: str = "check_worthy") -> dict:
    """`{"check_worthy": bool}` from the annotators' "Worth checking?" choices (each
    annotator's latest, majority; nothing when nobody chose or on a tie)."""
    latest: dict[str, bool] = {}
    annotations = task.get("annotations")
    for annotation in annotations if isinstance(annotations, list) else []:
        if not isinstance(annotation, dict) or annotation.get("was_cancelled"):
            continue
        for result in annotation.get("result") or []:
            value = result.get("value") if isinstance(result, dict) else None
            choices = value.get("choices") if isinstance(value, dict) else None
            if (choices and isinstance(choices, list) and result.get("from_name") == from_name
                    and choices[0] in WORTHINESS_CHOICES):
                latest[_annotator(annotation)] = WORTHINESS_CHOICES[choices[0]]
    votes = Counter(latest.values()).most_common()
    if not votes or (len(votes) > 1 and votes[0][1] == votes[1][1]):
        return {}
    return {"check_worthy": votes[0][0]}
