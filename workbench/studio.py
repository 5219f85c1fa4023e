"""The only module that talks to Label Studio: one client, safe retries, clear errors."""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from workbench.errors import (ConfigError, StudioAuthError, StudioError, StudioNotFound,
                              StudioUnreachable)
from workbench.labelconfig import Schema, parse_config

log = logging.getLogger(__name__)

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
KEY_FIELD = "sentence_id"
MAX_TITLE = 50


@dataclass(frozen=True)
class ImportReport:
    """What one push did: tasks created, tasks already there, predictions attached or repaired."""

    created: int = 0
    present: int = 0
    predictions: int = 0
    repaired_predictions: int = 0
    retried_batches: int = 0


def _body_detail(body) -> str:
    if isinstance(body, dict):
        for key in ("validation_errors", "detail", "error", "message"):
            if key in body:
                return str(body[key])[:300]
        return json.dumps(body)[:300]
    return str(body)[:300]


class Studio:
    """A connection to one Label Studio server (URL + API key), with retries bounded in time."""

    def __init__(self, url: str, api_key: str, *, timeout: float = 120.0,
                 retry_seconds: float = 60.0, sleep: Callable[[float], None] = time.sleep):
        self.url = url.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout
        self.retry_seconds = retry_seconds
        self._sleep = sleep
        try:
            # SDK retries are off: it would resend non-idempotent imports blindly.
            self._client = LabelStudio(base_url=self.url, api_key=api_key, timeout=timeout,
                                       max_retries=0)
        except ApiError as exc:  # an expired or malformed personal access token
            raise StudioAuthError(
                f"Label Studio at {self.url} refused the API key ({_body_detail(exc.body)}); "
                f"create a new access token in Account & Settings and set LABEL_STUDIO_API_KEY"
            ) from None

    def __repr__(self) -> str:  # never show the key
        return f"Studio(url={self.url!r})"

    # -- plumbing -----------------------------------------------------------------------

    def _error(self, exc: Exception, what: str) -> StudioError:
        if isinstance(exc, ApiError):
            status, detail = exc.status_code, _body_detail(exc.body)
            if status == 401 or status == 403:
                return StudioAuthError(
                    f"Label Studio at {self.url} refused the API key while trying to {what} "
                    f"(HTTP {status}: {detail}); check LABEL_STUDIO_API_KEY (a legacy token or a "
                    f"personal access token from Account & Settings)")
            if status == 404:
                return StudioNotFound(f"Label Studio at {self.url}: not found while trying to "
                                      f"{what} (HTTP 404: {detail})")
            return StudioError(f"Label Studio at {self.url} failed to {what} "
                               f"(HTTP {status}: {detail})")
        if isinstance(exc, httpx.TimeoutException):
            return StudioUnreachable(
                f"Label Studio at {self.url} did not answer in time while trying to {what}; "
                f"check the server (workbench studio status) or raise the timeout")
        return StudioUnreachable(
            f"cannot reach Label Studio at {self.url} to {what} ({type(exc).__name__}); "
            f"start it with `workbench studio up` or fix LABEL_STUDIO_URL")

    @staticmethod
    def _retryable(exc: Exception) -> bool:
        if isinstance(exc, ApiError):
            return exc.status_code in RETRY_STATUSES
        return isinstance(exc, httpx.TransportError)

    def _call(self, what: str, fn: Callable, *args, retry: bool = True, **kwargs):
        """Run one SDK call; retry transport errors, 429 and 5xx with backoff when `retry`."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.5
        while True:
            try:
                return fn(*args, **kwargs)
            except (ApiError, httpx.HTTPError) as exc:
                if not (retry and self._retryable(exc)) or time.monotonic() + delay > deadline:
                    raise self._error(exc, what) from None
                log.info("retrying %s after %s", what, type(exc).__name__)
                self._sleep(delay)
                delay = min(delay * 2, 8.0)

    def _request(self, method: str, path: str, what: str, *, retry: bool = True, **kwargs):
        """A raw call through the SDK's authenticated HTTP client, for endpoints it lacks."""
        wrapper = self._client._client_wrapper

        def send():
            response = wrapper.httpx_client.request(path.lstrip("/"), method=method,
                                                    **kwargs)
            if response.status_code >= 400:
                try:
                    body = response.json()
                except ValueError:
                    body = response.text[:300]
                raise ApiError(status_code=response.status_code, body=body)
            return response.json() if response.content else None

        return self._call(what, send, retry=retry)

    # -- server and projects ----------------------------------------------------------------

    def whoami(self) -> dict:
        """The user the API key belongs to (checks URL and key in one call)."""
        user = self._call("check the API key", self._client.users.whoami)
        return {"id": user.id, "email": user.email}

    def find_project(self, title: str) -> int | None:
        """The id of the project with exactly this title, or None."""
        pager = self._call(f"list projects titled {title!r}", self._client.projects.list,
                           title=title, page_size=100)
        ids = sorted(p.id for p in pager if p.title == title)
        return ids[0] if ids else None

    def project_id(self, title: str) -> int:
        """The id of an existing project, or a clear error."""
        pid = self.find_project(title)
        if pid is None:
            raise StudioNotFound(f"no project titled {title!r} on Label Studio at {self.url}; "
                                 f"check the name (workbench push creates it)")
        return pid

    def ensure_project(self, title: str, label_config: str, description: str = "") -> tuple[int, bool]:
        """Find the project by title or create it with the label config; returns (id, created)."""
        if not title.strip() or len(title) > MAX_TITLE:
            raise ConfigError(f"project title {title!r} must be 1 to {MAX_TITLE} characters "
                              f"(a Label Studio limit); choose a shorter --project")
        pid = self.find_project(title)
        if pid is not None:
            return pid, False
        project = self._call(f"create project {title!r}", self._client.projects.create,
                             title=title, label_config=label_config, description=description,
                             retry=False)
        return project.id, True

    def project(self, pid: int) -> dict:
        """A project's settings as a dict."""
        return self._call(f"read project {pid}", self._client.projects.get, id=pid).dict()

    def schema(self, pid: int) -> Schema:
        """The parsed label config of a project."""
        config = self.project(pid).get("label_config") or ""
        return parse_config(config, f"label config of project {pid} at {self.url}")

    def set_model_version(self, pid: int, version: str) -> bool:
        """Make the form pre-fill from this version's predictions (when the project has any)."""
        if version not in self.model_versions(pid):
            return False  # Label Studio refuses a version no prediction carries
        return self._call(f"set model_version of project {pid}", self._client.projects.update,
                   id=pid, model_version=version, show_collab_predictions=True) is not None

    # -- tasks --------------------------------------------------------------------------------

    def iter_tasks(self, pid: int, include: str = "id,data", page_size: int = 5000) -> Iterator[dict]:
        """Every task of a project, a page at a time (raw dicts)."""
        page = 1
        while True:
            try:
                body = self._request("GET", "api/tasks/", f"list tasks of project {pid}",
                                     params={"project": pid, "page": page,
                                             "page_size": page_size, "include": include})
            except StudioNotFound:
                return  # past the last page
            tasks = body.get("tasks", []) if isinstance(body, dict) else body
            yield from tasks
            if len(tasks) < page_size:
                return
            page += 1

    def task_keys(self, pid: int, key: str = KEY_FIELD) -> dict[str, list[int]]:
        """Map each task key (sentence_id) in a project to the ids of its tasks."""
        keys: dict[str, list[int]] = {}
        for task in self.iter_tasks(pid):
            value = (task.get("data") or {}).get(key)
            if value is not None:
                keys.setdefault(str(value), []).append(task["id"])
        return keys

    def import_tasks(self, pid: int, tasks: Iterable[dict], *, key: str = KEY_FIELD,
                     batch_size: int = 5000, progress: Callable[[int], None] | None = None,
                     max_attempts: int = 5) -> ImportReport:
        """Import tasks missing from the project in bulk, idempotent by `data[key]`.

        A batch that fails may still have landed, so before re-sending it the keys are
        fetched again and only the tasks still missing are sent.
        """
        known = self.task_keys(pid, key)
        existing = set(known)
        present_predictions: dict[str, list[dict]] = {}
        created = present = predictions = repaired = retried = 0
        batch: list[dict] = []

        def flush(batch: list[dict]) -> None:
            nonlocal created, predictions, repaired, retried
            todo = batch
            for attempt in range(max_attempts):
                try:
                    result = self._call(f"import {len(todo)} tasks into project {pid}",
                                        self._client.projects.import_tasks, id=pid,
                                        request=todo, retry=False)
                except StudioError as exc:
                    if isinstance(exc, (StudioAuthError, StudioNotFound)) or attempt + 1 == max_attempts:
                        raise StudioError(
                            f"{exc} — {created} tasks created so far; re-run the same push to "
                            f"finish (it skips what is already there)") from None
                    retried += 1
                    self._sleep(min(0.5 * 2 ** attempt, 8.0))
                    landed = set(self.task_keys(pid, key))
                    still = [t for t in todo if t["data"][key] not in landed]
                    if len(still) < len(todo):  # the failed request landed after all
                        created += len(todo) - len(still)
                        repaired += self._repair_predictions(
                            pid, [t for t in todo if t["data"][key] in landed], key)
                    todo = still
                    if not todo:
                        break
                    continue
                sent_predictions = sum(1 for t in todo if t.get("predictions"))
                created += result.task_count or 0
                predictions += result.prediction_count or 0
                if (result.prediction_count or 0) < sent_predictions:
                    repaired += self._repair_predictions(pid, todo, key)
                break
            existing.update(t["data"][key] for t in batch)
            if progress:
                progress(len(batch))

        for task in tasks:
            if task["data"][key] in existing:
                present += 1
                if task.get("predictions") and task["data"][key] in known:
                    present_predictions[task["data"][key]] = task["predictions"]
                if progress:
                    progress(1)
                continue
            existing.add(task["data"][key])
            batch.append(task)
            if len(batch) >= batch_size:
                flush(batch)
                batch = []
        if batch:
            flush(batch)
        if present_predictions:
            predictions += self._attach_missing(pid, {known[k][0]: p for k, p in present_predictions.items()})
        return ImportReport(created=created, present=present, predictions=predictions + repaired,
                            repaired_predictions=repaired, retried_batches=retried)

    def _repair_predictions(self, pid: int, sent: list[dict], key: str) -> int:
        """Attach predictions that an import reported as not created (it can drop them silently)."""
        wanted = {t["data"][key]: t["predictions"] for t in sent if t.get("predictions")}
        missing = []
        for task in self.iter_tasks(pid, include="id,data,total_predictions"):
            k = (task.get("data") or {}).get(key)
            if k in wanted and not task.get("total_predictions"):
                for pred in wanted[k]:
                    missing.append({**pred, "task": task["id"]})
        if missing:
            self._call(f"import {len(missing)} missing predictions into project {pid}",
                       self._client.projects.import_predictions, id=pid, request=missing,
                       retry=False)
        return len(missing)

    def model_versions(self, pid: int) -> dict[str, int]:
        """Prediction counts per model_version in a project."""
        return self._request("GET", f"api/projects/{pid}/model-versions/",
                             f"list model versions of project {pid}") or {}

    def _attach_missing(self, pid: int, wanted: dict[int, list[dict]]) -> int:
        """Give tasks already in the project the predictions of a version they lack."""
        versions = {p["model_version"] for preds in wanted.values() for p in preds}
        have: set[tuple[int, str]] = set()
        counts = self.model_versions(pid)
        if any(counts.get(v, 0) for v in versions):
            for pred in self._request("GET", "api/predictions/", f"list predictions of project {pid}",
                                      params={"project": pid}) or []:
                if pred.get("model_version") in versions:
                    have.add((pred["task"], pred["model_version"]))
        missing = [{**p, "task": tid} for tid, preds in wanted.items() for p in preds
                   if (tid, p["model_version"]) not in have]
        return self.import_predictions(pid, missing)

    def import_predictions(self, pid: int, predictions: list[dict]) -> int:
        """Attach predictions ({task, result, score, model_version}) to existing tasks."""
        if not predictions:
            return 0
        result = self._call(f"import {len(predictions)} predictions into project {pid}",
                            self._client.projects.import_predictions, id=pid,
                            request=predictions, retry=False)
        return getattr(result, "created", None) or len(predictions)

    def task(self, task_id: int) -> dict:
        """One task with its annotations and predictions."""
        return self._request("GET", f"api/tasks/{task_id}/", f"read task {task_id}")

    def predictions(self, task_id: int) -> list[dict]:
        """The predictions attached to a task."""
        return self._request("GET", "api/predictions/", f"list predictions of task {task_id}",
                             params={"task": task_id})

    def create_annotation(self, task_id: int, result: list[dict], *,
                          cancelled: bool = False) -> dict:
        """Submit an annotation on a task as the key's user."""
        return self._request("POST", f"api/tasks/{task_id}/annotations/",
                             f"annotate task {task_id}", retry=False,
                             json={"result": result, "was_cancelled": cancelled})

    # -- export -------------------------------------------------------------------------------

    def export_to_file(self, pid: int, path: Path, *, poll_seconds: float = 0.5,
                       max_wait: float = 3600.0) -> Path:
        """Write a JSON export snapshot of a project's annotated tasks to `path` (atomically)."""
        exports = self._client.projects.exports
        snap = self._call(f"create an export snapshot of project {pid}", exports.create,
                          id=pid, title="workbench pull", retry=False)
        deadline = time.monotonic() + max_wait
        while True:
            info = self._call(f"check export {snap.id} of project {pid}", exports.get,
                              id=pid, export_pk=snap.id)
            status = str(getattr(info, "status", "")).lower()
            if status.endswith("completed"):
                break
            if status.endswith("failed"):
                raise StudioError(f"Label Studio at {self.url} failed to build export {snap.id} "
                                  f"of project {pid}; see the server log")
            if time.monotonic() > deadline:
                raise StudioError(f"export {snap.id} of project {pid} at {self.url} not ready "
                                  f"after {max_wait:.0f} s")
            self._sleep(poll_seconds)
        path = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=".export-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                def download():
                    out.seek(0)
                    out.truncate()
                    for chunk in exports.download(id=pid, export_pk=snap.id, export_type="JSON",
                                                  request_options={"chunk_size": 1 << 20}):
                        out.write(chunk)
                self._call(f"download export {snap.id} of project {pid}", download)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        finally:
            try:
                self._call("delete the export snapshot", exports.delete, id=pid,
                           export_pk=snap.id, retry=False)
            except StudioError:
                pass
        return path

    # -- views --------------------------------------------------------------------------------

    def ensure_view(self, pid: int, title: str, data: dict) -> int:
        """Create or refresh a Data Manager tab by title; returns its id."""
        views = self._request("GET", "api/dm/views/", f"list tabs of project {pid}",
                              params={"project": pid})
        for view in views or []:
            if (view.get("data") or {}).get("title") == title:
                self._request("PATCH", f"api/dm/views/{view['id']}/", f"update tab {title!r}",
                              json={"project": pid, "data": {**data, "title": title}})
                return view["id"]
        view = self._request("POST", "api/dm/views/", f"create tab {title!r}", retry=False,
                             json={"project": pid, "data": {**data, "title": title}})
        return view["id"]
