"""The one session with Label Studio: base URL, auth, timeouts, one retry policy, clear errors.

The algorithms that use it live beside it: `imports` (idempotent bulk import), `exports`
(snapshots), `views` (Data Manager tabs) and `ml` (ML backends and the labelling queue).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator

import httpx

from workbench.core.errors import (ConfigError, StudioAuthError, StudioError, StudioNotFound,
                                   StudioUnreachable)
from workbench.studio.labelconfig import Schema, parse_config
from workbench.studio.auth import KeyAuth
from workbench.studio.transport import RetryPolicy, RetryTransport

log = logging.getLogger(__name__)

KEY_FIELD = "sentence_id"
MAX_TITLE = 50


# -- the session --------------------------------------------------------------------------------

def _body_detail(body) -> str:
    if isinstance(body, dict):
        for key in ("validation_errors", "detail", "error", "message"):
            if key in body:
                return str(body[key])[:300]
        return json.dumps(body, default=str)[:300]
    return str(body)[:300]


class Studio:
    """A connection to one Label Studio server (URL + API key), with retries bounded in time.

    `transport` replaces the network (tests pass an `httpx.MockTransport`); the retry policy
    wraps whatever transport is used.
    """

    def __init__(self, url: str, api_key: str, *, timeout: float = 120.0,
                 retry_seconds: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 transport: httpx.BaseTransport | None = None):
        self.url = url.rstrip("/")
        self.retry = RetryPolicy(seconds=retry_seconds, sleep=sleep)
        self._api_key = api_key
        self._timeout = timeout
        wire = RetryTransport(transport or httpx.HTTPTransport(), self.retry)
        self._refresher = httpx.Client(transport=wire, timeout=timeout, follow_redirects=True)
        self._http = httpx.Client(base_url=self.url + "/", transport=wire, timeout=timeout,
                                  follow_redirects=True,
                                  auth=KeyAuth(api_key, self.url, self._refresher))
        self._sdk = None

    @property
    def sdk(self):
        """The label-studio-sdk client, on this session's connection and key.

        Imported and built at first use: importing the SDK takes ~2.4 s (pandas and more,
        benchmarks/bench.md), more than a whole cold-start push of a day's articles, so the
        calls a push makes are plain JSON requests (`_raw`) and only the other commands pay
        for the SDK's public calls.
        """
        if self._sdk is None:
            from label_studio_sdk import LabelStudio
            from label_studio_sdk.core.api_error import ApiError

            try:
                # max_retries=0: the SDK's own retries would re-send imports blindly.
                self._sdk = LabelStudio(base_url=self.url, api_key=self._api_key,
                                        timeout=self._timeout, max_retries=0,
                                        httpx_client=self._http)
            except ApiError as exc:  # an expired or malformed personal access token
                raise StudioAuthError(
                    f"Label Studio at {self.url} refused the API key ({_body_detail(exc.body)}); "
                    f"create a new access token in Account & Settings and set "
                    f"LABEL_STUDIO_API_KEY") from None
        return self._sdk

    def __repr__(self) -> str:  # never show the key
        return f"Studio(url={self.url!r})"

    @property
    def retry_seconds(self) -> float:
        """How long a failing call is retried before it gives up."""
        return self.retry.seconds

    # -- calls and errors -------------------------------------------------------------------

    def call(self, what: str, fn: Callable, *args, **kwargs):
        """Run one SDK call (`what` names it for the user); failures become StudioErrors.

        Retries happen below, in the transport; the error raised here says whether a retry
        might succeed (`.retryable`), for algorithms that can check and re-send.
        """
        from label_studio_sdk.core.api_error import ApiError

        try:
            return fn(*args, **kwargs)
        except (ApiError, httpx.HTTPError) as exc:
            error = self._error(exc, what)
            error.retryable = self.retry.transient(
                exc.status_code if isinstance(exc, ApiError) else exc)
            raise error from None
        except ValueError as exc:  # JSON or schema errors: not a Label Studio answer
            raise StudioError(
                f"{self.url} gave an unexpected answer while trying to {what} "
                f"({type(exc).__name__}); check that LABEL_STUDIO_URL points to Label "
                f"Studio 1.23 or later") from None

    def _error(self, exc: Exception, what: str) -> StudioError:
        if isinstance(exc, httpx.TimeoutException):
            return StudioUnreachable(
                f"Label Studio at {self.url} did not answer in time while trying to {what}; "
                f"check the server (workbench studio status) or raise the timeout")
        if isinstance(exc, httpx.HTTPError):
            return StudioUnreachable(
                f"cannot reach Label Studio at {self.url} to {what} ({type(exc).__name__}); "
                f"start it with `workbench studio up` or fix LABEL_STUDIO_URL")
        return self._status_error(exc.status_code, exc.body, what)

    def _status_error(self, status: int | None, body, what: str) -> StudioError:
        detail = _body_detail(body)
        if status is not None and status < 400:  # a success that is not JSON
            return StudioError(f"{self.url} does not look like a Label Studio server (HTTP "
                               f"{status} but no JSON while trying to {what}); check "
                               f"LABEL_STUDIO_URL")
        if status in (401, 403):
            return StudioAuthError(
                f"Label Studio at {self.url} refused the API key while trying to {what} "
                f"(HTTP {status}: {detail}); check LABEL_STUDIO_API_KEY (a legacy token or a "
                f"personal access token from Account & Settings)")
        if status == 404:
            return StudioNotFound(f"Label Studio at {self.url}: not found while trying to "
                                  f"{what} (HTTP 404: {detail})")
        return StudioError(f"Label Studio at {self.url} failed to {what} "
                           f"(HTTP {status}: {detail})")

    def _raw(self, method: str, path: str, what: str, **kwargs):
        """One plain JSON request on this session (auth, retry policy, errors as `call`).

        For what the SDK lacks (the project model-versions endpoints), for listings whose SDK
        models cost ten times the request (see iter_tasks and project_predictions), and for
        every call of a push, which thereby never imports the SDK (see `sdk`).
        """
        try:
            response = self._http.request(method, path.lstrip("/"), **kwargs)
        except httpx.HTTPError as exc:
            error = self._error(exc, what)
            error.retryable = self.retry.transient(exc)
            raise error from None
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = response.text[:300]
            error = self._status_error(response.status_code, body, what)
            error.retryable = self.retry.transient(response.status_code)
            raise error
        try:
            return response.json() if response.content else None
        except ValueError:
            raise self._status_error(response.status_code, None, what) from None

    # -- server and projects ------------------------------------------------------------------

    def whoami(self) -> dict:
        """The user the API key belongs to (checks URL and key in one call)."""
        try:
            user = self._raw("GET", "api/current-user/whoami", "check the API key")
        except StudioNotFound:
            raise StudioError(f"{self.url} does not look like a Label Studio server (no "
                              f"/api/current-user/whoami); check LABEL_STUDIO_URL") from None
        if not isinstance(user, dict) or "id" not in user:
            raise self._status_error(200, None, "check the API key")
        return {"id": user["id"], "email": user.get("email")}

    def find_project(self, title: str) -> int | None:
        """The id of the project with exactly this title, or None."""
        projects = self._projects(f"list projects titled {title!r}", title=title)
        ids = sorted(p["id"] for p in projects if p.get("title") == title)
        return ids[0] if ids else None

    def _projects(self, what: str, **params) -> list[dict]:
        """Every page of /api/projects/ (raw dicts)."""
        found, page = [], 1
        while True:
            body = self._raw("GET", "api/projects/", what,
                             params={**params, "page": page, "page_size": 100})
            rows = body.get("results", []) if isinstance(body, dict) else (body or [])
            found += rows
            if not isinstance(body, dict) or not body.get("next") or not rows:
                return found
            page += 1

    def list_projects(self) -> list[dict]:
        """Every project the key can see, with its counts (task_number, total_annotations_number,
        total_predictions_number) and model_version."""
        fields = ("id", "title", "task_number", "total_annotations_number",
                  "total_predictions_number", "model_version")
        return [{name: p.get(name) for name in fields} for p in self._projects("list projects")]

    def delete_project(self, pid: int) -> None:
        """Delete a project with its tasks, annotations and predictions."""
        self._raw("DELETE", f"api/projects/{int(pid)}/", f"delete project {pid}")

    def project_id(self, title: str) -> int:
        """The id of an existing project, or a clear error."""
        pid = self.find_project(title)
        if pid is None:
            raise StudioNotFound(f"no project titled {title!r} on Label Studio at {self.url}; "
                                 f"check the name (workbench push creates it)")
        return pid

    def ensure_project(self, title: str, label_config: str,
                       description: str = "") -> tuple[int, bool]:
        """Find the project by title or create it with the label config; returns (id, created)."""
        if not title.strip() or len(title) > MAX_TITLE:
            raise ConfigError(f"project title {title!r} must be 1 to {MAX_TITLE} characters "
                              f"(a Label Studio limit); choose a shorter --project")
        pid = self.find_project(title)
        if pid is not None:
            return pid, False
        backoff = self.retry.backoff()
        while True:
            try:
                project = self._raw("POST", "api/projects/", f"create project {title!r}",
                                    json={"title": title, "label_config": label_config,
                                          "description": description})
                return project["id"], True
            except StudioError as exc:
                if not exc.retryable or not backoff.wait():
                    raise
                pid = self.find_project(title)  # the failed request may have landed
                if pid is not None:
                    return pid, True

    def project(self, pid: int) -> dict:
        """A project's settings as a dict."""
        return self._raw("GET", f"api/projects/{int(pid)}/", f"read project {pid}")

    def schema(self, pid: int) -> Schema:
        """The parsed label config of a project."""
        config = self.project(pid).get("label_config") or ""
        return parse_config(config, f"label config of project {pid} at {self.url}")

    def set_project_fields(self, pid: int, **fields) -> dict:
        """Set project settings such as sampling or model_version (idempotent)."""
        names = ", ".join(sorted(fields))
        return self._raw("PATCH", f"api/projects/{int(pid)}/", f"set {names} of project {pid}",
                         json=fields) or {}

    def set_model_version(self, pid: int, version: str) -> bool:
        """Make the form pre-fill from this version's predictions (when the project has any)."""
        if version not in self.model_versions(pid):
            return False  # Label Studio refuses a version no prediction carries
        self.set_project_fields(pid, model_version=version, show_collab_predictions=True)
        return True

    # -- tasks ----------------------------------------------------------------------------------

    def iter_tasks(self, pid: int, include: str = "id,data", page_size: int = 5000, *,
                   computed: bool = False) -> Iterator[dict]:
        """Every task of a project, a page at a time (raw dicts).

        `computed`: also the fields Label Studio computes from annotations (`annotators`, ...),
        which it fills only when asked for all fields (`include` then narrows them).
        """
        # Raw, not tasks.list: for 50,000 tasks the SDK's models take 2.6 s against 0.26 s for
        # the JSON (measured with label-studio-sdk 2.1.2), and its pager asks for one page more.
        page = 1
        while True:
            try:
                body = self._raw("GET", "api/tasks/", f"list tasks of project {pid}",
                                 params={"project": pid, "page": page, "page_size": page_size,
                                         "include": include,
                                         **({"fields": "all"} if computed else {})})
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

    def task(self, task_id: int) -> dict:
        """One task with its annotations and predictions."""
        return self.call(f"read task {task_id}", self.sdk.tasks.get, id=str(task_id)).dict()

    def update_task_data(self, task_id: int, data: dict) -> None:
        """Replace a task's data (the whole of it, so a retry is safe)."""
        self.call(f"update data of task {task_id}", self.sdk.tasks.update, id=str(task_id),
                  data=data)

    def delete_tasks(self, pid: int, task_ids: list[int]) -> None:
        """Delete tasks of a project in one Data Manager action."""
        self._raw("POST", "api/dm/actions/", f"delete {len(task_ids)} tasks of project {pid}",
                  params={"id": "delete_tasks", "project": int(pid)},
                  json={"selectedItems": {"all": False, "included": list(task_ids)}})

    def create_annotation(self, task_id: int, result: list[dict], *,
                          cancelled: bool = False) -> dict:
        """Submit an annotation on a task as the key's user."""
        return self.call(f"annotate task {task_id}", self.sdk.annotations.create, id=task_id,
                         result=result, was_cancelled=cancelled).dict()

    def set_ground_truth(self, annotation_id: int, value: bool = True) -> None:
        """Mark an annotation as ground truth (or not); the whole value is sent: safe to retry."""
        self._raw("PATCH", f"api/annotations/{int(annotation_id)}/",
                  f"mark annotation {annotation_id} as ground truth", json={"ground_truth": value})

    # -- predictions ----------------------------------------------------------------------------

    def predictions(self, task_id: int) -> list[dict]:
        """The predictions attached to a task."""
        return [p.dict() for p in self.call(f"list predictions of task {task_id}",
                                            self.sdk.predictions.list, task=task_id)]

    def project_predictions(self, pid: int) -> list[dict]:
        """Every prediction in a project (raw dicts)."""
        # Raw, not predictions.list: for 50,000 predictions the SDK's models take 4.3 s against
        # 0.43 s for the JSON (measured with label-studio-sdk 2.1.2).
        return self._raw("GET", "api/predictions/", f"list predictions of project {pid}",
                         params={"project": pid}) or []

    def import_batch(self, pid: int, tasks: list[dict]) -> dict:
        """One bulk import request (never re-sent here: see `workbench.studio.imports`).

        Returns Label Studio's counts: {"task_count": n, "prediction_count": n}.
        """
        body = self._raw("POST", f"api/projects/{int(pid)}/import",
                         f"import {len(tasks)} tasks into project {pid}", json=tasks)
        body = body if isinstance(body, dict) else {}
        return {"task_count": int(body.get("task_count") or 0),
                "prediction_count": int(body.get("prediction_count") or 0)}

    def import_predictions(self, pid: int, predictions: list[dict]) -> int:
        """Attach predictions ({task, result, score, model_version}) to existing tasks."""
        if not predictions:
            return 0
        self._raw("POST", f"api/projects/{int(pid)}/import/predictions",
                  f"import {len(predictions)} predictions into project {pid}", json=predictions)
        return len(predictions)

    def model_versions(self, pid: int) -> dict[str, int]:
        """Prediction counts per model_version in a project."""
        return self._raw("GET", f"api/projects/{pid}/model-versions/",
                         f"list model versions of project {pid}") or {}

    def delete_predictions(self, pid: int, version: str) -> int:
        """Delete every prediction of one model_version in a project (one call); returns how many."""
        if not version:
            raise ValueError("delete_predictions needs a model_version (an empty one means all)")
        result = self._raw("DELETE", f"api/projects/{pid}/model-versions/",
                           f"delete the predictions of {version!r} in project {pid}",
                           json={"model_version": version})
        if isinstance(result, dict):
            return int(next((v for v in result.values() if isinstance(v, int)), 0))
        return int(result or 0)
