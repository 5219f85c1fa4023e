"""The idempotent import against a small fake Label Studio behind httpx.MockTransport.

The fake keeps tasks and predictions in dicts behind the few endpoints the import uses and
can misbehave the way real networks and servers do: a connection dropped before the request
lands, a 502 before the work, a 502 or a reset after the work has landed, an answer that
silently drops predictions, and duplicates created by a concurrent push.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter

import httpx
import pytest

from workbench.core.errors import StudioError
from workbench.studio.client import Studio
from workbench.studio.imports import FIRST_BATCH, dedupe, import_tasks

PID = 7
VERSION = "m-v1"


class FakeLabelStudio:
    """Tasks and predictions of one project, served over the endpoints the import calls."""

    def __init__(self):
        self.tasks: dict[int, dict] = {}  # id -> {"id", "data", "total_annotations"}
        self.predictions: list[dict] = []
        self.next_id = 1
        self.lock = threading.Lock()
        self.faults: list[tuple[str, str]] = []  # (endpoint, fault), consumed in order
        self.imports: list[list[str]] = []  # keys of every task import request received
        self.stale_imports: list[list[str]] = []  # keys already present when a request came
        self.listings = 0  # full passes over the task list
        self.deleted: list[int] = []

    # -- state -------------------------------------------------------------------------------

    def add_task(self, data: dict, annotations: int = 0) -> int:
        tid, self.next_id = self.next_id, self.next_id + 1
        self.tasks[tid] = {"id": tid, "data": dict(data), "total_annotations": annotations}
        return tid

    def keys(self) -> Counter:
        return Counter(t["data"]["sentence_id"] for t in self.tasks.values())

    def versions_of(self, tid: int) -> list[str]:
        return sorted(p["model_version"] for p in self.predictions if p["task"] == tid)

    def fault(self, endpoint: str) -> str | None:
        for i, (where, what) in enumerate(self.faults):
            if where == endpoint:
                del self.faults[i]
                return what
        return None

    # -- HTTP --------------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            path, method = request.url.path, request.method
            body = json.loads(request.content) if request.content else None
            params = request.url.params
            if method == "GET" and path == f"/api/projects/{PID}/":
                return httpx.Response(200, json={"id": PID, "title": "Claims",
                                                 "task_number": len(self.tasks)})
            if method == "GET" and path == "/api/tasks/":
                return self.list_tasks(int(params["page"]), int(params["page_size"]))
            if method == "POST" and path == f"/api/projects/{PID}/import":
                return self.import_tasks(body)
            if method == "GET" and path == f"/api/projects/{PID}/model-versions/":
                return httpx.Response(200, json=dict(Counter(
                    p["model_version"] for p in self.predictions)))
            if method == "GET" and path == "/api/predictions/":
                return httpx.Response(200, json=list(self.predictions))
            if method == "POST" and path == f"/api/projects/{PID}/import/predictions":
                return self.import_predictions(body)
            if method == "POST" and path == "/api/dm/actions/" and params["id"] == "delete_tasks":
                return self.delete(body["selectedItems"]["included"])
            return httpx.Response(404, json={"detail": f"fake: no {method} {path}"})

    def list_tasks(self, page: int, size: int) -> httpx.Response:
        if page == 1:
            self.listings += 1
        tasks = sorted(self.tasks.values(), key=lambda t: t["id"])[(page - 1) * size:page * size]
        if not tasks and page > 1:
            return httpx.Response(404, json={"detail": "Invalid page."})
        return httpx.Response(200, json={"tasks": [dict(t) for t in tasks],
                                         "total": len(self.tasks)})

    def import_tasks(self, tasks: list[dict]) -> httpx.Response:
        fault = self.fault("import")
        keys = [t["data"]["sentence_id"] for t in tasks]
        if fault == "drop_before":
            raise httpx.ConnectError("connection refused")
        if fault == "502_before":
            return httpx.Response(502, text="<h1>502 Bad Gateway</h1>")
        self.imports.append(keys)
        present = set(self.keys())
        if any(k in present for k in keys):
            self.stale_imports.append([k for k in keys if k in present])
        created = predictions = 0
        for task in tasks:
            tid = self.add_task(task["data"])
            created += 1
            if fault != "drop_predictions":
                for pred in task.get("predictions") or []:
                    self.predictions.append({**pred, "task": tid})
                    predictions += 1
        if fault == "concurrent_push":
            # another push of the same articles landed at the same moment; one of its tasks
            # has already been annotated, so it is the one to keep
            for i, task in enumerate(tasks[:5]):
                tid = self.add_task(task["data"], annotations=int(i == 0))
                for pred in task.get("predictions") or []:
                    self.predictions.append({**pred, "task": tid})
        if fault == "502_after":
            return httpx.Response(502, text="<h1>502 Bad Gateway</h1>")
        if fault == "reset_after":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return httpx.Response(201, json={"task_count": created, "prediction_count": predictions,
                                         "annotation_count": 0})

    def import_predictions(self, predictions: list[dict]) -> httpx.Response:
        fault = self.fault("predictions")
        if fault == "502_before":
            return httpx.Response(502, text="<h1>502 Bad Gateway</h1>")
        for pred in predictions:
            self.predictions.append(dict(pred))
        if fault == "502_after":
            return httpx.Response(502, text="<h1>502 Bad Gateway</h1>")
        return httpx.Response(201, json={"created": len(predictions)})

    def delete(self, ids: list[int]) -> httpx.Response:
        for tid in ids:
            self.tasks.pop(tid, None)
            self.deleted.append(tid)
        self.predictions = [p for p in self.predictions if p["task"] in self.tasks]
        return httpx.Response(200, json={})


def sentence_tasks(n: int, *, predictions: bool = True, start: int = 0) -> list[dict]:
    tasks = []
    for i in range(start, start + n):
        task = {"data": {"text": f"Sentence number {i}.", "sentence_id": f"s{i:05d}"}}
        if predictions:
            task["predictions"] = [{"model_version": VERSION, "score": 0.5, "result": [
                {"from_name": "claim_type", "to_name": "text", "type": "choices",
                 "value": {"choices": ["Opinion"]}}]}]
        tasks.append(task)
    return tasks


@pytest.fixture
def fake():
    return FakeLabelStudio()


@pytest.fixture
def studio(fake):
    sleeps = []
    studio = Studio("http://studio.test", "k" * 40, retry_seconds=30, sleep=sleeps.append,
                    transport=fake.transport())
    studio.sleeps = sleeps
    return studio


def assert_exact(fake, n, start=0):
    """Each key once, each task with exactly one prediction of the pushed version."""
    assert fake.keys() == Counter({f"s{i:05d}": 1 for i in range(start, start + n)})
    for tid in fake.tasks:
        assert fake.versions_of(tid) == [VERSION], (tid, fake.versions_of(tid))
    assert fake.stale_imports == [], "a batch was re-sent with tasks already on the server"


def test_clean_push_grows_batches_and_attaches_every_prediction(fake, studio):
    seen = []
    report = import_tasks(studio, PID, sentence_tasks(3000), batch_size=1000,
                          progress=seen.append)
    assert_exact(fake, 3000)
    assert [len(keys) for keys in fake.imports] == [FIRST_BATCH, 1000, 1000, 500]
    assert sum(seen) == 3000
    assert fake.listings == 0  # an empty project: no keys to fetch
    assert report.created == 3000 and report.predictions == 3000
    assert (report.present, report.retried_batches, report.duplicates_removed) == (0, 0, 0)


def test_second_push_fetches_keys_once_and_only_adds_missing_predictions(fake, studio):
    for task in sentence_tasks(40, predictions=False):  # pushed before, without predictions
        fake.add_task(task["data"])
    report = import_tasks(studio, PID, sentence_tasks(100), batch_size=50)
    assert_exact(fake, 100)
    assert fake.listings == 1  # the keys are fetched once
    assert report.present == 40 and report.created == 60 and report.predictions == 100
    again = import_tasks(studio, PID, sentence_tasks(100), batch_size=50)
    assert_exact(fake, 100)
    assert again.created == 0 and again.present == 100 and again.predictions == 0


@pytest.mark.parametrize("fault", ["drop_before", "502_before"])
def test_a_batch_that_did_not_land_is_sent_again_once(fake, studio, fault):
    fake.faults = [("import", fault)]
    report = import_tasks(studio, PID, sentence_tasks(1200), batch_size=500)
    assert_exact(fake, 1200)
    assert report.retried_batches == 1 and report.created == 1200
    sent = Counter(k for keys in fake.imports for k in keys)
    assert max(sent.values()) == 1  # the failed request never reached the tasks
    assert studio.sleeps == [0.5]


@pytest.mark.parametrize("fault", ["502_after", "reset_after"])
def test_a_batch_that_landed_despite_the_error_is_not_sent_again(fake, studio, fault):
    fake.faults = [("import", fault)]
    report = import_tasks(studio, PID, sentence_tasks(1200), batch_size=500)
    assert_exact(fake, 1200)
    assert [len(keys) for keys in fake.imports] == [500, 500, 200]  # no request repeated
    assert report.retried_batches == 1 and report.created == 1200
    assert report.duplicates_removed == 0


def test_a_failure_in_a_later_batch_resends_only_that_batch(fake, studio):
    fake.faults = [("import", "none"), ("import", "502_before")]
    import_tasks(studio, PID, sentence_tasks(1200), batch_size=500)
    assert_exact(fake, 1200)
    assert [len(keys) for keys in fake.imports] == [500, 500, 200]


def test_silently_dropped_predictions_are_attached_again(fake, studio):
    fake.faults = [("import", "drop_predictions")]
    report = import_tasks(studio, PID, sentence_tasks(800), batch_size=500)
    assert_exact(fake, 800)
    assert report.repaired_predictions == 500 and report.predictions == 800


def test_predictions_that_landed_despite_a_502_are_not_doubled(fake, studio):
    fake.faults = [("import", "drop_predictions"), ("predictions", "502_after")]
    import_tasks(studio, PID, sentence_tasks(600), batch_size=500)
    assert_exact(fake, 600)


def test_duplicates_from_a_concurrent_push_are_removed_keeping_the_annotated_one(fake, studio):
    fake.faults = [("import", "concurrent_push")]
    report = import_tasks(studio, PID, sentence_tasks(700), batch_size=500)
    assert report.duplicates_removed == 5
    assert_exact(fake, 700)
    annotated = [t for t in fake.tasks.values() if t["total_annotations"]]
    assert len(annotated) == 1 and annotated[0]["data"]["sentence_id"] == "s00000"
    assert not set(fake.deleted) & {annotated[0]["id"]}


def test_dedupe_never_deletes_annotated_tasks(fake, studio):
    for annotations in (1, 1, 0):
        fake.add_task({"text": "x", "sentence_id": "s1"}, annotations=annotations)
    assert dedupe(studio, PID, "sentence_id") == 1
    assert sorted(t["total_annotations"] for t in fake.tasks.values()) == [1, 1]


def test_an_import_that_keeps_failing_stops_with_a_clear_error(fake):
    fake.faults = [("import", "502_before")] * 100
    studio = Studio("http://studio.test", "k" * 40, retry_seconds=2, sleep=lambda s: None,
                    transport=fake.transport())
    with pytest.raises(StudioError) as info:
        import_tasks(studio, PID, sentence_tasks(600), batch_size=500)
    message = str(info.value)
    assert "http://studio.test" in message and "HTTP 502" in message
    assert re.search(r"0 tasks were created by this push and 500 of this batch were not: "
                     r"re-run the same push", message)
    assert fake.imports == []


def test_the_first_import_hook_runs_once_after_the_first_batch(fake, studio):
    calls = []
    import_tasks(studio, PID, sentence_tasks(1200), batch_size=500,
                 on_first_import=lambda: calls.append(len(fake.tasks)))
    assert calls == [FIRST_BATCH]
