"""Settings found the way people expect: from any folder, with honest messages, fast failures."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from conftest import run_main
from workbench.cli.settings import find_home, remember_home, studio_settings, user_dir
from workbench.core.errors import ConfigError
from workbench.core.files import atomic_write, write_text
from workbench.studio.local import StudioHome, server_gone, write_env_file


def make_home(path, url="http://127.0.0.1:1", key="k" * 40):
    path.mkdir(parents=True, exist_ok=True)
    write_env_file(path / "studio.env", {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": key})
    return path


def test_the_home_is_found_by_walking_up_from_a_subfolder(tmp_path):
    home = make_home(tmp_path / "repo" / ".workbench")
    deep = tmp_path / "repo" / "articles" / "2026"
    deep.mkdir(parents=True)
    found = find_home({"HOME": str(tmp_path / "user")}, cwd=deep)
    assert found.path == home and "found in" in found.why


def test_workbench_home_may_name_the_folder_or_its_parent(tmp_path):
    home = make_home(tmp_path / "repo" / ".workbench")
    for value in (tmp_path / "repo" / ".workbench", tmp_path / "repo"):
        found = find_home({"WORKBENCH_HOME": str(value), "HOME": str(tmp_path)}, cwd=tmp_path)
        assert found.path == home, value
        assert "WORKBENCH_HOME" in found.why


def test_the_per_user_record_points_any_folder_at_the_home(tmp_path):
    environ = {"HOME": str(tmp_path / "user")}
    home = make_home(tmp_path / "repo" / ".workbench")
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    assert find_home(environ, cwd=elsewhere).path == elsewhere / ".workbench"  # nothing known yet
    remember_home(home, environ)
    assert user_dir(environ) == tmp_path / "user" / ".local" / "share" / "workbench"
    found = find_home(environ, cwd=elsewhere)
    assert found.path == home and "recorded" in found.why
    xdg = {"HOME": str(tmp_path / "user"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert find_home(xdg, cwd=elsewhere).path == elsewhere / ".workbench"  # another user dir


def test_settings_come_from_the_found_home(tmp_path):
    make_home(tmp_path / "repo" / ".workbench", url="http://127.0.0.1:8123")
    found = studio_settings({"HOME": str(tmp_path)}, cwd=tmp_path / "repo")
    assert found.url == "http://127.0.0.1:8123" and found.home == tmp_path / "repo" / ".workbench"
    assert "k" * 40 not in repr(found)


def test_a_url_without_scheme_says_to_add_it():
    with pytest.raises(ConfigError, match="http://localhost:8080"):
        studio_settings({"LABEL_STUDIO_URL": "localhost:8080", "LABEL_STUDIO_API_KEY": "x" * 40})


def test_nothing_configured_names_the_folder_searched(tmp_path):
    with pytest.raises(ConfigError, match="workbench studio up") as info:
        studio_settings({"HOME": str(tmp_path)}, cwd=tmp_path)
    assert str(tmp_path / ".workbench") in str(info.value)


def test_a_stopped_embedded_server_is_reported_at_once(tmp_path, monkeypatch, capsys):
    home = make_home(tmp_path / ".workbench", url="http://127.0.0.1:9")  # nothing listens on 9
    (home / "studio.pid").write_text("999999999")  # a process that does not exist
    assert server_gone(StudioHome(home)) == "its process is gone"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_HOME", str(home))
    monkeypatch.setenv("WORKBENCH_RETRY_SECONDS", "600")  # a retried connection would hang the test
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    code, _out, err = run_main(["pull", "--project", "P", "-o", "x.jsonl"], capsys)
    assert code == 4 and "not running (its process is gone)" in err and err.count("\n") == 1
    assert "workbench studio up" in err


def test_a_running_port_is_not_called_gone(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        home = make_home(tmp_path / ".workbench", url=f"http://127.0.0.1:{sock.getsockname()[1]}")
        assert server_gone(StudioHome(home)) is None  # something listens: the request will tell


def test_outputs_follow_the_umask_and_secrets_stay_private(tmp_path):
    old = os.umask(0o022)
    try:
        with atomic_write(tmp_path / "labels.jsonl") as out:
            out.write("{}\n")
        write_text(tmp_path / "secret.txt", "x", private=True)
        write_env_file(tmp_path / "studio.env", {"LABEL_STUDIO_API_KEY": "k"})
    finally:
        os.umask(old)
    mode = lambda name: stat.S_IMODE((tmp_path / name).stat().st_mode)  # noqa: E731
    assert mode("labels.jsonl") == 0o644
    assert mode("secret.txt") == 0o600 and mode("studio.env") == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_a_failed_write_keeps_the_previous_file(tmp_path):
    target = tmp_path / "labels.jsonl"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as out:
            out.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old\n" and sorted(tmp_path.iterdir()) == [target]


def test_a_configuration_error_imports_nothing_heavy(tmp_path):
    code = ("import sys\nfrom workbench.cli import main\n"
            "try:\n    main(['push', 'a.txt', '--project', 'P'])\nexcept SystemExit as e:\n"
            "    heavy = [m for m in ('sklearn', 'scipy', 'label_studio_sdk', 'matplotlib') "
            "if m in sys.modules]\n    print(e.code, heavy)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    env.update(WORKBENCH_HOME=str(tmp_path / ".workbench"), HOME=str(tmp_path))
    (tmp_path / "a.txt").write_text("Titre\n\nUne phrase.\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "2 []", done.stdout + done.stderr
