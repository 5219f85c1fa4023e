"""The only module that talks to Label Studio: one client, safe retries, clear errors."""

from __future__ import annotations

import json
import logging
from collections import Counter
import os
import queue
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from label_studio_sdk import LabelStudio
from label_studio_sdk.core.api_error import ApiError

from workbench.core.errors import (ConfigError, StudioAuthError, StudioError, StudioNotFound,
                              StudioUnreachable)
from workbench.studio.labelconfig import Schema, parse_config

log = logging.getLogger(__name__)

RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
KEY_FIELD = "sentence_id"
MAX_TITLE = 50
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


def _body_detail(body) -> str:
    if isinstance(body, dict):
        for key in ("validation_errors", "detail", "error", "message"):
            if key in body:
                return str(body[key])[:300]
        return json.dumps(body)[:300]
    return str(body)[:300]


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
            if status is not None and status < 400:  # a success that is not JSON
                return StudioError(f"{self.url} does not look like a Label Studio server (HTTP "
                                   f"{status} but no JSON while trying to {what}); check "
                                   f"LABEL_STUDIO_URL")
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
                    error = self._error(exc, what)
                    error.retryable = self._retryable(exc)
                    raise error from None
                log.info("retrying %s after %s", what, type(exc).__name__)
                self._sleep(delay)
                delay = min(delay * 2, 8.0)
            except ValueError as exc:  # JSON or schema errors: not a Label Studio answer
                raise StudioError(
                    f"{self.url} gave an unexpected answer while trying to {what} "
                    f"({type(exc).__name__}); check that LABEL_STUDIO_URL points to Label "
                    f"Studio 1.23 or later") from None

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
        try:
            user = self._call("check the API key", self._client.users.whoami)
        except StudioNotFound:
            raise StudioError(f"{self.url} does not look like a Label Studio server (no "
                              f"/api/current-user/whoami); check LABEL_STUDIO_URL") from None
        return {"id": user.id, "email": user.email}

    def find_project(self, title: str) -> int | None:
        """The id of the project with exactly this title, or None."""
        projects = self._call(f"list projects titled {title!r}",
                              lambda: list(self._client.projects.list(title=title, page_size=100)))
        ids = sorted(p.id for p in projects if p.title == title)
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
        deadline = time.monotonic() + self.retry_seconds
        while True:
            try:
                project = self._call(f"create project {title!r}", self._client.projects.create,
                                     title=title, label_config=label_config,
                                     description=description, retry=False)
                return project.id, True
            except StudioError as exc:
                if not exc.retryable or time.monotonic() > deadline:
                    raise
                self._sleep(1.0)
                pid = self.find_project(title)  # the failed request may have landed
                if pid is not None:
                    return pid, True

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

    def task_count(self, pid: int) -> int:
        """How many tasks a project holds."""
        return int(self.project(pid).get("task_number") or 0)

    def import_tasks(self, pid: int, tasks: Iterable[dict], *, key: str = KEY_FIELD,
                     batch_size: int = 5000, progress: Callable[[int], None] | None = None,
                     on_first_import: Callable[[], None] | None = None) -> ImportReport:
        """Import the tasks missing from the project in bulk, idempotent by `data[key]`.

        Keys already in the project are fetched once. A batch whose request fails may still
        have landed, so before re-sending it the keys are fetched again and only the tasks
        still missing are sent. Tasks already present get the predictions of the pushed
        version they lack. When the project ends with more tasks than it should (a concurrent
        push, or a killed push whose last request landed late) duplicates are removed.
        `on_first_import` runs once, after the first batch has landed.
        """
        progress = progress or (lambda n: None)
        stats: Counter = Counter()
        before = self.task_count(pid)
        known = self.task_keys(pid, key) if before else {}
        seen = set(known)
        present_predictions: dict[int, list[dict]] = {}

        def batches() -> Iterator[list[dict]]:
            # Start small so the server starts importing while the rest is still being
            # segmented and predicted, then grow to batch_size (fewer, larger requests).
            size = min(batch_size, FIRST_BATCH)
            batch: list[dict] = []
            for task in tasks:
                k = task["data"][key]
                if k in seen:
                    stats["present"] += 1
                    if task.get("predictions") and k in known:
                        present_predictions[known[k][0]] = task["predictions"]
                    progress(1)
                    continue
                seen.add(k)
                batch.append(task)
                if len(batch) >= size:
                    yield batch
                    batch = []
                    size = min(batch_size, size * 2)
            if batch:
                yield batch

        def send(batch: list[dict]) -> None:
            nonlocal on_first_import
            self._import_batch(pid, batch, key, stats)
            progress(len(batch))
            if on_first_import:  # e.g. set the project's model_version while the rest is imported
                hook, on_first_import = on_first_import, None
                hook()

        # The server imports one batch while the next is segmented and predicted here.
        _pipelined(batches(), send)
        if present_predictions:
            stats["predictions"] += self._attach_missing(pid, present_predictions)
        if self.task_count(pid) > before + stats["created"]:
            stats["duplicates_removed"] += self.dedupe(pid, key)
        return ImportReport(created=stats["created"], present=stats["present"],
                            predictions=stats["predictions"],
                            repaired_predictions=stats["repaired"],
                            retried_batches=stats["retried"],
                            duplicates_removed=stats["duplicates_removed"])

    def _import_batch(self, pid: int, todo: list[dict], key: str, stats: Counter) -> None:
        """One bulk import, re-sent (bounded in time) only for tasks that did not land."""
        deadline = time.monotonic() + self.retry_seconds
        delay = 0.5
        while todo:
            try:
                result = self._call(f"import {len(todo)} tasks into project {pid}",
                                    self._client.projects.import_tasks, id=pid, request=todo,
                                    retry=False)
            except StudioError as exc:
                if not exc.retryable or time.monotonic() + delay > deadline:
                    raise StudioError(
                        f"{exc}; {stats['created']} tasks were created by this push and "
                        f"{len(todo)} of this batch were not: re-run the same push to finish "
                        f"(it skips what is already there)") from None
                stats["retried"] += 1
                self._sleep(delay)
                delay = min(delay * 2, 8.0)
                ids = self.task_keys(pid, key)
                landed = [t for t in todo if t["data"][key] in ids]
                if landed:  # the failed request went through after all
                    stats["created"] += len(landed)
                    stats["predictions"] += self._attach_missing(pid, {
                        ids[t["data"][key]][0]: t["predictions"] for t in landed
                        if t.get("predictions")})
                todo = [t for t in todo if t["data"][key] not in ids]
                continue
            log.info("imported %s tasks (%s predictions) into project %s", result.task_count,
                     result.prediction_count, pid)
            stats["created"] += result.task_count or 0
            stats["predictions"] += result.prediction_count or 0
            sent = sum(len(t.get("predictions") or []) for t in todo)
            if (result.prediction_count or 0) < sent:
                # Label Studio can answer 201 and drop predictions silently: re-attach them.
                ids = self.task_keys(pid, key)
                repaired = self._attach_missing(pid, {
                    ids[t["data"][key]][0]: t["predictions"] for t in todo
                    if t.get("predictions") and t["data"][key] in ids})
                stats["repaired"] += repaired
                stats["predictions"] += repaired
            return

    def dedupe(self, pid: int, key: str = KEY_FIELD) -> int:
        """Delete extra tasks sharing a key (never one with annotations); returns how many."""
        groups: dict[str, list[dict]] = {}
        for task in self.iter_tasks(pid, include="id,data,total_annotations"):
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
        if extra:
            log.info("removing %d duplicate tasks from project %s", len(extra), pid)
            self._request("POST", "api/dm/actions/", f"delete {len(extra)} duplicate tasks",
                          params={"id": "delete_tasks", "project": pid},
                          json={"selectedItems": {"all": False, "included": extra}})
        return len(extra)

    def model_versions(self, pid: int) -> dict[str, int]:
        """Prediction counts per model_version in a project."""
        return self._request("GET", f"api/projects/{pid}/model-versions/",
                             f"list model versions of project {pid}") or {}

    def delete_predictions(self, pid: int, version: str) -> int:
        """Delete every prediction of one model_version in a project (one call); returns how many."""
        if not version:
            raise ValueError("delete_predictions needs a model_version (an empty one means all)")
        result = self._request("DELETE", f"api/projects/{pid}/model-versions/",
                               f"delete the predictions of {version!r} in project {pid}",
                               json={"model_version": version})
        if isinstance(result, dict):
            return int(next((v for v in result.values() if isinstance(v, int)), 0))
        return int(result or 0)

    def _attach_missing(self, pid: int, wanted: dict[int, list[dict]]) -> int:
        """Give tasks the predictions (by version) they lack; safe to re-run after a failure."""
        if not wanted:
            return 0
        versions = {p["model_version"] for preds in wanted.values() for p in preds}
        deadline = time.monotonic() + self.retry_seconds
        while True:
            have: set[tuple[int, str]] = set()
            if any(self.model_versions(pid).get(v, 0) for v in versions):
                for pred in self._request("GET", "api/predictions/",
                                          f"list predictions of project {pid}",
                                          params={"project": pid}) or []:
                    if pred.get("model_version") in versions:
                        have.add((pred["task"], pred["model_version"]))
            missing = [{**p, "task": tid} for tid, preds in wanted.items() for p in preds
                       if (tid, p["model_version"]) not in have]
            try:
                return self.import_predictions(pid, missing)
            except StudioError as exc:
                if not exc.retryable or time.monotonic() > deadline:
                    raise
                self._sleep(1.0)

    def import_predictions(self, pid: int, predictions: list[dict]) -> int:
        """Attach predictions ({task, result, score, model_version}) to existing tasks."""
        if not predictions:
            return 0
        self._call(f"import {len(predictions)} predictions into project {pid}",
                   self._client.projects.import_predictions, id=pid, request=predictions,
                   retry=False)
        return len(predictions)

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

    def export_to_file(self, pid: int, path: Path, *, poll_seconds: float = 1.0,
                       max_wait: float = 3600.0) -> Path:
        """Write a JSON export snapshot of a project's annotated tasks to `path` (atomically)."""
        exports = self._client.projects.exports
        snap = self._call(f"create an export snapshot of project {pid}", exports.create,
                          id=pid, title="workbench pull")  # a second snapshot is harmless
        deadline = time.monotonic() + max_wait
        wait = 0.05  # small snapshots are ready at once: poll fast, then back off
        while True:
            info = self._call(f"check export {snap.id} of project {pid}", exports.get,
                              id=pid, export_pk=snap.id)
            status = str(getattr(info, "status", "")).lower()
            if status.endswith("completed"):
                log.info("export snapshot %s of project %s is ready", snap.id, pid)
                break
            if status.endswith("failed"):
                raise StudioError(f"Label Studio at {self.url} failed to build export {snap.id} "
                                  f"of project {pid}; see the server log")
            if time.monotonic() > deadline:
                raise StudioError(f"export {snap.id} of project {pid} at {self.url} not ready "
                                  f"after {max_wait:.0f} s")
            self._sleep(wait)
            wait = min(wait * 2, poll_seconds)
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

    # -- ML backend and queue ----------------------------------------------------------------

    def ml_backends(self, pid: int) -> list[dict]:
        """The ML backends registered with a project (raw dicts)."""
        return self._request("GET", "api/ml/", f"list ML backends of project {pid}",
                             params={"project": pid}) or []

    def register_ml_backend(self, pid: int, url: str, *, title: str,
                            basic_auth: tuple[str, str] | None = None,
                            timeout: float | None = None) -> dict:
        """Register a backend URL with a project, or update the one already there with that URL.

        Label Studio checks the URL (health and setup) before saving, and refuses loopback and
        private addresses unless it runs with ML_BLOCK_LOCAL_IP=false and
        SSRF_PROTECTION_ENABLED=false.
        """
        body: dict = {"url": url.rstrip("/"), "project": pid, "title": title,
                      "is_interactive": False}
        if basic_auth:
            body.update(auth_method="BASIC_AUTH", basic_auth_user=basic_auth[0],
                        basic_auth_pass=basic_auth[1])
        else:
            body.update(auth_method="NONE")
        if timeout is not None:
            body["timeout"] = timeout
        what = f"register the ML backend {url} with project {pid}"
        for backend in self.ml_backends(pid):
            if backend.get("url", "").rstrip("/") == body["url"]:
                return self._request("PATCH", f"api/ml/{backend['id']}", what, json=body)
        return self._request("POST", "api/ml/", what, retry=False, json=body)

    def ml_backend(self, backend_id: int) -> dict:
        """One ML backend (Label Studio refreshes its state and model_version on read)."""
        return self._request("GET", f"api/ml/{backend_id}", f"read ML backend {backend_id}")

    def train_ml_backend(self, backend_id: int) -> None:
        """Ask Label Studio to start training (it sends START_TRAINING to the backend)."""
        self._request("POST", f"api/ml/{backend_id}/train", f"start training of ML backend "
                      f"{backend_id}", retry=False, json={})

    def retrieve_predictions(self, pid: int, task_ids: list[int] | None = None) -> dict:
        """Run the `retrieve_tasks_predictions` action: Label Studio asks its ML backend.

        Tasks that already carry a prediction of the backend's current version are skipped
        by Label Studio itself, so the call is safe to repeat.
        """
        selected = ({"all": True, "excluded": []} if task_ids is None
                    else {"all": False, "included": list(task_ids)})
        return self._request("POST", "api/dm/actions/", f"retrieve predictions for project {pid}",
                             retry=False,
                             params={"id": "retrieve_tasks_predictions", "project": pid},
                             json={"selectedItems": selected}) or {}

    def set_project_fields(self, pid: int, **fields) -> dict:
        """PATCH project settings such as sampling or model_version (idempotent)."""
        names = ", ".join(sorted(fields))
        return self._request("PATCH", f"api/projects/{pid}/", f"set {names} of project {pid}",
                             json=fields) or {}

    def set_sampling(self, pid: int, sampling: str = "Uncertainty sampling") -> None:
        """Choose how the labelling stream orders tasks (Label Studio's `sampling`)."""
        self.set_project_fields(pid, sampling=sampling)

    def version_predictions(self, pid: int, version: str) -> set[int]:
        """Ids of the tasks that carry a prediction of this model_version."""
        if not self.model_versions(pid).get(version):
            return set()
        predictions = self._request("GET", "api/predictions/",
                                    f"list predictions of project {pid}",
                                    params={"project": pid}) or []
        return {p["task"] for p in predictions if p.get("model_version") == version}

    def update_tasks_data(self, updates: dict[int, dict], *, workers: int = 4,
                          progress: Callable[[int], None] | None = None) -> int:
        """Replace the data of many tasks ({task_id: data}); Label Studio has no bulk call.

        Each PATCH is idempotent (the whole data is sent), so it is retried safely.
        """
        from concurrent.futures import ThreadPoolExecutor

        def update(item):
            task_id, data = item
            self._request("PATCH", f"api/tasks/{task_id}/", f"update data of task {task_id}",
                          json={"data": data})
            if progress:
                progress(1)

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            for _ in pool.map(update, updates.items()):
                pass
        return len(updates)
