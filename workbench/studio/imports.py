"""Idempotent bulk import into Label Studio: nothing lost, nothing duplicated, nothing re-sent blindly.

A task is identified by one field of its data (`sentence_id`). Keys already in the project are
fetched once; the rest goes in growing batches while the producer prepares the next one. An
import request that fails may still have landed, so the keys are fetched again and only the
tasks still missing are re-sent.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.core.batching import iter_batches
from workbench.core.errors import StudioError
from workbench.studio.client import KEY_FIELD

if TYPE_CHECKING:
    from workbench.studio.client import Studio

log = logging.getLogger(__name__)

FIRST_BATCH = 500


@dataclass(frozen=True)
class ImportReport:
    """What one push did: tasks created, tasks already there, predictions attached or repaired."""

    created: int = 0
    present: int = 0
    predictions: int = 0
    repaired_predictions: int = 0
    retried_batches: int = 0
    duplicates_removed: int = 0


def import_tasks(studio: Studio, pid: int, tasks: Iterable[dict], *, key: str = KEY_FIELD,
                 batch_size: int = 5000, progress: Callable[[int], None] | None = None,
                 on_first_import: Callable[[], None] | None = None) -> ImportReport:
    """Import the tasks missing from the project in bulk, idempotent by `data[key]`.

    Tasks already present get the predictions of the pushed version they lack. When the
    project ends with more tasks than it should (a concurrent push, or a killed push whose
    last request landed late) duplicates are removed. `on_first_import` runs once, after the
    first batch has landed.
    """
    progress = progress or (lambda n: None)
    stats: Counter = Counter()
    before = studio.task_count(pid)
    known = studio.task_keys(pid, key) if before else {}
    seen = set(known)
    present_predictions: dict[int, list[dict]] = {}

    def missing() -> Iterator[dict]:
        for task in tasks:
            k = task["data"][key]
            if k in seen:
                stats["present"] += 1
                if task.get("predictions") and k in known:
                    present_predictions[known[k][0]] = task["predictions"]
                progress(1)
                continue
            seen.add(k)
            yield task

    def send(batch: list[dict]) -> None:
        nonlocal on_first_import
        _import_batch(studio, pid, batch, key, stats)
        progress(len(batch))
        if on_first_import:  # e.g. set the project's model_version while the rest is imported
            hook, on_first_import = on_first_import, None
            hook()

    # Small first batches so the server starts importing while the rest is still being
    # segmented and predicted, then up to batch_size (fewer, larger requests); the server
    # imports one batch while the next is produced here.
    _pipelined(iter_batches(missing(), batch_size, first=FIRST_BATCH), send)
    if present_predictions:
        stats["predictions"] += _attach_missing(studio, pid, present_predictions)
    if studio.task_count(pid) > before + stats["created"]:
        stats["duplicates_removed"] += dedupe(studio, pid, key)
    return ImportReport(created=stats["created"], present=stats["present"],
                        predictions=stats["predictions"], repaired_predictions=stats["repaired"],
                        retried_batches=stats["retried"],
                        duplicates_removed=stats["duplicates_removed"])


def dedupe(studio: Studio, pid: int, key: str = KEY_FIELD) -> int:
    """Delete extra tasks sharing a key (never one with annotations); returns how many."""
    backoff = studio.retry.backoff()
    while True:
        groups: dict[str, list[dict]] = {}
        for task in studio.iter_tasks(pid, include="id,data,total_annotations"):
            k = (task.get("data") or {}).get(key)
            if k is not None:
                groups.setdefault(str(k), []).append(task)
        extra = []
        for group in groups.values():
            if len(group) < 2:
                continue
            # keep the annotated one if any, else the oldest
            group.sort(key=lambda t: (-(t.get("total_annotations") or 0), t["id"]))
            extra += [t["id"] for t in group[1:] if not t.get("total_annotations")]
        if not extra:
            return 0
        log.info("removing %d duplicate tasks from project %s", len(extra), pid)
        try:
            studio.delete_tasks(pid, extra)
            return len(extra)
        except StudioError as exc:
            # Deleting is a POST: list again (the failed one may have landed) and delete the rest.
            if not exc.retryable or not backoff.wait():
                raise


def _import_batch(studio: Studio, pid: int, todo: list[dict], key: str, stats: Counter) -> None:
    """One bulk import, re-sent (bounded in time) only for tasks that did not land."""
    backoff = studio.retry.backoff()
    while todo:
        try:
            result = studio.import_batch(pid, todo)
        except StudioError as exc:
            if not exc.retryable or not backoff.wait():
                raise StudioError(
                    f"{exc}; {stats['created']} tasks were created by this push and "
                    f"{len(todo)} of this batch were not: re-run the same push to finish "
                    f"(it skips what is already there)") from None
            stats["retried"] += 1
            ids = studio.task_keys(pid, key)
            landed = [t for t in todo if t["data"][key] in ids]
            if landed:  # the failed request went through after all
                stats["created"] += len(landed)
                stats["predictions"] += _attach_missing(studio, pid, {
                    ids[t["data"][key]][0]: t["predictions"] for t in landed
                    if t.get("predictions")})
            todo = [t for t in todo if t["data"][key] not in ids]
            continue
        log.info("imported %s tasks (%s predictions) into project %s", result["task_count"],
                 result["prediction_count"], pid)
        stats["created"] += result["task_count"]
        stats["predictions"] += result["prediction_count"]
        sent = sum(len(t.get("predictions") or []) for t in todo)
        if result["prediction_count"] < sent:
            # Label Studio can answer 201 and drop predictions silently: re-attach them.
            ids = studio.task_keys(pid, key)
            repaired = _attach_missing(studio, pid, {
                ids[t["data"][key]][0]: t["predictions"] for t in todo
                if t.get("predictions") and t["data"][key] in ids})
            stats["repaired"] += repaired
            stats["predictions"] += repaired
        return


def _attach_missing(studio: Studio, pid: int, wanted: dict[int, list[dict]]) -> int:
    """Give tasks the predictions (by version) they lack; safe to re-run after a failure."""
    if not wanted:
        return 0
    versions = {p["model_version"] for preds in wanted.values() for p in preds}
    backoff = studio.retry.backoff()
    while True:
        have: set[tuple[int, str]] = set()
        if any(studio.model_versions(pid).get(v, 0) for v in versions):
            for pred in studio.project_predictions(pid):
                if pred.get("model_version") in versions:
                    have.add((pred["task"], pred["model_version"]))
        missing = [{**p, "task": tid} for tid, preds in wanted.items() for p in preds
                   if (tid, p["model_version"]) not in have]
        try:
            return studio.import_predictions(pid, missing)
        except StudioError as exc:
            if not exc.retryable or not backoff.wait():
                raise


def _pipelined(items: Iterator, consume: Callable, depth: int = 1) -> None:
    """Consume items in a worker thread while the caller's generator produces the next ones."""
    pending: queue.Queue = queue.Queue(maxsize=depth)
    failure: list[BaseException] = []
    done = object()

    def worker() -> None:
        while (item := pending.get()) is not done:
            if not failure:
                try:
                    consume(item)
                except BaseException as exc:  # re-raised in the caller's thread
                    failure.append(exc)

    thread = threading.Thread(target=worker, name="studio-import", daemon=True)
    thread.start()
    try:
        for item in items:
            if failure:
                break
            pending.put(item)
    finally:
        pending.put(done)
        thread.join()
    if failure:
        raise failure[0]
