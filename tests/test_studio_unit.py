"""Studio adapter pieces that need no server: pipelining, retries, error wording."""

import json

import httpx
import pytest

from workbench.core.errors import StudioAuthError, StudioError, StudioUnreachable
from workbench.studio.client import Studio
from workbench.studio.imports import _pipelined


def test_pipelined_consumes_everything_in_order():
    seen = []
    _pipelined(iter(range(50)), seen.append)
    assert seen == list(range(50))


def test_pipelined_stops_producing_after_a_failure_and_reraises():
    produced = []

    def items():
        for i in range(100):
            produced.append(i)
            yield i

    def consume(i):
        if i == 3:
            raise StudioError("boom")

    with pytest.raises(StudioError, match="boom"):
        _pipelined(items(), consume)
    assert len(produced) < 10


def test_producer_errors_propagate_after_the_worker_finishes():
    seen = []

    def items():
        yield 1
        raise ValueError("bad article")

    with pytest.raises(ValueError):
        _pipelined(items(), seen.append)
    assert seen == [1]


def scripted(*outcomes, calls=None):
    """A transport answering with the outcomes in order (exceptions are raised)."""
    answers = iter(outcomes)

    def handle(request):
        if calls is not None:
            calls.append((request.method, request.url.path))
        outcome = next(answers)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    return httpx.MockTransport(handle)


WHOAMI = httpx.Response(200, json={"id": 1, "email": "admin@example.org"})


def test_call_retries_transient_errors_then_succeeds():
    sleeps = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=sleeps.append,
                    transport=scripted(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"),
                                       WHOAMI))
    assert studio.whoami() == {"id": 1, "email": "admin@example.org"}
    assert sleeps == [0.5, 1.0]


def test_call_gives_up_after_its_time_bound_with_one_clear_error():
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=0, sleep=lambda s: None,
                    transport=scripted(httpx.ConnectError("refused")))
    with pytest.raises(StudioUnreachable, match=r"cannot reach Label Studio at http://127.0.0.1:9 to do it"):
        studio.call("do it", studio.sdk.users.whoami)


def test_auth_errors_are_not_retried():
    calls = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=lambda s: None,
                    transport=scripted(*[httpx.Response(401, json={"detail": "Invalid token."})] * 3,
                                       calls=calls))
    with pytest.raises(StudioAuthError, match="refused the API key"):
        studio.call("list projects", studio.sdk.users.whoami)
    assert len(calls) == 1


@pytest.mark.parametrize("status", [200, 404])
def test_a_server_that_is_not_label_studio_is_named_as_such(status):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html>a blog</html>"
            self.send_response(status)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(StudioError, match="does not look like a Label Studio server|unexpected answer") as info:
            Studio(url, "k" * 40, retry_seconds=0).whoami()
        assert url in str(info.value)
    finally:
        server.shutdown()


# -- the retry policy, in the transport ---------------------------------------------------------

def test_idempotent_calls_back_off_doubling_to_8_s_until_the_deadline(clock):
    calls = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=40, sleep=clock.sleep,
                    transport=scripted(*[httpx.Response(503, text="busy")] * 20, calls=calls))
    with pytest.raises(StudioError, match=r"http://127.0.0.1:9 failed to read project 3 \(HTTP 503") as info:
        studio.project(3)
    assert clock.sleeps == [0.5, 1, 2, 4, 8, 8, 8, 8]
    assert len(calls) == 9 and info.value.retryable


def recording(answer=None, calls=None):
    """A transport that records (method, path, params, json body) and answers `answer`."""

    def handle(request):
        body = json.loads(request.content) if request.content else None
        calls.append((request.method, request.url.path, dict(request.url.params), body))
        return answer(request) if callable(answer) else answer

    return httpx.MockTransport(handle)


@pytest.mark.parametrize("method,call", [
    ("PATCH", lambda s: s.set_project_fields(3, sampling="Uncertainty sampling")),
    ("PATCH", lambda s: s.update_task_data(5, {"text": "x"})),
    ("DELETE", lambda s: s.delete_predictions(3, "v1")),
    ("GET", lambda s: s.model_versions(3)),
])
def test_idempotent_methods_are_retried_on_5xx(method, call):
    calls, answers = [], iter([httpx.Response(502, text="bad gateway"),
                               httpx.Response(200, json={"id": 3, "deleted": 1})])
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=lambda s: None,
                    transport=recording(lambda r: next(answers), calls))
    call(studio)
    assert [c[0] for c in calls] == [method, method]


@pytest.mark.parametrize("fault", [httpx.Response(502, text="bad gateway"),
                                   httpx.ConnectError("refused"), httpx.ReadTimeout("slow")])
@pytest.mark.parametrize("call", [
    lambda s: s.create_annotation(5, []),
    lambda s: s.import_predictions(3, [{"task": 5, "model_version": "v1", "result": []}]),
    lambda s: s.delete_tasks(3, [5]),
])
def test_posts_are_never_sent_twice_but_say_whether_a_retry_may_pass(fault, call):
    calls = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=lambda s: None,
                    transport=scripted(fault, fault, calls=calls))
    with pytest.raises(StudioError) as info:
        call(studio)
    assert len(calls) == 1 and calls[0][0] == "POST"
    assert info.value.retryable and "http://127.0.0.1:9" in str(info.value)


def test_a_400_is_not_retryable_and_carries_the_servers_reason():
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=lambda s: None,
                    transport=scripted(httpx.Response(400, json={"validation_errors": {"x": ["bad"]}})))
    with pytest.raises(StudioError, match=r"HTTP 400: \{'x': \['bad'\]\}") as info:
        studio.import_predictions(3, [{"task": 5, "model_version": "v1", "result": []}])
    assert not info.value.retryable


# -- the SDK: public calls, imported late; plain JSON calls for a push -------------------------------

def test_the_sdk_still_lacks_project_model_versions():
    """When this fails, switch Studio.model_versions/delete_predictions to the SDK."""
    from pathlib import Path

    import label_studio_sdk

    studio = Studio("http://127.0.0.1:9", "k" * 40, transport=scripted())
    assert not [name for name in dir(studio.sdk.projects) if "model_version" in name]
    package = Path(label_studio_sdk.__file__).parent
    sources = [p for p in package.rglob("*.py") if "_legacy" not in p.parts]  # the old client
    assert not [str(p) for p in sources if "model-versions" in p.read_text(encoding="utf-8")]


def test_a_push_through_the_client_never_imports_the_sdk():
    """Every call a push makes is a plain JSON request: importing the SDK costs ~2.4 s."""
    import subprocess
    import sys

    code = """
import json, sys, httpx
from workbench.studio.client import Studio
from workbench.studio.imports import import_tasks
tasks = {}
def answer(request):
    path = request.url.path
    if path == "/api/current-user/whoami":
        return httpx.Response(200, json={"id": 1, "email": "a@b.c"})
    if path == "/api/projects/" and request.method == "GET":
        return httpx.Response(200, json={"count": 0, "next": None, "results": []})
    if path == "/api/projects/" and request.method == "POST":
        return httpx.Response(201, json={"id": 7})
    if path == "/api/projects/7/":
        return httpx.Response(200, json={"id": 7, "task_number": len(tasks)})
    if path == "/api/projects/7/import":
        for t in json.loads(request.content):
            tasks[t["data"]["sentence_id"]] = t
        return httpx.Response(201, json={"task_count": len(tasks), "prediction_count": 0})
    if path == "/api/tasks/":
        return httpx.Response(200, json={"tasks": []})
    return httpx.Response(404, json={"detail": path})
studio = Studio("http://127.0.0.1:9", "k" * 40, transport=httpx.MockTransport(answer))
studio.whoami()
pid, created = studio.ensure_project("P", "<View/>")
report = import_tasks(studio, pid, [{"data": {"sentence_id": str(i), "text": "x"}} for i in range(3)])
print(created, report.created, "label_studio_sdk" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.split() == ["True", "3", "False"], done.stdout + done.stderr[-2000:]


def test_raw_calls_are_authenticated_like_the_sdks():
    calls = []

    def answer(request):
        calls.append(request.headers["Authorization"])
        return httpx.Response(200, json={"v1": 2})

    studio = Studio("http://127.0.0.1:9", "k" * 40, transport=httpx.MockTransport(answer))
    assert studio.model_versions(3) == {"v1": 2}
    assert calls == ["Token " + "k" * 40]


def test_importing_the_studio_modules_does_not_import_the_sdk():
    import subprocess
    import sys

    code = ("import sys, workbench.studio.client, workbench.studio.imports, "
            "workbench.studio.exports, workbench.studio.views, workbench.studio.ml; "
            "print('label_studio_sdk' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_only_the_client_imports_the_sdk():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "workbench"
    importers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                       if re.search(r"^\s*(from|import) label_studio_sdk", p.read_text(encoding="utf-8"), re.M))
    assert importers == ["studio/client.py"]


# -- views, ML backends and the queue --------------------------------------------------------------

def test_ensure_view_creates_then_refreshes_the_tab_by_title():
    from workbench.studio.views import ensure_view

    views, calls = [], []

    def answer(request):
        if request.method == "GET":
            return httpx.Response(200, json=views)
        body = json.loads(request.content)
        view = {"id": 11, "project": body["project"], "data": body["data"]}
        views[:] = [view]
        return httpx.Response(201 if request.method == "POST" else 200, json=view)

    studio = Studio("http://127.0.0.1:9", "k" * 40, transport=recording(answer, calls))
    data = {"ordering": ["-tasks:data.uncertainty"],
            "columnsDisplayType": {"tasks:data.uncertainty": "Number"},
            "filters": {"conjunction": "and", "items": []}}
    assert ensure_view(studio, 3, "Uncertainty first", data) == 11
    assert ensure_view(studio, 3, "Uncertainty first", data) == 11  # unchanged: no request
    changed = {**data, "ordering": ["tasks:data.uncertainty"]}
    assert ensure_view(studio, 3, "Uncertainty first", changed) == 11
    assert [(m, p) for m, p, _q, _b in calls] == [
        ("GET", "/api/dm/views/"), ("POST", "/api/dm/views/"),
        ("GET", "/api/dm/views/"),
        ("GET", "/api/dm/views/"), ("PATCH", "/api/dm/views/11/")]
    assert calls[0][2] == {"project": "3"}
    assert calls[1][3] == {"project": 3, "data": {**data, "title": "Uncertainty first"}}
    assert calls[4][3] == {"project": 3, "data": {**changed, "title": "Uncertainty first"}}


def test_register_ml_backend_creates_once_then_updates_the_same_url():
    from workbench.studio.ml import register_ml_backend

    backends, calls = [], []

    def answer(request):
        if request.method == "GET":
            return httpx.Response(200, json=backends)
        backend = {"id": 4, **json.loads(request.content)}
        backends[:] = [backend]
        return httpx.Response(201, json=backend)

    studio = Studio("http://127.0.0.1:9", "k" * 40, transport=recording(answer, calls))
    first = register_ml_backend(studio, 3, "http://backend:9090/", title="workbench",
                                basic_auth=("ls", "s3cret"))
    again = register_ml_backend(studio, 3, "http://backend:9090", title="workbench")
    assert first["id"] == again["id"] == 4
    assert [(m, p) for m, p, _q, _b in calls] == [
        ("GET", "/api/ml/"), ("POST", "/api/ml/"), ("GET", "/api/ml/"), ("PATCH", "/api/ml/4")]
    assert calls[1][3] == {"url": "http://backend:9090", "project": 3, "title": "workbench",
                           "is_interactive": False, "auth_method": "BASIC_AUTH",
                           "basic_auth_user": "ls", "basic_auth_pass": "s3cret"}
    assert calls[3][3]["auth_method"] == "NONE"


def test_queue_helpers_send_what_label_studio_expects():
    from workbench.studio import ml

    calls = []

    def answer(request):
        if request.url.path.endswith("/model-versions/"):
            return httpx.Response(200, json={"v1": 2, "v0": 1})
        if request.url.path == "/api/predictions/":
            return httpx.Response(200, json=[{"task": 1, "model_version": "v1"},
                                             {"task": 2, "model_version": "v1"},
                                             {"task": 2, "model_version": "v0"}])
        if request.url.path == "/api/dm/actions/":
            return httpx.Response(200, json={"processed_items": 2})
        return httpx.Response(200, json={"id": 1})

    studio = Studio("http://127.0.0.1:9", "k" * 40, transport=recording(answer, calls))
    assert ml.version_predictions(studio, 3, "v1") == {1, 2}
    assert ml.version_predictions(studio, 3, "v9") == set()
    assert ml.retrieve_predictions(studio, 3, [1, 2]) == {"processed_items": 2}
    assert calls[-1][1:] == ("/api/dm/actions/", {"id": "retrieve_tasks_predictions", "project": "3"},
                             {"selectedItems": {"all": False, "included": [1, 2]}})
    ml.retrieve_predictions(studio, 3)
    assert calls[-1][3] == {"selectedItems": {"all": True, "excluded": []}}
    ml.set_sampling(studio, 3)
    assert calls[-1][:2] == ("PATCH", "/api/projects/3/")
    assert calls[-1][3] == {"sampling": "Uncertainty sampling"}
    ml.train_ml_backend(studio, 4)
    assert calls[-1][:2] == ("POST", "/api/ml/4/train")
    done = []
    assert ml.update_tasks_data(studio, {5: {"text": "a"}, 6: {"text": "b"}}, progress=done.append) == 2
    patches = sorted((p, b) for m, p, _q, b in calls if m == "PATCH" and p.startswith("/api/tasks/"))
    assert patches == [("/api/tasks/5/", {"data": {"text": "a"}}), ("/api/tasks/6/", {"data": {"text": "b"}})]
    assert done == [1, 1]


# -- export snapshots ------------------------------------------------------------------------------

class BrokenStream(httpx.SyncByteStream):
    """A body that breaks after its first chunk, as a dropped connection does."""

    def __iter__(self):
        yield b'[{"id": 1},'
        raise httpx.ReadError("connection reset by peer")


def export_server(body: bytes, *, statuses=("in_progress", "completed"), broken: int = 0):
    """A transport serving one export snapshot; returns (transport, calls)."""
    calls, states, breaks = [], iter(statuses), [broken]

    def answer(request):
        path, method = request.url.path, request.method
        calls.append((method, path))
        if method == "POST" and path == "/api/projects/3/exports/":
            return httpx.Response(201, json={"id": 8, "status": "created"})
        if method == "GET" and path == "/api/projects/3/exports/8":
            return httpx.Response(200, json={"id": 8, "status": next(states)})
        if method == "GET" and path == "/api/projects/3/exports/8/download":
            if breaks[0]:
                breaks[0] -= 1
                return httpx.Response(200, stream=BrokenStream())
            return httpx.Response(200, content=body)
        if method == "DELETE" and path == "/api/projects/3/exports/8":
            return httpx.Response(204)
        return httpx.Response(404, json={"detail": f"no {method} {path}"})

    return httpx.MockTransport(answer), calls


@pytest.mark.parametrize("broken", [0, 2])
def test_export_to_file_polls_streams_renames_and_deletes_the_snapshot(tmp_path, broken):
    from workbench.studio.exports import export_to_file

    body = json.dumps([{"id": 1}, {"id": 2}]).encode()
    transport, calls = export_server(body, broken=broken)
    studio = Studio("http://127.0.0.1:9", "k" * 40, sleep=lambda s: None, transport=transport)
    out = export_to_file(studio, 3, tmp_path / "export.json")
    assert out == tmp_path / "export.json" and out.read_bytes() == body
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]
    assert calls.count(("GET", "/api/projects/3/exports/8/download")) == 1 + broken
    assert calls[-1] == ("DELETE", "/api/projects/3/exports/8")


def test_a_failed_export_leaves_the_previous_file_and_no_snapshot(tmp_path):
    from workbench.studio.exports import export_to_file

    transport, calls = export_server(b"[]", statuses=("in_progress", "failed"))
    studio = Studio("http://127.0.0.1:9", "k" * 40, sleep=lambda s: None, transport=transport)
    (tmp_path / "export.json").write_text("previous")
    with pytest.raises(StudioError, match="failed to build export 8 of project 3"):
        export_to_file(studio, 3, tmp_path / "export.json")
    assert (tmp_path / "export.json").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["export.json"]
    assert calls[-1] == ("DELETE", "/api/projects/3/exports/8")
