"""Studio adapter pieces that need no server: pipelining, retries, error wording."""

import httpx
import pytest

from workbench.core.errors import StudioAuthError, StudioError, StudioUnreachable
from workbench.studio.client import Studio, _pipelined


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


def test_call_retries_transient_errors_then_succeeds():
    sleeps = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=sleeps.append)
    attempts = iter([httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), "ok"])

    def flaky():
        outcome = next(attempts)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert studio._call("do it", flaky) == "ok"
    assert sleeps == [0.5, 1.0]


def test_call_gives_up_after_its_time_bound_with_one_clear_error():
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=0, sleep=lambda s: None)

    def down():
        raise httpx.ConnectError("refused")

    with pytest.raises(StudioUnreachable, match=r"cannot reach Label Studio at http://127.0.0.1:9 to do it"):
        studio._call("do it", down)


def test_auth_errors_are_not_retried():
    from label_studio_sdk.core.api_error import ApiError

    calls = []
    studio = Studio("http://127.0.0.1:9", "k" * 40, retry_seconds=30, sleep=lambda s: None)

    def refused():
        calls.append(1)
        raise ApiError(status_code=401, body={"detail": "Invalid token."})

    with pytest.raises(StudioAuthError, match="refused the API key"):
        studio._call("list projects", refused)
    assert calls == [1]


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
