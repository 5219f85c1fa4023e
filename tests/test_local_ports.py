"""`workbench studio up --port`: honoured, or one line saying why not.

A stand-in `label-studio` executable (a few lines of Python answering /health/ on the port it
is given) makes the port logic testable in a second; the real server is exercised by every
integration test.
"""

from __future__ import annotations

import socket
import sys
import textwrap

import pytest

from workbench.core.errors import EmbeddedStudioError
from workbench.studio import local

FAKE = textwrap.dedent("""\
    #!{python}
    import http.server, sys
    port = int(sys.argv[sys.argv.index("--port") + 1])
    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/health/" else 404)
            self.end_headers()
        def log_message(self, *args):
            pass
    http.server.HTTPServer(("127.0.0.1", port), Health).serve_forever()
""")


@pytest.fixture
def home(tmp_path):
    venv = tmp_path / "fake-venv"
    (venv / "bin").mkdir(parents=True)
    exe = venv / "bin" / "label-studio"
    exe.write_text(FAKE.format(python=sys.executable))
    exe.chmod(0o755)
    home = local.StudioHome(tmp_path / ".workbench", venv_dir=venv)
    yield home
    local.down(home)


def port_of(values) -> int:
    return int(values["LABEL_STUDIO_URL"].rsplit(":", 1)[1])


def test_a_given_port_is_used_and_a_later_one_restarts_the_server(home):
    first, second = local.free_port(0), local.free_port(0)
    while second == first:
        second = local.free_port(0)
    said = []
    values = local.up(home, port=first, echo=said.append)
    assert port_of(values) == first and local.status(home).running
    values = local.up(home, port=second, echo=said.append)
    assert port_of(values) == second and local.status(home).url.endswith(f":{second}")
    assert any(f"restarting it on port {second}" in line for line in said)
    assert local.port_is_free(first)  # the old server is gone
    assert port_of(local.up(home, echo=said.append)) == second  # no --port: the last one


def test_a_busy_given_port_is_refused_with_its_number(home):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        with pytest.raises(EmbeddedStudioError, match=f"port {busy} .* in use"):
            local.up(home, port=busy, echo=lambda m: None)
    assert not local.status(home).running


def test_a_busy_remembered_port_moves_and_says_why(home):
    values = local.up(home, port=local.free_port(0), echo=lambda m: None)
    remembered = port_of(values)
    local.down(home)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", remembered))
        sock.listen()
        said = []
        values = local.up(home, echo=said.append)
    assert port_of(values) != remembered
    assert any(f"port {remembered} is in use" in line for line in said)
