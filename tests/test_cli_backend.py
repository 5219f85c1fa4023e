"""The backend commands: settings from the environment only, one clear line per error."""

import socket

import pytest

from conftest import run_main
from workbench.core.errors import StudioError
from workbench.backend.learning import connect_backend




def test_half_set_basic_auth_is_refused(workdir, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_BACKEND_USER", "ls")
    monkeypatch.delenv("WORKBENCH_BACKEND_PASSWORD", raising=False)
    code, _, err = run_main(["serve", "--model", "m.joblib"], capsys)
    assert code == 2 and "WORKBENCH_BACKEND_PASSWORD is not set" in err and err.count("\n") == 1


def test_busy_port_is_one_line(workdir, monkeypatch, capsys):
    monkeypatch.delenv("WORKBENCH_BACKEND_USER", raising=False)
    monkeypatch.delenv("WORKBENCH_BACKEND_PASSWORD", raising=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        code, _, err = run_main(["serve", "--model", "m.joblib", "--port", str(port)], capsys)
    assert code == 2 and f"127.0.0.1:{port} is already in use" in err


def test_missing_model_is_one_line(workdir, monkeypatch, capsys):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = run_main(["serve", "--model", "nowhere.joblib", "--port", str(port)], capsys)
    assert code == 3 and "nowhere.joblib" in err and "Traceback" not in err


class RefusingStudio:
    def __init__(self, message):
        self.message = message

    def register_ml_backend(self, *args, **kwargs):
        raise StudioError(self.message)


@pytest.mark.parametrize("url,message,hint", [
    ("http://127.0.0.1:9090", "Label Studio failed (HTTP 400: URL resolves to a reserved network "
     "address (block: 127.0.0.0/8))", "ML_BLOCK_LOCAL_IP=false"),
    ("http://backend.example.org:9090", "Label Studio failed (HTTP 400: Can't connect to ML "
     "backend http://backend.example.org:9090, health check failed.)", "`workbench serve` runs at"),
])
def test_connect_errors_say_how_to_fix(url, message, hint, monkeypatch):
    monkeypatch.setattr("workbench.backend.learning.register_ml_backend",
                        lambda studio, *args, **kwargs: studio.register_ml_backend(*args, **kwargs))
    with pytest.raises(StudioError) as info:
        connect_backend(RefusingStudio(message), 1, url)
    assert hint in str(info.value) and message in str(info.value)
