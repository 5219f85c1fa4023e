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
        # The SDK takes 2.5 s to import (pandas and more): paid by the first Studio, not by
        # `import workbench.studio.client`, so a command with a bad setting fails at once.
        from label_studio_sdk import LabelStudio
        from label_studio_sdk.core.api_error import ApiError

        self.url = url.rstrip("/")
        self.retry = RetryPolicy(seconds=retry_seconds, sleep=sleep)
        self._http = httpx.Client(
            transport=RetryTransport(transport or httpx.HTTPTransport(), self.retry),
            timeout=timeout, follow_redirects=True)
        try:
            # max_retries=0: the SDK's own retries would re-send imports blindly.
            self.sdk = LabelStudio(base_url=self.url, api_key=api_key, timeout=timeout,
                                   max_retries=0, httpx_client=self._http)
        except ApiError as exc:  # an expired or malformed personal access token
            raise StudioAuthError(
                f"Label Studio at {self.url} refused the API key ({_body_detail(exc.body)}); "
                f"create a new access token in Account & Settings and set LABEL_STUDIO_API_KEY"
            ) from None

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
        status, detail = exc.status_code, _body_detail(exc.body)
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
        """A request through the SDK's private, authenticated client: plain JSON back.

        The one place that reaches past the SDK's public calls, for the project model-versions
        endpoints it lacks and for listings whose response models cost ten times the request
        (see iter_tasks and project_predictions). tests/test_studio_unit.py fails when
        label-studio-sdk moves this attribute or gains a public model-versions call.
        """
        from label_studio_sdk.core.api_error import ApiError

        private = self.sdk._client_wrapper.httpx_client

        def send():
            response = private.request(path, method=method, **kwargs)
            if response.status_code >= 400:
                try:
                    body = response.json()
                except ValueError:
                    body = response.text[:300]
                raise ApiError(status_code=response.status_code, body=body)
            return response.json() if response.content else None

        return self.call(what, send)

    # -- server and projects ------------------------------------------------------------------

    def whoami(self) -> dict:
        """The user the API key belongs to (checks URL and key in one call)."""
        try:
            user = self.call("check the API key", self.sdk.users.whoami)
        except StudioNotFound:
            raise StudioError(f"{self.url} does not look like a Label Studio server (no "
                              f"/api/current-user/whoami); check LABEL_STUDIO_URL") from None
        return {"id": user.id, "email": user.email}

    def find_project(self, title: str) -> int | None:
        """The id of the project with exactly this title, or None."""
        projects = self.call(f"list projects titled {title!r}",
                             lambda: list(self.sdk.projects.list(title=title, page_size=100)))
        ids = sorted(p.id for p in projects if p.title == title)
        return ids[0] if ids else None

    def list_projects(self) -> list[dict]:
        """Every project the key can see, with its counts (task_number, total_annotations_number,
        total_predictions_number) and model_version."""
        fields = ("id", "title", "task_number", "total_annotations_number",
                  "total_predictions_number", "model_version")
        projects = self.call("list projects", lambda: list(self.sdk.projects.list(page_size=100)))
        return [{name: getattr(p, name, None) for name in fields} for p in projects]

    def delete_project(self, pid: int) -> None:
        """Delete a project with its tasks, annotations and predictions."""
        self.call(f"delete project {pid}", self.sdk.projects.delete, id=pid)

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
                project = self.call(f"create project {title!r}", self.sdk.projects.create,
                                    title=title, label_config=label_config,
                                    description=description)
                return project.id, True
            except StudioError as exc:
                if not exc.retryable or not backoff.wait():
                    raise
                pid = self.find_project(title)  # the failed request may have landed
                if pid is not None:
                    return pid, True

    def project(self, pid: int) -> dict:
        """A project's settings as a dict."""
        return self.call(f"read project {pid}", self.sdk.projects.get, id=pid).dict()

    def schema(self, pid: int) -> Schema:
        """The parsed label config of a project."""
        config = self.project(pid).get("label_config") or ""
        return parse_config(config, f"label config of project {pid} at {self.url}")

    def set_project_fields(self, pid: int, **fields) -> dict:
        """Set project settings such as sampling or model_version (idempotent)."""
        names = ", ".join(sorted(fields))
        return self.call(f"set {names} of project {pid}", self.sdk.projects.update, id=pid,
                         **fields).dict()

    def set_model_version(self, pid: int, version: str) -> bool:
        """Make the form pre-fill from this version's predictions (when the project has any)."""
        if version not in self.model_versions(pid):
            return False  # Label Studio refuses a version no prediction carries
        self.set_project_fields(pid, model_version=version, show_collab_predictions=True)
        return True

    # -- tasks ----------------------------------------------------------------------------------

    def iter_tasks(self, pid: int, include: str = "id,data",
                   page_size: int = 5000) -> Iterator[dict]:
        """Every task of a project, a page at a time (raw dicts)."""
        # Raw, not tasks.list: for 50,000 tasks the SDK's models take 2.6 s against 0.26 s for
        # the JSON (measured with label-studio-sdk 2.1.2), and its pager asks for one page more.
        page = 1
        while True:
            try:
                body = self._raw("GET", "api/tasks/", f"list tasks of project {pid}",
                                 params={"project": pid, "page": page, "page_size": page_size,
                                         "include": include})
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
        self.call(f"delete {len(task_ids)} tasks of project {pid}", self.sdk.actions.create,
                  id="delete_tasks", project=pid,
                  selected_items={"all": False, "included": list(task_ids)})

    def create_annotation(self, task_id: int, result: list[dict], *,
                          cancelled: bool = False) -> dict:
        """Submit an annotation on a task as the key's user."""
        return self.call(f"annotate task {task_id}", self.sdk.annotations.create, id=task_id,
                         result=result, was_cancelled=cancelled).dict()

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

    def import_predictions(self, pid: int, predictions: list[dict]) -> int:
        """Attach predictions ({task, result, score, model_version}) to existing tasks."""
        if not predictions:
            return 0
        self.call(f"import {len(predictions)} predictions into project {pid}",
                  self.sdk.projects.import_predictions, id=pid, request=predictions)
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
