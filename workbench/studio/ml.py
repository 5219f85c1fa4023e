"""ML backends registered with a Label Studio project, and the labelling queue they feed."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workbench.studio.client import Studio


def ml_backends(studio: Studio, pid: int) -> list[dict]:
    """The ML backends registered with a project."""
    return [backend.dict() for backend in studio.call(f"list ML backends of project {pid}",
                                                      studio.sdk.ml.list, project=pid)]


def register_ml_backend(studio: Studio, pid: int, url: str, *, title: str,
                        basic_auth: tuple[str, str] | None = None,
                        timeout: float | None = None) -> dict:
    """Register a backend URL with a project, or update the one already there with that URL.

    Label Studio checks the URL (health and setup) before saving, and refuses loopback and
    private addresses unless it runs with ML_BLOCK_LOCAL_IP=false and
    SSRF_PROTECTION_ENABLED=false.
    """
    fields: dict = {"url": url.rstrip("/"), "project": pid, "title": title,
                    "is_interactive": False}
    if basic_auth:
        fields.update(auth_method="BASIC_AUTH", basic_auth_user=basic_auth[0],
                      basic_auth_pass=basic_auth[1])
    else:
        fields.update(auth_method="NONE")
    if timeout is not None:
        fields["timeout"] = timeout
    what = f"register the ML backend {url} with project {pid}"
    for backend in ml_backends(studio, pid):
        if (backend.get("url") or "").rstrip("/") == fields["url"]:
            return studio.call(what, studio.sdk.ml.update, id=backend["id"], **fields).dict()
    return studio.call(what, studio.sdk.ml.create, **fields).dict()


def ml_backend(studio: Studio, backend_id: int) -> dict:
    """One ML backend (Label Studio refreshes its state and model_version on read)."""
    return studio.call(f"read ML backend {backend_id}", studio.sdk.ml.get, id=backend_id).dict()


def train_ml_backend(studio: Studio, backend_id: int) -> None:
    """Ask Label Studio to start training (it sends START_TRAINING to the backend)."""
    studio.call(f"start training of ML backend {backend_id}", studio.sdk.ml.train, id=backend_id)


def retrieve_predictions(studio: Studio, pid: int, task_ids: list[int] | None = None) -> dict:
    """Run the `retrieve_tasks_predictions` action: Label Studio asks its ML backend.

    Tasks that already carry a prediction of the backend's current version are skipped by
    Label Studio itself, so the call is safe to repeat.
    """
    selected = ({"all": True, "excluded": []} if task_ids is None
                else {"all": False, "included": list(task_ids)})

    def send():
        # with_raw_response: the plain call drops Label Studio's answer
        answer = studio.sdk.actions.with_raw_response.create(
            id="retrieve_tasks_predictions", project=pid, selected_items=selected)
        return answer.response.json() if answer.response.content else None

    return studio.call(f"retrieve predictions for project {pid}", send) or {}


def set_sampling(studio: Studio, pid: int, sampling: str = "Uncertainty sampling") -> None:
    """Choose how the labelling stream orders tasks (Label Studio's `sampling`)."""
    studio.set_project_fields(pid, sampling=sampling)


def version_predictions(studio: Studio, pid: int, version: str) -> set[int]:
    """Ids of the tasks that carry a prediction of this model_version."""
    if not studio.model_versions(pid).get(version):
        return set()
    return {p["task"] for p in studio.project_predictions(pid)
            if p.get("model_version") == version}


def update_tasks_data(studio: Studio, updates: dict[int, dict], *, workers: int = 4,
                      progress: Callable[[int], None] | None = None) -> int:
    """Replace the data of many tasks ({task_id: data}); Label Studio has no bulk call."""

    def update(item):
        studio.update_task_data(*item)
        if progress:
            progress(1)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for _ in pool.map(update, updates.items()):
            pass
    return len(updates)
