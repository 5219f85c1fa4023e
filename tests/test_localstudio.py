"""The embedded studio's env file and port handling (the server itself is exercised by integration tests)."""

import socket
import stat

from workbench.studio.local import free_port, port_is_free, read_env_file, write_env_file


def test_env_file_round_trip_is_private_and_sourceable(tmp_path):
    path = tmp_path / "studio.env"
    values = {"LABEL_STUDIO_URL": "http://127.0.0.1:8080", "LABEL_STUDIO_API_KEY": "abc123"}
    write_env_file(path, values)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_env_file(path) == values
    assert "LABEL_STUDIO_API_KEY='abc123'" in path.read_text().splitlines()
    assert read_env_file(tmp_path / "missing.env") == {}


def test_busy_port_is_detected_and_avoided():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        busy = sock.getsockname()[1]
        assert not port_is_free(busy)
        assert free_port(busy) != busy
