"""Shared fixtures: paths to shared data, and a real Label Studio on a loopback port."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED_DIR = SHARED / "seed"
SEED_TXT = SEED_DIR / "sputnik-fr-2021-12-16.txt"
SEED_GOLD = SEED_DIR / "sputnik-fr-2021-12-16.gold.jsonl"
CHECKTHAT = SHARED / "data" / "checkthat2025-subjectivity"
EXAMPLES = REPO / "workbench" / "examples"
DATA = REPO / "tests" / "data"


@dataclass(frozen=True)
class Server:
    """A running Label Studio for tests: URL and a legacy API key."""

    url: str
    api_key: str
    username: str = ""  # the admin login, for browser tests (empty when unknown)
    password: str = ""

    def env(self, **extra) -> dict[str, str]:
        env = dict(os.environ)
        env.update({"LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": self.api_key})
        env.update(extra)
        return env


@pytest.fixture(scope="session")
def label_studio(tmp_path_factory) -> Server:
    """A real Label Studio: the one in LABEL_STUDIO_URL/_API_KEY, else a fresh local one."""
    url, key = os.environ.get("LABEL_STUDIO_URL"), os.environ.get("LABEL_STUDIO_API_KEY")
    if url and key:
        yield Server(url.rstrip("/"), key, os.environ.get("LABEL_STUDIO_USERNAME", ""),
                     os.environ.get("LABEL_STUDIO_PASSWORD", ""))
        return
    from workbench.studio import local as localstudio

    venv = Path(os.environ.get("WORKBENCH_STUDIO_VENV") or REPO / ".workbench" / "studio-venv")
    home = localstudio.StudioHome(tmp_path_factory.mktemp("studio"), venv_dir=venv)
    values = localstudio.up(home, port=localstudio.free_port(0), echo=lambda m: None)
    try:
        yield Server(values["LABEL_STUDIO_URL"], values["LABEL_STUDIO_API_KEY"],
                     values.get("LABEL_STUDIO_USERNAME", ""), values.get("LABEL_STUDIO_PASSWORD", ""))
    finally:
        localstudio.down(home)


@pytest.fixture(scope="session")
def personal_access_token(label_studio) -> str:
    """A JWT personal access token of the test user (Label Studio allows one at a time)."""
    from workbench.core.errors import StudioError
    from workbench.studio.client import Studio

    studio = Studio(label_studio.url, label_studio.api_key, retry_seconds=10)
    try:
        return studio.call("create a personal access token", studio.sdk.tokens.create).token
    except StudioError as exc:
        if "already have a valid token" in str(exc) and not os.environ.get("CI"):
            pytest.skip("the test user of this external server already has a personal access token")
        raise


@pytest.fixture
def studio(label_studio):
    """A connected Studio client for the test server."""
    from workbench.studio.client import Studio

    return Studio(label_studio.url, label_studio.api_key, retry_seconds=10)


@pytest.fixture
def project_name(request) -> str:
    """A project title unique to one test."""
    name = "".join(c if c.isalnum() else "-" for c in request.node.name)
    return f"t-{name[:36]}-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def seed_txt() -> Path:
    if not SEED_TXT.exists():
        pytest.skip("../shared/seed is absent")
    return SEED_TXT


@pytest.fixture
def example_articles() -> list[Path]:
    paths = sorted(EXAMPLES.glob("*.txt"))
    assert paths, "workbench/examples/ holds the project's example articles"
    return paths


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
    """Run in a temp directory with no Label Studio settings leaking in."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / ".workbench"))
    return tmp_path


def wait_until(predicate: Callable[[], object], timeout: float, message: str,
               interval: float = 0.1):
    """Poll `predicate` until it returns something true (returned); fail with `message` at the deadline.

    Waits start at 1 ms and double up to `interval`, so a quick condition costs little and a slow one
    does not spin. Tests wait on behaviour with this, never on a fixed sleep or a stopwatch.
    """
    deadline = time.monotonic() + timeout
    pause = 0.001
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"{message} (still not true after {timeout:g} s)")
        time.sleep(min(pause, interval, max(0.0, deadline - time.monotonic())))
        pause *= 2


def run_workbench(args, env, cwd, check=True):
    """Run the real `workbench` command in a subprocess; fail the test with its output when asked."""
    done = subprocess.run([sys.executable, "-m", "workbench", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    if check and done.returncode != 0:
        pytest.fail(f"workbench {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def run_main(args, capsys):
    """Run the command in-process; returns (exit code, stdout, stderr)."""
    from workbench.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out = capsys.readouterr()
    return exit_info.value.code, out.out, out.err


def copy_article(src: Path, dest_dir: Path, name: str | None = None) -> Path:
    """Copy an article into a test's temp dir (never into the repo)."""
    dest = dest_dir / (name or src.name)
    shutil.copyfile(src, dest)
    return dest


class Clock:
    """A fake monotonic clock that the fake sleep moves forward."""

    def __init__(self):
        self.now, self.sleeps = 0.0, []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    """The Label Studio client's clock, faked: retries and deadlines without waiting."""
    import workbench.studio.transport as transport

    fake = Clock()
    monkeypatch.setattr(transport, "time", fake)
    return fake


def log_in(page, url: str, email: str, password: str) -> None:
    """Log a browser page in to Label Studio through its login form."""
    page.goto(f"{url}/user/login/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Projects")


def view_tasks(server, pid: int, view_id: int) -> list[dict]:
    """The tasks a Data Manager tab shows, in its order."""
    import httpx

    answer = httpx.get(f"{server.url}/api/tasks/",
                       headers={"Authorization": f"Token {server.api_key}"},
                       params={"project": pid, "view": view_id, "fields": "all", "page_size": 100})
    answer.raise_for_status()
    return answer.json()["tasks"]
